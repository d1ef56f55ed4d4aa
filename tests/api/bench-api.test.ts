/**
 * The Benchmark panel's API calls: validated arguments, a tiny run with progress that is stored, the chart data,
 * export, cancellation. Timings are never asserted.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { ROOT, client as connect, ok, testHost } from './helpers.ts';
import { validateArgs, ApiArgumentError, type BenchProgressEvent, type BenchRunResult } from '../../src-compiler/api/schema.ts';

const { host } = testHost('kiln-bench-api-');
const client = () => connect(host);

describe('bench API', () => {
  beforeAll(async () => {
    ok(await client().call('project.open', { path: path.join(ROOT, 'examples') }));
  });

  it('validates the arguments of the bench calls', () => {
    expect(() => validateArgs('bench.run', { file: 'fma.py', function: 'fma_loop', variants: ['cpython', 'numba'] })).toThrow(ApiArgumentError);
    expect(() => validateArgs('bench.run', { file: 'fma.py', function: 'fma_loop', budgetMs: '10' })).toThrow(/'budgetMs' must be a number/);
    expect(() => validateArgs('bench.export', { runId: 1, format: 'xml' })).toThrow(/one of csv, json/);
    expect(validateArgs('bench.run', { file: 'fma.py', function: 'fma_loop', sweepParam: 'n_iter', sweepValues: ['1e3'], variants: ['kiln-native'] })).toBeTruthy();
  });

  it('proposes inputs: the loop-sizing parameter to sweep and the C reference next to the file', async () => {
    const d = ok<{ sweepParam: string; args: string[]; refC: string; params: { name: string }[] }>(await client().call('bench.defaults', { file: 'fma.py', function: 'fma_loop' }));
    expect(d.params.map((p) => p.name)).toEqual(['x', 'y', 'z', 'n_iter']);
    expect(d.sweepParam).toBe('n_iter');
    expect(d.refC).toBe('fma_loop.c');
    const f = ok<{ sweepParam: string | null; args: string[]; refC: string | null }>(await client().call('bench.defaults', { file: 'fma.py', function: 'fma' }));
    expect(f).toMatchObject({ sweepParam: null, args: ['3.0', '-1.0', '2.0'], refC: null });
  });

  it('refuses a reference outside the project', async () => {
    const m = await client().call('bench.run', { file: 'fma.py', function: 'fma_loop', refC: '../bench/kernels/fma_loop.c' });
    expect(m).toMatchObject({ type: 'error', error: { code: 'forbidden' } });
  });

  it('runs a tiny sweep with progress, stores it, and serves the chart data and exports', async () => {
    const c = client();
    const run = ok<BenchRunResult>(await c.call('bench.run', { file: 'fma.py', function: 'fma_loop', args: ['3.0', '-1.0', '2.0'], sweepParam: 'n_iter', sweepValues: ['1e3', '1e4'], budgetMs: 20 }));
    const events = c.progress as BenchProgressEvent[];
    expect(events[0]).toEqual({ kind: 'bench-start', points: 2, variants: ['cpython', 'kiln-native', 'kiln-ctypes', 'c-ref'] });
    expect(events.filter((e) => e.kind === 'variant-done').length).toBe(8);
    expect(run.runId).toBeTypeOf('number');
    expect(run.refC).toBe('fma_loop.c');
    expect(run.run.cases.map((k) => k.results.map((r) => [r.variant, r.status, r.resultRepr]))).toEqual([1, 2].map(() => [
      ['cpython', 'ok', '-1.0'], ['kiln-native', 'ok', '-1.0'], ['kiln-ctypes', 'ok', '-1.0'], ['c-ref', 'ok', '-1.0'],
    ]));
    const sweep = ok<{ param: string; series: { variant: string; points: { x: number }[] }[] }>(await c.call('bench.sweep', { runId: run.runId, function: 'fma_loop' }));
    expect(sweep.param).toBe('n_iter');
    expect(sweep.series.map((s) => [s.variant, s.points.map((p) => p.x)]).sort()).toEqual([['c-ref', [1000, 10000]], ['cpython', [1000, 10000]], ['kiln-ctypes', [1000, 10000]], ['kiln-native', [1000, 10000]]]);
    const sp = ok<{ function: string; file: string; variant: string; args: string[] }[]>(await c.call('bench.speedups', {}));
    expect(sp.map((s) => `${s.file}::${s.function}/${s.variant}@${s.args[3]}`).sort()).toEqual(['fma.py::fma_loop/c-ref@10000', 'fma.py::fma_loop/kiln-ctypes@10000', 'fma.py::fma_loop/kiln-native@10000']);
    const runs = ok<{ id: number; origin: string }[]>(await c.call('bench.runs', { file: 'fma.py', function: 'fma_loop' }));
    expect(runs[0]).toMatchObject({ id: run.runId, origin: 'studio' });
    const hist = ok<{ runId: number }[]>(await c.call('bench.history', { file: 'fma.py', function: 'fma_loop' }));
    expect(hist.map((h) => h.runId)).toEqual([run.runId, run.runId]);
    const cmp = ok<{ ratio: number; significant: boolean }[]>(await c.call('bench.compare', { a: run.runId, b: run.runId }));
    expect(cmp.length).toBe(8);
    for (const r of cmp) expect(r).toMatchObject({ ratio: 1, significant: false });
    const csv = ok<{ filename: string; content: string }>(await c.call('bench.export', { runId: run.runId, format: 'csv' }));
    expect(csv.filename).toBe(`kiln-bench-${run.runId}-fma_loop.csv`);
    expect(csv.content.trim().split('\n').length).toBe(9);
    const json = ok<{ content: string }>(await c.call('bench.export', { runId: run.runId, format: 'json' }));
    expect(JSON.parse(json.content).cases.length).toBe(2);
    expect(await c.call('bench.get', { runId: 99999 })).toMatchObject({ type: 'error', error: { code: 'not-found' } });
  });

  it('a cancelled run answers "cancelled" and stores nothing', async () => {
    const c = client();
    const before = ok<unknown[]>(await c.call('bench.runs', {})).length;
    let id = 0;
    const p = c.call('bench.run', { file: 'fma.py', function: 'fma_loop', sweepParam: 'n_iter', sweepValues: ['1e3', '1e4', '1e5'], budgetMs: 5000 }, (i) => (id = i));
    await new Promise((r) => setTimeout(r, 300));
    c.cancel(id);
    expect(await p).toMatchObject({ type: 'error', error: { code: 'cancelled' } });
    expect(ok<unknown[]>(await c.call('bench.runs', {})).length).toBe(before);
  });

  it('offers wasm32 under Node as an optional variant: labelled, stored as not native, left out of the speed-ups', async () => {
    expect(() => validateArgs('bench.run', { file: 'fma.py', function: 'fma', variants: ['kiln-macos-arm64'] })).toThrow(ApiArgumentError);
    const c = client();
    const run = ok<BenchRunResult>(await c.call('bench.run', { file: 'fma.py', function: 'fma', args: ['3.0', '-1.0', '2.0'], budgetMs: 20, variants: ['cpython', 'kiln-native', 'kiln-wasm32'] }));
    expect(run.run.cases[0].results.map((r) => [r.variant, r.label, r.status, r.resultRepr, r.target, r.emulated])).toEqual([
      ['cpython', 'CPython', 'ok', '-1.0', 'host', false],
      ['kiln-native', 'Kiln', 'ok', '-1.0', 'host', false],
      ['kiln-wasm32', 'Kiln wasm32 (wasm, Node)', 'ok', '-1.0', 'wasm32', true],
    ]);
    const sp = ok<{ function: string; variant: string }[]>(await c.call('bench.speedups', {}));
    expect(sp.filter((s) => s.function === 'fma').map((s) => s.variant)).toEqual(['kiln-native']);
  });
});
