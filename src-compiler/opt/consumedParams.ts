/**
 * Consumed parameters: the callee takes over the caller's reference (docs/design/object-model.md, "How generated code
 * keeps the counts"). A parameter an instance (or None) that the function stores into a field, returns, or passes on
 * to another consumed parameter at its last use (`self.queue = pkt`, `return t.add_packet(pkt, self)`) receives a
 * reference of its own from the caller instead of a borrowed one: the caller gives its reference over where the value
 * dies at the call (a local or a call's result at its last use: `return self.fn(msg, s)`), else counts one; the
 * callee owns the parameter as a local (dropped on every exit) and moves it into its sink without a count. A packet
 * that travels from a task's queue through three calls into another queue then costs no count at all.
 *
 * Every call of such a function must follow the convention, so only functions that are called by direct or virtual
 * calls of compiled code are candidates (no entry, no dunder an op may call, no cache, no recursion, no try, and no
 * function values in the program); the implementations of one virtual method consume the same parameters.
 */
import { isRef, walkNodes, type Arg, type IRNode } from '../ir/ir.ts';
import type { TypedFunction, TypedProgram } from '../types/typecheck.ts';
import { isNicheOptional, ownsReferences, type KType } from '../types/types.ts';

/** The functions whose result one of their parameters keeps (opt/lifetimes.ts heldResults), by key. */
type HeldResults = ReadonlyMap<string, unknown>;

/** Per function key: the positions of the parameters it consumes. */
export type ConsumedParams = ReadonlyMap<string, ReadonlySet<number>>;

const isPointer = (t: KType | undefined) => !!t && ownsReferences(t)
  && (t.kind === 'instance' || (isNicheOptional(t) && t.kind === 'union' && t.members.some((m) => m.kind === 'instance')));
const plain = (t: KType | undefined) => !!t && !ownsReferences(t) && t.kind !== 'func' && t.kind !== 'funcset'
  && t.kind !== 'list' && t.kind !== 'dict' && t.kind !== 'set' && t.kind !== 'array';

/** The callees of a call node of `f` and, per callee, how its parameter k is bound (the caller's argument index, or undefined). */
export function calleesOf(f: TypedFunction, n: IRNode): { callee: string; argOf: (k: number) => number | undefined }[] {
  const plainArg = (args: { args: unknown[] } | undefined, k: number): number | undefined => {
    if (!args) return k < n.args.length ? k : undefined;
    const b = args.args[k] as { arg?: number; item?: number } | undefined;
    return b && typeof b.arg === 'number' && b.item === undefined && Object.keys(b).every((x) => x === 'arg' || x === 'item') ? b.arg : undefined;
  };
  const virtual = f.virtuals?.get(n.name);
  if (virtual) return virtual.map((c) => ({ callee: c.callee, argOf: (k: number) => (k === 0 ? 0 : plainArg(c.binding, k)) }));
  const key = f.calls.get(n.name);
  if (!key) return [];
  const binding = f.bindings.get(n.name);
  return [{ callee: key, argOf: (k: number) => plainArg(binding, k) }];
}

/**
 * Where a value of `f` dies: a node that is a last use of local (or parameter) `v` (or a value v flows to without a
 * count: `derived`), with nothing after it that reads v or anything read out of v. The nodes after m are the rest of
 * its block, and of each enclosing block unless the block ends in a return or a raise; only `if`s enclose m. m reads v
 * once (the moved argument, `at`), and none of its other arguments is derived from v (a callee given v's reference
 * could drop it while it reads them).
 */
export function diesAt(f: TypedFunction, m: IRNode, v: string, at: number, held?: HeldResults): boolean {
  const derived = derivedFrom(f, v, held);
  const mentions = (n: IRNode) => {
    let found = false;
    walkNodes([n], (x) => {
      if ((x.op === 'assign' && derived.has(x.target)) || x.args.some((a: Arg) => isRef(a) && derived.has(a.ref))) found = true;
    });
    return found;
  };
  if (m.args.some((a: Arg, i) => i !== at && isRef(a) && derived.has(a.ref))) return false;
  const chain = enclosing(f.ir.nodes, m);
  // Only branches enclose m: no loop runs it again, and no finally or handler runs after it.
  if (!chain || chain.some((c) => c.owner && c.owner.op !== 'if')) return false;
  for (let k = chain.length - 1; k >= 0; k--) {
    const { nodes, at: i } = chain[k];
    if (nodes.slice(i + 1).some(mentions)) return false;
    if (['output', 'raise'].includes(nodes[nodes.length - 1]?.op)) break; // what follows the block is not reached from m
  }
  // A narrowing of v that m reads must have no other reader.
  const arg = m.args[at];
  if (isRef(arg) && arg.ref !== v) {
    let readers = 0;
    walkNodes(f.ir.nodes, (x) => { readers += x.args.filter((a: Arg) => isRef(a) && a.ref === arg.ref).length; });
    if (readers !== 1) return false;
  }
  return true;
}

/** The blocks that enclose node m, outermost first, with m's (or its owner's) index in each. */
function enclosing(nodes: IRNode[], m: IRNode, owner?: IRNode): { nodes: IRNode[]; at: number; owner?: IRNode }[] | undefined {
  for (let i = 0; i < nodes.length; i++) {
    if (nodes[i] === m) return [{ nodes, at: i, owner }];
    for (const r of nodes[i].regions ?? []) {
      const inner = enclosing(r.nodes, m, nodes[i]);
      if (inner) return [{ nodes, at: i, owner }, ...inner];
    }
  }
  return undefined;
}

/**
 * v and the values that may hold a reference only v keeps alive: anything not a number or a bool computed from v or
 * from such a value (field reads, narrowings, items, results of calls given one), and the locals assigned one.
 */
export function derivedFrom(f: TypedFunction, v: string, held?: HeldResults): Set<string> {
  const out = new Set([v]);
  for (let grew = true; grew;) {
    grew = false;
    walkNodes(f.ir.nodes, (n) => {
      const name = n.op === 'assign' ? n.target : n.op === 'call_function' ? n.name : undefined;
      if (!name || out.has(name)) return;
      const t = n.op === 'assign' ? f.varTypes[n.target] : n.type;
      if (plain(t)) return;
      // A compiled function's result is a reference of its own, unless its argument keeps it (heldResults).
      if (n.op === 'call_function' && calleesOf(f, n).every((c) => !held?.has(c.callee)) && calleesOf(f, n).length) return;
      if (n.args.some((a: Arg) => isRef(a) && out.has(a.ref))) { out.add(name); grew = true; }
    });
  }
  return out;
}

/** The value a node passes on for local or parameter v: v itself, or a narrowing of v (`pkt` after `pkt is not None`). */
export function isValueOf(a: Arg | undefined, v: string, defs: ReadonlyMap<string, IRNode>): boolean {
  if (!a || !isRef(a)) return false;
  if (a.ref === v) return true;
  const d = defs.get(a.ref);
  return d?.op === 'call_function' && d.target === 'kiln.narrow' && isRef(d.args[0]) && d.args[0].ref === v;
}

/** The program's consumed parameters (an empty map where the program has function values). */
export function consumedParams(program: TypedProgram, held?: HeldResults): ConsumedParams {
  const out = new Map<string, Set<number>>();
  const fns = program.functions;
  const byKey = new Map(fns.map((f) => [f.key, f]));
  // Function values run compiled code through slots and pointers this convention does not reach.
  let values = false;
  const funcType = (t: KType | undefined) => !!t && (t.kind === 'func' || t.kind === 'funcset');
  for (const f of fns) {
    if (f.dispatch.size || f.valueCalls.size || Object.values(f.varTypes).some(funcType) || f.paramTypes.some(funcType)) values = true;
    walkNodes(f.ir.nodes, (n) => { if (funcType(n.type) || n.target === 'kiln.make_closure') values = true; });
  }
  if (values) return out;
  const entries = new Set(program.entries.flatMap((e) => [e.key, ...(e.variants ?? []).map((v) => v.key)]));
  const called = new Set<string>();
  for (const f of fns) walkNodes(f.ir.nodes, (n) => { for (const c of calleesOf(f, n)) called.add(c.callee); });
  const candidates = new Map<string, Set<number>>();
  for (const f of fns) {
    const last = f.ir.name.split('.').pop() ?? '';
    let tries = false;
    walkNodes(f.ir.nodes, (n) => { if (n.op === 'try') tries = true; });
    if (entries.has(f.key) || !called.has(f.key) || f.ir.cache || f.recursive || last.startsWith('__') || tries) continue;
    const assigned = new Set<string>();
    walkNodes(f.ir.nodes, (n) => { if (n.op === 'assign') assigned.add(n.target); });
    const ok = new Set(f.ir.params.map((_p, i) => i).filter((i) => isPointer(f.paramTypes[i]) && !assigned.has(f.ir.params[i].name)));
    if (ok.size) candidates.set(f.key, ok);
  }
  // The implementations of one virtual method, by the first of them: they consume the same parameters.
  const families: string[][] = [];
  for (const f of fns) for (const cases of f.virtuals?.values() ?? []) families.push(cases.map((c) => c.callee));
  const consumes = (callee: string, k: number) => !!out.get(callee)?.has(k);
  const arity = (callee: string) => byKey.get(callee)?.ir.params.length ?? 0;
  for (let grew = true; grew;) {
    grew = false;
    const wants = new Map<string, Set<number>>();
    for (const f of fns) {
      const ok = candidates.get(f.key);
      if (!ok) continue;
      const defs = new Map<string, IRNode>();
      walkNodes(f.ir.nodes, (n) => defs.set(n.name, n));
      for (const k of ok) {
        const v = f.ir.params[k].name;
        const found = sinks(f, v, defs, consumes, arity, held).map((x) => x.node);
        if (found.length && sinksEverywhere(f, v, new Set(found), defs)) (wants.get(f.key) ?? wants.set(f.key, new Set()).get(f.key)!).add(k);
      }
    }
    const add = (key: string, k: number) => {
      const s = out.get(key) ?? out.set(key, new Set()).get(key)!;
      if (!s.has(k)) { s.add(k); grew = true; }
    };
    for (const [key, ks] of wants) for (const k of ks) {
      // The families of key consume k when every member of them can: else none of them does.
      const members = [...new Set([key, ...families.filter((fam) => fam.includes(key)).flat()])];
      if (members.every((m) => candidates.get(m)?.has(k))) members.forEach((m) => add(m, k));
    }
  }
  // Each family consumes what all its members do (a method in two families may have grown with one of them), to a
  // fixed point. A caller's sink that relied on a removed position is found again by lifetimes, which counts it then.
  for (let shrank = true; shrank;) {
    shrank = false;
    for (const fam of families) {
      for (const k of new Set(fam.flatMap((m) => [...(out.get(m) ?? [])]))) {
        if (fam.every((m) => out.get(m)?.has(k))) continue;
        fam.forEach((m) => out.get(m)?.delete(k));
        shrank = true;
      }
    }
  }
  return out;
}

/**
 * The nodes where local or parameter v of f dies into something that takes its reference over: a return of it, a
 * store of it into a field that holds instances, a call passing it to a consumed parameter (`consumes`); each the
 * last use of v (diesAt). By node, with the argument index that takes the reference.
 */
export function sinks(
  f: TypedFunction, v: string, defs: ReadonlyMap<string, IRNode>, consumes: (callee: string, k: number) => boolean, arity: (callee: string) => number,
  held?: HeldResults,
): { node: IRNode; at: number }[] {
  const out: { node: IRNode; at: number }[] = [];
  walkNodes(f.ir.nodes, (n) => {
    let at = -1;
    if (n.op === 'output' && isValueOf(n.args[0], v, defs)) at = 0;
    else if (n.op === 'call_function' && n.target === 'kiln.setattr' && isValueOf(n.args[2], v, defs)
      && isPointer(f.resolved.get(n.name)?.argTypes[2])) at = 2;
    else if (n.op === 'call_function') {
      const cs = calleesOf(f, n);
      if (!cs.length) return;
      const hits = n.args.map((_a, i) => i).filter((i) => isValueOf(n.args[i], v, defs));
      if (hits.length !== 1) return;
      const i = hits[0];
      // Every implementation takes the reference at the parameter argument i binds (one position for all of them).
      const ks = cs.map((c) => [...Array(arity(c.callee)).keys()].filter((k) => c.argOf(k) === i));
      if (ks.every((k) => k.length === 1 && consumes(cs[ks.indexOf(k)].callee, k[0]))) at = i;
    }
    if (at >= 0 && diesAt(f, n, v, at, held)) out.push({ node: n, at });
  });
  return out;
}

/**
 * Whether every way out of f but an error passes a sink of v first, or leaves where v is None (`if pkt is None:
 * return ...`): consuming v then costs no count on any path (a parameter sometimes returned, `return self` or
 * `return old`, would be dropped on the other path instead).
 */
function sinksEverywhere(f: TypedFunction, v: string, found: ReadonlySet<IRNode>, defs: ReadonlyMap<string, IRNode>): boolean {
  const sinksIn = (nodes: IRNode[]): boolean => nodes.some((n) => found.has(n)
    || (n.op === 'if' && ['then', 'else'].every((r) => sinksIn(n.regions?.find((x) => x.name === r)?.nodes ?? []))));
  const noneTest = (owner: IRNode | undefined, nodes: IRNode[]): boolean => {
    if (owner?.op !== 'if' || !isRef(owner.args[0])) return false;
    const test = defs.get(owner.args[0].ref);
    const region = owner.regions?.find((r) => r.nodes === nodes)?.name;
    const [a, b] = test?.args ?? [];
    const isV = (x: Arg | undefined) => !!x && isRef(x) && x.ref === v;
    const isNone = (x: Arg | undefined) => !!x && !isRef(x) && x.const.kind === 'none';
    if (!((isV(a) && isNone(b)) || (isNone(a) && isV(b)))) return false;
    return (test!.target === '_operator.is_' && region === 'then') || (test!.target === '_operator.is_not' && region === 'else');
  };
  let ok = true;
  walkNodes(f.ir.nodes, (o) => {
    if (o.op !== 'output' || found.has(o)) return;
    const chain = enclosing(f.ir.nodes, o)!;
    if (!chain.some((c) => sinksIn(c.nodes.slice(0, c.at)) || noneTest(c.owner, c.nodes))) ok = false;
  });
  // Falling off the end of the function is a way out too.
  const last = f.ir.nodes[f.ir.nodes.length - 1];
  if (!['output', 'raise'].includes(last?.op) && !sinksIn(f.ir.nodes)) ok = false;
  return ok;
}
