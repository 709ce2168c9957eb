/**
 * conf's meaning checks after menu_finalize(): recursive dependencies (symbol.c sym_check_deps() and friends,
 * called by parser.y's conf_parse() for every symbol) and, in v6.12, choice_check_sanity(). conf prints them
 * to stderr and exits 1; kfit returns them as data (`findDependencyProblems`), as Diagnostics, or as conf's
 * exact stderr text (`formatConfDependencyProblems`, for the differential tests).
 *
 * Gotcha: the walk goes through kfit's expressions, which skip C's expr_transform()/expr_eliminate_dups() in
 * menu_finalize(); a dependency that C simplifies away (`A || (A && B)`) is still walked here.
 */
import { diagnostic, type Diagnostic, type RelatedInformation } from '../diag/diagnostic.ts';
import { InputError } from '../diag/errors.ts';
import type { SourceSpan } from '../diag/span.ts';
import { ExprKind, type Expr } from './expr.ts';
import { allEntries, subEntries } from './menu.ts';
import type { KconfigModel, KconfigSymbol, MenuNode, PropertyKind } from './model.ts';

/** The property kinds conf names in its messages (prop_get_type_name()); `symbol` is 6.1's P_SYMBOL. */
export type CheckedPropertyKind = PropertyKind | 'symbol' | 'unknown';

/** One line of a recursive-dependency report (one dep_stack entry of sym_check_print_recursive()). */
export interface CycleStep {
  readonly sym: KconfigSymbol;
  readonly next: KconfigSymbol;
  /**
   * How `sym` reaches `next`: `dirDep` (depends on), `revDep` (selected by), `implied`, `value` (a
   * default's value), `visible` (a property's condition), `choice` (6.1: a choice contains its members),
   * `choiceValue` (6.1: a member is part of its choice), `choiceBlock` (6.12: `next` is sym's choice).
   */
  readonly via: 'dirDep' | 'revDep' | 'implied' | 'value' | 'visible' | 'choice' | 'choiceValue' | 'choiceBlock';
  /** The property for `value` / `visible` (prop_get_type_name() of it). */
  readonly propertyKind: CheckedPropertyKind;
  /** Where conf 6.1 points: the property, else the symbol's first definition (or, for choices, the choice). */
  readonly span: SourceSpan;
  /** For `choiceBlock`: the choice's first definition (conf 6.12 prints it). */
  readonly choiceSpan: SourceSpan | null;
}

/** A dependency cycle as conf reports it: the steps from the first symbol of the loop back to it. */
export interface DependencyCycle {
  readonly kind: 'cycle';
  /** Where conf 6.1 prints "error: recursive dependency detected!". */
  readonly span: SourceSpan;
  /** Empty when conf would print "unexpected recursive dependency error". */
  readonly steps: readonly CycleStep[];
}

/** A v6.12 choice_check_sanity() error on a choice member's property. */
export interface ChoiceSanityError {
  readonly kind: 'choice-sanity';
  readonly span: SourceSpan;
  /** conf's wording, e.g. "defaults for choice values not supported". */
  readonly message: string;
}

/** One error conf_parse() counts after menu_finalize(), in conf's order. */
export type DependencyProblem = DependencyCycle | ChoiceSanityError;

// A property as sym_check_sym_deps() walks it: kfit's properties plus 6.1's P_SYMBOL (one per definition,
// its condition being the definition's dependencies).
interface CheckProp {
  readonly kind: PropertyKind | 'symbol';
  readonly visible: Expr | null;
  readonly expr: Expr | null;
  readonly span: SourceSpan;
  readonly node?: MenuNode;
}

// The C prop->type: a `menuconfig` prompt is a P_MENU (parser.y's menuconfig_stmt retypes it).
function typeOf(prop: CheckProp): CheckedPropertyKind {
  return prop.kind === 'prompt' && prop.node?.kind === 'menuconfig' ? 'menu' : prop.kind;
}

type Via = 'dirDep' | 'revDep' | 'implied' | 'value' | null;

interface StackEntry {
  readonly sym: KconfigSymbol;
  prop: CheckProp | null;
  via: Via;
}

const CHECK = 1;
const CHECKED = 2;

/** The order conf's properties come in for one symbol (sym->prop): per definition, 6.1's P_SYMBOL first. */
function checkProps(model: KconfigModel, sym: KconfigSymbol): readonly CheckProp[] {
  if (model.flavor !== 'v6.1') return sym.properties;
  const out: CheckProp[] = [];
  for (const node of sym.nodes) {
    out.push({ kind: 'symbol', visible: node.dep, expr: null, span: node.span });
    for (const p of sym.properties) if (p.node === node) out.push(p);
  }
  return out;
}

// The walk of symbol.c: sym_check_deps(), sym_check_sym_deps(), sym_check_choice_deps(), sym_check_expr_deps(),
// with the dep_stack and the SYMBOL_CHECK / SYMBOL_CHECKED flags.
class DependencyWalk {
  readonly flags: Uint8Array;
  readonly stack: StackEntry[] = [];
  readonly todo: Expr[] = [];
  readonly problems: DependencyProblem[] = [];
  readonly v61: boolean;
  readonly props = new Map<KconfigSymbol, readonly CheckProp[]>();
  readonly model: KconfigModel;

  constructor(model: KconfigModel) {
    this.model = model;
    this.flags = new Uint8Array(model.symbols.length);
    this.v61 = model.flavor === 'v6.1';
  }

  propsOf(sym: KconfigSymbol): readonly CheckProp[] {
    if (!this.v61) return sym.properties;
    let p = this.props.get(sym);
    if (!p) this.props.set(sym, (p = checkProps(this.model, sym)));
    return p;
  }

  push(sym: KconfigSymbol): StackEntry {
    const e: StackEntry = { sym, prop: null, via: null };
    this.stack.push(e);
    return e;
  }

  // mirrors sym_check_deps(), symbol.c
  deps(sym: KconfigSymbol): KconfigSymbol | null {
    const f = this.flags[sym.id];
    if (f & CHECK) {
      this.report(sym);
      return sym;
    }
    if (f & CHECKED) return null;
    let found: KconfigSymbol | null;
    if (sym.choice) {
      // choice groups are checked from the choice symbol
      this.push(sym);
      found = this.deps(sym.choice.sym!);
      this.stack.pop();
    } else if (sym.isChoice) {
      found = this.choiceDeps(sym);
    } else {
      this.flags[sym.id] |= CHECK | CHECKED;
      found = this.symDeps(sym);
      this.flags[sym.id] &= ~CHECK;
    }
    return found;
  }

  // mirrors sym_check_expr_deps(), symbol.c: operands left to right. One explicit stack shared by the nested
  // calls (each uses the part above its `base`): select lists make deep OR trees.
  exprDeps(e: Expr | null): KconfigSymbol | null {
    if (!e) return null;
    const todo = this.todo;
    const base = todo.length;
    todo.push(e);
    let found: KconfigSymbol | null = null;
    while (todo.length > base) {
      const x = todo.pop()!;
      switch (x.kind) {
        case ExprKind.and:
        case ExprKind.or:
          todo.push(x.b!, x.a!);
          break;
        case ExprKind.not:
          todo.push(x.a!);
          break;
        case ExprKind.symbol:
          found = this.deps(x.sym!);
          break;
        default:
          found = this.deps(x.sym!) ?? this.deps(x.sym2!);
      }
      if (found) {
        todo.length = base;
        return found;
      }
    }
    return null;
  }

  // mirrors sym_check_sym_deps(), symbol.c
  symDeps(sym: KconfigSymbol): KconfigSymbol | null {
    const entry = this.push(sym);
    let found: KconfigSymbol | null = null;
    entry.via = 'dirDep';
    found = this.exprDeps(sym.dirDep);
    if (!found) {
      entry.via = 'revDep';
      found = this.exprDeps(sym.revDep);
    }
    if (!found) {
      entry.via = 'implied';
      found = this.exprDeps(sym.impliedDep);
    }
    if (!found) {
      entry.via = null;
      for (const prop of this.propsOf(sym)) {
        if (prop.kind === 'select' || prop.kind === 'imply') continue;
        entry.prop = prop;
        found = this.exprDeps(prop.visible);
        if (found) break;
        if (prop.kind !== 'default' || sym.isChoice) continue;
        entry.via = 'value';
        found = this.exprDeps(prop.expr);
        if (found) break;
        entry.via = null;
      }
    }
    this.stack.pop();
    return found;
  }

  // The choice's members: 6.1 the choice's member list (its P_CHOICE expression), 6.12 every symbol below the
  // choice's first definition (menu_for_each_sub_entry()).
  members(choice: KconfigSymbol): KconfigSymbol[] {
    if (this.v61) return choice.nodes.flatMap((n) => n.choiceMembers);
    const out: KconfigSymbol[] = [];
    for (const m of subEntries(choice.nodes[0])) if (m.sym) out.push(m.sym);
    return out;
  }

  // mirrors sym_check_choice_deps(), symbol.c
  choiceDeps(choice: KconfigSymbol): KconfigSymbol | null {
    this.push(choice);
    const members = this.members(choice);
    for (const m of members) this.flags[m.id] |= CHECK | CHECKED;
    this.flags[choice.id] |= CHECK | CHECKED;
    let found = this.symDeps(choice);
    this.flags[choice.id] &= ~CHECK;
    if (!found) {
      for (const m of members) {
        found = this.symDeps(m);
        if (found) break;
      }
    }
    for (const m of members) this.flags[m.id] &= ~CHECK;
    if (found && found.choice && found.choice.sym === choice) found = choice;
    this.stack.pop();
    return found;
  }

  // mirrors sym_check_print_recursive(), symbol.c (both versions' wording is kept in the steps).
  report(lastSymbol: KconfigSymbol): void {
    let last = lastSymbol;
    let pushed = false;
    if (last.choice) {
      this.push(last);
      pushed = true;
      last = last.choice.sym!;
    }
    let start = -1;
    for (let i = this.stack.length - 1; i >= 0; i--) {
      if (this.stack[i].sym === last) {
        start = i;
        break;
      }
    }
    const firstSpan = (s: KconfigSymbol): SourceSpan => s.nodes[0]?.span ?? { file: '', line: 0, column: 0 };
    if (start < 0) {
      this.problems.push({ kind: 'cycle', span: firstSpan(lastSymbol), steps: [] });
    } else {
      const steps: CycleStep[] = [];
      let errorSpan: SourceSpan | null = null;
      for (let i = start; i < this.stack.length; i++) {
        const e = this.stack[i];
        const sym = e.sym;
        const next = i + 1 < this.stack.length ? this.stack[i + 1].sym : last;
        const isChoicey = sym.isChoice || !!sym.choice;
        const span = e.prop && !isChoicey ? e.prop.span : firstSpan(sym);
        errorSpan ??= span;
        let via: CycleStep['via'];
        if (this.v61 ? sym.isChoice : next.isChoice) via = this.v61 ? 'choice' : 'choiceBlock';
        else if (this.v61 && sym.choice) via = 'choiceValue';
        else if (e.via === 'dirDep' || e.via === 'revDep' || e.via === 'implied' || e.via === 'value') via = e.via;
        else via = 'visible';
        const propertyKind: CheckedPropertyKind = e.prop ? typeOf(e.prop) : this.v61 ? (this.propsOf(sym)[0]?.kind ?? 'unknown') : 'unknown';
        steps.push({ sym, next, via, propertyKind, span, choiceSpan: next.isChoice ? firstSpan(next) : null });
      }
      this.problems.push({ kind: 'cycle', span: errorSpan!, steps });
    }
    if (pushed) this.stack.pop();
  }
}

// mirrors choice_check_sanity(), parser.y (v6.12)
function choiceSanity(node: MenuNode, out: DependencyProblem[]): void {
  for (const prop of node.sym!.properties) {
    if (prop.kind === 'default') out.push({ kind: 'choice-sanity', span: prop.span, message: 'defaults for choice values not supported' });
    if (prop.node !== node && prop.kind === 'prompt' && prop.node.parent !== node.parent) {
      out.push({ kind: 'choice-sanity', span: prop.span, message: 'choice value has a prompt outside its choice group' });
    }
  }
}

/**
 * Every error conf_parse() finds after menu_finalize(), in conf's order: recursive dependencies (6.1: symbols in
 * hash-table order; 6.12: menu entries in tree order, each choice followed by choice_check_sanity() of its
 * members). An empty list means conf accepts the tree.
 */
export function findDependencyProblems(model: KconfigModel): DependencyProblem[] {
  const walk = new DependencyWalk(model);
  if (model.flavor === 'v6.1') {
    for (const sym of model.hashOrder) walk.deps(sym);
    return walk.problems;
  }
  for (const node of allEntries(model)) {
    if (!node.sym) continue;
    walk.deps(node.sym);
    if (node.sym.isChoice) for (const child of subEntries(node)) if (child.sym) choiceSanity(child, walk.problems);
  }
  return walk.problems;
}

const RESOLUTION = 'For a resolution refer to Documentation/kbuild/kconfig-language.rst\nsubsection "Kconfig recursive dependency limitations"';

function name(s: KconfigSymbol): string {
  return s.name !== '' || !s.isChoice ? s.name : '<choice>';
}

// glibc prints a NULL %s as "(null)"; conf 6.12 passes some names unchecked.
function rawName(s: KconfigSymbol): string {
  return s.isChoice && s.name === '' ? '(null)' : s.name;
}

/** One cycle step in conf's words (6.12's, or 6.1's for `flavor` v6.1), without the 6.1 `file:line:` prefix. */
export function formatCycleStep(step: CycleStep, flavor: KconfigModel['flavor']): string {
  const { sym, next } = step;
  const kind = step.propertyKind;
  if (flavor === 'v6.1') {
    switch (step.via) {
      case 'choice':
        return `choice ${name(sym)} contains symbol ${name(next)}`;
      case 'choiceValue':
        return `symbol ${name(sym)} is part of choice ${name(next)}`;
      case 'dirDep':
        return `symbol ${name(sym)} depends on ${name(next)}`;
      case 'revDep':
        return `symbol ${name(sym)} is selected by ${name(next)}`;
      case 'implied':
        return `symbol ${name(sym)} is implied by ${name(next)}`;
      case 'value':
        return `symbol ${name(sym)} ${kind} value contains ${name(next)}`;
      default:
        return `symbol ${name(sym)} ${kind} is visible depending on ${name(next)}`;
    }
  }
  switch (step.via) {
    case 'choiceBlock':
      return `symbol ${name(sym)} is part of choice block at ${step.choiceSpan!.file}:${step.choiceSpan!.line}`;
    case 'dirDep':
      return `symbol ${name(sym)} depends on ${rawName(next)}`;
    case 'revDep':
      return `symbol ${rawName(sym)} is selected by ${rawName(next)}`;
    case 'implied':
      return `symbol ${rawName(sym)} is implied by ${rawName(next)}`;
    case 'value':
      return `symbol ${name(sym)} ${kind} value contains ${rawName(next)}`;
    default:
      return `symbol ${name(sym)} ${kind} is visible depending on ${rawName(next)}`;
  }
}

/** The problems exactly as conf of `flavor` prints them on stderr (each cycle ends with conf's blank line). */
export function formatConfDependencyProblems(problems: readonly DependencyProblem[], flavor: KconfigModel['flavor']): string {
  let out = '';
  for (const p of problems) {
    if (p.kind === 'choice-sanity') {
      out += `${p.span.file}:${p.span.line}: error: ${p.message}\n`;
      continue;
    }
    if (p.steps.length === 0) {
      out += 'unexpected recursive dependency error\n';
      continue;
    }
    out += flavor === 'v6.1' ? `${p.span.file}:${p.span.line}:error: recursive dependency detected!\n` : 'error: recursive dependency detected!\n';
    for (const s of p.steps) {
      out += flavor === 'v6.1' ? `${s.span.file}:${s.span.line}:\t${formatCycleStep(s, flavor)}\n` : `\t${formatCycleStep(s, flavor)}\n`;
    }
    out += `${RESOLUTION}\n\n`;
  }
  return out;
}

/** The problems as error Diagnostics: one per cycle (its steps as related places, conf's wording), one per sanity error. */
export function dependencyDiagnostics(problems: readonly DependencyProblem[], flavor: KconfigModel['flavor']): Diagnostic[] {
  return problems.map((p) => {
    if (p.kind === 'choice-sanity') return diagnostic('error', 'kconfig/choice', p.message, p.span);
    if (p.steps.length === 0) return diagnostic('error', 'kconfig/recursive-dependency', 'unexpected recursive dependency error', p.span);
    const related: RelatedInformation[] = p.steps.map((s) => ({ message: formatCycleStep(s, flavor), span: s.span }));
    related.push({ message: RESOLUTION.replace('\n', ' ') });
    return diagnostic('error', 'kconfig/recursive-dependency', 'recursive dependency detected!', p.span, related);
  });
}

/** Throws an InputError listing every recursive dependency and choice error conf would stop on; else returns. */
export function assertNoDependencyProblems(model: KconfigModel): void {
  const problems = findDependencyProblems(model);
  if (problems.length > 0) throw InputError.fromDiagnostics('kconfig/model', dependencyDiagnostics(problems, model.flavor));
}
