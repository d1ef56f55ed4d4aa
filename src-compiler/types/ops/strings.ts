/**
 * Python's str: the built-ins, operators and methods, each lowered to the string runtime (resources/c/kiln_str.h,
 * docs/design/strings.md). A str is a reference-counted `kr_str *`; every op here takes its str arguments
 * borrowed and gives a new reference (the emitter owns and drops it: opt/lifetimes.ts).
 *
 * A character that has not escaped (`s[i]`, `for c in s`, `chr(i)`) is a code point (`char`): the ops that have a
 * code-point form use it (ord, chr, ==, <, in, c.isalpha(), c.upper(), `out += c`), so a character loop allocates
 * nothing; any other op takes it as a str (argTypes say str: the emitter makes the one-character string, shared
 * below 256, and drops it after the op).
 */
import { T, cType, isNumpyNumber, typeToString, unionHolds, unionMember, type KType } from '../types.ts';
import { expr, fn1, isIdx, pyName, stmts, typeError, type LowerContext, type ConstantDef, type OpDef, type OpDomain, type Overload, type Resolver } from './common.ts';
import { isScalarUnion, sortReverse } from './common_arrays.ts';
import { B, C, S, codePoints, constStr, isNoneArg, isStrish, newRef } from './common_strings.ts';

const I = T.int;
const isStr = (t: KType | undefined) => t?.kind === 'str';
const isChar = (t: KType | undefined) => t?.kind === 'char';
/** A str argument's type as an op takes it: a character is made a str. */
const asStr = (t: KType): KType => (isStrish(t) ? S : t);
/** The code point of a one-character str literal. */
const constChar = (c: Parameters<Resolver>[1][number]): number | undefined => {
  const v = constStr(c);
  const cps = v === undefined ? undefined : codePoints(v);
  return cps && cps.length === 1 ? cps[0] : undefined;
};
/** start/end arguments of find, count, startswith...: None is 0 and the end (KR_NONE_END, what None means there). */
const bound = (t: KType | undefined, a: string | undefined, end: boolean) => (isNoneArg(t) ? (end ? 'KR_NONE_END' : '0') : a!);
const boundsOk = (ts: (KType | undefined)[]) => ts.every((t) => isNoneArg(t) || isIdx(t!));
const notStr = (what: string, t: KType) => `${what} must be str, not ${pyName(t)}`;

// ---- built-ins ------------------------------------------------------------------------------------------

/** str(x) of the values compiled code holds. */
function strOf(t: KType, repr: boolean, ascii = false): ((a: string) => string) | string {
  switch (t.kind) {
    case 'str': return repr ? (a) => (ascii ? `kr_str_ascii(${a})` : `kr_str_repr(${a})`) : (a) => `kr_str_newref(${a})`;
    case 'none': return () => 'kr_str_none()';
    case 'bytes': return (a) => `kr_bytes_repr(${a})`;
    case 'scalar':
      if (t.name === 'bool') return (a) => `kr_str_from_bool(${a})`;
      if (t.name === 'int' || t.name === 'int64' || t.name === 'int32' || t.name === 'int16' || t.name === 'int8' || t.name === 'uint8' || t.name === 'uint16' || t.name === 'uint32') return (a) => `kr_str_from_i64((int64_t)(${a}))`;
      if (t.name === 'float' || t.name === 'float64') return (a) => `kr_str_from_f64(${a})`;
      return `str() of ${typeToString(t)} is not compiled (NumPy prints it its own way); convert with float(...) or int(...) first`;
    case 'union': {
      // An item of a list of int | float (a lone union value is dispatched over its members before this): its member's text.
      const parts = isScalarUnion(t) ? t.members.map((m) => ({ m, f: strOf(m, repr, ascii) })) : [];
      const bad = parts.find((p) => typeof p.f === 'string');
      if (!parts.length || bad) return typeof bad?.f === 'string' ? bad.f : `${repr ? 'repr' : 'str'}() of ${typeToString(t)} is not compiled`;
      return (a) => `(${parts.map(({ m, f }, i) => (i < parts.length - 1 ? `${unionHolds(a, t, m)} ? ${(f as (x: string) => string)(unionMember(a, t, m))} : ` : (f as (x: string) => string)(unionMember(a, t, m)))).join('')})`;
    }
    default: return `${repr ? 'repr' : 'str'}() of ${typeToString(t)} is not compiled`;
  }
}

/**
 * repr() of a NumPy scalar as NumPy 2 prints it: np.float64(9.0), np.int64(3), np.True_, np.complex128(1+2j) (NumPy
 * 1.x printed the bare number; Kiln follows NumPy 2). `numpy`: the value is surely NumPy's (ArgFacts.numpy); a
 * NumPy-typed number that may be a Python one (`s = 0.0` then `s += a[i]`: 0.0 after a loop that ran zero times)
 * has no one repr, and is refused. Undefined for a value that is not a NumPy scalar (a bool not known to be np.bool_).
 */
function numpyRepr(t: KType, numpy: boolean, cx?: LowerContext): ((a: string) => string) | string | undefined {
  if (t.kind === 'scalar' && t.name === 'bool') return numpy ? (a) => `kr_str_from_latin1(${a} ? "np.True_" : "np.False_", ${a} ? 8 : 9)` : undefined;
  if (!isNumpyNumber(t)) return undefined;
  if (!numpy) return `repr() of this ${typeToString(t)} is not compiled: it may be a Python number here, whose repr differs (0.0 against np.float64(0.0)): a variable set to 0.0 before a loop that adds array items to it is still the float when the loop ran zero times, and min()/max() may give their Python argument; make it one type with float(x) or np.float64(x)`;
  if (t.kind === 'complex') {
    return (a) => {
      cx?.support?.('kr_repr_np_complex_str', () => [
        'static KR_UNUSED kr_str *kr_repr_np_complex_str(kr_complex z) { char b[112]; size_t n = kr_np_complex_repr_text(z, b); return kr_str_from_latin1(b, (int64_t)n); }',
      ]);
      return `kr_repr_np_complex_str(${a})`;
    };
  }
  if (t.kind !== 'scalar' || t.name === 'float32' || t.name === 'uint64') return `repr() of ${typeToString(t)} is not compiled (NumPy prints it its own way); convert with float(...) or int(...) first`;
  return (a) => `kr_np_scalar_repr("${t.name}", ${t.name === 'float64' ? `kr_str_from_f64(${a})` : `kr_str_from_i64((int64_t)(${a}))`})`;
}

/**
 * The runtime's repr of a dict, set or deque (kiln_dict.h, kiln_collections.h: CPython's text, flavours included:
 * `Counter({...})`, `defaultdict(<class 'list'>, {...})`, `OrderedDict([...])`, `frozenset({...})`, `deque([...], maxlen=n)`),
 * when every key, value and item prints exactly: numbers, bool, str, tuples of them, and dicts and sets of them.
 */
function containerRepr(t: KType): string | undefined {
  const exact = (x: KType): boolean => (x.kind === 'scalar' && ['int', 'float', 'bool'].includes(x.name)) || x.kind === 'str'
    || (x.kind === 'tuple' && x.items.length > 0 && x.items.every(exact)) || (x.kind === 'list' && !!x.tuple && exact(x.item)) || ((x.kind === 'dict' || x.kind === 'set') && !!containerRepr(x));
  // A value that may be None (`dict[int, int | None]`): its members' reprs, `None` (lower/dicts.ts unionKindDecl).
  const maybeNone = (x: KType) => x.kind === 'union' && x.members.every((m) => m.kind === 'none' || (exact(m) && m.kind !== 'list' && m.kind !== 'dict' && m.kind !== 'set'));
  if (t.kind === 'dict' && exact(t.key) && (exact(t.value) || maybeNone(t.value) || (t.value.kind === 'complex' && !t.value.np))) return 'kr_dict_repr';
  if (t.kind === 'set' && exact(t.item)) return 'kr_set_repr';
  if (t.kind === 'deque' && exact(t.item)) return 'kr_deque_repr';
  return undefined;
}

/** Whether str()/repr() of a value of this type is compiled here as its repr: a dict, set or deque (containerRepr), a tuple or list (seqReprable). */
export const hasValueRepr = (t: KType): boolean => !!containerRepr(t) || ((t.kind === 'tuple' || t.kind === 'list') && seqReprable(t)) || (t.kind === 'complex' && !t.np);

/** C giving repr(x) of a dict, set, deque, tuple or list (hasValueRepr) as a new str, NULL with the error set. */
export function valueRepr(t: KType, x: string, cx: LowerContext): string {
  const repr = containerRepr(t);
  if (t.kind === 'complex') return itemRepr(t, x, cx);
  if (!repr) return `${seqReprFn(t as KType & { kind: 'tuple' | 'list' }, cx)}(${x})`;
  const name = `kr_repr_str_${repr.slice('kr_'.length, -'_repr'.length)}`;
  const obj = repr === 'kr_dict_repr' ? 'kr_dict' : repr === 'kr_set_repr' ? 'kr_set' : 'kr_deque';
  cx.support?.(name, () => [
    `/* repr() of a ${obj.slice(3)} as a str: the runtime's text, decoded */`,
    `static KR_UNUSED kr_str *${name}(${obj} *c) {`,
    '  kr_text t = { 0, 0, 0 };',
    `  kr_str *s = ${repr}(&t, c) ? NULL : kr_str_from_c(t.data ? t.data : "", (int64_t)t.len);`,
    '  kr_text_free(&t);',
    '  return s;',
    '}',
  ]);
  return `${name}(${x})`;
}

/**
 * A tuple or list whose items all have a repr here (numbers, bool, None, str, bytes, tuples and lists of them). Not
 * NumPy scalars: an item's type does not say that it is NumPy's (a list of np.float64 may hold a Python float).
 */
const seqReprable = (t: KType): boolean => (t.kind === 'tuple' && t.items.every(itemReprable)) || (t.kind === 'list' && t.item.kind !== 'none' && itemReprable(t.item));
const itemReprable = (x: KType): boolean => !isNumpyNumber(x) && (seqReprable(x) || x.kind === 'complex' || typeof strOf(x, true) !== 'string');
/** Whether a tuple, list, dict, set or deque holds NumPy scalars (somewhere inside). */
export const holdsNumpy = (t: KType): boolean => isNumpyNumber(t) || (t.kind === 'tuple' && t.items.some(holdsNumpy))
  || ((t.kind === 'list' || t.kind === 'set' || t.kind === 'deque') && holdsNumpy(t.item)) || (t.kind === 'dict' && (holdsNumpy(t.key) || holdsNumpy(t.value)));
/** Why str()/repr() of a container of NumPy scalars is refused. */
export const numpyItemsProblem = (t: KType, what: string): string =>
  `${what} of ${typeToString(t)} is not compiled: NumPy 2 prints its NumPy items as np.float64(9.0), np.int64(3), and the type does not say that each item is NumPy's (a Python number may be among them); convert the items with float(x) or int(x) first`;

/** C giving repr(v) of an item as a new str (NULL with the error set); tuples, lists and complex numbers through a support function. */
function itemRepr(x: KType, v: string, cx: LowerContext): string {
  if (x.kind === 'tuple' || x.kind === 'list') return `${seqReprFn(x, cx)}(${v})`;
  if (x.kind === 'complex') {
    cx.support?.('kr_repr_complex_str', () => [
      'static KR_UNUSED kr_str *kr_repr_complex_str(kr_complex z) { char b[96]; size_t n = kr_complex_repr_text(z, b); return kr_str_from_latin1(b, (int64_t)n); }',
    ]);
    return `kr_repr_complex_str(${v})`;
  }
  return (strOf(x, true) as (a: string) => string)(v);
}

/**
 * The name of a file-level C function giving repr() of a tuple or list of this type as a new str (NULL with the
 * error set): `(1, 'a', 2.5)`, `(1,)`, `()`, `[1, [2, 3]]` (a tuple[int, ...] as a tuple), item by item as CPython prints them.
 */
function seqReprFn(t: KType & { kind: 'tuple' | 'list' }, cx: LowerContext): string {
  cx.support?.('kr_repr_join', () => [
    '/* repr() of a tuple or list from its items\' reprs (each a new str, NULL when it failed; all dropped here) */',
    'static KR_UNUSED kr_str *kr_repr_join(kr_str **parts, int64_t n, const char *open, const char *close) {',
    '  int bad = 0;',
    '  for (int64_t i = 0; i < n; i++) bad |= !parts[i];',
    '  kr_str *sep = bad ? NULL : kr_str_from_c(", ", 2), *o = sep ? kr_str_from_c(open, -1) : NULL, *c = o ? kr_str_from_c(close, -1) : NULL;',
    '  kr_str *mid = c ? kr_str_join(sep, parts, n) : NULL, *left = mid ? kr_str_concat(o, mid) : NULL, *r = left ? kr_str_concat(left, c) : NULL;',
    '  for (int64_t i = 0; i < n; i++) kr_decref(parts[i]);',
    '  kr_decref(sep); kr_decref(o); kr_decref(c); kr_decref(mid); kr_decref(left);',
    '  return r;',
    '}',
  ]);
  const name = `kr_repr_${typeToString(t).replace(/[^A-Za-z0-9]+/g, '_')}`;
  if (t.kind === 'tuple') {
    const items = t.items.map((x, i) => itemRepr(x, `v.f${i}`, cx));
    cx.support?.(name, () => [
      `static KR_UNUSED kr_str *${name}(${cType(t)} v) {`,
      `  kr_str *parts[${Math.max(items.length, 1)}] = { ${items.length ? items.join(', ') : 'NULL'} };`,
      `  return kr_repr_join(parts, ${items.length}, "(", "${items.length === 1 ? ',)' : ')'}");`,
      '}',
    ]);
  } else {
    const item = itemRepr(t.item, `((${cType(t.item)} *)l->data)[i]`, cx);
    cx.support?.(name, () => [
      `static KR_UNUSED kr_str *${name}(kr_list *l) {`,
      '  int64_t n = l->len;',
      '  kr_str **parts = (kr_str **)calloc((size_t)(n ? n : 1), sizeof *parts);',
      '  if (!parts) return kr_raise(KILN_MemoryError, ""), NULL;',
      `  for (int64_t i = 0; i < n; i++) if (!(parts[i] = ${item})) break;`,
      // A tuple of a run-time length (tuple[int, ...]): `(1, 2)`, `(1,)`, `()`.
      `  kr_str *r = kr_repr_join(parts, n, ${t.tuple ? '"(", n == 1 ? ",)" : ")"' : '"[", "]"'});`,
      '  free(parts);',
      '  return r;',
      '}',
    ]);
  }
  return name;
}

const strBuiltin = (name: 'str' | 'repr' | 'ascii'): OpDef => ({
  target: `builtins.${name}`, python: `${name}(x)`, facts: { keepsNoList: 'all' },
  signatures: name === 'str'
    ? ['() -> \'\'', 'int, float, bool, None -> their text (floats: the shortest repr that round-trips, as CPython)', 'str -> itself', 'bytes -> its repr',
      'tuple, list, dict, set, deque of numbers, bool, str (tuples, nested) -> their repr, as CPython prints it']
    : [`str -> ${name === 'repr' ? 'its repr (quotes and escapes as CPython)' : 'its repr with non-ASCII escaped'}`, 'numbers, bool, None, bytes -> as repr',
      ...(name === 'repr' ? ['tuple, list, dict, set, deque of numbers, bool, str (tuples, nested) -> as CPython prints them'] : [])],
  resolve(args, _consts, _ops, argFacts) {
    if (name === 'str' && !args.length) return { result: S, argTypes: [], lower: expr(() => 'kr_str_empty') };
    if (args.length !== 1) return `${name}() takes exactly one argument here`;
    const t = asStr(args[0]);
    if (name !== 'str') {
      const np = numpyRepr(t, !!argFacts?.[0]?.numpy);
      if (typeof np === 'string') return name === 'ascii' ? np.replace('repr()', 'ascii()') : np;
      if (np) return { result: S, argTypes: [t], lower: stmts((a, out, cx) => [`${out} = ${(numpyRepr(t, true, cx) as (x: string) => string)(a[0])};`, `if (!${out}) ${cx.propagate()}`]) };
    }
    if (t.kind !== 'scalar' && t.kind !== 'complex' && holdsNumpy(t)) return numpyItemsProblem(t, `${name}()`);
    // A container's, tuple's or list's str() is its repr(): `{'a': 1}`, `(1,)`, `['a', 'b']`, `deque([1], maxlen=2)`.
    if (name !== 'ascii' && hasValueRepr(t)) {
      return { result: S, argTypes: [t], lower: stmts((a, out, cx) => [`${out} = ${valueRepr(t, a[0], cx)};`, `if (!${out}) ${cx.propagate()}`]) };
    }
    const f = strOf(t, name !== 'str', name === 'ascii');
    if (typeof f === 'string') return f;
    return { result: S, argTypes: [t], lower: newRef((a) => f(a[0])) };
  },
});

const ord: OpDef = {
  target: 'builtins.ord', python: 'ord(c)', signatures: ['str of one character -> int (TypeError otherwise, as CPython)'],
  resolve([c], consts) {
    if (!c || !isStrish(c)) return `ord() expected string of length 1, but ${c ? pyName(c) : 'nothing'} found`;
    const k = constChar(consts[0]);
    if (k !== undefined) return { result: I, argTypes: [S], lower: expr(() => `INT64_C(${k})`) };
    if (isChar(c)) return { result: I, argTypes: [C], lower: expr((a) => `((int64_t)${a[0]})`) };
    return { result: I, argTypes: [S], lower: fn1('kr_ord') };
  },
};

const chr: OpDef = {
  target: 'builtins.chr', python: 'chr(i)', signatures: ['int -> str of one character (ValueError outside range(0x110000))'],
  resolve([i]) {
    if (!i || !isIdx(i)) return `'${i ? pyName(i) : 'None'}' object cannot be interpreted as an integer`;
    return { result: C, argTypes: [I], lower: fn1('kr_chr_cp') };
  },
};

/** int(s), int(s, base), and int(c) of one character (a decimal digit is c - '0'). */
const intOfStr: Resolver = (args) => {
  const [s, base] = args;
  if (!s || !isStrish(s)) return args.length === 2 && !isNoneArg(base) ? "int() can't convert non-string with explicit base" : undefined;
  if (args.length > 2) return 'int() takes at most 2 arguments';
  if (base && !isIdx(base)) return `'${pyName(base)}' object cannot be interpreted as an integer`;
  const b = (a: string[]) => (base ? a[1] : 'INT64_C(10)');
  if (isChar(s) && !base) {
    return {
      result: I, argTypes: [C],
      lower: stmts((a, out, cx) => [
        `if (${a[0]} >= '0' && ${a[0]} <= '9') ${out} = (int64_t)(${a[0]} - '0');`,
        `else { kr_str *kc = kr_str_from_cp(${a[0]}); int kr = kc ? kr_str_to_int64(kc, 10, &${out}) : -1; kr_decref(kc); if (kr) ${cx.propagate()} }`,
      ]),
    };
  }
  return { result: I, argTypes: base ? [S, I] : [S], lower: { kind: 'call', emit: (a, o) => `kr_str_to_int64(${a[0]}, ${b(a)}, &${o})` } };
};

const floatOfStr: Resolver = ([s, ...rest]) => {
  if (!s || !isStrish(s)) return undefined;
  if (rest.length) return 'float() takes at most 1 argument';
  return { result: T.float, argTypes: [S], lower: fn1('kr_float_from_str') };
};

/** min/max of strings (code-point order; the first of equals wins, as Python), of one str (its characters), of a list of str. */
function strMinMax(name: 'min' | 'max'): Resolver {
  const better = name === 'min' ? '<' : '>';
  return (args) => {
    if (args.length >= 2 && args.every(isStrish)) {
      return {
        result: S, argTypes: args.map(() => S),
        lower: stmts((a, out) => [
          `{ kr_str *kb = ${a[0]};`,
          ...a.slice(1).map((x) => `  if (kr_str_cmp(${x}, kb) ${better} 0) kb = ${x};`),
          `  ${out} = kr_str_newref(kb); }`,
        ]),
      };
    }
    if (args.length !== 1) return undefined;
    const [x] = args;
    if (isStr(x)) {
      return {
        result: C, argTypes: [S],
        lower: stmts((a, out, cx) => [
          `if (${a[0]}->length == 0) ${cx.raise('ValueError', `"${name}() arg is an empty sequence"`)}`,
          `${out} = kr_str_at(${a[0]}, 0); for (int64_t k = 1; k < ${a[0]}->length; k++) { uint32_t kc = kr_str_at(${a[0]}, k); if (kc ${better} ${out}) ${out} = kc; }`,
        ]),
      };
    }
    if (x.kind === 'list' && isStr(x.item)) {
      return {
        result: S, argTypes: [x],
        lower: stmts((a, out, cx) => [
          `if (${a[0]}->len == 0) ${cx.raise('ValueError', `"${name}() arg is an empty sequence"`)}`,
          `{ kr_str **ki = (kr_str **)${a[0]}->data, *kb = ki[0]; for (int64_t k = 1; k < ${a[0]}->len; k++) if (kr_str_cmp(ki[k], kb) ${better} 0) kb = ki[k]; ${out} = kr_str_newref(kb); }`,
        ]),
      };
    }
    return undefined;
  };
}

/** sorted(s) (its characters), sorted(list of str) (code-point order, stable). */
const sortedStr: Resolver = ([x, rev], consts) => {
  const r = sortReverse(rev, consts[1]);
  if (isStr(x)) {
    if (typeof r === 'string') return r;
    return { result: T.list(S), argTypes: [S, rev ?? T.none], lower: newRef((a) => `kr_str_chars_list(${a[0]}, ${r ? 3 : 1})`) };
  }
  if (x?.kind === 'list' && isStr(x.item)) {
    if (typeof r === 'string') return r;
    return {
      result: T.list(S), argTypes: [x, rev ?? T.none],
      lower: stmts((a, out, cx) => [`${out} = kr_list_copy(${a[0]}, sizeof(kr_str *)); if (!${out}) ${cx.propagate()}`, cx.try(`kr_sort_strs((kr_str **)${out}->data, ${out}->len, ${r ? 1 : 0})`)]),
    };
  }
  return undefined;
};

const listOfStr: Resolver = ([x]) => (isStr(x) ? { result: T.list(S), argTypes: [S], lower: newRef((a) => `kr_str_chars_list(${a[0]}, 0)`) } : undefined);

const reversedOp: OpDef = {
  target: 'builtins.reversed', python: 'reversed(seq)', signatures: ['str -> its characters, last first', 'list -> its items, last first (a new list; in a for loop no list is made)'],
  resolve([x]) {
    if (isStr(x)) return { result: T.list(S), argTypes: [S], lower: newRef((a) => `kr_str_chars_list(${a[0]}, 2)`) };
    if (x?.kind === 'list' && x.item.kind !== 'none') {
      const et = cType(x.item);
      return {
        result: T.list(x.item), argTypes: [x],
        lower: stmts((a, out, cx) => [
          `${out} = kr_list_copy(${a[0]}, sizeof(${et})); if (!${out}) ${cx.propagate()}`,
          `for (int64_t i = 0, j = ${out}->len - 1; i < j; i++, j--) { ${et} kt = ((${et} *)${out}->data)[i]; ((${et} *)${out}->data)[i] = ((${et} *)${out}->data)[j]; ((${et} *)${out}->data)[j] = kt; }`,
        ]),
      };
    }
    return `reversed() of ${x ? typeToString(x) : 'nothing'} is compiled for a str and a list (and in a for loop, for x in reversed(seq))`;
  },
};

// ---- operators ------------------------------------------------------------------------------------------

const concat: Resolver = ([a, b]) => {
  if (isStrish(a) && isStrish(b)) return { result: S, argTypes: [S, S], lower: newRef((x) => `kr_str_concat(${x[0]}, ${x[1]})`) };
  if (isStrish(a)) return `can only concatenate str (not "${pyName(b)}") to str`;
  if (isStrish(b)) return typeError('+', [a, b]);
  return undefined;
};

const repeat: Resolver = ([a, b]) => {
  const si = isStrish(a) ? 0 : isStrish(b) ? 1 : -1;
  if (si < 0) return undefined;
  const n = si === 0 ? b : a;
  if (!isIdx(n) && !(n.kind === 'scalar' && n.name === 'bool')) return `can't multiply sequence by non-int of type '${pyName(n)}'`;
  return {
    result: S, argTypes: si === 0 ? [S, I] : [I, S], facts: { sizedByArgs: true },
    lower: newRef((x) => `kr_str_repeat(${x[si]}, ${x[1 - si]})`),
  };
};

/** `s += t`: in place when the variable holds the only reference (kr_str_iadd; linear over a loop). */
const inplaceConcat: Resolver = ([a, b]) => {
  if (!isStr(a)) return undefined;
  if (!isStrish(b)) return `can only concatenate str (not "${pyName(b)}") to str`;
  // The tracer passes the variable itself as argument 0 (`s += t` on a name): its address is taken, and the
  // result is the variable's (new) value, a new reference that the assignment back to the variable takes over.
  // In a loop that uses the variable for nothing else, through the loop's builder (opt/appendLoops.ts).
  const fn = isChar(b) ? 'kr_str_iadd_cp' : 'kr_str_iadd';
  const viaBuilder = isChar(b) ? 'kr_sb_add_cp' : 'kr_sb_add';
  return {
    result: S, argTypes: [S, isChar(b) ? C : S], facts: { rebindsArg0: true },
    lower: stmts((x, out, cx) => {
      const builder = cx.rebound ? cx.appendBuilders?.get(x[0]) : undefined;
      if (builder) return [cx.try(`${viaBuilder}(&${builder}, &${x[0]}, ${x[1]})`)];
      return [cx.try(`${fn}(&${x[0]}, ${x[1]})`), ...(cx.rebound ? [] : [`${out} = kr_str_newref(${x[0]});`])];
    }),
  };
};

type Cmp = 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge';
const SYM: Record<Cmp, string> = { eq: '==', ne: '!=', lt: '<', le: '<=', gt: '>', ge: '>=' };
const FLIP: Record<Cmp, Cmp> = { eq: 'eq', ne: 'ne', lt: 'gt', le: 'ge', gt: 'lt', ge: 'le' };

/** Comparisons of strings and characters (code-point order), and of bytes. */
function compare(op: Cmp): Resolver {
  const sym = SYM[op];
  return (args, consts) => {
    const [a, b] = args;
    if (a?.kind === 'list' && b?.kind === 'list' && (isStr(a.item) || isStr(b.item)) && (op === 'eq' || op === 'ne')) {
      if (!(isStr(a.item) || a.item.kind === 'none') || !(isStr(b.item) || b.item.kind === 'none')) return `comparing ${typeToString(a)} with ${typeToString(b)} is always ${op === 'ne'} in Python; compare lists of one type`;
      return { result: T.bool, argTypes: [a, b], lower: expr((x) => `(${op === 'ne' ? '!' : ''}kr_strs_eq((kr_str *const *)${x[0]}->data, ${x[0]}->len, (kr_str *const *)${x[1]}->data, ${x[1]}->len))`) };
    }
    if (a?.kind === 'bytes' && b?.kind === 'bytes') {
      return { result: T.bool, argTypes: [B, B], lower: expr((x) => (op === 'eq' ? `kr_bytes_eq(${x[0]}, ${x[1]})` : op === 'ne' ? `(!kr_bytes_eq(${x[0]}, ${x[1]}))` : `(kr_bytes_cmp(${x[0]}, ${x[1]}) ${sym} 0)`)) };
    }
    if (!isStrish(a) || !isStrish(b)) {
      if (!isStrish(a) && !isStrish(b)) return undefined;
      if (op === 'eq' || op === 'ne') return `comparing ${typeToString(a)} with ${typeToString(b)} is always ${op === 'ne'} in Python; compare values of one type`;
      return `'${sym}' not supported between instances of '${pyName(a)}' and '${pyName(b)}'`;
    }
    if (isChar(a) && isChar(b)) return { result: T.bool, argTypes: [C, C], lower: expr((x) => `(${x[0]} ${sym} ${x[1]})`) };
    // A character against a one-character literal: one integer comparison.
    const ka = constChar(consts[0]), kb = constChar(consts[1]);
    if (isChar(a) && kb !== undefined) return { result: T.bool, argTypes: [C, S], lower: expr((x) => `(${x[0]} ${sym} ${kb})`) };
    if (isChar(b) && ka !== undefined) return { result: T.bool, argTypes: [S, C], lower: expr((x) => `(${ka} ${sym} ${x[1]})`) };
    if (isChar(a) || isChar(b)) {
      const [ci, si] = isChar(a) ? [0, 1] : [1, 0];
      const o = ci === 1 ? op : FLIP[op]; // as `str o char`
      const argTypes = ci === 0 ? [C, S] : [S, C];
      if (o === 'eq' || o === 'ne') return { result: T.bool, argTypes, lower: expr((x) => `(${o === 'ne' ? '!' : ''}kr_str_eq_cp(${x[si]}, ${x[ci]}))`) };
      return { result: T.bool, argTypes, lower: expr((x) => `(kr_str_cmp_cp(${x[si]}, ${x[ci]}) ${SYM[o]} 0)`) };
    }
    if (op === 'eq' || op === 'ne') return { result: T.bool, argTypes: [S, S], lower: expr((x) => `(${op === 'ne' ? '!' : ''}kr_str_eq(${x[0]}, ${x[1]}))`) };
    return { result: T.bool, argTypes: [S, S], lower: expr((x) => `(kr_str_cmp(${x[0]}, ${x[1]}) ${sym} 0)`) };
  };
}

/** `x in s` (a substring or a character), `x in lst` for a list of str, `x in (a, b)` for a tuple of str. */
const contains: Resolver = ([seq, x], consts) => {
  if (isStrish(seq)) {
    if (!isStrish(x)) return `'in <string>' requires string as left operand, not ${pyName(x)}`;
    const hay = constStr(consts[0]);
    if (isChar(x) && hay !== undefined) {
      // A character in a literal: a switch the C compiler turns into a bit test or a table.
      const cps = [...new Set(codePoints(hay))];
      if (!cps.length) return { result: T.bool, argTypes: [S, C], lower: expr(() => '0') };
      return { result: T.bool, argTypes: [S, C], lower: stmts((a, out) => [`switch (${a[1]}) { ${cps.map((c) => `case ${c}:`).join(' ')} ${out} = 1; break; default: ${out} = 0; }`]) };
    }
    if (isChar(x)) return { result: T.bool, argTypes: [S, C], lower: expr((a) => `kr_str_contains_cp(${a[0]}, ${a[1]})`) };
    return { result: T.bool, argTypes: [S, S], lower: expr((a) => `kr_str_contains(${a[0]}, ${a[1]})`) };
  }
  if (seq?.kind === 'list' && isStr(seq.item)) {
    if (!isStrish(x)) return `\`in\` of a ${typeToString(x)} in a list of str is always False in Python; compare values of one type`;
    return { result: T.bool, argTypes: [seq, S], lower: expr((a) => `(kr_strs_find((kr_str *const *)${a[0]}->data, ${a[0]}->len, ${a[1]}) >= 0)`) };
  }
  if (seq?.kind === 'tuple' && seq.items.length && seq.items.every(isStrish) && isStrish(x)) {
    const t = T.tuple(seq.items.map(() => S));
    return { result: T.bool, argTypes: [t, S], lower: expr((a) => `(${seq.items.map((_, i) => `kr_str_eq(${a[0]}.f${i}, ${a[1]})`).join(' || ')})`) };
  }
  return undefined;
};

/** s[i] (a character; IndexError "string index out of range") and s[a:b:c] (a new str). */
const getitem: Resolver = (args) => {
  const [s, i] = args;
  if (!isStrish(s)) return undefined;
  if (args.length !== 2) return 'string indices must be integers';
  if (i.kind === 'slice') return { result: S, argTypes: [S, i], lower: newRef((a) => `kr_str_slice(${a[0]}, ${a[1]})`) };
  if (!isIdx(i)) return `string indices must be integers, not '${pyName(i)}'`;
  return {
    result: C, argTypes: [S, I], facts: { subscript: 'load' },
    lower: stmts((a, out, cx) => [
      `{ int64_t kk = ${a[1]}; if (kk < 0) kk += ${a[0]}->length;`,
      `  if (KILN_UNLIKELY((uint64_t)kk >= (uint64_t)${a[0]}->length)) ${cx.raise('IndexError', '"string index out of range"')}`,
      `  ${out} = ${cx.latin1?.has(a[0]) ? `KR_STR_U1(${a[0]})[kk]` : `kr_str_at(${a[0]}, kk)`}; }`,
    ]),
  };
};

/** for c in s: character i (0 <= i < len: no check, no allocation); a one-byte-per-character string's unit directly. */
const iterItem: Resolver = ([s]) => {
  if (isStr(s)) return { result: C, argTypes: [S, I], lower: stmts((a, out, cx) => [`${out} = ${cx.latin1?.has(a[0]) ? `KR_STR_U1(${a[0]})[${a[1]}]` : `kr_str_at(${a[0]}, ${a[1]})`};`]) };
  // for c in s[i]: a one-character string is its only item.
  if (isChar(s)) return { result: C, argTypes: [C, I], lower: expr((a) => a[0]) };
  return undefined;
};

const len: Resolver = ([s]) => {
  if (isStr(s)) return { result: I, argTypes: [S], lower: expr((a) => `${a[0]}->length`) };
  if (isChar(s)) return { result: I, argTypes: [C], lower: expr(() => 'INT64_C(1)') };
  return undefined;
};

// ---- methods --------------------------------------------------------------------------------------------

/** A method's entry: the str forms; `chars` the form for a character self, when it has one. */
function method(name: string, signatures: string[], resolve: Resolver, facts?: OpDef['facts'], notes?: string): OpDef {
  return {
    target: `method.${name}`, python: `s.${name}(...)`, signatures, facts, notes, resolve,
    unsupported: (args) => `'${args[0] ? pyName(args[0]) : 'None'}' object has no attribute '${name}' (or these arguments are not compiled: ${args.slice(1).map(typeToString).join(', ')})`,
  };
}

const CASES: Record<string, string> = { upper: 'UPPER', lower: 'LOWER', casefold: 'CASEFOLD', swapcase: 'SWAPCASE', capitalize: 'CAPITALIZE', title: 'TITLE' };
const caseMethod = (name: string): OpDef => method(name, ['str -> str (full Unicode case mapping: \'ß\'.upper() is \'SS\')'], ([s, ...rest]) => {
  if (!isStrish(s) || rest.length) return undefined;
  if (isChar(s)) return { result: S, argTypes: [C], lower: newRef((a) => `kr_char_case(${a[0]}, KR_CASE_${CASES[name]})`) };
  return { result: S, argTypes: [S], lower: newRef((a) => `kr_str_${name}(${a[0]})`) };
});

const PREDICATES = ['isalpha', 'isdigit', 'isdecimal', 'isnumeric', 'isalnum', 'isspace', 'isupper', 'islower', 'istitle', 'isidentifier', 'isprintable', 'isascii'];
const predicate = (name: string): OpDef => method(name, ['str -> bool (CPython\'s definition, Unicode 14)'], ([s, ...rest]) => {
  if (!isStrish(s) || rest.length) return undefined;
  if (isChar(s)) return { result: T.bool, argTypes: [C], lower: expr((a) => `kr_char_${name}(${a[0]})`) };
  return { result: T.bool, argTypes: [S], lower: expr((a) => `kr_str_${name}(${a[0]})`) };
});

/** split/rsplit(sep=None, maxsplit=-1) and splitlines(keepends=False): a new list of str. */
const splitMethod = (name: 'split' | 'rsplit'): OpDef => method(name, ['str[, sep: str | None[, maxsplit: int]] -> list[str] (ValueError for an empty separator)'], ([s, sep, maxsplit]) => {
  if (!isStrish(s)) return undefined;
  if (!isNoneArg(sep) && !isStrish(sep)) return notStr('sep', sep!);
  if (!isNoneArg(maxsplit) && !isIdx(maxsplit!)) return `'${pyName(maxsplit!)}' object cannot be interpreted as an integer`;
  const ws = isNoneArg(sep);
  const fn = name === 'split' ? (ws ? 'kr_str_split_ws' : 'kr_str_split') : ws ? 'kr_str_rsplit_ws' : 'kr_str_rsplit';
  return {
    result: T.list(S), argTypes: [S, ws ? T.none : S, isNoneArg(maxsplit) ? T.none : I],
    lower: stmts((a, out, cx) => [
      `{ kr_strvec kv = KR_STRVEC_INIT;`,
      `  if (${fn}(${a[0]}, ${ws ? '' : `${a[1]}, `}${isNoneArg(maxsplit) ? '-1' : a[2]}, &kv)) { kr_strvec_clear(&kv); ${cx.propagate()} }`,
      `  ${out} = kr_list_from_strvec(&kv); if (!${out}) ${cx.propagate()} }`,
    ]),
  };
}, { keywords: ['self', 'sep', 'maxsplit'] });

const splitlines = method('splitlines', ['str[, keepends: bool] -> list[str]'], ([s, keep]) => {
  if (!isStrish(s)) return undefined;
  if (!isNoneArg(keep) && !(keep!.kind === 'scalar')) return 'keepends must be a bool';
  return {
    result: T.list(S), argTypes: [S, isNoneArg(keep) ? T.none : T.bool],
    lower: stmts((a, out, cx) => [
      `{ kr_strvec kv = KR_STRVEC_INIT;`,
      `  if (kr_str_splitlines(${a[0]}, ${isNoneArg(keep) ? '0' : `(${a[1]} != 0)`}, &kv)) { kr_strvec_clear(&kv); ${cx.propagate()} }`,
      `  ${out} = kr_list_from_strvec(&kv); if (!${out}) ${cx.propagate()} }`,
    ]),
  };
}, { keywords: ['self', 'keepends'] });

const join = method('join', ['sep: str, list[str] -> str', 'sep: str, str -> its characters joined', 'a generator of str (built as a list first)'], ([sep, items]) => {
  if (!isStrish(sep)) return undefined;
  if (!items) return 'join() takes exactly one argument';
  if (isStr(items)) return { result: S, argTypes: [S, S], lower: newRef((a) => `kr_str_join_chars(${a[0]}, ${a[1]})`) };
  if (items.kind === 'list' && items.item.kind === 'none') return { result: S, argTypes: [S, items], lower: expr(() => 'kr_str_empty') };
  if (items.kind === 'list' && isStr(items.item)) return { result: S, argTypes: [S, items], lower: newRef((a) => `kr_str_join(${a[0]}, (kr_str *const *)${a[1]}->data, ${a[1]}->len)`) };
  if (items.kind === 'tuple' && items.items.every(isStrish)) {
    const t = T.tuple(items.items.map(() => S));
    return { result: S, argTypes: [S, t], lower: newRef((a) => `kr_str_join(${a[0]}, (kr_str *const []){${items.items.map((_, i) => `${a[1]}.f${i}`).join(', ')}}, ${items.items.length})`) };
  }
  return `sequence item 0: expected str instance, ${items.kind === 'list' ? pyName(items.item) : typeToString(items)} found (join() takes str items)`;
}, { consumesIterable: true, keepsNoList: 'all' });

const strip = (name: 'strip' | 'lstrip' | 'rstrip'): OpDef => method(name, ['str[, chars: str | None] -> str'], ([s, chars]) => {
  if (!isStrish(s)) return undefined;
  if (!isNoneArg(chars) && !isStrish(chars)) return `${name} arg must be None or str`;
  const none = isNoneArg(chars);
  return { result: S, argTypes: [S, none ? T.none : S], lower: newRef((a) => `kr_str_${name}(${a[0]}, ${none ? 'NULL' : a[1]})`) };
});

const replace = method('replace', ['str, old: str, new: str[, count: int] -> str'], ([s, old, nw, count]) => {
  if (!isStrish(s)) return undefined;
  if (!isStrish(old) || !isStrish(nw)) return `replace() argument ${!isStrish(old) ? 1 : 2} must be str, not ${pyName(!isStrish(old) ? old : nw)}`;
  if (!isNoneArg(count) && !isIdx(count!)) return `'${pyName(count!)}' object cannot be interpreted as an integer`;
  const c = !isNoneArg(count);
  return { result: S, argTypes: [S, S, S, c ? I : T.none], lower: newRef((a) => `kr_str_replace(${a[0]}, ${a[1]}, ${a[2]}, ${c ? a[3] : '-1'})`) };
});

/** find/rfind/index/rindex/count(sub[, start[, end]]). */
const search = (name: 'find' | 'rfind' | 'index' | 'rindex' | 'count'): Resolver => ([s, sub, start, end]) => {
  if (!isStrish(s)) return undefined;
  if (!sub || !isStrish(sub)) return `must be str, not ${sub ? pyName(sub) : 'None'}`;
  if (!boundsOk([start, end])) return 'slice indices must be integers or None or have an __index__ method';
  const argTypes = [S, S, isNoneArg(start) ? T.none : I, isNoneArg(end) ? T.none : I];
  const b = (a: string[]) => `${bound(start, a[2], false)}, ${bound(end, a[3], true)}`;
  if (name === 'index' || name === 'rindex') return { result: I, argTypes, lower: { kind: 'call', emit: (a, o) => `kr_str_${name}(${a[0]}, ${a[1]}, ${b(a)}, &${o})` } };
  return { result: I, argTypes, lower: expr((a) => `kr_str_${name}(${a[0]}, ${a[1]}, ${b(a)})`) };
};

const tailmatch = (name: 'startswith' | 'endswith'): OpDef => method(name, ['str, prefix: str | tuple of str[, start[, end]] -> bool'], ([s, p, start, end]) => {
  if (!isStrish(s)) return undefined;
  if (!boundsOk([start, end])) return 'slice indices must be integers or None or have an __index__ method';
  const rest = [isNoneArg(start) ? T.none : I, isNoneArg(end) ? T.none : I];
  const b = (a: string[]) => `${bound(start, a[2], false)}, ${bound(end, a[3], true)}`;
  if (p && isStrish(p)) return { result: T.bool, argTypes: [S, S, ...rest], lower: expr((a) => `kr_str_${name}(${a[0]}, ${a[1]}, ${b(a)})`) };
  if (p?.kind === 'tuple' && p.items.every(isStrish)) {
    const t = T.tuple(p.items.map(() => S));
    return { result: T.bool, argTypes: [S, t, ...rest], lower: expr((a) => `kr_str_${name}_any(${a[0]}, (kr_str *const []){${p.items.map((_, i) => `${a[1]}.f${i}`).join(', ') || 'NULL'}}, ${p.items.length}, ${b(a)})`) };
  }
  return `${name} first arg must be str or a tuple of str, not ${p ? pyName(p) : 'None'}`;
});

/** The fill character of center/ljust/rjust: a code point (TypeError unless exactly one character). */
function fill(t: KType | undefined, c: Parameters<Resolver>[1][number]): { type: KType; code: (a: string | undefined) => string; check: boolean } | string {
  if (isNoneArg(t)) return { type: T.none, code: () => '32', check: false };
  const k = constChar(c);
  if (k !== undefined) return { type: S, code: () => String(k), check: false };
  if (isChar(t)) return { type: C, code: (a) => a!, check: false };
  if (isStr(t)) return { type: S, code: () => 'kfill', check: true };
  return `The fill character must be a unicode character, not ${pyName(t!)}`;
}
const pad = (name: 'center' | 'ljust' | 'rjust'): OpDef => method(name, ['str, width: int[, fillchar: str] -> str (TypeError unless fillchar is one character)'], ([s, w, f], consts) => {
  if (!isStrish(s)) return undefined;
  if (!w || !isIdx(w)) return `'${w ? pyName(w) : 'None'}' object cannot be interpreted as an integer`;
  const fc = fill(f, consts[2]);
  if (typeof fc === 'string') return fc;
  return {
    result: S, argTypes: [S, I, fc.type],
    lower: stmts((a, out, cx) => [
      `{ uint32_t kfill = 32;${fc.check ? ` ${cx.try(`kr_str_fillchar(${a[2]}, &kfill)`)}` : ''}`,
      `  ${out} = kr_str_${name}(${a[0]}, ${a[1]}, ${fc.check ? 'kfill' : fc.code(a[2])}); if (!${out}) ${cx.propagate()} }`,
    ]),
  };
});

const partition = (name: 'partition' | 'rpartition'): OpDef => method(name, ['str, sep: str -> tuple[str, str, str] (ValueError for an empty separator)'], ([s, sep]) => {
  if (!isStrish(s)) return undefined;
  if (!sep || !isStrish(sep)) return `must be str, not ${sep ? pyName(sep) : 'None'}`;
  const t = T.tuple([S, S, S]);
  return {
    result: t, argTypes: [S, S],
    lower: stmts((a, out, cx) => [`{ kr_str *kp[3]; ${cx.try(`kr_str_${name}(${a[0]}, ${a[1]}, kp)`)} ${out}.f0 = kp[0]; ${out}.f1 = kp[1]; ${out}.f2 = kp[2]; }`]),
  };
});

const intArg = (name: string, sig: string, c: (a: string[]) => string, dflt?: string): OpDef => method(name, [sig], ([s, n]) => {
  if (!isStrish(s)) return undefined;
  if (isNoneArg(n) && dflt) return { result: S, argTypes: [S, T.none], lower: newRef((a) => c([a[0], dflt])) };
  if (!n || !isIdx(n)) return `'${n ? pyName(n) : 'None'}' object cannot be interpreted as an integer`;
  return { result: S, argTypes: [S, I], lower: newRef(c) };
}, dflt ? { keywords: ['self', 'tabsize'] } : undefined);

const affix = (name: 'removeprefix' | 'removesuffix'): OpDef => method(name, ['str, str -> str'], ([s, p]) => {
  if (!isStrish(s)) return undefined;
  if (!p || !isStrish(p)) return `${name}() argument must be str, not ${p ? pyName(p) : 'None'}`;
  return { result: S, argTypes: [S, S], lower: newRef((a) => `kr_str_${name}(${a[0]}, ${a[1]})`) };
});

/** The names of UTF-8 that Python's codec registry accepts (normalised: lower case, '-' and ' ' as '_'). */
const UTF8_NAMES = new Set(['utf_8', 'utf8', 'u8', 'utf', 'cp65001']);
export function encodingProblem(
  t: KType | undefined, c: Parameters<Resolver>[1][number], errors: KType | undefined, ec: Parameters<Resolver>[1][number],
): string | undefined {
  if (!isNoneArg(t)) {
    const v = constStr(c);
    if (v === undefined) return 'the encoding must be a str literal (only UTF-8 is compiled)';
    if (!UTF8_NAMES.has(v.toLowerCase().replace(/[- ]/g, '_'))) return `the encoding '${v}' is not compiled (only UTF-8 is)`;
  }
  if (!isNoneArg(errors) && constStr(ec) !== 'strict') return "errors= other than 'strict' is not compiled";
  return undefined;
}

const encode = method('encode', ["str[, encoding='utf-8'[, errors='strict']] -> bytes (UnicodeEncodeError for a lone surrogate)"], ([s, enc, errors], consts) => {
  if (!isStrish(s)) return undefined;
  const bad = encodingProblem(enc, consts[1], errors, consts[2]);
  if (bad) return bad;
  return { result: B, argTypes: [S, enc ?? T.none, errors ?? T.none], lower: newRef((a) => `kr_str_encode_utf8(${a[0]})`) };
}, { keywords: ['self', 'encoding', 'errors'] }, 'Only UTF-8 is compiled; the encoding name is resolved at compile time.');

const ops: OpDef[] = [
  strBuiltin('str'), strBuiltin('repr'), strBuiltin('ascii'), ord, chr, reversedOp,
  splitMethod('split'), splitMethod('rsplit'), splitlines, join,
  strip('strip'), strip('lstrip'), strip('rstrip'), replace,
  method('find', ['str, sub: str[, start[, end]] -> int (-1 when absent)'], search('find')),
  method('rfind', ['str, sub: str[, start[, end]] -> int (-1 when absent)'], search('rfind')),
  method('rindex', ['str, sub: str[, start[, end]] -> int (ValueError when absent)'], search('rindex')),
  tailmatch('startswith'), tailmatch('endswith'),
  ...Object.keys(CASES).map(caseMethod), ...PREDICATES.map(predicate),
  intArg('zfill', 'str, width: int -> str', (a) => `kr_str_zfill(${a[0]}, ${a[1]})`),
  intArg('expandtabs', 'str[, tabsize: int] -> str', (a) => `kr_str_expandtabs(${a[0]}, ${a[1]})`, 'INT64_C(8)'),
  pad('center'), pad('ljust'), pad('rjust'), partition('partition'), partition('rpartition'),
  affix('removeprefix'), affix('removesuffix'), encode,
];

const overloads: Overload[] = [
  { target: 'builtins.len', signatures: ['str -> int (code points)'], resolve: len },
  // Every character of a string is a non-empty string: all(s) is True, any(s) is whether s has one.
  { target: 'builtins.all', signatures: ['str -> True (every character is a non-empty string)'], resolve: ([s]) => (isStrish(s) ? { result: T.bool, argTypes: [s!], lower: expr(() => '1') } : undefined) },
  { target: 'builtins.any', signatures: ['str -> whether it is non-empty'], resolve: ([s]) => (isStr(s) ? { result: T.bool, argTypes: [S], lower: expr((a) => `(${a[0]}->length != 0)`) } : isChar(s) ? { result: T.bool, argTypes: [C], lower: expr(() => '1') } : undefined) },
  { target: 'builtins.int', signatures: ["str[, base: int] -> int (CPython's syntax: whitespace, underscores, signs, prefixes with base 0; ValueError with CPython's message)"], resolve: intOfStr },
  { target: 'builtins.float', signatures: ["str -> float (CPython's syntax, correctly rounded: inf, nan, underscores; ValueError otherwise)"], resolve: floatOfStr },
  { target: 'builtins.min', signatures: ['strings -> the first smallest (code-point order); min(s) -> its smallest character'], resolve: strMinMax('min') },
  { target: 'builtins.max', signatures: ['strings -> the first largest (code-point order); max(s) -> its largest character'], resolve: strMinMax('max') },
  { target: 'builtins.sorted', signatures: ['str -> list of its characters, sorted', 'list[str] -> sorted copy (code-point order, stable)'], resolve: sortedStr },
  { target: 'builtins.list', signatures: ['str -> list of its characters'], resolve: listOfStr },
  { target: '_operator.add', signatures: ['str, str -> str'], resolve: concat },
  { target: '_operator.mul', signatures: ['str, int -> str (OverflowError "repeated string is too long")'], resolve: repeat },
  { target: '_operator.iadd', signatures: ['str += str: in place when the variable holds the only reference (linear over a loop)'], resolve: inplaceConcat },
  ...(['eq', 'ne', 'lt', 'le', 'gt', 'ge'] as const).map((op): Overload => ({ target: `_operator.${op}`, signatures: op === 'eq' ? ['str, str -> bool (code-point order for <, <=, >, >=); bytes, bytes'] : [], resolve: compare(op) })),
  { target: '_operator.contains', signatures: ['sub in s (substring or character), s in list[str], s in tuple of str'], resolve: contains },
  { target: '_operator.getitem', signatures: ['s[i] -> str of one character (IndexError "string index out of range"), s[a:b:c] -> str (any step)'], resolve: getitem },
  { target: 'kiln.iter_item', signatures: ['for c in s: its characters (no allocation)'], resolve: iterItem },
  { target: 'method.index', signatures: ['s.index(sub[, start[, end]]) -> int (ValueError "substring not found")'], resolve: search('index') },
  { target: 'method.count', signatures: ['s.count(sub[, start[, end]]) -> int (non-overlapping)'], resolve: search('count') },
];

/** The `string` module's constants: literals the tracer writes in place (ConstantDef.literal), so no C of their own. */
const STRING_MODULE: [string, string][] = [
  ['ascii_letters', "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"],
  ['ascii_lowercase', "abcdefghijklmnopqrstuvwxyz"],
  ['ascii_uppercase', "ABCDEFGHIJKLMNOPQRSTUVWXYZ"],
  ['digits', "0123456789"],
  ['hexdigits', "0123456789abcdefABCDEF"],
  ['octdigits', "01234567"],
  ['punctuation', "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"],
  ['whitespace', " \t\n\r\u000b\f"],
  ['printable', "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~ \t\n\r\u000b\f"],
];
const constants: ConstantDef[] = STRING_MODULE.map(([name, value]) => ({ target: `string.${name}`, type: T.str, c: '', literal: { kind: 'str', value } }));

export const strings: OpDomain = { name: 'strings', title: 'Strings (str)', ops, overloads, constants };
