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
 * from which a choice member can be reached.
 */
import type { UserValue } from '../kconfig/assignments.ts';
import type { Expr } from '../kconfig/expr.ts';
import type { KconfigModel, KconfigSymbol, MenuNode, Tristate } from '../kconfig/model.ts';

/** What the replay reads from the engine: current values (with every answer so far applied). */
export interface ChoiceVisibilityHost {
  /** sym->visible, freshly computed. */
  visibility(sym: KconfigSymbol): Tristate;
  exprValue(e: Expr | null): Tristate;
  /** def[S_DEF_USER] when SYMBOL_DEF_USER is set. */
  userValue(sym: KconfigSymbol): UserValue | undefined;
  /** The choice's members in priority order (choice->choice_members), as symbol ids. */
  priority(choice: MenuNode): readonly number[];
}

/** Per model: which symbols can reach a choice member through what sym_calc_value() computes. */
const reachTables = new WeakMap<KconfigModel, Uint8Array>();

function reachTable(model: KconfigModel): Uint8Array {
  let reach = reachTables.get(model);
  if (reach) return reach;
  reach = new Uint8Array(model.symbols.length);
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
  reachTables.set(model, reach);
  return reach;
}

/** conf's sym->visible of every 6.12 choice member, and the SYMBOL_VALID rounds that decide when it is recomputed. */
export class ChoiceVisibility {
  private readonly model: KconfigModel;
  private readonly host: ChoiceVisibilityHost;
  private readonly reach: Uint8Array;
  // sym->visible of each member as conf last computed it
  private readonly vis: Uint8Array;
  // the round (sym_clear_all_valid() calls so far) in which SYMBOL_VALID was last set on a symbol
  private readonly valid: Int32Array;
  private round = 0;

  /** After conf_read(): every symbol computed, every member's visibility current. */
  constructor(model: KconfigModel, host: ChoiceVisibilityHost) {
    this.model = model;
    this.host = host;
    this.reach = reachTable(model);
    this.vis = new Uint8Array(model.symbols.length);
    this.valid = new Int32Array(model.symbols.length);
    for (const s of model.symbols) if (s.choice) this.vis[s.id] = host.visibility(s);
  }

  /** sym_clear_all_valid(): a new round, which starts by computing MODULES. */
  invalidate(): void {
    this.round++;
    this.calc(this.model.modules);
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
    if (!this.reach[id] || this.valid[id] === this.round) return;
    this.valid[id] = this.round;
    const type = sym.type;
    if (type === 'unknown') return;
    // sym_calc_visibility()
    for (const p of sym.prompts) this.calcExpr(p.visible);
    if (sym.choice) {
      this.vis[id] = this.host.visibility(sym);
      this.calcChoice(sym.choice);
      return;
    }
    this.calcExpr(sym.dirDep);
    this.calcExpr(sym.revDep);
    this.calcExpr(sym.impliedDep);
    if (sym.isChoice) return;
    if (this.host.visibility(sym) !== 0 && this.host.userValue(sym) !== undefined) return;
    // sym_get_default_prop()
    for (const p of sym.defaults) {
      this.calcExpr(p.visible);
      if (this.host.exprValue(p.visible) === 0) continue;
      if (type === 'bool' || type === 'tristate') this.calcExpr(p.expr);
      else if (p.target) this.calc(p.target);
      break;
    }
    if (type !== 'int' && type !== 'hex') return;
    // sym_validate_range() (approximated: both bounds)
    for (const p of sym.ranges) {
      this.calcExpr(p.visible);
      if (this.host.exprValue(p.visible) === 0) continue;
      if (p.low) this.calc(p.low);
      if (p.high) this.calc(p.high);
      break;
    }
  }

  /** expr_calc_value(): both operands of every node, left first. */
  calcExpr(e: Expr | null): void {
    if (!e) return;
    if (e.sym) this.calc(e.sym);
    if (e.sym2) this.calc(e.sym2);
    if (e.a) this.calcExpr(e.a);
    if (e.b) this.calcExpr(e.b);
  }

  // mirrors the visibility work of sym_calc_choice() of 6.12, symbol.c
  /** sym_calc_choice() (conf_choice() calls it directly). */
  calcChoice(choice: MenuNode): void {
    const order = this.host.priority(choice);
    const symbols = this.model.symbols;
    let found = false;
    for (let i = 0; i < order.length; i++) {
      const s = symbols[order[i]];
      for (const p of s.prompts) this.calcExpr(p.visible);
      const v = this.host.visibility(s);
      this.vis[s.id] = v;
      if (v !== 0 && this.host.userValue(s)?.tri === 2) {
        found = true;
        break;
      }
    }
    // sym_choice_default() reads the defaults' conditions (the member's visibility only as held)
    if (!found) {
      for (const p of choice.sym!.defaults) {
        this.calcExpr(p.visible);
        if (this.host.exprValue(p.visible) !== 0 && p.target && this.vis[p.target.id] !== 0) break;
      }
    }
    for (const s of choice.choiceMembers) if (this.vis[s.id] !== 0) this.valid[s.id] = this.round;
  }
}
