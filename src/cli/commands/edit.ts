// `kfit edit`: the tree's own menuconfig on a scratch copy of a config; on save, the semantic diff grouped by menu
// and the Nix file that makes the change on NixOS.
import { release } from 'node:os';
import type { Command } from 'commander';
import { diffConfigs, formatChangeGroups, formatConfigValues, outcomeOf, groupChanges, parseConfigValues, planNixChanges, summarizeChanges } from '../../core/config-diff/index.ts';
import { InputError } from '../../core/diag/index.ts';
import { emitKernelPatch } from '../../core/nix/index.ts';
import { readConfigText, runningConfigPath } from '../../host/config-file.ts';
import { prepareScratch, removeScratch, runConfigurator } from '../../host/menuconfig.ts';
import { loadKconfigModel, loadOutline, nixosEvaluator, treeDefconfig } from './config-input.ts';
import { explainPlan, loadNixosStructured, planEvaluator, writeNixFile } from './nix-from-config.ts';

interface EditFlags {
  from: string;
  src?: string;
  arch: string;
  nixos?: string;
  out: string;
  name: string;
  ui: string;
  explain?: boolean;
}

/** Registers `kfit edit`. */
export function registerEdit(program: Command): void {
  program
    .command('edit')
    .description('edit a config with the kernel tree\'s own menuconfig (scratch copy); on save print the semantic diff and write the Nix file')
    .option('--from <config>', '`running` (/proc/config.gz, else /boot/config-$(uname -r)), `nixos` (what NixOS\' pipeline makes of defconfig; needs --nixos), or a config file', 'running')
    .option('--src <dir>', 'kernel tree whose menuconfig to run (required)')
    .option('--arch <arch>', 'architecture (make ARCH)', 'x86_64')
    .option('--nixos <structured.json>', 'NixOS\' own definitions, for lib.mkForce and what NixOS already sets')
    .option('--out <file>', 'where to write the Nix file', 'kfit-edit.nix')
    .option('--name <name>', 'the kernel patch\'s name', 'kfit-edit')
    .option('--ui <ui>', 'menuconfig or nconfig', 'menuconfig')
    .option('--explain', 'say what was left out of the Nix file and why')
    .action((flags: EditFlags) => {
      if (flags.src === undefined) throw new InputError('cli/flag', 'kfit: edit needs --src DIR (the kernel tree whose menuconfig to run)');
      if (flags.ui !== 'menuconfig' && flags.ui !== 'nconfig') throw new InputError('cli/flag', `kfit: --ui must be menuconfig or nconfig, not ${flags.ui}`);
      const nixos = flags.nixos === undefined ? undefined : loadNixosStructured(flags.nixos);
      let fromPath: string | null;
      let startText: string;
      if (flags.from === 'nixos') {
        // What NixOS' pipeline makes of the tree's defconfig with common-config (simulated).
        if (nixos === undefined) throw new InputError('cli/flag', 'kfit: --from nixos needs --nixos FILE (common-config\'s definitions)');
        fromPath = 'the NixOS pipeline (simulated)';
        const stock = nixosEvaluator(loadKconfigModel(flags.src, flags.arch), nixos.common, formatConfigValues(treeDefconfig(flags.src, flags.arch)))(new Map());
        startText = formatConfigValues(outcomeOf(stock).values);
      } else {
        fromPath = flags.from === 'running' ? runningConfigPath(release()) : flags.from;
        if (fromPath === null) throw new InputError('config/no-running', `kfit: no config for the running kernel (no /proc/config.gz, no /boot/config-${release()}); use --from FILE`);
        startText = readConfigText(fromPath);
      }
      const start = parseConfigValues(startText, fromPath);
      if (start.diagnostics.some((d) => d.severity === 'error')) throw InputError.fromDiagnostics('config/invalid', start.diagnostics);
      const { tree, normalised } = prepareScratch(flags.src, flags.arch, startText);
      process.stderr.write(`kfit: editing a scratch copy of ${fromPath} in ${tree.dir}\n`);
      const saved = runConfigurator(tree, flags.ui);
      const oldValues = parseConfigValues(normalised, `${tree.dir}/kfit-old.config`).value;
      const newValues = parseConfigValues(saved, tree.config).value;
      const changes = diffConfigs(oldValues, newValues);
      if (changes.length === 0) {
        removeScratch(tree);
        process.stderr.write('kfit: no changes; nothing written\n');
        return;
      }
      const outline = loadOutline(flags.src, flags.arch, true);
      process.stdout.write(formatChangeGroups(groupChanges(changes, outline)));
      const s = summarizeChanges(changes);
      process.stdout.write(`kfit: ${s.added} added, ${s.removed} removed, ${s.changed} changed\n`);
      const plan = planNixChanges(oldValues, newValues, { outline, nixos: nixos?.answers, evaluate: planEvaluator('auto', flags.src, flags.arch, oldValues, nixos) });
      const header = [`Written by kfit edit from ${fromPath}: ${plan.changes.length} changed symbols, ${plan.entries.length} lines.`];
      writeNixFile(flags.out, emitKernelPatch({ name: flags.name, entries: plan.entries, header }));
      if (flags.explain) process.stderr.write(explainPlan(plan));
      process.stdout.write(`kfit: wrote ${flags.out} (${plan.entries.length} options)\n`);
      removeScratch(tree);
    });
}
