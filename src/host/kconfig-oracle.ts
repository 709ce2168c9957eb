// The kernel's own `conf` as an oracle: built out of tree from an installed Debian kernel tree and run through
// the real `make` (what users run), in a fixed environment, with its outputs cached under
// ${KFIT_CACHE}/oracle/ keyed by tree + arch + target + inputs + toolchain identity. Never copies kernel code.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { homedir } from 'node:os';
import { gunzipSync, gzipSync } from 'node:zlib';
import { delimiter, join } from 'node:path';
import { InputError, InternalError } from '../core/diag/errors.ts';

/** The make targets the oracle runs (each through `make O=… ARCH=… <target>`). */
export const ORACLE_TARGETS = [
  'allnoconfig',
  'allyesconfig',
  'allmodconfig',
  'alldefconfig',
  'defconfig',
  'tinyconfig',
  'olddefconfig',
  'savedefconfig',
  'randconfig',
  'listnewconfig',
] as const;

/** One of ORACLE_TARGETS. */
export type OracleTarget = (typeof ORACLE_TARGETS)[number];

/** Targets that read an input .config (copied to `O/.config` before make runs). */
export const TARGETS_WITH_INPUT: ReadonlySet<OracleTarget> = new Set(['olddefconfig', 'savedefconfig', 'listnewconfig']);

/** One oracle run: which tree, which architecture, which target, and its inputs. */
export interface OracleRequest {
  /** Tree version as installed by setup.sh: "6.12" → ${KFIT_CACHE}/linux-6.12. */
  version: string;
  /** make's ARCH (x86_64, i386, arm64, arm, riscv, powerpc, s390, mips, …). */
  arch: string;
  target: OracleTarget;
  /** The input .config text for olddefconfig, savedefconfig and listnewconfig. */
  input?: string;
  /** KCONFIG_SEED for randconfig (decimal; conf also accepts 0x… and octal). */
  seed?: number;
  /** KCONFIG_PROBABILITY for randconfig, as conf reads it ("50", "20:30", "10:20:30"). */
  probability?: string;
}

/** What one oracle run produced. */
export interface OracleOutput {
  /** `O/.config` after the run (for savedefconfig and listnewconfig: the input, unchanged). */
  config: string | undefined;
  /** `O/defconfig`, written by savedefconfig. */
  defconfig?: string;
  /** make -s's stdout (listnewconfig's list; randconfig's `KCONFIG_SEED=0x…`). */
  stdout: string;
  stderr: string;
  status: number;
  /** Whether this came from the cache rather than a make run. */
  cached: boolean;
  /** Wall time of the make run that produced it, in seconds. */
  seconds: number;
}

/** Where the oracle keeps its build folders and cached results. */
export interface OracleOptions {
  /** ${KFIT_CACHE} (default ~/.cache/kfit); trees are `linux-<version>` inside it. */
  cache?: string;
  /** Run make even when a cached result exists (the result is stored again). */
  refresh?: boolean;
}

const FORMAT = 2; // bump when the cached result's meaning changes

/** The folder that caches Kconfig trees and oracle results: $KFIT_CACHE or ~/.cache/kfit. */
export function kfitCache(options: OracleOptions = {}): string {
  return options.cache ?? process.env.KFIT_CACHE ?? join(homedir(), '.cache', 'kfit');
}

/** The unpacked kernel tree of `version` (throws InputError with the fix when it is missing). */
export function kernelTree(version: string, options: OracleOptions = {}): string {
  const dir = join(kfitCache(options), `linux-${version}`);
  if (!existsSync(join(dir, 'scripts', 'kconfig', 'conf.c'))) {
    throw new InputError('oracle-no-tree', `kfit: no kernel tree at ${dir}: run ./setup.sh to unpack Debian's linux-source-${version}`);
  }
  return dir;
}

/** PATH without the folders that hold rustc or bindgen (as test/run.mjs makes it: Kconfig probes for Rust). */
export function pathWithoutRust(path: string = process.env.PATH ?? ''): string {
  return path
    .split(delimiter)
    .filter((dir) => dir && !existsSync(join(dir, 'rustc')) && !existsSync(join(dir, 'bindgen')))
    .join(delimiter);
}

/**
 * The fixed environment make runs in: PATH without Rust, HOME, LC_ALL=C, and nothing else from the caller
 * (no KCONFIG_*, CC, ARCH, MAKEFLAGS… leaking in). `extra` adds variables such as KCONFIG_SEED.
 */
export function oracleEnvironment(extra: Record<string, string> = {}): Record<string, string> {
  return { PATH: pathWithoutRust(), HOME: homedir(), LC_ALL: 'C', ...extra };
}

let toolchainMemo: { text: string; hash: string } | undefined;

/**
 * What the Kconfig probes can see of the host toolchain, and its hash: gcc/ld/as/pahole/make versions, the gcc
 * plugin folder's listing, and which optional tools are on the PATH. A change invalidates cached results.
 */
export function toolchainIdentity(): { text: string; hash: string } {
  if (toolchainMemo) return toolchainMemo;
  const env = oracleEnvironment();
  const run = (cmd: string, args: string[]): string => {
    const r = spawnSync(cmd, args, { env, encoding: 'utf8' });
    return r.error ? `${cmd}: absent` : `${cmd} ${args.join(' ')}: ${r.status} ${r.stdout.split('\n')[0]} ${r.stderr.split('\n')[0]}`;
  };
  const lines = [
    run('gcc', ['--version']),
    run('ld', ['--version']),
    run('as', ['--version']),
    run('pahole', ['--version']),
    run('make', ['--version']),
  ];
  const plugin = spawnSync('gcc', ['-print-file-name=plugin'], { env, encoding: 'utf8' }).stdout?.trim() ?? '';
  lines.push(`gcc plugin dir ${plugin}: ${existsSync(plugin) ? readdirSync(plugin).sort().join(',') : 'absent'}`);
  for (const tool of ['rustc', 'bindgen', 'clang', 'ld.lld', 'python3', 'perl']) {
    const found = env.PATH.split(delimiter).some((dir) => existsSync(join(dir, tool)));
    lines.push(`${tool}: ${found ? 'on PATH' : 'absent'}`);
  }
  const text = lines.join('\n');
  toolchainMemo = { text, hash: createHash('sha256').update(text).digest('hex').slice(0, 16) };
  return toolchainMemo;
}

function treeIdentity(tree: string): string {
  const stamp = join(tree, '.kfit-unpacked');
  const makefile = readFileSync(join(tree, 'Makefile'), 'utf8').split('\n').slice(0, 8).join('\n');
  return `${existsSync(stamp) ? readFileSync(stamp, 'utf8').trim() : 'no-stamp'}\n${makefile}`;
}

/** The cache key of a request: tree, arch, target, seed, probability, input hash and toolchain identity. */
export function oracleKey(request: OracleRequest, options: OracleOptions = {}): string {
  const tree = kernelTree(request.version, options);
  const parts = {
    format: FORMAT,
    tree: treeIdentity(tree),
    arch: request.arch,
    target: request.target,
    seed: request.seed ?? null,
    probability: request.probability ?? null,
    input: request.input === undefined ? null : createHash('sha256').update(request.input).digest('hex'),
    toolchain: toolchainIdentity().hash,
  };
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 24);
}

/** The out-of-tree build folder make uses for `version` + `arch` (conf is built there on first use). */
export function buildDir(version: string, arch: string, options: OracleOptions = {}): string {
  return join(kfitCache(options), 'oracle', `${version}-${arch}`);
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Runs `body` holding a lock on `dir` (a `dir.lock` folder with our pid), so processes never share an O= tree. */
function withLock<T>(dir: string, body: () => T): T {
  const lock = `${dir}.lock`;
  mkdirSync(join(dir, '..'), { recursive: true });
  for (let attempt = 0; ; attempt++) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, 'pid'), String(process.pid));
      break;
    } catch {
      let owner = 0;
      try {
        owner = Number(readFileSync(join(lock, 'pid'), 'utf8'));
      } catch {
        // the owner is between mkdir and writing its pid
      }
      if (owner && !pidAlive(owner)) rmSync(lock, { recursive: true, force: true });
      else if (attempt > 6000) throw new InternalError(`oracle: ${lock} held for 10 minutes by pid ${owner}`);
      else sleep(100);
    }
  }
  try {
    return body();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

function readIfExists(path: string): string | undefined {
  return existsSync(path) ? readFileSync(path, 'utf8') : undefined;
}

/** The make command line for a request: `make -s -C TREE O=DIR ARCH=ARCH TARGET`. */
export function makeArguments(request: OracleRequest, options: OracleOptions = {}): string[] {
  const tree = kernelTree(request.version, options);
  return ['-s', '-C', tree, `O=${buildDir(request.version, request.arch, options)}`, `ARCH=${request.arch}`, request.target];
}

function runMake(request: OracleRequest, options: OracleOptions): OracleOutput {
  const dir = buildDir(request.version, request.arch, options);
  return withLock(dir, () => {
    mkdirSync(dir, { recursive: true });
    for (const f of ['.config', '.config.old', 'defconfig']) rmSync(join(dir, f), { force: true });
    if (request.input !== undefined) writeFileSync(join(dir, '.config'), request.input);
    else if (TARGETS_WITH_INPUT.has(request.target)) {
      throw new InputError('oracle-no-input', `kfit: oracle target ${request.target} needs an input .config`);
    }
    const extra: Record<string, string> = {};
    if (request.seed !== undefined) extra.KCONFIG_SEED = String(request.seed);
    if (request.probability !== undefined) extra.KCONFIG_PROBABILITY = request.probability;
    const started = performance.now();
    const r = spawnSync('make', makeArguments(request, options), {
      cwd: dir,
      env: oracleEnvironment(extra),
      encoding: 'utf8',
      maxBuffer: 256 << 20,
    });
    const seconds = (performance.now() - started) / 1000;
    if (r.error) throw new InternalError(`oracle: cannot run make: ${r.error.message}`);
    return {
      config: readIfExists(join(dir, '.config')),
      defconfig: request.target === 'savedefconfig' ? readIfExists(join(dir, 'defconfig')) : undefined,
      stdout: r.stdout,
      stderr: r.stderr,
      status: r.status ?? 1,
      cached: false,
      seconds,
    };
  });
}

/**
 * Runs the kernel's conf through make for `request`, or returns the cached result of an identical earlier
 * run (same tree, arch, target, inputs and toolchain). A failed make run is returned (status ≠ 0), not cached.
 */
export function runOracle(request: OracleRequest, options: OracleOptions = {}): OracleOutput {
  const key = oracleKey(request, options);
  const file = join(kfitCache(options), 'oracle', 'results', `${request.version}-${request.arch}`, `${request.target}-${key}.json.gz`);
  if (!options.refresh && existsSync(file)) {
    try {
      return { ...(JSON.parse(gunzipSync(readFileSync(file)).toString('utf8')) as OracleOutput), cached: true };
    } catch {
      // a torn write: run again
    }
  }
  const out = runMake(request, options);
  if (out.status === 0) {
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(`${file}.${process.pid}`, gzipSync(JSON.stringify(out)));
    renameSync(`${file}.${process.pid}`, file);
  }
  return out;
}

/**
 * The environment make gives conf for `version` + `arch`: the variables the Kconfig files read (ARCH, SRCARCH,
 * KERNELVERSION, srctree, CC, CC_VERSION_TEXT, PAHOLE, …) with make's values, as conf records them in
 * `include/config/auto.conf.cmd` after `make syncconfig`, plus the fixed oracle environment. Used to run conf
 * directly (the benchmark) and to check that kfit computes the same environment.
 */
export function confEnvironment(version: string, arch: string, options: OracleOptions = {}): Record<string, string> {
  // Keyed by the environment too: auto.conf.cmd records PATH, which differs between checkouts (npm puts the
  // checkout's node_modules/.bin first), so a record made from another clone must not answer for this one.
  const envHash = createHash('sha256').update(JSON.stringify(oracleEnvironment())).digest('hex').slice(0, 16);
  const file = join(kfitCache(options), 'oracle', 'results', `${version}-${arch}`, `conf-env-${toolchainIdentity().hash}-${envHash}.json`);
  if (!options.refresh && existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
  const dir = buildDir(version, arch, options);
  const vars = withLock(dir, () => {
    const tree = kernelTree(version, options);
    mkdirSync(dir, { recursive: true });
    const env = oracleEnvironment();
    const make = (target: string): void => {
      const r = spawnSync('make', ['-s', '-C', tree, `O=${dir}`, `ARCH=${arch}`, target], { cwd: dir, env, encoding: 'utf8' });
      if (r.status !== 0) throw new InternalError(`oracle: make ${target} failed for ${version} ${arch}:\n${r.stderr}`);
    };
    make('allnoconfig');
    make('syncconfig');
    return parseAutoConfCmd(readFileSync(join(dir, 'include', 'config', 'auto.conf.cmd'), 'utf8'));
  });
  const result = { ...oracleEnvironment(), ...vars };
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, JSON.stringify(result));
  return result;
}

/** Reads the `ifneq "$(NAME)" "VALUE"` lines of conf's auto.conf.cmd: the environment Kconfig depended on. */
export function parseAutoConfCmd(text: string): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const m of text.matchAll(/^ifneq "\$\(([A-Za-z0-9_]+)\)" "(.*)"$/gm)) vars[m[1]] = m[2];
  return vars;
}

/** conf's own command line for a make target (cwd = the build folder), as scripts/kconfig/Makefile writes it. */
export function confArguments(target: Exclude<OracleTarget, 'tinyconfig' | 'defconfig'>): string[] {
  if (target === 'savedefconfig') return ['--savedefconfig=defconfig', 'Kconfig'];
  return [`--${target}`, 'Kconfig'];
}

/**
 * Runs `body` while holding the lock of the build folder of `version` + `arch` (the benchmark runs conf and
 * make there itself). Gotcha: do not call runOracle()/runConfDirect() for the same folder inside `body`.
 */
export function withBuildDirLock<T>(version: string, arch: string, body: (dir: string) => T, options: OracleOptions = {}): T {
  const dir = buildDir(version, arch, options);
  return withLock(dir, () => body(dir));
}

/** Path of the conf binary make built in the build folder of `version` + `arch`. */
export function confBinary(version: string, arch: string, options: OracleOptions = {}): string {
  return join(buildDir(version, arch, options), 'scripts', 'kconfig', 'conf');
}

/** One direct conf run (no make): arguments, optional input .config and extra environment. */
export interface ConfRun {
  version: string;
  arch: string;
  /** conf's arguments, e.g. confArguments('olddefconfig'). */
  args: string[];
  /** Written to `O/.config` first; without it `O/.config` is removed. */
  input?: string;
  /** Added to confEnvironment() (KCONFIG_ALLCONFIG, KCONFIG_SEED, …). */
  env?: Record<string, string>;
  /**
   * Steps run between "input written" and conf, inside the lock (tinyconfig's merge step); gets the build
   * folder. Gotcha: keep it free of timing-sensitive work when benchmarking.
   */
  before?: (dir: string) => void;
}

/**
 * Runs the conf binary make built, directly, with the environment make would give it (confEnvironment()) and
 * cwd = the build folder, as make's `$(obj)/conf --<target> Kconfig` rule does. Returns the .config it left,
 * stdout and the wall time of conf alone. Builds conf first (through make) if it is not there yet.
 */
export function runConfDirect(run: ConfRun, options: OracleOptions = {}): OracleOutput {
  const env = { ...confEnvironment(run.version, run.arch, options), ...(run.env ?? {}) };
  const dir = buildDir(run.version, run.arch, options);
  const conf = confBinary(run.version, run.arch, options);
  return withLock(dir, () => {
    if (!existsSync(conf)) throw new InternalError(`oracle: ${conf} is missing after confEnvironment()`);
    for (const f of ['.config', '.config.old', 'defconfig']) rmSync(join(dir, f), { force: true });
    if (run.input !== undefined) writeFileSync(join(dir, '.config'), run.input);
    run.before?.(dir);
    const started = performance.now();
    const r = spawnSync(conf, run.args, { cwd: dir, env, encoding: 'utf8', maxBuffer: 256 << 20 });
    const seconds = (performance.now() - started) / 1000;
    if (r.error) throw new InternalError(`oracle: cannot run ${conf}: ${r.error.message}`);
    return {
      config: readIfExists(join(dir, '.config')),
      defconfig: readIfExists(join(dir, 'defconfig')),
      stdout: r.stdout,
      stderr: r.stderr,
      status: r.status ?? 1,
      cached: false,
      seconds,
    };
  });
}

/** Debian's shipped kernel configs for `version` (`/usr/src/linux-config-<version>/*.xz`), by flavour name. */
export function debianConfigs(version: string, root = '/usr/src'): { flavour: string; path: string }[] {
  const dir = join(root, `linux-config-${version}`);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.startsWith('config.') && f.endsWith('.xz'))
    .sort()
    .map((f) => ({ flavour: f.slice('config.'.length, -'.xz'.length), path: join(dir, f) }));
}

/** Reads an xz-compressed text file with `xz -dc`. */
export function readXz(path: string): string {
  const r = spawnSync('xz', ['-dc', path], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.error || r.status !== 0) throw new InputError('oracle-xz', `kfit: cannot decompress ${path}: ${r.error?.message ?? r.stderr}`);
  return r.stdout;
}
