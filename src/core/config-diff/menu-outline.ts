// A light outline of a Kconfig tree for grouping output by menu: which menu each symbol sits in, its prompt,
import { allEntries } from '../kconfig/menu.ts';
import type { KconfigModel } from '../kconfig/model.ts';
// its type and its position. It follows `source`, `menu`/`endmenu`, `choice`/`endchoice` and `if` blocks
// that follow a `menuconfig` (nested under it, as menuconfig shows them); it is not an evaluator.
// Gotcha: menuconfig nesting by `depends on` alone (without an `if` block) is not modelled; those symbols
// are grouped with the menu that holds their parent.

/** What the outline knows about one symbol. */
export interface OutlineSymbol {
  /** Menu prompts from the top, e.g. `["Device Drivers", "Sound card support"]`. */
  readonly path: readonly string[];
  readonly prompt: string | undefined;
  readonly type: 'bool' | 'tristate' | 'int' | 'hex' | 'string' | undefined;
  /** Position of the first definition in menu order (for sorting). */
  readonly order: number;
  /** Symbols this one `select`s or `imply`s (any definition, conditions ignored). */
  readonly selects: readonly string[];
  /** Symbols its `depends on` lines and enclosing `if`/menu conditions mention (an over-approximation). */
  readonly depends: readonly string[];
  /** True when an `if SYM` block follows its definition (a menu gate such as NET_VENDOR_INTEL or SOUND). */
  readonly gate: boolean;
}

/** Symbol name → outline entry. */
export type MenuOutline = ReadonlyMap<string, OutlineSymbol>;

/** Reads a file of the tree by its path relative to the tree's top; undefined when it does not exist. */
export type ReadTreeFile = (path: string) => string | undefined;

const typeWords = new Set(['bool', 'tristate', 'int', 'hex', 'string', 'def_bool', 'def_tristate']);

function unquote(rest: string): string | undefined {
  const m = /^"((?:[^"\\]|\\.)*)"|^'((?:[^'\\]|\\.)*)'/.exec(rest.trim());
  return m ? (m[1] ?? m[2]).replace(/\\(.)/g, '$1') : undefined;
}

/** Builds the outline of the tree whose top Kconfig is `Kconfig`; `srcarch` fills `$(SRCARCH)` (x86 for x86_64). */
export function buildMenuOutline(read: ReadTreeFile, srcarch: string): MenuOutline {
  const out = new Map<string, { path: string[]; prompt: string | undefined; type: OutlineSymbol['type']; order: number; selects: string[]; depends: string[]; gate: boolean }>();
  // Conditions of the enclosing `if` blocks and `menu … depends on` (symbol names), one entry per open block.
  const conditions: string[][] = [];
  const symbolsIn = (expr: string): string[] => (expr.match(/\b[A-Z0-9_]*[A-Z_][A-Z0-9_]*\b/g) ?? []).filter((w) => w !== 'y' && w !== 'm' && w !== 'n');
  let lastConfig: string | undefined;
  const path: string[] = [];
  // The block stack: what each `endmenu`/`endchoice`/`endif` closes and whether it pushed a path element.
  const blocks: { kind: 'menu' | 'choice' | 'if'; pushed: boolean }[] = [];
  let order = 0;
  const visit = (file: string, depth: number): void => {
    const text = read(file);
    if (text === undefined || depth > 40) return;
    const lines = text.split('\n');
    let current: string | undefined; // symbol whose attributes follow
    let lastMenuconfig: { name: string; prompt: string | undefined } | undefined;
    let inHelp = false;
    let inMenuHeader = false;
    let helpIndent = -1;
    for (let i = 0; i < lines.length; i++) {
      let line = lines[i];
      while (line.endsWith('\\') && i + 1 < lines.length) line = line.slice(0, -1) + lines[++i];
      const trimmed = line.trim();
      if (inHelp) {
        const indent = line.length - line.trimStart().length;
        if (trimmed === '') continue;
        if (helpIndent < 0) helpIndent = indent;
        if (indent >= helpIndent && indent > 0) continue;
        inHelp = false;
      }
      if (trimmed === '' || trimmed.startsWith('#')) continue;
      const word = /^(\S+)\s*(.*)$/.exec(trimmed)!;
      const kw = word[1];
      const rest = word[2];
      if (kw !== 'menu' && kw !== 'depends' && kw !== 'visible') inMenuHeader = false;
      switch (kw) {
        case 'config':
        case 'menuconfig': {
          current = rest.trim();
          if (!out.has(current)) out.set(current, { path: [...path], prompt: undefined, type: undefined, order: order++, selects: [], depends: [], gate: false });
          const e = out.get(current)!;
          for (const c of conditions) for (const d of c) if (!e.depends.includes(d)) e.depends.push(d);
          lastConfig = current;
          if (kw === 'menuconfig') lastMenuconfig = { name: current, prompt: undefined };
          break;
        }
        case 'help':
        case '---help---':
          inHelp = true;
          helpIndent = -1;
          break;
        case 'source':
        case 'osource':
        case 'rsource':
        case 'orsource': {
          const target = unquote(rest);
          if (target === undefined) break;
          const expanded = target.replace(/\$\(SRCARCH\)/g, srcarch).replace(/\$\([A-Za-z_]+\)/g, '');
          const base = kw.startsWith('r') || kw === 'orsource' ? file.replace(/[^/]*$/, '') : '';
          visit(base + expanded, depth + 1);
          current = undefined;
          break;
        }
        case 'menu':
          path.push(unquote(rest) ?? '?');
          blocks.push({ kind: 'menu', pushed: true });
          conditions.push([]);
          current = undefined;
          inMenuHeader = true;
          break;
        case 'choice':
          blocks.push({ kind: 'choice', pushed: false });
          conditions.push([]);
          current = undefined;
          break;
        case 'endmenu':
        case 'endchoice':
        case 'endif': {
          const b = blocks.pop();
          if (b?.pushed) path.pop();
          if (b) conditions.pop();
          current = undefined;
          break;
        }
        case 'if': {
          const nested = lastMenuconfig !== undefined && rest.trim() === lastMenuconfig.name && lastMenuconfig.prompt !== undefined;
          if (nested) path.push(lastMenuconfig!.prompt!);
          blocks.push({ kind: 'if', pushed: nested });
          conditions.push(symbolsIn(rest));
          const gated = out.get(rest.trim());
          if (gated && lastConfig === rest.trim()) gated.gate = true;
          current = undefined;
          break;
        }
        case 'comment':
        case 'mainmenu':
          current = undefined;
          break;
        case 'prompt':
        default: {
          const top = blocks[blocks.length - 1];
          if (kw === 'depends' && current === undefined && inMenuHeader && conditions.length > 0) {
            conditions[conditions.length - 1].push(...symbolsIn(rest.replace(/^on\s+/, '')));
            break;
          }
          if (kw === 'prompt' && top?.kind === 'choice' && !top.pushed && current === undefined) {
            path.push(unquote(rest) ?? '?');
            top.pushed = true;
            break;
          }
          if (current === undefined) {
            if (typeWords.has(kw) && top?.kind === 'choice' && !top.pushed) {
              const p = unquote(rest);
              if (p !== undefined) {
                path.push(p);
                top.pushed = true;
              }
            }
            break;
          }
          const entry = out.get(current)!;
          let prompt: string | undefined;
          if (typeWords.has(kw)) {
            entry.type = kw.replace('def_', '') as OutlineSymbol['type'];
            if (!kw.startsWith('def_')) prompt = unquote(rest);
          } else if (kw === 'prompt') {
            prompt = unquote(rest);
          } else if (kw === 'depends') {
            for (const d of symbolsIn(rest.replace(/^on\s+/, ''))) if (!entry.depends.includes(d)) entry.depends.push(d);
          } else if (kw === 'select' || kw === 'imply') {
            const target = /^([A-Za-z0-9_]+)/.exec(rest)?.[1];
            if (target !== undefined && !entry.selects.includes(target)) entry.selects.push(target);
          }
          if (prompt !== undefined && entry.prompt === undefined) {
            entry.prompt = prompt;
            if (lastMenuconfig?.name === current) lastMenuconfig.prompt = prompt;
          }
        }
      }
    }
  };
  visit('Kconfig', 0);
  return out;
}

/** Reverse of `selects`: symbol → the symbols that select or imply it. */
export function selectorsOf(outline: MenuOutline): ReadonlyMap<string, readonly string[]> {
  const out = new Map<string, string[]>();
  for (const [name, o] of outline) {
    for (const t of o.selects) {
      let list = out.get(t);
      if (!list) out.set(t, (list = []));
      list.push(name);
    }
  }
  return out;
}

/** The `$(SRCARCH)` folder of a make `ARCH` (x86_64 and i386 → x86, sparc64 → sparc, …). */
export function srcarchOf(arch: string): string {
  if (arch === 'x86_64' || arch === 'i386') return 'x86';
  if (arch === 'sparc64' || arch === 'sparc32') return 'sparc';
  if (arch === 'sh64') return 'sh';
  if (arch === 'um') return 'um';
  return arch;
}

/**
 * The outline from kfit's Kconfig model (the finalized menu tree, as menuconfig shows locations: every
 * ancestor with a prompt, so dependency nesting under a `menuconfig` counts too). Paths, prompts, types and
 * order come from the model; `selects`, `depends` and `gate` from `scanned` (the light outline of the same tree).
 */
export function outlineFromModel(model: KconfigModel, scanned: MenuOutline): MenuOutline {
  const out = new Map<string, OutlineSymbol>();
  let order = 0;
  for (const node of allEntries(model)) {
    const sym = node.sym;
    order++;
    if (!sym || sym.name === '' || sym.isChoice || out.has(sym.name)) continue;
    const path: string[] = [];
    for (let p = node.parent; p && p !== model.root; p = p.parent) if (p.prompt) path.unshift(p.prompt.text);
    const s = scanned.get(sym.name);
    const type = sym.type === 'unknown' ? undefined : sym.type;
    out.set(sym.name, { path, prompt: sym.prompts[0]?.text, type, order, selects: s?.selects ?? [], depends: s?.depends ?? [], gate: s?.gate ?? false });
  }
  for (const [name, s] of scanned) if (!out.has(name)) out.set(name, s);
  return out;
}
