// Shared flag handling for commands that read .config files and an optional kernel tree (diff, nix, edit, subtract).
import { release } from 'node:os';
import { existsSync } from 'node:fs';
import { formatDiagnostic, hasErrors, InputError } from '../../core/diag/index.ts';
import { buildMenuOutline, parseConfigValues, srcarchOf, type ConfigValues, type MenuOutline } from '../../core/config-diff/index.ts';
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
