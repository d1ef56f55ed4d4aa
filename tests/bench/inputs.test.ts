/**
 * Array inputs of the benchmark suite: generated deterministically from a seed (the same values as
 * bench/gen_inputs.py, the Python twin), checked against the parameter's type, and array results compared
 * exactly by benchResultRepr. No timings.
 */
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { ArrayInputError, benchArgText, formatArrayInput, generateArray, parseArrayInput, splitmix64 } from '../../src-compiler/bench/inputs.ts';
import { expandCases } from '../../src-compiler/bench/benchmark.ts';
import { benchResultRepr } from '../../src-compiler/bench/variants.ts';
import { floatRepr, type PyValue } from '../../src-compiler/run/values.ts';
import { T } from '../../src-compiler/types/types.ts';
import type { ExportedFunction } from '../../src-compiler/lower/abi.ts';

const root = path.resolve(import.meta.dirname, '../..');
const f64 = (ndim: number) => T.array('float64', ndim);

describe('array inputs', () => {
  it('uses splitmix64 (its published first output for seed 0)', () => {
    expect(splitmix64(0)().toString(16)).toBe('e220a8397b1dcdaf');
  });

  it('parses and prints the text form, and accepts the suite.json object form', () => {
    expect(parseArrayInput('rand[200x200]#7')).toEqual({ array: 'random', shape: [200, 200], seed: 7 });
    expect(parseArrayInput('rand[10]#2(-1..1)')).toEqual({ array: 'random', shape: [10], seed: 2, low: -1, high: 1 });
    expect(formatArrayInput({ array: 'random', shape: [100000], seed: 1 })).toBe('rand[100000]');
    expect(benchArgText({ array: 'random', shape: [120, 120], seed: 2 })).toBe('rand[120x120]#2');
    expect(benchArgText('3.0')).toBe('3.0');
    expect(() => parseArrayInput('rand[10')).toThrow(ArrayInputError);
    expect(() => benchArgText({ array: 'random', shape: [1, 2, 3, 4] })).toThrow(/1 to 3/);
    expect(() => benchArgText({ array: 'zeros' as 'random', shape: [3] })).toThrow(/unknown/);
  });

  it('gives the same values on every call and the same values as bench/gen_inputs.py', async () => {
    const a = generateArray(parseArrayInput('rand[4x5]#7(-1..1)'), f64(2), 'u');
    const b = generateArray(parseArrayInput('rand[4x5]#7(-1..1)'), f64(2), 'u');
    expect(a).toEqual(b);
    expect(a.shape).toEqual([4, 5]);
    expect(a.values.every((x) => typeof x === 'number' && x >= -1 && x < 1)).toBe(true);
    expect(generateArray(parseArrayInput('rand[20]#8'), f64(1), 'u').values).not.toEqual(a.values);
    const py = await execa('python3', [path.join(root, 'bench/gen_inputs.py'), 'rand[4x5]#7(-1..1)']);
    expect(py.stdout.trim().split('\n')).toEqual(a.values.map((x) => floatRepr(x as number)));
  });

  it('follows the parameter: dtype from the annotation, dimensions checked', () => {
    const ints = generateArray(parseArrayInput('rand[1000]#3'), T.array('int64', 1), 'x');
    expect(ints.dtype).toBe('int64');
    expect(ints.values.every((x) => typeof x === 'bigint' && x >= 0n && x < 100n)).toBe(true);
    const f32 = generateArray(parseArrayInput('rand[100]'), T.array('float32', 1), 'x');
    expect(f32.values.every((x) => Math.fround(x as number) === x)).toBe(true);
    expect(() => generateArray(parseArrayInput('rand[10]'), f64(2), 'argument u')).toThrow(/argument u: rand\[10\] has 1 dimension\(s\), the parameter is ndarray\[float64, 2d\]/);
    expect(() => generateArray(parseArrayInput('rand[10]'), T.float, 'argument x')).toThrow(/is an array, but the parameter is float/);
  });

  it('expands a case with generated arrays next to literals, shown by their generator', () => {
    const fn = { name: 'diffusion', symbol: 'kiln_diffusion', params: [{ name: 'u', type: f64(2) }, { name: 'steps', type: T.int }], returnType: f64(2), line: 1, signature: '' } as ExportedFunction;
    const [c] = expandCases(fn, { file: 'x.py', func: 'diffusion', args: [{ array: 'random', shape: [3, 4], seed: 1 }, '10'] });
    expect(c.args).toEqual(['rand[3x4]', '10']);
    expect(c.values[0]).toMatchObject({ kind: 'array', dtype: 'float64', shape: [3, 4] });
    expect(c.values[1]).toEqual({ kind: 'int', value: 10n });
    expect(() => expandCases(fn, { file: 'x.py', func: 'diffusion', args: ['rand[12]', '10'] })).toThrow(/1 dimension/);
  });
});

describe('benchResultRepr', () => {
  const arr = (values: number[]): PyValue => ({ kind: 'array', dtype: 'float64', shape: [values.length], values });
  it('compares arrays exactly without printing them', () => {
    const big = Array.from({ length: 1000 }, (_, i) => i / 7);
    const r = benchResultRepr(arr(big));
    expect(r).toMatch(/^ndarray\[float64\] shape \(1000,\) \[0\.0, 0\.14285714285714285, 0\.2857142857142857, \.\.\., .*\] sha256:[0-9a-f]{16}$/);
    expect(benchResultRepr(arr([...big]))).toBe(r);
    const changed = [...big];
    changed[500] = changed[500] + 2 ** -40; // a difference in the middle, not in the items printed
    expect(benchResultRepr(arr(changed))).not.toBe(r);
    expect(benchResultRepr(arr([0.0]))).not.toBe(benchResultRepr(arr([-0.0])));
    expect(benchResultRepr(arr([NaN]))).toBe(benchResultRepr(arr([-NaN])));
  });
  it('prints a NumPy scalar as the number (CPython returns np.float64 where Numba returns float)', () => {
    expect(benchResultRepr({ kind: 'np', dtype: 'float64', value: 0.1 })).toBe(benchResultRepr({ kind: 'float', value: 0.1 }));
    expect(benchResultRepr({ kind: 'tuple', items: [{ kind: 'int', value: 3n }, { kind: 'float', value: 1 }] })).toBe('(3, 1.0)');
  });
});
