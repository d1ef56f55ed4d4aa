/**
 * The C ABI of arrays and lists, and the exported wrappers that cross it.
 *
 * An array parameter is a struct passed by value: `kiln_array_<dtype> { T *data; int64_t shape[3];
 * int64_t strides[3]; }`, strides counted in elements (not bytes), any sign, so NumPy views (slices,
 * reversed, transposed) pass without a copy; the number of dimensions is fixed by the signature. A list
 * parameter is in-out, a pointer to `kiln_list_<item> { int64_t len; T *data; }`: it is copied on entry, and
 * when the call returns (on success AND on error, as Python's caller sees every mutation made before an
 * exception) the wrapper writes the list's final state back: `len` and `data`, a NEW malloc'd buffer that
 * the caller frees with kiln_free (the caller's own buffer is never written or freed). Results come back
 * through `out`: the library allocates
 * a new C-contiguous buffer for `out->data` and the caller releases it with `kiln_free(out->data)`.
 * Everything else a call allocates is released before the exported function returns.
 */
import type { ExportedFunction } from './c.ts';
import type { TypedFunction, TypedProgram } from '../types/typecheck.ts';
import { lookupConstant } from '../types/ops/index.ts';
import { ARRAY_DTYPES, SCALARS, T, arrayStructName, cType, listStructName, typeToString, type KType } from '../types/types.ts';

const LIST_ITEMS = ['int', 'float', 'bool', ...ARRAY_DTYPES.filter((d) => d !== 'bool')] as const;

/**
 * True when any function of the program touches an array or a list, or uses an op or constant with the
 * `arrayRuntime` fact (then the header declares the ABI's array types and wrappers manage the heap).
 */
export function usesArrays(program: TypedProgram): boolean {
  const has = (t: KType | undefined): boolean =>
    !!t && (t.kind === 'array' || t.kind === 'list' || (t.kind === 'tuple' && t.items.some(has)));
  for (const f of program.functions) {
    if ([...f.paramTypes, f.returnType, ...Object.values(f.varTypes)].some(has)) return true;
    let found = false;
    const walk = (nodes: typeof f.ir.nodes) => {
      for (const n of nodes) {
        const facts = n.op === 'call_function' ? f.resolved.get(n.name)?.facts : n.op === 'constant' ? lookupConstant(n.target)?.facts : undefined;
        if (has(n.type) || facts?.arrayRuntime) found = true;
        for (const r of n.regions ?? []) walk(r.nodes);
      }
    };
    walk(f.ir.nodes);
    if (found) return true;
  }
  return false;
}

export function abiHeaderLines(): string[] {
  return [
    '/*',
    ' * Arrays: kiln_array_<dtype> is passed by value. data points at element [0, 0, 0]; shape[k] and',
    ' * strides[k] (in ELEMENTS, any sign) are read for k < ndim, where ndim is fixed by the signature',
    ' * ("ndarray[float64, 2d]"). A NumPy array a passes as data = a.ctypes.data, shape = a.shape,',
    ' * strides = a.strides // a.itemsize: no copy for contiguous, strided or reversed views.',
    ' * Lists: a list parameter is in-out, passed as kiln_list_<item> *xs { len, data }; int items are int64_t,',
    ' * float items double. The items are copied on entry; when the call returns, on success AND on error (Python',
    ' * keeps mutations made before an exception), xs->len is the final length and xs->data a NEW buffer with the',
    ' * final items (append, pop, sort, xs[i] = v, ... as Python leaves the list). The caller\'s original buffer is',
    ' * never written or freed; the caller releases the new one with kiln_free(xs->data). xs->data is NULL after',
    ' * the call only when memory ran out while copying back (the call then reports MemoryError).',
    ' * Results: an array or list result is written to *out with out->data a NEW C-contiguous buffer that',
    ' * the caller owns and releases with kiln_free(out->data); out->strides are C-order element strides.',
    ' * Nothing else outlives the call: memory the function allocates internally is released before it',
    ' * returns, on success and on error.',
    ' */',
    '#ifndef KILN_ABI_ARRAY_TYPES',
    '#define KILN_ABI_ARRAY_TYPES',
    ...ARRAY_DTYPES.map((d) => `typedef struct { ${SCALARS[d].c} *data; int64_t shape[3]; int64_t strides[3]; } ${arrayStructName(d)};`),
    ...LIST_ITEMS.map((i) => `typedef struct { int64_t len; ${SCALARS[i].c} *data; } kiln_list_${i};`),
    '#endif',
    '',
  ];
}

export function abiParamType(t: KType): string {
  if (t.kind === 'list') return `${listStructName(t.item)} *`;
  return cType(t);
}

export function abiReturnType(t: KType): string {
  if (t.kind === 'list') return t.item.kind === 'none' ? 'kiln_list_int' : listStructName(t.item);
  return cType(t);
}

/** The body of an exported function: lists in, the call, a caller-owned copy of the result, the heap released. */
export function exportWrapper(e: ExportedFunction, f: TypedFunction, cIdent: (s: string) => string): string[] {
  const lines = ['  int rc = 0;'];
  const args: string[] = [];
  e.params.forEach((p, i) => {
    const name = cIdent(p.name);
    if (p.type.kind === 'list') {
      const et = cType(p.type.item);
      lines.push(`  kr_list *kiln_in${i} = rc ? NULL : kr_list_new(${name}->len > 0 ? ${name}->len : 0, sizeof(${et}));`);
      lines.push(`  if (!kiln_in${i}) { if (!rc) rc = kr_err.kind; } else if (${name}->len > 0) memcpy(kiln_in${i}->data, ${name}->data, (size_t)${name}->len * sizeof(${et}));`);
      args.push(`kiln_in${i}`);
    } else args.push(name);
  });
  const rt = e.returnType;
  if (rt.kind !== 'none') {
    lines.push(`  ${cType(rt)} kiln_result;`, '  memset(&kiln_result, 0, sizeof kiln_result);');
    args.push('&kiln_result');
  }
  if (f.recursive) args.push('0');
  lines.push(`  if (!rc && ${f.cName}(${args.join(', ')})) rc = kr_err.kind;`);
  if (rt.kind === 'array') {
    const et = SCALARS[rt.dtype].c;
    lines.push('  if (!rc) {');
    lines.push(`    int64_t n = kr_size(kiln_result.shape, ${rt.ndim}), ks3[3], kv[3], ko = 0;`);
    // A fresh C-order buffer of this call is handed over as is; anything else (a parameter, a view) is copied.
    lines.push(`    ${et} *copy = (${et} *)kr_heap_take(kiln_result.data, kiln_result.shape, kiln_result.strides, ${rt.ndim});`);
    lines.push('    if (!copy) {');
    lines.push(`      copy = (${et} *)kr_export_alloc((size_t)(n ? n : 1) * sizeof(${et}));`);
    lines.push('      if (copy) {');
    lines.push(`        kr_shape3(kiln_result.shape, ${rt.ndim}, ks3); kr_view3(kiln_result.shape, kiln_result.strides, ${rt.ndim}, ${rt.ndim}, kv);`);
    lines.push('        for (int64_t i0 = 0; i0 < ks3[0]; i0++) for (int64_t i1 = 0; i1 < ks3[1]; i1++) for (int64_t i2 = 0; i2 < ks3[2]; i2++) copy[ko++] = kiln_result.data[i0 * kv[0] + i1 * kv[1] + i2 * kv[2]];');
    lines.push('      }');
    lines.push('    }');
    lines.push('    if (!copy) rc = (kr_raise_memory(), KILN_MemoryError);');
    lines.push('    else {');
    lines.push('      out->data = copy;');
    lines.push(`      for (int k = 0; k < 3; k++) { out->shape[k] = k < ${rt.ndim} ? kiln_result.shape[k] : 1; out->strides[k] = 0; }`);
    lines.push(`      kr_c_strides(out->shape, ${rt.ndim}, out->strides);`);
    lines.push('    }');
    lines.push('  }');
  } else if (rt.kind === 'list') {
    const et = rt.item.kind === 'none' ? 'int64_t' : cType(rt.item);
    lines.push('  if (!rc) {');
    lines.push(`    ${et} *copy = (${et} *)kr_export_buffer(kiln_result->data, (size_t)kiln_result->len * sizeof(${et}));`);
    lines.push('    if (!copy) rc = (kr_raise_memory(), KILN_MemoryError);');
    lines.push('    else { out->len = kiln_result->len; out->data = copy; }');
    lines.push('  }');
  } else if (rt.kind !== 'none') {
    lines.push('  if (!rc) *out = kiln_result;');
  }
  // In-out lists: the final state goes back to the caller on success and on error, in a new buffer.
  e.params.forEach((p, i) => {
    if (p.type.kind !== 'list') return;
    const name = cIdent(p.name);
    const et = cType(p.type.item);
    lines.push('  {');
    lines.push(`    int64_t kiln_n = kiln_in${i} ? kiln_in${i}->len : (${name}->len > 0 ? ${name}->len : 0);`);
    lines.push(`    void *kiln_back = kr_export_buffer(kiln_in${i} ? kiln_in${i}->data : (void *)${name}->data, (size_t)kiln_n * sizeof(${et}));`);
    lines.push(`    if (kiln_back) ${name}->len = kiln_n;`);
    lines.push(`    else if (!rc) rc = (kr_raise_memory(), KILN_MemoryError);`);
    lines.push(`    ${name}->data = (${et} *)kiln_back;`);
    lines.push('  }');
  });
  lines.push('  kr_heap_release();', '  return rc;');
  return lines;
}

/** One parameter (or the out-parameter) of an exported function as the C caller sees it. */
export interface AbiParam {
  name: string;
  /** The Python type (`ndarray[float64, 2d]`). */
  python: string;
  /** The C type in the prototype (`kiln_array_float64`, `double`, `kiln_list_int`, `kiln_array_float64 *`). */
  c: string;
  kind: 'scalar' | 'array' | 'list' | 'tuple';
  /** The struct's fields the callee reads or writes, for arrays and lists: `double *data`, `int64_t shape[2]`, ... */
  fields: string[];
  /** How it crosses: borrowed view, copied on entry, written on success, owned by the caller. */
  note: string;
}

export interface FunctionAbi {
  /** `int kiln_f(kiln_array_float64 a, double k, kiln_array_float64 *out)`, as in the header. */
  prototype: string;
  params: AbiParam[];
  out: AbiParam | null;
  /** What the caller releases: `kiln_free(out->data)` after a successful call, and each list parameter's new
   *  `data` (written back after every call, success or error); null when nothing. */
  release: string | null;
}

function abiParam(name: string, t: KType, isOut: boolean, c: string): AbiParam {
  const python = typeToString(t);
  if (t.kind === 'array') {
    const et = SCALARS[t.dtype].c;
    return {
      name, python, c, kind: 'array',
      fields: [`${et} *data`, `int64_t shape[3]  /* ${t.ndim === 1 ? '[0]' : `[0..${t.ndim - 1}]`} read */`, `int64_t strides[3]  /* in elements, any sign */`],
      note: isOut
        ? `a new C-contiguous ${t.dtype} buffer (C-order strides); the caller frees out->data with kiln_free`
        : `dtype ${t.dtype}, ${t.ndim}-D; a borrowed view of the caller's memory (any strides, also negative): no copy, writes reach the caller`,
    };
  }
  if (t.kind === 'list') {
    const item = t.item.kind === 'scalar' ? t.item : T.int;
    return {
      name, python, c, kind: 'list',
      fields: ['int64_t len', `${cType(item)} *data`],
      note: isOut
        ? 'a new buffer of len items; the caller frees out->data with kiln_free'
        : `in-out: copied on entry; after the call (also when it raised) ${name}->len and ${name}->data hold the list as Python leaves it, data a NEW buffer the caller frees with kiln_free (its own buffer is never written)`,
    };
  }
  if (t.kind === 'tuple') return { name, python, c, kind: 'tuple', fields: t.items.map((it, i) => `${cType(it)} f${i}`), note: isOut ? 'written on success' : 'passed by value' };
  return { name, python, c, kind: 'scalar', fields: [], note: isOut ? 'written on success (unchanged when the call raises)' : 'passed by value' };
}

/** The exported function's C ABI as data, for the studio (the same types the header declares). */
export function functionAbi(e: ExportedFunction, prototype: string): FunctionAbi {
  const params = e.params.map((p) => abiParam(p.name, p.type, false, abiParamType(p.type)));
  const rt = e.returnType;
  const out = rt.kind === 'none' ? null : abiParam('out', rt, true, `${abiReturnType(rt)} *`);
  const frees = [
    ...(rt.kind === 'array' || rt.kind === 'list' ? ['kiln_free(out->data) after a successful call'] : []),
    ...e.params.filter((p) => p.type.kind === 'list').map((p) => `kiln_free(${p.name}->data) after every call (success or error)`),
  ];
  return { prototype, params, out, release: frees.length ? frees.join('; ') : null };
}
