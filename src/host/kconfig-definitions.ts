/**
 * Where symbols are defined in a tree's Kconfig files for any architecture (for symbols the checked model lacks),
 * and the rename matcher's answers kept per pair of trees; both kept in the model cache's directory.
 *
 * A definitions scan is a text scan of every `Kconfig*` file for `config NAME` / `menuconfig NAME` lines (no
 * parse, no macros; Documentation/ and tools/ skipped), kept with the stat of every directory walked and every
 * file read: reused while none changed (a file added or removed changes its directory's mtime). Checking that
 * takes ~6,000 stat() calls a tree, so it runs on a worker thread (`kfit nixos check` starts it before its
 * dialogue: prefetchDefinitionScans()), and the main thread reads a kept scan's text only when it needs its index.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { RenameResultStore } from '../core/nixos/other-tree.ts';
import type { RenameResult } from '../core/nixos/renames.ts';
import { buildIdentity, defaultModelCacheDir, fileSignature, writeCacheJson } from './model-cache.ts';

const SCAN_VERSION = 2;

/** A definitions scan: what it read (directories: path, mtime; files: path, size, mtime, inode) and the index. */
export interface DefinitionScan {
  readonly version: typeof SCAN_VERSION;
  readonly srctree: string;
  readonly dirs: [string, number][];
  readonly files: [string, number, number, number][];
  /** Symbol name → the files (relative to srctree) that define it. */
  readonly index: Record<string, string[]>;
}

/** A tree's scan as one check knows it: a stamp naming it, and its text read when first needed. */
interface TreeScan {
  /** The kept file's stat signature: changes whenever the scan is made again. */
  readonly stamp: string;
  readonly scan: () => DefinitionScan;
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
      const scan = JSON.parse(readFileSync(file, 'utf8'));
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
    const worker = new Worker(CHECK_WORKER, { eval: true, workerData: { jobs, verdicts } });
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
  return join(cacheDir, `${createHash('sha256').update(srctree).digest('hex').slice(0, 32)}.v${SCAN_VERSION}.kconfig-defs.json`);
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
    const scan = scanKconfigDefinitions(srctree);
    tree = { stamp: '', scan: () => scan };
  } else {
    const file = keptScanPath(cacheDir, srctree);
    if (!scans.checking.has(key)) prefetchDefinitionScans([srctree], cacheDir, scans);
    const { verdicts, at } = scans.checking.get(key)!;
    let kept: DefinitionScan | undefined;
    const readKept = () => (kept ??= JSON.parse(readFileSync(file, 'utf8')) as DefinitionScan);
    if (verdicts()[1 + at] === 1) tree = { stamp: fileSignature(file), scan: readKept };
    else {
      const scan = scanKconfigDefinitions(srctree);
      writeCacheJson(cacheDir, file, scan);
      const stamp = fileSignature(file);
      // an unwritable cache: a stamp no later check shares
      tree = { stamp: stamp === 'missing' ? `unkept ${process.pid} ${Date.now()}` : stamp, scan: () => scan };
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
  let index: Map<string, string[]> | undefined;
  return (name) => {
    index ??= new Map(Object.entries(treeScan(srctree, cacheDir, scans).scan().index));
    return index.get(name) ?? [];
  };
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

function scanKconfigDefinitions(srctree: string): DefinitionScan {
  const index: Record<string, string[]> = Object.create(null);
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
          const list = (index[m[1]] ??= []);
          if (!list.includes(path)) list.push(path);
        }
      }
    }
  };
  walk('');
  return { version: SCAN_VERSION, srctree, dirs, files, index };
}
