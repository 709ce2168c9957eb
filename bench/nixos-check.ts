// `npm run bench -- nixos-check`: the time of `kfit nixos check` (the built CLI, as a user runs it) on
// stock-6.12-defconfig and derp-subtract-6.12, warm (a first run fills the shell-probe cache), next to the
// real pipeline's time recorded in the fixtures' case.json (make defconfig + generate-config.pl).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { pathWithoutRust } from '../src/host/kconfig-oracle.ts';

/** What this benchmark measures. */
export const description = 'kfit nixos check (warm) vs the real configfile pipeline (case.json timing)';

const root = new URL('..', import.meta.url).pathname;
const cases = ['stock-6.12-defconfig', 'derp-subtract-6.12'];

/** Runs the benchmark and prints one line per case. */
export async function run(args: string[]): Promise<void> {
  const repeat = Number(args.find((a) => a.startsWith('--repeat='))?.slice(9) ?? 3);
  const src = join(process.env.KFIT_CACHE ?? join(homedir(), '.cache', 'kfit'), 'linux-6.12');
  const env = { ...process.env, PATH: pathWithoutRust(), LC_ALL: 'C' };
  for (const c of cases) {
    const dir = join(root, 'test/fixtures/nixos', c);
    const meta = JSON.parse(readFileSync(join(dir, 'case.json'), 'utf8'));
    const argv = [join(root, 'bin/kfit.mjs'), 'nixos', 'check', '--kernel-config', join(dir, 'kernel-config'), '--src', src, '--base', meta.baseConfig, '--no-diagnosis'];
    spawnSync(process.execPath, argv, { env, stdio: 'ignore' }); // warm-up
    const times: number[] = [];
    let status = 0;
    for (let i = 0; i < repeat; i++) {
      const t = performance.now();
      const r = spawnSync(process.execPath, argv, { env, encoding: 'utf8' });
      times.push((performance.now() - t) / 1000);
      status = r.status ?? -1;
    }
    times.sort((a, b) => a - b);
    const real = meta.timing.wall_total_s as number;
    process.stdout.write(
      `${c.padEnd(22)} kfit best ${times[0].toFixed(2)} s, median ${times[Math.floor(times.length / 2)].toFixed(2)} s (exit ${status}); ` +
        `real pipeline ${real.toFixed(1)} s (best recorded 6.12 stock: 40.7 s) -> ${(real / times[0]).toFixed(0)}x; target <= 1 s ${times[0] <= 1 ? 'met' : 'NOT met'}\n`,
    );
  }
}
