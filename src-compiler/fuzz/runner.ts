/**
 * `kiln fuzz`: generate programs (deterministic per seed), evaluate them in batches on every target, count
 * what happened (refusals by reason, mismatches, failures, documented limits), then reduce each distinct
 * problem to a small reproducer written to the output folder.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { KilnError } from '../diagnostics.ts';
import { getTarget, hostTargetId } from '../targets/registry.ts';
import { listTargets, findZig } from '../targets/status.ts';
import { buildOptionsFor } from '../targets/build.ts';
import { toolchainFromCommand } from '../targets/toolchain.ts';
import { pyRepr } from '../run/values.ts';
import { generateProgram, resolveFeatures, DEFAULT_MIXED_RATE } from './gen/index.ts';
import type { Program } from './ast.ts';
import { evaluateBatch, pool, ToolchainError, type FuzzTarget, type ProgramResult } from './batch.ts';
import { ordinaryArgs, problemOf, reduceProgram, writeReproducer, type Problem } from './reduce.ts';

export interface FuzzOptions {
  seed: number;
  count: number;
  /** Feature modules (scalars is always in). */
  features: string[];
  /** 'host' and target ids (wasm32, linux-arm64, ...). */
  targets: string[];
  /** Where reproducers go (default: a new temporary folder). */
  out?: string;
  /** Batches evaluated at once. */
  jobs: number;
  /** Programs per batch module. */
  batchSize?: number;
  /** Inputs per program. */
  maxCases?: number;
  /** How many distinct problems to reduce (0: none). */
  reduce?: number;
  python?: string;
  /** Share of programs that may hold path-dependent number types. */
  mixedRate?: number;
  /** Only these program indices (of `seed`), e.g. to reproduce a problem; `count` is then ignored. */
  only?: number[];
  /** Keep the batch modules and build folders. */
  keep?: boolean;
  signal?: AbortSignal;
  log?: (line: string) => void;
}

export interface ProblemReport extends Problem {
  program: number;
  signature?: string;
  reproducer?: string;
  reducedFrom?: number;
  reducedTo?: number;
}

export interface TargetStats {
  compared: number;
  calls: number;
  match: number;
  limit: number;
  mismatchCalls: number;
  pythonTimeouts: number;
  mismatches: number;
  failures: number;
}

export interface FuzzStats {
  seed: number;
  features: string[];
  targets: string[];
  skippedTargets: { id: string; reason: string }[];
  generated: number;
  refused: number;
  /** Refused for a typing limit (a type that depends on the path or the values). */
  refusedTyping: number;
  compiled: number;
  /** Compiled programs compared on every target (no failure). */
  compared: number;
  /** Programs with at least one mismatching call (any target). */
  mismatches: number;
  /** Programs with a failure: C that does not compile, a crash, a timeout, an internal compiler error. */
  failures: number;
  /** Programs not evaluated because the C toolchain itself failed (named with the reason), never blamed on a program. */
  notRun: number;
  toolchainErrors: string[];
  /** Calls that reached a documented limit, and the programs they were in. */
  limitCalls: number;
  limitPrograms: number;
  perTarget: Record<string, TargetStats>;
  refusals: { reason: string; typing: boolean; count: number; example: string }[];
  problems: ProblemReport[];
  outDir?: string;
  durationMs: number;
}

/** Resolves `--targets`: the host, and targets this machine can run (the others are skipped with the reason). */
export async function resolveFuzzTargets(ids: string[]): Promise<{ targets: FuzzTarget[]; skipped: { id: string; reason: string }[] }> {
  const targets: FuzzTarget[] = [];
  const skipped: { id: string; reason: string }[] = [];
  const host = hostTargetId();
  const list = ids.some((id) => id !== 'host' && id !== host) ? await listTargets() : [];
  for (const id of ids) {
    if (id === 'host' || id === host) {
      if (!targets.some((t) => t.id === 'host')) targets.push({ id: 'host', build: {}, slowdown: 1 });
      continue;
    }
    const status = list.find((t) => t.id === id);
    if (!status) {
      skipped.push({ id, reason: `unknown target (see kiln targets)` });
      continue;
    }
    if (!status.executable) {
      skipped.push({ id, reason: status.reason ?? 'cannot be executed here' });
      continue;
    }
    const toolchain = status.toolchainOverride ? await toolchainFromCommand(status.toolchainOverride, `toolchain for ${id}`) : await findZig();
    if (!toolchain) {
      skipped.push({ id, reason: 'no toolchain for this target' });
      continue;
    }
    targets.push({ id, build: buildOptionsFor(getTarget(id)!, toolchain), runner: status.runner, slowdown: status.runnerKind === 'native' ? 1 : 8 });
  }
  return { targets, skipped };
}

export async function runFuzz(o: FuzzOptions): Promise<FuzzStats> {
  const started = Date.now();
  const log = o.log ?? (() => undefined);
  const features = resolveFeatures(o.features).map((f) => f.name);
  const { targets, skipped } = await resolveFuzzTargets(o.targets.length ? o.targets : ['host']);
  for (const s of skipped) log(`skipping target ${s.id}: ${s.reason}`);
  if (!targets.length) throw new KilnError({ severity: 'error', file: '--targets', line: 0, col: 0, construct: 'option', message: `no target to run on: ${skipped.map((t) => `${t.id} (${t.reason})`).join(', ') || 'none named'}` });
  const batchSize = o.batchSize ?? 40;
  const work = fs.mkdtempSync(path.join(os.tmpdir(), `kiln-fuzz-s${o.seed}-`));
  const stats: FuzzStats = {
    seed: o.seed, features, targets: targets.map((t) => t.id), skippedTargets: skipped,
    generated: 0, refused: 0, refusedTyping: 0, compiled: 0, compared: 0, mismatches: 0, failures: 0, notRun: 0, toolchainErrors: [],
    limitCalls: 0, limitPrograms: 0,
    perTarget: Object.fromEntries(targets.map((t) => [
      t.id, { compared: 0, calls: 0, match: 0, limit: 0, mismatchCalls: 0, pythonTimeouts: 0, mismatches: 0, failures: 0 },
    ])),
    refusals: [], problems: [], durationMs: 0,
  };
  const refusals = new Map<string, { reason: string; typing: boolean; count: number; example: string }>();
  const problems: { problem: Problem; result: ProgramResult }[] = [];
  const indices = o.only?.length ? o.only : Array.from({ length: o.count }, (_, i) => i);
  const batches = Math.ceil(indices.length / batchSize);
  let done = 0;
  try {
    await pool(Array.from({ length: batches }, (_, b) => b), o.jobs, async (b) => {
      if (o.signal?.aborted) return;
      const mine = indices.slice(b * batchSize, (b + 1) * batchSize);
      const programs: Program[] = mine.map((i) => generateProgram(o.seed, i, features, { mixedRate: o.mixedRate ?? DEFAULT_MIXED_RATE }));
      const span = `p${mine[0]}${mine.length > 1 ? `-p${mine[mine.length - 1]}` : ''}`;
      const t0 = Date.now();
      let results: ProgramResult[];
      try {
        results = await evaluateBatch(programs, {
          dir: work, module: `kfuzz_s${o.seed}_b${b}`, targets, python: o.python, maxCases: o.maxCases ?? 24, jobs: Math.max(1, Math.floor(o.jobs / 2)),
          signal: o.signal, keepBuilds: o.keep, title: `kiln fuzz --seed ${o.seed}: programs ${span}`,
        });
      } catch (e) {
        if (!(e instanceof ToolchainError)) throw e;
        stats.generated += programs.length;
        stats.notRun += programs.length;
        if (!stats.toolchainErrors.includes(e.message)) stats.toolchainErrors.push(e.message);
        log(`batch ${++done}/${batches} (${span}): not run: ${e.message}`);
        return;
      }
      const before = { m: stats.mismatches, f: stats.failures, r: stats.refused };
      for (const r of results) account(stats, refusals, problems, r, targets.map((t) => t.id));
      stats.generated += programs.length;
      done++;
      log(`batch ${done}/${batches} (${span}): ${programs.length - (stats.refused - before.r)} compiled, ${stats.refused - before.r} refused, ${stats.mismatches - before.m} with mismatches, ${stats.failures - before.f} failed [${((Date.now() - t0) / 1000).toFixed(1)} s]`);
    });

    // Reduce one program per distinct problem.
    const limit = o.reduce ?? 5;
    const seen = new Set<string>();
    const distinct = problems.filter(({ problem }) => {
      const key = `${problem.target}|${problem.kind}|${problem.key}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    const outDir = o.out ?? (distinct.length && limit > 0 ? fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-fuzz-repro-')) : undefined);
    stats.outDir = outDir;
    for (const { problem, result } of problems) {
      const report: ProblemReport = { ...problem, program: result.program.index, signature: result.signature };
      stats.problems.push(report);
    }
    let reduced = 0;
    for (const { problem, result } of distinct) {
      if (reduced >= limit || o.signal?.aborted || !outDir) break;
      reduced++;
      const target = problem.target === 'compile' ? targets[0] : targets.find((t) => t.id === problem.target)!;
      const args = problem.args ?? result.cases[0] ?? ordinaryArgs(result.program);
      log(`reducing program ${result.program.index} (${problem.kind} on ${problem.target}: ${problem.detail})`);
      const r = await reduceProgram(result.program, args, problem, {
        target, log,
        batch: { dir: path.join(work, `reduce_p${result.program.index}`), python: o.python, maxCases: 1, jobs: o.jobs, signal: o.signal, keepBuilds: o.keep },
      });
      const report = stats.problems.find((p) => p.program === result.program.index && p.target === problem.target && p.kind === problem.kind)!;
      if (!r.reproduced) {
        report.reproducer = 'none: the program alone did not fail that way again';
        log('  the program alone does not fail that way again: not reduced');
        continue;
      }
      const command = `kiln fuzz --seed ${o.seed} --only ${result.program.index} --features ${features.join(',')}${o.mixedRate !== undefined && o.mixedRate !== DEFAULT_MIXED_RATE ? ` --mixed ${o.mixedRate}` : ''} --targets ${problem.target === 'compile' ? 'host' : problem.target}`;
      const { file, size } = writeReproducer(outDir, r, { seed: o.seed, command, problem: r.problem, sizeBefore: r.sizeBefore });
      Object.assign(report, { reproducer: file, reducedFrom: r.sizeBefore, reducedTo: size });
      log(`  wrote ${file} (${r.sizeBefore} -> ${size} characters, ${r.tests} candidates tried)`);
    }
  } finally {
    if (!o.keep) fs.rmSync(work, { recursive: true, force: true });
  }
  stats.refusals = [...refusals.values()].sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason));
  stats.durationMs = Date.now() - started;
  return stats;
}

function account(
  stats: FuzzStats, refusals: Map<string, { reason: string; typing: boolean; count: number; example: string }>,
  problems: { problem: Problem; result: ProgramResult }[], r: ProgramResult, targetIds: string[],
) {
  if (r.refusal) {
    stats.refused++;
    if (r.refusal.typing) stats.refusedTyping++;
    const e = refusals.get(r.refusal.reason) ?? { reason: r.refusal.reason, typing: r.refusal.typing, count: 0, example: `program ${r.program.index}: ${r.refusal.message.split('\n')[0]}` };
    e.count++;
    refusals.set(r.refusal.reason, e);
    return;
  }
  if (r.failure) {
    stats.failures++;
    problems.push({ problem: problemOf(r)!, result: r });
    return;
  }
  stats.compiled++;
  let failed = false, mismatched = false, limited = false;
  for (const id of targetIds) {
    const t = r.targets[id];
    if (!t) continue;
    const ts = stats.perTarget[id];
    if (t.failure) {
      failed = true;
      ts.failures++;
      continue;
    }
    ts.compared++;
    ts.calls += t.cases;
    ts.match += t.counts.match;
    ts.limit += t.counts.limit;
    ts.mismatchCalls += t.counts.mismatch;
    ts.pythonTimeouts += t.counts['python-timeout'];
    if (t.mismatches.length) {
      mismatched = true;
      ts.mismatches++;
    }
    if (t.counts.limit) limited = true;
    stats.limitCalls += t.counts.limit;
  }
  if (!failed) stats.compared++;
  if (failed) stats.failures++;
  if (mismatched) stats.mismatches++;
  if (limited) stats.limitPrograms++;
  const problem = problemOf(r);
  if (problem) problems.push({ problem, result: r });
}

// ---- the report ---------------------------------------------------------------------------------------

const pct = (n: number, d: number) => (d ? `${((100 * n) / d).toFixed(1)} %` : '-');

export function formatFuzzReport(s: FuzzStats): string {
  const lines: string[] = [];
  lines.push(`kiln fuzz: seed ${s.seed}, features ${s.features.join(',')}, targets ${s.targets.join(',')} (${(s.durationMs / 1000).toFixed(0)} s)`);
  for (const t of s.skippedTargets) lines.push(`  skipped ${t.id}: ${t.reason}`);
  const row = (label: string, value: string) => lines.push(`  ${label.padEnd(20)}${value}`);
  row('programs generated', String(s.generated));
  row('refused', `${s.refused} (${pct(s.refused, s.generated)}; ${s.refusedTyping} for a type that depends on the path or the values)`);
  row('compiled', String(s.compiled));
  row('compared', String(s.compared));
  row('mismatches', String(s.mismatches));
  row('failures', String(s.failures));
  if (s.notRun) row('not run', `${s.notRun} (the C toolchain failed: ${s.toolchainErrors.join('; ')})`);
  row('documented limits', `${s.limitCalls} calls in ${s.limitPrograms} programs (int past 64 bits, value-dependent types)`);
  for (const [id, t] of Object.entries(s.perTarget)) {
    lines.push(`  on ${id}: ${t.compared} programs, ${t.calls} calls: ${t.match} match, ${t.limit} documented limit, ${t.mismatchCalls} mismatch${t.pythonTimeouts ? `, ${t.pythonTimeouts} CPython timeouts` : ''}; ${t.failures} failures`);
  }
  if (s.refusals.length) {
    lines.push('', 'refusals by reason:', formatRefusalTable(s));
  }
  if (s.problems.length) {
    lines.push('', 'problems:');
    for (const p of s.problems.slice(0, 40)) {
      lines.push(`  program ${p.program} ${p.kind} on ${p.target}: ${p.detail}${p.args ? ` for (${p.args.map(pyRepr).join(', ')})` : ''}`);
      if (p.reproducer) lines.push(`    reproducer: ${p.reproducer}${p.reducedFrom ? ` (${p.reducedFrom} -> ${p.reducedTo} characters)` : ''}`);
    }
    if (s.problems.length > 40) lines.push(`  ... and ${s.problems.length - 40} more`);
  }
  return lines.join('\n');
}

export function formatRefusalTable(s: FuzzStats, markdown = false): string {
  if (markdown) {
    return ['| refusals | share of programs | kind | reason |', '| ---: | ---: | --- | --- |',
      ...s.refusals.map((r) => `| ${r.count} | ${pct(r.count, s.generated)} | ${r.typing ? 'typing' : 'subset'} | ${r.reason.replace(/\|/g, '\\|')} |`)].join('\n');
  }
  return s.refusals.map((r) => `  ${String(r.count).padStart(6)}  ${pct(r.count, s.generated).padStart(7)}  ${(r.typing ? 'typing' : 'subset').padEnd(6)}  ${r.reason}`).join('\n');
}
