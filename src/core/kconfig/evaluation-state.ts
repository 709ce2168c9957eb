/**
 * The storage of an Evaluation (evaluation.ts) and what reads it without computing symbols itself: the
 * per-symbol value, visibility and dependency arrays with their SYMBOL_VALID/SYMBOL_WRITE flags, the public
 * reads, and expression values (expr_calc_value(), compiled programs, comparisons). Computing a symbol is
 * symbol-calc.ts's part (`calc`, `calcVisibility`); the layers are one object, split by concern.
 */
import { toUnsigned64 } from './c-number.ts';
import { parseForCompare } from './expr-compare.ts';
import { exprPrograms, OP_AND, OP_COMPARE, OP_NOT, OP_OR, type ExprPrograms } from './expr-program.ts';
import type { Assignments, UserValue } from './assignments.ts';
import type { Expr } from './expr.ts';
import type { KconfigModel, KconfigSymbol, Property, SymbolType, Tristate } from './model.ts';

// ExprKind values as local constants: a cross-module read costs a getter call under tsx.
/** ExprKind.symbol. */
export const K_SYMBOL = 0;
const K_AND = 1;
const K_OR = 2;
const K_NOT = 3;
const K_EQUAL = 4;
const K_LTH = 6;
const K_LEQ = 7;
const K_GTH = 8;
const K_GEQ = 9;

/** SYMBOL_VALID: the value is computed. */
export const VALID = 1;
/** SYMBOL_WRITE: the symbol is written to .config. */
export const WRITE = 2;
/** The visibility and dependency values are computed. */
export const VIS = 4;

/** An unmet-dependency warning (sym_warn_unmet_dep()): a select forced a symbol past its dependencies. */
export interface UnmetDependency {
  readonly symbol: KconfigSymbol;
  readonly dirDep: Tristate;
  readonly revDep: Tristate;
}

/** The values of every symbol for one model and one set of user values: storage, reads, expression values. */
export abstract class EvaluationState {
  readonly model: KconfigModel;
  protected userValues: Assignments;
  protected readonly flags: Uint8Array;
  protected readonly tri: Uint8Array;
  protected readonly str: string[];
  protected readonly vis: Uint8Array;
  protected readonly dir: Uint8Array;
  protected readonly rev: Uint8Array;
  protected readonly imp: Uint8Array;
  protected readonly propVis: Uint8Array;
  /** Per choice node: -2 not computed, -1 none, else the chosen member's id. */
  protected readonly choiceSel: Int32Array;
  protected modulesVal: Tristate = 0;
  /** An earlier evaluation whose visibilities C's sym_calc_choice() would still see (see calcChoice). */
  protected readonly stale: EvaluationState | null;
  protected readonly warned: Set<number>;
  protected unmet: UnmetDependency[] = [];
  /** The model's compiled expressions (expr-program.ts) and the operand stack runProgram() shares with its nested calls. */
  protected readonly programs: ExprPrograms;
  protected stack = new Uint8Array(256);
  protected stackTop = 0;
  /** propagate()'s per-unit "queued" marks, reused between calls. */
  protected queued: Uint8Array | undefined;

  protected constructor(model: KconfigModel, assignments: Assignments, from?: EvaluationState, stale?: EvaluationState) {
    this.model = model;
    this.userValues = assignments;
    this.stale = stale ?? from?.stale ?? null;
    this.programs = from ? from.programs : exprPrograms(model);
    const n = model.symbols.length;
    if (from) {
      this.flags = from.flags.slice();
      this.tri = from.tri.slice();
      this.str = from.str.slice();
      this.vis = from.vis.slice();
      this.dir = from.dir.slice();
      this.rev = from.rev.slice();
      this.imp = from.imp.slice();
      this.propVis = from.propVis.slice();
      this.choiceSel = from.choiceSel.slice();
      this.modulesVal = from.modulesVal;
      this.warned = new Set(from.warned);
      this.unmet = from.unmet.filter((u) => this.warned.has(u.symbol.id));
    } else {
      this.flags = new Uint8Array(n);
      this.tri = new Uint8Array(n);
      this.str = new Array<string>(n).fill('');
      this.vis = new Uint8Array(n);
      this.dir = new Uint8Array(n);
      this.rev = new Uint8Array(n);
      this.imp = new Uint8Array(n);
      this.propVis = new Uint8Array(model.properties.length);
      this.choiceSel = new Int32Array(model.nodes.length).fill(-2);
      this.warned = new Set();
      // The constants y/m/n are always valid.
      this.setConst(model.yes, 2);
      this.setConst(model.mod, 1);
      this.setConst(model.no, 0);
      // sym_clear_all_valid(): MODULES first, so every tristate knows whether modules exist.
      this.calc(model.modules);
      this.modulesVal = this.tri[model.modules.id] as Tristate;
    }
  }

  /** Computes one symbol if needed (sym_calc_value()); symbol-calc.ts. */
  abstract calc(sym: KconfigSymbol): void;

  /** Computes a symbol's visibility and dependency values if needed (sym_calc_visibility()); symbol-calc.ts. */
  protected abstract calcVisibility(sym: KconfigSymbol): void;

  /** The user values this evaluation computes from. */
  get assignments(): Assignments {
    return this.userValues;
  }

  private setConst(sym: KconfigSymbol, t: Tristate): void {
    this.flags[sym.id] = VALID | VIS;
    this.tri[sym.id] = t;
    this.str[sym.id] = sym.name;
  }

  // ---- public reads ------------------------------------------------------------------------------

  /** The tristate value (sym_get_tristate_value()); 0 for non-bool symbols. */
  tristate(sym: KconfigSymbol): Tristate {
    this.calc(sym);
    return this.tri[sym.id] as Tristate;
  }

  /** The value as .config writes it (sym_get_string_value()): n/m/y or the string. */
  value(sym: KconfigSymbol): string {
    this.calc(sym);
    if (sym.type === 'bool' || sym.type === 'tristate') return triText[this.tri[sym.id]];
    return this.str[sym.id];
  }

  /** The raw `curr.val` of a symbol (a constant's name, `n` for bool/tristate). */
  currVal(sym: KconfigSymbol): string {
    this.calc(sym);
    if (sym.type === 'bool' || sym.type === 'tristate') return sym.isConst ? sym.name : 'n';
    return this.str[sym.id];
  }

  /** The prompt visibility (sym->visible). */
  visibility(sym: KconfigSymbol): Tristate {
    this.calcVisibility(sym);
    return this.vis[sym.id] as Tristate;
  }

  /** The value of the direct dependencies (sym->dir_dep.tri). */
  dirDepValue(sym: KconfigSymbol): Tristate {
    this.calcVisibility(sym);
    return this.dir[sym.id] as Tristate;
  }

  /** The value of the reverse dependencies, i.e. selects (sym->rev_dep.tri). */
  revDepValue(sym: KconfigSymbol): Tristate {
    this.calcVisibility(sym);
    return this.rev[sym.id] as Tristate;
  }

  /** The value of the implies (sym->implied.tri). */
  impliedValue(sym: KconfigSymbol): Tristate {
    this.calcVisibility(sym);
    return this.imp[sym.id] as Tristate;
  }

  /** The visibility of one property's condition, as last computed (prop->visible.tri). */
  propertyVisibility(prop: Property): Tristate {
    if (prop.node.sym) this.calcVisibility(prop.node.sym);
    return this.runProgram(this.programs.visible(prop.id));
  }

  /** True when the symbol would be written to .config (SYMBOL_WRITE). */
  isWritten(sym: KconfigSymbol): boolean {
    this.calc(sym);
    return (this.flags[sym.id] & WRITE) !== 0;
  }

  /** True when the symbol's value has been computed in this evaluation (SYMBOL_VALID). */
  isComputed(sym: KconfigSymbol): boolean {
    return (this.flags[sym.id] & VALID) !== 0;
  }

  /** The user value of a symbol, if any (sym_has_value()). */
  userValue(sym: KconfigSymbol): UserValue | undefined {
    return this.assignments.get(sym);
  }

  /** The value of MODULES used for tristate typing (modules_val). */
  get modules(): Tristate {
    return this.modulesVal;
  }

  /** The effective type (sym_get_type()): tristate becomes bool without modules. */
  effectiveType(sym: KconfigSymbol): SymbolType {
    const t = sym.type;
    if (t === 'tristate') {
      if (this.model.flavor === 'v6.1' && sym.choice && this.visibility(sym) === 2) return 'bool';
      if (this.modulesVal === 0) return 'bool';
    }
    return t;
  }

  /** The unmet-dependency warnings met so far (each symbol once). */
  unmetDependencies(): readonly UnmetDependency[] {
    return this.unmet;
  }

  /** Evaluates an expression (expr_calc_value()). */
  exprValue(e: Expr | null): Tristate {
    if (e === null) return 2;
    switch (e.kind) {
      case K_SYMBOL:
        this.calc(e.sym!);
        return this.tri[e.sym!.id] as Tristate;
      case K_AND: {
        const a = this.exprValue(e.a);
        const b = this.exprValue(e.b);
        return a < b ? a : b;
      }
      case K_OR: {
        const a = this.exprValue(e.a);
        const b = this.exprValue(e.b);
        return a > b ? a : b;
      }
      case K_NOT:
        return (2 - this.exprValue(e.a)) as Tristate;
      default:
        return this.compare(e);
    }
  }

  /**
   * Evaluates a compiled expression (expr-program.ts) exactly as exprValue() walks the tree: operands left
   * to right, each symbol computed when reached. Nested evaluations (inside calc()) use the stack above ours.
   */
  protected runProgram(code: Int32Array): Tristate {
    const n = code.length;
    if (n === 0) return 2;
    const base = this.stackTop;
    if (this.stack.length < base + n) {
      const grown = new Uint8Array(Math.max(this.stack.length * 2, base + n));
      grown.set(this.stack);
      this.stack = grown;
    }
    let stack = this.stack;
    const flags = this.flags;
    const tri = this.tri;
    let sp = base;
    for (let i = 0; i < n; i++) {
      const op = code[i];
      if (op >= 0) {
        if (!(flags[op] & VALID)) {
          this.stackTop = sp;
          this.calc(this.model.symbols[op]);
          stack = this.stack;
        }
        stack[sp++] = tri[op];
      } else if (op === OP_AND) {
        sp--;
        if (stack[sp] < stack[sp - 1]) stack[sp - 1] = stack[sp];
      } else if (op === OP_OR) {
        sp--;
        if (stack[sp] > stack[sp - 1]) stack[sp - 1] = stack[sp];
      } else if (op === OP_NOT) {
        stack[sp - 1] = 2 - stack[sp - 1];
      } else {
        this.stackTop = sp;
        const v = this.compare(this.programs.compares[OP_COMPARE - op]);
        stack = this.stack;
        stack[sp++] = v;
      }
    }
    this.stackTop = base;
    return stack[base] as Tristate;
  }

  // mirrors the comparison part of __expr_calc_value() and expr_parse_string(), expr.c.
  protected compare(e: Expr): Tristate {
    const l = e.sym!;
    const r = e.sym2!;
    const s1 = this.value(l);
    const s2 = this.value(r);
    let res: number;
    if (l.type === 'string' && r.type === 'string') res = s1 < s2 ? -1 : s1 > s2 ? 1 : 0;
    else {
      const k1 = parseForCompare(s1, l.type);
      const k2 = parseForCompare(s2, r.type);
      if (k1 === null || k2 === null) res = s1 < s2 ? -1 : s1 > s2 ? 1 : 0;
      else if (k1.unsigned || k2.unsigned) {
        const a = toUnsigned64(k1.value);
        const b = toUnsigned64(k2.value);
        res = a > b ? 1 : a < b ? -1 : 0;
      } else res = k1.value > k2.value ? 1 : k1.value < k2.value ? -1 : 0;
    }
    switch (e.kind) {
      case K_EQUAL:
        return res ? 0 : 2;
      case K_GEQ:
        return res >= 0 ? 2 : 0;
      case K_GTH:
        return res > 0 ? 2 : 0;
      case K_LEQ:
        return res <= 0 ? 2 : 0;
      case K_LTH:
        return res < 0 ? 2 : 0;
      default:
        return res ? 2 : 0;
    }
  }

  /** The visibility this evaluation computed for `s`, or 0 when it never did (the C struct's stale field). */
  earlierVisibility(s: KconfigSymbol): number {
    return this.flags[s.id] & VIS ? this.vis[s.id] : 0;
  }
}

const triText = ['n', 'm', 'y'] as const;
