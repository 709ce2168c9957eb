export { formatSpan, lineColumnAt, type SourceSpan } from './span.ts';
export {
  diagnostic,
  formatDiagnostic,
  hasErrors,
  type Diagnostic,
  type Parsed,
  type RelatedInformation,
  type Severity,
} from './diagnostic.ts';
export { InputError, InternalError } from './errors.ts';
