/** A position in an input file: 1-based line and column, as editors and the kernel's tools print them. */
export interface SourceSpan {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/** Formats a span as `file:line:col` (the kernel's and GCC's form, which editors can jump to). */
export function formatSpan(span: SourceSpan): string {
  return `${span.file}:${span.line}:${span.column}`;
}

/**
 * Computes the 1-based line and column of `offset` in `text`.
 * Tokens carry offsets; line and column are derived only when a diagnostic is made (acorn's getLineInfo).
 */
export function lineColumnAt(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}
