/**
 * The Kconfig lexer: turns the text of a Kconfig file (and of the files it sources) into one stream of tokens,
 * expanding macros as it goes. It mirrors scripts/kconfig/lexer.l of Linux 6.1/6.12: the INITIAL, STRING,
 * HELP and ASSIGN_VAL start conditions, the "second stage" yylex() that drops redundant end-of-lines and
 * switches to ASSIGN_VAL after `WORD =`, and the file stack of zconf_nextfile()/zconf_endfile().
 *
 * The lexer walks the text by index with charCodeAt; tokens are small integers, and the current token's value
 * and place live in fields (no token objects).
 *
 * Gotcha: `source` is textual: the included file's tokens continue the includer's token stream, so an entry at
 * the end of an included file can pick up attribute lines that follow the `source` line (as in conf).
 */
import { diagnostic, type Diagnostic, type RelatedInformation, type Severity } from '../diag/diagnostic.ts';
import type { SourceSpan } from '../diag/span.ts';
import { MacroExpander } from './macro.ts';
import type { SourceHost } from './source-host.ts';

/** isalnum(c) || c == '_' || c == '-' (lexer.l `n`); a local copy of macro.ts's, for speed. */
function isTokenChar(c: number): boolean {
  return (
    (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 /* _ */ || c === 45 /* - */
  );
}

/** Token kinds (parser.y's %token list). */
export const Tok = {
  EOF: 0,
  EOL: 1,
  WORD: 2,
  WORD_QUOTE: 3,
  ASSIGN_VAL: 4,
  HELPTEXT: 5,
  BOOL: 6,
  CHOICE: 7,
  COMMENT: 8,
  CONFIG: 9,
  DEF_BOOL: 10,
  DEF_TRISTATE: 11,
  DEFAULT: 12,
  DEPENDS: 13,
  ENDCHOICE: 14,
  ENDIF: 15,
  ENDMENU: 16,
  HELP: 17,
  HEX: 18,
  IF: 19,
  IMPLY: 20,
  INT: 21,
  MAINMENU: 22,
  MENU: 23,
  MENUCONFIG: 24,
  MODULES: 25,
  ON: 26,
  OPTIONAL: 27,
  PROMPT: 28,
  RANGE: 29,
  SELECT: 30,
  SOURCE: 31,
  STRING: 32,
  TRISTATE: 33,
  VISIBLE: 34,
  TRANSITIONAL: 35,
  OR: 36,
  AND: 37,
  EQUAL: 38,
  UNEQUAL: 39,
  LESS: 40,
  LESS_EQUAL: 41,
  GREATER: 42,
  GREATER_EQUAL: 43,
  NOT: 44,
  OPEN_PAREN: 45,
  CLOSE_PAREN: 46,
  COLON_EQUAL: 47,
  PLUS_EQUAL: 48,
} as const;

/** A token kind. */
export type TokenKind = (typeof Tok)[keyof typeof Tok];

const KEYWORDS: ReadonlyMap<string, TokenKind> = new Map<string, TokenKind>([
  ['bool', Tok.BOOL],
  ['choice', Tok.CHOICE],
  ['comment', Tok.COMMENT],
  ['config', Tok.CONFIG],
  ['def_bool', Tok.DEF_BOOL],
  ['def_tristate', Tok.DEF_TRISTATE],
  ['default', Tok.DEFAULT],
  ['depends', Tok.DEPENDS],
  ['endchoice', Tok.ENDCHOICE],
  ['endif', Tok.ENDIF],
  ['endmenu', Tok.ENDMENU],
  ['help', Tok.HELP],
  ['hex', Tok.HEX],
  ['if', Tok.IF],
  ['imply', Tok.IMPLY],
  ['int', Tok.INT],
  ['mainmenu', Tok.MAINMENU],
  ['menu', Tok.MENU],
  ['menuconfig', Tok.MENUCONFIG],
  ['modules', Tok.MODULES],
  ['on', Tok.ON],
  ['optional', Tok.OPTIONAL],
  ['prompt', Tok.PROMPT],
  ['range', Tok.RANGE],
  ['select', Tok.SELECT],
  ['source', Tok.SOURCE],
  ['string', Tok.STRING],
  ['tristate', Tok.TRISTATE],
  ['visible', Tok.VISIBLE],
]);

/** Human-readable token names for messages. */
export function tokenName(kind: TokenKind): string {
  switch (kind) {
    case Tok.EOF:
      return 'end of file';
    case Tok.EOL:
      return 'end of line';
    case Tok.WORD:
      return 'word';
    case Tok.WORD_QUOTE:
      return 'quoted string';
    case Tok.ASSIGN_VAL:
      return 'assignment value';
    case Tok.HELPTEXT:
      return 'help text';
    case Tok.OR:
      return "'||'";
    case Tok.AND:
      return "'&&'";
    case Tok.EQUAL:
      return "'='";
    case Tok.UNEQUAL:
      return "'!='";
    case Tok.LESS:
      return "'<'";
    case Tok.LESS_EQUAL:
      return "'<='";
    case Tok.GREATER:
      return "'>'";
    case Tok.GREATER_EQUAL:
      return "'>='";
    case Tok.NOT:
      return "'!'";
    case Tok.OPEN_PAREN:
      return "'('";
    case Tok.CLOSE_PAREN:
      return "')'";
    case Tok.COLON_EQUAL:
      return "':='";
    case Tok.PLUS_EQUAL:
      return "'+='";
    case Tok.TRANSITIONAL:
      return "'transitional'";
  }
  for (const [word, k] of KEYWORDS) if (k === kind) return `'${word}'`;
  return `token ${kind}`;
}

/** Options of the lexer. */
export interface LexerOptions {
  /** `optional` is a keyword (6.1; in 6.12 it is an ordinary word). Default true. */
  readonly optional?: boolean;
  /** Treat `transitional` as a keyword (Linux 6.18 and later); off for 6.1/6.12, where it is a word. */
  readonly transitional?: boolean;
}

/** One open file of the include stack (mirrors `struct buffer`, lexer.l). */
interface Frame {
  readonly file: string;
  readonly text: string;
  pos: number;
  line: number;
  lineStart: number;
  /** The `source` statement that opened this file (undefined for the root file). */
  readonly includedAt?: SourceSpan;
  readonly parent?: Frame;
}

/** The start conditions that the lexer enters by itself. */
const State = { INITIAL: 0, ASSIGN_VAL: 1 } as const;

/**
 * The token stream over the root Kconfig file and everything it sources. The parser reads `kind` / `value` /
 * `line` / `column` / `file` of the current token after `next()`.
 */
export class KconfigLexer {
  readonly macro: MacroExpander;
  readonly diagnostics: Diagnostic[] = [];
  /** Distinct files opened, in the order conf opens them (util.c file_lookup()). */
  readonly files: string[] = [];
  private readonly fileSet = new Set<string>();
  private readonly host: SourceHost;
  private readonly keywords: ReadonlyMap<string, TokenKind>;
  private frame: Frame | undefined;
  private state: number = State.INITIAL;
  private prevToken: TokenKind = Tok.EOL;
  private prevPrevToken: TokenKind = Tok.EOL;

  /** The current token's kind. */
  kind: TokenKind = Tok.EOL;
  /** The current token's text: the word, the unescaped string, the assignment value or the help text. */
  value = '';
  /** The current token's file, line and column (1-based). */
  file = '';
  line = 1;
  column = 1;

  constructor(host: SourceHost, options: LexerOptions = {}) {
    this.host = host;
    this.macro = new MacroExpander(host, (severity, code, message) => this.report(severity, code, message));
    if (options.transitional || options.optional === false) {
      const k = new Map(KEYWORDS);
      if (options.transitional) k.set('transitional', Tok.TRANSITIONAL);
      if (options.optional === false) k.delete('optional');
      this.keywords = k;
    } else this.keywords = KEYWORDS;
  }

  /** The place of the current token. */
  span(): SourceSpan {
    return { file: this.file, line: this.line, column: this.column };
  }

  /** The `source` chain of the current file, innermost first, for a diagnostic's `related`. */
  sourceChain(): RelatedInformation[] {
    const out: RelatedInformation[] = [];
    for (let f = this.frame; f?.includedAt; f = f.parent) {
      out.push({ message: `included from ${f.includedAt.file}:${f.includedAt.line}`, span: f.includedAt });
    }
    return out;
  }

  /** Adds a diagnostic at `span` (default: the lexer's current place) with the current `source` chain. */
  report(severity: Severity, code: string, message: string, span?: SourceSpan): void {
    const at = span ?? this.here();
    this.diagnostics.push(diagnostic(severity, code, message, at, this.sourceChain()));
  }

  /** The lexer's own position (not the current token's). */
  private here(): SourceSpan {
    const f = this.frame;
    if (!f) return this.span();
    return { file: f.file, line: f.line, column: f.pos - f.lineStart + 1 };
  }

  /**
   * Opens a file: the root file, or the target of a `source` statement at `includedAt`
   * (mirrors zconf_initscan() / zconf_nextfile()). Returns false (with an error) when it cannot.
   */
  pushFile(name: string, includedAt?: SourceSpan): boolean {
    for (let f = this.frame; f; f = f.parent) {
      if (f.file === name) {
        this.report('error', 'kconfig/source-recursive', `recursive inclusion of "${name}"`, includedAt);
        return false;
      }
    }
    const text = this.host.readFile(name);
    if (text === undefined) {
      if (includedAt) this.report('error', 'kconfig/source-missing', `can't open file "${name}"`, includedAt);
      else this.diagnostics.push(diagnostic('error', 'kconfig/source-missing', `can't find file ${name}`));
      return false;
    }
    if (!this.fileSet.has(name)) {
      this.fileSet.add(name);
      this.files.push(name);
    }
    this.frame = { file: name, text, pos: 0, line: 1, lineStart: 0, includedAt, parent: this.frame };
    this.macro.file = name;
    this.macro.line = 1;
    return true;
  }

  /** Reads the next token (mirrors the second-stage yylex(), lexer.l). */
  next(): TokenKind {
    let token: TokenKind;
    for (;;) {
      token = this.lex();
      if ((this.prevToken === Tok.EOL || this.prevToken === Tok.HELPTEXT) && token === Tok.EOL) continue;
      break;
    }
    if (
      this.prevPrevToken === Tok.EOL &&
      this.prevToken === Tok.WORD &&
      (token === Tok.EQUAL || token === Tok.COLON_EQUAL || token === Tok.PLUS_EQUAL)
    ) {
      this.state = State.ASSIGN_VAL;
    }
    this.prevPrevToken = this.prevToken;
    this.prevToken = token;
    this.kind = token;
    return token;
  }

  /** Sets the current token's place to `pos` of the current file. */
  private mark(f: Frame, pos: number): void {
    this.file = f.file;
    this.line = f.line;
    this.column = pos - f.lineStart + 1;
  }

  /** The end of the current line (index of '\n' or the end of the text). */
  private lineEnd(f: Frame, from: number): number {
    const e = f.text.indexOf('\n', from);
    return e < 0 ? f.text.length : e;
  }

  /** Mirrors yylex1(): one raw token of the current start condition, handling end of file. */
  private lex(): TokenKind {
    for (;;) {
      const f = this.frame;
      if (!f) {
        this.value = '';
        return Tok.EOF;
      }
      const text = f.text;
      const len = text.length;
      let p = f.pos;

      if (this.state === State.ASSIGN_VAL) {
        while (p < len && (text.charCodeAt(p) === 32 || text.charCodeAt(p) === 9)) p++;
        if (p < len && text.charCodeAt(p) !== 10) {
          const e = this.lineEnd(f, p);
          this.mark(f, p);
          this.value = text.slice(p, e);
          f.pos = e;
          return Tok.ASSIGN_VAL;
        }
        this.state = State.INITIAL;
        f.pos = p;
        if (p < len) {
          this.mark(f, p);
          this.newline(f, p);
          this.value = '';
          return Tok.EOL;
        }
        // fall through to end of file
      }

      while (p < len) {
        const c = text.charCodeAt(p);
        switch (c) {
          case 32: // ' '
          case 9: // '\t'
            p++;
            continue;
          case 35: // '#': comment to the end of the line
            p = this.lineEnd(f, p);
            continue;
          case 92: // '\\'
            if (text.charCodeAt(p + 1) === 10) {
              this.newline(f, p + 1);
              p += 2;
              continue;
            }
            this.ignored(f, p);
            p++;
            continue;
          case 10: // '\n'
            this.mark(f, p);
            this.newline(f, p);
            this.value = '';
            return Tok.EOL;
          case 34: // '"'
          case 39: // "'"
            this.mark(f, p);
            return this.lexString(f, p, c);
          case 124: // '|'
            if (text.charCodeAt(p + 1) === 124) return this.op(f, p, 2, Tok.OR);
            break;
          case 38: // '&'
            if (text.charCodeAt(p + 1) === 38) return this.op(f, p, 2, Tok.AND);
            break;
          case 61: // '='
            return this.op(f, p, 1, Tok.EQUAL);
          case 33: // '!'
            if (text.charCodeAt(p + 1) === 61) return this.op(f, p, 2, Tok.UNEQUAL);
            return this.op(f, p, 1, Tok.NOT);
          case 60: // '<'
            if (text.charCodeAt(p + 1) === 61) return this.op(f, p, 2, Tok.LESS_EQUAL);
            return this.op(f, p, 1, Tok.LESS);
          case 62: // '>'
            if (text.charCodeAt(p + 1) === 61) return this.op(f, p, 2, Tok.GREATER_EQUAL);
            return this.op(f, p, 1, Tok.GREATER);
          case 40: // '('
            return this.op(f, p, 1, Tok.OPEN_PAREN);
          case 41: // ')'
            return this.op(f, p, 1, Tok.CLOSE_PAREN);
          case 58: // ':'
            if (text.charCodeAt(p + 1) === 61) return this.op(f, p, 2, Tok.COLON_EQUAL);
            break;
          case 43: // '+'
            if (text.charCodeAt(p + 1) === 61) return this.op(f, p, 2, Tok.PLUS_EQUAL);
            break;
          default:
            if (isTokenChar(c) || c === 36 /* $ */) {
              const t = this.lexWord(f, p);
              if (t !== Tok.EOF) return t;
              p = f.pos; // a word that expanded to nothing
              continue;
            }
        }
        this.ignored(f, p);
        p++;
      }

      // <<EOF>>: mirrors the INITIAL end-of-file rule and zconf_endfile().
      f.pos = p;
      this.state = State.INITIAL;
      if (this.prevToken !== Tok.EOL && this.prevToken !== Tok.HELPTEXT) {
        this.report('warning', 'kconfig/no-newline', 'no new line at end of file');
      }
      this.frame = f.parent;
      if (this.frame) {
        this.macro.file = this.frame.file;
        this.macro.line = this.frame.line;
        this.mark(f, p);
        this.value = '';
        return Tok.EOL;
      }
      this.mark(f, p);
      this.value = '';
      return Tok.EOF;
    }
  }

  private newline(f: Frame, nlPos: number): void {
    f.line++;
    f.lineStart = nlPos + 1;
    f.pos = nlPos + 1;
    this.macro.line = f.line;
  }

  private op(f: Frame, p: number, n: number, kind: TokenKind): TokenKind {
    this.mark(f, p);
    f.pos = p + n;
    this.value = '';
    return kind;
  }

  /** Mirrors warn_ignored_character(), lexer.l. */
  private ignored(f: Frame, p: number): void {
    const ch = f.text[p];
    this.report('warning', 'kconfig/ignored-character', `ignoring unsupported character '${ch}'`, {
      file: f.file,
      line: f.line,
      column: p - f.lineStart + 1,
    });
  }

  /** A word, a keyword, or a token with `$` (lexer.l rules `{n}+` and `({n}|$)+`). EOF means "nothing". */
  private lexWord(f: Frame, start: number): TokenKind {
    const text = f.text;
    let p = start;
    let dollar = false;
    for (;;) {
      const c = text.charCodeAt(p);
      if (isTokenChar(c)) p++;
      else if (c === 36) {
        dollar = true;
        p++;
      } else break;
    }
    this.mark(f, start);
    if (!dollar) {
      const word = text.slice(start, p);
      f.pos = p;
      this.value = word;
      return this.keywords.get(word) ?? Tok.WORD;
    }
    this.macro.line = f.line;
    const out = this.macro.expandToken(text, start, this.lineEnd(f, start));
    f.pos = this.macro.end;
    if (out.length === 0) return Tok.EOF;
    this.value = out;
    return Tok.WORD;
  }

  /** The STRING start condition: a quoted constant with escapes and macro references (lexer.l). */
  private lexString(f: Frame, start: number, quote: number): TokenKind {
    const text = f.text;
    const len = text.length;
    let p = start + 1;
    let out = '';
    let from = p;
    for (;;) {
      if (p >= len) {
        out += text.slice(from, p);
        break;
      }
      const c = text.charCodeAt(p);
      if (c === quote) {
        out += text.slice(from, p);
        p++;
        break;
      }
      if (c === 10) {
        out += text.slice(from, p);
        this.report('warning', 'kconfig/multi-line-string', 'multi-line strings not supported', {
          file: f.file,
          line: f.line,
          column: p - f.lineStart + 1,
        });
        break;
      }
      if (c === 92 /* \ */) {
        out += text.slice(from, p);
        const n = text.charCodeAt(p + 1);
        if (p + 1 < len && n !== 10) {
          out += text[p + 1];
          p += 2;
        } else p++;
        from = p;
        continue;
      }
      if (c === 36 /* $ */) {
        out += text.slice(from, p);
        this.macro.line = f.line;
        out += this.macro.expandInString(text, p + 1, this.lineEnd(f, p));
        p = from = this.macro.end;
        continue;
      }
      p++;
    }
    f.pos = p;
    this.value = out;
    return Tok.WORD_QUOTE;
  }

  /**
   * Reads a help text right after the end of line of `help` (the HELP start condition, lexer.l): the
   * indentation of the first line sets the margin; the text ends at a line indented less, or at a non-blank
   * line that starts in column 1. Sets the current token to HELPTEXT.
   */
  readHelp(): void {
    const f = this.frame;
    if (!f) {
      this.kind = Tok.HELPTEXT;
      this.value = '';
      return;
    }
    const text = f.text;
    const len = text.length;
    let p = f.pos;
    this.mark(f, p);
    let out = '';
    let firstTs = 0;
    let lastTs = 0;
    for (;;) {
      if (p >= len) break;
      const c = text.charCodeAt(p);
      if (c === 32 || c === 9 || c === 10) {
        let q = p;
        let ts = 0;
        while (q < len) {
          const b = text.charCodeAt(q);
          if (b === 9) ts = (ts & ~7) + 8;
          else if (b === 32) ts++;
          else break;
          q++;
        }
        if (q < len && text.charCodeAt(q) === 10) {
          // [ \t]*\n, ending the text when the next line starts with a non-blank character
          const n = q + 1 < len ? text.charCodeAt(q + 1) : -1;
          this.newline(f, q);
          p = q + 1;
          if (n >= 0 && n !== 32 && n !== 9 && n !== 10) break;
          out += '\n';
          continue;
        }
        // [ \t]+
        lastTs = ts;
        p = q;
        if (firstTs) {
          if (ts < firstTs) break;
          out += ' '.repeat(ts - firstTs);
        }
        continue;
      }
      // [^ \t\n].*
      const e = this.lineEnd(f, p);
      let t = e;
      while (t > p && (text.charCodeAt(t - 1) === 32 || text.charCodeAt(t - 1) === 9)) t--;
      out += text.slice(p, t);
      if (!firstTs) firstTs = lastTs;
      p = e;
    }
    f.pos = p;
    this.value = out;
    this.kind = Tok.HELPTEXT;
    this.prevPrevToken = this.prevToken;
    this.prevToken = Tok.HELPTEXT;
  }
}
