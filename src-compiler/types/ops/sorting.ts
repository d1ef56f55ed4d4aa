/**
 * Sorting NumPy arrays and order statistics: np.sort, ndarray.sort(), np.argsort, np.median and np.percentile
 * (method 'linear'), with NumPy 2's results and messages (the C is kiln_npsort.h).
 *
 * The sort is stable with NaN last, which is NumPy's kind='stable'. NumPy's default kind (quicksort; AVX-512
 * sorting networks on CPUs that have them) gives the same values, but may order equal items differently by CPU:
 * -0.0 and 0.0 among themselves in np.sort, the indices of equal items in np.argsort. Every kind compiles as the
 * stable sort, the same on every target; for np.argsort of the other kinds the reference (kiln_reference.py
 * stable_argsort) checks that NumPy's own indices sort the array as the stable ones do, then compares Kiln's with the
 * stable ones (docs/design/numpy-kernels.md "np.argsort's default kind").
 */
import type { ConstValue } from '../../ir/ir.ts';
import { SCALARS, T, isArray, type KType, type ScalarName } from '../types.ts';
import { isNone, isScalarType, stmts, type OpDef, type OpDomain, type OpFacts, type Overload } from './common.ts';
import { alloc, axisArg, copyViewLines, ctOf, dtypeOf, elemOf, loop3, off3, raising, type Arr } from './common_arrays.ts';

const SORT: OpFacts = { arrayRuntime: true, headers: ['kiln_npsort.h'] };
/** The dtypes kiln_npsort.h sorts, by their instance suffix. */
const SUFFIX: Partial<Record<ScalarName, string>> = { float64: 'f64', float32: 'f32', int64: 'i64', int32: 'i32' };
const unsorted = (what: string, d: ScalarName) => `${what} of a ${d} array is not compiled (float64, float32, int64, int32); convert first (.astype(np.int64))`;
const KINDS = ['quicksort', 'mergesort', 'heapsort', 'stable'];
/** np.sort and np.argsort sort along the last axis unless axis= says otherwise (axis=None: the flattened array). */
const LAST_AXIS = { axis: { kind: 'int', value: '-1' } } as const;

/** kind= of np.sort/np.argsort: None or one of NumPy's names (a constant string). */
function kindArg(t: KType | undefined, c: ConstValue | undefined): string | { error: string } {
  if (isNone(t)) return 'quicksort';
  if (c?.kind !== 'str') return { error: "kind= must be a constant string here (kind='stable')" };
  if (!KINDS.includes(c.value)) return { error: `ValueError: sort kind must be one of 'quick', 'heap', or 'stable' (got '${c.value}')` };
  return c.value;
}

/**
 * C looping over every line of an array along `axis` (the other axes in order): `body(base)` gets the C offset
 * of the line's first item (in elements, by the strides `st`); the line has `shape[axis]` items `st[axis]` apart.
 */
function eachLine(nd: number, axis: number, shape: string, st: string, body: (base: string) => string[]): string[] {
  const others = Array.from({ length: nd }, (_, k) => k).filter((k) => k !== axis);
  const n = (i: number) => (i < others.length ? `${shape}[${others[i]}]` : '1');
  const s = (i: number) => (i < others.length ? `${st}[${others[i]}]` : '0');
  return [
    `for (int64_t p = 0; p < ${n(0)}; p++) for (int64_t q = 0; q < ${n(1)}; q++) {`,
    ...body(`(p * ${s(0)} + q * ${s(1)})`).map((l) => `  ${l}`),
    '}',
  ];
}

/** Sorts every line of the array `e` (type x) along `axis` in place: directly when its items are adjacent, else through a buffer. */
function sortLines(x: Arr, e: string, axis: number, cx: Parameters<Parameters<typeof stmts>[0]>[2]): string[] {
  const ct = ctOf(x.dtype);
  const sfx = SUFFIX[x.dtype]!;
  const lines = [`{ int64_t kl = ${e}.shape[${axis}], kst = ${e}.strides[${axis}];`,
    `  ${ct} *kbuf = kst == 1 ? NULL : (${ct} *)kr_alloc((size_t)(kl ? kl : 1) * sizeof(${ct}), 0); if (kst != 1 && !kbuf) ${cx.try('-1')}`];
  lines.push(...eachLine(x.ndim, axis, `${e}.shape`, `${e}.strides`, (base) => [
    `${ct} *kline = ${e}.data + ${base};`,
    `if (kst == 1) { ${cx.try(`kr_sort_np_${sfx}(kline, kl, 0)`)} }`,
    `else { for (int64_t j = 0; j < kl; j++) kbuf[j] = kline[j * kst]; ${cx.try(`kr_sort_np_${sfx}(kbuf, kl, 0)`)} for (int64_t j = 0; j < kl; j++) kline[j * kst] = kbuf[j]; }`,
  ]).map((l) => `  ${l}`));
  lines.push('}');
  return lines;
}

/** A new C-contiguous copy of x (flattened to 1-D when `flat`) into out. */
function copyInto(x: Arr, a: string, out: string, flat: boolean, cx: Parameters<Parameters<typeof stmts>[0]>[2]): string[] {
  if (!flat) return [alloc(out, `${a}.shape`, x.ndim, x.dtype, false, cx), ...copyViewLines({ data: `${out}.data`, strides: `${out}.strides` }, { data: `${a}.data`, strides: `${a}.strides` }, `${a}.shape`, x.ndim, x.dtype, x.dtype)];
  return [
    `{ int64_t kn1 = kr_size(${a}.shape, ${x.ndim}); ${alloc(out, '&kn1', 1, x.dtype, false, cx)} }`,
    `{ int64_t kfs[3]; kr_c_strides(${a}.shape, ${x.ndim}, kfs);`,
    ...copyViewLines({ data: `${out}.data`, strides: 'kfs' }, { data: `${a}.data`, strides: `${a}.strides` }, `${a}.shape`, x.ndim, x.dtype, x.dtype),
    '}',
  ];
}

/**
 * The checks np.sort and np.argsort (and a.argsort) share on (a, axis, kind, order): a refusal, the AxisError a
 * constant axis raises (its result an array of `dtype`), or where to sort (axis=None: flattened, one dimension).
 */
function sortPlan(name: string, x: Arr, args: KType[], consts: (ConstValue | undefined)[], dtype: ScalarName) {
  const [, ax, kind, order] = args;
  if (!SUFFIX[x.dtype]) return unsorted(`${name}()`, x.dtype);
  if (!isNone(order)) return `${name}(order=) is for structured arrays, which are not compiled`;
  const k = kindArg(kind, consts[2]);
  if (typeof k !== 'string') return k.error;
  const flat = isNone(ax);
  const nd = flat ? 1 : x.ndim;
  const a = flat ? { axis: 0 } : axisArg(ax, consts[1], x.ndim, x.ndim - 1);
  if (typeof a === 'string') return a;
  if ('raise' in a) return raising(T.array(dtype, nd), args, 'AxisError', a.raise);
  return { flat, nd, a };
}

const npSort: OpDef = {
  target: 'numpy.sort', python: 'np.sort(a, axis=-1, kind=None)', signatures: ['array -> sorted copy along axis (axis=None: flattened)'],
  notes: "Stable, NaN last (NumPy's kind='stable'); every kind gives NumPy's values, but NumPy's default may order -0.0 and 0.0 among themselves differently (by CPU).",
  facts: { ...SORT, keywords: ['a', 'axis', 'kind', 'order'], defaults: LAST_AXIS },
  resolve(args, consts) {
    const x = args[0];
    if (x?.kind !== 'array') return 'np.sort() takes an array here';
    const plan = sortPlan('np.sort', x, args, consts, x.dtype);
    if (typeof plan === 'string' || !('flat' in plan)) return plan;
    const { flat, nd, a } = plan;
    return {
      result: T.array(x.dtype, nd), argTypes: args,
      lower: stmts((v, out, cx) => ['{', ...copyInto(x, v[0], out, flat, cx).map((l) => `  ${l}`), ...sortLines({ ...x, ndim: nd } as Arr, out, a.axis!, cx).map((l) => `  ${l}`), '}']),
    };
  },
};

/** ndarray.sort(): in place along the last axis (the list method's entry takes lists). */
const arraySortMethod: Overload = {
  target: 'method.sort', signatures: ['array -> None (in place along the last axis; stable, NaN last)'],
  resolve(args) {
    const [x, ...rest] = args;
    if (x?.kind !== 'array') return undefined;
    if (!rest.every(isNone)) return 'a.sort() takes no arguments here (it sorts along the last axis)';
    if (!SUFFIX[x.dtype]) return unsorted('a.sort()', x.dtype);
    return { result: T.none, argTypes: args, lower: stmts((v, _o, cx) => sortLines(x, v[0], x.ndim - 1, cx)) };
  },
};

/** np.argsort(a, ...) and a.argsort(...): the same op, the method's first argument the array. */
function argsortOp(method: boolean): OpDef {
  const name = method ? 'a.argsort' : 'np.argsort';
  return {
    target: method ? 'method.argsort' : 'numpy.argsort', python: `${method ? 'a.argsort(' : 'np.argsort(a, '}axis=-1, kind=None)`, signatures: ['array -> int64 indices that sort it along axis (axis=None: flattened)'],
    notes: "Every kind is the stable sort (equal items in their order, NaN last): NumPy 2's default order of the indices of equal items depends on the CPU (SIMD sorting networks on AVX-512/AVX2, 'heapsort' too; a scalar introsort elsewhere and in NumPy 1.x); verification checks NumPy's indices are a valid argsort and compares with kind='stable'.",
    facts: { ...SORT, keywords: [method ? 'self' : 'a', 'axis', 'kind', 'order'], defaults: LAST_AXIS },
    resolve(args, consts) {
      const x = args[0];
      if (x?.kind !== 'array') return method ? undefined : 'np.argsort() takes an array here';
      const plan = sortPlan(name, x, args, consts, 'int64');
      if (typeof plan === 'string' || !('flat' in plan)) return plan;
      const { flat, nd, a } = plan;
      const sfx = SUFFIX[x.dtype]!;
      return {
        result: T.array('int64', nd), argTypes: args,
        lower: stmts((v, out, cx) => {
          const lines = ['{', `  ${ctOf(x.dtype)} *ksrc = ${v[0]}.data; int64_t kss[3] = {0, 0, 0}, ksh[3] = {1, 1, 1};`];
          if (flat) {
            lines.push(`  ${ctOf(x.dtype)} *kcopy; int64_t kn1 = kr_size(${v[0]}.shape, ${x.ndim}); { int64_t kfs[3]; kr_c_strides(${v[0]}.shape, ${x.ndim}, kfs);`,
              `  kcopy = (${ctOf(x.dtype)} *)kr_alloc((size_t)(kn1 ? kn1 : 1) * sizeof(${ctOf(x.dtype)}), 0); if (!kcopy) ${cx.try('-1')}`,
              ...copyViewLines({ data: 'kcopy', strides: 'kfs' }, { data: `${v[0]}.data`, strides: `${v[0]}.strides` }, `${v[0]}.shape`, x.ndim, x.dtype, x.dtype).map((l) => `  ${l}`),
              '  }', '  ksrc = kcopy; ksh[0] = kn1; kss[0] = 1;');
          } else lines.push(`  for (int k = 0; k < ${x.ndim}; k++) { ksh[k] = ${v[0]}.shape[k]; kss[k] = ${v[0]}.strides[k]; }`);
          lines.push(`  ${alloc(out, 'ksh', nd, 'int64', false, cx)}`);
          lines.push(`  int64_t kl = ksh[${a.axis}], kst = kss[${a.axis}], kost = ${out}.strides[${a.axis}];`,
            `  kr_np_arg_${sfx} *kp = (kr_np_arg_${sfx} *)kr_alloc((size_t)(kl ? kl : 1) * sizeof(kr_np_arg_${sfx}), 0); if (!kp) ${cx.try('-1')}`);
          // The same line of the source (strides kss) and of the result (its own strides): two offsets.
          const others = Array.from({ length: nd }, (_, k) => k).filter((k) => k !== a.axis);
          const n = (i: number) => (i < others.length ? `ksh[${others[i]}]` : '1');
          const s = (i: number, st: string) => (i < others.length ? `${st}[${others[i]}]` : '0');
          lines.push(`  for (int64_t p = 0; p < ${n(0)}; p++) for (int64_t q = 0; q < ${n(1)}; q++) {`,
            `    ${ctOf(x.dtype)} *kline = ksrc + p * ${s(0, 'kss')} + q * ${s(1, 'kss')}; int64_t *kol = ${out}.data + p * ${s(0, `${out}.strides`)} + q * ${s(1, `${out}.strides`)};`,
            '    for (int64_t j = 0; j < kl; j++) { kp[j].v = kline[j * kst]; kp[j].i = j; }',
            `    ${cx.try(`kr_sort_np_arg_${sfx}(kp, kl, 0)`)}`,
            '    for (int64_t j = 0; j < kl; j++) kol[j * kost] = kp[j].i;',
            '  }', '}');
          return lines;
        }),
      };
    },
  };
}

/** The sorted flat copy of x in `ks` (a buffer of `kn` items) for median and percentile. */
function sortedCopy(x: Arr, a: string, cx: Parameters<Parameters<typeof stmts>[0]>[2]): string[] {
  const ct = ctOf(x.dtype);
  return [
    `int64_t kn = kr_size(${a}.shape, ${x.ndim}), kfs[3]; kr_c_strides(${a}.shape, ${x.ndim}, kfs);`,
    `${ct} *ks = (${ct} *)kr_alloc((size_t)(kn ? kn : 1) * sizeof(${ct}), 0); if (!ks) ${cx.try('-1')}`,
    ...copyViewLines({ data: 'ks', strides: 'kfs' }, { data: `${a}.data`, strides: `${a}.strides` }, `${a}.shape`, x.ndim, x.dtype, x.dtype),
    cx.try(`kr_sort_np_${SUFFIX[x.dtype]}(ks, kn, 0)`),
  ];
}

/** The float type NumPy's median and percentile give for an array of dtype d. */
const statDtype = (d: ScalarName): ScalarName => (d === 'float32' ? 'float32' : 'float64');

const npMedian: OpDef = {
  target: 'numpy.median', python: 'np.median(a)', signatures: ['array -> np.float64 (float32 arrays: np.float32)'],
  notes: 'Over the whole array (axis=None): the middle item, or the mean of the two middle ones as np.mean adds them; NaN if any item is NaN or the array is empty (NumPy warns).',
  facts: { ...SORT, keywords: ['a', 'axis', 'out', 'overwrite_input', 'keepdims'] },
  resolve(args) {
    const [x, ax, out, , keep] = args;
    if (x?.kind !== 'array') return 'np.median() takes an array here';
    if (!SUFFIX[x.dtype]) return unsorted('np.median()', x.dtype);
    if (!isNone(ax) || !isNone(out) || !isNone(keep)) return 'np.median() is compiled over the whole array only (no axis=, out= or keepdims=); for rows, loop over them';
    const rd = statDtype(x.dtype);
    const ft = ctOf(rd);
    const f = rd === 'float32' ? 'f32' : 'f64';
    return {
      result: T.np(rd), argTypes: args,
      lower: stmts((v, o, cx) => [
        '{',
        ...sortedCopy(x, v[0], cx).map((l) => `  ${l}`),
        // NumPy: NaN when the largest (sorted last) is NaN; else np.mean of the middle one or two (its pairwise sum).
        `  if (kn == 0) ${o} = (${ft})NAN;`,
        ...(SCALARS[x.dtype].float ? [`  else if (ks[kn - 1] != ks[kn - 1]) ${o} = ks[kn - 1];`] : []),
        `  else { ${ft} kmid[2]; int64_t kc = kn % 2 ? 1 : 2; kmid[0] = (${ft})ks[(kn - 1) / 2]; kmid[1] = (${ft})ks[kn / 2]; ${o} = kr_sum1_${f}(kmid, kc, 1) / (${ft})kc; }`,
        '}',
      ]),
    };
  },
};

const npPercentile: OpDef = {
  target: 'numpy.percentile', python: 'np.percentile(a, q)', signatures: ['array, number -> np.float64 (float32 arrays: np.float32)'],
  notes: "Method 'linear' over the whole array, as NumPy 2 computes it (its interpolation steps; NaN if any item is NaN); q outside [0, 100] raises ValueError.",
  facts: { ...SORT, keywords: ['a', 'q', 'axis', 'out', 'overwrite_input', 'method', 'keepdims'] },
  resolve(args, consts) {
    const [x, q, ax, out, , method, keep] = args;
    if (x?.kind !== 'array') return 'np.percentile() takes an array here';
    if (!SUFFIX[x.dtype]) return unsorted('np.percentile()', x.dtype);
    if (!q || !isScalarType(q) || q.kind !== 'scalar' || q.name === 'float32') return 'np.percentile(a, q) takes one number q here (for several, call it once per q)';
    if (!isNone(method) && !(consts[5]?.kind === 'str' && consts[5].value === 'linear')) return "np.percentile() is compiled with method='linear' (the default) only";
    if (!isNone(ax) || !isNone(out) || !isNone(keep)) return 'np.percentile() is compiled over the whole array only (no axis=, out= or keepdims=); for rows, loop over them';
    const rd = statDtype(x.dtype);
    return {
      result: T.np(rd), argTypes: args,
      lower: stmts((v, o, cx) => ['{', ...sortedCopy(x, v[0], cx).map((l) => `  ${l}`), `  ${cx.try(`kr_np_percentile_${SUFFIX[x.dtype]}(ks, kn, (double)(${v[1]}), &${o})`)}`, '}']),
    };
  },
};

// ---- searching ------------------------------------------------------------------------------------------------

/** A flat C-order walk over x (`e`): `body(item)` for each item (a C expression). */
function eachItem(x: Arr, e: string, body: (item: string) => string[]): string[] {
  return [
    `{ int64_t ks3[3], kv3[3]; kr_shape3(${e}.shape, ${x.ndim}, ks3); kr_view3(${e}.shape, ${e}.strides, ${x.ndim}, ${x.ndim}, kv3);`,
    ...loop3('ks3', body(`${e}.data[${off3('kv3')}]`)).map((l) => `  ${l}`),
    '}',
  ];
}

const npNonzero: OpDef = {
  target: 'numpy.nonzero', python: 'np.nonzero(a), np.where(cond)', signatures: ['array -> tuple of int64 arrays, one per dimension (C order)'],
  facts: SORT,
  resolve(args) {
    const [x] = args;
    if (x?.kind !== 'array' || args.length !== 1) return 'np.nonzero() takes one array here';
    return {
      result: T.tuple(Array.from({ length: x.ndim }, () => T.array('int64', 1))), argTypes: args,
      lower: stmts((a, out, cx) => {
        const lines = ['{', '  int64_t kcount = 0, ko = 0;', ...eachItem(x, a[0], (it) => [`kcount += ${it} != 0;`]).map((l) => `  ${l}`)];
        for (let k = 0; k < x.ndim; k++) lines.push(`  ${alloc(`${out}.f${k}`, '&kcount', 1, 'int64', false, cx)}`);
        // The loop's counters are the index along the last ndim axes of the 3-D walk.
        const idx = Array.from({ length: x.ndim }, (_, k) => `i${3 - x.ndim + k}`);
        lines.push(...eachItem(x, a[0], (it) => [`if (${it} != 0) { ${idx.map((i, k) => `${out}.f${k}.data[ko] = ${i};`).join(' ')} ko++; }`]).map((l) => `  ${l}`), '}');
        return lines;
      }),
    };
  },
};

const npArgwhere: OpDef = {
  target: 'numpy.argwhere', python: 'np.argwhere(a)', signatures: ['array -> int64 array (count, ndim) of the indices of nonzero items'],
  facts: SORT,
  resolve(args) {
    const [x] = args;
    if (x?.kind !== 'array' || args.length !== 1) return 'np.argwhere() takes one array here';
    return {
      result: T.array('int64', 2), argTypes: args,
      lower: stmts((a, out, cx) => {
        const idx = Array.from({ length: x.ndim }, (_, k) => `i${3 - x.ndim + k}`);
        return ['{', `  int64_t kcount = 0, ko = 0, ksh[2];`, ...eachItem(x, a[0], (it) => [`kcount += ${it} != 0;`]).map((l) => `  ${l}`),
          `  ksh[0] = kcount; ksh[1] = ${x.ndim};`, `  ${alloc(out, 'ksh', 2, 'int64', false, cx)}`,
          ...eachItem(x, a[0], (it) => [`if (${it} != 0) { ${idx.map((i) => `${out}.data[ko++] = ${i};`).join(' ')} }`]).map((l) => `  ${l}`), '}'];
      }),
    };
  },
};

const npCountNonzero: OpDef = {
  target: 'numpy.count_nonzero', python: 'np.count_nonzero(a)', signatures: ['array -> np.int64'],
  facts: { ...SORT, keywords: ['a', 'axis', 'keepdims'] },
  resolve(args) {
    const [x, ax, keep] = args;
    if (x?.kind !== 'array') return 'np.count_nonzero() takes an array here';
    if (!isNone(ax) || !isNone(keep)) return 'np.count_nonzero() is compiled over the whole array only; for an axis write np.sum(a != 0, axis=k)';
    return { result: T.np('int64'), argTypes: args, lower: stmts((a, out) => [`${out} = 0;`, ...eachItem(x, a[0], (it) => [`${out} += ${it} != 0;`])]) };
  },
};

const npSearchsorted: OpDef = {
  target: 'numpy.searchsorted', python: "np.searchsorted(a, v, side='left')", signatures: ['sorted 1-D array, number or array -> np.int64 or int64 array of v\'s shape'],
  notes: 'Binary search in NumPy\'s order (NaN after every number); a and v compared in their common type.',
  facts: { ...SORT, keywords: ['a', 'v', 'side', 'sorter'] },
  resolve(args, consts) {
    const [x, v, side, sorter] = args;
    if (x?.kind !== 'array' || x.ndim !== 1) return 'np.searchsorted() takes a 1-D array here';
    if (!v || !(isArray(v) || isScalarType(v))) return 'np.searchsorted(a, v): v is a number or an array';
    if (!isNone(sorter)) return 'np.searchsorted(sorter=) is not compiled; index the array first (a[order])';
    let right = false;
    if (!isNone(side)) {
      const c = consts[2];
      if (c?.kind !== 'str') return "np.searchsorted(): side= must be a constant string here ('left' or 'right')";
      if (c.value !== 'left' && c.value !== 'right') return `ValueError: search side must be 'left' or 'right' (got '${c.value}')`;
      right = c.value === 'right';
    }
    const fl = [x, v].some((t) => SCALARS[dtypeOf(elemOf(t))].float);
    const ct = fl ? 'double' : 'int64_t';
    const less = (p: string, q: string) => (fl ? `KR_NP_FLESS(${p}, ${q})` : `(${p} < ${q})`);
    const find = (a: string[], val: string, into: string) => [
      `{ ${ct} kval = (${ct})(${val}); int64_t lo = 0, hi = ${a[0]}.shape[0];`,
      `  while (lo < hi) { int64_t mid = lo + (hi - lo) / 2; ${ct} km = (${ct})${a[0]}.data[mid * ${a[0]}.strides[0]]; if (${right ? `!${less('kval', 'km')}` : less('km', 'kval')}) lo = mid + 1; else hi = mid; }`,
      `  ${into} = lo; }`,
    ];
    if (v.kind !== 'array') return { result: T.np('int64'), argTypes: args, lower: stmts((a, out) => find(a, a[1], out)) };
    return {
      result: T.array('int64', v.ndim), argTypes: args,
      lower: stmts((a, out, cx) => ['{', `  ${alloc(out, `${a[1]}.shape`, v.ndim, 'int64', false, cx)}`, '  int64_t ko = 0;',
        ...eachItem(v, a[1], (it) => find(a, it, `${out}.data[ko++]`)).map((l) => `  ${l}`), '}']),
    };
  },
};

const npUnique: OpDef = {
  target: 'numpy.unique', python: 'np.unique(a)', signatures: ['array -> sorted 1-D array of its distinct items (one NaN)'],
  facts: { ...SORT, keywords: ['ar', 'return_index', 'return_inverse', 'return_counts', 'axis', 'equal_nan', 'sorted'] },
  resolve(args) {
    const [x, ...rest] = args;
    if (x?.kind !== 'array') return 'np.unique() takes an array here';
    if (!SUFFIX[x.dtype]) return unsorted('np.unique()', x.dtype);
    if (!rest.every(isNone)) return 'np.unique(a) is compiled without options (return_index=, return_counts=, axis=, ...)';
    const fl = SCALARS[x.dtype].float;
    return {
      result: T.array(x.dtype, 1), argTypes: args,
      lower: stmts((a, out, cx) => ['{', ...sortedCopy(x, a[0], cx).map((l) => `  ${l}`),
        // NumPy: the first of each run of equal items; NaNs (sorted last) are one item.
        `  int64_t kk = 0; for (int64_t j = 0; j < kn; j++) { if (j == 0 || ks[j] != ks[j - 1]${fl ? ' && !(ks[j] != ks[j] && ks[j - 1] != ks[j - 1])' : ''}) ks[kk++] = ks[j]; }`,
        `  ${alloc(out, '&kk', 1, x.dtype, false, cx)}`, `  memcpy(${out}.data, ks, (size_t)kk * sizeof(*ks));`, '}']),
    };
  },
};

export const sorting: OpDomain = {
  name: 'sorting', title: 'NumPy: sorting, searching and order statistics',
  ops: [npSort, argsortOp(false), argsortOp(true), npMedian, npPercentile, npNonzero, npArgwhere, npCountNonzero, npSearchsorted, npUnique],
  overloads: [arraySortMethod],
};
