// The ConfKconfig/KconfigFacts view over kfit's Kconfig engine (KconfigModel + Evaluation): the C calls
// conf.c makes (menu_is_visible, sym_is_changeable, sym_set_*_value, choice_set_value, conf_read_simple,
// conf_write), each mirrored on top of an EvaluationSession into which batches of answers are folded.
import type { UserValue } from '../kconfig/assignments.ts';
import { isChangeable, stringWithinRange, tristateWithinRange } from '../kconfig/symbol-value.ts';
import { readDotConfig } from '../dotconfig/read.ts';
import { writeDotConfig } from '../dotconfig/write.ts';
import { Evaluation } from '../kconfig/evaluation.ts';
import { EvaluationSession } from '../kconfig/evaluation-session.ts';
import { postReadV61 } from '../kconfig/targets-v61.ts';
import type { Expr } from '../kconfig/expr.ts';
import type { KconfigModel, KconfigSymbol, MenuNode, Tristate } from '../kconfig/model.ts';
import type { KconfigFacts } from './diagnosis.ts';
import { ChoiceVisibility } from './choice-visibility-v612.ts';
import { menuNodesInOrder } from '../kconfig/model.ts';

const TRI_TEXT = ['n', 'm', 'y'] as const;

/** A mutable conf-style view over an Evaluation: the state of one `conf` process. */
export class EngineKconfig implements KconfigFacts {
  readonly model: KconfigModel;
  readonly root: MenuNode;
  readonly flavor: KconfigModel['flavor'];
  private readonly session: EvaluationSession;
  // Writes not yet folded into `evaluation`, and the symbols whose values they can reach (transitively,
  // through the model's dependents index). A read of a clean symbol can use the old evaluation, so many
  // answers are folded into the session at once instead of one each.
  private pending: { sym: KconfigSymbol; value: UserValue; moveChoice: boolean }[] = [];
  private pendingBySym = new Map<KconfigSymbol, UserValue>();
  private readonly dirty: Uint8Array;
  // the dirty symbols' ids, in dirtyList[0 .. dirtyCount) (kept between flushes: no garbage per batch)
  private readonly dirtyList: Int32Array;
  private dirtyCount = 0;
  // v6.1: the user values conf_read() unflagged (def[S_DEF_USER] still holds them), for menu_is_visible()
  private readonly unflagged: ReadonlyMap<number, UserValue>;
  // v6.1: choices whose SYMBOL_DEF_USER sym_calc_choice() cleared (until a member is set again)
  private readonly choiceUnflagged = new Set<number>();
  // v6.12: the choice members' visibility as conf holds it, perhaps stale (choice-visibility-v612.ts)
  private readonly members: ChoiceVisibility | null = null;

  constructor(model: KconfigModel, ev: Evaluation, unflagged: ReadonlyMap<number, UserValue> = new Map()) {
    this.model = model;
    this.root = model.root;
    this.flavor = model.flavor;
    this.session = EvaluationSession.start(ev);
    this.dirty = new Uint8Array(model.symbols.length);
    this.dirtyList = new Int32Array(model.symbols.length);
    this.unflagged = unflagged;
    if (this.flavor === 'v6.12') {
      this.members = new ChoiceVisibility(model, {
        visibility: (sym) => this.at(sym).visibility(sym),
        exprValue: (e) => this.atExpr(e).exprValue(e),
        userValue: (sym) => this.userValue(sym),
        priority: (choice) => {
          for (const m of choice.choiceMembers) this.at(m);
          return this.evaluation.assignments.priority(choice);
        },
        pending: this.dirty,
        pendingIds: this.dirtyList,
        pendingCount: () => this.dirtyCount,
      });
    }
  }

  /** A snapshot of the evaluation with every answer so far applied. */
  get ev(): Evaluation {
    this.flush();
    return this.session.snapshot();
  }

  // the live evaluation with every answer so far applied (changes with the next flush)
  private current(): Evaluation {
    this.flush();
    return this.session.current;
  }

  private get evaluation(): Evaluation {
    return this.session.current;
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    const modules = this.pendingBySym.has(this.model.modules);
    this.session.applyChanges(this.pending);
    this.pending = [];
    this.pendingBySym.clear();
    for (let i = 0; i < this.dirtyCount; i++) this.dirty[this.dirtyList[i]] = 0;
    // a MODULES change retypes every tristate (it is folded in at once, without marks)
    this.members?.flushed(this.dirtyList, this.dirtyCount, modules);
    this.dirtyCount = 0;
  }

  private write(sym: KconfigSymbol, value: UserValue, moveChoice = true): void {
    this.pending.push({ sym, value, moveChoice });
    this.pendingBySym.set(sym, value);
    if (sym === this.model.modules) {
      this.flush();
      return;
    }
    if (this.keepsValue(sym, value)) return;
    const { start, target } = dependentsTable(this.model);
    const dirty = this.dirty;
    const list = this.dirtyList;
    let count = this.dirtyCount;
    // the dirty list doubles as the work list: everything from `count` on still has its dependents to mark
    if (!dirty[sym.id]) {
      dirty[sym.id] = 1;
      list[count++] = sym.id;
    }
    for (let next = this.dirtyCount; next < count; next++) {
      const id = list[next];
      for (let i = start[id], end = start[id + 1]; i < end; i++) {
        const d = target[i];
        if (!dirty[d]) {
          dirty[d] = 1;
          list[count++] = d;
        }
      }
    }
    this.dirtyCount = count;
  }

  // True when giving `sym` this user value cannot change its value (mirrors the user-value branch of
  // sym_calc_value(), symbol.c): then nothing that reads it changes either, and the write can wait.
  private keepsValue(sym: KconfigSymbol, value: UserValue): boolean {
    if (sym.isChoice || sym.choice || this.dirty[sym.id]) return false;
    const ev = this.evaluation;
    const vis = ev.visibility(sym);
    if (vis === 0) return true;
    if (sym.type === 'bool' || sym.type === 'tristate') {
      let v = Math.max(Math.min(value.tri, vis), ev.revDepValue(sym));
      if (v === 1 && (ev.effectiveType(sym) === 'bool' || ev.impliedValue(sym) === 2)) v = 2;
      return v === ev.tristate(sym);
    }
    return value.str === ev.value(sym);
  }

  private userValue(sym: KconfigSymbol): UserValue | undefined {
    return this.pendingBySym.get(sym) ?? this.evaluation.assignments.get(sym);
  }

  // the evaluation to read `sym` from: the old one while `sym` is clean
  private at(sym: KconfigSymbol): Evaluation {
    if (this.dirty[sym.id]) this.flush();
    return this.evaluation;
  }

  private atExpr(e: Expr | null): Evaluation {
    if (e && this.dirtyCount > 0 && this.exprDirty(e)) this.flush();
    return this.evaluation;
  }

  private exprDirty(e: Expr): boolean {
    if ((e.sym && this.dirty[e.sym.id]) || (e.sym2 && this.dirty[e.sym2.id])) return true;
    return (e.a !== null && this.exprDirty(e.a)) || (e.b !== null && this.exprDirty(e.b));
  }

  /** conf_read(): a fresh state from `.config` text. */
  static load(model: KconfigModel, dotConfig: string): EngineKconfig {
    // a fresh Assignments object owned by this state alone (the in-place path mutates its maps); 6.1's
    // conf_read() then forgets the values of invisible symbols (they are NEW again if they become visible)
    const read = readDotConfig(model, dotConfig, '.config').assignments;
    if (model.flavor !== 'v6.1') return new EngineKconfig(model, Evaluation.create(model, read));
    const assignments = postReadV61(model, read);
    const unflagged = new Map<number, UserValue>();
    for (const sym of model.symbols) {
      const value = read.get(sym);
      if (value && !assignments.get(sym)) unflagged.set(sym.id, value);
    }
    return new EngineKconfig(model, Evaluation.create(model, assignments), unflagged);
  }

  exprValue(e: Expr | null): Tristate {
    return this.atExpr(e).exprValue(e);
  }

  // mirrors menu_is_visible(), menu.c
  isVisible(menu: MenuNode): boolean {
    if (!menu.prompt) return false;
    const members = this.members;
    if (members) members.calcNode(menu);
    if (menu.visibility && this.atExpr(menu.visibility).exprValue(menu.visibility) === 0) return false;
    const sym = menu.sym;
    if (members) {
      if (sym) members.calc(sym);
      else members.calcVisible(menu.prompt);
    }
    let visible = sym ? this.at(sym).propertyVisibility(menu.prompt) : this.atExpr(menu.prompt.visible).exprValue(menu.prompt.visible);
    // 6.12: a choice member's prompt visibility as conf last computed it
    if (members && sym && sym.choice && members.isStale(sym)) visible = members.visibility(sym);
    if (visible !== 0) return true;
    if (!sym || this.at(sym).tristate(sym) === 0) return false;
    for (let c = menu.firstChild; c; c = c.next) {
      if (!this.isVisible(c)) continue;
      // v6.1: a symbol shown only for its visible children counts as set by the user from now on
      // (SYMBOL_DEF_USER, with whatever def[S_DEF_USER] holds), so check_conf() never asks it as new
      if (this.flavor === 'v6.1' && !this.userValue(sym)) this.write(sym, this.unflagged.get(sym.id) ?? { tri: 0, str: '' }, false);
      return true;
    }
    return false;
  }

  promptText(menu: MenuNode): string {
    return menu === this.root ? this.model.mainmenu : (menu.prompt?.text ?? '');
  }

  hasValue(sym: KconfigSymbol): boolean {
    if (this.userValue(sym) === undefined) return false;
    return !(this.flavor === 'v6.1' && sym.isChoice && this.choiceLostUserFlag(sym));
  }

  // mirrors the start of 6.1's sym_calc_choice(), symbol.c: a choice whose value is y loses SYMBOL_DEF_USER
  // while a visible member has none (its remembered member stays), and does not get it back by itself.
  // Gotcha: C checks at every recomputation of the choice, this at every sym_has_value() conf asks.
  private choiceLostUserFlag(cs: KconfigSymbol): boolean {
    if (this.choiceUnflagged.has(cs.id)) return true;
    if (this.tristate(cs) !== 2) return false;
    const ev = this.current();
    for (const node of cs.nodes) {
      for (const m of node.choiceMembers) {
        if (ev.visibility(m) !== 0 && this.userValue(m) === undefined) {
          this.choiceUnflagged.add(cs.id);
          return true;
        }
      }
    }
    return false;
  }

  isChangeable(sym: KconfigSymbol): boolean {
    // a 6.12 member's rev_dep.tri stays no: changeable when its sym->visible (perhaps stale) is not
    if (this.members && sym.choice && this.members.isStale(sym)) return this.members.visibility(sym) !== 0;
    return isChangeable(this.at(sym), sym);
  }

  tristate(sym: KconfigSymbol): Tristate {
    return this.at(sym).tristate(sym);
  }

  stringValue(sym: KconfigSymbol): string {
    return this.at(sym).value(sym);
  }

  withinRange(sym: KconfigSymbol, val: Tristate): boolean {
    return tristateWithinRange(this.at(sym), sym, val);
  }

  // mirrors sym_set_tristate_value(), symbol.c
  setTristate(sym: KconfigSymbol, val: Tristate): boolean {
    // 6.1 accepts the current value even when it is out of range
    if (!(this.flavor === 'v6.1' && this.tristate(sym) === val) && !this.withinRange(sym, val)) return false;
    const u = this.userValue(sym);
    if (this.flavor === 'v6.1' && sym.choice && sym.choice.sym && val === 2) {
      // 6.1: the choice remembers the member, and every visible member counts as answered
      const cs = sym.choice.sym;
      const cu = this.userValue(cs);
      const ev = this.current();
      for (const m of sym.choice.choiceMembers) {
        if (m !== sym && ev.visibility(m) !== 0 && !this.userValue(m)) this.write(m, { tri: 0, str: 'n' });
      }
      this.write(cs, { tri: cu?.tri ?? 0, str: cu?.str ?? '', choiceMember: sym }, false);
      this.choiceUnflagged.delete(cs.id);
      this.write(sym, { tri: 2, str: 'y' });
      return true;
    }
    // sym_clear_all_valid() when the value changes
    const clear = this.members !== null && this.tristate(sym) !== val;
    if (!u || u.tri !== val) this.write(sym, { tri: val, str: TRI_TEXT[val] });
    if (clear) this.members!.invalidate();
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
    if (!stringWithinRange(this.current(), sym, value)) return false;
    const stored = sym.type === 'hex' && !/^0[xX]/.test(value) ? `0x${value}` : value;
    const u = this.userValue(sym);
    if (!u || u.str !== stored) this.write(sym, { tri: 0, str: stored });
    // sym_clear_all_valid() unless the user text stays (a hex without 0x always clears)
    if (this.members && (!u || u.str !== value)) this.members.invalidate();
    return true;
  }

  choiceSelection(choice: MenuNode): KconfigSymbol | null {
    if (this.members) this.members.calcChoice(choice);
    if (choice.sym) this.at(choice.sym);
    for (const m of choice.choiceMembers) this.at(m);
    return this.evaluation.choiceSelection(choice);
  }

  // mirrors choice_set_value(), symbol.c (6.12); v6.1 stores the member in the choice symbol
  setChoice(choice: MenuNode, member: KconfigSymbol): void {
    const ev = this.current();
    const members = this.members;
    const writes: [KconfigSymbol, Tristate][] = [];
    let changed = false;
    const visit = (node: MenuNode) => {
      for (let c = node.firstChild; c; c = c.next) {
        const s = c.sym;
        // 6.12 reads each member's sym->visible as conf holds it (perhaps stale)
        if (s && !s.isChoice && (members && s.choice ? members.visibility(s) : ev.visibility(s)) !== 0) {
          const val = s === member ? 2 : 0;
          writes.push([s, val]);
          if (ev.tristate(s) !== val) changed = true;
        }
        visit(c);
      }
    };
    visit(choice);
    for (const [s, val] of writes) this.write(s, { tri: val, str: TRI_TEXT[val] });
    if (members && changed) members.invalidate();
    if (this.model.flavor === 'v6.1' && choice.sym) this.write(choice.sym, { tri: 2, str: 'y', choiceMember: member }, false);
    this.flush();
  }

  /** conf_write(). */
  writeConfig(): string {
    const ev = this.current();
    const members = this.members;
    if (!members || !members.changed) return writeDotConfig(ev);
    // conf_write() computes the symbols in menu order; a member whose sym->visible is not no has SYMBOL_WRITE
    // (set by sym_calc_choice()), stale or not
    let stale = false;
    for (const node of menuNodesInOrder(this.model)) {
      const sym = node.sym;
      if (!sym) {
        members.calcNode(node);
        if (node.prompt) members.calcVisible(node.prompt);
      } else if (!sym.isChoice) {
        members.calc(sym);
        if (sym.choice && members.isStale(sym)) stale = true;
      }
    }
    if (!stale) return writeDotConfig(ev);
    const view = Object.create(ev) as Evaluation;
    view.isWritten = (sym: KconfigSymbol): boolean => (sym.choice && members.isStale(sym) ? members.visibility(sym) !== 0 : ev.isWritten(sym));
    return writeDotConfig(view);
  }
}

/** The model's dependents index as flat arrays (`target[start[id] .. start[id + 1])`), for write()'s walk. */
interface DependentsTable {
  readonly start: Int32Array;
  readonly target: Int32Array;
}

// one per model, made on first use (the model itself is read-only)
const dependentsTables = new WeakMap<KconfigModel, DependentsTable>();

function dependentsTable(model: KconfigModel): DependentsTable {
  let t = dependentsTables.get(model);
  if (!t) {
    const deps = model.dependents;
    const start = new Int32Array(deps.length + 1);
    for (let i = 0; i < deps.length; i++) start[i + 1] = start[i] + deps[i].length;
    const target = new Int32Array(start[deps.length]);
    for (let i = 0; i < deps.length; i++) target.set(deps[i], start[i]);
    dependentsTables.set(model, (t = { start, target }));
  }
  return t;
}

/** A loader for the conf dialogue: every `make config` run starts from a fresh read of `.config`. */
export function engineLoader(model: KconfigModel): (dotConfig: string) => EngineKconfig {
  return (dotConfig) => EngineKconfig.load(model, dotConfig);
}
