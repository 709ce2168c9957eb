// kfit hw collect → match → plan, end to end on the Firecracker sysfs fixture, Debian's module tree and the
// 6.12 source tree (the device-table scan is cached in $KFIT_CACHE/hw-tables after its first run).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('../../', import.meta.url).pathname;
const fixture = join(root, 'test/fixtures/hardware/firecracker/sys');
const cache = process.env.KFIT_CACHE ?? join(process.env.HOME ?? '', '.cache/kfit');
const src = join(cache, 'linux-6.12');
const modules = join(cache, 'debian-modules/tree/lib/modules/6.12.117+deb12-amd64');

function kfit(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'test/e2e/command-runner.ts'), join(root, 'src/cli/commands/hw.ts'), 'registerHw', 'hw', ...args], { encoding: 'utf8', cwd: root, maxBuffer: 64 << 20 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const dir = mkdtempSync(join(tmpdir(), 'kfit-hw-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

test('collect writes a snapshot; a foreign file is refused with a clear message', () => {
  const out = join(dir, 'hw.json');
  const r = kfit('collect', '--sysfs', fixture, '--out', out);
  assert.equal(r.status, 0, r.stderr);
  const snap = JSON.parse(readFileSync(out, 'utf8'));
  assert.equal(snap.format, 'kfit-hw-snapshot');
  assert.ok(snap.devices.length > 20);
  writeFileSync(join(dir, 'other.json'), '{"hello": 1}');
  const bad = kfit('match', '--hw', join(dir, 'other.json'), '--modules', dir);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /other\.json:1:1: error: not a kfit hardware snapshot/);
});

test('match resolves like modprobe on Debian\'s tree', { skip: existsSync(join(modules, 'modules.alias')) ? false : 'Debian module tree not unpacked (run the module-tree test first)' }, () => {
  const r = kfit('match', '--sysfs', fixture, '--modules', modules, '--json');
  assert.equal(r.status, 0, r.stderr);
  const rows = JSON.parse(r.stdout) as { modalias: string; source: string; modules: string[] }[];
  const byAlias = new Map(rows.map((x) => [x.modalias, x]));
  assert.deepEqual(byAlias.get('virtio:d00000001v00001AF4')?.modules, ['virtio_net']);
  assert.equal(byAlias.get('platform:rtc_cmos')?.source, 'builtin-alias');
  assert.equal(byAlias.get('acpi:PNP0501:')?.source, 'none');
});

test('plan from source: the Firecracker VM needs virtio, 8250 + its PNP part, i8042, vmgenid; Nix and .config outputs', { skip: existsSync(join(src, 'Makefile')) ? false : `${src} missing (run ./setup.sh)` }, () => {
  const r = kfit('plan', '--src', src, '--sysfs', fixture, '--format', 'json');
  assert.equal(r.status, 0, r.stderr);
  const plan = JSON.parse(r.stdout) as { items: { symbol: string; class: string }[]; closure: { failures: { symbol: string }[]; values: { symbol: string; value: string }[] } };
  const drivers = plan.items.filter((i) => i.class === 'device-driver').map((i) => i.symbol).sort();
  assert.deepEqual(drivers, ['HW_RANDOM_VIRTIO', 'INPUT_PCSPKR', 'RTC_DRV_CMOS', 'SERIAL_8250', 'SERIAL_8250_PNP', 'SERIO_I8042', 'VIRTIO_BALLOON', 'VIRTIO_BLK', 'VIRTIO_NET', 'VIRTIO_PCI', 'VIRTIO_VSOCKETS', 'VMGENID']);
  assert.ok(plan.items.some((i) => i.symbol === 'CRYPTO_AES_NI_INTEL' && i.class === 'cpu-feature'));
  const value = new Map(plan.closure.values.map((v) => [v.symbol, v.value]));
  for (const s of drivers) assert.equal(value.get(s), 'y', `${s} sticks`);
  assert.equal(value.get('PCI'), 'y', 'VIRTIO_PCI pulls in its dependency PCI');
  const nix = kfit('plan', '--src', src, '--sysfs', fixture, '--format', 'nix', '--no-cpu');
  assert.equal(nix.status, 0, nix.stderr);
  assert.match(nix.stdout, /SERIAL_8250_PNP = yes; # device-driver: acpi PNP0501:00/);
  assert.ok(!nix.stdout.includes('CRYPTO_AES_NI_INTEL'));
  const cfg = kfit('plan', '--src', src, '--sysfs', fixture, '--format', 'config', '--no-closure');
  assert.match(cfg.stdout, /\nCONFIG_VIRTIO_PCI=y\n/);
});

test('plan from source on the QEMU q35 guest: PCI, SATA, USB host + HID interfaces, HDA, PS/2 behind i8042', { skip: existsSync(join(src, 'Makefile')) ? false : `${src} missing (run ./setup.sh)` }, () => {
  const r = kfit('plan', '--src', src, '--sysfs', join(root, 'test/fixtures/hardware/qemu-q35/sys'), '--format', 'json', '--no-cpu', '--no-closure');
  assert.equal(r.status, 0, r.stderr);
  const plan = JSON.parse(r.stdout) as { items: { symbol: string; class: string }[] };
  const symbols = new Set(plan.items.map((i) => i.symbol));
  for (const s of ['E1000', 'SATA_AHCI', 'USB_XHCI_PCI', 'USB_EHCI_PCI', 'USB_HID', 'HID_GENERIC', 'SND_HDA_INTEL', 'KEYBOARD_ATKBD', 'MOUSE_PS2', 'SERIO_I8042', 'VIRTIO_NET', 'VIRTIO_PCI', 'BLK_DEV_SR', 'DRM_BOCHS']) assert.ok(symbols.has(s), `${s} planned`);
  // Capability-matched input handlers are functionality, left out unless asked for; alternative directory
  // gates (drivers/usb is reached through several symbols) are not must-haves.
  assert.ok(!symbols.has('INPUT_EVBUG'));
  assert.ok(!symbols.has('OF'));
});
