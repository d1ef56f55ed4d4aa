/**
 * The exported function around each entry (`kiln_<name>`, over the static `kf_<name>`): for a program that
 * uses arrays or lists, it copies list parameters in, calls, hands the caller a buffer of its own for an array
 * or list result, writes list parameters back (on success and on error), and releases Kiln's heap. The ABI it
 * implements is described in lower/abi.ts.
 */
import { cIdent, type ExportedFunction } from './abi.ts';
import type { TypedFunction, TypedProgram } from '../types/typecheck.ts';
import { lookupConstant } from '../types/ops/index.ts';
import { SCALARS, cType, type KType } from '../types/types.ts';

/**
 * True when any function of the program touches an array or a list, or uses an op or constant with the
 * `arrayRuntime` fact (then the header declares the ABI's array types and wrappers manage the heap).
 */
export function usesArrays(program: TypedProgram): boolean {
  const has = (t: KType | undefined): boolean =>
    !!t && (t.kind === 'array' || t.kind === 'list' || t.kind === 'cell' || (t.kind === 'tuple' && t.items.some(has)) || (t.kind === 'func' && t.env.some(has)));
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

/** The body of an exported function: lists in, the call, a caller-owned copy of the result, the heap released. */
export function exportWrapper(e: ExportedFunction, f: TypedFunction): string[] {
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
