/**
 * Instances of compiled classes (types/classes.ts has the table of classes and their fields; lower/c_classes.ts
 * the C layout): making one, reading and writing a field, identity. Method calls are calls of compiled functions
 * (typecheck turns `obj.m(...)` on an instance into a call of `Class.m`), not ops.
 */
import { T, cType, isNicheOptional, isValueInstance, ownsReferences, typeToString, type KType } from '../types.ts';
import { classCName, classInfo, classTable, type ClassField, type ClassInfo } from '../classes.ts';
import { retainC, dropC } from '../../lower/ownership.ts';
import { canConvertInto, expr, stmts, type OpDomain, type Overload, type Resolved } from './common.ts';
import { FRAME_FIELD } from '../../ir/generators.ts';


/** The instance a value is (or may be: `Node | None`), with its class; undefined for other types. */
function instanceOf(t: KType): { info: ClassInfo; optional: boolean } | undefined {
  const inst = t.kind === 'instance' ? t : t.kind === 'union' && isNicheOptional(t) ? t.members.find((m) => m.kind === 'instance') : undefined;
  const info = inst?.kind === 'instance' ? classInfo(inst.cls) : undefined;
  return info && { info, optional: t.kind === 'union' };
}

const attrError = (cls: string, attr: string) => `'${cls}' object has no attribute '${attr}'`;
const cStr = (s: string) => JSON.stringify(s);

/** C that raises AttributeError for a missing field, tested on the instance's set of assigned fields. */
function fieldTest(o: string, info: ClassInfo, f: ClassField, cx: { raise(kind: string, message: string): string }): string[] {
  if (info.always.has(f.name)) return [];
  // A local of a recursive generator (its field `__kiln_l_x`, ir/generator_frames.ts) read before it is assigned.
  const local = info.generatorFrame && f.name.startsWith(`${FRAME_FIELD}l_`) ? f.name.slice(FRAME_FIELD.length + 2) : undefined;
  const raising = local !== undefined
    ? cx.raise('UnboundLocalError', cStr(`cannot access local variable '${local}' where it is not associated with a value`))
    : cx.raise('AttributeError', cStr(attrError(info.name, f.name)));
  return [`if (KILN_UNLIKELY(!((${o})->kc_set & ((uint64_t)1 << ${f.bit})))) ${raising}`];
}

/** `None.x`: CPython's AttributeError where the optional instance is None. */
function noneTest(o: string, attr: string, optional: boolean, cx: { raise(kind: string, message: string): string }): string[] {
  return optional ? [`if (KILN_UNLIKELY(!(${o}))) ${cx.raise('AttributeError', cStr(attrError('NoneType', attr)))}`] : [];
}

/** An attribute of a recursive generator's object (its frame): CPython's generator has none of the program's. */
const generatorAttr = (gen: string, attr: string) => `'${attr}' of a generator object made by ${gen}(): CPython raises AttributeError: 'generator' object has no attribute '${attr}'`;

function getattr(args: KType[], consts: (import('../../ir/ir.ts').ConstValue | undefined)[]): Resolved | string | undefined {
  const c = consts[1];
  const target = instanceOf(args[0]);
  if (!target || c?.kind !== 'str') return undefined;
  const { info, optional } = target;
  if (info.generatorFrame && !c.value.startsWith(FRAME_FIELD)) return generatorAttr(info.generatorFrame, c.value);
  const f = info.fields.find((x) => x.name === c.value);
  if (info.methods.has(c.value)) return `the method ${info.name}.${c.value} as a value is not compiled yet; call it: obj.${c.value}(...)`;
  if (!f && info.classAttrs.has(c.value)) return `reading the class attribute ${c.value} through an instance is compiled in the class's methods (self.${c.value}); elsewhere write ${info.name}.${c.value}`;
  if (!f && !classTable()?.final) return `no assignment to ${info.name}.${c.value} has been typed yet`;
  if (!f) {
    const msg = attrError(info.name, c.value);
    return {
      result: T.none, argTypes: args, alwaysRaises: `AttributeError: ${msg}`, facts: {},
      lower: stmts((_a, _out, cx) => [cx.raise('AttributeError', cStr(msg))]),
    };
  }
  if (!f.type) return `cannot infer the type of ${info.name}.${f.name} yet: nothing assigned to it has a known type`;
  const ft = f.type;
  return {
    result: ft, argTypes: args,
    lower: stmts((a, out, cx) => [
      ...noneTest(a[0], f.name, optional, cx),
      ...fieldTest(a[0], info, f, cx),
      // A field only ever None has no slot, and the node's value no C variable (the emitter declares none).
      ...(ft.kind === 'none' ? [] : [`${out} = ${fieldOf(args[0], a[0], f)};`]),
      ...(cx.borrowed ? [] : retainC(ft, out)),
    ]),
  };
}

function setattr(args: KType[], consts: (import('../../ir/ir.ts').ConstValue | undefined)[]): Resolved | string | undefined {
  const c = consts[1];
  const target = instanceOf(args[0]);
  if (!target || c?.kind !== 'str') return undefined;
  const { info, optional } = target;
  if (info.generatorFrame && !c.value.startsWith(FRAME_FIELD)) return generatorAttr(info.generatorFrame, c.value);
  const f = info.fields.find((x) => x.name === c.value) ?? classTable()!.addField(info, c.value);
  if (!f) return `assigning the new attribute ${c.value} to a ${info.name} (a class with a base or subclasses) is not compiled yet; assign it in __init__`;
  const learnt = classTable()!.learn(info, f, args[2]);
  if (learnt) return learnt;
  const ft = f.type!;
  // `self.items = []` where the field holds a list[T]: the same C list (its items' size is given by each operation).
  const emptyList = args[2].kind === 'list' && args[2].item.kind === 'none' && ft.kind === 'list';
  if (!emptyList && (args[2].kind === 'dict' || args[2].kind === 'set') && isUnrefinedContainer(args[2])) {
    return `an empty ${args[2].kind} stored in the field ${info.name}.${f.name} is not compiled yet; fill a local ${args[2].kind} first, then store it`;
  }
  // A character stored in a str field becomes a str (as where a str variable is assigned one: lower/ownership.ts materialize).
  if (args[2].kind === 'char' && ft.kind === 'str') {
    return {
      result: T.none, argTypes: [args[0], T.str, args[2]], facts: { writes: [0] },
      lower: stmts((a, _out, cx) => [...noneTest(a[0], f.name, optional, cx),
        `{ kr_str *kc_new = kr_str_from_cp(${a[2]}); if (!kc_new) ${cx.propagate()} kr_str *kc_old = (${a[0]})->${fieldC(f)}; (${a[0]})->${fieldC(f)} = kc_new; kr_decref(kc_old); }`,
        ...(info.always.has(f.name) ? [] : [`(${a[0]})->kc_set |= (uint64_t)1 << ${f.bit};`])]),
    };
  }
  if (!emptyList && !canConvertInto(args[2], ft)) {
    return `${info.name}.${f.name} holds ${typeToString(ft)}, not ${typeToString(args[2])}`;
  }
  return {
    result: T.none, argTypes: [args[0], T.str, emptyList ? args[2] : ft], facts: { writes: [0] },
    lower: stmts((a, _out, cx) => {
      const owns = ownsReferences(ft); // at emission: a value-struct field owns nothing (opt/valueStructs.ts)
      const slot = fieldOf(args[0], a[0], f);
      const mark = info.always.has(f.name) ? [] : [`(${a[0]})->kc_set |= (uint64_t)1 << ${f.bit};`];
      // A field that owns its list (opt/listFields.ts): the list it held is freed once the new one is in.
      if (cx.freesOldList) return [...noneTest(a[0], f.name, optional, cx), `{ kr_list *kc_old = ${slot}; ${slot} = ${a[2]}; kr_list_free(kc_old, 0); }`, ...mark];
      if (!owns) return [...noneTest(a[0], f.name, optional, cx), ...(ft.kind === 'none' ? [] : [`${slot} = ${a[2]};`]), ...mark];
      // The new value is counted (or its reference given: cx.moved) before the old one is dropped (they may be the same object).
      const take = cx.moved ? [] : retainC(ft, a[2]);
      // The old value's reference went to the local that read it (opt/lifetimes.ts takeovers): nothing is dropped.
      if (cx.takenOver) return [...noneTest(a[0], f.name, optional, cx), `{ ${take.join(' ')} ${slot} = ${a[2]}; }`, ...mark];
      return [...noneTest(a[0], f.name, optional, cx), `{ ${cType(ft)} kc_old = ${slot}; ${take.join(' ')} ${slot} = ${a[2]}; ${dropC(ft, 'kc_old').join(' ')} }`, ...mark];
    }),
  };
}

const isUnrefinedContainer = (t: KType) => (t.kind === 'dict' && t.key.kind === 'none') || (t.kind === 'set' && t.item.kind === 'none');

/** The C name of a field (never a C keyword or one of the header's names). */
export const fieldC = (f: ClassField): string => `f_${f.name}`;

/** C: field f of instance `e` (of type t): through the pointer, or of the struct itself for a value struct. */
const fieldOf = (t: KType, e: string, f: ClassField): string => (isValueInstance(t) ? `(${e}).${fieldC(f)}` : `(${e})->${fieldC(f)}`);

function newInstance(_args: KType[], consts: (import('../../ir/ir.ts').ConstValue | undefined)[]): Resolved | string | undefined {
  const c = consts[0];
  if (c?.kind !== 'str') return undefined;
  const info = classInfo(c.value);
  if (!info) return `internal: no class ${c.value}`;
  if (info.problems.length) return `class ${info.name} is not compiled: ${info.problems[0]}`;
  if (info.abstract.length) {
    // CPython 3.11's object.__new__, after the arguments are evaluated and before __init__ runs; the class is never made.
    const msg = `Can't instantiate abstract class ${info.name} with abstract method${info.abstract.length > 1 ? 's' : ''} ${info.abstract.join(', ')}`;
    return {
      result: { kind: 'instance', cls: info.qualified }, argTypes: [T.str], alwaysRaises: `TypeError: ${msg}`, facts: {},
      lower: stmts((_a, _out, cx) => [cx.raise('TypeError', cStr(msg))]),
    };
  }
  if (!info.instantiated) {
    info.instantiated = true;
    classTable()!.version++; // calls dispatched on a base class now include this one
  }
  const t: KType = { kind: 'instance', cls: info.qualified };
  const name = classCName(info.qualified);
  return {
    result: t, argTypes: [T.str],
    lower: stmts((_a, out, cx) => [isValueInstance(t)
      ? `${out} = (${cType(t)}){0}; /* a value struct (opt/valueStructs.ts): its __init__ fills it */`
      : `${out} = (${cType(t)})kr_obj_new_fixed(&${name}_type); if (!${out}) ${cx.propagate()}`]),
  };
}

/** `a is b`, `a is not b`, `a == b` and `a != b` on instances without __eq__: identity, as object's defaults. */
const identity = (target: string, negate: boolean): Overload => ({
  target, signatures: [`(${target.includes('is') ? 'instance' : 'instance without __eq__'}, instance) -> bool`],
  resolve(args) {
    if (args.length !== 2 || !args.every((t) => instanceOf(t) || t.kind === 'none')) return undefined;
    if (!args.some((t) => instanceOf(t))) return undefined;
    if (target.endsWith('eq') || target.endsWith('ne')) {
      if (args.some((t) => instanceOf(t)?.info.methods.has('__eq__'))) return undefined;
    }
    const [x, y] = args.map((t) => (t.kind === 'none' ? 'NULL' : undefined));
    return {
      result: T.bool, argTypes: args,
      lower: stmts((a, out) => [`${out} = ((void *)(${x ?? a[0]}) ${negate ? '!=' : '=='} (void *)(${y ?? a[1]}));`]),
    };
  },
});

/** `isinstance(x, C)` for an instance x and classes of the module: a walk up x's kr_type's bases (kr_is_subtype). */
const isinstance: Overload = {
  target: 'builtins.isinstance', signatures: ['isinstance(instance, Class or a tuple of classes) -> bool'],
  resolve(args, consts) {
    const t = instanceOf(args[0]);
    const names = consts.slice(1).map((c) => (c?.kind === 'class' ? c.name : undefined));
    if (!t || names.some((n) => !n)) return undefined;
    const table = classTable();
    const targets = names.map((n) => table?.get(n!));
    if (targets.some((c) => !c)) return undefined; // int, float...: never an instance of a compiled class
    const gen = targets.find((c) => c!.generatorFrame);
    if (gen) return `isinstance(x, ${gen.generatorFrame}): ${gen.generatorFrame} is a generator function, not a class (CPython raises TypeError: isinstance() arg 2 must be a type, a tuple of types, or a union)`;
    const known = targets.filter((c) => table!.isSubclass(t.info, c!)); // always true for the static class
    const tests = targets.filter((c) => !known.includes(c) && table!.isSubclass(c!, t.info));
    return {
      result: T.bool, argTypes: [args[0], ...args.slice(1)],
      lower: stmts((a, out) => {
        const obj = `((kr_obj *)(${a[0]}))`;
        const yes = known.length ? '1' : tests.length ? tests.map((c) => `kr_is_subtype(${obj}->type, &${classCName(c!.qualified)}_type)`).join(' || ') : '0';
        return [`${out} = ${t.optional ? `(${a[0]}) != NULL && ` : ''}(${yes});`];
      }),
    };
  },
};

/** `x, y = p` of a NamedTuple: its number of fields, as a tuple's length (then `p[0]`, `p[1]` read the fields). */
const unpackNamedTuple: Overload = {
  target: 'kiln.check_unpack', signatures: ['NamedTuple of n fields into n names'],
  resolve(args, consts) {
    const fields = instanceOf(args[0])?.info.namedtuple;
    const c = consts[1];
    if (!fields || args[0].kind !== 'instance' || c?.kind !== 'int') return undefined;
    const n = Number(c.value);
    if (fields.length > n) return `ValueError: too many values to unpack (expected ${n})`;
    if (fields.length < n) return `ValueError: not enough values to unpack (expected ${n}, got ${fields.length})`;
    return { result: T.none, argTypes: [args[0], T.int], lower: { kind: 'none' } };
  },
};

export const classes: OpDomain = {
  name: 'classes',
  title: 'Classes',
  ops: [
    {
      target: 'kiln.new_instance', python: 'Class(...)', signatures: ['(class) -> instance'],
      notes: 'a new instance of a module-level class, then its __init__ (a direct call)',
      resolve: newInstance,
    },
    {
      target: 'kiln.getattr', python: 'obj.x', signatures: ['(instance, name) -> field type', '(instance | None, name) -> field type'],
      notes: "a field of an instance; CPython's AttributeError where the field was never assigned or the object is None",
      facts: { takesUnions: true },
      resolve: getattr,
    },
    {
      target: 'kiln.setattr', python: 'obj.x = v', signatures: ['(instance, name, value) -> None'],
      notes: 'the field types are learnt from every assignment in every method (or fixed by a class-level annotation)',
      facts: { takesUnions: true },
      resolve: setattr,
    },
    {
      target: 'kiln.hash_result', python: 'hash(obj)', signatures: ['(int) -> int'],
      notes: "hash() of an instance: its __hash__'s int as it is, -1 made -2 (CPython's slot wrapper)",
      resolve: (args) => (args.length === 1 && args[0].kind === 'scalar' && (args[0].name === 'int' || args[0].name === 'bool')
        ? { result: T.int, argTypes: [T.int], lower: expr((a) => `((${a[0]}) == -1 ? INT64_C(-2) : (int64_t)(${a[0]}))`) }
        : 'TypeError: __hash__ method should return an integer'),
    },
  ],
  overloads: [identity('_operator.is_', false), identity('_operator.is_not', true), identity('_operator.eq', false), identity('_operator.ne', true), isinstance, unpackNamedTuple],
};

export { instanceOf };
