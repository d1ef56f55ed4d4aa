/**
 * Products of arrays on the runtime's GEMM (resources/c/kiln_gemm.h, docs/design/numpy-kernels.md): `a @ b`,
 * np.matmul, np.dot, a.dot(b) and np.einsum with a constant subscripts string.
 *
 * NumPy's semantics: operands promote to one dtype first (a converted copy where one differs); matmul's stacks of
 * matrices broadcast their batch dimension, a 1-D operand is a row or a column that leaves the result; np.dot of a
 * 2-D and a 3-D array sums over the last axis of one and the second-to-last of the other (NumPy's tensordot rule).
 * Shapes that do not fit raise ValueError with NumPy's message. Integer products wrap as NumPy's (int8/int16 and
 * their unsigned twins add in the dtype); float products are sums of products in the GEMM's order, which is not
 * NumPy's BLAS's either: their verification compares within the products' bound (OpFacts.inexact 'reassociated').
 *
 * np.einsum: the subscripts are read at compile time; one or two operands of 1 to 3 dimensions; letters repeated
 * in an operand take a diagonal. A contraction of two operands with at most one batch, one row, one column and one
 * summed letter (ij,jk->ik, ij,kj->ik, ji,jk->ik, ij,j->i, i,ij->j, i,i->, bij,bjk->bik, ...) is one GEMM call per
 * batch with the operands' own strides (a transposed operand costs nothing); other sums are loops in C order of the
 * letters; a one-operand form without a sum (ij->ji, ii->i) is a view, as in NumPy; an elementwise or outer product
 * is exact, as NumPy's.
 */
import type { ConstValue } from '../../ir/ir.ts';
import { SCALARS, T, isArray, typeToString, type KType, type ScalarName } from '../types.ts';
import { npBinaryType, stmts, type LowerContext, type Lowering, type OpDef, type OpDomain, type OpFacts, type Resolved, type Resolver } from './common.ts';
import { alloc, copyArray, ctOf, itemOf, type Arr } from './common_arrays.ts';

const HEADERS: OpFacts = { arrayRuntime: true, headers: ['kiln_products.h'] };
/** A float product: a sum of products in an order NumPy's BLAS does not share. */
const REASSOCIATED: OpFacts = { ...HEADERS, inexact: { kind: 'reassociated' } };

/** The runtime's product functions of a dtype: the GEMM (kr_gemm_*, kr_dot_*), or the 8/16-bit loops of kiln_products.h. */
function kernelOf(d: ScalarName): string | undefined {
  const gemm: Partial<Record<ScalarName, string>> = { float64: 'f64', float32: 'f32', int64: 'i64', uint64: 'u64', int32: 'i32', uint32: 'u32' };
  const small: Partial<Record<ScalarName, string>> = { int8: 'small_i8', uint8: 'small_u8', int16: 'small_i16', uint16: 'small_u16' };
  return gemm[d] ?? small[d];
}

/** A matrix operand or result in C: a pointer to element [0, 0] and its row and column strides in elements. */
interface Mat { ptr: string; rs: string; cs: string }
const gemm = (d: ScalarName, m: string, n: string, k: string, a: Mat, b: Mat, c: Mat, cx: LowerContext): string =>
  cx.try(`kr_gemm_${kernelOf(d)}(${m}, ${n}, ${k}, ${a.ptr}, ${a.rs}, ${a.cs}, ${b.ptr}, ${b.rs}, ${b.cs}, ${c.ptr}, ${c.rs}, ${c.cs})`);


/**
 * Lines that bring operand `e` (an array of type `t`) to dtype `d` as a C-contiguous copy when it differs (NumPy
 * converts before the product), and the C name of the array to use.
 */
function asDtype(e: string, t: Arr, d: ScalarName, name: string, cx: LowerContext): { lines: string[]; name: string } {
  if (t.dtype === d) return { lines: [], name: e };
  const copy = copyArray(t, d);
  if (copy.kind !== 'stmts') throw new Error('internal: copyArray is not statements');
  return { lines: [`kiln_array_${d} ${name};`, ...copy.emit([e], name, cx)], name };
}

/** `x @ y` / np.matmul, and np.dot where it agrees with matmul: operands of 1 to 3 dimensions. */
function matmulLowering(x: Arr, y: Arr, rd: ScalarName, errors: 'matmul' | 'dot'): Lowering {
  return stmts((a, out, cx) => {
    const [X, Y] = a;
    const xk = `${X}.shape[${x.ndim - 1}]`, yk = `${Y}.shape[${y.ndim >= 2 ? y.ndim - 2 : 0}]`;
    const lines = ['{'];
    const misaligned = errors === 'matmul' ? `kr_raise_matmul_core(${yk}, ${xk})` : `kr_raise_dot_aligned(${X}.shape, ${x.ndim}, ${Y}.shape, ${y.ndim})`;
    lines.push(`  if (${xk} != ${yk}) ${cx.try(misaligned)}`);
    const n = x.ndim >= 2 ? `${X}.shape[${x.ndim - 2}]` : '1';
    const m = y.ndim >= 2 ? `${Y}.shape[${y.ndim - 1}]` : '1';
    // The batch: a 3-D operand's first dimension, broadcast against the other's (size 1 repeats).
    let batch = '1';
    if (x.ndim === 3 && y.ndim === 3) {
      lines.push(`  if (${X}.shape[0] != ${Y}.shape[0] && ${X}.shape[0] != 1 && ${Y}.shape[0] != 1) ${cx.try(`kr_raise_matmul_batch(${X}.shape, ${Y}.shape, ${n}, ${m})`)}`);
      batch = `(${X}.shape[0] == 1 ? ${Y}.shape[0] : ${X}.shape[0])`;
    } else if (x.ndim === 3) batch = `${X}.shape[0]`;
    else if (y.ndim === 3) batch = `${Y}.shape[0]`;
    const cvx = asDtype(X, x, rd, 'kiln_cx', cx), cvy = asDtype(Y, y, rd, 'kiln_cy', cx);
    lines.push(...[...cvx.lines, ...cvy.lines].map((l) => `  ${l}`));
    const A = cvx.name, B = cvy.name;
    if (x.ndim === 1 && y.ndim === 1) {
      lines.push(`  ${out} = kr_dot_${kernelOf(rd)}(${xk}, ${A}.data, ${A}.strides[0], ${B}.data, ${B}.strides[0]);`, '}');
      return lines;
    }
    const shape: string[] = [];
    if (x.ndim === 3 || y.ndim === 3) shape.push(batch);
    if (x.ndim >= 2) shape.push(n);
    if (y.ndim >= 2) shape.push(m);
    lines.push(`  int64_t kshp[3] = {${shape.join(', ')}}, kb = ${batch}, kn = ${n}, km = ${m};`);
    lines.push(`  ${alloc(out, 'kshp', shape.length, rd, false, cx)}`);
    const sa = x.ndim === 3 ? `(${A}.shape[0] == 1 ? 0 : ${A}.strides[0])` : '0';
    const sb = y.ndim === 3 ? `(${B}.shape[0] == 1 ? 0 : ${B}.strides[0])` : '0';
    const am: Mat = { ptr: `${A}.data + kq * ${sa}`, rs: x.ndim >= 2 ? `${A}.strides[${x.ndim - 2}]` : '0', cs: `${A}.strides[${x.ndim - 1}]` };
    const bm: Mat = { ptr: `${B}.data + kq * ${sb}`, rs: `${B}.strides[${y.ndim >= 2 ? y.ndim - 2 : 0}]`, cs: y.ndim >= 2 ? `${B}.strides[${y.ndim - 1}]` : '0' };
    const cm: Mat = { ptr: `${out}.data + kq * kn * km`, rs: 'km', cs: '1' };
    lines.push(`  for (int64_t kq = 0; kq < kb; kq++) ${gemm(rd, 'kn', 'km', xk, am, bm, cm, cx)}`);
    lines.push('}');
    return lines;
  });
}

/** np.dot of a 2-D and a 3-D array: out[i, p, j] = sum_k x[i, k] * y[p, k, j] (NumPy's dot sums over x's last and y's second-to-last axis). */
function dot2x3Lowering(x: Arr, y: Arr, rd: ScalarName): Lowering {
  return stmts((a, out, cx) => {
    const [X, Y] = a;
    const lines = ['{', `  if (${X}.shape[1] != ${Y}.shape[1]) ${cx.try(`kr_raise_dot_aligned(${X}.shape, 2, ${Y}.shape, 3)`)}`];
    const cvx = asDtype(X, x, rd, 'kiln_cx', cx), cvy = asDtype(Y, y, rd, 'kiln_cy', cx);
    lines.push(...[...cvx.lines, ...cvy.lines].map((l) => `  ${l}`));
    const A = cvx.name, B = cvy.name;
    lines.push(`  int64_t kshp[3] = {${A}.shape[0], ${B}.shape[0], ${B}.shape[2]}, kp = ${B}.shape[0], km = ${B}.shape[2];`);
    lines.push(`  ${alloc(out, 'kshp', 3, rd, false, cx)}`);
    const am: Mat = { ptr: `${A}.data`, rs: `${A}.strides[0]`, cs: `${A}.strides[1]` };
    const bm: Mat = { ptr: `${B}.data + kq * ${B}.strides[0]`, rs: `${B}.strides[1]`, cs: `${B}.strides[2]` };
    const cm: Mat = { ptr: `${out}.data + kq * km`, rs: 'kp * km', cs: '1' };
    lines.push(`  for (int64_t kq = 0; kq < kp; kq++) ${gemm(rd, `${A}.shape[0]`, 'km', `${A}.shape[1]`, am, bm, cm, cx)}`, '}');
    return lines;
  });
}

/** The product of two arrays as `python` (`a @ b`, `np.matmul(a, b)`, `np.dot(a, b)`, `a.dot(b)`) computes it. */
const product = (python: string, errors: 'matmul' | 'dot'): Resolver => (args) => {
  const [x, y] = args;
  if (x?.kind !== 'array' || y?.kind !== 'array') return undefined;
  const d = npBinaryType(itemOf(x), itemOf(y))!;
  if (d === 'bool') return `${python} of bool arrays is not compiled; convert with .astype(np.int64)`;
  const facts = SCALARS[d].float ? REASSOCIATED : HEADERS;
  const nd = errors === 'matmul'
    ? (x.ndim === 3 || y.ndim === 3 ? 1 : 0) + (x.ndim >= 2 ? 1 : 0) + (y.ndim >= 2 ? 1 : 0)
    : x.ndim + y.ndim - 2;
  if (nd > 3) return `${python} of ${x.ndim}-D and ${y.ndim}-D arrays gives ${nd} dimensions; Kiln compiles arrays of 1 to 3`;
  const result = nd === 0 ? T.np(d) : T.array(d, nd);
  if (errors === 'dot' && x.ndim === 2 && y.ndim === 3) return { result, argTypes: args, lower: dot2x3Lowering(x, y, d), facts };
  return { result, argTypes: args, lower: matmulLowering(x, y, d, errors), facts };
};

// ---- np.einsum ----------------------------------------------------------------------------------------------

/** A parsed subscripts string: each operand's letters and the output's (implicit output: NumPy's rule). */
interface Subscripts { inputs: string[]; output: string }

/** Parses NumPy's subscripts ('ij,jk->ik', spaces ignored, no '...'), or returns NumPy's ValueError message. */
export function parseSubscripts(spec: string, ndims: number[]): Subscripts | { error: string } {
  const s = spec.replace(/ /g, '');
  if (s.includes('.')) return { error: "'...' in np.einsum's subscripts is not compiled; name every dimension" };
  const [lhs, rhs, extra] = s.split('->');
  if (extra !== undefined) return { error: "ValueError: einstein sum subscript string does not contain proper '->' output specified" };
  const inputs = lhs.split(',');
  for (const part of [...inputs, rhs ?? '']) {
    const bad = [...part].find((c) => !/[a-zA-Z]/.test(c));
    if (bad) return { error: `ValueError: invalid subscript '${bad}' in einstein sum subscripts string, subscripts must be letters` };
  }
  if (inputs.length < ndims.length) return { error: 'ValueError: more operands provided to einstein sum function than specified in the subscripts string' };
  if (inputs.length > ndims.length) return { error: 'ValueError: fewer operands provided to einstein sum function than specified in the subscripts string' };
  for (const [i, part] of inputs.entries()) {
    if (part.length > ndims[i]) return { error: `ValueError: einstein sum subscripts string contains too many subscripts for operand ${i}` };
    if (part.length < ndims[i]) return { error: "ValueError: operand has more dimensions than subscripts given in einstein sum, but no '...' ellipsis provided to broadcast the extra dimensions." };
  }
  let output: string;
  if (rhs === undefined) {
    // Implicit output: the letters that appear once, in alphabetical order (NumPy: upper case before lower case).
    const all = inputs.join('');
    output = [...new Set(all)].filter((c) => all.split(c).length === 2).sort().join('');
  } else {
    output = rhs;
    for (const c of output) {
      if (output.split(c).length > 2) return { error: `ValueError: einstein sum subscripts string includes output subscript '${c}' multiple times` };
      if (!inputs.some((p) => p.includes(c))) return { error: `ValueError: einstein sum subscripts string included output subscript '${c}' which never appeared in an input` };
    }
  }
  return { inputs, output };
}

/** The einsum of `ops` (arrays) by `sub`, as C. */
function einsumLowering(sub: Subscripts, ops: Arr[], rd: ScalarName): { lower: Lowering; view: boolean; sums: boolean } {
  const { inputs, output } = sub;
  // Iteration letters: the output's, then the summed ones in order of first appearance (NumPy's iterator order).
  const summed = [...new Set(inputs.join(''))].filter((c) => !output.includes(c));
  const letters = [...output, ...summed];
  const nd = letters.length;
  const firstAxis = (op: number, c: string) => inputs[op].indexOf(c);
  const view = ops.length === 1 && summed.length === 0;
  const ct = ctOf(rd);
  const lower = stmts((args, out, cx) => {
    const a = args.slice(1); // args[0] is the subscripts string
    const lines = ['{'];
    // Repeated letters in one operand: the diagonal's dimensions must agree (NumPy checks this while parsing).
    inputs.forEach((p, op) => [...p].forEach((c, ax) => {
      const first = p.indexOf(c);
      if (first !== ax) lines.push(`  if (${a[op]}.shape[${first}] != ${a[op]}.shape[${ax}]) ${cx.try(`kr_raise_einsum_collapse(${op}, '${c}', ${a[op]}.shape[${first}], ${a[op]}.shape[${ax}])`)}`);
    }));
    // Each letter's size: equal in every operand that has it, or 1 there (broadcast); else NumPy's iterator error.
    const sizes = letters.map((_l, d) => `kz${d}`);
    const bad = `kiln_einsum_bad_${out.replace(/[^A-Za-z0-9_]/g, '_')}`;
    let checked = false;
    const has = ops.map((_, op) => letters.map((c) => firstAxis(op, c)));
    const remap = has.flat().join(', ');
    letters.forEach((_l, d) => {
      const where = ops.map((_, op) => (has[op][d] >= 0 ? `${a[op]}.shape[${has[op][d]}]` : undefined)).filter((x): x is string => !!x);
      lines.push(`  int64_t ${sizes[d]} = ${where[0]};`);
      for (const w of where.slice(1)) {
        lines.push(`  if (${w} != ${sizes[d]}) { if (${sizes[d]} == 1) ${sizes[d]} = ${w}; else if (${w} != 1) goto ${bad}; }`);
        checked = true;
      }
    });
    // The operands in the result's dtype (a converted copy where one differs, after the checks), and the strides each
    // walks per letter: 0 where it lacks the letter or broadcasts a dimension of 1, the sum of its strides over a
    // repeated letter (a diagonal).
    const conv = view ? [] : ops.map((t, op) => asDtype(a[op], t, rd, `kiln_e${op}`, cx));
    const src = view ? a : conv.map((c) => c.name);
    const strides = ops.map((_, op) => letters.map((c) => {
      const axes = [...inputs[op]].map((x, ax) => (x === c ? ax : -1)).filter((ax) => ax >= 0);
      if (!axes.length) return '0';
      return `(${src[op]}.shape[${axes[0]}] == 1 ? 0 : ${axes.map((ax) => `${src[op]}.strides[${ax}]`).join(' + ')})`;
    }));
    if (view) {
      lines.push(`  ${out}.data = ${a[0]}.data;`);
      letters.forEach((_, d) => lines.push(`  ${out}.shape[${d}] = ${sizes[d]}; ${out}.strides[${d}] = ${strides[0][d]};`));
      for (let d = nd; d < 3; d++) lines.push(`  ${out}.shape[${d}] = 1; ${out}.strides[${d}] = 0;`);
    } else {
      lines.push(...conv.flatMap((c) => c.lines).map((l) => `  ${l}`));
      const outNd = output.length;
      const res = outNd ? `${out}.data` : 'kiln_acc';
      if (outNd) {
        lines.push(`  int64_t kshp[3] = {${output.split('').map((_, d) => sizes[d]).join(', ')}};`);
        lines.push(`  ${alloc(out, 'kshp', outNd, rd, false, cx)}`);
      } else lines.push(`  ${ct} kiln_acc[1] = {0};`);
      const ostr = (d: number) => (d < outNd ? `${out}.strides[${d}]` : '0');
      const gemmForm = contractionAsGemm(inputs, output, summed);
      if (gemmForm && ops.length === 2 && kernelOf(rd)) {
        // A batch (b), rows (i), columns (j) and one summed letter (k): one GEMM per batch item.
        const idx = (c: string | undefined) => (c === undefined ? -1 : letters.indexOf(c));
        const [b, i, j, k] = [gemmForm.batch, gemmForm.row, gemmForm.col, gemmForm.sum].map(idx);
        const st = (op: number, d: number) => (d < 0 ? '0' : strides[op][d]);
        const size = (d: number) => (d < 0 ? '1' : sizes[d]);
        const am: Mat = { ptr: `${src[0]}.data + kq * ${st(0, b)}`, rs: st(0, i), cs: st(0, k) };
        const bm: Mat = { ptr: `${src[1]}.data + kq * ${st(1, b)}`, rs: st(1, k), cs: st(1, j) };
        const cm: Mat = { ptr: `${res} + kq * ${b < 0 ? '0' : ostr(b)}`, rs: i < 0 ? '0' : ostr(i), cs: j < 0 ? '0' : ostr(j) };
        lines.push(`  for (int64_t kq = 0; kq < ${size(b)}; kq++) ${gemm(rd, size(i), size(j), size(k), am, bm, cm, cx)}`);
      } else {
        // Loops over the letters in order; each output element is the sum over the summed letters in C order.
        const acc = SCALARS[rd].float ? ct : 'uint64_t';
        const item = (op: number) => `(${acc})${src[op]}.data[${letters.map((_, d) => `k${d} * ${strides[op][d]}`).join(' + ') || '0'}]`;
        const prod = ops.map((_, op) => item(op)).join(' * ');
        const open = letters.map((_, d) => `for (int64_t k${d} = 0; k${d} < ${sizes[d]}; k${d}++)`);
        const at = `${res}[${output.split('').map((_, d) => `k${d} * ${ostr(d)}`).join(' + ') || '0'}]`;
        if (!summed.length) lines.push(`  ${open.join(' ')} ${at} = (${ct})(${prod});`);
        else {
          lines.push(`  ${open.slice(0, outNd).join(' ')} {`);
          lines.push(`    ${acc} ks = 0;`);
          lines.push(`    ${open.slice(outNd).join(' ')} ks += ${prod};`);
          lines.push(`    ${at} = (${ct})ks;`);
          lines.push('  }');
        }
      }
      if (!outNd) lines.push(`  ${out} = kiln_acc[0];`);
    }
    if (checked) {
      // NumPy's message for sizes that do not broadcast (its iterator's remapped shapes).
      lines.push('  if (0) {', `  ${bad}:;`);
      lines.push(`    { static const int kremap[] = {${remap}}; const int64_t *kshapes[] = {${ops.map((_, op) => `${a[op]}.shape`).join(', ')}}; const int knd[] = {${ops.map((t) => t.ndim).join(', ')}};`);
      lines.push(`      ${cx.try(`kr_raise_einsum_broadcast(${ops.length}, kshapes, knd, kremap, ${nd})`)} }`);
      lines.push('  }');
    }
    lines.push('}');
    return lines;
  });
  return { lower, view, sums: summed.length > 0 };
}

/**
 * A two-operand einsum that is a matrix product: every letter is a batch (both operands and the output), a row (the
 * first and the output), a column (the second and the output) or the one summed letter (both operands), at most one
 * of each, none repeated in an operand.
 */
function contractionAsGemm(inputs: string[], output: string, summed: string[]): { batch?: string; row?: string; col?: string; sum?: string } | undefined {
  if (inputs.length !== 2) return undefined;
  const [p, q] = inputs;
  if (new Set(p).size !== p.length || new Set(q).size !== q.length || summed.length > 1) return undefined;
  const form: { batch?: string; row?: string; col?: string; sum?: string } = {};
  for (const c of new Set(p + q)) {
    const inP = p.includes(c), inQ = q.includes(c), inO = output.includes(c);
    const role = inP && inQ ? (inO ? 'batch' : 'sum') : inP ? (inO ? 'row' : undefined) : inO ? 'col' : undefined;
    if (!role || form[role] !== undefined) return undefined;
    form[role] = c;
  }
  // The batch must lead the output (the GEMM writes whole matrices per batch item); rows and columns in any order.
  if (form.batch && output[0] !== form.batch) return undefined;
  return form;
}

const einsum: OpDef = {
  target: 'numpy.einsum', python: "np.einsum('ij,jk->ik', a, b)",
  signatures: ['a constant subscripts string and one or two arrays of 1 to 3 dimensions (no ...)', 'matrix products, batched products, matrix-vector and dot products on the GEMM; transposes and diagonals as views; traces, sums, elementwise and outer products'],
  notes: 'A float sum (a contraction) adds in an order of its own, as NumPy\'s einsum and BLAS do (theirs differ by machine): verified within the products\' bound. Elementwise and outer products are exact.',
  facts: { ...HEADERS, constantStrings: [0] },
  resolve(args, consts) {
    const [spec, ...rest] = args;
    const c = consts[0];
    if (c?.kind !== 'str' || spec.kind !== 'str') return "np.einsum's subscripts must be a string constant (Kiln reads them at compile time)";
    const ops = rest.filter((t) => t.kind !== 'none');
    if (!ops.length || ops.length > 2 || !ops.every(isArray)) return `np.einsum of ${ops.map(typeToString).join(', ') || 'no operands'} is not compiled: give one or two arrays`;
    const arrs = ops as Arr[];
    const sub = parseSubscripts(c.value, arrs.map((t) => t.ndim));
    if ('error' in sub) return sub.error;
    if (sub.output.length > 3) return `np.einsum('${c.value}') gives ${sub.output.length} dimensions; Kiln compiles arrays of 1 to 3`;
    const rd = arrs.length === 1 ? arrs[0].dtype : npBinaryType(itemOf(arrs[0]), itemOf(arrs[1]))!;
    if (rd === 'bool') return 'np.einsum of bool arrays is not compiled; convert with .astype(np.int64)';
    const e = einsumLowering(sub, arrs, rd);
    const result = sub.output.length ? T.array(rd, sub.output.length) : T.np(rd);
    const facts: OpFacts = e.view ? { ...HEADERS, aliases: [1] } : e.sums && SCALARS[rd].float ? REASSOCIATED : HEADERS;
    const r: Resolved = { result, argTypes: [T.str, ...ops], lower: e.lower, facts };
    return r;
  },
};

const SIGNATURES = ['1-D, 1-D -> scalar', '2-D, 2-D -> 2-D', '2-D, 1-D -> 1-D', '1-D, 2-D -> 1-D', 'stacks: 3-D with 1-D, 2-D or 3-D (the batch broadcasts; np.dot: 2-D with 3-D sums over its own axes)'];
const NOTES = 'On the runtime GEMM (blocked, vectorised, threaded for large products). Float results add the products in the GEMM\'s order; NumPy\'s BLAS adds in an order that depends on the machine, so the last bits can differ: verified within the products\' bound. Integers wrap as NumPy\'s.';

function productOp(target: string, python: string, errors: 'matmul' | 'dot'): OpDef {
  return { target, python, signatures: SIGNATURES, notes: NOTES, facts: HEADERS, resolve: product(python, errors) };
}

const ops: OpDef[] = [
  productOp('numpy.dot', 'np.dot(a, b)', 'dot'), productOp('numpy.matmul', 'np.matmul(a, b)', 'matmul'), productOp('method.dot', 'a.dot(b)', 'dot'),
  {
    target: '_operator.matmul', python: 'a @ b', signatures: SIGNATURES, notes: NOTES, facts: HEADERS,
    resolve: (args, consts, lookup) => (args.some(isArray) ? product('a @ b', 'matmul')(args, consts, lookup) : undefined),
    unsupported: (args: KType[]) => `matmul() of ${args.map(typeToString).join(', ')} is not compiled`,
  },
  einsum,
];

/** The einsum subscripts of a call, for messages (exported for tests). */
export const einsumSpec = (c: ConstValue | undefined): string | undefined => (c?.kind === 'str' ? c.value : undefined);

export const products: OpDomain = { name: 'products', title: 'NumPy: matrix products (a @ b, np.dot, np.matmul, np.einsum)', ops };
