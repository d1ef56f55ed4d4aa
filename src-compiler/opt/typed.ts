/**
 * What every pass reads from a typed function: the type of an argument, the resolved op of a node and its
 * facts, a key for every node (plans name nodes by it), and whether an argument converts to the op's type
 * inline. Plain functions of the typed IR; no pass state.
 */
import { isRef, walkNodes, type Arg, type IRNode } from '../ir/ir.ts';
import { convert, type CallCheck, type OpFacts, type Resolved } from '../types/ops/index.ts';
import { type TypedFunction } from '../types/typecheck.ts';
import { T, constType, type KType } from '../types/types.ts';

/** The types a function's values have: its locals, then the values its nodes compute. */
export class FunctionTypes {
  private readonly values = new Map<string, KType>();

  constructor(private readonly f: TypedFunction) {
    walkNodes(f.ir.nodes, (n) => { if (n.type && (n.op === 'call_function' || n.op === 'constant')) this.values.set(n.name, n.type); });
  }

  /** An argument's type (none for what has no type). */
  of(a: Arg): KType {
    if (!isRef(a)) return constType(a.const) ?? T.none;
    return this.f.varTypes[a.ref] ?? this.values.get(a.ref) ?? T.none;
  }

  /** Whether every argument of `n` converts to the type its op takes as a C expression (no call that can raise). */
  inline(n: IRNode, r: Resolved): boolean {
    return n.args.every((a, i) => 'expr' in convert('x', this.of(a), r.argTypes[i] ?? this.of(a)));
  }
}

export const resolvedOf = (f: TypedFunction, n: IRNode): Resolved | undefined =>
  (n.op === 'call_function' && !f.calls.has(n.name) ? f.resolved.get(n.name) : undefined);

/** The facts of the op a node calls (nothing for a call of a module function or any other node). */
export const factsOf = (f: TypedFunction, n: IRNode): OpFacts => resolvedOf(f, n)?.facts ?? {};

/** A call of a compiled function whose C arguments are its args as they are (positional, no defaults, no closure). */
export function plainCall(f: TypedFunction, n: IRNode): boolean {
  const b = f.bindings.get(n.name);
  return !b || (!n.call && b.args.length === n.args.length && b.args.every((x, i) => 'arg' in x && x.arg === i && x.item === undefined));
}

/** The check of a fallible call that passes may split (CallCheck), if it has one. */
export function callCheck(r: Resolved | undefined): CallCheck | undefined {
  return r?.lower.kind === 'call' ? r.lower.check : undefined;
}

export const isPyIntType = (t: KType | undefined): boolean => t?.kind === 'scalar' && t.name === 'int';

/** The step of a `for_range` when it is a constant (`range(a, b)` has step 1), else undefined. */
export function constantStep(loop: IRNode): bigint | undefined {
  const step = loop.args[2];
  return !isRef(step) && (step.const.kind === 'int' || step.const.kind === 'bool') ? BigInt(step.const.value) : undefined;
}

/**
 * A key for every node, unique in its function, for plans to name nodes by: the node's name, except for an
 * `assign` (named after the variable it writes), which is `<variable>#<k>` for the k-th assignment to it in
 * program order, from 1.
 */
export function nodeKeys(nodes: IRNode[]): Map<IRNode, string> {
  const keys = new Map<IRNode, string>();
  const assigns = new Map<string, number>();
  walkNodes(nodes, (n) => {
    if (n.op !== 'assign') keys.set(n, n.name);
    else {
      const k = (assigns.get(n.name) ?? 0) + 1;
      assigns.set(n.name, k);
      keys.set(n, `${n.name}#${k}`);
    }
  });
  return keys;
}

/** True when a `break` of this loop body (not of a nested loop) can run. */
export function hasBreak(nodes: IRNode[]): boolean {
  return nodes.some((n) => n.op === 'break' || ((n.op === 'if' || n.op === 'try') && n.regions!.some((r) => hasBreak(r.nodes))));
}

/** Every node of a list, depth first. */
export function allNodes(nodes: IRNode[]): IRNode[] {
  const out: IRNode[] = [];
  walkNodes(nodes, (n) => out.push(n));
  return out;
}
