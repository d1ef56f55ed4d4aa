/** Products of arrays: np.dot, np.matmul, a.dot(b) and `a @ b` (1-D and 2-D). */
import { SCALARS, T, isArray, typeToString } from '../types.ts';
import { npBinaryType, stmts, type LowerContext, type OpDef, type OpDomain, type Resolver } from './common.ts';
import { alloc, ctOf, itemOf } from './common_arrays.ts';

const SIGNATURES = ['1-D, 1-D -> scalar', '2-D, 2-D -> 2-D', '2-D, 1-D -> 1-D', '1-D, 2-D -> 1-D'];
const NOTES = 'Float results add the products left to right; NumPy calls BLAS, whose order of additions depends on the machine, so the last bits can differ for floats that are not exact.';

/** The product of two arrays of 1 or 2 dimensions, as `python` names it in messages. */
const dot = (python: string): Resolver => (args) => {
  const [x, y] = args;
  if (x?.kind !== 'array' || y?.kind !== 'array') return undefined;
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
};

function dotOp(target: string, python: string): OpDef {
  return { target, python, signatures: SIGNATURES, notes: NOTES, facts: target.startsWith('numpy.') ? { arrayRuntime: true } : undefined, resolve: dot(python) };
}

const ops: OpDef[] = [
  dotOp('numpy.dot', 'np.dot(a, b)'), dotOp('numpy.matmul', 'np.matmul(a, b)'), dotOp('method.dot', 'a.dot(b)'),
  {
    target: '_operator.matmul', python: 'matmul', signatures: ['lists and arrays'],
    resolve: (args, consts, ops) => (args.some(isArray) ? dot('a @ b')(args, consts, ops) : undefined),
    unsupported: (args) => `matmul() of ${args.map(typeToString).join(', ')} is not compiled`,
  },
];

export const linalg: OpDomain = { name: 'linalg', title: 'NumPy: dot and matmul', ops };
