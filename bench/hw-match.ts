// Hardware benchmarks: (1) matching a whole machine against Debian 6.12's ~27,500 alias patterns with the
// prefix index (target ≤ 50 ms), against a linear scan; (2) extracting the device tables of the whole 6.12
// tree (target ≤ 20 s on 2 cores) and the coverage of Debian's modules.alias per bus; (3) the Kbuild walk.
//   npm run bench -- hw-match [--no-scan]
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { lookupAlias, readAliasDb } from '../src/core/hardware/alias-db.ts';
import { compileFnmatch, normalizeAlias } from '../src/core/hardware/fnmatch.ts';
import { snapshotModaliases } from '../src/core/hardware/snapshot.ts';
import { readConfigValues, walkKbuild } from '../src/core/kbuild/index.ts';
import { cacheDir, ensureDebianModuleTree, readModuleTree } from '../src/host/module-tree.ts';
import { collectSysfs } from '../src/host/sysfs.ts';
import { scanTreeTables, SourceTree, TableSource } from '../src/host/kernel-source-scan.ts';

export const description = 'modalias matching (prefix index vs linear), device-table extraction over 6.12, Kbuild walk';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

export async function run(args: string[]): Promise<void> {
  const tree = ensureDebianModuleTree();
  const files = readModuleTree(tree.dir);
  let t0 = performance.now();
  const db = readAliasDb(files).value;
  const loadMs = performance.now() - t0;
  const fixtures = new URL('../test/fixtures/hardware/', import.meta.url).pathname;
  const machines = readdirSync(fixtures, { withFileTypes: true }).filter((e) => e.isDirectory());
  for (const m of machines) {
    const strings = snapshotModaliases(collectSysfs({ sysfs: join(fixtures, m.name, 'sys') }));
    // A cold run (regexes compiled on first use) and warm runs.
    t0 = performance.now();
    for (const s of strings) lookupAlias(db, s);
    const cold = performance.now() - t0;
    const warm: number[] = [];
    for (let k = 0; k < 20; k++) {
      t0 = performance.now();
      for (const s of strings) lookupAlias(db, s);
      warm.push(performance.now() - t0);
    }
    // Linear scan for comparison: every pattern compiled and tried against every string.
    const all = [...db.modules.entries()];
    t0 = performance.now();
    const compiled = all.map((e) => compileFnmatch(e.normalized));
    for (const s of strings) {
      const n = normalizeAlias(s) ?? s;
      for (const re of compiled) re.test(n);
    }
    const linear = performance.now() - t0;
    process.stdout.write(`${m.name}: ${strings.length} modaliases vs ${db.modules.size} patterns: index cold ${cold.toFixed(1)} ms, warm median ${median(warm).toFixed(2)} ms; linear scan ${linear.toFixed(0)} ms (load ${loadMs.toFixed(0)} ms)\n`);
  }
  if (args.includes('--no-scan')) return;
  const src = join(cacheDir(), 'linux-6.12');
  const config = readConfigValues(execFileSync('xz', ['-dc', '/usr/src/linux-config-6.12/config.amd64_none_amd64.xz'], { encoding: 'utf8' }));
  const st = new SourceTree(src);
  t0 = performance.now();
  const walk = walkKbuild(st, config);
  process.stdout.write(`Kbuild walk (Debian config): ${walk.dirs.length} dirs, ${walk.objects.length} objects, ${walk.modules.filter((x) => x.kind === 'module').length} modules in ${(performance.now() - t0).toFixed(0)} ms\n`);
  t0 = performance.now();
  const opt = walkKbuild(st, new Map(), { optimistic: true });
  process.stdout.write(`Kbuild walk (optimistic, every object): ${opt.dirs.length} dirs, ${opt.objects.length} objects in ${(performance.now() - t0).toFixed(0)} ms\n`);
  t0 = performance.now();
  const source = new TableSource(st);
  const indexMs = performance.now() - t0;
  const fileToModule = new Map<string, string>();
  for (const m of walk.modules) if (m.kind === 'module') for (const p of m.parts) fileToModule.set(p.replace(/\.o$/, '.c'), m.name);
  t0 = performance.now();
  const scanned = scanTreeTables(source, [...fileToModule.keys()], config);
  const scanMs = performance.now() - t0;
  const allFiles = [...new Set(opt.objects.map((o) => o.path.replace(/\.o$/, '.c')))].filter((f) => st.readFile(f) !== undefined);
  t0 = performance.now();
  const whole = scanTreeTables(source, allFiles, undefined);
  const wholeMs = performance.now() - t0;
  process.stdout.write(`header macro index: ${source.macros.size} names in ${indexMs.toFixed(0)} ms; Debian's module sources: ${scanned.length} files with tables in ${(scanMs / 1000).toFixed(1)} s; whole x86 tree: ${allFiles.length} .c files, ${whole.length} with tables, ${whole.reduce((n, f) => n + f.tables.length, 0)} tables in ${(wholeMs / 1000).toFixed(1)} s\n`);
  const ours = new Map<string, Set<string>>();
  for (const r of scanned) {
    const mod = fileToModule.get(r.file)!;
    const set = ours.get(mod) ?? new Set<string>();
    for (const a of [...r.tables.flatMap((t) => t.aliases), ...r.explicit]) set.add(a);
    ours.set(mod, set);
  }
  const per = new Map<string, [number, number]>();
  for (const line of (files.alias ?? '').split('\n')) {
    if (!line.startsWith('alias ')) continue;
    const [, pat, mod] = line.split(' ');
    const bus = pat!.split(/[:*]/)[0]!;
    const e = per.get(bus) ?? [0, 0];
    e[1]++;
    if (ours.get(mod!)?.has(pat!)) e[0]++;
    per.set(bus, e);
  }
  let ok = 0;
  let total = 0;
  for (const [, [a, b]] of per) {
    ok += a;
    total += b;
  }
  process.stdout.write(`coverage of Debian 6.12 modules.alias: ${ok}/${total} (${((100 * ok) / total).toFixed(2)} %)\n`);
  for (const [bus, [a, b]] of [...per].sort((x, y) => y[1][1] - x[1][1]).slice(0, 25)) process.stdout.write(`  ${bus.padEnd(14)} ${String(a).padStart(5)}/${String(b).padEnd(5)} ${((100 * a) / b).toFixed(1)} %\n`);
}
