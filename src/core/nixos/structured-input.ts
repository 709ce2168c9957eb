// The raw, unmerged inputs of the merge as JSON (the shape of the fixtures' structured.json and of what
// kfit's `nix eval` calls return), turned into the module list generic.nix builds (spec §4.1).
import { InputError } from '../diag/errors.ts';
import {
  COMMON_CONFIG_FILE,
  STRUCTURED_EXTRA_CONFIG_FILE,
  UNKNOWN_FILE,
  type SettingsDefinition,
  type SettingsModule,
} from './kernel-value.ts';

/** One kernel patch's structured part. */
export interface PatchDefinition {
  readonly name: string;
  readonly settings: SettingsDefinition;
  /** The patch's legacy `extraConfig` string, if any. */
  readonly extraConfig?: string;
}

/** The raw inputs of the kernel-config merge. */
export interface StructuredInput {
  /** common-config.nix's definitions (absent when `enableCommonConfig` is false). */
  readonly commonDefinitions?: SettingsDefinition;
  readonly structuredExtraConfig: SettingsDefinition;
  readonly patchDefinitions: readonly PatchDefinition[];
  /** generic.nix's legacy `extraConfig` string argument. */
  readonly extraConfig?: string;
}

/** The module list generic.nix hands to lib.evalModules, in its order. */
export function settingsModules(input: StructuredInput): SettingsModule[] {
  const modules: SettingsModule[] = [];
  if (input.commonDefinitions) modules.push({ file: COMMON_CONFIG_FILE, settings: input.commonDefinitions });
  modules.push({ file: STRUCTURED_EXTRA_CONFIG_FILE, settings: input.structuredExtraConfig });
  for (const p of input.patchDefinitions) modules.push({ file: UNKNOWN_FILE, settings: p.settings });
  return modules;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Checks and converts parsed JSON into a {@link StructuredInput}; `file` names the source in errors. */
export function readStructuredInput(json: unknown, file: string): StructuredInput {
  const fail = (what: string): never => {
    throw new InputError('nixos/structured-input', `${file}:1:1: error: ${what}`);
  };
  if (!isRecord(json)) return fail('expected a JSON object with `structuredExtraConfig` and `patchDefinitions`');
  const settings = (v: unknown, what: string): SettingsDefinition => {
    if (v === undefined) return {};
    if (!isRecord(v)) return fail(`${what} must be an attribute set of items`);
    return v as SettingsDefinition;
  };
  const patches = json.patchDefinitions ?? [];
  if (!Array.isArray(patches)) return fail('`patchDefinitions` must be a list');
  const meta = isRecord(json.meta) ? json.meta : {};
  return {
    commonDefinitions: meta.enableCommonConfig === false ? undefined : settings(json.commonDefinitions, '`commonDefinitions`'),
    structuredExtraConfig: settings(json.structuredExtraConfig, '`structuredExtraConfig`'),
    patchDefinitions: patches.map((p: unknown, i: number) => {
      if (!isRecord(p)) return fail(`patchDefinitions[${i}] must be an attribute set`);
      return {
        name: typeof p.name === 'string' ? p.name : `patch ${i}`,
        settings: settings(p.settings, `patchDefinitions[${i}].settings`),
        extraConfig: typeof p.extraConfig === 'string' ? p.extraConfig : undefined,
      };
    }),
    extraConfig: typeof json.extraConfig === 'string' ? json.extraConfig : undefined,
  };
}
