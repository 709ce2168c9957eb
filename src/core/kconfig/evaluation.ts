/**
 * Symbol values: an `Evaluation` is a model plus immutable `Assignments`, and computes every symbol's
 * value lazily and once, exactly as sym_calc_value() (symbol.c) of the model's flavor does.
 * `with()` gives a new Evaluation after one change, reusing every value the change cannot reach.
 */
import { parseCNumber, toUnsigned64 } from './c-number.ts';
import { parseForCompare } from './expr-compare.ts';
import { MinHeap } from './min-heap.ts';
import { exprPrograms, OP_AND, OP_COMPARE, OP_NOT, OP_OR, type ExprPrograms } from './expr-program.ts';
import { Assignments, type UserValue } from './assignments.ts';
import type { Expr } from './expr.ts';

// ExprKind values as local constants: a cross-module read costs a getter call under tsx.
const K_SYMBOL = 0;
const K_AND = 1;
const K_OR = 2;
const K_NOT = 3;
const K_EQUAL = 4;
const K_LTH = 6;
const K_LEQ = 7;
const K_GTH = 8;
const K_GEQ = 9;
import type { KconfigModel, KconfigSymbol, MenuNode, Property, SymbolType, Tristate } from './model.ts';

const VALID = 1;
const WRITE = 2;
const VIS = 4;

/** An unmet-dependency warning (sym_warn_unmet_dep()): a select forced a symbol past its dependencies. */
export interface UnmetDependency {
  readonly symbol: KconfigSymbol;
  readonly dirDep: Tristate;
  readonly revDep: Tristate;
}

/** Options of `Evaluation.create`. */
export interface EvaluationOptions {
  /**
   * The evaluation before a change of user values, when mirroring a conf step that recomputes after one
   * (conf_rewrite_tristates()): C's choice code then sees some members' earlier visibility.
   */
  readonly stale?: Evaluation;
}

/**
 * What evaluation-session.ts may do that nobody else may (set by Evaluation's static block; not in
 * index.ts): copy an evaluation's storage, and change the user values of an evaluation in place.
 */
export const sessionAccess = {} as {
  fork: (ev: Evaluation) => Evaluation;
  applyInPlace: (ev: Evaluation, assignments: Assignments, changed: readonly KconfigSymbol[]) => Evaluation;
};

/** The values of every symbol for one model and one set of user values. */
export class Evaluation {
  readonly model: KconfigModel;
  private userValues: Assignments;
  private readonly flags: Uint8Array;
  private readonly tri: Uint8Array;
  private readonly str: string[];
  private readonly vis: Uint8Array;
  private readonly dir: Uint8Array;
  private readonly rev: Uint8Array;
  private readonly imp: Uint8Array;
  private readonly propVis: Uint8Array;
  /** Per choice node: -2 not computed, -1 none, else the chosen member's id. */
  private readonly choiceSel: Int32Array;
  private modulesVal: Tristate = 0;
  /** An earlier evaluation whose visibilities C's sym_calc_choice() would still see (see calcChoice). */
  private readonly stale: Evaluation | null;
  private readonly warned: Set<number>;
  private unmet: UnmetDependency[] = [];
  /** The model's compiled expressions (expr-program.ts) and the operand stack runProgram() shares with its nested calls. */
  private readonly programs: ExprPrograms;
  private stack = new Uint8Array(256);
  private stackTop = 0;
  /** propagate()'s per-unit "queued" marks, reused between calls. */
  private queued: Uint8Array | undefined;

  private constructor(model: KconfigModel, assignments: Assignments, from?: Evaluation, stale?: Evaluation) {
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

  static {
    sessionAccess.fork = (ev) => new Evaluation(ev.model, ev.userValues, ev);
    sessionAccess.applyInPlace = (ev, assignments, changed) => {
      for (const s of changed) if (s === ev.model.modules) return new Evaluation(ev.model, assignments, undefined, ev.stale ?? undefined);
      ev.userValues = assignments;
      ev.propagate(changed);
      return ev;
    };
  }

  /** The user values this evaluation computes from. */
  get assignments(): Assignments {
    return this.userValues;
  }

  /** Evaluates `model` with `assignments` (nothing is computed until asked). */
  static create(model: KconfigModel, assignments: Assignments = Assignments.empty(), options: EvaluationOptions = {}): Evaluation {
    return new Evaluation(model, assignments, undefined, options.stale);
  }

  private setConst(sym: KconfigSymbol, t: Tristate): void {
    this.flags[sym.id] = VALID | VIS;
    this.tri[sym.id] = t;
    this.str[sym.id] = sym.name;
  }

  /**
   * A new evaluation with different user values for some symbols (`changed` lists them). Values are
   * recomputed by change propagation: a symbol is recomputed, and only when its value, visibility or
   * dependency values differ are its dependents (the model's dependents index) queued in turn; every other
   * value is reused. A change of MODULES (which retypes every tristate) re-evaluates everything.
   */
  withAssignments(assignments: Assignments, changed: readonly KconfigSymbol[]): Evaluation {
    const model = this.model;
    for (const s of changed) if (s === model.modules) return new Evaluation(model, assignments);
    const next = new Evaluation(model, assignments, this);
    next.propagate(changed);
    return next;
  }

  private propagate(changed: readonly KconfigSymbol[]): void {
    const model = this.model;
    const symbols = model.symbols;
    const deps = model.dependents;
    const { unitOf, members } = model.units;
    // Units in topological order: everything a unit reads is settled before it is recomputed.
    // (`queued` is kept between calls, all zero again at the end: a session propagates thousands of times.)
    const queued = this.queued && this.queued.length === members.length ? this.queued : (this.queued = new Uint8Array(members.length));
    const done: number[] = [];
    const pending: number[] = [];
    const push = (id: number): void => {
      const u = unitOf[id];
      if (queued[u]) return;
      queued[u] = 1;
      pending.push(u);
    };
    for (const s of changed) push(s.id);
    const heap = new MinHeap(pending);
    const before: number[] = [];
    const beforeStr: string[] = [];
    const sel: number[] = [];
    try {
      for (let u = heap.pop(); u !== -1; u = heap.pop()) {
        done.push(u);
        const unit = members[u];
        // Clear the whole unit (choices included), recompute it, and queue the readers of what changed.
        before.length = 0;
        beforeStr.length = 0;
        sel.length = 0;
        for (let i = 0; i < unit.length; i++) {
          const g = symbols[unit[i]];
          before.push(this.signature(g.id));
          beforeStr.push(this.str[g.id]);
          const c = g.isChoice ? g.nodes[0] : null;
          sel.push(c ? this.choiceSel[c.id] : 0);
        }
        for (let i = 0; i < unit.length; i++) {
          const g = symbols[unit[i]];
          this.flags[g.id] = 0;
          this.vis[g.id] = 0;
          if (this.warned.delete(g.id)) this.unmet = this.unmet.filter((x) => x.symbol !== g);
          if (g.choice) this.choiceSel[g.choice.id] = -2;
          if (g.isChoice && g.nodes.length > 0) this.choiceSel[g.nodes[0].id] = -2;
        }
        for (let i = 0; i < unit.length; i++) {
          const g = symbols[unit[i]];
          this.calc(g);
          this.calcVisibility(g);
        }
        for (let i = 0; i < unit.length; i++) {
          const g = symbols[unit[i]];
          const c = g.isChoice ? g.nodes[0] : null;
          const sig = this.signature(g.id);
          if (sig === before[i] && (sig === -1 || this.str[g.id] === beforeStr[i]) && !(c && this.choiceSel[c.id] !== sel[i])) continue;
          const list = deps[g.id];
          for (let j = 0; j < list.length; j++) {
            const uu = unitOf[list[j]];
            if (!queued[uu]) {
              queued[uu] = 1;
              heap.push(uu);
            }
          }
        }
      }
    } finally {
      for (const u of done) queued[u] = 0;
    }
  }

  // What propagate() compares before and after recomputing a symbol, besides its string value: -1 when not
  // computed, else tristate, visibility, dependency values and SYMBOL_WRITE packed in one number.
  private signature(id: number): number {
    const f = this.flags[id];
    if (!(f & VALID)) return -1;
    return this.tri[id] | (this.vis[id] << 2) | (this.dir[id] << 4) | (this.rev[id] << 6) | (this.imp[id] << 8) | ((f & WRITE) << 10);
  }

  /**
   * A copy with new user values in which only `symbols` are recomputed: every other value, even one that
   * reads them, stays as computed so far. This mirrors C code that clears SYMBOL_VALID on a few symbols
   * only (6.1's randomize_choice_values() and set_all_choice_values()), leaving stale values around.
   */
  withStaleValues(assignments: Assignments, symbols: readonly KconfigSymbol[]): Evaluation {
    const next = new Evaluation(this.model, assignments, this);
    for (const s of symbols) {
      next.flags[s.id] = 0;
      if (s.isChoice && s.nodes.length > 0) next.choiceSel[s.nodes[0].id] = -2;
    }
    return next;
  }

  /** A new evaluation with `sym`'s user value set (or removed with `undefined`). */
  with(sym: KconfigSymbol, value: UserValue | undefined): Evaluation {
    return this.withAssignments(this.assignments.with(sym, value), [sym]);
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

  /** The member a choice selects (sym_calc_choice()), or null. */
  choiceSelection(choice: MenuNode): KconfigSymbol | null {
    if (this.model.flavor === 'v6.1') {
      const csym = choice.sym!;
      this.calc(csym);
      const sel = this.choiceSel[choice.id];
      return sel >= 0 ? this.model.symbols[sel] : null;
    }
    this.calcChoice(choice);
    const sel = this.choiceSel[choice.id];
    return sel >= 0 ? this.model.symbols[sel] : null;
  }

  /** The unmet-dependency warnings met so far (each symbol once). */
  unmetDependencies(): readonly UnmetDependency[] {
    return this.unmet;
  }

  /** Computes every symbol (conf_read()'s loop), so `unmetDependencies` is complete. */
  calcAll(): void {
    for (const sym of this.model.hashOrder) this.calc(sym);
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
  private runProgram(code: Int32Array): Tristate {
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
  private compare(e: Expr): Tristate {
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

  // ---- sym_calc_visibility() ---------------------------------------------------------------------

  private calcVisibility(sym: KconfigSymbol): void {
    const id = sym.id;
    if (this.flags[id] & VIS) return;
    // Gotcha: VIS is set only at the end: a 6.1 choice member's visibility computes the choice, which asks
    // for the member's visibility again (sym_calc_visibility() is not memoized in C either).
    const v61 = this.model.flavor === 'v6.1';
    let choiceSym: KconfigSymbol | null = null;
    if (v61 && sym.choice) choiceSym = sym.choice.sym;
    let t: Tristate = 0;
    const prompts = sym.prompts;
    for (let i = 0; i < prompts.length; i++) {
      const p = prompts[i];
      let pv = this.runProgram(this.programs.visible(p.id));
      // v6.1: tristate choice values with visibility m are hidden when the choice is y.
      if (choiceSym && sym.type === 'tristate' && pv === 1 && this.tristate(choiceSym) === 2) pv = 0;
      this.propVis[p.id] = pv;
      if (pv > t) t = pv;
    }
    if (t === 1 && (sym.type !== 'tristate' || this.modulesVal === 0)) t = 2;
    this.vis[id] = t;
    if (sym.choice) {
      this.flags[id] |= VIS;
      return;
    }
    let d: Tristate = sym.dirDep ? this.runProgram(this.programs.dirDep(id)) : 2;
    if (d === 1 && this.effectiveType(sym) === 'bool') d = 2;
    this.dir[id] = d;
    let r: Tristate = sym.revDep ? this.runProgram(this.programs.revDep(id)) : 0;
    if (r === 1 && this.effectiveType(sym) === 'bool') r = 2;
    this.rev[id] = r;
    let m: Tristate = sym.impliedDep ? this.runProgram(this.programs.impliedDep(id)) : 0;
    if (m === 1 && this.effectiveType(sym) === 'bool') m = 2;
    this.imp[id] = m;
    this.flags[id] |= VIS;
  }

  // ---- sym_calc_value() --------------------------------------------------------------------------

  /** Computes one symbol if needed (sym_calc_value()). */
  calc(sym: KconfigSymbol): void {
    const id = sym.id;
    let f = this.flags[id];
    if (f & VALID) return;
    f |= VALID;
    const type = sym.type;
    const v61 = this.model.flavor === 'v6.1';
    let newTri: Tristate = 0;
    let newStr = '';
    switch (type) {
      case 'int':
        newStr = v61 ? '' : '0';
        break;
      case 'hex':
        newStr = v61 ? '' : '0x0';
        break;
      case 'string':
      case 'bool':
      case 'tristate':
        break;
      default:
        this.flags[id] = f | VIS;
        this.str[id] = sym.name;
        this.tri[id] = 0;
        return;
    }
    f &= ~WRITE;
    this.flags[id] = f;
    this.calcVisibility(sym);
    const visible = this.vis[id] as Tristate;
    if (visible !== 0) this.flags[id] |= WRITE;
    // Set the default first in case of recursion.
    this.tri[id] = 0;
    this.str[id] = newStr;
    const user = this.assignments.getById(id);
    const etype = this.effectiveType(sym);
    if (etype === 'bool' || etype === 'tristate') {
      if (sym.choice && !v61) {
        this.calcChoice(sym.choice);
        newTri = this.tri[id] as Tristate;
      } else if (sym.choice && v61 && visible === 2) {
        const csym = sym.choice.sym!;
        this.calc(csym);
        newTri = this.choiceSel[sym.choice.id] === id ? 2 : 0;
      } else {
        let fromUser = false;
        if (visible !== 0 && user !== undefined) {
          newTri = user.tri < visible ? user.tri : visible;
          fromUser = true;
        }
        const dir = this.dir[id];
        const rev = this.rev[id] as Tristate;
        if (!fromUser) {
          if (rev !== 0) this.flags[id] |= WRITE;
          if (!sym.isChoice) {
            const prop = this.defaultProp(sym);
            if (prop) {
              const v = this.runProgram(this.programs.value(prop.id));
              const pv = this.propVis[prop.id];
              newTri = (v < pv ? v : pv) as Tristate;
              if (newTri !== 0) this.flags[id] |= WRITE;
            }
            const imp = this.imp[id] as Tristate;
            if (imp !== 0) {
              this.flags[id] |= WRITE;
              if (imp > newTri) newTri = imp;
              if (dir < newTri) newTri = dir as Tristate;
            }
          }
        }
        if (dir < rev && !this.warned.has(id)) {
          this.warned.add(id);
          this.unmet.push({ symbol: sym, dirDep: dir as Tristate, revDep: rev });
        }
        if (rev > newTri) newTri = rev;
      }
      if (newTri === 1 && this.effectiveType(sym) === 'bool') newTri = 2;
      this.tri[id] = newTri;
      if (v61 && sym.isChoice) {
        const node = sym.nodes[0];
        let sel: KconfigSymbol | null = null;
        if (newTri === 2) sel = this.calcChoice61(sym, node);
        this.choiceSel[node.id] = sel ? sel.id : -1;
      }
    } else {
      if (visible !== 0 && user !== undefined) newStr = user.str;
      else {
        const prop = this.defaultProp(sym);
        if (prop) {
          const ds = prop.expr && prop.expr.kind === K_SYMBOL ? prop.expr.sym : null;
          if (ds) {
            this.flags[id] |= WRITE;
            newStr = this.currVal(ds);
          }
        }
      }
      this.str[id] = newStr;
      if (type === 'int' || type === 'hex') this.validateRange(sym);
    }
    if (sym.isChoice) this.flags[id] &= ~WRITE;
    if (sym === this.model.modules) this.modulesVal = this.tri[id] as Tristate;
  }

  // Gotcha (v6.1): sym_calc_choice() clears a choice's SYMBOL_DEF_USER when a visible member has no value,
  // but that only shows in a recomputation, which the targets never do; the flag counts as read here.

  // mirrors sym_get_default_prop().
  defaultProp(sym: KconfigSymbol): Property | null {
    const defaults = sym.defaults;
    for (let i = 0; i < defaults.length; i++) {
      const p = defaults[i];
      const pv = this.runProgram(this.programs.visible(p.id));
      this.propVis[p.id] = pv;
      if (pv !== 0) return p;
    }
    return null;
  }

  // mirrors sym_validate_range().
  private validateRange(sym: KconfigSymbol): void {
    const base = sym.type === 'int' ? 10 : 16;
    let prop: Property | null = null;
    for (const p of sym.ranges) {
      const pv = this.exprValue(p.visible);
      this.propVis[p.id] = pv;
      if (pv !== 0) {
        prop = p;
        break;
      }
    }
    if (!prop) return;
    const val = parseCNumber(this.str[sym.id], base, false).value;
    let rangeSym = prop.low!;
    if (val >= this.rangeValue(rangeSym, base)) {
      rangeSym = prop.high!;
      if (val <= this.rangeValue(rangeSym, base)) return;
    }
    this.str[sym.id] = this.currVal(rangeSym);
  }

  // mirrors sym_get_range_val().
  rangeValue(sym: KconfigSymbol, base: number): bigint {
    this.calc(sym);
    if (sym.type === 'int') base = 10;
    else if (sym.type === 'hex') base = 16;
    return parseCNumber(this.currVal(sym), base, false).value;
  }

  // ---- choices -----------------------------------------------------------------------------------

  // mirrors sym_choice_default() (both flavors): a visible default, else the first visible member.
  choiceDefault(choice: MenuNode): KconfigSymbol | null {
    const csym = choice.sym!;
    for (const p of csym.defaults) {
      const pv = this.exprValue(p.visible);
      this.propVis[p.id] = pv;
      if (pv === 0) continue;
      const def = p.expr && p.expr.kind === K_SYMBOL ? p.expr.sym! : null;
      if (def && this.visibility(def) !== 0) return def;
    }
    for (const m of choice.choiceMembers) if (this.visibility(m) !== 0) return m;
    return null;
  }

  // mirrors sym_calc_choice() of 6.12: priority list, user y, default unless n, first unset, last n.
  // mirrors sym_calc_choice() of 6.12: priority list, user y, default unless n, first unset, last n.
  private calcChoice(choice: MenuNode): void {
    if (this.choiceSel[choice.id] !== -2) return;
    this.choiceSel[choice.id] = -1;
    const symbols = this.model.symbols;
    const values = this.assignments;
    const order = this.assignments.priority(choice);
    let res: KconfigSymbol | null = null;
    for (let i = 0; i < order.length; i++) {
      const s = symbols[order[i]];
      if (this.visibility(s) === 0) continue;
      const u = values.getById(s.id);
      if (u !== undefined && u.tri === 2) {
        res = s;
        break;
      }
    }
    if (!res) {
      res = this.choiceDefault(choice);
      if (res) {
        const u = values.getById(res.id);
        if (u !== undefined && u.tri === 0) res = null;
      }
    }
    if (!res) {
      for (const s of choice.choiceMembers) {
        if (this.visibility(s) === 0 || values.getById(s.id) !== undefined) continue;
        res = s;
        break;
      }
    }
    if (!res) {
      for (let i = order.length - 1; i >= 0; i--) {
        const s = symbols[order[i]];
        if (this.visibility(s) === 0) continue;
        res = s;
        break;
      }
    }
    this.choiceSel[choice.id] = res ? res.id : -1;
    // sym_calc_choice() reads `sym->visible` here without recomputing it: a member the loops above did not
    // reach has the visibility of an earlier computation (none: 0; or the `stale` evaluation's, as after
    // conf_rewrite_tristates()).
    for (const s of choice.choiceMembers) {
      const v = this.flags[s.id] & VIS ? this.vis[s.id] : this.stale ? this.stale.earlierVisibility(s) : 0;
      if (v === 0) continue;
      this.tri[s.id] = s === res ? 2 : 0;
      this.flags[s.id] |= VALID | WRITE;
    }
  }

  /** The visibility this evaluation computed for `s`, or 0 when it never did (the C struct's stale field). */
  private earlierVisibility(s: KconfigSymbol): number {
    return this.flags[s.id] & VIS ? this.vis[s.id] : 0;
  }

  // mirrors sym_calc_choice() of 6.1: the user's member if visible, else the default.
  private calcChoice61(csym: KconfigSymbol, node: MenuNode): KconfigSymbol | null {
    for (const m of node.choiceMembers) this.calcVisibility(m);
    const u = this.assignments.getById(csym.id);
    if (u && u.choiceMember && this.visibility(u.choiceMember) !== 0) return u.choiceMember;
    const def = this.choiceDefault(node);
    if (def === null) this.tri[csym.id] = 0;
    return def;
  }
}

const triText = ['n', 'm', 'y'] as const;
