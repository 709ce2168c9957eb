/**
 * The Kconfig parser: a recursive-descent version of scripts/kconfig/parser.y (Linux 6.1 and 6.12, as one
 * grammar that accepts both: 6.1's `choice NAME`, `optional` and `tristate` choices, 6.12's `bool "prompt"`
 * choices). It reads the token stream of `lexer.ts`, follows `source`, runs the macro language's assignments,
 * and produces the syntax tree of `syntax.ts`.
 *
 * Errors are reported and parsing goes on at the next line, so that every error of a tree is reported at once
 * (the kernel's yynerrs); the caller throws `InputError.fromDiagnostics` when there are errors.
 *
 * Gotcha: `files` is in opening order, which is conf 6.12's deps_config order; conf 6.1's file_lookup()
 * prepends, so 6.1 writes deps_config in the reverse order.
 * Gotcha: a file sourced twice (6.1's Documentation/Kconfig) is parsed twice, as conf does; it is listed once.
 * Gotcha: the grammar is the union of 6.1's and 6.12's; what one version's conf rejects beyond that (6.12: a
 * choice without prompt, a non-bool member) is left to the model builder, which knows the version.
 */
import type { Parsed } from '../diag/diagnostic.ts';
import type { SourceSpan } from '../diag/span.ts';
import { KconfigLexer, Tok as TokenKinds, tokenName, type TokenKind } from './lexer.ts';
import type { VariableFlavor } from './macro.ts';
import type { SourceHost } from './source-host.ts';
import type {
  AttributeSyntax,
  CompareOp,
  EntrySyntax,
  ExprSyntax,
  KconfigSyntax,
  PromptSyntax,
  SymbolRefSyntax,
  SymbolTypeName,
} from './syntax.ts';

/** Options of `parseKconfig`. */
export interface ParseKconfigOptions {
  /** Accept the `transitional` attribute (Linux 6.18+); in 6.1/6.12 `transitional` is an ordinary word. */
  readonly transitional?: boolean;
  /**
   * Whose grammar: `v6.1` (parser.y of 6.1: `choice NAME`, `optional`, `tristate` choices) or `v6.12` (a choice has
   * no name and is `bool "prompt"`; `optional` is a word; the root file's last statement needs its newline).
   * Default: the union of both, which is what every tree of both versions needs.
   */
  readonly flavor?: 'v6.1' | 'v6.12';
}

/** Statistics of a parse, for benchmarks and for the real-tree tests. */
export interface ParseKconfigStats {
  /** `$(shell,…)` calls made. */
  readonly shellCalls: number;
}

/** A module-local alias: imported bindings can cost a getter call per use when the module is loaded as CommonJS. */
const Tok = TokenKinds;

/** Thrown after a syntax error has been reported; caught where parsing recovers (the next line). */
class SyntaxAbort {}
const SYNTAX = new SyntaxAbort();

type Context = 'top' | 'block' | 'choice';

/** Nesting depth of expressions and of blocks at most (bison's stack would give up near 10000). */
const MAX_NESTING = 1000;

/**
 * Parses the Kconfig tree rooted at `rootFile` (relative to srctree, usually `Kconfig`), following `source`
 * and expanding macros. Never throws for bad input: the diagnostics say what went wrong.
 */
export function parseKconfig(
  rootFile: string,
  host: SourceHost,
  options: ParseKconfigOptions = {},
): Parsed<KconfigSyntax> & { readonly stats: ParseKconfigStats } {
  const parser = new Parser(host, options);
  let value: KconfigSyntax;
  try {
    value = parser.parse(rootFile);
  } catch (e) {
    // Last resort for pathological input (the nesting limits should come first): the stack ran out.
    if (!(e instanceof RangeError)) throw e;
    parser.lx.report('error', 'kconfig/too-deep', 'input nested too deeply');
    value = { rootFile, entries: [], files: parser.lx.files, environment: parser.lx.macro.environment };
  }
  return { value, diagnostics: parser.lx.diagnostics, stats: { shellCalls: parser.lx.macro.shellCalls } };
}

class Parser {
  readonly lx: KconfigLexer;
  private pending = false;
  private readonly flavor: 'v6.1' | 'v6.12' | undefined;
  /** The symbol that has `modules` (parser.y modules_sym). */
  private modulesSymbol: string | undefined;
  /** Current nesting of parentheses/negations and of blocks. */
  private exprDepth = 0;
  private blockDepth = 0;

  constructor(host: SourceHost, options: ParseKconfigOptions) {
    this.lx = new KconfigLexer(host, { transitional: options.transitional, optional: options.flavor !== 'v6.12' });
    this.flavor = options.flavor;
  }

  parse(rootFile: string): KconfigSyntax {
    const lx = this.lx;
    let mainmenu: string | undefined;
    const entries: EntrySyntax[] = [];
    if (lx.pushFile(rootFile)) {
      if (this.peek() === Tok.MAINMENU) {
        try {
          this.take();
          mainmenu = this.expectString('mainmenu');
          this.expectEol();
        } catch (e) {
          this.recover(e);
        }
      }
      this.statements('top', entries);
    }
    return { rootFile, mainmenu, entries, files: lx.files, environment: lx.macro.environment };
  }

  // ---- tokens -------------------------------------------------------------------------------------------

  /** The current token, reading it if needed (one token of lookahead; never more, see `help`). */
  private peek(): TokenKind {
    if (!this.pending) {
      this.lx.next();
      this.pending = true;
    }
    return this.lx.kind;
  }

  /** Consumes the current token. */
  private take(): void {
    this.peek();
    this.pending = false;
  }

  /** Reports a syntax error at the current token and abandons the statement. */
  private fail(expected: string): never {
    this.peek();
    const lx = this.lx;
    const found =
      lx.kind === Tok.WORD ? `'${lx.value}'` : lx.kind === Tok.WORD_QUOTE ? `"${lx.value}"` : tokenName(lx.kind);
    lx.report('error', 'kconfig/syntax', `syntax error: expected ${expected}, found ${found}`, lx.span());
    throw SYNTAX;
  }

  private error(code: string, message: string, span: SourceSpan): void {
    this.lx.report('error', code, message, span);
  }

  private warning(code: string, message: string, span: SourceSpan): void {
    this.lx.report('warning', code, message, span);
  }

  private expectEol(): void {
    const t = this.peek();
    // 6.12's lexer gives no end of line at the end of the root file (6.1's does): a last line without its
    // newline is then incomplete.
    if (t !== Tok.EOL && (t !== Tok.EOF || this.flavor === 'v6.12')) this.fail('end of line');
    this.take();
  }

  private expectString(what: string): string {
    if (this.peek() !== Tok.WORD_QUOTE) this.fail(`a quoted string after '${what}'`);
    const v = this.lx.value;
    this.take();
    return v;
  }

  private expectWord(what: string): string {
    if (this.peek() !== Tok.WORD) this.fail(`a symbol name after '${what}'`);
    const v = this.lx.value;
    this.take();
    return v;
  }

  /** Error recovery: drop tokens up to and including the end of the line (parser.y `error T_EOL`). */
  private recover(e: unknown): void {
    if (e !== SYNTAX) throw e;
    for (;;) {
      const t = this.peek();
      if (t === Tok.EOF) return;
      this.take();
      if (t === Tok.EOL) return;
    }
  }

  // ---- statements ---------------------------------------------------------------------------------------

  /**
   * Parses statements into `out` up to an end token (left unconsumed) or the end of input
   * (parser.y stmt_list / stmt_list_in_choice).
   */
  private statements(ctx: Context, out: EntrySyntax[]): void {
    this.blockDepth++;
    try {
      this.statementsAt(ctx, out);
    } finally {
      this.blockDepth--;
    }
  }

  private statementsAt(ctx: Context, out: EntrySyntax[]): void {
    for (;;) {
      const t = this.peek();
      if (t === Tok.EOF) return;
      if (t === Tok.ENDMENU || t === Tok.ENDCHOICE || t === Tok.ENDIF) {
        if (ctx !== 'top') return;
        const span = this.lx.span();
        this.error('kconfig/syntax', `unexpected '${this.lx.value || endWord(t)}': no menu, choice or if is open`, span);
        this.recover(SYNTAX);
        continue;
      }
      try {
        this.statement(ctx, t, out);
      } catch (e) {
        this.recover(e);
      }
    }
  }

  private statement(ctx: Context, t: TokenKind, out: EntrySyntax[]): void {
    if ((t === Tok.IF || t === Tok.MENU || t === Tok.CHOICE) && this.blockDepth >= MAX_NESTING) {
      this.error('kconfig/too-deep', `menus, choices and ifs nested more than ${MAX_NESTING} deep`, this.lx.span());
      throw SYNTAX;
    }
    switch (t) {
      case Tok.CONFIG:
      case Tok.MENUCONFIG:
        if (ctx === 'choice' && t === Tok.MENUCONFIG) break;
        {
          const entry = this.config(t === Tok.CONFIG ? 'config' : 'menuconfig', ctx === 'choice');
          if (entry) out.push(entry);
        }
        return;
      case Tok.COMMENT:
        out.push(this.comment());
        return;
      case Tok.IF:
        out.push(this.ifBlock(ctx === 'choice' ? 'choice' : 'block'));
        return;
      case Tok.CHOICE:
        if (ctx === 'choice') break;
        out.push(this.choice());
        return;
      case Tok.MENU:
        if (ctx === 'choice') break;
        out.push(this.menu());
        return;
      case Tok.SOURCE:
        if (ctx === 'choice') break;
        this.source();
        return;
      case Tok.WORD:
        if (ctx === 'choice') break;
        this.assignment();
        return;
    }
    const span = this.lx.span();
    const what = t === Tok.WORD ? `'${this.lx.value}'` : tokenName(t);
    this.error(
      'kconfig/syntax',
      ctx === 'choice' ? `invalid statement in a choice: ${what} (only config, comment and if)` : `invalid statement: ${what}`,
      span,
    );
    throw SYNTAX;
  }

  /** `NAME = value`, `NAME := value`, `NAME += value` (parser.y assignment_stmt). */
  private assignment(): void {
    const span = this.lx.span();
    const name = this.lx.value;
    this.take();
    const op = this.peek();
    let flavor: VariableFlavor;
    if (op === Tok.EQUAL) flavor = 'recursive';
    else if (op === Tok.COLON_EQUAL) flavor = 'simple';
    else if (op === Tok.PLUS_EQUAL) flavor = 'append';
    else {
      this.error('kconfig/syntax', `unknown statement "${name}"`, span);
      throw SYNTAX;
    }
    this.take();
    let value = '';
    if (this.peek() === Tok.ASSIGN_VAL) {
      value = this.lx.value;
      this.take();
    }
    this.expectEol();
    this.lx.macro.addVariable(name, value, flavor);
  }

  /** `source "file"` (parser.y source_stmt; zconf_nextfile()). */
  private source(): void {
    const span = this.lx.span();
    this.take();
    const file = this.expectString('source');
    this.expectEol();
    this.lx.pushFile(file, span);
  }

  /** A config or menuconfig entry; undefined (after an error) when the line has no symbol name. */
  private config(kind: 'config' | 'menuconfig', inChoice: boolean): EntrySyntax | undefined {
    const span = this.lx.span();
    this.take();
    let name: string | undefined;
    try {
      name = this.expectWord(kind);
      this.expectEol();
    } catch (e) {
      this.recover(e);
    }
    const attributes: AttributeSyntax[] = [];
    this.options(inChoice ? 'member' : 'config', name, attributes);
    if (name === undefined) return undefined;
    if (kind === 'menuconfig' && !attributes.some(hasPrompt)) {
      this.warning('kconfig/menuconfig-without-prompt', 'menuconfig statement without prompt', span);
    }
    return { kind, name, attributes, span };
  }

  private choice(): EntrySyntax {
    const span = this.lx.span();
    this.take();
    let name: string | undefined;
    if (this.peek() === Tok.WORD && this.flavor !== 'v6.12') {
      name = this.lx.value;
      this.take();
    }
    try {
      this.expectEol();
    } catch (e) {
      this.recover(e);
    }
    const attributes: AttributeSyntax[] = [];
    this.options('choice', undefined, attributes);
    const children: EntrySyntax[] = [];
    this.statements('choice', children);
    const endSpan = this.end('choice', span);
    return name === undefined
      ? { kind: 'choice', attributes, children, span, endSpan }
      : { kind: 'choice', name, attributes, children, span, endSpan };
  }

  private menu(): EntrySyntax {
    const span = this.lx.span();
    this.take();
    let prompt = '';
    try {
      prompt = this.expectString('menu');
      this.expectEol();
    } catch (e) {
      this.recover(e);
    }
    const attributes: AttributeSyntax[] = [];
    this.options('menu', undefined, attributes);
    const children: EntrySyntax[] = [];
    this.statements('block', children);
    const endSpan = this.end('menu', span);
    return { kind: 'menu', prompt, attributes, children, span, endSpan };
  }

  private ifBlock(ctx: Context): EntrySyntax {
    const span = this.lx.span();
    this.take();
    let condition: ExprSyntax = yes(span);
    try {
      condition = this.expr();
      this.expectEol();
    } catch (e) {
      this.recover(e);
    }
    const children: EntrySyntax[] = [];
    this.statements(ctx, children);
    const endSpan = this.end('if', span);
    return { kind: 'if', condition, children, span, endSpan };
  }

  private comment(): EntrySyntax {
    const span = this.lx.span();
    this.take();
    const prompt = this.expectString('comment');
    this.expectEol();
    const attributes: AttributeSyntax[] = [];
    this.options('comment', undefined, attributes);
    return { kind: 'comment', prompt, attributes, span };
  }

  /**
   * Consumes the end token of a block opened at `open` (parser.y `end` and zconf_endtoken()).
   * Reports a missing or mismatched end; returns the end's span.
   */
  private end(block: 'menu' | 'choice' | 'if', open: SourceSpan): SourceSpan {
    const t = this.peek();
    const span = this.lx.span();
    if (t === Tok.EOF) {
      this.error('kconfig/missing-end', `missing 'end${block}' for this ${block}`, open);
      return span;
    }
    const word = endWord(t);
    this.take();
    try {
      this.expectEol();
    } catch (e) {
      this.recover(e);
    }
    if (word !== `end${block}`) {
      this.error('kconfig/syntax', `unexpected '${word}' within ${block} block (opened at line ${open.line})`, span);
    } else if (span.file !== open.file) {
      this.error('kconfig/syntax', `'${word}' in different file than '${block}' (${open.file}:${open.line})`, span);
    }
    return span;
  }

  // ---- attributes ---------------------------------------------------------------------------------------

  /**
   * Parses the attribute lines of an entry (parser.y config_option_list, choice_option_list,
   * menu_option_list, comment_option_list) until a line that starts something else.
   */
  private options(
    owner: 'config' | 'member' | 'choice' | 'menu' | 'comment',
    name: string | undefined,
    out: AttributeSyntax[],
  ): void {
    const symbolic = owner === 'config' || owner === 'member';
    let helpSeen = false;
    for (;;) {
      const t = this.peek();
      const span = this.lx.span();
      try {
        switch (t) {
          case Tok.DEPENDS:
            this.take();
            if (this.peek() !== Tok.ON) this.fail("'on' after 'depends'");
            this.take();
            out.push({ kind: 'depends', condition: this.expr(), span });
            this.expectEol();
            continue;
          case Tok.VISIBLE:
            if (owner !== 'menu') return;
            this.take();
            out.push({ kind: 'visible', condition: this.ifExpr() ?? yes(span), span });
            this.expectEol();
            continue;
          case Tok.HELP:
            if (owner === 'menu' || owner === 'comment') return;
            this.take();
            this.expectEol();
            this.lx.readHelp();
            this.pending = false;
            {
              const text = this.lx.value;
              const who = name ?? '<choice>';
              if (helpSeen) {
                this.warning(
                  'kconfig/help-twice',
                  `'${who}' defined with more than one help text -- only the last one will be used`,
                  span,
                );
              }
              if (/^[ \f\n\r\t\v]*$/.test(text)) {
                this.warning('kconfig/help-blank', `'${who}' defined with blank help text`, span);
              }
              helpSeen = true;
              out.push({ kind: 'help', text, span });
            }
            continue;
        }
        if (owner === 'menu' || owner === 'comment') return;
        switch (t) {
          case Tok.BOOL:
          case Tok.TRISTATE:
          case Tok.INT:
          case Tok.HEX:
          case Tok.STRING: {
            const type = typeName(t);
            const v612 = this.flavor === 'v6.12';
            if (owner === 'choice' && type !== 'bool' && (v612 || type !== 'tristate')) {
              this.fail(v612 ? 'bool in a choice' : 'bool or tristate in a choice');
            }
            this.take();
            let prompt: PromptSyntax | undefined;
            if (owner === 'choice' && v612 && this.peek() !== Tok.WORD_QUOTE) this.fail("a prompt after 'bool' in a choice");
            if (this.peek() === Tok.WORD_QUOTE) prompt = this.prompt();
            out.push(prompt ? { kind: 'type', type, prompt, span } : { kind: 'type', type, span });
            this.expectEol();
            continue;
          }
          case Tok.PROMPT: {
            this.take();
            if (this.peek() !== Tok.WORD_QUOTE) this.fail("a quoted string after 'prompt'");
            out.push({ kind: 'prompt', prompt: this.prompt(), span });
            this.expectEol();
            continue;
          }
          case Tok.DEFAULT:
            this.take();
            if (owner === 'choice') {
              const value = this.symbol(false);
              const condition = this.ifExpr();
              out.push(condition ? { kind: 'default', value, condition, span } : { kind: 'default', value, span });
            } else {
              const value = this.expr();
              const condition = this.ifExpr();
              out.push(condition ? { kind: 'default', value, condition, span } : { kind: 'default', value, span });
            }
            this.expectEol();
            continue;
          case Tok.DEF_BOOL:
          case Tok.DEF_TRISTATE: {
            if (owner === 'choice') return;
            this.take();
            const type = t === Tok.DEF_BOOL ? 'bool' : 'tristate';
            const value = this.expr();
            const condition = this.ifExpr();
            out.push(
              condition ? { kind: 'def_type', type, value, condition, span } : { kind: 'def_type', type, value, span },
            );
            this.expectEol();
            continue;
          }
        }
        if (owner === 'choice') {
          if (t !== Tok.OPTIONAL) return;
          this.take();
          this.expectEol();
          out.push({ kind: 'optional', span });
          continue;
        }
        switch (t) {
          case Tok.SELECT:
          case Tok.IMPLY: {
            this.take();
            const target = this.symbol(false);
            const condition = this.ifExpr();
            const kind = t === Tok.SELECT ? 'select' : 'imply';
            out.push(condition ? { kind, target, condition, span } : { kind, target, span });
            this.expectEol();
            continue;
          }
          case Tok.RANGE: {
            this.take();
            const low = this.symbol(true);
            const high = this.symbol(true);
            const condition = this.ifExpr();
            out.push(condition ? { kind: 'range', low, high, condition, span } : { kind: 'range', low, high, span });
            this.expectEol();
            continue;
          }
          case Tok.MODULES:
            this.take();
            this.expectEol();
            if (this.modulesSymbol !== undefined) {
              this.error(
                'kconfig/modules-twice',
                `symbol '${name}' redefines option 'modules' already defined by symbol '${this.modulesSymbol}'`,
                span,
              );
            }
            this.modulesSymbol = name;
            out.push({ kind: 'modules', span });
            continue;
          case Tok.TRANSITIONAL:
            this.take();
            this.expectEol();
            out.push({ kind: 'transitional', span });
            continue;
        }
        return;
      } catch (e) {
        this.recover(e);
      }
    }
  }

  /** `"text" [if expr]` (parser.y prompt_stmt_opt); the current token is the string. */
  private prompt(): PromptSyntax {
    const span = this.lx.span();
    const text = this.lx.value;
    this.take();
    const condition = this.ifExpr();
    return condition ? { text, condition, span } : { text, span };
  }

  /** `[if expr]` (parser.y if_expr). */
  private ifExpr(): ExprSyntax | undefined {
    if (this.peek() !== Tok.IF) return undefined;
    this.take();
    return this.expr();
  }

  // ---- expressions --------------------------------------------------------------------------------------

  /** An expression (parser.y expr): `||` below `&&` below `!`, comparisons between two symbols. */
  private expr(): ExprSyntax {
    let left = this.andExpr();
    while (this.peek() === Tok.OR) {
      this.take();
      const right = this.andExpr();
      left = { kind: 'or', left, right, span: left.span };
    }
    return left;
  }

  private andExpr(): ExprSyntax {
    let left = this.primary();
    while (this.peek() === Tok.AND) {
      this.take();
      const right = this.primary();
      left = { kind: 'and', left, right, span: left.span };
    }
    return left;
  }

  private primary(): ExprSyntax {
    if (this.exprDepth >= MAX_NESTING) this.fail(`an expression nested less than ${MAX_NESTING} deep`);
    this.exprDepth++;
    try {
      return this.primaryAt();
    } finally {
      this.exprDepth--;
    }
  }

  private primaryAt(): ExprSyntax {
    const t = this.peek();
    if (t === Tok.NOT) {
      const span = this.lx.span();
      this.take();
      return { kind: 'not', operand: this.primary(), span };
    }
    if (t === Tok.OPEN_PAREN) {
      this.take();
      const inner = this.expr();
      if (this.peek() !== Tok.CLOSE_PAREN) this.fail("')'");
      this.take();
      return inner;
    }
    if (t !== Tok.WORD && t !== Tok.WORD_QUOTE) this.fail('an expression');
    const left = this.symbol(true);
    const op = compareOp(this.peek());
    if (op === undefined) return left;
    this.take();
    const right = this.symbol(true);
    return { kind: 'compare', op, left, right, span: left.span };
  }

  /** A symbol (parser.y symbol; nonconst_symbol when `quotedOk` is false). */
  private symbol(quotedOk: boolean): SymbolRefSyntax {
    const t = this.peek();
    if (t !== Tok.WORD && !(quotedOk && t === Tok.WORD_QUOTE)) this.fail(quotedOk ? 'a symbol' : 'a symbol name');
    const sym: SymbolRefSyntax = { kind: 'symbol', name: this.lx.value, quoted: t === Tok.WORD_QUOTE, span: this.lx.span() };
    this.take();
    return sym;
  }
}

function endWord(t: TokenKind): string {
  return t === Tok.ENDMENU ? 'endmenu' : t === Tok.ENDCHOICE ? 'endchoice' : 'endif';
}

function typeName(t: TokenKind): SymbolTypeName {
  switch (t) {
    case Tok.BOOL:
      return 'bool';
    case Tok.TRISTATE:
      return 'tristate';
    case Tok.INT:
      return 'int';
    case Tok.HEX:
      return 'hex';
    default:
      return 'string';
  }
}

function compareOp(t: TokenKind): CompareOp | undefined {
  switch (t) {
    case Tok.EQUAL:
      return '=';
    case Tok.UNEQUAL:
      return '!=';
    case Tok.LESS:
      return '<';
    case Tok.LESS_EQUAL:
      return '<=';
    case Tok.GREATER:
      return '>';
    case Tok.GREATER_EQUAL:
      return '>=';
    default:
      return undefined;
  }
}

function hasPrompt(a: AttributeSyntax): boolean {
  return a.kind === 'prompt' || (a.kind === 'type' && a.prompt !== undefined);
}

/** The constant `y` (an absent `visible if` condition). */
function yes(span: SourceSpan): SymbolRefSyntax {
  return { kind: 'symbol', name: 'y', quoted: false, span };
}
