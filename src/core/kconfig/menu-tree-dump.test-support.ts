// The finalized menu tree as text, in the format of test/differential/menu-tree-dump.c (which prints conf's):
// one line per node in pre-order, `depth|symbol|prompt|dep|prompt visibility`, and after a symbol's first
// node `S|name|dir_dep|rev_dep|implied`; expressions as expr_print() writes them (constants unquoted).
import { formatExpr } from './expr.ts';
import type { KconfigModel, KconfigSymbol, MenuNode } from './model.ts';

const name = (s: KconfigSymbol): string => (s.isConst ? s.name : s.name || '<choice>');

/** The tree of `model` below its root, as menu-tree-dump.c prints conf's. */
export function dumpMenuTree(model: KconfigModel): string {
  const out: string[] = [];
  const seen = new Set<KconfigSymbol>();
  const walk = (first: MenuNode | null, depth: number): void => {
    for (let m = first; m; m = m.next) {
      const sym = m.sym;
      out.push(`${depth}|${sym ? name(sym) : '-'}|${m.prompt?.text ?? ''}|${formatExpr(m.dep, name)}|${m.prompt ? formatExpr(m.prompt.visible, name) : ''}`);
      if (sym && sym.name && !seen.has(sym)) {
        seen.add(sym);
        out.push(`S|${sym.name}|${formatExpr(sym.dirDep, name)}|${formatExpr(sym.revDep, name)}|${formatExpr(sym.impliedDep, name)}`);
      }
      walk(m.firstChild, depth + 1);
    }
  };
  walk(model.root.firstChild, 0);
  return out.join('\n') + '\n';
}
