/**
 * np.linalg.norm and the matrix helpers np.diag, np.trace, np.outer, np.inner. The products of arrays (`a @ b`,
 * np.dot, np.matmul, np.einsum) are in products.ts, on the runtime's GEMM.
 *
 * np.linalg.norm(x) is NumPy's sqrt(dot(x.ravel(), x.ravel())): a sum of products in the BLAS's order, verified
 * within the products' bound; np.linalg.norm(x, axis=k) is NumPy's sqrt(add.reduce(x * x, axis=k)), bit for bit.
 * np.linalg.inv, solve and det are not compiled (LAPACK's pivoting decides which matrices are singular).
 */
import { SCALARS, T, cType, type ScalarName } from '../types.ts';
import { isNone, stmts, type OpDef, type OpDomain, type OpFacts } from './common.ts';
import { alloc, axisArg, copyViewLines, ctOf, elementwise, itemOf, raising, reduce, scalarBody, sumDtype, type Arr } from './common_arrays.ts';

const NUMPY: OpFacts = { arrayRuntime: true };
const PRODUCTS: OpFacts = { arrayRuntime: true, headers: ['kiln_products.h'] };

/** The float type NumPy's norm computes in (ints become float64). */
const normDtype = (d: ScalarName): ScalarName | undefined => (d === 'float32' ? 'float32' : d === 'bool' ? undefined : 'float64');

/** C that makes `kflat` (n = `kfn` items of type d, C order) from array x (`e`): the data itself when contiguous. */
function flatLines(x: Arr, e: string, d: ScalarName, cx: Parameters<Parameters<typeof stmts>[0]>[2]): string[] {
  const ct = ctOf(d);
  return [
    `int64_t kfn = kr_size(${e}.shape, ${x.ndim}), kfs[3]; kr_c_strides(${e}.shape, ${x.ndim}, kfs);`,
    `${ct} *kflat = (${ct} *)kr_alloc((size_t)(kfn ? kfn : 1) * sizeof(${ct}), 0); if (!kflat) ${cx.try('-1')}`,
    ...copyViewLines({ data: 'kflat', strides: 'kfs' }, { data: `${e}.data`, strides: `${e}.strides` }, `${e}.shape`, x.ndim, x.dtype, d),
  ];
}

const norm: OpDef = {
  target: 'numpy.linalg.norm', python: 'np.linalg.norm(x), np.linalg.norm(x, axis=k)', signatures: ['array -> np.float64 (2-norm, Frobenius for matrices)', 'array, axis=k -> float array'],
  notes: "Without axis: sqrt of the dot product of the flattened array with itself (the BLAS's order: verified within the products' bound); with axis: sqrt(np.sum(x * x, axis=k)), exact. ord= is not compiled.",
  facts: { ...PRODUCTS, keywords: ['x', 'ord', 'axis', 'keepdims'] },
  resolve(args, consts) {
    const [x, ord, ax, keep] = args;
    if (x?.kind !== 'array') return 'np.linalg.norm() takes an array here';
    const d = normDtype(x.dtype);
    if (!d) return 'np.linalg.norm() of a bool array is not compiled; convert with .astype(np.float64)';
    if (!isNone(ord)) return 'np.linalg.norm(ord=) is not compiled (the 2-norm / Frobenius norm is); write np.sum(np.abs(x)) for ord=1, np.max(np.abs(x)) for ord=np.inf';
    if (!isNone(keep) && !(consts[3]?.kind === 'bool' && !consts[3].value)) return 'np.linalg.norm(keepdims=True) is not compiled';
    const ct = ctOf(d);
    const f = d === 'float32' ? 'f32' : 'f64';
    if (isNone(ax)) {
      return {
        result: T.np(d), argTypes: args, facts: { inexact: { kind: 'reassociated' } },
        lower: stmts((a, out, cx) => ['{', ...flatLines(x, a[0], d, cx).map((l) => `  ${l}`), `  ${out} = ${d === 'float32' ? 'sqrtf' : 'sqrt'}(kr_dot_${f}(kfn, kflat, 1, kflat, 1));`, '}']),
      };
    }
    const k = axisArg(ax, consts[2], x.ndim);
    if (typeof k === 'string') return k;
    if ('raise' in k) return raising(T.array(d, x.ndim - 1), args, 'AxisError', k.raise);
    // x * x (a new C-contiguous array of d), then NumPy's sum along the axis, then sqrt in place.
    const sq: Arr = { kind: 'array', dtype: d, ndim: x.ndim } as Arr;
    const r = reduce('sum', sq, k.axis);
    if (typeof r === 'string') return r;
    const square = elementwise([x], d, (v) => `((${ct})(${v[0]}) * (${ct})(${v[0]}))`);
    if (square.kind !== 'stmts' || r.lower.kind !== 'stmts') return 'internal: norm lowering';
    const nd = x.ndim - 1;
    return {
      result: r.result, argTypes: args,
      lower: stmts((a, out, cx) => {
        const lines = ['{', `  ${cType(sq)} ksq;`, ...square.emit([a[0]], 'ksq', cx).map((l) => `  ${l}`), ...(r.lower as { emit: (a: string[], o: string, cx: unknown) => string[] }).emit(['ksq'], out, cx).map((l) => `  ${l}`)];
        if (nd === 0) lines.push(`  ${out} = ${d === 'float32' ? 'sqrtf' : 'sqrt'}(${out});`);
        else lines.push(`  { int64_t kn = kr_size(${out}.shape, ${nd}); for (int64_t j = 0; j < kn; j++) ${out}.data[j] = ${d === 'float32' ? 'sqrtf' : 'sqrt'}(${out}.data[j]); }`);
        lines.push('}');
        return lines;
      }),
    };
  },
};

const diag: OpDef = {
  target: 'numpy.diag', python: 'np.diag(v, k=0)', signatures: ['1-D array -> 2-D array with v on diagonal k', '2-D array -> 1-D copy of diagonal k'],
  facts: { ...NUMPY, keywords: ['v', 'k'] },
  resolve(args) {
    const [v, k] = args;
    if (v?.kind !== 'array' || (v.ndim !== 1 && v.ndim !== 2)) return 'ValueError: Input must be 1- or 2-d.';
    if (!isNone(k) && !(k.kind === 'scalar' && ['int', 'int64', 'int32', 'bool'].includes(k.name))) return 'np.diag(v, k): k is an int';
    // NumPy reads k as a C int: OverflowError outside int32.
    const kk = (a: string[]) => (isNone(k) ? '0' : `(int64_t)(${a[1]})`);
    const kcheck = (a: string[], cx: Parameters<Parameters<typeof stmts>[0]>[2]) => (isNone(k) ? [] : [
      `  if ((int64_t)(${a[1]}) > INT32_MAX) ${cx.raise('OverflowError', '"signed integer is greater than maximum"')}`,
      `  if ((int64_t)(${a[1]}) < INT32_MIN) ${cx.raise('OverflowError', '"signed integer is less than minimum"')}`]);
    if (v.ndim === 1) {
      return {
        result: T.array(v.dtype, 2), argTypes: args,
        lower: stmts((a, out, cx) => ['{', ...kcheck(a, cx), `  int64_t kk = ${kk(a)}, kn = ${a[0]}.shape[0], kabs = kk < 0 ? -kk : kk, ksh[2];`, '  ksh[0] = ksh[1] = kn + kabs;',
          `  ${alloc(out, 'ksh', 2, v.dtype, true, cx)}`,
          `  for (int64_t i = 0; i < kn; i++) ${out}.data[(kk >= 0 ? i : i - kk) * ${out}.strides[0] + (kk >= 0 ? i + kk : i)] = ${a[0]}.data[i * ${a[0]}.strides[0]];`, '}']),
      };
    }
    return {
      result: T.array(v.dtype, 1), argTypes: args,
      lower: stmts((a, out, cx) => ['{', ...kcheck(a, cx), `  int64_t kk = ${kk(a)}, kr0 = kk >= 0 ? 0 : -kk, kc0 = kk >= 0 ? kk : 0;`,
        `  int64_t kn = ${a[0]}.shape[0] - kr0 < ${a[0]}.shape[1] - kc0 ? ${a[0]}.shape[0] - kr0 : ${a[0]}.shape[1] - kc0; if (kn < 0) kn = 0;`,
        `  ${alloc(out, '&kn', 1, v.dtype, false, cx)}`,
        `  for (int64_t i = 0; i < kn; i++) ${out}.data[i] = ${a[0]}.data[(kr0 + i) * ${a[0]}.strides[0] + (kc0 + i) * ${a[0]}.strides[1]];`, '}']),
    };
  },
};

const trace: OpDef = {
  target: 'numpy.trace', python: 'np.trace(a)', signatures: ['2-D array -> the sum of its diagonal (NumPy\'s sum dtype)'],
  notes: 'The diagonal summed as np.sum sums a strided 1-D array (pairwise for floats).',
  facts: { ...NUMPY, keywords: ['a', 'offset'] },
  resolve(args) {
    const [x, off] = args;
    if (x?.kind !== 'array' || x.ndim !== 2) return 'np.trace() takes a 2-D array here';
    if (!isNone(off)) return 'np.trace(a, offset) is not compiled; write np.sum(np.diag(a, k))';
    if (x.dtype === 'bool') return 'np.trace() of a bool array is not compiled; convert with .astype(np.int64)';
    const rd = sumDtype(x.dtype);
    const fl = SCALARS[x.dtype].float;
    return {
      result: T.np(rd), argTypes: args,
      lower: stmts((a, out) => [
        `{ int64_t kn = ${a[0]}.shape[0] < ${a[0]}.shape[1] ? ${a[0]}.shape[0] : ${a[0]}.shape[1], kst = ${a[0]}.strides[0] + ${a[0]}.strides[1];`,
        fl ? `  ${out} = kr_sum1_${x.dtype === 'float32' ? 'f32' : 'f64'}(${a[0]}.data, kn, kst); }`
          : `  uint64_t kacc = 0; for (int64_t j = 0; j < kn; j++) kacc += (uint64_t)(${ctOf(rd)})${a[0]}.data[j * kst]; ${out} = (${ctOf(rd)})kacc; }`,
      ]),
    };
  },
};

const outer: OpDef = {
  target: 'numpy.outer', python: 'np.outer(a, b)', signatures: ['arrays -> 2-D array a.ravel()[i] * b.ravel()[j]'],
  facts: NUMPY,
  resolve(args, _consts, ops) {
    const [x, y] = args;
    if (x?.kind !== 'array' || y?.kind !== 'array' || args.length !== 2) return 'np.outer() takes two arrays here';
    const b = scalarBody(ops, '_operator.mul', [itemOf(x), itemOf(y)]);
    if (typeof b === 'string') return b;
    const rd = b.result.kind === 'scalar' ? (b.result.name as ScalarName) : undefined;
    if (!rd || !(rd in SCALARS)) return 'np.outer() of these arrays is not compiled';
    return {
      result: T.array(rd, 2), argTypes: args,
      lower: stmts((a, out, cx) => {
        const xs: Arr = x, ys: Arr = y;
        return ['{',
          ...['x', 'y'].flatMap((n, i) => {
            const t = i ? ys : xs;
            const ct = ctOf(t.dtype);
            return [`  int64_t kn${n} = kr_size(${a[i]}.shape, ${t.ndim}); ${ct} *kf${n} = (${ct} *)kr_alloc((size_t)(kn${n} ? kn${n} : 1) * sizeof(${ct}), 0); if (!kf${n}) ${cx.try('-1')}`,
              `  { int64_t kfs[3]; kr_c_strides(${a[i]}.shape, ${t.ndim}, kfs);`,
              ...copyViewLines({ data: `kf${n}`, strides: 'kfs' }, { data: `${a[i]}.data`, strides: `${a[i]}.strides` }, `${a[i]}.shape`, t.ndim, t.dtype, t.dtype).map((l) => `  ${l}`), '  }'];
          }),
          `  int64_t ksh[2] = {knx, kny}; ${alloc(out, 'ksh', 2, rd, false, cx)}`,
          `  for (int64_t i = 0; i < knx; i++) for (int64_t j = 0; j < kny; j++) ${out}.data[i * kny + j] = ${b.body(['kfx[i]', 'kfy[j]'])};`, '}'];
      }),
    };
  },
};

const inner: OpDef = {
  target: 'numpy.inner', python: 'np.inner(a, b)', signatures: ['1-D arrays -> their dot product'],
  notes: 'As np.dot of two 1-D arrays (the BLAS\'s order for floats).',
  facts: PRODUCTS,
  resolve(args, _consts, ops) {
    const [x, y] = args;
    if (x?.kind !== 'array' || y?.kind !== 'array' || x.ndim !== 1 || y.ndim !== 1) return 'np.inner() takes two 1-D arrays here (for matrices write a @ b.T)';
    return ops('numpy.dot')!.resolve(args, []);
  },
};

export const linalg: OpDomain = { name: 'linalg', title: 'NumPy: linear algebra (np.linalg) and matrix helpers', ops: [norm, diag, trace, outer, inner] };
