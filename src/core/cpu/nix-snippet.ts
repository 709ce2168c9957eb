// The NixOS module text that applies a CPU plan. Behaviour read from nixpkgs (not copied):
// pkgs/os-specific/linux/kernel/common-flags.nix appends `extraMakeFlags` to every make call of the kernel
// build; generic.nix (buildLinux) takes `extraMakeFlags` and `structuredExtraConfig`, and the kernels of
// mainline.nix pass `.override` arguments through to it; boot.kernelPatches entries may carry
// `extraStructuredConfig`.
import { nixAttrName, quoteNixString } from '../nix/nix-syntax.ts';
import type { KernelCpuPlan } from './kernel-mapping.ts';

/** Options for {@link emitCpuNix}. */
export interface CpuNixOptions {
  /** The nixpkgs kernel attribute to override (`linux_6_12`); default `linux`. */
  readonly kernelAttr?: string;
  /** Comment lines for the top of the module (without `# `). */
  readonly header?: readonly string[];
}

/** The nixpkgs attribute of a kernel version: `6.12.117` → `linux_6_12`; undefined → `linux` (the default kernel). */
export function kernelAttrFor(version: string | undefined): string {
  const m = version === undefined ? null : /^(\d+)\.(\d+)/.exec(version);
  return m ? `linux_${m[1]}_${m[2]}` : 'linux';
}

function nixValue(value: string): string {
  if (value === 'y') return 'lib.kernel.yes';
  if (value === 'n') return 'lib.kernel.no';
  return `lib.kernel.freeform ${quoteNixString(value)}`;
}

/**
 * Emits a NixOS module for the plan. KCFLAGS goes in as one `KCFLAGS+=FLAG` make argument per flag:
 * Gotcha: the config step of generic.nix runs `make $makeFlags` unquoted, so a flag with a space
 * ("KCFLAGS=-march=x -mtune=x") would split into two make arguments; `+=` on make's command line appends,
 * so each word stands alone. Kconfig settings go in a `boot.kernelPatches` entry with `patch = null`.
 */
export function emitCpuNix(plan: KernelCpuPlan, options: CpuNixOptions = {}): string {
  const attr = options.kernelAttr ?? kernelAttrFor(plan.version);
  const out: string[] = [];
  for (const h of options.header ?? []) out.push(`# ${h}`.trimEnd());
  const settings = plan.settings.filter((s) => !(plan.mode === 'kcflags' && s.symbol === 'GENERIC_CPU'));
  out.push(settings.length > 0 ? '{ pkgs, lib, ... }:' : '{ pkgs, ... }:');
  out.push('{');
  if (plan.kcflags.length > 0) {
    out.push(`  boot.kernelPackages = pkgs.linuxPackagesFor (pkgs.${nixAttrName(attr)}.override {`);
    out.push('    extraMakeFlags = [');
    for (const f of plan.kcflags) out.push(`      ${quoteNixString(`KCFLAGS+=${f}`)}`);
    out.push('    ];');
    out.push('  });');
  }
  if (settings.length > 0) {
    out.push('  boot.kernelPatches = [');
    out.push('    {');
    out.push(`      name = ${quoteNixString('kfit-cpu')};`);
    out.push('      patch = null;');
    out.push('      extraStructuredConfig = {');
    for (const s of settings) out.push(`        ${nixAttrName(s.symbol)} = ${nixValue(s.value)};`);
    out.push('      };');
    out.push('    }');
    out.push('  ];');
  }
  out.push('}');
  return `${out.join('\n')}\n`;
}
