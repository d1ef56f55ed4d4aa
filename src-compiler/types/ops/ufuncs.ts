/**
 * Element-wise NumPy: the operators on arrays (with broadcasting), np.sqrt and the other unary ufuncs,
 * np.minimum/maximum/add/..., np.abs, np.where and np.clip.
 */
import { SCALARS, T, isArray, isNumpy, typeToString, type KType, type ScalarName } from '../types.ts';
import { expr, isNone, isScalarType, npBinaryType, stmts, type OpDef, type OpDomain, type OpFacts, type Overload } from './common.ts';
import { VMATH, arrayBinary, arrayUnary, castItem, ctOf, loop3, off3, dtypeOf, elementwise, elemOf, itemOf, scalarBody, ufuncLoop, vmathSuffix, type Arr } from './common_arrays.ts';

const NUMPY: OpFacts = { arrayRuntime: true };
/** A ufunc: out= and where= compile (kiln.ufunc_out). */
const UFUNC: OpFacts = { ...NUMPY, ufunc: true };

/**
 * np.sqrt and friends: float64 (or float32) in and out, ints become float64; no exceptions (NaN/inf as NumPy).
 * `vmath`: computed by the runtime's vector math (kiln_vmath.h), whose results are within its bound of the exact
 * value where NumPy's own SIMD kernels are within theirs ([float64, float32] ULPs, docs/design/numpy-kernels.md);
 * the others call the C library, within its own bound (2 ULPs in glibc's and musl's published tables) where NumPy's
 * SVML kernels (AVX-512) are within theirs. `growth`: how much a relative error in the argument can grow.
 * sqrt, floor, ceil and trunc are exact everywhere.
 */
interface Ufunc1 { c: [string, string]; vmath?: boolean; kiln?: [number, number]; numpy?: [number, number]; growth?: number }
const UFUNC1: Record<string, Ufunc1> = {
  sqrt: { c: ['sqrt', 'sqrtf'], vmath: true },
  exp: { c: ['exp', 'expf'], vmath: true, kiln: [1, 1], numpy: [1, 3] },
  log: { c: ['log', 'logf'], vmath: true, kiln: [1, 1], numpy: [1, 4] },
  sin: { c: ['sin', 'sinf'], vmath: true, kiln: [1, 1], numpy: [1, 2] },
  cos: { c: ['cos', 'cosf'], vmath: true, kiln: [1, 1], numpy: [1, 2] },
  tanh: { c: ['tanh', 'tanhf'], vmath: true, kiln: [1.5, 1.5], numpy: [2, 2], growth: 1 },
  tan: { c: ['tan', 'tanf'], kiln: [2, 2], numpy: [1, 4] },
  log2: { c: ['log2', 'log2f'], kiln: [2, 2], numpy: [1, 3] },
  log10: { c: ['log10', 'log10f'], kiln: [2, 2], numpy: [1, 4] },
  arctan: { c: ['atan', 'atanf'], kiln: [2, 2], numpy: [1, 3], growth: 1 },
  exp2: { c: ['exp2', 'exp2f'], kiln: [2, 2], numpy: [1, 2] },
  log1p: { c: ['log1p', 'log1pf'], kiln: [2, 2], numpy: [2, 4] },
  expm1: { c: ['expm1', 'expm1f'], kiln: [2, 2], numpy: [2, 4] },
  arcsin: { c: ['asin', 'asinf'], kiln: [2, 2], numpy: [2, 4], growth: 1 },
  arccos: { c: ['acos', 'acosf'], kiln: [2, 2], numpy: [2, 4], growth: 1 },
  sinh: { c: ['sinh', 'sinhf'], kiln: [2, 2], numpy: [2, 4] },
  cosh: { c: ['cosh', 'coshf'], kiln: [2, 2], numpy: [2, 4] },
  arcsinh: { c: ['kr_libm_asinh', 'asinhf'], kiln: [2, 2], numpy: [2, 4] },
  arccosh: { c: ['kr_libm_acosh', 'acoshf'], kiln: [2, 2], numpy: [2, 4], growth: 1 },
  arctanh: { c: ['kr_libm_atanh', 'atanhf'], kiln: [2, 2], numpy: [2, 4], growth: 1 },
  cbrt: { c: ['cbrt', 'cbrtf'], kiln: [1, 1], numpy: [2, 4] },
  floor: { c: ['floor', 'floorf'] }, ceil: { c: ['ceil', 'ceilf'] }, trunc: { c: ['trunc', 'truncf'] },
};

function ufunc1(name: string, u: Ufunc1): OpDef {
  const bound = u.kiln && u.numpy ? `within ${u.kiln[0]} ULP of the exact result (float32: ${u.kiln[1]}) where NumPy is within ${u.numpy[0]} (float32: ${u.numpy[1]}): verified within both` : undefined;
  return {
    target: `numpy.${name}`, python: `np.${name}(x)`,
    facts: { ...(u.vmath ? VMATH : NUMPY), ufunc: true, ...(name === 'exp' || name === 'sqrt' || name === 'exp2' ? { nonNegative: 'always' } : {}) },
    signatures: ['array -> float array', 'number -> np.float64', 'float32 stays float32'],
    notes: u.vmath
      ? `Kiln's vector math (kiln_vmath.h), in fused loops too${bound ? `; ${bound}` : '; exact (IEEE)'}.`
      : bound ? `The C library, ${bound} (NumPy uses its own SIMD kernels on some CPUs).` : 'Exact.',
    resolve(args) {
      const [x] = args;
      if (args.length !== 1) return `np.${name}() takes one argument here`;
      const e = elemOf(x);
      if (e.kind !== 'scalar') return `np.${name}() takes a number or an array`;
      const d: ScalarName = e.name === 'float32' ? 'float32' : 'float64';
      const f32 = d === 'float32';
      const sfx = vmathSuffix(d);
      // sqrt is IEEE's everywhere: the C library's for one value, the vector form in loops.
      const f = u.vmath && name !== 'sqrt' ? `kr_np_${name}_${sfx}` : u.c[f32 ? 1 : 0];
      const body = (v: string[]) => `${f}((${ctOf(d)})${v[0]})`;
      const facts: OpFacts | undefined = u.kiln && u.numpy
        ? { inexact: { kind: 'ulps', kiln: u.kiln[f32 ? 1 : 0], numpy: u.numpy[f32 ? 1 : 0], ...(u.growth !== undefined ? { growth: u.growth } : {}) } }
        : undefined;
      const own = u.vmath && x.kind === 'array' && x.dtype === d;
      const vector = own ? (v: string[], isa: string) => `kv_${name}_${sfx}${isa}(${v[0]})` : undefined;
      const array = own ? (out: string, input: string, n: string) => `kr_np_${name}_${sfx}_array(${out}, ${input}, ${n})` : undefined;
      if (x.kind === 'array') return { result: T.array(d, x.ndim), argTypes: args, lower: elementwise(args, d, body, new Map(), vector, array), facts };
      return { result: T.np(d), argTypes: args, lower: expr(body), facts };
    },
  };
}

/** Binary ufuncs on arrays or numbers: np.minimum/np.maximum propagate NaN as NumPy does. */
function ufunc2(name: 'minimum' | 'maximum' | 'add' | 'subtract' | 'multiply' | 'divide' | 'power'): OpDef {
  const op: Record<string, string> = { add: '_operator.add', subtract: '_operator.sub', multiply: '_operator.mul', divide: '_operator.truediv', power: '_operator.pow' };
  return {
    target: `numpy.${name}`, python: `np.${name}(a, b)`, facts: UFUNC,
    signatures: ['arrays/numbers, broadcast -> array'],
    resolve(args, _consts, ops) {
      if (args.length !== 2 || !args.every((t) => isArray(t) || isScalarType(t))) return `np.${name}() takes two arrays or numbers`;
      if (op[name]) {
        if (!args.some(isArray)) {
          // np.add(1.0, 2.0) on Python numbers gives a NumPy scalar: promote as NumPy.
          const npArgs = args.map((t) => (t.kind === 'scalar' && !isNumpy(t) ? T.np(dtypeOf(t)) : t));
          const b = scalarBody(ops, op[name], npArgs);
          if (typeof b === 'string') return b;
          // np.power of numbers is NumPy's power loop too (not the C library's pow, as `x ** y` of NumPy scalars is).
          const loop = name === 'power' && b.result.kind === 'scalar' ? ufuncLoop('_operator.pow', npArgs, dtypeOf(b.result)) : undefined;
          return { result: b.result, argTypes: npArgs, lower: expr(loop?.scalar ?? b.body), facts: loop?.facts };
        }
        return arrayBinary(ops, op[name], args)!;
      }
      const rd0 = npBinaryType(args[0].kind === 'array' ? itemOf(args[0] as Arr) : args[0].kind === 'scalar' && !isNumpy(args[0]) ? T.np(dtypeOf(args[0])) : args[0],
        args[1].kind === 'array' ? itemOf(args[1] as Arr) : args[1].kind === 'scalar' && !isNumpy(args[1]) && args.some(isArray) ? args[1] : args[1].kind === 'scalar' && !isNumpy(args[1]) ? T.np(dtypeOf(args[1])) : args[1]);
      if (!rd0) return `np.${name}() of ${args.map(typeToString).join(', ')} is not compiled`;
      const rd = rd0;
      const ct = ctOf(rd);
      const fl = SCALARS[rd].float;
      const sym = name === 'minimum' ? '<=' : '>=';
      const body = (v: string[]) => {
        const x = `((${ct})(${v[0]}))`, y = `((${ct})(${v[1]}))`;
        return fl ? `kr_np_${name}_f(${x}, ${y})` : `(${x} ${sym} ${y} ? ${x} : ${y})`;
      };
      if (!args.some(isArray)) return { result: T.np(rd), argTypes: args, lower: expr(body) };
      return { result: T.array(rd, Math.max(...args.map((t) => (t.kind === 'array' ? t.ndim : 0)))), argTypes: args, lower: elementwise(args, rd, body) };
    },
  };
}

/**
 * np.hypot and np.arctan2: the C library's, float arrays (ints become float64, as NumPy's loops for int32/int64
 * and wider; NumPy gives float16 for two small ints, which is refused), within the C library's bound where NumPy's
 * own kernels are within theirs.
 */
const UFUNC2_LIBM: Record<string, { c: [string, string]; kiln: number; numpy: [number, number] }> = {
  hypot: { c: ['hypot', 'hypotf'], kiln: 1, numpy: [1, 2] },
  arctan2: { c: ['atan2', 'atan2f'], kiln: 2, numpy: [2, 4] },
};
function ufunc2Libm(name: string): OpDef {
  const u = UFUNC2_LIBM[name];
  return {
    target: `numpy.${name}`, python: `np.${name}(a, b)`, facts: UFUNC,
    signatures: ['arrays/numbers, broadcast -> float array'],
    notes: `The C library's ${u.c[0]}, within ${u.kiln} ULP where NumPy is within ${u.numpy[0]} (float32: ${u.numpy[1]}): verified within both.`,
    resolve(args) {
      if (args.length !== 2 || !args.every((t) => isArray(t) || isScalarType(t))) return `np.${name}() takes two arrays or numbers`;
      const item = (t: KType) => (t.kind === 'array' ? itemOf(t) : isNumpy(t) || !args.some(isArray) ? T.np(dtypeOf(t)) : t);
      const common = npBinaryType(item(args[0]), item(args[1]));
      if (!common) return `np.${name}() of ${args.map(typeToString).join(', ')} is not compiled`;
      const cd = common;
      if (!SCALARS[cd].float && SCALARS[cd].bits < 32) return `np.${name}() of two ${cd} values gives float16 in NumPy, which is not compiled; convert first (.astype(np.float64))`;
      const d: ScalarName = cd === 'float32' ? 'float32' : 'float64';
      const f = u.c[d === 'float32' ? 1 : 0];
      const body = (v: string[]) => `${f}((${ctOf(d)})(${v[0]}), (${ctOf(d)})(${v[1]}))`;
      const facts: OpFacts = { inexact: { kind: 'ulps', kiln: u.kiln, numpy: u.numpy[d === 'float32' ? 1 : 0] } };
      if (!args.some(isArray)) return { result: T.np(d), argTypes: args, lower: expr(body), facts };
      return { result: T.array(d, Math.max(...args.map((t) => (t.kind === 'array' ? t.ndim : 0)))), argTypes: args, lower: elementwise(args, d, body), facts };
    },
  };
}

const npAbs = (target: string): OpDef => ({
  target, python: `${target.replace('numpy.', 'np.')}(x)`, signatures: ['array -> array of the same dtype'], facts: UFUNC,
  resolve(args) {
    const [x] = args;
    if (x?.kind !== 'array') {
      if (x?.kind === 'scalar') {
        const t = isNumpy(x) ? x : T.np(dtypeOf(x));
        const d = dtypeOf(t);
        return { result: t, argTypes: [t], lower: expr((v) => SCALARS[d].float ? `fabs(${v[0]})` : `((${ctOf(d)})((${v[0]}) < 0 ? 0 - (uint64_t)(${v[0]}) : (uint64_t)(${v[0]})))`) };
      }
      return 'np.abs() takes an array or a number';
    }
    const d = x.dtype;
    return { result: x, argTypes: args, lower: elementwise(args, d, (v) => SCALARS[d].float ? `fabs(${v[0]})` : `((${ctOf(d)})((${v[0]}) < 0 ? 0 - (uint64_t)(${v[0]}) : (uint64_t)(${v[0]})))`) };
  },
});

const where: OpDef = {
  target: 'numpy.where', python: 'np.where(cond, x, y)', signatures: ['bool array, array|number, array|number -> array (broadcast)'],
  facts: { ...NUMPY, keywords: ['condition', 'x', 'y'] },
  resolve(args, _consts, ops) {
    const [c, x, y] = args;
    // np.where(cond) is np.nonzero(cond).
    if (isNone(x) && isNone(y)) {
      const r = ops('numpy.nonzero')!.resolve([c], []);
      return typeof r === 'string' ? r.replace('np.nonzero()', 'np.where(cond)') : { ...r, argTypes: args };
    }
    if (isNone(x) || isNone(y)) return 'ValueError: either both or neither of x and y should be given';
    if (!args.every((t) => isArray(t) || isScalarType(t))) return 'np.where() takes arrays or numbers';
    const ex = x.kind === 'array' ? itemOf(x) : x, ey = y.kind === 'array' ? itemOf(y) : y;
    const both = [x, y].every((t) => t.kind === 'scalar' && !isNumpy(t));
    const rd = both ? npBinaryType(T.np(dtypeOf(ex)), T.np(dtypeOf(ey)))! : npBinaryType(x.kind === 'array' || isNumpy(x) ? ex : T.np(dtypeOf(ex)), y.kind === 'array' || isNumpy(y) ? ey : T.np(dtypeOf(ey)))!;
    const ct = ctOf(rd);
    const nd = Math.max(...args.map((t) => (t.kind === 'array' ? t.ndim : 0)));
    const body = (v: string[]) => `((${v[0]}) ? (${ct})(${v[1]}) : (${ct})(${v[2]}))`;
    if (nd === 0) return { result: T.np(rd), argTypes: args, lower: expr(body) };
    return { result: T.array(rd, nd), argTypes: args, lower: elementwise(args, rd, body) };
  },
};

const clip: OpDef = {
  target: 'numpy.clip', python: 'np.clip(a, lo, hi)', signatures: ['array, number, number -> array (NumPy: minimum(maximum(a, lo), hi))'],
  facts: { ...NUMPY, keywords: ['a', 'a_min', 'a_max'] },
  resolve(args) {
    const [x, lo, hi] = args;
    if (x.kind !== 'array' || !isScalarType(lo) || !isScalarType(hi)) return 'np.clip() takes an array and two numbers here';
    const rd = npBinaryType(npBinaryType(itemOf(x), lo) ? T.np(npBinaryType(itemOf(x), lo)!) : itemOf(x), hi)!;
    const ct = ctOf(rd);
    const fl = SCALARS[rd].float;
    const body = (v: string[]) => fl
      ? `kr_np_clip_f((${ct})(${v[0]}), (${ct})(${v[1]}), (${ct})(${v[2]}))`
      : `kr_clip_i((${ct})(${v[0]}), (${ct})(${v[1]}), (${ct})(${v[2]}))`;
    return { result: T.array(rd, x.ndim), argTypes: args, lower: elementwise(args, rd, fl ? body : (v) => `({ ${ct} kx = (${ct})(${v[0]}), klo = (${ct})(${v[1]}), khi = (${ct})(${v[2]}); kx = kx >= klo ? kx : klo; kx <= khi ? kx : khi; })`) };
  },
};

/** NumPy's 'same_kind' casting of a ufunc's result into out=: bool < unsigned < signed < float, never down a kind. */
const kindRank = (d: ScalarName) => (d === 'bool' ? 0 : SCALARS[d].float ? 3 : SCALARS[d].signed ? 2 : 1);

/**
 * `np.exp(x, out=o)`, `np.add(a, b, out=o, where=m)` (trace.ts writes the ufunc call, then this): the ufunc's value
 * stored into out (broadcast into out's shape, which it may not change; cast as NumPy's 'same_kind' rule allows),
 * only where `where` (a bool array broadcast likewise, or a bool) is true; the result is out itself.
 */
const ufuncOut: OpDef = {
  target: 'kiln.ufunc_out', python: 'np.<ufunc>(..., out=o, where=m)', signatures: ['array, array or number, name, bool array or bool or None -> the out array'],
  facts: { ...NUMPY, headers: ['kiln_ndarray.h'], writes: [0], aliases: [0] },
  resolve(args, consts) {
    const [o, v, , w] = args;
    const name = consts[2]?.kind === 'str' ? consts[2].value : 'ufunc';
    if (o.kind !== 'array') return `np.${name}(..., out=) takes an array here (got ${typeToString(o)})`;
    const vd = dtypeOf(elemOf(v));
    if (kindRank(vd) > kindRank(o.dtype)) return `np.${name}() gives ${vd}, which NumPy's casting rule 'same_kind' does not store into out= of ${o.dtype} (UFuncTypeError); give out= an array of ${vd}`;
    if (!isNone(w) && !(w.kind === 'array' && w.dtype === 'bool') && !(w.kind === 'scalar' && w.name === 'bool')) return `np.${name}(..., where=) takes a bool array or a bool here (got ${typeToString(w)})`;
    return {
      result: o, argTypes: args,
      lower: stmts((a, out, cx) => {
        const [ao, av, , aw] = a;
        const nd = o.ndim;
        const lines = ['{', `  int64_t ks3[3], kvo[3], kvv[3] = {0, 0, 0}, kvw[3] = {0, 0, 0};`];
        if (v.kind === 'array') {
          lines.push(`  if (!kr_fits_into(${av}.shape, ${v.ndim}, ${ao}.shape, ${nd})) ${cx.try(`kr_raise_out_shape(${ao}.shape, ${nd}, ${av}.shape, ${v.ndim})`)}`);
          lines.push(`  kr_view3(${av}.shape, ${av}.strides, ${v.ndim}, ${nd}, kvv);`);
        }
        if (w.kind === 'array') {
          lines.push(`  { int64_t kb[3]; if (${w.ndim} > ${nd}) ${cx.try(`kr_raise_out_shape(${ao}.shape, ${nd}, ${aw}.shape, ${w.ndim})`)} ${cx.try(`kr_broadcast_shapes(${ao}.shape, ${nd}, ${aw}.shape, ${w.ndim}, kb)`)}`);
          lines.push(`    for (int k = 0; k < ${nd}; k++) if (kb[k] != ${ao}.shape[k]) ${cx.try(`kr_raise_out_shape(${ao}.shape, ${nd}, kb, ${nd})`)} }`);
          lines.push(`  kr_view3(${aw}.shape, ${aw}.strides, ${w.ndim}, ${nd}, kvw);`);
        }
        lines.push(`  kr_shape3(${ao}.shape, ${nd}, ks3); kr_view3(${ao}.shape, ${ao}.strides, ${nd}, ${nd}, kvo);`);
        const item = v.kind === 'array' ? `${av}.data[${off3('kvv')}]` : av;
        const store = `${ao}.data[${off3('kvo')}] = ${castItem(`(${ctOf(vd)})(${item})`, vd, o.dtype)};`;
        const guard = w.kind === 'array' ? `if (${aw}.data[${off3('kvw')}]) ` : w.kind === 'scalar' ? `if (${aw}) ` : '';
        lines.push(...loop3('ks3', [`${guard}${store}`]).map((l) => `  ${l}`));
        lines.push(`  ${out} = ${ao};`, '}');
        return lines;
      }),
    };
  },
};

/** Before a ufunc with out=: its inputs, out and where (None: absent) broadcast together, or NumPy's ValueError. */
const ufuncOperands: OpDef = {
  target: 'kiln.ufunc_operands', python: 'np.<ufunc>(a, b, out=o, where=m)', signatures: ['out array, where or None, inputs -> None (checks their shapes)'],
  facts: { ...NUMPY, headers: ['kiln_ndarray.h'] },
  resolve(args) {
    const [o, w, ...inputs] = args;
    if (o?.kind !== 'array') return `a ufunc's out= takes an array here (got ${typeToString(o)})`;
    const operands = [...inputs, o, ...(w.kind === 'array' ? [w] : [])].map((t, i) => ({ t, i: i < inputs.length ? i + 2 : i === inputs.length ? 0 : 1 }));
    return {
      result: T.none, argTypes: args,
      lower: stmts((a, _out, cx) => [
        `{ static const int64_t kzero[1] = {0}; const int64_t *ksh[${operands.length}] = {${operands.map(({ t, i }) => (t.kind === 'array' ? `${a[i]}.shape` : 'kzero')).join(', ')}};`,
        `  const int knd[${operands.length}] = {${operands.map(({ t }) => (t.kind === 'array' ? t.ndim : 0)).join(', ')}};`,
        `  ${cx.try(`kr_ufunc_operands(ksh, knd, ${operands.length})`)} }`,
      ]),
    };
  },
};

const ops: OpDef[] = [
  ufuncOut, ufuncOperands,
  ...Object.entries(UFUNC1).map(([n, u]) => ufunc1(n, u)),
  ...Object.keys(UFUNC2_LIBM).map(ufunc2Libm),
  ufunc2('minimum'), ufunc2('maximum'), ufunc2('add'), ufunc2('subtract'), ufunc2('multiply'), ufunc2('divide'), ufunc2('power'),
  npAbs('numpy.abs'), npAbs('numpy.absolute'), where, clip,
];

const ELEMENTWISE = 'arrays and numbers -> array, element-wise with NumPy broadcasting';
const SEQUENCES = 'lists and arrays (see the array section)';

/** The operators on arrays: each element as the scalar operator computes it, NumPy's broadcasting. */
const overloads: Overload[] = [
  ...['add', 'mul'].map((op): Overload => ({ target: `_operator.${op}`, signatures: [SEQUENCES], resolve: (args, _c, ops) => arrayBinary(ops, `_operator.${op}`, args) })),
  ...['sub', 'truediv', 'floordiv', 'mod', 'pow', 'and_', 'or_', 'xor', 'lshift', 'rshift', 'eq', 'ne', 'lt', 'le', 'gt', 'ge'].map((op): Overload => ({
    target: `_operator.${op}`, signatures: [ELEMENTWISE], resolve: (args, _c, ops) => arrayBinary(ops, `_operator.${op}`, args),
  })),
  { target: 'builtins.abs', signatures: [SEQUENCES], resolve: (args, _c, ops) => arrayUnary(ops, 'builtins.abs', args) },
  { target: '_operator.neg', signatures: [SEQUENCES], resolve: (args, _c, ops) => arrayUnary(ops, '_operator.neg', args) },
  {
    target: '_operator.invert', signatures: [SEQUENCES],
    resolve: (args: KType[], _c, ops) => (args[0]?.kind === 'array' && args[0].dtype === 'bool'
      ? { result: args[0], argTypes: args, lower: elementwise(args, 'bool', (v) => `(!${v[0]})`) }
      : arrayUnary(ops, '_operator.invert', args)),
  },
];

export const ufuncs: OpDomain = { name: 'ufuncs', title: 'NumPy: element-wise functions', ops, overloads };