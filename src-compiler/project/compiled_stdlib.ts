/**
 * Standard modules that Kiln compiles from Python source of its own (resources/python/kiln_stdlib/*.py):
 * heapq, bisect, itertools, functools and textwrap. Their functions are helpers of the program that imports them, typed
 * per call like the program's own helpers; the module graph (graph.ts) finds these files after the project's
 * source roots (a project's own heapq.py wins, as it does in CPython). CPython runs its real modules when the
 * program is verified, so every function here is checked against the original on every build.
 *
 * Some functions have a shape the type system needs to know at compile time: the length of the tuples
 * `combinations(xs, 2)` yields, whether `reduce` got an initial value. A call of such a function goes to a
 * variant (`combinations__2`, `reduce__2`) chosen here from the call's syntax: the number of positional
 * arguments, a literal `r` or `repeat=`. What cannot be chosen is refused with the nearest supported spelling.
 */
import path from 'node:path';
import type { PyNode } from '../frontend/ast.ts';
import { PYTHON_RESOURCES } from '../paths.ts';

export const COMPILED_STDLIB_DIR = path.join(PYTHON_RESOURCES, 'kiln_stdlib');
export const COMPILED_STDLIB: ReadonlySet<string> = new Set(['heapq', 'bisect', 'itertools', 'functools', 'textwrap']);

/** Names of these modules compiled by the tracer rather than from the Python source (for messages). */
export const STDLIB_ELSEWHERE: Record<string, string[]> = {
  itertools: ['count(), repeat() and cycle()'],
  functools: ['@cache and @lru_cache (on helpers), with f.cache_info() and f.cache_clear()', 'cmp_to_key (as the key of sorted() and list.sort())', '@total_ordering (on classes)'],
};

/** Whether a module file is one of these. */
export function isCompiledStdlib(file: string | null): boolean {
  return !!file && path.dirname(file) === COMPILED_STDLIB_DIR;
}

/**
 * `@functools.cache`, `@lru_cache(maxsize=None)`, ... on a helper (the decorator's source text, the module's
 * imports). A compiled helper cannot change state its callers see (no module state, no printing; a cached
 * function's arguments are hashable, so it cannot change them either), so a call answered from the cache and a
 * call that runs give the same result; the helper gets a memo table (lower/c_memo.ts) that makes a recursion the
 * cache makes polynomial polynomial in compiled code too. Unhashable arguments raise CPython's TypeError
 * (types/typecheck.ts).
 */
export function isCacheDecorator(text: string, imports: Record<string, string>): boolean {
  const head = text.replace(/\(.*$/s, '').trim();
  const [first, ...rest] = head.split('.');
  const dotted = [imports[first] ?? first, ...rest].join('.');
  return dotted === 'functools.cache' || dotted === 'functools.lru_cache';
}

/** What a cache decorator asks for: `maxsize` (null: unbounded; 0: no cache at all) and `typed` (1 and 1.0 kept apart). */
export interface CacheSpec { maxsize: number | null; typed: boolean }

/**
 * The cache a decorator on a function asks for (undefined: not a cache decorator), or the reason it cannot be
 * compiled: CPython's defaults (`@lru_cache` and `@lru_cache()`: 128 entries; `@cache`: unbounded), `maxsize` and
 * `typed` as literals, positionally or by keyword; a negative maxsize is 0, as CPython's.
 */
export function cacheSpecOf(text: string, imports: Record<string, string>): CacheSpec | { error: string } | undefined {
  if (!isCacheDecorator(text, imports)) return undefined;
  const head = text.replace(/\(.*$/s, '').trim();
  if (head.endsWith('.cache') || (imports[head] ?? head).endsWith('.cache')) return text.includes('(') ? { error: `@${text} is not how functools.cache is applied` } : { maxsize: null, typed: false };
  const inner = /\((.*)\)\s*$/s.exec(text)?.[1].trim();
  if (inner === undefined || inner === '') return { maxsize: 128, typed: false };
  const spec: CacheSpec = { maxsize: 128, typed: false };
  const parts = inner.split(',').map((x) => x.trim()).filter(Boolean);
  for (const [i, part] of parts.entries()) {
    const m = /^(?:(maxsize|typed)\s*=\s*)?(.+)$/s.exec(part)!;
    const name = m[1] ?? (i === 0 ? 'maxsize' : i === 1 ? 'typed' : '');
    const v = m[2].trim();
    if (name === 'maxsize' && v === 'None') spec.maxsize = null;
    else if (name === 'maxsize' && /^-?\d+$/.test(v)) spec.maxsize = Math.max(0, Number(v));
    else if (name === 'typed' && (v === 'True' || v === 'False')) spec.typed = v === 'True';
    else return { error: `@${text}: maxsize must be an int literal or None and typed a bool literal` };
  }
  return spec;
}

/** Largest tuple length of the combinatoric variants (`combinations__1` .. `combinations__4`). */
const MAX_R = 4;

/** An int literal (`2`, not a name or an expression), as the frontend's AST writes it. */
const literalInt = (n: PyNode | undefined): number | undefined => {
  const v = n && n._t === 'Constant' ? n.value : undefined;
  return v && typeof v === 'object' && v._t === 'int' ? Number(v.dec) : undefined;
};

export type Variant = { target: string } | { error: string; hint?: string };

/**
 * The function a call of `target` (a canonical dotted name, `itertools.combinations`) goes to, when it is a
 * compiled standard function with variants; undefined for every other call.
 */
export function stdlibVariant(target: string, call: PyNode): Variant | undefined {
  const intOf = literalInt;
  const positional = call.args.filter((a: PyNode) => a._t !== 'Starred').length;
  const starred = call.args.some((a: PyNode) => a._t === 'Starred');
  const kw = (name: string): PyNode | undefined => call.keywords.find((k: PyNode) => k.arg === name)?.value;
  const sized = (rNode: PyNode | undefined): Variant => {
    const r = rNode ? intOf(rNode) : undefined;
    // A literal r from 1 to 4 gives fixed tuples; any other r (or none, for permutations) tuples of a run-time
    // length (tuple[T, ...]).
    if (r === undefined || r < 1 || r > MAX_R) return { target: `${target}__n` };
    return { target: `${target}__${r}` };
  };
  // key=None written out: the compiled functions' default key is an identity function, not None.
  const keyNone = (): Variant | undefined => (call.keywords.some((k: PyNode) => k.arg === 'key' && k.value._t === 'Constant' && k.value.value === null)
    ? { error: `${target}(key=None) is compiled with the key left out`, hint: 'leave key=None out: it is the default' }
    : undefined);
  if (starred && target !== 'itertools.chain') return { error: `starred arguments to ${target}() are outside the compiled subset`, hint: 'pass the arguments one by one' };
  switch (target) {
    case 'functools.reduce':
      if (positional === 2 && !call.keywords.length) return { target: 'functools.reduce__2' };
      return undefined;
    case 'functools.partial':
      if (call.keywords.length) return { error: 'keyword arguments to partial() are outside the compiled subset', hint: 'bind positional arguments, or write a lambda' };
      if (positional < 2 || positional > 4) return { error: `partial() with ${Math.max(positional - 1, 0)} bound arguments is outside the compiled subset (1 to 3)`, hint: 'write a lambda' };
      return { target: `functools.partial__${positional - 1}` };
    case 'itertools.accumulate':
      if (kw('initial')) return { target: 'itertools.accumulate__initial' };
      return undefined;
    case 'itertools.islice':
      if (call.keywords.length) return { error: 'TypeError: islice() takes no keyword arguments' };
      if (positional < 2 || positional > 4) return { error: `TypeError: islice expected at most 4 arguments, got ${positional}` };
      return { target: `itertools.islice__${positional}` };
    case 'itertools.permutations':
      {
        const r = call.args[1] ?? kw('r');
        // permutations(xs) and permutations(xs, None): tuples as long as xs.
        if (!r || (r._t === 'Constant' && r.value === null)) return { target: 'itertools.permutations__all' };
        return sized(r);
      }
    case 'itertools.combinations':
    case 'itertools.combinations_with_replacement':
      return sized(call.args[1] ?? kw('r'));
    case 'itertools.product': {
      const repeat = kw('repeat');
      if (!repeat) {
        if (positional < 1 || positional > MAX_R) return { error: `product() of ${positional} iterables is outside the compiled subset (1 to ${MAX_R})` };
        return { target: `itertools.product__${positional}` };
      }
      const r = intOf(repeat);
      if (r === undefined || positional !== 1) return { error: 'product(..., repeat=n) is compiled for one iterable and an int literal n', hint: 'product(xs, repeat=2), or name the iterables: product(xs, ys)' };
      if (r < 1 || r > MAX_R) return { error: `product(xs, repeat=${r}) is outside the compiled subset (repeat from 1 to ${MAX_R})` };
      return { target: `itertools.product__${r}r` };
    }
    case 'itertools.chain':
      // chain(a, b): a generator per number of iterables; chain(*xss) (unpacked at the call) and chain() read lists.
      if (!starred && positional >= 1 && positional <= MAX_R && !call.keywords.length) return { target: `itertools.chain__${positional}` };
      return undefined;
    case 'itertools.chain.from_iterable':
      return { target: 'itertools.chain_from_iterable' };
    case 'itertools.zip_longest': {
      const bad = call.keywords.find((k: PyNode) => k.arg !== 'fillvalue');
      if (bad) return { error: `TypeError: zip_longest() got an unexpected keyword argument '${bad.arg}'` };
      if (positional < 1 || positional > MAX_R) return { error: `zip_longest() of ${positional} iterables is outside the compiled subset (1 to ${MAX_R})` };
      return { target: `itertools.zip_longest__${positional}` };
    }
    case 'itertools.tee': {
      if (call.keywords.length) return { error: 'TypeError: tee() takes no keyword arguments' };
      if (positional < 1 || positional > 2) return { error: `TypeError: tee expected at most 2 arguments, got ${positional}` };
      const n = positional === 2 ? intOf(call.args[1]) : 2;
      if (n === undefined) return { error: 'tee(xs, n) makes a tuple of n iterators: here n must be an int literal', hint: 'write the number: tee(xs, 3)' };
      if (n < 1 || n > MAX_R) return { error: `tee(xs, ${n}) is outside the compiled subset (n from 1 to ${MAX_R})` };
      return { target: `itertools.tee__${n}` };
    }
    case 'heapq.merge': {
      const bad = call.keywords.find((k: PyNode) => k.arg !== 'key' && k.arg !== 'reverse');
      if (bad) return { error: `TypeError: merge() got an unexpected keyword argument '${bad.arg}'` };
      if (keyNone()) return keyNone();
      if (positional < 1 || positional > MAX_R) return { error: `merge() of ${positional} iterables is outside the compiled subset (1 to ${MAX_R})` };
      return { target: `heapq.merge__${positional}` };
    }
    case 'textwrap.indent': {
      // predicate=None is CPython's default predicate (a line with more than whitespace), not a function to call.
      const predicate = call.args[2] ?? kw('predicate');
      if (predicate?._t === 'Constant' && predicate.value === null) return { target: 'textwrap.indent__default' };
      return undefined;
    }
    case 'itertools.groupby':
    case 'heapq.nsmallest': case 'heapq.nlargest':
      return keyNone();
    default:
      return undefined;
  }
}
