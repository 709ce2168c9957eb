/**
 * How comparisons (`A < B`, `A = "x"`) read symbol values: expr_parse_string() of expr.c, which takes a
 * value as a number when it parses completely in the symbol's base, and as a string otherwise.
 */
import { parseCNumber } from './c-number.ts';
import type { SymbolType } from './model.ts';

/** A number parsed from a symbol's value for a comparison. */
export interface ParsedNumber {
  readonly value: bigint;
  readonly unsigned: boolean;
}

// mirrors expr_parse_string(): null means "compare as strings".
export function parseForCompare(str: string, type: SymbolType): ParsedNumber | null {
  switch (type) {
    case 'bool':
    case 'tristate':
      return { value: str === 'n' ? 0n : str === 'm' ? 1n : str === 'y' ? 2n : -1n, unsigned: false };
    case 'int': {
      const r = parseCNumber(str, 10, false);
      return validNumber(str, r.end, r.overflow) ? { value: r.value, unsigned: false } : null;
    }
    case 'hex': {
      const r = parseCNumber(str, 16, true);
      return validNumber(str, r.end, r.overflow) ? { value: r.value, unsigned: true } : null;
    }
    default: {
      const r = parseCNumber(str, 0, false);
      return validNumber(str, r.end, r.overflow) ? { value: r.value, unsigned: false } : null;
    }
  }
}

function validNumber(str: string, end: number, overflow: boolean): boolean {
  if (overflow || end === 0 || end !== str.length) return false;
  const c = str.charCodeAt(end - 1);
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
}

