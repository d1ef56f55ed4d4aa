/**
 * NumPy's statistics of variables: np.cov and np.corrcoef, with NumPy 2's steps (numpy/lib/_function_base_impl.py).
 *
 * np.cov(m, y=None, rowvar=True, bias=False, ddof=None): X = m as rows of variables (a float64 copy in m's memory
 * order, transposed for rowvar=False), then y's rows under it (np.concatenate, whose result is in Fortran order when
 * every part with more than one row and column is, else C order); avg = X.mean(axis=1) (the reductions' code, so
 * NumPy's order of additions for that layout); X -= avg[:, None]; c = dot(X, X.T) (BLAS syrk: symmetric, its sums in
 * the BLAS's order, so verified within the products' bound); c *= 1 / fact, fact = n - ddof (0.0 when not positive:
 * inf or nan, as NumPy after its warning); c.squeeze().
 *
 * Shapes: a 1-D m alone gives one variable, NumPy's 0-d array, compiled as an np.float64 (the same value in
 * arithmetic, float(), comparisons, str and format; its type and repr differ, so return float(np.cov(x))); every
 * other form gives a k x k float64 array, and raises Kiln's value-dependent-type error where NumPy squeezes a 1 x 1
 * result of a 2-D m to 0-d (one variable) at run time. An m of no variables gives NumPy's empty (0, 0) array.
 *
 * np.corrcoef(x, y=None, rowvar=True): c = cov(x, y, rowvar); c / c for one variable (an np.float64: 1.0, or nan);
 * else c[i][j] / sqrt(c[i][i]) / sqrt(c[j][j]) clipped to [-1, 1] (nan stays nan).
 */
import { T, cType, type KType } from '../types.ts';
import { isIdx, isNone, scalarName, stmts, type LowerContext, type OpDef, type OpDomain, type OpFacts, type Resolved } from './common.ts';
import { alloc, castItem, raising, reduce, type Arr } from './common_arrays.ts';

const FACTS: OpFacts = { arrayRuntime: true, headers: ['kiln_products.h', 'kiln_ndarray.h'] };
/** The sums of products of dot(X, X.T) are in the BLAS's order, which NumPy does not fix: verified within the products' bound. */
const INEXACT: OpFacts = { inexact: { kind: 'reassociated' } };
const F64: Arr = T.array('float64', 2) as Arr;

const ONE_VARIABLE = (name: string) =>
  `"np.${name}() of a 2-D array of one variable: NumPy gives ${name === 'cov' ? 'a 0-d array' : 'a number'} here (Python gives a value-dependent type); pass the variable as a 1-D array"`;

/** A bool or int argument read for its truth (rowvar, bias), a constant or a run-time value; else why it is refused. */
function truthArg(name: string, param: string, t: KType | undefined): string | undefined {
  if (t && t.kind === 'scalar' && (t.name === 'bool' || isIdx(t))) return undefined;
  return `np.${name}(${param}=): give True or False`;
}

interface CovArgs { m: Arr; y: Arr | undefined }

/**
 * Checks the arguments np.cov and np.corrcoef share; the arrays, or a resolution that raises NumPy's error for a
 * 3-D one, or why the call is refused.
 */
function covArgs(name: string, args: KType[], result: (m: Arr, y: Arr | undefined) => KType): CovArgs | Resolved | string {
  const [m, y, rowvar] = args;
  if (m?.kind !== 'array') return `np.${name}() takes an array here (np.${name}(np.array(xs)) for a list)`;
  if (!isNone(y) && y?.kind !== 'array') return `np.${name}(x, y): y is an array here`;
  const ya = y?.kind === 'array' ? y : undefined;
  const bad = truthArg(name, 'rowvar', rowvar);
  if (bad) return bad;
  // NumPy's own checks, where the call runs.
  if (m.ndim > 2) return raising(result(m, ya), args, 'ValueError', '"m has more than 2 dimensions"');
  if (ya && ya.ndim > 2) return raising(result(m, ya), args, 'ValueError', '"y has more than 2 dimensions"');
  return { m, y: ya };
}

/**
 * C computing the covariance matrix of the variables: `kk` (their number), `kc` (kk * kk doubles, row-major,
 * symmetric), or `kempty` set when m has no variables (NumPy returns an empty (0, 0) array before looking at y).
 * a: the C arguments (m, y, rowvar, bias, ddof); `ddof` false: corrcoef's (bias and ddof have no effect there).
 */
function covLines(x: CovArgs, a: string[], cx: LowerContext, ddof: { bias: KType | undefined; ddof: KType | undefined } | undefined): string[] {
  const parts = [{ t: x.m, e: a[0], copied: true }, ...(x.y ? [{ t: x.y, e: a[1], copied: x.y.dtype !== 'float64' }] : [])];
  const lines = [
    `int krowvar = (${a[2]}) != 0, kempty = 0, kvoters = 0, kfvotes = 0;`,
    // Per part: rows, columns, the strides items are read with, and the strides of the array np.concatenate sees
    // (a converted copy is in the source's memory order: NumPy's array(..., order='K')); both after rowvar's transpose.
    'int64_t kpr[2] = {0, 0}, kpn[2] = {0, 0}, kps0[2] = {0, 0}, kps1[2] = {0, 0};',
  ];
  parts.forEach((p, i) => {
    const two = p.t.ndim === 2;
    lines.push('{',
      two ? `  int64_t kr = ${p.e}.shape[0], kn = ${p.e}.shape[1], ks0 = ${p.e}.strides[0], ks1 = ${p.e}.strides[1];`
        : `  int64_t kr = 1, kn = ${p.e}.shape[0], ks0 = 0, ks1 = ${p.e}.strides[0];`,
      `  int64_t kv0 = ks0, kv1 = ks1;`,
      ...(p.copied && two ? ['  if ((ks0 < 0 ? -ks0 : ks0) < (ks1 < 0 ? -ks1 : ks1)) { kv0 = 1; kv1 = kr; } else { kv0 = kn; kv1 = 1; }'] : []),
      // m is transposed for rowvar=False when 2-D; y when its 2-D form has more than one row.
      ...(two ? [`  if (!krowvar${i === 1 ? ' && kr != 1' : ''}) { int64_t kt = kr; kr = kn; kn = kt; kt = ks0; ks0 = ks1; ks1 = kt; kt = kv0; kv0 = kv1; kv1 = kt; }`] : []),
      `  kpr[${i}] = kr; kpn[${i}] = kn; kps0[${i}] = ks0; kps1[${i}] = ks1;`,
      '  if (kr != 1 && kn != 1) { kvoters++; if ((kv1 < 0 ? -kv1 : kv1) > (kv0 < 0 ? -kv0 : kv0)) kfvotes++; }',
      '}');
  });
  lines.push(
    'int64_t kk = kpr[0] + kpr[1], kn = kpn[0];',
    'double *kc = NULL;',
    'if (kpr[0] == 0) kempty = 1;',
    'else {',
  );
  const body: string[] = [];
  if (x.y) {
    body.push(`{ int64_t ks0[2] = {kpr[0], kpn[0]}, ks1[2] = {kpr[1], kpn[1]}; ${cx.try('kr_concat_check(ks0, ks1, 2, 0, 1)')} }`);
  }
  // X: C order, or Fortran order when every part that votes is in it (np.concatenate's rule, a lone part's own layout).
  body.push(
    `${cType(F64)} kX; int64_t kxs[2] = {kk, kn}; ${alloc('kX', 'kxs', 2, 'float64', false, cx)}`,
    'if (kvoters > 0 && kfvotes == kvoters) { kX.strides[0] = 1; kX.strides[1] = kk; }',
  );
  parts.forEach((p, i) => {
    body.push(`for (int64_t ki = 0; ki < kpr[${i}]; ki++) for (int64_t kj = 0; kj < kn; kj++) `
      + `kX.data[(ki${i ? ' + kpr[0]' : ''}) * kX.strides[0] + kj * kX.strides[1]] = ${castItem(`${p.e}.data[ki * kps0[${i}] + kj * kps1[${i}]]`, p.t.dtype, 'float64')};`);
  });
  const mean = reduce('mean', F64, 1);
  if (typeof mean === 'string' || mean.lower.kind !== 'stmts') throw new Error('internal: np.cov\'s mean');
  body.push(`${cType(T.array('float64', 1))} kavg;`, ...mean.lower.emit(['kX'], 'kavg', cx));
  // fact = n - ddof (Python ints; NumPy divides 1 by it as an int64, or a uint64 past int64); 0.0 when not positive.
  const ddofC = !ddof ? '1' : !isNone(ddof.ddof) ? `(int64_t)(${a[4]})` : `((${a[3]}) == 0 ? 1 : 0)`;
  body.push(
    'for (int64_t ki = 0; ki < kk; ki++) for (int64_t kj = 0; kj < kn; kj++) kX.data[ki * kX.strides[0] + kj * kX.strides[1]] -= kavg.data[ki];',
    `int64_t kddof = ${ddofC};`,
    'double kmul = kddof >= kn ? (double)INFINITY : 1.0 / (double)((uint64_t)kn - (uint64_t)kddof);',
    `kc = (double *)kr_alloc((size_t)(kk * kk ? kk * kk : 1) * sizeof(double), 0); if (!kc) ${cx.try('-1')}`,
    // BLAS syrk: one triangle, mirrored.
    'for (int64_t ki = 0; ki < kk; ki++) for (int64_t kj = ki; kj < kk; kj++) {',
    '  double kd = kr_dot_f64(kn, kX.data + ki * kX.strides[0], kX.strides[1], kX.data + kj * kX.strides[0], kX.strides[1]);',
    '  kc[ki * kk + kj] = kc[kj * kk + ki] = kd * kmul;',
    '}',
  );
  lines.push(...body.map((l) => `  ${l}`), '}');
  return lines;
}

/** The result array from `kc`: (0, 0) for no variables, k x k otherwise (one variable of a 2-D m: Kiln's error). */
function matrixOut(name: string, out: string, cx: LowerContext, fill: string[]): string[] {
  return [
    'if (kempty) kk = 0;',
    `if (kk == 1) ${cx.raise('ValueError', ONE_VARIABLE(name))}`,
    `{ int64_t kos[2] = {kk, kk}; ${alloc(out, 'kos', 2, 'float64', false, cx)} }`,
    ...fill,
  ];
}

const cov: OpDef = {
  target: 'numpy.cov', python: 'np.cov(m, y=None, rowvar=True, bias=False, ddof=None)',
  signatures: [
    "1-D m -> np.float64 (NumPy's 0-d array: its type and repr differ; float(np.cov(x)) is the same)",
    '2-D m (rows are variables; rowvar=False: columns), or m and y -> k x k float64 array',
  ],
  notes: "NumPy 2's steps: the mean of each variable in NumPy's order, the centred rows' products in the BLAS's order (verified within the products' bound), times 1 / (n - ddof); ddof=None is 1, or 0 with bias=True; n - ddof <= 0 gives inf/nan as NumPy (after its warning). fweights=, aweights= and dtype= are not compiled.",
  facts: { ...FACTS, keywords: ['m', 'y', 'rowvar', 'bias', 'ddof', 'fweights', 'aweights', 'dtype'], defaults: { rowvar: { kind: 'bool', value: true }, bias: { kind: 'bool', value: false } } },
  resolve(args) {
    const [, , , bias, ddof, fw, aw, dtype] = args;
    if (!isNone(fw) || !isNone(aw)) return 'np.cov(fweights=, aweights=) is not compiled';
    if (!isNone(dtype)) return 'np.cov(dtype=) is not compiled (the result is float64)';
    const bad = truthArg('cov', 'bias', bias);
    if (bad) return bad;
    if (!isNone(ddof) && !(ddof && ddof.kind === 'scalar' && (scalarName(ddof) === 'bool' || isIdx(ddof)))) return 'np.cov(ddof=): give an int (NumPy refuses a float that is not integral)';
    const scalar = (m: Arr, y: Arr | undefined) => m.ndim === 1 && !y;
    const resultOf = (m: Arr, y: Arr | undefined): KType => (scalar(m, y) ? T.np('float64') : T.array('float64', 2));
    const x = covArgs('cov', args, resultOf);
    if (typeof x === 'string' || !('m' in x)) return x;
    const ddofs = { bias, ddof };
    return {
      result: resultOf(x.m, x.y), argTypes: args, facts: INEXACT,
      lower: stmts((a, out, cx) => {
        const lines = ['{', ...covLines(x, a, cx, ddofs).map((l) => `  ${l}`)];
        if (scalar(x.m, x.y)) lines.push(`  ${out} = kc[0];`);
        else lines.push(...matrixOut('cov', out, cx, [`for (int64_t ki = 0; ki < kk * kk; ki++) ${out}.data[ki] = kc[ki];`]).map((l) => `  ${l}`));
        lines.push('}');
        return lines;
      }),
    };
  },
};

const corrcoef: OpDef = {
  target: 'numpy.corrcoef', python: 'np.corrcoef(x, y=None, rowvar=True)',
  signatures: ['1-D x -> np.float64 (c / c: 1.0, or nan)', '2-D x (rows are variables; rowvar=False: columns), or x and y -> k x k float64 array'],
  notes: "np.cov's matrix c, then c[i][j] / sqrt(c[i][i]) / sqrt(c[j][j]) clipped to [-1, 1] as NumPy (verified within the products' bound). bias= and ddof= have no effect in NumPy 2 (a DeprecationWarning) and are not compiled; nor is dtype=.",
  facts: { ...FACTS, keywords: ['x', 'y', 'rowvar', 'bias', 'ddof', 'dtype'], defaults: { rowvar: { kind: 'bool', value: true } } },
  resolve(args) {
    const [, , , bias, ddof, dtype] = args;
    if (!isNone(bias) || !isNone(ddof)) return 'np.corrcoef(bias=, ddof=): they have no effect in NumPy 2 (it warns they are deprecated); drop them';
    if (!isNone(dtype)) return 'np.corrcoef(dtype=) is not compiled (the result is float64)';
    const scalar = (m: Arr, y: Arr | undefined) => m.ndim === 1 && !y;
    const resultOf = (m: Arr, y: Arr | undefined): KType => (scalar(m, y) ? T.np('float64') : T.array('float64', 2));
    const x = covArgs('corrcoef', args, resultOf);
    if (typeof x === 'string' || !('m' in x)) return x;
    return {
      result: resultOf(x.m, x.y), argTypes: args, facts: INEXACT,
      lower: stmts((a, out, cx) => {
        const lines = ['{', ...covLines(x, a, cx, undefined).map((l) => `  ${l}`)];
        if (scalar(x.m, x.y)) lines.push(`  ${out} = kc[0] / kc[0];`);
        else {
          lines.push(...matrixOut('corrcoef', out, cx, [
            'for (int64_t ki = 0; ki < kk; ki++) for (int64_t kj = 0; kj < kk; kj++) {',
            // c /= stddev[:, None]; c /= stddev[None, :]; np.clip(c, -1, 1) (NaN propagates through clip's max and min).
            '  double kr = kc[ki * kk + kj] / sqrt(kc[ki * kk + ki]); kr = kr / sqrt(kc[kj * kk + kj]);',
            `  ${out}.data[ki * kk + kj] = kr > 1.0 ? 1.0 : kr < -1.0 ? -1.0 : kr;`,
            '}',
          ]).map((l) => `  ${l}`));
        }
        lines.push('}');
        return lines;
      }),
    };
  },
};

export const statistics: OpDomain = { name: 'statistics', title: 'NumPy: statistics (np.cov, np.corrcoef)', ops: [cov, corrcoef] };
