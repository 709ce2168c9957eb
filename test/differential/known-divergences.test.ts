// The known-divergences list format and the tally table.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { knownFor, parseKnownDivergences } from './known-divergences.ts';
import { formatTally, groupOf } from './tally.ts';
import { buildCases } from './cases.ts';
import { compareOutputs } from './compare.ts';

test('known-divergences.txt: patterns with *, reasons required, comments ignored', () => {
  const entries = parseKnownDivergences('# c\n\n6.12/*/randconfig:* choice order differs\n6.1/x86_64/allyesconfig one symbol\n');
  assert.equal(entries.length, 2);
  assert.deepEqual(knownFor(entries, '6.12/arm64/randconfig:seed=3').map((e) => e.line), [3]);
  assert.deepEqual(knownFor(entries, '6.1/x86_64/allyesconfig').map((e) => e.line), [4]);
  assert.deepEqual(knownFor(entries, '6.1/x86_64/allyesconfig2'), []);
  assert.deepEqual(knownFor(entries, '6.1/arm64/randconfig:seed=3'), []);
  assert.throws(() => parseKnownDivergences('6.12/x86_64/allnoconfig\n'), /:1:1: error: expected/);
});

test('the real known-divergences.txt parses and every entry names cases of the full matrix', () => {
  const url = new URL('./known-divergences.txt', import.meta.url);
  const entries = parseKnownDivergences(readFileSync(url, 'utf8'));
  const ids = buildCases('full').map((c) => c.id);
  for (const e of entries) assert.ok(ids.some((id) => e.regex.test(id)), `line ${e.line}: ${e.pattern} matches no case`);
});

test('the matrix: slice ⊂ full, ids unique, inputs come first, ≥ 200 seeds in full', () => {
  const full = buildCases('full');
  const slice = buildCases('slice');
  const fullIds = new Set(full.map((c) => c.id));
  assert.equal(fullIds.size, full.length);
  for (const c of slice) assert.ok(fullIds.has(c.id), c.id);
  const seen = new Set<string>();
  for (const c of full) {
    if (c.input.kind === 'oracle-output') assert.ok(seen.has(c.input.of), `${c.id} before ${c.input.of}`);
    seen.add(c.id);
  }
  assert.equal(full.filter((c) => c.id.startsWith('6.12/mips/randconfig:')).length, 200);
  assert.equal(slice.filter((c) => c.id.startsWith('6.1/arm64/randconfig:')).length, 20);
  for (const arch of ['x86_64', 'arm64']) {
    for (const v of ['6.12', '6.1']) {
      for (const t of ['allnoconfig', 'allyesconfig', 'allmodconfig', 'alldefconfig', 'defconfig', 'tinyconfig', 'savedefconfig:of=tinyconfig']) {
        assert.ok(slice.some((c) => c.id === `${v}/${arch}/${t}`), `${v}/${arch}/${t}`);
      }
    }
  }
});

test('the tally groups seeds and Debian flavours and counts outcomes', () => {
  assert.equal(groupOf('6.12/x86_64/randconfig:seed=3'), '6.12\tx86_64\trandconfig (seeds)');
  assert.equal(groupOf('6.12/x86_64/olddefconfig:debian-6.1-amd64_rt_amd64'), '6.12\tx86_64\tolddefconfig (Debian 6.1 configs)');
  const table = formatTally([
    { id: '6.12/x86_64/randconfig:seed=1', outcome: 'identical', knownLines: [] },
    { id: '6.12/x86_64/randconfig:seed=2', outcome: 'new', knownLines: [] },
    { id: '6.12/x86_64/allnoconfig', outcome: 'known', knownLines: [4] },
  ]);
  assert.match(table, /randconfig \(seeds\)\s+2\s+1\s+0\s+1\s+0/);
  assert.match(table, /total\s+3\s+1\s+1\s+1\s+0/);
});

test('compareOutputs: one changed byte is a difference with a unified diff; both failing is the same', () => {
  const ok = (text: string) => ({ status: 0, text, stderr: '', seconds: 0, cached: false });
  assert.deepEqual(compareOutputs('x', ok('CONFIG_A=y\n'), ok('CONFIG_A=y\n')), { same: true });
  const d = compareOutputs('6.12/x86_64/allnoconfig', ok('#\nCONFIG_A=y\nCONFIG_B=y\n'), ok('#\nCONFIG_A=m\nCONFIG_B=y\n'));
  assert.equal(d.same, false);
  if (!d.same) {
    assert.equal(d.changed, 2);
    assert.match(d.patch, /^--- conf\/6\.12\/x86_64\/allnoconfig/m);
    assert.match(d.patch, /^-CONFIG_A=y$/m);
    assert.match(d.patch, /^\+CONFIG_A=m$/m);
  }
  assert.equal(compareOutputs('x', ok('a'), { ...ok(''), status: 1, stderr: 'boom' }).same, false);
  assert.equal(compareOutputs('x', { ...ok(''), status: 2 }, { ...ok(''), status: 1 }).same, true);
  assert.equal(compareOutputs('x', ok('no newline'), ok('no newline\n')).same, false);
});
