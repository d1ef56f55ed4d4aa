/** Array methods (copy, astype, reshape, fill, tolist) and attributes (shape, size, ndim, T). */
import { SCALARS, T, cType, typeToString, type KType } from '../types.ts';
import { expr, isIdx, stmts, type OpDef, type OpDomain, type Overload } from './common.ts';
import { STORE_NOTE, alloc, copyArray, itemOf, loop3, off3, storeCheck, storeConv } from './common_arrays.ts';

const attrs: OpDef[] = [
  {
    target: 'attr.shape', python: 'a.shape', signatures: ['array -> tuple of ints'], facts: { complexArrays: true },
    resolve([a]) {
      if (a.kind !== 'array') return `'${typeToString(a)}' object has no attribute 'shape'`;
      const t = T.tuple(Array.from({ length: a.ndim }, () => T.int));
      return { result: t, argTypes: [a], lower: expr((x) => `((${cType(t)}){${Array.from({ length: a.ndim }, (_, k) => `${x[0]}.shape[${k}]`).join(', ')}})`) };
    },
  },
  {
    target: 'attr.size', python: 'a.size', signatures: ['array -> int'], facts: { complexArrays: true },
    resolve([a]) {
      if (a.kind !== 'array') return `'${typeToString(a)}' object has no attribute 'size'`;
      return { result: T.int, argTypes: [a], lower: expr((x) => `kr_size(${x[0]}.shape, ${a.ndim})`) };
    },
  },
  {
    target: 'attr.ndim', python: 'a.ndim', signatures: ['array -> int (static)'], facts: { complexArrays: true },
    resolve([a]) {
      if (a.kind !== 'array') return `'${typeToString(a)}' object has no attribute 'ndim'`;
      return { result: T.int, argTypes: [a], lower: expr(() => `INT64_C(${a.ndim})`) };
    },
  },
  {
    target: 'attr.T', python: 'a.T', signatures: ['array -> transposed view'], facts: { aliases: 'all', complexArrays: true },
    resolve([a]) {
      if (a.kind !== 'array') return `'${typeToString(a)}' object has no attribute 'T'`;
      return {
        result: a, argTypes: [a],
        lower: stmts((x, out) => [`${out}.data = ${x[0]}.data;`, ...Array.from({ length: a.ndim }, (_, k) => `${out}.shape[${k}] = ${x[0]}.shape[${a.ndim - 1 - k}]; ${out}.strides[${k}] = ${x[0]}.strides[${a.ndim - 1 - k}];`)]),
      };
    },
  },
];

const methods: OpDef[] = [
  {
    target: 'method.copy', python: 'a.copy() / lst.copy()', signatures: ['array -> C-contiguous copy'], facts: { complexArrays: true },
    resolve([a]) {
      if (a.kind === 'array') return { result: a, argTypes: [a], lower: copyArray(a, a.dtype) };
      return `'${typeToString(a)}' object has no attribute 'copy'`;
    },
  },
  {
    target: 'method.astype', python: 'a.astype(dtype)', signatures: ['array, dtype -> converted copy (float to int truncates; NaN and out-of-range values as NumPy gives them on x86-64)'],
    facts: { keywords: ['self', 'dtype'] },
    resolve([a, d]) {
      if (a.kind !== 'array') return `'${typeToString(a)}' object has no attribute 'astype'`;
      if (d?.kind !== 'dtype') return 'astype() takes a NumPy type such as np.float32';
      return { result: T.array(d.name, a.ndim), argTypes: [a, d], lower: copyArray(a, d.name) };
    },
  },
  {
    target: 'method.reshape', python: 'a.reshape(shape)', signatures: ['array, ints or a tuple -> array of that shape: a view when NumPy gives one (a C-contiguous array), else a copy in C order; -1 is inferred'],
    facts: { aliases: 'all', sizedByArgs: true, complexArrays: true },
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
          // Any negative dimension is the unknown one, as in NumPy (reshape(-3, 3) is reshape(-1, 3)).
          lines.push(`  for (int k = 0; k < ${nd}; k++) { if (ksh[k] < 0) { if (kneg >= 0) ${cx.raise('ValueError', '"can only specify one unknown dimension"')} kneg = k; } else kknown *= ksh[k]; }`);
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
    target: 'method.fill', python: 'a.fill(value)', signatures: ['array, number -> None'], notes: STORE_NOTE, facts: { writes: [0] },
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
    target: 'method.tolist', python: 'a.tolist()', signatures: ['1-D array -> list of Python numbers'],
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

/** a.dtype (a dtype value: compared with ==, passed as dtype=), a.itemsize and a.nbytes. */
const dtypeAttrs: OpDef[] = [
  {
    target: 'attr.dtype', python: 'a.dtype', signatures: ['array -> its dtype (a compile-time value: a.dtype == np.float64, dtype=a.dtype)'],
    resolve([a]) {
      if (a.kind !== 'array') return `'${typeToString(a)}' object has no attribute 'dtype'`;
      return { result: T.dtype(a.dtype), argTypes: [a], lower: expr(() => '0') };
    },
  },
  ...(['itemsize', 'nbytes'] as const).map((name): OpDef => ({
    target: `attr.${name}`, python: `a.${name}`, signatures: [`array -> int (${name === 'itemsize' ? 'bytes per item' : 'items times itemsize'})`],
    resolve([a]) {
      if (a.kind !== 'array') return `'${typeToString(a)}' object has no attribute '${name}'`;
      const size = Math.max(1, SCALARS[a.dtype].bits / 8);
      return { result: T.int, argTypes: [a], lower: expr((x) => (name === 'itemsize' ? `INT64_C(${size})` : `(kr_size(${x[0]}.shape, ${a.ndim}) * INT64_C(${size}))`)) };
    },
  })),
];

/** dtype == dtype, dtype != dtype: known when compiling (np.dtype('float64') == np.float64 in NumPy). */
const dtypeCompare: Overload[] = (['eq', 'ne'] as const).map((op): Overload => ({
  target: `_operator.${op}`, signatures: ['dtypes -> bool (static)'],
  resolve(args) {
    const [x, y] = args;
    if (x?.kind !== 'dtype' || y?.kind !== 'dtype') return undefined;
    const same = x.name === y.name;
    return { result: T.bool, argTypes: args, lower: expr(() => ((op === 'eq') === same ? '1' : '0')) };
  },
}));

export const arrayMethods: OpDomain = { name: 'array_methods', title: 'Array methods and attributes', ops: [...methods, ...attrs, ...dtypeAttrs], overloads: dtypeCompare };
