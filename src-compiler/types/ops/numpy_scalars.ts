/** NumPy's scalar types: `np.float32(x)` and friends, the types as dtype values, and NumPy's float constants. */
import { SCALARS, T, isFloatLike, type ScalarName } from '../types.ts';
import { NP_INTS, NP_UINTS, call, expr, isScalarType, type ConstantDef, type OpDef, type OpDomain, type OpFacts } from './common.ts';

/** Every NumPy op and constant keeps the array runtime, even on scalars (see OpFacts.arrayRuntime). */
const NUMPY: OpFacts = { arrayRuntime: true };

const ops: OpDef[] = (['float32', 'float64', ...NP_INTS, ...NP_UINTS] as ScalarName[]).map((name): OpDef => ({
  target: `numpy.${name}`, python: `np.${name}(x)`, signatures: [`number -> np.${name}`], facts: NUMPY,
  resolve(args) {
    if (args.length !== 1 || !isScalarType(args[0])) return `np.${name}() takes one number here`;
    const a = args[0];
    const rt = T.np(name);
    if (isFloatLike(a) && !SCALARS[name].float) {
      return { result: rt, argTypes: [T.float], lower: call((x, o) => `(isfinite(${x[0]}) && ${x[0]} > -9.3e18 && ${x[0]} < 9.3e18 ? ((${o} = (${SCALARS[name].c})(int64_t)(${x[0]})), 0) : kr_raise(KILN_OverflowError, "cannot convert this float to np.${name} (NumPy gives an undefined value)"))`) };
    }
    return { result: rt, argTypes: [rt], lower: expr((x) => x[0]) };
  },
}));

/** `np.float64`, `float`, ... used as a value: a dtype argument (np.zeros(n, dtype=np.int64), a.astype(float)). */
const DTYPES: ConstantDef[] = [
  { target: 'builtins.float', type: T.dtype('float64'), c: '0' },
  { target: 'builtins.int', type: T.dtype('int64'), c: '0' },
  { target: 'builtins.bool', type: T.dtype('bool'), c: '0' },
  { target: 'numpy.bool_', type: T.dtype('bool'), c: '0', facts: NUMPY },
  ...(['float32', 'float64', ...NP_INTS, ...NP_UINTS] as ScalarName[]).map((name): ConstantDef => ({ target: `numpy.${name}`, type: T.dtype(name), c: '0', facts: NUMPY })),
  // np.intp is the index type: int64 here (arrays index with int64 on every target, wasm32 too).
  { target: 'numpy.intp', type: T.dtype('int64'), c: '0', facts: NUMPY },
  // np.complex128 as a dtype: the ops that make complex arrays take it (dtypeArg's `complex`; types/ops/complex_arrays.ts).
  { target: 'numpy.complex128', type: T.dtype('complex128'), c: '0', facts: NUMPY },
];

/** `np.pi` and friends (the math module's values; NumPy has no tau). */
const CONSTANTS: ConstantDef[] = [
  { target: 'numpy.pi', type: T.float, value: Math.PI, c: '3.141592653589793', facts: NUMPY },
  { target: 'numpy.e', type: T.float, value: Math.E, c: '2.718281828459045', facts: NUMPY },
  { target: 'numpy.inf', type: T.float, value: Infinity, c: 'INFINITY', facts: NUMPY },
  { target: 'numpy.nan', type: T.float, value: NaN, c: 'NAN', facts: NUMPY },
  // np.newaxis is None: in an index it adds an axis of length 1 (indexing.ts).
  { target: 'numpy.newaxis', type: T.none, c: '0', facts: NUMPY },
];

export const numpyScalars: OpDomain = { name: 'numpy_scalars', title: 'NumPy scalars', ops, constants: [...DTYPES, ...CONSTANTS] };
