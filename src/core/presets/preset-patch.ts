// The presets' Kconfig lines as one kernel patch's structuredExtraConfig on top of the user's config: each
// line at the priority that makes it win (plain when nothing else defines the name or agrees, else mkForce,
// or one below the user's own mkForce), fallout lines only for names the user's config defines; and the check
// that the simulated .config holds what the presets meant.
import { InputError } from '../diag/errors.ts';
import { Priority, type ItemDefinition, type SettingsDefinition, type Wrapped } from '../nixos/kernel-value.ts';
import type { MergedSettings } from '../nixos/merge.ts';
import { presetValueNix, type PresetValue, type ResolvedPreset } from './preset.ts';

/** One line of the presets' kernel patch: `NAME = <nix>;` with the presets and reasons behind it. */
export interface PresetPatchLine {
  readonly name: string;
  /** The Nix expression, e.g. `no`, `lib.mkForce unset`. */
  readonly nix: string;
  /** The same value as a definition for the simulation. */
  readonly definition: Wrapped<ItemDefinition>;
  readonly value: PresetValue;
  readonly role: 'intent' | 'fallout';
  /** `preset: why` for each preset that asked for the line. */
  readonly comments: readonly string[];
  /** Why the priority: empty for plain; `common-config.nix says y` and the like otherwise. */
  readonly priorityWhy: string;
}

function itemOf(v: PresetValue): ItemDefinition {
  if (typeof v !== 'string') return { freeform: v.freeform, optional: false };
  if (v === 'option yes') return { tristate: 'y', optional: true };
  return { tristate: v === 'yes' ? 'y' : v === 'no' ? 'n' : v === 'module' ? 'm' : null, optional: false };
}

function rendered(v: PresetValue): string | null {
  if (typeof v !== 'string') return v.freeform;
  return v === 'yes' || v === 'option yes' ? 'y' : v === 'no' ? 'n' : v === 'module' ? 'm' : null;
}

function sameValue(a: PresetValue, b: PresetValue): boolean {
  return presetValueNix(a) === presetValueNix(b);
}

/**
 * The lines the presets add to `existing` (the user's merged settings, common-config.nix included; undefined
 * when unknown, as in `kfit preset show`: then every fallout line is kept, at mkForce).
 * Two presets that set one name to different values are an InputError.
 */
export function presetPatchLines(presets: readonly ResolvedPreset[], existing?: MergedSettings): PresetPatchLine[] {
  const wanted = new Map<string, { value: PresetValue; role: 'intent' | 'fallout'; comments: string[]; by: string }>();
  for (const p of presets) {
    for (const l of p.lines) {
      const seen = wanted.get(l.name);
      if (seen && !sameValue(seen.value, l.value)) {
        // an intent beats another preset's fallout (tiny-boot's own choice vs clang's cleanup); two intents conflict
        if (seen.role === 'intent' && l.role === 'intent') {
          throw new InputError('preset/conflict', `kfit: presets ${seen.by} and ${p.name} disagree on ${l.name} (${presetValueNix(seen.value)} vs ${presetValueNix(l.value)}); apply one of them`);
        }
        if (seen.role === 'intent') continue;
        // two fallout lines: dropping the line (unset) is what both can live with
        if (seen.value === 'unset' && l.role === 'fallout') continue;
        wanted.set(l.name, { value: l.value, role: l.role, comments: [`${p.name}: ${l.why}`], by: p.name });
        continue;
      }
      if (seen) seen.comments.push(`${p.name}: ${l.why}`);
      else wanted.set(l.name, { value: l.value, role: l.role, comments: [`${p.name}: ${l.why}`], by: p.name });
    }
  }
  const out: PresetPatchLine[] = [];
  for (const [name, w] of wanted) {
    const item = existing?.get(name);
    let current: string | null = null;
    let best: number = Priority.plain;
    if (item) {
      current = item.freeform() ?? item.tristate();
      best = item.definitions[0]?.priority ?? Priority.plain;
    }
    // fallout lines only matter where the user's config sets the name (an unset of nothing renders nothing)
    if (w.role === 'fallout' && existing && current === null) continue;
    const value = itemOf(w.value);
    // the same value and the same `optional` (nixpkgs merges the field like any bool: a mismatch is a conflict)
    const agrees = existing !== undefined && current === rendered(w.value) && (current === null || item?.optional() === (value.optional ?? false));
    let nix = presetValueNix(w.value);
    let definition: Wrapped<ItemDefinition> = value;
    let priorityWhy = '';
    if (!agrees && (existing === undefined || current !== null)) {
      const prio = best <= Priority.force ? best - 1 : Priority.force;
      const inner = nix.includes(' ') ? `(${nix})` : nix;
      nix = prio === Priority.force ? `lib.mkForce ${inner}` : `lib.mkOverride ${prio} ${inner}`;
      definition = { _type: 'override', priority: prio, content: value };
      const files = item?.definitions.map((d) => d.file).filter((f, i, a) => a.indexOf(f) === i).join(', ');
      priorityWhy = current === null ? 'forced: your config may set it' : `forced over ${files}, where it is ${current === '' ? '""' : current}`;
    }
    out.push({ name, nix, definition, value: w.value, role: w.role, comments: w.comments, priorityWhy });
  }
  return out;
}

/** The lines as a settings definition (one kernel patch's structuredExtraConfig) for the merge. */
export function presetSettings(lines: readonly PresetPatchLine[]): SettingsDefinition {
  return Object.fromEntries(lines.map((l) => [l.name, l.definition]));
}

/** A value of the final .config that is not what a preset meant. */
export interface IntentMiss {
  readonly preset: string;
  readonly name: string;
  readonly wanted: string;
  /** The .config's value; `n` for not set or absent. */
  readonly got: string;
}

/** The values of a .config text: `CONFIG_X=v` (quotes kept off strings), `# CONFIG_X is not set` as `n`. */
export function dotConfigValues(text: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const line of text.split('\n')) {
    let m = /^CONFIG_([A-Za-z0-9_]+)=(.*)$/.exec(line);
    if (m) {
      values.set(m[1], m[2].startsWith('"') && m[2].endsWith('"') ? m[2].slice(1, -1) : m[2]);
      continue;
    }
    m = /^# CONFIG_([A-Za-z0-9_]+) is not set$/.exec(line);
    if (m) values.set(m[1], 'n');
  }
  return values;
}

/** Checks each preset's expected values against the final .config (`n` matches not set and absent). */
export function checkIntent(presets: readonly ResolvedPreset[], dotConfig: string): IntentMiss[] {
  const values = dotConfigValues(dotConfig);
  const misses: IntentMiss[] = [];
  for (const p of presets) {
    for (const e of p.expect) {
      const got = values.get(e.name) ?? 'n';
      if (got !== e.value) misses.push({ preset: p.name, name: e.name, wanted: e.value, got });
    }
  }
  return misses;
}
