// helpnewconfig (runTarget) and the help screens of symbol-help.ts against what the kernel's own conf printed for
// the cases in symbol-help.cases.txt (recorded from the real conf; src/host/symbol-help-parity.test.ts re-runs it).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { depCheckCases, depCheckModel, helpNewConfigStdout } from '../../../test/dep-check-cases.ts';
import { Evaluation } from './evaluation.ts';
import { Assignments } from './assignments.ts';
import { ExprKind, exprAnd, exprCompare, exprNot, exprOr, exprSymbol } from './expr.ts';
import { findSymbol } from './model.ts';
import { formatHelpExpr } from './symbol-help.ts';

const cases = depCheckCases('symbol-help.cases.txt');
for (const c of cases) {
  for (const flavor of ['v6.12', 'v6.1'] as const) {
    test(`helpnewconfig: ${c.name} (${flavor})`, () => {
      assert.equal(helpNewConfigStdout(c.kconfig, c.config, flavor), c.expect[flavor]);
    });
  }
}

test('the recorded help screens have help texts, relations and nesting', () => {
  const text = cases.map((c) => c.expect['v6.12']).join('');
  for (const want of ['CONFIG_C1:', 'Selected by [m]:', 'Implied by [y]:', 'Visible if: ', 'Range : ', '      -> ']) assert.ok(text.includes(want), want);
});

test('expressions are parenthesized as expr_print() does', () => {
  const model = depCheckModel('config A\n\tbool "a"\nconfig B\n\tstring "b"\n', 'v6.12');
  const ev = Evaluation.create(model, Assignments.empty());
  const a = exprSymbol(findSymbol(model, 'A')!);
  const b = exprCompare(ExprKind.equal, findSymbol(model, 'B')!, findSymbol(model, 'y')!);
  assert.equal(formatHelpExpr(ev, exprNot(exprAnd(a, b)!)), '!(A [=n] && B [=]=y [=y])');
  assert.equal(formatHelpExpr(ev, exprAnd(exprOr(a, b), a)), '(A [=n] || B [=]=y [=y]) && A [=n]');
  assert.equal(formatHelpExpr(ev, exprOr(exprAnd(a, b), a)), 'A [=n] && B [=]=y [=y] || A [=n]');
  assert.equal(formatHelpExpr(ev, exprNot(b)), '!B [=]=y [=y]');
  assert.equal(formatHelpExpr(ev, null), 'y');
});
