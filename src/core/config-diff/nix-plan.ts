// From two `.config`s to the minimal structured config that turns OLD into NEW on NixOS (`kfit nix from-config`):
// which symbols to write, with which value and priority, and what was left out and why.
import { Priority, renderedAnswer, type KernelItem } from '../nix/kernel-item.ts';
import type { KernelPatchEntry, NixKernelValue } from '../nix/kernel-patch.ts';
import { configStringContent, type ConfigValues } from './config-values.ts';
import { selectorsOf, type MenuOutline } from './menu-outline.ts';
import { diffConfigs, type ConfigChange } from './semantic-diff.ts';

/** NixOS' own merged answer for a symbol (common-config), with the priority of its winning definition. */
export interface NixosAnswer {
  readonly item: KernelItem;
  readonly priority: number;
}

/** Symbol → NixOS' own answer (from the NixOS pipeline model). */
export type NixosAnswers = ReadonlyMap<string, NixosAnswer>;

/** What an evaluation produced: the config, and symbols the pipeline complained about. */
export interface EvaluationOutcome {
  readonly values: ConfigValues;
  /**
   * Symbols NixOS' generate-config.pl would report that a stock run does not (`unused option`, `option not set
   * correctly`): they need an explicit answer (the NEW value, or `unset`).
   */
  readonly flagged?: readonly string[];
  /** Answers the pipeline cannot take (NixOS: conf rejects them and generate-config.pl dies); left out. */
  readonly impossible?: readonly string[];
}

/**
 * Evaluates OLD with `answers` applied as user answers (later lines win) and returns the resulting config,
 * like `make olddefconfig` on OLD + answers, or NixOS' pipeline with the answers forced. Any engine will do:
 * kfit's Kconfig evaluator, the kernel's conf, or the NixOS simulation.
 */
export type ConfigEvaluator = (answers: ConfigValues) => ConfigValues | EvaluationOutcome;

/** Normalises what an evaluator returned to an outcome. */
export function outcomeOf(r: ConfigValues | EvaluationOutcome): EvaluationOutcome {
  return r instanceof Map ? { values: r } : (r as EvaluationOutcome);
}

/** Why a changed symbol is not in the Nix file. */
export type OmissionReason =
  | 'vanished' // absent from NEW: its dependencies are off, it goes away with its parent
  | 'no-prompt' // no prompt: its value follows from defaults and selects
  | 'appeared' // absent from OLD: it took its default once its parent was enabled
  | 'selected' // selected or implied by a symbol NEW enables
  | 'nixos-same' // NixOS already answers it the same way
  | 'nixos-optional' // vanished, and NixOS only answers it optionally (generate-config.pl warns, no error)
  | 'unknown' // not defined by this kernel tree
  | 'impossible'; // the pipeline cannot take this answer (conf rejects it)

/** Why an entry was added by the check rather than by the diff. */
export interface PutBack {
  readonly symbol: string;
  readonly detail: string;
}

/** A changed symbol left out of the Nix file. */
export interface Omission {
  readonly symbol: string;
  readonly reason: OmissionReason;
  readonly detail: string;
}

/** A changed symbol whose NEW value the written file does not reproduce (when an evaluator checked). */
export interface Unreproduced {
  readonly symbol: string;
  readonly want: string | undefined;
  readonly got: string | undefined;
}

/** The plan: entries for the printer, what was left out, and the evaluator's verdict. */
export interface NixPlan {
  readonly changes: readonly ConfigChange[];
  readonly entries: readonly KernelPatchEntry[];
  readonly omitted: readonly Omission[];
  readonly unreproduced: readonly Unreproduced[];
  /** Evaluations run (0 without an evaluator). */
  readonly rounds: number;
  /** Entries the check added for symbols that did not change but are no longer implied, or that NixOS flagged. */
  readonly added: readonly PutBack[];
}

/** Inputs of {@link planNixChanges} beyond the two configs. */
export interface NixPlanOptions {
  /** The tree's menu outline: comments, unknown symbols, prompts and selects. */
  readonly outline?: MenuOutline;
  /** NixOS' own answers: decides `lib.mkForce`, `unset` for vanished symbols, and what NixOS already sets. */
  readonly nixos?: NixosAnswers;
  /** Checks minimality: tentatively left-out symbols are put back when the result does not reproduce NEW. */
  readonly evaluate?: ConfigEvaluator;
  /** Most evaluation rounds (default 6). */
  readonly maxRounds?: number;
}

/** The Nix value for a `.config` value: `y` → yes, `m` → module, `n` → no, anything else → freeform. */
export function nixValueOf(raw: string): NixKernelValue {
  if (raw === 'y') return { kind: 'yes' };
  if (raw === 'm') return { kind: 'module' };
  if (raw === 'n') return { kind: 'no' };
  return { kind: 'freeform', value: configStringContent(raw) };
}

function answerOf(value: NixKernelValue): string | null {
  switch (value.kind) {
    case 'yes': return 'y';
    case 'module': return 'm';
    case 'no': return 'n';
    case 'unset': return null;
    default: return value.value === '' ? '""' : value.value;
  }
}

/**
 * The priority our definition needs against NixOS' own (research spec §4.3: whole items compete by priority;
 * at equal priority differing tristates conflict and a freeform beats a tristate). Plain (100) when NixOS does
 * not answer, answers the same, answers at a weaker priority, or when our freeform wins anyway; `lib.mkForce`
 * (50) against a plain definition; one stronger than NixOS' otherwise.
 */
export function priorityAgainst(nixos: NixosAnswer | undefined, value: NixKernelValue): number {
  if (!nixos || nixos.priority > Priority.plain) return Priority.plain;
  if (renderedAnswer(nixos.item) === answerOf(value)) return Priority.plain;
  if (value.kind === 'freeform' && nixos.item.freeform === null) return Priority.plain;
  return nixos.priority > Priority.force ? Priority.force : nixos.priority - 1;
}

/** The comment written after a symbol: `Menu > Submenu: prompt`. */
export function menuComment(outline: MenuOutline | undefined, symbol: string): string | undefined {
  const o = outline?.get(symbol);
  if (!o) return undefined;
  const path = o.path.join(' > ');
  if (o.prompt === undefined) return path === '' ? undefined : path;
  return path === '' ? o.prompt : `${path}: ${o.prompt}`;
}

/**
 * Plans the structured config that turns OLD into NEW: every changed symbol, minus those that follow from
 * other changes (vanished with a parent, promptless, appeared with its default, selected) and those NixOS
 * already answers the same way; `unset` (forced when needed) for vanished symbols NixOS would answer.
 * With an evaluator, tentative omissions are checked and put back until NEW is reproduced.
 */
export function planNixChanges(oldValues: ConfigValues, newValues: ConfigValues, options: NixPlanOptions = {}): NixPlan {
  const { outline, nixos } = options;
  const changes = diffConfigs(oldValues, newValues);
  const selectors = outline ? selectorsOf(outline) : undefined;
  const kept = new Map<string, KernelPatchEntry>();
  const omitted = new Map<string, Omission>();
  const tentative = new Set<string>();
  const entryFor = (symbol: string, value: NixKernelValue): KernelPatchEntry => {
    const priority = priorityAgainst(nixos?.get(symbol), value);
    return { symbol, value, priority, comment: menuComment(outline, symbol) };
  };
  for (const c of changes) {
    const s = c.symbol;
    const o = outline?.get(s);
    if (outline && !o) {
      omitted.set(s, { symbol: s, reason: 'unknown', detail: `${s} is not defined by this kernel tree` });
      continue;
    }
    const n = nixos?.get(s);
    if (c.new === undefined) {
      const answer = n ? renderedAnswer(n.item) : null;
      if (n && answer !== null && n.item.optional) {
        omitted.set(s, { symbol: s, reason: 'nixos-optional', detail: `vanished; NixOS answers it optionally (${answer}), generate-config.pl only warns` });
      } else if (n && answer !== null) {
        kept.set(s, entryFor(s, { kind: 'unset' }));
      } else {
        omitted.set(s, { symbol: s, reason: 'vanished', detail: `not in NEW: its dependencies are off (was ${c.old})` });
      }
      continue;
    }
    const value = nixValueOf(c.new);
    if (n && renderedAnswer(n.item) === answerOf(value)) {
      omitted.set(s, { symbol: s, reason: 'nixos-same', detail: `NixOS already answers ${renderedAnswer(n.item)}` });
      continue;
    }
    if (o && o.prompt === undefined) {
      omitted.set(s, { symbol: s, reason: 'no-prompt', detail: 'has no prompt: its value follows from defaults and selects' });
      tentative.add(s);
      continue;
    }
    const selectedBy = (c.new === 'y' || c.new === 'm') ? selectors?.get(s)?.find((t) => newValues.get(t) === 'y' || newValues.get(t) === 'm') : undefined;
    if (c.old === undefined && options.evaluate) {
      omitted.set(s, { symbol: s, reason: 'appeared', detail: `not in OLD: takes ${c.new} by default once its menu is enabled` });
      tentative.add(s);
      continue;
    }
    if (selectedBy !== undefined && options.evaluate) {
      omitted.set(s, { symbol: s, reason: 'selected', detail: `selected or implied by ${selectedBy}` });
      tentative.add(s);
      continue;
    }
    kept.set(s, entryFor(s, value));
  }
  const unreproduced: Unreproduced[] = [];
  const added: PutBack[] = [];
  let rounds = 0;
  if (options.evaluate) {
    const maxRounds = options.maxRounds ?? 6;
    const changed = new Set(changes.map((c) => c.symbol));
    const impossible = new Set<string>();
    for (;;) {
      const answers = new Map<string, string>();
      for (const [s, e] of kept) if (e.value.kind !== 'unset') answers.set(s, newValues.get(s)!);
      for (const [s, om] of omitted) if (om.reason === 'nixos-same') answers.set(s, newValues.get(s)!);
      const outcome = outcomeOf(options.evaluate(answers));
      const result = outcome.values;
      rounds++;
      for (const s of outcome.impossible ?? []) {
        impossible.add(s);
        kept.delete(s);
        omitted.set(s, { symbol: s, reason: 'impossible', detail: `the pipeline rejects ${newValues.get(s) ?? 'unset'} for it (generate-config.pl would die: repeated question)` });
      }
      const misses: Unreproduced[] = [];
      for (const c of changes) {
        if (omitted.get(c.symbol)?.reason === 'unknown') continue;
        const got = result.get(c.symbol);
        const ok = c.new === undefined ? got === undefined : got === c.new;
        if (!ok) misses.push({ symbol: c.symbol, want: c.new, got });
      }
      const putBack = misses.filter((m) => tentative.has(m.symbol) && omitted.get(m.symbol)?.reason !== 'no-prompt' && !impossible.has(m.symbol));
      // Unchanged symbols that NEW no longer implies (e.g. DCB: selected in OLD, a user choice in NEW).
      const drift: PutBack[] = [];
      for (const [s, v] of newValues) {
        if (changed.has(s) || kept.has(s) || impossible.has(s) || result.get(s) === v) continue;
        const o = outline?.get(s);
        if (outline && (!o || o.prompt === undefined)) continue;
        drift.push({ symbol: s, detail: `unchanged (${v}) but no longer implied: the check got ${result.get(s) ?? '(absent)'}` });
      }
      const flagged: PutBack[] = [];
      for (const s of outcome.flagged ?? []) {
        if (kept.has(s) || impossible.has(s) || putBack.some((m) => m.symbol === s) || drift.some((d) => d.symbol === s)) continue;
        flagged.push({ symbol: s, detail: newValues.has(s) ? `NixOS' own answer would be wrong here (NEW ${newValues.get(s)})` : 'NixOS answers it but it is gone in NEW' });
      }
      if ((putBack.length === 0 && drift.length === 0 && flagged.length === 0) || rounds >= maxRounds) {
        unreproduced.push(...misses);
        break;
      }
      for (const m of putBack) {
        omitted.delete(m.symbol);
        tentative.delete(m.symbol);
        kept.set(m.symbol, entryFor(m.symbol, nixValueOf(m.want!)));
      }
      for (const d of [...drift, ...flagged]) {
        omitted.delete(d.symbol);
        tentative.delete(d.symbol);
        const v = newValues.get(d.symbol);
        kept.set(d.symbol, entryFor(d.symbol, v === undefined ? { kind: 'unset' } : nixValueOf(v)));
        added.push(d);
      }
    }
  }
  return { changes, entries: [...kept.values()], omitted: [...omitted.values()], unreproduced, rounds, added };
}
