// Finds and reads module trees (/lib/modules/<ver>, NixOS' booted-system tree, Debian's package unpacked in
// the cache) and fetches Debian's real 6.12 module package for tests and benchmarks.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { ModuleTreeFiles } from '../core/hardware/alias-db.ts';

/** The Debian package whose module tree the tests compare against (matches linux-source-6.12 6.12.117). */
export const DEBIAN_IMAGE_PACKAGE = 'linux-image-6.12.117+deb12-amd64-unsigned';
/** The kernel release inside that package. */
export const DEBIAN_RELEASE = '6.12.117+deb12-amd64';

/** kfit's cache folder (`$KFIT_CACHE`, default `~/.cache/kfit`). */
export function cacheDir(): string {
  return process.env.KFIT_CACHE ?? join(homedir(), '.cache', 'kfit');
}

function readOptional(path: string): string | undefined {
  try {
    return readFileSync(path, 'latin1');
  } catch {
    return undefined;
  }
}

/** Reads the alias-related files of a module directory (`…/lib/modules/<ver>`); missing files are left out. */
export function readModuleTree(dir: string): ModuleTreeFiles {
  return {
    alias: readOptional(join(dir, 'modules.alias')),
    order: readOptional(join(dir, 'modules.order')),
    builtin: readOptional(join(dir, 'modules.builtin')),
    builtinModinfo: readOptional(join(dir, 'modules.builtin.modinfo')),
    origin: dir,
  };
}

/**
 * The module directory of the running system: NixOS' `/run/booted-system/kernel-modules/lib/modules/<ver>`
 * first, then `/lib/modules/<ver>`; `undefined` when neither exists (e.g. a monolithic VM kernel).
 */
export function findRunningModuleTree(release: string): string | undefined {
  for (const base of ['/run/booted-system/kernel-modules/lib/modules', '/lib/modules']) {
    const dir = join(base, release);
    if (existsSync(join(dir, 'modules.order')) || existsSync(join(dir, 'modules.alias'))) return dir;
  }
  return undefined;
}

/** The root (`-d` argument of modprobe) and module directory of the unpacked Debian package. */
export interface DebianModuleTree {
  readonly root: string;
  readonly release: string;
  readonly dir: string;
}

/**
 * Makes sure Debian's 6.12 module tree is unpacked in `${KFIT_CACHE}/debian-modules/tree` with a
 * depmod-built `modules.alias` (apt-get download + dpkg-deb -x + depmod -b; cached), and returns it.
 * Throws with the failing command when apt, dpkg-deb or depmod are missing.
 */
export function ensureDebianModuleTree(): DebianModuleTree {
  const base = join(cacheDir(), 'debian-modules');
  const root = join(base, 'tree');
  const dir = join(root, 'lib', 'modules', DEBIAN_RELEASE);
  if (existsSync(join(dir, 'modules.alias')) && existsSync(join(dir, 'modules.order'))) return { root, release: DEBIAN_RELEASE, dir };
  const dl = join(base, 'dl');
  mkdirSync(dl, { recursive: true });
  let deb = readdirSync(dl).find((f) => f.startsWith(DEBIAN_IMAGE_PACKAGE) && f.endsWith('.deb'));
  if (deb === undefined) {
    execFileSync('apt-get', ['download', DEBIAN_IMAGE_PACKAGE], { cwd: dl, stdio: ['ignore', 'ignore', 'pipe'] });
    deb = readdirSync(dl).find((f) => f.startsWith(DEBIAN_IMAGE_PACKAGE) && f.endsWith('.deb'));
    if (deb === undefined) throw new Error(`apt-get download ${DEBIAN_IMAGE_PACKAGE} produced no .deb in ${dl}`);
  }
  const tmp = join(base, 'tree.tmp');
  rmSync(tmp, { recursive: true, force: true });
  execFileSync('dpkg-deb', ['-x', join(dl, deb), tmp], { stdio: ['ignore', 'ignore', 'pipe'] });
  execFileSync('depmod', ['-b', tmp, DEBIAN_RELEASE], { stdio: ['ignore', 'ignore', 'pipe'] });
  rmSync(root, { recursive: true, force: true });
  renameSync(tmp, root);
  return { root, release: DEBIAN_RELEASE, dir };
}

/**
 * Asks kmod itself: `modprobe -d ROOT -S RELEASE -C /nonexistent --resolve-alias STRING` (no modprobe.d
 * config); returns the printed module names, or an empty list when modprobe finds nothing.
 */
export function modprobeResolveAlias(tree: DebianModuleTree, alias: string): string[] {
  try {
    const out = execFileSync('modprobe', ['-d', tree.root, '-S', tree.release, '-C', '/nonexistent', '--resolve-alias', alias], {
      encoding: 'latin1',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    return out.split('\n').filter((l) => l !== '');
  } catch {
    return [];
  }
}
