/**
 * `@compile(examples=[...])` is read from the source without running it (resources/python/kiln_frontend.py):
 * literals and arithmetic on literals (`2 ** 62`) become examples; anything else is a problem with its line,
 * which `kiln verify` prints instead of dropping the example without a word.
 */
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { compileModule } from '../../src-compiler/pipeline.ts';
import { examplesFromDecorator } from '../../src-compiler/run/inputs.ts';
import { formatVerifyReport, verifyModule } from '../../src-compiler/run/verify.ts';

const source = `from kiln import compile
LIMIT = 10


@compile(examples=[(2 ** 62, -3), (-(2 ** 3) * 2, 7 // 2), (1, 2.5e0 * 2)])
def arith(a: int, b: float) -> float:
    return a + b


@compile(examples=[(LIMIT,), (3,)])
def named(a: int) -> int:
    return a + 1
`;

describe('decorator examples', () => {
  it('evaluates arithmetic on literals and reports names with their line', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-examples-'));
    const file = path.join(dir, 'examples_mod.py');
    fs.writeFileSync(file, source);
    const m = await compileModule(file);
    const arith = m.module.functions.find((f) => f.name === 'arith')!;
    const fn = m.unit!.exports.find((e) => e.name === 'arith')!;
    const ex = examplesFromDecorator(arith.decorator?.options.examples, fn.params);
    expect(ex.problems).toEqual([]);
    expect(ex.cases.map((c) => c.map((v) => String((v as { value: unknown }).value)))).toEqual([
      ['4611686018427387904', '-3'], ['-16', '3'], ['1', '5'],
    ]);
    const named = m.module.functions.find((f) => f.name === 'named')!;
    expect(named.decorator?.problems).toEqual(['@compile(examples=...) at line 10: the name LIMIT is not evaluated (Kiln reads the file without running it); write its value']);

    const report = await verifyModule(file, { maxCases: 2 });
    const text = formatVerifyReport(report);
    expect(text).toContain('examples: examples_mod.py: @compile(examples=...) at line 10: the name LIMIT is not evaluated');
    expect(report.functions.every((f) => f.ok)).toBe(true);
  }, 120_000);

  it('says once, for every case, that CPython could not import the module, with the line', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-examples-'));
    const file = path.join(dir, 'broken_import.py');
    fs.writeFileSync(file, 'from kiln import compile\n\n\n@compile\ndef f(a: int) -> int:\n    return a + 1\n\n\nRATE = 1 // 0\n');
    const report = await verifyModule(file, { maxCases: 3 });
    const f = report.functions[0];
    expect(f.ok).toBe(false);
    expect(f.cases.length).toBeGreaterThan(1);
    for (const c of f.cases) expect(c.python).toBe('could not import broken_import.py (line 9): ZeroDivisionError: integer division or modulo by zero');
  }, 120_000);
});
