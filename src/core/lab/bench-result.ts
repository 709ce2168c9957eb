// The result file of `kfit bench run` (schema `kfit-bench/1`) and the comparison of two of them.
import { InputError } from '../diag/errors.ts';
import type { CryptBenchmark } from './cryptsetup-output.ts';
import type { ProbeSample } from './bench-probe.ts';
import { kernelKey, type KernelIdentity } from './kernel-identity.ts';
import { compareSamples, summarize, type RatioEstimate, type Summary } from './statistics.ts';

/** The schema tag every result file carries. */
export const BENCH_SCHEMA = 'kfit-bench/1';

/** A benchmark suite. */
export type SuiteName = 'crypt' | 'restart' | 'syscall' | 'boot';

/** Every suite, in the order they run. */
export const SUITE_NAMES: readonly SuiteName[] = ['crypt', 'restart', 'syscall', 'boot'];

/** One measured quantity with all its samples. */
export interface Metric {
  readonly suite: SuiteName;
  /** e.g. `aes-xts-256b-encrypt`, `du`, `getppid`, `userspace`. */
  readonly name: string;
  readonly unit: string;
  /** Which direction is better: throughput is `higher`, time is `lower`. */
  readonly better: 'higher' | 'lower';
  readonly samples: readonly number[];
}

/** A suite that produced no numbers, and why (e.g. "kernel lacks AF_ALG skcipher"). */
export interface SkippedSuite {
  readonly suite: SuiteName;
  readonly reason: string;
}

/** A `kfit bench run` result file. */
export interface BenchResult {
  readonly schema: typeof BENCH_SCHEMA;
  readonly label: string;
  readonly key: string;
  readonly createdAt: string;
  readonly kernel: KernelIdentity;
  readonly metrics: readonly Metric[];
  readonly skipped: readonly SkippedSuite[];
}

/** Builds a result; the key is derived from the kernel identity. */
export function makeBenchResult(
  label: string,
  createdAt: string,
  kernel: KernelIdentity,
  metrics: readonly Metric[],
  skipped: readonly SkippedSuite[],
): BenchResult {
  return { schema: BENCH_SCHEMA, label, key: kernelKey(kernel), createdAt, kernel, metrics, skipped };
}

/** Adds samples to the metric of the same suite/name (or a new one), keeping first-seen order. */
export function mergeMetrics(into: Metric[], add: readonly Metric[]): void {
  for (const m of add) {
    const i = into.findIndex((x) => x.suite === m.suite && x.name === m.name);
    if (i < 0) into.push({ ...m, samples: [...m.samples] });
    else into[i] = { ...into[i], samples: [...into[i].samples, ...m.samples] };
  }
}

/** Turns the cipher rows of one `cryptsetup benchmark` run into metrics (one sample each, MiB/s). */
export function cryptMetrics(run: CryptBenchmark): Metric[] {
  const out: Metric[] = [];
  for (const row of run.ciphers) {
    const base = `${row.algorithm}-${row.keyBits}b`;
    if (row.encryptMiBps !== null)
      out.push({ suite: 'crypt', name: `${base}-encrypt`, unit: 'MiB/s', better: 'higher', samples: [row.encryptMiBps] });
    if (row.decryptMiBps !== null)
      out.push({ suite: 'crypt', name: `${base}-decrypt`, unit: 'MiB/s', better: 'higher', samples: [row.decryptMiBps] });
  }
  for (const row of run.pbkdf2) {
    if (row.iterationsPerSecond !== null)
      out.push({ suite: 'crypt', name: `pbkdf2-${row.hash}`, unit: 'iter/s', better: 'higher', samples: [row.iterationsPerSecond] });
  }
  return out;
}

/** Turns `kfit-bench` samples into metrics (time units: lower is better). */
export function probeMetrics(samples: readonly ProbeSample[]): Metric[] {
  const out: Metric[] = [];
  for (const s of samples) {
    if (s.suite !== 'restart' && s.suite !== 'syscall') continue;
    mergeMetrics(out, [{ suite: s.suite, name: s.metric, unit: s.unit, better: 'lower', samples: [s.value] }]);
  }
  return out;
}

function fail(file: string, what: string): never {
  throw new InputError('bench/result', `${file}:1:1: error: not a kfit benchmark result: ${what}`);
}

/** Checks a parsed JSON value against schema `kfit-bench/1`; throws an InputError naming the file otherwise. */
export function validateBenchResult(value: unknown, file: string): BenchResult {
  if (typeof value !== 'object' || value === null) fail(file, 'expected a JSON object');
  const v = value as Record<string, unknown>;
  if (v.schema !== BENCH_SCHEMA) fail(file, `expected "schema": "${BENCH_SCHEMA}", found ${JSON.stringify(v.schema)}`);
  const kernel = v.kernel as Record<string, unknown> | undefined;
  if (!kernel || typeof kernel.procVersion !== 'string' || typeof kernel.environment !== 'string')
    fail(file, 'expected "kernel" with "procVersion" and "environment"');
  if (!Array.isArray(v.metrics)) fail(file, 'expected a "metrics" array');
  for (const m of v.metrics as unknown[]) {
    const mm = m as Record<string, unknown>;
    if (typeof mm.name !== 'string' || !Array.isArray(mm.samples) || !mm.samples.every((x) => typeof x === 'number'))
      fail(file, `bad metric ${JSON.stringify(mm.name)}`);
  }
  return value as BenchResult;
}

/** One row of a comparison: metric, both summaries, the B/A ratio estimate. */
export interface ComparisonRow {
  readonly suite: SuiteName;
  readonly name: string;
  readonly unit: string;
  readonly better: 'higher' | 'lower';
  readonly a: Summary;
  readonly b: Summary;
  readonly ratio: RatioEstimate;
}

/** The comparison of two results, with the environment both were measured in. */
export interface Comparison {
  readonly a: BenchResult;
  readonly b: BenchResult;
  readonly rows: readonly ComparisonRow[];
  /** Metrics only one side has. */
  readonly unmatched: readonly string[];
}

/**
 * Compares result B against A metric by metric (ratios B/A). Refuses to compare an emulated (TCG) result
 * with a native or KVM one: the numbers measure different things.
 */
export function compareResults(a: BenchResult, b: BenchResult, fileA = 'A', fileB = 'B'): Comparison {
  const emulated = (r: BenchResult) => r.kernel.environment === 'tcg';
  if (emulated(a) !== emulated(b)) {
    throw new InputError(
      'bench/mixed-environments',
      `${fileB}:1:1: error: cannot compare ${b.kernel.environment} results with ${a.kernel.environment} results ` +
        `(${fileA}): numbers made under QEMU TCG measure an emulated CPU and are never compared with native ones`,
    );
  }
  const rows: ComparisonRow[] = [];
  const unmatched: string[] = [];
  for (const ma of a.metrics) {
    const mb = b.metrics.find((x) => x.suite === ma.suite && x.name === ma.name);
    if (!mb) {
      unmatched.push(`${ma.suite}/${ma.name}`);
      continue;
    }
    rows.push({
      suite: ma.suite,
      name: ma.name,
      unit: ma.unit,
      better: ma.better,
      a: summarize(ma.samples),
      b: summarize(mb.samples),
      ratio: compareSamples(ma.samples, mb.samples),
    });
  }
  for (const mb of b.metrics) {
    if (!a.metrics.some((x) => x.suite === mb.suite && x.name === mb.name)) unmatched.push(`${mb.suite}/${mb.name}`);
  }
  return { a, b, rows, unmatched };
}

function fmt(n: number, digits = 3): string {
  return Number.isFinite(n) ? n.toFixed(digits) : 'n/a';
}

function pad(cells: readonly string[], widths: readonly number[]): string {
  return cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
}

/** Formats a comparison as a plain-text table (ratios B/A: min / median / max and the bootstrap interval). */
export function formatComparison(c: Comparison): string {
  const env = (r: BenchResult) => (r.kernel.environment === 'tcg' ? 'TCG, emulated' : r.kernel.environment);
  const head = [
    `A: ${c.a.label} (${env(c.a)}) ${c.a.kernel.procVersion}`,
    `B: ${c.b.label} (${env(c.b)}) ${c.b.kernel.procVersion}`,
    '',
  ];
  const table: string[][] = [['metric', 'unit', 'A median', 'B median', 'B/A min', 'median', 'max', '95% CI', 'n']];
  for (const r of c.rows) {
    table.push([
      `${r.suite}/${r.name}`,
      r.unit,
      fmt(r.a.median, 1),
      fmt(r.b.median, 1),
      fmt(r.ratio.min),
      fmt(r.ratio.median),
      fmt(r.ratio.max),
      `[${fmt(r.ratio.low)}, ${fmt(r.ratio.high)}]`,
      `${r.a.n}/${r.b.n}${r.ratio.paired ? ' paired' : ''}`,
    ]);
  }
  const widths = table[0].map((_, i) => Math.max(...table.map((row) => row[i].length)));
  const lines = [...head, ...table.map((row) => pad(row, widths))];
  if (c.unmatched.length) lines.push('', `only on one side: ${c.unmatched.join(', ')}`);
  return lines.join('\n');
}
