/**
 * Indexing NumPy arrays: `a[i]`, `a[i, j]`, slices (views that share memory), boolean masks, and storing
 * into any of them with NumPy's broadcasting and casting; the slice object `start:stop:step`.
 */
import { T, cType, typeToString, type KType } from '../types.ts';
import { expr, isIdx, isNone, stmts, type LowerContext, type OpDef, type OpDomain, type Overload } from './common.ts';
import {
  STORE_NOTE, ctOf, elemOf, indexLines, itemOf, loop3, off3, alloc, storeCheck, storeConv, viewNdim, type Res,
} from './common_arrays.ts';

const FULL_SLICE = '((kr_slice){0, 0, 1, 0, 0})';

/**
 * An index with Ellipsis (`a[..., 0]`, `a[...] = v`) resolved as NumPy does: the `...` stands for as many `:` as the
 * array has axes the other indices (None aside) do not use. `resolve` gets the expanded index (argument 0 the
 * array, `tail` arguments after the index: the stored value); its lowering gets a full slice for each `:` added.
 */
function expandEllipsis(args: KType[], tail: number, resolve: (args: KType[]) => Res | undefined): Res | undefined {
  const seq = args[0];
  const at = args.findIndex((t) => t.kind === 'ellipsis');
  if (seq.kind !== 'array' || at < 0) return resolve(args);
  const idx = args.slice(1, args.length - tail);
  if (idx.filter((t) => t.kind === 'ellipsis').length > 1) return "IndexError: an index can only have a single ellipsis ('...')";
  const used = idx.filter((t) => t.kind !== 'ellipsis' && !isNone(t)).length;
  if (used > seq.ndim) return `IndexError: too many indices for array: array is ${seq.ndim}-dimensional, but ${used} were indexed`;
  const n = seq.ndim - used;
  const r = resolve([...args.slice(0, at), ...Array<KType>(n).fill(T.slice), ...args.slice(at + 1)]);
  if (!r || typeof r === 'string') return r;
  if (r.lower.kind !== 'stmts') return 'internal: an index with Ellipsis lowers to statements';
  const emit = r.lower.emit;
  const expand = (a: string[]) => [...a.slice(0, at), ...Array<string>(n).fill(FULL_SLICE), ...a.slice(at + 1)];
  return {
    ...r, argTypes: [...r.argTypes.slice(0, at), T.ellipsis, ...r.argTypes.slice(at + n)],
    // Index positions after the `...` are other axes: no position is known in bounds (loopVersioning skips these).
    lower: stmts((a, out, cx) => emit(expand(a), out, { ...cx, inBounds: undefined })),
  };
}

/** `a[...]` on an array: an element, a view, or (a boolean mask) a new 1-D array of the selected items. */
function arrayGetitem(args: KType[]): Res | undefined {
  return expandEllipsis(args, 0, getitemExpanded);
}

function getitemExpanded(args: KType[]): Res | undefined {
  const [seq, ...idx] = args;
  if (seq.kind !== 'array') return undefined;
  // Boolean mask: a[mask] -> a new 1-D array of the selected items.
  if (idx.length === 1 && idx[0].kind === 'array' && idx[0].dtype === 'bool') {
    const m = idx[0];
    if (m.ndim !== seq.ndim) return 'a boolean mask must have the dimensions of the array';
    return {
      result: T.array(seq.dtype, 1), argTypes: args,
      lower: stmts((a, out, cx) => {
        const lines = ['{'];
        for (let k = 0; k < seq.ndim; k++) lines.push(`  if (${a[0]}.shape[${k}] != ${a[1]}.shape[${k}]) ${cx.raise('IndexError', `kr_msg_mask(${k}, ${a[0]}.shape[${k}], ${a[1]}.shape[${k}])`)}`);
        lines.push(`  int64_t ks3[3], kva[3], kvm[3], kcount = 0, ko = 0;`, `  kr_shape3(${a[0]}.shape, ${seq.ndim}, ks3);`, `  kr_view3(${a[0]}.shape, ${a[0]}.strides, ${seq.ndim}, ${seq.ndim}, kva); kr_view3(${a[1]}.shape, ${a[1]}.strides, ${seq.ndim}, ${seq.ndim}, kvm);`);
        lines.push(...loop3('ks3', [`kcount += ${a[1]}.data[${off3('kvm')}] != 0;`]).map((l) => `  ${l}`));
        lines.push(`  ${alloc(out, '&kcount', 1, seq.dtype, false, cx)}`);
        lines.push(...loop3('ks3', [`if (${a[1]}.data[${off3('kvm')}]) ${out}.data[ko++] = ${a[0]}.data[${off3('kva')}];`]).map((l) => `  ${l}`));
        lines.push('}');
        return lines;
      }),
    };
  }
  const gi = idx.length === 1 ? gatherIndex(idx[0]) : undefined;
  if (gi) return gather(seq, gi, args);
  if (idx.some(isNone)) return newAxes(seq, idx, args);
  if (idx.length > seq.ndim) return `IndexError: too many indices for array: array is ${seq.ndim}-dimensional, but ${idx.length} were indexed`;
  for (const t of idx) if (t.kind !== 'slice' && !isIdx(t)) return `IndexError: only integers, slices (\`:\`) and boolean arrays are valid indices (got ${typeToString(t)})`;
  const nd = viewNdim(seq, idx);
  const result = nd === 0 ? itemOf(seq) : T.array(seq.dtype, nd);
  return {
    result, argTypes: args,
    lower: stmts((a, out, cx) => {
      const lines = indexLines(seq, idx, a[0], a.slice(1), nd ? out : undefined, cx);
      lines.push(nd === 0 ? `${out} = *kp;` : `${out}.data = kp;`);
      return ['{', ...lines.map((l) => `  ${l}`), '}'];
    }),
  };
}

const INT_INDEX = new Set(['int8', 'int16', 'int32', 'int64', 'uint8', 'uint16', 'uint32']);

/** The integer index of a gather: how many axes it has, C that sets `ks3` (its 3-D shape), and its item at (i0, i1, i2). */
interface GatherIndex {
  ndim: number;
  setup: (i: string, cx: LowerContext) => string[];
  at: (i: string) => string;
  shape: (i: string, k: number) => string;
}

/** An integer array, a range or a list of ints as NumPy's integer index (NumPy makes the last two an intp array). */
function gatherIndex(t: KType): GatherIndex | undefined {
  if (t.kind === 'array' && INT_INDEX.has(t.dtype)) {
    return {
      ndim: t.ndim,
      setup: (i) => [`int64_t kvi[3]; kr_shape3(${i}.shape, ${t.ndim}, ks3); kr_view3(${i}.shape, ${i}.strides, ${t.ndim}, ${t.ndim}, kvi);`],
      at: (i) => `(int64_t)${i}.data[${off3('kvi')}]`,
      shape: (i, k) => `${i}.shape[${k}]`,
    };
  }
  if (t.kind === 'range') {
    return { ndim: 1, setup: (i, cx) => [`${cx.try(`kr_range_len(${i}, &ks3[0])`)} ks3[1] = ks3[2] = 1;`], at: (i) => `kr_range_at(${i}, i0)`, shape: () => 'ks3[0]' };
  }
  if (t.kind === 'list' && isIdx(t.item)) {
    return { ndim: 1, setup: (i) => [`ks3[0] = ${i}->len; ks3[1] = ks3[2] = 1;`], at: (i) => `((const ${cType(t.item)} *)${i}->data)[i0]`, shape: () => 'ks3[0]' };
  }
  return undefined;
}

/**
 * `a[idx]` with an integer array, a range or a list of ints: NumPy's integer ("fancy") indexing along the first
 * axis, a new array of shape idx.shape + a.shape[1:] (the embedding lookups `wte[tokens]`, `wpe[range(n)]`).
 * Every index is checked (negative ones count from the end; out of range raises NumPy's IndexError) before the
 * result is allocated.
 */
function gather(seq: KType & { kind: 'array' }, ix: GatherIndex, args: KType[]): Res {
  const nd = ix.ndim + seq.ndim - 1;
  if (nd > 3) return `a[idx] with a ${ix.ndim}-D index array into a ${seq.ndim}-D array would make a ${nd}-D array (at most 3-D is compiled); index a reshaped array`;
  const rest = seq.ndim - 1;
  return {
    result: T.array(seq.dtype, nd), argTypes: args,
    lower: stmts((a, out, cx) => {
      const [x, i] = a;
      const lines = ['{', `  int64_t ks3[3], kk, kshape[3];`, ...ix.setup(i, cx).map((l) => `  ${l}`)];
      lines.push(...loop3('ks3', [`${cx.try(`kr_array_index(${ix.at(i)}, ${x}.shape[0], 0, &kk)`)}`]).map((l) => `  ${l}`));
      for (let k = 0; k < ix.ndim; k++) lines.push(`  kshape[${k}] = ${ix.shape(i, k)};`);
      for (let k = 0; k < rest; k++) lines.push(`  kshape[${ix.ndim + k}] = ${x}.shape[${k + 1}];`);
      lines.push(`  ${alloc(out, 'kshape', nd, seq.dtype, false, cx)}`, '  int64_t ko = 0;');
      // The indices were checked above: here they only wrap.
      const row = `kk = ${ix.at(i)}; if (kk < 0) kk += ${x}.shape[0];`;
      const copy = rest === 0 ? [`${out}.data[ko++] = ${x}.data[kk * ${x}.strides[0]];`]
        : rest === 1 ? [`for (int64_t j1 = 0; j1 < ${x}.shape[1]; j1++) ${out}.data[ko++] = ${x}.data[kk * ${x}.strides[0] + j1 * ${x}.strides[1]];`]
          : [`for (int64_t j1 = 0; j1 < ${x}.shape[1]; j1++) for (int64_t j2 = 0; j2 < ${x}.shape[2]; j2++) ${out}.data[ko++] = ${x}.data[kk * ${x}.strides[0] + j1 * ${x}.strides[1] + j2 * ${x}.strides[2]];`];
      lines.push(...loop3('ks3', [row, ...copy]).map((l) => `  ${l}`), '}');
      return lines;
    }),
  };
}

/**
 * An index with None (np.newaxis) among integers and slices: a view with an axis of length 1 (stride 0) where
 * each None stands, the integers and slices applied to the array's axes in order, the axes left over kept.
 */
function newAxes(seq: KType & { kind: 'array' }, idx: KType[], args: KType[]): Res {
  const used = idx.filter((t) => !isNone(t));
  if (used.length > seq.ndim) return `IndexError: too many indices for array: array is ${seq.ndim}-dimensional, but ${used.length} were indexed`;
  for (const t of used) if (t.kind !== 'slice' && !isIdx(t)) return `IndexError: only integers, slices (\`:\`), None (np.newaxis) and boolean arrays are valid indices (got ${typeToString(t)}); an integer array or a mask goes alone in the index`;
  const nd = idx.filter((t) => isNone(t) || t.kind === 'slice').length + seq.ndim - used.length;
  if (nd > 3) return `a[...] with None would make a ${nd}-D array (at most 3-D is compiled)`;
  return {
    result: T.array(seq.dtype, nd), argTypes: args,
    lower: stmts((a, out, cx) => {
      const x = a[0];
      const lines = [`${ctOf(seq.dtype)} *kp = ${x}.data;`];
      let k = 0;
      let j = 0;
      idx.forEach((t, n) => {
        const e = a[n + 1];
        if (isNone(t)) lines.push(`${out}.shape[${j}] = 1; ${out}.strides[${j++}] = 0;`);
        else if (t.kind === 'slice') {
          lines.push(`{ int64_t ks, kst, kn; ${cx.try(`kr_slice_adjust(${e}, ${x}.shape[${k}], &ks, &kst, &kn)`)} kp += ks * ${x}.strides[${k}]; ${out}.shape[${j}] = kn; ${out}.strides[${j++}] = ${x}.strides[${k}] * kst; }`);
          k++;
        } else {
          lines.push(`{ int64_t kk; ${cx.try(`kr_array_index((int64_t)(${e}), ${x}.shape[${k}], ${k}, &kk)`)} kp += kk * ${x}.strides[${k}]; }`);
          k++;
        }
      });
      for (; k < seq.ndim; k++) lines.push(`${out}.shape[${j}] = ${x}.shape[${k}]; ${out}.strides[${j++}] = ${x}.strides[${k}];`);
      lines.push(`${out}.data = kp;`);
      return ['{', ...lines.map((l) => `  ${l}`), '}'];
    }),
  };
}

/** `a[...] = v` on an array: an element, or a view filled with a number or broadcast from an array. */
function arraySetitem(args: KType[]): Res | undefined {
  return expandEllipsis(args, 1, setitemExpanded);
}

function setitemExpanded(args: KType[]): Res | undefined {
  const seq = args[0];
  const idx = args.slice(1, -1);
  const v = args[args.length - 1];
  if (seq.kind !== 'array') return undefined;
  if (idx.length === 1 && idx[0].kind === 'array' && idx[0].dtype === 'bool') {
    const m = idx[0];
    if (m.ndim !== seq.ndim || (v.kind !== 'scalar' && v.kind !== 'complex')) return 'a[mask] = value takes a mask of the array\'s dimensions and a number';
    const c = storeConv(v, itemOf(seq));
    if (typeof c === 'string') return c;
    return {
      result: T.none, argTypes: args,
      lower: stmts((a, _o, cx) => {
        const lines = ['{'];
        for (let k = 0; k < seq.ndim; k++) lines.push(`  if (${a[0]}.shape[${k}] != ${a[1]}.shape[${k}]) ${cx.raise('IndexError', `kr_msg_mask(${k}, ${a[0]}.shape[${k}], ${a[1]}.shape[${k}])`)}`);
        lines.push(...storeCheck(c, a[2], cx));
        lines.push(`  int64_t ks3[3], kva[3], kvm[3];`, `  kr_shape3(${a[0]}.shape, ${seq.ndim}, ks3);`, `  kr_view3(${a[0]}.shape, ${a[0]}.strides, ${seq.ndim}, ${seq.ndim}, kva); kr_view3(${a[1]}.shape, ${a[1]}.strides, ${seq.ndim}, ${seq.ndim}, kvm);`);
        lines.push(...loop3('ks3', [`if (${a[1]}.data[${off3('kvm')}]) ${a[0]}.data[${off3('kva')}] = ${c.value(a[2])};`]).map((l) => `  ${l}`));
        lines.push('}');
        return lines;
      }),
    };
  }
  if (idx.length > seq.ndim) return `IndexError: too many indices for array: array is ${seq.ndim}-dimensional, but ${idx.length} were indexed`;
  for (const t of idx) if (t.kind !== 'slice' && !isIdx(t)) return `only integers and slices are valid indices here (got ${typeToString(t)})`;
  const nd = viewNdim(seq, idx);
  if (nd === 0) {
    const c = storeConv(v, itemOf(seq));
    if (typeof c === 'string') return c;
    return {
      result: T.none, argTypes: args,
      lower: stmts((a, _o, cx) => {
        const val = a[a.length - 1];
        return ['{', ...indexLines(seq, idx, a[0], a.slice(1, -1), undefined, cx).map((l) => `  ${l}`), ...storeCheck(c, val, cx), `  *kp = ${c.value(val)};`, '}'];
      }),
    };
  }
  // Assignment into a view: a number fills it; an array is broadcast to it (copied first: it may overlap).
  if (v.kind === 'array' && v.ndim > nd) return `ValueError: could not broadcast a ${v.ndim}-D array into a ${nd}-D view`;
  if (v.kind !== 'array' && v.kind !== 'scalar' && v.kind !== 'complex') return `cannot assign ${typeToString(v)} into an array view`;
  // A number is stored as a[i] = v is (checked); an array's elements are cast (NumPy's unsafe casting).
  const c = storeConv(elemOf(v), itemOf(seq), v.kind === 'array' ? 'cast' : 'item');
  if (typeof c === 'string') return c;
  return {
    result: T.none, argTypes: args,
    lower: stmts((a, _o, cx) => {
      const val = a[a.length - 1];
      const lines = ['{', `  ${cType(seq)} kw;`, ...indexLines(seq, idx, a[0], a.slice(1, -1), 'kw', cx).map((l) => `  ${l}`), '  kw.data = kp;', '  int64_t ks3[3], kvw[3];'];
      lines.push(`  kr_shape3(kw.shape, ${nd}, ks3); kr_view3(kw.shape, kw.strides, ${nd}, ${nd}, kvw);`);
      if (v.kind === 'array') {
        const vt = ctOf(v.dtype);
        lines.push(`  int64_t kb[3];`, `  ${cx.try(`kr_broadcast_shapes(kw.shape, ${nd}, ${val}.shape, ${v.ndim}, kb)`)}`);
        lines.push(`  for (int k = 0; k < ${nd}; k++) if (kb[k] != kw.shape[k]) ${cx.raise('ValueError', '"could not broadcast input array into the shape of the assignment"')}`);
        lines.push(`  int64_t kvv[3], kn = kr_size(${val}.shape, ${v.ndim}), kq = 0, ks3v[3], kvs[3];`);
        lines.push(`  ${vt} *kcopy = (${vt} *)kr_alloc((size_t)kn * sizeof(${vt}), 0); if (!kcopy) ${cx.try('-1')}`);
        lines.push(`  kr_shape3(${val}.shape, ${v.ndim}, ks3v); kr_view3(${val}.shape, ${val}.strides, ${v.ndim}, ${v.ndim}, kvs);`);
        lines.push(...loop3('ks3v', [`kcopy[kq++] = ${val}.data[${off3('kvs')}];`]).map((l) => `  ${l}`));
        lines.push(`  int64_t kcs[3]; kr_c_strides(${val}.shape, ${v.ndim}, kcs); kr_view3(${val}.shape, kcs, ${v.ndim}, ${nd}, kvv);`);
        lines.push(...loop3('ks3', [`kw.data[${off3('kvw')}] = ${c.value(`kcopy[${off3('kvv')}]`)};`]).map((l) => `  ${l}`));
      } else {
        lines.push(...storeCheck(c, val, cx));
        lines.push(...loop3('ks3', [`kw.data[${off3('kvw')}] = ${c.value(val)};`]).map((l) => `  ${l}`));
      }
      lines.push('}');
      return lines;
    }),
  };
}

/** np.take(a, idx) without axis: the flattened array indexed by an integer array (or one int). */
const take: OpDef = {
  target: 'numpy.take', python: 'np.take(a, indices)', signatures: ['array, int array, range or list of ints -> array of the indices\' shape (a flattened)', 'array, int -> item'],
  facts: { arrayRuntime: true, keywords: ['a', 'indices', 'axis', 'out', 'mode'] },
  resolve(args, _consts, ops) {
    const [a, ix, ...rest] = args;
    if (a?.kind !== 'array') return 'np.take() takes an array here';
    if (!rest.every(isNone)) return 'np.take(a, indices) is compiled without axis=, out= and mode=; for an axis write a[idx] (axis 0) or a[:, idx]';
    const flat = a.ndim === 1 ? a : undefined;
    if (!flat) return 'np.take() of a multi-dimensional array is compiled as a.ravel()[idx]: write that';
    const gi = ix && gatherIndex(ix);
    if (gi) {
      const g = gather(a, gi, [a, ix]);
      return typeof g === 'string' ? g : { ...g, argTypes: args };
    }
    const r = ops('_operator.getitem')!.resolve([a, ix], []);
    return typeof r === 'string' ? r : { ...r, argTypes: args };
  },
};

const ops: OpDef[] = [
  take,
  {
    target: 'kiln.ellipsis', python: '... (Ellipsis) in an index', signatures: ['-> ellipsis (a[..., 0], a[...] = v: as many : as the array has axes left)'],
    resolve: (args) => (args.length ? 'internal: Ellipsis takes no arguments' : { result: T.ellipsis, argTypes: [], lower: expr(() => '0') }),
  },
  {
    target: 'kiln.slice', python: 'start:stop:step', signatures: ['int or None (x3) -> slice'],
    resolve(args) {
      for (const t of args) if (!isNone(t) && !isIdx(t)) return `slice indices must be integers or None, not ${typeToString(t)}`;
      return {
        result: T.slice, argTypes: args.map((t) => (isNone(t) ? t : T.int)),
        lower: expr((a) => `((kr_slice){${isNone(args[0]) ? '0' : a[0]}, ${isNone(args[1]) ? '0' : a[1]}, ${isNone(args[2]) ? '1' : a[2]}, ${isNone(args[0]) ? 0 : 1}, ${isNone(args[1]) ? 0 : 1}})`),
      };
    },
  },
  {
    target: '_operator.setitem', python: 'a[i] = v, a[i, j] = v, a[1:3] = v, a[mask] = v',
    signatures: ['array, ints/slices, number or array (broadcast)'], notes: STORE_NOTE, facts: { subscript: 'store', writes: [0], complexArrays: true },
    resolve: arraySetitem,
    unsupported: (args) => `'${typeToString(args[0])}' object does not support item assignment`,
  },
];

const overloads: Overload[] = [
  // Items are copied, never computed with: complex128 arrays too (OpFacts.complexArrays).
  { target: '_operator.getitem', signatures: ['lists and arrays (see the array section)'], facts: { complexArrays: true }, resolve: arrayGetitem },
];

export const indexing: OpDomain = { name: 'indexing', title: 'Indexing arrays', ops, overloads };
