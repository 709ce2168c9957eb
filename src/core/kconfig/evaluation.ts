/**
 * Symbol values: an `Evaluation` is a model plus immutable `Assignments`, and computes every symbol's
 * value lazily and once, exactly as sym_calc_value() (symbol.c) of the model's flavor does.
 * `with()` gives a new Evaluation after one change, reusing every value the change cannot reach.
 */
import { Assignments, type UserValue } from './assignments.ts';
import { MinHeap } from './min-heap.ts';
import type { KconfigModel, KconfigSymbol } from './model.ts';
import { VALID, VIS, WRITE, type EvaluationState } from './evaluation-state.ts';
import { SymbolCalc } from './symbol-calc.ts';

export type { UnmetDependency } from './evaluation-state.ts';

/** Options of `Evaluation.create`. */
export interface EvaluationOptions {
  /**
   * The evaluation before a change of user values, when mirroring a conf step that recomputes after one
   * (conf_rewrite_tristates()): C's choice code then sees some members' earlier visibility.
   */
  readonly stale?: Evaluation;
}

/**
 * What evaluation-session.ts may do that nobody else may (set by Evaluation's static block; not in
 * index.ts): copy an evaluation's storage, and change the user values of an evaluation in place.
 */
export const sessionAccess = {} as {
  fork: (ev: Evaluation) => Evaluation;
  applyInPlace: (ev: Evaluation, assignments: Assignments, changed: readonly KconfigSymbol[]) => Evaluation;
};

/**
 * The values of every symbol for one model and one set of user values. The storage and reads are
 * evaluation-state.ts's, the computation symbol-calc.ts's; this layer makes evaluations and changes them.
 */
export class Evaluation extends SymbolCalc {
  // propagate()'s work lists, kept between calls (a session propagates thousands of times)
  private readonly scratch = { done: [] as number[], pending: [] as number[], before: [] as number[], beforeStr: [] as string[], sel: [] as number[] };
  private constructor(model: KconfigModel, assignments: Assignments, from?: Evaluation, stale?: EvaluationState) {
    super(model, assignments, from, stale);
  }

  static {
    sessionAccess.fork = (ev) => new Evaluation(ev.model, ev.userValues, ev);
    sessionAccess.applyInPlace = (ev, assignments, changed) => {
      for (const s of changed) if (s === ev.model.modules) return new Evaluation(ev.model, assignments, undefined, ev.stale ?? undefined);
      ev.userValues = assignments;
      ev.propagate(changed, true);
      return ev;
    };
  }

  /** Evaluates `model` with `assignments` (nothing is computed until asked). */
  static create(model: KconfigModel, assignments: Assignments = Assignments.empty(), options: EvaluationOptions = {}): Evaluation {
    return new Evaluation(model, assignments, undefined, options.stale);
  }

  /**
   * A new evaluation with different user values for some symbols (`changed` lists them). Values are
   * recomputed by change propagation: a symbol is recomputed, and only when its value, visibility or
   * dependency values differ are its dependents (the model's dependents index) queued in turn; every other
   * value is reused. A change of MODULES (which retypes every tristate) re-evaluates everything.
   */
  withAssignments(assignments: Assignments, changed: readonly KconfigSymbol[]): Evaluation {
    const model = this.model;
    for (const s of changed) if (s === model.modules) return new Evaluation(model, assignments);
    const next = new Evaluation(model, assignments, this);
    next.propagate(changed);
    return next;
  }

  /**
   * Recomputes what `changed` can reach. `skipUncomputed`: a unit none of whose symbols was computed yet is left
   * for a later read (nothing computed reads it: computing a symbol computes what it reads), and so are its
   * readers on its account. Not for evaluations with deliberately stale values (withStaleValues()).
   */
  private propagate(changed: readonly KconfigSymbol[], skipUncomputed = false): void {
    const model = this.model;
    const symbols = model.symbols;
    const deps = model.dependents;
    const { unitOf, members } = model.units;
    // Units in topological order: everything a unit reads is settled before it is recomputed.
    // (`queued` is kept between calls, all zero again at the end: a session propagates thousands of times.)
    const queued = this.queued && this.queued.length === members.length ? this.queued : (this.queued = new Uint8Array(members.length));
    const { done, pending, before, beforeStr, sel } = this.scratch;
    done.length = 0;
    pending.length = 0;
    const push = (id: number): void => {
      const u = unitOf[id];
      if (queued[u]) return;
      queued[u] = 1;
      pending.push(u);
    };
    for (const s of changed) push(s.id);
    const heap = new MinHeap(pending);
    try {
      for (let u = heap.pop(); u !== -1; u = heap.pop()) {
        done.push(u);
        const unit = members[u];
        if (skipUncomputed && this.uncomputed(unit)) continue;
        // Clear the whole unit (choices included), recompute it, and queue the readers of what changed.
        // (written by index, never emptied: `length = 0` would drop the arrays' storage every unit)
        for (let i = 0; i < unit.length; i++) {
          const g = symbols[unit[i]];
          before[i] = this.signature(g.id);
          beforeStr[i] = this.str[g.id];
          const c = g.isChoice ? g.nodes[0] : null;
          sel[i] = c ? this.choiceSel[c.id] : 0;
        }
        for (let i = 0; i < unit.length; i++) {
          const g = symbols[unit[i]];
          this.flags[g.id] = 0;
          this.vis[g.id] = 0;
          if (this.warned.delete(g.id)) this.unmet = this.unmet.filter((x) => x.symbol !== g);
          if (g.choice) this.choiceSel[g.choice.id] = -2;
          if (g.isChoice && g.nodes.length > 0) this.choiceSel[g.nodes[0].id] = -2;
        }
        for (let i = 0; i < unit.length; i++) {
          const g = symbols[unit[i]];
          this.calc(g);
          this.calcVisibility(g);
        }
        for (let i = 0; i < unit.length; i++) {
          const g = symbols[unit[i]];
          const c = g.isChoice ? g.nodes[0] : null;
          const sig = this.signature(g.id);
          if (sig === before[i] && (sig === -1 || this.str[g.id] === beforeStr[i]) && !(c && this.choiceSel[c.id] !== sel[i])) continue;
          const list = deps[g.id];
          for (let j = 0; j < list.length; j++) {
            const uu = unitOf[list[j]];
            if (!queued[uu]) {
              queued[uu] = 1;
              heap.push(uu);
            }
          }
        }
      }
    } finally {
      for (let i = 0; i < done.length; i++) queued[done[i]] = 0;
    }
  }

  private uncomputed(unit: readonly number[]): boolean {
    // visibility alone (calcVisibility()) counts as computed too
    for (let i = 0; i < unit.length; i++) if (this.flags[unit[i]] & (VALID | VIS)) return false;
    return true;
  }

  // What propagate() compares before and after recomputing a symbol, besides its string value: -1 when not
  // computed, else tristate, visibility, dependency values and SYMBOL_WRITE packed in one number.
  private signature(id: number): number {
    const f = this.flags[id];
    if (!(f & VALID)) return -1;
    return this.tri[id] | (this.vis[id] << 2) | (this.dir[id] << 4) | (this.rev[id] << 6) | (this.imp[id] << 8) | ((f & WRITE) << 10);
  }

  /**
   * A copy with new user values in which only `symbols` are recomputed: every other value, even one that
   * reads them, stays as computed so far. This mirrors C code that clears SYMBOL_VALID on a few symbols
   * only (6.1's randomize_choice_values() and set_all_choice_values()), leaving stale values around.
   */
  withStaleValues(assignments: Assignments, symbols: readonly KconfigSymbol[]): Evaluation {
    const next = new Evaluation(this.model, assignments, this);
    for (const s of symbols) {
      next.flags[s.id] = 0;
      if (s.isChoice && s.nodes.length > 0) next.choiceSel[s.nodes[0].id] = -2;
    }
    return next;
  }

  /** A new evaluation with `sym`'s user value set (or removed with `undefined`). */
  with(sym: KconfigSymbol, value: UserValue | undefined): Evaluation {
    return this.withAssignments(this.assignments.with(sym, value), [sym]);
  }
}
