/**
 * The memo table of a function under `@functools.cache` / `@lru_cache(maxsize)` (types/memo.ts says which
 * specialisations get one, docs/design/compiled-stdlib.md why it is exact). The function's body is emitted as
 * `<name>__uncached`; `<name>` itself, which every call (its own recursive calls included) goes to, answers from
 * the table or runs the body and stores the result. The table is the runtime's dict (kiln_dict.h) keyed on the
 * argument (or the tuple of arguments), one per thread (the values are the thread's objects), kept for the
 * process's life as CPython keeps a module-level function's cache. Bounded (`maxsize=n`): an OrderedDict in
 * recency order, CPython's lru_cache algorithm: a hit moves its key to the end; a miss that finds the table full
 * drops the first (least recently used) entry; a key stored meanwhile by a recursive call is left as it is.
 */
import type { KType } from '../types/types.ts';
import { walkNodes } from '../ir/ir.ts';
import type { TypedFunction } from '../types/typecheck.ts';
import { containerCType, containerKind, containerName } from '../types/ops/index.ts';

/** The C leaves of a key that are floats (a NaN argument bypasses the table: CPython's NaNs are distinct objects). */
export function floatLeaves(t: KType, e: string): string[] {
  if (t.kind === 'scalar' && t.name === 'float') return [e];
  if (t.kind === 'tuple') return t.items.flatMap((x, i) => floatLeaves(x, `${e}.f${i}`));
  return [];
}

/** The runtime dict instantiation of a table of compiled values (types/memo.ts memoTable). */
export function tableOf(table: KType & { kind: 'dict' }): MemoSite['table'] {
  return { dict: containerName(table), keyKind: containerKind(table.key, 'key')!, valueKind: containerKind(table.value, 'value')!, keyCType: containerCType(table.key) };
}

export interface MemoSite {
  /** The C name of the function (the wrapper) and of its body. */
  name: string;
  body: string;
  /** The table: the dict instantiation (KR_DICT_DEFINE's name), its key and value kinds, the key's C type. */
  table: { dict: string; keyKind: string; valueKind: string; keyCType: string };
  /** `maxsize`: null for unbounded. */
  maxsize: number | null;
  /** The wrapper's prototype (the function's own) and its parameters' C names (the key's items). */
  signature: string;
  params: string[];
  /** The body's arguments (the wrapper's, the recursion depth one deeper) and the result pointer's name. */
  bodyArgs: string[];
  ret: string;
  /** The key's float leaves (`kiln_key.f1`): a NaN there runs the body without the table. */
  floats: string[];
  /**
   * The function's counts (cacheControlName), when the program reads them (`f.cache_info()`): hits and misses
   * counted as CPython's wrapper counts them; `inexact`, a reason the counts stop being CPython's, set on entry
   * (a big-int twin's table: the int64 path's table already counted part of the call).
   */
  counts?: { prefix: string; name: string; inexact?: string };
}


/** Why the counts of a cache stop being CPython's: a NaN argument (CPython's cache tells NaN objects apart by identity). */
const NAN_INEXACT = 'a NaN argument: CPython\'s cache finds a NaN key only when it is the same object, which compiled floats do not tell';
/** ... and a call that continued in big ints (the twin's table is another table). */
export const TWIN_INEXACT = 'a call that needed ints past 64 bits (its big-int path keeps a table of its own)';

/** The wrapper: `<signature> { ...the table... }`, answering from the table or running `body`. */
export function memoWrapper(m: MemoSite): string[] {
  const { dict: d, keyKind: kk, valueKind: vk, keyCType } = m.table;
  const table = memoTableName(m.name);
  const key = m.params.length === 1 ? m.params[0] : `((${keyCType}){ ${m.params.join(', ')} })`;
  const call = `${m.body}(${m.bodyArgs.join(', ')})`;
  const bounded = m.maxsize !== null;
  const nans = m.floats.map((e) => `${e} != ${e}`);
  const c = m.counts?.prefix;
  const inexact = (why: string) => (c ? [`  ${c}_inexact = ${cString(`${m.counts!.name}.cache_info() is not CPython's count after ${why}`)};`] : []);
  return [
    `/* its memo table (@functools.${bounded ? `lru_cache(maxsize=${m.maxsize})` : 'cache'}; lower/c_memo.ts): one per thread, for the process's life */`,
    `static KILN_TLS kr_dict *${table};`,
    `${m.signature} {`,
    ...(m.counts?.inexact ? inexact(m.counts.inexact) : []),
    `  ${keyCType} kiln_key = ${key};`,
    `  ${keyCType} kiln_old_key; kr_kind_${vk}_t kiln_old;`,
    '  int kiln_err = 0, kiln_has;',
    `  kr_dict *kiln_m = ${table};`,
    ...(nans.length ? [`  if (KILN_UNLIKELY(${nans.join(' || ')})) {`, ...inexact(NAN_INEXACT), `    return ${call};`, '  }'] : []),
    '  if (KILN_UNLIKELY(!kiln_m)) {',
    `    if (!(kiln_m = ${table} = ${bounded ? `${d}_odict_new()` : `${d}_new()`})) return -1;`,
    '  } else {',
    `    kr_kind_${vk}_t *kiln_hit = ${d}_find(kiln_m, kiln_key, &kiln_err);`,
    '    if (kiln_hit) {',
    `      *${m.ret} = *kiln_hit; kr_kind_${vk}_incref(${m.ret});`,
    ...(c ? [`      ${c}_hits++;`] : []),
    ...(bounded ? [`      if (KILN_UNLIKELY(${d}_move_to_end(kiln_m, kiln_key, 1))) { kr_kind_${vk}_decref(${m.ret}); return -1; }`] : []),
    '      return 0;',
    '    }',
    '    if (KILN_UNLIKELY(kiln_err)) return -1;',
    '  }',
    ...(c ? [`  ${c}_misses++; /* counted before the call, as CPython's wrapper does */`] : []),
    `  if (${call}) return -1;`,
    ...(bounded ? [
      '  /* a recursive call stored the key meanwhile: CPython keeps that entry and returns this result */',
      `  if ((kiln_has = ${d}_contains(kiln_m, kiln_key)) != 0) { if (kiln_has < 0) goto kiln_fail; return 0; }`,
      `  if (kr_dict_len(kiln_m) >= ${m.maxsize}) {`,
      `    if (${d}_odict_popitem(kiln_m, 0, &kiln_old_key, &kiln_old)) goto kiln_fail;`,
      `    kr_kind_${kk}_decref(&kiln_old_key); kr_kind_${vk}_decref(&kiln_old);`,
      '  }',
    ] : ['  (void)kiln_has; (void)kiln_old_key; (void)kiln_old;']),
    `  if (!${d}_set(kiln_m, kiln_key, *${m.ret})) return 0;`,
    'kiln_fail:',
    `  kr_kind_${vk}_decref(${m.ret});`,
    '  return -1;',
    '}',
  ];
}

const cString = (text: string) => JSON.stringify(text);

/** The counts' variables of a cached function whose counts the program reads (before its memo wrappers). */
export function cacheCountDecls(prefix: string, linkage: string): string[] {
  return [
    `/* the counts of f.cache_info() (lower/c_memo.ts): of every specialisation's calls, one set per thread */`,
    `static KILN_TLS int64_t ${prefix}_hits, ${prefix}_misses;`,
    `static KILN_TLS const char *${prefix}_inexact;`,
    `${linkage}int ${prefix}_info(int64_t *hits, int64_t *misses, int64_t *currsize);`,
    `${linkage}void ${prefix}_clear(void);`,
  ];
}

/** The prototypes of another object's cache controls. */
export const cacheControlPrototypes = (prefix: string): string[] => [
  `KILN_HIDDEN int ${prefix}_info(int64_t *hits, int64_t *misses, int64_t *currsize);`,
  `KILN_HIDDEN void ${prefix}_clear(void);`,
];

/**
 * `f.cache_info()` and `f.cache_clear()` over the memo tables (their C names) of f's specialisations and of their
 * big-int twins: currsize is the sum of the tables' sizes, which is CPython's one cache's size because no two
 * specialisations' keys are equal (types/memo.ts typeCollisions) and a bounded function has one table
 * (types/memo.ts cacheInfoProblem). A twin's table repeats keys of the int64 table: counts read after a twin ran
 * raise OverflowError instead (`inexact`), until cache_clear().
 */
export function cacheControls(prefix: string, tables: string[], twinTables: string[], linkage: string): string[] {
  const size = tables.map((t) => `(${t} ? kr_dict_len(${t}) : 0)`).join(' + ') || '0';
  return [
    `${linkage}int ${prefix}_info(int64_t *hits, int64_t *misses, int64_t *currsize) {`,
    `  if (KILN_UNLIKELY(${prefix}_inexact != NULL)) return kr_raise(KILN_OverflowError, ${prefix}_inexact);`,
    `  *hits = ${prefix}_hits; *misses = ${prefix}_misses; *currsize = ${size};`,
    '  return 0;',
    '}',
    `${linkage}void ${prefix}_clear(void) {`,
    ...[...tables, ...twinTables].map((t) => `  if (${t}) kr_dict_clear(${t});`),
    `  ${prefix}_hits = ${prefix}_misses = 0; ${prefix}_inexact = NULL;`,
    '}',
  ];
}

/** The C name of a memo wrapper's table (memoWrapper). */
export const memoTableName = (wrapper: string): string => `kiln_memo_${wrapper}`;

/** The cached functions (qualified names) whose `cache_info()` / `cache_clear()` the program calls: they count their calls. */
export function countedCaches(functions: readonly TypedFunction[]): Set<string> {
  const out = new Set<string>();
  for (const f of functions) {
    walkNodes(f.ir.nodes, (n) => {
      const name = n.op === 'call_function' && (n.target === 'functools.cache_info' || n.target === 'functools.cache_clear') ? n.args[0] : undefined;
      if (name && 'const' in name && name.const.kind === 'str') out.add(name.const.value);
    });
  }
  return out;
}
