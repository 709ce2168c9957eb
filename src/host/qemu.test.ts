import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InputError } from '../core/diag/errors.ts';
import { checkKernelImage, findQemu, qemuArgs } from './qemu.ts';
import { isStaticElf } from './initramfs.ts';

test('no QEMU on PATH names the Debian package', () => {
  const saved = process.env.PATH;
  process.env.PATH = '/nonexistent';
  try {
    assert.throws(() => findQemu(), (e: unknown) => e instanceof InputError && /qemu-system-x86/.test(e.message));
  } finally {
    process.env.PATH = saved;
  }
});

test('TCG gets -cpu max and tsc=reliable; a console= in --append replaces ttyS0', () => {
  const a = qemuArgs({ kernel: 'k', initrd: 'i', accel: 'tcg', timeoutSeconds: 1, tscKhz: null });
  assert.deepEqual(a.slice(0, 4), ['-accel', 'tcg', '-cpu', 'max']);
  assert.equal(a[a.indexOf('-append') + 1], 'console=ttyS0 panic=-1 tsc=reliable');
  const k = qemuArgs({ kernel: 'k', initrd: 'i', accel: 'tcg', timeoutSeconds: 1, tscKhz: 2596148 });
  assert.equal(k[k.indexOf('-append') + 1], 'console=ttyS0 panic=-1 tsc=reliable tsc_early_khz=2596148');
  assert.ok(a.includes('-no-reboot'));
  const b = qemuArgs({ kernel: 'k', initrd: 'i', accel: 'kvm', timeoutSeconds: 1, append: 'console=tty0' });
  assert.equal(b[b.indexOf('-append') + 1], 'panic=-1 console=tty0');
});

test('kernel image check: a text file is not a kernel', () => {
  assert.throws(() => checkKernelImage(new URL(import.meta.url).pathname), /not a Linux kernel image/);
  assert.throws(() => checkKernelImage('/nonexistent'), /kernel image not found/);
});

test('static ELF detection (Debian busybox-static vs a dynamic program)', () => {
  assert.equal(isStaticElf('/bin/busybox'), true);
  assert.equal(isStaticElf(process.execPath), false);
});
