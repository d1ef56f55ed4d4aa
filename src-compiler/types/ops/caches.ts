/**
 * `f.cache_info()` and `f.cache_clear()` of a function under `@functools.cache` / `@lru_cache(maxsize)`
 * (docs/design/compiled-stdlib.md). The tracer makes each a call of `functools.cache_info` / `functools.cache_clear`
 * whose constants name the function (the program's name for it) and its maxsize; the lowering calls the function's
 * cache controls, which lower/c_memo.ts emits next to its memo tables (one set per Python function, over the
 * tables of all its specialisations).
 */
import { T, type KType } from '../types.ts';
import { stmts, type OpDef, type OpDomain } from './common.ts';
import { constStr } from './common_strings.ts';

/** The C prefix of a cached function's counts and controls (lower/c_memo.ts: `<prefix>_info`, `<prefix>_clear`), by its qualified name. */
export const cacheControlName = (qualified: string): string => `kiln_cache_${qualified.replace(/\./g, '__')}`;

/** CPython's `functools._CacheInfo(hits, misses, maxsize, currsize)`: a record of the function's maxsize (None or an int). */
export const cacheInfoType = (bounded: boolean): KType => ({
  kind: 'tuple', items: [T.int, T.int, bounded ? T.int : T.none, T.int], record: { name: 'CacheInfo', fields: ['hits', 'misses', 'maxsize', 'currsize'] },
});

const ops: OpDef[] = [
  {
    target: 'functools.cache_info', python: 'f.cache_info()',
    signatures: ['a @cache / @lru_cache function -> CacheInfo(hits, misses, maxsize, currsize), read by field, index or unpacking'],
    notes: "counts of the calls compiled code made, as CPython counts them; OverflowError where the counts cannot be known exactly (a call that went past 64-bit ints, a NaN argument)",
    resolve(_args, consts) {
      const name = constStr(consts[0]);
      const size = consts[1];
      if (name === undefined || !size) return 'internal: functools.cache_info takes the function\'s name and maxsize as constants';
      const maxsize = size.kind === 'int' ? String(size.value) : undefined;
      const c = cacheControlName(name);
      return {
        result: cacheInfoType(maxsize !== undefined), argTypes: [T.str, maxsize === undefined ? T.none : T.int],
        lower: stmts((_a, out, cx) => [`if (${c}_info(&${out}.f0, &${out}.f1, &${out}.f3)) ${cx.propagate()}`, `${out}.f2 = ${maxsize === undefined ? '0' : `INT64_C(${maxsize})`};`]),
      };
    },
  },
  {
    target: 'functools.cache_clear', python: 'f.cache_clear()',
    signatures: ['a @cache / @lru_cache function -> None: empties its tables and its counts'],
    resolve(_args, consts) {
      const name = constStr(consts[0]);
      if (name === undefined) return 'internal: functools.cache_clear takes the function\'s name as a constant';
      return { result: T.none, argTypes: [T.str], lower: stmts(() => [`${cacheControlName(name)}_clear();`]) };
    },
  },
];

export const caches: OpDomain = { name: 'caches', title: 'functools caches', ops };
