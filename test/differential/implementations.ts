// The two implementations the differential suite compares, behind one interface (STYLE §25, hono's
// common.case.test.ts): A = the kernel's conf through make (the oracle), B = kfit through its CLI.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kernelTree, kfitCache, oracleEnvironment, runOracle, type OracleTarget } from '../../src/host/kconfig-oracle.ts';
import type { DifferentialCase } from './cases.ts';

/** What one implementation produced for a case: the bytes compared, and how it went. */
export interface CaseOutput {
  /** Exit status (0 = success). */
  status: number;
  /** The compared bytes: the .config, savedefconfig's defconfig, or listnewconfig's / helpnewconfig's stdout. */
  text: string;
  stderr: string;
  seconds: number;
  cached: boolean;
}

/** listnewconfig and helpnewconfig write no file: their stdout is what is compared. */
function listsOnStdout(c: DifferentialCase): boolean {
  return c.target === 'listnewconfig' || c.target === 'helpnewconfig';
}

/** One side of the comparison. */
export interface Implementation {
  name: string;
  /** Why it cannot run here, or undefined when it can. */
  unavailable(): string | undefined;
  run(c: DifferentialCase, input: string | undefined): CaseOutput;
}

/** A: the kernel's own conf, through `make O=… ARCH=… <target>` (cached; see src/host/kconfig-oracle.ts). */
export const oracle: Implementation = {
  name: 'conf',
  unavailable: () => undefined,
  run(c, input) {
    // runOracle() runs any conf target through make; helpnewconfig is just not in its ORACLE_TARGETS list.
    const out = runOracle({ version: c.version, arch: c.arch, target: c.target as OracleTarget, input, seed: c.seed });
    const text = c.target === 'savedefconfig' ? out.defconfig : listsOnStdout(c) ? out.stdout : out.config;
    if (text === undefined && out.status === 0) {
      return { status: 1, text: '', stderr: `make ${c.target} exited 0 but wrote no output file`, seconds: out.seconds, cached: out.cached };
    }
    return { status: out.status, text: text ?? '', stderr: out.stderr, seconds: out.seconds, cached: out.cached };
  },
};

const repo = new URL('../../', import.meta.url).pathname;
const cli = join(repo, 'bin', 'kfit.mjs');
let kfitUnavailable: string | undefined | null = null;

function newestSource(dir: string): number {
  let newest = 0;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const st = statSync(path);
    newest = Math.max(newest, st.isDirectory() ? newestSource(path) : name.endsWith('.ts') ? st.mtimeMs : 0);
  }
  return newest;
}

/** Whether dist/kfit.mjs is older than a source file (the CLI then runs stale code: `npm run build`). */
export function kfitBuildIsStale(): boolean {
  const bundle = join(repo, 'dist', 'kfit.mjs');
  return !existsSync(bundle) || statSync(bundle).mtimeMs < newestSource(join(repo, 'src'));
}

/**
 * B: kfit's CLI, `node bin/kfit.mjs config <target> --src TREE --arch ARCH [--in FILE] --out FILE [--seed N]`,
 * in the oracle's fixed environment. listnewconfig's and helpnewconfig's output is stdout; savedefconfig's --out is
 * the defconfig.
 */
export const kfit: Implementation = {
  name: 'kfit',
  unavailable() {
    if (kfitUnavailable !== null) return kfitUnavailable;
    const r = spawnSync(process.execPath, [cli, 'config', '--help'], { encoding: 'utf8', env: oracleEnvironment() });
    kfitUnavailable =
      r.status === 0 && /--src/.test(r.stdout)
        ? undefined
        : 'kfit has no `config` command yet (src/cli/commands/config.ts, then npm run build)';
    return kfitUnavailable;
  },
  run(c, input) {
    const dir = mkdtempSync(join(tmpdir(), 'kfit-diff-'));
    try {
      const args = [cli, 'config', c.target, '--src', kernelTree(c.version), '--arch', c.arch, '--out', join(dir, 'out')];
      if (input !== undefined) {
        writeFileSync(join(dir, 'in'), input);
        args.push('--in', join(dir, 'in'));
      }
      if (c.seed !== undefined) args.push('--seed', String(c.seed));
      const started = performance.now();
      const r = spawnSync(process.execPath, args, {
        cwd: dir, // kfit's O= directory: $(shell) probes run here, as conf's run in make's O=
        encoding: 'utf8',
        env: oracleEnvironment({ KFIT_CACHE: kfitCache() }),
        maxBuffer: 256 << 20,
      });
      const seconds = (performance.now() - started) / 1000;
      const out = join(dir, 'out');
      const text = listsOnStdout(c) ? r.stdout : existsSync(out) ? readFileSync(out, 'utf8') : '';
      return { status: r.status ?? 1, text, stderr: r.stderr ?? String(r.error), seconds, cached: false };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
