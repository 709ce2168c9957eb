// The Nix printer: one `boot.kernelPatches` entry, formatted as nixfmt (RFC 166 style) would format it.
import { quoteNixString, nixAttrName } from './nix-syntax.ts';
import { compareNixNames, Priority } from './kernel-item.ts';

/** A `lib.kernel` value as written in a structured config. */
export type NixKernelValue =
  | { readonly kind: 'yes' | 'no' | 'module' | 'unset' }
  | { readonly kind: 'freeform'; readonly value: string };

/** One line of `structuredExtraConfig`: symbol (no `CONFIG_`), value, priority and the comment shown after it. */
export interface KernelPatchEntry {
  readonly symbol: string;
  readonly value: NixKernelValue;
  /** `lib.mkOverride` priority; 100 (plain) writes no wrapper, 50 writes `lib.mkForce`. */
  readonly priority?: number;
  /** Wraps the value in `option` (NixOS does not fail when the symbol is unused). */
  readonly optional?: boolean;
  /** Menu path / prompt, written as a trailing comment. */
  readonly comment?: string;
}

/** A whole kernel patch: the entry's name, comment lines above it, and its structured config. */
export interface KernelPatch {
  readonly name: string;
  readonly entries: readonly KernelPatchEntry[];
  /** Comment lines at the top of the file (without `# `). */
  readonly header?: readonly string[];
}

/** Formats one value the way a person writes it: `yes`, `freeform "16"`, `lib.mkForce (option no)`. */
export function formatKernelValue(entry: KernelPatchEntry): string {
  const v = entry.value;
  let text = v.kind === 'freeform' ? `freeform ${quoteNixString(v.value)}` : v.kind;
  if (entry.optional) text = `option ${v.kind === 'freeform' ? `(${text})` : text}`;
  const priority = entry.priority ?? Priority.plain;
  if (priority === Priority.plain) return text;
  const simple = /^[a-z]+$/.test(text);
  const arg = simple ? text : `(${text})`;
  if (priority === Priority.force) return `lib.mkForce ${arg}`;
  if (priority === Priority.default) return `lib.mkDefault ${arg}`;
  return `lib.mkOverride ${priority} ${arg}`;
}

function commentText(text: string): string {
  return text.replace(/[\r\n]+/g, ' ').trim();
}

/**
 * Prints a kernel patch as a Nix file: a function of `{ lib, ... }` returning
 * `{ name = "…"; patch = null; structuredExtraConfig = with lib.kernel; { … }; }`, keys sorted in Nix
 * attribute order, one line per symbol with its comment. Throws on a duplicate symbol (a caller bug).
 */
export function emitKernelPatch(patch: KernelPatch): string {
  const lines: string[] = [];
  for (const h of patch.header ?? []) lines.push(h === '' ? '#' : `# ${commentText(h)}`);
  lines.push('{ lib, ... }:', '{', `  name = ${quoteNixString(patch.name)};`, '  patch = null;');
  const entries = [...patch.entries].sort((a, b) => compareNixNames(a.symbol, b.symbol));
  for (let i = 1; i < entries.length; i++) {
    if (entries[i].symbol === entries[i - 1].symbol) throw new Error(`duplicate symbol ${entries[i].symbol} in kernel patch`);
  }
  if (entries.length === 0) {
    lines.push('  structuredExtraConfig = with lib.kernel; { };');
  } else {
    lines.push('  structuredExtraConfig = with lib.kernel; {');
    for (const e of entries) {
      const comment = e.comment ? ` # ${commentText(e.comment)}` : '';
      lines.push(`    ${nixAttrName(e.symbol)} = ${formatKernelValue(e)};${comment}`);
    }
    lines.push('  };');
  }
  lines.push('}', '');
  return lines.join('\n');
}
