// conf's dialogue, the script and the fix loop on a tiny hand-made Kconfig world.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fakeWorld } from './fake-kconfig.test-support.ts';
import { engineSession } from './conf-dialogue.ts';
import { formatGenerateConfigOutput, simulateGenerateConfig } from './generate-config.ts';
import { parseKernelConfig } from './intermediate.ts';
import { fixToFixedPoint } from './fix-loop.ts';
import { emitFixModule } from './fix-nix.ts';
import { diagnose } from './diagnosis.ts';
import { COMMON_CONFIG_FILE, STRUCTURED_EXTRA_CONFIG_FILE, type SettingsModule } from './kernel-value.ts';

const world = fakeWorld(
  [
    { name: 'MODULES', type: 'bool', prompt: 'Enable loadable module support' },
    { name: 'SOUND', type: 'tristate', prompt: 'Sound card support', menuconfig: true },
    { name: 'SND_A', type: 'tristate', prompt: 'A sound driver', depends: ['SOUND'], parent: 'SOUND' },
    { name: 'ATA', type: 'tristate', prompt: 'Serial ATA', selects: ['SCSI'] },
    { name: 'SCSI', type: 'tristate', prompt: 'SCSI device support' },
    { name: 'KERNEL_GZIP', type: 'bool', prompt: 'Gzip', choice: 'comp' },
    { name: 'KERNEL_XZ', type: 'bool', prompt: 'XZ', choice: 'comp' },
    { name: 'NR', type: 'int', prompt: 'Number of things' },
  ],
  { comp: 'Kernel compression mode' },
);
const base = 'CONFIG_MODULES=y\nCONFIG_SOUND=y\n# CONFIG_SND_A is not set\n# CONFIG_ATA is not set\n# CONFIG_SCSI is not set\nCONFIG_KERNEL_GZIP=y\n# CONFIG_KERNEL_XZ is not set\nCONFIG_NR=4\n';

function run(text: string) {
  const answers = parseKernelConfig(text);
  const session = engineSession(world.load, base);
  const result = simulateGenerateConfig(answers, session);
  return { answers, result, facts: world.load(result.dotConfig) };
}

test('conf asks in menu order, the script answers explicitly, auto-modules the rest, picks the choice item', () => {
  const { result } = run('SND_A y\nKERNEL_XZ y\nNR 8\n');
  const q = result.dialogue.filter((d) => d.pass === 1).map((d) => (d.kind === 'question' ? `${d.question}|${d.name}|${d.alts}|${d.answer}` : `choice ${d.range} ${d.answer}`));
  assert.deepEqual(q, [
    'Enable loadable module support|MODULES|Y/n/?|',
    'Sound card support|SOUND|Y/n/m/?|m',
    '  A sound driver|SND_A|N/m/?|y',
  ].concat(q.slice(3)));
  assert.equal(result.death?.message, 'repeated question:   A sound driver');
});

test('a complete run writes the answers and reports nothing', () => {
  const { result } = run('SOUND y\nSND_A m\nKERNEL_XZ y\nNR 8\n');
  assert.equal(result.death, undefined);
  assert.deepEqual(result.messages, []);
  assert.equal(result.exitCode, 0);
  assert.match(result.dotConfig, /CONFIG_SND_A=m/);
  assert.match(result.dotConfig, /CONFIG_KERNEL_XZ=y/);
  assert.match(result.dotConfig, /CONFIG_NR=8/);
  assert.match(result.dotConfig, /CONFIG_ATA=m/); // auto-module
});

test('a refused answer is a repeated question; the diagnosis names the selector', () => {
  const { result, answers, facts } = run('SCSI n\n');
  assert.equal(result.death?.message, 'repeated question: SCSI device support');
  assert.equal(result.death?.alts, 'M/y/?');
  assert.deepEqual(formatGenerateConfigOutput(result), ['repeated question: SCSI device support at generate-config.pl line 94.']);
  const [d] = diagnose(facts, result, answers, () => undefined);
  assert.equal(d.kind, 'refused');
  assert.deepEqual(d.culprits, ['ATA']);
  assert.match(d.why, /allowed answers \[M\/y\/\?\]; it is selected by ATA \[=m\]/);
});

test('two y answers in one choice: conflicting answers!', () => {
  const { result } = run('KERNEL_GZIP y\nKERNEL_XZ y\n');
  assert.equal(result.death?.kind, 'conflicting-answers');
  assert.deepEqual(result.death?.symbols, ['KERNEL_GZIP', 'KERNEL_XZ']);
});

test('a hidden child is unused; an unknown symbol is unused; optional lines are warnings', () => {
  const { result, answers, facts } = run('SOUND n\nSND_A m\nNOT_THERE y\nALSO_NOT? y\n');
  assert.deepEqual(formatGenerateConfigOutput(result), ['warning: unused option: ALSO_NOT', 'error: unused option: NOT_THERE', 'error: unused option: SND_A']);
  const ds = diagnose(facts, result, answers, () => undefined);
  assert.equal(ds.find((d) => d.name === 'SND_A')?.kind, 'hidden');
  assert.match(ds.find((d) => d.name === 'SND_A')!.why, /depends on SOUND \[=n\]/);
  assert.equal(ds.find((d) => d.name === 'NOT_THERE')?.kind, 'absent');
});

function modules(user: SettingsModule['settings']): SettingsModule[] {
  return [
    { file: COMMON_CONFIG_FILE, settings: { SCSI: { tristate: 'n' }, KERNEL_GZIP: { tristate: 'y' }, NOT_THERE: { tristate: 'y' } } },
    { file: STRUCTURED_EXTRA_CONFIG_FILE, settings: user },
  ];
}

test('the fix loop closes deaths and errors and writes a Nix file that parses', () => {
  const fix = fixToFixedPoint(modules({ KERNEL_XZ: { tristate: 'y' }, SOUND: { tristate: 'n' }, SND_A: { tristate: 'm' } }), {}, (text, answers) => {
    const result = simulateGenerateConfig(answers, engineSession(world.load, base));
    return { result, facts: world.load(result.dotConfig) };
  });
  assert.equal(fix.accepted, true);
  const byName = Object.fromEntries(fix.edits.map((e) => [e.name, e.nix]));
  assert.equal(byName.KERNEL_GZIP, 'lib.mkForce unset');
  assert.equal(byName.ATA, 'lib.mkForce no');
  assert.equal(byName.NOT_THERE, 'lib.mkForce unset');
  assert.equal(byName.SND_A, 'lib.mkForce (option module)');
  assert.ok(fix.iterations.length >= 2);
  const nix = emitFixModule(fix);
  const parsed = spawnSync('nix-instantiate', ['--parse', '-E', nix], { encoding: 'utf8' });
  assert.equal(parsed.status, 0, parsed.stderr);
  assert.match(nix, /structuredExtraConfig = with lib\.kernel; \{/);
  // the Nix text means what the simulation applied: evaluate it with a stand-in lib.kernel
  const lib = `{ kernel = rec { yes = { tristate = "y"; optional = false; }; no = { tristate = "n"; optional = false; };
    module = { tristate = "m"; optional = false; }; unset = { tristate = null; optional = false; };
    freeform = s: { freeform = s; optional = false; }; option = x: x // { optional = true; }; };
    mkForce = c: { _type = "override"; priority = 50; content = c; }; mkOverride = p: c: { _type = "override"; priority = p; content = c; }; }`;
  const evaluated = spawnSync('nix-instantiate', ['--eval', '--strict', '--json', '-E', `((${nix.replace(/^#.*\n/gm, '')}) { lib = ${lib}; }).boot.kernelPatches`], { encoding: 'utf8' });
  assert.equal(evaluated.status, 0, evaluated.stderr);
  const [patch] = JSON.parse(evaluated.stdout);
  assert.deepEqual(patch.structuredExtraConfig, Object.fromEntries(fix.edits.map((e) => [e.name, e.definition])));
});

test('a symbol missing from this tree is named by its prompt in the other tree', () => {
  const older = fakeWorld([{ name: 'MEMORY_HOTPLUG_DEFAULT_ONLINE', type: 'bool', prompt: 'Online the newly added memory blocks by default' }]);
  const newer = fakeWorld([{ name: 'MHP_DEFAULT_ONLINE_TYPE_ONLINE', type: 'bool', prompt: 'Online the newly added memory blocks by default' }]);
  const answers = parseKernelConfig('MEMORY_HOTPLUG_DEFAULT_ONLINE y\n');
  const facts = newer.load('');
  const result = simulateGenerateConfig(answers, engineSession(newer.load, ''));
  const [d] = diagnose(facts, result, answers, () => 'set in common-config.nix', older.model);
  assert.equal(d.kind, 'absent');
  assert.equal(d.renamedTo, 'MHP_DEFAULT_ONLINE_TYPE_ONLINE');
  assert.match(d.why, /does not exist in this kernel tree \(set in common-config\.nix\); it exists in the other tree/);
});
