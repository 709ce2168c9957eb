// Questions over a Kbuild walk: what a configuration builds under a directory, and what builds a file.
import type { KbuildModule, KbuildObject, KbuildResult } from './walk.ts';

/** The objects and modules a configuration builds under one directory (the directory itself included). */
export interface BuiltUnder {
  readonly objects: readonly KbuildObject[];
  readonly modules: readonly KbuildModule[];
  /** Objects whose source is a `.c` file (`.o` paths; generated and assembler objects are in `objects` too). */
  readonly cObjects: number;
}

function under(path: string, dir: string): boolean {
  return dir === '.' || dir === '' || path.startsWith(dir.endsWith('/') ? dir : `${dir}/`);
}

/**
 * Every object and module of the walk under `dir` (tree-relative, `.` for all). Pass `hasSource` to count
 * `.c` units (e.g. `(p) => host.readFile(p) !== undefined`); without it `cObjects` counts all objects.
 */
export function builtUnder(result: KbuildResult, dir: string, hasSource?: (cPath: string) => boolean): BuiltUnder {
  const seen = new Set<string>();
  const objects = result.objects.filter((o) => under(o.path, dir) && !seen.has(o.path) && seen.add(o.path) !== undefined);
  const modules = result.modules.filter((m) => m.kind === 'module' && under(m.path, dir));
  const cObjects = hasSource === undefined ? objects.length : objects.filter((o) => hasSource(`${o.path.slice(0, -2)}.c`)).length;
  return { objects, modules, cObjects };
}

/** The symbols that build one file or module, split by where they come from; every list is an OR of alternatives. */
export interface FileGate {
  /** The object or module path that was found. */
  readonly path: string;
  readonly kind: 'builtin' | 'module' | 'lib';
  /** Symbols on the object's own line (for a composite part, the part's `foo-$(CONFIG_Y)` line). */
  readonly own: readonly string[];
  /** For a part of a composite: the composite's symbols (`obj-$(CONFIG_X) += foo.o`). */
  readonly owner: readonly string[];
  /** Directory gates, innermost first. */
  readonly dirGate: readonly string[];
  /** Directory gates per level, innermost first (several symbols at one level are alternatives). */
  readonly dirGateLevels: readonly (readonly string[])[];
  /** The module (`x.ko` path) or `vmlinux`/`lib.a` it ends up in. */
  readonly linkedInto: string;
}

/** An index over a walk for repeated file → symbol questions. */
export class KbuildIndex {
  private readonly byObject = new Map<string, KbuildObject[]>();
  private readonly byModule = new Map<string, KbuildModule>();

  readonly result: KbuildResult;

  constructor(result: KbuildResult) {
    this.result = result;
    for (const o of result.objects) {
      const list = this.byObject.get(o.path);
      if (list) list.push(o);
      else this.byObject.set(o.path, [o]);
    }
    for (const m of result.modules) if (!this.byModule.has(m.path) || m.kind === 'module') this.byModule.set(m.path, m);
  }

  /**
   * The gates of a source file (`x.c`), object (`x.o`) or module (`x.ko`, as in modules.order without
   * `kernel/`); one entry per module the object is linked into; empty when this walk does not build it.
   */
  gatesOf(path: string): FileGate[] {
    const p = path.replace(/^kernel\//, '');
    if (p.endsWith('.ko')) {
      const m = this.byModule.get(p);
      if (m === undefined) return [];
      const linkedInto = m.kind === 'module' ? m.path : 'vmlinux';
      return [{ path: m.path, kind: m.kind, own: m.syms, owner: [], dirGate: m.dirGate, dirGateLevels: m.dirGateLevels, linkedInto }];
    }
    const obj = p.replace(/\.[cS]$/, '.o');
    return (this.byObject.get(obj) ?? []).map((o) => ({
      path: o.path,
      kind: o.kind,
      own: o.syms,
      owner: o.ownerSyms,
      dirGate: o.dirGate,
      dirGateLevels: o.dirGateLevels,
      linkedInto: o.owner === 'vmlinux' ? 'vmlinux' : o.owner,
    }));
  }

  /** The nearest symbols that build a file: its own line's, else its composite's, else its directory's. */
  symbolsOf(path: string): string[] {
    const out = new Set<string>();
    for (const g of this.gatesOf(path)) {
      const pick = g.own.length > 0 ? g.own : g.owner.length > 0 ? g.owner : g.dirGate.slice(0, 1);
      for (const s of pick) out.add(s);
    }
    return [...out];
  }
}
