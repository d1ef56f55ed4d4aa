/**
 * The C machinery the array and list domains share: NumPy arrays of 1 to 3 dimensions (views with element
 * strides, broadcasting, element-wise loops, stores with NumPy's casting, copies, reductions) and Python
 * lists (items of one type). Helpers only: the entries are in the domain files.
 */
import type { ConstValue } from '../../ir/ir.ts';
import {
  SCALARS, T, cType, escaped, isArray, isNicheOptional, isObject, isSubclassOf, ownsReferences, sameType, structFields, typeToString,
  unionHolds, unionMember, unionMembers, type KType, type ScalarName,
} from '../types.ts';
import { retainC } from '../../lower/ownership.ts';
import {
  convert, isIdx, isNone, isScalarType, stmts, type ElementwiseKernel, type LowerContext, type Lowering, type OpFacts, type OpLookup, type Resolved,
} from './common.ts';

export type Res = Resolved | string;
export type Arr = KType & { kind: 'array' };
export type Lst = KType & { kind: 'list' };

/** The item type of an array's elements as Python sees them (np.float64, ..., bool). */
export const itemOf = (a: Arr): KType => T.np(a.dtype);
/** The array dtype that holds a scalar type: int -> int64, float -> float64. */
export function dtypeOf(t: KType): ScalarName {
  if (t.kind === 'complex') return 'complex128';
  if (t.kind !== 'scalar') throw new Error(`internal: no dtype for ${typeToString(t)}`);
  return t.name === 'int' ? 'int64' : t.name === 'float' ? 'float64' : t.name;
}
export const elemOf = (t: KType): KType => (t.kind === 'array' ? itemOf(t) : t);
export const ctOf = (d: ScalarName) => SCALARS[d].c;
const sz = (d: ScalarName) => `sizeof(${SCALARS[d].c})`;

// ---- loops and allocation -------------------------------------------------------------------------------

/** `a.data[i0*s[0] + ...]` style offsets of a 3-D iteration view. */
export const off3 = (v: string) => `i0 * ${v}[0] + i1 * ${v}[1] + i2 * ${v}[2]`;
export const loop3 = (shape: string, body: string[]): string[] => [
  `for (int64_t i0 = 0; i0 < ${shape}[0]; i0++) for (int64_t i1 = 0; i1 < ${shape}[1]; i1++) for (int64_t i2 = 0; i2 < ${shape}[2]; i2++) {`,
  ...body.map((l) => `  ${l}`),
  '}',
];
// The strides are stated again after the (out-of-line) allocation so that the C compiler knows them: the
// innermost one is 1, and indexing a new array needs no multiply (histogram's counts[k] += 1: 10 % faster).
export const alloc = (out: string, shapeExpr: string, nd: number, d: ScalarName, zero: boolean, cx: LowerContext) =>
  `${cx.try(`kr_array_alloc((void **)&${out}.data, ${out}.shape, ${out}.strides, ${shapeExpr}, ${nd}, ${sz(d)}, ${zero ? 1 : 0})`)} kr_c_strides(${out}.shape, ${nd}, ${out}.strides);`;

/** The element expression `x` has for scalar type `from` converted to `to` (expressions only). */
function conv(e: string, from: KType, to: KType): string | undefined {
  const c = convert(e, from, to);
  return 'expr' in c ? c.expr : undefined;
}

// ---- element-wise operations ------------------------------------------------------------------------

/**
 * An element-wise operation over arrays and scalars with NumPy broadcasting: a new C-contiguous array of
 * dtype `rd`; `body` gets each operand's element (arrays) or value (scalars).
 */
export function elementwise(
  operands: KType[], rd: ScalarName, body: (vals: string[]) => string, pre: ScalarBody['pre'] = new Map(), vector?: ElementwiseKernel['vector'],
  array?: ElementwiseKernel['array'], arrayScalar?: ElementwiseKernel['arrayScalar'],
): Lowering {
  const kernel: ElementwiseKernel = { operands, dtype: rd, scalar: body, pre, vector, array, arrayScalar };
  return { kind: 'stmts', emit: elementwiseAlone(kernel), elementwise: kernel };
}

function elementwiseAlone({ operands, dtype: rd, scalar: body, pre, vector, array, arrayScalar }: ElementwiseKernel) {
  return ((a: string[], out: string, cx: LowerContext) => {
    const nd = Math.max(...operands.map((t) => (t.kind === 'array' ? t.ndim : 0)));
    const lines = ['{', '  int64_t ksh[3] = {1, 1, 1}, kb[3], ks3[3];'];
    for (const [i, c] of pre) {
      const k = convert(a[i], c.from, c.to);
      lines.push(`  ${cType(c.to)} kc${i}; ${'call' in k ? cx.try(k.call(`kc${i}`)) : `kc${i} = ${k.expr};`}`);
    }
    let cur = 0;
    operands.forEach((t, i) => {
      if (t.kind !== 'array') return;
      if (cur === 0) lines.push(`  memcpy(ksh, ${a[i]}.shape, ${t.ndim} * sizeof(int64_t));`);
      else {
        lines.push(`  ${cx.try(`kr_broadcast_shapes(ksh, ${cur}, ${a[i]}.shape, ${t.ndim}, kb)`)}`);
        lines.push(`  memcpy(ksh, kb, sizeof kb);`);
      }
      cur = Math.max(cur, t.ndim);
    });
    lines.push(`  ${alloc(out, 'ksh', nd, rd, false, cx)}`, `  kr_shape3(ksh, ${nd}, ks3);`);
    const vals = operands.map((t, i) => {
      if (pre.has(i)) return `kc${i}`;
      if (t.kind !== 'array') return a[i];
      lines.push(`  int64_t kv${i}[3]; kr_view3(${a[i]}.shape, ${a[i]}.strides, ${t.ndim}, ${nd}, kv${i});`);
      return `${a[i]}.data[${off3(`kv${i}`)}]`;
    });
    const general = [...loop3('ks3', [`${out}.data[ko++] = ${body(vals)};`]).map((l) => `  ${l}`)];
    lines.push('  int64_t ko = 0;');
    const flat = operands.every((t) => t.kind !== 'array' || t.ndim === nd);
    if (!flat) {
      lines.push(...general, '}');
      return lines;
    }
    // Every array operand C-contiguous with the result's shape (no broadcasting): one flat loop, which the C
    // compiler vectorises, or the vector math's vectors (`vector`, when the unit has kiln_vmath.h) with the same
    // bits lane by lane, or one call of the runtime over the array (`array`); the last items one by one.
    const arrays = operands.flatMap((t, i) => (t.kind === 'array' ? [i] : []));
    const test = arrays.map((i) => `kr_is_c_contiguous(${a[i]}.shape, ${a[i]}.strides, ${nd}) && memcmp(${a[i]}.shape, ksh, ${nd} * sizeof(int64_t)) == 0`).join(' && ');
    const item = operands.map((t, i) => (pre.has(i) ? `kc${i}` : t.kind === 'array' ? `${a[i]}.data[ko]` : a[i]));
    lines.push(`  if (${test}) {`, `    int64_t kn = kr_size(ksh, ${nd});`);
    if (array && arrays.length === 1 && operands.length === 1) {
      lines.push(`    ${array(`${out}.data`, `${a[arrays[0]]}.data`, 'kn')};`, '  } else {', ...general.map((l) => `  ${l}`), '  }', '}');
      return lines;
    }
    if (arrayScalar && operands.length === 2 && operands[0].kind === 'array' && operands[1].kind !== 'array') {
      lines.push('#if KR_VMATH_DISPATCH', `    ${arrayScalar(`${out}.data`, `${a[0]}.data`, item[1], 'kn')}; ko = kn;`, '#endif');
    }
    if (vector && (rd === 'float64' || rd === 'float32')) {
      const [V, L] = rd === 'float64' ? ['kv_f64', 'KV_F64_LANES'] : ['kv_f32', 'KV_F32_LANES'];
      const vals = operands.map((t, i) => (t.kind === 'array' ? `kx${i}` : `ks${i}`));
      // Not in a dispatched unit: there the vector math's one-value forms run on the CPU's best path, these vectors not.
      lines.push('#if defined(KV_F64_LANES) && !KR_VMATH_DISPATCH');
      operands.forEach((t, i) => {
        if (t.kind !== 'array') lines.push(`    ${V} ks${i}; for (int kl = 0; kl < ${L}; kl++) ks${i}[kl] = (${ctOf(rd)})${item[i]};`);
      });
      lines.push(`    for (; ko + ${L} <= kn; ko += ${L}) {`);
      for (const i of arrays) lines.push(`      ${V} kx${i}; memcpy(&kx${i}, ${a[i]}.data + ko, sizeof kx${i});`);
      lines.push(`      ${V} ky = ${vector(vals, '')};`, `      memcpy(${out}.data + ko, &ky, sizeof ky);`, '    }', '#endif');
    }
    lines.push(`    for (; ko < kn; ko++) ${out}.data[ko] = ${body(item)};`, '  } else {', ...general.map((l) => `  ${l}`), '  }', '}');
    return lines;
  });
}

/** An element-wise tree to compute in one loop (opt/fusion.ts): each node's kernel, and per operand a leaf or a subtree. */
export interface FusedKernelTree { kernel: ElementwiseKernel; operands: ({ leaf: number } | { tree: FusedKernelTree })[] }

/**
 * The statements of a fused tree over its leaves (`a`: the leaves' C values, in order; `leaves`: their types): the
 * shapes of every node broadcast in evaluation order first, so that shapes that do not fit raise as NumPy's
 * separate operations would, then one loop computing each element through the chain, each node's value converted to
 * its dtype as its array would store it (the same bits as separate loops). The loop runs in vectors when every node
 * has a vector form of one float dtype that every array leaf has.
 */
export function fusedElementwise(tree: FusedKernelTree, leaves: KType[]) {
  const scalarOf = (t: FusedKernelTree, vals: string[]): string =>
    t.kernel.scalar(t.operands.map((o) => ('leaf' in o ? vals[o.leaf] : `((${ctOf(o.tree.kernel.dtype)})(${scalarOf(o.tree, vals)}))`)));
  const nodes: FusedKernelTree[] = [];
  const post = (t: FusedKernelTree) => { for (const o of t.operands) if ('tree' in o) post(o.tree); nodes.push(t); };
  post(tree);
  const dt = tree.kernel.dtype;
  const vectorised = (dt === 'float64' || dt === 'float32') && nodes.every((t) => t.kernel.vector && t.kernel.dtype === dt)
    && leaves.every((t) => t.kind !== 'array' || t.dtype === dt);
  const vectorOf = (t: FusedKernelTree, vals: string[], isa: string): string =>
    t.kernel.vector!(t.operands.map((o) => ('leaf' in o ? vals[o.leaf] : vectorOf(o.tree, vals, isa))), isa);
  const kernel: ElementwiseKernel = {
    operands: leaves, dtype: dt, scalar: (v) => scalarOf(tree, v), pre: new Map(), vector: vectorised ? (v, isa) => vectorOf(tree, v, isa) : undefined,
  };
  const loop = elementwiseAlone(kernel);
  return (a: string[], out: string, cx: LowerContext): string[] => {
    // Each node's shape (kfs<k>, post-order), broadcast from its operands' as its own operation would.
    const lines = ['{', '  int64_t kfb[3];'];
    const ndOf = new Map<FusedKernelTree, number>();
    nodes.forEach((t, k) => {
      const shapes = t.operands.flatMap((o, i) => {
        if ('leaf' in o) { const lt = leaves[o.leaf]; return lt.kind === 'array' ? [{ shape: `${a[o.leaf]}.shape`, nd: lt.ndim }] : []; }
        return [{ shape: `kfs${nodes.indexOf(o.tree)}`, nd: ndOf.get(o.tree)! }].filter(() => t.kernel.operands[i].kind === 'array');
      });
      ndOf.set(t, Math.max(0, ...shapes.map((x) => x.nd)));
      lines.push(`  int64_t kfs${k}[3] = {1, 1, 1};`);
      let cur = 0;
      for (const x of shapes) {
        if (cur === 0) lines.push(`  memcpy(kfs${k}, ${x.shape}, ${x.nd} * sizeof(int64_t));`);
        else lines.push(`  ${cx.try(`kr_broadcast_shapes(kfs${k}, ${cur}, ${x.shape}, ${x.nd}, kfb)`)}`, `  memcpy(kfs${k}, kfb, sizeof kfb);`);
        cur = Math.max(cur, x.nd);
      }
    });
    lines.push('}');
    return [...lines, ...loop(a, out, cx)];
  };
}

export interface ScalarBody { result: KType; body: (v: string[]) => string; pre: Map<number, { from: KType; to: KType }> }

/**
 * Resolves a scalar op on the element types and returns its expression lowering, or why not. `pre`: operands
 * that are scalars (not array elements) whose conversion to the op's type can raise (a Python int into an int32
 * array's op: OverflowError out of range, as NumPy 2): elementwise converts them once, before the loop, and
 * `body` gets them converted.
 */
export function scalarBody(ops: OpLookup, target: string, elems: KType[], scalarOperand: boolean[] = []): ScalarBody | string {
  const op = ops(target);
  if (!op) return `${target} is not compiled`;
  const r = op.resolve(elems, elems.map(() => undefined));
  if (typeof r === 'string') return r;
  if (r.lower.kind !== 'expr') return `${op.python} on array elements of ${elems.map(typeToString).join(', ')} is not compiled (it can raise)`;
  const emit = r.lower.emit;
  const pre = new Map<number, { from: KType; to: KType }>();
  const convs = elems.map((t, i) => (v: string) => conv(v, t, r.argTypes[i] ?? t));
  for (const [i, c] of convs.entries()) {
    if (c('x') !== undefined || elems[i] === r.argTypes[i]) continue;
    if (!scalarOperand[i]) return 'conversion not compiled element-wise';
    pre.set(i, { from: elems[i], to: r.argTypes[i] });
  }
  return { result: r.result, body: (v) => emit(v.map((x, i) => (pre.has(i) ? x : convs[i](x) ?? x))), pre };
}

/** Why code that would make a NumPy complex64 array, or do what is not compiled for complex128 ones, is refused. */
export const COMPLEX_ARRAYS = 'NumPy arrays of complex numbers are compiled for complex128 only, for creation, + - * / == !=, abs/real/imag/conj/exp, sum/mean and indexing: '
  + 'hold the real and imaginary parts in two float64 arrays for the rest, or use a list[complex]';

/** `a OP b` where one side is an array: NumPy's element-wise op with broadcasting. */
export function arrayBinary(ops: OpLookup, target: string, args: KType[]): Res | undefined {
  if (!args.some(isArray)) return undefined;
  if (args.some((t) => t.kind === 'complex')) return COMPLEX_ARRAYS;
  if (!args.every((t) => isArray(t) || isScalarType(t))) return `${target.split('.').pop()} of ${args.map(typeToString).join(' and ')} is not compiled`;
  // A bool array next to a Python int computes in int64 (NumPy 2: the weak int takes the default integer).
  const weakInt = args.some((t) => t.kind === 'scalar' && t.name === 'int');
  const elems = args.map((t) => (weakInt && t.kind === 'array' && t.dtype === 'bool' ? T.np('int64') : elemOf(t)));
  // bool with bool is logical in NumPy (+ is or, * is and, - a TypeError); a number next to a bool array promotes it.
  const boolish = (t: KType) => (t.kind === 'array' ? t.dtype === 'bool' : t.kind === 'scalar' && t.name === 'bool');
  if (['_operator.add', '_operator.sub', '_operator.mul'].includes(target) && args.every(boolish)) {
    return 'arithmetic on bool arrays is not compiled; convert with .astype(np.int64)';
  }
  // NumPy: element types promote as NumPy scalars do (Python numbers are weak).
  const b = scalarBody(ops, target, elems, args.map((t) => t.kind !== 'array'));
  if (typeof b === 'string') return b;
  const result = b.result;
  if (result.kind !== 'scalar') return 'not an element-wise result';
  const rd = dtypeOf(result);
  const ufunc = ufuncLoop(target, args, rd);
  return {
    result: T.array(rd, Math.max(...args.map((t) => (t.kind === 'array' ? t.ndim : 0)))), argTypes: args,
    lower: elementwise(args, rd, ufunc?.scalar ?? b.body, b.pre, ufunc?.vector, undefined, ufunc?.arrayScalar), facts: ufunc?.facts,
  };
}

/** `-a`, `abs(a)`, `~a` on an array: the scalar op on each element. */
export function arrayUnary(ops: OpLookup, target: string, args: KType[]): Res | undefined {
  const [a] = args;
  if (!a || a.kind !== 'array') return undefined;
  const b = scalarBody(ops, target, [itemOf(a)]);
  if (typeof b === 'string') return b;
  if (b.result.kind !== 'scalar') return 'not an element-wise result';
  const rd = dtypeOf(b.result);
  return { result: T.array(rd, a.ndim), argTypes: args, lower: elementwise(args, rd, b.body) };
}

// ---- NumPy's own loops for the operators on float arrays (issue 20: vector forms, np.power) ---------------

/** The C suffix of a float dtype in the vector math (kiln_vmath.h). */
export const vmathSuffix = (d: ScalarName): 'f64' | 'f32' => (d === 'float32' ? 'f32' : 'f64');
/** Facts of an op whose C calls the vector math. */
export const VMATH: OpFacts = { arrayRuntime: true, headers: ['kiln_vmath.h'] };

const VECTOR_OPERATORS: Record<string, string> = { '_operator.add': '+', '_operator.sub': '-', '_operator.mul': '*', '_operator.truediv': '/' };

/**
 * An operator on arrays of one float dtype as NumPy's ufunc loop computes it, when that differs from the scalar op
 * or has a vector form: + - * / lane by lane (the same IEEE operations), and `a ** b` as np.power, which NumPy
 * computes with its own SIMD power (within `inexact`'s bound, not the C library's pow) except for an exponent that is
 * one number equal to 2, 0.5, -1 or 1 (then it is x*x, sqrt(x), 1/x or x exactly, as NumPy 2's loop does).
 */
export function ufuncLoop(target: string, args: KType[], rd: ScalarName):
  { scalar?: (v: string[]) => string; vector?: ElementwiseKernel['vector']; arrayScalar?: ElementwiseKernel['arrayScalar']; facts?: OpFacts } | undefined {
  if (rd !== 'float64' && rd !== 'float32') return undefined;
  const same = args.every((t) => t.kind !== 'array' || t.dtype === rd);
  const sym = VECTOR_OPERATORS[target];
  if (sym) return same ? { vector: (v) => `(${v[0]} ${sym} ${v[1]})` } : undefined;
  if (target !== '_operator.pow') return undefined;
  const sfx = vmathSuffix(rd), ct = ctOf(rd), one = rd === 'float32' ? 'f' : '';
  const facts: OpFacts = { ...VMATH, inexact: { kind: 'ulps', kiln: rd === 'float32' ? 0.6 : 1, numpy: 2 } };
  const cv = (x: string) => `((${ct})(${x}))`;
  const exponentIsNumber = args[1].kind === 'scalar';
  const scalar = (v: string[]) => {
    const [x, e] = [cv(v[0]), cv(v[1])];
    const pow = `kr_np_power_${sfx}(${x}, ${e})`;
    return exponentIsNumber
      ? `(${e} == 2.0${one} ? ${x} * ${x} : ${e} == 0.5${one} ? sqrt${one}(${x}) : ${e} == -1.0${one} ? 1.0${one} / ${x} : ${e} == 1.0${one} ? ${x} : ${pow})`
      : pow;
  };
  const vector: ElementwiseKernel['vector'] | undefined = !same ? undefined : exponentIsNumber
    ? (v, isa) => `((${v[1]})[0] == 2.0${one} ? ${v[0]} * ${v[0]} : (${v[1]})[0] == 0.5${one} ? kv_sqrt_${sfx}${isa}(${v[0]}) : (${v[1]})[0] == -1.0${one} ? 1.0${one} / ${v[0]} : (${v[1]})[0] == 1.0${one} ? ${v[0]} : kv_pow_${sfx}${isa}(${v[0]}, ${v[1]}))`
    : (v, isa) => `kv_pow_${sfx}${isa}(${v[0]}, ${v[1]})`;
  const arrayScalar: ElementwiseKernel['arrayScalar'] = same && rd === 'float64' && exponentIsNumber && args[0].kind === 'array'
    ? (out, x, y, n) => `kr_np_power_f64_array_s(${out}, ${x}, ${cv(y)}, ${n})` : undefined;
  return { scalar, vector, arrayScalar, facts };
}

// ---- indexing -------------------------------------------------------------------------------------------

/** C that computes the element pointer `kp` (and the view's shape/strides into `out`) for a[idx...]. */
export function indexLines(arr: Arr, idxTypes: KType[], a: string, idx: string[], out: string | undefined, cx: LowerContext, msgAxis = true): string[] {
  const lines = [`${ctOf(arr.dtype)} *kp = ${a}.data;`];
  let j = 0;
  for (let k = 0; k < arr.ndim; k++) {
    const t = idxTypes[k];
    if (t && t.kind === 'slice') {
      lines.push(`{ int64_t ks, kst, kn; ${cx.try(`kr_slice_adjust(${idx[k]}, ${a}.shape[${k}], &ks, &kst, &kn)`)} kp += ks * ${a}.strides[${k}]; ${out}.shape[${j}] = kn; ${out}.strides[${j}] = ${a}.strides[${k}] * kst; }`);
      j++;
    } else if (t) {
      const i = `((int64_t)(${idx[k]}))`;
      if (cx.inBounds?.has(k)) lines.push(`kp += ${i} * ${a}.strides[${k}];`);
      else if (cx.boundscheck) lines.push(`{ int64_t kk; ${cx.try(`kr_array_index(${i}, ${a}.shape[${k}], ${msgAxis ? k : 0}, &kk)`)} kp += kk * ${a}.strides[${k}]; }`);
      else lines.push(`kp += (${i} < 0 ? ${i} + ${a}.shape[${k}] : ${i}) * ${a}.strides[${k}];`);
    } else {
      lines.push(`${out}.shape[${j}] = ${a}.shape[${k}]; ${out}.strides[${j}] = ${a}.strides[${k}];`);
      j++;
    }
  }
  return lines;
}

export function viewNdim(arr: Arr, idxTypes: KType[]): number {
  return arr.ndim - idxTypes.filter((t) => t.kind !== 'slice').length;
}

// ---- storing into arrays ----------------------------------------------------------------------------------

export const STORE_NOTE = 'Storing into an integer array follows NumPy 2: a Python int the dtype cannot hold raises OverflowError ("Python integer 300 out of bounds for uint8"), a float is int(x) and then checked (NaN: ValueError, infinity: OverflowError); NumPy scalars stored into an unsigned array wrap.';
/** How a value is stored into an array element: a check that raises what NumPy raises (only where a value can
 * be out of the dtype's range), then the C value to store. */
export interface Store {
  check?: (e: string, cx: LowerContext) => string;
  value: (e: string) => string;
}

const I64_MIN = -(2n ** 63n);
const I64_MAX = 2n ** 63n - 1n;
/** The range of an integer dtype (or of Python's int, which is int64 in compiled code). */
function intRange(d: ScalarName): [bigint, bigint] {
  const s = SCALARS[d];
  const bits = BigInt(s.bits);
  return s.signed ? [-(2n ** (bits - 1n)), 2n ** (bits - 1n) - 1n] : [0n, 2n ** bits - 1n];
}
const cI64 = (v: bigint) => (v === I64_MIN ? 'INT64_MIN' : v === I64_MAX ? 'INT64_MAX' : `${v}`);

/** NumPy's unsafe cast of a float to integer dtype `d`, as on x86-64 (kr_cast_f64_*, kr_f64_to_i64_raw: defined on every target). */
function castFloat(e: string, d: ScalarName): string {
  const ct = ctOf(d);
  if (d === 'int64') return `kr_f64_to_i64_raw(${e})`;
  if (d === 'uint64') return `kr_cast_f64_u64(${e})`;
  if (d === 'uint32') return `((uint32_t)kr_f64_to_i64_raw(${e}))`;
  return `((${ct})kr_cast_f64_i32(${e}))`;
}

/**
 * A scalar of type `from` stored into an array of dtype `to` (NumPy 2). `item`: a[i] = v, a[s] = v, a[m] = v,
 * a.fill(v): a Python int or float (and any NumPy scalar into a signed integer array) becomes int(v) and must fit
 * the dtype (OverflowError, NaN: ValueError); other NumPy scalars into an unsigned array are cast (they wrap).
 * `cast`: np.full / np.full_like's copyto(casting='unsafe'): only a Python int is checked (NEP 50).
 */
export function storeConv(from: KType, to: KType, mode: 'item' | 'cast' = 'item'): Store | string {
  // Into a complex128 item: a complex as is, a real number or item as complex(x, 0.0) (NumPy's cast).
  if (to.kind === 'complex' && from.kind === 'complex') return { value: (e) => e };
  if (to.kind === 'complex' && from.kind === 'scalar') return { value: (e) => `kr_complex_make((double)(${e}), 0.0)` };
  if (from.kind !== 'scalar' || to.kind !== 'scalar') return `cannot store ${typeToString(from)} into ${typeToString(to)}`;
  const d = to.name;
  const plain: Store = { value: (e) => `((${SCALARS[d].c})(${e}))` };
  const s = SCALARS[d];
  if (s.float || d === 'bool' || d === 'int' || from.name === d || from.name === 'bool') return plain;
  const f = SCALARS[from.name];
  const [lo, hi0] = intRange(d);
  const hi = d === 'uint64' ? I64_MAX : hi0; // int(v) goes through a C long first; uint64's upper half below
  if (f.float) {
    if (mode === 'cast' || (from.name !== 'float' && !s.signed)) return { value: (e) => castFloat(e, d) };
    const above = d === 'int64' ? '-9223372036854775808.0' : `${lo - 1n}.0`;
    const below = d === 'uint64' ? '18446744073709551616.0' : `${hi + 1n}.0`;
    const wide = d === 'uint32' ? 1 : d === 'uint64' ? 2 : 0;
    return { check: (e, cx) => cx.try(`kr_store_float_check(${e}, ${above}, ${below}, ${cI64(lo)}, ${cI64(hi)}, ${wide}, "${d}")`), value: plain.value };
  }
  if (from.name !== 'int' && (mode === 'cast' || !s.signed)) return plain; // NumPy integers are cast: they wrap
  const [flo, fhi] = intRange(from.name === 'int' ? 'int64' : from.name);
  if (flo >= lo && fhi <= hi0) return plain;
  if (from.name === 'uint64') return { check: (e, cx) => cx.try(`kr_store_uint_check(${e}, ${cI64(hi)}, "${d}")`), value: plain.value };
  return { check: (e, cx) => cx.try(`kr_store_int_check(${e}, ${cI64(lo)}, ${cI64(hi)}, "${d}")`), value: plain.value };
}
/** The check statement of a store, indented, or nothing. */
export const storeCheck = (c: Store, e: string, cx: LowerContext, indent = '  '): string[] => (c.check ? [`${indent}${c.check(e, cx)}`] : []);

// ---- shapes, dtypes, copies -----------------------------------------------------------------------------------

/** A shape argument: an int (1-D) or a tuple of ints. Returns the number of dimensions and C that fills `ksh`. */
export function shapeArg(t: KType): { nd: number; fill: (e: string) => string } | string {
  if (isIdx(t)) return { nd: 1, fill: (e) => `ksh[0] = (int64_t)(${e});` };
  if (t.kind === 'tuple' && t.items.length >= 1 && t.items.length <= 3 && t.items.every(isIdx)) {
    return { nd: t.items.length, fill: (e) => t.items.map((_, i) => `ksh[${i}] = (int64_t)(${e}.f${i});`).join(' ') };
  }
  return `the shape must be an int or a tuple of 1 to 3 ints, not ${typeToString(t)}`;
}

/**
 * The dtype a `dtype=` argument names (`dflt` when None). np.complex128 and `complex` name complex128 only where the op
 * says it makes complex arrays (`complex`: types/ops/complex_arrays.ts); elsewhere they are refused.
 */
export const dtypeArg = (t: KType | undefined, dflt: ScalarName, complex = false): ScalarName | { error: string } => {
  if (isNone(t)) return dflt;
  const isComplex = (t!.kind === 'dtype' && t!.name === 'complex128') || (t!.kind === 'builtin' && t!.target === 'builtins.complex');
  if (isComplex) return complex ? 'complex128' : { error: COMPLEX_ARRAYS };
  if (t!.kind === 'dtype') return t!.name;
  return { error: `dtype must be a NumPy type such as np.float64, not ${typeToString(t!)}` };
};

/**
 * One element of dtype `from` as dtype `to` (NumPy's unsafe casting, astype): float -> integer is NumPy's cast
 * as on x86-64 (NaN and out-of-range values give the same result on every target, not C's undefined behaviour);
 * anything -> bool is `!= 0`; every other conversion is the C cast.
 */
export function castItem(e: string, from: ScalarName, to: ScalarName): string {
  if (from === to) return e;
  if (to === 'bool') return `(${e} != 0)`;
  if (SCALARS[from].float && !SCALARS[to].float) return castFloat(e, to);
  return `((${ctOf(to)})${e})`;
}

/** A new C-contiguous copy of an array (converting to dtype `d`). */
export function copyArray(src: Arr, d: ScalarName): Lowering {
  return stmts((a, out, cx) => [
    '{',
    `  ${alloc(out, `${a[0]}.shape`, src.ndim, d, false, cx)}`,
    `  int64_t ks3[3], kv[3], ko = 0; kr_shape3(${a[0]}.shape, ${src.ndim}, ks3); kr_view3(${a[0]}.shape, ${a[0]}.strides, ${src.ndim}, ${src.ndim}, kv);`,
    ...loop3('ks3', [`${out}.data[ko++] = ${castItem(`${a[0]}.data[${off3('kv')}]`, src.dtype, d)};`]).map((l) => `  ${l}`),
    '}',
  ]);
}

/**
 * C that copies a view of `nd` dims (`shape`, source data and element strides) into memory of the same shape
 * with its own strides, casting from dtype `from` to `to` (castItem). The two must not overlap, unless they are
 * the same memory with the same strides.
 */
type View = { data: string; strides: string };
export function copyViewLines(dst: View, src: View, shape: string, nd: number, from: ScalarName, to: ScalarName): string[] {
  return [
    '{',
    // Names of its own (kcv_*), so that the caller's strides and shape (often `kcs`, `ksh`) are not shadowed.
    `  int64_t kcv_n[3], kcv_s[3], kcv_d[3]; kr_shape3(${shape}, ${nd}, kcv_n); kr_view3(${shape}, ${src.strides}, ${nd}, ${nd}, kcv_s); kr_view3(${shape}, ${dst.strides}, ${nd}, ${nd}, kcv_d);`,
    ...loop3('kcv_n', [`(${dst.data})[${off3('kcv_d')}] = ${castItem(`(${src.data})[${off3('kcv_s')}]`, from, to)};`]).map((l) => `  ${l}`),
    '}',
  ];
}

/** A call that raises `kind` with a C string expression as message wherever it runs (NumPy raises it there). */
export function raising(result: KType, argTypes: KType[], kind: string, message: string): Resolved {
  return { result, argTypes, lower: stmts((_a, _o, cx) => [cx.raise(kind, message)]) };
}

/**
 * An axis argument: a constant int, negative counting from the end, for an array of `nd` dims. Out of range it is
 * NumPy's AxisError, raised where the call runs (`raise` is its C message); None gives `dflt`.
 */
export function axisArg(t: KType | undefined, c: ConstValue | undefined, nd: number, dflt?: number): { axis: number | undefined } | { raise: string } | string {
  if (isNone(t)) return { axis: dflt };
  if (!c || (c.kind !== 'int' && c.kind !== 'bool') || !isIdx(t!)) return 'axis must be a constant integer here (axis=0, axis=-1)';
  const k0 = c.kind === 'int' ? Number(c.value) : c.value ? 1 : 0;
  const k = k0 < 0 ? k0 + nd : k0;
  if (k < 0 || k >= nd) return { raise: `"axis ${k0} is out of bounds for array of dimension ${nd}"` };
  return { axis: k };
}

/** A tuple of arrays, or a list of arrays (one type): what np.concatenate, np.stack and friends take. */
export interface ArraySeq {
  /** Each item's type; a list has one entry standing for all its items. */
  items: Arr[];
  /** The number of arrays (C), and item `i` (a C expression; a tuple's index must be a constant). */
  count: (e: string) => string;
  at: (e: string, i: string) => string;
  /** A list: the count is known at run time only. */
  dynamic: boolean;
}
export function arraySeq(t: KType): ArraySeq | undefined {
  if (t.kind === 'tuple' && t.items.length && t.items.every((x) => x.kind === 'array')) {
    return { items: t.items as Arr[], count: () => `${t.items.length}`, at: (e, i) => `${e}.f${i}`, dynamic: false };
  }
  if (t.kind === 'list' && t.item.kind === 'array') {
    const item = t.item;
    return { items: [item], count: (e) => `${e}->len`, at: (e, i) => `((${cType(item)} *)${e}->data)[${i}]`, dynamic: true };
  }
  return undefined;
}
/**
 * C lines that run `body` for each array of a sequence: unrolled for a tuple (each item has its own type), a
 * loop over a list. `body` gets the item's C expression, its index (C) and its type.
 */
export function eachArray(seq: ArraySeq, e: string, body: (item: string, i: string, t: Arr) => string[]): string[] {
  if (!seq.dynamic) return seq.items.flatMap((t, i) => ['{', ...body(seq.at(e, `${i}`), `${i}`, t).map((l) => `  ${l}`), '}']);
  return [`for (int64_t ki = 0; ki < ${seq.count(e)}; ki++) {`, ...body(seq.at(e, 'ki'), 'ki', seq.items[0]).map((l) => `  ${l}`), '}'];
}

// ---- reductions ---------------------------------------------------------------------------------------------

export type RedName = 'sum' | 'prod' | 'min' | 'max' | 'mean' | 'std' | 'var' | 'argmin' | 'argmax' | 'any' | 'all';

/** The dtype NumPy sums and multiplies a dtype in: small ints widen to int64 (uint64), bool counts as int64. */
export function sumDtype(d: ScalarName): ScalarName {
  if (SCALARS[d].float) return d;
  if (d === 'bool') return 'int64';
  return SCALARS[d].signed ? 'int64' : 'uint64';
}

/**
 * The float types of np.mean/var/std of items of dtype d: `acc`, the one they are summed and divided in (dtype=, else
 * float32 for float32 and float64 for the rest), and `diff`, the one of var's `x = a - mean` (NumPy 2's promotion of
 * d and acc: a float64 array or an int of 32 bits or more with a float32 mean gives float64), squared there and
 * converted to acc by the second sum when the two differ.
 */
export function meanTypes(d: ScalarName, into?: ScalarName): { acc: ScalarName; diff: ScalarName } {
  const acc = into ?? (d === 'float32' ? 'float32' : 'float64');
  const wide = d === 'float64' || d === 'int64' || d === 'uint64' || d === 'int32' || d === 'uint32';
  return { acc, diff: acc === 'float32' && wide ? 'float64' : acc };
}

/** The C expression of one reduction over a 3-D view `(base, s3, st3)` of dtype d, into `out` (a scalar); `into`: var/std's dtype=. */
function reduceLines(
  name: RedName, d: ScalarName, out: string, base: string, s3: string, st3: string, cx: LowerContext, divisor: (n: string) => string, cast = false,
  into?: ScalarName,
): string[] {
  const ct = ctOf(d);
  const fl = SCALARS[d].float;
  const get = `${base}[${off3(st3)}]`;
  const each = (body: string[]) => loop3(s3, body);
  const count = `(${s3}[0] * ${s3}[1] * ${s3}[2])`;
  switch (name) {
    case 'sum': {
      const rd = sumDtype(d);
      // Converted items (dtype=): a C-contiguous copy, summed as NumPy's buffered reduction does.
      if (fl && cast) return [`${out} = kr_sum_chunked_${d === 'float32' ? 'f32' : 'f64'}(${base}, ${count});`];
      if (fl) return [`${out} = kr_sum3_${d === 'float32' ? 'f32' : 'f64'}(${base}, ${s3}, ${st3});`];
      return [`{ uint64_t kacc = 0;`, ...each([`kacc += (uint64_t)(${ctOf(rd)})${get};`]), `${out} = (${ctOf(rd)})kacc; }`];
    }
    case 'prod': {
      const rd = sumDtype(d);
      if (fl) return [`{ ${ct} kacc = 1;`, ...each([`kacc *= ${get};`]), `${out} = kacc; }`];
      return [`{ uint64_t kacc = 1;`, ...each([`kacc *= (uint64_t)(${ctOf(rd)})${get};`]), `${out} = (${ctOf(rd)})kacc; }`];
    }
    case 'min': case 'max': {
      const sym = name === 'min' ? '<=' : '>=';
      const uname = name === 'min' ? 'minimum' : 'maximum';
      return [
        `if (${count} == 0) ${cx.raise('ValueError', `"zero-size array to reduction operation ${uname} which has no identity"`)}`,
        `{ ${ct} kacc = ${base}[0]; int kfirst = 1;`,
        ...each([`${ct} kx = ${get}; if (kfirst) { kacc = kx; kfirst = 0; } else ${fl ? `kacc = kr_np_${uname}_f(kacc, kx);` : `kacc = (kacc ${sym} kx) ? kacc : kx;`}`]),
        `${out} = kacc; }`,
      ];
    }
    case 'argmin': case 'argmax': {
      const sym = name === 'argmin' ? '<' : '>';
      return [
        `if (${count} == 0) ${cx.raise('ValueError', `"attempt to get ${name} of an empty sequence"`)}`,
        `{ ${ct} kbest = 0; int64_t kat = 0, kk = 0; int kfound = 0;`,
        ...each([`${ct} kx = ${get};`, `if (!kfound) { kbest = kx; kat = kk; kfound = 1; }`, fl ? `else if (!(kbest != kbest) && (kx ${sym} kbest || kx != kx)) { kbest = kx; kat = kk; }` : `else if (kx ${sym} kbest) { kbest = kx; kat = kk; }`, 'kk++;']),
        `${out} = kat; }`,
      ];
    }
    case 'any':
      return [`{ bool kr = 0;`, ...each([`if (${get} != 0) kr = 1;`]), `${out} = kr; }`];
    case 'all':
      return [`{ bool kr = 1;`, ...each([`if (${get} == 0) kr = 0;`]), `${out} = kr; }`];
    case 'mean': case 'var': case 'std': {
      // NumPy: umr_sum(arr, dtype=float64 for ints) / n; var: x = arr - mean; x = x * x; sum(x) / n; std = sqrt(var).
      // Converted items (ints, dtype=) are summed in the chunks of NumPy's buffered reduction; with var's dtype=,
      // x is in the promoted type (meanTypes) and its squares are converted on the way into the second sum.
      const { acc, diff } = meanTypes(d, into);
      const ft = ctOf(acc), f = acc === 'float32' ? 'f32' : 'f64';
      const conv = cast || !fl || (into !== undefined && into !== d);
      // The items in memory order (NumPy's iterator reads a transposed array so, and var's x = a - mean has a's layout).
      const lines = [`{ int64_t kn = ${count}; ${ft} *kbuf = (${ft} *)kr_alloc((size_t)(kn ? kn : 1) * sizeof(${ft}), 0); if (!kbuf) ${cx.try('-1')}`, `  int64_t kq = 0; kr_view3_memory_order(${s3}, ${st3});`];
      lines.push(...each([`kbuf[kq++] = (${ft})${get};`]).map((l) => `  ${l}`));
      lines.push(`  int64_t kone[3] = {1, 1, kn}, kst1[3] = {0, 0, 1};`);
      lines.push(`  ${ft} kmean = ${conv ? `kr_sum_chunked_${f}(kbuf, kn)` : `kr_sum3_${f}(kbuf, kone, kst1)`} / (${ft})kn;`);
      if (name === 'mean') lines.push(`  ${out} = kmean;`);
      else if (diff === acc) {
        lines.push('  for (int64_t k = 0; k < kn; k++) { kbuf[k] = kbuf[k] - kmean; kbuf[k] = kbuf[k] * kbuf[k]; }');
        lines.push(`  ${ft} kvar = kr_sum3_${f}(kbuf, kone, kst1) / ${divisor('kn')};`);
        lines.push(`  ${out} = ${name === 'std' ? (ft === 'float' ? 'sqrtf(kvar)' : 'sqrt(kvar)') : 'kvar'};`);
      } else {
        // x = a - mean in float64 (the items read again, not their float32 copies), squared, then converted.
        lines.push('  kq = 0;', ...each([`{ double kx = (double)${get} - (double)kmean; kbuf[kq++] = (${ft})(kx * kx); }`]).map((l) => `  ${l}`));
        lines.push(`  ${ft} kvar = kr_sum_chunked_${f}(kbuf, kn) / ${divisor('kn')};`);
        lines.push(`  ${out} = ${name === 'std' ? (ft === 'float' ? 'sqrtf(kvar)' : 'sqrt(kvar)') : 'kvar'};`);
      }
      lines.push('}');
      return lines;
    }
  }
}

function reduceResultDtype(name: RedName, d: ScalarName): ScalarName {
  if (name === 'sum' || name === 'prod') return sumDtype(d);
  if (name === 'mean' || name === 'std' || name === 'var') return d === 'float32' ? 'float32' : 'float64';
  if (name === 'argmin' || name === 'argmax') return 'int64';
  if (name === 'any' || name === 'all') return 'bool';
  return d;
}

/** How a reduction is asked for beyond its axis: keepdims=True, and var/std's ddof (the index of its argument, read at run time). */
export interface ReduceOptions {
  keepdims?: boolean;
  ddof?: number;
  /** ddof is an integer (else a float). */
  ddofInt?: boolean;
  /** The array's items were converted to its dtype (dtype=): a whole float sum or mean adds them as NumPy's buffered reduction does. */
  cast?: boolean;
  /** var/std's dtype= (a float type other than the array's): the mean and the squares are summed and divided in it (meanTypes). */
  into?: ScalarName;
}

/**
 * A float sum along an axis in NumPy's order, into `out`: pairwise (0 + NumPy's pairwise sum) when the axis is the
 * innermost in memory (`kinner`, then NumPy's inner loop runs along it), else in index order from 0.0 (NumPy's
 * iterator then adds slice by slice). `at(j)` is item j as C. `converted`: the items went through NumPy's buffer
 * (dtype=, ints in a mean), which cuts an inner line into chunks of 8,192 (kr_sum_chunked; measured on NumPy 1.24
 * and 2.4 with lines of 8,193 to 30,000 items); the line is then contiguous.
 */
function sumAlongLines(
  out: string, ft: string, f: string, n: string, contiguous: { base: string; stride: string }, at: (j: string) => string, converted = false,
): string[] {
  return [
    converted ? `if (kinner) ${out} = kr_sum_chunked_${f}(${contiguous.base}, ${n});` : `if (kinner) ${out} = kr_sum1_${f}(${contiguous.base}, ${n}, ${contiguous.stride});`,
    `else { ${ft} kacc = (${ft})0; for (int64_t j = 0; j < ${n}; j++) kacc += ${at('j')}; ${out} = kacc; }`,
  ];
}

/** What NumPy raises for a reduction without identity along an axis of length 0. */
const EMPTY_AXIS: Partial<Record<RedName, string>> = {
  min: 'zero-size array to reduction operation minimum which has no identity',
  max: 'zero-size array to reduction operation maximum which has no identity',
  argmin: 'attempt to get argmin of an empty sequence',
  argmax: 'attempt to get argmax of an empty sequence',
};

/**
 * A reduction of an array: over all of it (a NumPy scalar), or along one axis (an array of one dimension less).
 * keepdims keeps the reduced axes with size 1 (an array of the same dimensions). Float sums, means and variances add
 * in NumPy's order (sumAlongLines); var and std divide by max(n - ddof, 0), as NumPy.
 */
export function reduce(name: RedName, x: Arr, axis: number | undefined, opts: ReduceOptions = {}): Res {
  if (x.dtype === 'bool' && ['min', 'max', 'mean', 'std', 'var', 'argmin', 'argmax', 'prod'].includes(name)) return `${name}() of a bool array is not compiled; convert with .astype(np.int64)`;
  const isArg = name === 'argmin' || name === 'argmax';
  const rd = isArg ? 'int64' : opts.into ?? reduceResultDtype(name, x.dtype);
  const scalarResult = isArg ? T.np('int64') : name === 'any' || name === 'all' ? T.bool : T.np(rd);
  const { acc, diff } = meanTypes(x.dtype, opts.into);
  const ft = ctOf(acc);
  const f = acc === 'float32' ? 'f32' : 'f64';
  // var/std's divisor: max(n - ddof, 0), a float of the result's type (NumPy divides by it).
  const divisorOf = (a: string[]) => (n: string) => {
    if (opts.ddof === undefined) return `(${ft})${n}`;
    // An int ddof is subtracted in int64, wrapping as NumPy's intp does; a float one in double.
    const r = opts.ddofInt ? `((int64_t)((uint64_t)${n} - (uint64_t)(${a[opts.ddof]})))` : `((double)${n} - (double)(${a[opts.ddof]}))`;
    return `(${ft})(${r} > 0 ? ${r} : 0)`;
  };
  if (axis === undefined || x.ndim === 1) {
    const whole = (a: string[], out: string, cx: LowerContext) => [
      '{',
      `  int64_t ks3[3], kv[3]; kr_shape3(${a[0]}.shape, ${x.ndim}, ks3); kr_view3(${a[0]}.shape, ${a[0]}.strides, ${x.ndim}, ${x.ndim}, kv);`,
      ...reduceLines(name, x.dtype, out, `${a[0]}.data`, 'ks3', 'kv', cx, divisorOf(a), opts.cast, opts.into).map((l) => `  ${l}`),
      '}',
    ];
    if (!opts.keepdims) return { result: scalarResult, argTypes: [x], lower: stmts(whole) };
    // keepdims: the scalar as an array of x's dimensions, each of size 1.
    const ad = scalarResult.kind === 'scalar' && scalarResult.name === 'bool' ? 'bool' : rd;
    return {
      result: T.array(ad, x.ndim), argTypes: [x],
      lower: stmts((a, out, cx) => [
        '{',
        `  ${ctOf(ad)} kval; int64_t kones[3] = {1, 1, 1};`,
        ...whole(a, 'kval', cx).map((l) => `  ${l}`),
        `  ${alloc(out, 'kones', x.ndim, ad, false, cx)}`,
        `  ${out}.data[0] = kval;`,
        '}',
      ]),
    };
  }
  const others = Array.from({ length: x.ndim }, (_, k) => k).filter((k) => k !== axis);
  const od = isArg ? 'int64' : rd;
  const rnd = opts.keepdims ? x.ndim : x.ndim - 1;
  return {
    result: T.array(od, rnd), argTypes: [x],
    lower: stmts((a, out, cx) => {
      const A = a[0];
      const divisor = divisorOf(a);
      const shape = Array.from({ length: 3 }, (_, k) => (k >= rnd ? '1' : opts.keepdims ? (k === axis ? '1' : `${A}.shape[${k}]`) : `${A}.shape[${others[k]}]`));
      const o = (i: number, what: 'shape' | 'strides') => (i < others.length ? `${A}.${what}[${others[i]}]` : what === 'shape' ? '1' : '0');
      const lines = [
        '{',
        `  int64_t kosh[3] = {${shape.join(', ')}};`,
        // NumPy refuses a reduction without identity along an empty axis even when the result has no items.
        ...(EMPTY_AXIS[name] ? [`  if (${A}.shape[${axis}] == 0) ${cx.raise('ValueError', `"${EMPTY_AXIS[name]}"`)}`] : []),
        `  ${alloc(out, 'kosh', rnd, od, false, cx)}`,
        `  int64_t kn1 = ${o(0, 'shape')}, kn2 = ${o(1, 'shape')}, ks1 = ${o(0, 'strides')}, ks2 = ${o(1, 'strides')};`,
        `  int64_t klen = ${A}.shape[${axis}], kst = ${A}.strides[${axis}], ko = 0;`,
        // The axis is the innermost in memory when every other axis of more than one item has a larger stride
        // (equal strides: the later axis is the inner one, as C order).
        `  int kinner = 1;`,
        '  int64_t kast = kst < 0 ? -kst : kst;',
        ...others.map((k) => `  { int64_t kak = ${A}.strides[${k}] < 0 ? -${A}.strides[${k}] : ${A}.strides[${k}]; if (${A}.shape[${k}] > 1 && (kak < kast || (kak == kast && ${k} > ${axis}))) kinner = 0; }`),
        '  (void)kinner;',
      ];
      const meanLike = name === 'mean' || name === 'var' || name === 'std';
      if (meanLike) lines.push(`  ${ft} *kbuf = (${ft} *)kr_alloc((size_t)(klen ? klen : 1) * sizeof(${ft}), 0); if (!kbuf) ${cx.try('-1')}`);
      lines.push('  for (int64_t p = 0; p < kn1; p++) for (int64_t q = 0; q < kn2; q++) {', `    ${ctOf(x.dtype)} *kbase = ${A}.data + p * ks1 + q * ks2;`);
      const item = `${out}.data[ko]`;
      let body: string[];
      if (name === 'sum' && SCALARS[x.dtype].float) {
        // A converted copy (inDtype) keeps the source's layout, so an inner line is contiguous.
        body = sumAlongLines(item, ft, f, 'klen', { base: 'kbase', stride: 'kst' }, (j) => `kbase[${j} * kst]`, opts.cast);
      } else if (meanLike) {
        body = [
          `for (int64_t j = 0; j < klen; j++) kbuf[j] = (${ft})kbase[j * kst];`,
          `${ft} ksum; ${sumAlongLines('ksum', ft, f, 'klen', { base: 'kbuf', stride: '1' }, (j) => `kbuf[${j}]`, acc !== x.dtype || opts.cast).join(' ')}`,
          `${ft} kmean = ksum / (${ft})klen;`,
        ];
        if (name === 'mean') body.push(`${item} = kmean;`);
        else {
          body.push(
            // NumPy: x = a - mean; x = x * x (an array of a's layout, in meanTypes' diff); sum(x, axis) / max(n - ddof, 0).
            diff === acc ? 'for (int64_t j = 0; j < klen; j++) { kbuf[j] = kbuf[j] - kmean; kbuf[j] = kbuf[j] * kbuf[j]; }'
              : `for (int64_t j = 0; j < klen; j++) { double kx = (double)kbase[j * kst] - (double)kmean; kbuf[j] = (${ft})(kx * kx); }`,
            `${ft} ksq; ${sumAlongLines('ksq', ft, f, 'klen', { base: 'kbuf', stride: '1' }, (j) => `kbuf[${j}]`, diff !== acc).join(' ')}`,
            `${ft} kvar = ksq / ${divisor('klen')};`,
            `${item} = ${name === 'std' ? (ft === 'float' ? 'sqrtf(kvar)' : 'sqrt(kvar)') : 'kvar'};`,
          );
        }
      } else {
        body = ['int64_t ks3[3] = {1, 1, klen}, kv[3] = {0, 0, kst};', ...reduceLines(name, x.dtype, item, 'kbase', 'ks3', 'kv', cx, divisor)];
      }
      lines.push(...body.map((l) => `    ${l}`), '    ko++;', '  }', '}');
      return lines;
    }),
  };
}

// ---- lists and sequences ------------------------------------------------------------------------------------

/**
 * A union of scalars and None (`int | float`, `float | None`): a tagged struct without references, which a list
 * holds by value as it holds a tuple of numbers (its items read as that union; ops dispatch over their members).
 */
export const isScalarUnion = (t: KType): t is KType & { kind: 'union' } =>
  t.kind === 'union' && !isNicheOptional(t) && t.members.every((m) => m.kind === 'scalar' || m.kind === 'none');

type Support = { support?: (name: string, lines: () => string[]) => void };

/**
 * A value `v` looked for among items of a number union `u` (`x in xs`, xs.index(x), xs.count(x)): compared boxed in
 * u, so it must be one of u's members (or a union of them); else why it is not compiled.
 */
export function numberUnionNeedle(u: KType & { kind: 'union' }, v: KType | undefined): string | undefined {
  if (v && unionMembers(v).every((m) => u.members.some((x) => sameType(x, m)))) return undefined;
  return `looking for a ${v ? typeToString(v) : 'value'} among items of ${typeToString(u)} is not compiled; convert it to one of ${u.members.map(typeToString).join(', ')}`;
}

/** A union of Python's bool, int and float (`int | float`): its values compare as numbers (numberUnionCompare). */
export const isNumberUnion = (t: KType): t is KType & { kind: 'union' } =>
  isScalarUnion(t) && t.members.every((m) => m.kind === 'scalar' && ['bool', 'int', 'float'].includes(m.name));

/**
 * Python's comparison of two values of a union of bool, int and float (the items of `[1, 2.5, 3]`), as CPython makes
 * it: ints (and bools) exactly with each other, floats with each other, an int with a float exactly (kr_cmp_i64_f64:
 * 2**53 + 1 > 2.0**53, never the int rounded to a double). The C call of a function declared once per unit that gives
 * -1, 0 or 1, or 2 when a NaN leaves the two unordered (no `<`, `>` or `==` holds); undefined for other unions.
 */
export function numberUnionCompare(u: KType, cx: Support): ((a: string, b: string) => string) | undefined {
  if (!isNumberUnion(u)) return undefined;
  const et = cType(u), name = `kr_cmp_${et.replace(/\W+/g, '')}`;
  const float = u.members.find((m) => m.kind === 'scalar' && m.name === 'float');
  const ints = u.members.filter((m) => m !== float);
  // The int an int or bool member holds (the tag tested: the last one is what remains).
  const intOf = (e: string) => ints.map((m, i) => (i < ints.length - 1 ? `${unionHolds(e, u, m)} ? (int64_t)${unionMember(e, u, m)} : ` : `(int64_t)${unionMember(e, u, m)}`)).join('');
  cx.support?.(name, () => [
    `static inline int ${name}(${et} a, ${et} b) {`,
    ...(float ? [
      `  if (${unionHolds('a', u, float)}) {`,
      `    double x = ${unionMember('a', u, float)};`,
      `    if (${unionHolds('b', u, float)}) { double y = ${unionMember('b', u, float)}; return x < y ? -1 : x > y ? 1 : x == y ? 0 : 2; }`,
      `    int c = kr_cmp_i64_f64(${intOf('b')}, x); return c == 2 ? 2 : -c;`,
      '  }',
      `  if (${unionHolds('b', u, float)}) return kr_cmp_i64_f64(${intOf('a')}, ${unionMember('b', u, float)});`,
    ] : []),
    `  int64_t x = ${intOf('a')}, y = ${intOf('b')}; return x < y ? -1 : x > y;`,
    '}',
  ]);
  return (a, b) => `${name}(${a}, ${b})`;
}

export const listElem = (l: Lst) => (l.item.kind === 'none' ? 'int64_t' : cType(l.item));
/** A list whose items hold owned object references (list[str], list[tuple[str, int]]): the runtime keeps their counts. */
export const objItems = (l: Lst): boolean => ownsReferences(l.item);

/**
 * The layout constant of list items that hold object references (kiln_arrays.h `KR_ITEMS`: the item's size and
 * where its `kr_obj *` fields are, nested tuples flattened), or undefined when the items hold none. A single
 * object is `KR_OBJ_ITEMS`; a tuple names the offset of each object field, so one C constant describes it on every
 * target (32-bit pointers included).
 */
export function itemRefsC(item: KType): string | undefined {
  if (!ownsReferences(item)) return undefined;
  if (isObject(item)) return 'KR_OBJ_ITEMS';
  const ct = cType(item);
  const paths: string[] = [];
  const walk = (t: KType, path: string) => {
    if (isObject(t)) paths.push(path);
    else structFields(t)?.forEach((f, i) => walk(f, path ? `${path}.f${i}` : `f${i}`));
  };
  walk(item, '');
  return `(KR_ITEMS(sizeof(${ct}))${paths.map((p, k) => ` | KR_ITEM_REF_IN(sizeof(${ct}), offsetof(${ct}, ${p}), ${k})`).join('')})`;
}
/** C statements taking one more reference to each object item `e` (of type `item`) holds; none for items without. */
export const retainItem = (item: KType, e: string): string => retainC(item, e).join(' ');

/** A value `t` that may be stored as an item of a list of `item` (one type per list; a character is stored as a str). */
export function sameItem(item: KType, t: KType): string | undefined {
  if (item.kind === 'none') return undefined;
  // A list of a union of numbers and None (`[sum(...) for ...]` is a list of int | float) takes each member, boxed.
  if (isScalarUnion(item) && unionMembers(t).every((m) => item.members.some((x) => sameType(x, m)))) return undefined;
  if (item.kind === 'instance' && t.kind === 'instance' && isSubclassOf(t.cls, item.cls)) return undefined;
  if (typeToString(escaped(item)) !== typeToString(escaped(t)) && !(item.kind === 'list' && t.kind === 'list' && t.item.kind === 'none')) {
    return `a list of ${typeToString(item)} cannot take a ${typeToString(t)} item here (lists hold one type); convert it (float(...), int(...))`;
  }
  return undefined;
}

/**
 * The items of a list of `other` copied into a list of `item` (extend, `+`, `+=`, slice assignment): the same C item,
 * so a list of int | float takes only a list of int | float (a list of float's items would need boxing one by one).
 */
export function sameListItems(item: KType, other: KType): string | undefined {
  if ((isScalarUnion(item) || isScalarUnion(other)) && !sameType(item, other)) {
    return `a list of ${typeToString(item)} cannot take the items of a list of ${typeToString(other)} here (lists hold one type); build one list of ${typeToString(item)} (append each item)`;
  }
  return sameItem(item, other);
}

export function sortReverse(t: KType | undefined, c: ConstValue | undefined): boolean | string {
  if (isNone(t)) return false;
  if (c?.kind === 'bool') return c.value;
  return 'reverse= must be True or False (a constant)';
}
const SORT_SUFFIX: Partial<Record<ScalarName, string>> = { int: 'i64', int64: 'i64', float: 'f64', float64: 'f64', float32: 'f32', uint64: 'u64' };
export const sortSuffix = (l: Lst) => (l.item.kind === 'scalar' ? SORT_SUFFIX[l.item.name] ?? 'i64' : 'i64');
export const sortable = (t: KType) => t.kind === 'none' || (t.kind === 'scalar' && !!SORT_SUFFIX[t.name]);

type CmpC = (a: string, b: string) => string;

/**
 * Python's `<` and `==` of two values of one type, as C: numbers, str (code point order, kiln_str.h) and tuples of
 * those, nested (the first items that differ by == decide with `<`; equal tuples are not less). Undefined for others.
 * Sorts (sorted, list.sort, key=), heapq and the tuple comparisons of nested items all compare through it.
 */
export function pyOrder(t: KType): { lt: CmpC; eq: CmpC } | undefined {
  if (t.kind === 'scalar') return { lt: (a, b) => `(${a} < ${b})`, eq: (a, b) => `(${a} == ${b})` };
  if (t.kind === 'str') return { lt: (a, b) => `(kr_str_cmp(${a}, ${b}) < 0)`, eq: (a, b) => `kr_str_eq(${a}, ${b})` };
  if (t.kind !== 'tuple') return undefined;
  const parts = t.items.map(pyOrder);
  if (parts.some((p) => !p)) return undefined;
  const ps = parts as { lt: CmpC; eq: CmpC }[], f = (e: string, i: number) => `${e}.f${i}`;
  return {
    lt: (a, b) => {
      let e = '0';
      for (let i = ps.length - 1; i >= 0; i--) e = i === ps.length - 1 ? ps[i].lt(f(a, i), f(b, i)) : `(${ps[i].lt(f(a, i), f(b, i))} || (${ps[i].eq(f(a, i), f(b, i))} && ${e}))`;
      return e;
    },
    eq: (a, b) => (ps.length ? `(${ps.map((p, i) => p.eq(f(a, i), f(b, i))).join(' && ')})` : '1'),
  };
}

/** Python's `<` of two tuples (pyOrder), for sorting lists of tuples; undefined for the empty tuple and other types. */
export function tupleLess(t: KType): CmpC | undefined {
  return t.kind === 'tuple' && t.items.length ? pyOrder(t)?.lt : undefined;
}

/**
 * A list of tuples of numbers and str sorted in place with Python's tuple `<` (sorted(pairs), pairs.sort()), or of
 * int | float with Python's `<` of numbers (numberUnionCompare): a KILN_SORT_WITH instance per item type (CPython's
 * timsort, stable; reverse=True keeps equal items in order), declared once per unit. The C call, given the list's C
 * expression; undefined for other items.
 */
export function itemSortCall(l: Lst, reverse: boolean, cx: Support): ((list: string) => string) | undefined {
  const cmp = numberUnionCompare(l.item, cx);
  const less = tupleLess(l.item) ?? (cmp && ((a: string, b: string) => `(${cmp(a, b)} == -1)`));
  if (!less) return undefined;
  const et = cType(l.item), name = `${cmp ? 'numbers' : 'tuples'}_${et.replace(/\W+/g, '')}`, LESS = `KR_${name.toUpperCase()}_LESS`;
  cx.support?.(`kr_sort_${name}`, () => [
    `static inline int kr_${name}_less(${et} a, ${et} b) { return ${less('a', 'b')}; }`,
    `#define ${LESS}(x, y) kr_${name}_less(x, y)`,
    `KILN_SORT_WITH(${name}, ${et}, ${LESS})`,
  ]);
  return (list) => `kr_sort_${name}((${et} *)${list}->data, ${list}->len, ${reverse ? 1 : 0})`;
}

/** The length of a sequence in C (a list, a 1-D array's first dimension, a range, a tuple of one item type). */
export function seqLen(t: KType): ((e: string) => string) | undefined {
  if (t.kind === 'list') return (e) => `${e}->len`;
  if (t.kind === 'array') return (e) => `${e}.shape[0]`;
  if (t.kind === 'range') return (e) => `((int64_t)kr_range_ulen(${e}))`;
  if (t.kind === 'tuple' && tupleItem(t)) return () => `INT64_C(${t.items.length})`;
  return undefined;
}

/** The one type every item of a tuple has (what indexing it with a run-time index gives), if it has one. */
export function tupleItem(t: KType & { kind: 'tuple' }): KType | undefined {
  if (!t.items.length) return undefined;
  const first = typeToString(t.items[0]);
  return t.items.every((x) => typeToString(x) === first) ? t.items[0] : undefined;
}

/** Item k (a C expression, 0 <= k < n) of a tuple whose items have one type: an array of its fields, indexed. */
export const tupleAt = (t: KType & { kind: 'tuple' }, item: KType, e: string, k: string) =>
  `((${cType(item)}[]){ ${t.items.map((_, i) => `${e}.f${i}`).join(', ')} })[${k}]`;

/** Reading item k of a sequence in C (list or 1-D array) and its Python type. */
export function seqItem(t: KType): { type: KType; at: (e: string, k: string) => string } | undefined {
  if (t.kind === 'list' && t.item.kind !== 'none') {
    const et = cType(t.item);
    return { type: t.item, at: (e, k) => `((${et} *)${e}->data)[${k}]` };
  }
  if (t.kind === 'array' && t.ndim === 1) return { type: itemOf(t), at: (e, k) => `${e}.data[(${k}) * ${e}.strides[0]]` };
  if (t.kind === 'range') return { type: T.int, at: (e, k) => `kr_range_at(${e}, ${k})` };
  const item = t.kind === 'tuple' ? tupleItem(t) : undefined;
  if (t.kind === 'tuple' && item) return { type: item, at: (e, k) => tupleAt(t, item, e, k) };
  return undefined;
}

/** A sequence the built-ins over sequences take: a list, an array, a range, a tuple (of one item type). */
export const isSequence = (t: KType | undefined): boolean => !!t && (t.kind === 'list' || t.kind === 'array' || t.kind === 'range' || (t.kind === 'tuple' && !!tupleItem(t)));
