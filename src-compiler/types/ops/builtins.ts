/** Python's built-in functions on numbers and tuples (their forms over lists and arrays are in sequences.ts). */
import { SCALARS, T, isBool, isFloatLike, isIntLike, isNumpy, isPyFloat, isPyInt, typeToString, unionOf, type KType } from '../types.ts';
import {
  POWER_NOTES, POWER_SIGNATURES, call, convert, expr, fn1, fn2, isPyNumber, isScalarType, pyCommon, pyName, resolvePower, scalarName,
  stmts, truthExpr, typeError, type OpDef, type OpDomain, type OpLookup, type Resolved,
} from './common.ts';

/**
 * CPython's TypeError for min()/max() with a None: it compares each item with the best so far (`item < best`),
 * so the first None meets the best of the items before it (exact when those have one type).
 */
function minMaxNoneError(name: 'min' | 'max', args: KType[]): string | undefined {
  const k = args.findIndex((t) => t.kind === 'none');
  if (k < 0) return undefined;
  const sym = name === 'min' ? '<' : '>';
  const at = k === 0 ? 1 : k;
  const before = k === 0 ? [args[0]] : args.slice(0, k);
  if (new Set(before.map(typeToString)).size > 1) return `${name}() of ${args.map(typeToString).join(', ')}: which item CPython compares with None depends on the values`;
  return `'${sym}' not supported between instances of '${pyName(args[at])}' and '${pyName(before[0])}'`;
}

/**
 * min()/max() of Python numbers of different types (`min(0, x / 2)`): the result is the item Python picks, of its
 * own type, so an `int | float` (or with bool). As CPython: the best so far is replaced by a later item only when
 * that item compares less (min) or greater (max), exactly (an int and a float compare without rounding).
 */
function mixedMinMax(name: 'min' | 'max', args: KType[], ops: OpLookup): Resolved | string {
  const result = unionOf(args);
  if (typeof result === 'string' || result.kind !== 'union') return `${name}() of ${args.map(typeToString).join(', ')} is not compiled`;
  const cmp = ops(name === 'min' ? '_operator.lt' : '_operator.gt')!;
  const better = (i: number, j: number, x: string[]): string => {
    const r = cmp.resolve([args[i], args[j]], []) as Resolved;
    const conv = [i, j].map((k, n) => convert(x[k], args[k], r.argTypes[n]));
    if (!conv.every((c) => 'expr' in c) || r.lower.kind !== 'expr') throw new Error('internal: a mixed min/max comparison is not an expression');
    return r.lower.emit(conv.map((c) => (c as { expr: string }).expr));
  };
  const u = result;
  return {
    result: u, argTypes: args,
    lower: stmts((x, out) => {
      const lines = ['{', '  int kiln_best = 0;'];
      for (let k = 1; k < args.length; k++) {
        const parts = Array.from({ length: k }, (_, j) => better(k, j, x));
        const test = `${parts.slice(0, -1).map((p, j) => `kiln_best == ${j} ? ${p} : `).join('')}${parts[k - 1]}`;
        lines.push(`  if (${test}) kiln_best = ${k};`);
      }
      const box = (k: number) => convert(x[k], args[k], u) as { expr: string };
      lines.push(`  ${out} = ${args.slice(0, -1).map((_, k) => `kiln_best == ${k} ? ${box(k).expr} : `).join('')}${box(args.length - 1).expr};`, '}');
      return lines;
    }),
  };
}

const ops: OpDef[] = [
  {
    target: 'builtins.abs', python: 'abs(x)', signatures: ['int -> int', 'float -> float', 'bool -> int'], facts: { nonNegative: 'always' },
    resolve([a]) {
      if (!isScalarType(a)) return `bad operand type for abs(): '${pyName(a)}'`;
      if (isPyInt(a) || isBool(a)) return { result: T.int, argTypes: [T.int], lower: fn1('kr_abs_i64') };
      if (isFloatLike(a)) return { result: a, argTypes: [a], lower: expr((x) => `${scalarName(a) === 'float32' ? 'fabsf' : 'fabs'}(${x[0]})`) };
      const c = SCALARS[scalarName(a)!].c;
      return { result: a, argTypes: [a], lower: expr((x) => `((${c})((${x[0]}) < 0 ? 0 - (uint64_t)(${x[0]}) : (uint64_t)(${x[0]})))`) };
    },
  },
  ...(['min', 'max'] as const).map((name): OpDef => ({
    target: `builtins.${name}`, python: `${name}(a, b, ...)`,
    signatures: ['2 or more numbers of one type -> that type (NaN handled as Python: the first of equals wins)', 'numbers of mixed types -> the one Python picks, of its own type (int | float, np.float64 | int, ...)'],
    facts: { consumesIterable: true },
    resolve(args, _consts, ops) {
      if (args.length < 2) return `${name}() with one argument iterates it; only ${name}(a, b, ...) of numbers is compiled`;
      const noneError = minMaxNoneError(name, args);
      if (noneError) return noneError;
      if (!args.every(isScalarType)) return `${name}() of ${args.map(typeToString).join(', ')} is not compiled`;
      if (new Set(args.map(typeToString)).size > 1) return mixedMinMax(name, args, ops);
      const sym = name === 'max' ? '>' : '<';
      return {
        result: args[0], argTypes: args,
        lower: expr((x) => x.slice(1).reduce((best, item) => `((${item}) ${sym} (${best}) ? (${item}) : (${best}))`, x[0])),
      };
    },
  })),
  {
    target: 'builtins.int', python: 'int(x)', signatures: ['int|bool -> int', 'float -> int (truncates; ValueError for NaN, OverflowError for inf)'],
    resolve(args) {
      if (args.length !== 1) return 'int() takes exactly one number here';
      const [a] = args;
      if (a.kind === 'none') return `int() argument must be a string, a bytes-like object or a real number, not 'NoneType'`;
      if (!isScalarType(a)) return `int() argument must be a number, not '${pyName(a)}'`;
      if (isFloatLike(a)) return { result: T.int, argTypes: [T.float], lower: fn1('kr_trunc_f64', { kind: 'floatToInt', arg: 0, value: (x) => `kr_f64_to_i64_raw(${x[0]})` }) };
      if (scalarName(a) === 'uint64') return { result: T.int, argTypes: [a], lower: call((x, o) => `((${x[0]}) > (uint64_t)INT64_MAX ? kr_raise(KILN_OverflowError, kr_int_overflow_msg) : ((${o} = (int64_t)(${x[0]})), 0))`) };
      return { result: T.int, argTypes: [T.int], lower: expr((x) => x[0]) };
    },
  },
  {
    target: 'builtins.float', python: 'float(x)', signatures: ['number -> float'],
    resolve(args) {
      if (args.length === 1 && args[0].kind === 'none') return `float() argument must be a string or a real number, not 'NoneType'`;
      if (args.length !== 1 || !isScalarType(args[0])) return 'float() takes exactly one number here';
      return { result: T.float, argTypes: [T.float], lower: expr((x) => x[0]) };
    },
  },
  {
    target: 'builtins.bool', python: 'bool(x)', signatures: ['any -> bool (truthiness)'], facts: { takesUnions: true },
    resolve(args) {
      if (args.length !== 1) return 'bool() takes exactly one argument here';
      return { result: T.bool, argTypes: [args[0]], lower: expr((x) => truthExpr(x[0], args[0])) };
    },
  },
  {
    target: 'builtins.round', python: 'round(x[, n])', signatures: ['float -> int (half to even)', 'float, int -> float (correctly rounded)', 'int[, int] -> int'],
    resolve(args) {
      const [a, n] = args;
      if (args.length >= 1 && a.kind === 'none') return `type NoneType doesn't define __round__ method`;
      if (args.length < 1 || args.length > 2 || !isScalarType(a)) return 'round() takes a number and an optional int';
      if (n && !isIntLike(n)) return `'${pyName(n)}' object cannot be interpreted as an integer`;
      if (isNumpy(a)) return 'round() of NumPy scalars is not compiled yet; convert with float() first';
      if (!n) {
        if (isPyFloat(a)) return { result: T.int, argTypes: [T.float], lower: fn1('kr_round_f64') };
        return { result: T.int, argTypes: [T.int], lower: expr((x) => x[0]) };
      }
      if (isPyFloat(a)) return { result: T.float, argTypes: [T.float, T.int], lower: fn2('kr_round_f64_nd') };
      return { result: T.int, argTypes: [T.int, T.int], lower: fn2('kr_round_i64_nd') };
    },
  },
  {
    target: 'builtins.divmod', python: 'divmod(a, b)', signatures: ['int, int -> tuple[int, int]', 'float|int, float|int -> tuple[float, float]'],
    resolve(args) {
      const [a, b] = args;
      if (args.length !== 2 || !isPyNumber(a) || !isPyNumber(b)) return typeError('divmod()', args);
      const c = pyCommon(a, b);
      const f = isPyFloat(c) ? 'f64' : 'i64';
      return { result: T.tuple([c, c]), argTypes: [c, c], lower: call((x, o) => `kr_divmod_${f}(${x[0]}, ${x[1]}, &${o}.f0, &${o}.f1)`) };
    },
  },
  { target: 'builtins.pow', python: 'pow(a, b[, m])', signatures: POWER_SIGNATURES, notes: POWER_NOTES, resolve: resolvePower },
  {
    target: 'builtins.len', python: 'len(t)', signatures: ['tuple -> int (a constant)'], facts: { asArray: true },
    resolve(args) {
      const [a] = args;
      if (args.length !== 1 || a.kind !== 'tuple') return `object of type '${pyName(a)}' has no len()`;
      return { result: T.int, argTypes: [a], lower: expr(() => `INT64_C(${a.items.length})`) };
    },
  },
];

export const builtins: OpDomain = { name: 'builtins', title: 'Built-in functions', ops };
