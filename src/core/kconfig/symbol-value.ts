/**
 * Questions about one symbol's value that the targets, savedefconfig and the interactive mode ask:
 * string validity, ranges, the default value, changeability (symbol.c).
 */
import { parseCNumber } from './c-number.ts';
import type { Evaluation } from './evaluation.ts';
import type { KconfigSymbol, Tristate } from './model.ts';

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

function isXDigit(c: string | undefined): boolean {
  return c !== undefined && /^[0-9a-fA-F]$/.test(c);
}

/** True when `str` is a valid value for the symbol's type (sym_string_valid()). */
export function isValidString(sym: KconfigSymbol, str: string): boolean {
  switch (sym.type) {
    case 'string':
      return true;
    case 'int': {
      let i = 0;
      let ch = str[i++];
      if (ch === '-') ch = str[i++];
      if (!isDigit(ch)) return false;
      if (ch === '0' && i < str.length) return false;
      for (; i < str.length; i++) if (!isDigit(str[i])) return false;
      return true;
    }
    case 'hex': {
      let i = 0;
      if (str[0] === '0' && (str[1] === 'x' || str[1] === 'X')) i = 2;
      // do { isxdigit(ch) } while: an empty rest fails on the NUL.
      if (i >= str.length) return false;
      for (; i < str.length; i++) if (!isXDigit(str[i])) return false;
      return true;
    }
    case 'bool':
    case 'tristate':
      return 'yYmMnN'.includes(str[0] ?? '\0') && str.length > 0;
    default:
      return false;
  }
}

/** The first range whose condition holds (sym_get_range_prop()). */
export function activeRange(ev: Evaluation, sym: KconfigSymbol): { low: KconfigSymbol; high: KconfigSymbol } | null {
  for (const p of sym.ranges) if (ev.exprValue(p.visible) !== 0) return { low: p.low!, high: p.high! };
  return null;
}

/** True when `val` may be set by the user (sym_tristate_within_range()). */
export function tristateWithinRange(ev: Evaluation, sym: KconfigSymbol, val: Tristate): boolean {
  const type = ev.effectiveType(sym);
  const visible = ev.visibility(sym);
  if (visible === 0) return false;
  if (type !== 'bool' && type !== 'tristate') return false;
  if (type === 'bool' && val === 1) return false;
  const rev = sym.choice && ev.model.flavor === 'v6.12' ? 0 : ev.revDepValue(sym);
  if (visible <= rev) return false;
  if (ev.model.flavor === 'v6.1' && sym.choice && visible === 2) return val === 2;
  return val >= rev && val <= visible;
}

/** True when a string/int/hex value is valid and within range (sym_string_within_range()). */
export function stringWithinRange(ev: Evaluation, sym: KconfigSymbol, str: string): boolean {
  switch (sym.type) {
    case 'string':
      return true;
    case 'int':
    case 'hex': {
      if (!isValidString(sym, str)) return false;
      const range = activeRange(ev, sym);
      if (!range) return true;
      const base = sym.type === 'int' ? 10 : 16;
      const val = parseCNumber(str, base, false).value;
      return val >= ev.rangeValue(range.low, base) && val <= ev.rangeValue(range.high, base);
    }
    case 'bool':
    case 'tristate': {
      const c = str[0];
      if (c === 'y' || c === 'Y') return tristateWithinRange(ev, sym, 2);
      if (c === 'm' || c === 'M') return tristateWithinRange(ev, sym, 1);
      if (c === 'n' || c === 'N') return tristateWithinRange(ev, sym, 0);
      return false;
    }
    default:
      return false;
  }
}

/** True when the user can change the symbol (sym_is_changeable()): visible above what selects force. */
export function isChangeable(ev: Evaluation, sym: KconfigSymbol): boolean {
  if (ev.model.flavor === 'v6.12') {
    if (sym.isChoice) return false;
    const rev = sym.choice ? 0 : ev.revDepValue(sym);
    return ev.visibility(sym) > rev;
  }
  return ev.visibility(sym) > ev.revDepValue(sym);
}

/** The value the symbol would have without a user value (sym_get_string_default()). */
export function stringDefault(ev: Evaluation, sym: KconfigSymbol): string {
  const model = ev.model;
  ev.visibility(sym);
  let val: Tristate = 0;
  let str = '';
  const prop = ev.defaultProp(sym);
  if (prop) {
    if (sym.type === 'bool' || sym.type === 'tristate') {
      const v = ev.exprValue(prop.expr);
      const pv = ev.exprValue(prop.visible);
      val = (v < pv ? v : pv) as Tristate;
    } else if (prop.expr && prop.expr.kind === 0 && prop.expr.sym) {
      str = ev.currVal(prop.expr.sym);
    }
  }
  const rev = sym.choice && model.flavor === 'v6.12' ? 0 : ev.revDepValue(sym);
  if (rev > val) val = rev;
  if (val === 1 && !sym.choice && ev.tristate(model.modules) === 0) val = 2;
  if (sym.type === 'bool' && val === 1) val = 2;
  const imp = sym.choice && model.flavor === 'v6.12' ? 0 : ev.impliedValue(sym);
  if (val < imp) val = imp;
  switch (sym.type) {
    case 'bool':
    case 'tristate':
      return val === 0 ? 'n' : val === 1 ? 'm' : 'y';
    case 'int':
      return model.flavor === 'v6.12' && str === '' ? '0' : str;
    case 'hex':
      return model.flavor === 'v6.12' && str === '' ? '0x0' : str;
    default:
      return str;
  }
}
