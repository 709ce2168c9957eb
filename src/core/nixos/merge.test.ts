// Data-driven tests of the merge + rendering against nixpkgs' real lib (fixtures/nixos/merge-semantics)
// and against every fixture's structured.json → kernel-config.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { mergeSettings, NixEvalError } from './merge.ts';
import { renderKernelConfig, renderSettings } from './intermediate.ts';
import { readStructuredInput, settingsModules } from './structured-input.ts';
import type { SettingsModule } from './kernel-value.ts';

const fixtures = new URL('../../../test/fixtures/nixos/', import.meta.url).pathname;

interface MergeCase {
  name: string;
  definitions: SettingsModule['settings'][];
  definitionFiles: string[];
  ok: boolean;
  intermediateNixConfig?: string;
  settings?: Record<string, unknown>;
  error?: string;
}

const cases = JSON.parse(readFileSync(join(fixtures, 'merge-semantics/merge-semantics.json'), 'utf8')) as MergeCase[];

test('merge-semantics has 39 cases', () => assert.equal(cases.length, 39));

for (const c of cases) {
  test(`merge-semantics ${c.name}`, () => {
    const modules = c.definitions.map((settings, i) => ({ file: c.definitionFiles[i], settings }));
    const run = () => {
      const merged = mergeSettings(modules);
      const text = renderSettings(merged);
      const settings: Record<string, unknown> = {};
      for (const n of merged.names) settings[n] = merged.get(n)!.value();
      return { text, settings };
    };
    if (c.ok) {
      const { text, settings } = run();
      assert.equal(text, c.intermediateNixConfig);
      assert.deepEqual(settings, c.settings);
    } else {
      assert.throws(run, (e: unknown) => e instanceof NixEvalError && e.message === c.error);
    }
  });
}

for (const name of readdirSync(fixtures).sort()) {
  const dir = join(fixtures, name);
  if (existsSync(join(dir, 'structured.json'))) {
    test(`${name}: structured.json merges and renders to kernel-config exactly`, () => {
      const json = JSON.parse(readFileSync(join(dir, 'structured.json'), 'utf8'));
      const input = readStructuredInput(json, 'structured.json');
      const merged = mergeSettings(settingsModules(input));
      const text = renderKernelConfig(merged, { patchExtraConfigs: input.patchDefinitions.map(() => '') });
      assert.equal(text, readFileSync(join(dir, 'kernel-config'), 'utf8'));
      const settings: Record<string, unknown> = {};
      for (const n of merged.names) settings[n] = merged.get(n)!.value();
      assert.deepEqual(settings, json.settings);
    });
  }
  if (existsSync(join(dir, 'expected-eval-error.txt'))) {
    test(`${name}: the evaluation error is Nix's`, () => {
      const common = JSON.parse(readFileSync(join(fixtures, 'stock-6.12-defconfig/structured.json'), 'utf8')).commonDefinitions;
      const input = readStructuredInput({ ...JSON.parse(readFileSync(join(dir, 'structured-input.json'), 'utf8')), commonDefinitions: common }, 'x');
      const expected = readFileSync(join(dir, 'expected-eval-error.txt'), 'utf8').replace(/\n$/, '');
      assert.throws(
        () => renderKernelConfig(mergeSettings(settingsModules(input))),
        (e: unknown) => e instanceof NixEvalError && e.message === expected,
      );
    });
  }
}
