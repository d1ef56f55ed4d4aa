/**
 * NumPy complex128 arrays (issue 17: "complex results from NumPy complex dtypes"): made by np.zeros/ones/empty/full
 * with dtype=np.complex128 (or complex) and np.array/np.asarray of a list of complex numbers; + - * / with complex128
 * arrays, real arrays and numbers (NumPy's promotion: a real operand becomes complex(x, 0.0)); unary minus; np.abs
 * (float64), np.real/np.imag and a.real/a.imag (float64 views of the parts: writes through them reach the array),
 * np.conj/np.conjugate/a.conj(); np.exp; whole-array sum and mean; indexing and item stores (indexing.ts, with
 * storeConv's complex case); `z op= x` (inplace.ts: these operators, then the store); astype(complex), the *_like
 * forms and tolist(). Items are `kr_complex` { re, im } (resources/c/kiln_math.h); an item read from an array, a
 * sum and a mean are NumPy's np.complex128 scalar (T.np('complex128'); its arithmetic: complex.ts). Everything else
 * that meets a complex128 array is refused by the registry (index.ts complexArrayGate, OpFacts.complexArrays), so
 * code written for real dtypes never sees one.
 *
 * Bit for bit with NumPy: + and -, division (its Smith's method, kr_np_cdiv), sums and means (its complex pairwise sum).
 * Within a bound (OpFacts.inexact; NumPy's own results depend on the CPU): * (NumPy 2 fuses the products on
 * AVX2/AVX-512, NumPy 1.x does not; Kiln fuses), np.abs (NumPy's SIMD hypot) and np.exp (the C library's cexp).
 */
import { T, cType, isComplexArray, type KType } from '../types.ts';
import { expr, isNone, stmts, type OpDef, type OpDomain, type OpFacts, type Overload, type Resolved } from './common.ts';
import { alloc, dtypeArg, elementwise, shapeArg, type Arr, type Res } from './common_arrays.ts';

const COMPLEX: KType = { kind: 'complex' };
const C128 = 'complex128' as const;
const NP_COMPLEX = T.np(C128);
const NP_FLOAT = T.np('float64');
/** What a resolution that compiles complex128 arrays carries (the registry's gate reads complexArrays). */
const FACTS: OpFacts = { complexArrays: true, arrayRuntime: true, headers: ['kiln_math.h'] };

const isComplex = (t: KType | undefined) => !!t && t.kind === 'complex';
/** A number a complex op takes: a Python or NumPy real number, or a complex. */
const isNumber = (t: KType | undefined) => !!t && (t.kind === 'scalar' || t.kind === 'complex');
/** An operand's item as a kr_complex: a complex as is, a real item or number as complex(x, 0.0) (NumPy's cast). */
const asComplex = (t: KType, e: string) => (isComplex(t) || isComplexArray(t) ? e : `kr_complex_make((double)(${e}), 0.0)`);
const done = (r: Omit<Resolved, 'facts'>, facts: OpFacts = {}): Resolved => ({ ...r, facts: { ...FACTS, ...facts } });

// ---- element-wise operators ------------------------------------------------------------------------------

const BINARY: Record<string, { c: (a: string, b: string) => string; facts?: OpFacts; bool?: true }> = {
  '_operator.eq': { c: (a, b) => `kr_complex_eq(${a}, ${b})`, bool: true },
  '_operator.ne': { c: (a, b) => `(!kr_complex_eq(${a}, ${b}))`, bool: true },
  '_operator.add': { c: (a, b) => `kr_complex_add(${a}, ${b})` },
  '_operator.sub': { c: (a, b) => `kr_complex_sub(${a}, ${b})` },
  '_operator.mul': { c: (a, b) => `kr_np_cmul(${a}, ${b})`, facts: { inexact: { kind: 'ulps', kiln: 2, numpy: 2 } } },
  '_operator.truediv': { c: (a, b) => `kr_np_cdiv(${a}, ${b})` },
};

/**
 * `x OP y` where a complex128 array takes part, or a complex number meets an array: a new complex128 array (== and !=:
 * a bool array, both parts compared). A float32 array with a complex number would be NumPy's complex64: refused.
 */
function binary(target: string): Overload {
  const op = BINARY[target];
  return {
    target, signatures: [`complex128 array with a complex128 or real array or a number, or a complex with a real array -> ${op.bool ? 'bool' : 'complex128'} array (NumPy's items)`],
    resolve(args): Res | undefined {
      if (args.length !== 2 || !args.some((t) => t.kind === 'array') || !args.some((t) => isComplexArray(t) || isComplex(t))) return undefined;
      if (!args.every((t) => t.kind === 'array' || isNumber(t))) return undefined;
      if (!args.some(isComplexArray) && args.some((t) => t.kind === 'array' && t.dtype === 'float32')) {
        return 'a complex number with a float32 array makes NumPy\'s complex64, which is not compiled: convert with .astype(np.float64) first';
      }
      const nd = Math.max(...args.map((t) => (t.kind === 'array' ? t.ndim : 0)));
      const rd = op.bool ? 'bool' : C128;
      return done({
        result: T.array(rd, nd), argTypes: args,
        lower: elementwise(args, rd, (v) => op.c(asComplex(args[0], v[0]), asComplex(args[1], v[1]))),
      }, op.facts);
    },
  };
}

/** `-a` of a complex128 array. */
const neg: Overload = {
  target: '_operator.neg', signatures: ['complex128 array -> complex128 array'],
  resolve: ([a]) => (isComplexArray(a) ? done({ result: a, argTypes: [a], lower: elementwise([a], C128, (v) => `kr_complex_neg(${v[0]})`) }) : undefined),
};

/**
 * abs(a), np.abs(a), np.absolute(a): the float64 magnitudes (NumPy's SIMD hypot, kr_np_cabs); np.abs of one complex
 * (an item) is NumPy's scalar hypot, the C library's, with no OverflowError (abs() of a complex is complex.ts's).
 */
const magnitude = (target: string): Overload => ({
  target, signatures: ['complex128 array -> float64 array (NumPy\'s hypot; within 1 ULP where NumPy\'s CPU does not fuse)', ...(target === 'builtins.abs' ? [] : ['complex -> np.float64 (hypot)'])],
  resolve([a]) {
    const inexact: OpFacts = { inexact: { kind: 'ulps', kiln: 1, numpy: 1 } };
    if (target !== 'builtins.abs' && isComplex(a)) return done({ result: NP_FLOAT, argTypes: [COMPLEX], lower: expr((x) => `hypot(${x[0]}.re, ${x[0]}.im)`) }, inexact);
    return isComplexArray(a) ? done({ result: T.array('float64', (a as Arr).ndim), argTypes: [a], lower: elementwise([a], 'float64', (v) => `kr_np_cabs(${v[0]})`) }, inexact) : undefined;
  },
});

/** np.exp(a) of a complex128 array. */
const exp: Overload = {
  target: 'numpy.exp', signatures: ['complex128 array -> complex128 array (cmath\'s exp per item; NumPy\'s is the C library\'s cexp)'],
  resolve: ([a, ...rest]) => (isComplexArray(a) && rest.every(isNone) ? done({
    result: a, argTypes: [a, ...rest], lower: elementwise([a], C128, (v) => `kr_np_cexp(${v[0]})`),
  }, { inexact: { kind: 'ulps', kiln: 2, numpy: 2 } }) : undefined),
};

/** np.conj(a), a.conj(), a.conjugate(): a new complex128 array. */
const conjugate = (a: KType, rest: KType[]): Res | undefined => (isComplexArray(a) && rest.every(isNone) ? done({
  result: a, argTypes: [a, ...rest], lower: elementwise([a], C128, (v) => `kr_complex_conjugate(${v[0]})`),
}) : undefined);

/**
 * a.real / a.imag, np.real(a) / np.imag(a): a float64 view of one part (NumPy's views: the same memory, strides
 * doubled in doubles), so writes through either reach the other.
 */
function part(which: 're' | 'im', a: KType): Res | undefined {
  if (!isComplexArray(a)) return undefined;
  const nd = (a as Arr).ndim;
  return done({
    result: T.array('float64', nd), argTypes: [a],
    lower: stmts((x, out) => [
      `${out}.data = (double *)${x[0]}.data${which === 'im' ? ' + 1' : ''};`,
      `for (int k = 0; k < 3; k++) { ${out}.shape[k] = ${x[0]}.shape[k]; ${out}.strides[k] = 2 * ${x[0]}.strides[k]; }`,
    ]),
  }, { aliases: 'all' });
}

// ---- reductions ---------------------------------------------------------------------------------------------

/** np.sum(a) / a.sum() and np.mean(a) / a.mean() of a whole complex128 array (no axis, dtype, out or keepdims). */
function reduction(name: 'sum' | 'mean', target: string): Overload {
  return {
    target, signatures: [`complex128 array -> np.complex128 (NumPy's pairwise sum${name === 'mean' ? ', divided by the count as NumPy divides a complex' : ''})`],
    resolve([a, ...rest]): Res | undefined {
      if (!isComplexArray(a)) return undefined;
      if (!rest.every(isNone)) return `${name}() of a complex128 array is compiled over the whole array only (no axis=, dtype=, out= or keepdims=)`;
      const nd = (a as Arr).ndim;
      return done({
        result: NP_COMPLEX, argTypes: [a, ...rest],
        lower: stmts((x, out) => [
          `{ int64_t ks3[3], kv[3]; kr_shape3(${x[0]}.shape, ${nd}, ks3); kr_view3(${x[0]}.shape, ${x[0]}.strides, ${nd}, ${nd}, kv);`,
          name === 'sum' ? `  ${out} = kr_np_csum3(${x[0]}.data, ks3, kv); }`
            // NumPy's mean: the sum divided by the count as a complex (its Smith's division by complex(n, 0.0)).
            : `  ${out} = kr_np_cdiv(kr_np_csum3(${x[0]}.data, ks3, kv), kr_complex_make((double)kr_size(${x[0]}.shape, ${nd}), 0.0)); }`,
        ]),
      });
    },
  };
}

// ---- creation -------------------------------------------------------------------------------------------------

/** np.zeros/ones/empty(shape, dtype=np.complex128), np.full(shape, value, dtype=complex) or with a complex fill value. */
function filled(name: 'zeros' | 'ones' | 'empty' | 'full'): Overload {
  return {
    target: `numpy.${name}`, signatures: [`shape${name === 'full' ? ', number or complex' : ''}, dtype=np.complex128 or complex -> complex128 array`],
    resolve(args): Res | undefined {
      const [shape, fill] = args;
      const dt = args[name === 'full' ? 2 : 1];
      const complexFill = name === 'full' && isComplex(fill) && isNone(dt);
      if (!complexFill && dtypeArg(dt, 'float64', true) !== C128) return undefined;
      if (name === 'full' && !isNumber(fill)) return 'np.full() takes a number as fill value';
      const s = shapeArg(shape);
      if (typeof s === 'string') return s;
      return done({
        result: T.array(C128, s.nd), argTypes: args,
        lower: stmts((a, out, cx) => {
          const lines = ['{', '  int64_t ksh[3] = {1, 1, 1};', `  ${s.fill(a[0])}`, `  ${alloc(out, 'ksh', s.nd, C128, name === 'zeros' || name === 'empty', cx)}`];
          if (name === 'ones' || name === 'full') {
            const v = name === 'ones' ? 'kr_complex_make(1.0, 0.0)' : asComplex(fill, a[1]);
            lines.push(`  int64_t kn = kr_size(ksh, ${s.nd}); kr_complex kfill = ${v};`, `  for (int64_t k = 0; k < kn; k++) ${out}.data[k] = kfill;`);
          }
          return [...lines, '}'];
        }),
      }, { sizedByArgs: true });
    },
  };
}

/** A new C-contiguous complex128 copy of an array (a real one's items as complex(x, 0.0), NumPy's cast). */
function complexCopy(src: Arr, args: KType[]): Resolved {
  const nd = src.ndim;
  return done({
    result: T.array(C128, nd), argTypes: args,
    lower: stmts((a, out, cx) => [
      '{', `  ${alloc(out, `${a[0]}.shape`, nd, C128, false, cx)}`,
      `  int64_t ks3[3], kv[3], ko = 0; kr_shape3(${a[0]}.shape, ${nd}, ks3); kr_view3(${a[0]}.shape, ${a[0]}.strides, ${nd}, ${nd}, kv);`,
      `  for (int64_t i0 = 0; i0 < ks3[0]; i0++) for (int64_t i1 = 0; i1 < ks3[1]; i1++) for (int64_t i2 = 0; i2 < ks3[2]; i2++) ${out}.data[ko++] = ${asComplex(src, `${a[0]}.data[i0 * kv[0] + i1 * kv[1] + i2 * kv[2]]`)};`,
      '}',
    ]),
  });
}

/** a.astype(np.complex128) (or complex) of any array; a complex128 array into a real dtype is refused (NumPy drops the imaginary parts with a warning). */
const astype: Overload = {
  target: 'method.astype', signatures: ['array, np.complex128 or complex -> complex128 copy'],
  resolve([a, d]): Res | undefined {
    if (a?.kind !== 'array' || (!isComplexArray(a) && dtypeArg(d, 'float64', true) !== C128)) return undefined;
    if (dtypeArg(d, 'float64', true) !== C128) return 'astype() of a complex128 array into a real dtype is not compiled (NumPy drops the imaginary parts with a ComplexWarning): take np.real(z) or np.abs(z)';
    return complexCopy(a, [a, d]);
  },
};

/** np.zeros_like / ones_like / empty_like of a complex128 array, or of any array with dtype=complex. */
function like(name: 'zeros_like' | 'ones_like' | 'empty_like'): Overload {
  return {
    target: `numpy.${name}`, signatures: ['complex128 array (or dtype=np.complex128) -> new complex128 array of its shape'],
    resolve([a, d]): Res | undefined {
      if (a?.kind !== 'array' || !(isComplexArray(a) ? isNone(d) || dtypeArg(d, 'float64', true) === C128 : dtypeArg(d, 'float64', true) === C128)) return undefined;
      return done({
        result: T.array(C128, a.ndim), argTypes: [a, d],
        lower: stmts((x, out, cx) => [
          alloc(out, `${x[0]}.shape`, a.ndim, C128, name !== 'ones_like', cx),
          ...(name === 'ones_like' ? [`{ int64_t kn = kr_size(${out}.shape, ${a.ndim}); for (int64_t k = 0; k < kn; k++) ${out}.data[k] = kr_complex_make(1.0, 0.0); }`] : []),
        ]),
      });
    },
  };
}

/** z.tolist() of a 1-D complex128 array: a list of Python complex numbers. */
const tolist: Overload = {
  target: 'method.tolist', signatures: ['1-D complex128 array -> list[complex]'],
  resolve: ([a]) => (isComplexArray(a) && (a as Arr).ndim === 1 ? done({
    result: T.list(COMPLEX), argTypes: [a],
    lower: stmts((x, out, cx) => [`${out} = kr_list_new(${x[0]}.shape[0], sizeof(kr_complex)); if (!${out}) ${cx.try('-1')}`,
      `for (int64_t k = 0; k < ${x[0]}.shape[0]; k++) ((kr_complex *)${out}->data)[k] = ${x[0]}.data[k * ${x[0]}.strides[0]];`]),
  }) : undefined),
};

/**
 * np.array / np.asarray of a list of complex numbers (or of real numbers with dtype=complex), and of a complex128
 * array (np.asarray: the array itself; np.array: a copy) or of a real array with dtype=complex.
 */
function arrayFrom(name: 'array' | 'asarray'): Overload {
  return {
    target: `numpy.${name}`, signatures: [`list[complex] (or numbers with dtype=complex) -> 1-D complex128 array; complex128 array -> ${name === 'asarray' ? 'itself' : 'a copy'}`],
    resolve(args): Res | undefined {
      const [src, dt] = args;
      const asked = !isNone(dt) && dtypeArg(dt, 'float64', true) === C128;
      if (src?.kind === 'array' && (isComplexArray(src) || asked)) {
        if (!isNone(dt) && !asked) return `np.${name}() of a complex128 array into a real dtype is not compiled (NumPy drops the imaginary parts with a warning)`;
        if (name === 'asarray' && isComplexArray(src)) return done({ result: src, argTypes: args, lower: expr((a) => a[0]) }, { aliases: 'all' });
        return complexCopy(src, args);
      }
      if (src?.kind !== 'list' || !(isComplex(src.item) || (asked && src.item.kind === 'scalar'))) return undefined;
      if (!isNone(dt) && !asked) return `np.${name}() of a list of complex numbers into a real dtype is not compiled (NumPy raises TypeError)`;
      const item = src.item;
      const et = cType(item);
      return done({
        result: T.array(C128, 1), argTypes: args,
        lower: stmts((a, out, cx) => [
          // NumPy makes float64 of an empty list: the item type of the list does not reach it.
          `{ int64_t kn = ${a[0]}->len; if (kn == 0) ${cx.raise('ValueError', `"np.${name}() of an empty list: NumPy gives a float64 array here, not complex128"`)}`,
          `  ${alloc(out, '&kn', 1, C128, false, cx)}`,
          `  for (int64_t k = 0; k < kn; k++) ${out}.data[k] = ${asComplex(item, `((${et} *)${a[0]}->data)[k]`)}; }`,
        ]),
      });
    },
  };
}

// ---- the domain ------------------------------------------------------------------------------------------------

const NUMPY: OpFacts = { arrayRuntime: true };

const ops: OpDef[] = [
  ...(['real', 'imag'] as const).map((p): OpDef => ({
    target: `numpy.${p}`, python: `np.${p}(a)`, facts: { ...NUMPY, aliases: 'all' },
    signatures: [`complex128 array -> float64 view of the ${p === 'real' ? 'real' : 'imaginary'} parts`, 'complex -> float (its attribute)', 'np.complex128 -> np.float64'],
    resolve([a]) {
      if (isComplex(a)) return { result: a.kind === 'complex' && a.np ? NP_FLOAT : T.float, argTypes: [a], lower: expr((x) => `${x[0]}.${p === 'real' ? 're' : 'im'}`) };
      return part(p === 'real' ? 're' : 'im', a) ?? `np.${p}() is compiled for complex128 arrays and complex numbers`;
    },
  })),
  ...(['conj', 'conjugate'] as const).map((n): OpDef => ({
    target: `numpy.${n}`, python: `np.${n}(a)`, facts: { ...NUMPY, ufunc: true, keywords: ['x', 'out', 'where'] },
    signatures: ['complex128 array -> complex128 array', 'complex -> np.complex128 (the ufunc\'s scalar)'],
    resolve([a, ...rest]) {
      if (isComplex(a) && rest.every(isNone)) return { result: NP_COMPLEX, argTypes: [a, ...rest], facts: { headers: ['kiln_math.h'] }, lower: expr((x) => `kr_complex_conjugate(${x[0]})`) };
      return conjugate(a, rest) ?? `np.${n}() is compiled for complex128 arrays and complex numbers`;
    },
  })),
  {
    target: 'method.conj', python: 'a.conj()', signatures: ['complex128 array -> complex128 array', 'np.complex128 -> np.complex128'],
    resolve([a, ...rest]) {
      // A Python complex has no conj() (AttributeError): only NumPy's scalar does.
      if (a?.kind === 'complex' && a.np && !rest.length) return { result: a, argTypes: [a], facts: { headers: ['kiln_math.h'] }, lower: expr((x) => `kr_complex_conjugate(${x[0]})`) };
      return conjugate(a, rest) ?? `'${a ? a.kind : 'None'}' object has no attribute 'conj' (compiled for complex128 arrays and complex numbers)`;
    },
  },
];

const overloads: Overload[] = [
  ...Object.keys(BINARY).map(binary),
  neg,
  magnitude('builtins.abs'), magnitude('numpy.abs'), magnitude('numpy.absolute'),
  exp,
  { target: 'method.conjugate', signatures: ['complex128 array -> complex128 array'], resolve: ([a, ...rest]) => conjugate(a, rest) },
  { target: 'attr.real', signatures: ['complex128 array -> float64 view of the real parts'], resolve: ([a]) => part('re', a) },
  { target: 'attr.imag', signatures: ['complex128 array -> float64 view of the imaginary parts'], resolve: ([a]) => part('im', a) },
  reduction('sum', 'numpy.sum'), reduction('sum', 'method.sum'), reduction('mean', 'numpy.mean'), reduction('mean', 'method.mean'),
  filled('zeros'), filled('ones'), filled('empty'), filled('full'),
  arrayFrom('array'), arrayFrom('asarray'), astype, like('zeros_like'), like('ones_like'), like('empty_like'), tolist,
];

export const complexArrays: OpDomain = { name: 'complex_arrays', title: 'NumPy complex128 arrays', ops, overloads };
