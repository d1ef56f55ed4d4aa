/**
 * Loop versioning. The array index checks of an innermost `for j in range(start, stop)` loop (step 1) that
 * one test before the loop can decide for all iterations: an index that is j, or j plus/minus values that do
 * not change in the loop (constants, variables the loop does not assign), or such a loop-invariant value
 * alone, into an array variable the loop does not assign (an array's shape never changes). j only ever appears
 * with coefficient +1, so each intermediate sum grows with j and checking both ends of the range (no overflow,
 * 0 <= first and last < shape) covers every iteration. The emitter runs a copy of the loop without those
 * checks (and without the overflow checks of the sums) when the test passes, the checked loop otherwise, which
 * raises IndexError at the iteration CPython would.
 *
 * Uses the ops' `subscript` and `affine` facts. Needs: definite assignment (a flagged variable is not invariant).
 */
import { isRef, walkNodes, type Arg, type IRNode } from '../ir/ir.ts';
import type { TypedFunction } from '../types/typecheck.ts';
import type { DefiniteAssignment } from './definiteAssignment.ts';
import { FunctionTypes, constantStep, factsOf, isPyIntType } from './typed.ts';

/** An index as the loop sees it: the loop variable j, a loop-invariant argument, or a sum/difference of those (computed by node `node`). */
export type AffineExpr = { kind: 'j' } | { kind: 'inv'; arg: Arg } | { kind: 'op'; op: 'add' | 'sub'; node: string; a: AffineExpr; b: AffineExpr };

/** Index position `dim` of the getitem/setitem `node` into the array variable `array` is `expr`. */
export interface HoistCheck { node: string; dim: number; expr: AffineExpr; array: string }

export const hasJ = (e: AffineExpr): boolean => e.kind === 'j' || (e.kind === 'op' && (hasJ(e.a) || hasJ(e.b)));
/** The add/sub nodes of an index expression (they cannot overflow in the loop's unchecked copy). */
export const opNodes = (e: AffineExpr): string[] => (e.kind === 'op' ? [e.node, ...opNodes(e.a), ...opNodes(e.b)] : []);

/** For each versioned `for` loop (by node name), the index checks its unchecked copy drops. */
export function loopVersioning(f: TypedFunction, definite: DefiniteAssignment): Record<string, HoistCheck[]> {
  const plan: Record<string, HoistCheck[]> = {};
  if (f.boundscheck === false) return plan;
  const types = new FunctionTypes(f);
  const flagged = new Set(definite.flagged);
  walkNodes(f.ir.nodes, (loop) => {
    if (loop.op !== 'for_range') return;
    if (constantStep(loop) !== 1n) return;
    const checks = hoistable(f, types, flagged, loop, loop.regions![0].nodes);
    if (checks.length) plan[loop.name] = checks;
  });
  return plan;
}

function hoistable(f: TypedFunction, types: FunctionTypes, flagged: Set<string>, loop: IRNode, body: IRNode[]): HoistCheck[] {
  const j = loop.target;
  const assigned = new Set<string>();
  const defined = new Map<string, IRNode>();
  let nested = false;
  walkNodes(body, (m) => {
    if (m.op === 'assign') assigned.add(m.target);
    if (m.op === 'for_range' || m.op === 'while') nested = true;
    defined.set(m.name, m);
  });
  if (nested || assigned.has(j) || flagged.has(j)) return [];
  const affine = (a: Arg, depth: number): AffineExpr | undefined => {
    if (!isRef(a)) return a.const.kind === 'int' ? { kind: 'inv', arg: a } : undefined;
    if (a.ref === j) return { kind: 'j' };
    const def = defined.get(a.ref);
    if (!def) {
      if (assigned.has(a.ref) || flagged.has(a.ref) || !isPyIntType(types.of(a))) return undefined;
      return { kind: 'inv', arg: a };
    }
    if (depth > 4 || def.op !== 'call_function' || f.calls.get(def.name)) return undefined;
    const op = factsOf(f, def).affine;
    if (!op || !isPyIntType(def.type) || def.args.length !== 2) return undefined;
    const x = affine(def.args[0], depth + 1);
    const y = affine(def.args[1], depth + 1);
    if (!x || !y || (hasJ(x) && hasJ(y)) || (op === 'sub' && hasJ(y))) return undefined;
    return { kind: 'op', op, node: def.name, a: x, b: y };
  };
  const checks: HoistCheck[] = [];
  walkNodes(body, (m) => {
    const subscript = factsOf(f, m).subscript;
    if (!subscript) return;
    const seq = m.args[0];
    if (!seq || !isRef(seq) || defined.has(seq.ref) || assigned.has(seq.ref) || flagged.has(seq.ref)) return;
    const st = types.of(seq);
    if (st.kind !== 'array') return;
    const idx = subscript === 'load' ? m.args.slice(1) : m.args.slice(1, -1);
    // Index positions are axes only without Ellipsis (`a[..., i]`: i indexes the last axis).
    if (idx.length > st.ndim || idx.some((a) => types.of(a).kind === 'ellipsis')) return;
    idx.forEach((a, k) => {
      // A negative literal (a[-1]) always wraps: it keeps its check rather than failing the whole test.
      if (!isRef(a) && a.const.kind === 'int' && BigInt(a.const.value) < 0n) return;
      const e = affine(a, 0);
      if (e) checks.push({ node: m.name, dim: k, expr: e, array: seq.ref });
    });
  });
  return checks;
}
