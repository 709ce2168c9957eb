import { formatSpan, type SourceSpan } from './span.ts';

/** How serious a diagnostic is. */
export type Severity = 'error' | 'warning' | 'info';

/** Another place that explains a diagnostic, e.g. "included from arch/x86/Kconfig:12". */
export interface RelatedInformation {
  readonly message: string;
  readonly span?: SourceSpan;
}

/** A message about the input, as data: core never prints, callers decide how to show it. */
export interface Diagnostic {
  readonly severity: Severity;
  /** A stable, machine-readable code such as `kconfig/syntax` or `dotconfig/unknown-symbol`. */
  readonly code: string;
  readonly message: string;
  readonly span?: SourceSpan;
  readonly related: readonly RelatedInformation[];
}

/** Builds a diagnostic; `related` defaults to none. */
export function diagnostic(
  severity: Severity,
  code: string,
  message: string,
  span?: SourceSpan,
  related: readonly RelatedInformation[] = [],
): Diagnostic {
  return { severity, code, message, span, related };
}

/**
 * Formats a diagnostic the way the kernel's tools and compilers do:
 * `file:line:col: error: message`, then one indented line per related place.
 */
export function formatDiagnostic(d: Diagnostic): string {
  const head = d.span ? `${formatSpan(d.span)}: ${d.severity}: ${d.message}` : `${d.severity}: ${d.message}`;
  const tail = d.related.map((r) => (r.span ? `  ${formatSpan(r.span)}: note: ${r.message}` : `  note: ${r.message}`));
  return [head, ...tail].join('\n');
}

/** The result of a parser or reader: a value (when it could go on) plus everything it noticed. */
export interface Parsed<T> {
  readonly value: T;
  readonly diagnostics: readonly Diagnostic[];
}

/** True when any diagnostic is an error. */
export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}
