// The presets on made-up trees (which symbols exist) and made-up user configs: resolution per kernel version,
// bad input, the priorities of the lines against the user's definitions, the intent check and the Nix text.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { InputError } from '../diag/errors.ts';
import { COMMON_CONFIG_FILE, mergeSettings, mkForce, yes } from '../nixos/index.ts';
import { checkIntent, emitPresetModule, findPreset, presetPatchLines, PRESETS, type PresetContext } from './index.ts';

function tree(names: readonly string[], extra: Partial<PresetContext> = {}): PresetContext {
  const set = new Set(names);
  return { kernelVersion: '6.12.117', treeLabel: '/fake', has: (n) => set.has(n), ...extra };
}

const TREE_612 = ['CPU_MITIGATIONS', 'MITIGATION_RETPOLINE', 'MITIGATION_SLS', 'KERNEL_XZ', 'KERNEL_ZSTD', 'DEBUG_INFO_NONE', 'MODULE_COMPRESS', 'MODULE_COMPRESS_XZ', 'MODULE_COMPRESS_ZSTD', 'MODULE_COMPRESS_ALL', 'RD_ZSTD', 'LTO_CLANG_THIN', 'HAS_LTO_CLANG', 'MITIGATION_SLS'];
const TREE_61 = ['CPU_MITIGATIONS', 'RETPOLINE', 'SLS', 'KERNEL_XZ', 'DEBUG_INFO_NONE', 'MODULE_COMPRESS_NONE', 'MODULE_COMPRESS_XZ', 'RD_ZSTD', 'LTO_CLANG_THIN', 'HAS_LTO_CLANG'];

test('no-mitigations uses the tree\'s own names: MITIGATION_RETPOLINE in 6.12, RETPOLINE in 6.1, SPECULATION_MITIGATIONS before the rename', () => {
  const p = findPreset('no-mitigations');
  const r612 = p.resolve(tree(TREE_612));
  assert.deepEqual(r612.lines.map((l) => `${l.name}=${String(l.value)}`), ['CPU_MITIGATIONS=no', 'MITIGATION_RETPOLINE=unset', 'MITIGATION_SLS=unset']);
  const r61 = p.resolve(tree(TREE_61, { kernelVersion: '6.1.192' }));
  assert.deepEqual(r61.lines.map((l) => l.name), ['CPU_MITIGATIONS', 'RETPOLINE', 'SLS']);
  assert.deepEqual(r61.expect, [{ name: 'CPU_MITIGATIONS', value: 'n' }, { name: 'RETPOLINE', value: 'n' }, { name: 'SLS', value: 'n' }]);
  const early = p.resolve(tree(['SPECULATION_MITIGATIONS', 'RETPOLINE'], { kernelVersion: '6.1.0' }));
  assert.equal(early.lines[0].name, 'SPECULATION_MITIGATIONS');
  assert.deepEqual(r612.build.map((b) => (b.kind === 'kernel-param' ? b.value : b.kind)), ['mitigations=off']);
});

test('a tree without the options, an unknown preset, a missing or bad --march: InputErrors that say what is needed', () => {
  assert.throws(() => findPreset('no-mitigations').resolve(tree(['KERNEL_XZ'])), (e: unknown) => e instanceof InputError && /needs one of CPU_MITIGATIONS, SPECULATION_MITIGATIONS, which the kernel tree \/fake/.test(e.message));
  assert.throws(() => findPreset('tiny-boot').resolve(tree(['KERNEL_XZ', 'RD_ZSTD'])), /needs DEBUG_INFO_NONE, MODULE_COMPRESS_XZ/);
  assert.throws(() => findPreset('clang-thinlto').resolve(tree(['CPU_MITIGATIONS'])), /needs LTO_CLANG_THIN, HAS_LTO_CLANG/);
  assert.throws(() => findPreset('fast'), (e: unknown) => e instanceof InputError && e.code === 'preset/unknown' && /known presets: no-mitigations, tiny-boot, march, clang-thinlto/.test(e.message));
  assert.throws(() => findPreset('march').resolve(tree([])), /needs --march VALUE/);
  assert.throws(() => findPreset('march').resolve(tree([], { march: 'native' })), /NIX_ENFORCE_NO_NATIVE/);
  assert.throws(() => findPreset('march').resolve(tree([], { march: 'znver3 -O3' })), /not a -march value/);
  const m = findPreset('march').resolve(tree([], { march: 'znver3' }));
  assert.deepEqual(m.build.map((b) => (b.kind === 'make-flag' ? b.shown : b.kind)), ['KCFLAGS+=-march=znver3', 'KCFLAGS+=-mtune=znver3']);
});

test('tiny-boot in 6.1 has no MODULE_COMPRESS bool but the NONE member; in 6.12 the bool and MODULE_COMPRESS_ALL', () => {
  const p = findPreset('tiny-boot');
  const n612 = p.resolve(tree(TREE_612)).lines.map((l) => l.name);
  const n61 = p.resolve(tree(TREE_61)).lines.map((l) => l.name);
  assert.ok(n612.includes('MODULE_COMPRESS') && n612.includes('MODULE_COMPRESS_ALL') && n612.includes('MODULE_COMPRESS_ZSTD'));
  assert.ok(!n61.includes('MODULE_COMPRESS') && n61.includes('MODULE_COMPRESS_NONE'));
});

test('lines get the lowest priority that wins: plain when nothing competes or it agrees, mkForce over a plain definition, one below a mkForce', () => {
  const tiny = findPreset('tiny-boot').resolve(tree(TREE_612));
  const existing = mergeSettings([
    { file: COMMON_CONFIG_FILE, settings: { KERNEL_ZSTD: yes, DEBUG_INFO: yes, MODULE_COMPRESS_XZ: yes } },
    { file: 'structuredExtraConfig', settings: { STRIP_ASM_SYMS: mkForce({ tristate: 'n', optional: false }) } },
  ]);
  const lines = presetPatchLines([tiny], existing);
  const nix = Object.fromEntries(lines.map((l) => [l.name, l.nix]));
  assert.equal(nix.KERNEL_XZ, 'yes'); // nothing else sets it
  assert.equal(nix.MODULE_COMPRESS_XZ, 'yes'); // agrees with common-config.nix
  assert.equal(nix.KERNEL_ZSTD, 'lib.mkForce unset'); // fallout over a plain definition
  assert.equal(nix.DEBUG_INFO, 'lib.mkForce unset');
  assert.equal(nix.STRIP_ASM_SYMS, 'lib.mkOverride 49 yes'); // the user's own mkForce no
  assert.equal(nix.DEBUG_INFO_BTF, undefined); // fallout for a name the user's config does not set: no line
  assert.match(lines.find((l) => l.name === 'KERNEL_ZSTD')!.priorityWhy, /forced over pkgs\/os-specific\/linux\/kernel\/common-config\.nix, where it is y/);
});

test('presets that disagree on an intent line are refused; a fallout line gives way to another preset\'s intent', () => {
  const a = { name: 'a', lines: [{ name: 'X', value: 'yes' as const, role: 'intent' as const, why: 'a' }], build: [], expect: [], notes: [] };
  const b = { name: 'b', lines: [{ name: 'X', value: 'no' as const, role: 'intent' as const, why: 'b' }], build: [], expect: [], notes: [] };
  const c = { name: 'c', lines: [{ name: 'X', value: 'unset' as const, role: 'fallout' as const, why: 'c' }], build: [], expect: [], notes: [] };
  assert.throws(() => presetPatchLines([a, b]), /presets a and b disagree on X/);
  assert.deepEqual(presetPatchLines([c, a]).map((l) => l.nix), ['lib.mkForce yes']);
  assert.deepEqual(presetPatchLines([a, c]).map((l) => l.nix), ['lib.mkForce yes']);
});

test('checkIntent reads `not set` and absent lines as n and reports every other difference', () => {
  const r = findPreset('clang-thinlto').resolve(tree(TREE_612));
  assert.deepEqual(checkIntent([r], 'CONFIG_CC_IS_CLANG=y\nCONFIG_LTO_CLANG_THIN=y\n# CONFIG_LTO_NONE is not set\n'), []);
  assert.deepEqual(checkIntent([r], 'CONFIG_CC_IS_GCC=y\nCONFIG_LTO_NONE=y\n').map((m) => `${m.name}:${m.got}`), ['CC_IS_CLANG:n', 'LTO_CLANG_THIN:n', 'LTO_NONE:y']);
});

test('the module: one commented kernel patch, kernelParams, the initrd compressor and a kernelPackages override with extraMakeFlags', () => {
  const ctx = tree(TREE_612, { march: 'znver3' });
  const resolved = ['no-mitigations', 'tiny-boot', 'march', 'clang-thinlto'].map((n) => findPreset(n).resolve(ctx));
  const text = emitPresetModule({ presets: resolved, lines: presetPatchLines(resolved), fixes: [], kernelAttr: 'linux_6_12', header: ['test'] });
  assert.match(text, /^# test\n\{ lib, pkgs, \.\.\. \}:\n/);
  assert.match(text, /name = "kfit-presets-no-mitigations-tiny-boot-march-clang-thinlto";/);
  assert.match(text, /# no-mitigations: the menu every compile-time mitigation sits in[^\n]*\n(?: +#[^\n]*\n)* +CPU_MITIGATIONS = lib\.mkForce no;/);
  assert.match(text, /boot\.kernelParams = \[\n +#[^\n]*\n +"mitigations=off"\n +\];/);
  assert.match(text, /boot\.initrd\.compressor = "zstd";\n +boot\.initrd\.compressorArgs = \[ "-19" "-T0" \];/);
  assert.match(text, /pkgs\.linux_6_12\.override \{\n(?: +#[^\n]*\n)* +stdenv = pkgs\.llvmPackages\.stdenv;/);
  assert.match(text, /"KCFLAGS\+=-march=znver3"\n(?: +#[^\n]*\n)* +"KCFLAGS\+=-mtune=znver3"/);
  assert.match(text, /"LD=\$\{lib\.getExe' pkgs\.llvmPackages\.lld "ld\.lld"\}"/);
  assert.equal(PRESETS.length, 4);
});
