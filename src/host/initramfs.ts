// Builds the lab guest's initramfs: Debian's static busybox, kfit's /init, what the payloads need
// (cryptsetup plus the libraries `ldd` lists, the static kfit-bench probe), and for modular kernels the
// module files the payloads need, decompressed, loaded by /init in dependency order.
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync, realpathSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { InputError } from '../core/diag/errors.ts';
import { parentDirectories, writeCpio, type CpioEntry } from '../core/lab/cpio-archive.ts';
import { writeInitScript, type PayloadName } from '../core/lab/guest-protocol.ts';
import { moduleName, parseModulesDep, resolveModuleOrder } from '../core/lab/module-deps.ts';
import { compileBenchProbe } from './bench-probe.ts';

/** Options of {@link buildInitramfs}. */
export interface InitramfsOptions {
  readonly payloads: readonly PayloadName[];
  readonly runs: number;
  /** `lib/modules/<release>` of a modular kernel; its payload modules go into the image. */
  readonly modulesDir?: string;
  /** Where to write the `.cpio.gz` (temp file + rename). */
  readonly out: string;
}

/** What went into an initramfs. */
export interface InitramfsResult {
  readonly file: string;
  readonly bytes: number;
  /** Module names /init loads, in order. */
  readonly modules: readonly string[];
  /** Wanted modules the kernel's modules.dep does not list (built in, or missing). */
  readonly notModular: readonly string[];
}

/** Modules each payload needs on a modular kernel (the AF_ALG skcipher interface and AES-NI XTS). */
const PAYLOAD_MODULES: Partial<Record<PayloadName, readonly string[]>> = {
  crypt: ['af_alg', 'algif_skcipher', 'aesni_intel', 'xts'],
  'crypt-full': ['af_alg', 'algif_skcipher', 'aesni_intel', 'xts', 'serpent_avx2', 'twofish_avx_x86_64', 'cbc'],
};

/** True when an ELF file has no PT_INTERP program header (is statically linked). */
export function isStaticElf(file: string): boolean {
  const head = Buffer.alloc(64);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, head, 0, 64, 0);
    if (head.readUInt32BE(0) !== 0x7f454c46 || head[4] !== 2) return false;
    const phoff = Number(head.readBigUInt64LE(0x20));
    const phentsize = head.readUInt16LE(0x36);
    const phnum = head.readUInt16LE(0x38);
    const ph = Buffer.alloc(phentsize * phnum);
    readSync(fd, ph, 0, ph.length, phoff);
    for (let i = 0; i < phnum; i++) if (ph.readUInt32LE(i * phentsize) === 3) return false;
    return true;
  } finally {
    closeSync(fd);
  }
}

/** Finds Debian's static busybox; an InputError naming the package otherwise. */
export function findStaticBusybox(): string {
  for (const p of ['/bin/busybox', '/usr/bin/busybox']) {
    if (existsSync(p) && isStaticElf(realpathSync(p))) return p;
  }
  throw new InputError(
    'lab/no-busybox',
    'kfit: no static busybox found (/bin/busybox); install the Debian package busybox-static (apt-get install busybox-static)',
  );
}

function findProgram(name: string, pkg: string): string {
  for (const dir of ['/usr/sbin', '/sbin', '/usr/bin', '/bin']) {
    if (existsSync(join(dir, name))) return join(dir, name);
  }
  throw new InputError('lab/no-program', `kfit: \`${name}\` not found; install the Debian package ${pkg}`);
}

/** The shared libraries `ldd` lists for a program (plus libgcc_s, which glibc dlopens for thread cancel). */
export function sharedLibraries(program: string): string[] {
  const r = spawnSync('ldd', [program], { encoding: 'utf8' });
  if (r.status !== 0) return [];
  const libs: string[] = [];
  for (const line of r.stdout.split('\n')) {
    const m = /=>\s+(\/\S+)/.exec(line) ?? /^\s*(\/\S+)\s+\(/.exec(line);
    if (m) libs.push(m[1]);
  }
  const gcc = '/lib/x86_64-linux-gnu/libgcc_s.so.1';
  if (existsSync(gcc) && !libs.includes(gcc)) libs.push(gcc);
  return libs;
}

function decompressModule(path: string): Buffer {
  if (path.endsWith('.gz')) return gunzipSync(readFileSync(path));
  for (const [ext, tool] of [['.xz', 'xz'], ['.zst', 'zstd']] as const) {
    if (!path.endsWith(ext)) continue;
    const r = spawnSync(tool, ['-dc', path], { maxBuffer: 256 * 1024 * 1024 });
    if (r.error || r.status !== 0) {
      throw new InputError('lab/decompress', `kfit: cannot decompress ${path} with ${tool}; install the Debian package ${tool === 'xz' ? 'xz-utils' : 'zstd'}`);
    }
    return r.stdout;
  }
  return readFileSync(path);
}

/** Builds the initramfs for a boot. */
export function buildInitramfs(o: InitramfsOptions): InitramfsResult {
  const files = new Map<string, { data: Buffer; mode: number }>();
  const add = (guestPath: string, hostPath: string, mode = 0o755) => {
    files.set(guestPath, { data: readFileSync(realpathSync(hostPath)), mode });
  };
  add('/bin/busybox', findStaticBusybox());
  if (o.payloads.some((p) => p === 'crypt' || p === 'crypt-full')) {
    const cryptsetup = findProgram('cryptsetup', 'cryptsetup-bin');
    add('/usr/sbin/cryptsetup', cryptsetup);
    for (const lib of sharedLibraries(cryptsetup)) add(lib, lib);
  }
  if (o.payloads.some((p) => p === 'restart' || p === 'syscall')) {
    add('/usr/lib/kfit/kfit-bench', compileBenchProbe(true));
  }
  const moduleFiles: string[] = [];
  let notModular: string[] = [];
  if (o.modulesDir) {
    const depFile = join(o.modulesDir, 'modules.dep');
    if (!existsSync(depFile)) throw new InputError('lab/no-modules-dep', `${depFile}:1:1: error: modules.dep not found (run depmod?)`);
    const wanted = [...new Set(o.payloads.flatMap((p) => PAYLOAD_MODULES[p] ?? []))];
    const { order, missing } = resolveModuleOrder(parseModulesDep(readFileSync(depFile, 'utf8')), wanted);
    notModular = missing;
    for (const rel of order) {
      const name = `${moduleName(rel)}.ko`;
      files.set(`/lib/kfit-modules/${name}`, { data: decompressModule(join(o.modulesDir, rel)), mode: 0o644 });
      moduleFiles.push(name);
    }
  }
  // The restart payload's stat storm: `du -s /usr` over a synthetic 40 × 100-file tree (plus the libraries).
  const tree: CpioEntry[] = [];
  if (o.payloads.includes('restart')) {
    tree.push({ kind: 'dir', path: '/usr/share' }, { kind: 'dir', path: '/usr/share/kfit-tree' });
    for (let d = 0; d < 40; d++) {
      tree.push({ kind: 'dir', path: `/usr/share/kfit-tree/d${d}` });
      for (let f = 0; f < 100; f++) tree.push({ kind: 'file', path: `/usr/share/kfit-tree/d${d}/f${f}`, data: new Uint8Array(0) });
    }
  }
  const init = writeInitScript({ payloads: o.payloads, runs: o.runs, modules: moduleFiles });
  files.set('/init', { data: Buffer.from(init), mode: 0o755 });
  const dirs = ['/bin', '/sbin', '/usr/bin', '/usr/sbin', '/proc', '/sys', '/dev', '/tmp', '/root', '/etc'];
  const entries: CpioEntry[] = [];
  const allDirs = [...new Set([...dirs, ...parentDirectories([...dirs, ...files.keys()])])].sort();
  for (const d of allDirs) entries.push({ kind: 'dir', path: d });
  entries.push({ kind: 'chardev', path: '/dev/console', major: 5, minor: 1 });
  entries.push({ kind: 'chardev', path: '/dev/null', major: 1, minor: 3, mode: 0o666 });
  if (files.has('/lib/x86_64-linux-gnu/libc.so.6') || [...files.keys()].some((f) => f.startsWith('/lib64/'))) {
    // usrmerge: ldd names /lib/x86_64-linux-gnu; keep /usr/lib paths working too.
    if (!allDirs.includes('/usr/lib/x86_64-linux-gnu')) entries.push({ kind: 'symlink', path: '/usr/lib/x86_64-linux-gnu', target: '/lib/x86_64-linux-gnu' });
  }
  for (const [path, f] of [...files].sort(([a], [b]) => a.localeCompare(b))) {
    entries.push({ kind: 'file', path, data: f.data, mode: f.mode });
  }
  for (const e of tree) if (!(e.kind === 'dir' && allDirs.includes(e.path))) entries.push(e);
  const image = gzipSync(writeCpio(entries), { level: 6 });
  mkdirSync(dirname(o.out), { recursive: true });
  const tmp = `${o.out}.tmp-${process.pid}`;
  writeFileSync(tmp, image);
  renameSync(tmp, o.out);
  return { file: o.out, bytes: image.length, modules: moduleFiles.map((m) => m.replace(/\.ko$/, '')), notModular };
}
