/**
 * Fusion of element-wise chains: `np.sqrt(x * x + y * y) * 0.5` computes one array, in one loop, instead of one
 * temporary array per operator (NumPy makes four here). A node whose op is element-wise (its lowering carries an
 * ElementwiseKernel) folds into the element-wise node that consumes it when its value is a temporary of the
 * expression (no variable, used once) evaluated right before its consumer in the same block (only other parts of the
 * same expression, or constants, between them): then nothing can see or change the arrays in between, and computing
 * each element through the chain gives every element's bits as the separate loops would (each op's result is
 * converted to its dtype as its array would store it).
 *
 * Not folded: a kernel with a scalar operand whose conversion can raise (`pre`: it must raise before the loop, in
 * order). Shapes that do not broadcast raise as NumPy's separate operations would, in their order
 * (types/ops/common_arrays.ts, fusedElementwise, checks each node's shapes in evaluation order first).
 */
import { isRef, walkNodes, type IRNode } from '../ir/ir.ts';
import type { TypedFunction } from '../types/typecheck.ts';
import { resolvedOf } from './typed.ts';

/** One node of a fused tree: the IR node, and per operand the tree it folds or nothing (the argument itself). */
export interface FusedNode { name: string; operands: (FusedNode | undefined)[] }

export interface FusionPlan {
  /** Trees by their root's node name (the one node that is emitted, as one loop). */
  roots: Record<string, FusedNode>;
  /** Names of the nodes folded into a root (emitted as nothing). */
  folded: string[];
}

export function fusion(f: TypedFunction): FusionPlan {
  const uses = new Map<string, number>();
  walkNodes(f.ir.nodes, (n) => { for (const a of n.args) if (isRef(a)) uses.set(a.ref, (uses.get(a.ref) ?? 0) + 1); });
  const named = new Set([...f.ir.locals, ...f.ir.params.map((p) => p.name)]);
  const kernelOf = (n: IRNode) => {
    const r = resolvedOf(f, n);
    return r?.lower.kind === 'stmts' && r.lower.elementwise && r.lower.elementwise.pre.size === 0 ? r.lower.elementwise : undefined;
  };
  const roots = new Map<string, FusedNode>();
  const folded = new Set<string>();
  const block = (nodes: IRNode[]) => {
    const trees = new Map<string, { tree: FusedNode; first: number; members: Set<string> }>();
    nodes.forEach((n, i) => {
      for (const reg of n.regions ?? []) block(reg.nodes);
      const kernel = n.op === 'call_function' ? kernelOf(n) : undefined;
      if (!kernel) return;
      // The kernel's operands are the first arguments; the rest (a keyword's slot, `out=None`) it does not read.
      const subs = n.args.slice(0, kernel.operands.length).map((a) => {
        if (!isRef(a) || named.has(a.ref) || uses.get(a.ref) !== 1) return undefined;
        return trees.get(a.ref);
      });
      const members = new Set<string>([n.name]);
      for (const s of subs) if (s) for (const m of s.members) members.add(m);
      const first = Math.min(i, ...subs.filter((s) => !!s).map((s) => s!.first));
      // Between the first folded node and this one: only parts of this expression, or constants.
      const contiguous = nodes.slice(first, i).every((m) => members.has(m.name) || m.op === 'constant');
      const take = contiguous ? subs : subs.map(() => undefined);
      const tree: FusedNode = { name: n.name, operands: take.map((s) => s?.tree) };
      trees.set(n.name, { tree, first: contiguous ? first : i, members: contiguous ? members : new Set([n.name]) });
      for (const s of take) {
        if (!s) continue;
        walkTree(s.tree, (t) => folded.add(t.name));
        roots.delete(s.tree.name);
      }
      if (take.some(Boolean)) roots.set(n.name, tree);
    });
  };
  block(f.ir.nodes);
  return { roots: Object.fromEntries(roots), folded: [...folded] };
}

function walkTree(t: FusedNode, fn: (t: FusedNode) => void) {
  fn(t);
  for (const o of t.operands) if (o) walkTree(o, fn);
}
