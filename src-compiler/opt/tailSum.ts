/**
 * The `return X + f(args)` sites of a self-recursive function returning int (three consecutive nodes: the
 * self call, an int `+` (the `affine` fact) of X and the call, the output of the sum), when every return gives
 * an int and every parameter is a scalar. X is evaluated before the call's arguments, as in Python, so turning
 * the call into a loop keeps the order of evaluation (this is the accumulator transformation C compilers apply
 * to plain C, which overflow checks otherwise prevent). The emitter adds X to an exact accumulator, rebinds the
 * parameters and jumps back (lower/c.ts tailSum).
 *
 * Needs: definite assignment (a function with a possibly unbound local has no sites).
 */
import { isRef, walkNodes, type IRNode } from '../ir/ir.ts';
import type { TypedFunction } from '../types/typecheck.ts';
import type { DefiniteAssignment } from './definiteAssignment.ts';
import { FunctionTypes, factsOf, isPyIntType, plainCall } from './typed.ts';

/** The names of the self calls lowered as a loop (each with the next two nodes, the add and the output). */
export function tailSum(f: TypedFunction, definite: DefiniteAssignment): string[] {
  const sites: string[] = [];
  // A cached function's self-calls go through its memo table (lower/c_memo.ts): they stay calls.
  if (definite.flagged.length || !f.recursive || f.ir.cache || !isPyIntType(f.returnType) || !f.paramTypes.every((t) => t.kind === 'scalar')) return sites;
  const types = new FunctionTypes(f);
  const uses = new Map<string, number>();
  let plainReturns = true;
  walkNodes(f.ir.nodes, (n) => {
    for (const a of n.args) if (isRef(a)) uses.set(a.ref, (uses.get(a.ref) ?? 0) + 1);
    if (n.op === 'output' && n.args.length !== 1) plainReturns = false;
  });
  if (!plainReturns) return sites;
  const scan = (nodes: IRNode[]) => {
    nodes.forEach((call, i) => {
      for (const r of call.regions ?? []) scan(r.nodes);
      const add = nodes[i + 1];
      const out = nodes[i + 2];
      if (call.op !== 'call_function' || f.calls.get(call.name) !== f.key || !plainCall(f, call) || !add || !out) return;
      if (add.op !== 'call_function' || factsOf(f, add).affine !== 'add' || add.args.length !== 2) return;
      const [x, y] = add.args;
      if (!isRef(y) || y.ref !== call.name || (isRef(x) && x.ref === call.name) || !isPyIntType(add.type)) return;
      if (isRef(x) ? !isPyIntType(types.of(x)) : x.const.kind !== 'int') return;
      if (out.op !== 'output' || !isRef(out.args[0]) || out.args[0].ref !== add.name) return;
      if (uses.get(call.name) !== 1 || uses.get(add.name) !== 1) return;
      sites.push(call.name);
    });
  };
  scan(f.ir.nodes);
  return sites;
}
