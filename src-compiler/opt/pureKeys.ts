/**
 * Sorting by a pure key: `sorted(xs, key=lambda v: -v)` is traced as a loop that computes every key once, in
 * order, into a list, then a stable sort of (key, item) pairs (types/ops/iterators.ts). When the key function
 * cannot raise and has no effect (a def or lambda of one parameter and no environment whose body is expression ops
 * only, or a library function whose op is an expression, such as abs), computing it again in each comparison
 * cannot be told apart from computing it once, so the items are sorted alone, comparing their keys computed on
 * the fly (the call is direct and inlined): the sort moves half the bytes and skips the list of keys. Python's
 * sort with a key then costs what a sort without one does.
 *
 * A site: the for_range that fills the keys (iter_item, kiln.call of the key, method.append) right before the
 * kiln.sort_by_key that reads them.
 */
import { isRef, type IRNode } from '../ir/ir.ts';
import type { TypedFunction, TypedProgram } from '../types/typecheck.ts';

export interface PureKey {
  /** The loop that computes the keys (not emitted). */
  loop: string;
  /** The key: a compiled function of one parameter (its specialisation key), or a library op called as a value (the node). */
  key: { spec: string } | { valueCall: string };
}

/** A specialisation whose body is expression ops only: an input, ops lowered as C expressions, one output. */
function pureFunction(g: TypedFunction): boolean {
  if (g.recursive || g.paramTypes.length !== 1 || g.returnType.kind !== 'scalar') return false;
  const nodes = g.ir.nodes;
  return nodes.every((n, i) => {
    if (n.op === 'input') return true;
    if (n.op === 'output') return i === nodes.length - 1 && n.args.length === 1;
    if (n.op === 'constant') return n.type?.kind === 'scalar';
    if (n.op !== 'call_function' || g.calls.has(n.name) || g.dispatch.has(n.name) || g.valueCalls.has(n.name)) return false;
    return g.resolved.get(n.name)?.lower.kind === 'expr';
  });
}

/** The pure-key sort sites of a function, by the name of their kiln.sort_by_key node. */
export function pureKeys(f: TypedFunction, program: TypedProgram): Record<string, PureKey> {
  const sites: Record<string, PureKey> = {};
  const byKey = new Map(program.functions.map((g) => [g.key, g]));
  const scan = (nodes: IRNode[]) => {
    nodes.forEach((sort, i) => {
      for (const r of sort.regions ?? []) scan(r.nodes);
      const loop = nodes[i - 1];
      if (sort.op !== 'call_function' || sort.target !== 'kiln.sort_by_key' || loop?.op !== 'for_range') return;
      const body = loop.regions![0].nodes;
      const [item, call, append] = body;
      if (body.length !== 3 || loop.regions![1].nodes.length || item.target !== 'kiln.iter_item' || call.target !== 'kiln.call' || append.target !== 'method.append') return;
      const keys = sort.args[1];
      if (!isRef(keys) || !isRef(append.args[0]) || append.args[0].ref !== keys.ref || !isRef(append.args[1]) || append.args[1].ref !== call.name) return;
      if (call.args.length !== 2 || !isRef(call.args[1]) || call.args[1].ref !== item.name || call.call) return;
      const spec = f.calls.get(call.name);
      if (spec) {
        const g = byKey.get(spec);
        const binding = f.bindings.get(call.name);
        if (!g || !pureFunction(g) || !binding || binding.args.length !== 1 || !('arg' in binding.args[0]) || binding.args[0].arg !== 1) return;
        sites[sort.name] = { loop: loop.name, key: { spec } };
        return;
      }
      if (f.valueCalls.get(call.name)?.lower.kind === 'expr') sites[sort.name] = { loop: loop.name, key: { valueCall: call.name } };
    });
  };
  scan(f.ir.nodes);
  return sites;
}
