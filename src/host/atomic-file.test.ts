import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomically } from './atomic-file.ts';

test('writeFileAtomically: the whole text, or an error and no temporary file left', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kfit-atomic-'));
  writeFileAtomically(join(dir, 'a.txt'), 'one\n');
  writeFileAtomically(join(dir, 'a.txt'), new TextEncoder().encode('two\n'));
  assert.equal(readFileSync(join(dir, 'a.txt'), 'utf8'), 'two\n');
  mkdirSync(join(dir, 'taken'));
  assert.throws(() => writeFileAtomically(join(dir, 'taken'), 'x'), /EISDIR|ENOTEMPTY|EEXIST/);
  assert.throws(() => writeFileAtomically(join(dir, 'missing', 'b.txt'), 'x'), /ENOENT/);
  assert.deepEqual(readdirSync(dir).sort(), ['a.txt', 'taken']);
  rmSync(dir, { recursive: true, force: true });
});
