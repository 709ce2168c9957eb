import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectSysfs } from './sysfs.ts';
import { parseSnapshot, snapshotModaliases, writeSnapshot } from '../core/hardware/snapshot.ts';

const fixtures = new URL('../../test/fixtures/hardware/', import.meta.url).pathname;

test('collects the Firecracker VM fixture: PCI, virtio, ACPI, platform, CPU', () => {
  const snap = collectSysfs({ sysfs: join(fixtures, 'firecracker/sys') });
  const byPath = new Map(snap.devices.map((d) => [d.path, d]));
  const net = byPath.get('devices/pci0000:00/0000:00:03.0');
  assert.ok(net, 'virtio-net PCI function');
  assert.deepEqual(net.modaliases, ['pci:v00001AF4d00001041sv00001AF4sd00001041bc02sc00i00']);
  assert.equal(net.subsystem, 'pci');
  assert.equal(net.driver, 'virtio-pci');
  assert.equal(net.label, 'PCI 1af4:1041 class 020000');
  const all = snapshotModaliases(snap);
  assert.ok(all.includes('acpi:PNP0501:'));
  assert.ok(all.includes('virtio:d00000001v00001AF4'));
  assert.ok(all.includes('platform:rtc_cmos'));
  assert.ok(all.some((m) => m.startsWith('cpu:type:x86,ven0002fam0019mod0011:feature:')));
  assert.equal(snap.cpu?.vendor, 'AuthenticAMD');
  assert.ok(snap.cpu?.flags.includes('aes'));
  assert.deepEqual(snap.warnings, []);
  // The snapshot round-trips through its JSON form.
  assert.equal(writeSnapshot(parseSnapshot(writeSnapshot(snap), 'hw.json').value), writeSnapshot(snap));
});

test('bad input: odd bytes and missing trees are warnings; a foreign JSON file is a clear error', () => {
  const root = mkdtempSync(join(tmpdir(), 'kfit-sysfs-'));
  try {
    mkdirSync(join(root, 'sys/devices/weird0'), { recursive: true });
    writeFileSync(join(root, 'sys/devices/weird0/modalias'), Buffer.from([0x66, 0x6f, 0x6f, 0x3a, 0xff, 0x0a]));
    writeFileSync(join(root, 'sys/devices/weird0/uevent'), 'MODALIAS=zzz:unknown-bus\n');
    const snap = collectSysfs({ sysfs: join(root, 'sys') });
    assert.equal(snap.devices.length, 1);
    assert.deepEqual(snap.devices[0]!.modaliases, ['foo:\u00ff', 'zzz:unknown-bus']);
    assert.match(snap.warnings.join('\n'), /weird0\/modalias: unexpected bytes/);
    const empty = collectSysfs({ sysfs: join(root, 'nothing') });
    assert.match(empty.warnings[0]!, /nothing\/devices: missing/);
    assert.throws(() => parseSnapshot('{"name":"x"}', 'other.json'), /other\.json:1:1: error: not a kfit hardware snapshot/);
    assert.throws(() => parseSnapshot('not json', 'x.json'), /invalid JSON/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
