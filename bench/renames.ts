// `npm run bench -- renames`: the rename/move matcher on the real trees. For every symbol of 6.1 that 6.12
// does not define (x86_64 and arm64 models) and the reverse, how many get a successor, of which kind, and how
// long the matcher takes. `--sample=N --seed=S` prints N random verdicts to check by hand against the Kconfig
// files; `--list` prints every verdict.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { KconfigModel } from '../src/core/kconfig/model.ts';
import { seededRandom } from '../src/core/lab/statistics.ts';
import { RenameMatcher, type RenameResult } from '../src/core/nixos/renames.ts';
import { loadKernelTree } from '../src/host/nixos-system.ts';

/** What this benchmark measures. */
export const description = 'rename/move matcher: 6.1 <-> 6.12 absent symbols with a successor (x86_64, arm64), time per lookup';

function absent(from: KconfigModel, to: KconfigModel): string[] {
  return [...from.byName.values()].filter((s) => s.nodes.length > 0 && !(to.byName.get(s.name)?.nodes.length ?? 0)).map((s) => s.name);
}

function verdict(direction: string, arch: string, r: RenameResult): string {
  const cands = r.candidates.map((c) => `${c.name} [${c.relation}, ${c.score}${c.sameMeaning ? ', same meaning' : ''}] (${c.location}): ${c.evidence.join('; ')}`);
  return `${direction} ${arch} ${r.name} (${r.location}) -> ${cands.join(' || ')}`;
}

/** Runs the measurement and prints one line per arch and direction. */
export async function run(args: string[]): Promise<void> {
  const cache = process.env.KFIT_CACHE ?? join(homedir(), '.cache', 'kfit');
  const sample = Number(args.find((a) => a.startsWith('--sample='))?.slice(9) ?? 0);
  const seed = Number(args.find((a) => a.startsWith('--seed='))?.slice(7) ?? 1);
  const list = args.includes('--list');
  for (const v of ['6.1', '6.12']) {
    if (!existsSync(join(cache, `linux-${v}`, 'Kconfig'))) {
      process.stdout.write(`skipped: no ${join(cache, `linux-${v}`)} (run setup.sh)\n`);
      return;
    }
  }
  const verdicts = new Map<string, string>();
  for (const arch of ['x86_64', 'arm64']) {
    const old = loadKernelTree(join(cache, 'linux-6.1'), arch).model;
    const cur = loadKernelTree(join(cache, 'linux-6.12'), arch).model;
    for (const [from, to, direction] of [[old, cur, '6.1->6.12'], [cur, old, '6.12->6.1']] as const) {
      let t = performance.now();
      const m = RenameMatcher.build(from, to);
      const buildMs = performance.now() - t;
      const names = absent(from, to);
      t = performance.now();
      const results = names.map((n) => m.find(n)!);
      const findMs = (performance.now() - t) / Math.max(1, names.length);
      const found = results.filter((r) => r.candidates.length > 0);
      const prompted = names.filter((n) => from.byName.get(n)!.prompts.length > 0);
      const foundPrompted = found.filter((r) => from.byName.get(r.name)!.prompts.length > 0);
      const byRelation = new Map<string, number>();
      for (const r of found) byRelation.set(r.candidates[0].relation, (byRelation.get(r.candidates[0].relation) ?? 0) + 1);
      const single = found.filter((r) => r.candidates.length === 1).length;
      const same = found.filter((r) => r.candidates[0].sameMeaning).length;
      process.stdout.write(
        `${direction.padEnd(10)} ${arch.padEnd(7)} absent ${String(names.length).padStart(5)} (with a prompt ${prompted.length}), ` +
          `with a successor ${found.length} (${((100 * found.length) / Math.max(1, names.length)).toFixed(1)}%; with a prompt ${foundPrompted.length}), ` +
          `one candidate ${single}, same meaning ${same}; ${[...byRelation].map(([k, n]) => `${k} ${n}`).join(', ')}; ` +
          `build ${buildMs.toFixed(0)} ms, ${findMs.toFixed(1)} ms per lookup\n`,
      );
      for (const r of found) verdicts.set(`${direction} ${r.name}`, verdict(direction, arch, r));
    }
  }
  process.stdout.write(`distinct verdicts (direction + name, both arches): ${verdicts.size}\n`);
  const all = [...verdicts.values()].sort();
  if (list) for (const v of all) process.stdout.write(`${v}\n`);
  if (sample > 0) {
    const random = seededRandom(seed);
    const pool = [...all];
    process.stdout.write(`sample of ${sample} (seed ${seed}):\n`);
    for (let i = 0; i < sample && pool.length > 0; i++) {
      const [v] = pool.splice(Math.floor(random() * pool.length), 1);
      process.stdout.write(`${i + 1}. ${v}\n`);
    }
  }
}
