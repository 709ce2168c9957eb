/**
 * Indexes computed once per model: the C hash-table order of symbols and the dependents index
 * (Kconfiglib's `_dependents`) that lets an Evaluation recompute only what a change can reach.
 */
import { exprSymbols } from './expr.ts';
import type { KconfigFlavor, KconfigModel, KconfigSymbol } from './model.ts';

// mirrors strhash() (fnv32) and SYMBOL_HASHSIZE of 6.1's symbol.c.
function fnv32(s: string): number {
  let hash = 2166136261;
  for (let i = 0; i < s.length; i++) hash = Math.imul(hash ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return hash >>> 0;
}

/**
 * The order of C's `for_all_symbols` over `symbols` (given in creation order, y/m/n excluded).
 * v6.1: 9973 buckets, fnv32 of the name (choices in bucket 0), newest first within a bucket.
 * v6.12 walks a different table; no target output depends on it there, so creation order is returned.
 */
export function hashOrder(flavor: KconfigFlavor, symbols: readonly KconfigSymbol[]): KconfigSymbol[] {
  if (flavor !== 'v6.1') return symbols.slice();
  const buckets = new Map<number, KconfigSymbol[]>();
  for (const sym of symbols) {
    const h = sym.isChoice && sym.name === '' ? 0 : fnv32(sym.name) % 9973;
    let list = buckets.get(h);
    if (!list) buckets.set(h, (list = []));
    list.push(sym);
  }
  const keys = [...buckets.keys()].sort((a, b) => a - b);
  const out: KconfigSymbol[] = [];
  for (const k of keys) {
    const list = buckets.get(k)!;
    for (let i = list.length - 1; i >= 0; i--) out.push(list[i]);
  }
  return out;
}

/** For each symbol id, the ids of symbols whose computed value or visibility reads it. */
export function buildDependents(model: KconfigModel): number[][] {
  const dependents: Set<number>[] = model.symbols.map(() => new Set<number>());
  const reads = new Set<KconfigSymbol>();
  for (const sym of model.symbols) {
    reads.clear();
    for (const p of sym.properties) {
      exprSymbols(p.visible, reads);
      if (p.kind === 'default') exprSymbols(p.expr, reads);
      if (p.kind === 'range') {
        if (p.low) reads.add(p.low);
        if (p.high) reads.add(p.high);
      }
    }
    exprSymbols(sym.dirDep, reads);
    exprSymbols(sym.revDep, reads);
    exprSymbols(sym.impliedDep, reads);
    if (sym.choice) {
      // A member's value depends on the whole choice: its members, its defaults and (v6.1) the choice symbol.
      const choiceSym = sym.choice.sym!;
      reads.add(choiceSym);
      for (const other of sym.choice.choiceMembers) reads.add(other);
      for (const p of choiceSym.properties) {
        exprSymbols(p.visible, reads);
        if (p.kind === 'default') exprSymbols(p.expr, reads);
      }
    }
    if (sym.isChoice) {
      for (const node of sym.nodes) for (const member of node.choiceMembers) reads.add(member);
    }
    for (const r of reads) if (r !== sym) dependents[r.id].add(sym.id);
  }
  return dependents.map((s) => [...s]);
}
