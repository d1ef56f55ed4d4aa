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
  // Python loads a name operand when it reaches it, before the operands after it are computed (`v2 / (c - v1)`
  // and `f(v4, 4 * v2)` load v2 and v4 first): a read's check goes to the first node computing a later operand.
  const reads = (n: IRNode, assigned: Set<string>, nodes: IRNode[] = [], start = new Map<string, number>()) => {
    const moved = new Map<IRNode, string[]>();
    n.args.forEach((a, k) => {
      if (!isRef(a) || !locals.has(a.ref) || assigned.has(a.ref)) return;
      const later = n.args.slice(k + 1).map((b) => (isRef(b) ? start.get(b.ref) : undefined)).filter((s): s is number => s !== undefined);
      const at = later.length ? nodes[Math.min(...later)] : n;
      moved.set(at, [...(moved.get(at) ?? []), a.ref]);
      flagged.add(a.ref);
    });
    // Loaded before anything the later operands compute: ahead of the checks that node already has.
    for (const [at, names] of moved) checks[keys.get(at)!] = [...new Set([...names, ...(checks[keys.get(at)!] ?? [])])];
  };
  const block = (nodes: IRNode[], inSet: Set<string>): Assigned => {
    let cur: Assigned = new Set(inSet);
    // Where the computation of each temporary value of this block starts (its node, or the first node of its operands).
    const start = new Map<string, number>();
    nodes.forEach((n, i) => {
      const s = Math.min(i, ...n.args.map((a) => (isRef(a) ? start.get(a.ref) ?? i : i)));
      if (n.op === 'call_function' || n.op === 'constant') start.set(n.name, s);
      // A conditional expression, and/or, a chained comparison: an if whose branches assign its result.
      if (n.op === 'if') for (const r of n.regions!) for (const m of r.nodes) if (m.op === 'assign' && /^(ifexp|and|or|compare)_result(_\d+)?$/.test(m.target)) start.set(m.target, s);
    });
    for (const n of nodes) {
      if (cur === EXIT) return EXIT; // unreachable code
      if (n.op !== 'while') reads(n, cur, nodes, start);
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
        case 'try': {
          // A handler starts where the body may have stopped at any of its nodes: with what was assigned before
          // the try. The finally clause runs on every path, normal or not: from there too.
          const region = (name: string) => n.regions!.filter((r) => r.name === name);
          const afterBody = block(region('body')[0].nodes, cur);
          let joined: Assigned = afterBody === EXIT ? EXIT : block(region('orelse')[0].nodes, afterBody);
          for (const h of region('handler')) joined = intersect(joined, block(h.nodes, cur));
          const afterFinally = block(region('finally')[0].nodes, cur);
          if (joined === EXIT || afterFinally === EXIT) return EXIT;
          cur = new Set([...joined, ...afterFinally]);
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
