/**
 * NumPy's ufuncs whose results are exact (IEEE operations and comparisons, no transcendental functions), so they
 * match NumPy bit for bit on every target: the function names of the operators (np.mod, np.floor_divide,
 * np.equal, np.logical_and, ...), np.negative/positive/square/sign/reciprocal, the predicates np.isnan/isinf/
 * isfinite, np.rint/round/around (to integers), np.fmod/copysign/fmax/fmin.
 */
import { SCALARS, T, isArray, isNumpy, type KType, type ScalarName } from '../types.ts';
import { expr, isNone, isScalarType, npBinaryType, type OpDef, type OpDomain, type OpFacts, type OpLookup } from './common.ts';
import { arrayBinary, ctOf, dtypeOf, elementwise, elemOf, scalarBody, type Res } from './common_arrays.ts';

const NUMPY: OpFacts = { arrayRuntime: true };
const UFUNC: OpFacts = { ...NUMPY, ufunc: true };

/** A Python number as NumPy sees it when no array takes part: np.mod(7, 2) is an np.int64. */
const asNumpy = (t: KType): KType => (t.kind === 'scalar' && !isNumpy(t) ? T.np(dtypeOf(t)) : t);

/** The ufunc an operator is (np.mod is `%`): arrays broadcast as the operator's; numbers give a NumPy scalar. */
function operatorUfunc(ops: OpLookup, target: string, args: KType[]): Res {
  if (!args.some(isArray)) {
    const npArgs = args.map(asNumpy);
    const b = scalarBody(ops, target, npArgs);
    if (typeof b === 'string') return b;
    return { result: b.result, argTypes: npArgs, lower: expr(b.body) };
  }
  return arrayBinary(ops, target, args) ?? `${target} of these arguments is not compiled`;
}

const BINARY_OPERATORS: Record<string, string> = {
  mod: 'mod', remainder: 'mod', floor_divide: 'floordiv', true_divide: 'truediv',
  bitwise_and: 'and_', bitwise_or: 'or_', bitwise_xor: 'xor', left_shift: 'lshift', right_shift: 'rshift',
  equal: 'eq', not_equal: 'ne', less: 'lt', less_equal: 'le', greater: 'gt', greater_equal: 'ge',
};

function binaryOperator(name: string, op: string): OpDef {
  return {
    target: `numpy.${name}`, python: `np.${name}(a, b)`, signatures: [`arrays/numbers, broadcast -> as the operator (_operator.${op})`], facts: UFUNC,
    resolve(args, _consts, ops) {
      if (args.length !== 2 || !args.every((t) => isArray(t) || isScalarType(t))) return `np.${name}() takes two arrays or numbers here (out= and where= are not compiled)`;
      return operatorUfunc(ops, `_operator.${op}`, args);
    },
  };
}

/** A one-argument ufunc of arrays or numbers with its own element body and result dtype (undefined: not compiled). */
function unary(name: string, sig: string, dtype: (d: ScalarName) => ScalarName | undefined, body: (v: string, d: ScalarName, rd: ScalarName) => string): OpDef {
  return {
    target: `numpy.${name}`, python: `np.${name}(x)`, signatures: [sig], facts: UFUNC,
    resolve(args) {
      const [x] = args;
      if (args.length !== 1 || !x || !(isArray(x) || isScalarType(x))) return `np.${name}() takes one array or number here (out= and where= are not compiled)`;
      const e = elemOf(asNumpy(x));
      const d = dtypeOf(e);
      const rd = dtype(d);
      if (!rd) return `np.${name}() of ${d} values is not compiled`;
      const f = (v: string[]) => body(`((${ctOf(d)})(${v[0]}))`, d, rd);
      if (x.kind === 'array') return { result: T.array(rd, x.ndim), argTypes: args, lower: elementwise(args, rd, f) };
      return { result: T.np(rd), argTypes: args, lower: expr(f) };
    },
  };
}

const isFloat = (d: ScalarName) => SCALARS[d].float;
const floatOnly = (d: ScalarName) => (isFloat(d) ? d : undefined);
const sameNotBool = (d: ScalarName) => (d === 'bool' ? undefined : d);

const UNARY: OpDef[] = [
  // -x of an unsigned wraps (np.negative(np.uint8(1)) == 255), as NumPy; bool is NumPy's TypeError.
  unary('negative', 'array|number -> same dtype, -x (unsigned wraps)', sameNotBool, (v, _d, rd) => (isFloat(rd) ? `(-${v})` : `((${ctOf(rd)})(0 - (uint64_t)${v}))`)),
  unary('positive', 'array|number -> same dtype', sameNotBool, (v) => v),
  // np.square(bool) is int8 in NumPy; not compiled here.
  unary('square', 'array|number -> same dtype, x*x (integers wrap)', sameNotBool, (v, _d, rd) => (isFloat(rd) ? `(${v} * ${v})` : `((${ctOf(rd)})((uint64_t)${v} * (uint64_t)${v}))`)),
  // sign: -1, 0 or 1 of the dtype; NaN stays NaN; -0.0 gives 0.0.
  unary('sign', 'array|number -> same dtype, -1/0/1 (NaN stays NaN)', sameNotBool, (v, _d, rd) => {
    const ct = ctOf(rd);
    return isFloat(rd) ? `(${v} > 0 ? (${ct})1 : ${v} < 0 ? (${ct})-1 : ${v} == 0 ? (${ct})0 : ${v})` : `((${ct})((${v} > 0) - (${v} < 0)))`;
  }),
  unary('reciprocal', 'float array|number -> 1/x (inf at 0)', floatOnly, (v, _d, rd) => `((${ctOf(rd)})1 / ${v})`),
  unary('isnan', 'array|number -> bool', () => 'bool', (v, d) => (isFloat(d) ? `(${v} != ${v})` : 'false')),
  unary('isinf', 'array|number -> bool', () => 'bool', (v, d) => (isFloat(d) ? `(${v} - ${v} != ${v} - ${v} && ${v} == ${v})` : 'false')),
  unary('isfinite', 'array|number -> bool', () => 'bool', (v, d) => (isFloat(d) ? `(${v} - ${v} == 0)` : 'true')),
  unary('logical_not', 'array|number -> bool', () => 'bool', (v) => `(!${v})`),
  unary('rint', 'float array|number -> nearest integer as float, halves to even', floatOnly, (v, d) => `${d === 'float32' ? 'rintf' : 'rint'}(${v})`),
];

/** NumPy's power_of_ten(n) as a C double literal: the table up to 1e8, then 1e9 times 10 (n - 9) times, in doubles. */
function powerOfTen(n: number): string {
  let r = n < 9 ? Number(`1e${n}`) : 1e9;
  for (let k = 9; k < n; k++) r *= 10;
  return Number.isFinite(r) ? `${r.toExponential()}` : 'INFINITY';
}

/** np.round(x, decimals) / np.around / a.round(): NumPy's scaled rounding (halves to even); integers unchanged for decimals >= 0. */
function roundOp(target: string): OpDef {
  const python = target === 'method.round' ? 'a.round(decimals)' : `${target.replace('numpy.', 'np.')}(a, decimals)`;
  return {
    target, python, signatures: ['array|number [, decimals=k] -> same dtype, NumPy\'s rint(x * 10**k) / 10**k (halves to even)'],
    facts: { ...NUMPY, keywords: target === 'method.round' ? ['self', 'decimals'] : ['a', 'decimals'] },
    resolve(args, consts) {
      const [x, dec] = args;
      if (!x || !(isArray(x) || (isScalarType(x) && target !== 'method.round'))) return undefined;
      const c = consts[1];
      if (!isNone(dec) && c?.kind !== 'int') return `${python}: decimals must be a constant int here (decimals=2, decimals=-1)`;
      const decimals = c?.kind === 'int' ? Number(c.value) : 0;
      const d = dtypeOf(elemOf(asNumpy(x)));
      if (d === 'bool') return `${python} of bool values is not compiled`;
      if (!isFloat(d) && decimals < 0) return `${python} of integers to a negative number of decimals is not compiled; write (a // 100) * 100 style arithmetic`;
      // NumPy's PyArray_Round: x * 10**decimals, rint, / 10**decimals (decimals < 0: x / 10**-decimals, rint, *), the
      // power of ten a double as NumPy's power_of_ten computes it, converted to the dtype (a weak Python float).
      const ct = ctOf(d), rint = d === 'float32' ? 'rintf' : 'rint';
      const p = powerOfTen(Math.abs(decimals));
      const scale = (e: string) => (decimals > 0 ? `(${rint}(${e} * (${ct})${p}) / (${ct})${p})` : decimals < 0 ? `(${rint}(${e} / (${ct})${p}) * (${ct})${p})` : `${rint}(${e})`);
      const f = (v: string[]) => (isFloat(d) ? scale(`((${ct})(${v[0]}))`) : `((${ct})(${v[0]}))`);
      if (x.kind === 'array') return { result: x, argTypes: args, lower: elementwise([x], d, f) };
      return { result: T.np(d), argTypes: args, lower: expr(f) };
    },
  };
}

/** Binary ufuncs of floats with C's exact functions (fmod, copysign) or NumPy's NaN rule (fmax/fmin ignore NaN). */
function floatBinary(name: string, body: (x: string, y: string, ct: string, f32: boolean) => string): OpDef {
  return {
    target: `numpy.${name}`, python: `np.${name}(a, b)`, signatures: ['float arrays/numbers, broadcast -> array'], facts: UFUNC,
    resolve(args) {
      if (args.length !== 2 || !args.every((t) => isArray(t) || isScalarType(t))) return `np.${name}() takes two arrays or numbers here`;
      const anyArray = args.some(isArray);
      // NumPy 2's promotion: Python numbers are weak next to arrays.
      const elems = args.map((t) => (t.kind === 'array' ? elemOf(t) : anyArray ? t : asNumpy(t)));
      const rt = npBinaryType(elems[0], elems[1]);
      if (!rt || !isFloat(rt)) return `np.${name}() is compiled for float arrays and numbers`;
      const rd = rt;
      const ct = ctOf(rd);
      const f = (v: string[]) => body(`((${ct})(${v[0]}))`, `((${ct})(${v[1]}))`, ct, rd === 'float32');
      if (!anyArray) return { result: T.np(rd), argTypes: args, lower: expr(f) };
      return { result: T.array(rd, Math.max(...args.map((t) => (t.kind === 'array' ? t.ndim : 0)))), argTypes: args, lower: elementwise(args, rd, f) };
    },
  };
}

/** np.logical_and/or/xor: truth of each operand, broadcast -> bool array. */
function logical(name: 'and' | 'or' | 'xor'): OpDef {
  const sym = name === 'and' ? '&&' : name === 'or' ? '||' : '!=';
  return {
    target: `numpy.logical_${name}`, python: `np.logical_${name}(a, b)`, signatures: ['arrays/numbers, broadcast -> bool array'], facts: UFUNC,
    resolve(args): Res {
      if (args.length !== 2 || !args.every((t) => isArray(t) || isScalarType(t))) return `np.logical_${name}() takes two arrays or numbers here`;
      const f = (v: string[]) => `((${v[0]} != 0) ${sym} (${v[1]} != 0))`;
      if (!args.some(isArray)) return { result: T.np('bool'), argTypes: args, lower: expr(f) };
      return { result: T.array('bool', Math.max(...args.map((t) => (t.kind === 'array' ? t.ndim : 0)))), argTypes: args, lower: elementwise(args, 'bool', f) };
    },
  };
}

const ops: OpDef[] = [
  ...Object.entries(BINARY_OPERATORS).map(([n, op]) => binaryOperator(n, op)),
  ...UNARY,
  roundOp('numpy.round'), roundOp('numpy.around'), roundOp('method.round'),
  floatBinary('fmod', (x, y, _ct, f32) => `${f32 ? 'fmodf' : 'fmod'}(${x}, ${y})`),
  floatBinary('copysign', (x, y, _ct, f32) => `${f32 ? 'copysignf' : 'copysign'}(${x}, ${y})`),
  // fmax/fmin: the other operand when one is NaN; C's fmax/fmin do the same (and NumPy's choice of zero sign).
  floatBinary('fmax', (x, y, _ct, f32) => `${f32 ? 'fmaxf' : 'fmax'}(${x}, ${y})`),
  floatBinary('fmin', (x, y, _ct, f32) => `${f32 ? 'fminf' : 'fmin'}(${x}, ${y})`),
  logical('and'), logical('or'), logical('xor'),
];

export const ufuncsExact: OpDomain = { name: 'ufuncs_exact', title: 'NumPy: exact element-wise functions', ops };
