import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeArgs } from './kernel-build.ts';

test('LLVM builds pass LLVM=1 (and KCFLAGS) on every make call', () => {
  const a = makeArgs({ src: '/s', config: 'tinyconfig', llvm: true, kcflags: '-march=native' }, '/o');
  assert.deepEqual(a, ['-C', '/s', 'O=/o', 'ARCH=x86_64', 'LLVM=1', 'KCFLAGS=-march=native']);
  assert.ok(!makeArgs({ src: '/s', config: 'tinyconfig' }, '/o').includes('LLVM=1'));
});
