/**
 * What one call of a generated program says: the same value or exception as CPython (a match), one of
 * Kiln's documented limits, or a mismatch; and what a refusal's reason is. Comparison is run/verify.ts's,
 * with the reference asked which limits each call reached (resources/python/kiln_limits.py), so a limit
 * is accepted only where CPython's run reached it; the fuzzer is stricter in one more way: an exception
 * must carry CPython's message too.
 */
import type { Diagnostic } from '../diagnostics.ts';
import type { CallOutcome } from '../run/call.ts';
import { claimedLimit, compareOutcome, type RefOutcome } from '../run/verify.ts';
import { fromRefJSON, pyRepr } from '../run/values.ts';

export type CaseClass = 'match' | 'limit' | 'mismatch' | 'crash' | 'python-timeout';

export interface CaseVerdict {
  status: CaseClass;
  /** For a mismatch: what kind (value, exception type, message, limit without cause, ...), stable under reduction. */
  kind?: string;
  note?: string;
}

export function classifyCase(ref: RefOutcome, nat: CallOutcome, names: string[] = []): CaseVerdict {
  const cmp = compareOutcome(ref, nat, names);
  if (cmp.status === 'crash' || cmp.status === 'python-timeout' || cmp.status === 'limit') return { status: cmp.status, note: cmp.note };
  if (cmp.status === 'match') {
    if (cmp.note?.startsWith('message differs')) return { status: 'mismatch', kind: 'exception message', note: cmp.note };
    return { status: 'match', note: cmp.note };
  }
  const limitWithoutCause = !nat.ok && 'error' in nat && claimedLimit(nat.error) !== 0 && !('err' in ref && ref.err[0] === nat.error.type);
  return { status: 'mismatch', kind: limitWithoutCause ? 'documented limit raised where CPython did not reach it' : mismatchKind(ref, nat), note: cmp.note };
}

function mismatchKind(ref: RefOutcome, nat: CallOutcome): string {
  if ('fatal' in ref) return 'CPython reference failed';
  const natRaised = !nat.ok && 'error' in nat;
  if ('err' in ref) return natRaised ? 'exception type' : 'value where CPython raised';
  if (natRaised) return 'exception where CPython gave a value';
  if (nat.ok && 'ok' in ref) {
    const pv = fromRefJSON(ref.ok);
    if (pv.kind !== nat.value.kind) return 'result type';
    return 'value';
  }
  return 'value';
}

// ---- refusals ----------------------------------------------------------------------------------------

export interface Refusal {
  /** The diagnostic's construct and message, with names, numbers and types of this program taken out. */
  reason: string;
  /** A typing limit (a type that depends on the path or the values) rather than a construct outside the subset. */
  typing: boolean;
}

const TYPING_CONSTRUCTS = new Set(['return type', 'variable changes type', 'type inference']);

export function refusalOf(d: Diagnostic): Refusal {
  let construct = d.construct;
  // `builtins.min(int, float)` -> `builtins.min(...)`: the argument types are in the message when they matter.
  construct = construct.replace(/\(.*\)$/, '(...)');
  let message = d.message
    .replace(/\s*\(line \d+\)/g, '')
    .replace(/'[A-Za-z_][\w.]*'/g, (m) => (/^'(int|float|bool|tuple|list|NoneType|numpy\.\w+)'$/.test(m) ? m : "'…'"))
    .replace(/\b\d+\b/g, 'N');
  // The first clause says what; the rest is advice. Pairs of types are one reason in either order.
  message = message.split(/;\s/)[0]
    .replace(/gives (\S+) on one path and (\S+) on another/, (_m, a, b) => `gives ${[a, b].sort().join(' on one path and ')} on another`)
    .replace(/returns (\S+) on one path and (\S+) here/, (_m, a, b) => `returns ${[a, b].sort().join(' and ')} on different paths`)
    .replace(/changes type from (\S+) to (\S+)/, (_m, a, b) => `changes type between ${[a, b].sort().join(' and ')}`)
    .replace(/of mixed (\S+) and (\S+):/, (_m, a, b) => `of mixed ${[a, b].sort().join(' and ')}:`);
  const typing = TYPING_CONSTRUCTS.has(d.construct) || /depend on the values|on one path/.test(d.message);
  return { reason: `${construct}: ${message}`, typing };
}

/** An exception or value as text, for reports. */
export function refText(o: RefOutcome): string {
  if ('ok' in o) return pyRepr(fromRefJSON(o.ok));
  if ('err' in o) return o.err[1] ? `${o.err[0]}: ${o.err[1]}` : o.err[0];
  return 'timeout' in o ? 'timed out' : o.fatal;
}

export function nativeText(o: CallOutcome): string {
  if (o.ok) return pyRepr(o.value);
  return 'error' in o ? (o.error.message ? `${o.error.type}: ${o.error.message}` : o.error.type) : o.crash;
}
