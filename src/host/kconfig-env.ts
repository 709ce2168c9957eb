/**
 * The environment the kernel's top-level Makefile gives `conf` for `make [O=…] ARCH=… <config target>`:
 * ARCH, SRCARCH, KERNELVERSION, srctree, the toolchain variables (CC, LD, AR, NM, OBJCOPY, PAHOLE, RUSTC,
 * BINDGEN, PYTHON3), CC_VERSION_TEXT / RUSTC_VERSION_TEXT and, for clang, CLANG_FLAGS, computed as the
 * tree's Makefile, scripts/Makefile.clang and arch/$(SRCARCH)/Makefile compute them for config targets.
 *
 * make's precedence is kept: command-line variables (`variables`) beat the Makefile's assignments, which beat
 * the environment; `?=` variables (ARCH, KCONFIG_CONFIG) and unassigned ones (CROSS_COMPILE, LLVM, LLVM_IAS,
 * KBUILD_ABS_SRCTREE) come from the environment when not on the command line.
 * Gotcha: arch Makefiles that guess CROSS_COMPILE (`ifdef cross_compiling`) never do in 6.1/6.12: nothing
 * defines cross_compiling any more, so only CROSS_COMPILE given by the user counts.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, realpathSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { InputError } from '../core/diag/errors.ts';

/** Inputs of `kconfigEnvironment`: what `make O=… ARCH=… VAR=value <target>` is given. */
export interface KconfigEnvOptions {
  /** The kernel source tree. */
  readonly srctree: string;
  /** `ARCH=` (x86_64, i386, arm64, arm, riscv, powerpc, s390, mips, …); default: the environment's ARCH. */
  readonly arch?: string;
  /** `O=`: the build directory; undefined for a build inside the source tree. */
  readonly objtree?: string;
  /** Other command-line variables: CC=, LD=, LLVM=, LLVM_IAS=, CROSS_COMPILE=, RUSTC=, KBUILD_ABS_SRCTREE=, … */
  readonly variables?: Readonly<Record<string, string>>;
  /** The environment make starts in (default: this process's). */
  readonly baseEnv?: Readonly<Record<string, string | undefined>>;
  /**
   * Runs a command for make's `$(shell …)` and returns its raw stdout (default: runMakeShell(), /bin/sh -c;
   * loadKconfigModel() answers from the shell-answer cache, tests give fixed answers).
   */
  readonly shell?: (command: string, env: Readonly<Record<string, string>>) => string;
}

/** The result: conf's environment, its working directory, and the values derived on the way. */
export interface KconfigEnv {
  /** The whole environment conf runs in (the base environment plus make's exports). */
  readonly env: Record<string, string>;
  /** conf's working directory: the O= directory, or srctree. */
  readonly cwd: string;
  readonly arch: string;
  readonly srcarch: string;
  readonly kernelVersion: string;
  /** The Kconfig file conf is given (scripts/kconfig/Makefile: `$(KBUILD_KCONFIG)`, else `Kconfig`). */
  readonly rootFile: string;
}

/** The architecture directory make uses for an ARCH (top-level Makefile: "Additional ARCH settings"). */
export function srcarchOf(arch: string): string {
  switch (arch) {
    case 'i386':
    case 'x86_64':
      return 'x86';
    case 'sparc32':
    case 'sparc64':
      return 'sparc';
    case 'parisc64':
      return 'parisc';
    case 'sh64':
      return 'sh';
    default:
      return arch;
  }
}

/** Reads `NAME = value` assignments at the start of a Makefile line, as make would (leading blanks and comments dropped). */
export function makefileAssignment(text: string, name: string): string | undefined {
  const m = new RegExp(`^${name}[ \\t]*[:?]?=(.*)$`, 'm').exec(text);
  if (!m) return undefined;
  let v = m[1].replace(/^[ \t]+/, '');
  const hash = v.indexOf('#');
  if (hash >= 0) v = v.slice(0, hash);
  return v;
}

/** KERNELVERSION as the Makefile computes it: VERSION[.PATCHLEVEL[.SUBLEVEL]]EXTRAVERSION. */
export function kernelVersionOf(makefile: string): string {
  const get = (n: string): string => (makefileAssignment(makefile, n) ?? '').trim();
  const version = get('VERSION');
  const patchlevel = get('PATCHLEVEL');
  const sublevel = get('SUBLEVEL');
  const extra = makefileAssignment(makefile, 'EXTRAVERSION') ?? '';
  return version + (patchlevel ? `.${patchlevel}${sublevel ? `.${sublevel}` : ''}` : '') + extra.trimEnd();
}

/** Mirrors make's $(shell …): stdout with the trailing newline dropped and the other newlines made spaces. */
function makeShell(out: string): string {
  return out.replace(/\n+$/, '').replace(/\n/g, ' ');
}

/** make's `$(shell …)`: the command's stdout, run by /bin/sh in `env`. */
export function runMakeShell(command: string, env: Readonly<Record<string, string>>): string {
  const r = spawnSync('/bin/sh', ['-c', command], { env, stdio: ['ignore', 'pipe', 'ignore'], encoding: 'utf8' });
  return r.stdout ?? '';
}

/** Computes the environment make gives conf (mirrors the top-level Makefile of Linux 6.1 and 6.12). */
export function kconfigEnvironment(options: KconfigEnvOptions): KconfigEnv {
  const base: Record<string, string> = {};
  for (const [k, v] of Object.entries(options.baseEnv ?? process.env)) if (v !== undefined) base[k] = v;
  const cmd = options.variables ?? {};
  const shell = options.shell ?? runMakeShell;
  /** A variable that the Makefile assigns with `=`/`:=`: only the command line overrides it. */
  const assigned = (name: string, value: string): string => cmd[name] ?? value;
  /** A variable the Makefile does not assign (or with `?=`): command line, then environment. */
  const fromEnv = (name: string, fallback = ''): string => cmd[name] ?? base[name] ?? fallback;

  let abs: string;
  try {
    abs = realpathSync(options.srctree);
  } catch {
    throw new InputError('kconfig-env/no-tree', `kfit: no kernel source tree at ${options.srctree}`);
  }
  let makefile: string;
  try {
    makefile = readFileSync(resolve(abs, 'Makefile'), 'utf8');
  } catch {
    throw new InputError('kconfig-env/no-makefile', `kfit: ${abs} has no Makefile: is it a kernel source tree?`);
  }

  const arch = options.arch ?? fromEnv('ARCH');
  if (!arch) throw new InputError('kconfig-env/no-arch', 'kfit: no ARCH given (e.g. --arch x86_64)');
  const srcarch = srcarchOf(arch);
  const kernelVersion = kernelVersionOf(makefile);

  // srctree: "." in the tree, ".." from a direct subdirectory, else the absolute path (Makefile, need-sub-make).
  let srctree: string;
  let cwd: string;
  const objtree = options.objtree === undefined ? undefined : resolve(options.objtree);
  if (objtree === undefined || objtree === abs) {
    srctree = '.';
    cwd = abs;
  } else {
    srctree = dirname(objtree) === abs ? '..' : abs;
    cwd = objtree;
  }
  if (fromEnv('KBUILD_ABS_SRCTREE') !== '') srctree = abs;

  const llvm = fromEnv('LLVM');
  let prefix = '';
  let suffix = '';
  if (llvm.endsWith('/')) prefix = llvm;
  else if (llvm.startsWith('-')) suffix = llvm;
  const cross = fromEnv('CROSS_COMPILE');
  const tools =
    llvm !== ''
      ? { CC: 'clang', LD: 'ld.lld', AR: 'llvm-ar', NM: 'llvm-nm', OBJCOPY: 'llvm-objcopy' }
      : { CC: 'gcc', LD: 'ld', AR: 'ar', NM: 'nm', OBJCOPY: 'objcopy' };
  const tool = (name: keyof typeof tools): string =>
    assigned(name, llvm !== '' ? `${prefix}${tools[name]}${suffix}` : `${cross}${tools[name]}`);

  const exports: Record<string, string> = {
    LC_COLLATE: 'C',
    LC_NUMERIC: 'C',
    KCONFIG_CONFIG: fromEnv('KCONFIG_CONFIG', '.config'),
    srctree,
    objtree: '.',
    building_out_of_srctree: srctree === '.' ? '' : '1',
    VPATH: srctree === '.' ? '' : srctree,
    VERSION: (makefileAssignment(makefile, 'VERSION') ?? '').trim(),
    PATCHLEVEL: (makefileAssignment(makefile, 'PATCHLEVEL') ?? '').trim(),
    SUBLEVEL: (makefileAssignment(makefile, 'SUBLEVEL') ?? '').trim(),
    KERNELVERSION: kernelVersion,
    ARCH: arch,
    SRCARCH: srcarch,
    CONFIG_SHELL: 'sh',
    CROSS_COMPILE: cross,
    HOSTCC: assigned('HOSTCC', llvm !== '' ? `${prefix}clang${suffix}` : 'gcc'),
    CC: tool('CC'),
    LD: tool('LD'),
    AR: tool('AR'),
    NM: tool('NM'),
    OBJCOPY: tool('OBJCOPY'),
    PAHOLE: assigned('PAHOLE', 'pahole'),
    RUSTC: assigned('RUSTC', 'rustc'),
    BINDGEN: assigned('BINDGEN', 'bindgen'),
    PYTHON3: assigned('PYTHON3', 'python3'),
  };
  const shellEnv = { ...base };
  exports.CC_VERSION_TEXT = makeShell(
    shell(`LC_ALL=C ${exports.CC} --version 2>/dev/null | head -n 1`, shellEnv),
  ).replace(/#/g, '');
  if (/^RUSTC_VERSION_TEXT\s*=/m.test(makefile)) {
    exports.RUSTC_VERSION_TEXT = makeShell(shell(`${exports.RUSTC} --version 2>/dev/null`, shellEnv)).replace(/#/g, '');
  }
  if (exports.CC_VERSION_TEXT.includes('clang')) {
    exports.CLANG_FLAGS = clangFlags(abs, srcarch, cross, fromEnv('LLVM_IAS'), shellEnv, shell);
  }
  // arch/powerpc/Makefile: `NM := $(NM) --synthetic` when nm knows the option.
  if (srcarch === 'powerpc' && cmd.NM === undefined) {
    const arch = readFileSync(resolve(abs, 'arch/powerpc/Makefile'), 'utf8');
    if (arch.includes('--synthetic')) {
      const probe = makeShell(
        shell(`if ${exports.NM} --help 2>&1 | grep -- '--synthetic' > /dev/null; then echo y; else echo n; fi`, shellEnv),
      );
      if (probe === 'y') exports.NM = `${exports.NM} --synthetic`;
    }
  }
  const kbuildKconfig = fromEnv('KBUILD_KCONFIG');
  if (kbuildKconfig !== '') exports.KBUILD_KCONFIG = kbuildKconfig;
  const rootFile = kbuildKconfig !== '' ? kbuildKconfig : 'Kconfig';
  return { env: { ...base, ...exports }, cwd, arch, srcarch, kernelVersion, rootFile };
}

/** CLANG_FLAGS as scripts/Makefile.clang of the tree builds them (6.1: CROSS_COMPILE decides the target). */
function clangFlags(
  srctree: string,
  srcarch: string,
  cross: string,
  llvmIas: string,
  env: Readonly<Record<string, string>>,
  shell: (command: string, env: Readonly<Record<string, string>>) => string,
): string {
  const text = readFileSync(resolve(srctree, 'scripts/Makefile.clang'), 'utf8');
  const flags: string[] = [];
  const crossDecides = /^ifeq \(\$\(CROSS_COMPILE\),\)/m.test(text);
  if (crossDecides && cross !== '') {
    const triple = cross.replace(/-$/, '');
    flags.push(`--target=${triple.slice(triple.lastIndexOf('/') + 1)}`);
  } else {
    const target = (makefileAssignment(text, `CLANG_TARGET_FLAGS_${srcarch}`) ?? '').trim();
    if (target === '') throw new InputError('kconfig-env/clang-target', `kfit: add '--target=' option to scripts/Makefile.clang`);
    flags.push(`--target=${target}`);
  }
  if (llvmIas === '0') {
    flags.push('-fno-integrated-as');
    const which = makeShell(shell(`which ${cross}elfedit`, env));
    const dir = which === '' ? '' : which.slice(0, which.lastIndexOf('/') + 1);
    flags.push(`--prefix=${dir}${cross.slice(cross.lastIndexOf('/') + 1)}`);
  } else flags.push('-fintegrated-as');
  for (const m of text.matchAll(/^CLANG_FLAGS\s*\+=\s*(-Werror=\S+)\s*$/gm)) flags.push(m[1]);
  return flags.join(' ');
}
