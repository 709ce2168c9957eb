// Where a symbol sits in its Kconfig file, for the rename matcher (renames.ts): its nearest neighbours that both
// trees define, and whether a candidate sits between the same neighbours in the other tree.
import type { KconfigModel, KconfigSymbol, MenuNode } from '../kconfig/model.ts';

/** A subject's nearest neighbours that both trees define, as nodes of the tree the candidates are in. */
export interface Anchors {
  readonly before?: MenuNode;
  readonly after?: MenuNode;
}

/** Where a tree's config, menuconfig and choice entries sit: per file, in line order. */
export interface Placement {
  readonly model: KconfigModel;
  readonly byFile: ReadonlyMap<string, readonly MenuNode[]>;
  readonly index: ReadonlyMap<MenuNode, number>;
}

/** How far (in entries) a neighbour is looked for. */
const ANCHOR_REACH = 8;

function definedIn(model: KconfigModel, name: string): KconfigSymbol | undefined {
  const s = model.byName.get(name);
  return s && s.nodes.length > 0 ? s : undefined;
}

/** Indexes a model's entries by file and line. */
export function placeEntries(model: KconfigModel): Placement {
  const byFile = new Map<string, MenuNode[]>();
  for (const n of model.nodes) {
    if (n.kind !== 'config' && n.kind !== 'menuconfig' && n.kind !== 'choice') continue;
    const list = byFile.get(n.span.file) ?? [];
    list.push(n);
    byFile.set(n.span.file, list);
  }
  const index = new Map<MenuNode, number>();
  for (const list of byFile.values()) {
    list.sort((a, b) => a.span.line - b.span.line);
    list.forEach((n, i) => index.set(n, i));
  }
  return { model, byFile, index };
}

/**
 * The neighbours of `node` (in `from`) in its file that `to` still defines, the nearest before and after (skipping
 * the symbols in `skip`), as nodes of `to` (preferring the same file).
 */
export function anchorsOf(from: Placement, to: Placement, node: MenuNode, skip: readonly KconfigSymbol[]): Anchors {
  const list = from.byFile.get(node.span.file);
  const i = from.index.get(node);
  if (!list || i === undefined) return {};
  const anchor = (step: number): MenuNode | undefined => {
    for (let k = i + step, n = 0; k >= 0 && k < list.length && n < ANCHOR_REACH; k += step, n++) {
      const sym = list[k].sym;
      if (!sym || !sym.name || list[k].kind === 'choice' || skip.includes(sym)) continue;
      const there = definedIn(to.model, sym.name);
      if (there) return there.nodes.find((x) => x.span.file === list[k].span.file) ?? there.prompts[0]?.node ?? there.nodes[0];
    }
    return undefined;
  };
  return { before: anchor(-1), after: anchor(1) };
}

/**
 * If `node` (in `to`) sits between the anchors, or right after the one before / right before the one after, that
 * is evidence, weighted by how many new entries (`isNew`) share the gap; undefined otherwise.
 */
export function neighbourhood(to: Placement, { before, after }: Anchors, node: MenuNode, isNew: (n: MenuNode) => boolean): [number, string] | undefined {
  const file = node.span.file;
  if (before?.span.file !== file && after?.span.file !== file) return undefined;
  const list = to.byFile.get(file);
  const ci = to.index.get(node);
  if (!list || ci === undefined) return undefined;
  const bi = before && before.span.file === file ? to.index.get(before) : undefined;
  const ai = after && after.span.file === file ? to.index.get(after) : undefined;
  const gap = (lo: number, hi: number) => {
    let n = 0;
    for (let k = lo + 1; k < hi; k++) if (isNew(list[k])) n++;
    return n;
  };
  if (bi !== undefined && ai !== undefined && bi < ci && ci < ai) {
    const g = gap(bi, ai);
    return [g <= 2 ? 3 : g <= 6 ? 2 : 1, `defined in ${file} between ${before!.sym!.name} and ${after!.sym!.name} in both trees`];
  }
  if (bi !== undefined && ci > bi && gap(bi, ci) <= 1 && (ai === undefined || ci < ai)) return [1.5, `follows ${before!.sym!.name} in ${file} in both trees`];
  if (ai !== undefined && ci < ai && gap(ci, ai) <= 1 && (bi === undefined || ci > bi)) return [1.5, `precedes ${after!.sym!.name} in ${file} in both trees`];
  return undefined;
}
