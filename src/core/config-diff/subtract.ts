// Mass deactivation (`kfit subtract`): which options to switch off on a base config given what the machine needs,
// grouped by menu like derpconfig's patches.nix sets, each with the options and compilation units it removes.
import type { KernelPatchEntry, NamedKernelPatch } from '../nix/kernel-patch.ts';
import type { ConfigValues } from './config-values.ts';
import type { MenuOutline } from './menu-outline.ts';
import type { NixPlan } from './nix-plan.ts';

/**
 * The symbols that must stay: `keep` plus, transitively, every symbol their `depends on` lines and enclosing
 * `if`/menu conditions mention (an over-approximation: `A || B` keeps both).
 */
export function keepClosure(keep: Iterable<string>, outline: MenuOutline): Set<string> {
  const out = new Set<string>();
  const todo = [...keep];
  while (todo.length > 0) {
    const s = todo.pop()!;
    if (out.has(s)) continue;
    out.add(s);
    for (const d of outline.get(s)?.depends ?? []) if (!out.has(d)) todo.push(d);
  }
  return out;
}

/**
 * The options to propose switching off: on (`y`/`m`) in `base`, under "Device Drivers", with a prompt, not
 * needed by `keep` (see keepClosure), and either tristate (a driver) or a bool menu gate (`NET_VENDOR_*`,
 * `if SYM` blocks). Infrastructure bools (DEVTMPFS, …) are never proposed.
 */
export function subtractCandidates(base: ConfigValues, outline: MenuOutline, closure: ReadonlySet<string>): string[] {
  const out: string[] = [];
  for (const [name, value] of base) {
    if (value !== 'y' && value !== 'm') continue;
    const o = outline.get(name);
    if (!o || o.prompt === undefined || o.path[0] !== 'Device Drivers' || closure.has(name)) continue;
    if (o.type === 'tristate' || (o.type === 'bool' && o.gate)) out.push(name);
  }
  return out;
}

/**
 * The menu a symbol's group is named after: `Device Drivers > A > B` (three levels) or two levels elsewhere;
 * a menu gate (SOUND, ATA, NET_VENDOR_INTEL) counts as the menu it opens.
 */
export function groupMenu(outline: MenuOutline, symbol: string): string | undefined {
  const o = outline.get(symbol);
  if (!o) return undefined;
  const depth = o.path[0] === 'Device Drivers' ? 3 : 2;
  const path = o.gate && o.prompt !== undefined ? [...o.path, o.prompt] : o.path;
  return path.slice(0, depth).join(' > ') || '(top level)';
}

/** A Nix attribute name for a group from its menu's last two levels, without parentheses: `unused-sound-card-support`. */
export function groupAttr(menu: string): string {
  const levels = menu.split(' > ').filter((l) => l !== 'Device Drivers').slice(-2);
  const words = levels.join(' ').replace(/\([^)]*\)?/g, ' ').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  let name = words || 'drivers';
  if (name.length > 48) name = name.slice(0, 48).replace(/-[^-]*$/, '');
  return `unused-${name}`;
}

/** An object the base builds and the subtraction does not, with the symbols that gate it. */
export interface RemovedObject {
  readonly path: string;
  /** Gate symbols: the object's own, its composite's, then its directories' (innermost first). */
  readonly gate: readonly string[];
  /** True for `.c` compilation units. */
  readonly isC: boolean;
}

/** One group of the proposal. */
export interface SubtractGroup {
  readonly menu: string;
  readonly attr: string;
  readonly entries: readonly KernelPatchEntry[];
  /** Options on in the base and off or gone after the subtraction, attributed to this group. */
  readonly optionsRemoved: number;
  /** `.c` compilation units no longer built. */
  readonly unitsRemoved: number;
  /** All objects no longer built (C, assembler, generated). */
  readonly objectsRemoved: number;
}

/**
 * Groups a subtraction plan by menu and counts what each group removes. `after` is the config with every
 * proposal applied; a removed option is attributed to the group of the nearest written entry among its
 * dependencies, a removed object to that of the first gate symbol that went off; what no entry explains
 * (options that only lost their selector) lands in `other`. Largest first.
 */
export function groupSubtraction(base: ConfigValues, after: ConfigValues, plan: NixPlan, outline: MenuOutline, removedObjects: readonly RemovedObject[]): SubtractGroup[] {
  const groups = new Map<string, { entries: KernelPatchEntry[]; options: number; units: number; objects: number }>();
  const group = (menu: string) => {
    let g = groups.get(menu);
    if (!g) groups.set(menu, (g = { entries: [], options: 0, units: 0, objects: 0 }));
    return g;
  };
  const entryGroup = new Map<string, string>();
  for (const e of plan.entries) {
    const menu = groupMenu(outline, e.symbol) ?? 'other';
    entryGroup.set(e.symbol, menu);
    group(menu).entries.push(e);
  }
  const wentOff = (s: string): boolean => {
    const b = base.get(s);
    const a = after.get(s);
    return (b === 'y' || b === 'm') && a !== b && a !== 'y';
  };
  // The group of the nearest written entry among a symbol's dependencies (breadth first): the switch that
  // took it away.
  const culprit = new Map<string, string>();
  const menuOf = (start: string): string => {
    const known = culprit.get(start);
    if (known !== undefined) return known;
    let found = 'other';
    const seen = new Set<string>([start]);
    let layer = [start];
    for (let depth = 0; depth < 8 && layer.length > 0 && found === 'other'; depth++) {
      const next: string[] = [];
      for (const s of layer) {
        const g = entryGroup.get(s);
        if (g !== undefined) {
          found = g;
          break;
        }
        for (const d of outline.get(s)?.depends ?? []) if (!seen.has(d)) seen.add(d), next.push(d);
      }
      layer = next;
    }
    culprit.set(start, found);
    return found;
  };
  for (const s of base.keys()) if (wentOff(s)) group(menuOf(s)).options++;
  for (const o of removedObjects) {
    const off = o.gate.find(wentOff);
    const g = group(off === undefined ? 'other' : menuOf(off));
    g.objects++;
    if (o.isC) g.units++;
  }
  return [...groups.entries()]
    .map(([menu, g]) => ({ menu, attr: menu === 'other' ? 'other' : groupAttr(menu), entries: g.entries, optionsRemoved: g.options, unitsRemoved: g.units, objectsRemoved: g.objects }))
    .sort((x, y) => y.unitsRemoved - x.unitsRemoved || y.optionsRemoved - x.optionsRemoved || (x.menu < y.menu ? -1 : 1));
}

/** The groups as named kernel patches for the printer (groups without entries, like `other`, are left out). */
export function subtractPatches(groups: readonly SubtractGroup[]): NamedKernelPatch[] {
  const used = new Set<string>();
  const out: NamedKernelPatch[] = [];
  for (const g of groups) {
    if (g.entries.length === 0) continue;
    let attr = g.attr;
    for (let i = 2; used.has(attr); i++) attr = `${g.attr}-${i}`;
    used.add(attr);
    out.push({
      attr,
      name: attr,
      entries: g.entries,
      header: [`${g.menu}: ${g.entries.length} lines; removes ${g.optionsRemoved} options, ${g.unitsRemoved} compilation units (${g.objectsRemoved} objects)`],
    });
  }
  return out;
}
