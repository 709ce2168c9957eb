/**
 * Walking and asking about the finalized menu tree (menu.c): pre-order iteration, menu visibility,
 * prompts, parent menus.
 */
import type { Evaluation } from './evaluation.ts';
import type { KconfigModel, MenuNode } from './model.ts';

/** The node after `node` in pre-order, staying below `root` (menu_next()). */
export function menuNext(node: MenuNode, root: MenuNode): MenuNode | null {
  if (node.firstChild) return node.firstChild;
  let m: MenuNode | null = node;
  while (m && m !== root && !m.next) m = m.parent;
  if (!m || m === root) return null;
  return m.next;
}

/** Every node below `root` in pre-order (menu_for_each_sub_entry()). */
export function subEntries(root: MenuNode): MenuNode[] {
  const out: MenuNode[] = [];
  for (let m = menuNext(root, root); m; m = menuNext(m, root)) out.push(m);
  return out;
}

/** Every node of the model in pre-order, the root excluded (menu_for_each_entry()). */
export function allEntries(model: KconfigModel): MenuNode[] {
  return subEntries(model.root);
}

/**
 * True when the node is shown (menu_is_visible()): it has a prompt, its `visible if` holds and its prompt
 * is visible, or (for a symbol with a non-n value) one of its children is.
 * Gotcha: the C function marks such a symbol as user-set (SYMBOL_DEF_USER) as a side effect; this one
 * does not (conf's interactive mode handles that itself).
 */
export function menuIsVisible(ev: Evaluation, node: MenuNode): boolean {
  if (!node.prompt) return false;
  if (node.visibility && ev.exprValue(node.visibility) === 0) return false;
  const sym = node.sym;
  let visible;
  if (sym) {
    ev.visibility(sym);
    visible = ev.propertyVisibility(node.prompt);
  } else visible = ev.exprValue(node.prompt.visible);
  if (visible !== 0) return true;
  if (!sym || ev.tristate(sym) === 0) return false;
  for (let c = node.firstChild; c; c = c.next) if (menuIsVisible(ev, c)) return true;
  return false;
}

/** The prompt text of a node, else its symbol's name (menu_get_prompt()). */
export function menuPrompt(node: MenuNode): string | null {
  if (node.prompt) return node.prompt.text;
  if (node.sym) return node.sym.name;
  return null;
}

/** The nearest enclosing node whose prompt is a menu (menu_get_parent_menu()). */
export function parentMenu(model: KconfigModel, node: MenuNode): MenuNode {
  let m: MenuNode = node;
  for (; m !== model.root; m = m.parent!) if (m.prompt && m.prompt.kind === 'menu') break;
  return m;
}
