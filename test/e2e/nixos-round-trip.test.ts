// The NixOS proof of `kfit nix from-config`: edit the config NixOS builds (stock 6.12 on defconfig), convert the
// edit to a kernel patch with NixOS' own definitions known, then run NixOS' pipeline simulation (module merge of
// common-config + the patch, generate-config.pl's two `make config` passes over kfit's Kconfig engine) and check
// that it evaluates without conflicts, does not die, adds no error, and yields NEW for every changed symbol.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasErrors } from '../../src/core/diag/index.ts';
import { parseConfigValues, planNixChanges, nixosAnswersFromStructured, type ConfigValues } from '../../src/core/config-diff/index.ts';
import { buildModel } from '../../src/core/kconfig/model-build.ts';
import { flavorForVersion } from '../../src/core/kconfig/flavor.ts';
import { parseKconfig } from '../../src/core/kconfig/parse-kconfig.ts';
import type { KconfigModel } from '../../src/core/kconfig/model.ts';
import { emitKernelPatch } from '../../src/core/nix/index.ts';
import {
  COMMON_CONFIG_FILE,
  UNKNOWN_FILE,
  engineSession,
  mergeSettings,
  parseKernelConfig,
  renderKernelConfig,
  simulateGenerateConfig,
  type SettingsDefinition,
} from '../../src/core/nixos/index.ts';
import { engineLoader } from '../../src/core/nixos/engine-kconfig.ts';
import { kconfigEnvironment } from '../../src/host/kconfig-env.ts';
import { NodeSourceHost } from '../../src/host/kconfig-source.ts';
import { evaluateStructuredFiles } from '../../src/host/nix-cli.ts';
import { execFileSync } from 'node:child_process';
import { confEvaluator, loadOutline, nixosEvaluator } from '../../src/cli/commands/config-input.ts';
import { writeNixFile } from '../../src/cli/commands/nix-from-config.ts';

const root = new URL('../../', import.meta.url).pathname;
const src = join(process.env.KFIT_CACHE ?? '', 'linux-6.12');
const stock = join(root, 'test/fixtures/nixos/stock-6.12-defconfig');
const ready = existsSync(join(src, 'scripts/kconfig/conf.c'));
const dir = mkdtempSync(join(tmpdir(), 'kfit-nixos-rt-'));

function loadModel(): KconfigModel {
  const kenv = kconfigEnvironment({ srctree: src, arch: 'x86_64', objtree: dir });
  const host = new NodeSourceHost({ srctree: src, env: kenv.env, cwd: dir });
  const parsed = parseKconfig('Kconfig', host);
  assert.ok(!hasErrors(parsed.diagnostics));
  const built = buildModel(parsed.value, { flavor: flavorForVersion(kenv.kernelVersion) });
  assert.ok(!hasErrors(built.diagnostics));
  return built.value;
}

test('from-config on top of NixOS: SOUND off, USB_SERIAL off, NR_CPUS, a command line, a choice', { skip: !ready, timeout: 600_000 }, () => {
  const model = loadModel();
  const structured = JSON.parse(readFileSync(join(stock, 'structured.json'), 'utf8'));
  const common = structured.commonDefinitions as SettingsDefinition;
  const base = readFileSync(join(stock, 'base.config'), 'utf8');
  const simulate = (patch: SettingsDefinition | undefined) => {
    const settings = mergeSettings(patch ? [{ file: COMMON_CONFIG_FILE, settings: common }, { file: UNKNOWN_FILE, settings: patch }] : [{ file: COMMON_CONFIG_FILE, settings: common }]);
    const answers = parseKernelConfig(renderKernelConfig(settings));
    return simulateGenerateConfig(answers, engineSession(engineLoader(model), base), { autoModules: true });
  };
  const stockRun = simulate(undefined);
  assert.equal(stockRun.death, undefined);
  const oldValues: ConfigValues = parseConfigValues(stockRun.dotConfig, 'nixos-stock').value;
  const edits = [
    '# CONFIG_SOUND is not set',
    '# CONFIG_USB_SERIAL is not set',
    'CONFIG_NR_CPUS=16',
    'CONFIG_CMDLINE_BOOL=y',
    'CONFIG_CMDLINE="quiet \\"a b\\" ${c}"',
    '# CONFIG_HZ_1000 is not set',
    'CONFIG_HZ_250=y',
  ].join('\n');
  const evaluate = confEvaluator(src, 'x86_64', oldValues)!;
  const newValues = evaluate(parseConfigValues(`${edits}\n`, 'edits').value);
  const nixos = nixosAnswersFromStructured(structured, 'structured.json');
  const outline = loadOutline(src, 'x86_64');
  const plan = planNixChanges(oldValues, newValues, { outline, nixos, evaluate });
  const file = join(dir, 'edit.nix');
  const text = emitKernelPatch({ name: 'edit', entries: plan.entries });
  writeNixFile(file, text);
  // mkForce exactly where NixOS' own plain definition would conflict
  assert.match(text, /\n {4}USB_SERIAL = lib\.mkForce no;/);
  assert.match(text, /\n {4}SND_HDA_RECONFIG = lib\.mkForce unset;/, 'NixOS answers it; it vanishes with SOUND');
  assert.match(text, /\n {4}NR_CPUS = lib\.mkForce \(freeform "16"\);/, 'NixOS says 384');
  assert.match(text, /\n {4}SOUND = no;/, 'NixOS does not answer SOUND itself');
  assert.doesNotMatch(text, /\n {4}SND_HDA_INTEL = /, 'vanishes with SOUND and NixOS does not answer it');
  for (const e of plan.entries) {
    const n = nixos.get(e.symbol);
    if ((e.priority ?? 100) === 50) assert.ok(n && n.priority === 100, `${e.symbol} is forced only against a plain NixOS definition`);
  }
  const { patches } = evaluateStructuredFiles([file], { version: '6.12.117', lib: 'stand-in' });
  const run = simulate(patches[0].settings as SettingsDefinition);
  assert.equal(run.death, undefined, run.death?.message);
  const stockErrors = new Set(stockRun.messages.filter((m) => m.severity === 'error').map((m) => m.name));
  assert.deepEqual(run.messages.filter((m) => m.severity === 'error' && !stockErrors.has(m.name)).map((m) => m.text), []);
  const result = parseConfigValues(run.dotConfig, 'nixos-edited').value;
  const misses = plan.changes.filter((c) => result.get(c.symbol) !== c.new).map((c) => `${c.symbol}: want ${c.new}, got ${result.get(c.symbol)}`);
  assert.deepEqual(misses, []);
});

// Symbols made by the toolchain that built Debian's config (its gcc name, GCC plugins), not by any answer.
const environmental = new Set(['CC_VERSION_TEXT', 'BUILD_SALT', 'SYSTEM_TRUSTED_KEYS', 'GCC_PLUGINS', 'GCC_PLUGIN_LATENT_ENTROPY', 'GCC_PLUGIN_STACKLEAK', 'RANDSTRUCT_FULL', 'RANDSTRUCT_PERFORMANCE']);
const debian = '/usr/src/linux-config-6.12/config.amd64_none_amd64.xz';

test('Debian 6.12 config on top of NixOS, minimised with the pipeline simulation, round-trips', { skip: !ready || !existsSync(debian), timeout: 900_000 }, () => {
  const model = loadModel();
  const structured = JSON.parse(readFileSync(join(stock, 'structured.json'), 'utf8'));
  const common = structured.commonDefinitions as SettingsDefinition;
  const base = readFileSync(join(stock, 'base.config'), 'utf8');
  const oldValues = parseConfigValues(readFileSync(join(stock, 'expected.config'), 'utf8'), 'nixos-stock').value;
  const newValues = parseConfigValues(execFileSync('xz', ['-dc', debian], { encoding: 'utf8', maxBuffer: 64 << 20 }), debian).value;
  const plan = planNixChanges(oldValues, newValues, { outline: loadOutline(src, 'x86_64'), nixos: nixosAnswersFromStructured(structured, 's'), evaluate: nixosEvaluator(model, common, base) });
  const file = join(dir, 'debian.nix');
  writeNixFile(file, emitKernelPatch({ name: 'debian', entries: plan.entries }));
  const { patches } = evaluateStructuredFiles([file], { version: '6.12.117', lib: 'stand-in' });
  const settings = mergeSettings([{ file: COMMON_CONFIG_FILE, settings: common }, { file: UNKNOWN_FILE, settings: patches[0].settings as SettingsDefinition }]);
  const run = simulateGenerateConfig(parseKernelConfig(renderKernelConfig(settings)), engineSession(engineLoader(model), base), { autoModules: true });
  assert.equal(run.death, undefined);
  const result = parseConfigValues(run.dotConfig, 'result').value;
  const impossible = new Set(plan.omitted.filter((o) => o.reason === 'impossible').map((o) => o.symbol));
  const misses = plan.changes.filter((c) => result.get(c.symbol) !== c.new && !environmental.has(c.symbol) && !impossible.has(c.symbol));
  assert.deepEqual(misses.map((c) => `${c.symbol}: want ${c.new}, got ${result.get(c.symbol)}`), []);
  assert.ok(impossible.size <= 5, `few answers the pipeline cannot take: ${[...impossible].join(' ')}`);
  assert.ok(plan.entries.length < plan.changes.length * 0.7, `minimal: ${plan.entries.length} lines for ${plan.changes.length} changes`);
});
