import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { NO_AF_ALG, parseCryptsetupBenchmark } from './cryptsetup-output.ts';

const fixture = (name: string) => readFileSync(new URL(`../../../test/fixtures/lab/${name}`, import.meta.url), 'utf8');

test('a KDF-only run (host without AF_ALG) is "kernel lacks AF_ALG skcipher", not a parse failure', () => {
  const r = parseCryptsetupBenchmark(fixture('cryptsetup-kdf-only.stdout'), fixture('cryptsetup-kdf-only.stderr'));
  assert.equal(r.value.status, 'kdf-only');
  assert.deepEqual(r.value.pbkdf2.map((p) => p.hash), ['sha1', 'sha256', 'sha512', 'ripemd160', 'whirlpool']);
  assert.equal(r.value.pbkdf2[1].iterationsPerSecond, 4236670);
  assert.deepEqual(r.value.argon2.map((a) => [a.kdf, a.iterations, a.memoryKiB, a.threads, a.requestedMs]), [
    ['argon2i', 4, 1048576, 4, 2000],
    ['argon2id', 4, 1048576, 4, 2000],
  ]);
  assert.equal(r.value.ciphers.length, 0);
  assert.deepEqual(r.diagnostics.map((d) => [d.severity, d.code]), [['warning', NO_AF_ALG]]);
  assert.match(r.diagnostics[0].message, /kernel lacks AF_ALG skcipher/);
});

test('--cipher without AF_ALG names the missing cipher and still says AF_ALG', () => {
  const r = parseCryptsetupBenchmark(fixture('cryptsetup-xts-no-af-alg.stdout'), fixture('cryptsetup-xts-no-af-alg.stderr'));
  assert.equal(r.value.status, 'empty');
  assert.deepEqual(r.value.unavailable, ['aes-xts-plain64 256b']);
  assert.equal(r.diagnostics[0].code, NO_AF_ALG);
});

test('a full run in a guest: every cipher row, N/A rows, and the header', () => {
  const r = parseCryptsetupBenchmark(fixture('cryptsetup-full-guest.out'));
  assert.equal(r.value.status, 'complete');
  assert.equal(r.value.ciphers.length, 12);
  const xts = r.value.ciphers.filter((c) => c.algorithm === 'aes-xts');
  assert.deepEqual(xts.map((c) => c.keyBits), [256, 512]);
  assert.ok(xts.every((c) => c.encryptMiBps !== null && c.encryptMiBps > 0));
  assert.equal(r.value.pbkdf2.length, 5);
  assert.deepEqual(r.diagnostics, []);
});

test('--cipher output (right-aligned header), GiB/s and N/A cells', () => {
  const out = [
    '# Tests are approximate using memory only (no storage IO).',
    '#  Algorithm |       Key |      Encryption |      Decryption',
    '    aes-xts        256b       123.4 MiB/s       120.0 MiB/s',
    '    aes-xts        512b         2.5 GiB/s             N/A',
  ].join('\n');
  const r = parseCryptsetupBenchmark(out);
  assert.deepEqual(
    r.value.ciphers.map((c) => [c.algorithm, c.keyBits, c.encryptMiBps, c.decryptMiBps]),
    [
      ['aes-xts', 256, 123.4, 120.0],
      ['aes-xts', 512, 2560, null],
    ],
  );
});

test('output with no recognisable row is an error diagnostic', () => {
  const r = parseCryptsetupBenchmark('something else entirely\n');
  assert.equal(r.value.status, 'empty');
  assert.equal(r.diagnostics[0].severity, 'error');
});
