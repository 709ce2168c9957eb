/**
 * A mutable run of many small changes over one Evaluation, for callers that change user values thousands
 * of times and read between changes (the conf dialogue simulation of `kfit nixos check`): each change is
 * propagated in place into storage the session owns, instead of copying every value array as
 * `Evaluation.withAssignments()` must to keep the old evaluation intact.
 */
import { Assignments, type AssignmentChange } from './assignments.ts';
import { type Evaluation, sessionAccess } from './evaluation.ts';
import type { KconfigSymbol } from './model.ts';

/** A private, changing copy of an Evaluation; `snapshot()` gives an immutable one. */
export class EvaluationSession {
  private live: Evaluation;
  /** The session's own user values, changed in place (Assignments.owned()). */
  private owned: Assignments;

  private constructor(live: Evaluation) {
    this.owned = Assignments.owned(live.assignments);
    this.live = sessionAccess.applyInPlace(live, this.owned, []);
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
    this.owned = Assignments.owned(assignments);
    this.live = sessionAccess.applyInPlace(this.live, this.owned, changed);
  }

  /** Applies a batch of user-value changes (as Assignments.withChanges() would) in place. */
  applyChanges(changes: readonly AssignmentChange[]): void {
    if (changes.length === 0) return;
    const changed: KconfigSymbol[] = [];
    for (const c of changes) changed.push(c.sym);
    this.owned.applyInPlace(changes);
    this.live = sessionAccess.applyInPlace(this.live, this.owned, changed);
  }

  /** An immutable copy of the current evaluation. */
  snapshot(): Evaluation {
    return sessionAccess.applyInPlace(sessionAccess.fork(this.live), this.owned.frozen(), []);
  }
}
