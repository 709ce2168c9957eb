/**
 * "Why is X set (or not set)?" with the whole chain: a symbol's value, where it is defined, its menu path,
 * what set it (user line, default, select/imply, choice), what limits it (dependencies with the value of
 * every part, prompt visibility, range, MODULES=n), what blocks it when it is n, and then the same for its
 * selectors and blockers, to a depth. Built on provenance.ts's explain(); expressions are printed as conf's
 * help screens print them (symbol-help.ts formatHelpExpr()), so the facts read like menuconfig's help.
 */
import type { Evaluation } from './evaluation.ts';
import { ExprKind, type Expr } from './expr.ts';
import { findSymbol, type KconfigSymbol, type MenuNode, type Property, type SymbolType, type Tristate } from './model.ts';
import { explain, type ValueLimit, type ValueSource } from './provenance.ts';
import { formatHelpExpr } from './symbol-help.ts';

const TRI = ['n', 'm', 'y'] as const;

/** `n`, `m` or `y`. */
export type TristateText = (typeof TRI)[number];

/** Where a user value came from, when the caller knows better than the .config line (NixOS: the dialogue and the Nix file). */
export interface UserOrigin {
  /** One sentence, e.g. `generate-config.pl answered y (explicit answer: set to y in common-config.nix)`. */
  readonly text: string;
  /** The same as data, for --json. */
  readonly details?: Readonly<Record<string, string | number | boolean | null>>;
}

/** Options of {@link explainWhy}. */
export interface WhyOptions {
  /** How many levels of selectors' and blockers' own reasons to follow (default 3). */
  readonly depth?: number;
  /** Describes a symbol's user value (replaces "user line FILE:LINE"). */
  readonly userOrigin?: (sym: KconfigSymbol) => UserOrigin | undefined;
  /** The value the caller wanted for a symbol (NixOS: the answer), to explain what blocks it. */
  readonly wanted?: (sym: KconfigSymbol) => string | undefined;
  /** Where the wanted value comes from (NixOS: the answer line and its Nix file), shown with the symbol. */
  readonly answer?: (sym: KconfigSymbol) => string | undefined;
}

/** One `select`/`imply` term that is on: `SELECTOR [=y] && COND [=y]`. */
export interface WhySelector {
  readonly name: string;
  readonly value: string;
  /** The whole reverse-dependency term, with values (as conf's "Selected by [y]" lines). */
  readonly term: string;
  readonly termValue: TristateText;
  /** `file:line` of the select/imply line, when it is active. */
  readonly at?: string;
  /** The `if` condition of that line with values, when it has one. */
  readonly condition?: string;
}

/** What set a value. */
export type WhySource =
  | { readonly kind: 'user'; readonly value: string; readonly at?: string; readonly origin?: UserOrigin }
  | { readonly kind: 'default'; readonly at: string; readonly expr: string; readonly condition?: string; readonly conditionValue?: TristateText }
  | { readonly kind: 'select' | 'imply'; readonly by: readonly WhySelector[] }
  | { readonly kind: 'choice'; readonly choice: string; readonly at: string; readonly selected: string | null; readonly isSelected: boolean; readonly how: string }
  | { readonly kind: 'none' };

/** What limits a value. */
export type WhyLimit =
  | { readonly kind: 'depends'; readonly expr: string; readonly value: TristateText }
  | { readonly kind: 'visibility'; readonly expr: string; readonly value: TristateText }
  | { readonly kind: 'range'; readonly low: string; readonly high: string }
  | { readonly kind: 'modules'; readonly modules: string }
  | { readonly kind: 'no-prompt' };

/** One part of a condition that keeps it below what is needed, and what it would need. */
export interface WhyBlocker {
  /** The part with values (`RUST [=n]`, `!MODVERSIONS [=y]`, `RUSTC_VERSION [=0]>=108100`). */
  readonly part: string;
  /** The symbols in it that have definitions. */
  readonly symbols: readonly string[];
  /** What would have to hold (`RUST=y`, `MODVERSIONS=n`, `RUSTC_VERSION>=108100`). */
  readonly needs: string;
}

/** Why a symbol is n (or lower than wanted) and what would have to change. */
export interface WhyBlock {
  /** The value that was wanted (the answer, or "y or m"). */
  readonly wanted: string;
  /**
   * Which condition blocks: the dependencies, the prompt's visibility, no prompt, active selects (for a value
   * wanted lower), or nothing (the value chosen).
   */
  readonly by: 'depends' | 'visibility' | 'no-prompt' | 'selected' | 'chosen';
  readonly expr?: string;
  readonly parts: readonly WhyBlocker[];
}

/** The explanation of one symbol, with its causes explained in turn. */
export interface SymbolWhy {
  readonly name: string;
  /** False for a name this tree (this arch) does not define: nothing else is set then. */
  readonly present: boolean;
  /** True when the symbol was already explained higher in the chain (nothing else is set then). */
  readonly repeated?: boolean;
  readonly type?: SymbolType;
  readonly value?: string;
  /** False when the symbol is not written to .config (shown as "missing"). */
  readonly written?: boolean;
  readonly prompt?: string | null;
  /** Each definition: `file:line` and its dependencies with values (as conf's "Defined at" and "Depends on"). */
  readonly definitions?: readonly { readonly at: string; readonly depends?: string }[];
  /** Menu path, outermost first (menuconfig's "Location:"). */
  readonly location?: readonly string[];
  readonly visibility?: TristateText;
  readonly set?: WhySource;
  readonly also?: readonly WhySource[];
  readonly limits?: readonly WhyLimit[];
  /** Every active select term (conf's "Selected by [y]" and "[m]"), whatever set the value. */
  readonly selectedBy?: readonly WhySelector[];
  readonly impliedBy?: readonly WhySelector[];
  readonly blocked?: WhyBlock;
  /** Where the wanted value comes from (NixOS: the answer and its Nix file). */
  readonly answer?: string;
  /** A user value that did not count. */
  readonly ignoredUser?: { readonly value: string; readonly at?: string; readonly reason: 'invisible' | 'choice' };
  /** The selectors' and blockers' explanations. */
  readonly causes?: readonly SymbolWhy[];
}

const at = (span: { file: string; line: number } | undefined): string => (span ? `${span.file}:${span.line}` : '?');

/** The OR terms of a reverse dependency that are not n, as conf's "Selected by [y]/[m]" lists them (expr_print_revdep()). */
export function activeTerms(ev: Evaluation, sym: KconfigSymbol, rev: Expr | null, kind: 'select' | 'imply'): WhySelector[] {
  const out: WhySelector[] = [];
  const todo: Expr[] = rev ? [rev] : [];
  while (todo.length > 0) {
    const e = todo.pop()!;
    if (e.kind === ExprKind.or) {
      todo.push(e.b!, e.a!);
      continue;
    }
    const v = ev.exprValue(e);
    if (v === 0) continue;
    const head = e.kind === ExprKind.and ? e.a! : e;
    const by = head.kind === ExprKind.symbol ? head.sym : null;
    const prop = by ? (kind === 'select' ? by.selects : by.implies).find((p) => p.target === sym && ev.exprValue(p.visible) !== 0) : undefined;
    out.push({
      name: by?.name ?? formatHelpExpr(ev, head),
      value: by ? ev.value(by) : TRI[v],
      term: formatHelpExpr(ev, e),
      termValue: TRI[v],
      ...(prop ? { at: at(prop.span) } : {}),
      ...(prop?.condition ? { condition: formatHelpExpr(ev, prop.condition) } : {}),
    });
  }
  return out;
}

// mirrors diagnosis.ts blockingSymbols(): the leaf parts of `e` that keep it below `need`, with what each needs
function blockers(ev: Evaluation, e: Expr | null, need: Tristate, out: WhyBlocker[]): WhyBlocker[] {
  if (!e || ev.exprValue(e) >= need) return out;
  const named = (...syms: (KconfigSymbol | null | undefined)[]) => syms.filter((s): s is KconfigSymbol => !!s && !s.isConst && s.nodes.length > 0).map((s) => s.name);
  switch (e.kind) {
    case ExprKind.and:
    case ExprKind.or:
      blockers(ev, e.a, need, out);
      blockers(ev, e.b, need, out);
      break;
    case ExprKind.not: {
      const inner = e.a!;
      const syms = inner.kind === ExprKind.symbol ? named(inner.sym) : named(inner.sym, inner.sym2);
      const needs = inner.kind === ExprKind.symbol ? `${inner.sym!.name}=n` : `!(${formatHelpExpr(ev, inner).replace(/ \[=[^\]]*\]/g, '')})`;
      out.push({ part: formatHelpExpr(ev, e), symbols: syms, needs });
      break;
    }
    case ExprKind.symbol: {
      const s = e.sym!;
      out.push({ part: formatHelpExpr(ev, e), symbols: named(s), needs: `${s.name}=${need === 2 ? 'y' : 'm or y'}` });
      break;
    }
    default:
      out.push({ part: formatHelpExpr(ev, e), symbols: named(e.sym, e.sym2), needs: formatHelpExpr(ev, e).replace(/ \[=[^\]]*\]/g, '') });
  }
  return out;
}

/** The menu path of a node, outermost first, as menuconfig's "Location:" (get_prompt_str(), menu.c). */
export function menuLocation(ev: Evaluation, node: MenuNode): string[] {
  const out: string[] = [];
  for (let m = node.parent; m && m !== ev.model.root; m = m.parent) {
    const text = m.prompt ? m.prompt.text : (m.sym?.name ?? '');
    if (m.kind === 'if' || text === '') continue;
    out.unshift(m.sym ? `${text} (${m.sym.name || '<choice>'} [=${ev.value(m.sym)}])` : text);
  }
  return out;
}

function defaultText(ev: Evaluation, prop: Property): WhySource {
  const cond = prop.condition;
  return {
    kind: 'default',
    at: at(prop.span),
    // a constant alone (`default y`, `default 250`) without conf's ` [=y]`
    expr: prop.expr && prop.expr.kind === ExprKind.symbol && prop.expr.sym!.isConst ? prop.expr.sym!.name : formatHelpExpr(ev, prop.expr),
    ...(cond ? { condition: formatHelpExpr(ev, cond), conditionValue: TRI[ev.exprValue(cond)] } : {}),
  };
}

function sourceOf(ev: Evaluation, sym: KconfigSymbol, s: ValueSource, options: WhyOptions): WhySource {
  switch (s.kind) {
    case 'user': {
      const origin = options.userOrigin?.(sym);
      return { kind: 'user', value: ev.value(sym), ...(s.span ? { at: at(s.span) } : {}), ...(origin ? { origin } : {}) };
    }
    case 'default':
      return defaultText(ev, s.property);
    case 'select':
      return { kind: 'select', by: activeTerms(ev, sym, sym.revDep, 'select') };
    case 'imply':
      return { kind: 'imply', by: activeTerms(ev, sym, sym.impliedDep, 'imply') };
    case 'choice': {
      const choice = s.choice;
      const selected = ev.choiceSelection(choice);
      let how = 'no member is visible';
      const user = selected ? ev.userValue(selected) : undefined;
      const origin = selected && user && user.tri === 2 ? options.userOrigin?.(selected) : undefined;
      if (origin) how = origin.text;
      else if (selected && user && user.tri === 2) how = `${selected.name}=y is the user's choice${user.span ? ` (${at(user.span)})` : ''}`;
      else if (selected) {
        const def = ev.choiceDefault(choice);
        const prop = choice.sym?.defaults.find((p) => ev.exprValue(p.visible) !== 0 && p.expr?.sym === def);
        how = def === selected ? (prop ? `the choice's default (${at(prop.span)})` : 'the first visible member (no default applies)') : 'conf chose it (no user value, the default is not visible)';
      }
      return { kind: 'choice', choice: choice.prompt?.text ?? '<choice>', at: at(choice.span), selected: selected?.name ?? null, isSelected: s.selected, how };
    }
    default: {
      // explain() names no source for a bool default that is n; say which default gave n
      const prop = sym.isChoice ? null : ev.defaultProp(sym);
      return prop ? defaultText(ev, prop) : { kind: 'none' };
    }
  }
}

function limitOf(ev: Evaluation, sym: KconfigSymbol, l: ValueLimit): WhyLimit | null {
  switch (l.kind) {
    case 'range':
      return { kind: 'range', low: ev.value(l.low), high: ev.value(l.high) };
    case 'modules':
      return { kind: 'modules', modules: `${ev.model.modules.name} [=${ev.value(ev.model.modules)}]` };
    default:
      return null; // dependencies and visibility are stated below, for every symbol
  }
}

/** Explains `names` in `ev`: each symbol, then its selectors and blockers up to `options.depth` levels, none twice. */
export function explainWhy(ev: Evaluation, names: readonly string[], options: WhyOptions = {}): SymbolWhy[] {
  const seen = new Set<string>();
  return names.map((n) => explainOne(ev, n, options.depth ?? 3, seen, options));
}

function explainOne(ev: Evaluation, name: string, depth: number, seen: Set<string>, options: WhyOptions): SymbolWhy {
  if (seen.has(name)) return { name, present: true, repeated: true };
  seen.add(name);
  const sym = findSymbol(ev.model, name);
  if (!sym || sym.isConst || sym.nodes.length === 0) return { name, present: false };
  const p = explain(ev, sym);
  const isBool = sym.type === 'bool' || sym.type === 'tristate';
  const limits: WhyLimit[] = [];
  for (const l of p.limits) {
    const w = limitOf(ev, sym, l);
    if (w) limits.push(w);
  }
  const dir = ev.dirDepValue(sym);
  if (sym.dirDep) limits.unshift({ kind: 'depends', expr: formatHelpExpr(ev, sym.dirDep), value: TRI[dir] });
  const prompt = sym.prompts[0] ?? null;
  if (!prompt) limits.push({ kind: 'no-prompt' });
  else if (prompt.visible && p.visibility < dir) limits.push({ kind: 'visibility', expr: formatHelpExpr(ev, prompt.visible), value: TRI[p.visibility] });
  const selectedBy = isBool ? activeTerms(ev, sym, sym.revDep, 'select') : [];
  const impliedBy = isBool ? activeTerms(ev, sym, sym.impliedDep, 'imply') : [];
  const blocked = blockOf(ev, sym, options);
  const userText = (u: { tri: Tristate; str: string }) => (isBool ? TRI[u.tri] : u.str);
  const user = p.ignoredUser && userText(p.ignoredUser.value) !== ev.value(sym) ? p.ignoredUser : undefined;
  const answer = options.answer?.(sym);
  const out: SymbolWhy = {
    name,
    present: true,
    type: sym.type,
    value: ev.value(sym),
    written: ev.isWritten(sym),
    prompt: prompt?.text ?? null,
    definitions: sym.nodes.map((n) => {
      const dep = n.dep && !(n.dep.kind === ExprKind.symbol && n.dep.sym === ev.model.yes) ? formatHelpExpr(ev, n.dep) : undefined;
      return { at: at(n.span), ...(dep ? { depends: dep } : {}) };
    }),
    location: menuLocation(ev, (sym.nodes.find((n) => n.prompt) ?? sym.nodes[0])),
    visibility: TRI[p.visibility],
    set: sourceOf(ev, sym, p.source, options),
    also: p.also.map((s) => sourceOf(ev, sym, s, options)),
    limits,
    selectedBy,
    impliedBy,
    ...(blocked ? { blocked } : {}),
    ...(answer ? { answer } : {}),
    ...(user ? { ignoredUser: { value: userText(user.value), ...(user.value.span ? { at: at(user.value.span) } : {}), reason: user.reason } } : {}),
  };
  if (depth <= 0) return out;
  // the causes: active selectors/impliers of what set the value, then the blockers' symbols
  const next: string[] = [];
  for (const s of [out.set!, ...out.also!]) if (s.kind === 'select' || s.kind === 'imply') for (const b of s.by) next.push(b.name);
  if (blocked) for (const b of blocked.parts) next.push(...b.symbols);
  const causes: SymbolWhy[] = [];
  for (const n of new Set(next)) if (findSymbol(ev.model, n)) causes.push(explainOne(ev, n, depth - 1, seen, options));
  return { ...out, causes };
}

// What keeps a symbol below the value wanted (the caller's, else: anything but n for an n bool/tristate).
function blockOf(ev: Evaluation, sym: KconfigSymbol, options: WhyOptions): WhyBlock | undefined {
  const isBool = sym.type === 'bool' || sym.type === 'tristate';
  const user = ev.userValue(sym);
  const wantedText = options.wanted ? options.wanted(sym) : user && isBool && user.tri !== ev.tristate(sym) ? TRI[user.tri] : undefined;
  if (!isBool) {
    if (wantedText === undefined || wantedText === ev.value(sym) || ev.isWritten(sym)) return undefined;
    const parts = blockers(ev, sym.dirDep, 1, []);
    return { wanted: wantedText, by: 'depends', expr: formatHelpExpr(ev, sym.dirDep), parts };
  }
  const want: Tristate = wantedText === undefined ? 1 : wantedText === 'y' ? 2 : wantedText === 'm' ? 1 : 0;
  const cur = ev.tristate(sym);
  if (sym.choice) return undefined;
  if (wantedText !== undefined && want < cur && ev.revDepValue(sym) > want) {
    // held up by select (sym_calc_value(): the value is at least rev_dep): every active selector would have to drop
    const parts = activeTerms(ev, sym, sym.revDep, 'select').filter((t) => (t.termValue === 'y' ? 2 : 1) > want).map((t) => ({ part: t.term, symbols: [t.name], needs: `${t.name}=${want === 1 ? 'm or n' : 'n'}` }));
    return { wanted: wantedText, by: 'selected', parts };
  }
  if (want === 0 || cur >= want) return undefined;
  const wanted = wantedText ?? 'y or m';
  if (ev.dirDepValue(sym) < want) return { wanted, by: 'depends', expr: formatHelpExpr(ev, sym.dirDep), parts: blockers(ev, sym.dirDep, want, []) };
  const prompt = sym.prompts[0];
  if (!prompt) return { wanted, by: 'no-prompt', parts: [] };
  if (ev.visibility(sym) < want) return { wanted, by: 'visibility', expr: formatHelpExpr(ev, prompt.visible), parts: blockers(ev, prompt.visible, want, []) };
  return { wanted, by: 'chosen', parts: [] };
}
