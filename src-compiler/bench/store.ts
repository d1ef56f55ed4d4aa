/**
 * Benchmark runs in SQLite (tables bench_runs and bench_results, migration 2), and the plain queries the
 * studio's charts need: a sweep's series per variant, speed-ups per function, a function's history
 * across builds, and two runs side by side with the noise verdict.
 */
import type { KilnDb } from '../store/db.ts';
import { recordBuild, sourceHash } from '../store/builds.ts';
import { hostTargetId } from '../targets/registry.ts';
import type { BenchCase, BenchRun, BenchVariantResult } from './benchmark.ts';
import type { MachineInfo } from './machine.ts';
import { compareSummaries, type SampleSummary } from './stats.ts';

/**
 * The `builds` row of the Kiln build a case was measured with: an existing row for the same module source,
 * function, host target, toolchain and flags when there is one (e.g. from `kiln compile`), else a new row.
 */
export function recordBenchBuild(db: KilnDb, c: BenchCase, origin: 'cli' | 'studio' = 'cli'): number | undefined {
  const b = c.kilnBuild;
  if (!b) return undefined;
  const target = hostTargetId();
  const existing = db.prepare(`SELECT id FROM builds WHERE file = ? AND (',' || function || ',') LIKE ? AND source_hash = ? AND target = ?
      AND toolchain_version = ? AND flags = ? AND status IN ('built', 'verified', 'built-not-executed') ORDER BY id DESC LIMIT 1`)
    .get(c.file, `%,${c.function},%`, sourceHash(b.pySource), target, b.toolchain, b.flags.join(' ')) as { id: number } | undefined;
  if (existing) return existing.id;
  return recordBuild(db, {
    file: c.file, module: b.module, functions: [c.function], source: b.pySource, target, toolchain: b.toolchain.split(' ')[0],
    toolchainVersion: b.toolchain, flags: b.flags, durationMs: b.durationMs, status: 'built', artifactPath: b.library ?? b.harness ?? b.dir,
    firstLine: 'built for a benchmark (kiln bench)', origin,
  });
}

/** Stores a run and every result; returns the run id. Sets `buildId` on cases with a Kiln build. */
export function saveRun(db: KilnDb, run: BenchRun): number {
  return db.transaction(() => {
    const m = run.machine;
    const r = db.prepare(`INSERT INTO bench_runs (created_at, label, origin, machine_id, cpu_model, cores, os, arch, machine_json, toolchain, flags, python, python_json, settings_json)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(
      run.createdAt, run.label ?? null, run.origin, m.machineId, m.cpuModel, m.cores, m.os, m.arch, JSON.stringify(m),
      run.toolchain.version, run.flags.join(' '), run.python ? `${run.python.executable} ${run.python.version}` : null,
      run.python ? JSON.stringify(run.python) : null, JSON.stringify(run.settings),
    );
    const runId = Number(r.lastInsertRowid);
    const ins = db.prepare(`INSERT INTO bench_results (run_id, build_id, kernel, file, function, signature, args_json, sweep_param, sweep_value, iterations_per_call,
      variant, variant_label, variant_version, target, emulated, status, message, result_repr, samples, reps_per_sample,
      min_ns, median_ns, p90_ns, mean_ns, max_ns, stddev_ns, per_iteration_ns, noisy, noise_reason, samples_json)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    for (const c of run.cases) {
      c.buildId = recordBenchBuild(db, c, run.origin === 'studio' ? 'studio' : 'cli');
      for (const v of c.results) {
        const s = v.summary;
        ins.run(
          runId, v.variant.startsWith('kiln') ? (c.buildId ?? null) : null, c.kernel, c.file, c.function, c.signature, JSON.stringify(c.args),
          c.sweep?.param ?? null, c.sweep?.value ?? null, c.iterationsPerCall ?? null,
          v.variant, v.label, v.version ?? null, v.target, v.emulated ? 1 : 0, v.status, v.message ?? null, v.resultRepr ?? null,
          s?.n ?? null, s?.repsPerSample ?? null, s?.minNs ?? null, s?.medianNs ?? null, s?.p90Ns ?? null, s?.meanNs ?? null, s?.maxNs ?? null,
          s?.stddevNs ?? null, s?.perIterationNs ?? null, s ? (s.noisy ? 1 : 0) : null, s?.noiseReason ?? null,
          v.samplesNs ? JSON.stringify(v.samplesNs) : null,
        );
      }
    }
    return runId;
  })();
}

export interface StoredRunSummary {
  id: number;
  createdAt: string;
  label: string | null;
  origin: string;
  machineId: string;
  cpuModel: string;
  cores: number;
  os: string;
  toolchain: string;
  flags: string;
  python: string | null;
  cases: number;
}

export function listRuns(db: KilnDb, opts: { limit?: number; file?: string; function?: string } = {}): StoredRunSummary[] {
  const where: string[] = [];
  const params: unknown[] = [];
  if (opts.file) { where.push('EXISTS (SELECT 1 FROM bench_results b WHERE b.run_id = r.id AND b.file = ?)'); params.push(opts.file); }
  if (opts.function) { where.push('EXISTS (SELECT 1 FROM bench_results b WHERE b.run_id = r.id AND b.function = ?)'); params.push(opts.function); }
  return db.prepare(`SELECT r.id, r.created_at AS createdAt, r.label, r.origin, r.machine_id AS machineId, r.cpu_model AS cpuModel, r.cores, r.os,
      r.toolchain, r.flags, r.python,
      (SELECT COUNT(DISTINCT b.kernel || '|' || b.args_json) FROM bench_results b WHERE b.run_id = r.id) AS cases
    FROM bench_runs r ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY r.id DESC LIMIT ?`).all(...params, opts.limit ?? 50) as StoredRunSummary[];
}

interface ResultRow {
  id: number; run_id: number; build_id: number | null; kernel: string; file: string; function: string; signature: string | null; args_json: string;
  sweep_param: string | null; sweep_value: number | null; iterations_per_call: number | null; variant: string; variant_label: string | null;
  variant_version: string | null; target: string; emulated: number; status: string; message: string | null; result_repr: string | null;
  samples: number | null; reps_per_sample: number | null; min_ns: number | null; median_ns: number | null; p90_ns: number | null; mean_ns: number | null;
  max_ns: number | null; stddev_ns: number | null; per_iteration_ns: number | null; noisy: number | null; noise_reason: string | null;
  samples_json: string | null;
}

function summaryOf(r: ResultRow): SampleSummary | undefined {
  if (r.median_ns === null) return undefined;
  const s: SampleSummary = {
    n: r.samples ?? 0, repsPerSample: r.reps_per_sample ?? 1, minNs: r.min_ns!, medianNs: r.median_ns, p90Ns: r.p90_ns!, meanNs: r.mean_ns!,
    maxNs: r.max_ns!, stddevNs: r.stddev_ns!, cv: r.mean_ns ? r.stddev_ns! / r.mean_ns : 0, spread: r.median_ns ? (r.p90_ns! - r.min_ns!) / r.median_ns : 0,
    noisy: !!r.noisy,
  };
  if (r.noise_reason) s.noiseReason = r.noise_reason;
  if (r.per_iteration_ns !== null) s.perIterationNs = r.per_iteration_ns;
  return s;
}

/** Reads a stored run back as the same `BenchRun` shape the benchmark produced. */
export function getRun(db: KilnDb, id: number): (BenchRun & { id: number }) | undefined {
  const r = db.prepare('SELECT * FROM bench_runs WHERE id = ?').get(id) as Record<string, string | number | null> | undefined;
  if (!r) return undefined;
  const rows = db.prepare('SELECT * FROM bench_results WHERE run_id = ? ORDER BY id').all(id) as ResultRow[];
  const cases: BenchCase[] = [];
  const byKey = new Map<string, BenchCase>();
  for (const row of rows) {
    const key = `${row.file}|${row.function}|${row.kernel}|${row.args_json}`;
    let c = byKey.get(key);
    if (!c) {
      c = {
        kernel: row.kernel, file: row.file, function: row.function, signature: row.signature ?? '', args: JSON.parse(row.args_json), results: [],
        sweep: row.sweep_param !== null ? { param: row.sweep_param, value: row.sweep_value! } : undefined,
        iterationsPerCall: row.iterations_per_call ?? undefined, buildId: row.build_id ?? undefined,
      };
      byKey.set(key, c);
      cases.push(c);
    }
    if (row.build_id !== null) c.buildId = row.build_id;
    const v: BenchVariantResult = {
      variant: row.variant as BenchVariantResult['variant'], label: row.variant_label ?? row.variant, status: row.status as BenchVariantResult['status'],
      target: row.target, emulated: !!row.emulated,
    };
    if (row.message !== null) v.message = row.message;
    if (row.variant_version !== null) v.version = row.variant_version;
    if (row.result_repr !== null) v.resultRepr = row.result_repr;
    const s = summaryOf(row);
    if (s) v.summary = s;
    if (row.samples_json) v.samplesNs = JSON.parse(row.samples_json);
    c.results.push(v);
  }
  return {
    id, createdAt: String(r.created_at), label: (r.label as string | null) ?? undefined, origin: String(r.origin),
    machine: JSON.parse(String(r.machine_json)) as MachineInfo,
    toolchain: { version: String(r.toolchain ?? ''), source: '' }, flags: String(r.flags ?? '').split(' ').filter(Boolean),
    python: r.python_json ? JSON.parse(String(r.python_json)) : undefined, settings: JSON.parse(String(r.settings_json ?? '{}')), cases,
  };
}

// ---- data for charts --------------------------------------------------------------------------------

export interface SeriesPoint {
  x: number;
  medianNs: number;
  minNs: number;
  p90Ns: number;
  perIterationNs?: number;
  noisy: boolean;
}

export interface Series {
  variant: string;
  label: string;
  points: SeriesPoint[];
}

/** A sweep of one function in one run: one series per variant, x = the swept value (log-log chart). */
export function sweepSeries(db: KilnDb, runId: number, fn: { file?: string; function: string }): { param: string | null; series: Series[] } {
  const rows = db.prepare(`SELECT * FROM bench_results WHERE run_id = ? AND function = ? ${fn.file ? 'AND file = ?' : ''} AND median_ns IS NOT NULL
    ORDER BY variant, sweep_value`).all(...[runId, fn.function, ...(fn.file ? [fn.file] : [])]) as ResultRow[];
  const series = new Map<string, Series>();
  let param: string | null = null;
  for (const r of rows) {
    if (r.sweep_value === null) continue;
    param = r.sweep_param;
    let s = series.get(r.variant);
    if (!s) series.set(r.variant, (s = { variant: r.variant, label: r.variant_label ?? r.variant, points: [] }));
    s.points.push({
      x: r.sweep_value, medianNs: r.median_ns!, minNs: r.min_ns!, p90Ns: r.p90_ns!, perIterationNs: r.per_iteration_ns ?? undefined, noisy: !!r.noisy,
    });
  }
  return { param, series: [...series.values()] };
}

export interface Speedup {
  kernel: string;
  file: string;
  function: string;
  args: string[];
  variant: string;
  label: string;
  /** CPython median / this variant's median. */
  speedup: number;
  noisy: boolean;
}

/** Speed-up over CPython of every variant of every case in a run (the bar chart). */
export function speedups(db: KilnDb, runId: number): Speedup[] {
  const rows = db.prepare('SELECT * FROM bench_results WHERE run_id = ? AND median_ns IS NOT NULL ORDER BY id').all(runId) as ResultRow[];
  const base = new Map<string, ResultRow>();
  for (const r of rows) if (r.variant === 'cpython') base.set(`${r.file}|${r.function}|${r.args_json}`, r);
  const out: Speedup[] = [];
  for (const r of rows) {
    const b = base.get(`${r.file}|${r.function}|${r.args_json}`);
    // Emulated times (qemu, wasm under Node, Wine) are not speed-ups on this machine.
    if (!b || r.variant === 'cpython' || r.emulated) continue;
    out.push({
      kernel: r.kernel, file: r.file, function: r.function, args: JSON.parse(r.args_json), variant: r.variant, label: r.variant_label ?? r.variant,
      speedup: b.median_ns! / r.median_ns!, noisy: !!(r.noisy || b.noisy),
    });
  }
  return out;
}

export interface HistoryPoint {
  runId: number;
  createdAt: string;
  buildId: number | null;
  machineId: string;
  args: string[];
  medianNs: number;
  minNs: number;
  p90Ns: number;
  noisy: boolean;
}

/** One function's time across runs (and builds), oldest first, for one variant (default: Kiln native). */
export function functionHistory(db: KilnDb, fn: { file?: string; function: string; variant?: string; args?: string[] }): HistoryPoint[] {
  const params: unknown[] = [fn.function, fn.variant ?? 'kiln-native'];
  let extra = '';
  if (fn.file) { extra += ' AND b.file = ?'; params.push(fn.file); }
  if (fn.args) { extra += ' AND b.args_json = ?'; params.push(JSON.stringify(fn.args)); }
  const rows = db.prepare(`SELECT b.run_id AS runId, r.created_at AS createdAt, b.build_id AS buildId, r.machine_id AS machineId, b.args_json, b.median_ns, b.min_ns, b.p90_ns, b.noisy
    FROM bench_results b JOIN bench_runs r ON r.id = b.run_id WHERE b.function = ? AND b.variant = ? AND b.median_ns IS NOT NULL${extra}
    ORDER BY r.id, b.id`).all(...params) as { runId: number; createdAt: string; buildId: number | null; machineId: string; args_json: string; median_ns: number; min_ns: number; p90_ns: number; noisy: number }[];
  return rows.map((r) => ({
    runId: r.runId, createdAt: r.createdAt, buildId: r.buildId, machineId: r.machineId, args: JSON.parse(r.args_json),
    medianNs: r.median_ns, minNs: r.min_ns, p90Ns: r.p90_ns, noisy: !!r.noisy,
  }));
}

export interface RunComparisonRow {
  kernel: string;
  function: string;
  args: string[];
  variant: string;
  aMedianNs: number;
  bMedianNs: number;
  /** b / a: above 1 means run b is slower. */
  ratio: number;
  /** True when the difference is larger than the noise of the two runs. */
  significant: boolean;
}

/** Two runs side by side (two builds, machines, flag sets or toolchains): the cases and variants both have. */
export function compareRuns(db: KilnDb, a: number, b: number): RunComparisonRow[] {
  const ra = getRun(db, a);
  const rb = getRun(db, b);
  if (!ra || !rb) return [];
  const out: RunComparisonRow[] = [];
  for (const ca of ra.cases) {
    const cb = rb.cases.find((c) => c.function === ca.function && c.kernel === ca.kernel && JSON.stringify(c.args) === JSON.stringify(ca.args));
    if (!cb) continue;
    for (const va of ca.results) {
      const vb = cb.results.find((v) => v.variant === va.variant);
      if (!va.summary || !vb?.summary) continue;
      const cmp = compareSummaries(va.summary, vb.summary);
      out.push({
        kernel: ca.kernel, function: ca.function, args: ca.args, variant: va.variant, aMedianNs: va.summary.medianNs, bMedianNs: vb.summary.medianNs,
        ratio: cmp.ratio, significant: cmp.significant,
      });
    }
  }
  return out;
}

/** A run as CSV: one row per case and variant. */
export function runToCsv(run: BenchRun): string {
  const head = ['kernel', 'function', 'args', 'sweep_param', 'sweep_value', 'variant', 'status', 'result', 'samples', 'reps_per_sample', 'min_ns', 'median_ns', 'p90_ns', 'mean_ns', 'stddev_ns', 'per_iteration_ns', 'noisy', 'cpu', 'cores', 'os', 'toolchain', 'flags'];
  const q = (v: unknown) => {
    const s = v === undefined || v === null ? '' : String(v);
    return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const lines = [head.join(',')];
  for (const c of run.cases) {
    for (const v of c.results) {
      const s = v.summary;
      lines.push([c.kernel, c.function, c.args.join(' '), c.sweep?.param, c.sweep?.value, v.variant, v.status, v.resultRepr, s?.n, s?.repsPerSample, s?.minNs, s?.medianNs, s?.p90Ns, s?.meanNs, s?.stddevNs, s?.perIterationNs, s ? (s.noisy ? 1 : 0) : '', run.machine.cpuModel, run.machine.cores, run.machine.os, run.toolchain.version, run.flags.join(' ')].map(q).join(','));
    }
  }
  return `${lines.join('\n')}\n`;
}
