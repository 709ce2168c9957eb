import { formatDiagnostic, type Diagnostic } from './diagnostic.ts';

/**
 * A problem with the user's input (a Kconfig syntax error, a malformed .config, a bad flag).
 * The CLI prints `message` (which starts `file:line:col: error:` when there is a place) and exits 1.
 * It carries every error found, not only the first (the kernel's `yynerrs`).
 */
export class InputError extends Error {
  readonly code: string;
  readonly diagnostics: readonly Diagnostic[];

  constructor(code: string, message: string, diagnostics: readonly Diagnostic[] = []) {
    super(message);
    this.name = 'InputError';
    this.code = code;
    this.diagnostics = diagnostics;
  }

  /** Makes one InputError out of all error diagnostics (warnings are kept too, after the errors). */
  static fromDiagnostics(code: string, diagnostics: readonly Diagnostic[]): InputError {
    const errors = diagnostics.filter((d) => d.severity === 'error');
    const rest = diagnostics.filter((d) => d.severity !== 'error');
    const text = [...errors, ...rest].map(formatDiagnostic).join('\n');
    return new InputError(code, text, diagnostics);
  }
}

/** A bug in kfit itself: the CLI asks the user to report it, with versions. */
export class InternalError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InternalError';
  }
}
