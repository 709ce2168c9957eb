// The ConfKconfig/KconfigFacts view over kfit's Kconfig engine (KconfigModel + Evaluation): the C calls
// conf.c makes (menu_is_visible, sym_is_changeable, sym_set_*_value, choice_set_value, conf_read_simple,
// conf_write), each mirrored on top of an immutable Evaluation that is replaced after every change.
import { AssignmentsBuilder, type UserValue } from '../kconfig/assignments.ts';
import { Evaluation } from '../kconfig/evaluation.ts';
import type { Expr } from '../kconfig/expr.ts';
import type { KconfigModel, KconfigSymbol, MenuNode, Tristate } from '../kconfig/model.ts';
import type { KconfigFacts } from './diagnosis.ts';

const TRI_TEXT = ['n', 'm', 'y'] as const;

// mirrors sym_string_valid(), symbol.c
function stringValid(sym: KconfigSymbol, s: string): boolean {
  switch (sym.type) {
    case 'string':
      return true;
    case 'int':
      return /^-?(0|[1-9][0-9]*)$/.test(s);
    case 'hex':
      return /^(0[xX])?[0-9a-fA-F]+$/.test(s);
    case 'bool':
    case 'tristate':
      return /^[ymnYMN]/.test(s);
    default:
      return false;
  }
}

// mirrors conf_set_sym_val() (S_DEF_USER) and the line loop of conf_read_simple(), confdata.c
/** Reads a `.config` text into user values, as conf does at startup. */
export function readDotConfigAssignments(model: KconfigModel, text: string): AssignmentsBuilder {
  const b = new AssignmentsBuilder();
  for (const raw of text.split('\n')) {
    const line = raw.replace(/[\r\n]+$/, '');
    if (!line) continue;
    let name: string;
    let val: string;
    if (line[0] === '#') {
      const m = /^# CONFIG_([^ ]*) is not set$/.exec(line);
      if (!m) continue;
      name = m[1];
      val = 'n';
    } else {
      if (!line.startsWith('CONFIG_')) continue;
      const eq = line.indexOf('=');
      if (eq < 0) continue;
      name = line.slice(7, eq);
      val = line.slice(eq + 1);
    }
    const sym = model.byName.get(name);
    if (!sym) continue;
    let value: UserValue | undefined;
    switch (sym.type) {
      case 'tristate':
      case 'bool':
        if (val[0] === 'm' && sym.type === 'tristate') value = { tri: 1, str: 'm' };
        else if (val[0] === 'y') value = { tri: 2, str: 'y' };
        else if (val[0] === 'n') value = { tri: 0, str: 'n' };
        break;
      case 'string': {
        let s = val;
        if (s[0] === '"') {
          let out = '';
          let closed = false;
          for (let i = 1; i < s.length; i++) {
            const c = s[i];
            if (c === '"') {
              closed = true;
              break;
            }
            if (c === '\\' && i + 1 < s.length) {
              out += s[++i];
              continue;
            }
            out += c;
          }
          if (!closed) break;
          s = out;
        }
        value = { tri: 0, str: s };
        break;
      }
      case 'int':
      case 'hex':
        if (stringValid(sym, val)) value = { tri: 0, str: val };
        break;
      default:
        break;
    }
    if (value) b.set(sym, value);
  }
  return b;
}

function escapeString(s: string): string {
  return `"${s.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** A mutable conf-style view over an Evaluation: the state of one `conf` process. */
export class EngineKconfig implements KconfigFacts {
  readonly model: KconfigModel;
  readonly root: MenuNode;
  ev: Evaluation;

  constructor(model: KconfigModel, ev: Evaluation) {
    this.model = model;
    this.root = model.root;
    this.ev = ev;
  }

  /** conf_read(): a fresh state from `.config` text. */
  static load(model: KconfigModel, dotConfig: string): EngineKconfig {
    return new EngineKconfig(model, Evaluation.create(model, readDotConfigAssignments(model, dotConfig).build()));
  }

  exprValue(e: Expr | null): Tristate {
    return this.ev.exprValue(e);
  }

  // mirrors menu_is_visible(), menu.c
  isVisible(menu: MenuNode): boolean {
    if (!menu.prompt) return false;
    if (menu.visibility && this.ev.exprValue(menu.visibility) === 0) return false;
    const sym = menu.sym;
    const visible = sym ? this.ev.propertyVisibility(menu.prompt) : this.ev.exprValue(menu.prompt.visible);
    if (visible !== 0) return true;
    if (!sym || this.ev.tristate(sym) === 0) return false;
    for (let c = menu.firstChild; c; c = c.next) if (this.isVisible(c)) return true;
    return false;
  }

  promptText(menu: MenuNode): string {
    return menu === this.root ? this.model.mainmenu : (menu.prompt?.text ?? '');
  }

  hasValue(sym: KconfigSymbol): boolean {
    return this.ev.assignments.has(sym);
  }

  // mirrors sym_is_changeable(), symbol.c (6.12)
  isChangeable(sym: KconfigSymbol): boolean {
    if (sym.isChoice) return this.model.flavor === 'v6.1' && this.ev.visibility(sym) > 0;
    return this.ev.visibility(sym) > this.ev.revDepValue(sym);
  }

  tristate(sym: KconfigSymbol): Tristate {
    return this.ev.tristate(sym);
  }

  stringValue(sym: KconfigSymbol): string {
    return this.ev.value(sym);
  }

  // mirrors sym_tristate_within_range(), symbol.c
  withinRange(sym: KconfigSymbol, val: Tristate): boolean {
    const vis = this.ev.visibility(sym);
    if (vis === 0) return false;
    const type = this.ev.effectiveType(sym);
    if (type !== 'bool' && type !== 'tristate') return false;
    if (type === 'bool' && val === 1) return false;
    const rev = this.ev.revDepValue(sym);
    if (vis <= rev) return false;
    return val >= rev && val <= vis;
  }

  // mirrors sym_set_tristate_value(), symbol.c
  setTristate(sym: KconfigSymbol, val: Tristate): boolean {
    if (!this.withinRange(sym, val)) return false;
    const u = this.ev.assignments.get(sym);
    if (!u || u.tri !== val) this.ev = this.ev.with(sym, { tri: val, str: TRI_TEXT[val] });
    return true;
  }

  // mirrors sym_set_string_value() and sym_string_within_range(), symbol.c
  setString(sym: KconfigSymbol, value: string): boolean {
    if (sym.type === 'bool' || sym.type === 'tristate') {
      const c = value[0];
      if (c === 'y' || c === 'Y') return this.setTristate(sym, 2);
      if (c === 'm' || c === 'M') return this.setTristate(sym, 1);
      if (c === 'n' || c === 'N') return this.setTristate(sym, 0);
      return false;
    }
    if (!stringValid(sym, value)) return false;
    if (sym.type === 'int' || sym.type === 'hex') {
      const base = sym.type === 'int' ? 10 : 16;
      for (const p of sym.ranges) {
        if (this.ev.exprValue(p.visible) === 0) continue;
        const v = BigInt(sym.type === 'hex' && !/^0[xX]/.test(value) ? `0x${value}` : value);
        if (v < this.ev.rangeValue(p.low!, base) || v > this.ev.rangeValue(p.high!, base)) return false;
        break;
      }
    }
    const stored = sym.type === 'hex' && !/^0[xX]/.test(value) ? `0x${value}` : value;
    const u = this.ev.assignments.get(sym);
    if (!u || u.str !== stored) this.ev = this.ev.with(sym, { tri: 0, str: stored });
    return true;
  }

  choiceSelection(choice: MenuNode): KconfigSymbol | null {
    return this.ev.choiceSelection(choice);
  }

  // mirrors choice_set_value(), symbol.c (6.12); v6.1 stores the member in the choice symbol
  setChoice(choice: MenuNode, member: KconfigSymbol): void {
    const b = new AssignmentsBuilder(this.ev.assignments);
    const changed: KconfigSymbol[] = [];
    const visit = (node: MenuNode) => {
      for (let c = node.firstChild; c; c = c.next) {
        const s = c.sym;
        if (s && !s.isChoice && this.ev.visibility(s) !== 0) {
          const val: Tristate = s === member ? 2 : 0;
          b.set(s, { tri: val, str: TRI_TEXT[val] });
          changed.push(s);
        }
        visit(c);
      }
    };
    visit(choice);
    if (this.model.flavor === 'v6.1' && choice.sym) {
      b.set(choice.sym, { tri: 2, str: 'y', choiceMember: member }, false);
      changed.push(choice.sym);
    }
    this.ev = this.ev.withAssignments(b.build(), changed);
  }

  // mirrors conf_write(), confdata.c
  writeConfig(): string {
    const out: string[] = ['#\n# Automatically generated file; DO NOT EDIT.\n', `# ${this.model.mainmenu}\n#\n`];
    const written = new Set<KconfigSymbol>();
    let needNewline = false;
    let menu: MenuNode | null = this.root.firstChild;
    while (menu) {
      const sym = menu.sym;
      let skip = false;
      if (!sym) {
        if (!this.isVisible(menu)) skip = true;
        else {
          out.push(`\n#\n# ${this.promptText(menu)}\n#\n`);
          needNewline = false;
        }
      } else if (!sym.isChoice && !written.has(sym)) {
        if (this.ev.isWritten(sym) && sym.type !== 'unknown') {
          if (needNewline) {
            out.push('\n');
            needNewline = false;
          }
          written.add(sym);
          const val = this.ev.value(sym);
          if ((sym.type === 'bool' || sym.type === 'tristate') && val === 'n') out.push(`# CONFIG_${sym.name} is not set\n`);
          else out.push(`CONFIG_${sym.name}=${sym.type === 'string' ? escapeString(val) : val}\n`);
        }
      }
      void skip;
      if (menu.firstChild) {
        menu = menu.firstChild;
        continue;
      }
      for (;;) {
        if (!menu.sym && menu !== this.root && menu.prompt && menu.prompt.kind === 'menu' && this.isVisible(menu)) {
          out.push(`# end of ${this.promptText(menu)}\n`);
          needNewline = true;
        }
        if (menu.next) {
          menu = menu.next;
          break;
        }
        menu = menu.parent;
        if (!menu) break;
      }
    }
    return out.join('');
  }
}

/** A loader for the conf dialogue: every `make config` run starts from a fresh read of `.config`. */
export function engineLoader(model: KconfigModel): (dotConfig: string) => EngineKconfig {
  return (dotConfig) => EngineKconfig.load(model, dotConfig);
}
