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
 *   through any call), and o, reached from a parameter or a local (through narrowings, field reads and dict reads),
 *   stays alive (opt/heldLists.ts, shared with the dicts that own their lists, opt/dictLists.ts).
 * Then the field write frees the list the field held (`kr_list_free`), and the class's finalize (and the free of a leaf
 * or shallow class, lower/c_classes.ts) frees the lists its owned fields hold. An object can outlive its call's heap
 * only after that heap is released (a cycle the collector frees when the outermost call returns, an exception's
 * instance the next call drops): its lists are gone with the heap, and kr_list_field_free does nothing then.
 */
import { fieldName, walkNodes } from '../ir/ir.ts';
import type { TypedFunction, TypedProgram } from '../types/typecheck.ts';
import { effects, HeldReads, type Effects } from './heldLists.ts';
import type { ListSummary } from './listFrees.ts';

/** The names of the fields that own their lists (see above), given the dict instantiations that own theirs (opt/dictLists.ts). */
export function listFields(
  program: TypedProgram, summaries: Map<string, ListSummary>, fx: Effects = effects(program), dicts: ReadonlySet<string> = new Set(),
): Set<string> {
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
  // A variable moved into a field is one of its function's own lists given the fields owned (opt/listFrees.ts): drop
  // what fails given the others, until nothing changes (the greatest set that holds together).
  for (;;) {
    const next = new Set(owned);
    const stored = new Set<string>();
    for (const f of program.functions) {
      const check = new HeldReads(f, summaries, fx, owned, dicts);
      walkNodes(f.ir.nodes, (n) => {
        const name = fieldName(n);
        if (name === '*') next.clear(); // a computed attribute name may be any field
        if (!name || !next.has(name)) return;
        if (n.target === 'kiln.setattr') {
          if (check.storesNew(n, 2)) stored.add(name);
          else next.delete(name);
        } else if (!check.readKeepsNothing(n, n.args[0], { field: name })) next.delete(name);
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
