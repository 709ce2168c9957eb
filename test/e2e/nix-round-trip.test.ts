// The proof of `kfit nix from-config`: the written file parses, and fed back through `kfit nix to-config` and the
// kernel's own conf (make olddefconfig on OLD + the fragment) it reproduces NEW for every symbol that changed.
// Over Debian's 6.12 config vs defconfig and over hand-made edits of defconfig. Needs the 6.12 tree and nix-bin.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  formatConfigValues,
  parseConfigValues,
  planNixChanges,
  type ConfigValues,
} from '../../src/core/config-diff/index.ts';
import { emitKernelPatch, mergeStructuredPatches, renderConfigFragment } from '../../src/core/nix/index.ts';
import { evaluateStructuredFiles } from '../../src/host/nix-cli.ts';
import { confEvaluator, loadOutline } from '../../src/cli/commands/config-input.ts';
import { writeNixFile } from '../../src/cli/commands/nix-from-config.ts';

const root = new URL('../../', import.meta.url).pathname;
const src = join(process.env.KFIT_CACHE ?? '', 'linux-6.12');
const debian = '/usr/src/linux-config-6.12/config.amd64_none_amd64.xz';
const defconfigText = readFileSync(join(root, 'test/fixtures/nixos/stock-6.12-defconfig/base.config'), 'utf8');
const defconfig = parseConfigValues(defconfigText, 'defconfig').value;
const ready = existsSync(join(src, 'scripts/kconfig/conf.c'));
const dir = mkdtempSync(join(tmpdir(), 'kfit-roundtrip-'));

// Symbols that depend on the toolchain that built the config, not on any answer (Debian built with
// x86_64-linux-gnu-gcc-12 and its GCC plugins; this machine's gcc has neither the same name nor plugins).
const environmental = new Set(['CC_VERSION_TEXT', 'BUILD_SALT', 'SYSTEM_TRUSTED_KEYS', 'GCC_PLUGINS', 'GCC_PLUGIN_LATENT_ENTROPY', 'GCC_PLUGIN_STACKLEAK', 'RANDSTRUCT_FULL', 'RANDSTRUCT_PERFORMANCE']);

function roundTrip(name: string, oldValues: ConfigValues, newValues: ConfigValues): { lines: number; written: number; changed: number; misses: string[] } {
  const outline = loadOutline(src, 'x86_64');
  const evaluate = confEvaluator(src, 'x86_64', oldValues)!;
  const plan = planNixChanges(oldValues, newValues, { outline, evaluate });
  const file = join(dir, `${name}.nix`);
  writeNixFile(file, emitKernelPatch({ name, entries: plan.entries }));
  const { patches } = evaluateStructuredFiles([file], { version: '6.12.117', lib: 'stand-in' });
  const { answers, diagnostics } = mergeStructuredPatches(patches);
  assert.deepEqual(diagnostics, []);
  const fragment = parseConfigValues(renderConfigFragment(answers, (s) => outline?.get(s)?.type === 'string' ? 'string' : undefined) || '# empty\n', 'fragment').value;
  const result = evaluate(fragment);
  const misses: string[] = [];
  for (const c of plan.changes) {
    if (plan.omitted.find((o) => o.symbol === c.symbol)?.reason === 'unknown') continue;
    if (result.get(c.symbol) !== c.new) misses.push(`${c.symbol}: want ${c.new}, got ${result.get(c.symbol)}`);
  }
  return { lines: readFileSync(file, 'utf8').split('\n').length - 1, written: plan.entries.length, changed: plan.changes.length, misses };
}

test('hand-made edits of defconfig round-trip exactly', { skip: !ready }, () => {
  const edits = [
    '# CONFIG_SOUND is not set',
    'CONFIG_NR_CPUS=16',
    'CONFIG_CMDLINE_BOOL=y',
    'CONFIG_CMDLINE="quiet \\"splash\\" ${x} back\\\\slash"',
    'CONFIG_USB_SERIAL=m',
    'CONFIG_USB_SERIAL_FTDI_SIO=m',
    '# CONFIG_HZ_1000 is not set',
    'CONFIG_HZ_300=y',
    'CONFIG_BTRFS_FS=m',
    '# CONFIG_WLAN is not set',
    'CONFIG_LOG_BUF_SHIFT=17',
  ].join('\n');
  const evaluateDefconfig = confEvaluator(src, 'x86_64', defconfig)!;
  const newValues = evaluateDefconfig(parseConfigValues(`${edits}\n`, 'edits').value);
  assert.equal(newValues.get('SOUND'), 'n');
  const r = roundTrip('hand-made', defconfig, newValues);
  assert.deepEqual(r.misses, []);
  assert.ok(r.written < r.changed, `minimal: ${r.written} lines for ${r.changed} changes`);
});

test('Debian 6.12 config vs defconfig round-trips (except toolchain-made symbols)', { skip: !ready || !existsSync(debian) }, () => {
  const newValues = parseConfigValues(execFileSync('xz', ['-dc', debian], { encoding: 'utf8', maxBuffer: 64 << 20 }), debian).value;
  const r = roundTrip('debian', defconfig, newValues);
  assert.deepEqual(r.misses.filter((m) => !environmental.has(m.split(':')[0])), []);
  assert.ok(r.written < r.changed);
});

