/**
 * Direct returns: a `return` drops what the function owns that may still hold a reference on its path itself and returns
 * at once (`kr_decref(work); return 0;`) instead of jumping to the cleanup label, whose drops test every slot, most of
 * them empty there (`x = NULL` after a move, a temporary of another branch never made, a value tested None): at the
 * shared label the C compiler no longer knows which (richards: 4.83M -> 4.69M instructions per call).
 *
 * A forward analysis over the structured IR of the owned slots (opt/lifetimes.ts) that may hold a reference at each
 * node: a slot fills where its value is made (a call, an
 * assignment to an owned local, a count after a takeover) and empties where lifetimes gives its reference over (`moves`,
 * a consumed parameter's `passes`) or drops it (`releaseAfter`); branches join by union, loops to a fixed point, a
 * `break` or `continue` carries its state to the loop's exit or head. Errors still go to the cleanup label.
 *
 * A value tested `is None` right before an `if` holds nothing in the branch where it is None. Conservative where the
 * emitter groups nodes (a split loop's site, an append loop's builder) or unwinds (`try`): no direct return there; a
 * function that owns a parameter for its whole life (ownedParams) has none either. A return that would drop many
 * slots itself goes through the cleanup too: the code grows, and the cleanup's tests were mostly needed there.
 */
import { walkNodes, type IRNode } from '../ir/ir.ts';
import type { TypedFunction } from '../types/typecheck.ts';
import type { Lifetimes } from './lifetimes.ts';
import { nodeKeys } from './typed.ts';
import type { DeferralPlan } from './deferral.ts';

/**
 * A return drops at most this many slots itself, and fewer than half of what the cleanup tests (the saving is the
 * tests of the others; a return that drops most of them only grows the code).
 */
const MAX_DROPS = 2;

/**
 * The `output` nodes of `f` (by key) that return directly, each with the owned slots (locals, node values, consumed
 * parameters) that may still hold a reference there, which it drops itself (none, or few: MAX_DROPS).
 */
export function directReturns(
  f: TypedFunction, life: Lifetimes, groups: { splitLoops: Record<string, unknown>; deferral: DeferralPlan },
): Record<string, string[]> {
  if (life.ownedParams.length || Object.keys(groups.splitLoops).length) return {};
  const keys = nodeKeys(f.ir.nodes);
  const byKey = new Map([...keys].map(([n, k]) => [k, n]));
  let unwinds = false;
  walkNodes(f.ir.nodes, (n) => { if (n.op === 'try') unwinds = true; });
  // A deferred run releases its values after the whole run: exact here only while no run holds a statement.
  const runs = [...Object.values(groups.deferral.runs), ...Object.values(groups.deferral.unchecked).flatMap((r) => Object.values(r))];
  const statement = (k: string) => !['call_function', 'constant', 'assign'].includes(byKey.get(k)?.op ?? 'output') || !!byKey.get(k)?.regions?.length;
  if (unwinds || runs.some((r) => r.nodes.some(statement))) return {};
  const owned = new Set([...life.temps, ...life.ownedLocals, ...life.consumedParams]);
  const out: Record<string, string[]> = {};
  const defs = new Map<string, IRNode>();
  walkNodes(f.ir.nodes, (n) => defs.set(n.name, n));
  type State = Set<string>;
  // Per enclosing loop: the states its breaks and continues carry.
  const loops: { breaks: State[]; continues: State[] }[] = [];
  const union = (states: State[]) => new Set(states.flatMap((s) => [...s]));
  // The state after `nodes` from `s`, or undefined where every path leaves the block (return, raise, break, continue).
  const block = (nodes: IRNode[], s: State | undefined): State | undefined => {
    for (const n of nodes) {
      if (!s) return undefined;
      s = node(n, s, nodes);
    }
    return s;
  };
  // The variable an `if` tests against None, when the test is the node right before it: in which branch it is None.
  const noneTest = (n: IRNode, nodes: IRNode[]): { v: string; isNone: boolean } | undefined => {
    const cond = n.args[0];
    const test = cond && 'ref' in cond ? defs.get(cond.ref) : undefined;
    if (!test || nodes[nodes.indexOf(n) - 1] !== test || (test.target !== '_operator.is_' && test.target !== '_operator.is_not')) return undefined;
    const [a, b] = test.args;
    const v = a && 'ref' in a && b && !('ref' in b) && b.const.kind === 'none' ? a.ref : undefined;
    return v === undefined ? undefined : { v, isNone: test.target === '_operator.is_' };
  };
  const node = (n: IRNode, s: State, nodes: IRNode[]): State | undefined => {
    const key = keys.get(n)!;
    s = new Set(s);
    // A consumed parameter's slot given over at a call (emptied before it); only where every callee of the call takes it.
    const passes = Object.values(life.passes[key] ?? {});
    const given = passes.length ? passes.map((p) => new Set(Object.values(p).filter((v): v is string => v !== null))) : [];
    const callees = (f.virtuals?.get(n.name)?.length ?? 0) || (f.calls.has(n.name) ? 1 : 0);
    if (given.length === callees) for (const v of given[0] ?? []) if (given.every((g) => g.has(v))) s.delete(v);
    const moved = life.moves[key];
    switch (n.op) {
      case 'output':
        if (moved !== undefined) s.delete(moved);
        {
          const held = [...s].filter((v) => owned.has(v));
          if (held.length === 0 || (held.length <= MAX_DROPS && held.length * 2 < owned.size)) out[key] = held;
        }
        return undefined;
      case 'raise':
        return undefined;
      case 'break':
        loops[loops.length - 1]?.breaks.push(s);
        return undefined;
      case 'continue':
        loops[loops.length - 1]?.continues.push(s);
        return undefined;
      case 'assign':
        if (moved !== undefined) s.delete(moved);
        if (owned.has(n.target)) s.add(n.target);
        break;
      case 'if': {
        const [thenR, elseR] = n.regions!;
        // `if v is None:` (the test made right before): v holds no reference in the branch where it is None.
        const none = noneTest(n, nodes);
        const branch = (isNone: boolean) => (none && none.isNone === isNone ? new Set([...s!].filter((v) => v !== none.v)) : s!);
        const ends = [block(thenR.nodes, branch(true)), block(elseR?.nodes ?? [], branch(false))].filter((x): x is State => !!x);
        if (!ends.length) return undefined;
        s = union(ends);
        break;
      }
      case 'for_range':
      case 'while': {
        const test = n.op === 'while' ? n.regions!.find((r) => r.name === 'test')?.nodes ?? [] : [];
        const body = n.regions!.find((r) => r.name === 'body')?.nodes ?? [];
        const orelse = n.regions!.find((r) => r.name === 'orelse')?.nodes ?? [];
        // The state at the loop's head, to a fixed point (slots only ever join it).
        let head = s;
        let exits: State[] = [];
        for (;;) {
          loops.push({ breaks: [], continues: [] });
          const tested = block(test, head)!;
          const end = block(body, tested);
          const { breaks, continues } = loops.pop()!;
          const next = union([head, ...(end ? [end] : []), ...continues]);
          exits = [tested, ...breaks];
          if (next.size === head.size) break;
          head = next;
        }
        // `else` runs when the loop ends without a break.
        const done = block(orelse, exits[0]);
        const all = [...(done ? [done] : []), ...exits.slice(1)];
        if (!all.length) return undefined;
        s = union(all);
        break;
      }
      default:
        if (moved !== undefined) s.delete(moved);
        if (n.op === 'call_function' && owned.has(n.name)) s.add(n.name);
    }
    for (const v of life.countAfter[key] ?? []) s.add(v);
    for (const v of life.releaseAfter[key] ?? []) s.delete(v);
    return s;
  };
  block(f.ir.nodes, new Set(life.consumedParams));
  return out;
}
