// `kfit subtract` on the real 6.12 tree: defconfig minus what a Firecracker guest (hw fixture) and its serial
// console need. The written sets parse, come largest first, never switch off what is kept, and fed back through
// `kfit nix to-config` + the kernel's conf they reproduce the subtraction. Needs the 6.12 tree and nix-bin.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfigValues } from '../../src/core/config-diff/index.ts';
import { mergeStructuredPatches, renderConfigFragment } from '../../src/core/nix/index.ts';
import { evaluateStructuredFiles } from '../../src/host/nix-cli.ts';
import { confEvaluator, treeDefconfig } from '../../src/cli/commands/config-input.ts';

const root = new URL('../../', import.meta.url).pathname;
const src = join(process.env.KFIT_CACHE ?? '', 'linux-6.12');
const ready = existsSync(join(src, 'scripts/kconfig/conf.c'));

test('kfit subtract: Firecracker guest on defconfig', { skip: !ready, timeout: 300_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'kfit-subtract-'));
  const out = join(dir, 'subtract.nix');
  const args = ['subtract', '--keep', join(root, 'test/fixtures/nix/hw-firecracker.json'), '--keep', join(root, 'test/fixtures/nix/keep-console.txt'), '--src', src];
  const runner = [join(root, 'test/e2e/command-runner.ts'), join(root, 'src/cli/commands/subtract.ts'), 'registerSubtract'];
  const r = spawnSync(process.execPath, ['--import', 'tsx', ...runner, ...args, '--out', out], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const text = readFileSync(out, 'utf8');
  assert.equal(spawnSync('nix-instantiate', ['--parse', out]).status, 0);
  const units = [...text.matchAll(/removes (\d+) options, (\d+) compilation units/g)].map((m) => Number(m[2]));
  assert.ok(units.length >= 5, `several sets:\n${r.stderr}`);
  assert.deepEqual(units, [...units].sort((a, b) => b - a), 'largest first');
  for (const kept of ['VIRTIO_NET', 'VIRTIO_BLK', 'SERIAL_8250', 'PCI', 'NETDEVICES']) assert.doesNotMatch(text, new RegExp(`\\n\\s+${kept} = `));
  // Round trip: all sets → to-config → conf on defconfig: every written symbol is off, kept ones are untouched.
  const { patches } = evaluateStructuredFiles([out], { version: '6.12.117', lib: 'stand-in', attrs: ['all'] });
  const { answers, diagnostics } = mergeStructuredPatches(patches);
  assert.deepEqual(diagnostics, []);
  assert.ok(answers.length > 10);
  const base = treeDefconfig(src, 'x86_64');
  const result = confEvaluator(src, 'x86_64', base)!(parseConfigValues(renderConfigFragment(answers), 'fragment').value);
  for (const a of answers) assert.equal(result.get(a.symbol), 'n', `${a.symbol} is off`);
  for (const kept of ['VIRTIO_NET', 'VIRTIO_BLK', 'SERIAL_8250', 'SERIAL_8250_CONSOLE']) assert.equal(result.get(kept), base.get(kept), kept);
});
