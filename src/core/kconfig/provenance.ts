/**
 * Why a symbol has its value: which user line, default, select, imply or choice set it, and which
 * dependency, visibility or range limited it. Derived from an Evaluation on demand (nothing is recorded
 * while evaluating, so evaluation stays fast); the rules follow sym_calc_value() (symbol.c).
 */
import type { SourceSpan } from '../diag/span.ts';
import type { UserValue } from './assignments.ts';
import type { Evaluation } from './evaluation.ts';
import { ExprKind, type Expr } from './expr.ts';
import type { KconfigSymbol, MenuNode, Property, Tristate } from './model.ts';
import { activeRange } from './symbol-value.ts';

/** What set a value. */
export type ValueSource =
  | { readonly kind: 'user'; readonly value: UserValue; readonly span?: SourceSpan }
  | { readonly kind: 'default'; readonly property: Property; readonly span: SourceSpan }
  | { readonly kind: 'select'; readonly by: readonly KconfigSymbol[]; readonly properties: readonly Property[] }
  | { readonly kind: 'imply'; readonly by: readonly KconfigSymbol[]; readonly properties: readonly Property[] }
  | { readonly kind: 'choice'; readonly choice: MenuNode; readonly selected: boolean }
  | { readonly kind: 'none' };

/** What limited a value. */
export type ValueLimit =
  | { readonly kind: 'visibility'; readonly value: Tristate }
  | { readonly kind: 'dirDep'; readonly value: Tristate; readonly expr: Expr | null; readonly span?: SourceSpan }
  | { readonly kind: 'range'; readonly low: KconfigSymbol; readonly high: KconfigSymbol }
  | { readonly kind: 'modules' };

/** The explanation of one symbol's value. */
export interface Provenance {
  readonly symbol: KconfigSymbol;
  readonly value: string;
  readonly visibility: Tristate;
  readonly source: ValueSource;
  /** Other contributions that raised the value (selects/implies next to a default or user value). */
  readonly also: readonly ValueSource[];
  readonly limits: readonly ValueLimit[];
  /** A user value that did not count, and why ('invisible': no visible prompt). */
  readonly ignoredUser?: { readonly value: UserValue; readonly reason: 'invisible' | 'choice' };
}

/** The symbols of a select/imply reverse dependency whose term is currently non-n. */
export function activeSelectors(ev: Evaluation, rev: Expr | null): KconfigSymbol[] {
  const out: KconfigSymbol[] = [];
  const walk = (e: Expr | null): void => {
    if (!e) return;
    if (e.kind === ExprKind.or) {
      walk(e.a);
      walk(e.b);
      return;
    }
    if (ev.exprValue(e) === 0) return;
    const head = e.kind === ExprKind.and ? e.a : e;
    if (head && head.kind === ExprKind.symbol && head.sym) out.push(head.sym);
  };
  walk(rev);
  return out;
}

/** The active `select`/`imply` lines (on the selectors) that target `sym`, with their spans. */
export function activeReverseProperties(ev: Evaluation, sym: KconfigSymbol, by: readonly KconfigSymbol[], kind: 'select' | 'imply'): Property[] {
  const out: Property[] = [];
  for (const s of by) {
    for (const p of kind === 'select' ? s.selects : s.implies) {
      if (p.target === sym && ev.exprValue(p.visible) !== 0) out.push(p);
    }
  }
  return out;
}

/** Explains `sym`'s value in `ev`. */
export function explain(ev: Evaluation, sym: KconfigSymbol): Provenance {
  const value = ev.value(sym);
  const visibility = ev.visibility(sym);
  const user = ev.userValue(sym);
  const limits: ValueLimit[] = [];
  const also: ValueSource[] = [];
  let source: ValueSource = { kind: 'none' };
  let ignoredUser: Provenance['ignoredUser'];
  const isBool = sym.type === 'bool' || sym.type === 'tristate';
  if (sym.choice && isBool && (ev.model.flavor === 'v6.12' || visibility === 2)) {
    const selected = ev.choiceSelection(sym.choice) === sym;
    source = { kind: 'choice', choice: sym.choice, selected };
    if (user && visibility === 0) ignoredUser = { value: user, reason: 'invisible' };
    return { symbol: sym, value, visibility, source, also, limits, ignoredUser };
  }
  if (user && visibility !== 0) {
    source = { kind: 'user', value: user, span: user.span };
    if (isBool && user.tri > visibility) limits.push({ kind: 'visibility', value: visibility });
  } else {
    if (user) ignoredUser = { value: user, reason: 'invisible' };
    const prop = sym.isChoice ? null : ev.defaultProp(sym);
    if (prop) {
      const v = isBool ? ev.exprValue(prop.expr) : 2;
      if (!isBool || v !== 0) source = { kind: 'default', property: prop, span: prop.span };
    }
    if (isBool) {
      const imp = ev.impliedValue(sym);
      if (imp !== 0) {
        const by = activeSelectors(ev, sym.impliedDep);
        const imply: ValueSource = { kind: 'imply', by, properties: activeReverseProperties(ev, sym, by, 'imply') };
        if (source.kind === 'none') source = imply;
        else also.push(imply);
        const dir = ev.dirDepValue(sym);
        if (dir < imp) limits.push({ kind: 'dirDep', value: dir, expr: sym.dirDep, span: sym.nodes[0]?.span });
      }
    }
  }
  if (isBool) {
    const rev = ev.revDepValue(sym);
    if (rev !== 0) {
      const by = activeSelectors(ev, sym.revDep);
      const select: ValueSource = { kind: 'select', by, properties: activeReverseProperties(ev, sym, by, 'select') };
      const current = ev.tristate(sym);
      if (source.kind === 'none' || (source.kind !== 'user' && rev >= current)) {
        if (source.kind !== 'none') also.push(source);
        source = select;
      } else also.push(select);
    }
    if (sym.type === 'tristate' && ev.modules === 0) limits.push({ kind: 'modules' });
  } else if (sym.type === 'int' || sym.type === 'hex') {
    const range = activeRange(ev, sym);
    if (range) limits.push({ kind: 'range', low: range.low, high: range.high });
  }
  return { symbol: sym, value, visibility, source, also, limits, ignoredUser };
}
