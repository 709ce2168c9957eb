import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Assignments, buildModel } from '../kconfig/index.ts';
import { parseKconfig } from '../kconfig/parse-kconfig.ts';
import { MemorySourceHost } from '../kconfig/source-host.ts';
import { closeUnderKconfig } from './closure.ts';

const kconfig = `
config MODULES
	bool "modules"
	modules
config PCI
	bool "PCI"
config NETDEVICES
	bool "Network devices"
config VIRTIO
	tristate
config VIRTIO_PCI
	tristate "virtio pci"
	depends on PCI
	select VIRTIO
config VIRTIO_NET
	tristate "virtio net"
	depends on NETDEVICES && VIRTIO
config ONLY_ARM
	bool "arm only"
	depends on ARM
config ARM
	bool
config LIB
	tristate
`;

test('closure: adds depends-on symbols, keeps selects to the engine, explains what cannot stick', () => {
  const parsed = parseKconfig('Kconfig', new MemorySourceHost({ Kconfig: kconfig }));
  const model = buildModel(parsed.value, { flavor: 'v6.12' }).value;
  const r = closeUnderKconfig(model, Assignments.empty(), [{ symbol: 'VIRTIO_NET' }, { symbol: 'VIRTIO_PCI' }, { symbol: 'ONLY_ARM' }, { symbol: 'LIB' }, { symbol: 'NOT_THERE' }]);
  const v = Object.fromEntries(r.values.map((x) => [x.symbol, `${x.value}:${x.because}`]));
  assert.equal(v.VIRTIO_NET, 'y:requested');
  assert.equal(v.VIRTIO_PCI, 'y:requested');
  assert.equal(v.NETDEVICES, 'y:dependency of VIRTIO_NET');
  assert.equal(v.PCI, 'y:dependency of VIRTIO_PCI');
  assert.equal(v.VIRTIO, 'y:dependency of VIRTIO_NET', 'promptless, set by the select of VIRTIO_PCI');
  assert.equal(r.values.find((x) => x.symbol === 'VIRTIO')?.settable, false);
  assert.deepEqual(r.failures.map((f) => `${f.symbol}: ${f.reason}`), [
    'ONLY_ARM: needs ARM, which stay n',
    'LIB: has no prompt: only a select from another option can turn it on; MODULES is off',
  ]);
  assert.deepEqual(r.unknown, ['NOT_THERE']);
});
