/**
 * Issue 22: the exported Python package (ctypes and the CPython extension) and the JS module dispatch on the exact
 * types of each call's arguments to the specialisation compiled for them, so the seed's fma(3, -1, 2) is the int -1
 * as in CPython. Every expected value is computed by CPython in the test (pyext-compare.py runs the original too).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const kiln = (...args: string[]) => execa('node', [path.join(root, 'bin/kiln.mjs'), ...args], { cwd: root, reject: false });
const compare = path.join(root, 'tests/export/pyext-compare.py');
const fma = path.join(root, 'examples/fma.py');
const tower = path.join(root, 'tests/corpus/tower_numbers.py');

type Outcome = [string, string];
interface Comparison { backend: Record<string, string>; cases: { function: string; args: string; original: Outcome; package: Outcome }[] }

async function comparePackage(original: string, pkg: string, cases: string[], env: Record<string, string> = {}, python = 'python3'): Promise<Comparison> {
  const r = await execa(python, [compare, original, pkg, `[${cases.join(', ')}]`], { reject: false, env: { ...process.env, ...env } });
  if (r.exitCode !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout);
}

// Calls whose result CPython and the package must agree on, result type included.
const FMA_CASES = [
  '("fma", (3, -1, 2), {})', '("fma", (), {"x": 3, "y": -1, "z": 2})', '("fma", (3.0, -1.0, 2.0), {})', '("fma", (3, -1.0, 2.0), {})',
  '("fma", (True, 2.0, 0.5), {})', '("fma", (2.0, True, 1.0), {})', '("fma", (2 ** 31, 2 ** 31, 1), {})',
  '("fma_loop", (12, 34, 5, 1000), {})', '("fma_loop", (12.0, 34.0, 5.0, 1000), {})', '("fma_loop", (3, -1, 2, 0), {})',
  // Past 64 bits, in results and in arguments: the int specialisation's big-int twin gives CPython's int.
  '("fma", (2 ** 40, 2 ** 40, 1), {})', '("fma_loop", (2 ** 40, -(2 ** 40), 7, 3), {})', '("fma", (2 ** 70, 3, -1), {})',
  '("fma", (True, -(2 ** 100), 2 ** 64), {})', '("fma_loop", (-(2 ** 64), 2, 1, 3), {})',
  // ... and beside floats: the mixed specialisation's twin rounds float(int) as CPython does, or raises its OverflowError.
  '("fma", (2 ** 70, 0.5, 1.0), {})', '("fma", (2 ** 53 + 1, 1.0, 0.0), {})', '("fma", (2 ** 1100, 1.0, 0.0), {})', '("fma_loop", (2 ** 70, 0.5, 1.0, 3), {})',
];
const TOWER_CASES = [
  '("merge_flags", (3, 4), {})', '("split_units", (17, 5), {})', '("split_units", (17.5, 5), {})', '("split_units", (17.5, True), {})',
  '("clamp_low", (-3, 0), {})', '("clamp_low", (-3, 0.0), {})', '("clamp_low", (2.5, 0), {})',
  '("triangle", (5, True), {})', '("midpoint", (1, 2), {})', '("repeat_fma", (12, 34, 5, 3), {})',
  // Listed by @compile(signatures=[...]): a bool of its own specialisation is returned as the bool.
  '("keep_positive", (3, 4), {})', '("keep_positive", (True, 2.5), {})', '("keep_positive", (False, -1.0), {})',
  // A list of ints where list[float] is annotated: the list[int] specialisation (sum is the int 6); [] runs it too.
  '("list_total", ([1, 2, 3],), {})', '("list_total", ([1.5, 2.0],), {})', '("list_total", ([],), {})', '("list_total", ((4, 5),), {})',
  '("scaled_head", ([2, 3], 2), {})', '("scaled_head", ([2.5], 2), {})', '("scaled_head", ([], 3), {})', '("scaled_head", ([4], 0.5), {})',
  // Float results past 64 bits: int / int correctly rounded, a list[int]'s sum compared exactly with a float.
  '("midpoint", (2 ** 70, 3), {})', '("midpoint", (2 ** 1100, 1), {})', '("list_total", ([2 ** 62, 2 ** 62, 2 ** 62],), {})',
  '("mean_excess", ([9223372036854775807, 9223372036854775807, 3], 6.148914691236517e18), {})',
];

describe('specialisations for the numeric tower in the exported package and JS module', () => {
  let dir: string;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-tower-'));
    for (const [file, out] of [[fma, 'fma'], [tower, 'tower']]) {
      const r = await kiln('export', file, '--target', 'host,wasm32', '--no-verify', '--out', path.join(dir, out));
      expect(r.exitCode, r.stderr).toBe(0);
    }
  }, 600_000);
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('the package returns what CPython returns (fma(3, -1, 2) is -1), through the extension and through ctypes', async () => {
    for (const [orig, pkg, cases] of [[fma, path.join(dir, 'fma/python/fma'), FMA_CASES], [tower, path.join(dir, 'tower/python/tower_numbers'), TOWER_CASES]] as const) {
      for (const env of [{}, { KILN_PYTHON_BACKEND: 'ctypes' }] as Record<string, string>[]) {
        const c = await comparePackage(orig, pkg, [...cases], env);
        if (!env.KILN_PYTHON_BACKEND) expect(Object.values(c.backend)).toContain('extension');
        for (const x of c.cases) expect(x.package, `${x.function}${x.args} ${JSON.stringify(env)}`).toEqual(x.original);
      }
    }
    const c = await comparePackage(fma, path.join(dir, 'fma/python/fma'), ['("fma", (3, -1, 2), {})']);
    expect(c.cases[0].package).toEqual(['ok', '-1']);
  });

  it('a call whose types were not compiled raises TypeError naming the given and the compiled types (both backends)', async () => {
    for (const env of [{}, { KILN_PYTHON_BACKEND: 'ctypes' }] as Record<string, string>[]) {
      const c = await comparePackage(fma, path.join(dir, 'fma/python/fma'), ['("fma", (True, True, 0), {})', '("fma", (2 ** 70, 1.0, 1.0), {})'], env);
      expect(c.cases[0].package[0]).toBe('TypeError');
      // A bool whose int specialisation's C differs (bool | bool is a bool in CPython): refused, never the int 1.
      const flags = await comparePackage(tower, path.join(dir, 'tower/python/tower_numbers'), ['("merge_flags", (True, False), {})'], env);
      expect(flags.cases[0].original).toEqual(['ok', 'True']);
      expect(flags.cases[0].package).toEqual(['TypeError', 'merge_flags() has no compiled specialisation for (a: bool, b: bool); compiled: (a: int, b: int) (convert the arguments, e.g. float(x), or give the types of a compiled one)']);
      expect(c.cases[0].package[1]).toMatch(/^fma\(\) has no compiled specialisation for \(x: bool, y: bool, z: int\); compiled: \(x: float, y: float, z: float\), \(x: int, y: int, z: int\), /);
      // A list mixing ints and floats (or of bools) at a list[float] parameter: no specialisation computes on it as CPython does.
      const mixed = await comparePackage(tower, path.join(dir, 'tower/python/tower_numbers'), ['("list_total", ([1, 2.5],), {})', '("list_total", ([True],), {})'], env);
      expect(mixed.cases[0].original).toEqual(['ok', '3.5']);
      expect(mixed.cases[0].package).toEqual(['TypeError', 'list_total() has no compiled specialisation for a list of float and int items at xs; compiled for list[float], list[int] (make the items one of these types, e.g. [float(x) for x in xs])']);
      expect(mixed.cases[1].package[1]).toMatch(/^list_total\(\) has no compiled specialisation for a list of bool items at xs;/);
      // An int past 64 bits beside floats: the mixed specialisation's big-int twin gives CPython's float.
      expect(c.cases[1].original).toEqual(['ok', '1.1805916207174113e+21']);
      expect(c.cases[1].package).toEqual(c.cases[1].original);
    }
  });

  it('the manifest lists each specialisation with its symbol', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'fma/python/fma/manifest.json'), 'utf8'));
    const f = manifest.functions.find((x: { name: string }) => x.name === 'fma');
    expect(f.symbol).toBe('kiln_fma');
    expect(f.specialisations[0]).toEqual({ code: 'iii', symbol: 'kiln_fma__iii', signature: 'fma(x: int, y: int, z: int) -> int', returns: 'int' });
    expect(f.specialisations).toHaveLength(3); // MAX_SPECIALISATIONS is 4, the annotated one included
    expect(f.boolAliases).toMatchObject({ bff: 'iff', fbf: 'fif' });
    // Those @compile(signatures=[...]) lists replace the default candidates, and the manifest says so.
    const listed = JSON.parse(fs.readFileSync(path.join(dir, 'tower/python/tower_numbers/manifest.json'), 'utf8')).functions.find((x: { name: string }) => x.name === 'keep_positive');
    expect(listed.specialisationsListedBy).toBe('@compile(signatures=[...])');
    expect(listed.specialisations.map((x: { code: string }) => x.code)).toEqual(['ii', 'bf']);
    const header = fs.readFileSync(path.join(dir, 'fma/fma-linux-x64/kiln_fma.h'), 'utf8');
    expect(header).toContain('int kiln_fma__iii(int64_t x, int64_t y, int64_t z, int64_t *out);');
  });

  it('NumPy scalars run the specialisations signatures= lists for them and give NumPy\'s results (np.float64(1.0) / 0.0 is inf)', async () => {
    const file = path.join(root, 'tests/corpus/numpy_scalars.py');
    const r = await kiln('export', file, '--target', 'host', '--no-verify', '--out', path.join(dir, 'np'));
    expect(r.exitCode, r.stderr).toBe(0);
    // The type and value of each call's result, or its exception, from the original and from the package (ctypes).
    // The original module and the exported package (ctypes), loaded side by side.
    const loadBoth = `
import importlib.util, sys
import numpy as np
sys.path.insert(0, ${JSON.stringify(path.join(root, 'resources/python'))})
def load(p, name, d=None):
    spec = importlib.util.spec_from_file_location(name, p, submodule_search_locations=[d] if d else None)
    m = importlib.util.module_from_spec(spec); sys.modules[name] = m; spec.loader.exec_module(m); return m
orig = load(${JSON.stringify(file)}, "orig")
pkg = load(${JSON.stringify(path.join(dir, 'np/python/numpy_scalars/__init__.py'))}, "pkg", ${JSON.stringify(path.join(dir, 'np/python/numpy_scalars'))})
`;
    const py = await execa('/usr/bin/python3', ['-c', `${loadBoth}
import warnings
warnings.simplefilter("ignore")
for args in [(np.float64(1.0), 0.0), (np.float64(1.5), -0.0), (np.int64(7), np.int64(2)), (7, 2), (7.0, 2.0), (7, 0)]:
    out = []
    for m in (orig, pkg):
        try:
            v = m.scaled_ratio(*args); out.append(f"{type(v).__name__} {v!r}")
        except Exception as e:
            out.append(f"{type(e).__name__}: {e}")
    print(out[0], "|", out[1])
`]);
    const rows = py.stdout.trim().split('\n').map((l) => l.split(' | '));
    expect(rows).toHaveLength(6);
    for (const [orig, pkg] of rows) expect(pkg).toBe(orig);
    expect(rows[0][1]).toBe('float64 inf');

    // Lists where arrays are annotated, and arrays where lists are (opt/arrayLike.ts): converted where only NumPy
    // functions and len() read the parameter (spread's a), else a TypeError, never a body run on the other kind.
    const lists = await execa('/usr/bin/python3', ['-c', `${loadBoth}
for name, args in [("spread", ([1.0, 4.0, 2.5], [0.5])), ("spread", ((1.0, -2.0), [])), ("spread", (np.array([3.0, 1.0]), [1.0])),
                   ("spread", ([1, 4], [0.5])), ("spread", (np.array([1.0]), np.array([0.5]))), ("votes_agree", ([1.0, -1.0],))]:
    out = []
    for m in (orig, pkg):
        try:
            v = getattr(m, name)(*args); out.append(f"{type(v).__name__} {v!r}")
        except Exception as e:
            out.append(f"{type(e).__name__}: {e}")
    print(out[0], "|", out[1])
`]);
    const got = lists.stdout.trim().split('\n').map((l) => l.split(' | '));
    expect(got, lists.stderr).toHaveLength(6);
    for (const [orig, pkg] of got.slice(0, 3)) expect(pkg).toBe(orig);
    // A list of ints is an int64 array to NumPy (np.max gives an int): not the compiled float64 one.
    expect(got[3][0]).toMatch(/^float /);
    expect(got[3][1]).toBe('TypeError: spread() was compiled for ndarray[float64, 1d] at a, and np.asarray of the list given is 1-D int64: pass np.asarray(a, dtype=np.float64)');
    // sum() of an array is NumPy's; indexing a list gives floats, not np.float64s: CPython runs them, the package refuses.
    expect(got[4][1]).toMatch(/^TypeError: spread\(\) was compiled for a list at weights, and its code does not treat a NumPy array as a list/);
    expect(got[5][1]).toMatch(/^TypeError: votes_agree\(\) was compiled for a NumPy array at x \(ndarray\[float64, 1d\]\), and its code does not treat a list as NumPy would/);
  }, 120_000);

  it('the JS module gives a bigint for an int result (fma(3n, -1n, 2n) is -1n) and a number for a float one, as CPython types them', async () => {
    const js = path.join(dir, 'fma/js/kiln_fma.mjs');
    const calls = [['fma', [3, -1, 2], 'iii'], ['fma', [3, -1, 2], 'fff'], ['fma', [true, 2, 0.5], 'bff'], ['fma_loop', [12, 34, 5, 1000], 'iiii'], ['fma_loop', [12, 34, 5, 1000], 'fffi'], ['fma', [2 ** 40, 2 ** 40, 1], 'iii'], ['fma', [2 ** 70, 3, -1], 'iii']] as const;
    // CPython's results: the arguments with the types each code names.
    const py = await execa('python3', ['-c', `
import importlib.util, json, sys
sys.path.insert(0, ${JSON.stringify(path.join(root, 'resources/python'))})
spec = importlib.util.spec_from_file_location("fma_original", ${JSON.stringify(fma)})
m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)
conv = {"i": int, "f": float, "b": bool}
out = []
for name, args, code in json.loads(sys.argv[1]):
    r = getattr(m, name)(*[conv[c](a) for a, c in zip(args, code)])
    out.append([type(r).__name__, repr(r)])
print(json.dumps(out))
`, JSON.stringify(calls)]);
    const expected = JSON.parse(py.stdout) as [string, string][];
    const node = await execa('node', ['--input-type=module', '-e', `
const m = await import(${JSON.stringify(js)});
const calls = ${JSON.stringify(calls)};
const conv = { i: (v) => BigInt(v), f: (v) => Number(v), b: (v) => Boolean(v) };
const out = calls.map(([name, args, code]) => { const r = m[name](...args.map((a, k) => conv[code[k]](a))); return [typeof r, String(r)]; });
console.log(JSON.stringify(out));
`]);
    const got = JSON.parse(node.stdout) as [string, string][];
    expect(got.map(([t]) => t)).toEqual(expected.map(([t]) => ({ int: 'bigint', float: 'number', bool: 'boolean' })[t]));
    expect(got.map(([, v]) => Number(v))).toEqual(expected.map(([, v]) => Number(v)));
    expect(got[0]).toEqual(['bigint', '-1']);
  });

  it('the JS module picks a list specialisation by its items: bigints list[int], numbers list[float], [] as the package does', async () => {
    const js = path.join(dir, 'tower/js/kiln_tower_numbers.mjs');
    const node = await execa('node', ['--input-type=module', '-e', `
const m = await import(${JSON.stringify(js)});
const show = (f) => { try { const r = f(); return [typeof r, String(r)]; } catch (e) { return [e.name, e.message]; } };
console.log(JSON.stringify([show(() => m.list_total([1n, 2n, 3n])), show(() => m.list_total([1.5, 2])), show(() => m.list_total([])),
  show(() => m.list_total([1n, 2.5])), show(() => m.scaled_head([2n, 3n], 2n)), show(() => m.scaled_head([], 3n))]));
`]);
    expect(JSON.parse(node.stdout), node.stderr).toEqual([['bigint', '6'], ['number', '3.5'], ['bigint', '0'],
      ['TypeError', 'list_total() has no compiled specialisation for a list of float and int items at xs; compiled for list[float], list[int] (make the items one of these types, e.g. [float(x) for x in xs])'],
      ['bigint', '6'], ['bigint', '3']]);
  });
});
