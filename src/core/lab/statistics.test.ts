import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareSamples, median, quantile, seededRandom, summarize } from './statistics.ts';

test('median and quantiles', () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.ok(Number.isNaN(median([])));
  assert.equal(quantile([0, 10], 0.25), 2.5);
  assert.equal(quantile([5, 1, 3], 1), 5);
});

test('summary spread is the relative median absolute deviation', () => {
  const s = summarize([100, 102, 98, 100, 150]);
  assert.equal(s.median, 100);
  assert.equal(s.min, 98);
  assert.equal(s.max, 150);
  assert.equal(s.spread, 0.02);
});

test('seeded generator is deterministic and in [0,1)', () => {
  const a = seededRandom(7);
  const b = seededRandom(7);
  for (let i = 0; i < 100; i++) {
    const x = a();
    assert.equal(x, b());
    assert.ok(x >= 0 && x < 1);
  }
});

test('paired comparison: ratios per pair, interval contains the median ratio', () => {
  const a = [100, 110, 90, 105, 95];
  const b = a.map((x) => x * 1.15);
  const r = compareSamples(a, b);
  assert.equal(r.paired, true);
  assert.ok(Math.abs(r.median - 1.15) < 1e-9);
  assert.ok(Math.abs(r.min - 1.15) < 1e-9 && Math.abs(r.max - 1.15) < 1e-9);
  assert.ok(r.low <= r.median && r.median <= r.high);
});

test('unpaired comparison: ratio of medians with a bootstrap interval that excludes 1 for a clear shift', () => {
  const a = [100, 101, 99, 100, 102, 98, 100];
  const b = [120, 121, 119];
  const r = compareSamples(a, b);
  assert.equal(r.paired, false);
  assert.equal(r.median, 1.2);
  assert.ok(r.low > 1.1 && r.high < 1.3, `${r.low} ${r.high}`);
  const again = compareSamples(a, b);
  assert.deepEqual(again, r);
});
