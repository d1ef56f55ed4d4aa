/**
 * The exported Python package's CPython extension (the fast path for scalar functions): same results and
 * same exceptions as the ctypes path and, where the ctypes path already agrees, as the Python original;
 * and the package falls back to ctypes when the extension is absent or switched off.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const kiln = (...args: string[]) => execa('node', [path.join(root, 'bin/kiln.mjs'), ...args], { cwd: root, reject: false });
const compare = path.join(root, 'tests/export/pyext-compare.py');

type Outcome = [string, string];
interface Comparison { backend: Record<string, string>; python: string; cases: { function: string; args: string; original: Outcome; package: Outcome }[] }

async function run(original: string, pkg: string, cases: string, o: { python?: string; env?: Record<string, string> } = {}): Promise<Comparison> {
  const r = await execa(o.python ?? 'python3', [compare, original, pkg, cases], { reject: false, env: { ...process.env, ...o.env } });
  if (r.exitCode !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout);
}

const list = (...cases: string[][]) => `[${cases.flat().join(', ')}]`;
// Cases where the Python original and the package agree (results, ZeroDivisionError, OverflowError...).
const ARITH_SAME = [
  '("floordiv_int", (7, 0), {})', '("floordiv_int", (-7, 2), {})', '("mod_int", (-7, 3), {})', '("mod_float", (5.0, 0.0), {})',
  '("true_div_int", (1, 0), {})', '("true_div_mixed", (3, 2), {})', '("power_float", (10.0, 400.0), {})',
  '("floordiv_int", (True, 2), {})', '("floordiv_int", (), {"a": 7, "b": 2})', '("floordiv_int", (1, 2, 3), {})', '("floordiv_float", (7.5, -2.0), {})',
];
// Cases where the package (both paths) has its own behaviour: ints are int64, parameters are typed (float(x); a bool takes True/False only).
const ARITH_KILN = [
  '("power_var", (2, 70), {})', '("floordiv_int", (2 ** 63, 1), {})', '("floordiv_int", (-2 ** 63 - 1, 1), {})', '("floordiv_int", ("a", 2), {})',
  '("floordiv_int", (7.5, 2), {})', '("floordiv_int", (7,), {})', '("floordiv_int", (1,), {"c": 2})', '("true_div_mixed", (1, "x"), {})',
  '("mixed_promotion", (1, 2.0, 5), {})', '("mixed_promotion", (1, 2.0, []), {})', '("power_float", (10 ** 400, 2.0), {})',
  '("true_div_int", (2 ** 63, 1), {})',
];
const FMA_SAME = [
  '("fma", (3.0, -1.0, 2.0), {})', '("fma", (0.1, 0.2, 0.3), {})', '("fma", (1e308, 10.0, -1e308), {})', '("fma", (float("nan"), 1.0, 0.0), {})',
  '("fma", (True, 2.0, 0.5), {})', '("fma", (), {"x": 2.0, "y": 3.0, "z": 1.0})',
  '("fma_loop", (3.0, -1.0, 2.0, 10), {})', '("fma_loop", (3.0, -1.0, 2.0, 0), {})',
  // Ints where floats are annotated run the int specialisation (types/tower.ts): the int 5, as CPython.
  '("fma", (1, 2, 3), {})', '("fma_loop", (12, 34, 5, 1000), {})',
  // 10 ** 400 runs the (int, float, float) specialisation's big-int twin: float(x) raises CPython's own OverflowError.
  '("fma", (10 ** 400, 1.0, 0.0), {})',
];
const FMA_KILN = ['("fma", ("1", 2.0, 3.0), {})', '("fma_loop", (1.0, 2.0, 3.0, 2.5), {})'];

describe('the exported Python package with its CPython extension', () => {
  let dir: string;
  let fmaPkg: string;
  let arithPkg: string;
  const fma = path.join(root, 'examples/fma.py');
  const arith = path.join(root, 'tests/corpus/arithmetic.py');

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-pyext-'));
    for (const [file, out] of [[fma, 'fma'], [arith, 'arith']]) {
      const r = await kiln('export', file, '--target', 'host', '--out', path.join(dir, out));
      expect(r.exitCode, r.stderr).toBe(0);
      expect(r.stderr).toMatch(/Python fast path: .*_kiln_fast\.abi3\.so \(abi3, built against /);
    }
    fmaPkg = path.join(dir, 'fma/python/fma');
    arithPkg = path.join(dir, 'arith/python/arithmetic');
  }, 300_000);
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('ships the extension in the package and records it in the manifest', () => {
    expect(fs.existsSync(path.join(fmaPkg, '_kiln_fast.abi3.so'))).toBe(true);
    const manifest = JSON.parse(fs.readFileSync(path.join(fmaPkg, 'manifest.json'), 'utf8'));
    expect(manifest.extension).toMatchObject({ path: '_kiln_fast.abi3.so', abi: 'abi3 (CPython >= 3.10)', functions: ['fma', 'fma_loop'] });
    expect(manifest.extension.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('gives the same results and exceptions as the Python original (fma, and ZeroDivisionError / OverflowError cases of the corpus)', async () => {
    for (const [orig, pkg, cases] of [[fma, fmaPkg, list(FMA_SAME)], [arith, arithPkg, list(ARITH_SAME)]]) {
      const c = await run(orig, pkg, cases);
      expect(Object.values(c.backend).filter((b) => b === 'extension').length).toBeGreaterThan(1);
      for (const x of c.cases) expect(x.package, `${x.function}${x.args}`).toEqual(x.original);
    }
    const c = await run(arith, arithPkg, list(ARITH_SAME));
    const kinds = c.cases.map((x) => x.package[0]);
    expect(kinds).toContain('ZeroDivisionError');
    expect(kinds).toContain('OverflowError');
  });

  it('behaves exactly like the ctypes path, including int64 OverflowError and wrong-type TypeError', async () => {
    for (const [orig, pkg, cases] of [[fma, fmaPkg, list(FMA_SAME, FMA_KILN)], [arith, arithPkg, list(ARITH_SAME, ARITH_KILN)]]) {
      const ext = await run(orig, pkg, cases);
      const ct = await run(orig, pkg, cases, { env: { KILN_PYTHON_BACKEND: 'ctypes' } });
      expect(new Set(Object.values(ct.backend))).toEqual(new Set(['ctypes']));
      expect(ext.cases.map((x) => x.package)).toEqual(ct.cases.map((x) => x.package));
    }
    const ext = await run(arith, arithPkg, list(ARITH_KILN));
    const by = (f: string, args: string) => ext.cases.find((x) => x.function === f && x.args === args)!.package;
    expect(by('power_var', '(2, 70)')[0]).toBe('OverflowError');
    // An int argument past 64 bits runs the big-int twin: CPython's int, or its correctly rounded float for int / int.
    expect(by('floordiv_int', `(${2n ** 63n}, 1)`)).toEqual(['ok', '9223372036854775808']);
    expect(by('true_div_int', `(${2n ** 63n}, 1)`)).toEqual(['ok', '9.223372036854776e+18']);
    expect(by('floordiv_int', "('a', 2)")[0]).toBe('TypeError');
    expect(by('true_div_mixed', "(1, 'x')")).toEqual(['TypeError', 'b must be a real number, not str']);
    // A bool parameter takes True/False only: bool(5) would compute what Python does not (it gives 15.0 here).
    expect(by('mixed_promotion', '(1, 2.0, 5)')).toEqual(['TypeError', 'c must be a bool (its annotation), not int']);
  });

  it('falls back to ctypes when the extension is absent, with the same results', async () => {
    const copy = path.join(dir, 'fma-no-ext', 'fma');
    fs.cpSync(fmaPkg, copy, { recursive: true });
    fs.rmSync(path.join(copy, '_kiln_fast.abi3.so'));
    const without = await run(fma, copy, list(FMA_SAME, FMA_KILN));
    expect(without.backend).toEqual({ fma: 'ctypes', fma_loop: 'ctypes' });
    const withExt = await run(fma, fmaPkg, list(FMA_SAME, FMA_KILN));
    expect(withExt.backend).toEqual({ fma: 'extension', fma_loop: 'extension' });
    expect(without.cases.map((x) => x.package)).toEqual(withExt.cases.map((x) => x.package));
  });

  it('loads the one abi3 build in another CPython (Debian /usr/bin/python3) too', async (ctx) => {
    if (!fs.existsSync('/usr/bin/python3')) return ctx.skip();
    const c = await run(fma, fmaPkg, list(FMA_SAME), { python: '/usr/bin/python3' });
    expect(c.backend).toEqual({ fma: 'extension', fma_loop: 'extension' });
    for (const x of c.cases) expect(x.package).toEqual(x.original);
  });
});
