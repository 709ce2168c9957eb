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
      // A symbol's own select/imply lines do not affect its value (their targets read them, through
      // revDep/impliedDep); counting them would make false loops (A selects B if C, C depends on A).
      if (p.kind === 'select' || p.kind === 'imply') continue;
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
        if (p.kind === 'select' || p.kind === 'imply') continue;
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

/** The representative of a symbol's recomputation group: a choice's members and (6.1) symbol go together. */
export function groupOf(sym: KconfigSymbol): number {
  if (sym.choice) return sym.choice.id;
  if (sym.isChoice && sym.nodes.length > 0) return sym.nodes[0].id;
  return -1;
}

/** Recomputation units: strongly connected parts of the dependents graph, in topological order. */
export interface RecomputeUnits {
  /** Per symbol id: the index of its unit; units are numbered so that inputs come first. */
  readonly unitOf: Int32Array;
  /** Per unit: its symbol ids, ascending. */
  readonly members: readonly (readonly number[])[];
}

/**
 * Groups symbols for change propagation: a choice's members and (6.1) symbol always go together, and so
 * does every dependency loop through a choice (a member that depends on a symbol that depends on another
 * member). Units are the strongly connected components (Tarjan) of that condensed graph, numbered in
 * topological order, so processing units by number recomputes each once, after everything it reads.
 */
export function buildUnits(model: KconfigModel, dependents: readonly (readonly number[])[]): RecomputeUnits {
  const n = model.symbols.length;
  const nodeOf = new Int32Array(n);
  for (const s of model.symbols) {
    const g = groupOf(s);
    nodeOf[s.id] = g >= 0 ? n + g : s.id;
  }
  const total = n + model.nodes.length;
  const out: number[][] = Array.from({ length: total }, () => []);
  for (let i = 0; i < n; i++) {
    const from = nodeOf[i];
    for (const d of dependents[i]) {
      const to = nodeOf[d];
      if (to !== from) out[from].push(to);
    }
  }
  // Iterative Tarjan: components come out in reverse topological order.
  const index = new Int32Array(total).fill(-1);
  const low = new Int32Array(total);
  const onStack = new Uint8Array(total);
  const stack: number[] = [];
  const comp = new Int32Array(total).fill(-1);
  let counter = 0;
  let comps = 0;
  const callStack: number[] = [];
  const edgePos: number[] = [];
  for (let root = 0; root < total; root++) {
    if (index[root] !== -1) continue;
    callStack.push(root);
    edgePos.push(0);
    index[root] = low[root] = counter++;
    stack.push(root);
    onStack[root] = 1;
    while (callStack.length > 0) {
      const v = callStack[callStack.length - 1];
      const pos = edgePos[edgePos.length - 1];
      if (pos < out[v].length) {
        edgePos[edgePos.length - 1] = pos + 1;
        const w = out[v][pos];
        if (index[w] === -1) {
          index[w] = low[w] = counter++;
          stack.push(w);
          onStack[w] = 1;
          callStack.push(w);
          edgePos.push(0);
        } else if (onStack[w] && index[w] < low[v]) low[v] = index[w];
        continue;
      }
      callStack.pop();
      edgePos.pop();
      if (callStack.length > 0) {
        const parent = callStack[callStack.length - 1];
        if (low[v] < low[parent]) low[parent] = low[v];
      }
      if (low[v] === index[v]) {
        for (;;) {
          const w = stack.pop()!;
          onStack[w] = 0;
          comp[w] = comps;
          if (w === v) break;
        }
        comps++;
      }
    }
  }
  // Reverse the numbering: inputs get lower unit numbers.
  const unitOf = new Int32Array(n);
  const members: number[][] = Array.from({ length: comps }, () => []);
  for (let i = 0; i < n; i++) {
    const u = comps - 1 - comp[nodeOf[i]];
    unitOf[i] = u;
    members[u].push(i);
  }
  return { unitOf, members };
}
