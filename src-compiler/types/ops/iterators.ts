/**
 * Iteration beyond `for i in range(...)`: range objects as values (`r = range(a, b, s)`, `len(r)`, `r[i]`,
 * `x in r`, `sum(range(n))`), tuples read with a run-time index (`t[i]`, `for x in t`, `x in t`), unpacking a list
 * (`a, b = xs`, `first, *rest = xs`), splicing (`(*t, x)`, `[*a, *b]`), and sorting by a key. zip, enumerate,
 * reversed, map and filter are compiled by the tracer where they are consumed (ir/trace.ts: iteration plans):
 * they read these sequences by index.
 */
import { T, cType, isIntLike, isPyFloat, isBool, isFunctionType, ownsReferences, typeToString, unifyFunctionTypes, type KType } from '../types.ts';
import { retainC } from '../../lower/ownership.ts';
import { call, constInt, expr, isIdx, stmts, type ConstantDef, type Lowering, type OpDef, type OpDomain, type Overload, type Resolved, type Resolver } from './common.ts';
import { listElem, pyOrder, scalarBody, seqItem, seqLen, tupleAt, tupleItem, type Lst } from './common_arrays.ts';

/**
 * An op whose result is read out of its arguments (a tuple's item, a spliced tuple): when the result owns references
 * (a str, a tuple or closure holding one) it must be a new reference (docs/design/object-model.md), so one is taken.
 */
function newReference(resolve: Resolver): Resolver {
  return (args, consts, ops) => {
    const r = resolve(args, consts, ops);
    if (!r || typeof r === 'string' || !ownsReferences(r.result)) return r;
    const low = r.lower;
    const t = r.result;
    if (low.kind === 'expr') return { ...r, lower: stmts((a, out) => [[`${out} = ${low.emit(a)};`, ...retainC(t, out)].join(' ')]) };
    if (low.kind === 'stmts') return { ...r, lower: stmts((a, out, cx) => [...low.emit(a, out, cx), ...retainC(t, out)]) };
    return `internal: an op giving ${typeToString(t)} must give a new reference`;
  };
}

/** Lists these ops make hold numbers (and functions): a list of str takes a reference per item, which they do not. */
const holdsObjects = ownsReferences;

const isRangeArg = (t: KType | undefined) => !!t && t.kind === 'scalar' && isIntLike(t) && t.name !== 'uint64';

/** The one type items of a tuple read at a run-time index have: their type, or the funcset of different functions. */
function tupleIndexType(t: KType & { kind: 'tuple' }): KType | string {
  const same = tupleItem(t);
  if (same) return same;
  if (t.items.length && t.items.every(isFunctionType)) {
    let u: KType | undefined = t.items[0];
    for (const it of t.items.slice(1)) u = u && unifyFunctionTypes(u, it);
    if (u) return u;
  }
  return `a tuple of ${t.items.map(typeToString).join(', ')} indexed at run time: the item's type would depend on the index (Kiln compiles a run-time index on a tuple whose items have one type, or are functions)`;
}

/** The items of a tuple as C values of `item` (functions converted to the funcset a table holds). */
function tupleItemsAs(t: KType & { kind: 'tuple' }, item: KType, e: string, convert: ((e: string, from: KType, to: KType) => string) | undefined): string[] {
  return t.items.map((it, i) => (typeToString(it) === typeToString(item) ? `${e}.f${i}` : convert!(`${e}.f${i}`, it, item)));
}

const makeRange: Resolver = (args) => {
  if (args.length !== 3) return 'internal: range() takes start, stop, step here';
  for (const t of args) {
    if (!isRangeArg(t)) return t.kind === 'scalar' && t.name === 'uint64' ? 'range() over np.uint64 values is not compiled; convert with int()' : `TypeError: '${typeToString(t)}' object cannot be interpreted as an integer`;
  }
  return { result: T.range, argTypes: [T.int, T.int, T.int], lower: call((a, o) => `kr_range_new(${a[0]}, ${a[1]}, ${a[2]}, &${o})`) };
};

/** `t[i]` with a run-time i on a tuple whose items have one type (IndexError as CPython); `r[i]` on a range. */
const getitem: Resolver = (args, consts) => {
  const [seq, i] = args;
  if (args.length !== 2) return undefined;
  if (seq.kind === 'tuple' && constInt(consts[1]) !== undefined) return undefined; // a constant index: a field (tuples.ts)
  if (seq.kind === 'range') {
    if (i.kind === 'slice') return 'slicing a range is not compiled; use range(start, stop, step) directly';
    if (!isIdx(i)) return `TypeError: range indices must be integers or slices, not ${typeToString(i)}`;
    return { result: T.int, argTypes: [seq, T.int], lower: call((a, o) => `kr_range_item(${a[0]}, ${a[1]}, &${o})`) };
  }
  if (seq.kind !== 'tuple' || !isRangeArg(i) || isBool(i)) return undefined;
  const item = tupleIndexType(seq);
  if (typeof item === 'string') return item;
  const n = seq.items.length;
  return {
    result: item, argTypes: [seq, T.int],
    lower: stmts((a, out, cx) => [
      `{ int64_t kk; ${cx.try(`kr_list_index(${a[1]}, ${n}, "tuple index out of range", &kk)`)}`,
      `  ${out} = ((${cType(item)}[]){ ${tupleItemsAs(seq, item, a[0], cx.convertValue).join(', ')} })[kk]; }`,
    ]),
  };
};

/** Item i of a range or a tuple being iterated (0 <= i < len: no check). */
const iterItem: Resolver = (args) => {
  const [seq] = args;
  if (seq.kind === 'range') return { result: T.int, argTypes: [seq, T.int], lower: expr((a) => `kr_range_at(${a[0]}, ${a[1]})`) };
  if (seq.kind !== 'tuple') return undefined;
  // An empty tuple (`*args` of a call without extra arguments): the loop body never runs; its item is typed int.
  if (!seq.items.length) return { result: T.int, argTypes: [seq, T.int], lower: expr(() => 'INT64_C(0)') };
  const item = tupleIndexType(seq);
  if (typeof item === 'string') return item;
  if (tupleItem(seq)) return { result: item, argTypes: [seq, T.int], lower: expr((a) => tupleAt(seq, item, a[0], a[1])) };
  return {
    result: item, argTypes: [seq, T.int],
    lower: stmts((a, out, cx) => [`${out} = ((${cType(item)}[]){ ${tupleItemsAs(seq, item, a[0], cx.convertValue).join(', ')} })[${a[1]}];`]),
  };
};

const len: Resolver = ([a]) => {
  if (a?.kind === 'range') return { result: T.int, argTypes: [a], lower: call((x, o) => `kr_range_len(${x[0]}, &${o})`) };
  if (a?.kind === 'record') return { result: T.int, argTypes: [a], lower: expr(() => `INT64_C(${a.names.length})`) };
  return undefined;
};

/** `x in range(...)`: O(1), for ints and floats (a float is in it when it equals an item). */
const contains: Resolver = ([seq, v]) => {
  if (seq?.kind !== 'range') return undefined;
  if (v.kind === 'scalar' && isIntLike(v) && v.name !== 'uint64') return { result: T.bool, argTypes: [seq, T.int], lower: expr((a) => `kr_range_contains(${a[0]}, ${a[1]})`) };
  if (v.kind === 'scalar' && isPyFloat(v)) {
    return { result: T.bool, argTypes: [seq, T.float], lower: expr((a) => `(${a[1]} == floor(${a[1]}) && ${a[1]} >= -9223372036854775808.0 && ${a[1]} < 9223372036854775808.0 && kr_range_contains(${a[0]}, (int64_t)${a[1]}))`) };
  }
  return undefined;
};

/** `a, b = xs` on a list, an array or a range: its length is checked when the code runs (ValueError as CPython). */
const checkUnpack: Resolver = (args, consts) => {
  const [seq] = args;
  const n = Number(constInt(consts[1]));
  const lenOf = seqLen(seq);
  if (seq.kind === 'tuple' || !lenOf) return undefined;
  return {
    result: T.none, argTypes: [seq, T.int],
    lower: stmts((a, _o, cx) => [
      `if (${lenOf(a[0])} > ${n}) ${cx.raise('ValueError', `"too many values to unpack (expected ${n})"`)}`,
      `if (${lenOf(a[0])} < ${n}) ${cx.raise('ValueError', `kr_msg_unpack(${n}, ${lenOf(a[0])}, 0)`)}`,
    ]),
  };
};

/** `a, *rest, b = seq`: at least before + after items (a tuple's count is static). */
const checkUnpackStar: Resolver = (args, consts) => {
  const [seq] = args;
  const need = Number(constInt(consts[1])) + Number(constInt(consts[2]));
  if (seq.kind === 'tuple') {
    if (seq.items.length < need) return `ValueError: not enough values to unpack (expected at least ${need}, got ${seq.items.length})`;
    return { result: T.none, argTypes: [seq, T.int, T.int], lower: { kind: 'none' } };
  }
  const lenOf = seqLen(seq);
  if (!lenOf) return `cannot unpack ${typeToString(seq)}`;
  return {
    result: T.none, argTypes: [seq, T.int, T.int],
    lower: stmts((a, _o, cx) => [`if (${lenOf(a[0])} < ${need}) ${cx.raise('ValueError', `kr_msg_unpack(${need}, ${lenOf(a[0])}, 1)`)}`]),
  };
};

/** The starred name's value: a new list of the items between the first `before` and the last `after`. */
const unpackRest: Resolver = (args, consts) => {
  const [seq] = args;
  const before = Number(constInt(consts[1]));
  const after = Number(constInt(consts[2]));
  if (seq.kind === 'tuple') {
    const items = seq.items.slice(before, seq.items.length - after);
    const item = items.length ? items[0] : T.none;
    if (items.some((t) => typeToString(t) !== typeToString(item))) return `the starred name would get a list of ${items.map(typeToString).join(', ')}: lists hold one type here`;
    if (holdsObjects(item)) return `a starred name that gets a list of ${typeToString(item)} is not compiled yet`;
    const et = item.kind === 'none' ? 'int64_t' : cType(item);
    return {
      result: T.list(item), argTypes: [seq, T.int, T.int], facts: { arrayRuntime: true },
      lower: stmts((a, out, cx) => [`${out} = kr_list_new(${items.length}, sizeof(${et})); if (!${out}) ${cx.try('-1')}`, ...items.map((_, k) => `((${et} *)${out}->data)[${k}] = ${a[0]}.f${before + k};`)]),
    };
  }
  const it = seqItem(seq);
  const lenOf = seqLen(seq);
  if (!it || !lenOf) return `cannot unpack ${typeToString(seq)} into a starred name`;
  if (holdsObjects(it.type)) return `a starred name that gets a list of ${typeToString(it.type)} is not compiled yet`;
  const et = cType(it.type);
  return {
    result: T.list(it.type), argTypes: [seq, T.int, T.int], facts: { arrayRuntime: true },
    lower: stmts((a, out, cx) => [
      `{ int64_t kn = ${lenOf(a[0])} - ${before + after}; ${out} = kr_list_new(kn, sizeof(${et})); if (!${out}) ${cx.try('-1')}`,
      `  for (int64_t k = 0; k < kn; k++) ((${et} *)${out}->data)[k] = ${it.at(a[0], `k + ${before}`)}; }`,
    ]),
  };
};

/** `lst.extend(t)`, `[*a, *r]`: a list extended by the items of a tuple, a range or a 1-D array. */
const extendBySequence: Resolver = ([l, o]) => {
  if (l?.kind !== 'list' || !o || o.kind === 'list') return undefined;
  const it = seqItem(o);
  const lenOf = seqLen(o);
  if (!it || !lenOf) return undefined;
  const item = l.item.kind === 'none' ? it.type : l.item;
  if (typeToString(item) !== typeToString(it.type)) return `a list of ${typeToString(item)} cannot take ${typeToString(it.type)} items here (lists hold one type); convert them`;
  if (holdsObjects(item)) return `extending a list of ${typeToString(item)} by a tuple is not compiled yet (append the items one by one)`;
  const et = cType(item);
  return {
    result: T.none, argTypes: [l, o],
    lower: stmts((a, _o, cx) => [`for (int64_t k = 0, kn = ${lenOf(a[1])}; k < kn; k++) { ${et} kitem = ${it.at(a[1], 'k')}; ${cx.try(`kr_list_append(${a[0]}, &kitem, sizeof(${et}))`)} }`]),
  };
};

/** `(*t, x, *u)`: a tuple of the items (argument 0 is a bit mask of the starred arguments, whose items are spliced in). */
const tupleSplice: Resolver = (args, consts) => {
  const mask = constInt(consts[0]) ?? 0n;
  const items: KType[] = [];
  const fields: ((a: string[]) => string)[] = [];
  for (let i = 1; i < args.length; i++) {
    const t = args[i];
    if ((mask >> BigInt(i - 1)) & 1n) {
      if (t.kind !== 'tuple') return `*${typeToString(t)} in a tuple display: compiled for a tuple (its length is static); make a list with [*xs] instead`;
      t.items.forEach((it, k) => {
        items.push(it);
        fields.push((a) => `${a[i]}.f${k}`);
      });
    } else {
      items.push(t);
      fields.push((a) => a[i]);
    }
  }
  const result = T.tuple(items);
  return { result, argTypes: args, lower: expr((a) => `((${cType(result)}){ ${fields.map((f) => f(a)).join(', ')} })`) };
};

/**
 * `sorted(xs, key=f)` after the tracer computed the keys (in order, once each): a stable merge sort of (key, item)
 * pairs, specialised for their C types; reverse=True keeps equal keys in their order, as Python.
 */
const sortByKey: Resolver = (args, consts) => {
  const [items, keys, rev] = args;
  if (items?.kind !== 'list' || keys?.kind !== 'list') return 'internal: sort_by_key takes two lists';
  if (items.tuple) return 'AttributeError: \'tuple\' object has no attribute \'sort\''; // t.sort(key=f) (sorted() sorts a new list)
  if (items.item.kind === 'none') return { result: items, argTypes: args, lower: stmts(() => []) };
  const k = keys.item;
  const less = k.kind === 'none' ? undefined : pyOrder(k)?.lt;
  if (!less) return `sorting by a key of type ${typeToString(k)} is not compiled (numbers, str, or tuples of them)`;
  const reverse = rev.kind === 'none' ? false : consts[2]?.kind === 'bool' ? consts[2].value : undefined;
  if (reverse === undefined) return 'reverse= must be True or False (a constant)';
  const kt = cType(k), it = listElem(items as Lst);
  const name = `kr_keysort_${kt.replace(/\W+/g, '')}_${it.replace(/\W+/g, '')}`;
  const lower: Lowering = stmts((a, out, cx) => {
    cx.support?.(name, () => keySortDefinition(name, kt, it, less));
    return [`${cx.try(`${name}((${it} *)${a[0]}->data, (const ${kt} *)${a[1]}->data, ${a[0]}->len, ${reverse ? 1 : 0})`)}`, `${out} = ${a[0]};`];
  });
  return { result: items, argTypes: args, lower, facts: { writes: [0], aliases: [0] } };
};

/**
 * The C of a stable sort of `n` items by their keys: (key, item) pairs sorted by kiln_arrays.h's KILN_SORT_WITH
 * (CPython's algorithm below 64 items, a merge sort above), comparing the keys with Python's `<`.
 */
function keySortDefinition(name: string, kt: string, it: string, less: (a: string, b: string) => string): string[] {
  const p = `${name}_pair`;
  return [
    `typedef struct { ${kt} k; ${it} v; } ${p};`,
    `static inline int ${name}_less(${p} a, ${p} b) { return ${less('a.k', 'b.k')}; }`,
    `#define ${name.toUpperCase()}_LESS(x, y) ${name}_less(x, y)`,
    `KILN_SORT_WITH(${name}_pairs, ${p}, ${name.toUpperCase()}_LESS)`,
    `static int ${name}(${it} *items, const ${kt} *keys, int64_t n, int rev) {`,
    `  if (n < 2) return 0;`,
    `  ${p} *a = (${p} *)malloc((size_t)n * sizeof(${p}));`,
    `  if (!a) return kr_raise_memory();`,
    `  for (int64_t i = 0; i < n; i++) { a[i].k = keys[i]; a[i].v = items[i]; }`,
    `  int rc = kr_sort_${name}_pairs(a, n, rev);`,
    `  if (!rc) for (int64_t i = 0; i < n; i++) items[i] = a[i].v;`,
    `  free(a);`,
    `  return rc;`,
    `}`,
  ];
}

/**
 * Tuples compared as Python compares them (`(k1, i1) < (k2, i2)`, keys of sorted and max): the first items that
 * differ (by ==) decide with the operator; when one tuple is a prefix of the other, the shorter is less.
 */
function tupleCompare(op: 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge'): Resolver {
  return ([a, b], consts, ops) => {
    if (a?.kind !== 'tuple' || b?.kind !== 'tuple') return undefined;
    const n = Math.min(a.items.length, b.items.length);
    const eqs: ((x: string[]) => string)[] = [];
    const cmps: ((x: string[]) => string)[] = [];
    const CMP = { eq: '==', ne: '!=', lt: '<', le: '<=', gt: '>', ge: '>=' }[op];
    for (let i = 0; i < n; i++) {
      // str items (`(dist, name)` in a heap, `(word, count)` pairs): == and the code point order of kiln_str.h.
      if (a.items[i].kind === 'str' && b.items[i].kind === 'str') {
        eqs.push((x) => `kr_str_eq(${x[0]}.f${i}, ${x[1]}.f${i})`);
        cmps.push((x) => `(kr_str_cmp(${x[0]}.f${i}, ${x[1]}.f${i}) ${CMP} 0)`);
        continue;
      }
      // Members of one enum (`(Op.PUSH, 1)` in a program list): equal when their indices are; Python orders them
      // only when a `<` reaches them (a TypeError for an Enum), which is not compiled.
      const ea = a.items[i], eb = b.items[i];
      if (ea.kind === 'enum' && eb.kind === 'enum' && ea.cls === eb.cls && (op === 'eq' || op === 'ne')) {
        eqs.push((x) => `(${x[0]}.f${i} == ${x[1]}.f${i})`);
        cmps.push((x) => `(${x[0]}.f${i} ${CMP} ${x[1]}.f${i})`);
        continue;
      }
      // Nested tuples (`(f, g, (x, y))` in a heap): compared the same way, item by item.
      if (ea.kind === 'tuple' && eb.kind === 'tuple') {
        const inner = [tupleCompare('eq')([ea, eb], consts, ops), tupleCompare(op)([ea, eb], consts, ops)];
        const bad = inner.find((r) => typeof r === 'string' || !r || r.lower.kind !== 'expr');
        if (bad !== undefined) return typeof bad === 'string' ? bad : `comparing tuples of ${typeToString(a)} and ${typeToString(b)} is not compiled`;
        const [eqE, cmpE] = inner.map((r) => ((r as Resolved).lower as { emit: (x: string[]) => string }).emit);
        eqs.push((x) => eqE([`${x[0]}.f${i}`, `${x[1]}.f${i}`]));
        cmps.push((x) => cmpE([`${x[0]}.f${i}`, `${x[1]}.f${i}`]));
        continue;
      }
      if (a.items[i].kind !== 'scalar' || b.items[i].kind !== 'scalar') return `comparing tuples of ${typeToString(a)} and ${typeToString(b)} is compiled for tuples of numbers and str`;
      const eq = scalarBody(ops, '_operator.eq', [a.items[i], b.items[i]]);
      const cmp = scalarBody(ops, `_operator.${op}`, [a.items[i], b.items[i]]);
      if (typeof eq === 'string') return eq;
      if (typeof cmp === 'string') return cmp;
      eqs.push((x) => eq.body([`${x[0]}.f${i}`, `${x[1]}.f${i}`]));
      cmps.push((x) => cmp.body([`${x[0]}.f${i}`, `${x[1]}.f${i}`]));
    }
    const la = a.items.length, lb = b.items.length;
    const lengths = { eq: la === lb, ne: la !== lb, lt: la < lb, le: la <= lb, gt: la > lb, ge: la >= lb }[op];
    return {
      result: T.bool, argTypes: [a, b],
      lower: expr((x) => {
        const all = eqs.length ? eqs.map((e) => e(x)).join(' && ') : '1';
        if (op === 'eq') return la !== lb ? '0' : `(${all})`;
        if (op === 'ne') return la !== lb ? '1' : `(!(${all}))`;
        let e = lengths ? '1' : '0';
        for (let i = n - 1; i >= 0; i--) e = `(!${eqs[i](x)} ? ${cmps[i](x)} : ${e})`;
        return e;
      }),
    };
  };
}

const ops: OpDef[] = [
  { target: 'kiln.make_range', python: 'range(start, stop[, step]) as a value', facts: { sizedByArgs: true }, signatures: ['ints -> range (ValueError when step is 0); len(r) (OverflowError past 2**63 - 1 items, as CPython), r[i], x in r, iteration, sum/min/max/any/all/list/sorted, reversed(r) in a loop'], resolve: makeRange },
  { target: 'kiln.tuple_splice', python: '(*t, x)', signatures: ['tuples spliced with items -> tuple'], resolve: newReference(tupleSplice) },
  { target: 'kiln.check_unpack_star', python: 'first, *rest = seq', signatures: ['tuple, list, array or range: at least as many items as names (ValueError as CPython)'], resolve: checkUnpackStar },
  { target: 'kiln.unpack_rest', python: '*rest (in an assignment)', signatures: ['the starred name gets a new list of the items between'], resolve: unpackRest },
  {
    target: 'kiln.sort_by_key', python: 'sorted(xs, key=f, reverse=False), xs.sort(key=f)',
    signatures: ['list, keys (numbers or tuples of numbers) -> the list sorted by its keys (stable; each key computed once, in order; the call of f is direct)'],
    notes: 'NaN keys compare as Python compares them (never less), but where they end up may differ from CPython\'s timsort.',
    resolve: sortByKey,
  },
];

const overloads: Overload[] = [
  { target: 'builtins.len', signatures: ['range -> int (OverflowError past 2**63 - 1 items)', '**kwargs -> int'], resolve: len },
  { target: '_operator.getitem', signatures: ['tuple, int (at run time; IndexError: tuple index out of range) -> item, when the items have one type or are functions', 'range, int -> int (IndexError: range object index out of range)'], resolve: newReference(getitem) },
  { target: 'kiln.iter_item', signatures: ['range or tuple, index -> item'], resolve: newReference(iterItem) },
  { target: '_operator.contains', signatures: ['range, number -> bool (O(1))'], resolve: contains },
  { target: 'kiln.check_unpack', signatures: ['list, array or range of n items into n names (ValueError when the length differs)'], resolve: checkUnpack },
  { target: 'method.extend', signatures: ['list[T], tuple, range or 1-D array of T -> None'], resolve: extendBySequence },
  ...(['eq', 'ne', 'lt', 'le', 'gt', 'ge'] as const).map((op): Overload => ({ target: `_operator.${op}`, signatures: ['tuple, tuple (of numbers and str) -> bool, compared as Python compares tuples'], resolve: tupleCompare(op) })),
];

/** `sys.maxsize` (the largest int, a usual sentinel); `float('inf')` and `math.inf` are constants already. */
const constants: ConstantDef[] = [{ target: 'sys.maxsize', type: T.int, c: 'INT64_MAX' }];

export const iterators: OpDomain = { name: 'iterators', title: 'Iteration: ranges, tuples at run time, unpacking, sorting by a key', ops, overloads, constants };

