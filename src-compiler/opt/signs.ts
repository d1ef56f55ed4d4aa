/**
 * Sign facts: the float values of a function that are never negative (>= +0.0, -0.0, +inf or NaN), so that
 * `v < 0.0` is false for every value they can take. An op whose only check is that its argument is not negative
 * (math.sqrt, CallCheck 'negative') cannot raise on such a value, and is lowered without the test (nbody's
 * `math.sqrt(dx * dx + dy * dy + dz * dz)`).
 *
 * Rules, from the ops' `nonNegative` fact: x * x; the product or sum of two such values; sqrt, fabs, abs, exp,
 * cosh and hypot; a non-negative constant; a local variable whose every definition is an assignment of such a
 * value (found by an optimistic fixpoint, so that loop-carried variables count). Parameters, loop variables and
 * anything else are unknown.
 */
import type { Arg, ConstValue, IRNode } from '../ir/ir.ts';
import { isRef, walkNodes } from '../ir/ir.ts';
import { lookupConstant } from '../types/ops/index.ts';
import { isFloatLike, type KType } from '../types/types.ts';
import type { TypedFunction } from '../types/typecheck.ts';

const isFloat = (t: KType | undefined) => !!t && isFloatLike(t);

function constNonNegative(c: ConstValue): boolean {
  if (c.kind === 'int') return !c.value.startsWith('-');
  if (c.kind === 'float') return !c.repr.startsWith('-');
  return c.kind === 'bool';
}

/** Names (IR values and local variables) of a function that are never negative floats. */
export function signs(f: TypedFunction): string[] {
  const { varTypes } = f;
  const params = f.ir.params.map((p) => p.name);
  const all: IRNode[] = [];
  walkNodes(f.ir.nodes, (n) => all.push(n));
  const defs = new Map<string, IRNode[]>();
  for (const n of all) if (n.op !== 'call_function' && n.op !== 'constant') defs.set(n.target, [...(defs.get(n.target) ?? []), n]);
  // Optimistic start: every float local defined only by assignments; removed below until nothing changes.
  const vars = new Set(Object.keys(varTypes).filter((v) =>
    isFloat(varTypes[v]) && !params.includes(v) && (defs.get(v) ?? []).every((d) => d.op === 'assign')));
  for (;;) {
    const nn = new Set<string>(vars);
    const ok = (a: Arg) => (isRef(a) ? nn.has(a.ref) : constNonNegative(a.const));
    for (const n of all) {
      if (!isFloat(n.type)) continue;
      if (n.op === 'constant') {
        const v = lookupConstant(n.target)?.value;
        if (v !== undefined && !(v < 0)) nn.add(n.name);
      } else if (n.op === 'call_function') {
        const [a, b] = n.args;
        const same = n.args.length === 2 && isRef(a) && isRef(b) && a.ref === b.ref;
        const rule = f.resolved.get(n.name)?.facts?.nonNegative;
        if (rule === 'always' || (rule === 'ifArgsOrSquare' && (same || n.args.every(ok))) || (rule === 'ifArgs' && n.args.every(ok))) nn.add(n.name);
      }
    }
    const drop = [...vars].filter((v) => !(defs.get(v) ?? []).every((d) => ok(d.args[0])));
    if (!drop.length) return [...nn];
    drop.forEach((v) => vars.delete(v));
  }
}
