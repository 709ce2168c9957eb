import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { checkFragmentApplied, parseFragment, writeFragmentLines } from './config-fragment.ts';

test('the repo fragment holds the 16 options of the research lean set plus VT=n', () => {
  const text = readFileSync(new URL('../../../test/fixtures/lab/minimal.fragment', import.meta.url), 'utf8');
  const r = parseFragment(text, 'minimal.fragment');
  assert.deepEqual(r.diagnostics, []);
  assert.equal(r.value.filter((e) => e.value === 'y').length, 16);
  assert.deepEqual(r.value.find((e) => e.symbol === 'VT'), { symbol: 'VT', value: 'n', line: r.value.find((e) => e.symbol === 'VT')!.line });
});

test('malformed lines are errors with a span', () => {
  const r = parseFragment('CONFIG_A=y\nA=y\n', 'f');
  assert.equal(r.diagnostics.length, 1);
  assert.deepEqual(r.diagnostics[0].span, { file: 'f', line: 2, column: 1 });
});

test('values lost by olddefconfig are reported with the fragment line', () => {
  const { value } = parseFragment('CONFIG_A=y\n# CONFIG_B is not set\nCONFIG_C=m\n', 'f');
  assert.equal(writeFragmentLines(value), 'CONFIG_A=y\n# CONFIG_B is not set\nCONFIG_C=m\n');
  const lost = checkFragmentApplied(value, 'CONFIG_A=y\nCONFIG_C=y\n', 'f');
  assert.equal(lost.length, 1);
  assert.equal(lost[0].span?.line, 3);
  assert.match(lost[0].message, /CONFIG_C=m requested, the resolved \.config has =y/);
});
