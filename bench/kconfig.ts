// The Kconfig benchmark: kfit against the kernel's own conf on the same tree (Linux 6.12, x86_64), in one run.
//   olddefconfig of Debian's amd64 config, and allnoconfig:
//     conf run directly (with the environment make gives it), conf through make, kfit cold (no $(shell)
//     answer cache and no model cache: every probe runs, the tree is parsed), kfit warm (the CLI's defaults:
//     both caches); A/B runs interleaved; median, min–max, paired ratio kfit/conf; load averages around each series.
//   re-evaluation after toggling one symbol (the evaluator's incremental API), median over ≥ 100 toggles;
//   kfit's peak RSS. Targets: kfit ≤ 1.0× conf wall time, re-evaluation ≤ 5 ms median, RSS ≤ 300 MB.
//   Last, one cold load in process phase by phase (kconfig/cold-phases.ts), with the probes one by one beside it.
// Flags: --runs=N (default 10 per series), --version=6.12, --toggles=N (default 200).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  buildDir,
  confArguments,
  confBinary,
  confEnvironment,
  debianConfigs,
  kernelTree,
  kfitCache,
  makeArguments,
  oracleEnvironment,
  readXz,
  runConfDirect,
  runOracle,
  withBuildDirLock,
} from '../src/host/kconfig-oracle.ts';
import { measureColdPhases } from './kconfig/cold-phases.ts';
import { measureToggles } from './kconfig/toggle-timing.ts';

/** What bench/run.ts prints before running this benchmark. */
export const description = 'kfit vs the kernel\'s conf: olddefconfig (Debian amd64) and allnoconfig, cold/warm, toggles, RSS';

interface Sample {
  wall: number;
  cpu: number;
  rssMB: number;
}

interface Runner {
  name: string;
  run(): Sample;
}

function option(args: string[], name: string, fallback: string): string {
  const hit = args.find((a) => a.startsWith(`--${name}=`));
  return hit ? hit.slice(name.length + 3) : fallback;
}

/** Runs a command under GNU time: wall, user+sys CPU and max RSS of the process tree's largest member. */
function timed(cmd: string, args: string[], cwd: string, env: Record<string, string>): Sample {
  const dir = mkdtempSync(join(tmpdir(), 'kfit-bench-'));
  try {
    const out = join(dir, 'time');
    const started = performance.now();
    const r = spawnSync('/usr/bin/time', ['-o', out, '-f', '%U %S %M', cmd, ...args], { cwd, env, encoding: 'utf8', maxBuffer: 256 << 20 });
    const wall = (performance.now() - started) / 1000;
    if (r.status !== 0) throw new Error(`bench: ${cmd} ${args.join(' ')} failed (${r.status}):\n${r.stderr}`);
    const [user, sys, rss] = readFileSync(out, 'utf8').trim().split('\n').pop()!.split(' ').map(Number);
    return { wall, cpu: user + sys, rssMB: rss / 1024 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function fmtLoad(l: number[]): string {
  return l.map((x) => x.toFixed(2)).join(' ');
}

function fmt(x: number, digits = 3): string {
  return x.toFixed(digits);
}

/** Interleaves the runners round by round (rotating who goes first), after one warm-up each. */
function series(runners: Runner[], runs: number): Map<string, Sample[]> {
  const out = new Map<string, Sample[]>(runners.map((r) => [r.name, []]));
  for (const r of runners) r.run(); // warm-up (page cache, conf built, shell cache filled for the warm runner)
  for (let i = 0; i < runs; i++) {
    for (let j = 0; j < runners.length; j++) {
      const r = runners[(i + j) % runners.length];
      out.get(r.name)!.push(r.run());
    }
    process.stderr.write(`\r  round ${i + 1}/${runs}`);
  }
  process.stderr.write('\n');
  return out;
}

function kfitUsable(version: string): string | undefined {
  const cli = new URL('../bin/kfit.mjs', import.meta.url).pathname;
  const r = spawnSync(process.execPath, [cli, 'config', '--help'], { encoding: 'utf8', env: oracleEnvironment() });
  void version;
  return r.status === 0 && /--src/.test(r.stdout) ? undefined : 'kfit has no `config` command yet';
}

/** Runs the benchmark and prints its tables. */
export async function run(args: string[]): Promise<void> {
  const version = option(args, 'version', '6.12');
  const runs = Number(option(args, 'runs', '10'));
  const toggles = Number(option(args, 'toggles', '200'));
  const arch = 'x86_64';
  const tree = kernelTree(version);
  const debian = debianConfigs(version).find((d) => d.flavour === 'amd64_none_amd64') ?? debianConfigs(version)[0];
  const input = readXz(debian.path);
  runOracle({ version, arch, target: 'allnoconfig' }); // builds conf
  const env = confEnvironment(version, arch);
  const dir = buildDir(version, arch);
  const conf = confBinary(version, arch);
  const cli = new URL('../bin/kfit.mjs', import.meta.url).pathname;
  const work = mkdtempSync(join(tmpdir(), 'kfit-bench-io-'));
  const why = kfitUsable(version);
  if (why) process.stdout.write(`kfit rows: n/a (${why})\n`);
  const rows: string[][] = [];
  const ratios: string[][] = [];
  let kfitPeakRss = 0;
  const loads: string[] = [];
  try {
    writeFileSync(join(work, 'debian.config'), input);
    for (const target of ['olddefconfig', 'allnoconfig'] as const) {
      const withInput = target === 'olddefconfig';
      const prepare = (): void => {
        rmSync(join(dir, '.config'), { force: true });
        if (withInput) writeFileSync(join(dir, '.config'), input);
      };
      // conf and make share the oracle's build folder: the series holds its lock (other oracle users wait).
      const runners: Runner[] = [
        { name: 'conf direct', run: () => (prepare(), timed(conf, confArguments(target), dir, env)) },
        {
          name: 'conf via make',
          run: () => (prepare(), timed('make', makeArguments({ version, arch, target }), dir, oracleEnvironment())),
        },
      ];
      if (!why) {
        const kfitArgs = [cli, 'config', target, '--src', tree, '--arch', arch, '--out', join(work, 'out')];
        if (withInput) kfitArgs.push('--in', join(work, 'debian.config'));
        const kenv = oracleEnvironment({ KFIT_CACHE: kfitCache() });
        runners.push(
          // cold: no answer cache survives between runs (nor a model cache, which would skip the parse)
          { name: 'kfit cold', run: () => timed(process.execPath, kfitArgs, work, { ...kenv, KFIT_SHELL_CACHE: 'off', KFIT_MODEL_CACHE: 'off' }) },
          { name: 'kfit warm', run: () => timed(process.execPath, kfitArgs, work, kenv) },
        );
      }
      process.stderr.write(`${version} ${arch} ${target}: ${runs} interleaved rounds of ${runners.map((r) => r.name).join(', ')}\n`);
      const loadBefore = loadavg();
      const got = withBuildDirLock(version, arch, () => series(runners, runs));
      loads.push(`${target}: load average ${fmtLoad(loadBefore)} before, ${fmtLoad(loadavg())} after (${availableParallelism()} CPUs)`);
      for (const [name, samples] of got) {
        const walls = samples.map((s) => s.wall);
        const rss = Math.max(...samples.map((s) => s.rssMB));
        if (name.startsWith('kfit')) kfitPeakRss = Math.max(kfitPeakRss, rss);
        rows.push([target, name, fmt(median(walls)), `${fmt(Math.min(...walls))}–${fmt(Math.max(...walls))}`, fmt(median(samples.map((s) => s.cpu))), fmt(rss, 0)]);
      }
      const base = got.get('conf direct')!;
      for (const [name, samples] of got) {
        if (name === 'conf direct') continue;
        const paired = samples.map((s, i) => s.wall / base[i].wall);
        const pairedCpu = samples.map((s, i) => s.cpu / base[i].cpu);
        ratios.push([
          target,
          `${name} / conf direct`,
          fmt(median(paired), 2),
          `${fmt(Math.min(...paired), 2)}–${fmt(Math.max(...paired), 2)}`,
          fmt(median(pairedCpu), 2),
        ]);
      }
    }
    // Sanity: the direct run and make agree (else the environment is wrong and the comparison is void).
    const direct = runConfDirect({ version, arch, args: confArguments('olddefconfig'), input });
    const viaMake = runOracle({ version, arch, target: 'olddefconfig', input });
    if (direct.config !== viaMake.config) process.stdout.write('WARNING: conf run directly differs from make olddefconfig\n');
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  printTable(['target', 'runner', 'wall s median', 'wall min–max', 'cpu s median', 'max RSS MB'], rows);
  process.stdout.write('\n');
  printTable(['target', 'paired ratio', 'wall median', 'wall min–max', 'cpu median'], ratios);
  process.stdout.write(`${loads.join('\n')}\n\n`);
  const toggle = await measureToggles({ version, arch, tree, input, toggles });
  const checks: string[][] = [];
  for (const target of ['olddefconfig', 'allnoconfig']) {
    for (const kind of ['cold', 'warm']) {
      const r = ratios.find((x) => x[0] === target && x[1].startsWith(`kfit ${kind}`));
      checks.push([`kfit ${kind} / conf wall (${target})`, '≤ 1.00', r ? r[2] : 'n/a', r ? (Number(r[2]) <= 1 ? 'met' : 'NOT met') : 'n/a']);
    }
  }
  if (toggle.ok) {
    checks.push(['re-evaluation after one toggle, median ms', '≤ 5', fmt(toggle.medianMs, 2), toggle.medianMs <= 5 ? 'met' : 'NOT met']);
    checks.push(['  … and writing the .config, median ms', '-', fmt(toggle.withWriteMs, 2), '']);
  } else {
    checks.push(['re-evaluation after one toggle', '≤ 5 ms', 'n/a', toggle.reason]);
  }
  checks.push(['kfit CLI peak RSS MB (max over its runs)', '≤ 300', kfitPeakRss ? fmt(kfitPeakRss, 0) : 'n/a', kfitPeakRss ? (kfitPeakRss <= 300 ? 'met' : 'NOT met') : 'n/a']);
  if (toggle.ok) checks.push([`in-process peak RSS MB (bench harness + model + ${toggles} toggles)`, '-', fmt(toggle.rssMB, 0), '']);
  printTable(['target', 'goal', 'measured', ''], checks);
  process.stdout.write('Wall times include waiting for the CPU; on a shared machine the cpu column is the steadier one.\n');
  if (toggle.ok) process.stdout.write(`\n${toggle.detail}\n`);
  process.stdout.write(`\n${await measureColdPhases({ version, arch, tree })}\n`);
}

function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string => `| ${cells.map((c, i) => (c ?? '').padEnd(widths[i])).join(' | ')} |`;
  process.stdout.write(`${line(header)}\n|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|\n${rows.map(line).join('\n')}\n`);
}
