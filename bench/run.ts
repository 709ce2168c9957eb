// `npm run bench [-- NAME…]`: runs the benchmarks bench/<NAME>.ts (all of them when no name is given).
// A benchmark module exports `run(args: string[]): Promise<void>` and prints its own table.
import { readdirSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';

/** The shape every bench/<name>.ts exports. */
export interface BenchModule {
  /** One line saying what the benchmark measures (printed before it runs). */
  description: string;
  run(args: string[]): Promise<void>;
}

const dir = new URL('.', import.meta.url).pathname;
const available = readdirSync(dir)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.endsWith('.test.ts'))
  .map((f) => f.slice(0, -3))
  .sort();

const args = process.argv.slice(2);
const names = args.filter((a) => !a.startsWith('-'));
const flags = args.filter((a) => a.startsWith('-'));
const unknown = names.filter((n) => !available.includes(n));
if (unknown.length > 0) {
  process.stderr.write(`bench: no benchmark named ${unknown.join(', ')} (have: ${available.join(', ')})\n`);
  process.exit(1);
}
for (const name of names.length > 0 ? names : available) {
  const mod = (await import(pathToFileURL(join(dir, `${name}.ts`)).href)) as BenchModule;
  process.stdout.write(`\n== bench ${name}: ${mod.description}\n`);
  await mod.run(flags);
}
