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
import { execa } from 'execa';
import { compileModule } from '../../src-compiler/pipeline.ts';
import { exportModule } from '../../src-compiler/export/export.ts';
import { bigTwinProblem } from '../../src-compiler/lower/c_bigint.ts';
import { runUnderValgrind, skipNote, withValgrind } from './valgrind-corpus.ts';

const root = path.resolve(import.meta.dirname, '../..');

/** The body of a C function of the unit's source, from its definition line to its closing brace. */
const body = (source: string, name: string): string => {
  const start = source.search(new RegExp(`int ${name}\\([^;{]*\\) \\{`));
  return start < 0 ? '' : source.slice(start, source.indexOf('\n}\n', start));
};

describe('big-int twins', () => {
  it('exist for exported functions with ints, and leave the int64 fast path as it was', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-twins-'));
    try {
      const file = path.join(dir, 'twins.py');
      fs.writeFileSync(file, [
        'from kiln import compile', '',
        '@compile', 'def mulmod(a: int, b: int, m: int) -> int:', '    return a * b % m', '',
        '@compile', 'def halves(a: int) -> float:', '    return a / 2', '',
        '@compile', 'def swaps(n: int) -> int:', '    a, b = 0, 1', '    for _ in range(n):', '        a, b = b, a + b', '    return a', '',
        '@compile', 'def scale(x: float) -> float:', '    return x * 2.0', '',
      ].join('\n'));
      const compiled = await compileModule(file);
      const source = compiled.unit!.source;
      // A function of floats alone never overflows an int64: no twin (its int specialisation scale__i has one).
      expect(compiled.unit!.exports.map((e) => [e.name, !!e.bigResults, ...(e.variants ?? []).map((v) => [v.code, !!v.bigResults])])).toEqual([
        ['mulmod', true], ['halves', true], ['swaps', true], ['scale', false, ['i', true]]]);
      expect(source).toContain('#include "kiln_bigint.h"');
      // The fast path is int64 with overflow checks, as without twins; the twin is kr_int.
      expect(body(source, 'kf_mulmod')).toMatch(/kr_mul_i64/);
      expect(body(source, 'kf_mulmod')).not.toMatch(/kr_int/);
      expect(body(source, 'kbc_mulmod')).toMatch(/kr_int_mul\(/);
      expect(body(source, 'kb_mulmod')).toMatch(/kbc_mulmod\(/);
      // Re-run only for the int64 overflow, never for another error (ZeroDivisionError stays the fast path's).
      expect(body(source, 'kiln_mulmod')).toMatch(/if \(!KR_AT_INT_LIMIT\(\)\) kb_rc = kr_err\.kind;\n\s*else \{ kb_rc = kb_mulmod\(/);
      // int / int as CPython's long_true_divide: correctly rounded from the exact ints.
      expect(body(source, 'kbc_halves')).toMatch(/kr_int_truediv\(/);
      expect(source).not.toMatch(/int kb_scale\(/);
      expect(body(source, 'kbc_scale__i')).toMatch(/kr_int_to_f64\(/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('cover the helpers they call (recursion counted as the fast path counts it), str() of an int and lists of ints; refuse the rest, saying why', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-twins-'));
    try {
      const file = path.join(dir, 'helpers.py');
      fs.writeFileSync(file, [
        'import math', 'from kiln import compile', '',
        'def fact(n: int) -> int:', '    return 1 if n <= 1 else n * fact(n - 1)', '',
        'def is_odd(n: int) -> bool:', '    return n % 2 == 1', '',
        'def half(x: int) -> float:', '    return x / 2', '',
        '@compile', 'def odd_digits(n: int) -> int:', '    c = 0', '    for ch in str(fact(n)):', '        if is_odd(int(ch)):', '            c += 1', '    return c', '',
        '@compile', 'def squares(n: int) -> int:', '    xs = []', '    for i in range(n):', '        xs.append(i ** 9)', '    return sum(xs)', '',
        '@compile', 'def halves(n: int) -> int:', '    return int(half(n)) * n', '',
        '@compile', 'def floats(n: int) -> int:', '    x = n * 0.5', '    return int(x) * n', '',
        '@compile', 'def logs(n: int) -> float:', '    return math.log(n * n)', '',
        '@compile', 'def nearest(n: int, x: float) -> float:', '    return min(n * n, x)', '',
        '@compile', 'def grow(xs: list[int]) -> int:', '    xs.append(len(xs))', '    return sum(xs) * xs[0]', '',
        '@compile', 'def mean(xs: list[int]) -> float:', '    return sum(xs) / len(xs)', '',
      ].join('\n'));
      const compiled = await compileModule(file);
      const program = compiled.program!;
      const why = Object.fromEntries(program.entries.map((f) => [f.name, bigTwinProblem(f, program) ?? 'twin']));
      expect(why).toEqual({
        odd_digits: 'twin', squares: 'twin', halves: 'twin', floats: 'twin', mean: 'twin',
        // CPython takes the log of an int of any size; min() compares exactly and keeps the int (an int | float).
        logs: 'it passes an int to math.log, which CPython does not convert to a float',
        nearest: 'its result is not an int, a bool or a float',
        grow: 'it appends to a list and takes a list',
      });
      const source = compiled.unit!.source;
      // Without a twin, the int64 overflow's OverflowError says why (still Kiln's 64-bit limit to verification).
      expect(body(source, 'kiln_logs')).toContain('kr_err.message = "integer result does not fit in 64 bits (Python would give a bigger int; logs has no big-int twin to run instead: it passes an int to math.log, which CPython does not convert to a float)";');
      // One twin body per function reached (the helpers once each), the recursive one with its depth and RecursionError.
      expect(source.match(/^static int kbc_\w+\(.*\) \{$/gm)?.map((l) => l.slice(11, l.indexOf('('))).sort())
        .toEqual(['kbc_fact', 'kbc_floats', 'kbc_half', 'kbc_halves', 'kbc_is_odd', 'kbc_mean', 'kbc_nearest__ii', 'kbc_odd_digits', 'kbc_squares']);
      // int(x) of a float is an int of any size; x = n * 0.5 converts n as float(n) does (OverflowError past 1e308).
      expect(body(source, 'kbc_floats')).toMatch(/kr_int_to_f64\(kbv_n, &kb_d0\)/);
      expect(body(source, 'kbc_floats')).toMatch(/kr_int_from_f64\(/);
      expect(body(source, 'kbc_fact')).toMatch(/kb_depth > KILN_RECURSION_LIMIT\)\) \{ kr_raise\(KILN_RecursionError, "maximum recursion depth exceeded"\)/);
      expect(body(source, 'kbc_fact')).toMatch(/kbc_fact\([^;]*kb_depth \+ 1/);
      expect(body(source, 'kbc_odd_digits')).toMatch(/kbc_fact\([^;]*, 0, &kb_r\)/);
      expect(body(source, 'kbc_odd_digits')).toMatch(/kr_itext_from_int\(/);
      expect(body(source, 'kbc_squares')).toMatch(/kr_int_pow_bounded\(/);
      expect(body(source, 'kbc_squares')).toMatch(/kr_ints_append\(/);
      // The fast paths are untouched: int64 code with no kr_int in it.
      expect(body(source, 'kf_fact')).not.toMatch(/kr_int/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('give the JS module a BigInt and the Python package (extension and ctypes) an int of any size, equal to what CPython computes', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-twins-js-'));
    try {
      const file = path.join(dir, 'bigjs.py');
      fs.writeFileSync(file, [
        'from kiln import compile', '',
        'def fact(n: int) -> int:', '    return 1 if n <= 1 else n * fact(n - 1)', '',
        '@compile', 'def signed_factorial(n: int) -> int:', '    return fact(abs(n) % 200) * (-1 if n < 0 else 1)', '',
        '@compile', 'def small(n: int) -> int:', '    return n * 3', '',
        '@compile', 'def parsed(text: str, k: int) -> int:', '    return int(text) * k', '',
        '@compile', 'def ratio(n: int, d: float) -> float:', '    return n * n / d', '',
      ].join('\n'));
      // An int past 64 bits beside a str parameter goes to the twin too (<symbol>_big takes the str's UTF-8); a float
      // result of ints past 64 bits (ratio: n * n overflows, or n is past 64 bits; its int specialisation divides ints
      // exactly, its float one converts n * n as float() does).
      const calls = ['signed_factorial(30)', 'signed_factorial(-57)', 'signed_factorial(5)', 'small(7)', 'small(2 ** 62)', 'parsed("-123456789012345678901234567890", (3))', 'parsed("12", (3))',
        'parsed(" 12 ", (2 ** 70))', 'parsed("-5", (-(2 ** 64)))', 'ratio((2 ** 40), (3))', 'ratio((2 ** 70), (7))', 'ratio((2 ** 70), 0.75)', 'ratio((-(2 ** 500)), (2 ** 900))'];
      // CPython's answers (an exception as its type and message).
      const py = await execa('python3', ['-c', [
        'import sys; sys.path.insert(0, sys.argv[1]); sys.path.insert(0, sys.argv[2])',
        'from bigjs import *',
        ...calls.map((c) => `print(${c})`),
      ].join('\n'), dir, path.join(root, 'resources/python')]);
      const exported = await exportModule(file, { targets: ['linux-x64', 'wasm32'], out: path.join(dir, 'out') });
      expect(exported.targets.map((t) => t.status)).toEqual(['verified', 'verified']);
      for (const backend of ['extension', 'ctypes']) {
        const r = await execa('python3', ['-c', [
          'import sys; sys.path.insert(0, sys.argv[1])',
          'from bigjs import *',
          ...calls.map((c) => `print(${c})`),
        ].join('\n'), path.join(dir, 'out', 'python')], { reject: false, env: backend === 'ctypes' ? { KILN_PYTHON_BACKEND: 'ctypes' } : {} });
        expect(r.stderr, backend).toBe('');
        expect(r.stdout.split('\n'), backend).toEqual(py.stdout.split('\n'));
      }
      const js = calls.map((c) => c.replace(/\((-?\d+)( \*\* (\d+))?\)/g, (_m, a, p, e) => (p ? `(${a}n ** ${e}n)` : `(${a}n)`)));
      // A float: the same double as CPython's repr reads back to (JS prints floats otherwise).
      const expected = py.stdout.split('\n');
      const node = await execa('node', ['--input-type=module', '-e', [
        `const m = await import(${JSON.stringify(exported.jsModule!)});`,
        ...js.map((c, i) => `{ const v = m.${c}; console.log(typeof v === 'bigint' ? v.toString() : typeof v === 'number' && Object.is(v, Number(${JSON.stringify(expected[i])})) ? ${JSON.stringify(expected[i])} : 'not the same: ' + v); }`),
      ].join('\n')], { reject: false });
      expect(node.stderr).toBe('');
      expect(node.stdout.split('\n')).toEqual(py.stdout.split('\n'));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 600_000);

  withValgrind(`of the bigint corpus leak nothing under valgrind${skipNote}`, async () => {
    const { out } = await runUnderValgrind('bigint_arithmetic.py', { cases: 8 });
    // Big results came back (hex() text), and an error after an overflow is still raised (ZeroDivisionError).
    expect(out.filter((l) => /^ok -?0x/.test(l)).length).toBeGreaterThan(5);
    expect(out.some((l) => l.startsWith('err ZeroDivisionError'))).toBe(true);
    // Helpers, recursion, digit text and lists (bigint_euler.py): big results and the errors after an overflow
    // (ValueError for str() past 4300 digits, ZeroDivisionError for a modulus of 0).
    const euler = await runUnderValgrind('bigint_euler.py', { cases: 6 });
    expect(euler.out.filter((l) => /^ok -?0x/.test(l)).length).toBeGreaterThan(0);
    expect(euler.out.some((l) => l.startsWith('err ValueError') && l.includes('Exceeds the limit (4300 digits)'))).toBe(true);
    expect(euler.out.some((l) => l.startsWith('err ValueError') && l.includes('invalid literal for int() with base 10'))).toBe(true);
    expect(euler.out.some((l) => l.startsWith('err ZeroDivisionError'))).toBe(true);
  }, 1_800_000);
});
