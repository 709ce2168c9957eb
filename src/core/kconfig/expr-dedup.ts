/**
 * expr_eliminate_dups() (expr.c) and the joins it makes (expr_join_or(), expr_join_and()): duplicate and
 * redundant operands of one &&/|| level become one. v6.12's version works bottom-up on immutable expressions;
 * v6.1's rewrites the top level in place, pair by pair, and drops y/n operands only after a join
 * (exprEliminateDupsV61()). menu_finalize() runs it on every dependency it stores.
 */
import { ExprKind, exprCompare, exprSymbol, type Expr } from './expr.ts';
import { exprEliminateYn, exprEq, two, type AndOr, type Count, type ExprConstants } from './expr-transform.ts';
import type { KconfigSymbol } from './model.ts';

// Kinds as module constants: this runs for every menu node, so no namespace reads or closures inside.
const SYMBOL = ExprKind.symbol;
const AND = ExprKind.and;
const OR = ExprKind.or;
const NOT = ExprKind.not;
const EQUAL = ExprKind.equal;
const UNEQUAL = ExprKind.unequal;

function isJoinLeaf(e: Expr): boolean {
  return e.kind === EQUAL || e.kind === UNEQUAL || e.kind === SYMBOL;
}

// The symbol a leaf of expr_join_or()/expr_join_and() is about, or null when the pair cannot be joined.
function joinSymbols(e1: Expr, e2: Expr): KconfigSymbol | null {
  if (!isJoinLeaf(e1) && e1.kind !== NOT) return null;
  if (!isJoinLeaf(e2) && e2.kind !== NOT) return null;
  let sym1: KconfigSymbol;
  if (e1.kind === NOT) {
    if (!isJoinLeaf(e1.a!)) return null;
    sym1 = e1.a!.sym!;
  } else sym1 = e1.sym!;
  let sym2: KconfigSymbol;
  if (e2.kind === NOT) {
    if (e2.a!.kind !== SYMBOL) return null;
    sym2 = e2.a!.sym!;
  } else sym2 = e2.sym!;
  if (sym1 !== sym2) return null;
  if (sym1.type !== 'bool' && sym1.type !== 'tristate') return null;
  return sym1;
}

// True when the right-hand constants of e1 and e2 are p and q, in either order.
function rightPair(e1: Expr, e2: Expr, p: KconfigSymbol, q: KconfigSymbol): boolean {
  return (e1.sym2 === p && e2.sym2 === q) || (e1.sym2 === q && e2.sym2 === p);
}

// True when one of e1, e2 is a plain symbol and the other the comparison `kind` with `right`.
function symbolAndCompare(e1: Expr, e2: Expr, kind: ExprKind, right: KconfigSymbol): boolean {
  return (e1.kind === SYMBOL && e2.kind === kind && e2.sym2 === right) || (e2.kind === SYMBOL && e1.kind === kind && e1.sym2 === right);
}

// Quick exits before the C function's first test, expr_eq(): leaves of different kinds or symbols are unequal
// and, when they are not about one bool/tristate symbol, cannot be joined either.
function cannotJoin(e1: Expr, e2: Expr): boolean {
  return (e1.kind === SYMBOL || e1.kind === EQUAL || e1.kind === UNEQUAL) && (e2.kind === SYMBOL || e2.kind === EQUAL || e2.kind === UNEQUAL) && e1.sym !== e2.sym;
}

// mirrors expr_join_or(): e1 || e2 as one operand, or null.
function joinOr(e1: Expr, e2: Expr, k: ExprConstants): Expr | null {
  if (cannotJoin(e1, e2)) return null;
  if (exprEq(e1, e2, k)) return e1;
  const sym = joinSymbols(e1, e2);
  if (!sym) return null;
  if (sym.type === 'tristate' && e1.kind === EQUAL && e2.kind === EQUAL) {
    if (rightPair(e1, e2, k.yes, k.mod)) return exprCompare(UNEQUAL, sym, k.no);
    if (rightPair(e1, e2, k.yes, k.no)) return exprCompare(UNEQUAL, sym, k.mod);
    if (rightPair(e1, e2, k.mod, k.no)) return exprCompare(UNEQUAL, sym, k.yes);
  }
  // a || !a -> y
  if (
    sym.type === 'bool' &&
    ((e1.kind === NOT && e1.a!.kind === SYMBOL && e2.kind === SYMBOL) || (e2.kind === NOT && e2.a!.kind === SYMBOL && e1.kind === SYMBOL))
  ) {
    return exprSymbol(k.yes);
  }
  return null;
}

// mirrors expr_join_and(): e1 && e2 as one operand, or null.
function joinAnd(e1: Expr, e2: Expr, k: ExprConstants): Expr | null {
  if (cannotJoin(e1, e2)) return null;
  if (exprEq(e1, e2, k)) return e1;
  const sym = joinSymbols(e1, e2);
  if (!sym) return null;
  if (symbolAndCompare(e1, e2, EQUAL, k.yes)) return exprCompare(EQUAL, sym, k.yes); // a && a=y -> a=y
  if (symbolAndCompare(e1, e2, UNEQUAL, k.no)) return exprSymbol(sym); // a && a!=n -> a
  if (symbolAndCompare(e1, e2, UNEQUAL, k.mod)) return exprCompare(EQUAL, sym, k.yes); // a && a!=m -> a=y
  if (sym.type === 'tristate') {
    // a=b && a!=c -> (b=c ? n : a=b), for constant b and c
    if (e1.kind === EQUAL && e2.kind === UNEQUAL && e2.sym2!.isConst && e1.sym2!.isConst) {
      return e1.sym2 !== e2.sym2 ? exprCompare(EQUAL, sym, e1.sym2!) : exprSymbol(k.no);
    }
    if (e1.kind === UNEQUAL && e2.kind === EQUAL && e1.sym2!.isConst && e2.sym2!.isConst) {
      return e2.sym2 !== e1.sym2 ? exprCompare(EQUAL, sym, e2.sym2!) : exprSymbol(k.no);
    }
    if (e1.kind === UNEQUAL && e2.kind === UNEQUAL) {
      if (rightPair(e1, e2, k.yes, k.no)) return exprCompare(EQUAL, sym, k.mod);
      if (rightPair(e1, e2, k.yes, k.mod)) return exprCompare(EQUAL, sym, k.no);
      if (rightPair(e1, e2, k.mod, k.no)) return exprCompare(EQUAL, sym, k.yes);
    }
  }
  return null;
}

// The state of one expr_eliminate_dups1() walk: the right-hand expression as rewritten so far, and the count
// of joins (C's trans_count). The walk returns the new left-hand expression (no pair allocated per step).
interface DupsWalk {
  e2: Expr;
  n: number;
}

// mirrors expr_eliminate_dups1(): every leaf of e1's level against every leaf of e2's level; a joined pair
// leaves the neutral constant on the left and the joined operand on the right.
function eliminateDupsLevel(type: AndOr, e1: Expr, w: DupsWalk, k: ExprConstants): Expr {
  if (e1.kind === type) {
    const l = eliminateDupsLevel(type, e1.a!, w, k);
    const r = eliminateDupsLevel(type, e1.b!, w, k);
    return l === e1.a && r === e1.b ? e1 : two(type, l, r);
  }
  const e2 = w.e2;
  if (e2.kind === type) {
    w.e2 = e2.a!;
    e1 = eliminateDupsLevel(type, e1, w, k);
    const l = w.e2;
    w.e2 = e2.b!;
    e1 = eliminateDupsLevel(type, e1, w, k);
    const r = w.e2;
    w.e2 = l === e2.a && r === e2.b ? e2 : two(type, l, r);
    return e1;
  }
  const joined = type === OR ? joinOr(e1, e2, k) : joinAnd(e1, e2, k);
  if (!joined) return e1;
  w.n++;
  w.e2 = joined;
  return exprSymbol(type === OR ? k.no : k.yes);
}

/**
 * Joins duplicate and redundant operands, bottom-up, until nothing changes (mirrors expr_eliminate_dups()):
 * `A || B || A` → `A || B`, `A && B && A=y` → `A=y && B`.
 * `done` (optional) holds results already known to be deduplicated: the function is idempotent, and the
 * parent dependencies menu_finalize() passes again and again for every child come back at once.
 */
export function exprEliminateDups(e: Expr | null, k: ExprConstants, done?: WeakSet<Expr>): Expr | null {
  if (!e || done?.has(e)) return e;
  const w: DupsWalk = { e2: e, n: 0 };
  do {
    w.n = 0;
    if (e!.kind === AND || e!.kind === OR) {
      const l = exprEliminateDups(e!.a, k, done)!;
      w.e2 = exprEliminateDups(e!.b, k, done)!;
      const l2 = eliminateDupsLevel(e!.kind, l, w, k);
      e = l2 === e!.a && w.e2 === e!.b ? e : two(e!.kind, l2, w.e2);
    }
    e = exprEliminateYn(e, k);
  } while (w.n);
  done?.add(e!);
  return e;
}

/**
 * v6.1's expr_eliminate_dups(): all ordered pairs of operands of the top &&/|| level are tried in place (an
 * operand of the other kind is first deduplicated on its own, each time it is the left one of a pair), and
 * y/n operands are dropped only after a pass that joined something.
 * Gotcha: so `A && y` (a `depends on $(success,…)` that held) stays `A && y` in v6.1, and v6.1's automatic
 * submenu test treats that `y` as one more dependency.
 */
export function exprEliminateDupsV61(e: Expr | null, k: ExprConstants, done?: WeakSet<Expr>): Expr | null {
  if (!e || done?.has(e)) return e;
  const count: Count = { n: 0 };
  // `parent && own`, the parent's part already deduplicated: its operands cannot join among themselves again
  let clean = 0;
  if (done && (e.kind === AND || e.kind === OR) && done.has(e.a!)) clean = levelSize(e.kind, e.a!);
  for (;;) {
    count.n = 0;
    if (e!.kind === AND || e!.kind === OR) e = eliminateDupsInPlace(e!.kind, e!, k, count, clean);
    if (!count.n) {
      done?.add(e!);
      return e;
    }
    e = exprEliminateYn(e, k);
    clean = 0;
  }
}

// One pass of v6.1's expr_eliminate_dups1(type, &e, &e) over the level of `e`: left operand i, right operand j.
// The first `clean` operands come from a deduplicated expression: while neither of two of them has changed in
// this pass, the pair cannot join (the last pass over them joined nothing), so it is skipped.
function eliminateDupsInPlace(type: AndOr, e: Expr, k: ExprConstants, count: Count, clean = 0): Expr {
  const operands: Expr[] = [];
  collectLevel(type, e, operands);
  const n = operands.length;
  const touched = clean > 0 ? new Uint8Array(clean) : null;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (i === j) continue;
      const iClean = i < clean && !touched![i];
      if (iClean && j < clean && !touched![j]) continue;
      let e1 = operands[i];
      if (!iClean && (e1.kind === AND || e1.kind === OR)) {
        operands[i] = e1 = eliminateDupsInPlace(e1.kind, e1, k, count);
      }
      const joined = type === OR ? joinOr(e1, operands[j], k) : joinAnd(e1, operands[j], k);
      if (!joined) continue;
      operands[i] = exprSymbol(type === OR ? k.no : k.yes);
      operands[j] = joined;
      if (i < clean) touched![i] = 1;
      if (j < clean) touched![j] = 1;
      count.n++;
    }
  }
  return rebuildLevel(type, e, operands, { n: 0 });
}

function levelSize(type: AndOr, e: Expr): number {
  return e.kind === type ? levelSize(type, e.a!) + levelSize(type, e.b!) : 1;
}

// The level of `e` again, its operands taken from `operands` in order.
function rebuildLevel(type: AndOr, e: Expr, operands: readonly Expr[], next: Count): Expr {
  if (e.kind !== type) return operands[next.n++];
  const a = rebuildLevel(type, e.a!, operands, next);
  const b = rebuildLevel(type, e.b!, operands, next);
  return a === e.a && b === e.b ? e : two(type, a, b);
}

function collectLevel(type: AndOr, e: Expr, out: Expr[]): void {
  if (e.kind === type) {
    collectLevel(type, e.a!, out);
    collectLevel(type, e.b!, out);
  } else out.push(e);
}

