// Where a cold load's time goes, in process: the environment, the probe scan (which starts the probes in the
// background), the parse (which waits for the answers it needs), the model build; then the same parse with the
// probes run one by one, as conf runs them. One run each: a picture, not a statistic (the CLI rows are those).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** What bench/kconfig.ts passes in. */
export interface ColdPhaseOptions {
  version: string;
  arch: string;
  tree: string;
}

/** One cold load, phase by phase, as printable lines (or why it could not run). */
export async function measureColdPhases(o: ColdPhaseOptions): Promise<string> {
  const objtree = mkdtempSync(join(tmpdir(), 'kfit-bench-obj-'));
  try {
    const { kconfigEnvironment } = await import('../../src/host/kconfig-env.ts');
    const { NodeSourceHost } = await import('../../src/host/kconfig-source.ts');
    const { parseKconfig } = await import('../../src/core/kconfig/parse-kconfig.ts');
    const { buildModel } = await import('../../src/core/kconfig/model-build.ts');
    const { flavorForVersion } = await import('../../src/core/kconfig/flavor.ts');
    const { oracleEnvironment } = await import('../../src/host/kconfig-oracle.ts');

    const t0 = performance.now();
    const kenv = kconfigEnvironment({ srctree: o.tree, arch: o.arch, objtree, baseEnv: oracleEnvironment() });
    const flavor = flavorForVersion(kenv.kernelVersion);
    const host = new NodeSourceHost({ srctree: o.tree, env: kenv.env, cwd: objtree, cache: false });
    const t1 = performance.now();
    const started = host.prefetch(kenv.rootFile);
    const t2 = performance.now();
    const parsed = parseKconfig(kenv.rootFile, host, { flavor });
    const t3 = performance.now();
    buildModel(parsed.value, { flavor });
    const t4 = performance.now();
    const serial = new NodeSourceHost({ srctree: o.tree, env: kenv.env, cwd: objtree, cache: false, prefetch: false });
    parseKconfig(kenv.rootFile, serial, { flavor });
    const t5 = performance.now();
    const ms = (a: number, b: number): string => `${(b - a).toFixed(0)} ms`;
    const h = host.stats;
    return [
      `cold in-process load of ${o.version} ${o.arch} (no caches; the first parse of this process pays the JIT warm-up):`,
      `  environment ${ms(t0, t1)}; probe scan ${ms(t1, t2)} (${started.commands} probes started during it; ` +
        `${started.dependent} commands are built from other probes' answers); parse ${ms(t2, t3)} (waits for the answers: ` +
        `${h.shellPrefetched} from the background runner, ${h.shellDirect} run there and then); model ${ms(t3, t4)}`,
      `  the same parse with the ${serial.stats.shellRuns} probes run one by one (as conf does): ${ms(t4, t5)}`,
    ].join('\n');
  } catch (error) {
    return `cold phases: n/a (${error instanceof Error ? error.message.split('\n')[0] : String(error)})`;
  } finally {
    rmSync(objtree, { recursive: true, force: true });
  }
}
