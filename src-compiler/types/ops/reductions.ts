/**
 * NumPy reductions: np.sum(a), a.sum(), ... over a whole array or along one axis, with keepdims= and (var, std)
 * ddof=; and the accumulations np.cumsum/np.cumprod. An axis out of range raises NumPy's AxisError where the call runs.
 */
import { SCALARS, T, cType, sameType, type KType, type ScalarName } from '../types.ts';
import type { ConstValue } from '../../ir/ir.ts';
import { isIdx, isNone, isScalarType, stmts, type LowerContext, type OpDef, type OpDomain } from './common.ts';
import { alloc, axisArg, copyViewLines, ctOf, loop3, off3, raising, reduce, sumDtype, type Arr, type RedName } from './common_arrays.ts';

/** Each reduction's parameters in NumPy's order (np.sum(a, axis, dtype, out, keepdims), ...). */
const PARAMS: Record<RedName, readonly string[]> = {
  sum: ['axis', 'dtype', 'out', 'keepdims'], prod: ['axis', 'dtype', 'out', 'keepdims'], mean: ['axis', 'dtype', 'out', 'keepdims'],
  var: ['axis', 'dtype', 'out', 'ddof', 'keepdims'], std: ['axis', 'dtype', 'out', 'ddof', 'keepdims'],
  min: ['axis', 'out', 'keepdims'], max: ['axis', 'out', 'keepdims'], argmin: ['axis', 'out', 'keepdims'], argmax: ['axis', 'out', 'keepdims'],
  any: ['axis', 'out', 'keepdims'], all: ['axis', 'out', 'keepdims'],
};

/** The reductions that take dtype= (sum, prod, mean: the items converted to it, then reduced in it; var, std: common_arrays.ts meanTypes). */
const DTYPE_REDUCTIONS: readonly RedName[] = ['sum', 'prod', 'mean', 'var', 'std'];
const FLOAT_DTYPE: readonly RedName[] = ['mean', 'var', 'std'];

function reduction(name: RedName, target: string): OpDef {
  const numpy = target.startsWith('numpy.');
  const params = PARAMS[name];
  const withDtype = DTYPE_REDUCTIONS.includes(name);
  const shown = params.filter((p) => p !== 'out' && (p !== 'dtype' || withDtype)).map((p) => `${p}=${p === 'ddof' ? '0' : p === 'keepdims' ? 'False' : 'None'}`).join(', ');
  return {
    target, python: numpy ? `np.${name}(a, ${shown})` : `a.${name}(${shown})`,
    signatures: [
      'array -> NumPy scalar (float sums are NumPy\'s pairwise sums, bit for bit)',
      'array, axis=k -> array of one dimension less (keepdims=True: the axis kept with size 1)',
      ...(withDtype && (name === 'var' || name === 'std') ? ['dtype=d (a float type): both sums and the divisions in d, x = a - mean in NumPy 2\'s promotion of the two types'] : []),
      ...(withDtype && name !== 'var' && name !== 'std' ? [`dtype=d: the items converted to d (as astype), then reduced in d${name === 'mean' ? ' (a float type)' : ''}`] : []),
    ],
    facts: numpy ? { arrayRuntime: true, keywords: ['a', ...params] } : { keywords: ['self', ...params] },
    resolve(args, consts) {
      const [x] = args;
      if (!x || x.kind !== 'array') return undefined;
      const at = (p: string) => 1 + params.indexOf(p);
      const given = (p: string): KType | undefined => (params.includes(p) && !isNone(args[at(p)]) ? args[at(p)] : undefined);
      if (given('out')) return `${name}(): out= is not compiled; assign the result (r = np.${name}(a, axis=k))`;
      const into = given('dtype');
      if (into && !DTYPE_REDUCTIONS.includes(name)) return `${name}(): dtype= is not compiled; convert first (a.astype(np.float64).${name}())`;
      if (into && (into.kind !== 'dtype' || into.name === 'bool' || (FLOAT_DTYPE.includes(name) && !SCALARS[into.name].float))) {
        return `${name}(dtype=): the dtype must be a NumPy number type${FLOAT_DTYPE.includes(name) ? ' of floats (np.float32, np.float64)' : ' (np.float32, np.int64, ...)'}`;
      }
      let keepdims = false;
      if (given('keepdims')) {
        const c = consts[at('keepdims')];
        if (c?.kind !== 'bool') return `${name}(): keepdims must be the constant True or False`;
        keepdims = c.value;
      }
      let ddof: number | undefined;
      const dt = given('ddof');
      if (dt) {
        if (!isScalarType(dt) || (dt.kind === 'scalar' && dt.name === 'bool')) return `${name}(): ddof must be a number`;
        ddof = at('ddof');
      }
      const tupleAxis = tupleAxisArg(name, consts[1], x.ndim);
      if (typeof tupleAxis === 'string') return tupleAxis;
      const ax = tupleAxis ?? axisArg(args[1], consts[1], x.ndim);
      if (typeof ax === 'string') return ax;
      const d = into?.kind === 'dtype' ? into.name : x.dtype;
      if (name === 'var' || name === 'std') {
        // NumPy sums the items, then the squares of their differences from the mean, in d (meanTypes); d the array's
        // own float type changes nothing.
        const r = reduce(name, x, 'raise' in ax ? (x.ndim === 1 ? undefined : 0) : ax.axis, { keepdims, ddof, ddofInt: dt !== undefined && isIdx(dt), into: d === x.dtype ? undefined : d });
        if (typeof r === 'string' || !('raise' in ax)) return typeof r === 'string' ? r : { ...r, argTypes: args };
        return raising(r.result, args, 'AxisError', ax.raise);
      }
      const r = reduce(name, d === x.dtype ? x : { ...x, dtype: d }, 'raise' in ax ? (x.ndim === 1 ? undefined : 0) : ax.axis, { keepdims, ddof, ddofInt: dt !== undefined && isIdx(dt), cast: d !== x.dtype });
      if (typeof r === 'string') return r;
      const result = d === x.dtype ? r.result : inType(r.result, d);
      if ('raise' in ax) return raising(result, args, 'AxisError', ax.raise);
      // The lowering sees every argument (ddof is read at run time).
      if (d === x.dtype && sameType(result, r.result)) return { ...r, argTypes: args };
      if (r.lower.kind !== 'stmts') return 'internal: a reduction lowers to statements';
      return { ...r, result, argTypes: args, lower: inDtype(x, d, r.lower.emit, r.result, result) };
    },
  };
}

const inType = (t: KType, d: ScalarName): KType => (t.kind === 'array' ? T.array(d, t.ndim) : T.np(d));

/**
 * np.sum(a, dtype=d) (also prod, mean) as NumPy computes it: each item converted to d (NumPy's unsafe casting, as
 * astype), then reduced in d. `emit` is the reduction of an array of d (a C-contiguous copy) into `got`; the integer
 * types narrower than 64 bits reduce in 64 bits there, wrapping, whose low bits are the sum or product in d itself.
 * A whole float sum or mean adds the converted items in chunks of 8,192 (NumPy's buffer; ReduceOptions.cast), in the
 * source's memory order; so does a sum along an axis that is inner in memory, line by line.
 */
function inDtype(x: Arr, d: ScalarName, emit: (a: string[], out: string, cx: LowerContext) => string[], got: KType, result: KType) {
  return stmts((a, out, cx) => {
    const lines = ['{'];
    let src = a[0];
    if (x.dtype !== d) {
      src = 'kcast';
      lines.push(`  ${cType(T.array(d, x.ndim))} kcast;`, `  ${alloc('kcast', `${a[0]}.shape`, x.ndim, d, false, cx)}`,
        // The copy keeps the source's memory order (NumPy's buffer follows it: axes by decreasing |stride|, C order
        // among equal ones), so a whole sum adds in that order and an axis inner in the source stays inner.
        ...(x.ndim > 1 ? [`  { int kord[3] = {0, 1, 2}; int64_t kabs[3]; for (int k = 0; k < ${x.ndim}; k++) kabs[k] = ${a[0]}.strides[k] < 0 ? -${a[0]}.strides[k] : ${a[0]}.strides[k];`,
          `    for (int i = 1; i < ${x.ndim}; i++) for (int j = i; j > 0 && kabs[kord[j - 1]] < kabs[kord[j]]; j--) { int t = kord[j]; kord[j] = kord[j - 1]; kord[j - 1] = t; }`,
          `    int64_t kstep = 1; for (int k = ${x.ndim - 1}; k >= 0; k--) { kcast.strides[kord[k]] = kstep; kstep *= kcast.shape[kord[k]]; } }`] : []),
        ...copyViewLines({ data: 'kcast.data', strides: 'kcast.strides' }, { data: `${a[0]}.data`, strides: `${a[0]}.strides` }, `${a[0]}.shape`, x.ndim, x.dtype, d).map((l) => `  ${l}`));
    }
    if (sameType(got, result)) return [...lines, ...emit([src, ...a.slice(1)], out, cx).map((l) => `  ${l}`), '}'];
    // A narrow integer d: the low bits of the 64-bit result.
    lines.push(`  ${cType(got)} kwide;`, ...emit([src, ...a.slice(1)], 'kwide', cx).map((l) => `  ${l}`));
    if (got.kind !== 'array') lines.push(`  ${out} = (${ctOf(d)})kwide;`);
    else {
      lines.push(`  ${alloc(out, 'kwide.shape', got.ndim, d, false, cx)}`,
        ...copyViewLines({ data: `${out}.data`, strides: `${out}.strides` }, { data: 'kwide.data', strides: 'kwide.strides' }, 'kwide.shape', got.ndim, got.dtype, d).map((l) => `  ${l}`));
    }
    return [...lines, '}'];
  });
}

/**
 * A constant tuple axis: every axis once (in any order) is NumPy's axis=None (the same reduction over all axes), one
 * axis is that axis; undefined when the axis is not a tuple, else why it is not compiled.
 */
function tupleAxisArg(name: RedName, c: ConstValue | undefined, nd: number): { axis: number | undefined } | string | undefined {
  if (c?.kind !== 'tuple') return undefined;
  if (name === 'argmin' || name === 'argmax') return `${name}(): axis must be one int (NumPy: 'tuple' object cannot be interpreted as an integer)`;
  const ks = c.items.map((i) => (i.kind === 'int' ? Number(i.value) : NaN));
  if (!ks.length || ks.some((k) => Number.isNaN(k))) return `${name}(): a tuple axis must hold constant ints here (axis=(0, 1))`;
  const norm = ks.map((k) => (k < 0 ? k + nd : k));
  if (norm.some((k) => k < 0 || k >= nd) || new Set(norm).size !== norm.length) {
    return `${name}(): axis=(${ks.join(', ')}) names an axis twice or past the array's ${nd} dimensions (NumPy raises); name each axis once`;
  }
  if (norm.length === nd) return { axis: undefined };
  if (norm.length === 1) return { axis: norm[0] };
  return `${name}(): a tuple axis of some of the axes (axis=(${ks.join(', ')}) of ${nd}) is not compiled; all axes at once (axis=None) or one axis are`;
}

const REDUCTIONS: RedName[] = ['sum', 'prod', 'min', 'max', 'mean', 'std', 'var', 'argmin', 'argmax', 'any', 'all'];

/**
 * np.cumsum / np.cumprod (function and method): running sums or products in index order (NumPy's accumulate adds
 * one item at a time), of the flattened array (C order) without an axis; ints widen as np.sum's, wrapping.
 */
function accumulate(name: 'cumsum' | 'cumprod', target: string): OpDef {
  const numpy = target.startsWith('numpy.');
  const sym = name === 'cumsum' ? '+' : '*';
  return {
    target, python: numpy ? `np.${name}(a, axis=None)` : `a.${name}(axis=None)`,
    signatures: ['array -> 1-D array of the flattened running results', 'array, axis=k -> array of the same shape'],
    facts: { arrayRuntime: true, keywords: [numpy ? 'a' : 'self', 'axis', 'dtype', 'out'] },
    resolve(args, consts) {
      const [x, ax, dt, outArg] = args;
      if (!x || x.kind !== 'array') return undefined;
      if (!isNone(dt) || !isNone(outArg)) return `${name}(): dtype= and out= are not compiled`;
      const rd = sumDtype(x.dtype);
      const ct = ctOf(rd);
      const fl = SCALARS[rd].float;
      // Integers wrap as NumPy's: the operation in uint64.
      const step = (acc: string, v: string) => (fl ? `${acc} = ${acc} ${sym} (${ct})${v};` : `${acc} = (${ct})((uint64_t)${acc} ${sym} (uint64_t)(${ct})${v});`);
      const a = axisArg(ax, consts[1], x.ndim);
      if (typeof a === 'string') return a;
      if ('raise' in a) return raising(T.array(rd, x.ndim), args, 'AxisError', a.raise);
      const init = name === 'cumsum' ? `(${ct})0` : `(${ct})1`;
      if (a.axis === undefined) {
        return {
          result: T.array(rd, 1), argTypes: args,
          lower: stmts((v, out, cx) => [
            '{',
            `  int64_t kn = kr_size(${v[0]}.shape, ${x.ndim}), ko = 0; ${ct} kacc = ${init};`,
            `  ${alloc(out, '&kn', 1, rd, false, cx)}`,
            `  int64_t ks3[3], kv[3]; kr_shape3(${v[0]}.shape, ${x.ndim}, ks3); kr_view3(${v[0]}.shape, ${v[0]}.strides, ${x.ndim}, ${x.ndim}, kv);`,
            ...loop3('ks3', [step('kacc', `${v[0]}.data[${off3('kv')}]`), `${out}.data[ko++] = kacc;`]).map((l) => `  ${l}`),
            '}',
          ]),
        };
      }
      const axis = a.axis;
      const others = Array.from({ length: x.ndim }, (_, k) => k).filter((k) => k !== axis);
      return {
        result: T.array(rd, x.ndim), argTypes: args,
        lower: stmts((v, out, cx) => {
          const A = v[0];
          const o = (i: number, arr: string, what: 'shape' | 'strides') => (i < others.length ? `${arr}.${what}[${others[i]}]` : what === 'shape' ? '1' : '0');
          return [
            '{',
            `  ${alloc(out, `${A}.shape`, x.ndim, rd, false, cx)}`,
            `  int64_t kn1 = ${o(0, A, 'shape')}, kn2 = ${o(1, A, 'shape')}, klen = ${A}.shape[${axis}];`,
            '  for (int64_t p = 0; p < kn1; p++) for (int64_t q = 0; q < kn2; q++) {',
            `    ${ctOf(x.dtype)} *kin = ${A}.data + p * ${o(0, A, 'strides')} + q * ${o(1, A, 'strides')};`,
            `    ${ct} *kout = ${out}.data + p * ${o(0, out, 'strides')} + q * ${o(1, out, 'strides')}, kacc = ${init};`,
            `    for (int64_t j = 0; j < klen; j++) { ${step('kacc', `kin[j * ${A}.strides[${axis}]]`)} kout[j * ${out}.strides[${axis}]] = kacc; }`,
            '  }',
            '}',
          ];
        }),
      };
    },
  };
}

const ops: OpDef[] = [
  ...(['cumsum', 'cumprod'] as const).flatMap((n) => [accumulate(n, `numpy.${n}`), accumulate(n, `method.${n}`)]),
  ...REDUCTIONS.flatMap((r) => [reduction(r, `numpy.${r}`), reduction(r, `method.${r}`)]),
  reduction('min', 'numpy.amin'), reduction('max', 'numpy.amax'),
];

/** np.nanmean(a) over the whole array: NumPy's sum of the array with NaNs as 0 (pairwise) over the count of the others. */
const nanmean: OpDef = {
  target: 'numpy.nanmean', python: 'np.nanmean(a)', signatures: ['float array -> np.float64 (NaN when every item is NaN, as NumPy with its warning)'],
  facts: { arrayRuntime: true, keywords: ['a', 'axis', 'dtype', 'out', 'keepdims', 'where'] },
  resolve(args) {
    const [x, ...rest] = args;
    if (x?.kind !== 'array' || !SCALARS[x.dtype].float) return 'np.nanmean() takes a float array here (for ints it is np.mean)';
    if (!rest.every(isNone)) return 'np.nanmean(a) is compiled over the whole array only (no axis=, dtype=, out=, keepdims=, where=)';
    const ct = ctOf(x.dtype);
    const f = x.dtype === 'float32' ? 'f32' : 'f64';
    return {
      result: T.np(x.dtype), argTypes: args,
      lower: stmts((a, out, cx) => [
        '{', `  int64_t kn = kr_size(${a[0]}.shape, ${x.ndim}), kcnt = 0, kq = 0, ks3[3], kv3[3];`,
        `  ${ct} *kbuf = (${ct} *)kr_alloc((size_t)(kn ? kn : 1) * sizeof(${ct}), 0); if (!kbuf) ${cx.try('-1')}`,
        `  kr_shape3(${a[0]}.shape, ${x.ndim}, ks3); kr_view3(${a[0]}.shape, ${a[0]}.strides, ${x.ndim}, ${x.ndim}, kv3);`,
        ...loop3('ks3', [`${ct} kx = ${a[0]}.data[${off3('kv3')}]; if (kx != kx) kx = 0; else kcnt++; kbuf[kq++] = kx;`]).map((l) => `  ${l}`),
        `  ${out} = kr_sum1_${f}(kbuf, kn, 1) / (${ct})kcnt;`, '}',
      ]),
    };
  },
};

export const reductions: OpDomain = { name: 'reductions', title: 'NumPy: reductions', ops: [...ops, nanmean] };
