// How two implementations' outputs for one case are compared, and the unified diff shown when they differ.
import { createTwoFilesPatch } from 'diff';
import type { CaseOutput } from './implementations.ts';

/** The comparison of one case: same bytes (or both refused the input), else a unified diff. */
export type Comparison = { same: true } | { same: false; patch: string; changed: number };

function shown(out: CaseOutput): string {
  return out.status === 0 ? out.text : `exit status ${out.status}\n${out.stderr}`;
}

/**
 * Compares conf's output `a` with kfit's `b` for case `id`: identical bytes with both succeeding, or both
 * failing, count as the same; otherwise the unified diff (3 lines of context) and its count of changed lines.
 */
export function compareOutputs(id: string, a: CaseOutput, b: CaseOutput): Comparison {
  if ((a.status === 0 && b.status === 0 && a.text === b.text) || (a.status !== 0 && b.status !== 0)) return { same: true };
  const patch = createTwoFilesPatch(`conf/${id}`, `kfit/${id}`, shown(a), shown(b), '', '', { context: 3 });
  const changed = patch.split('\n').filter((l) => /^[+-]/.test(l) && !/^(\+\+\+|---) /.test(l)).length;
  return { same: false, patch, changed };
}
