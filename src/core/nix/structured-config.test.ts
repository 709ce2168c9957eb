import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mergeStructuredPatches, renderConfigFragment, renderedAnswer, type EvaluatedPatch } from './index.ts';

interface Case {
  name: string;
  definitions: Record<string, unknown>[];
  definitionFiles: string[];
  ok: boolean;
  intermediateNixConfig?: string;
  error?: string;
}

// Golden cases evaluated with nixpkgs' real lib (research/nixos-config-pipeline.md §4.4), each definition read
// as one kernel patch the way `kfit nix to-config` reads files.
const cases = JSON.parse(
  readFileSync(new URL('../../../test/fixtures/nixos/merge-semantics/merge-semantics.json', import.meta.url), 'utf8'),
) as Case[];

for (const c of cases) {
  test(`to-config merge: ${c.name}`, () => {
    const patches: EvaluatedPatch[] = c.definitions.map((settings, i) => ({ file: c.definitionFiles[i], name: null, oldKey: false, settings }));
    const { answers, diagnostics } = mergeStructuredPatches(patches);
    if (c.ok) {
      assert.deepEqual(diagnostics, []);
      const text = answers.map((a) => ({ a, v: renderedAnswer(a.item) })).filter((x) => x.v !== null).map((x) => `${x.a.symbol}${x.a.item.optional ? '?' : ''} ${x.v}\n`).join('');
      assert.equal(text, c.intermediateNixConfig);
    } else {
      assert.equal(diagnostics.length, 1);
      assert.equal(diagnostics[0].severity, 'error');
      assert.equal(diagnostics[0].message.split('\n')[0], c.error!.replace(/^error: /, '').split('\n')[0]);
    }
  });
}

test('priorities and sources are kept per symbol; settings-level wrappers apply to every item', () => {
  const { answers, diagnostics } = mergeStructuredPatches([
    { file: 'a.nix', name: 'one', oldKey: true, settings: { X: { tristate: 'y', optional: false }, CONFIG_Y: { tristate: 'm', optional: false } } },
    { file: 'b.nix', name: null, oldKey: false, settings: { _type: 'override', priority: 50, content: { X: { tristate: 'n', optional: false } } } },
    { file: 'c.nix', name: null, oldKey: false, settings: { _type: 'if', condition: false, content: { Z: { tristate: 'y', optional: false } } } },
  ]);
  assert.deepEqual(diagnostics.map((d) => d.code), ['nix/old-key', 'nix/config-prefix']);
  assert.deepEqual(answers.map((a) => [a.symbol, a.priority, a.sources.join(',')]), [['CONFIG_Y', 100, 'a.nix (one)'], ['X', 50, 'b.nix']]);
  assert.equal(renderConfigFragment(answers), 'CONFIG_CONFIG_Y=m\n# CONFIG_X is not set\n');
});
