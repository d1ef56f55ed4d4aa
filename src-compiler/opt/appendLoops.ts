/**
 * `s += t` in a loop that uses the str variable s for nothing else: the emitter (lower/c.ts) keeps where the next
 * character goes and the room left in a kr_sb builder (kiln_str.h), opened before the loop and closed after it,
 * which the C compiler holds in registers; kr_str_iadd alone reads and writes the string's length in memory on
 * every append, so each append waits for the previous one's store (str_build: 3.6x slower, docs/design/strings.md).
 *
 * While the builder is open the string's own length is stale, so nothing may read the variable in the loop but
 * those appends, nor where an error raised in the loop could lead: the function has no try statement (an error
 * leaves it, and its exit only drops the string). A site is a `for` or `while` loop without `else` (a break would
 * skip the close placed before the else) and a str variable whose every use in the loop, at any depth (its test
 * included), is a rebind site: `s += t` on the variable itself (the op with the rebindsArg0 fact), then
 * `s = <its value>` taking that value over, which the emitter lowers as the op alone. A variable is given to the
 * outermost such loop only.
 */
import { isRef, walkNodes, type IRNode } from '../ir/ir.ts';
import type { TypedFunction } from '../types/typecheck.ts';
import type { DefiniteAssignment } from './definiteAssignment.ts';
import { catches } from './handlers.ts';
import type { Lifetimes } from './lifetimes.ts';
import { nodeKeys, resolvedOf } from './typed.ts';

/**
 * `s += t` rebinding s itself followed by `s = <its value>` (`next`): the variable already holds the value, so the
 * emitter lowers the pair as the op alone (kr_str_iadd(&s, t)).
 */
export function isRebindSite(
  f: TypedFunction, n: IRNode, next: IRNode | undefined, life: Lifetimes, flagged: ReadonlySet<string>, keys: Map<IRNode, string>,
): boolean {
  return n.op === 'call_function' && !!resolvedOf(f, n)?.facts?.rebindsArg0 && next?.op === 'assign' && isRef(n.args[0])
    && next.target === n.args[0].ref && life.moves[keys.get(next)!] === n.name && !flagged.has(next.target);
}

/** Loops (by node name) and the str variables whose appends go through a builder in each. */
export function appendLoops(f: TypedFunction, life: Lifetimes, definite: DefiniteAssignment): Record<string, string[]> {
  const sites: Record<string, string[]> = {};
  if (catches(f.ir.nodes)) return sites;
  const keys = nodeKeys(f.ir.nodes);
  const flagged = new Set(definite.flagged);
  const strVars = new Set(Object.entries(f.varTypes).filter(([, t]) => t.kind === 'str').map(([v]) => v));
  if (!strVars.size) return sites;

  /** The variables of `loop` whose every use in it is a rebind site (with at least one). */
  const appendOnly = (loop: IRNode): string[] => {
    const appends = new Set<string>();
    const other = new Set<string>();
    const allowed = new Set<IRNode>();
    const scan = (nodes: IRNode[]) => nodes.forEach((n, i) => {
      if (isRebindSite(f, n, nodes[i + 1], life, flagged, keys)) {
        const v = (n.args[0] as { ref: string }).ref;
        appends.add(v);
        allowed.add(n);
        allowed.add(nodes[i + 1]);
      }
      for (const r of n.regions ?? []) scan(r.nodes);
    });
    for (const r of loop.regions!) scan(r.nodes);
    walkNodes(loop.regions!.flatMap((r) => r.nodes), (n) => {
      n.args.forEach((a, i) => { if (isRef(a) && !(allowed.has(n) && i === 0 && n.op === 'call_function')) other.add(a.ref); });
      // an assignment (or a for loop's variable) that is not a rebind site
      if (!allowed.has(n) && n.target) other.add(n.target);
    });
    return [...appends].filter((v) => strVars.has(v) && !other.has(v));
  };

  const visit = (nodes: IRNode[], taken: ReadonlySet<string>) => {
    for (const n of nodes) {
      let inner = taken;
      if ((n.op === 'for_range' || n.op === 'while') && !n.regions!.some((r) => r.name === 'orelse' && r.nodes.length)) {
        const vars = appendOnly(n).filter((v) => !taken.has(v));
        if (vars.length) {
          sites[n.name] = vars;
          inner = new Set([...taken, ...vars]);
        }
      }
      for (const r of n.regions ?? []) visit(r.nodes, inner);
    }
  };
  visit(f.ir.nodes, new Set());
  return sites;
}
