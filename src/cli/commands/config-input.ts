// Shared flag handling for commands that read .config files and an optional kernel tree (diff, nix, edit, subtract).
import { release } from 'node:os';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { formatDiagnostic, hasErrors, InputError } from '../../core/diag/index.ts';
import { basename, dirname, join, resolve } from 'node:path';
import {
  buildMenuOutline,
  formatConfigValues,
  nixValueOf,
  outlineFromModel,
  parseConfigValues,
  srcarchOf,
  type ConfigEvaluator,
  type ConfigValues,
  type MenuOutline,
} from '../../core/config-diff/index.ts';
import { runOracle } from '../../host/kconfig-oracle.ts';
import { loadKconfigModel as loadTreeModel } from '../../host/kconfig-model.ts';
import type { KconfigModel } from '../../core/kconfig/model.ts';
import { engineLoader } from '../../core/nixos/engine-kconfig.ts';
import {
  COMMON_CONFIG_FILE,
  UNKNOWN_FILE,
  engineSession,
  mergeSettings,
  parseKernelConfig,
  renderKernelConfig,
  simulateGenerateConfig,
  type SettingsDefinition,
} from '../../core/nixos/index.ts';
import { readConfigText, runningConfigPath, treeFileReader } from '../../host/config-file.ts';

/** Resolves `running` to the running kernel's config file; other names are paths. */
export function configPath(name: string): string {
  if (name !== 'running') return name;
  const p = runningConfigPath(release());
  if (p === null) throw new InputError('config/no-running', `kfit: no config for the running kernel: neither /proc/config.gz nor /boot/config-${release()} exists`);
  return p;
}

/** Reads and parses a config (plain or compressed); prints warnings, throws on errors. */
export function loadConfig(name: string): ConfigValues {
  const path = configPath(name);
  const parsed = parseConfigValues(readConfigText(path), path);
  if (hasErrors(parsed.diagnostics)) throw InputError.fromDiagnostics('config/invalid', parsed.diagnostics);
  const warnings = parsed.diagnostics;
  for (const d of warnings.slice(0, 5)) process.stderr.write(`${formatDiagnostic(d)}\n`);
  if (warnings.length > 5) process.stderr.write(`kfit: ${path}: ${warnings.length - 5} more warnings\n`);
  return parsed.value;
}

/**
 * Builds the menu outline of `src` for `arch`, or undefined without `--src`. With `exact`, menu paths come from
 * kfit's Kconfig model (menuconfig's locations); when the model cannot be built, or without `exact`, from the
 * light scan of the Kconfig files.
 */
export function loadOutline(src: string | undefined, arch: string, exact = false): MenuOutline | undefined {
  if (src === undefined) return undefined;
  if (!existsSync(`${src}/Kconfig`)) throw new InputError('cli/src', `kfit: ${src}: not a kernel tree (no Kconfig at its top)`);
  const scanned = buildMenuOutline(treeFileReader(src), srcarchOf(arch));
  if (!exact) return scanned;
  try {
    return outlineFromModel(loadKconfigModel(src, arch), scanned);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    process.stderr.write(`kfit: warning: menus from a light scan of the Kconfig files (the Kconfig model failed: ${error.message.split('\n')[0]})\n`);
    return scanned;
  }
}

/**
 * An evaluator backed by the kernel's own conf (`make olddefconfig` on OLD + answers, through the Kconfig
 * oracle), for a tree named `linux-<version>` (as setup.sh unpacks them); undefined for other trees.
 */
export function confEvaluator(src: string | undefined, arch: string, oldValues: ConfigValues): ((answers: ConfigValues) => ConfigValues) | undefined {
  const tree = oracleTree(src);
  if (tree === undefined) return undefined;
  const abs = join(tree.cache, `linux-${tree.version}`);
  const base = formatConfigValues(oldValues);
  return (answers) => {
    const out = runOracle({ version: tree.version, arch, target: 'olddefconfig', input: base + formatConfigValues(answers) }, { cache: tree.cache });
    if (out.status !== 0 || out.config === undefined) throw new InputError('config/evaluate', `kfit: make olddefconfig failed in ${abs}:\n${out.stderr}`);
    return parseConfigValues(out.config, 'olddefconfig').value;
  };
}

/** The Kconfig oracle's view of a tree folder named `linux-<version>`: its version and the folder holding it. */
export function oracleTree(src: string | undefined): { version: string; cache: string } | undefined {
  if (src === undefined) return undefined;
  const abs = resolve(src);
  const m = /^linux-(.+)$/.exec(basename(abs));
  if (!m || !existsSync(join(abs, 'scripts', 'kconfig', 'conf.c'))) return undefined;
  return { version: m[1], cache: dirname(abs) };
}

/** `make defconfig` of a tree (through the Kconfig oracle, cached), as config values. */
export function treeDefconfig(src: string, arch: string): ConfigValues {
  const tree = oracleTree(src);
  if (tree === undefined) throw new InputError('cli/src', `kfit: ${src}: --base defconfig needs a tree folder named linux-<version> with scripts/kconfig (as setup.sh unpacks them)`);
  const out = runOracle({ version: tree.version, arch, target: 'defconfig' }, { cache: tree.cache });
  if (out.status !== 0 || out.config === undefined) throw new InputError('config/evaluate', `kfit: make defconfig failed in ${src}:\n${out.stderr}`);
  return parseConfigValues(out.config, 'defconfig').value;
}

/** Parses and builds the Kconfig model of a tree for `arch` with kfit's engine (throws InputError on bad Kconfig). */
export function loadKconfigModel(src: string, arch: string): KconfigModel {
  const key = `${resolve(src)}\0${arch}`;
  let model = models.get(key);
  if (!model) models.set(key, (model = buildKconfigModel(src, arch)));
  return model;
}

// One model per tree and arch for the life of the command (from-config needs it for menus and the check).
const models = new Map<string, KconfigModel>();

function buildKconfigModel(src: string, arch: string): KconfigModel {
  const srctree = resolve(src);
  const objtree = mkdtempSync(join(tmpdir(), 'kfit-model-'));
  try {
    return loadTreeModel({ srctree, arch, objtree }).model;
  } finally {
    rmSync(objtree, { recursive: true, force: true });
  }
}

/**
 * An evaluator that runs NixOS' pipeline (simulated: common-config merged with the answers, each forced, then
 * generate-config.pl's two `make config` passes over kfit's Kconfig engine, autoModules on) on `baseConfig`
 * (the tree's defconfig, NixOS' kernelBaseConfig). `common` is common-config's raw definitions.
 */
export function nixosEvaluator(model: KconfigModel, common: SettingsDefinition, baseConfig: string): ConfigEvaluator {
  const load = engineLoader(model);
  let stock: Set<string> | undefined;
  const run = (answers: ConfigValues) => {
    const patch: Record<string, unknown> = {};
    for (const [name, raw] of answers) {
      const v = nixValueOf(raw);
      const item = v.kind === 'freeform' ? { freeform: v.value } : { tristate: v.kind === 'yes' ? 'y' : v.kind === 'module' ? 'm' : v.kind === 'no' ? 'n' : null };
      patch[name] = { _type: 'override', priority: 50, content: item };
    }
    const settings = mergeSettings([{ file: COMMON_CONFIG_FILE, settings: common }, { file: UNKNOWN_FILE, settings: patch as SettingsDefinition }]);
    return simulateGenerateConfig(parseKernelConfig(renderKernelConfig(settings)), engineSession(load, baseConfig), { autoModules: true });
  };
  return (answers) => {
    stock ??= new Set(run(new Map()).messages.filter((m) => m.severity === 'error').map((m) => m.name));
    // generate-config.pl dies on an answer conf rejects (`repeated question`): drop that answer and retry.
    const usable = new Map(answers);
    const impossible: string[] = [];
    let result = run(usable);
    for (let i = 0; result.death && i < 50; i++) {
      const culprits = result.death.symbols.filter((s) => usable.has(s));
      if (culprits.length === 0) throw new InputError('nixos/died', `kfit: the NixOS pipeline simulation died: ${result.death.message}`);
      for (const s of culprits) {
        usable.delete(s);
        impossible.push(s);
      }
      result = run(usable);
    }
    if (result.death) throw new InputError('nixos/died', `kfit: the NixOS pipeline simulation died: ${result.death.message}`);
    const flagged = result.messages.filter((m) => m.severity === 'error' && !stock!.has(m.name) && !answers.has(m.name)).map((m) => m.name);
    return { values: parseConfigValues(result.dotConfig, 'nixos-simulation').value, flagged, impossible };
  };
}
