// The kernel tree a preset is checked against: the Kconfig model read as `make O=… ARCH=… [LLVM=1]` would
// read it (LLVM=1 for clang-thinlto: Kconfig's probes then run clang, ld.lld, llvm-ar and llvm-nm), and the
// trees kfit knows by version (`--kernel 6.12` is `${KFIT_CACHE}/linux-6.12`).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { InputError } from '../core/diag/errors.ts';
import { loadKconfigModel } from './kconfig-model.ts';
import type { LoadedTree } from './nixos-system.ts';

/** kfit's cache folder (`KFIT_CACHE`, default `~/.cache/kfit`). */
function cacheDir(): string {
  return process.env.KFIT_CACHE ?? join(homedir(), '.cache', 'kfit');
}

/** The tree of `--kernel VERSION` (`6.12`, `6.1`) in kfit's cache; an InputError when it is not unpacked there. */
export function cachedKernelTree(version: string): string {
  if (!/^\d+\.\d+$/.test(version)) throw new InputError('preset/kernel', `kfit: --kernel takes a version such as 6.12 or 6.1, not '${version}'`);
  const dir = join(cacheDir(), `linux-${version}`);
  if (!existsSync(join(dir, 'Kconfig'))) throw new InputError('preset/kernel', `kfit: no linux-${version} tree in ${cacheDir()} (run setup.sh, or give --src DIR)`);
  return dir;
}

/** Where the clang tools must be for LLVM=1 (clang, ld.lld, llvm-ar, llvm-nm on PATH). */
function checkLlvmTools(): void {
  const path = (process.env.PATH ?? '').split(':');
  const missing = ['clang', 'ld.lld', 'llvm-ar', 'llvm-nm'].filter((t) => !path.some((d) => d && existsSync(join(d, t))));
  if (missing.length > 0) {
    throw new InputError('preset/llvm', `kfit: clang-thinlto is checked with make's LLVM=1, which needs ${missing.join(', ')} on PATH (Debian: apt-get install clang lld llvm)`);
  }
}

/**
 * Reads the tree's model for `arch`, with make's LLVM=1 when `llvm` (its own O= directory and model-cache
 * entry, so gcc and clang models live side by side). InputError when `src` is not a kernel tree.
 */
export function loadPresetTree(src: string, arch: string, llvm: boolean): LoadedTree {
  const srctree = resolve(src);
  if (!existsSync(join(srctree, 'Kconfig')) || !existsSync(join(srctree, 'Makefile'))) {
    throw new InputError('preset/no-tree', `kfit: ${srctree} is not a kernel tree (no Kconfig and Makefile at its top)`);
  }
  if (llvm) checkLlvmTools();
  const objtree = join(cacheDir(), 'nixos-build', llvm ? `${arch}-llvm` : arch);
  mkdirSync(objtree, { recursive: true });
  const { model, env } = loadKconfigModel({ srctree, arch, objtree, variables: llvm ? { LLVM: '1' } : undefined });
  return { srctree, model, env };
}

/**
 * Whether the local compiler (clang with `llvm`, else gcc) accepts `-march=VALUE`: false catches a misspelt
 * value; undefined when the compiler cannot be run. Gotcha: nixpkgs' compiler is often newer than the local one
 * (Debian's gcc 12 has no znver4), so false is a warning, not an error.
 */
export function compilerKnowsMarch(value: string, llvm: boolean): { readonly known: boolean | undefined; readonly compiler: string } {
  const compiler = llvm ? 'clang' : 'gcc';
  const r = spawnSync(compiler, [`-march=${value}`, '-x', 'c', '-E', '-o', '/dev/null', '/dev/null'], { encoding: 'utf8', timeout: 20_000 });
  if (r.error || r.status === null) return { known: undefined, compiler };
  return { known: r.status === 0, compiler };
}
