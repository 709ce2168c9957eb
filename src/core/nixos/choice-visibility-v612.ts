/**
 * The visibility of Linux 6.12's choice members as a running conf process holds it (sym->visible), which is
 * not always the current one, for the conf dialogue's engine view (engine-kconfig.ts).
 *
 * Gotcha: 6.12's sym_calc_choice(), symbol.c, recomputes the members' visibility in priority order but stops
 * at the first visible member the user set to y; its last loop then marks every member whose sym->visible
 * (fresh or not) is not no as SYMBOL_VALID. So until the next sym_clear_all_valid() (every answer that
 * changes a value) conf keeps a member's visibility from before the last answers: a member whose `depends on`
 * was just answered n is still listed, still NEW, still set to n by choice_set_value() and still written to
 * .config. Which members are stale depends on which member conf computes first after an answer, that is on
 * the order in which conf's lazy sym_calc_value() reaches the symbols; this class replays that order (the
 * symbols conf computes, no values: those come from the evaluation, which conf agrees with) for the symbols
 * from which a member that may be stale can be reached (computing any other symbol changes nothing here).
 */
import type { UserValue } from '../kconfig/assignments.ts';
import type { Expr } from '../kconfig/expr.ts';
import type { KconfigModel, KconfigSymbol, MenuNode, Property, Tristate } from '../kconfig/model.ts';

/** What the replay reads from the engine: current values (with every answer so far applied). */
export interface ChoiceVisibilityHost {
  /** sym->visible, freshly computed. */
  visibility(sym: KconfigSymbol): Tristate;
  exprValue(e: Expr | null): Tristate;
  /** def[S_DEF_USER] when SYMBOL_DEF_USER is set. */
  userValue(sym: KconfigSymbol): UserValue | undefined;
  /** The choice's members in priority order (choice->choice_members), as symbol ids. */
  priority(choice: MenuNode): readonly number[];
  /**
   * Per symbol id, 1 while an answer not yet folded into the engine's values can change the symbol (the engine
   * view's batching, engine-kconfig.ts); the engine calls `flushed()` when it folds them in.
   */
  readonly pending: Uint8Array;
  /** The pending symbols' ids, in `pendingIds[0 .. pendingCount())`: a list that only grows until `flushed()`. */
  readonly pendingIds: Int32Array;
  pendingCount(): number;
}

const NO_IDS = new Int32Array(0);

/**
 * Per model, made on first use: which symbols can reach a choice member through what sym_calc_value()
 * computes, and the replay's expressions compiled to lists of the symbol ids it computes, in walk order
 * (expr_calc_value() reaches every operand, left first): only symbols that can reach a member (computing
 * any other one changes nothing here), each once (a second sym_calc_value() of a symbol in one round is a
 * no-op). A list is named by its index in `lists`; 0 is the empty list.
 */
class ReplayTables {
  readonly reach: Uint8Array;
  readonly lists: Int32Array[] = [NO_IDS];
  // list index + 1 per symbol (prompt conditions, then for a non-member dirDep, revDep, impliedDep),
  // per property (its `visible`; its `expr`) and per menu node (its `visible if`); 0: not made yet
  private readonly heads: Int32Array;
  private readonly visibles: Int32Array;
  private readonly exprs: Int32Array;
  private readonly nodes: Int32Array;
  // scratch for de-duplication: mark[id] === stamp when id is in the list being made
  private readonly mark: Int32Array;
  private stamp = 0;
  private readonly ids: number[] = [];

  constructor(model: KconfigModel) {
    const n = model.symbols.length;
    const reach = new Uint8Array(n);
    const work: number[] = [];
    for (const s of model.symbols) {
      if (!s.choice) continue;
      reach[s.id] = 1;
      work.push(s.id);
    }
    const deps = model.dependents;
    while (work.length > 0) {
      for (const d of deps[work.pop()!]) {
        if (reach[d]) continue;
        reach[d] = 1;
        work.push(d);
      }
    }
    // calc() of an `unknown` symbol computes nothing
    for (const s of model.symbols) if (s.type === 'unknown') reach[s.id] = 0;
    this.reach = reach;
    this.heads = new Int32Array(n);
    this.visibles = new Int32Array(model.properties.length);
    this.exprs = new Int32Array(model.properties.length);
    this.nodes = new Int32Array(model.nodes.length);
    this.mark = new Int32Array(n);
  }

  /** The symbols calc() computes unconditionally before a symbol's value (sym_calc_visibility() and the deps). */
  head(sym: KconfigSymbol): number {
    const made = this.heads[sym.id];
    if (made !== 0) return made - 1;
    this.begin();
    for (const p of sym.prompts) this.add(p.visible);
    if (!sym.choice) {
      this.add(sym.dirDep);
      this.add(sym.revDep);
      this.add(sym.impliedDep);
    }
    const list = this.end();
    this.heads[sym.id] = list + 1;
    return list;
  }

  /** The symbols a property's condition computes. */
  visible(p: Property): number {
    const made = this.visibles[p.id];
    if (made !== 0) return made - 1;
    this.begin();
    this.add(p.visible);
    const list = this.end();
    this.visibles[p.id] = list + 1;
    return list;
  }

  /** The symbols a default's value expression computes. */
  expr(p: Property): number {
    const made = this.exprs[p.id];
    if (made !== 0) return made - 1;
    this.begin();
    this.add(p.expr);
    const list = this.end();
    this.exprs[p.id] = list + 1;
    return list;
  }

  /** The symbols a menu node's `visible if` computes. */
  node(node: MenuNode): number {
    const made = this.nodes[node.id];
    if (made !== 0) return made - 1;
    this.begin();
    this.add(node.visibility);
    const list = this.end();
    this.nodes[node.id] = list + 1;
    return list;
  }

  private begin(): void {
    this.stamp++;
    this.ids.length = 0;
  }

  // expr_calc_value()'s walk: both symbols of a node, then both operands, left first
  private add(e: Expr | null): void {
    if (!e) return;
    if (e.sym) this.addSymbol(e.sym.id);
    if (e.sym2) this.addSymbol(e.sym2.id);
    if (e.a) this.add(e.a);
    if (e.b) this.add(e.b);
  }

  private addSymbol(id: number): void {
    if (!this.reach[id] || this.mark[id] === this.stamp) return;
    this.mark[id] = this.stamp;
    this.ids.push(id);
  }

  private end(): number {
    if (this.ids.length === 0) return 0;
    this.lists.push(Int32Array.from(this.ids));
    return this.lists.length - 1;
  }
}

const replayTables = new WeakMap<KconfigModel, ReplayTables>();

function tablesOf(model: KconfigModel): ReplayTables {
  let t = replayTables.get(model);
  if (!t) replayTables.set(model, (t = new ReplayTables(model)));
  return t;
}

/** conf's sym->visible of every 6.12 choice member, and the SYMBOL_VALID rounds that decide when it is recomputed. */
export class ChoiceVisibility {
  private readonly model: KconfigModel;
  private readonly host: ChoiceVisibilityHost;
  private readonly tables: ReplayTables;
  private readonly reach: Uint8Array;
  private readonly symbols: readonly KconfigSymbol[];
  // sym->visible of each member as conf last computed it
  private readonly vis: Uint8Array;
  // the round (sym_clear_all_valid() calls so far) in which SYMBOL_VALID was last set on a symbol
  private readonly valid: Int32Array;
  // per list (ReplayTables): the round in which every symbol of it was computed (then running it is a no-op)
  private done = new Int32Array(64).fill(-1);
  private round = 0;
  // every choice member's id, and 1 per member id
  private readonly members: Int32Array;
  private readonly isMember: Uint8Array;
  // this round changes nothing here: no member's held visibility differed from its current one when the round
  // began (sym_clear_all_valid()), and values do not change within a round, so every recomputation gives what is held
  private quiet = true;
  // The members whose held visibility differs from their current value as the engine has folded it in (1 per
  // id), kept up to date as the replay recomputes members and as the engine folds answers in (`flushed()`).
  private readonly stale: Uint8Array;
  private staleCount = 0;
  private staleChanged = false;
  // The symbols whose computation can reach a stale member (those members, the other members of their choices,
  // and everything that reads them, transitively), made anew when the stale set changed. A member whose value an
  // unfolded answer can change (`host.pending`) may be stale too, unknown until the engine folds the answer in:
  // the symbols that can reach such a member (its choice's members and their readers, all pending as well) are
  // relevant too (`pendingRelevant`, grown as the pending list grows, cleared by `flushed()`). Computing any
  // other symbol only recomputes members whose held visibility is current, so the replay skips it; and nothing
  // here reads a pending value before the dialogue itself does, so the engine's batching stays intact.
  private relevant: Uint8Array;
  private readonly relevantBySet = new Map<string, Uint8Array>();
  private readonly pendingRelevant: Uint8Array;
  private readonly pendingRelevantIds: number[] = [];
  // how much of the host's pending list has been looked at for members
  private pendingSeen = 0;

  /** After conf_read(): every symbol computed, every member's visibility current. */
  constructor(model: KconfigModel, host: ChoiceVisibilityHost) {
    this.model = model;
    this.host = host;
    this.tables = tablesOf(model);
    this.reach = this.tables.reach;
    this.symbols = model.symbols;
    this.vis = new Uint8Array(model.symbols.length);
    this.valid = new Int32Array(model.symbols.length);
    this.stale = new Uint8Array(model.symbols.length);
    this.pendingRelevant = new Uint8Array(model.symbols.length);
    const members: number[] = [];
    for (const s of model.symbols) {
      if (!s.choice) continue;
      this.vis[s.id] = host.visibility(s);
      members.push(s.id);
    }
    this.members = Int32Array.from(members);
    this.isMember = new Uint8Array(model.symbols.length);
    for (const id of members) this.isMember[id] = 1;
    this.relevant = new Uint8Array(model.symbols.length);
  }

  /** sym_clear_all_valid(): a new round, which starts by computing MODULES. */
  invalidate(): void {
    this.round++;
    this.quiet = this.staleCount === 0 && !this.anyMemberPending();
    this.calc(this.model.modules);
  }

  private anyMemberPending(): boolean {
    const members = this.members;
    const pending = this.host.pending;
    for (let i = 0; i < members.length; i++) if (pending[members[i]]) return true;
    return false;
  }

  /**
   * The engine folded answers in: the symbols `ids[0 .. count)` (every symbol when `all`) may have new values;
   * the members among them are stale or not anew.
   */
  flushed(ids: Int32Array, count: number, all: boolean): void {
    for (const id of this.pendingRelevantIds) this.pendingRelevant[id] = 0;
    this.pendingRelevantIds.length = 0;
    this.pendingSeen = 0;
    if (all) {
      for (const id of this.members) this.recheck(id);
      return;
    }
    const isMember = this.isMember;
    for (let i = 0; i < count; i++) if (isMember[ids[i]]) this.recheck(ids[i]);
  }

  // a member's held visibility against its current one (no pending answer can change it here)
  private recheck(id: number): void {
    this.markStale(id, this.vis[id] !== this.host.visibility(this.symbols[id]));
  }

  private markStale(id: number, stale: boolean): void {
    if ((this.stale[id] === 1) === stale) return;
    this.stale[id] = stale ? 1 : 0;
    this.staleCount += stale ? 1 : -1;
    this.staleChanged = true;
  }

  // the symbols that can reach a pending member (see `relevant`), brought up to date with the pending list
  private pendingRelevantNow(): Uint8Array {
    const count = this.host.pendingCount();
    if (this.pendingSeen === count) return this.pendingRelevant;
    const ids = this.host.pendingIds;
    const symbols = this.symbols;
    const relevant = this.pendingRelevant;
    const list = this.pendingRelevantIds;
    const deps = this.model.dependents;
    let next = list.length;
    const isMember = this.isMember;
    for (let i = this.pendingSeen; i < count; i++) {
      if (!isMember[ids[i]] || relevant[ids[i]]) continue;
      for (const m of symbols[ids[i]].choice!.choiceMembers) {
        if (relevant[m.id]) continue;
        relevant[m.id] = 1;
        list.push(m.id);
      }
      for (; next < list.length; next++) {
        for (const d of deps[list[next]]) {
          if (relevant[d]) continue;
          relevant[d] = 1;
          list.push(d);
        }
      }
    }
    this.pendingSeen = count;
    return relevant;
  }

  // the relevant symbols for the current stale set (see `relevant`)
  private relevantNow(): Uint8Array {
    if (!this.staleChanged) return this.relevant;
    this.staleChanged = false;
    const symbols = this.symbols;
    const ids: number[] = [];
    for (const id of this.members) if (this.stale[id]) ids.push(id);
    const key = ids.join(',');
    let relevant = this.relevantBySet.get(key);
    if (!relevant) {
      relevant = new Uint8Array(symbols.length);
      const work: number[] = [];
      const add = (id: number) => {
        if (relevant![id]) return;
        relevant![id] = 1;
        work.push(id);
      };
      for (const id of ids) for (const m of symbols[id].choice!.choiceMembers) add(m.id);
      const deps = this.model.dependents;
      while (work.length > 0) for (const d of deps[work.pop()!]) add(d);
      const reach = this.reach;
      for (let id = 0; id < relevant.length; id++) relevant[id] &= reach[id];
      if (this.relevantBySet.size >= 64) this.relevantBySet.clear();
      this.relevantBySet.set(key, relevant);
    }
    return (this.relevant = relevant);
  }

  /** True when at least one value changed since conf_read(). */
  get changed(): boolean {
    return this.round > 0;
  }

  /** sym->visible of a member as conf holds it now (perhaps stale). */
  visibility(sym: KconfigSymbol): Tristate {
    return this.vis[sym.id] as Tristate;
  }

  /** True when conf holds a member's visibility from an earlier round than the current value. */
  isStale(sym: KconfigSymbol): boolean {
    return this.round > 0 && this.vis[sym.id] !== this.host.visibility(sym);
  }

  // mirrors what sym_calc_value(), symbol.c, computes, in its order (values are not kept here)
  /** sym_calc_value() of one symbol. */
  calc(sym: KconfigSymbol): void {
    const id = sym.id;
    if (this.quiet || this.valid[id] === this.round) return;
    if (!this.reach[id] || (!this.relevantNow()[id] && !(this.host.pending[id] && this.pendingRelevantNow()[id]))) return;
    this.valid[id] = this.round;
    const type = sym.type;
    const tables = this.tables;
    // sym_calc_visibility(), then (not for a member) the dependencies
    this.run(tables.head(sym));
    if (sym.choice) {
      this.vis[id] = this.host.visibility(sym);
      this.markStale(id, false);
      this.calcChoice(sym.choice);
      return;
    }
    if (sym.isChoice) return;
    if (this.host.visibility(sym) !== 0 && this.host.userValue(sym) !== undefined) return;
    // sym_get_default_prop()
    for (const p of sym.defaults) {
      this.run(tables.visible(p));
      if (this.host.exprValue(p.visible) === 0) continue;
      if (type === 'bool' || type === 'tristate') this.run(tables.expr(p));
      else if (p.target) this.calc(p.target);
      break;
    }
    if (type !== 'int' && type !== 'hex') return;
    // sym_validate_range() (approximated: both bounds)
    for (const p of sym.ranges) {
      this.run(tables.visible(p));
      if (this.host.exprValue(p.visible) === 0) continue;
      if (p.low) this.calc(p.low);
      if (p.high) this.calc(p.high);
      break;
    }
  }

  /** expr_calc_value() of a property's condition (a prompt's, as menu_is_visible() reads it). */
  calcVisible(p: Property): void {
    this.run(this.tables.visible(p));
  }

  /** expr_calc_value() of a menu node's `visible if` (menu_is_visible()). */
  calcNode(node: MenuNode): void {
    this.run(this.tables.node(node));
  }

  // calc() of every symbol of a list (ReplayTables), skipped when all of them were computed this round
  private run(list: number): void {
    if (list === 0 || this.quiet) return;
    let done = this.done;
    if (list >= done.length) {
      const grown = new Int32Array(Math.max(list + 1, done.length * 2)).fill(-1);
      grown.set(done);
      this.done = done = grown;
    }
    if (done[list] === this.round) return;
    const ids = this.tables.lists[list];
    const symbols = this.symbols;
    for (let i = 0; i < ids.length; i++) this.calc(symbols[ids[i]]);
    this.done[list] = this.round;
  }

  // mirrors the visibility work of sym_calc_choice() of 6.12, symbol.c
  /** sym_calc_choice() (conf_choice() calls it directly). */
  calcChoice(choice: MenuNode): void {
    if (this.quiet) return;
    const order = this.host.priority(choice);
    const symbols = this.symbols;
    const tables = this.tables;
    let found = false;
    for (let i = 0; i < order.length; i++) {
      const s = symbols[order[i]];
      for (const p of s.prompts) this.run(tables.visible(p));
      const v = this.host.visibility(s);
      this.vis[s.id] = v;
      this.markStale(s.id, false);
      if (v !== 0 && this.host.userValue(s)?.tri === 2) {
        found = true;
        break;
      }
    }
    // sym_choice_default() reads the defaults' conditions (the member's visibility only as held)
    if (!found) {
      for (const p of choice.sym!.defaults) {
        this.run(tables.visible(p));
        if (this.host.exprValue(p.visible) !== 0 && p.target && this.vis[p.target.id] !== 0) break;
      }
    }
    for (const s of choice.choiceMembers) if (this.vis[s.id] !== 0) this.valid[s.id] = this.round;
  }
}
