/**
 * Read-modify-write of a dict value in one lookup: `d[k] += v`, `d[k] = d.get(k, 0) + 1`, `c[k] -= 1`. The tracer
 * writes each as three nodes: the lookup (`_operator.getitem` or `method.get`), a number op on its value, and
 * `_operator.setitem` of the op's result under the same key. When the key is there, reading the value, computing,
 * then storing under a key that is present is the same as writing the value in place: the emitter (lower/c.ts)
 * finds the entry once (the lookup's `inPlace.find`), reads and writes through the pointer; a missing key takes
 * the lookup's result for an absent key without looking again (`inPlace.missing`: KeyError, a defaultdict's
 * factory, a Counter's 0, get's default), computes, and stores as the store node does, in CPython's order.
 * Measured on bench/kernels/counting.py: see docs/design/dicts.md.
 *
 * A site: the three nodes adjacent in one block; the lookup's value read only by the op and the op's result only
 * by the store; the same dict and key arguments (converted as expressions, no call that can raise); number values
 * (stored unboxed, no references to count); the op a registry op on numbers (it cannot reach the dict).
 */
import { isRef, walkNodes, type Arg, type IRNode } from '../ir/ir.ts';
import type { TypedFunction } from '../types/typecheck.ts';
import { typeToString } from '../types/types.ts';
import { FunctionTypes, resolvedOf } from './typed.ts';

export interface DictUpdate {
  /** The op between the lookup and the store, and the store (both emitted inside the site). */
  op: string;
  set: string;
}

const sameArg = (a: Arg | undefined, b: Arg | undefined) =>
  !!a && !!b && (isRef(a) ? isRef(b) && a.ref === b.ref : !isRef(b) && JSON.stringify(a.const) === JSON.stringify(b.const));

/** The sites of a function, by the name of their lookup node. */
export function dictUpdates(f: TypedFunction): Record<string, DictUpdate> {
  const sites: Record<string, DictUpdate> = {};
  const reads = new Map<string, number>();
  walkNodes(f.ir.nodes, (n) => { for (const a of n.args) if (isRef(a)) reads.set(a.ref, (reads.get(a.ref) ?? 0) + 1); });
  const named = new Set([...f.ir.locals, ...f.ir.params.map((p) => p.name)]);
  const types = new FunctionTypes(f);
  const scan = (nodes: IRNode[]) => {
    nodes.forEach((get, i) => {
      for (const r of get.regions ?? []) scan(r.nodes);
      const [op, set] = [nodes[i + 1], nodes[i + 2]];
      const rg = resolvedOf(f, get), ro = op && resolvedOf(f, op), rs = set && resolvedOf(f, set);
      if (!rg?.inPlace || !ro || !rs || set.target !== '_operator.setitem') return;
      if (f.dispatch.has(op.name) || f.valueCalls.has(op.name) || f.dispatch.has(get.name) || f.valueCalls.has(get.name)) return;
      const d = types.of(get.args[0]);
      if (d.kind !== 'dict' || d.value.kind !== 'scalar' || !sameArg(get.args[0], set.args[0])) return;
      // The key: getitem's arguments after the dict (a tuple key may be its items), get's second argument.
      const keys = get.target === 'method.get' ? [get.args[1]] : get.args.slice(1);
      const setKeys = set.args.slice(1, -1);
      if (keys.length !== setKeys.length || keys.some((k, j) => !sameArg(k, setKeys[j]))) return;
      if (keys.some((_, j) => typeToString(rg.argTypes[1 + j]) !== typeToString(rs.argTypes[1 + j]))) return;
      // The value flows get -> op -> set and nowhere else; the op works on numbers only.
      if (named.has(get.name) || named.has(op.name) || reads.get(get.name) !== 1 || reads.get(op.name) !== 1) return;
      const stored = set.args[set.args.length - 1];
      if (!op.args.some((a) => isRef(a) && a.ref === get.name) || !isRef(stored) || stored.ref !== op.name) return;
      if (ro.lower.kind !== 'expr' && ro.lower.kind !== 'call') return;
      if (![...op.args.map((a) => types.of(a)), ro.result].every((t) => t.kind === 'scalar')) return;
      if (!types.inline(get, rg) || !types.inline(set, rs)) return;
      sites[get.name] = { op: op.name, set: set.name };
    });
  };
  scan(f.ir.nodes);
  return sites;
}
