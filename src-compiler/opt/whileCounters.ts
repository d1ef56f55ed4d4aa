/**
 * `while v < X and ...: ... v += 1`: the increment cannot overflow, since v < X <= INT64_MAX held when the test
 * passed and the body writes v nowhere else, so it is lowered as a plain C `+`. The test's first conjunct is
 * found through the IR's `and` (c = a; if c: ...; c = b), whose result is true only when a was. Uses the ops'
 * `compare` (`<`, `>`) and `affine` (`+`) facts; both sides must be Python ints (a float bound such as inf
 * would not keep v below INT64_MAX).
 */
import { isRef, walkNodes, type Arg, type IRNode } from '../ir/ir.ts';
import type { TypedFunction } from '../types/typecheck.ts';
import { FunctionTypes, factsOf, isPyIntType } from './typed.ts';

/** The names of the `v + 1` nodes of every while loop of `f` that cannot overflow. */
export function whileCounters(f: TypedFunction): string[] {
  const types = new FunctionTypes(f);
  const counters: string[] = [];
  walkNodes(f.ir.nodes, (w) => { if (w.op === 'while') counters.push(...countersOf(f, types, w)); });
  return counters;
}

/** The counters of one while loop. */
export function countersOf(f: TypedFunction, types: FunctionTypes, w: IRNode): string[] {
  const [test, body] = w.regions!;
  const cond = w.args[0];
  if (!isRef(cond)) return [];
  const known = new Set([cond.ref]);
  const top = test.nodes.filter((m) => m.op === 'assign' && m.target === cond.ref);
  if (top.length === 1 && isRef(top[0].args[0])) {
    const at = test.nodes.indexOf(top[0]);
    const nested: IRNode[] = [];
    walkNodes(test.nodes, (m) => { if (m.op === 'assign' && m.target === cond.ref && m !== top[0]) nested.push(m); });
    const guarded = (a: IRNode) => test.nodes.slice(at + 1).some((m) => m.op === 'if' && isRef(m.args[0]) && m.args[0].ref === cond.ref && m.regions![0].nodes.includes(a));
    if (nested.every(guarded)) known.add(top[0].args[0].ref);
  }
  const counters: string[] = [];
  for (const m of test.nodes) {
    if (m.op !== 'call_function' || !known.has(m.name) || m.args.length !== 2) continue;
    const cmp = factsOf(f, m).compare;
    const [v, bound] = cmp === 'lt' ? m.args : cmp === 'gt' ? [m.args[1], m.args[0]] : [];
    const pyInt = (a: Arg) => isPyIntType(types.of(a));
    if (!v || !isRef(v) || !pyInt(v) || !pyInt(bound) || f.varTypes[v.ref]?.kind !== 'scalar') continue;
    const writes: IRNode[] = [];
    walkNodes([...test.nodes, ...body.nodes], (x) => { if (x.op !== 'call_function' && x.op !== 'constant' && x.target === v.ref) writes.push(x); });
    const w0 = writes[0];
    if (writes.length !== 1 || w0.op !== 'assign' || !body.nodes.includes(w0) || !isRef(w0.args[0])) continue;
    const add = body.nodes.find((x) => x.name === (w0.args[0] as { ref: string }).ref);
    const one = (a: Arg) => !isRef(a) && a.const.kind === 'int' && a.const.value === '1';
    if (add && add.op === 'call_function' && factsOf(f, add).affine === 'add' && isPyIntType(add.type) &&
      ((isRef(add.args[0]) && add.args[0].ref === v.ref && one(add.args[1])) || (isRef(add.args[1]) && add.args[1].ref === v.ref && one(add.args[0])))) {
      counters.push(add.name);
    }
  }
  return counters;
}
