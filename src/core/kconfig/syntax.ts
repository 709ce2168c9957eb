/**
 * The Kconfig syntax tree: what the parser (`parse-kconfig.ts`) produces after macro expansion and
 * `source` inclusion, and what the model builder (`model-build.ts`) turns into a KconfigModel.
 * It mirrors the grammar of scripts/kconfig/parser.y, not the C menu structures: every entry keeps its
 * attributes in source order, with spans, so the model builder can reproduce the C code's order effects.
 *
 * Contract between the parser and the model builder: change it only with both sides in mind.
 */
import type { SourceSpan } from '../diag/span.ts';

/** A symbol reference inside an expression: an unquoted word (`FOO`, `y`, `0x10`) or a quoted constant. */
export interface SymbolRefSyntax {
  readonly kind: 'symbol';
  /** The word or the unescaped contents of the quoted string, after macro expansion. */
  readonly name: string;
  /** True for `"…"` / `'…'` constants (parser.y's T_WORD_QUOTE → a constant symbol). */
  readonly quoted: boolean;
  readonly span: SourceSpan;
}

/** Comparison operators of Kconfig expressions. */
export type CompareOp = '=' | '!=' | '<' | '<=' | '>' | '>=';

/** An expression as written (parser.y `expr`). */
export type ExprSyntax =
  | SymbolRefSyntax
  | { readonly kind: 'not'; readonly operand: ExprSyntax; readonly span: SourceSpan }
  | { readonly kind: 'and' | 'or'; readonly left: ExprSyntax; readonly right: ExprSyntax; readonly span: SourceSpan }
  | {
      readonly kind: 'compare';
      readonly op: CompareOp;
      readonly left: SymbolRefSyntax;
      readonly right: SymbolRefSyntax;
      readonly span: SourceSpan;
    };

/** Kconfig's value types. */
export type SymbolTypeName = 'bool' | 'tristate' | 'string' | 'hex' | 'int';

/** A prompt text with its optional `if` condition. */
export interface PromptSyntax {
  readonly text: string;
  readonly condition?: ExprSyntax;
  readonly span: SourceSpan;
}

/** One attribute line of a config/menuconfig/choice/menu/comment entry, in source order. */
export type AttributeSyntax =
  /** `bool`, `tristate "prompt" if cond`, … (a type, optionally with a prompt). */
  | { readonly kind: 'type'; readonly type: SymbolTypeName; readonly prompt?: PromptSyntax; readonly span: SourceSpan }
  /** `def_bool EXPR if COND` / `def_tristate …`: a type plus a default. */
  | {
      readonly kind: 'def_type';
      readonly type: 'bool' | 'tristate';
      readonly value: ExprSyntax;
      readonly condition?: ExprSyntax;
      readonly span: SourceSpan;
    }
  | { readonly kind: 'prompt'; readonly prompt: PromptSyntax; readonly span: SourceSpan }
  | { readonly kind: 'default'; readonly value: ExprSyntax; readonly condition?: ExprSyntax; readonly span: SourceSpan }
  | { readonly kind: 'depends'; readonly condition: ExprSyntax; readonly span: SourceSpan }
  | { readonly kind: 'visible'; readonly condition: ExprSyntax; readonly span: SourceSpan }
  | {
      readonly kind: 'select' | 'imply';
      readonly target: SymbolRefSyntax;
      readonly condition?: ExprSyntax;
      readonly span: SourceSpan;
    }
  | {
      readonly kind: 'range';
      readonly low: SymbolRefSyntax;
      readonly high: SymbolRefSyntax;
      readonly condition?: ExprSyntax;
      readonly span: SourceSpan;
    }
  /**
   * Help text exactly as lexer.l collects it: the first line's indentation removed from every line, trailing
   * blanks dropped, lines ending in `\n`, except that (as in conf) the last line has no `\n` when the next
   * statement starts in column 1 right after it.
   */
  | { readonly kind: 'help'; readonly text: string; readonly span: SourceSpan }
  /** `modules` (6.x) or `option modules`. */
  | { readonly kind: 'modules'; readonly span: SourceSpan }
  /** `option defconfig_list`. */
  | { readonly kind: 'defconfig_list'; readonly span: SourceSpan }
  /** `option allnoconfig_y` where a tree still has it. */
  | { readonly kind: 'allnoconfig_y'; readonly span: SourceSpan }
  /** `transitional` (newer trees). */
  | { readonly kind: 'transitional'; readonly span: SourceSpan }
  /** `optional` on a choice (6.1 and older). */
  | { readonly kind: 'optional'; readonly span: SourceSpan };

/** An entry of a Kconfig file, in source order; `source` has already been replaced by the included entries. */
export type EntrySyntax =
  | {
      readonly kind: 'config' | 'menuconfig';
      readonly name: string;
      readonly attributes: readonly AttributeSyntax[];
      readonly span: SourceSpan;
    }
  | {
      readonly kind: 'choice';
      /** Named choices (`choice FOO`) exist in older trees. */
      readonly name?: string;
      readonly attributes: readonly AttributeSyntax[];
      readonly children: readonly EntrySyntax[];
      readonly span: SourceSpan;
      readonly endSpan: SourceSpan;
    }
  | {
      readonly kind: 'menu';
      readonly prompt: string;
      readonly attributes: readonly AttributeSyntax[];
      readonly children: readonly EntrySyntax[];
      readonly span: SourceSpan;
      readonly endSpan: SourceSpan;
    }
  | {
      readonly kind: 'if';
      readonly condition: ExprSyntax;
      readonly children: readonly EntrySyntax[];
      readonly span: SourceSpan;
      readonly endSpan: SourceSpan;
    }
  | {
      readonly kind: 'comment';
      readonly prompt: string;
      readonly attributes: readonly AttributeSyntax[];
      readonly span: SourceSpan;
    };

/** A parsed Kconfig tree: the root file with every `source` resolved. */
export interface KconfigSyntax {
  /** The root file name as given (usually `Kconfig`), relative to srctree. */
  readonly rootFile: string;
  /** The `mainmenu` text after expansion, if any. */
  readonly mainmenu?: string;
  readonly entries: readonly EntrySyntax[];
  /** Every Kconfig file read, in the order conf opens them (for `deps_config`-like listings and bench counts). */
  readonly files: readonly string[];
  /**
   * Environment variables the macros read, with the values they had (conf records these in
   * include/config/auto.conf.cmd); a change of any of them invalidates cached evaluations.
   */
  readonly environment: ReadonlyMap<string, string>;
}
