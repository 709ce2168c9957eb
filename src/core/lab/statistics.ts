// Small, dependency-free statistics for benchmark samples: order statistics, spread, and bootstrap
// intervals with a seeded generator (the same inputs always give the same interval).

/** Order statistics of one sample set. */
export interface Summary {
  readonly n: number;
  readonly min: number;
  readonly median: number;
  readonly max: number;
  /** Median absolute deviation relative to the median (0.02 = ±2 %); 0 when n < 2. */
  readonly spread: number;
}

function sorted(values: readonly number[]): number[] {
  return [...values].sort((a, b) => a - b);
}

/** The median of `values` (mean of the two middle values for an even count); NaN when empty. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const s = sorted(values);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** The `q` quantile (0..1) of `values` by linear interpolation between order statistics; NaN when empty. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const s = sorted(values);
  const pos = (s.length - 1) * Math.min(1, Math.max(0, q));
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo] + (s[hi] - s[lo]) * (pos - lo);
}

/** Summarises a sample set: n, min, median, max, and relative median absolute deviation. */
export function summarize(values: readonly number[]): Summary {
  const med = median(values);
  const mad = values.length < 2 ? 0 : median(values.map((v) => Math.abs(v - med)));
  return {
    n: values.length,
    min: values.length ? Math.min(...values) : Number.NaN,
    median: med,
    max: values.length ? Math.max(...values) : Number.NaN,
    spread: med !== 0 && Number.isFinite(med) ? mad / Math.abs(med) : 0,
  };
}

/** A deterministic pseudo-random generator in [0, 1) (mulberry32), so bootstrap results are reproducible. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A B/A comparison of one metric. */
export interface RatioEstimate {
  /** True when samples were paired by index (same count on both sides), false for a ratio of medians. */
  readonly paired: boolean;
  readonly min: number;
  readonly median: number;
  readonly max: number;
  /** Bootstrap percentile interval of the median ratio. */
  readonly low: number;
  readonly high: number;
  /** Confidence level of [low, high], e.g. 0.95. */
  readonly level: number;
}

/** Options for {@link compareSamples}. */
export interface CompareOptions {
  readonly resamples?: number;
  readonly level?: number;
  readonly seed?: number;
}

/**
 * Compares B against A as ratios B/A. With equal counts the samples are paired by index (run i of A with
 * run i of B, as interleaved rounds produce them) and min/median/max are over the per-pair ratios; otherwise
 * min/median/max are of all cross ratios and the central value is median(B)/median(A). The interval is a
 * percentile bootstrap of the median ratio (pairs resampled together when paired).
 */
export function compareSamples(a: readonly number[], b: readonly number[], options: CompareOptions = {}): RatioEstimate {
  const resamples = options.resamples ?? 2000;
  const level = options.level ?? 0.95;
  const random = seededRandom(options.seed ?? 0x6b666974);
  if (a.length === 0 || b.length === 0) {
    return { paired: false, min: NaN, median: NaN, max: NaN, low: NaN, high: NaN, level };
  }
  const paired = a.length === b.length && a.length > 1;
  const boot: number[] = [];
  let min: number;
  let max: number;
  let central: number;
  if (paired) {
    const ratios = a.map((x, i) => b[i] / x);
    min = Math.min(...ratios);
    max = Math.max(...ratios);
    central = median(ratios);
    const pick = new Array<number>(ratios.length);
    for (let r = 0; r < resamples; r++) {
      for (let i = 0; i < ratios.length; i++) pick[i] = ratios[Math.floor(random() * ratios.length)];
      boot.push(median(pick));
    }
  } else {
    min = Math.min(...b) / Math.max(...a);
    max = Math.max(...b) / Math.min(...a);
    central = median(b) / median(a);
    const pa = new Array<number>(a.length);
    const pb = new Array<number>(b.length);
    for (let r = 0; r < resamples; r++) {
      for (let i = 0; i < a.length; i++) pa[i] = a[Math.floor(random() * a.length)];
      for (let i = 0; i < b.length; i++) pb[i] = b[Math.floor(random() * b.length)];
      boot.push(median(pb) / median(pa));
    }
  }
  const tail = (1 - level) / 2;
  return { paired, min, median: central, max, low: quantile(boot, tail), high: quantile(boot, 1 - tail), level };
}
