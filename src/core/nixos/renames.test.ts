// The rename/move matcher on small two-version Kconfig worlds (the shapes found between Linux 6.1 and 6.12).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildModel } from '../kconfig/model-build.ts';
import type { KconfigFlavor, KconfigModel } from '../kconfig/model.ts';
import { parseKconfig } from '../kconfig/parse-kconfig.ts';
import { MemorySourceHost } from '../kconfig/source-host.ts';
import { abbreviates, commonNamePrefix, isVariant, nameOverlap } from './rename-text.ts';
import { RenameMatcher } from './renames.ts';

function model(files: Record<string, string>, flavor: KconfigFlavor): KconfigModel {
  const parsed = parseKconfig('Kconfig', new MemorySourceHost(files), { flavor });
  assert.deepEqual(parsed.diagnostics.filter((d) => d.severity === 'error'), []);
  return buildModel(parsed.value, { flavor }).value;
}

const HOTPLUG_HELP = `	help
	  This option sets the default policy setting for memory hotplug
	  onlining policy (/sys/devices/system/memory/auto_online_blocks) which
	  determines what happens to newly added memory regions. Policy setting
	  can always be changed at runtime.
	  See Documentation/admin-guide/mm/memory-hotplug.rst for more information.
`;

// 6.1's mm/Kconfig: a bool between MEMORY_HOTPLUG and MEMORY_HOTREMOVE
const OLD_MM = `menuconfig MEMORY_HOTPLUG
	bool "Memory hotplug"
if MEMORY_HOTPLUG
config MEMORY_HOTPLUG_DEFAULT_ONLINE
	bool "Online the newly added memory blocks by default"
	depends on MEMORY_HOTPLUG
${HOTPLUG_HELP}
	  Say Y here if you want all hot-plugged memory blocks to appear in
	  'online' state by default.
config MEMORY_HOTREMOVE
	bool "Allow for memory hot remove"
endif
config RTC_DRV_V3020
	tristate "EM Microelectronic V3020"
	help
	  If you say yes here you will get support for the
	  EM Microelectronic v3020 RTC chip.
	  This driver can also be built as a module. If so, the module
	  will be called rtc-v3020.
config RTC_DRV_WM831X
	tristate "Wolfson Microelectronics WM831x RTC"
config RETPOLINE
	bool "Avoid speculative indirect branches in kernel"
	help
	  Compile kernel with the retpoline compiler options to guard against
	  kernel-to-user data leaks by avoiding speculative indirect
	  branches. Requires a compiler with -mindirect-branch=thunk-extern
	  support for full protection. The kernel may run slower.
config SLS
	bool "Mitigate Straight-Line-Speculation"
config KEEP_ME
	bool "Some option that stays"
`;

// 6.12's: a choice of four bools in its place, a sibling RTC driver where the old one was, a prefixed rename
const NEW_MM = `menuconfig MEMORY_HOTPLUG
	bool "Memory hotplug"
if MEMORY_HOTPLUG
choice
	prompt "Memory Hotplug Default Online Type"
	default MHP_DEFAULT_ONLINE_TYPE_OFFLINE
	help
	  Default memory type for hotplugged memory.

${HOTPLUG_HELP.replace('\thelp\n', '')}
	  The default is 'offline'.
config MHP_DEFAULT_ONLINE_TYPE_OFFLINE
	bool "offline"
config MHP_DEFAULT_ONLINE_TYPE_ONLINE_AUTO
	bool "auto"
config MHP_DEFAULT_ONLINE_TYPE_ONLINE_KERNEL
	bool "kernel"
config MHP_DEFAULT_ONLINE_TYPE_ONLINE_MOVABLE
	bool "movable"
endchoice
config MEMORY_HOTREMOVE
	bool "Allow for memory hot remove"
endif
config RTC_DRV_BBNSM
	tristate "NXP BBNSM RTC support"
	help
	  If you say yes here you will get support for the
	  NXP BBNSM RTC chip.
	  This driver can also be built as a module. If so, the module
	  will be called rtc-bbnsm.
config RTC_DRV_WM831X
	tristate "Wolfson Microelectronics WM831x RTC"
config MITIGATION_RETPOLINE
	bool "Avoid speculative indirect branches in kernel"
	help
	  Compile kernel with the retpoline compiler options to guard against
	  kernel-to-user data leaks by avoiding speculative indirect
	  branches. Requires a compiler with -mindirect-branch=thunk-extern
	  support for full protection. The kernel may run slower.
config MITIGATION_SLS
	bool "Mitigate Straight-Line-Speculation"
`;

const older = model({ Kconfig: 'source "mm/Kconfig"\n', 'mm/Kconfig': OLD_MM }, 'v6.1');
const newer = model({ Kconfig: 'source "mm/Kconfig"\nsource "lib/Kconfig"\n', 'mm/Kconfig': NEW_MM, 'lib/Kconfig': 'config KEEP_ME\n\tbool "Some option that stays"\n' }, 'v6.12');

test('a bool replaced by a choice of bools is found with its evidence (old → new)', () => {
  const r = RenameMatcher.build(older, newer).find('MEMORY_HOTPLUG_DEFAULT_ONLINE')!;
  assert.equal(r.location, 'mm/Kconfig:4');
  assert.equal(r.candidates.length, 1);
  const [c] = r.candidates;
  assert.equal(c.relation, 'became-choice');
  assert.equal(c.name, 'MHP_DEFAULT_ONLINE_TYPE_*');
  assert.deepEqual(c.members, ['MHP_DEFAULT_ONLINE_TYPE_OFFLINE', 'MHP_DEFAULT_ONLINE_TYPE_ONLINE_AUTO', 'MHP_DEFAULT_ONLINE_TYPE_ONLINE_KERNEL', 'MHP_DEFAULT_ONLINE_TYPE_ONLINE_MOVABLE']);
  assert.equal(c.prompt, 'Memory Hotplug Default Online Type');
  assert.ok(c.evidence.includes('defined in mm/Kconfig between MEMORY_HOTPLUG and MEMORY_HOTREMOVE in both trees'), c.evidence.join('\n'));
  assert.ok(c.evidence.some((e) => /^similar help text/.test(e)), c.evidence.join('\n'));
  assert.ok(c.evidence.some((e) => e.includes('MEMORY_HOTPLUG ↔ MHP')), c.evidence.join('\n'));
  assert.equal(c.sameMeaning, false);
});

test('the other way: each member of the new choice leads back to the old bool (new → old)', () => {
  const m = RenameMatcher.build(newer, older);
  for (const name of ['MHP_DEFAULT_ONLINE_TYPE_OFFLINE', 'MHP_DEFAULT_ONLINE_TYPE_ONLINE_MOVABLE']) {
    const r = m.find(name)!;
    assert.deepEqual(r.candidates.map((c) => [c.name, c.relation]), [['MEMORY_HOTPLUG_DEFAULT_ONLINE', 'left-choice']], name);
  }
});

test('a prefixed rename with the same prompt and help is a same-meaning rename, both ways', () => {
  const r = RenameMatcher.build(older, newer).find('RETPOLINE')!;
  assert.equal(r.candidates.length, 1);
  assert.equal(r.candidates[0].name, 'MITIGATION_RETPOLINE');
  assert.equal(r.candidates[0].relation, 'renamed');
  assert.equal(r.candidates[0].sameMeaning, true);
  assert.ok(r.candidates[0].evidence.includes('same prompt "Avoid speculative indirect branches in kernel"'));
  assert.ok(r.candidates[0].evidence.includes('same help text'));
  assert.ok(r.candidates[0].evidence.includes('name: RETPOLINE is part of MITIGATION_RETPOLINE'));
  const back = RenameMatcher.build(newer, older).find('MITIGATION_RETPOLINE')!;
  assert.deepEqual(back.candidates.map((c) => c.name), ['RETPOLINE']);
  // no help text, but the same prompt and the name
  assert.deepEqual(RenameMatcher.build(older, newer).find('SLS')!.candidates.map((c) => c.name), ['MITIGATION_SLS']);
});

test('a different driver that took the removed one\'s place in the list is not a rename', () => {
  const r = RenameMatcher.build(older, newer).find('RTC_DRV_V3020')!;
  assert.deepEqual(r.candidates, []);
  assert.deepEqual(RenameMatcher.build(newer, older).find('RTC_DRV_BBNSM')!.candidates, []);
});

test('a symbol in both trees is `moved` when its file changed, has no candidates when not; unknown names give undefined', () => {
  const m = RenameMatcher.build(older, newer);
  const moved = m.find('KEEP_ME')!;
  assert.equal(moved.candidates.length, 1);
  assert.equal(moved.candidates[0].relation, 'moved');
  assert.deepEqual(moved.candidates[0].evidence, ['defined in mm/Kconfig, now in lib/Kconfig']);
  assert.deepEqual(m.find('RTC_DRV_WM831X')!.candidates, []);
  assert.equal(m.find('NOT_A_SYMBOL'), undefined);
});

test('a threshold above every score reports nothing', () => {
  assert.deepEqual(RenameMatcher.build(older, newer, { threshold: 100 }).find('RETPOLINE')!.candidates, []);
});

test('a bool that became a choice names the member with its help text', () => {
  const help = '\thelp\n\t  Compress the debug information using zlib. Requires GCC 5.0+ or Clang 5.0+,\n\t  binutils 2.26+, and zlib. Users of dpkg-deb via scripts/package/builddeb may find an increase in size.\n';
  const a = model({ Kconfig: `config DEBUG_INFO_REDUCED\n\tbool "Reduce debugging information"\nconfig DEBUG_INFO_COMPRESSED\n\tbool "Compressed debugging information"\n${help}config DEBUG_INFO_SPLIT\n\tbool "Produce split debuginfo in .dwo files"\n` }, 'v6.1');
  const b = model({
    Kconfig: `config DEBUG_INFO_REDUCED\n\tbool "Reduce debugging information"\nchoice\n\tprompt "Compressed Debug information"\nconfig DEBUG_INFO_COMPRESSED_NONE\n\tbool "Don't compress debug information"\nconfig DEBUG_INFO_COMPRESSED_ZLIB\n\tbool "Compress debugging information with zlib"\n${help}config DEBUG_INFO_COMPRESSED_ZSTD\n\tbool "Compress debugging information with zstd"\nendchoice\nconfig DEBUG_INFO_SPLIT\n\tbool "Produce split debuginfo in .dwo files"\n`,
  }, 'v6.12');
  const [c] = RenameMatcher.build(a, b).find('DEBUG_INFO_COMPRESSED')!.candidates;
  assert.equal(c.relation, 'became-choice');
  assert.equal(c.member, 'DEBUG_INFO_COMPRESSED_ZLIB');
  assert.ok(c.evidence.includes('its member DEBUG_INFO_COMPRESSED_ZLIB has the same help text'), c.evidence.join('\n'));
  // the other way the member itself is a same-meaning rename of the bool
  const back = RenameMatcher.build(b, a).find('DEBUG_INFO_COMPRESSED_ZLIB')!.candidates;
  assert.deepEqual(back.map((x) => [x.name, x.sameMeaning]), [['DEBUG_INFO_COMPRESSED', true]]);
});

test('abbreviations, name overlap and common prefixes', () => {
  assert.equal(abbreviates('MHP', ['MEMORY', 'HOTPLUG']), true);
  assert.equal(abbreviates('FS', ['FILE', 'SYSTEM']), true);
  assert.equal(abbreviates('MHP', ['MEMORY']), false);
  assert.equal(abbreviates('XHP', ['MEMORY', 'HOTPLUG']), false);
  assert.equal(abbreviates('MHPQ', ['MEMORY', 'HOTPLUG']), false);
  const o = nameOverlap('MEMORY_HOTPLUG_DEFAULT_ONLINE', 'MHP_DEFAULT_ONLINE_TYPE', () => 1);
  assert.deepEqual(o.shared, ['DEFAULT', 'ONLINE']);
  assert.deepEqual(o.abbreviations, ['MEMORY_HOTPLUG ↔ MHP']);
  assert.equal(o.coverA, 1);
  assert.equal(o.coverB, 0.75);
  assert.equal(commonNamePrefix(['MHP_DEFAULT_ONLINE_TYPE_OFFLINE', 'MHP_DEFAULT_ONLINE_TYPE_ONLINE_AUTO']), 'MHP_DEFAULT_ONLINE_TYPE');
  assert.equal(commonNamePrefix(['A_B', 'C_D']), '');
  assert.equal(isVariant('MT798X', 'MT7986'), true);
  assert.equal(isVariant('MAX5970', 'MAX597X'), true);
  assert.equal(isVariant('LOONGSON1', 'LOONGSON'), true);
  assert.equal(isVariant('CYTTSP4', 'CYTTSP5'), false);
  assert.equal(isVariant('LOONGSON1', 'LOONGSON3'), false);
  assert.equal(isVariant('XXXX', 'ABCD'), false);
  assert.deepEqual(nameOverlap('MT7986_WMAC', 'MT798X_WMAC', () => 1).variants, ['MT7986 ~ MT798X']);
});
