// glibc's default rand()/random() (the TYPE_3 additive feedback generator of random_r.c) and the two
// environment variables conf's randconfig reads (KCONFIG_SEED, KCONFIG_PROBABILITY). conf calls srand(seed)
// once and then rand() once per bool/tristate symbol without a value (`rand() % 100`) and once per choice
// (`rand() % cnt`); kfit must draw the same numbers in the same order to write the same .config.

const DEGREE = 31; // TYPE_3: x**31 + x**3 + 1
const SEPARATION = 3;
const DISCARD = DEGREE * 10; // srandom_r() throws away the first 310 outputs

/**
 * A glibc random() stream: the state of `random_r.c`'s TYPE_3 generator, seeded like `srand(seed)`.
 * Gotcha: glibc's rand() is random(), not the ANSI LCG; its outputs are 31-bit non-negative integers.
 */
export class GlibcRandom {
  private readonly state = new Int32Array(DEGREE);
  private front = SEPARATION;
  private rear = 0;

  /** Seeds a new stream as `srand(seed)` does; `seed` is taken modulo 2**32 (C's unsigned int). */
  constructor(seed: number) {
    this.seed(seed);
  }

  /** Re-seeds the stream. Mirrors __srandom_r(), random_r.c (seed 0 is taken as 1). */
  seed(seed: number): void {
    let word = toUint32(seed);
    if (word === 0) word = 1;
    word = word | 0; // state[0] = seed, stored as int32_t
    const state = this.state;
    state[0] = word;
    for (let i = 1; i < DEGREE; i++) {
      // Schrage's method for 16807 * word % 2147483647 without overflow (int32 word, long hi/lo).
      const hi = Math.trunc(word / 127773);
      const lo = word % 127773;
      word = (16807 * lo - 2836 * hi) | 0;
      if (word < 0) word = (word + 2147483647) | 0;
      state[i] = word;
    }
    this.front = SEPARATION;
    this.rear = 0;
    for (let i = 0; i < DISCARD; i++) this.next();
  }

  /** The next value of `rand()`: an integer in [0, 2**31). Mirrors __random_r(), random_r.c. */
  next(): number {
    const state = this.state;
    const sum = (state[this.front] + state[this.rear]) | 0; // uint32_t wrap-around, stored as int32
    state[this.front] = sum;
    const result = (sum >>> 0) >>> 1;
    this.front++;
    this.rear++;
    if (this.front >= DEGREE) this.front = 0;
    else if (this.rear >= DEGREE) this.rear = 0;
    return result;
  }
}

/** Converts a JS number to C's `unsigned int` (modulo 2**32) the way a C assignment does. */
function toUint32(n: number): number {
  if (!Number.isFinite(n)) return 0;
  const t = Math.trunc(n) % 4294967296;
  return t < 0 ? t + 4294967296 : t;
}

/** What glibc's strtol() read from the start of a string: the value and where it stopped. */
export interface StrtolResult {
  value: bigint;
  /** Index of the first character not used (0 when no digits were found, as glibc sets endptr = nptr). */
  end: number;
}

const LONG_MAX = (1n << 63n) - 1n;
const LONG_MIN = -(1n << 63n);

/**
 * C's `strtol(text, &end, base)` on a 64-bit glibc, for base 0 (prefix-detected) and 2–36.
 * Skips leading isspace() characters, takes an optional sign, saturates at LONG_MIN/LONG_MAX.
 * Gotcha: "0x" with no hex digit after it parses as 0 and stops at the "x".
 */
export function strtol(text: string, base: number): StrtolResult {
  let i = 0;
  while (i < text.length && ' \t\n\v\f\r'.includes(text[i])) i++;
  let negative = false;
  if (text[i] === '+' || text[i] === '-') {
    negative = text[i] === '-';
    i++;
  }
  let radix = base;
  const hasHexPrefix = text[i] === '0' && (text[i + 1] === 'x' || text[i + 1] === 'X') && digitOf(text[i + 2], 16) >= 0;
  if ((radix === 0 || radix === 16) && hasHexPrefix) {
    radix = 16;
    i += 2;
  } else if (radix === 0) {
    radix = text[i] === '0' ? 8 : 10;
  }
  const start = i;
  let value = 0n;
  let overflow = false;
  const big = BigInt(radix);
  while (i < text.length) {
    const d = digitOf(text[i], radix);
    if (d < 0) break;
    if (!overflow) {
      value = value * big + BigInt(d);
      if (value > LONG_MAX + 1n) overflow = true;
    }
    i++;
  }
  if (i === start) return { value: 0n, end: 0 };
  if (negative) value = -value;
  if (overflow || value > LONG_MAX) value = negative ? LONG_MIN : LONG_MAX;
  if (value < LONG_MIN) value = LONG_MIN;
  return { value, end: i };
}

function digitOf(ch: string | undefined, radix: number): number {
  if (ch === undefined) return -1;
  const c = ch.charCodeAt(0);
  let d = -1;
  if (c >= 48 && c <= 57) d = c - 48;
  else if (c >= 97 && c <= 122) d = c - 87;
  else if (c >= 65 && c <= 90) d = c - 55;
  return d >= 0 && d < radix ? d : -1;
}

/**
 * The seed conf's randconfig uses for `KCONFIG_SEED`, or undefined when conf would pick a time-based one.
 * Mirrors set_randconfig_seed(), conf.c: `strtol(env, &endp, 0)` accepted only when the whole string parses,
 * then truncated to unsigned int. conf prints it as `KCONFIG_SEED=0x%X`.
 */
export function parseKconfigSeed(env: string | undefined): number | undefined {
  if (env === undefined || env === '') return undefined;
  const { value, end } = strtol(env, 0);
  if (end !== env.length) return undefined;
  return Number(BigInt.asUintN(32, value));
}

/** The line conf prints before a randconfig: `KCONFIG_SEED=0x%X`. */
export function formatKconfigSeed(seed: number): string {
  return `KCONFIG_SEED=0x${(seed >>> 0).toString(16).toUpperCase()}`;
}

/** randconfig's three percentages: bool = y, tristate = y, tristate = m. */
export interface RandconfigProbability {
  /** Percent chance that a bool becomes y (default 50). */
  pby: number;
  /** Percent chance that a tristate becomes y (default 33). */
  pty: number;
  /** Percent chance that a tristate becomes m (default 33). */
  ptm: number;
}

/** Why KCONFIG_PROBABILITY was refused (conf prints `KCONFIG_PROBABILITY: Numerical result out of range`). */
export class KconfigProbabilityError extends Error {
  readonly env: string;

  constructor(env: string) {
    super(`KCONFIG_PROBABILITY: Numerical result out of range (${JSON.stringify(env)})`);
    this.name = 'KconfigProbabilityError';
    this.env = env;
  }
}

/**
 * Parses KCONFIG_PROBABILITY the way conf does. Mirrors the def_random branch of conf_set_all_new_symbols(),
 * conf.c: up to three `strtol(…, 10)` values separated by ':' ("N" = bool y, tristate split in half;
 * "Y:M" = tristate y and m; "B:Y:M"). Gotcha: text that does not parse is read as 0 without moving on, so
 * "abc" gives 0:0:0 rather than an error. Throws KconfigProbabilityError where conf exits 1.
 */
export function parseKconfigProbability(env: string | undefined): RandconfigProbability {
  let pby = 50;
  let pty = 33;
  let ptm = 33;
  const p: number[] = [];
  let rest = env ?? '';
  while (rest !== '') {
    const { value: long, end } = strtol(rest, 10);
    const value = BigInt.asIntN(32, long); // `int tmp = strtol(…)`
    if (value < 0n || value > 100n) throw new KconfigProbabilityError(env ?? '');
    p.push(Number(value));
    rest = rest[end] === ':' ? rest.slice(end + 1) : rest.slice(end);
    if (p.length >= 3) break;
  }
  if (p.length === 1) {
    pby = p[0];
    ptm = Math.trunc(pby / 2);
    pty = pby - ptm;
  } else if (p.length === 2) {
    pty = p[0];
    ptm = p[1];
    pby = pty + ptm;
  } else if (p.length === 3) {
    [pby, pty, ptm] = p;
  }
  if (pty + ptm > 100) throw new KconfigProbabilityError(env ?? '');
  return { pby, pty, ptm };
}
