/**
 * Lifetimes of values that own references (objects: str, bytes, tuples holding them; later dicts, instances,
 * closures' cells): where generated code releases each one. Always on: it decides memory, not speed.
 *
 * The ownership model (docs/design/object-model.md) as the emitter applies it:
 * - a local variable of such a type owns one reference: an assignment takes a new one (or takes over a
 *   value's, see `moves`) and drops the old; everything a function owns is dropped on every exit, normal or
 *   error (one cleanup label, lower/c.ts);
 * - arguments are borrowed; a parameter the function assigns is owned instead (a reference taken on entry), so
 *   that `s += t` never appends in place to a string its caller still holds;
 * - the value a call or an op computes (a node) is a new reference, dropped right after its last use, where
 *   "last use" is the last node of the block that defines it which reads it (directly or in a nested region):
 *   a string made and dropped in a loop body is freed in the same iteration, so loops run in bounded memory,
 *   and no stale temporary keeps a second reference to a string that `+=` could otherwise extend in place;
 * - an `assign` or `output` that is the last use of a value takes its reference over (no count traffic);
 * - a value defined in a loop may find its slot still holding the previous iteration's value (a `continue` or
 *   `break` skipped the release): the emitter clears it first; values of a while loop's test are visible after
 *   the loop, so they are only cleared before the next definition and on exit.
 */
import { isRef, type Arg, type IRNode } from '../ir/ir.ts';
import type { TypedFunction } from '../types/typecheck.ts';
import { ownsReferences } from '../types/types.ts';
import { nodeKeys } from './typed.ts';
import { walkNodes } from '../ir/ir.ts';

export interface Lifetimes {
  /** Parameters that own references and that the function assigns: it takes its own reference on entry. */
  ownedParams: string[];
  /** Locals (not parameters) that own references. */
  ownedLocals: string[];
  /** Node values that own references (call results), by node name. */
  temps: string[];
  /** Values defined inside a loop (or a while test): their slot is cleared before each definition. */
  clearBefore: string[];
  /** Node key -> values released right after that node (their last use in the block that defines them). */
  releaseAfter: Record<string, string[]>;
  /** Node key of an `assign` or `output` -> the value whose reference it takes over (it is that value's last use). */
  moves: Record<string, string>;
}

/**
 * `extraReads`: values a node reads beyond its arguments, by node name (a split loop reads the string it splits on
 * every iteration: opt/splitLoops.ts).
 */
export function lifetimes(f: TypedFunction, extraReads: Record<string, string[]> = {}): Lifetimes {
  const reads = (n: IRNode, name: string): boolean => {
    let found = false;
    walkNodes([n], (m) => { if (m.args.some((a: Arg) => isRef(a) && a.ref === name) || extraReads[m.name]?.includes(name)) found = true; });
    return found;
  };
  const keys = nodeKeys(f.ir.nodes);
  const params = new Set(f.ir.params.map((p) => p.name));
  const assigned = new Set<string>();
  walkNodes(f.ir.nodes, (n) => { if (n.op === 'assign') assigned.add(n.target); });
  const out: Lifetimes = {
    ownedParams: f.ir.params.filter((p, i) => ownsReferences(f.paramTypes[i]) && assigned.has(p.name)).map((p) => p.name),
    ownedLocals: Object.entries(f.varTypes).filter(([v, t]) => !params.has(v) && ownsReferences(t)).map(([v]) => v),
    temps: [], clearBefore: [], releaseAfter: {}, moves: {},
  };
  const owned = (n: IRNode) => n.op === 'call_function' && ownsReferences(n.type);

  const block = (nodes: IRNode[], inLoop: boolean, keepAlive: boolean) => {
    nodes.forEach((n, i) => {
      if (owned(n)) {
        out.temps.push(n.name);
        if (inLoop || keepAlive) out.clearBefore.push(n.name);
        if (!keepAlive) {
          let last = i;
          for (let j = i + 1; j < nodes.length; j++) if (reads(nodes[j], n.name)) last = j;
          const user = nodes[last];
          const key = keys.get(user)!;
          const direct = last > i && (user.op === 'assign' || user.op === 'output') && isRef(user.args[0]) && user.args[0].ref === n.name;
          if (direct) out.moves[key] = n.name;
          else (out.releaseAfter[key] ??= []).push(n.name);
        }
      }
      for (const r of n.regions ?? []) {
        const loopBody = (n.op === 'for_range' || n.op === 'while') && r.name !== 'orelse';
        block(r.nodes, inLoop || loopBody, n.op === 'while' && r.name === 'test');
      }
    });
  };
  block(f.ir.nodes, false, false);
  return out;
}

/** True when a function holds references anywhere (then it is emitted with a cleanup label). */
export function holdsReferences(l: Lifetimes): boolean {
  return l.ownedParams.length + l.ownedLocals.length + l.temps.length > 0;
}
