// A small C preprocessor, enough to read device-ID tables out of kernel sources: comments, line joining,
// #define/#undef in order, local #include "…" inlined, #if/#ifdef/#elif/#else with CONFIG_ values, and
// macro expansion (object- and function-like, #, ##, __VA_ARGS__) with a fallback to the tree's headers.

/** One C token. */
export interface Token {
  readonly t: string;
  readonly k: 'id' | 'num' | 'str' | 'chr' | 'punct';
}

/** A macro definition: `params === null` for object-like macros. */
export interface Macro {
  readonly params: readonly string[] | null;
  readonly variadic: boolean;
  readonly body: readonly Token[];
}

/** Files of the tree and the global `#define`s of its headers. */
export interface PreprocessHost {
  readFile(path: string): string | undefined;
  /** A macro defined in the tree's shared headers (include/, arch/<arch>/include/), by name. */
  globalMacro(name: string): Macro | undefined;
  /** True when a shared header defines an ID table itself (memoised by the host; optional). */
  headerHasTable?(path: string): boolean;
}

/** Where a macro was (re)defined or undefined in the preprocessed output. */
export interface MacroEvent {
  readonly offset: number;
  readonly name: string;
  readonly macro: Macro | undefined;
}

/** The preprocessed text of one file with every macro event in order. */
export interface PreprocessedFile {
  readonly text: string;
  readonly events: readonly MacroEvent[];
  readonly problems: readonly string[];
}

const PUNCT3 = ['...', '<<=', '>>='];
const PUNCT2 = ['##', '<<', '>>', '<=', '>=', '==', '!=', '&&', '||', '->', '++', '--', '+=', '-=', '*=', '/=', '|=', '&=', '^=', '%='];

function isIdent(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

/** Splits C text into tokens (comments must already be gone). */
export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 11) {
      i++;
      continue;
    }
    if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95) {
      let j = i + 1;
      while (j < n && isIdent(text.charCodeAt(j))) j++;
      out.push({ t: text.slice(i, j), k: 'id' });
      i = j;
      continue;
    }
    if ((c >= 48 && c <= 57) || (c === 46 && text.charCodeAt(i + 1) >= 48 && text.charCodeAt(i + 1) <= 57)) {
      let j = i + 1;
      while (j < n && (isIdent(text.charCodeAt(j)) || text.charCodeAt(j) === 46)) j++;
      out.push({ t: text.slice(i, j), k: 'num' });
      i = j;
      continue;
    }
    if (c === 34 || c === 39) {
      let j = i + 1;
      while (j < n && text.charCodeAt(j) !== c && text[j] !== '\n') j += text[j] === '\\' ? 2 : 1;
      out.push({ t: text.slice(i, j + 1), k: c === 34 ? 'str' : 'chr' });
      i = j + 1;
      continue;
    }
    const three = text.slice(i, i + 3);
    const two = text.slice(i, i + 2);
    if (PUNCT3.includes(three)) {
      out.push({ t: three, k: 'punct' });
      i += 3;
    } else if (PUNCT2.includes(two)) {
      out.push({ t: two, k: 'punct' });
      i += 2;
    } else {
      out.push({ t: text[i]!, k: 'punct' });
      i++;
    }
  }
  return out;
}

/** Removes comments (keeping newlines, strings and character literals intact) and joins continued lines. */
export function stripComments(text: string): string {
  const parts: string[] = [];
  let i = 0;
  let from = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 47 /* / */ && text.charCodeAt(i + 1) === 42 /* * */) {
      parts.push(text.slice(from, i));
      const end = text.indexOf('*/', i + 2);
      const stop = end < 0 ? n : end + 2;
      let nl = 0;
      for (let k = i; k < stop; k++) if (text.charCodeAt(k) === 10) nl++;
      parts.push(nl > 0 ? ` ${'\n'.repeat(nl)}` : ' ');
      i = stop;
      from = i;
    } else if (c === 47 && text.charCodeAt(i + 1) === 47) {
      parts.push(text.slice(from, i));
      while (i < n && text.charCodeAt(i) !== 10) {
        if (text.charCodeAt(i) === 92 && text.charCodeAt(i + 1) === 10) break;
        i++;
      }
      from = i;
    } else if (c === 34 || c === 39) {
      let j = i + 1;
      while (j < n && text.charCodeAt(j) !== c && text.charCodeAt(j) !== 10) j += text.charCodeAt(j) === 92 ? 2 : 1;
      i = j + 1;
    } else {
      i++;
    }
  }
  parts.push(text.slice(from));
  return parts.join('').replace(/\\\r?\n/g, '');
}

/** Parses the text after `#define` into a name and a macro. */
export function parseDefine(rest: string): { name: string; macro: Macro } | undefined {
  const m = /^\s*([A-Za-z_]\w*)(\()?/.exec(rest);
  if (!m) return undefined;
  const name = m[1]!;
  if (m[2] === undefined) return { name, macro: { params: null, variadic: false, body: tokenize(rest.slice(m[0].length)) } };
  const close = rest.indexOf(')', m[0].length);
  if (close < 0) return undefined;
  let variadic = false;
  const params = rest
    .slice(m[0].length, close)
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '')
    .map((p) => {
      if (p === '...') {
        variadic = true;
        return '__VA_ARGS__';
      }
      if (p.endsWith('...')) {
        variadic = true;
        return p.slice(0, -3).trim();
      }
      return p;
    });
  return { name, macro: { params, variadic, body: tokenize(rest.slice(close + 1)) } };
}

/** Looks a macro up by name. */
export type MacroLookup = (name: string) => Macro | undefined;

function stringify(tokens: readonly Token[]): Token {
  const s = tokens.map((t) => t.t).join(' ').replace(/\\/g, '\\\\').replace(/"/g, '\\"');
  return { t: `"${s}"`, k: 'str' };
}

function paste(a: Token | undefined, b: Token | undefined): Token[] {
  if (a === undefined) return b ? [b] : [];
  if (b === undefined) return [a];
  const joined = tokenize(a.t + b.t);
  return joined.length === 1 ? joined : [a, b];
}

/** Appends without spreading (a whole file's tokens would overflow the argument stack). */
function append(out: Token[], more: readonly Token[]): void {
  for (let k = 0; k < more.length; k++) out.push(more[k]!);
}

/**
 * Expands macros in `tokens` (C11 6.10.3 rules, simplified: a macro is not re-expanded inside its own
 * expansion). Mirrors what cpp does for the constructs kernel ID tables use.
 */
export function expandTokens(input: readonly Token[], lookup: MacroLookup, disabled: ReadonlySet<string> = new Set(), budget = { steps: 200000 }): Token[] {
  const out: Token[] = [];
  let tokens = input;
  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i]!;
    if (tok.k !== 'id' || disabled.has(tok.t) || budget.steps <= 0) {
      out.push(tok);
      continue;
    }
    const macro = lookup(tok.t);
    if (macro === undefined) {
      out.push(tok);
      continue;
    }
    budget.steps--;
    const inner = new Set(disabled);
    inner.add(tok.t);
    if (macro.params === null) {
      const exp = expandTokens(substitute(macro, [], lookup, inner, budget), lookup, inner, budget);
      // The expansion may end in the name of a function-like macro whose `(…)` follows in the source
      // (`#define COMPLIANT_DEV UNUSUAL_DEV`): rescan it together with the rest, as cpp does.
      const last = exp[exp.length - 1];
      if (last !== undefined && last.k === 'id' && tokens[i + 1]?.t === '(' && !disabled.has(last.t) && lookup(last.t)?.params) {
        append(out, exp.slice(0, -1));
        tokens = [last, ...tokens.slice(i + 1)];
        i = -1;
        continue;
      }
      append(out, exp);
      continue;
    }
    if (tokens[i + 1]?.t !== '(') {
      out.push(tok);
      continue;
    }
    const args: Token[][] = [[]];
    let depth = 0;
    let j = i + 2;
    for (; j < tokens.length; j++) {
      const t = tokens[j]!;
      if (t.t === '(' ) depth++;
      else if (t.t === ')') {
        if (depth === 0) break;
        depth--;
      } else if (t.t === ',' && depth === 0 && !(macro.variadic && args.length >= macro.params.length)) {
        args.push([]);
        continue;
      }
      args[args.length - 1]!.push(t);
    }
    i = j;
    append(out, expandTokens(substitute(macro, args, lookup, inner, budget), lookup, inner, budget));
  }
  return out;
}

function substitute(macro: Macro, args: Token[][], lookup: MacroLookup, disabled: ReadonlySet<string>, budget: { steps: number }): Token[] {
  const params = macro.params ?? [];
  const argOf = (name: string): Token[] | undefined => {
    const k = params.indexOf(name);
    return k < 0 ? undefined : (args[k] ?? []);
  };
  const body = macro.body;
  const out: Token[] = [];
  for (let i = 0; i < body.length; i++) {
    const tok = body[i]!;
    if (tok.t === '#' && body[i + 1] && argOf(body[i + 1]!.t) !== undefined) {
      out.push(stringify(argOf(body[i + 1]!.t)!));
      i++;
      continue;
    }
    if (tok.t === '##') {
      const next = body[i + 1];
      i++;
      if (next === undefined) continue;
      const nextArg = argOf(next.t);
      const right = nextArg ?? [next];
      // GNU: `, ## __VA_ARGS__` drops the comma when the variadic part is empty.
      if (next.t === '__VA_ARGS__' || (macro.variadic && next.t === params[params.length - 1])) {
        if (right.length === 0 && out[out.length - 1]?.t === ',') out.pop();
        else append(out, right);
        continue;
      }
      const left = out.pop();
      append(out, paste(left, right[0]));
      append(out, right.slice(1));
      continue;
    }
    const arg = argOf(tok.t);
    if (arg !== undefined) {
      if (body[i + 1]?.t === '##') append(out, arg);
      else append(out, expandTokens(arg, lookup, disabled, budget));
    } else {
      out.push(tok);
    }
  }
  return out;
}

/**
 * The enumerators of every `enum { … }` in C text, as object-like macros (`A` → `0`, `B = 5` → `(5)`,
 * `C` → `(B + 1)`), so constant expressions in ID tables can use them.
 */
export function enumMacros(text: string): Map<string, Macro> {
  const out = new Map<string, Macro>();
  for (const m of text.matchAll(/\benum\b\s*\w*\s*\{([^{}]*)\}/g)) {
    let prev: string | undefined;
    const parts: string[] = [];
    let depth = 0;
    let start = 0;
    const body = m[1]!.includes('/') ? stripComments(m[1]!) : m[1]!;
    for (let i = 0; i < body.length; i++) {
      const c = body[i];
      if (c === '(') depth++;
      else if (c === ')') depth--;
      else if (c === ',' && depth === 0) {
        parts.push(body.slice(start, i));
        start = i + 1;
      }
    }
    parts.push(body.slice(start));
    for (const part of parts) {
      const em = /^\s*([A-Za-z_]\w*)\s*(?:=\s*([\s\S]+?))?\s*$/.exec(part);
      if (!em) continue;
      const name = em[1]!;
      const body = em[2] !== undefined ? `(${em[2]})` : prev === undefined ? '0' : `(${prev} + 1)`;
      if (!out.has(name)) out.set(name, { params: null, variadic: false, body: tokenize(body) });
      prev = name;
    }
  }
  return out;
}
