// A GNU make evaluator for the part of make that Kbuild Makefiles use to select objects: variables
// (recursive and simple, +=, ?=), conditionals, include, define, $(eval), and the text functions — with
// provenance: every word of a variable remembers which CONFIG_ symbols put it there (from the assignment's
// left-hand side, the enclosing conditionals and the variables it came through).
// Rules and recipes are skipped; $(shell) and compiler probes expand to nothing.

/** What the evaluator needs from the outside: files of the tree (paths relative to the tree root). */
export interface MakeHost {
  readFile(path: string): string | undefined;
  /** Names in a directory, or `undefined` when it does not exist (for `$(wildcard)`). */
  listDir(path: string): readonly string[] | undefined;
}

/** A problem met while evaluating (missing include, unbalanced conditional), with its place. */
export interface MakeProblem {
  readonly file: string;
  readonly line: number;
  readonly message: string;
}

/** Word → the sets of CONFIG_ symbols (without the prefix) that put it into a variable; `''` marks an unconditional occurrence. */
export type WordProvenance = Map<string, Set<string>>;

interface Segment {
  readonly text: string;
  readonly expanded: boolean;
  /** Symbols of the assignment's left-hand side and enclosing conditionals. */
  readonly syms: readonly string[];
  /** For simple segments: provenance gathered when they were expanded. */
  readonly prov?: WordProvenance;
}

interface Variable {
  flavor: 'recursive' | 'simple';
  segments: Segment[];
}

const FUNCTIONS = new Set([
  'subst', 'patsubst', 'strip', 'findstring', 'filter', 'filter-out', 'sort', 'word', 'wordlist', 'words',
  'firstword', 'lastword', 'dir', 'notdir', 'suffix', 'basename', 'addsuffix', 'addprefix', 'join', 'wildcard',
  'realpath', 'abspath', 'if', 'or', 'and', 'foreach', 'call', 'value', 'eval', 'origin', 'flavor', 'shell',
  'error', 'warning', 'info', 'file', 'let',
]);

function words(text: string): string[] {
  const t = text.trim();
  return t === '' ? [] : t.split(/\s+/);
}

function addProv(into: WordProvenance, word: string, syms: Iterable<string>, unconditional: boolean): void {
  let set = into.get(word);
  if (set === undefined) {
    set = new Set();
    into.set(word, set);
  }
  let any = false;
  for (const s of syms) {
    set.add(s);
    any = true;
  }
  if (!any && unconditional) set.add('');
}

/** Converts a make `%` pattern to a matcher returning the stem, or `undefined`. */
function patternMatch(pattern: string, word: string): string | undefined {
  const pct = pattern.indexOf('%');
  if (pct < 0) return pattern === word ? '' : undefined;
  const pre = pattern.slice(0, pct);
  const post = pattern.slice(pct + 1);
  if (word.length >= pre.length + post.length && word.startsWith(pre) && word.endsWith(post)) return word.slice(pre.length, word.length - post.length);
  return undefined;
}

function patsubst(pattern: string, replacement: string, word: string): string {
  const stem = patternMatch(pattern, word);
  if (stem === undefined) return word;
  return replacement.includes('%') ? replacement.replace('%', stem) : replacement;
}

/** Splits function arguments on top-level commas (at most `max` pieces; the last keeps extra commas). */
function splitArgs(text: string, max: number): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '(' || c === '{') depth++;
    else if (c === ')' || c === '}') depth--;
    else if (c === ',' && depth === 0 && out.length < max - 1) {
      out.push(text.slice(start, i));
      start = i + 1;
    }
  }
  out.push(text.slice(start));
  return out;
}

function normalizePath(path: string): string {
  const parts: string[] = [];
  for (const p of path.split('/')) {
    if (p === '' || p === '.') continue;
    if (p === '..') parts.pop();
    else parts.push(p);
  }
  return parts.join('/') || '.';
}

/**
 * One make evaluation context (one `make` invocation over one directory's Makefile).
 * Mirrors the relevant parts of GNU make's read.c (line parsing, conditionals) and expand.c/function.c.
 */
export class MakeEvaluator {
  private readonly vars = new Map<string, Variable>();
  private readonly condSyms: string[][] = [];
  private refs: Set<string> | null = null;
  private prov: WordProvenance | null = null;
  private inTarget = false;
  private depth = 0;
  readonly problems: MakeProblem[] = [];

  /**
   * `config` gives CONFIG_ values (name without prefix → `y`, `m` or a string); with `optimistic`, an unset
   * symbol on an assignment's left-hand side reads as `y`, so every object of the tree is seen with its gate.
   */
  private readonly host: MakeHost;
  private readonly config: ReadonlyMap<string, string>;
  private readonly optimistic: boolean;

  constructor(host: MakeHost, config: ReadonlyMap<string, string>, optimistic = false) {
    this.host = host;
    this.config = config;
    this.optimistic = optimistic;
  }

  /** Defines a simple variable (like `make VAR=value`), optionally with provenance for its words. */
  define(name: string, value: string, prov?: WordProvenance): void {
    this.vars.set(name, { flavor: 'simple', segments: [{ text: value, expanded: true, syms: [], prov }] });
  }

  /** The expanded value of a variable. */
  value(name: string): string {
    return this.expand(`$(${name})`);
  }

  /** The words of a variable with, for each, the symbols that put it there. */
  provenance(name: string): WordProvenance {
    const saved = this.prov;
    const savedRefs = this.refs;
    const out: WordProvenance = new Map();
    this.prov = out;
    this.refs = new Set();
    this.expand(`$(${name})`);
    this.prov = saved;
    this.refs = savedRefs;
    return out;
  }

  /** Reads and evaluates a Makefile (paths relative to the tree root). */
  include(path: string, optional = false): boolean {
    const text = this.host.readFile(normalizePath(path));
    if (text === undefined) return false;
    if (this.depth > 20) {
      this.problems.push({ file: path, line: 1, message: 'includes nested more than 20 deep; stopped' });
      return true;
    }
    this.depth++;
    this.evaluateText(text, normalizePath(path));
    this.depth--;
    void optional;
    return true;
  }

  private lookupConfig(name: string): string {
    const v = this.config.get(name.slice(7));
    if (v !== undefined) return v;
    return this.optimistic && this.inTarget ? 'y' : '';
  }

  private variableText(name: string): string {
    if (name.startsWith('CONFIG_') && !this.vars.has(name)) {
      const v = this.lookupConfig(name);
      if (this.refs !== null && (v !== '' || (this.optimistic && this.inTarget))) this.refs.add(name.slice(7));
      return v;
    }
    const variable = this.vars.get(name);
    if (variable === undefined) return '';
    let out = '';
    for (const seg of variable.segments) {
      const text = seg.expanded ? seg.text : this.expandSegment(seg);
      if (seg.expanded && this.prov !== null) {
        for (const w of words(seg.text)) {
          const inner = seg.prov?.get(w);
          addProv(this.prov, w, inner ? [...seg.syms, ...[...inner].filter((s) => s !== '')] : seg.syms, true);
        }
      }
      out = out === '' ? text : text === '' ? out : `${out} ${text}`;
    }
    return out;
  }

  private expandSegment(seg: Segment): string {
    if (this.prov === null) return this.expand(seg.text);
    const outer = this.prov;
    const outerRefs = this.refs;
    const inner: WordProvenance = new Map();
    const innerRefs = new Set<string>();
    this.prov = inner;
    this.refs = innerRefs;
    const text = this.expand(seg.text);
    this.prov = outer;
    this.refs = outerRefs;
    for (const w of words(text)) {
      const extra = inner.get(w);
      addProv(outer, w, extra ? [...seg.syms, ...innerRefs, ...[...extra].filter((s) => s !== '')] : [...seg.syms, ...innerRefs], true);
    }
    return text;
  }

  /** Expands `$(…)` references in `text`. */
  expand(text: string): string {
    if (!text.includes('$')) return text;
    let out = '';
    let i = 0;
    while (i < text.length) {
      const d = text.indexOf('$', i);
      if (d < 0) {
        out += text.slice(i);
        break;
      }
      out += text.slice(i, d);
      const c = text[d + 1];
      if (c === undefined) break;
      if (c === '$') {
        out += '$';
        i = d + 2;
      } else if (c === '(' || c === '{') {
        const close = c === '(' ? ')' : '}';
        let depth = 1;
        let j = d + 2;
        for (; j < text.length; j++) {
          if (text[j] === c) depth++;
          else if (text[j] === close && --depth === 0) break;
        }
        out += this.reference(text.slice(d + 2, j));
        i = j + 1;
      } else {
        out += this.variableText(c);
        i = d + 2;
      }
    }
    return out;
  }

  private reference(body: string): string {
    const m = /^([a-z-]+)[ \t]/.exec(body);
    if (m && FUNCTIONS.has(m[1]!)) return this.callFunction(m[1]!, body.slice(m[0].length));
    // Substitution reference $(var:a=b) (a top-level ':' followed later by '=').
    let depth = 0;
    for (let i = 0; i < body.length; i++) {
      const ch = body[i];
      if (ch === '(' || ch === '{') depth++;
      else if (ch === ')' || ch === '}') depth--;
      else if (ch === ':' && depth === 0) {
        const rest = body.slice(i + 1);
        const eq = rest.indexOf('=');
        if (eq < 0) break;
        const name = this.expand(body.slice(0, i));
        let from = this.expand(rest.slice(0, eq));
        let to = this.expand(rest.slice(eq + 1));
        if (!from.includes('%')) {
          from = `%${from}`;
          to = `%${to}`;
        }
        return words(this.variableText(name)).map((w) => patsubst(from, to, w)).join(' ');
      }
    }
    return this.variableText(this.expand(body));
  }

  private callFunction(name: string, argText: string): string {
    const arity: Record<string, number> = { subst: 3, patsubst: 3, findstring: 2, filter: 2, 'filter-out': 2, word: 2, wordlist: 3, addsuffix: 2, addprefix: 2, join: 2, if: 3, foreach: 3, let: 3 };
    const raw = splitArgs(argText, name === 'call' || name === 'or' || name === 'and' ? 1000 : (arity[name] ?? 1));
    const arg = (n: number): string => this.expand(raw[n] ?? '');
    switch (name) {
      case 'subst': {
        const from = arg(0);
        const to = arg(1);
        const text = arg(2);
        return from === '' ? text : text.split(from).join(to);
      }
      case 'patsubst': {
        const p = arg(0);
        const r = arg(1);
        return words(arg(2)).map((w) => patsubst(p, r, w)).join(' ');
      }
      case 'strip': return words(arg(0)).join(' ');
      case 'findstring': { const f = arg(0); return arg(1).includes(f) ? f : ''; }
      case 'filter':
      case 'filter-out': {
        const pats = words(arg(0));
        const keep = name === 'filter';
        return words(arg(1)).filter((w) => pats.some((p) => patternMatch(p, w) !== undefined) === keep).join(' ');
      }
      case 'sort': return [...new Set(words(arg(0)))].sort().join(' ');
      case 'word': { const n = Number.parseInt(arg(0), 10); return words(arg(1))[n - 1] ?? ''; }
      case 'wordlist': { const s = Number.parseInt(arg(0), 10); const e = Number.parseInt(arg(1), 10); return words(arg(2)).slice(s - 1, e).join(' '); }
      case 'words': return String(words(arg(0)).length);
      case 'firstword': return words(arg(0))[0] ?? '';
      case 'lastword': { const w = words(arg(0)); return w[w.length - 1] ?? ''; }
      case 'dir': return words(arg(0)).map((w) => (w.includes('/') ? w.slice(0, w.lastIndexOf('/') + 1) : './')).join(' ');
      case 'notdir': return words(arg(0)).map((w) => w.slice(w.lastIndexOf('/') + 1)).join(' ');
      case 'suffix': return words(arg(0)).map((w) => { const m = /\.[^./]*$/.exec(w); return m ? m[0] : ''; }).filter((s) => s !== '').join(' ');
      case 'basename': return words(arg(0)).map((w) => w.replace(/\.[^./]*$/, '')).join(' ');
      case 'addsuffix': { const s = arg(0); return words(arg(1)).map((w) => w + s).join(' '); }
      case 'addprefix': { const p = arg(0); return words(arg(1)).map((w) => p + w).join(' '); }
      case 'join': { const a = words(arg(0)); const b = words(arg(1)); return Array.from({ length: Math.max(a.length, b.length) }, (_, k) => (a[k] ?? '') + (b[k] ?? '')).join(' '); }
      case 'wildcard': return words(arg(0)).flatMap((p) => this.wildcard(p)).join(' ');
      case 'realpath':
      case 'abspath': return words(arg(0)).map(normalizePath).join(' ');
      case 'if': return arg(0).trim() !== '' ? arg(1) : arg(2);
      case 'or': { for (let k = 0; k < raw.length; k++) { const v = arg(k).trim(); if (v !== '') return v; } return ''; }
      case 'and': { let v = ''; for (let k = 0; k < raw.length; k++) { v = arg(k).trim(); if (v === '') return ''; } return v; }
      case 'foreach': {
        const v = arg(0).trim();
        const saved = this.vars.get(v);
        const out: string[] = [];
        for (const w of words(arg(1))) {
          this.vars.set(v, { flavor: 'simple', segments: [{ text: w, expanded: true, syms: [] }] });
          out.push(this.expand(raw[2] ?? ''));
        }
        if (saved) this.vars.set(v, saved);
        else this.vars.delete(v);
        return out.filter((s) => s !== '').join(' ');
      }
      case 'let': return '';
      case 'call': {
        const fn = arg(0).trim();
        const args = raw.slice(1).map((_, k) => arg(k + 1));
        const saved = new Map<string, Variable | undefined>();
        const params = ['0', ...args.map((_, k) => String(k + 1))];
        for (const p of params) saved.set(p, this.vars.get(p));
        this.vars.set('0', { flavor: 'simple', segments: [{ text: fn, expanded: true, syms: [] }] });
        args.forEach((a, k) => this.vars.set(String(k + 1), { flavor: 'simple', segments: [{ text: a, expanded: true, syms: [] }] }));
        const body = this.vars.get(fn);
        const out = body === undefined ? '' : this.expand(body.segments.map((s) => s.text).join(' '));
        for (const [p, v] of saved) {
          if (v) this.vars.set(p, v);
          else this.vars.delete(p);
        }
        return out;
      }
      case 'value': return (this.vars.get(arg(0).trim())?.segments ?? []).map((s) => s.text).join(' ');
      case 'eval': this.evaluateText(arg(0), '<eval>'); return '';
      case 'origin': { const v = arg(0).trim(); return this.vars.has(v) ? 'file' : v.startsWith('CONFIG_') && this.config.has(v.slice(7)) ? 'command line' : 'undefined'; }
      case 'flavor': { const v = this.vars.get(arg(0).trim()); return v === undefined ? 'undefined' : v.flavor; }
      default: return ''; // shell, error, warning, info, file: no side effects here
    }
  }

  private wildcard(pattern: string): string[] {
    const p = normalizePath(pattern);
    if (!/[*?[]/.test(p)) return this.host.readFile(p) !== undefined || this.host.listDir(p) !== undefined ? [pattern] : [];
    const slash = p.lastIndexOf('/');
    const dir = slash < 0 ? '.' : p.slice(0, slash);
    const base = slash < 0 ? p : p.slice(slash + 1);
    if (/[*?[]/.test(dir)) return [];
    const re = new RegExp(`^${base.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
    const prefix = pattern.slice(0, pattern.length - base.length);
    return (this.host.listDir(dir) ?? []).filter((n) => re.test(n)).sort().map((n) => prefix + n);
  }

  /** Symbols the enclosing conditionals depend on (only those currently set). */
  private activeCondSyms(): string[] {
    return this.condSyms.flat();
  }

  private evalCondition(directive: string, rest: string): { value: boolean; syms: string[] } {
    const saved = this.refs;
    this.refs = new Set();
    let value: boolean;
    if (directive === 'ifdef' || directive === 'ifndef') {
      const name = this.expand(rest).trim();
      const defined = name.startsWith('CONFIG_') && !this.vars.has(name) ? this.variableText(name) !== '' : this.variableText(name) !== '';
      value = directive === 'ifdef' ? defined : !defined;
    } else {
      let a: string;
      let b: string;
      const r = rest.trim();
      if (r.startsWith('(')) {
        const inner = r.slice(1, r.lastIndexOf(')'));
        const parts = splitArgs(inner, 2);
        a = this.expand(parts[0] ?? '').trim();
        b = this.expand(parts[1] ?? '').trim();
      } else {
        const m = /^(["'])(.*?)\1\s+(["'])(.*?)\3/.exec(r);
        a = this.expand(m?.[2] ?? '');
        b = this.expand(m?.[4] ?? '');
      }
      value = directive === 'ifeq' ? a === b : a !== b;
    }
    const syms = [...this.refs];
    this.refs = saved;
    return { value, syms };
  }

  /** Evaluates Makefile text line by line, mirroring read.c's eval(). */
  evaluateText(text: string, file: string): void {
    const raw = text.replace(/[ \t]*\\\r?\n[ \t]*/g, ' \u0000').split('\n');
    // Each physical line keeps its number: joined lines carry a NUL marker per continuation.
    type Frame = { active: boolean; taken: boolean; parentActive: boolean; syms: string[]; line: number };
    const stack: Frame[] = [];
    let lineNo = 1;
    let inRule = false;
    let defining: { name: string; body: string[]; op: string; depth: number } | null = null;
    const isActive = (): boolean => stack.every((f) => f.active);
    for (const physical of raw) {
      const line0 = lineNo;
      lineNo += 1 + (physical.match(/\u0000/g)?.length ?? 0);
      const full = physical.replace(/\u0000/g, '');
      if (defining !== null) {
        const t = full.trim();
        if (/^define\b/.test(t)) defining.depth++;
        if (/^endef\b/.test(t) && defining.depth-- === 0) {
          if (isActive()) this.assign(defining.name, defining.op === '' ? '=' : defining.op, defining.body.join('\n'), []);
          defining = null;
        } else {
          defining.body.push(full);
        }
        continue;
      }
      if (full.startsWith('\t') && inRule) continue;
      const line = full.replace(/(^|[^\\])#.*$/, '$1').replace(/\\#/g, '#');
      const t = line.trim();
      if (t === '') continue;
      const dm = /^(ifeq|ifneq|ifdef|ifndef|else|endif|define|endef|include|-include|sinclude|export|unexport|override|undefine|vpath|private)(?=\s|$|\()/.exec(t);
      const directive = dm?.[1];
      if (directive === 'ifeq' || directive === 'ifneq' || directive === 'ifdef' || directive === 'ifndef') {
        inRule = false;
        const parentActive = isActive();
        const cond = parentActive ? this.evalCondition(directive, t.slice(directive.length)) : { value: false, syms: [] };
        stack.push({ line: line0, active: parentActive && cond.value, taken: cond.value, parentActive, syms: cond.value ? cond.syms.filter((s) => this.config.get(s) !== undefined) : [] });
        this.condSyms.push(stack[stack.length - 1]!.syms);
        continue;
      }
      if (directive === 'else') {
        const frame = stack[stack.length - 1];
        if (frame === undefined) {
          this.problems.push({ file, line: line0, message: '"else" without a matching "if"' });
          continue;
        }
        const rest = t.slice(4).trim();
        const em = /^(ifeq|ifneq|ifdef|ifndef)\b/.exec(rest);
        if (frame.taken) {
          frame.active = false;
        } else if (em) {
          const cond = frame.parentActive ? this.evalCondition(em[1]!, rest.slice(em[1]!.length)) : { value: false, syms: [] };
          frame.active = frame.parentActive && cond.value;
          frame.taken = cond.value;
          frame.syms = cond.value ? cond.syms.filter((s) => this.config.get(s) !== undefined) : [];
        } else {
          frame.active = frame.parentActive;
          frame.taken = true;
          frame.syms = [];
        }
        this.condSyms[this.condSyms.length - 1] = frame.syms;
        continue;
      }
      if (directive === 'endif') {
        if (stack.pop() === undefined) this.problems.push({ file, line: line0, message: '"endif" without a matching "if"' });
        else this.condSyms.pop();
        continue;
      }
      if (!isActive()) {
        if (directive === 'define') defining = null; // skipped defines are not tracked (their endef is skipped too)
        continue;
      }
      if (directive === 'define') {
        const m = /^define\s+(\S+)\s*(=|:=|::=|\+=|\?=)?/.exec(t);
        defining = { name: this.expand(m?.[1] ?? ''), body: [], op: m?.[2] ?? '', depth: 0 };
        continue;
      }
      if (directive === 'include' || directive === '-include' || directive === 'sinclude') {
        for (const f of words(this.expand(t.slice(directive.length)))) {
          if (!this.include(f, directive !== 'include') && directive === 'include') {
            this.problems.push({ file, line: line0, message: `cannot read included file ${f}` });
          }
        }
        continue;
      }
      let stmt = t;
      while (true) {
        const pm = /^(export|override|private|unexport)\s+/.exec(stmt);
        if (!pm) break;
        stmt = stmt.slice(pm[0].length);
      }
      if (directive === 'undefine') {
        this.vars.delete(this.expand(stmt.slice('undefine'.length)).trim());
        continue;
      }
      if (directive === 'vpath' || directive === 'unexport') continue;
      const a = this.findAssignment(stmt);
      if (a !== undefined) {
        inRule = false;
        this.inTarget = true;
        const savedRefs = this.refs;
        this.refs = new Set();
        const name = this.expand(stmt.slice(0, a.at)).trim();
        const lhsSyms = [...this.refs];
        this.refs = savedRefs;
        this.inTarget = false;
        this.assign(name, a.op, stmt.slice(a.at + a.op.length).replace(/^[ \t]+/, ''), lhsSyms);
        continue;
      }
      if (directive === 'export') continue;
      if (/^\$[({](eval|info|warning|error|foreach|call)\b/.test(stmt)) {
        this.expand(stmt);
        continue;
      }
      inRule = true; // a rule line (or something else make would treat as one): its recipe lines follow
    }
    if (stack.length > 0) this.problems.push({ file, line: stack[0]!.line, message: `"${'if'}" not closed by "endif" before the end of the file` });
    while (stack.length > 0) {
      stack.pop();
      this.condSyms.pop();
    }
  }

  private findAssignment(stmt: string): { at: number; op: string } | undefined {
    let depth = 0;
    for (let i = 0; i < stmt.length; i++) {
      const c = stmt[i];
      if (c === '(' || c === '{') depth++;
      else if (c === ')' || c === '}') depth--;
      else if (depth === 0) {
        if (c === ':') {
          if (stmt.startsWith('::=', i)) return { at: i, op: '::=' };
          if (stmt[i + 1] === '=') return { at: i, op: ':=' };
          return undefined; // a rule
        }
        if (c === '=') {
          const p = stmt[i - 1];
          if (p === '+' || p === '?' || p === '!') return { at: i - 1, op: `${p}=` };
          return { at: i, op: '=' };
        }
      }
    }
    return undefined;
  }

  private assign(name: string, op: string, rhs: string, lhsSyms: readonly string[]): void {
    if (name === '') return;
    const syms = [...new Set([...lhsSyms, ...this.activeCondSyms()])];
    const existing = this.vars.get(name);
    const expandNow = (): Segment => {
      const saved = this.prov;
      const savedRefs = this.refs;
      const prov: WordProvenance = new Map();
      const refs = new Set<string>();
      this.prov = prov;
      this.refs = refs;
      const text = this.expand(rhs);
      this.prov = saved;
      this.refs = savedRefs;
      return { text, expanded: true, syms: [...syms, ...refs], prov };
    };
    switch (op) {
      case '=':
        this.vars.set(name, { flavor: 'recursive', segments: [{ text: rhs, expanded: false, syms }] });
        break;
      case ':=':
      case '::=':
        this.vars.set(name, { flavor: 'simple', segments: [expandNow()] });
        break;
      case '?=':
        if (existing === undefined && !(name.startsWith('CONFIG_') && this.config.has(name.slice(7)))) this.vars.set(name, { flavor: 'recursive', segments: [{ text: rhs, expanded: false, syms }] });
        break;
      case '+=':
        if (existing === undefined) this.vars.set(name, { flavor: 'recursive', segments: [{ text: rhs, expanded: false, syms }] });
        else if (existing.flavor === 'simple') existing.segments.push(expandNow());
        else existing.segments.push({ text: rhs, expanded: false, syms });
        break;
      default: // != runs a shell command: nothing here
        this.vars.set(name, { flavor: 'simple', segments: [] });
    }
  }
}

/** Joins a directory and a relative path the way Kbuild paths are formed (`dir/sub/x.o`, `.` for the root). */
export function joinPath(dir: string, rel: string): string {
  return normalizePath(dir === '.' ? rel : `${dir}/${rel}`);
}
