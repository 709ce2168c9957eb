// Races kfit's Kbuild walk (the object list `kfit cost` prices) against GNU make evaluating the same
// directories (research hardware-cpu.md §4.1: one make per directory on a helper makefile), and checks that
// both list the same objects in every directory. Configs: x86_64 defconfig and Debian's amd64 config (6.12).
//   npm run bench -- kbuild-walk [--rounds=N]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { readConfigValues } from '../src/core/kbuild/index.ts';
import { treeCost } from '../src/host/build-cost.ts';
import { makeObjectLists } from '../src/host/kbuild-make-list.test-support.ts';

export const description = "kfit's Kbuild walk vs GNU make's evaluation of the same directories (time, and objects per directory equal)";

function make(src: string, out: string, args: string[]): void {
  const r = spawnSync('make', ['-s', '-C', src, `O=${out}`, 'ARCH=x86_64', ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`make ${args.join(' ')}: ${r.stderr}`);
}

/** `arch/x86/kvm/../../../virt/kvm/x.o` → `virt/kvm/x.o` (kfit's walk joins paths the same way). */
function normalize(path: string): string {
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '..') out.pop();
    else if (part !== '.') out.push(part);
  }
  return out.join('/');
}

/** GNU make's objects for each directory kfit visited (need-builtin as kfit found it). */
function makeWalk(src: string, out: string, dirs: readonly { path: string; needBuiltin: boolean }[]): Map<string, string[]> {
  const lists = new Map<string, string[]>();
  for (const d of dirs) {
    if (d.path === '.') continue;
    const l = makeObjectLists(src, out, d.path);
    const lib = d.path === 'lib' || d.path.startsWith('lib/') || d.path.endsWith('/lib') ? l.lib : [];
    const objs = [...(d.needBuiltin ? [...l.y, ...lib] : []), ...l.m];
    lists.set(d.path, [...new Set(objs)].sort());
  }
  return lists;
}

export async function run(args: string[]): Promise<void> {
  const rounds = Number(args.find((a) => a.startsWith('--rounds='))?.slice(9) ?? 3);
  const src = join(process.env.KFIT_CACHE ?? join(homedir(), '.cache', 'kfit'), 'linux-6.12');
  if (!existsSync(join(src, 'Kbuild'))) {
    process.stdout.write(`no tree at ${src} (setup.sh)\n`);
    return;
  }
  const debian = '/usr/src/linux-config-6.12/config.amd64_none_amd64.xz';
  const configs: { name: string; prepare: (out: string) => void }[] = [
    { name: 'x86_64 defconfig', prepare: (out) => make(src, out, ['defconfig']) },
  ];
  if (existsSync(debian)) {
    configs.push({
      name: 'Debian amd64',
      prepare: (out) => {
        writeFileSync(join(out, '.config'), spawnSync('xz', ['-dc', debian]).stdout);
        make(src, out, ['olddefconfig']);
      },
    });
  }
  process.stdout.write(`load average at start: ${loadavg().map((x) => x.toFixed(2)).join(' ')}\n`);
  process.stdout.write('config              dirs  objects  kfit walk (ms)  make walk (ms)  make/kfit  objects differing\n');
  for (const c of configs) {
    const out = mkdtempSync(join(tmpdir(), 'kfit-bench-walk-'));
    try {
      c.prepare(out);
      make(src, out, ['syncconfig']);
      const config = readConfigValues(readFileSync(join(out, '.config'), 'utf8'));
      const kfitMs: number[] = [];
      const makeMs: number[] = [];
      let differing = 0;
      let result = treeCost(src, config, 'x86_64');
      for (let i = 0; i < rounds; i++) {
        // interleaved: one kfit walk (cold SourceTree), then one make walk, each round
        let t = performance.now();
        result = treeCost(src, config, 'x86_64');
        kfitMs.push(performance.now() - t);
        t = performance.now();
        const lists = makeWalk(src, out, result.walk.dirs);
        makeMs.push(performance.now() - t);
        if (i === 0) {
          // compared over the whole tree: a composite's part may sit in a subdirectory (drm_kms_helper-y += bridge/panel.o)
          const mine = new Set(result.units.filter((u) => u.lang !== 'module-link').map((u) => u.path));
          const theirs = new Set([...lists.values()].flat().map(normalize));
          const onlyMine = [...mine].filter((p) => !theirs.has(p));
          const onlyTheirs = [...theirs].filter((p) => !mine.has(p));
          differing = onlyMine.length + onlyTheirs.length;
          if (differing > 0) process.stdout.write(`  only kfit: ${onlyMine.slice(0, 8).join(' ')}; only make: ${onlyTheirs.slice(0, 8).join(' ')}\n`);
        }
      }
      const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
      const objects = result.units.filter((u) => u.lang !== 'module-link').length;
      process.stdout.write(`${c.name.padEnd(18)} ${String(result.walk.dirs.length).padStart(5)} ${String(objects).padStart(8)} ${med(kfitMs).toFixed(0).padStart(15)} ${med(makeMs).toFixed(0).padStart(15)} ${(med(makeMs) / med(kfitMs)).toFixed(1).padStart(9)}x ${String(differing).padStart(15)}\n`);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }
  process.stdout.write(`load average at end: ${loadavg().map((x) => x.toFixed(2)).join(' ')}\n`);
}
