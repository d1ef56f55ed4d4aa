/**
 * `a[int(x)]` on a 1-D array (histogram's `counts[int(v * bins)] += 1`): the float is converted without its
 * own test (the raw conversion of int()'s 'floatToInt' check: INT64_MIN for NaN and anything out of range), and
 * one unsigned test decides: in range, the value indexes the array directly; otherwise int()'s exact check
 * runs, then the index's (a negative index wraps, anything else raises IndexError), in the order CPython raises
 * them. Applies when the converted value is used only as that index, by the next node (a[k], a[k] = v) or by
 * the next and the third (a[k] op= v), so nothing else sees the wrapped value.
 *
 * Uses the ops' CallCheck and `subscript` facts. Needs: definite assignment (no unbound checks on the nodes).
 */
import { isRef, walkNodes, type IRNode } from '../ir/ir.ts';
import type { TypedFunction } from '../types/typecheck.ts';
import type { DefiniteAssignment } from './definiteAssignment.ts';
import { FunctionTypes, callCheck, factsOf, nodeKeys, resolvedOf } from './typed.ts';

/** An int() node whose value indexes `index` (one getitem/setitem, or the getitem and setitem of `a[k] op= v`). */
export interface TruncSite { index: string[] }

/** The int() nodes (by name) lowered this way. */
export function truncIndex(f: TypedFunction, definite: DefiniteAssignment): Record<string, TruncSite> {
  const plan: Record<string, TruncSite> = {};
  if (f.boundscheck === false) return plan;
  const types = new FunctionTypes(f);
  const keys = nodeKeys(f.ir.nodes);
  const checked = (m: IRNode) => !!definite.checks[keys.get(m)!]?.length;
  const scan = (nodes: IRNode[]) => nodes.forEach((n, i) => {
    for (const r of n.regions ?? []) scan(r.nodes);
    const next = nodes[i + 1];
    const r = resolvedOf(f, n);
    if (!next || callCheck(r)?.kind !== 'floatToInt' || checked(n)) return;
    const isIndex = (m: IRNode | undefined, arrRef: string) =>
      !!m && !!factsOf(f, m).subscript && !checked(m) &&
      isRef(m.args[0]) && m.args[0].ref === arrRef && isRef(m.args[1]) && m.args[1].ref === n.name &&
      !m.args.slice(2).some((a) => isRef(a) && a.ref === n.name);
    const arr = next.args[0];
    if (!arr || !isRef(arr) || !isIndex(next, arr.ref)) return; // a constant node has no operand
    const uses: IRNode[] = [];
    walkNodes(f.ir.nodes, (m) => { if (m.args.some((a) => isRef(a) && a.ref === n.name)) uses.push(m); });
    const third = nodes[i + 3];
    const opEq = !!third && nodes[i + 2].op === 'call_function' && isIndex(third, arr.ref) && factsOf(f, third).subscript === 'store';
    if (!uses.every((m) => m === next || (opEq && m === third))) return;
    const at = types.of(arr);
    if (at.kind !== 'array' || at.ndim !== 1 || !types.inline(n, r!)) return;
    plan[n.name] = { index: opEq ? [next.name, third.name] : [next.name] };
  });
  scan(f.ir.nodes);
  return plan;
}
