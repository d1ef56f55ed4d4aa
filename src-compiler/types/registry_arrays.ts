/**
 * The op registry for arrays and lists: NumPy arrays of 1 to 3 dimensions (views with element strides,
 * broadcasting, ufuncs, reductions, dot/matmul) and Python lists (items of one type). Entries here are
 * merged into OPS by `withArrayOps`: a target that already exists for scalars (a + b, len, abs, ...) tries
 * the array/list resolution first when an argument is an array or a list.
 *
 * Only registry.ts imports this module (registry.ts's helpers are used inside functions only).
 */
import { INPLACE_OPS, type ConstValue } from '../ir/ir.ts';
import {
  SCALARS, T, cType, elemCType, isArray, isList, isIntLike, isFloatLike, isBool, isNumpy, isPyFloat, isPyInt,
  typeToString, ARRAY_DTYPES, type KType, type ScalarName,
} from './types.ts';
import { convert, lookupOp, npBinaryType, splitTopLevel, type Lowering, type LowerContext, type OpEntry, type Resolved } from './registry.ts';

type Res = Resolved | string;
type Arr = KType & { kind: 'array' };
type Lst = KType & { kind: 'list' };

const stmts = (emit: (a: string[], out: string, cx: LowerContext) => string[]): Lowering => ({ kind: 'stmts', emit });
const expr = (emit: (a: string[]) => string): Lowering => ({ kind: 'expr', emit });
const isNone = (t: KType | undefined) => !t || t.kind === 'none';
const isScalarT = (t: KType) => t.kind === 'scalar';
const isIdx = (t: KType) => t.kind === 'scalar' && isIntLike(t) && !isBool(t) && t.name !== 'uint64';

/** The item type of an array's elements as Python sees them (np.float64, ..., bool). */
export const itemOf = (a: Arr): KType => T.np(a.dtype);
/** The array dtype that holds a scalar type: int -> int64, float -> float64. */
export function dtypeOf(t: KType): ScalarName {
  if (t.kind !== 'scalar') throw new Error(`internal: no dtype for ${typeToString(t)}`);
  return t.name === 'int' ? 'int64' : t.name === 'float' ? 'float64' : t.name;
}
const sz = (d: ScalarName) => `sizeof(${SCALARS[d].c})`;
const ctOf = (d: ScalarName) => SCALARS[d].c;

// ---- annotations ----------------------------------------------------------------------------------

/**
 * `npt.NDArray[np.float64]` (1-D unless `ndim` says otherwise: `@compile(ndim={"a": 2})`),
 * `np.ndarray[tuple[int, int], np.dtype[np.float64]]` (the shape tuple gives the dimensions),
 * `list[float]`, `list[list[int]]`, `List[int]`.
 */
export function arrayAnnotationType(s: string, imports: Record<string, string>, ndim: number | undefined, scalar: (x: string) => KType | undefined): KType | undefined {
  const m = /^([\w.]+)\[(.*)\]$/.exec(s);
  if (!m) return undefined;
  const head = resolveDotted(m[1], imports);
  const parts = splitTopLevel(m[2]).map((p) => p.trim());
  if (head === 'list' || head === 'typing.List' || head === 'builtins.list') {
    if (parts.length !== 1) return undefined;
    const item = arrayAnnotationType(parts[0], imports, undefined, scalar) ?? scalar(parts[0]);
    if (!item || (item.kind !== 'scalar' && item.kind !== 'list')) return undefined;
    return T.list(item);
  }
  const dtypeOfText = (x: string): ScalarName | undefined => {
    const inner = /^([\w.]+)\[(.*)\]$/.exec(x);
    if (inner && ['numpy.dtype'].includes(resolveDotted(inner[1], imports))) return dtypeOfText(inner[2].trim());
    const r = resolveDotted(x, imports);
    if (r === 'builtins.float' || r === 'float') return 'float64';
    if (r === 'builtins.int' || r === 'int') return 'int64';
    if (r === 'builtins.bool' || r === 'bool' || r === 'numpy.bool_') return 'bool';
    const name = r.startsWith('numpy.') ? r.slice(6) : undefined;
    return name && (ARRAY_DTYPES as string[]).includes(name) ? (name as ScalarName) : undefined;
  };
  if (head === 'numpy.typing.NDArray') {
    if (parts.length !== 1) return undefined;
    const d = dtypeOfText(parts[0]);
    return d ? T.array(d, ndim ?? 1) : undefined;
  }
  if (head === 'numpy.ndarray') {
    if (parts.length !== 2) return undefined;
    const shape = /^(?:tuple|typing\.Tuple|Tuple)\[(.*)\]$/.exec(parts[0]);
    const nd = shape ? splitTopLevel(shape[1]).length : ndim ?? 1;
    const d = dtypeOfText(parts[1]);
    return d && nd >= 1 && nd <= 3 ? T.array(d, nd) : undefined;
  }
  return undefined;
}

function resolveDotted(x: string, imports: Record<string, string>): string {
  const dot = x.indexOf('.');
  const first = dot < 0 ? x : x.slice(0, dot);
  const origin = imports[first];
  if (origin) return dot < 0 ? origin : `${origin}${x.slice(dot)}`;
  if (dot < 0 && ['list', 'float', 'int', 'bool'].includes(x)) return x;
  return x;
}

// ---- C helpers --------------------------------------------------------------------------------------

/** `a.data[i0*s[0] + ...]` style offsets of a 3-D iteration view. */
const off3 = (v: string) => `i0 * ${v}[0] + i1 * ${v}[1] + i2 * ${v}[2]`;
const loop3 = (shape: string, body: string[]): string[] => [
  `for (int64_t i0 = 0; i0 < ${shape}[0]; i0++) for (int64_t i1 = 0; i1 < ${shape}[1]; i1++) for (int64_t i2 = 0; i2 < ${shape}[2]; i2++) {`,
  ...body.map((l) => `  ${l}`),
  '}',
];
// The strides are stated again after the (out-of-line) allocation so that the C compiler knows them: the
// innermost one is 1, and indexing a new array needs no multiply (histogram's counts[k] += 1: 10 % faster).
const alloc = (out: string, shapeExpr: string, nd: number, d: ScalarName, zero: boolean, cx: LowerContext) =>
  `${cx.try(`kr_array_alloc((void **)&${out}.data, ${out}.shape, ${out}.strides, ${shapeExpr}, ${nd}, ${sz(d)}, ${zero ? 1 : 0})`)} kr_c_strides(${out}.shape, ${nd}, ${out}.strides);`;

/** The element expression `x` has for scalar type `from` converted to `to` (expressions only). */
function conv(e: string, from: KType, to: KType): string | undefined {
  const c = convert(e, from, to);
  return 'expr' in c ? c.expr : undefined;
}

/**
 * An element-wise operation over arrays and scalars with NumPy broadcasting: a new C-contiguous array of
 * dtype `rd`; `body` gets each operand's element (arrays) or value (scalars).
 */
function elementwise(operands: KType[], rd: ScalarName, body: (vals: string[]) => string, pre: ScalarBody['pre'] = new Map()): Lowering {
  return stmts((a, out, cx) => {
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
    lines.push('  int64_t ko = 0;');
    lines.push(...loop3('ks3', [`${out}.data[ko++] = ${body(vals)};`]).map((l) => `  ${l}`));
    lines.push('}');
    return lines;
  });
}

interface ScalarBody { result: KType; body: (v: string[]) => string; pre: Map<number, { from: KType; to: KType }> }

/**
 * Resolves a scalar op on the element types and returns its expression lowering, or why not. `pre`: operands
 * that are scalars (not array elements) whose conversion to the op's type can raise (a Python int into an int32
 * array's op: OverflowError out of range, as NumPy 2): elementwise converts them once, before the loop, and
 * `body` gets them converted.
 */
function scalarBody(target: string, elems: KType[], scalarOperand: boolean[] = []): ScalarBody | string {
  const op = lookupOp(target);
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

const elemOf = (t: KType): KType => (t.kind === 'array' ? itemOf(t) : t);

/** `a OP b` where one side is an array: NumPy's element-wise op with broadcasting. */
function arrayBinary(target: string, args: KType[]): Res | undefined {
  if (!args.some(isArray)) return undefined;
  if (!args.every((t) => isArray(t) || isScalarT(t))) return `${target.split('.').pop()} of ${args.map(typeToString).join(' and ')} is not compiled`;
  const elems = args.map(elemOf);
  if (['_operator.add', '_operator.sub', '_operator.mul'].includes(target) && args.every((t) => t.kind !== 'array' || t.dtype === 'bool')) {
    return 'arithmetic on bool arrays is not compiled; convert with .astype(np.int64)';
  }
  // NumPy: element types promote as NumPy scalars do (Python numbers are weak).
  const npElems = elems.map((t, i) => (args[i].kind === 'array' ? t : t));
  const b = scalarBody(target, npElems, args.map((t) => t.kind !== 'array'));
  if (typeof b === 'string') return b;
  let result = b.result;
  if (result.kind !== 'scalar') return 'not an element-wise result';
  const rd = dtypeOf(result);
  return { result: T.array(rd, Math.max(...args.map((t) => (t.kind === 'array' ? t.ndim : 0)))), argTypes: args, lower: elementwise(args, rd, b.body, b.pre) };
}

function arrayUnary(target: string, args: KType[]): Res | undefined {
  const [a] = args;
  if (!a || a.kind !== 'array') return undefined;
  const b = scalarBody(target, [itemOf(a)]);
  if (typeof b === 'string') return b;
  if (b.result.kind !== 'scalar') return 'not an element-wise result';
  const rd = dtypeOf(b.result);
  return { result: T.array(rd, a.ndim), argTypes: args, lower: elementwise(args, rd, b.body) };
}

// ---- indexing -------------------------------------------------------------------------------------------

/** C that computes the element pointer `kp` (and the view's shape/strides into `out`) for a[idx...]. */
function indexLines(arr: Arr, idxTypes: KType[], a: string, idx: string[], out: string | undefined, cx: LowerContext, msgAxis = true): string[] {
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

function viewNdim(arr: Arr, idxTypes: KType[]): number {
  return arr.ndim - idxTypes.filter((t) => t.kind !== 'slice').length;
}

function getitem(args: KType[]): Res | undefined {
  const [seq, ...idx] = args;
  if (seq.kind === 'list') {
    if (idx.length !== 1) return 'list indices must be integers or slices, not tuple';
    const [i] = idx;
    const item = seq.item;
    if (item.kind === 'none') return 'IndexError: list index out of range (the list is always empty here)';
    const et = cType(item);
    if (i.kind === 'slice') {
      return {
        result: seq, argTypes: args,
        lower: stmts((a, out, cx) => [
          `{ int64_t ks, kst, kn; ${cx.try(`kr_slice_adjust(${a[1]}, ${a[0]}->len, &ks, &kst, &kn)`)}`,
          `  ${out} = kr_list_new(kn, sizeof(${et})); if (!${out}) ${cx.try('-1')}`,
          `  for (int64_t k = 0; k < kn; k++) ((${et} *)${out}->data)[k] = ((${et} *)${a[0]}->data)[ks + k * kst]; }`,
        ]),
      };
    }
    if (!isIdx(i)) return `list indices must be integers or slices, not ${typeToString(i)}`;
    return {
      result: item, argTypes: [seq, T.int],
      lower: stmts((a, out, cx) => cx.boundscheck
        ? [`{ int64_t kk; ${cx.try(`kr_list_index(${a[1]}, ${a[0]}->len, "list index out of range", &kk)`)} ${out} = ((${et} *)${a[0]}->data)[kk]; }`]
        : [`${out} = ((${et} *)${a[0]}->data)[${a[1]} < 0 ? ${a[1]} + ${a[0]}->len : ${a[1]}];`]),
    };
  }
  if (seq.kind !== 'array') return undefined;
  // Boolean mask: a[mask] -> a new 1-D array of the selected items.
  if (idx.length === 1 && idx[0].kind === 'array' && idx[0].dtype === 'bool') {
    const m = idx[0];
    if (m.ndim !== seq.ndim) return 'a boolean mask must have the dimensions of the array';
    return {
      result: T.array(seq.dtype, 1), argTypes: args,
      lower: stmts((a, out, cx) => {
        const lines = ['{'];
        for (let k = 0; k < seq.ndim; k++) lines.push(`  if (${a[0]}.shape[${k}] != ${a[1]}.shape[${k}]) ${cx.raise('IndexError', `kr_msg_mask(${k}, ${a[0]}.shape[${k}], ${a[1]}.shape[${k}])`)}`);
        lines.push(`  int64_t ks3[3], kva[3], kvm[3], kcount = 0, ko = 0;`, `  kr_shape3(${a[0]}.shape, ${seq.ndim}, ks3);`, `  kr_view3(${a[0]}.shape, ${a[0]}.strides, ${seq.ndim}, ${seq.ndim}, kva); kr_view3(${a[1]}.shape, ${a[1]}.strides, ${seq.ndim}, ${seq.ndim}, kvm);`);
        lines.push(...loop3('ks3', [`kcount += ${a[1]}.data[${off3('kvm')}] != 0;`]).map((l) => `  ${l}`));
        lines.push(`  ${alloc(out, '&kcount', 1, seq.dtype, false, cx)}`);
        lines.push(...loop3('ks3', [`if (${a[1]}.data[${off3('kvm')}]) ${out}.data[ko++] = ${a[0]}.data[${off3('kva')}];`]).map((l) => `  ${l}`));
        lines.push('}');
        return lines;
      }),
    };
  }
  if (idx.length > seq.ndim) return `IndexError: too many indices for array: array is ${seq.ndim}-dimensional, but ${idx.length} were indexed`;
  for (const t of idx) if (t.kind !== 'slice' && !isIdx(t)) return `IndexError: only integers, slices (\`:\`) and boolean arrays are valid indices (got ${typeToString(t)})`;
  const nd = viewNdim(seq, idx);
  const result = nd === 0 ? itemOf(seq) : T.array(seq.dtype, nd);
  return {
    result, argTypes: args,
    lower: stmts((a, out, cx) => {
      const lines = indexLines(seq, idx, a[0], a.slice(1), nd ? out : undefined, cx);
      lines.push(nd === 0 ? `${out} = *kp;` : `${out}.data = kp;`);
      return ['{', ...lines.map((l) => `  ${l}`), '}'];
    }),
  };
}

/** kiln.iter_item(seq, i): item i of a sequence being iterated (0 <= i < len, so no check). */
function iterItem(args: KType[]): Res {
  const [seq] = args;
  if (seq.kind === 'list') {
    if (seq.item.kind === 'none') return 'iterating an empty list whose items are never known';
    const et = cType(seq.item);
    return { result: seq.item, argTypes: [seq, T.int], lower: expr((a) => `((${et} *)${a[0]}->data)[${a[1]}]`) };
  }
  if (seq.kind === 'array') {
    if (seq.ndim === 1) return { result: itemOf(seq), argTypes: [seq, T.int], lower: expr((a) => `${a[0]}.data[${a[1]} * ${a[0]}.strides[0]]`) };
    return {
      result: T.array(seq.dtype, seq.ndim - 1), argTypes: [seq, T.int],
      lower: stmts((a, out) => {
        const lines = [`${out}.data = ${a[0]}.data + ${a[1]} * ${a[0]}.strides[0];`];
        for (let k = 1; k < seq.ndim; k++) lines.push(`${out}.shape[${k - 1}] = ${a[0]}.shape[${k}]; ${out}.strides[${k - 1}] = ${a[0]}.strides[${k}];`);
        return lines;
      }),
    };
  }
  return `'${typeToString(seq)}' object is not iterable`;
}

const STORE_NOTE = 'Storing into an integer array follows NumPy 2: a Python int the dtype cannot hold raises OverflowError ("Python integer 300 out of bounds for uint8"), a float is int(x) and then checked (NaN: ValueError, infinity: OverflowError); NumPy scalars stored into an unsigned array wrap.';
/** How a value is stored into an array element: a check that raises what NumPy raises (only where a value can
 * be out of the dtype's range), then the C value to store. */
interface Store {
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
function storeConv(from: KType, to: KType, mode: 'item' | 'cast' = 'item'): Store | string {
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
const storeCheck = (c: Store, e: string, cx: LowerContext, indent = '  '): string[] => (c.check ? [`${indent}${c.check(e, cx)}`] : []);

function setitem(args: KType[]): Res | undefined {
  const seq = args[0];
  const idx = args.slice(1, -1);
  const v = args[args.length - 1];
  if (seq.kind === 'list') {
    if (idx.length !== 1 || !isIdx(idx[0])) return 'list assignment takes one integer index here (slice assignment is not compiled)';
    if (seq.item.kind === 'none') return 'IndexError: list assignment index out of range (the list is always empty here)';
    if (typeToString(v) !== typeToString(seq.item)) {
      return `storing ${typeToString(v)} into a ${typeToString(seq)} would give a list of mixed types; convert the value (float(...), int(...))`;
    }
    const et = cType(seq.item);
    return {
      result: T.none, argTypes: [seq, T.int, v],
      lower: stmts((a, _o, cx) => cx.boundscheck
        ? [`{ int64_t kk; ${cx.try(`kr_list_index(${a[1]}, ${a[0]}->len, "list assignment index out of range", &kk)`)} ((${et} *)${a[0]}->data)[kk] = ${a[2]}; }`]
        : [`((${et} *)${a[0]}->data)[${a[1]} < 0 ? ${a[1]} + ${a[0]}->len : ${a[1]}] = ${a[2]};`]),
    };
  }
  if (seq.kind !== 'array') return undefined;
  if (idx.length === 1 && idx[0].kind === 'array' && idx[0].dtype === 'bool') {
    const m = idx[0];
    if (m.ndim !== seq.ndim || v.kind !== 'scalar') return 'a[mask] = value takes a mask of the array\'s dimensions and a number';
    const c = storeConv(v, itemOf(seq));
    if (typeof c === 'string') return c;
    return {
      result: T.none, argTypes: args,
      lower: stmts((a, _o, cx) => {
        const lines = ['{'];
        for (let k = 0; k < seq.ndim; k++) lines.push(`  if (${a[0]}.shape[${k}] != ${a[1]}.shape[${k}]) ${cx.raise('IndexError', `kr_msg_mask(${k}, ${a[0]}.shape[${k}], ${a[1]}.shape[${k}])`)}`);
        lines.push(...storeCheck(c, a[2], cx));
        lines.push(`  int64_t ks3[3], kva[3], kvm[3];`, `  kr_shape3(${a[0]}.shape, ${seq.ndim}, ks3);`, `  kr_view3(${a[0]}.shape, ${a[0]}.strides, ${seq.ndim}, ${seq.ndim}, kva); kr_view3(${a[1]}.shape, ${a[1]}.strides, ${seq.ndim}, ${seq.ndim}, kvm);`);
        lines.push(...loop3('ks3', [`if (${a[1]}.data[${off3('kvm')}]) ${a[0]}.data[${off3('kva')}] = ${c.value(a[2])};`]).map((l) => `  ${l}`));
        lines.push('}');
        return lines;
      }),
    };
  }
  if (idx.length > seq.ndim) return `IndexError: too many indices for array: array is ${seq.ndim}-dimensional, but ${idx.length} were indexed`;
  for (const t of idx) if (t.kind !== 'slice' && !isIdx(t)) return `only integers and slices are valid indices here (got ${typeToString(t)})`;
  const nd = viewNdim(seq, idx);
  if (nd === 0) {
    const c = storeConv(v, itemOf(seq));
    if (typeof c === 'string') return c;
    return {
      result: T.none, argTypes: args,
      lower: stmts((a, _o, cx) => {
        const val = a[a.length - 1];
        return ['{', ...indexLines(seq, idx, a[0], a.slice(1, -1), undefined, cx).map((l) => `  ${l}`), ...storeCheck(c, val, cx), `  *kp = ${c.value(val)};`, '}'];
      }),
    };
  }
  // Assignment into a view: a number fills it; an array is broadcast to it (copied first: it may overlap).
  if (v.kind === 'array' && v.ndim > nd) return `ValueError: could not broadcast a ${v.ndim}-D array into a ${nd}-D view`;
  if (v.kind !== 'array' && v.kind !== 'scalar') return `cannot assign ${typeToString(v)} into an array view`;
  // A number is stored as a[i] = v is (checked); an array's elements are cast (NumPy's unsafe casting).
  const c = storeConv(elemOf(v), itemOf(seq), v.kind === 'array' ? 'cast' : 'item');
  if (typeof c === 'string') return c;
  return {
    result: T.none, argTypes: args,
    lower: stmts((a, _o, cx) => {
      const val = a[a.length - 1];
      const lines = ['{', `  ${cType(seq)} kw;`, ...indexLines(seq, idx, a[0], a.slice(1, -1), 'kw', cx).map((l) => `  ${l}`), '  kw.data = kp;', '  int64_t ks3[3], kvw[3];'];
      lines.push(`  kr_shape3(kw.shape, ${nd}, ks3); kr_view3(kw.shape, kw.strides, ${nd}, ${nd}, kvw);`);
      if (v.kind === 'array') {
        const vt = ctOf(v.dtype);
        lines.push(`  int64_t kb[3];`, `  ${cx.try(`kr_broadcast_shapes(kw.shape, ${nd}, ${val}.shape, ${v.ndim}, kb)`)}`);
        lines.push(`  for (int k = 0; k < ${nd}; k++) if (kb[k] != kw.shape[k]) ${cx.raise('ValueError', '"could not broadcast input array into the shape of the assignment"')}`);
        lines.push(`  int64_t kvv[3], kn = kr_size(${val}.shape, ${v.ndim}), kq = 0, ks3v[3], kvs[3];`);
        lines.push(`  ${vt} *kcopy = (${vt} *)kr_alloc((size_t)kn * sizeof(${vt}), 0); if (!kcopy) ${cx.try('-1')}`);
        lines.push(`  kr_shape3(${val}.shape, ${v.ndim}, ks3v); kr_view3(${val}.shape, ${val}.strides, ${v.ndim}, ${v.ndim}, kvs);`);
        lines.push(...loop3('ks3v', [`kcopy[kq++] = ${val}.data[${off3('kvs')}];`]).map((l) => `  ${l}`));
        lines.push(`  int64_t kcs[3]; kr_c_strides(${val}.shape, ${v.ndim}, kcs); kr_view3(${val}.shape, kcs, ${v.ndim}, ${nd}, kvv);`);
        lines.push(...loop3('ks3', [`kw.data[${off3('kvw')}] = ${c.value(`kcopy[${off3('kvv')}]`)};`]).map((l) => `  ${l}`));
      } else {
        lines.push(...storeCheck(c, val, cx));
        lines.push(...loop3('ks3', [`kw.data[${off3('kvw')}] = ${c.value(val)};`]).map((l) => `  ${l}`));
      }
      lines.push('}');
      return lines;
    }),
  };
}

// ---- creation ---------------------------------------------------------------------------------------------

/** A shape argument: an int (1-D) or a tuple of ints. Returns the number of dimensions and C that fills `ksh`. */
function shapeArg(t: KType): { nd: number; fill: (e: string) => string } | string {
  if (isIdx(t)) return { nd: 1, fill: (e) => `ksh[0] = (int64_t)(${e});` };
  if (t.kind === 'tuple' && t.items.length >= 1 && t.items.length <= 3 && t.items.every(isIdx)) {
    return { nd: t.items.length, fill: (e) => t.items.map((_, i) => `ksh[${i}] = (int64_t)(${e}.f${i});`).join(' ') };
  }
  return `the shape must be an int or a tuple of 1 to 3 ints, not ${typeToString(t)}`;
}

const dtypeArg = (t: KType | undefined, dflt: ScalarName): ScalarName | { error: string } => {
  if (isNone(t)) return dflt;
  if (t!.kind === 'dtype') return t!.name;
  return { error: `dtype must be a NumPy type such as np.float64, not ${typeToString(t!)}` };
};

/**
 * np.empty and np.empty_like are not cleared, as in NumPy (clearing pairwise's 320 KB result cost 6 us a call),
 * except for bool, where a byte other than 0 or 1 would be undefined behaviour in C.
 */
function creation(name: 'zeros' | 'ones' | 'empty' | 'full'): OpEntry {
  return {
    target: `numpy.${name}`, group: 'numpy', python: name === 'full' ? 'np.full(shape, value, dtype=None)' : `np.${name}(shape, dtype=np.float64)`,
    notes: name === 'full' ? 'A Python int the dtype cannot hold raises OverflowError (NumPy 2); a float or NumPy scalar fill value is cast as NumPy casts it on x86-64 (NaN into int32: -2147483648), the same on every target.' : undefined,
    signatures: ['int | tuple of 1-3 ints [, dtype] -> new array (float64 unless dtype is given)'],
    resolve(args) {
      const [shape, fill] = args;
      const s = shapeArg(shape);
      if (typeof s === 'string') return s;
      const dflt = name === 'full' ? (fill && fill.kind === 'scalar' ? dtypeOf(fill) : 'float64') : 'float64';
      const d = dtypeArg(args[name === 'full' ? 2 : 1], dflt);
      if (typeof d !== 'string') return d.error;
      if (name === 'full' && (!fill || fill.kind !== 'scalar')) return 'np.full() takes a number as fill value';
      const c = name === 'full' ? storeConv(fill, T.np(d), 'cast') : undefined;
      if (typeof c === 'string') return c;
      return {
        result: T.array(d, s.nd), argTypes: args,
        lower: stmts((a, out, cx) => {
          const lines = ['{', '  int64_t ksh[3] = {1, 1, 1};', `  ${s.fill(a[0])}`, `  ${alloc(out, 'ksh', s.nd, d, name === 'zeros' || (name === 'empty' && d === 'bool'), cx)}`];
          if (name === 'ones' || name === 'full') {
            const v = name === 'ones' ? `(${ctOf(d)})1` : c!.value(a[1]);
            if (c) lines.push(...storeCheck(c, a[1], cx));
            lines.push(`  int64_t kn = kr_size(ksh, ${s.nd}); ${ctOf(d)} kfill = ${v};`, `  for (int64_t k = 0; k < kn; k++) ${out}.data[k] = kfill;`);
          }
          lines.push('}');
          return lines;
        }),
      };
    },
  };
}

function creationLike(name: 'zeros_like' | 'ones_like' | 'empty_like' | 'full_like'): OpEntry {
  return {
    target: `numpy.${name}`, group: 'numpy', python: `np.${name}(a${name === 'full_like' ? ', value' : ''}, dtype=None)`,
    signatures: ['array -> new array of its shape and dtype'],
    resolve(args) {
      const [arr] = args;
      if (!arr || arr.kind !== 'array') return `np.${name}() takes an array here`;
      const fill = name === 'full_like' ? args[1] : undefined;
      const d = dtypeArg(args[name === 'full_like' ? 2 : 1], arr.dtype);
      if (typeof d !== 'string') return d.error;
      if (name === 'full_like' && (!fill || fill.kind !== 'scalar')) return 'np.full_like() takes a number as fill value';
      const c = fill ? storeConv(fill, T.np(d), 'cast') : undefined;
      if (typeof c === 'string') return c;
      return {
        result: T.array(d, arr.ndim), argTypes: args,
        lower: stmts((a, out, cx) => {
          const lines = [alloc(out, `${a[0]}.shape`, arr.ndim, d, name === 'zeros_like' || (name === 'empty_like' && d === 'bool'), cx)];
          if (c) lines.push(...storeCheck(c, a[1], cx, ''));
          if (name === 'ones_like' || name === 'full_like') {
            lines.push(`{ int64_t kn = kr_size(${out}.shape, ${arr.ndim}); ${ctOf(d)} kfill = ${name === 'ones_like' ? `(${ctOf(d)})1` : c!.value(a[1])}; for (int64_t k = 0; k < kn; k++) ${out}.data[k] = kfill; }`);
          }
          return lines;
        }),
      };
    },
  };
}

const arange: OpEntry = {
  target: 'numpy.arange', group: 'numpy', python: 'np.arange([start,] stop[, step], dtype=None)',
  signatures: ['ints -> int64 array', 'numbers -> float64 array (NumPy: start + i * ((start + step) - start))'],
  resolve(args) {
    const given = args.slice(0, 3).filter((t) => !isNone(t));
    if (!given.length || !given.every(isScalarT)) return 'np.arange() takes 1 to 3 numbers';
    const allInt = given.every((t) => isIntLike(t));
    const d = dtypeArg(args[3], allInt ? 'int64' : 'float64');
    if (typeof d !== 'string') return d.error;
    const n = given.length;
    const argTypes = args.map((t, i) => (i < 3 && !isNone(t) ? (allInt ? T.int : T.float) : t));
    return {
      result: T.array(d, 1), argTypes,
      lower: stmts((a, out, cx) => {
        const [start, stop, step] = n === 1 ? ['0', a[0], '1'] : n === 2 ? [a[0], a[1], '1'] : [a[0], a[1], a[2]];
        const lines = ['{'];
        if (allInt) {
          lines.push(`  int64_t kst = ${start}, ksp = ${stop}, kstep = ${step}, kn = 0;`);
          lines.push(`  if (kstep == 0) ${cx.raise('ZeroDivisionError', '"division by zero"')}`);
          lines.push('  if (kstep > 0 && ksp > kst) kn = (int64_t)(((uint64_t)ksp - (uint64_t)kst - 1) / (uint64_t)kstep + 1);');
          lines.push('  if (kstep < 0 && ksp < kst) kn = (int64_t)(((uint64_t)kst - (uint64_t)ksp - 1) / (0 - (uint64_t)kstep) + 1);');
          lines.push(`  ${alloc(out, '&kn', 1, d, false, cx)}`);
          lines.push(`  for (int64_t k = 0; k < kn; k++) ${out}.data[k] = (${ctOf(d)})(kst + k * kstep);`);
        } else {
          lines.push(`  double kst = ${start}, ksp = ${stop}, kstep = ${step};`);
          lines.push(`  if (kstep == 0.0) ${cx.raise('ZeroDivisionError', '"division by zero"')}`);
          lines.push('  double klen = ceil((ksp - kst) / kstep);');
          lines.push(`  if (!(klen >= -9223372036854775808.0 && klen < 9223372036854775808.0)) ${cx.raise('ValueError', '"Maximum allowed size exceeded"')}`);
          lines.push('  int64_t kn = klen > 0 ? (int64_t)klen : 0;');
          lines.push(`  ${alloc(out, '&kn', 1, d, false, cx)}`);
          lines.push('  double kdelta = (kst + kstep) - kst;');
          lines.push(`  for (int64_t k = 0; k < kn; k++) ${out}.data[k] = (${ctOf(d)})(k == 0 ? kst : k == 1 ? kst + kstep : kst + (double)k * kdelta);`);
        }
        lines.push('}');
        return lines;
      }),
    };
  },
};

const linspace: OpEntry = {
  target: 'numpy.linspace', group: 'numpy', python: 'np.linspace(start, stop, num=50, endpoint=True)',
  signatures: ['numbers -> float64 array (NumPy\'s formula: i * step + start, the last item is stop)'],
  resolve(args) {
    const [start, stop, num, endpoint, dt] = args;
    if (!isScalarT(start) || !isScalarT(stop)) return 'np.linspace() takes numbers';
    if (!isNone(num) && !isIdx(num)) return 'num must be an int';
    if (!isNone(endpoint) && !isBool(endpoint)) return 'endpoint must be a bool';
    const d = dtypeArg(dt, 'float64');
    if (typeof d !== 'string') return d.error;
    return {
      result: T.array(d, 1), argTypes: [T.float, T.float, isNone(num) ? num ?? T.none : T.int, endpoint ?? T.none, dt ?? T.none],
      lower: stmts((a, out, cx) => [
        '{',
        `  int64_t kn = ${isNone(num) ? '50' : a[2]}; bool kend = ${isNone(endpoint) ? '1' : a[3]};`,
        `  if (kn < 0) ${cx.raise('ValueError', '"Number of samples, %s, must be non-negative."')}`,
        `  ${alloc(out, '&kn', 1, d, false, cx)}`,
        `  double kst = ${a[0]}, ksp = ${a[1]}; int64_t kdiv = kend ? kn - 1 : kn; double kdelta = ksp - kst;`,
        '  double kstep = kdiv > 0 ? kdelta / (double)kdiv : NAN;',
        `  for (int64_t k = 0; k < kn; k++) { double y = (double)k; if (kdiv > 0) { if (kstep == 0) y = y / (double)kdiv * kdelta; else y = y * kstep; } else y = y * kdelta; ${out}.data[k] = (${ctOf(d)})(y + kst); }`,
        `  if (kend && kn > 1) ${out}.data[kn - 1] = (${ctOf(d)})ksp;`,
        '}',
      ]),
    };
  },
};

/** np.array(list) / np.asarray: a new array from a list (or a list of lists) of numbers, or a copy of an array. */
function arrayFrom(name: string): OpEntry {
  return {
    target: `numpy.${name}`, group: 'numpy', python: `np.${name}(list_or_array, dtype=None)`,
    signatures: ['list[number] -> 1-D array', 'list[list[number]] -> 2-D array (ValueError when ragged)', 'array -> copy (np.asarray of the same dtype: the array itself)'],
    resolve(args) {
      const [src, dt] = args;
      if (src.kind === 'array') {
        const d = dtypeArg(dt, src.dtype);
        if (typeof d !== 'string') return d.error;
        // np.asarray(a) of the same dtype is `a` itself (writes through it reach `a`); np.array copies.
        if (name === 'asarray' && d === src.dtype) return { result: src, argTypes: args, lower: expr((a) => a[0]) };
        return { result: T.array(d, src.ndim), argTypes: args, lower: copyArray(src, d) };
      }
      if (src.kind !== 'list') return `np.${name}() takes a list or an array here`;
      const inner = src.item;
      if (inner.kind === 'list' && inner.item.kind === 'scalar') {
        const d = dtypeArg(dt, dtypeOf(inner.item));
        if (typeof d !== 'string') return d.error;
        const et = cType(inner.item);
        const c = storeConv(inner.item, T.np(d)); // each item as a[i] = x stores it (NumPy 2: PyArray_Pack)
        if (typeof c === 'string') return c;
        const item = (l: string) => `((${et} *)((kr_list **)${l}->data)[i]->data)[j]`;
        return {
          result: T.array(d, 2), argTypes: args,
          lower: stmts((a, out, cx) => [
            '{',
            `  if (${a[0]}->len == 0) ${cx.raise('ValueError', '"np.array() of an empty list of lists: NumPy gives a 1-D float64 array here (Python gives a value-dependent type)"')}`,
            `  int64_t ksh[2] = {${a[0]}->len, ${a[0]}->len ? ((kr_list **)${a[0]}->data)[0]->len : 0};`,
            `  for (int64_t i = 0; i < ksh[0]; i++) if (((kr_list **)${a[0]}->data)[i]->len != ksh[1]) ${cx.raise('ValueError', '"setting an array element with a sequence. The requested array has an inhomogeneous shape after 1 dimensions."')}`,
            `  ${alloc(out, 'ksh', 2, d, false, cx)}`,
            `  for (int64_t i = 0; i < ksh[0]; i++) for (int64_t j = 0; j < ksh[1]; j++) { ${storeCheck(c, item(a[0]), cx, '').join('')} ${out}.data[i * ksh[1] + j] = ${c.value(item(a[0]))}; }`,
            '}',
          ]),
        };
      }
      if (inner.kind !== 'scalar' && inner.kind !== 'none') return 'np.array() of this list is not compiled';
      const d = dtypeArg(dt, inner.kind === 'none' ? 'float64' : dtypeOf(inner));
      if (typeof d !== 'string') return d.error;
      const et = inner.kind === 'none' ? 'double' : cType(inner);
      const c = inner.kind === 'none' ? { value: (e: string) => `((${ctOf(d)})(${e}))` } : storeConv(inner, T.np(d));
      if (typeof c === 'string') return c;
      return {
        result: T.array(d, 1), argTypes: args,
        lower: stmts((a, out, cx) => {
          const item = `((${et} *)${a[0]}->data)[k]`;
          return [
            `{ int64_t kn = ${a[0]}->len; ${alloc(out, '&kn', 1, d, false, cx)}`,
            `  for (int64_t k = 0; k < kn; k++) { ${storeCheck(c, item, cx, '').join('')} ${out}.data[k] = ${c.value(item)}; } }`,
          ];
        }),
      };
    },
  };
}

/** A new C-contiguous copy of an array (converting to dtype `d`). */
function copyArray(src: Arr, d: ScalarName): Lowering {
  // float -> integer dtype is NumPy's unsafe cast (NaN and out-of-range values as on x86-64), not C's
  // undefined behaviour; every other conversion is the C cast.
  const floatToInt = SCALARS[src.dtype].float && !SCALARS[d].float && d !== 'bool';
  const item = (e: string) => (floatToInt ? castFloat(e, d) : `(${ctOf(d)})${e}`);
  return stmts((a, out, cx) => [
    '{',
    `  ${alloc(out, `${a[0]}.shape`, src.ndim, d, false, cx)}`,
    `  int64_t ks3[3], kv[3], ko = 0; kr_shape3(${a[0]}.shape, ${src.ndim}, ks3); kr_view3(${a[0]}.shape, ${a[0]}.strides, ${src.ndim}, ${src.ndim}, kv);`,
    ...loop3('ks3', [`${out}.data[ko++] = ${item(`${a[0]}.data[${off3('kv')}]`)};`]).map((l) => `  ${l}`),
    '}',
  ]);
}

// ---- ufuncs -----------------------------------------------------------------------------------------------

/** np.sqrt and friends: float64 (or float32) in and out, ints become float64; no exceptions (NaN/inf as NumPy). */
const UFUNC1: Record<string, [string, string]> = {
  sqrt: ['sqrt', 'sqrtf'], exp: ['exp', 'expf'], log: ['log', 'logf'], sin: ['sin', 'sinf'], cos: ['cos', 'cosf'],
  tan: ['tan', 'tanf'], log2: ['log2', 'log2f'], log10: ['log10', 'log10f'], arctan: ['atan', 'atanf'], tanh: ['tanh', 'tanhf'],
  floor: ['floor', 'floorf'], ceil: ['ceil', 'ceilf'], trunc: ['trunc', 'truncf'], exp2: ['exp2', 'exp2f'],
};

function ufunc1(name: string, cfn: [string, string]): OpEntry {
  return {
    target: `numpy.${name}`, group: 'numpy', python: `np.${name}(x)`,
    signatures: ['array -> float array', 'number -> np.float64', 'float32 stays float32'],
    notes: 'NumPy may use its own SIMD implementations of transcendental functions on some CPUs; Kiln calls the C library, which can differ in the last bit there.',
    resolve(args) {
      const [x] = args;
      if (args.length !== 1) return `np.${name}() takes one argument here`;
      const e = elemOf(x);
      if (e.kind !== 'scalar') return `np.${name}() takes a number or an array`;
      const d: ScalarName = e.kind === 'scalar' && e.name === 'float32' ? 'float32' : (['floor', 'ceil', 'trunc'].includes(name) && x.kind === 'array' && !isFloatLike(e)) ? 'float64' : 'float64';
      const f = d === 'float32' ? cfn[1] : cfn[0];
      const body = (v: string[]) => `${f}((${ctOf(d)})${v[0]})`;
      if (x.kind === 'array') return { result: T.array(d, x.ndim), argTypes: args, lower: elementwise(args, d, body) };
      return { result: T.np(d), argTypes: args, lower: expr(body) };
    },
  };
}

/** Binary ufuncs on arrays or numbers: np.minimum/np.maximum propagate NaN as NumPy does. */
function ufunc2(name: 'minimum' | 'maximum' | 'add' | 'subtract' | 'multiply' | 'divide' | 'power'): OpEntry {
  const op: Record<string, string> = { add: '_operator.add', subtract: '_operator.sub', multiply: '_operator.mul', divide: '_operator.truediv', power: '_operator.pow' };
  return {
    target: `numpy.${name}`, group: 'numpy', python: `np.${name}(a, b)`,
    signatures: ['arrays/numbers, broadcast -> array'],
    resolve(args) {
      if (args.length !== 2 || !args.every((t) => isArray(t) || isScalarT(t))) return `np.${name}() takes two arrays or numbers`;
      if (op[name]) {
        const elems = args.map((t) => (t.kind === 'array' ? itemOf(t) : isNumpy(t) ? t : t));
        if (!args.some(isArray)) {
          // np.add(1.0, 2.0) on Python numbers gives a NumPy scalar: promote as NumPy.
          const npArgs = args.map((t) => (t.kind === 'scalar' && !isNumpy(t) ? T.np(dtypeOf(t)) : t));
          const b = scalarBody(op[name], npArgs);
          if (typeof b === 'string') return b;
          return { result: b.result, argTypes: npArgs, lower: expr(b.body) };
        }
        void elems;
        return arrayBinary(op[name], args)!;
      }
      const elems = args.map(elemOf);
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
      void elems;
      if (!args.some(isArray)) return { result: T.np(rd), argTypes: args, lower: expr(body) };
      return { result: T.array(rd, Math.max(...args.map((t) => (t.kind === 'array' ? t.ndim : 0)))), argTypes: args, lower: elementwise(args, rd, body) };
    },
  };
}

const npAbs = (target: string): OpEntry => ({
  target, group: 'numpy', python: `${target.replace('numpy.', 'np.')}(x)`, signatures: ['array -> array of the same dtype'],
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

const where: OpEntry = {
  target: 'numpy.where', group: 'numpy', python: 'np.where(cond, x, y)', signatures: ['bool array, array|number, array|number -> array (broadcast)'],
  resolve(args) {
    const [c, x, y] = args;
    if (isNone(x) || isNone(y)) return 'np.where(cond) with one argument is not compiled; give x and y';
    if (!args.every((t) => isArray(t) || isScalarT(t))) return 'np.where() takes arrays or numbers';
    const ex = x.kind === 'array' ? itemOf(x) : x, ey = y.kind === 'array' ? itemOf(y) : y;
    const both = [x, y].every((t) => t.kind === 'scalar' && !isNumpy(t));
    const rd = both ? npBinaryType(T.np(dtypeOf(ex)), T.np(dtypeOf(ey)))! : npBinaryType(x.kind === 'array' || isNumpy(x) ? ex : T.np(dtypeOf(ex)), y.kind === 'array' || isNumpy(y) ? ey : T.np(dtypeOf(ey)))!;
    const ct = ctOf(rd);
    const nd = Math.max(...args.map((t) => (t.kind === 'array' ? t.ndim : 0)));
    const ce = c.kind === 'array' ? 'x' : 'x';
    void ce;
    const body = (v: string[]) => `((${v[0]}) ? (${ct})(${v[1]}) : (${ct})(${v[2]}))`;
    if (nd === 0) return { result: T.np(rd), argTypes: args, lower: expr(body) };
    return { result: T.array(rd, nd), argTypes: args, lower: elementwise(args, rd, body) };
  },
};

const clip: OpEntry = {
  target: 'numpy.clip', group: 'numpy', python: 'np.clip(a, lo, hi)', signatures: ['array, number, number -> array (NumPy: minimum(maximum(a, lo), hi))'],
  resolve(args) {
    const [x, lo, hi] = args;
    if (x.kind !== 'array' || !isScalarT(lo) || !isScalarT(hi)) return 'np.clip() takes an array and two numbers here';
    const rd = npBinaryType(npBinaryType(itemOf(x), lo) ? T.np(npBinaryType(itemOf(x), lo)!) : itemOf(x), hi)!;
    const ct = ctOf(rd);
    const fl = SCALARS[rd].float;
    const body = (v: string[]) => fl
      ? `kr_np_minimum_f(kr_np_maximum_f((${ct})(${v[0]}), (${ct})(${v[1]})), (${ct})(${v[2]}))`
      : `kr_clip_i((${ct})(${v[0]}), (${ct})(${v[1]}), (${ct})(${v[2]}))`;
    return { result: T.array(rd, x.ndim), argTypes: args, lower: elementwise(args, rd, fl ? body : (v) => `({ ${ct} kx = (${ct})(${v[0]}), klo = (${ct})(${v[1]}), khi = (${ct})(${v[2]}); kx = kx >= klo ? kx : klo; kx <= khi ? kx : khi; })`) };
  },
};

// ---- reductions ---------------------------------------------------------------------------------------------

type RedName = 'sum' | 'prod' | 'min' | 'max' | 'mean' | 'std' | 'var' | 'argmin' | 'argmax' | 'any' | 'all';

function sumDtype(d: ScalarName): ScalarName {
  if (SCALARS[d].float) return d;
  if (d === 'bool') return 'int64';
  return SCALARS[d].signed ? 'int64' : 'uint64';
}

const axisOf = (t: KType | undefined, c: ConstValue | undefined, nd: number): number | undefined | string => {
  if (isNone(t)) return undefined;
  if (!c || c.kind !== 'int') return 'axis must be a constant integer';
  let k = Number(c.value);
  if (k < 0) k += nd;
  if (k < 0 || k >= nd) return `AxisError: axis ${c.value} is out of bounds for array of dimension ${nd}`;
  return k;
};

function reduction(name: RedName, target: string): OpEntry {
  return {
    target, group: target.startsWith('numpy') ? 'numpy' : 'kiln', python: target.startsWith('numpy') ? `np.${name}(a, axis=None)` : `a.${name}(axis=None)`,
    signatures: ['array -> NumPy scalar (float sums are NumPy\'s pairwise sums, bit for bit)', 'array, axis=k (2-D) -> 1-D array'],
    resolve(args, consts) {
      const [x] = args;
      if (!x || x.kind !== 'array') return undefined as unknown as string;
      const axis = axisOf(args[1], consts[1], x.ndim);
      if (typeof axis === 'string') return axis;
      return reduce(name, x, axis);
    },
  };
}

/** The C expression of one reduction over a 3-D view `(base, s3, st3)` of dtype d, into `out` (a scalar). */
function reduceLines(name: RedName, d: ScalarName, out: string, base: string, s3: string, st3: string, cx: LowerContext): string[] {
  const ct = ctOf(d);
  const fl = SCALARS[d].float;
  const get = `${base}[${off3(st3)}]`;
  const each = (body: string[]) => loop3(s3, body);
  const count = `(${s3}[0] * ${s3}[1] * ${s3}[2])`;
  switch (name) {
    case 'sum': {
      const rd = sumDtype(d);
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
      const ft = d === 'float32' ? 'float' : 'double';
      const f = d === 'float32' ? 'f32' : 'f64';
      const lines = [`{ int64_t kn = ${count}; ${ft} *kbuf = (${ft} *)kr_alloc((size_t)(kn ? kn : 1) * sizeof(${ft}), 0); if (!kbuf) ${cx.try('-1')}`, '  int64_t kq = 0;'];
      lines.push(...each([`kbuf[kq++] = (${ft})${get};`]).map((l) => `  ${l}`));
      lines.push(`  int64_t kone[3] = {1, 1, kn}, kst1[3] = {0, 0, 1};`);
      lines.push(`  ${ft} kmean = kr_sum3_${f}(kbuf, kone, kst1) / (${ft})kn;`);
      if (name === 'mean') lines.push(`  ${out} = kmean;`);
      else {
        lines.push('  for (int64_t k = 0; k < kn; k++) { kbuf[k] = kbuf[k] - kmean; kbuf[k] = kbuf[k] * kbuf[k]; }');
        lines.push(`  ${ft} kvar = kr_sum3_${f}(kbuf, kone, kst1) / (${ft})kn;`);
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

function reduce(name: RedName, x: Arr, axis: number | undefined): Res {
  if (x.dtype === 'bool' && ['min', 'max', 'mean', 'std', 'var', 'argmin', 'argmax', 'prod'].includes(name)) return `${name}() of a bool array is not compiled; convert with .astype(np.int64)`;
  const rd = reduceResultDtype(name, x.dtype);
  const scalarResult = name === 'argmin' || name === 'argmax' ? T.int : name === 'any' || name === 'all' ? T.bool : T.np(rd);
  if (axis === undefined || x.ndim === 1) {
    return {
      result: name === 'argmin' || name === 'argmax' ? T.np('int64') : scalarResult, argTypes: [x],
      lower: stmts((a, out, cx) => [
        '{',
        `  int64_t ks3[3], kv[3]; kr_shape3(${a[0]}.shape, ${x.ndim}, ks3); kr_view3(${a[0]}.shape, ${a[0]}.strides, ${x.ndim}, ${x.ndim}, kv);`,
        ...reduceLines(name, x.dtype, out, `${a[0]}.data`, 'ks3', 'kv', cx).map((l) => `  ${l}`),
        '}',
      ]),
    };
  }
  if (x.ndim !== 2) return `${name}(axis=...) is compiled for 2-D arrays only`;
  // One lane per output item; axis 0 of a sum adds rows in order (as NumPy does), axis 1 sums each row pairwise.
  return {
    result: T.array(name === 'argmin' || name === 'argmax' ? 'int64' : rd, 1), argTypes: [x],
    lower: stmts((a, out, cx) => {
      const other = 1 - axis;
      const lines = ['{', `  int64_t kno = ${a[0]}.shape[${other}], klen = ${a[0]}.shape[${axis}];`, `  ${alloc(out, '&kno', 1, name === 'argmin' || name === 'argmax' ? 'int64' : rd, false, cx)}`];
      if (name === 'sum' && SCALARS[x.dtype].float && axis === 0) {
        lines.push(`  for (int64_t j = 0; j < kno; j++) ${out}.data[j] = 0;`);
        lines.push(`  for (int64_t i = 0; i < klen; i++) for (int64_t j = 0; j < kno; j++) ${out}.data[j] += ${a[0]}.data[i * ${a[0]}.strides[0] + j * ${a[0]}.strides[1]];`);
      } else {
        lines.push(`  for (int64_t j = 0; j < kno; j++) {`);
        lines.push(`    int64_t ks3[3] = {1, 1, klen}, kv[3] = {0, 0, ${a[0]}.strides[${axis}]};`);
        lines.push(`    ${ctOf(x.dtype)} *kbase = ${a[0]}.data + j * ${a[0]}.strides[${other}];`);
        lines.push(...reduceLines(name, x.dtype, `${out}.data[j]`, 'kbase', 'ks3', 'kv', cx).map((l) => `    ${l}`));
        lines.push('  }');
      }
      lines.push('}');
      return lines;
    }),
  };
}

// ---- dot / matmul -------------------------------------------------------------------------------------------

function dotOp(target: string, python: string): OpEntry {
  return {
    target, group: target.startsWith('numpy') ? 'numpy' : 'operator', python,
    signatures: ['1-D, 1-D -> scalar', '2-D, 2-D -> 2-D', '2-D, 1-D -> 1-D', '1-D, 2-D -> 1-D'],
    notes: 'Float results add the products left to right; NumPy calls BLAS, whose order of additions depends on the machine, so the last bits can differ for floats that are not exact.',
    resolve(args) {
      const [x, y] = args;
      if (x?.kind !== 'array' || y?.kind !== 'array') return undefined as unknown as string;
      if (x.ndim > 2 || y.ndim > 2) return `${python} of ${x.ndim}-D and ${y.ndim}-D arrays is not compiled`;
      const rd = npBinaryType(itemOf(x), itemOf(y))!;
      if (rd === 'bool') return `${python} of bool arrays is not compiled`;
      const ct = ctOf(rd);
      const acc = SCALARS[rd].float ? ct : 'uint64_t';
      const mismatch = (cx: LowerContext, n1: string, n2: string) => `if (${n1} != ${n2}) ${cx.raise('ValueError', `"shapes not aligned"`)}`;
      if (x.ndim === 1 && y.ndim === 1) {
        return {
          result: T.np(rd), argTypes: args,
          lower: stmts((a, out, cx) => [
            `${mismatch(cx, `${a[0]}.shape[0]`, `${a[1]}.shape[0]`)}`,
            `{ ${acc} kacc = 0; for (int64_t k = 0; k < ${a[0]}.shape[0]; k++) kacc += (${acc})(${ct})${a[0]}.data[k * ${a[0]}.strides[0]] * (${acc})(${ct})${a[1]}.data[k * ${a[1]}.strides[0]]; ${out} = (${ct})kacc; }`,
          ]),
        };
      }
      const nd = x.ndim + y.ndim - 2;
      return {
        result: T.array(rd, nd), argTypes: args,
        lower: stmts((a, out, cx) => {
          const [A, B] = a;
          // x: (n, k) or (k); y: (k, m) or (k)
          const n = x.ndim === 2 ? `${A}.shape[0]` : '1', k = x.ndim === 2 ? `${A}.shape[1]` : `${A}.shape[0]`;
          const k2 = `${B}.shape[0]`, m = y.ndim === 2 ? `${B}.shape[1]` : '1';
          const xs0 = x.ndim === 2 ? `${A}.strides[0]` : '0', xs1 = x.ndim === 2 ? `${A}.strides[1]` : `${A}.strides[0]`;
          const ys0 = `${B}.strides[0]`, ys1 = y.ndim === 2 ? `${B}.strides[1]` : '0';
          const shape = nd === 2 ? `{${n}, ${m}}` : x.ndim === 2 ? `{${n}}` : `{${m}}`;
          return [
            '{',
            `  ${mismatch(cx, k, k2)}`,
            `  int64_t kshp[2] = ${shape}, kn = ${n}, km = ${m}, kk = ${k};`,
            `  ${alloc(out, 'kshp', nd, rd, false, cx)}`,
            `  for (int64_t i = 0; i < kn; i++) for (int64_t j = 0; j < km; j++) {`,
            `    ${acc} kacc = 0;`,
            `    for (int64_t p = 0; p < kk; p++) kacc += (${acc})(${ct})${A}.data[i * ${xs0} + p * ${xs1}] * (${acc})(${ct})${B}.data[p * ${ys0} + j * ${ys1}];`,
            `    ${out}.data[i * km + j] = (${ct})kacc;`,
            '  }',
            '}',
          ];
        }),
      };
    },
  };
}

// ---- attributes and array methods ------------------------------------------------------------------------

const attrs: OpEntry[] = [
  {
    target: 'attr.shape', group: 'kiln', python: 'a.shape', signatures: ['array -> tuple of ints'],
    resolve([a]) {
      if (a.kind !== 'array') return `'${typeToString(a)}' object has no attribute 'shape'`;
      const t = T.tuple(Array.from({ length: a.ndim }, () => T.int));
      return { result: t, argTypes: [a], lower: expr((x) => `((${cType(t)}){${Array.from({ length: a.ndim }, (_, k) => `${x[0]}.shape[${k}]`).join(', ')}})`) };
    },
  },
  {
    target: 'attr.size', group: 'kiln', python: 'a.size', signatures: ['array -> int'],
    resolve([a]) {
      if (a.kind !== 'array') return `'${typeToString(a)}' object has no attribute 'size'`;
      return { result: T.int, argTypes: [a], lower: expr((x) => `kr_size(${x[0]}.shape, ${a.ndim})`) };
    },
  },
  {
    target: 'attr.ndim', group: 'kiln', python: 'a.ndim', signatures: ['array -> int (static)'],
    resolve([a]) {
      if (a.kind !== 'array') return `'${typeToString(a)}' object has no attribute 'ndim'`;
      return { result: T.int, argTypes: [a], lower: expr(() => `INT64_C(${a.ndim})`) };
    },
  },
  {
    target: 'attr.T', group: 'kiln', python: 'a.T', signatures: ['array -> transposed view'],
    resolve([a]) {
      if (a.kind !== 'array') return `'${typeToString(a)}' object has no attribute 'T'`;
      return {
        result: a, argTypes: [a],
        lower: stmts((x, out) => [`${out}.data = ${x[0]}.data;`, ...Array.from({ length: a.ndim }, (_, k) => `${out}.shape[${k}] = ${x[0]}.shape[${a.ndim - 1 - k}]; ${out}.strides[${k}] = ${x[0]}.strides[${a.ndim - 1 - k}];`)]),
      };
    },
  },
];

const arrayMethods: OpEntry[] = [
  {
    target: 'method.copy', group: 'kiln', python: 'a.copy() / lst.copy()', signatures: ['array -> C-contiguous copy', 'list -> shallow copy'],
    resolve([a]) {
      if (a.kind === 'array') return { result: a, argTypes: [a], lower: copyArray(a, a.dtype) };
      if (a.kind === 'list') return { result: a, argTypes: [a], lower: stmts((x, out, cx) => [`${out} = kr_list_copy(${x[0]}, sizeof(${listElem(a)})); if (!${out}) ${cx.try('-1')}`]) };
      return `'${typeToString(a)}' object has no attribute 'copy'`;
    },
  },
  {
    target: 'method.astype', group: 'kiln', python: 'a.astype(dtype)', signatures: ['array, dtype -> converted copy (float to int truncates; NaN and out-of-range values as NumPy gives them on x86-64)'],
    resolve([a, d]) {
      if (a.kind !== 'array') return `'${typeToString(a)}' object has no attribute 'astype'`;
      if (d?.kind !== 'dtype') return 'astype() takes a NumPy type such as np.float32';
      return { result: T.array(d.name, a.ndim), argTypes: [a, d], lower: copyArray(a, d.name) };
    },
  },
  {
    target: 'method.reshape', group: 'kiln', python: 'a.reshape(shape)', signatures: ['array, ints or a tuple -> array of that shape: a view when NumPy gives one (a C-contiguous array), else a copy in C order; -1 is inferred'],
    resolve(args) {
      const [a, ...rest] = args;
      if (a.kind !== 'array') return `'${typeToString(a)}' object has no attribute 'reshape'`;
      let dims: KType[] = rest;
      let tuple = false;
      if (rest.length === 1 && rest[0].kind === 'tuple') { dims = rest[0].items; tuple = true; }
      if (!dims.length || dims.length > 3 || !dims.every(isIdx)) return 'reshape() takes 1 to 3 ints or a tuple of them';
      const nd = dims.length;
      return {
        result: T.array(a.dtype, nd), argTypes: args,
        lower: stmts((x, out, cx) => {
          const dimC = (i: number) => (tuple ? `${x[1]}.f${i}` : x[1 + i]);
          const lines = ['{', `  int64_t ksh[3] = {${Array.from({ length: nd }, (_, i) => `(int64_t)(${dimC(i)})`).join(', ')}};`];
          lines.push(`  int64_t ktotal = kr_size(${x[0]}.shape, ${a.ndim}), kknown = 1; int kneg = -1;`);
          lines.push(`  for (int k = 0; k < ${nd}; k++) { if (ksh[k] == -1) { if (kneg >= 0) ${cx.raise('ValueError', '"can only specify one unknown dimension"')} kneg = k; } else if (ksh[k] < 0) ${cx.raise('ValueError', '"negative dimensions not allowed"')} else kknown *= ksh[k]; }`);
          lines.push(`  if (kneg >= 0) { if (kknown == 0 || ktotal % kknown) ${cx.raise('ValueError', `kr_msg_reshape(ktotal, ksh, ${nd})`)} ksh[kneg] = ktotal / kknown; }`);
          lines.push(`  else if (kknown != ktotal) ${cx.raise('ValueError', `kr_msg_reshape(ktotal, ksh, ${nd})`)}`);
          // A view of the same memory when NumPy gives one (writes through it reach `a`), else a C-order copy.
          lines.push(`  if (kr_reshape_view(${x[0]}.shape, ${x[0]}.strides, ${a.ndim}, ksh, ${nd}, ${out}.strides)) {`);
          lines.push(`    ${out}.data = ${x[0]}.data; for (int k = 0; k < 3; k++) ${out}.shape[k] = k < ${nd} ? ksh[k] : 1;`);
          lines.push('  } else {');
          lines.push(`    ${alloc(out, 'ksh', nd, a.dtype, false, cx)}`);
          lines.push(`    int64_t ks3[3], kv[3], ko = 0; kr_shape3(${x[0]}.shape, ${a.ndim}, ks3); kr_view3(${x[0]}.shape, ${x[0]}.strides, ${a.ndim}, ${a.ndim}, kv);`);
          lines.push(...loop3('ks3', [`${out}.data[ko++] = ${x[0]}.data[${off3('kv')}];`]).map((l) => `    ${l}`));
          lines.push('  }', '}');
          return lines;
        }),
      };
    },
  },
  {
    target: 'method.fill', group: 'kiln', python: 'a.fill(value)', signatures: ['array, number -> None'], notes: STORE_NOTE,
    resolve([a, v]) {
      if (a.kind !== 'array' || v?.kind !== 'scalar') return 'fill() takes a number';
      const c = storeConv(v, itemOf(a));
      if (typeof c === 'string') return c;
      return {
        result: T.none, argTypes: [a, v],
        lower: stmts((x, _o, cx) => [...storeCheck(c, x[1], cx, ''), `{ int64_t ks3[3], kv[3]; kr_shape3(${x[0]}.shape, ${a.ndim}, ks3); kr_view3(${x[0]}.shape, ${x[0]}.strides, ${a.ndim}, ${a.ndim}, kv);`, ...loop3('ks3', [`${x[0]}.data[${off3('kv')}] = ${c.value(x[1])};`]).map((l) => `  ${l}`), '}']),
      };
    },
  },
  {
    target: 'method.tolist', group: 'kiln', python: 'a.tolist()', signatures: ['1-D array -> list of Python numbers'],
    resolve([a]) {
      if (a.kind !== 'array' || a.ndim !== 1) return 'tolist() is compiled for 1-D arrays';
      const item = SCALARS[a.dtype].float ? T.float : a.dtype === 'bool' ? T.bool : a.dtype === 'uint64' ? null : T.int;
      if (!item) return 'tolist() of uint64 arrays is not compiled';
      const et = cType(item);
      return {
        result: T.list(item), argTypes: [a],
        lower: stmts((x, out, cx) => [`${out} = kr_list_new(${x[0]}.shape[0], sizeof(${et})); if (!${out}) ${cx.try('-1')}`, `for (int64_t k = 0; k < ${x[0]}.shape[0]; k++) ((${et} *)${out}->data)[k] = (${et})${x[0]}.data[k * ${x[0]}.strides[0]];`]),
      };
    },
  },
];

// ---- lists ------------------------------------------------------------------------------------------------

const listElem = (l: Lst) => (l.item.kind === 'none' ? 'int64_t' : cType(l.item));

/** A value `t` that may be stored as an item of a list of `item` (one type per list). */
function sameItem(item: KType, t: KType): string | undefined {
  if (item.kind === 'none') return undefined;
  if (typeToString(item) !== typeToString(t) && !(item.kind === 'list' && t.kind === 'list' && t.item.kind === 'none')) {
    return `a list of ${typeToString(item)} cannot take a ${typeToString(t)} item here (lists hold one type); convert it (float(...), int(...))`;
  }
  return undefined;
}

const listOps: OpEntry[] = [
  {
    target: 'kiln.make_list', group: 'kiln', python: '[a, b, ...]', signatures: ['items of one type -> list'],
    resolve(args) {
      if (!args.length) return { result: T.list(T.none), argTypes: [], lower: stmts((_a, out, cx) => [`${out} = kr_list_new(0, 1); if (!${out}) ${cx.try('-1')}`]) };
      const item = args[0];
      if (item.kind !== 'scalar' && item.kind !== 'list') return `lists of ${typeToString(item)} are not compiled`;
      for (const t of args) {
        const bad = sameItem(item, t);
        if (bad) return bad;
      }
      const et = cType(item);
      return {
        result: T.list(item), argTypes: args.map(() => item),
        lower: stmts((a, out, cx) => [`${out} = kr_list_new(${a.length}, sizeof(${et})); if (!${out}) ${cx.try('-1')}`, ...a.map((x, i) => `((${et} *)${out}->data)[${i}] = ${x};`)]),
      };
    },
  },
  {
    target: 'method.append', group: 'kiln', python: 'lst.append(x)', signatures: ['list[T], T -> None (an empty list takes the type of its first append)'],
    resolve([l, v]) {
      if (l.kind !== 'list') return `'${typeToString(l)}' object has no attribute 'append'`;
      const item = l.item.kind === 'none' ? v : l.item;
      const bad = sameItem(item, v);
      if (bad) return bad;
      const et = cType(item);
      return { result: T.none, argTypes: [l, v], lower: stmts((a, _o, cx) => [`{ ${et} kitem = ${a[1]}; ${cx.try(`kr_list_append(${a[0]}, &kitem, sizeof(${et}))`)} }`]) };
    },
  },
  {
    target: 'method.insert', group: 'kiln', python: 'lst.insert(i, x)', signatures: ['list[T], int, T -> None'],
    resolve([l, i, v]) {
      if (l.kind !== 'list' || !isIdx(i)) return 'insert() takes an int and an item';
      const item = l.item.kind === 'none' ? v : l.item;
      const bad = sameItem(item, v);
      if (bad) return bad;
      const et = cType(item);
      return { result: T.none, argTypes: [l, T.int, v], lower: stmts((a, _o, cx) => [`{ ${et} kitem = ${a[2]}; ${cx.try(`kr_list_insert(${a[0]}, ${a[1]}, &kitem, sizeof(${et}))`)} }`]) };
    },
  },
  {
    // `xs += other` on a list extends it in place (Python's list.__iadd__): a list parameter's caller sees it.
    // The tracer emits _operator.iadd for every `+=`; typecheck turns it back into _operator.add unless the
    // left side is a list.
    target: '_operator.iadd', group: 'kiln', python: 'lst += other, a += b', signatures: ['list[T], list[T] -> list[T] (extends lst in place, as Python)', 'array, array or number -> the same array, updated in place (NumPy)'],
    resolve([l, o], consts) {
      if (l?.kind === 'array') return inplaceArray('_operator.iadd', [l, o], consts);
      if (l?.kind !== 'list' || o?.kind !== 'list') return undefined;
      const item = l.item.kind === 'none' ? o.item : l.item;
      const bad = o.item.kind === 'none' || l.item.kind === 'none' ? undefined : sameItem(l.item, o.item);
      if (bad) return bad;
      const et = item.kind === 'none' ? 'int64_t' : cType(item);
      return { result: T.list(item), argTypes: [l, o], lower: stmts((a, out, cx) => [cx.try(`kr_list_extend(${a[0]}, ${a[1]}, sizeof(${et}))`), `${out} = ${a[0]};`]) };
    },
  },
  {
    target: 'method.extend', group: 'kiln', python: 'lst.extend(other)', signatures: ['list[T], list[T] -> None'],
    resolve([l, o]) {
      if (l.kind !== 'list' || o?.kind !== 'list') return 'extend() takes a list here';
      const bad = o.item.kind === 'none' ? undefined : sameItem(l.item.kind === 'none' ? o.item : l.item, o.item);
      if (bad) return bad;
      const et = l.item.kind === 'none' ? listElem(o) : listElem(l);
      return { result: T.none, argTypes: [l, o], lower: stmts((a, _o, cx) => [cx.try(`kr_list_extend(${a[0]}, ${a[1]}, sizeof(${et}))`)]) };
    },
  },
  {
    target: 'method.pop', group: 'kiln', python: 'lst.pop([i])', signatures: ['list[T][, int] -> T (IndexError when empty)'],
    resolve([l, i]) {
      if (l.kind !== 'list') return `'${typeToString(l)}' object has no attribute 'pop'`;
      if (l.item.kind === 'none') return 'IndexError: pop from empty list';
      if (!isNone(i) && !isIdx(i)) return 'pop() takes an int';
      const et = cType(l.item);
      return { result: l.item, argTypes: [l, isNone(i) ? T.none : T.int], lower: stmts((a, out, cx) => [cx.try(`kr_list_pop(${a[0]}, ${isNone(i) ? '-1' : a[1]}, &${out}, sizeof(${et}))`)]) };
    },
  },
  {
    target: 'method.clear', group: 'kiln', python: 'lst.clear()', signatures: ['list -> None'],
    resolve([l]) {
      if (l.kind !== 'list') return `'${typeToString(l)}' object has no attribute 'clear'`;
      return { result: T.none, argTypes: [l], lower: stmts((a) => [`${a[0]}->len = 0;`]) };
    },
  },
  {
    target: 'method.reverse', group: 'kiln', python: 'lst.reverse()', signatures: ['list -> None'],
    resolve([l]) {
      if (l.kind !== 'list') return `'${typeToString(l)}' object has no attribute 'reverse'`;
      const et = listElem(l);
      return { result: T.none, argTypes: [l], lower: stmts((a) => [`for (int64_t i = 0, j = ${a[0]}->len - 1; i < j; i++, j--) { ${et} kt = ((${et} *)${a[0]}->data)[i]; ((${et} *)${a[0]}->data)[i] = ((${et} *)${a[0]}->data)[j]; ((${et} *)${a[0]}->data)[j] = kt; }`]) };
    },
  },
  {
    target: 'method.sort', group: 'kiln', python: 'lst.sort(reverse=False)', signatures: ['list of numbers -> None (stable, as Python; NaN order may differ)'],
    resolve([l, rev], consts) {
      if (l.kind !== 'list') return `'${typeToString(l)}' object has no attribute 'sort'`;
      if (!sortable(l.item)) return `sort() of a ${typeToString(l)} is not compiled (int, float, np.float64/float32, np.int64/uint64 items)`;
      const r = sortReverse(rev, consts[1]);
      if (typeof r === 'string') return r;
      const et = listElem(l);
      return { result: T.none, argTypes: [l, rev ?? T.none], lower: stmts((a, _o, cx) => [cx.try(`kr_sort_${sortSuffix(l)}((${et} *)${a[0]}->data, ${a[0]}->len, ${r ? 1 : 0})`)]) };
    },
  },
  {
    target: 'method.index', group: 'kiln', python: 'lst.index(x)', signatures: ['list[T], T -> int (ValueError when absent)'],
    resolve([l, v]) {
      if (l.kind !== 'list' || v?.kind !== 'scalar') return 'index() takes a number here';
      const et = listElem(l);
      return {
        result: T.int, argTypes: [l, v],
        lower: stmts((a, out, cx) => [`${out} = -1; for (int64_t k = 0; k < ${a[0]}->len; k++) if (((${et} *)${a[0]}->data)[k] == ${a[1]}) { ${out} = k; break; }`, `if (${out} < 0) ${cx.raise('ValueError', '"value is not in list"')}`]),
      };
    },
  },
  {
    target: 'method.count', group: 'kiln', python: 'lst.count(x)', signatures: ['list[T], T -> int'],
    resolve([l, v]) {
      if (l.kind !== 'list' || v?.kind !== 'scalar') return 'count() takes a number here';
      const et = listElem(l);
      return { result: T.int, argTypes: [l, v], lower: stmts((a, out) => [`${out} = 0; for (int64_t k = 0; k < ${a[0]}->len; k++) ${out} += ((${et} *)${a[0]}->data)[k] == ${a[1]};`]) };
    },
  },
];

function sortReverse(t: KType | undefined, c: ConstValue | undefined): boolean | string {
  if (isNone(t)) return false;
  if (c?.kind === 'bool') return c.value;
  return 'reverse= must be True or False (a constant)';
}
const SORT_SUFFIX: Partial<Record<ScalarName, string>> = { int: 'i64', int64: 'i64', float: 'f64', float64: 'f64', float32: 'f32', uint64: 'u64' };
const sortSuffix = (l: Lst) => (l.item.kind === 'scalar' ? SORT_SUFFIX[l.item.name] ?? 'i64' : 'i64');
const sortable = (t: KType) => t.kind === 'none' || (t.kind === 'scalar' && !!SORT_SUFFIX[t.name]);

// ---- builtins over lists and arrays ----------------------------------------------------------------------

function seqLen(t: KType): ((e: string) => string) | undefined {
  if (t.kind === 'list') return (e) => `${e}->len`;
  if (t.kind === 'array') return (e) => `${e}.shape[0]`;
  return undefined;
}

/** Reading item k of a sequence in C (list or 1-D array) and its Python type. */
function seqItem(t: KType): { type: KType; at: (e: string, k: string) => string } | undefined {
  if (t.kind === 'list' && t.item.kind !== 'none') {
    const et = cType(t.item);
    return { type: t.item, at: (e, k) => `((${et} *)${e}->data)[${k}]` };
  }
  if (t.kind === 'array' && t.ndim === 1) return { type: itemOf(t), at: (e, k) => `${e}.data[(${k}) * ${e}.strides[0]]` };
  return undefined;
}

const OVERLOADS: Record<string, (args: KType[], consts: (ConstValue | undefined)[]) => Res | undefined> = {
  '_operator.getitem': (args) => getitem(args),
  'builtins.len': ([a]) => {
    const f = a && seqLen(a);
    if (!f) return undefined;
    return { result: T.int, argTypes: [a], lower: expr((x) => f(x[0])) };
  },
  'builtins.abs': (args) => arrayUnary('builtins.abs', args),
  '_operator.neg': (args) => arrayUnary('_operator.neg', args),
  '_operator.invert': (args) => (args[0]?.kind === 'array' && args[0].dtype === 'bool'
    ? { result: args[0], argTypes: args, lower: elementwise(args, 'bool', (v) => `(!${v[0]})`) }
    : arrayUnary('_operator.invert', args)),
  '_operator.matmul': (args, c) => (args.some(isArray) ? dotOp('_operator.matmul', 'a @ b').resolve(args, c) : undefined),
  '_operator.add': (args) => listConcat(args) ?? arrayBinary('_operator.add', args),
  '_operator.mul': (args) => listRepeat(args) ?? arrayBinary('_operator.mul', args),
  'builtins.sum': ([a, start]) => {
    if (!a || (a.kind !== 'list' && a.kind !== 'array')) return undefined;
    if (!isNone(start)) return 'sum() with a start value is not compiled';
    if (a.kind === 'array') {
      if (a.ndim !== 1) return 'sum() of a 2-D array adds rows; use np.sum(a, axis=0)';
      return reduce('sum', a, undefined) as Res;
    }
    const it = a.item;
    if (it.kind === 'none') return { result: T.int, argTypes: [a], lower: expr(() => 'INT64_C(0)') };
    if (it.kind !== 'scalar') return 'sum() of a list of lists is not compiled';
    if (isNumpy(it)) return 'sum() of a list of NumPy scalars is not compiled; use float(...) items or np.sum';
    if (isPyFloat(it)) {
      return {
        result: T.float, argTypes: [a],
        lower: stmts((x, out, cx) => [
          `if (${x[0]}->len == 0) ${cx.raise('ValueError', '"sum() of an empty list of floats: Python gives the int 0 here (a value-dependent type)"')}`,
          `${out} = 0.0; for (int64_t k = 0; k < ${x[0]}->len; k++) ${out} += ((double *)${x[0]}->data)[k];`,
        ]),
      };
    }
    const et = cType(it);
    return {
      result: T.int, argTypes: [a],
      lower: stmts((x, out, cx) => [`${out} = 0; for (int64_t k = 0; k < ${x[0]}->len; k++) ${cx.try(`kr_add_i64(${out}, (int64_t)((${et} *)${x[0]}->data)[k], &${out})`)}`]),
    };
  },
  'builtins.min': (args) => seqMinMax('min', args),
  'builtins.max': (args) => seqMinMax('max', args),
  'builtins.any': ([a]) => seqAnyAll('any', a),
  'builtins.all': ([a]) => seqAnyAll('all', a),
  'builtins.sorted': ([a, rev], consts) => {
    if (!a || (a.kind !== 'list' && a.kind !== 'array')) return undefined;
    const it = seqItem(a);
    if (!it || !sortable(it.type)) return 'sorted() of this sequence is not compiled (int, float, np.float64/float32, np.int64/uint64 items)';
    const r = sortReverse(rev, consts[1]);
    if (typeof r === 'string') return r;
    const l = T.list(it.type) as Lst;
    const et = cType(it.type);
    return {
      result: l, argTypes: [a, rev ?? T.none],
      lower: stmts((x, out, cx) => [
        `{ int64_t kn = ${seqLen(a)!(x[0])}; ${out} = kr_list_new(kn, sizeof(${et})); if (!${out}) ${cx.try('-1')}`,
        `  for (int64_t k = 0; k < kn; k++) ((${et} *)${out}->data)[k] = ${it.at(x[0], 'k')};`,
        `  ${cx.try(`kr_sort_${sortSuffix(l)}((${et} *)${out}->data, kn, ${r ? 1 : 0})`)} }`,
      ]),
    };
  },
  'builtins.list': ([a]) => {
    if (!a || (a.kind !== 'list' && a.kind !== 'array')) return undefined;
    const it = seqItem(a);
    if (!it) return a.kind === 'list' ? { result: a, argTypes: [a], lower: stmts((x, out, cx) => [`${out} = kr_list_copy(${x[0]}, sizeof(${listElem(a as Lst)})); if (!${out}) ${cx.try('-1')}`]) } : 'list() of this array is not compiled';
    const et = cType(it.type);
    return {
      result: T.list(it.type), argTypes: [a],
      lower: stmts((x, out, cx) => [`{ int64_t kn = ${seqLen(a)!(x[0])}; ${out} = kr_list_new(kn, sizeof(${et})); if (!${out}) ${cx.try('-1')}`, `  for (int64_t k = 0; k < kn; k++) ((${et} *)${out}->data)[k] = ${it.at(x[0], 'k')}; }`]),
    };
  },
  '_operator.contains': ([seq, v]) => {
    if (!seq || (seq.kind !== 'list' && seq.kind !== 'array')) return undefined;
    const it = seqItem(seq);
    if (seq.kind === 'list' && seq.item.kind === 'none') return { result: T.bool, argTypes: [seq, v], lower: expr(() => '0') };
    if (!it || v.kind !== 'scalar' || it.type.kind !== 'scalar') return '`in` is compiled for lists and 1-D arrays of numbers';
    const eq = scalarBody('_operator.eq', [it.type, v]);
    if (typeof eq === 'string') return eq;
    return {
      result: T.bool, argTypes: [seq, v],
      lower: stmts((x, out) => [`${out} = 0; for (int64_t k = 0; k < ${seqLen(seq)!(x[0])}; k++) if (${eq.body([it.at(x[0], 'k'), x[1]])}) { ${out} = 1; break; }`]),
    };
  },
};

function listConcat(args: KType[]): Res | undefined {
  const [a, b] = args;
  if (a?.kind !== 'list' || b?.kind !== 'list') return a?.kind === 'list' || b?.kind === 'list' ? (args.some(isArray) ? undefined : `can only concatenate list (not "${typeToString(a.kind === 'list' ? b : a)}") to list`) : undefined;
  const item = a.item.kind === 'none' ? b.item : a.item;
  if (b.item.kind !== 'none' && a.item.kind !== 'none') {
    const bad = sameItem(a.item, b.item);
    if (bad) return bad;
  }
  const et = item.kind === 'none' ? 'int64_t' : cType(item);
  return {
    result: T.list(item), argTypes: args,
    lower: stmts((x, out, cx) => [`${out} = kr_list_copy(${x[0]}, sizeof(${et})); if (!${out}) ${cx.try('-1')}`, cx.try(`kr_list_extend(${out}, ${x[1]}, sizeof(${et}))`)]),
  };
}

function listRepeat(args: KType[]): Res | undefined {
  const [a, b] = args;
  const li = a?.kind === 'list' ? 0 : b?.kind === 'list' ? 1 : -1;
  if (li < 0) return undefined;
  const l = args[li] as Lst, n = args[1 - li];
  if (!isIdx(n)) return `can't multiply sequence by non-int of type '${typeToString(n)}'`;
  const et = listElem(l);
  const deep = l.item.kind === 'list';
  return {
    result: l, argTypes: li === 0 ? [l, T.int] : [T.int, l],
    lower: stmts((x, out, cx) => {
      const L = x[li], N = x[1 - li];
      return [
        `{ int64_t kr = ${N} > 0 ? ${N} : 0, km = ${L}->len;`,
        `  if (km && kr > INT64_MAX / 8 / km) ${cx.raise('MemoryError', '""')}`,
        `  ${out} = kr_list_new(km * kr, sizeof(${et})); if (!${out}) ${cx.try('-1')}`,
        `  for (int64_t r = 0; r < kr; r++) memcpy((${et} *)${out}->data + r * km, ${L}->data, (size_t)km * sizeof(${et})); }`,
        ...(deep ? ['/* [[...]] * n repeats references to the same inner lists, as Python does */'] : []),
      ];
    }),
  };
}

function seqMinMax(name: 'min' | 'max', args: KType[]): Res | undefined {
  if (args.length !== 1) return undefined;
  const [a] = args;
  if (a.kind !== 'list' && a.kind !== 'array') return undefined;
  const it = seqItem(a);
  if (!it || it.type.kind !== 'scalar') return `${name}() of this sequence is not compiled`;
  const sym = name === 'max' ? '>' : '<';
  const ct = cType(it.type);
  return {
    result: it.type, argTypes: [a],
    lower: stmts((x, out, cx) => [
      `if (${seqLen(a)!(x[0])} == 0) ${cx.raise('ValueError', `"${name}() arg is an empty sequence"`)}`,
      `${out} = ${it.at(x[0], '0')}; for (int64_t k = 1; k < ${seqLen(a)!(x[0])}; k++) { ${ct} kx = ${it.at(x[0], 'k')}; if (kx ${sym} ${out}) ${out} = kx; }`,
    ]),
  };
}

function seqAnyAll(name: 'any' | 'all', a: KType | undefined): Res | undefined {
  if (!a || (a.kind !== 'list' && a.kind !== 'array')) return undefined;
  if (a.kind === 'list' && a.item.kind === 'none') return { result: T.bool, argTypes: [a], lower: expr(() => (name === 'all' ? '1' : '0')) };
  const it = seqItem(a);
  if (!it || it.type.kind !== 'scalar') return `${name}() of this sequence is not compiled`;
  return {
    result: T.bool, argTypes: [a],
    lower: stmts((x, out) => name === 'any'
      ? [`${out} = 0; for (int64_t k = 0; k < ${seqLen(a)!(x[0])}; k++) if (${it.at(x[0], 'k')} != 0) { ${out} = 1; break; }`]
      : [`${out} = 1; for (int64_t k = 0; k < ${seqLen(a)!(x[0])}; k++) if (${it.at(x[0], 'k')} == 0) { ${out} = 0; break; }`]),
  };
}

// ---- Kiln's own ---------------------------------------------------------------------------------------------

const kilnOps: OpEntry[] = [
  {
    target: 'kiln.slice', group: 'kiln', python: 'start:stop:step', signatures: ['int or None (x3) -> slice'],
    resolve(args) {
      for (const t of args) if (!isNone(t) && !isIdx(t)) return `slice indices must be integers or None, not ${typeToString(t)}`;
      return {
        result: T.slice, argTypes: args.map((t) => (isNone(t) ? t : T.int)),
        lower: expr((a) => `((kr_slice){${isNone(args[0]) ? '0' : a[0]}, ${isNone(args[1]) ? '0' : a[1]}, ${isNone(args[2]) ? '1' : a[2]}, ${isNone(args[0]) ? 0 : 1}, ${isNone(args[1]) ? 0 : 1}})`),
      };
    },
  },
  { target: 'kiln.iter_item', group: 'kiln', python: 'for x in seq', signatures: ['list or array, index -> item or row view'], resolve: (args) => iterItem(args) },
  {
    target: '_operator.setitem', group: 'operator', python: 'a[i] = v, a[i, j] = v, a[1:3] = v, a[mask] = v', signatures: ['list, int, item', 'array, ints/slices, number or array (broadcast)'], notes: STORE_NOTE,
    resolve(args) {
      return setitem(args) ?? `'${typeToString(args[0])}' object does not support item assignment`;
    },
  },
];

const numpyOps: OpEntry[] = [
  creation('zeros'), creation('ones'), creation('empty'), creation('full'),
  creationLike('zeros_like'), creationLike('ones_like'), creationLike('empty_like'), creationLike('full_like'),
  arange, linspace, arrayFrom('array'), arrayFrom('asarray'),
  ...Object.entries(UFUNC1).map(([n, f]) => ufunc1(n, f)),
  ufunc2('minimum'), ufunc2('maximum'), ufunc2('add'), ufunc2('subtract'), ufunc2('multiply'), ufunc2('divide'), ufunc2('power'),
  npAbs('numpy.abs'), npAbs('numpy.absolute'), where, clip,
  ...(['sum', 'prod', 'min', 'max', 'mean', 'std', 'var', 'argmin', 'argmax', 'any', 'all'] as RedName[]).flatMap((r) => [reduction(r, `numpy.${r}`), reduction(r, `method.${r}`)]),
  reduction('min', 'numpy.amin'), reduction('max', 'numpy.amax'),
  dotOp('numpy.dot', 'np.dot(a, b)'), dotOp('numpy.matmul', 'np.matmul(a, b)'), dotOp('method.dot', 'a.dot(b)'),
];

/** Merges the array and list entries into the scalar registry (scalars first, arrays when an argument is one). */

const KIND: Record<string, number> = { b: 0, u: 1, i: 2, f: 3 };
const dtypeKind = (d: ScalarName) => (d === 'bool' ? 'b' : d.startsWith('uint') ? 'u' : d.startsWith('int') ? 'i' : 'f');

/**
 * `a op= b` on an array writes the result into a's own memory, as NumPy does (a caller's array, a view's
 * base and every alias see it): the plain operator's result, then a broadcast copy into `a`. The result's
 * dtype must cast to a's under NumPy's 'same_kind' rule (int64 += float raises UFuncTypeError in NumPy).
 */
function inplaceArray(target: string, args: KType[], consts: (ConstValue | undefined)[]): Resolved | string | undefined {
  const a = args[0];
  if (a?.kind !== 'array') return undefined;
  const plain = INPLACE_OPS[target];
  const name = plain.replace('_operator.', '').replace(/_$/, '');
  const base = lookupOp(plain)?.resolve(args, consts);
  if (base === undefined || typeof base === 'string') return base ?? `${name} of ${args.map(typeToString).join(', ')} is not compiled`;
  const r = base.result;
  if (typeToString(base.argTypes[0]) !== typeToString(a)) return `in-place ${name} would first convert ${typeToString(a)}: write a = a ${name} b for a new array`;
  const rd = r.kind === 'array' ? r.dtype : r.kind === 'scalar' ? (r.name as ScalarName) : undefined;
  if (!rd) return `in-place ${name} gives ${typeToString(r)}`;
  const [from, to] = [dtypeKind(rd), dtypeKind(a.dtype)];
  if (KIND[from] > KIND[to] || (from === 'i' && to === 'u')) {
    return `UFuncTypeError: Cannot cast ufunc '${name}' output from dtype('${rd}') to dtype('${a.dtype}') with casting rule 'same_kind' (NumPy raises this at run time; write a = a ${name === 'add' ? '+' : name} b for a new array)`;
  }
  const full = Array.from({ length: a.ndim }, () => T.slice);
  const store = setitem([a, ...full, r]);
  if (store === undefined || typeof store === 'string') return store ?? `cannot store ${typeToString(r)} into ${typeToString(a)}`;
  const sliceAll = '((kr_slice){0, 0, 1, 0, 0})';
  return {
    result: a, argTypes: base.argTypes,
    lower: { kind: 'stmts', emit: (x, out, cx) => {
      const lines = ['{', `  ${cType(r)} kinplace;`];
      const l = base.lower;
      if (l.kind === 'expr') lines.push(`  kinplace = ${l.emit(x)};`);
      else if (l.kind === 'call') lines.push(`  ${cx.try(l.emit(x, 'kinplace'))}`);
      else if (l.kind === 'stmts') lines.push(...l.emit(x, 'kinplace', cx).map((t) => `  ${t}`));
      if (store.lower.kind === 'stmts') lines.push(...store.lower.emit([x[0], ...full.map(() => sliceAll), 'kinplace'], out, cx).map((t) => `  ${t}`));
      lines.push(`  ${out} = ${x[0]};`, '}');
      return lines;
    } },
  };
}

const AUG_SYMBOL: Record<string, string> = {
  '_operator.isub': '-=', '_operator.imul': '*=', '_operator.itruediv': '/=', '_operator.ifloordiv': '//=', '_operator.imod': '%=',
  '_operator.ipow': '**=', '_operator.ilshift': '<<=', '_operator.irshift': '>>=', '_operator.ior': '|=', '_operator.ixor': '^=',
  '_operator.iand': '&=', '_operator.imatmul': '@=',
};
/**
 * `xs *= n` on a list repeats it in place (Python's list.__imul__): a list parameter's caller sees it, and
 * n <= 0 empties the list. The tracer emits _operator.imul for every `*=`; typecheck keeps it for a list.
 */
function listInplaceRepeat(args: KType[]): Res | undefined {
  const [l, n] = args;
  if (l?.kind !== 'list') return undefined;
  if (!n || !isIdx(n)) return `can't multiply sequence by non-int of type '${n ? typeToString(n) : 'None'}'`;
  const et = listElem(l);
  return {
    result: l, argTypes: [l, T.int],
    lower: stmts((x, out, cx) => [
      `{ int64_t kr = ${x[1]} > 0 ? ${x[1]} : 0, km = ${x[0]}->len;`,
      `  if (km && kr > INT64_MAX / 8 / km) ${cx.raise('MemoryError', '""')}`,
      `  ${cx.try(`kr_list_reserve(${x[0]}, km * kr, sizeof(${et}))`)}`,
      `  for (int64_t r = 1; r < kr; r++) memcpy((${et} *)${x[0]}->data + r * km, ${x[0]}->data, (size_t)km * sizeof(${et}));`,
      `  ${x[0]}->len = km * kr; }`,
      ...(l.item.kind === 'list' ? ['/* xs *= n on a list of lists repeats references to the same inner lists, as Python does */'] : []),
      `${out} = ${x[0]};`,
    ]),
  };
}

/** `a -= b`, `a *= b`, ... on arrays (`+=` shares its entry with lists; `*=` also repeats a list in place). */
const inplaceOps: OpEntry[] = Object.keys(INPLACE_OPS).filter((t) => t !== '_operator.iadd').map((target) => ({
  target, group: 'operator', python: target === '_operator.imul' ? 'lst *= n, a *= b' : `a ${AUG_SYMBOL[target]} b`,
  signatures: [...(target === '_operator.imul' ? ['list[T], int -> list[T] (repeats lst in place, as Python; n <= 0 empties it)'] : []), 'array, array or number -> the same array, updated in place (NumPy)'],
  resolve: (args, consts) => (target === '_operator.imul' ? listInplaceRepeat(args) : undefined) ?? inplaceArray(target, args, consts) ?? `in-place operator on ${typeToString(args[0])} is not compiled`,
}));

export function withArrayOps(scalarOps: OpEntry[]): OpEntry[] {
  const byTarget = new Map(scalarOps.map((o) => [o.target, o]));
  const merged = scalarOps.map((o): OpEntry => {
    const over = OVERLOADS[o.target];
    const elementwiseOp = /^_operator\.(sub|truediv|floordiv|mod|pow|and_|or_|xor|lshift|rshift|eq|ne|lt|le|gt|ge)$/.test(o.target);
    if (!over && !elementwiseOp) return o;
    return {
      ...o,
      signatures: [...o.signatures, ...(elementwiseOp ? ['arrays and numbers -> array, element-wise with NumPy broadcasting'] : ['lists and arrays (see the array section)'])],
      resolve(args, consts) {
        if (args.some((t) => t.kind === 'array' || t.kind === 'list' || t.kind === 'slice')) {
          const r = over ? over(args, consts) : arrayBinary(o.target, args);
          if (r !== undefined) return r;
        }
        return o.resolve(args, consts);
      },
    };
  });
  const extra = [...Object.entries(OVERLOADS).filter(([t]) => !byTarget.has(t)).map(([target, f]): OpEntry => ({
    target, group: 'builtin', python: target.replace(/^\w+\./, ''), signatures: ['lists and arrays'],
    resolve: (args, consts) => f(args, consts) ?? `${target.replace(/^\w+\./, '')}() of ${args.map(typeToString).join(', ')} is not compiled`,
  })), ...listOps, ...inplaceOps, ...arrayMethods, ...attrs, ...kilnOps, ...numpyOps];
  // Methods and NumPy functions resolve to undefined for arguments they do not handle: say so.
  const wrapped = extra.map((e): OpEntry => ({
    ...e,
    resolve(args, consts) {
      const r = e.resolve(args, consts);
      return r === undefined ? `${e.python} of ${args.map(typeToString).join(', ')} is not compiled` : r;
    },
  }));
  return [...merged, ...wrapped.filter((e) => !byTarget.has(e.target))];
}

void isPyInt;
