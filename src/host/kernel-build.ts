// Out-of-tree kernel builds for the lab: resolve a config (base + fragments), run `make bzImage` (and
// `modules` when the config has any) with progress, keep the full log, reuse the build dir for equal inputs.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { InputError } from '../core/diag/errors.ts';
import { formatDiagnostic } from '../core/diag/diagnostic.ts';
import {
  countEnabledOptions,
  estimateObjects,
  findFirstBuildError,
  hasModules,
  isObjectLine,
  type EstimateSource,
} from '../core/lab/build-log.ts';
import { checkFragmentApplied, parseFragment, writeFragmentLines, type FragmentEntry } from '../core/lab/config-fragment.ts';

/** Options of {@link buildKernel}. */
export interface KernelBuildOptions {
  /** The kernel source tree (left untouched: every build is `O=`). */
  readonly src: string;
  /** The base config: `tinyconfig`, `defconfig`, `allnoconfig`, or a .config file. */
  readonly config: string;
  /** Fragment files applied on top, in order. */
  readonly fragments?: readonly string[];
  readonly llvm?: boolean;
  readonly lto?: 'thin' | 'full';
  readonly kcflags?: string;
  readonly jobs?: number;
  /** Build directory; default `${KFIT_CACHE}/lab/build-<hash of the inputs>`. */
  readonly out?: string;
  readonly arch?: string;
  /** Called on every finished object and once a second. */
  readonly onProgress?: (progress: BuildProgress) => void;
}

/** Where a build stands. */
export interface BuildProgress {
  readonly phase: 'config' | 'build';
  readonly done: number;
  readonly expected: number;
  readonly source: EstimateSource;
  readonly elapsedSeconds: number;
}

/** What a build produced. */
export interface KernelBuildResult {
  readonly out: string;
  readonly bzImage: string;
  readonly dotConfig: string;
  readonly configSha256: string;
  readonly objects: number;
  readonly seconds: number;
  /** True when the build dir already held this exact build and `make` was not run. */
  readonly reused: boolean;
  readonly log: string;
}

interface BuildRecord {
  readonly inputs: string;
  readonly objects: number;
  readonly seconds: number;
  readonly bzImageMtimeMs: number;
  readonly configSha256: string;
}

/** The cache folder (`$KFIT_CACHE`, default `~/.cache/kfit`). */
export function cacheDir(): string {
  return process.env.KFIT_CACHE || join(homedir(), '.cache', 'kfit');
}

function sha256(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The arguments every make call of a build gets: out-of-tree dir, ARCH, `LLVM=1` for clang builds, KCFLAGS. */
export function makeArgs(o: KernelBuildOptions, out: string): string[] {
  const args = ['-C', resolve(o.src), `O=${out}`, `ARCH=${o.arch ?? 'x86_64'}`];
  if (o.llvm) args.push('LLVM=1');
  if (o.kcflags) args.push(`KCFLAGS=${o.kcflags}`);
  return args;
}

/** Runs one command, appending its output to `log`; resolves with the exit status. */
function run(cmd: string, args: readonly string[], log: string, onLine?: (line: string) => void): Promise<number> {
  return new Promise((done, fail) => {
    const stream = createWriteStream(log, { flags: 'a' });
    stream.write(`$ ${cmd} ${args.join(' ')}\n`);
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let partial = '';
    const take = (chunk: Buffer) => {
      stream.write(chunk);
      if (!onLine) return;
      partial += chunk.toString('utf8');
      const lines = partial.split('\n');
      partial = lines.pop() ?? '';
      for (const l of lines) onLine(l);
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    const stop = () => child.kill('SIGTERM');
    process.once('SIGINT', stop);
    child.on('error', (e) => {
      process.off('SIGINT', stop);
      stream.end();
      fail(e);
    });
    child.on('close', (code) => {
      process.off('SIGINT', stop);
      stream.end(() => done(code ?? 1));
    });
  });
}

function readFragments(files: readonly string[]): { entries: FragmentEntry[]; file: string }[] {
  return files.map((file) => {
    if (!existsSync(file)) throw new InputError('lab/no-fragment', `${file}:1:1: error: config fragment not found`);
    const parsed = parseFragment(readFileSync(file, 'utf8'), file);
    if (parsed.diagnostics.length) throw InputError.fromDiagnostics('lab/fragment', parsed.diagnostics);
    return { entries: parsed.value, file };
  });
}

function failBuild(log: string, what: string): never {
  const text = readFileSync(log, 'utf8');
  if (/source tree is not clean/.test(text)) {
    throw new InputError(
      'lab/unclean-source',
      `kfit: the kernel source tree has build output in it (Kbuild: "The source tree is not clean"); kfit builds out of tree (O=), so run \`make mrproper\` in the tree first. Full log: ${log}`,
    );
  }
  const missing = /: (\w[\w.+-]*): (?:command )?not found/.exec(text);
  const first = findFirstBuildError(text);
  if (first && first.file !== null) {
    throw new InputError(
      'lab/compile-error',
      `${first.file}:${first.line}:${first.column ?? 1}: error: ${first.message}\n${first.context.join('\n')}\nkfit: ${what} failed; full log: ${log}`,
    );
  }
  const hint = missing ? ` (\`${missing[1]}\` is not installed; Debian: apt-get install build-essential flex bison bc libelf-dev libssl-dev)` : '';
  throw new InputError('lab/build-failed', `kfit: ${what} failed: ${first?.message ?? 'see the log'}${hint}; full log: ${log}`);
}

/**
 * Resolves the config of a build into `${out}/.config`: the base (a make target such as `tinyconfig`, or a
 * file) plus the fragments, then `make olddefconfig`, then checks that every fragment value survived.
 * This is the one place that computes configs with the kernel's own Kconfig tools; it switches to kfit's
 * engine when `kfit config` exists.
 */
export async function resolveConfig(o: KernelBuildOptions, out: string, log: string): Promise<string> {
  const fragments = readFragments(o.fragments ?? []);
  const entries = fragments.flatMap((f) => f.entries);
  if (o.lto) {
    if (!o.llvm) throw new InputError('lab/lto-needs-llvm', 'kfit: --lto needs --llvm (the kernel supports LTO only with clang)');
    entries.push({ symbol: o.lto === 'thin' ? 'LTO_CLANG_THIN' : 'LTO_CLANG_FULL', value: 'y', line: 0 });
  }
  const dotConfig = join(out, '.config');
  if (/^(tiny|def|allno|allyes|allmod|kvm_guest\.)config$/.test(o.config)) {
    if ((await run('make', [...makeArgs(o, out), o.config], log)) !== 0) failBuild(log, `make ${o.config}`);
  } else {
    if (!existsSync(o.config)) throw new InputError('lab/no-config', `${o.config}:1:1: error: config file not found`);
    writeFileSync(dotConfig, readFileSync(o.config));
  }
  if (entries.length) writeFileSync(dotConfig, readFileSync(dotConfig, 'utf8') + writeFragmentLines(entries));
  if ((await run('make', [...makeArgs(o, out), 'olddefconfig'], log)) !== 0) failBuild(log, 'make olddefconfig');
  const resolved = readFileSync(dotConfig, 'utf8');
  const lost = fragments.flatMap((f) => checkFragmentApplied(f.entries, resolved, f.file));
  if (lost.length) throw new InputError('lab/fragment-dropped', lost.map(formatDiagnostic).join('\n'), lost);
  return resolved;
}

/** The identity of a build's inputs (source tree, base, fragments, toolchain flags). */
function inputsOf(o: KernelBuildOptions): string {
  const src = resolve(o.src);
  if (!existsSync(join(src, 'Makefile')) || !existsSync(join(src, 'Kconfig'))) {
    throw new InputError('lab/no-source', `kfit: ${src} is not a kernel source tree (no Makefile/Kconfig)`);
  }
  const makefile = statSync(join(src, 'Makefile'));
  const base = existsSync(o.config) ? readFileSync(o.config, 'utf8') : o.config;
  const frags = (o.fragments ?? []).map((f) => (existsSync(f) ? readFileSync(f, 'utf8') : f));
  return sha256(
    JSON.stringify([src, makefile.mtimeMs, o.arch ?? 'x86_64', base, frags, !!o.llvm, o.lto ?? '', o.kcflags ?? '', toolchain(!!o.llvm)]),
  );
}

/**
 * The toolchain part of a build's identity: the compiler's version line and whether rustc/bindgen are on PATH.
 * Gotcha: Kconfig probes them (RUSTC_VERSION, CC_VERSION_TEXT…), so the same inputs resolve to a different
 * .config under another PATH (test/run.mjs removes rustc), and must not reuse a build made under the other.
 */
function toolchain(llvm: boolean): string {
  const version = (cmd: string) => {
    const r = spawnSync(cmd, ['--version'], { encoding: 'utf8' });
    return r.status === 0 ? r.stdout.split('\n')[0] : 'none';
  };
  return [version(llvm ? 'clang' : 'gcc'), version('rustc'), version('bindgen')].join('|');
}

/**
 * Builds a kernel out of tree. Equal inputs reuse the build dir: when its record matches, `make` is not run
 * at all (re-running tinyconfig in a built dir forces a near-full rebuild). A failed compile throws an
 * InputError that starts with the first error's `file:line:col`.
 */
export async function buildKernel(o: KernelBuildOptions): Promise<KernelBuildResult> {
  const inputs = inputsOf(o);
  const out = resolve(o.out ?? join(cacheDir(), 'lab', `build-${inputs.slice(0, 12)}`));
  const meta = join(out, '.kfit');
  mkdirSync(meta, { recursive: true });
  const release = await lockBuildDir(join(meta, 'lock'));
  try {
    return await buildLocked(o, inputs, out, meta);
  } finally {
    release();
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Waits until no other live kfit builds in this dir (a lock file holding the owner's pid). */
async function lockBuildDir(lock: string): Promise<() => void> {
  for (;;) {
    try {
      writeFileSync(lock, String(process.pid), { flag: 'wx' });
      return () => rmSync(lock, { force: true });
    } catch {
      let text = '';
      try {
        text = readFileSync(lock, 'utf8');
      } catch {
        continue; // released meanwhile
      }
      const owner = Number(text);
      if (text !== '' && (!owner || !alive(owner))) rmSync(lock, { force: true });
      else await new Promise((r) => setTimeout(r, 2000));
    }
  }
}

async function buildLocked(o: KernelBuildOptions, inputs: string, out: string, meta: string): Promise<KernelBuildResult> {
  const log = join(meta, 'build.log');
  const recordFile = join(meta, 'build.json');
  const bzImage = join(out, 'arch', 'x86', 'boot', 'bzImage');
  const previous: BuildRecord | null = existsSync(recordFile) ? JSON.parse(readFileSync(recordFile, 'utf8')) : null;
  if (previous && previous.inputs === inputs && existsSync(bzImage) && statSync(bzImage).mtimeMs === previous.bzImageMtimeMs) {
    return {
      out,
      bzImage,
      dotConfig: join(out, '.config'),
      configSha256: previous.configSha256,
      objects: previous.objects,
      seconds: 0,
      reused: true,
      log,
    };
  }
  writeFileSync(log, '');
  const start = Date.now();
  const elapsed = () => (Date.now() - start) / 1000;
  o.onProgress?.({ phase: 'config', done: 0, expected: 1, source: 'estimate', elapsedSeconds: 0 });
  const resolved = previous?.inputs === inputs && existsSync(join(out, '.config'))
    ? readFileSync(join(out, '.config'), 'utf8')
    : await resolveConfig(o, out, log);
  const estimate = estimateObjects(countEnabledOptions(resolved), previous?.objects ?? null);
  let done = 0;
  const report = () =>
    o.onProgress?.({ phase: 'build', done, expected: Math.max(estimate.expected, done), source: estimate.source, elapsedSeconds: elapsed() });
  const timer = setInterval(report, 1000);
  const targets = hasModules(resolved) ? ['bzImage', 'modules'] : ['bzImage'];
  const jobs = String(o.jobs ?? 2);
  let status: number;
  try {
    status = await run('nice', ['-n', '10', 'make', ...makeArgs(o, out), `-j${jobs}`, ...targets], log, (line) => {
      if (isObjectLine(line)) {
        done++;
        report();
      }
    });
  } finally {
    clearInterval(timer);
  }
  if (status !== 0 || !existsSync(bzImage)) failBuild(log, `make ${targets.join(' ')}`);
  const configSha256 = sha256(readFileSync(join(out, '.config')));
  const record: BuildRecord = {
    inputs,
    // A full build's count is the next build's expectation; an incremental one keeps the old count.
    objects: previous && previous.objects > done ? previous.objects : done,
    seconds: elapsed(),
    bzImageMtimeMs: statSync(bzImage).mtimeMs,
    configSha256,
  };
  writeFileSync(`${recordFile}.tmp`, JSON.stringify(record, null, 2));
  renameSync(`${recordFile}.tmp`, recordFile);
  return { out, bzImage, dotConfig: join(out, '.config'), configSha256, objects: done, seconds: elapsed(), reused: false, log };
}
