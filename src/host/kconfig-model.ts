// Loading a kernel tree's Kconfig model the way `make O=… ARCH=… <target>` would read it: make's environment,
// the source host with its $(shell) cache, the parse in the tree's own grammar, and the model build, or the
// same model read back from the on-disk model cache (model-cache.ts) when nothing it was built from changed.
import { hasErrors, type Diagnostic } from '../core/diag/diagnostic.ts';
import { InputError } from '../core/diag/errors.ts';
import { assertNoDependencyProblems } from '../core/kconfig/dep-check.ts';
import { flavorForVersion } from '../core/kconfig/flavor.ts';
import type { KconfigFlavor, KconfigModel } from '../core/kconfig/model.ts';
import type { SourceHost } from '../core/kconfig/source-host.ts';
import { buildModel } from '../core/kconfig/model-build.ts';
import { parseKconfig } from '../core/kconfig/parse-kconfig.ts';
import { isAbsolute } from 'node:path';
import { kconfigEnvironment, runMakeShell, type KconfigEnv } from './kconfig-env.ts';
import { cachedMakeShell } from './shell-cache.ts';
import { defaultShellCacheDir, NodeSourceHost } from './kconfig-source.ts';
import { defaultModelCacheDir, readCachedModel, RecordingSourceHost, writeCachedModel, type ModelCacheKey } from './model-cache.ts';

/** Where and how to read a tree's Kconfig. */
export interface KconfigModelOptions {
  /** The kernel source tree (absolute). */
  readonly srctree: string;
  readonly arch: string;
  /** The O= build directory conf would run in (probes run there); undefined = in-tree. */
  readonly objtree?: string;
  /** The `$(shell,…)` answer cache: default, a folder, or false for none. */
  readonly shellCache?: string | false;
  /**
   * The model cache: default (`${KFIT_CACHE}/model-cache`, off with KFIT_MODEL_CACHE=off), a folder, or false
   * for none. Without a shell-answer cache there is no model cache either (every probe is meant to run).
   */
  readonly modelCache?: string | false;
  /** make's command-line variables (`LLVM=1`, `CC=clang`, …), as kconfigEnvironment() takes them; default none. */
  readonly variables?: Readonly<Record<string, string>>;
}

/** A loaded model with the environment it was read in and the model builder's warnings. */
export interface LoadedKconfigModel {
  readonly model: KconfigModel;
  readonly env: KconfigEnv;
  /** menu_warn()/prop_warn()-like warnings of the model build (errors throw instead). */
  readonly warnings: readonly Diagnostic[];
  /** Where the model came from: the model cache, a parse (`miss`, with the reason), or a parse without cache. */
  readonly cache: { readonly state: 'hit' } | { readonly state: 'miss'; readonly reason: string } | { readonly state: 'off' };
}

/**
 * Reads the tree's Kconfig (the root file make would give conf, in the grammar of the tree's own version) and
 * builds the model. Throws an InputError listing every syntax or model error.
 */
export function loadKconfigModel(options: KconfigModelOptions): LoadedKconfigModel {
  const shellCache = options.shellCache === undefined ? defaultShellCacheDir() : options.shellCache;
  const shell = shellCache === false ? undefined : cachedMakeShell(shellCache, runMakeShell);
  const env = kconfigEnvironment({ srctree: options.srctree, arch: options.arch, objtree: options.objtree, shell, variables: options.variables });
  const host = new NodeSourceHost({ srctree: options.srctree, env: env.env, cwd: env.cwd, cache: options.shellCache });
  const flavor = flavorForVersion(env.kernelVersion);
  const cacheDir = options.modelCache === undefined ? defaultModelCacheDir() : options.modelCache;
  if (cacheDir === false || shellCache === false) return traced({ ...parseAndBuild(env, host, flavor), cache: { state: 'off' } });
  const inTree = !isAbsolute(env.env.srctree ?? '.');
  // make variables (LLVM=1) change the probes' answers: one entry per set, so gcc and clang models do not evict each other
  const vars = Object.entries(options.variables ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => `${k}=${v}`).join(' ');
  const key: ModelCacheKey = { srctree: host.srctree, arch: vars === '' ? env.arch : `${env.arch} ${vars}`, cwd: inTree ? env.cwd : '', rootFile: env.rootFile, flavor };
  const cached = readCachedModel(cacheDir, key, host, () => host.stats.shellRuns);
  if (cached.model) return traced({ model: cached.model, env, warnings: cached.warnings, cache: { state: 'hit' } });
  // a fresh host: the one that validated may have run a probe without prefetching the others
  const fresh = new NodeSourceHost({ srctree: options.srctree, env: env.env, cwd: env.cwd, cache: options.shellCache });
  const recorder = new RecordingSourceHost(fresh, fresh.srctree);
  const loaded = parseAndBuild(env, recorder, flavor);
  writeCachedModel(cacheDir, key, recorder.inputs(), loaded.model, loaded.warnings);
  return traced({ ...loaded, cache: { state: 'miss', reason: cached.reason } });
}

// KFIT_TRACE=model-cache: say on stderr where each model came from
function traced(loaded: LoadedKconfigModel): LoadedKconfigModel {
  if ((process.env.KFIT_TRACE ?? '').split(',').includes('model-cache')) {
    const c = loaded.cache;
    process.stderr.write(`kfit: model cache: ${c.state}${c.state === 'miss' ? ` (${c.reason})` : ''}\n`);
  }
  return loaded;
}

function parseAndBuild(env: KconfigEnv, source: SourceHost, flavor: KconfigFlavor): Omit<LoadedKconfigModel, 'cache'> {
  const parsed = parseKconfig(env.rootFile, source, { flavor });
  if (hasErrors(parsed.diagnostics)) throw InputError.fromDiagnostics('kconfig/syntax', parsed.diagnostics);
  const built = buildModel(parsed.value, { flavor });
  if (hasErrors(built.diagnostics)) throw InputError.fromDiagnostics('kconfig/model', built.diagnostics);
  assertNoDependencyProblems(built.value); // conf_parse()'s sym_check_deps() loop: recursive dependencies
  return { model: built.value, env, warnings: built.diagnostics };
}
