/**
 * Python lists (items of one type, `kr_list *` in C): literals, methods, `+`, `*`, indexing, slicing, and the
 * in-place `+=` / `*=` that a caller's list sees.
 */
import { isStrish } from './common_strings.ts';
import { SCALARS, T, cType, escaped, isArray, isObject, typeToString, unionBox, unionOf, type KType } from '../types.ts';
import type { ConstValue } from '../../ir/ir.ts';
import { cCondition, constInt, isIdx, isNone, pyName, stmts, type OpDef, type OpDomain, type OpLookup, type Overload } from './common.ts';
import { dispatchOverMembers } from './common_unions.ts';
import { isNumberUnion, isScalarUnion, itemRefsC, numberUnionCompare, numberUnionNeedle, listElem, objItems, retainItem, sameItem, sameListItems, scalarBody, sortReverse, sortSuffix, sortable, tupleLess, itemSortCall, type Lst, type Res } from './common_arrays.ts';

// Lists of objects (list[str]) and of tuples holding objects (list[tuple[str, int]]) hold owned references:
// whatever stores an item takes them (kr_list_append_obj, kr_list_set_obj, the *_refs functions with the items'
// layout, kr_list_retain after a copy), whatever reads one out gives new references (the emitter owns and drops
// them), and the list drops its items' references when cleared or when the call's heap is released (kiln_arrays.h).

/** `[a, b, ...]` of items of one static type. */
function makeList(args: KType[]): Res {
  // Instances of classes derived from one base: a list of the base (`[Circle(1), Square(2)]` is a list of Shape).
  const joined = args.every((t) => t.kind === 'instance') ? unionOf(args) : undefined;
  // An empty list among lists (`[[n], []]`) takes the others' type: the item is the first list that is not empty.
  const emptyList = (t: KType) => t.kind === 'list' && t.item.kind === 'none';
  const item = joined && typeof joined !== 'string' && joined.kind === 'instance' ? joined : escaped(args.find((t) => !emptyList(t)) ?? args[0]);
  // Arrays are held by value (data pointer, shape, strides): the list's items share the arrays' memory, as Python's share the objects.
  // Tuples of numbers are held by value, as method.append stores them (`heap = [(0.0, start)]`).
  // Tuples holding objects (`[("a", 1)]`) own their fields' references, as a list of str owns its items'.
  const storable = (t: KType): boolean => t.kind === 'scalar' || t.kind === 'str' || t.kind === 'list' || t.kind === 'enum' || (t.kind === 'tuple' && t.items.every(storable));
  if (item.kind !== 'scalar' && item.kind !== 'list' && item.kind !== 'str' && item.kind !== 'array' && item.kind !== 'complex' && item.kind !== 'instance' && item.kind !== 'enum' && !(item.kind === 'tuple' && storable(item))) return `lists of ${typeToString(item)} are not compiled`;
  for (const t of args) {
    const bad = sameItem(item, t);
    if (bad) return bad;
  }
  const et = cType(item);
  if (isObject(item)) {
    return {
      result: T.list(item), argTypes: args.map(() => item),
      lower: stmts((a, out, cx) => [`${out} = kr_list_new_objs(${a.length}); if (!${out}) ${cx.try('-1')}`, ...a.map((x, i) => `((${et} *)${out}->data)[${i}] = ${x}; kr_incref(${x});`)]),
    };
  }
  const refs = itemRefsC(item);
  // An empty list item is the same list with its items' layout (it holds none yet): list[str] owns what it will hold.
  const innerRefs = item.kind === 'list' ? itemRefsC(item.item) : '';
  return {
    result: T.list(item), argTypes: args.map((t) => (emptyList(t) ? t : item)),
    lower: stmts((a, out, cx) => [
      `${out} = kr_list_new(${a.length}, sizeof(${et})); if (!${out}) ${cx.try('-1')}`,
      ...a.map((x, i) => `((${et} *)${out}->data)[${i}] = ${x};${emptyList(args[i]) && innerRefs ? ` ${x}->objs = ${innerRefs};` : ''}`),
      ...(refs ? [`kr_list_retain(${out}, 0, ${a.length}, ${refs});`] : []),
    ]),
  };
}

const ops: OpDef[] = [
  {
    target: 'kiln.make_list', python: '[a, b, ...]', signatures: ['items of one type -> list', 'a union of numbers and None, and its members -> list of that union'],
    facts: { arrayRuntime: true, newList: 'items', takesUnions: true },
    resolve(args, consts) {
      if (!args.length) return { result: T.list(T.none), argTypes: [], lower: stmts((_a, out, cx) => [`${out} = kr_list_new(0, 1); if (!${out}) ${cx.try('-1')}`]) };
      // `[x]` of an `int | float` is a list of int | float (its items boxed), and so is `[1, 2.5, 3]` (CPython keeps
      // each item's type); other unions are resolved member by member.
      const pyNumber = (t: KType) => t.kind === 'scalar' && (t.name === 'int' || t.name === 'float');
      const mixedNumbers = args.every(pyNumber) && args.some((t) => typeToString(t) !== typeToString(args[0]));
      if (mixedNumbers || args.some((t) => t.kind === 'union')) {
        const u = mixedNumbers || args.some(isScalarUnion) ? unionOf(args) : undefined;
        if (!u || typeof u === 'string' || !isScalarUnion(u)) return dispatchOverMembers('[a, b, ...]', (ms) => makeList(ms), args, consts);
        return { result: T.list(u), argTypes: args.map(() => u), lower: stmts((a, out, cx) => [
          `${out} = kr_list_new(${a.length}, sizeof(${cType(u)})); if (!${out}) ${cx.try('-1')}`,
          ...a.map((x, i) => `((${cType(u)} *)${out}->data)[${i}] = ${x};`),
        ]) };
      }
      return makeList(args);
    },
  },
  {
    target: 'method.append', python: 'lst.append(x)', signatures: ['list[T], T -> None (an empty list takes the type of its first append)'],
    facts: { writes: [0], refinesList: { arg: 1, as: 'item' }, keepsNoList: 'receiver' },
    resolve([l, v]) {
      if (l.kind !== 'list') return `'${typeToString(l)}' object has no attribute 'append'`;
      const item = escaped(l.item.kind === 'none' ? v : l.item);
      const bad = sameItem(item, v);
      if (bad) return bad;
      const et = cType(item);
      if (isObject(item)) return { result: T.none, argTypes: [l, item], lower: stmts((a, _o, cx) => [cx.try(`kr_list_append_obj(${a[0]}, ${a[1]})`)]) };
      const refs = itemRefsC(item);
      if (refs) return { result: T.none, argTypes: [l, v], lower: stmts((a, _o, cx) => [`{ ${et} kitem = ${a[1]}; ${cx.try(`kr_list_append_refs(${a[0]}, &kitem, ${refs})`)} }`]) };
      return { result: T.none, argTypes: [l, isScalarUnion(item) ? item : v], lower: stmts((a, _o, cx) => [`{ ${et} kitem = ${a[1]}; ${cx.try(`kr_list_append(${a[0]}, &kitem, sizeof(${et}))`)} }`]) };
    },
  },
  {
    target: 'method.insert', python: 'lst.insert(i, x)', signatures: ['list[T], int, T -> None'],
    facts: { writes: [0], refinesList: { arg: 2, as: 'item' }, keepsNoList: 'receiver' },
    resolve([l, i, v]) {
      if (l.kind !== 'list' || !isIdx(i)) return 'insert() takes an int and an item';
      const item = escaped(l.item.kind === 'none' ? v : l.item);
      const bad = sameItem(item, v);
      if (bad) return bad;
      const et = cType(item);
      if (isObject(item)) return { result: T.none, argTypes: [l, T.int, item], lower: stmts((a, _o, cx) => [cx.try(`kr_list_insert_obj(${a[0]}, ${a[1]}, ${a[2]})`)]) };
      const refs = itemRefsC(item);
      if (refs) return { result: T.none, argTypes: [l, T.int, v], lower: stmts((a, _o, cx) => [`{ ${et} kitem = ${a[2]}; ${cx.try(`kr_list_insert_refs(${a[0]}, ${a[1]}, &kitem, ${refs})`)} }`]) };
      return { result: T.none, argTypes: [l, T.int, isScalarUnion(item) ? item : v], lower: stmts((a, _o, cx) => [`{ ${et} kitem = ${a[2]}; ${cx.try(`kr_list_insert(${a[0]}, ${a[1]}, &kitem, sizeof(${et}))`)} }`]) };
    },
  },
  {
    // `xs += gen`: list.__iadd__ is list.extend, which appends each item as the generator makes it (the tracer emits
    // this op per item), so the generator sees the list grow; a deque's += is its extend, the same.
    target: 'kiln.iadd_item', python: 'xs += <generator>', signatures: ['list[T] or deque[T], T -> None (one item of the generator)'],
    facts: { writes: [0], refinesList: { arg: 1, as: 'item' }, keepsNoList: 'receiver' },
    resolve: ([l, v], consts, ops) => ((l?.kind === 'list' && !l.tuple) || l?.kind === 'deque'
      ? ops('method.append')!.resolve([l, v], consts)
      : iaddGeneratorError(l)),
  },
  {
    target: 'method.extend', python: 'lst.extend(other)', signatures: ['list[T], list[T] -> None'],
    facts: { writes: [0], refinesList: { arg: 1, as: 'list' }, keepsNoList: 'all' },
    resolve([l, o]) {
      if (l.kind !== 'list' || o?.kind !== 'list') return 'extend() takes a list here';
      const bad = o.item.kind === 'none' ? undefined : sameListItems(l.item.kind === 'none' ? o.item : l.item, o.item);
      if (bad) return bad;
      const et = l.item.kind === 'none' ? listElem(o) : listElem(l);
      return { result: T.none, argTypes: [l, o], lower: stmts((a, _o, cx) => [cx.try(`kr_list_extend(${a[0]}, ${a[1]}, sizeof(${et}))`)]) };
    },
  },
  {
    target: 'method.pop', python: 'lst.pop([i])', signatures: ['list[T][, int] -> T (IndexError when empty)'],
    facts: { writes: [0], keywords: ['self', 'index'], keepsNoList: 'receiver' },
    resolve([l, i]) {
      if (l.kind !== 'list') return `'${typeToString(l)}' object has no attribute 'pop'`;
      if (l.item.kind === 'none') return 'IndexError: pop from empty list';
      if (!isNone(i) && !isIdx(i)) return 'pop() takes an int';
      const et = cType(l.item);
      return { result: l.item, argTypes: [l, isNone(i) ? T.none : T.int], lower: stmts((a, out, cx) => [cx.try(`kr_list_pop(${a[0]}, ${isNone(i) ? '-1' : a[1]}, &${out}, sizeof(${et}))`)]) };
    },
  },
  {
    target: 'method.clear', python: 'lst.clear()', signatures: ['list -> None'], facts: { writes: [0], keepsNoList: 'receiver' },
    resolve([l]) {
      if (l.kind !== 'list') return `'${typeToString(l)}' object has no attribute 'clear'`;
      return { result: T.none, argTypes: [l], lower: stmts((a) => [objItems(l) ? `kr_list_clear(${a[0]});` : `${a[0]}->len = 0;`]) };
    },
  },
  {
    target: 'method.reverse', python: 'lst.reverse()', signatures: ['list -> None'], facts: { writes: [0], keepsNoList: 'receiver' },
    resolve([l]) {
      if (l.kind !== 'list') return `'${typeToString(l)}' object has no attribute 'reverse'`;
      const et = listElem(l);
      return { result: T.none, argTypes: [l], lower: stmts((a) => [`for (int64_t i = 0, j = ${a[0]}->len - 1; i < j; i++, j--) { ${et} kt = ((${et} *)${a[0]}->data)[i]; ((${et} *)${a[0]}->data)[i] = ((${et} *)${a[0]}->data)[j]; ((${et} *)${a[0]}->data)[j] = kt; }`]) };
    },
  },
  {
    target: 'method.sort', python: 'lst.sort(reverse=False)', signatures: ['list of numbers (int | float items compared exactly, as Python), or of tuples of numbers and str (compared as Python compares tuples) -> None (stable, as Python; NaN order may differ)'],
    facts: { writes: [0], keywords: ['self', 'reverse'], keepsNoList: 'receiver' },
    resolve([l, rev], consts) {
      if (l.kind !== 'list') return `'${typeToString(l)}' object has no attribute 'sort'`;
      if (l.item.kind === 'str') {
        const r = sortReverse(rev, consts[1]);
        if (typeof r === 'string') return r;
        return { result: T.none, argTypes: [l, rev ?? T.none], lower: stmts((a, _o, cx) => [cx.try(`kr_sort_strs((kr_str **)${a[0]}->data, ${a[0]}->len, ${r ? 1 : 0})`)]) };
      }
      if ((l.item.kind === 'tuple' && tupleLess(l.item)) || isNumberUnion(l.item)) {
        const r = sortReverse(rev, consts[1]);
        if (typeof r === 'string') return r;
        return { result: T.none, argTypes: [l, rev ?? T.none], lower: stmts((a, _o, cx) => [cx.try(itemSortCall(l, r, cx)!(a[0]))]) };
      }
      if (!sortable(l.item)) return `sort() of a ${typeToString(l)} is not compiled (int, float, np.float64/float32, np.int64/uint64 items; tuples of numbers and str)`;
      const r = sortReverse(rev, consts[1]);
      if (typeof r === 'string') return r;
      const et = listElem(l);
      return { result: T.none, argTypes: [l, rev ?? T.none], lower: stmts((a, _o, cx) => [cx.try(`kr_sort_${sortSuffix(l)}((${et} *)${a[0]}->data, ${a[0]}->len, ${r ? 1 : 0})`)]) };
    },
  },
  {
    target: 'method.index', python: 'lst.index(x)', signatures: ['list[T], T -> int (ValueError "<x> is not in list" when absent)'], facts: { keepsNoList: 'all' },
    resolve([l, v], _consts, ops) {
      if (l.kind === 'list' && l.item.kind === 'str' && (v?.kind === 'str' || v?.kind === 'char')) {
        return { result: T.int, argTypes: [l, T.str], lower: stmts((a, out, cx) => [`${out} = kr_strs_find((kr_str *const *)${a[0]}->data, ${a[0]}->len, ${a[1]});`, `if (${out} < 0) ${cx.try(`kr_raise_not_in_list(${a[1]})`)}`]) };
      }
      if (l.kind === 'list' && isNumberUnion(l.item)) {
        // Items of int | float: Python's exact == of numbers; the ValueError names x as its own type does.
        const u = l.item;
        const absent = v?.kind === 'scalar' ? notInList(v) : 'index() of an int | float value is not compiled here; convert it (float(x), int(x))';
        const bad = numberUnionNeedle(u, v);
        if (bad || typeof absent === 'string') return bad ?? absent as string;
        return {
          result: T.int, argTypes: [l, v!],
          lower: stmts((a, out, cx) => [
            `{ ${cType(u)} kx = ${unionBox(a[1], v!, u)}; ${out} = -1; for (int64_t k = 0; k < ${a[0]}->len; k++) if (${numberUnionCompare(u, cx)!(`((${cType(u)} *)${a[0]}->data)[k]`, 'kx')} == 0) { ${out} = k; break; } }`,
            `if (${out} < 0) ${cx.try(absent(a[1]))}`,
          ]),
        };
      }
      if (l.kind !== 'list' || v?.kind !== 'scalar') return 'index() takes a number here';
      const eq = itemEquals(ops, l, v);
      if (typeof eq === 'string') return eq;
      const absent = notInList(v);
      if (typeof absent === 'string') return absent;
      return {
        result: T.int, argTypes: [l, v],
        lower: stmts((a, out, cx) => [
          `${out} = -1; for (int64_t k = 0; k < ${a[0]}->len; k++) if (${cCondition(eq(a[0], a[1]))}) { ${out} = k; break; }`,
          `if (${out} < 0) ${cx.try(absent(a[1]))}`,
        ]),
      };
    },
  },
  {
    target: 'method.count', python: 'lst.count(x)', signatures: ['list[T], T -> int'], facts: { keepsNoList: 'all' },
    resolve([l, v], _consts, ops) {
      if (l.kind === 'list' && l.item.kind === 'str' && (v?.kind === 'str' || v?.kind === 'char')) {
        return { result: T.int, argTypes: [l, T.str], lower: stmts((a, out) => [`${out} = kr_strs_count((kr_str *const *)${a[0]}->data, ${a[0]}->len, ${a[1]});`]) };
      }
      if (l.kind === 'list' && isNumberUnion(l.item)) {
        const u = l.item;
        const bad = numberUnionNeedle(u, v);
        if (bad) return bad;
        return {
          result: T.int, argTypes: [l, u],
          lower: stmts((a, out, cx) => [`${out} = 0; for (int64_t k = 0; k < ${a[0]}->len; k++) ${out} += ${numberUnionCompare(u, cx)!(`((${cType(u)} *)${a[0]}->data)[k]`, a[1])} == 0;`]),
        };
      }
      if (l.kind !== 'list' || v?.kind !== 'scalar') return 'count() takes a number here';
      const eq = itemEquals(ops, l, v);
      if (typeof eq === 'string') return eq;
      return { result: T.int, argTypes: [l, v], lower: stmts((a, out) => [`${out} = 0; for (int64_t k = 0; k < ${a[0]}->len; k++) ${out} += ${eq(a[0], a[1])};`]) };
    },
  },
];

/**
 * Item k of a list == x, with Python's `==` on the two types (an int and a float compare exactly, as `in`
 * does): a C condition on the list and x, or why it is not compiled. An empty list of unknown items holds nothing.
 * The loop variable has Kiln's prefix (cIdent renames a user's kiln_ names), so it never hides a local named k.
 */
/** CPython's TypeError for `x += <generator>` when x is not a list or deque (str and tuple concatenate only their own type). */
function iaddGeneratorError(l: KType | undefined): string {
  if (isStrish(l)) return 'can only concatenate str (not "generator") to str';
  if (l?.kind === 'tuple' || (l?.kind === 'list' && l.tuple)) return 'can only concatenate tuple (not "generator") to tuple';
  return `unsupported operand type(s) for +=: '${l ? pyName(l) : 'NoneType'}' and 'generator'`;
}

function itemEquals(ops: OpLookup, l: Lst, v: KType): ((list: string, x: string) => string) | string {
  if (l.item.kind === 'none') return () => '0';
  const eq = scalarBody(ops, '_operator.eq', [l.item, v]);
  if (typeof eq === 'string') return eq;
  const et = listElem(l);
  return (list, x) => `(${eq.body([`((${et} *)${list}->data)[k]`, x])})`;
}

/** The C call raising CPython's ValueError "<repr(x)> is not in list" for x of type v (kiln_arrays.h). */
function notInList(v: KType): ((x: string) => string) | string {
  if (v.kind !== 'scalar') return 'index() takes a number here';
  if (v.name === 'bool') return (x) => `kr_raise(KILN_ValueError, (${x}) ? "True is not in list" : "False is not in list")`;
  const info = SCALARS[v.name];
  const np = info.numpy ? `"${v.name}"` : 'NULL';
  if (info.float) {
    if (info.bits !== 64) return `index() of an np.${v.name} value is not compiled (its repr in the error message); pass float(x)`;
    return (x) => `kr_raise_not_in_list_f64(${x}, ${np})`;
  }
  return info.signed ? (x) => `kr_raise_not_in_list_i64((int64_t)${x}, ${np})` : (x) => `kr_raise_not_in_list_u64((uint64_t)${x}, ${np})`;
}

/** `a + b` of two lists: a new list. */
function listConcat(args: KType[]): Res | undefined {
  const [a, b] = args;
  if (a?.kind !== 'list' || b?.kind !== 'list') return a?.kind === 'list' || b?.kind === 'list' ? (args.some(isArray) ? undefined : `can only concatenate list (not "${typeToString(a.kind === 'list' ? b : a)}") to list`) : undefined;
  const item = a.item.kind === 'none' ? b.item : a.item;
  if (b.item.kind !== 'none' && a.item.kind !== 'none') {
    const bad = sameListItems(a.item, b.item);
    if (bad) return bad;
  }
  const et = item.kind === 'none' ? 'int64_t' : cType(item);
  return {
    result: T.list(item), argTypes: args, facts: { newList: 'copy' },
    lower: stmts((x, out, cx) => [`${out} = kr_list_concat(${x[0]}, ${x[1]}, sizeof(${et})); if (!${out}) ${cx.try('-1')}`]),
  };
}

/** `lst * n` and `n * lst`: a new list. */
function listRepeat(args: KType[]): Res | undefined {
  const [a, b] = args;
  const li = a?.kind === 'list' ? 0 : b?.kind === 'list' ? 1 : -1;
  if (li < 0) return undefined;
  const l = args[li] as Lst, n = args[1 - li];
  if (!isIdx(n)) return `can't multiply sequence by non-int of type '${typeToString(n)}'`;
  const et = listElem(l);
  const deep = l.item.kind === 'list';
  return {
    result: l, argTypes: li === 0 ? [l, T.int] : [T.int, l], facts: { sizedByArgs: true, newList: 'copy' },
    lower: stmts((x, out, cx) => {
      const L = x[li], N = x[1 - li];
      return [
        `{ int64_t kr = ${N} > 0 ? ${N} : 0, km = ${L}->len;`,
        `  if (km && kr > INT64_MAX / 8 / km) ${cx.raise('MemoryError', '""')}`,
        `  ${out} = kr_list_new(km * kr, sizeof(${et})); if (!${out}) ${cx.try('-1')}`,
        `  for (int64_t r = 0; r < kr; r++) memcpy((${et} *)${out}->data + r * km, ${L}->data, (size_t)km * sizeof(${et}));${objItems(l) ? ` kr_list_retain(${out}, 0, km * kr, ${itemRefsC(l.item)});` : ''} }`,
        ...(deep ? ['/* [[...]] * n repeats references to the same inner lists, as Python does */'] : []),
      ];
    }),
  };
}

/** `lst[i]` (IndexError out of range) and `lst[a:b:c]` (a new list). */
function listGetitem(args: KType[]): Res | undefined {
  const [seq, ...idx] = args;
  if (seq.kind !== 'list') return undefined;
  const what = seq.tuple ? 'tuple' : 'list'; // a tuple of a run-time length is a list compiled code never changes
  if (idx.length !== 1) return `${what} indices must be integers or slices, not tuple`;
  const [i] = idx;
  const item = seq.item;
  if (item.kind === 'none') return `IndexError: ${what} index out of range (the ${what} is always empty here)`;
  const et = cType(item);
  if (i.kind === 'slice') {
    return {
      result: seq, argTypes: args, facts: { newList: 'copy' },
      lower: stmts((a, out, cx) => [
        `{ int64_t ks, kst, kn; ${cx.try(`kr_slice_adjust(${a[1]}, ${a[0]}->len, &ks, &kst, &kn)`)}`,
        `  ${out} = kr_list_new(kn, sizeof(${et})); if (!${out}) ${cx.try('-1')}`,
        `  for (int64_t k = 0; k < kn; k++) ((${et} *)${out}->data)[k] = ((${et} *)${a[0]}->data)[ks + k * kst];${objItems(seq) ? ` kr_list_retain(${out}, 0, kn, ${itemRefsC(item)});` : ''} }`,
      ]),
    };
  }
  if (!isIdx(i)) return `${what} indices must be integers or slices, not ${typeToString(i)}`;
  // A borrowed item (opt/lifetimes.ts: nothing can change the list before its last use) takes no reference.
  const take = (out: string, borrowed?: boolean) => (objItems(seq) && !borrowed ? ` ${retainItem(item, out)}` : '');
  return {
    result: item, argTypes: [seq, T.int],
    lower: stmts((a, out, cx) => cx.boundscheck
      ? [`{ int64_t kk; ${cx.try(`kr_list_index(${a[1]}, ${a[0]}->len, "${what} index out of range", &kk)`)} ${out} = ((${et} *)${a[0]}->data)[kk];${take(out, cx.borrowed)} }`]
      : [`${out} = ((${et} *)${a[0]}->data)[${a[1]} < 0 ? ${a[1]} + ${a[0]}->len : ${a[1]}];${take(out, cx.borrowed)}`]),
  };
}

/** `lst[i] = v` and `lst[a:b:c] = v`. */
function listSetitem(args: KType[]): Res | undefined {
  const seq = args[0];
  const idx = args.slice(1, -1);
  const v = args[args.length - 1];
  if (seq.kind !== 'list') return undefined;
  if (idx.length === 1 && idx[0].kind === 'slice') return listSetslice(seq, v);
  if (idx.length !== 1 || !isIdx(idx[0])) return `list indices must be integers or slices, not ${idx.length === 1 ? typeToString(idx[0]) : 'tuple'}`;
  if (seq.item.kind === 'none') return 'IndexError: list assignment index out of range (the list is always empty here)';
  // A list of int | float takes either member (boxed), as Python's list takes any object.
  const boxed = isScalarUnion(seq.item) && !sameItem(seq.item, v);
  if (!boxed && typeToString(escaped(v)) !== typeToString(seq.item)) {
    return `storing ${typeToString(v)} into a ${typeToString(seq)} would give a list of mixed types; convert the value (float(...), int(...))`;
  }
  const et = cType(seq.item);
  if (isObject(seq.item)) {
    return {
      result: T.none, argTypes: [seq, T.int, seq.item],
      lower: stmts((a, _o, cx) => [`{ int64_t kk; ${cx.try(`kr_list_index(${a[1]}, ${a[0]}->len, "list assignment index out of range", &kk)`)} kr_list_set_obj(${a[0]}, kk, ${a[2]}); }`]),
    };
  }
  const refs = itemRefsC(seq.item);
  if (refs) {
    return {
      result: T.none, argTypes: [seq, T.int, seq.item],
      lower: stmts((a, _o, cx) => [`{ int64_t kk; ${cx.try(`kr_list_index(${a[1]}, ${a[0]}->len, "list assignment index out of range", &kk)`)} ${et} kv = ${a[2]}; kr_list_set_refs(${a[0]}, kk, &kv, ${refs}); }`]),
    };
  }
  return {
    result: T.none, argTypes: [seq, T.int, boxed ? seq.item : v],
    lower: stmts((a, _o, cx) => cx.boundscheck
      ? [`{ int64_t kk; ${cx.try(`kr_list_index(${a[1]}, ${a[0]}->len, "list assignment index out of range", &kk)`)} ((${et} *)${a[0]}->data)[kk] = ${a[2]}; }`]
      : [`((${et} *)${a[0]}->data)[${a[1]} < 0 ? ${a[1]} + ${a[0]}->len : ${a[1]}] = ${a[2]};`]),
  };
}

/**
 * `lst[a:b:c] = other` (kr_list_setslice, as CPython's list_ass_subscript): a step of 1 replaces the run by other's
 * items, growing or shrinking the list; another step needs as many items as it selects (ValueError). The tracer makes
 * a list of a one-shot right side first (`xs[i:] = reversed(xs[i:])`, a generator), as CPython's list(...) of it.
 */
function listSetslice(seq: Lst, v: KType): Res {
  if (v.kind !== 'list') {
    const iterable = v.kind === 'tuple' || v.kind === 'str' || v.kind === 'char' || v.kind === 'array' || v.kind === 'dict' || v.kind === 'set' || v.kind === 'deque';
    return iterable ? `slice assignment from a ${typeToString(v)} is not compiled; assign a list: xs[a:b] = list(...)` : 'TypeError: can only assign an iterable';
  }
  if (seq.item.kind === 'none') {
    if (v.item.kind !== 'none') return 'slice assignment into a list whose item type is not known here is not compiled; give it a type (xs: list[int] = []) or build it with append/extend';
  } else if (v.item.kind !== 'none') {
    const bad = sameListItems(seq.item, v.item);
    if (bad) return bad;
  }
  const et = listElem(seq);
  const refs = seq.item.kind === 'none' ? undefined : itemRefsC(seq.item);
  return { result: T.none, argTypes: [seq, T.slice, v], lower: stmts((a, _o, cx) => [cx.try(`kr_list_setslice(${a[0]}, ${a[1]}, ${a[2]}, sizeof(${et}), ${refs ?? '0'})`)]) };
}

/**
 * `xs += other` on a list extends it in place (Python's list.__iadd__): a list parameter's caller sees it.
 * The tracer emits _operator.iadd for every `+=`; typecheck turns it back into _operator.add unless the left
 * side is a list or an array.
 */
function listInplaceExtend([l, o]: KType[]): Res | undefined {
  if (l?.kind !== 'list' || o?.kind !== 'list') return undefined;
  const item = l.item.kind === 'none' ? o.item : l.item;
  const bad = o.item.kind === 'none' || l.item.kind === 'none' ? undefined : sameListItems(l.item, o.item);
  if (bad) return bad;
  const et = item.kind === 'none' ? 'int64_t' : cType(item);
  return { result: T.list(item), argTypes: [l, o], lower: stmts((a, out, cx) => [cx.try(`kr_list_extend(${a[0]}, ${a[1]}, sizeof(${et}))`), `${out} = ${a[0]};`]) };
}

/**
 * `xs *= n` on a list repeats it in place (Python's list.__imul__): a list parameter's caller sees it, and
 * n <= 0 empties the list. The tracer emits _operator.imul for every `*=`; typecheck keeps it for a list.
 */
function listInplaceRepeat(args: KType[]): Res | undefined {
  const [l, n] = args;
  if (l?.kind !== 'list') return undefined;
  if (!n || !isIdx(n)) return `can't multiply sequence by non-int of type '${n ? typeToString(n) : 'None'}'`;
  const et = listElem(l);
  return {
    result: l, argTypes: [l, T.int],
    lower: stmts((x, out, cx) => [
      `{ int64_t kr = ${x[1]} > 0 ? ${x[1]} : 0, km = ${x[0]}->len;`,
      `  if (km && kr > INT64_MAX / 8 / km) ${cx.raise('MemoryError', '""')}`,
      `  ${cx.try(`kr_list_reserve(${x[0]}, km * kr, sizeof(${et}))`)}`,
      `  for (int64_t r = 1; r < kr; r++) memcpy((${et} *)${x[0]}->data + r * km, ${x[0]}->data, (size_t)km * sizeof(${et}));`,
      ...(objItems(l) ? [`  if (kr > 1) kr_list_retain(${x[0]}, km, km * (kr - 1), ${itemRefsC(l.item)}); else if (kr == 0) { ${x[0]}->len = km; kr_list_clear(${x[0]}); }`] : []),
      `  ${x[0]}->len = km * kr; }`,
      ...(l.item.kind === 'list' ? ['/* xs *= n on a list of lists repeats references to the same inner lists, as Python does */'] : []),
      `${out} = ${x[0]};`,
    ]),
  };
}

/** `a, b = lst`: the list must hold exactly as many items (ValueError at run time otherwise, as Python). */
function listUnpack(args: KType[], consts: (ConstValue | undefined)[]): Res | undefined {
  const [l] = args;
  if (l?.kind !== 'list') return undefined;
  const n = Number(constInt(consts[1]));
  return {
    result: T.none, argTypes: [l, T.int],
    lower: stmts((a, _o, cx) => [
      `if (${a[0]}->len > ${n}) ${cx.raise('ValueError', `"too many values to unpack (expected ${n})"`)}`,
      `if (${a[0]}->len < ${n}) ${cx.raise('ValueError', `kr_msg_unpack(${n}, ${a[0]}->len, 0)`)}`,
    ]),
  };
}

/** `a == b`, `a != b` of two lists of numbers: same length, items equal pairwise (as Python's ==: NaN is not equal to itself). */
function listEquality(op: 'eq' | 'ne') {
  return (args: KType[]): Res | undefined => {
    const [a, b] = args;
    if (a?.kind !== 'list' || b?.kind !== 'list') return undefined;
    if (![a.item, b.item].every((t) => t.kind === 'scalar' || t.kind === 'none')) return undefined;
    const [ea, eb] = [listElem(a), listElem(b)];
    // CPython compares items identity first: a NaN item equals itself. A float has no identity here, so a NaN is one
    // object, as in dicts and sets (docs/design/dicts.md).
    const nan = [a.item, b.item].some((t) => t.kind === 'scalar' && (t.name === 'float' || t.name === 'float64' || t.name === 'float32'));
    const item = (x: string[], k: string) => [`((${ea} *)${x[0]}->data)[${k}]`, `((${eb} *)${x[1]}->data)[${k}]`];
    const same = (p: string, q: string) => (nan ? `(${p} == ${q} || (${p} != ${p} && ${q} != ${q}))` : `${p} == ${q}`);
    return {
      result: T.bool, argTypes: args,
      lower: stmts((x, out) => [`${out} = ${x[0]}->len == ${x[1]}->len; for (int64_t k = 0; ${out} && k < ${x[0]}->len; k++) ${out} = ${same(...item(x, 'k') as [string, string])};${op === 'ne' ? ` ${out} = !${out};` : ''}`]),
    };
  };
}

const overloads: Overload[] = [
  { target: 'kiln.check_unpack', signatures: ['list of n items into n names (ValueError otherwise)'], resolve: listUnpack },
  { target: '_operator.eq', signatures: ['list, list -> bool (same length, items equal)'], facts: { keepsNoList: 'all' }, resolve: listEquality('eq') },
  { target: '_operator.ne', signatures: [], facts: { keepsNoList: 'all' }, resolve: listEquality('ne') },
  { target: '_operator.add', signatures: [], facts: { keepsNoList: 'all' }, resolve: listConcat },
  { target: '_operator.mul', signatures: [], facts: { keepsNoList: 'all' }, resolve: listRepeat },
  { target: '_operator.getitem', signatures: [], facts: { keepsNoList: 'receiver' }, resolve: listGetitem },
  { target: '_operator.setitem', signatures: ['list, int, item', 'list[T], slice, list[T] (lst[a:b] = other grows or shrinks lst; an extended slice needs as many items, ValueError otherwise, as CPython)'], facts: { keepsNoList: 'receiver' }, resolve: listSetitem },
  { target: '_operator.iadd', signatures: ['list[T], list[T] -> list[T] (extends lst in place, as Python)'], resolve: listInplaceExtend },
  { target: '_operator.imul', signatures: ['list[T], int -> list[T] (repeats lst in place, as Python; n <= 0 empties it)'], resolve: listInplaceRepeat },
  {
    target: 'method.copy', signatures: ['list -> shallow copy'],
    resolve: ([a]) => (a.kind === 'list' ? { result: a, argTypes: [a], lower: stmts((x, out, cx) => [`${out} = kr_list_copy(${x[0]}, sizeof(${listElem(a)})); if (!${out}) ${cx.try('-1')}`]) } : undefined),
  },
];

export const lists: OpDomain = { name: 'lists', title: 'Lists', ops, overloads };
