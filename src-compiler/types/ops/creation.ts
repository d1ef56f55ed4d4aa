/** Creating NumPy arrays: np.zeros and friends, the *_like forms, np.eye/identity/tri, np.arange, np.linspace, np.array/np.asarray. */
import { T, cType, isBool, isIntLike } from '../types.ts';
import { expr, isIdx, isNone, isScalarType, stmts, type OpDef, type OpDomain, type OpFacts } from './common.ts';
import { alloc, copyArray, ctOf, dtypeArg, dtypeOf, shapeArg, storeCheck, storeConv } from './common_arrays.ts';

const NUMPY: OpFacts = { arrayRuntime: true };

/**
 * np.empty and np.empty_like are not cleared, as in NumPy (clearing pairwise's 320 KB result cost 6 us a call),
 * except for bool, where a byte other than 0 or 1 would be undefined behaviour in C.
 */
function filled(name: 'zeros' | 'ones' | 'empty' | 'full'): OpDef {
  return {
    target: `numpy.${name}`, python: name === 'full' ? 'np.full(shape, value, dtype=None)' : `np.${name}(shape, dtype=np.float64)`,
    notes: name === 'full' ? 'A Python int the dtype cannot hold raises OverflowError (NumPy 2); a float or NumPy scalar fill value is cast as NumPy casts it on x86-64 (NaN into int32: -2147483648), the same on every target.' : undefined,
    signatures: ['int | tuple of 1-3 ints [, dtype] -> new array (float64 unless dtype is given)'],
    facts: { ...NUMPY, sizedByArgs: true, keywords: name === 'full' ? ['shape', 'fill_value', 'dtype'] : ['shape', 'dtype'] },
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

function creationLike(name: 'zeros_like' | 'ones_like' | 'empty_like' | 'full_like'): OpDef {
  return {
    target: `numpy.${name}`, python: `np.${name}(a${name === 'full_like' ? ', value' : ''}, dtype=None)`,
    signatures: ['array -> new array of its shape and dtype'],
    facts: { ...NUMPY, keywords: name === 'full_like' ? ['a', 'fill_value', 'dtype'] : ['a', 'dtype'] },
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

const arange: OpDef = {
  target: 'numpy.arange', python: 'np.arange([start,] stop[, step], dtype=None)',
  signatures: ['ints -> int64 array', 'numbers -> float64 array (NumPy: start + i * ((start + step) - start))'],
  facts: { ...NUMPY, sizedByArgs: true, keywords: ['start', 'stop', 'step', 'dtype'] },
  resolve(args) {
    const given = args.slice(0, 3).filter((t) => !isNone(t));
    if (!given.length || !given.every(isScalarType)) return 'np.arange() takes 1 to 3 numbers';
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

const linspace: OpDef = {
  target: 'numpy.linspace', python: 'np.linspace(start, stop, num=50, endpoint=True)',
  signatures: ['numbers -> float64 array (NumPy\'s formula: i * step + start, the last item is stop)'],
  facts: { ...NUMPY, sizedByArgs: true, keywords: ['start', 'stop', 'num', 'endpoint', 'dtype'] },
  resolve(args) {
    const [start, stop, num, endpoint, dt] = args;
    if (!isScalarType(start) || !isScalarType(stop)) return 'np.linspace() takes numbers';
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
function arrayFrom(name: 'array' | 'asarray'): OpDef {
  return {
    target: `numpy.${name}`, python: `np.${name}(list_or_array, dtype=None)`,
    signatures: ['list[number] -> 1-D array', 'list[list[number]] -> 2-D array (ValueError when ragged)', 'array -> copy (np.asarray of the same dtype: the array itself)'],
    facts: { ...NUMPY, keywords: name === 'array' ? ['object', 'dtype'] : ['a', 'dtype'] },
    resolve(args) {
      const [src, dt] = args;
      if (src.kind === 'array') {
        const d = dtypeArg(dt, src.dtype);
        if (typeof d !== 'string') return d.error;
        // np.asarray(a) of the same dtype is `a` itself (writes through it reach `a`); np.array copies.
        const facts: OpFacts | undefined = name === 'asarray' ? { aliases: 'all' } : undefined;
        if (name === 'asarray' && d === src.dtype) return { result: src, argTypes: args, lower: expr((a) => a[0]), facts };
        return { result: T.array(d, src.ndim), argTypes: args, lower: copyArray(src, d), facts };
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

/**
 * np.eye(N, M=None, k=0, dtype=float) / np.identity(n) / np.tri(N, M=None, k=0): ones on the k-th diagonal (eye),
 * or at and below it (tri), zeros elsewhere; a negative size is NumPy's ValueError.
 */
function diagonalOnes(name: 'eye' | 'identity' | 'tri'): OpDef {
  const keywords = name === 'identity' ? ['n', 'dtype'] : ['N', 'M', 'k', 'dtype'];
  return {
    target: `numpy.${name}`, python: name === 'identity' ? 'np.identity(n, dtype=None)' : `np.${name}(N, M=None, k=0, dtype=np.float64)`,
    signatures: [name === 'identity' ? 'int [, dtype] -> new n x n array' : 'int [, int, k=int, dtype] -> new 2-D array'],
    facts: { ...NUMPY, sizedByArgs: true, keywords },
    resolve(args) {
      const [n, m, k] = name === 'identity' ? [args[0], undefined, undefined] : args;
      if (!n || !isIdx(n) || (!isNone(m) && !isIdx(m!)) || (!isNone(k) && !isIdx(k!))) return `np.${name}() takes ints for its sizes and k`;
      const d = dtypeArg(args[keywords.indexOf('dtype')], 'float64');
      if (typeof d !== 'string') return d.error;
      return {
        result: T.array(d, 2), argTypes: args,
        lower: stmts((a, out, cx) => [
          '{',
          `  int64_t ksh[2] = {(int64_t)${a[0]}, (int64_t)${isNone(m) ? a[0] : a[1]}}, kk = ${isNone(k) ? '0' : `(int64_t)${a[2]}`};`,
          // np.tri is greater_equal.outer(arange(N), arange(-k, M - k)): negative sizes give empty axes, and
          // arange's last item -k + M - 1 past int64 is its OverflowError.
          ...(name === 'tri' ? [
            '  for (int d = 0; d < 2; d++) if (ksh[d] < 0) ksh[d] = 0;',
            `  if (ksh[1] > 0 && kk < ksh[1] - 1 - INT64_MAX) ${cx.raise('OverflowError', '"Python int too large to convert to C long"')}`,
          ] : []),
          `  ${alloc(out, 'ksh', 2, d, true, cx)}`,
          name === 'tri'
            ? `  for (int64_t i = 0; i < ksh[0]; i++) for (int64_t j = 0; j < ksh[1] && j <= i + kk; j++) ${out}.data[i * ksh[1] + j] = 1;`
            : `  for (int64_t i = 0; i < ksh[0]; i++) if (i + kk >= 0 && i + kk < ksh[1]) ${out}.data[i * ksh[1] + i + kk] = 1;`,
          '}',
        ]),
      };
    },
  };
}

const ops: OpDef[] = [
  diagonalOnes('eye'), diagonalOnes('identity'), diagonalOnes('tri'),
  filled('zeros'), filled('ones'), filled('empty'), filled('full'),
  creationLike('zeros_like'), creationLike('ones_like'), creationLike('empty_like'), creationLike('full_like'),
  arange, linspace, arrayFrom('array'), arrayFrom('asarray'),
];

/** np.copy(a): a new C-contiguous copy (as a.copy()). */
const npCopy: OpDef = {
  target: 'numpy.copy', python: 'np.copy(a)', signatures: ['array -> C-contiguous copy'], facts: { arrayRuntime: true },
  resolve(args) {
    const [a] = args;
    if (a?.kind !== 'array' || args.length !== 1) return 'np.copy() takes one array here';
    return { result: a, argTypes: args, lower: copyArray(a, a.dtype) };
  },
};

/** np.meshgrid(x, y) (indexing='xy', copies): X[i, j] = x[j], Y[i, j] = y[i] for the flattened x and y. */
const meshgrid: OpDef = {
  target: 'numpy.meshgrid', python: 'np.meshgrid(x, y)', signatures: ['two arrays -> tuple of two 2-D arrays (len(y), len(x))'], facts: { arrayRuntime: true },
  resolve(args) {
    const [x, y] = args;
    if (args.length !== 2 || x?.kind !== 'array' || y?.kind !== 'array') return 'np.meshgrid() takes two arrays here (indexing and sparse are not compiled)';
    return {
      result: T.tuple([T.array(x.dtype, 2), T.array(y.dtype, 2)]), argTypes: args,
      lower: stmts((a, out, cx) => {
        const at = (e: string, nd: number, i: string) => (nd === 1 ? `${e}.data[${i} * ${e}.strides[0]]` : `${e}.data[kflat_${e.replace(/\W/g, '')}[${i}]]`);
        const flatIdx = (e: string, nd: number) => (nd === 1 ? [] : [
          `int64_t *kflat_${e.replace(/\W/g, '')} = (int64_t *)kr_alloc((size_t)(kr_size(${e}.shape, ${nd}) + 1) * sizeof(int64_t), 0); if (!kflat_${e.replace(/\W/g, '')}) ${cx.try('-1')}`,
          `{ int64_t ks3[3], kv3[3], kq = 0; kr_shape3(${e}.shape, ${nd}, ks3); kr_view3(${e}.shape, ${e}.strides, ${nd}, ${nd}, kv3); for (int64_t i0 = 0; i0 < ks3[0]; i0++) for (int64_t i1 = 0; i1 < ks3[1]; i1++) for (int64_t i2 = 0; i2 < ks3[2]; i2++) kflat_${e.replace(/\W/g, '')}[kq++] = i0 * kv3[0] + i1 * kv3[1] + i2 * kv3[2]; }`]);
        return ['{', ...flatIdx(a[0], x.ndim).map((l) => `  ${l}`), ...flatIdx(a[1], y.ndim).map((l) => `  ${l}`),
          `  int64_t knx = kr_size(${a[0]}.shape, ${x.ndim}), kny = kr_size(${a[1]}.shape, ${y.ndim}), ksh[2] = {kny, knx};`,
          `  ${alloc(`${out}.f0`, 'ksh', 2, x.dtype, false, cx)}`, `  ${alloc(`${out}.f1`, 'ksh', 2, y.dtype, false, cx)}`,
          `  for (int64_t i = 0; i < kny; i++) for (int64_t j = 0; j < knx; j++) { ${out}.f0.data[i * knx + j] = ${at(a[0], x.ndim, 'j')}; ${out}.f1.data[i * knx + j] = ${at(a[1], y.ndim, 'i')}; }`, '}'];
      }),
    };
  },
};

export const creation: OpDomain = { name: 'creation', title: 'NumPy: creating arrays', ops: [...ops, npCopy, meshgrid] };