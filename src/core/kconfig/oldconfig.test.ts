// The conf dialogue adapter (oldconfig.ts) against what the kernel's own conf printed for the cases in
// oldconfig.cases.txt (recorded from the real conf; src/host/oldconfig-parity.test.ts re-runs it).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dialogueCases, playDialogue } from '../../../test/dep-check-cases.ts';

const cases = dialogueCases();
for (const c of cases) {
  for (const flavor of c.flavors) {
    test(`dialogue: ${c.name} (${flavor})`, () => {
      const r = playDialogue(c, flavor);
      assert.equal(r.stdout, c.expect[flavor]);
      assert.equal(r.exit, c.exit[flavor]);
    });
  }
}

test('the recorded dialogues have help screens, refused answers, a choice and an early end of input', () => {
  const all = cases.map((c) => c.expect['v6.12']).join('');
  for (const want of ['CONFIG_A:', 'The choice.', 'third', 'choice[1-3?]: 9', '(NEW) yn (N)']) assert.ok(all.includes(want), want);
  assert.ok(cases.some((c) => c.exit['v6.12'] === 1));
});

test('on a terminal the answers are not echoed', () => {
  const c = cases[0];
  const piped = playDialogue(c, 'v6.12').stdout;
  const tty = playDialogue(c, 'v6.12', true).stdout;
  assert.ok(tty.length < piped.length);
  assert.equal(tty.includes('[Y/n/?] bogus'), false);
  assert.ok(tty.includes('modules (MODULES) [Y/n/?] modules (MODULES) [Y/n/?] '));
});
