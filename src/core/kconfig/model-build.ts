/**
 * Builds a KconfigModel from the syntax tree: the entries and attributes in parser.y's order on a Builder
 * (model-builder.ts: symbol interning, menu_add_entry(), menu_add_prompt(), …), then menu_finalize()
 * (menu-finalize.ts: dependency propagation, `if` flattening, automatic submenus, choice handling,
 * select/imply reverse dependencies), then the frozen model with its lazily built indexes.
 */
import type { Parsed } from '../diag/diagnostic.ts';
import type { SourceSpan } from '../diag/span.ts';
import { exprAnd, exprSymbol } from './expr.ts';
import type { KconfigFlavor, KconfigModel, KconfigSymbol, MenuNode, Property, SymbolType } from './model.ts';
import { Builder, type Node, type Sym } from './model-builder.ts';
import { buildDependents, buildUnits, hashOrder, type RecomputeUnits } from './model-index.ts';
import { finalize } from './menu-finalize.ts';
import type { AttributeSyntax, EntrySyntax, KconfigSyntax } from './syntax.ts';

/** Options of `buildModel`. */
export interface BuildModelOptions {
  /** Which C implementation to mirror (see KconfigFlavor); detect it from the tree's version. */
  readonly flavor: KconfigFlavor;
}

const typeOrder: Record<string, SymbolType> = {
  bool: 'bool',
  tristate: 'tristate',
  int: 'int',
  hex: 'hex',
  string: 'string',
};

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
  for (const sym of b.choicesByName.values()) joinChoiceDefinitions(sym);
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
          // mirrors sym_lookup(name, SYMBOL_CHOICE), symbol.c: a second `choice NAME` adds a definition (menu
          // entry) to the same choice symbol; a config of that name is another symbol
          sym = b.choicesByName.get(entry.name) ?? b.newSymbol(entry.name, 'unknown', false);
          b.choicesByName.set(entry.name, sym);
        } else {
          sym = b.newSymbol('', 'unknown', false);
        }
        sym.isChoice = true;
        const node = b.newNode('choice', sym, parent, entry.span);
        append(parent, node);
        if (b.flavor === 'v6.12') sym.type = 'bool';
        addAttributes(b, node, entry.attributes);
        // 6.12's parser refuses a choice without prompt; 6.1's menu_finalize() only warns, once per choice symbol
        // (SYMBOL_WARNED), about the definition it finalizes first
        if (!node.prompt) {
          if (b.flavor === 'v6.12') b.error(entry.span, 'choice must have a prompt');
          else if (sym.nodes[0] === node) b.warn(entry.span, 'choice must have a prompt');
        }
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

// v6.1: a choice defined in several places is one symbol whose members are one list, in the order menu_finalize()
// met them (C appends every member to the list of the symbol's first P_CHOICE property, which
// sym_get_choice_prop() returns). The first definition's node holds that list and is every member's choice.
function joinChoiceDefinitions(sym: Sym): void {
  if (sym.nodes.length < 2) return;
  const first = sym.nodes[0];
  for (const node of sym.nodes.slice(1)) {
    for (const m of node.choiceMembers) {
      m.choice = first;
      if (!first.choiceMembers.includes(m)) first.choiceMembers.push(m);
    }
    node.choiceMembers = [];
  }
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
