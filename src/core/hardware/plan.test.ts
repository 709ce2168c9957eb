import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KbuildIndex, walkKbuild } from '../kbuild/index.ts';
import { classifyAlias, planHardware, sourceAliasIndex } from './plan.ts';
import { formatPlanConfig, formatPlanNix } from './plan-output.ts';
import type { HwSnapshot } from './snapshot.ts';

const tree: Record<string, string> = {
  Kbuild: 'obj-y += drivers/\n',
  'arch/x86/Makefile': '',
  'drivers/Makefile': 'obj-$(CONFIG_SERIAL) += tty/\nobj-y += crypto/\n',
  'drivers/tty/Makefile': 'obj-$(CONFIG_SERIAL_8250) += 8250.o\n8250-y := 8250_core.o\n8250-$(CONFIG_SERIAL_8250_PNP) += 8250_pnp.o\n',
  'drivers/crypto/Makefile': 'obj-$(CONFIG_CRYPTO_AES_NI) += aesni.o\n',
};
const kbuild = new KbuildIndex(walkKbuild({ readFile: (p) => tree[p], listDir: () => undefined }, new Map(), { optimistic: true }));
const sources = sourceAliasIndex([
  { file: 'drivers/tty/8250_pnp.c', tables: [{ type: 'pnp', name: 'pnp_dev_table', entries: 1, aliases: ['pnp:dPNP0501*', 'acpi*:PNP0501:*'] }], explicit: [], problems: [] },
  { file: 'drivers/crypto/aesni.c', tables: [{ type: 'x86cpu', name: 'ids', entries: 1, aliases: ['cpu:type:x86,ven*fam*mod*:feature:*0099*'] }], explicit: [], problems: [] },
]);
const snapshot: HwSnapshot = {
  format: 'kfit-hw-snapshot',
  version: 1,
  source: { sysfs: '/sys' },
  devices: [
    { path: 'devices/pnp0/00:01', modaliases: ['acpi:PNP0501:'], label: 'acpi PNP0501:00' },
    { path: 'devices/system/cpu', modaliases: ['cpu:type:x86,ven0002fam0019mod0011:feature:,0000,0099,00C0'], label: 'cpu' },
    { path: 'devices/odd', modaliases: ['zzz:nothing'], label: 'odd' },
  ],
  warnings: [],
};

test('plan: sub-object option, its module, gates, CPU features, unmatched devices', () => {
  const plan = planHardware({ snapshot, sources, kbuild });
  assert.deepEqual(plan.items.map((i) => `${i.symbol}:${i.class}`), ['SERIAL_8250:device-driver', 'SERIAL_8250_PNP:device-driver', 'CRYPTO_AES_NI:cpu-feature', 'SERIAL:gate']);
  assert.equal(plan.items[1]!.reasons[0]!.via, 'source:drivers/tty/8250_pnp.c (pnp table pnp_dev_table)');
  assert.deepEqual(plan.unmatched.map((u) => u.device), ['devices/odd']);
  const noCpu = planHardware({ snapshot, sources, kbuild, cpuFeatures: false });
  assert.ok(!noCpu.items.some((i) => i.symbol === 'CRYPTO_AES_NI'));
  assert.match(formatPlanConfig(plan), /# device-driver: acpi PNP0501:00 \[devices\/pnp0\/00:01\] via source:drivers\/tty\/8250_pnp\.c \(pnp table pnp_dev_table\)\nCONFIG_SERIAL_8250_PNP=y/);
  assert.match(formatPlanNix(plan), /structuredExtraConfig = with lib\.kernel; \{\n(.*\n)*\s+SERIAL_8250_PNP = yes; # device-driver: acpi PNP0501:00/);
});

test('classification by alias shape', () => {
  assert.equal(classifyAlias('dmi*:svn*LENOVO*:'), 'platform-quirk');
  assert.equal(classifyAlias('wmi:ABCD'), 'platform-quirk');
  assert.equal(classifyAlias('cpu:type:x86,ven0000fam0006mod008C:feature:*'), 'cpu-model');
  assert.equal(classifyAlias('cpu:type:*:feature:*0099*'), 'cpu-feature');
  assert.equal(classifyAlias('pci:v00008086d*sv*sd*bc*sc*i*'), 'device-driver');
});
