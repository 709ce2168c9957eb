// Structured kernel-config values as nixpkgs' `lib.kernel` builds them, and the module-system property
// wrappers (`mkIf`, `mkOverride`, `mkMerge`) they travel in. The JSON shape is the one the fixtures'
// `structured.json` use (`{"_type":"if",…}`), so definitions read from `nix eval --json` fit unchanged.

/** The value of an item's `tristate` field: `"y"`, `"m"`, `"n"` or null (nixpkgs' `unset`). */
export type TristateAnswer = 'y' | 'm' | 'n' | null;

/** `lib.mkIf condition content`. */
export interface MkIf<T> {
  readonly _type: 'if';
  readonly condition: boolean;
  readonly content: Wrapped<T>;
}

/** `lib.mkOverride priority content` (`mkForce` = 50, `mkDefault` = 1000, `mkOptionDefault` = 1500). */
export interface MkOverride<T> {
  readonly _type: 'override';
  readonly priority: number;
  readonly content: Wrapped<T>;
}

/** `lib.mkMerge contents`. */
export interface MkMerge<T> {
  readonly _type: 'merge';
  readonly contents: readonly Wrapped<T>[];
}

/** A value possibly wrapped in module-system properties. */
export type Wrapped<T> = T | MkIf<T> | MkOverride<T> | MkMerge<T>;

/** One definition of a structured-config item (`{ tristate; freeform; optional; }`, each field optional). */
export interface ItemDefinition {
  readonly tristate?: Wrapped<TristateAnswer>;
  readonly freeform?: Wrapped<string | null>;
  readonly optional?: Wrapped<boolean>;
}

/** A module's `settings`: symbol (without `CONFIG_`) → item definition. */
export type SettingsDefinition = Readonly<Record<string, Wrapped<ItemDefinition>>>;

/** One module of the merge: where it comes from (`_file`) and its `settings`. */
export interface SettingsModule {
  /** nixpkgs' `_file`: `pkgs/os-specific/linux/kernel/common-config.nix`, `structuredExtraConfig`, `<unknown-file>`. */
  readonly file: string;
  readonly settings: SettingsDefinition;
}

/** A merged item, as `config.settings.NAME` reads after `lib.evalModules`. */
export interface KernelItem {
  readonly tristate: TristateAnswer;
  readonly freeform: string | null;
  readonly optional: boolean;
}

/** nixpkgs' priorities (`lib.mkOverride` numbers). */
export const Priority = {
  vmOverride: 10,
  force: 50,
  imageMediaOverride: 60,
  plain: 100,
  default: 1000,
  optionDefault: 1500,
} as const;

/** `_file` of the module generic.nix builds from common-config.nix. */
export const COMMON_CONFIG_FILE = 'pkgs/os-specific/linux/kernel/common-config.nix';
/** `_file` of the module generic.nix builds from its `structuredExtraConfig` argument. */
export const STRUCTURED_EXTRA_CONFIG_FILE = 'structuredExtraConfig';
/** What Nix shows for a module without `_file` (every kernel patch's `structuredExtraConfig`). */
export const UNKNOWN_FILE = '<unknown-file>';

/** `lib.kernel.yes`. */
export const yes: ItemDefinition = { tristate: 'y', optional: false };
/** `lib.kernel.no`. */
export const no: ItemDefinition = { tristate: 'n', optional: false };
/** `lib.kernel.module`. */
export const module: ItemDefinition = { tristate: 'm', optional: false };
/** `lib.kernel.unset`: tristate null, which at the same priority conflicts with any other tristate. */
export const unset: ItemDefinition = { tristate: null, optional: false };

/** `lib.kernel.freeform s`. */
export function freeform(value: string): ItemDefinition {
  return { freeform: value, optional: false };
}

/** `lib.kernel.option x`: a shallow update setting `optional = true` (a `?` line). */
export function option(item: ItemDefinition): ItemDefinition {
  return { ...item, optional: true };
}

/** `lib.mkIf`. */
export function mkIf<T>(condition: boolean, content: Wrapped<T>): MkIf<T> {
  return { _type: 'if', condition, content };
}

/** `lib.mkOverride`. */
export function mkOverride<T>(priority: number, content: Wrapped<T>): MkOverride<T> {
  return { _type: 'override', priority, content };
}

/** `lib.mkForce` (priority 50). */
export function mkForce<T>(content: Wrapped<T>): MkOverride<T> {
  return mkOverride(Priority.force, content);
}

/** `lib.mkDefault` (priority 1000). */
export function mkDefault<T>(content: Wrapped<T>): MkOverride<T> {
  return mkOverride(Priority.default, content);
}

/** `lib.mkMerge`. */
export function mkMerge<T>(contents: readonly Wrapped<T>[]): MkMerge<T> {
  return { _type: 'merge', contents };
}

/** `lib.kernel.whenAtLeast version minimum x`. */
export function whenAtLeast<T>(version: string, minimum: string, content: Wrapped<T>): MkIf<T> {
  return mkIf(compareVersions(version, minimum) >= 0, content);
}

/** `lib.kernel.whenOlder version maximum x`. */
export function whenOlder<T>(version: string, maximum: string, content: Wrapped<T>): MkIf<T> {
  return mkIf(compareVersions(version, maximum) < 0, content);
}

/** `lib.kernel.whenBetween version lo hi x`: at least `lo` and older than `hi`. */
export function whenBetween<T>(version: string, lo: string, hi: string, content: Wrapped<T>): MkIf<T> {
  return mkIf(compareVersions(version, lo) >= 0 && compareVersions(version, hi) < 0, content);
}

// mirrors splitVersion / compareVersionComponents, Nix's libexpr/primops (builtins.compareVersions)
function versionComponents(v: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < v.length) {
    const c = v[i];
    if (c === '.' || c === '-') {
      i++;
      continue;
    }
    const digit = c >= '0' && c <= '9';
    let j = i;
    while (j < v.length && v[j] !== '.' && v[j] !== '-' && (v[j] >= '0' && v[j] <= '9') === digit) j++;
    out.push(v.slice(i, j));
    i = j;
  }
  return out;
}

function componentLess(a: string, b: string): boolean {
  const an = /^\d+$/.test(a);
  const bn = /^\d+$/.test(b);
  if (an && bn) return Number(a) < Number(b);
  if (a === '' && bn) return true;
  if (a === 'pre' && b !== 'pre') return true;
  if (b === 'pre') return false;
  if (an) return false;
  if (bn) return true;
  return a < b;
}

/** `builtins.compareVersions a b`: −1, 0 or 1, component-wise as Nix does it. */
export function compareVersions(a: string, b: string): -1 | 0 | 1 {
  const ca = versionComponents(a);
  const cb = versionComponents(b);
  for (let i = 0; i < Math.max(ca.length, cb.length); i++) {
    const x = ca[i] ?? '';
    const y = cb[i] ?? '';
    if (x === y) continue;
    if (componentLess(x, y)) return -1;
    if (componentLess(y, x)) return 1;
  }
  return 0;
}

/** True when `v` is a property wrapper (`mkIf`, `mkOverride`, `mkMerge`) rather than a plain value. */
export function isProperty(v: unknown): v is MkIf<unknown> | MkOverride<unknown> | MkMerge<unknown> {
  if (typeof v !== 'object' || v === null) return false;
  const t = (v as { _type?: unknown })._type;
  return t === 'if' || t === 'override' || t === 'merge';
}
