/**
 * The C a unit needs for its dicts and sets (docs/design/dicts.md, "Instantiation"): the kinds the runtime lacks
 * (str keys and values, list values), one KR_DICT_DEFINE / KR_SET_DEFINE per (key, value) pair of types, named as
 * types/ops/dicts.ts names them, and `kr_loop`, the state of a `for` loop over a dict or set.
 */
import { cType, isNicheOptional, isObject, ownsReferences, unionField, unionStructName, unionTagC, type KType } from '../types/types.ts';
import { containerCType, containerKind, containerName } from '../types/ops/index.ts';
import { memberReprs } from '../types/ops/enums.ts';
import { classCName, type HashRule } from '../types/classes.ts';

/** Every dict and set type reachable from `t` (a loop state's container, a tuple's items), innermost first. */
export function containerTypesIn(t: KType | undefined, out: KType[] = []): KType[] {
  if (!t) return out;
  if (t.kind === 'tuple') t.items.forEach((x) => containerTypesIn(x, out));
  if (t.kind === 'list') containerTypesIn(t.item, out);
  if (t.kind === 'iter') containerTypesIn(t.of, out);
  if (t.kind === 'dict') containerTypesIn(t.value, out); // a dict or set value is declared first
  // a frozenset key or set item too
  if ((t.kind === 'dict' && t.key.kind === 'set') || ((t.kind === 'set' || t.kind === 'deque') && t.item.kind === 'set')) containerTypesIn(t.kind === 'dict' ? t.key : t.item, out);
  if (t.kind === 'dict' || t.kind === 'set' || t.kind === 'deque') {
    if (!out.some((x) => containerName(x) === containerName(t))) out.push(t);
  }
  return out;
}

/**
 * A tuple kind (kiln_dict.h's kind contract) for a tuple of numbers and str: CPython's tuple hash over the items'
 * hashes (an item's -1, an error, is returned at once), equality item by item as containers compare (an error
 * stops it), repr `(1, 'a')` or `(1,)`; its references are its items' (a str item is counted, the others are none).
 */
function tupleKindDecl(t: KType & { kind: 'tuple' }): string[] {
  const kind = containerKind(t, 'key')!, ct = containerCType(t), n = t.items.length;
  const ik = t.items.map((x) => containerKind(x, 'key')!);
  const each = (f: (k: string, i: number) => string) => ik.map(f).join(' ');
  const refs = ik.reduce((acc, k) => `(kr_kind_${k}_refs > ${acc} ? kr_kind_${k}_refs : ${acc})`, '0');
  return [
    `typedef ${ct} kr_kind_${kind}_t;`,
    `static inline kr_hash_t kr_kind_${kind}_hash(const kr_kind_${kind}_t *k) { uint64_t acc = kr_tuplehash_start(); kr_hash_t h; ${each((k, i) => `if ((h = kr_kind_${k}_hash(&k->f${i})) == -1) return -1; acc = kr_tuplehash_add(acc, h);`)} return kr_tuplehash_end(acc, ${n}); }`,
    `static inline int kr_kind_${kind}_eq(const kr_kind_${kind}_t *a, const kr_kind_${kind}_t *b) { int r; ${each((k, i) => `if ((r = kr_kind_${k}_eq(&a->f${i}, &b->f${i})) != 1) return r;`)} return 1; }`,
    `static inline void kr_kind_${kind}_incref(kr_kind_${kind}_t *v) { (void)v; ${each((k, i) => `kr_kind_${k}_incref(&v->f${i});`)} }`,
    `static inline void kr_kind_${kind}_decref(kr_kind_${kind}_t *v) { (void)v; ${each((k, i) => `kr_kind_${k}_decref(&v->f${i});`)} }`,
    `static inline int kr_kind_${kind}_repr(kr_text *t, const kr_kind_${kind}_t *v) { return kr_text_puts(t, "(") ${ik.map((k, i) => `${i ? '|| kr_text_puts(t, ", ") ' : ''}|| kr_kind_${k}_repr(t, &v->f${i})`).join(' ')} || kr_text_puts(t, "${n === 1 ? ',)' : ')'}"); }`,
    `static inline void kr_kind_${kind}_visit(const kr_kind_${kind}_t *v, kr_visit_fn f, void *arg) { (void)v; (void)f; (void)arg; ${each((k, i) => `kr_kind_${k}_visit(&v->f${i}, f, arg);`)} }`,
    `enum { kr_kind_${kind}_refs = ${refs} };`,
  ];
}

/**
 * A kind for a tuple of a run-time length (`tuple[int, ...]`, a list compiled code never changes): CPython's tuple
 * hash over its items' hashes, equality item by item, repr `(1, 2)` or `(1,)`. The list belongs to the call's heap,
 * as a list value does, so holding it takes no reference (its str items are the list's).
 */
function vtupleKindDecl(t: KType & { kind: 'list' }): string[] {
  const kind = containerKind(t, 'key')!, ik = containerKind(t.item, 'key')!, at = (l: string) => `&((const kr_kind_${ik}_t *)${l}->data)[i]`;
  return [
    `static kr_hash_t kr_${kind}_hash(kr_list *l) { uint64_t acc = kr_tuplehash_start(); kr_hash_t h; for (int64_t i = 0; i < l->len; i++) { if ((h = kr_kind_${ik}_hash(${at('l')})) == -1) return -1; acc = kr_tuplehash_add(acc, h); } return kr_tuplehash_end(acc, l->len); }`,
    `static int kr_${kind}_eq(kr_list *a, kr_list *b) { if (a == b) return 1; if (a->len != b->len) return 0; int r; for (int64_t i = 0; i < a->len; i++) if ((r = kr_kind_${ik}_eq(${at('a')}, ${at('b')})) != 1) return r; return 1; }`,
    `static int kr_${kind}_repr(kr_text *t, kr_list *l) { if (kr_text_puts(t, "(")) return -1; for (int64_t i = 0; i < l->len; i++) if ((i && kr_text_puts(t, ", ")) || kr_kind_${ik}_repr(t, ${at('l')})) return -1; return kr_text_puts(t, l->len == 1 ? ",)" : ")"); }`,
    `KR_KIND_SCALAR(${kind}, kr_list_ptr, kr_${kind}_hash, kr_${kind}_eq, kr_${kind}_repr)`,
  ];
}

/** What a kind of instances needs of its class (c.ts gives it): how it hashes, and how to call one of its methods (the C call, the callee's prototype). */
export interface InstanceKinds {
  rule(cls: string): HashRule;
  method(role: 'hash' | 'eq' | 'repr', cls: string): { call: (args: string[], out: string) => string; proto: string; result: KType } | undefined;
}

/**
 * The kind of a class's instances as keys, set items or values: CPython's `hash(obj)` (its `__hash__`'s int, -1 made
 * -2; an address for a class without `__hash__` and `__eq__`; TypeError for an unhashable one, which a key never is:
 * typecheck refuses it), `==` identity first then `__eq__`'s truth, `repr` from `__repr__` or object's
 * `<module.Name object at 0x...>`. The object's references are counted; it may be tracked by the collector.
 */
function instanceKindDecl(t: KType & { kind: 'instance' }, kinds: InstanceKinds): string[] {
  const kind = containerKind(t, 'key')!, c = classCName(t.cls), name = t.cls.slice(t.cls.lastIndexOf('.') + 1);
  const ptr = `${c}_ptr`;
  const [hash, eq, repr] = (['hash', 'eq', 'repr'] as const).map((r) => kinds.method(r, t.cls));
  const rule = kinds.rule(t.cls);
  return [
    `typedef struct ${c} *${ptr};`,
    ...[hash, eq, repr].flatMap((m) => (m ? [m.proto] : [])),
    `static kr_hash_t ${c}_key_hash(${ptr} o) {`,
    ...(hash ? [`  ${cType(hash.result)} h; if (${hash.call(['o'], '&h')}) return -1; return h == -1 ? -2 : (kr_hash_t)h;`]
      : rule === 'unhashable' ? [`  (void)o; return kr_raise(KILN_TypeError, ${JSON.stringify(`unhashable type: '${name}'`)}), -1;`]
        // object.__hash__: the address rotated by 4 bits (CPython's _Py_HashPointer)
        : ['  uint64_t y = (uint64_t)(uintptr_t)o; y = (y >> 4) | (y << 60); kr_hash_t h = (kr_hash_t)y; return h == -1 ? -2 : h;']),
    '}',
    `static int ${c}_key_eq(${ptr} a, ${ptr} b) {`,
    ...(eq ? [`  ${cType(eq.result)} r; if (${eq.call(['a', 'b'], '&r')}) return -1; return r != 0;`] : ['  (void)a; (void)b; return 0; /* identity: tested first */']),
    '}',
    `static int ${c}_key_repr(kr_text *t, ${ptr} o) {`,
    ...(repr ? [`  kr_str *s; if (${repr.call(['o'], '&s')}) return -1;`, '  int64_t n; const char *u = kr_str_utf8(s, &n);', '  int rc = u ? kr_text_put(t, u, (size_t)n) : -1;', '  kr_decref(s); return rc;']
      : [`  char b[160]; snprintf(b, sizeof b, "<%s object at %p>", ${JSON.stringify(t.cls)}, (void *)o); return kr_text_puts(t, b);`]),
    '}',
    `KR_KIND_OBJECT(${kind}, ${ptr}, ${c}_key_hash, ${c}_key_eq, ${c}_key_repr, 1)`,
  ];
}

/**
 * The kind of an enum's members (their indices): CPython's hash (an IntEnum's is its value's, a plain Enum's its
 * name's, as a str: Kiln's str hash, so a set of members iterates as a set of their names does), equal when the
 * indices are, repr `<Color.RED: 1>`.
 */
function enumKindDecl(t: KType & { kind: 'enum' }): string[] {
  const kind = containerKind(t, 'key')!, c = classCName(t.cls);
  return [
    `static const char *const ${c}_key_reprs[] = { ${memberReprs(t).map((r) => JSON.stringify(r)).join(', ')} };`,
    t.int ? `static const int64_t ${c}_key_values[] = { ${t.values.map((v) => `INT64_C(${v})`).join(', ')} };`
      : `static const char *const ${c}_key_names[] = { ${t.names.map((r) => JSON.stringify(r)).join(', ')} };`,
    t.int ? `static inline kr_hash_t ${c}_key_hash(int64_t m) { return kr_hash_i64(${c}_key_values[m]); }`
      : `static inline kr_hash_t ${c}_key_hash(int64_t m) { kr_hash_t h = (kr_hash_t)kr_hash_bytes(${c}_key_names[m], strlen(${c}_key_names[m]), 1); return h == -1 ? -2 : h; }`,
    `static inline int ${c}_key_same(int64_t a, int64_t b) { return a == b; }`,
    `static inline int ${c}_key_repr(kr_text *t, int64_t m) { return kr_text_puts(t, ${c}_key_reprs[m]); }`,
    `KR_KIND_SCALAR(${kind}, int64_t, ${c}_key_hash, ${c}_key_same, ${c}_key_repr)`,
  ];
}

/**
 * The kind of NumPy array values (`dict[str, NDArray]`): the view struct by value. Its buffer belongs to the call's
 * heap (kiln_arrays.h), as a list value's does, so storing one takes no reference. Arrays are never keys (unhashable)
 * and nothing compiled compares or prints them (typecheck refuses `==` of such dicts; `v in d.values()` is not
 * compiled): `same` is identity (the same view of the same buffer), what the runtime's `is`-before-`==` test needs,
 * and repr is a placeholder.
 */
function arrayKindDecl(t: KType & { kind: 'array' }): string[] {
  const kind = containerKind(t, 'value')!, ct = cType(t);
  return [
    `static inline kr_hash_t kr_${kind}_nohash(${ct} a) { (void)a; return 0; }`,
    `static inline int kr_${kind}_same(${ct} a, ${ct} b) { return memcmp(&a, &b, sizeof a) == 0; }`,
    `static inline int kr_${kind}_repr(kr_text *t, ${ct} a) { (void)a; return kr_text_puts(t, "array(...)"); }`,
    `KR_KIND_SCALAR(${kind}, ${ct}, kr_${kind}_nohash, kr_${kind}_same, kr_${kind}_repr)`,
  ];
}

/** The kind of complex values: compared part by part as floats are (a NaN part equals a NaN part), repr'd as CPython. */
function complexKindDecl(): string[] {
  return [
    'static inline kr_hash_t kr_c128_nohash(kr_complex z) { (void)z; return 0; }',
    'static inline int kr_c128_same(kr_complex a, kr_complex b) { return kr_f64_same(a.re, b.re) && kr_f64_same(a.im, b.im); }',
    'static inline int kr_c128_repr(kr_text *t, kr_complex z) { char b[96]; size_t n = kr_complex_repr_text(z, b); return kr_text_put(t, b, n); }',
    'KR_KIND_SCALAR(c128, kr_complex, kr_c128_nohash, kr_c128_same, kr_c128_repr)',
  ];
}

/**
 * A value kind for a union of None, numbers and tuples of them (`dict[int, tuple[int, int] | None]`): the union's
 * struct by value (types.ts unionStructDecl), no references. Equal when the members are (1 == 1.0 == True across
 * number members, as Python compares them); repr per member, `None` for None. Values are never hashed.
 */
function unionKindDecl(u: KType & { kind: 'union' }): string[] {
  const kind = containerKind(u, 'value')!, ct = unionStructName(u);
  const held = u.members.filter((m) => m.kind !== 'none').map((m) => ({ tag: unionTagC(u, m), k: containerKind(m, 'key')!, f: unionField(u, m), m }));
  const nums = held.filter((h) => h.m.kind === 'scalar' && ['int', 'float', 'bool'].includes(h.m.name));
  const numOf = (h: (typeof held)[number], e: string) => `kr_num_${(h.m as { name: string }).name === 'float' ? 'float' : (h.m as { name: string }).name === 'bool' ? 'bool' : 'int'}(${e}->v.${h.f})`;
  const cases = (body: (h: (typeof held)[number]) => string) => held.map((h) => `case ${h.tag}: ${body(h)}`).join(' ');
  return [
    `typedef ${ct} kr_kind_${kind}_t;`,
    `static inline kr_hash_t kr_kind_${kind}_hash(const kr_kind_${kind}_t *k) { (void)k; return 0; }`,
    ...(nums.length > 1 ? [`static inline int kr_kind_${kind}_num(const kr_kind_${kind}_t *x, kr_num *n) { switch (x->tag) { ${nums.map((h) => `case ${h.tag}: *n = ${numOf(h, 'x')}; return 1;`).join(' ')} } return 0; }`] : []),
    `static inline int kr_kind_${kind}_eq(const kr_kind_${kind}_t *a, const kr_kind_${kind}_t *b) {`,
    `  if (a->tag != b->tag) { ${nums.length > 1 ? `kr_num x, y; return kr_kind_${kind}_num(a, &x) && kr_kind_${kind}_num(b, &y) && kr_num_same(x, y);` : 'return 0;'} }`,
    `  switch (a->tag) { ${cases((h) => `return kr_kind_${h.k}_eq(&a->v.${h.f}, &b->v.${h.f});`)} } return 1; }`,
    `static inline void kr_kind_${kind}_incref(kr_kind_${kind}_t *v) { (void)v; }`,
    `static inline void kr_kind_${kind}_decref(kr_kind_${kind}_t *v) { (void)v; }`,
    `static inline int kr_kind_${kind}_repr(kr_text *t, const kr_kind_${kind}_t *v) { switch (v->tag) { ${cases((h) => `return kr_kind_${h.k}_repr(t, &v->v.${h.f});`)} } return kr_text_puts(t, "None"); }`,
    `static inline void kr_kind_${kind}_visit(const kr_kind_${kind}_t *v, kr_visit_fn f, void *arg) { (void)v; (void)f; (void)arg; }`,
    `enum { kr_kind_${kind}_refs = 0 };`,
  ];
}

/**
 * A value kind for a str or an instance that may be None (`dict[str, Node | None]`): the object's pointer, NULL for
 * None (kr_incref and kr_decref take NULL); equal as the object's kind, None only to None; repr `None` for NULL.
 */
function nullableKindDecl(u: KType & { kind: 'union' }): string[] {
  const kind = containerKind(u, 'value')!, inner = containerKind(u.members.find((m) => m.kind !== 'none')!, 'value')!;
  return [
    `typedef kr_kind_${inner}_t kr_kind_${kind}_t;`,
    `static inline kr_hash_t kr_kind_${kind}_hash(const kr_kind_${kind}_t *k) { (void)k; return 0; }`,
    `static inline int kr_kind_${kind}_eq(const kr_kind_${kind}_t *a, const kr_kind_${kind}_t *b) { return *a == *b ? 1 : !*a || !*b ? 0 : kr_kind_${inner}_eq(a, b); }`,
    `static inline void kr_kind_${kind}_incref(kr_kind_${kind}_t *v) { kr_incref(*v); }`,
    `static inline void kr_kind_${kind}_decref(kr_kind_${kind}_t *v) { kr_decref(*v); }`,
    `static inline int kr_kind_${kind}_repr(kr_text *t, const kr_kind_${kind}_t *v) { return *v ? kr_kind_${inner}_repr(t, v) : kr_text_puts(t, "None"); }`,
    `static inline void kr_kind_${kind}_visit(const kr_kind_${kind}_t *v, kr_visit_fn f, void *arg) { if (*v) kr_kind_${inner}_visit(v, f, arg); }`,
    `enum { kr_kind_${kind}_refs = kr_kind_${inner}_refs };`,
  ];
}

/** The kinds a key or value kind is made of, its own last (a tuple's items' kinds come before the tuple's). */
function kindsIn(t: KType, as: 'key' | 'value', out: Map<string, KType>): void {
  if (t.kind === 'tuple') t.items.forEach((x) => kindsIn(x, 'key', out));
  if (t.kind === 'union') t.members.forEach((m) => { if (m.kind !== 'none') kindsIn(m, isNicheOptional(t) ? 'value' : 'key', out); });
  if (t.kind === 'list' && t.tuple) kindsIn(t.item, 'key', out);
  const k = containerKind(t, as);
  if (k && !out.has(k)) out.set(k, t);
}

/**
 * The declarations for these container types (after kiln_str.h and the unit's tuple structs). `ownedLists`: the dict
 * instantiations that own their list values (opt/dictLists.ts), whose value kind `olst` frees a list it drops.
 */
export function containerDecls(
  types: KType[], classKinds: InstanceKinds = { rule: () => 'identity', method: () => undefined }, ownedLists: ReadonlySet<string> = new Set(),
): string[] {
  if (!types.length) return [];
  const kindTypes = new Map<string, KType>();
  for (const t of types) {
    if (t.kind === 'dict') {
      kindsIn(t.key, 'key', kindTypes);
      kindsIn(t.value, 'value', kindTypes);
    } else if (t.kind === 'set' || t.kind === 'deque') kindsIn(t.item, 'key', kindTypes);
  }
  const kinds = new Set(kindTypes.keys());
  const out = ['/* dicts and sets: the runtime instantiated for this unit\'s key and value types (docs/design/dicts.md) */'];
  if (kinds.has('str')) {
    out.push(
      'typedef kr_str *kr_str_ptr;',
      '/* str keys and values: repr() into a KeyError message is the str\'s repr, as UTF-8 */',
      'static int kr_str_repr_text(kr_text *t, kr_str *s) {',
      '  kr_str *r = kr_str_repr(s); if (!r) return -1;',
      '  int64_t n; const char *u = kr_str_utf8(r, &n);',
      '  int rc = u ? kr_text_put(t, u, (size_t)n) : -1;',
      '  kr_decref(r); return rc;',
      '}',
      'static inline kr_hash_t kr_str_hash_key(kr_str *s) { return kr_str_hash(s); }',
      'KR_KIND_OBJECT(str, kr_str *, kr_str_hash_key, kr_str_eq, kr_str_repr_text, 0)',
    );
  }
  if (kinds.has('lst') || [...kinds].some((k) => k.startsWith('V'))) out.push('typedef kr_list *kr_list_ptr;');
  if (kinds.has('lst')) {
    out.push(
      '/* list values: the lists belong to the call\'s heap (kiln_arrays.h), so a dict holds them without counting;',
      ' * they are never hashed, and no compiled operation compares or prints a dict of lists */',
      'static inline kr_hash_t kr_list_nohash(kr_list *l) { (void)l; return 0; }',
      'static inline int kr_list_same(kr_list *a, kr_list *b) { return a == b; }',
      'static inline int kr_list_repr_text(kr_text *t, kr_list *l) { (void)l; return kr_text_puts(t, "[...]"); }',
      'KR_KIND_SCALAR(lst, kr_list_ptr, kr_list_nohash, kr_list_same, kr_list_repr_text)',
    );
    if (types.some((t) => t.kind === 'dict' && ownedLists.has(containerName(t)))) {
      out.push(
        '/* list values a dict owns alone (opt/dictLists.ts): counted as no reference, but the dict frees each one it drops',
        ' * (an entry overwritten or deleted, the dict cleared or freed); kr_list_field_free does nothing once the heap is released */',
        'typedef kr_list_ptr kr_kind_olst_t;',
        'static inline kr_hash_t kr_kind_olst_hash(const kr_kind_olst_t *k) { (void)k; return 0; }',
        'static inline int kr_kind_olst_eq(const kr_kind_olst_t *a, const kr_kind_olst_t *b) { return *a == *b; }',
        'static inline void kr_kind_olst_incref(kr_kind_olst_t *v) { (void)v; }',
        'static inline void kr_kind_olst_decref(kr_kind_olst_t *v) { kr_list_field_free(*v); }',
        'static inline int kr_kind_olst_repr(kr_text *t, const kr_kind_olst_t *v) { (void)v; return kr_text_puts(t, "[...]"); }',
        'static inline void kr_kind_olst_visit(const kr_kind_olst_t *v, kr_visit_fn f, void *arg) { (void)v; (void)f; (void)arg; }',
        'enum { kr_kind_olst_refs = 1 };',
      );
    }
  }
  for (const t of kindTypes.values()) if (t.kind === 'array') out.push(...arrayKindDecl(t));
  if ([...kindTypes.values()].some((t) => t.kind === 'complex')) out.push(...complexKindDecl());
  if ([...kinds].some((k) => k?.startsWith('v_kd_'))) out.push('typedef kr_dict *kr_dict_ptr;');
  if ([...kinds].some((k) => k?.startsWith('v_ks_') || k?.startsWith('f_ks_'))) out.push('typedef kr_set *kr_set_ptr;');
  for (const t of kindTypes.values()) {
    if (t.kind === 'instance') out.push(...instanceKindDecl(t, classKinds));
    if (t.kind === 'enum') out.push(...enumKindDecl(t));
  }
  // Tuple kinds (keys, values, items; nested ones first), once each.
  for (const t of kindTypes.values()) if (t.kind === 'tuple') out.push(...tupleKindDecl(t));
  for (const t of kindTypes.values()) if (t.kind === 'list' && t.tuple) out.push(...vtupleKindDecl(t));
  for (const t of kindTypes.values()) if (t.kind === 'union') out.push(...(isNicheOptional(t) ? nullableKindDecl(t) : unionKindDecl(t)));
  const heldKinds = new Set<string>();
  for (const t of types) {
    // frozenset keys and set items: hashed, compared with ==, repr'd, counted; the collector may track them
    const frozenKey = t.kind === 'dict' ? t.key : t.kind === 'set' || t.kind === 'deque' ? t.item : undefined;
    if (frozenKey?.kind === 'set' && !heldKinds.has(containerKind(frozenKey, 'key')!)) {
      heldKinds.add(containerKind(frozenKey, 'key')!);
      out.push(`KR_KIND_FROZENSET(${containerKind(frozenKey, 'key')}, 1)`);
    }
    if (t.kind === 'dict' && (t.value.kind === 'dict' || t.value.kind === 'set') && !heldKinds.has(containerKind(t.value, 'value')!)) {
      // dict and set values: compared with ==, repr'd, counted; the collector may track them
      heldKinds.add(containerKind(t.value, 'value')!);
      out.push(`${t.value.kind === 'dict' ? 'KR_KIND_DICT_VALUE' : 'KR_KIND_SET_VALUE'}(${containerKind(t.value, 'value')}, 1)`);
    }
    if (t.kind === 'dict') {
      const k = containerKind(t.key, 'key')!, v = containerKind(t.value, 'value')!;
      out.push(`KR_DICT_DEFINE(${containerName(t)}, ${containerCType(t.key)}, ${k}, ${containerCType(t.value)}, ${ownedLists.has(containerName(t)) ? 'olst' : v})`);
      // A defaultdict's factory (types/ops/dicts.ts defaultdictOf): the value type's zero, a new empty list or "".
      const make = t.value.kind === 'list'
        ? `kr_list *l = ${isObject(t.value.item) ? 'kr_list_new_objs(0)' : `kr_list_new(0, sizeof(${cType(t.value.item)}))`}; *(kr_list **)out = l; return l ? 0 : -1;`
        : t.value.kind === 'str' ? '*(kr_str **)out = kr_str_empty; kr_incref(kr_str_empty); return 0;'
          : t.value.kind === 'dict' || t.value.kind === 'set' ? `${cType(t.value)}c = ${containerName(t.value)}_new(); *(${cType(t.value)}*)out = c; return c ? 0 : -1;`
            : t.value.kind === 'tuple' || t.value.kind === 'array' || t.value.kind === 'complex' || t.value.kind === 'union' ? `*(${cType(t.value)} *)out = (${cType(t.value)}){0}; return 0;` /* no factory makes a tuple or an array (unused) */
              : `*(${cType(t.value)} *)out = 0; return 0;`;
      out.push(`static KR_UNUSED int ${containerName(t)}_factory(void *out, kr_obj *env) { (void)env; ${make} }`);
      // A lambda that makes a constant (types/ops/dicts.ts defaultdictOfLambda): a copy of the bytes its environment keeps.
      if (t.value.kind === 'scalar' || (t.value.kind === 'tuple' && !ownsReferences(t.value))) {
        out.push(`static KR_UNUSED int ${containerName(t)}_factory_proto(void *out, kr_obj *env) { const kr_proto *p = (const kr_proto *)env; memcpy(out, p->bytes, (size_t)p->size); return 0; }`);
      } else if (t.value.kind === 'list' && t.value.item.kind === 'scalar') {
        const et = cType(t.value.item);
        out.push(`static KR_UNUSED int ${containerName(t)}_factory_proto(void *out, kr_obj *env) { const kr_proto *p = (const kr_proto *)env; kr_list *l = kr_list_new(p->size / (int64_t)sizeof(${et}), sizeof(${et})); if (!l) return -1; if (p->size) memcpy(l->data, p->bytes, (size_t)p->size); *(kr_list **)out = l; return 0; }`);
      }
      // A dict of ints may be a Counter (types/ops/dicts.ts: Counter(), Counter(xs)).
      if (v === 'i64') out.push(`KR_COUNTER_DEFINE(${containerName(t)})`);
    } else if (t.kind === 'set') {
      const k = containerKind(t.item, 'key')!;
      out.push(`KR_SET_DEFINE(${containerName(t)}, ${containerCType(t.item)}, ${k})`);
    } else if (t.kind === 'deque') {
      out.push(`KR_DEQUE_DEFINE(${containerName(t)}, ${containerCType(t.item)}, ${containerKind(t.item, 'key')!})`);
    }
  }
  out.push(
    '/* The state of a for loop over a dict (its keys, values or items) or a set: the runtime\'s iterator, which owns a',
    ' * reference to the container, and the current entry (borrowed: read at the top of the loop body). */',
    'typedef struct kr_loop { kr_obj ob; kr_dict_iter di; kr_set_iter si; char *entry; } kr_loop;',
    'static void kr_loop_clear(kr_obj *o) {',
    '  kr_loop *l = (kr_loop *)o;',
    '  if (l->di.d) kr_dict_iter_end(&l->di);',
    '  if (l->si.s) kr_set_iter_end(&l->si);',
    '}',
    'static const kr_type kr_loop_type = { "iterator", NULL, 0, sizeof(kr_loop), NULL, kr_loop_clear, NULL };',
    'static KR_UNUSED kr_loop *kr_loop_new_dict(kr_dict *d) {',
    '  kr_loop *l = (kr_loop *)kr_obj_new(&kr_loop_type, 0); if (!l) return NULL;',
    '  memset(&l->si, 0, sizeof l->si); l->entry = NULL; kr_dict_iter_init(&l->di, d); return l;',
    '}',
    'static KR_UNUSED kr_loop *kr_loop_new_set(kr_set *s) {',
    '  kr_loop *l = (kr_loop *)kr_obj_new(&kr_loop_type, 0); if (!l) return NULL;',
    '  memset(&l->di, 0, sizeof l->di); l->entry = NULL; kr_set_iter_init(&l->si, s); return l;',
    '}',
    '',
  );
  return out;
}
