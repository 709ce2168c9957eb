// The bridge to the local `nix-instantiate` (Debian's nix-bin): parse checks, JSON evaluation, <nixpkgs>
// lookup. Nix's error messages become InputErrors that start `file:line:col: error:`.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { InputError, InternalError } from '../core/diag/index.ts';
import { LIB_KERNEL_STANDIN } from '../core/nix/lib-kernel-standin.ts';
import { structuredEvalExpression, type EvaluatedPatch } from '../core/nix/structured-eval.ts';

/** Options for running nix-instantiate. */
export interface NixRunOptions {
  /** Extra `-I` search-path entries. */
  readonly includePaths?: readonly string[];
  /** Files the user wrote: an error position inside one of them is preferred over kfit's own expression. */
  readonly userFiles?: readonly string[];
  /** Shown instead of `«string»`/`«stdin»` positions (the expression kfit built). */
  readonly label?: string;
}

const binary = 'nix-instantiate';

function run(args: readonly string[], input?: string): { status: number | null; stdout: string; stderr: string; missing: boolean } {
  const r = spawnSync(binary, args, { input, encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
  const missing = (r.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '', missing };
}

function missingNix(): InputError {
  return new InputError('nix/missing', 'kfit: nix-instantiate was not found on PATH; install Debian\'s nix-bin (apt-get install nix-bin)');
}

/** A position nix printed: `at FILE:LINE:COL:`. */
interface NixPosition {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/**
 * Turns nix's stderr into one `file:line:col: error: message` text. The message is nix's first `error:`
 * paragraph (conflict listings included); the position is the first one inside `userFiles`, else nix's first.
 */
export function formatNixError(stderr: string, options: NixRunOptions = {}): string {
  const lines = stderr.replace(/\x1b\[[0-9;]*m/g, '').split('\n');
  const start = lines.findIndex((l) => l.startsWith('error:'));
  const body: string[] = [];
  for (let i = Math.max(start, 0); i < lines.length; i++) {
    const l = lines[i];
    if (/^\s+at .*:\d+:\d+:$/.test(l) || /^\s+… /.test(l) || l.startsWith('(use \'--show-trace\'')) break;
    if (i > start && l.startsWith('error:')) break;
    body.push(i === start ? l.replace(/^error:\s*/, '') : l.trim());
  }
  while (body.length > 0 && body[body.length - 1] === '') body.pop();
  const positions: NixPosition[] = [];
  for (const l of lines) {
    const m = /^\s+at (.+):(\d+):(\d+):$/.exec(l);
    if (m) positions.push({ file: m[1], line: Number(m[2]), column: Number(m[3]) });
  }
  const user = new Set(options.userFiles ?? []);
  const pos = positions.find((p) => user.has(p.file)) ?? positions[0];
  const message = body.filter((l, i) => i === 0 || l !== '').join('\n  ') || 'nix-instantiate failed';
  if (!pos) {
    const only = options.userFiles?.length === 1 ? `${options.userFiles[0]}: ` : '';
    return `${only}error: ${message}`;
  }
  const file = /^«(string|stdin)»$/.test(pos.file) && options.label ? options.label : pos.file;
  return `${file}:${pos.line}:${pos.column}: error: ${message}`;
}

/** Checks that `file` parses as Nix (`nix-instantiate --parse`); throws an InputError with nix's position. */
export function parseNixFile(file: string): void {
  const r = run(['--parse', file]);
  if (r.missing) throw missingNix();
  if (r.status !== 0) throw new InputError('nix/parse', formatNixError(r.stderr, { userFiles: [file] }));
}

/** Checks that `text` parses as Nix; positions are reported against `label`. */
export function parseNixText(text: string, label: string): void {
  const r = run(['--parse', '-'], text);
  if (r.missing) throw missingNix();
  if (r.status !== 0) throw new InputError('nix/parse', formatNixError(r.stderr, { label }));
}

/**
 * Evaluates `expression` with `nix-instantiate --eval --json --strict --show-trace` and parses the JSON.
 * Errors carry the first position inside `options.userFiles`.
 */
export function evalNixJson(expression: string, options: NixRunOptions = {}): unknown {
  const args = ['--eval', '--json', '--strict', '--show-trace'];
  for (const p of options.includePaths ?? []) args.push('-I', p);
  const r = run([...args, '-E', expression]);
  if (r.missing) throw missingNix();
  if (r.status !== 0) throw new InputError('nix/eval', formatNixError(r.stderr, options));
  return JSON.parse(r.stdout);
}

/** Returns the path `<nixpkgs>` resolves to, or null when it is not in the search path (or nix is missing). */
export function findNixpkgs(): string | null {
  const r = run(['--find-file', 'nixpkgs']);
  if (r.missing || r.status !== 0) return null;
  const path = r.stdout.trim();
  return path === '' ? null : path;
}

/** True when `nix-instantiate` can be run. */
export function nixAvailable(): boolean {
  return !run(['--version']).missing;
}

/** Options for {@link evaluateStructuredFiles}. */
export interface StructuredFilesOptions {
  /** Kernel version for `whenAtLeast…` and a `version` argument. */
  readonly version: string | null;
  /** Attribute paths to pick inside each file (`-A`). */
  readonly attrs?: readonly string[];
  /** `nixpkgs` (use `<nixpkgs/lib>`, fail when missing), `stand-in`, or `auto` (nixpkgs when it resolves). */
  readonly lib?: 'auto' | 'nixpkgs' | 'stand-in';
}

/**
 * Evaluates Nix files that hold structured kernel config (see structuredEvalExpression for the accepted
 * forms) and returns the kernel patches found, plus which lib was used.
 */
export function evaluateStructuredFiles(files: readonly string[], options: StructuredFilesOptions): { patches: EvaluatedPatch[]; lib: 'nixpkgs' | 'stand-in' } {
  const absolute = files.map((f) => resolve(f));
  for (const f of absolute) {
    if (!existsSync(f)) throw new InputError('nix/missing-file', `kfit: ${f}: no such file`);
  }
  const want = options.lib ?? 'auto';
  const nixpkgs = want === 'stand-in' ? null : findNixpkgs();
  if (want === 'nixpkgs' && nixpkgs === null) {
    throw new InputError('nix/no-nixpkgs', 'kfit: <nixpkgs> is not in the Nix search path (set NIX_PATH or use the stand-in lib)');
  }
  const libExpression = nixpkgs !== null ? 'import <nixpkgs/lib>' : `(${LIB_KERNEL_STANDIN}) { version = ${options.version === null ? 'null' : JSON.stringify(options.version)}; }`;
  const expression = structuredEvalExpression({ files: absolute, libExpression, version: options.version, attrs: options.attrs });
  const json = evalNixJson(expression, { userFiles: absolute, label: absolute.length === 1 ? absolute[0] : '<kfit>' });
  if (!Array.isArray(json)) throw new InternalError('nix evaluation did not return a list');
  return { patches: json as EvaluatedPatch[], lib: nixpkgs !== null ? 'nixpkgs' : 'stand-in' };
}
