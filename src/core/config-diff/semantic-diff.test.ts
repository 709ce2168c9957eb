import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildMenuOutline, configStringContent, diffConfigs, formatChangeGroups, groupChanges, parseConfigValues } from './index.ts';

const tree: Record<string, string> = {
  Kconfig: 'mainmenu "Linux"\nsource "drivers/Kconfig"\nsource "arch/$(SRCARCH)/Kconfig"\n',
  'drivers/Kconfig': 'menu "Device Drivers"\nsource "sound/Kconfig"\nconfig NET\n\tbool "Networking"\n\thelp\n\t  config FAKE in help\n\nendmenu\n',
  'sound/Kconfig': 'menuconfig SOUND\n\ttristate "Sound card support"\nif SOUND\nconfig SND\n\ttristate "ALSA"\nendif\n',
  'arch/x86/Kconfig': 'choice\n\tprompt "Timer frequency"\nconfig HZ_100\n\tbool "100 HZ"\nconfig HZ_1000\n\tbool "1000 HZ"\nendchoice\nconfig HZ\n\tint\n',
};

test('parseConfigValues reads values, not-set lines, later lines win, and warns on junk', () => {
  const r = parseConfigValues('# comment\nCONFIG_A=y\n# CONFIG_B is not set\nCONFIG_S="a\\"b"\nCONFIG_A=m\njunk\n', 'x.config');
  assert.deepEqual([...r.value], [['B', 'n'], ['S', '"a\\"b"'], ['A', 'm']]);
  assert.equal(r.diagnostics.length, 1);
  assert.equal(r.diagnostics[0].span?.line, 6);
  assert.equal(configStringContent('"a\\"b\\\\"'), 'a"b\\');
});

test('parseConfigValues: a file without CONFIG_ lines is an error', () => {
  const r = parseConfigValues('\x1f\x8b garbage', 'y');
  assert.equal(r.diagnostics[0].severity, 'error');
});

test('the outline follows source, menu, menuconfig+if and choice', () => {
  const o = buildMenuOutline((p) => tree[p], 'x86');
  assert.deepEqual(o.get('SND')?.path, ['Device Drivers', 'Sound card support']);
  assert.equal(o.get('SND')?.prompt, 'ALSA');
  assert.deepEqual(o.get('NET')?.path, ['Device Drivers']);
  assert.deepEqual(o.get('HZ_1000')?.path, ['Timer frequency']);
  assert.deepEqual(o.get('HZ')?.path, []);
  assert.equal(o.get('HZ')?.type, 'int');
  assert.equal(o.has('FAKE'), false, 'help text is skipped');
});

test('diffConfigs + groupChanges: added, removed, changed, grouped in menu order', () => {
  const a = parseConfigValues('CONFIG_SOUND=y\nCONFIG_SND=m\nCONFIG_HZ_100=y\nCONFIG_GONE=y\n', 'a').value;
  const b = parseConfigValues('# CONFIG_SOUND is not set\nCONFIG_HZ_1000=y\nCONFIG_HZ_100=y\nCONFIG_NET=y\n', 'b').value;
  const changes = diffConfigs(a, b);
  assert.deepEqual(changes.map((c) => `${c.kind}:${c.symbol}`), ['removed:GONE', 'added:HZ_1000', 'added:NET', 'removed:SND', 'changed:SOUND']);
  const groups = groupChanges(changes, buildMenuOutline((p) => tree[p], 'x86'));
  assert.deepEqual(groups.map((g) => g.menu), ['Device Drivers', 'Device Drivers > Sound card support', 'Timer frequency', '(unknown to this tree)']);
  const text = formatChangeGroups(groups);
  assert.match(text, /^Device Drivers\n   SOUND y -> n  # Sound card support\n  \+NET y  # Networking\n/);
  assert.match(text, /Device Drivers > Sound card support\n  -SND m  # ALSA\n/);
  assert.equal(formatChangeGroups(groupChanges(changes)).split('\n')[0], '-GONE y');
});
