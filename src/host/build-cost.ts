// The file side of build-cost estimates: source sizes of a tree, the stored calibrated rate, and what a
// finished build directory says about how long its build took.
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { writeFileAtomically } from './atomic-file.ts';
import { join, resolve } from 'node:path';
import { InputError } from '../core/diag/errors.ts';
import { costUnits, DEFAULT_RATE, parseCostRate, type CostRate, type CostUnit } from '../core/kbuild/cost.ts';
import { readConfigValues, walkKbuild, type KbuildResult } from '../core/kbuild/index.ts';
import { isObjectLine } from '../core/lab/build-log.ts';
import { cacheDir } from './kernel-build.ts';
import { SourceTree } from './kernel-source-scan.ts';

/** The make ARCH → Kbuild SRCARCH mapping the walk needs (`x86_64` → `x86`). */
export function srcarchOfArch(arch: string): string {
  if (arch === 'x86_64' || arch === 'i386') return 'x86';
  return arch;
}

/** A walk of a tree for one configuration and its cost units. */
export interface TreeCost {
  readonly walk: KbuildResult;
  readonly units: readonly CostUnit[];
}

/**
 * Walks `src`'s Kbuild for `config` (.config values: symbol → value, no `CONFIG_`, strings quoted) and weighs
 * each object by the size of its source (a `stat` per object: ~20 ms for defconfig, ~80 ms for Debian's 15,000).
 */
export function treeCost(src: string, config: ReadonlyMap<string, string>, arch: string, tree: SourceTree = new SourceTree(resolve(src))): TreeCost {
  const walk = walkKbuild(tree, config, { arch: srcarchOfArch(arch) });
  const root = tree.root;
  const units = costUnits(walk, (path) => {
    try {
      const st = statSync(join(root, path));
      return st.isFile() ? st.size : undefined;
    } catch {
      return undefined;
    }
  });
  return { walk, units };
}

/** Where the calibrated rate is kept: `${KFIT_CACHE}/cost/rate.json`. */
export function rateFile(): string {
  return join(cacheDir(), 'cost', 'rate.json');
}

/** The rate estimates use: the calibrated one in the cache when there is one, else {@link DEFAULT_RATE}. */
export function loadCostRate(file: string = rateFile()): { rate: CostRate; file: string | null } {
  if (!existsSync(file)) return { rate: DEFAULT_RATE, file: null };
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new InputError('cost/rate-file', `${file}:1:1: error: the stored build rate is not JSON (${(error as Error).message}); delete it or run \`kfit cost calibrate\` again`);
  }
  const rate = parseCostRate(json);
  if (rate === undefined) throw new InputError('cost/rate-file', `${file}:1:1: error: the stored build rate lacks a field; delete it or run \`kfit cost calibrate\` again`);
  return { rate, file };
}

/** Stores a fitted rate (written to a temporary file, then renamed: never half-written). */
export function saveCostRate(rate: CostRate, file: string = rateFile()): void {
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileAtomically(file, `${JSON.stringify(rate, null, 2)}\n`);
}

/** What a finished build directory says about its build. */
export interface FinishedBuild {
  readonly dir: string;
  /** The `.config` it was built with, as Kbuild reads it. */
  readonly config: Map<string, string>;
  /** Wall seconds from the `.config` to the newest of bzImage/vmlinux/modules.order/Module.symvers. */
  readonly seconds: number;
  /** `-jN` of the build log's make line, when there is a log. */
  readonly jobs: number | null;
  /** Object steps (`CC`/`AS` lines) in the build log, or null without a log. */
  readonly loggedSteps: number | null;
  /** The log read (`.kfit/build.log` of `kfit lab build`), or null. */
  readonly log: string | null;
}

const ARTIFACTS = ['arch/x86/boot/bzImage', 'vmlinux', 'modules.order', 'Module.symvers', 'arch/arm64/boot/Image'];

/**
 * Reads a finished build directory (`kfit lab build`'s, or any `make O=DIR`): its `.config`, the build's wall
 * time from file times (the `.config` written before the build → the newest final artifact), and from
 * `.kfit/build.log` (when there) the `-jN` and the number of object steps.
 * Gotcha: file times see an incremental build as a short one; the caller compares the logged steps with the walk.
 */
export function readFinishedBuild(dir: string): FinishedBuild {
  const abs = resolve(dir);
  const dotConfig = join(abs, '.config');
  if (!existsSync(dotConfig)) throw new InputError('cost/build-dir', `kfit: ${dir}: not a kernel build directory (no .config)`);
  const start = statSync(dotConfig).mtimeMs;
  let end = 0;
  for (const a of ARTIFACTS) {
    const p = join(abs, a);
    if (existsSync(p)) end = Math.max(end, statSync(p).mtimeMs);
  }
  if (end === 0) throw new InputError('cost/build-dir', `kfit: ${dir}: no finished build there (none of ${ARTIFACTS.slice(0, 4).join(', ')}); give --seconds S --config FILE for a build you timed yourself`);
  const logFile = join(abs, '.kfit', 'build.log');
  let log: string | null = null;
  let jobs: number | null = null;
  let loggedSteps: number | null = null;
  if (existsSync(logFile)) {
    log = logFile;
    const text = readFileSync(logFile, 'utf8');
    let steps = 0;
    for (const line of text.split('\n')) {
      if (isObjectLine(line)) steps++;
      else if (line.startsWith('$ ') && /\bmake\b/.test(line)) {
        const m = /\s-j\s*(\d+)\b/.exec(line);
        if (m) jobs = Number(m[1]);
      }
    }
    loggedSteps = steps;
  }
  return { dir: abs, config: readConfigValues(readFileSync(dotConfig, 'utf8')), seconds: (end - start) / 1000, jobs, loggedSteps, log };
}
