// Re-evaluation after toggling one symbol, in process, with the evaluator's incremental API
// (Evaluation.with(), which reuses every value the change cannot reach through the dependents index).
// Each toggle is timed as: with() + asking every symbol's value (a complete new configuration), and
// separately with writeDotConfig() on top. Also reports the phases of one full load and the process's peak RSS.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** What bench/kconfig.ts passes in. */
export interface ToggleOptions {
  version: string;
  arch: string;
  tree: string;
  /** The .config text to start from (Debian's config). */
  input: string;
  toggles: number;
}

/** The measured numbers, or why they could not be measured. */
export type ToggleResult =
  | { ok: true; medianMs: number; withWriteMs: number; rssMB: number; detail: string }
  | { ok: false; reason: string };

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Loads the tree with kfit's API, evaluates the input, then toggles `toggles` prompt-visible bool/tristate symbols. */
export async function measureToggles(o: ToggleOptions): Promise<ToggleResult> {
  const objtree = mkdtempSync(join(tmpdir(), 'kfit-bench-obj-'));
  try {
    // Imported here so that the conf-only part of the benchmark runs while the evaluator is still missing.
    const { kconfigEnvironment } = await import('../../src/host/kconfig-env.ts');
    const { NodeSourceHost } = await import('../../src/host/kconfig-source.ts');
    const { parseKconfig } = await import('../../src/core/kconfig/parse-kconfig.ts');
    const { buildModel } = await import('../../src/core/kconfig/model-build.ts');
    const { readDotConfig } = await import('../../src/core/dotconfig/read.ts');
    const { writeDotConfig } = await import('../../src/core/dotconfig/write.ts');
    const { Evaluation } = await import('../../src/core/kconfig/evaluation.ts');
    const { oracleEnvironment } = await import('../../src/host/kconfig-oracle.ts');

    const t0 = performance.now();
    const kenv = kconfigEnvironment({ srctree: o.tree, arch: o.arch, objtree, baseEnv: oracleEnvironment() });
    const host = new NodeSourceHost({ srctree: o.tree, env: kenv.env, cwd: objtree });
    const t1 = performance.now();
    const parsed = parseKconfig('Kconfig', host);
    const t2 = performance.now();
    const built = buildModel(parsed.value, { flavor: o.version === '6.1' ? 'v6.1' : 'v6.12' });
    const model = built.value;
    const t3 = performance.now();
    const read = readDotConfig(model, o.input, '.config');
    let ev = Evaluation.create(model, read.assignments);
    const text = writeDotConfig(ev);
    const t4 = performance.now();

    const candidates = model.symbols.filter(
      (s) => (s.type === 'bool' || s.type === 'tristate') && !s.isChoice && !s.isConst && s.prompts.length > 0 && ev.visibility(s) > 0,
    );
    if (candidates.length === 0) return { ok: false, reason: 'no visible bool/tristate symbol to toggle' };
    const step = Math.max(1, Math.floor(candidates.length / o.toggles));
    const sweep: number[] = [];
    const withWrite: number[] = [];
    let checksum = 0;
    for (let i = 0; i < o.toggles; i++) {
      const sym = candidates[(i * step) % candidates.length];
      const now = ev.tristate(sym);
      const next = now === 0 ? 2 : 0;
      const value = { tri: next as 0 | 2, str: next === 2 ? 'y' : 'n' };
      const a = performance.now();
      const ev2 = ev.with(sym, value);
      for (const s of model.symbols) checksum += ev2.value(s).length;
      const b = performance.now();
      const ev3 = ev.with(sym, value);
      checksum += writeDotConfig(ev3).length;
      const c = performance.now();
      sweep.push(b - a);
      withWrite.push(c - b);
      ev = ev2; // keep walking: each toggle starts from the previous configuration
    }
    const rssMB = process.resourceUsage().maxRSS / 1024;
    const detail = [
      `in-process load of ${o.version} ${o.arch} (shell cache as configured): environment ${(t1 - t0).toFixed(0)} ms, ` +
        `parse ${(t2 - t1).toFixed(0)} ms (${parsed.stats.shellCalls} $(shell) calls, ${host.stats.shellCacheHits} from cache), ` +
        `model ${(t3 - t2).toFixed(0)} ms, read + evaluate + write ${(t4 - t3).toFixed(0)} ms (${text.length} bytes)`,
      `toggles: ${o.toggles} of ${candidates.length} visible bool/tristate symbols; with() + every value: median ` +
        `${median(sweep).toFixed(3)} ms (min ${Math.min(...sweep).toFixed(3)}, max ${Math.max(...sweep).toFixed(3)}); ` +
        `with() + writeDotConfig: median ${median(withWrite).toFixed(3)} ms [checksum ${checksum % 997}]`,
    ].join('\n');
    return { ok: true, medianMs: median(sweep), withWriteMs: median(withWrite), rssMB, detail };
  } catch (error) {
    return { ok: false, reason: `kfit's API failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}` };
  } finally {
    rmSync(objtree, { recursive: true, force: true });
  }
}
