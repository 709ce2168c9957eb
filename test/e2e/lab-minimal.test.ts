// The boot-lab proof: tinyconfig + the repo's fragment (the 16 options of research/kvm-lab.md §3) is built
// from the 6.12 tree, booted under QEMU (TCG here: this host's KVM cannot boot Linux), runs the crypt payload,
// and /init plus parsed AES-XTS rows are asserted. Then the bad-input paths of `kfit lab`.
// Needs what setup.sh installs (qemu-system-x86, busybox-static, cryptsetup-bin, the 6.12 tree);
// KFIT_E2E=0 skips it (for a quick local run only; CI runs it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildMinimalKernel, cache, fragment, json, kfit, processesWith, tree612 } from './kfit-cli.ts';

const skip = process.env.KFIT_E2E === '0' ? 'KFIT_E2E=0' : false;
const minutes = 60_000;

interface BootJson {
  booted: boolean;
  passed: boolean;
  accel: string;
  initUptimeSeconds: number | null;
  procVersion: string | null;
  crypt: { status: string; ciphers: { algorithm: string; keyBits: number; encryptMiBps: number | null; decryptMiBps: number | null }[] }[];
}

test('minimal kernel: build, boot under QEMU, /init reached, AES-XTS rows parsed', { skip, timeout: 40 * minutes }, async () => {
  const built = await buildMinimalKernel();
  assert.match(built.bzImage, /arch\/x86\/boot\/bzImage$/);
  const again = await buildMinimalKernel();
  assert.equal(again.reused, true, 'equal inputs reuse the build directory');
  const run = await kfit(['lab', 'boot', '--kernel', built.bzImage, '--payload', 'crypt', '--timeout', '300', '--json']);
  const r = json<BootJson>(run);
  assert.equal(run.status, 0, run.stdout);
  assert.equal(r.booted, true);
  assert.equal(r.passed, true);
  assert.ok(r.initUptimeSeconds !== null && r.initUptimeSeconds > 0);
  assert.match(r.procVersion ?? '', /^Linux version 6\.12\.\d+ /);
  const xts = r.crypt[0].ciphers.filter((c) => c.algorithm === 'aes-xts');
  assert.deepEqual(xts.map((c) => c.keyBits), [256, 512]);
  for (const c of xts) assert.ok((c.encryptMiBps ?? 0) > 0 && (c.decryptMiBps ?? 0) > 0, JSON.stringify(c));
});

test('bad input: missing kernel, a file that is not a kernel, unknown payload', { skip }, async () => {
  const missing = await kfit(['lab', 'boot', '--kernel', '/nonexistent/bzImage']);
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /^\/nonexistent\/bzImage:1:1: error: kernel image not found/);
  const notKernel = await kfit(['lab', 'boot', '--kernel', fragment]);
  assert.equal(notKernel.status, 1);
  assert.match(notKernel.stderr, /error: not a Linux kernel image/);
  const payload = await kfit(['lab', 'boot', '--kernel', fragment, '--payload', 'nope']);
  assert.equal(payload.status, 1);
  assert.match(payload.stderr, /unknown payload `nope`/);
});

test('a guest that never prints: timeout, exit 1, the last lines, no QEMU left', { skip, timeout: 40 * minutes }, async () => {
  const built = await buildMinimalKernel();
  const token = `kfit.e2e=${process.pid}-${Date.now()}`;
  // console=tty0 replaces kfit's ttyS0 and the kernel has no VT: nothing reaches the serial line; the first
  // process is `busybox sleep 1000` instead of kfit's /init, so the VM never ends by itself.
  const run = await kfit([
    'lab', 'boot', '--kernel', built.bzImage, '--payload', 'none', '--accel', 'tcg', '--timeout', '8',
    '--append', `console=tty0 ${token} rdinit=/bin/busybox -- sleep 1000`,
  ]);
  assert.equal(run.status, 1);
  assert.match(run.stdout, /FAIL/);
  assert.match(run.stdout, /\/init never ran \(hard timeout hit, QEMU killed\)/);
  assert.match(run.stdout, /printed nothing on the serial console/);
  assert.deepEqual(processesWith(token), []);
});

test('an initramfs that is not one: the kernel panics, the report shows the panic line', { skip, timeout: 40 * minutes }, async () => {
  const built = await buildMinimalKernel();
  const run = await kfit(['lab', 'boot', '--kernel', built.bzImage, '--initramfs', fragment, '--accel', 'tcg', '--timeout', '120']);
  assert.equal(run.status, 1);
  assert.match(run.stdout, /Kernel panic - not syncing/);
  assert.match(run.stdout, /last console lines:/);
});

test('a fragment value the config cannot keep is reported at its line', { skip, timeout: 20 * minutes }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'kfit-lab-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const frag = join(dir, 'bad.fragment');
  // KVM_GUEST depends on HYPERVISOR_GUEST, which tinyconfig leaves off: olddefconfig drops it.
  writeFileSync(frag, 'CONFIG_PRINTK=y\nCONFIG_KVM_GUEST=y\n');
  const run = await kfit(['lab', 'build', '--src', tree612, '--config', 'tinyconfig', '--fragment', frag, '--out', join(dir, 'out')]);
  assert.equal(run.status, 1, run.stderr);
  assert.match(run.stderr, new RegExp(`${frag.replace(/[.]/g, '\\.')}:2:1: error: CONFIG_KVM_GUEST=y requested, the resolved \\.config has it unset`));
  assert.ok(cache.length > 0);
});

test('a build that does not compile: the first error with its file and line, exit 1', { skip, timeout: 20 * minutes }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'kfit-lab-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const header = join(dir, 'broken.h');
  // Every C file of the build includes this header first, so the first compile fails at broken.h:2:2.
  writeFileSync(header, '/* kfit e2e */\n#error kfit-e2e-broken-build\n');
  const run = await kfit([
    'lab', 'build', '--src', tree612, '--config', 'tinyconfig', '--fragment', fragment,
    '--kcflags', `-include ${header}`, '--out', join(dir, 'out'),
  ]);
  assert.equal(run.status, 1, run.stderr);
  assert.match(run.stderr, new RegExp(`^${header.replace(/[.]/g, '\\.')}:2:2: error: #error kfit-e2e-broken-build`, 'm'));
  assert.match(run.stderr, /full log: .*build\.log/);
});
