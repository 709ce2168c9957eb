/**
 * Kconfig expressions (struct expr, scripts/kconfig/expr.h) and tristate logic.
 * Every node has the same shape (kind, a, b, sym, sym2) so the evaluator's calls stay monomorphic.
 */
import type { KconfigSymbol, Tristate } from './model.ts';

/** Expression node kinds (small integers, as the C `enum expr_type`). */
export const ExprKind = {
  symbol: 0,
  and: 1,
  or: 2,
  not: 3,
  equal: 4,
  unequal: 5,
  less: 6,
  lessEqual: 7,
  greater: 8,
  greaterEqual: 9,
} as const;

/** One of the `ExprKind` values. */
export type ExprKind = (typeof ExprKind)[keyof typeof ExprKind];

/** An expression node. `a`/`b` are operands of and/or/not; `sym`/`sym2` the symbols of symbol/compare nodes. */
export interface Expr {
  readonly kind: ExprKind;
  readonly a: Expr | null;
  readonly b: Expr | null;
  readonly sym: KconfigSymbol | null;
  readonly sym2: KconfigSymbol | null;
}

/** Makes a symbol expression (expr_alloc_symbol()). */
export function exprSymbol(sym: KconfigSymbol): Expr {
  return { kind: ExprKind.symbol, a: null, b: null, sym, sym2: null };
}

/** Makes `a && b`; a null operand means "y" and is dropped (expr_alloc_and()). */
export function exprAnd(a: Expr | null, b: Expr | null): Expr | null {
  if (!a) return b;
  if (!b) return a;
  return { kind: ExprKind.and, a, b, sym: null, sym2: null };
}

/** Makes `a || b`; a null operand is dropped (expr_alloc_or()). */
export function exprOr(a: Expr | null, b: Expr | null): Expr | null {
  if (!a) return b;
  if (!b) return a;
  return { kind: ExprKind.or, a, b, sym: null, sym2: null };
}

/** Makes `!a`. */
export function exprNot(a: Expr): Expr {
  return { kind: ExprKind.not, a, b: null, sym: null, sym2: null };
}

/** Makes a comparison `left OP right`. */
export function exprCompare(kind: ExprKind, left: KconfigSymbol, right: KconfigSymbol): Expr {
  return { kind, a: null, b: null, sym: left, sym2: right };
}

/** Tristate AND (min). */
export function triAnd(a: Tristate, b: Tristate): Tristate {
  return a < b ? a : b;
}

/** Tristate OR (max). */
export function triOr(a: Tristate, b: Tristate): Tristate {
  return a > b ? a : b;
}

/** True when `sym` occurs anywhere in `e` (expr_contains_symbol()). */
export function exprContainsSymbol(e: Expr | null, sym: KconfigSymbol): boolean {
  if (!e) return false;
  switch (e.kind) {
    case ExprKind.and:
    case ExprKind.or:
      return exprContainsSymbol(e.a, sym) || exprContainsSymbol(e.b, sym);
    case ExprKind.not:
      return exprContainsSymbol(e.a, sym);
    case ExprKind.symbol:
      return e.sym === sym;
    default:
      return e.sym === sym || e.sym2 === sym;
  }
}

/**
 * True when `e` can only be true if `sym` is, as expr_depends_symbol() sees it: `sym`, `sym && …`, `sym = y`,
 * `sym = m`, `sym != n`. Gotcha: an `||` is never a dependency here, even `(sym && A) || (sym && B)`.
 */
export function exprDependsSymbol(e: Expr | null, sym: KconfigSymbol, yes: KconfigSymbol, mod: KconfigSymbol, no: KconfigSymbol): boolean {
  if (!e) return false;
  switch (e.kind) {
    case ExprKind.and:
      return exprDependsSymbol(e.a, sym, yes, mod, no) || exprDependsSymbol(e.b, sym, yes, mod, no);
    case ExprKind.symbol:
      return e.sym === sym;
    case ExprKind.equal:
      return e.sym === sym && (e.sym2 === yes || e.sym2 === mod);
    case ExprKind.unequal:
      return e.sym === sym && e.sym2 === no;
    default:
      return false;
  }
}

/** Collects every symbol read by `e` into `out` (for the dependents index). */
export function exprSymbols(e: Expr | null, out: Set<KconfigSymbol>): void {
  if (!e) return;
  if (e.sym) out.add(e.sym);
  if (e.sym2) out.add(e.sym2);
  if (e.a) exprSymbols(e.a, out);
  if (e.b) exprSymbols(e.b, out);
}

/** Structural equality of two expressions (same shape, same symbols; see exprEq() for C's expr_eq()). */
export function exprEqual(x: Expr | null, y: Expr | null): boolean {
  if (x === y) return true;
  if (!x || !y || x.kind !== y.kind) return false;
  if (x.sym !== y.sym || x.sym2 !== y.sym2) return false;
  return exprEqual(x.a, y.a) && exprEqual(x.b, y.b);
}

const operatorText: Record<number, string> = { 4: '=', 5: '!=', 6: '<', 7: '<=', 8: '>', 9: '>=' };

/** Formats an expression the way expr_print() does (names, `&&`, `||`, `!`, comparisons, parentheses). */
export function formatExpr(e: Expr | null, symbolName: (s: KconfigSymbol) => string = defaultName): string {
  if (!e) return 'y';
  return print(e, 0, symbolName);
}

function defaultName(s: KconfigSymbol): string {
  return s.isConst && s.name !== 'y' && s.name !== 'm' && s.name !== 'n' ? `"${s.name}"` : s.name || '<choice>';
}

// Precedence as expr_compare_type(): or < and < not/compare < symbol.
function precedence(e: Expr): number {
  switch (e.kind) {
    case ExprKind.or:
      return 1;
    case ExprKind.and:
      return 2;
    case ExprKind.not:
      return 4;
    case ExprKind.symbol:
      return 5;
    default:
      return 3;
  }
}

function print(e: Expr, outer: number, name: (s: KconfigSymbol) => string): string {
  const p = precedence(e);
  let s: string;
  switch (e.kind) {
    case ExprKind.symbol:
      s = name(e.sym!);
      break;
    case ExprKind.not:
      s = `!${print(e.a!, p, name)}`;
      break;
    case ExprKind.and:
      s = `${print(e.a!, p, name)} && ${print(e.b!, p, name)}`;
      break;
    case ExprKind.or:
      s = `${print(e.a!, p, name)} || ${print(e.b!, p, name)}`;
      break;
    default:
      s = `${name(e.sym!)}${operatorText[e.kind]}${name(e.sym2!)}`;
  }
  return p < outer ? `(${s})` : s;
}
