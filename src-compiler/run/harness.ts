/**
 * The native harness: a small C program, built with the generated library for any target, that reads
 * one call per line on stdin, calls the exported function and prints the result (exact bits) or the
 * Python exception, then ` ; <len> <items>` for each list parameter and ` ; <ndim> <shape...> <values>` for each
 * array parameter: its final state (lists and arrays are in-out: Python's caller sees append, pop, sort,
 * xs[i] = v, a[::2] = 0, a *= k, also when the call raised). `@bench N name args` times N calls with no interpreter in the loop.
 */
import { RANDOM_SEED_SYMBOL, VERIFY_RANDOM_SEED } from '../lower/random.ts';
import { abiParamType, abiReturnType, recordAsTuple, flatContainerName, flatItemC, handleName, hasObjectValues, harnessName, instanceClassOf, instanceTransportProblem, isArrayDict, isFlatContainer, isRowList, isStrList, isWeightTree, takesArrayDict, textKind, weightTreeLeaf, withVariants, type CUnit, type DictType, type ExportedFunction, type HandleApi } from '../lower/abi.ts';
import { OBJECT_DEPTH } from './values.ts';
import { SCALARS, cType, listStructName, unionField, unionTag, type KType, type ScalarName } from '../types/types.ts';

/** How the harness reads/writes one element of a dtype: 0 f64, 1 f32, 2 bool, 3 signed int, 4 unsigned int. */
/** The element kind rd_elem/wr_elem take: 0 float64, 1 float32, 2 bool, 3 signed, 4 unsigned, 5 complex (two float64). */
function elemKind(name: ScalarName | 'complex'): number {
  if (name === 'complex' || name === 'complex128') return 5;
  if (name === 'float' || name === 'float64') return 0;
  if (name === 'float32') return 1;
  if (name === 'bool') return 2;
  return SCALARS[name].signed ? 3 : 4;
}

/** The element kind of a list's items (an empty list's unknown item: int). */
const listItemKind = (t: KType): number => (t.kind === 'scalar' ? elemKind(t.name) : t.kind === 'complex' ? 5 : 3);

/** C that reads a value of type `t` into `path` (a union: its tag, then the member's tokens). */
function readValue(t: KType, path: string): string[] {
  if (t.kind === 'tuple') return t.items.flatMap((it, i) => readValue(it, `${path}.f${i}`));
  if (t.kind === 'scalar') return [`${path} = ${reader(t)};`];
  if (t.kind === 'complex') return [`${path}.re = rd_f64();`, `${path}.im = rd_f64();`];
  if (t.kind !== 'union') return [];
  const lines = [`${path}.tag = (uint8_t)rd_i64();`];
  t.members.filter((m) => m.kind !== 'none').forEach((m, k) => {
    lines.push(`${k ? 'else ' : ''}if (${path}.tag == ${unionTag(t, m)}) { ${readValue(m, `${path}.v.${unionField(t, m)}`).join(' ')} }`);
  });
  return lines;
}

/**
 * C that prints a value of type `t` held in `path` in the wire format (values.ts decodeFromHarness reads it back): a
 * union's tag, then the member's tokens; arrays and lists (also nested, in tuples) as the ABI holds them.
 */
function writeValue(t: KType, path: string): string[] {
  if (t.kind === 'record') return writeValue(recordAsTuple(t), path); // its values, in the keys' order (values.ts reads the dict)
  if (t.kind === 'tuple') return t.items.flatMap((it, i) => writeValue(it, `${path}.f${i}`));
  if (t.kind === 'scalar') return [writer(t, path)];
  if (t.kind === 'complex') return [`wr_f64(${path}.re); wr_f64(${path}.im);`];
  if (t.kind === 'array') return [`wr_array(${path}.data, ${path}.shape, ${t.ndim}, ${elemKind(t.dtype)}, sizeof(*${path}.data));`];
  if (textKind(t)) return [`wr_text(${path}.data, ${path}.len);`];
  if (isStrList(t)) return [`wr_strs(${path}.data, ${path}.len);`];
  if (isFlatContainer(t)) return writeContainer(t, path);
  if (isArrayDict(t)) return [writeArrayDict(t as DictType, path, 0)];
  if (t.kind === 'list' && t.item.kind === 'list' && !isRowList(t)) {
    const kind = listItemKind(t.item.item);
    return [`printf(" %lld", (long long)${path}.len); for (int64_t kr = 0; kr < ${path}.len; kr++) wr_list(${path}.data[kr].data, ${path}.data[kr].len, ${kind}, sizeof(*${path}.data[kr].data));`];
  }
  // Rows (tuples or records of numbers and str): <len>, then each row's values (values.ts reads a record as the dict).
  if (isRowList(t)) {
    const kr = rowIndex(path);
    return [`printf(" %lld", (long long)${path}.len); for (int64_t ${kr} = 0; ${kr} < ${path}.len; ${kr}++) { ${writeValue(t.item, `${path}.data[${kr}]`).join(' ')} }`];
  }
  if (t.kind === 'list') return [`wr_list(${path}.data, ${path}.len, ${listItemKind(t.item)}, sizeof(*${path}.data));`];
  if (t.kind !== 'union') return [];
  const lines = [`printf(" %d", (int)${path}.tag);`];
  t.members.filter((m) => m.kind !== 'none').forEach((m, k) => {
    lines.push(`${k ? 'else ' : ''}if (${path}.tag == ${unionTag(t, m)}) { ${writeValue(m, `${path}.v.${unionField(t, m)}`).join(' ')} }`);
  });
  return lines;
}

/** The arrays of a dict (keys, values), set or deque (items) as the ABI holds them: [field, item type]. */
const containerFields = (t: KType): [string, KType][] =>
  (t.kind === 'dict' ? [['keys', t.key], ['values', t.value]] : t.kind === 'set' || t.kind === 'deque' ? [['items', t.item]] : []);

/**
 * C that prints a dict, set or deque (a flat ABI struct at `path`): <len>, then each item's key and value tokens (a
 * list value as a list, an inner dict as a dict); a deque's maxlen last. Loop variables kr, kr1 by depth.
 */
function writeContainer(t: KType, path: string, d = 0): string[] {
  const fs = containerFields(t), k = d ? `kr${d}` : 'kr';
  const item = (f: string, it: KType) => (it.kind === 'str' ? `wr_hex(${path}.${f}[${k}].data, ${path}.${f}[${k}].len);`
    : it.kind === 'tuple' ? writeValue(it, `${path}.${f}[${k}]`).join(' ')
    : isStrList(it) ? `wr_strs(${path}.${f}[${k}].data, ${path}.${f}[${k}].len);`
    : it.kind === 'list' ? `wr_list(${path}.${f}[${k}].data, ${path}.${f}[${k}].len, ${listItemKind(it.item)}, sizeof(*${path}.${f}[${k}].data));`
    : it.kind === 'dict' || it.kind === 'set' ? writeContainer(it, `${path}.${f}[${k}]`, d + 1).join(' ') : writer(it, `${path}.${f}[${k}]`));
  return [`printf(" %lld", (long long)${path}.len); for (int64_t ${k} = 0; ${k} < ${path}.len; ${k}++) { ${fs.map(([f, it]) => item(f, it)).join(' ')} }${t.kind === 'deque' ? ` printf(" %lld", (long long)${path}.maxlen);` : ''}`];
}

/** C that reads a dict, set or deque into the flat ABI struct at `path` (buffers of the harness, freed by freeContainer with free). */
function readContainer(t: KType, path: string, d = 0): string[] {
  const fs = containerFields(t), k = d ? `kr${d}` : 'kr', k1 = `kr${d + 1}`;
  const lines = [`${path}.len = rd_i64();`];
  for (const [f, it] of fs) lines.push(`${path}.${f} = (${flatItemC(it)} *)calloc((size_t)(${path}.len > 0 ? ${path}.len : 1), sizeof(${flatItemC(it)}));`);
  if (hasObjectValues(t)) lines.push(`${path}.origin = NULL;`);
  if (t.kind !== 'deque') lines.push(`${path}.index = NULL;`);
  const item = (f: string, it: KType) => {
    const x = `${path}.${f}[${k}]`;
    if (it.kind === 'str') return `${x}.data = rd_hex(&${x}.len);`;
    if (it.kind === 'tuple') return readValue(it, x).join(' ');
    if (isStrList(it)) return `${x}.len = rd_i64(); ${x}.data = (kiln_str *)calloc((size_t)(${x}.len > 0 ? ${x}.len : 1), sizeof(kiln_str)); for (int64_t ${k1} = 0; ${k1} < ${x}.len; ${k1}++) ${x}.data[${k1}].data = rd_hex(&${x}.data[${k1}].len);`;
    if (it.kind === 'list') return `${x}.data = rd_list(${listItemKind(it.item)}, sizeof(*${x}.data), &${x}.len);`;
    if (it.kind === 'dict' || it.kind === 'set') return readContainer(it, x, d + 1).join(' ');
    return it.kind === 'complex' ? `${x}.re = rd_f64(); ${x}.im = rd_f64();` : `${x} = ${reader(it)};`;
  };
  lines.push(`for (int64_t ${k} = 0; ${k} < ${path}.len; ${k}++) { ${fs.map(([f, it]) => item(f, it)).join(' ')} }`);
  if (t.kind === 'deque') lines.push(`${path}.maxlen = rd_i64();`);
  return lines;
}

/**
 * C that reads a dict of arrays (nested dicts of them too) into the ABI struct at `path`: <len>, then per item its key
 * (x<hex>) and its value (an array as an array parameter's, any layout; or the inner dict). Every buffer is held
 * (hold_buf) and freed after the call (free_held). Loop variables kr<depth>.
 */
function readArrayDict(t: DictType, path: string, d: number): string {
  const k = `kr${d}`, vt = t.value.kind === 'array' ? `kiln_array_${t.value.dtype}` : flatContainerName(t.value);
  const value = t.value.kind === 'array'
    ? `hold_buf(rd_array(${t.value.ndim}, ${elemKind(t.value.dtype)}, sizeof(${SCALARS[t.value.dtype].c}), (void **)&${path}.values[${k}].data, ${path}.values[${k}].shape, ${path}.values[${k}].strides));`
    : readArrayDict(t.value as DictType, `${path}.values[${k}]`, d + 1);
  return `${path}.len = rd_i64(); ${path}.keys = (kiln_str *)hold_buf(calloc((size_t)(${path}.len > 0 ? ${path}.len : 1), sizeof(kiln_str))); `
    + `${path}.values = (${vt} *)hold_buf(calloc((size_t)(${path}.len > 0 ? ${path}.len : 1), sizeof(${vt}))); `
    + `for (int64_t ${k} = 0; ${k} < ${path}.len; ${k}++) { ${path}.keys[${k}].data = (char *)hold_buf(rd_hex(&${path}.keys[${k}].len)); ${value} }`;
}

/**
 * rd_tree_<dtype>: a weight-tree argument (abi.ts isWeightTree) read into kiln_tree_<dtype> nodes as values.ts
 * encodeTree writes it: `0 <array>`, `1 <len>` then key and node per item, `2 <len>` then nodes. Buffers are held.
 */
function treeReaders(unit: CUnit): string {
  const trees = unit.exports.flatMap(withVariants).flatMap((e) => e.params.filter((p) => isWeightTree(p.type)));
  const dtypes = new Set(trees.map((p) => weightTreeLeaf(p.type).dtype));
  return [...dtypes].map((dt) => `static void rd_tree_${dt}(kiln_tree_${dt} *node) {
  memset(node, 0, sizeof *node);
  node->kind = rd_i64();
  if (node->kind == 0) { hold_buf(rd_array(-1, ${elemKind(dt)}, sizeof(${SCALARS[dt].c}), (void **)&node->array.data, node->array.shape, node->array.strides)); return; }
  node->len = rd_i64();
  kiln_tree_${dt} *items = (kiln_tree_${dt} *)hold_buf(calloc((size_t)(node->len > 0 ? node->len : 1), sizeof(kiln_tree_${dt})));
  kiln_str *keys = node->kind == 1 ? (kiln_str *)hold_buf(calloc((size_t)(node->len > 0 ? node->len : 1), sizeof(kiln_str))) : NULL;
  for (int64_t k = 0; k < node->len; k++) { if (keys) keys[k].data = (char *)hold_buf(rd_hex(&keys[k].len)); rd_tree_${dt}(&items[k]); }
  node->keys = keys; node->items = items;
}
`).join('');
}

/** C that prints a dict of arrays at `path` as the wire has it (values.ts decodeFromHarness: <len>, then each key and value). */
function writeArrayDict(t: DictType, path: string, d: number): string {
  const k = `kr${d}`, v = `${path}.values[${k}]`;
  const value = t.value.kind === 'array'
    ? `wr_array_view(${v}.data, ${v}.shape, ${v}.strides, ${t.value.ndim}, ${elemKind(t.value.dtype)}, sizeof(*${v}.data));`
    : writeArrayDict(t.value as DictType, v, d + 1);
  return `printf(" %lld", (long long)${path}.len); for (int64_t ${k} = 0; ${k} < ${path}.len; ${k}++) { wr_hex(${path}.keys[${k}].data, ${path}.keys[${k}].len); ${value} }`;
}

/** C that frees a dict of arrays the library handed over (each key's and array's data, inner dicts alike, then keys and values). */
function freeArrayDict(t: DictType, path: string, d: number): string {
  const k = `kr${d}`, v = `${path}.values[${k}]`;
  const value = t.value.kind === 'array' ? `kiln_free(${v}.data);` : freeArrayDict(t.value as DictType, v, d + 1);
  return `for (int64_t ${k} = 0; ${k} < ${path}.len; ${k}++) { kiln_free(${path}.keys[${k}].data); ${value} } kiln_free(${path}.keys); kiln_free(${path}.values);`;
}

/**
 * C that frees a dict, set or deque: one the library handed over (`release` kiln_free: each str item's data, each list
 * value's items, an inner dict's arrays, then each array and the origin), or the harness's own input (free).
 */
function freeContainer(t: KType, path: string, release = 'kiln_free', d = 0): string[] {
  const k = d ? `kr${d}` : 'kr', k1 = `kr${d + 1}`;
  const each = (f: string, it: KType): string => {
    const x = `${path}.${f}[${k}]`;
    if (it.kind === 'str' || (it.kind === 'list' && !isStrList(it))) return `${release}(${x}.data);`;
    if (isStrList(it)) return `if (${x}.data) { for (int64_t ${k1} = 0; ${k1} < ${x}.len; ${k1}++) ${release}(${x}.data[${k1}].data); } ${release}(${x}.data);`;
    return it.kind === 'dict' || it.kind === 'set' ? freeContainer(it, x, release, d + 1).join(' ') : '';
  };
  return [...containerFields(t).map(([f, it]) => (each(f, it)
    ? `if (${path}.${f}) { for (int64_t ${k} = 0; ${k} < ${path}.len; ${k}++) { ${each(f, it)} } } ${release}(${path}.${f});`
    : `${release}(${path}.${f});`)), ...(hasObjectValues(t) ? [`${release}(${path}.origin);`] : [])];
}

function reader(t: KType): string {
  if (t.kind !== 'scalar') return '0';
  switch (t.name) {
    case 'float': case 'float64': return 'rd_f64()';
    case 'float32': return 'rd_f32()';
    case 'bool': return '(bool)rd_i64()';
    case 'uint64': return 'rd_u64()';
    default: return `(${cType(t)})rd_i64()`;
  }
}

function writer(t: KType, e: string): string {
  if (t.kind === 'complex') return `wr_f64((${e}).re); wr_f64((${e}).im);`;
  if (t.kind !== 'scalar') return '';
  switch (t.name) {
    case 'float': case 'float64': return `wr_f64(${e});`;
    case 'float32': return `wr_f32(${e});`;
    case 'uint64': return `printf(" %llu", (unsigned long long)(${e}));`;
    case 'bool': return `printf(" %d", (int)(${e}));`;
    default: return `printf(" %lld", (long long)(${e}));`;
  }
}

/** The tag of a number in an instance's field on the wire (values.ts `decodeField`): i, f or b. */
const numberTag = (t: KType): string => (t.kind === 'scalar' && t.name === 'float' ? 'f' : t.kind === 'scalar' && t.name === 'bool' ? 'b' : 'i');

/**
 * C that writes instances field by field through the handle API (`wr_obj_<handle>`: `n`, `!` past OBJECT_DEPTH, or
 * `o <Class> <module> <n>` and n pairs of a field's name and its tagged value) and makes them from the wire
 * (`rd_obj_<handle>`: `n`, or `o` and each field's tagged value in the class's order, through kiln_<Class>_new).
 * The wire format is values.ts's (encodeForHarness, decodeFromHarness).
 */
function objectCodecs(classes: HandleApi[]): string {
  if (!classes.length) return '';
  const lines: string[] = ['/* Class instances, field by field through the handle API. */'];
  for (const h of classes) if (!h.generator) lines.push(`static void wr_obj_${h.handle}(const ${h.handle} *o, int depth);`, `static void rd_obj_${h.handle}(${h.handle} **out);`);
  const isHandle = (t: KType) => instanceClassOf(t);
  for (const h of classes) {
    if (h.generator) {
      lines.push(...generatorCodec(h));
      continue;
    }
    lines.push(`static void wr_obj_${h.handle}(const ${h.handle} *o, int depth) {`, '  int n = 0;', '  if (!o) { printf(" n"); return; }',
      `  if (depth >= ${OBJECT_DEPTH}) { printf(" !"); return; }`);
    h.fields.forEach((f, k) => {
      const c = isHandle(f.type) ? `${handleName(isHandle(f.type)!)} *` : f.type.kind === 'str' ? 'kiln_str' : cType(f.type);
      lines.push(`  ${c} v${k}; memset(&v${k}, 0, sizeof v${k}); int s${k} = ${h.handle}_get_${f.name}(o, &v${k}) == 0; n += s${k};`);
    });
    lines.push(`  printf(" o ${h.python} ${h.module} %d", n);`);
    h.fields.forEach((f, k) => {
      const cls = isHandle(f.type);
      const t = f.type;
      const write = cls ? `wr_obj_${handleName(cls)}(v${k}, depth + 1); if (v${k}) ${handleName(cls)}_free(v${k});`
        : f.type.kind === 'str' ? `printf(" s"); wr_hex(v${k}.data, v${k}.len); kiln_free(v${k}.data);`
          : t.kind === 'union' ? t.members.map((m, j) => `${j ? 'else ' : ''}if (v${k}.tag == ${unionTag(t, m)}) { printf(" ${numberTag(m)}"); ${writer(m, `v${k}.v.${unionField(t, m)}`)} }`).join(' ')
            : `printf(" ${numberTag(f.type)}"); ${writer(f.type, `v${k}`)}`;
      lines.push(`  if (s${k}) { printf(" ${f.name}"); ${write} }`);
    });
    lines.push('}');
    lines.push(`static void rd_obj_${h.handle}(${h.handle} **out) {`, '  *out = NULL;', '  if (strcmp(next_token(), "n") == 0) return;');
    const args: string[] = [];
    const after: string[] = [];
    h.fields.forEach((f, k) => {
      const cls = isHandle(f.type);
      if (cls) {
        lines.push(`  ${handleName(cls)} *v${k}; rd_obj_${handleName(cls)}(&v${k});`);
        args.push(`v${k}`);
        after.push(`if (v${k}) ${handleName(cls)}_free(v${k});`);
      } else if (f.type.kind === 'str') {
        lines.push(`  int64_t v${k}_len; next_token(); char *v${k} = rd_hex(&v${k}_len);`);
        args.push(`v${k}, v${k}_len`);
        after.push(`free(v${k});`);
      } else if (f.type.kind === 'union') {
        const t = f.type;
        lines.push(`  ${cType(t)} v${k}; memset(&v${k}, 0, sizeof v${k});`, `  { char *tag = next_token(); ${t.members.map((m, j) => `${j ? 'else ' : ''}if (tag[0] == '${numberTag(m)}') { v${k}.tag = ${unionTag(t, m)}; v${k}.v.${unionField(t, m)} = ${reader(m)}; }`).join(' ')} }`);
        args.push(`v${k}`);
      } else {
        lines.push(`  ${cType(f.type)} v${k}; next_token(); v${k} = ${reader(f.type)};`);
        args.push(`v${k}`);
      }
    });
    lines.push(`  int rc = ${h.handle}_new(${[...args, 'out'].join(', ')});`, ...after.map((l) => `  ${l}`),
      `  if (rc) { printf("bad object-argument ${h.python}: %s\\n", kiln_error_message()); fflush(stdout); exit(3); }`, '}');
  }
  return lines.join('\n') + '\n';
}

/** At most this many items of a generator a function returns are compared (kiln_reference.py GENERATOR_ITEMS). */
const GENERATOR_ITEMS = 1000;

/**
 * A generator an exported function returns (its frames' handle): `gen_run_<h>` reads its items (kiln_<frames>__next,
 * then the item's getter) into a buffer, up to GENERATOR_ITEMS and one more, and returns the error it raised, if any;
 * `gen_write_<h>` writes them as an instance `o generator builtins <n>` whose fields are "0", "1", ... (and "more"
 * when there were more), as kiln_reference.py encodes a generator, and frees them.
 */
function generatorCodec(h: HandleApi): string[] {
  const item = h.generator!.item!;
  const cls = instanceClassOf(item);
  const c = cls ? `${handleName(cls)} *` : item.kind === 'str' ? 'kiln_str' : cType(item);
  const next = h.methods!.find((m) => m.name === 'next')!.symbol;
  const write = cls ? `wr_obj_${handleName(cls)}(g->items[k], 1); if (g->items[k]) ${handleName(cls)}_free(g->items[k]);`
    : item.kind === 'str' ? 'printf(" s"); wr_hex(g->items[k].data, g->items[k].len); kiln_free(g->items[k].data);'
      : item.kind === 'union' ? item.members.map((m, j) => `${j ? 'else ' : ''}if (g->items[k].tag == ${unionTag(item, m)}) { printf(" ${numberTag(m)}"); ${writer(m, `g->items[k].v.${unionField(item, m)}`)} }`).join(' ')
        : `printf(" ${numberTag(item)}"); ${writer(item, 'g->items[k]')}`;
  const drop = cls ? `if (g->items[k]) ${handleName(cls)}_free(g->items[k]);` : item.kind === 'str' ? 'kiln_free(g->items[k].data);' : '';
  return [
    `typedef struct { ${c} items[${GENERATOR_ITEMS}]; int n; int more; } gen_items_${h.handle};`,
    `static int gen_run_${h.handle}(${h.handle} *r, gen_items_${h.handle} *g) {`,
    '  g->n = 0; g->more = 0;',
    '  for (;;) {',
    `    bool made = 0; int rc = ${next}(r, &made);`,
    '    if (rc) return rc;',
    '    if (!made) return 0;',
    `    if (g->n == ${GENERATOR_ITEMS}) { g->more = 1; return 0; }`,
    `    memset(&g->items[g->n], 0, sizeof g->items[g->n]); rc = ${h.handle}_get_${h.fields[0].name}(r, &g->items[g->n]);`,
    '    if (rc) return rc;',
    '    g->n++;',
    '  }',
    '}',
    `static void gen_write_${h.handle}(gen_items_${h.handle} *g) {`,
    '  printf(" o generator builtins %d", g->n + g->more);',
    `  for (int k = 0; k < g->n; k++) { printf(" %d", k); ${write} }`,
    '  if (g->more) printf(" more b 1");',
    '}',
    `static void gen_free_${h.handle}(gen_items_${h.handle} *g) {`,
    `  for (int k = 0; k < g->n; k++) { ${drop} }`,
    '  g->n = 0;',
    '}',
  ];
}

/** The classes whose instances the harness reads and writes: those of the functions it calls. */
const harnessClasses = (exports: ExportedFunction[]): HandleApi[] => {
  const out = new Map<string, HandleApi>();
  for (const e of exports) for (const h of [...e.handles ?? [], ...e.exceptionHandles ?? []]) out.set(h.handle, h);
  return [...out.values()];
};

/**
 * ` @ <instance>` after an error's head: the fields of the instance an exception class with fields carried out of the
 * call (kiln_error_object), written as any instance (objectCodecs), chosen by the class name kiln_error_type() gives.
 */
function errorObjectWriter(exports: ExportedFunction[]): string {
  const classes = new Map<string, HandleApi>();
  for (const e of exports) for (const h of e.exceptionHandles ?? []) classes.set(h.python, h);
  const cases = [...classes.values()].map((h) => `  if (strcmp(t, "${h.python}") == 0) { printf(" @"); wr_obj_${h.handle}((const ${h.handle} *)o, 0); }`);
  return `static void wr_err_object(void) {
${cases.length ? `  const void *o = kiln_error_object();
  const char *t = kiln_error_type();
  if (!o) return;
${cases.join('\n')}
` : ''}}
`;
}

export function harnessSource(unit: CUnit): string {
  // Compiled code's module-level random generator starts each case seeded as the CPython side's (lower/random.ts).
  const reseed = unit.header.includes(`${RANDOM_SEED_SYMBOL}(`) ? `    ${RANDOM_SEED_SYMBOL}(${VERIFY_RANDOM_SEED});\n` : '';
  // Functions whose class instances cannot be carried field by field (instanceTransportProblem) are not called.
  const called = unit.exports.flatMap(withVariants).filter((e) => !instanceTransportProblem(e));
  const cases = called.map((e) => callCase(e) + (e.bigArgs ? `\n${bigArgsCase(e)}` : '')).join('\n');
  const nested = unit.exports.flatMap(withVariants).some((e) => holdsBuffers(e.returnType) || e.params.some((p) => p.type.kind === 'list' && p.type.item.kind === 'list'));
  const nestedRows = nested ? `/* The rows of a list of lists the library returned (kiln_list_<item> is { int64_t len; T *data; }), and their buffers. */
typedef struct { int64_t len; void *data; } harness_row;
static void free_rows(void *rows, int64_t n) {
  if (!rows) return;
  for (int64_t r = 0; r < n; r++) kiln_free(((harness_row *)rows)[r].data);
  kiln_free(rows);
}
` : '';
  // Dicts of arrays: every buffer read for one call (keys, arrays, the structs' arrays), freed after it.
  const held = unit.exports.flatMap(withVariants).some(takesArrayDict) ? `/* The buffers a dict-of-arrays argument was read into, freed after the call (free_held). */
static void **held_bufs; static int64_t held_n, held_cap;
static void *hold_buf(void *p) {
  if (held_n == held_cap) { held_cap = held_cap ? 2 * held_cap : 64; held_bufs = (void **)realloc(held_bufs, (size_t)held_cap * sizeof(void *)); if (!held_bufs) { printf("bad out-of-memory\\n"); exit(3); } }
  held_bufs[held_n++] = p;
  return p;
}
static void free_held(void) { while (held_n > 0) free(held_bufs[--held_n]); }
` : '';
  // Lists of str (only in a unit that has the ABI's string types: free_strs calls kiln_free).
  const strLists = unit.header.includes('KILN_ABI_STR_TYPES') ? `/* A list of str: <len> x<hex>...; a kiln_list_str's items are { char *data; int64_t len; }. */
typedef struct { char *data; int64_t len; } harness_str;
static void wr_strs(const void *data, int64_t len) {
  printf(" %lld", (long long)len);
  for (int64_t i = 0; i < len; i++) wr_hex(((const harness_str *)data)[i].data, ((const harness_str *)data)[i].len);
}
/* Frees a list of str the library handed back (each item's data, then the array). */
static void free_strs(void *data, int64_t len) {
  if (!data) return;
  for (int64_t i = 0; i < len; i++) kiln_free(((harness_str *)data)[i].data);
  kiln_free(data);
}
` : '';
  return `/* Kiln's native harness for ${unit.sourceName}: one call per line on stdin, one result per line on stdout. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <stdbool.h>
#include <time.h>
#ifdef _WIN32
#include <windows.h>
#include <fcntl.h>
#include <io.h>
#endif
#include "${unit.headerName}"

static char *read_line(void) {
  static char *buf = NULL;
  static size_t cap = 0;
  size_t len = 0;
  if (!buf) { cap = 1 << 16; buf = (char *)malloc(cap); if (!buf) return NULL; }
  for (;;) {
    if (!fgets(buf + len, (int)(cap - len), stdin)) return len ? buf : NULL;
    len += strlen(buf + len);
    if (len && buf[len - 1] == '\\n') return buf;
    if (len + 1 >= cap) { char *g = (char *)realloc(buf, cap * 2); if (!g) return NULL; buf = g; cap *= 2; }
  }
}
static char *next_token(void) {
  char *t = strtok(NULL, " \\t\\r\\n");
  if (!t) { printf("bad missing-argument\\n"); fflush(stdout); exit(3); }
  return t;
}
static int64_t rd_i64(void) { return (int64_t)strtoll(next_token(), NULL, 10); }
static uint64_t rd_u64(void) { return (uint64_t)strtoull(next_token(), NULL, 10); }
static double rd_f64(void) { uint64_t b = (uint64_t)strtoull(next_token(), NULL, 16); double d; memcpy(&d, &b, 8); return d; }
static float rd_f32(void) { uint32_t b = (uint32_t)strtoul(next_token(), NULL, 16); float f; memcpy(&f, &b, 4); return f; }
static void wr_f64(double d) { uint64_t b; memcpy(&b, &d, 8); printf(" 0x%016llx", (unsigned long long)b); }
static void wr_f32(float f) { uint32_t b; memcpy(&b, &f, 4); printf(" 0x%08lx", (unsigned long)b); }
/* One element of kind k (see elemKind) and size es, read into p / written from p. */
static void rd_elem(void *p, int k, size_t es) {
  switch (k) {
    case 0: { double d = rd_f64(); memcpy(p, &d, 8); break; }
    case 5: { double d[2]; d[0] = rd_f64(); d[1] = rd_f64(); memcpy(p, d, 16); break; } /* complex: re, im */
    case 1: { float f = rd_f32(); memcpy(p, &f, 4); break; }
    case 2: { bool b = rd_i64() != 0; memcpy(p, &b, sizeof b); break; }
    case 3: { int64_t v = rd_i64(); if (es == 1) { int8_t x = (int8_t)v; memcpy(p, &x, 1); } else if (es == 2) { int16_t x = (int16_t)v; memcpy(p, &x, 2); } else if (es == 4) { int32_t x = (int32_t)v; memcpy(p, &x, 4); } else memcpy(p, &v, 8); break; }
    default: { uint64_t v = rd_u64(); if (es == 1) { uint8_t x = (uint8_t)v; memcpy(p, &x, 1); } else if (es == 2) { uint16_t x = (uint16_t)v; memcpy(p, &x, 2); } else if (es == 4) { uint32_t x = (uint32_t)v; memcpy(p, &x, 4); } else memcpy(p, &v, 8); break; }
  }
}
static void wr_elem(const void *p, int k, size_t es) {
  switch (k) {
    case 0: { double d; memcpy(&d, p, 8); wr_f64(d); break; }
    case 5: { double d[2]; memcpy(d, p, 16); wr_f64(d[0]); wr_f64(d[1]); break; }
    case 1: { float f; memcpy(&f, p, 4); wr_f32(f); break; }
    case 2: { bool b; memcpy(&b, p, sizeof b); printf(" %d", (int)b); break; }
    case 3: { long long v = es == 1 ? *(const int8_t *)p : es == 2 ? *(const int16_t *)p : es == 4 ? *(const int32_t *)p : *(const int64_t *)p; printf(" %lld", v); break; }
    default: { unsigned long long v = es == 1 ? *(const uint8_t *)p : es == 2 ? *(const uint16_t *)p : es == 4 ? *(const uint32_t *)p : *(const uint64_t *)p; printf(" %llu", v); break; }
  }
}
/* <layout> <ndim> <shape...> <values in C order>: layout 0 contiguous, 1 every axis reversed (negative
   strides), 2 every other item of the last axis (a non-contiguous view). Returns the buffer to free. */
static void *rd_array(int nd_expected, int k, size_t es, void **data, int64_t *shape, int64_t *strides) {
  int layout = (int)rd_i64(), nd = (int)rd_i64();
  if (nd_expected >= 0 && nd != nd_expected) { printf("bad array-dimensions\\n"); fflush(stdout); exit(3); } /* -1: a weight tree's array, any rank */
  int64_t n = 1, phys[3] = {1, 1, 1}, cs[3] = {0, 0, 0};
  for (int d = 0; d < 3; d++) { shape[d] = 1; strides[d] = 0; }
  for (int d = 0; d < nd; d++) { shape[d] = rd_i64(); n *= shape[d]; phys[d] = shape[d]; }
  if (layout == 2) phys[nd - 1] *= 2;
  int64_t s = 1;
  for (int d = nd - 1; d >= 0; d--) { cs[d] = s; s *= phys[d] > 0 ? phys[d] : 1; }
  char *buf = (char *)calloc((size_t)(s > 0 ? s : 1), es);
  char *base = buf;
  for (int d = 0; d < nd; d++) strides[d] = layout == 1 ? -cs[d] : layout == 2 && d == nd - 1 ? 2 : cs[d];
  if (layout == 2 && nd > 0) for (int d = 0; d < nd - 1; d++) strides[d] = cs[d];
  if (layout == 1 && n > 0) base = buf + (size_t)(n - 1) * es;
  int64_t sh3[3] = {1, 1, 1}, st3[3] = {0, 0, 0};
  for (int d = 0; d < nd; d++) { sh3[3 - nd + d] = shape[d]; st3[3 - nd + d] = strides[d]; }
  for (int64_t i0 = 0; i0 < sh3[0]; i0++) for (int64_t i1 = 0; i1 < sh3[1]; i1++) for (int64_t i2 = 0; i2 < sh3[2]; i2++)
    rd_elem(base + (i0 * st3[0] + i1 * st3[1] + i2 * st3[2]) * (int64_t)es, k, es);
  *data = base;
  return buf;
}
static void wr_array(const void *data, const int64_t *shape, int nd, int k, size_t es) {
  int64_t n = 1;
  printf(" %d", nd);
  for (int d = 0; d < nd; d++) { printf(" %lld", (long long)shape[d]); n *= shape[d]; }
  for (int64_t i = 0; i < n; i++) wr_elem((const char *)data + i * (int64_t)es, k, es);
}
/* An array parameter after the call, through its own shape and strides (a view of the harness's buffer). */
static void wr_array_view(const void *data, const int64_t *shape, const int64_t *strides, int nd, int k, size_t es) {
  int64_t sh3[3] = {1, 1, 1}, st3[3] = {0, 0, 0};
  printf(" %d", nd);
  for (int d = 0; d < nd; d++) { printf(" %lld", (long long)shape[d]); sh3[3 - nd + d] = shape[d]; st3[3 - nd + d] = strides[d]; }
  for (int64_t i0 = 0; i0 < sh3[0]; i0++) for (int64_t i1 = 0; i1 < sh3[1]; i1++) for (int64_t i2 = 0; i2 < sh3[2]; i2++)
    wr_elem((const char *)data + (i0 * st3[0] + i1 * st3[1] + i2 * st3[2]) * (int64_t)es, k, es);
}
static void *rd_list(int k, size_t es, int64_t *len) {
  *len = rd_i64();
  char *buf = (char *)calloc((size_t)(*len > 0 ? *len : 1), es);
  for (int64_t i = 0; i < *len; i++) rd_elem(buf + i * (int64_t)es, k, es);
  return buf;
}
/* x<hex>: a str's UTF-8 or a bytes value, into a new NUL-terminated buffer and its length. */
static int hexval(char c) { return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1; }
static char *hex_token(char *t, int64_t *len);
static char *rd_hex(int64_t *len) { return hex_token(next_token(), len); }
static char *hex_token(char *t, int64_t *len) {
  if (t[0] != 'x') { printf("bad string-token\\n"); fflush(stdout); exit(3); }
  size_t n = strlen(t + 1) / 2;
  char *buf = (char *)malloc(n + 1);
  for (size_t i = 0; i < n; i++) buf[i] = (char)(hexval(t[1 + 2 * i]) * 16 + hexval(t[2 + 2 * i]));
  buf[n] = 0;
  *len = (int64_t)n;
  return buf;
}
static void wr_hex(const void *p, int64_t n) {
  static const char digits[] = "0123456789abcdef";
  putchar(' '); putchar('x');
  for (int64_t i = 0; i < n; i++) { unsigned char c = ((const unsigned char *)p)[i]; putchar(digits[c >> 4]); putchar(digits[c & 15]); }
}
/* str | None: "-" for None (a NULL pointer), else x<hex>. */
static char *rd_opt_hex(int64_t *len) {
  char *t = next_token();
  if (strcmp(t, "-") == 0) { *len = 0; return NULL; }
  return hex_token(t, len);
}
static void wr_text(const void *p, int64_t n) { if (!p) printf(" -"); else wr_hex(p, n); }
${strLists}static void wr_list(const void *data, int64_t len, int k, size_t es) {
  printf(" %lld", (long long)len);
  for (int64_t i = 0; i < len; i++) wr_elem((const char *)data + i * (int64_t)es, k, es);
}
${nestedRows}${held}${treeReaders(unit)}${objectCodecs(harnessClasses(called))}${errorObjectWriter(called)}/* An error line is "err <type> <nframes> <function:line>... [; <list param's final state>]... [@ <the exception's instance>] | <message>". */
static void wr_err_head(void) {
  printf("err %s %d", kiln_error_type(), kiln_error_frame_count());
  for (int i = 0; i < kiln_error_frame_count(); i++) printf(" %s:%d", kiln_error_frame_function(i), kiln_error_frame_line(i));
}
/* The message on the rest of the line: a backslash, a newline and a carriage return escaped (\\\\, \\n, \\r). */
static void wr_err_tail(void) {
  wr_err_object();
  const char *m = kiln_error_message();
  printf(" | ");
  for (; *m; m++) {
    if (*m == '\\\\') printf("\\\\\\\\");
    else if (*m == '\\n') printf("\\\\n");
    else if (*m == '\\r') printf("\\\\r");
    else putchar(*m);
  }
  printf("\\n");
}
static int64_t now_ns(void) {
#ifdef _WIN32
  LARGE_INTEGER f, c; QueryPerformanceFrequency(&f); QueryPerformanceCounter(&c);
  return (int64_t)((double)c.QuadPart * 1e9 / (double)f.QuadPart);
#else
  struct timespec ts; clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
#endif
}

int main(void) {
  char *line;
#ifdef _WIN32
  _setmode(_fileno(stdin), _O_BINARY); /* "\n", not "\r\n": the same bytes on every target */
  _setmode(_fileno(stdout), _O_BINARY);
#endif
${unit.exports.flatMap(withVariants).some((e) => e.bigResults) ? '  kiln_big_results(1);\n' : ''}  while ((line = read_line()) != NULL) {
    char *name = strtok(line, " \\t\\r\\n");
    long long reps = 0;
    if (!name) continue;
    if (strcmp(name, "@bench") == 0) { reps = strtoll(next_token(), NULL, 10); name = next_token(); }
${reseed}    if (0) {}
${cases}
    else { printf("bad unknown-function %s\\n", name); }
    fflush(stdout);
  }
  return 0;
}
`;
}

/** The handle API of the generator's frames an exported function returns, if it returns one. */
const generatorHandle = (e: ExportedFunction): HandleApi | undefined => {
  const cls = instanceClassOf(e.returnType);
  return cls ? e.handles?.find((h) => h.qualified === cls && h.generator) : undefined;
};

/** A result that holds arrays or lists (a list of lists, a tuple of them): their buffers belong to the caller. */
const holdsBuffers = (t: KType): boolean => (t.kind === 'record' && holdsBuffers(recordAsTuple(t))) || (t.kind === 'list' && t.item.kind === 'list') || isStrList(t) || isRowList(t) || isFlatContainer(t) || isArrayDict(t)
  || (t.kind === 'tuple' && t.items.some((x) => x.kind === 'array' || x.kind === 'list' || !!textKind(x) || isFlatContainer(x) || holdsBuffers(x)));

/** The loop index over a row list's rows at `path`: one per depth (a list of row lists nests the loops). */
const rowIndex = (path: string): string => `kr${(path.match(/\.data\[/g) ?? []).length || ''}`;

/** Releases the buffers a result value holds (kiln_free). */
function freeValue(t: KType, path: string): string[] {
  const cls = instanceClassOf(t);
  if (cls) return [`if (${path}) ${handleName(cls)}_free(${path});`];
  if (t.kind === 'tuple' || t.kind === 'record') return t.items.flatMap((it, i) => freeValue(it, `${path}.f${i}`));
  if (t.kind === 'list' && t.item.kind === 'list' && !isRowList(t)) return [`free_rows(${path}.data, ${path}.len);`];
  if (isStrList(t)) return [`free_strs(${path}.data, ${path}.len);`];
  if (isRowList(t)) {
    const kr = rowIndex(path);
    const each = freeValue(t.item, `${path}.data[${kr}]`);
    return [`${each.length ? `if (${path}.data) for (int64_t ${kr} = 0; ${kr} < ${path}.len; ${kr}++) { ${each.join(' ')} } ` : ''}kiln_free(${path}.data);`];
  }
  if (isFlatContainer(t)) return freeContainer(t, path);
  if (isArrayDict(t)) return [freeArrayDict(t as DictType, path, 0)];
  if (t.kind === 'array' || t.kind === 'list' || textKind(t)) return [`kiln_free(${path}.data);`];
  return [];
}

/**
 * `<name>!big`: the call of `<symbol>_big` (lower/c_bigint.ts), each int argument the hex() text of an int of any size
 * (a string token), each bool as usual; the result and errors as callCase prints them.
 */
function bigArgsCase(e: ExportedFunction): string {
  const isInt = (i: number) => e.params[i].type.kind === 'scalar' && (e.params[i].type as { name: string }).name === 'int';
  const lines = [`    else if (strcmp(name, "${bigArgsHarnessName(e)}") == 0) {`];
  // An int's hex() text and a str's UTF-8 are both read as x<hex> tokens.
  const isText = (i: number) => isInt(i) || e.params[i].type.kind === 'str';
  e.params.forEach((p, i) => lines.push(isText(i) ? `      int64_t a${i}_len; char *a${i} = rd_hex(&a${i}_len);` : `      ${abiParamType(p.type)} a${i};`, ...(isText(i) ? [] : readValue(p.type, `a${i}`).map((l) => `      ${l}`))));
  lines.push(`      ${abiReturnType(e.returnType)} r;`, '      memset(&r, 0, sizeof r);');
  lines.push(`      int rc = ${e.symbol}_big(${[...e.params.map((p, i) => (p.type.kind === 'str' ? `a${i}, a${i}_len` : `a${i}`)), '&r'].join(', ')});`);
  e.params.forEach((_p, i) => { if (isText(i)) lines.push(`      free(a${i});`); });
  lines.push('      if (rc == KILN_BIG_RESULT) printf("ok %s\\n", kiln_big_result());', '      else if (rc) { wr_err_head(); wr_err_tail(); }',
    `      else { printf("ok"); ${writeValue(e.returnType, 'r').join(' ')} printf("\\n"); }`, '    }');
  return lines.join('\n');
}

/** The harness's name for the call of an export with ints of any size (ExportedFunction.bigArgs). */
export const bigArgsHarnessName = (e: ExportedFunction): string => `${harnessName(e)}!big`;

function callCase(e: ExportedFunction): string {
  const lines: string[] = [];
  lines.push(`    else if (strcmp(name, "${harnessName(e)}") == 0) {`);
  const frees: string[] = [];
  const listParams: { i: number; kind: number }[] = [];
  // Lists of str: read item by item; the call writes a new array of new strings back (freed after printing it).
  const strListParams: number[] = [];
  // Every list and array parameter's final state is printed after the call, in parameter order.
  const inOut: { i: number; kind: number; array?: number; nested?: boolean; strs?: boolean; container?: KType; arrayDict?: DictType; handle?: string }[] = [];
  // Dicts and sets: read item by item; the call writes new arrays back (freed after printing them, or each call when timed).
  const containerParams: number[] = [];
  // Lists of lists: rows read one by one; the call writes new rows back (freed after printing them).
  const nestedParams: { i: number; kind: number }[] = [];
  // Dicts of arrays: read-only, each value an array as an array parameter is read (any layout).
  const arrayDictParams: number[] = [];
  // Weight trees: read-only, read node by node (rd_tree); nothing is printed back.
  const treeParams: number[] = [];
  e.params.forEach((p, i) => {
    if (isWeightTree(p.type)) {
      lines.push(`      ${flatContainerName(p.type)} a${i};`, `      rd_tree_${weightTreeLeaf(p.type).dtype}(&a${i});`);
      frees.push('free_held();');
      treeParams.push(i);
      return;
    }
    if (isArrayDict(p.type)) {
      lines.push(`      ${flatContainerName(p.type)} a${i};`, `      ${readArrayDict(p.type as DictType, `a${i}`, 0)}`);
      frees.push('free_held();');
      arrayDictParams.push(i);
      inOut.push({ i, kind: 0, arrayDict: p.type as DictType });
      return;
    }
    const cls = instanceClassOf(p.type);
    if (cls) {
      // An instance made from its fields (kiln_<Class>_new), borrowed by the call, written after it (the caller sees
      // what the function changed), then released.
      lines.push(`      ${handleName(cls)} *a${i}; rd_obj_${handleName(cls)}(&a${i});`);
      frees.push(`if (a${i}) ${handleName(cls)}_free(a${i});`);
      inOut.push({ i, kind: 0, handle: handleName(cls) });
      return;
    }
    if (isFlatContainer(p.type)) {
      lines.push(`      ${flatContainerName(p.type)} a${i};`, ...readContainer(p.type, `a${i}`).map((l) => `      ${l}`));
      lines.push(`      ${flatContainerName(p.type)} orig${i} = a${i};`);
      frees.push(...freeContainer(p.type, `orig${i}`, 'free'));
      containerParams.push(i);
      inOut.push({ i, kind: 0, container: p.type });
      return;
    }
    if (isStrList(p.type)) {
      lines.push('      kiln_list_str a' + i + ';');
      lines.push(`      a${i}.len = rd_i64(); a${i}.data = (kiln_str *)calloc((size_t)(a${i}.len > 0 ? a${i}.len : 1), sizeof(kiln_str));`);
      lines.push(`      for (int64_t kr = 0; kr < a${i}.len; kr++) a${i}.data[kr].data = rd_hex(&a${i}.data[kr].len);`);
      lines.push(`      kiln_str *orig${i} = a${i}.data; int64_t origlen${i} = a${i}.len;`);
      frees.push(`for (int64_t kr = 0; kr < origlen${i}; kr++) free(orig${i}[kr].data); free(orig${i});`);
      strListParams.push(i);
      inOut.push({ i, kind: 0, strs: true });
      return;
    }
    if (p.type.kind === 'list' && p.type.item.kind === 'list') {
      const inner = p.type.item.item;
      const kind = listItemKind(inner);
      const rowT = inner.kind === 'scalar' || inner.kind === 'complex' ? listStructName(inner) : 'kiln_list_int';
      lines.push(`      ${listStructName(p.type.item)} a${i};`);
      lines.push(`      a${i}.origin = NULL; a${i}.len = rd_i64(); a${i}.data = (${rowT} *)calloc((size_t)(a${i}.len > 0 ? a${i}.len : 1), sizeof(${rowT}));`);
      lines.push(`      for (int64_t kr = 0; kr < a${i}.len; kr++) a${i}.data[kr].data = rd_list(${kind}, sizeof(*a${i}.data[kr].data), &a${i}.data[kr].len);`);
      lines.push(`      ${rowT} *orig${i} = a${i}.data; int64_t origlen${i} = a${i}.len;`);
      frees.push(`for (int64_t kr = 0; kr < origlen${i}; kr++) free(orig${i}[kr].data); free(orig${i});`);
      nestedParams.push({ i, kind });
      inOut.push({ i, kind, nested: true });
      return;
    }
    if (p.type.kind === 'list' && (p.type.item.kind === 'scalar' || p.type.item.kind === 'complex')) {
      const kind = listItemKind(p.type.item);
      lines.push(`      ${listStructName(p.type.item)} a${i};`);
      lines.push(`      a${i}.data = rd_list(${kind}, sizeof(*a${i}.data), &a${i}.len);`);
      lines.push(`      void *orig${i} = a${i}.data;`);
      // The harness's buffer; the call writes a new one back (freed after printing it).
      frees.push(`free(orig${i});`);
      listParams.push({ i, kind });
      inOut.push({ i, kind });
      return;
    }
    if (textKind(p.type)) {
      // Its UTF-8 (or bytes) and length, as a C caller passes them (NULL for None); the harness's buffer is freed after the call.
      lines.push(`      int64_t a${i}_len; ${abiParamType(p.type)}a${i} = (${abiParamType(p.type)})${p.type.kind === 'union' ? 'rd_opt_hex' : 'rd_hex'}(&a${i}_len);`);
      frees.push(`free((void *)a${i});`);
      return;
    }
    lines.push(`      ${abiParamType(p.type)} a${i};`);
    if (p.type.kind === 'array') {
      lines.push(`      void *buf${i} = rd_array(${p.type.ndim}, ${elemKind(p.type.dtype)}, sizeof(*a${i}.data), (void **)&a${i}.data, a${i}.shape, a${i}.strides);`);
      frees.push(`free(buf${i});`);
      inOut.push({ i, kind: elemKind(p.type.dtype), array: p.type.ndim });
    }
    for (const l of readValue(p.type, `a${i}`)) lines.push(`      ${l}`);
  });
  const isList = (i: number) => listParams.some((l) => l.i === i) || nestedParams.some((l) => l.i === i)
    || strListParams.includes(i) || containerParams.includes(i) || arrayDictParams.includes(i) || treeParams.includes(i);
  const isText = (i: number) => !!textKind(e.params[i].type);
  const rt = e.returnType;
  const ownsResult = rt.kind === 'array' || rt.kind === 'list' || !!textKind(rt) || holdsBuffers(rt) || !!instanceClassOf(rt);
  const hasRet = e.returnType.kind !== 'none';
  const args = e.params.map((_, i) => (isList(i) ? `&a${i}` : isText(i) ? `a${i}, a${i}_len` : `a${i}`));
  lines.push(`      int rc = 0;`);
  if (hasRet) lines.push(`      ${abiReturnType(e.returnType)} r;`, `      memset(&r, 0, sizeof r);`);
  const callArgs = [...args, ...(hasRet ? ['&r'] : [])].join(', ');
  lines.push(`      if (reps > 0) {`);
  e.params.forEach((p, i) => {
    if (strListParams.includes(i)) lines.push(`        kiln_list_str v${i} = a${i};`);
    else if (containerParams.includes(i) || arrayDictParams.includes(i) || treeParams.includes(i)) lines.push(`        ${flatContainerName(p.type)} v${i} = a${i};`);
    else if (isList(i)) lines.push(`        ${listStructName((p.type as { item: KType }).item)} v${i} = a${i};`);
    else if (isText(i)) lines.push(`        ${abiParamType(p.type)}v${i} = a${i};`);
    else if (instanceClassOf(p.type)) lines.push(`        ${abiParamType(p.type)}v${i} = a${i};`);
    else lines.push(`        ${p.type.kind === 'scalar' || p.type.kind === 'tuple' || p.type.kind === 'union' ? 'volatile ' : ''}${abiParamType(p.type)} v${i} = a${i};`);
  });
  if (hasRet && !ownsResult) lines.push(`        volatile ${abiReturnType(e.returnType)} sink;`);
  lines.push(`        int64_t t0 = now_ns();`);
  lines.push(`        for (long long k = 0; k < reps; k++) {`);
  // Like Python's loop over the same list objects, each call sees the list as the previous one left it.
  for (const l of listParams) lines.push(`          void *prev${l.i} = v${l.i}.data;`);
  for (const i of strListParams) lines.push(`          kiln_str *prev${i} = v${i}.data; int64_t prevlen${i} = v${i}.len;`);
  const vArgs = [...e.params.map((_, i) => (isList(i) ? `&v${i}` : isText(i) ? `v${i}, a${i}_len` : `v${i}`)), ...(hasRet ? ['&r'] : [])].join(', ');
  lines.push(`          rc |= ${e.symbol}(${vArgs});`);
  if (ownsResult) lines.push(`          if (!rc) { ${freeValue(rt, 'r').join(' ')} }`);
  else if (hasRet) lines.push(`          sink = r;`);
  for (const l of listParams) lines.push(`          if (prev${l.i} != orig${l.i}) kiln_free(prev${l.i});`);
  for (const i of strListParams) lines.push(`          if (prev${i} != orig${i}) free_strs(prev${i}, prevlen${i});`, `          if (!v${i}.data) { rc |= 1; break; }`);
  // A dict or set starts each timed call as the caller gave it (its final state is freed at once).
  for (const i of containerParams) lines.push(`          ${freeContainer(e.params[i].type, `v${i}`).join(' ')} v${i} = a${i};`);
  for (const l of nestedParams) lines.push(`          if (v${l.i}.data != orig${l.i}) free_rows(v${l.i}.data, v${l.i}.len); kiln_free(v${l.i}.origin); v${l.i} = a${l.i};`);
  if (listParams.length) lines.push(`          if (${listParams.map((l) => `!v${l.i}.data`).join(' || ')}) { rc |= 1; break; }`);
  lines.push(`        }`);
  lines.push(`        int64_t t1 = now_ns();`);
  for (const l of listParams) lines.push(`        if (v${l.i}.data != orig${l.i}) kiln_free(v${l.i}.data);`);
  for (const i of strListParams) lines.push(`        if (v${i}.data != orig${i}) free_strs(v${i}.data, v${i}.len);`);
  if (hasRet && !ownsResult) lines.push(`        (void)sink;`);
  lines.push(`        printf("bench %lld %d\\n", (long long)(t1 - t0), rc);`);
  lines.push(`      } else {`);
  lines.push(`        rc = ${e.symbol}(${callArgs});`);
  // A generator: its items are read now (an error raised making one is the call's error, as CPython's list(gen) shows).
  const gen = generatorHandle(e);
  if (gen) lines.push(`        static gen_items_${gen.handle} g;`, `        if (!rc) { rc = gen_run_${gen.handle}(r, &g); ${gen.handle}_free(r); r = NULL; }`);
  const writeLists = (indent: string) => {
    for (const l of inOut) {
      lines.push(`${indent}printf(" ;");`);
      if (l.nested) {
        lines.push(`${indent}if (a${l.i}.data) { printf(" %lld", (long long)a${l.i}.len); for (int64_t kr = 0; kr < a${l.i}.len; kr++) wr_list(a${l.i}.data[kr].data, a${l.i}.data[kr].len, ${l.kind}, sizeof(*a${l.i}.data[kr].data)); free_rows(a${l.i}.data, a${l.i}.len); } else printf(" -1");`);
        lines.push(`${indent}kiln_free(a${l.i}.origin);`);
        continue;
      }
      if (l.arrayDict) {
        // Its arrays as the caller sees them after the call (the function may not write them: they must be unchanged).
        lines.push(`${indent}${writeArrayDict(l.arrayDict, `a${l.i}`, 0)}`);
        continue;
      }
      if (l.container) {
        lines.push(`${indent}if (${containerFields(l.container).map(([f]) => `a${l.i}.${f}`).join(' && ')}) { ${writeContainer(l.container, `a${l.i}`).join(' ')} } else printf(" -1");`);
        lines.push(`${indent}${freeContainer(l.container, `a${l.i}`).join(' ')}`);
        continue;
      }
      if (l.strs) {
        lines.push(`${indent}if (a${l.i}.data) wr_strs(a${l.i}.data, a${l.i}.len); else printf(" -1");`);
        lines.push(`${indent}free_strs(a${l.i}.data, a${l.i}.len);`);
        continue;
      }
      if (l.handle) {
        lines.push(`${indent}wr_obj_${l.handle}(a${l.i}, 0);`);
        continue;
      }
      if (l.array !== undefined) {
        lines.push(`${indent}wr_array_view(a${l.i}.data, a${l.i}.shape, a${l.i}.strides, ${l.array}, ${l.kind}, sizeof(*a${l.i}.data));`);
        continue;
      }
      lines.push(`${indent}if (a${l.i}.data) wr_list(a${l.i}.data, a${l.i}.len, ${l.kind}, sizeof(*a${l.i}.data)); else printf(" -1");`);
      lines.push(`${indent}kiln_free(a${l.i}.data);`);
    }
  };
  // A result past 64 bits (a big-int twin's, lower/c_bigint.ts): its hex() text, as an int token; then the lists' final states.
  if (e.bigResults) {
    lines.push(`        if (rc == KILN_BIG_RESULT) {`, `          printf("ok %s", kiln_big_result());`);
    writeLists('          ');
    lines.push(`          printf("\\n");`, `        } else`);
  }
  lines.push(`        if (rc) {`);
  if (gen) lines.push(`          gen_free_${gen.handle}(&g);`);
  lines.push(`          wr_err_head();`);
  writeLists('          ');
  lines.push(`          wr_err_tail();`);
  lines.push(`        } else {`);
  lines.push(`          printf("ok");`);
  if (rt.kind === 'array') lines.push(`          wr_array(r.data, r.shape, ${rt.ndim}, ${elemKind(rt.dtype)}, sizeof(*r.data));`, '          kiln_free(r.data);');
  else if (rt.kind === 'list' && rt.item.kind !== 'list' && !isStrList(rt) && !isRowList(rt)) lines.push(`          wr_list(r.data, r.len, ${listItemKind(rt.item)}, sizeof(*r.data));`, '          kiln_free(r.data);');
  else if (textKind(rt)) lines.push('          wr_text(r.data, r.len);', '          kiln_free(r.data);');
  else if (gen) lines.push(`          gen_write_${gen.handle}(&g);`);
  else if (instanceClassOf(rt)) lines.push(`          wr_obj_${handleName(instanceClassOf(rt)!)}(r, 0);`, `          ${freeValue(rt, 'r').join(' ')}`);
  else if (holdsBuffers(rt)) lines.push(...writeValue(rt, 'r').map((l) => `          ${l}`), `          ${freeValue(rt, 'r').join(' ')}`);
  else for (const l of writeValue(e.returnType, 'r')) lines.push(`          ${l}`);
  writeLists('          ');
  lines.push(`          printf("\\n");`);
  lines.push(`        }`);
  lines.push(`      }`);
  for (const f of frees) lines.push(`      ${f}`);
  lines.push(`    }`);
  return lines.join('\n');
}
