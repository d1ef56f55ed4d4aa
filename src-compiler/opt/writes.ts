/**
 * Which array and list parameters a compiled function writes into (a fact of the typed IR, for the exported
 * packages): NumPy raises `ValueError: assignment destination is read-only` when Python code writes into a
 * read-only array, so the exported Python package raises it too when a read-only array is passed for a
 * parameter the function writes (and passes read-only arrays for the other parameters without a copy); and
 * it refuses the same list object for two list parameters when one of them is written (each list parameter
 * is its own copy in compiled code, so the writes through one would not show through the other).
 *
 * A flow-insensitive may-alias analysis over the typed IR: a value aliases parameter p when it is p, a view
 * of it (`a[1:]`, `a[i]` of a 2-D array, `a.T`, a row of `for row in a`, `a.reshape(...)` and `np.asarray(a)`,
 * which are views or `a` itself when NumPy gives one), a tuple holding one, the array an
 * in-place operator returns, a local variable ever assigned one, or the result of a helper that returns a view
 * of the argument passed for p. A parameter is written when a value aliasing it is the target of
 * `x[...] = v`, `x op= v`, `x.fill(v)`, a list method that changes the list (append, insert, extend, pop, clear,
 * reverse, sort), or is passed to a helper that writes its parameter. A value also records what it holds apart from
 * what it may be (a module-level list put in a local list of lists, a field or a constructor's argument): what is
 * taken out of it may be that (flow-insensitive: any item), a write to the container itself is not one to it. Class
 * instances are followed as containers are (a field read out of one is its own). Two pseudo-parameters follow values that must
 * not be written: module state (below) and read-only views (np.broadcast_to's result, OpFacts.readOnly). Every other
 * array-valued op (arithmetic, `.copy()`, `.astype()`, `np.array`) gives a new
 * array in compiled code. A write on a path the call does not take still counts (the check happens before the call).
 * Which op writes or aliases which argument is the op's facts (`writes`, `aliases`) in the registry.
 *
 * Always on: it decides behaviour (the exported packages' read-only checks), not speed.
 */
import { UnionFind } from './unionFind.ts';
import { isRef, walkNodes, type Arg, type IRNode } from '../ir/ir.ts';
import type { TypedFunction, TypedProgram } from '../types/typecheck.ts';
import type { BoundArg, CallBinding } from '../types/calls.ts';
import { typeToString, type KType } from '../types/types.ts';
import { FunctionTypes } from './typed.ts';

/** The node args a bound argument reads (an environment field: the function value, arg 0). */
function argIndices(b: BoundArg): number[] {
  if ('env' in b) return [0];
  if ('arg' in b) return [b.arg];
  if ('fromDict' in b) return [b.fromDict];
  return ('tuple' in b ? b.tuple : b.kwargs).flatMap(argIndices);
}

/**
 * What a function does with its parameters: which it writes (through any alias) and which its result may be a view
 * of; and with module-level lists, dicts and sets (`TABLE = [1, 2, 3]`, module state that every call shares): the nodes that write
 * one (refused: pipeline.ts refusedWrites) and whether its result may be one.
 */
export interface ParamEffects {
  written: boolean[];
  returned: boolean[];
  /** Nodes (by name) that write a module-level list or array. */
  stateWrites?: string[];
  /** The result may be a module-level list. */
  stateReturned?: boolean;
  /** Parameters whose identity the function observes (`p is q`, `p == q` without __eq__, a dict or set key). */
  identity?: boolean[];
  /**
   * Nodes (by name) that observe the identity of a module-level class instance: built where it is read, it would not
   * be the same object twice (`REG is REG` would be False).
   */
  stateIdentity?: string[];
  /** Nodes (by name) that write a read-only view (np.broadcast_to's result). */
  readOnlyWrites?: string[];
  /** The result may be a read-only view. */
  readOnlyReturned?: boolean;
  /**
   * Parameters written other than through an array's elements (a store into, or a change of, a dict, list or record
   * they hold: `p["x"] = a`, `del p["x"]`, `blocks.append(b)`), with a node that does it: a dict of arrays parameter
   * takes writes into its arrays (the caller's own memory) but not these (pipeline.ts refusedWrites).
   */
  structureWrites?: (string | undefined)[];
}

/** Ops that compare instances by identity (object's defaults: typecheck gives a class with __eq__ its compiled method). */
const IDENTITY_OPS = new Set(['_operator.is_', '_operator.is_not', '_operator.eq', '_operator.ne', 'builtins.hash']);

/** A type that is, or may be, a class instance. */
const isInstance = (t: KType): boolean => t.kind === 'instance' || (t.kind === 'union' && t.members.some(isInstance));

/** A dict or set whose keys may be instances, or a container of such: its ops hash and compare the instances by identity. */
const keyedByInstance = (t: KType): boolean => ((t.kind === 'dict' && (isInstance(t.key) || keyedByInstance(t.value))) || (t.kind === 'set' && isInstance(t.item))
  || ((t.kind === 'list' || t.kind === 'deque') && keyedByInstance(t.item)) || (t.kind === 'tuple' && t.items.some(keyedByInstance)));

/** The pseudo-parameter of module state in the alias sets. */
const STATE = -1;
/** The pseudo-parameter of read-only views in the alias sets. */
const READ_ONLY = -2;
/** Nodes whose value is a module-level list, array, dict or set: a literal list kept as static data, or a module value traced in place. */
const isModuleState = (n: IRNode) => n.op === 'call_function' && !!n.module && byReference(n.type);

/**
 * Arrays, lists, dicts, sets, deques and class instances are passed by reference: a value of such a type may share
 * memory with a parameter (or be module state: `REG = Registry()`, whose fields a method may change).
 */
const byReference = (t: KType | undefined): boolean => !!t && (t.kind === 'array' || t.kind === 'list' || t.kind === 'dict' || t.kind === 'set' || t.kind === 'deque' || t.kind === 'instance' || (t.kind === 'tuple' && t.items.some(byReference))
  || (t.kind === 'iter' && holdsReferences(t.of)) || (t.kind === 'union' && t.members.some(byReference))
  || (t.kind === 'func' && t.env.some(byReference)) || (t.kind === 'funcset' && t.members.some(byReference)) || (t.kind === 'cell' && byReference(t.item)) || (t.kind === 'record' && t.items.some(byReference)));

/**
 * A container whose items are passed by reference (a dict of lists): what an op takes out of it may be its own item. A
 * class instance counts as one whatever its fields (`r.items`, `r.child`: its own list or instance).
 */
const holdsReferences = (t: KType | undefined): boolean => !!t && (t.kind === 'instance' || ((t.kind === 'list' || t.kind === 'set' || t.kind === 'deque') ? byReference(t.item)
  : t.kind === 'dict' ? byReference(t.value) : t.kind === 'tuple' ? t.items.some(byReference) : t.kind === 'iter' ? holdsReferences(t.of)
    : t.kind === 'union' && t.members.some(holdsReferences)));

function effectsOf(f: TypedFunction, summaries: Map<string, ParamEffects>): ParamEffects {
  const n = f.ir.params.length;
  const types = new FunctionTypes(f);
  const alias = new Map<string, Set<number>>();
  const written = new Set<number>();
  const returned = new Set<number>();
  const stateWrites = new Set<string>();
  const identity = new Set<number>();
  const stateIdentity = new Set<string>();
  const readOnlyWrites = new Set<string>();
  const structureSites = new Map<number, string>();
  // What a container (or instance) holds, apart from what it may be: `rows.append(TABLE)`, `[TABLE]`, `r.items = TABLE`,
  // `Holder(TABLE)` hold module state, and what is taken out of them may be it; a write to `rows` itself is not one to TABLE.
  const holds = new Map<string, Set<number>>();
  const of = (a: Arg | undefined): Set<number> => (a && isRef(a) ? alias.get(a.ref) ?? new Set() : new Set());
  const held = (a: Arg | undefined): Set<number> => (a && isRef(a) ? holds.get(a.ref) ?? new Set() : new Set());
  let changed = true;
  const addTo = (m: Map<string, Set<number>>, name: string, from: Iterable<number>) => {
    let s = m.get(name);
    if (!s) m.set(name, (s = new Set()));
    for (const i of from) if (!s.has(i)) { s.add(i); changed = true; }
  };
  const add = (name: string, from: Iterable<number>) => addTo(alias, name, from);
  /** `container` now holds the by-reference values among `values` (and what they hold). */
  const store = (container: Arg | undefined, values: Arg[]) => {
    if (!container || !isRef(container) || !holdsReferences(types.of(container))) return;
    for (const v of values) if (v !== container && byReference(types.of(v))) addTo(holds, container.ref, [...of(v), ...held(v)]);
  };
  const write = (from: Iterable<number>, node: IRNode, structure: boolean) => {
    for (const i of from) {
      const sites = i === STATE ? stateWrites : i === READ_ONLY ? readOnlyWrites : undefined;
      if (sites) { if (!sites.has(node.name)) { sites.add(node.name); changed = true; } continue; }
      if (!written.has(i)) { written.add(i); changed = true; }
      if (structure && !structureSites.has(i)) { structureSites.set(i, node.name); changed = true; }
    }
  };
  /** The node observes the identity of the instances in `from`. */
  const observe = (from: Iterable<number>, node: IRNode) => {
    for (const i of from) {
      if (i === STATE) { if (!stateIdentity.has(node.name)) { stateIdentity.add(node.name); changed = true; } }
      else if (i >= 0 && !identity.has(i)) { identity.add(i); changed = true; }
    }
  };
  f.ir.params.forEach((p, i) => { if (byReference(f.paramTypes[i])) add(p.name, [i]); });
  // `Reg(...)`: its __init__ fills the instance just made (kiln.new_instance), which changes nothing that exists yet;
  // a module-level `REG = Reg()` traced in place is built so at every read (what __init__ does to its other
  // arguments still counts).
  const fresh = new Set<string>();
  walkNodes(f.ir.nodes, (node: IRNode) => { if (node.op === 'call_function' && node.target === 'kiln.new_instance') fresh.add(node.name); });
  const initialises = (node: IRNode, k: number) => k === 0 && node.target.endsWith('.__init__') && isRef(node.args[0]) && fresh.has(node.args[0].ref);
  while (changed) {
    changed = false;
    walkNodes(f.ir.nodes, (node: IRNode) => {
      if (node.op === 'assign') { add(node.target, of(node.args[0])); addTo(holds, node.target, held(node.args[0])); }
      else if (isModuleState(node)) add(node.name, [STATE]);
      else if (node.op === 'output') {
        for (const i of of(node.args[0])) if (!returned.has(i)) { returned.add(i); changed = true; }
      } else if (node.op === 'call_function') {
        const callee = f.calls.get(node.name);
        // A call of a compiled function (directly, or through a funcset: any of its functions): each callee
        // parameter is the node args its binding takes it from (a closure's environment: the function value).
        const bound: CallBinding[] = callee
          ? [f.bindings.get(node.name) ?? { callee, args: node.args.map((_, k) => ({ arg: k })) }]
          : (f.dispatch.get(node.name)?.members.map((m) => m.binding) ?? []);
        if (bound.length) {
          for (const b of bound) {
            const s = summaries.get(b.callee);
            b.args.forEach((arg, k) => {
              const from = argIndices(arg).flatMap((i) => [...of(node.args[i])]);
              if (s?.written[k] && !initialises(node, k)) write(from, node, !!s.structureWrites?.[k]);
              // A helper that changes one argument may store the others in it (`self.xs = xs` in __init__).
              if (s?.written[k]) for (const i of argIndices(arg)) store(node.args[i], node.args);
              if (s?.identity?.[k]) observe(from, node);
              if (s?.returned[k] && byReference(node.type)) add(node.name, from);
            });
            if (s?.stateReturned && byReference(node.type)) add(node.name, [STATE]);
            if (s?.readOnlyReturned && byReference(node.type)) add(node.name, [READ_ONLY]);
          }
        } else if (node.target === 'kiln.make_closure') {
          // A closure holds its captured lists and arrays: writes through it reach them.
          for (const a of node.args) add(node.name, of(a));
        } else {
          const facts = f.resolved.get(node.name)?.facts;
          // `a is b` (not `a is None`), `a == b` of instances without __eq__, hash(a), a dict or set keyed by instances.
          const argTypes = node.args.map((a) => types.of(a));
          const compares = IDENTITY_OPS.has(node.target) && !argTypes.some((t) => t.kind === 'none');
          const keyed = (node.type && keyedByInstance(node.type)) || argTypes.some(keyedByInstance);
          if (compares || keyed) node.args.forEach((a, k) => { if (isInstance(argTypes[k])) observe(of(a), node); });
          // Advancing a loop over a container (its state is written) does not change the container.
          for (const k of facts?.writes ?? []) {
            const t = types.of(node.args[k]);
            if (t.kind !== 'iter') write(of(node.args[k]), node, t.kind !== 'array');
          }
          const aliased = facts?.aliases === 'all' ? node.args : (facts?.aliases ?? []).map((k) => node.args[k]);
          // (`xs[0]` of a list of lists is one of the lists it holds, a view holds what its base holds.)
          if (byReference(node.type)) for (const a of aliased) { add(node.name, [...of(a), ...held(a)]); addTo(holds, node.name, held(a)); }
          // A new container of the arguments (`[TABLE]`, `{"a": TABLE}`) holds them; a store into one (`xs.append(TABLE)`,
          // `d[k] = TABLE`, `r.items = TABLE`) makes it hold them.
          if (node.target.startsWith('kiln.make_') && byReference(node.type)) store({ ref: node.name }, node.args);
          if (facts?.writes?.includes(0)) store(node.args[0], node.args.slice(1));
          // An item taken out of a container of references is the container's own (d["a"], d.get(k), the values of
          // `for k, v in d.items()`, a shallow copy's items): writes through it reach the container.
          if (byReference(node.type) && !facts?.aliases) for (const a of node.args) if (holdsReferences(types.of(a))) add(node.name, [...of(a), ...held(a)]);
          if (facts?.readOnly && byReference(node.type)) add(node.name, [READ_ONLY]);
        }
      }
    });
  }
  return {
    written: Array.from({ length: n }, (_, i) => written.has(i)), returned: Array.from({ length: n }, (_, i) => returned.has(i)),
    ...(stateWrites.size ? { stateWrites: [...stateWrites] } : {}), ...(returned.has(STATE) ? { stateReturned: true } : {}),
    ...(identity.size ? { identity: Array.from({ length: n }, (_, i) => identity.has(i)) } : {}),
    ...(stateIdentity.size ? { stateIdentity: [...stateIdentity] } : {}),
    ...(readOnlyWrites.size ? { readOnlyWrites: [...readOnlyWrites] } : {}), ...(returned.has(READ_ONLY) ? { readOnlyReturned: true } : {}),
    ...(structureSites.size ? { structureWrites: Array.from({ length: n }, (_, i) => structureSites.get(i)) } : {}),
  };
}

/** Each function's (specialisation key ->) parameter effects, to a fixed point over calls (recursion too). */
export function writes(program: TypedProgram): Record<string, ParamEffects> {
  const fns = new Map<string, TypedFunction>();
  for (const f of [...program.functions, ...program.entries]) fns.set(f.key, f);
  const summaries = new Map<string, ParamEffects>();
  for (let round = 0, changed = true; changed && round < 100; round++) {
    changed = false;
    for (const f of fns.values()) {
      const next = effectsOf(f, summaries);
      const prev = summaries.get(f.key);
      const same = prev && prev.written.join() === next.written.join() && prev.returned.join() === next.returned.join()
        && (prev.structureWrites ?? []).join() === (next.structureWrites ?? []).join()
        && !!prev.stateReturned === !!next.stateReturned && (prev.stateWrites ?? []).join() === (next.stateWrites ?? []).join()
        && (prev.identity ?? []).join() === (next.identity ?? []).join() && (prev.stateIdentity ?? []).join() === (next.stateIdentity ?? []).join()
        && !!prev.readOnlyReturned === !!next.readOnlyReturned && (prev.readOnlyWrites ?? []).join() === (next.readOnlyWrites ?? []).join();
      if (!same) {
        summaries.set(f.key, next);
        changed = true;
      }
    }
  }
  return Object.fromEntries(summaries);
}

// ---- lengths of iterated lists ----------------------------------------------------------------------

/** Ops that write a list without changing its length (an item store `xs[i] = v` neither; a slice store may). */
const KEEPS_LENGTH = new Set(['method.reverse', 'method.sort', 'random.shuffle']);

/** A list or deque (or a union holding one): a value whose length a loop reads. */
const sized = (t: KType | undefined): boolean => !!t && (t.kind === 'list' || t.kind === 'deque' || (t.kind === 'union' && t.members.some(sized)));

/** What a function may change the length of: its list parameters (by index) and the lists held in fields (by field name). */
interface LengthEffects {
  resized: boolean[];
  fields: string[];
  /** Lists held by containers whose length it may change (`d["a"].append(x)` with d a parameter), by itemKey. */
  items: string[];
  /** The field and item keys each parameter may be stored in or read from (`self.items = xs`, `d["a"] = xs`). */
  paramKeys: string[][];
}

/**
 * ListFlow's keys: node names, `param:<name>`, `field:<name>` (a list in a field of that name, whatever the
 * instance), `item:<type>` (a list of that type held by a container, whichever).
 */
const fieldKey = (name: string) => `field:${name}`;
/** The lists of a type held by containers (whichever container). */
const itemKey = (t: KType) => `item:${typeToString(t)}`;
/** A container whose items may be lists (a dict of lists, a list of lists, a tuple holding one). */
const holdsLists = (t: KType | undefined): boolean => !!t && (((t.kind === 'list' || t.kind === 'set' || t.kind === 'deque') && (sized(t.item) || holdsLists(t.item)))
  || (t.kind === 'dict' && (sized(t.value) || holdsLists(t.value))) || (t.kind === 'tuple' && t.items.some((i) => sized(i) || holdsLists(i)))
  || (t.kind === 'union' && t.members.some(holdsLists)));
const isLoop = (n: IRNode) => n.op === 'for_range' || n.op === 'while';

/**
 * Which lists of `f` may be the same object, and where their lengths may change. Values (node results, parameters,
 * fields of one name) are joined into classes: an op's result and an argument of its type it aliases, a compiled
 * function's result and the arguments it may return, a closure and the lists it captures, a field and the lists read
 * from or stored into it, the lists of a type taken out of or put into containers. A variable is the classes of what
 * is assigned to it; where a loop starts or a change is made, only the assignments that may reach it count (one made
 * later reaches only through an enclosing loop).
 */
class ListFlow {
  readonly same = new UnionFind<string>();
  /** Nodes in program order, with the loops and regions around each. */
  readonly pos = new Map<IRNode, number>();
  readonly around = new Map<IRNode, { owner: IRNode; region: number }[]>();
  readonly defs = new Map<string, IRNode[]>();
  readonly params: Set<string>;
  /** Variable -> the keys (node names, `param:<name>`) it may hold, whichever assignment. */
  private readonly held = new Map<string, Set<string>>();
  /** Node name -> its call_function node. */
  readonly calls = new Map<string, IRNode>();
  readonly types: FunctionTypes;
  /** Each node that may change a list's length: the args (variables or nodes) and the keys (fields, items) it changes. */
  readonly changes = new Map<IRNode, { args: Arg[]; keys: string[] }>();
  /** The itemKeys of the containers the function reads or fills. */
  readonly items = new Set<string>();

  constructor(private readonly f: TypedFunction, effects: Record<string, ParamEffects>, summaries: Map<string, LengthEffects>) {
    this.types = new FunctionTypes(f);
    this.params = new Set(f.ir.params.map((p) => p.name));
    const order = (nodes: IRNode[], chain: { owner: IRNode; region: number }[]) => {
      for (const n of nodes) {
        this.pos.set(n, this.pos.size);
        this.around.set(n, chain);
        if (n.op === 'assign') this.defs.set(n.target, [...(this.defs.get(n.target) ?? []), n]);
        if (n.op === 'call_function') this.calls.set(n.name, n);
        n.regions?.forEach((r, k) => order(r.nodes, [...chain, { owner: n, region: k }]));
      }
    };
    order(f.ir.nodes, []);
    // What each variable may hold: the node results and parameters assigned to it, through other variables.
    for (const v of [...this.params, ...this.defs.keys()]) this.held.set(v, new Set(this.params.has(v) ? [`param:${v}`] : []));
    for (let again = true; again;) {
      again = false;
      for (const [v, defs] of this.defs) {
        const into = this.held.get(v)!;
        for (const d of defs) {
          const r = d.args[0];
          if (!isRef(r)) continue;
          for (const k of this.isVariable(r.ref) ? this.held.get(r.ref)! : [r.ref]) if (!into.has(k)) { into.add(k); again = true; }
        }
      }
    }
    const types = this.types;
    const fieldOf = (n: IRNode) => { const a = n.args[1]; return a && !isRef(a) && a.const.kind === 'str' ? a.const.value : undefined; };
    const join = (key: string, a: Arg | undefined) => { let c = false; for (const k of this.classes(a)) c = this.union(key, k) || c; return c; };
    for (let again = true; again;) {
      again = false;
      walkNodes(f.ir.nodes, (node) => {
        if (node.op !== 'call_function') return;
        const field = fieldOf(node);
        if (node.target === 'kiln.getattr' && field && sized(node.type)) again = this.same.union(node.name, fieldKey(field)) || again;
        else if (node.target === 'kiln.setattr' && field && sized(types.of(node.args[2]))) again = join(fieldKey(field), node.args[2]) || again;
        else if (node.target === 'kiln.make_closure') for (const a of node.args) { if (sized(types.of(a))) again = join(node.name, a) || again; }
        for (const b of this.bound(node)) {
          const s = summaries.get(b.callee);
          b.args.forEach((arg, k) => {
            for (const i of argIndices(arg)) {
              if (effects[b.callee]?.returned[k] && sized(node.type)) again = join(node.name, node.args[i]) || again;
              for (const key of s?.paramKeys[k] ?? []) again = join(key, node.args[i]) || again;
            }
          });
        }
        if (!f.calls.has(node.name) && sized(node.type)) {
          const facts = f.resolved.get(node.name)?.facts;
          const aliased = facts?.aliases === 'all' ? node.args : (facts?.aliases ?? []).map((k) => node.args[k]);
          for (const a of aliased) if (typeToString(types.of(a)) === typeToString(node.type!)) again = join(node.name, a) || again;
          // A list taken out of a container of lists (d["k"], grid[0], a loop's row): any list of its type put in one.
          if (node.target !== 'kiln.getattr' && node.args.some((a) => holdsLists(types.of(a)))) again = this.union(node.name, itemKey(node.type!)) || again;
        }
        // A list put into a container (`[xs]`, `rows.append(xs)`, `d[k] = xs`, a tuple holding it).
        if (!f.calls.has(node.name) && node.target !== 'kiln.setattr' && (holdsLists(node.type) || holdsLists(types.of(node.args[0] ?? { const: { kind: 'none' } })))) {
          for (const a of node.args) if (sized(types.of(a)) && !holdsLists(types.of(a))) again = join(itemKey(types.of(a)), a) || again;
        }
      });
    }
    walkNodes(f.ir.nodes, (node) => {
      if (node.op !== 'call_function') return;
      const args: Arg[] = [];
      const keys: string[] = [];
      const calls = this.bound(node);
      for (const b of calls) {
        const s = summaries.get(b.callee);
        // (a closure's environment: the function value, which holds the lists it captures)
        b.args.forEach((arg, k) => { if (s?.resized[k]) for (const i of argIndices(arg)) if (isRef(node.args[i])) args.push(node.args[i]); });
        keys.push(...(s?.fields ?? []).map(fieldKey), ...(s?.items ?? []));
        for (const key of s?.items ?? []) this.items.add(key);
      }
      if (!calls.length) {
        const facts = f.resolved.get(node.name)?.facts;
        // `xs[i] = v` keeps the length; `xs[a:b] = ys` may change it.
        if (node.target === '_operator.setitem') { if (node.args.slice(1, -1).some((a) => types.of(a).kind === 'slice')) args.push(node.args[0]); }
        else if (!KEEPS_LENGTH.has(node.target)) args.push(...(facts?.writes ?? []).map((k) => node.args[k]).filter((a) => isRef(a) && sized(types.of(a))));
      }
      if (args.length || keys.length) this.changes.set(node, { args, keys });
    });
  }

  /** union-find's union, noting the itemKeys. */
  private union(a: string, b: string): boolean {
    for (const k of [a, b]) if (k.startsWith('item:')) this.items.add(k);
    return this.same.union(a, b);
  }

  private bound(node: IRNode): CallBinding[] {
    const callee = this.f.calls.get(node.name);
    if (!callee) return this.f.dispatch.get(node.name)?.members.map((m) => m.binding) ?? [];
    return [this.f.bindings.get(node.name) ?? { callee, args: node.args.map((_, k) => ({ arg: k })) }];
  }

  /** Whether the assignment `def` may reach `at` (before it, or both in a loop that repeats them). */
  reaches(def: IRNode, at: IRNode): boolean {
    if (this.pos.get(def)! < this.pos.get(at)!) return true;
    const loops = new Set(this.around.get(def)!.map((c) => c.owner).filter(isLoop));
    return this.around.get(at)!.some((c) => loops.has(c.owner));
  }

  private isVariable(ref: string): boolean {
    return this.defs.has(ref) || this.params.has(ref);
  }

  /** The classes `a` may be (at node `at`: by the assignments that may reach it), as union-find roots. */
  classes(a: Arg | undefined, at?: IRNode): Set<string> {
    if (!a || !isRef(a)) return new Set();
    if (!this.isVariable(a.ref)) return new Set([this.same.find(a.ref)]);
    if (!at) return new Set([...this.held.get(a.ref)!].map((k) => this.same.find(k)));
    const out = new Set<string>();
    if (this.params.has(a.ref)) out.add(this.same.find(`param:${a.ref}`));
    for (const d of this.defs.get(a.ref) ?? []) {
      if (!this.reaches(d, at)) continue;
      const v = d.args[0];
      if (isRef(v)) for (const k of this.isVariable(v.ref) ? this.held.get(v.ref)! : [v.ref]) out.add(this.same.find(k));
    }
    return out;
  }

  /**
   * A variable assigned once, a new list (`nxt = []`), before `loop` in the same pass of the loops around both, where
   * nothing between that assignment and the loop reads it: it cannot be the list the loop iterates (a list the variable
   * held in an earlier pass may be: `level = nxt` after the loop).
   */
  newBefore(a: Arg, loop: IRNode): boolean {
    if (!isRef(a) || this.params.has(a.ref)) return false;
    const defs = this.defs.get(a.ref);
    if (defs?.length !== 1) return false;
    const [d] = defs;
    const made = isRef(d.args[0]) ? d.args[0].ref : undefined;
    const node = made ? this.calls.get(made) : undefined;
    if (!node || !(node.target === 'kiln.make_list' || this.f.resolved.get(node.name)?.facts?.newList)) return false;
    const from = this.pos.get(d)!;
    const to = this.pos.get(loop)!;
    const chain = this.around.get(d)!;
    const loopChain = this.around.get(loop)!;
    // d is in a region around the loop (so it runs before the loop in each pass), and no loop is between them.
    if (from > to || chain.some((c, k) => loopChain[k]?.owner !== c.owner || loopChain[k]?.region !== c.region)) return false;
    if (loopChain.slice(chain.length).some((c) => isLoop(c.owner))) return false;
    for (const [n, p] of this.pos) if (p > from && p < to && n.args.some((x) => isRef(x) && (x.ref === a.ref || x.ref === made))) return false;
    return true;
  }

  effects(): LengthEffects {
    const changed = new Set<string>();
    for (const { args, keys } of this.changes.values()) {
      for (const a of args) for (const c of this.classes(a)) changed.add(c);
      for (const k of keys) changed.add(this.same.find(k));
    }
    const fields = new Set<string>();
    const keysOf = new Map<string, Set<string>>();
    walkNodes(this.f.ir.nodes, (n) => {
      const a = n.args[1];
      if (n.op !== 'call_function' || (n.target !== 'kiln.getattr' && n.target !== 'kiln.setattr') || !a || isRef(a) || a.const.kind !== 'str') return;
      const root = this.same.find(fieldKey(a.const.value));
      if (changed.has(root)) fields.add(a.const.value);
      keysOf.set(root, new Set([...(keysOf.get(root) ?? []), fieldKey(a.const.value)]));
    });
    for (const k of this.items) keysOf.set(this.same.find(k), new Set([...(keysOf.get(this.same.find(k)) ?? []), k]));
    const paramClass = (p: string) => this.same.find(`param:${p}`);
    return {
      resized: this.f.ir.params.map((p) => changed.has(paramClass(p.name))),
      fields: [...fields].sort(),
      items: [...this.items].filter((k) => changed.has(this.same.find(k))).sort(),
      paramKeys: this.f.ir.params.map((p) => [...keysOf.get(paramClass(p.name)) ?? []].sort()),
    };
  }
}

/** A loop whose body may change the length of a list or deque it iterates (lengthChanges). */
export interface LengthChange {
  f: TypedFunction;
  loop: IRNode;
  /** A node of its body that may change it. */
  change: IRNode;
  /** The list as a message names it: `'xs'`, or `the list` (a local of the tracer's own). */
  shown: string;
  /** It may be a deque: CPython raises RuntimeError (deque mutated during iteration) at the loop's next step. */
  deque: boolean;
}

/** A deque, or a union that may hold one. */
const mayBeDeque = (t: KType): boolean => t.kind === 'deque' || (t.kind === 'union' && t.members.some(mayBeDeque));

/**
 * Loops over lists or deques (their items read by kiln.iter_item) whose body may change the length of one, directly,
 * through an alias, a field, a method or a helper (`del xs[0]`, `ys = xs; ys.append(v)`, `grow(xs)`), with each node
 * that may: CPython's list iterator reads the length at every step (appended items are iterated, removed ones end the
 * loop early), its deque iterator raises RuntimeError. A loop that read the length once (IRNode.lengthOnce) is traced
 * again reading it at every step (pipeline.ts typeProgram); one over a deque is refused (pipeline.ts refusedWrites).
 * Conservative: any list that may be the same (ListFlow) counts.
 */
export function lengthChanges(program: TypedProgram, effects: Record<string, ParamEffects>): LengthChange[] {
  const fns = new Map<string, TypedFunction>();
  for (const f of [...program.functions, ...program.entries]) fns.set(f.key, f);
  const callees = (f: TypedFunction) => new Set([...f.calls.values(), ...[...f.dispatch.values()].flatMap((d) => d.members.map((m) => m.binding.callee))]);
  // Callees first, then each function again only while a callee's summary changed after it was computed (recursion).
  const order: TypedFunction[] = [];
  const placed = new Set<string>();
  const place = (f: TypedFunction) => {
    if (placed.has(f.key)) return;
    placed.add(f.key);
    for (const c of callees(f)) if (fns.has(c)) place(fns.get(c)!);
    order.push(f);
  };
  for (const f of fns.values()) place(f);
  const summaries = new Map<string, LengthEffects>();
  const flows = new Map<string, ListFlow>();
  const computed = new Map<string, number>();
  const changed = new Map<string, number>();
  let clock = 0;
  for (let round = 0, again = true; again && round < 100; round++) {
    again = false;
    for (const f of order) {
      if (computed.has(f.key) && ![...callees(f)].some((c) => (changed.get(c) ?? -1) >= computed.get(f.key)!)) continue;
      const flow = new ListFlow(f, effects, summaries);
      const next = flow.effects();
      flows.set(f.key, flow);
      computed.set(f.key, ++clock);
      if (JSON.stringify(next) !== JSON.stringify(summaries.get(f.key))) {
        summaries.set(f.key, next);
        changed.set(f.key, clock);
        again = true;
      }
    }
  }
  const out: LengthChange[] = [];
  for (const f of program.functions) {
    const flow = flows.get(f.key)!;
    if (!flow.changes.size) continue;
    walkNodes(f.ir.nodes, (loop) => {
      if (!isLoop(loop)) return;
      // The lists and deques whose items the loop reads (not those of a loop inside it), by class.
      const iterated = new Map<string, Arg>();
      const reads = (nodes: IRNode[]) => {
        for (const n of nodes) {
          if (n.op === 'call_function' && n.target === 'kiln.iter_item' && sized(flow.types.of(n.args[0]))) {
            for (const c of flow.classes(n.args[0], loop)) iterated.set(c, n.args[0]);
          }
          if (!isLoop(n)) n.regions?.forEach((r) => reads(r.nodes));
        }
      };
      // (a while loop's test too: zip() over a generator object resumes it there)
      const body = loop.op === 'while' ? [...loop.regions![0].nodes, ...loop.regions![1].nodes] : loop.regions![0].nodes;
      reads(body);
      const deque = (a: Arg) => mayBeDeque(flow.types.of(a));
      // A loop that reads the lengths at every step differs from CPython's only for a deque.
      if (!loop.lengthOnce) for (const [c, a] of iterated) if (!deque(a)) iterated.delete(c);
      if (!iterated.size) return;
      walkNodes(body, (n) => {
        const change = flow.changes.get(n);
        if (!change) return;
        const hits = (a: Arg) => [...flow.classes(a, n)].find((r) => iterated.has(r));
        const hit = [...change.args.flatMap((a) => { const r = hits(a); return r !== undefined && !flow.newBefore(a, loop) ? [r] : []; }),
          ...change.keys.map((k) => flow.same.find(k))].find((r) => iterated.has(r));
        if (hit === undefined) return;
        // (a local of the tracer's own, `iter_result`, or of an inlined generator, `zip_longest__2_seq1`, is not named)
        const base = iterated.get(hit)!;
        const local = isRef(base) ? base.ref : '';
        const name = f.ir.renamed?.[local] ?? f.ir.pythonNames?.[local] ?? local;
        const shown = /^[A-Za-z_]\w*$/.test(name) && !/_result(_\d+)?$|__/.test(name) ? `'${name}'` : `the ${deque(base) ? 'deque' : 'list'}`;
        out.push({ f, loop, change: n, shown, deque: deque(base) });
      });
    });
  }
  return out;
}
