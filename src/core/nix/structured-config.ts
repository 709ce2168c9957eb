// From evaluated kernel patches to merged answers and a `.config` fragment (`kfit nix to-config`).
import { diagnostic, type Diagnostic } from '../diag/index.ts';
import { mergeSettings, NixEvalError, type SettingsDefinition, type SettingsModule } from '../nixos/index.ts';
import type { KernelItem } from './kernel-item.ts';
import type { EvaluatedPatch } from './structured-eval.ts';

/** One merged symbol of a structured config, with the priority that won and where it came from. */
export interface StructuredAnswer {
  readonly symbol: string;
  readonly item: KernelItem;
  readonly priority: number;
  /** Files (and patch names) of the winning definitions. */
  readonly sources: readonly string[];
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function wrapperType(v: unknown): string | undefined {
  return isPlainObject(v) && typeof v._type === 'string' ? v._type : undefined;
}

// mirrors pushDownProperties(), lib/modules.nix: a wrapper around a whole settings set applies to each item.
function pushDown(settings: unknown, wrap: (v: unknown) => unknown, out: Map<string, unknown[]>, where: string): void {
  const t = wrapperType(settings);
  if (t === 'merge' && Array.isArray((settings as { contents?: unknown }).contents)) {
    for (const c of (settings as { contents: unknown[] }).contents) pushDown(c, wrap, out, where);
    return;
  }
  if (t === 'if' || t === 'override') {
    const s = settings as Record<string, unknown>;
    const rewrap = (v: unknown): unknown => wrap({ ...s, content: v });
    pushDown(s.content, rewrap, out, where);
    return;
  }
  if (!isPlainObject(settings)) throw new Error(`${where}: structuredExtraConfig is not an attribute set`);
  for (const [name, value] of Object.entries(settings)) {
    let list = out.get(name);
    if (!list) out.set(name, (list = []));
    list.push(wrap(value));
  }
}

/** Where a patch's definitions are reported as coming from: `file (name)`. */
export function patchLabel(p: EvaluatedPatch): string {
  return p.name === null ? p.file : `${p.file} (${p.name})`;
}

/**
 * Merges the definitions of every symbol across `patches` (in order) with the module-system rules (the NixOS
 * model's `mergeSettings`: lib.evalModules + kernel_config.nix), returning the answers sorted by name plus
 * diagnostics: conflicts are errors (`nix/conflict`, nixpkgs' wording), the old key `extraStructuredConfig`
 * and a `CONFIG_` prefix are warnings.
 */
export function mergeStructuredPatches(patches: readonly EvaluatedPatch[]): { answers: StructuredAnswer[]; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const modules: SettingsModule[] = [];
  for (const p of patches) {
    const label = patchLabel(p);
    if (p.oldKey) {
      diagnostics.push(diagnostic('warning', 'nix/old-key', `${label}: uses \`extraStructuredConfig\`; current nixpkgs rejects it in boot.kernelPatches, rename it to \`structuredExtraConfig\``));
    }
    const perName = new Map<string, unknown[]>();
    try {
      pushDown(p.settings, (v) => v, perName, label);
    } catch (error) {
      diagnostics.push(diagnostic('error', 'nix/shape', (error as Error).message));
      continue;
    }
    const settings: Record<string, unknown> = {};
    for (const [name, values] of perName) {
      if (name.startsWith('CONFIG_')) {
        diagnostics.push(diagnostic('warning', 'nix/config-prefix', `${label}: ${name}: structured config names have no CONFIG_ prefix`));
      }
      settings[name] = values.length === 1 ? values[0] : { _type: 'merge', contents: values };
    }
    modules.push({ file: label, settings: settings as SettingsDefinition });
  }
  const merged = mergeSettings(modules);
  const answers: StructuredAnswer[] = [];
  for (const name of merged.names) {
    const item = merged.get(name)!;
    try {
      const value = item.value();
      answers.push({ symbol: name, item: value, priority: item.definitions[0].priority, sources: [...new Set(item.definitions.map((d) => d.file))] });
    } catch (error) {
      if (!(error instanceof NixEvalError)) throw error;
      diagnostics.push(diagnostic('error', 'nix/conflict', error.nixMessage));
    }
  }
  return { answers, diagnostics };
}

/** How a freeform answer is written to `.config` when the symbol's type is known (or guessed). */
export type FreeformType = 'string' | 'int' | 'hex';

/** Guesses a freeform's Kconfig type from its text: decimal → int, `0x…` → hex, anything else → string. */
export function guessFreeformType(value: string): FreeformType {
  if (/^-?[0-9]+$/.test(value)) return 'int';
  if (/^0[xX][0-9a-fA-F]+$/.test(value)) return 'hex';
  return 'string';
}

/** Escapes a string value the way the kernel's confdata.c writes it (`\` and `"` get a backslash). */
export function quoteConfigString(value: string): string {
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/**
 * Renders answers as `.config` lines: `CONFIG_X=y`, `# CONFIG_X is not set`, `CONFIG_X="text"`; an
 * `unset` answer (no value) writes nothing. `typeOf` gives the Kconfig type when a model is at hand.
 */
export function renderConfigFragment(answers: readonly StructuredAnswer[], typeOf?: (symbol: string) => FreeformType | undefined): string {
  let out = '';
  for (const a of answers) {
    const { tristate, freeform } = a.item;
    if (freeform !== null) {
      const type = typeOf?.(a.symbol) ?? guessFreeformType(freeform);
      out += `CONFIG_${a.symbol}=${type === 'string' ? quoteConfigString(freeform) : freeform}\n`;
    } else if (tristate === 'n') {
      out += `# CONFIG_${a.symbol} is not set\n`;
    } else if (tristate !== null) {
      out += `CONFIG_${a.symbol}=${tristate}\n`;
    }
  }
  return out;
}
