// Shared flag handling for commands that read .config files and an optional kernel tree (diff, nix, edit, subtract).
import { release } from 'node:os';
import { existsSync } from 'node:fs';
import { formatDiagnostic, hasErrors, InputError } from '../../core/diag/index.ts';
import { basename, dirname, join, resolve } from 'node:path';
import {
  buildMenuOutline,
  formatConfigValues,
  parseConfigValues,
  srcarchOf,
  type ConfigEvaluator,
  type ConfigValues,
  type MenuOutline,
} from '../../core/config-diff/index.ts';
import { runOracle } from '../../host/kconfig-oracle.ts';
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

/** Builds the menu outline of `src` for `arch`, or undefined without `--src`. */
export function loadOutline(src: string | undefined, arch: string): MenuOutline | undefined {
  if (src === undefined) return undefined;
  if (!existsSync(`${src}/Kconfig`)) throw new InputError('cli/src', `kfit: ${src}: not a kernel tree (no Kconfig at its top)`);
  return buildMenuOutline(treeFileReader(src), srcarchOf(arch));
}

/**
 * An evaluator backed by the kernel's own conf (`make olddefconfig` on OLD + answers, through the Kconfig
 * oracle), for a tree named `linux-<version>` (as setup.sh unpacks them); undefined for other trees.
 */
export function confEvaluator(src: string | undefined, arch: string, oldValues: ConfigValues): ConfigEvaluator | undefined {
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
