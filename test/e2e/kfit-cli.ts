// Runs the built kfit CLI (bin/kfit.mjs → dist/kfit.mjs, built by `npm test` before the tests) for e2e tests.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** The repository root. */
export const repo = new URL('../../', import.meta.url).pathname;

/** The kfit cache the tests share with setup.sh (`$KFIT_CACHE`, default `~/.cache/kfit`). */
export const cache = process.env.KFIT_CACHE || join(homedir(), '.cache', 'kfit');

/** What one CLI run printed. */
export interface CliRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `kfit ARGS…` and resolves when it exits (asynchronously, so parallel test files are not blocked). */
export function kfit(args: readonly string[]): Promise<CliRun> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [join(repo, 'bin', 'kfit.mjs'), ...args], { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (status) => done({ status, stdout, stderr }));
  });
}

/** Parses a run's stdout as JSON, with the run's output in the error when it is not. */
export function json<T>(run: CliRun): T {
  try {
    return JSON.parse(run.stdout) as T;
  } catch {
    throw new Error(`kfit printed no JSON (exit ${run.status}):\n${run.stdout}\n${run.stderr}`);
  }
}

/** Pids of live processes whose command line contains `needle` (to prove no QEMU was left behind). */
export function processesWith(needle: string): number[] {
  const out: number[] = [];
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(needle)) out.push(Number(pid));
    } catch {
      // gone
    }
  }
  return out;
}

/** The lab fragment kept in the repo and the 6.12 tree setup.sh unpacks. */
export const fragment = join(repo, 'test', 'fixtures', 'lab', 'minimal.fragment');
export const tree612 = join(cache, 'linux-6.12');

/** Builds (or reuses) the minimal lab kernel: tinyconfig + the repo fragment, from the 6.12 tree. */
export async function buildMinimalKernel(): Promise<{ bzImage: string; seconds: number; objects: number; reused: boolean }> {
  if (!existsSync(join(tree612, 'Makefile'))) throw new Error(`${tree612} is missing: run ./setup.sh first`);
  const run = await kfit(['lab', 'build', '--src', tree612, '--config', 'tinyconfig', '--fragment', fragment, '--json']);
  if (run.status !== 0) throw new Error(`kfit lab build failed (exit ${run.status}):\n${run.stderr}`);
  return json(run);
}
