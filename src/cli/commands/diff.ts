// `kfit diff A B`: the semantic diff of two kernel configs, grouped by menu with --src.
import type { Command } from 'commander';
import { diffConfigs, formatChangeGroups, groupChanges, summarizeChanges } from '../../core/config-diff/index.ts';
import { loadConfig, loadOutline } from './config-input.ts';

interface DiffFlags {
  src?: string;
  arch: string;
  json?: boolean;
}

/** Registers `kfit diff`. */
export function registerDiff(program: Command): void {
  program
    .command('diff')
    .description('semantic diff of two kernel configs (plain, .gz, .xz, /proc/config.gz, or `running`): added, removed, changed, grouped by menu with --src')
    .argument('<a>', 'old config')
    .argument('<b>', 'new config')
    .option('--src <dir>', 'kernel tree, to group by menu and show prompts')
    .option('--arch <arch>', 'architecture of the tree (make ARCH)', 'x86_64')
    .option('--json', 'print the diff as JSON')
    .action((a: string, b: string, flags: DiffFlags) => {
      const changes = diffConfigs(loadConfig(a), loadConfig(b));
      const groups = groupChanges(changes, loadOutline(flags.src, flags.arch, true));
      const summary = summarizeChanges(changes);
      if (flags.json) {
        process.stdout.write(`${JSON.stringify({ a, b, summary, groups }, null, 2)}\n`);
        return;
      }
      process.stdout.write(formatChangeGroups(groups));
      process.stderr.write(`kfit: ${summary.added} added, ${summary.removed} removed, ${summary.changed} changed\n`);
    });
}
