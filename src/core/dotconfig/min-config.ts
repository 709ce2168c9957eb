/**
 * The minimal configuration of `make savedefconfig` (conf_write_defconfig(), confdata.c): in menu order,
 * every written, changeable symbol whose value differs from its default, except a choice's default member.
 */
import type { Evaluation } from '../kconfig/evaluation.ts';
import { allEntries } from '../kconfig/menu.ts';
import { isChangeable, stringDefault } from '../kconfig/symbol-value.ts';
import { symbolLine } from './write.ts';

/** The defconfig text for an evaluation (mirrors conf_write_defconfig()). */
export function writeMinConfig(ev: Evaluation): string {
  const model = ev.model;
  const done = new Uint8Array(model.symbols.length);
  const out: string[] = [];
  for (const node of allEntries(model)) {
    const sym = node.sym;
    if (!sym || sym.isChoice) continue;
    if (!ev.isWritten(sym) || done[sym.id]) continue;
    // The C code clears SYMBOL_WRITE here, so a symbol defined twice is considered once.
    done[sym.id] = 1;
    if (!isChangeable(ev, sym)) continue;
    if (ev.value(sym) === stringDefault(ev, sym)) continue;
    if (sym.choice) {
      if (model.flavor === 'v6.12') {
        const ds = ev.choiceDefault(sym.choice);
        if (sym === ds && ev.tristate(sym) === 2) continue;
      } else {
        const cs = sym.choice.sym!;
        const ds = ev.choiceDefault(sym.choice);
        if (!cs.isOptional && sym === ds && sym.type === 'bool' && ev.tristate(sym) === 2) continue;
      }
    }
    const line = symbolLine(ev, sym);
    if (line !== null) out.push(line, '\n');
  }
  return out.join('');
}

