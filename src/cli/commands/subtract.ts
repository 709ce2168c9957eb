// `kfit subtract --base defconfig|FILE --keep hw.json|FILE --src DIR`: options to switch off, grouped by menu,
// largest first (compilation units, then options), written as Nix sets the user can pick.
import { existsSync, readFileSync } from 'node:fs';
import type { Command } from 'commander';
import {
  groupSubtraction,
  keepClosure,
  parseConfigValues,
  planNixChanges,
  subtractCandidates,
  subtractPatches,
  type ConfigValues,
  type MenuOutline,
  type RemovedObject,
} from '../../core/config-diff/index.ts';
import { InputError } from '../../core/diag/index.ts';
import { walkKbuild, type KbuildResult } from '../../core/kbuild/index.ts';
import { emitKernelPatchSet } from '../../core/nix/index.ts';
import { readConfigText } from '../../host/config-file.ts';
import { SourceTree } from '../../host/kernel-source-scan.ts';
import { confEvaluator, loadConfig, loadOutline, treeDefconfig } from './config-input.ts';
import { loadNixosAnswers, writeNixFile } from './nix-from-config.ts';

interface SubtractFlags {
  base: string;
  keep: string[];
  src?: string;
  arch: string;
  nixos?: string;
  out?: string;
  json?: boolean;
}

/**
 * The symbols a keep file names: a `kfit hw collect` snapshot (the drivers and modules bound to its devices,
 * mapped to the symbols that build them by the Kbuild walk of the base), a `.config` (every `y`/`m`), or a
 * list of symbol names (one a line, `CONFIG_` optional).
 */
export function keepSymbols(file: string, walk: KbuildResult): { symbols: Set<string>; what: string } {
  if (!existsSync(file)) throw new InputError('subtract/keep', `kfit: ${file}: no such file`);
  const text = readConfigText(file);
  if (text.trimStart().startsWith('{')) {
    let json: { format?: string; devices?: { driver?: string; module?: string }[] };
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new InputError('subtract/keep', `${file}:1:1: error: not JSON: ${(error as Error).message}`);
    }
    if (json.format !== 'kfit-hw-snapshot' || !Array.isArray(json.devices)) {
      throw new InputError('subtract/keep', `${file}:1:1: error: expected a kfit-hw-snapshot (from \`kfit hw collect\`)`);
    }
    const names = new Set<string>();
    for (const d of json.devices) for (const n of [d.driver, d.module]) if (n) names.add(n.replace(/-/g, '_'));
    const symbols = new Set<string>();
    let matched = 0;
    for (const m of walk.modules) {
      if (!names.has(m.name)) continue;
      matched++;
      for (const s of [...m.syms, ...m.dirGate]) symbols.add(s);
    }
    return { symbols, what: `${names.size} drivers/modules bound to devices, ${matched} found in the Kbuild walk` };
  }
  if (/^(# )?CONFIG_/m.test(text)) {
    const values = parseConfigValues(text, file).value;
    return { symbols: new Set([...values].filter(([, v]) => v === 'y' || v === 'm').map(([k]) => k)), what: 'options on in a config' };
  }
  const symbols = new Set(text.split('\n').map((l) => l.trim().replace(/^CONFIG_/, '')).filter((l) => /^[A-Za-z0-9_]+$/.test(l)));
  return { symbols, what: 'a list of symbols' };
}

function removedObjects(before: KbuildResult, after: KbuildResult, tree: SourceTree): RemovedObject[] {
  const kept = new Set(after.objects.map((o) => o.path));
  const seen = new Set<string>();
  const out: RemovedObject[] = [];
  for (const o of before.objects) {
    if (kept.has(o.path) || seen.has(o.path)) continue;
    seen.add(o.path);
    out.push({ path: o.path, gate: [...o.syms, ...o.ownerSyms, ...o.dirGate], isC: tree.readFile(`${o.path.slice(0, -2)}.c`) !== undefined });
  }
  return out;
}

/** Registers `kfit subtract`. */
export function registerSubtract(program: Command): void {
  program
    .command('subtract')
    .description('propose options to switch off (drivers the machine does not need), grouped by menu, largest first, as Nix sets')
    .option('--base <config>', '`defconfig` (the tree\'s) or a config file', 'defconfig')
    .requiredOption('--keep <file>', 'what must stay (repeatable): a `kfit hw collect` snapshot, a .config, or a list of symbols', (v: string, p: string[]) => [...p, v], [] as string[])
    .option('--src <dir>', 'kernel tree (required)')
    .option('--arch <arch>', 'architecture (make ARCH)', 'x86_64')
    .option('--nixos <structured.json>', 'NixOS\' own definitions, for lib.mkForce')
    .option('--out <file>', 'write the Nix sets here instead of stdout')
    .option('--json', 'print the groups as JSON')
    .action((flags: SubtractFlags) => {
      if (flags.src === undefined) throw new InputError('cli/flag', 'kfit: subtract needs --src DIR (the kernel tree)');
      const outline = loadOutline(flags.src, flags.arch, true) as MenuOutline;
      const base: ConfigValues = flags.base === 'defconfig' ? treeDefconfig(flags.src, flags.arch) : loadConfig(flags.base);
      const evaluate = confEvaluator(flags.src, flags.arch, base);
      if (evaluate === undefined) throw new InputError('cli/src', `kfit: ${flags.src}: subtract needs a tree folder named linux-<version> (its conf evaluates the result)`);
      const tree = new SourceTree(flags.src);
      const srcarch = flags.arch === 'x86_64' || flags.arch === 'i386' ? 'x86' : flags.arch;
      const before = walkKbuild(tree, base, { arch: srcarch });
      const keeps = flags.keep.map((f) => keepSymbols(f, before));
      const keep = { symbols: new Set(keeps.flatMap((k) => [...k.symbols])), what: keeps.map((k) => k.what).join('; ') };
      const closure = keepClosure(keep.symbols, outline);
      const candidates = subtractCandidates(base, outline, closure);
      const after = evaluate(new Map(candidates.map((c) => [c, 'n'])));
      const lost = [...keep.symbols].filter((s) => (base.get(s) === 'y' || base.get(s) === 'm') && after.get(s) !== base.get(s));
      const plan = planNixChanges(base, after, { outline, nixos: loadNixosAnswers(flags.nixos), evaluate });
      const afterWalk = walkKbuild(tree, after, { arch: srcarch });
      const removed = removedObjects(before, afterWalk, tree);
      const groups = groupSubtraction(base, after, plan, outline, removed);
      const units = removed.filter((o) => o.isC).length;
      const summary = `${candidates.length} candidates, ${plan.entries.length} Nix lines in ${groups.filter((g) => g.entries.length > 0).length} sets; removes ${removed.length} objects (${units} compilation units) of ${before.objects.length}`;
      process.stderr.write(`kfit: keep: ${keep.symbols.size} symbols from ${keep.what}; ${closure.size} with their dependencies\n`);
      if (lost.length > 0) process.stderr.write(`kfit: warning: kept symbols that change anyway (selected or forced by what goes): ${lost.join(' ')}\n`);
      if (flags.json) {
        process.stdout.write(`${JSON.stringify({ summary, groups: groups.map((g) => ({ ...g, entries: g.entries.map((e) => e.symbol) })) }, null, 2)}\n`);
        return;
      }
      const text = emitKernelPatchSet(subtractPatches(groups), [`Written by kfit subtract (base ${flags.base}, keep ${flags.keep.join(', ')}): ${summary}.`, 'Pick sets into boot.kernelPatches, e.g. `boot.kernelPatches = (import ./this.nix { inherit lib; }).all;`.']);
      for (const g of groups) process.stderr.write(`  ${String(g.unitsRemoved).padStart(5)} units ${String(g.optionsRemoved).padStart(5)} options ${String(g.entries.length).padStart(4)} lines  ${g.menu}\n`);
      process.stderr.write(`kfit: ${summary}\n`);
      if (flags.out) writeNixFile(flags.out, text);
      else process.stdout.write(text);
    });
}
