// The differential suite: every case runs through conf (the oracle, via make) and through kfit's CLI, and
// the .config bytes (defconfig for savedefconfig, the list for listnewconfig) must be identical, or the case
// must be listed in known-divergences.txt. KFIT_DIFFERENTIAL=slice (npm test) or full (npm run
// test:differential). Every diff is written to ${KFIT_CACHE}/differential/<mode>[-only-<pattern>]/; a tally table ends the run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { kfitCache } from '../../src/host/kconfig-oracle.ts';
import { buildCases, debianInput, type DifferentialCase, type Mode } from './cases.ts';
import { compareOutputs } from './compare.ts';
import { kfit, kfitBuildIsStale, oracle } from './implementations.ts';
import { knownFor, parseKnownDivergences } from './known-divergences.ts';
import { formatTally, type CaseRecord } from './tally.ts';

const mode: Mode = process.env.KFIT_DIFFERENTIAL === 'full' ? 'full' : 'slice';
// KFIT_DIFFERENTIAL_ONLY=<pattern> (with *) runs only matching cases (and the cases their inputs come from);
// KFIT_DIFFERENTIAL_SEEDS=N changes the number of randconfig seeds (a quick look at the full matrix).
const seedCount = process.env.KFIT_DIFFERENTIAL_SEEDS ? Number(process.env.KFIT_DIFFERENTIAL_SEEDS) : undefined;
const only = process.env.KFIT_DIFFERENTIAL_ONLY ? parseKnownDivergences(`${process.env.KFIT_DIFFERENTIAL_ONLY} only`)[0] : undefined;
const allCases = buildCases(mode, seedCount);
const cases = allCases.filter((c) => !only || only.regex.test(c.id));
const knownFile = new URL('./known-divergences.txt', import.meta.url).pathname;
const known = parseKnownDivergences(readFileSync(knownFile, 'utf8'), knownFile);
const outDir = join(kfitCache(), 'differential', only ? `${mode}-only-${only.pattern.replace(/[^A-Za-z0-9_.=-]+/g, '_')}` : mode);
rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });

const records: CaseRecord[] = [];
const oracleConfigs = new Map<string, string>();
const byId = new Map(allCases.map((c) => [c.id, c]));
const MAX_DIFF_LINES = 120;

/** The input .config of a case: nothing, a Debian config, or conf's output of an earlier case. */
function inputOf(c: DifferentialCase): string | undefined {
  const input = c.input;
  if (input.kind === 'none') return undefined;
  if (input.kind === 'debian') return debianInput(input.path);
  let text = oracleConfigs.get(input.of);
  if (text === undefined) {
    const base = byId.get(input.of);
    assert.ok(base, `case ${c.id} reads ${input.of}, which is not in the matrix`);
    text = oracle.run(base, inputOf(base)).text;
    oracleConfigs.set(input.of, text);
  }
  return text;
}

function fileName(id: string): string {
  return id.replace(/[/:=]/g, '_');
}

test('known-divergences.txt parses (every line has a reason)', () => {
  assert.ok(Array.isArray(known));
});

for (const c of cases) {
  test(c.id, (t) => {
    const input = inputOf(c);
    const a = oracle.run(c, input);
    assert.equal(a.status, 0, `conf (make ${c.target}) failed for ${c.id}:\n${a.stderr}`);
    assert.ok(a.text.length > 0 || c.target === 'listnewconfig' || c.target === 'savedefconfig', `conf wrote nothing for ${c.id}`);
    if (c.target !== 'savedefconfig' && c.target !== 'listnewconfig') oracleConfigs.set(c.id, a.text);
    const covering = knownFor(known, c.id);
    const knownLines = covering.map((k) => k.line);
    const why = kfit.unavailable();
    if (why !== undefined) {
      records.push({ id: c.id, outcome: 'skipped', knownLines: [] });
      t.skip(why);
      return;
    }
    const b = kfit.run(c, input);
    const cmp = compareOutputs(c.id, a, b);
    if (cmp.same) {
      records.push({ id: c.id, outcome: 'identical', knownLines });
      return;
    }
    const { patch, changed } = cmp;
    writeFileSync(join(outDir, `${fileName(c.id)}.diff`), patch);
    if (covering.length > 0) {
      records.push({ id: c.id, outcome: 'known', knownLines, changed });
      t.diagnostic(`known divergence (known-divergences.txt:${knownLines.join(',')}): ${covering[0].reason}`);
      return;
    }
    records.push({ id: c.id, outcome: 'new', knownLines, changed });
    const lines = patch.split('\n');
    const shown = lines.length > MAX_DIFF_LINES
      ? [...lines.slice(0, MAX_DIFF_LINES), `… ${lines.length - MAX_DIFF_LINES} more lines in ${join(outDir, `${fileName(c.id)}.diff`)}`]
      : lines;
    assert.fail(`kfit differs from conf on ${c.id} (${changed} changed lines):\n${shown.join('\n')}`);
  });
}

test('tally: known divergences that now match conf must be removed from known-divergences.txt', (t) => {
  const table = formatTally(records);
  writeFileSync(join(outDir, 'tally.txt'), `${table}\n`);
  writeFileSync(join(outDir, 'records.json'), JSON.stringify(records, null, 1));
  // One diagnostic per line keeps the table readable in both the spec and the TAP reporter.
  t.diagnostic(`differential ${mode}: conf vs kfit, ${records.length} cases (diffs in ${outDir})`);
  for (const line of table.split('\n')) t.diagnostic(line);
  if (kfitBuildIsStale()) t.diagnostic('warning: dist/kfit.mjs is older than src/: run npm run build');
  const fixed: string[] = [];
  for (const entry of known) {
    const covered = records.filter((r) => r.knownLines.includes(entry.line));
    if (covered.length > 0 && covered.every((r) => r.outcome === 'identical')) {
      fixed.push(`known-divergences.txt:${entry.line}: ${entry.pattern} now matches conf on all ${covered.length} case(s): delete the line`);
    }
  }
  assert.deepEqual(fixed, []);
});
