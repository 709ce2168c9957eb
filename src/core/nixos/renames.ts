// The rename/move matcher: for a symbol defined in one kernel tree (`from`) but not in another (`to`), which
// symbols or choices of `to` took its place. Each candidate is scored by independent evidence (prompt text,
// help text, its place in the file between neighbours both trees share, the name, the type, the dependencies)
// and only confident ones are reported, with the evidence in words. Works in both directions (6.1 → 6.12 and
// 6.12 → 6.1): nothing assumes which tree is older.
import { exprSymbols } from '../kconfig/expr.ts';
import type { KconfigModel, KconfigSymbol, MenuNode, SymbolType } from '../kconfig/model.ts';
import { anchorsOf, neighbourhood, placeEntries, type Anchors, type Placement } from './rename-place.ts';
import { commonNamePrefix, nameOverlap, nameTokens, normalizePrompt, textWords, WordWeights } from './rename-text.ts';

/**
 * How a candidate relates to the symbol: `moved` (same name, other file or menu), `renamed` (another symbol),
 * `became-choice` (a choice of bools took the place of a symbol), `left-choice` (a symbol took the place of the
 * choice the symbol was a member of).
 */
export type RenameRelation = 'moved' | 'renamed' | 'became-choice' | 'left-choice';

/** One candidate successor in the `to` tree. */
export interface RenameCandidate {
  /** The symbol's name; for a choice, its members' common prefix with `_*` (`MHP_DEFAULT_ONLINE_TYPE_*`) or its first member. */
  readonly name: string;
  readonly relation: RenameRelation;
  readonly type: SymbolType | 'choice';
  /** For a choice: the member symbols, in menu order. */
  readonly members?: readonly string[];
  /** For a choice: the member that says what the symbol said (same prompt or help text), when one does. */
  readonly member?: string;
  readonly prompt?: string;
  /** `file:line` of its definition in the `to` tree. */
  readonly location: string;
  /** The summed evidence weight (about 5 is the reporting threshold). */
  readonly score: number;
  /** The evidence in words, strongest first ("same help text", "defined in mm/Kconfig between X and Y in both trees"). */
  readonly evidence: readonly string[];
  /**
   * True when this is the only candidate, a bool/tristate of the same type as the symbol, and the prompt or help
   * text is the same: setting it to the old answer means the same thing.
   */
  readonly sameMeaning: boolean;
}

/** The matcher's answer for one name. */
export interface RenameResult {
  readonly name: string;
  /** `file:line` of the symbol's definition in the `from` tree. */
  readonly location: string;
  readonly type: SymbolType;
  /** Confident candidates, best first (at most 3); empty when none was found. */
  readonly candidates: readonly RenameCandidate[];
}

/** Options of {@link RenameMatcher.build}. */
export interface RenameMatcherOptions {
  /** Minimum score of a reported candidate (default 5). */
  readonly threshold?: number;
}

/** A symbol or choice seen by the matcher: the features it is compared by. */
interface Unit {
  readonly sym: KconfigSymbol | null;
  readonly node: MenuNode;
  readonly name: string;
  readonly type: SymbolType | 'choice';
  readonly members: readonly KconfigSymbol[];
  readonly prompt: string;
  /** The prompt as compared for identity (normalizePrompt()). */
  readonly promptKey: string;
  readonly promptWords: ReadonlySet<string>;
  readonly helpWords: ReadonlySet<string>;
  /** The summed weight of `helpWords`. */
  readonly helpWeight: number;
  readonly deps: ReadonlySet<string>;
}

const DEFAULT_THRESHOLD = 5;
/** A name token found in at most this many symbol names (of both trees) identifies; a commoner one (MACH, DRV) does not. */
const RARE_NAME_TOKEN = 30;

function defined(model: KconfigModel, name: string): KconfigSymbol | undefined {
  const s = model.byName.get(name);
  return s && s.nodes.length > 0 ? s : undefined;
}

function mainNode(sym: KconfigSymbol): MenuNode {
  return sym.prompts[0]?.node ?? sym.nodes[0];
}

function where(node: MenuNode): string {
  return `${node.span.file}:${node.span.line}`;
}

function choiceMembers(model: KconfigModel): Map<MenuNode, KconfigSymbol[]> {
  const out = new Map<MenuNode, KconfigSymbol[]>();
  for (const s of model.byName.values()) {
    if (!s.choice || s.nodes.length === 0) continue;
    const list = out.get(s.choice) ?? [];
    if (!list.includes(s)) list.push(s);
    out.set(s.choice, list);
  }
  return out;
}

function depNames(node: MenuNode, sym: KconfigSymbol | null): Set<string> {
  const syms = new Set<KconfigSymbol>();
  exprSymbols(sym && !sym.isChoice ? sym.dirDep : node.dep, syms);
  const out = new Set<string>();
  for (const s of syms) if (!s.isConst && s.name && s.nodes.length > 0) out.add(s.name);
  return out;
}

function symbolUnit(sym: KconfigSymbol, words: WordWeights): Unit {
  const node = mainNode(sym);
  const prompt = sym.prompts[0]?.text ?? '';
  const help = sym.nodes.map((n) => n.help ?? '').join('\n');
  const helpWords = textWords(help);
  return { sym, node, name: sym.name, type: sym.type, members: [], prompt, promptKey: normalizePrompt(prompt), promptWords: textWords(prompt), helpWords, helpWeight: words.total(helpWords), deps: depNames(node, sym) };
}

function choiceUnit(node: MenuNode, members: readonly KconfigSymbol[], words: WordWeights): Unit {
  const prefix = commonNamePrefix(members.map((m) => m.name));
  const prompt = node.prompt?.text ?? '';
  const helpWords = textWords(node.help ?? '');
  return {
    sym: node.sym,
    node,
    name: prefix && members.length > 1 ? `${prefix}_*` : (members[0]?.name ?? '<choice>'),
    type: 'choice',
    members,
    prompt,
    promptKey: normalizePrompt(prompt),
    promptWords: textWords(prompt),
    helpWords,
    helpWeight: words.total(helpWords),
    deps: depNames(node, node.sym),
  };
}

/** The name a unit is compared by: a choice's members' common prefix, else the symbol's name. */
function matchName(u: Unit): string {
  return u.type === 'choice' ? u.name.replace(/_\*$/, '') : u.name;
}

/** Finds the successors of symbols of one tree in another; build once per pair of models, then ask per name. */
export class RenameMatcher {
  readonly #from: KconfigModel;
  readonly #to: KconfigModel;
  readonly #threshold: number;
  readonly #candidates: readonly Unit[];
  readonly #fromChoices: Map<MenuNode, KconfigSymbol[]>;
  readonly #words: WordWeights;
  readonly #nameWeights: WordWeights;
  readonly #fromPlace: Placement;
  readonly #toPlace: Placement;
  readonly #unitOfNode: Map<MenuNode, Unit>;

  private constructor(from: KconfigModel, to: KconfigModel, threshold: number) {
    this.#from = from;
    this.#to = to;
    this.#threshold = threshold;
    this.#fromChoices = choiceMembers(from);
    const docs: Set<string>[] = [];
    for (const s of to.byName.values()) {
      if (s.nodes.length === 0) continue;
      const d = textWords(s.prompts[0]?.text ?? '');
      for (const n of s.nodes) for (const w of textWords(n.help ?? '')) d.add(w);
      docs.push(d);
    }
    this.#words = WordWeights.build(docs);
    // candidates: symbols of `to` that `from` does not define, and the choices made only of such symbols
    const candidates: Unit[] = [];
    const toChoices = choiceMembers(to);
    const newChoices = new Set<MenuNode>();
    for (const [node, members] of toChoices) {
      if (members.length > 0 && members.every((m) => !defined(from, m.name))) newChoices.add(node);
    }
    for (const s of to.byName.values()) {
      if (s.nodes.length > 0 && !defined(from, s.name)) candidates.push(symbolUnit(s, this.#words));
    }
    for (const node of newChoices) candidates.push(choiceUnit(node, toChoices.get(node)!, this.#words));
    this.#candidates = candidates;
    this.#unitOfNode = new Map();
    for (const u of candidates) this.#unitOfNode.set(u.node, u);
    this.#nameWeights = WordWeights.build([...from.byName.keys(), ...to.byName.keys()].map((n) => new Set(nameTokens(n))));
    this.#fromPlace = placeEntries(from);
    this.#toPlace = placeEntries(to);
  }

  /** A new entry of `to` for gap counting: a candidate, counting a new choice once (not its members). */
  readonly #isNewEntry = (n: MenuNode): boolean => {
    const u = this.#unitOfNode.get(n);
    return u !== undefined && !(u.sym?.choice && this.#unitOfNode.has(u.sym.choice));
  };

  /** Prepares the matcher for symbols of `from` that `to` lacks. */
  static build(from: KconfigModel, to: KconfigModel, options: RenameMatcherOptions = {}): RenameMatcher {
    return new RenameMatcher(from, to, options.threshold ?? DEFAULT_THRESHOLD);
  }

  /**
   * The successors of `name` in `to`. Undefined when `from` does not define `name`. When `to` defines it too,
   * the one candidate is `moved` if its file or menu changed (no candidates if neither did).
   */
  find(name: string): RenameResult | undefined {
    const sym = defined(this.#from, name);
    if (!sym) return undefined;
    const location = where(mainNode(sym));
    const same = defined(this.#to, name);
    if (same) return { name, location, type: sym.type, candidates: movedCandidate(sym, same) };
    const subjects: Unit[] = [symbolUnit(sym, this.#words)];
    if (sym.choice) {
      const members = this.#fromChoices.get(sym.choice) ?? [];
      if (members.every((m) => !defined(this.#to, m.name))) subjects.push(choiceUnit(sym.choice, members, this.#words));
    }
    const anchors = subjects.map((s) => anchorsOf(this.#fromPlace, this.#toPlace, s.node, s.members));
    const scored: RenameCandidate[] = [];
    for (const c of this.#candidates) {
      let best: RenameCandidate | undefined;
      for (let k = 0; k < subjects.length; k++) {
        const r = this.#score(subjects[k], anchors[k], c);
        if (r && (!best || r.score > best.score)) best = r;
      }
      if (best && best.score >= this.#threshold) scored.push(best);
    }
    scored.sort((a, b) => b.score - a.score || a.name.localeCompare(b.name));
    // a choice and its own members: keep the choice
    const choices = new Set(scored.filter((c) => c.type === 'choice').flatMap((c) => c.members ?? []));
    const kept = scored.filter((c) => !choices.has(c.name));
    const top = kept.length > 0 ? kept[0].score : 0;
    const out = kept.filter((c) => c.score >= top - 2).slice(0, 3);
    if (out.length === 1 && isSameMeaning(sym, out[0])) out[0] = { ...out[0], sameMeaning: true };
    return { name, location, type: sym.type, candidates: out };
  }

  /** The evidence that `c` (in `to`) took the place of `s` (in `from`), or undefined when there is none to speak of. */
  #score(s: Unit, anchors: Anchors, c: Unit): RenameCandidate | undefined {
    const ev: [number, string][] = [];
    const kinds = new Set<string>();
    let strongText = false;
    let helpSimilarity = 0;
    // prompt
    if (s.prompt && c.prompt) {
      if (s.promptKey === c.promptKey) {
        const specific = s.promptWords.size >= 3;
        strongText ||= specific;
        ev.push([specific ? 4 : 1.5, `same prompt "${c.prompt}"`]);
        kinds.add('prompt');
      } else {
        const d = this.#words.dice(s.promptWords, c.promptWords);
        if (d >= 0.6) {
          strongText ||= d >= 0.8;
          ev.push([3 * d, `similar prompt ("${s.prompt}" → "${c.prompt}")`]);
          kinds.add('prompt');
        }
      }
    }
    // help text
    if (s.helpWords.size >= 3 && c.helpWords.size >= 3) {
      const d = this.#words.dice(s.helpWords, c.helpWords, s.helpWeight, c.helpWeight);
      helpSimilarity = d;
      if (d >= 0.9) {
        ev.push([4, 'same help text']);
        strongText = true;
        kinds.add('help');
      } else if (d >= 0.35) {
        strongText ||= d >= 0.8;
        ev.push([6 * (d - 0.3), `similar help text (${Math.round(d * 100)}% of the weighted words shared)`]);
        kinds.add('help');
      }
    }
    // place: between the same neighbours, or right after/before one
    const near = neighbourhood(this.#toPlace, anchors, c.node, this.#isNewEntry);
    if (near) {
      ev.push(near);
      kinds.add('place');
    }
    // the name alone is never enough: skip the rest when nothing else speaks for `c`
    if (kinds.size === 0) return undefined;
    // file
    if (s.node.span.file === c.node.span.file) ev.push([1, `same file ${c.node.span.file}`]);
    else if (dirOf(s.node.span.file) === dirOf(c.node.span.file)) ev.push([0.5, `same directory ${dirOf(c.node.span.file)}`]);
    // name: a rare token beyond the shared family prefix (RTC_DRV_, SND_SOC_INTEL_) must match to count
    const sn = matchName(s);
    const cn = matchName(c);
    let nameSpeaks = false;
    if (sn && cn) {
      const o = nameOverlap(sn, cn, (t) => this.#nameWeights.weight(t));
      const w = 3 * o.coverA * (0.5 + 0.5 * o.coverB);
      const family = commonNamePrefix([sn, cn]);
      const familyTokens = new Set(family ? family.split('_') : []);
      // one name inside the other, on token boundaries (PTDUMP in PTDUMP_CORE, RETPOLINE in MITIGATION_RETPOLINE)
      const contained = (x: string, y: string) =>
        `_${y}_`.includes(`_${x}_`) && (nameTokens(x).length >= 2 || this.#nameWeights.documents(x) <= RARE_NAME_TOKEN);
      nameSpeaks =
        o.coverA === 1 ||
        (o.coverA >= 0.75 && o.coverB >= 0.75) ||
        o.abbreviated.some((t) => t.length >= 3) ||
        contained(sn, cn) ||
        contained(cn, sn) ||
        o.shared.some((t) => !familyTokens.has(t) && this.#nameWeights.documents(t) <= RARE_NAME_TOKEN) ||
        o.variants.length > 0;
      if (nameSpeaks && w >= 0.75) {
        const parts = [o.shared.length > 0 ? `shares ${o.shared.join(', ')}` : '', ...o.variants, ...o.abbreviations].filter(Boolean);
        const inside = (x: string, y: string) => `_${y}_`.includes(`_${x}_`);
        const text = sn === cn ? `the choice's members are ${cn}_*` : inside(sn, cn) ? `${sn} is part of ${cn}` : inside(cn, sn) ? `${cn} is part of ${sn}` : parts.join('; ');
        ev.push([w, `name: ${text}`]);
        kinds.add('name');
      } else if (family) ev.push([0.5, `same name family ${family}_`]);
    }
    // without the name, only the same text (or prompt, help and place together) says it is the same option,
    // not a sibling driver that took the removed one's place in the list
    if (!kinds.has('name') && !strongText && !(kinds.size >= 3 && helpSimilarity >= 0.6)) return undefined;
    // type
    let relation: RenameRelation = 'renamed';
    if (c.type === 'choice' && s.type !== 'choice') {
      relation = 'became-choice';
      if (s.type === 'bool' || s.type === 'tristate') ev.push([0.5, `a choice of ${c.members.length} bool(s) in place of the ${s.type}`]);
    } else if (s.type === 'choice' && c.type !== 'choice') {
      relation = 'left-choice';
      if (c.type === 'bool' || c.type === 'tristate') ev.push([0.5, `a ${c.type} in place of its choice`]);
    } else if (s.type === c.type) ev.push([0.5, `same type (${c.type})`]);
    else if (!(isBoolish(s.type) && isBoolish(c.type))) ev.push([-3, `different type (${s.type} → ${c.type})`]);
    // dependencies
    if (s.deps.size > 0 && c.deps.size > 0) {
      const common = [...s.deps].filter((d) => c.deps.has(d));
      if (common.length / new Set([...s.deps, ...c.deps]).size >= 0.6) ev.push([0.75, `same dependencies (${common.slice(0, 4).join(', ')}${common.length > 4 ? ', …' : ''})`]);
    }
    // two independent kinds of evidence at least: one coincidence is not a rename
    if (kinds.size < 2) return undefined;
    const member = c.type === 'choice' && s.type !== 'choice' ? this.#sameMember(s, c) : undefined;
    if (member) ev.push([1, `its member ${member.name} has the ${member.why}`]);
    ev.sort((a, b) => b[0] - a[0]);
    const score = Math.round(ev.reduce((t, [w]) => t + w, 0) * 100) / 100;
    return {
      name: c.name,
      relation,
      type: c.type,
      ...(c.type === 'choice' ? { members: c.members.map((m) => m.name), ...(member ? { member: member.name } : {}) } : {}),
      ...(c.prompt ? { prompt: c.prompt } : {}),
      location: where(c.node),
      score,
      evidence: ev.filter(([w]) => w > 0).map(([, e]) => e),
      sameMeaning: false,
    };
  }

  /** The member of choice `c` whose prompt or help text is the subject's (DEBUG_INFO_COMPRESSED → …_ZLIB). */
  #sameMember(s: Unit, c: Unit): { name: string; why: string } | undefined {
    const found: { name: string; why: string }[] = [];
    for (const m of c.members) {
      const u = symbolUnit(m, this.#words);
      if (s.prompt && u.prompt && s.promptWords.size >= 3 && s.promptKey === u.promptKey) found.push({ name: m.name, why: 'same prompt' });
      else if (s.helpWords.size >= 3 && u.helpWords.size >= 3 && this.#words.dice(s.helpWords, u.helpWords, s.helpWeight, u.helpWeight) >= 0.8) found.push({ name: m.name, why: 'same help text' });
    }
    return found.length === 1 ? found[0] : undefined;
  }
}

function dirOf(file: string): string {
  const k = file.lastIndexOf('/');
  return k < 0 ? '.' : file.slice(0, k);
}

function isBoolish(t: SymbolType | 'choice'): boolean {
  return t === 'bool' || t === 'tristate' || t === 'choice';
}

function menuPath(node: MenuNode): string {
  const parts: string[] = [];
  for (let p = node.parent; p && p.parent; p = p.parent) if (p.kind === 'menu' && p.prompt) parts.unshift(p.prompt.text);
  return parts.join(' → ');
}

function movedCandidate(a: KconfigSymbol, b: KconfigSymbol): RenameCandidate[] {
  const na = mainNode(a);
  const nb = mainNode(b);
  const ev: string[] = [];
  if (na.span.file !== nb.span.file) ev.push(`defined in ${na.span.file}, now in ${nb.span.file}`);
  const ma = menuPath(na);
  const mb = menuPath(nb);
  if (ma !== mb) ev.push(`in the menu "${ma || 'top level'}", now in "${mb || 'top level'}"`);
  if (ev.length === 0) return [];
  return [{ name: b.name, relation: 'moved', type: b.type, ...(b.prompts[0] ? { prompt: b.prompts[0].text } : {}), location: where(nb), score: 10, evidence: ev, sameMeaning: a.type === b.type }];
}

function isSameMeaning(sym: KconfigSymbol, c: RenameCandidate): boolean {
  return (
    c.relation === 'renamed' &&
    c.type === sym.type &&
    (sym.type === 'bool' || sym.type === 'tristate') &&
    c.evidence.some((e) => e.startsWith('same prompt') || e === 'same help text')
  );
}
