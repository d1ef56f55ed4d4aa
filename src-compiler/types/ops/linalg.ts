/**
 * np.linalg.norm and the matrix helpers np.diag, np.trace, np.outer, np.inner. The products of arrays (`a @ b`,
 * np.dot, np.matmul, np.einsum) are in products.ts, on the runtime's GEMM.
 *
 * np.linalg.norm(x) is NumPy's sqrt(dot(x.ravel(), x.ravel())): a sum of products in the BLAS's order, verified
 * within the products' bound; np.linalg.norm(x, axis=k) is NumPy's sqrt(add.reduce(x * x, axis=k)), bit for bit.
 * np.linalg.inv, solve and det of one matrix (2-D) are an LU factorisation with partial pivoting in LAPACK's order of
 * operations (resources/c/kiln_linalg.h): the same matrices are singular (LinAlgError "Singular matrix"), the floats
 * are verified within the products' bound (OpenBLAS fuses and reorders its sums).
 */
import { SCALARS, T, cType, type KType, type ScalarName } from '../types.ts';
import { isNone, stmts, type OpDef, type OpDomain, type OpFacts } from './common.ts';
import { alloc, axisArg, castItem, copyViewLines, ctOf, elementwise, itemOf, raising, reduce, scalarBody, sumDtype, type Arr } from './common_arrays.ts';

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

// ---- np.linalg.inv, solve, det (kiln_linalg.h) ----------------------------------------------------------------

const LINALG: OpFacts = { arrayRuntime: true, headers: ['kiln_linalg.h'] }; // includes kiln_gemm.h (blocked LU)
/** NumPy's _commonType: float32 when every array is float32, else float64 (ints and bools included). */
const solveDtype = (xs: Arr[]): ScalarName => (xs.every((x) => x.dtype === 'float32') ? 'float32' : 'float64');
const NOT_2D = (nd: number) => `"${nd}-dimensional array given. Array must be at least two-dimensional"`;

/** The checks NumPy makes of a matrix argument, or the reason it is refused; the result type is `rd`'s. */
function squareArg(name: string, x: KType | undefined, result: KType, args: KType[]): Arr | string | ReturnType<typeof raising> {
  if (x?.kind !== 'array') return `np.linalg.${name}() takes an array here`;
  if (x.ndim < 2) return raising(result, args, 'LinAlgError', NOT_2D(x.ndim));
  if (x.ndim > 2) return `np.linalg.${name}() of a stack of matrices (${x.ndim}-D) is not compiled; call it on each matrix a[i]`;
  return x;
}

/**
 * C that checks `e` (a 2-D array) is square, copies it column-major into a new work buffer `klu` of dtype rd (with the
 * pivots `kpiv` and n scratch values after it), and factors it: `kinfo` is kr_lu's result (0, or singular; MemoryError raised).
 */
function factorLines(x: Arr, e: string, rd: ScalarName, cx: Parameters<Parameters<typeof stmts>[0]>[2]): string[] {
  const ct = ctOf(rd);
  const f = rd === 'float32' ? 'f32' : 'f64';
  return [
    `int64_t kn = ${e}.shape[0];`,
    `if (${e}.shape[1] != kn) ${cx.raise('LinAlgError', '"Last 2 dimensions of the array must be square"')}`,
    `${ct} *klu = (${ct} *)kr_alloc((size_t)(kn * kn + kn + 1) * sizeof(${ct}), 0); if (!klu) ${cx.try('-1')}`,
    `int64_t *kpiv = (int64_t *)kr_alloc((size_t)(kn + 1) * sizeof(int64_t), 0); if (!kpiv) ${cx.try('-1')}`,
    `for (int64_t j = 0; j < kn; j++) for (int64_t i = 0; i < kn; i++) klu[i + j * kn] = ${castItem(`${e}.data[i * ${e}.strides[0] + j * ${e}.strides[1]]`, x.dtype, rd)};`,
    `int64_t kinfo = kr_lu_${f}(kn, klu, kpiv, klu + kn * kn); if (kinfo < 0) ${cx.try('-1')}`,
  ];
}

const inv: OpDef = {
  target: 'numpy.linalg.inv', python: 'np.linalg.inv(a)', signatures: ['2-D square array -> its inverse (float64; float32 for float32)'],
  notes: "LU with partial pivoting in LAPACK's order (kiln_linalg.h), then solves with the identity: NumPy's LinAlgError('Singular matrix') for the matrices NumPy finds singular; floats verified within the products' bound (NumPy's BLAS fuses and reorders its sums). A stack of matrices (3-D) is not compiled.",
  facts: { ...LINALG, keywords: ['a'] },
  resolve(args) {
    const x0 = args[0];
    const rd = x0?.kind === 'array' ? solveDtype([x0]) : 'float64';
    const x = squareArg('inv', x0, T.array(rd, 2), args);
    if (typeof x === 'string' || !('kind' in x) || x.kind !== 'array') return x as string | ReturnType<typeof raising>;
    const f = rd === 'float32' ? 'f32' : 'f64';
    return {
      result: T.array(rd, 2), argTypes: args, facts: { inexact: { kind: 'reassociated' } },
      lower: stmts((a, out, cx) => ['{', ...factorLines(x, a[0], rd, cx).map((l) => `  ${l}`),
        `  if (kinfo) ${cx.try('kr_raise_singular()')}`,
        `  int64_t ksh[2] = {kn, kn}; ${alloc(out, 'ksh', 2, rd, true, cx)}`,
        `  for (int64_t i = 0; i < kn; i++) ${out}.data[i * kn + i] = 1;`,
        `  ${cx.try(`kr_lu_solve_${f}(kn, klu, kpiv, kn, ${out}.data)`)}`, '}']),
    };
  },
};

const det: OpDef = {
  target: 'numpy.linalg.det', python: 'np.linalg.det(a)', signatures: ['2-D square array -> np.float64 (np.float32 for float32)'],
  notes: "NumPy's formula on the LU factors: sign * exp(sum of log|U[k][k]|) (det([[1, 2], [3, 4]]) is -2.0000000000000004, as NumPy's); 0.0 for a singular matrix; verified within the products' bound.",
  facts: { ...LINALG, keywords: ['a'] },
  resolve(args) {
    const x0 = args[0];
    const rd = x0?.kind === 'array' ? solveDtype([x0]) : 'float64';
    const x = squareArg('det', x0, T.np(rd), args);
    if (typeof x === 'string' || !('kind' in x) || x.kind !== 'array') return x as string | ReturnType<typeof raising>;
    const f = rd === 'float32' ? 'f32' : 'f64';
    return {
      result: T.np(rd), argTypes: args, facts: { inexact: { kind: 'reassociated' } },
      lower: stmts((a, out, cx) => ['{', ...factorLines(x, a[0], rd, cx).map((l) => `  ${l}`), `  ${out} = kr_lu_det_${f}(kn, klu, kpiv, kinfo);`, '}']),
    };
  },
};

const solve: OpDef = {
  target: 'numpy.linalg.solve', python: 'np.linalg.solve(a, b)', signatures: ['2-D square array, 1-D array -> 1-D array x with a @ x == b', '2-D square array, 2-D array -> 2-D array'],
  notes: "LU with partial pivoting in LAPACK's order (kiln_linalg.h): NumPy's LinAlgError('Singular matrix') and its ValueError for a b that does not fit; floats verified within the products' bound. Stacks of matrices (3-D) are not compiled.",
  facts: { ...LINALG, keywords: ['a', 'b'] },
  resolve(args) {
    const [a0, b] = args;
    if (b?.kind !== 'array') return 'np.linalg.solve(a, b) takes two arrays here';
    const rd = a0?.kind === 'array' ? solveDtype([a0, b]) : 'float64';
    const nb = b.ndim === 1 ? 1 : 2;
    const x = squareArg('solve', a0, T.array(rd, nb), args);
    if (typeof x === 'string' || !('kind' in x) || x.kind !== 'array') return x as string | ReturnType<typeof raising>;
    if (b.ndim > 2) return 'np.linalg.solve(a, b) with a stack of right-hand sides (3-D b) is not compiled; solve for each b[i]';
    const f = rd === 'float32' ? 'f32' : 'f64';
    return {
      result: T.array(rd, nb), argTypes: args, facts: { inexact: { kind: 'reassociated' } },
      lower: stmts((a, out, cx) => {
        const bs = nb === 1 ? `${a[1]}.strides[0]` : `${a[1]}.strides[1]`;
        return ['{',
          `  if (${a[0]}.shape[0] != ${a[0]}.shape[1]) ${cx.raise('LinAlgError', '"Last 2 dimensions of the array must be square"')}`,
          `  if (${a[1]}.shape[0] != ${a[0]}.shape[0]) ${cx.try(`kr_raise_solve_mismatch(${nb === 1 ? 1 : 0}, ${a[1]}.shape[0], ${a[0]}.shape[0])`)}`,
          ...factorLines(x, a[0], rd, cx).map((l) => `  ${l}`),
          `  if (kinfo) ${cx.try('kr_raise_singular()')}`,
          `  int64_t km = ${nb === 1 ? '1' : `${a[1]}.shape[1]`}, ksh[2] = {kn, km}; ${alloc(out, 'ksh', nb, rd, false, cx)}`,
          `  for (int64_t i = 0; i < kn; i++) for (int64_t c = 0; c < km; c++) ${out}.data[i * km + c] = ${castItem(`${a[1]}.data[i * ${a[1]}.strides[0] + c * ${bs}]`, b.dtype, rd)};`,
          `  ${cx.try(`kr_lu_solve_${f}(kn, klu, kpiv, km, ${out}.data)`)}`, '}'];
      }),
    };
  },
};

export const linalg: OpDomain = { name: 'linalg', title: 'NumPy: linear algebra (np.linalg) and matrix helpers', ops: [norm, diag, trace, outer, inner, inv, solve, det] };
