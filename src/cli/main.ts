// The kfit command line: one program, one file per command under commands/, one top-level catch.
import { Command, CommanderError } from 'commander';
import { InputError } from '../core/diag/errors.ts';
import { formatDiagnostic } from '../core/diag/diagnostic.ts';
import { VERSION } from './version.ts';
import { registerSubtract } from './commands/subtract.ts';
import { registerEdit } from './commands/edit.ts';
import { registerLab } from './commands/lab.ts';
import { registerBench } from './commands/bench.ts';
import { registerNix } from './commands/nix.ts';
import { registerDiff } from './commands/diff.ts';
import { registerHw } from './commands/hw.ts';
import { registerConfig } from './commands/config.ts';
import { registerNixos } from './commands/nixos.ts';
import { registerPreset } from './commands/preset.ts';
import { registerCost } from './commands/cost.ts';
import { registerWhy } from './commands/why.ts';
import { registerUi } from './commands/ui.ts';

/** Builds the kfit program with every command registered. */
export function buildProgram(): Command {
  const program = new Command('kfit')
    .description('Make Linux kernels smaller and faster on NixOS, with an exact model of Kconfig and of nixpkgs')
    .version(VERSION)
    .option('--no-model-cache', 'parse the kernel tree again instead of reading its model from the cache (same as KFIT_MODEL_CACHE=off)')
    .showHelpAfterError()
    .exitOverride();
  // host/model-cache.ts reads the switch from the environment, like every other cache knob
  program.hook('preAction', () => {
    if (program.opts().modelCache === false) process.env.KFIT_MODEL_CACHE = 'off';
  });
  // Commands register themselves here, one line each (see src/cli/commands/).
  registerLab(program);
  registerBench(program);
  registerNix(program);
  registerDiff(program);
  registerHw(program);
  registerConfig(program);
  registerNixos(program);
  registerPreset(program);
  registerEdit(program);
  registerSubtract(program);
  registerCost(program);
  registerWhy(program);
  registerUi(program);
  return program;
}

/** Runs kfit with `argv`; maps typed errors to exit codes, never a raw stack trace for the user's mistake. */
export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? 0 : 1;
    }
    if (error instanceof InputError) {
      const text = error.message || error.diagnostics.map(formatDiagnostic).join('\n');
      process.stderr.write(`${text.startsWith('kfit:') || /^\S+:\d+:\d+: /.test(text) ? '' : 'kfit: '}${text}\n`);
      return 1;
    }
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    process.stderr.write(
      `kfit: internal error (this is a bug in kfit ${VERSION}, node ${process.version}; please report it with the command you ran)\n${detail}\n`,
    );
    return 70;
  }
}
