/**
 * NumPy's comparisons of whole arrays: np.isclose (element-wise), np.allclose and np.array_equal (a Python bool),
 * with NumPy 2's formulas: isclose is (|a - b| <= atol + rtol * |b|) & isfinite(b) | (a == b), NaNs equal only
 * with equal_nan=True.
 */
import { SCALARS, T, cType, isArray, type KType, type ScalarName } from '../types.ts';
import { isScalarType, stmts, type OpDef, type OpDomain, type OpFacts } from './common.ts';
import { ctOf, dtypeOf, elementwise, elemOf, loop3, off3 } from './common_arrays.ts';

const NUMPY: OpFacts = { arrayRuntime: true };
const TOLERANCES = {
  rtol: { kind: 'float', hex: '0x1.4f8b588e368f1p-17', repr: '1e-05' },
  atol: { kind: 'float', hex: '0x1.5798ee2308c3ap-27', repr: '1e-08' },
  equal_nan: { kind: 'bool', value: false },
} as const;

/** The float type NumPy computes isclose in for a and b, or why it is not compiled. */
function closeType(a: KType, b: KType, what: string): ScalarName | string {
  if (![a, b].every((t) => isArray(t) || isScalarType(t))) return `${what}() takes arrays or numbers`;
  const ds = [a, b].map((t) => dtypeOf(elemOf(t)));
  if (ds.some((d) => d === 'float32')) {
    if (!ds.every((d) => d === 'float32')) return `${what}() of float32 and another dtype is not compiled; convert one (.astype(np.float64))`;
    return 'float32';
  }
  return 'float64';
}

/** The C of isclose for one pair (x, y as C values of their own types), in float type d. */
function closeBody(d: ScalarName, equalNan: boolean) {
  const ct = ctOf(d);
  return (v: string[]) => {
    const x = `((${ct})(${v[0]}))`, y = `((${ct})(${v[1]}))`;
    const abs = d === 'float32' ? 'fabsf' : 'fabs';
    const close = `(${abs}(${x} - ${y}) <= (${ct})(${v[3]}) + (${ct})(${v[2]}) * ${abs}(${y}) && isfinite(${y})) || ${x} == ${y}`;
    return equalNan ? `(${close} || (isnan(${x}) && isnan(${y})))` : `(${close})`;
  };
}

const KEYWORDS = ['a', 'b', 'rtol', 'atol', 'equal_nan'];
function tolerancesOk(args: KType[], consts: Parameters<OpDef['resolve']>[1], what: string): boolean | string {
  if (!isScalarType(args[2]) || !isScalarType(args[3])) return `${what}(): rtol and atol are numbers here`;
  const e = consts[4];
  if (e?.kind !== 'bool') return `${what}(): equal_nan must be a constant True or False here`;
  return e.value;
}

const isclose: OpDef = {
  target: 'numpy.isclose', python: 'np.isclose(a, b, rtol=1e-05, atol=1e-08, equal_nan=False)', signatures: ['arrays/numbers, broadcast -> bool array (numbers: np.bool)'],
  facts: { ...NUMPY, keywords: KEYWORDS, defaults: TOLERANCES },
  resolve(args, consts) {
    const d = closeType(args[0], args[1], 'np.isclose');
    if (!(d in SCALARS)) return d;
    const eq = tolerancesOk(args, consts, 'np.isclose');
    if (typeof eq === 'string') return eq;
    const body = closeBody(d as ScalarName, eq);
    const nd = Math.max(...args.slice(0, 2).map((t) => (t.kind === 'array' ? t.ndim : 0)));
    const operands = args.slice(0, 4);
    if (!nd) return { result: T.np('bool'), argTypes: args, lower: stmts((a, out) => [`${out} = ${body(a)};`]) };
    const inner = elementwise(operands, 'bool', body);
    return { result: T.array('bool', nd), argTypes: args, lower: inner };
  },
};

const allclose: OpDef = {
  target: 'numpy.allclose', python: 'np.allclose(a, b, rtol=1e-05, atol=1e-08, equal_nan=False)', signatures: ['arrays/numbers, broadcast -> bool (all of np.isclose)'],
  facts: { ...NUMPY, keywords: KEYWORDS, defaults: TOLERANCES },
  resolve(args, consts, ops) {
    const r = ops('numpy.isclose')!.resolve(args, consts);
    if (typeof r === 'string') return r.replace('np.isclose', 'np.allclose');
    if (r.result.kind !== 'array') return { result: T.bool, argTypes: args, lower: stmts((a, out, cx) => [`{ bool kc; ${(r.lower as { emit: (a: string[], o: string, cx: unknown) => string[] }).emit(a, 'kc', cx).join(' ')} ${out} = kc; }`]) };
    const nd = r.result.ndim;
    const inner = r.lower as { emit: (a: string[], o: string, cx: unknown) => string[] };
    return {
      result: T.bool, argTypes: args,
      lower: stmts((a, out, cx) => [
        '{', `  ${cType(r.result)} kc;`,
        ...inner.emit(a, 'kc', cx).map((l) => `  ${l}`),
        `  int64_t ks3[3], kv[3]; kr_shape3(kc.shape, ${nd}, ks3); kr_view3(kc.shape, kc.strides, ${nd}, ${nd}, kv); ${out} = 1;`,
        ...loop3('ks3', [`if (!kc.data[${off3('kv')}]) ${out} = 0;`]).map((l) => `  ${l}`),
        '}',
      ]),
    };
  },
};

const arrayEqual: OpDef = {
  target: 'numpy.array_equal', python: 'np.array_equal(a, b, equal_nan=False)', signatures: ['arrays -> bool (same shape and every item equal)'],
  facts: { ...NUMPY, keywords: ['a1', 'a2', 'equal_nan'], defaults: { equal_nan: { kind: 'bool', value: false } } },
  resolve(args, consts) {
    const [x, y] = args;
    if (x?.kind !== 'array' || y?.kind !== 'array') return 'np.array_equal() takes two arrays here';
    const e = consts[2];
    if (e?.kind !== 'bool') return 'np.array_equal(): equal_nan must be a constant True or False here';
    if (x.ndim !== y.ndim) return { result: T.bool, argTypes: args, lower: stmts((_a, out) => [`${out} = 0;`]) };
    const fl = SCALARS[x.dtype].float || SCALARS[y.dtype].float;
    const eq = (p: string, q: string) => (e.value && fl ? `(${p} == ${q} || (${p} != ${p} && ${q} != ${q}))` : `(${p} == ${q})`);
    // Compared as NumPy's a1 == a2 does: both converted to their common type (ints and floats: as C compares them when exact).
    return {
      result: T.bool, argTypes: args,
      lower: stmts((a, out) => {
        const lines = ['{', `  ${out} = 1;`, `  for (int k = 0; k < ${x.ndim}; k++) if (${a[0]}.shape[k] != ${a[1]}.shape[k]) ${out} = 0;`,
          `  if (${out}) { int64_t ks3[3], kva[3], kvb[3]; kr_shape3(${a[0]}.shape, ${x.ndim}, ks3); kr_view3(${a[0]}.shape, ${a[0]}.strides, ${x.ndim}, ${x.ndim}, kva); kr_view3(${a[1]}.shape, ${a[1]}.strides, ${x.ndim}, ${x.ndim}, kvb);`];
        lines.push(...loop3('ks3', [`if (!${eq(`${a[0]}.data[${off3('kva')}]`, `${a[1]}.data[${off3('kvb')}]`)}) ${out} = 0;`]).map((l) => `    ${l}`), '  }', '}');
        return lines;
      }),
    };
  },
};

export const logic: OpDomain = { name: 'logic', title: 'NumPy: comparing arrays', ops: [isclose, allclose, arrayEqual] };
