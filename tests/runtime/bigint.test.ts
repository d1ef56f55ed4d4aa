/**
 * Python's unbounded int (resources/c/kiln_bigint.h) against CPython 3.11: every operation of bigint.c's command
 * language on edge values (powers of two and their neighbours across the 30-bit digits and the 63-bit immediate
 * range, zero, negatives) and on seeded random operands up to 12,000 bits (Karatsuba's range), with CPython's
 * exceptions and messages. Pure integer arithmetic: every line must be identical on every target.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { buildDriver, every, expectSameLines, expectValgrindClean, pythonCases, runDriver, TARGETS, VALGRIND_MISSING } from './differential.ts';

let cases: { commands: string[]; expected: string[] };

describe('big ints against CPython', () => {
  beforeAll(async () => { cases = await pythonCases('bigint_cases.py', ['1', '4000']); }, 120_000);

  for (const target of TARGETS) {
    // qemu-arm emulates 32-bit ARM slowly: it runs every third command (all kinds of them are still there)
    const stride = target.name.includes('armv7') ? 3 : 1;
    (!!target.missing ? it.skip : it.concurrent)(`${target.name}: every result and error equals CPython's${target.missing ? ` (skipped: ${target.missing})` : ''}`, async () => {
      const exe = await buildDriver('bigint', target);
      const commands = every(cases.commands, stride), expected = every(cases.expected, stride);
      const r = await runDriver(target.runner(exe), commands);
      expect(r.exitCode, r.stderr).toBe(0);
      expectSameLines(commands, expected, r.lines, target);
    }, 300_000);
  }

  it.skipIf(!!VALGRIND_MISSING)(`is valgrind clean: no leak, no invalid access${VALGRIND_MISSING ? ` (skipped: ${VALGRIND_MISSING})` : ''}`, async () => {
    const exe = await buildDriver('bigint', 'valgrind');
    const commands = every(cases.commands, 20), expected = every(cases.expected, 20);
    const lines = await expectValgrindClean(exe, commands);
    expectSameLines(commands, expected, lines, TARGETS[0]);
  }, 300_000);
});
