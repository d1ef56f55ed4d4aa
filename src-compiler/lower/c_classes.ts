/**
 * The C of compiled classes (types/classes.ts): per class used by a unit, its instance struct, the functions the
 * cycle collector calls (traverse: visit each object a field holds; clear: drop them) and its `kr_type`.
 *
 *   struct kc_geometry_Node { kr_obj ob; uint64_t kc_set; int64_t f_value; struct kc_geometry_Node *f_next; };
 *
 * `kc_set` has a bit per field that may be missing (CPython's AttributeError on a read before any assignment);
 * fields every `__init__` assigns first are never tested. Object fields own a reference (NULL when unassigned or
 * None). A class whose fields hold no objects is untracked and freed at once when its count reaches zero; one whose
 * fields may hold other instances, dicts or sets is tracked by the collector (kiln_object.h), so reference
 * cycles between instances (a doubly linked list, a tree with parent pointers) are freed at the latest when the
 * outermost compiled call returns.
 */
import type { TypedProgram } from '../types/typecheck.ts';
import { classCName, type ClassInfo } from '../types/classes.ts';
import { cType, isObject, isValueInstance, ownsReferences, structFields, type KType } from '../types/types.ts';
import { fieldC } from '../types/ops/classes.ts';
import { dropC, instanceClass } from './ownership.ts';

/** The classes whose instances a type may hold (through tuples, lists, unions, dicts, sets, environments). */
export function instanceClassesIn(t: KType | undefined, out: Set<string>): Set<string> {
  if (!t) return out;
  switch (t.kind) {
    case 'instance': out.add(t.cls); break;
    case 'tuple': t.items.forEach((x) => instanceClassesIn(x, out)); break;
    case 'union': t.members.forEach((x) => instanceClassesIn(x, out)); break;
    case 'list': case 'set': instanceClassesIn(t.item, out); break;
    case 'dict': instanceClassesIn(t.key, out); instanceClassesIn(t.value, out); break;
    case 'func': t.env.forEach((x) => instanceClassesIn(x, out)); break;
    case 'cell': instanceClassesIn(t.item, out); break;
    default: break;
  }
  return out;
}

/** The classes a program's code uses, each with the classes its fields hold. */
export function usedClasses(program: TypedProgram): ClassInfo[] {
  const byName = new Map((program.classes ?? []).map((c) => [c.qualified, c]));
  const used = new Set<string>();
  const walk = (nodes: { type?: KType; regions?: { nodes: unknown[] }[] }[]) => {
    for (const n of nodes) {
      instanceClassesIn(n.type, used);
      for (const r of n.regions ?? []) walk(r.nodes as typeof nodes);
    }
  };
  for (const f of program.functions) {
    for (const t of [...f.paramTypes, f.returnType, ...Object.values(f.varTypes)]) instanceClassesIn(t, used);
    walk(f.ir.nodes);
  }
  for (let grew = true; grew;) {
    grew = false;
    for (const q of [...used]) {
      for (const f of byName.get(q)?.fields ?? []) {
        const before = used.size;
        instanceClassesIn(f.type, used);
        if (used.size > before) grew = true;
      }
    }
  }
  // A class's base (its type object is the base's `base`) and the classes derived from it (a method call on it tests
  // their type objects): base classes first, as their structs' fields are their subclasses' first fields.
  const out: ClassInfo[] = [];
  const add = (c: ClassInfo) => {
    if (out.includes(c)) return;
    if (c.base) add(c.base);
    out.push(c);
  };
  const subtree = (c: ClassInfo): ClassInfo[] => [c, ...c.subclasses.flatMap(subtree)];
  for (const q of used) {
    const c = byName.get(q);
    if (c) subtree(c).forEach(add);
  }
  return out;
}

/** Whether a value of this type may hold an object the collector tracks (an instance, a dict, a set...): not only str. */
const holdsTracked = (t: KType): boolean =>
  isObject(t) ? t.kind !== 'str' && t.kind !== 'bytes' : (structFields(t) ?? []).some(holdsTracked);

function visitC(t: KType, e: string): string[] {
  if (isObject(t)) return [`if (${e}) visit((kr_obj *)${e}, arg);`];
  const fields = structFields(t);
  return fields ? fields.flatMap((x, i) => (ownsReferences(x) ? visitC(x, `${e}.f${i}`) : [])) : [];
}

function clearC(t: KType, e: string): string[] {
  if (isObject(t)) return [`kr_clear_slot((kr_obj **)&${e});`];
  const fields = structFields(t);
  return fields ? fields.flatMap((x, i) => (ownsReferences(x) ? clearC(x, `${e}.f${i}`) : [])) : [];
}

/** `struct kc_X;` for each class: prototypes and tuple structs may name the pointer type before its definition. */
export function classForwardDeclarations(classes: ClassInfo[]): string[] {
  return classes.map((c) => `struct ${classCName(c.qualified)};`);
}

/**
 * Each class's struct, traverse and clear functions, and type object. In a library of several objects (a project's)
 * every object has the structs, and one type object per class is shared (its identity is the class's: isinstance):
 * `types` says which classes this object defines it for (one hidden symbol), the others' are declared.
 */
export function classDefinitions(
  classes: ClassInfo[], types: (c: ClassInfo) => 'static' | 'define' | 'declare' = () => 'static', listFields: ReadonlySet<string> = new Set(),
): string[] {
  // The lists the fields that own theirs hold (opt/listFields.ts): freed with the instance, after its references.
  const listFrees = (c: ClassInfo) => c.fields.filter((f) => f.type?.kind === 'list' && listFields.has(f.name)).map((f) => `kr_list_field_free(s->${fieldC(f)});`);
  const out: string[] = [];
  const byName = new Map(classes.map((c) => [c.qualified, c]));
  const isValue = (c: ClassInfo) => isValueInstance({ kind: 'instance', cls: c.qualified });
  // Value structs (opt/valueStructs.ts) first, each after the value structs it holds (C needs them complete).
  const ordered: ClassInfo[] = [];
  const place = (c: ClassInfo) => {
    if (ordered.includes(c)) return;
    for (const f of c.fields) if (isValueInstance(f.type)) place(byName.get(f.type.cls)!);
    ordered.push(c);
  };
  classes.filter(isValue).forEach(place);
  classes.filter((c) => !isValue(c)).forEach((c) => ordered.push(c));
  for (const c of ordered) {
    const name = classCName(c.qualified);
    const typed = c.fields.filter((f) => f.type && f.type.kind !== 'none');
    out.push(`/* class ${c.name}  (${c.file.replace(/^.*[\\/]/, '')}:${c.span.line}) */`);
    if (isValue(c)) {
      // No header, no count, no missing fields: the numbers themselves (opt/valueStructs.ts).
      out.push(`struct ${name} { ${typed.map((f) => `${cType(f.type!)} ${fieldC(f)};`).join(' ')} };`, '');
      continue;
    }
    const linkage = types(c);
    out.push(`struct ${name} { kr_obj ob; uint64_t kc_set; ${typed.map((f) => `${cType(f.type!)} ${fieldC(f)};`).join(' ')} };`);
    const owning = typed.filter((f) => ownsReferences(f.type));
    const tracked = freeKind(c, byName) !== 'shallow' && owning.some((f) => holdsTracked(f.type!));
    if (linkage === 'declare') {
      out.push(`extern KILN_HIDDEN const kr_type ${name}_type;`, '');
      continue;
    }
    if (owning.length) {
      out.push(
        `static void ${name}_traverse(kr_obj *o, kr_visit_fn visit, void *arg) {`,
        `  struct ${name} *s = (struct ${name} *)o; (void)s; (void)visit; (void)arg;`,
        ...owning.flatMap((f) => visitC(f.type!, `s->${fieldC(f)}`)).map((l) => `  ${l}`),
        '}',
        `static void ${name}_clear(kr_obj *o) {`,
        `  struct ${name} *s = (struct ${name} *)o;`,
        ...owning.flatMap((f) => clearC(f.type!, `s->${fieldC(f)}`)).map((l) => `  ${l}`),
        '}',
      );
    }
    const lists = listFrees(c);
    if (lists.length) out.push(`static void ${name}_finalize(kr_obj *o) { struct ${name} *s = (struct ${name} *)o; ${lists.join(' ')} }`);
    const finalize = lists.length ? `${name}_finalize` : 'NULL';
    const fns = owning.length ? `${name}_traverse, ${name}_clear, ${finalize}` : `NULL, NULL, ${finalize}`;
    const base = c.base ? `&${classCName(c.base.qualified)}_type` : 'NULL';
    out.push(`${linkage === 'define' ? 'KILN_HIDDEN' : 'static'} const kr_type ${name}_type = { ${JSON.stringify(c.name)}, ${base}, ${tracked ? 'KR_TF_GC' : '0'}, sizeof(struct ${name}), ${fns} };`, '');
  }
  // How each class's instances are dropped, leaves first: a shallow class's free drops its leaf fields.
  const order: FreeKind[] = ['leaf', 'shallow', 'general'];
  const byKind = classes.filter((c) => !isValue(c)).sort((a, b) => order.indexOf(freeKind(a, byName)) - order.indexOf(freeKind(b, byName)));
  out.push(...byKind.flatMap((c) => decrefFunction(c, freeKind(c, byName), listFrees(c))), '');
  return out;
}

/**
 * How instances of a class are freed when their count reaches zero. `leaf`: the class holds no references and no
 * class derives from it (a vector of floats); `shallow`: no class derives from it and its references are to str or
 * to leaf instances (a ray of two vectors), so its free drops them without recursion, and no cycle can pass through
 * it (the collector does not track it); `general`: through kr_obj_dealloc, which clears fields without recursion.
 */
type FreeKind = 'leaf' | 'shallow' | 'general';
function freeKind(c: ClassInfo, byName: ReadonlyMap<string, ClassInfo>): FreeKind {
  if (c.subclasses.length) return 'general';
  const owningFields = (k: ClassInfo) => k.fields.filter((f) => f.type && ownsReferences(f.type));
  const owning = owningFields(c);
  if (!owning.length) return 'leaf';
  // A leaf is decided from its own fields: no recursion, so classes that refer to each other end (Node <-> Tree).
  const leafRef = (t: KType) => {
    const d = byName.get(instanceClass(t) ?? '');
    return t.kind === 'str' || t.kind === 'bytes' || (!!d && d !== c && !d.subclasses.length && !owningFields(d).length);
  };
  return owning.every((f) => leafRef(f.type!)) ? 'shallow' : 'general';
}

/**
 * `kc_<Class>_decref`, how generated code drops a reference to an instance of the class (lower/ownership.ts): a leaf
 * or shallow class frees its instances itself, its size and flags constants (kr_obj_release_typed); the others go
 * through kr_obj_dealloc.
 */
function decrefFunction(c: ClassInfo, kind: FreeKind, lists: string[]): string[] {
  const name = classCName(c.qualified);
  if (kind === 'general') return [`static KR_UNUSED inline void ${name}_decref(void *p) { kr_decref_inst(p); }`];
  const drops = [...c.fields.filter((f) => f.type && ownsReferences(f.type)).flatMap((f) => dropC(f.type!, `s->${fieldC(f)}`)), ...lists];
  const body = drops.length ? `struct ${name} *s = (struct ${name} *)o; ${drops.join(' ')} ` : '';
  return [
    `static KR_UNUSED void ${name}_free(kr_obj *o) { ${body}kr_obj_release_typed(o, &${name}_type); }`,
    `static KR_UNUSED inline void ${name}_decref(void *p) { kr_obj *o = (kr_obj *)p; if (o && --o->rc == 0) ${name}_free(o); }`,
  ];
}
