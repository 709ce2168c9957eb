// menu_finalize() against conf: the finalized tree (nesting, propagated and rewritten dependencies, reverse
// dependencies) of menu-finalize.cases.txt, for both C implementations. The expected text is conf's own tree.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { ExprKind, exprAnd, exprOr, exprSymbol, formatExpr, type Expr } from './expr.ts';
import { exprEliminateDups, exprEliminateDupsV61 } from './expr-dedup.ts';
import { exprEq, exprTransform, type ExprConstants } from './expr-transform.ts';
import type { KconfigFlavor, KconfigSymbol } from './model.ts';
import { dumpMenuTree } from './menu-tree-dump.test-support.ts';
import { buildModel } from './model-build.ts';
import { parseKconfig } from './parse-kconfig.ts';
import { MemorySourceHost } from './source-host.ts';

const text = readFileSync(new URL('./menu-finalize.cases.txt', import.meta.url), 'utf8');
const sections = new Map<string, string>();
for (const part of text.split(/^=== /m).slice(1)) {
  const nl = part.indexOf('\n');
  sections.set(part.slice(0, nl), part.slice(nl + 1));
}

function dump(flavor: KconfigFlavor): string {
  const parsed = parseKconfig('Kconfig', new MemorySourceHost({ Kconfig: sections.get('Kconfig')! }), { flavor });
  assert.deepEqual(parsed.diagnostics, []);
  const built = buildModel(parsed.value, { flavor });
  return built.diagnostics.map((d) => `${d.message}\n`).join('') + dumpMenuTree(built.value);
}

for (const flavor of ['v6.12', 'v6.1'] as const) {
  test(`menu_finalize() ${flavor}: the finalized tree equals conf's`, () => {
    assert.equal(dump(flavor), sections.get(flavor));
  });
}

// Symbols for the direct tests: y/m/n and a few plain ones.
function symbol(id: number, symName: string, type: KconfigSymbol['type'], isConst = false): KconfigSymbol {
  return { id, name: symName, type, isConst } as KconfigSymbol;
}
const k: ExprConstants = { yes: symbol(0, 'y', 'tristate', true), mod: symbol(1, 'm', 'tristate', true), no: symbol(2, 'n', 'tristate', true) };
const [A, B, C] = [symbol(3, 'A', 'bool'), symbol(4, 'B', 'bool'), symbol(5, 'C', 'tristate')];
const sym = (s: KconfigSymbol): Expr => exprSymbol(s);
const show = (e: Expr | null): string => formatExpr(e, (s) => s.name);

test('expr_eliminate_dups(): duplicates join across levels; v6.1 keeps y/n unless something joined', () => {
  const aOrB = exprOr(sym(A), sym(B));
  const e = exprAnd(exprAnd(aOrB, sym(C)), exprAnd(exprOr(sym(B), sym(A)), sym(C)));
  assert.equal(show(exprEliminateDups(e, k)), '(A || B) && C'); // as conf's T_DUP_LEVELS in the cases
  assert.equal(show(exprEliminateDups(exprAnd(sym(A), sym(k.yes)), k)), 'A');
  assert.equal(show(exprEliminateDupsV61(exprAnd(sym(A), sym(k.yes)), k)), 'A && y');
  assert.equal(show(exprEliminateDupsV61(exprAnd(exprAnd(sym(A), sym(k.yes)), sym(A)), k)), 'A');
});

test('expr_eq(): && and || operands in any order; expr_transform() of negations', () => {
  assert.equal(exprEq(exprAnd(sym(A), sym(B)), exprAnd(sym(B), sym(A)), k), true);
  assert.equal(exprEq(exprAnd(sym(A), sym(B)), exprAnd(sym(A), sym(C)), k), false);
  assert.equal(exprEq(exprAnd(sym(A), sym(B)), exprOr(sym(A), sym(B)), k), false);
  const notOr = { kind: ExprKind.not, a: exprOr(sym(A), { kind: ExprKind.not, a: sym(B), b: null, sym: null, sym2: null }), b: null, sym: null, sym2: null };
  assert.equal(show(exprTransform(notOr, k)), '!A && B');
});
