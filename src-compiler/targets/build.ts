/**
 * Building and proving a module for a set of targets. Each target is built, then the same inputs as
 * `kiln verify` run through its harness (natively or emulated) and are compared with CPython; targets this
 * machine cannot execute are built and inspected (format, architecture, exported symbols).
 * This is the one entry point the CLI (`kiln compile --target`, `kiln export`) and the studio use.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { compileModule, buildUnit, type CompiledUnit, type BuildArtifacts, type BuildOptions } from '../pipeline.ts';
import { verifyModule, type VerifyReport } from '../run/verify.ts';
import { formatDiagnostic, internalErrorDiagnostic, isKilnError } from '../diagnostics.ts';
import { hostToolchain, toolchainFromCommand, type Toolchain, type ToolchainChoice } from './toolchain.ts';
import { inspectFile, type BinaryInfo } from './inspect.ts';
import { hostCores } from '../run/runners.ts';
import { cacheDir } from '../paths.ts';
import { getTarget, type TargetId, type TargetInfo } from './registry.ts';
import { listTargets, type TargetStatus } from './status.ts';
import { makeFolder } from '../folders.ts';

export type TargetOutcome = 'verified' | 'built-not-executed' | 'failed' | 'cancelled';

export interface TargetBuildResult {
  target: TargetId;
  status: TargetOutcome;
  /** The first useful line of the compiler log or of the first mismatch. */
  firstLine?: string;
  log: string;
  artifacts?: BuildArtifacts;
  verification?: VerifyReport;
  durationMs: number;
  /** The library's header, read back: format, architecture, exported symbols. */
  inspection?: BinaryInfo;
  /** The per-target log file (commands, compiler output, inspection, verification). */
  logFile?: string;
  /** How the harness ran (e.g. "qemu-aarch64, static musl harness"). */
  executedWith?: string;
  cached?: boolean;
  /** Failed because this machine has no toolchain for the target (not a build error). */
  unavailable?: boolean;
}

export type BuildProgress =
  | { kind: 'target-start'; target: TargetId }
  | { kind: 'target-phase'; target: TargetId; phase: 'compiling' | 'verifying' }
  | { kind: 'target-done'; target: TargetId; result: TargetBuildResult };

export interface BuildTargetsOptions {
  functions?: string[];
  targets: TargetId[];
  python?: string;
  optLevel?: 'O0' | 'O1' | 'O2' | 'O3' | 'Os';
  fastMath?: boolean;
  signal?: AbortSignal;
  onProgress?: (e: BuildProgress) => void;
  compiled?: CompiledUnit;
  /** Targets built at once (default: the machine's cores). */
  jobs?: number;
  /** Where each target's log is written (default: <cache>/logs/<module>). */
  logDir?: string;
  /** Per-target toolchain commands (an NDK clang, a cross gcc...). */
  toolchains?: Record<TargetId, string>;
  /** The user's compiler in place of the detected one (the studio's Settings › Toolchain path). */
  compiler?: ToolchainChoice;
  /** Skip running the harness (build and inspect only). */
  noVerify?: boolean;
  maxCases?: number;
  /** CPython's time limit per generated case in the verification (run/verify.ts). */
  caseTimeoutSec?: number;
}

/** Expands {zig-lib} in a target's flags to the toolchain's lib folder. */
function expandFlags(flags: string[] | undefined, tc: Toolchain): string[] | undefined {
  if (!flags) return undefined;
  const zigLib = path.join(path.dirname(tc.command[0]), 'lib');
  return flags.map((f) => f.replaceAll('{zig-lib}', zigLib));
}

/** The pipeline's build options for a target and toolchain (a non-Zig toolchain brings its own target flags). */
export function buildOptionsFor(t: TargetInfo, toolchain: Toolchain): BuildOptions {
  const zig = toolchain.id === 'zig';
  return {
    toolchain, triple: zig ? t.triple : undefined, sharedExt: t.sharedExt, exeExt: t.harness?.exeExt ?? t.exeExt, libraryKind: t.library,
    libraryFlags: zig ? expandFlags(t.libraryFlags, toolchain) : undefined,
    harnessTriple: zig ? t.harness?.triple : undefined, harnessFlags: zig ? expandFlags(t.harness?.flags, toolchain) : undefined,
  };
}

function firstCompilerLine(log: string): string | undefined {
  const lines = log.split('\n');
  return (lines.find((l) => /(^|\s)(fatal )?error:/.test(l) && !/warning:/.test(l) && !/the C compiler failed/.test(l))
    ?? lines.find((l) => /the C compiler failed/.test(l)))?.trim();
}

async function buildOneTarget(file: string, compiled: CompiledUnit, t: TargetStatus, o: BuildTargetsOptions, logFile: string): Promise<TargetBuildResult> {
  const started = performance.now();
  const id = t.id;
  const logLines: string[] = [`# kiln target ${id}: ${t.label}`, `# toolchain: ${t.toolchainVersion ?? 'none'}`];
  const finish = (r: Omit<TargetBuildResult, 'durationMs' | 'logFile'>): TargetBuildResult => {
    const result: TargetBuildResult = { ...r, durationMs: performance.now() - started, logFile };
    logLines.push(`# result: ${result.status}${result.firstLine ? `: ${result.firstLine}` : ''} (${(result.durationMs / 1000).toFixed(1)} s)`);
    try {
      makeFolder(path.dirname(logFile));
      fs.writeFileSync(logFile, `${logLines.join('\n')}\n`);
    } catch { /* a log that cannot be written does not fail the build */ }
    return result;
  };
  if (!compiled.unit) {
    const first = compiled.functions.find((f) => f.error)?.error;
    return finish({ target: id, status: 'failed', firstLine: first ? formatDiagnostic(first) : 'nothing to compile', log: '' });
  }
  if (!t.buildable) return finish({ target: id, status: 'failed', firstLine: t.reason, log: '', unavailable: true });
  let log = '';
  try {
    o.onProgress?.({ kind: 'target-phase', target: id, phase: 'compiling' });
    const override = t.toolchainOverride;
    const toolchain = override ? await toolchainFromCommand(override, `toolchain for ${id}`) : await hostToolchain(o.compiler);
    const zig = toolchain.id === 'zig';
    const runHere = t.executable && !o.noVerify;
    const artifacts = await buildUnit(
      compiled.unit, { library: true, harness: runHere }, { ...buildOptionsFor(t, toolchain), optLevel: o.optLevel, fastMath: o.fastMath, signal: o.signal },
    );
    log = artifacts.log;
    logLines.push(artifacts.cached ? `# cached build in ${artifacts.dir}` : artifacts.log.trimEnd());
    // Read the library back: it must be the format and architecture the target promises, exporting every function.
    const inspection = inspectFile(artifacts.library!);
    logLines.push(`# inspected ${path.basename(artifacts.library!)}: ${inspection.format} ${inspection.arch ?? '?'} ${inspection.kind ?? ''}${inspection.platform ? ` platform ${inspection.platform}` : ''}${inspection.floatAbi ? ` float-abi ${inspection.floatAbi}` : ''}`);
    logLines.push(`# exports: ${inspection.exports.filter((s) => s.startsWith('kiln_')).join(' ')}`);
    const problems: string[] = [];
    if (zig && inspection.format !== t.format) problems.push(`expected a ${t.format} file, found ${inspection.format}`);
    if (zig && inspection.arch !== t.arch) problems.push(`expected ${t.arch}, found ${inspection.arch}`);
    const missing = compiled.unit.exports.map((e) => e.symbol).filter((s) => !inspection.exports.includes(s));
    if (missing.length) problems.push(`symbols not exported: ${missing.join(', ')}`);
    if (problems.length) {
      return finish({ target: id, status: 'failed', firstLine: `the library is wrong: ${problems.join('; ')}`, log, artifacts, inspection, cached: artifacts.cached });
    }
    if (!runHere) {
      const why = o.noVerify && t.executable ? 'verification skipped' : `built and inspected (${inspection.format} ${inspection.arch}${inspection.platform && t.format === 'macho' || t.os === 'ios' ? ` ${inspection.platform}` : ''}, every function exported), not executed here`;
      return finish({ target: id, status: 'built-not-executed', firstLine: why, log, artifacts, inspection, cached: artifacts.cached });
    }
    o.onProgress?.({ kind: 'target-phase', target: id, phase: 'verifying' });
    const verification = await verifyModule(file, {
      compiled, harness: artifacts.harness, runner: t.runner, target: id, python: o.python, signal: o.signal,
      maxCases: o.maxCases, caseTimeoutSec: o.caseTimeoutSec, otherLibc: !t.harness?.triple.includes('-linux-gnu'),
    });
    const bad = verification.functions.flatMap((f) => f.cases.filter((c) => c.status === 'mismatch' || c.status === 'crash').map((c) => `${f.name}(${c.args.join(', ')}): CPython ${c.python}, native ${c.native}${c.note ? ` (${c.note})` : ''}`));
    const total = verification.functions.reduce((n, f) => n + f.cases.length, 0);
    const matched = verification.functions.reduce((n, f) => n + f.counts.match + f.counts.limit, 0);
    logLines.push(`# verification: ${matched}/${total} cases agree with CPython`, ...bad.map((b) => `#   ${b}`));
    const runnerName = t.runnerKind === 'node-wasi' ? `Node ${process.version} WASI` : path.basename(t.runner?.at(-1) ?? '');
    const executedWith = t.runnerKind === 'native' ? 'native' : `${runnerName}${t.harness?.note && t.runnerKind === 'qemu-user' && !t.toolchainOverride ? `, ${t.harness.note}` : ''}`;
    return finish({
      target: id, status: verification.ok ? 'verified' : 'failed', firstLine: bad[0] ?? `${matched}/${total} cases agree with CPython (${executedWith})`, log,
      artifacts, verification, inspection, executedWith, cached: artifacts.cached,
    });
  } catch (e) {
    if (o.signal?.aborted) return finish({ target: id, status: 'cancelled', log });
    if (isKilnError(e)) {
      const full = (e as { log?: string }).log;
      logLines.push(...(full ? [full.trimEnd()] : []), String(e.message));
      const compilerLine = firstCompilerLine(full ?? String(e.message));
      return finish({ target: id, status: 'failed', firstLine: compilerLine ?? e.diagnostic.message, log: String(e.message) });
    }
    // The stack trace goes to the target's log file only; the user sees the message.
    logLines.push(String((e as Error).stack ?? e));
    const d = internalErrorDiagnostic(e, { file, line: 0, col: 0 });
    return finish({ target: id, status: 'failed', firstLine: d.message, log: `${d.message}\n  hint: ${d.hint}` });
  }
}

/**
 * A fresh folder for one build's logs, under one folder per source file: builds of the same file at once
 * (the CLI and the studio, or two tests) must not overwrite each other's logs. The newest 20, and any from the last day, are kept.
 */
function newLogDir(file: string, moduleName: string): string {
  const fileKey = createHash('sha256').update(path.resolve(file)).digest('hex').slice(0, 10);
  const parent = path.join(cacheDir(), 'logs', `${moduleName}-${fileKey}`);
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const dir = path.join(parent, `${stamp}-${process.pid}-${Math.random().toString(36).slice(2, 6)}`);
  try {
    // Beyond the newest 20, a folder goes once it is a day old: a build still running (or a test still
    // reading its logs) when 20 other builds of the same file started must keep its folder.
    const dayAgo = Date.now() - 86_400_000;
    const old = fs.readdirSync(parent).sort().slice(0, -19);
    for (const d of old) {
      const p = path.join(parent, d);
      if ((fs.statSync(p, { throwIfNoEntry: false })?.mtimeMs ?? Infinity) < dayAgo) fs.rmSync(p, { recursive: true, force: true });
    }
  } catch {
    // no folder yet
  }
  return dir;
}

export async function buildTargets(file: string, o: BuildTargetsOptions): Promise<TargetBuildResult[]> {
  const compiled = o.compiled ?? (await compileModule(file, { functions: o.functions, python: o.python }));
  const statuses = await listTargets({ toolchains: o.toolchains, compiler: o.compiler });
  const moduleName = compiled.program?.module ?? path.basename(file, '.py');
  const logDir = o.logDir ?? newLogDir(file, moduleName);
  const results: TargetBuildResult[] = new Array(o.targets.length);
  let next = 0;
  const worker = async () => {
    while (next < o.targets.length) {
      const i = next++;
      const id = o.targets[i];
      o.onProgress?.({ kind: 'target-start', target: id });
      const t = statuses.find((s) => s.id === id);
      let result: TargetBuildResult;
      if (o.signal?.aborted) result = { target: id, status: 'cancelled', log: '', durationMs: 0 };
      else if (!t) result = { target: id, status: 'failed', firstLine: `unknown target '${id}' (see kiln targets)`, log: '', durationMs: 0 };
      else result = await buildOneTarget(file, compiled, t, o, path.join(logDir, `${id}.log`));
      results[i] = result;
      o.onProgress?.({ kind: 'target-done', target: id, result });
    }
  };
  const jobs = Math.max(1, Math.min(o.jobs ?? hostCores(), o.targets.length));
  await Promise.all(Array.from({ length: jobs }, worker));
  return results;
}

/** A plain-text table of results, one row per target. */
export function formatResultsTable(results: TargetBuildResult[]): string {
  const rows = results.map((r) => {
    const t = getTarget(r.target);
    const artifact = r.artifacts?.library ? path.basename(r.artifacts.library) : '-';
    return [r.target, r.status, t ? `${t.format}/${t.arch}` : '?', artifact, `${(r.durationMs / 1000).toFixed(1)}s${r.cached ? ' (cached)' : ''}`, r.firstLine ?? ''];
  });
  const head = ['TARGET', 'STATUS', 'BINARY', 'LIBRARY', 'TIME', 'DETAIL'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (i === 5 ? 0 : r[i].length))));
  const line = (r: string[]) => r.map((c, i) => (i === 5 ? c : c.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(head), ...rows.map(line)].join('\n');
}

export const TARGET_OUTCOME_ICON: Record<TargetOutcome, string> = { verified: '✓', 'built-not-executed': '◻', failed: '✗', cancelled: '–' };
