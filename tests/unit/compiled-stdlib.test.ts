/**
 * heapq, bisect, itertools, functools and textwrap compiled from Kiln's own Python source (project/compiled_stdlib.ts):
 * where the modules are found, which variant a call goes to, and what is refused with which message. Their
 * results are checked against CPython by the corpus (stdlib_heapq_bisect.py, stdlib_itertools.py, stdlib_textwrap.py).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { compileModule } from '../../src-compiler/pipeline.ts';
import { graphFor } from '../../src-compiler/project/graph.ts';
import { COMPILED_STDLIB_DIR, cacheSpecOf, isCacheDecorator, stdlibVariant } from '../../src-compiler/project/compiled_stdlib.ts';
import { parseModules } from '../../src-compiler/frontend/python.ts';
import type { PyNode } from '../../src-compiler/frontend/ast.ts';

const root = path.resolve(import.meta.dirname, '../..');
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

function project(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-stdlib-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

/** The call node of `expr` as the frontend parses it (the value of `x = <expr>` in a helper). */
async function callOf(expr: string): Promise<PyNode> {
  const dir = project({ 'm.py': `from itertools import *\nfrom functools import *\ndef f(xs, n):\n    x = ${expr}\n` });
  const [mod] = await parseModules([path.join(dir, 'm.py')]);
  if (!('functions' in mod)) throw new Error('does not parse');
  return mod.functions[0].body![0].value;
}

describe('compiled standard modules', () => {
  it("agree with CPython's modules when CPython runs them (seeded random inputs, results and changed lists)", async () => {
    const { stdout } = await execa('python3', [path.join(root, 'tests/stdlib/kiln_stdlib_vs_cpython.py'), root]);
    const lines = stdout.trim().split('\n');
    expect(lines.slice(0, -1)).toEqual([]); // one line per kind of difference
    expect(Number(/^(\d+) checks$/.exec(lines[lines.length - 1])?.[1])).toBeGreaterThan(100_000);
  }, 120_000);

  it("are found after the project's own modules", async () => {
    const dir = project({ 'heapq.py': 'def heappush(h, x):\n    pass\n', 'main.py': 'import heapq\nimport bisect\n' });
    const graph = graphFor(path.join(dir, 'main.py'));
    expect(graph.locate('heapq')?.file).toBe(path.join(fs.realpathSync(dir), 'heapq.py'));
    expect(graph.locate('bisect')?.file).toBe(path.join(COMPILED_STDLIB_DIR, 'bisect.py'));
    expect(graph.locate('random')).toBeNull(); // not one of Kiln's Python-source modules
  });

  it('send a call to the variant its syntax fixes', async () => {
    const variant = async (expr: string, target: string) => stdlibVariant(target, await callOf(expr));
    expect(await variant('combinations(xs, 3)', 'itertools.combinations')).toEqual({ target: 'itertools.combinations__3' });
    expect(await variant('combinations(xs, r=2)', 'itertools.combinations')).toEqual({ target: 'itertools.combinations__2' });
    expect(await variant('product(xs, xs)', 'itertools.product')).toEqual({ target: 'itertools.product__2' });
    expect(await variant('product(xs, repeat=3)', 'itertools.product')).toEqual({ target: 'itertools.product__3r' });
    expect(await variant('islice(xs, 1, 9, 2)', 'itertools.islice')).toEqual({ target: 'itertools.islice__4' });
    expect(await variant('reduce(max, xs)', 'functools.reduce')).toEqual({ target: 'functools.reduce__2' });
    expect(await variant('reduce(max, xs, 0)', 'functools.reduce')).toBeUndefined();
    expect(await variant('partial(max, 1, 2)', 'functools.partial')).toEqual({ target: 'functools.partial__2' });
    expect(await variant('accumulate(xs, initial=1)', 'itertools.accumulate')).toEqual({ target: 'itertools.accumulate__initial' });
    // A run-time r, or none (permutations(xs)): tuples of a run-time length (tuple[T, ...]).
    expect(await variant('combinations(xs, n)', 'itertools.combinations')).toEqual({ target: 'itertools.combinations__n' });
    expect(await variant('combinations(xs, 7)', 'itertools.combinations')).toEqual({ target: 'itertools.combinations__n' });
    expect(await variant('permutations(xs)', 'itertools.permutations')).toEqual({ target: 'itertools.permutations__all' });
    expect(await variant('permutations(xs, None)', 'itertools.permutations')).toEqual({ target: 'itertools.permutations__all' });
    expect(await variant('permutations(xs, r=k)', 'itertools.permutations')).toEqual({ target: 'itertools.permutations__n' });
    expect(await variant('product(xs, repeat=n)', 'itertools.product')).toMatchObject({ error: expect.stringMatching(/int literal n/) });
    // indent(text, prefix, None): CPython's default predicate, not None called.
    expect(await variant('indent(xs, n, None)', 'textwrap.indent')).toEqual({ target: 'textwrap.indent__default' });
    expect(await variant('indent(xs, n, predicate=None)', 'textwrap.indent')).toEqual({ target: 'textwrap.indent__default' });
    expect(await variant('indent(xs, n, bool)', 'textwrap.indent')).toBeUndefined();
  });

  it('take functools caches as decorators, by any import spelling', () => {
    expect(isCacheDecorator('lru_cache(maxsize=None)', { lru_cache: 'functools.lru_cache' })).toBe(true);
    expect(isCacheDecorator('functools.cache', { functools: 'functools' })).toBe(true);
    expect(isCacheDecorator('ft.lru_cache(128)', { ft: 'functools' })).toBe(true);
    expect(isCacheDecorator('cache', {})).toBe(false);
    expect(isCacheDecorator('wraps(f)', { wraps: 'functools.wraps' })).toBe(false);
  });

  it('read maxsize and typed as CPython does (lru_cache: 128 entries unless told; a negative size is 0)', () => {
    const ft = { functools: 'functools', lru_cache: 'functools.lru_cache', cache: 'functools.cache' };
    expect(cacheSpecOf('cache', ft)).toEqual({ maxsize: null, typed: false });
    expect(cacheSpecOf('lru_cache', ft)).toEqual({ maxsize: 128, typed: false });
    expect(cacheSpecOf('functools.lru_cache()', ft)).toEqual({ maxsize: 128, typed: false });
    expect(cacheSpecOf('lru_cache(None)', ft)).toEqual({ maxsize: null, typed: false });
    expect(cacheSpecOf('lru_cache(maxsize=-5, typed=True)', ft)).toEqual({ maxsize: 0, typed: true });
    expect(cacheSpecOf('lru_cache(32, True)', ft)).toEqual({ maxsize: 32, typed: true });
    expect(cacheSpecOf('lru_cache(maxsize=N)', ft)).toMatchObject({ error: expect.stringMatching(/maxsize must be an int literal or None/) });
    expect(cacheSpecOf('wraps(f)', { wraps: 'functools.wraps' })).toBeUndefined();
  });

  it('refuse what they do not compile, at the call, with what to write instead', async () => {
    const dir = project({
      'main.py': [
        'import itertools', 'from functools import cache, lru_cache', 'from kiln import compile', '',
        'def deco(f):', '    return f', '',
        '@deco', 'def plain(x):', '    return x', '',
        '@cache', 'def total(xs):', '    return sum(xs)', '',
        '@compile', 'def cycles(n: int) -> int:', '    return len(list(itertools.filterfalse(None, [1, n])))', '',
        '@compile', 'def dynamic_r(n: int) -> int:', '    return len(list(itertools.combinations([1, 2, 3], n)))', '',
        '@compile', 'def decorated(n: int) -> int:', '    return plain(n)', '',
        '@compile', 'def unhashable(n: int) -> int:', '    return total([n])', '',
        '@compile', 'def count_value(n: int) -> int:', '    c = [itertools.count(n)]', '    return 0', '',
        '@cache', 'def half(x):', '    return x / 2', '',
        '@compile', 'def int_and_float(n: int) -> float:', '    return half(n) + half(float(n))', '',
        '@lru_cache(maxsize=8, typed=True)', 'def third(x):', '    return x / 3', '',
        '@compile', 'def bounded_twice(n: int) -> int:', '    third(n)', '    third(float(n))', '    return third.cache_info().hits', '',
        '@cache', 'def pair(n):', '    return [n, n]', '',
        '@compile', 'def list_results(n: int) -> int:', '    pair(n)', '    return pair.cache_info().hits', '',
        '@compile', 'def not_cached(n: int) -> int:', '    return plain.cache_info().hits', '',
        '@compile', 'def parameters(n: int) -> int:', '    third.cache_parameters()', '    return n', '',
        '@compile', 'def no_field(n: int) -> int:', '    return total.cache_info().hit', '',
        '@compile', 'def padded_gen(xs: list[int]) -> int:', '    return len(list(itertools.zip_longest(xs, (x * 2 for x in xs))))', '',
        '@compile', 'def tee_gen(xs: list[int]) -> int:', '    a, b = itertools.tee(x * 2 for x in xs)', '    return sum(a) + sum(b)', '',
        '@compile', 'def bad_func(n: int) -> int:', '    return len(list(itertools.accumulate([1, n], lambda a, b: a + "x")))', '',
        '@compile', 'def padded_count(xs: list[int]) -> int:', '    return len(list(itertools.islice(itertools.zip_longest(xs, itertools.count()), 3)))', '',
        '@compile', 'def sliced_count(n: int) -> int:', '    return sum(itertools.islice(itertools.count(n), 3))', '',
        '@compile', 'def rebound_reader(xs: list[int]) -> int:', '    it = iter(xs)', '    m = map(abs, it)', '    if xs:', '        it = iter([1])', '    return next(m, 0) + next(it, 0)', '',
      ].join('\n'),
    });
    const compiled = await compileModule(path.join(dir, 'main.py'));
    const errors = Object.fromEntries(compiled.functions.map((f) => [f.name, f.error && { line: f.error.line, message: f.error.message, hint: f.error.hint }]));
    expect(errors.cycles).toMatchObject({ line: 18, message: 'itertools.filterfalse is outside the compiled subset', hint: expect.stringMatching(/^Kiln compiles these of itertools: accumulate, chain, chain\.from_iterable, .*groupby.*count\(\), repeat\(\) and cycle\(\)/) });
    // A run-time r: tuples of a run-time length (tuple[int, ...]).
    expect(errors.dynamic_r).toBeUndefined();
    expect(errors.decorated).toMatchObject({ line: 9, message: 'the decorator @deco on plain() is outside the compiled subset (the compiled call would run plain undecorated)' });
    expect(errors.unhashable).toMatchObject({ line: 30, message: "TypeError: unhashable type: 'list'" });
    expect(errors.count_value).toMatchObject({ line: 34, message: expect.stringMatching(/a count object is compiled where it is consumed/) });
    // Read by index where CPython reads it item by item among the others: a generator there would be read ahead.
    expect(errors.padded_gen).toMatchObject({ line: 79, message: expect.stringMatching(/^zip_longest\(\) over a generator is compiled with the generator as its first iterable/), hint: 'make a list of it first: list(...)' });
    // tee() of a generator expression: copies over one generator object of it (corpus lazy_readers_log: tee of a generator).
    expect(errors.tee_gen).toBeUndefined();
    // count() given to another iterator is a generator (itertools.py _count), but not where the other reads by index:
    // it would be read whole, forever.
    expect(errors.sliced_count).toBeUndefined();
    // One generator object per name where it is reassigned in a branch: reset in place, the map() over it would read the new one.
    expect(errors.rebound_reader).toMatchObject({ line: 103, message: expect.stringMatching(/^'it' is assigned again while an iterator made over it/) });
    expect(errors.padded_count).toMatchObject({ line: 92, message: expect.stringMatching(/^zip_longest\(\) over count\(\) is compiled with the generator as its first/), hint: 'make a list of the items it needs first: list(islice(it, n))' });
    // An error inside an inlined standard generator (accumulate's `func(total, x)`) is placed at the call in main.py,
    // not at accumulate's line number in main.py.
    expect(errors.bad_func).toMatchObject({ line: 88, message: expect.stringMatching(/^cannot infer the type of the result of bad_func\.<locals>\.<lambda>\(\)/) });
    // CPython's one cache answers half(1.0) with half(1)'s entry; compiled code has one table per specialisation.
    expect(errors.int_and_float).toMatchObject({ line: 38, message: expect.stringMatching(/half\(\) is cached and called with arguments of types \(int\) and \(float\)/), hint: expect.stringMatching(/typed=True/) });
    // cache_info() where the compiled tables are not CPython's one cache: bounded tables that evict apart, a table-less specialisation.
    expect(errors.bounded_twice).toMatchObject({ line: 53, message: expect.stringMatching(/^third\.cache_info\(\) is not compiled here: it is called with 2 combinations of argument types.*cache of 8 entries/) });
    expect(errors.list_results).toMatchObject({ line: 62, message: expect.stringMatching(/^pair\.cache_info\(\) is not compiled here: its specialisation for \(int\) -> list\[int\] runs every call/) });
    expect(errors.not_cached).toMatchObject({ line: 66, message: "AttributeError: 'function' object has no attribute 'cache_info'" });
    expect(errors.parameters).toMatchObject({ line: 70, message: 'cache_parameters() is not compiled', hint: 'the decorator says them: maxsize=8, typed=True' });
    expect(errors.no_field).toMatchObject({ line: 75, message: expect.stringMatching(/AttributeError: 'CacheInfo' object has no attribute 'hit'/) });
  });

  it('refuse a one-shot iterator used other than by reading it, with CPython\'s message where it raises one', async () => {
    const dir = project({
      'main.py': [
        'import itertools', 'from itertools import pairwise, takewhile', 'from kiln import compile', '',
        '@compile', 'def length(xs: list[int]) -> int:', '    return len(pairwise(xs))', '',
        '@compile', 'def index(xs: list[int]) -> int:', '    p = takewhile(lambda v: v > 0, xs)', '    return p[0]', '',
        '@compile', 'def twice(xs: list[int]) -> int:', '    p = pairwise(xs)', '    s = sum(a for a, b in p)', '    return s + sum(b for a, b in p)', '',
        '@compile', 'def in_loop(xs: list[int]) -> int:', '    c = itertools.combinations(xs, 2)', '    s = 0', '    for i in range(3):', '        s += len(list(c))', '    return s', '',
        '@compile', 'def concat(xs: list[int]) -> int:', '    return sum(itertools.chain(xs) + [1])', '',
        '@compile', 'def back(xs: list[int]) -> int:', '    r = reversed(xs)', '    return len(r)', '',
        '@compile', 'def appended(xs: list[int]) -> int:', '    p = itertools.islice(xs, 2)', '    p.append(1)', '    return 0', '',
        '@compile', 'def once(xs: list[int]) -> int:', '    p = pairwise(xs)', '    return sum(a * b for a, b in p)', '',
      ].join('\n'),
    });
    const compiled = await compileModule(path.join(dir, 'main.py'));
    const errors = Object.fromEntries(compiled.functions.map((f) => [f.name, f.error && { line: f.error.line, message: f.error.message }]));
    expect(errors.length).toEqual({ line: 7, message: "TypeError: object of type 'itertools.pairwise' has no len()" });
    expect(errors.index).toEqual({ line: 12, message: "TypeError: 'itertools.takewhile' object is not subscriptable" });
    // Read twice or in a loop: a generator object, whose later passes find it exhausted as CPython's (corpus one_pass_reads).
    expect(errors.twice).toBeUndefined();
    expect(errors.in_loop).toBeUndefined();
    expect(errors.concat).toMatchObject({ line: 30, message: expect.stringMatching(/^an itertools\.chain object is compiled where it is read once from its start/) });
    expect(errors.back).toMatchObject({ line: 35, message: 'len() of a reversed() iterator raises TypeError in CPython' });
    expect(errors.appended).toEqual({ line: 40, message: "AttributeError: 'itertools.islice' object has no attribute 'append'" });
    expect(errors.once).toBeUndefined();
  });

  it('read a group of groupby() only where CPython\'s is live, tee() only unpacked, cmp_to_key() only as a sort key', async () => {
    const dir = project({
      'main.py': [
        'import functools', 'from itertools import groupby, tee', 'from kiln import compile', '',
        '@compile', 'def stored(xs: list[int]) -> int:', '    gs = [g for k, g in groupby(xs)]', '    return len(gs)', '',
        '@compile', 'def after(xs: list[int]) -> int:', '    for k, g in groupby(xs):', '        pass', '    return len(list(g))', '',
        '@compile', 'def twice(xs: list[int]) -> int:', '    t = 0', '    for k, g in groupby(xs):', '        t += sum(g) + len(list(g))', '    return t', '',
        '@compile', 'def inner_loop(xs: list[int]) -> list[int]:', '    return [x for k, g in groupby(xs) for y in xs for x in g]', '',
        '@compile', 'def listed(xs: list[int]) -> int:', '    return len(list(groupby(xs)))', '',
        '@compile', 'def tee_index(xs: list[int]) -> int:', '    return sum(tee(xs)[0])', '',
        '@compile', 'def tee_twice(xs: list[int]) -> int:', '    a, b = tee(xs)', '    return sum(a) + len(list(zip(a, b)))', '',
        '@compile', 'def cmp_min(xs: list[int]) -> int:', '    return min(xs, key=functools.cmp_to_key(lambda a, b: a - b))', '',
        '@compile', 'def runs_gen(xs: list[int]) -> int:', '    return sum(len(list(g)) for k, g in groupby(x // 2 for x in xs))', '',
        '@compile', 'def tee_changed(xs: list[int]) -> int:', '    a, b = tee(xs)', '    xs.append(1)', '    return sum(a)', '',
        '@compile', 'def fine(xs: list[int]) -> int:', '    a, b = tee(xs)', '    return sum(len(list(g)) * k for k, g in groupby(a)) + sum(b)', '',
      ].join('\n'),
    });
    const compiled = await compileModule(path.join(dir, 'main.py'));
    const errors = Object.fromEntries(compiled.functions.map((f) => [f.name, f.error && { line: f.error.line, message: f.error.message }]));
    expect(errors.stored).toMatchObject({ line: 7, message: expect.stringMatching(/^an itertools\._grouper object is compiled where it is read once/) });
    expect(errors.after).toMatchObject({ line: 14, message: expect.stringMatching(/^'g' names a group of groupby\(\) outside the loop that unpacks it/) });
    expect(errors.twice).toMatchObject({ line: 20, message: expect.stringMatching(/^'g' is a group of groupby\(\), which is read only once/) });
    expect(errors.inner_loop).toMatchObject({ line: 25, message: expect.stringMatching(/read in a loop inside the one that unpacked it/) });
    expect(errors.listed).toMatchObject({ line: 29, message: expect.stringMatching(/^groupby\(\) is compiled as the iterable of a for loop or a comprehension that unpacks its items/) });
    expect(errors.tee_index).toMatchObject({ line: 33, message: expect.stringMatching(/^tee\(\) is compiled where its iterators are unpacked into names/) });
    // A copy read twice is a generator object, which zip() resumes (empty after sum(a), as CPython's: the corpus checks the values).
    expect(errors.tee_twice).toBeUndefined();
    expect(errors.cmp_min).toMatchObject({ line: 42, message: 'cmp_to_key() is compiled as the key of sorted() and list.sort()' });
    // A generator expression given to groupby is a generator object its groups share (corpus lazy_readers_log checks the values).
    expect(errors.runs_gen).toBeUndefined();
    // Its copies hold the list's items from the call; CPython's read the list as they are read.
    expect(errors.tee_changed).toMatchObject({ line: 51, message: expect.stringMatching(/^'xs' is changed after tee\(\) copied it/) });
    expect(errors.fine).toBeUndefined();
  });

  it('derive the comparisons @total_ordering adds, and refuse it where CPython raises or a base class would take part', async () => {
    const dir = project({
      'main.py': [
        'from functools import total_ordering', 'from kiln import compile', '',
        '@total_ordering', 'class Plain:', '    def __init__(self, v: int):', '        self.v = v', '',
        '@total_ordering', 'class Base:', '    def __init__(self, v: int):', '        self.v = v', '    def __lt__(self, other):', '        return self.v < other.v', '',
        '@total_ordering', 'class Derived(Base):', '    def __gt__(self, other):', '        return self.v > other.v', '',
        '@compile', 'def none_defined(a: int) -> bool:', '    return Plain(a) == Plain(a)', '',
        '@compile', 'def derived(a: int) -> bool:', '    return Derived(a) >= Derived(a)', '',
        '@compile', 'def derives(a: int, b: int) -> bool:', '    return Base(a) >= Base(b)', '',
      ].join('\n'),
    });
    const compiled = await compileModule(path.join(dir, 'main.py'));
    const errors = Object.fromEntries(compiled.functions.map((f) => [f.name, f.error && { message: f.error.message }]));
    expect(errors.none_defined).toMatchObject({ message: expect.stringMatching(/class Plain is not compiled: ValueError: must define at least one ordering operation: < > <= >= \(line 5\)/) });
    expect(errors.derived).toMatchObject({ message: expect.stringMatching(/on class Derived, which has a base class, is not compiled yet/) });
    expect(errors.derives).toBeUndefined();
  });

  it("raise OverflowError from cache_info() where compiled floats cannot count as CPython's cache (a NaN argument)", async () => {
    const dir = project({
      'counts.py': [
        'import math', 'from functools import cache', 'from kiln import compile', '',
        '@cache', 'def sign(x: float) -> float:', '    return math.copysign(1.0, x)', '',
        '@compile', 'def nan_hits(x: float) -> int:', '    sign.cache_clear()', '    sign(x)', '    sign(x)', '    return sign.cache_info().hits', '',
      ].join('\n'),
    });
    const run = (arg: string) => execa('node', [path.join(root, 'bin/kiln.mjs'), 'run', `${path.join(dir, 'counts.py')}::nan_hits`, '--', arg], { reject: false });
    // CPython: 1 hit for the same NaN object passed twice, 0 for two NaN objects; compiled floats have no identity.
    expect((await run('2.5')).stdout.trim()).toBe('1');
    const nan = await run("float('nan')");
    expect(nan.exitCode).not.toBe(0);
    expect(nan.stderr).toMatch(/OverflowError: sign\.cache_info\(\) is not CPython's count after a NaN argument/);
  });
});
