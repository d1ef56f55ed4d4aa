/**
 * Python's complex numbers and the cmath module: `complex(x, y)`, `2j` literals (the tracer makes them
 * complex(0.0, 2.0)), `+ - * / **`, `==`/`!=`, unary minus, abs(), `.real`/`.imag`/`.conjugate()`, and cmath's
 * functions and constants. C: `kr_complex` { re, im } by value, resources/c/kiln_math.h (CPython's algorithms:
 * Smith's division, c_powi for small integer powers, the special-value tables of cmath, tested against CPython by
 * tests/runtime/math.test.ts). As in CPython 3.11, an int or float operand is first made complex(x, 0.0).
 * A complex parameter or result of an exported function crosses the C ABI as kiln_complex, the same struct
 * (lower/abi.ts, docs/design/abi-values.md); inside tuples, lists and arrays they stay in compiled code.
 *
 * NumPy's np.complex128 scalar (an item or a sum of a complex128 array: { kind: 'complex', np: true }) is the same
 * C value with NumPy's scalar semantics: an op with one is np.complex128 (NumPy scalars of real types take part too),
 * `/` is NumPy's Smith's division (kr_np_cdiv: x/0 is inf or nan parts, no ZeroDivisionError; NumPy warns),
 * abs() is hypot without OverflowError and .real/.imag/abs() are np.float64, ** is NumPy's power (kr_np_cpow: integral
 * powers below 100 multiplied, others the C library's cpow), and < <= > >= NumPy's order (real parts, then imaginary).
 * str gives the complex's text; repr NumPy 2's, np.complex128(1+2j), as for the other NumPy scalars (ops/strings.ts).
 *
 * Verification: bit for bit against glibc; on musl and wasi-libc each part of a result within the C library's bound
 * (OpFacts.libc, CMATH_LIBC below; opt/tolerance.ts, docs/design/numbers.md).
 */
import { T, isBool, isNumpy, isPyInt, type KType } from '../types.ts';
import type { ConstValue } from '../../ir/ir.ts';
import { call, expr, pyName, stmts, typeError, type ConstantDef, type OpDef, type OpDomain, type OpFacts, type Overload, type Resolved } from './common.ts';

const COMPLEX: KType = { kind: 'complex' };
const HEADERS: OpFacts = { headers: ['kiln_math.h'] };
/**
 * cmath's functions and abs() of a complex are CPython's algorithms on the C library's hypot, exp, atan2, ...
 * (OpFacts.libc): at most this many ULPs from glibc's in each part of the result on musl and wasi-libc, measured by
 * bench/runtime/libm_agreement.py (500,000 arguments each; musl, wasm32 and arm64 alike; docs/design/numbers.md), a
 * measured 1 taken as 2 as math.ts does. tan and tanh are one algorithm (tan z = -i tanh iz), as are sin and sinh,
 * cos and cosh, asin and asinh, atan and atanh: each pair shares its bound.
 */
const CMATH_LIBC: Record<string, number> = {
  sqrt: 3, exp: 3, log: 4, log10: 4, cos: 3, sin: 3, tan: 10, tanh: 10, cosh: 3, sinh: 3, acos: 4, asin: 4, acosh: 4, asinh: 4,
  atan: 2, atanh: 2, rect: 2, phase: 2, polar: 2, abs: 2,
};
const libc = (name: string): OpFacts => ({ ...HEADERS, libc: CMATH_LIBC[name] });
/** A power through polar form (CPython's _Py_c_pow, the C library's cpow): no bound per part on another C library (OpFacts.libc). */
const POLAR_POWER: OpFacts = { ...HEADERS, libc: 'loose' };
/** A constant exponent that is integral and real, up to `limit` in magnitude: CPython (100) and NumPy (99) multiply
 *  such powers out, with the same bits on every C library. */
const multipliedOut = (e: ConstValue | undefined, limit: number): boolean => e?.kind === 'bool' || (e?.kind === 'int' && Math.abs(Number(e.value)) <= limit)
  || (e?.kind === 'float' && Number.isInteger(Number(e.repr)) && Math.abs(Number(e.repr)) <= limit);
/**
 * NumPy's power of an np.complex128 (kr_np_cpow): an integer literal below 100 multiplies; any other exponent goes
 * through the C library's cpow, NumPy's own on glibc (a non-integral one within 4 + 4 ULPs there), and on musl and
 * WASI with no bound per part (POLAR_POWER: cpow is cexp(w * clog(z)) there as in glibc, and a last-bit difference in
 * the phase moves a part near zero by many of its ULPs; corpus numpy_complex.py's item_cpow on wasm32: 12 and more).
 */
const npPowFacts = (exp: ConstValue | undefined): OpFacts => (exp?.kind === 'int' || exp?.kind === 'bool' ? (multipliedOut(exp, 99) ? HEADERS : POLAR_POWER)
  : { ...POLAR_POWER, inexact: { kind: 'ulps', kiln: 4, numpy: 4 } });
const isComplex = (t: KType | undefined) => !!t && t.kind === 'complex';
/** NumPy's complex128 scalar. */
const isNpComplex = (t: KType | undefined) => !!t && t.kind === 'complex' && !!t.np;
const NP_COMPLEX = T.np('complex128');
/** Whether an op with a complex is NumPy's: an np.complex128 or a NumPy real scalar takes part (its result is np.complex128). */
const npOp = (args: KType[]) => args.some((t) => isNpComplex(t) || isNumpy(t));
/** A Python int, bool or float (NumPy scalars are not mixed with complex here). */
const isReal = (t: KType | undefined) => !!t && t.kind === 'scalar' && (isPyInt(t) || isBool(t) || t.name === 'float');
const isNumberOrComplex = (t: KType | undefined) => isReal(t) || isComplex(t);
/** A number here: Python's or NumPy's scalars (complex(z.imag, z.real) of np.float64 parts). */
const isAnyNumber = (t: KType) => isNumberOrComplex(t) || isNumpy(t);

/** The argument types a complex op converts its operands to: complex stays, a real number becomes a float. */
const asOperands = (args: KType[]) => args.map((t) => (isComplex(t) ? COMPLEX : T.float));
/** C of a complex value from an operand converted by asOperands: complex(x, 0.0) for a real one. */
const cz = (t: KType, e: string) => (isComplex(t) ? e : `kr_complex_make(${e}, 0.0)`);

function binary(op: string, sym: string): Overload {
  return {
    target: `_operator.${op}`, signatures: [`complex ${sym} complex|int|float (either side) -> ${op === 'eq' || op === 'ne' ? 'bool' : 'complex'}`],
    resolve(args, consts): Resolved | string | undefined {
      if (args.length !== 2 || !args.some(isComplex)) return undefined;
      // With NumPy's complex128 (or a NumPy real scalar next to a complex), NumPy's real scalars take part too.
      const np = npOp(args);
      const rt = np ? NP_COMPLEX : COMPLEX;
      if (!args.every((t) => isNumberOrComplex(t) || (np && isNumpy(t)))) return typeError(sym, args);
      const [a, b] = args;
      const z = (x: string[]) => [cz(a, x[0]), cz(b, x[1])];
      // A product of two complex numbers, or a quotient by one, is a difference of products in each part: no
      // `rounding` (opt/tolerance.ts), where a complex times or over a real number is a product per part.
      const partwise = op === 'mul' ? !(isComplex(a) && isComplex(b)) : op === 'truediv' ? !isComplex(b) && !np : true;
      const result = (r: Omit<Resolved, 'argTypes'>): Resolved => ({ ...r, argTypes: asOperands(args), facts: partwise ? HEADERS : { ...HEADERS, rounding: undefined } });
      switch (op) {
        // NumPy's scalar * is the same formula as CPython's (no fused products in its scalar code).
        case 'add': case 'sub': case 'mul': return result({ result: rt, lower: expr((x) => `kr_complex_${op}(${z(x).join(', ')})`) });
        case 'truediv': return result(np ? { result: rt, lower: expr((x) => `kr_np_cdiv(${z(x).join(', ')})`) }
          : { result: rt, lower: call((x, o) => `kr_complex_div(${z(x).join(', ')}, &${o})`) });
        // NumPy's power (kr_np_cpow): no ZeroDivisionError or OverflowError, nan and inf parts as NumPy gives them.
        case 'pow': return np ? { ...result({ result: rt, lower: expr((x) => `kr_np_cpow(${z(x).join(', ')})`) }), facts: npPowFacts(consts[1]) }
          : { ...result({ result: rt, lower: call((x, o) => `kr_complex_pow(${z(x).join(', ')}, &${o})`) }), facts: multipliedOut(consts[1], 100) ? HEADERS : POLAR_POWER };
        case 'eq': return result({ result: T.bool, lower: expr((x) => `kr_complex_eq(${z(x).join(', ')})`) });
        case 'ne': return result({ result: T.bool, lower: expr((x) => `(!kr_complex_eq(${z(x).join(', ')}))`) });
        default: return op === 'floordiv' || op === 'mod' ? `TypeError: can't take floor${op === 'mod' ? ' or mod' : ''} of complex number.` : typeError(sym, args);
      }
    },
  };
}

const overloads: Overload[] = [
  ...([['add', '+'], ['sub', '-'], ['mul', '*'], ['truediv', '/'], ['pow', '**'], ['eq', '=='], ['ne', '!='], ['floordiv', '//'], ['mod', '%']] as const).map(([op, sym]) => binary(op, sym)),
  ...(['lt', 'le', 'gt', 'ge'] as const).map((op): Overload => {
    const sym = { lt: '<', le: '<=', gt: '>', ge: '>=' }[op];
    return {
      target: `_operator.${op}`, signatures: [`np.complex128 ${sym} number or complex (either side) -> np.bool_ (NumPy's order: real parts, then imaginary parts)`, `complex ${sym} complex -> TypeError, as CPython`],
      resolve(args) {
        if (args.length !== 2 || !args.some(isComplex)) return undefined;
        if (!npOp(args)) return `TypeError: '${sym}' not supported between instances of '${pyName(args[0])}' and '${pyName(args[1])}'`;
        if (!args.every(isAnyNumber)) return typeError(sym, args);
        const [a, b] = args;
        const fn = op === 'lt' || op === 'gt' ? 'kr_np_complex_lt' : 'kr_np_complex_le';
        const swap = op === 'gt' || op === 'ge';
        return { result: T.bool, argTypes: asOperands(args), facts: HEADERS, lower: expr((x) => (swap ? `${fn}(${cz(b, x[1])}, ${cz(a, x[0])})` : `${fn}(${cz(a, x[0])}, ${cz(b, x[1])})`)) };
      },
    };
  }),
  {
    target: 'builtins.pow', signatures: ['pow(complex, number) -> complex', 'pow(np.complex128, number) -> np.complex128 (NumPy\'s power)'],
    resolve(args, consts) {
      if (args.length !== 2 || !args.some(isComplex)) return undefined;
      const np = npOp(args);
      if (!args.every(np ? isAnyNumber : isNumberOrComplex)) return typeError('** or pow()', args);
      const [a, b] = args;
      return np ? { result: NP_COMPLEX, argTypes: asOperands(args), facts: npPowFacts(consts[1]), lower: expr((x) => `kr_np_cpow(${cz(a, x[0])}, ${cz(b, x[1])})`) }
        : { result: COMPLEX, argTypes: asOperands(args), facts: multipliedOut(consts[1], 100) ? HEADERS : POLAR_POWER, lower: call((x, o) => `kr_complex_pow(${cz(a, x[0])}, ${cz(b, x[1])}, &${o})`) };
    },
  },
  ...(['str', 'repr'] as const).map((name): Overload => ({
    // repr() of an np.complex128 is NumPy 2's, np.complex128(1+2j): ops/strings.ts (numpyRepr), with the other NumPy scalars.
    target: `builtins.${name}`, signatures: [`complex${name === 'str' ? ', np.complex128' : ''} -> "(1+2j)", "2j", "(nan+infj)" as CPython`],
    resolve: ([a, ...rest]) => (isComplex(a) && !rest.length && !(name === 'repr' && isNpComplex(a)) ? {
      result: T.str, argTypes: [a], facts: HEADERS,
      lower: stmts((x, o, cx) => [`{ char kb[96]; size_t kn = kr_complex_repr_text(${x[0]}, kb); ${o} = kr_str_from_latin1(kb, (int64_t)kn); if (!${o}) ${cx.propagate()} }`]),
    } : undefined),
  })),
  {
    target: '_operator.neg', signatures: ['-complex -> complex'],
    resolve: ([a]) => (isComplex(a) ? { result: a, argTypes: [a], facts: HEADERS, lower: expr((x) => `kr_complex_neg(${x[0]})`) } : undefined),
  },
  {
    target: '_operator.pos', signatures: ['+complex -> complex'],
    resolve: ([a]) => (isComplex(a) ? { result: a, argTypes: [a], lower: expr((x) => x[0]) } : undefined),
  },
  {
    target: 'builtins.abs', signatures: ['complex -> float (hypot; OverflowError "absolute value too large")', 'np.complex128 -> np.float64 (hypot: inf, no OverflowError)'],
    resolve: ([a]) => (isNpComplex(a) ? { result: T.np('float64'), argTypes: [a], facts: { libc: CMATH_LIBC.abs }, lower: expr((x) => `hypot(${x[0]}.re, ${x[0]}.im)`) }
      : isComplex(a) ? { result: T.float, argTypes: [COMPLEX], facts: libc('abs'), lower: call((x, o) => `kr_complex_abs(${x[0]}, &${o})`) } : undefined),
  },
];

/** cmath functions of one complex (or real) argument, giving a complex (errors as CPython's special-value tables). */
const CMATH1 = ['sqrt', 'exp', 'cos', 'sin', 'tan', 'acos', 'asin', 'atan', 'cosh', 'sinh', 'tanh', 'acosh', 'asinh', 'atanh', 'log10'];
const oneNumber = (name: string, args: KType[]) =>
  (args.length !== 1 ? `TypeError: cmath.${name}() takes exactly one argument (${args.length} given)` : !isNumberOrComplex(args[0]) ? `TypeError: must be real number, not ${pyName(args[0])}` : undefined);

/** complex(r, i) of numbers (isAnyNumber), as CPython's complex_new combines them (r + i*1j without a multiplication); of type `rt`. */
function complexOf(args: KType[], rt: KType): Resolved {
  if (args.length === 0) return { result: rt, argTypes: [], lower: expr(() => 'kr_complex_make(0.0, 0.0)') };
  const [r, i] = args;
  const re = (x: string[]) => (isComplex(r) ? (i && isComplex(i) ? `(${x[0]}.re - ${x[1]}.im)` : `${x[0]}.re`) : i && isComplex(i) ? `(${x[0]} - ${x[1]}.im)` : x[0]);
  const im = (x: string[]) => (!i ? (isComplex(r) ? `${x[0]}.im` : '0.0') : `(${isComplex(i) ? `${x[1]}.re` : x[1]}${isComplex(r) ? ` + ${x[0]}.im` : ''})`);
  // Each part is an argument as it is (OpFacts.rounding 'same'), unless a complex argument is added in.
  const facts: OpFacts | undefined = i && args.some(isComplex) ? undefined : { rounding: 'same' };
  return { result: rt, argTypes: asOperands(args), ...(facts ? { facts } : {}), lower: expr((x) => `kr_complex_make(${re(x)}, ${im(x)})`) };
}

const ops: OpDef[] = [
  {
    target: 'builtins.complex', python: 'complex(real=0, imag=0)', facts: HEADERS,
    signatures: ['number[, number] -> complex', 'complex -> complex'],
    resolve(args) {
      if (args.length > 2) return `TypeError: complex() takes at most 2 arguments (${args.length} given)`;
      if (args.some((t) => t.kind === 'str')) return 'complex() of a str is not compiled: build it from numbers';
      if (!args.every(isAnyNumber)) return `TypeError: complex() first argument must be a string or a number, not '${pyName(args.find((t) => !isAnyNumber(t))!)}'`;
      return complexOf(args, COMPLEX);
    },
  },
  {
    // NumPy's scalar type called: np.complex128(x) is complex(x) as NumPy's scalar; np.complex128(re, im) takes two real numbers.
    target: 'numpy.complex128', python: 'np.complex128(x), np.complex128(re, im)', facts: { ...HEADERS, arrayRuntime: true },
    signatures: ['() -> np.complex128(0j)', 'number or complex -> np.complex128', 'real, real -> np.complex128(re + im*1j)'],
    resolve(args) {
      if (args.length > 2 || !args.every(isAnyNumber)) return 'np.complex128() takes up to two numbers here (of a str it is not compiled)';
      if (args.length === 2 && args.some(isComplex)) return 'TypeError: Could not convert arguments into a complex scalar (np.complex128(re, im) takes two real numbers)';
      return complexOf(args, NP_COMPLEX);
    },
  },
  {
    target: 'attr.real', python: 'z.real', signatures: ['complex -> float', 'np.complex128 -> np.float64', 'float -> float', 'int -> int'],
    resolve([a]) {
      if (isComplex(a)) return { result: isNpComplex(a) ? T.np('float64') : T.float, argTypes: [a], lower: expr((x) => `${x[0]}.re`) };
      if (isReal(a)) return { result: isBool(a) ? T.int : a, argTypes: [isBool(a) ? T.int : a], lower: expr((x) => x[0]) };
      return a.kind === 'array' ? 'a.real of a real array is not compiled (it is the array itself)' : `'${pyName(a)}' object has no attribute 'real'`;
    },
  },
  {
    target: 'attr.imag', python: 'z.imag', signatures: ['complex -> float', 'np.complex128 -> np.float64', 'float -> 0.0', 'int -> 0'],
    resolve([a]) {
      if (isComplex(a)) return { result: isNpComplex(a) ? T.np('float64') : T.float, argTypes: [a], lower: expr((x) => `${x[0]}.im`) };
      if (isReal(a)) return { result: a.kind === 'scalar' && a.name === 'float' ? T.float : T.int, argTypes: [a], lower: expr(() => (a.kind === 'scalar' && a.name === 'float' ? '0.0' : 'INT64_C(0)')) };
      return a.kind === 'array' ? 'a.imag of a real array is not compiled (zeros of its shape)' : `'${pyName(a)}' object has no attribute 'imag'`;
    },
  },
  {
    target: 'method.conjugate', python: 'z.conjugate()', signatures: ['complex -> complex', 'int -> int', 'float -> float'],
    resolve([a, ...rest]) {
      if (rest.length) return `TypeError: conjugate() takes no arguments (${rest.length} given)`;
      if (isComplex(a)) return { result: a, argTypes: [a], facts: HEADERS, lower: expr((x) => `kr_complex_conjugate(${x[0]})`) };
      if (isReal(a)) return { result: isBool(a) ? T.int : a, argTypes: [isBool(a) ? T.int : a], lower: expr((x) => x[0]) };
      return `'${pyName(a)}' object has no attribute 'conjugate'`;
    },
  },
  ...CMATH1.map((name): OpDef => ({
    target: `cmath.${name}`, python: `cmath.${name}(z)`, signatures: ['complex or number -> complex (ValueError/OverflowError "math domain error"/"math range error" as CPython)'], facts: libc(name),
    resolve: (args) => oneNumber(name, args) ?? { result: COMPLEX, argTypes: asOperands(args), lower: call((x, o) => `kr_cmath_${name}(${cz(args[0], x[0])}, &${o})`) },
  })),
  {
    target: 'cmath.log', python: 'cmath.log(z[, base])', signatures: ['complex or number[, base] -> complex'], facts: libc('log'),
    resolve(args) {
      if (args.length === 2 && args.every(isNumberOrComplex)) {
        // log(z) / log(base): a quotient of two complex numbers, no bound per part (OpFacts.libc).
        return { result: COMPLEX, argTypes: asOperands(args), facts: { libc: 'loose' }, lower: call((x, o) => `kr_cmath_log_base(${cz(args[0], x[0])}, ${cz(args[1], x[1])}, &${o})`) };
      }
      return oneNumber('log', args) ?? { result: COMPLEX, argTypes: asOperands(args), lower: call((x, o) => `kr_cmath_log(${cz(args[0], x[0])}, &${o})`) };
    },
  },
  {
    target: 'cmath.phase', python: 'cmath.phase(z)', signatures: ['complex or number -> float'], facts: libc('phase'),
    resolve: (args) => oneNumber('phase', args) ?? { result: T.float, argTypes: asOperands(args), lower: call((x, o) => `kr_cmath_phase(${cz(args[0], x[0])}, &${o})`) },
  },
  {
    target: 'cmath.polar', python: 'cmath.polar(z)', signatures: ['complex or number -> tuple[float, float] (r, phi)'], facts: libc('polar'),
    resolve: (args) => oneNumber('polar', args) ?? { result: T.tuple([T.float, T.float]), argTypes: asOperands(args), lower: call((x, o) => `kr_cmath_polar(${cz(args[0], x[0])}, &${o}.f0, &${o}.f1)`) },
  },
  {
    target: 'cmath.rect', python: 'cmath.rect(r, phi)', signatures: ['number, number -> complex'], facts: libc('rect'),
    resolve: (args) => (args.length !== 2 || !args.every(isReal) ? 'TypeError: cmath.rect() takes two real numbers'
      : { result: COMPLEX, argTypes: [T.float, T.float], lower: call((x, o) => `kr_cmath_rect(${x[0]}, ${x[1]}, &${o})`) }),
  },
  ...(['isfinite', 'isnan', 'isinf'] as const).map((name): OpDef => ({
    target: `cmath.${name}`, python: `cmath.${name}(z)`, signatures: ['complex or number -> bool'], facts: HEADERS,
    resolve: (args) => oneNumber(name, args) ?? { result: T.bool, argTypes: asOperands(args), lower: expr((x) => `kr_cmath_${name}(${cz(args[0], x[0])})`) },
  })),
  {
    target: 'cmath.isclose', python: 'cmath.isclose(a, b, *, rel_tol=1e-09, abs_tol=0.0)', signatures: ['complex or number, complex or number -> bool'],
    facts: {
      ...HEADERS, keywords: ['a', 'b', 'rel_tol', 'abs_tol'],
      defaults: { rel_tol: { kind: 'float', hex: '0x1.12e0be826d695p-30', repr: '1e-09' }, abs_tol: { kind: 'float', hex: '0x0.0p+0', repr: '0.0' } },
    },
    resolve(args) {
      const [a, b, rt, at] = args;
      if (!isNumberOrComplex(a) || !isNumberOrComplex(b) || !isReal(rt) || !isReal(at)) return 'TypeError: cmath.isclose() takes two numbers and real tolerances';
      return { result: T.bool, argTypes: [...asOperands([a, b]), T.float, T.float], lower: call((x, o) => `kr_cmath_isclose(${cz(a, x[0])}, ${cz(b, x[1])}, ${x[2]}, ${x[3]}, &${o})`) };
    },
  },
];

const CONSTANTS: ConstantDef[] = [
  { target: 'cmath.pi', type: T.float, value: Math.PI, c: '3.141592653589793' },
  { target: 'cmath.e', type: T.float, value: Math.E, c: '2.718281828459045' },
  { target: 'cmath.tau', type: T.float, value: 2 * Math.PI, c: '6.283185307179586' },
  { target: 'cmath.inf', type: T.float, value: Infinity, c: 'INFINITY' },
  { target: 'cmath.nan', type: T.float, value: NaN, c: 'NAN' },
  { target: 'cmath.infj', type: COMPLEX, c: 'kr_complex_make(0.0, INFINITY)', facts: HEADERS },
  { target: 'cmath.nanj', type: COMPLEX, c: 'kr_complex_make(0.0, NAN)', facts: HEADERS },
];

export const complexDomain: OpDomain = { name: 'complex', title: 'Complex numbers and the cmath module', ops, overloads, constants: CONSTANTS };
