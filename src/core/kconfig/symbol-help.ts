/**
 * A symbol's help screen as conf prints it (helpnewconfig, and the `?` answer of oldconfig): menu.c's
 * menu_get_ext_help() and get_symbol_str(), with expressions printed by expr.c's expr_print() through
 * expr_print_gstr_helper() (`NAME [=value]`).
 *
 * Gotcha: expressions are kfit's (see expr-transform.ts for how close their shape is to C's); a dependency
 * that C stores rewritten may be spelled differently here (same meaning).
 */
import type { Evaluation } from './evaluation.ts';
import { ExprKind, exprEqual, type Expr } from './expr.ts';
import type { KconfigModel, KconfigSymbol, MenuNode } from './model.ts';

const NO_HELP = 'There is no help available for this option.';

// mirrors expr_compare_type(), expr.c (its fall-through chain as ranks): does an operand of kind `inner`
// under `outer` need parentheses? or 1 < and 2 < not 3 < =/!= 4 < the orderings 5.
function rank(kind: number): number {
  switch (kind) {
    case ExprKind.or:
      return 1;
    case ExprKind.and:
      return 2;
    case ExprKind.not:
      return 3;
    case ExprKind.equal:
    case ExprKind.unequal:
      return 4;
    case ExprKind.less:
    case ExprKind.lessEqual:
    case ExprKind.greater:
    case ExprKind.greaterEqual:
      return 5;
    default:
      return 0;
  }
}

function needsParens(outer: number, inner: number): boolean {
  if (outer === inner) return false;
  const o = rank(outer);
  const i = rank(inner);
  return o >= 2 && i >= 1 && i < o;
}

const OPERATORS: Record<number, string> = { 4: '=', 5: '!=', 6: '<', 7: '<=', 8: '>', 9: '>=' };

// mirrors expr_print_gstr_helper(): the name, then ` [=value]` unless the symbol has no type.
function symbolText(ev: Evaluation, sym: KconfigSymbol): string {
  if (sym.isChoice && sym.name === '') return `<choice> [=${ev.value(sym)}]`;
  return sym.type === 'unknown' ? sym.name : `${sym.name} [=${ev.value(sym)}]`;
}

// mirrors expr_print(), expr.c (NONE = -1: no enclosing operator)
function printExpr(ev: Evaluation, e: Expr | null, outer: number): string {
  if (!e) return 'y';
  let s: string;
  switch (e.kind) {
    case ExprKind.symbol:
      s = e.sym!.name === '' && e.sym!.isChoice ? '<choice>' : symbolText(ev, e.sym!);
      break;
    case ExprKind.not:
      s = `!${printExpr(ev, e.a, ExprKind.not)}`;
      break;
    case ExprKind.or:
      s = `${printExpr(ev, e.a, ExprKind.or)} || ${printExpr(ev, e.b, ExprKind.or)}`;
      break;
    case ExprKind.and:
      s = `${printExpr(ev, e.a, ExprKind.and)} && ${printExpr(ev, e.b, ExprKind.and)}`;
      break;
    default: {
      const left = e.sym!.name === '' && e.sym!.isChoice ? '<choice>' : symbolText(ev, e.sym!);
      s = `${left}${OPERATORS[e.kind]}${symbolText(ev, e.sym2!)}`;
    }
  }
  return outer >= 0 && needsParens(outer, e.kind) ? `(${s})` : s;
}

/** An expression as conf's help screens print it (expr_gstr_print()): `A [=y] && (B [=m] || C=y [=y])`. */
export function formatHelpExpr(ev: Evaluation, e: Expr | null): string {
  return printExpr(ev, e, -1);
}

// mirrors expr_print_revdep(): the OR terms of a reverse dependency whose value is `want`.
function revdepText(ev: Evaluation, e: Expr, want: number, title: string): string {
  let out = '';
  const todo: Expr[] = [e];
  while (todo.length > 0) {
    const x = todo.pop()!;
    if (x.kind === ExprKind.or) {
      todo.push(x.b!, x.a!);
      continue;
    }
    if (ev.exprValue(x) !== want) continue;
    if (out === '') out = title;
    out += `  - ${printExpr(ev, x, -1)}\n`;
  }
  return out;
}

function depText(ev: Evaluation, e: Expr | null, prefix: string, model: KconfigModel): string {
  // mirrors get_dep_str(): nothing for an expression that is y
  if (!e || (e.kind === ExprKind.symbol && e.sym === model.yes)) return '';
  return `${prefix}${formatHelpExpr(ev, e)}\n`;
}

function promptName(node: MenuNode): string {
  if (node.prompt) return node.prompt.text;
  if (node.sym) return node.sym.name;
  return '(null)';
}

// mirrors get_prompt_str(), menu.c (no jump keys: conf passes no list)
function promptText(ev: Evaluation, node: MenuNode): string {
  const model = ev.model;
  const prop = node.prompt!;
  let out = `  Prompt: ${prop.text}\n`;
  out += depText(ev, node.dep, '  Depends on: ', model);
  if (!exprEqual(node.dep, prop.visible)) out += depText(ev, prop.visible, '  Visible if: ', model);
  const path: MenuNode[] = [];
  for (let m: MenuNode | null = node; m && m !== model.root && path.length < 8; m = m.parent) path.push(m);
  out += '  Location:\n';
  for (let j = 0, i = path.length - 1; i >= 0; i--, j++) {
    const m = path[i];
    out += `${' '.repeat(2 * j + 4)}-> ${promptName(m)}`;
    if (m.sym) out += ` (${m.sym.name || '<choice>'} [=${ev.value(m.sym)}])`;
    out += '\n';
  }
  return out;
}

/** A symbol's facts as conf's help screens list them (get_symbol_str(), menu.c): value, type, definitions, relations. */
export function formatSymbolInfo(ev: Evaluation, sym: KconfigSymbol): string {
  const model = ev.model;
  let out = '';
  if (sym.name) {
    out += `Symbol: ${sym.name} [=${ev.value(sym)}]\nType  : ${typeName(sym)}\n`;
    if (sym.type === 'int' || sym.type === 'hex') {
      // mirrors sym_get_range_prop(): the first range whose condition is not n
      const range = sym.ranges.find((p) => ev.exprValue(p.visible) !== 0);
      if (range) out += `Range : [${symbolText(ev, range.low!)} ${symbolText(ev, range.high!)}]\n`;
    }
  }
  for (const node of sym.nodes) {
    if (node.prompt) out += `Defined at ${node.span.file}:${node.span.line}\n${promptText(ev, node)}`;
  }
  for (const node of sym.nodes) {
    if (!node.prompt) out += `Defined at ${node.span.file}:${node.span.line}\n${depText(ev, node.dep, '  Depends on: ', model)}`;
  }
  out += relationText(ev, sym.selects, 'Selects: ');
  if (sym.revDep) {
    out += revdepText(ev, sym.revDep, 2, 'Selected by [y]:\n');
    out += revdepText(ev, sym.revDep, 1, 'Selected by [m]:\n');
    out += revdepText(ev, sym.revDep, 0, 'Selected by [n]:\n');
  }
  out += relationText(ev, sym.implies, 'Implies: ');
  if (sym.impliedDep) {
    out += revdepText(ev, sym.impliedDep, 2, 'Implied by [y]:\n');
    out += revdepText(ev, sym.impliedDep, 1, 'Implied by [m]:\n');
    out += revdepText(ev, sym.impliedDep, 0, 'Implied by [n]:\n');
  }
  return `${out}\n\n`;
}

// mirrors get_symbol_props_str(): the targets of every select (imply), joined with ` && `
function relationText(ev: Evaluation, props: KconfigSymbol['selects'], prefix: string): string {
  if (props.length === 0) return '';
  return `${prefix}${props.map((p) => printExpr(ev, p.expr, -1)).join(' && ')}\n`;
}

// mirrors sym_type_name(), symbol.c
function typeName(sym: KconfigSymbol): string {
  switch (sym.type) {
    case 'bool':
      return 'bool';
    case 'tristate':
      return 'tristate';
    case 'int':
      return 'integer';
    case 'hex':
      return 'hex';
    case 'string':
      return 'string';
    default:
      return 'unknown';
  }
}

/** A menu node's extended help (menu_get_ext_help(), menu.c): `CONFIG_X:`, the help text, then the symbol's facts. */
export function formatMenuHelp(ev: Evaluation, node: MenuNode): string {
  const sym = node.sym;
  let out = '';
  let text = NO_HELP;
  if (node.help !== null) {
    if (sym && sym.name) out += `CONFIG_${sym.name}:\n\n`;
    text = node.help;
  }
  out += `${text}\n`;
  if (sym) out += formatSymbolInfo(ev, sym);
  return out;
}

/** What conf's print_help() writes for a node: a blank line, the extended help, a newline. */
export function formatConfHelp(ev: Evaluation, node: MenuNode): string {
  return `\n${formatMenuHelp(ev, node)}\n`;
}
