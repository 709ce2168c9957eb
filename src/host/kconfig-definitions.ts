/**
 * Where symbols are defined in a tree's Kconfig files for any architecture (for symbols the checked model lacks),
 * and the rename matcher's answers kept per pair of trees; both kept in the model cache's directory.
 *
 * A definitions scan is a text scan of every `Kconfig*` file for `config NAME` / `menuconfig NAME` lines (no
 * parse, no macros; Documentation/ and tools/ skipped), kept with the stat of every directory walked and every
 * file read: reused while none changed (a file added or removed changes its directory's mtime). Checking that
 * takes ~6,000 stat() calls a tree, so it runs on a worker thread (`kfit nixos check` starts it before its
 * dialogue: prefetchDefinitionScans()). The kept file is one JSON line of what the scan read (all the worker
 * parses), then the index as text, one `NAME<tab>file<tab>file…` line per symbol, searched for the few names a
 * check asks about instead of parsed.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { RenameResultStore } from '../core/nixos/other-tree.ts';
import type { RenameResult } from '../core/nixos/renames.ts';
import { buildIdentity, defaultModelCacheDir, fileSignature, writeCacheJson, writeCacheText } from './model-cache.ts';

const SCAN_VERSION = 3;

/** What a definitions scan read: directories (path, mtime) and files (path, size, mtime, inode). */
interface ScanHeader {
  readonly version: typeof SCAN_VERSION;
  readonly srctree: string;
  readonly dirs: [string, number][];
  readonly files: [string, number, number, number][];
}

/** A tree's scan as one check knows it: a stamp naming it, and where a symbol is defined. */
interface TreeScan {
  /** The kept file's stat signature: changes whenever the scan is made again. */
  readonly stamp: string;
  /** The files (relative to srctree) that define a symbol. */
  readonly find: (name: string) => readonly string[];
}

/** The trees' definitions scans one check has looked at (each tree's are checked once per check). */
export class DefinitionScans {
  readonly trees = new Map<string, TreeScan>();
  /** Kept scans under check on a worker: the check's verdicts and this tree's place in them. */
  readonly checking = new Map<string, { readonly verdicts: () => Int32Array; readonly at: number }>();
}

// Runs as a CommonJS script on a worker (`eval: true`): verdicts[1 + i] becomes 1 when job i's kept scan matches
// its tree, 2 when not (or unreadable); verdicts[0] becomes 1 when all are done.
const CHECK_WORKER = `
const { readFileSync, statSync } = require('node:fs');
const { workerData } = require('node:worker_threads');
const { jobs, verdicts } = workerData;
const stat = (path) => statSync(path, { throwIfNoEntry: false });
try {
  jobs.forEach(({ file, srctree }, i) => {
    let current = false;
    try {
      const text = readFileSync(file, 'utf8');
      const scan = JSON.parse(text.slice(0, text.indexOf('\\n')));
      current = scan.version === ${SCAN_VERSION} && scan.srctree === srctree
        && scan.dirs.every(([rel, mtime]) => stat(rel ? srctree + '/' + rel : srctree)?.mtimeMs === mtime)
        && scan.files.every(([rel, size, mtime, ino]) => {
          const s = stat(srctree + '/' + rel);
          return !!s && s.size === size && s.mtimeMs === mtime && s.ino === ino;
        });
    } catch {}
    verdicts[1 + i] = current ? 1 : 2;
  });
} finally {
  Atomics.store(verdicts, 0, 1);
  Atomics.notify(verdicts, 0);
}
`;

/**
 * Starts checking kept scans against their trees on a worker thread; the function returned waits for the verdicts
 * (1: current, 2: not). A worker that cannot start or does not finish within `timeoutMs` counts as "not current".
 */
function checkKeptScans(jobs: readonly { readonly file: string; readonly srctree: string }[], timeoutMs = 20_000): () => Int32Array {
  const verdicts = new Int32Array(new SharedArrayBuffer(4 * (1 + jobs.length)));
  let started = true;
  try {
    // a plain script: no loader hooks of the parent (tsx under the tests) to start in the worker
    const worker = new Worker(CHECK_WORKER, { eval: true, workerData: { jobs, verdicts }, execArgv: [] });
    worker.on('error', () => undefined); // shows as a verdict of 0, read as "not current"
    worker.unref();
  } catch {
    started = false;
  }
  return () => {
    if (started && Atomics.load(verdicts, 0) === 0) Atomics.wait(verdicts, 0, 0, timeoutMs);
    return verdicts;
  };
}

function keptScanPath(cacheDir: string, srctree: string): string {
  // the format in the name: kfit builds of other formats sharing the cache keep their own files
  return join(cacheDir, `${createHash('sha256').update(srctree).digest('hex').slice(0, 32)}.v${SCAN_VERSION}.kconfig-defs.txt`);
}

/**
 * Starts checking the kept definitions scans of `srctrees` on a worker thread, for this check's later
 * kconfigDefinitionFinder() and renameResultStore() calls with the same `scans` to collect.
 */
export function prefetchDefinitionScans(srctrees: readonly string[], cacheDir: string | false, scans: DefinitionScans): void {
  if (!cacheDir) return;
  const jobs = srctrees
    .filter((srctree) => !scans.trees.has(`${cacheDir}\0${srctree}`) && !scans.checking.has(`${cacheDir}\0${srctree}`))
    .map((srctree) => ({ file: keptScanPath(cacheDir, srctree), srctree }));
  if (jobs.length === 0) return;
  const verdicts = checkKeptScans(jobs);
  jobs.forEach((job, at) => scans.checking.set(`${cacheDir}\0${job.srctree}`, { verdicts, at }));
}

// The scan of `srctree` for this check: the kept one when it is current, else made now (and kept).
function treeScan(srctree: string, cacheDir: string | false, scans: DefinitionScans): TreeScan {
  const key = `${cacheDir}\0${srctree}`;
  const known = scans.trees.get(key);
  if (known) return known;
  let tree: TreeScan;
  if (!cacheDir) {
    const text = scanKconfigDefinitions(srctree);
    tree = { stamp: '', find: (name) => findIn(text, name) };
  } else {
    const file = keptScanPath(cacheDir, srctree);
    if (!scans.checking.has(key)) prefetchDefinitionScans([srctree], cacheDir, scans);
    const { verdicts, at } = scans.checking.get(key)!;
    if (verdicts()[1 + at] === 1) {
      let text: string | undefined;
      tree = { stamp: fileSignature(file), find: (name) => findIn((text ??= readFileSync(file, 'utf8')), name) };
    } else {
      const text = scanKconfigDefinitions(srctree);
      writeCacheText(cacheDir, file, text);
      const stamp = fileSignature(file);
      // an unwritable cache: a stamp no later check shares
      tree = { stamp: stamp === 'missing' ? `unkept ${process.pid} ${Date.now()}` : stamp, find: (name) => findIn(text, name) };
    }
  }
  scans.trees.set(key, tree);
  return tree;
}

/**
 * Which files of `srctree` define a symbol (any architecture), from the tree's definitions scan, made or checked
 * on the first call (kept in `cacheDir` unless false).
 */
export function kconfigDefinitionFinder(srctree: string, cacheDir: string | false = defaultModelCacheDir(), scans: DefinitionScans = new DefinitionScans()): (name: string) => readonly string[] {
  return (name) => treeScan(srctree, cacheDir, scans).find(name);
}

// the files of `name`'s index line in a scan's text (see the file comment)
function findIn(text: string, name: string): readonly string[] {
  const at = text.indexOf(`\n${name}\t`);
  if (at < 0) return [];
  const end = text.indexOf('\n', at + 1);
  return text.slice(at + name.length + 2, end < 0 ? text.length : end).split('\t');
}

/**
 * The rename matcher's answers (RenameMatcher.find()) from tree `from` into `to` for one architecture, kept in
 * the model cache's directory (undefined when KFIT_MODEL_CACHE=off), so a later check with the same absent names
 * reads neither the other tree's model nor builds a matcher. Keyed by kfit's build, the architecture, both trees'
 * paths and their definitions scans (made again whenever a directory or Kconfig file of the tree changed): what
 * the matcher reads (prompts, help texts, dependencies' names, places) comes from those files.
 */
export function renameResultStore(from: string, to: string, arch: string, cacheDir: string | false = defaultModelCacheDir(), scans: DefinitionScans = new DefinitionScans()): RenameResultStore | undefined {
  if (!cacheDir) return undefined;
  const stamp = (srctree: string) => treeScan(srctree, cacheDir, scans).stamp;
  const key = createHash('sha256').update(JSON.stringify([buildIdentity(), arch, from, to, stamp(from), stamp(to)])).digest('hex').slice(0, 32);
  const path = join(cacheDir, `${key}.renames.json`);
  let results: Record<string, RenameResult | null> = Object.create(null);
  try {
    results = Object.assign(Object.create(null), JSON.parse(readFileSync(path, 'utf8')));
  } catch {
    // nothing kept yet
  }
  return {
    get: (name) => results[name],
    set: (name, result) => {
      results[name] = result;
      writeCacheJson(cacheDir, path, results);
    },
  };
}

// the scan's text: the header as one JSON line, then the index (see the file comment)
function scanKconfigDefinitions(srctree: string): string {
  const index = new Map<string, string[]>();
  const dirs: [string, number][] = [];
  const files: [string, number, number, number][] = [];
  const walk = (rel: string) => {
    let entries;
    const dir = join(srctree, rel);
    try {
      dirs.push([rel, statSync(dir).mtimeMs]);
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const path = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (!e.name.startsWith('.') && path !== 'Documentation' && path !== 'tools') walk(path);
      } else if (e.isFile() && e.name.startsWith('Kconfig')) {
        const file = join(srctree, path);
        const st = statSync(file);
        files.push([path, st.size, st.mtimeMs, st.ino]);
        const text = readFileSync(file, 'utf8');
        for (const m of text.matchAll(/^[ \t]*(?:menu)?config[ \t]+([A-Za-z0-9_]+)[ \t]*(?:#.*)?$/gm)) {
          let list = index.get(m[1]);
          if (!list) index.set(m[1], (list = []));
          if (!list.includes(path)) list.push(path);
        }
      }
    }
  };
  walk('');
  const header: ScanHeader = { version: SCAN_VERSION, srctree, dirs, files };
  let text = JSON.stringify(header);
  for (const [name, list] of index) text += `\n${name}\t${list.join('\t')}`;
  return `${text}\n`;
}
