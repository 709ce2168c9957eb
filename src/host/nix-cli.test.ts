// Needs Debian's nix-bin (setup.sh installs it): every file kfit writes must pass `nix-instantiate --parse`,
// and `kfit nix to-config` must read back exactly what the printer wrote.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../core/diag/index.ts';
import { emitKernelPatch, LIB_KERNEL_STANDIN, mergeStructuredPatches, renderConfigFragment, type KernelPatchEntry } from '../core/nix/index.ts';
import { evaluateStructuredFiles, findNixpkgs, formatNixError, parseNixFile, parseNixText } from './nix-cli.ts';

const fixtures = new URL('../../test/fixtures/nix/', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'kfit-nix-'));

test('the stand-in lib parses', () => {
  parseNixText(LIB_KERNEL_STANDIN, 'lib-kernel-standin.nix');
});

test('a printed patch parses and evaluates back to the same answers and priorities', () => {
  const entries: KernelPatchEntry[] = [
    { symbol: 'SOUND', value: { kind: 'no' }, priority: 50, comment: 'Device Drivers > Sound card support' },
    { symbol: '9P_FS', value: { kind: 'module' }, comment: 'weird # comment "with" ${stuff}' },
    { symbol: 'CMDLINE', value: { kind: 'freeform', value: 'quiet "x" ${y} back\\slash $HOME' } },
    { symbol: 'NR_CPUS', value: { kind: 'freeform', value: '16' }, priority: 50 },
    { symbol: 'USB_SERIAL_CONSOLE', value: { kind: 'unset' }, priority: 50 },
    { symbol: 'BLK_DEV_NBD', value: { kind: 'module' }, optional: true },
    { symbol: 'HZ_1000', value: { kind: 'yes' }, priority: 1000 },
  ];
  const file = join(dir, 'printed.nix');
  writeFileSync(file, emitKernelPatch({ name: 'round-trip', entries, header: ['kfit test'] }));
  parseNixFile(file);
  const { patches, lib } = evaluateStructuredFiles([file], { version: null, lib: 'stand-in' });
  assert.equal(lib, 'stand-in');
  assert.equal(patches.length, 1);
  assert.equal(patches[0].name, 'round-trip');
  const { answers, diagnostics } = mergeStructuredPatches(patches);
  assert.deepEqual(diagnostics, []);
  const bySymbol = new Map(answers.map((a) => [a.symbol, a]));
  assert.equal(bySymbol.get('CMDLINE')?.item.freeform, 'quiet "x" ${y} back\\slash $HOME');
  assert.equal(bySymbol.get('SOUND')?.priority, 50);
  assert.equal(bySymbol.get('HZ_1000')?.priority, 1000);
  assert.equal(bySymbol.get('BLK_DEV_NBD')?.item.optional, true);
  assert.equal(bySymbol.get('USB_SERIAL_CONSOLE')?.item.tristate, null);
  assert.equal(
    renderConfigFragment(answers),
    [
      '# CONFIG_9P_FS is not set',
      'CONFIG_BLK_DEV_NBD=m',
      'CONFIG_CMDLINE="quiet \\"x\\" ${y} back\\\\slash $HOME"',
      'CONFIG_HZ_1000=y',
      'CONFIG_NR_CPUS=16',
      '# CONFIG_SOUND is not set',
      '',
    ].join('\n').replace('# CONFIG_9P_FS is not set', 'CONFIG_9P_FS=m'),
  );
});

test('derpconfig-shaped patch sets: named entries by default, -A picks a list, old key warns', () => {
  const file = join(fixtures, 'patch-sets.nix');
  const all = evaluateStructuredFiles([file], { version: '6.12.117', lib: 'stand-in' });
  assert.deepEqual(all.patches.map((p) => p.name), ['cpus', 'no-sound', 'tuned']);
  const base = evaluateStructuredFiles([file], { version: '6.12.117', lib: 'stand-in', attrs: ['base'] });
  assert.deepEqual(base.patches.map((p) => p.name), ['no-sound', 'tuned']);
  const { answers, diagnostics } = mergeStructuredPatches(all.patches);
  assert.equal(diagnostics.filter((d) => d.code === 'nix/old-key').length, 2);
  const by = new Map(answers.map((a) => [a.symbol, a]));
  assert.equal(by.get('MQ_IOSCHED_KYBER')?.priority, 60);
  assert.equal(by.get('RUST')?.item.tristate, 'y', 'whenAtLeast "6.12" on 6.12.117');
  assert.equal(by.get('9P_FS')?.item.tristate, 'n');
});

test('whenAtLeast without a kernel version is an error at the file\'s line', () => {
  const file = join(fixtures, 'patch-sets.nix');
  assert.throws(
    () => evaluateStructuredFiles([file], { version: null, lib: 'stand-in' }),
    (e: unknown) => e instanceof InputError && e.message.startsWith(`${file}:`) && /needs the kernel version/.test(e.message),
  );
});

test('Nix that does not evaluate: nix\'s message with file:line:col', () => {
  const file = join(fixtures, 'broken.nix');
  assert.throws(
    () => evaluateStructuredFiles([file], { version: null, lib: 'stand-in' }),
    (e: unknown) => e instanceof InputError && e.message === `${file}:5:21: error: undefined variable 'nope'`,
  );
});

test('Nix that does not parse: file:line:col', () => {
  const file = join(dir, 'bad.nix');
  writeFileSync(file, '{ lib, ... }:\n{\n  X = ;\n}\n');
  assert.throws(() => parseNixFile(file), (e: unknown) => e instanceof InputError && e.message.startsWith(`${file}:3:7: error: syntax error`));
});

test('two patches that conflict at the same priority are reported with both places', () => {
  const { patches } = evaluateStructuredFiles([join(fixtures, 'conflict.nix')], { version: null, lib: 'stand-in' });
  const { diagnostics } = mergeStructuredPatches(patches);
  assert.equal(diagnostics.length, 1);
  assert.match(diagnostics[0].message, /settings\.SCSI\.tristate' has conflicting definition values/);
  assert.match(diagnostics[0].message, /conflict\.nix \(b\)': "n"/);
});

test('formatNixError keeps the first user position', () => {
  const stderr = "error: boom\n\n       at «string»:3:4:\n       … while evaluating\n\n       at /u/f.nix:7:2:\n";
  assert.equal(formatNixError(stderr, { userFiles: ['/u/f.nix'] }), '/u/f.nix:7:2: error: boom');
  assert.equal(formatNixError('error: boom\n', { userFiles: ['/u/f.nix'] }), '/u/f.nix: error: boom');
});

// With nixpkgs' own lib on the search path (NIX_PATH=nixpkgs=…; e.g. a checkout of nix-community/nixpkgs.lib),
// the stand-in must give the same answers and priorities.
test('the stand-in agrees with nixpkgs\' lib', { skip: findNixpkgs() === null ? '<nixpkgs> is not in the Nix search path' : false }, () => {
  for (const [file, attrs] of [[join(fixtures, 'patch-sets.nix'), []], [join(fixtures, 'unknown-symbol.nix'), []], [join(fixtures, 'patch-sets.nix'), ['everything']]] as const) {
    const withLib = (lib: 'nixpkgs' | 'stand-in') => mergeStructuredPatches(evaluateStructuredFiles([file], { version: '6.12.117', lib, attrs }).patches);
    assert.deepEqual(withLib('nixpkgs'), withLib('stand-in'));
  }
});

test('a NixOS module setting boot.kernelPatches is read', () => {
  const { patches } = evaluateStructuredFiles([join(fixtures, 'nixos-module.nix')], { version: null, lib: 'stand-in' });
  assert.deepEqual(patches.map((p) => p.name), ['tweaks']);
  const { answers } = mergeStructuredPatches(patches);
  assert.equal(renderConfigFragment(answers), 'CONFIG_CMDLINE="console=ttyS0,115200 root=\\"/dev/vda\\" \\\\ end"\nCONFIG_PREEMPT=y\n# CONFIG_PREEMPT_VOLUNTARY is not set\n');
  assert.deepEqual(answers.map((a) => a.priority), [100, 50, 50]);
});
