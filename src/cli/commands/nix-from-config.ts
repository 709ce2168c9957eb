// `kfit nix from-config --old OLD --new NEW`: the minimal boot.kernelPatches entry that turns OLD into NEW.
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { InputError } from '../../core/diag/index.ts';
import {
  formatConfigValues,
  nixosAnswersFromStructured,
  planNixChanges,
  type ConfigEvaluator,
  type ConfigValues,
  type NixPlan,
  type NixosAnswers,
} from '../../core/config-diff/index.ts';
import type { SettingsDefinition } from '../../core/nixos/index.ts';
import { emitKernelPatch } from '../../core/nix/index.ts';
import { parseNixFile, parseNixText } from '../../host/nix-cli.ts';
import { confEvaluator, loadConfig, loadKconfigModel, loadOutline, nixosEvaluator, treeDefconfig } from './config-input.ts';

interface FromConfigFlags {
  old: string;
  new: string;
  src?: string;
  arch: string;
  nixos?: string;
  out?: string;
  name: string;
  explain?: boolean;
  check: string;
}

/** Loads NixOS' own answers from a structured JSON (`commonDefinitions`, the NixOS model's / fixtures' shape). */
export function loadNixosAnswers(file: string | undefined): NixosAnswers | undefined {
  return file === undefined ? undefined : loadNixosStructured(file).answers;
}

/** Reads a structured JSON: the raw common-config definitions and their merged answers. */
export function loadNixosStructured(file: string): { common: SettingsDefinition; answers: NixosAnswers } {
  if (!existsSync(file)) throw new InputError('nixos/missing', `kfit: ${file}: no such file`);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new InputError('nixos/json', `${file}:1:1: error: not JSON: ${(error as Error).message}`);
  }
  const common = ((json as { commonDefinitions?: unknown }).commonDefinitions ?? {}) as SettingsDefinition;
  return { common, answers: nixosAnswersFromStructured(json, file) };
}

/**
 * The evaluator that checks minimality: NixOS' pipeline simulation when `--nixos` is given (and `check` is
 * not `kconfig`), else the kernel's conf on OLD; undefined for `--check none` or without a usable tree.
 */
export function planEvaluator(check: string, src: string | undefined, arch: string, oldValues: ConfigValues, nixos: { common: SettingsDefinition } | undefined): ConfigEvaluator | undefined {
  if (check !== 'auto' && check !== 'nixos' && check !== 'kconfig' && check !== 'none') throw new InputError('cli/flag', `kfit: --check must be auto, nixos, kconfig or none, not ${check}`);
  if (check === 'none' || src === undefined) return undefined;
  if (check === 'nixos' && nixos === undefined) throw new InputError('cli/flag', 'kfit: --check nixos needs --nixos FILE (common-config\'s definitions)');
  if (nixos !== undefined && check !== 'kconfig') {
    return nixosEvaluator(loadKconfigModel(src, arch), nixos.common, formatConfigValues(treeDefconfig(src, arch)));
  }
  return confEvaluator(src, arch, oldValues);
}

/** Text for `--explain`: what was left out, grouped by reason, and what was not reproduced. */
export function explainPlan(plan: NixPlan): string {
  const byReason = new Map<string, string[]>();
  for (const o of plan.omitted) {
    let list = byReason.get(o.reason);
    if (!list) byReason.set(o.reason, (list = []));
    list.push(`  ${o.symbol}: ${o.detail}`);
  }
  let out = `kfit: ${plan.changes.length} changed symbols, ${plan.entries.length} written, ${plan.omitted.length} left out` +
    (plan.rounds > 0 ? `, checked with ${plan.rounds} evaluation${plan.rounds === 1 ? '' : 's'}` : ', not checked (no evaluator: pass --src with a linux-<version> tree)') + '\n';
  for (const [reason, lines] of byReason) out += `left out (${reason}, ${lines.length}):\n${lines.join('\n')}\n`;
  if (plan.added.length > 0) out += `added by the check (${plan.added.length}):\n${plan.added.map((a) => `  ${a.symbol}: ${a.detail}`).join('\n')}\n`;
  if (plan.unreproduced.length > 0) {
    out += `not reproduced (${plan.unreproduced.length}):\n${plan.unreproduced.map((u) => `  ${u.symbol}: want ${u.want ?? '(absent)'}, got ${u.got ?? '(absent)'}`).join('\n')}\n`;
  }
  return out;
}

/** Writes `text` to `path` only after `nix-instantiate --parse` accepts it (never a half-written file). */
export function writeNixFile(path: string, text: string): void {
  const tmp = `${path}.kfit-tmp-${process.pid}`;
  writeFileSync(tmp, text);
  try {
    parseNixFile(tmp);
    renameSync(tmp, path);
  } catch (error) {
    rmSync(tmp, { force: true });
    throw error;
  }
}

/** Registers `kfit nix from-config` under `kfit nix`. */
export function registerFromConfig(nix: Command): void {
  nix
    .command('from-config')
    .description('write the minimal boot.kernelPatches entry (structuredExtraConfig) that turns OLD into NEW')
    .requiredOption('--old <config>', 'the config you started from (file, .gz/.xz, or `running`)')
    .requiredOption('--new <config>', 'the config you want')
    .option('--src <dir>', 'kernel tree: menu comments, unknown symbols, and minimality checked with its conf')
    .option('--arch <arch>', 'architecture (make ARCH)', 'x86_64')
    .option('--nixos <structured.json>', 'NixOS\' own definitions (commonDefinitions JSON): decides lib.mkForce and what NixOS already sets')
    .option('--out <file>', 'write the Nix file here instead of stdout')
    .option('--name <name>', 'the kernel patch\'s name', 'kfit')
    .option('--explain', 'say what was left out and why (stderr)')
    .option('--check <how>', 'how minimality is checked: auto (nixos with --nixos, else kconfig), nixos (the pipeline simulation on the tree\'s defconfig), kconfig (conf on OLD), none', 'auto')
    .action((flags: FromConfigFlags) => {
      const oldValues = loadConfig(flags.old);
      const newValues = loadConfig(flags.new);
      const outline = loadOutline(flags.src, flags.arch, true);
      const nixos = flags.nixos === undefined ? undefined : loadNixosStructured(flags.nixos);
      const evaluate = planEvaluator(flags.check, flags.src, flags.arch, oldValues, nixos);
      const plan = planNixChanges(oldValues, newValues, { outline, nixos: nixos?.answers, evaluate });
      const header = [`Written by kfit nix from-config: ${plan.changes.length} changed symbols, ${plan.entries.length} lines.`, `old: ${flags.old}`, `new: ${flags.new}`];
      const text = emitKernelPatch({ name: flags.name, entries: plan.entries, header });
      const unknown = plan.omitted.filter((o) => o.reason === 'unknown');
      if (unknown.length > 0) process.stderr.write(`kfit: warning: ${unknown.length} symbols unknown to this kernel, left out: ${unknown.map((o) => o.symbol).join(' ')}\n`);
      if (flags.explain) process.stderr.write(explainPlan(plan));
      else if (plan.unreproduced.length > 0) process.stderr.write(`kfit: warning: ${plan.unreproduced.length} changed symbols are not reproduced (see --explain)\n`);
      if (flags.out) writeNixFile(flags.out, text);
      else {
        parseNixText(text, '<stdout>');
        process.stdout.write(text);
      }
    });
}
