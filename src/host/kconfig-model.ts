// Loading a kernel tree's Kconfig model the way `make O=… ARCH=… <target>` would read it: make's environment,
// the source host with its $(shell) cache, the parse in the tree's own grammar, and the model build.
import { hasErrors, type Diagnostic } from '../core/diag/diagnostic.ts';
import { InputError } from '../core/diag/errors.ts';
import { flavorForVersion } from '../core/kconfig/flavor.ts';
import type { KconfigModel } from '../core/kconfig/model.ts';
import { buildModel } from '../core/kconfig/model-build.ts';
import { parseKconfig } from '../core/kconfig/parse-kconfig.ts';
import { kconfigEnvironment, type KconfigEnv } from './kconfig-env.ts';
import { NodeSourceHost } from './kconfig-source.ts';

/** Where and how to read a tree's Kconfig. */
export interface KconfigModelOptions {
  /** The kernel source tree (absolute). */
  readonly srctree: string;
  readonly arch: string;
  /** The O= build directory conf would run in (probes run there); undefined = in-tree. */
  readonly objtree?: string;
  /** The `$(shell,…)` answer cache: default, a folder, or false for none. */
  readonly shellCache?: string | false;
}

/** A loaded model with the environment it was read in and the model builder's warnings. */
export interface LoadedKconfigModel {
  readonly model: KconfigModel;
  readonly env: KconfigEnv;
  /** menu_warn()/prop_warn()-like warnings of the model build (errors throw instead). */
  readonly warnings: readonly Diagnostic[];
}

/**
 * Reads the tree's Kconfig (the root file make would give conf, in the grammar of the tree's own version) and
 * builds the model. Throws an InputError listing every syntax or model error.
 */
export function loadKconfigModel(options: KconfigModelOptions): LoadedKconfigModel {
  const env = kconfigEnvironment({ srctree: options.srctree, arch: options.arch, objtree: options.objtree });
  const host = new NodeSourceHost({ srctree: options.srctree, env: env.env, cwd: env.cwd, cache: options.shellCache });
  const flavor = flavorForVersion(env.kernelVersion);
  const parsed = parseKconfig(env.rootFile, host, { flavor });
  if (hasErrors(parsed.diagnostics)) throw InputError.fromDiagnostics('kconfig/syntax', parsed.diagnostics);
  const built = buildModel(parsed.value, { flavor });
  if (hasErrors(built.diagnostics)) throw InputError.fromDiagnostics('kconfig/model', built.diagnostics);
  return { model: built.value, env, warnings: built.diagnostics };
}
