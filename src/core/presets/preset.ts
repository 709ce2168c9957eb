// What a preset is: a few Kconfig lines for structuredExtraConfig (each with why it is there), the build
// settings outside Kconfig (kernel parameters, make flags, the stdenv, the initrd compressor), and the .config
// values the preset is meant to produce, so `kfit preset apply` can check the simulated result against them.
import { InputError } from '../diag/errors.ts';

/**
 * A structured-config value in `lib.kernel`'s words (`yes`, `no`, `module`, `unset`, `option yes`, `freeform "…"`);
 * `option yes` is y where the tree allows it and only a warning where it does not.
 */
export type PresetValue = 'yes' | 'no' | 'module' | 'unset' | 'option yes' | { readonly freeform: string };

/**
 * One Kconfig line of a preset. `intent` lines are the preset's purpose; `fallout` lines clear a definition the
 * intent hides or contradicts (common-config.nix's `MITIGATION_SLS = yes` once CPU_MITIGATIONS is off), so
 * generate-config.pl does not call it unused: they are written only when the user's config defines the name.
 */
export interface PresetLine {
  readonly name: string;
  readonly value: PresetValue;
  readonly role: 'intent' | 'fallout';
  readonly why: string;
}

/** A build setting outside Kconfig, written as NixOS options next to `boot.kernelPatches`. */
export type BuildSetting =
  | { readonly kind: 'kernel-param'; readonly value: string; readonly why: string }
  /** One `extraMakeFlags` element: `nix` is the element as a Nix string literal (may interpolate store paths), `shown` the flag as make sees it. */
  | { readonly kind: 'make-flag'; readonly nix: string; readonly shown: string; readonly why: string }
  | { readonly kind: 'stdenv'; readonly nix: string; readonly why: string }
  | { readonly kind: 'initrd-compressor'; readonly compressor: string; readonly args: readonly string[]; readonly why: string };

/** A value the final .config must hold: `n` also matches `# … is not set` and an absent line. */
export interface ExpectedValue {
  readonly name: string;
  readonly value: string;
}

/** A preset resolved for one kernel tree (and, for `march`, one value). */
export interface ResolvedPreset {
  readonly name: string;
  readonly lines: readonly PresetLine[];
  readonly build: readonly BuildSetting[];
  readonly expect: readonly ExpectedValue[];
  /** Gotchas worth telling the user (not errors). */
  readonly notes: readonly string[];
}

/** What a preset may ask about the tree it is resolved for. */
export interface PresetContext {
  /** KERNELVERSION of the tree, e.g. `6.12.117`. */
  readonly kernelVersion: string;
  /** Names the tree in errors (its path). */
  readonly treeLabel: string;
  /** Whether the tree's Kconfig defines the symbol. */
  has(name: string): boolean;
  /** The `--march` value, when given. */
  readonly march?: string;
}

/** A preset: its name, a one-line summary, what it needs, and how it resolves for a tree. */
export interface Preset {
  readonly name: string;
  readonly summary: string;
  /** What it needs from the user or the machine (`--march VALUE`, clang/lld/llvm, …). */
  readonly needs: string;
  resolve(ctx: PresetContext): ResolvedPreset;
}

/** The first of `names` the tree defines; an InputError naming all of them when it defines none. */
export function firstDefined(ctx: PresetContext, preset: string, names: readonly string[]): string {
  const found = names.find((n) => ctx.has(n));
  if (found === undefined) {
    const list = names.length === 1 ? names[0] : `one of ${names.join(', ')}`;
    throw new InputError('preset/missing-symbol', `kfit: preset ${preset} needs ${list}, which the kernel tree ${ctx.treeLabel} (${ctx.kernelVersion}) does not define`);
  }
  return found;
}

/** Every one of `names` the tree must define (InputError listing the missing ones). */
export function requireDefined(ctx: PresetContext, preset: string, names: readonly string[]): void {
  const missing = names.filter((n) => !ctx.has(n));
  if (missing.length > 0) {
    throw new InputError('preset/missing-symbol', `kfit: preset ${preset} needs ${missing.join(', ')}, which the kernel tree ${ctx.treeLabel} (${ctx.kernelVersion}) does not define`);
  }
}

/** The text of a value as `lib.kernel` spells it (`yes`, `freeform "…"`). */
export function presetValueNix(v: PresetValue): string {
  if (typeof v === 'string') return v;
  return `freeform "${v.freeform.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\$\{/g, '\\${')}"`;
}
