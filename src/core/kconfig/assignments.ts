/**
 * User input to an evaluation: the C code's `sym->def[S_DEF_USER]` values (from a .config, a defconfig,
 * KCONFIG_ALLCONFIG, an all*config mode or an interactive answer), immutable. A change gives a new value.
 */
import type { SourceSpan } from '../diag/span.ts';
import type { KconfigModel, KconfigSymbol, MenuNode, Tristate } from './model.ts';

/** One user value: a tristate for bool/tristate symbols, a string for int/hex/string ones. */
export interface UserValue {
  readonly tri: Tristate;
  readonly str: string;
  /** Where it came from (a .config line), for provenance. */
  readonly span?: SourceSpan;
  /** v6.1 choices: the member the user chose (cs->def[S_DEF_USER].val). */
  readonly choiceMember?: KconfigSymbol;
}

/** Immutable user values plus the v6.12 choice priority lists (menu::choice_members). */
export class Assignments {
  /** Symbol id → user value (the symbols with SYMBOL_DEF_USER). */
  readonly values: ReadonlyMap<number, UserValue>;
  /** Choice node id → member ids in priority order, when it differs from the model's order. */
  readonly choiceOrder: ReadonlyMap<number, readonly number[]>;

  private constructor(values: ReadonlyMap<number, UserValue>, choiceOrder: ReadonlyMap<number, readonly number[]>) {
    this.values = values;
    this.choiceOrder = choiceOrder;
  }

  /** No user values at all (a fresh `conf` before any input). */
  static empty(): Assignments {
    return new Assignments(new Map(), new Map());
  }

  /** Makes assignments from raw maps (used by readers and targets that build many values at once). */
  static from(values: ReadonlyMap<number, UserValue>, choiceOrder: ReadonlyMap<number, readonly number[]> = new Map()): Assignments {
    return new Assignments(values, choiceOrder);
  }

  /** The user value of `sym`, if it has one (sym_has_value()). */
  get(sym: KconfigSymbol): UserValue | undefined {
    return this.values.get(sym.id);
  }

  /** True when `sym` has a user value. */
  has(sym: KconfigSymbol): boolean {
    return this.values.has(sym.id);
  }

  /**
   * A copy with `sym` set to `value` (or unset with `undefined`). A v6.12 choice member also moves to the
   * head of its choice's priority list, as conf_read_simple() does for every line it reads.
   */
  with(sym: KconfigSymbol, value: UserValue | undefined): Assignments {
    const values = new Map(this.values);
    if (value === undefined) values.delete(sym.id);
    else values.set(sym.id, value);
    let order = this.choiceOrder;
    if (value !== undefined && sym.choice && sym.choice.choiceMembers.length > 0) {
      const next = new Map(order);
      next.set(sym.choice.id, moveToHead(this.priority(sym.choice), sym.id));
      order = next;
    }
    return new Assignments(values, order);
  }

  /** The v6.12 priority order of a choice's members (ids). */
  priority(choice: MenuNode): readonly number[] {
    return this.choiceOrder.get(choice.id) ?? choice.choiceMembers.map((s) => s.id);
  }
}

/** Moves `id` to the front of `list` (list_move() to the head). */
export function moveToHead(list: readonly number[], id: number): number[] {
  const out = [id];
  for (const x of list) if (x !== id) out.push(x);
  return out;
}

/** Moves `id` to the end of `list` (list_move_tail()). */
export function moveToTail(list: readonly number[], id: number): number[] {
  const out: number[] = [];
  for (const x of list) if (x !== id) out.push(x);
  out.push(id);
  return out;
}

/** Mutable builder of assignments for readers and targets (one map, frozen by `build`). */
export class AssignmentsBuilder {
  readonly values: Map<number, UserValue>;
  readonly choiceOrder: Map<number, readonly number[]>;

  constructor(from: Assignments = Assignments.empty()) {
    this.values = new Map(from.values);
    this.choiceOrder = new Map(from.choiceOrder);
  }

  /** Sets a user value (and, for v6.12 choice members, moves it to the head of the priority list). */
  set(sym: KconfigSymbol, value: UserValue, moveChoice = true): void {
    this.values.set(sym.id, value);
    if (moveChoice && sym.choice && sym.choice.choiceMembers.length > 0 && !sym.choice.sym!.name) {
      this.choiceOrder.set(sym.choice.id, moveToHead(this.priority(sym.choice), sym.id));
    }
  }

  /** The current priority order of a choice. */
  priority(choice: MenuNode): readonly number[] {
    return this.choiceOrder.get(choice.id) ?? choice.choiceMembers.map((s) => s.id);
  }

  /** Freezes the values into an Assignments. */
  build(): Assignments {
    return Assignments.from(new Map(this.values), new Map(this.choiceOrder));
  }
}
