import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildMenuOutline, groupAttr, groupSubtraction, keepClosure, parseConfigValues, planNixChanges, subtractCandidates } from './index.ts';

const tree: Record<string, string> = {
  Kconfig: 'menu "Device Drivers"\nsource "drivers/net/Kconfig"\nsource "drivers/sound/Kconfig"\nconfig DEVTMPFS\n\tbool "devtmpfs"\nendmenu\n',
  'drivers/net/Kconfig': [
    'menuconfig NETDEVICES', '\tbool "Network device support"', 'if NETDEVICES',
    'menu "Ethernet driver support"',
    'config NET_VENDOR_INTEL', '\tbool "Intel devices"', 'if NET_VENDOR_INTEL',
    'config E1000E', '\ttristate "e1000e"', '\tdepends on PCI', 'endif',
    'config VIRTIO_NET', '\ttristate "virtio net"', 'endmenu', 'endif', '',
  ].join('\n'),
  'drivers/sound/Kconfig': 'menuconfig SOUND\n\ttristate "Sound card support"\nif SOUND\nconfig SND\n\ttristate "ALSA"\nendif\n',
};
const outline = buildMenuOutline((p) => tree[p], 'x86');
const base = parseConfigValues('CONFIG_DEVTMPFS=y\nCONFIG_NETDEVICES=y\nCONFIG_NET_VENDOR_INTEL=y\nCONFIG_E1000E=m\nCONFIG_VIRTIO_NET=y\nCONFIG_SOUND=m\nCONFIG_SND=m\n', 'base').value;

test('keepClosure follows depends on and enclosing if blocks', () => {
  assert.deepEqual([...keepClosure(['VIRTIO_NET'], outline)].sort(), ['NETDEVICES', 'VIRTIO_NET']);
  assert.ok(keepClosure(['E1000E'], outline).has('NET_VENDOR_INTEL'));
});

test('candidates: drivers and menu gates that are on and not kept; never infrastructure bools', () => {
  const c = subtractCandidates(base, outline, keepClosure(['VIRTIO_NET'], outline));
  assert.deepEqual(c.sort(), ['E1000E', 'NET_VENDOR_INTEL', 'SND', 'SOUND']);
});

test('groups: entries by menu, removed options and objects attributed through dependencies, largest first', () => {
  const after = parseConfigValues('CONFIG_DEVTMPFS=y\nCONFIG_NETDEVICES=y\n# CONFIG_NET_VENDOR_INTEL is not set\nCONFIG_VIRTIO_NET=y\n# CONFIG_SOUND is not set\n', 'after').value;
  const plan = planNixChanges(base, after, { outline });
  assert.deepEqual(plan.entries.map((e) => e.symbol).sort(), ['NET_VENDOR_INTEL', 'SOUND']);
  const groups = groupSubtraction(base, after, plan, outline, [
    { path: 'drivers/net/e1000e/netdev.o', gate: ['E1000E', 'NET_VENDOR_INTEL'], isC: true },
    { path: 'drivers/net/e1000e/ich8lan.o', gate: ['E1000E'], isC: true },
    { path: 'sound/core/sound.o', gate: ['SND'], isC: true },
  ]);
  assert.deepEqual(groups.map((g) => [g.menu, g.entries.length, g.optionsRemoved, g.unitsRemoved]), [
    ['Device Drivers > Network device support > Ethernet driver support', 1, 2, 2],
    ['Device Drivers > Sound card support', 1, 2, 1],
  ]);
  assert.equal(groupAttr('Device Drivers > Network device support > Ethernet driver support'), 'unused-network-device-support-ethernet-driver-support');
  assert.equal(groupAttr('Device Drivers > Graphics support > Direct Rendering Manager (XFree86 4.1.0 and higher DRI support)'), 'unused-graphics-support-direct-rendering-manager');
  assert.equal(groupAttr('Device Drivers'), 'unused-drivers');
});
