// The hardware plan: which Kconfig symbols a machine needs, from its device IDs, with a reason per symbol.
// Sources: device tables extracted from the kernel source (no built kernel needed), optionally a module
// tree's modules.alias, and the modules bound drivers report; symbols come from the Kbuild walk.
import { AliasIndex, lookupAlias, type AliasDb, type AliasEntry } from './alias-db.ts';
import { normalizeAlias } from './fnmatch.ts';
import type { FileAliases } from './device-table.ts';
import type { HwDevice, HwSnapshot } from './snapshot.ts';
import type { KbuildIndex } from '../kbuild/query.ts';

/** What a matched symbol is for. */
export type PlanClass = 'device-driver' | 'cpu-feature' | 'cpu-model' | 'platform-quirk' | 'functionality' | 'gate';

/** Why one symbol is in the plan: the device, the alias that matched and where it came from. */
export interface PlanReason {
  readonly device: string;
  readonly label: string;
  readonly modalias: string;
  readonly pattern: string;
  /** `source:drivers/…/x.c (table ids)`, `modules.alias:e1000`, or `bound module e1000`. */
  readonly via: string;
  /** `own` (the object's line), `owner` (its composite module), `gate` (a directory gate). */
  readonly role: 'own' | 'owner' | 'gate';
}

/** One symbol of the plan. */
export interface PlanItem {
  readonly symbol: string;
  readonly class: PlanClass;
  readonly reasons: readonly PlanReason[];
}

/** A device whose modaliases matched nothing (core code, a driver missing from the tree, or no driver). */
export interface UnmatchedDevice {
  readonly device: string;
  readonly label: string;
  readonly modaliases: readonly string[];
  readonly driver?: string;
}

/** The result of planning. */
export interface HwPlan {
  readonly items: readonly PlanItem[];
  readonly unmatched: readonly UnmatchedDevice[];
  /** Matches we could not turn into a symbol (file not built for this architecture, unknown module). */
  readonly notes: readonly string[];
}

/** An alias entry from a source file's device table. */
export interface SourceAliasEntry extends AliasEntry {
  readonly file: string;
  readonly table: string;
}

/** Builds a prefix index over the aliases extracted from source (module = the `.c` file). */
export function sourceAliasIndex(files: readonly FileAliases[]): AliasIndex<SourceAliasEntry> {
  const index = new AliasIndex<SourceAliasEntry>();
  for (const f of files) {
    const add = (pattern: string, table: string): void => {
      const normalized = normalizeAlias(pattern);
      if (normalized !== undefined) index.add({ pattern, normalized, module: f.file, priority: 0, builtin: false, file: f.file, table });
    };
    for (const t of f.tables) for (const a of t.aliases) add(a, `${t.type} table ${t.name}`);
    for (const a of f.explicit) add(a, 'MODULE_ALIAS');
  }
  return index;
}

/** Inputs of {@link planHardware}. */
export interface PlanInputs {
  readonly snapshot: HwSnapshot;
  readonly sources: AliasIndex<SourceAliasEntry>;
  /** The Kbuild walk that maps files and modules to symbols (an optimistic walk sees every object). */
  readonly kbuild: KbuildIndex;
  /** A module tree of the same kernel version (optional, e.g. the running distribution kernel's). */
  readonly moduleDb?: AliasDb;
  /** Include CPU-feature accelerations (crypto, kvm) — default true. */
  readonly cpuFeatures?: boolean;
  /** Include capability-matched handlers (input: evdev, joydev, evbug, …) — default false. */
  readonly functionality?: boolean;
}

/** Classifies an alias pattern (and the string it matched). */
export function classifyAlias(pattern: string): PlanClass {
  if (pattern.startsWith('cpu:type:')) return /ven\*fam\*mod\*|type:\*:/.test(pattern) ? 'cpu-feature' : 'cpu-model';
  if (pattern.startsWith('dmi') || pattern.startsWith('wmi:')) return 'platform-quirk';
  // Input handlers (evdev, joydev, kbd, evbug, …) match devices by capability bits: functionality.
  if (pattern.startsWith('input:')) return 'functionality';
  return 'device-driver';
}

const CLASS_RANK: Readonly<Record<PlanClass, number>> = { 'device-driver': 0, 'platform-quirk': 1, 'cpu-model': 2, 'cpu-feature': 3, functionality: 4, gate: 5 };

/**
 * Matches every modalias of the snapshot against the source tables (and the module tree), and collects the
 * symbols that build the matching code: the object's own option (e.g. SERIAL_8250_PNP), its module's
 * option (SERIAL_8250), and the directory gates on the way. Mirrors what modprobe would load, but for code
 * that may be built in and for kernels not yet built.
 */
export function planHardware(inputs: PlanInputs): HwPlan {
  const items = new Map<string, { class: PlanClass; reasons: PlanReason[] }>();
  const notes = new Set<string>();
  const unmatched: UnmatchedDevice[] = [];
  const modulesByName = new Map<string, string>();
  for (const m of inputs.kbuild.result.modules) if (!modulesByName.has(m.name)) modulesByName.set(m.name, m.path);

  const addSymbols = (path: string, cls: PlanClass, base: Omit<PlanReason, 'role'>): boolean => {
    const gates = inputs.kbuild.gatesOf(path);
    if (gates.length === 0) return false;
    for (const g of gates) {
      const roles: [string, PlanReason['role']][] = [
        ...g.own.map((s): [string, PlanReason['role']] => [s, 'own']),
        ...g.owner.map((s): [string, PlanReason['role']] => [s, 'owner']),
        // A directory level reached through several alternative symbols names no single must-have gate.
        ...[...new Set(g.dirGateLevels.filter((l) => l.length === 1).map((l) => l[0]!))].map((s): [string, PlanReason['role']] => [s, 'gate']),
      ];
      for (const [symbol, role] of roles) {
        const itemClass: PlanClass = role === 'gate' ? 'gate' : cls;
        const item = items.get(symbol);
        const reason: PlanReason = { ...base, role };
        if (item === undefined) items.set(symbol, { class: itemClass, reasons: [reason] });
        else {
          if (CLASS_RANK[itemClass] < CLASS_RANK[item.class]) item.class = itemClass;
          if (!item.reasons.some((r) => r.device === reason.device && r.via === reason.via)) item.reasons.push(reason);
        }
      }
    }
    return true;
  };

  const devices: HwDevice[] = [...inputs.snapshot.devices];
  if (inputs.snapshot.dmi) devices.push({ path: 'class/dmi/id', modaliases: [inputs.snapshot.dmi], label: 'DMI (machine model)' });
  for (const dev of devices) {
    let matched = false;
    for (const modalias of dev.modaliases) {
      const text = normalizeAlias(modalias);
      if (text === undefined) continue;
      for (const e of inputs.sources.match(text)) {
        const cls = classifyAlias(e.pattern);
        if ((cls === 'cpu-feature' && inputs.cpuFeatures === false) || (cls === 'functionality' && inputs.functionality !== true)) continue;
        matched = true;
        const via = `source:${e.file} (${e.table})`;
        if (!addSymbols(e.file, cls, { device: dev.path, label: dev.label, modalias, pattern: e.pattern, via })) notes.add(`${e.file} matches ${dev.path} but is not built for this architecture`);
      }
      if (inputs.moduleDb) {
        const r = lookupAlias(inputs.moduleDb, modalias);
        r.matches.forEach((e) => {
          const cls = classifyAlias(e.pattern);
          if ((cls === 'cpu-feature' && inputs.cpuFeatures === false) || (cls === 'functionality' && inputs.functionality !== true)) return;
          matched = true;
          const path = inputs.moduleDb!.modulePaths.get(e.module) ?? inputs.moduleDb!.builtinPaths.get(e.module) ?? modulesByName.get(e.module);
          const via = `modules.alias:${e.module}`;
          if (path === undefined || !addSymbols(path, cls, { device: dev.path, label: dev.label, modalias, pattern: e.pattern, via })) notes.add(`module ${e.module} (matches ${dev.path}) has no object in this tree's Kbuild walk`);
        });
      }
    }
    if (dev.module) {
      const path = modulesByName.get(dev.module.replace(/-/g, '_'));
      if (path !== undefined) {
        matched = true;
        addSymbols(path, 'device-driver', { device: dev.path, label: dev.label, modalias: dev.modaliases[0] ?? '', pattern: '(bound driver)', via: `bound module ${dev.module}` });
      } else notes.add(`bound module ${dev.module} of ${dev.path} is not in this tree`);
    }
    if (!matched && dev.modaliases.length > 0) unmatched.push({ device: dev.path, label: dev.label, modaliases: dev.modaliases, driver: dev.driver });
  }
  const out: PlanItem[] = [...items]
    .map(([symbol, v]) => ({ symbol, class: v.class, reasons: v.reasons }))
    .sort((a, b) => CLASS_RANK[a.class] - CLASS_RANK[b.class] || (a.symbol < b.symbol ? -1 : 1));
  return { items: out, unmatched, notes: [...notes] };
}
