/**
 * The C library's strtoll()/strtoull() as the Kconfig C code uses them (expr.c, symbol.c): leading
 * whitespace, a sign, an optional 0x prefix for base 16 (and base 0), clamping on overflow.
 */

/** The result of parsing a number prefix: the value, where parsing stopped, and whether it overflowed. */
export interface CNumber {
  readonly value: bigint;
  /** Index just after the last digit consumed (0 when nothing was parsed, as C sets `endptr = str`). */
  readonly end: number;
  readonly overflow: boolean;
}

const LLONG_MAX = (1n << 63n) - 1n;
const LLONG_MIN = -(1n << 63n);
const ULLONG_MAX = (1n << 64n) - 1n;

function digitValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 122) return c - 87;
  if (c >= 65 && c <= 90) return c - 55;
  return 99;
}

function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

/** Parses like strtoll (`unsigned` false) or strtoull (`unsigned` true) with `base` 0, 10 or 16. */
export function parseCNumber(str: string, base: number, unsigned: boolean): CNumber {
  let i = 0;
  while (i < str.length && isSpace(str.charCodeAt(i))) i++;
  let negative = false;
  if (str[i] === '+' || str[i] === '-') {
    negative = str[i] === '-';
    i++;
  }
  if ((base === 0 || base === 16) && str[i] === '0' && (str[i + 1] === 'x' || str[i + 1] === 'X') && digitValue(str.charCodeAt(i + 2)) < 16) {
    i += 2;
    base = 16;
  } else if (base === 0) {
    base = str[i] === '0' ? 8 : 10;
  }
  const start = i;
  let value = 0n;
  const b = BigInt(base);
  while (i < str.length) {
    const d = digitValue(str.charCodeAt(i));
    if (d >= base) break;
    value = value * b + BigInt(d);
    i++;
  }
  if (i === start) return { value: 0n, end: 0, overflow: false };
  let overflow = false;
  if (unsigned) {
    if (value > ULLONG_MAX) {
      overflow = true;
      value = ULLONG_MAX;
    } else if (negative) value = (ULLONG_MAX + 1n - value) & ULLONG_MAX;
  } else {
    if (negative) value = -value;
    if (value > LLONG_MAX) {
      overflow = true;
      value = LLONG_MAX;
    } else if (value < LLONG_MIN) {
      overflow = true;
      value = LLONG_MIN;
    }
  }
  return { value, end: i, overflow };
}

/** strtoll(str, NULL, base) as a bigint. */
export function strtoll(str: string, base: number): bigint {
  return parseCNumber(str, base, false).value;
}

/** Reinterprets a signed 64-bit value as unsigned (the C union of expr_parse_string()). */
export function toUnsigned64(v: bigint): bigint {
  return v < 0n ? v + (1n << 64n) : v;
}
