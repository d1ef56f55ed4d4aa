/**
 * Incremental builds of a project (issue 21, README "Incremental builds"): a project's library is one object per
 * module plus the runtime's object (the shared state), each cached by the hash of its C; a change to one module
 * recompiles the objects whose C changed and relinks, and the library still agrees with CPython.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildUnit, compileProject, compileModule } from '../../src-compiler/pipeline.ts';
import { verifyModule } from '../../src-compiler/run/verify.ts';

const root = path.resolve(import.meta.dirname, '../..');
const flat = path.join(root, 'tests/fixtures/projects/flat');

describe('a project library is built from one object per module', () => {
  let dir: string;
  let cache: string;
  const savedCache = process.env.KILN_CACHE_DIR;
  beforeAll(() => {
    dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-incr-')), 'flat'); // the library is named after the folder
    cache = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-incr-cache-'));
    fs.cpSync(flat, dir, { recursive: true });
    process.env.KILN_CACHE_DIR = cache; // a private cache: the counts of compiled objects are this test's own
  });
  afterAll(() => {
    if (savedCache === undefined) delete process.env.KILN_CACHE_DIR;
    else process.env.KILN_CACHE_DIR = savedCache;
    fs.rmSync(path.dirname(dir), { recursive: true, force: true });
    fs.rmSync(cache, { recursive: true, force: true });
  });

  it('splits the C by module: the runtime object defines the state, a function another module calls is one hidden symbol', async () => {
    const unit = (await compileProject(dir)).unit!;
    const objects = Object.fromEntries(unit.objects!.map((o) => [o.sourceName, o.source]));
    expect(Object.keys(objects).sort()).toEqual(['kiln_flat.main.c', 'kiln_flat.utils.c', 'kiln_flat_runtime.c']);
    expect(unit.objects![0].sourceName).toBe('kiln_flat_runtime.c');
    expect(objects['kiln_flat_runtime.c']).toContain('#define KILN_SHARED_STATE\n#define KILN_RUNTIME_STATE\n');
    expect(objects['kiln_flat_runtime.c']).toContain('KILN_EXPORT const char *kiln_error_type(void)');
    for (const m of ['kiln_flat.main.c', 'kiln_flat.utils.c']) {
      expect(objects[m]).toContain('#define KILN_SHARED_STATE\n');
      expect(objects[m]).not.toContain('KILN_RUNTIME_STATE');
      expect(objects[m]).not.toContain('kiln_error_type');
    }
    // main.clamp01 calls utils.clamp: defined hidden in utils' object, declared in main's; clamp01 stays static.
    expect(objects['kiln_flat.utils.c']).toContain('KILN_HIDDEN int kf_utils_clamp(double x, double lo, double hi, double *kiln_ret) {');
    expect(objects['kiln_flat.main.c']).toContain('KILN_HIDDEN int kf_utils_clamp(double x, double lo, double hi, double *kiln_ret);');
    expect(objects['kiln_flat.main.c']).toContain('static int kf_main_clamp01(double x, double *kiln_ret) {');
    expect(objects['kiln_flat.main.c']).toContain('KILN_EXPORT int kiln_main_smooth(');
    expect(objects['kiln_flat.utils.c']).not.toContain('KILN_EXPORT');
    // The whole program stays one readable file, with every function static, as a module's own library.
    expect(unit.source).toContain('static int kf_utils_clamp(');
    expect(unit.source).not.toContain('KILN_SHARED_STATE');
  });

  it('a single file keeps its one C unit', async () => {
    const unit = (await compileModule(path.join(root, 'examples/fma.py'))).unit!;
    expect(unit.objects).toBeUndefined();
  });

  it('a one-line change recompiles only the objects whose C changed, and the library agrees with CPython', async () => {
    const cold = await buildUnit((await compileProject(dir)).unit!, { library: true });
    expect(cold.objects).toEqual({ total: 3, compiled: 3 });
    expect((await buildUnit((await compileProject(dir)).unit!, { library: true })).cached).toBe(true);

    // config.STEPS is read by main.smooth only: main's object is the one whose C changes.
    const configPy = path.join(dir, 'config.py');
    fs.writeFileSync(configPy, fs.readFileSync(configPy, 'utf8').replace('STEPS = 8', 'STEPS = 11'));
    let compiled = await compileProject(dir);
    const rebuilt = await buildUnit(compiled.unit!, { library: true });
    expect(rebuilt.cached).toBe(false);
    expect(rebuilt.objects).toEqual({ total: 3, compiled: 1 });
    expect(compiled.unit!.objects!.find((o) => o.sourceName === 'kiln_flat.main.c')!.source).toContain('INT64_C(11)');

    // A change to utils (a line added above its functions) recompiles utils' object alone: main calls its symbols.
    const utilsPy = path.join(dir, 'utils.py');
    fs.writeFileSync(utilsPy, fs.readFileSync(utilsPy, 'utf8').replace('EPS = 1e-12\n', 'EPS = 1e-12\nTINY = 1e-300\n'));
    compiled = await compileProject(dir);
    expect((await buildUnit(compiled.unit!, { library: true })).objects).toEqual({ total: 3, compiled: 1 });

    // The harness links the same objects; every function still agrees with CPython on the changed sources.
    const report = await verifyModule(dir, { compiled });
    expect(report.functions.map((f) => [f.name, f.ok, f.counts.match > 0])).toEqual(compiled.functions.map((f) => [f.name, true, true]));
  }, 600_000);

  // One project, one library (a build and a verification fewer than a project each): strings made in text's object,
  // dicts and sets in tally's, both used by main's.
  it('strings, dicts and sets made in one module\'s object are used, grown and freed by another\'s: one runtime per library, each object declares the instantiations', async () => {
    const proj = path.join(path.dirname(dir), 'mixp');
    fs.mkdirSync(proj);
    fs.writeFileSync(path.join(proj, 'text.py'), [
      'GREETING = "hello"', '', '',
      'def shout(s: str) -> str:', '    return s.upper() + "!"', '', '',
      'def count_vowels(s: str) -> int:', '    n = 0', '    for c in s:', '        if c in "aeiou":', '            n += 1', '    return n', '',
    ].join('\n'));
    fs.writeFileSync(path.join(proj, 'tally.py'), [
      'def tally(words: list[str]) -> dict[str, int]:', '    counts: dict[str, int] = {}', '    for w in words:',
      '        counts[w] = counts.get(w, 0) + 1', '    return counts', '', '',
      'def distinct(xs: list[int]) -> set[int]:', '    return set(xs)', '',
    ].join('\n'));
    fs.writeFileSync(path.join(proj, 'main.py'), [
      'from kiln import compile', 'from text import shout, count_vowels, GREETING', 'from tally import tally, distinct', '', '',
      '@compile(examples=[("abc",), ("",)])', 'def greet(name: str) -> str:', '    return shout(GREETING + ", " + name)', '', '',
      '@compile(examples=[("education",)])', 'def vowels(s: str) -> int:', '    if not s:', '        raise ValueError("empty")',
      '    return count_vowels(s) + count_vowels(GREETING)', '', '',
      '@compile(examples=[("a b a c",), ("",), ("xx y xx zz",)])', 'def most_common(text: str) -> int:',
      '    counts = tally(text.split())', '    best = 0', '    for w in counts.keys():', '        if counts[w] > best:', '            best = counts[w]',
      '    seen = distinct([1, 2, best])', '    seen.add(len(counts))', '    return best * 100 + len(counts) * 10 + len(seen)', '',
    ].join('\n'));
    const compiled = await compileProject(proj);
    const objects = compiled.unit!.objects!;
    expect(objects.map((o) => o.sourceName)).toEqual(['kiln_mixp_runtime.c', 'kiln_mixp.main.c', 'kiln_mixp.text.c', 'kiln_mixp.tally.c']);
    const object = (m: string) => objects.find((o) => o.sourceName === `kiln_mixp.${m}.c`)!.source;
    for (const o of objects) expect(o.source).toContain('#include "kiln_str.h"');
    expect(object('text')).toContain('KILN_HIDDEN int kf_text_shout(');
    // The dict runtime, through the collections header that includes it (Counter, defaultdict, OrderedDict, deque).
    for (const o of objects) expect(o.source).toContain('#include "kiln_collections.h"');
    for (const m of ['main', 'tally']) expect(object(m)).toContain('KR_DICT_DEFINE(');
    const report = await verifyModule(proj, { compiled });
    expect(report.functions.map((f) => [f.name, f.ok, f.counts.match > 0, f.counts.mismatch])).toEqual([
      ['main.greet', true, true, 0], ['main.vowels', true, true, 0], ['main.most_common', true, true, 0],
    ]);
  }, 600_000);
});
