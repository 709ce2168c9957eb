// Keeps src/core pure (STYLE.md §1): no node: imports, no process, no console, so core runs in Node,
// the browser and tests unchanged.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

function* tsFiles(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* tsFiles(path);
    else if (name.endsWith('.ts') && !name.endsWith('.test.ts')) yield path;
  }
}

const forbidden: readonly [RegExp, string][] = [
  [/from\s+['"]node:/, 'imports a node: module'],
  [/require\(\s*['"]node:/, 'requires a node: module'],
  [/import\(\s*['"]node:/, 'imports a node: module dynamically'],
  [/from\s+['"](fs|path|os|child_process|util|crypto|zlib|url)['"]/, 'imports a Node built-in'],
  [/\bprocess\.(env|argv|exit|cwd|stdout|stderr|platform|hrtime)\b/, 'uses process'],
  [/\bconsole\.\w+\(/, 'uses console'],
];

test('src/core has no node:, process or console', () => {
  const root = new URL('.', import.meta.url).pathname;
  const offences: string[] = [];
  for (const file of tsFiles(root)) {
    const lines = readFileSync(file, 'utf8').split('\n');
    lines.forEach((line, i) => {
      const code = line.replace(/\/\/.*$/, '');
      for (const [pattern, what] of forbidden) {
        if (pattern.test(code)) offences.push(`${file}:${i + 1}: ${what}: ${line.trim()}`);
      }
    });
  }
  assert.deepEqual(offences, []);
});

test('the purity check itself catches an offence', () => {
  const code = "import { readFileSync } from 'node:fs';";
  assert.ok(forbidden.some(([p]) => p.test(code)));
});
