/**
 * Writing `.config` text byte for byte as conf_write() (confdata.c) does: the heading, one line per written
 * symbol in menu order, `#\n# Menu\n#` blocks for visible menus and comments, `# end of Menu` lines.
 */
import type { Evaluation } from '../kconfig/evaluation.ts';
import { menuIsVisible, menuPrompt } from '../kconfig/menu.ts';
import type { KconfigSymbol, MenuNode } from '../kconfig/model.ts';

/** Quotes a string value, escaping `"` and `\` (escape_string_value()). */
export function escapeStringValue(value: string): string {
  return `"${value.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}

/** How a symbol that is `n` is printed (enum output_n). */
export type OutputN = 'n' | 'unset' | 'none';

/** One symbol's .config line without the newline (__print_symbol()), or null when nothing is printed. */
export function symbolLine(ev: Evaluation, sym: KconfigSymbol, outputN: OutputN = 'unset', escape = true): string | null {
  if (sym.type === 'unknown') return null;
  let val = ev.value(sym);
  if ((sym.type === 'bool' || sym.type === 'tristate') && outputN !== 'n' && val[0] === 'n') {
    return outputN === 'unset' ? `# CONFIG_${sym.name} is not set` : null;
  }
  if (sym.type === 'string' && escape) val = escapeStringValue(val);
  return `CONFIG_${sym.name}=${val}`;
}

/** The heading conf writes first (conf_write_heading()). */
export function dotConfigHeading(mainmenu: string): string {
  return `#\n# Automatically generated file; DO NOT EDIT.\n# ${mainmenu}\n#\n`;
}

/** The whole .config text for an evaluation (mirrors conf_write()). */
export function writeDotConfig(ev: Evaluation): string {
  const model = ev.model;
  const root = model.root;
  const parts: string[] = [dotConfigHeading(model.mainmenu)];
  const written = new Uint8Array(model.symbols.length);
  // menu_is_visible() of a menu is asked on entry and again on leaving it; values cannot change in between.
  const shown = new Uint8Array(model.nodes.length);
  let needNewline = false;
  let node: MenuNode | null = root.firstChild;
  while (node) {
    const sym = node.sym;
    if (!sym) {
      const visible = menuIsVisible(ev, node);
      shown[node.id] = visible ? 1 : 0;
      if (visible) {
        parts.push(`\n#\n# ${menuPrompt(node)}\n#\n`);
        needNewline = false;
      }
    } else if (!sym.isChoice && !written[sym.id] && !sym.isTransitional) {
      if (ev.isWritten(sym)) {
        if (needNewline) {
          parts.push('\n');
          needNewline = false;
        }
        written[sym.id] = 1;
        const line = symbolLine(ev, sym);
        if (line !== null) parts.push(line, '\n');
      }
    }
    if (node.firstChild) {
      node = node.firstChild;
      continue;
    }
    let m: MenuNode | null = node;
    for (;;) {
      if (!m.sym && m !== root && m.prompt && m.prompt.kind === 'menu' && shown[m.id]) {
        parts.push(`# end of ${menuPrompt(m)}\n`);
        needNewline = true;
      }
      if (m.next) {
        node = m.next;
        break;
      }
      m = m.parent;
      if (!m) {
        node = null;
        break;
      }
    }
  }
  return parts.join('');
}
