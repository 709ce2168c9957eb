// The fix loop: turn each diagnosis into the smallest Nix edit (drop the line with `mkForce unset`,
// `mkForce no` the selectors, make the line `option`, `module` where only m is allowed), add the edits as
// one more kernel patch's structuredExtraConfig, re-run the whole simulation, repeat to a fixed point.
import { COMMON_CONFIG_FILE, Priority, UNKNOWN_FILE, type ItemDefinition, type SettingsModule, type Wrapped } from './kernel-value.ts';
import { mergeSettings, type MergedSettings } from './merge.ts';
import { parseKernelConfig, renderKernelConfig, type Answers, type IntermediateExtras } from './intermediate.ts';
import type { GenerateConfigResult } from './generate-config.ts';
import { diagnose, type AnswerOrigin, type DefinitionFinder, type Diagnosis, type KconfigFacts } from './diagnosis.ts';
import type { KconfigModel } from '../kconfig/model.ts';
import type { OtherTree } from './other-tree.ts';
import type { RenameCandidate } from './renames.ts';

/** One Nix edit: `NAME = <expr>;` with a comment saying why. */
export interface FixEdit {
  readonly name: string;
  /** The Nix expression, e.g. `lib.mkForce unset`. */
  readonly nix: string;
  /** The same value as a definition for the simulation. */
  readonly definition: Wrapped<ItemDefinition>;
  readonly comment: string;
  readonly iteration: number;
}

/** A simulation run: the generate-config.pl result and the engine state after it (for diagnosis). */
export interface SimulationRun {
  readonly result: GenerateConfigResult;
  readonly facts: KconfigFacts;
}

/** Runs the pipeline from the intermediate text to the result (merge is done by the loop). */
export type Simulate = (kernelConfig: string, answers: Answers) => SimulationRun;

/** Options of {@link fixToFixedPoint}. */
export interface FixLoopOptions {
  readonly maxIterations?: number;
  /** The other kernel version's tree (a model, or one read on first need), for rename detection. */
  readonly otherModel?: KconfigModel | OtherTree;
  /** Where the checked tree defines a symbol for other architectures. */
  readonly definedIn?: DefinitionFinder;
}

/** One round of the loop. */
export interface FixIteration {
  readonly iteration: number;
  readonly errors: number;
  readonly warnings: number;
  readonly death?: string;
  readonly diagnoses: readonly Diagnosis[];
  readonly added: readonly FixEdit[];
}

/** The outcome of the loop. */
export interface FixLoopResult {
  readonly iterations: readonly FixIteration[];
  readonly edits: readonly FixEdit[];
  /** True when the last simulation completed with exit status 0. */
  readonly accepted: boolean;
  readonly final: SimulationRun;
  readonly finalKernelConfig: string;
}

/** Describes where the answer for `name` comes from, for explanations (`common-config.nix, mkDefault`). */
export function originOf(settings: MergedSettings, answers: Answers): AnswerOrigin {
  return (name) => {
    const item = settings.get(name);
    const a = answers.get(name);
    if (!item) return a ? `kernel-config line ${a.line}` : undefined;
    const files = [...new Set(item.definitions.map((d) => d.file))].join(', ');
    const p = item.definitions[0]?.priority ?? Priority.plain;
    const prio = p === Priority.plain ? '' : p === Priority.force ? ', mkForce' : p === Priority.default ? ', mkDefault' : p === Priority.optionDefault ? ', mkOptionDefault' : `, mkOverride ${p}`;
    return `set ${a ? `to ${a.value}${a.required ? '' : ' (option)'} ` : ''}in ${files}${prio}`;
  };
}

function wrap(priority: number, nixValue: string, value: ItemDefinition): { nix: string; definition: Wrapped<ItemDefinition> } {
  if (priority === Priority.force) return { nix: `lib.mkForce ${nixValue.includes(' ') ? `(${nixValue})` : nixValue}`, definition: { _type: 'override', priority, content: value } };
  return { nix: `lib.mkOverride ${priority} ${nixValue.includes(' ') ? `(${nixValue})` : nixValue}`, definition: { _type: 'override', priority, content: value } };
}

const VALUE_NIX: Record<string, [string, ItemDefinition]> = {
  unset: ['unset', { tristate: null, optional: false }],
  no: ['no', { tristate: 'n', optional: false }],
  module: ['module', { tristate: 'm', optional: false }],
  yes: ['yes', { tristate: 'y', optional: false }],
};

function isCommon(settings: MergedSettings, name: string): boolean {
  const item = settings.get(name);
  return !item || item.definitions.every((d) => d.file === COMMON_CONFIG_FILE);
}

/** The edits one diagnosis asks for (possibly several: the selectors). */
export function proposeEdits(d: Diagnosis, settings: MergedSettings, answers: Answers, facts: KconfigFacts): { name: string; value: string; comment: string }[] {
  const a = answers.get(d.name);
  const wanted = a?.value;
  switch (d.kind) {
    case 'absent':
      return absentEdits(d, answers);
    case 'hidden':
      if (wanted === 'n') return [{ name: d.name, value: 'unset', comment: `already off: hidden by ${d.culprits.join(', ') || 'its dependencies'}` }];
      return [{ name: d.name, value: `option ${wanted}`, comment: `hidden by ${d.culprits.join(', ') || 'its dependencies'}; kept as an optional answer` }];
    case 'selected':
    case 'refused': {
      if ((d.kind === 'selected' || wanted === 'n') && d.culprits.length > 0 && d.culprits.length <= 4) {
        const forcible = d.culprits.filter((c) => {
          const s = facts.model.byName.get(c);
          const ans = answers.get(c)?.value;
          return s && s.prompts.length > 0 && ans !== 'y' && ans !== 'm' && (s.revDep === null || facts.exprValue(s.revDep) === 0);
        });
        if (forcible.length === d.culprits.length) {
          return forcible.map((c) => ({ name: c, value: 'no', comment: `selects ${d.name}, which is wanted off` }));
        }
      }
      if (d.kind === 'refused') {
        const alts = (typeof d.subject === 'object' && 'alts' in d.subject ? d.subject.alts ?? '' : '').toLowerCase().split('/');
        if (wanted === 'y' && alts.includes('m')) return [{ name: d.name, value: 'module', comment: `conf allows only [${alts.join('/')}] here` }];
        return [{ name: d.name, value: 'unset', comment: `conf refuses ${wanted} (allowed: ${alts.filter((x) => x !== '?').join('/')}); left to Kconfig` }];
      }
      return [{ name: d.name, value: 'unset', comment: `selected by ${d.culprits.join(', ')}; cannot be ${wanted}` }];
    }
    case 'conflicting-choice': {
      const keep = d.culprits.find((c) => !isCommon(settings, c)) ?? d.culprits[d.culprits.length - 1];
      return d.culprits.filter((c) => c !== keep).map((c) => ({ name: c, value: 'unset', comment: `same choice as ${keep}, which is kept` }));
    }
    case 'limited': {
      const sym = facts.model.byName.get(d.name);
      const toModule = wanted === 'y' && sym?.type === 'tristate' && facts.exprValue(sym.dirDep) === 1;
      return [{ name: d.name, value: toModule ? 'module' : 'unset', comment: `limited by ${d.culprits.join(', ') || 'its dependencies'}${toModule ? ': at most m' : ''}` }];
    }
    default:
      return [{ name: d.name, value: 'unset', comment: 'conf sets another value; left to Kconfig' }];
  }
}

/** The Nix value of an old answer carried over to a renamed bool/tristate (undefined for other answers). */
function carriedValue(wanted: string | undefined, type: RenameCandidate['type']): string | undefined {
  if (wanted === 'y') return 'yes';
  if (wanted === 'n') return 'no';
  if (wanted === 'm') return type === 'tristate' ? 'module' : undefined;
  return undefined;
}

/**
 * A symbol this tree lacks: drop its line, and name what took its place. Only a single same-meaning bool/tristate
 * successor gets the old answer as an edit; otherwise the comment proposes what to set.
 */
function absentEdits(d: Diagnosis, answers: Answers): { name: string; value: string; comment: string }[] {
  const wanted = answers.get(d.name)?.value;
  const cands = d.renames ?? [];
  if (d.definedInFiles && d.definedInFiles.length > 0) return [{ name: d.name, value: 'unset', comment: `not for this architecture: defined only in ${d.definedInFiles.join(', ')}` }];
  const from = d.otherTree ? ` (checked against ${d.otherTree})` : '';
  if (cands.length === 0) {
    const comment = d.otherTree ? `not in this kernel tree; ${d.otherLocation ? `no successor found (it is at ${d.otherLocation} in ${d.otherTree})` : `not in ${d.otherTree} either`}` : 'not in this kernel tree';
    return [{ name: d.name, value: 'unset', comment }];
  }
  const [top] = cands;
  const evidence = top.evidence.slice(0, 3).join(', ');
  const carried = carriedValue(wanted, top.type);
  if (cands.length === 1 && top.sameMeaning && carried && !answers.has(top.name)) {
    return [
      { name: d.name, value: 'unset', comment: `not in this kernel tree, where it is ${top.name}${from}` },
      { name: top.name, value: carried, comment: `the answer ${wanted} of ${d.name}, which is ${top.name} in this tree (${evidence})` },
    ];
  }
  if (cands.length === 1 && top.type === 'choice' && top.member && wanted === 'y' && !answers.has(top.member)) {
    return [
      { name: d.name, value: 'unset', comment: `not in this kernel tree, where the choice "${top.prompt ?? ''}" corresponds to it${from}` },
      { name: top.member, value: 'yes', comment: `the answer y of ${d.name}: this member of the choice "${top.prompt ?? ''}" has its meaning (${evidence})` },
    ];
  }
  let proposal: string;
  if (top.type === 'choice') {
    const members = top.members ?? [];
    proposal = `the choice "${top.prompt ?? ''}" corresponds to it (${evidence}): set one of ${members.join(', ')} = yes instead of ${d.name} = ${wanted ?? '?'}`;
  } else if (cands.length === 1) {
    proposal = `${top.relation === 'left-choice' ? 'its choice corresponds to' : 'it probably corresponds to'} ${top.name} here (${evidence}): set ${top.name} instead if it means the same (${d.name} was ${wanted ?? '?'})`;
  } else {
    proposal = `possible counterparts here: ${cands.map((c) => c.name).join(', ')} (best: ${evidence}); set one of them instead if it means the same (${d.name} was ${wanted ?? '?'})`;
  }
  return [{ name: d.name, value: 'unset', comment: `not in this kernel tree${from}; ${proposal}` }];
}

function bestPriority(settings: MergedSettings, name: string): number {
  const item = settings.get(name);
  return item ? (item.definitions[0]?.priority ?? Priority.plain) : Priority.plain;
}

/**
 * Runs simulate → diagnose → edit until the script accepts the config, nothing new can be proposed, or
 * `maxIterations` rounds ran. The edits form one extra kernel patch (a `boot.kernelPatches` entry).
 */
export function fixToFixedPoint(modules: readonly SettingsModule[], extras: IntermediateExtras, simulate: Simulate, options: FixLoopOptions = {}): FixLoopResult {
  const edits = new Map<string, FixEdit>();
  const iterations: FixIteration[] = [];
  const max = options.maxIterations ?? 30;
  for (let i = 0; ; i++) {
    const fixModule: SettingsModule = { file: UNKNOWN_FILE, settings: Object.fromEntries([...edits.values()].map((e) => [e.name, e.definition])) };
    const withFix = edits.size > 0 ? [...modules, fixModule] : [...modules];
    const settings = mergeSettings(withFix);
    const patchExtra = [...(extras.patchExtraConfigs ?? ['', ''])];
    if (edits.size > 0) patchExtra.push('');
    const text = renderKernelConfig(settings, { ...extras, patchExtraConfigs: patchExtra });
    const answers = parseKernelConfig(text);
    const run = simulate(text, answers);
    const errors = run.result.messages.filter((m) => m.severity === 'error').length;
    const warnings = run.result.messages.length - errors;
    const accepted = run.result.exitCode === 0 && !run.result.death;
    const diagnoses = accepted ? [] : diagnose(run.facts, run.result, answers, originOf(settings, answers), options.otherModel, options.definedIn);
    const added: FixEdit[] = [];
    if (!accepted && i < max) {
      for (const d of diagnoses) {
        if (d.subject && 'severity' in d.subject && d.subject.severity === 'warning') continue;
        let proposals = proposeEdits(d, settings, answers, run.facts);
        if (proposals.every((p) => edits.has(p.name)) && edits.get(d.name)?.nix.endsWith(' unset') !== true && answers.has(d.name)) {
          // the first proposal did not close it: drop the line itself
          edits.delete(d.name);
          proposals = [{ name: d.name, value: 'unset', comment: `${d.why.split('. ')[0]}; dropped after the first fix did not close it` }];
        }
        if (d.kind === 'refused' && answers.get(d.name)?.value === 'm' && /modules are off/.test(d.why)) {
          // MODULES=n: no `m` answer can be accepted or kept; drop them all at once instead of one death per run
          for (const a of answers.values()) {
            if (a.value === 'm' && a.required && !edits.has(a.name) && a.name !== d.name) proposals.push({ name: a.name, value: 'unset', comment: 'answer m, but modules are off (MODULES=n)' });
          }
        }
        for (const p of proposals) {
          if (edits.has(p.name)) continue;
          const base = bestPriority(mergeSettings(modules), p.name);
          const prio = base <= Priority.force ? base - 1 : Priority.force;
          const [nixValue, value] = p.value.startsWith('option ') ? optionValue(p.value.slice(7)) : VALUE_NIX[p.value];
          const w = wrap(prio, nixValue, value);
          const edit: FixEdit = { name: p.name, nix: w.nix, definition: w.definition, comment: p.comment, iteration: i + 1 };
          edits.set(p.name, edit);
          added.push(edit);
        }
      }
    }
    iterations.push({ iteration: i + 1, errors, warnings, death: run.result.death?.message, diagnoses, added });
    if (accepted || added.length === 0) {
      return { iterations, edits: [...edits.values()], accepted, final: run, finalKernelConfig: text };
    }
  }
}

/** `option x` for a wanted answer: `option yes`, `option (freeform "…")`. */
function optionValue(wanted: string): [string, ItemDefinition] {
  const named = wanted === 'y' ? 'yes' : wanted === 'm' ? 'module' : wanted === 'n' ? 'no' : undefined;
  if (named) return [`option ${named}`, { tristate: wanted as 'y' | 'm' | 'n', optional: true }];
  return [`option (freeform ${nixString(wanted)})`, { freeform: wanted, optional: true }];
}

/** A Nix string literal. */
export function nixString(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\$\{/g, '\\${')}"`;
}
