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
  if (src === undefined) return undefined;
  const abs = resolve(src);
  const m = /^linux-(.+)$/.exec(basename(abs));
  if (!m || !existsSync(join(abs, 'scripts', 'kconfig', 'conf.c'))) return undefined;
  const base = formatConfigValues(oldValues);
  return (answers) => {
    const out = runOracle({ version: m[1], arch, target: 'olddefconfig', input: base + formatConfigValues(answers) }, { cache: dirname(abs) });
    if (out.status !== 0 || out.config === undefined) throw new InputError('config/evaluate', `kfit: make olddefconfig failed in ${abs}:\n${out.stderr}`);
    return parseConfigValues(out.config, 'olddefconfig').value;
  };
}
