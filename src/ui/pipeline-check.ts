// `kfit ui --kernel-config`: nixpkgs' config pipeline (generate-config.pl's two `make config` passes over the
// base config, simulated on kfit's engine) run on the intermediate text, before and after the UI's edits,
// with kfit's diagnosis of every error. Imports core only (the base config is made by the host).
import {
  answersToSettings,
  diagnose,
  engineLoader,
  engineSession,
  formatGenerateConfigOutput,
  mergeSettings,
  originOf,
  parseKernelConfig,
  simulateGenerateConfig,
  type GenerateConfigOptions,
  type GenerateConfigResult,
} from '../core/nixos/index.ts';
import type { KconfigModel } from '../core/kconfig/model.ts';
import type { UiCheck } from './api.ts';

/** The pipeline's inputs besides the model: the intermediate text, the base `.config`, the generic.nix flags. */
export interface PipelineInput {
  /** The configfile derivation's kernel-config text (`NAME VALUE` lines). */
  readonly kernelConfig: string;
  /** Its file name, for messages. */
  readonly file: string;
  /** `make <kernelBaseConfig>`'s .config. */
  readonly baseConfig: string;
  readonly options: GenerateConfigOptions;
}

/** The `.config` the pipeline makes of the intermediate text alone (what the UI starts from), and its output lines. */
export function pipelineConfig(model: KconfigModel, input: PipelineInput): { dotConfig: string; result: GenerateConfigResult; lines: string[] } {
  const answers = parseKernelConfig(input.kernelConfig, input.file);
  const result = simulateGenerateConfig(answers, engineSession(engineLoader(model), input.baseConfig), input.options);
  return { dotConfig: result.dotConfig, result, lines: formatGenerateConfigOutput(result) };
}

/**
 * Runs the pipeline on the intermediate text plus one `NAME VALUE` line per edit (as a structuredExtraConfig
 * entry would add them) and explains each error and warning; `baseline` (the output without the edits)
 * tells which lines the edits caused.
 */
export function checkWithPipeline(model: KconfigModel, input: PipelineInput, edits: ReadonlyMap<string, string>, baseline?: readonly string[]): UiCheck {
  const added = [...edits].map(([name, value]) => `${name} ${value === '' || value === '""' ? '""' : value}`);
  const text = input.kernelConfig + (input.kernelConfig === '' || input.kernelConfig.endsWith('\n') ? '' : '\n') + added.map((l) => `${l}\n`).join('');
  const answers = parseKernelConfig(text, input.file);
  const load = engineLoader(model);
  const result = simulateGenerateConfig(answers, engineSession(load, input.baseConfig), input.options);
  const origin = originOf(mergeSettings([{ file: input.file, settings: answersToSettings(answers) }]), answers);
  const diagnoses = diagnose(load(result.dotConfig), result, answers, origin).map((d) => ({ name: d.name, why: d.why }));
  const lines = formatGenerateConfigOutput(result);
  const before = new Set(baseline ?? lines);
  return { exitCode: result.exitCode, lines, diagnoses, added, fresh: lines.filter((l) => !before.has(l)) };
}
