/**
 * Lists a holder owns alone: what opt/listFields.ts (object fields) and opt/dictLists.ts (dict values) both prove of a
 * function, on top of opt/listFrees.ts's facts. A holder that owns its lists frees the list it held when it is written
 * again or dies, so every read of one must be over before anything can free it:
 * - a store puts in a new list nothing else refers to: made in the same block and used there only, or a list variable
 *   at its end that the function owns alone (`xs = []`, appends, then the store: opt/listFrees.ts moves it in);
 * - a read's every use keeps nothing (FunctionLists.keepsNothing), directly or through a variable it is assigned to
 *   (`for x in o.f`, `for k, v in d.items()`: each use of the variable is one this assignment alone reaches), all after
 *   the read in its block; and between the read and its last use nothing can free the list: no assignment to the
 *   variable the holder is reached from (a parameter or a local, through narrowings, field reads and dict reads: its
 *   chain), no write of a field of the chain, no op that drops a value of a dict of the chain (DictDrops), no call
 *   that may do either, directly or through any call (Effects), no call of unknown code; a local chain's root may be a
 *   borrowed local (opt/lifetimes.ts), held through a chain of fields that a write of any field holding references
 *   can cut. A parameter is kept alive by the caller for the whole call.
 */
import { fieldName, isRef, walkNodes, type Arg, type IRNode } from '../ir/ir.ts';
import type { TypedFunction, TypedProgram } from '../types/typecheck.ts';
import { isFunctionType, ownsReferences, type KType } from '../types/types.ts';
import { fieldWrites, throughCalls, type FieldWrites } from './lifetimes.ts';
import { FunctionLists, holderOf, usesOf, type ListSummary, type Use } from './listFrees.ts';
import { factsOf, FunctionTypes } from './typed.ts';

/** Per function (by key): the dict instantiations (holderOf) whose values it or anything it calls may drop, or 'any'. */
export type DictDrops = ReadonlyMap<string, ReadonlySet<string> | 'any'>;

/** What each function may do, through any call, that frees a held list. */
export interface Effects { fields: FieldWrites; dicts: DictDrops }

/** An op that drops or takes out values of the dict in argument 0 (OpFacts.dictValues). */
export const dropsValues = (f: TypedFunction, n: IRNode): boolean => {
  const what = factsOf(f, n).dictValues;
  return what === 'store' || what === 'take' || what === 'drop';
};

/** The program's Effects. */
export function effects(program: TypedProgram): Effects {
  const dicts = throughCalls(program, (f) => {
    const own = new Set<string>();
    const types = new FunctionTypes(f);
    walkNodes(f.ir.nodes, (n) => {
      const d = n.op === 'call_function' && n.args[0] ? holderOf(types.of(n.args[0])) : undefined;
      if (d && dropsValues(f, n)) own.add(d);
    });
    return own;
  });
  return { fields: fieldWrites(program), dicts };
}

/** The variable a holder is reached from, and the fields and dict instantiations on the way. */
interface Chain { root: string; fields: Set<string>; dicts: Set<string> }

export class HeldReads {
  readonly lists: FunctionLists;
  private readonly uses: Map<string, Use[]>;
  private readonly defs: Map<string, Use>;
  private readonly assigns: Map<string, Use[]>;
  private readonly params: Set<string>;
  /** The lists the function owns alone, given the holders that own theirs (a variable moved into one of them is one). */
  private readonly frees: Record<string, number>;
  /** Dunders the runtime calls on instance keys (`#kind_eq:C`...): any dict or set op may run them. */
  private readonly keyCalls: string[];

  constructor(
    private readonly f: TypedFunction, summaries: Map<string, ListSummary>, private readonly effects: Effects,
    fields: ReadonlySet<string>, dicts: ReadonlySet<string>,
  ) {
    this.lists = new FunctionLists(f, summaries, new Set(), fields, dicts);
    this.frees = this.lists.solve().frees;
    ({ uses: this.uses, defs: this.defs, assigns: this.assigns } = usesOf(f.ir.nodes));
    this.params = new Set(f.ir.params.map((p) => p.name));
    this.keyCalls = [...f.calls].filter(([k]) => k.startsWith('#kind_')).map(([, c]) => c);
  }

  typeOf(a: Arg | undefined): KType | undefined {
    return a && isRef(a) ? this.f.varTypes[a.ref] ?? this.defs.get(a.ref)?.node.type : undefined;
  }

  /** Argument `k` of `n` is a new list used there only, made in the same block, or a list variable at its end that the function owns alone. */
  storesNew(n: IRNode, k: number): boolean {
    const v = n.args[k];
    if (!v || !isRef(v)) return false;
    const def = this.defs.get(v.ref);
    if (!def) return v.ref in this.frees && !this.params.has(v.ref);
    const uses = this.uses.get(v.ref) ?? [];
    const here = uses[0];
    return this.lists.made(def.node) !== undefined && uses.length === 1 && here.node === n && here.arg === k && here.block === def.block;
  }

  /**
   * A read `n` of a held list (its holder: `fields` or `dicts`, the field or the instantiation read) whose every use keeps
   * nothing while nothing can free the list; `holder`: the argument the holder is.
   */
  readKeepsNothing(n: IRNode, holder: Arg | undefined, own: { field?: string; dict?: string }): boolean {
    const def = this.defs.get(n.name);
    if (!def) return false;
    const uses = this.readUses(n, def);
    if (!uses) return false;
    // Every use after the read in its block (a while test's values are visible after the loop: not such a read).
    if (!uses.every((u) => def.block.some((m, j) => j > def.at && contains(m, u.node)))) return false;
    const chain = this.chainOf(holder, { root: '', fields: new Set(own.field ? [own.field] : []), dicts: new Set(own.dict ? [own.dict] : []) });
    if (!chain) return false;
    const local = !this.params.has(chain.root) && borrowable(this.f.varTypes[chain.root]);
    const { block, at } = def;
    let last = at;
    block.forEach((m, j) => { if (j > at && uses.some((u) => contains(m, u.node))) last = j; });
    let ok = true;
    walkNodes(block.slice(at + 1, last + 1), (m) => { if (ok && this.mayFree(m, chain, local)) ok = false; });
    return ok;
  }

  /** The uses of read `n` (direct, and through the variables it is assigned to), or undefined when one may keep it. */
  private readUses(n: IRNode, def: Use): Use[] | undefined {
    const out: Use[] = [];
    for (const u of this.uses.get(n.name) ?? []) {
      const reached = u.node.op === 'assign' && u.block === def.block ? this.reachedFrom(u) : [u];
      if (!reached || !reached.every((r) => this.lists.keepsNothing(r, false))) return undefined;
      out.push(u, ...reached);
    }
    return out;
  }

  /**
   * The uses of variable v that assignment `a` alone reaches: those after it in its block before the next statement
   * that assigns v. Undefined when v is a parameter or some use of v is not reached by one assignment alone so (a loop's
   * back edge, a branch that assigns it): then a use could see this read's list after the span checked.
   */
  private reachedFrom(a: Use): Use[] | undefined {
    const v = a.node.target;
    if (this.params.has(v)) return undefined;
    const windows = (this.assigns.get(v) ?? []).map((w) => {
      let end = w.block.length;
      for (let j = w.at + 1; j < w.block.length; j++) if (assignsTo(w.block[j], v)) { end = j; break; }
      return { w, nodes: w.block.slice(w.at + 1, end) };
    });
    const inWindow = (u: Use, nodes: IRNode[]) => nodes.some((m) => contains(m, u.node));
    const uses = this.uses.get(v) ?? [];
    if (!uses.every((u) => windows.some((x) => inWindow(u, x.nodes)))) return undefined;
    const mine = windows.find((x) => x.w.node === a.node)!;
    return uses.filter((u) => inWindow(u, mine.nodes));
  }

  /** The chain the holder `a` is reached through, from its root variable. */
  private chainOf(a: Arg | undefined, chain: Chain): Chain | undefined {
    if (!a || !isRef(a)) return undefined;
    const def = this.defs.get(a.ref);
    if (!def) return this.params.has(a.ref) || a.ref in this.f.varTypes ? { ...chain, root: a.ref } : undefined;
    const m = def.node;
    if (m.target === 'kiln.narrow') return this.chainOf(m.args[0], chain);
    const field = fieldName(m);
    if (m.target === 'kiln.getattr' && field && field !== '*') return this.chainOf(m.args[0], { ...chain, fields: new Set([...chain.fields, field]) });
    // A dict read of a dict of dicts (`g[u][v]`): the inner dict lives while the outer one holds it.
    const outer = holderOf(this.typeOf(m.args[0]));
    if (outer && factsOf(this.f, m).dictValues === 'read' && m.type?.kind === 'dict') return this.chainOf(m.args[0], { ...chain, dicts: new Set([...chain.dicts, outer]) });
    return undefined;
  }

  /** Whether node `m` may free a list read through `chain` (`local`: its root may be a borrowed local). */
  private mayFree(m: IRNode, chain: Chain, local: boolean): boolean {
    if (m.op === 'assign' && m.target === chain.root) return true;
    if (m.op !== 'call_function') return false;
    const field = fieldName(m);
    if (m.target === 'kiln.setattr' && (field === '*' || chain.fields.has(field!) || (local && !plain(this.f.resolved.get(m.name)?.argTypes[2])))) return true;
    const held = holderOf(this.typeOf(m.args[0]));
    if (held && chain.dicts.has(held) && dropsValues(this.f, m)) return true;
    if (this.f.dispatch.has(m.name) || this.f.valueCalls.has(m.name)) return true;
    const containers = m.args.some((x) => { const t = this.typeOf(x); return t?.kind === 'dict' || t?.kind === 'set'; });
    const callees = [
      ...(this.f.calls.has(m.name) ? [this.f.calls.get(m.name)!] : []), ...(this.f.virtuals?.get(m.name) ?? []).map((c) => c.callee),
      ...(containers ? this.keyCalls : []),
    ];
    return callees.some((c) => {
      const w = this.effects.fields.get(c), d = this.effects.dicts.get(c);
      return !w || w === 'any' || [...chain.fields].some((x) => w.has(x)) || !d || d === 'any' || [...chain.dicts].some((x) => d.has(x));
    });
  }
}

/** A field of this type holds no reference and no list: writing it drops nothing. */
const plain = (t: KType | undefined): boolean => !!t && !ownsReferences(t) && !isFunctionType(t) && t.kind !== 'list';

/** A local of this type may be a borrowed local (opt/lifetimes.ts borrowedLocalCandidates: instances, or None). */
const borrowable = (t: KType | undefined): boolean => !t || t.kind === 'instance' || t.kind === 'union';

/** Whether node `m` is `n` or holds it in a nested region. */
export function contains(m: IRNode, n: IRNode): boolean {
  let found = false;
  walkNodes([m], (x) => { if (x === n) found = true; });
  return found;
}

/** Whether node `m` or a node nested in it assigns variable v. */
function assignsTo(m: IRNode, v: string): boolean {
  let found = false;
  walkNodes([m], (x) => { if (x.op === 'assign' && x.target === v) found = true; });
  return found;
}
