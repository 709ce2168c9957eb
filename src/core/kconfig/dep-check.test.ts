// kfit's recursive-dependency check against what the kernel's own conf printed for the cases in
// dep-check.cases.txt (recorded from the real conf; src/host/dep-check-parity.test.ts re-runs conf on them).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InputError } from '../diag/errors.ts';
import { assertNoDependencyProblems, findDependencyProblems, formatConfDependencyProblems } from './dep-check.ts';
import { depCheckCases, depCheckModel } from '../../../test/dep-check-cases.ts';

const cases = depCheckCases();
test('dep-check.cases.txt has loops and near misses', () => {
  assert.ok(cases.length >= 15, `${cases.length} cases`);
  assert.ok(cases.some((c) => c.expect['v6.12'] === '') && cases.some((c) => c.expect['v6.12'].includes('recursive')));
});

for (const c of cases) {
  for (const flavor of c.flavors) {
    test(`${c.name} (${flavor}): conf's errors`, () => {
      const problems = findDependencyProblems(depCheckModel(c.kconfig, flavor));
      assert.equal(formatConfDependencyProblems(problems, flavor), c.expect[flavor]);
    });
  }
}

test('a loop makes an InputError whose message points at the symbols, in conf words', () => {
  const model = depCheckModel('config A\n\tbool "a"\n\tdepends on B\n\nconfig B\n\tbool "b"\n\tdepends on A\n', 'v6.12');
  assert.throws(
    () => assertNoDependencyProblems(model),
    (e: unknown) => {
      assert.ok(e instanceof InputError);
      assert.match(e.message, /^Kconfig:1:1: error: recursive dependency detected!\n {2}Kconfig:1:1: note: symbol A depends on B\n {2}Kconfig:5:1: note: symbol B depends on A\n/);
      assert.match(e.message, /Kconfig recursive dependency limitations/);
      return true;
    },
  );
  assertNoDependencyProblems(depCheckModel('config A\n\tbool "a"\n\tdepends on B\n\nconfig B\n\tbool "b"\n', 'v6.12'));
});
