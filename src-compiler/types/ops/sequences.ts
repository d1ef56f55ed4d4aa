/** Built-ins over lists and 1-D arrays (len, min, max, sum, any, all, sorted, list, `in`) and iterating them. */
import { T, cType, isNumpy, isObject, isPyFloat, ownsReferences, typeToString, unionBox, unionHolds, unionMember, unionOf, type KType } from '../types.ts';
import { cCondition, expr, isNone, stmts, type OpDef, type OpDomain, type Overload, type Resolver } from './common.ts';
import {
  isScalarUnion, isSequence, itemOf, itemRefsC, listElem, reduce, scalarBody, seqItem, seqLen, retainItem, sortReverse, sortSuffix, sortable,
  tupleLess, itemSortCall, isNumberUnion, numberUnionCompare, numberUnionNeedle,
  type Lst, type Res,
} from './common_arrays.ts';
import type { ConstValue } from '../../ir/ir.ts';

const SEQUENCES = 'lists and arrays (see the array section)';

function seqMinMax(name: 'min' | 'max', args: KType[]): Res | undefined {
  if (args.length !== 1) return undefined;
  const [a] = args;
  if (!isSequence(a)) return undefined;
  if (a.kind === 'list' && isObject(a.item)) return undefined; // strings.ts
  const it = seqItem(a);
  if (it && isNumberUnion(it.type)) {
    // Items of int | float: the first largest (smallest) by Python's exact comparison, with its own type.
    const et = cType(it.type);
    return {
      result: it.type, argTypes: [a],
      lower: stmts((x, out, cx) => [
        `if (${seqLen(a)!(x[0])} == 0) ${cx.raise('ValueError', `"${name}() arg is an empty sequence"`)}`,
        `${out} = ${it.at(x[0], '0')}; for (int64_t k = 1; k < ${seqLen(a)!(x[0])}; k++) { ${et} kx = ${it.at(x[0], 'k')}; if (${numberUnionCompare(it.type, cx)!('kx', out)} == ${name === 'max' ? 1 : -1}) ${out} = kx; }`,
      ]),
    };
  }
  if (!it || it.type.kind !== 'scalar') return `${name}() of this sequence is not compiled`;
  const sym = name === 'max' ? '>' : '<';
  const ct = cType(it.type);
  return {
    result: it.type, argTypes: [a],
    lower: stmts((x, out, cx) => [
      `if (${seqLen(a)!(x[0])} == 0) ${cx.raise('ValueError', `"${name}() arg is an empty sequence"`)}`,
      `${out} = ${it.at(x[0], '0')}; for (int64_t k = 1; k < ${seqLen(a)!(x[0])}; k++) { ${ct} kx = ${it.at(x[0], 'k')}; if (kx ${sym} ${out}) ${out} = kx; }`,
    ]),
  };
}

function seqAnyAll(name: 'any' | 'all', a: KType | undefined): Res | undefined {
  if (!a || !isSequence(a)) return undefined;
  if (a.kind === 'list' && a.item.kind === 'none') return { result: T.bool, argTypes: [a], lower: expr(() => (name === 'all' ? '1' : '0')) };
  const it = seqItem(a);
  // An item's truth: a number is true when non-zero, a string when not empty.
  const truth = it?.type.kind === 'scalar' ? (e: string) => `(${e} != 0)` : it?.type.kind === 'str' ? (e: string) => `(${e}->length != 0)` : undefined;
  if (!it || !truth) return `${name}() of this sequence is not compiled`;
  return {
    result: T.bool, argTypes: [a],
    lower: stmts((x, out) => name === 'any'
      ? [`${out} = 0; for (int64_t k = 0; k < ${seqLen(a)!(x[0])}; k++) if (${truth(it.at(x[0], 'k'))}) { ${out} = 1; break; }`]
      : [`${out} = 1; for (int64_t k = 0; k < ${seqLen(a)!(x[0])}; k++) if (!${truth(it.at(x[0], 'k'))}) { ${out} = 0; break; }`]),
  };
}

/** The int total of a list's items from `start` (an OverflowError only when the total itself leaves 64 bits). */
const intSum = (list: string, et: string, start: string, out: string, attempt: (call: string) => string): string[] => [
  `{ kr_isum ks = { ${start}, 0 }; for (int64_t k = 0; k < ${list}->len; k++) kr_isum_add(&ks, (int64_t)((${et} *)${list}->data)[k]); ${attempt(`kr_isum_end(&ks, &${out})`)} }`,
];

/**
 * `sum(xs, start)` of a list of numbers: CPython adds from `start` (ints while the total is an int, then in double
 * precision once it is a float). A float start gives a float even for an empty list; an int start with float items
 * gives the start itself (an int) for an empty list, a value-dependent type, raised as sum() without a start does.
 */
function sumWithStart(a: KType & { kind: 'list' }, st: KType & { kind: 'scalar' }): ReturnType<Resolver> {
  const it = a.item.kind === 'none' ? st : a.item;
  if (it.kind !== 'scalar' || isNumpy(it)) return 'sum() with a start value of this list is not compiled';
  const floatStart = isPyFloat(st);
  if (!floatStart && !isPyFloat(it)) {
    const et = cType(it);
    // A bool start: CPython gives it back (a bool) for an empty list, an int otherwise.
    const boolStart = st.name === 'bool';
    return {
      result: T.int, argTypes: [a, st],
      lower: stmts((x, out, cx) => [
        ...(boolStart ? [`if (${x[0]}->len == 0) ${cx.raise('ValueError', '"sum() of an empty list with a bool start: Python gives the bool start here (a value-dependent type)"')}`] : []),
        ...intSum(x[0], et, x[1], out, cx.try),
      ]),
    };
  }
  const et = cType(it);
  return {
    result: T.float, argTypes: [a, st],
    lower: stmts((x, out, cx) => [
      ...(floatStart ? [] : [`if (${x[0]}->len == 0) ${cx.raise('ValueError', '"sum() of an empty list of floats with an int or bool start: Python gives the start here (a value-dependent type)"')}`]),
      `${out} = (double)${x[1]}; for (int64_t k = 0; k < ${x[0]}->len; k++) ${out} += (double)((${et} *)${x[0]}->data)[k];`,
    ]),
  };
}

/**
 * sum() of a list of complex numbers: CPython adds left to right with complex.__add__ (an int or float start is
 * made complex(x, 0.0) first). An empty list gives the start back as it is: without a complex start, its type
 * would depend on the value, so it raises ValueError here saying so, as for floats.
 */
function complexSum(a: KType & { kind: 'list' }, st: KType | undefined): Res {
  if (st && st.kind !== 'complex' && (st.kind !== 'scalar' || isNumpy(st))) return 'sum() of a list of complex numbers takes a number start only';
  const start = (x: string[]) => (!st ? 'kr_complex_make(0.0, 0.0)' : st.kind === 'complex' ? x[1] : `kr_complex_make((double)(${x[1]}), 0.0)`);
  return {
    result: { kind: 'complex' }, argTypes: st ? [a, st] : [a],
    lower: stmts((x, out, cx) => [
      ...(st?.kind === 'complex' ? [] : [`if (${x[0]}->len == 0) ${cx.raise('ValueError', '"sum() of an empty list of complex numbers without a complex start: Python gives the start here (a value-dependent type)"')}`]),
      `${out} = ${start(x)}; for (int64_t k = 0; k < ${x[0]}->len; k++) ${out} = kr_complex_add(${out}, ((kr_complex *)${x[0]}->data)[k]);`,
    ]),
  };
}

const sum: Resolver = ([a, start]) => {
  if (!a || !isSequence(a)) return undefined;
  const st = start && !isNone(start) ? start : undefined;
  if (a.kind === 'list' && a.item.kind === 'complex') return complexSum(a, st);
  if (st && (a.kind !== 'list' || st.kind !== 'scalar' || isNumpy(st))) return 'sum() with a start value is compiled for a list of numbers and a number start only';
  if (st) return sumWithStart(a as KType & { kind: 'list' }, st);
  if (a.kind === 'array') {
    if (a.ndim !== 1) return 'sum() of a 2-D array adds rows; use np.sum(a, axis=0)';
    return reduce('sum', a, undefined);
  }
  if (a.kind !== 'list') return sumOfSequence(a);
  const it = a.item;
  if (it.kind === 'none') return { result: T.int, argTypes: [a], lower: expr(() => 'INT64_C(0)') };
  if (isScalarUnion(it)) return unionSum(a, it);
  if (it.kind !== 'scalar') return `sum() of a ${typeToString(a)} is not compiled`;
  if (isNumpy(it)) return 'sum() of a list of NumPy scalars is not compiled; use float(...) items or np.sum';
  if (isPyFloat(it)) {
    return {
      result: T.float, argTypes: [a],
      lower: stmts((x, out, cx) => [
        `if (${x[0]}->len == 0) ${cx.raise('ValueError', '"sum() of an empty list of floats: Python gives the int 0 here (a value-dependent type)"')}`,
        `${out} = 0.0; for (int64_t k = 0; k < ${x[0]}->len; k++) ${out} += ((double *)${x[0]}->data)[k];`,
      ]),
    };
  }
  const et = cType(it);
  return {
    result: T.int, argTypes: [a],
    lower: stmts((x, out, cx) => intSum(x[0], et, '0', out, cx.try)),
  };
};

/**
 * sum() of a list of int | float (`[sum(...) for ...]` rows): CPython's order, an int total (exact to 64 bits, then
 * OverflowError) until the first float item, a float total from there (each int item added as a double); an empty
 * list or one of ints only gives an int, as in CPython.
 */
function unionSum(a: KType & { kind: 'list' }, u: KType & { kind: 'union' }): Res {
  const bad = u.members.find((m) => m.kind !== 'scalar' || !['bool', 'int', 'float'].includes(m.name));
  if (bad) return `sum() of a ${typeToString(a)} is not compiled (items that may be ${typeToString(bad)})`;
  const float = u.members.find((m) => isPyFloat(m));
  const result = float ? (unionOf([T.int, T.float]) as KType & { kind: 'union' }) : T.int;
  const ints = u.members.filter((m) => m !== float);
  const intOf = (e: string) => ints.map((m, i) => (i < ints.length - 1 ? `${unionHolds(e, u, m)} ? (int64_t)${unionMember(e, u, m)} : ` : `(int64_t)${unionMember(e, u, m)}`)).join('');
  const et = cType(u);
  return {
    result, argTypes: [a],
    lower: stmts((x, out, cx) => [
      `{ int64_t kacc = 0, kcarry = 0; double kf = 0.0; int kfl = 0;`,
      `  for (int64_t k = 0; k < ${x[0]}->len; k++) { ${et} kv = ((${et} *)${x[0]}->data)[k];`,
      ...(float ? [`    if (${unionHolds('kv', u, float)}) { if (!kfl) { if (kcarry != 0) ${cx.raise('OverflowError', 'kr_int_overflow_msg')} kf = (double)kacc; kfl = 1; } kf += ${unionMember('kv', u, float)}; continue; }`] : []),
      `    int64_t ki = ${intOf('kv')}; if (kfl) kf += (double)ki; else kr_acc_add_i64(&kacc, &kcarry, ki); }`,
      ...(float && result.kind === 'union'
        ? [`  if (kfl) ${out} = ${unionBox('kf', T.float, result)}; else { if (kcarry != 0) ${cx.raise('OverflowError', 'kr_int_overflow_msg')} ${out} = ${unionBox('kacc', T.int, result)}; } }`]
        : [`  if (kcarry != 0) ${cx.raise('OverflowError', 'kr_int_overflow_msg')} ${out} = kacc; }`]),
    ]),
  };
}

/** sum() of a range or a tuple: Python's order of additions (ints exact to 64 bits, then OverflowError). */
function sumOfSequence(a: KType): Res {
  const it = seqItem(a)!;
  const len = seqLen(a)!;
  if (it.type.kind !== 'scalar' || isNumpy(it.type)) return `sum() of ${typeToString(a)} is not compiled`;
  if (isPyFloat(it.type)) {
    return {
      result: T.float, argTypes: [a],
      lower: stmts((x, out, cx) => [
        `if (${len(x[0])} == 0) ${cx.raise('ValueError', '"sum() of an empty sequence of floats: Python gives the int 0 here (a value-dependent type)"')}`,
        `${out} = 0.0; for (int64_t k = 0; k < ${len(x[0])}; k++) ${out} += ${it.at(x[0], 'k')};`,
      ]),
    };
  }
  // Ints: an exact accumulator (a sum whose partial sums leave int64 but whose total fits is right, as in CPython).
  return {
    result: T.int, argTypes: [a],
    lower: stmts((x, out, cx) => [
      `{ int64_t kacc = 0, kcarry = 0; for (int64_t k = 0; k < ${len(x[0])}; k++) kr_acc_add_i64(&kacc, &kcarry, (int64_t)${it.at(x[0], 'k')});`,
      `  if (kcarry != 0) ${cx.raise('OverflowError', 'kr_int_overflow_msg')} ${out} = kacc; }`,
    ]),
  };
}

const sorted: Resolver = ([a, rev], consts) => {
  if (!a || !isSequence(a)) return undefined;
  if (a.kind === 'list' && (a.item.kind === 'tuple' || isNumberUnion(a.item))) return sortedCopy(a, rev, consts[1]);
  const it = seqItem(a);
  if (!it || !sortable(it.type)) return 'sorted() of this sequence is not compiled (int, float, np.float64/float32, np.int64/uint64 items)';
  const r = sortReverse(rev, consts[1]);
  if (typeof r === 'string') return r;
  const l = T.list(it.type) as Lst;
  const et = cType(it.type);
  return {
    result: l, argTypes: [a, rev ?? T.none],
    lower: stmts((x, out, cx) => [
      `{ int64_t kn = ${seqLen(a)!(x[0])}; ${out} = kr_list_new(kn, sizeof(${et})); if (!${out}) ${cx.try('-1')}`,
      `  for (int64_t k = 0; k < kn; k++) ((${et} *)${out}->data)[k] = ${it.at(x[0], 'k')};`,
      `  ${cx.try(`kr_sort_${sortSuffix(l)}((${et} *)${out}->data, kn, ${r ? 1 : 0})`)} }`,
    ]),
  };
};

/**
 * sorted(pairs) without a key: a copy of the list (its str items counted again), sorted with Python's tuple `<`; so
 * is sorted(xs) of a list of int | float, with Python's `<` of numbers.
 */
function sortedCopy(a: Lst, rev: KType | undefined, revConst: ConstValue | undefined): Res {
  if (!tupleLess(a.item) && !isNumberUnion(a.item)) return `sorted() of a ${typeToString(a)} is compiled for tuples of numbers and str (give a key for others)`;
  const r = sortReverse(rev, revConst);
  if (typeof r === 'string') return r;
  const et = cType(a.item);
  return {
    result: a, argTypes: [a, rev ?? T.none],
    lower: stmts((x, out, cx) => [
      `${out} = kr_list_copy(${x[0]}, sizeof(${et})); if (!${out}) ${cx.try('-1')}`,
      cx.try(itemSortCall(a, r, cx)!(out)),
    ]),
  };
}

const list: Resolver = ([a]) => {
  if (!a || !isSequence(a)) return undefined;
  // list(t) of a tuple[T, ...] is a list[T]: the same items, in a list that may change.
  if (a.kind === 'list' && ownsReferences(a.item)) return { result: T.list(a.item), argTypes: [a], lower: stmts((x, out, cx) => [`${out} = kr_list_copy(${x[0]}, sizeof(${listElem(a)})); if (!${out}) ${cx.try('-1')}`]) };
  const it = seqItem(a);
  if (!it) return a.kind === 'list' ? { result: T.list(a.item), argTypes: [a], lower: stmts((x, out, cx) => [`${out} = kr_list_copy(${x[0]}, sizeof(${listElem(a as Lst)})); if (!${out}) ${cx.try('-1')}`]) } : 'list() of this array is not compiled';
  const et = cType(it.type);
  const refs = itemRefsC(it.type);
  return {
    result: T.list(it.type), argTypes: [a],
    lower: stmts((x, out, cx) => [
      `{ int64_t kn = ${seqLen(a)!(x[0])}; ${out} = kr_list_new(kn, sizeof(${et})); if (!${out}) ${cx.try('-1')}`,
      `  for (int64_t k = 0; k < kn; k++) ((${et} *)${out}->data)[k] = ${it.at(x[0], 'k')};${refs ? ` kr_list_retain(${out}, 0, kn, ${refs});` : ''} }`,
    ]),
  };
};

const contains: Resolver = ([seq, v], _consts, ops) => {
  if (!seq || !isSequence(seq)) return undefined;
  const it = seqItem(seq);
  if (seq.kind === 'list' && seq.item.kind === 'none') return { result: T.bool, argTypes: [seq, v], lower: expr(() => '0') };
  if (it && it.type.kind === 'enum' && v.kind === 'enum' && v.cls === it.type.cls) {
    // Members of one enum: equal when their indices are (types/ops/enums.ts).
    return { result: T.bool, argTypes: [seq, v], lower: stmts((x, out) => [`${out} = 0; for (int64_t k = 0; k < ${seqLen(seq)!(x[0])}; k++) if (${it.at(x[0], 'k')} == ${x[1]}) { ${out} = 1; break; }`]) };
  }
  if (it && isNumberUnion(it.type)) {
    // Items of int | float: Python's exact == of numbers (2 == 2.0; 2**53 + 1 != 2.0**53; NaN equals nothing).
    const u = it.type;
    const bad = numberUnionNeedle(u, v);
    if (bad) return bad;
    return {
      result: T.bool, argTypes: [seq, u],
      lower: stmts((x, out, cx) => [`${out} = 0; for (int64_t k = 0; k < ${seqLen(seq)!(x[0])}; k++) if (${numberUnionCompare(u, cx)!(it.at(x[0], 'k'), x[1])} == 0) { ${out} = 1; break; }`]),
    };
  }
  // Tuples of numbers, str and enum members (`(2, k) in pairs`): Python's tuple == item by item (iterators.ts tupleCompare).
  const tuples = it?.type.kind === 'tuple' && v.kind === 'tuple';
  if (!it || ((v.kind !== 'scalar' || it.type.kind !== 'scalar') && !tuples)) return '`in` is compiled for lists and 1-D arrays of numbers, enum members and tuples of those';
  const eq = scalarBody(ops, '_operator.eq', [it.type, v]);
  if (typeof eq === 'string') return eq;
  return {
    result: T.bool, argTypes: [seq, v],
    lower: stmts((x, out) => [`${out} = 0; for (int64_t k = 0; k < ${seqLen(seq)!(x[0])}; k++) if (${cCondition(eq.body([it.at(x[0], 'k'), x[1]]))}) { ${out} = 1; break; }`]),
  };
};

/** kiln.iter_item(seq, i): item i of a sequence being iterated (0 <= i < len, so no check). */
const iterItem: Resolver = (args) => {
  const [seq] = args;
  if (seq.kind === 'list') {
    if (seq.item.kind === 'none') return 'iterating an empty list whose items are never known';
    const et = cType(seq.item);
    // An item holding objects gives new references (the loop variable owns them; the list keeps its own).
    if (ownsReferences(seq.item)) return { result: seq.item, argTypes: [seq, T.int], lower: stmts((a, out) => [`${out} = ((${et} *)${a[0]}->data)[${a[1]}]; ${retainItem(seq.item, out)}`]) };
    return { result: seq.item, argTypes: [seq, T.int], lower: expr((a) => `((${et} *)${a[0]}->data)[${a[1]}]`) };
  }
  if (seq.kind === 'array') {
    if (seq.ndim === 1) return { result: itemOf(seq), argTypes: [seq, T.int], lower: expr((a) => `${a[0]}.data[${a[1]} * ${a[0]}.strides[0]]`) };
    return {
      result: T.array(seq.dtype, seq.ndim - 1), argTypes: [seq, T.int],
      lower: stmts((a, out) => {
        const lines = [`${out}.data = ${a[0]}.data + ${a[1]} * ${a[0]}.strides[0];`];
        for (let k = 1; k < seq.ndim; k++) lines.push(`${out}.shape[${k - 1}] = ${a[0]}.shape[${k}]; ${out}.strides[${k - 1}] = ${a[0]}.strides[${k}];`);
        return lines;
      }),
    };
  }
  return `'${typeToString(seq)}' object is not iterable`;
};

/** A built-in that takes a list or an array (named as the docs name it: `sum`, `contains`). */
const seqBuiltin = (target: string, resolve: Resolver, facts?: OpDef['facts']): OpDef => {
  const name = target.replace(/^\w+\./, '');
  return {
    target, python: name, signatures: ['lists and arrays'], facts, resolve,
    unsupported: (args) => `${name}() of ${args.map(typeToString).join(', ')} is not compiled`,
  };
};

const ops: OpDef[] = [
  { ...seqBuiltin('builtins.sum', sum, { consumesIterable: true, keywords: ['/iterable', 'start'], keepsNoList: 'all' }), python: 'sum(iterable, start=0)', signatures: ['lists and arrays; a list of numbers from a number start (ints exact while the total fits in 64 bits, then floats as CPython adds them)', 'list[complex] from a number start (0j: a complex result for an empty list too) -> complex, added left to right'] },
  seqBuiltin('builtins.any', ([a]) => seqAnyAll('any', a), { consumesIterable: true, keepsNoList: 'all' }),
  seqBuiltin('builtins.all', ([a]) => seqAnyAll('all', a), { consumesIterable: true, keepsNoList: 'all' }),
  // Every list()/sorted() with a list result makes a new list (of a str, a dict, a deque ... too).
  seqBuiltin('builtins.sorted', sorted, { consumesIterable: true, keywords: ['/iterable', 'reverse'], keepsNoList: 'all', newList: 'copy' }),
  seqBuiltin('builtins.list', list, { consumesIterable: true, keepsNoList: 'all', newList: 'copy' }),
  seqBuiltin('_operator.contains', contains, { keepsNoList: 'all' }),
  { target: 'kiln.iter_item', python: 'for x in seq', signatures: ['list or array, index -> item or row view'], facts: { aliases: 'all', complexArrays: true, keepsNoList: 'all', loopItem: true }, resolve: iterItem },
];

const overloads: Overload[] = [
  {
    target: 'builtins.len', signatures: [SEQUENCES], facts: { complexArrays: true, keepsNoList: 'deep' },
    resolve: ([a]) => {
      const f = a && seqLen(a);
      if (!f) return undefined;
      return { result: T.int, argTypes: [a], lower: expr((x) => f(x[0])) };
    },
  },
  { target: 'builtins.min', signatures: [SEQUENCES], facts: { keepsNoList: 'all' }, resolve: (args) => seqMinMax('min', args) },
  { target: 'builtins.max', signatures: [SEQUENCES], facts: { keepsNoList: 'all' }, resolve: (args) => seqMinMax('max', args) },
];

export const sequences: OpDomain = { name: 'sequences', title: 'Built-in functions over lists and arrays', ops, overloads };
