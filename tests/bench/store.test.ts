import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDb, type KilnDb } from '../../src-compiler/store/db.ts';
import { MIGRATIONS } from '../../src-compiler/store/migrations.ts';
import { compareRuns, functionHistory, getRun, listRuns, runToCsv, saveRun, speedups, sweepSeries } from '../../src-compiler/bench/store.ts';
import { summarize } from '../../src-compiler/bench/stats.ts';
import type { BenchCase, BenchRun, BenchVariantResult } from '../../src-compiler/bench/benchmark.ts';
import { DEFAULT_SETTINGS } from '../../src-compiler/bench/measure.ts';
import { recordBuild } from '../../src-compiler/store/builds.ts';
import { hostTargetId } from '../../src-compiler/targets/registry.ts';

const machine = { cpuModel: 'Test CPU', cores: 2, arch: 'x64', os: 'Linux 6.1', memoryGiB: 8, node: 'v20', machineId: 'm1' };

function result(variant: BenchVariantResult['variant'], samples: number[], extra: Partial<BenchVariantResult> = {}): BenchVariantResult {
  return { variant, label: variant, status: 'ok', target: 'host', emulated: false, resultRepr: '-1.0', summary: summarize(samples), samplesNs: samples, ...extra };
}

function sweepCase(n: number, kilnNs: number, build = true): BenchCase {
  return {
    kernel: 'fma_loop', file: '/p/fma.py', function: 'fma_loop', signature: 'fma_loop(x: float, y: float, z: float, n_iter: int) -> float',
    args: ['3.0', '-1.0', '2.0', String(n)], sweep: { param: 'n_iter', value: n }, iterationsPerCall: n,
    results: [
      result('cpython', [n * 50, n * 51, n * 50, n * 52, n * 50]),
      result('kiln-native', [kilnNs, kilnNs, kilnNs * 1.01, kilnNs, kilnNs]),
      { variant: 'numba', label: 'Numba', status: 'not-installed', message: 'numba is not installed', target: 'host', emulated: false },
    ],
    kilnBuild: build ? { dir: '/cache/b1', library: '/cache/b1/libkiln_fma.so', harness: '/cache/b1/h', cSource: 'int x;', pySource: 'def fma_loop(): pass', module: 'fma', flags: ['-O2'], toolchain: 'zig 0.11.0', cached: false, durationMs: 12 } : undefined,
  };
}

function makeRun(cases: BenchCase[], createdAt = '2025-01-01T00:00:00.000Z'): BenchRun {
  return { createdAt, origin: 'cli', machine, toolchain: { version: 'zig 0.11.0', source: 'test' }, flags: ['-O2', '-ffp-contract=off'], settings: DEFAULT_SETTINGS, cases,
    python: { executable: '/usr/bin/python3', version: '3.11.2', peers: { numba: null, pythran: null, cython: null } } };
}

let dir: string;
let db: KilnDb;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-bench-store-'));
  db = openDb(path.join(dir, 'kiln.db'));
});
afterEach(() => {
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('benchmark runs in SQLite', () => {
  it('migrates to the latest schema with the benchmark tables', () => {
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS[MIGRATIONS.length - 1].version);
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((t) => t.name);
    expect(tables).toEqual(expect.arrayContaining(['builds', 'bench_runs', 'bench_results']));
  });

  it('stores a run with its machine, every variant and its statistics, and reads it back unchanged', () => {
    const run = makeRun([sweepCase(1000, 10), sweepCase(10000, 10)]);
    const id = saveRun(db, run);
    const back = getRun(db, id)!;
    expect(back.machine).toEqual(machine);
    expect(back.flags).toEqual(run.flags);
    expect(back.python).toEqual(run.python);
    expect(back.cases).toHaveLength(2);
    const [c0] = back.cases;
    expect(c0.args).toEqual(['3.0', '-1.0', '2.0', '1000']);
    expect(c0.sweep).toEqual({ param: 'n_iter', value: 1000 });
    expect(c0.iterationsPerCall).toBe(1000);
    expect(c0.results.map((r) => r.variant)).toEqual(['cpython', 'kiln-native', 'numba']);
    expect(c0.results[0].summary).toEqual(run.cases[0].results[0].summary);
    expect(c0.results[0].samplesNs).toEqual(run.cases[0].results[0].samplesNs);
    expect(c0.results[2]).toMatchObject({ status: 'not-installed', message: 'numba is not installed' });
    expect(c0.results[2].summary).toBeUndefined();
  });

  it('links Kiln results to a row of builds, reusing it for the same C source and flags', () => {
    const id1 = saveRun(db, makeRun([sweepCase(1000, 10)]));
    const id2 = saveRun(db, makeRun([sweepCase(1000, 12)]));
    const builds = db.prepare('SELECT id, origin, status, function FROM builds').all() as { id: number; origin: string }[];
    expect(builds).toHaveLength(1);
    expect(builds[0]).toMatchObject({ origin: 'cli', status: 'built', function: 'fma_loop' });
    for (const id of [id1, id2]) {
      const rows = db.prepare('SELECT variant, build_id FROM bench_results WHERE run_id = ?').all(id) as { variant: string; build_id: number | null }[];
      expect(rows.find((r) => r.variant === 'kiln-native')!.build_id).toBe(builds[0].id);
      expect(rows.find((r) => r.variant === 'cpython')!.build_id).toBeNull();
    }
    const noBuild = saveRun(db, makeRun([sweepCase(1000, 10, false)]));
    expect(getRun(db, noBuild)!.cases[0].buildId).toBeUndefined();
  });

  it('links to an existing build of the same source, target, toolchain and flags (e.g. from kiln compile)', () => {
    const id = recordBuild(db, { file: '/p/fma.py', functions: ['fma', 'fma_loop'], source: 'def fma_loop(): pass', target: hostTargetId(),
      toolchainVersion: 'zig 0.11.0', flags: ['-O2'], status: 'built', origin: 'cli' });
    const run = saveRun(db, makeRun([sweepCase(1000, 10)]));
    expect(getRun(db, run)!.cases[0].buildId).toBe(id);
    expect(db.prepare('SELECT COUNT(*) AS n FROM builds').get()).toEqual({ n: 1 });
  });

  it("records a benchmark's build under the target id the studio and kiln compile --target use (macos-arm64, not darwin-arm64)", () => {
    const real = { platform: process.platform, arch: process.arch };
    const pretend = (platform: string, arch: string) => {
      Object.defineProperty(process, 'platform', { value: platform, configurable: true });
      Object.defineProperty(process, 'arch', { value: arch, configurable: true });
    };
    try {
      pretend('darwin', 'arm64');
      const run = saveRun(db, makeRun([sweepCase(1000, 10)]));
      const buildId = getRun(db, run)!.cases[0].buildId;
      expect(db.prepare('SELECT target FROM builds WHERE id = ?').get(buildId)).toEqual({ target: 'macos-arm64' });
    } finally {
      pretend(real.platform, real.arch);
    }
  });

  it('gives a sweep as one series per variant for the log-log chart', () => {
    const id = saveRun(db, makeRun([sweepCase(1000, 10), sweepCase(10000, 11), sweepCase(100000, 12)]));
    const { param, series } = sweepSeries(db, id, { function: 'fma_loop' });
    expect(param).toBe('n_iter');
    expect(series.map((s) => s.variant).sort()).toEqual(['cpython', 'kiln-native']);
    const cpy = series.find((s) => s.variant === 'cpython')!;
    expect(cpy.points.map((p) => p.x)).toEqual([1000, 10000, 100000]);
    expect(cpy.points.map((p) => p.medianNs)).toEqual([50000, 500000, 5000000]);
    expect(cpy.points[0].perIterationNs).toBeUndefined(); // not set by summarize() in this fixture
  });

  it('gives speed-ups over CPython per case and variant', () => {
    const id = saveRun(db, makeRun([sweepCase(1000, 10)]));
    expect(speedups(db, id)).toEqual([expect.objectContaining({ function: 'fma_loop', variant: 'kiln-native', speedup: 5000, noisy: false })]);
  });

  it("gives one function's history across runs, and compares two runs with the noise verdict", () => {
    const a = saveRun(db, makeRun([sweepCase(1000, 10)], '2025-01-01T00:00:00.000Z'));
    const b = saveRun(db, makeRun([sweepCase(1000, 20)], '2025-01-02T00:00:00.000Z'));
    const c = saveRun(db, makeRun([sweepCase(1000, 10.05)], '2025-01-03T00:00:00.000Z'));
    const h = functionHistory(db, { function: 'fma_loop', args: ['3.0', '-1.0', '2.0', '1000'] });
    expect(h.map((p) => p.runId)).toEqual([a, b, c]);
    expect(h.map((p) => p.medianNs)).toEqual([10, 20, 10.05]);
    const ab = compareRuns(db, a, b).find((r) => r.variant === 'kiln-native')!;
    expect(ab.ratio).toBe(2);
    expect(ab.significant).toBe(true);
    const ac = compareRuns(db, a, c).find((r) => r.variant === 'kiln-native')!;
    expect(ac.significant).toBe(false);
    expect(listRuns(db).map((r) => r.id)).toEqual([c, b, a]);
    expect(listRuns(db, { function: 'nothing' })).toEqual([]);
  });

  it('deleting a run deletes its results', () => {
    const id = saveRun(db, makeRun([sweepCase(1000, 10)]));
    db.prepare('DELETE FROM bench_runs WHERE id = ?').run(id);
    expect(db.prepare('SELECT COUNT(*) AS n FROM bench_results').get()).toEqual({ n: 0 });
  });

  it('exports a run as CSV with the machine on every row', () => {
    const csv = runToCsv(makeRun([sweepCase(1000, 10)]));
    const lines = csv.trim().split('\n');
    expect(lines[0]).toMatch(/^kernel,function,args,sweep_param,sweep_value,variant,status/);
    expect(lines).toHaveLength(4);
    expect(lines[2]).toContain('kiln-native,ok,-1.0,5,1,10,10');
    expect(lines[2]).toContain('Test CPU,2,Linux 6.1,zig 0.11.0');
  });
});
