import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../core/diag/errors.ts';
import { loadKconfigModel } from './kconfig-model.ts';

function fakeTree(version: [number, number], kconfig: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'kfit-model-tree-'));
  mkdirSync(join(dir, 'arch', 'x86'), { recursive: true });
  writeFileSync(join(dir, 'Makefile'), `VERSION = ${version[0]}\nPATCHLEVEL = ${version[1]}\nSUBLEVEL = 0\nEXTRAVERSION =\n`);
  writeFileSync(join(dir, 'arch', 'x86', 'Makefile'), '');
  writeFileSync(join(dir, 'Kconfig'), kconfig);
  return dir;
}

// `choice NAME` is 6.1's grammar only: the tree's version picks the grammar, so the same text parses as 6.1
// and is a syntax error as 6.12 (as each tree's own conf does).
const namedChoice = 'choice FOO\n\tprompt "pick"\nconfig A\n\tbool "A"\nconfig B\n\tbool "B"\nendchoice\n';

test('a 6.1 tree is read in 6.1 grammar', () => {
  const tree = fakeTree([6, 1], namedChoice);
  try {
    const loaded = loadKconfigModel({ srctree: tree, arch: 'x86_64', objtree: tree, shellCache: false });
    assert.equal(loaded.env.kernelVersion, '6.1.0');
    assert.ok(loaded.model.symbols.some((s) => s.name === 'A'));
  } finally {
    rmSync(tree, { recursive: true, force: true });
  }
});

test('a 6.12 tree is read in 6.12 grammar: every error at once, with file:line:col', () => {
  const tree = fakeTree([6, 12], `${namedChoice}config C\n\tbool "C"\n\tdepends on (A\n`);
  try {
    assert.throws(
      () => loadKconfigModel({ srctree: tree, arch: 'x86_64', objtree: tree, shellCache: false }),
      (e: unknown) => e instanceof InputError && /^Kconfig:1:\d+: error:/m.test(e.message) && /^Kconfig:10:\d+: error:/m.test(e.message),
    );
  } finally {
    rmSync(tree, { recursive: true, force: true });
  }
});
