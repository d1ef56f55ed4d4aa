/**
 * `for w in s.split()` (and `s.split(sep)`) without the list: the loop takes the pieces one at a time from the
 * runtime's split iterators (kr_str_split_ws_next, kr_str_split_next), so no list of every word is built and held
 * (docs/design/strings.md: word frequency 3.5x CPython instead of 1.7x; memory follows one word, not the text's).
 *
 * The tracer writes such a loop as: `split_result = s.split(...)`, `iter_result = split_result` (the iterable
 * held in a synthetic local), `len_result = len(iter_result)`, `for index in range(0, len_result)` whose body starts
 * with `item = kiln.iter_item(iter_result, index)`. A site is those four nodes when nothing else reads the list,
 * its length or the index (no enumerate, no maxsplit), the loop has no `else`, and the string split is not
 * reassigned inside the loop (the iterator reads it as the loop runs; the list would have been made first).
 * The emitter (lower/c.ts) emits the loop over the iterator instead of the four nodes; opt/lifetimes.ts keeps the
 * string split alive until the loop ends.
 */
import { isRef, walkNodes, type Arg, type IRNode } from '../ir/ir.ts';
import type { TypedFunction } from '../types/typecheck.ts';
import { constantStep } from './typed.ts';

export interface SplitLoop {
  /** The nodes of the site: the split call, the assignment that holds its list, its len(), the loop, the first body node. */
  split: string;
  len: string;
  loop: string;
  item: string;
  /** The synthetic local that held the list (not written). */
  held: string;
  /** The string split and the separator (undefined: runs of whitespace). */
  source: Arg;
  sep?: Arg;
}

/** Split loops by the name of their split node. */
export function splitLoops(f: TypedFunction): Record<string, SplitLoop> {
  const sites: Record<string, SplitLoop> = {};
  const reads = new Map<string, number>();
  const assigned = new Map<string, number>();
  walkNodes(f.ir.nodes, (n) => {
    for (const a of n.args) if (isRef(a)) reads.set(a.ref, (reads.get(a.ref) ?? 0) + 1);
    if (n.op === 'assign') assigned.set(n.target, (assigned.get(n.target) ?? 0) + 1);
  });
  const only = (name: string, times: number) => (reads.get(name) ?? 0) === times;
  const scan = (nodes: IRNode[]) => {
    nodes.forEach((split, i) => {
      for (const r of split.regions ?? []) scan(r.nodes);
      const [hold, len, loop] = [nodes[i + 1], nodes[i + 2], nodes[i + 3]];
      if (split.op !== 'call_function' || split.target !== 'method.split' || f.calls.has(split.name) || !hold || !len || !loop) return;
      const [source, sep, maxsplit] = split.args;
      if (split.argTypes?.[0]?.kind !== 'str' || !(maxsplit && !isRef(maxsplit) && maxsplit.const.kind === 'none')) return;
      const wsSplit = !isRef(sep) && sep.const.kind === 'none';
      if (!wsSplit && split.argTypes?.[1]?.kind !== 'str') return;
      if (hold.op !== 'assign' || !isRef(hold.args[0]) || hold.args[0].ref !== split.name || assigned.get(hold.target) !== 1) return;
      if (len.op !== 'call_function' || len.target !== 'builtins.len' || !isRef(len.args[0]) || len.args[0].ref !== hold.target) return;
      if (loop.op !== 'for_range' || constantStep(loop) !== 1n || loop.regions![1].nodes.length) return;
      const [start, stop] = loop.args;
      if (isRef(start) || start.const.kind !== 'int' || start.const.value !== '0' || !isRef(stop) || stop.ref !== len.name) return;
      const item = loop.regions![0].nodes[0];
      if (!item || item.op !== 'call_function' || item.target !== 'kiln.iter_item') return;
      if (!isRef(item.args[0]) || item.args[0].ref !== hold.target || !isRef(item.args[1]) || item.args[1].ref !== loop.target) return;
      if (!only(split.name, 1) || !only(len.name, 1) || !only(hold.target, 2) || !only(loop.target, 1)) return;
      // The string split must stay what it was when the loop started.
      if (isRef(source) && loopAssigns(loop, source.ref)) return;
      if (!wsSplit && isRef(sep) && loopAssigns(loop, sep.ref)) return;
      sites[split.name] = { split: split.name, len: len.name, loop: loop.name, item: item.name, held: hold.target, source, ...(wsSplit ? {} : { sep }) };
    });
  };
  scan(f.ir.nodes);
  return sites;
}

function loopAssigns(loop: IRNode, name: string): boolean {
  let found = false;
  walkNodes(loop.regions![0].nodes, (n) => { if (n.op === 'assign' && n.target === name) found = true; });
  return found;
}
