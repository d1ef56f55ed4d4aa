/**
 * Definite assignment (as Python's UnboundLocalError): a local read where some path has not assigned it gets
 * a `<name>_bound` flag, set by every assignment, and a check at that read. Parameters are always bound;
 * `return`, `raise`, `break` and `continue` end a path; a `while True` without `break` never falls through.
 *
 * Always on: it decides behaviour (an unbound read must raise), not speed.
 */
import { isRef, type IRNode } from '../ir/ir.ts';
import type { TypedFunction } from '../types/typecheck.ts';
import { hasBreak, nodeKeys } from './typed.ts';

export interface DefiniteAssignment {
  /** Locals that carry a `_bound` flag, in the order they were found. */
  flagged: string[];
  /** Node key (opt/typed.ts nodeKeys) -> the locals it reads that may be unbound there. */
  checks: Record<string, string[]>;
}

export function definiteAssignment(f: TypedFunction): DefiniteAssignment {
  const keys = nodeKeys(f.ir.nodes);
  const locals = new Set(Object.keys(f.varTypes));
  const flagged = new Set<string>();
  const checks: Record<string, string[]> = {};
  const EXIT = null;
  type Assigned = Set<string> | typeof EXIT;
  const intersect = (a: Assigned, b: Assigned): Assigned => (a === EXIT ? b : b === EXIT ? a : new Set([...a].filter((x) => b.has(x))));
  const reads = (n: IRNode, assigned: Set<string>) => {
    const missing = n.args.filter((a) => isRef(a) && locals.has(a.ref) && !assigned.has(a.ref)).map((a) => (a as { ref: string }).ref);
    if (missing.length) {
      const uniq = [...new Set(missing)];
      checks[keys.get(n)!] = uniq;
      uniq.forEach((v) => flagged.add(v));
    }
  };
  const block = (nodes: IRNode[], inSet: Set<string>): Assigned => {
    let cur: Assigned = new Set(inSet);
    for (const n of nodes) {
      if (cur === EXIT) return EXIT; // unreachable code
      if (n.op !== 'while') reads(n, cur);
      switch (n.op) {
        case 'input':
          cur.add(n.name);
          break;
        case 'assign':
          cur.add(n.target);
          break;
        case 'output': case 'raise': case 'break': case 'continue':
          return EXIT;
        case 'if': {
          const [t, e] = n.regions!;
          cur = intersect(block(t.nodes, cur), block(e.nodes, cur));
          break;
        }
        case 'for_range': {
          const [body, orelse] = n.regions!;
          block(body.nodes, new Set([...cur, n.target]));
          const afterElse = block(orelse.nodes, cur);
          cur = hasBreak(body.nodes) ? cur : afterElse;
          break;
        }
        case 'while': {
          const [test, body, orelse] = n.regions!;
          const afterTest = block(test.nodes, cur);
          if (afterTest === EXIT) return EXIT;
          reads(n, afterTest);
          block(body.nodes, afterTest);
          const infinite = !isRef(n.args[0]) && n.args[0].const.kind === 'bool' && n.args[0].const.value;
          const brk = hasBreak(body.nodes);
          if (infinite && !brk) return EXIT;
          const afterElse = block(orelse.nodes, afterTest);
          cur = brk ? afterTest : afterElse;
          break;
        }
        default:
          break;
      }
    }
    return cur;
  };
  block(f.ir.nodes, new Set(f.ir.params.map((p) => p.name)));
  return { flagged: [...flagged], checks };
}
