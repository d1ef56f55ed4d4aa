/**
 * The studio's Benchmark panel, server side: sensible default inputs for a function, a small benchmark run
 * (in this process's children, with progress and cancellation) stored in SQLite, the project-wide speed-up
 * data, and a run exported as CSV or JSON. Thin: the measuring, storing and chart queries are src-compiler/bench.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { CompiledModule } from '../pipeline.ts';
import type { KilnDb } from '../store/db.ts';
import type { ToolchainChoice } from '../targets/toolchain.ts';
import { typeToString } from '../types/types.ts';
import { loopSizedParams } from '../run/inputs.ts';
import { examplesFromDecorator } from '../run/inputs.ts';
import { pyRepr } from '../run/values.ts';
import { BenchInputError, runBenchmarks, runToCsv, saveRun, speedups, type BenchRun, type BenchSpec } from '../bench/index.ts';
import type { BenchProgressEvent, BenchRunArgs, BenchRunResult, ProjectSpeedup, ResultOf } from './schema.ts';
import { BENCH_VARIANTS } from './schema.ts';

class BenchApiError extends Error {
  constructor(public readonly code: string, message: string) {
    super(message);
  }
}

const toPosix = (p: string) => p.split(path.sep).join('/');

/** A hand-written C reference next to the Python file: a `.c` file in the same folder that defines `ref_<fn>(`. */
export function findReferenceC(pyFile: string, fn: string): string | null {
  const dir = path.dirname(pyFile);
  const re = new RegExp(`\\bref_${fn}\\s*\\(`);
  let names: string[];
  try {
    names = fs.readdirSync(dir).filter((n) => n.endsWith('.c')).sort();
  } catch {
    return null;
  }
  // Prefer <fn>.c, then <module>.c, then any other .c file.
  const stem = path.basename(pyFile, '.py');
  names.sort((a, b) => rank(a) - rank(b));
  function rank(n: string) { return n === `${fn}.c` ? 0 : n === `${stem}.c` ? 1 : 2; }
  for (const n of names) {
    const p = path.join(dir, n);
    try {
      if (fs.statSync(p).size < 1_000_000 && re.test(fs.readFileSync(p, 'utf8'))) return p;
    } catch {
      // unreadable: not a reference
    }
  }
  return null;
}

const FLOAT_DEFAULTS = ['3.0', '-1.0', '2.0', '0.5'];

/** The function's parameters and the inputs the panel proposes: its first example, a sweep over the parameter that sizes its loops. */
export function benchDefaults(compiled: CompiledModule, name: string, root: string): ResultOf<'bench.defaults'> {
  const pyFn = compiled.module.functions.find((f) => f.name === name);
  if (!pyFn) throw new BenchApiError('not-found', `no function '${name}' in ${path.basename(compiled.module.file)}`);
  const fn = compiled.unit?.exports.find((e) => e.name === name);
  const entry = compiled.program?.entries.find((e) => e.name === name);
  const params = fn ? fn.params.map((p) => ({ name: p.name, type: typeToString(p.type) })) : pyFn.params.map((p) => ({ name: p.name, type: p.annotation ?? '?' }));
  const sized = fn && entry && compiled.program ? loopSizedParams(compiled.program, entry.ir) : new Set<string>();
  const sweepParam = params.find((p) => sized.has(p.name) && p.type === 'int')?.name ?? null;
  const ex = fn ? examplesFromDecorator(pyFn.decorator?.options.examples, fn.params).cases[0] : undefined;
  let f = 0;
  const args = params.map((p, i) => {
    if (ex) return pyRepr(ex[i]);
    if (p.type === 'float') return FLOAT_DEFAULTS[f++ % FLOAT_DEFAULTS.length];
    if (p.type === 'int') return sized.has(p.name) ? '1000' : '10';
    if (p.type === 'bool') return 'True';
    return '0';
  });
  const ref = findReferenceC(compiled.module.file, name);
  return { params, args, sweepParam, sweepValues: sweepParam ? ['1e3', '1e4', '1e5'] : [], refC: ref ? toPosix(path.relative(root, ref)) : null };
}

/** Runs one function's benchmark for the studio and stores it (origin 'studio'). */
export async function runStudioBenchmark(
  db: KilnDb, root: string, file: string, a: BenchRunArgs, compiled: CompiledModule,
  o: { python?: string; optLevel?: 'O0' | 'O1' | 'O2' | 'O3' | 'Os'; fastMath?: boolean; compiler?: ToolchainChoice; refC?: string; signal: AbortSignal; progress: (p: BenchProgressEvent) => void },
): Promise<BenchRunResult> {
  const defaults = benchDefaults(compiled, a.function, root);
  const refC = o.refC ?? (defaults.refC ? path.join(root, defaults.refC) : undefined);
  let variants = [...(a.variants ?? BENCH_VARIANTS)];
  if (!refC) variants = variants.filter((v) => v !== 'c-ref');
  const sweep = a.sweepParam ? { param: a.sweepParam, values: a.sweepValues ?? [] } : undefined;
  if (sweep && !sweep.values.length) throw new BenchApiError('invalid-arguments', `give the values to sweep ${sweep.param} over`);
  if (sweep && sweep.values.length > 12) throw new BenchApiError('invalid-arguments', 'at most 12 sweep values in the studio');
  const budget = Math.min(Math.max(a.budgetMs ?? 200, 10), 10_000);
  let args = a.args ?? defaults.args;
  if (sweep && args.length === defaults.params.length) {
    const i = defaults.params.findIndex((p) => p.name === sweep.param);
    if (i >= 0) args = args.filter((_, k) => k !== i);
  }
  const spec: BenchSpec = { file, func: a.function, args, sweep, refC: refC ? [refC] : undefined, variants };
  const points = sweep ? sweep.values.length : 1;
  const total = points * variants.length;
  let done = 0;
  o.progress({ kind: 'bench-start', points, variants });
  let run: BenchRun;
  try {
    run = await runBenchmarks([spec], {
      python: o.python, optLevel: o.optLevel, fastMath: o.fastMath, compiler: o.compiler, origin: 'studio', signal: o.signal,
      settings: { warmupMs: Math.min(50, budget / 4), budgetMs: budget, minSamples: 3, maxSamples: 30, minSampleMs: Math.min(10, budget / 5) },
      onProgress: (p) => {
        if (p.phase === 'start') o.progress({ kind: 'variant-start', args: p.args, variant: p.variant, done, total });
        else o.progress({ kind: 'variant-done', args: p.args, variant: p.variant, done: ++done, total, result: p.result! });
      },
    });
  } catch (e) {
    if (o.signal.aborted) throw e;
    if (e instanceof BenchInputError) throw new BenchApiError('invalid-arguments', e.message);
    throw e;
  }
  // Keep the payload small: the samples stay in the database.
  const runId = saveRun(db, run);
  for (const c of run.cases) for (const v of c.results) delete v.samplesNs;
  for (const c of run.cases) delete c.kilnBuild;
  return { runId, run, refC: refC ? toPosix(path.relative(root, refC)) : null };
}

/** Speed-up over CPython per function of the project: each function's newest stored run, at its largest swept value. */
export function projectSpeedups(db: KilnDb, root: string): ProjectSpeedup[] {
  const prefix = `${root}${path.sep}`;
  const newest = db.prepare(`SELECT file, function, MAX(run_id) AS runId FROM bench_results
    WHERE substr(file, 1, ?) = ? AND median_ns IS NOT NULL GROUP BY file, function ORDER BY file, function`).all(prefix.length, prefix) as { file: string; function: string; runId: number }[];
  const out: ProjectSpeedup[] = [];
  for (const n of newest) {
    const created = (db.prepare('SELECT created_at FROM bench_runs WHERE id = ?').get(n.runId) as { created_at: string }).created_at;
    const biggest = db.prepare(`SELECT args_json FROM bench_results WHERE run_id = ? AND file = ? AND function = ? AND median_ns IS NOT NULL
      ORDER BY sweep_value DESC, id DESC LIMIT 1`).get(n.runId, n.file, n.function) as { args_json: string };
    const args = JSON.stringify(JSON.parse(biggest.args_json));
    for (const s of speedups(db, n.runId)) {
      if (s.file === n.file && s.function === n.function && JSON.stringify(s.args) === args) {
        out.push({ ...s, file: toPosix(path.relative(root, s.file)), runId: n.runId, createdAt: created });
      }
    }
  }
  return out;
}

export function exportRun(run: BenchRun & { id: number }, format: 'csv' | 'json'): ResultOf<'bench.export'> {
  const base = `kiln-bench-${run.id}-${run.cases[0]?.function ?? 'run'}`;
  if (format === 'csv') return { filename: `${base}.csv`, mime: 'text/csv', content: runToCsv(run) };
  return { filename: `${base}.json`, mime: 'application/json', content: `${JSON.stringify(run, null, 2)}\n` };
}

export { BenchApiError };
