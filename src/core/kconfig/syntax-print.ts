/**
 * A compact text form of the Kconfig syntax tree, one line per entry or attribute, indented by nesting.
 * The data-driven parser cases (`cases/*.txt`) compare against it; it is also handy when debugging a tree.
 *
 *     config FOO
 *       type bool "Foo" if (A && !B)
 *       default y if C = "1"
 *       help "text\n"
 */
import type { AttributeSyntax, EntrySyntax, ExprSyntax, KconfigSyntax, PromptSyntax, SymbolRefSyntax } from './syntax.ts';

/** Prints a whole parse: mainmenu, entries, and (when more than the root) the files read and the environment. */
export function printKconfigSyntax(syntax: KconfigSyntax): string {
  const out: string[] = [];
  if (syntax.mainmenu !== undefined) out.push(`mainmenu ${JSON.stringify(syntax.mainmenu)}`);
  for (const e of syntax.entries) printEntry(e, '', out);
  if (syntax.files.length > 1) out.push(`files ${syntax.files.join(' ')}`);
  for (const [name, value] of syntax.environment) out.push(`env ${name}=${JSON.stringify(value)}`);
  return out.join('\n');
}

/** Prints an expression with parentheses around every `&&` / `||` (so the tree's shape is visible). */
export function printExpr(e: ExprSyntax): string {
  switch (e.kind) {
    case 'symbol':
      return printSymbol(e);
    case 'not':
      return e.operand.kind === 'compare' ? `!(${printExpr(e.operand)})` : `!${printExpr(e.operand)}`;
    case 'and':
      return `(${printExpr(e.left)} && ${printExpr(e.right)})`;
    case 'or':
      return `(${printExpr(e.left)} || ${printExpr(e.right)})`;
    case 'compare':
      return `${printSymbol(e.left)} ${e.op} ${printSymbol(e.right)}`;
  }
}

function printSymbol(s: SymbolRefSyntax): string {
  return s.quoted ? JSON.stringify(s.name) : s.name;
}

function cond(c: ExprSyntax | undefined): string {
  return c ? ` if ${printExpr(c)}` : '';
}

function prompt(p: PromptSyntax): string {
  return `${JSON.stringify(p.text)}${cond(p.condition)}`;
}

function printAttribute(a: AttributeSyntax): string {
  switch (a.kind) {
    case 'type':
      return `type ${a.type}${a.prompt ? ' ' + prompt(a.prompt) : ''}`;
    case 'def_type':
      return `def_${a.type} ${printExpr(a.value)}${cond(a.condition)}`;
    case 'prompt':
      return `prompt ${prompt(a.prompt)}`;
    case 'default':
      return `default ${printExpr(a.value)}${cond(a.condition)}`;
    case 'depends':
      return `depends on ${printExpr(a.condition)}`;
    case 'visible':
      return `visible if ${printExpr(a.condition)}`;
    case 'select':
    case 'imply':
      return `${a.kind} ${printSymbol(a.target)}${cond(a.condition)}`;
    case 'range':
      return `range ${printSymbol(a.low)} ${printSymbol(a.high)}${cond(a.condition)}`;
    case 'help':
      return `help ${JSON.stringify(a.text)}`;
    default:
      return a.kind;
  }
}

function printEntry(e: EntrySyntax, indent: string, out: string[]): void {
  const inner = indent + '  ';
  switch (e.kind) {
    case 'config':
    case 'menuconfig':
      out.push(`${indent}${e.kind} ${e.name}`);
      for (const a of e.attributes) out.push(inner + printAttribute(a));
      return;
    case 'comment':
      out.push(`${indent}comment ${JSON.stringify(e.prompt)}`);
      for (const a of e.attributes) out.push(inner + printAttribute(a));
      return;
    case 'choice':
      out.push(`${indent}choice${e.name !== undefined ? ' ' + e.name : ''}`);
      for (const a of e.attributes) out.push(inner + printAttribute(a));
      for (const c of e.children) printEntry(c, inner, out);
      out.push(`${indent}endchoice`);
      return;
    case 'menu':
      out.push(`${indent}menu ${JSON.stringify(e.prompt)}`);
      for (const a of e.attributes) out.push(inner + printAttribute(a));
      for (const c of e.children) printEntry(c, inner, out);
      out.push(`${indent}endmenu`);
      return;
    case 'if':
      out.push(`${indent}if ${printExpr(e.condition)}`);
      for (const c of e.children) printEntry(c, inner, out);
      out.push(`${indent}endif`);
      return;
  }
}
