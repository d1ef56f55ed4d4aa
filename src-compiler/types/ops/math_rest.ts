/**
 * The rest of the math module (math.ts has the libm functions of one or two floats): integer functions
 * (factorial, comb, perm, isqrt, lcm, gcd and hypot of any number of arguments), the special functions (erf, erfc,
 * gamma, lgamma, expm1, log1p, cbrt, exp2, the inverse hyperbolic functions), the float tools (remainder, nextafter,
 * ulp, frexp, ldexp, modf, isclose, degrees, radians) and the functions of a sequence (fsum exact, prod, dist).
 * The C is resources/c/kiln_math.h, tested against CPython (tests/runtime/math.test.ts); CPython's exceptions and
 * messages. Ints are int64 until ints are unbounded: a result past 64 bits raises OverflowError (Kiln's limit).
 */
import { T, cType, isBool, isFloatLike, isPyInt, type KType } from '../types.ts';
import { call, expr, fn1, fn2, pyName, stmts, type OpDef, type OpDomain, type OpFacts, type Overload } from './common.ts';

const HEADERS: OpFacts = { headers: ['kiln_math.h'] };
const isInt = (t: KType | undefined) => !!t && (isPyInt(t) || isBool(t));
const isNumber = (t: KType | undefined) => !!t && t.kind === 'scalar';

const numbers = (name: string, args: KType[], n: number): string | undefined => {
  if (args.length !== n) return `TypeError: math.${name}() takes exactly ${n === 1 ? 'one argument' : `${n} arguments`} (${args.length} given)`;
  const bad = args.find((t) => !isNumber(t));
  return bad ? `TypeError: must be real number, not ${pyName(bad)}` : undefined;
};
const ints = (name: string, args: KType[], n: number): string | undefined => {
  if (args.length !== n) return `TypeError: math.${name}() takes exactly ${n === 1 ? 'one argument' : `${n} arguments`} (${args.length} given)`;
  const bad = args.find((t) => !isInt(t));
  return bad ? `TypeError: '${pyName(bad)}' object cannot be interpreted as an integer` : undefined;
};

/** Fallible functions of one float (domain and range errors as CPython's math_1). */
const FLOAT1_CHECKED: [string, string][] = [
  ['acosh', 'ValueError for x < 1'], ['asinh', ''], ['atanh', 'ValueError for |x| >= 1'], ['cbrt', ''], ['exp2', 'OverflowError on overflow'],
  ['expm1', 'OverflowError on overflow'], ['log1p', 'ValueError for x <= -1'], ['gamma', 'ValueError at 0 and negative integers, OverflowError'],
  ['lgamma', 'ValueError at 0 and negative integers'],
];
/** Functions of one float that never raise. */
const FLOAT1_PURE = ['erf', 'erfc', 'degrees', 'radians', 'ulp'];
/** Those whose result is the C library's (gamma and lgamma: CPython's own, on exp, pow, log and sin), with the bound of
 *  musl's from glibc's in ULPs (OpFacts.libc; tests/runtime/math.test.ts). */
const LIBC: Record<string, number> = {
  acosh: 2, asinh: 2, atanh: 2, cbrt: 4, exp2: 2, expm1: 2, log1p: 2, gamma: 16, lgamma: 16, erf: 2, erfc: 8,
};
const libc = (name: string): OpFacts => (LIBC[name] ? { libc: LIBC[name] } : {});

/** A list of numbers (or a 1-D array) as `const double *` and its length: a list of floats is read in place. */
function doubles(t: KType): { c: (e: string) => string; len: (e: string) => string; ints: boolean } | undefined {
  if (t.kind === 'list' && (t.item.kind === 'none' || (t.item.kind === 'scalar' && (isFloatLike(t.item) || isInt(t.item))))) {
    const ints = t.item.kind !== 'scalar' || !isFloatLike(t.item);
    return { c: (e) => `((const ${t.item.kind === 'none' ? 'int64_t' : cType(t.item)} *)${e}->data)`, len: (e) => `${e}->len`, ints };
  }
  return undefined;
}

const ops: OpDef[] = [
  ...FLOAT1_CHECKED.map(([name, note]): OpDef => ({
    target: `math.${name}`, python: `math.${name}(x)`, signatures: [`number -> float${note ? ` (${note})` : ''}`], facts: { ...HEADERS, ...libc(name) },
    resolve: (args) => numbers(name, args, 1) ?? { result: T.float, argTypes: [T.float], lower: fn1(`kr_math_${name}`) },
  })),
  ...FLOAT1_PURE.map((name): OpDef => ({
    target: `math.${name}`, python: `math.${name}(x)`, signatures: ['number -> float'], facts: { ...HEADERS, ...libc(name), ...(name === 'ulp' || name === 'erfc' ? { nonNegative: 'always' as const } : {}) },
    resolve: (args) => numbers(name, args, 1) ?? { result: T.float, argTypes: [T.float], lower: expr((x) => `kr_math_${name}(${x[0]})`) },
  })),
  {
    target: 'math.remainder', python: 'math.remainder(x, y)', signatures: ['number, number -> float (IEEE remainder; ValueError for y == 0 or infinite x)'], facts: HEADERS,
    resolve: (args) => numbers('remainder', args, 2) ?? { result: T.float, argTypes: [T.float, T.float], lower: fn2('kr_math_remainder') },
  },
  {
    target: 'math.nextafter', python: 'math.nextafter(x, y)', signatures: ['number, number -> float'], facts: HEADERS,
    resolve: (args) => numbers('nextafter', args, 2) ?? { result: T.float, argTypes: [T.float, T.float], lower: expr((x) => `kr_math_nextafter(${x[0]}, ${x[1]})`) },
  },
  {
    target: 'math.ldexp', python: 'math.ldexp(x, i)', signatures: ['number, int -> float (OverflowError "math range error")'], facts: HEADERS,
    resolve([x, i, ...rest]) {
      if (rest.length || !x || !i) return 'TypeError: ldexp expected 2 arguments';
      if (!isNumber(x)) return `TypeError: must be real number, not ${pyName(x)}`;
      if (!isInt(i)) return 'TypeError: Expected an int as second argument to ldexp.';
      return { result: T.float, argTypes: [T.float, T.int], lower: fn2('kr_math_ldexp_i64') };
    },
  },
  {
    target: 'math.frexp', python: 'math.frexp(x)', signatures: ['number -> tuple[float, int] (mantissa in [0.5, 1), exponent)'], facts: HEADERS,
    resolve: (args) => numbers('frexp', args, 1) ?? { result: T.tuple([T.float, T.int]), argTypes: [T.float], lower: stmts((x, o) => [`${o}.f0 = kr_math_frexp(${x[0]}, &${o}.f1);`]) },
  },
  {
    target: 'math.modf', python: 'math.modf(x)', signatures: ['number -> tuple[float, float] (fractional part, integer part)'], facts: HEADERS,
    resolve: (args) => numbers('modf', args, 1) ?? { result: T.tuple([T.float, T.float]), argTypes: [T.float], lower: stmts((x, o) => [`${o}.f0 = kr_math_modf(${x[0]}, &${o}.f1);`]) },
  },
  {
    target: 'math.isclose', python: 'math.isclose(a, b, *, rel_tol=1e-09, abs_tol=0.0)', signatures: ['number, number -> bool (ValueError for a negative tolerance)'],
    facts: {
      ...HEADERS, keywords: ['a', 'b', 'rel_tol', 'abs_tol'],
      defaults: { rel_tol: { kind: 'float', hex: '0x1.12e0be826d695p-30', repr: '1e-09' }, abs_tol: { kind: 'float', hex: '0x0.0p+0', repr: '0.0' } },
    },
    resolve: (args) => numbers('isclose', args, 4) ?? { result: T.bool, argTypes: [T.float, T.float, T.float, T.float], lower: call((x, o) => `kr_math_isclose(${x[0]}, ${x[1]}, ${x[2]}, ${x[3]}, &${o})`) },
  },
  {
    target: 'math.factorial', python: 'math.factorial(n)', signatures: ['int -> int (ValueError for n < 0; OverflowError past 64 bits, n > 20)'], facts: HEADERS,
    resolve: (args) => ints('factorial', args, 1) ?? { result: T.int, argTypes: [T.int], lower: fn1('kr_math_factorial_i64') },
  },
  ...(['comb', 'perm'] as const).map((name): OpDef => ({
    target: `math.${name}`, python: `math.${name}(n, k${name === 'perm' ? '=None' : ''})`,
    signatures: ['int, int -> int (ValueError for negative n or k; 0 when k > n; OverflowError past 64 bits)', ...(name === 'perm' ? ['int -> int (perm(n) = n!)'] : [])], facts: HEADERS,
    resolve(args) {
      if (name === 'perm' && args.length === 1) return ints(name, args, 1) ?? { result: T.int, argTypes: [T.int], lower: call((x, o) => `kr_math_perm_i64(${x[0]}, ${x[0]}, &${o})`) };
      return ints(name, args, 2) ?? { result: T.int, argTypes: [T.int, T.int], lower: fn2(`kr_math_${name}_i64`) };
    },
  })),
  {
    target: 'math.isqrt', python: 'math.isqrt(n)', signatures: ['int -> int (ValueError for n < 0)'], facts: { ...HEADERS, nonNegative: 'always' },
    resolve: (args) => ints('isqrt', args, 1) ?? { result: T.int, argTypes: [T.int], lower: fn1('kr_math_isqrt_i64') },
  },
  {
    target: 'math.lcm', python: 'math.lcm(*integers)', signatures: ['int, ... -> int (lcm() == 1; OverflowError past 64 bits)'], facts: HEADERS,
    resolve(args) {
      const bad = args.find((t) => !isInt(t));
      if (bad) return `TypeError: '${pyName(bad)}' object cannot be interpreted as an integer`;
      if (args.length === 0) return { result: T.int, argTypes: [], lower: expr(() => 'INT64_C(1)') };
      if (args.length === 1) return { result: T.int, argTypes: [T.int], lower: call((x, o) => `kr_math_lcm_i64(${x[0]}, 1, &${o})`) };
      return {
        result: T.int, argTypes: args.map(() => T.int),
        lower: stmts((x, o, cx) => [`${o} = ${x[0]};`, ...x.slice(1).map((v) => cx.try(`kr_math_lcm_i64(${o}, ${v}, &${o})`))]),
      };
    },
  },
  {
    target: 'math.fsum', python: 'math.fsum(iterable)', signatures: ['list[float] or list[int] -> float (exact: the correctly rounded sum, as CPython; ValueError/OverflowError as CPython)'],
    facts: { ...HEADERS, consumesIterable: true, arrayRuntime: true },
    resolve(args) {
      const d = args.length === 1 ? doubles(args[0]) : undefined;
      if (!d) return args.length === 1 ? `math.fsum() of ${pyName(args[0])} is not compiled: pass a list of numbers` : 'TypeError: math.fsum() takes exactly one argument';
      if (!d.ints) return { result: T.float, argTypes: [args[0]], lower: call((x, o) => `kr_math_fsum(${d.c(x[0])}, ${d.len(x[0])}, &${o})`) };
      // ints: each converted to float first, as CPython's fsum does
      return {
        result: T.float, argTypes: [args[0]],
        lower: stmts((x, o, cx) => [
          `{ int64_t kn = ${d.len(x[0])}; double *kv = (double *)malloc((size_t)(kn ? kn : 1) * sizeof(double)); int krc;`,
          `  if (!kv) krc = kr_raise(KILN_MemoryError, ""); else { for (int64_t ki = 0; ki < kn; ki++) kv[ki] = (double)${d.c(x[0])}[ki]; krc = kr_math_fsum(kv, kn, &${o}); }`,
          `  free(kv); ${cx.try('krc')} }`,
        ]),
      };
    },
  },
  {
    target: 'math.prod', python: 'math.prod(iterable, *, start=1)',
    signatures: ['list[int][, start=int] -> int (OverflowError past 64 bits)', 'list[float] (or a float start) -> float (left to right, as CPython)'],
    facts: { ...HEADERS, consumesIterable: true, arrayRuntime: true, keywords: ['/iterable', 'start'], defaults: { start: { kind: 'int', value: '1' } } },
    resolve([l, start]) {
      const d = l ? doubles(l) : undefined;
      if (!d) return `math.prod() of ${l ? pyName(l) : 'nothing'} is not compiled: pass a list of numbers`;
      if (!isNumber(start)) return 'math.prod() takes a number as start';
      if (d.ints && isInt(start)) return { result: T.int, argTypes: [l, T.int], lower: call((x, o) => `kr_math_prod_i64(${d.c(x[0])}, ${d.len(x[0])}, ${x[1]}, &${o})`) };
      if (d.ints) return 'math.prod() of ints with a float start is not compiled: pass a list of floats';
      if (isFloatLike(start)) return { result: T.float, argTypes: [l, T.float], lower: expr((x) => `kr_math_prod_f64(${d.c(x[0])}, ${d.len(x[0])}, ${x[1]})`) };
      // An int start: CPython gives that int back for an empty list (a value-dependent type), a float otherwise.
      return {
        result: T.float, argTypes: [l, T.int],
        lower: stmts((x, o, cx) => [
          `if (${d.len(x[0])} == 0) ${cx.raise('ValueError', '"math.prod() of an empty list of floats: Python gives the int start here (a value-dependent type)"')}`,
          `${o} = kr_math_prod_f64(${d.c(x[0])}, ${d.len(x[0])}, (double)${x[1]});`,
        ]),
      };
    },
  },
  {
    target: 'math.dist', python: 'math.dist(p, q)', signatures: ['two lists of floats, or two tuples of numbers -> float (ValueError when their lengths differ)'],
    facts: { ...HEADERS, nonNegative: 'always' },
    resolve(args) {
      if (args.length !== 2) return `TypeError: dist expected 2 arguments, got ${args.length}`;
      const [p, q] = args;
      if (p.kind === 'tuple' && q.kind === 'tuple') {
        if (![...p.items, ...q.items].every(isNumber)) return 'math.dist() takes tuples of numbers';
        const pa = T.tuple(p.items.map(() => T.float)), qa = T.tuple(q.items.map(() => T.float));
        const arr = (e: string, n: number) => (n ? `(const double[]){${Array.from({ length: n }, (_, i) => `${e}.f${i}`).join(', ')}}` : 'NULL');
        return { result: T.float, argTypes: [pa, qa], lower: call((x, o) => `kr_math_dist(${arr(x[0], p.items.length)}, ${p.items.length}, ${arr(x[1], q.items.length)}, ${q.items.length}, &${o})`) };
      }
      const dp = doubles(p), dq = doubles(q);
      if (!dp || !dq || dp.ints || dq.ints) return 'math.dist() takes two lists of floats or two tuples of numbers';
      return { result: T.float, argTypes: [p, q], lower: call((x, o) => `kr_math_dist(${dp.c(x[0])}, ${dp.len(x[0])}, ${dq.c(x[1])}, ${dq.len(x[1])}, &${o})`) };
    },
  },
];

/** gcd and hypot of any number of arguments (math.ts compiles the two-argument forms). */
const overloads: Overload[] = [
  {
    target: 'math.gcd', signatures: ['int, ... -> int (any number of arguments; gcd() == 0)'],
    resolve(args) {
      if (args.length === 2 || !args.every(isInt)) return undefined;
      if (args.length === 0) return { result: T.int, argTypes: [], lower: expr(() => 'INT64_C(0)') };
      if (args.length === 1) return { result: T.int, argTypes: [T.int], lower: call((x, o) => `kr_gcd_i64(${x[0]}, 0, &${o})`) };
      return { result: T.int, argTypes: args.map(() => T.int), lower: stmts((x, o, cx) => [`${o} = ${x[0]};`, ...x.slice(1).map((v) => cx.try(`kr_gcd_i64(${o}, ${v}, &${o})`))]) };
    },
  },
  {
    target: 'math.hypot', signatures: ['number, ... -> float (any number of coordinates, as CPython\'s vector_norm)'], facts: undefined,
    resolve(args) {
      if (args.length === 2 || !args.every(isNumber)) return undefined;
      if (args.length === 0) return { result: T.float, argTypes: [], lower: expr(() => '0.0') };
      return { result: T.float, argTypes: args.map(() => T.float), lower: call((x, o) => `kr_math_hypot((const double[]){${x.join(', ')}}, ${x.length}, &${o})`), facts: HEADERS };
    },
  },
];

export const mathRest: OpDomain = { name: 'math_rest', title: 'The rest of the math module', ops, overloads };
