/**
 * random (CPython 3.11) and np.random.default_rng (NumPy 2) in resources/c/kiln_random.h, value for value:
 * every method of both, thousands of draws per method for the seeds 0, 1, 42, 2**32+5, -7 and
 * 123456789012345678901234567890, interleaved as a program would call them, with their exceptions.
 * Methods built on arithmetic and sqrt are identical everywhere. Those that call log/exp/cos/sin/acos/pow give
 * what the target's C library gives: identical natively (glibc, as the CPython compared with); on musl-based
 * targets a few values differ in their last bits (counted and logged), and the streams stay in step.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { buildDriver, expectSameLines, expectValgrindClean, pythonCases, runDriver, TARGETS, type Tolerance, VALGRIND_MISSING } from './differential.ts';

const LIBM: Record<string, Tolerance> = {
  gauss: { ulps: 4 }, normalvariate: { ulps: 4 }, lognormvariate: { ulps: 8 }, expovariate: { ulps: 4 },
  gammavariate: { ulps: 8 }, betavariate: { ulps: 8 }, paretovariate: { ulps: 8 }, weibullvariate: { ulps: 8 },
  vonmisesvariate: { ulps: 1024 },   // acos near +-1 multiplies its argument's last-bit difference
};

let cases: { commands: string[]; expected: string[] };

describe('random and default_rng against CPython and NumPy', () => {
  beforeAll(async () => { cases = await pythonCases('random_cases.py', ['2000']); }, 120_000);

  for (const target of TARGETS) {
    (!!target.missing ? it.skip : it.concurrent)(`${target.name}: every stream equals CPython's and NumPy's${target.missing ? ` (skipped: ${target.missing})` : ''}`, async () => {
      const exe = await buildDriver('random', target);
      const r = await runDriver(target.runner(exe), cases.commands);
      expect(r.exitCode, r.stderr).toBe(0);
      const { tolerantLines, tolerantFloats } = expectSameLines(cases.commands, cases.expected, r.lines, target, LIBM);
      if (tolerantFloats) console.log(`${target.name}: ${tolerantFloats} values in ${tolerantLines} lines differ from glibc's in the last bits (C library rounding)`);
    }, 300_000);
  }

  it.skipIf(!!VALGRIND_MISSING)(`is valgrind clean: no leak, no invalid access${VALGRIND_MISSING ? ` (skipped: ${VALGRIND_MISSING})` : ''}`, async () => {
    const exe = await buildDriver('random', 'valgrind');
    const small = await pythonCases('random_cases.py', ['100']);   // every method, fewer draws: valgrind is ~30x slower
    expectSameLines(small.commands, small.expected, await expectValgrindClean(exe, small.commands), TARGETS[0]);
  }, 300_000);
});
