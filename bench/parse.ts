// The Kconfig front end alone: parse + macro expansion of a whole tree (Linux 6.12 and 6.1, x86_64).
//   warm:  NodeSourceHost with the $(shell) answer cache filled (what every run after the first costs)
//   memory: MemorySourceHost over the same file texts and answers (the lexer/parser/macro cost without I/O)
//   cold (--cold): no answer cache, probes one by one (as conf) vs prefetched in parallel
// Median and min over --runs=N (default 15), wall and CPU time of this process.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseKconfig } from '../src/core/kconfig/parse-kconfig.ts';
import { MemorySourceHost, type SourceHost } from '../src/core/kconfig/source-host.ts';
import { kconfigEnvironment } from '../src/host/kconfig-env.ts';
import { NodeSourceHost } from '../src/host/kconfig-source.ts';
import { kernelTree } from '../src/host/kconfig-oracle.ts';

/** What bench/run.ts prints before running this benchmark. */
export const description = 'Kconfig lexer + macros + parser on a whole tree: warm cache, in memory, cold (--cold)';

interface Sample {
  wall: number;
  cpu: number;
}

function measure(runs: number, parse: () => void): Sample[] {
  const out: Sample[] = [];
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    parse();
    const wall = performance.now() - t0;
    const c = process.cpuUsage(c0);
    out.push({ wall, cpu: (c.user + c.system) / 1000 });
  }
  return out;
}

function summary(samples: Sample[]): string {
  const wall = samples.map((s) => s.wall).sort((a, b) => a - b);
  const cpu = samples.map((s) => s.cpu).sort((a, b) => a - b);
  const mid = (xs: number[]): number => xs[Math.floor(xs.length / 2)];
  return `wall ${mid(wall).toFixed(0)} ms (min ${wall[0].toFixed(0)}), cpu ${mid(cpu).toFixed(0)} ms`;
}

/** Runs the benchmark. Flags: --runs=N, --cold. */
export async function run(args: string[]): Promise<void> {
  const runs = Number(args.find((a) => a.startsWith('--runs='))?.slice(7) ?? 15);
  const cold = args.includes('--cold');
  for (const version of ['6.12', '6.1']) {
    const srctree = kernelTree(version);
    const { env } = kconfigEnvironment({ srctree, arch: 'x86_64', objtree: join(tmpdir(), 'kfit-bench-obj') });
    // Fill the cache and record the inputs for the in-memory runs.
    const files = new Map<string, string>();
    const answers: Record<string, string> = {};
    const filler = new NodeSourceHost({ srctree, env });
    const recorder: SourceHost = {
      readFile: (p) => {
        const t = filler.readFile(p);
        if (t !== undefined) files.set(p, t);
        return t;
      },
      glob: (p) => filler.glob(p),
      getEnv: (n) => filler.getEnv(n),
      runShell: (c) => (answers[c] = filler.runShell(c)),
    };
    const first = parseKconfig('Kconfig', recorder);
    const bytes = [...files.values()].reduce((n, t) => n + t.length, 0);
    process.stdout.write(
      `${version} x86_64: ${first.value.files.length} files, ${(bytes / 1e6).toFixed(2)} MB, ` +
        `${first.stats.shellCalls} $(shell) calls, ${first.diagnostics.length} diagnostics\n`,
    );
    const warm = measure(runs, () => parseKconfig('Kconfig', new NodeSourceHost({ srctree, env })));
    process.stdout.write(`  warm (answer cache)   ${summary(warm)}\n`);
    const memory = new MemorySourceHost(files, { env, shell: answers });
    const mem = measure(runs, () => parseKconfig('Kconfig', memory));
    process.stdout.write(`  in memory             ${summary(mem)}\n`);
    if (cold) {
      const coldRuns = Math.max(1, Math.min(3, runs));
      const serial = measure(coldRuns, () => parseKconfig('Kconfig', new NodeSourceHost({ srctree, env, cache: false, prefetch: false })));
      process.stdout.write(`  cold, one by one      ${summary(serial)}\n`);
      const parallel = measure(coldRuns, () => parseKconfig('Kconfig', new NodeSourceHost({ srctree, env, cache: false })));
      process.stdout.write(`  cold, prefetched      ${summary(parallel)}\n`);
    }
  }
}
