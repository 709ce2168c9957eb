/**
 * conf's evaluation warnings as text (sym_warn_unmet_dep(), symbol.c). The expressions are printed from
 * kfit's model, which skips the C code's expr_transform() rewriting, so a long dependency can be spelled
 * differently from conf's (same meaning).
 */
import type { Evaluation, UnmetDependency } from './evaluation.ts';
import { ExprKind, formatExpr, type Expr } from './expr.ts';
import type { KconfigSymbol, Tristate } from './model.ts';

/** Formats an expression with each symbol's value, as expr_gstr_print() does: `FOO [=y] && BAR [=n]`. */
export function formatExprWithValues(ev: Evaluation, e: Expr | null): string {
  return formatExpr(e, (s: KconfigSymbol) => `${s.name || '<choice>'} [=${ev.value(s)}]`);
}

function revdepLines(ev: Evaluation, e: Expr | null, want: Tristate, title: string): string {
  const lines: string[] = [];
  const walk = (x: Expr | null): void => {
    if (!x) return;
    if (x.kind === ExprKind.or) {
      walk(x.a);
      walk(x.b);
    } else if (ev.exprValue(x) === want) lines.push(`  - ${formatExprWithValues(ev, x)}\n`);
  };
  walk(e);
  return lines.length > 0 ? title + lines.join('') : '';
}

/** The text conf prints on stderr for an unmet direct dependency (starts with a newline, as conf's). */
export function formatUnmetDependency(ev: Evaluation, u: UnmetDependency): string {
  const sym = u.symbol;
  return (
    `\nWARNING: unmet direct dependencies detected for ${sym.name}\n` +
    `  Depends on [${u.dirDep === 1 ? 'm' : 'n'}]: ${formatExprWithValues(ev, sym.dirDep)}\n` +
    revdepLines(ev, sym.revDep, 2, '  Selected by [y]:\n') +
    revdepLines(ev, sym.revDep, 1, '  Selected by [m]:\n')
  );
}
