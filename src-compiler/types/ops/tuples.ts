/**
 * Tuples: packing, constant indexing and unpacking (a tuple is a C struct; its length is static), and tuples whose
 * length is known only at run time (`tuple[int, ...]`: tuple(xs), permutations(xs)), which are lists compiled code
 * never changes (types.ts T.vtuple): the list ops read them, and this domain's overloads, tried first, give a tuple's
 * `tuple()`, `+`, comparisons, `index()` and CPython's errors for the list's writes.
 */
import { T, cType, escaped, isVarTuple, ownsReferences, typeToString, type KType } from '../types.ts';
import { retainC } from '../../lower/ownership.ts';
import { cCondition, constInt, expr, pyName, stmts, type OpDef, type OpDomain, type Overload, type Resolver } from './common.ts';
import { itemRefsC, scalarBody, seqItem, seqLen } from './common_arrays.ts';

// A tuple's object fields (str) are owned references: packing takes one for each (its items are borrowed), and an
// item read out is a new reference (the emitter owns and drops both, opt/lifetimes.ts).

const ops: OpDef[] = [
  {
    target: 'kiln.make_tuple', python: '(a, b, ...)', signatures: ['values -> tuple'], facts: { aliases: 'all', takesUnions: true, complexArrays: true },
    resolve(args) {
      const items = args.map(escaped); // a character is held as a str
      const t = T.tuple(items);
      if (items.some(ownsReferences)) {
        return { result: t, argTypes: items, lower: stmts((x, out) => [[`${out} = (${cType(t)}){${x.join(', ')}};`, ...retainC(t, out)].join(' ')]) };
      }
      return { result: t, argTypes: args, lower: expr((x) => (x.length ? `((${cType(t)}){${x.join(', ')}})` : '0')) };
    },
  },
  {
    target: '_operator.getitem', python: 't[i]', signatures: ['tuple, constant int -> item'], facts: { subscript: 'load', aliases: 'all' },
    resolve(args, consts) {
      const [t] = args;
      if (t.kind !== 'tuple') return `'${pyName(t)}' object is not subscriptable`;
      const idx = constInt(consts[1]);
      if (idx === undefined) return 'a tuple index must be a constant integer here';
      const n = BigInt(t.items.length);
      const k = idx < 0n ? idx + n : idx;
      if (k < 0n || k >= n) return 'IndexError: tuple index out of range';
      const item = t.items[Number(k)];
      if (item.kind === 'none') return { result: item, argTypes: [t, T.int], lower: { kind: 'none' } }; // a None item has no C value
      if (ownsReferences(item)) return { result: item, argTypes: [t, T.int], lower: stmts((x, out) => [[`${out} = ${x[0]}.f${k};`, ...retainC(item, out)].join(' ')]) };
      return { result: item, argTypes: [t, T.int], lower: expr((x) => `${x[0]}.f${k}`) };
    },
  },
  {
    target: 'kiln.check_unpack', python: 'a, b = t', signatures: ['tuple of n items into n names'], facts: { complexArrays: true },
    resolve(args, consts) {
      const [t] = args;
      const n = Number(constInt(consts[1]));
      if (t.kind !== 'tuple') return `cannot unpack non-iterable ${pyName(t)} object`;
      if (t.items.length > n) return `ValueError: too many values to unpack (expected ${n})`;
      if (t.items.length < n) return `ValueError: not enough values to unpack (expected ${n}, got ${t.items.length})`;
      return { result: T.none, argTypes: [t, T.int], lower: { kind: 'none' } };
    },
  },
];

/** `info.hits` of a record (a named tuple the library makes: functools' CacheInfo): its item. */
const recordField: Overload = {
  target: 'kiln.getattr', signatures: ['(CacheInfo, field name) -> item'],
  resolve(args, consts) {
    const [t] = args;
    const attr = consts[1]?.kind === 'str' ? consts[1].value : undefined;
    if (t?.kind !== 'tuple' || !t.record || attr === undefined) return undefined;
    const k = t.record.fields.indexOf(attr);
    if (k < 0) return `AttributeError: '${t.record.name}' object has no attribute '${attr}'`;
    const item = t.items[k];
    if (ownsReferences(item)) return { result: item, argTypes: [t, T.str], lower: stmts((x, out) => [[`${out} = ${x[0]}.f${k};`, ...retainC(item, out)].join(' ')]) };
    if (item.kind === 'none') return { result: item, argTypes: [t, T.str], lower: { kind: 'none' } };
    return { result: item, argTypes: [t, T.str], lower: expr((x) => `${x[0]}.f${k}`) };
  },
};

// ---- tuples of a run-time length (tuple[T, ...]) --------------------------------------------------------------

/** A tuple's items in C: a tuple[T, ...] (its list), or a fixed tuple of one item type (or none: `()`). */
function tupleItems(t: KType | undefined): { item?: KType; len: (e: string) => string; at: (e: string, k: string) => string } | undefined {
  if (t?.kind === 'tuple' && !t.items.length) return { len: () => 'INT64_C(0)', at: () => '0' };
  if (isVarTuple(t) && t.item.kind === 'none') return { len: (e) => `${e}->len`, at: () => '0' }; // always empty here
  if (!isVarTuple(t) && t?.kind !== 'tuple') return undefined;
  const it = seqItem(t), len = seqLen(t);
  return it && len ? { item: it.type, len, at: it.at } : undefined;
}

/** `tuple(iterable)`: `()`; a fixed tuple itself; else the items list() reads, as a tuple[T, ...] (numbers and str). */
const tupleOf: Resolver = (args, consts, ops) => {
  const [a] = args;
  if (!a) return { result: T.tuple([]), argTypes: [], lower: expr(() => '0') };
  if (a.kind === 'tuple') return { result: a, argTypes: [a], lower: ownsReferences(a) ? stmts((x, out) => [[`${out} = ${x[0]};`, ...retainC(a, out)].join(' ')]) : expr((x) => x[0]) };
  const r = ops('builtins.list')!.resolve([a], consts);
  if (typeof r === 'string') return r.replace(/\blist\(\)/g, 'tuple()');
  if (r.result.kind !== 'list') return `tuple() of ${typeToString(a)} is not compiled`;
  const item = r.result.item;
  // (An empty list whose items are not known yet gives a tuple[?, ...], refined with the list.)
  if (item.kind !== 'scalar' && item.kind !== 'str' && item.kind !== 'none') return `tuple() of ${typeToString(a)} is compiled for items of numbers and str (its items are ${typeToString(item)})`;
  return { ...r, result: T.vtuple(item) };
};

/** `a + b` with a tuple[T, ...]: a new one (`(0,) + p + (0,)`); items of one type, as CPython's would be. */
const vtupleConcat: Resolver = ([a, b]) => {
  if (!isVarTuple(a) && !isVarTuple(b)) return undefined;
  if (a?.kind === 'list' && !a.tuple) return 'can only concatenate list (not "tuple") to list';
  const [x, y] = [tupleItems(a), tupleItems(b)];
  if (!x) return `unsupported operand type(s) for +: '${a ? pyName(a) : 'NoneType'}' and 'tuple'`;
  if (!y) return `can only concatenate tuple (not "${b ? pyName(b) : 'NoneType'}") to tuple`;
  const item = x.item ?? y.item ?? T.none; // none: both always empty
  if ((x.item && typeToString(x.item) !== typeToString(item)) || (y.item && typeToString(escaped(y.item)) !== typeToString(item))) {
    return `${typeToString(a)} + ${typeToString(b)} would give a tuple of mixed item types, which a tuple[T, ...] does not hold; convert the items (float(...), int(...))`;
  }
  const et = item.kind === 'none' ? 'int64_t' : cType(item), refs = itemRefsC(item);
  return {
    result: T.vtuple(item), argTypes: [a, b], facts: { newList: 'copy' },
    lower: stmts((v, out, cx) => [
      `{ int64_t kna = ${x.len(v[0])}, knb = ${y.len(v[1])}; ${out} = kr_list_new(kna + knb, sizeof(${et})); if (!${out}) ${cx.try('-1')}`,
      `  for (int64_t k = 0; k < kna; k++) ((${et} *)${out}->data)[k] = ${x.at(v[0], 'k')};`,
      `  for (int64_t k = 0; k < knb; k++) ((${et} *)${out}->data)[kna + k] = ${y.at(v[1], 'k')};${refs ? ` kr_list_retain(${out}, 0, kna + knb, ${refs});` : ''} }`,
    ]),
  };
};

const CMP = { eq: '==', ne: '!=', lt: '<', le: '<=', gt: '>', ge: '>=' } as const;

/**
 * Comparisons with a tuple[T, ...] (and a fixed tuple of one item type): == item by item (a float NaN equals itself,
 * as one object does in CPython, the convention of lists, dicts and sets here); an ordering by the first items that
 * differ, else by the lengths. A list is never equal to a tuple, and CPython refuses to order them.
 */
function vtupleCompare(op: keyof typeof CMP): Resolver {
  return ([a, b], _consts, ops) => {
    if (!isVarTuple(a) && !isVarTuple(b)) return undefined;
    const listAndTuple = (a?.kind === 'list' && !a.tuple) || (b?.kind === 'list' && !b.tuple);
    if (listAndTuple && (op === 'eq' || op === 'ne')) return { result: T.bool, argTypes: [a!, b!], lower: expr(() => (op === 'eq' ? '0' : '1')) };
    const [x, y] = [tupleItems(a), tupleItems(b)];
    if (!x || !y) return `TypeError: '${CMP[op]}' not supported between instances of '${a ? pyName(a) : 'NoneType'}' and '${b ? pyName(b) : 'NoneType'}'`;
    const [ia, ib] = [x.item ?? y.item, y.item ?? x.item];
    let same: (p: string, q: string) => string, order: (p: string, q: string) => string;
    if (!ia || !ib) {
      // Both always empty here: the lengths decide.
      same = () => '1';
      order = () => '0';
    } else if (ia.kind === 'str' && ib.kind === 'str') {
      same = (p, q) => `kr_str_eq(${p}, ${q})`;
      order = (p, q) => `(kr_str_cmp(${p}, ${q}) ${CMP[op]} 0)`;
    } else {
      if (ia.kind !== 'scalar' || ib.kind !== 'scalar') return `comparing ${typeToString(a!)} and ${typeToString(b!)} is compiled for tuples of numbers or of str`;
      const eq = scalarBody(ops, '_operator.eq', [ia, ib]), cmp = scalarBody(ops, `_operator.${op}`, [ia, ib]);
      if (typeof eq === 'string') return eq;
      if (typeof cmp === 'string') return cmp;
      const nan = [ia, ib].some((t) => t.kind === 'scalar' && ['float', 'float64', 'float32'].includes(t.name));
      same = (p, q) => (nan ? `(${cCondition(eq.body([p, q]))} || (${p} != ${p} && ${q} != ${q}))` : cCondition(eq.body([p, q])));
      order = (p, q) => cCondition(cmp.body([p, q]));
    }
    return {
      result: T.bool, argTypes: [a!, b!],
      lower: stmts((v, out) => {
        const [p, q] = [x.at(v[0], 'k'), y.at(v[1], 'k')];
        const head = `int64_t kna = ${x.len(v[0])}, knb = ${y.len(v[1])}, k = 0;`;
        if (op === 'eq' || op === 'ne') return [`{ ${head} ${out} = kna == knb; for (; ${out} && k < kna; k++) ${out} = ${same(p, q)};${op === 'ne' ? ` ${out} = !${out};` : ''} }`];
        return [`{ ${head} while (k < kna && k < knb && ${same(p, q)}) k++; ${out} = k < kna && k < knb ? ${order(p, q)} : kna ${CMP[op]} knb; }`];
      }),
    };
  };
}

/** `t.index(x)` of a tuple[T, ...]: the first position of x (ValueError "tuple.index(x): x not in tuple"). */
const vtupleIndex: Resolver = ([t, v], _consts, ops) => {
  if (!isVarTuple(t)) return undefined;
  const absent = (out: string, cx: { raise: (kind: string, msg: string) => string }) => `if (${out} < 0) ${cx.raise('ValueError', '"tuple.index(x): x not in tuple"')}`;
  if (t.item.kind === 'str' && (v?.kind === 'str' || v?.kind === 'char')) {
    return { result: T.int, argTypes: [t, T.str], lower: stmts((a, out, cx) => [`${out} = kr_strs_find((kr_str *const *)${a[0]}->data, ${a[0]}->len, ${a[1]});`, absent(out, cx)]) };
  }
  if (t.item.kind !== 'scalar' || v?.kind !== 'scalar') return 'index() of a tuple[T, ...] takes an item of its type here';
  const eq = scalarBody(ops, '_operator.eq', [t.item, v]);
  if (typeof eq === 'string') return eq;
  const et = cType(t.item);
  return {
    result: T.int, argTypes: [t, v],
    lower: stmts((a, out, cx) => [`${out} = -1; for (int64_t k = 0; k < ${a[0]}->len; k++) if (${cCondition(eq.body([`((${et} *)${a[0]}->data)[k]`, a[1]]))}) { ${out} = k; break; }`, absent(out, cx)]),
  };
};

/** CPython's error for a list method a tuple lacks, or for a store or del of its item. */
const immutable = (target: string, message: string): Overload => ({ target, signatures: [], resolve: ([t]) => (isVarTuple(t) ? message : undefined) });

const varOps: OpDef[] = [
  {
    target: 'builtins.tuple', python: 'tuple(iterable)',
    signatures: ['() -> ()', 'tuple -> itself', 'list, range, str, a generator, a dict or set, permutations(...) ... of numbers or str -> tuple[T, ...] (its length known at run time)'],
    facts: { consumesIterable: true, keepsNoList: 'all', newList: 'copy' }, resolve: tupleOf,
  },
];

const varOverloads: Overload[] = [
  ...['append', 'insert', 'extend', 'pop', 'clear', 'reverse', 'sort', 'remove', 'copy'].map((m) => immutable(`method.${m}`, `AttributeError: 'tuple' object has no attribute '${m}'`)),
  immutable('_operator.setitem', 'TypeError: \'tuple\' object does not support item assignment'),
  immutable('_operator.delitem', 'TypeError: \'tuple\' object doesn\'t support item deletion'),
  { target: '_operator.add', signatures: ['tuple[T, ...] + tuple[T, ...] or a tuple of T items (either side) -> tuple[T, ...]'], resolve: vtupleConcat },
  ...(Object.keys(CMP) as (keyof typeof CMP)[]).map((op): Overload => ({ target: `_operator.${op}`, signatures: op === 'eq' ? ['tuple[T, ...] with tuple[T, ...] or a tuple of T items -> bool, compared as CPython compares tuples (never equal to a list)'] : [], resolve: vtupleCompare(op) })),
  { target: 'method.index', signatures: ['tuple[T, ...], T -> int (ValueError "tuple.index(x): x not in tuple")'], resolve: vtupleIndex },
];

export const tuples: OpDomain = { name: 'tuples', title: 'Tuples', ops: [...ops, ...varOps], overloads: [recordField, ...varOverloads] };
