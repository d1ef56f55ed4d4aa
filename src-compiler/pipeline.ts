/**
 * The flow of one module: parse (Python's ast) -> trace -> typecheck -> lower to C -> build -> run.
 * Each step is plain data in and out; builds are cached by the hash of everything that decides them.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { parseModule } from './frontend/python.ts';
import type { PyModule } from './frontend/ast.ts';
import { traceWithNested } from './ir/trace.ts';
import { assertLinted } from './ir/lint.ts';
import type { IRFunction } from './ir/ir.ts';
import { typecheckProgram, type TypedProgram } from './types/typecheck.ts';
import { writes } from './opt/writes.ts';
import { walkNodes } from './ir/ir.ts';
import { lowerToC } from './lower/c.ts';
import type { CUnit } from './lower/abi.ts';
import { harnessSource } from './run/harness.ts';
import { archiveObjects, compileC, compilerArgs, hostToolchain, semanticFlags, type Toolchain } from './targets/toolchain.ts';
import { KilnError, type Diagnostic } from './diagnostics.ts';
import { C_RUNTIME_DIR, cacheDir } from './paths.ts';

export interface FunctionResult {
  name: string;
  ir?: IRFunction;
  /** The first problem (when it does not compile); `errors` holds every problem found. */
  error?: Diagnostic;
  errors?: Diagnostic[];
}

export interface CompiledModule {
  module: PyModule;
  /** Every requested function, traced and typed, or its diagnostic. */
  functions: FunctionResult[];
  program?: TypedProgram;
  unit?: CUnit;
  warnings: Diagnostic[];
}

export interface CompileModuleOptions {
  /** Functions to compile; default: every @compile-decorated function of the module. */
  functions?: string[];
  python?: string;
}

export async function loadModule(file: string, python?: string): Promise<PyModule> {
  return parseModule(path.resolve(file), python);
}

/** KILN_LINT=1: check the IR's shape (ir/lint.ts) after tracing and after typecheck; a malformed IR is a bug in Kiln. */
const lintOn = () => process.env.KILN_LINT === '1';

/**
 * Traces `name` (a module function, or a def or lambda nested in one: `outer.inner`) and caches it, with the
 * functions nested in it, per module.
 */
export function tracer(mod: PyModule) {
  const cache = new Map<string, IRFunction>();
  return (name: string): IRFunction => {
    let ir = cache.get(name);
    if (!ir) {
      const outer = mod.functions.some((f) => f.name === name) ? name : name.split('.')[0];
      for (const f of traceWithNested(mod, outer)) {
        if (cache.has(f.name)) continue;
        if (lintOn()) assertLinted(f, 'trace');
        cache.set(f.name, f);
      }
      ir = cache.get(name);
      if (!ir) throw new Error(`internal: no function ${name} in ${mod.file}`);
    }
    return ir;
  };
}

function asDiagnostics(e: unknown, file: string, fn: string): Diagnostic[] {
  if (e instanceof KilnError) return e.diagnostics;
  return [{ severity: 'error', file, line: 0, col: 0, construct: 'internal', message: `internal compiler error: ${(e as Error).stack ?? e}`, function: fn }];
}

/** Compiles the module's requested functions; a function that fails leaves the others compiling. */
export async function compileModule(file: string, opts: CompileModuleOptions = {}): Promise<CompiledModule> {
  const mod = await loadModule(file, opts.python);
  return compileParsedModule(mod, opts);
}

export function compileParsedModule(mod: PyModule, opts: CompileModuleOptions = {}): CompiledModule {
  const names = opts.functions ?? mod.functions.filter((f) => f.decorated).map((f) => f.name);
  const getIR = tracer(mod);
  const functions: FunctionResult[] = [];
  const good: IRFunction[] = [];
  for (const name of names) {
    try {
      const ir = getIR(name);
      // Typecheck alone first, so one function's error does not stop the others.
      const alone = typecheckProgram(mod, [ir], getIR);
      const state = moduleStateProblems(alone);
      if (state.length) throw new KilnError(state);
      functions.push({ name, ir });
      good.push(ir);
    } catch (e) {
      const errors = asDiagnostics(e, mod.file, name);
      functions.push({ name, error: errors[0], errors });
    }
  }
  if (!good.length) return { module: mod, functions, warnings: [] };
  const program = typecheckProgram(mod, good, getIR);
  if (lintOn()) for (const f of program.functions) assertLinted(f.ir, 'typecheck');
  for (const f of functions) {
    const typed = program.entries.find((e) => e.name === f.name);
    if (typed) f.ir = typed.ir;
  }
  const unit = lowerToC(program, mod.lines);
  return { module: mod, functions, program, unit, warnings: program.warnings };
}

/**
 * Writes to module-level lists and arrays (`TABLE = [1, 2, 3]` then `TABLE.append(4)` in compiled code, directly or
 * through a helper or an alias): Python keeps the change for every later call and every thread; compiled code keeps
 * no state between calls (a module-level list of constants is static, read-only data), so each write is refused
 * where it is written.
 */
export function moduleStateProblems(program: TypedProgram): Diagnostic[] {
  const effects = writes(program);
  const out: Diagnostic[] = [];
  for (const f of program.functions) {
    const sites = new Set(effects[f.key]?.stateWrites ?? []);
    if (!sites.size) continue;
    walkNodes(f.ir.nodes, (n) => {
      if (!sites.has(n.name) || out.some((d) => d.line === n.span.line && d.col === n.span.col)) return;
      out.push({
        severity: 'error', file: program.file, line: n.span.line, col: n.span.col, endLine: n.span.endLine, endCol: n.span.endCol,
        construct: 'module state', function: f.ir.qualname ?? f.name,
        message: 'this changes a module-level list or array: Python keeps the change for every later call (and every thread sees it); compiled code keeps no state between calls',
        hint: 'change a copy (xs = list(TABLE)), or pass the list in as a parameter and return the result',
      });
    });
  }
  return out;
}

// ---- building -------------------------------------------------------------------------------------

export interface BuildOptions {
  /** A zig/clang target triple; undefined = the host. */
  triple?: string;
  optLevel?: 'O0' | 'O1' | 'O2' | 'O3' | 'Os';
  fastMath?: boolean;
  toolchain?: Toolchain;
  signal?: AbortSignal;
  /** Extension of the shared library for this target (default: the host's). */
  sharedExt?: string;
  exeExt?: string;
  /** Extra flags for the library only (wasm: -mexec-model=reactor) and for the harness only. */
  libraryFlags?: string[];
  harnessFlags?: string[];
  /** The harness's own triple when it differs from the library's (a static musl executable for qemu-user). */
  harnessTriple?: string;
  /**
   * 'static' archives the library's object into a .a (what iOS/Android apps link); 'module' links it like an
   * executable with the library flags (a wasm reactor: `-shared` would give a module without exports); default 'shared'.
   */
  libraryKind?: 'shared' | 'static' | 'module';
}

export interface BuildArtifacts {
  dir: string;
  source: string;
  header: string;
  library?: string;
  harness?: string;
  cached: boolean;
  toolchain: Toolchain;
  flags: string[];
  log: string;
  durationMs: number;
}

export function hostSharedExt(): string {
  return process.platform === 'win32' ? '.dll' : process.platform === 'darwin' ? '.dylib' : '.so';
}

function sha256(parts: string[]): string {
  const h = crypto.createHash('sha256');
  for (const p of parts) h.update(p).update('\0');
  return h.digest('hex');
}

const runtimeHeader = () => fs.readFileSync(path.join(C_RUNTIME_DIR, 'kiln_runtime.h'), 'utf8');
/** Runtime headers besides kiln_runtime.h that it includes (part of the build cache key). */
export const RUNTIME_EXTRA_HEADERS = ['kiln_object.h', 'kiln_arrays.h'];
const extraHeaders = () => RUNTIME_EXTRA_HEADERS.map((h) => fs.readFileSync(path.join(C_RUNTIME_DIR, h), 'utf8'));

/**
 * Builds the shared library and/or the harness for one target, reusing the cache when the hash of
 * (C source, header, runtime, toolchain and the compiler's whole argument list) matches.
 */
export async function buildUnit(unit: CUnit, what: { library?: boolean; harness?: boolean }, o: BuildOptions = {}): Promise<BuildArtifacts> {
  const toolchain = o.toolchain ?? (await hostToolchain());
  const flags = semanticFlags(o);
  const harness = harnessSource(unit);
  const base = unit.sourceName.replace(/\.c$/, '');
  const libName = `lib${base}${o.sharedExt ?? hostSharedExt()}`;
  const libKind = o.libraryKind ?? 'shared';
  // {lib} in a flag is the library's file name (e.g. a Mach-O install name: @rpath/{lib}).
  const libFlags = o.libraryFlags?.map((f) => f.replaceAll('{lib}', libName));
  const ccKind = (kind: 'shared' | 'exe' | 'static' | 'module') => (kind === 'static' ? 'static-object' : kind === 'module' ? 'exe' : kind);
  // The cache key holds the compiler's whole argument list for both artifacts (the build folder's own paths
  // left out), so any change to how a build is made, such as a new flag, is a new key.
  const recipe = (kind: 'shared' | 'exe' | 'static' | 'module', sources: string[], triple: string | undefined, extraFlags: string[] | undefined) =>
    compilerArgs({ toolchain, sources, output: 'OUT', kind: ccKind(kind), triple, includeDirs: ['DIR'], optLevel: o.optLevel, fastMath: o.fastMath, extraFlags }).join(' ');
  const key = sha256([
    unit.source, unit.header, harness, runtimeHeader(), ...extraHeaders(), toolchain.version, toolchain.command.join(' '),
    recipe(libKind, ['SRC'], o.triple, libFlags), recipe('exe', ['HARNESS', 'SRC'], o.harnessTriple ?? o.triple, o.harnessFlags),
  ]);
  const dir = path.join(cacheDir(), 'builds', key.slice(0, 24));
  fs.mkdirSync(dir, { recursive: true });
  const libPath = path.join(dir, libName);
  const harnessPath = path.join(dir, `${base}_harness${o.exeExt ?? (process.platform === 'win32' ? '.exe' : '')}`);
  const write = (name: string, text: string) => {
    const p = path.join(dir, name);
    if (!fs.existsSync(p) || fs.readFileSync(p, 'utf8') !== text) fs.writeFileSync(p, text);
    return p;
  };
  const source = write(unit.sourceName, unit.source);
  const header = write(unit.headerName, unit.header);
  write('kiln_runtime.h', runtimeHeader());
  RUNTIME_EXTRA_HEADERS.forEach((h, i) => write(h, extraHeaders()[i]));
  const harnessC = write(`${base}_harness.c`, harness);
  let cached = true;
  let log = '';
  const started = performance.now();
  const build = async (output: string, kind: 'shared' | 'exe' | 'static' | 'module', sources: string[], triple: string | undefined, extraFlags: string[] | undefined) => {
    if (fs.existsSync(output)) return;
    cached = false;
    // Build under the final file name in a private folder, then move it into place: the name is recorded
    // inside some formats (Mach-O install name, PE export name, archive member names), so a temporary
    // name would make two builds of the same source differ.
    const tmpDir = path.join(dir, `.tmp-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`);
    fs.mkdirSync(tmpDir, { recursive: true });
    const tmp = path.join(tmpDir, path.basename(output));
    // A static library: compile to an object, then archive it (deterministic: no timestamps, uid or gid).
    const obj = kind === 'static' ? path.join(tmpDir, `${base}.o`) : tmp;
    const r = await compileC({ toolchain, sources, output: obj, kind: ccKind(kind), triple, includeDirs: [dir], optLevel: o.optLevel, fastMath: o.fastMath, signal: o.signal, cwd: dir, extraFlags });
    log += `$ ${r.command.join(' ')}\n${r.log}`;
    if (r.ok && kind === 'static') {
      const a = await archiveObjects(toolchain, tmp, [path.basename(obj)], { cwd: tmpDir, signal: o.signal });
      log += `$ ${a.command.join(' ')}\n${a.log}`;
      fs.rmSync(obj, { force: true });
      if (!a.ok) r.ok = false, r.log += a.log;
    }
    if (!r.ok) {
      fs.rmSync(tmpDir, { recursive: true, force: true });
      const lines = r.log.split('\n');
      const first = lines.find((l) => /(^|\s)(fatal )?error:/.test(l) && !/warning:/.test(l)) ?? lines.find((l) => /error/i.test(l)) ?? lines[0];
      throw Object.assign(new KilnError({ severity: 'error', file: source, line: 0, col: 0, construct: `C compiler (${triple ?? 'host'})`, message: `the C compiler failed: ${first}`, hint: 'this is a bug in Kiln if the Python compiled without diagnostics; the full log is in the build folder' }), { log });
    }
    fs.renameSync(tmp, output); // atomic: a cancelled build never leaves a half-written artifact
    fs.rmSync(tmpDir, { recursive: true, force: true });
  };
  if (what.library) await build(libPath, libKind, [source], o.triple, libFlags);
  if (what.harness) await build(harnessPath, 'exe', [harnessC, source], o.harnessTriple ?? o.triple, o.harnessFlags);
  return {
    dir, source, header, library: what.library ? libPath : undefined, harness: what.harness ? harnessPath : undefined,
    cached, toolchain, flags, log, durationMs: performance.now() - started,
  };
}

/** Runs the harness on lines of input; `runner` wraps the command for emulated targets (qemu, node wasi, wine). */
export async function runHarness(harness: string, input: string, opts: { runner?: string[]; timeoutMs?: number; signal?: AbortSignal } = {}) {
  const [cmd, ...pre] = opts.runner?.length ? [...opts.runner, harness] : [harness];
  const r = await execa(cmd, pre, { input, reject: false, timeout: opts.timeoutMs ?? 120_000, cancelSignal: opts.signal, maxBuffer: 256 * 1024 * 1024 });
  return { stdout: r.stdout, stderr: r.stderr, exitCode: r.exitCode, signal: r.signal, timedOut: r.timedOut };
}
