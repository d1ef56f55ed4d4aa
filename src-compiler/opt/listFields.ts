/**
 * Lists an object field owns alone, freed with the object that holds them or when the field is written again, instead
 * of when the exported call returns (lists still live in the per-call heap: docs/design/object-model.md "Arrays and
 * lists today"). Without this, a loop that makes an object holding a new list per iteration (`Holder(i)` whose
 * `__init__` does `self.items = [i, i + 1, i + 2]`), or that stores a new list into a field (`h.items = [...]`), keeps
 * every list until the call returns. Always on with opt/listFrees.ts, whose facts it reuses; by field name, as
 * opt/lifetimes.ts's stableFields and fieldWrites (a name that one class uses otherwise is not owned in any).
 *
 * A field name f is owned when (the proof is by construction, no counts):
 * - every class field named f is a list, not a class attribute, a property or a NamedTuple's field (read as items);
 * - every `o.f = v` of the program stores a new list nothing else refers to (OpFacts.newList or a compiled function's
 *   `fresh` result, opt/listFrees.ts) at its one use, made in the same block, or a variable at its end that the
 *   function owns alone given the fields owned (`xs = []`, appends, `self.items = xs`: opt/listFrees.ts moves it into
 *   the field, the emitter empties its slot; a fixed point, as a field dropped may drop such a variable): the field
 *   is its only reference;
 * - every read `o.f` is used only by uses that keep nothing (FunctionLists.keepsNothing: indexing, len, iteration,
 *   appending to it, concatenation, a compiled function whose parameter keeps nothing ...), and nothing between the
 *   read and its last use can free the list: no write of a field named f (nor a compiled call that may make one,
 *   through any call: fieldWrites), and o, a parameter or a local (through narrowings), stays alive: nothing assigns
 *   it, and for a local (which may be a borrowed local, held through a chain of fields) no write of a field that holds
 *   references cuts its chain. A parameter is kept alive by the caller for the whole call.
 * Then the field write frees the list the field held (`kr_list_free`), and the class's finalize (and the free of a leaf
 * or shallow class, lower/c_classes.ts) frees the lists its owned fields hold. An object can outlive its call's heap
 * only after that heap is released (a cycle the collector frees when the outermost call returns, an exception's
 * instance the next call drops): its lists are gone with the heap, and kr_list_field_free does nothing then.
 */
import { fieldName, isRef, walkNodes, type Arg, type IRNode } from '../ir/ir.ts';
import type { TypedFunction, TypedProgram } from '../types/typecheck.ts';
import { isFunctionType, ownsReferences, type KType } from '../types/types.ts';
import { fieldWrites, type FieldWrites } from './lifetimes.ts';
import { FunctionLists, usesOf, type ListSummary, type Use } from './listFrees.ts';

/** The names of the fields that own their lists (see above). */
export function listFields(program: TypedProgram, summaries: Map<string, ListSummary>): Set<string> {
  const classes = program.classes ?? [];
  const owned = new Set<string>();
  for (const c of classes) for (const fl of c.fields) if (fl.type?.kind === 'list') owned.add(fl.name);
  for (const c of classes) {
    for (const fl of c.fields) if (fl.type && fl.type.kind !== 'list') owned.delete(fl.name);
    for (const a of c.classAttrs) owned.delete(a);
    for (const p of c.properties.keys()) owned.delete(p);
    if (c.namedtuple) for (const fl of c.fields) owned.delete(fl.name);
  }
  if (!owned.size) return owned;
  const writes = fieldWrites(program);
  // A variable moved into a field is one of its function's own lists given the fields owned (opt/listFrees.ts): drop
  // what fails given the others, until nothing changes (the greatest set that holds together).
  for (;;) {
    const next = new Set(owned);
    const stored = new Set<string>();
    for (const f of program.functions) {
      const check = new FieldReads(f, summaries, writes, owned);
      walkNodes(f.ir.nodes, (n) => {
        const name = fieldName(n);
        if (name === '*') next.clear(); // a computed attribute name may be any field
        if (!name || !next.has(name)) return;
        if (n.target === 'kiln.setattr') {
          if (check.storesNew(n)) stored.add(name);
          else next.delete(name);
        } else if (!check.readKeepsNothing(n, name)) next.delete(name);
      });
    }
    for (const name of next) if (!stored.has(name)) next.delete(name);
    if (next.size === owned.size) return owned;
    owned.clear();
    next.forEach((x) => owned.add(x));
  }
}

/** The kiln.setattr nodes of `f` (by name) that write an owned field: each frees the list the field held. */
export function listStores(f: TypedFunction, fields: ReadonlySet<string>): string[] {
  const out: string[] = [];
  walkNodes(f.ir.nodes, (n) => { if (n.target === 'kiln.setattr' && fields.has(fieldName(n)!)) out.push(n.name); });
  return out;
}

class FieldReads {
  private readonly lists: FunctionLists;
  private readonly uses: ReturnType<typeof usesOf>['uses'];
  private readonly defs: ReturnType<typeof usesOf>['defs'];
  private readonly assigns: ReturnType<typeof usesOf>['assigns'];
  private readonly params: Set<string>;

  /** The lists the function owns alone, given the fields owned (a variable moved into one of them is one). */
  private readonly frees: Record<string, number>;

  constructor(private readonly f: TypedFunction, summaries: Map<string, ListSummary>, private readonly writes: FieldWrites, fields: ReadonlySet<string>) {
    this.lists = new FunctionLists(f, summaries, new Set(), fields);
    this.frees = this.lists.solve().frees;
    ({ uses: this.uses, defs: this.defs, assigns: this.assigns } = usesOf(f.ir.nodes));
    this.params = new Set(f.ir.params.map((p) => p.name));
  }

  /** `o.f = v` of a new list v, made in the same block and used nowhere else, or of a list variable at its end that the function owns alone. */
  storesNew(n: IRNode): boolean {
    const v = n.args[2];
    if (!v || !isRef(v)) return false;
    const def = this.defs.get(v.ref);
    if (!def) return v.ref in this.frees && !this.params.has(v.ref);
    const uses = this.uses.get(v.ref) ?? [];
    const here = uses[0];
    return this.lists.made(def.node) !== undefined && uses.length === 1 && here.node === n && here.arg === 2 && here.block === def.block;
  }

  /** A read `o.f` whose every use keeps nothing, while nothing can free the list before its last use. */
  readKeepsNothing(n: IRNode, field: string): boolean {
    const def = this.defs.get(n.name);
    if (!def) return false;
    // `for x in o.f` reads the list into a variable the loop iterates (assigned there only): its uses are the read's.
    const alias = (u: Use) => u.node.op === 'assign' && !this.params.has(u.node.target) && (this.assigns.get(u.node.target) ?? []).length === 1
      ? this.uses.get(u.node.target) ?? [] : undefined;
    const direct = this.uses.get(n.name) ?? [];
    const uses = direct.flatMap((u) => [u, ...(alias(u) ?? [])]);
    if (!direct.every((u) => (alias(u) ?? [u]).every((x) => this.lists.keepsNothing(x, false)))) return false;
    // Every use after the read in its block (a while test's values are visible after the loop: not such a read).
    if (!uses.every((u) => def.block.some((m, j) => j > def.at && contains(m, u.node)))) return false;
    const root = this.rootOf(n.args[0]);
    if (!root) return false;
    const local = !this.params.has(root);
    const { block, at } = def;
    let last = at;
    block.forEach((m, j) => { if (j > at && uses.some((u) => contains(m, u.node))) last = j; });
    let ok = true;
    walkNodes(block.slice(at + 1, last + 1), (m) => {
      if (m.op === 'assign' && m.target === root) ok = false;
      if (m.op !== 'call_function') return;
      const name = fieldName(m);
      if (m.target === 'kiln.setattr' && (name === field || name === '*' || (local && !plain(this.f.resolved.get(m.name)?.argTypes[2])))) ok = false;
      if (this.f.dispatch.has(m.name) || this.f.valueCalls.has(m.name)) ok = false;
      const callees = [...(this.f.calls.has(m.name) ? [this.f.calls.get(m.name)!] : []), ...(this.f.virtuals?.get(m.name) ?? []).map((c) => c.callee)];
      for (const c of callees) { const w = this.writes.get(c); if (!w || w === 'any' || w.has(field)) ok = false; }
    });
    return ok;
  }

  /** The variable an object is read from (a parameter or a local, through narrowings), if it is one. */
  private rootOf(a: Arg | undefined): string | undefined {
    if (!a || !isRef(a)) return undefined;
    const def = this.defs.get(a.ref);
    if (!def) return this.params.has(a.ref) || a.ref in this.f.varTypes ? a.ref : undefined;
    return def.node.target === 'kiln.narrow' ? this.rootOf(def.node.args[0]) : undefined;
  }
}

/** A field of this type holds no reference and no list: writing it drops nothing. */
const plain = (t: KType | undefined): boolean => !!t && !ownsReferences(t) && !isFunctionType(t) && t.kind !== 'list';

/** Whether node `m` is `n` or holds it in a nested region. */
function contains(m: IRNode, n: IRNode): boolean {
  let found = false;
  walkNodes([m], (x) => { if (x === n) found = true; });
  return found;
}
