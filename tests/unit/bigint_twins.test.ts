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
import { compileModule } from '../../src-compiler/pipeline.ts';
import { runUnderValgrind, skipNote, withValgrind } from './valgrind-corpus.ts';

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

  withValgrind(`of the bigint corpus leak nothing under valgrind${skipNote}`, async () => {
    const { out } = await runUnderValgrind('bigint_arithmetic.py', { cases: 8 });
    // Big results came back (hex() text), and an error after an overflow is still raised (ZeroDivisionError).
    expect(out.filter((l) => /^ok -?0x/.test(l)).length).toBeGreaterThan(5);
    expect(out.some((l) => l.startsWith('err ZeroDivisionError'))).toBe(true);
  }, 1_800_000);
});
