/**
 * User input to an evaluation: the C code's `sym->def[S_DEF_USER]` values (from a .config, a defconfig,
 * KCONFIG_ALLCONFIG, an all*config mode or an interactive answer), immutable. A change gives a new value.
 */
import type { SourceSpan } from '../diag/span.ts';
import type { KconfigSymbol, MenuNode, Tristate } from './model.ts';

/** One user value: a tristate for bool/tristate symbols, a string for int/hex/string ones. */
export interface UserValue {
  readonly tri: Tristate;
  readonly str: string;
  /** Where it came from (a .config line), for provenance. */
  readonly span?: SourceSpan;
  /** v6.1 choices: the member the user chose (cs->def[S_DEF_USER].val). */
  readonly choiceMember?: KconfigSymbol;
  /**
   * v6.1 choices: def[S_DEF_USER] without SYMBOL_DEF_USER (6.1's sym_calc_choice() clears the flag while a
   * visible member has no value): the member is still remembered, the value is not the user's.
   */
  readonly unflagged?: boolean;
}

/**
 * Immutable user values plus the v6.12 choice priority lists (menu::choice_members).
 * Gotcha: `with()` does not copy the whole map (a Debian .config has ~10k values): it layers one change
 * over its parent and flattens the chain every 16 layers, so a change costs O(1) and a lookup O(16).
 */
export class Assignments {
  /** Choice node id → member ids in priority order, when it differs from the model's order. */
  readonly choiceOrder: ReadonlyMap<number, readonly number[]>;
  private readonly own: ReadonlyMap<number, UserValue | null>;
  private readonly parent: Assignments | null;
  private readonly depth: number;
  private flat: ReadonlyMap<number, UserValue> | undefined;
  /** True for the one copy an EvaluationSession changes in place (see `owned`). */
  private readonly mutable: boolean;

  private constructor(
    own: ReadonlyMap<number, UserValue | null>,
    parent: Assignments | null,
    choiceOrder: ReadonlyMap<number, readonly number[]>,
    mutable = false,
  ) {
    this.mutable = mutable;
    this.own = own;
    this.parent = parent;
    this.depth = parent ? parent.depth + 1 : 0;
    this.choiceOrder = choiceOrder;
  }

  /** No user values at all (a fresh `conf` before any input). */
  static empty(): Assignments {
    return new Assignments(new Map(), null, new Map());
  }

  /** Makes assignments from raw maps (used by readers and targets that build many values at once). */
  static from(values: ReadonlyMap<number, UserValue>, choiceOrder: ReadonlyMap<number, readonly number[]> = new Map()): Assignments {
    return new Assignments(values, null, choiceOrder);
  }

  /**
   * A flat copy that `applyInPlace` changes in place: for EvaluationSession, which owns it alone, so that a
   * batch of changes costs O(changes) without layers to flatten.
   * Gotcha: whoever holds it sees the changes; `with()`/`withChanges()` on it start from a frozen copy.
   */
  static owned(from: Assignments): Assignments {
    return new Assignments(new Map(from.values), null, new Map(from.choiceOrder), true);
  }

  /** Applies changes in place, as `withChanges` would apply them on a copy (only on an `owned()` copy). */
  applyInPlace(changes: readonly AssignmentChange[]): void {
    if (!this.mutable) throw new Error('Assignments.applyInPlace: not an owned() copy');
    const own = this.own as Map<number, UserValue | null>;
    const order = this.choiceOrder as Map<number, readonly number[]>;
    for (const c of changes) {
      own.set(c.sym.id, c.value);
      const choice = c.sym.choice;
      if (c.moveChoice !== false && choice && choice.choiceMembers.length > 0 && !choice.sym!.name) {
        order.set(choice.id, moveToHead(order.get(choice.id) ?? choice.choiceMembers.map((s) => s.id), c.sym.id));
      }
    }
    this.flat = undefined;
  }

  /** An immutable copy of an `owned()` one (itself otherwise). */
  frozen(): Assignments {
    return this.mutable ? new Assignments(new Map(this.values), null, new Map(this.choiceOrder)) : this;
  }

  /** Symbol id → user value (the symbols with SYMBOL_DEF_USER), as one map. */
  get values(): ReadonlyMap<number, UserValue> {
    if (this.flat) return this.flat;
    if (!this.parent) {
      const m = new Map<number, UserValue>();
      for (const [k, v] of this.own) if (v) m.set(k, v);
      return (this.flat = m);
    }
    // One copy of the nearest flat ancestor, then every layer's changes oldest first (asking each
    // parent for its `values` would copy the whole map once per layer).
    const layers: Assignments[] = [];
    let base: Assignments | null = this;
    while (base && !base.flat && base.parent) {
      layers.push(base);
      base = base.parent;
    }
    const m = new Map(base!.values);
    for (let i = layers.length - 1; i >= 0; i--) {
      for (const [k, v] of layers[i].own) {
        if (v) m.set(k, v);
        else m.delete(k);
      }
    }
    return (this.flat = m);
  }

  /** The user value of a symbol id, if any. */
  getById(id: number): UserValue | undefined {
    for (let a: Assignments | null = this; a; a = a.parent) {
      const v = a.own.get(id);
      if (v !== undefined) return v ?? undefined;
    }
    return undefined;
  }

  /** The user value of `sym`, if it has one (sym_has_value()). */
  get(sym: KconfigSymbol): UserValue | undefined {
    return this.getById(sym.id);
  }

  /** True when `sym` has a user value. */
  has(sym: KconfigSymbol): boolean {
    return this.getById(sym.id) !== undefined;
  }

  /**
   * A copy with `sym` set to `value` (or unset with `undefined`). A v6.12 choice member also moves to the
   * head of its choice's priority list, as conf_read_simple() does for every line it reads.
   */
  with(sym: KconfigSymbol, value: UserValue | undefined): Assignments {
    if (this.mutable) return this.frozen().with(sym, value);
    let order = this.choiceOrder;
    if (value !== undefined && sym.choice && sym.choice.choiceMembers.length > 0) {
      const next = new Map(order);
      next.set(sym.choice.id, moveToHead(this.priority(sym.choice), sym.id));
      order = next;
    }
    if (this.depth >= 16) {
      const flat = new Map<number, UserValue | null>(this.values);
      flat.set(sym.id, value ?? null);
      return new Assignments(flat, null, order);
    }
    return new Assignments(new Map([[sym.id, value ?? null]]), this, order);
  }

  /**
   * A copy with several user values set at once, in order, as `AssignmentsBuilder.set` would set them on a
   * copy, but layered like `with()`: it costs O(changes), not a copy of every value. Meant for a caller
   * that makes thousands of small batches of changes (the conf dialogue simulation).
   */
  withChanges(changes: readonly AssignmentChange[]): Assignments {
    if (this.mutable) return this.frozen().withChanges(changes);
    if (changes.length === 0) return this;
    let order = this.choiceOrder;
    let orderCopied = false;
    const own = new Map<number, UserValue | null>();
    for (const c of changes) {
      own.set(c.sym.id, c.value);
      const choice = c.sym.choice;
      if (c.moveChoice !== false && choice && choice.choiceMembers.length > 0 && !choice.sym!.name) {
        if (!orderCopied) {
          order = new Map(order);
          orderCopied = true;
        }
        (order as Map<number, readonly number[]>).set(choice.id, moveToHead(order.get(choice.id) ?? choice.choiceMembers.map((s) => s.id), c.sym.id));
      }
    }
    if (this.depth >= 16) {
      const flat = new Map<number, UserValue | null>(this.values);
      for (const [k, v] of own) flat.set(k, v);
      return new Assignments(flat, null, order);
    }
    return new Assignments(own, this, order);
  }

  /** The v6.12 priority order of a choice's members (ids). */
  priority(choice: MenuNode): readonly number[] {
    return this.choiceOrder.get(choice.id) ?? choice.choiceMembers.map((s) => s.id);
  }
}

/** One change for `Assignments.withChanges`. */
export interface AssignmentChange {
  readonly sym: KconfigSymbol;
  readonly value: UserValue;
  /** v6.12: move a member of an unnamed choice to the head of its priority list (default true). */
  readonly moveChoice?: boolean;
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
