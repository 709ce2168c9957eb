// `make config` (conf's default mode, oldaskconfig) played on a Kconfig engine: the walk of conf.c's
// conf()/conf_sym()/conf_string()/conf_choice() and the restart loop of check_conf(), printing what conf
// prints and stopping with `###` wherever conf flushes stdout to read an answer (nixpkgs' postPatch).
// The engine plugs in through ConfKconfig, a mutable view shaped like the C globals conf.c calls.
import type { ConfProcess, ConfSession } from './conf-session.ts';
import type { KconfigSymbol, MenuNode, Tristate } from '../kconfig/model.ts';

/** What conf.c needs from the Kconfig engine for one loaded `.config` (the C functions it calls). */
export interface ConfKconfig {
  readonly root: MenuNode;
  /** Which conf.c to mirror: 6.12 (bool choices) or 6.1 (choices with their own tristate prompt). */
  readonly flavor: 'v6.12' | 'v6.1';
  /** menu_is_visible(). */
  isVisible(menu: MenuNode): boolean;
  /** menu_get_prompt() (the root's is the expanded `mainmenu`). */
  promptText(menu: MenuNode): string;
  /** sym_has_value(): the symbol got a value from the loaded .config or an answer (SYMBOL_DEF_USER). */
  hasValue(sym: KconfigSymbol): boolean;
  /** sym_is_changeable(). */
  isChangeable(sym: KconfigSymbol): boolean;
  /** sym_get_tristate_value(). */
  tristate(sym: KconfigSymbol): Tristate;
  /** sym_get_string_value(). */
  stringValue(sym: KconfigSymbol): string;
  /** sym_tristate_within_range(). */
  withinRange(sym: KconfigSymbol, value: Tristate): boolean;
  /** sym_set_tristate_value(): false when the value is refused. */
  setTristate(sym: KconfigSymbol, value: Tristate): boolean;
  /** sym_set_string_value(): false when the text is refused (bad int/hex, out of range). */
  setString(sym: KconfigSymbol, value: string): boolean;
  /** sym_calc_choice(): the selected member of a choice node. */
  choiceSelection(choice: MenuNode): KconfigSymbol | null;
  /** choice_set_value(). */
  setChoice(choice: MenuNode, member: KconfigSymbol): void;
  /** conf_write(): the `.config` text. */
  writeConfig(): string;
}

/** Loads a `.config` text into a fresh engine state (conf_read()). */
export type ConfKconfigLoader = (dotConfig: string) => ConfKconfig;

type Mode = 'oldaskconfig' | 'oldconfig';
type Conf = Generator<string, void, string>;

function isMenuPrompt(node: MenuNode): boolean {
  return node.prompt !== null && (node.prompt.kind === 'menu' || node.kind === 'menuconfig');
}

// mirrors menu_get_parent_menu(), menu.c
function parentMenu(root: MenuNode, node: MenuNode): MenuNode {
  let m: MenuNode | null = node;
  while (m && m !== root) {
    if (isMenuPrompt(m)) return m;
    m = m.parent;
  }
  return root;
}

function strip(s: string): string {
  return s.trim();
}

/** One conf process over `k`; the generator yields conf's output at each wait and receives the answer line. */
class ConfRun {
  private out = '';
  private indent = 1;
  private mode: Mode = 'oldaskconfig';
  private rootEntry: MenuNode;
  private confCnt = 0;
  private readonly k: ConfKconfig;
  constructor(k: ConfKconfig) {
    this.k = k;
    this.rootEntry = k.root;
  }

  private print(s: string): void {
    this.out += s;
  }

  // fflush(stdout) + xfgets(): hand the output to the reader, get a line back, echo it (stdin is no tty)
  private *read(): Generator<string, string, string> {
    const chunk = `${this.out}###`;
    this.out = '';
    const answer: string = yield chunk;
    this.print(`${answer}\n`);
    return `${answer}\n`;
  }

  *main(): Conf {
    this.rootEntry = this.k.root;
    yield* this.conf(this.k.root);
    this.mode = 'oldconfig';
    do {
      this.confCnt = 0;
      yield* this.checkConf(this.k.root);
    } while (this.confCnt);
    if (this.out) yield this.out;
    this.out = '';
  }

  // mirrors conf_askvalue(), conf.c: returns the line read, or undefined when conf does not wait
  private *askValue(sym: KconfigSymbol, def: string): Generator<string, string | undefined, string> {
    if (!this.k.hasValue(sym)) this.print('(NEW) ');
    if (!this.k.isChangeable(sym) || (this.mode === 'oldconfig' && this.k.hasValue(sym))) {
      this.print(`${def}\n`);
      return undefined;
    }
    return yield* this.read();
  }

  // mirrors conf_string(), conf.c
  private *confString(menu: MenuNode): Conf {
    const sym = menu.sym!;
    for (;;) {
      this.print(`${' '.repeat(this.indent - 1)}${this.k.promptText(menu)} (${sym.name}) [${this.k.stringValue(sym)}] `);
      const line = yield* this.askValue(sym, this.k.stringValue(sym));
      if (line === undefined) return;
      let def: string | null = null;
      if (line === '\n') def = this.k.stringValue(sym);
      else if (line === '?\n') this.print('\n(help)\n');
      else def = line.slice(0, -1);
      if (def !== null && this.k.setString(sym, def)) return;
    }
  }

  // mirrors conf_sym(), conf.c
  private *confSym(menu: MenuNode): Conf {
    const sym = menu.sym!;
    for (;;) {
      const old = this.k.tristate(sym);
      let alts = old === 0 ? 'N' : old === 1 ? 'M' : 'Y';
      if (old !== 0 && this.k.withinRange(sym, 0)) alts += '/n';
      if (old !== 1 && this.k.withinRange(sym, 1)) alts += '/m';
      if (old !== 2 && this.k.withinRange(sym, 2)) alts += '/y';
      this.print(`${' '.repeat(this.indent - 1)}${this.k.promptText(menu)} ${sym.name ? `(${sym.name}) ` : ''}[${alts}/?] `);
      const raw = yield* this.askValue(sym, this.k.stringValue(sym));
      if (raw === undefined) return;
      const line = strip(raw);
      let value: Tristate;
      const rest = line.slice(1);
      switch (line[0]) {
        case 'n':
        case 'N':
          if (rest !== '' && rest !== 'o') continue;
          value = 0;
          break;
        case 'm':
        case 'M':
          if (rest !== '') continue;
          value = 1;
          break;
        case 'y':
        case 'Y':
          if (rest !== '' && rest !== 'es') continue;
          value = 2;
          break;
        case undefined:
          value = old;
          break;
        case '?':
          this.print('\n(help)\n');
          continue;
        default:
          continue;
      }
      if (this.k.setTristate(sym, value)) return;
      this.print('\n(help)\n');
    }
  }

  /**
   * Prints the visible members of a choice as both trees' conf_choice() list them (`> 2. prompt (NAME) (NEW)`,
   * comments as `*`): the member nodes in number order, the number of the selected one, and whether any is new.
   */
  private listChoiceMembers(menu: MenuNode): { members: MenuNode[]; def: number; anyNew: boolean } {
    const mark = (c: string) => ' '.repeat(this.indent - 1) + c;
    const selected = this.k.choiceSelection(menu);
    const members: MenuNode[] = [];
    let def = 0;
    let anyNew = false;
    for (let child = menu.firstChild; child; child = child.next) {
      if (!this.k.isVisible(child)) continue;
      if (!child.sym) {
        this.print(`${mark('*')} ${this.k.promptText(child)}\n`);
        continue;
      }
      members.push(child);
      if (child.sym === selected) def = members.length;
      this.print(`${mark(child.sym === selected ? '>' : ' ')} ${members.length}. ${this.k.promptText(child)}${child.sym.name ? ` (${child.sym.name})` : ''}`);
      if (!this.k.hasValue(child.sym)) {
        anyNew = true;
        this.print(' (NEW)');
      }
      this.print('\n');
    }
    return { members, def, anyNew };
  }

  /**
   * The `choice[1-N?]: ` question both trees' conf_choice() ask: the number of the member picked, or 0 when
   * conf asks again (help, a word that is no number, a number out of range).
   */
  private *askChoiceNumber(pad: string, cnt: number, def: number, isNew: boolean): Generator<string, number, string> {
    this.print(`${pad}choice`);
    if (cnt === 1) {
      this.print('[1]: 1\n');
      return 1;
    }
    this.print(`[1-${cnt}?]: `);
    if (this.mode === 'oldconfig' && !isNew) {
      this.print(`${def}\n`);
      return def;
    }
    const line = strip(yield* this.read());
    if (line[0] === '?') {
      this.print('\n(help)\n');
      return 0;
    }
    let picked: number;
    if (!line) picked = def;
    else if (/^\d/.test(line)) picked = parseInt(line, 10);
    else return 0;
    if (picked < 1 || picked > cnt) return 0;
    if (line.endsWith('?')) {
      this.print('\n(help)\n');
      return 0;
    }
    return picked;
  }

  // mirrors conf_choice(), conf.c (v6.12: bool choices, sym_calc_choice())
  private *confChoice(menu: MenuNode): Conf {
    const pad = ' '.repeat(this.indent - 1);
    for (;;) {
      this.print(`${pad}${this.k.promptText(menu)}\n`);
      const { members, def, anyNew } = this.listChoiceMembers(menu);
      const member = members[(yield* this.askChoiceNumber(pad, members.length, def, anyNew)) - 1];
      if (!member) continue;
      this.k.setChoice(menu, member.sym!);
      return;
    }
  }

  // mirrors conf_choice() of Linux 6.1, conf.c: tristate choices ask their own y/m/n first
  private *confChoice61(menu: MenuNode): Conf {
    const sym = menu.sym!;
    const isNew = !this.k.hasValue(sym);
    const pad = ' '.repeat(this.indent - 1);
    if (this.k.isChangeable(sym)) {
      yield* this.confSym(menu);
      const v = this.k.tristate(sym);
      if (v !== 2) return;
    } else {
      const v = this.k.tristate(sym);
      if (v === 0) return;
      if (v === 1) {
        this.print(`${pad}${this.k.promptText(menu)}\n`);
        return;
      }
    }
    for (;;) {
      this.print(`${pad}${this.k.promptText(menu)}\n`);
      const { members, def } = this.listChoiceMembers(menu);
      const child = members[(yield* this.askChoiceNumber(pad, members.length, def, isNew)) - 1];
      if (!child) continue;
      this.k.setTristate(child.sym!, 2);
      for (let c = child.firstChild; c; c = c.next) {
        this.indent += 2;
        yield* this.conf(c);
        this.indent -= 2;
      }
      return;
    }
  }

  // mirrors conf(), conf.c
  private *conf(menu: MenuNode): Conf {
    if (!this.k.isVisible(menu)) return;
    yield* this.confVisible(menu);
  }

  // conf() after its visibility check: callers check first, so that an invisible entry costs no generator
  private *confVisible(menu: MenuNode): Conf {
    const sym = menu.sym;
    if (menu.prompt) {
      if (isMenuPrompt(menu) && this.mode !== 'oldaskconfig' && this.rootEntry !== menu) {
        yield* this.checkConf(menu);
        return;
      }
      if (isMenuPrompt(menu) || menu.prompt.kind === 'comment') {
        const mark = ' '.repeat(this.indent - 1) + '*';
        this.print(`${mark}\n${mark} ${this.k.promptText(menu)}\n${mark}\n`);
      }
    }
    if (sym) {
      if (sym.isChoice && this.k.flavor === 'v6.1') {
        yield* this.confChoice61(menu);
        if (this.k.tristate(sym) !== 1) return;
        this.indent += 2;
        for (let child = menu.firstChild; child; child = child.next) if (this.k.isVisible(child)) yield* this.confVisible(child);
        this.indent -= 2;
        return;
      }
      if (sym.isChoice) {
        yield* this.confChoice(menu);
        return;
      }
      if (sym.type === 'int' || sym.type === 'hex' || sym.type === 'string') yield* this.confString(menu);
      else yield* this.confSym(menu);
      this.indent += 2;
    }
    for (let child = menu.firstChild; child; child = child.next) if (this.k.isVisible(child)) yield* this.confVisible(child);
    if (sym) this.indent -= 2;
  }

  // mirrors check_conf(), conf.c: its recursion as one pre-order walk (a generator per entry would cost more
  // than the walk); an entry's visibility is checked when the walk reaches it, after its earlier siblings
  private *checkConf(start: MenuNode): Conf {
    let menu: MenuNode | null = start;
    while (menu) {
      let descend = false;
      if (this.k.isVisible(menu)) {
        const sym = menu.sym;
        if (sym && !this.k.hasValue(sym) && (this.k.isChangeable(sym) || (this.k.flavor === 'v6.1' && sym.isChoice && this.k.tristate(sym) === 2))) {
          if (!this.confCnt++) this.print('*\n* Restart config...\n*\n');
          this.rootEntry = parentMenu(this.k.root, menu);
          yield* this.conf(this.rootEntry);
        }
        descend = menu.firstChild !== null;
      }
      if (descend) menu = menu.firstChild;
      else {
        while (menu !== start && !menu.next) menu = menu.parent!;
        menu = menu === start ? null : menu.next;
      }
    }
  }
}

/**
 * A ConfSession on a Kconfig engine: each `runConfig()` loads the current `.config` with `load`, plays
 * conf's dialogue, and stores what conf writes. `baseConfig` is the `.config` after `make <kernelBaseConfig>`.
 */
export function engineSession(load: ConfKconfigLoader, baseConfig: string): ConfSession {
  let current = baseConfig;
  return {
    runConfig(): ConfProcess {
      const k = load(current);
      const gen = new ConfRun(k).main();
      let pendingAnswer = '';
      let started = false;
      let finished = false;
      return {
        read() {
          if (finished) return undefined;
          const r = started ? gen.next(pendingAnswer) : gen.next('');
          started = true;
          if (r.done) {
            finished = true;
            current = k.writeConfig();
            return undefined;
          }
          if (!r.value.endsWith('###')) {
            // the last output; conf writes .config when its walk is over
            void gen.next('');
            finished = true;
            current = k.writeConfig();
          }
          return r.value;
        },
        write(answer) {
          pendingAnswer = answer;
        },
        close() {
          // the script died: conf reads EOF for every further question and still writes .config; kfit keeps
          // the state as it was at the death point, which is enough for diagnosis
          finished = true;
          current = k.writeConfig();
        },
      };
    },
    dotConfig: () => current,
  };
}
