/**
 * The on-disk Kconfig model cache (`${KFIT_CACHE}/model-cache/`): a warm `loadKconfigModel` reads the model
 * back from one file instead of parsing the tree and building the model again (~0.6 s on 6.12 x86_64).
 *
 * An entry's file name is a hash of where and how the tree is read (kfit's own build, srctree, ARCH, the
 * build directory, the root Kconfig file, the grammar flavor). Inside, next to the model image
 * (core/kconfig/model-serialize.ts), it records everything the parse saw: every file it read (size, mtime,
 * inode, or missing), every glob and its matches, every environment variable it read, and every `$(shell,…)`
 * command with its answer. An entry is used only when all of them are still the same: files are stat()ed,
 * globs listed again, variables compared with the environment conf would get, and each command asked of the
 * shell-answer cache again (the one command that cache cannot answer runs, and the entry is dropped).
 * Files are written whole under a temporary name and renamed, so two kfit processes never see half an entry;
 * an entry that cannot be read or understood is ignored and rewritten. KFIT_MODEL_CACHE=off turns it off.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, utimesSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as zlib from 'node:zlib';
import type { Diagnostic } from '../core/diag/diagnostic.ts';
import type { KconfigModel } from '../core/kconfig/model.ts';
import { deserializeModel, serializeModel } from '../core/kconfig/model-serialize.ts';
import { writeFileAtomically } from './atomic-file.ts';
import type { SourceHost } from '../core/kconfig/source-host.ts';

/** Where and how a tree is read: what names a cache entry. */
export interface ModelCacheKey {
  readonly srctree: string;
  readonly arch: string;
  /**
   * conf's working directory (the O= directory) when the model can depend on it (an in-tree build, where
   * srctree is relative), else ''. With O= the directory only holds the probes' scratch files: every build
   * directory (tests make a fresh one each run) shares one entry.
   */
  readonly cwd: string;
  readonly rootFile: string;
  readonly flavor: string;
}

/** Everything one parse read from outside: the entry is valid while all of it is unchanged. */
export interface ModelInputs {
  /** Path as the parser asked for it, and its stat signature (`size:mtime:ino`, or `missing`). */
  readonly files: readonly (readonly [string, string])[];
  readonly globs: readonly (readonly [string, readonly string[]])[];
  /** Variable name and value (null when unset). */
  readonly env: readonly (readonly [string, string | null])[];
  /** Command and its answer. */
  readonly shell: readonly (readonly [string, string])[];
}

/** A model read from the cache, or why none was. */
export type CachedModel =
  | { readonly model: KconfigModel; readonly warnings: readonly Diagnostic[] }
  | { readonly model?: undefined; readonly reason: string };

const MAGIC = 0x434d464b; // "KFMC" read as a little-endian u32
const FILE_FORMAT = 2;
const HEADER_BYTES = 24;
/** Entries kept at most; the least recently written go first. */
const MAX_ENTRIES = 24;

/** Files kept beside the entries (results computed from a model or a tree), at most this many of each kind. */
const SIDECARS: readonly string[] = ['.base.json', '.renames.json', '.kconfig-defs.txt'];
const MAX_SIDECARS = 48;

// the entry each model was read from or written to, with its checksum (cachedModelIdentity())
const identities = new WeakMap<KconfigModel, string>();

/**
 * What names a model's content for caches of results computed from it (the entry's name, which covers kfit's
 * build and where the tree is read, and the checksum of its image); undefined for a model the cache did not
 * read or write.
 */
export function cachedModelIdentity(model: KconfigModel): string | undefined {
  return identities.get(model);
}

/** The default model cache directory, or false when KFIT_MODEL_CACHE=off. */
export function defaultModelCacheDir(): string | false {
  const v = process.env.KFIT_MODEL_CACHE;
  if (v === 'off' || v === '0' || v === 'false') return false;
  return join(process.env.KFIT_CACHE || join(homedir(), '.cache', 'kfit'), 'model-cache');
}

// A path the parser asked for, as NodeSourceHost reads it (join() only when it changes something: ~1,600
// paths at every warm load).
function inTree(srctree: string, path: string): string {
  if (path.startsWith('/')) return path;
  return path.includes('./') || path.includes('//') || path.endsWith('.') ? join(srctree, path) : `${srctree}/${path}`;
}

/** The stat signature of a path: size, mtime and inode, or `missing`. */
export function fileSignature(path: string): string {
  const s = statSync(path, { throwIfNoEntry: false });
  return s ? `${s.size}:${s.mtimeMs}:${s.ino}` : 'missing';
}

let identity: string | undefined;

/**
 * kfit's own build identity: the signature of the running bundle, or (running from source, e.g. under tsx)
 * of every source file the model depends on. A rebuilt kfit never reads an older kfit's entries.
 * KFIT_MODEL_CACHE_IDENTITY replaces it (for tests).
 */
export function buildIdentity(): string {
  // tests pin it: running from source, another edit in the tree would change it between two processes
  const pinned = process.env.KFIT_MODEL_CACHE_IDENTITY;
  if (pinned) return pinned;
  if (identity !== undefined) return identity;
  const self = fileURLToPath(import.meta.url);
  const h = createHash('sha256');
  if (!self.endsWith('.ts')) h.update(`${self}\0${fileSignature(self)}`);
  else {
    const src = dirname(dirname(self));
    const files = ['host/kconfig-env.ts', 'host/kconfig-model.ts', 'host/kconfig-source.ts', 'host/model-cache.ts'];
    for (const dir of ['core/kconfig', 'core/diag']) {
      for (const name of readdirSync(join(src, dir)).sort()) if (name.endsWith('.ts') && !name.endsWith('.test.ts')) files.push(`${dir}/${name}`);
    }
    for (const f of files) h.update(`${f}\0${fileSignature(join(src, f))}\0`);
  }
  return (identity = h.digest('hex').slice(0, 32));
}

/** A SourceHost that passes every call to `inner` and records what it read, for the cache entry. */
export class RecordingSourceHost implements SourceHost {
  private readonly inner: SourceHost;
  private readonly srctree: string;
  private readonly files = new Map<string, string>();
  private readonly globs = new Map<string, readonly string[]>();
  private readonly env = new Map<string, string | null>();
  private readonly shell = new Map<string, string>();

  constructor(inner: SourceHost, srctree: string) {
    this.inner = inner;
    this.srctree = srctree;
  }

  readFile(path: string): string | undefined {
    // stat before reading: a file changed during the parse then looks changed at the next validation
    if (!this.files.has(path)) this.files.set(path, fileSignature(inTree(this.srctree, path)));
    return this.inner.readFile(path);
  }

  glob(pattern: string): readonly string[] {
    const out = this.inner.glob(pattern);
    this.globs.set(pattern, out.slice());
    return out;
  }

  getEnv(name: string): string | undefined {
    const v = this.inner.getEnv(name);
    this.env.set(name, v ?? null);
    return v;
  }

  runShell(command: string): string {
    const out = this.inner.runShell(command);
    this.shell.set(command, out);
    return out;
  }

  /** What was read so far. */
  inputs(): ModelInputs {
    return { files: [...this.files], globs: [...this.globs], env: [...this.env], shell: [...this.shell] };
  }
}

function entryPath(dir: string, key: ModelCacheKey): string {
  const h = createHash('sha256').update(JSON.stringify([FILE_FORMAT, buildIdentity(), key.srctree, key.arch, key.cwd, key.rootFile, key.flavor]));
  return join(dir, `${h.digest('hex').slice(0, 40)}.model`);
}

// Catches a damaged file at every read: zlib's CRC-32 (~3 ms for a 6.12 model; Node >= 20.15), else FNV-1a
// over 32-bit words (~10 ms); an entry written under the other one reads as damaged and is rewritten.
function checksum(words: Int32Array): number {
  const crc32 = (zlib as { crc32?: (data: Uint8Array) => number }).crc32;
  if (crc32) return crc32(new Uint8Array(words.buffer, words.byteOffset, words.byteLength)) >>> 0;
  let h = 0x811c9dc5 | 0;
  for (let i = 0; i < words.length; i++) h = Math.imul(h ^ words[i], 0x01000193);
  return h >>> 0;
}

/** Why `inputs` no longer match the tree (undefined when they all do). `host` answers env, globs and probes now. */
export function staleInput(inputs: ModelInputs, srctree: string, host: SourceHost, shellRuns: () => number): string | undefined {
  for (const [name, value] of inputs.env) if ((host.getEnv(name) ?? null) !== value) return `environment variable ${name} changed`;
  for (const [path, sig] of inputs.files) if (fileSignature(inTree(srctree, path)) !== sig) return `${path} changed`;
  for (const [pattern, matches] of inputs.globs) {
    const now = host.glob(pattern);
    if (now.length !== matches.length || now.some((m, i) => m !== matches[i])) return `the files matching ${pattern} changed`;
  }
  const before = shellRuns();
  for (const [command, answer] of inputs.shell) {
    if (host.runShell(command) !== answer) return `$(shell,${command}) answers differently`;
    // a probe the answer cache did not know: the tree's other probes likely are not known either, and a
    // fresh parse runs them in parallel instead of one by one here
    if (shellRuns() !== before) return `$(shell,${command}) was not in the answer cache`;
  }
  return undefined;
}

/**
 * Reads the entry for `key` when it is still valid for the tree as it is now (see the file comment).
 * Never throws: any problem is a miss with its reason.
 */
export function readCachedModel(dir: string, key: ModelCacheKey, host: SourceHost, shellRuns: () => number): CachedModel {
  const file = entryPath(dir, key);
  let buf: Buffer;
  try {
    buf = readFileSync(file);
  } catch {
    return { reason: 'no entry' };
  }
  try {
    if (buf.length < HEADER_BYTES || buf.length % 4 !== 0) return { reason: 'damaged entry' };
    if (buf.byteOffset % 4 !== 0) buf = Buffer.from(buf);
    const u32 = new Uint32Array(buf.buffer, buf.byteOffset, HEADER_BYTES / 4);
    const [magic, format, depsBytes, stringBytes, intCount, sum] = u32;
    const textEnd = HEADER_BYTES + depsBytes + stringBytes;
    const intStart = (textEnd + 3) & ~3;
    if (magic !== MAGIC || format !== FILE_FORMAT || intStart + intCount * 4 !== buf.length) return { reason: 'damaged entry' };
    const payload = new Int32Array(buf.buffer, buf.byteOffset + HEADER_BYTES, (buf.length - HEADER_BYTES) / 4);
    if (checksum(payload) !== sum) return { reason: 'damaged entry' };
    const deps = JSON.parse(buf.toString('utf8', HEADER_BYTES, HEADER_BYTES + depsBytes)) as {
      key: ModelCacheKey;
      inputs: ModelInputs;
      warnings: Diagnostic[];
    };
    if (JSON.stringify(deps.key) !== JSON.stringify(key)) return { reason: 'entry of another tree' };
    const stale = staleInput(deps.inputs, key.srctree, host, shellRuns);
    if (stale) return { reason: stale };
    const region = new Int32Array(buf.buffer, buf.byteOffset + intStart, intCount);
    const strings = stringTable(buf.toString('utf8', HEADER_BYTES + depsBytes, textEnd), region);
    const model = deserializeModel({ strings, ints: region.subarray(2 + strings.length) });
    identities.set(model, `${basename(file)}:${sum}`);
    touch(file);
    return { model, warnings: deps.warnings };
  } catch (e) {
    return { reason: `unreadable entry (${e instanceof Error ? e.message : String(e)})` };
  }
}

// The string table from the entry's text (every string one after the other) and the int region's offsets:
// slices of one text, not ~50,000 strings parsed and copied (the garbage collector moves slices' text never).
function stringTable(text: string, region: Int32Array): string[] {
  const n = region[0];
  if (!(n >= 0 && 2 + n <= region.length && region[1] === 0 && region[1 + n] === text.length)) throw new Error('bad string table');
  const strings: string[] = new Array(n);
  for (let i = 0; i < n; i++) strings[i] = text.slice(region[1 + i], region[2 + i]);
  return strings;
}

/** Writes the entry for `key` (atomically; a cache that cannot be written is no cache, never an error). */
export function writeCachedModel(dir: string, key: ModelCacheKey, inputs: ModelInputs, model: KconfigModel, warnings: readonly Diagnostic[]): boolean {
  try {
    const image = serializeModel(model);
    const deps = Buffer.from(JSON.stringify({ key, inputs, warnings }), 'utf8');
    const strings = Buffer.from(image.strings.join(''), 'utf8');
    const textEnd = HEADER_BYTES + deps.length + strings.length;
    const intStart = (textEnd + 3) & ~3;
    // the int region: the string count, each string's start in the decoded text (and the text's end), the image
    const n = image.strings.length;
    const region = new Int32Array(2 + n + image.ints.length);
    region[0] = n;
    for (let i = 0; i < n; i++) region[2 + i] = region[1 + i] + image.strings[i].length;
    region.set(image.ints, 2 + n);
    const buf = Buffer.alloc(intStart + region.length * 4);
    deps.copy(buf, HEADER_BYTES);
    strings.copy(buf, HEADER_BYTES + deps.length);
    Buffer.from(region.buffer, region.byteOffset, region.byteLength).copy(buf, intStart);
    const payload = new Int32Array(buf.buffer, buf.byteOffset + HEADER_BYTES, (buf.length - HEADER_BYTES) / 4);
    const header = new Uint32Array(buf.buffer, buf.byteOffset, HEADER_BYTES / 4);
    const sum = checksum(payload);
    header.set([MAGIC, FILE_FORMAT, deps.length, strings.length, region.length, sum]);
    mkdirSync(dir, { recursive: true });
    const file = entryPath(dir, key);
    writeFileAtomically(file, buf);
    identities.set(model, `${basename(file)}:${sum}`);
    prune(dir);
    return true;
  } catch {
    return false;
  }
}

/** Writes `text` to `path` in the cache directory `dir`, atomically; a cache that cannot be written is none. */
export function writeCacheText(dir: string, path: string, text: string): void {
  try {
    mkdirSync(dir, { recursive: true });
    writeFileAtomically(path, text);
  } catch {
    // a read-only cache: the value still serves this run
  }
}

/** writeCacheText() of `value` as JSON. */
export function writeCacheJson(dir: string, path: string, value: unknown): void {
  writeCacheText(dir, path, JSON.stringify(value));
}

// A used entry counts as new for prune(): the least recently used go first.
function touch(file: string): void {
  try {
    const now = new Date();
    utimesSync(file, now, now);
  } catch {
    // another process pruned it meanwhile: it is still read
  }
}

// Keeps the newest MAX_ENTRIES entries (each kfit build and tree has its own) and the newest MAX_SIDECARS files
// of each kind in SIDECARS, and drops leftover temporaries.
function prune(dir: string): void {
  const kinds = new Map<string, { path: string; mtime: number }[]>();
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const s = statSync(path, { throwIfNoEntry: false });
    if (!s) continue;
    if (name.endsWith('.tmp') && Date.now() - s.mtimeMs > 600_000) rmSync(path, { force: true });
    const kind = name.endsWith('.model') ? '.model' : SIDECARS.find((k) => name.endsWith(k));
    if (!kind) continue;
    let list = kinds.get(kind);
    if (!list) kinds.set(kind, (list = []));
    list.push({ path, mtime: s.mtimeMs });
  }
  for (const [kind, list] of kinds) {
    list.sort((a, b) => b.mtime - a.mtime);
    for (const e of list.slice(kind === '.model' ? MAX_ENTRIES : MAX_SIDECARS)) rmSync(e.path, { force: true });
  }
}
