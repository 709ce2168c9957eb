// `kfit nixos check`: nixpkgs' kernel-config pipeline (merge → intermediate text → make <base> →
// generate-config.pl's two `make config` passes → error list) simulated on kfit's Kconfig engine, with the
// script's own lines and exit status, then why each line happened and, with --fix, the Nix edits that close it.
import { resolve } from 'node:path';
import type { KconfigModel } from '../../core/kconfig/model.ts';
import type { Command } from 'commander';
import { InputError } from '../../core/diag/errors.ts';
import { readNixosIntermediate, writeOutputFile } from './nixos-files.ts';
import {
  answersToSettings,
  diagnose,
  emitFixModule,
  engineLoader,
  engineSession,
  fixSummary,
  fixToFixedPoint,
  formatGenerateConfigOutput,
  mergeSettings,
  originOf,
  parseKernelConfig,
  simulateGenerateConfig,
  OtherTree,
  type GenerateConfigOptions,
  type SettingsModule,
} from '../../core/nixos/index.ts';
import { nixAvailable, parseNixText } from '../../host/nix-cli.ts';
import { evalSystemKernel, findOtherCachedTree, treeAge, loadKernelTree, makeBaseConfig, realiseSource, unpackedSource, type LoadedTree, type SystemRef } from '../../host/nixos-system.ts';
import { DefinitionScans, kconfigDefinitionFinder, prefetchDefinitionScans, renameResultStore } from '../../host/kconfig-definitions.ts';
import { defaultModelCacheDir } from '../../host/model-cache.ts';
import { loadPresetTree } from '../../host/presets.ts';

interface CheckOptions {
  kernelConfig?: string;
  structured?: string;
  flake?: string;
  file?: string;
  attr?: string;
  base?: string;
  src?: string;
  arch?: string;
  autoModules?: boolean;
  preferBuiltin?: boolean;
  ignoreConfigErrors?: boolean;
  out?: string;
  json?: boolean;
  fix?: string | boolean;
  diagnosis?: boolean;
  /** A tree, or false for --no-other-src. */
  otherSrc?: string | false;
  /** Read the tree with make's LLVM=1 (clang builds). */
  llvm?: boolean;
}

/** Registers `kfit nixos`. */
export function registerNixos(program: Command): void {
  const nixos = program.command('nixos').description("nixpkgs' kernel-config pipeline, simulated in about a second");
  nixos
    .command('check')
    .description('predict what generate-config.pl says about a NixOS kernel config, explain it, and propose fixes')
    .option('--kernel-config <file>', 'the intermediate text (the configfile derivation\'s kernel-config)')
    .option('--structured <file>', 'the unmerged definitions as JSON (commonDefinitions, structuredExtraConfig, patchDefinitions)')
    .option('--flake <ref>', 'a NixOS system: FLAKE#HOST (asks the local nix)')
    .option('--file <file>', 'a Nix file holding the system (with --attr)')
    .option('--attr <path>', 'attribute path of the system in --file (e.g. nixosConfigurations.HOST)')
    .option('--base <target>', 'kernelBaseConfig: defconfig, tinyconfig, allnoconfig, NAME_defconfig, … (default defconfig)')
    .option('--src <dir>', 'the kernel source tree')
    .option('--arch <arch>', 'ARCH (kernelArch); default x86_64')
    .option('--no-auto-modules', 'autoModules = false')
    .option('--prefer-builtin', 'preferBuiltin = true')
    .option('--ignore-config-errors', 'ignoreConfigErrors = true')
    .option('--out <file>', 'write the resulting .config (only when the script completes)')
    .option('--fix [file]', 'run the fix loop and write the Nix module (default kfit-kernel-fixes.nix)')
    .option('--no-diagnosis', "print only generate-config.pl's lines")
    .option('--other-src <dir>', "the other kernel version's tree (6.1 ↔ 6.12) for symbols missing from this one: name what took their place (default: the other version's tree in kfit's cache, if there)")
    .option('--no-other-src', 'do not look for renamed symbols in another kernel tree')
    .option('--llvm', "read the tree as make LLVM=1 would (Kconfig probes clang, ld.lld, llvm-ar, llvm-nm): for clang kernels, e.g. kfit preset apply clang-thinlto")
    .option('--json', 'print a JSON report')
    .action((options: CheckOptions) => {
      process.exitCode = runCheck(options);
    });
}


/** Runs `kfit nixos check`; returns the exit status (generate-config.pl's: 0 or 255). */
export function runCheck(o: CheckOptions): number {
  let modules: SettingsModule[] | undefined;
  let patchExtra: string[] = ['', ''];
  let text: string;
  let textFile = 'kernel-config';
  const sim: GenerateConfigOptions = { autoModules: o.autoModules !== false, preferBuiltin: !!o.preferBuiltin, ignoreConfigErrors: !!o.ignoreConfigErrors };
  let src = o.src;
  let base = o.base;
  let arch = o.arch;
  let settingsOrigin: ReturnType<typeof mergeSettings> | undefined;
  if (o.flake || o.file) {
    const ref: SystemRef = { flake: o.flake, file: o.file, attr: o.attr };
    const k = evalSystemKernel(ref);
    text = k.kernelConfig;
    textFile = `${o.flake ?? o.file}: configfile.kernelConfig`;
    base ??= k.kernelBaseConfig;
    arch ??= k.kernelArch;
    if (o.autoModules !== false) Object.assign(sim, { autoModules: k.autoModules });
    if (!o.preferBuiltin) Object.assign(sim, { preferBuiltin: k.preferBuiltin });
    if (!o.ignoreConfigErrors) Object.assign(sim, { ignoreConfigErrors: k.ignoreConfigErrors });
    if (!src) {
      realiseSource(ref, k.src);
      src = unpackedSource(k.src);
    }
    if (k.settings) {
      // the merged items are the fix loop's base (its edits come on top at mkForce); the patches' own
      // definitions only name the patch that set a value in explanations
      modules = [{ file: 'configfile.moduleStructuredConfig.settings', settings: k.settings }];
      settingsOrigin = mergeSettings([...modules, ...k.patches.map((p) => ({ file: `kernelPatches: ${p.name}`, settings: p.settings }))].slice(1));
    }
  } else {
    const input = readNixosIntermediate(o, 'nixos');
    if (!input) throw new InputError('nixos/input', 'kfit: give --kernel-config FILE, --structured FILE, --flake REF#HOST or --file FILE --attr PATH');
    text = input.text;
    if (input.structured) {
      ({ modules, patchExtraConfigs: patchExtra } = input.structured);
      settingsOrigin = input.structured.merged;
    } else textFile = input.file;
  }
  if (!src) throw new InputError('nixos/src', 'kfit: give --src DIR (the kernel source tree)');
  const answers = parseKernelConfig(text, textFile);
  const tree = o.llvm ? loadPresetTree(src, arch ?? 'x86_64', true) : loadKernelTree(src, arch ?? 'x86_64');
  // the Kconfig files' scans of this check (definitions and the kept rename answers both read them): the kept
  // ones are checked against the trees on another thread while the dialogue runs
  const scans = new DefinitionScans();
  if (o.diagnosis !== false) prefetchDefinitionScans([tree.srctree, ...otherSrctree(o.otherSrc, tree)], defaultModelCacheDir(), scans);
  const baseConfig = makeBaseConfig(tree, base ?? 'defconfig');
  const load = engineLoader(tree.model);
  const result = simulateGenerateConfig(answers, engineSession(load, baseConfig), sim);
  const lines = formatGenerateConfigOutput(result);
  if (!modules) modules = [{ file: textFile, settings: answersToSettings(answers) }];
  const merged = settingsOrigin ?? mergeSettings(modules);
  const other = otherTree(o.otherSrc, tree, arch ?? 'x86_64', scans);
  const definedIn = kconfigDefinitionFinder(tree.srctree, defaultModelCacheDir(), scans);
  const diagnoses = o.diagnosis === false ? [] : diagnose(load(result.dotConfig), result, answers, originOf(merged, answers), other, definedIn);
  let fixReport: { file: string; summary: string[]; edits: number } | undefined;
  if (o.fix !== undefined && o.fix !== false && (result.exitCode !== 0 || result.death)) {
    const fix = fixToFixedPoint(modules, { patchExtraConfigs: patchExtra }, (t, a) => {
      const r = simulateGenerateConfig(a, engineSession(load, baseConfig), sim);
      return { result: r, facts: load(r.dotConfig) };
    }, { otherModel: other, definedIn });
    const file = typeof o.fix === 'string' ? o.fix : 'kfit-kernel-fixes.nix';
    const nix = emitFixModule(fix, [`kfit nixos check --fix: edits that make generate-config.pl accept this kernel config`, `kernel tree: ${tree.srctree} (${tree.env.kernelVersion}), base: ${base ?? 'defconfig'}`]);
    if (nixAvailable()) parseNixText(nix, file); // checked before writing: nothing half-right on disk
    writeOutputFile(file, nix, 'nixos/out');
    fixReport = { file, summary: fixSummary(fix), edits: fix.edits.length };
  }
  if (o.out && !result.death) writeOutputFile(o.out, result.dotConfig, 'nixos/out');
  if (o.json) {
    process.stdout.write(`${JSON.stringify({ exitCode: result.exitCode, death: result.death ?? null, messages: result.messages, lines, diagnoses: diagnoses.map((d) => ({ name: d.name, kind: d.kind, why: d.why, culprits: d.culprits, renamedTo: d.renamedTo, definedInFiles: d.definedInFiles, otherTree: d.otherTree, otherAge: d.otherAge, otherLocation: d.otherLocation, renames: d.renames })), fix: fixReport ?? null }, null, 2)}\n`);
    return result.exitCode;
  }
  for (const l of lines) process.stderr.write(`${l}\n`);
  if (diagnoses.length > 0) {
    process.stdout.write(`\nkfit: why (${diagnoses.length}):\n`);
    for (const d of diagnoses) process.stdout.write(`  ${d.name}: ${d.why}\n`);
  }
  if (fixReport) {
    process.stdout.write(`\nkfit: fixes written to ${fixReport.file}\n`);
    for (const s of fixReport.summary) process.stdout.write(`  ${s}\n`);
  } else if (result.exitCode === 0 && !result.death) {
    process.stdout.write(`kfit: generate-config.pl would accept this config (${result.messages.length} warning(s))\n`);
  }
  return result.exitCode;
}

// the other tree's srctree otherTree() would use
function otherSrctree(option: string | false | undefined, tree: LoadedTree): string[] {
  if (option === false) return [];
  if (option) return [resolve(option)];
  const cached = findOtherCachedTree(tree.env.kernelVersion, tree.srctree);
  return cached ? [cached.srctree] : [];
}

/**
 * The other kernel version's tree for symbols this tree lacks: --other-src DIR, else the other known version's
 * tree in kfit's cache (6.1 ↔ 6.12), read only when an absent symbol needs it; none with --no-other-src.
 */
function otherTree(option: string | false | undefined, tree: LoadedTree, arch: string, scans: DefinitionScans): OtherTree | undefined {
  if (option === false) return undefined;
  // the matcher's answers are kept on disk per pair of trees (renameResultStore()), for the checked model only
  const results = (from: string) => (to: KconfigModel) => (to === tree.model ? renameResultStore(from, tree.srctree, arch, defaultModelCacheDir(), scans) : undefined);
  if (option) return OtherTree.lazy(`--other-src ${option}`, () => loadKernelTree(option, arch).model, { explicit: true, age: treeAge(option, tree.env.kernelVersion), results: results(resolve(option)) });
  const cached = findOtherCachedTree(tree.env.kernelVersion, tree.srctree);
  if (!cached) return undefined;
  const age = treeAge(cached.srctree, tree.env.kernelVersion);
  return OtherTree.lazy(`the ${cached.version} tree in kfit's cache, ${cached.srctree}`, () => {
    try {
      return loadKernelTree(cached.srctree, arch).model;
    } catch {
      return undefined; // an unreadable cached tree only costs the rename hint
    }
  }, { age, results: results(cached.srctree) });
}


