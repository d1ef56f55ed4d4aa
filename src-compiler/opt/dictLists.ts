/**
 * Dicts that own their list values: a list stored in such a dict is freed when its entry is overwritten or deleted
 * (`d[k] = v`, `del d[k]`, `d.clear()`) or the dict dies, instead of when the exported call returns (lists still live
 * in the per-call heap: docs/design/object-model.md "Arrays and lists today"). Without this, a loop that replaces a
 * dict entry holding a list (`d[i % 100] = [i, i + 1]`) keeps every list until the call returns. Always on with
 * opt/listFrees.ts; by instantiation (types/ops/dicts.ts containerName: `dict[int, list[int]]` and `dict[int,
 * list[float]]` are one, `kd_i64_lst`), whose value kind then frees a list as a counted kind drops a reference
 * (lower/dicts.ts: the `olst` kind), wherever a dict of it is.
 *
 * An instantiation owns its lists when (the proof is by construction, no counts) every op of the program on a dict of
 * it says what it does with its values (OpFacts.dictValues) and:
 * - every store (`d[k] = v`, `d.setdefault(k, v)`) puts in a new list nothing else refers to (opt/heldLists.ts); a
 *   `defaultdict(list)`'s factory makes new ones;
 * - every read (`d[k]`, `d.get(k, v)`, a loop's value, setdefault's result) has only uses that keep nothing while
 *   nothing can free the list (opt/heldLists.ts), `d.pop(k)`'s result being a new list the function owns
 *   (opt/listFrees.ts);
 * - the dict is otherwise only moved around as a reference (assigned, returned, passed to a compiled function whose
 *   own ops are checked the same way, stored in a field, a list or a dict): no copy, update, merge, view or
 *   `dict.fromkeys` puts one list under two keys or out of the dict's sight.
 * No exported function takes a dict of it as a parameter, at any depth: the caller's lists come back by identity.
 * A dict can outlive its call's heap only after that heap is released (a cycle the collector frees when the outermost
 * call returns, an exception's instance the next call drops): its lists are gone with the heap then, and
 * kr_list_field_free does nothing.
 */
import { isRef, walkNodes, type IRNode } from '../ir/ir.ts';
import type { TypedFunction, TypedProgram } from '../types/typecheck.ts';
import type { KType } from '../types/types.ts';
import { HeldReads, type Effects } from './heldLists.ts';
import { dictOf, storedArg, type ListSummary } from './listFrees.ts';
import { factsOf, FunctionTypes } from './typed.ts';

/** The dict instantiations (containerName) that own their list values (see above), given the fields that own theirs. */
export function dictLists(program: TypedProgram, summaries: Map<string, ListSummary>, effects: Effects, fields: ReadonlySet<string>): Set<string> {
  const owned = new Set<string>();
  for (const f of program.functions) {
    walkNodes(f.ir.nodes, (n) => { for (const t of [n.type, ...(f.resolved.get(n.name)?.argTypes ?? [])]) { const d = dictOf(t); if (d) owned.add(d); } });
  }
  // A dict that comes in as a parameter of an exported function gives its values back by identity (lower/c_abi_containers.ts
  // `origin`: each final value compared with the lists made from the caller's): a freed list's header, reused by a
  // new list, would pass for the caller's.
  const seen = new Set<string>();
  const given = (t: KType | undefined): void => {
    if (!t || seen.has(JSON.stringify(t))) return;
    seen.add(JSON.stringify(t));
    const d = dictOf(t);
    if (d) owned.delete(d);
    if (t.kind === 'dict') { given(t.key); given(t.value); }
    if (t.kind === 'list' || t.kind === 'set' || t.kind === 'deque') given(t.item);
    if (t.kind === 'tuple' || t.kind === 'record') t.items.forEach(given);
    if (t.kind === 'union') t.members.forEach(given);
    if (t.kind === 'instance') for (const c of program.classes ?? []) if (c.qualified === t.cls) c.fields.forEach((fl) => given(fl.type));
  };
  for (const e of program.entries) e.paramTypes.forEach(given);
  // Drop what fails given the others, until nothing changes (the greatest set that holds together).
  for (;;) {
    const next = new Set(owned);
    for (const f of program.functions) {
      if (!next.size) break;
      const check = new HeldReads(f, summaries, effects, fields, owned);
      walkNodes(f.ir.nodes, (n) => { for (const d of misuses(f, n, check, next)) next.delete(d); });
    }
    if (next.size === owned.size) return owned;
    owned.clear();
    next.forEach((x) => owned.add(x));
  }
}

/** The owned instantiations (among `owned`) that node `n` does something with that they cannot allow. */
function misuses(f: TypedFunction, n: IRNode, check: HeldReads, owned: ReadonlySet<string>): string[] {
  if (n.op !== 'call_function') return [];
  const out: string[] = [];
  const facts = factsOf(f, n);
  const compiled = f.calls.has(n.name) || f.virtuals?.has(n.name) || f.dispatch.has(n.name);
  // A new dict (or a reference to one read from elsewhere) of an owned instantiation.
  for (const d of compiled ? [] : mentioned(n.type)) {
    if (!owned.has(d)) continue;
    if (facts.dictValues === 'make') {
      if (!n.args.every((_, i) => i % 2 === 0 || check.storesNew(n, i))) out.push(d);
    } else if (!(facts.dictValues || facts.subscript === 'load' || facts.loopItem || n.target === 'kiln.getattr' || n.target === 'kiln.narrow'
      || n.args.every((a) => !isRef(a) || !holdsList(check.typeOf(a))))) out.push(d);
  }
  n.args.forEach((a, i) => {
    for (const d of mentioned(check.typeOf(a))) {
      if (!owned.has(d)) continue;
      // Argument 0 of a dict op that says what it does with the values (a loop's parts: the loop state's dict).
      if (i === 0 && dictOf(check.typeOf(a)) === d && !compiled && facts.dictValues) {
        const what = facts.dictValues;
        const stored = storedArg(f, n);
        if ((what === 'store' || what === 'add') && (stored === undefined || !check.storesNew(n, stored))) out.push(d);
        if ((what === 'read' || what === 'add') && !check.readKeepsNothing(n, a, { dict: d })) out.push(d);
        continue;
      }
      // A reference to the dict itself, moved around: into a compiled function (whose ops are checked), a field, a
      // narrowing, or a container as an item or a value.
      if (compiled || (n.target === 'kiln.setattr' && i === 2) || n.target === 'kiln.narrow') continue;
      if (facts.newList === 'items' || (facts.refinesList?.as === 'item' && facts.refinesList.arg === i)) continue;
      if (i > 0 && storedArg(f, n) === i) continue;
      out.push(d);
    }
  });
  return out;
}

/** A value of this type may hold a list (an instance's fields aside: only compiled code reads them). */
function holdsList(t: KType | undefined): boolean {
  if (!t) return true;
  switch (t.kind) {
    case 'scalar': case 'none': case 'str': case 'char': case 'bytes': case 'enum': case 'complex': case 'range': case 'instance': case 'func': case 'builtin': return false;
    case 'tuple': case 'record': return t.items.some(holdsList);
    case 'union': return t.members.some(holdsList);
    case 'dict': return holdsList(t.key) || holdsList(t.value);
    case 'set': case 'deque': return holdsList(t.item);
    default: return true;
  }
}

/** The dict instantiations with list values a value of this type is, or may be (a union), or iterates. */
function mentioned(t: KType | undefined): string[] {
  if (t?.kind === 'union') return t.members.flatMap(mentioned);
  const d = dictOf(t);
  return d ? [d] : [];
}

/** The stores of `f` (by node name) into a dict of an owned instantiation: a list variable stored there at its end is the dict's. */
export function dictStores(f: TypedFunction, dicts: ReadonlySet<string>): string[] {
  const out: string[] = [];
  const types = new FunctionTypes(f);
  walkNodes(f.ir.nodes, (n) => {
    const d = n.op === 'call_function' && n.args[0] ? dictOf(types.of(n.args[0])) : undefined;
    if (d && dicts.has(d) && storedArg(f, n) !== undefined) out.push(n.name);
  });
  return out;
}
