import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lastConsoleLines, parseConsoleLog, writeInitScript } from './guest-protocol.ts';

test('the init script mounts, reports, loads modules in order and runs each payload between markers', () => {
  const s = writeInitScript({ payloads: ['crypt', 'syscall'], runs: 2, modules: ['af_alg.ko', 'algif_skcipher.ko'] });
  assert.ok(s.startsWith('#!/bin/busybox sh\n'));
  assert.match(s, /mount -t devtmpfs/);
  assert.ok(s.indexOf('af_alg.ko') < s.indexOf('algif_skcipher.ko'));
  assert.equal(s.match(/KFIT-PAYLOAD-BEGIN crypt/g)?.length, 2);
  assert.equal(s.match(/KFIT-PAYLOAD-BEGIN syscall/g)?.length, 2);
  assert.match(s, /cryptsetup benchmark --cipher aes-xts-plain64 --key-size 512/);
  assert.ok(s.trimEnd().includes('reboot -f'));
});

const log = [
  '[    0.000000] Linux version 6.12.117 (root@x) (gcc) #1',
  'KFIT-INIT uptime=0.78\r',
  'KFIT-VERSION Linux version 6.12.117 (root@x) (gcc (Debian 12.2.0-14) 12.2.0, GNU ld 2.40) #1 Tue Nov 24 2026\r',
  'KFIT-CMDLINE console=ttyS0 panic=-1 tsc=reliable\r',
  'KFIT-MODULE xts.ko: insmod: cannot insert: File exists',
  'KFIT-NODRIVER pci 0000:00:02.0 pci:v00001234d00001111sv00001AF4sd00001100bc03sc00i00',
  'KFIT-PAYLOAD-BEGIN crypt 1',
  '# Tests are approximate using memory only (no storage IO).',
  '[    3.100000] random: crng init done',
  '[    0.300000] clocksource: Switched to clocksource refined-jiffies',
  '    aes-xts        256b       123.1 MiB/s       122.0 MiB/s',
  'KFIT-PAYLOAD-END crypt 1 rc=0',
  'KFIT-PAYLOAD-BEGIN restart 1',
  'KFIT-SAMPLE restart du 812.5 us',
  'KFIT-END',
].join('\n');

test('console log: init time, version, payload output, unbound devices, end', () => {
  const r = parseConsoleLog(log);
  assert.equal(r.initReached, true);
  assert.equal(r.initUptimeSeconds, 0.78);
  assert.match(r.procVersion ?? '', /^Linux version 6\.12\.117 /);
  assert.equal(r.cmdline, 'console=ttyS0 panic=-1 tsc=reliable');
  assert.equal(r.ended, true);
  assert.equal(r.payloads.length, 2);
  assert.equal(r.payloads[0].exitCode, 0);
  assert.match(r.payloads[0].output, /aes-xts\s+256b/);
  assert.equal(r.payloads[1].exitCode, null, 'a payload without an end marker never finished');
  assert.deepEqual(r.unbound, [{ bus: 'pci', device: '0000:00:02.0', modalias: 'pci:v00001234d00001111sv00001AF4sd00001100bc03sc00i00' }]);
  assert.equal(r.moduleMessages.length, 1);
  assert.equal(r.kvmFailure, false);
  assert.equal(r.panic, null);
  assert.equal(r.clocksource, 'refined-jiffies');
});

test('a guest that never reaches init: panic line and the KVM failure class', () => {
  const r = parseConsoleLog('[ 1.0] Kernel panic - not syncing: VFS: Unable to mount root fs\nKVM internal error. Suberror: 1\nemulation failure\n');
  assert.equal(r.initReached, false);
  assert.match(r.panic ?? '', /Unable to mount root/);
  assert.equal(r.kvmFailure, true);
  assert.deepEqual(lastConsoleLines('a\n\nb\nc\n', 2), ['b', 'c']);
});
