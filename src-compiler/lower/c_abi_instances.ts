/**
 * Instances of compiled classes across the C ABI (docs/design/abi-values.md "Instances: opaque handles"). A class an
 * exported function takes or returns (or whose instances such a class's fields hold) gets a handle type and an API:
 *
 *   typedef struct kiln_Vec kiln_Vec;                            // the instance itself (its kr_obj), opaque
 *   int kiln_Vec_new(double x, double y, kiln_Vec **out);        // every field, in the class's order
 *   int kiln_Vec_get_x(const kiln_Vec *self, double *out);       // AttributeError where the field is unset
 *   int kiln_Vec_set_x(kiln_Vec *self, double value);            // not for frozen dataclasses and NamedTuples
 *   void kiln_Vec_free(kiln_Vec *self);                          // drops the caller's reference
 *
 * A handle the library gives (a result, kiln_Vec_new, a getter of an instance field) is a NEW reference the caller
 * releases with kiln_Vec_free; a handle passed as a parameter is borrowed for the call (the function may keep it in
 * an object it returns: that object then holds its own reference). NULL is None where the type allows None.
 * Instances outlive calls, so a class crosses only when nothing its instances can hold lives in a call's heap
 * (lists and arrays do, until they become objects: docs/design/object-model.md); numbers, str, other instances,
 * dicts and sets do not. Fields of other types (a dict, a tuple) have no accessor; the class still crosses.
 */
import { classCName, type ClassInfo, type ClassField } from '../types/classes.ts';
import { SCALARS, cType, sameType, typeToString, type KType } from '../types/types.ts';
import { towerLetter } from '../types/tower.ts';
import { fieldC } from '../types/ops/classes.ts';
import { cIdent, handleName, instanceClassOf, type ExportedFunction, type HandleApi } from './abi.ts';
import { FRAME_ITEM, FRAME_RETURN, FRAME_SEND, FRAME_SENT, FRAME_STEP } from '../ir/generators.ts';

/** The value kinds a field's accessors pass: a number, a str, a handle. undefined: the field has no accessor. */
function accessorKind(t: KType | undefined, optional = false): 'scalar' | 'str' | 'handle' | undefined {
  if (!t) return undefined;
  // A number, or a union of numbers (`int | float`: a field given ints by one call and floats by another), by value;
  // `optional`: one that may be None too (a tagged union whose tag says None, as a function's `int | None` result).
  if ((t.kind === 'scalar' && SCALARS[t.name]) || (t.kind === 'union' && t.members.every((m) => m.kind === 'scalar' || (optional && m.kind === 'none')))) return 'scalar';
  if (t.kind === 'str') return 'str';
  if (instanceClassOf(t)) return 'handle';
  return undefined;
}

/** Types whose values live outside a call's heap (objects and plain values): an instance holding only these may outlive a call. */
function outlivesCalls(t: KType): boolean {
  switch (t.kind) {
    case 'scalar': case 'str': case 'char': case 'range': case 'bytes': case 'none': case 'complex': case 'enum': case 'instance': return true;
    case 'tuple': return t.items.every(outlivesCalls);
    case 'union': return t.members.every(outlivesCalls);
    case 'dict': return outlivesCalls(t.key) && outlivesCalls(t.value);
    case 'set': return outlivesCalls(t.item);
    default: return false;
  }
}

/**
 * Why instances of this class (and of the classes its fields and subclasses reach) cannot cross the C ABI, if they
 * cannot. `classOf` is the program's table of classes.
 */
export function handleProblem(cls: string, classOf: (q: string) => ClassInfo | undefined, result = false): string | undefined {
  const seen = new Set<string>();
  const visit = (q: string): string | undefined => {
    if (seen.has(q)) return undefined;
    seen.add(q);
    const info = classOf(q);
    if (!info) return `the class ${q} is not compiled`;
    if (info.problems.length) return `class ${info.name} is not compiled: ${info.problems[0]}`;
    // A generator's frames (ir/generator_frames.ts) cross as an exported function's result only: an iterator.
    if (info.generatorFrame && !(result && classOf(cls)?.generatorFrame)) return `${info.generatorFrame}(...) is a generator (its frames: ir/generator_frames.ts); a generator crosses as an exported function's result only`;
    for (const f of info.fields) {
      if (!f.type) continue;
      const holder = !info.generatorFrame ? `its field ${info.name}.${f.name}`
        : f.name.startsWith('__kiln_l_') ? `the generator ${info.generatorFrame}'s local ${f.name.slice('__kiln_l_'.length)}`
          : `a value the generator ${info.generatorFrame} keeps across a yield (a for loop's sequence)`;
      if (!outlivesCalls(f.type)) return `${holder} holds ${typeToString(f.type)}, which lives only during a call (lists and arrays are not objects yet); an instance handed to the caller outlives the call`;
      for (const m of instanceClassesOf(f.type)) { const bad = visit(m); if (bad) return bad; }
    }
    for (const s of info.subclasses) { const bad = visit(s.qualified); if (bad) return bad; }
    return undefined;
  };
  return visit(cls);
}

const instanceClassesOf = (t: KType): string[] => {
  if (t.kind === 'instance') return [t.cls];
  if (t.kind === 'tuple') return t.items.flatMap(instanceClassesOf);
  if (t.kind === 'union') return t.members.flatMap(instanceClassesOf);
  if (t.kind === 'dict') return [...instanceClassesOf(t.key), ...instanceClassesOf(t.value)];
  if (t.kind === 'set') return instanceClassesOf(t.item);
  return [];
};

/**
 * The classes that get a handle API: those the exports' signatures name (and `more`: exception classes with fields
 * whose instances an error carries out), and those the accessors of their fields pass.
 */
export function handleClasses(exports: ExportedFunction[], classOf: (q: string) => ClassInfo | undefined, more: string[] = []): ClassInfo[] {
  const out: ClassInfo[] = [];
  const add = (q: string | undefined) => {
    const info = q ? classOf(q) : undefined;
    if (!info || out.includes(info)) return;
    out.push(info);
    for (const f of handleShape(info).fields) if (accessorKind(f.type) === 'handle') add(instanceClassOf(f.type!));
  };
  for (const e of exports) for (const t of [...e.params.map((p) => p.type), e.returnType]) add(instanceClassOf(t));
  more.forEach(add);
  return out;
}

/**
 * A field's kind of accessor. The value of a generator's `return v` (its frames' `__kiln_ret`, only read) may be None
 * on some path (`return` alone, the end of its body): its getter writes the tagged union, None included.
 */
const fieldKind = (f: ClassField) => accessorKind(f.type, f.name === FRAME_RETURN);

/** One field's accessors: the C type a getter writes, and the parameters a setter or the constructor takes. */
function fieldAbi(f: ClassField): { out: string; params: (name: string) => string[] } | undefined {
  const kind = fieldKind(f);
  if (kind === 'scalar') return { out: cType(f.type!), params: (n) => [`${cType(f.type!)} ${n}`] };
  if (kind === 'str') return { out: 'kiln_str', params: (n) => [`const char *${n}`, `int64_t ${n}_len`] };
  if (kind === 'handle') { const h = handleName(instanceClassOf(f.type!)!); return { out: `${h} *`, params: (n) => [`${h} *${n}`] }; }
  return undefined;
}

/** The fields with accessors, and whether the class has a constructor (every typed field has one). */
function handleShape(info: ClassInfo) {
  // A generator's frames: the item its step made (read after kiln_<frame>__next), then the value of its `return v`
  // (read at its end) when that has an accessor; nothing else, and no constructor.
  if (info.generatorFrame) {
    const item = info.fields.find((f) => f.name === FRAME_ITEM && fieldAbi(f));
    const ret = info.fields.find((f) => f.name === FRAME_RETURN && fieldAbi(f));
    return { fields: item ? [item, ...(ret ? [ret] : [])] : [], constructible: false, settable: false };
  }
  const typed = info.fields.filter((f) => f.type && f.type.kind !== 'none');
  const fields = typed.filter((f) => fieldAbi(f));
  return { fields, constructible: fields.length === typed.length, settable: !info.frozen && !info.namedtuple };
}

const getProto = (info: ClassInfo, f: ClassField) => {
  const out = fieldAbi(f)!.out;
  return `int ${handleName(info.qualified)}_get_${f.name}(const ${handleName(info.qualified)} *self, ${out}${out.endsWith('*') ? '' : ' '}*out)`;
};
const setProto = (info: ClassInfo, f: ClassField) => `int ${handleName(info.qualified)}_set_${f.name}(${handleName(info.qualified)} *self, ${fieldAbi(f)!.params('value').join(', ')})`;
const newProto = (info: ClassInfo) => {
  const params = handleShape(info).fields.flatMap((f) => fieldAbi(f)!.params(cIdent(f.name)));
  return `int ${handleName(info.qualified)}_new(${[...params, `${handleName(info.qualified)} **out`].join(', ')})`;
};
const freeProto = (info: ClassInfo) => `void ${handleName(info.qualified)}_free(${handleName(info.qualified)} *self)`;

/** A type a method's parameter or result may have to be exported: an int, float or bool (or their union), a str, an instance of `classes`. */
function methodTypeCrosses(t: KType, classes: Set<string>, result: boolean): boolean {
  if (result && t.kind === 'none') return true;
  const cls = instanceClassOf(t);
  if (cls) return classes.has(cls);
  if (t.kind === 'str') return true;
  const members = t.kind === 'union' ? t.members : [t];
  return members.every((m) => (m.kind === 'scalar' && TAGGED_SCALARS.has(m.name)) || (t.kind === 'union' && m.kind === 'none'));
}

/**
 * The methods of the classes that cross that are exported too (`kiln_Vec__dot`): for each plain method (no _private,
 * property, static or class method), the specialisations compiled code made of it with self of this class, with
 * every parameter given (no defaults taken), and parameters and result of types that cross. A method compiled code
 * never calls is not compiled, so it is not exported. Several specialisations (`v.scaled(2)` and `v.scaled(0.5)`)
 * are exported when they differ only in number parameters (int, float, bool): each with its code (`kiln_Vec__scaled__i`,
 * `__f`, one letter per such parameter, types/tower.ts's letters) and `at`, those parameters' indices (self is 0),
 * which the packages dispatch on as they do for functions' specialisations. Otherwise none is.
 */
export function methodSpecs<F extends MethodCandidate>(
  classes: ClassInfo[], functions: F[],
): { info: ClassInfo; method: string; f: F; code?: string; at?: number[] }[] {
  const crossing = new Set(classes.map((c) => c.qualified));
  return classes.flatMap((info) => [...info.methods].flatMap(([method, q]) => {
    if (info.generatorFrame) {
      // A generator's frames: its step, exported as kiln_<frame>__next(self, bool *out) (true: it made an item).
      // With x = yield v, the value a caller sends (Generator[Y, S, R]): kiln_<frame>__send(self, S value, bool *out).
      const exported = method === FRAME_STEP ? 'next' : method === FRAME_SEND ? 'send' : undefined;
      const f = exported ? functions.find((g) => g.ir.qualifiedName === q && g.paramTypes[0]?.kind === 'instance' && g.paramTypes[0].cls === info.qualified) : undefined;
      return f && exported && (exported === 'next' || methodTypeCrosses(f.paramTypes[1], crossing, false)) ? [{ info, method: exported, f }] : [];
    }
    if (method.startsWith('_') || method.endsWith('__setter') || info.properties.has(method) || info.unbound.has(method)) return [];
    const specs = functions.filter((f) => f.ir.qualifiedName === q && f.paramTypes[0]?.kind === 'instance' && f.paramTypes[0].cls === info.qualified);
    const ok = specs.length > 0 && specs.every((f) => f.ir.params.length === f.paramTypes.length && !f.key.includes(' with defaults')
      && f.paramTypes.slice(1).every((t) => methodTypeCrosses(t, crossing, false)) && methodTypeCrosses(f.returnType, crossing, true));
    if (!ok) return [];
    if (specs.length === 1) return [{ info, method, f: specs[0] }];
    const at = specs[0].paramTypes.flatMap((_t, i) => (specs.some((f) => !sameType(f.paramTypes[i], specs[0].paramTypes[i])) ? [i] : []));
    const letter = (t: KType) => (t.kind === 'scalar' && TAGGED_SCALARS.has(t.name) ? towerLetter(t) : undefined);
    if (!at.length || !at.every((i) => specs.every((f) => letter(f.paramTypes[i])))) return [];
    const codes = specs.map((f) => at.map((i) => letter(f.paramTypes[i])).join(''));
    if (new Set(codes).size !== codes.length) return [];
    return specs.map((f, k) => ({ info, method, f, code: codes[k], at }));
  }));
}

/** What methodSpecs reads of a typed function (types/typecheck.ts's TypedFunction; not imported: typecheck imports this module). */
interface MethodCandidate {
  ir: { qualifiedName: string; params: readonly unknown[] };
  paramTypes: KType[];
  returnType: KType;
  key: string;
}

/** The API of one class's handle as the studio's C ABI panel shows it: each prototype with what it does. */
export function handleApi(info: ClassInfo, methods: HandleApi['methods'] = []): HandleApi {
  const { fields, constructible, settable } = handleShape(info);
  const functions: { prototype: string; note: string }[] = [];
  if (constructible) functions.push({ prototype: newProto(info), note: `a new ${info.name} with these fields (as __init__ would leave them; __init__ itself does not run): *out is a NEW handle` });
  for (const f of fields) {
    const kind = fieldKind(f);
    functions.push({
      prototype: getProto(info, f),
      note: `reads ${f.name} (${typeToString(f.type!)})${kind === 'str' ? ': out->data is a NEW UTF-8 buffer, kiln_free it' : kind === 'handle' ? ': *out is a NEW handle (NULL for None), kiln_..._free it' : ''}; AttributeError when it was never assigned`,
    });
    if (settable) functions.push({ prototype: setProto(info, f), note: `assigns ${f.name}${kind === 'handle' ? ' (the object keeps its own reference; NULL is None where the field may be None)' : ''}` });
  }
  for (const m of methods) functions.push({ prototype: m.prototype, note: `${info.name}.${m.name}, the compiled method: self is borrowed; returns 0 or the exception kind, as functions do` });
  functions.push({ prototype: freeProto(info), note: 'drops the caller\'s reference: the instance is freed when nothing else holds it (cycles: at the next call\'s return or kiln_release_memory)' });
  const noAccessor = info.generatorFrame ? [] : info.fields.filter((f) => f.type && f.type.kind !== 'none' && !fieldAbi(f)).map((f) => `${f.name}: ${typeToString(f.type!)}`);
  if (info.generatorFrame) {
    const item = fields[0];
    return {
      handle: handleName(info.qualified), python: info.name, module: info.module, qualified: info.qualified, functions, noAccessor, frozen: true,
      fields: fields.map((f) => ({ name: f.name, type: f.type! })), ...(methods.length ? { methods } : {}),
      generator: {
        name: info.generatorFrame, ...(item ? { item: item.type! } : {}), ...(fields[1] ? { returns: fields[1].type! } : {}),
        ...(info.fields.some((f) => f.name === FRAME_SENT) ? { receives: true } : {}),
      },
      ...(item ? {} : { transportProblem: `the items of ${info.generatorFrame}(...) have no accessor` }),
    };
  }
  return {
    handle: handleName(info.qualified), python: info.name, module: info.module, qualified: info.qualified, functions, noAccessor,
    fields: fields.map((f) => ({ name: f.name, type: f.type! })), transportProblem: transportProblem(info, noAccessor),
    frozen: !settable, ...(info.dataclass ? { dataclass: info.dataclass } : {}), ...(methods.length ? { methods } : {}),
  };
}

/** A number type the transports tag field by field (run/values.ts `FIELD_TAGS`): int, float, bool. */
const TAGGED_SCALARS = new Set(['int', 'float', 'bool']);

/**
 * Why `kiln verify` and the Python package cannot carry this class's instances as their fields (read through the
 * getters, made through kiln_<Class>_new), if they cannot.
 */
function transportProblem(info: ClassInfo, noAccessor: string[]): string | undefined {
  if (info.namedtuple) return 'a NamedTuple is a tuple to CPython; its handle is not carried as one yet';
  if (info.subclasses.length) return `it has subclasses (${info.subclasses.map((s) => s.name).join(', ')}); a handle is read as its declared class only, so a derived instance would lose its fields`;
  if (noAccessor.length) return `its fields ${noAccessor.join(', ')} have no accessor`;
  const none = info.fields.find((f) => f.type?.kind === 'none');
  if (none) return `its field ${none.name} only ever holds None (no accessor)`;
  const odd = info.fields.find((f) => f.type && accessorKind(f.type) === 'scalar'
    && !(f.type.kind === 'scalar' ? [f.type] : (f.type as KType & { kind: 'union' }).members).every((m) => m.kind === 'scalar' && TAGGED_SCALARS.has(m.name)));
  return odd ? `its field ${odd.name} holds ${typeToString(odd.type!)} (only int, float and bool fields are carried)` : undefined;
}

/** The header's comment, handle types and prototypes of the classes that cross. */
export function instanceAbiHeaderLines(classes: ClassInfo[]): string[] {
  if (!classes.length) return [];
  return [
    '/*',
    ' * Class instances cross as opaque handles (kiln_<Class> *). A handle the library gives (a result, kiln_<Class>_new,',
    ' * a getter of an instance field) is a NEW reference: release it with kiln_<Class>_free. A handle passed as a',
    ' * parameter is borrowed for the call; the function sees and changes the caller\'s instance (Python\'s reference',
    ' * semantics). NULL is None where the type allows None; elsewhere it fails with TypeError. Getters and setters',
    ' * return 0 or the exception kind, as functions do (a field never assigned: AttributeError). The constructor',
    ' * sets every field (it does not run __init__); it exists when every field has an accessor. A method compiled code',
    ' * calls is exported as kiln_<Class>__<method>(self, ...): self is borrowed, as any handle. One it calls with',
    ' * several kinds of numbers is exported once per kind: kiln_<Class>__<method>__<code> (i int, f float, b bool per',
    ' * parameter whose type differs).',
    ' */',
    // Every handle type first: an accessor of one class may pass another's.
    ...classes.map((c) => `typedef struct ${handleName(c.qualified)} ${handleName(c.qualified)};`),
    ...classes.flatMap((c) => {
      const api = handleApi(c);
      return [
        `/* class ${c.name}  (${c.file.replace(/^.*[\\/]/, '')}:${c.span.line})${api.noAccessor.length ? `; fields without accessors: ${api.noAccessor.join(', ')}` : ''} */`,
        ...api.functions.map((f) => `${f.prototype};`),
      ];
    }),
    '',
  ];
}

/** The C raising TypeError for a NULL handle where None is not allowed (`what`: the message). */
const nullCheck = (v: string, what: string, optional: boolean): string[] => (optional ? [] : [`  if (!${v}) return kr_raise(KILN_TypeError, ${JSON.stringify(what)}), KILN_TypeError;`]);

/** The C that stores a value given through the ABI (`v`, its parameters) into field `f` of `o`; sets rc on failure. */
function storeField(info: ClassInfo, f: ClassField, o: string, v: string, replace: boolean): string[] {
  const kind = accessorKind(f.type)!;
  const slot = `${o}->${fieldC(f)}`;
  if (kind === 'scalar') return [`  ${slot} = ${v};`];
  if (kind === 'str') {
    return [`  { kr_str *ks = kr_str_from_c(${v}, ${v}_len); if (!ks) rc = kr_err.kind; else { ${replace ? `kr_decref(${slot}); ` : ''}${slot} = ks; } }`];
  }
  const t = f.type!;
  const optional = t.kind === 'union';
  return [
    ...(optional ? [] : [`  if (!${v}) rc = (kr_raise(KILN_TypeError, ${JSON.stringify(`${info.name}.${f.name} holds ${typeToString(t)}, not None`)}), KILN_TypeError);`]),
    `  ${optional ? '' : `if (${v}) `}{ ${replace ? `kr_assign((kr_obj **)&${slot}, (kr_obj *)${v});` : `kr_incref(${v}); ${slot} = (${cType(t)})${v};`} }`,
  ];
}

/** The definitions of the handle APIs (after the classes' structs, in the object that defines each class's type). */
export function instanceAbiDefinitions(classes: ClassInfo[]): string[] {
  const out: string[] = [];
  for (const info of classes) {
    const { fields, constructible, settable } = handleShape(info);
    const s = `struct ${classCName(info.qualified)}`;
    const h = handleName(info.qualified);
    if (constructible) {
      const all = info.fields.reduce((m, f) => m | (1n << BigInt(f.bit)), 0n);
      out.push(`KILN_EXPORT ${newProto(info)} {`, '  int rc = 0;', '  kr_call_enter();',
        `  ${s} *o = (${s} *)kr_obj_new_fixed(&${classCName(info.qualified)}_type);`, '  if (!o) rc = kr_err.kind;', '  else {');
      for (const f of fields) out.push(...storeField(info, f, 'o', cIdent(f.name), false).map((l) => `  ${l}`));
      out.push(`    o->kc_set = UINT64_C(0x${all.toString(16)});`, '  }', `  if (rc) kr_decref(o); else *out = (${h} *)o;`, '  kr_call_exit();', '  return rc;', '}');
    }
    for (const f of fields) {
      const kind = fieldKind(f)!;
      const test = info.always.has(f.name) ? [] : [`  if (!(o->kc_set & ((uint64_t)1 << ${f.bit}))) return kr_raise(KILN_AttributeError, ${JSON.stringify(`'${info.name}' object has no attribute '${f.name}'`)}), KILN_AttributeError;`];
      const read = kind === 'scalar' ? ['  *out = o->' + fieldC(f) + ';', '  return 0;']
        : kind === 'str' ? [`  return kr_str_to_c(o->${fieldC(f)}, &out->data, &out->len) ? kr_err.kind : 0;`]
          : [`  kr_incref(o->${fieldC(f)});`, `  *out = (${fieldAbi(f)!.out})o->${fieldC(f)};`, '  return 0;'];
      out.push(`KILN_EXPORT ${getProto(info, f)} {`, `  const ${s} *o = (const ${s} *)self;`, ...nullCheck('o', `'NoneType' object has no attribute '${f.name}'`, false), ...test, ...read, '}');
      if (!settable) continue;
      out.push(`KILN_EXPORT ${setProto(info, f)} {`, '  int rc = 0;', `  ${s} *o = (${s} *)self;`, ...nullCheck('o', `'NoneType' object has no attribute '${f.name}'`, false), '  kr_call_enter();',
        ...storeField(info, f, 'o', 'value', true), ...(info.always.has(f.name) ? [] : [`  if (!rc) o->kc_set |= (uint64_t)1 << ${f.bit};`]), '  kr_call_exit();', '  return rc;', '}');
    }
    out.push(`KILN_EXPORT ${freeProto(info)} {`, '  kr_call_enter();', '  kr_decref(self);', '  kr_call_exit();', '}', '');
  }
  return out;
}
