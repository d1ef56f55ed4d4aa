/**
 * The fuzzer's parts on their own: deterministic generation, printing with Python's precedence, the
 * generator's math table against the op registry, the classification of calls and refusals, and the batch
 * runner's isolation (a program whose C does not build, a program whose native code hangs, leave the others
 * compared). The fixed-seed run against CPython is tests/fuzz/smoke.test.ts.
 */
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateProgram } from '../../src-compiler/fuzz/gen/index.ts';
import { MATH_FUNCTIONS } from '../../src-compiler/fuzz/gen/scalars.ts';
import { printExpr, printProgram, type Expr, type Program } from '../../src-compiler/fuzz/ast.ts';
import { classifyCase, refusalOf } from '../../src-compiler/fuzz/classify.ts';
import { batchModuleSource, evaluateBatch } from '../../src-compiler/fuzz/batch.ts';
import { loadModule } from '../../src-compiler/pipeline.ts';
import { annotationType } from '../../src-compiler/types/annotations.ts';
import { generateCases } from '../../src-compiler/run/inputs.ts';
import { runReferenceBatch } from '../../src-compiler/run/verify.ts';
import { exampleLiteral, problemOf, renameProgram } from '../../src-compiler/fuzz/reduce.ts';
import { lookupOp } from '../../src-compiler/types/ops/index.ts';
import { toRefJSON } from '../../src-compiler/run/values.ts';
import type { RefOutcome } from '../../src-compiler/run/verify.ts';
import { pythonWithNumpy } from '../tools.ts';

/** A Python with NumPy for the lists feature's programs (python3 has it here; else Debian's). */

const lit = (text: string): Expr => ({ k: 'lit', text, ty: text.includes('.') ? 'float' : 'int' });
const name = (id: string): Expr => ({ k: 'name', id });

describe('fuzz generator', () => {
  it('gives the same program for the same seed and index, another for another seed', () => {
    const a = printProgram(generateProgram(7, 3, ['scalars', 'lists']));
    expect(printProgram(generateProgram(7, 3, ['scalars', 'lists']))).toBe(a);
    expect(printProgram(generateProgram(8, 3, ['scalars', 'lists']))).not.toBe(a);
    // Program i does not depend on the programs before it.
    expect(printProgram(generateProgram(7, 3, ['scalars', 'lists']))).toBe(a);
  });

  it('calls only math functions the op registry supports', () => {
    for (const f of MATH_FUNCTIONS) expect(lookupOp(f.fn), f.fn).toBeDefined();
  });

  it('prints with the parentheses Python needs', () => {
    expect(printExpr({ k: 'unary', op: '-', e: lit('-1') })).toBe('--1');
    expect(printExpr({ k: 'bin', op: '**', l: { k: 'unary', op: '-', e: name('x') }, r: lit('2') })).toBe('(-x) ** 2');
    expect(printExpr({ k: 'unary', op: '-', e: { k: 'bin', op: '**', l: name('x'), r: lit('2') } })).toBe('-x ** 2');
    expect(printExpr({ k: 'bin', op: '**', l: name('x'), r: { k: 'bin', op: '**', l: name('y'), r: name('z') } })).toBe('x ** y ** z');
    expect(printExpr({ k: 'bin', op: '**', l: { k: 'bin', op: '**', l: name('x'), r: name('y') }, r: name('z') })).toBe('(x ** y) ** z');
    expect(printExpr({ k: 'bin', op: '-', l: name('a'), r: { k: 'bin', op: '-', l: name('b'), r: name('c') } })).toBe('a - (b - c)');
    expect(printExpr({ k: 'cmp', ops: ['<'], items: [name('a'), { k: 'cmp', ops: ['<'], items: [name('b'), name('c')] }] })).toBe('a < (b < c)');
    expect(printExpr({ k: 'unary', op: 'not', e: { k: 'boolop', op: 'and', items: [name('a'), name('b')] } })).toBe('not (a and b)');
    expect(printExpr({ k: 'ifexp', test: name('c'), body: name('a'), orelse: { k: 'ifexp', test: name('d'), body: name('b'), orelse: name('e') } })).toBe('a if c else b if d else e');
  });

  it.each([[['scalars', 'lists']], [['scalars', 'lists', 'strings', 'dicts']]])('writes programs CPython runs without a TypeError, on edge inputs (%j)', async (features) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-fuzz-test-'));
    const programs = Array.from({ length: 150 }, (_, i) => generateProgram(99, i, features));
    const file = path.join(dir, 'kfuzz_valid.py');
    fs.writeFileSync(file, batchModuleSource(programs));
    const mod = await loadModule(file);
    // Inputs as the fuzzer makes them, from each entry's annotations (typed as Kiln reads them).
    const calls = programs.map((p) => {
      const params = mod.functions.find((f) => f.name === p.name)!.params.map((x) => ({ name: x.name, type: annotationType(x.annotation, mod.imports)! }));
      return { fn: p.name, cases: generateCases(params, new Set(), 6).cases };
    });
    const outcomes = await runReferenceBatch(file, calls, { python: pythonWithNumpy(), limits: true });
    // A negative number to a fractional power is a complex number in Python (Kiln's documented limit, bit 4):
    // what CPython then does with it (a TypeError comparing it) is that limit's consequence, not the generator's.
    const typeErrors = outcomes.flatMap((o, i) => o.filter((x) => 'err' in x && x.err[0] === 'TypeError' && !((x.limits ?? 0) & 4)).map((x) => `${programs[i].name}: ${'err' in x ? x.err[1] : ''}`));
    expect(typeErrors).toEqual([]);
    expect(outcomes.flat().filter((x) => 'fatal' in x)).toEqual([]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('writes failing inputs as literals @compile(examples=) reads', () => {
    expect(exampleLiteral({ kind: 'float', value: NaN })).toBe('1e999 - 1e999');
    expect(exampleLiteral({ kind: 'float', value: -Infinity })).toBe('-1e999');
    expect(exampleLiteral({ kind: 'float', value: -0 })).toBe('-0.0');
    expect(exampleLiteral({ kind: 'tuple', items: [{ kind: 'int', value: -(2n ** 63n) }, { kind: 'float', value: 0.1 }] })).toBe('(-9223372036854775808, 0.1)');
  });
});

describe('fuzz classification', () => {
  const overflow = { ok: false as const, error: { type: 'OverflowError', message: 'integer result does not fit in 64 bits (Python would give a bigger int)', frames: [] } };
  const value = (v: bigint): RefOutcome => ({ ok: toRefJSON({ kind: 'int', value: v }) });

  it('accepts an OverflowError as a documented limit only where CPython left 64 bits', () => {
    expect(classifyCase({ ...value(2n ** 64n), limits: 1 }, overflow).status).toBe('limit');
    // An intermediate past 64 bits, a final value within: still the limit.
    expect(classifyCase({ ...value(3n), limits: 1 }, overflow).status).toBe('limit');
    const wrong = classifyCase({ ...value(-(2n ** 63n)), limits: 0 }, overflow);
    expect(wrong.status).toBe('mismatch');
    expect(wrong.kind).toBe('documented limit raised where CPython did not reach it');
  });

  it('compares exception messages, not only types', () => {
    const v = classifyCase({ err: ['ZeroDivisionError', 'float division by zero'] }, { ok: false, error: { type: 'ZeroDivisionError', message: 'division by zero', frames: [] } });
    expect(v).toMatchObject({ status: 'mismatch', kind: 'exception message' });
  });

  it('tells an int from a float and -0.0 from 0.0', () => {
    expect(classifyCase({ ok: toRefJSON({ kind: 'int', value: 1n }) }, { ok: true, value: { kind: 'float', value: 1 } })).toMatchObject({ status: 'mismatch', kind: 'result type' });
    expect(classifyCase({ ok: toRefJSON({ kind: 'float', value: -0 }) }, { ok: true, value: { kind: 'float', value: 0 } })).toMatchObject({ status: 'mismatch', kind: 'value' });
    expect(classifyCase({ ok: toRefJSON({ kind: 'float', value: NaN }) }, { ok: true, value: { kind: 'float', value: NaN } }).status).toBe('match');
  });

  it('counts refusals by reason, without the program\'s names and lines', () => {
    const d = { severity: 'error' as const, file: 'x.py', line: 3, col: 1, function: 'p1', construct: 'variable changes type', message: "variable 'v3' changes type from int (line 5) to float" };
    const e = { ...d, message: "variable 'v9' changes type from float (line 2) to int" };
    expect(refusalOf(d)).toEqual(refusalOf(e));
    expect(refusalOf(d)).toEqual({ reason: "variable changes type: variable '…' changes type between float and int", typing: true });
    expect(refusalOf({ ...d, construct: 'continue', message: "'continue' outside loop" }).typing).toBe(false);
  });
});

describe('fuzz batch isolation', () => {
  const program = (index: number, body: Program['entry']['body']): Program => ({
    name: `p${index}`, seed: 0, index, features: ['scalars'], constants: [], helpers: [], imports: [],
    entry: { name: `p${index}`, params: [{ name: 'a', ty: 'int', annotation: 'int' }], returns: 'int', body },
  });
  const ret = (e: Expr) => [{ k: 'return' as const, value: e }];
  const plus = (n: string): Expr => ({ k: 'bin', op: '+', l: name('a'), r: lit(n) });

  it('finds the program whose C does not build and compares the others', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-fuzz-test-'));
    const programs = [program(0, ret(plus('1'))), program(1, ret(plus('2'))), program(2, ret(plus('3')))];
    // A macro that breaks p1's C (its name, wherever it appears): the stand-in for a miscompiled function.
    const results = await evaluateBatch(programs, { dir, module: 'kfuzz_isolate_c', targets: [{ id: 'host', build: { harnessFlags: ['-Dkf_p1=kf_p1 syntax error'] }, slowdown: 1 }], maxCases: 6, jobs: 2 });
    expect(results[1].targets.host.failure?.kind).toBe('C compile error');
    for (const i of [0, 2]) {
      expect(results[i].targets.host.failure).toBeUndefined();
      expect(results[i].targets.host.counts.match).toBeGreaterThan(0);
    }
    expect(problemOf(results[1])).toMatchObject({ target: 'host', kind: 'C compile error' });
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('charges a hang to its program and runs the calls after it', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-fuzz-test-'));
    const hang = program(1, [{ k: 'while', test: lit('True'), body: [{ k: 'pass' }], orelse: [] }, ...ret(name('a'))]);
    const programs = [program(0, ret(plus('1'))), hang, program(2, ret(plus('3')))];
    // slowdown 0.1: the harness is given 1.5 s before it is stopped.
    const results = await evaluateBatch(programs, { dir, module: 'kfuzz_isolate_hang', targets: [{ id: 'host', build: {}, slowdown: 0.1 }], maxCases: 3, jobs: 2 });
    expect(results[1].targets.host.failure?.kind).toBe('timeout');
    expect(results[0].targets.host.counts.match).toBe(3);
    expect(results[2].targets.host.counts.match).toBe(3);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('renames a program and its helpers together', () => {
    const p = generateProgram(3, 11, ['scalars']);
    const q = renameProgram(p, 'c0');
    const text = printProgram(q);
    expect(text).not.toMatch(/\bp11/);
    expect(q.helpers.every((h) => h.name.startsWith('c0_'))).toBe(true);
  });
});
