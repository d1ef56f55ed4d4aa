/**
 * The memo table of a function under `@functools.cache` / `@lru_cache(maxsize)` (docs/design/compiled-stdlib.md):
 * which specialisations get one, its key and value types, and which specialisations CPython's one cache would
 * confuse. The C is lower/c_memo.ts.
 *
 * A compiled helper cannot change anything its callers see, so answering a call from the table gives the result
 * running it gives, with one exception: CPython's cache compares keys with `==`, so after `f(1)` the call `f(1.0)`
 * (or `f(True)`) returns f(1)'s result, an int. Kiln keeps one table per specialisation (its key types are fixed),
 * and refuses a function specialised for two argument types whose keys can be equal (typeCollisions).
 */
import type { IRFunction } from '../ir/ir.ts';
import { containerKind } from './ops/index.ts';
import { T, sameType, typeToString, type KType } from './types.ts';

interface Memoisable { ir: IRFunction; paramTypes: KType[]; returnType: KType }

/** The table `dict[key, result]` of a cached function's specialisation, or undefined when it has none (it then runs every call). */
export function memoTable(f: Memoisable): (KType & { kind: 'dict' }) | undefined {
  if (!f.ir.cache || !f.ir.params.length || f.paramTypes.length !== f.ir.params.length) return undefined;
  // Keys: numbers, str and tuples of them; results as well (lists live in one call's heap, the table outlives calls).
  // (A tuple[int, ...] is a list of the call's heap too: hashable, but the table would outlive it.)
  if (!f.paramTypes.every((t) => containerKind(t, 'key') && t.kind !== 'list')) return undefined;
  if (!containerKind(f.returnType, 'key') || f.returnType.kind === 'list') return undefined;
  const key = f.paramTypes.length === 1 ? f.paramTypes[0] : T.tuple(f.paramTypes);
  return T.dict(key, f.returnType) as KType & { kind: 'dict' };
}

/** Whether a value of `a` and one of `b` can be equal keys in CPython's cache (untyped: 1 == 1.0 == True). */
function mayEqual(a: KType, b: KType): boolean {
  if (sameType(a, b)) return true;
  const number = (t: KType) => t.kind === 'scalar' && ['int', 'float', 'bool'].includes(t.name);
  if (number(a) && number(b)) return true;
  return a.kind === 'tuple' && b.kind === 'tuple' && a.items.length === b.items.length && a.items.every((x, i) => mayEqual(x, b.items[i]));
}

/**
 * Two specialisations of one cached function whose arguments CPython's cache could take for the same key (`f(1)`
 * and `f(1.0)`): the argument types of both, for the refusal. `typed=True` keeps different types apart.
 */
export function typeCollisions(specs: Memoisable[]): [KType[], KType[]] | undefined {
  const cached = specs.filter((f) => f.ir.cache && !f.ir.cache.typed);
  for (const [i, a] of cached.entries()) {
    for (const b of cached.slice(i + 1)) {
      if (a.paramTypes.length !== b.paramTypes.length || a.paramTypes.every((t, k) => sameType(t, b.paramTypes[k]))) continue;
      if (a.paramTypes.every((t, k) => mayEqual(t, b.paramTypes[k]))) return [a.paramTypes, b.paramTypes];
    }
  }
  return undefined;
}

/**
 * Why `f.cache_info()` of a cached function cannot give CPython's counts, or undefined: a specialisation without a
 * table runs every call (CPython answers its repeats from the cache), and the bounded tables of several
 * specialisations evict apart (CPython's one cache evicts across them). Unbounded tables of several specialisations
 * sum to CPython's one cache (typeCollisions keeps their keys apart).
 */
export function cacheInfoProblem(specs: Memoisable[]): string | undefined {
  const plain = specs.find((f) => !memoTable(f));
  if (plain) return `its specialisation for (${plain.paramTypes.map(typeToString).join(', ')}) -> ${typeToString(plain.returnType)} runs every call in compiled code (only numbers, str and tuples of them are kept in its table), so its counts would not be CPython's`;
  const maxsize = specs[0]?.ir.cache?.maxsize;
  if (maxsize != null && specs.length > 1) return `it is called with ${specs.length} combinations of argument types, and compiled code keeps a bounded table for each, so what CPython's one cache of ${maxsize} entries evicts differs`;
  return undefined;
}
