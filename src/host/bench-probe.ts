// Compiles kfit-bench (the C probe of the restart and syscall suites) once per source version into the cache.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../core/diag/errors.ts';
import { BENCH_PROBE_C } from '../core/lab/bench-probe.ts';
import { cacheDir } from './kernel-build.ts';

/** Returns the path of a compiled kfit-bench (static when asked: it then runs inside a busybox guest). */
export function compileBenchProbe(staticLink: boolean): string {
  const hash = createHash('sha256').update(BENCH_PROBE_C).digest('hex').slice(0, 12);
  const dir = join(cacheDir(), 'lab', 'bin');
  const exe = join(dir, `kfit-bench-${hash}${staticLink ? '-static' : ''}`);
  if (existsSync(exe)) return exe;
  mkdirSync(dir, { recursive: true });
  const source = join(dir, `kfit-bench-${hash}.c`);
  writeFileSync(source, BENCH_PROBE_C);
  const tmp = `${exe}.tmp-${process.pid}`;
  const r = spawnSync('cc', ['-O2', ...(staticLink ? ['-static'] : []), '-o', tmp, source], { encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    throw new InputError(
      'lab/no-compiler',
      `kfit: cannot compile the kfit-bench probe with cc${staticLink ? ' -static' : ''} (${(r.stderr || String(r.error)).trim().split('\n')[0]}); install the Debian packages gcc and libc6-dev`,
    );
  }
  renameSync(tmp, exe);
  return exe;
}
