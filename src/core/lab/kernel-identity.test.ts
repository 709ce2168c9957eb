import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fnv1a, kernelKey, parseProcVersion } from './kernel-identity.ts';

test('parses a Debian /proc/version line with nested parentheses', () => {
  const v = parseProcVersion(
    'Linux version 6.12.117+deb12-amd64 (debian-kernel@lists.debian.org) (x86_64-linux-gnu-gcc-12 (Debian 12.2.0-14+deb12u1) 12.2.0, GNU ld (GNU Binutils for Debian) 2.40) #1 SMP PREEMPT_DYNAMIC Debian 6.12.117-1~deb12u1 (2025-11-20)',
  );
  assert.equal(v?.release, '6.12.117+deb12-amd64');
  assert.equal(v?.builder, 'debian-kernel@lists.debian.org');
  assert.match(v?.compiler ?? '', /^x86_64-linux-gnu-gcc-12 \(Debian 12\.2\.0-14\+deb12u1\) 12\.2\.0, GNU ld \(GNU Binutils for Debian\) 2\.40$/);
  assert.match(v?.build ?? '', /^#1 SMP PREEMPT_DYNAMIC/);
  assert.equal(parseProcVersion('not a kernel'), null);
});

test('the key changes with the command line and the environment', () => {
  const id = { procVersion: 'Linux version 6.12.117 (a@b) (gcc) #1', cmdline: 'quiet', configSha256: null, environment: 'tcg' as const };
  const k = kernelKey(id);
  assert.match(k, /^6\.12\.117-tcg-[0-9a-f]{8}$/);
  assert.notEqual(kernelKey({ ...id, cmdline: 'quiet mitigations=off' }), k);
  assert.notEqual(kernelKey({ ...id, environment: 'native' }), k);
  assert.equal(fnv1a(''), '811c9dc5');
});
