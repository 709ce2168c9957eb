// The machine side of `kfit nixos check`: loading a kernel tree into the Kconfig engine, making the base
// config (`make <kernelBaseConfig>`) with the engine's targets, and asking the local `nix` for a NixOS
// system's kernel settings (spec §4): version, src, kernelBaseConfig, autoModules, preferBuiltin,
// ignoreConfigErrors, arch, the intermediate text and the definitions behind it.
import { loadKconfigModel } from './kconfig-model.ts';
import { cachedModelIdentity, defaultModelCacheDir, writeCacheJson } from './model-cache.ts';
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { InputError } from '../core/diag/errors.ts';
import { CONFIG_TARGETS, runTarget, type ConfigTarget, type TargetInput } from '../core/kconfig/targets.ts';
import type { KconfigModel } from '../core/kconfig/model.ts';
import type { SettingsDefinition } from '../core/nixos/kernel-value.ts';
import { kernelVersionOf, type KconfigEnv } from './kconfig-env.ts';

/** A kernel tree loaded into the engine. */
export interface LoadedTree {
  readonly srctree: string;
  readonly model: KconfigModel;
  readonly env: KconfigEnv;
}

/** Parses the tree's Kconfig for `arch` (InputError when `src` is not a kernel tree or does not parse). */
export function loadKernelTree(src: string, arch: string): LoadedTree {
  const srctree = resolve(src);
  if (!existsSync(join(srctree, 'Kconfig')) || !existsSync(join(srctree, 'Makefile'))) {
    throw new InputError('nixos/no-tree', `kfit: ${srctree} is not a kernel tree (no Kconfig and Makefile at its top)`);
  }
  // conf runs in the O= build directory (generate-config.pl's BUILD_ROOT); probes must not write into srctree
  const objtree = join(process.env.KFIT_CACHE ?? join(homedir(), '.cache', 'kfit'), 'nixos-build', arch);
  mkdirSync(objtree, { recursive: true });
  const { model, env } = loadKconfigModel({ srctree, arch, objtree });
  return { srctree, model, env };
}

/** The kernel versions kfit knows, each with the other one (the pair a rename is looked up between). */
const OTHER_VERSION: Record<string, string> = { '6.1': '6.12', '6.12': '6.1' };

/**
 * The other known kernel version's tree in kfit's cache (`${KFIT_CACHE}/linux-6.1` for a 6.12 tree and the
 * reverse), when it is unpacked there and is not `srctree` itself; undefined otherwise.
 */
export function findOtherCachedTree(kernelVersion: string, srctree: string, cache = process.env.KFIT_CACHE ?? join(homedir(), '.cache', 'kfit')): { readonly srctree: string; readonly version: string } | undefined {
  const majorMinor = /^(\d+\.\d+)/.exec(kernelVersion)?.[1];
  const other = majorMinor ? OTHER_VERSION[majorMinor] : undefined;
  if (!other) return undefined;
  const dir = join(cache, `linux-${other}`);
  if (resolve(dir) === resolve(srctree) || !existsSync(join(dir, 'Kconfig')) || !existsSync(join(dir, 'Makefile'))) return undefined;
  return { srctree: dir, version: other };
}

/** Whether the kernel tree at `dir` is older or newer than kernel `version` (undefined when the same or unreadable). */
export function treeAge(dir: string, version: string): 'older' | 'newer' | undefined {
  let other: string;
  try {
    other = kernelVersionOf(readFileSync(join(dir, 'Makefile'), 'utf8'));
  } catch {
    return undefined;
  }
  const parts = (v: string) => (v.match(/\d+/g) ?? []).slice(0, 3).map(Number);
  const [a, b] = [parts(other), parts(version)];
  for (let i = 0; i < 3; i++) {
    if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) < (b[i] ?? 0) ? 'older' : 'newer';
  }
  return undefined;
}

function readTree(tree: LoadedTree, rel: string): string | undefined {
  const p = join(tree.srctree, rel);
  return existsSync(p) ? readFileSync(p, 'utf8') : undefined;
}

/**
 * The `.config` after `make <target>` (generic.nix's kernelBaseConfig): defconfig, NAME_defconfig,
 * tinyconfig, allnoconfig, alldefconfig, allyesconfig, allmodconfig, computed by the engine's targets
 * (and kept in `cacheDir`, the model cache's directory by default: keptBaseConfig()).
 */
export function makeBaseConfig(tree: LoadedTree, targetName: string, cacheDir: string | false = defaultModelCacheDir()): string {
  const srcarch = tree.env.srcarch;
  const named = targetName.endsWith('_defconfig');
  const allowed = ['defconfig', 'tinyconfig', 'allnoconfig', 'alldefconfig', 'allyesconfig', 'allmodconfig'];
  if (!named && !allowed.includes(targetName)) {
    throw new InputError('nixos/base-target', `kfit: unknown base target '${targetName}' (kernelBaseConfig); expected one of ${allowed.join(', ')} or NAME_defconfig`);
  }
  const target = (named ? 'defconfig' : targetName) as ConfigTarget;
  if (!(CONFIG_TARGETS as readonly string[]).includes(target)) throw new InputError('nixos/base-target', `kfit: unknown base target '${targetName}'`);
  const input: { -readonly [K in keyof TargetInput]: TargetInput[K] } = { target };
  if (target === 'defconfig') {
    const file = `arch/${srcarch}/configs/${named ? targetName : srcarch === 'x86' ? (tree.env.arch === 'i386' ? 'i386_defconfig' : 'x86_64_defconfig') : 'defconfig'}`;
    const text = readTree(tree, file);
    if (text === undefined) throw new InputError('nixos/base-target', `kfit: the base target ${targetName} needs ${file}, which ${tree.srctree} does not have`);
    input.defconfig = { name: file, text };
  } else if (target === 'tinyconfig') {
    const base = readTree(tree, 'kernel/configs/tiny-base.config');
    if (base === undefined) throw new InputError('nixos/base-target', `kfit: ${tree.srctree} has no kernel/configs/tiny-base.config`);
    input.tinyBase = { name: 'kernel/configs/tiny-base.config', text: base };
    input.tinyFragments = ['kernel/configs/tiny.config', `arch/${srcarch}/configs/tiny.config`]
      .map((name) => ({ name: join(tree.srctree, name), text: readTree(tree, name) }))
      .filter((f): f is { name: string; text: string } => f.text !== undefined);
  }
  return keptBaseConfig(cacheDir, tree.model, input, () => {
    const result = runTarget(tree.model, input);
    if (result.output === null) throw new InputError('nixos/base-target', `kfit: ${targetName} produced no .config`);
    return result.output;
  });
}

/**
 * A base `.config` kept in the model cache's directory: named by the model (cachedModelIdentity(): kfit's build,
 * the tree and its model's checksum) and the target's whole input (target, defconfig or fragments' text), so
 * it is reused only for the same model and the same input; none without the model cache.
 */
function keptBaseConfig(cacheDir: string | false, model: KconfigModel, input: TargetInput, make: () => string): string {
  const identity = cachedModelIdentity(model);
  if (!cacheDir || !identity) return make();
  const path = join(cacheDir, `${createHash('sha256').update(JSON.stringify([identity, input])).digest('hex').slice(0, 40)}.base.json`);
  try {
    const kept = JSON.parse(readFileSync(path, 'utf8')) as { identity?: unknown; output?: unknown };
    if (kept.identity === identity && typeof kept.output === 'string') return kept.output;
  } catch {
    // none kept yet, or unreadable: made again
  }
  const output = make();
  writeCacheJson(cacheDir, path, { identity, output });
  return output;
}

// ---- nix --------------------------------------------------------------------------------------------

/** Where the NixOS system is: a flake output (`.#HOST`) or a file plus attribute path. */
export interface SystemRef {
  readonly flake?: string;
  readonly file?: string;
  /** With `file`: the attribute path of the system (`nixosConfigurations.HOST`), or of the kernel. */
  readonly attr?: string;
}

/** What kfit reads from a NixOS system's kernel. */
export interface SystemKernel {
  readonly version: string;
  /** The kernel source as a store path (tarball or directory), or a local directory. */
  readonly src: string;
  readonly kernelBaseConfig: string;
  readonly autoModules: boolean;
  readonly preferBuiltin: boolean;
  readonly ignoreConfigErrors: boolean;
  readonly kernelArch: string;
  /** The `configfile` derivation's `kernelConfig`: the intermediate text generate-config.pl reads. */
  readonly kernelConfig: string;
  /** `configfile.moduleStructuredConfig.settings`: the merged items (for explanations), if exposed. */
  readonly settings: SettingsDefinition | null;
  /** Each kernel patch's name and structuredExtraConfig, as written (with mkForce & co. as `_type` sets). */
  readonly patches: readonly { readonly name: string; readonly settings: SettingsDefinition }[];
}

/**
 * The function kfit applies to the kernel attribute (`config.boot.kernelPackages.kernel`), so one
 * `nix eval --json` returns everything at once. `toString k.src` gives the store path without building it
 * (and a local path without copying it to the store).
 */
export const KERNEL_APPLY = `k: let cf = k.configfile; in {
  version = k.version;
  src = toString k.src;
  kernelBaseConfig = cf.kernelBaseConfig or "defconfig";
  autoModules = cf.autoModules or true;
  preferBuiltin = cf.preferBuiltin or false;
  ignoreConfigErrors = cf.ignoreConfigErrors or false;
  kernelArch = cf.kernelArch or "x86_64";
  kernelConfig = cf.kernelConfig;
  settings = (cf.moduleStructuredConfig or { }).settings or null;
  patches = map (p: { name = p.name or "patch"; settings = p.structuredExtraConfig or { }; }) (k.kernelPatches or [ ]);
}`;

/** The attribute path of the kernel inside a system. */
export const KERNEL_PATH = 'config.boot.kernelPackages.kernel';

/** The exact `nix` command line kfit runs for `ref` (documented in the README). */
export function nixEvalArguments(ref: SystemRef): string[] {
  const common = ['--extra-experimental-features', 'nix-command flakes', 'eval', '--json'];
  if (ref.flake) {
    const hash = ref.flake.indexOf('#');
    const flake = hash < 0 ? ref.flake : ref.flake.slice(0, hash);
    const host = hash < 0 ? '' : ref.flake.slice(hash + 1);
    if (!host) throw new InputError('nixos/flake', `kfit: --flake needs a host: --flake ${flake}#HOST`);
    const installable = host.includes('.') ? `${flake}#${host}` : `${flake}#nixosConfigurations.${host}.${KERNEL_PATH}`;
    return [...common, installable, '--apply', KERNEL_APPLY];
  }
  if (!ref.file) throw new InputError('nixos/system', 'kfit: give --flake REF#HOST or --file FILE --attr PATH');
  const attr = ref.attr ?? '';
  const path = attr.endsWith('.kernel') || attr === '' ? attr : `${attr}.${KERNEL_PATH}`;
  return [...common, '--file', ref.file, ...(path ? [path] : []), '--apply', KERNEL_APPLY];
}

/** Asks the local `nix` for the system's kernel (InputError with Nix's message when evaluation fails). */
export function evalSystemKernel(ref: SystemRef): SystemKernel {
  const args = nixEvalArguments(ref);
  const r = spawnSync('nix', args, { encoding: 'utf8', maxBuffer: 256 << 20 });
  if (r.error) throw new InputError('nixos/nix', `kfit: cannot run nix: ${r.error.message} (install nix, e.g. Debian's nix-bin)`);
  if (r.status !== 0) throw new InputError('nix/eval', `kfit: nix eval failed:\n${r.stderr.trim()}`);
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(r.stdout) as Record<string, unknown>;
  } catch {
    throw new InputError('nix/eval', `kfit: nix eval did not return JSON: ${r.stdout.slice(0, 200)}`);
  }
  if (typeof json.kernelConfig !== 'string' || typeof json.version !== 'string') {
    throw new InputError('nix/eval', 'kfit: the kernel has no configfile.kernelConfig / version (is this a nixpkgs kernel built with generic.nix?)');
  }
  return json as unknown as SystemKernel;
}

/** Builds (fetches) `src` when it is a store path that is not there yet, with the matching nix command. */
export function realiseSource(ref: SystemRef, src: string): void {
  if (existsSync(src)) return;
  const args = ref.flake
    ? ['--extra-experimental-features', 'nix-command flakes', 'build', '--no-link', `${nixEvalArguments(ref)[4]}.src`]
    : ['--extra-experimental-features', 'nix-command', 'build', '--no-link', '--file', ref.file!, `${nixEvalArguments(ref)[6]}.src`];
  const r = spawnSync('nix', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.status !== 0 || !existsSync(src)) throw new InputError('nix/build', `kfit: cannot fetch the kernel source ${src}:\n${r.stderr.trim()}`);
}

/** The unpacked kernel tree for `src`: the directory itself, or the tarball unpacked once into the cache. */
export function unpackedSource(src: string, cache = process.env.KFIT_CACHE ?? join(homedir(), '.cache', 'kfit')): string {
  if (statSync(src).isDirectory()) return findTreeRoot(src);
  const dir = join(cache, 'nixos-src', basename(src).replace(/\.(tar(\.\w+)?|tgz|txz)$/, ''));
  if (!existsSync(join(dir, '.kfit-unpacked'))) {
    const tmp = `${dir}.tmp-${process.pid}`;
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(tmp, { recursive: true });
    const r = spawnSync('tar', ['-xf', src, '-C', tmp], { encoding: 'utf8' });
    if (r.status !== 0) throw new InputError('nixos/src', `kfit: cannot unpack ${src}: ${r.stderr.trim()}`);
    writeFileSync(join(tmp, '.kfit-unpacked'), src);
    rmSync(dir, { recursive: true, force: true });
    renameSync(tmp, dir);
  }
  return findTreeRoot(dir);
}

function findTreeRoot(dir: string): string {
  if (existsSync(join(dir, 'Kconfig'))) return dir;
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    if (statSync(p).isDirectory() && existsSync(join(p, 'Kconfig'))) return p;
  }
  throw new InputError('nixos/no-tree', `kfit: ${dir} does not contain a kernel tree`);
}
