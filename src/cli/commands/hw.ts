// `kfit hw collect|match|plan`: device IDs from sysfs → modules → the Kconfig symbols a machine needs.
import { readFileSync, writeFileSync } from 'node:fs';
import { release } from 'node:os';
import type { Command } from 'commander';
import { lookupAlias, readAliasDb } from '../../core/hardware/alias-db.ts';
import { parseSnapshot, writeSnapshot, type HwSnapshot } from '../../core/hardware/snapshot.ts';
import { formatDiagnostic } from '../../core/diag/diagnostic.ts';
import { InputError } from '../../core/diag/errors.ts';
import { collectSysfs } from '../../host/sysfs.ts';
import { findRunningModuleTree, readModuleTree } from '../../host/module-tree.ts';

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
}
