/** The math module: functions of floats (raising as CPython's do) and its constants. */
import { T, isBool, isFloatLike, isPyInt, type KType } from '../types.ts';
import { expr, fn1, fn2, isScalarType, pyName, type ConstantDef, type OpDef, type OpDomain, type OpFacts } from './common.ts';

const MATH1_DOUBLE: [string, string][] = [
  ['sqrt', 'ValueError for x < 0'], ['exp', 'OverflowError on overflow'], ['log2', 'ValueError for x <= 0'],
  ['log10', 'ValueError for x <= 0'], ['sin', 'ValueError for inf'], ['cos', 'ValueError for inf'], ['tan', 'ValueError for inf'],
  ['asin', 'ValueError outside [-1, 1]'], ['acos', 'ValueError outside [-1, 1]'], ['atan', ''], ['sinh', 'OverflowError on overflow'],
  ['cosh', 'OverflowError on overflow'], ['tanh', ''],
];
/** Functions whose float result is never negative. */
const NON_NEGATIVE: OpFacts = { nonNegative: 'always' };
/** The C library's functions, with a bound on musl's distance from glibc's in ULPs (OpFacts.libc; docs/design/numbers.md
 *  measured at most sinh 2, tanh 3, the others 1; sqrt is correctly rounded everywhere). */
const LIBC: Record<string, number> = { sinh: 2, tanh: 4 };
const libc = (name: string): OpFacts => ({ libc: LIBC[name] ?? 2 });

const numberArgs = (name: string, args: KType[], n: number[]): string | undefined => {
  if (!n.includes(args.length)) return `math.${name}() takes ${n.join(' or ')} argument(s) here`;
  const bad = args.find((t) => !isScalarType(t));
  return bad ? `must be real number, not ${pyName(bad)}` : undefined;
};

const ops: OpDef[] = [
  ...MATH1_DOUBLE.map(([name, note]): OpDef => ({
    target: `math.${name}`, python: `math.${name}(x)`, signatures: [`number -> float${note ? ` (${note})` : ''}`],
    facts: { ...(name === 'sqrt' || name === 'exp' || name === 'cosh' ? NON_NEGATIVE : {}), ...(name === 'sqrt' ? {} : libc(name)) },
    resolve(args) {
      const check = name === 'sqrt' ? { kind: 'negative' as const, arg: 0, value: (x: string[]) => `sqrt(${x[0]})` } : undefined;
      return numberArgs(name, args, [1]) ?? { result: T.float, argTypes: [T.float], lower: fn1(`kr_${name}`, check) };
    },
  })),
  {
    target: 'math.log', python: 'math.log(x[, base])', signatures: ['number -> float', 'number, number -> float (ValueError for x <= 0)'], facts: libc('log'),
    resolve(args) {
      return numberArgs('log', args, [1, 2]) ?? (args.length === 1
        ? { result: T.float, argTypes: [T.float], lower: fn1('kr_log') }
        : { result: T.float, argTypes: [T.float, T.float], lower: fn2('kr_log_base') });
    },
  },
  ...(['floor', 'ceil', 'trunc'] as const).map((name): OpDef => ({
    target: `math.${name}`, python: `math.${name}(x)`, signatures: ['float -> int (ValueError for NaN, OverflowError for inf)', 'int -> int'],
    resolve(args) {
      const bad = numberArgs(name, args, [1]);
      if (bad) return bad;
      if (isFloatLike(args[0])) return { result: T.int, argTypes: [T.float], lower: fn1(`kr_${name}_f64`) };
      return { result: T.int, argTypes: [T.int], lower: expr((x) => x[0]) };
    },
  })),
  {
    target: 'math.fabs', python: 'math.fabs(x)', signatures: ['number -> float'], facts: NON_NEGATIVE,
    resolve(args) {
      return numberArgs('fabs', args, [1]) ?? { result: T.float, argTypes: [T.float], lower: expr((x) => `fabs(${x[0]})`) };
    },
  },
  ...(['isnan', 'isinf', 'isfinite'] as const).map((name): OpDef => ({
    target: `math.${name}`, python: `math.${name}(x)`, signatures: ['number -> bool'],
    resolve(args) {
      const bad = numberArgs(name, args, [1]);
      if (bad) return bad;
      if (!isFloatLike(args[0])) return { result: T.bool, argTypes: [args[0]], lower: expr(() => (name === 'isfinite' ? '1' : '0')) };
      return { result: T.bool, argTypes: [T.float], lower: expr((x) => `((bool)${name}(${x[0]}))`) };
    },
  })),
  {
    target: 'math.pow', python: 'math.pow(x, y)', signatures: ['number, number -> float (ValueError/OverflowError as CPython)'], facts: libc('pow'),
    resolve(args) {
      return numberArgs('pow', args, [2]) ?? { result: T.float, argTypes: [T.float, T.float], lower: fn2('kr_math_pow') };
    },
  },
  {
    target: 'math.atan2', python: 'math.atan2(y, x)', signatures: ['number, number -> float'], facts: libc('atan2'),
    resolve(args) {
      return numberArgs('atan2', args, [2]) ?? { result: T.float, argTypes: [T.float, T.float], lower: fn2('kr_atan2') };
    },
  },
  {
    target: 'math.hypot', python: 'math.hypot(x, y)', signatures: ['number, number -> float'], facts: NON_NEGATIVE,
    resolve(args) {
      return numberArgs('hypot', args, [2]) ?? { result: T.float, argTypes: [T.float, T.float], lower: expr((x) => `kr_hypot(${x[0]}, ${x[1]})`) };
    },
  },
  {
    target: 'math.copysign', python: 'math.copysign(x, y)', signatures: ['number, number -> float'],
    resolve(args) {
      return numberArgs('copysign', args, [2]) ?? { result: T.float, argTypes: [T.float, T.float], lower: expr((x) => `copysign(${x[0]}, ${x[1]})`) };
    },
  },
  {
    target: 'math.fmod', python: 'math.fmod(x, y)', signatures: ['number, number -> float (ValueError when y is 0)'],
    resolve(args) {
      return numberArgs('fmod', args, [2]) ?? { result: T.float, argTypes: [T.float, T.float], lower: fn2('kr_fmod') };
    },
  },
  {
    target: 'math.gcd', python: 'math.gcd(a, b)', signatures: ['int, int -> int'],
    resolve(args) {
      if (args.length !== 2 || !args.every((t) => isPyInt(t) || isBool(t))) return 'math.gcd() takes two ints here';
      return { result: T.int, argTypes: [T.int, T.int], lower: fn2('kr_gcd_i64') };
    },
  },
];

/** Constants read as `math.pi`, `from math import pi`, ... */
export const MATH_CONSTANTS: ConstantDef[] = [
  { target: 'math.pi', type: T.float, value: Math.PI, c: '3.141592653589793' },
  { target: 'math.e', type: T.float, value: Math.E, c: '2.718281828459045' },
  { target: 'math.tau', type: T.float, value: 2 * Math.PI, c: '6.283185307179586' },
  { target: 'math.inf', type: T.float, value: Infinity, c: 'INFINITY' },
  { target: 'math.nan', type: T.float, value: NaN, c: 'NAN' },
];

export const math: OpDomain = { name: 'math', title: 'The math module', ops, constants: MATH_CONSTANTS };
