import { test } from 'node:test';
import assert from 'node:assert/strict';
import { builtUnder, KbuildIndex, walkKbuild } from './index.ts';

const tree: Record<string, string> = {
  Kbuild: 'obj-y += drivers/\nobj-y += $(ARCH_DRIVERS)\n',
  'arch/x86/Makefile': 'drivers-$(CONFIG_PCI) += arch/x86/pci/\n',
  'arch/x86/pci/Makefile': 'obj-y += common.o\n',
  'drivers/Makefile': 'obj-$(CONFIG_SERIAL) += tty/\nobj-$(CONFIG_NETDEV) += net/\n',
  'drivers/tty/Makefile': 'obj-$(CONFIG_SERIAL_8250) += 8250.o\n8250-y := 8250_core.o\n8250-$(CONFIG_SERIAL_8250_PNP) += 8250_pnp.o\n',
  'drivers/net/Kbuild': 'obj-$(CONFIG_E1000) += e1000.o\nobj-y += core.o\n',
};
const host = { readFile: (p: string) => tree[p], listDir: () => undefined };

test('walks directories with gates, composites, need-builtin and the arch directory lists', () => {
  const config = new Map(Object.entries({ PCI: 'y', SERIAL: 'y', SERIAL_8250: 'y', SERIAL_8250_PNP: 'y', NETDEV: 'm', E1000: 'm' }));
  const r = walkKbuild(host, config);
  assert.deepEqual(r.dirs.map((d) => `${d.path}:${d.needBuiltin ? 'y' : 'm'}:${d.gate.join(',')}`), [
    '.:y:', 'arch/x86/pci:y:PCI', 'drivers:y:', 'drivers/net:m:NETDEV', 'drivers/tty:y:SERIAL',
  ]);
  // drivers/net is reached through obj-m only: its obj-y core.o is not built (need-builtin unset).
  assert.deepEqual(r.objects.map((o) => o.path).sort(), ['arch/x86/pci/common.o', 'drivers/net/e1000.o', 'drivers/tty/8250_core.o', 'drivers/tty/8250_pnp.o']);
  assert.deepEqual(r.modules.filter((m) => m.kind === 'module').map((m) => m.path), ['drivers/net/e1000.ko']);
  const index = new KbuildIndex(r);
  assert.deepEqual(index.gatesOf('drivers/tty/8250_pnp.c').map((g) => [g.own, g.owner, g.dirGate]), [[['SERIAL_8250_PNP'], ['SERIAL_8250'], ['SERIAL']]]);
  assert.deepEqual(index.symbolsOf('drivers/tty/8250_core.c'), ['SERIAL_8250']);
  assert.deepEqual(index.symbolsOf('kernel/drivers/net/e1000.ko'), ['E1000']);
  assert.deepEqual(index.symbolsOf('arch/x86/pci/common.c'), ['PCI']);
  assert.equal(builtUnder(r, 'drivers').objects.length, 3);
});

test('optimistic mode sees every object of the tree with its gate, whatever the config', () => {
  const r = walkKbuild(host, new Map(), { optimistic: true });
  const index = new KbuildIndex(r);
  assert.deepEqual(index.symbolsOf('drivers/tty/8250_pnp.c'), ['SERIAL_8250_PNP']);
  assert.deepEqual(index.symbolsOf('drivers/net/e1000.c'), ['E1000']);
});
