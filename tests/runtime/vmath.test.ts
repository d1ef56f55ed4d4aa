/**
 * The vectorised math (resources/c/kiln_vmath.h, docs/design/numpy-kernels.md): exp, log, sin, cos, tanh, erf,
 * sqrt and power in float64 and float32, on special values (NumPy's class of result exactly: NaN, +-inf, +-0) and
 * seeded random inputs over each function's range (within the documented bound in ULPs of a 50-digit decimal
 * reference, vmath_ref.py), the same bits whether a value is computed alone, in an array or in place; natively,
 * under valgrind, on wasm32 (with and without SIMD128) and under QEMU (arm64, armv7). Also: the coefficient header
 * is what scripts/vmath_coefficients.py generates, and softmax agrees with NumPy's.
 */
import { describe, expect, it } from 'vitest';
import { execa } from 'execa';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildDriver, driverTargets, expectValgrindClean, valgrind, type DriverTarget } from './drivers.ts';

const SOURCE = 'vmath.c';
const targets = driverTargets();
const python = process.env.KILN_PYTHON ?? 'python3';
const REF = path.join(import.meta.dirname, 'vmath_ref.py');
const ROOT = path.join(import.meta.dirname, '..', '..');

interface Report { max_ulp: Record<string, [number, string]>; failures: string[]; mismatches: string }

async function inputs(seed: number, count: number): Promise<string> {
  return (await execa(python, [REF, 'inputs', String(seed), String(count)])).stdout;
}
/** The decimal references take seconds: computed once per run for every target checking the same inputs. */
const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-vmath-ref-'));
async function check(seed: number, count: number, results: string): Promise<Report> {
  const r = await execa(python, [REF, 'check', String(seed), String(count), path.join(cacheDir, `${seed}-${count}.json`)], { input: results });
  return JSON.parse(r.stdout) as Report;
}
/** Every input within its bound, special values as NumPy, the three ways of computing agree. */
async function expectWithinBounds(t: DriverTarget, exe: string, seed: number, count: number) {
  const input = await inputs(seed, count);
  const r = await t.run!(exe, ['eval'], input);
  expect(r.exitCode, r.stderr).toBe(0);
  const report = await check(seed, count, r.stdout);
  expect(report.failures).toEqual([]);
  expect(report.mismatches).toBe('mismatches 0');
  expect(Object.keys(report.max_ulp).length).toBe(16);
  return report;
}

describe('vectorised math', () => {
  it('has the coefficients scripts/vmath_coefficients.py computes', async () => {
    const r = await execa(python, [path.join(ROOT, 'scripts', 'vmath_coefficients.py')]);
    expect(fs.readFileSync(path.join(ROOT, 'resources', 'c', 'kiln_vmath_coeffs.h'), 'utf8')).toBe(`${r.stdout}\n`);
  }, 120_000);

  it('is within its bounds and gives NumPy\'s special values, natively', async () => {
    const exe = await buildDriver(SOURCE, 'vmath', targets.host);
    const report = await expectWithinBounds(targets.host, exe, 1, 1500);
    console.log('max ULP (native):', Object.entries(report.max_ulp).map(([k, v]) => `${k} ${v[0].toFixed(2)}`).join(', '));
  });

  it('computes softmax as NumPy does (e = np.exp(x - x.max()); e / e.sum())', async () => {
    const exe = await buildDriver(SOURCE, 'vmath-softmax', targets.host);
    for (const n of [1, 7, 1000, 10_000]) {
      const out = await execa(exe, ['softmax', String(n), '3']);
      const compare = `
import sys, numpy as np
MASK = (1 << 64) - 1
state = 3
def nxt():
    global state
    state = (state + 0x9E3779B97F4A7C15) & MASK
    z = state
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return z ^ (z >> 31)
n = ${n}
x = np.array([(nxt() >> 11) * 2.0**-53 * 40.0 - 20.0 for _ in range(n)])
rows = [l.split() for l in sys.stdin.read().split("\\n") if l.strip()]
got64 = np.array([float.fromhex(r[0]) for r in rows]); got32 = np.array([float.fromhex(r[1]) for r in rows], dtype=np.float32)
for got, xx in ((got64, x), (got32, x.astype(np.float32))):
    e = np.exp(xx - np.max(xx)); want = e / np.sum(e)
    ulps = np.abs(got.astype(np.float64) - want.astype(np.float64)) / np.spacing(np.abs(want)).astype(np.float64)
    assert ulps.max() <= 4, (got.dtype, float(ulps.max()))
print("ok")
`;
      const r = await execa(python, ['-c', compare], { input: out.stdout, reject: false });
      expect(r.stderr).toBe('');
      expect(r.stdout.trim()).toBe('ok');
    }
    const empty = await execa(exe, ['softmax', '0', '1']);
    expect(empty.stdout.trim()).toBe('error ValueError: zero-size array to reduction operation maximum which has no identity');
  });

  it.skipIf(!valgrind)(`is valgrind clean${valgrind ? '' : ' (skipped: valgrind is not installed)'}`, async () => {
    const exe = await buildDriver(SOURCE, 'vmath-vg', targets.host, { optLevel: 'O1', triple: process.arch === 'x64' ? 'x86_64-linux-gnu' : undefined });
    const input = await inputs(1, 1500);
    const stdout = await expectValgrindClean(exe, ['eval'], input);
    expect((await check(1, 1500, stdout)).failures).toEqual([]);
  }, 300_000);

  it.skipIf(process.arch !== 'x64' || process.platform !== 'linux')('dispatches at load time to each x86-64 path (KILN_DISPATCH), each within its bounds, one value and arrays alike', async () => {
    // A baseline x86-64 unit (what kiln export builds for linux-x64) with the AVX2 and AVX-512 clones: every path the
    // CPU has, forced by KILN_ISA, is within the bounds, and its one-value form gives its array form's bits.
    const exe = await buildDriver(SOURCE, 'vmath-dispatch', targets.host, { triple: 'x86_64-linux-gnu', flags: ['-DKILN_DISPATCH'] });
    for (const cap of ['base', 'avx2', undefined]) {
      const input = await inputs(2, 600);
      const r = await execa(exe, ['eval'], { input, env: cap ? { KILN_ISA: cap } : {}, reject: false });
      expect(r.exitCode, r.stderr).toBe(0);
      const report = await check(2, 600, r.stdout);
      expect(report.failures, `KILN_ISA=${cap ?? '(best)'}`).toEqual([]);
      expect(report.mismatches).toBe('mismatches 0');
    }
  }, 300_000);

  for (const t of [targets.wasm32, targets.wasm32simd, targets.arm64, targets.armv7]) {
    it.skipIf(!t.run)(`is within its bounds on ${t.name}${t.run ? '' : ` (skipped: ${t.missing})`}`, async () => {
      const exe = await buildDriver(SOURCE, `vmath-${t.name.replace(/\W+/g, '-')}`, t);
      await expectWithinBounds(t, exe, 1, 1500);
    }, 300_000);
  }
});
