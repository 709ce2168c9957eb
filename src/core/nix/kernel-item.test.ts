import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { compareNixNames, mergeItemDefinitions, renderedAnswer, type ItemDefinition } from './kernel-item.ts';

interface Case {
  name: string;
  definitions: Record<string, unknown>[];
  definitionFiles: string[];
  ok: boolean;
  intermediateNixConfig?: string;
  error?: string;
}

// Golden cases evaluated with nixpkgs' real lib (research/nixos-config-pipeline.md §4.4).
const cases = JSON.parse(
  readFileSync(new URL('../../../test/fixtures/nixos/merge-semantics/merge-semantics.json', import.meta.url), 'utf8'),
) as Case[];

for (const c of cases) {
  test(`merge: ${c.name}`, () => {
    const names = [...new Set(c.definitions.flatMap((d) => Object.keys(d)))].sort(compareNixNames);
    let text = '';
    const errors: string[] = [];
    for (const name of names) {
      const defs: ItemDefinition[] = [];
      c.definitions.forEach((d, i) => {
        if (name in d) defs.push({ file: c.definitionFiles[i], value: d[name] });
      });
      const merged = mergeItemDefinitions(name, defs);
      if (merged.kind === 'error') errors.push(merged.message);
      if (merged.kind === 'item') {
        const answer = renderedAnswer(merged.item);
        if (answer !== null) text += `${name}${merged.item.optional ? '?' : ''} ${answer}\n`;
      }
    }
    if (c.ok) {
      assert.deepEqual(errors, []);
      assert.equal(text, c.intermediateNixConfig);
    } else {
      assert.equal(errors.length, 1, 'expected one conflict');
      // nixpkgs' first line, without the "error: " prefix and the indentation of the following lines.
      const want = c.error!.replace(/^error: /, '').split('\n')[0];
      assert.equal(errors[0].split('\n')[0], want);
    }
  });
}

test('merge: priorities are reported', () => {
  const m = mergeItemDefinitions('X', [
    { file: 'a', value: { tristate: 'y', optional: false } },
    { file: 'b', value: { _type: 'override', priority: 50, content: { tristate: 'n', optional: false } } },
  ]);
  assert.equal(m.kind, 'item');
  if (m.kind === 'item') {
    assert.equal(m.priority, 50);
    assert.deepEqual(m.files, ['b']);
  }
});

test('merge: a non-Boolean mkIf condition is an error', () => {
  const m = mergeItemDefinitions('X', [{ file: 'a', value: { _type: 'if', condition: 'yes', content: {} } }]);
  assert.equal(m.kind, 'error');
});
