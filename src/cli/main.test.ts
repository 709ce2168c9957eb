import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildProgram } from './main.ts';

test('--no-model-cache, before or after the command, turns the model cache off for the command', async () => {
  for (const argv of [['--no-model-cache', 'probe'], ['probe', '--no-model-cache'], ['probe']]) {
    const saved = process.env.KFIT_MODEL_CACHE;
    delete process.env.KFIT_MODEL_CACHE;
    try {
      const program = buildProgram();
      let seen: string | undefined = 'not run';
      program.command('probe').action(() => {
        seen = process.env.KFIT_MODEL_CACHE;
      });
      await program.parseAsync(argv, { from: 'user' });
      assert.equal(seen, argv.includes('--no-model-cache') ? 'off' : undefined, argv.join(' '));
    } finally {
      if (saved === undefined) delete process.env.KFIT_MODEL_CACHE;
      else process.env.KFIT_MODEL_CACHE = saved;
    }
  }
});
