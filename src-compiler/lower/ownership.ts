/**
 * How generated C holds a value that owns references (opt/lifetimes.ts decides where; this module says how):
 * taking a reference, dropping one, the empty value of a slot. One place per idea, so a new object type (dict,
 * instance, closure cell) is one case here and one in types.ts's isObject. A tuple and a closure's environment are
 * structs whose fields own their references.
 */
import { isNicheOptional, isObject, ownsReferences, structFields, type KType } from '../types/types.ts';
import { classCName } from '../types/classes.ts';

/** The class of an instance, or of an instance or None (its pointer, NULL for None). */
export const instanceClass = (t: KType): string | undefined => {
  const inst = t.kind === 'union' && isNicheOptional(t) ? t.members.find((m) => m.kind === 'instance') : t;
  return inst?.kind === 'instance' ? inst.cls : undefined;
};
// An instance is never immortal (so counted without the sign test), and its class says how it is freed (c_classes.ts).
// A value typed as an instance (not `| None`) is never NULL where it is counted: no test of the pointer either.
const incref = (t: KType, e: string) => (t.kind === 'instance' ? `kr_incref_some(${e});` : instanceClass(t) ? `kr_incref_inst(${e});` : `kr_incref(${e});`);
const decref = (t: KType, e: string) => {
  const cls = instanceClass(t);
  return cls ? `${classCName(cls)}_decref(${e});` : `kr_decref(${e});`;
};

/** The value of an empty slot of this type (every owned slot starts empty, so cleanup may drop it any time). */
export function emptyC(t: KType): string {
  if (isObject(t)) return 'NULL';
  if (structFields(t)) return '{0}';
  return '0';
}

/** Statements that take one more reference to each object `e` holds. */
export function retainC(t: KType, e: string): string[] {
  if (isObject(t)) return [incref(t, e)];
  const fields = structFields(t);
  if (fields) return fields.flatMap((it, i) => (ownsReferences(it) ? retainC(it, `${e}.f${i}`) : []));
  return [];
}

/** Statements that drop the references `e` holds and leave it empty (so dropping it again is harmless). */
export function releaseC(t: KType, e: string): string[] {
  if (isObject(t)) return [`${decref(t, e)} ${e} = NULL;`];
  const fields = structFields(t);
  if (fields) return fields.flatMap((it, i) => (ownsReferences(it) ? releaseC(it, `${e}.f${i}`) : []));
  return [];
}

/** Statements that drop the references `e` holds without emptying it (the value is not read again). */
export function dropC(t: KType, e: string): string[] {
  if (isObject(t)) return [decref(t, e)];
  const fields = structFields(t);
  if (fields) return fields.flatMap((it, i) => (ownsReferences(it) ? dropC(it, `${e}.f${i}`) : []));
  return [];
}

/** Statements that empty a slot whose references were taken over by another (a move): nothing is dropped. */
export function forgetC(t: KType, e: string): string[] {
  if (isObject(t)) return [`${e} = NULL;`];
  const fields = structFields(t);
  if (fields) return fields.flatMap((it, i) => (ownsReferences(it) ? forgetC(it, `${e}.f${i}`) : []));
  return [];
}

/** Statements that free a list the function owns alone (opt/listFrees.ts), to `depth`, and empty its slot. */
export const listFreeC = (e: string, depth: number): string[] => [`kr_list_free(${e}, ${depth}); ${e} = NULL;`];

/**
 * A value of type `from` made into the type `to` it is stored as, when that is not the same C value: a character
 * (a code point) that becomes a str where it escapes. A fallible C expression (0 or -1) that writes a NEW reference
 * into `out`, or undefined when no conversion is needed.
 */
export function materialize(e: string, from: KType, to: KType, out: string): string | undefined {
  if (from.kind === 'char' && to.kind === 'str') return `((${out} = kr_str_from_cp(${e})) ? 0 : -1)`;
  // None stored as a `str | None` (an object or None): the null pointer.
  if (from.kind === 'none' && isObject(to)) return `((${out} = NULL), 0)`;
  return undefined;
}

