// A tiny hand-made Kconfig world for the nixos tests (not an engine: a few symbols with the rules of
// symbol.c that conf's dialogue depends on), so conf's walk, the script and the fix loop can be tested
// without a kernel tree. Used only by *.test.ts files.
import { ExprKind, exprAnd, exprOr, exprSymbol, type Expr } from '../kconfig/expr.ts';
import type { KconfigModel, KconfigSymbol, MenuNode, Property, SymbolType, Tristate } from '../kconfig/model.ts';
import type { KconfigFacts } from './diagnosis.ts';

type Mut<T> = { -readonly [K in keyof T]: T[K] };
type MutSym = Mut<KconfigSymbol>;
type MutNode = Mut<MenuNode>;

interface SymSpec {
  name: string;
  type: SymbolType;
  prompt: string;
  depends?: string[];
  selects?: string[];
  choice?: string;
  menuconfig?: boolean;
  parent?: string;
}

/** Builds a world from symbol specs (in menu order); `choices` maps a choice id to its prompt. */
export function fakeWorld(specs: SymSpec[], choices: Record<string, string> = {}) {
  const syms = new Map<string, MutSym>();
  const mk = (name: string, type: SymbolType, isConst = false, isChoice = false) => {
    const s = { id: syms.size, name, type, isConst, isChoice, properties: [], prompts: [] as Property[], defaults: [], selects: [], implies: [], ranges: [], nodes: [] as MenuNode[], dirDep: null as Expr | null, revDep: null as Expr | null, impliedDep: null, choice: null as MenuNode | null, isModules: name === 'MODULES', isTransitional: false };
    return s as unknown as MutSym;
  };
  const yes = mk('y', 'tristate', true);
  const mod = mk('m', 'tristate', true);
  const no = mk('n', 'tristate', true);
  for (const s of specs) syms.set(s.name, mk(s.name, s.type));
  const root = { id: 0, kind: 'root', sym: null, prompt: { kind: 'menu', text: 'Test Kernel Configuration' }, dep: null, visibility: null, help: null, parent: null, firstChild: null, next: null, choiceMembers: [], span: { file: 'Kconfig', line: 1, column: 1 } } as unknown as MutNode;
  const nodes: (MutNode)[] = [root];
  const choiceNodes = new Map<string, MutNode>();
  const append = (parent: MutNode, node: MutNode) => {
    node.parent = parent;
    let last = parent.firstChild as (MutNode) | null;
    if (!last) parent.firstChild = node;
    else {
      while (last.next) last = last.next as MutNode;
      last.next = node;
    }
    nodes.push(node);
  };
  for (const s of specs) {
    const sym = syms.get(s.name)!;
    sym.dirDep = (s.depends ?? []).reduce<Expr | null>((e, d) => exprAnd(e, exprSymbol(syms.get(d)!)), null);
    let parent = s.parent ? (syms.get(s.parent)!.nodes[0] as MutNode) : root;
    if (s.choice) {
      let c = choiceNodes.get(s.choice);
      if (!c) {
        const csym = mk('', 'bool', false, true);
        c = { id: nodes.length, kind: 'choice', sym: csym, prompt: { kind: 'prompt', text: choices[s.choice] ?? s.choice }, dep: null, visibility: null, help: null, parent: null, firstChild: null, next: null, choiceMembers: [], span: root.span } as unknown as MutNode;
        append(root, c);
        choiceNodes.set(s.choice, c);
      }
      sym.choice = c;
      parent = c;
    }
    const node = { id: nodes.length, kind: s.menuconfig ? 'menuconfig' : 'config', sym, prompt: null as unknown, dep: sym.dirDep, visibility: null, help: null, parent: null, firstChild: null, next: null, choiceMembers: [], span: root.span } as unknown as MutNode;
    const prompt = { id: 0, kind: s.menuconfig ? 'menu' : 'prompt', text: s.prompt, expr: null, target: null, low: null, high: null, visible: sym.dirDep, condition: null, node, span: root.span };
    node.prompt = prompt as unknown as Property;
    (sym.prompts as Property[]).push(prompt as unknown as Property);
    (sym.nodes as MenuNode[]).push(node);
    append(parent, node);
  }
  for (const s of specs) {
    for (const t of s.selects ?? []) {
      const target = syms.get(t)!;
      target.revDep = exprOr(target.revDep, exprSymbol(syms.get(s.name)!));
    }
  }
  const byName = new Map([...syms].map(([n, s]) => [n, s as KconfigSymbol]));
  const model = { flavor: 'v6.12', root, mainmenu: 'Test Kernel Configuration', symbols: [...syms.values()], nodes, properties: [], byName, modules: syms.get('MODULES') ?? no, yes, mod, no, hashOrder: [], dependents: [] } as unknown as KconfigModel;
  return { model, load: (dotConfig: string) => fakeState(model, dotConfig) };
}

function parseDot(text: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const line of text.split('\n')) {
    let r = /^CONFIG_(\w+)=(.*)$/.exec(line);
    if (r) m.set(r[1], r[2].replace(/^"(.*)"$/, '$1'));
    else if ((r = /^# CONFIG_(\w+) is not set$/.exec(line))) m.set(r[1], 'n');
  }
  return m;
}

const T = { n: 0, m: 1, y: 2 } as const;
const TXT = ['n', 'm', 'y'];

/** The mutable conf state of a fake world after reading `dotConfig`. */
function fakeState(model: KconfigModel, dotConfig: string): KconfigFacts {
  const user = parseDot(dotConfig);
  const choiceUser = new Map<MenuNode, KconfigSymbol>();
  for (const [n, v] of user) {
    const s = model.byName.get(n);
    if (s?.choice && v === 'y') choiceUser.set(s.choice, s);
  }
  const modulesOn = () => model.modules.name === 'MODULES' && user.get('MODULES') === 'y';
  const exprValue = (e: Expr | null): Tristate => {
    if (!e) return 2;
    switch (e.kind) {
      case ExprKind.and: return Math.min(exprValue(e.a), exprValue(e.b)) as Tristate;
      case ExprKind.or: return Math.max(exprValue(e.a), exprValue(e.b)) as Tristate;
      case ExprKind.not: return (2 - exprValue(e.a)) as Tristate;
      default: return tri(e.sym!);
    }
  };
  const vis = (s: KconfigSymbol): Tristate => {
    let v = exprValue(s.dirDep);
    if (v === 1 && !modulesOn()) v = 0;
    return v;
  };
  const rev = (s: KconfigSymbol): Tristate => (s.revDep ? exprValue(s.revDep) : 0);
  const isBool = (s: KconfigSymbol) => s.type === 'bool' || !modulesOn();
  const tri = (s: KconfigSymbol): Tristate => {
    if (s.isConst) return T[s.name as 'y' | 'm' | 'n'] ?? 0;
    if (s.choice) return vis(s) > 0 && selection(s.choice) === s ? 2 : 0;
    const u = user.get(s.name);
    let v: number = u ? Math.min(T[u as 'y' | 'm' | 'n'] ?? 0, vis(s)) : 0;
    v = Math.max(v, rev(s));
    if (v === 1 && isBool(s)) v = 2;
    return v as Tristate;
  };
  const selection = (c: MenuNode): KconfigSymbol | null => {
    const u = choiceUser.get(c);
    if (u && vis(u) > 0) return u;
    for (let n = c.firstChild; n; n = n.next) if (n.sym && vis(n.sym) > 0) return n.sym;
    return null;
  };
  const withinRange = (s: KconfigSymbol, v: Tristate): boolean => {
    if (v === 1 && isBool(s)) return false;
    if (vis(s) <= rev(s)) return false;
    return v >= rev(s) && v <= vis(s);
  };
  return {
    model,
    flavor: 'v6.12',
    root: model.root,
    exprValue,
    isVisible: (m) => (m.sym ? vis(m.sym) > 0 || (m.sym.isChoice && true) : true),
    promptText: (m) => m.prompt?.text ?? '',
    hasValue: (s) => (s.isChoice ? true : user.has(s.name)),
    isChangeable: (s) => (s.isChoice ? true : vis(s) > rev(s)),
    tristate: tri,
    stringValue: (s) => (s.type === 'bool' || s.type === 'tristate' ? TXT[tri(s)] : user.get(s.name) ?? ''),
    withinRange,
    setTristate: (s, v) => {
      if (!withinRange(s, v)) return false;
      user.set(s.name, TXT[v]);
      return true;
    },
    setString: (s, v) => {
      if (s.type === 'int' && !/^-?\d+$/.test(v)) return false;
      user.set(s.name, v);
      return true;
    },
    choiceSelection: selection,
    setChoice: (c, m) => {
      choiceUser.set(c, m);
      for (let n = c.firstChild; n; n = n.next) if (n.sym) user.set(n.sym.name, n.sym === m ? 'y' : 'n');
    },
    writeConfig: () => {
      let out = '';
      for (const s of model.byName.values()) {
        if (vis(s) === 0 && rev(s) === 0) continue;
        const v = s.type === 'bool' || s.type === 'tristate' ? TXT[tri(s)] : user.get(s.name) ?? '';
        out += v === 'n' ? `# CONFIG_${s.name} is not set\n` : s.type === 'string' ? `CONFIG_${s.name}="${v}"\n` : `CONFIG_${s.name}=${v}\n`;
      }
      return out;
    },
  };
}
