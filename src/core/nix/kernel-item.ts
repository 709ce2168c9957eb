// One structured-config item (nixpkgs' `lib.kernel` values) and the module-system merge of several
// definitions of it, as `lib.evalModules` does for `settings.NAME` in nixos/modules/system/boot/kernel_config.nix.
// Behaviour read from nixpkgs' lib/modules.nix (dischargeProperties, filterOverrides, mergeDefinitions) and
// kernel_config.nix (field types and merges); written here from the spec in research/nixos-config-pipeline.md §4.

/** A tristate answer as nixpkgs spells it (`lib.kernel.yes` is `"y"`); null is `unset`. */
export type NixTristate = 'y' | 'm' | 'n' | null;

/** A merged structured-config item: the fields of kernel_config.nix' `settings.NAME` submodule. */
export interface KernelItem {
  readonly tristate: NixTristate;
  readonly freeform: string | null;
  readonly optional: boolean;
}

/** Module-system priorities (lower wins), as `lib.mkOverride` numbers them. */
export const Priority = {
  vmOverride: 10,
  force: 50,
  imageMediaOverride: 60,
  plain: 100,
  default: 1000,
  optionDefault: 1500,
} as const;

/** One definition of a symbol: the raw JSON value (with `_type` wrappers) and where it came from. */
export interface ItemDefinition {
  /** File or patch name shown in conflicts (nixpkgs shows `_file`, e.g. `structuredExtraConfig`). */
  readonly file: string;
  readonly value: unknown;
}

/** The result of merging a symbol's definitions: absent, an item with its winning priority, or an error. */
export type MergedItem =
  | { readonly kind: 'absent' }
  | { readonly kind: 'item'; readonly item: KernelItem; readonly priority: number; readonly files: readonly string[] }
  | { readonly kind: 'error'; readonly message: string };

type Wrapped = { readonly _type: string; readonly [key: string]: unknown };

function isWrapper(v: unknown): v is Wrapped {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && typeof (v as { _type?: unknown })._type === 'string';
}

class MergeFailure extends Error {}

// mirrors dischargeProperties(), lib/modules.nix: expand mkMerge, drop mkIf false, unwrap mkIf true.
function discharge(value: unknown, where: string): unknown[] {
  if (isWrapper(value)) {
    if (value._type === 'merge') {
      const contents = value.contents;
      if (!Array.isArray(contents)) throw new MergeFailure(`${where}: mkMerge expects a list`);
      return contents.flatMap((c) => discharge(c, where));
    }
    if (value._type === 'if') {
      if (typeof value.condition !== 'boolean') {
        throw new MergeFailure(`${where}: mkIf called with a non-Boolean condition`);
      }
      return value.condition ? discharge(value.content, where) : [];
    }
  }
  return [value];
}

interface Prioritised {
  readonly file: string;
  readonly priority: number;
  readonly value: unknown;
}

// mirrors filterOverrides'(), lib/modules.nix: keep only the definitions with the lowest priority number,
// stripping one override wrapper (then discharging what it wrapped).
function filterOverrides(defs: readonly { file: string; value: unknown }[], where: string): Prioritised[] {
  const withPrio: Prioritised[] = [];
  for (const d of defs) {
    for (const v of discharge(d.value, where)) {
      if (isWrapper(v) && v._type === 'override') {
        const priority = typeof v.priority === 'number' ? v.priority : Priority.plain;
        for (const inner of discharge(v.content, where)) withPrio.push({ file: d.file, priority, value: inner });
      } else {
        withPrio.push({ file: d.file, priority: Priority.plain, value: v });
      }
    }
  }
  if (withPrio.length === 0) return [];
  const best = Math.min(...withPrio.map((d) => d.priority));
  return withPrio.filter((d) => d.priority === best);
}

const fieldNames = new Set(['tristate', 'freeform', 'optional']);

function showNix(v: unknown): string {
  return v === null ? 'null' : typeof v === 'string' ? JSON.stringify(v) : String(v);
}

/**
 * Merges every definition of `settings.NAME` the way the NixOS module system does (research spec §4.3):
 * item-level discharge and priority filter (whole items compete), then a field-by-field merge of the
 * survivors (`tristate` and `freeform` must agree, `optional` is false if any definition says false).
 * Conflicts come back as `{ kind: 'error' }` with nixpkgs' wording.
 */
export function mergeItemDefinitions(name: string, defs: readonly ItemDefinition[]): MergedItem {
  const where = `settings.${name}`;
  try {
    const survivors = filterOverrides(defs, where);
    if (survivors.length === 0) return { kind: 'absent' };
    const fields: Record<string, { file: string; value: unknown }[]> = { tristate: [], freeform: [], optional: [] };
    for (const s of survivors) {
      const body = s.value;
      if (typeof body !== 'object' || body === null || Array.isArray(body)) {
        throw new MergeFailure(`A definition for option \`${where}' is not of type \`submodule' (in \`${s.file}'): ${showNix(body)}`);
      }
      for (const [key, value] of Object.entries(body)) {
        if (!fieldNames.has(key)) {
          throw new MergeFailure(`The option \`${where}.${key}' does not exist (in \`${s.file}'); items have tristate, freeform and optional`);
        }
        fields[key].push({ file: s.file, value });
      }
    }
    const tristate = mergeEqual(`${where}.tristate`, filterOverrides(fields.tristate, where), null) as NixTristate;
    if (tristate !== null && tristate !== 'y' && tristate !== 'm' && tristate !== 'n') {
      throw new MergeFailure(`The option \`${where}.tristate' is not one of "y" "m" "n" null: ${showNix(tristate)}`);
    }
    const freeformDefs = filterOverrides(fields.freeform, where);
    const nulls = freeformDefs.filter((d) => d.value === null);
    const strings = freeformDefs.filter((d) => d.value !== null);
    if (nulls.length > 0 && strings.length > 0) {
      throw new MergeFailure(`The option \`${where}.freeform\` is defined both null and not null, in \`${nulls[0].file}' and \`${strings[0].file}'.`);
    }
    const freeform = strings.length === 0 ? null : mergeEqual(`${where}.freeform`, strings, null);
    if (freeform !== null && typeof freeform !== 'string') {
      throw new MergeFailure(`The option \`${where}.freeform' is not of type \`null or string': ${showNix(freeform)}`);
    }
    const optionalDefs = filterOverrides(fields.optional, where);
    const optional = optionalDefs.length > 0 && optionalDefs.every((d) => d.value === true);
    const files = [...new Set(survivors.map((s) => s.file))];
    return { kind: 'item', item: { tristate, freeform, optional }, priority: survivors[0].priority, files };
  } catch (error) {
    if (error instanceof MergeFailure) return { kind: 'error', message: error.message };
    throw error;
  }
}

// mirrors mergeEqualOption(), lib/options.nix: every definition must have the same value.
function mergeEqual(where: string, defs: readonly Prioritised[], fallback: unknown): unknown {
  if (defs.length === 0) return fallback;
  const first = defs[0];
  const other = defs.find((d) => JSON.stringify(d.value) !== JSON.stringify(first.value));
  if (other) {
    throw new MergeFailure(
      `The option \`${where}' has conflicting definition values:\n` +
        `- In \`${first.file}': ${showNix(first.value)}\n- In \`${other.file}': ${showNix(other.value)}\n` +
        'Use `lib.mkForce value` or `lib.mkDefault value` to change the priority on any of these definitions.',
    );
  }
  return first.value;
}

/**
 * The answer kernel_config.nix renders for an item (spec §5): freeform wins over tristate; null means no line.
 * `""` stands for the two-character answer nixpkgs writes for `freeform ""`.
 */
export function renderedAnswer(item: KernelItem): string | null {
  const v = item.freeform ?? item.tristate;
  if (v === null) return null;
  return v === '' ? '""' : v;
}

/** Compares symbol names in Nix attribute order (byte-wise), as `builtins.attrNames` sorts them. */
export function compareNixNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
