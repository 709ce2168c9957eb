// Closing a hardware plan under Kconfig: turn the requested symbols on, add the `depends on` symbols they
// need, evaluate with the Kconfig engine, and report every requested symbol that cannot stick, and why.
import { Assignments, Evaluation, ExprKind, explain, findSymbol, formatExpr, type Expr, type KconfigModel, type KconfigSymbol, type Tristate } from '../kconfig/index.ts';

/** One symbol to turn on and why it is wanted. */
export interface ClosureRequest {
  readonly symbol: string;
  /** Build as a module where the symbol is tristate (default: built in). */
  readonly module?: boolean;
}

/** A symbol the closure set, with the value it got and what pulled it in. */
export interface ClosureValue {
  readonly symbol: string;
  readonly value: string;
  /** `requested`, or `dependency of X` for symbols added from `depends on`. */
  readonly because: string;
  /** False for promptless symbols: only a select sets them, so a user value (or a Nix line) has no effect. */
  readonly settable: boolean;
}

/** A requested symbol that does not reach the wanted value, with the engine's explanation. */
export interface ClosureFailure {
  readonly symbol: string;
  readonly wanted: 'y' | 'm';
  readonly got: string;
  readonly reason: string;
}

/** The result of closing a plan. */
export interface ClosureResult {
  /** Every symbol the closure sets (requested and added), with its final value. */
  readonly values: readonly ClosureValue[];
  readonly failures: readonly ClosureFailure[];
  /** Requested names that the tree's Kconfig does not define. */
  readonly unknown: readonly string[];
  readonly evaluation: Evaluation;
}

/** Symbols that must be on for `e` to be true (the positive `A` and `A && B` parts; `||` takes nothing). */
function positiveSymbols(e: Expr | null, out: KconfigSymbol[]): void {
  if (e === null) return;
  if (e.kind === ExprKind.symbol) {
    if (e.sym && !e.sym.isConst && (e.sym.type === 'bool' || e.sym.type === 'tristate')) out.push(e.sym);
  } else if (e.kind === ExprKind.and) {
    positiveSymbols(e.a, out);
    positiveSymbols(e.b, out);
  }
}

const TRI = ['n', 'm', 'y'] as const;

/**
 * Sets the requested symbols on top of `base` (a .config's assignments, or none), adds every symbol their
 * dependencies need (transitively, up to `rounds` passes), and evaluates. Selects and defaults are left to
 * the engine, as `make olddefconfig` would. Mirrors what a user does in menuconfig to enable a driver.
 */
export function closeUnderKconfig(model: KconfigModel, base: Assignments, requests: readonly ClosureRequest[], rounds = 8): ClosureResult {
  const unknown: string[] = [];
  const wanted = new Map<KconfigSymbol, { tri: Tristate; because: string }>();
  for (const r of requests) {
    const sym = findSymbol(model, r.symbol);
    if (sym === undefined || sym.type === 'unknown') {
      unknown.push(r.symbol);
      continue;
    }
    const tri: Tristate = r.module && sym.type === 'tristate' ? 1 : 2;
    wanted.set(sym, { tri, because: 'requested' });
  }
  let assignments = base;
  const apply = (): void => {
    for (const [sym, w] of wanted) {
      if (sym.type !== 'bool' && sym.type !== 'tristate') continue;
      const prev = assignments.get(sym);
      if (prev === undefined || prev.tri < w.tri) assignments = assignments.with(sym, { tri: w.tri, str: TRI[w.tri] });
    }
  };
  apply();
  let ev = Evaluation.create(model, assignments);
  for (let round = 0; round < rounds; round++) {
    let added = 0;
    for (const [sym, w] of [...wanted]) {
      if (ev.tristate(sym) >= w.tri) continue;
      const deps: KconfigSymbol[] = [];
      positiveSymbols(sym.dirDep, deps);
      for (const d of deps) {
        if (wanted.has(d) || ev.tristate(d) > 0) continue;
        wanted.set(d, { tri: w.tri === 1 && d.type === 'tristate' ? 1 : 2, because: `dependency of ${sym.name}` });
        added++;
      }
    }
    if (added === 0) break;
    apply();
    ev = Evaluation.create(model, assignments);
  }
  ev.calcAll();
  const values: ClosureValue[] = [];
  const failures: ClosureFailure[] = [];
  for (const [sym, w] of wanted) {
    const got = ev.value(sym);
    values.push({ symbol: sym.name, value: got, because: w.because, settable: sym.prompts.length > 0 });
    if (w.because === 'requested' && ev.tristate(sym) < w.tri) {
      const p = explain(ev, sym);
      const limits = p.limits.map((l) =>
        l.kind === 'visibility' ? `its prompt is visible only as ${TRI[l.value]}`
        : l.kind === 'dirDep' ? `depends on ${l.expr ? formatExpr(l.expr) : '?'} (= ${TRI[l.value]})`
        : l.kind === 'range' ? 'limited by its range'
        : 'MODULES is off');
      const deps: KconfigSymbol[] = [];
      positiveSymbols(sym.dirDep, deps);
      const off = deps.filter((d) => ev.tristate(d) === 0).map((d) => d.name);
      const why = off.length > 0 ? `needs ${off.join(', ')}, which stay n` : sym.prompts.length === 0 ? 'has no prompt: only a select from another option can turn it on' : '';
      failures.push({ symbol: sym.name, wanted: w.tri === 2 ? 'y' : 'm', got, reason: [why, ...limits].filter((x) => x !== '').join('; ') || 'limited by Kconfig' });
    }
  }
  return { values, failures, unknown, evaluation: ev };
}
