/**
 * Big-int twins (lower/c_bigint.ts, docs/design/numbers.md): which exported functions get one, that the int64
 * fast path's C is untouched by it, and that the twins of the bigint corpus leak nothing and make no invalid
 * access under valgrind. Results against CPython: the corpus (tests/corpus/bigint_arithmetic.py) and its
 * cross-target sample.
 */
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa, execaSync } from 'execa';
import { buildUnit, compileModule } from '../../src-compiler/pipeline.ts';
import { harnessLine } from '../../src-compiler/run/call.ts';
import { examplesFromDecorator, generateCases, loopSizedParams } from '../../src-compiler/run/inputs.ts';

const root = path.resolve(import.meta.dirname, '../..');

function has(cmd: string, args: string[]): boolean {
  try {
    execaSync(cmd, args);
    return true;
  } catch {
    return false;
  }
}
const valgrind = has('valgrind', ['--version']);

/** The body of a C function of the unit's source, from its definition line to its closing brace. */
const body = (source: string, name: string): string => {
  const start = source.search(new RegExp(`int ${name}\\([^;{]*\\) \\{`));
  return start < 0 ? '' : source.slice(start, source.indexOf('\n}\n', start));
};

describe('big-int twins', () => {
  it('exist for exported functions of ints only, and leave the int64 fast path as it was', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-twins-'));
    try {
      const file = path.join(dir, 'twins.py');
      fs.writeFileSync(file, [
        'from kiln import compile', '',
        '@compile', 'def mulmod(a: int, b: int, m: int) -> int:', '    return a * b % m', '',
        '@compile', 'def halves(a: int) -> float:', '    return a / 2', '',
        '@compile', 'def swaps(n: int) -> int:', '    a, b = 0, 1', '    for _ in range(n):', '        a, b = b, a + b', '    return a', '',
      ].join('\n'));
      const compiled = await compileModule(file);
      const source = compiled.unit!.source;
      expect(compiled.unit!.exports.map((e) => [e.name, !!e.bigResults])).toEqual([['mulmod', true], ['halves', false], ['swaps', true]]);
      expect(source).toContain('#include "kiln_bigint.h"');
      // The fast path is int64 with overflow checks, as without twins; the twin is kr_int.
      expect(body(source, 'kf_mulmod')).toMatch(/kr_mul_i64/);
      expect(body(source, 'kf_mulmod')).not.toMatch(/kr_int/);
      expect(body(source, 'kb_mulmod')).toMatch(/kr_int_mul\(/);
      // Re-run only for the int64 overflow, never for another error (ZeroDivisionError stays the fast path's).
      expect(body(source, 'kiln_mulmod')).toMatch(/kr_err\.message != kr_int_overflow_msg\) return kr_err\.kind;/);
      expect(source).not.toMatch(/kb_halves/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  const run = valgrind ? it : it.skip;
  run(`of the bigint corpus leak nothing under valgrind${valgrind ? '' : ' (skipped: valgrind is not installed)'}`, async () => {
    const compiled = await compileModule(path.join(root, 'tests/corpus/bigint_arithmetic.py'));
    expect(compiled.functions.filter((f) => f.error)).toEqual([]);
    const triple = process.arch === 'x64' ? 'x86_64-linux-gnu' : undefined; // valgrind does not decode AVX-512
    const built = await buildUnit(compiled.unit!, { harness: true }, { optLevel: 'O1', triple });
    const lines: string[] = [];
    for (const fn of compiled.unit!.exports) {
      const entry = compiled.program!.entries.find((e) => e.name === fn.name)!;
      const pyFn = compiled.module.functions.find((f) => f.name === fn.name)!;
      const examples = examplesFromDecorator(pyFn.decorator?.options.examples, fn.params).cases;
      const { cases } = generateCases(fn.params, loopSizedParams(compiled.program!, entry.ir), 8, examples);
      for (const c of cases) lines.push(harnessLine(fn, c));
    }
    const r = await execa('valgrind', ['--leak-check=full', '--show-leak-kinds=definite,indirect', '--errors-for-leak-kinds=definite,indirect', '--error-exitcode=99', built.harness!], {
      input: `${lines.join('\n')}\n`, reject: false, timeout: 900_000,
    });
    const out = r.stdout.split('\n').filter(Boolean);
    expect(out.length, r.stderr.slice(-2000)).toBe(lines.length);
    expect(r.exitCode, r.stderr.slice(-3000)).toBe(0);
    expect(r.stderr).toMatch(/definitely lost: 0 bytes|All heap blocks were freed/);
    expect(r.stderr).toMatch(/ERROR SUMMARY: 0 errors/);
    // Big results came back (hex() text), and an error after an overflow is still raised (ZeroDivisionError).
    expect(out.filter((l) => /^ok -?0x/.test(l)).length).toBeGreaterThan(5);
    expect(out.some((l) => l.startsWith('err ZeroDivisionError'))).toBe(true);
  }, 1_800_000);
});
