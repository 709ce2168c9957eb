/**
 * The expression rewrites menu_finalize() applies before it stores dependencies (expr.c): expr_transform(),
 * expr_eliminate_dups(), expr_trans_compare(), expr_eliminate_eq() and expr_eq(). They keep an expression's
 * value but change its shape, and the shape decides the menu tree: the automatic submenu test
 * (expr_depends_symbol() and the dependency-superset test) reads the rewritten expressions.
 * Written after the v6.12 code, where expressions are immutable (hash-consed). expr_eliminate_dups() and the
 * joins it makes are in expr-dedup.ts.
 */
import { ExprKind, exprCompare, exprNot, exprSymbol, type Expr } from './expr.ts';
import type { KconfigSymbol } from './model.ts';

/** The constant symbols the rewrites produce and test for (symbol_yes, symbol_mod, symbol_no). */
export interface ExprConstants {
  readonly yes: KconfigSymbol;
  readonly mod: KconfigSymbol;
  readonly no: KconfigSymbol;
  /** Called when a bool symbol is compared with `m` (C prints "boolean symbol X tested for 'm'? …"). */
  readonly onBoolTestedForM?: (sym: KconfigSymbol, forcedTo: 'n' | 'y') => void;
}

/** The two kinds expr_eliminate_dups()/expr_eliminate_eq() walk. */
export type AndOr = typeof ExprKind.and | typeof ExprKind.or;

// Kinds as module constants: the rewrites run for every menu node, so no namespace reads or closures inside.
const SYMBOL = ExprKind.symbol;
const AND = ExprKind.and;
const OR = ExprKind.or;
const NOT = ExprKind.not;
const EQUAL = ExprKind.equal;
const UNEQUAL = ExprKind.unequal;

/** A binary node (expr_alloc_two()). */
export function two(kind: ExprKind, a: Expr, b: Expr): Expr {
  return { kind, a, b, sym: null, sym2: null };
}

function isConstant(e: Expr, sym: KconfigSymbol): boolean {
  return e.kind === SYMBOL && e.sym === sym;
}

/** True when `e` is y: no expression, or the constant `y` (expr_is_yes()). */
export function exprIsYes(e: Expr | null, k: ExprConstants): boolean {
  return !e || isConstant(e, k.yes);
}

/**
 * Rewrites comparisons of bool symbols and negations (mirrors expr_transform(), expr.c): for a bool A,
 * `A=n` → `!A`, `A=m` → n, `A=y` → A, `A!=n` → A, `A!=m` → y, `A!=y` → `!A`; for any operands `!!A` → A,
 * `!(A=B)` → `A!=B` (and the other comparisons), `!(A || B)` → `!A && !B`, `!(A && B)` → `!A || !B`, `!y` → n,
 * `!m` → m, `!n` → y.
 * Gotcha: v6.12's C builds `A!=y` as a NOT over the symbol itself (a union mix-up); this builds `!A`, what
 * v6.1 and the intent give.
 */
export function exprTransform(e: Expr | null, k: ExprConstants): Expr | null {
  if (!e) return null;
  switch (e.kind) {
    case AND:
    case OR:
      e = two(e.kind, exprTransform(e.a, k)!, exprTransform(e.b, k)!);
      break;
    case NOT:
      e = exprNot(exprTransform(e.a, k)!);
      break;
  }
  switch (e.kind) {
    case EQUAL:
    case UNEQUAL: {
      const sym = e.sym!;
      if (sym.type !== 'bool') return e;
      const equal = e.kind === EQUAL;
      if (e.sym2 === k.no) return equal ? exprNot(exprSymbol(sym)) : exprSymbol(sym);
      if (e.sym2 === k.mod) {
        k.onBoolTestedForM?.(sym, equal ? 'n' : 'y');
        return exprSymbol(equal ? k.no : k.yes);
      }
      if (e.sym2 === k.yes) return equal ? exprSymbol(sym) : exprNot(exprSymbol(sym));
      return e;
    }
    case NOT: {
      const a = e.a!;
      switch (a.kind) {
        case NOT:
          return a.a;
        case EQUAL:
          return exprCompare(UNEQUAL, a.sym!, a.sym2!);
        case UNEQUAL:
          return exprCompare(EQUAL, a.sym!, a.sym2!);
        case ExprKind.lessEqual:
          return exprCompare(ExprKind.greater, a.sym!, a.sym2!);
        case ExprKind.greaterEqual:
          return exprCompare(ExprKind.less, a.sym!, a.sym2!);
        case ExprKind.less:
          return exprCompare(ExprKind.greaterEqual, a.sym!, a.sym2!);
        case ExprKind.greater:
          return exprCompare(ExprKind.lessEqual, a.sym!, a.sym2!);
        case OR:
          return exprTransform(two(AND, exprNot(a.a!), exprNot(a.b!)), k);
        case AND:
          return exprTransform(two(OR, exprNot(a.a!), exprNot(a.b!)), k);
        case SYMBOL:
          if (a.sym === k.yes) return exprSymbol(k.no);
          if (a.sym === k.mod) return exprSymbol(k.mod);
          if (a.sym === k.no) return exprSymbol(k.yes);
          return e;
      }
      return e;
    }
  }
  return e;
}

/** Drops y and n operands: `e && n` → n, `e && y` → e, `e || n` → e, `e || y` → y (mirrors expr_eliminate_yn()). */
export function exprEliminateYn(e: Expr | null, k: ExprConstants): Expr | null {
  if (!e || (e.kind !== AND && e.kind !== OR)) return e;
  const l = exprEliminateYn(e.a, k)!;
  const r = exprEliminateYn(e.b, k)!;
  // AND: n wins, y drops out; OR: y wins, n drops out.
  const absorbing = e.kind === AND ? k.no : k.yes;
  const neutral = e.kind === AND ? k.yes : k.no;
  if (isConstant(l, absorbing)) return l;
  if (isConstant(l, neutral)) return r;
  if (isConstant(r, absorbing)) return r;
  if (isConstant(r, neutral)) return l;
  return l === e.a && r === e.b ? e : two(e.kind, l, r);
}

/** A counter of simplifications (C's trans_count), local to one rewrite (also expr-dedup.ts's). */
export interface Count {
  n: number;
}

// mirrors __expr_eliminate_eq(): equal leaves of the same &&/|| level become y (&&) or n (||) on both sides.
function eliminateEqLevel(type: AndOr, e1: Expr, e2: Expr, k: ExprConstants, count: Count): [Expr, Expr] {
  if (e1.kind === type) {
    const [l, e2a] = eliminateEqLevel(type, e1.a!, e2, k, count);
    const [r, e2b] = eliminateEqLevel(type, e1.b!, e2a, k, count);
    return [two(type, l, r), e2b];
  }
  if (e2.kind === type) {
    const [e1a, l] = eliminateEqLevel(type, e1, e2.a!, k, count);
    const [e1b, r] = eliminateEqLevel(type, e1a, e2.b!, k, count);
    return [e1b, two(type, l, r)];
  }
  if (e1.kind === SYMBOL && e2.kind === SYMBOL && e1.sym === e2.sym && (e1.sym === k.yes || e1.sym === k.no)) {
    return [e1, e2];
  }
  if (!exprEq(e1, e2, k)) return [e1, e2];
  count.n++;
  const c = exprSymbol(type === OR ? k.no : k.yes);
  return [c, c];
}

/**
 * Removes the operands two expressions have in common at the same &&/|| level (mirrors expr_eliminate_eq()):
 * `A && B` against `A && B && C` gives y and C.
 */
export function exprEliminateEq(e1: Expr | null, e2: Expr | null, k: ExprConstants): [Expr | null, Expr | null] {
  if (!e1 || !e2) return [e1, e2];
  const count: Count = { n: 0 };
  if (e1.kind === AND || e1.kind === OR) [e1, e2] = eliminateEqLevel(e1.kind, e1, e2, k, count);
  if (e1.kind !== e2.kind && (e2.kind === AND || e2.kind === OR)) [e1, e2] = eliminateEqLevel(e2.kind, e1, e2, k, count);
  return [exprEliminateYn(e1, k), exprEliminateYn(e2, k)];
}

/**
 * Equality after light simplification (mirrors expr_eq()): &&/|| expressions are equal when every operand of
 * one level equals an operand of the other, in any order.
 */
export function exprEq(e1: Expr | null, e2: Expr | null, k: ExprConstants): boolean {
  if (!e1 || !e2) return exprIsYes(e1, k) && exprIsYes(e2, k);
  if (e1.kind !== e2.kind) return false;
  switch (e1.kind) {
    case SYMBOL:
      return e1.sym === e2.sym;
    case NOT:
      return exprEq(e1.a, e2.a, k);
    case AND:
    case OR: {
      const [x, y] = exprEliminateEq(e1, e2, k);
      return !!x && !!y && x.kind === SYMBOL && y.kind === SYMBOL && x.sym === y.sym;
    }
    default:
      return e1.sym === e2.sym && e1.sym2 === e2.sym2;
  }
}

/**
 * Makes the comparisons with `sym` explicit (mirrors expr_trans_compare(); menu.c uses `!= n`):
 * `A` → `A!=n`, `!A` → `A=n`, `A && B` → `!(A=n || B=n)`, `A || B` → `!(A=n && B=n)`; no expression → `!sym`
 * for `!=` (so y → `!n`).
 */
export function exprTransCompare(e: Expr | null, type: typeof EQUAL | typeof UNEQUAL, sym: KconfigSymbol, k: ExprConstants): Expr {
  if (!e) {
    const s = exprSymbol(sym);
    return type === UNEQUAL ? exprNot(s) : s;
  }
  switch (e.kind) {
    case AND:
    case OR: {
      const e1 = exprTransCompare(e.a, EQUAL, sym, k);
      const e2 = exprTransCompare(e.b, EQUAL, sym, k);
      const keep = e.kind === AND ? AND : OR;
      const flip = e.kind === AND ? OR : AND;
      let out: Expr = e;
      if (sym === k.yes) out = two(keep, e1, e2);
      if (sym === k.no) out = two(flip, e1, e2);
      return type === UNEQUAL ? exprNot(out) : out;
    }
    case NOT:
      return exprTransCompare(e.a, type === EQUAL ? UNEQUAL : EQUAL, sym, k);
    case SYMBOL:
      return exprCompare(type, e.sym!, sym);
    default:
      if (type === EQUAL) {
        if (sym === k.yes) return e;
        if (sym === k.mod) return exprSymbol(k.no);
        if (sym === k.no) return exprNot(e);
      } else {
        if (sym === k.yes) return exprNot(e);
        if (sym === k.mod) return exprSymbol(k.yes);
        if (sym === k.no) return e;
      }
      return e;
  }
}
