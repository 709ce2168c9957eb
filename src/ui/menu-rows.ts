// What `kfit ui` shows of the finalized menu tree for one evaluation: rows (menu nodes with their values and
// the values the user may set, as menuconfig's list shows them), search over names, prompts and help, the
// "why" lines of a symbol (provenance.ts explain()) and the reason a value is refused. Imports core only.
import type { Evaluation } from '../core/kconfig/evaluation.ts';
import { formatExpr } from '../core/kconfig/expr.ts';
import { menuIsVisible, menuPrompt } from '../core/kconfig/menu.ts';
import type { KconfigModel, KconfigSymbol, MenuNode, Tristate } from '../core/kconfig/model.ts';
import { activeSelectors, explain, type ValueSource } from '../core/kconfig/provenance.ts';
import { activeRange, isValidString, stringWithinRange, tristateWithinRange } from '../core/kconfig/symbol-value.ts';
import { formatExprWithValues } from '../core/kconfig/warnings.ts';
import type { UiNode, UiSearchHit } from './api.ts';

const TRI = ['n', 'm', 'y'] as const;

/** The rows below `node`: its children, with prompt-less `if` blocks flattened into their parent (menuconfig shows none). */
export function childNodes(node: MenuNode): MenuNode[] {
  const out: MenuNode[] = [];
  for (let c = node.firstChild; c; c = c.next) {
    if (!c.prompt && !c.sym && c.firstChild) out.push(...childNodes(c));
    else out.push(c);
  }
  return out;
}

/** True when the node has rows below it (what the tree can expand). */
export function hasRows(node: MenuNode): boolean {
  return childNodes(node).some((c) => c.prompt !== null);
}

/** The value text of a symbol: n/m/y for bool/tristate, else the string value. */
export function symbolValue(ev: Evaluation, sym: KconfigSymbol): string {
  return sym.type === 'bool' || sym.type === 'tristate' ? TRI[ev.tristate(sym)] : ev.value(sym);
}

/** The values the user may give the node's symbol now (mirrors sym_tristate_within_range() per value). */
export function allowedValues(ev: Evaluation, node: MenuNode): string[] {
  const sym = node.sym;
  if (!sym || sym.isChoice || !node.prompt) return [];
  if (sym.type === 'bool' || sym.type === 'tristate') {
    if (sym.choice) return ev.visibility(sym) !== 0 ? ['y'] : [];
    const out: string[] = [];
    for (const v of [0, 1, 2] as const) if (tristateWithinRange(ev, sym, v)) out.push(TRI[v]);
    return out;
  }
  if (sym.type === 'int' || sym.type === 'hex' || sym.type === 'string') return ev.visibility(sym) !== 0 ? ['*'] : [];
  return [];
}

/** What a row marks about a symbol besides its value: differs from the start, edited in this session. */
export interface RowMarks {
  changed(sym: KconfigSymbol): boolean;
  edited(sym: KconfigSymbol): boolean;
}

/** One row of the tree for `node` under `ev`. */
export function nodeRow(ev: Evaluation, node: MenuNode, marks: RowMarks): UiNode {
  const sym = node.sym;
  let value = '';
  let selected: boolean | undefined;
  if (sym && sym.isChoice) {
    const sel = ev.choiceSelection(node);
    value = sel ? (sel.prompts[0]?.text ?? sel.name) : '';
  } else if (sym) {
    value = symbolValue(ev, sym);
    if (sym.choice) selected = ev.choiceSelection(sym.choice) === sym;
  }
  return {
    id: node.id,
    kind: node.kind,
    prompt: menuPrompt(node) ?? '',
    name: sym && !sym.isChoice ? sym.name : '',
    type: sym ? sym.type : '',
    value,
    visible: menuIsVisible(ev, node),
    allowed: allowedValues(ev, node),
    hasChildren: hasRows(node),
    user: !!sym && !sym.isChoice && marks.edited(sym),
    changed: !!sym && !sym.isChoice && marks.changed(sym),
    ...(selected === undefined ? {} : { selected }),
    ...(sym && sym.choice ? { choice: sym.choice.id } : {}),
  };
}

/** The prompts of the menus above `node`, from the top, and their ids. */
export function menuPath(model: KconfigModel, node: MenuNode): { path: string[]; ancestors: number[] } {
  const path: string[] = [];
  const ancestors: number[] = [];
  for (let p = node.parent; p && p !== model.root; p = p.parent) {
    if (!p.prompt) continue;
    path.unshift(p.prompt.text);
    ancestors.unshift(p.id);
  }
  return { path, ancestors };
}

/**
 * Nodes matching `query` (case-insensitive; a leading CONFIG_ is ignored): visible entries first, then names
 * (exact, then prefix, then substring), then prompts, then help texts; at most `limit`.
 */
export function searchNodes(ev: Evaluation, query: string, limit: number, marks: RowMarks): UiSearchHit[] {
  const q = query.trim().replace(/^CONFIG_/i, '').toLowerCase();
  if (q === '') return [];
  const model = ev.model;
  const ranked: { node: MenuNode; rank: number; match: UiSearchHit['match'] }[] = [];
  for (const node of model.nodes) {
    if (node === model.root || (!node.prompt && !node.sym)) continue;
    const name = node.sym && !node.sym.isChoice ? node.sym.name.toLowerCase() : '';
    const prompt = node.prompt ? node.prompt.text.toLowerCase() : '';
    let rank = -1;
    let match: UiSearchHit['match'] = 'name';
    if (name === q) rank = 0;
    else if (name.startsWith(q)) rank = 1;
    else if (name.includes(q)) rank = 2;
    else if (prompt.includes(q)) {
      rank = 3;
      match = 'prompt';
    } else if (node.help && node.help.toLowerCase().includes(q)) {
      rank = 4;
      match = 'help';
    }
    if (rank >= 0 && (node.prompt || rank <= 2)) ranked.push({ node, rank, match });
  }
  // what the user can see first (other architectures' entries last), then by rank and name
  const shown = new Map<MenuNode, boolean>();
  for (const r of ranked) shown.set(r.node, menuIsVisible(ev, r.node));
  const key = (r: { node: MenuNode; rank: number }): number => (shown.get(r.node) ? 0 : 10) + r.rank;
  ranked.sort((a, b) => key(a) - key(b) || (a.node.sym?.name ?? '').localeCompare(b.node.sym?.name ?? '') || a.node.id - b.node.id);
  return ranked.slice(0, limit).map(({ node, match }) => ({ node: nodeRow(ev, node, marks), ...menuPath(model, node), match }));
}

function sourceLine(ev: Evaluation, s: ValueSource): string {
  switch (s.kind) {
    case 'user':
      return s.span ? `your value ${s.value.str} (${s.span.file}:${s.span.line})` : `your value ${s.value.str}`;
    case 'default': {
      const cond = s.property.condition ? ` if ${formatExpr(s.property.condition)}` : '';
      return `default ${formatExpr(s.property.expr)}${cond} (${s.span.file}:${s.span.line})`;
    }
    case 'select':
      return `selected by ${s.by.map((b) => `${b.name}=${symbolValue(ev, b)}`).join(', ')}`;
    case 'imply':
      return `implied by ${s.by.map((b) => `${b.name}=${symbolValue(ev, b)}`).join(', ')}`;
    case 'choice':
      return s.selected ? `the selected member of the choice "${s.choice.prompt?.text ?? ''}"` : `another member of the choice "${s.choice.prompt?.text ?? ''}" is selected`;
    case 'none':
      return 'no default applies';
  }
}

/** Why `sym` has its value, one line each: what set it, what else raised it, what limited it. */
export function whyLines(ev: Evaluation, sym: KconfigSymbol): string[] {
  const p = explain(ev, sym);
  const out = [`${sym.name} = ${p.value || '""'}: ${sourceLine(ev, p.source)}`];
  for (const a of p.also) out.push(`also ${sourceLine(ev, a)}`);
  for (const l of p.limits) {
    if (l.kind === 'visibility') out.push(`limited: its prompt is visible only as ${TRI[l.value]}`);
    else if (l.kind === 'dirDep') out.push(`limited: depends on ${formatExprWithValues(ev, l.expr)} (= ${TRI[l.value]})`);
    else if (l.kind === 'range') out.push(`limited: range ${ev.value(l.low)}..${ev.value(l.high)}`);
    else out.push('limited: MODULES is off, so m counts as y');
  }
  if (p.ignoredUser) out.push(`your value ${p.ignoredUser.value.str} is ignored: ${p.ignoredUser.reason === 'invisible' ? 'the prompt is not visible' : 'the choice decides'}`);
  return out;
}

/**
 * Why `text` cannot be the value of `sym` now, or null when it can (mirrors sym_set_tristate_value()'s and
 * sym_set_string_value()'s checks: sym_tristate_within_range(), sym_string_within_range()).
 */
export function refusal(ev: Evaluation, sym: KconfigSymbol, text: string): string | null {
  if (sym.isChoice) return `a choice has no value of its own: pick one of its members`;
  if (sym.prompts.length === 0) return `${sym.name} has no prompt: only a select or a default can set it`;
  const vis = ev.visibility(sym);
  if (vis === 0) {
    const p = sym.prompts.find((x) => x.visible) ?? sym.prompts[0];
    const dep = p.visible ? formatExprWithValues(ev, p.visible) : formatExprWithValues(ev, sym.dirDep);
    return `${sym.name} is not visible: its prompt needs ${dep || 'n'}`;
  }
  if (sym.type === 'bool' || sym.type === 'tristate') {
    const v = ({ y: 2, m: 1, n: 0 } as Record<string, Tristate>)[text];
    if (v === undefined) return `${sym.name} is a ${sym.type}: the value must be ${sym.type === 'bool' ? 'y or n' : 'y, m or n'}, not "${text}"`;
    if (sym.choice) return v === 2 ? null : `${sym.name} is a choice member: select another member instead`;
    if (tristateWithinRange(ev, sym, v)) return null;
    const type = ev.effectiveType(sym);
    if (type === 'bool' && v === 1) return sym.type === 'tristate' ? `${sym.name} cannot be m: MODULES is off (or it depends on a bool)` : `${sym.name} is a bool: m is not a value`;
    const rev = ev.revDepValue(sym);
    if (v < rev) {
      const by = activeSelectors(ev, sym.revDep).map((b) => `${b.name}=${symbolValue(ev, b)}`);
      return `${sym.name} is selected by ${by.join(', ') || 'another option'}: it cannot go below ${TRI[rev]}`;
    }
    if (vis <= rev) return `${sym.name} is forced to ${TRI[rev]} by a select: it cannot be changed`;
    return `${sym.name} can be at most ${TRI[vis]}: its prompt needs ${formatExprWithValues(ev, sym.prompts[0].visible) || 'y'}`;
  }
  if (!isValidString(sym, text)) return `"${text}" is not a valid ${sym.type}`;
  if (!stringWithinRange(ev, sym, text)) {
    const r = activeRange(ev, sym);
    return r ? `${text} is out of range: ${sym.name} must be within ${ev.value(r.low)}..${ev.value(r.high)}` : `${text} is not accepted`;
  }
  return null;
}
