// The intermediate text ("kernel-config") between the Nix side and generate-config.pl: rendering it from
// merged settings as kernel_config.nix + generic.nix do (spec §5), and reading it back as
// generate-config.pl does (spec §6.2).
import { InputError } from '../diag/errors.ts';
import type { MergedSettings } from './merge.ts';

/** What generic.nix appends after the rendered settings. */
export interface IntermediateExtras {
  /** generic.nix's legacy `extraConfig` string argument, appended directly. */
  readonly extraConfig?: string;
  /** `extraConfig` of every kernel patch (`""` when absent), each joined with `"\n"`. */
  readonly patchExtraConfigs?: readonly string[];
}

/** The two kernelPatches linux_6_12 / linux_6_1 always carry (no extraConfig), as `patchExtraConfigs`. */
export const STOCK_PATCH_EXTRA_CONFIGS: readonly string[] = ['', ''];

/**
 * Renders `intermediateNixConfig` (mirrors kernel_config.nix's mkConf / mkValue): one `NAME VALUE` or
 * `NAME? VALUE` line per symbol whose freeform (else tristate) is not null, in attribute order.
 * Reads the fields in Nix's order, so a merge conflict throws the error Nix would print first.
 */
export function renderSettings(settings: MergedSettings): string {
  let out = '';
  for (const name of settings.names) {
    const item = settings.get(name)!;
    const free = item.freeform();
    const val = free !== null ? free : item.tristate();
    if (val === null) continue;
    out += `${name}${item.optional() ? '?' : ''} ${val === '' ? '""' : val}\n`;
  }
  return out;
}

/** The full intermediate text generic.nix writes to `kernel-config` (settings + extraConfig + patches). */
export function renderKernelConfig(settings: MergedSettings, extras: IntermediateExtras = {}): string {
  const head = renderSettings(settings) + (extras.extraConfig ?? '');
  return [head, ...(extras.patchExtraConfigs ?? STOCK_PATCH_EXTRA_CONFIGS)].join('\n');
}

/** One answer read from the intermediate text. */
export interface Answer {
  readonly name: string;
  readonly value: string;
  /** False for a `NAME? value` line: its fallout is a warning, never an error. */
  readonly required: boolean;
  /** 1-based line of the (last) line that set it. */
  readonly line: number;
}

/** The answers generate-config.pl reads: last line wins, keyed by symbol. */
export type Answers = ReadonlyMap<string, Answer>;

/** Thrown for a line generate-config.pl dies on (`invalid config line: …`). */
export class IntermediateLineError extends InputError {
  readonly line: number;
  readonly text: string;
  constructor(file: string, line: number, text: string) {
    super(
      'nixos/invalid-config-line',
      `${file}:${line}:1: error: invalid config line: ${text} (generate-config.pl dies here: expected \`NAME VALUE\` or \`NAME? VALUE\`)`,
    );
    this.name = 'IntermediateLineError';
    this.line = line;
    this.text = text;
  }
}

const ANSWER_LINE = /^\s*([A-Za-z0-9_]+)(\?)?\s+(.*\S)\s*$/;

/** Reads the intermediate text (mirrors generate-config.pl's reading loop: `#` starts a comment, last line wins). */
export function parseKernelConfig(text: string, file = 'kernel-config'): Answers {
  const answers = new Map<string, Answer>();
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i];
    const hash = raw.indexOf('#');
    const line = hash >= 0 ? raw.slice(0, hash) : raw;
    const m = ANSWER_LINE.exec(line);
    if (m) {
      answers.set(m[1], { name: m[1], value: m[3], required: m[2] !== '?', line: i + 1 });
    } else if (/\S/.test(line)) {
      throw new IntermediateLineError(file, i + 1, line);
    }
  }
  return answers;
}

/**
 * The answers of an intermediate text as one `settings` definition (y/m/n → tristate, anything else →
 * freeform, `?` → optional), for when only the text is known: the fix loop then adds its module on top.
 */
export function answersToSettings(answers: Answers): Record<string, { tristate?: 'y' | 'm' | 'n'; freeform?: string; optional: boolean }> {
  const out: Record<string, { tristate?: 'y' | 'm' | 'n'; freeform?: string; optional: boolean }> = {};
  for (const a of answers.values()) {
    const v = a.value;
    out[a.name] = v === 'y' || v === 'm' || v === 'n' ? { tristate: v, optional: !a.required } : { freeform: v === '""' ? '' : v, optional: !a.required };
  }
  return out;
}
