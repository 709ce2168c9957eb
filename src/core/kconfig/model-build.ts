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
  exprContainsSymbol,
  exprDependsSymbol,
  exprEqual,
  exprNot,
  exprOr,
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
import { buildDependents, buildUnits, hashOrder, type RecomputeUnits } from './model-index.ts';
import type { AttributeSyntax, EntrySyntax, ExprSyntax, KconfigSyntax, SymbolRefSyntax } from './syntax.ts';

/** Options of `buildModel`. */
export interface BuildModelOptions {
  /** Which C implementation to mirror (see KconfigFlavor); detect it from the tree's version. */
  readonly flavor: KconfigFlavor;
}

// Mutable shapes used while building; frozen by convention once buildModel returns.
interface Sym {
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
interface Prop {
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
interface Node {
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

class Builder {
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

// mirrors rewrite_m(), menu.c: `m` becomes `m && MODULES`. Unchanged subtrees are shared, not copied.
function rewriteM(b: Builder, e: Expr | null): Expr | null {
  if (!e) return e;
  switch (e.kind) {
    case ExprKind.not: {
      const a = rewriteM(b, e.a)!;
      return a === e.a ? e : exprNot(a);
    }
    case ExprKind.and:
    case ExprKind.or: {
      const a = rewriteM(b, e.a);
      const c = rewriteM(b, e.b);
      return a === e.a && c === e.b ? e : { kind: e.kind, a, b: c, sym: null, sym2: null };
    }
    case ExprKind.symbol:
      if (e.sym === (b.mod as unknown as KconfigSymbol)) return exprAnd(e, exprSymbol(b.modules as unknown as KconfigSymbol));
      return e;
    default:
      return e;
  }
}

function symExpr(s: Sym): Expr {
  return exprSymbol(s as unknown as KconfigSymbol);
}

// mirrors menu_finalize() / _menu_finalize(), menu.c.
function finalize(b: Builder, parent: Node, insideChoice: boolean): void {
  const sym = parent.sym;
  const v61 = b.flavor === 'v6.1';
  if (parent.firstChild) {
    let parentDep = parent.dep;
    if (v61 && sym && sym.isChoice) {
      if (sym.type === 'unknown') {
        for (let m: Node | null = parent.firstChild; m; m = m.next) {
          if (m.sym && m.sym.type !== 'unknown') {
            b.setType(parent, m.sym.type, parent.span);
            break;
          }
        }
      }
      for (let m: Node | null = parent.firstChild; m; m = m.next) {
        if (m.sym && m.sym.type === 'unknown') b.setType(m, sym.type, m.span);
      }
      parentDep = symExpr(sym);
    }
    for (let m: Node | null = parent.firstChild; m; m = m.next) {
      const baseDep = exprAnd(parentDep, rewriteM(b, m.dep));
      m.dep = baseDep;
      const props: readonly Prop[] = m.sym ? m.sym.properties : m.prompt ? [m.prompt] : [];
      for (const prop of props) {
        if (prop.node !== m) continue;
        const dep = exprAnd(baseDep, rewriteM(b, prop.visible));
        prop.visible = dep;
        if (prop.kind === 'select') {
          const es = prop.target!;
          es.revDep = exprOr(es.revDep, exprAnd(symExpr(m.sym!), dep));
        } else if (prop.kind === 'imply') {
          const es = prop.target!;
          es.impliedDep = exprOr(es.impliedDep, exprAnd(symExpr(m.sym!), dep));
        }
      }
    }
    const childInsideChoice = !!(sym && sym.isChoice);
    for (let m: Node | null = parent.firstChild; m; m = m.next) finalize(b, m, childInsideChoice);
  } else if (sym && (v61 || !insideChoice)) {
    autoSubmenu(b, parent, sym);
    sym.dirDep = exprOr(sym.dirDep, parent.dep);
  }
  for (let m: Node | null = parent.firstChild; m; m = m.next) {
    if (v61 && sym && sym.isChoice && m.sym && !m.sym.choice) {
      m.sym.choice = parent;
      if (sym.type === 'tristate' && m.sym.type !== 'tristate') {
        const base = exprCompare(ExprKind.equal, sym as unknown as KconfigSymbol, b.yes as unknown as KconfigSymbol);
        m.dep = exprAnd(base, m.dep);
        for (const prop of m.sym.properties) if (prop.node === m) prop.visible = exprAnd(base, prop.visible);
      }
      parent.choiceMembers.push(m.sym);
    }
    // Flatten `if` blocks and undo submenus below promptless symbols.
    if (m.firstChild && !m.prompt) {
      let lastChild = m.firstChild;
      for (;;) {
        lastChild.parent = parent;
        if (!lastChild.next) break;
        lastChild = lastChild.next;
      }
      lastChild.next = m.next;
      m.next = m.firstChild;
      m.firstChild = null;
    }
  }
  if (sym && sym.type === 'unknown' && !sym.isConst && !(sym.nodes[0] !== parent)) {
    b.warn(parent.span, 'config symbol defined without type');
  }
  // v6.1: non-optional choices get `<visibility> && m` as a reverse dependency.
  if (v61 && sym && !sym.isOptional && parent.prompt) {
    sym.revDep = exprOr(sym.revDep, exprAnd(parent.prompt.visible, symExpr(b.mod)));
  }
}

// The automatic submenu of menu_finalize(): following entries that depend on `sym` become its children.
function autoSubmenu(b: Builder, parent: Node, sym: Sym): void {
  const s = sym as unknown as KconfigSymbol;
  const y = b.yes as unknown as KconfigSymbol;
  const m = b.mod as unknown as KconfigSymbol;
  const n = b.no as unknown as KconfigSymbol;
  let baseTerms: Expr[] | null = null;
  let lastMenu: Node | null = null;
  for (let menu = parent.next; menu; menu = menu.next) {
    const dep = menu.prompt ? menu.prompt.visible : menu.dep;
    if (!exprContainsSymbol(dep, s)) break;
    if (!exprDependsSymbol(dep, s, y, m, n)) {
      // Superset test (expr_eliminate_eq() of the AND terms): every term of sym's prompt condition must
      // also be a term of this entry's dependencies.
      const terms = andTerms(dep);
      baseTerms ??= andTerms(parent.prompt ? parent.prompt.visible : null);
      let superset = true;
      for (const t of baseTerms) {
        if (!terms.some((u) => exprEqual(t, u))) {
          superset = false;
          break;
        }
      }
      if (!superset) break;
    }
    finalize(b, menu, false);
    menu.parent = parent;
    lastMenu = menu;
  }
  if (lastMenu) {
    parent.firstChild = parent.next;
    parent.next = lastMenu.next;
    lastMenu.next = null;
  }
}

function andTerms(e: Expr | null): Expr[] {
  const out: Expr[] = [];
  const walk = (x: Expr | null): void => {
    if (!x) return;
    if (x.kind === ExprKind.and) {
      walk(x.a);
      walk(x.b);
    } else out.push(x);
  };
  walk(e);
  return out;
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
