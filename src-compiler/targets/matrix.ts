/**
 * Building and proving a module for a set of targets. Each target is built, then the same inputs as
 * `kiln verify` run through its harness (natively or emulated) and are compared with CPython.
 * This is the one entry point the CLI (`kiln compile --target`) and the studio use.
 */
import os from 'node:os';
import { compileModule, buildUnit, type CompiledModule, type BuildArtifacts } from '../pipeline.ts';
import { verifyModule, type VerifyReport } from '../run/verify.ts';
import { isKilnError, formatDiagnostic } from '../diagnostics.ts';

export type TargetId = string;
export type TargetGroup = 'desktop' | 'mobile' | 'web' | 'embedded';

export interface TargetInfo {
  id: TargetId;
  label: string;
  group: TargetGroup;
  /** zig/clang target triple; undefined for the host's native build. */
  triple?: string;
  sharedExt: string;
  exeExt: string;
}

export interface TargetStatus extends TargetInfo {
  buildable: boolean;
  executable: boolean;
  /** Why not buildable/executable here. */
  reason?: string;
  toolchain?: string;
  runner?: string[];
}

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
}

export type BuildProgress =
  | { kind: 'target-start'; target: TargetId }
  | { kind: 'target-phase'; target: TargetId; phase: 'compiling' | 'verifying' }
  | { kind: 'target-done'; target: TargetId; result: TargetBuildResult };

const HOST_ID: TargetId = process.platform === 'linux' && process.arch === 'x64' ? 'linux-x64' : `${process.platform}-${process.arch}`;

export const TARGETS: TargetInfo[] = [
  { id: HOST_ID, label: `Host (${os.platform()} ${os.arch()})`, group: 'desktop', sharedExt: process.platform === 'win32' ? '.dll' : process.platform === 'darwin' ? '.dylib' : '.so', exeExt: process.platform === 'win32' ? '.exe' : '' },
];

export async function listTargets(): Promise<TargetStatus[]> {
  return TARGETS.map((t) => ({ ...t, buildable: true, executable: true }));
}

export interface BuildTargetsOptions {
  functions?: string[];
  targets: TargetId[];
  python?: string;
  optLevel?: 'O0' | 'O1' | 'O2' | 'O3' | 'Os';
  fastMath?: boolean;
  signal?: AbortSignal;
  onProgress?: (e: BuildProgress) => void;
  compiled?: CompiledModule;
}

export async function buildTargets(file: string, o: BuildTargetsOptions): Promise<TargetBuildResult[]> {
  const compiled = o.compiled ?? (await compileModule(file, { functions: o.functions, python: o.python }));
  const statuses = await listTargets();
  const results: TargetBuildResult[] = [];
  for (const id of o.targets) {
    const started = performance.now();
    o.onProgress?.({ kind: 'target-start', target: id });
    const t = statuses.find((s) => s.id === id);
    let result: TargetBuildResult;
    if (o.signal?.aborted) {
      result = { target: id, status: 'cancelled', log: '', durationMs: 0 };
    } else if (!t) {
      result = { target: id, status: 'failed', firstLine: `unknown target '${id}' (see kiln targets)`, log: '', durationMs: 0 };
    } else if (!compiled.unit) {
      const first = compiled.functions.find((f) => f.error)?.error;
      result = { target: id, status: 'failed', firstLine: first ? formatDiagnostic(first) : 'nothing to compile', log: '', durationMs: 0 };
    } else {
      try {
        o.onProgress?.({ kind: 'target-phase', target: id, phase: 'compiling' });
        const artifacts = await buildUnit(compiled.unit, { library: true, harness: t.executable }, { triple: t.triple, optLevel: o.optLevel, fastMath: o.fastMath, signal: o.signal, sharedExt: t.sharedExt, exeExt: t.exeExt });
        if (!t.executable) {
          result = { target: id, status: 'built-not-executed', firstLine: t.reason, log: artifacts.log, artifacts, durationMs: performance.now() - started };
        } else {
          o.onProgress?.({ kind: 'target-phase', target: id, phase: 'verifying' });
          const verification = await verifyModule(file, { compiled, harness: artifacts.harness, runner: t.runner, target: id, python: o.python, signal: o.signal });
          const bad = verification.functions.flatMap((f) => f.cases.filter((c) => c.status === 'mismatch' || c.status === 'crash').map((c) => `${f.name}(${c.args.join(', ')}): CPython ${c.python}, native ${c.native}`));
          result = {
            target: id, status: verification.ok ? 'verified' : 'failed', firstLine: bad[0], log: artifacts.log,
            artifacts, verification, durationMs: performance.now() - started,
          };
        }
      } catch (e) {
        if (o.signal?.aborted) result = { target: id, status: 'cancelled', log: '', durationMs: performance.now() - started };
        else if (isKilnError(e)) result = { target: id, status: 'failed', firstLine: e.diagnostic.message, log: String(e.message), durationMs: performance.now() - started };
        else throw e;
      }
    }
    results.push(result);
    o.onProgress?.({ kind: 'target-done', target: id, result });
  }
  return results;
}
