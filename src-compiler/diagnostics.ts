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

/** A failure tied to a place; `diagnostics` holds every problem found (a function reports all its problems), `diagnostic` the first. */
export class KilnError extends Error {
  public readonly diagnostic: Diagnostic;
  public readonly diagnostics: Diagnostic[];
  constructor(diagnostic: Diagnostic | Diagnostic[]) {
    const all = Array.isArray(diagnostic) ? diagnostic : [diagnostic];
    super(all.map(formatDiagnostic).join('\n'));
    this.name = 'KilnError';
    this.diagnostic = all[0];
    this.diagnostics = all;
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
