/**
 * What conf's interactive mode (`conf --oldaskconfig`, `make config`) would ask at a menu node: whether it
 * is shown, whether it is new, the answers its prompt accepts and the exact prompt text (conf.c conf_sym(),
 * conf_string(), conf_choice()). The NixOS simulation walks the tree with `allEntries`/`menuNext` and asks this.
 */
import type { Evaluation } from './evaluation.ts';
import { menuIsVisible, menuPrompt } from './menu.ts';
import type { KconfigSymbol, MenuNode, Tristate } from './model.ts';
import { isChangeable, tristateWithinRange } from './symbol-value.ts';

/** One member line of a choice question. */
export interface ChoiceMemberInfo {
  readonly symbol: KconfigSymbol;
  readonly prompt: string;
  readonly selected: boolean;
  readonly isNew: boolean;
}

/** What conf would do at one node. */
export interface AskInfo {
  readonly node: MenuNode;
  readonly kind: 'bool' | 'tristate' | 'string' | 'int' | 'hex' | 'choice' | 'menu' | 'comment' | 'none';
  /** menu_is_visible(): conf skips the node (and its children) otherwise. */
  readonly visible: boolean;
  /** No user value yet: conf prints `(NEW)` and oldconfig asks. */
  readonly isNew: boolean;
  /** sym_is_changeable(): otherwise conf prints the value without reading an answer. */
  readonly changeable: boolean;
  /** bool/tristate: the answers sym_tristate_within_range() accepts, n then m then y. */
  readonly answers: readonly Tristate[];
  /** The current value (sym_get_string_value()). */
  readonly value: string;
  /** The prompt line conf prints before reading (without `(NEW) `), e.g. `Foo (FOO) [N/m/y/?] `. */
  readonly promptLine: string;
  /** Choices: the visible members, in menu order. */
  readonly members: readonly ChoiceMemberInfo[];
}

/** Describes the question conf would ask at `node` (`indent` as conf's, 1 at the top). */
export function askInfo(ev: Evaluation, node: MenuNode, indent = 1): AskInfo {
  const visible = menuIsVisible(ev, node);
  const sym = node.sym;
  const pad = ' '.repeat(Math.max(0, indent - 1));
  if (!sym) {
    const kind = node.prompt?.kind === 'comment' ? 'comment' : node.prompt ? 'menu' : 'none';
    return { node, kind, visible, isNew: false, changeable: false, answers: [], value: '', promptLine: menuPrompt(node) ?? '', members: [] };
  }
  const isNew = !ev.assignments.has(sym);
  if (sym.isChoice) {
    const selected = ev.choiceSelection(node);
    const members: ChoiceMemberInfo[] = [];
    for (let c = node.firstChild; c; c = c.next) {
      if (!c.sym || !menuIsVisible(ev, c)) continue;
      members.push({ symbol: c.sym, prompt: menuPrompt(c) ?? '', selected: c.sym === selected, isNew: !ev.assignments.has(c.sym) });
    }
    return { node, kind: 'choice', visible, isNew: members.some((m) => m.isNew), changeable: true, answers: [], value: '', promptLine: `${pad}${menuPrompt(node)}`, members };
  }
  const changeable = isChangeable(ev, sym);
  const value = ev.value(sym);
  const text = node.prompt ? node.prompt.text : '';
  if (sym.type === 'bool' || sym.type === 'tristate') {
    const answers: Tristate[] = [];
    for (const t of [0, 1, 2] as const) if (tristateWithinRange(ev, sym, t)) answers.push(t);
    const cur = ev.tristate(sym);
    let line = `${pad}${text} `;
    if (sym.name) line += `(${sym.name}) `;
    line += '[' + 'NMY'[cur];
    if (cur !== 0 && answers.includes(0)) line += '/n';
    if (cur !== 1 && answers.includes(1)) line += '/m';
    if (cur !== 2 && answers.includes(2)) line += '/y';
    line += '/?] ';
    return { node, kind: sym.type, visible, isNew, changeable, answers, value, promptLine: line, members: [] };
  }
  const kind = sym.type === 'int' || sym.type === 'hex' || sym.type === 'string' ? sym.type : 'none';
  return { node, kind, visible, isNew, changeable, answers: [], value, promptLine: `${pad}${text} (${sym.name}) [${value}] `, members: [] };
}
