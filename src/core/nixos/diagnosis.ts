// Why generate-config.pl complained, in the terms of the user's config (spec §7 classes): the dependency
// that hid a symbol with its parts' values, the selectors that forced it and why they are on, a symbol
// that does not exist in this tree (and its name in the other tree), the choice, the refused answer.
import { ExprKind, type Expr } from '../kconfig/expr.ts';
import { findSymbol, type KconfigModel, type KconfigSymbol, type Tristate } from '../kconfig/model.ts';
import type { ConfKconfig } from './conf-dialogue.ts';
import type { ConfigMessage, Death, GenerateConfigResult } from './generate-config.ts';
import type { Answers } from './intermediate.ts';
import { OtherTree } from './other-tree.ts';
import type { RenameCandidate } from './renames.ts';

/** The engine state after the simulation, plus what diagnosis needs beyond conf's calls. */
export interface KconfigFacts extends ConfKconfig {
  readonly model: KconfigModel;
  /** expr_calc_value(). */
  exprValue(e: Expr | null): Tristate;
}

/** What kind of cause was found. */
export type CauseKind =
  | 'absent'
  | 'hidden'
  | 'selected'
  | 'limited'
  | 'choice'
  | 'refused'
  | 'conflicting-choice'
  | 'unknown';

/** The explanation of one error, warning or death. */
export interface Diagnosis {
  readonly name: string;
  readonly kind: CauseKind;
  /** One or more sentences, ready to print. */
  readonly why: string;
  /** Symbols whose own answers caused this (the culprit parents or the active selectors). */
  readonly culprits: readonly string[];
  /** For `absent`: the counterpart's name in this tree (the best candidate), when it is a symbol, not a choice. */
  readonly renamedTo?: string;
  /** For `absent`: the successors found (best first), with their evidence; empty when none was found. */
  readonly renames?: readonly RenameCandidate[];
  /** For `absent`: which other tree was consulted (its label), when one was. */
  readonly otherTree?: string;
  /** For `absent`: whether the other tree is an older or a newer kernel, when known. */
  readonly otherAge?: 'older' | 'newer';
  /** For `absent`: the files of this tree that define it for other architectures (then no other tree is consulted). */
  readonly definedInFiles?: readonly string[];
  /** For `absent`: `file:line` of the symbol in the other tree, when it is defined there. */
  readonly otherLocation?: string;
  /** The message or death it explains. */
  readonly subject: ConfigMessage | Death;
}

const TRI = ['n', 'm', 'y'] as const;

function symValue(f: KconfigFacts, s: KconfigSymbol): string {
  if (s.isConst) return s.name;
  return s.type === 'bool' || s.type === 'tristate' ? TRI[f.tristate(s)] : f.stringValue(s);
}

function precedence(kind: number): number {
  return kind === ExprKind.or ? 1 : kind === ExprKind.and ? 2 : kind === ExprKind.not ? 3 : 4;
}

const CMP: Record<number, string> = {
  [ExprKind.equal]: '=',
  [ExprKind.unequal]: '!=',
  [ExprKind.less]: '<',
  [ExprKind.lessEqual]: '<=',
  [ExprKind.greater]: '>',
  [ExprKind.greaterEqual]: '>=',
};

/** Prints `e` as conf's help does (expr_gstr_print() with `[=value]` after each symbol). */
export function formatExpr(f: KconfigFacts, e: Expr | null, outer = 0): string {
  if (!e) return 'y';
  const name = (s: KconfigSymbol) => (s.isChoice ? '<choice>' : s.isConst ? (/^[nmy]$/.test(s.name) || /^-?(0x)?[0-9a-fA-F]+$/.test(s.name) ? s.name : `"${s.name}"`) : `${s.name} [=${symValue(f, s)}]`);
  let text: string;
  switch (e.kind) {
    case ExprKind.symbol:
      text = name(e.sym!);
      break;
    case ExprKind.not:
      text = `!${formatExpr(f, e.a, precedence(ExprKind.not))}`;
      break;
    case ExprKind.and:
    case ExprKind.or: {
      const p = precedence(e.kind);
      text = `${formatExpr(f, e.a, p)} ${e.kind === ExprKind.and ? '&&' : '||'} ${formatExpr(f, e.b, p)}`;
      break;
    }
    default:
      text = `${name(e.sym!)}${CMP[e.kind]}${name(e.sym2!)}`;
  }
  return precedence(e.kind) < outer ? `(${text})` : text;
}

/** The named, non-constant symbols that keep `e` below `need` (the parts to change), left to right. */
export function blockingSymbols(f: KconfigFacts, e: Expr | null, need: Tristate, out: Set<KconfigSymbol> = new Set()): Set<KconfigSymbol> {
  if (!e || f.exprValue(e) >= need) return out;
  switch (e.kind) {
    case ExprKind.and:
      blockingSymbols(f, e.a, need, out);
      blockingSymbols(f, e.b, need, out);
      break;
    case ExprKind.or:
      blockingSymbols(f, e.a, need, out);
      blockingSymbols(f, e.b, need, out);
      break;
    case ExprKind.not:
      for (const s of [e.a?.sym, e.a?.sym2]) if (s && !s.isConst && s.nodes.length > 0) out.add(s);
      break;
    default:
      // a number in a comparison (`RUSTC_VERSION >= 108100`) is a symbol without definitions: not a culprit
      for (const s of [e.sym, e.sym2]) if (s && !s.isConst && s.nodes.length > 0) out.add(s);
  }
  return out;
}

/** The top-level `||` terms of a reverse dependency (each `SELECTOR && cond`). */
export function orTerms(e: Expr | null, out: Expr[] = []): Expr[] {
  if (!e) return out;
  if (e.kind === ExprKind.or) {
    orTerms(e.a, out);
    orTerms(e.b, out);
  } else out.push(e);
  return out;
}

function firstSymbol(e: Expr): KconfigSymbol | null {
  if (e.kind === ExprKind.symbol) return e.sym;
  if (e.kind === ExprKind.and) return firstSymbol(e.a!);
  return null;
}

/** The symbols that `select` `sym` and are on now, with their terms printed with values. */
export function activeSelectors(f: KconfigFacts, sym: KconfigSymbol): { selector: KconfigSymbol; term: string; value: Tristate }[] {
  const out: { selector: KconfigSymbol; term: string; value: Tristate }[] = [];
  for (const t of orTerms(sym.revDep)) {
    const v = f.exprValue(t);
    const s = firstSymbol(t);
    if (v > 0 && s) out.push({ selector: s, term: formatExpr(f, t), value: v });
  }
  return out;
}

/** The visibility of `sym`'s prompts (OR over its prompts' propagated conditions) and that condition. */
function promptCondition(sym: KconfigSymbol): Expr | null | undefined {
  if (sym.prompts.length === 0) return undefined;
  return sym.prompts[0].visible;
}

/**
 * The files of the checked tree that define a symbol for any architecture (a text scan), for a symbol the model of
 * this architecture lacks; empty when none does.
 */
export type DefinitionFinder = (name: string) => readonly string[];

/** Says where an answer came from: the answer line and the Nix definitions behind it. */
export type AnswerOrigin = (name: string) => string | undefined;

function otherTreeOf(model: KconfigModel | undefined): OtherTree | undefined {
  return model ? OtherTree.of(model) : undefined;
}

/** How a candidate is named in a sentence. */
function candidateText(c: RenameCandidate): string {
  if (c.type === 'choice') {
    const members = c.members ?? [];
    return `the choice "${c.prompt ?? '<choice>'}" (${members.slice(0, 4).join(', ')}${members.length > 4 ? ', …' : ''}) at ${c.location}`;
  }
  return `${c.name} (${c.type}${c.prompt ? ` "${c.prompt}"` : ''}, ${c.location})`;
}

/** The sentence that introduces one counterpart, by how it relates and whether the other tree is older or newer. */
function counterpartSentence(c: RenameCandidate, age: OtherTree['age']): string {
  const what = candidateText(c);
  if (age === 'older') {
    if (c.relation === 'moved') return `Since then it moved to ${what}`;
    if (c.relation === 'became-choice') return `Since then it was replaced by ${what}`;
    if (c.relation === 'left-choice') return `Since then its choice was replaced by ${what}`;
    return `Since then it was renamed to ${what}`;
  }
  if (age === 'newer') {
    if (c.relation === 'became-choice') return `In this older kernel it was ${what}`;
    if (c.relation === 'left-choice') return `In this older kernel its choice was the one symbol ${what}`;
    return `In this older kernel it was called ${what}`;
  }
  return `Its counterpart in this tree: ${what}`;
}

const NONE_FOUND: Record<string, string> = {
  older: 'no symbol of this tree took its place (no successor with enough evidence: it was probably removed)',
  newer: 'no symbol of this older tree corresponds to it (no predecessor with enough evidence: it is probably new since this version)',
  unknown: 'no symbol of this tree corresponds to it (no candidate with enough evidence)',
};

/** A symbol this tree does not define: says whether the other tree has it and what corresponds to it here. */
function diagnoseAbsent(f: KconfigFacts, m: ConfigMessage, set: string, other: OtherTree | undefined, definedIn?: DefinitionFinder): Diagnosis {
  const files = definedIn?.(m.name) ?? [];
  if (files.length > 0) {
    const why = `${m.name} is not part of this architecture's configuration${set}: this tree defines it only in ${files.join(', ')}, which the Kconfig of this architecture does not read.`;
    return { name: m.name, kind: 'absent', why, culprits: [], definedInFiles: files, subject: m };
  }
  const base = `${m.name} does not exist in this kernel tree${set}`;
  // a tree found on its own is read for an error; once read (or when the user named it) it serves warnings too
  const matcher = other && (other.explicit || other.loaded || m.severity === 'error') ? other.matcherInto(f.model) : undefined;
  if (!other || !matcher) return { name: m.name, kind: 'absent', why: `${base}.`, culprits: [], subject: m };
  const tree = { otherTree: other.label, ...(other.age ? { otherAge: other.age } : {}) };
  const r = matcher.find(m.name);
  if (!r) {
    return { name: m.name, kind: 'absent', why: `${base}; it does not exist in the other tree (${other.label}) for this architecture either.`, culprits: [], renames: [], ...tree, subject: m };
  }
  const found = `${base}; it exists in the other tree (${other.label}) at ${r.location}`;
  if (r.candidates.length === 0) {
    return { name: m.name, kind: 'absent', why: `${found}, and ${NONE_FOUND[other.age ?? 'unknown']}.`, culprits: [], renames: [], ...tree, otherLocation: r.location, subject: m };
  }
  const evidence = (c: RenameCandidate) => c.evidence.slice(0, 4).join('; ');
  const kind = other.age === 'older' ? 'successors' : other.age === 'newer' ? 'predecessors' : 'counterparts';
  const why =
    r.candidates.length === 1
      ? `${found}. ${counterpartSentence(r.candidates[0], other.age)}: ${evidence(r.candidates[0])}.`
      : `${found}. Possible ${kind} here: ${r.candidates.map((c, i) => `(${i + 1}) ${candidateText(c)}: ${evidence(c)}`).join('; ')}.`;
  const top = r.candidates[0];
  const renamedTo = top.type !== 'choice' ? top.name : undefined;
  return { name: m.name, kind: 'absent', why, culprits: [], renamedTo, renames: r.candidates, ...tree, otherLocation: r.location, subject: m };
}

/**
 * Explains one error/warning line. `other` is the other kernel version's tree (6.1 ↔ 6.12) for symbols this tree
 * lacks: a model, or an {@link OtherTree} read only when an error needs it (warnings use it once read, or when explicit).
 */
export function diagnoseMessage(f: KconfigFacts, m: ConfigMessage, answers: Answers, origin: AnswerOrigin, other?: KconfigModel | OtherTree, definedIn?: DefinitionFinder): Diagnosis {
  const sym = findSymbol(f.model, m.name);
  const from = origin(m.name);
  const set = from ? ` (${from})` : '';
  if (!sym || sym.isConst || sym.nodes.length === 0) return diagnoseAbsent(f, m, set, other === undefined || 'byName' in other ? otherTreeOf(other) : other, definedIn);
  if (m.kind === 'unused') {
    const cond = sym.dirDep;
    const blockers = [...blockingSymbols(f, cond, 1)];
    const promptVis = promptCondition(sym);
    const culpritText = blockers.map((b) => `${b.name}=${symValue(f, b)}${origin(b.name) ? ` (${origin(b.name)})` : ''}`).join(', ');
    const why =
      `${m.name} is not written to .config because its dependencies are not met: depends on ${formatExpr(f, cond)}` +
      (promptVis !== undefined && promptVis !== cond && f.exprValue(promptVis) === 0 ? `; its prompt is visible if ${formatExpr(f, promptVis)}` : '') +
      (blockers.length ? `. Blocked by ${culpritText}` : '') +
      `. The answer ${m.wanted}${set} is never asked.`;
    return { name: m.name, kind: 'hidden', why, culprits: blockers.map((b) => b.name), subject: m };
  }
  // not set correctly
  const want = m.wanted === 'y' ? 2 : m.wanted === 'm' ? 1 : m.wanted === 'n' ? 0 : -1;
  const got = m.got === 'y' ? 2 : m.got === 'm' ? 1 : m.got === 'n' ? 0 : -1;
  if (sym.choice && sym.type === 'bool') {
    const sel = f.choiceSelection(sym.choice);
    return {
      name: m.name,
      kind: 'choice',
      why: `${m.name} is a member of the choice "${sym.choice.prompt?.text ?? '<choice>'}"; conf selected ${sel?.name ?? 'nothing'} there${set}.`,
      culprits: sel ? [sel.name] : [],
      subject: m,
    };
  }
  if (want >= 0 && got > want) {
    const sels = activeSelectors(f, sym);
    if (sels.length > 0) {
      const why =
        `${m.name} is forced to ${m.got} by select: ${sels.map((s) => `${s.term}${origin(s.selector.name) ? ` (${s.selector.name}: ${origin(s.selector.name)})` : ''}`).join('; ')}` +
        `. A selected symbol cannot be set lower than its selectors; the answer ${m.wanted}${set} was not offered.`;
      return { name: m.name, kind: 'selected', why, culprits: sels.map((s) => s.selector.name), subject: m };
    }
  }
  if (want > got && got >= 0) {
    const blockers = [...blockingSymbols(f, sym.dirDep, want as Tristate)];
    const why =
      `${m.name} cannot be ${m.wanted}: depends on ${formatExpr(f, sym.dirDep)} (value ${TRI[f.exprValue(sym.dirDep)]})` +
      (blockers.length ? `, limited by ${blockers.map((b) => `${b.name}=${symValue(f, b)}`).join(', ')}` : '') +
      (want === 1 && !sym.type.startsWith('tri') ? `; ${m.name} is ${sym.type}, it has no m` : '') +
      `${set}.`;
    return { name: m.name, kind: 'limited', why, culprits: blockers.map((b) => b.name), subject: m };
  }
  return {
    name: m.name,
    kind: 'unknown',
    why: `${m.name} ended up ${m.got} instead of ${m.wanted}${set}; the symbol ${f.isChangeable(sym) ? 'was changeable' : 'was not changeable'} (depends on ${formatExpr(f, sym.dirDep)}).`,
    culprits: [],
    subject: m,
  };
}

/** Explains a death of the script. */
export function diagnoseDeath(f: KconfigFacts, d: Death, origin: AnswerOrigin): Diagnosis {
  if (d.kind === 'conflicting-answers') {
    return {
      name: d.symbols[0] ?? '',
      kind: 'conflicting-choice',
      why: `conflicting answers!: ${d.symbols.map((s) => `${s}=y${origin(s) ? ` (${origin(s)})` : ''}`).join(' and ')} are members of one choice; only one may be y.`,
      culprits: [...d.symbols],
      subject: d,
    };
  }
  const name = d.symbols[0];
  const sym = findSymbol(f.model, name)!;
  const allowed = (d.alts ?? '').split('/').filter((a) => a !== '?').map((a) => a.toLowerCase());
  let reason = '';
  if (sym && d.answer === 'n' && sym.revDep !== null && f.exprValue(sym.revDep) > 0) {
    reason = `it is selected by ${activeSelectors(f, sym).map((s) => s.term).join('; ')}`;
  } else if (sym && d.answer === 'm' && !allowed.includes('m')) {
    reason = sym.type === 'bool' ? `${name} is bool` : `modules are off: ${f.model.modules.name} [=${symValue(f, f.model.modules)}]`;
  } else if (sym && d.answer === 'y' && !allowed.includes('y')) {
    reason = `its dependencies allow at most m: ${formatExpr(f, sym.dirDep)}`;
  } else if (sym && (sym.type === 'int' || sym.type === 'hex')) {
    reason = `"${d.answer}" is not a valid ${sym.type} value${sym.ranges.length ? ' or is out of range' : ''}`;
  }
  const culprits = sym && d.answer === 'n' ? activeSelectors(f, sym).map((s) => s.selector.name) : [];
  return {
    name,
    kind: 'refused',
    why: `conf refused the answer ${d.answer}${origin(name) ? ` (${origin(name)})` : ''} to ${name} in pass ${d.pass} and asked again (generate-config.pl dies on a repeated question): allowed answers [${d.alts}]${reason ? `; ${reason}` : ''}.`,
    culprits,
    subject: d,
  };
}

/** Explains every message and the death of a simulation result. */
export function diagnose(f: KconfigFacts, result: GenerateConfigResult, answers: Answers, origin: AnswerOrigin, other?: KconfigModel | OtherTree, definedIn?: DefinitionFinder): Diagnosis[] {
  // errors first, so that a tree read for an absent-symbol error also explains the warnings
  const order = result.messages.map((_, i) => i).sort((a, b) => Number(result.messages[a].severity !== 'error') - Number(result.messages[b].severity !== 'error'));
  const out = new Array<Diagnosis>(result.messages.length);
  for (const i of order) out[i] = diagnoseMessage(f, result.messages[i], answers, origin, other, definedIn);
  if (result.death) out.push(diagnoseDeath(f, result.death, origin));
  return out;
}
