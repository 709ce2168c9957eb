// The measured result files in test/fixtures/lab/results/ go through validation and comparison unchanged.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { compareResults, formatComparison, validateBenchResult } from './bench-result.ts';
import { renderRatioChart } from './ratio-chart.ts';

const load = (name: string) => {
  const file = new URL(`../../../test/fixtures/lab/results/${name}`, import.meta.url);
  return validateBenchResult(JSON.parse(readFileSync(file, 'utf8')), name);
};

test('stock vs minimal (TCG): every metric pairs up, minimal reaches /init sooner', () => {
  const c = compareResults(load('stock-tcg.json'), load('minimal-tcg.json'));
  assert.equal(c.unmatched.length, 0);
  assert.equal(c.rows.length, 14);
  assert.ok(c.rows.every((r) => r.ratio.paired));
  const boot = c.rows.find((r) => r.name === 'init-uptime');
  assert.ok(boot && boot.ratio.median < 1, 'the minimal kernel boots to /init faster');
  assert.match(formatComparison(c), /TCG, emulated/);
  assert.equal(renderRatioChart(c).match(/<rect /g)?.length, 15);
});

test('the native host result cannot be compared with a TCG result', () => {
  assert.throws(() => compareResults(load('host-native.json'), load('minimal-tcg.json')), /never compared with native/);
});
