/**
 * The ways one function can be run for a benchmark ("variants"), each behind the same small interface:
 * call once (for the result check) and time `reps` calls. Native variants run in a harness process
 * (`@bench N fn args`), Python-side variants in the Python driver (resources/python/kiln_bench.py).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import type { ExportedFunction } from '../lower/abi.ts';
import type { PyFunction } from '../frontend/ast.ts';
import { harnessSource } from '../run/harness.ts';
import { harnessLine, parseHarnessLine } from '../run/call.ts';
import { doubleBits, floatRepr, fromRefJSON, pyRepr, toRefJSON, type PyValue, type RefJSON } from '../run/values.ts';
import { abiHeaderLines, abiParams, abiReturnType, errorAccessorDeclarations, stringAbiHeaderLines } from '../lower/abi.ts';
import { compileC, compilerArgs, type Toolchain } from '../targets/toolchain.ts';
import { T, typeToString, type KType, type ScalarName, SCALARS } from '../types/types.ts';
import { cacheDir, PYTHON_RESOURCES } from '../paths.ts';
import { LineSession } from './session.ts';
import { makeFolder } from '../folders.ts';

/** One prepared way of running the function. */
export interface Runner {
  /** Calls once; returns the result's repr or throws with the Python-style error. */
  call(args: PyValue[]): Promise<string>;
  /** Total nanoseconds of `reps` back-to-back calls. */
  sample(args: PyValue[], reps: number): Promise<number>;
  version?: string;
}

export class VariantUnavailable extends Error {
  constructor(readonly status: 'not-installed' | 'failed' | 'does-not-compile' | 'skipped', message: string) {
    super(message);
  }
}

// ---- signatures -----------------------------------------------------------------------------------

/** The signature from the annotations alone, for the references when Kiln itself cannot compile the function. */
export function signatureFromAnnotations(fn: PyFunction): ExportedFunction {
  const toType = (a: string | null, what: string): KType => {
    if (a === null) throw new VariantUnavailable('failed', `${what} has no annotation`);
    const name = a.replace(/^(np|numpy)\./, '');
    if (name === 'None') return T.none;
    if (name in SCALARS) return { kind: 'scalar', name: name as ScalarName };
    throw new VariantUnavailable('failed', `${what}: annotation ${a} is not a scalar type`);
  };
  const params = fn.params.map((p) => ({ name: p.name, type: toType(p.annotation, `parameter ${p.name}`) }));
  const returnType = toType(fn.returns, 'the return value');
  return {
    name: fn.name, symbol: `kiln_${fn.name}`, params, returnType, line: fn.line,
    signature: `${fn.name}(${params.map((p) => `${p.name}: ${typeToString(p.type)}`).join(', ')}) -> ${typeToString(returnType)}`,
  };
}

const scalarNameOf = (t: KType) => {
  if (t.kind !== 'scalar') throw new VariantUnavailable('skipped', `${typeToString(t)} values are not supported by this variant yet (scalars only)`);
  return t.name;
};

/** A parameter's type for the Python driver: a scalar name, `str`/`bytes`, or Pythran's spelling of an ndarray (`float64[:,:]`). */
const driverTypeOf = (t: KType) => (t.kind === 'array' ? `${t.dtype === 'bool' ? 'bool' : t.dtype}[${Array.from({ length: t.ndim }, () => ':').join(',')}]` : t.kind === 'str' || t.kind === 'bytes' ? t.kind : scalarNameOf(t));

// ---- results --------------------------------------------------------------------------------------

/**
 * What a variant's result is compared by (and stored as `result_repr`): CPython's repr() for scalars and
 * tuples; a NumPy scalar as the number NumPy 1.x prints (Numba and Pythran return a plain float where CPython
 * returns np.float64: the same value); an array as its dtype, shape, first and last items and a SHA-256 of
 * every item's exact value (floats bit for bit, any NaN equal to any NaN, as `kiln verify` compares), so a
 * 10^5-element result is compared exactly without storing it.
 */
export function benchResultRepr(v: PyValue): string {
  switch (v.kind) {
    case 'np': return SCALARS[v.dtype].float ? floatRepr(Number(v.value)) : String(v.value);
    case 'tuple': return v.items.length === 1 ? `(${benchResultRepr(v.items[0])},)` : `(${v.items.map(benchResultRepr).join(', ')})`;
    case 'array': {
      const fl = SCALARS[v.dtype].float;
      const item = (x: number | bigint | boolean) => (typeof x === 'boolean' ? (x ? 'True' : 'False') : fl ? floatRepr(Number(x)) : String(x));
      const h = crypto.createHash('sha256').update(`${v.dtype}|${v.shape.join(',')}|`);
      for (const x of v.values) h.update(typeof x === 'boolean' ? (x ? '1,' : '0,') : fl ? (Number.isNaN(Number(x)) ? 'nan,' : `${doubleBits(Number(x))},`) : `${String(x)},`);
      const n = v.values.length;
      const sample = n <= 6 ? v.values.map(item).join(', ') : `${v.values.slice(0, 3).map(item).join(', ')}, ..., ${v.values.slice(-3).map(item).join(', ')}`;
      return `ndarray[${v.dtype}] shape (${v.shape.join(', ')}${v.shape.length === 1 ? ',' : ''}) [${sample}] sha256:${h.digest('hex').slice(0, 16)}`;
    }
    case 'str': {
      // A long text is its length, its ends and a digest, not a megabyte of repr.
      if (v.value.length <= 64) return pyRepr(v);
      const h = crypto.createHash('sha256').update(v.value, 'utf8').digest('hex').slice(0, 16);
      return `str len ${v.value.length} ${pyRepr({ kind: 'str', value: v.value.slice(0, 16) })}...${pyRepr({ kind: 'str', value: v.value.slice(-16) })} sha256:${h}`;
    }
    default: return pyRepr(v);
  }
}

// ---- native harness variants ----------------------------------------------------------------------

/** Runs through a harness executable built by Kiln (the compiled function or a reference). */
export function harnessRunner(session: LineSession, fn: ExportedFunction): Runner {
  // A case's line is encoded once (an array input of 10^5 items is a few MB of text).
  const lines = new WeakMap<PyValue[], string>();
  const lineFor = (args: PyValue[]) => {
    let l = lines.get(args);
    if (l === undefined) lines.set(args, (l = harnessLine(fn, args)));
    return l;
  };
  return {
    async call(args) {
      const line = await session.request(lineFor(args));
      const outcome = parseHarnessLine(fn, line);
      if (outcome.ok) return benchResultRepr(outcome.value);
      if ('error' in outcome) throw new Error(`${outcome.error.type}: ${outcome.error.message}`);
      throw new Error(outcome.crash);
    },
    async sample(args, reps) {
      const line = await session.request(`@bench ${reps} ${lineFor(args)}`, 600_000);
      const m = /^bench (\d+) (-?\d+)/.exec(line);
      if (!m) throw new Error(`unexpected harness output: ${line}`);
      if (Number(m[2]) !== 0) throw new Error('the function raised an exception while being timed');
      return Number(m[1]);
    },
  };
}

const STUBS = `/* Error accessors for a reference build (the harness prints them when a reference returns nonzero). */
const char *kiln_error_type(void) { return "Exception"; }
const char *kiln_error_message(void) { return "the reference implementation returned a nonzero code"; }
int kiln_error_frame_count(void) { return 0; }
const void *kiln_error_object(void) { return 0; }
const char *kiln_error_frame_function(int i) { (void)i; return ""; }
int kiln_error_frame_line(int i) { (void)i; return 0; }
`;
/* Array and list results: a reference allocates them with malloc (the harness releases them with kiln_free). */
const FREE_STUB = `#include <stdlib.h>
void kiln_free(void *p) { free(p); }
`;

/** The C prototype of a reference implementation: `int ref_<name>(params..., T *out)`, Kiln's ABI. */
export function referencePrototype(fn: ExportedFunction): string {
  const params = fn.params.flatMap((p) => abiParams(p));
  if (fn.returnType.kind !== 'none') params.push(`${abiReturnType(fn.returnType)} *out`);
  return `int ref_${fn.name}(${params.join(', ') || 'void'})`;
}

/**
 * Builds a harness around a reference implementation (C sources, or a Rust cdylib), with the same
 * harness code, compiler and flags as the Kiln build, so the two are timed the same way.
 */
export async function buildReferenceHarness(fn: ExportedFunction, inputs: { cSources?: string[]; sharedLibrary?: string }, o: { toolchain: Toolchain; optLevel?: 'O0' | 'O1' | 'O2' | 'O3' | 'Os'; fastMath?: boolean; signal?: AbortSignal }): Promise<string> {
  for (const t of [...fn.params.map((p) => p.type), fn.returnType]) if (t.kind === 'tuple') scalarNameOf(t);
  const arrays = [...fn.params.map((p) => p.type), fn.returnType].some((t) => t.kind === 'array' || t.kind === 'list' || t.kind === 'str' || t.kind === 'bytes');
  const header = `/* The reference's prototype, in Kiln's calling convention. */
#include <stdint.h>
#include <stdbool.h>
${arrays ? `${abiHeaderLines().join('\n')}\n${stringAbiHeaderLines().join('\n')}\nvoid kiln_free(void *p);\n` : ''}${referencePrototype(fn)};
${errorAccessorDeclarations().join('\n')}
`;
  // The reference implements the annotated signature only: none of the library's specialisations (kiln_fma__iii) and
  // no big-int twin (kiln_big_results, <symbol>_big) is in it.
  const { variants: _variants, boolAliases: _aliases, skipped: _skipped, bigResults: _bigResults, bigArgs: _bigArgs, ...annotated } = fn;
  const refFn: ExportedFunction = { ...annotated, symbol: `ref_${fn.name}` };
  const harness = harnessSource({ sourceName: 'reference', headerName: 'kiln_bench_ref.h', source: '', header, exports: [refFn], lineMap: [] });
  const sources = (inputs.cSources ?? []).map((s) => path.resolve(s));
  const lib = inputs.sharedLibrary ? path.resolve(inputs.sharedLibrary) : undefined;
  const h = crypto.createHash('sha256');
  const stubs = arrays ? STUBS + FREE_STUB : STUBS;
  // The compiler's whole argument list is part of the key (paths of the cache folder left out), as for Kiln's builds.
  const recipe = compilerArgs({ toolchain: o.toolchain, sources: ['SRC'], output: 'OUT', kind: 'exe', includeDirs: ['DIR'], optLevel: o.optLevel, fastMath: o.fastMath, extraFlags: lib ? ['RPATH'] : [] }).join(' ');
  for (const part of [header, harness, stubs, ...sources.map((s) => fs.readFileSync(s, 'utf8')), lib ? `${lib}:${fs.statSync(lib).mtimeMs}` : '', recipe, o.toolchain.version]) h.update(part).update('\0');
  const dir = path.join(cacheDir(), 'bench-refs', h.digest('hex').slice(0, 24));
  const exe = path.join(dir, `ref_${fn.name}_harness`);
  if (fs.existsSync(exe)) return exe;
  makeFolder(dir);
  fs.writeFileSync(path.join(dir, 'kiln_bench_ref.h'), header);
  fs.writeFileSync(path.join(dir, 'harness.c'), harness);
  fs.writeFileSync(path.join(dir, 'stubs.c'), stubs);
  const tmp = `${exe}.tmp-${process.pid}`;
  const r = await compileC({
    toolchain: o.toolchain, sources: [path.join(dir, 'harness.c'), path.join(dir, 'stubs.c'), ...sources, ...(lib ? [lib] : [])],
    output: tmp, kind: 'exe', includeDirs: [dir], optLevel: o.optLevel, fastMath: o.fastMath, signal: o.signal, cwd: dir,
    extraFlags: lib ? [`-Wl,-rpath,${path.dirname(lib)}`] : [],
  });
  if (!r.ok) {
    const first = r.log.split('\n').find((l) => /error/i.test(l)) ?? r.log.split('\n')[0];
    throw new VariantUnavailable('failed', `the reference did not build: ${first.trim()} (expected ${referencePrototype(fn)})`);
  }
  fs.renameSync(tmp, exe);
  return exe;
}

/** Builds a Rust crate (no dependencies; crate-type cdylib) offline in release mode; returns the shared library. */
export async function buildRustCrate(crateDir: string, signal?: AbortSignal): Promise<string> {
  const cargo = await execa('cargo', ['--version'], { reject: false }).catch(() => undefined);
  if (!cargo || cargo.exitCode !== 0) throw new VariantUnavailable('not-installed', 'cargo is not installed');
  const targetDir = path.join(cacheDir(), 'bench-rust', crypto.createHash('sha256').update(path.resolve(crateDir)).digest('hex').slice(0, 16));
  const r = await execa('cargo', ['build', '--release', '--offline', '--quiet', '--target-dir', targetDir], { cwd: crateDir, reject: false, all: true, cancelSignal: signal, timeout: 600_000 });
  if (r.exitCode !== 0) throw new VariantUnavailable('failed', `cargo build failed: ${(r.all ?? '').split('\n').find((l) => /error/.test(l)) ?? r.all}`);
  const rel = path.join(targetDir, 'release');
  const lib = fs.readdirSync(rel).find((f) => /^lib.*\.(so|dylib)$/.test(f) || f.endsWith('.dll'));
  if (!lib) throw new VariantUnavailable('failed', `cargo built no shared library in ${rel} (set crate-type = ["cdylib"])`);
  return path.join(rel, lib);
}

// ---- Python-side variants -------------------------------------------------------------------------

interface DriverAnswer {
  ok: boolean;
  status?: 'not-installed' | 'failed';
  error?: string;
  [k: string]: unknown;
}

/** The Python driver process: one per interpreter, shared by every Python-side variant of a run. */
export class PythonDriver {
  private session: LineSession;
  private keys = 0;
  probe?: { python: string; executable: string; implementation: string; peers: Record<string, string | null> };

  constructor(readonly python: string) {
    this.session = new LineSession([python, '-u', path.join(PYTHON_RESOURCES, 'kiln_bench.py')], { env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } });
  }

  async request(req: Record<string, unknown>, timeoutMs?: number): Promise<DriverAnswer> {
    const line = await this.session.request(JSON.stringify(req), timeoutMs);
    try {
      return JSON.parse(line) as DriverAnswer;
    } catch {
      throw new Error(`the Python driver printed: ${line.slice(0, 200)}`);
    }
  }

  async start() {
    if (this.probe) return this.probe;
    const a = await this.request({ op: 'probe' }, 60_000);
    this.probe = a as unknown as PythonDriver['probe'];
    return this.probe!;
  }

  /** Loads one variant of a function; throws VariantUnavailable with the driver's reason. */
  async load(
    kind: 'cpython' | 'numba' | 'pythran' | 'cython' | 'ctypes' | 'package',
    spec: { file: string; func: string; fn: ExportedFunction; lib?: string; packageDir?: string; importAs?: { module?: string; paths?: string[] } },
  ): Promise<Runner> {
    const key = `${kind}:${++this.keys}`;
    const params = spec.fn.params.map((p) => (kind === 'ctypes' ? scalarNameOf(p.type) : driverTypeOf(p.type)));
    const returns = spec.fn.returnType.kind === 'none' ? null : kind === 'ctypes' ? scalarNameOf(spec.fn.returnType) : typeToString(spec.fn.returnType);
    const a = await this.request({
      op: 'load', key, kind, file: spec.file, func: spec.func, params, returns, lib: spec.lib, symbol: spec.fn.symbol, cache: cacheDir(), package: spec.packageDir,
      module: spec.importAs?.module, paths: spec.importAs?.paths,
    }, 900_000);
    if (!a.ok) throw new VariantUnavailable(a.status ?? 'failed', a.error ?? 'failed to load');
    return {
      version: typeof a.version === 'string' ? a.version : undefined,
      call: async (args) => {
        const r = await this.request({ op: 'call', key, args_id: await this.argsId(args) }, 600_000);
        if (!r.ok) throw new Error(r.error ?? 'call failed');
        return driverResultRepr(r);
      },
      sample: async (args, reps) => {
        const r = await this.request({ op: 'bench', key, args_id: await this.argsId(args), reps }, 600_000);
        if (!r.ok) throw new Error(r.error ?? 'bench failed');
        return Number(r.ns);
      },
    };
  }

  private argIds = new WeakMap<PyValue[], number>();
  private nextArgsId = 0;

  /**
   * Sends a case's arguments once (every variant then refers to them by id): scalars as Python literals,
   * arrays as their exact values (IEEE bits), which the driver turns into one NumPy array shared by the variants.
   */
  async argsId(args: PyValue[]): Promise<number> {
    let id = this.argIds.get(args);
    if (id !== undefined) return id;
    id = ++this.nextArgsId;
    const encoded: (string | RefJSON)[] = args.map((v) => (v.kind === 'array' || v.kind === 'str' || v.kind === 'bytes' ? toRefJSON(v) : pyLiteral(v)));
    const r = await this.request({ op: 'args', id, args: encoded }, 600_000);
    if (!r.ok) throw new Error(r.error ?? 'the Python driver did not accept the arguments');
    this.argIds.set(args, id);
    return id;
  }

  close() {
    this.session.close();
  }
}

/** The comparable result of a Python-side call: its exact value when the driver could encode it, else repr(). */
function driverResultRepr(r: DriverAnswer): string {
  if (r.value && typeof r.value === 'object') {
    const v = fromRefJSON(r.value as RefJSON);
    const hasOther = (x: PyValue): boolean => x.kind === 'other' || ((x.kind === 'tuple' || x.kind === 'list') && x.items.some(hasOther));
    if (!hasOther(v)) return benchResultRepr(v);
  }
  return String(r.repr);
}

/** A Python expression for a value (the driver evaluates it with a safe literal parser). */
export function pyLiteral(v: PyValue): string {
  const r = v.kind === 'np' ? (typeof v.value === 'bigint' ? v.value.toString() : floatRepr(v.value)) : pyRepr(v);
  if (r === 'inf' || r === '-inf' || r === 'nan') return `float('${r}')`;
  return r;
}
