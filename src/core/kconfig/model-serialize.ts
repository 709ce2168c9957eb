/**
 * A compact, acyclic image of a KconfigModel (for the host's on-disk model cache): the cyclic object graph
 * becomes one string table and one Int32Array in which every reference is an index (symbol, node and
 * property ids, and expression ids in a table where operands come before the nodes that use them).
 * `deserializeModel` rebuilds the same graph: same ids, same order of every list, same sharing of
 * expression and span objects, and the dependents index and recomputation units when the image has them.
 */
import type { SourceSpan } from '../diag/span.ts';
import type { Expr, ExprKind } from './expr.ts';
import type { KconfigFlavor, KconfigModel, KconfigSymbol, MenuNode, MenuNodeKind, Property, PropertyKind, SymbolType } from './model.ts';
import { buildDependents, buildUnits, type RecomputeUnits } from './model-index.ts';
import { exprPrograms, restorePrograms, type ProgramImage } from './expr-program.ts';

/** The serialized model: every string once, and the structure as integers. */
export interface ModelImage {
  readonly strings: readonly string[];
  readonly ints: Int32Array;
}

/** Options of `serializeModel`. */
export interface SerializeModelOptions {
  /**
   * Store the dependents index, the recomputation units and the compiled expressions (expr-program.ts),
   * computing them now if needed. Default true.
   */
  readonly indexes?: boolean;
}

// Bump when the layout below changes.
const IMAGE_FORMAT = 0x4b4d0002;

const FLAVORS: readonly KconfigFlavor[] = ['v6.12', 'v6.1'];
const SYMBOL_TYPES: readonly SymbolType[] = ['unknown', 'bool', 'tristate', 'int', 'hex', 'string'];
const NODE_KINDS: readonly MenuNodeKind[] = ['root', 'config', 'menuconfig', 'choice', 'menu', 'if', 'comment'];
const PROPERTY_KINDS: readonly PropertyKind[] = ['prompt', 'menu', 'comment', 'default', 'select', 'imply', 'range'];

class StringTable {
  readonly strings: string[] = [];
  private readonly ids = new Map<string, number>();

  id(s: string): number {
    let id = this.ids.get(s);
    if (id === undefined) {
      id = this.strings.length;
      this.strings.push(s);
      this.ids.set(s, id);
    }
    return id;
  }
}

function pushList(out: number[], ids: readonly number[]): void {
  out.push(ids.length);
  for (const id of ids) out.push(id);
}

function codeOf<T>(table: readonly T[], value: T, what: string): number {
  const i = table.indexOf(value);
  if (i < 0) throw new Error(`model-serialize: unknown ${what} ${String(value)}`);
  return i;
}

/** Serializes `model` (which stays untouched, except that its lazy indexes are computed when stored). */
export function serializeModel(model: KconfigModel, options: SerializeModelOptions = {}): ModelImage {
  const table = new StringTable();
  const { symbols, nodes, properties } = model;
  const check = <T extends { id: number }>(table: readonly T[], x: T, what: string): number => {
    if (table[x.id] !== x) throw new Error(`model-serialize: a ${what} outside the model's table (id ${x.id})`);
    return x.id;
  };
  const symId = (s: KconfigSymbol | null): number => (s ? check(symbols, s, 'symbol') + 1 : 0);
  const nodeId = (n: MenuNode | null): number => (n ? check(nodes, n, 'menu node') + 1 : 0);
  const propId = (p: Property | null): number => (p ? check(properties, p, 'property') + 1 : 0);

  // Expressions and spans, numbered by first use (operands first), shared objects once.
  const exprIds = new Map<Expr, number>();
  const exprRecords: number[] = [];
  const exprId = (e: Expr | null): number => {
    if (!e) return 0;
    const known = exprIds.get(e);
    if (known !== undefined) return known;
    const a = exprId(e.a);
    const b = exprId(e.b);
    exprRecords.push(e.kind, a, b, symId(e.sym), symId(e.sym2));
    const id = exprRecords.length / 5;
    exprIds.set(e, id);
    return id;
  };
  const spanIds = new Map<SourceSpan, number>();
  const spanRecords: SourceSpan[] = [];
  const spanId = (s: SourceSpan): number => {
    let id = spanIds.get(s);
    if (id === undefined) {
      id = spanRecords.length;
      spanRecords.push(s);
      spanIds.set(s, id);
    }
    return id;
  };

  // The records that reference expressions and spans are written first, the tables put before them after.
  const bodyOut: number[] = [];
  const bodyStr = (s: string): void => {
    bodyOut.push(table.id(s));
  };
  for (const s of symbols) {
    bodyStr(s.name);
    bodyOut.push(codeOf(SYMBOL_TYPES, s.type, 'symbol type'));
    bodyOut.push((s.isConst ? 1 : 0) | (s.isChoice ? 2 : 0) | (s.isModules ? 4 : 0) | (s.isTransitional ? 8 : 0) | (s.isOptional ? 16 : 0));
    bodyOut.push(exprId(s.dirDep), exprId(s.revDep), exprId(s.impliedDep), nodeId(s.choice));
    bodyOut.push((s as unknown as { created?: number }).created ?? -1);
    for (const list of [s.properties, s.prompts, s.defaults, s.selects, s.implies, s.ranges]) pushList(bodyOut, list.map((p) => propId(p) - 1));
    pushList(bodyOut, s.nodes.map((n) => nodeId(n) - 1));
  }
  for (const p of properties) {
    bodyOut.push(codeOf(PROPERTY_KINDS, p.kind, 'property kind'));
    bodyStr(p.text);
    bodyOut.push(exprId(p.expr), symId(p.target), symId(p.low), symId(p.high), exprId(p.visible), exprId(p.condition));
    bodyOut.push(nodeId(p.node), spanId(p.span));
  }
  for (const n of nodes) {
    bodyOut.push(codeOf(NODE_KINDS, n.kind, 'menu node kind'), symId(n.sym), propId(n.prompt), exprId(n.dep), exprId(n.visibility));
    if (n.help === null) bodyOut.push(0);
    else {
      bodyOut.push(1);
      bodyStr(n.help);
    }
    bodyOut.push(nodeId(n.parent), nodeId(n.firstChild), nodeId(n.next), spanId(n.span));
    pushList(bodyOut, n.choiceMembers.map((s) => symId(s) - 1));
  }
  const byName: number[] = [];
  for (const s of model.byName.values()) byName.push(symId(s) - 1);
  pushList(bodyOut, byName);
  pushList(bodyOut, model.hashOrder.map((s) => symId(s) - 1));
  const indexes = options.indexes ?? true;
  bodyOut.push(indexes ? 1 : 0);
  if (indexes) {
    const deps = model.dependents;
    for (let i = 0; i < symbols.length; i++) pushList(bodyOut, deps[i]);
    const { unitOf, members } = model.units;
    for (let i = 0; i < symbols.length; i++) bodyOut.push(unitOf[i]);
    bodyOut.push(members.length);
    for (const m of members) pushList(bodyOut, m);
    const programs = exprPrograms(model).image();
    bodyOut.push(programs.code.length);
    for (let i = 0; i < programs.code.length; i++) bodyOut.push(programs.code[i]);
    for (const b of programs.bounds) for (let i = 0; i < b.length; i++) bodyOut.push(b[i]);
    pushList(bodyOut, programs.compares.map((e) => exprId(e)));
  }
  // Header, then the expression and span tables, then the body.
  const head: number[] = [IMAGE_FORMAT, codeOf(FLAVORS, model.flavor, 'flavor'), symbols.length, nodes.length, properties.length];
  head.push(exprRecords.length / 5, spanRecords.length, nodeId(model.root) - 1, symId(model.modules) - 1);
  head.push(symId(model.yes) - 1, symId(model.mod) - 1, symId(model.no) - 1, table.id(model.mainmenu));
  for (const x of exprRecords) head.push(x);
  for (const s of spanRecords) head.push(table.id(s.file), s.line, s.column);
  const ints = new Int32Array(head.length + bodyOut.length);
  ints.set(head, 0);
  ints.set(bodyOut, head.length);
  return { strings: table.strings, ints };
}

/** Rebuilds the model `serializeModel` wrote. Throws an Error on an image it does not understand. */
export function deserializeModel(image: ModelImage): KconfigModel {
  const { strings, ints } = image;
  // Hot loops over ~300k objects: plain indexing, no closures (a damaged image shows as a bad count, a
  // missing object or a wrong final position, all checked).
  if (ints.length < 13 || ints[0] !== IMAGE_FORMAT) throw new Error('model-serialize: not a model image of this format');
  const flavor = FLAVORS[ints[1]];
  const nSyms = ints[2];
  const nNodes = ints[3];
  const nProps = ints[4];
  const nExprs = ints[5];
  const nSpans = ints[6];
  const mainmenu = strings[ints[12]];
  if (!flavor || mainmenu === undefined) throw new Error('model-serialize: bad header');
  let at = 13;

  // Shells first: symbols, nodes and properties refer to each other.
  const symbols: Sym[] = new Array(nSyms);
  for (let i = 0; i < nSyms; i++) symbols[i] = new Sym(i);
  const nodes: Node[] = new Array(nNodes);
  for (let i = 0; i < nNodes; i++) nodes[i] = new Node(i);
  const props: Prop[] = new Array(nProps);
  for (let i = 0; i < nProps; i++) props[i] = new Prop(i);
  // 1-based tables: index 0 is null
  const sym1: (Sym | null)[] = [null, ...symbols];
  const node1: (Node | null)[] = [null, ...nodes];
  const prop1: (Prop | null)[] = [null, ...props];
  const expr1: (Expr | null)[] = new Array(nExprs + 1);
  expr1[0] = null;
  for (let i = 1; i <= nExprs; i++, at += 5) {
    const a = ints[at + 1];
    const b = ints[at + 2];
    if (a >= i || b >= i) throw new Error('model-serialize: expression operand after its use');
    expr1[i] = {
      kind: ints[at] as ExprKind,
      a: expr1[a],
      b: expr1[b],
      sym: sym1[ints[at + 3]] as unknown as KconfigSymbol | null,
      sym2: sym1[ints[at + 4]] as unknown as KconfigSymbol | null,
    };
  }
  const spans: SourceSpan[] = new Array(nSpans);
  for (let i = 0; i < nSpans; i++, at += 3) spans[i] = { file: strings[ints[at]], line: ints[at + 1], column: ints[at + 2] };
  // Gotcha: every empty list is one shared array (most symbols have no selects, ranges, …): fine for a model
  // nobody mutates, and ~100k fewer objects to allocate.
  const list = <T>(table: readonly T[]): T[] => {
    const n = ints[at++];
    if (n === 0) return EMPTY;
    const out: T[] = new Array(n);
    for (let i = 0; i < n; i++) out[i] = table[ints[at++]];
    return out;
  };

  for (let i = 0; i < nSyms; i++) {
    const s = symbols[i];
    s.name = strings[ints[at++]];
    s.type = SYMBOL_TYPES[ints[at++]];
    const flags = ints[at++];
    s.isConst = (flags & 1) !== 0;
    s.isChoice = (flags & 2) !== 0;
    s.isModules = (flags & 4) !== 0;
    s.isTransitional = (flags & 8) !== 0;
    s.isOptional = (flags & 16) !== 0;
    s.dirDep = expr1[ints[at++]];
    s.revDep = expr1[ints[at++]];
    s.impliedDep = expr1[ints[at++]];
    s.choice = node1[ints[at++]];
    s.created = ints[at++];
    s.properties = list(props);
    s.prompts = list(props);
    s.defaults = list(props);
    s.selects = list(props);
    s.implies = list(props);
    s.ranges = list(props);
    s.nodes = list(nodes);
  }
  for (let i = 0; i < nProps; i++) {
    const p = props[i];
    p.kind = PROPERTY_KINDS[ints[at++]];
    p.text = strings[ints[at++]];
    p.expr = expr1[ints[at++]];
    p.target = sym1[ints[at++]];
    p.low = sym1[ints[at++]];
    p.high = sym1[ints[at++]];
    p.visible = expr1[ints[at++]];
    p.condition = expr1[ints[at++]];
    p.node = node1[ints[at++]]!;
    p.span = spans[ints[at++]];
  }
  for (let i = 0; i < nNodes; i++) {
    const n = nodes[i];
    n.kind = NODE_KINDS[ints[at++]];
    n.sym = sym1[ints[at++]];
    n.prompt = prop1[ints[at++]];
    n.dep = expr1[ints[at++]];
    n.visibility = expr1[ints[at++]];
    n.help = ints[at++] === 0 ? null : strings[ints[at++]];
    n.parent = node1[ints[at++]];
    n.firstChild = node1[ints[at++]];
    n.next = node1[ints[at++]];
    n.span = spans[ints[at++]];
    n.choiceMembers = list(symbols);
  }
  const symbolList = symbols as unknown as KconfigSymbol[];
  const byName = new Map<string, KconfigSymbol>();
  const named = list(symbolList);
  for (let i = 0; i < named.length; i++) byName.set(named[i].name, named[i]);
  const hashOrder = list(symbolList);
  let dependents: number[][] | undefined;
  let units: RecomputeUnits | undefined;
  let programImage: ProgramImage | undefined;
  if (ints[at++] === 1) {
    dependents = new Array(nSyms);
    for (let i = 0; i < nSyms; i++) dependents[i] = numbers(ints, at + 1, (at += 1 + ints[at]));
    const unitOf = ints.slice(at, at + nSyms);
    at += nSyms;
    const count = ints[at++];
    const members: number[][] = new Array(count);
    for (let u = 0; u < count; u++) members[u] = numbers(ints, at + 1, (at += 1 + ints[at]));
    units = { unitOf, members };
    const codeLength = ints[at++];
    const code = ints.slice(at, (at += codeLength));
    const bounds: Int32Array[] = [];
    for (const n of [nSyms, nSyms, nSyms, nProps, nProps]) bounds.push(ints.slice(at, (at += 2 * n)));
    const compares = list(expr1).map((e) => e!);
    programImage = { code, bounds, compares };
  }
  if (at !== ints.length || !(ints.length > 0)) throw new Error('model-serialize: the image does not end where its counts say');
  if (strings.length > 0 && symbols.some((s) => s.name === undefined)) throw new Error('model-serialize: bad string index');

  const model = {
    flavor,
    root: nodes[ints[7]],
    mainmenu,
    symbols: symbolList,
    nodes,
    properties: props,
    byName,
    modules: symbols[ints[8]],
    yes: symbols[ints[9]],
    mod: symbols[ints[10]],
    no: symbols[ints[11]],
    hashOrder,
  } as unknown as KconfigModel;
  if (!model.root || !model.modules || !model.yes || !model.mod || !model.no) throw new Error('model-serialize: bad header');
  if (dependents && units && programImage) {
    restorePrograms(model, programImage);
    return Object.assign(model, { dependents, units });
  }
  // Without stored indexes they are built on first use, as buildModel's models do.
  let builtDependents: number[][] | undefined;
  let builtUnits: RecomputeUnits | undefined;
  Object.defineProperty(model, 'dependents', { get: () => (builtDependents ??= buildDependents(model)), enumerable: true });
  Object.defineProperty(model, 'units', { get: () => (builtUnits ??= buildUnits(model, model.dependents)), enumerable: true });
  return model;
}

function numbers(ints: Int32Array, from: number, to: number): number[] {
  if (to === from) return EMPTY;
  const out: number[] = new Array(to - from);
  for (let i = from; i < to; i++) out[i - from] = ints[i];
  return out;
}

// The model's objects, made with every field in place (the same fields, in the same order, as model-build.ts
// makes them) so that filling them in never changes their shape.
class Sym {
  id: number;
  name = '';
  type: SymbolType = 'unknown';
  isConst = false;
  isChoice = false;
  properties: Prop[] = EMPTY;
  prompts: Prop[] = EMPTY;
  defaults: Prop[] = EMPTY;
  selects: Prop[] = EMPTY;
  implies: Prop[] = EMPTY;
  ranges: Prop[] = EMPTY;
  nodes: Node[] = EMPTY;
  dirDep: Expr | null = null;
  revDep: Expr | null = null;
  impliedDep: Expr | null = null;
  choice: Node | null = null;
  isModules = false;
  isTransitional = false;
  isOptional = false;
  created = 0;
  constructor(id: number) {
    this.id = id;
  }
}

class Prop {
  id: number;
  kind: PropertyKind = 'prompt';
  text = '';
  expr: Expr | null = null;
  target: Sym | null = null;
  low: Sym | null = null;
  high: Sym | null = null;
  visible: Expr | null = null;
  condition: Expr | null = null;
  node: Node = NO_NODE;
  span: SourceSpan = NO_SPAN;
  constructor(id: number) {
    this.id = id;
  }
}

class Node {
  id: number;
  kind: MenuNodeKind = 'root';
  sym: Sym | null = null;
  prompt: Prop | null = null;
  dep: Expr | null = null;
  visibility: Expr | null = null;
  help: string | null = null;
  parent: Node | null = null;
  firstChild: Node | null = null;
  next: Node | null = null;
  choiceMembers: Sym[] = EMPTY;
  span: SourceSpan = NO_SPAN;
  lastChild: Node | null = null;
  constructor(id: number) {
    this.id = id;
  }
}

const EMPTY: never[] = [];
const NO_SPAN: SourceSpan = { file: '', line: 0, column: 0 };
const NO_NODE = {} as Node;
