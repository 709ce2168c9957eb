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

function sortedEntries(entries: readonly KernelPatchEntry[]): KernelPatchEntry[] {
  const sorted = [...entries].sort((a, b) => compareNixNames(a.symbol, b.symbol));
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i].symbol === sorted[i - 1].symbol) throw new Error(`duplicate symbol ${sorted[i].symbol} in kernel patch`);
  }
  return sorted;
}

// The body of one entry (`name`, `patch`, `structuredExtraConfig`), each line prefixed with `indent`.
function entryBody(patch: KernelPatch, indent: string): string[] {
  const lines = [`${indent}name = ${quoteNixString(patch.name)};`, `${indent}patch = null;`];
  const entries = sortedEntries(patch.entries);
  if (entries.length === 0) {
    lines.push(`${indent}structuredExtraConfig = with lib.kernel; { };`);
    return lines;
  }
  lines.push(`${indent}structuredExtraConfig = with lib.kernel; {`);
  for (const e of entries) {
    const comment = e.comment ? ` # ${commentText(e.comment)}` : '';
    lines.push(`${indent}  ${nixAttrName(e.symbol)} = ${formatKernelValue(e)};${comment}`);
  }
  lines.push(`${indent}};`);
  return lines;
}

/**
 * Prints a kernel patch as a Nix file: a function of `{ lib, ... }` returning
 * `{ name = "…"; patch = null; structuredExtraConfig = with lib.kernel; { … }; }`, keys sorted in Nix
 * attribute order, one line per symbol with its comment. Throws on a duplicate symbol (a caller bug).
 */
export function emitKernelPatch(patch: KernelPatch): string {
  const lines: string[] = [];
  for (const h of patch.header ?? []) lines.push(h === '' ? '#' : `# ${commentText(h)}`);
  lines.push('{ lib, ... }:', '{', ...entryBody(patch, '  '), '}', '');
  return lines.join('\n');
}

/** A named kernel patch in a set, with comment lines above it. */
export interface NamedKernelPatch extends KernelPatch {
  /** Attribute name of the entry in the set. */
  readonly attr: string;
}

/**
 * Prints several kernel patches as one Nix file the user picks from (derpconfig's `patches.nix` shape):
 * `{ lib, ... }: { attr = { name; patch = null; structuredExtraConfig = …; }; … }`, in the given order,
 * each entry preceded by its `header` lines as comments; `all` lists every entry for `boot.kernelPatches`.
 */
export function emitKernelPatchSet(patches: readonly NamedKernelPatch[], header: readonly string[] = []): string {
  const lines: string[] = [];
  for (const h of header) lines.push(h === '' ? '#' : `# ${commentText(h)}`);
  lines.push('{ lib, ... }:', 'rec {');
  if (patches.length === 0) lines.push('  all = [ ];');
  else lines.push('  all = [', ...patches.map((p) => `    ${nixAttrName(p.attr)}`), '  ];');
  for (const p of patches) {
    lines.push('');
    for (const h of p.header ?? []) lines.push(`  # ${commentText(h)}`);
    lines.push(`  ${nixAttrName(p.attr)} = {`, ...entryBody(p, '    '), '  };');
  }
  lines.push('}', '');
  return lines.join('\n');
}
