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

  constructor(model: KconfigModel) {
    this.model = model;
    const n = model.symbols.length;
    const p = model.properties.length;
    this.dirDeps = new Array(n);
    this.revDeps = new Array(n);
    this.impliedDeps = new Array(n);
    this.visibles = new Array(p);
    this.values = new Array(p);
  }

  /** sym->dir_dep of the symbol with this id. */
  dirDep(id: number): Int32Array {
    return this.dirDeps[id] ?? (this.dirDeps[id] = this.compile(this.model.symbols[id].dirDep));
  }

  /** sym->rev_dep. */
  revDep(id: number): Int32Array {
    return this.revDeps[id] ?? (this.revDeps[id] = this.compile(this.model.symbols[id].revDep));
  }

  /** sym->implied. */
  impliedDep(id: number): Int32Array {
    return this.impliedDeps[id] ?? (this.impliedDeps[id] = this.compile(this.model.symbols[id].impliedDep));
  }

  /** The visibility condition of the property with this id (prop->visible.expr). */
  visible(id: number): Int32Array {
    return this.visibles[id] ?? (this.visibles[id] = this.compile(this.model.properties[id].visible));
  }

  /** The expression of the property with this id (a default's value). */
  value(id: number): Int32Array {
    return this.values[id] ?? (this.values[id] = this.compile(this.model.properties[id].expr));
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

/** The compiled expressions of `model`. */
export function exprPrograms(model: KconfigModel): ExprPrograms {
  let p = programs.get(model);
  if (!p) programs.set(model, (p = new ExprPrograms(model)));
  return p;
}
