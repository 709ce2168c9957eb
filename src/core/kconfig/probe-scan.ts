/**
 * A quick pass over a Kconfig tree that does only what decides which `$(shell,…)` commands run: it lexes every
 * file (the lexer expands the macros of words and strings), follows `source`, runs the macro assignments and
 * skips help texts, but builds no syntax tree. A host uses it to find the tree's probes ahead of the parse;
 * it costs about half a parse.
 *
 * Gotcha: the parser decides some of this from context that the scan does not have: a help text starts after
 * `help` + end of line only in an entry's attributes, `source` and assignments are statements only outside
 * choices. The scan takes `help` + end of line as a help text everywhere (it may skip text the parser lexes,
 * never the other way round) and follows every `source`/assignment at the start of a line, which differs only
 * in trees with syntax errors.
 */
import { KconfigLexer, Tok as TokenKinds } from './lexer.ts';
import type { VariableFlavor } from './macro.ts';
import type { SourceHost } from './source-host.ts';

/** A module-local alias (see parse-kconfig.ts). */
const Tok = TokenKinds;

/** Options of `scanKconfigProbes`. */
export interface ProbeScanOptions {
  /** `optional` is a keyword (the 6.1 grammar); default true, as in the parser. */
  readonly optional?: boolean;
}

/**
 * Walks the tree rooted at `rootFile` as the parser's lexer would, calling `host.runShell` for each probe the
 * parse would run, in the same order when the tree has no syntax errors.
 */
export function scanKconfigProbes(rootFile: string, host: SourceHost, options: ProbeScanOptions = {}): void {
  const lx = new KconfigLexer(host, { optional: options.optional });
  if (!lx.pushFile(rootFile)) return;
  let atStart = true;
  for (;;) {
    const t = lx.next();
    if (t === Tok.EOF) return;
    if (t === Tok.EOL) {
      atStart = true;
      continue;
    }
    if (!atStart) continue;
    atStart = false;
    if (t === Tok.SOURCE) {
      const span = lx.span();
      if (lx.next() !== Tok.WORD_QUOTE) {
        atStart = lx.kind === Tok.EOL;
        continue;
      }
      const file = lx.value;
      if (lx.next() !== Tok.EOL) continue;
      atStart = true;
      lx.pushFile(file, span);
    } else if (t === Tok.WORD) {
      const name = lx.value;
      const op = lx.next();
      const flavor: VariableFlavor | undefined =
        op === Tok.EQUAL ? 'recursive' : op === Tok.COLON_EQUAL ? 'simple' : op === Tok.PLUS_EQUAL ? 'append' : undefined;
      if (flavor === undefined) {
        atStart = op === Tok.EOL;
        continue;
      }
      let value = '';
      if (lx.next() === Tok.ASSIGN_VAL) {
        value = lx.value;
        lx.next();
      }
      if (lx.kind !== Tok.EOL) continue;
      atStart = true;
      lx.macro.addVariable(name, value, flavor);
    } else if (t === Tok.HELP) {
      if (lx.next() !== Tok.EOL) continue;
      lx.readHelp();
      atStart = true;
    }
  }
}
