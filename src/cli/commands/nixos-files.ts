// The files the NixOS commands share: the inputs (`--kernel-config FILE`, the intermediate text; `--structured
// FILE`, the unmerged definitions as JSON) and the outputs (.config, Nix files), with one clear error naming the
// file for anything unreadable, malformed or unwritable.
import { readFileSync } from 'node:fs';
import { writeFileAtomically } from '../../host/atomic-file.ts';
import { InputError } from '../../core/diag/errors.ts';
import { mergeSettings, readStructuredInput, renderKernelConfig, settingsModules, type MergedSettings, type SettingsModule, type StructuredInput } from '../../core/nixos/index.ts';

/** A file's text; a missing or unreadable file is an InputError with `code`. */
export function readInputFile(path: string, what: string, code: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    throw new InputError(code, `kfit: cannot read ${what} ${path}`);
  }
}

/** `--structured FILE`: the definitions, with `file:line:col` errors for text that is no JSON or not their shape. */
export function readStructuredFile(path: string, code: string): StructuredInput {
  const text = readInputFile(path, 'the structured input', code);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    // one line (V8's message quotes the text around the error, newlines included)
    throw new InputError(code, `${path}:${jsonErrorPlace(text, error)}: error: not JSON: ${(error as Error).message.replace(/\s*\n\s*/g, ' ')}`);
  }
  return readStructuredInput(json, path);
}

/** A NixOS kernel config given as its intermediate text, or as the definitions it is rendered from. */
export interface NixosIntermediate {
  /** The intermediate text (nixpkgs' `configfile` kernelConfig). */
  readonly text: string;
  /** The file it came from (`--kernel-config` or `--structured`). */
  readonly file: string;
  /** With `--structured`: the definitions as modules, their merge, and the kernel patches' extraConfig texts. */
  readonly structured?: { readonly modules: SettingsModule[]; readonly merged: MergedSettings; readonly patchExtraConfigs: string[] };
}

/**
 * `--structured FILE` (merged and rendered as nixpkgs does) or `--kernel-config FILE`, whichever is given (undefined
 * for neither); errors carry `<command>/structured-input` or `<command>/missing-file`.
 */
export function readNixosIntermediate(o: { readonly kernelConfig?: string; readonly structured?: string }, command: string): NixosIntermediate | undefined {
  if (o.structured) {
    const input = readStructuredFile(o.structured, `${command}/structured-input`);
    const modules = settingsModules(input);
    const merged = mergeSettings(modules);
    const patchExtraConfigs = input.patchDefinitions.map((p) => p.extraConfig ?? '');
    return { text: renderKernelConfig(merged, { extraConfig: input.extraConfig, patchExtraConfigs }), file: o.structured, structured: { modules, merged, patchExtraConfigs } };
  }
  if (o.kernelConfig) return { text: readInputFile(o.kernelConfig, 'the intermediate text', `${command}/missing-file`), file: o.kernelConfig };
  return undefined;
}

// line:col of a JSON.parse error when the message names a position ("… at position N"), else 1:1
function jsonErrorPlace(text: string, error: unknown): string {
  const at = /position (\d+)/.exec(error instanceof Error ? error.message : '');
  if (!at) return '1:1';
  const before = text.slice(0, Number(at[1]));
  const line = before.split('\n').length;
  return `${line}:${before.length - before.lastIndexOf('\n')}`;
}

/** Writes `text` to `path` whole or not at all (a temporary file, then rename); failure is an InputError with `code`. */
export function writeOutputFile(path: string, text: string, code: string): void {
  try {
    writeFileAtomically(path, text);
  } catch (error) {
    throw new InputError(code, `kfit: cannot write ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}
