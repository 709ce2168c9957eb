/**
 * Builds a KconfigModel from the syntax tree: symbol interning (sym_lookup()), the parse-time actions of
 * parser.y (menu_add_entry(), menu_add_prompt(), …) and menu_finalize() (menu.c): dependency propagation,
 * `if` flattening, automatic submenus, choice handling, select/imply reverse dependencies.
 */
import { diagnostic, type Diagnostic, type Parsed } from '../diag/diagnostic.ts';
import type { SourceSpan } from '../diag/span.ts';
import {
  ExprKind,
  exprAnd,
  exprCompare,
  exprNot,
  exprSymbol,
  type Expr,
} from './expr.ts';
import type {
  KconfigFlavor,
  KconfigModel,
  KconfigSymbol,
  MenuNode,
  MenuNodeKind,
  Property,
  PropertyKind,
  SymbolType,
} from './model.ts';
import type { ExprConstants } from './expr-transform.ts';
import { buildDependents, buildUnits, hashOrder, type RecomputeUnits } from './model-index.ts';
import { finalize } from './menu-finalize.ts';
import type { AttributeSyntax, EntrySyntax, ExprSyntax, KconfigSyntax, SymbolRefSyntax } from './syntax.ts';

/** Options of `buildModel`. */
export interface BuildModelOptions {
  /** Which C implementation to mirror (see KconfigFlavor); detect it from the tree's version. */
  readonly flavor: KconfigFlavor;
}

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

const typeOrder: Record<string, SymbolType> = {
  bool: 'bool',
  tristate: 'tristate',
  int: 'int',
  hex: 'hex',
  string: 'string',
};

/** The state of one model build: symbol tables, nodes, properties, diagnostics. */
export class Builder {
  readonly flavor: KconfigFlavor;
  readonly symbols: Sym[] = [];
  readonly nodes: Node[] = [];
  readonly properties: Prop[] = [];
  readonly byName = new Map<string, Sym>();
  readonly constants = new Map<string, Sym>();
  readonly diagnostics: Diagnostic[] = [];
  readonly yes: Sym;
  readonly mod: Sym;
  readonly no: Sym;
  modules: Sym | null = null;
  /** The constants menu-finalize.ts rewrites expressions with (made on first use). */
  exprConstants: ExprConstants | undefined;
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

/** Appends `child` to `parent`'s children (menu_add_entry()'s last_entry_ptr). */
function append(parent: Node, child: Node): void {
  const tail = parent.lastChild;
  if (tail) tail.next = child;
  else parent.firstChild = child;
  parent.lastChild = child;
}

/**
 * Turns a parsed Kconfig tree into the finalized model. Errors (choice member without prompt, …) and
 * warnings (type redefinition, …) come back as diagnostics; the model is usable when there are no errors.
 */
export function buildModel(syntax: KconfigSyntax, options: BuildModelOptions): Parsed<KconfigModel> {
  const rootSpan: SourceSpan = { file: syntax.rootFile, line: 1, column: 1 };
  const b = new Builder(options.flavor, rootSpan);
  addEntries(b, syntax.entries, b.root, null);
  if (!b.modules) b.modules = b.no;
  // conf_parse(): a main menu prompt always exists.
  b.addPrompt(b.root, 'menu', syntax.mainmenu ?? 'Main menu', null, rootSpan);
  finalize(b, b.root, false);
  for (const sym of b.symbols) resolveChoice(b, sym);
  const model = freeze(b);
  return { value: model, diagnostics: b.diagnostics };
}

function addEntries(b: Builder, entries: readonly EntrySyntax[], parent: Node, choice: Node | null): void {
  for (const entry of entries) {
    switch (entry.kind) {
      case 'config':
      case 'menuconfig': {
        const sym = b.lookup(entry.name, false);
        const node = b.newNode(entry.kind, sym, parent, entry.span);
        append(parent, node);
        if (b.flavor === 'v6.1') sym.isOptional = true;
        addAttributes(b, node, entry.attributes);
        if (entry.kind === 'menuconfig') {
          if (node.prompt) node.prompt.kind = 'menu';
          else b.warn(entry.span, 'menuconfig statement without prompt');
        }
        if (choice) {
          if (!node.prompt) b.error(entry.span, 'choice member must have a prompt');
          if (b.flavor === 'v6.12') {
            if (sym.type !== 'bool') b.error(entry.span, 'choice member must be bool');
            if (!choice.choiceMembers.includes(sym)) choice.choiceMembers.push(sym);
          }
        }
        break;
      }
      case 'choice': {
        let sym: Sym;
        if (b.flavor === 'v6.1' && entry.name) {
          sym = b.byName.get(entry.name) ?? b.newSymbol(entry.name, 'unknown', false);
        } else {
          sym = b.newSymbol('', 'unknown', false);
        }
        sym.isChoice = true;
        const node = b.newNode('choice', sym, parent, entry.span);
        append(parent, node);
        if (b.flavor === 'v6.12') sym.type = 'bool';
        addAttributes(b, node, entry.attributes);
        if (!node.prompt) b.error(entry.span, 'choice must have a prompt');
        addEntries(b, entry.children, node, node);
        break;
      }
      case 'menu': {
        const node = b.newNode('menu', null, parent, entry.span);
        append(parent, node);
        b.addPrompt(node, 'menu', entry.prompt, null, entry.span);
        addAttributes(b, node, entry.attributes);
        addEntries(b, entry.children, node, choice);
        break;
      }
      case 'if': {
        const node = b.newNode('if', null, parent, entry.span);
        append(parent, node);
        node.dep = b.expr(entry.condition);
        addEntries(b, entry.children, node, choice);
        break;
      }
      case 'comment': {
        const node = b.newNode('comment', null, parent, entry.span);
        append(parent, node);
        b.addPrompt(node, 'comment', entry.prompt, null, entry.span);
        addAttributes(b, node, entry.attributes);
        break;
      }
    }
  }
}

function addAttributes(b: Builder, node: Node, attributes: readonly AttributeSyntax[]): void {
  for (const a of attributes) {
    switch (a.kind) {
      case 'type':
        if (node.sym) b.setType(node, typeOrder[a.type], a.span);
        if (a.prompt) b.addPrompt(node, 'prompt', a.prompt.text, b.cond(a.prompt.condition), a.prompt.span);
        break;
      case 'def_type': {
        const value = b.expr(a.value);
        b.addProp(node, 'default', value, b.cond(a.condition), a.span);
        if (node.sym) b.setType(node, typeOrder[a.type], a.span);
        break;
      }
      case 'prompt':
        b.addPrompt(node, 'prompt', a.prompt.text, b.cond(a.prompt.condition), a.prompt.span);
        break;
      case 'default': {
        const value = b.expr(a.value);
        b.addProp(node, 'default', value, b.cond(a.condition), a.span);
        break;
      }
      case 'depends':
        node.dep = exprAnd(node.dep, b.expr(a.condition));
        break;
      case 'visible':
        node.visibility = exprAnd(node.visibility, b.expr(a.condition));
        break;
      case 'select':
      case 'imply': {
        const target = b.ref(a.target);
        const prop = b.addProp(node, a.kind, exprSymbol(target as unknown as KconfigSymbol), b.cond(a.condition), a.span);
        prop.target = target;
        break;
      }
      case 'range': {
        const low = b.ref(a.low);
        const high = b.ref(a.high);
        const prop = b.addProp(node, 'range', null, b.cond(a.condition), a.span);
        prop.low = low;
        prop.high = high;
        break;
      }
      case 'help':
        node.help = a.text;
        break;
      case 'modules':
        if (node.sym) {
          if (b.modules && b.modules !== node.sym) {
            b.error(a.span, `symbol '${node.sym.name}' redefines option 'modules' already defined by symbol '${b.modules.name}'`);
          }
          b.modules = node.sym;
          node.sym.isModules = true;
        }
        break;
      case 'transitional':
        if (node.sym) node.sym.isTransitional = true;
        break;
      case 'optional':
        if (node.sym) node.sym.isOptional = true;
        break;
      case 'defconfig_list':
      case 'allnoconfig_y':
        break;
    }
  }
}

// v6.12 sym_get_choice_menu(): the first prompted definition's nearest symbol ancestor, when it is a choice.
function resolveChoice(b: Builder, sym: Sym): void {
  if (b.flavor !== 'v6.12' || sym.isChoice) return;
  const withPrompt = sym.nodes.find((n) => n.prompt);
  if (!withPrompt) return;
  let p = withPrompt.parent;
  while (p && !p.sym) p = p.parent;
  if (p && p.sym && p.sym.isChoice && p.choiceMembers.includes(sym)) sym.choice = p;
}

function freeze(b: Builder): KconfigModel {
  for (const n of b.nodes) n.lastChild = null;
  const symbols = b.symbols as unknown as KconfigSymbol[];
  const byName = b.byName as unknown as Map<string, KconfigSymbol>;
  const model = {
    flavor: b.flavor,
    root: b.root as unknown as MenuNode,
    mainmenu: b.root.prompt!.text,
    symbols,
    nodes: b.nodes as unknown as MenuNode[],
    properties: b.properties as unknown as Property[],
    byName,
    modules: b.modules as unknown as KconfigSymbol,
    yes: b.yes as unknown as KconfigSymbol,
    mod: b.mod as unknown as KconfigSymbol,
    no: b.no as unknown as KconfigSymbol,
    hashOrder: hashOrder(b.flavor, symbols.slice(3)),
  } as unknown as KconfigModel;
  // The indexes for incremental re-evaluation are built on first use (one-shot targets never need them).
  let dependents: number[][] | undefined;
  let units: RecomputeUnits | undefined;
  Object.defineProperty(model, 'dependents', {
    get: () => (dependents ??= buildDependents(model)),
    enumerable: true,
  });
  Object.defineProperty(model, 'units', {
    get: () => (units ??= buildUnits(model, model.dependents)),
    enumerable: true,
  });
  return model;
}
