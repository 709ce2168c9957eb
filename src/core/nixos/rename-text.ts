// The text measures of the rename matcher (renames.ts): words of prompts and help texts weighted by how rare
// they are in a tree (IDF), a weighted Dice overlap, and symbol-name tokens with abbreviations
// (MHP ↔ MEMORY_HOTPLUG). Pure functions over strings.

/** Words that say nothing about what an option is for. */
const STOP_WORDS = new Set(
  'a an and are as at be been by can do does for from has have if in into is it its may more most no not of on or say so such that the their then there these this those to use used uses using was were when which will with would you your'.split(' '),
);

/** The content words of a prompt or help text: lower case, letters and digits, two characters or more, no stop words. */
export function textWords(text: string): Set<string> {
  const out = new Set<string>();
  for (const w of text.toLowerCase().split(/[^a-z0-9]+/)) {
    if (w.length >= 2 && !STOP_WORDS.has(w)) out.add(w);
  }
  return out;
}

/** A prompt compared for identity: lower case, runs of spaces and punctuation folded to one space. */
export function normalizePrompt(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();
}

/** Inverse document frequencies over a set of documents (each a word set); unknown words get the highest weight. */
export class WordWeights {
  readonly #idf: Map<string, number>;
  readonly #df: Map<string, number>;
  readonly #unknown: number;

  private constructor(idf: Map<string, number>, df: Map<string, number>, unknown: number) {
    this.#idf = idf;
    this.#df = df;
    this.#unknown = unknown;
  }

  /** Counts in how many documents each word occurs: weight = ln((N + 1) / (df + 1)) + 0.1. */
  static build(documents: Iterable<ReadonlySet<string>>): WordWeights {
    const df = new Map<string, number>();
    let n = 0;
    for (const d of documents) {
      n++;
      for (const w of d) df.set(w, (df.get(w) ?? 0) + 1);
    }
    const idf = new Map<string, number>();
    for (const [w, c] of df) idf.set(w, Math.log((n + 1) / (c + 1)) + 0.1);
    return new WordWeights(idf, df, Math.log(n + 1) + 0.1);
  }

  /** In how many documents `word` occurs. */
  documents(word: string): number {
    return this.#df.get(word) ?? 0;
  }

  /** The weight of one word. */
  weight(word: string): number {
    return this.#idf.get(word) ?? this.#unknown;
  }

  /** The summed weight of a word set. */
  total(words: ReadonlySet<string>): number {
    let t = 0;
    for (const w of words) t += this.weight(w);
    return t;
  }

  /** Weighted Dice coefficient: 2·w(A∩B) / (w(A) + w(B)), 0 when both are empty; the totals may be passed in when known. */
  dice(a: ReadonlySet<string>, b: ReadonlySet<string>, totalA = this.total(a), totalB = this.total(b)): number {
    const [small, large] = a.size <= b.size ? [a, b] : [b, a];
    let common = 0;
    for (const w of small) if (large.has(w)) common += this.weight(w);
    const sum = totalA + totalB;
    return sum === 0 ? 0 : (2 * common) / sum;
  }
}

/** The `_`-separated tokens of a symbol name (`MEMORY_HOTPLUG_DEFAULT_ONLINE` → MEMORY, HOTPLUG, DEFAULT, ONLINE). */
export function nameTokens(name: string): string[] {
  return name.split('_').filter((t) => t.length > 0);
}

/**
 * True when `short` abbreviates the run of tokens `run` (two or more): each token gives its first letter and
 * maybe more of its letters in order (`MHP` ↔ MEMORY HOTPLUG, `DP` ↔ DISPLAY PORT, `FS` ↔ FILE SYSTEM).
 */
export function abbreviates(short: string, run: readonly string[]): boolean {
  if (run.length < 2 || short.length < run.length || short.length > 6) return false;
  const step = (p: number, i: number): boolean => {
    if (i === run.length) return p === short.length;
    const tok = run[i];
    if (p >= short.length || short[p] !== tok[0]) return false;
    // consume k more letters of `short` as a subsequence of the rest of this token, for every k
    let q = p + 1;
    let j = 1;
    for (;;) {
      if (step(q, i + 1)) return true;
      while (j < tok.length && tok[j] !== short[q]) j++;
      if (j >= tok.length || q >= short.length) return false;
      q++;
      j++;
    }
  };
  return step(0, 0);
}

/** How two names share tokens: which tokens of `a` are found in `b` (exactly or as an abbreviation) and the pairs. */
export interface NameOverlap {
  /** Tokens of `a` found in `b`. */
  readonly shared: readonly string[];
  /** Chip-name variants found, as `MT7986 ~ MT798X` (a's token first). */
  readonly variants: readonly string[];
  /** Abbreviations found, as `MHP ↔ MEMORY_HOTPLUG` (each name's side where it is). */
  readonly abbreviations: readonly string[];
  /** The short tokens of those abbreviations (`MHP`). */
  readonly abbreviated: readonly string[];
  /** The weight of `a`'s matched tokens over the weight of all of `a`'s tokens (0…1). */
  readonly coverA: number;
  /** The same for `b`. */
  readonly coverB: number;
}

/** Matches the tokens of two names; `weight` gives a token's rarity (shared rare tokens count more). */
export function nameOverlap(a: string, b: string, weight: (token: string) => number): NameOverlap {
  const ta = nameTokens(a);
  const tb = nameTokens(b);
  const matchedA = new Array<boolean>(ta.length).fill(false);
  const matchedB = new Array<boolean>(tb.length).fill(false);
  const shared: string[] = [];
  const abbreviations: string[] = [];
  const abbreviated: string[] = [];
  const variants: string[] = [];
  for (let i = 0; i < ta.length; i++) {
    const j = tb.findIndex((t, k) => !matchedB[k] && t === ta[i]);
    if (j >= 0) {
      matchedA[i] = matchedB[j] = true;
      shared.push(ta[i]);
    }
  }
  // chip-name variants: MT798X ~ MT7986 (X stands for a character), LOONGSON1 ~ LOONGSON (a trailing number dropped)
  for (let i = 0; i < ta.length; i++) {
    if (matchedA[i]) continue;
    const j = tb.findIndex((t, k) => !matchedB[k] && isVariant(ta[i], t));
    if (j >= 0) {
      matchedA[i] = matchedB[j] = true;
      variants.push(`${ta[i]} ~ ${tb[j]}`);
    }
  }
  // an unmatched token of one name abbreviating a run of unmatched tokens of the other
  const tryAbbrev = (shortTokens: string[], shortMatched: boolean[], longTokens: string[], longMatched: boolean[], aIsShort: boolean) => {
    for (let i = 0; i < shortTokens.length; i++) {
      if (shortMatched[i]) continue;
      for (let s = 0; s < longTokens.length && !shortMatched[i]; s++) {
        for (let len = Math.min(4, longTokens.length - s); len >= 2; len--) {
          const run = longTokens.slice(s, s + len);
          if (longMatched.slice(s, s + len).some((m) => m) || !abbreviates(shortTokens[i], run)) continue;
          shortMatched[i] = true;
          for (let k = s; k < s + len; k++) longMatched[k] = true;
          abbreviated.push(shortTokens[i]);
          abbreviations.push(aIsShort ? `${shortTokens[i]} ↔ ${run.join('_')}` : `${run.join('_')} ↔ ${shortTokens[i]}`);
          break;
        }
      }
    }
  };
  tryAbbrev(ta, matchedA, tb, matchedB, true);
  tryAbbrev(tb, matchedB, ta, matchedA, false);
  const cover = (tokens: string[], matched: boolean[]) => {
    let all = 0;
    let hit = 0;
    for (let i = 0; i < tokens.length; i++) {
      const w = weight(tokens[i]);
      all += w;
      if (matched[i]) hit += w;
    }
    return all === 0 ? 0 : hit / all;
  };
  return { shared, variants, abbreviations, abbreviated, coverA: cover(ta, matchedA), coverB: cover(tb, matchedB) };
}

/**
 * True when two different tokens name the same chip family: equal length where one has `X` for a character of the
 * other (MT798X ~ MT7986, MAX597X ~ MAX5970), or one is the other with a trailing number (LOONGSON1 ~ LOONGSON).
 * Two different numbers (CYTTSP4, CYTTSP5) are not variants.
 */
export function isVariant(a: string, b: string): boolean {
  if (a === b || a.length < 4 || b.length < 4) return false;
  if (a.length === b.length) {
    let wild = 0;
    for (let i = 0; i < a.length; i++) {
      if (a[i] === b[i]) continue;
      if ((a[i] === 'X' && /[0-9A-Z]/.test(b[i])) || (b[i] === 'X' && /[0-9A-Z]/.test(a[i]))) wild++;
      else return false;
    }
    return wild > 0 && wild < a.length / 2;
  }
  const [short, long] = a.length < b.length ? [a, b] : [b, a];
  return /[A-Z]$/.test(short) && long.startsWith(short) && /^[0-9]+$/.test(long.slice(short.length));
}

/** The longest common `_`-token prefix of some names (`MHP_DEFAULT_ONLINE_TYPE` for the MHP choice's members), or ''. */
export function commonNamePrefix(names: readonly string[]): string {
  if (names.length === 0) return '';
  let prefix = nameTokens(names[0]);
  for (const n of names.slice(1)) {
    const t = nameTokens(n);
    let k = 0;
    while (k < prefix.length && k < t.length && prefix[k] === t[k]) k++;
    prefix = prefix.slice(0, k);
  }
  return prefix.join('_');
}
