// `kfit cost`: what a kernel config compiles and how long the build takes, before building; what the most
// expensive options cost; the time a trimmed config saves. `kfit cost calibrate` fits the rate to a real build.
import { rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { parseConfigValues } from '../../core/config-diff/index.ts';
import { InputError } from '../../core/diag/errors.ts';
import { readNixosIntermediate } from './nixos-files.ts';
import {
  compareCosts,
  DEFAULT_RATE,
  estimateBuild,
  fitRate,
  formatDuration,
  groupCosts,
  type BuildEstimate,
  type CostGroup,
  type CostRate,
  type CostUnit,
  type GroupBy,
} from '../../core/kbuild/cost.ts';
import { readConfigValues } from '../../core/kbuild/index.ts';
import {
  engineLoader,
  engineSession,
  parseKernelConfig,
  simulateGenerateConfig,
} from '../../core/nixos/index.ts';
import { loadCostRate, rateFile, readFinishedBuild, saveCostRate, treeCost, type TreeCost } from '../../host/build-cost.ts';
import { readConfigText } from '../../host/config-file.ts';
import { SourceTree } from '../../host/kernel-source-scan.ts';
import { loadKernelTree, makeBaseConfig } from '../../host/nixos-system.ts';
import { loadOutline, configPath, treeDefconfig } from './config-input.ts';

interface CostFlags {
  src?: string;
  arch: string;
  config?: string;
  kernelConfig?: string;
  structured?: string;
  base?: string;
  autoModules?: boolean;
  preferBuiltin?: boolean;
  jobs?: string;
  against?: string;
  top: string;
  by: string;
  json?: boolean;
}

interface CalibrateFlags {
  buildDir?: string;
  seconds?: string;
  config?: string;
  src?: string;
  arch: string;
  jobs?: string;
  reset?: boolean;
  json?: boolean;
}

function positiveNumber(flag: string, value: string | undefined, integer: boolean): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) {
    throw new InputError('cli/number', `kfit: ${flag} expects a positive ${integer ? 'integer' : 'number'}, found \`${value}\``);
  }
  return n;
}

/** Stage reporting on stderr: a bar on a terminal, nothing otherwise (the output stays clean for pipes). */
function stages(total: number): { step: (what: string) => void; stop: () => void } {
  if (!process.stderr.isTTY) return { step: () => {}, stop: () => {} };
  const bar = new cliProgress.SingleBar({ format: 'kfit cost {bar} {value}/{total} {what}', hideCursor: true, stream: process.stderr, clearOnComplete: true }, cliProgress.Presets.shades_classic);
  bar.start(total, 0, { what: '' });
  let n = 0;
  return { step: (what) => bar.update(n++, { what }), stop: () => bar.stop() };
}

/** A .config by name: a file (plain or compressed), `running`, or `defconfig` (the tree's, through its own conf). */
function configByName(name: string, src: string, arch: string): Map<string, string> {
  if (name === 'defconfig') return new Map([...treeDefconfig(src, arch)].filter(([, v]) => v !== 'n'));
  const path = configPath(name);
  const values = parseConfigValues(readConfigText(path), path).value;
  const on = new Map([...values].filter(([, v]) => v !== 'n'));
  if (values.size === 0) throw new InputError('cost/config', `${path}:1:1: error: not a kernel .config (no CONFIG_ lines)`);
  return on;
}

/** The .config NixOS would build from the intermediate text or the structured definitions (generate-config.pl simulated). */
function nixosConfig(f: CostFlags, src: string): { config: Map<string, string>; warning: string | null } {
  const { text, file } = readNixosIntermediate(f, 'cost')!;
  const tree = loadKernelTree(src, f.arch);
  const base = makeBaseConfig(tree, f.base ?? 'defconfig');
  const result = simulateGenerateConfig(parseKernelConfig(text, file), engineSession(engineLoader(tree.model), base), { autoModules: f.autoModules !== false, preferBuiltin: !!f.preferBuiltin, ignoreConfigErrors: true });
  const warning = result.death
    ? `generate-config.pl would stop (${result.death.message}); costing the .config conf had written then`
    : result.exitCode !== 0
      ? `generate-config.pl would fail (${result.messages.filter((m) => m.severity === 'error').length} error(s); see \`kfit nixos check\`); costing the .config it computed`
      : null;
  return { config: readConfigValues(result.dotConfig), warning };
}

function groupBy(by: string, src: string, arch: string): GroupBy {
  if (by === 'symbol' || by === 'gate' || by === 'dir') return by;
  if (by !== 'menu') throw new InputError('cli/flag', `kfit: --by expects symbol, gate, dir or menu, found \`${by}\``);
  const outline = loadOutline(src, arch, false)!;
  return (u: CostUnit) => {
    const first = u.symbol.split('|')[0]!;
    const path = outline.get(first)?.path;
    return path === undefined ? (first.startsWith('(') ? first : '(no menu)') : path.length === 0 ? '(main menu)' : path.join(' > ');
  };
}

function estimateJson(e: BuildEstimate): Record<string, number> {
  return { ...e, cpuSeconds: Math.round(e.cpuSeconds), wallSeconds: Math.round(e.wallSeconds) };
}

function groupJson(g: CostGroup): Record<string, string | number> {
  return { ...g, cpuSeconds: Math.round(g.cpuSeconds * 10) / 10, wallSeconds: Math.round(g.wallSeconds * 10) / 10 };
}

function describe(e: BuildEstimate): string {
  const mib = (e.sourceBytes / 1048576).toFixed(1);
  return `${e.objects} objects (${e.builtinObjects} built-in, ${e.libObjects} lib, ${e.moduleObjects} in modules; ${e.cObjects} .c, ${e.asmObjects} .S, ${e.generatedObjects} generated), ${e.modules} modules, ${mib} MiB of source`;
}

function printGroups(title: string, groups: readonly CostGroup[], top: number): void {
  if (top === 0 || groups.length === 0) return;
  process.stdout.write(`${title}\n`);
  for (const g of groups.slice(0, top)) {
    const mods = g.modules > 0 ? `${g.modules} mod` : '';
    process.stdout.write(`  ${formatDuration(g.wallSeconds).padStart(10)}  ${String(g.objects).padStart(5)} obj  ${mods.padStart(8)}  ${g.key}\n`);
  }
  if (groups.length > top) process.stdout.write(`  … ${groups.length - top} more\n`);
}

function rateLine(rate: CostRate, file: string | null): string {
  return file === null ? `rate: ${rate.origin}` : `rate: ${rate.origin} (from ${file}; \`kfit cost calibrate --reset\` returns to the default)`;
}

function runCost(f: CostFlags): void {
  if (f.src === undefined) throw new InputError('cli/flag', 'kfit: cost needs --src DIR (the kernel tree)');
  const inputs = [f.config, f.kernelConfig, f.structured].filter((x) => x !== undefined).length;
  if (inputs !== 1) throw new InputError('cli/flag', 'kfit: cost needs exactly one of --config FILE (a .config, `defconfig` or `running`), --kernel-config FILE or --structured FILE (NixOS inputs, with --base)');
  if (f.base !== undefined && f.config !== undefined) throw new InputError('cli/flag', 'kfit: --base goes with the NixOS inputs (--kernel-config/--structured), not with --config');
  const jobs = positiveNumber('--jobs', f.jobs, true) ?? availableParallelism();
  const top = Number(f.top);
  if (!Number.isInteger(top) || top < 0) throw new InputError('cli/number', `kfit: --top expects a whole number, found \`${f.top}\``);
  const src = resolve(f.src);
  const tree = new SourceTree(src);
  if (tree.readFile('Kbuild') === undefined || tree.readFile('Makefile') === undefined) throw new InputError('cost/src', `kfit: ${f.src}: not a kernel tree (no Kbuild and Makefile at its top)`);
  const by = groupBy(f.by, src, f.arch);
  const { rate, file: rateFrom } = loadCostRate();
  const progress = stages(f.against ? 4 : 2);
  let warning: string | null = null;
  let config: Map<string, string>;
  let main: TreeCost;
  let other: TreeCost | undefined;
  try {
    progress.step(f.config ? 'reading the config' : 'simulating the NixOS config pipeline');
    if (f.config) config = configByName(f.config, src, f.arch);
    else ({ config, warning } = nixosConfig(f, src));
    progress.step('walking Kbuild');
    main = treeCost(src, config, f.arch, tree);
    if (f.against) {
      progress.step('reading the other config');
      const otherConfig = configByName(f.against, src, f.arch);
      progress.step('walking Kbuild for the other config');
      other = treeCost(src, otherConfig, f.arch, tree);
    }
  } finally {
    progress.stop();
  }
  // the default rate has no debug info; DWARF and BTF make every compile (and the links) slower
  const debug = [...config.keys()].filter((k) => /^DEBUG_INFO_(DWARF\w*|BTF)$/.test(k));
  const debugNote = debug.length > 0 && rateFrom === null ? `the config builds debug info (${debug.join(', ')}); the default rate is from builds without it, so the real build takes longer: calibrate on one` : null;
  if (warning) process.stderr.write(`kfit: warning: ${warning}\n`);
  if (debugNote) process.stderr.write(`kfit: note: ${debugNote}\n`);
  const problems = main.walk.problems.length + (other?.walk.problems.length ?? 0);
  if (problems > 0) process.stderr.write(`kfit: warning: the Kbuild walk met ${problems} Makefile problem(s); the counts may be short (first: ${(main.walk.problems[0] ?? other!.walk.problems[0])!.file}: ${(main.walk.problems[0] ?? other!.walk.problems[0])!.message})\n`);
  const estimate = estimateBuild(main.units, rate, jobs);
  const groups = groupCosts(main.units, rate, jobs, by);
  const comparison = other ? compareCosts(main.units, other.units, rate, jobs) : undefined;
  const removedGroups = comparison ? groupCosts(comparison.removed, rate, jobs, by) : [];
  const addedGroups = comparison ? groupCosts(comparison.added, rate, jobs, by) : [];
  if (f.json) {
    const out = {
      src,
      arch: f.arch,
      jobs,
      rate: { ...rate, file: rateFrom },
      estimate: estimateJson(estimate),
      top: groups.slice(0, top).map(groupJson),
      groupedBy: f.by,
      against: comparison
        ? {
            config: f.against,
            estimate: estimateJson(comparison.other),
            removedObjects: comparison.removed.filter((u) => u.lang !== 'module-link').length,
            removedModules: comparison.removed.filter((u) => u.lang === 'module-link').length,
            addedObjects: comparison.added.filter((u) => u.lang !== 'module-link').length,
            addedModules: comparison.added.filter((u) => u.lang === 'module-link').length,
            savedCpuSeconds: Math.round(comparison.savedCpuSeconds),
            savedWallSeconds: Math.round(comparison.savedWallSeconds),
            topRemoved: removedGroups.slice(0, top).map(groupJson),
            topAdded: addedGroups.slice(0, top).map(groupJson),
          }
        : null,
      warnings: [warning, debugNote, ...main.walk.problems.map((p) => `${p.file}:${p.line}: ${p.message}`)].filter((w) => w !== null),
    };
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    return;
  }
  process.stdout.write(`build: ${describe(estimate)}\n`);
  process.stdout.write(`estimate: ${formatDuration(estimate.wallSeconds)} wall at -j${jobs} (${Math.round(estimate.cpuSeconds)} CPU-s)\n`);
  process.stdout.write(`${rateLine(rate, rateFrom)}\n`);
  process.stdout.write('model: CPU per unit = fixed part + size of its own .c (a proxy: headers and code density are not read); modules add a .mod.o and a link each\n');
  if (comparison) {
    const c = comparison;
    const rm = (l: boolean) => c.removed.filter((u) => (u.lang === 'module-link') === l).length;
    const ad = (l: boolean) => c.added.filter((u) => (u.lang === 'module-link') === l).length;
    process.stdout.write(`\nagainst ${f.against}: ${describe(c.other)}\n`);
    process.stdout.write(`  estimate ${formatDuration(c.other.wallSeconds)} at -j${jobs}; ${c.savedWallSeconds >= 0 ? `saves ${formatDuration(c.savedWallSeconds)}` : `costs ${formatDuration(-c.savedWallSeconds)} more`}`);
    process.stdout.write(` (${rm(false)} objects and ${rm(true)} modules fewer, ${ad(false)} objects and ${ad(true)} modules more)\n`);
    printGroups(`\nwhat ${f.against} leaves out, by ${f.by} (most expensive first):`, removedGroups, top);
    printGroups(`\nwhat ${f.against} adds, by ${f.by}:`, addedGroups, top);
    return;
  }
  printGroups(`\nmost expensive, by ${f.by}:`, groups, top);
}

function runCalibrate(f: CalibrateFlags): void {
  if (f.reset) {
    rmSync(rateFile(), { force: true });
    process.stdout.write(`kfit: calibrated rate removed; estimates use the default (${DEFAULT_RATE.origin})\n`);
    return;
  }
  if ((f.buildDir === undefined) === (f.seconds === undefined)) throw new InputError('cli/flag', 'kfit: cost calibrate needs --build-dir DIR (a finished build) or --seconds S with --config FILE (a build you timed)');
  let config: Map<string, string>;
  let seconds: number;
  let jobs: number;
  let src: string;
  let what: string;
  let loggedSteps: number | null = null;
  if (f.buildDir !== undefined) {
    const build = readFinishedBuild(f.buildDir);
    config = build.config;
    seconds = build.seconds;
    jobs = positiveNumber('--jobs', f.jobs, true) ?? build.jobs ?? availableParallelism();
    src = f.src ?? join(build.dir, 'source');
    loggedSteps = build.loggedSteps;
    what = `the build in ${build.dir}`;
  } else {
    if (f.config === undefined || f.src === undefined) throw new InputError('cli/flag', 'kfit: --seconds needs --config FILE (the config you built) and --src DIR');
    seconds = positiveNumber('--seconds', f.seconds, false)!;
    jobs = positiveNumber('--jobs', f.jobs, true) ?? availableParallelism();
    src = f.src;
    config = configByName(f.config, resolve(src), f.arch);
    what = `a ${seconds} s build of ${f.config}`;
  }
  const tree = new SourceTree(resolve(src));
  if (tree.readFile('Kbuild') === undefined) throw new InputError('cost/src', `kfit: ${src}: not a kernel tree (no Kbuild at its top); give --src DIR`);
  const { units } = treeCost(src, config, f.arch, tree);
  const objects = units.filter((u) => u.lang !== 'module-link').length;
  // the log counts every CC/AS step, the walk's objects plus ~100 it does not list (boot, vdso, host tools)
  if (loggedSteps !== null && loggedSteps < objects * 0.8) {
    throw new InputError('cost/incremental', `kfit: ${f.buildDir}: the log shows ${loggedSteps} compile steps for ${objects} objects: an incremental build, whose time says nothing about a full one; time a full build, or give --seconds S --config FILE`);
  }
  const origin = `calibrated ${new Date().toISOString().slice(0, 10)} from ${what} (${objects} objects, ${Math.round(seconds)} s at -j${jobs})`;
  const rate = fitRate(units, seconds, jobs, DEFAULT_RATE, origin);
  if (rate === undefined) throw new InputError('cost/calibrate', `kfit: ${Math.round(seconds)} s is shorter than the serial part of a build (${DEFAULT_RATE.fixedWall} s); nothing to fit`);
  const check = estimateBuild(units, rate, jobs);
  const factor = rate.cpuPerUnit / DEFAULT_RATE.cpuPerUnit;
  saveCostRate(rate);
  if (f.json) {
    process.stdout.write(`${JSON.stringify({ rate, file: rateFile(), factorOverDefault: factor, objects, seconds, jobs, reproduced: Math.round(check.wallSeconds * 10) / 10 }, null, 2)}\n`);
    return;
  }
  process.stdout.write(`kfit: ${origin}\n`);
  process.stdout.write(`  this machine builds at ${factor.toFixed(2)}× the default rate's CPU time; stored in ${rateFile()}\n`);
  process.stdout.write(`  the fitted rate gives that build back as ${Math.round(check.wallSeconds)} s\n`);
}

/**
 * Registers `kfit cost` and `kfit cost calibrate`. Gotcha: `calibrate` is an argument, not a commander
 * subcommand: with the same flags on both (--src, --config, --jobs, --json) commander hands them to the parent
 * unless the whole program has positional options, which would change where kfit's global flags may go.
 */
export function registerCost(program: Command): void {
  program
    .command('cost')
    .description('estimate a kernel build before building: units compiled, CPU and wall time at -jN, the options that cost most, the time a trimmed config saves; `kfit cost calibrate` fits the rate to a real build on this machine')
    .argument('[action]', '`calibrate`: fit the build rate to a finished build (--build-dir) or a timed one (--seconds with --config) and keep it for later estimates')
    .option('--src <dir>', 'the kernel source tree (required; for calibrate --build-dir, default its `source` link)')
    .option('--arch <arch>', 'ARCH', 'x86_64')
    .option('--config <file>', 'the .config to cost: a file, `defconfig` (the tree\'s) or `running`')
    .option('--kernel-config <file>', 'NixOS: the intermediate text (configfile\'s kernel-config); its .config is simulated')
    .option('--structured <file>', 'NixOS: the unmerged definitions as JSON (as for `kfit nixos check`)')
    .option('--base <target>', 'NixOS: kernelBaseConfig (default defconfig)')
    .option('--no-auto-modules', 'NixOS: autoModules = false')
    .option('--prefer-builtin', 'NixOS: preferBuiltin = true')
    .option('--jobs <n>', 'make -jN to estimate for (default: this machine\'s CPUs; calibrate: the build log\'s -jN)')
    .option('--against <file>', 'a second .config (or `defconfig`): what it leaves out and the time it saves')
    .option('--top <n>', 'how many of the most expensive groups to list (0: none)', '10')
    .option('--by <what>', '`symbol`: every gating symbol with all it builds (groups overlap); `gate`: each unit under its innermost gate; `dir`; `menu` (Kconfig menu of the innermost gate)', 'symbol')
    .option('--build-dir <dir>', 'calibrate: a finished build directory (`kfit lab build`, or any `make O=DIR`): its .config and file times')
    .option('--seconds <s>', 'calibrate: wall seconds of a full build you timed (with --config and --src)')
    .option('--reset', 'calibrate: forget the calibrated rate (estimates use the default again)')
    .option('--json', 'print a JSON report')
    .action((action: string | undefined, flags: CostFlags & CalibrateFlags) => {
      if (action === 'calibrate') return runCalibrate(flags);
      if (action !== undefined) throw new InputError('cli/flag', `kfit: cost: unknown action \`${action}\` (the only one is \`calibrate\`)`);
      if (flags.buildDir !== undefined || flags.seconds !== undefined || flags.reset) throw new InputError('cli/flag', 'kfit: --build-dir, --seconds and --reset go with `kfit cost calibrate`');
      runCost(flags);
    });
}
