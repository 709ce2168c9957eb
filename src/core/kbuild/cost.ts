// Build-cost model: what a configuration compiles (the Kbuild walk's objects and modules), each unit weighted
// by the size of its source, turned into CPU-seconds and wall time at `make -jN` by a rate per unit.
import type { KbuildResult, ObjectKind } from './walk.ts';

/** What one cost unit is: a C compile, an assembler step, a generated object, or a module's own overhead. */
export type UnitLanguage = 'c' | 'asm' | 'generated' | 'module-link';

/**
 * One unit of build work: an object of the walk (`kernel/fork.o`), or a module's `.mod.o` compile and `.ko`
 * link (`drivers/net/e1000/e1000.ko`).
 */
export interface CostUnit {
  /** Object path (or `.ko` path for a module's overhead), relative to the tree's top. */
  readonly path: string;
  readonly kind: ObjectKind;
  readonly lang: UnitLanguage;
  /** Bytes of the `.c`/`.S` source (0 for generated objects and module overhead). */
  readonly bytes: number;
  /** The innermost gate: its own `obj-$(CONFIG_X)` line, else its composite's, else its directory's; `A|B` for alternatives. */
  readonly symbol: string;
  /** Every gate from the innermost out (own line, composite, directory levels), each `A|B` for alternatives; empty when always built. */
  readonly gates: readonly string[];
}

/** Group name of units built whatever the configuration (no gating symbol on any level). */
export const ALWAYS_BUILT = '(always built)';

/** Finds the source of an object: the size in bytes of a file of the tree, or undefined when absent. */
export type SourceSize = (path: string) => number | undefined;

function gatesOf(levels: readonly (readonly string[])[]): string[] {
  const out: string[] = [];
  for (const l of levels) {
    const key = l.join('|');
    if (l.length > 0 && !out.includes(key)) out.push(key);
  }
  return out;
}

/**
 * The cost units of a walk: every distinct object (its `.c`, else `.S`, else generated), then one
 * `module-link` unit per module (`kind: 'module'`). `sizeOf` answers the bytes of a source file.
 */
export function costUnits(walk: KbuildResult, sizeOf: SourceSize): CostUnit[] {
  const units: CostUnit[] = [];
  const seen = new Set<string>();
  for (const o of walk.objects) {
    if (seen.has(o.path)) continue;
    seen.add(o.path);
    const base = o.path.slice(0, -2);
    const c = sizeOf(`${base}.c`);
    const s = c === undefined ? sizeOf(`${base}.S`) : undefined;
    const lang: UnitLanguage = c !== undefined ? 'c' : s !== undefined ? 'asm' : 'generated';
    const gates = gatesOf([o.syms, o.ownerSyms, ...o.dirGateLevels]);
    units.push({ path: o.path, kind: o.kind, lang, bytes: c ?? s ?? 0, symbol: gates[0] ?? ALWAYS_BUILT, gates });
  }
  for (const m of walk.modules) {
    if (m.kind !== 'module' || seen.has(m.path)) continue;
    seen.add(m.path);
    const gates = gatesOf([m.syms, ...m.dirGateLevels]);
    units.push({ path: m.path, kind: 'module', lang: 'module-link', bytes: 0, symbol: gates[0] ?? ALWAYS_BUILT, gates });
  }
  return units;
}

/**
 * A build rate: CPU-seconds per unit, the serial part of a build, and where the numbers come from.
 * A C unit costs `cpuPerUnit + cpuPerKiB × KiB of source`; wall = `fixedWall + (fixedCpu + Σ cpu) / jobs`.
 */
export interface CostRate {
  /** CPU-seconds of a C compile before its source size counts (the headers every kernel unit includes). */
  readonly cpuPerUnit: number;
  /** CPU-seconds per KiB of the unit's own `.c`. */
  readonly cpuPerKiB: number;
  /** An assembler step costs this fraction of `cpuPerUnit`. */
  readonly asmFactor: number;
  /** CPU-seconds per module: its `.mod.o` compile (a tiny unit) and the `.ko` link. */
  readonly cpuPerModule: number;
  /** CPU-seconds of work the walk does not list: host tools, boot/vdso/realmode objects, the EFI stub. */
  readonly fixedCpu: number;
  /** Wall seconds that do not parallelise: `prepare`, the vmlinux link with kallsyms, bzImage compression. */
  readonly fixedWall: number;
  /** Where the rate comes from (machine, compiler, build it was fitted on). */
  readonly origin: string;
}

/**
 * The default rate, measured on this project's 2-core build machine (gcc 12.2, Debian 12, no debug info).
 * The shape (0.2207 CPU-s per unit + 0.00439 CPU-s per KiB of `.c`) is a least-squares fit over 40 single
 * compiles of a 6.12 tinyconfig build (425 B … 207 KiB sources); the scale (× 1.4646) makes the x86_64
 * defconfig of 6.12 (2,819 `.c`, 69.2 MiB of source, 32 `.S`, 9 modules) come out at the measured 722 s
 * wall at -j2 (research hardware-cpu.md §4.3). fixedWall (20 s) and fixedCpu (~100 objects the walk does not
 * list × 0.35 s) come from a tinyconfig build's file times. cpuPerModule is an assumption (one tiny compile
 * plus a link), not measured. Gotcha: debug info (DWARF, BTF) and clang/LTO are not in this rate; calibrate.
 */
export const DEFAULT_RATE: CostRate = {
  cpuPerUnit: 0.3232,
  cpuPerKiB: 0.006429,
  asmFactor: 0.5,
  cpuPerModule: 0.4,
  fixedCpu: 35,
  fixedWall: 20,
  origin: 'default: measured on a 2-core x86_64 VM, gcc 12.2, no debug info (6.12 defconfig = 722 s at -j2)',
};

/** The CPU-seconds of one unit at `rate`. */
export function unitCpu(unit: CostUnit, rate: CostRate): number {
  switch (unit.lang) {
    case 'c':
      return rate.cpuPerUnit + (rate.cpuPerKiB * unit.bytes) / 1024;
    case 'asm':
      return rate.cpuPerUnit * rate.asmFactor;
    case 'generated':
      return rate.cpuPerUnit;
    case 'module-link':
      return rate.cpuPerModule;
  }
}

/** An estimated build: what it compiles and how long that takes. */
export interface BuildEstimate {
  /** Distinct objects (not counting module overhead units). */
  readonly objects: number;
  readonly builtinObjects: number;
  readonly libObjects: number;
  readonly moduleObjects: number;
  readonly cObjects: number;
  readonly asmObjects: number;
  readonly generatedObjects: number;
  /** Modules (`.ko`) built. */
  readonly modules: number;
  /** Bytes of the `.c`/`.S` sources compiled. */
  readonly sourceBytes: number;
  /** CPU-seconds, the fixed part included. */
  readonly cpuSeconds: number;
  /** Wall seconds at `jobs`. */
  readonly wallSeconds: number;
  readonly jobs: number;
}

/** Estimates a build of `units` at `make -j<jobs>`. Gotcha: jobs beyond the machine's cores do not speed it up; pass the real core count. */
export function estimateBuild(units: readonly CostUnit[], rate: CostRate, jobs: number): BuildEstimate {
  let builtin = 0;
  let lib = 0;
  let mod = 0;
  let c = 0;
  let asm = 0;
  let gen = 0;
  let modules = 0;
  let bytes = 0;
  let cpu = rate.fixedCpu;
  for (const u of units) {
    cpu += unitCpu(u, rate);
    bytes += u.bytes;
    if (u.lang === 'module-link') {
      modules++;
      continue;
    }
    if (u.kind === 'builtin') builtin++;
    else if (u.kind === 'lib') lib++;
    else mod++;
    if (u.lang === 'c') c++;
    else if (u.lang === 'asm') asm++;
    else gen++;
  }
  return {
    objects: builtin + lib + mod,
    builtinObjects: builtin,
    libObjects: lib,
    moduleObjects: mod,
    cObjects: c,
    asmObjects: asm,
    generatedObjects: gen,
    modules,
    sourceBytes: bytes,
    cpuSeconds: cpu,
    wallSeconds: wallOf(cpu, rate, jobs),
    jobs,
  };
}

function wallOf(cpu: number, rate: CostRate, jobs: number): number {
  return rate.fixedWall + cpu / Math.max(1, jobs);
}

/**
 * How {@link groupCosts} groups units: `symbol` counts a unit under every gate of its chain (what switching
 * that symbol off removes at least: groups overlap), `gate` under its innermost gate only (each unit once),
 * `dir` by directory, or a caller's key (a menu).
 */
export type GroupBy = 'symbol' | 'gate' | 'dir' | ((unit: CostUnit) => string);

/** The cost of one group of units ("DRM_AMDGPU: 412 objects, ~9 min"). */
export interface CostGroup {
  readonly key: string;
  readonly objects: number;
  readonly modules: number;
  readonly sourceBytes: number;
  readonly cpuSeconds: number;
  /** The wall time the group adds at `jobs` (its CPU-seconds / jobs). */
  readonly wallSeconds: number;
}

/** The directory of `path` cut to `depth` components (`drivers/gpu/drm`). */
export function dirOf(path: string, depth: number): string {
  const parts = path.split('/');
  parts.pop();
  return parts.length === 0 ? '.' : parts.slice(0, depth).join('/');
}

/** Groups units and sums their cost, largest first (then by key). `dir` groups cut paths to three levels. */
export function groupCosts(units: readonly CostUnit[], rate: CostRate, jobs: number, by: GroupBy = 'symbol'): CostGroup[] {
  const keys = by === 'symbol'
    ? (u: CostUnit) => (u.gates.length > 0 ? u.gates : [ALWAYS_BUILT])
    : by === 'gate'
      ? (u: CostUnit) => [u.symbol]
      : by === 'dir'
        ? (u: CostUnit) => [dirOf(u.path, 3)]
        : (u: CostUnit) => [by(u)];
  const acc = new Map<string, { objects: number; modules: number; bytes: number; cpu: number }>();
  for (const u of units) {
    const cpu = unitCpu(u, rate);
    for (const k of keys(u)) {
      let g = acc.get(k);
      if (!g) acc.set(k, (g = { objects: 0, modules: 0, bytes: 0, cpu: 0 }));
      if (u.lang === 'module-link') g.modules++;
      else g.objects++;
      g.bytes += u.bytes;
      g.cpu += cpu;
    }
  }
  const out = [...acc].map(([k, g]) => ({ key: k, objects: g.objects, modules: g.modules, sourceBytes: g.bytes, cpuSeconds: g.cpu, wallSeconds: g.cpu / Math.max(1, jobs) }));
  return out.sort((a, b) => b.cpuSeconds - a.cpuSeconds || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** Two builds side by side: what the second drops and adds, and the time it saves. */
export interface CostComparison {
  readonly base: BuildEstimate;
  readonly other: BuildEstimate;
  /** Units only the base builds. */
  readonly removed: readonly CostUnit[];
  /** Units only the other builds. */
  readonly added: readonly CostUnit[];
  /** CPU-seconds saved by going from base to other (negative when the other costs more). */
  readonly savedCpuSeconds: number;
  readonly savedWallSeconds: number;
}

/** Compares the build of `base` with the build of `other` at the same rate and jobs. */
export function compareCosts(base: readonly CostUnit[], other: readonly CostUnit[], rate: CostRate, jobs: number): CostComparison {
  const inOther = new Set(other.map((u) => u.path));
  const inBase = new Set(base.map((u) => u.path));
  const a = estimateBuild(base, rate, jobs);
  const b = estimateBuild(other, rate, jobs);
  return {
    base: a,
    other: b,
    removed: base.filter((u) => !inOther.has(u.path)),
    added: other.filter((u) => !inBase.has(u.path)),
    savedCpuSeconds: a.cpuSeconds - b.cpuSeconds,
    savedWallSeconds: a.wallSeconds - b.wallSeconds,
  };
}

/**
 * Fits a rate to one timed build: keeps the shape of `base` (per-unit vs per-KiB, asm, module, fixed wall)
 * and scales the CPU terms so that estimating `units` at `jobs` gives `seconds` back. Returns undefined when
 * the build is shorter than the fixed wall part (nothing to fit).
 */
export function fitRate(units: readonly CostUnit[], seconds: number, jobs: number, base: CostRate, origin: string): CostRate | undefined {
  const cpu = estimateBuild(units, base, jobs).cpuSeconds;
  const target = (seconds - base.fixedWall) * Math.max(1, jobs);
  if (!(target > 0) || !(cpu > 0)) return undefined;
  const k = target / cpu;
  return {
    cpuPerUnit: base.cpuPerUnit * k,
    cpuPerKiB: base.cpuPerKiB * k,
    asmFactor: base.asmFactor,
    cpuPerModule: base.cpuPerModule * k,
    fixedCpu: base.fixedCpu * k,
    fixedWall: base.fixedWall,
    origin,
  };
}

/** Reads a stored rate (JSON written from a {@link CostRate}); undefined when a field is missing or not a number. */
export function parseCostRate(value: unknown): CostRate | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  const nums = ['cpuPerUnit', 'cpuPerKiB', 'asmFactor', 'cpuPerModule', 'fixedCpu', 'fixedWall'] as const;
  for (const n of nums) if (typeof v[n] !== 'number' || !Number.isFinite(v[n]) || (v[n] as number) < 0) return undefined;
  if (typeof v.origin !== 'string') return undefined;
  return {
    cpuPerUnit: v.cpuPerUnit as number,
    cpuPerKiB: v.cpuPerKiB as number,
    asmFactor: v.asmFactor as number,
    cpuPerModule: v.cpuPerModule as number,
    fixedCpu: v.fixedCpu as number,
    fixedWall: v.fixedWall as number,
    origin: v.origin,
  };
}

/** A duration for people: `0.4 s`, `45 s`, `~9 min`, `1 h 05 min`. */
export function formatDuration(seconds: number): string {
  const s = Math.abs(seconds);
  const sign = seconds < 0 ? '-' : '';
  if (s < 9.95) return `${sign}${s.toFixed(1)} s`;
  if (s < 90) return `${sign}${Math.round(s)} s`;
  const min = Math.round(s / 60);
  if (min < 60) return `${sign}~${min} min`;
  return `${sign}${Math.floor(min / 60)} h ${String(min % 60).padStart(2, '0')} min`;
}
