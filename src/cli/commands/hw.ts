// `kfit hw collect|match|plan`: device IDs from sysfs → modules → the Kconfig symbols a machine needs.
import { loadKconfigModel } from '../../host/kconfig-model.ts';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { release } from 'node:os';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { lookupAlias, readAliasDb } from '../../core/hardware/alias-db.ts';
import { parseSnapshot, writeSnapshot, type HwSnapshot } from '../../core/hardware/snapshot.ts';
import { formatDiagnostic } from '../../core/diag/diagnostic.ts';
import { closeUnderKconfig, type ClosureResult } from '../../core/hardware/closure.ts';
import { planHardware, sourceAliasIndex } from '../../core/hardware/plan.ts';
import { formatPlanConfig, formatPlanNix, formatPlanText } from '../../core/hardware/plan-output.ts';
import { KbuildIndex, readConfigValues } from '../../core/kbuild/index.ts';
import { Assignments, readDotConfig, runTarget, type KconfigModel } from '../../core/kconfig/index.ts';
import { readConfigText } from '../../host/config-file.ts';
import { loadTreeTables } from '../../host/kernel-source-scan.ts';
import { InputError } from '../../core/diag/errors.ts';
import { collectSysfs } from '../../host/sysfs.ts';
import { findRunningModuleTree, readModuleTree } from '../../host/module-tree.ts';
import { registerHwCpu } from './hw-cpu.ts';

function loadSnapshot(file: string | undefined, sysfs: string | undefined): HwSnapshot {
  if (file === undefined) return collectSysfs({ sysfs, kernelRelease: sysfs === undefined ? release() : undefined });
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new InputError('hardware/snapshot-read', `kfit: cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const { value, diagnostics } = parseSnapshot(text, file);
  for (const d of diagnostics) process.stderr.write(`${formatDiagnostic(d)}\n`);
  return value;
}

/** Loads a snapshot from `--hw FILE`, or collects one from `--sysfs ROOT` / the live system. */
export { loadSnapshot };

function moduleDir(dir: string | undefined): string {
  const found = dir ?? findRunningModuleTree(release());
  if (found === undefined) throw new InputError('hardware/no-modules', `kfit: no module tree for ${release()} (looked in /run/booted-system/kernel-modules/lib/modules and /lib/modules); pass --modules DIR`);
  return found;
}

/** Registers `kfit hw` and its subcommands. */
export function registerHw(program: Command): void {
  const hw = program.command('hw').description('Hardware → Kconfig options: collect device IDs, match them to drivers, plan the options a machine needs');
  registerHwCpu(hw);

  hw.command('collect')
    .description('Read device IDs (modaliases, bound drivers, DMI, CPU) from sysfs into a JSON snapshot')
    .option('--sysfs <root>', 'read a copied sysfs tree instead of /sys')
    .option('--cpuinfo <file>', 'cpuinfo file (default /proc/cpuinfo, or <root>/../cpuinfo for a copied tree)')
    .option('--out <file>', 'write the snapshot here instead of stdout')
    .action((opts: { sysfs?: string; cpuinfo?: string; out?: string }) => {
      const snap = collectSysfs({ sysfs: opts.sysfs, cpuinfo: opts.cpuinfo, kernelRelease: opts.sysfs === undefined ? release() : undefined });
      for (const w of snap.warnings) process.stderr.write(`kfit: warning: ${w}\n`);
      const text = writeSnapshot(snap);
      if (opts.out) {
        writeFileSync(opts.out, text);
        process.stderr.write(`kfit: ${snap.devices.length} devices, ${new Set(snap.devices.flatMap((d) => d.modaliases)).size} modaliases → ${opts.out}\n`);
      } else {
        process.stdout.write(text);
      }
    });

  hw.command('match')
    .description('Resolve every modalias of a machine against a module tree, exactly as modprobe --resolve-alias')
    .option('--hw <file>', 'snapshot from `kfit hw collect` (default: collect now)')
    .option('--sysfs <root>', 'collect from a copied sysfs tree')
    .option('--modules <dir>', 'module directory (…/lib/modules/<version>); default: the running kernel\'s')
    .option('--json', 'print JSON')
    .action((opts: { hw?: string; sysfs?: string; modules?: string; json?: boolean }) => {
      const snap = loadSnapshot(opts.hw, opts.sysfs);
      const { value: db, diagnostics } = readAliasDb(readModuleTree(moduleDir(opts.modules)));
      for (const d of diagnostics) process.stderr.write(`${formatDiagnostic(d)}\n`);
      const rows = snap.devices.flatMap((dev) => dev.modaliases.map((m) => ({ device: dev.path, label: dev.label, modalias: m, ...lookupAlias(db, m) })));
      if (snap.dmi) rows.push({ device: 'class/dmi/id', label: 'DMI', modalias: snap.dmi, ...lookupAlias(db, snap.dmi) });
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(rows.map((r) => ({ device: r.device, modalias: r.modalias, source: r.source, modules: r.modules })), null, 2)}\n`);
        return;
      }
      for (const r of rows) {
        const mods = [...new Set(r.modules)].join(' ') || '-';
        process.stdout.write(`${r.label.padEnd(40)} ${r.source.padEnd(13)} ${mods}\n    ${r.modalias.length > 110 ? `${r.modalias.slice(0, 107)}...` : r.modalias}\n`);
      }
    });

  hw.command('plan')
    .description('Plan the Kconfig symbols a machine needs from its device IDs and a kernel source tree (no built kernel needed), with a reason per symbol')
    .requiredOption('--src <dir>', 'kernel source tree')
    .option('--hw <file>', 'snapshot from `kfit hw collect` (default: collect from this machine)')
    .option('--sysfs <root>', 'collect from a copied sysfs tree')
    .option('--modules <dir>', 'also match this module tree\'s modules.alias (…/lib/modules/<version>)')
    .option('--config <file>', 'base .config: drives #if in the tables and is the start of the Kconfig closure')
    .option('--arch <arch>', 'ARCH for Kconfig (x86_64)', 'x86_64')
    .option('--format <fmt>', 'text, config, nix or json', 'text')
    .option('--no-cpu', 'leave out CPU-feature accelerations (crypto, kvm)')
    .option('--functionality', 'also plan capability-matched handlers (evdev, joydev, …)')
    .option('--no-closure', 'do not close the set under Kconfig dependencies')
    .option('--modular', 'build tristate drivers as modules (default: built in)')
    .option('--out <file>', 'write the output here instead of stdout')
    .action((opts: PlanFlags) => runPlan(opts));
}

interface PlanFlags {
  src: string;
  hw?: string;
  sysfs?: string;
  modules?: string;
  config?: string;
  arch: string;
  format: string;
  cpu: boolean;
  functionality?: boolean;
  closure: boolean;
  modular?: boolean;
  out?: string;
}

function loadModel(src: string, arch: string): KconfigModel {
  const srctree = resolve(src);
  const cwd = process.cwd();
  // As `make O=<cwd>` would (an in-tree srctree of '.' would run scripts relative to the wrong folder).
  return loadKconfigModel({ srctree, arch, objtree: resolve(cwd) === srctree ? undefined : cwd }).model;
}

function runPlan(opts: PlanFlags): void {
  if (!['text', 'config', 'nix', 'json'].includes(opts.format)) throw new InputError('cli/format', `kfit: --format must be text, config, nix or json, not "${opts.format}"`);
  if (!existsSync(join(opts.src, 'Makefile'))) throw new InputError('cli/src', `kfit: ${opts.src}: not a kernel tree (no Makefile at its top)`);
  const snapshot = loadSnapshot(opts.hw, opts.sysfs);
  const configText = opts.config === undefined ? undefined : readConfigText(opts.config);
  const srcarch = opts.arch === 'x86_64' || opts.arch === 'i386' ? 'x86' : opts.arch;
  // `#if` in the tables and Kbuild conditionals need real values: the given .config, else the tree's
  // allyesconfig for this arch (every option of the arch on, none of another arch's).
  const model = opts.closure || configText === undefined ? loadModel(opts.src, opts.arch) : undefined;
  const tableConfigText = configText ?? runTarget(model!, { target: 'allyesconfig' }).output ?? '';
  const configValues = readConfigValues(tableConfigText);
  process.stderr.write(`kfit: reading device tables of ${opts.src} (cached after the first run)…\n`);
  const tables = loadTreeTables(opts.src, { arch: srcarch, config: configValues });
  process.stderr.write(`kfit: ${tables.files.length} files with device tables${tables.cached ? ' (cache)' : ''}, ${(tables.millis / 1000).toFixed(1)} s\n`);
  const problems = tables.files.flatMap((f) => f.problems);
  const untranslated = problems.filter((p) => p.includes('is not translated'));
  const other = problems.filter((p) => !p.includes('is not translated'));
  for (const p of other.slice(0, 5)) process.stderr.write(`kfit: warning: ${p}\n`);
  if (other.length > 5) process.stderr.write(`kfit: warning: ${other.length - 5} more table problems (see --format json)\n`);
  if (untranslated.length > 0) process.stderr.write(`kfit: note: ${untranslated.length} tables of bus types without an alias format here (${[...new Set(untranslated.map((p) => / of type (\w+)/.exec(p)?.[1]))].join(', ')}) are left out\n`);
  let moduleDb;
  if (opts.modules) {
    const r = readAliasDb(readModuleTree(opts.modules));
    for (const d of r.diagnostics.slice(0, 5)) process.stderr.write(`${formatDiagnostic(d)}\n`);
    moduleDb = r.value;
  }
  const plan = planHardware({ snapshot, sources: sourceAliasIndex(tables.files), kbuild: new KbuildIndex(tables.walk), moduleDb, cpuFeatures: opts.cpu, functionality: opts.functionality });
  let closure: ClosureResult | undefined;
  if (opts.closure && model !== undefined) {
    const base = configText === undefined ? Assignments.empty() : readDotConfig(model, configText, opts.config!).assignments;
    closure = closeUnderKconfig(model, base, plan.items.map((i) => ({ symbol: i.symbol, module: opts.modular })));
  }
  const text =
    opts.format === 'config' ? formatPlanConfig(plan, closure)
    : opts.format === 'nix' ? formatPlanNix(plan, closure)
    : opts.format === 'json' ? `${JSON.stringify({ items: plan.items, unmatched: plan.unmatched, notes: plan.notes, tableProblems: problems, closure: closure && { values: closure.values, failures: closure.failures, unknown: closure.unknown } }, null, 2)}\n`
    : formatPlanText(plan, closure);
  if (opts.out) writeFileSync(opts.out, text);
  else process.stdout.write(text);
}
