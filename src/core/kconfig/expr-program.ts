/**
 * Kconfig expressions compiled to postfix programs in an Int32Array, for the evaluator's hot paths (a
 * symbol's dirDep, revDep, implied and prompt conditions, a default's condition and value). Walking an
 * expression tree costs a pointer chase per node (~90 ns on 6.12's big select lists); a program is read
 * in order and evaluates ~6x faster. The evaluator runs a program exactly as expr_calc_value() walks the
 * tree: every operand, left before right, each symbol computed (sym_calc_value()) when it is reached.
 *
 * Encoding, one int per node: a symbol id (≥ 0) pushes its tristate; OP_AND/OP_OR pop two and push the
 * min/max; OP_NOT replaces the top x by 2 − x; OP_COMPARE − k pushes the comparison `compares[k]`. The empty
 * program is the absent expression (y).
 */
import { ExprKind, type Expr } from './expr.ts';
import type { KconfigModel } from './model.ts';

/** Pops two, pushes the smaller (&&). */
export const OP_AND = -1;
/** Pops two, pushes the larger (||). */
export const OP_OR = -2;
/** Replaces the top x by 2 − x (!). */
export const OP_NOT = -3;
/** `OP_COMPARE - k`: pushes the value of the comparison `compares[k]`. */
export const OP_COMPARE = -4;

const NONE = new Int32Array(0);

/** Which expressions a table of programs compiles. */
const TABLES = ['dirDeps', 'revDeps', 'impliedDeps', 'visibles', 'values'] as const;

/**
 * Every program of a model in one array, for the model cache (model-serialize.ts): the code of all programs
 * back to back, per table and index the [start, end) of its program, and the comparisons.
 */
export interface ProgramImage {
  readonly code: Int32Array;
  /** dirDeps, revDeps, impliedDeps (by symbol id), visibles, values (by property id): 2 ints per entry. */
  readonly bounds: readonly Int32Array[];
  readonly compares: readonly Expr[];
}

/** The compiled expressions of one model, made on first use and shared by all its evaluations. */
export class ExprPrograms {
  /** The comparison nodes, by the index their OP_COMPARE code names. */
  readonly compares: Expr[] = [];
  private readonly dirDeps: (Int32Array | undefined)[];
  private readonly revDeps: (Int32Array | undefined)[];
  private readonly impliedDeps: (Int32Array | undefined)[];
  private readonly visibles: (Int32Array | undefined)[];
  private readonly values: (Int32Array | undefined)[];
  private readonly model: KconfigModel;
  private stored: ProgramImage | undefined;

  constructor(model: KconfigModel, image?: ProgramImage) {
    this.model = model;
    const n = model.symbols.length;
    const p = model.properties.length;
    this.dirDeps = new Array(n);
    this.revDeps = new Array(n);
    this.impliedDeps = new Array(n);
    this.visibles = new Array(p);
    this.values = new Array(p);
    if (!image) return;
    this.compares.push(...image.compares);
    TABLES.forEach((name, t) => {
      if (image.bounds[t].length !== this[name].length * 2) throw new Error('expr-program: an image of another model');
    });
    this.stored = image;
  }

  // the program of table t, index i, from the stored image (a view made on first use), or compiled
  private load(t: number, i: number, e: Expr | null): Int32Array {
    const image = this.stored;
    if (!image) return this.compile(e);
    const b = image.bounds[t];
    return image.code.subarray(b[2 * i], b[2 * i + 1]);
  }

  /** Compiles every program of the model and returns them as one image (see ProgramImage). */
  image(): ProgramImage {
    for (let i = 0; i < this.dirDeps.length; i++) {
      this.dirDep(i);
      this.revDep(i);
      this.impliedDep(i);
    }
    for (let i = 0; i < this.visibles.length; i++) {
      this.visible(i);
      this.value(i);
    }
    let size = 0;
    for (const name of TABLES) for (const c of this[name]) size += c!.length;
    const code = new Int32Array(size);
    const bounds: Int32Array[] = [];
    let at = 0;
    for (const name of TABLES) {
      const table = this[name];
      const b = new Int32Array(table.length * 2);
      for (let i = 0; i < table.length; i++) {
        code.set(table[i]!, at);
        b[2 * i] = at;
        b[2 * i + 1] = at += table[i]!.length;
      }
      bounds.push(b);
    }
    return { code, bounds, compares: this.compares.slice() };
  }

  /** sym->dir_dep of the symbol with this id. */
  dirDep(id: number): Int32Array {
    return this.dirDeps[id] ?? (this.dirDeps[id] = this.load(0, id, this.model.symbols[id].dirDep));
  }

  /** sym->rev_dep. */
  revDep(id: number): Int32Array {
    return this.revDeps[id] ?? (this.revDeps[id] = this.load(1, id, this.model.symbols[id].revDep));
  }

  /** sym->implied. */
  impliedDep(id: number): Int32Array {
    return this.impliedDeps[id] ?? (this.impliedDeps[id] = this.load(2, id, this.model.symbols[id].impliedDep));
  }

  /** The visibility condition of the property with this id (prop->visible.expr). */
  visible(id: number): Int32Array {
    return this.visibles[id] ?? (this.visibles[id] = this.load(3, id, this.model.properties[id].visible));
  }

  /** The expression of the property with this id (a default's value). */
  value(id: number): Int32Array {
    return this.values[id] ?? (this.values[id] = this.load(4, id, this.model.properties[id].expr));
  }

  /** Compiles one expression (null: the empty program). */
  compile(e: Expr | null): Int32Array {
    if (!e) return NONE;
    const out: number[] = [];
    // iterative post-order: the select lists of 6.12 are thousands of nodes deep on one side
    const stack: (Expr | number)[] = [e];
    while (stack.length > 0) {
      const x = stack.pop()!;
      if (typeof x === 'number') {
        out.push(x);
        continue;
      }
      switch (x.kind) {
        case ExprKind.symbol:
          out.push(x.sym!.id);
          break;
        case ExprKind.and:
        case ExprKind.or:
          stack.push(x.kind === ExprKind.and ? OP_AND : OP_OR, x.b!, x.a!);
          break;
        case ExprKind.not:
          stack.push(OP_NOT, x.a!);
          break;
        default:
          this.compares.push(x);
          out.push(OP_COMPARE - (this.compares.length - 1));
      }
    }
    return Int32Array.from(out);
  }
}

// Gotcha: a cache beside the model (which is read-only and has no field for it): one per model, dropped
// with it. Module state only in this sense; two models never share programs.
const programs = new WeakMap<KconfigModel, ExprPrograms>();

/** Gives `model` the programs of an image (a model read back from the model cache); before its first evaluation. */
export function restorePrograms(model: KconfigModel, image: ProgramImage): void {
  programs.set(model, new ExprPrograms(model, image));
}

/** The compiled expressions of `model`. */
export function exprPrograms(model: KconfigModel): ExprPrograms {
  let p = programs.get(model);
  if (!p) programs.set(model, (p = new ExprPrograms(model)));
  return p;
}
