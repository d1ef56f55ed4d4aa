/**
 * Python dicts and sets (`kr_dict *` / `kr_set *`, resources/c/kiln_dict.h; docs/design/dicts.md): literals,
 * comprehensions, `set()`, indexing, `in`, `len`, `del d[k]`, the methods, and the state of a `for` loop over one.
 *
 * Keys (and set items) are int, float, bool or str; values are numbers, str, lists, dicts, sets or NumPy arrays. Each (key, value) pair of
 * C types is one instantiation of the runtime's KR_DICT_DEFINE / KR_SET_DEFINE (lower/dicts.ts declares them),
 * named after its kinds: `kd_str_i64` is dict[str, int], `ks_i64` set[int]. Lookups convert the key as Python
 * compares it (an int finds a float key, True finds 1); whatever stores a key or a value takes the container's
 * exact types, because CPython keeps the object it was given (`d[1] = 0` in a dict of float keys keeps the int 1).
 */
import type { ConstValue } from '../../ir/ir.ts';
import { T, cType, escaped, isNicheOptional, ownsReferences, typeToString, unionBox, unionMembers, unionOf, type KType } from '../types.ts';
import { itemRefsC, retainItem, seqItem, seqLen } from './common_arrays.ts';
import { dispatchOverMembers } from './common_unions.ts';
import { expr, isNone, pyName, stmts, truthExpr, type OpDef, type OpDomain, type OpLookup, type Overload, type Resolved } from './common.ts';
import { classCName, classInfo, hashRule } from '../classes.ts';

type Res = Resolved | string;
type Dict = KType & { kind: 'dict' };
type SetT = KType & { kind: 'set' };

/** The runtime kind of a key or value type (kiln_dict.h's kr_kind_<name>), or undefined when it cannot be one. */
export function containerKind(t: KType, as: 'key' | 'value'): string | undefined {
  if (t.kind === 'scalar' && t.name === 'int') return 'i64';
  if (t.kind === 'scalar' && t.name === 'float') return 'f64';
  if (t.kind === 'scalar' && t.name === 'bool') return 'bool';
  if (t.kind === 'str') return 'str';
  // An instance of a compiled class: a kind per class, hashed and compared by its __hash__ and __eq__ (or by
  // identity), lower/dicts.ts instanceKindDecl; an enum member: a kind per enum (its index, hashed as CPython's).
  if (t.kind === 'instance') return `o_${classCName(t.cls)}`;
  if (t.kind === 'enum') return `e_${classCName(t.cls)}`;
  // A tuple of a run-time length of numbers or str (`dict[tuple[int, ...], int]`, `tuple(sorted(xs)) in seen`): its
  // list, hashed and compared as CPython's tuples (lower/dicts.ts vtupleKindDecl), a kind per item kind.
  if (t.kind === 'list' && t.tuple && ((t.item.kind === 'scalar' && ['int', 'float', 'bool'].includes(t.item.name)) || t.item.kind === 'str')) return `V${containerKind(t.item, 'key')}E`;
  if (as === 'value' && t.kind === 'list' && t.item.kind !== 'none') return 'lst';
  // A complex value (`dict[str, complex]`): the kr_complex struct by value (lower/dicts.ts complexKindDecl). Not a key
  // or a set item: CPython's hash of a complex (and so a set's order) is not compiled.
  if (as === 'value' && t.kind === 'complex') return 'c128';
  // A NumPy array value (`dict[str, NDArray]`, the weights of a model): the view struct by value, a kind per dtype
  // and number of dimensions (lower/dicts.ts arrayKindDecl); its buffer is the call's, as a list value's is.
  if (as === 'value' && t.kind === 'array') return `a${t.ndim}${t.dtype}`;
  // A dict or set value (`dict[str, dict[str, int]]`, `dict[int, set[int]]`): a kind per inner instantiation.
  if (as === 'value' && (t.kind === 'dict' || t.kind === 'set') && !isUnrefined(t) && containerKindsKnown(t)) return `v_${containerName(t)}`;
  // A frozenset key or set item (`set[frozenset[int]]`, `dict[frozenset[str], int]`): hashed as CPython hashes a
  // frozenset (kiln_dict.h KR_KIND_FROZENSET), a kind per inner instantiation.
  if (t.kind === 'set' && t.frozen && !isUnrefined(t) && containerKindsKnown(t)) return `f_${containerName(t)}`;
  // A tuple of numbers, str, instances and enum members (`d[(i, j)]`, `(x, y) in seen`, `(word, n)`), nested tuples
  // of them too: a kind generated per tuple type (lower/dicts.ts, tupleKindDecl); its str and instance items own their references.
  // A value that may be None or a number or a tuple (`parent: dict[int, int | None]`, `came_from[start] = None`):
  // the union's struct by value (lower/dicts.ts unionKindDecl), 'n' for the None member; a str or an instance that
  // may be None (`dict[str, Node | None]`): its pointer, NULL for None (nullableKindDecl).
  if (as === 'value' && t.kind === 'union' && !isNicheOptional(t) && !ownsReferences(t)) {
    const ks = t.members.map((m) => (m.kind === 'none' ? 'n' : containerKind(m, 'key')));
    return ks.every(Boolean) ? `U${ks.join('')}E` : undefined;
  }
  if (as === 'value' && t.kind === 'union' && isNicheOptional(t)) {
    const obj = t.members.find((m) => m.kind !== 'none')!;
    return obj.kind === 'str' || obj.kind === 'instance' ? `N${containerKind(obj, 'value')}` : undefined;
  }
  if (t.kind === 'tuple' && t.items.length && t.items.every((x) => (x.kind === 'scalar' && ['int', 'float', 'bool'].includes(x.name)) || x.kind === 'str' || x.kind === 'instance' || x.kind === 'enum' || (x.kind === 'tuple' && containerKind(x, 'key')))) {
    return `T${t.items.map((x) => containerKind(x, 'key')).join('')}E`;
  }
  return undefined;
}

/** A container type whose values hold NumPy arrays, at any depth (`dict[str, dict[str, NDArray]]`). */
const holdsArrays = (t: KType): boolean =>
  t.kind === 'array' || (t.kind === 'dict' && holdsArrays(t.value)) || (t.kind === 'list' && holdsArrays(t.item)) || (t.kind === 'tuple' && t.items.some(holdsArrays));

const containerKindsKnown = (t: KType & { kind: 'dict' | 'set' }): boolean =>
  t.kind === 'dict' ? !!containerKind(t.key, 'key') && !!containerKind(t.value, 'value') : !!containerKind(t.item, 'key');

/** The C type of a key or value of this type (a tuple key is the unit's tuple struct). */
export const containerCType = (t: KType): string => (t.kind === 'union' && isNicheOptional(t) ? containerCType(t.members.find((m) => m.kind !== 'none')!) : t.kind === 'str' ? 'kr_str_ptr' : t.kind === 'instance' ? `${classCName(t.cls)}_ptr` : t.kind === 'list' ? 'kr_list_ptr' : t.kind === 'dict' ? 'kr_dict_ptr' : t.kind === 'set' ? 'kr_set_ptr' : cType(t));

/** The instantiation of a dict or set type: `kd_<key kind>_<value kind>`, `ks_<item kind>`. */
export function containerName(t: KType): string {
  if (t.kind === 'dict') return `kd_${containerKind(t.key, 'key')}_${containerKind(t.value, 'value')}`;
  if (t.kind === 'set') return `ks_${containerKind(t.item, 'key')}`;
  if (t.kind === 'deque') return `kq_${containerKind(t.item, 'key')}`;
  throw new Error(`internal: ${typeToString(t)} is not a dict or a set`);
}

/** A dict or set whose key, value or item type is not known yet (`{}`, `set()`, a value `[]`). */
export function isUnrefined(t: KType | undefined): boolean {
  if (!t) return false;
  if (t.kind === 'dict') return t.key.kind === 'none' || t.value.kind === 'none' || (t.value.kind === 'list' && t.value.item.kind === 'none') || isUnrefined(t.value);
  if (t.kind === 'set' || t.kind === 'deque') return t.item.kind === 'none';
  return false;
}

const KEY_TYPES = 'int, float, bool, str, enum members, hashable instances, a tuple of those or a frozenset of those';
function keyProblem(t: KType): string | undefined {
  const info = t.kind === 'instance' ? classInfo(t.cls) : undefined;
  if (info && hashRule(info) === 'unhashable') return `TypeError: unhashable type: '${info.name}' (a class that defines __eq__ without __hash__; define __hash__, or use @dataclass(frozen=True))`;
  if (t.kind === 'set' && !t.frozen && t.item.kind !== 'none') return 'TypeError: unhashable type: \'set\' (a frozenset is hashable: frozenset(s))';
  return containerKind(escaped(t), 'key') ? undefined : `${typeToString(t)} keys are not compiled (keys and set items: ${KEY_TYPES})`;
}
const valueProblem = (t: KType): string | undefined =>
  containerKind(escaped(t), 'value') || isUnrefined(t) ? undefined : `${typeToString(t)} values are not compiled (values: int, float, bool, complex, str, an instance, an enum member, a list, a dict, a set or a NumPy array)`;

/** The type a looked-up key is converted to, or why it cannot find anything (Python compares 1 == 1.0 == True). */
function lookupKey(key: KType, k: KType): KType | string {
  const e = escaped(k);
  if (typeToString(e) === typeToString(key)) return e;
  const num = (t: KType) => t.kind === 'scalar' && ['int', 'float', 'bool'].includes(t.name);
  if (num(key) && num(e) && !(key.kind === 'scalar' && key.name === 'bool') && !(key.kind === 'scalar' && key.name === 'int' && e.kind === 'scalar' && e.name === 'float')) return key;
  if (key.kind === 'set' && e.kind === 'set') return `a ${typeToString(k)} looked up in a ${typeToString(key)}-keyed container is not compiled (look up frozenset(s))`;
  return `a ${typeToString(k)} key in a ${typeToString(key)}-keyed container is not compiled (convert the key: int(...), str(...))`;
}

/** A key or value stored into a container must be of its exact type (CPython keeps the object it is given). */
function storeProblem(what: string, want: KType, got: KType, container: KType): string | undefined {
  if (typeToString(escaped(got)) === typeToString(want)) return undefined;
  if (what === 'value' && intoUnion(want, got)) return undefined;
  if (what !== 'value' && got.kind === 'set' && !got.frozen) return keyProblem(got);
  if (want.kind === 'list' && got.kind === 'list' && (got.item.kind === 'none' || typeToString(got.item) === typeToString(want.item))) return undefined;
  if (want.kind === 'array' && got.kind === 'array') {
    return `storing a ${typeToString(got)} ${what} into a ${typeToString(container)}: the arrays of one dict are compiled with one dtype and one number of dimensions (${want.ndim}d here); keep arrays of different dimensions in separate dicts, or give a vector a row's shape (b.reshape(1, -1))`;
  }
  return `storing a ${typeToString(got)} ${what} into a ${typeToString(container)} would give a container of mixed types; convert it (float(...), int(...), str(...))`;
}

/** The argument type a stored value is passed as: a character becomes a str; an empty list keeps its own type (same C type). */
const stored = (v: KType): KType => escaped(v);

/** A value of `got` stored where values are the union `want` (None or a tuple into `tuple[int, int] | None`): boxed into it. */
const intoUnion = (want: KType, got: KType): boolean =>
  want.kind === 'union' && unionMembers(escaped(got)).every((m) => want.members.some((x) => typeToString(x) === typeToString(m)));

/** The argument type a value stored into a dict of `value`s is passed as (the union itself when it is boxed into one). */
const storedValue = (value: KType, v: KType): KType => (intoUnion(value, v) ? value : stored(v));

/** Kind-aware new references of a value read out of a container (a str, a tuple's str fields; lists belong to the call's heap). */
const takeRef = (t: KType, out: string) => (ownsReferences(t) ? ` ${retainItem(t, out)}` : '');

/** A provisional resolution while a container's types are still being learnt: typecheck runs again once they are. */
const provisional = (result: KType, args: KType[]): Resolved => ({ result, argTypes: args, lower: stmts(() => ['#error "internal: an unrefined container reached C"']) });

/** A frozenset has no method that changes it: CPython's AttributeError, refused where the call is. */
const frozenProblem = (c: KType | undefined, method: string): string | undefined =>
  (c?.kind === 'set' && c.frozen ? `AttributeError: 'frozenset' object has no attribute '${method}'` : undefined);

// ---- construction -------------------------------------------------------------------------------------

/** `{}`, `set()` or `defaultdict(factory)` of a known type (typecheck gives the type it learnt from the uses). */
export function emptyContainer(t: KType, consts: unknown[] = []): Resolved | string {
  const name = containerName(t);
  const factory = (consts[0] as { value?: string } | undefined)?.value;
  if (factory === ORDERED_MARK && t.kind === 'dict') return { result: t, argTypes: [], lower: stmts((_a, out, cx) => [`${out} = ${name}_odict_new(); if (!${out}) ${cx.propagate()}`]) };
  if (factory === COUNTER_MARK && t.kind === 'dict') {
    if (typeToString(t.value) !== 'int') return `a Counter that stores ${typeToString(t.value)} values is not compiled (counts are ints)`;
    return { result: t, argTypes: [], lower: stmts((_a, out, cx) => [`${out} = ${name}_counter_new(); if (!${out}) ${cx.propagate()}`]) };
  }
  if (factory === 'lambda' && t.kind === 'dict') return defaultdictOfLambda(t as Dict, consts);
  if (factory !== undefined && t.kind === 'dict') return defaultdictOf(t as Dict, factory);
  if (t.kind === 'deque') {
    const m = consts[1] as { kind?: string; value?: string } | undefined;
    if (m?.kind !== 'none' && m?.kind !== 'int') return 'an empty deque with a maxlen that is not a constant is not compiled; deque([first_item], maxlen=n) or a constant maxlen';
    const maxlen = m.kind === 'int' ? BigInt(m.value!) : -1n;
    if (m.kind === 'int' && maxlen < 0n) return 'ValueError: maxlen must be non-negative';
    return { result: t, argTypes: [T.none, m.kind === 'int' ? T.int : T.none], lower: stmts((_a, out, cx) => [`${out} = ${name}_new(${maxlen}); if (!${out}) ${cx.propagate()}`]) };
  }
  const make = t.kind === 'set' && t.frozen ? 'frozen_new' : 'new';
  return { result: t, argTypes: [], lower: stmts((_a, out, cx) => [`${out} = ${name}_${make}(); if (!${out}) ${cx.propagate()}`]) };
}

/** The constant argument the tracer gives an empty `Counter()` (ir/trace.ts COUNTER_MARK). */
const COUNTER_MARK = '\u0000Counter';
/** The constant argument the tracer gives an empty `OrderedDict()` (ir/trace.ts ORDERED_MARK). */
const ORDERED_MARK = '\u0000OrderedDict';

/**
 * `OrderedDict(pairs)` / `OrderedDict()`: a `dict[K, V]` whose object is an OrderedDict (kiln_dict.h: the order is a
 * linked list), so move_to_end, popitem(last=False) and order-sensitive == work on it and raise on a plain dict.
 */
function orderedDictOf(args: KType[], consts: unknown[]): Res {
  if ((consts[0] as { value?: string } | undefined)?.value === ORDERED_MARK) return provisional(T.dict(T.none, T.none), args);
  return args.length ? dictOf(args, 'odict_new') : 'OrderedDict() of nothing: internal';
}

/** `od.move_to_end(k, last=True)`: KeyError for a missing key; AttributeError on a plain dict. */
function moveToEnd([c, k, last]: KType[]): Res {
  const d = asDict(c);
  if (!d) return `'${c ? typeToString(c) : 'None'}' object has no attribute 'move_to_end'`;
  if (!k) return "move_to_end() missing required argument 'key' (pos 1)";
  const lk = lookupKey(d.key, k);
  if (typeof lk === 'string') return lk;
  const given = !!last && !isNone(last);
  return {
    result: T.none, argTypes: [d, lk, given ? last : T.none],
    lower: stmts((a, _o, cx) => [
      `if (kr_dict_flavor(${a[0]}) != KR_DICT_ORDERED) { kr_dict_no_attribute(${a[0]}, "move_to_end"); ${cx.propagate()} }`,
      cx.try(`${containerName(d)}_move_to_end(${a[0]}, ${a[1]}, ${given ? truthExpr(a[2], last) : '1'})`),
    ]),
  };
}

/**
 * `Counter(xs)` of a list (a generator or zip is read into one first): each item counted in order, a new key at
 * the end (CPython's _count_elements). The result is a `dict[K, int]` whose object is a Counter (kiln_collections.h):
 * a missing c[k] is 0, and update/+/-/&/| and most_common dispatch on the object, as Python does.
 */
function counterOf(args: KType[], consts: unknown[]): Res {
  const [xs, extra] = args;
  if ((consts[0] as { value?: string } | undefined)?.value === COUNTER_MARK) return provisional(T.dict(T.none, T.int), args);
  if (!xs || extra) return 'Counter() takes one iterable here';
  // A str: each character counted, a str of one code point (shared below 256: kr_str_from_cp), as set(text) does.
  if (xs.kind === 'str' || xs.kind === 'char') {
    const name = containerName(T.dict(T.str, T.int));
    return {
      result: T.dict(T.str, T.int), argTypes: [T.str],
      lower: stmts((a, out, cx) => [
        `{ kr_dict *kc = ${name}_counter_new(); if (!kc) ${cx.propagate()}`,
        `  for (int64_t k = 0; k < ${a[0]}->length; k++) { kr_str *ch = kr_str_from_cp(kr_str_at(${a[0]}, k)); int kr = ch ? ${name}_counter_add(kc, ch, 1) : -1; kr_decref(ch); if (kr) { kr_decref(kc); ${cx.propagate()} } }`,
        `  ${out} = kc; }`,
      ]),
    };
  }
  if (xs.kind !== 'list' || xs.item.kind === 'none') return `Counter() of a ${typeToString(xs)} is not compiled (a list, a generator or zip(...) is)`;
  const bad = keyProblem(xs.item);
  if (bad) return bad;
  const d = T.dict(escaped(xs.item), T.int), name = containerName(d), et = listElemC(xs.item);
  if (typeToString(escaped(xs.item)) !== typeToString(xs.item)) return `Counter() of a ${typeToString(xs)} is not compiled`;
  return {
    result: d, argTypes: [xs],
    lower: stmts((a, out, cx) => [
      `{ kr_dict *kc = ${name}_counter_new(); if (!kc) ${cx.propagate()}`,
      `  for (int64_t k = 0; k < ${a[0]}->len; k++) if (${name}_counter_add(kc, ((${et} *)${a[0]}->data)[k], 1)) { kr_decref(kc); ${cx.propagate()} }`,
      `  ${out} = kc; }`,
    ]),
  };
}

/** `c.most_common(n)`: (key, count) pairs, largest count first, ties in insertion order (AttributeError on a plain dict). */
function mostCommon([c, n]: KType[]): Res {
  const d = asDict(c);
  if (!d || typeToString(d.value) !== 'int') return `'${c ? typeToString(c) : 'None'}' object has no attribute 'most_common'`;
  if (n && !isNone(n) && !(n.kind === 'scalar' && (n.name === 'int' || n.name === 'bool'))) return `'${typeToString(n)}' object cannot be interpreted as an integer`;
  const name = containerName(d), pair = T.tuple([d.key, T.int]), pt = cType(pair), refs = itemRefsC(pair);
  return {
    result: T.list(pair), argTypes: [d, n && !isNone(n) ? T.int : T.none],
    lower: stmts((a, out, cx) => [
      `{ if (kr_dict_flavor(${a[0]}) != KR_DICT_COUNTER) { kr_dict_no_attribute(${a[0]}, "most_common"); ${cx.propagate()} }`,
      `  int64_t kn; int64_t *ko = kr_counter_most_common(${a[0]}, ${n && !isNone(n) ? `${a[1]} < 0 ? 0 : ${a[1]}` : '-1'}, &kn); if (!ko) ${cx.propagate()}`,
      `  kr_list *kl = kr_list_new(kn, sizeof(${pt})); if (!kl) { free(ko); ${cx.propagate()} }`,
      `  for (int64_t k = 0; k < kn; k++) { const ${name}_entry *ke = (const ${name}_entry *)KR_ENTRY(${a[0]}, &${name}_ops, ko[k]); ((${pt} *)kl->data)[k] = (${pt}){ke->key, ke->value}; }`,
      ...(refs ? [`  kr_list_retain(kl, 0, kn, ${refs});`] : []),
      `  free(ko); ${out} = kl; }`,
    ]),
  };
}

/** `c.total()` (3.10+): the sum of the counts. */
function counterTotal([c]: KType[]): Res {
  const d = asDict(c);
  if (!d || typeToString(d.value) !== 'int') return `'${c ? typeToString(c) : 'None'}' object has no attribute 'total'`;
  return {
    result: T.int, argTypes: [d],
    lower: stmts((a, out, cx) => [`{ if (kr_dict_flavor(${a[0]}) != KR_DICT_COUNTER) { kr_dict_no_attribute(${a[0]}, "total"); ${cx.propagate()} } if (kr_counter_total(${a[0]}, &${out})) ${cx.propagate()} }`]),
  };
}

/** `c.update(xs)` / `c.subtract(xs)` of a list on a Counter: ±1 per item (a plain dict's update of a list is refused). */
function counterAddList(sign: 1 | -1, method: string) {
  return ([c, xs]: KType[]): Res | undefined => {
    const d = asDict(c);
    if (!d || xs?.kind !== 'list') return undefined;
    if (typeToString(d.value) !== 'int' || typeToString(escaped(xs.item)) !== typeToString(d.key) || xs.item.kind === 'char') {
      return `${method}() of a ${typeToString(xs)} into a ${typeToString(d)} is not compiled (a Counter counts a list of its key type)`;
    }
    const name = containerName(d), et = listElemC(xs.item);
    return {
      result: T.none, argTypes: [d, xs],
      lower: stmts((a, _o, cx) => [
        `if (${a[1]}->len && kr_dict_flavor(${a[0]}) != KR_DICT_COUNTER) { ${method === 'subtract' ? `kr_dict_no_attribute(${a[0]}, "subtract")` : `kr_raise(KILN_TypeError, "cannot convert dictionary update sequence element #0 to a sequence")`}; ${cx.propagate()} }`,
        `for (int64_t k = 0; k < ${a[1]}->len; k++) ${cx.try(`${name}_counter_add(${a[0]}, ((${et} *)${a[1]}->data)[k], ${sign})`)}`,
      ]),
    };
  };
}

/** The value type a defaultdict's factory makes (list: a list whose item type is learnt from the uses). */
const FACTORY_VALUE: Record<string, KType> = {
  int: T.int, float: T.float, bool: T.bool, str: T.str, list: T.list(T.none), set: T.set(T.none), dict: T.dict(T.none, T.none),
};

/**
 * `collections.defaultdict(int | float | bool | str | list)`: a dict whose type is a plain `dict[K, V]` (the
 * runtime's defaultdict flavour calls the factory on a missing key in d[k], kiln_dict.h kr_dict_missing; every other
 * operation is a dict's). The factory is `<instantiation>_factory` (lower/dicts.ts): the value type's zero.
 */
function defaultdictOf(d: Dict, factory: string): Res {
  const want = FACTORY_VALUE[factory];
  if (!want) return `defaultdict(${factory}) is not compiled (factories: int, float, bool, str, list, set, dict)`;
  if (['list', 'set', 'dict'].includes(want.kind) ? d.value.kind !== want.kind : typeToString(want) !== typeToString(d.value)) {
    return `a defaultdict(${factory}) that stores ${typeToString(d.value)} values would give a dict of mixed types`;
  }
  if (isUnrefined(d)) return provisional(d, []);
  const name = containerName(d);
  return {
    result: d, argTypes: [],
    lower: stmts((_a, out, cx) => [`${out} = ${name}_defaultdict_new(${name}_factory, NULL, "<class '${factory}'>"); if (!${out}) ${cx.propagate()}`]),
  };
}

/** A number constant of a lambda factory as C, and its Python type. */
function factoryConst(c: ConstValue | undefined): { type: KType; c: string } | undefined {
  if (c?.kind === 'int') {
    const v = BigInt(c.value);
    if (v < -(2n ** 63n) || v >= 2n ** 63n) return undefined;
    return { type: T.int, c: v === -(2n ** 63n) ? '(-INT64_C(9223372036854775807) - 1)' : `INT64_C(${c.value})` };
  }
  if (c?.kind === 'float') return { type: T.float, c: c.hex === 'inf' ? 'INFINITY' : c.hex === '-inf' ? '(-INFINITY)' : c.hex === 'nan' || c.hex === '-nan' ? 'NAN' : c.hex };
  if (c?.kind === 'bool') return { type: T.bool, c: c.value ? 'true' : 'false' };
  return undefined;
}

/**
 * `defaultdict(lambda: 0)`, `defaultdict(lambda: [0, 0])`, `defaultdict(lambda: (0, 0.0))`: the tracer passes the
 * lambda's constants (shape, items); the value type they make and its C initialiser (a list's: its items).
 */
function lambdaFactory(consts: unknown[]): { value: KType; init: string; items?: { type: KType; n: number } } | string {
  const shape = (consts[1] as { value?: string } | undefined)?.value;
  const items = consts.slice(2).map((c) => factoryConst(c as ConstValue));
  if (!items.length || items.some((x) => !x)) return 'defaultdict(lambda: ...) makes an int past 64 bits here; use a smaller constant';
  const its = items as { type: KType; c: string }[];
  if (shape === 'value') return { value: its[0].type, init: its[0].c };
  if (shape === 'tuple') return { value: T.tuple(its.map((x) => x.type)), init: `{ ${its.map((x) => x.c).join(', ')} }` };
  const item = its[0].type;
  if (its.some((x) => typeToString(x.type) !== typeToString(item))) return `defaultdict(lambda: [...]) of mixed item types (${its.map((x) => typeToString(x.type)).join(', ')}) is not compiled: lists hold one type here`;
  return { value: T.list(item), init: `{ ${its.map((x) => x.c).join(', ')} }`, items: { type: item, n: its.length } };
}

/** `defaultdict(lambda: <constant>)` of a known type: the factory copies the constant kept in its environment (kr_proto). */
function defaultdictOfLambda(d: Dict, consts: unknown[]): Res {
  const made = lambdaFactory(consts);
  if (typeof made === 'string') return made;
  if (typeToString(made.value) !== typeToString(d.value)) return `a defaultdict whose lambda makes ${typeToString(made.value)} that stores ${typeToString(d.value)} values would give a dict of mixed types`;
  if (isUnrefined(d)) return provisional(d, []);
  const name = containerName(d);
  const proto = made.items ? `${cType(made.items.type)} kproto[${made.items.n}] = ${made.init};` : `${cType(made.value)} kproto = ${made.init};`;
  return {
    result: d, argTypes: [],
    lower: stmts((_a, out, cx) => [
      `{ ${proto} kr_obj *kenv = kr_proto_new(&kproto, sizeof kproto); if (!kenv) ${cx.propagate()}`,
      `  ${out} = ${name}_defaultdict_new(${name}_factory_proto, kenv, "<function <lambda>>"); kr_decref(kenv); if (!${out}) ${cx.propagate()} }`,
    ]),
  };
}

/** Statements that fill a new container `c` with `adds` (fallible C calls), dropping it on failure. */
const fill = (c: string, adds: string[], propagate: string): string[] => adds.map((a) => `if (${a}) { kr_decref(${c}); ${propagate} }`);

function makeDict(args: KType[]): Res {
  if (!args.length) return { result: T.dict(T.none, T.none), argTypes: [], lower: stmts(() => ['#error "internal: an unrefined dict reached C"']) };
  const key = escaped(args[0]);
  // `parent = {start: None}`: the value type is learnt from what is stored, with None (typecheck refineContainer);
  // `{a: None, b: 1}`: values of int | None.
  const nones = args.filter((t, i) => i % 2 && t.kind === 'none').length;
  if (nones === args.length / 2 && !keyProblem(key)) return provisional({ kind: 'dict', key, value: T.none, noneValues: true }, args);
  const some = nones ? unionOf(args.filter((_, i) => i % 2).map(stored)) : undefined;
  const value = some && typeof some !== 'string' && containerKind(some, 'value') ? some : stored(args[1]);
  const bad = keyProblem(key) ?? valueProblem(value);
  if (bad) return bad;
  let d = T.dict(key, value) as Dict;
  for (let i = 0; i < args.length; i += 2) {
    const p = storeProblem('key', key, args[i], d) ?? storeProblem('value', value, args[i + 1], d);
    if (p) return p;
    if (value.kind === 'list' && value.item.kind === 'none' && args[i + 1].kind === 'list') d = T.dict(key, args[i + 1]) as Dict;
  }
  if (isUnrefined(d)) return { result: d, argTypes: args.map(stored), lower: stmts(() => ['#error "internal: an unrefined dict reached C"']) };
  const name = containerName(d);
  return {
    result: d, argTypes: args.map((t, i) => (i % 2 ? storedValue(value, t) : stored(t))),
    lower: stmts((a, out, cx) => [
      // CPython's dict display presizes for its n items, then stores them in order (a repeated key keeps its first place).
      `{ kr_dict *kd = ${name}_new_presized(${a.length / 2}); if (!kd) ${cx.propagate()}`,
      ...fill('kd', a.flatMap((x, i) => (i % 2 ? [] : [`${name}_set(kd, ${x}, ${a[i + 1]})`])), cx.propagate()),
      `  ${out} = kd; }`,
    ]),
  };
}

function makeSet(args: KType[], consts: unknown[]): Res {
  if (!args.length) return { result: T.set(T.none), argTypes: [], lower: stmts(() => ['#error "internal: an unrefined set reached C"']) };
  const item = escaped(args[0]);
  const bad = keyProblem(item);
  if (bad) return bad;
  const s = T.set(item);
  for (const t of args) {
    const p = storeProblem('item', item, t, s);
    if (p) return p;
  }
  const name = containerName(s);
  // A display of three or more constants is a frozenset constant that CPython merges into a new set: its table
  // decides where colliding items land, so it is built the same way here.
  const constant = args.length >= 3 && consts.every((c) => c !== undefined);
  return {
    result: s, argTypes: args.map(() => item),
    lower: stmts((a, out, cx) => constant
      ? [
        `{ kr_set *kf = ${name}_frozen_new(); if (!kf) ${cx.propagate()}`,
        ...fill('kf', a.map((x) => `${name}_add(kf, ${x})`), cx.propagate()),
        `  kr_set *ks = ${name}_new(); if (!ks) { kr_decref(kf); ${cx.propagate()} }`,
        `  int kr = kr_set_update(ks, kf); kr_decref(kf); if (kr) { kr_decref(ks); ${cx.propagate()} }`,
        `  ${out} = ks; }`,
      ]
      : [
        `{ kr_set *ks = ${name}_new(); if (!ks) ${cx.propagate()}`,
        ...fill('ks', a.map((x) => `${name}_add(ks, ${x})`), cx.propagate()),
        `  ${out} = ks; }`,
      ]),
  };
}

/**
 * `set(xs)` and `frozenset(xs)` (CPython's make_new_set: an empty set or frozenset, then set_update_internal) of a
 * list (its items added in order, as CPython adds an iterable's); of a str (its characters, each a str); of a set or
 * frozenset (CPython's set_merge: one resize for the whole source, then its table copied or its keys inserted clean,
 * so the copy's table size, and where later adds land, are CPython's); of a dict (presized for len(d), then its keys
 * added). `frozenset(fs)` of a frozenset is fs itself, as in CPython.
 */
function setOf([xs]: KType[], frozen = false): Res {
  const call = frozen ? 'frozenset' : 'set';
  const made = (item: KType): SetT => (frozen ? { kind: 'set', item, frozen: true } : T.set(item) as SetT);
  // `set()`, `frozenset()`: empty, typed by typecheck from the variable's annotation or the sets it meets (emptyContainer).
  if (!xs) return frozen ? provisional(made(T.none), []) : makeSet([], []);
  const make = (name: string) => (frozen ? `${name}_frozen_new()` : `${name}_new()`);
  if ((xs.kind === 'set' || xs.kind === 'dict') && isUnrefined(xs)) return provisional(made(T.none), [xs]);
  if (frozen && xs.kind === 'set' && xs.frozen) return { result: xs, argTypes: [xs], lower: stmts((a, out) => [`${out} = ${a[0]}; kr_incref(${out});`]) };
  if (xs.kind === 'set' || xs.kind === 'dict') {
    const item = xs.kind === 'set' ? xs.item : xs.key;
    const bad = keyProblem(item);
    if (bad) return bad;
    const s = made(item), name = containerName(s), merge = xs.kind === 'set' ? 'kr_set_update' : 'kr_set_update_dict';
    return {
      result: s, argTypes: [xs],
      lower: stmts((a, out, cx) => [`{ kr_set *ks = ${make(name)}; if (!ks) ${cx.propagate()} if (${merge}(ks, ${a[0]})) { kr_decref(ks); ${cx.propagate()} } ${out} = ks; }`]),
    };
  }
  // A str: a set of its characters, each a str of one code point (shared below 256: kr_str_from_cp).
  if (xs.kind === 'str' || xs.kind === 'char') {
    const s = made(T.str), name = containerName(s);
    return {
      result: s, argTypes: [T.str],
      lower: stmts((a, out, cx) => [
        `{ kr_set *ks = ${make(name)}; if (!ks) ${cx.propagate()}`,
        `  for (int64_t k = 0; k < ${a[0]}->length; k++) { kr_str *kc = kr_str_from_cp(kr_str_at(${a[0]}, k)); int kr = kc ? ${name}_add(ks, kc) : -1; kr_decref(kc); if (kr) { kr_decref(ks); ${cx.propagate()} } }`,
        `  ${out} = ks; }`,
      ]),
    };
  }
  // A list whose item type is not known yet (`xs = []` before the appends, in a helper's first specialisation):
  // provisional, typecheck resolves it again once the list's type is known.
  if (xs.kind === 'list' && xs.item.kind === 'none') return provisional(made(T.none), [xs]);
  if (xs.kind === 'list' && xs.item.kind !== 'none') {
    const bad = keyProblem(xs.item);
    if (bad) return bad;
    const s = made(xs.item), name = containerName(s), et = listElemC(xs.item);
    return {
      result: s, argTypes: [xs],
      lower: stmts((a, out, cx) => [
        `{ kr_set *ks = ${make(name)}; if (!ks) ${cx.propagate()}`,
        `  for (int64_t k = 0; k < ${a[0]}->len; k++) if (${name}_add(ks, ((${et} *)${a[0]}->data)[k])) { kr_decref(ks); ${cx.propagate()} }`,
        `  ${out} = ks; }`,
      ]),
    };
  }
  // A range or a tuple of one item type: its items added in order, as CPython iterates any other iterable.
  const seq = xs.kind === 'range' || xs.kind === 'tuple' ? seqItem(xs) : undefined, len = seq && seqLen(xs);
  if (seq && len) {
    const bad = keyProblem(seq.type);
    if (bad) return bad;
    const s = made(seq.type), name = containerName(s);
    return {
      result: s, argTypes: [xs],
      lower: stmts((a, out, cx) => [
        `{ kr_set *ks = ${make(name)}; if (!ks) ${cx.propagate()}`,
        `  for (int64_t k = 0; k < ${len(a[0])}; k++) if (${name}_add(ks, ${seq.at(a[0], 'k')})) { kr_decref(ks); ${cx.propagate()} }`,
        `  ${out} = ks; }`,
      ]),
    };
  }
  return `${call}() of a ${typeToString(xs)} is not compiled (${call}(), ${call} of a list, a str, a range, a tuple, a set or a dict, set literals and comprehensions are)`;
}

/**
 * `dict(pairs)`: a list of (key, value) tuples (`dict(zip(keys, values))` reads the zip into one) stored in order,
 * a repeated key keeping its first place and its last value, as CPython; `dict(d)` a new plain dict of d's items.
 */
function dictOf(args: KType[], ctor: 'new' | 'odict_new' = 'new'): Res {
  const [xs, extra] = args;
  if (!xs) return makeDict([]);
  if (extra) return 'dict() with several arguments or keywords is not compiled; use a dict display or comprehension';
  if (xs.kind === 'dict') {
    const name = containerName(xs);
    return {
      result: xs, argTypes: [xs],
      lower: stmts((a, out, cx) => [`{ kr_dict *kd = ${name}_${ctor}(); if (!kd) ${cx.propagate()} if (kr_dict_merge(kd, ${a[0]})) { kr_decref(kd); ${cx.propagate()} } ${out} = kd; }`]),
    };
  }
  if (xs.kind !== 'list' || xs.item.kind !== 'tuple' || xs.item.items.length !== 2) {
    if (xs.kind === 'list' && xs.item.kind === 'tuple') return `ValueError: dictionary update sequence element #0 has length ${xs.item.items.length}; 2 is required`;
    return `dict() of a ${typeToString(xs)} is not compiled (dict(zip(keys, values)), dict(list of pairs) and dict(d) are)`;
  }
  const [k, v] = xs.item.items;
  const bad = keyProblem(escaped(k)) ?? valueProblem(stored(v));
  if (bad) return bad;
  const d = T.dict(escaped(k), stored(v)), name = containerName(d), et = cType(xs.item);
  if (escaped(k) !== k || stored(v) !== v) return `dict() of pairs of ${typeToString(k)} and ${typeToString(v)} is not compiled (use a dict comprehension)`;
  return {
    result: d, argTypes: [xs],
    lower: stmts((a, out, cx) => [
      `{ kr_dict *kd = ${name}_${ctor}(); if (!kd) ${cx.propagate()}`,
      `  for (int64_t k = 0; k < ${a[0]}->len; k++) { ${et} *kp = &((${et} *)${a[0]}->data)[k]; if (${name}_set(kd, kp->f0, kp->f1)) { kr_decref(kd); ${cx.propagate()} } }`,
      `  ${out} = kd; }`,
    ]),
  };
}

// ---- dict operations ----------------------------------------------------------------------------------

const asDict = (t: KType | undefined): Dict | undefined => (t?.kind === 'dict' ? (t as Dict) : undefined);
const asSet = (t: KType | undefined): SetT | undefined => (t?.kind === 'set' ? (t as SetT) : undefined);

/**
 * `d[i, j]` is `d[(i, j)]`: the tracer passes the items of a subscript's tuple as arguments; they are typed as the
 * key's items and put together in C. `key` is the key's arguments (one, or the tuple's items).
 */
function keyArgs(keyType: KType, key: KType[], lookup: boolean): { argTypes: KType[]; c: (a: string[]) => string } | string {
  if (key.length === 1) {
    const k = lookup ? lookupKey(keyType, key[0]) : escaped(key[0]);
    return typeof k === 'string' ? k : { argTypes: [k], c: (a) => a[0] };
  }
  const asTuple = T.tuple(key.map(escaped));
  if (keyType.kind !== 'tuple') return containerKind(asTuple, 'key') ? lookupKey(keyType, asTuple) as string : keyProblem(asTuple)!;
  if (keyType.items.length !== key.length) return lookup ? `a ${typeToString(asTuple)} key in a ${typeToString(keyType)}-keyed container is never found; compare keys of one type` : storeProblem('key', keyType, asTuple, T.dict(keyType, T.none))!;
  const items: KType[] = [];
  for (let i = 0; i < key.length; i++) {
    const k = lookup ? lookupKey(keyType.items[i], key[i]) : escaped(key[i]);
    if (typeof k === 'string') return k;
    if (!lookup && typeToString(k) !== typeToString(keyType.items[i])) return storeProblem('key', keyType, asTuple, T.dict(keyType, T.none))!;
    items.push(k);
  }
  return { argTypes: items, c: (a) => `((${cType(keyType)}){${a.join(', ')}})` };
}

function dictGetitem(args: KType[]): Res | undefined {
  const d = asDict(args[0]);
  if (!d) return undefined;
  const k = keyArgs(d.key, args.slice(1), true);
  if (typeof k === 'string') return k;
  const name = containerName(d);
  return {
    result: d.value, argTypes: [d, ...k.argTypes], lower: stmts((a, out, cx) => [cx.try(`${name}_get(${a[0]}, ${k.c(a.slice(1))}, &${out})`)]),
    inPlace: {
      find: (a, err) => `${name}_find(${a[0]}, ${k.c(a.slice(1))}, &${err})`,
      missing: (a, out, tryC) => tryC(`${name}_missing(${a[0]}, ${k.c(a.slice(1))}, &${out})`),
    },
  };
}

function dictSetitem(args: KType[]): Res | undefined {
  const d = asDict(args[0]);
  if (!d) return undefined;
  const v = args[args.length - 1];
  const k = keyArgs(d.key, args.slice(1, -1), false);
  if (typeof k === 'string') return k;
  const bad = (k.argTypes.length === 1 ? storeProblem('key', d.key, k.argTypes[0], d) : undefined) ?? storeProblem('value', d.value, v, d);
  if (bad) return bad;
  const name = containerName(d);
  return { result: T.none, argTypes: [d, ...k.argTypes, storedValue(d.value, v)], lower: stmts((a, _o, cx) => [cx.try(`${name}_set(${a[0]}, ${k.c(a.slice(1, -1))}, ${a[a.length - 1]})`)]) };
}

function containerDelitem(args: KType[]): Res {
  const q = asDeque(args[0]);
  if (q) {
    if (args.length !== 2 || !isIndex(args[1])) return `sequence index must be integer, not '${args[1] ? typeToString(args[1]) : 'None'}'`;
    return { result: T.none, argTypes: [q, T.int], lower: stmts((a, _o, cx) => [cx.try(`kr_deque_delitem(${a[0]}, ${a[1]})`)]) };
  }
  const d = asDict(args[0]);
  if (!d) return args[0]?.kind === 'list' ? listDelitem(args[0], args.slice(1)) : `del of an item of a ${typeToString(args[0])} is not compiled`;
  const k = keyArgs(d.key, args.slice(1), true);
  if (typeof k === 'string') return k;
  const name = containerName(d);
  return { result: T.none, argTypes: [d, ...k.argTypes], lower: stmts((a, _o, cx) => [cx.try(`${name}_del(${a[0]}, ${k.c(a.slice(1))})`)]) };
}

/** `del lst[i]` (IndexError: list assignment index out of range) and `del lst[a:b:c]` (ValueError for a zero step). */
function listDelitem(l: KType & { kind: 'list' }, index: KType[]): Res {
  const es = `sizeof(${l.item.kind === 'none' ? 'int64_t' : cType(l.item)})`;
  if (index.length === 1 && index[0].kind === 'slice') {
    return { result: T.none, argTypes: [l, T.slice], lower: stmts((a, _o, cx) => [cx.try(`kr_list_delslice(${a[0]}, ${a[1]}, ${es})`)]) };
  }
  if (index.length !== 1 || !isIndex(index[0])) return `list indices must be integers or slices, not ${index.length === 1 ? typeToString(index[0]) : 'tuple'}`;
  return { result: T.none, argTypes: [l, T.int], lower: stmts((a, _o, cx) => [cx.try(`kr_list_delitem(${a[0]}, ${a[1]}, ${es})`)]) };
}

/** `k in d`, `x in s`: a key of another type is simply not there (Python compares, finds nothing). */
function contains([c, k]: KType[]): Res | undefined {
  const q = asDeque(c);
  if (q) {
    // x in q compares items (==); an item of another type is never equal here but a number may be (1 == 1.0).
    const lk = lookupKey(q.item, k);
    if (typeof lk === 'string') return `${typeToString(k)} in a ${typeToString(q)} is not compiled; compare items of one type`;
    return { result: T.bool, argTypes: [q, lk], lower: stmts((a, out, cx) => [`{ int kr = ${containerName(q)}_contains(${a[0]}, ${a[1]}); if (kr < 0) ${cx.propagate()} ${out} = kr; }`]) };
  }
  const key = asDict(c)?.key ?? asSet(c)?.item;
  if (!key) return undefined;
  if (key.kind === 'none') return provisional(T.bool, [c, k]);
  const lk = lookupKey(key, k);
  if (typeof lk === 'string') return `${typeToString(k)} in a ${typeToString(c)} is always False here; compare keys of one type`;
  const name = containerName(c);
  return {
    result: T.bool, argTypes: [c, lk],
    lower: stmts((a, out, cx) => [`{ int kr = ${name}_contains(${a[0]}, ${a[1]}); if (kr < 0) ${cx.propagate()} ${out} = kr; }`]),
  };
}

const len = ([c]: KType[]): Res | undefined =>
  c?.kind === 'dict' || c?.kind === 'set' ? { result: T.int, argTypes: [c], lower: stmts((a, out) => [`${out} = ${a[0]}->used;`]) }
    : c?.kind === 'deque' ? { result: T.int, argTypes: [c], lower: stmts((a, out) => [`${out} = ${a[0]}->len;`]) } : undefined;

/** `d.get(k, default)`: the default must be of the value type (Python would return the default's own type). */
function dictGet([c, k, dflt]: KType[]): Res | undefined {
  const d = asDict(c);
  if (!d) return undefined;
  if (isNone(dflt)) return dictGetOrNone(d, k);
  if (d.key.kind === 'none' || d.value.kind === 'none') return provisional(stored(dflt), [c, k, dflt]);
  const lk = lookupKey(d.key, k);
  if (typeof lk === 'string') return lk;
  if (dflt.kind === 'list' && dflt.item.kind === 'none' && d.value.kind === 'list') return dictGetFreshList(d, lk, dflt);
  if (typeToString(stored(dflt)) !== typeToString(d.value) && !intoUnion(d.value, dflt)) {
    return `d.get(k, default) with a ${typeToString(dflt)} default on a ${typeToString(d)} would give ${typeToString(dflt)} or ${typeToString(d.value)}; give a default of the value type`;
  }
  const name = containerName(d);
  return {
    result: d.value, argTypes: [d, lk, d.value], lower: stmts((a, out, cx) => [cx.try(`${name}_get_default(${a[0]}, ${a[1]}, ${a[2]}, &${out})`)]),
    inPlace: { find: (a, err) => `${name}_find(${a[0]}, ${a[1]}, &${err})`, missing: (a, out) => `${out} = ${a[2]};` },
  };
}

/**
 * `d.get(k, [])` on a dict of lists: the stored list, or the new empty list `[]` made for the call (whose items
 * nothing has taught: it is made here as a list of the value's item type, by the instantiation's factory).
 */
function dictGetFreshList(d: KType & { kind: 'dict' }, lk: KType, dflt: KType): Res {
  const name = containerName(d);
  return {
    result: d.value, argTypes: [d, lk, dflt],
    lower: stmts((a, out, cx) => [
      `{ int kr_fe = 0; ${cType(d.value)} *kr_fp = ${name}_find(${a[0]}, ${a[1]}, &kr_fe); if (!kr_fp && kr_fe) ${cx.propagate()}`,
      `  if (kr_fp) ${out} = *kr_fp; else ${cx.try(`${name}_factory(&${out}, NULL)`)} }`,
    ]),
  };
}

/**
 * `d.get(k)`: the value, or None for a missing key, as a `V | None` union (ops/optional.ts narrows it where the
 * program tests it). Number, bool and NumPy array values (an array or None is the view with shape[0] == -1, no
 * reference counted); a str or list value may not share a variable with None yet.
 */
function dictGetOrNone(d: KType & { kind: 'dict' }, k: KType): Res {
  // Values that may be None already (`dict[int, int | None]`): a missing key gives their None.
  if (d.value.kind === 'union' && d.value.members.some((m) => m.kind === 'none')) {
    if (d.key.kind === 'none') return provisional(T.none, [d, k, T.none]);
    const lk = lookupKey(d.key, k);
    if (typeof lk === 'string') return lk;
    const u = d.value, name = containerName(d);
    return {
      result: u, argTypes: [d, lk, T.none],
      lower: stmts((a, out, cx) => [
        `{ int kr_fe = 0; ${cType(u)} *kr_fp = ${name}_find(${a[0]}, ${a[1]}, &kr_fe); if (!kr_fp && kr_fe) ${cx.propagate()}`,
        `  ${out} = kr_fp ? *kr_fp : ${unionBox('0', T.none, u)};${ownsReferences(u) ? ` kr_incref(${out});` : ''} }`,
      ]),
    };
  }
  if (d.value.kind !== 'scalar' && d.value.kind !== 'array') {
    return d.value.kind === 'none' ? provisional(T.none, [d, k, T.none])
      : `d.get(k) on a ${typeToString(d)} gives a ${typeToString(d.value)} or None, and a ${typeToString(d.value)} may not share a value with None yet: pass a default (d.get(k, ${d.value.kind === 'list' ? '[]' : '""'})), or test k in d first`;
  }
  if (d.key.kind === 'none') return provisional(T.none, [d, k, T.none]);
  const lk = lookupKey(d.key, k);
  if (typeof lk === 'string') return lk;
  const u = unionOf([d.value, T.none]);
  if (typeof u === 'string' || u.kind !== 'union') return `d.get(k) on a ${typeToString(d)}: ${u}`;
  const name = containerName(d);
  return {
    result: u, argTypes: [d, lk, T.none],
    lower: stmts((a, out, cx) => [
      `{ int kr_fe = 0; ${cType(d.value)} *kr_fp = ${name}_find(${a[0]}, ${a[1]}, &kr_fe); if (!kr_fp && kr_fe) ${cx.propagate()}`,
      `  ${out} = kr_fp ? ${unionBox('(*kr_fp)', d.value, u)} : ${unionBox('0', T.none, u)}; }`,
    ]),
  };
}

function dictSetdefault([c, k, dflt]: KType[]): Res | undefined {
  const d = asDict(c);
  if (!d) return undefined;
  if (isNone(dflt) && !intoUnion(d.value, T.none)) return 'd.setdefault(k) stores None, which is outside the compiled subset: pass a default';
  // `g.setdefault(k, set()).add(x)` on a `g = {}`: typed again once the inner container's use teaches both.
  if (isUnrefined(d) || isUnrefined(dflt)) return provisional(stored(dflt), [c, k, dflt]);
  const bad = storeProblem('key', d.key, k, d) ?? storeProblem('value', d.value, dflt, d);
  if (bad) return bad;
  const name = containerName(d);
  return { result: d.value, argTypes: [d, escaped(k), storedValue(d.value, dflt)], lower: stmts((a, out, cx) => [cx.try(`${name}_setdefault(${a[0]}, ${a[1]}, ${a[2]}, &${out})`)]) };
}

function dictPop([c, k, dflt]: KType[]): Res | undefined {
  if (c?.kind === 'deque') return dequePop(false)([c, k]);
  const d = asDict(c);
  if (!d) return c?.kind === 'set' ? frozenProblem(c, 'pop') ?? setPop([c, k]) : undefined;
  if (!k) return 'pop expected at least 1 argument, got 0';
  // `d.pop(k, {})`: typed again once the fresh default has the dict's value type.
  if (!isNone(dflt) && (isUnrefined(d) || isUnrefined(dflt))) return provisional(d.value, [d, k, dflt]);
  const lk = lookupKey(d.key, k);
  if (typeof lk === 'string') return lk;
  const name = containerName(d);
  if (isNone(dflt)) return { result: d.value, argTypes: [d, lk], lower: stmts((a, out, cx) => [cx.try(`${name}_pop(${a[0]}, ${a[1]}, &${out})`)]) };
  if (typeToString(stored(dflt)) !== typeToString(d.value)) return `d.pop(k, default) with a ${typeToString(dflt)} default on a ${typeToString(d)} would give two types; give a default of the value type`;
  return { result: d.value, argTypes: [d, lk, d.value], lower: stmts((a, out, cx) => [cx.try(`${name}_pop_default(${a[0]}, ${a[1]}, ${a[2]}, &${out})`)]) };
}

function setPop([c, extra]: KType[]): Res {
  const s = c as SetT;
  if (!isNone(extra)) return 'set.pop() takes no arguments';
  const name = containerName(s);
  return { result: s.item, argTypes: [s], lower: stmts((a, out, cx) => [cx.try(`${name}_pop(${a[0]}, &${out})`)]) };
}

function update([c, o]: KType[]): Res | undefined {
  if (c?.kind === 'dict') {
    if (o?.kind === 'list' && c.value.kind === 'scalar' && c.value.name === 'int') return counterAddList(1, 'update')([c, o]);
    if (o?.kind !== 'dict') return `d.update() of a ${o ? typeToString(o) : 'nothing'} is not compiled (a dict of the same types is)`;
    if (typeToString(o) !== typeToString(c)) return `d.update(e) of a ${typeToString(o)} into a ${typeToString(c)} would give a dict of mixed types`;
    return { result: T.none, argTypes: [c, o], lower: stmts((a, _o, cx) => [cx.try(`kr_dict_update_dispatch(${a[0]}, ${a[1]})`)]) };
  }
  if (c?.kind === 'set') {
    const frozen = frozenProblem(c, 'update');
    if (frozen) return frozen;
    if (o?.kind === 'set' && typeToString(thawed(o)) === typeToString(c)) return { result: T.none, argTypes: [c, o], lower: stmts((a, _o, cx) => [cx.try(`kr_set_update(${a[0]}, ${a[1]})`)]) };
    if (o?.kind === 'list' && typeToString(o.item) === typeToString(c.item)) {
      const name = containerName(c), et = listElemC(c.item);
      return { result: T.none, argTypes: [c, o], lower: stmts((a, _o, cx) => [`for (int64_t k = 0; k < ${a[1]}->len; k++) ${cx.try(`${name}_add(${a[0]}, ((${et} *)${a[1]}->data)[k])`)}`]) };
    }
    return `s.update() of a ${o ? typeToString(o) : 'nothing'} is not compiled (a set or a list of the same item type is)`;
  }
  return undefined;
}

/**
 * One item of a generator that `s.update(gen)` or `d.update(gen)` reads: CPython's set_update_internal,
 * Counter.update and PyDict_MergeFromSeq2 store each item as the generator makes it, so the generator sees the
 * container grow (the tracer emits this op per item). A set adds it; a Counter counts an item of its key type; a
 * plain dict stores a (key, value) pair.
 */
function updateItem([c, x]: KType[], consts: (ConstValue | undefined)[], ops: OpLookup): Res {
  if (c?.kind === 'set') return frozenProblem(c, 'update') ?? (ops('method.add')!.resolve([c, x], consts.slice(0, 2)) as Res);
  const d = asDict(c);
  if (!d || !x) return `'${c ? typeToString(c) : 'None'}' object has no attribute 'update'`;
  const name = containerName(d);
  if (typeToString(d.value) === 'int' && x.kind !== 'char' && typeToString(escaped(x)) === typeToString(d.key)) {
    // A plain dict takes each item as a (key, value) pair: a number is none (CPython's TypeError); a str or a
    // tuple of two would store keys of another type.
    const mixed = `kr_raise(KILN_NotImplementedError, "update() of a dict[${typeToString(d.key)}, int] by a generator of its key type is compiled for a Counter (a plain dict would take each item as a (key, value) pair)")`;
    const notPair = (item: string) => (d.key.kind === 'scalar' || d.key.kind === 'complex' ? 'kr_raise(KILN_TypeError, "cannot convert dictionary update sequence element #0 to a sequence");'
      : d.key.kind === 'str' ? `if (kr_str_len(${item}) != 2) { char km[96]; int kn = snprintf(km, sizeof km, "dictionary update sequence element #0 has length %lld; 2 is required", (long long)kr_str_len(${item})); kr_raise_copy(KILN_ValueError, km, (size_t)kn); } else ${mixed};`
      : `${mixed};`);
    return {
      result: T.none, argTypes: [d, d.key],
      lower: stmts((a, _o, cx) => [
        `if (kr_dict_flavor(${a[0]}) != KR_DICT_COUNTER) { ${notPair(a[1])} ${cx.propagate()} }`,
        cx.try(`${name}_counter_add(${a[0]}, ${a[1]}, 1)`),
      ]),
    };
  }
  if (x.kind !== 'tuple' || x.items.length !== 2) {
    return `d.update() of a generator of ${typeToString(x)} into a ${typeToString(d)} is not compiled (a generator of (key, value) pairs is, and a Counter's of its key type)`;
  }
  const bad = storeProblem('key', d.key, x.items[0], d) ?? storeProblem('value', d.value, x.items[1], d);
  if (bad) return bad;
  return {
    result: T.none, argTypes: [d, x],
    lower: stmts((a, _o, cx) => [
      // A Counter counts a pair as one key, which a Counter of another key type cannot hold.
      `if (kr_dict_flavor(${a[0]}) == KR_DICT_COUNTER) { kr_raise(KILN_NotImplementedError, "Counter.update() by a generator of tuples is not compiled for a Counter of another key type (it counts each tuple as a key)"); ${cx.propagate()} }`,
      cx.try(`${name}_set(${a[0]}, ${a[1]}.f0, ${a[1]}.f1)`),
    ]),
  };
}

// ---- set operations -----------------------------------------------------------------------------------

function setMethod(method: 'add' | 'discard' | 'remove') {
  return ([c, x]: KType[]): Res => {
    const q = asDeque(c);
    if (q && method === 'remove') {
      const bad = dequeItem(q, x);
      if (bad) return bad;
      return { result: T.none, argTypes: [q, escaped(x!)], lower: stmts((a, _o, cx) => [cx.try(`${containerName(q)}_remove(${a[0]}, ${a[1]})`)]) };
    }
    const s = asSet(c);
    if (!s) return `'${c ? typeToString(c) : 'None'}' object has no attribute '${method}'`;
    const frozen = frozenProblem(s, method);
    if (frozen) return frozen;
    if (!x) return `${method}() takes exactly one argument (0 given)`;
    const name = containerName(s);
    if (method === 'add') {
      const bad = storeProblem('item', s.item, x, s);
      if (bad) return bad;
      return { result: T.none, argTypes: [s, escaped(x)], lower: stmts((a, _o, cx) => [cx.try(`${name}_add(${a[0]}, ${a[1]})`)]) };
    }
    const k = lookupKey(s.item, x);
    if (typeof k === 'string') return k;
    return {
      result: T.none, argTypes: [s, k],
      lower: stmts((a, _o, cx) => [method === 'remove' ? cx.try(`${name}_remove(${a[0]}, ${a[1]})`) : `if (${name}_discard(${a[0]}, ${a[1]}) < 0) ${cx.propagate()}`]),
    };
  };
}

// ---- set algebra --------------------------------------------------------------------------------------

type SetOp = 'or' | 'and' | 'sub' | 'xor';
const SET_SYM: Record<SetOp, string> = { or: '|', and: '&', sub: '-', xor: '^' };

/** Why two containers cannot meet in a binary operation, or undefined when they are of the same types. */
const sameContainers = (sym: string, a: KType, b: KType): string | undefined =>
  typeToString(thawed(a)) === typeToString(thawed(b)) ? undefined
    : `${typeToString(a)} ${sym} ${typeToString(b)} is not compiled (both sides must be containers of the same types; convert the items first)`;

/** A set type as a set (a frozenset meets a set in set algebra; the result is of the left operand's type, as in CPython). */
const thawed = (t: KType): KType => (t.kind === 'set' && t.frozen ? T.set(t.item) : t);

/** A new container from a runtime call that returns a new reference or NULL (the error raised). */
const newContainer = (result: KType, args: KType[], call: (a: string[]) => string): Resolved => ({
  result, argTypes: args, lower: stmts((a, out, cx) => [`{ void *kc = ${call(a)}; if (!kc) ${cx.propagate()} ${out} = kc; }`]),
});

/** `s | t`, `s & t`, `s - t`, `s ^ t` of two sets of one type; `d | e` of two dicts (a copy of d updated with e). */
function containerBinop(op: SetOp) {
  return ([a, b]: KType[]): Res | undefined => {
    if (a?.kind === 'dict' && (op === 'or' || op === 'and' || op === 'sub')) {
      const sym = SET_SYM[op];
      if (b?.kind !== 'dict') return `unsupported operand type(s) for ${sym}: 'dict' and '${b ? typeToString(b) : 'None'}'`;
      // Counters add, subtract, intersect and unite counts; a plain dict merges for | (kiln_collections.h kr_dict_arith).
      if (op !== 'or' && typeToString(a.value) !== 'int') return `unsupported operand type(s) for ${sym}: 'dict' and 'dict'`;
      const code = { or: 'KR_COUNTER_OR', and: 'KR_COUNTER_AND', sub: 'KR_COUNTER_SUB' }[op];
      return sameContainers(sym, a, b) ?? newContainer(a, [a, b], (x) => (typeToString(a.value) === 'int' ? `kr_dict_arith(${x[0]}, ${x[1]}, ${code})` : `kr_dict_or(${x[0]}, ${x[1]})`));
    }
    if (a?.kind !== 'set') return undefined;
    if (b?.kind !== 'set') return `unsupported operand type(s) for ${SET_SYM[op]}: 'set' and '${b ? typeToString(b) : 'None'}'`;
    return sameContainers(SET_SYM[op], a, b) ?? newContainer(a, [a, b], (x) => `kr_set_${op}(${x[0]}, ${x[1]})`);
  };
}

/** `c + d` of two Counters (TypeError for plain dicts, at run time: the objects decide, as in Python). */
function counterAdd([a, b]: KType[]): Res | undefined {
  if (a?.kind !== 'dict') return undefined;
  if (b?.kind !== 'dict' || typeToString(a.value) !== 'int') return `unsupported operand type(s) for +: 'dict' and '${b ? typeToString(b).replace(/\[.*/, '') : 'None'}'`;
  return sameContainers('+', a, b) ?? newContainer(a, [a, b], (x) => `kr_dict_arith(${x[0]}, ${x[1]}, KR_COUNTER_ADD)`);
}

/**
 * `d |= e` (dict.__ior__: a merge), and on a dict of ints, which may be a Counter, `c += e`, `c -= e`, `c |= e`,
 * `c &= e`: Counter's in-place operators (an alias sees the change), decided by the object at run time
 * (kr_dict_iarith: a plain dict has no `+=`, TypeError as in CPython).
 */
function dictInplace(op: 'add' | 'sub' | 'or' | 'and') {
  const sym = `${{ add: '+', sub: '-', or: '|', and: '&' }[op]}=`;
  return ([a, b]: KType[]): Res | undefined => {
    if (a?.kind !== 'dict') return undefined;
    const counts = typeToString(a.value) === 'int';
    if (op !== 'or' && !counts) return `unsupported operand type(s) for ${sym}: 'dict' and '${b ? typeToString(b).replace(/\[.*/, '') : 'None'}'`;
    if (b?.kind !== 'dict') return `d ${sym} e of a ${b ? typeToString(b) : 'None'} is not compiled (a dict of the same types is)`;
    const bad = sameContainers(sym, a, b);
    if (bad) return bad;
    const call = (x: string[]) => (counts ? `kr_dict_iarith(${x[0]}, ${x[1]}, KR_COUNTER_${op.toUpperCase()})` : `kr_dict_merge(${x[0]}, ${x[1]})`);
    return { result: a, argTypes: [a, b], lower: stmts((x, out, cx) => [cx.try(call(x)), `${out} = ${x[0]}; kr_incref(${out});`]) };
  };
}

/** `s |= t`, `s &= t`, `s -= t`, `s ^= t`, `d |= e`: in place (a parameter's caller sees it); the result is the same object. */
function containerInplace(op: SetOp) {
  const fn = { or: 'kr_set_update', and: 'kr_set_iand', sub: 'kr_set_isub', xor: 'kr_set_ixor' }[op];
  return ([a, b]: KType[]): Res | undefined => {
    if (a?.kind === 'dict') return op === 'xor' ? `unsupported operand type(s) for ^=: 'dict' and '${b ? typeToString(b).replace(/\[.*/, '') : 'None'}'` : dictInplace(op)([a, b]);
    if (a?.kind !== 'set') return undefined;
    if (b?.kind !== 'set') return `unsupported operand type(s) for ${SET_SYM[op]}=: 'set' and '${b ? typeToString(b) : 'None'}'`;
    const bad = sameContainers(`${SET_SYM[op]}=`, a, b);
    if (bad) return bad;
    return { result: a, argTypes: [a, b], lower: stmts((x, out, cx) => [cx.try(`${fn}(${x[0]}, ${x[1]})`), `${out} = ${x[0]}; kr_incref(${out});`]) };
  };
}

/**
 * `x op= <generator>` before the generator runs: dict |= reads it as dict.update (kiln.update_item per pair) except
 * a Counter's, whose __ior__ reads other.items() first (AttributeError); every other receiver is CPython's TypeError
 * (a set's |= &= -= ^= take sets only), refused here.
 */
function inplaceGenerator([c, opName]: KType[], consts: (ConstValue | undefined)[]): Res {
  const op = (consts[1] as { value?: string } | undefined)?.value as SetOp | undefined;
  if (!op || opName?.kind !== 'str') return 'internal: the in-place operator needs its name';
  const d = asDict(c);
  if (!d || op !== 'or') return `unsupported operand type(s) for ${SET_SYM[op]}=: '${!c ? 'NoneType' : c.kind === 'set' && c.frozen ? 'frozenset' : pyName(c)}' and 'generator'${d ? ' (a dict |= takes a generator of pairs; a Counter\'s other operators take a mapping)' : ''}`;
  const counts = typeToString(d.value) === 'int';
  return {
    result: T.none, argTypes: [d, T.str],
    lower: stmts((a, _o, cx) => (counts
      ? [`if (kr_dict_flavor(${a[0]}) == KR_DICT_COUNTER) { kr_raise(KILN_AttributeError, "'generator' object has no attribute 'items'"); ${cx.propagate()} }`]
      : [])),
  };
}

/** The C element array and length of a list argument (its items are the set's key type). */
const keysOf = (x: string, item: KType): string => `(const ${listElemC(item)} *)${x}->data, ${x}->len`;

/**
 * `s.union(t)`, `s.intersection(t)`, `s.difference(t)`, `s.symmetric_difference(t)` and the `_update` forms, of
 * a set or a list of the set's item type (a list is read in its order, as CPython iterates it).
 */
function setMethodAlgebra(op: SetOp, update: boolean) {
  const name = { or: 'union', and: 'intersection', sub: 'difference', xor: 'symmetric_difference' }[op] + (update && op !== 'or' ? '_update' : '');
  return ([a, b, extra]: KType[]): Res => {
    if (a?.kind !== 'set') return `'${a ? typeToString(a) : 'None'}' object has no attribute '${name}'`;
    const frozen = update ? frozenProblem(a, name) : undefined;
    if (frozen) return frozen;
    if (!b || extra) return `set.${name}() of ${b ? 'several iterables' : 'nothing'} is not compiled here (pass one set or list)`;
    if (b.kind === 'set') {
      const bad = sameContainers(name, a, b);
      if (bad) return bad;
      return update ? (containerInplace(op)([a, b]) as Resolved) : (containerBinop(op)([a, b]) as Resolved);
    }
    if (b.kind !== 'list' || typeToString(escaped(b.item)) !== typeToString(a.item)) {
      return `set.${name}() of a ${typeToString(b)} is not compiled (a set or a list of the set's item type, ${typeToString(a.item)}, is)`;
    }
    const keys = (x: string[]) => keysOf(x[1], b.item);
    if (update) {
      const fn = { or: 'kr_set_update_keys', and: '', sub: 'kr_set_isub_keys', xor: 'kr_set_ixor_keys' }[op];
      if (op === 'and') {
        return {
          result: T.none, argTypes: [a, b],
          lower: stmts((x, _o, cx) => [`{ kr_set *kt = kr_set_and_keys(${x[0]}, ${keys(x)}); if (!kt) ${cx.propagate()} kr_set_swap_bodies(${x[0]}, kt); kr_decref(kt); }`]),
        };
      }
      return { result: T.none, argTypes: [a, b], lower: stmts((x, _o, cx) => [cx.try(`${fn}(${x[0]}, ${keys(x)})`)]) };
    }
    if (op === 'and') return newContainer(a, [a, b], (x) => `kr_set_and_keys(${x[0]}, ${keys(x)})`);
    const fn = { or: 'kr_set_update_keys', sub: 'kr_set_isub_keys', xor: 'kr_set_ixor_keys' }[op];
    return {
      result: a, argTypes: [a, b],
      lower: stmts((x, out, cx) => [
        `{ kr_set *kc = kr_set_copy(${x[0]}); if (!kc) ${cx.propagate()}`,
        `  if (${fn}(kc, ${keys(x)})) { kr_decref(kc); ${cx.propagate()} }`,
        `  ${out} = kc; }`,
      ]),
    };
  };
}

/** `s.issubset(t)`, `s.issuperset(t)`, `s.isdisjoint(t)` of a set or a list of the set's item type. */
function setPredicate(which: 'issubset' | 'issuperset' | 'isdisjoint') {
  return ([a, b]: KType[]): Res => {
    if (a?.kind !== 'set') return `'${a ? typeToString(a) : 'None'}' object has no attribute '${which}'`;
    if (!b) return `set.${which}() takes exactly one argument (0 given)`;
    const test = (call: (x: string[]) => string): Resolved => ({
      result: T.bool, argTypes: [a, b], lower: stmts((x, out, cx) => [`{ int kr = ${call(x)}; if (kr < 0) ${cx.propagate()} ${out} = kr; }`]),
    });
    if (b.kind === 'set') return sameContainers(`.${which}()`, a, b) ?? test((x) => `kr_set_${which}(${x[0]}, ${x[1]})`);
    if (b.kind !== 'list' || typeToString(escaped(b.item)) !== typeToString(a.item)) {
      return `set.${which}() of a ${typeToString(b)} is not compiled (a set or a list of the set's item type, ${typeToString(a.item)}, is)`;
    }
    return test((x) => `kr_set_${which}_keys(${x[0]}, ${keysOf(x[1], b.item)})`);
  };
}

/** `s <= t` (subset), `s < t` (proper subset), `s >= t`, `s > t` of two sets of one type. */
function setOrder(op: 'lt' | 'le' | 'gt' | 'ge') {
  const sym = { lt: '<', le: '<=', gt: '>', ge: '>=' }[op];
  return ([a, b]: KType[]): Res | undefined => {
    if (a?.kind !== 'set' && b?.kind !== 'set') return undefined;
    if (a?.kind !== 'set' || b?.kind !== 'set') return `'${sym}' not supported between instances of '${a ? typeToString(a).replace(/\[.*/, '') : 'None'}' and '${b ? typeToString(b).replace(/\[.*/, '') : 'None'}'`;
    const bad = sameContainers(sym, a, b);
    if (bad) return bad;
    // a > b is b < a, as CPython's set_richcompare.
    const [fn, swap] = ({ lt: ['kr_set_lt', false], le: ['kr_set_le', false], gt: ['kr_set_lt', true], ge: ['kr_set_le', true] } as const)[op];
    return {
      result: T.bool, argTypes: [a, b],
      lower: stmts((x, out, cx) => [`{ int kr = ${fn}(${swap ? x[1] : x[0]}, ${swap ? x[0] : x[1]}); if (kr < 0) ${cx.propagate()} ${out} = kr; }`]),
    };
  };
}

/**
 * `d.popitem()`: the last (key, value) pair, removed (KeyError: 'popitem(): dictionary is empty'); an OrderedDict's
 * `popitem(last=False)` takes the first (a plain dict given an argument raises TypeError, as CPython).
 */
function dictPopitem([c, last]: KType[]): Res {
  const d = asDict(c);
  if (!d) return `'${c ? typeToString(c) : 'None'}' object has no attribute 'popitem'`;
  const name = containerName(d);
  if (!last || isNone(last)) return { result: T.tuple([d.key, d.value]), argTypes: [d, T.none], lower: stmts((a, out, cx) => [cx.try(`${name}_popitem(${a[0]}, &${out}.f0, &${out}.f1)`)]) };
  return {
    result: T.tuple([d.key, d.value]), argTypes: [d, last],
    lower: stmts((a, out, cx) => [
      `if (kr_dict_flavor(${a[0]}) != KR_DICT_ORDERED) ${cx.raise('TypeError', '"dict.popitem() takes no arguments (1 given)"')}`,
      cx.try(`${name}_odict_popitem(${a[0]}, ${truthExpr(a[1], last)}, &${out}.f0, &${out}.f1)`),
    ]),
  };
}

// ---- collections.deque ---------------------------------------------------------------------------------

type DequeT = KType & { kind: 'deque' };
const asDeque = (t: KType | undefined): DequeT | undefined => (t?.kind === 'deque' ? (t as DequeT) : undefined);
const isIndex = (t: KType | undefined) => t?.kind === 'scalar' && (t.name === 'int' || t.name === 'bool');

/**
 * `deque(xs, maxlen)`: a ring buffer (kiln_collections.h) of the list's items (a generator or zip is read into a
 * list first), keeping the last maxlen; `deque()` takes its item type from the first append.
 */
function dequeOf([xs, maxlen]: KType[], consts: unknown[]): Res {
  if (!xs || isNone(xs)) {
    if (maxlen && !isNone(maxlen) && consts[1] === undefined) return 'an empty deque with a maxlen that is not a constant is not compiled; deque([first_item], maxlen=n) or a constant maxlen';
    return provisional(T.deque(T.none), [T.none, maxlen && !isNone(maxlen) ? T.int : T.none]);
  }
  if (maxlen && !isNone(maxlen) && !isIndex(maxlen)) return 'an integer is required';
  if (xs.kind !== 'list' || xs.item.kind === 'none') return `deque() of a ${typeToString(xs)} is not compiled (a list, a generator or zip(...) is)`;
  const item = escaped(xs.item);
  const bad = containerKind(item, 'key') && typeToString(item) === typeToString(xs.item) ? undefined : `deques of ${typeToString(xs.item)} are not compiled (items: ${KEY_TYPES})`;
  if (bad) return bad;
  const q = T.deque(item), name = containerName(q);
  const withMax = !!maxlen && !isNone(maxlen);
  return {
    result: q, argTypes: [xs, withMax ? T.int : T.none],
    lower: stmts((a, out, cx) => [
      ...(withMax ? [`if (${a[1]} < 0) ${cx.raise('ValueError', '"maxlen must be non-negative"')}`] : []),
      `{ kr_deque *kq = ${name}_new(${withMax ? a[1] : '-1'}); if (!kq) ${cx.propagate()}`,
      `  if (${name}_extend(kq, (const ${name}_item_t *)${a[0]}->data, ${a[0]}->len)) { kr_decref(kq); ${cx.propagate()} }`,
      `  ${out} = kq; }`,
    ]),
  };
}

/** An item going into a deque must be of its item type (a character becomes a str; CPython keeps the object). */
const dequeItem = (q: DequeT, x: KType | undefined): string | undefined =>
  !x ? 'expected one argument' : storeProblem('item', q.item, x, q);

/** `q.append(x)`, `q.appendleft(x)` (a deque at maxlen drops an item at the other end). */
function dequePush(left: boolean) {
  return ([c, x]: KType[]): Res | undefined => {
    const q = asDeque(c);
    if (!q) return left ? `'${c ? typeToString(c) : 'None'}' object has no attribute 'appendleft'` : undefined;
    if (q.item.kind === 'none') return provisional(T.none, [c, x]);
    const bad = dequeItem(q, x);
    if (bad) return bad;
    return { result: T.none, argTypes: [q, escaped(x)], lower: stmts((a, _o, cx) => [cx.try(`${containerName(q)}_${left ? 'appendleft' : 'append'}(${a[0]}, ${a[1]})`)]) };
  };
}

/** `q.pop()`, `q.popleft()`: IndexError "pop from an empty deque". */
function dequePop(left: boolean) {
  return ([c, i]: KType[]): Res | undefined => {
    const q = asDeque(c);
    if (!q) return left ? `'${c ? typeToString(c) : 'None'}' object has no attribute 'popleft'` : undefined;
    if (i && !isNone(i)) return `${left ? 'popleft' : 'pop'}() takes no arguments (1 given)`;
    return { result: q.item, argTypes: [q], lower: stmts((a, out, cx) => [cx.try(`${containerName(q)}_${left ? 'popleft' : 'pop'}(${a[0]}, &${out})`)]) };
  };
}

/** `q.extend(xs)`, `q.extendleft(xs)` of a list of the item type (extendleft reverses, as CPython); `q.extend(q2)`. */
function dequeExtend(left: boolean) {
  return ([c, xs]: KType[]): Res | undefined => {
    const q = asDeque(c);
    if (!q) return left ? `'${c ? typeToString(c) : 'None'}' object has no attribute 'extendleft'` : undefined;
    if (xs?.kind === 'deque' && !left && typeToString(xs) === typeToString(q)) return { result: T.none, argTypes: [q, xs], lower: stmts((a, _o, cx) => [cx.try(`kr_deque_extend_deque(${a[0]}, ${a[1]}, 0)`)]) };
    if (xs?.kind !== 'list' || typeToString(escaped(xs.item)) !== typeToString(q.item) || xs.item.kind === 'char') {
      return `${left ? 'extendleft' : 'extend'}() of a ${xs ? typeToString(xs) : 'nothing'} into a ${typeToString(q)} is not compiled (a list of its item type is)`;
    }
    return { result: T.none, argTypes: [q, xs], lower: stmts((a, _o, cx) => [cx.try(`${containerName(q)}_${left ? 'extendleft' : 'extend'}(${a[0]}, (const ${listElemC(q.item)} *)${a[1]}->data, ${a[1]}->len)`)]) };
  };
}

/** `list(q)`: a new list of the deque's items, left to right (then sorted(), sum(), max() of that list). */
function listOfDeque([c, extra]: KType[]): Res | undefined {
  const q = asDeque(c);
  if (!q || extra) return undefined;
  const et = listElemC(q.item), refs = itemRefsC(q.item);
  return {
    result: T.list(q.item), argTypes: [q],
    lower: stmts((a, out, cx) => [
      `{ kr_list *kl = kr_list_new(${a[0]}->len, sizeof(${et})); if (!kl) ${cx.propagate()}`,
      `  for (int64_t k = 0; k < ${a[0]}->len; k++) ((${et} *)kl->data)[k] = *(const ${et} *)KR_DQ(${a[0]}, &${containerName(q)}_ops, k);`,
      ...(refs ? [`  kr_list_retain(kl, 0, ${a[0]}->len, ${refs});`] : []),
      `  ${out} = kl; }`,
    ]),
  };
}

function dequeRotate([c, n]: KType[]): Res {
  const q = asDeque(c);
  if (!q) return `'${c ? typeToString(c) : 'None'}' object has no attribute 'rotate'`;
  if (n && !isNone(n) && !isIndex(n)) return `'${typeToString(n)}' object cannot be interpreted as an integer`;
  const given = !!n && !isNone(n);
  return { result: T.none, argTypes: [q, given ? T.int : T.none], lower: stmts((a, _o, cx) => [cx.try(`kr_deque_rotate(${a[0]}, ${given ? a[1] : '1'})`)]) };
}

/** `q[i]`, `q[i] = x`, `del q[i]` (IndexError "deque index out of range"); the loop over a deque reads q[i] too. */
function dequeGetitem([c, i, extra]: KType[]): Res | undefined {
  const q = asDeque(c);
  if (!q) return undefined;
  if (extra || !isIndex(i)) return `sequence index must be integer, not '${i ? typeToString(i) : 'None'}' (deques take one int index; no slices)`;
  return { result: q.item, argTypes: [q, T.int], lower: stmts((a, out, cx) => [cx.try(`${containerName(q)}_get(${a[0]}, ${a[1]}, &${out})`)]) };
}
function dequeSetitem([c, i, v, extra]: KType[]): Res | undefined {
  const q = asDeque(c);
  if (!q) return undefined;
  if (extra || !isIndex(i)) return `sequence index must be integer, not '${i ? typeToString(i) : 'None'}' (deques take one int index; no slices)`;
  const bad = dequeItem(q, v);
  if (bad) return bad;
  return { result: T.none, argTypes: [q, T.int, escaped(v)], lower: stmts((a, _o, cx) => [cx.try(`${containerName(q)}_set(${a[0]}, ${a[1]}, ${a[2]})`)]) };
}

// ---- loops ----------------------------------------------------------------------------------------------

/** The loop state over a dict's keys/values/items or a set's items (the tracer's for loop over a container). */
/**
 * A loop (or sum(), sorted() ...) the tracer made for a dict or set, given another type: `.keys()` of it, or code whose
 * iterable holds a dict or set in one call of its function and a sequence in another (ir/traces.ts: one trace per function).
 */
const notContainer = (c: KType) =>
  `iterating a ${typeToString(c)} where the code reads a dict or set (.keys() of it, or a helper whose iterable is a dict or set in another call: Kiln compiles one loop form for every call) is not compiled`;

function loopStart([c, part]: KType[], consts: unknown[]): Res {
  const p = (consts[1] as { value?: string } | undefined)?.value as 'keys' | 'values' | 'items' | undefined;
  if (!p || part?.kind !== 'str') return 'internal: the loop state needs its part';
  if (c.kind === 'set') {
    if (p !== 'keys') return `'set' object has no attribute '${p}'`;
    return { result: { kind: 'iter', of: c, part: p }, argTypes: [c, T.str], lower: stmts((a, out, cx) => [`${out} = kr_loop_new_set(${a[0]}); if (!${out}) ${cx.propagate()}`]) };
  }
  if (c.kind !== 'dict') return p === 'keys' ? notContainer(c) : `iterating over .${p}() of a ${typeToString(c)} is not compiled (dicts have .keys(), .values() and .items())`;
  return { result: { kind: 'iter', of: c, part: p }, argTypes: [c, T.str], lower: stmts((a, out, cx) => [`${out} = kr_loop_new_dict(${a[0]}); if (!${out}) ${cx.propagate()}`]) };
}

function loopNext([it]: KType[]): Res {
  if (it.kind !== 'iter') return 'internal: not a loop state';
  const name = containerName(it.of);
  const next = it.of.kind === 'set' ? `kr_set_iter_next_(&${'$'}->si, &${name}_ops, &${'$'}->entry)` : `kr_dict_iter_next_(&${'$'}->di, &${name}_ops, &${'$'}->entry)`;
  return {
    result: T.bool, argTypes: [it], facts: { writes: [0] },
    lower: stmts((a, out, cx) => [`{ int kr = ${next.replaceAll('$', a[0])}; if (kr < 0) ${cx.propagate()} ${out} = kr; }`]),
  };
}

/** The key (or a set's item) and the value of the loop's current entry: new references (the loop variables own them). */
function loopPart(which: 'key' | 'value') {
  return ([it]: KType[]): Res => {
    if (it.kind !== 'iter') return 'internal: not a loop state';
    const c = it.of;
    const t = c.kind === 'set' ? c.item : c.kind === 'dict' ? (which === 'key' ? c.key : c.value) : T.none;
    const name = containerName(c);
    return { result: t, argTypes: [it], lower: stmts((a, out) => [`${out} = ((${name}_entry *)${a[0]}->entry)->${which === 'key' ? 'key' : 'value'};${takeRef(t, out)}`]) };
  };
}

/** The C element type of a list of this item type (as kiln_arrays.h stores it). */
const listElemC = (t: KType): string => (t.kind === 'str' ? 'kr_str *' : t.kind === 'list' ? 'kr_list *' : t.kind === 'scalar' ? (t.name === 'float' ? 'double' : t.name === 'bool' ? 'bool' : 'int64_t') : cType(t));

/**
 * `sorted(d)`, `sum(d.values())`, `max(s)`, `list(d.items())`: the keys, values, (key, value) pairs or items in
 * iteration order, as a new list for the builtin that consumes them at once (the tracer's kiln.view_list).
 */
function viewList([c, part]: KType[], consts: unknown[]): Res {
  const p = (consts[1] as { value?: string } | undefined)?.value;
  if (part?.kind !== 'str' || !p) return 'internal: the view needs its part';
  if (c.kind !== 'dict' && c.kind !== 'set') return p === 'keys' ? notContainer(c) : `.${p}() of a ${typeToString(c)} is not compiled`;
  if (c.kind === 'set' && p !== 'keys') return `'set' object has no attribute '${p}'`;
  const name = containerName(c);
  // items: (key, value) tuples, which own their fields' references as any tuple in a list does.
  const item = c.kind === 'set' ? c.item : p === 'keys' ? c.key : p === 'values' ? c.value : T.tuple([c.key, c.value]);
  const refs = itemRefsC(item);
  const field = p === 'values' ? 'value' : 'key';
  const iter = c.kind === 'set' ? ['kr_set_iter', 'kr_set_iter_init', 'kr_set_iter_next_', 'si'] : ['kr_dict_iter', 'kr_dict_iter_init', 'kr_dict_iter_next_', 'di'];
  return {
    result: T.list(item), argTypes: [c, T.str],
    lower: stmts((a, out, cx) => {
      const et = listElemC(item);
      const read = p === 'items' ? `(${et}){((${name}_entry *)ke)->key, ((${name}_entry *)ke)->value}` : `((${name}_entry *)ke)->${field}`;
      return [
        `{ kr_list *kl = kr_list_new(${a[0]}->used, sizeof(${et})); if (!kl) ${cx.propagate()}`,
        `  ${iter[0]} kit; ${iter[1]}(&kit, ${a[0]}); char *ke; int64_t kn = 0;`,
        `  while (${iter[2]}(&kit, &${name}_ops, &ke) > 0) ((${et} *)kl->data)[kn++] = ${read};`,
        ...(refs ? [`  kr_list_retain(kl, 0, kn, ${refs});`] : []),
        `  ${out} = kl; }`,
      ];
    }),
  };
}

/** `d == e`, `s != t` of two dicts or sets of the same types (a dict of lists: lists compare by content, not compiled). */
function containerEquality(op: 'eq' | 'ne') {
  return ([a, b]: KType[]): Res | undefined => {
    if ((a?.kind !== 'dict' && a?.kind !== 'set') || (b?.kind !== 'dict' && b?.kind !== 'set')) return undefined;
    // A set equals a frozenset of the same items (kr_set_eq), as in Python.
    if (typeToString(thawed(a)) !== typeToString(thawed(b))) return `${typeToString(a)} ${op === 'eq' ? '==' : '!='} ${typeToString(b)} is not compiled (compare containers of the same types)`;
    if (a.kind === 'dict' && a.value.kind === 'list') return `== of dicts of lists is not compiled (lists would compare by identity here)`;
    if (holdsArrays(a)) return `== of dicts holding NumPy arrays is not compiled (Python compares each array with ==, whose truth raises ValueError unless it has one item); compare the arrays with np.array_equal`;
    return {
      result: T.bool, argTypes: [a, b],
      lower: stmts((x, out, cx) => [`{ int kr = kr_${a.kind}_eq(${x[0]}, ${x[1]}); if (kr < 0) ${cx.propagate()} ${out} = ${op === 'eq' ? 'kr' : '!kr'}; }`]),
    };
  };
}

const iterItemOfContainer = ([c, i]: KType[]): Res | undefined =>
  c?.kind === 'deque' ? dequeGetitem([c, i])
  : c?.kind === 'dict' || c?.kind === 'set'
    ? `a ${typeToString(c)} iterated inside zip(), enumerate(), map(), filter() or a generator object is not compiled (a ${c.kind} is iterated where a for loop, a comprehension or a builtin such as sum() or sorted() reads it itself); iterate list(...) or sorted(...) of it there`
    : undefined;

/** The C of CPython's hash of a value of type `t` (an int, float, bool, str or a tuple of those; kiln_dict.h), else undefined. */
function hashC(t: KType, e: string): string | undefined {
  if (t.kind === 'scalar' && ['int', 'float', 'bool'].includes(t.name)) return `kr_hash_${t.name === 'int' ? 'i64' : t.name === 'float' ? 'f64' : 'bool'}(${e})`;
  if (t.kind === 'str') return `kr_str_hash(${e})`;
  if (t.kind !== 'tuple') return undefined;
  const items = t.items.map((x, i) => hashC(x, `(${e}).f${i}`));
  if (items.some((h) => !h)) return undefined;
  return `kr_tuplehash_end(${items.reduce((acc, h) => `kr_tuplehash_add(${acc}, ${h})`, 'kr_tuplehash_start()')}, ${items.length})`;
}

/** hash(x): CPython's value for numbers and tuples of them (a 64-bit build's, on every target); str and bytes hash as Kiln's str does. */
const hashOp: OpDef = {
  target: 'builtins.hash', python: 'hash(x)',
  signatures: ['int, float, bool, tuple of those (tuple[T, ...] too), frozenset of those -> int (CPython\'s value)', 'str, bytes -> int (equal for equal strings; not CPython\'s values, which are randomized per process)', 'instance -> int (its __hash__)'],
  resolve([x]) {
    if (x && (x.kind === 'str' || x.kind === 'char')) return { result: T.int, argTypes: [T.str], lower: expr((a) => `kr_str_hash(${a[0]})`) };
    if (x?.kind === 'bytes') return { result: T.int, argTypes: [x], lower: expr((a) => `kr_bytes_hash(${a[0]})`) };
    // A frozenset: CPython's hash from its items' (kiln_dict.h; its str items hash as Kiln's str does).
    if (x?.kind === 'set' && x.frozen) return { result: T.int, argTypes: [x], lower: expr((a) => `kr_frozenset_hash(${a[0]})`) };
    // A tuple[T, ...]: CPython's tuple hash over its items' hashes (as its dict key kind, lower/dicts.ts vtupleKindDecl).
    const itemHash = x?.kind === 'list' && x.tuple ? hashC(x.item, 'kv') : undefined;
    if (x?.kind === 'list' && itemHash) {
      const et = cType(x.item);
      return {
        result: T.int, argTypes: [x], facts: { headers: ['kiln_collections.h'] },
        lower: stmts((a, out) => [`{ uint64_t kacc = kr_tuplehash_start(); for (int64_t k = 0; k < ${a[0]}->len; k++) { ${et} kv = ((${et} *)${a[0]}->data)[k]; kacc = kr_tuplehash_add(kacc, ${itemHash}); } ${out} = kr_tuplehash_end(kacc, ${a[0]}->len); }`]),
      };
    }
    const unhashable = x && (x.kind === 'list' || x.kind === 'dict' || x.kind === 'set' || x.kind === 'array') ? (x.kind === 'array' ? 'numpy.ndarray' : x.kind) : undefined;
    if (unhashable) return `TypeError: unhashable type: '${unhashable}'`;
    const h = x && hashC(x, 'x');
    if (!x || !h) return `hash() of ${x ? typeToString(x) : 'nothing'} is not compiled (numbers, str, bytes, tuples of those and instances with __hash__ are)`;
    return { result: T.int, argTypes: [x], facts: { headers: ['kiln_collections.h'] }, lower: expr((a) => hashC(x, a[0])!) };
  },
};

const ops: OpDef[] = [
  hashOp,
  {
    target: 'kiln.make_dict', python: '{k: v, ...}', signatures: [`keys of one type (${KEY_TYPES}), values of one type (numbers, str, lists, dicts, sets, NumPy arrays of one dtype and rank) -> dict`, '{} -> an empty dict whose types come from what is stored in it'],
    facts: { emptyContainer: true, dictValues: 'make', takesUnions: true },
    // Values boxed into a union the dict holds (typecheck gives them the annotation's `V | None`) as they are; a key
    // or another value that is a union: one dict per combination of members (common_unions.ts).
    resolve: (args, consts) => (args.some((t, i) => t.kind === 'union' && (i % 2 === 0 || !containerKind(t, 'value')))
      ? dispatchOverMembers('{k: v, ...}', (ms) => makeDict(ms), args, consts) : makeDict(args)),
  },
  {
    target: 'kiln.make_set', python: '{a, b, ...}', signatures: [`items of one type (${KEY_TYPES}) -> set`],
    facts: { emptyContainer: true }, resolve: (args, consts) => makeSet(args, consts),
  },
  {
    target: 'collections.defaultdict', python: 'defaultdict(int | float | bool | str | list | set | dict | lambda: constant)',
    signatures: ['factory -> dict[K, V] whose d[k] stores factory() for a missing key (K, V learnt from the uses)', 'lambda: a number, or a list or tuple of numbers -> a factory that makes it (a new list each time)'],
    facts: { emptyContainer: 'factory' },
    resolve: (args, consts) => {
      const f = (consts[0] as { value?: string } | undefined)?.value;
      if (!f) return args.length ? 'defaultdict() takes a factory named at compile time (int, float, bool, str, list)' : makeDict([]);
      if (f === 'lambda') {
        const made = lambdaFactory(consts);
        return typeof made === 'string' ? made : provisional(T.dict(T.none, made.value), []);
      }
      const v = FACTORY_VALUE[f];
      return v ? provisional(T.dict(T.none, v), []) : `defaultdict(${f}) is not compiled (factories: int, float, bool, str, list, set, dict)`;
    },
  },
  {
    target: 'collections.Counter', python: 'Counter(xs)', signatures: ['() -> an empty Counter (key type learnt from the uses)', 'list[K] (or a generator, zip) -> dict[K, int] that is a Counter'],
    facts: { emptyContainer: 'factory', consumesIterable: true }, resolve: counterOf,
  },
  { target: 'method.most_common', python: 'c.most_common(n)', signatures: ['Counter of number or str keys[, int] -> list[tuple[K, int]] (largest first, ties in insertion order)'], resolve: mostCommon },
  { target: 'method.total', python: 'c.total()', signatures: ['Counter -> int'], resolve: counterTotal },
  {
    target: 'method.subtract', python: 'c.subtract(xs)', signatures: ['Counter[K], list[K] -> None'], facts: { writes: [0] },
    resolve: (args) => counterAddList(-1, 'subtract')(args) ?? `c.subtract() of a ${args[1] ? typeToString(args[1]) : 'nothing'} is not compiled (a list of the key type is)`,
  },
  {
    target: 'collections.deque', python: 'deque(xs, maxlen)', signatures: ['list[T] (a generator, zip)[, int] -> deque[T]', '() -> a deque whose item type comes from the first append'],
    facts: { emptyContainer: 'factory', consumesIterable: true, keywords: ['iterable', 'maxlen'] }, resolve: dequeOf,
  },
  { target: 'method.appendleft', python: 'q.appendleft(x)', signatures: ['deque[T], T -> None'], facts: { writes: [0], refinesContainer: { item: 1 } }, resolve: (args) => dequePush(true)(args)! },
  { target: 'method.popleft', python: 'q.popleft()', signatures: ['deque[T] -> T (IndexError: pop from an empty deque)'], facts: { writes: [0] }, resolve: (args) => dequePop(true)(args)! },
  { target: 'method.extendleft', python: 'q.extendleft(xs)', signatures: ['deque[T], list[T] -> None'], facts: { writes: [0] }, resolve: (args) => dequeExtend(true)(args)! },
  { target: 'method.rotate', python: 'q.rotate(n)', signatures: ['deque[T][, int] -> None'], facts: { writes: [0] }, resolve: dequeRotate },
  { target: 'builtins.set', python: 'set(xs)', signatures: ['() -> an empty set whose item type comes from what is added', 'list[T] -> set[T]', 'str -> set[str] (its characters)', 'range, tuple[T, ...] -> set[T]', 'set[T], frozenset[T], dict[T, V] -> set[T] (sized as CPython\'s copy)'], facts: { emptyContainer: true }, resolve: (args) => setOf(args) },
  {
    target: 'builtins.frozenset', python: 'frozenset(xs)',
    signatures: ['() -> an empty frozenset whose item type comes from its annotation or the frozensets it meets', 'list[T], str, range, tuple[T, ...], set[T], dict[T, V] -> frozenset[T] (built as set(xs) is)', 'frozenset[T] -> the same frozenset'],
    facts: { emptyContainer: true }, resolve: (args) => setOf(args, true),
  },
  {
    target: 'builtins.dict', python: 'dict(pairs)', signatures: ['() -> an empty dict', 'list[tuple[K, V]] (zip(keys, values), a list of pairs) -> dict[K, V]', 'dict[K, V] -> a new dict'],
    facts: { emptyContainer: true, consumesIterable: true }, resolve: (args) => dictOf(args),
  },
  {
    target: '_operator.delitem', python: 'del d[k]', signatures: ['dict[K, V], K -> None (KeyError with the key\'s repr)', 'list, int or slice -> None (del lst[i], del lst[a:b:c])'], facts: { writes: [0], keepsNoList: 'receiver', dictValues: 'drop' },
    resolve: containerDelitem,
  },
  { target: 'method.get', python: 'd.get(k, default)', signatures: ['dict[K, V], K, V -> V', 'dict[K, V], K -> V | None (V a number or bool)'], facts: { takesUnrefined: true, lookupTeaches: { key: 1, value: 2 }, freshDefault: 2, dictValues: 'read' }, resolve: dictGet },
  { target: 'method.setdefault', python: 'd.setdefault(k, v)', signatures: ['dict[K, V], K, V -> V (stores v when k is absent)'], facts: { writes: [0], refinesContainer: { key: 1, value: 2 }, freshDefault: 2, dictValues: 'add' }, resolve: dictSetdefault },
  { target: 'method.update', python: 'd.update(e) / s.update(xs)', signatures: ['dict[K, V], dict[K, V] -> None', 'set[T], set[T] or list[T] -> None'], facts: { writes: [0] }, resolve: (args) => update(args) ?? `'${typeToString(args[0])}' object has no attribute 'update'` },
  { target: 'kiln.inplace_generator', python: 'd |= <generator> (before it runs)', signatures: ['dict[K, V], str -> None (AttributeError for a Counter, as its __ior__)'], resolve: inplaceGenerator },
  { target: 'kiln.update_item', python: 's.update(<generator>) / d.update(<generator>)', signatures: ['set[T], T -> None', 'Counter[K], K -> None', 'dict[K, V], tuple[K, V] -> None'], facts: { writes: [0], refinesContainer: { item: 1 } }, resolve: updateItem },
  { target: 'method.add', python: 's.add(x)', signatures: ['set[T], T -> None'], facts: { writes: [0], refinesContainer: { item: 1 }, meetsContainer: 'key' }, resolve: setMethod('add') },
  { target: 'method.discard', python: 's.discard(x)', signatures: ['set[T], T -> None'], facts: { writes: [0], meetsContainer: 'key' }, resolve: setMethod('discard') },
  ...(['or', 'and', 'sub', 'xor'] as const).flatMap((op): OpDef[] => {
    const m = { or: 'union', and: 'intersection', sub: 'difference', xor: 'symmetric_difference' }[op];
    return [
      { target: `method.${m}`, python: `s.${m}(t)`, signatures: ['set[T], set[T] or list[T] -> set[T]'], facts: { meetsContainer: 'same' }, resolve: setMethodAlgebra(op, false) },
      ...(op === 'or' ? [] : [{ target: `method.${m}_update`, python: `s.${m}_update(t)`, signatures: ['set[T], set[T] or list[T] -> None (in place)'], facts: { writes: [0], meetsContainer: 'same' as const }, resolve: setMethodAlgebra(op, true) }]),
    ];
  }),
  ...(['issubset', 'issuperset', 'isdisjoint'] as const).map((m): OpDef => ({ target: `method.${m}`, python: `s.${m}(t)`, signatures: ['set[T], set[T] or list[T] -> bool'], facts: { meetsContainer: 'same' }, resolve: setPredicate(m) })),
  { target: 'method.popitem', python: 'd.popitem()', signatures: ['dict[K, V] -> tuple[K, V] (the last pair; KeyError when empty)', 'OrderedDict, last=bool -> the last or first pair'], facts: { writes: [0], keywords: ['self', 'last'], dictValues: 'drop' }, resolve: dictPopitem },
  {
    target: 'collections.OrderedDict', python: 'OrderedDict(pairs)', signatures: ['() -> an empty OrderedDict (types learnt from the uses)', 'list of pairs, zip(keys, values) or a dict -> OrderedDict'],
    facts: { emptyContainer: 'factory', consumesIterable: true }, resolve: orderedDictOf,
  },
  { target: 'method.move_to_end', python: 'od.move_to_end(k, last=True)', signatures: ['OrderedDict[K, V], K[, bool] -> None'], facts: { writes: [0], keywords: ['self', 'key', 'last'] }, resolve: moveToEnd },
  { target: 'method.remove', python: 's.remove(x)', signatures: ['set[T], T -> None (KeyError with the item\'s repr)'], facts: { writes: [0], keepsNoList: 'receiver', meetsContainer: 'key' }, resolve: setMethod('remove') },
  {
    target: 'kiln.loop_start', python: 'for k in d / d.keys() / d.values() / d.items(), for x in s',
    signatures: ['dict or set, part -> the loop state (RuntimeError when the container changes size during the loop, as CPython)'],
    facts: { dictValues: 'none' }, resolve: loopStart,
  },
  {
    target: 'kiln.view_list', python: 'sorted(d), sum(d.values()), max(s), list(d.items()), len(d.keys())',
    signatures: ['a dict, its keys or values, or a set, consumed at once by a builtin -> a list in iteration order'],
    resolve: viewList,
  },
  { target: 'kiln.loop_next', python: '(next item of a loop over a dict or set)', signatures: ['loop state -> bool'], facts: { dictValues: 'none' }, resolve: loopNext },
  { target: 'kiln.loop_key', python: '(key of the current entry)', signatures: ['loop state -> key'], facts: { dictValues: 'none' }, resolve: loopPart('key') },
  { target: 'kiln.loop_value', python: '(value of the current entry)', signatures: ['loop state -> value'], facts: { dictValues: 'read' }, resolve: loopPart('value') },
];

const overloads: Overload[] = [
  { target: '_operator.getitem', signatures: ['dict[K, V], K -> V (KeyError with the key\'s repr; a defaultdict stores its factory\'s value)'], facts: { refinesContainer: { key: 1 }, meetsContainer: 'key', dictValues: 'read' }, resolve: dictGetitem },
  { target: '_operator.setitem', signatures: ['dict[K, V], K, V'], facts: { refinesContainer: { key: 1, value: -1 }, meetsContainer: 'key', dictValues: 'store' }, resolve: dictSetitem },
  { target: '_operator.contains', signatures: ['k in dict, x in set'], facts: { takesUnrefined: true, lookupTeaches: { key: 1 }, meetsContainer: 'key', dictValues: 'none' }, resolve: contains },
  { target: 'builtins.len', signatures: ['dict or set -> int'], facts: { takesUnrefined: true, dictValues: 'none' }, resolve: len },
  { target: 'method.pop', signatures: ['dict[K, V], K[, V] -> V (KeyError without a default)', 'set[T] -> T (KeyError: \'pop from an empty set\')'], facts: { freshDefault: 2, dictValues: 'take' }, resolve: dictPop },
  {
    target: 'method.clear', signatures: ['dict or set -> None'], facts: { dictValues: 'drop' },
    resolve: ([c]) => frozenProblem(c, 'clear') ?? (c?.kind === 'dict' || c?.kind === 'set' || c?.kind === 'deque' ? { result: T.none, argTypes: [c], lower: stmts((a) => [`kr_${c.kind}_clear(${a[0]});`]) } : undefined),
  },
  {
    target: 'method.copy', signatures: ['dict or set -> shallow copy'],
    resolve: ([c]) => (c?.kind === 'dict' || c?.kind === 'set'
      ? { result: c, argTypes: [c], lower: stmts((a, out, cx) => [`{ void *kc = kr_${c.kind}_copy(${a[0]}); if (!kc) ${cx.propagate()} ${out} = kc; }`]) } : undefined),
  },
  { target: 'kiln.iter_item', signatures: [], resolve: iterItemOfContainer },
  { target: '_operator.eq', signatures: ['dict, dict or set, set of the same types -> bool'], facts: { meetsContainer: 'same' }, resolve: containerEquality('eq') },
  { target: '_operator.ne', signatures: [], facts: { meetsContainer: 'same' }, resolve: containerEquality('ne') },
  { target: '_operator.add', signatures: ['Counter + Counter -> Counter (positive counts)'], resolve: counterAdd },
  { target: 'method.append', signatures: ['deque[T], T -> None (a full deque drops its first item)'], facts: { refinesContainer: { item: 1 } }, resolve: dequePush(false) },
  { target: 'method.extend', signatures: ['deque[T], list[T] or deque[T] -> None'], resolve: dequeExtend(false) },
  { target: 'builtins.list', signatures: ['deque[T] -> list[T] (left to right)'], resolve: listOfDeque },
  { target: 'method.reverse', signatures: ['deque -> None'], resolve: ([c]) => (c?.kind === 'deque' ? { result: T.none, argTypes: [c], lower: stmts((a) => [`kr_deque_reverse(${a[0]});`]) } : undefined) },
  { target: '_operator.getitem', signatures: ['deque[T], int -> T (IndexError: deque index out of range)'], resolve: dequeGetitem },
  { target: '_operator.setitem', signatures: ['deque[T], int, T'], resolve: dequeSetitem },
  { target: '_operator.iadd', signatures: ['Counter += Counter (in place, as Counter.__iadd__), and -=, |=, &=; dict |= dict'], resolve: dictInplace('add') },
  ...(['lt', 'le', 'gt', 'ge'] as const).map((op): Overload => ({ target: `_operator.${op}`, signatures: op === 'le' ? ['set <= set (subset), <, >=, > of sets of the same type -> bool'] : [], facts: { meetsContainer: 'same' }, resolve: setOrder(op) })),
  ...(['or', 'and', 'sub', 'xor'] as const).flatMap((op): Overload[] => {
    const t = op === 'or' || op === 'and' ? `${op}_` : op;
    return [
      { target: `_operator.${t}`, signatures: op === 'or' ? ['set | set, &, -, ^ of sets of the same type -> a new set', 'dict | dict -> a new dict (a copy of the left updated with the right)'] : [], facts: { meetsContainer: 'same' }, resolve: containerBinop(op) },
      { target: `_operator.i${op}`, signatures: op === 'or' ? ['set |= set, &=, -=, ^= and dict |= dict: in place, as Python'] : [], facts: { meetsContainer: 'same' }, resolve: containerInplace(op) },
    ];
  }),
];

export const dicts: OpDomain = { name: 'dicts', title: 'Dicts and sets', ops, overloads };
