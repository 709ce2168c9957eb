// The `absent` diagnosis: a symbol of another architecture, the other kernel tree read only when an error needs
// it, and the words for an older or a newer other tree.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fakeWorld } from './fake-kconfig.test-support.ts';
import { engineSession } from './conf-dialogue.ts';
import { simulateGenerateConfig } from './generate-config.ts';
import { parseKernelConfig } from './intermediate.ts';
import { diagnose } from './diagnosis.ts';
import { OtherTree, type RenameResultStore } from './other-tree.ts';
import type { RenameResult } from './renames.ts';

const PROMPT = 'Avoid speculative indirect branches in kernel';
const older = fakeWorld([{ name: 'RETPOLINE', type: 'bool', prompt: PROMPT }]);
const newer = fakeWorld([{ name: 'MITIGATION_RETPOLINE', type: 'bool', prompt: PROMPT }]);

function run(text: string) {
  const answers = parseKernelConfig(text);
  const result = simulateGenerateConfig(answers, engineSession(newer.load, ''));
  return { answers, result, facts: newer.load('') };
}

test('a symbol this architecture does not read is said so, without asking the other tree', () => {
  const { answers, result, facts } = run('ARM64_SVE y\n');
  let loaded = 0;
  const other = OtherTree.lazy('the other tree', () => (loaded++, older.model));
  const [d] = diagnose(facts, result, answers, () => 'set in a.nix', other, (name) => (name === 'ARM64_SVE' ? ['arch/arm64/Kconfig'] : []));
  assert.equal(d.kind, 'absent');
  assert.equal(d.why, "ARM64_SVE is not part of this architecture's configuration (set in a.nix): this tree defines it only in arch/arm64/Kconfig, which the Kconfig of this architecture does not read.");
  assert.deepEqual(d.definedInFiles, ['arch/arm64/Kconfig']);
  assert.equal(loaded, 0);
});

test('the other tree is read only for an error (a found tree), once, and the words follow its age', () => {
  let loaded = 0;
  const load = () => (loaded++, older.model);
  // an optional answer gives a warning: a tree found in the cache is not read for it
  const warn = run('RETPOLINE? y\n');
  const auto = OtherTree.lazy('the 6.1 tree in kfit\'s cache', load, { age: 'older' });
  const [w] = diagnose(warn.facts, warn.result, warn.answers, () => undefined, auto);
  assert.equal(w.subject && 'severity' in w.subject ? w.subject.severity : '', 'warning');
  assert.equal(w.why, 'RETPOLINE does not exist in this kernel tree.');
  assert.equal(loaded, 0);
  const err = run('RETPOLINE y\nGONE y\n');
  const [a, b] = diagnose(err.facts, err.result, err.answers, () => undefined, auto);
  assert.equal(loaded, 1);
  assert.match(b.why, /^RETPOLINE does not exist in this kernel tree; it exists in the other tree \(the 6\.1 tree in kfit's cache\) at Kconfig:1\. Since then it was renamed to MITIGATION_RETPOLINE \(bool "Avoid speculative indirect branches in kernel", Kconfig:1\): same prompt/);
  assert.equal(b.renamedTo, 'MITIGATION_RETPOLINE');
  assert.equal(b.otherAge, 'older');
  assert.equal(a.why, "GONE does not exist in this kernel tree; it does not exist in the other tree (the 6.1 tree in kfit's cache) for this architecture either.");
  // once read for an error, the tree explains the warnings too (errors are diagnosed first)
  const mixed = run('RETPOLINE? y\nZZZ y\n');
  const lazy = OtherTree.lazy('t', load, { age: 'older' });
  const [r, z] = diagnose(mixed.facts, mixed.result, mixed.answers, () => undefined, lazy);
  assert.equal(z.subject && 'severity' in z.subject ? z.subject.severity : '', 'error');
  assert.equal(r.renamedTo, 'MITIGATION_RETPOLINE');
  assert.equal(loaded, 2);
  // a newer other tree: the old name is the predecessor
  const newerTree = OtherTree.of(older.model, 'the 6.12 tree', { age: 'newer' });
  const [c] = diagnose(err.facts, err.result, err.answers, () => undefined, newerTree).filter((x) => x.name === 'RETPOLINE');
  assert.match(c.why, /In this older kernel it was called MITIGATION_RETPOLINE/);
  // an explicit tree (--other-src) is used for warnings too
  const [e] = diagnose(warn.facts, warn.result, warn.answers, () => undefined, OtherTree.lazy('--other-src x', load, { explicit: true }));
  assert.match(e.why, /Its counterpart in this tree: MITIGATION_RETPOLINE/);
});

test('kept matcher answers (a RenameResultStore): a name answered before needs no model; a new one is kept', () => {
  let loaded = 0;
  const load = () => (loaded++, older.model);
  const kept = new Map<string, RenameResult | null>();
  const store: RenameResultStore = { get: (n) => kept.get(n), set: (n, r) => void kept.set(n, r) };
  const err = run('RETPOLINE y\nGONE y\n');
  const first = diagnose(err.facts, err.result, err.answers, () => undefined, OtherTree.lazy('t', load, { age: 'older', results: () => store }));
  assert.equal(loaded, 1);
  assert.deepEqual([...kept.keys()].sort(), ['GONE', 'RETPOLINE']);
  assert.equal(kept.get('GONE'), null);
  assert.equal(kept.get('RETPOLINE')?.candidates[0].name, 'MITIGATION_RETPOLINE');
  // the same words from the kept answers, without reading the tree
  const again = diagnose(err.facts, err.result, err.answers, () => undefined, OtherTree.lazy('t', load, { age: 'older', results: () => store }));
  assert.equal(loaded, 1);
  assert.deepEqual(again.map((d) => d.why), first.map((d) => d.why));
  // what the store says is what is used (a planted answer)
  kept.set('GONE', { name: 'GONE', location: 'x/Kconfig:7', type: 'bool', candidates: [] });
  const [g] = diagnose(err.facts, err.result, err.answers, () => undefined, OtherTree.lazy('t', load, { age: 'older', results: () => store }));
  assert.equal(loaded, 1);
  assert.match(g.why, /at x\/Kconfig:7/);
});
