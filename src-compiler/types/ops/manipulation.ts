/**
 * Rearranging NumPy arrays, with NumPy 2's results and messages: joining (concatenate, stack, hstack, vstack,
 * dstack, column_stack), splitting (split, array_split, hsplit, vsplit, dsplit: views), axes (transpose, swapaxes,
 * moveaxis, expand_dims, squeeze, atleast_1d/2d/3d: views), flip (a view with negative strides), ravel/flatten,
 * np.reshape, tile, repeat, roll, pad, tril and triu (copies).
 *
 * Views share the array's memory, as NumPy's do: writes through them reach the array (OpFacts.aliases).
 * Axes are constants (`axis=1`, `axis=-1`, `(0, 2)`); an axis out of range raises NumPy's AxisError where the
 * call runs. Arrays have at most 3 dimensions.
 */
import type { ConstValue } from '../../ir/ir.ts';
import { SCALARS, T, cType, type KType, type ScalarName } from '../types.ts';
import {
  canCastSameKind, constInt, isIdx, isNone, npPromote, stmts, type OpDef, type OpDomain, type OpFacts,
} from './common.ts';
import {
  alloc, arraySeq, axisArg, castItem, copyViewLines, ctOf, dtypeArg, eachArray, loop3, off3, raising, shapeArg, type Arr, type ArraySeq, type Res,
} from './common_arrays.ts';

const MAX_NDIM = 3;
const NDARRAY: OpFacts = { arrayRuntime: true, headers: ['kiln_ndarray.h'] };
/** A view of its first argument: writes through it reach that array. */
const VIEW: OpFacts = { ...NDARRAY, aliases: [0] };

/** `out` as a view: its data pointer and each dimension's size and element stride (C expressions). */
function setView(out: string, data: string, dims: { shape: string; stride: string }[]): string[] {
  return [
    `${out}.data = ${data};`,
    ...Array.from({ length: MAX_NDIM }, (_, k) => (k < dims.length ? `${out}.shape[${k}] = ${dims[k].shape}; ${out}.strides[${k}] = ${dims[k].stride};` : `${out}.shape[${k}] = 1; ${out}.strides[${k}] = 0;`)),
  ];
}

/** The ints of a constant int or tuple of ints (`axis=(0, 2)`), or undefined. */
function constInts(c: ConstValue | undefined): number[] | undefined {
  if (!c) return undefined;
  if (c.kind === 'tuple') {
    const items = c.items.map(constInt);
    return items.every((x) => x !== undefined) ? items.map(Number) : undefined;
  }
  const v = constInt(c);
  return v === undefined ? undefined : [Number(v)];
}

/** Constant axes (an int or a tuple of ints) normalised for `nd` dims; AxisError (its C message) when one is out of range. */
function axesArg(t: KType | undefined, c: ConstValue | undefined, nd: number, prefix = ''): { axes: number[] | undefined } | { raise: string } | string {
  if (isNone(t)) return { axes: undefined };
  const ks = constInts(c);
  if (!ks || (t!.kind !== 'tuple' && !isIdx(t!))) return 'axis must be a constant integer or a tuple of them here (axis=0, axis=(0, 2))';
  const out: number[] = [];
  for (const k0 of ks) {
    const k = k0 < 0 ? k0 + nd : k0;
    if (k < 0 || k >= nd) return { raise: `"${prefix}axis ${k0} is out of bounds for array of dimension ${nd}"` };
    if (out.includes(k)) return { raise: '"repeated axis"' };
    out.push(k);
  }
  return { axes: out };
}

const dims = (nd: number) => Array.from({ length: nd }, (_, k) => k);

// ---- joining ------------------------------------------------------------------------------------------------

/**
 * How an array takes part in a join: as it is, or as NumPy's atleast_2d/atleast_3d (hstack/vstack/dstack) or
 * column_stack make it (a 1-D array becomes a row (1, n), a column (n, 1) or (1, n, 1)).
 */
type Expand = 'none' | '2d' | '3d' | 'column';
function expandedNdim(nd: number, e: Expand): number {
  if (e === '2d' || e === 'column') return Math.max(nd, 2);
  if (e === '3d') return Math.max(nd, 3);
  return nd;
}
/** C that fills `kis`/`kist` (shape, strides) with the view an array takes part as. */
function expandedView(t: Arr, e: string, how: Expand): string[] {
  const nd = expandedNdim(t.ndim, how);
  const src = dims(t.ndim).map((k) => ({ s: `${e}.shape[${k}]`, st: `${e}.strides[${k}]` }));
  const one = { s: '1', st: '0' };
  let v = src;
  if (nd !== t.ndim) {
    if (how === 'column') v = [src[0], one]; // (n,) -> (n, 1)
    else if (how === '2d') v = [one, src[0]]; // (n,) -> (1, n)
    else v = t.ndim === 1 ? [one, src[0], one] : [src[0], src[1], one]; // atleast_3d
  }
  return [`int64_t kis[3] = {${v.map((x) => x.s).join(', ')}}, kist[3] = {${v.map((x) => x.st).join(', ')}};`];
}

/** The result dtype of joining arrays: their promoted dtype, or `dtype=` (which each must cast to under 'same_kind'). */
function joinDtype(items: Arr[], dt: KType | undefined, fn: string): ScalarName | string {
  const promoted = items.map((t) => t.dtype).reduce(npPromote);
  const d = dtypeArg(dt, promoted);
  if (typeof d !== 'string') return d.error;
  for (const t of items) {
    if (!canCastSameKind(t.dtype, d)) return `TypeError: Cannot cast array data from dtype('${t.dtype}') to dtype('${d}') according to the rule 'same_kind' (np.${fn} with dtype=)`;
  }
  return d;
}

const SEQ_ERROR = (fn: string) => `np.${fn}() takes a tuple or a list of arrays here: np.${fn}((a, b)) or np.${fn}([a, b])`;

/**
 * np.concatenate and the stacks built on it: the arrays (each as `how` makes it) joined along `axis`; axis None
 * joins them flattened (C order).
 */
function concatenateLowering(seq: ArraySeq, how: Expand, axis: number | null, rd: ScalarName, emptyMessage: string): Res {
  const nds = seq.items.map((t) => expandedNdim(t.ndim, how));
  const nd = axis === null ? 1 : nds[0];
  return {
    result: T.array(rd, nd), argTypes: [],
    lower: stmts((a, out, cx) => {
      const e = a[0];
      const lines = ['{', `  if (${seq.count(e)} == 0) ${cx.raise('ValueError', `"${emptyMessage}"`)}`];
      if (axis === null) {
        lines.push('  int64_t ktotal = 0;');
        lines.push(...eachArray(seq, e, (item, _i, t) => [`ktotal += kr_size(${item}.shape, ${t.ndim});`]).map((l) => `  ${l}`));
        lines.push(`  ${alloc(out, '&ktotal', 1, rd, false, cx)}`, '  int64_t koff = 0;');
        lines.push(...eachArray(seq, e, (item, _i, t) => [
          `int64_t kcs[3]; kr_c_strides(${item}.shape, ${t.ndim}, kcs);`,
          ...copyViewLines({ data: `${out}.data + koff`, strides: 'kcs' }, { data: `${item}.data`, strides: `${item}.strides` }, `${item}.shape`, t.ndim, t.dtype, rd),
          `koff += kr_size(${item}.shape, ${t.ndim});`,
        ]).map((l) => `  ${l}`));
        lines.push('}');
        return lines;
      }
      const first = seq.at(e, '0');
      lines.push(`  int64_t ksh[3] = {1, 1, 1};`, '  {', ...expandedView(seq.items[0], first, how).map((l) => `    ${l}`), `    for (int d = 0; d < ${nd}; d++) ksh[d] = kis[d];`, '  }');
      lines.push(`  ksh[${axis}] = 0;`, `  int64_t kfirst[3] = {ksh[0], ksh[1], ksh[2]};`);
      lines.push(...eachArray(seq, e, (item, i, t) => {
        const ndi = expandedNdim(t.ndim, how);
        if (ndi !== nd) return [cx.try(`kr_raise_concat_ndim(${nd}, ${i}, ${ndi})`)];
        return [...expandedView(t, item, how), `if (${i} == 0) kfirst[${axis}] = kis[${axis}];`, cx.try(`kr_concat_check(kfirst, kis, ${nd}, ${axis}, ${i})`), `ksh[${axis}] += kis[${axis}];`];
      }).map((l) => `  ${l}`));
      lines.push(`  ${alloc(out, 'ksh', nd, rd, false, cx)}`, '  int64_t koff = 0;');
      lines.push(...eachArray(seq, e, (item, _i, t) => {
        if (expandedNdim(t.ndim, how) !== nd) return [];
        return [
          ...expandedView(t, item, how),
          ...copyViewLines({ data: `${out}.data + koff * ${out}.strides[${axis}]`, strides: `${out}.strides` }, { data: `${item}.data`, strides: 'kist' }, 'kis', nd, t.dtype, rd),
          `koff += kis[${axis}];`,
        ];
      }).map((l) => `  ${l}`));
      lines.push('}');
      return lines;
    }),
  };
}

const concatenate: OpDef = {
  target: 'numpy.concatenate', python: 'np.concatenate((a, b, ...), axis=0, dtype=None)',
  signatures: ['tuple or list of arrays [, axis=k | None] -> new array (dtypes promoted as NumPy)'],
  facts: { ...NDARRAY, keywords: ['arrays', 'axis', 'out', 'dtype', 'casting'], defaults: { axis: { kind: 'int', value: '0' } } },
  resolve(args, consts) {
    const [s, ax, outArg, dt, casting] = args;
    const seq = s && arraySeq(s);
    if (!seq) return SEQ_ERROR('concatenate');
    if (!isNone(outArg) || !isNone(casting)) return 'np.concatenate(): out= and casting= are not compiled';
    const rd = joinDtype(seq.items, dt, 'concatenate');
    if (!(rd in SCALARS)) return rd;
    const d = rd as ScalarName;
    const argTypes = [s, ...args.slice(1)];
    // axis=None flattens (no axis is axis=0: the `defaults` fact); an axis is checked against the first array's dimensions.
    if (isNone(ax) && consts[1]?.kind === 'none') return withArgs(concatenateLowering(seq, 'none', null, d, 'need at least one array to concatenate'), argTypes);
    const a = axisArg(ax, consts[1], seq.items[0].ndim, 0);
    if (typeof a === 'string') return a;
    if ('raise' in a) return raising(T.array(d, seq.items[0].ndim), argTypes, 'AxisError', a.raise);
    return withArgs(concatenateLowering(seq, 'none', a.axis!, d, 'need at least one array to concatenate'), argTypes);
  },
};

function withArgs(r: Res, argTypes: KType[]): Res {
  return typeof r === 'string' ? r : { ...r, argTypes };
}

/** np.hstack, np.vstack, np.dstack, np.column_stack: concatenate after atleast_1d/2d/3d (or column_stack's columns). */
function stackLike(name: 'hstack' | 'vstack' | 'dstack' | 'column_stack'): OpDef {
  const how: Expand = name === 'vstack' ? '2d' : name === 'dstack' ? '3d' : name === 'column_stack' ? 'column' : 'none';
  const axisOf = (nd: number) => (name === 'hstack' ? (nd === 1 ? 0 : 1) : name === 'vstack' ? 0 : name === 'dstack' ? 2 : 1);
  return {
    target: `numpy.${name}`, python: `np.${name}((a, b, ...))`,
    signatures: ['tuple or list of arrays -> new array'],
    facts: { ...NDARRAY, keywords: name === 'column_stack' ? ['tup'] : ['tup', 'dtype', 'casting'] },
    resolve(args) {
      const [s, dt, casting] = args;
      const seq = s && arraySeq(s);
      if (!seq) return SEQ_ERROR(name);
      if (!isNone(casting)) return `np.${name}(): casting= is not compiled`;
      const rd = joinDtype(seq.items, dt, name);
      if (!(rd in SCALARS)) return rd;
      const nd = expandedNdim(seq.items[0].ndim, how);
      if (nd > MAX_NDIM) return `np.${name}() of ${seq.items[0].ndim}-D arrays would give ${nd} dimensions; Kiln's arrays have at most ${MAX_NDIM}`;
      return withArgs(concatenateLowering(seq, how, axisOf(seq.items[0].ndim), rd as ScalarName, 'need at least one array to concatenate'), args);
    },
  };
}

const stack: OpDef = {
  target: 'numpy.stack', python: 'np.stack((a, b, ...), axis=0)',
  signatures: ['tuple or list of arrays of one shape [, axis=k] -> new array of one more dimension'],
  facts: { ...NDARRAY, keywords: ['arrays', 'axis', 'out', 'dtype', 'casting'] },
  resolve(args, consts) {
    const [s, ax, outArg, dt, casting] = args;
    const seq = s && arraySeq(s);
    if (!seq) return SEQ_ERROR('stack');
    if (!isNone(outArg) || !isNone(casting)) return 'np.stack(): out= and casting= are not compiled';
    const rd = joinDtype(seq.items, dt, 'stack');
    if (!(rd in SCALARS)) return rd;
    const d = rd as ScalarName;
    const nd0 = seq.items[0].ndim;
    if (nd0 + 1 > MAX_NDIM) return `np.stack() of ${nd0}-D arrays gives ${nd0 + 1} dimensions; Kiln's arrays have at most ${MAX_NDIM}`;
    const a = axisArg(ax, consts[1], nd0 + 1, 0);
    if (typeof a === 'string') return a;
    if ('raise' in a) return raising(T.array(d, nd0 + 1), args, 'AxisError', a.raise);
    const axis = a.axis!;
    const nd = nd0 + 1;
    return {
      result: T.array(d, nd), argTypes: args,
      lower: stmts((x, out, cx) => {
        const e = x[0];
        const first = seq.at(e, '0');
        const lines = ['{', `  int64_t kn = ${seq.count(e)};`, `  if (kn == 0) ${cx.raise('ValueError', '"need at least one array to stack"')}`];
        // Every array has the first one's shape (NumPy compares the shapes as tuples: ndim included).
        lines.push(...eachArray(seq, e, (item, _i, t) => (t.ndim !== nd0
          ? [cx.raise('ValueError', '"all input arrays must have the same shape"')]
          : item === first ? [] // the first array (or the same array again) has its own shape
            : [`for (int d = 0; d < ${nd0}; d++) if (${item}.shape[d] != ${first}.shape[d]) ${cx.raise('ValueError', '"all input arrays must have the same shape"')}`])).map((l) => `  ${l}`));
        const shape = dims(nd).map((k) => (k < axis ? `${first}.shape[${k}]` : k === axis ? 'kn' : `${first}.shape[${k - 1}]`));
        lines.push(`  int64_t ksh[3] = {${[...shape, ...Array(MAX_NDIM - nd).fill('1')].join(', ')}};`);
        lines.push(`  ${alloc(out, 'ksh', nd, d, false, cx)}`);
        // Array i fills out[..., i, ...]: the output's strides without the stacking axis.
        const st = dims(nd).filter((k) => k !== axis).map((k) => `${out}.strides[${k}]`);
        lines.push(`  int64_t kdst[3] = {${[...st, ...Array(MAX_NDIM - st.length).fill('0')].join(', ')}};`);
        lines.push(...eachArray(seq, e, (item, i, t) => (t.ndim !== nd0 ? [] : copyViewLines({ data: `${out}.data + (${i}) * ${out}.strides[${axis}]`, strides: 'kdst' }, { data: `${item}.data`, strides: `${item}.strides` }, `${item}.shape`, nd0, t.dtype, d))).map((l) => `  ${l}`));
        lines.push('}');
        return lines;
      }),
    };
  },
};

// ---- splitting ------------------------------------------------------------------------------------------------

/**
 * np.split and friends: a list of views of the array along `axis` (NumPy's sub-arrays share its memory).
 * sections: an int (equal parts for split, NumPy's array_split sizes otherwise) or indices (a list, a tuple or a
 * 1-D integer array), each part ary[start:stop] along the axis with Python's slice rules.
 */
function splitOp(name: 'split' | 'array_split' | 'hsplit' | 'vsplit' | 'dsplit'): OpDef {
  return {
    target: `numpy.${name}`, python: name === 'split' || name === 'array_split' ? `np.${name}(a, sections_or_indices, axis=0)` : `np.${name}(a, sections_or_indices)`,
    signatures: ['array, int or indices (list, tuple, 1-D int array) -> list of views'],
    notes: name === 'split' ? 'Sections are views of the array, as NumPy\'s: writes through them reach it.' : undefined,
    facts: { ...VIEW, keywords: name === 'split' || name === 'array_split' ? ['ary', 'indices_or_sections', 'axis'] : ['ary', 'indices_or_sections'] },
    resolve(args, consts) {
      const [a, sec, ax] = args;
      if (!a || a.kind !== 'array') return `np.${name}() takes an array here`;
      const result = T.list(a);
      let axis: number;
      if (name === 'split' || name === 'array_split') {
        const r = axisArg(ax, consts[2], a.ndim, 0);
        if (typeof r === 'string') return r;
        if ('raise' in r) return raising(result, args, 'AxisError', r.raise);
        axis = r.axis!;
      } else {
        const need = name === 'hsplit' ? 1 : name === 'vsplit' ? 2 : 3;
        if (a.ndim < need) return raising(result, args, 'ValueError', name === 'hsplit' ? '"hsplit only works on arrays of 1 or more dimensions"' : `"${name} only works on arrays of ${need} or more dimensions"`);
        axis = name === 'hsplit' ? (a.ndim > 1 ? 1 : 0) : name === 'vsplit' ? 0 : 2;
      }
      const equal = name !== 'array_split';
      const ct = cType(a);
      const part = (out: string, start: string, size: string, e: string) => [
        `{ ${ct} kp = ${e}; kp.data = ${e}.data + (${start}) * ${e}.strides[${axis}]; kp.shape[${axis}] = ${size};`,
        `  ((${ct} *)${out}->data)[kk++] = kp; }`,
      ];
      if (isIdx(sec)) {
        return {
          result, argTypes: [a, T.int, ...args.slice(2)],
          lower: stmts((x, out, cx) => [
            '{',
            `  int64_t kN = ${x[0]}.shape[${axis}], ksec = ${x[1]}, kk = 0;`,
            ...(equal ? [
              `  if (ksec == 0) ${cx.raise('ZeroDivisionError', '"integer modulo by zero"')}`,
              `  if (kN % ksec != 0) ${cx.raise('ValueError', '"array split does not result in an equal division"')}`,
            ] : []),
            `  if (ksec <= 0) ${cx.raise('ValueError', '"number sections must be larger than 0."')}`,
            `  int64_t keach = kN / ksec, kextra = kN % ksec, kpos = 0;`,
            `  ${out} = kr_list_new(ksec, sizeof(${ct})); if (!${out}) ${cx.try('-1')}`,
            `  for (int64_t s = 0; s < ksec; s++) {`,
            `    int64_t ksize = keach + (s < kextra);`,
            ...part(out, 'kpos', 'ksize', x[0]).map((l) => `    ${l}`),
            '    kpos += ksize;',
            '  }',
            '}',
          ]),
        };
      }
      // Indices: a list of ints, a tuple of ints or a 1-D integer array.
      const idx = indexSeq(sec);
      if (!idx) return `np.${name}(): the sections must be an int, or indices (a list, a tuple or a 1-D array of ints)`;
      return {
        result, argTypes: args,
        lower: stmts((x, out, cx) => [
          '{',
          `  int64_t kN = ${x[0]}.shape[${axis}], kni = ${idx.count(x[1])}, kk = 0, kprev = 0;`,
          `  ${out} = kr_list_new(kni + 1, sizeof(${ct})); if (!${out}) ${cx.try('-1')}`,
          '  for (int64_t s = 0; s <= kni; s++) {',
          `    int64_t kstop = s < kni ? (int64_t)(${idx.at(x[1], 's')}) : kN, kfrom, kstep, kcount;`,
          `    kr_slice ksl = {kprev, kstop, 1, 1, 1}; ${cx.try('kr_slice_adjust(ksl, kN, &kfrom, &kstep, &kcount)')}`,
          ...part(out, 'kfrom', 'kcount', x[0]).map((l) => `    ${l}`),
          '    kprev = kstop;',
          '  }',
          '}',
        ]),
      };
    },
  };
}

/** A sequence of ints given as a list, a tuple or a 1-D integer array: its length and item i in C. */
function indexSeq(t: KType | undefined): { count: (e: string) => string; at: (e: string, i: string) => string } | undefined {
  if (!t) return undefined;
  if (t.kind === 'list' && t.item.kind !== 'none' && isIdx(t.item)) return { count: (e) => `${e}->len`, at: (e, i) => `((${cType(t.item)} *)${e}->data)[${i}]` };
  if (t.kind === 'array' && t.ndim === 1 && isIdx(T.np(t.dtype))) return { count: (e) => `${e}.shape[0]`, at: (e, i) => `${e}.data[(${i}) * ${e}.strides[0]]` };
  if (t.kind === 'tuple' && t.items.every(isIdx)) {
    return { count: () => `${t.items.length}`, at: (e, i) => `((int64_t[]){${t.items.length ? t.items.map((_, k) => `(int64_t)${e}.f${k}`).join(', ') : '0'}})[${i}]` };
  }
  return undefined;
}

// ---- axes: transpose, swapaxes, moveaxis, expand_dims, squeeze, atleast_nd -----------------------------------

/** np.transpose(a, axes) / a.transpose(*axes): a view with the axes permuted (reversed by default). */
function transposeResolve(python: string) {
  return (args: KType[], consts: (ConstValue | undefined)[]): Res => {
    const [a, ...rest0] = args;
    if (!a || a.kind !== 'array') return `${python} takes an array here`;
    const rest = rest0.filter((t, i) => !(isNone(t) && consts[i + 1]?.kind === 'none' && i === rest0.length - 1 && rest0.length === 1));
    let axes: number[] | undefined;
    if (rest.length === 1 && rest[0].kind === 'tuple') axes = constInts(consts[1]);
    else if (rest.length) axes = rest.every((_, i) => constInt(consts[1 + i]) !== undefined) ? rest.map((_, i) => Number(constInt(consts[1 + i]))) : undefined;
    else axes = dims(a.ndim).reverse();
    if (!axes) return `${python}: the axes must be constant integers here (a.transpose(1, 0), np.transpose(a, (1, 0)))`;
    if (axes.length !== a.ndim) return raising(a, args, 'ValueError', '"axes don\'t match array"');
    const norm: number[] = [];
    for (const k0 of axes) {
      const k = k0 < 0 ? k0 + a.ndim : k0;
      if (k < 0 || k >= a.ndim) return raising(a, args, 'AxisError', `"axis ${k0} is out of bounds for array of dimension ${a.ndim}"`);
      if (norm.includes(k)) return raising(a, args, 'ValueError', '"repeated axis in transpose"');
      norm.push(k);
    }
    return { result: a, argTypes: args, lower: stmts((x, out) => setView(out, `${x[0]}.data`, norm.map((k) => ({ shape: `${x[0]}.shape[${k}]`, stride: `${x[0]}.strides[${k}]` })))) };
  };
}

function swapaxesResolve(args: KType[], consts: (ConstValue | undefined)[]): Res {
  const [a, i, j] = args;
  if (!a || a.kind !== 'array') return 'swapaxes() takes an array here';
  const r1 = axisArg(i, consts[1], a.ndim), r2 = axisArg(j, consts[2], a.ndim);
  for (const [r, p] of [[r1, 'axis1: '], [r2, 'axis2: ']] as const) {
    if (typeof r === 'string') return r;
    if ('raise' in r) return raising(a, args, 'AxisError', `"${p}${r.raise.slice(1)}`);
    if (r.axis === undefined) return 'swapaxes() takes two axes';
  }
  const p = dims(a.ndim);
  const [x1, x2] = [(r1 as { axis: number }).axis, (r2 as { axis: number }).axis];
  [p[x1], p[x2]] = [p[x2], p[x1]];
  return { result: a, argTypes: args, lower: stmts((x, out) => setView(out, `${x[0]}.data`, p.map((k) => ({ shape: `${x[0]}.shape[${k}]`, stride: `${x[0]}.strides[${k}]` })))) };
}

const moveaxis: OpDef = {
  target: 'numpy.moveaxis', python: 'np.moveaxis(a, source, destination)', signatures: ['array, int, int -> view'],
  facts: { ...VIEW, keywords: ['a', 'source', 'destination'] },
  resolve(args, consts) {
    const [a, s, d] = args;
    if (!a || a.kind !== 'array') return 'np.moveaxis() takes an array here';
    const src = axesArg(s, consts[1], a.ndim, 'source: '), dst = axesArg(d, consts[2], a.ndim, 'destination: ');
    for (const r of [src, dst]) {
      if (typeof r === 'string') return r;
      if ('raise' in r) return raising(a, args, r.raise.includes('repeated') ? 'ValueError' : 'AxisError', r.raise.includes('repeated') ? '"repeated axis in `source` argument"' : r.raise);
    }
    const [ss, dd] = [(src as { axes: number[] }).axes, (dst as { axes: number[] }).axes];
    if (!ss || !dd) return 'np.moveaxis() takes source and destination axes';
    if (ss.length !== dd.length) return raising(a, args, 'ValueError', '"`source` and `destination` arguments must have the same number of elements"');
    // NumPy: the axes not moved keep their order; each moved axis goes to its destination.
    const order = dims(a.ndim).filter((k) => !ss.includes(k));
    [...dd.map((x, i) => [x, ss[i]])].sort((p, q) => p[0] - q[0]).forEach(([dest, from]) => order.splice(dest, 0, from));
    return { result: a, argTypes: args, lower: stmts((x, out) => setView(out, `${x[0]}.data`, order.map((k) => ({ shape: `${x[0]}.shape[${k}]`, stride: `${x[0]}.strides[${k}]` })))) };
  },
};

const expandDims: OpDef = {
  target: 'numpy.expand_dims', python: 'np.expand_dims(a, axis)', signatures: ['array, int or tuple -> view with size-1 axes inserted'],
  facts: { ...VIEW, keywords: ['a', 'axis'] },
  resolve(args, consts) {
    const [a, ax] = args;
    if (!a || a.kind !== 'array') return 'np.expand_dims() takes an array here';
    const ks = constInts(consts[1]);
    if (!ks || isNone(ax)) return 'np.expand_dims(): the axis must be a constant int or tuple of ints';
    const nd = a.ndim + ks.length;
    if (nd > MAX_NDIM) return `np.expand_dims() would give ${nd} dimensions; Kiln's arrays have at most ${MAX_NDIM}`;
    const r = axesArg(ax, consts[1], nd);
    if (typeof r === 'string') return r;
    const result = T.array(a.dtype, nd);
    if ('raise' in r) return raising(result, args, r.raise.includes('repeated') ? 'ValueError' : 'AxisError', r.raise);
    let j = 0;
    const v = dims(nd).map((k) => (r.axes!.includes(k) ? { shape: '1', stride: '0' } : ((i) => ({ shape: `A.shape[${i}]`, stride: `A.strides[${i}]` }))(j++)));
    return { result, argTypes: args, lower: stmts((x, out) => setView(out, `${x[0]}.data`, v.map((d) => ({ shape: d.shape.replace('A.', `${x[0]}.`), stride: d.stride.replace('A.', `${x[0]}.`) })))) };
  },
};

/**
 * np.broadcast_to(a, shape): a view of a with the shape, stride 0 along the new and stretched axes. NumPy's view is
 * read-only: a write through it (or through a view of it) is refused where it is written (opt/writes.ts).
 */
const broadcastTo: OpDef = {
  target: 'numpy.broadcast_to', python: 'np.broadcast_to(array, shape)', signatures: ['array, int or tuple of ints -> read-only view of that shape'],
  notes: 'A view (writes to the array show through it); writing into it is refused at compile time (NumPy: ValueError: assignment destination is read-only).',
  facts: { ...VIEW, readOnly: true, keywords: ['array', 'shape', 'subok'] },
  resolve(args, consts) {
    const [a, shape, subok] = args;
    if (!a || a.kind !== 'array') return 'np.broadcast_to() takes an array here (np.full(shape, x) makes one of a number)';
    if (!isNone(subok) && !(consts[2]?.kind === 'bool' && !consts[2].value)) return 'np.broadcast_to(subok=True) is not compiled';
    const sh = shapeArg(shape);
    if (typeof sh === 'string') return `np.broadcast_to(): ${sh}`;
    const result = T.array(a.dtype, sh.nd);
    if (a.ndim > sh.nd) return raising(result, args, 'ValueError', '"input operand has more dimensions than allowed by the axis remapping"');
    return {
      result, argTypes: args,
      lower: stmts((x, out, cx) => [
        '{', `  int64_t ksh[3], kbs[3], kbt[3]; ${sh.fill(x[1])}`,
        `  ${cx.try(`kr_broadcast_to(${x[0]}.shape, ${x[0]}.strides, ${a.ndim}, ksh, ${sh.nd}, (int64_t)sizeof(${ctOf(a.dtype)}), kbs, kbt)`)}`,
        ...setView(out, `${x[0]}.data`, dims(sh.nd).map((k) => ({ shape: `kbs[${k}]`, stride: `kbt[${k}]` }))).map((l) => `  ${l}`), '}',
      ]),
    };
  },
};

function squeezeResolve(python: string) {
  return (args: KType[], consts: (ConstValue | undefined)[]): Res => {
    const [a, ax] = args;
    if (!a || a.kind !== 'array') return `${python} takes an array here`;
    if (isNone(ax)) return `${python} without axis= gives a number of dimensions known only at run time; give the axes: ${python.replace('()', '(axis=0)')}`;
    const r = axesArg(ax, consts[1], a.ndim);
    if (typeof r === 'string') return r;
    const nd = a.ndim - (('axes' in r && r.axes) ? r.axes.length : 1);
    if (nd < 1) return `${python} would give a 0-D array, which Kiln does not compile; index it (a[0]) for the number`;
    const result = T.array(a.dtype, nd);
    if ('raise' in r) return raising(result, args, r.raise.includes('repeated') ? 'ValueError' : 'AxisError', r.raise);
    const gone = r.axes!;
    return {
      result, argTypes: args,
      lower: stmts((x, out, cx) => [
        ...gone.map((k) => `if (${x[0]}.shape[${k}] != 1) ${cx.raise('ValueError', '"cannot select an axis to squeeze out which has size not equal to one"')}`),
        ...setView(out, `${x[0]}.data`, dims(a.ndim).filter((k) => !gone.includes(k)).map((k) => ({ shape: `${x[0]}.shape[${k}]`, stride: `${x[0]}.strides[${k}]` }))),
      ]),
    };
  };
}

function atleast(n: 1 | 2 | 3): OpDef {
  return {
    target: `numpy.atleast_${n}d`, python: `np.atleast_${n}d(a)`, signatures: [`array -> view of at least ${n} dimensions`], facts: VIEW,
    resolve(args) {
      const [a] = args;
      if (args.length !== 1 || !a || a.kind !== 'array') return `np.atleast_${n}d() takes one array here`;
      const how: Expand = n === 3 ? '3d' : n === 2 ? '2d' : 'none';
      const nd = expandedNdim(a.ndim, how);
      return {
        result: T.array(a.dtype, nd), argTypes: args,
        lower: stmts((x, out) => ['{', ...expandedView(a, x[0], how).map((l) => `  ${l}`), ...setView(out, `${x[0]}.data`, dims(nd).map((k) => ({ shape: `kis[${k}]`, stride: `kist[${k}]` }))).map((l) => `  ${l}`), '}']),
      };
    },
  };
}

// ---- flip, ravel, reshape ---------------------------------------------------------------------------------------

/** np.flip(m, axis=None): a view that reads the given axes (all by default) backwards. */
function flipResolve(python: string, fixed?: 0 | 1) {
  return (args: KType[], consts: (ConstValue | undefined)[]): Res => {
    const [a, ax] = args;
    if (!a || a.kind !== 'array') return `${python} takes an array here`;
    let axes: number[];
    if (fixed !== undefined) {
      if (a.ndim < fixed + 1) return raising(a, args, 'ValueError', `"Input must be >= ${fixed + 1}-d."`);
      axes = [fixed];
    } else {
      const r = axesArg(ax, consts[1], a.ndim);
      if (typeof r === 'string') return r;
      if ('raise' in r) return raising(a, args, r.raise.includes('repeated') ? 'ValueError' : 'AxisError', r.raise);
      axes = r.axes ?? dims(a.ndim);
    }
    return {
      result: a, argTypes: args,
      lower: stmts((x, out) => [
        `${out} = ${x[0]};`,
        ...axes.map((k) => `if (${out}.shape[${k}] > 0) ${out}.data += (${out}.shape[${k}] - 1) * ${out}.strides[${k}]; ${out}.strides[${k}] = -${out}.strides[${k}];`),
      ]),
    };
  };
}

/** a.ravel() / np.ravel(a): a 1-D view of a C-contiguous array, else a C-order copy; a.flatten() always copies. */
function ravelResolve(copy: boolean, python: string) {
  return (args: KType[]): Res => {
    const [a] = args;
    if (!a || a.kind !== 'array') return `${python} takes an array here`;
    const d = a.dtype;
    return {
      result: T.array(d, 1), argTypes: [a],
      lower: stmts((x, out, cx) => {
        const copyLines = [
          `int64_t kn = kr_size(${x[0]}.shape, ${a.ndim}), kcs[3]; ${alloc(out, '&kn', 1, d, false, cx)}`,
          `kr_c_strides(${x[0]}.shape, ${a.ndim}, kcs);`,
          ...copyViewLines({ data: `${out}.data`, strides: 'kcs' }, { data: `${x[0]}.data`, strides: `${x[0]}.strides` }, `${x[0]}.shape`, a.ndim, d, d),
        ];
        if (copy) return ['{', ...copyLines.map((l) => `  ${l}`), '}'];
        return [
          `if (kr_is_c_contiguous(${x[0]}.shape, ${x[0]}.strides, ${a.ndim})) {`,
          ...setView(out, `${x[0]}.data`, [{ shape: `kr_size(${x[0]}.shape, ${a.ndim})`, stride: '1' }]).map((l) => `  ${l}`),
          '} else {',
          ...copyLines.map((l) => `  ${l}`),
          '}',
        ];
      }),
    };
  };
}

const npReshape: OpDef = {
  target: 'numpy.reshape', python: 'np.reshape(a, shape)', signatures: ['array, int or tuple -> as a.reshape(shape)'],
  facts: { ...NDARRAY, aliases: 'all', sizedByArgs: true, keywords: ['a', 'shape', 'order'] },
  resolve(args, consts, ops) {
    const [a, shape, order] = args;
    if (!isNone(order) && !(consts[2]?.kind === 'str' && consts[2].value === 'C')) return 'np.reshape(): only order=\'C\' is compiled';
    return ops('method.reshape')!.resolve([a, shape], [consts[0], consts[1]]);
  },
};

// ---- tile, repeat, roll, pad --------------------------------------------------------------------------------------

const tile: OpDef = {
  target: 'numpy.tile', python: 'np.tile(A, reps)', signatures: ['array, int or tuple of ints -> new array'],
  facts: { ...NDARRAY, sizedByArgs: true, keywords: ['A', 'reps'] },
  resolve(args) {
    const [a, reps] = args;
    if (!a || a.kind !== 'array') return 'np.tile() takes an array here';
    const r = reps && (isIdx(reps) ? 1 : reps.kind === 'tuple' && reps.items.every(isIdx) ? reps.items.length : 0);
    if (!r) return 'np.tile(): reps must be an int or a tuple of ints';
    const nd = Math.max(a.ndim, r);
    if (nd > MAX_NDIM) return `np.tile() would give ${nd} dimensions; Kiln's arrays have at most ${MAX_NDIM}`;
    const d = a.dtype;
    return {
      result: T.array(d, nd), argTypes: args,
      lower: stmts((x, out, cx) => {
        const repC = (k: number) => (reps!.kind === 'tuple' ? `(int64_t)${x[1]}.f${k}` : `(int64_t)${x[1]}`);
        // NumPy pads the shorter of A's shape and reps with leading 1s.
        const aDim = (k: number) => (k - (nd - a.ndim) >= 0 ? k - (nd - a.ndim) : -1);
        const rDim = (k: number) => (k - (nd - r) >= 0 ? k - (nd - r) : -1);
        const lines = ['{'];
        lines.push(`  int64_t kin[3] = {1, 1, 1}, kist[3] = {0, 0, 0}, ksh[3] = {1, 1, 1};`);
        for (let k = 0; k < nd; k++) {
          const ad = aDim(k), rd = rDim(k);
          if (ad >= 0) lines.push(`  kin[${k}] = ${x[0]}.shape[${ad}]; kist[${k}] = ${x[0]}.strides[${ad}];`);
          lines.push(`  ksh[${k}] = kin[${k}] * ${rd >= 0 ? repC(rd) : '1'};`);
          if (rd >= 0) lines.push(`  if (${repC(rd)} < 0) ${cx.raise('ValueError', '"negative dimensions are not allowed"')}`);
        }
        lines.push(`  ${alloc(out, 'ksh', nd, d, false, cx)}`);
        lines.push(`  int64_t ks3[3], kin3[3], kst3[3], ko = 0; kr_shape3(ksh, ${nd}, ks3); kr_shape3(kin, ${nd}, kin3); for (int k = 0; k < 3; k++) kst3[k] = 0; for (int k = 0; k < ${nd}; k++) kst3[3 - ${nd} + k] = kist[k];`);
        lines.push(...loop3('ks3', [`${out}.data[ko++] = ${x[0]}.data[(i0 % kin3[0]) * kst3[0] + (i1 % kin3[1]) * kst3[1] + (i2 % kin3[2]) * kst3[2]];`]).map((l) => `  ${l}`));
        lines.push('}');
        return lines;
      }),
    };
  },
};

/** np.repeat(a, repeats, axis=None) and a.repeat(...): each item (along axis, or of the flattened array) repeated. */
function repeatResolve(python: string) {
  return (args: KType[], consts: (ConstValue | undefined)[]): Res => {
    const [a, reps, ax] = args;
    if (!a || a.kind !== 'array') return `${python} takes an array here`;
    const scalar = isIdx(reps);
    const seq = scalar ? undefined : indexSeq(reps);
    if (!scalar && !seq) return `${python}: repeats must be an int, or a list or 1-D array of ints`;
    const r = axisArg(ax, consts[2], a.ndim);
    if (typeof r === 'string') return r;
    const flat = !('raise' in r) && r.axis === undefined;
    const nd = flat ? 1 : a.ndim;
    const d = a.dtype;
    const result = T.array(d, nd);
    if ('raise' in r) return raising(result, args, 'AxisError', r.raise);
    return {
      result, argTypes: args,
      lower: stmts((x, out, cx) => {
        // The array as (outer, n, inner) around the axis (a C-order copy of it when flattening).
        const lines = ['{', `  int64_t ks3[3], kv3[3];`];
        if (flat) {
          lines.push(`  int64_t kn0 = kr_size(${x[0]}.shape, ${a.ndim}), kcs[3];`);
          lines.push(`  ${ctOf(d)} *ksrc = (${ctOf(d)} *)kr_alloc((size_t)(kn0 ? kn0 : 1) * sizeof(${ctOf(d)}), 0); if (!ksrc) ${cx.try('-1')}`);
          lines.push(`  kr_c_strides(${x[0]}.shape, ${a.ndim}, kcs);`);
          lines.push(...copyViewLines({ data: 'ksrc', strides: 'kcs' }, { data: `${x[0]}.data`, strides: `${x[0]}.strides` }, `${x[0]}.shape`, a.ndim, d, d).map((l) => `  ${l}`));
          lines.push('  ks3[0] = 1; ks3[1] = kn0; ks3[2] = 1; kv3[0] = 0; kv3[1] = 1; kv3[2] = 0;');
        } else {
          const k = r.axis!;
          const outer = dims(a.ndim).filter((i) => i < k), inner = dims(a.ndim).filter((i) => i > k);
          lines.push(`  ${ctOf(d)} *ksrc = ${x[0]}.data;`);
          lines.push(`  ks3[0] = ${outer.map((i) => `${x[0]}.shape[${i}]`).join(' * ') || '1'}; ks3[1] = ${x[0]}.shape[${k}]; ks3[2] = ${inner.map((i) => `${x[0]}.shape[${i}]`).join(' * ') || '1'};`);
          // outer/inner dimensions are walked through their own strides below
        }
        const n = 'ks3[1]';
        if (scalar) {
          lines.push(`  int64_t krep = ${x[1]};`, `  if (krep < 0) ${cx.raise('ValueError', '"negative dimensions are not allowed"')}`);
        } else {
          lines.push(`  int64_t kcnt = ${seq!.count(x[1])};`);
          lines.push(`  if (kcnt != 1 && kcnt != ${n}) ${cx.try(`kr_raise_repeat_shape(${n}, kcnt)`)}`);
          lines.push(`  for (int64_t k = 0; k < kcnt; k++) if (${seq!.at(x[1], 'k')} < 0) ${cx.raise('ValueError', '"repeats may not contain negative values."')}`);
        }
        const rep = (j: string) => (scalar ? 'krep' : `(int64_t)(kcnt == 1 ? ${seq!.at(x[1], '0')} : ${seq!.at(x[1], j)})`);
        lines.push(`  int64_t ktot = 0; for (int64_t j = 0; j < ${n}; j++) ktot += ${rep('j')};`);
        if (flat) {
          lines.push(`  ${alloc(out, '&ktot', 1, d, false, cx)}`);
          lines.push(`  int64_t ko = 0; for (int64_t j = 0; j < ${n}; j++) { int64_t kr = ${rep('j')}; for (int64_t q = 0; q < kr; q++) ${out}.data[ko++] = ksrc[j]; }`);
        } else {
          const k = r.axis!;
          lines.push(`  int64_t ksh[3] = {${dims(MAX_NDIM).map((i) => (i < a.ndim ? (i === k ? 'ktot' : `${x[0]}.shape[${i}]`) : '1')).join(', ')}};`);
          lines.push(`  ${alloc(out, 'ksh', a.ndim, d, false, cx)}`);
          // Walk the output in C order: for each index of the other axes, the items along the axis, each repeated.
          const others = dims(a.ndim).filter((i) => i !== k);
          lines.push(`  int64_t ksub[3] = {${dims(MAX_NDIM).map((i) => (i < others.length ? `${x[0]}.shape[${others[i]}]` : '1')).join(', ')}};`);
          lines.push(`  int64_t kss[3] = {${dims(MAX_NDIM).map((i) => (i < others.length ? `${x[0]}.strides[${others[i]}]` : '0')).join(', ')}};`);
          lines.push(`  int64_t kos[3] = {${dims(MAX_NDIM).map((i) => (i < others.length ? `${out}.strides[${others[i]}]` : '0')).join(', ')}};`);
          lines.push(`  for (int64_t p0 = 0; p0 < ksub[0]; p0++) for (int64_t p1 = 0; p1 < ksub[1]; p1++) for (int64_t p2 = 0; p2 < ksub[2]; p2++) {`);
          lines.push(`    ${ctOf(d)} *kfrom = ksrc + p0 * kss[0] + p1 * kss[1] + p2 * kss[2]; ${ctOf(d)} *kto = ${out}.data + p0 * kos[0] + p1 * kos[1] + p2 * kos[2];`);
          lines.push(`    int64_t ko = 0; for (int64_t j = 0; j < ${n}; j++) { int64_t kr = ${rep('j')}; for (int64_t q = 0; q < kr; q++) kto[(ko++) * ${out}.strides[${k}]] = kfrom[j * ${x[0]}.strides[${k}]]; }`);
          lines.push('  }');
        }
        lines.push('}');
        return lines;
      }),
    };
  };
}

/** np.roll(a, shift, axis=None): a copy with items shifted cyclically (of the flattened array when axis is None). */
const roll: OpDef = {
  target: 'numpy.roll', python: 'np.roll(a, shift, axis=None)', signatures: ['array, int [, axis=k | tuple] -> new array', 'array, tuple of shifts, tuple of axes -> new array'],
  facts: { ...NDARRAY, keywords: ['a', 'shift', 'axis'] },
  resolve(args, consts) {
    const [a, shift, ax] = args;
    if (!a || a.kind !== 'array') return 'np.roll() takes an array here';
    const shifts = shift && (isIdx(shift) ? 1 : shift.kind === 'tuple' && shift.items.every(isIdx) ? shift.items.length : 0);
    if (!shifts) return 'np.roll(): shift must be an int or a tuple of ints';
    const d = a.dtype;
    const r = axesArg(ax, consts[2], a.ndim);
    if (typeof r === 'string') return r;
    if ('raise' in r) return raising(a, args, 'AxisError', r.raise);
    const shiftC = (x: string[], i: number) => (shift!.kind === 'tuple' ? `(int64_t)${x[1]}.f${i}` : `(int64_t)${x[1]}`);
    if (!r.axes) {
      if (shifts !== 1) return 'np.roll() of the flattened array takes one shift';
      return {
        result: a, argTypes: args,
        lower: stmts((x, out, cx) => [
          '{',
          `  ${alloc(out, `${x[0]}.shape`, a.ndim, d, false, cx)}`,
          `  int64_t kn = kr_size(${x[0]}.shape, ${a.ndim}), kcs[3], ko = 0; kr_c_strides(${x[0]}.shape, ${a.ndim}, kcs);`,
          `  int64_t ksh = kn ? ((${shiftC(x, 0)} % kn) + kn) % kn : 0;`,
          `  int64_t ks3[3], kv[3]; kr_shape3(${x[0]}.shape, ${a.ndim}, ks3); kr_view3(${x[0]}.shape, ${x[0]}.strides, ${a.ndim}, ${a.ndim}, kv);`,
          ...loop3('ks3', [`${out}.data[(ko + ksh) % kn] = ${x[0]}.data[${off3('kv')}]; ko++;`]).map((l) => `  ${l}`),
          '}',
        ]),
      };
    }
    const axes = r.axes;
    if (shifts !== 1 && shifts !== axes.length) return raising(a, args, 'ValueError', '"\'shift\' and \'axis\' should be scalars or 1D sequences"');
    return {
      result: a, argTypes: args,
      lower: stmts((x, out, cx) => {
        const lines = ['{', `  ${alloc(out, `${x[0]}.shape`, a.ndim, d, false, cx)}`, '  int64_t kshift[3] = {0, 0, 0};'];
        // NumPy adds the shifts of an axis given twice.
        axes.forEach((k, i) => lines.push(`  kshift[${k}] += ${shiftC(x, shifts === 1 ? 0 : i)};`));
        lines.push(`  for (int k = 0; k < ${a.ndim}; k++) kshift[k] = ${x[0]}.shape[k] ? ((kshift[k] % ${x[0]}.shape[k]) + ${x[0]}.shape[k]) % ${x[0]}.shape[k] : 0;`);
        lines.push(`  int64_t ks3[3], kv[3], ko3[3], kd3[3], kn3[3]; kr_shape3(${x[0]}.shape, ${a.ndim}, ks3); kr_view3(${x[0]}.shape, ${x[0]}.strides, ${a.ndim}, ${a.ndim}, kv);`);
        lines.push(`  kr_view3(${out}.shape, ${out}.strides, ${a.ndim}, ${a.ndim}, ko3); kr_shape3(kshift, ${a.ndim}, kd3); for (int k = 0; k < 3 - ${a.ndim}; k++) kd3[k] = 0; kr_shape3(${x[0]}.shape, ${a.ndim}, kn3);`);
        lines.push(...loop3('ks3', [`${out}.data[((i0 + kd3[0]) % kn3[0]) * ko3[0] + ((i1 + kd3[1]) % kn3[1]) * ko3[1] + ((i2 + kd3[2]) % kn3[2]) * ko3[2]] = ${x[0]}.data[${off3('kv')}];`]).map((l) => `  ${l}`));
        lines.push('}');
        return lines;
      }),
    };
  },
};

const PAD_MODES = ['constant', 'edge', 'reflect', 'symmetric', 'wrap'] as const;

/**
 * np.pad(array, pad_width, mode='constant', constant_values=0): pad_width an int, (before, after) or one pair per
 * axis; modes constant, edge, reflect, symmetric and wrap (NumPy's results also for pads wider than the array).
 */
const pad: OpDef = {
  target: 'numpy.pad', python: "np.pad(a, pad_width, mode='constant', constant_values=0)",
  signatures: ["array, int | (before, after) | ((b0, a0), (b1, a1), ...) [, mode='constant'|'edge'|'reflect'|'symmetric'|'wrap'] -> new array"],
  facts: { ...NDARRAY, sizedByArgs: true, keywords: ['array', 'pad_width', 'mode', 'constant_values'] },
  resolve(args, consts) {
    const [a, pw, modeT, cv] = args;
    if (!a || a.kind !== 'array') return 'np.pad() takes an array here';
    const mode = isNone(modeT) ? 'constant' : consts[2]?.kind === 'str' ? consts[2].value : undefined;
    if (!mode || !(PAD_MODES as readonly string[]).includes(mode)) return `np.pad(): mode must be one of ${PAD_MODES.map((m) => `'${m}'`).join(', ')} (a constant)`;
    if (!isNone(cv) && (mode !== 'constant' || cv!.kind !== 'scalar')) return 'np.pad(): constant_values is a number, with mode=\'constant\'';
    // pad_width as (before, after) C expressions for each axis.
    let pairs: ((x: string) => [string, string])[] | undefined;
    if (pw && isIdx(pw)) pairs = dims(a.ndim).map(() => (x) => [`(int64_t)${x}`, `(int64_t)${x}`]);
    else if (pw?.kind === 'tuple' && pw.items.every(isIdx) && (pw.items.length === 1 || pw.items.length === 2)) {
      pairs = dims(a.ndim).map(() => (x) => [`(int64_t)${x}.f0`, `(int64_t)${x}.f${pw.items.length - 1}`]);
    } else if (pw?.kind === 'tuple' && pw.items.every((t) => t.kind === 'tuple' && t.items.every(isIdx) && (t.items.length === 1 || t.items.length === 2))) {
      const n = pw.items.length;
      if (n !== 1 && n !== a.ndim) return raising(a, args, 'ValueError', `"operands could not be broadcast together with remapped shapes [original->remapped]: (${n},2)  and requested shape (${a.ndim},2)"`);
      pairs = dims(a.ndim).map((k) => (x) => {
        const item = pw.items[n === 1 ? 0 : k] as KType & { kind: 'tuple' };
        const e = `${x}.f${n === 1 ? 0 : k}`;
        return [`(int64_t)${e}.f0`, `(int64_t)${e}.f${item.items.length - 1}`];
      });
    }
    if (!pairs) return 'np.pad(): pad_width must be an int, (before, after), or one (before, after) per axis';
    const d = a.dtype;
    const cvFrom = cv?.kind === 'scalar' ? cv.name : undefined;
    // constant_values becomes an array of its own dtype (a Python int: int64), then is cast (it may wrap, as NumPy's).
    const cvDtype: ScalarName | undefined = cvFrom === 'int' ? 'int64' : cvFrom === 'float' ? 'float64' : cvFrom;
    const modeCode = PAD_MODES.indexOf(mode as typeof PAD_MODES[number]);
    return {
      result: a, argTypes: args,
      lower: stmts((x, out, cx) => {
        const lines = ['{', '  int64_t kb[3] = {0, 0, 0}, ka[3] = {0, 0, 0}, ksh[3] = {1, 1, 1};'];
        pairs!.forEach((p, k) => {
          const [b, af] = p(x[1]);
          lines.push(`  kb[${k}] = ${b}; ka[${k}] = ${af};`);
        });
        lines.push(`  for (int k = 0; k < ${a.ndim}; k++) {`);
        lines.push(`    if (kb[k] < 0 || ka[k] < 0) ${cx.raise('ValueError', '"index can\'t contain negative values"')}`);
        if (mode !== 'constant') lines.push(`    if (${x[0]}.shape[k] == 0 && (kb[k] || ka[k])) ${cx.try('kr_raise_pad_empty(k)')}`);
        lines.push(`    ksh[k] = ${x[0]}.shape[k] + kb[k] + ka[k];`, '  }');
        lines.push(`  ${alloc(out, 'ksh', a.ndim, d, false, cx)}`);
        const fill = cvDtype ? castItem(`((${ctOf(cvDtype)})${x[3]})`, cvDtype, d) : `(${ctOf(d)})0`;
        lines.push(`  ${ctOf(d)} kfill = ${fill};`);
        lines.push(`  int64_t ks3[3], kb3[3] = {0, 0, 0}, kn3[3], kv[3], ko = 0; kr_shape3(ksh, ${a.ndim}, ks3); kr_shape3(${x[0]}.shape, ${a.ndim}, kn3); kr_view3(${x[0]}.shape, ${x[0]}.strides, ${a.ndim}, ${a.ndim}, kv);`);
        lines.push(`  for (int k = 0; k < ${a.ndim}; k++) kb3[3 - ${a.ndim} + k] = kb[k];`);
        lines.push(...loop3('ks3', [
          'int64_t j0, j1, j2;',
          `if (kr_pad_index(i0 - kb3[0], kn3[0], ${modeCode}, &j0) & kr_pad_index(i1 - kb3[1], kn3[1], ${modeCode}, &j1) & kr_pad_index(i2 - kb3[2], kn3[2], ${modeCode}, &j2)) ${out}.data[ko++] = ${x[0]}.data[j0 * kv[0] + j1 * kv[1] + j2 * kv[2]];`,
          `else ${out}.data[ko++] = kfill;`,
        ]).map((l) => `  ${l}`));
        lines.push('}');
        return lines;
      }),
    };
  },
};

/** np.tril(m, k=0) / np.triu(m, k=0): a copy with the items above (tril) or below (triu) the k-th diagonal zeroed. */
function triangle(name: 'tril' | 'triu'): OpDef {
  return {
    target: `numpy.${name}`, python: `np.${name}(m, k=0)`, signatures: ['array of 2-3 dimensions [, k] -> new array (the last two axes are the matrix)'],
    facts: { ...NDARRAY, keywords: ['m', 'k'] },
    resolve(args) {
      const [a, k] = args;
      if (!a || a.kind !== 'array' || a.ndim < 2) return `np.${name}() takes an array of 2 or 3 dimensions here`;
      if (!isNone(k) && !isIdx(k!)) return `np.${name}(): k must be an int`;
      const keep = name === 'tril' ? 'i2 <= i1 + kk' : 'i2 >= i1 + kk';
      return {
        result: a, argTypes: args,
        lower: stmts((x, out, cx) => [
          '{',
          `  int64_t kk = ${isNone(k) ? '0' : `(int64_t)${x[1]}`}, ko = 0, kM = ${x[0]}.shape[${a.ndim - 1}];`,
          // NumPy builds the mask with np.tri(N, M, k) (triu: k - 1), whose arange(-k, M - k) raises past int64.
          `  if (kM > 0 && kk ${name === 'tril' ? '< kM - 1' : '< kM'} - INT64_MAX) ${cx.raise('OverflowError', '"Python int too large to convert to C long"')}`,
          `  ${alloc(out, `${x[0]}.shape`, a.ndim, a.dtype, false, cx)}`,
          `  int64_t ks3[3], kv[3]; kr_shape3(${x[0]}.shape, ${a.ndim}, ks3); kr_view3(${x[0]}.shape, ${x[0]}.strides, ${a.ndim}, ${a.ndim}, kv);`,
          ...loop3('ks3', [`${out}.data[ko++] = (${keep}) ? ${x[0]}.data[${off3('kv')}] : (${ctOf(a.dtype)})0;`]).map((l) => `  ${l}`),
          '}',
        ]),
      };
    },
  };
}

const ops: OpDef[] = [
  triangle('tril'), triangle('triu'),
  concatenate, stack, stackLike('hstack'), stackLike('vstack'), stackLike('dstack'), stackLike('column_stack'),
  splitOp('split'), splitOp('array_split'), splitOp('hsplit'), splitOp('vsplit'), splitOp('dsplit'),
  { target: 'numpy.transpose', python: 'np.transpose(a, axes=None)', signatures: ['array [, axes] -> view with the axes permuted'], facts: { ...VIEW, keywords: ['a', 'axes'] }, resolve: transposeResolve('np.transpose()') },
  { target: 'method.transpose', python: 'a.transpose(*axes)', signatures: ['array [, axes] -> view with the axes permuted'], facts: { ...VIEW }, resolve: transposeResolve('a.transpose()') },
  { target: 'numpy.swapaxes', python: 'np.swapaxes(a, axis1, axis2)', signatures: ['array, int, int -> view'], facts: { ...VIEW, keywords: ['a', 'axis1', 'axis2'] }, resolve: swapaxesResolve },
  { target: 'method.swapaxes', python: 'a.swapaxes(axis1, axis2)', signatures: ['array, int, int -> view'], facts: { ...VIEW }, resolve: swapaxesResolve },
  moveaxis, expandDims, broadcastTo,
  { target: 'numpy.squeeze', python: 'np.squeeze(a, axis)', signatures: ['array, axis (int or tuple) -> view without those size-1 axes'], facts: { ...VIEW, keywords: ['a', 'axis'] }, resolve: squeezeResolve('np.squeeze()') },
  { target: 'method.squeeze', python: 'a.squeeze(axis)', signatures: ['array, axis (int or tuple) -> view without those size-1 axes'], facts: { ...VIEW, keywords: ['self', 'axis'] }, resolve: squeezeResolve('a.squeeze()') },
  atleast(1), atleast(2), atleast(3),
  { target: 'numpy.flip', python: 'np.flip(m, axis=None)', signatures: ['array [, axis] -> view read backwards along the axes'], facts: { ...VIEW, keywords: ['m', 'axis'] }, resolve: flipResolve('np.flip()') },
  { target: 'numpy.fliplr', python: 'np.fliplr(m)', signatures: ['array of 2+ dimensions -> view'], facts: VIEW, resolve: flipResolve('np.fliplr()', 1) },
  { target: 'numpy.flipud', python: 'np.flipud(m)', signatures: ['array -> view'], facts: VIEW, resolve: flipResolve('np.flipud()', 0) },
  { target: 'numpy.ravel', python: 'np.ravel(a)', signatures: ['array -> 1-D view (a copy unless C-contiguous)'], facts: VIEW, resolve: ravelResolve(false, 'np.ravel()') },
  { target: 'method.ravel', python: 'a.ravel()', signatures: ['array -> 1-D view (a copy unless C-contiguous)'], facts: VIEW, resolve: ravelResolve(false, 'a.ravel()') },
  { target: 'method.flatten', python: 'a.flatten()', signatures: ['array -> 1-D copy'], facts: NDARRAY, resolve: ravelResolve(true, 'a.flatten()') },
  npReshape, tile,
  { target: 'numpy.repeat', python: 'np.repeat(a, repeats, axis=None)', signatures: ['array, int or ints [, axis] -> new array'], facts: { ...NDARRAY, sizedByArgs: true, keywords: ['a', 'repeats', 'axis'] }, resolve: repeatResolve('np.repeat()') },
  { target: 'method.repeat', python: 'a.repeat(repeats, axis=None)', signatures: ['array, int or ints [, axis] -> new array'], facts: { ...NDARRAY, sizedByArgs: true, keywords: ['self', 'repeats', 'axis'] }, resolve: repeatResolve('a.repeat()') },
  roll, pad,
];

export const manipulation: OpDomain = { name: 'manipulation', title: 'NumPy: joining, splitting and rearranging arrays', ops };
