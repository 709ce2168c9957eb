import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InputError } from '../diag/errors.ts';
import { compareResults, cryptMetrics, formatComparison, makeBenchResult, mergeMetrics, validateBenchResult, type Metric } from './bench-result.ts';
import { renderRatioChart } from './ratio-chart.ts';
import { parseProbeSamples } from './bench-probe.ts';
import { probeMetrics } from './bench-result.ts';

const kernel = (environment: 'tcg' | 'native', v: string) => ({ procVersion: `Linux version ${v} (a@b) (gcc) #1`, cmdline: '', configSha256: null, environment });
const xts = (enc: number[]): Metric => ({ suite: 'crypt', name: 'aes-xts-256b-encrypt', unit: 'MiB/s', better: 'higher', samples: enc });

test('crypt rows become metrics; samples of several runs merge', () => {
  const run = { status: 'complete' as const, pbkdf2: [], argon2: [], unavailable: [], ciphers: [{ algorithm: 'aes-xts', keyBits: 256, encryptMiBps: 120, decryptMiBps: null }] };
  const all: Metric[] = [];
  mergeMetrics(all, cryptMetrics(run));
  mergeMetrics(all, cryptMetrics({ ...run, ciphers: [{ ...run.ciphers[0], encryptMiBps: 124 }] }));
  assert.deepEqual(all.map((m) => [m.name, m.samples]), [['aes-xts-256b-encrypt', [120, 124]]]);
});

test('probe samples become lower-is-better metrics', () => {
  const m = probeMetrics(parseProbeSamples('x\nKFIT-SAMPLE syscall getppid 55.5 ns\nKFIT-SAMPLE syscall getppid 56.5 ns\nKFIT-SAMPLE restart du 900.0 us\n'));
  assert.deepEqual(m.map((x) => [x.suite, x.name, x.better, x.samples]), [
    ['syscall', 'getppid', 'lower', [55.5, 56.5]],
    ['restart', 'du', 'lower', [900]],
  ]);
});

test('compare: table with ratios, chart with one bar per metric, TCG labelled', () => {
  const a = makeBenchResult('stock', 't', kernel('tcg', '6.12.117+deb12-amd64'), [xts([100, 102, 98])], []);
  const b = makeBenchResult('minimal', 't', kernel('tcg', '6.12.117'), [xts([115, 118, 112])], []);
  const c = compareResults(a, b);
  assert.equal(c.rows.length, 1);
  assert.ok(c.rows[0].ratio.median > 1.1 && c.rows[0].ratio.median < 1.2);
  const table = formatComparison(c);
  assert.match(table, /TCG, emulated/);
  assert.match(table, /crypt\/aes-xts-256b-encrypt/);
  const svg = renderRatioChart(c);
  assert.ok(svg.startsWith('<svg '));
  assert.equal(svg.match(/<rect /g)?.length, 2, 'background + one bar');
  assert.match(svg, /QEMU TCG, emulated CPU/);
  assert.match(svg, /#3a9d5d/, 'higher throughput is drawn as better');
});

test('TCG results are never compared with native ones', () => {
  const a = makeBenchResult('host', 't', kernel('native', '6.18'), [xts([1])], []);
  const b = makeBenchResult('vm', 't', kernel('tcg', '6.12'), [xts([1])], []);
  assert.throws(() => compareResults(a, b, 'a.json', 'b.json'), (e: unknown) => e instanceof InputError && /emulated CPU/.test(e.message));
});

test('validation names the file and what is wrong', () => {
  assert.throws(() => validateBenchResult({ schema: 'other' }, 'x.json'), /x\.json:1:1: error: not a kfit benchmark result/);
  const ok = makeBenchResult('a', 't', kernel('tcg', '6.12'), [xts([1])], []);
  assert.equal(validateBenchResult(JSON.parse(JSON.stringify(ok)), 'x.json').label, 'a');
});
