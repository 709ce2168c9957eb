import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parentDirectories, writeCpio } from './cpio-archive.ts';

function readNames(bytes: Uint8Array): { name: string; mode: number; size: number; rdev: [number, number] }[] {
  const text = new TextDecoder('latin1');
  const out = [];
  let at = 0;
  for (;;) {
    const h = text.decode(bytes.subarray(at, at + 110));
    assert.equal(h.slice(0, 6), '070701');
    const field = (i: number) => parseInt(h.slice(6 + i * 8, 14 + i * 8), 16);
    const nameSize = field(11);
    const size = field(6);
    const name = text.decode(bytes.subarray(at + 110, at + 110 + nameSize - 1));
    at = (at + 110 + nameSize + 3) & ~3;
    at = (at + size + 3) & ~3;
    if (name === 'TRAILER!!!') break;
    out.push({ name, mode: field(1), size, rdev: [field(9), field(10)] as [number, number] });
  }
  assert.equal(at, bytes.length);
  return out;
}

test('newc archive: headers, 4-byte alignment, device node, trailer', () => {
  const bytes = writeCpio([
    { kind: 'dir', path: '/dev' },
    { kind: 'chardev', path: '/dev/console', major: 5, minor: 1 },
    { kind: 'file', path: '/init', data: new TextEncoder().encode('#!/bin/sh\n'), mode: 0o755 },
    { kind: 'symlink', path: '/sh', target: 'bin/busybox' },
  ]);
  const names = readNames(bytes);
  assert.deepEqual(names.map((n) => n.name), ['dev', 'dev/console', 'init', 'sh']);
  assert.equal(names[1].mode, 0o020600);
  assert.deepEqual(names[1].rdev, [5, 1]);
  assert.equal(names[2].mode, 0o100755);
  assert.equal(names[2].size, 10);
  assert.equal(names[3].mode, 0o120777);
});

test('parent directories come first, once', () => {
  assert.deepEqual(parentDirectories(['/usr/lib/a', '/usr/sbin/b', '/init']), ['/usr', '/usr/lib', '/usr/sbin']);
});
