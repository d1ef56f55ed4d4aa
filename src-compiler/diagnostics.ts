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
  /**
   * How the function at fault was reached when that crossed modules: each call from the entry on, with the
   * place of the call, the last step being where the problem is (`scaled` → `utils.clamp` → `io_helpers.log`).
   */
  chain?: { function: string; file: string; line: number; col: number }[];
}

/** A failure tied to a place; `diagnostics` holds every problem found (a function reports all its problems), `diagnostic` the first. */
export class KilnError extends Error {
  public readonly diagnostic: Diagnostic;
  public readonly diagnostics: Diagnostic[];
  constructor(diagnostic: Diagnostic | Diagnostic[]) {
    // One problem reached twice (a with statement calls __exit__ on two paths, an op resolved in two rounds) is said once.
    const seen = new Set<string>();
    const all = (Array.isArray(diagnostic) ? diagnostic : [diagnostic]).filter((d) => !seen.has(formatDiagnostic(d)) && !!seen.add(formatDiagnostic(d)));
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
  const chain = d.chain?.length ? `\n  called from: ${formatChain(d.chain)}` : '';
  return `${where}: ${d.severity}${fn}: ${d.message}${hint}${chain}`;
}

/** `scaled (main.py:7) → utils.clamp (utils.py:12) → io_helpers.log (io_helpers.py:4)`: file names only, lines. */
export function formatChain(chain: NonNullable<Diagnostic['chain']>): string {
  return chain.map((s) => `${s.function} (${s.file.replace(/^.*[\\/]/, '')}:${s.line})`).join(' → ');
}

export function isKilnError(e: unknown): e is KilnError {
  return e instanceof KilnError;
}

/** KILN_DEBUG=1: an internal error also prints its stack trace (on stderr), for a Kiln developer. */
export function debugEnabled(): boolean {
  return process.env.KILN_DEBUG === '1';
}

/**
 * A failure that is not a KilnError is a bug in Kiln. The user sees where it happened (`place`: the file and
 * the function being compiled) and its message, never a stack trace; KILN_DEBUG=1 prints the stack on stderr.
 */
export function internalErrorDiagnostic(e: unknown, place: Place & { function?: string }): Diagnostic {
  const where = `${place.file}${place.function ? `::${place.function}` : ''}`;
  if (debugEnabled()) process.stderr.write(`kiln: internal error in Kiln (${where}):\n${(e as Error)?.stack ?? e}\n`);
  return {
    severity: 'error', ...place, construct: 'internal',
    message: `internal error in Kiln: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`,
    hint: `this is a bug in Kiln, not in your code: please report it with ${place.function ? `the function ${place.function}()` : 'this input'}; KILN_DEBUG=1 prints the stack trace`,
  };
}
