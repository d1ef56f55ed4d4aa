/**
 * Where a list and a NumPy array mean the same (issue 22; README "Lists where arrays are annotated"): a parameter
 * annotated as an array may be given a list in Python, and one annotated as a list an array, and CPython runs the body
 * with what it was given. `a * 2` repeats a list and doubles an array, `for x in a` gives floats from a list and
 * np.float64s from an array (`x / 0.0` raises for one and is inf for the other), `a.sum()` is an AttributeError on a
 * list: in general the other kind computes something else. It computes the same where every use of the parameter
 * takes it as `np.asarray(a)` does: an argument of a NumPy function (np.sum, np.dot, np.sqrt, ...: NumPy converts
 * array-likes exactly so) or len(). There the exported packages convert at the boundary, once (the list to
 * np.asarray(list), which must then have the annotated dtype and ndim; the array to its .tolist()), and elsewhere
 * they refuse the other kind with a TypeError rather than run a body that would compute something else.
 *
 * The op fact is `asArray` (types/ops/common.ts). The parameter must not be written either (through any view,
 * opt/writes.ts): CPython writes into the caller's list, np.asarray's copy of a list is private, and a write through
 * `np.ravel(a)` would show in a later `np.sum(a)` of the converted array but not of CPython's list.
 */
import { walkNodes } from '../ir/ir.ts';
import type { TypedFunction } from '../types/typecheck.ts';
import type { KType } from '../types/types.ts';

/** Item types a list and an array share (the dtype np.asarray makes of a list of these Python values). */
const SHARED: Record<string, string> = { float: 'float64', int: 'int64', bool: 'bool' };

/** Whether a list of `t`'s items could be np.asarray'd into `t` (an array), or `t` (a list) made from an array. */
export function hasOtherKind(t: KType): boolean {
  if (t.kind === 'array') return Object.values(SHARED).includes(t.dtype);
  if (t.kind !== 'list') return false;
  const item = t.item.kind === 'list' ? t.item.item : t.item;
  return item.kind === 'scalar' && item.name in SHARED;
}

/** Per parameter of `f`: whether the other kind (a list for an array, an array for a list) means the same there. */
export function listsAsArrays(f: TypedFunction, written: readonly boolean[]): boolean[] {
  return f.ir.params.map((p, i) => {
    if (!hasOtherKind(f.paramTypes[i]) || written[i]) return false;
    let ok = true;
    let uses = 0;
    walkNodes(f.ir.nodes, (n) => {
      if (n.op !== 'input' && n.target === p.name) ok = false; // rebound: later reads are of another value
      const r = f.resolved.get(n.name);
      n.args.forEach((a) => {
        if (!('ref' in a) || a.ref !== p.name) return;
        if (n.op === 'call_function' && r?.facts?.asArray) uses++;
        else ok = false;
      });
    });
    // Every mention of the parameter is one of those arguments (none hides in another field of a node).
    return ok && JSON.stringify(f.ir.nodes).split(JSON.stringify({ ref: p.name })).length - 1 === uses;
  });
}
