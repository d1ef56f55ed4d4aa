/** Errors tied to a place. Every user-facing failure of the compiler is a Diagnostic, never a stack trace. */

export interface Place {
  file: string;
  line: number;
  col: number;
  endLine?: number;
  endCol?: number;
}

export interface Diagnostic extends Place {
  severity: 'error' | 'warning';
  /** The Python construct or setting at fault, e.g. "class definition", "lambda", "target linux-arm64". */
  construct: string;
  message: string;
  /** What to do instead. */
  hint?: string;
  function?: string;
}

export class KilnError extends Error {
  constructor(public readonly diagnostic: Diagnostic) {
    super(formatDiagnostic(diagnostic));
    this.name = 'KilnError';
  }
}

export function formatDiagnostic(d: Diagnostic): string {
  const where = d.line ? `${d.file}:${d.line}:${d.col}` : d.file;
  const fn = d.function ? ` in ${d.function}()` : '';
  const hint = d.hint ? `\n  hint: ${d.hint}` : '';
  return `${where}: ${d.severity}${fn}: ${d.message}${hint}`;
}

export function isKilnError(e: unknown): e is KilnError {
  return e instanceof KilnError;
}
