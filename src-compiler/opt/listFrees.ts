/**
 * Lists a function owns alone, freed where they die instead of when the exported call returns. Lists still live in the
 * per-call heap (docs/design/object-model.md "Arrays and lists today"): without this, a recursive function that makes
 * lists (`perms(xs[:i] + xs[i + 1:])`, `[xs[i]] + p` appended to its result) keeps every one until the outermost call
 * returns. A list that nothing but one value of the function can refer to is freed (`kr_list_free`, kiln_arrays.h) by
 * the machinery of owned references (opt/lifetimes.ts): after its last use, before its variable is assigned again,
 * and on every exit. Always on: it decides memory, and is sound only as a whole.
 *
 * Which lists (the proof is by construction, no counts):
 * - made by an op that makes a new list (OpFacts.newList: a literal or comprehension, a slice, `a + b`, `a * n`, list(), sorted()) or by
 *   a compiled function whose result is such a list (its `fresh` summary): no other reference exists when it is made;
 * - every use of it keeps no reference (an op whose OpFacts.keepsNoList says so: len, indexing, iteration,
 *   concatenation, comparison, appending to it ...; a compiled function whose parameter keeps nothing, its `keeps`
 *   summary), except that its one use may
 *   move it: into a variable whose every assignment is such a move and whose every use keeps nothing, or out as the
 *   function's result; a variable's last use may move it into a field or a dict that owns its lists (opt/listFields.ts,
 *   opt/dictLists.ts), and a list taken out of such a dict (`d.pop(k)`) is a new one;
 * - depth 1 (a list of lists whose item lists are freed with it): each item was put in as a new list used nowhere
 *   else (`out.append([x] + p)`, `[xs[:]]`), and items are only read by a `for p in xs` loop whose variable keeps
 *   nothing and is read inside that loop only (while the list is alive).
 * In a function with try statements, an error leaves a list in its slot, freed by its next definition or the
 * function's exit as any owned value (opt/lifetimes.ts); a `return` inside a try with a finally clause moves nothing
 * out (the clause runs after it and may still use the list: `finally: xs.append(...)`). Memoised functions (whose
 * result the table keeps) are left alone.
 */
import { fieldName, isRef, walkNodes, type Arg, type IRNode } from '../ir/ir.ts';
import type { TypedFunction, TypedProgram } from '../types/typecheck.ts';
import type { KType } from '../types/types.ts';
import { containerName } from '../types/ops/index.ts';
import { factsOf } from './typed.ts';

/** What a compiled function does with lists: which list parameters it may keep, and whether its result is a new list. */
export interface ListSummary {
  /** Per parameter: true when the function may keep a reference to it (or, for a list of lists, to one of its items). */
  keeps: boolean[];
  /** Its result is a new list no one else refers to, its item lists too (1) or not (0); undefined: not known to be. */
  fresh?: number;
}

/** List values the function owns alone, by node or local name, to the depth they are freed at (kr_list_free). */
export type ListFrees = Record<string, number>;

const isList = (t: KType | undefined): t is KType & { kind: 'list' } => t?.kind === 'list';
/** The deepest kr_list_free of a value of this type: 1 for a list of lists. */
const maxDepth = (t: KType & { kind: 'list' }): number => (t.item.kind === 'list' ? 1 : 0);

/** A value that may be an instance of a class of the program (its dunders are compiled code). */
const holdsInstance = (t: KType | undefined): boolean => !!t && (t.kind === 'instance' || (t.kind === 'union' && t.members.some(holdsInstance)));

/** The instantiation (containerName) of a dict, or of the dict a loop state iterates. */
export function holderOf(t: KType | undefined): string | undefined {
  if (t?.kind === 'iter') return holderOf(t.of);
  return t?.kind === 'dict' ? containerName(t) : undefined;
}

/** The instantiation of a dict with list values (or of the one a loop state iterates): what may own its lists. */
export function dictOf(t: KType | undefined): string | undefined {
  const d = t?.kind === 'iter' ? t.of : t;
  return d?.kind === 'dict' && d.value.kind === 'list' && d.value.item.kind !== 'none' ? holderOf(d) : undefined;
}

export interface Use { node: IRNode; arg: number; block: IRNode[]; at: number }

/** Every node's uses of each value, with the block (node list) and position of the node that uses it. */
export function usesOf(nodes: IRNode[]): { uses: Map<string, Use[]>; defs: Map<string, Use>; assigns: Map<string, Use[]> } {
  const uses = new Map<string, Use[]>();
  const defs = new Map<string, Use>();
  const assigns = new Map<string, Use[]>();
  const visit = (block: IRNode[]) => block.forEach((n, at) => {
    const here = { node: n, arg: -1, block, at };
    if (n.op === 'call_function') defs.set(n.name, here);
    if (n.op === 'assign') assigns.set(n.target, [...(assigns.get(n.target) ?? []), here]);
    const seen = (a: Arg, arg: number) => { if (isRef(a)) uses.set(a.ref, [...(uses.get(a.ref) ?? []), { node: n, arg, block, at }]); };
    n.args.forEach(seen);
    for (const r of n.regions ?? []) visit(r.nodes);
  });
  visit(nodes);
  return { uses, defs, assigns };
}

/** The `return`s (output nodes) that a finally clause runs after: inside the body, a handler or the else of a try with one. */
function outputsBeforeFinally(nodes: IRNode[]): Set<IRNode> {
  const out = new Set<IRNode>();
  walkNodes(nodes, (n) => {
    if (n.op !== 'try' || !n.regions?.some((r) => r.name === 'finally' && r.nodes.length)) return;
    for (const r of n.regions) if (r.name !== 'finally') walkNodes(r.nodes, (m) => { if (m.op === 'output') out.add(m); });
  });
  return out;
}

/** The function a node calls directly (a compiled function bound to its arguments as they are), and its parameter for node arg `k`. */
function calledParam(f: TypedFunction, n: IRNode, k: number): { callee: string; param: number } | undefined {
  const callee = f.calls.get(n.name);
  const b = f.bindings.get(n.name);
  if (!callee || !b || f.dispatch.has(n.name) || f.virtuals?.has(n.name)) return undefined;
  // Only a call whose C arguments are its own arguments, one each (no environment, *args tuple or **kwargs struct).
  if (b.args.some((x) => !('arg' in x) || x.item !== undefined)) return undefined;
  const param = b.args.findIndex((x) => 'arg' in x && x.arg === k && x.item === undefined);
  return param < 0 ? undefined : { callee, param };
}

export class FunctionLists {
  private readonly uses: Map<string, Use[]>;
  private readonly defs: Map<string, Use>;
  private readonly assigns: Map<string, Use[]>;
  private readonly params: Set<string>;
  private readonly beforeFinally: Set<IRNode>;

  /**
   * `fields`, `dicts`: the fields and the dict instantiations that own their lists (opt/listFields.ts, opt/dictLists.ts):
   * a variable's last use may move its list into one.
   */
  constructor(
    private readonly f: TypedFunction, private readonly summaries: Map<string, ListSummary>, private readonly extraReads: ReadonlySet<string>,
    private readonly fields: ReadonlySet<string> = new Set(), private readonly dicts: ReadonlySet<string> = new Set(),
  ) {
    ({ uses: this.uses, defs: this.defs, assigns: this.assigns } = usesOf(f.ir.nodes));
    this.params = new Set(f.ir.params.map((p) => p.name));
    this.beforeFinally = outputsBeforeFinally(f.ir.nodes);
  }

  private typeOf(v: string): KType | undefined {
    return this.f.varTypes[v] ?? this.defs.get(v)?.node.type;
  }

  /** A use of a list that keeps no reference to it. `deep`: nor to its items (a list of lists). */
  keepsNothing(u: Use, deep: boolean): boolean {
    const n = u.node;
    if (n.op !== 'call_function') return false;
    const called = calledParam(this.f, n, u.arg);
    if (called) return this.summaries.get(called.callee)?.keeps[called.param] === false;
    if (this.f.calls.has(n.name) || this.f.dispatch.has(n.name) || this.f.valueCalls.has(n.name)) return false;
    // What the op keeps of its list arguments is a fact of the op registry (OpFacts.keepsNoList).
    const keeps = factsOf(this.f, n).keepsNoList;
    if (deep) return keeps === 'deep' || this.loopItem(u);
    // An instance among the arguments may run its own dunder (`obj == xs`, `xs in obj`, `obj + xs`), which can keep xs
    // (a list method's receiver is the list itself: an instance it holds or is given only ever sees its items).
    if (keeps === 'all' || keeps === 'deep') return !n.args.some((a) => isRef(a) && holdsInstance(this.typeOf(a.ref)));
    return u.arg === 0 && keeps === 'receiver';
  }

  /**
   * `for p in xs` over a list of lists: the item read (kiln.iter_item) goes straight into a variable whose every read
   * keeps nothing and happens after it inside the loop body, while nothing assigns xs there: the item lives as long as
   * the list.
   */
  loopItem(u: Use): boolean {
    const n = u.node;
    if (!factsOf(this.f, n).loopItem || u.arg !== 0) return false;
    const after = this.uses.get(n.name) ?? [];
    const store = after[0]?.node;
    if (after.length !== 1 || store.op !== 'assign' || after[0].block !== u.block) return false;
    const inBody = new Set<IRNode>();
    walkNodes(u.block.slice(u.at + 1), (m) => inBody.add(m));
    const list = n.args[0];
    if (isRef(list) && (this.assigns.get(list.ref) ?? []).some((a) => inBody.has(a.node) || a.block === u.block)) return false;
    return (this.uses.get(store.target) ?? []).every((r) => inBody.has(r.node) && this.keepsNothing(r, false));
  }

  /** The depth a new list made by node `n` is owned to, if it is one (undefined: not a new list). */
  made(n: IRNode): number | undefined {
    if (n.op !== 'call_function' || !isList(n.type) || n.module) return undefined;
    const callee = this.f.calls.get(n.name);
    if (callee) return this.f.dispatch.has(n.name) || this.f.virtuals?.has(n.name) ? undefined : this.summaries.get(callee)?.fresh;
    // Which ops make new lists is a fact of the op registry (OpFacts.newList).
    const facts = factsOf(this.f, n);
    const made = facts.newList;
    // A list taken out of a dict that owns its lists (`d.pop(k)`), or its default when that is a new list put in there.
    if (facts.dictValues === 'take' && this.ownedDict(n.args[0])) return n.args.length < 3 || (isRef(n.args[2]) && this.movedIn(n.args[2].ref)) ? 0 : undefined;
    // A literal owns its item lists when each was a new list moved in (an empty one owns all of its items: none;
    // what is appended later decides).
    if (made === 'items') return n.args.every((a) => isRef(a) && this.movedIn(a.ref)) ? 1 : 0;
    return made === 'copy' ? 0 : undefined;
  }

  /** A new list (of any depth) whose one use puts it into a container. */
  private movedIn(v: string): boolean {
    const def = this.defs.get(v);
    return !!def && this.made(def.node) !== undefined && (this.uses.get(v) ?? []).length === 1;
  }

  /** The list values this function owns alone (ListFrees), and the depth of its result when that is one of them. */
  solve(): { frees: ListFrees; result?: number } {
    const f = this.f;
    if (f.ir.cache) return { frees: {} };
    const cand = new Map<string, number>();
    for (const [v, d] of this.defs) {
      const made = this.made(d.node);
      if (made !== undefined && !this.extraReads.has(v)) cand.set(v, made);
    }
    for (const [v, t] of Object.entries(f.varTypes)) {
      if (isList(t) && !this.params.has(v) && !this.extraReads.has(v) && this.assigns.has(v)) cand.set(v, maxDepth(t));
    }
    // Drop what fails its conditions given the others, until nothing changes (the greatest set that holds together).
    for (let changed = true; changed;) {
      changed = false;
      for (const [v, depth] of cand) {
        const next = this.check(v, depth, cand);
        if (next === depth) continue;
        changed = true;
        if (next === undefined) cand.delete(v);
        else cand.set(v, next);
      }
    }
    let result: number | undefined = isList(f.returnType) ? maxDepth(f.returnType) : undefined;
    walkNodes(f.ir.nodes, (n) => {
      if (n.op !== 'output' || result === undefined) return;
      const a = n.args[0];
      result = a && isRef(a) && cand.has(a.ref) ? Math.min(result, cand.get(a.ref)!) : undefined;
    });
    // Never deeper than the value's type: its item lists, if it has any.
    const frees = Object.fromEntries([...cand].map(([v, d]) => { const t = this.typeOf(v); return [v, isList(t) ? Math.min(d, maxDepth(t)) : 0]; }));
    return { frees, result };
  }

  /** The depth value `v` can be freed at given the other candidates, or undefined when it cannot be freed. */
  private check(v: string, depth: number, cand: Map<string, number>): number | undefined {
    const uses = this.uses.get(v) ?? [];
    const def = this.defs.get(v);
    if (!def) {
      // A variable: each assignment moves in a candidate: a value used there only, in the block that made it, or a
      // variable at its end (a comprehension's list, `rows = [... for ...]`).
      for (const a of this.assigns.get(v)!) {
        const src = a.node.args[0];
        if (!src || !isRef(src) || !cand.has(src.ref)) return undefined;
        const from = this.defs.get(src.ref);
        if (from ? from.block !== a.block || (this.uses.get(src.ref) ?? []).length !== 1 : !this.variableMoved(src.ref, a)) return undefined;
        depth = Math.min(depth, cand.get(src.ref)!);
      }
    }
    for (const u of uses) {
      const n = u.node;
      const single = uses.length === 1 && !!def && def.block === u.block;
      if (n.op === 'assign' && cand.has(n.target) && (def ? single : this.variableMoved(v, u))) { depth = Math.min(depth, cand.get(n.target)!); continue; }
      if (n.op === 'output' && (single || !def) && !this.beforeFinally.has(n)) continue;
      if (!def && this.intoHolder(u) && this.variableMoved(v, u)) continue; // `self.items = xs` at its end: the field owns it
      if (!this.keepsNothing(u, false)) return undefined;
      if (depth && !this.keepsNothing(u, true) && !(u.arg === 0 && this.putsInNew(n))) depth = 0;
    }
    return depth;
  }

  /** `o.f = xs` or `d[k] = xs`, `d.setdefault(k, xs)` (use `u`, the value) into a field or a dict that owns its lists. */
  intoHolder(u: Use): boolean {
    if (u.node.target === 'kiln.setattr') return u.arg === 2 && this.fields.has(fieldName(u.node)!);
    return storedArg(this.f, u.node) === u.arg && this.ownedDict(u.node.args[0]);
  }

  /** A dict whose instantiation owns its lists (opt/dictLists.ts). */
  private ownedDict(a: Arg | undefined): boolean {
    const d = a && isRef(a) ? dictOf(this.typeOf(a.ref)) : undefined;
    return d !== undefined && this.dicts.has(d);
  }

  /** `t = s` or `o.f = s` (the use `a`) of a list variable s at its end: its other uses and its assignments all come before, in that block. */
  private variableMoved(s: string, a: Use): boolean {
    if ((a.node.op === 'assign' && a.node.target === s) || this.params.has(s) || this.defs.has(s)) return false;
    const before = new Set<IRNode>();
    walkNodes(a.block.slice(0, a.at), (m) => before.add(m));
    return (this.uses.get(s) ?? []).every((u) => u.node === a.node || before.has(u.node))
      && (this.assigns.get(s) ?? []).every((w) => before.has(w.node));
  }

  /**
   * `xs.append(v)`, `xs.insert(i, v)` (an op that puts an argument into list argument 0 as an item: OpFacts.refinesList)
   * of a new list v used nowhere else: a list of lists keeps owning all its items.
   */
  private putsInNew(n: IRNode): boolean {
    const put = factsOf(this.f, n).refinesList;
    const item = put?.as === 'item' ? n.args[put.arg] : undefined;
    return !!item && isRef(item) && this.movedIn(item.ref);
  }

  /** The parameters the function may keep (a use that does not keep nothing: deep ones for a list of lists). */
  keptParams(): boolean[] {
    return this.f.ir.params.map((p, i) => {
      const t = this.f.paramTypes[i];
      if (!isList(t)) return true;
      if ((this.assigns.get(p.name) ?? []).length) return true;
      return !(this.uses.get(p.name) ?? []).every((u) => this.keepsNothing(u, maxDepth(t) > 0));
    });
  }
}

/**
 * Each compiled function's ListSummary: which parameters it keeps (the least solution: a parameter is kept only through
 * a use that keeps it, however the functions call each other), then whether its result is new (the greatest: assumed
 * of every function returning a list, withdrawn where an output is not one of its freed lists).
 */
export function listSummaries(program: TypedProgram): Map<string, ListSummary> {
  const out = new Map<string, ListSummary>();
  for (const f of program.functions) {
    out.set(f.key, { keeps: f.ir.params.map(() => false), fresh: isList(f.returnType) && !f.ir.cache ? maxDepth(f.returnType) : undefined });
  }
  const none = new Set<string>();
  for (let changed = true; changed;) {
    changed = false;
    for (const f of program.functions) {
      const s = out.get(f.key)!;
      const keeps = new FunctionLists(f, out, none).keptParams();
      if (keeps.some((k, i) => k && !s.keeps[i])) { s.keeps = keeps.map((k, i) => k || s.keeps[i]); changed = true; }
    }
  }
  for (let changed = true; changed;) {
    changed = false;
    for (const f of program.functions) {
      const s = out.get(f.key)!;
      if (s.fresh === undefined) continue;
      const { result } = new FunctionLists(f, out, none).solve();
      const fresh = result === undefined ? undefined : Math.min(result, s.fresh);
      if (fresh !== s.fresh) { s.fresh = fresh; changed = true; }
    }
  }
  return out;
}

/** The lists `f` frees itself (`extraReads`: values a node reads beyond its arguments, opt/lifetimes.ts). */
export function listFrees(
  f: TypedFunction, summaries: Map<string, ListSummary>, extraReads: Record<string, string[]> = {}, fields: ReadonlySet<string> = new Set(),
  dicts: ReadonlySet<string> = new Set(),
): ListFrees {
  return new FunctionLists(f, summaries, new Set(Object.values(extraReads).flat()), fields, dicts).solve().frees;
}

/**
 * The argument a dict op stores as a value (`d[k] = v`, `d.setdefault(k, v)`: OpFacts.refinesContainer.value, from the
 * end when negative), if it is one that stores (OpFacts.dictValues 'store' or 'add').
 */
export function storedArg(f: TypedFunction, n: IRNode): number | undefined {
  const facts = factsOf(f, n);
  const v = facts.refinesContainer?.value;
  if ((facts.dictValues !== 'store' && facts.dictValues !== 'add') || v === undefined) return undefined;
  return v < 0 ? n.args.length + v : v;
}
