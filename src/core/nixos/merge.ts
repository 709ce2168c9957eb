// The merge of `settings` by lib.evalModules with nixpkgs' kernel_config.nix module (spec §4): per symbol,
// discharge mkMerge/mkIf, keep the whole items with the best priority, then merge them field by field
// (tristate: all equal; freeform: nullOr str; optional: "mandatory wins"), with Nix's exact error texts.
// Fields are merged lazily, in the order kernel_config.nix's renderer reads them, so the first error is
// the one Nix reports (a tristate conflict behind a non-null freeform is never evaluated, as in Nix).
import { InputError } from '../diag/errors.ts';
import {
  isProperty,
  Priority,
  type ItemDefinition,
  type KernelItem,
  type SettingsModule,
  type TristateAnswer,
  type Wrapped,
} from './kernel-value.ts';

/** A Nix evaluation error of the module system, with Nix's own text (`error: The option …`). */
export class NixEvalError extends InputError {
  /** The message without the `error: ` prefix and the `--show-trace` line. */
  readonly nixMessage: string;
  constructor(nixMessage: string) {
    super('nix/eval', formatNixError(nixMessage));
    this.name = 'NixEvalError';
    this.nixMessage = nixMessage;
  }
}

/** Formats a message as Nix prints an evaluation error on stderr (7-space continuation indent). */
export function formatNixError(message: string): string {
  return `error: ${message.split('\n').join('\n       ')}\n(use '--show-trace' to show detailed location information)`;
}

/** One definition that took part in a merge: the file it came from, its priority, its (unwrapped) value. */
export interface MergedDefinition<T> {
  readonly file: string;
  readonly priority: number;
  readonly value: T;
}

/** The merged item of one symbol; fields are computed on first read and may throw {@link NixEvalError}. */
export interface MergedItem {
  readonly name: string;
  /** The item-level definitions that survived the priority filter, in module order. */
  readonly definitions: readonly MergedDefinition<Wrapped<ItemDefinition>>[];
  tristate(): TristateAnswer;
  freeform(): string | null;
  optional(): boolean;
  /** All three fields (forces every field, like `nix eval --json` of the item). */
  value(): KernelItem;
}

/** `config.settings` after the merge: symbols in Nix attribute order (byte-wise), items lazily merged. */
export interface MergedSettings {
  readonly names: readonly string[];
  get(name: string): MergedItem | undefined;
}

interface Def {
  readonly file: string;
  readonly value: unknown;
}

// mirrors dischargeProperties, lib/modules.nix: expand mkMerge, drop mkIf false, unwrap mkIf true
function discharge(def: Def, out: Def[], where: string): void {
  const v = def.value;
  if (isProperty(v)) {
    if (v._type === 'merge') {
      for (const c of v.contents) discharge({ file: def.file, value: c }, out, where);
      return;
    }
    if (v._type === 'if') {
      if (typeof v.condition !== 'boolean') {
        throw new NixEvalError(`'mkIf' called with a non-Boolean condition (in \`${where}' defined in \`${def.file}')`);
      }
      if (v.condition) discharge({ file: def.file, value: v.content }, out, where);
      return;
    }
  }
  out.push(def);
}

function priorityOf(v: unknown): number {
  return isProperty(v) && v._type === 'override' ? v.priority : Priority.plain;
}

// mirrors filterOverrides', lib/modules.nix: keep the definitions of the best (lowest) priority, strip one layer
function filterOverrides(defs: readonly Def[]): { defs: Def[]; priority: number } {
  let best = Infinity;
  for (const d of defs) best = Math.min(best, priorityOf(d.value));
  const kept: Def[] = [];
  for (const d of defs) {
    if (priorityOf(d.value) !== best) continue;
    const v = d.value;
    kept.push(isProperty(v) && v._type === 'override' ? { file: d.file, value: v.content } : d);
  }
  return { defs: kept, priority: best };
}

// mirrors pushDownProperties, lib/modules.nix: move item-level wrappers onto each field
function pushDown(value: unknown, field: keyof ItemDefinition, out: unknown[]): void {
  if (isProperty(value)) {
    if (value._type === 'merge') {
      for (const c of value.contents) pushDown(c, field, out);
    } else if (value._type === 'if') {
      const inner: unknown[] = [];
      pushDown(value.content, field, inner);
      for (const x of inner) out.push({ _type: 'if', condition: value.condition, content: x });
    } else {
      const inner: unknown[] = [];
      pushDown(value.content, field, inner);
      for (const x of inner) out.push({ _type: 'override', priority: value.priority, content: x });
    }
    return;
  }
  if (typeof value === 'object' && value !== null && field in value) {
    out.push((value as Record<string, unknown>)[field]);
  }
}

/** Prints a value as lib.generators.toPretty does for the scalars an item holds. */
export function showNixValue(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') {
    return `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\$\{/g, '\\${').replace(/\n/g, '\\n')}"`;
  }
  return JSON.stringify(v);
}

// mirrors mergeEqualOption, lib/options.nix
function mergeEqual(loc: string, defs: readonly Def[]): unknown {
  const first = defs[0];
  for (let i = 1; i < defs.length; i++) {
    if (defs[i].value !== first.value) {
      throw new NixEvalError(
        `The option \`${loc}' has conflicting definition values:\n` +
          `- In \`${first.file}': ${showNixValue(first.value)}\n` +
          `- In \`${defs[i].file}': ${showNixValue(defs[i].value)}\n` +
          'Use `lib.mkForce value` or `lib.mkDefault value` to change the priority on any of these definitions.',
      );
    }
  }
  return first.value;
}

const FIELD_DEFAULTS = { tristate: null, freeform: null, optional: false } as const;

function mergeField(name: string, field: keyof ItemDefinition, items: readonly Def[]): unknown {
  const loc = `settings.${name}.${field}`;
  const raw: Def[] = [];
  for (const item of items) {
    const values: unknown[] = [];
    pushDown(item.value, field, values);
    for (const value of values) discharge({ file: item.file, value }, raw, loc);
  }
  // the option's default is a definition at mkOptionDefault priority
  raw.push({ file: 'kernel_config.nix', value: { _type: 'override', priority: Priority.optionDefault, content: FIELD_DEFAULTS[field] } });
  const { defs } = filterOverrides(raw);
  for (const d of defs) checkFieldType(loc, field, d);
  if (field === 'optional') return !defs.some((d) => d.value === false); // mergeFalseByDefault
  if (field === 'freeform') {
    const nulls = defs.filter((d) => d.value === null).length;
    if (nulls === defs.length) return null;
    if (nulls > 0) {
      // mirrors types.nullOr's merge, lib/types.nix
      const files = defs.map((d) => `\`${d.file}'`).join(' and ');
      throw new NixEvalError(`The option \`${loc}\` is defined both null and not null, in ${files}.`);
    }
  }
  return mergeEqual(loc, defs);
}

function checkFieldType(loc: string, field: keyof ItemDefinition, d: Def): void {
  const v = d.value;
  const ok =
    field === 'tristate'
      ? v === null || v === 'y' || v === 'm' || v === 'n'
      : field === 'freeform'
        ? v === null || typeof v === 'string'
        : typeof v === 'boolean';
  if (!ok) {
    const type = field === 'tristate' ? 'one of "y", "m", "n", null' : field === 'freeform' ? 'null or string' : 'boolean';
    throw new NixEvalError(`A definition for option \`${loc}' is not of type \`${type}'. Definition values:\n- In \`${d.file}': ${showNixValue(v)}`);
  }
}

/** Nix attribute-name order: plain byte-wise comparison (UTF-16 order equals it for ASCII names). */
export function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Merges the `settings` of `modules` (in module order, as generic.nix lists them) the way lib.evalModules
 * does with kernel_config.nix. Item-level work (mkIf/mkMerge, priority) happens now; field merges and
 * their errors happen when a field is read.
 */
export function mergeSettings(modules: readonly SettingsModule[]): MergedSettings {
  const byName = new Map<string, Def[]>();
  for (const m of modules) {
    for (const name of Object.keys(m.settings)) {
      let list = byName.get(name);
      if (!list) byName.set(name, (list = []));
      list.push({ file: m.file, value: m.settings[name] });
    }
  }
  const items = new Map<string, MergedItem>();
  for (const [name, defs] of byName) {
    const discharged: Def[] = [];
    for (const d of defs) discharge(d, discharged, `settings.${name}`);
    if (discharged.length === 0) continue; // no definition left: the symbol is absent (optionalValue)
    const { defs: survivors, priority } = filterOverrides(discharged);
    items.set(name, makeItem(name, survivors, priority));
  }
  const names = [...items.keys()].sort(compareNames);
  return { names, get: (name) => items.get(name) };
}

function makeItem(name: string, survivors: readonly Def[], priority: number): MergedItem {
  const cache = new Map<string, unknown>();
  const field = (f: keyof ItemDefinition): unknown => {
    if (!cache.has(f)) cache.set(f, mergeField(name, f, survivors));
    return cache.get(f);
  };
  const item: MergedItem = {
    name,
    definitions: survivors.map((d) => ({ file: d.file, priority, value: d.value as Wrapped<ItemDefinition> })),
    tristate: () => field('tristate') as TristateAnswer,
    freeform: () => field('freeform') as string | null,
    optional: () => field('optional') as boolean,
    value: () => ({ freeform: item.freeform(), optional: item.optional(), tristate: item.tristate() }),
  };
  return item;
}
