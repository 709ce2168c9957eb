// `kfit preset list|show|apply`: the well-known kernel tunings (no mitigations, small /boot, -march, clang +
// ThinLTO) as presets, resolved against a tree's own symbol names, applied on top of the user's NixOS kernel
// config, run through the pipeline simulation and fix loop of `kfit nixos check`, and written as one commented
// NixOS module that generate-config.pl accepts.
import type { Command } from 'commander';
import { InputError } from '../../core/diag/errors.ts';
import { readInputFile, readStructuredFile, writeOutputFile } from './nixos-files.ts';
import {
  answersToSettings,
  engineLoader,
  engineSession,
  fixToFixedPoint,
  mergeSettings,
  parseKernelConfig,
  settingsModules,
  simulateGenerateConfig,
  UNKNOWN_FILE,
  type GenerateConfigOptions,
  type SettingsModule,
} from '../../core/nixos/index.ts';
import {
  checkIntent,
  emitPresetModule,
  findPreset,
  needsLlvm,
  nixpkgsKernelAttr,
  presetPatchLines,
  presetSettings,
  presetValueNix,
  PRESETS,
  type PresetContext,
  type ResolvedPreset,
} from '../../core/presets/index.ts';
import { nixAvailable, parseNixText } from '../../host/nix-cli.ts';
import { makeBaseConfig, type LoadedTree } from '../../host/nixos-system.ts';
import { cachedKernelTree, compilerKnowsMarch, loadPresetTree } from '../../host/presets.ts';

interface ShowOptions {
  kernel?: string;
  src?: string;
  arch: string;
  march?: string;
  json?: boolean;
}

/** The flags of `kfit preset apply`. */
export interface ApplyOptions {
  march?: string;
  src?: string;
  arch: string;
  kernelConfig?: string;
  structured?: string;
  base?: string;
  out?: string;
  configOut?: string;
  autoModules?: boolean;
  preferBuiltin?: boolean;
  json?: boolean;
}

/** Registers `kfit preset`. */
export function registerPreset(program: Command): void {
  const preset = program.command('preset').description('ready-made kernel tunings (no-mitigations, tiny-boot, march, clang-thinlto), checked by the nixpkgs pipeline simulation');
  preset
    .command('list')
    .description('list the presets, one line each, with what they need')
    .option('--json', 'print JSON')
    .action((o: { json?: boolean }) => {
      if (o.json) {
        process.stdout.write(`${JSON.stringify(PRESETS.map((p) => ({ name: p.name, summary: p.summary, needs: p.needs })), null, 2)}\n`);
        return;
      }
      const width = Math.max(...PRESETS.map((p) => p.name.length));
      for (const p of PRESETS) process.stdout.write(`${p.name.padEnd(width)}  ${p.summary}\n${' '.repeat(width)}  needs: ${p.needs}\n`);
    });
  preset
    .command('show')
    .description("show a preset for one kernel tree: its Kconfig lines (the tree's own names), build settings, NixOS text, and why each line is there")
    .argument('<name>', 'the preset (kfit preset list)')
    .option('--kernel <version>', "a kernel tree in kfit's cache: 6.12 or 6.1 (default 6.12 unless --src)")
    .option('--src <dir>', 'the kernel source tree')
    .option('--arch <arch>', 'ARCH', 'x86_64')
    .option('--march <value>', 'for march: the -march value (default: x86-64-v3, as an example)')
    .option('--json', 'print JSON')
    .action((name: string, o: ShowOptions) => runShow(name, o));
  preset
    .command('apply')
    .description('add presets to your kernel config, run the generate-config.pl simulation and fix loop until it is accepted, and write one NixOS module')
    .argument('<names...>', 'presets to apply (kfit preset list)')
    .option('--march <value>', 'the -march value for the march preset (`kfit hw cpu` suggests one)')
    .option('--src <dir>', 'the kernel source tree (required)')
    .option('--arch <arch>', 'ARCH (kernelArch)', 'x86_64')
    .option('--kernel-config <file>', "your intermediate text (the configfile derivation's kernel-config)")
    .option('--base <target>', 'kernelBaseConfig with --kernel-config: defconfig, tinyconfig, … (default defconfig)')
    .option('--structured <file>', 'your unmerged definitions as JSON (commonDefinitions, structuredExtraConfig, patchDefinitions)')
    .option('--out <file.nix>', 'the NixOS module to write (required)')
    .option('--config-out <file>', 'also write the simulated final .config')
    .option('--no-auto-modules', 'autoModules = false')
    .option('--prefer-builtin', 'preferBuiltin = true')
    .option('--json', 'print a JSON report')
    .action((names: string[], o: ApplyOptions) => {
      process.exitCode = runApply(names, o);
    });
}

function contextFor(tree: LoadedTree, march: string | undefined): PresetContext {
  return {
    kernelVersion: tree.env.kernelVersion,
    treeLabel: tree.srctree,
    has: (n) => (tree.model.byName.get(n)?.nodes.length ?? 0) > 0,
    march,
  };
}

function valueText(v: ResolvedPreset['lines'][number]['value']): string {
  return presetValueNix(v);
}

function runShow(name: string, o: ShowOptions): void {
  const preset = findPreset(name);
  if (o.kernel && o.src) throw new InputError('preset/flags', 'kfit: give --kernel VERSION or --src DIR, not both');
  const src = o.src ?? cachedKernelTree(o.kernel ?? '6.12');
  const tree = loadPresetTree(src, o.arch, false); // names only: the gcc model has the same symbols
  const exampleMarch = preset.name === 'march' && o.march === undefined;
  const resolved = preset.resolve(contextFor(tree, o.march ?? (exampleMarch ? 'x86-64-v3' : undefined)));
  const lines = presetPatchLines([resolved]);
  const nix = emitPresetModule({
    presets: [resolved],
    lines,
    fixes: [],
    kernelAttr: nixpkgsKernelAttr(tree.env.kernelVersion),
    header: [`kfit preset show ${name}: ${preset.summary}`, `kernel tree: ${tree.srctree} (${tree.env.kernelVersion})`, '`kfit preset apply` checks it against your config and lowers the priorities where nothing competes'],
  });
  if (o.json) {
    process.stdout.write(`${JSON.stringify({ name, summary: preset.summary, needs: preset.needs, kernelVersion: tree.env.kernelVersion, tree: tree.srctree, exampleMarch, lines: resolved.lines.map((l) => ({ ...l, value: valueText(l.value) })), build: resolved.build, expect: resolved.expect, notes: resolved.notes, nix }, null, 2)}\n`);
    return;
  }
  const out: string[] = [`${name}: ${preset.summary}`, `needs: ${preset.needs}`, `kernel tree: ${tree.srctree} (${tree.env.kernelVersion})`, ''];
  out.push('Kconfig lines (structuredExtraConfig):');
  if (resolved.lines.length === 0) out.push('  (none)');
  for (const l of resolved.lines) out.push(`  ${l.name} = ${valueText(l.value)}${l.role === 'fallout' ? '   [only when your config sets it]' : ''}`, `      ${l.why}`);
  out.push('', 'build settings:');
  if (resolved.build.length === 0) out.push('  (none)');
  for (const b of resolved.build) {
    const what = b.kind === 'kernel-param' ? `boot.kernelParams: ${b.value}` : b.kind === 'make-flag' ? `extraMakeFlags: ${b.shown}` : b.kind === 'stdenv' ? `stdenv: ${b.nix}` : `boot.initrd.compressor: ${b.compressor} ${b.args.join(' ')}`;
    out.push(`  ${what}`, `      ${b.why}`);
  }
  if (exampleMarch) out.push('', 'note: --march not given; x86-64-v3 is shown as an example');
  for (const n of resolved.notes) out.push(`note: ${n}`);
  out.push('', 'NixOS module:', nix);
  process.stdout.write(`${out.join('\n')}`);
}


/** What `kfit preset apply` did (its --json report). */
export interface ApplyReport {
  readonly presets: readonly string[];
  readonly kernelVersion: string;
  readonly llvm: boolean;
  readonly accepted: boolean;
  /** Simulation runs of the fix loop. */
  readonly runs: number;
  readonly warnings: number;
  readonly lines: readonly { readonly name: string; readonly nix: string; readonly role: 'intent' | 'fallout'; readonly comments: readonly string[] }[];
  readonly fixEdits: readonly { readonly name: string; readonly nix: string; readonly comment: string; readonly iteration: number }[];
  readonly build: readonly unknown[];
  readonly notes: readonly string[];
  readonly out: string;
}

/** Runs `kfit preset apply`; returns the exit status (0 when the module was written). */
export function runApply(names: readonly string[], o: ApplyOptions): number {
  const report = applyPresets(names, o);
  if (o.json) {
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    return 0;
  }
  process.stdout.write(`kfit: wrote ${report.out}: ${report.lines.length} preset line(s), ${report.fixEdits.length} fix-loop line(s); generate-config.pl accepts it (${report.runs} simulation run(s), ${report.warnings} warning(s))\n`);
  for (const e of report.fixEdits) process.stdout.write(`  fix: ${e.name} = ${e.nix}  # ${e.comment}\n`);
  for (const n of report.notes) process.stdout.write(`  note: ${n}\n`);
  return 0;
}

/**
 * Applies the presets on top of the user's config, runs the simulation and fix loop to a config
 * generate-config.pl accepts, checks the presets' intent in the final .config, and writes the module
 * (InputError, with nothing written, when any step fails).
 */
export function applyPresets(names: readonly string[], o: ApplyOptions): ApplyReport {
  const unique = [...new Set(names)];
  const presets = unique.map(findPreset);
  if (!o.src) throw new InputError('preset/src', 'kfit: give --src DIR (the kernel source tree)');
  if (!o.out) throw new InputError('preset/out', 'kfit: give --out FILE.nix (the NixOS module to write)');
  if (!o.kernelConfig === !o.structured) throw new InputError('preset/input', 'kfit: give your config as --kernel-config FILE [--base TARGET] or --structured FILE (one of them)');
  if (o.march !== undefined && !unique.includes('march')) throw new InputError('preset/flags', 'kfit: --march is for the march preset; add `march` to the presets');
  // read the user's config first: a bad file fails before the tree is loaded
  let modules: SettingsModule[];
  let patchExtra: string[] = ['', ''];
  let extraConfig: string | undefined;
  if (o.structured) {
    const input = readStructuredFile(o.structured, 'preset/structured-input');
    modules = settingsModules(input);
    patchExtra = input.patchDefinitions.map((p) => p.extraConfig ?? '');
    extraConfig = input.extraConfig;
  } else {
    const file = o.kernelConfig!;
    modules = [{ file, settings: answersToSettings(parseKernelConfig(readInputFile(file, 'the intermediate text', 'preset/missing-file'), file)) }];
  }
  const llvm = needsLlvm(unique);
  const progress = (s: string) => process.stderr.write(`kfit: ${s}\n`);
  progress(`reading ${o.src}${llvm ? ' with LLVM=1' : ''}`);
  const tree = loadPresetTree(o.src, o.arch, llvm);
  const ctx = contextFor(tree, o.march);
  const resolved = presets.map((p) => p.resolve(ctx));
  const marchNotes: string[] = [];
  if (o.march !== undefined) {
    const probe = compilerKnowsMarch(o.march, llvm);
    if (probe.known === false) marchNotes.push(`march: the local ${probe.compiler} rejects -march=${o.march}: check the spelling (nixpkgs' ${probe.compiler} may be newer and know it)`);
  }
  const lines = presetPatchLines(resolved, mergeSettings(modules));
  // the presets' kernel patch (none when they are build settings only, as march is)
  const withPresets: SettingsModule[] = lines.length > 0 ? [...modules, { file: UNKNOWN_FILE, settings: presetSettings(lines) }] : modules;
  const base = o.base ?? 'defconfig';
  const baseConfig = makeBaseConfig(tree, base);
  const load = engineLoader(tree.model);
  const sim: GenerateConfigOptions = { autoModules: o.autoModules !== false, preferBuiltin: !!o.preferBuiltin, ignoreConfigErrors: false };
  let runs = 0;
  const fix = fixToFixedPoint(withPresets, { extraConfig, patchExtraConfigs: lines.length > 0 ? [...patchExtra, ''] : patchExtra }, (_text, answers) => {
    progress(`simulating generate-config.pl (run ${++runs})`);
    const r = simulateGenerateConfig(answers, engineSession(load, baseConfig), sim);
    return { result: r, facts: load(r.dotConfig) };
  });
  const final = fix.final.result;
  const errors = final.messages.filter((m) => m.severity === 'error');
  if (!fix.accepted) {
    const why = final.death ? `the script dies: ${final.death.message}` : `${errors.length} error(s) left: ${errors.slice(0, 5).map((m) => m.text).join('; ')}`;
    throw new InputError('preset/not-accepted', `kfit: the fix loop did not reach a config generate-config.pl accepts (${why}); nothing written`);
  }
  const misses = checkIntent(resolved, final.dotConfig);
  if (misses.length > 0) {
    // say what the fix loop did to the line, when it touched it (e.g. "hidden by HAS_LTO_CLANG; kept as an optional answer")
    const why = (name: string) => {
      const e = fix.edits.find((x) => x.name === name);
      return e ? ` (fix loop: ${e.nix}, ${e.comment})` : '';
    };
    throw new InputError('preset/intent', `kfit: the accepted config does not hold what the presets meant (${misses.map((m) => `${m.preset}: ${m.name} wanted ${m.wanted}, got ${m.got}${why(m.name)}`).join('; ')}); your config prevents it: nothing written`);
  }
  const nix = emitPresetModule({
    presets: resolved,
    lines,
    fixes: fix.edits,
    kernelAttr: nixpkgsKernelAttr(tree.env.kernelVersion),
    header: [
      `kfit preset apply ${unique.join(' ')}${o.march ? ` --march ${o.march}` : ''}`,
      `kernel tree: ${tree.srctree} (${tree.env.kernelVersion}${llvm ? ', LLVM=1' : ''}), base: ${o.structured ? 'from the structured input' : base}; input: ${o.kernelConfig ?? o.structured}`,
      `simulated generate-config.pl: accepted after ${fix.iterations.length} run(s), ${fix.edits.length} fix-loop line(s), ${final.messages.length} warning(s)`,
    ],
  });
  if (nixAvailable()) parseNixText(nix, o.out); // checked before writing: nothing half-right on disk
  if (o.configOut) writeOutputFile(o.configOut, final.dotConfig, 'preset/out');
  writeOutputFile(o.out, nix, 'preset/out');
  return {
    presets: unique,
    kernelVersion: tree.env.kernelVersion,
    llvm,
    accepted: fix.accepted,
    runs: fix.iterations.length,
    warnings: final.messages.length,
    lines: lines.map((l) => ({ name: l.name, nix: l.nix, role: l.role, comments: l.comments })),
    fixEdits: fix.edits.map((e) => ({ name: e.name, nix: e.nix, comment: e.comment, iteration: e.iteration })),
    build: resolved.flatMap((r) => r.build.map((b) => ({ preset: r.name, ...b }))),
    notes: [...resolved.flatMap((r) => r.notes.map((n) => `${r.name}: ${n}`)), ...marchNotes],
    out: o.out,
  };
}

