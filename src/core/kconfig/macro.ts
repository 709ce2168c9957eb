/**
 * Kconfig's macro language (Documentation/kbuild/kconfig-macro-language.rst): variables (`:=` simple, `=`
 * recursive, `+=`), `$(VAR)`, user-defined functions with `$(1)`…, environment variables, and the built-ins
 * `shell`, `info`, `warning-if`, `error-if`, `filename`, `lineno`. It mirrors scripts/kconfig/preprocess.c of
 * Linux 6.1 and 6.12 (the two are the same here).
 *
 * Gotcha: conf stops at the first macro error (pperror() exits). We report it and abandon only the current
 * top-level expansion (it expands to ''), so that every error of a file is reported.
 * Gotcha: an unknown function `$(foo,x)` is not an error in conf: it expands to ''. We report a warning.
 */
import type { Severity } from '../diag/diagnostic.ts';
import type { SourceHost } from './source-host.ts';

/** How an assignment defines a variable (preprocess.h `enum variable_flavor`). */
export type VariableFlavor = 'simple' | 'recursive' | 'append';

/** Receives the macro language's diagnostics; the lexer adds the place and the `source` chain. */
export type MacroReport = (severity: Severity, code: string, message: string) => void;

interface Variable {
  value: string;
  flavor: 'simple' | 'recursive';
  expCount: number;
}

/** Thrown inside an expansion to abandon it after an error (conf would exit); caught at the entry points. */
class MacroAbort {}
const ABORT = new MacroAbort();

/** conf's do_shell() reads at most 4095 bytes. */
const SHELL_OUTPUT_MAX = 4095;
/** A guard against runaway expansions (conf would run out of memory); far above anything a tree does. */
const EXPANSION_MAX = 1 << 24;
/** Nested references at most (conf's own limit is 1000 expansions of one variable). */
const MAX_DEPTH = 1500;
/** preprocess.c FUNCTION_MAX_ARGS. */
const FUNCTION_MAX_ARGS = 16;

/** isalnum(c) || c == '_' || c == '-' in the C locale: the characters of an unquoted token. */
export function isTokenChar(c: number): boolean {
  return (
    (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 /* _ */ || c === 45 /* - */
  );
}

/**
 * The state of the macro language during one parse: variables, the environment variables read so far, and
 * the place ($(filename), $(lineno)) the lexer is at.
 */
export class MacroExpander {
  private readonly host: SourceHost;
  private readonly report: MacroReport;
  private readonly variables = new Map<string, Variable>();
  /** Environment variables referenced, with the value first read (preprocess.c env_list). */
  readonly environment = new Map<string, string>();
  /** The current file name, for $(filename); set by the lexer. */
  file = '';
  /** The lexer's current physical line (yylineno), for $(lineno); set by the lexer. */
  line = 1;
  /** Where the last expandDollar/expandToken stopped (index into the text). */
  end = 0;
  /** Number of $(shell,…) calls made. */
  shellCalls = 0;
  /** Nesting of references being evaluated (a guard against exhausting the JavaScript stack). */
  private depth = 0;

  constructor(host: SourceHost, report: MacroReport) {
    this.host = host;
    this.report = report;
  }

  /** Defines or extends a variable (mirrors variable_add(), preprocess.c). */
  addVariable(name: string, value: string, flavor: VariableFlavor): void {
    let v = this.variables.get(name);
    let append = false;
    let kind: 'simple' | 'recursive';
    if (v) {
      if (flavor === 'append') {
        kind = v.flavor;
        append = true;
      } else kind = flavor;
    } else {
      kind = flavor === 'append' ? 'recursive' : flavor;
      v = { value: '', flavor: kind, expCount: 0 };
      this.variables.set(name, v);
    }
    v.flavor = kind;
    const newValue = kind === 'simple' ? this.expandString(value) : value;
    v.value = append ? v.value + ' ' + newValue : newValue;
  }

  /** Expands every reference in `text` (expand_string()); '' after an error. */
  expandString(text: string): string {
    try {
      return this.expandWithArgs(text, NO_ARGS);
    } catch (e) {
      if (e === ABORT) return '';
      throw e;
    }
  }

  /**
   * Expands one unquoted token that starts at `pos` and contains a `$` (expand_token() in lexer.l, with
   * expand_one_token()): stops at the first character that is not [A-Za-z0-9_-] outside a reference, or at
   * `limit` (the end of the line). Sets `end`. After an error, returns '' and sets `end` to `limit`.
   */
  expandToken(text: string, pos: number, limit: number): string {
    let out = '';
    let p = pos;
    let from = pos;
    while (p < limit) {
      const c = text.charCodeAt(p);
      if (c === 36 /* $ */) {
        out += text.slice(from, p);
        out += this.expandInString(text, p + 1, limit);
        p = from = this.end;
        continue;
      }
      if (!isTokenChar(c)) break;
      p++;
    }
    this.end = p;
    return out + text.slice(from, p);
  }

  /**
   * Expands the reference after a `$` at `pos - 1` (expand_dollar(); append_expanded_string() in lexer.l for
   * quoted strings). Sets `end`. After an error the reference expands to '' and `end` is past it.
   */
  expandInString(text: string, pos: number, limit: number): string {
    try {
      const out = this.expandDollar(text, pos, limit, NO_ARGS);
      if (out.length > EXPANSION_MAX) this.fail('kconfig/macro', 'macro expansion too large');
      return out;
    } catch (e) {
      if (e !== ABORT) throw e;
      this.end = referenceEnd(text, pos, limit);
      return '';
    }
  }

  private fail(code: string, message: string): never {
    this.report('error', code, message);
    throw ABORT;
  }

  /** Expands a reference whose `(` is at `pos` (mirrors expand_dollar_with_args()). Sets `end`. */
  private expandDollar(text: string, pos: number, limit: number, args: readonly string[]): string {
    if (pos >= limit || text.charCodeAt(pos) !== 40 /* ( */) {
      this.end = pos;
      return '$';
    }
    let nest = 0;
    let q = pos + 1;
    for (; q < limit; q++) {
      const c = text.charCodeAt(q);
      if (c === 40) nest++;
      else if (c === 41 /* ) */) {
        if (nest-- === 0) break;
      }
    }
    if (q >= limit) {
      this.fail('kconfig/macro-unterminated', `unterminated reference to '${text.slice(pos + 1, limit)}': missing ')'`);
    }
    const clause = text.slice(pos + 1, q);
    const result = this.evalClause(clause, args);
    this.end = q + 1;
    return result;
  }

  /** Expands a whole string with the arguments of the calling function (expand_string_with_args()). */
  private expandWithArgs(text: string, args: readonly string[]): string {
    let d = text.indexOf('$');
    if (d < 0) return text;
    let out = '';
    let from = 0;
    while (d >= 0) {
      out += text.slice(from, d);
      out += this.expandDollar(text, d + 1, text.length, args);
      if (out.length > EXPANSION_MAX) this.fail('kconfig/macro', 'macro expansion too large');
      from = this.end;
      d = text.indexOf('$', from);
    }
    return out + text.slice(from);
  }

  /** Evaluates `name,arg,…` (mirrors eval_clause(), preprocess.c). */
  private evalClause(clause: string, args: readonly string[]): string {
    if (this.depth >= MAX_DEPTH) this.fail('kconfig/macro-recursive', 'Too deep recursive expansion');
    this.depth++;
    try {
      return this.evalClauseAt(clause, args);
    } finally {
      this.depth--;
    }
  }

  private evalClauseAt(clause: string, args: readonly string[]): string {
    const n = argumentIndex(clause);
    if (n > 0 && n <= args.length) return args[n - 1];

    // Split at commas outside parentheses (raw parentheses count, as in C).
    const parts: string[] = [];
    let nest = 0;
    let prev = 0;
    for (let i = 0; i < clause.length; i++) {
      const c = clause.charCodeAt(i);
      if (nest === 0 && c === 44 /* , */) {
        if (parts.length >= FUNCTION_MAX_ARGS) this.fail('kconfig/macro-args', 'too many function arguments');
        parts.push(clause.slice(prev, i));
        prev = i + 1;
      } else if (c === 40) nest++;
      else if (c === 41) nest--;
    }
    if (parts.length >= FUNCTION_MAX_ARGS) this.fail('kconfig/macro-args', 'too many function arguments');
    parts.push(clause.slice(prev));

    const name = this.expandWithArgs(parts[0], args);
    const argv: string[] = [];
    for (let i = 1; i < parts.length; i++) argv.push(this.expandWithArgs(parts[i], args));

    const variable = this.variables.get(name);
    if (variable) return this.expandVariable(name, variable, argv);
    const builtin = this.callBuiltin(name, argv);
    if (builtin !== undefined) return builtin;
    if (argv.length === 0) {
      const value = this.readEnv(name);
      if (value !== undefined) return value;
    } else {
      this.report('warning', 'kconfig/macro-unknown-function', `unknown function '${name}' (expands to '')`);
    }
    return '';
  }

  /** Mirrors variable_expand(), preprocess.c. */
  private expandVariable(name: string, v: Variable, argv: readonly string[]): string {
    if (argv.length === 0 && v.expCount > 0) {
      this.fail('kconfig/macro-recursive', `Recursive variable '${name}' references itself (eventually)`);
    }
    if (v.expCount > 1000) this.fail('kconfig/macro-recursive', 'Too deep recursive expansion');
    v.expCount++;
    try {
      return v.flavor === 'recursive' ? this.expandWithArgs(v.value, argv) : v.value;
    } finally {
      v.expCount--;
    }
  }

  /** Mirrors env_expand(), preprocess.c: the first value read is remembered (and recorded for auto.conf.cmd). */
  private readEnv(name: string): string | undefined {
    if (name === '') return undefined;
    const known = this.environment.get(name);
    if (known !== undefined) return known;
    const value = this.host.getEnv(name);
    if (value === undefined) return undefined;
    this.environment.set(name, value);
    return value;
  }

  /** Mirrors function_expand() and function_table[], preprocess.c; undefined when `name` is no built-in. */
  private callBuiltin(name: string, argv: readonly string[]): string | undefined {
    let min: number;
    let max: number;
    switch (name) {
      case 'error-if':
      case 'warning-if':
        min = max = 2;
        break;
      case 'filename':
      case 'lineno':
        min = max = 0;
        break;
      case 'info':
      case 'shell':
        min = max = 1;
        break;
      default:
        return undefined;
    }
    if (argv.length < min) this.fail('kconfig/macro-args', `too few function arguments passed to '${name}'`);
    if (argv.length > max) this.fail('kconfig/macro-args', `too many function arguments passed to '${name}'`);
    switch (name) {
      case 'error-if':
        if (argv[0] === 'y') this.fail('kconfig/error-if', argv[1]);
        return '';
      case 'warning-if':
        if (argv[0] === 'y') this.report('warning', 'kconfig/warning-if', argv[1]);
        return '';
      case 'info':
        this.report('info', 'kconfig/info', argv[0]);
        return '';
      case 'filename':
        return this.file;
      case 'lineno':
        return String(this.line);
      default:
        return this.shell(argv[0]);
    }
  }

  /** Mirrors do_shell(), preprocess.c. */
  private shell(command: string): string {
    this.shellCalls++;
    return shellOutputText(this.host.runShell(command));
  }
}

/**
 * What `$(shell,…)` expands to, given the command's raw standard output (mirrors do_shell(), preprocess.c): up
 * to the first NUL, at most 4095 bytes, trailing newlines dropped, inner ones made spaces.
 */
export function shellOutputText(raw: string): string {
  let out = raw;
  const nul = out.indexOf('\0');
  if (nul >= 0) out = out.slice(0, nul);
  if (out.length > SHELL_OUTPUT_MAX) out = out.slice(0, SHELL_OUTPUT_MAX);
  let e = out.length;
  while (e > 0 && out.charCodeAt(e - 1) === 10) e--;
  out = out.slice(0, e);
  return out.indexOf('\n') < 0 ? out : out.replace(/\n/g, ' ');
}

const NO_ARGS: readonly string[] = [];

/** The index after the reference whose `(` is at `pos` (or `limit` when it is not closed). */
function referenceEnd(text: string, pos: number, limit: number): number {
  if (pos >= limit || text.charCodeAt(pos) !== 40) return pos;
  let nest = 0;
  for (let q = pos + 1; q < limit; q++) {
    const c = text.charCodeAt(q);
    if (c === 40) nest++;
    else if (c === 41 && nest-- === 0) return q + 1;
  }
  return limit;
}

/**
 * The argument number `$(1)`… refers to, as `strtoul(s, &end, 10)` with `!*end` reads it; 0 when not a number.
 * (strtoul skips leading white space and takes a sign.)
 */
function argumentIndex(s: string): number {
  let i = 0;
  while (i < s.length && isCSpace(s.charCodeAt(i))) i++;
  let negative = false;
  if (s[i] === '+' || s[i] === '-') {
    negative = s[i] === '-';
    i++;
  }
  const start = i;
  let n = 0;
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return 0;
    n = n * 10 + (c - 48);
    i++;
  }
  if (i === start || negative) return 0;
  return n;
}

function isCSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}
