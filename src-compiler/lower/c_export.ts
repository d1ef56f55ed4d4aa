/**
 * The exported function around each entry (`kiln_<name>`, over the static `kf_<name>`): for a program that
 * uses arrays or lists, it copies list parameters in, calls, hands the caller a buffer of its own for an array
 * or list result, writes list parameters back (on success and on error), and releases Kiln's heap; for a
 * program that holds references (str, bytes), it brackets the call with kr_call_enter/kr_call_exit, makes the
 * str parameters from the caller's UTF-8 (UnicodeDecodeError for invalid UTF-8), checks Literal parameters,
 * hands a str result over as a new UTF-8 buffer, and drops every reference it made, on success and on error.
 * The ABI it implements is described in lower/abi.ts.
 */
import { abiReturnType, abiValueType, cIdent, isRowList, recordAsTuple, instanceClassOf, isArrayDict, isFlatContainer, isWeightTree, isOptionalText, isStrList, textKind, type ExportedFunction } from './abi.ts';
import { containerParamBack, containerResultOut, containerParamIn, weightTreeParamIn } from './c_abi_containers.ts';
import type { TypedFunction, TypedProgram } from '../types/typecheck.ts';
import { lookupConstant } from '../types/ops/index.ts';
import { SCALARS, cType, isObject, ownsReferences, type KType } from '../types/types.ts';
import type { Literals } from './literals.ts';
import { pyStringRepr } from './abi.ts';

/**
 * True when any function of the program touches an array or a list, an exported one passes or returns a dict, set
 * or deque, or one uses an op or constant with the `arrayRuntime` fact (then the header declares the ABI's array types and wrappers manage the heap).
 */
export function usesArrays(program: TypedProgram): boolean {
  const has = (t: KType | undefined): boolean =>
    !!t && (t.kind === 'array' || t.kind === 'list' || t.kind === 'cell' || (t.kind === 'tuple' && t.items.some(has)) || (t.kind === 'func' && t.env.some(has)));
  // A dict, set or deque crossing the boundary is handed over in buffers of the ABI's allocator (kiln_free).
  const crossesFlat = (t: KType): boolean => isFlatContainer(t) || isArrayDict(t) || (t.kind === 'tuple' && t.items.some(crossesFlat));
  if (program.entries.some((f) => [...f.paramTypes, f.returnType].some(crossesFlat))) return true;
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

/** The runtime feature headers the program's ops lower to (OpFacts.headers: the GEMM, vector math, ndarray helpers), each once, sorted. */
export function featureHeaders(program: TypedProgram): string[] {
  const found = new Set<string>();
  for (const f of program.functions) {
    for (const r of f.resolved.values()) for (const h of r.facts?.headers ?? []) found.add(h);
  }
  // kr_complex (and the ABI's kiln_complex, the same struct) also where no complex op asked for it: `return z`.
  if (anyType(program, (t) => t.kind === 'complex' || (t.kind === 'array' && t.dtype === 'complex128'))) found.add('kiln_math.h');
  return [...found].sort();
}

/** Whether any function of the program has a value of a kind `pred` accepts (parameters, results, locals, node values). */
function anyType(program: TypedProgram, pred: (t: KType) => boolean): boolean {
  const has = (t: KType | undefined): boolean => !!t && (pred(t) || (t.kind === 'tuple' && t.items.some(has)) || (t.kind === 'list' && has(t.item))
    || (t.kind === 'dict' && (has(t.key) || has(t.value))) || ((t.kind === 'set' || t.kind === 'deque') && has(t.item)) || (t.kind === 'iter' && has(t.of)));
  for (const f of program.functions) {
    if ([...f.paramTypes, f.returnType, ...Object.values(f.varTypes)].some(has)) return true;
    let found = false;
    const walk = (nodes: typeof f.ir.nodes) => {
      for (const n of nodes) {
        if (has(n.type) || n.argTypes?.some(has)) found = true;
        for (const r of n.regions ?? []) walk(r.nodes);
      }
    };
    walk(f.ir.nodes);
    if (found) return true;
  }
  return false;
}

/** True when the program holds references (str, bytes, ...): its wrappers bracket calls and drop what they made. */
export const usesObjects = (program: TypedProgram): boolean => anyType(program, ownsReferences);
/** True when the program uses str or bytes (or a character of a str): the unit includes kiln_str.h. */
export const usesStrings = (program: TypedProgram): boolean => anyType(program, (t) => t.kind === 'str' || t.kind === 'bytes' || t.kind === 'char');

/**
 * The body of an exported function: str and list parameters in, the call, a caller-owned copy of the result,
 * every reference dropped and the heap released.
 */
export function exportWrapper(
  e: ExportedFunction, f: TypedFunction, uses: { arrays: boolean; objects: boolean }, literals: Literals, twin?: string, overflowNote?: string,
): string[] {
  const lines = ['  int rc = 0;'];
  const args: string[] = [];
  const drops: string[] = [];
  if (uses.objects) lines.push('  kr_export_enter();');
  e.params.forEach((p, i) => {
    const name = cIdent(p.name);
    const text = textKind(p.type);
    if (text) {
      const make = text === 'str' ? `kr_str_from_c(${name}, ${name}_len)` : `kr_bytes_from_c(${name}, ${name}_len)`;
      if (isOptionalText(p.type)) {
        // str | None: a NULL pointer is None.
        lines.push(`  ${cType(p.type)}kiln_in${i} = rc || !${name} ? NULL : ${make};`);
        lines.push(`  if (!kiln_in${i} && ${name} && !rc) rc = kr_err.kind;`);
      } else {
        lines.push(`  ${cType(p.type)}kiln_in${i} = rc ? NULL : ${make};`);
        lines.push(`  if (!kiln_in${i} && !rc) rc = kr_err.kind;`);
      }
      if (p.literal) {
        // Literal["a", "b"]: one of its values, or ValueError before the call.
        const allowed = `Literal[${p.literal.map(pyStringRepr).join(', ')}]`;
        const test = p.literal.map((v) => `kr_str_eq(kiln_in${i}, ${literals.str(v)})`).join(' || ');
        lines.push(`  if (!rc && !(${test})) rc = (kr_raise_literal(kiln_in${i}, ${JSON.stringify(p.name)}, ${JSON.stringify(allowed)}), KILN_ValueError);`);
      }
      drops.push(`  kr_decref(kiln_in${i});`);
      args.push(`kiln_in${i}`);
      return;
    }
    const cls = instanceClassOf(p.type);
    if (cls) {
      // A handle (lower/c_abi_instances.ts): the caller's instance itself, borrowed; NULL is None where the type allows it.
      if (p.type.kind !== 'union') lines.push(`  if (!rc && !${name}) rc = (kr_raise(KILN_TypeError, ${JSON.stringify(`argument '${p.name}' must be a ${cls.slice(cls.lastIndexOf('.') + 1)}, not None (a NULL handle)`)}), KILN_TypeError);`);
      args.push(`(${cType(p.type)})${name}`);
      return;
    }
    if (isWeightTree(p.type)) {
      // Weights laid out by ndim=: records and lists of the caller's views (read-only; the lists are the call's).
      lines.push(...weightTreeParamIn(p.type, name, i));
      args.push(`kiln_in${i}`);
      return;
    }
    if (isFlatContainer(p.type) || isArrayDict(p.type)) {
      // A dict or set: a new one made from the caller's arrays; written back after the call (a dict of arrays: read-only,
      // its values the caller's views).
      lines.push(...containerParamIn(p.type, name, i));
      drops.push(`  kr_decref(kiln_in${i});`);
      args.push(`kiln_in${i}`);
      return;
    }
    if (isStrList(p.type)) {
      // list[str]: a new str per item (UnicodeDecodeError for invalid UTF-8); written back after the call.
      lines.push(`  kr_list *kiln_in${i} = rc ? NULL : kr_str_list_in((const kr_abi_str *)${name}->data, ${name}->len);`);
      lines.push(`  if (!kiln_in${i} && !rc) rc = kr_err.kind;`);
      args.push(`kiln_in${i}`);
    } else if (p.type.kind === 'list' && p.type.item.kind === 'list') {
      // A list of lists: rows copied in; the rows made are kept to tell the caller which row each final one is.
      const et = elemOfNested(p.type);
      lines.push(`  kr_list *kiln_in${i} = NULL, **kiln_rows${i} = NULL;`);
      lines.push(`  if (!rc) rc = kr_nested_in((const kr_abi_list *)${name}->data, ${name}->len, sizeof(${et}), &kiln_in${i}, &kiln_rows${i});`);
      args.push(`kiln_in${i}`);
    } else if (p.type.kind === 'list') {
      const et = cType(p.type.item);
      lines.push(`  kr_list *kiln_in${i} = rc ? NULL : kr_list_new(${name}->len > 0 ? ${name}->len : 0, sizeof(${et}));`);
      lines.push(`  if (!kiln_in${i}) { if (!rc) rc = kr_err.kind; } else if (${name}->len > 0) memcpy(kiln_in${i}->data, ${name}->data, (size_t)${name}->len * sizeof(${et}));`);
      args.push(`kiln_in${i}`);
    } else args.push(name);
  });
  const rt = recordAsTuple(e.returnType);
  if (rt.kind !== 'none') {
    lines.push(`  ${cType(rt)} kiln_result;`, '  memset(&kiln_result, 0, sizeof kiln_result);');
    args.push('&kiln_result');
  }
  drops.push(...dropResult('kiln_result', rt));
  if (f.recursive) args.push('0');
  lines.push(`  if (!rc && ${f.cName}(${args.join(', ')})) rc = kr_err.kind;`);
  // Its big-int twin (lower/c_bigint.ts) when the int64 path overflowed: the same arguments, the result past 64 bits kept.
  if (twin) lines.push(`  if (rc && KR_AT_INT_LIMIT()) { int kb_rc = ${twin}(${args.join(', ')}); rc = kb_rc == 1 ? KILN_BIG_RESULT : kb_rc ? kr_err.kind : 0; }`);
  // No twin: the int64 overflow's message says why (lower/c_bigint.ts overflowNote).
  else if (overflowNote) lines.push(`  if (rc && KR_AT_INT_LIMIT()) kr_err.message = ${overflowNote};`);
  if (rt.kind === 'array') {
    lines.push(...exportArray('kiln_result', 'out->', rt, '  '));
  } else if (isStrList(rt)) {
    lines.push('  if (!rc) rc = kr_str_list_out(kiln_result, NULL, 0, &out->len, (kr_abi_str **)&out->data);');
  } else if (isFlatContainer(rt) || isArrayDict(rt)) {
    lines.push(`  if (!rc) rc = ${containerResultOut(rt, 'kiln_result', 'out')};`);
  } else if (isOptionalText(rt)) {
    // None is a NULL data pointer.
    const conv = textKind(rt) === 'str' ? 'kr_str_to_c' : 'kr_bytes_to_c';
    lines.push(`  if (!rc) { if (!kiln_result) { out->data = NULL; out->len = 0; } else if (${conv}(kiln_result, &out->data, &out->len)) rc = kr_err.kind; }`);
  } else if (rt.kind === 'list' && rt.item.kind !== 'list' && !isRowList(rt)) {
    const et = rt.item.kind === 'none' ? 'int64_t' : cType(rt.item);
    lines.push('  if (!rc) {');
    lines.push(`    ${et} *copy = (${et} *)kr_export_buffer(kiln_result->data, (size_t)kiln_result->len * sizeof(${et}));`);
    lines.push('    if (!copy) rc = (kr_raise_memory(), KILN_MemoryError);');
    lines.push('    else { out->len = kiln_result->len; out->data = copy; }');
    lines.push('  }');
  } else if (rt.kind === 'str') {
    // The UTF-8 in a new buffer for the caller (UnicodeEncodeError for a lone surrogate, which has none).
    lines.push('  if (!rc && kr_str_to_c(kiln_result, &out->data, &out->len)) rc = kr_err.kind;');
  } else if (rt.kind === 'bytes') {
    lines.push('  if (!rc && kr_bytes_to_c(kiln_result, &out->data, &out->len)) rc = kr_err.kind;');
  } else if (rt.kind === 'list' || (rt.kind === 'tuple' && holdsBuffers(rt))) {
    // A list of lists, or a tuple holding arrays or lists: each buffer copied for the caller, field by field.
    lines.push('  if (!rc) {');
    lines.push(...exportValue('kiln_result', '(*out)', rt, '    '));
    lines.push('  }');
  } else if (instanceClassOf(rt)) {
    // The instance's reference goes to the caller's handle.
    lines.push(`  if (!rc) { *out = (${abiReturnType(rt)})kiln_result; kiln_result = NULL; }`);
  } else if (rt.kind !== 'none') {
    lines.push('  if (!rc) *out = kiln_result;');
  }
  // In-out lists: the final state goes back to the caller on success and on error, in a new buffer.
  e.params.forEach((p, i) => {
    if (isFlatContainer(p.type)) lines.push(...containerParamBack(p.type, cIdent(p.name), i));
    if (p.type.kind !== 'list' || isWeightTree(p.type)) return; // a weight tree is read-only
    const name = cIdent(p.name);
    if (isStrList(p.type)) {
      lines.push(`  { kr_abi_str *kd = NULL; int64_t kl = 0; int krc = kr_str_list_out(kiln_in${i}, (const kr_abi_str *)${name}->data, ${name}->len, &kl, &kd);`);
      lines.push(`    if (!krc) ${name}->len = kl; else if (!rc) rc = krc; ${name}->data = (kiln_str *)kd; }`);
      return;
    }
    if (p.type.item.kind === 'list') {
      const et = elemOfNested(p.type);
      lines.push(`  { int krc = kr_nested_out(kiln_in${i}, (const kr_abi_list *)${name}->data, ${name}->len, kiln_rows${i}, sizeof(${et}), 1, &${name}->len, (void **)&${name}->data, &${name}->origin); if (krc && !rc) rc = krc; }`);
      return;
    }
    const et = cType(p.type.item);
    lines.push('  {');
    lines.push(`    int64_t kiln_n = kiln_in${i} ? kiln_in${i}->len : (${name}->len > 0 ? ${name}->len : 0);`);
    lines.push(`    void *kiln_back = kr_export_buffer(kiln_in${i} ? kiln_in${i}->data : (void *)${name}->data, (size_t)kiln_n * sizeof(${et}));`);
    lines.push(`    if (kiln_back) ${name}->len = kiln_n;`);
    lines.push(`    else if (!rc) rc = (kr_raise_memory(), KILN_MemoryError);`);
    lines.push(`    ${name}->data = (${et} *)kiln_back;`);
    lines.push('  }');
  });
  lines.push(...drops);
  if (uses.arrays) lines.push('  kr_heap_release();');
  if (uses.objects) lines.push('  kr_export_exit(rc);');
  lines.push('  return rc;');
  return lines;
}

/** The C type of the items of a list of lists. */
function elemOfNested(t: KType & { kind: 'list' }): string {
  const inner = (t.item as KType & { kind: 'list' }).item;
  return inner.kind === 'none' ? 'int64_t' : cType(inner);
}

/** A tuple (at any depth) holds an array, a list, text, a dict or a set: its buffers are copied for the caller. */
const holdsBuffers = (t: KType): boolean => t.kind === 'array' || t.kind === 'list' || !!textKind(t) || isFlatContainer(t) || ((t.kind === 'tuple' || t.kind === 'record') && t.items.some(holdsBuffers));

/** The references a result of compiled code owns (its str, bytes, dicts and sets, also in tuple fields), dropped after the copy for the caller. */
function dropResult(src: string, t: KType): string[] {
  if (isObject(t)) return [`  kr_decref(${src});`];
  if (t.kind === 'tuple' || t.kind === 'record') return t.items.flatMap((it, i) => dropResult(`${src}.f${i}`, it));
  return [];
}

/**
 * An array result for the caller (`dst` is `out->` or a field path ending in `.`): a fresh C-order buffer of this call
 * is handed over as is; anything else (a parameter, a view) is copied.
 */
function exportArray(src: string, dst: string, rt: KType & { kind: 'array' }, ind: string): string[] {
  const et = SCALARS[rt.dtype].c;
  const lines: string[] = [];
  lines.push(`${ind}if (!rc) {`);
  lines.push(`${ind}  int64_t n = kr_size(${src}.shape, ${rt.ndim}), ks3[3], kv[3], ko = 0;`);
  lines.push(`${ind}  ${et} *copy = (${et} *)kr_heap_take(${src}.data, ${src}.shape, ${src}.strides, ${rt.ndim});`);
  lines.push(`${ind}  if (!copy) {`);
  lines.push(`${ind}    copy = (${et} *)kr_export_alloc((size_t)(n ? n : 1) * sizeof(${et}));`);
  lines.push(`${ind}    if (copy) {`);
  lines.push(`${ind}      kr_shape3(${src}.shape, ${rt.ndim}, ks3); kr_view3(${src}.shape, ${src}.strides, ${rt.ndim}, ${rt.ndim}, kv);`);
  lines.push(`${ind}      for (int64_t i0 = 0; i0 < ks3[0]; i0++) for (int64_t i1 = 0; i1 < ks3[1]; i1++) for (int64_t i2 = 0; i2 < ks3[2]; i2++) copy[ko++] = ${src}.data[i0 * kv[0] + i1 * kv[1] + i2 * kv[2]];`);
  lines.push(`${ind}    }`);
  lines.push(`${ind}  }`);
  lines.push(`${ind}  if (!copy) rc = (kr_raise_memory(), KILN_MemoryError);`);
  lines.push(`${ind}  else {`);
  lines.push(`${ind}    ${dst}data = copy;`);
  lines.push(`${ind}    for (int k = 0; k < 3; k++) { ${dst}shape[k] = k < ${rt.ndim} ? ${src}.shape[k] : 1; ${dst}strides[k] = 0; }`);
  lines.push(`${ind}    kr_c_strides(${dst}shape, ${rt.ndim}, ${dst}strides);`);
  lines.push(`${ind}  }`);
  lines.push(`${ind}}`);
  return lines;
}

/** A value of compiled code (`src`) written into the caller's ABI value (`dst`, an lvalue), its buffers new. */
function exportValue(src: string, dst: string, t: KType, ind: string): string[] {
  if (t.kind === 'array') return exportArray(src, `${dst}.`, t, ind);
  if (isStrList(t)) return [`${ind}if (!rc) rc = kr_str_list_out(${src}, NULL, 0, &${dst}.len, (kr_abi_str **)&${dst}.data);`];
  if (isFlatContainer(t)) return [`${ind}if (!rc) rc = ${containerResultOut(t, src, `&${dst}`)};`];
  const text = textKind(t);
  if (text) {
    const conv = text === 'str' ? 'kr_str_to_c' : 'kr_bytes_to_c';
    return [`${ind}if (!rc) { if (!${src}) { ${dst}.data = NULL; ${dst}.len = 0; } else if (${conv}(${src}, &${dst}.data, &${dst}.len)) rc = kr_err.kind; }`];
  }
  if (isRowList(t)) {
    // Rows (tuples or records of numbers and str): each row's fields for the caller, its str as NEW UTF-8 buffers.
    // A row that is a list of its own (rows of int | float sums) nests: its names are told apart by the depth.
    const row = abiValueType(t.item), et = cType(t.item), d = ind.length;
    const [kn, krows, kq, krow] = ['kn', 'krows', 'kq', 'krow'].map((x) => `${x}${d}`);
    return [
      `${ind}if (!rc) { int64_t ${kn} = ${src}->len; ${row} *${krows} = (${row} *)kr_export_alloc((size_t)(${kn} ? ${kn} : 1) * sizeof(${row}));`,
      `${ind}  if (!${krows}) rc = (kr_raise_memory(), KILN_MemoryError);`,
      `${ind}  else { memset(${krows}, 0, (size_t)(${kn} ? ${kn} : 1) * sizeof(${row})); ${dst}.len = ${kn}; ${dst}.data = ${krows}; }`,
      `${ind}  for (int64_t ${kq} = 0; !rc && ${kq} < ${kn}; ${kq}++) { ${et} ${krow} = ((${et} *)${src}->data)[${kq}];`,
      ...exportValue(krow, `${krows}[${kq}]`, t.item, `${ind}    `),
      `${ind}  } }`,
    ];
  }
  if (t.kind === 'list' && t.item.kind === 'list') {
    const et = elemOfNested(t);
    return [`${ind}if (!rc) rc = kr_nested_out(${src}, NULL, 0, NULL, sizeof(${et}), 0, &${dst}.len, (void **)&${dst}.data, NULL);`, `${ind}${dst}.origin = NULL;`];
  }
  if (t.kind === 'list') {
    const et = t.item.kind === 'none' ? 'int64_t' : cType(t.item);
    return [
      `${ind}if (!rc) { ${et} *copy = (${et} *)kr_export_buffer(${src}->data, (size_t)${src}->len * sizeof(${et}));`,
      `${ind}  if (!copy) rc = (kr_raise_memory(), KILN_MemoryError); else { ${dst}.len = ${src}->len; ${dst}.data = copy; } }`,
    ];
  }
  // A record (in a tuple or a list: docs/design/abi-values.md "Records as results") is its tuple of values.
  if (t.kind === 'tuple' || t.kind === 'record') return t.items.flatMap((it, i) => exportValue(`${src}.f${i}`, `${dst}.f${i}`, it, ind));
  return [`${ind}${dst} = ${src};`];
}
