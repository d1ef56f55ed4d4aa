/**
 * The math module's remaining functions, complex numbers, cmath and statistics (resources/c/kiln_math.h)
 * against CPython 3.11: special values (signed zeros, infinities, NaN, subnormals, overflow edges) and seeded
 * random arguments for every function, CPython's exceptions and messages included. Arithmetic-only results
 * (fsum, prod, hypot, dist, remainder, integer functions, complex arithmetic, statistics) are identical
 * everywhere; results of C library functions are identical natively (glibc, as the CPython compared with) and
 * on musl-based targets within the tolerances below (measured: see docs/design/numbers.md).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { buildDriver, every, expectSameLines, expectValgrindClean, pythonCases, runDriver, TARGETS, type Tolerance, VALGRIND_MISSING } from './differential.ts';

const ulps = (n: number): Tolerance => ({ ulps: n });
const rel: Tolerance = { rel: 1e-13 };
const LIBM: Record<string, Tolerance> = {
  erf: ulps(2), erfc: ulps(8), cbrt: ulps(4), gamma: ulps(16), lgamma: ulps(16), expm1: ulps(2), log1p: ulps(2),
  asinh: ulps(2), acosh: ulps(2), atanh: ulps(2), exp2: ulps(2), logint: ulps(2),
  ...Object.fromEntries(['sqrt', 'exp', 'log', 'log10', 'cos', 'sin', 'tan', 'acos', 'asin', 'atan', 'cosh', 'sinh', 'tanh',
    'acosh', 'asinh', 'atanh', 'abs', 'phase', 'polar', 'rect', 'logb'].map((f) => [`c_${f}`, rel])),
  // z ** w through polar form: a last-bit difference in log|z| is multiplied by w.imag into the phase
  c_pow: { rel: 1e-9 },
};

let cases: { commands: string[]; expected: string[] };

describe('math, cmath, complex and statistics against CPython', () => {
  beforeAll(async () => { cases = await pythonCases('math_cases.py', ['1', '20000']); }, 120_000);

  for (const target of TARGETS) {
    (!!target.missing ? it.skip : it.concurrent)(`${target.name}: every result and error equals CPython's${target.missing ? ` (skipped: ${target.missing})` : ''}`, async () => {
      const exe = await buildDriver('math', target);
      const r = await runDriver(target.runner(exe), cases.commands);
      expect(r.exitCode, r.stderr).toBe(0);
      const { tolerantLines, tolerantFloats } = expectSameLines(cases.commands, cases.expected, r.lines, target, LIBM);
      if (tolerantFloats) console.log(`${target.name}: ${tolerantFloats} values in ${tolerantLines} lines differ from glibc's in the last bits (C library rounding)`);
    }, 300_000);
  }

  it.skipIf(!!VALGRIND_MISSING)(`is valgrind clean: no leak, no invalid access${VALGRIND_MISSING ? ` (skipped: ${VALGRIND_MISSING})` : ''}`, async () => {
    const exe = await buildDriver('math', 'valgrind');
    const commands = every(cases.commands, 6), expected = every(cases.expected, 6);
    expectSameLines(commands, expected, await expectValgrindClean(exe, commands), TARGETS[0]);
  }, 300_000);
});
