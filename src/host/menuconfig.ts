// Runs a kernel tree's own configurators out of tree on a scratch copy of a config (`kfit edit`).
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { InputError } from '../core/diag/index.ts';

/** A scratch build folder (`make O=…`) holding the config being edited. */
export interface ScratchTree {
  readonly src: string;
  readonly arch: string;
  readonly dir: string;
  /** `dir/.config`. */
  readonly config: string;
}

function make(tree: ScratchTree, target: string, interactive: boolean): number {
  const r = spawnSync('make', ['-C', tree.src, `O=${tree.dir}`, `ARCH=${tree.arch}`, target], {
    stdio: interactive ? 'inherit' : ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
  });
  if (r.error) throw new InputError('edit/make', `kfit: cannot run make: ${r.error.message}`);
  if (r.status !== 0 && !interactive) {
    throw new InputError('edit/make', `kfit: make ${target} failed in ${tree.src} (O=${tree.dir}):\n${(r.stderr ?? '').trim().split('\n').slice(-15).join('\n')}`);
  }
  return r.status ?? 1;
}

/**
 * Makes a scratch folder with `configText` as its `.config`, brought up to date for the tree with
 * `make olddefconfig` (so the later diff shows only the user's edits). Returns the normalised config text too.
 */
export function prepareScratch(src: string, arch: string, configText: string): { tree: ScratchTree; normalised: string } {
  const abs = resolve(src);
  if (!existsSync(join(abs, 'Kconfig')) || !existsSync(join(abs, 'scripts', 'kconfig'))) {
    throw new InputError('edit/src', `kfit: ${src}: not a kernel tree (no Kconfig / scripts/kconfig)`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'kfit-edit-'));
  const tree: ScratchTree = { src: abs, arch, dir, config: join(dir, '.config') };
  writeFileSync(tree.config, configText);
  make(tree, 'olddefconfig', false);
  copyFileSync(tree.config, join(dir, 'kfit-old.config'));
  return { tree, normalised: readFileSync(tree.config, 'utf8') };
}

/** Runs the tree's `menuconfig` (or `nconfig`) on the terminal; returns the saved `.config` text. */
export function runConfigurator(tree: ScratchTree, ui: 'menuconfig' | 'nconfig'): string {
  const status = make(tree, ui, true);
  if (status !== 0) {
    throw new InputError('edit/make', `kfit: make ${ui} exited with status ${status} (it needs libncurses-dev, flex, bison and a terminal)`);
  }
  return readFileSync(tree.config, 'utf8');
}

/** Deletes a scratch folder made by {@link prepareScratch}. */
export function removeScratch(tree: ScratchTree): void {
  rmSync(tree.dir, { recursive: true, force: true });
}
