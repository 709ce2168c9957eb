/**
 * The state of one model build (model-build.ts drives it, menu-finalize.ts finalizes it): the mutable shapes
 * of symbols, properties and menu nodes while they are built, symbol interning (sym_lookup()), and the
 * parse-time actions of parser.y and menu.c (menu_add_entry(), menu_add_prop(), menu_add_prompt(),
 * menu_set_type()), with expressions turned from syntax into model expressions.
 */
import { diagnostic, type Diagnostic } from '../diag/diagnostic.ts';
import type { SourceSpan } from '../diag/span.ts';
import { ExprKind, exprAnd, exprCompare, exprNot, exprSymbol, type Expr } from './expr.ts';
import type { ExprConstants } from './expr-transform.ts';
import type { KconfigFlavor, KconfigSymbol, MenuNodeKind, PropertyKind, SymbolType } from './model.ts';
import type { ExprSyntax, SymbolRefSyntax } from './syntax.ts';

// Mutable shapes used while building; frozen by convention once buildModel returns.
/** The mutable shape of a symbol while the model is built (menu-finalize.ts works on it). */
export interface Sym {
  id: number;
  name: string;
  type: SymbolType;
  isConst: boolean;
  isChoice: boolean;
  properties: Prop[];
  prompts: Prop[];
  defaults: Prop[];
  selects: Prop[];
  implies: Prop[];
  ranges: Prop[];
  nodes: Node[];
  dirDep: Expr | null;
  revDep: Expr | null;
  impliedDep: Expr | null;
  choice: Node | null;
  isModules: boolean;
  isTransitional: boolean;
  /** v6.1 SYMBOL_OPTIONAL (config entries and `optional` choices). */
  isOptional: boolean;
  /** Creation order, for the hash-table walk. */
  created: number;
}
/** The mutable shape of a property while the model is built. */
export interface Prop {
  id: number;
  kind: PropertyKind;
  text: string;
  expr: Expr | null;
  target: Sym | null;
  low: Sym | null;
  high: Sym | null;
  visible: Expr | null;
  condition: Expr | null;
  node: Node;
  span: SourceSpan;
}
/** The mutable shape of a menu node while the model is built. */
export interface Node {
  id: number;
  kind: MenuNodeKind;
  sym: Sym | null;
  prompt: Prop | null;
  dep: Expr | null;
  visibility: Expr | null;
  help: string | null;
  parent: Node | null;
  firstChild: Node | null;
  next: Node | null;
  choiceMembers: Sym[];
  span: SourceSpan;
  /** Build-time only: the last child appended (menu_add_entry()'s last_entry_ptr). */
  lastChild: Node | null;
}

/** The state of one model build: symbol tables, nodes, properties, diagnostics. */
export class Builder {
  readonly flavor: KconfigFlavor;
  readonly symbols: Sym[] = [];
  readonly nodes: Node[] = [];
  readonly properties: Prop[] = [];
  readonly byName = new Map<string, Sym>();
  readonly constants = new Map<string, Sym>();
  /** v6.1 named choices (`choice NAME`): sym_lookup(NAME, SYMBOL_CHOICE) finds only choices, and every definition. */
  readonly choicesByName = new Map<string, Sym>();
  readonly diagnostics: Diagnostic[] = [];
  readonly yes: Sym;
  readonly mod: Sym;
  readonly no: Sym;
  modules: Sym | null = null;
  /** The constants menu-finalize.ts rewrites expressions with (made on first use). */
  exprConstants: ExprConstants | undefined;
  /** Expressions expr_eliminate_dups() already returned (for the flavor), so it does not redo a parent's dependencies. */
  readonly dedupedExprs = new WeakSet<Expr>();
  created = 0;
  readonly root: Node;

  constructor(flavor: KconfigFlavor, rootSpan: SourceSpan) {
    this.flavor = flavor;
    this.yes = this.newSymbol('y', 'tristate', true);
    this.mod = this.newSymbol('m', 'tristate', true);
    this.no = this.newSymbol('n', 'tristate', true);
    this.root = this.newNode('root', null, null, rootSpan);
  }

  newSymbol(name: string, type: SymbolType, isConst: boolean): Sym {
    const sym: Sym = {
      id: this.symbols.length,
      name,
      type,
      isConst,
      isChoice: false,
      properties: [],
      prompts: [],
      defaults: [],
      selects: [],
      implies: [],
      ranges: [],
      nodes: [],
      dirDep: null,
      revDep: null,
      impliedDep: null,
      choice: null,
      isModules: false,
      isTransitional: false,
      isOptional: false,
      created: this.created++,
    };
    this.symbols.push(sym);
    return sym;
  }

  // mirrors sym_lookup(): y/m/n are the constants; quoted words are constants, other words plain symbols.
  lookup(name: string, quoted: boolean): Sym {
    if (name === 'y') return this.yes;
    if (name === 'm') return this.mod;
    if (name === 'n') return this.no;
    const table = quoted ? this.constants : this.byName;
    let sym = table.get(name);
    if (!sym) {
      sym = this.newSymbol(name, 'unknown', quoted);
      table.set(name, sym);
    }
    return sym;
  }

  newNode(kind: MenuNodeKind, sym: Sym | null, parent: Node | null, span: SourceSpan): Node {
    const node: Node = {
      id: this.nodes.length,
      kind,
      sym,
      prompt: null,
      dep: null,
      visibility: null,
      help: null,
      parent,
      firstChild: null,
      next: null,
      choiceMembers: [],
      span,
      lastChild: null,
    };
    this.nodes.push(node);
    if (sym) sym.nodes.push(node);
    return node;
  }

  // mirrors menu_add_prop(): the property joins the symbol's list (all definitions, in order).
  addProp(node: Node, kind: PropertyKind, expr: Expr | null, cond: Expr | null, span: SourceSpan): Prop {
    const prop: Prop = {
      id: this.properties.length,
      kind,
      text: '',
      expr,
      target: null,
      low: null,
      high: null,
      visible: cond,
      condition: cond,
      node,
      span,
    };
    this.properties.push(prop);
    const sym = node.sym;
    if (sym) {
      sym.properties.push(prop);
      if (kind === 'prompt' || kind === 'menu') sym.prompts.push(prop);
      else if (kind === 'default') sym.defaults.push(prop);
      else if (kind === 'select') sym.selects.push(prop);
      else if (kind === 'imply') sym.implies.push(prop);
      else if (kind === 'range') sym.ranges.push(prop);
    }
    return prop;
  }

  // mirrors menu_add_prompt(): leading whitespace dropped, parents' `visible if` ANDed in (prompts only).
  addPrompt(node: Node, kind: PropertyKind, text: string, cond: Expr | null, span: SourceSpan): Prop {
    const prop = this.addProp(node, kind, null, cond, span);
    if (/^\s/.test(text)) this.warn(span, 'leading whitespace ignored');
    if (node.prompt) this.warn(span, 'prompt redefined');
    if (kind === 'prompt') {
      for (let p = node.parent; p; p = p.parent) if (p.visibility) prop.visible = exprAnd(prop.visible, p.visibility);
    }
    prop.condition = prop.visible;
    prop.text = text.replace(/^\s+/, '');
    node.prompt = prop;
    return prop;
  }

  warn(span: SourceSpan, message: string): void {
    this.diagnostics.push(diagnostic('warning', 'kconfig/model', message, span));
  }

  error(span: SourceSpan, message: string): void {
    this.diagnostics.push(diagnostic('error', 'kconfig/model', message, span));
  }

  expr(e: ExprSyntax): Expr {
    switch (e.kind) {
      case 'symbol':
        return exprSymbol(this.lookup(e.name, e.quoted) as unknown as KconfigSymbol);
      case 'not':
        return exprNot(this.expr(e.operand));
      case 'and':
      case 'or': {
        const left = this.expr(e.left);
        const right = this.expr(e.right);
        return { kind: e.kind === 'and' ? ExprKind.and : ExprKind.or, a: left, b: right, sym: null, sym2: null };
      }
      case 'compare': {
        const left = this.lookup(e.left.name, e.left.quoted) as unknown as KconfigSymbol;
        const right = this.lookup(e.right.name, e.right.quoted) as unknown as KconfigSymbol;
        return exprCompare(compareKind[e.op], left, right);
      }
    }
  }

  cond(e: ExprSyntax | undefined): Expr | null {
    return e ? this.expr(e) : null;
  }

  // mirrors menu_set_type(): the first type wins, a different later one is warned about.
  setType(node: Node, type: SymbolType, span: SourceSpan): void {
    const sym = node.sym!;
    if (sym.type === type) return;
    if (sym.type === 'unknown') {
      sym.type = type;
      return;
    }
    this.warn(span, `ignoring type redefinition of '${sym.name || '<choice>'}' from '${typeName(sym.type)}' to '${typeName(type)}'`);
  }

  ref(r: SymbolRefSyntax): Sym {
    return this.lookup(r.name, r.quoted);
  }
}

const compareKind: Record<string, ExprKind> = {
  '=': ExprKind.equal,
  '!=': ExprKind.unequal,
  '<': ExprKind.less,
  '<=': ExprKind.lessEqual,
  '>': ExprKind.greater,
  '>=': ExprKind.greaterEqual,
};

function typeName(t: SymbolType): string {
  return t === 'int' ? 'integer' : t;
}
