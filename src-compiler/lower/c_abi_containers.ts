/**
 * Dicts, sets and deques across the C ABI (docs/design/abi-values.md): the flat layout of lower/abi.ts
 * (kiln_dict_<K>_<V> { len, keys, values }, kiln_set_<T> { len, items }, kiln_deque_<T> { len, items, maxlen }) to and
 * from the runtime's containers (kiln_dict.h, kiln_collections.h, instantiated per type by lower/dicts.ts). One set of
 * static helpers per container type an exported function passes or returns, emitted after the unit's container
 * instantiations:
 *   int kiln_abi_in_<name>(const S *src, kr_dict **out)   a NEW dict (set, deque) of the caller's items; 0 or the error kind
 *   int kiln_abi_out_<name>(kr_dict *d, S *dst)           dst's arrays NEW, in iteration order; 0 or the error kind
 *   int kiln_abi_keep_<name>(S *s)                        s's arrays replaced by NEW copies of themselves (a parameter
 *                                                         whose entry copy failed goes back as it came)
 * The wrapper (lower/c_export.ts) calls them: in on entry, out for the result and for every parameter after the
 * call (success or error), keep when the entry copy was never made. A dict of arrays (kiln_dict_str_array_<dtype>,
 * a read-only parameter) has the in helper only: its values are the caller's views, stored without a copy.
 * The structs' accessor API for C callers (kiln_dict_<K>_<V>_get, kiln_set_<T>_add, ...: containerApiDefinitions)
 * is exported once per library, over the same arrays.
 */
import { containerApi, flatContainerName, flatItem, flatItemC, flatValue, hasListValues, hasObjectValues, isArrayDict, isNumberTuple, isWeightTree } from './abi.ts';
import { containerName } from '../types/ops/index.ts';
import { arrayStructName, cType, SCALARS, typeToString, type KType } from '../types/types.ts';

type Flat = KType & ({ kind: 'dict' } | { kind: 'set' } | { kind: 'deque' });

/**
 * The suffix of a container type's ABI helpers (kiln_abi_in_<it>): the runtime's container name, which a dict of lists
 * shares with every other dict of lists of its key (lists are one value kind), so theirs add the list's item (kd_str_lst_int).
 */
export const abiHelperName = (t: KType): string => (hasListValues(t) ? `${containerName(t)}_${flatValue(t.value)!.slice('list_'.length)}` : containerName(t));

/** The runtime's object type of a container (kr_dict *, kr_set *, kr_deque *). */
const runtimeType = (t: KType): string => (t.kind === 'dict' ? 'kr_dict' : t.kind === 'set' ? 'kr_set' : 'kr_deque');

/** The fields of a flat struct: (field, item type). */
const fieldsOf = (t: Flat): [string, KType][] => (t.kind === 'dict' ? [['keys', t.key], ['values', t.value]] : [['items', t.item]]);

/**
 * C lines that make compiled code's value `v` of item type `it` from the caller's `src` (a str: a new reference; a list:
 * a new list of the call's heap; an inner dict: a new reference; NULL on error), when `guard` holds (else NULL).
 */
function fromAbi(it: KType, src: string, v: string, guard: string): string[] {
  const when = guard ? `${guard} ? NULL : ` : '';
  if (it.kind === 'str') return [`    kr_str *${v} = ${when}kr_str_from_c(${src}.data, ${src}.len);`];
  if (it.kind === 'list' && it.item.kind === 'str') return [`    kr_list *${v} = ${when}kr_str_list_in((const kr_abi_str *)${src}.data, ${src}.len);`];
  if (it.kind === 'list') return [`    kr_list *${v} = ${when}kr_abi_list_in((const kr_abi_list *)&${src}, sizeof(${cType(it.item)}));`];
  // An inner dict: its own in helper (which leaves NULL on failure); one of lists or dicts also gives its made values.
  // A frozenset key or item: the inner set's in helper, made frozen.
  if (it.kind === 'set') return [`    kr_set *${v} = NULL;`, `    ${guard ? `if (!(${guard})) ` : ''}kiln_abi_in_${abiHelperName(it)}(&${src}, &${v}, 1);`];
  if (it.kind === 'dict') {
    const made = hasObjectValues(it);
    return [`    kr_dict *${v} = NULL;${made ? ` void **${v}_made = NULL;` : ''}`,
      `    ${guard ? `if (!(${guard})) ` : ''}kiln_abi_in_${abiHelperName(it)}(&${src}, &${v}${made ? `, &${v}_made` : ''});`];
  }
  return [`    ${cType(it)} ${v} = ${src};`];
}
/** A value made on entry that can fail (NULL on error): a str, a list, an inner dict or a frozenset. */
const madeOnEntry = (it: KType): boolean => it.kind === 'str' || it.kind === 'list' || it.kind === 'dict' || it.kind === 'set';
/** A key or item made on entry that the container takes its own reference to (the made one is dropped after the store). */
const counted = (it: KType): boolean => it.kind === 'str' || it.kind === 'set';

/**
 * C that frees what an out helper wrote for one item `x` (a kiln_str, kiln_list_<item>, kiln_list_str or an inner
 * dict's struct, its pointers NULL or NEW); empty for numbers.
 */
function freeOut(it: KType, x: string, d = 0): string {
  const q = `q${d || ''}`;
  if (it.kind === 'str' || (it.kind === 'list' && it.item.kind !== 'str')) return `kr_free_out(${x}.data);`;
  if (it.kind === 'list') return `if (${x}.data) { for (int64_t ${q} = 0; ${q} < ${x}.len; ${q}++) kr_free_out(${x}.data[${q}].data); } kr_free_out(${x}.data);`;
  if (it.kind === 'dict' || it.kind === 'set') {
    // Each item's own buffers (an inner dict's or a frozenset's, at any depth), then the arrays and the origin.
    return [...fieldsOf(it).map(([f, ft]) => {
      const each = freeOut(ft, `${x}.${f}[${q}]`, d + 1);
      return `${each ? `if (${x}.${f}) { for (int64_t ${q} = 0; ${q} < ${x}.len; ${q}++) { ${each} } } ` : ''}kr_free_out(${x}.${f});`;
    }), ...(hasObjectValues(it) ? [`kr_free_out(${x}.origin);`] : [])].join(' ');
  }
  return '';
}

/**
 * A dict whose values are dicts of lists or dicts (`dict[str, dict[str, list[int]]]`): its made values are triples
 * (the inner dict made, the inner dict's own made values, the caller's inner dict's length), so that the out helper
 * can give each inner dict the made values of the caller's inner dict it is, at any depth.
 */
const madeStride = (t: KType): number => (t.kind === 'dict' && t.value.kind === 'dict' && hasObjectValues(t.value) ? 3 : 1);

/**
 * kiln_abi_unmade_<name>(made, n): drops the references the made values of a dict of dicts hold (the inner dicts, and
 * theirs in turn); nothing for a dict of lists (the call's heap keeps the lists).
 */
function unmadeHelper(t: KType & { kind: 'dict' }): string[] {
  const stride = madeStride(t), dicts = t.value.kind === 'dict';
  const body = [...(dicts ? [`kr_decref((kr_dict *)made[q * ${stride}]);`] : []),
    ...(stride === 3 ? [`kiln_abi_unmade_${abiHelperName(t.value)}((void **)made[q * 3 + 1], (int64_t)(intptr_t)made[q * 3 + 2]);`] : [])];
  return [
    `static KR_UNUSED void kiln_abi_unmade_${abiHelperName(t)}(void **made, int64_t n) {`,
    body.length ? `  if (made) for (int64_t q = 0; q < n; q++) { ${body.join(' ')} }` : '  (void)made; (void)n;',
    '}',
  ];
}

/**
 * kiln_abi_in_<name>: every item through the runtime's own set/add, so a repeated key keeps its last value, as
 * dict(zip(k, v)); a deque's through append, as deque(items, maxlen) (the leftmost go past maxlen; ValueError for
 * maxlen < -1). A dict of arrays stores the caller's views as they are (compiled code's array value is the ABI's struct).
 * A dict of lists or dicts also gives `made`: the value made from each caller's value, in entry order (of the call's
 * heap; an inner dict holds a reference until the out helper), so that the exit can say which caller's value each is.
 */
function inHelper(t: Flat): string[] {
  const name = containerName(t), s = flatContainerName(t), fields = fieldsOf(t);
  const isDict = t.kind === 'dict', isDeque = t.kind === 'deque';
  const cont = runtimeType(t), origin = hasObjectValues(t), stride = madeStride(t);
  const lines: string[] = origin ? unmadeHelper(t as KType & { kind: 'dict' }) : [];
  // A set's helper makes a frozenset for a frozenset parameter (`frozen`: 1).
  lines.push(`static KR_UNUSED int kiln_abi_in_${abiHelperName(t)}(const ${s} *src, ${cont} **out${origin ? ', void ***made' : ''}${t.kind === 'set' ? ', int frozen' : ''}) {`);
  lines.push(`  ${cont} *c = ${t.kind === 'set' ? `frozen ? ${name}_frozen_new() : ` : ''}${name}_new(${isDeque ? 'src->maxlen' : ''});`);
  lines.push('  *out = c;');
  lines.push('  if (!c) return kr_err.kind;');
  if (origin) {
    lines.push(`  void **m = (void **)kr_alloc((size_t)(src->len > 0 ? src->len : 1) * ${stride} * sizeof(void *), 1);`);
    lines.push('  *made = m;');
    lines.push('  if (!m) { kr_decref(c); *out = NULL; return KILN_MemoryError; }');
  }
  lines.push('  for (int64_t i = 0; i < src->len; i++) {');
  if (isArrayDict(t) && t.kind === 'dict' && t.value.kind === 'dict') {
    // A dict of dicts of arrays: each value a new inner dict (its helper comes first), its reference stored.
    lines.push('    kr_str *v0 = kr_str_from_c(src->keys[i].data, src->keys[i].len);');
    lines.push('    kr_dict *v1 = NULL;');
    lines.push(`    int bad = !v0 || kiln_abi_in_${containerName(t.value)}(&src->values[i], &v1) || ${name}_set(c, v0, v1);`);
    lines.push('    kr_decref(v0); kr_decref(v1);');
    lines.push('    if (bad) { int kind = kr_err.kind; kr_decref(c); *out = NULL; return kind; }');
    lines.push('  }');
    lines.push('  return 0;');
    lines.push('}');
    return lines;
  }
  // A value is made only when its key was (one error at a time).
  fields.forEach(([f, it], k) => lines.push(...fromAbi(it, `src->${f}[i]`, `v${k}`, k > 0 && madeOnEntry(it) && counted(fields[0][1]) ? '!v0' : '')));
  const failed = fields.map(([, it], k) => (madeOnEntry(it) ? `!v${k}` : '')).filter(Boolean);
  const put = isDict ? `${name}_set(c, v0, v1)` : isDeque ? `${name}_append(c, v0)` : `${name}_add(c, v0)`;
  lines.push(`    int bad = ${failed.length ? `(${failed.join(' || ')}) || ` : ''}${put};`);
  fields.forEach(([, it], k) => { if (counted(it)) lines.push(`    kr_decref(v${k});`); });
  // The made value: a list as it is (the call's heap keeps it), an inner dict with the reference made here.
  if (origin && stride === 3) {
    lines.push(`    if (bad) { if (v1) kiln_abi_unmade_${abiHelperName((t as KType & { kind: 'dict' }).value)}(v1_made, src->values[i].len); kr_decref(v1); }`,
      '    else { m[i * 3] = v1; m[i * 3 + 1] = v1_made; m[i * 3 + 2] = (void *)(intptr_t)src->values[i].len; }');
  } else if (origin) lines.push(t.kind === 'dict' && t.value.kind === 'dict' ? '    if (bad) kr_decref(v1); else m[i] = v1;' : '    m[i] = v1;');
  // A failed entry leaves no container: the caller's own items go back (kiln_abi_keep).
  const drop = origin ? `kiln_abi_unmade_${abiHelperName(t)}(m, i); ` : '';
  lines.push(`    if (bad) { int kind = kr_err.kind; ${drop}kr_decref(c); *out = NULL; return kind; }`);
  lines.push('  }');
  lines.push('  return 0;');
  lines.push('}');
  return lines;
}

/**
 * A dict of arrays as a result (kiln_abi_out_<name>): keys NEW UTF-8 buffers, each array a NEW C-order copy (as an array
 * result's), an inner dict its own struct, in insertion order; kiln_abi_drop_<name> frees what an out made (on a later
 * item's failure). The caller frees each key's data, each array's data (inner dicts likewise), then keys and values.
 */
function arrayDictOut(t: KType & { kind: 'dict' }): string[] {
  const name = containerName(t), s = flatContainerName(t), v = t.value;
  const vc = v.kind === 'array' ? arrayStructName(v.dtype) : flatContainerName(v);
  const lines: string[] = [];
  lines.push(`static KR_UNUSED void kiln_abi_drop_${name}(${s} *d) {`);
  lines.push('  for (int64_t i = 0; i < d->len; i++) {');
  lines.push('    kr_free_out(d->keys[i].data);');
  lines.push(v.kind === 'array' ? '    kr_free_out(d->values[i].data);' : `    kiln_abi_drop_${containerName(v)}(&d->values[i]);`);
  lines.push('  }');
  lines.push('  kr_free_out(d->keys); kr_free_out(d->values);');
  lines.push('  d->len = 0; d->keys = NULL; d->values = NULL;');
  lines.push('}');
  lines.push(`static KR_UNUSED int kiln_abi_out_${name}(kr_dict *c, ${s} *dst) {`);
  lines.push('  int64_t n = kr_dict_len(c);');
  lines.push('  int r = 0;');
  lines.push('  dst->len = 0;');
  lines.push('  dst->keys = (kiln_str *)kr_export_alloc((size_t)(n ? n : 1) * sizeof(kiln_str));');
  lines.push(`  dst->values = (${vc} *)kr_export_alloc((size_t)(n ? n : 1) * sizeof(${vc}));`);
  lines.push('  if (!dst->keys || !dst->values) { kiln_abi_drop_' + name + '(dst); return kr_raise_memory(), KILN_MemoryError; }');
  lines.push('  kr_dict_iter it; kr_dict_iter_init(&it, c);');
  lines.push(`  kr_str *k; ${cType(v)} v;`);
  lines.push(`  while (dst->len < n && (r = ${name}_next(&it, &k, &v)) > 0) {`);
  lines.push('    int64_t j = dst->len;');
  lines.push('    int bad = kr_str_to_c(k, &dst->keys[j].data, &dst->keys[j].len);');
  lines.push('    kr_decref(k);');
  if (v.kind === 'array') {
    const et = SCALARS[v.dtype].c, nd = v.ndim;
    lines.push('    if (!bad) {');
    lines.push(`      int64_t m = kr_size(v.shape, ${nd}), ks3[3], kv[3], ko = 0;`);
    lines.push(`      ${et} *copy = (${et} *)kr_export_alloc((size_t)(m ? m : 1) * sizeof(${et}));`);
    lines.push('      if (!copy) { kr_free_out(dst->keys[j].data); bad = 1; kr_raise_memory(); }');
    lines.push('      else {');
    lines.push(`        kr_shape3(v.shape, ${nd}, ks3); kr_view3(v.shape, v.strides, ${nd}, ${nd}, kv);`);
    lines.push('        for (int64_t i0 = 0; i0 < ks3[0]; i0++) for (int64_t i1 = 0; i1 < ks3[1]; i1++) for (int64_t i2 = 0; i2 < ks3[2]; i2++) copy[ko++] = v.data[i0 * kv[0] + i1 * kv[1] + i2 * kv[2]];');
    lines.push('        dst->values[j].data = copy;');
    lines.push(`        for (int q = 0; q < 3; q++) { dst->values[j].shape[q] = q < ${nd} ? v.shape[q] : 1; dst->values[j].strides[q] = 0; }`);
    lines.push(`        kr_c_strides(dst->values[j].shape, ${nd}, dst->values[j].strides);`);
    lines.push('      }');
    lines.push('    }');
  } else {
    lines.push(`    if (!bad && kiln_abi_out_${containerName(v)}(v, &dst->values[j])) { kr_free_out(dst->keys[j].data); bad = 1; }`);
    lines.push('    kr_decref(v);');
  }
  lines.push('    if (bad) { r = -1; break; }');
  lines.push('    dst->len++;');
  lines.push('  }');
  lines.push('  kr_dict_iter_end(&it);');
  lines.push(`  if (r < 0) { int kind = kr_err.kind; kiln_abi_drop_${name}(dst); return kind; }`);
  lines.push('  return 0;');
  lines.push('}');
  return lines;
}

/** The helpers of one container type: in, out and keep (a dict of arrays: in, and out for a result). */
function helpers(t: Flat): string[] {
  if (isArrayDict(t)) return [...inHelper(t), ...arrayDictOut(t as KType & { kind: 'dict' })];
  const name = containerName(t), s = flatContainerName(t), fields = fieldsOf(t);
  const isDict = t.kind === 'dict', isDeque = t.kind === 'deque';
  const cont = runtimeType(t), origin = hasObjectValues(t), stride = madeStride(t);
  // The fields whose items own NEW buffers after a call: a str's UTF-8, a list's items, an inner dict's arrays.
  const owning = fields.filter(([, it]) => madeOnEntry(it));
  const freeItem = (j: string) => owning.map(([f, it]) => freeOut(it, `${f}[${j}]`)).join(' ');
  const lines = inHelper(t);
  // out: the items in iteration order, each str as a NEW UTF-8 buffer; for a parameter of a dict of lists or dicts,
  // origin[j] the entry index of the value made from the caller's (made, n0), else -1 (an inner dict's own origin is
  // relative to the caller's inner dict it is). The made values' references are the wrapper's to drop (unmade).
  lines.push(`static KR_UNUSED int kiln_abi_out_${abiHelperName(t)}(${cont} *c, ${s} *dst${origin ? ', void **made, int64_t n0' : ''}) {`);
  lines.push(`  int64_t n = ${cont}_len(c), j = 0;${origin ? ' int64_t next_made = 0;' : ''}`);
  lines.push('  int r = 0;');
  fields.forEach(([f, it]) => lines.push(`  ${flatItemC(it)} *${f} = (${flatItemC(it)} *)kr_export_alloc((size_t)(n ? n : 1) * sizeof(${flatItemC(it)}));`));
  if (origin) lines.push('  int64_t *origin = made ? (int64_t *)kr_export_alloc((size_t)(n ? n : 1) * sizeof(int64_t)) : NULL;');
  const arrays = [...fields.map(([f]) => f), ...(origin ? ['origin'] : [])];
  // A dict's or set's index (the accessors') stays with the struct it was copied from: a parameter's arrays are replaced.
  lines.push(`  dst->len = 0; ${arrays.map((f) => `dst->${f} = NULL;`).join(' ')}${isDeque ? '' : ' dst->index = NULL;'}`);
  lines.push(`  if (${fields.map(([f]) => `!${f}`).join(' || ')}${origin ? ' || (made && !origin)' : ''}) {`);
  lines.push(`    ${arrays.map((f) => `kr_free_out(${f});`).join(' ')} return kr_raise_memory(), KILN_MemoryError;`);
  lines.push('  }');
  // A deque is read by index (name_get: a new reference, as the iterators give).
  if (!isDeque) lines.push(`  ${isDict ? 'kr_dict_iter it; kr_dict_iter_init(&it, c);' : 'kr_set_iter it; kr_set_iter_init(&it, c);'}`);
  lines.push(`  ${fields.map(([, it], k) => `${cType(it)} v${k};`).join(' ')}`);
  lines.push(isDeque ? `  while (j < n && (r = ${name}_get(c, j, &v0) ? -1 : 1) > 0) {`
    : `  while (j < n && (r = ${name}_next(&it, ${fields.map((_, k) => `&v${k}`).join(', ')})) > 0) {`);
  lines.push(`    int bad = 0;${owning.map(([f]) => ` memset(&${f}[j], 0, sizeof ${f}[j]);`).join('')}`);
  // Which made value v1 is (each is made once, so the first match is the one): the search starts after the last match,
  // so a dict whose entries keep their order (the common case: values changed in place, keys added or deleted) is
  // matched in O(len) in all, not O(len * n0).
  if (origin) {
    lines.push(`    if (origin) { origin[j] = -1; for (int64_t s = 0, q = next_made < n0 ? next_made : 0; s < n0; s++, q = q + 1 < n0 ? q + 1 : 0) if (made[q${stride === 3 ? ' * 3' : ''}] == (void *)v1) { origin[j] = q; next_made = q + 1; break; } }`);
  }
  fields.forEach(([f, it], k) => {
    if (it.kind === 'str') lines.push(`    if (!bad && kr_str_to_c(v${k}, &${f}[j].data, &${f}[j].len)) bad = 1;`, `    kr_decref(v${k});`);
    else if (it.kind === 'list' && it.item.kind === 'str') {
      lines.push(`    if (!bad && kr_str_list_out(v${k}, NULL, 0, &${f}[j].len, (kr_abi_str **)&${f}[j].data)) bad = 1;`);
    } else if (it.kind === 'list') {
      // A list value: its items in a NEW buffer (the list itself is the call's heap's: no reference to drop).
      const et = cType(it.item);
      lines.push(`    if (!bad) { int64_t m = v${k}->len; ${f}[j].data = (${et} *)kr_export_alloc((size_t)(m ? m : 1) * sizeof(${et}));`,
        `      if (!${f}[j].data) bad = (kr_raise_memory(), 1); else { if (m) memcpy(${f}[j].data, v${k}->data, (size_t)m * sizeof(${et})); ${f}[j].len = m; } }`);
    } else if (it.kind === 'set') {
      lines.push(`    if (!bad && kiln_abi_out_${abiHelperName(it)}(v${k}, &${f}[j])) bad = 1;`, `    kr_decref(v${k});`);
    } else if (it.kind === 'dict') {
      // An inner dict of lists or dicts: the made values of the caller's inner dict it is (none for a new one).
      const inner = stride === 3 ? ', origin && origin[j] >= 0 ? (void **)made[origin[j] * 3 + 1] : NULL, origin && origin[j] >= 0 ? (int64_t)(intptr_t)made[origin[j] * 3 + 2] : 0' : '';
      lines.push(`    if (!bad && kiln_abi_out_${abiHelperName(it)}(v${k}, &${f}[j]${inner})) bad = 1;`, `    kr_decref(v${k});`);
    } else lines.push(`    ${f}[j] = v${k};`);
  });
  lines.push(`    if (bad) { ${freeItem('j')} r = -1; break; }`);
  lines.push('    j++;');
  lines.push('  }');
  if (!isDeque) lines.push(`  ${isDict ? 'kr_dict_iter_end(&it);' : 'kr_set_iter_end(&it);'}`);
  lines.push('  if (r < 0) {');
  lines.push(`    for (int64_t i = 0; i < j; i++) { ${freeItem('i')} }`);
  lines.push(`    ${arrays.map((f) => `kr_free_out(${f});`).join(' ')}`);
  lines.push('    return kr_err.kind;');
  lines.push('  }');
  lines.push(`  dst->len = j; ${arrays.map((f) => `dst->${f} = ${f};`).join(' ')}${isDeque ? ' dst->maxlen = c->maxlen;' : ''}`);
  lines.push('  return 0;');
  lines.push('}');
  // keep: the caller's own items in NEW arrays (each list's items, an inner dict's arrays too; origin[i] = i).
  lines.push(`static KR_UNUSED int kiln_abi_keep_${abiHelperName(t)}(${s} *s) {`);
  lines.push('  int64_t n = s->len > 0 ? s->len : 0;');
  fields.forEach(([f, it]) => lines.push(`  ${flatItemC(it)} *${f} = (${flatItemC(it)} *)kr_abi_copy_items(s->${f}, n, sizeof(${flatItemC(it)}), ${it.kind === 'str' ? 1 : 0});`));
  if (origin) lines.push('  int64_t *origin = (int64_t *)kr_export_alloc((size_t)(n ? n : 1) * sizeof(int64_t));');
  lines.push(`  int bad = ${arrays.map((f) => `!${f}`).join(' || ')};`);
  // Frozenset keys or items: each one's own items copied in turn (a failure leaves the rest NULL).
  fields.filter(([, it]) => it.kind === 'set').forEach(([f, it]) => lines.push(
    `  if (${f}) for (int64_t i = 0; i < n; i++) { if (bad) ${f}[i].items = NULL; else if (kiln_abi_keep_${abiHelperName(it)}(&${f}[i])) bad = 1; }`));
  if (origin) {
    // values is a shallow copy so far: each value's own buffers copied in turn (a failure leaves the rest NULL).
    const v = t.kind === 'dict' ? t.value : t;
    const fix = v.kind === 'list'
      ? `values[i].data = bad ? NULL : kr_abi_copy_items(s->values[i].data, s->values[i].len > 0 ? s->values[i].len : 0, sizeof(*values[i].data), ${v.item.kind === 'str' ? 1 : 0}); if (values[i].len < 0) values[i].len = 0; if (!values[i].data) bad = 1;`
      : `if (bad) { ${[...fieldsOf(v as Flat).map(([f]) => f), ...(hasObjectValues(v) ? ['origin'] : [])].map((f) => `values[i].${f} = NULL;`).join(' ')} } else if (kiln_abi_keep_${abiHelperName(v)}(&values[i])) bad = 1;`;
    lines.push(`  if (values) for (int64_t i = 0; i < n; i++) { ${fix}${` if (origin) origin[i] = i;`} }`);
  }
  lines.push('  if (bad) {');
  fields.forEach(([f, it]) => { if (madeOnEntry(it)) lines.push(`    if (${f}) for (int64_t i = 0; i < n; i++) { ${freeOut(it, `${f}[i]`)} }`); });
  lines.push(`    ${arrays.map((f) => `kr_free_out(${f}); s->${f} = NULL;`).join(' ')}${isDeque ? '' : ' s->index = NULL;'}`);
  lines.push('    return kr_raise_memory(), KILN_MemoryError;');
  lines.push('  }');
  lines.push(`  ${arrays.map((f) => `s->${f} = ${f};`).join(' ')}${isDeque ? '' : ' s->index = NULL;'}`);
  lines.push('  s->len = n;');
  lines.push('  return 0;');
  lines.push('}');
  return lines;
}

/** The helpers of every dict, set and deque type the exported functions pass or return, and of every weight tree they take. */
export function containerAbiHelpers(types: KType[]): string[] {
  if (!types.length) return [];
  const trees = new Map<string, string[]>();
  for (const t of types.filter(isWeightTree)) treeHelper(t, flatContainerName(t), trees);
  const flat = types.filter((t) => !isWeightTree(t));
  return [
    '/* dicts, sets and deques across the C ABI: the flat layout to and from the runtime (lower/c_abi_containers.ts) */',
    // Once per helper name (a frozenset and a set of one item type share them).
    ...flat.filter((t, i) => flat.findIndex((x) => abiHelperName(x) === abiHelperName(t)) === i).flatMap((t) => helpers(t as Flat)),
    ...[...trees.values()].flat(), '',
  ];
}

/** The converter of one node type of a weight tree: kiln_abi_tree_<hash of the type> (records of one C struct may differ in keys). */
function treeFn(t: KType): string {
  let h = 2166136261;
  for (const ch of typeToString(t)) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  return `kiln_abi_tree_${h.toString(36)}`;
}

/** A C string literal of a key's UTF-8 bytes. */
const cBytes = (key: string): string => `"${[...Buffer.from(key, 'utf8')].map((b) => (b >= 0x20 && b < 0x7f && b !== 0x22 && b !== 0x5c && b !== 0x3f ? String.fromCharCode(b) : `\\${b.toString(8).padStart(3, '0')}`)).join('')}"`;

/**
 * kiln_abi_tree_<h>(src, out): compiled code's value of a weight-tree node type (abi.ts isWeightTree) from the
 * caller's node: an array is its view; a record takes each key the layout names (KeyError for one missing, TypeError
 * for one it does not name: the record's keys are fixed); a list is a new list of the call's heap. Inner types first.
 */
function treeHelper(t: KType, node: string, out: Map<string, string[]>): void {
  const fn = treeFn(t);
  if (out.has(fn) || t.kind === 'array') return;
  if (t.kind === 'record') t.items.forEach((x) => treeHelper(x, node, out));
  if (t.kind === 'list') treeHelper(t.item, node, out);
  const kindOf = t.kind === 'record' ? 1 : 2;
  const what = t.kind === 'record' ? 'a dict' : 'a list';
  const lines = [
    `static KR_UNUSED int ${fn}(const ${node} *src, ${cType(t)} *out) {`,
    `  if (src->kind != ${kindOf}) return kr_raise(KILN_TypeError, ${JSON.stringify(`a ${node} node of kind ${kindOf} (${what}) was expected`)});`,
  ];
  const conv = (x: KType, from: string, to: string): string => (x.kind === 'array'
    ? `(${from}.kind == 0 ? (${to} = ${from}.array, 0) : kr_raise(KILN_TypeError, ${JSON.stringify(`a ${node} node of kind 0 (an array) was expected`)}))`
    : `${treeFn(x)}(&${from}, &${to})`);
  if (t.kind === 'record') {
    lines.push(`  static const char *const names[${t.names.length}] = { ${t.names.map(cBytes).join(', ')} };`);
    lines.push(`  int found[${t.names.length}] = { 0 };`);
    lines.push('  for (int64_t i = 0; i < src->len; i++) {');
    lines.push('    const char *kd = src->keys[i].data; size_t kn = src->keys[i].len < 0 ? strlen(kd) : (size_t)src->keys[i].len;');
    lines.push(`    int f = -1, rc = 0;`);
    lines.push(`    for (int k = 0; k < ${t.names.length}; k++) if (strlen(names[k]) == kn && !memcmp(names[k], kd, kn)) f = k;`);
    lines.push(`    switch (f) {`);
    t.items.forEach((x, k) => lines.push(`      case ${k}: rc = ${conv(x, 'src->items[i]', `out->f${k}`)}; break;`));
    lines.push(`      default: rc = kr_raise(KILN_TypeError, ${JSON.stringify(`a key the layout does not name (its keys: ${t.names.join(', ')})`)});`);
    lines.push('    }');
    lines.push('    if (rc) return rc;');
    lines.push('    found[f] = 1;');
    lines.push('  }');
    t.names.forEach((k, i) => lines.push(`  if (!found[${i}]) return kr_raise(KILN_KeyError, ${cBytes(`'${k}'`)});`));
  } else if (t.kind === 'list') {
    const et = cType(t.item);
    lines.push(`  kr_list *l = kr_list_new(src->len > 0 ? src->len : 0, sizeof(${et}));`);
    lines.push('  if (!l) return kr_err.kind;');
    lines.push('  *out = l;');
    lines.push(`  for (int64_t i = 0; i < src->len; i++) { int rc = ${conv(t.item, 'src->items[i]', `((${et} *)l->data)[i]`)}; if (rc) return rc; }`);
  }
  lines.push('  return 0;', '}');
  out.set(fn, lines);
}

/** The wrapper's lines for a weight-tree parameter `name` (C name), argument i: compiled code's records and lists of it. */
export function weightTreeParamIn(t: KType, name: string, i: number): string[] {
  return [`  ${cType(t)} kiln_in${i}; memset(&kiln_in${i}, 0, sizeof kiln_in${i});`, `  if (!rc) rc = ${treeFn(t)}(${name}, &kiln_in${i});`];
}

/** The wrapper's lines for a dict, set or deque parameter `name` (C name), argument i: a new container of its items. */
export function containerParamIn(t: KType, name: string, i: number): string[] {
  const made = hasObjectValues(t);
  return [`  ${runtimeType(t)} *kiln_in${i} = NULL;${made ? ` void **kiln_made${i} = NULL;` : ''}`,
    `  if (!rc) rc = kiln_abi_in_${abiHelperName(t)}(${name}, &kiln_in${i}${made ? `, &kiln_made${i}` : ''}${t.kind === 'set' ? `, ${t.frozen ? 1 : 0}` : ''});`];
}

/** The wrapper's lines after the call: the parameter's final state for the caller (its own items when never copied in); none for a read-only dict of arrays. */
export function containerParamBack(t: KType, name: string, i: number): string[] {
  if (isArrayDict(t)) return [];
  const n = abiHelperName(t);
  if (!hasObjectValues(t)) return [`  { int krc = kiln_in${i} ? kiln_abi_out_${n}(kiln_in${i}, ${name}) : kiln_abi_keep_${n}(${name}); if (krc && !rc) rc = krc; }`];
  // The caller's length on entry (the out replaces it): the made values' count, whose references go after the out.
  return [`  { int64_t kn0 = ${name}->len; int krc = kiln_in${i} ? kiln_abi_out_${n}(kiln_in${i}, ${name}, kiln_made${i}, kn0) : kiln_abi_keep_${n}(${name});`,
    `    if (kiln_in${i}) kiln_abi_unmade_${n}(kiln_made${i}, kn0); if (krc && !rc) rc = krc; }`];
}

/** C of a call that writes a container result `src` into the caller's struct `dst` (a pointer): 0 or the error kind. */
export const containerResultOut = (t: KType, src: string, dst: string): string =>
  `kiln_abi_out_${abiHelperName(t)}(${src}, ${dst}${hasObjectValues(t) ? ', NULL, 0' : ''})`;

/**
 * C statements returning Python's hash() of a key `k` (a pointer to the accessors' key type): CPython's for numbers and
 * tuples of them, the runtime's for a str's bytes.
 */
function keyHash(t: KType, k: string): string {
  if (t.kind === 'str') return `return kr_hash_bytes(${k}->data ? ${k}->data : "", (size_t)kr_abi_text_len(${k}->data, ${k}->len), 0);`;
  if (isNumberTuple(t)) {
    const items = t.items.map((x, i) => `acc = kr_tuplehash_add(acc, ${scalarHash(x, `${k}->f${i}`)});`).join(' ');
    return `uint64_t acc = kr_tuplehash_start(); ${items} return kr_tuplehash_end(acc, ${t.items.length});`;
  }
  return `return ${scalarHash(t, `*${k}`)};`;
}
const scalarHash = (t: KType, v: string): string => `kr_hash_${flatItem(t) === 'float' ? 'f64' : flatItem(t) === 'bool' ? 'bool' : 'i64'}(${v})`;
/** C that two keys `a`, `b` (pointers) are equal as Python's == says for them (0.0 == -0.0; a NaN never). */
function keyEq(t: KType, a: string, b: string): string {
  if (t.kind === 'str') return `kr_abi_text_is(${a}->data, ${a}->len, ${b}->data ? ${b}->data : "", kr_abi_text_len(${b}->data, ${b}->len))`;
  if (isNumberTuple(t)) return t.items.map((_, i) => `${a}->f${i} == ${b}->f${i}`).join(' && ');
  return `*${a} == *${b}`;
}

/**
 * The accessor API of each dict and set struct the exported functions pass (abi.ts containerApi, which the header
 * declares): exported C over the flat arrays. Lookups go through the struct's hash index (kr_abi_index of kiln_dict.h,
 * over the keys array itself; a scan only when memory for it ran out), so they are O(1) as in the dict. Arrays grow
 * by a NEW copy with room to spare (kr_export_alloc, freed with kr_free_out as kiln_free frees a call's; the index
 * remembers the room, so appends are amortised O(1)), so that a struct built here, a result and a parameter after a
 * call are freed alike.
 */
export function containerApiDefinitions(types: KType[]): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const t of types) {
    const api = containerApi(t);
    if (!api || seen.has(api.struct)) continue;
    seen.add(api.struct);
    const s = api.struct, proto = (name: string) => api.functions.find((f) => f.name === name)!.prototype;
    const isDict = t.kind === 'dict', key = t.kind === 'dict' ? t.key : (t as KType & { kind: 'set' }).item;
    const keys = isDict ? 'keys' : 'items', h = isDict ? 'd' : 's', k = isDict ? 'key' : 'item';
    const kt = flatItemC(key), strKey = key.kind === 'str';
    // The accessor's key as the array's C type (a str: its bytes, not copied).
    const q = strKey ? `kiln_str want; want.data = (char *)${k}; want.len = ${k}_len;` : `${kt} want = ${k};`;
    out.push(`static kr_hash_t ${s}__hash_at(const void *keys, int64_t i) { const ${kt} *k = (const ${kt} *)keys + i; ${keyHash(key, 'k')} }`,
      `static int ${s}__eq_at(const void *keys, int64_t i, const void *key) { const ${kt} *a = (const ${kt} *)keys + i, *b = (const ${kt} *)key; return ${keyEq(key, 'a', 'b')}; }`,
      // The struct's index, (re)built when it is not the one of its keys and len now; NULL when memory ran out.
      `static kr_abi_index *${s}__indexed(${s} *${h}) {`,
      `  kr_abi_index *x = (kr_abi_index *)${h}->index;`,
      `  int64_t n = ${h}->${keys} && ${h}->len > 0 ? ${h}->len : 0;`,
      `  if (x && x->keys == ${h}->${keys} && x->len == n) return x;`,
      `  int64_t cap = x && x->keys == ${h}->${keys} ? x->cap : 0;`,
      '  free(x);',
      `  ${h}->index = x = kr_abi_index_build(${h}->${keys}, n, cap, sizeof(${kt}), ${s}__hash_at, ${s}__eq_at);`,
      '  return x;', '}',
      // The position of *k (the last of equal keys, as the call's dict keeps the last value), or -1.
      `static int64_t ${s}__find(${s} *${h}, const ${kt} *k) {`,
      `  kr_abi_index *x = ${s}__indexed(${h});`,
      `  if (x) return kr_abi_index_find(x, ${s}__hash_at(k, 0), ${s}__eq_at, k);`,
      `  for (int64_t i = (${h}->${keys} ? ${h}->len : 0) - 1; i >= 0; i--) if (${s}__eq_at(${h}->${keys}, i, k)) return i;`,
      '  return -1;', '}',
      // Appends: the room the index remembers, else NEW arrays of twice the items (d unchanged on failure).
      `static int ${s}__append(${s} *${h}, ${kt} nk${isDict ? `, ${flatItemC((t as KType & { kind: 'dict' }).value)} nv` : ''}) {`,
      `  int64_t n = ${h}->${keys} && ${h}->len > 0 ? ${h}->len : 0;`,
      `  kr_abi_index *x = ${s}__indexed(${h});`,
      '  int64_t cap = x ? x->cap : 0;',
      '  if (cap <= n) {',
      '    cap = n < 4 ? 8 : 2 * n;',
      `    ${kt} *ks = (${kt} *)kr_abi_grown(${h}->${keys}, n, cap, sizeof *ks);`,
      ...(isDict ? [`    ${flatItemC((t as KType & { kind: 'dict' }).value)} *vs = (${flatItemC((t as KType & { kind: 'dict' }).value)} *)kr_abi_grown(d->values, n, cap, sizeof *vs);`] : []),
      `    if (!ks${isDict ? ' || !vs' : ''}) { kr_free_out(ks);${isDict ? ' kr_free_out(vs);' : ''} return KILN_MemoryError; }`,
      `    kr_free_out(${h}->${keys}); ${h}->${keys} = ks;${isDict ? ' kr_free_out(d->values); d->values = vs;' : ''}`,
      '  }',
      `  ${h}->${keys}[n] = nk;${isDict ? ' d->values[n] = nv;' : ''}`,
      `  ${h}->len = n + 1;`,
      `  kr_abi_index_append((kr_abi_index **)&${h}->index, ${h}->${keys}, n, cap, sizeof(${kt}), ${s}__hash_at, ${s}__eq_at);`,
      '  return 0;', '}');
    out.push(`KILN_EXPORT ${proto('len')} { return ${h} && ${h}->${keys} && ${h}->len > 0 ? ${h}->len : 0; }`);
    out.push(`KILN_EXPORT ${proto('contains')} { if (!${h}) return 0; ${q} return ${s}__find(${h}, &want) >= 0; }`);
    const freeIndex = `  free(${h}->index); ${h}->index = NULL;`;
    if (isDict) {
      const v = (t as KType & { kind: 'dict' }).value, vt = flatItemC(v), origin = hasObjectValues(t);
      // A value as _get gives it: a copy (a str's or list's buffers borrowed), or a pointer to an inner dict in place.
      const give = v.kind === 'dict' ? '&d->values' : 'd->values';
      out.push(`KILN_EXPORT ${proto('get')} {`, '  if (!d) return 0;', `  ${q}`, `  int64_t i = ${s}__find(d, &want);`, '  if (i < 0) return 0;', `  if (value) *value = ${give}[i];`, '  return 1;', '}');
      out.push(`KILN_EXPORT ${proto('iter_next')} {`, '  if (!d || !d->keys || !d->values || !pos || *pos < 0 || *pos >= d->len) return 0;',
        '  if (key) *key = d->keys[*pos];', `  if (value) *value = ${give}[*pos];`, '  ++*pos;', '  return 1;', '}');
      // The new value first (copied: a str, a list's items, an inner dict's buffers), then the key and the arrays: a
      // failure leaves d as it was.
      const made = v.kind === 'str' ? ['  kiln_str nv; nv.data = kr_abi_text_copy(value, value_len, &nv.len);', '  if (!nv.data) return KILN_MemoryError;']
        : v.kind === 'list' ? [`  ${vt} nv; nv.len = value_len > 0 ? value_len : 0; nv.data = (${v.item.kind === 'str' ? 'kiln_str' : flatItemC(v.item)} *)kr_abi_copy_items(value, nv.len, sizeof *nv.data, ${v.item.kind === 'str' ? 1 : 0});`,
          '  if (!nv.data) return KILN_MemoryError;']
          : v.kind === 'dict' ? [`  ${vt} nv; memset(&nv, 0, sizeof nv);`, `  if (value) { nv = *value; nv.index = NULL;${hasObjectValues(v) ? ' nv.origin = NULL;' : ''} if (kiln_abi_keep_${abiHelperName(v)}(&nv)) return KILN_MemoryError; }`]
            : [`  ${vt} nv = value;`];
      // Frees a value the struct held (or the new one, on failure).
      const drop = (x: string) => (v.kind === 'dict' ? `${flatContainerName(v)}_free(&${x});` : freeOut(v, x));
      const dropOrigin = origin ? ' kr_free_out(d->origin); d->origin = NULL;' : '';
      out.push(`KILN_EXPORT ${proto('set')} {`, ...made,
        `  ${q}`,
        `  int64_t i = ${s}__find(d, &want);`,
        `  if (i >= 0) { ${drop('d->values[i]')} d->values[i] = nv;${dropOrigin} return 0; }`,
        strKey ? '  kiln_str nk; nk.data = kr_abi_text_copy(key, key_len, &nk.len);' : `  ${kt} nk = key;`,
        `  if (${strKey ? '!nk.data || ' : ''}${s}__append(d, nk, nv)) {${strKey ? ' kr_free_out(nk.data);' : ''} ${drop('nv')} return KILN_MemoryError; }`,
        ...(origin ? [`  ${dropOrigin.trim()}`] : []),
        '  return 0;', '}');
      const each = ([['keys', strKey ? 'kr_free_out(d->keys[i].data);' : ''], ['values', drop('d->values[i]')]] as const).filter(([, x]) => x);
      out.push(`KILN_EXPORT ${proto('free')} {`, '  if (!d) return;',
        ...each.map(([f, x]) => `  if (d->${f}) for (int64_t i = 0; i < d->len; i++) { ${x} }`),
        `  kr_free_out(d->keys); kr_free_out(d->values);${origin ? ' kr_free_out(d->origin); d->origin = NULL;' : ''}`, freeIndex, '  d->len = 0; d->keys = NULL; d->values = NULL;', '}');
    } else {
      out.push(`KILN_EXPORT ${proto('iter_next')} {`, '  if (!s || !s->items || !pos || *pos < 0 || *pos >= s->len) return 0;',
        '  if (item) *item = s->items[*pos];', '  ++*pos;', '  return 1;', '}');
      out.push(`KILN_EXPORT ${proto('add')} {`,
        `  ${q}`,
        `  if (${s}__find(s, &want) >= 0) return 0;`,
        strKey ? '  kiln_str nk; nk.data = kr_abi_text_copy(item, item_len, &nk.len);' : `  ${kt} nk = item;`,
        `  if (${strKey ? '!nk.data || ' : ''}${s}__append(s, nk)) {${strKey ? ' kr_free_out(nk.data);' : ''} return KILN_MemoryError; }`,
        '  return 0;', '}');
      out.push(`KILN_EXPORT ${proto('free')} {`, '  if (!s) return;',
        ...(strKey ? ['  if (s->items) for (int64_t i = 0; i < s->len; i++) kr_free_out(s->items[i].data);'] : []),
        '  kr_free_out(s->items);', freeIndex, '  s->len = 0; s->items = NULL;', '}');
    }
    out.push('');
  }
  return out.length ? ['/* the accessor API of the dict and set structs (abi.ts containerApi) */', ...out] : [];
}
