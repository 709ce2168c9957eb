/**
 * Computing symbols, the middle layer of an Evaluation (evaluation.ts): sym_calc_visibility(),
 * sym_calc_value(), defaults and ranges, and the choices of both flavors (sym_calc_choice()), exactly as
 * symbol.c of the model's flavor does, on the storage of evaluation-state.ts.
 */
import { parseCNumber } from './c-number.ts';
import { EvaluationState, K_SYMBOL, VALID, VIS, WRITE } from './evaluation-state.ts';
import type { KconfigSymbol, MenuNode, Property, Tristate } from './model.ts';

/** An EvaluationState that computes its symbols (sym_calc_value() and what it calls). */
export abstract class SymbolCalc extends EvaluationState {
  /** The member a choice selects (sym_calc_choice()), or null. */
  choiceSelection(choice: MenuNode): KconfigSymbol | null {
    if (this.model.flavor === 'v6.1') {
      const csym = choice.sym!;
      this.calc(csym);
      // a choice defined twice keeps its state on its first node
      const sel = this.choiceSel[csym.nodes[0].id];
      return sel >= 0 ? this.model.symbols[sel] : null;
    }
    this.calcChoice(choice);
    const sel = this.choiceSel[choice.id];
    return sel >= 0 ? this.model.symbols[sel] : null;
  }

  /** Computes every symbol (conf_read()'s loop), so `unmetDependencies` is complete. */
  calcAll(): void {
    for (const sym of this.model.hashOrder) this.calc(sym);
  }

  // ---- sym_calc_visibility() ---------------------------------------------------------------------

  protected calcVisibility(sym: KconfigSymbol): void {
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
        if (visible !== 0 && user !== undefined && !user.unflagged) {
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
  // but that only shows in a recomputation: savedefconfig's (targets.ts, a user value marked `unflagged`) and
  // conf's dialogue (the nixos engine view, engine-kconfig.ts, keeps that flag itself); the flag counts as read here.

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
  protected calcChoice(choice: MenuNode): void {
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

  // mirrors sym_calc_choice() of 6.1: the user's member if visible, else the default.
  private calcChoice61(csym: KconfigSymbol, node: MenuNode): KconfigSymbol | null {
    for (const m of node.choiceMembers) this.calcVisibility(m);
    const u = this.assignments.getById(csym.id);
    if (u && u.choiceMember && this.visibility(u.choiceMember) !== 0) return u.choiceMember;
    const def = this.choiceDefault(node);
    if (def === null) this.tri[csym.id] = 0;
    return def;
  }}
