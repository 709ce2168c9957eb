/**
 * A mutable run of many small changes over one Evaluation, for callers that change user values thousands
 * of times and read between changes (the conf dialogue simulation of `kfit nixos check`): each change is
 * propagated in place into storage the session owns, instead of copying every value array as
 * `Evaluation.withAssignments()` must to keep the old evaluation intact.
 */
import type { Assignments, AssignmentChange } from './assignments.ts';
import { type Evaluation, sessionAccess } from './evaluation.ts';
import type { KconfigSymbol } from './model.ts';

/** A private, changing copy of an Evaluation; `snapshot()` gives an immutable one. */
export class EvaluationSession {
  private live: Evaluation;

  private constructor(live: Evaluation) {
    this.live = live;
  }

  /** Starts a session from `ev` (copied once; `ev` itself never changes). */
  static start(ev: Evaluation): EvaluationSession {
    return new EvaluationSession(sessionAccess.fork(ev));
  }

  /**
   * The session's current evaluation, for reads.
   * Gotcha: it changes in place with the next `apply()`/`applyChanges()`; keep `snapshot()` instead.
   */
  get current(): Evaluation {
    return this.live;
  }

  /** Sets new user values, `changed` listing the symbols whose values differ (as withAssignments()). */
  apply(assignments: Assignments, changed: readonly KconfigSymbol[]): void {
    this.live = sessionAccess.applyInPlace(this.live, assignments, changed);
  }

  /** Applies a batch of user-value changes (Assignments.withChanges()) in place. */
  applyChanges(changes: readonly AssignmentChange[]): void {
    if (changes.length === 0) return;
    const changed: KconfigSymbol[] = [];
    for (const c of changes) changed.push(c.sym);
    this.apply(this.live.assignments.withChanges(changes), changed);
  }

  /** An immutable copy of the current evaluation. */
  snapshot(): Evaluation {
    return sessionAccess.fork(this.live);
  }
}
