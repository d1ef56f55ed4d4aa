/**
 * Benchmarking a function: every variant (CPython, Kiln from the native harness, Kiln from Python via
 * ctypes, hand-written C / Rust references, Numba / Pythran / Cython when installed) on the same inputs
 * in the same run, each result checked against CPython's, each timing summarised with its noise verdict.
 * The result (`BenchRun`) is plain JSON: printed by the CLI, stored by `store.ts`, drawn by the studio.
 */
import path from 'node:path';
import fs from 'node:fs';
import { compileModule, buildUnit } from '../pipeline.ts';
import { formatDiagnostic } from '../diagnostics.ts';
import type { ExportedFunction } from '../lower/abi.ts';
import { coerceToType, parsePyLiteral, LiteralError, type PyValue } from '../run/values.ts';
import { hostToolchain, semanticFlags, toolchainInstallHint, type ToolchainChoice } from '../targets/toolchain.ts';
import { typeToString } from '../types/types.ts';
import { machineInfo, type MachineInfo } from './machine.ts';
import { measure, DEFAULT_SETTINGS, type MeasureSettings } from './measure.ts';
import type { SampleSummary } from './stats.ts';
import { LineSession } from './session.ts';
import {
  PythonDriver, VariantUnavailable, buildReferenceHarness, buildRustCrate, harnessRunner, pyLiteral, signatureFromAnnotations, type Runner,
} from './variants.ts';
import { VARIANTS, variantLabel, variantTarget, targetRunnerKind, variantIsEmulated, targetVariantId, type VariantId } from './variant-ids.ts';
import { buildOptionsFor } from '../targets/build.ts';
import { findZig } from '../targets/status.ts';
import { runnerStatus } from '../run/runners.ts';
import { benchPythonPackage } from './pypackage.ts';
import {
  ArrayInputError, benchArgText, formatArrayInput, formatTextInput, generateArray, generateText, isArrayInputText, isTextInputText, parseArrayInput,
  parseTextInput, type BenchArg,
} from './inputs.ts';
import { referenceModuleOf } from '../run/verify.ts';

export type VariantStatus = 'ok' | 'mismatch' | 'not-installed' | 'failed' | 'does-not-compile' | 'skipped';

export interface BenchVariantResult {
  variant: VariantId;
  label: string;
  status: VariantStatus;
  /** Why it is not ok; for 'mismatch', both results. */
  message?: string;
  /** The peer's version (Numba 0.56.4, ...) or the Python version. */
  version?: string;
  /** repr() of the result of one call, compared with CPython's. */
  resultRepr?: string;
  summary?: SampleSummary;
  /** Per-call ns of every sample. */
  samplesNs?: number[];
  /** Where it ran: 'host' here; emulated targets (qemu, wasm under Node) say so and are never compared with native time. */
  target: string;
  emulated: boolean;
}

export interface KilnBuildInfo {
  dir: string;
  library?: string;
  harness?: string;
  cSource: string;
  /** The Python module's source (the build history hashes it) and its name. */
  pySource: string;
  module: string;
  flags: string[];
  toolchain: string;
  cached: boolean;
  durationMs: number;
}

export interface BenchCase {
  /** A short name for tables and charts ("fib", "fma_loop"). */
  kernel: string;
  file: string;
  function: string;
  signature: string;
  /** The arguments passed, as Python literals. */
  args: string[];
  /** The swept parameter and its value for this case, when the benchmark is a sweep. */
  sweep?: { param: string; value: number };
  /** Inner iterations per call (for time per iteration), when known. */
  iterationsPerCall?: number;
  results: BenchVariantResult[];
  kilnBuild?: KilnBuildInfo;
  /** Set when the case was stored and linked to a row of `builds`. */
  buildId?: number;
}

export interface BenchRun {
  createdAt: string;
  label?: string;
  origin: string;
  machine: MachineInfo;
  toolchain: { version: string; source: string };
  flags: string[];
  python?: { executable: string; version: string; peers: Record<string, string | null> };
  settings: MeasureSettings;
  cases: BenchCase[];
}

export interface BenchSpec {
  file: string;
  func: string;
  kernel?: string;
  /**
   * One Python literal per parameter (the swept parameter may be left out), or for an ndarray parameter an
   * array generated from a seed: `rand[100000]`, `rand[200x200]#7`, or `{"array": "random", ...}` (inputs.ts).
   */
  args: BenchArg[];
  sweep?: { param: string; values: string[] };
  /** The parameter whose value is the number of inner iterations (default: the swept one). */
  iterationsParam?: string;
  /** Hand-written C file(s) defining `int ref_<func>(params..., T *out)`. */
  refC?: string[];
  /** A Rust crate (no dependencies, crate-type cdylib) exporting `ref_<func>` with the same ABI. */
  refRust?: string;
  variants?: VariantId[];
  /**
   * Other targets to time the compiled function on (wasm32 under Node's WASI, linux-arm64 under qemu-user...):
   * each adds a `kiln-<target>` variant, labelled and stored as emulated, never compared with native time.
   */
  targets?: string[];
}

export interface BenchProgress {
  kernel: string;
  args: string[];
  variant: VariantId;
  phase: 'start' | 'done';
  result?: BenchVariantResult;
}

export interface BenchRunOptions {
  /** The interpreter that reads sources (Kiln's frontend). */
  python?: string;
  /** The interpreter that runs CPython, ctypes and the Python peers (default: `python`, then python3). */
  runPython?: string;
  optLevel?: 'O0' | 'O1' | 'O2' | 'O3' | 'Os';
  fastMath?: boolean;
  /** The user's compiler in place of the detected one (the studio's Settings › Toolchain path). */
  compiler?: ToolchainChoice;
  settings?: Partial<MeasureSettings>;
  origin?: string;
  label?: string;
  signal?: AbortSignal;
  onProgress?: (p: BenchProgress) => void;
}

export class BenchInputError extends Error {}

/** Parses a sweep value for a parameter: "1e3" is the int 1000 for an int parameter. */
export function parseSweepValue(text: string, type: string): string {
  const t = text.trim();
  if (type === 'int' && /^[+-]?\d+(\.\d+)?[eE]\+?\d+$/.test(t)) {
    const n = Number(t);
    if (!Number.isSafeInteger(n)) throw new BenchInputError(`sweep value ${t} is not an exact integer`);
    return String(n);
  }
  return t;
}

/** The cases of one spec: its argument lists (one per sweep value). */
export function expandCases(
  fn: ExportedFunction, spec: BenchSpec,
): { args: string[]; values: PyValue[]; sweep?: { param: string; value: number }; iterationsPerCall?: number }[] {
  const params = fn.params;
  const sweepIdx = spec.sweep ? params.findIndex((p) => p.name === spec.sweep!.param) : -1;
  if (spec.sweep && sweepIdx < 0) throw new BenchInputError(`${fn.name}() has no parameter '${spec.sweep.param}' to sweep (parameters: ${params.map((p) => p.name).join(', ')})`);
  let base: string[];
  try {
    base = spec.args.map(benchArgText);
  } catch (e) {
    if (e instanceof ArrayInputError) throw new BenchInputError(e.message);
    throw e;
  }
  if (sweepIdx >= 0 && base.length === params.length - 1) base.splice(sweepIdx, 0, spec.sweep!.values[0]);
  if (base.length !== params.length) {
    throw new BenchInputError(`${fn.name}() takes ${params.length} arguments (${params.map((p) => `${p.name}: ${typeToString(p.type)}`).join(', ')}) but ${base.length} were given`);
  }
  const points = sweepIdx >= 0 ? spec.sweep!.values.map((v) => parseSweepValue(v, typeToString(params[sweepIdx].type))) : [undefined];
  const iterParam = spec.iterationsParam ?? spec.sweep?.param;
  const iterIdx = iterParam ? params.findIndex((p) => p.name === iterParam) : -1;
  if (iterParam && iterIdx < 0) throw new BenchInputError(`${fn.name}() has no parameter '${iterParam}'`);
  return points.map((point) => {
    const texts = [...base];
    if (point !== undefined) texts[sweepIdx] = point;
    let values: PyValue[];
    try {
      values = texts.map((t, i) => {
        const what = `argument ${params[i].name}`;
        // An array input is generated once per case: every variant gets these same values.
        if (isArrayInputText(t)) return generateArray(parseArrayInput(t), params[i].type, what);
        if (isTextInputText(t)) return generateText(parseTextInput(t), params[i].type, what);
        return coerceToType(parsePyLiteral(t), params[i].type, what);
      });
    } catch (e) {
      if (e instanceof LiteralError || e instanceof ArrayInputError) throw new BenchInputError(e.message);
      throw e;
    }
    const iterV = iterIdx >= 0 ? values[iterIdx] : undefined;
    const iterationsPerCall = iterV && (iterV.kind === 'int' || iterV.kind === 'float') ? Number(iterV.value) : undefined;
    return {
      // Arrays are shown by their generator (`rand[200x200]#7`), never as their 40000 values.
      // Texts by their generator (`words[1000000]`), never as their million characters.
      args: values.map((v, i) => (v.kind === 'array' ? formatArrayInput(parseArrayInput(texts[i])) : isTextInputText(texts[i]) ? formatTextInput(parseTextInput(texts[i])) : pyLiteral(v))), values,
      sweep: point !== undefined ? { param: spec.sweep!.param, value: Number(point) } : undefined,
      iterationsPerCall: iterationsPerCall && iterationsPerCall > 0 ? iterationsPerCall : undefined,
    };
  });
}

const PY_KINDS: Partial<Record<VariantId, 'cpython' | 'numba' | 'pythran' | 'cython' | 'ctypes'>> = {
  cpython: 'cpython', numba: 'numba', pythran: 'pythran', cython: 'cython', 'kiln-ctypes': 'ctypes',
};

function defaultRunPython(): string {
  return process.env.KILN_BENCH_PYTHON ?? 'python3';
}

/** Runs every spec (all its variants and sweep points) and returns the run, ready to print or store. */
export async function runBenchmarks(specs: BenchSpec[], o: BenchRunOptions = {}): Promise<BenchRun> {
  const settings = { ...DEFAULT_SETTINGS, ...o.settings };
  const toolchain = await hostToolchain(o.compiler);
  const run: BenchRun = {
    createdAt: new Date().toISOString(), label: o.label, origin: o.origin ?? 'cli', machine: machineInfo(),
    toolchain: { version: toolchain.version, source: toolchain.source }, flags: semanticFlags({ optLevel: o.optLevel, fastMath: o.fastMath }),
    settings, cases: [],
  };
  let driver: PythonDriver | undefined;
  const sessions: LineSession[] = [];
  const rustLibs = new Map<string, Promise<string>>();
  const getDriver = async () => {
    if (!driver) {
      driver = new PythonDriver(o.runPython ?? defaultRunPython());
      const p = await driver.start();
      run.python = { executable: p.executable, version: p.python, peers: p.peers };
    }
    return driver;
  };
  try {
    for (const spec of specs) {
      run.cases.push(...(await benchSpec(spec, { o, settings, toolchain, getDriver, sessions, rustLibs })));
    }
  } finally {
    for (const s of sessions) s.close();
    driver?.close();
  }
  return run;
}

async function benchSpec(spec: BenchSpec, ctx: {
  o: BenchRunOptions; settings: MeasureSettings; toolchain: Awaited<ReturnType<typeof hostToolchain>>;
  getDriver: () => Promise<PythonDriver>; sessions: LineSession[]; rustLibs: Map<string, Promise<string>>;
}): Promise<BenchCase[]> {
  const { o, toolchain } = ctx;
  const file = path.resolve(spec.file);
  if (!fs.existsSync(file)) throw new BenchInputError(`${spec.file}: no such file`);
  const kernel = spec.kernel ?? spec.func;
  const wanted: VariantId[] = [...(spec.variants ?? VARIANTS.map((v) => v.id).filter((v) => (v !== 'c-ref' || spec.refC?.length) && (v !== 'rust-ref' || spec.refRust)))];
  for (const t of spec.targets ?? []) if (!wanted.includes(targetVariantId(t))) wanted.push(targetVariantId(t));

  // Kiln: compile; when the function is outside the subset, the other variants still run.
  const compiled = await compileModule(file, { functions: [spec.func], python: o.python });
  const fr = compiled.functions[0];
  let compileError: string | undefined;
  let fn: ExportedFunction;
  if (fr?.error || !compiled.unit) {
    compileError = fr?.error ? formatDiagnostic(fr.error) : `${spec.func}: not compiled`;
    const pyFn = compiled.module.functions.find((f) => f.name === spec.func);
    if (!pyFn) throw new BenchInputError(`${spec.file}: no function named ${spec.func}`);
    fn = signatureFromAnnotations(pyFn);
  } else {
    fn = compiled.unit.exports.find((e) => e.name === spec.func)!;
  }
  const cases = expandCases(fn, spec);

  // Prepare each variant once (builds, loads); a variant that cannot be prepared is reported per case.
  let kilnBuild: KilnBuildInfo | undefined;
  const runners = new Map<VariantId, Runner | VariantUnavailable>();
  const prepare = async (v: VariantId): Promise<Runner> => {
    switch (v) {
      case 'kiln-native':
      case 'kiln-ctypes': {
        if (compileError) throw new VariantUnavailable('does-not-compile', compileError);
        if (!kilnBuild) {
          const b = await buildUnit(
            compiled.unit!, { harness: true, library: true }, { toolchain, optLevel: o.optLevel, fastMath: o.fastMath, signal: o.signal },
          );
          kilnBuild = { dir: b.dir, library: b.library, harness: b.harness, cSource: compiled.unit!.source, pySource: compiled.module.lines.join('\n'), module: compiled.program!.module, flags: b.flags, toolchain: b.toolchain.version, cached: b.cached, durationMs: b.durationMs };
        }
        if (v === 'kiln-native') {
          const s = new LineSession([kilnBuild.harness!]);
          ctx.sessions.push(s);
          return harnessRunner(s, fn);
        }
        // What a Python user pays: the exported package (its CPython extension when it loads, else ctypes).
        const driver = await ctx.getDriver();
        const probe = await driver.start();
        const pkg = await benchPythonPackage({
          unit: compiled.unit!, module: kilnBuild.module, buildDir: kilnBuild.dir, library: kilnBuild.library!,
          unitSource: path.join(kilnBuild.dir, compiled.unit!.sourceName),
          toolchain, python: probe.executable, optLevel: o.optLevel, fastMath: o.fastMath, signal: o.signal,
        });
        const runner = await driver.load('package', { file, func: spec.func, fn, packageDir: pkg.dir });
        if (pkg.extension && !pkg.extension.ok && pkg.extension.functions.includes(spec.func)) runner.version = `${runner.version ?? 'ctypes'}; extension not built: ${pkg.extension.message}`;
        return runner;
      }
      case 'c-ref':
      case 'rust-ref': {
        let exe: string;
        if (v === 'c-ref') {
          if (!spec.refC?.length) throw new VariantUnavailable('skipped', 'no C reference given');
          exe = await buildReferenceHarness(fn, { cSources: spec.refC }, { toolchain, optLevel: o.optLevel, fastMath: o.fastMath, signal: o.signal });
        } else {
          if (!spec.refRust) throw new VariantUnavailable('skipped', 'no Rust reference given');
          const crate = path.resolve(spec.refRust);
          if (!ctx.rustLibs.has(crate)) ctx.rustLibs.set(crate, buildRustCrate(crate, o.signal));
          const lib = await ctx.rustLibs.get(crate)!;
          exe = await buildReferenceHarness(fn, { sharedLibrary: lib }, { toolchain, optLevel: o.optLevel, fastMath: o.fastMath, signal: o.signal });
        }
        const s = new LineSession([exe]);
        ctx.sessions.push(s);
        return harnessRunner(s, fn);
      }
      default: {
        if (v.startsWith('kiln-') && !PY_KINDS[v]) return prepareTarget(v);
        const kind = PY_KINDS[v];
        if (!kind) throw new VariantUnavailable('failed', `unknown variant ${v}`);
        // CPython imports the original as the project does (pkg.mod from its source roots), as kiln verify does.
        const importAs = referenceModuleOf(compiled, compiled.module.name ?? '');
        return (await ctx.getDriver()).load(kind, { file, func: spec.func, fn, importAs });
      }
    }
  };
  // The compiled function in a harness built for another target, run by its runner (qemu-user, Node WASI, Wine).
  const prepareTarget = async (v: VariantId): Promise<Runner> => {
    const t = variantTarget(v);
    if (!t) throw new VariantUnavailable('failed', `unknown target in variant ${v} (see kiln targets)`);
    const kind = targetRunnerKind(t);
    if (!t.harness || !kind) throw new VariantUnavailable('skipped', `${t.id} cannot be executed on this machine: ${t.notes ?? 'no emulator for this platform'}`);
    if (compileError) throw new VariantUnavailable('does-not-compile', compileError);
    const rs = await runnerStatus(kind, { qemu: t.harness.qemu });
    if (!rs.available) throw new VariantUnavailable('not-installed', `${t.id}: ${rs.reason}`);
    const zig = await findZig();
    if (!zig) throw new VariantUnavailable('not-installed', `${t.id}: building for another target needs Zig: ${toolchainInstallHint()}`);
    const b = await buildUnit(compiled.unit!, { harness: true }, { ...buildOptionsFor(t, zig), optLevel: o.optLevel, fastMath: o.fastMath, signal: o.signal });
    const s = new LineSession([...(rs.command ?? []), b.harness!]);
    ctx.sessions.push(s);
    const runnerName = kind === 'node-wasi' ? `Node ${process.version} WASI` : kind === 'qemu-user' ? `${rs.version ?? t.harness.qemu}, ${t.harness.triple} harness` : rs.version;
    return { ...harnessRunner(s, fn), version: runnerName };
  };
  const runnerFor = async (v: VariantId): Promise<Runner | VariantUnavailable> => {
    if (!runners.has(v)) {
      try {
        runners.set(v, await prepare(v));
      } catch (e) {
        runners.set(v, e instanceof VariantUnavailable ? e : new VariantUnavailable('failed', (e as Error).message));
      }
    }
    return runners.get(v)!;
  };

  const out: BenchCase[] = [];
  for (const c of cases) {
    const bc: BenchCase = {
      kernel, file, function: spec.func, signature: fn.signature, args: c.args, sweep: c.sweep, iterationsPerCall: c.iterationsPerCall, results: [],
    };
    let expected: string | undefined;
    for (const v of wanted) {
      if (o.signal?.aborted) throw new Error('cancelled');
      o.onProgress?.({ kernel, args: c.args, variant: v, phase: 'start' });
      const r: BenchVariantResult = { variant: v, label: variantLabel(v), status: 'ok', target: variantTarget(v)?.id ?? 'host', emulated: variantIsEmulated(v) };
      const runner = await runnerFor(v);
      if (runner instanceof VariantUnavailable) {
        r.status = runner.status;
        r.message = runner.message;
      } else {
        r.version = runner.version;
        try {
          r.resultRepr = await runner.call(c.values);
          if (v === 'cpython') expected = r.resultRepr;
          else if (expected !== undefined && r.resultRepr !== expected) {
            r.status = 'mismatch';
            r.message = `returned ${r.resultRepr}, CPython returned ${expected}`;
          }
          const m = await measure(
            { sample: (reps) => runner.sample(c.values, reps) }, ctx.settings, { iterationsPerCall: c.iterationsPerCall, signal: o.signal },
          );
          r.summary = m.summary;
          r.samplesNs = m.samplesNs;
        } catch (e) {
          r.status = 'failed';
          r.message = (e as Error).message;
        }
      }
      bc.results.push(r);
      o.onProgress?.({ kernel, args: c.args, variant: v, phase: 'done', result: r });
    }
    if (kilnBuild) bc.kilnBuild = kilnBuild;
    out.push(bc);
  }
  return out;
}

/** The result of one variant in a case, when it has timings. */
export function timed(c: BenchCase, v: VariantId): BenchVariantResult | undefined {
  const r = c.results.find((x) => x.variant === v);
  return r?.summary && (r.status === 'ok' || r.status === 'mismatch') ? r : undefined;
}
