// Runs kfit commands for e2e tests with only the commands under test registered (so a half-finished command
// elsewhere in the shared tree cannot break these tests), with the CLI's own error handling.
//   node --import tsx test/e2e/command-runner.ts <module> <registerFunction> args…
import { Command, CommanderError } from 'commander';
import { InputError } from '../../src/core/diag/index.ts';

const [modulePath, registerName, ...args] = process.argv.slice(2);
const mod = (await import(modulePath)) as Record<string, (p: Command) => void>;
const program = new Command('kfit').exitOverride();
mod[registerName](program);
try {
  await program.parseAsync(args, { from: 'user' });
} catch (error) {
  if (error instanceof CommanderError) process.exitCode = error.exitCode === 0 ? 0 : 1;
  else if (error instanceof InputError) {
    process.stderr.write(`${error.message.startsWith('kfit:') || /^\S+:\d+:\d+: /.test(error.message) ? '' : 'kfit: '}${error.message}\n`);
    process.exitCode = 1;
  } else throw error;
}
