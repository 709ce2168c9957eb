// `kfit nix to-config FILE…` and `kfit nix from-config`: Nix structured kernel config ↔ `.config`.
import type { Command } from 'commander';
import { formatDiagnostic, hasErrors, InputError } from '../../core/diag/index.ts';
import { LIB_KERNEL_STANDIN, mergeStructuredPatches, renderConfigFragment, renderedAnswer, type FreeformType } from '../../core/nix/index.ts';
import { kernelTreeVersion } from '../../host/config-file.ts';
import { evaluateStructuredFiles } from '../../host/nix-cli.ts';
import { loadOutline } from './config-input.ts';
import { registerFromConfig } from './nix-from-config.ts';

interface ToConfigFlags {
  attr: string[];
  kernelVersion?: string;
  src?: string;
  arch: string;
  json?: boolean;
  lib: 'auto' | 'nixpkgs' | 'stand-in';
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** Registers `kfit nix` and its subcommands. */
export function registerNix(program: Command): void {
  const nix = program.command('nix').description('convert between Nix structured kernel config (boot.kernelPatches) and .config');
  nix
    .command('to-config')
    .description('evaluate Nix structured config (kfit\'s files, `with lib.kernel; { … }`, kernel patches, lists of them) and print the .config fragment')
    .argument('<files...>', 'Nix files')
    .option('-A, --attr <path>', 'pick this attribute of each file (repeatable), like nix-instantiate -A', collect, [])
    .option('--kernel-version <version>', 'kernel version for whenAtLeast/whenOlder/whenBetween and a `version` argument')
    .option('--src <dir>', 'kernel tree: gives the kernel version, the types of freeform values, and which symbols exist')
    .option('--arch <arch>', 'architecture of the tree (make ARCH)', 'x86_64')
    .option('--lib <which>', 'lib to evaluate with: auto (nixpkgs when <nixpkgs> resolves), nixpkgs, stand-in', 'auto')
    .option('--json', 'print every answer with its priority and sources as JSON')
    .action((files: string[], flags: ToConfigFlags) => {
      if (!['auto', 'nixpkgs', 'stand-in'].includes(flags.lib)) throw new InputError('cli/flag', `kfit: --lib must be auto, nixpkgs or stand-in, not ${flags.lib}`);
      const version = flags.kernelVersion ?? (flags.src ? kernelTreeVersion(flags.src) : null);
      if (flags.src && version === null) throw new InputError('cli/src', `kfit: ${flags.src}: not a kernel tree (no Makefile with VERSION/PATCHLEVEL)`);
      const { patches, lib } = evaluateStructuredFiles(files, { version, attrs: flags.attr, lib: flags.lib });
      const merged = mergeStructuredPatches(patches);
      const { diagnostics } = merged;
      if (hasErrors(diagnostics)) throw InputError.fromDiagnostics('nix/conflict', diagnostics);
      for (const d of diagnostics) process.stderr.write(`kfit: ${formatDiagnostic(d)}\n`);
      const outline = loadOutline(flags.src, flags.arch);
      const unknown = outline ? merged.answers.filter((a) => !outline.has(a.symbol)).map((a) => a.symbol) : [];
      if (unknown.length > 0) process.stderr.write(`kfit: warning: ${unknown.length} symbols unknown to the kernel in ${flags.src}, left out: ${unknown.join(' ')}\n`);
      const answers = merged.answers.filter((a) => !unknown.includes(a.symbol));
      const typeOf = (symbol: string): FreeformType | undefined => {
        const t = outline?.get(symbol)?.type;
        return t === 'string' || t === 'int' || t === 'hex' ? t : undefined;
      };
      if (flags.json) {
        const out = {
          lib,
          version,
          patches: patches.map((p) => ({ file: p.file, name: p.name })),
          answers: answers.map((a) => ({ ...a, item: undefined, ...a.item, answer: renderedAnswer(a.item) })),
        };
        process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
        return;
      }
      process.stdout.write(renderConfigFragment(answers, typeOf));
      const unset = answers.filter((a) => renderedAnswer(a.item) === null).map((a) => a.symbol);
      if (unset.length > 0) process.stderr.write(`kfit: left unanswered (unset): ${unset.join(' ')}\n`);
    });
  registerFromConfig(nix);
  nix
    .command('stand-in')
    .description('print kfit\'s stand-in for nixpkgs\' lib.kernel and the priority wrappers (a Nix function of { version })')
    .action(() => {
      process.stdout.write(LIB_KERNEL_STANDIN);
    });
}
