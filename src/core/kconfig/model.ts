/**
 * The Kconfig model: interned symbols, their properties and the finalized menu tree, as the C tools hold
 * them after conf_parse() + menu_finalize() (scripts/kconfig/menu.c). Built once by `buildModel`
 * (model-build.ts) and read-only afterwards; every evaluation is a separate `Evaluation` over it.
 *
 * Gotcha: the object graph is cyclic (node ↔ parent, symbol ↔ nodes) and the fields are `readonly` only in
 * the types; nothing may mutate a model after `buildModel` returned it.
 */
import type { SourceSpan } from '../diag/span.ts';
import type { Expr } from './expr.ts';
import type { RecomputeUnits } from './model-index.ts';

/** Kconfig's tristate value: 0 = n, 1 = m, 2 = y. AND is min, OR is max, NOT is 2 − x. */
export type Tristate = 0 | 1 | 2;

/** A symbol's type; `unknown` for undefined names and for the constants of expressions (`5`, `"foo"`). */
export type SymbolType = 'unknown' | 'bool' | 'tristate' | 'int' | 'hex' | 'string';

/**
 * Which C implementation a model follows. `v6.12` is the rewritten choice code of Linux ≥ 6.11 (bool-only
 * choices, members ordered by priority); `v6.1` is the older one (choices are symbols with a value,
 * tristate and `optional` choices, int/hex without default are empty).
 */
export type KconfigFlavor = 'v6.12' | 'v6.1';

/** Kinds of a property (struct property's `enum prop_type`). */
export type PropertyKind = 'prompt' | 'menu' | 'comment' | 'default' | 'select' | 'imply' | 'range';

/** One property of a symbol or menu node (struct property), with its propagated visibility condition. */
export interface Property {
  /** Dense id for per-evaluation arrays. */
  readonly id: number;
  readonly kind: PropertyKind;
  /** The prompt text (prompt/menu/comment). */
  readonly text: string;
  /**
   * default: the value expression; select/imply: the target symbol expression; range: unused (see `low`/`high`).
   */
  readonly expr: Expr | null;
  /** select/imply target, or for a default the symbol when `expr` is a single symbol (prop_get_symbol()). */
  readonly target: KconfigSymbol | null;
  /** range bounds. */
  readonly low: KconfigSymbol | null;
  readonly high: KconfigSymbol | null;
  /**
   * The condition after menu_finalize(): the menu node's dependencies AND `if` condition (with `m` rewritten
   * to `m && MODULES`), plus parent menus' `visible if` for prompts. Null means always (y).
   */
  readonly visible: Expr | null;
  /** The `if` condition as written (before propagation), for explanations. */
  readonly condition: Expr | null;
  readonly node: MenuNode;
  readonly span: SourceSpan;
}

/** An interned symbol (struct symbol). Choices are nameless symbols with `isChoice`. */
export interface KconfigSymbol {
  /** Dense id for per-evaluation arrays; symbols compare by identity. */
  readonly id: number;
  /** The name; empty for choices (the C code's NULL name). */
  readonly name: string;
  readonly type: SymbolType;
  /** A quoted constant of an expression (`"foo"`), or y/m/n. */
  readonly isConst: boolean;
  readonly isChoice: boolean;
  /** All properties in the C order (definition order, attributes in source order). */
  readonly properties: readonly Property[];
  readonly prompts: readonly Property[];
  readonly defaults: readonly Property[];
  readonly selects: readonly Property[];
  readonly implies: readonly Property[];
  readonly ranges: readonly Property[];
  /** The menu nodes defining this symbol, in source order (sym->menus). */
  readonly nodes: readonly MenuNode[];
  /** OR of the dependencies of every definition (sym->dir_dep). */
  readonly dirDep: Expr | null;
  /** OR of `SELECTOR && cond` of every `select` of this symbol (sym->rev_dep). */
  readonly revDep: Expr | null;
  /** OR of `IMPLIER && cond` of every `imply` of this symbol (sym->implied). */
  readonly impliedDep: Expr | null;
  /** For a choice member: its choice's menu node (sym_get_choice_menu(); v6.1: the choice of SYMBOL_CHOICEVAL). */
  readonly choice: MenuNode | null;
  /** True when some definition is `option modules` / `modules`. */
  readonly isModules: boolean;
  /** v6.1 SYMBOL_OPTIONAL: every `config`, and choices written `optional`. */
  readonly isOptional: boolean;
  /** `transitional` symbols are read from .config but never written (newer trees). */
  readonly isTransitional: boolean;
}

/** Kinds of menu nodes. */
export type MenuNodeKind = 'root' | 'config' | 'menuconfig' | 'choice' | 'menu' | 'if' | 'comment';

/** A node of the finalized menu tree (struct menu). */
export interface MenuNode {
  readonly id: number;
  readonly kind: MenuNodeKind;
  readonly sym: KconfigSymbol | null;
  /** The node's prompt property (prompt/menu/comment), if any. */
  readonly prompt: Property | null;
  /** Propagated dependencies (menu->dep after menu_finalize()). */
  readonly dep: Expr | null;
  /** `visible if` of a menu. */
  readonly visibility: Expr | null;
  readonly help: string | null;
  readonly parent: MenuNode | null;
  /** First child after finalization (menu->list). */
  readonly firstChild: MenuNode | null;
  /** Next sibling (menu->next). */
  readonly next: MenuNode | null;
  /** For a choice node (v6.12): member symbols in their initial priority order (choice_members). */
  readonly choiceMembers: readonly KconfigSymbol[];
  readonly span: SourceSpan;
}

/** The immutable result of parsing + finalizing a Kconfig tree. */
export interface KconfigModel {
  readonly flavor: KconfigFlavor;
  readonly root: MenuNode;
  /** The `mainmenu` text (rootmenu.prompt). */
  readonly mainmenu: string;
  /** Every symbol, index = id (named, choices, constants). */
  readonly symbols: readonly KconfigSymbol[];
  readonly nodes: readonly MenuNode[];
  readonly properties: readonly Property[];
  /** The non-constant named symbols in creation order. */
  readonly byName: ReadonlyMap<string, KconfigSymbol>;
  /** The symbol with `modules` (modules_sym), or the constant `n` when none. */
  readonly modules: KconfigSymbol;
  readonly yes: KconfigSymbol;
  readonly mod: KconfigSymbol;
  readonly no: KconfigSymbol;
  /**
   * Symbols in the order C's `for_all_symbols` visits them (hash-table order); v6.1 randconfig and the
   * read-time checks depend on it.
   */
  readonly hashOrder: readonly KconfigSymbol[];
  /** For each symbol id, the ids of the symbols whose value reads it (Kconfiglib's `_dependents`); computed on first use. */
  readonly dependents: readonly (readonly number[])[];
  /** Recomputation units in topological order (model-index.ts buildUnits()); computed on first use. */
  readonly units: RecomputeUnits;
}

/** Looks a symbol up by name like sym_find(): y/m/n are the constants; otherwise non-constant symbols only. */
export function findSymbol(model: KconfigModel, name: string): KconfigSymbol | undefined {
  if (name === 'y') return model.yes;
  if (name === 'm') return model.mod;
  if (name === 'n') return model.no;
  return model.byName.get(name);
}

/** Calls `visit` for every menu node in menu_for_each_entry() order (pre-order, root excluded). */
export function menuNodesInOrder(model: KconfigModel): MenuNode[] {
  const out: MenuNode[] = [];
  let node: MenuNode | null = model.root.firstChild;
  while (node) {
    out.push(node);
    if (node.firstChild) {
      node = node.firstChild;
      continue;
    }
    while (node && !node.next) node = node.parent === model.root ? null : node.parent;
    node = node ? node.next : null;
  }
  return out;
}
