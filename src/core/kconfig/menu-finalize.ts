/**
 * menu_finalize() of menu.c on the model being built: dependency propagation to nodes and properties
 * (with `m` rewritten to `m && MODULES`, then expr_transform() and expr_eliminate_dups() as C does, see
 * expr-transform.ts and expr-dedup.ts), select/imply reverse dependencies, automatic submenus, `if`
 * flattening, and the 6.1 choice handling (choice values, tristate choices, the `m` reverse dependency).
 */
import {
  ExprKind,
  exprAnd,
  exprCompare,
  exprContainsSymbol,
  exprDependsSymbol,
  exprNot,
  exprOr,
  exprSymbol,
  type Expr,
} from './expr.ts';
import { exprEliminateDups, exprEliminateDupsV61 } from './expr-dedup.ts';
import { exprEliminateEq, exprIsYes, exprTransCompare, exprTransform, type ExprConstants } from './expr-transform.ts';
import type { KconfigSymbol } from './model.ts';
import type { Builder, Node, Prop, Sym } from './model-builder.ts';

// mirrors rewrite_m(), menu.c: `m` becomes `m && MODULES`. Unchanged subtrees are shared, not copied.
function rewriteM(b: Builder, e: Expr | null): Expr | null {
  if (!e) return e;
  switch (e.kind) {
    case ExprKind.not: {
      const a = rewriteM(b, e.a)!;
      return a === e.a ? e : exprNot(a);
    }
    case ExprKind.and:
    case ExprKind.or: {
      const a = rewriteM(b, e.a);
      const c = rewriteM(b, e.b);
      return a === e.a && c === e.b ? e : { kind: e.kind, a, b: c, sym: null, sym2: null };
    }
    case ExprKind.symbol:
      if (e.sym === (b.mod as unknown as KconfigSymbol)) return exprAnd(e, exprSymbol(b.modules as unknown as KconfigSymbol));
      return e;
    default:
      return e;
  }
}

function symExpr(s: Sym): Expr {
  return exprSymbol(s as unknown as KconfigSymbol);
}

/** Finalizes `parent` and everything below it (mirrors menu_finalize() / _menu_finalize()). */
export function finalize(b: Builder, parent: Node, insideChoice: boolean): void {
  const sym = parent.sym;
  const v61 = b.flavor === 'v6.1';
  if (parent.firstChild) {
    let parentDep = parent.dep;
    if (v61 && sym && sym.isChoice) {
      if (sym.type === 'unknown') {
        for (let m: Node | null = parent.firstChild; m; m = m.next) {
          if (m.sym && m.sym.type !== 'unknown') {
            b.setType(parent, m.sym.type, parent.span);
            break;
          }
        }
      }
      for (let m: Node | null = parent.firstChild; m; m = m.next) {
        if (m.sym && m.sym.type === 'unknown') b.setType(m, sym.type, m.span);
      }
      parentDep = symExpr(sym);
    }
    const k = constants(b);
    const dups = v61 ? exprEliminateDupsV61 : exprEliminateDups;
    for (let m: Node | null = parent.firstChild; m; m = m.next) {
      const baseDep = dups(exprAnd(parentDep, exprTransform(rewriteM(b, m.dep), k)), k, b.dedupedExprs);
      m.dep = baseDep;
      const props: readonly Prop[] = m.sym ? m.sym.properties : m.prompt ? [m.prompt] : [];
      for (const prop of props) {
        if (prop.node !== m) continue;
        const dep = dups(exprAnd(baseDep, exprTransform(rewriteM(b, prop.visible), k)), k, b.dedupedExprs);
        prop.visible = dep;
        if (prop.kind === 'select') {
          const es = prop.target!;
          es.revDep = exprOr(es.revDep, exprAnd(symExpr(m.sym!), dep));
        } else if (prop.kind === 'imply') {
          const es = prop.target!;
          es.impliedDep = exprOr(es.impliedDep, exprAnd(symExpr(m.sym!), dep));
        }
      }
    }
    const childInsideChoice = !!(sym && sym.isChoice);
    for (let m: Node | null = parent.firstChild; m; m = m.next) finalize(b, m, childInsideChoice);
  } else if (sym && (v61 || !insideChoice)) {
    autoSubmenu(b, parent, sym);
    sym.dirDep = exprOr(sym.dirDep, parent.dep);
  }
  for (let m: Node | null = parent.firstChild; m; m = m.next) {
    if (v61 && sym && sym.isChoice && m.sym && !m.sym.choice) {
      m.sym.choice = parent;
      if (sym.type === 'tristate' && m.sym.type !== 'tristate') {
        const base = exprCompare(ExprKind.equal, sym as unknown as KconfigSymbol, b.yes as unknown as KconfigSymbol);
        m.dep = exprAnd(base, m.dep);
        for (const prop of m.sym.properties) if (prop.node === m) prop.visible = exprAnd(base, prop.visible);
      }
      parent.choiceMembers.push(m.sym);
    }
    // Flatten `if` blocks and undo submenus below promptless symbols.
    if (m.firstChild && !m.prompt) {
      let lastChild = m.firstChild;
      for (;;) {
        lastChild.parent = parent;
        if (!lastChild.next) break;
        lastChild = lastChild.next;
      }
      lastChild.next = m.next;
      m.next = m.firstChild;
      m.firstChild = null;
    }
  }
  if (sym && sym.type === 'unknown' && !sym.isConst && !(sym.nodes[0] !== parent)) {
    b.warn(parent.span, 'config symbol defined without type');
  }
  // v6.1: non-optional choices get `<visibility> && m` as a reverse dependency.
  if (v61 && sym && !sym.isOptional && parent.prompt) {
    sym.revDep = exprOr(sym.revDep, exprAnd(parent.prompt.visible, symExpr(b.mod)));
  }
}

// The expression constants of the model being built; bool-compared-with-m warnings go to its diagnostics.
function constants(b: Builder): ExprConstants {
  return (b.exprConstants ??= {
    yes: b.yes as unknown as KconfigSymbol,
    mod: b.mod as unknown as KconfigSymbol,
    no: b.no as unknown as KconfigSymbol,
    onBoolTestedForM: (sym, forcedTo) => b.warn(b.root.span, `boolean symbol ${sym.name} tested for 'm'? test forced to '${forcedTo}'`),
  });
}

// The automatic submenu of menu_finalize(): following entries that depend on `sym` become its children.
function autoSubmenu(b: Builder, parent: Node, sym: Sym): void {
  const s = sym as unknown as KconfigSymbol;
  const k = constants(b);
  const dups = b.flavor === 'v6.1' ? exprEliminateDupsV61 : exprEliminateDups;
  let baseDep: Expr | null | undefined;
  let lastMenu: Node | null = null;
  for (let menu = parent.next; menu; menu = menu.next) {
    let dep = menu.prompt ? menu.prompt.visible : menu.dep;
    if (!exprContainsSymbol(dep, s)) break;
    if (!exprDependsSymbol(dep, s, k.yes, k.mod, k.no)) {
      // Superset test: the entry's dependencies contain sym's prompt condition, e.g. `(sym || Q) && R` when
      // sym depends on R. Both sides as explicit `!= n` comparisons, common operands eliminated.
      baseDep ??= dups(exprTransform(exprTransCompare(parent.prompt ? parent.prompt.visible : null, ExprKind.unequal, k.no, k), k), k, b.dedupedExprs);
      dep = dups(exprTransform(exprTransCompare(dep, ExprKind.unequal, k.no, k), k), k, b.dedupedExprs);
      if (!exprIsYes(exprEliminateEq(dep, baseDep, k)[1], k)) break;
    }
    finalize(b, menu, false);
    menu.parent = parent;
    lastMenu = menu;
  }
  if (lastMenu) {
    parent.firstChild = parent.next;
    parent.next = lastMenu.next;
    lastMenu.next = null;
  }
}
