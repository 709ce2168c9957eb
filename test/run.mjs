#!/usr/bin/env node
// Runs every test file under src/ and test/ with node's test runner, in the fixed environment the
// fixtures were made in (no rustc/bindgen on PATH: Kconfig's toolchain probes would change .config).
//   node test/run.mjs                       unit tests + the CI slice of the differential suite
//   node test/run.mjs --differential-full   the whole differential matrix (KFIT_DIFFERENTIAL=full)
//   node test/run.mjs FILE…                 only these files
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';

const args = process.argv.slice(2);
const full = args.includes('--differential-full');
const explicit = args.filter((a) => !a.startsWith('--'));

function* testFiles(dir) {
  if (!existsSync(dir)) return;
  // Links are not followed: fixtures hold copied sysfs trees whose links point nowhere on this machine.
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.name === 'node_modules' || entry.name === 'fixtures' || entry.name.startsWith('.')) continue;
    if (entry.isDirectory()) yield* testFiles(path);
    else if (entry.isFile() && entry.name.endsWith('.test.ts')) yield path;
  }
}

const files = explicit.length > 0 ? explicit : [...testFiles('src'), ...testFiles('test'), ...testFiles('web')];
const withoutRust = (process.env.PATH ?? '')
  .split(delimiter)
  .filter((dir) => dir && !existsSync(join(dir, 'rustc')) && !existsSync(join(dir, 'bindgen')))
  .join(delimiter);
const env = {
  ...process.env,
  PATH: withoutRust,
  LC_ALL: 'C',
  KFIT_CACHE: process.env.KFIT_CACHE ?? join(homedir(), '.cache', 'kfit'),
  KFIT_DIFFERENTIAL: full ? 'full' : (process.env.KFIT_DIFFERENTIAL ?? 'slice'),
};
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=2', ...files],
  { stdio: 'inherit', env },
);
process.exit(result.status ?? 1);
