// File access to a kernel source tree for the Kbuild evaluator and the device-table scanner.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { walkKbuild, type KbuildResult } from '../core/kbuild/index.ts';
import type { MakeHost } from '../core/kbuild/make.ts';
import { enumMacros, parseDefine, stripComments, type Macro, type PreprocessHost } from '../core/hardware/c-preprocess.ts';
import { TABLE_RE, type CppConfig } from '../core/hardware/c-source.ts';
import { extractFileAliases, type FileAliases } from '../core/hardware/device-table.ts';

/** A cached, read-only view of a kernel source tree (paths relative to its root). */
export class SourceTree implements MakeHost {
  private readonly files = new Map<string, string | undefined>();
  private readonly dirs = new Map<string, readonly string[] | undefined>();

  readonly root: string;

  constructor(root: string) {
    this.root = root;
  }

  /** Reads a file as Latin-1 (kernel sources are ASCII or UTF-8; no byte is lost); `undefined` when absent. */
  readFile(path: string): string | undefined {
    if (this.files.has(path)) return this.files.get(path);
    let text: string | undefined;
    try {
      text = readFileSync(join(this.root, path), 'latin1');
    } catch {
      text = undefined;
    }
    // .c files are read once or twice by the table scan: keeping 26,000 of them would only feed the GC.
    if (!path.endsWith('.c')) this.files.set(path, text);
    return text;
  }

  /** Names in a directory, or `undefined`. */
  listDir(path: string): readonly string[] | undefined {
    if (this.dirs.has(path)) return this.dirs.get(path);
    let names: string[] | undefined;
    try {
      names = readdirSync(join(this.root, path));
    } catch {
      names = undefined;
    }
    this.dirs.set(path, names);
    return names;
  }

  /** True when `path` is a directory. */
  isDir(path: string): boolean {
    try {
      return statSync(join(this.root, path)).isDirectory();
    } catch {
      return false;
    }
  }
}

// Kernel macros whose real definitions use compiler builtins (sizeof of bit-field structs) that a constant
// evaluator cannot follow; in ID tables they only check arguments and evaluate to 0.
const OVERRIDES = new Map<string, Macro>([
  ['BUILD_BUG_ON_ZERO', parseDefine('BUILD_BUG_ON_ZERO(e) 0')!.macro],
  ['GENMASK_INPUT_CHECK', parseDefine('GENMASK_INPUT_CHECK(h, l) 0')!.macro],
  ['__is_constexpr', parseDefine('__is_constexpr(x) 1')!.macro],
]);

/** A global `#define` index over a tree's shared headers, for the device-table preprocessor. */
export class HeaderMacros {
  private readonly raw = new Map<string, string>();
  private readonly parsed = new Map<string, Macro | undefined>();
  private readonly enums = new Map<string, Macro>();

  /** Indexes every `#define` of `arch/<arch>/include` then `include` (first definition wins). */
  constructor(tree: SourceTree, arch = 'x86') {
    for (const dir of [`arch/${arch}/include`, 'include']) this.scan(tree, dir);
  }

  private scan(tree: SourceTree, dir: string): void {
    for (const name of tree.listDir(dir) ?? []) {
      const path = `${dir}/${name}`;
      if (name.endsWith('.h')) {
        const text = tree.readFile(path);
        if (text === undefined || !text.includes('#define')) continue;
        for (const m of text.replace(/\\\r?\n/g, ' ').matchAll(/^[ \t]*#[ \t]*define[ \t]+([A-Za-z_]\w*)(.*)$/gm)) {
          if (!this.raw.has(m[1]!)) this.raw.set(m[1]!, `${m[1]}${m[2]}`);
        }
        if (text.includes('enum')) for (const [name, macro] of enumMacros(text)) if (!this.enums.has(name)) this.enums.set(name, macro);
      } else if (!name.includes('.') && tree.isDir(path)) {
        this.scan(tree, path);
      }
    }
  }

  /** The macro named `name`, parsed on first use. */
  get(name: string): Macro | undefined {
    if (this.parsed.has(name)) return this.parsed.get(name);
    const text = this.raw.get(name);
    const override = OVERRIDES.get(name);
    const macro = override ?? (text === undefined ? this.enums.get(name) : parseDefine(stripComments(text))?.macro);
    this.parsed.set(name, macro);
    return macro;
  }

  /** Number of indexed names. */
  get size(): number {
    return this.raw.size;
  }
}

/** A source tree with its header macros: what the device-table extractor reads. */
export class TableSource implements PreprocessHost {
  readonly tree: SourceTree;
  readonly macros: HeaderMacros;

  constructor(tree: SourceTree, arch = 'x86') {
    this.tree = tree;
    this.macros = new HeaderMacros(tree, arch);
  }

  readFile(path: string): string | undefined {
    return this.tree.readFile(path);
  }

  globalMacro(name: string): Macro | undefined {
    return this.macros.get(name);
  }

  private readonly tableHeaders = new Map<string, boolean>();

  headerHasTable(path: string): boolean {
    let has = this.tableHeaders.get(path);
    if (has === undefined) {
      const text = this.tree.readFile(path);
      has = text !== undefined && text.includes('_device_id') && TABLE_RE.test(text);
      this.tableHeaders.set(path, has);
    }
    return has;
  }
}

/**
 * Extracts the device tables of every `.c` file the tree can build for the architecture (the optimistic
 * Kbuild walk's objects), reading each file once; files without `MODULE_DEVICE_TABLE`/`MODULE_ALIAS` (in
 * themselves or a local header) are skipped. Unreadable files become problems of their entry.
 */
export function scanTreeTables(source: TableSource, files: readonly string[], config: CppConfig): FileAliases[] {
  const out: FileAliases[] = [];
  const headerHasTable = new Map<string, boolean>();
  // Files that can produce aliases: tables, explicit aliases, and the one alias-writing wrapper kernels
  // use widely (gadget functions' DECLARE_USB_FUNCTION_INIT writes MODULE_ALIAS("usbfunc:…")).
  const mentions = (text: string): boolean => /MODULE_DEVICE_TABLE|MODULE_ALIAS|MODULE_INFO\s*\(\s*alias|DECLARE_USB_FUNCTION_INIT/.test(text);
  for (const file of files) {
    const text = source.readFile(file);
    if (text === undefined) {
      out.push({ file, tables: [], explicit: [], problems: [`${file}: cannot read; its tables are left out`] });
      continue;
    }
    // A table may sit in a local header, or in a header that header includes (i8042.h → i8042-acpipnpio.h).
    const viaHeaders = (from: string, body: string, depth: number): boolean => {
      const dir = from.slice(0, from.lastIndexOf('/'));
      for (const m of body.matchAll(/^\s*#\s*include\s+"([^"]+)"/gm)) {
        const h = `${dir}/${m[1]}`.replace(/[^/]+\/\.\.\//g, '');
        let has = headerHasTable.get(h);
        if (has === undefined) {
          headerHasTable.set(h, false);
          const ht = source.readFile(h);
          has = ht !== undefined && (mentions(ht) || (depth < 3 && viaHeaders(h, ht, depth + 1)));
          headerHasTable.set(h, has);
        }
        if (has) return true;
      }
      return false;
    };
    const relevant = mentions(text) || viaHeaders(file, text, 1);
    if (!relevant) continue;
    try {
      out.push(extractFileAliases(file, source, config));
    } catch (error) {
      out.push({ file, tables: [], explicit: [], problems: [`${file}: table extraction failed: ${(error as Error).message}`] });
    }
  }
  return out;
}

/** Bumped whenever the extractor's output changes, so stale caches are not reused. */
const TABLE_CACHE_VERSION = 10;

/** The device-table scan of a tree plus the Kbuild walk that maps its files to symbols. */
export interface TreeTables {
  readonly files: readonly FileAliases[];
  readonly walk: KbuildResult;
  /** True when the tables came from the cache. */
  readonly cached: boolean;
  readonly millis: number;
}

/**
 * Walks a tree's Kbuild optimistically (every object, with its gate) and extracts the device tables of
 * every `.c` it can build, caching the tables in `${KFIT_CACHE}/hw-tables/` (keyed by the tree's path,
 * its top Makefile's mtime and the config used for `#if`). The first scan of a 6.12 tree takes ~10-40 s.
 */
export function loadTreeTables(src: string, options: { arch?: string; config?: ReadonlyMap<string, string>; cacheDir?: string } = {}): TreeTables {
  const t0 = Date.now();
  const root = resolve(src);
  const tree = new SourceTree(root);
  const arch = options.arch ?? 'x86';
  const walk = walkKbuild(tree, options.config ?? new Map(), { arch, optimistic: true });
  let mtime = 0;
  try {
    mtime = statSync(join(root, 'Makefile')).mtimeMs;
  } catch {
    // no Makefile: the walk already reported it
  }
  const configKey = options.config ? createHash('sha1').update([...options.config].map(([k, v]) => `${k}=${v}`).sort().join('\n')).digest('hex') : 'all';
  const key = createHash('sha1').update(`${TABLE_CACHE_VERSION}\0${root}\0${mtime}\0${arch}\0${configKey}`).digest('hex').slice(0, 16);
  const dir = options.cacheDir ?? join(process.env.KFIT_CACHE ?? join(homedir(), '.cache', 'kfit'), 'hw-tables');
  const file = join(dir, `${key}.json`);
  if (existsSync(file)) {
    try {
      const files = JSON.parse(readFileSync(file, 'utf8')) as FileAliases[];
      return { files, walk, cached: true, millis: Date.now() - t0 };
    } catch {
      // a broken cache file is rebuilt below
    }
  }
  const cFiles = [...new Set(walk.objects.map((o) => o.path.replace(/\.o$/, '.c')))].filter((f) => tree.readFile(f) !== undefined);
  const files = scanTreeTables(new TableSource(tree, arch), cFiles, options.config);
  mkdirSync(dir, { recursive: true });
  writeFileSync(`${file}.tmp`, JSON.stringify(files));
  renameSync(`${file}.tmp`, file);
  return { files, walk, cached: false, millis: Date.now() - t0 };
}
