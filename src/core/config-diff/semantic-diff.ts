// The semantic diff of two `.config`s (`kfit diff`, `kfit edit`): added, removed and changed symbols, grouped by
// the menu they sit in when a menu outline is at hand. Like the kernel's scripts/diffconfig, but grouped.
import type { ConfigValues } from './config-values.ts';
import type { MenuOutline } from './menu-outline.ts';

/** One symbol that differs between A and B. */
export interface ConfigChange {
  readonly symbol: string;
  /** `added`: only in B; `removed`: only in A; `changed`: in both with different values. */
  readonly kind: 'added' | 'removed' | 'changed';
  readonly old: string | undefined;
  readonly new: string | undefined;
  readonly prompt?: string;
}

/** Changes that share a menu. */
export interface ChangeGroup {
  /** Menu path joined with ` > `; `(unknown to this tree)` for symbols the outline lacks; `` without an outline. */
  readonly menu: string;
  readonly changes: readonly ConfigChange[];
}

/** Diffs two configs; changes come sorted by symbol name. */
export function diffConfigs(a: ConfigValues, b: ConfigValues): ConfigChange[] {
  const out: ConfigChange[] = [];
  for (const [name, av] of a) {
    const bv = b.get(name);
    if (bv === undefined) out.push({ symbol: name, kind: 'removed', old: av, new: undefined });
    else if (bv !== av) out.push({ symbol: name, kind: 'changed', old: av, new: bv });
  }
  for (const [name, bv] of b) if (!a.has(name)) out.push({ symbol: name, kind: 'added', old: undefined, new: bv });
  return out.sort((x, y) => (x.symbol < y.symbol ? -1 : x.symbol > y.symbol ? 1 : 0));
}

/** Label of the group for symbols that the tree does not define. */
export const UNKNOWN_MENU = '(unknown to this tree)';

/** Groups changes by menu path in menu order (symbols in menu order inside a group); one plain group without an outline. */
export function groupChanges(changes: readonly ConfigChange[], outline?: MenuOutline): ChangeGroup[] {
  if (!outline) return changes.length === 0 ? [] : [{ menu: '', changes }];
  const groups = new Map<string, { order: number; changes: ConfigChange[] }>();
  for (const c of changes) {
    const o = outline.get(c.symbol);
    const menu = o ? o.path.join(' > ') || '(top level)' : UNKNOWN_MENU;
    const order = o ? o.order : Number.MAX_SAFE_INTEGER;
    let g = groups.get(menu);
    if (!g) groups.set(menu, (g = { order, changes: [] }));
    g.order = Math.min(g.order, order);
    g.changes.push(o?.prompt ? { ...c, prompt: o.prompt } : c);
  }
  const rank = (s: string): number => outline.get(s)?.order ?? Number.MAX_SAFE_INTEGER;
  return [...groups.entries()]
    .sort((x, y) => x[1].order - y[1].order)
    .map(([menu, g]) => ({ menu, changes: g.changes.sort((p, q) => rank(p.symbol) - rank(q.symbol)) }));
}

/** Formats groups as text: a menu heading, then `-SYM old`, `+SYM new`, ` SYM old -> new` (diffconfig's marks). */
export function formatChangeGroups(groups: readonly ChangeGroup[]): string {
  let out = '';
  for (const g of groups) {
    const indent = g.menu === '' ? '' : '  ';
    if (g.menu !== '') out += `${g.menu}\n`;
    for (const c of g.changes) {
      const prompt = c.prompt ? `  # ${c.prompt}` : '';
      if (c.kind === 'added') out += `${indent}+${c.symbol} ${c.new}${prompt}\n`;
      else if (c.kind === 'removed') out += `${indent}-${c.symbol} ${c.old}${prompt}\n`;
      else out += `${indent} ${c.symbol} ${c.old} -> ${c.new}${prompt}\n`;
    }
  }
  return out;
}

/** Counts of a diff, for summaries. */
export function summarizeChanges(changes: readonly ConfigChange[]): { added: number; removed: number; changed: number } {
  let added = 0;
  let removed = 0;
  let changed = 0;
  for (const c of changes) {
    if (c.kind === 'added') added++;
    else if (c.kind === 'removed') removed++;
    else changed++;
  }
  return { added, removed, changed };
}
