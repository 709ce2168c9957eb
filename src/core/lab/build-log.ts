// Reading Kbuild's output while a kernel builds: which lines are finished objects (for the progress bar),
// how many to expect, and the first compile error with its file and line.

/**
 * True when a Kbuild "quiet" line reports one object step: `  CC      kernel/fork.o`, `  AS      …`,
 * `  CC [M]  drivers/…o`. Those are the steps the progress bar counts (links and generated files are not).
 */
export function isObjectLine(line: string): boolean {
  return /^\s{2}(CC|AS)( \[M\])?\s+\S+\.o\s*$/.test(line);
}

/** What a build's expected object count is based on. */
export type EstimateSource = 'previous-build' | 'estimate';

/** The expected number of object steps of a build. */
export interface ObjectEstimate {
  readonly expected: number;
  readonly source: EstimateSource;
}

/**
 * Estimates how many objects a build compiles. A previous full build of the same tree and config is exact;
 * otherwise a linear fit on the number of enabled options, calibrated on two 6.12 x86_64 builds measured here
 * (tinyconfig + the lab fragment, 546 options set: 776 objects; Debian's config, 6,896 options: ≈ 19,000
 * objects with modules). Gotcha: the fit is rough in between; the bar corrects itself after one build.
 */
export function estimateObjects(enabledOptions: number, previous: number | null): ObjectEstimate {
  if (previous !== null && previous > 0) return { expected: previous, source: 'previous-build' };
  const expected = Math.max(200, Math.round(776 + (enabledOptions - 546) * 2.9));
  return { expected, source: 'estimate' };
}

/** Seconds left, from objects done so far and elapsed seconds; null until there is something to go by. */
export function estimateRemaining(done: number, expected: number, elapsedSeconds: number): number | null {
  if (done < 5 || elapsedSeconds <= 0) return null;
  const left = Math.max(0, expected - done);
  return (elapsedSeconds / done) * left;
}

/** The first compiler or linker error of a build log. */
export interface BuildError {
  readonly file: string | null;
  readonly line: number | null;
  readonly column: number | null;
  readonly message: string;
  /** The log lines around the error (a few before, the error, the make line after). */
  readonly context: readonly string[];
}

const compilerError = /^(\S+?):(\d+):(?:(\d+):)?\s+(?:fatal )?error:\s*(.*)$/;
const makeError = /^make(?:\[\d+\])?: \*\*\* (.*)$/;
const linkerError = /^(?:ld|ld\.lld|\S*-ld): (?:error: )?(.*)$/;

/**
 * Finds the first error of a build log: a gcc/clang `file:line:col: error: …` (or `fatal error`) first,
 * else a linker error, else the first `make: *** …` line. Null when the log shows none.
 */
export function findFirstBuildError(log: string): BuildError | null {
  const lines = log.split('\n');
  let firstMake = -1;
  let firstLinker = -1;
  for (let i = 0; i < lines.length; i++) {
    const m = compilerError.exec(lines[i]);
    if (m) {
      return {
        file: m[1],
        line: Number(m[2]),
        column: m[3] ? Number(m[3]) : null,
        message: m[4],
        context: lines.slice(Math.max(0, i - 3), i + 3),
      };
    }
    if (firstLinker < 0 && linkerError.test(lines[i]) && /undefined reference|error/.test(lines[i])) firstLinker = i;
    if (firstMake < 0 && makeError.test(lines[i])) firstMake = i;
  }
  const at = firstLinker >= 0 ? firstLinker : firstMake;
  if (at < 0) return null;
  return {
    file: null,
    line: null,
    column: null,
    message: lines[at].replace(/^make(?:\[\d+\])?: \*\*\* /, ''),
    context: lines.slice(Math.max(0, at - 5), at + 1),
  };
}

/** Counts the options set (`=y`, `=m`, or a value) in a .config text. */
export function countEnabledOptions(dotConfig: string): number {
  let n = 0;
  for (const line of dotConfig.split('\n')) if (/^CONFIG_\w+=/.test(line)) n++;
  return n;
}

/** True when a .config builds anything as a module (`=m`). */
export function hasModules(dotConfig: string): boolean {
  return /^CONFIG_\w+=m$/m.test(dotConfig);
}
