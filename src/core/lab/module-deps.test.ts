import { test } from 'node:test';
import assert from 'node:assert/strict';
import { moduleName, parseModulesDep, resolveModuleOrder } from './module-deps.ts';

const dep = [
  'kernel/crypto/af_alg.ko.xz:',
  'kernel/crypto/algif_skcipher.ko.xz: kernel/crypto/af_alg.ko.xz',
  'kernel/crypto/cryptd.ko.xz:',
  'kernel/crypto/crypto_simd.ko.xz: kernel/crypto/cryptd.ko.xz',
  'kernel/arch/x86/crypto/aesni-intel.ko.xz: kernel/crypto/crypto_simd.ko.xz kernel/crypto/cryptd.ko.xz',
].join('\n');

test('module names normalise dashes and strip compression', () => {
  assert.equal(moduleName('kernel/arch/x86/crypto/aesni-intel.ko.xz'), 'aesni_intel');
});

test('dependencies load first, each once; unknown names are reported', () => {
  const r = resolveModuleOrder(parseModulesDep(dep), ['algif_skcipher', 'aesni-intel', 'af_alg', 'xts']);
  assert.deepEqual(r.order.map(moduleName), ['af_alg', 'algif_skcipher', 'cryptd', 'crypto_simd', 'aesni_intel']);
  assert.deepEqual(r.missing, ['xts']);
});
