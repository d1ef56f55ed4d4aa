/**
 * Value structs: the classes whose instances generated C keeps as plain structs of their fields, passed, returned
 * and stored by value (no heap object, no reference count), like a tuple of numbers. Sound when nothing can tell a
 * copy from the object: CPython's semantics only differ from a copy's through identity or a mutation seen through
 * another reference, so a class qualifies when
 * - it has no base and no subclasses, its instances are made by the program, and it is no recursive generator's frame;
 * - it has fields, each a number or bool (or None), or an instance of another value class, that every `__init__`
 *   assigns before `self` is used otherwise (docs/design/classes.md, "Missing attributes": no AttributeError path);
 * - no code assigns its fields after construction (opt/lifetimes.ts stableFields: only `self.f = ...` in
 *   `__init__`, no `__init__` on an existing object) and its `__init__` uses `self` for field reads and writes only
 *   (so writing into a struct that the caller then keeps is the construction);
 * - its instances never meet identity: every use of one is a field read or write, a call of a compiled function (a
 *   method, an operator's dunder, `__init__` on the instance just made), an assignment or a return; any other op
 *   (`is`, `==` without `__eq__`, `isinstance`, `id()`, hashing by identity, the default repr with its address, a
 *   raise) disqualifies the class, and so does its type anywhere inside another type (a list, a tuple, a union with
 *   None, a dict, a closure's environment), where a container or an alias would keep it;
 * - no exported function takes or returns one, nor an instance holding one, nor an exception with fields (the C
 *   ABI, the Python package and the JS module give handles, whose field accessors read objects).
 * The emitter (lower/c.ts, lower/c_classes.ts, types/ops/classes.ts) passes such an instance by value; its
 * `__init__` takes a pointer to the caller's struct.
 */
import { isRef, walkNodes, type Arg, type IRNode } from '../ir/ir.ts';
import { EXCEPTION_MESSAGE, type ClassInfo } from '../types/classes.ts';
import type { TypedFunction, TypedProgram } from '../types/typecheck.ts';
import type { KType } from '../types/types.ts';
import { stableFields } from './lifetimes.ts';

/** Ops that may take a value instance: field reads and writes (their lowering has the value form), NamedTuple's count check. */
const VALUE_OPS = new Set(['kiln.getattr', 'kiln.setattr', 'kiln.check_unpack']);
/** At most this many numbers in one value struct (a larger one costs more to copy than to count). */
const MAX_SCALARS = 8;

/** The qualified names of the program's value classes. */
export function valueStructs(program: TypedProgram): Set<string> {
  const classes = new Map((program.classes ?? []).map((c) => [c.qualified, c]));
  const stable = stableFields(program);
  const out = new Set<string>();
  for (const c of classes.values()) {
    const plain = !c.base && !c.subclasses.length && c.instantiated && !c.generatorFrame && !c.problems.length;
    const typed = c.fields.filter((f) => f.type && f.type.kind !== 'none');
    if (plain && typed.length && c.fields.every((f) => c.always.has(f.name) && stable.has(f.name))) out.add(c.qualified);
  }
  const drop = (cls: string | undefined) => { if (cls) out.delete(cls); };
  // An instance type anywhere but at the top of a type: its class keeps identity.
  const nested = (t: KType | undefined, top: boolean) => {
    if (!t) return;
    if (t.kind === 'instance') { if (!top) drop(t.cls); return; }
    const inner: (KType | undefined)[] = t.kind === 'tuple' || t.kind === 'record' ? t.items : t.kind === 'union' ? t.members
      : t.kind === 'list' || t.kind === 'set' || t.kind === 'deque' || t.kind === 'cell' ? [t.item] : t.kind === 'dict' ? [t.key, t.value]
      : t.kind === 'iter' ? [t.of]
      : t.kind === 'func' ? t.env : t.kind === 'funcset' ? t.members : [];
    for (const x of inner) nested(x, false);
  };
  for (const c of classes.values()) for (const f of c.fields) nested(f.type, true);
  for (const f of program.functions) {
    for (const t of [...f.paramTypes, f.returnType, ...Object.values(f.varTypes)]) nested(t, true);
    walkNodes(f.ir.nodes, (n) => nested(n.type, true));
    for (const r of f.resolved.values()) for (const t of r.temps ?? []) nested(t, false);
  }
  // Classes an exported function takes or returns, and the classes of their fields (handles read those as objects).
  const seen = new Set<TypedFunction>();
  const crossing = new Set<string>();
  const cross = (cls: string) => {
    if (crossing.has(cls)) return;
    crossing.add(cls);
    for (const f of classes.get(cls)?.fields ?? []) if (f.type) instanceClasses(f.type).forEach(cross);
  };
  const exported = (f: TypedFunction) => {
    if (seen.has(f)) return;
    seen.add(f);
    for (const t of [...f.paramTypes, f.returnType]) instanceClasses(t).forEach(cross);
    f.variants?.forEach(exported);
  };
  program.entries.forEach(exported);
  // An exception carrying fields out of a call is a handle too (lower/c.ts `carried`).
  for (const c of classes.values()) if (c.fields.some((f) => f.name === EXCEPTION_MESSAGE)) cross(c.qualified);
  crossing.forEach(drop);
  // A cached function's arguments are the key of its table (a tuple of them).
  for (const f of program.functions) if (f.ir.cache) f.paramTypes.forEach((t) => instanceClasses(t).forEach(drop));
  for (const f of program.functions) usesKeepIdentity(f, drop);
  // Fields: numbers, or instances of value classes (until no class leaves the set).
  for (let changed = true; changed;) {
    changed = false;
    for (const q of [...out]) {
      const c = classes.get(q)!;
      if (!c.fields.every((f) => !f.type || f.type.kind === 'none' || f.type.kind === 'scalar' || (f.type.kind === 'instance' && out.has(f.type.cls))) || scalars(c, classes) > MAX_SCALARS) {
        out.delete(q);
        changed = true;
      }
    }
  }
  return out;
}

/** The numbers a value struct of class c holds (its value-class fields' included). */
function scalars(c: ClassInfo, classes: ReadonlyMap<string, ClassInfo>, depth = 0): number {
  if (depth > 8) return Infinity; // a class holding itself by value (through its fields) is never a value class
  return c.fields.reduce((s, f) => s + (f.type?.kind === 'instance' ? scalars(classes.get(f.type.cls)!, classes, depth + 1) : f.type?.kind === 'none' ? 0 : 1), 0);
}

function instanceClasses(t: KType, out: string[] = []): string[] {
  if (t.kind === 'instance') out.push(t.cls);
  else if (t.kind === 'tuple' || t.kind === 'record') t.items.forEach((x) => instanceClasses(x, out));
  else if (t.kind === 'union') t.members.forEach((x) => instanceClasses(x, out));
  else if (t.kind === 'list' || t.kind === 'set') instanceClasses(t.item, out);
  else if (t.kind === 'dict') { instanceClasses(t.key, out); instanceClasses(t.value, out); }
  return out;
}

/** Drops the classes one of f's nodes uses an instance of in a way that keeps or observes its identity. */
function usesKeepIdentity(f: TypedFunction, drop: (cls: string | undefined) => void) {
  const types = new Map<string, KType>(Object.entries(f.varTypes));
  f.ir.params.forEach((p, i) => types.set(p.name, f.paramTypes[i]));
  walkNodes(f.ir.nodes, (n) => { if (n.type) types.set(n.name, n.type); });
  const cls = (a: Arg | undefined) => {
    const t = a && isRef(a) ? types.get(a.ref) : undefined;
    return t?.kind === 'instance' ? t.cls : undefined;
  };
  const made = new Set<string>();
  walkNodes(f.ir.nodes, (n) => { if (n.op === 'call_function' && n.target === 'kiln.new_instance') made.add(n.name); });
  const init = f.ir.name.endsWith('.__init__') ? f.ir.params[0]?.name : undefined;
  walkNodes(f.ir.nodes, (n: IRNode) => {
    n.args.forEach((a, i) => {
      const c = cls(a);
      if (!c) return;
      if (init && isRef(a) && a.ref === init && !(n.op === 'call_function' && i === 0 && (n.target === 'kiln.getattr' || n.target === 'kiln.setattr'))) drop(c);
      if (n.op === 'assign' || n.op === 'output') return;
      if (n.op !== 'call_function') return drop(c);
      if (VALUE_OPS.has(n.target) && !f.calls.has(n.name)) return;
      if (!f.calls.has(n.name) || f.virtuals?.has(n.name) || f.dispatch.has(n.name)) return drop(c);
      // `C.__init__(obj, ...)`: only on the instance just made.
      if (n.target.endsWith('.__init__') && i === 0 && !(isRef(a) && made.has(a.ref))) drop(c);
    });
  });
}
