// `npm run bench -- nixos-check [--repeat=N] [--baseline=DIR]`: the time of `kfit nixos check` (the built CLI,
// as a user runs it) on stock-6.12-defconfig and derp-subtract-6.12, warm (a first run fills the shell-probe
// and model caches), as a user runs it (with the diagnosis) and with --no-diagnosis, and with the model cache
// off (KFIT_MODEL_CACHE=off: the tree parsed again), next to the real pipeline's time recorded in the
// fixtures' case.json (make defconfig + generate-config.pl). Variants run interleaved, so load changes hit all
// alike; `--baseline=DIR` adds the same runs of another kfit checkout (DIR/bin/kfit.mjs, built) for a
// before/after ratio in the same conditions. Wall time, and user+sys CPU when /usr/bin/time exists.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { homedir, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathWithoutRust } from '../src/host/kconfig-oracle.ts';

/** What this benchmark measures. */
export const description = 'kfit nixos check (warm; with/without diagnosis, model cache on/off) vs the real configfile pipeline (case.json timing)';

const root = new URL('..', import.meta.url).pathname;
const cases = ['stock-6.12-defconfig', 'derp-subtract-6.12'];

interface Variant {
  readonly name: string;
  readonly bin: string;
  readonly extra: readonly string[];
  readonly env: Readonly<Record<string, string>>;
}

interface Sample {
  readonly wall: number;
  readonly cpu: number | undefined;
  readonly status: number;
}

const timeBin = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

function runOnce(v: Variant, argv: readonly string[], env: NodeJS.ProcessEnv, scratch: string): Sample {
  const out = join(scratch, 'time.txt');
  const cmd = [v.bin, ...argv, ...v.extra];
  const t = performance.now();
  const r = timeBin
    ? spawnSync(timeBin, ['-o', out, '-f', '%U %S', process.execPath, ...cmd], { env: { ...env, ...v.env }, stdio: 'ignore' })
    : spawnSync(process.execPath, cmd, { env: { ...env, ...v.env }, stdio: 'ignore' });
  const wall = (performance.now() - t) / 1000;
  let cpu: number | undefined;
  if (timeBin) {
    // GNU time puts "Command exited with non-zero status N" before the figures
    const [u, s] = readFileSync(out, 'utf8').trim().split('\n').pop()!.split(/\s+/).map(Number);
    cpu = u + s;
  }
  return { wall, cpu, status: r.status ?? -1 };
}

const best = (xs: readonly number[]) => Math.min(...xs);
const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Runs the benchmark and prints one block per case. */
export async function run(args: string[]): Promise<void> {
  const repeat = Number(args.find((a) => a.startsWith('--repeat='))?.slice(9) ?? 5);
  const baselineDir = args.find((a) => a.startsWith('--baseline='))?.slice(11);
  const src = join(process.env.KFIT_CACHE ?? join(homedir(), '.cache', 'kfit'), 'linux-6.12');
  const env = { ...process.env, PATH: pathWithoutRust(), LC_ALL: 'C' };
  const bins: [string, string][] = [['kfit', join(root, 'bin/kfit.mjs')]];
  if (baselineDir) bins.push(['baseline', join(resolve(baselineDir), 'bin/kfit.mjs')]);
  const variants: Variant[] = [];
  for (const [label, bin] of bins) {
    variants.push({ name: `${label} default`, bin, extra: [], env: {} });
    variants.push({ name: `${label} --no-diagnosis`, bin, extra: ['--no-diagnosis'], env: {} });
  }
  variants.push({ name: 'kfit default, KFIT_MODEL_CACHE=off', bin: bins[0][1], extra: [], env: { KFIT_MODEL_CACHE: 'off' } });
  const scratch = mkdtempSync(join(tmpdir(), 'kfit-bench-nixos-'));
  try {
    process.stdout.write(`load average before: ${loadavg().map((x) => x.toFixed(2)).join(' ')}; ${repeat} interleaved runs per variant\n`);
    for (const c of cases) {
      const dir = join(root, 'test/fixtures/nixos', c);
      const meta = JSON.parse(readFileSync(join(dir, 'case.json'), 'utf8'));
      const argv = ['nixos', 'check', '--kernel-config', join(dir, 'kernel-config'), '--src', src, '--base', meta.baseConfig];
      for (const v of variants) runOnce(v, argv, env, scratch); // warm-up: shell-probe and model caches
      const samples = new Map<string, Sample[]>(variants.map((v) => [v.name, []]));
      for (let i = 0; i < repeat; i++) for (const v of variants) samples.get(v.name)!.push(runOnce(v, argv, env, scratch));
      const real = meta.timing.wall_total_s as number;
      process.stdout.write(`${c}: real pipeline ${real.toFixed(1)} s\n`);
      const ref = best(samples.get(variants[0].name)!.map((s) => s.wall));
      for (const v of variants) {
        const s = samples.get(v.name)!;
        const walls = s.map((x) => x.wall);
        const cpus = s.flatMap((x) => (x.cpu === undefined ? [] : [x.cpu]));
        const cpu = cpus.length > 0 ? `, cpu best ${best(cpus).toFixed(2)} s` : '';
        const met = v.bin === bins[0][1] && v.extra.length === 0 && !v.env.KFIT_MODEL_CACHE ? `; target <= 1 s ${best(walls) <= 1 ? 'met' : 'NOT met'}` : '';
        process.stdout.write(
          `  ${v.name.padEnd(36)} wall best ${best(walls).toFixed(2)} s, median ${median(walls).toFixed(2)} s${cpu} ` +
            `(exit ${s[s.length - 1].status}); ${(real / best(walls)).toFixed(0)}x faster than real; ${(best(walls) / ref).toFixed(2)} of kfit default${met}\n`,
        );
      }
    }
    process.stdout.write(`load average after: ${loadavg().map((x) => x.toFixed(2)).join(' ')}\n`);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
