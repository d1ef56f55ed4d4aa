/**
 * Lifetimes of values that own references (objects: str, bytes, tuples holding them; later dicts, instances,
 * closures' cells): where generated code releases each one. Always on: it decides memory, not speed.
 *
 * The ownership model (docs/design/object-model.md) as the emitter applies it:
 * - a local variable of such a type owns one reference: an assignment takes a new one (or takes over a
 *   value's, see `moves`) and drops the old; everything a function owns is dropped on every exit, normal or
 *   error (one cleanup label, lower/c.ts);
 * - arguments are borrowed; a parameter the function assigns is owned instead (a reference taken on entry), so
 *   that `s += t` never appends in place to a string its caller still holds;
 * - the value a call or an op computes (a node) is a new reference, dropped right after its last use, where
 *   "last use" is the last node of the block that defines it which reads it (directly or in a nested region):
 *   a string made and dropped in a loop body is freed in the same iteration, so loops run in bounded memory,
 *   and no stale temporary keeps a second reference to a string that `+=` could otherwise extend in place;
 * - an `assign` or `output` that is the last use of a value takes its reference over (no count traffic), and so does
 *   a field write of an instance that is its value's last use (`self.queue = pkt.append_to(self.queue)`);
 * - a field read `p.f` of a parameter p the function never assigns is borrowed (no reference taken, none dropped)
 *   when f is stable (no code assigns it after construction: stableFields) and its value only goes to calls and
 *   field reads: the caller keeps p alive for the whole call, p keeps its field, and nothing can replace the field;
 *   a callee that keeps the value takes its own reference, as for any argument (`ray.origin` in `Sphere.hit`);
 *   so is a narrowed read of a variable (`t` after `t is not None`) used the same way while nothing assigns the
 *   variable before the read's last use (`t.run_task(self)` in a scheduler loop); field writes and identity tests
 *   are such uses too (a write counts its value before it drops the old one);
 * - any field read of a parameter, a variable or a borrowed value whose uses follow it at once and run no code
 *   (`self.queue is None`, `self.queue = msg.link`) is borrowed: nothing can replace the field before its last use,
 *   where only the last may be a field write (a write may drop the last reference to the object read from);
 * - the result of a direct call of a function that returns a stable field of a parameter, or an item of a list that
 *   is one, right before returning (heldResults: `return self.tasks[i]`), is borrowed where the caller's argument for
 *   that parameter lives through its uses (and, for an item, nothing in them can reach a list of objects): the caller
 *   gives the callee's count back at once (kr_unref_held: never the last reference), and so are locals assigned only
 *   such results (`t = s.find(i)`, heldLocals);
 * - a field read passed to calls none of which may assign a field of that name, through any call (fieldWrites, the
 *   pass borrowedArgs: `self.queue = pkt.append_to(self.queue)`), is borrowed while the object read from lives;
 * - a parameter the caller gives a reference to (opt/consumedParams.ts) is owned like a local, and moved into the
 *   field write, return or call that is its last use (`moves`, `passes`); at a call of a function that consumes a
 *   parameter, a local, parameter or call result that dies there gives its reference over, else one is counted;
 * - lists the function owns alone (opt/listFrees.ts) are held the same way: freed instead of dropped, and only ever
 *   moved (nothing else may hold one, so no reference is ever taken);
 * - a value defined in a loop may find its slot still holding the previous iteration's value (a `continue` or
 *   `break` skipped the release): the emitter clears it first; values of a while loop's test are visible after
 *   the loop, so they are only cleared before the next definition and on exit.
 */
import { fieldName, isRef, type Arg, type IRNode } from '../ir/ir.ts';
import type { TypedFunction, TypedProgram } from '../types/typecheck.ts';
import { isFunctionType, isNicheOptional, isObject, ownsReferences, T, type KType } from '../types/types.ts';
import { FunctionTypes, nodeKeys } from './typed.ts';
import { walkNodes } from '../ir/ir.ts';
import type { ListFrees } from './listFrees.ts';
import { calleesOf, derivedFrom, sinks, type ConsumedParams } from './consumedParams.ts';

/** Ops that keep no reference to their arguments and run no code of the program (identity tests, field reads and writes). */
const HARMLESS = new Set(['kiln.getattr', 'kiln.setattr', '_operator.is_', '_operator.is_not']);

export interface Lifetimes {
  /** Parameters that own references and that the function assigns: it takes its own reference on entry. */
  ownedParams: string[];
  /** Locals (not parameters) that own references. */
  ownedLocals: string[];
  /** Node values that own references (call results), by node name. */
  temps: string[];
  /** Values defined inside a loop (or a while test): their slot is cleared before each definition. */
  clearBefore: string[];
  /** Node key -> values released right after that node (their last use in the block that defines them). */
  releaseAfter: Record<string, string[]>;
  /** Node key of an `assign`, `output` or instance field write -> the value whose reference it takes over (its last use). */
  moves: Record<string, string>;
  /** Field reads (node names) whose value is borrowed: their lowering takes no reference, and nothing releases them. */
  borrowed: string[];
  /** Locals that only ever hold borrowed references (borrowedLocalCandidates): assigned without a count, never dropped. */
  borrowedLocals: string[];
  /**
   * `msg = self.queue; ...; self.queue = msg.link` (fieldTakeovers): the key of the assign -> the key of the field write
   * whose old value the local takes over. The read takes no reference (it is in `borrowed`, the assign in `moves`) and
   * the write drops none; an error between them gives the local a reference of its own (the emitter's undo).
   */
  takeovers: Record<string, string>;
  /**
   * A takeover whose write is in a branch that ends in a return or a raise: the key of that `if` -> the locals that
   * count their reference right after it (on the path that skipped the branch, the field keeps its own).
   */
  countAfter: Record<string, string[]>;
  /**
   * Parameters the caller gives a reference of its own (opt/consumedParams.ts): owned like a local, with no count
   * taken on entry, dropped on every exit unless a sink took it over (a `moves` entry naming the parameter).
   */
  consumedParams: string[];
  /**
   * Calls of functions that consume parameters: the key of the call -> per callee (a virtual call has several) -> per
   * consumed parameter position, the local, parameter or call result whose reference it takes over (the slot is
   * emptied), or null where the caller counts a new reference for it.
   */
  passes: Record<string, Record<string, Record<number, string | null>>>;
}

/**
 * The fields (by name) no code assigns after construction: every `obj.f = v` (and `obj.f += v`) of the program is
 * `self.f = ...` in an `__init__` on its own `self`, and no `__init__` runs on an object that exists already (an
 * explicit `obj.__init__(...)`, or `super().__init__()` outside an `__init__`: then no field is stable).
 */
export function stableFields(program: TypedProgram): Set<string> {
  const written = new Set<string>();
  const all = new Set<string>();
  let reinit = false;
  for (const f of program.functions) {
    const init = f.ir.name.endsWith('.__init__');
    const self = f.ir.params[0]?.name;
    const made = new Set<string>();
    walkNodes(f.ir.nodes, (n) => {
      if (init && n.op === 'assign' && n.target === self) reinit = true; // `self = other` in an __init__: its setattrs are not construction
      if (n.op !== 'call_function') return;
      if (n.target === 'kiln.new_instance') made.add(n.name);
      const field = fieldName(n);
      const name = field === '*' ? undefined : field;
      if (name) all.add(name);
      if (n.target === 'kiln.setattr' && name && !(init && isRef(n.args[0]) && n.args[0].ref === self)) written.add(name);
      if (n.target === 'method.__init__') reinit = true;
      // A call of an __init__: on an instance just made (a construction), or on self from an __init__ (super().__init__).
      if (n.target.endsWith('.__init__') && n.target !== 'method.__init__') {
        const on = n.args[0];
        if (!(isRef(on) && (made.has(on.ref) || (init && on.ref === self)))) reinit = true;
      }
    });
  }
  return reinit ? new Set() : new Set([...all].filter((x) => !written.has(x)));
}

/** Per function (by key): the names of the fields it or anything it calls may assign, or 'any' (unknown code may run). */
export type FieldWrites = ReadonlyMap<string, ReadonlySet<string> | 'any'>;

/**
 * Which fields each function may write, through any call (the pass borrowedArgs): its own `obj.f = v` and its
 * callees' (direct calls, virtual cases, the dunders an op calls), to a fixed point over recursion. A call through a
 * function value (a funcset, a closure, a library function as a value) runs code the program does not name: 'any'.
 * So does an `__init__` on an object that exists already (stableFields' reinit), for every function.
 */
export function fieldWrites(program: TypedProgram): FieldWrites {
  const reinit = stableFields(program).size === 0;
  return throughCalls(program, (f) => {
    const own = new Set<string>();
    walkNodes(f.ir.nodes, (n) => {
      if (n.target === 'kiln.setattr') own.add(fieldName(n)!);
    });
    return reinit || own.has('*') ? 'any' : own;
  });
}

/**
 * What each function (by key) or anything it calls may do: the union of `own` over its callees (direct calls, virtual
 * cases, the dunders an op calls), to a fixed point over recursion; 'any' where a function calls through a function
 * value (a funcset, a closure, a library function as a value: code the program does not name).
 */
export function throughCalls(program: TypedProgram, own: (f: TypedFunction) => Set<string> | 'any'): Map<string, Set<string> | 'any'> {
  const out = new Map<string, Set<string> | 'any'>();
  const callees = new Map<string, string[]>();
  for (const f of program.functions) {
    const mine = own(f);
    out.set(f.key, mine === 'any' || f.dispatch.size > 0 || f.valueCalls.size > 0 ? 'any' : mine);
    callees.set(f.key, [...f.calls.values(), ...[...(f.virtuals?.values() ?? [])].flat().map((c) => c.callee)]);
  }
  for (let grew = true; grew;) {
    grew = false;
    for (const [key, mine] of out) {
      if (mine === 'any') continue;
      for (const c of callees.get(key)!) {
        const theirs = out.get(c);
        if (theirs === undefined || theirs === 'any') { out.set(key, 'any'); grew = true; break; }
        for (const name of theirs) if (!mine.has(name)) { mine.add(name); grew = true; }
      }
    }
  }
  return out;
}

/** Per function (by key) whose result something else keeps when it returns (heldResults): through which parameter. */
export type HeldResults = ReadonlyMap<string, { param: number; item: boolean }>;

/**
 * Functions that return a stable field of a parameter they never assign (`return self.origin`) or an item of a list
 * that is such a field (`return self.tasks[i]`), read right before the return (or None): when the call returns, the
 * field or the list still holds the object it returns, and keeps holding it while the caller's argument lives (and,
 * for an item, while nothing can reach a list to take it out). An instance (or None) only, whose count has no sign;
 * no `try` in the function (a `finally` runs between the read and the return).
 * `param`: the parameter that holds it; `item`: through a list item.
 */
export function heldResults(program: TypedProgram, stable: ReadonlySet<string>): HeldResults {
  const out = new Map<string, { param: number; item: boolean }>();
  for (const f of program.functions) {
    if (f.ir.cache || !isPointer(f.returnType) || !ownsReferences(f.returnType)) continue;
    const assigned = new Set<string>();
    const defs = new Map<string, IRNode>();
    walkNodes(f.ir.nodes, (n) => { if (n.op === 'assign') assigned.add(n.target); defs.set(n.name, n); });
    const params = f.ir.params.map((p) => p.name);
    // The parameter whose stable field `read` is (a getattr node), if the function never assigns it.
    const fieldOf = (read: IRNode | undefined): number => {
      const [obj, attr] = read?.op === 'call_function' && read.target === 'kiln.getattr' ? read.args : [];
      if (!obj || !isRef(obj) || !attr || isRef(attr) || attr.const.kind !== 'str' || !stable.has(attr.const.value) || assigned.has(obj.ref)) return -1;
      return params.indexOf(obj.ref);
    };
    let found: { param: number; item: boolean } | undefined;
    let ok = true;
    const block = (nodes: IRNode[]) => nodes.forEach((n, i) => {
      for (const r of n.regions ?? []) block(r.nodes);
      if (n.op === 'try') ok = false; // a finally (or a handler) runs after the read: it could take the object out
      if (n.op !== 'output') return;
      const [a] = n.args;
      if (!a || (!isRef(a) && a.const.kind === 'none')) return;
      const read = a && isRef(a) && nodes[i - 1]?.name === a.ref ? nodes[i - 1] : undefined;
      const seq = read?.op === 'call_function' && read.target === '_operator.getitem' && isRef(read.args[0]) ? defs.get(read.args[0].ref) : undefined;
      const item = !!seq && seq.type?.kind === 'list';
      const param = item ? fieldOf(seq) : fieldOf(read);
      if (param < 0 || (found && found.param !== param)) ok = false;
      else found = { param, item: item || !!found?.item };
    });
    block(f.ir.nodes);
    if (ok && found) out.set(f.key, found);
  }
  return out;
}

const isPointer = (t: KType | undefined) => !!t && (t.kind === 'instance' || (isNicheOptional(t) && t.kind === 'union' && t.members.some((m) => m.kind === 'instance')));

/**
 * `extraReads`: values a node reads beyond its arguments, by node name (a split loop reads the string it splits on
 * every iteration: opt/splitLoops.ts). `stable`: the stable fields (stableFields) when field reads may be borrowed
 * (the pass borrowedReads), else undefined. `borrowLocals`: the pass borrowedLocals (borrowedLocalCandidates).
 * `writes`: the fields each function may assign (fieldWrites) when field reads passed to calls may be borrowed (the
 * pass borrowedArgs). `held`: the functions whose result a parameter keeps (heldResults), whose calls' results may be
 * borrowed (the pass borrowedReads; locals assigned only such results: borrowedLocals).
 */
export function lifetimes(
  f: TypedFunction, extraReads: Record<string, string[]> = {}, stable?: ReadonlySet<string>, reach?: ContainerReach, lists: ListFrees = {},
  borrowLocals = false, writes?: FieldWrites, held?: HeldResults, consumed: ConsumedParams = new Map(), arity: (callee: string) => number = () => 0,
): Lifetimes {
  const reads = (n: IRNode, name: string): boolean => {
    let found = false;
    walkNodes([n], (m) => { if (m.args.some((a: Arg) => isRef(a) && a.ref === name) || extraReads[m.name]?.includes(name)) found = true; });
    return found;
  };
  const keys = nodeKeys(f.ir.nodes);
  const params = new Set(f.ir.params.map((p) => p.name));
  const types = new Map<string, KType>(Object.entries(f.varTypes));
  f.ir.params.forEach((p, i) => types.set(p.name, f.paramTypes[i]));
  const defs = new Map<string, IRNode>();
  walkNodes(f.ir.nodes, (n) => { if (n.type) types.set(n.name, n.type); defs.set(n.name, n); });
  const assigned = new Set<string>();
  walkNodes(f.ir.nodes, (n) => { if (n.op === 'assign') assigned.add(n.target); });
  // An op or call in `span` given a value from which a list (or other container that may hold objects) can be reached.
  const touchesContainer = (span: IRNode[]): boolean => {
    let touches = !reach;
    walkNodes(span, (m) => {
      if (m.op === 'call_function' && !HARMLESS.has(m.target) && m.args.some((a: Arg) => isRef(a) && reach!(types.get(a.ref)))) touches = true;
    });
    return touches;
  };
  const assignsIn = (span: IRNode[], v: string): boolean => {
    let found = false;
    walkNodes(span, (m) => { if (m.op === 'assign' && m.target === v) found = true; });
    return found;
  };
  // A direct call of a function whose result one of its parameters keeps (heldResults): the variable given for it.
  const heldBy = (n: IRNode): { holder: string; item: boolean } | undefined => {
    const key = held && n.op === 'call_function' && !f.virtuals?.has(n.name) ? f.calls.get(n.name) : undefined;
    const h = key ? held!.get(key) : undefined;
    if (!h) return undefined;
    const b = f.bindings.get(n.name)?.args[h.param];
    const a = b ? ('arg' in b && b.item === undefined ? n.args[b.arg] : undefined) : n.args[h.param];
    return a && isRef(a) && (params.has(a.ref) || a.ref in f.varTypes) ? { holder: a.ref, item: h.item } : undefined;
  };
  // Locals assigned only results of such calls (`t = s.find(ident)`), each given a parameter the function never assigns
  // that keeps it: from the statement of the first assignment on, no list is reachable by anything that runs (for an
  // item), and the local goes only to calls of compiled functions, field reads and writes, identity tests, narrowings,
  // assignments and returns (which take a reference of their own). No count is taken, none dropped.
  const heldLocals = (among?: ReadonlySet<string>): Set<string> => new Set(Object.keys(f.varTypes).filter((v) => {
    if (params.has(v) || !isPointer(f.varTypes[v]) || (among && !among.has(v))) return false;
    const sources = sourcesOf(f, v).map((a) => { const d = isRef(a) ? defs.get(a.ref) : undefined; return d && heldBy(d); });
    if (!sources.length || sources.some((h) => !h || !params.has(h.holder) || assigned.has(h.holder))) return false;
    const k = f.ir.nodes.findIndex((n) => { let found = false; walkNodes([n], (m) => { if ((m.op === 'assign' && m.target === v) || m.args.some((a: Arg) => isRef(a) && a.ref === v)) found = true; }); return found; });
    const span = f.ir.nodes.slice(k);
    if (sources.some((h) => h!.item) && touchesContainer(span)) return false;
    let ok = true;
    walkNodes(span, (m) => {
      if (!m.args.some((a: Arg) => isRef(a) && a.ref === v)) return;
      if (!(m.op === 'assign' || m.op === 'output' || (m.op === 'call_function' && (f.calls.has(m.name) || !!f.virtuals?.has(m.name) || HARMLESS.has(m.target) || m.target === 'kiln.narrow')))) ok = false;
    });
    return ok;
  }));
  const analyse = (locals: ReadonlySet<string>): Lifetimes => {
  const out: Lifetimes = {
    ownedParams: f.ir.params.filter((p, i) => ownsReferences(f.paramTypes[i]) && assigned.has(p.name)).map((p) => p.name),
    ownedLocals: Object.entries(f.varTypes).filter(([v, t]) => !params.has(v) && !locals.has(v) && (ownsReferences(t) || v in lists)).map(([v]) => v),
    temps: [], clearBefore: [], releaseAfter: {}, moves: {}, borrowed: [], borrowedLocals: [...locals], takeovers: {}, countAfter: {},
    consumedParams: f.ir.params.filter((_p, i) => consumed.get(f.key)?.has(i)).map((p) => p.name), passes: {},
  };
  // Every consumed parameter of every call starts counted (null); a value that dies there gives its reference instead.
  const consumes = (callee: string, k: number) => !!consumed.get(callee)?.has(k);
  walkNodes(f.ir.nodes, (n) => {
    for (const c of n.op === 'call_function' ? calleesOf(f, n) : []) {
      for (const k of consumed.get(c.callee) ?? []) ((out.passes[keys.get(n)!] ??= {})[c.callee] ??= {})[k] = null;
    }
  });
  // The slot `v` whose reference node m's argument `at` takes over: a return or a field write moves it (`moves`), a
  // call passes it to each callee's parameter bound to that argument.
  const give = (m: IRNode, at: number, v: string) => {
    if (m.op === 'output' || m.target === 'kiln.setattr') { out.moves[keys.get(m)!] = v; return; }
    for (const c of calleesOf(f, m)) {
      for (const k of consumed.get(c.callee) ?? []) if (c.argOf(k) === at) out.passes[keys.get(m)!][c.callee][k] = v;
    }
  };
  // Consumed parameters and owned locals (not lists, which listFrees holds) where they die into a sink.
  for (const v of [...out.consumedParams, ...out.ownedLocals.filter((x) => !(x in lists))]) {
    for (const { node, at } of sinks(f, v, defs, consumes, arity, held)) give(node, at, v);
  }
  const owned = (n: IRNode) => n.op === 'call_function' && (ownsReferences(n.type) || n.name in lists);
  // A value that only goes to calls of compiled functions, field reads and writes (a write counts its new value before
  // it drops the old one) and identity tests: none of them keeps it without taking its own reference.
  // An assignment to a borrowed local (borrowedLocals) copies the pointer and takes no reference either.
  const intoLocal = (m: IRNode) => m.op === 'assign' && locals.has(m.target);
  const borrowingUse = (m: IRNode) => intoLocal(m) || (m.op === 'call_function' && (f.calls.has(m.name) || !!f.virtuals?.has(m.name) || HARMLESS.has(m.target)));
  // A use that runs no code of the program: nothing can replace a field or drop an object while it runs.
  const harmlessUse = (m: IRNode) => intoLocal(m) || (m.op === 'call_function' && HARMLESS.has(m.target));
  // Nothing in `span` assigns `root`, a field named `field` (but its last node: a write counts its value before it
  // drops the old one) or runs code that may (FieldWrites); besides compiled calls, only ops on values that own nothing.
  const keepsField = (span: IRNode[], root: string, field: string): boolean => {
    const plain = (t: KType | undefined) => !!t && !ownsReferences(t) && !isFunctionType(t);
    const callees = (m: IRNode) => [...(f.calls.has(m.name) ? [f.calls.get(m.name)!] : []), ...(f.virtuals?.get(m.name) ?? []).map((c) => c.callee)];
    let ok = true;
    walkNodes(span, (m) => {
      if (m.op === 'assign' && m.target === root) ok = false;
      else if (m.op !== 'call_function') { if (!SPAN_OPS.has(m.op)) ok = false; } else if (m.target === 'kiln.setattr') {
        const [, a] = m.args;
        if (m !== span[span.length - 1] && (isRef(a) || a.const.kind !== 'str' || a.const.value === field)) ok = false;
      } else if (callees(m).length) {
        if (f.dispatch.has(m.name) || f.valueCalls.has(m.name)) ok = false;
        for (const c of callees(m)) { const w = writes!.get(c); if (!w || w === 'any' || w.has(field)) ok = false; }
      } else if (!(HARMLESS.has(m.target) || m.target === 'kiln.narrow' || (plain(m.type ?? T.none) && m.args.every((a: Arg) => !isRef(a) || plain(types.get(a.ref)))))) ok = false;
    });
    return ok;
  };
  const borrowable = (n: IRNode, i: number, nodes: IRNode[], test: IRNode[] | undefined): boolean => {
    if (!(isObject(n.type!) || isNicheOptional(n.type!))) return false;
    // A while test's values stay in their slots after the loop: one read anywhere outside the test is not borrowed.
    if (test && (!stable || readOutside(f, n.name, test))) return false;
    if (Object.values(extraReads).some((r) => r.includes(n.name))) return false;
    const by = heldBy(n);
    if (by === undefined && n.target !== 'kiln.getattr' && n.target !== 'kiln.narrow' && n.target !== '_operator.getitem') return false;
    const [obj, attr] = n.args;
    if (!by && (!obj || !isRef(obj))) return false;
    let last = i;
    for (let j = i + 1; j < nodes.length; j++) if (reads(nodes[j], n.name)) last = j;
    const span = nodes.slice(i + 1, last + 1);
    let ok = true;
    walkNodes(span, (m) => { if (m.args.some((a: Arg) => isRef(a) && a.ref === n.name) && !borrowingUse(m)) ok = false; });
    if (!ok) return false;
    // The result of a call whose argument keeps it (heldResults: `t = s.find(i)` returning `self.tasks[i - 1]`): the
    // caller gives the callee's count back at once, while the variable given (not assigned in the span, not a borrowed
    // local) keeps the field, and, for a list item, nothing in the span can reach a list to take it out.
    if (by) return !locals.has(by.holder) && !assignsIn(span, by.holder) && !(by.item && touchesContainer(span));
    if (!isRef(obj)) return false;
    if (n.target === 'kiln.getattr') {
      // `t.f` of a parameter the function never assigns, f stable: the caller keeps t, t keeps f.
      if (!stable) return false; // the pass borrowedReads is off
      if (params.has(obj.ref) && !assigned.has(obj.ref) && !isRef(attr) && attr.const.kind === 'str' && stable.has(attr.const.value)) return true;
      // Any field read whose uses follow it at once and run no code (`self.queue is None`, `self.queue = msg.link`):
      // the field still holds the value at its last use. A field write may drop the last reference to the object
      // read from, so only the last use may be one (it counts the value, or writes into it, before it drops).
      // The object read from must outlive the span: a parameter, a variable or a borrowed value (a temporary's
      // reference may be dropped right after the read).
      const held = params.has(obj.ref) || obj.ref in f.varTypes || out.borrowed.includes(obj.ref);
      if (held && span.every((m, k) => harmlessUse(m) && (m.target !== 'kiln.setattr' || k === span.length - 1))) return true;
      // A field read passed to calls none of which may assign a field of that name, through any call (the pass
      // borrowedArgs: `self.queue = pkt.append_to(self.queue)`): the field keeps the value while the object read from
      // lives, a parameter or a variable the span does not assign (not a borrowed local: a call may cut its chain).
      return !!writes && !isRef(attr) && attr.const.kind === 'str' && (params.has(obj.ref) || obj.ref in f.varTypes) && !locals.has(obj.ref)
        && keepsField(span, obj.ref, attr.const.value);
    }
    // An item of a list that is a stable field of a parameter the function never assigns (`self.spheres[i].hit(ray)`):
    // the caller keeps the parameter, nothing replaces the field, and no op or call in the span is given anything
    // from which a list (or any container) can be reached, so nothing can remove the item before its last use.
    if (n.target === '_operator.getitem' && reach && stable) {
      const seq = defs.get(obj.ref);
      const [holder, field] = seq?.target === 'kiln.getattr' ? seq.args : [];
      if (types.get(obj.ref)?.kind !== 'list' || !holder || !isRef(holder) || !params.has(holder.ref) || assigned.has(holder.ref)) return false;
      if (!field || isRef(field) || field.const.kind !== 'str' || !stable.has(field.const.value)) return false;
      return !touchesContainer(span);
    }
    // A narrowed read of a variable (`t` where `t is not None` was tested): the variable's own reference, while no
    // assignment to it runs before the value's last use (a loop around both counts).
    if (n.target === 'kiln.narrow' && (params.has(obj.ref) || obj.ref in f.varTypes)) {
      let rebound = false;
      walkNodes(span, (m) => { if (m.op === 'assign' && m.target === obj.ref) rebound = true; });
      return !rebound;
    }
    return false;
  };

  // A field write of an instance (`self.queue = pkt.append_to(self.queue)`) that is its value's last use and reads it
  // nowhere else takes its reference over, as an assign does (the emitter empties the value's slot once it is stored).
  // The field holds an instance or None (a pointer: the value is stored as it is, never converted into a new object).
  const pointerField = (t: KType | undefined) => t?.kind === 'instance' || (!!t && isNicheOptional(t) && t.kind === 'union' && t.members.some((m) => m.kind === 'instance'));
  const storesOnly = (user: IRNode, n: IRNode): boolean => user.op === 'call_function' && user.target === 'kiln.setattr'
    && n.type?.kind === 'instance' && pointerField(f.resolved.get(user.name)?.argTypes[2]) && isRef(user.args[2]) && user.args[2].ref === n.name
    && !user.args.slice(0, 2).some((a: Arg) => isRef(a) && a.ref === n.name) && !extraReads[user.name]?.includes(n.name);
  // A call that passes result n, once, to a parameter every callee consumes, none of its other arguments read out of n
  // (a callee given n's reference could drop it while it reads them): the argument's index, else -1.
  const passedAt = (user: IRNode, n: IRNode): number => {
    if (user.op !== 'call_function' || !isObject(n.type!) || extraReads[user.name]?.includes(n.name)) return -1;
    const at = user.args.findIndex((a: Arg) => isRef(a) && a.ref === n.name);
    if (at < 0 || user.args.some((a: Arg, j) => j !== at && isRef(a) && a.ref === n.name)) return -1;
    const cs = calleesOf(f, user);
    const ks = cs.map((c) => [...consumed.get(c.callee) ?? []].filter((k) => c.argOf(k) === at));
    if (!cs.length || ks.some((k) => k.length !== 1)) return -1;
    const derived = derivedFrom(f, n.name, held);
    return user.args.some((a: Arg, j) => j !== at && isRef(a) && derived.has(a.ref)) ? -1 : at;
  };
  const block = (nodes: IRNode[], inLoop: boolean, test: IRNode[] | undefined) => {
    const keepAlive = !!test;
    const taken = borrowLocals && !keepAlive ? fieldTakeovers(f, nodes, locals, types) : new Map<string, Takeover>();
    nodes.forEach((n, i) => {
      const t = taken.get(n.name);
      if (owned(n) && t) {
        out.borrowed.push(n.name);
        out.moves[keys.get(t.assign)!] = n.name;
        out.takeovers[keys.get(t.assign)!] = keys.get(t.write)!;
        if (t.rejoin) (out.countAfter[keys.get(t.rejoin)!] ??= []).push(t.assign.target);
      } else if (owned(n) && borrowable(n, i, nodes, test)) out.borrowed.push(n.name);
      else if (owned(n)) {
        out.temps.push(n.name);
        if (inLoop || keepAlive) out.clearBefore.push(n.name);
        if (!keepAlive) {
          let last = i;
          for (let j = i + 1; j < nodes.length; j++) if (reads(nodes[j], n.name)) last = j;
          const user = nodes[last];
          const key = keys.get(user)!;
          const direct = last > i && (user.op === 'assign' || user.op === 'output') && isRef(user.args[0]) && user.args[0].ref === n.name;
          const passed = last > i ? passedAt(user, n) : -1;
          if (direct || (last > i && storesOnly(user, n))) out.moves[key] = n.name;
          else if (passed >= 0) give(user, passed, n.name);
          else (out.releaseAfter[key] ??= []).push(n.name);
        }
      }
      for (const r of n.regions ?? []) {
        const loopBody = (n.op === 'for_range' || n.op === 'while') && r.name !== 'orelse';
        block(r.nodes, inLoop || loopBody, n.op === 'while' && r.name === 'test' ? r.nodes : undefined);
      }
    });
  };
  block(f.ir.nodes, false, undefined);
  return out;
  };
  // Borrowed locals: candidates (borrowedLocalCandidates) whose every assigned value turns out borrowed, to a fixed point.
  let locals = borrowLocals ? new Set([...borrowedLocalCandidates(f, params, assigned), ...heldLocals()]) : new Set<string>();
  for (;;) {
    const out = analyse(locals);
    const borrowed = new Set(out.borrowed);
    const kept = new Set([...locals].filter((v) => sourcesOf(f, v).every((a) => !isRef(a) || params.has(a.ref) || locals.has(a.ref) || borrowed.has(a.ref))));
    if (kept.size === locals.size) return out;
    // A local dropped may have been what another one's field reads were rooted in.
    locals = new Set([...borrowedLocalCandidates(f, params, assigned, kept), ...heldLocals(kept)]);
  }
}

/** Whether a node outside `region` (and its nested regions) reads the value `name`. */
function readOutside(f: TypedFunction, name: string, region: IRNode[]): boolean {
  const inside = new Set<IRNode>();
  walkNodes(region, (m) => inside.add(m));
  let found = false;
  walkNodes(f.ir.nodes, (m) => { if (!inside.has(m) && m.args.some((a: Arg) => isRef(a) && a.ref === name)) found = true; });
  return found;
}

/** The values assigned to local `v`. */
function sourcesOf(f: TypedFunction, v: string): Arg[] {
  const out: Arg[] = [];
  walkNodes(f.ir.nodes, (n) => { if (n.op === 'assign' && n.target === v) out.push(n.args[0]); });
  return out;
}

/**
 * `v = o.f` then, in the same block, `o.f = x` with only field reads, identity tests, narrowings, asserts and ops on
 * values that own nothing between (no call, no other field write, no assignment but of a number, no exit but an error
 * or an `if v is None:` branch that returns or raises), or the write first in a branch that ends in a return or a raise
 * (v counts its reference after that branch, `countAfter`): the field
 * still holds the value v read when it is written, so v takes the field's reference over instead of counting it
 * and the write dropping it. By the field read's name: its assign and the write.
 */
type Takeover = { assign: IRNode; write: IRNode; rejoin?: IRNode };
function fieldTakeovers(f: TypedFunction, nodes: IRNode[], borrowedLocals: ReadonlySet<string>, types: Map<string, KType>): Map<string, Takeover> {
  const out = new Map<string, Takeover>();
  const plain = (t: KType | undefined) => !t || (!ownsReferences(t) && !isFunctionType(t));
  const calls = (m: IRNode) => f.calls.has(m.name) || !!f.virtuals?.has(m.name) || f.dispatch.has(m.name) || f.valueCalls.has(m.name);
  const quiet = (m: IRNode) => !m.regions?.length && (m.op === 'assert' || m.op === 'constant'
    || (m.op === 'assign' && m.target in f.varTypes && plain(f.varTypes[m.target])) || (m.op === 'call_function' && !calls(m)
    && (m.target === 'kiln.getattr' || m.target === 'kiln.narrow' || m.target === '_operator.is_' || m.target === '_operator.is_not'
      || (m.target !== 'kiln.setattr' && plain(m.type) && m.args.every((a: Arg) => !isRef(a) || plain(types.get(a.ref)))))));
  const pointer = (t: KType | undefined) => !!t && (t.kind === 'instance' || (isNicheOptional(t) && t.kind === 'union' && t.members.some((m) => m.kind === 'instance')));
  const readers = (name: string) => {
    let k = 0;
    walkNodes(f.ir.nodes, (m) => { if (m.args.some((a: Arg) => isRef(a) && a.ref === name)) k++; });
    return k;
  };
  // `if v is None: ... return` (the branch ends in a return or a raise, no else): on that path v and the field hold None,
  // so v owes nothing there, whatever the branch runs; the other path goes on to the write.
  // `between`: the nodes after the assignment to v (the test must read v's new value).
  const noneExit = (m: IRNode, v: string, between: IRNode[]) => {
    const test = m.op === 'if' && isRef(m.args[0]) ? between.find((t) => t.name === (m.args[0] as { ref: string }).ref) : undefined;
    const [a, b] = test?.target === '_operator.is_' ? test.args : [];
    const isV = (x: Arg | undefined) => !!x && isRef(x) && x.ref === v;
    const isNone = (x: Arg | undefined) => !!x && !isRef(x) && x.const.kind === 'none';
    const then = m.regions?.find((r) => r.name === 'then')?.nodes ?? [];
    const exits = ['output', 'raise'].includes(then[then.length - 1]?.op);
    let rebinds = false; // an assignment to v there would give it a reference the error path's undo counts again
    walkNodes(then, (n) => { if (n.op === 'assign' && n.target === v) rebinds = true; });
    return ((isV(a) && isNone(b)) || (isNone(a) && isV(b))) && exits && !rebinds && (m.regions ?? []).every((r) => r.name === 'then' || !r.nodes.length);
  };
  nodes.forEach((read, j) => {
    const assign = nodes[j + 1];
    if (read.op !== 'call_function' || read.target !== 'kiln.getattr' || assign?.op !== 'assign') return;
    const [obj, attr] = read.args;
    const v = assign.target;
    if (!isRef(obj) || isRef(attr) || attr.const.kind !== 'str' || obj.ref === v || !isRef(assign.args[0]) || assign.args[0].ref !== read.name) return;
    if (!pointer(f.varTypes[v]) || borrowedLocals.has(v) || f.ir.params.some((p) => p.name === v) || readers(read.name) !== 1) return;
    const field = attr.const.value;
    const writes = (m: IRNode) => {
      const [o, a, value] = m.args;
      return m.op === 'call_function' && m.target === 'kiln.setattr' && isRef(o) && o.ref === obj.ref && !isRef(a) && a.const.kind === 'str'
        && a.const.value === field && !(isRef(value) && value.ref === read.name);
    };
    for (let k = j + 2; k < nodes.length; k++) {
      const m = nodes[k];
      if (writes(m)) { out.set(read.name, { assign, write: m }); return; }
      // The write first in a branch that ends in a return or a raise (`if n >= BUFSIZE: self.work = work.link; return
      // ...`): on the path that skips the branch, v counts its reference right after it (`rejoin`).
      const then = m.op === 'if' && (m.regions ?? []).every((r) => r.name === 'then' || !r.nodes.length) ? m.regions?.find((r) => r.name === 'then')?.nodes ?? [] : [];
      const at = then.findIndex(writes);
      if (at >= 0 && ['output', 'raise'].includes(then[then.length - 1].op) && then.slice(0, at).every(quiet)) {
        out.set(read.name, { assign, write: then[at], rejoin: m });
        return;
      }
      if (!quiet(m) && !noneExit(m, v, nodes.slice(j + 2, k))) return;
    }
  });
  return out;
}

/** Node ops a borrowed local's span may hold (their regions are checked node by node). */
const SPAN_OPS = new Set(['constant', 'if', 'while', 'for_range', 'break', 'continue', 'output', 'assert', 'assign']);

/**
 * Locals that may hold a borrowed reference for their whole life (`p = queue; while p.link is not None: p = p.link;
 * p.link = self`): an instance (or None) that is only ever assigned None, a parameter the function never assigns,
 * another such local, or a field read (a narrowing) of one of those or of itself. Each object such a local points to
 * is then held by the caller's argument through a chain of fields, and stays so while nothing writes a field or runs
 * code of the program: from the first assignment on, every op is a field read, an identity test, an op on values that
 * own nothing, or an assignment (dropping a local cannot free an object a field still holds); a field write only
 * where the local is dead after it (not in a loop, no later mention). No reference is taken, none dropped.
 */
function borrowedLocalCandidates(f: TypedFunction, params: ReadonlySet<string>, assigned: ReadonlySet<string>, among?: ReadonlySet<string>): Set<string> {
  const defs = new Map<string, IRNode>();
  walkNodes(f.ir.nodes, (n) => defs.set(n.name, n));
  const pointer = (t: KType | undefined) => !!t && (t.kind === 'instance' || (isNicheOptional(t) && t.kind === 'union' && t.members.some((m) => m.kind === 'instance')));
  const types = new FunctionTypes(f);
  const calls = (m: IRNode) => f.calls.has(m.name) || !!f.virtuals?.has(m.name) || f.dispatch.has(m.name) || f.valueCalls.has(m.name);
  const mentions = (nodes: IRNode[], v: string) => {
    let found = false;
    walkNodes(nodes, (m) => { if ((m.op === 'assign' && m.target === v) || m.args.some((a: Arg) => isRef(a) && a.ref === v)) found = true; });
    return found;
  };
  // Each node with the blocks that enclose it (innermost last) and its index in its own block.
  const places = new Map<IRNode, { chain: { nodes: IRNode[]; at: number; owner?: IRNode }[] }>();
  const visit = (nodes: IRNode[], chain: { nodes: IRNode[]; at: number; owner?: IRNode }[], owner?: IRNode) => nodes.forEach((n, i) => {
    const here = [...chain, { nodes, at: i, owner }];
    places.set(n, { chain: here });
    for (const r of n.regions ?? []) visit(r.nodes, here, n);
  });
  visit(f.ir.nodes, []);
  // v is not read or assigned after m, and no loop encloses m.
  const deadAfter = (m: IRNode, v: string) => places.get(m)!.chain.every((c) => !(c.owner && (c.owner.op === 'while' || c.owner.op === 'for_range')) && !mentions(c.nodes.slice(c.at + 1), v));
  const spanOk = (v: string, m: IRNode): boolean => {
    if (m.op !== 'call_function') return SPAN_OPS.has(m.op);
    if (m.target === 'kiln.setattr') return deadAfter(m, v);
    if (HARMLESS.has(m.target) || m.target === 'kiln.narrow') return true;
    if (calls(m) || m.target === 'kiln.make_closure' || m.target === 'kiln.new_instance') return false;
    // An op on values that own nothing (numbers, bools): a function value could run code, a container drop items.
    const plain = (t: KType) => !ownsReferences(t) && !isFunctionType(t);
    return plain(m.type ?? T.none) && m.args.every((a: Arg) => plain(types.of(a)));
  };
  let candidates = new Set(Object.keys(f.varTypes).filter((v) => !params.has(v) && pointer(f.varTypes[v]) && (!among || among.has(v))));
  // A value a candidate may be assigned: None, a parameter never assigned, a candidate, a field read or narrowing of those.
  const rooted = (a: Arg, c: ReadonlySet<string>): boolean => {
    if (!isRef(a)) return a.const.kind === 'none';
    if (params.has(a.ref)) return !assigned.has(a.ref);
    if (c.has(a.ref)) return true;
    const d = defs.get(a.ref);
    return d?.op === 'call_function' && (d.target === 'kiln.getattr' || d.target === 'kiln.narrow') && rooted(d.args[0], c);
  };
  for (let shrank = true; shrank;) {
    const before = candidates.size;
    const c = candidates;
    candidates = new Set([...c].filter((v) => sourcesOf(f, v).every((a) => rooted(a, c))));
    shrank = candidates.size < before;
  }
  return new Set([...candidates].filter((v) => {
    // Every node from the top-level statement of the first assignment on.
    const k = f.ir.nodes.findIndex((n) => mentions([n], v));
    let ok = k >= 0;
    walkNodes(f.ir.nodes.slice(k), (m) => { if (!spanOk(v, m)) ok = false; });
    return ok;
  }));
}

/**
 * Whether a value of a type may lead to a list, dict, set or other container that may hold objects (through fields,
 * items, closures): code given it could take a borrowed object out of such a container.
 */
export type ContainerReach = (t: KType | undefined) => boolean;

/**
 * The program's ContainerReach: an instance leads to what its class's fields and its subclasses' fields lead to.
 * Undefined (no list item is borrowed) when a cached function returns something that leads to a container: its
 * table could hand a callee a list no argument leads to.
 */
export function containerReach(program: TypedProgram): ContainerReach | undefined {
  const classes = program.classes ?? [];
  // The least fixed point over the classes: none leads to a container until one of its fields does.
  const leads = new Set<string>();
  const reach: ContainerReach = (t) => {
    if (!t) return true;
    switch (t.kind) {
      case 'scalar': case 'none': case 'str': case 'char': case 'bytes': case 'enum': case 'complex': case 'range': case 'slice': return false;
      case 'tuple': case 'record': return t.items.some(reach);
      case 'union': return t.members.some(reach);
      case 'instance': return leads.has(t.cls) || !classes.some((c) => c.qualified === t.cls);
      // A container of numbers holds no object (the borrowed items are objects) and leads nowhere.
      case 'list': case 'set': case 'deque': return ownsReferences(t.item);
      case 'dict': return ownsReferences(t.key) || ownsReferences(t.value);
      case 'array': return false;
      default: return true;
    }
  };
  for (let grew = true; grew;) {
    grew = false;
    for (const c of classes) {
      if (leads.has(c.qualified) || !(c.generatorFrame || c.fields.some((f) => reach(f.type)))) continue;
      // An instance of a base may be one of this class: the base leads where it does.
      for (let k: typeof c | undefined = c; k; k = k.base) leads.add(k.qualified);
      grew = true;
    }
  }
  return program.functions.some((f) => f.ir.cache && reach(f.returnType)) ? undefined : reach;
}

/** True when a function holds references anywhere (then it is emitted with a cleanup label). */
export function holdsReferences(l: Lifetimes): boolean {
  return l.ownedParams.length + l.consumedParams.length + l.ownedLocals.length + l.temps.length > 0;
}
