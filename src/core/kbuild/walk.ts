// The Kbuild directory walk: which objects and modules a configuration builds, and which CONFIG_ symbols
// gate each of them. Mirrors scripts/Makefile.build + scripts/Makefile.lib (object lists, composites,
// subdirectories, need-builtin) and the top Makefile + arch Makefile (ARCH_CORE/ARCH_LIB/ARCH_DRIVERS).
import { autoConfValues } from './config-values.ts';
import { joinPath, MakeEvaluator, type MakeHost, type MakeProblem, type WordProvenance } from './make.ts';

/** How one object gets into the build. */
export type ObjectKind = 'builtin' | 'module' | 'lib';

/** One compiled object (`drivers/tty/serial/8250/8250_pnp.o`) and what gates it. */
export interface KbuildObject {
  /** Object path relative to the tree root. */
  readonly path: string;
  readonly kind: ObjectKind;
  /** The module it links into (`drivers/tty/serial/8250/8250.ko`), `vmlinux` or `lib.a`. */
  readonly owner: string;
  /** Symbols on the object's own line(s) (alternatives, any of them builds it); empty when unconditional. */
  readonly syms: readonly string[];
  /** For a part of a composite object: the symbols of the composite itself. */
  readonly ownerSyms: readonly string[];
  /** The directory's gate: symbols on the lines that descend into it, innermost first. */
  readonly dirGate: readonly string[];
  /** The same per directory level, innermost first; a level with several symbols is an OR of alternatives. */
  readonly dirGateLevels: readonly (readonly string[])[];
}

/** One module (`.ko`) the configuration builds, or a composite/simple object linked into vmlinux. */
export interface KbuildModule {
  /** `drivers/net/e1000/e1000.ko` (for built-ins the same name, as in `modules.builtin`). */
  readonly path: string;
  /** The module name (basename, `-` → `_`). */
  readonly name: string;
  readonly kind: 'module' | 'builtin';
  readonly syms: readonly string[];
  readonly dirGate: readonly string[];
  readonly dirGateLevels: readonly (readonly string[])[];
  /** The objects linked into it. */
  readonly parts: readonly string[];
}

/** One visited directory. */
export interface KbuildDir {
  readonly path: string;
  readonly needBuiltin: boolean;
  readonly gate: readonly string[];
  readonly gateLevels: readonly (readonly string[])[];
}

/** The result of walking a tree for one configuration. */
export interface KbuildResult {
  readonly dirs: readonly KbuildDir[];
  readonly objects: readonly KbuildObject[];
  readonly modules: readonly KbuildModule[];
  readonly problems: readonly MakeProblem[];
}

/** Options of {@link walkKbuild}. */
export interface KbuildOptions {
  /** Source architecture (`SRCARCH`), default `x86`. */
  readonly arch?: string;
  /** Treat unset symbols on `obj-$(CONFIG_X)` lines as `y`, to map every object of the tree to its gate. */
  readonly optimistic?: boolean;
}

function symsOf(prov: WordProvenance, word: string): string[] {
  const set = prov.get(word);
  if (set === undefined || set.has('')) return [];
  return [...set].sort();
}

function mergeProv(a: WordProvenance, b: WordProvenance): WordProvenance {
  const out: WordProvenance = new Map(a);
  for (const [w, s] of b) out.set(w, new Set([...(out.get(w) ?? []), ...s]));
  return out;
}

function newEvaluator(host: MakeHost, config: ReadonlyMap<string, string>, options: KbuildOptions, dir: string): MakeEvaluator {
  const ev = new MakeEvaluator(host, config, options.optimistic ?? false);
  const arch = options.arch ?? 'x86';
  ev.define('srctree', '.');
  ev.define('objtree', '.');
  ev.define('src', dir);
  ev.define('obj', dir);
  ev.define('SRCARCH', arch);
  ev.define('ARCH', arch === 'x86' ? 'x86_64' : arch);
  ev.define('BITS', '64');
  ev.define('CC', 'gcc');
  return ev;
}

/** The arch Makefile's directory lists (core-y, libs-y, drivers-y) with their gates. Mirrors the top Makefile. */
function archLists(host: MakeHost, config: ReadonlyMap<string, string>, options: KbuildOptions): { core: WordProvenance; lib: WordProvenance; drivers: WordProvenance; problems: MakeProblem[] } {
  const arch = options.arch ?? 'x86';
  const ev = newEvaluator(host, config, options, '.');
  ev.evaluateText('core-y :=\ndrivers-y :=\nlibs-y := lib/\n', 'Makefile');
  ev.include(`arch/${arch}/Makefile`);
  const core = ev.provenance('core-y');
  const libAll = ev.provenance('libs-y');
  const lib: WordProvenance = new Map([...libAll].filter(([w]) => w.endsWith('/')));
  const drivers = mergeProv(ev.provenance('drivers-y'), ev.provenance('drivers-m'));
  return { core, lib, drivers, problems: ev.problems };
}

function provToText(prov: WordProvenance): string {
  return [...prov.keys()].join(' ');
}

/**
 * Walks the Kbuild tree from the root `Kbuild` for one configuration (`dotConfig`: symbol name without
 * `CONFIG_` → value as the .config writes it, `y`/`m`/`n`/number/quoted string; make sees autoConfValues()
 * of it) and returns every object and module it builds with their gates.
 * Mirrors Makefile.build's descent (`subdir-ym`, `need-builtin`) and Makefile.lib's list arithmetic.
 */
export function walkKbuild(host: MakeHost, dotConfig: ReadonlyMap<string, string>, options: KbuildOptions = {}): KbuildResult {
  const config = autoConfValues(dotConfig);
  const dirs: KbuildDir[] = [];
  const objects: KbuildObject[] = [];
  const modules: KbuildModule[] = [];
  const { core, lib, drivers, problems: archProblems } = archLists(host, config, options);
  const problems: MakeProblem[] = [...archProblems];
  const seen = new Set<string>();
  const queue: { dir: string; needBuiltin: boolean; gateLevels: string[][] }[] = [{ dir: '.', needBuiltin: true, gateLevels: [] }];
  while (queue.length > 0) {
    const { dir, needBuiltin, gateLevels } = queue.shift()!;
    const gate = gateLevels.flat();
    if (seen.has(dir)) continue;
    seen.add(dir);
    const ev = newEvaluator(host, config, options, dir);
    if (dir === '.') {
      ev.define('ARCH_CORE', provToText(core), core);
      ev.define('ARCH_LIB', provToText(lib), lib);
      ev.define('ARCH_DRIVERS', provToText(drivers), drivers);
    }
    const kbuildFile = host.readFile(joinPath(dir, 'Kbuild')) !== undefined ? joinPath(dir, 'Kbuild') : joinPath(dir, 'Makefile');
    if (!ev.include(kbuildFile)) {
      problems.push({ file: kbuildFile, line: 1, message: 'directory has no Kbuild or Makefile; skipped' });
      continue;
    }
    problems.push(...ev.problems);
    dirs.push({ path: dir, needBuiltin, gate, gateLevels });
    const objY = ev.provenance('obj-y');
    const objMAll = ev.provenance('obj-m');
    const libY = mergeProv(ev.provenance('lib-y'), ev.provenance('lib-m'));
    // obj-m := $(filter-out $(obj-y),$(obj-m)): an object in both is built in.
    const objM: WordProvenance = new Map([...objMAll].filter(([w]) => !objY.has(w)));
    const subdirs = new Map<string, { needBuiltin: boolean; syms: string[] }>();
    const addSubdir = (word: string, builtin: boolean, syms: string[]): void => {
      const path = joinPath(dir, word.replace(/\/$/, ''));
      const prev = subdirs.get(path);
      subdirs.set(path, { needBuiltin: (prev?.needBuiltin ?? false) || builtin, syms: prev ? [...new Set([...prev.syms, ...syms])] : syms });
    };
    for (const w of objY.keys()) if (w.endsWith('/')) addSubdir(w, true, symsOf(objY, w));
    for (const w of objM.keys()) if (w.endsWith('/')) addSubdir(w, false, symsOf(objM, w));
    for (const list of ['subdir-y', 'subdir-m']) {
      const p = ev.provenance(list);
      for (const w of p.keys()) addSubdir(`${w}/`, false, symsOf(p, w));
    }
    const emit = (word: string, prov: WordProvenance, kind: ObjectKind): void => {
      if (!word.endsWith('.o')) return;
      const base = word.slice(0, -2);
      const syms = symsOf(prov, word);
      const suffixes = kind === 'module' ? ['-objs', '-y', '-m'] : ['-objs', '-y'];
      const partsProv = new Map<string, Set<string>>();
      for (const s of suffixes) for (const [w, set] of ev.provenance(`${base}${s}`)) partsProv.set(w, new Set([...(partsProv.get(w) ?? []), ...set]));
      const composite = partsProv.size > 0;
      const owner = kind === 'lib' ? 'lib.a' : kind === 'module' ? joinPath(dir, `${base}.ko`) : 'vmlinux';
      const parts: string[] = [];
      if (composite) {
        for (const p of partsProv.keys()) {
          if (!p.endsWith('.o')) continue;
          const path = joinPath(dir, p);
          parts.push(path);
          if (kind !== 'builtin' || needBuiltin) objects.push({ path, kind, owner, syms: symsOf(partsProv, p), ownerSyms: syms, dirGate: gate, dirGateLevels: gateLevels });
        }
      } else {
        const path = joinPath(dir, word);
        parts.push(path);
        if (kind !== 'builtin' || needBuiltin) objects.push({ path, kind, owner, syms, ownerSyms: [], dirGate: gate, dirGateLevels: gateLevels });
      }
      if (kind !== 'lib' && (kind === 'module' || needBuiltin)) {
        const path = joinPath(dir, `${base}.ko`);
        modules.push({ path, name: path.slice(path.lastIndexOf('/') + 1, -3).replace(/-/g, '_'), kind: kind === 'module' ? 'module' : 'builtin', syms, dirGate: gate, dirGateLevels: gateLevels, parts });
      }
    };
    for (const w of objY.keys()) emit(w, objY, 'builtin');
    for (const w of objM.keys()) emit(w, objM, 'module');
    if (needBuiltin) for (const w of libY.keys()) if (!objY.has(w)) emit(w, libY, 'lib');
    for (const [path, { needBuiltin: nb, syms }] of [...subdirs].sort(([a], [b]) => (a < b ? -1 : 1))) {
      queue.push({ dir: path, needBuiltin: nb, gateLevels: syms.length > 0 ? [syms, ...gateLevels] : gateLevels });
    }
  }
  return { dirs, objects, modules, problems };
}
