// Reading the NixOS inputs the commands share (`--kernel-config FILE`, the intermediate text; `--structured
// FILE`, the unmerged definitions as JSON): one clear error with the file for anything unreadable or malformed.
import { readFileSync } from 'node:fs';
import { InputError } from '../../core/diag/errors.ts';
import { readStructuredInput, type StructuredInput } from '../../core/nixos/index.ts';

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

// line:col of a JSON.parse error when the message names a position ("… at position N"), else 1:1
function jsonErrorPlace(text: string, error: unknown): string {
  const at = /position (\d+)/.exec(error instanceof Error ? error.message : '');
  if (!at) return '1:1';
  const before = text.slice(0, Number(at[1]));
  const line = before.split('\n').length;
  return `${line}:${before.length - before.lastIndexOf('\n')}`;
}
