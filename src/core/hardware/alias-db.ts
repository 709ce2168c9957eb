// The alias database of a module tree (modules.alias, modules.order, modules.builtin, modules.builtin.modinfo)
// and kmod's lookup over it, with a prefix index so a whole machine resolves in milliseconds.
import { diagnostic, type Diagnostic, type Parsed } from '../diag/diagnostic.ts';
import { compileFnmatch, literalPrefix, normalizeAlias, normalizeModuleName } from './fnmatch.ts';

/** The text of the files of one module tree (`/lib/modules/<version>/`); every file is optional. */
export interface ModuleTreeFiles {
  /** `modules.alias` (text written by depmod: `alias <pattern> <module>` lines). */
  readonly alias?: string;
  /** `modules.order` (one `kernel/…/name.ko` path a line, in link order). */
  readonly order?: string;
  /** `modules.builtin` (paths of the modules built into the image). */
  readonly builtin?: string;
  /** `modules.builtin.modinfo` (NUL-separated `module.key=value` records). */
  readonly builtinModinfo?: string;
  /** Names used in diagnostics, e.g. the directory the files came from. */
  readonly origin?: string;
}

/** One `alias` line: the normalised pattern and the module that owns it. */
export interface AliasEntry {
  /** The pattern as written in the file. */
  readonly pattern: string;
  /** The pattern after kmod's `-`→`_` normalisation; this is what is matched. */
  readonly normalized: string;
  /** The (normalised) module name. */
  readonly module: string;
  /** The module's position in `modules.order` (kmod's priority); modules not listed come after all others. */
  readonly priority: number;
  /** True for aliases of built-in modules (from `modules.builtin.modinfo` or a source scan of built-ins). */
  readonly builtin: boolean;
}

/** Where a lookup found its answer, in kmod's order of sources. */
export type LookupSource = 'module-name' | 'alias' | 'builtin-name' | 'builtin-alias' | 'none';

/** The result of resolving one modalias: every module kmod would return, in its order. */
export interface AliasLookup {
  readonly query: string;
  readonly source: LookupSource;
  /** Module names, one per matching pattern, ordered by `modules.order` (duplicates kept, as modprobe prints them). */
  readonly modules: readonly string[];
  /** The matching entries themselves (same order as `modules`). */
  readonly matches: readonly AliasEntry[];
}

interface Bucket<E extends AliasEntry> {
  readonly entries: E[];
  /** Per entry: a compiled RegExp, or the literal pieces between `*`s for star-only patterns. */
  regexes: (RegExp | string[] | undefined)[];
}

/** Matches a pattern whose only wildcard is `*`, given as its literal pieces (fnmatch semantics, no regex). */
function starMatch(parts: readonly string[], text: string): boolean {
  const first = parts[0]!;
  if (parts.length === 1) return text === first;
  if (!text.startsWith(first)) return false;
  const last = parts[parts.length - 1]!;
  if (text.length - last.length < first.length || !text.endsWith(last)) return false;
  let pos = first.length;
  const end = text.length - last.length;
  for (let k = 1; k < parts.length - 1; k++) {
    const piece = parts[k]!;
    if (piece === '') continue;
    const at = text.indexOf(piece, pos);
    if (at < 0 || at + piece.length > end) return false;
    pos = at + piece.length;
  }
  return true;
}

/** A set of alias patterns indexed by their literal prefix (the part before the first `*`, `?`, `[` or `\`). */
export class AliasIndex<E extends AliasEntry = AliasEntry> {
  private readonly buckets = new Map<string, Bucket<E>>();
  private readonly prefixLengths: number[] = [];
  private count = 0;

  /** Adds one entry (its `normalized` pattern decides the bucket). */
  add(entry: E): void {
    const prefix = literalPrefix(entry.normalized);
    let bucket = this.buckets.get(prefix);
    if (bucket === undefined) {
      bucket = { entries: [], regexes: [] };
      this.buckets.set(prefix, bucket);
      if (!this.prefixLengths.includes(prefix.length)) {
        this.prefixLengths.push(prefix.length);
        this.prefixLengths.sort((a, b) => a - b);
      }
    }
    bucket.entries.push(entry);
    bucket.regexes.push(undefined);
    this.count++;
  }

  /** The number of entries. */
  get size(): number {
    return this.count;
  }

  /** Every entry whose pattern matches the normalised string `text`, sorted by priority (stable). */
  match(text: string): E[] {
    const out: E[] = [];
    for (const length of this.prefixLengths) {
      if (length > text.length) break;
      const bucket = this.buckets.get(text.slice(0, length));
      if (bucket === undefined) continue;
      for (let i = 0; i < bucket.entries.length; i++) {
        const entry = bucket.entries[i]!;
        if (entry.normalized.length === length) {
          if (entry.normalized === text) out.push(entry);
          continue;
        }
        let re = bucket.regexes[i];
        if (re === undefined) {
          re = /[?[\\]/.test(entry.normalized) ? compileFnmatch(entry.normalized) : entry.normalized.split('*');
          bucket.regexes[i] = re;
        }
        if (Array.isArray(re) ? starMatch(re, text) : re.test(text)) out.push(entry);
      }
    }
    return out.sort((a, b) => a.priority - b.priority);
  }

  /** Every entry, in insertion order. */
  *entries(): IterableIterator<E> {
    for (const bucket of this.buckets.values()) yield* bucket.entries;
  }
}

/** A module tree's alias database: loadable aliases, built-in aliases, module names and paths. */
export interface AliasDb {
  /** Patterns of loadable modules (`modules.alias`). */
  readonly modules: AliasIndex;
  /** Patterns of built-in modules (`modules.builtin.modinfo`, plus any added from a source scan). */
  readonly builtins: AliasIndex;
  /** Module name → path (`kernel/…/x.ko`) from `modules.order`. */
  readonly modulePaths: ReadonlyMap<string, string>;
  /** Built-in module name → path from `modules.builtin`. */
  readonly builtinPaths: ReadonlyMap<string, string>;
}

function pathsByName(text: string | undefined): Map<string, string> {
  const map = new Map<string, string>();
  if (text === undefined) return map;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '') continue;
    const base = line.slice(line.lastIndexOf('/') + 1);
    const name = normalizeModuleName(base);
    if (!map.has(name)) map.set(name, line);
  }
  return map;
}

/**
 * Reads the files of a module tree into an alias database. Malformed `modules.alias` lines and patterns
 * kmod would refuse become warnings; the rest is kept. Mirrors what depmod puts in modules.alias.bin and
 * modules.builtin.alias.bin (depmod.c, output_aliases_bin / output_builtin_alias_bin).
 */
export function readAliasDb(files: ModuleTreeFiles): Parsed<AliasDb> {
  const diagnostics: Diagnostic[] = [];
  const origin = files.origin ?? 'modules';
  const modulePaths = pathsByName(files.order);
  const builtinPaths = pathsByName(files.builtin);
  const priorityOf = new Map<string, number>();
  let p = 0;
  for (const name of modulePaths.keys()) priorityOf.set(name, p++);
  const unknownPriority = p;

  const modules = new AliasIndex();
  if (files.alias !== undefined) {
    const lines = files.alias.split('\n');
    lines.forEach((raw, i) => {
      const line = raw.trim();
      if (line === '' || line.startsWith('#')) return;
      const parts = line.split(/\s+/);
      const file = `${origin}/modules.alias`;
      if (parts.length !== 3 || parts[0] !== 'alias') {
        diagnostics.push(diagnostic('warning', 'hardware/alias-line', `expected "alias PATTERN MODULE", found "${line.slice(0, 80)}"; line skipped`, { file, line: i + 1, column: 1 }));
        return;
      }
      const normalized = normalizeAlias(parts[1]!);
      if (normalized === undefined) {
        diagnostics.push(diagnostic('warning', 'hardware/alias-pattern', `kmod refuses the pattern "${parts[1]}" (unbalanced brackets); line skipped`, { file, line: i + 1, column: 7 }));
        return;
      }
      const module = normalizeModuleName(parts[2]!);
      modules.add({ pattern: parts[1]!, normalized, module, priority: priorityOf.get(module) ?? unknownPriority, builtin: false });
    });
  }

  const builtins = new AliasIndex();
  if (files.builtinModinfo !== undefined) {
    let order = 0;
    for (const record of files.builtinModinfo.split('\0')) {
      const dot = record.indexOf('.');
      const eq = record.indexOf('=');
      if (dot <= 0 || eq < dot) continue;
      if (record.slice(dot + 1, eq) !== 'alias') continue;
      const pattern = record.slice(eq + 1);
      const normalized = normalizeAlias(pattern);
      if (normalized === undefined) continue;
      builtins.add({ pattern, normalized, module: normalizeModuleName(record.slice(0, dot)), priority: order++, builtin: true });
    }
  }
  return { value: { modules, builtins, modulePaths, builtinPaths }, diagnostics };
}

/**
 * Resolves a modalias (or module name) the way `modprobe --resolve-alias` does with no modprobe.d config:
 * exact loadable module name, then `modules.alias` (all matches, `modules.order` order), then exact built-in
 * name, then built-in aliases — stopping at the first source that yields anything.
 * Mirrors kmod_module_new_from_lookup(), libkmod-module.c (kmod 30).
 */
export function lookupAlias(db: AliasDb, query: string): AliasLookup {
  const text = normalizeAlias(query);
  if (text === undefined) return { query, source: 'none', modules: [], matches: [] };
  const name = normalizeModuleName(query);
  if (name === query.replace(/-/g, '_') && db.modulePaths.has(name)) {
    return { query, source: 'module-name', modules: [name], matches: [] };
  }
  const loadable = db.modules.match(text);
  if (loadable.length > 0) return { query, source: 'alias', modules: loadable.map((e) => e.module), matches: loadable };
  if (name === query.replace(/-/g, '_') && db.builtinPaths.has(name)) {
    return { query, source: 'builtin-name', modules: [name], matches: [] };
  }
  const builtin = db.builtins.match(text);
  if (builtin.length > 0) return { query, source: 'builtin-alias', modules: builtin.map((e) => e.module), matches: builtin };
  return { query, source: 'none', modules: [], matches: [] };
}
