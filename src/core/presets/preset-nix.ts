// The NixOS module `kfit preset apply` writes: the presets' kernel patch (each line commented), the fix loop's
// patch when it added lines, and the build settings (boot.kernelParams, boot.initrd.compressor*, and a
// boot.kernelPackages override for the stdenv and extraMakeFlags), every line with why it is there.
import type { FixEdit } from '../nixos/fix-loop.ts';
import { nixAttrName } from '../nixos/fix-nix.ts';
import type { PresetPatchLine } from './preset-patch.ts';
import type { BuildSetting, ResolvedPreset } from './preset.ts';

/** What the module is made of. */
export interface PresetModuleInput {
  readonly presets: readonly ResolvedPreset[];
  readonly lines: readonly PresetPatchLine[];
  /** The fix loop's edits on top (a second kernel patch); empty when none were needed. */
  readonly fixes: readonly FixEdit[];
  /** `linux_6_12`, `linux_6_1`: the nixpkgs kernel the kernelPackages override starts from. */
  readonly kernelAttr: string;
  /** Comment lines at the top. */
  readonly header: readonly string[];
}

function comment(s: string): string {
  return s.replace(/\s*\n\s*/g, ' ');
}

function nixString(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** The attribute name of nixpkgs' kernel for a kernel version (`6.12.117` → `linux_6_12`). */
export function nixpkgsKernelAttr(kernelVersion: string): string {
  const m = /^(\d+)\.(\d+)/.exec(kernelVersion);
  return m ? `linux_${m[1]}_${m[2]}` : 'linux';
}

/** Renders the module (text ending in a newline). */
export function emitPresetModule(input: PresetModuleInput): string {
  const out: string[] = [];
  for (const h of input.header) out.push(`# ${comment(h)}`);
  const settings = input.presets.flatMap((p) => p.build.map((b) => ({ preset: p.name, b })));
  const needsPkgs = settings.some((s) => s.b.kind === 'stdenv' || s.b.kind === 'make-flag');
  out.push(needsPkgs ? '{ lib, pkgs, ... }:' : '{ lib, ... }:');
  out.push('{');
  if (input.lines.length > 0 || input.fixes.length > 0) out.push('  boot.kernelPatches = [');
  if (input.lines.length > 0) {
    out.push('    {');
    out.push(`      name = "kfit-presets-${input.presets.map((p) => p.name).join('-')}";`);
    out.push('      patch = null;');
    out.push('      structuredExtraConfig = with lib.kernel; {');
    for (const l of input.lines) {
      for (const c of l.comments) out.push(`        # ${comment(c)}`);
      if (l.priorityWhy) out.push(`        # (${comment(l.priorityWhy)})`);
      out.push(`        ${nixAttrName(l.name)} = ${l.nix};`);
    }
    out.push('      };');
    out.push('    }');
  }
  if (input.fixes.length > 0) {
    out.push('    {');
    out.push('      # what the fix loop added so that generate-config.pl accepts the result (kfit nixos check --fix)');
    out.push('      name = "kfit-preset-fixes";');
    out.push('      patch = null;');
    out.push('      structuredExtraConfig = with lib.kernel; {');
    for (const e of input.fixes) {
      out.push(`        # ${comment(e.comment)} (fix-loop iteration ${e.iteration})`);
      out.push(`        ${nixAttrName(e.name)} = ${e.nix};`);
    }
    out.push('      };');
    out.push('    }');
  }
  if (input.lines.length > 0 || input.fixes.length > 0) out.push('  ];');
  const of = <K extends BuildSetting['kind']>(kind: K) => settings.filter((s): s is { preset: string; b: Extract<BuildSetting, { kind: K }> } => s.b.kind === kind);
  const params = of('kernel-param');
  if (params.length > 0) {
    out.push('  boot.kernelParams = [');
    for (const { preset, b } of params) {
      out.push(`    # ${preset}: ${comment(b.why)}`);
      out.push(`    ${nixString(b.value)}`);
    }
    out.push('  ];');
  }
  for (const { preset, b } of of('initrd-compressor')) {
    out.push(`  # ${preset}: ${comment(b.why)}`);
    out.push(`  boot.initrd.compressor = ${nixString(b.compressor)};`);
    out.push(`  boot.initrd.compressorArgs = [ ${b.args.map(nixString).join(' ')} ];`);
  }
  const stdenv = of('stdenv');
  const flags = of('make-flag');
  if (stdenv.length > 0 || flags.length > 0) {
    out.push(`  # build settings: nixpkgs' ${input.kernelAttr} with another stdenv / extra make flags (generic.nix passes`);
    out.push('  # extraMakeFlags to the kernel build and to the configfile derivation, where generate-config.pl runs make config);');
    out.push('  # boot.kernelPatches above are added on top by NixOS. Replace the kernel if you use another one.');
    out.push('  boot.kernelPackages = pkgs.linuxPackagesFor (');
    out.push(`    pkgs.${input.kernelAttr}.override {`);
    for (const { preset, b } of stdenv) {
      out.push(`      # ${preset}: ${comment(b.why)}`);
      out.push(`      stdenv = ${b.nix};`);
    }
    if (flags.length > 0) {
      out.push('      extraMakeFlags = [');
      for (const { preset, b } of flags) {
        out.push(`        # ${preset}: ${comment(b.why)}`);
        out.push(`        ${b.nix}`);
      }
      out.push('      ];');
    }
    out.push('    }');
    out.push('  );');
  }
  out.push('}');
  return `${out.join('\n')}\n`;
}
