import { describe, expect, it } from 'vitest';
import { compareSummaries, formatDuration, mean, nextRepetitions, noiseVerdict, quantile, stddev, summarize } from '../../src-compiler/bench/stats.ts';
import { measure } from '../../src-compiler/bench/measure.ts';
import { evaluateTargets } from '../../src-compiler/bench/suite.ts';
import { expandCases, parseSweepValue } from '../../src-compiler/bench/benchmark.ts';
import type { BenchCase, BenchRun, BenchVariantResult } from '../../src-compiler/bench/benchmark.ts';
import { T } from '../../src-compiler/types/types.ts';

describe('statistics', () => {
  it('quantiles interpolate between closest ranks like numpy', () => {
    const s = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(quantile(s, 0.5)).toBe(5.5);
    expect(quantile(s, 0.9)).toBeCloseTo(9.1, 12);
    expect(quantile(s, 0)).toBe(1);
    expect(quantile(s, 1)).toBe(10);
    expect(quantile([7], 0.9)).toBe(7);
    expect(Number.isNaN(quantile([], 0.5))).toBe(true);
  });

  it('mean and sample standard deviation (n - 1)', () => {
    expect(mean([2, 4, 4, 4, 5, 5, 7, 9])).toBe(5);
    expect(stddev([2, 4, 4, 4, 5, 5, 7, 9])).toBeCloseTo(2.138089935, 8);
    expect(stddev([3])).toBe(0);
  });

  it('summarize gives min/median/p90/stddev per call, and time per iteration', () => {
    const s = summarize([100, 102, 101, 103, 99, 100, 101], { repsPerSample: 1000, iterationsPerCall: 10 });
    expect(s.n).toBe(7);
    expect(s.repsPerSample).toBe(1000);
    expect(s.minNs).toBe(99);
    expect(s.maxNs).toBe(103);
    expect(s.medianNs).toBe(101);
    expect(s.p90Ns).toBeCloseTo(102.4, 10);
    expect(s.meanNs).toBeCloseTo(100.857142857, 6);
    expect(s.perIterationNs).toBeCloseTo(10.1, 10);
    expect(s.noisy).toBe(false);
    expect(s.noiseReason).toBeUndefined();
  });

  it('flags a result whose spread is too wide to trust, and says why', () => {
    const wide = summarize([100, 100, 100, 100, 100, 150, 200, 300]);
    expect(wide.noisy).toBe(true);
    expect(wide.noiseReason).toMatch(/spread/);
    const few = summarize([100, 100]);
    expect(few.noisy).toBe(true);
    expect(few.noiseReason).toMatch(/only 2 samples/);
    expect(noiseVerdict({ n: 10, spread: 0.05, cv: 0.5 })).toMatch(/coefficient of variation/);
    expect(noiseVerdict({ n: 10, spread: 0.05, cv: 0.01 })).toBeUndefined();
  });

  it('rejects empty or invalid samples', () => {
    expect(() => summarize([])).toThrow(/no samples/);
    expect(() => summarize([1, NaN])).toThrow(/finite/);
    expect(() => summarize([1, -2])).toThrow(/non-negative/);
  });

  it('grows the calls per sample toward the target duration, at most 100x per step', () => {
    expect(nextRepetitions(1, 50, 20_000_000)).toBe(100);
    expect(nextRepetitions(100, 1_000_000, 20_000_000)).toBe(2200);
    expect(nextRepetitions(5, 30_000_000, 20_000_000)).toBe(5);
    expect(nextRepetitions(1, 0, 1000)).toBe(100);
  });

  it('compares two results: ratio, speed-up, and whether the difference is above the noise', () => {
    const a = { minNs: 100, medianNs: 105, p90Ns: 110 };
    const same = { minNs: 101, medianNs: 107, p90Ns: 112 };
    const slower = { minNs: 150, medianNs: 160, p90Ns: 170 };
    expect(compareSummaries(a, same).significant).toBe(false);
    const c = compareSummaries(a, slower);
    expect(c.significant).toBe(true);
    expect(c.ratio).toBeCloseTo(160 / 105, 12);
    expect(c.speedup).toBeCloseTo(105 / 160, 12);
  });

  it('formats durations in a unit that suits them', () => {
    expect(formatDuration(0.5)).toBe('0.50 ns');
    expect(formatDuration(812)).toBe('812 ns');
    expect(formatDuration(3412)).toBe('3.41 us');
    expect(formatDuration(12_000_000)).toBe('12.0 ms');
    expect(formatDuration(1.52e9)).toBe('1.52 s');
  });
});

describe('the sampling loop', () => {
  it('calibrates, warms up and stops at the sample count (a fake clock: no real timing)', async () => {
    const calls: number[] = [];
    // Every call "costs" 1000 ns; the sampler reports exact totals, so every sample is 1000 ns per call.
    const sampler = { sample: async (reps: number) => { calls.push(reps); return reps * 1000; } };
    const m = await measure(sampler, { warmupMs: 0, budgetMs: 0, minSamples: 5, maxSamples: 5, minSampleMs: 1 });
    expect(m.samplesNs).toEqual([1000, 1000, 1000, 1000, 1000]);
    expect(m.reps).toBeGreaterThanOrEqual(1000); // 1 ms / 1000 ns
    expect(calls[0]).toBe(1);
    expect(m.summary.medianNs).toBe(1000);
    expect(m.summary.noisy).toBe(false);
  });

  it('stops when cancelled', async () => {
    const ac = new AbortController();
    const sampler = { sample: async (reps: number) => { ac.abort(); return reps; } };
    await expect(measure(sampler, { minSampleMs: 1 }, { signal: ac.signal })).rejects.toThrow(/cancelled/);
  });
});

describe('benchmark inputs', () => {
  const fn = { name: 'fma_loop', symbol: 'kiln_fma_loop', line: 1, signature: '', returnType: T.float,
    params: [{ name: 'x', type: T.float }, { name: 'y', type: T.float }, { name: 'z', type: T.float }, { name: 'n_iter', type: T.int }] };

  it('reads 1e3 as the int 1000 for an int parameter', () => {
    expect(parseSweepValue('1e3', 'int')).toBe('1000');
    expect(parseSweepValue('2.5e6', 'int')).toBe('2500000');
    expect(parseSweepValue('1e3', 'float')).toBe('1e3');
  });

  it('expands a sweep into one case per value, with iterations per call and coerced arguments', () => {
    const cases = expandCases(fn, { file: 'f.py', func: 'fma_loop', args: ['3', '-1', '2'], sweep: { param: 'n_iter', values: ['1e3', '1e4'] } });
    expect(cases.map((c) => c.args)).toEqual([['3.0', '-1.0', '2.0', '1000'], ['3.0', '-1.0', '2.0', '10000']]);
    expect(cases.map((c) => c.sweep)).toEqual([{ param: 'n_iter', value: 1000 }, { param: 'n_iter', value: 10000 }]);
    expect(cases.map((c) => c.iterationsPerCall)).toEqual([1000, 10000]);
  });

  it('says what is wrong with the arguments', () => {
    expect(() => expandCases(fn, { file: 'f.py', func: 'fma_loop', args: ['3'] })).toThrow(/takes 4 arguments/);
    expect(() => expandCases(fn, { file: 'f.py', func: 'fma_loop', args: ['3', '1', '2', '4'], sweep: { param: 'k', values: ['1'] } })).toThrow(/no parameter 'k'/);
    expect(() => expandCases(fn, { file: 'f.py', func: 'fma_loop', args: ['3', '1', '2', '4.5'] })).toThrow(/expected int/);
  });
});

describe('the suite targets', () => {
  const r = (variant: BenchVariantResult['variant'], medianNs: number, status: BenchVariantResult['status'] = 'ok'): BenchVariantResult => ({
    variant, label: variant, status, target: 'host', emulated: false,
    summary: status === 'ok' ? summarize([medianNs, medianNs, medianNs, medianNs, medianNs]) : undefined,
  });
  const kase = (kernel: string, results: BenchVariantResult[]): BenchCase => ({ kernel, file: 'k.py', function: kernel, signature: '', args: [], results });
  const run = (cases: BenchCase[]) => ({ cases } as unknown as BenchRun);
  const suite = { kernels: [{ kernel: 'loop', role: 'loop' }, { kernel: 'rec', role: 'recursion' }, { kernel: 'fma', role: 'scalar-call' }] } as never;

  it('reports met and missed honestly, and what could not be measured', () => {
    const v = evaluateTargets(run([
      kase('loop', [r('cpython', 3000), r('kiln-native', 100), r('c-ref', 95), r('numba', 120)]),
      kase('rec', [r('cpython', 1000), r('kiln-native', 200), r('c-ref', 100), r('numba', 0, 'not-installed')]),
      kase('fma', [r('kiln-native', 1), r('kiln-ctypes', 400)]),
    ]), suite);
    const tiny = evaluateTargets(run([
      kase('loop', [r('cpython', 3000), r('kiln-native', 0.62), r('c-ref', 0.53)]),
      kase('rec', [r('cpython', 1000), r('kiln-native', 101), r('c-ref', 100)]),
    ]), suite).find((x) => x.target.includes('hand-written C'))!;
    expect(tiny.met).toBe(true);
    expect(tiny.detail).toMatch(/met on rec \(1\.01x\); not comparable on loop \(1\.17x\): both take under 5 ns a call/);
    // A noisy timing ("?") is neither met nor missed: listed, and the target is not called met.
    const noisyK = { ...r('kiln-native', 150), summary: { ...summarize([150, 150, 150, 150, 150]), noisy: true } };
    const noisy = evaluateTargets(run([
      kase('loop', [r('cpython', 3000), noisyK, r('c-ref', 100)]),
      kase('rec', [r('cpython', 1000), r('kiln-native', 101), r('c-ref', 100)]),
    ]), suite).find((x) => x.target.includes('hand-written C'))!;
    expect(noisy.met).toBeUndefined();
    expect(noisy.detail).toMatch(/met on rec \(1\.01x\); too noisy to judge on loop \(1\.50x\?\)/);
    const byName = Object.fromEntries(v.map((x) => [x.target.split(' ')[2] + x.target.split(' ')[3], x]));
    const c = v.find((x) => x.target.includes('hand-written C'))!;
    expect(c.met).toBe(false);
    expect(c.detail).toMatch(/missed on rec \(2\.00x\)/);
    expect(c.detail).toMatch(/met on loop \(1\.05x\)/);
    const numba = v.find((x) => x.target.includes('Numba'))!;
    expect(numba.met).toBeUndefined(); // met where measured, but not measured on rec
    expect(numba.detail).toMatch(/not measured on rec \(not-installed\)/);
    const cpy = v.find((x) => x.target.includes('CPython'))!;
    expect(cpy.met).toBe(true);
    expect(cpy.detail).toMatch(/loop \(30\.0x\)/);
    const viaPython = v.find((x) => x.target.includes('exported package'))!;
    expect(viaPython.met).toBe(true);
    expect(viaPython.detail).toMatch(/399 ns/);
    expect(byName).toBeTruthy();
  });

  it("holds each dict kernel to its own speed-up over CPython, and leaves it out of the 1.10x-of-C target", () => {
    const dicts = { kernels: [{ kernel: 'bfs', role: 'dicts', minSpeedup: 5 }, { kernel: 'count', role: 'dicts', minSpeedup: 3 }] } as never;
    const v = evaluateTargets(run([
      kase('bfs', [r('cpython', 400), r('kiln-native', 100), r('c-ref', 30)]),
      kase('count', [r('cpython', 90), r('kiln-native', 20), r('c-ref', 20)]),
    ]), dicts);
    const t = v.find((x) => x.target.includes('dict kernels'))!;
    expect(t.met).toBe(false);
    expect(t.detail).toMatch(/missed on bfs >= 5x \(4\.0x\); met on count >= 3x \(4\.5x\)/);
    expect(v.find((x) => x.target.includes('hand-written C'))!.detail).toBe('no kernel of this kind was run');
  });
});
