/**
 * Verification: the Python original under CPython and the native build, on the same inputs; every
 * difference is reported. The contract: the same value (floats bit for bit), or the same exception type.
 * Floats that went through an inexact op (np.exp, a float `a @ b`; opt/tolerance.ts) compare within that
 * function's tolerance, which the report states.
 * One documented limit: where Python's int result needs more than 64 bits, native code raises OverflowError.
 */
import path from 'node:path';
import { runPythonScript } from '../frontend/python.ts';
import { buildUnit, compileModule, runHarness, type BuildOptions, type CompiledUnit } from '../pipeline.ts';
import { handlesByClass, instanceTransportProblem, isWeightTree, withVariants, type ExportedFunction, type Tolerance } from '../lower/abi.ts';
import { towerCode, towerParams } from '../types/tower.ts';
import type { TypedProgram } from '../types/typecheck.ts';
import { typeToString, type KType } from '../types/types.ts';
import type { Diagnostic } from '../diagnostics.ts';
import type { PyFunction, PyLiteral, PyModule } from '../frontend/ast.ts';
import { formatDiagnostic } from '../diagnostics.ts';
import { VERIFY_RANDOM_SEED } from '../lower/random.ts';
import { describeExit, harnessLine, parseHarnessLine, specialisationFor, type CallOutcome } from './call.ts';
import { arrayDictKeys, classCallsIn, type ClassCallLiteral, exampleInstances, examplesFromDecorator, generateCases, literalToValue, loopSizedParams } from './inputs.ts';
import { closeValue, fromRefJSON, pyRepr, sameValue, toRefJSON, type PyValue, type RefJSON } from './values.ts';

/**
 * `limit`: native code raised one of Kiln's documented limits where CPython gave a value: an int past
 * 64 bits (OverflowError), or a result whose type depends on the values (int ** negative int gives a
 * float, a negative float ** fraction gives a complex). Never silent: the native call raises.
 */
export type CaseStatus = 'match' | 'mismatch' | 'limit' | 'crash' | 'python-timeout';

export function isKilnLimit(e: { type: string; message: string }): boolean {
  return (e.type === 'OverflowError' && (e.message.includes('64 bits') || e.message.includes("Kiln's bound on one"))) || (e.type === 'ValueError' && e.message.includes('Python gives'))
    // A str result holding a lone surrogate has no UTF-8, so it cannot cross the C ABI (CPython returned it).
    || (e.type === 'UnicodeEncodeError' && e.message.includes('surrogates not allowed'))
    // A Literal[...] parameter given another value: checked on entry (CPython's typing does not check it).
    || (e.type === 'ValueError' && /is not a valid value for parameter '.*': Literal\[/.test(e.message));
}

/**
 * The bit of resources/python/kiln_limits.py's mask that a native limit error stands for: 1 an int past
 * 64 bits, 2 an int to a negative int power, 4 a complex number; 0 when the error is not one of those
 * (not a limit, or a value-dependent type the instrumented run cannot see, such as sum() of an empty list).
 */
export function claimedLimit(e: { type: string; message: string }): number {
  if (!isKilnLimit(e)) return 0;
  if (e.type === 'OverflowError') return 1;
  if (/^negative exponent: Python gives a float/.test(e.message)) return 2;
  return /Python gives a complex number/.test(e.message) ? 4 : 0;
}

export interface CaseResult {
  args: string[];
  status: CaseStatus;
  python: string; // repr or "Type: message"
  native: string;
  note?: string;
  example?: boolean;
  /** The specialisation for other argument types that ran this case (types/tower.ts), when not the annotated one. */
  specialisation?: string;
}

/** One specialisation of an exported function (types/tower.ts) as verified: its own cases' counts. */
export interface SpecialisationVerification {
  signature: string;
  counts: Record<CaseStatus, number>;
  cases: number;
  ok: boolean;
  tolerance?: Tolerance;
}

export interface FunctionVerification {
  name: string;
  signature?: string;
  compileError?: Diagnostic;
  /** Every problem of a function that does not compile (compileError is the first). */
  compileErrors?: Diagnostic[];
  cases: CaseResult[];
  counts: Record<CaseStatus, number>;
  ok: boolean;
  smallParams?: string[];
  exampleProblems?: string[];
  /** Why it was not run (no cases): it crosses only the C ABI (class instances as handles). */
  unverified?: string;
  /** How its floats were compared (bit for bit when absent or 'exact'). */
  tolerance?: Tolerance;
  /** The NumPy version CPython used, when the module uses NumPy. */
  referenceNumpy?: string;
  /**
   * A function with specialisations for other argument types (types/tower.ts): each one's counts, the annotated one
   * first. `cases` and `counts` hold them all (one entry per exported function, whatever it specialises to).
   */
  specialisations?: SpecialisationVerification[];
}

export interface VerifyReport {
  file: string;
  functions: FunctionVerification[];
  ok: boolean;
  target: string;
  python: string;
}

export interface VerifyOptions {
  functions?: string[];
  python?: string;
  maxCases?: number;
  build?: BuildOptions;
  /** Wraps the harness command for emulated targets. */
  runner?: string[];
  target?: string;
  compiled?: CompiledUnit;
  /** A prebuilt harness for this module (cross targets). */
  harness?: string;
  signal?: AbortSignal;
  /** CPython's time limit per generated case, in seconds (2 by default); a case past it is not compared. */
  caseTimeoutSec?: number;
  /** The harness's C library is not glibc (musl, wasi-libc): the C library's functions are compared within their
   *  bounds (ExportedFunction.libcTolerance), as CPython built for that target would give that library's results. */
  otherLibc?: boolean;
}

/** `after`: each list or array argument's state after the call (null for other arguments), as CPython's caller sees it. */
/** `numpy`: the reference's NumPy version, when the module uses NumPy. */
/** `limits`: which documented limits an instrumented copy of the call reached (asked with `limits: true`; see kiln_limits.py). */
export type RefOutcome = (
  // err: type, str(e), and vars(e) of an exception class of the user's code with fields
  ({ ok: RefJSON } | { err: [string, string] | [string, string, RefJSON] }) & { after?: (RefJSON | null)[]; limits?: number }
  | { timeout: true } | { fatal: string }
) & { numpy?: string };

/**
 * How CPython gets the original: by its import path from the project's source roots (`import pkg.mod` with
 * sys.path = the roots, run from the project's folder), as the project's own code would; a file Python cannot
 * import by name is loaded from its path, its folder first on sys.path, as `python FILE` would.
 */
export interface ReferenceModule { module?: string; paths?: string[]; root?: string }

export interface ReferenceOptions {
  python?: string;
  timeoutSec?: number;
  signal?: AbortSignal;
  importAs?: ReferenceModule;
  /** Also report which documented limits each call reached (runs an instrumented copy of each call). */
  limits?: boolean;
  /** The keyword-only parameters: the last arguments of each case, passed by name. */
  kwonly?: string[];
  /** PYTHONHASHSEED of the reference run (str hashes, so the order of a set of str). */
  hashSeed?: string;
}

export async function runReference(file: string, fn: string, cases: PyValue[][], opts: ReferenceOptions = {}): Promise<RefOutcome[]> {
  return (await runReferenceBatch(file, [{ fn, cases, kwonly: opts.kwonly }], opts))[0];
}

/** Several functions of one module under one CPython process: each call's outcomes, case by case. */
export async function runReferenceBatch(
  file: string, calls: { fn: string; cases: PyValue[][]; kwonly?: string[]; timeoutSec?: number }[], opts: ReferenceOptions = {},
): Promise<RefOutcome[][]> {
  const total = calls.reduce((n, c) => n + c.cases.length, 0);
  const importAs = opts.importAs?.module ? { module: opts.importAs.module, paths: opts.importAs.paths } : {};
  const req = {
    file: path.resolve(file), calls: calls.map((c) => ({
      function: c.fn, cases: c.cases.map((x) => x.map(toRefJSON)), kwonly: c.kwonly ?? [], ...(c.timeoutSec !== undefined ? { timeout: c.timeoutSec } : {}),
    })),
    timeout: opts.timeoutSec ?? 2, limits: !!opts.limits, random_seed: VERIFY_RANDOM_SEED, ...importAs,
  };
  const cwd = opts.importAs?.root ?? path.dirname(path.resolve(file));
  const r = await runPythonScript('kiln_reference.py', [], { python: opts.python, input: JSON.stringify(req), timeoutMs: 30_000 + total * 3_000, cwd, signal: opts.signal, hashSeed: opts.hashSeed });
  const lines = r.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as RefOutcome);
  // A fatal error (the module does not import) stands for every case.
  if (lines.length === 1 && 'fatal' in lines[0]) return calls.map((c) => c.cases.map(() => lines[0]));
  if (lines.length < total) {
    const why = r.timedOut ? 'timed out' : (r.stderr || '').trim().split('\n').pop() || `exit ${r.exitCode}`;
    while (lines.length < total) lines.push({ fatal: `the CPython reference stopped: ${why}` });
  }
  let k = 0;
  return calls.map((c) => c.cases.map(() => lines[k++]));
}

/**
 * Builds the instances `examples=` gives (`Vec(1.0, 2.0)`: the class called as written, `__init__` and all) in CPython,
 * one process per module, and records each as CPython's instance (its attributes) or why it could not be built
 * (inputs.ts exampleInstances), so that planning reads them as values.
 */
export async function resolveExampleInstances(compiled: CompiledUnit, opts: ReferenceOptions & { python?: string }): Promise<void> {
  const byModule = new Map<PyModule, { module: string; calls: ClassCallLiteral[] }>();
  for (const entry of compiled.program?.entries ?? []) {
    const mod = compiled.graph?.module(entry.ir.module) ?? compiled.module;
    const calls = classCallsIn(mod?.functions.find((f) => f.name === entry.ir.name)?.decorator?.options.examples).filter((l) => !exampleInstances.has(l));
    if (mod && calls.length) byModule.set(mod, { module: entry.ir.module, calls: [...(byModule.get(mod)?.calls ?? []), ...calls] });
  }
  for (const [mod, { module, calls }] of byModule) await buildClassCalls(compiled, mod, module, calls, opts);
}

/**
 * Builds class calls of a module (`Vec(1.0, y=2.0)`, nested ones with them) in CPython, one process for all (kiln_reference.py
 * `construct`), and records each one's instance, or why it has none, in exampleInstances (inputs.ts literalToValue reads it):
 * examples= (resolveExampleInstances) and `kiln run`'s arguments (run/call.ts instanceArguments).
 */
export async function buildClassCalls(
  compiled: CompiledUnit, mod: PyModule, module: string, calls: ClassCallLiteral[], opts: ReferenceOptions & { python?: string },
): Promise<void> {
  const refOf = (l: PyLiteral): RefJSON | object =>
    (l && typeof l === 'object' && l._t === 'new' ? { new: l.cls, args: l.args.map(refOf), kwargs: l.kwargs.map(([k, v]) => [k, refOf(v)]) } : toRefJSON(literalToValue(l)));
  const construct: object[] = [];
  const built = calls.filter((l) => {
    try { construct.push(refOf(l)); return true; } catch (e) { exampleInstances.set(l, `${l.text}: ${(e as Error).message}`); return false; }
  });
  if (!built.length) return;
  const importAs = referenceModuleOf(compiled, module);
  const req = { file: path.resolve(mod.file), construct, ...(importAs ? { module: importAs.module, paths: importAs.paths } : {}) };
  const r = await runPythonScript('kiln_reference.py', [], {
    python: opts.python, input: JSON.stringify(req), timeoutMs: 30_000, cwd: importAs?.root ?? path.dirname(path.resolve(mod.file)), signal: opts.signal,
  });
  const lines = r.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as RefOutcome);
  built.forEach((l, k) => {
    const o = lines.length === 1 && 'fatal' in lines[0] ? lines[0] : lines[k];
    exampleInstances.set(l, !o ? `${l.text}: CPython stopped (${(r.stderr || '').trim().split('\n').pop() || `exit ${r.exitCode}`})`
      : 'ok' in o ? fromRefJSON(o.ok) : 'err' in o ? `${l.text} raised ${o.err[0]}${o.err[1] ? `: ${o.err[1]}` : ''}` : `${l.text}: ${refText(o)}`);
  });
}

const refText = (o: RefOutcome): string =>
  'ok' in o ? pyRepr(fromRefJSON(o.ok)) : 'err' in o ? (o.err[1] ? `${o.err[0]}: ${o.err[1]}` : o.err[0]) : 'timeout' in o ? 'timed out' : o.fatal;

const nativeText = (o: CallOutcome): string =>
  o.ok ? pyRepr(o.value) : 'error' in o ? (o.error.message ? `${o.error.type}: ${o.error.message}` : o.error.type) : o.crash;

/**
 * Lists and arrays are in-out (Python's caller sees append, pop, sort, xs[i] = v, a[::2] = 0, a *= k, also
 * when the call raised): a case matches only when every list and array argument ends as CPython left it
 * (arrays: same dtype, shape and values, floats bit for bit). Returns the first difference, if any.
 */
export function compareAfter(ref: RefOutcome, nat: CallOutcome, names: string[], tol: Tolerance = EXACT, unchanged?: ReadonlySet<number>): string | undefined {
  if (!('after' in ref) || !ref.after || nat.ok === false && 'crash' in nat) return undefined;
  for (const [i, r] of ref.after.entries()) {
    // A weight tree (lower/abi.ts isWeightTree) is never written by compiled code (refused at compile time): the
    // harness does not print it back.
    if (!r || unchanged?.has(i)) continue;
    const pv = fromRefJSON(r);
    const nv = nat.after?.[i];
    if (!nv) return `argument ${names[i] ?? i} after the call: CPython ${pyRepr(pv)}, native gave no final state`;
    if (!closeValue(pv, nv, tol)) return `argument ${names[i] ?? i} after the call: CPython ${pyRepr(pv)}, native ${pyRepr(nv)}`;
  }
  return undefined;
}

const EXACT: Tolerance = { kind: 'exact' };

export function compareOutcome(
  ref: RefOutcome, nat: CallOutcome, names: string[] = [], tol: Tolerance = EXACT, unchanged?: ReadonlySet<number>,
): { status: CaseStatus; note?: string } {
  const cmp = compareResult(ref, nat, tol);
  if (cmp.status !== 'match') return cmp;
  const diff = compareAfter(ref, nat, names, tol, unchanged);
  return diff ? { status: 'mismatch', note: diff } : cmp;
}

function compareResult(ref: RefOutcome, nat: CallOutcome, tol: Tolerance): { status: CaseStatus; note?: string } {
  if ('fatal' in ref) return { status: 'mismatch', note: ref.fatal };
  if ('timeout' in ref) return { status: 'python-timeout', note: 'CPython took longer than the per-case limit' };
  if (!nat.ok && 'crash' in nat) return { status: 'crash', note: nat.crash };
  // A documented limit only where CPython's own run reached it (when the reference was asked which it reached).
  // (CPython's MemoryError is an int too big to build: past 64 bits too.)
  const claimed = nat.ok ? 0 : claimedLimit(nat.error);
  const sameError = 'err' in ref && !nat.ok && ((ref.err[0] === nat.error.type && ref.err[1] === nat.error.message) || (claimed === 1 && ref.err[0] === 'MemoryError'));
  if (claimed && ref.limits !== undefined && !(ref.limits & claimed) && !sameError) {
    return { status: 'mismatch', note: claimed === 1 ? "OverflowError, but CPython's ints never left 64 bits in this call" : 'ValueError, but no power in this call changed type in CPython' };
  }
  if ('ok' in ref) {
    const pv = fromRefJSON(ref.ok);
    if (nat.ok) {
      if (sameValue(pv, nat.value)) return { status: 'match' };
      if (closeValue(pv, nat.value, tol)) return { status: 'match', note: `within ${toleranceText(tol)}` };
      const scalarKind = numpyScalarForPython(pv, nat.value);
      return scalarKind ? { status: 'match', note: scalarKind } : { status: 'mismatch' };
    }
    if (isKilnLimit(nat.error)) return { status: 'limit', note: nat.error.message };
    return { status: 'mismatch' };
  }
  // Python raised.
  if (nat.ok) return { status: 'mismatch' };
  if (ref.err[0] === nat.error.type) {
    // The fields of an exception class with fields (vars(e)), where the library carried its instance out.
    const fields = ref.err[2] !== undefined && nat.error.fields ? fromRefJSON(ref.err[2]) : undefined;
    if (fields && !sameValue(fields, nat.error.fields!)) return { status: 'mismatch', note: `its fields differ: CPython's are ${pyRepr(fields)}, native ${pyRepr(nat.error.fields!)}` };
    if (ref.err[1] === nat.error.message) return { status: 'match' };
    // Native code stopped at its limit; CPython went on and failed later with an error of the same type (float(2 ** 1100)).
    if (isKilnLimit(nat.error)) return { status: 'limit', note: nat.error.message };
    return { status: 'match', note: `message differs: Python says "${ref.err[1]}"` };
  }
  if (isKilnLimit(nat.error)) return { status: 'limit', note: nat.error.message };
  return { status: 'mismatch' };
}

/**
 * The iteration order of a set of str is CPython's str hash order, which PYTHONHASHSEED randomises per process (Kiln's
 * str hash is fixed): a result built from it has no one right value. In a program with such sets, each mismatching
 * case runs again under two other seeds; where CPython's own result changes, the native one matches if it equals
 * one of them, and is otherwise not comparable (a documented limit, said in its note). Updates `compared`.
 */
async function settleStrSetOrder(
  program: TypedProgram, compared: { status: CaseStatus; note?: string }[], rerun: (idx: number[], seed: string) => Promise<RefOutcome[]>,
  ref: RefOutcome[], natives: CallOutcome[], names: string[], tol?: Tolerance): Promise<void> {
  // A plain Enum member hashes as its name (a str), a tuple or a frozenset from its items' hashes: a set of them
  // changes order with the seed too.
  const strHash = (t: KType): boolean => t.kind === 'str' || (t.kind === 'enum' && !t.int) || (t.kind === 'tuple' && t.items.some(strHash)) || (t.kind === 'set' && strHash(t.item));
  const strSet = (t: KType | undefined): boolean => !!t && ((t.kind === 'set' && (strHash(t.item) || strSet(t.item))) || ((t.kind === 'dict') && (strSet(t.key) || strSet(t.value))) || (t.kind === 'iter' && strSet(t.of)));
  if (!program.functions.some((f) => Object.values(f.varTypes).some(strSet))) return;
  const idx = compared.map((c, i) => (c.status === 'mismatch' ? i : -1)).filter((i) => i >= 0);
  if (!idx.length) return;
  const seeds = ['1', '2'];
  const again = await Promise.all(seeds.map((s) => rerun(idx, s)));
  idx.forEach((i, k) => {
    const others = again.map((a) => a[k]);
    if (others.every((o) => refText(o) === refText(ref[i]))) return; // CPython agrees with itself: a real mismatch
    const seed = others.findIndex((o) => compareOutcome(o, natives[i], names, tol).status === 'match');
    compared[i] = seed >= 0
      ? { status: 'match', note: `equals CPython under PYTHONHASHSEED=${seeds[seed]} (the order of a set of str changes with the seed)` }
      : { status: 'limit', note: 'CPython\'s own result changes with its str hash seed (the iteration order of a set of str): not comparable; sort the set where the order matters' };
  });
}

/**
 * A variable that starts as a Python float (int) and takes NumPy float64 (int64) items keeps the NumPy type
 * in compiled code: when the loop runs zero times Python still holds the float 0.0 where Kiln gives
 * np.float64(0.0). np.float64 is a subclass of float (np.complex128 of complex), and np.int64 equals the int: the same value, noted.
 */
function numpyScalarForPython(py: PyValue, native: PyValue): string | undefined {
  if (py.kind === 'complex' && native.kind === 'complex' && native.np && !py.np && sameValue({ ...py, np: true }, native)) return 'np.complex128 where Python kept a complex (same value)';
  if (native.kind !== 'np') return undefined;
  if (py.kind === 'float' && native.dtype === 'float64' && sameValue(py, { kind: 'float', value: Number(native.value) })) return 'np.float64 where Python kept a float (same value)';
  if (py.kind === 'int' && native.dtype === 'int64' && py.value === BigInt(native.value)) return 'np.int64 where Python kept an int (same value)';
  return undefined;
}

export async function verifyModule(file: string, opts: VerifyOptions = {}): Promise<VerifyReport> {
  const compiled = opts.compiled ?? (await compileModule(file, { functions: opts.functions, python: opts.python }));
  const report: VerifyReport = { file, functions: [], ok: true, target: opts.target ?? 'host', python: opts.python ?? process.env.KILN_PYTHON ?? 'python3' };
  const empty = (): Record<CaseStatus, number> => ({ match: 0, mismatch: 0, 'limit': 0, crash: 0, 'python-timeout': 0 });
  for (const f of compiled.functions) {
    if (f.error) {
      report.functions.push({ name: f.name, compileError: f.error, compileErrors: f.errors ?? [f.error], cases: [], counts: empty(), ok: false });
      report.ok = false;
    }
  }
  const unit = compiled.unit;
  if (!unit) return report;
  const harness = opts.harness ?? (await buildUnit(unit, { harness: true }, opts.build)).harness!;
  // Each specialisation for other accepted argument types (types/tower.ts) is verified on inputs of its own types.
  // Class instances cross as handles (lower/c_abi_instances.ts); the harness makes and reads them field by field, and
  // a function whose classes it cannot carry so (instanceTransportProblem) is reported unverified, with the reason.
  for (const fn of unit.exports) {
    const problem = instanceTransportProblem(fn);
    if (problem) report.functions.push({ name: fn.name, signature: fn.signature, cases: [], counts: empty(), ok: true, unverified: problem });
  }
  await resolveExampleInstances(compiled, opts);
  const plans = unit.exports.filter((fn) => !instanceTransportProblem(fn)).map((fn) => planFunction(compiled, fn, opts));
  // One CPython process per module for all its functions' cases, and one harness run for the whole unit: a process
  // per function cost more than most functions' cases (about 0.1 s each for CPython, more under qemu-user or WASI).
  const refs = new Map<FunctionPlan, RefOutcome[]>();
  for (const group of byModule(plans, (p) => p)) {
    const byCall = await runReferenceBatch(group[0].mod.file, group.flatMap((p) => p.calls), {
      python: opts.python, signal: opts.signal, importAs: group[0].importAs, timeoutSec: opts.caseTimeoutSec,
    });
    let k = 0;
    for (const p of group) { refs.set(p, byCall.slice(k, k + p.calls.length).flat()); k += p.calls.length; }
  }
  const natives = await runNativeCases(harness, plans.map((p) => ({ plan: p, ref: refs.get(p)! })), opts);
  await checkLimits(plans.map((p, i) => ({ plan: p, ref: refs.get(p)!, natives: natives[i] })), opts);
  for (const [i, plan] of plans.entries()) {
    const result = await finishFunction(compiled, plan, refs.get(plan)!, natives[i], opts);
    report.functions.push(result);
    if (!result.ok) report.ok = false;
  }
  return report;
}

/** How the reference imports the module of a compiled function: by name from the project's source roots, when it has one. */
export function referenceModuleOf(compiled: CompiledUnit, module: string): ReferenceModule | undefined {
  const g = compiled.graph;
  if (!g || !g.module(module)) return undefined;
  return { module, paths: g.location.sourceRoots, root: g.root };
}

/** CPython's time per generated case of a specialisation (types/tower.ts), in seconds; the annotated function's is 2. */
const SPECIALISATION_CASE_TIMEOUT_SEC = 0.5;
/** Generated cases per extra specialisation (the annotated function gets opts.maxCases, 48 by default): edges first. */
const SPECIALISATION_MAX_CASES = 24;
/** Cases per bool alias (a bool running an int specialisation: two values at that parameter). */
const BOOL_ALIAS_MAX_CASES = 8;

/** What verifying one exported function runs: its specialisations' cases, and the CPython calls that give their references. */
interface FunctionPlan {
  entry: TypedProgram['entries'][number];
  mod: PyModule;
  pyFn: PyFunction;
  importAs?: ReferenceModule;
  kwonly: string[];
  small: Set<string>;
  parts: { fn: ExportedFunction; signature: string; ex: { problems: string[] }; cases: PyValue[][]; raw: PyValue[][]; examples: number }[];
  /** Every case of every part, in order: the specialisation that runs it, its native arguments and CPython's. */
  all: { fn: ExportedFunction; c: PyValue[]; raw: PyValue[] }[];
  calls: { fn: string; cases: PyValue[][]; kwonly: string[]; timeoutSec?: number }[];
}

/**
 * The cases of an exported function and of its specialisations for other argument types (types/tower.ts), each on
 * inputs of its own parameter types.
 */
function planFunction(compiled: CompiledUnit, main: ExportedFunction, opts: VerifyOptions): FunctionPlan {
  const program = compiled.program!;
  const entry = program.entries.find((e) => e.name === main.name)!;
  const mod = compiled.graph?.module(entry.ir.module) ?? compiled.module!;
  const pyFn = mod.functions.find((f) => f.name === entry.ir.name)!;
  const small = loopSizedParams(program, entry.ir);
  const importAs = referenceModuleOf(compiled, entry.ir.module);
  const kwonly = main.params.filter((p) => p.kind === 'kwonly').map((p) => p.name);
  const parts: FunctionPlan['parts'] = withVariants(main).map((fn) => {
    const ex = examplesFromDecorator(pyFn.decorator?.options.examples, fn.params, (raw) => exampleBelongs(main, fn, raw), fn.bigArgs, handlesByClass(fn));
    const max = fn === main ? opts.maxCases ?? 48 : Math.min(opts.maxCases ?? 48, SPECIALISATION_MAX_CASES);
    const made = generateCases(fn.params, small, max, ex.cases, handlesByClass(fn), arrayDictKeys(program, entry.key));
    // A generated case the package would send to another specialisation is not this one's (an empty list runs the one
    // types/tower.ts emptyListLetters says, whichever list type it was generated for).
    const keep = made.cases.map((c, i) => i < made.examples || !main.variants || exampleBelongs(main, fn, c) === 'mine');
    const g = { ...made, cases: made.cases.filter((_c, i) => keep[i]) };
    // CPython is called with the examples' own values (a bool that runs an int specialisation stays True).
    return { fn, signature: fn.signature, ex, ...g, raw: g.cases.map((c, i) => (i < g.examples ? ex.raw[i] ?? c : c)) };
  });
  // A bool that runs a specialisation with an int there (boolAliases): that one's cases with bools, CPython given the bools.
  const annotated = main.params.map((p) => p.type);
  const at = towerParams(annotated);
  for (const [alias, target] of Object.entries(main.boolAliases ?? {})) {
    const fn = withVariants(main).find((v) => (v.code ?? towerCode(annotated, annotated)) === target)!;
    const boolAt = (i: number) => at.includes(i) && alias[at.indexOf(i)] === 'b';
    const base = generateCases(fn.params, small, Math.min(opts.maxCases ?? 48, BOOL_ALIAS_MAX_CASES), []).cases;
    // The k-th bool of the alias is bit k of the case's number: both values of each, and their combinations.
    const bools = at.filter((i) => boolAt(i));
    const raw = base.map((c, n) => c.map((v, i) => (boolAt(i) ? { kind: 'bool' as const, value: ((n >> bools.indexOf(i)) & 1) === 1 } : v)));
    const cases = raw.map((c) => c.map((v, i) => (boolAt(i) ? { kind: 'int' as const, value: v.kind === 'bool' && v.value ? 1n : 0n } : v)));
    const shown = `${fn.signature.slice(0, fn.signature.indexOf('('))}(${main.params.map((p, i) => `${p.name}: ${boolAt(i) ? 'bool' : typeToString(fn.params[i].type)}`).join(', ')}), running ${fn.signature}`;
    parts.push({ fn, signature: shown, ex: { problems: [] }, cases, raw, examples: 0 });
  }
  const all = parts.flatMap((p) => p.cases.map((c, i) => ({ fn: p.fn, c, raw: p.raw[i] })));
  // A specialisation's generated cases get a shorter time per case than the annotated function's and the examples
  // (an `int ** int` edge case CPython cannot finish costs that much CPU, and is not compared).
  const generatedTimeout = (p: FunctionPlan['parts'][number]) =>
    (p === parts[0] ? opts.caseTimeoutSec ?? 2 : Math.min(opts.caseTimeoutSec ?? 2, SPECIALISATION_CASE_TIMEOUT_SEC));
  const calls = parts.flatMap((p) => [
    { fn: entry.ir.name, cases: p.raw.slice(0, p.examples), kwonly },
    { fn: entry.ir.name, cases: p.raw.slice(p.examples), kwonly, timeoutSec: generatedTimeout(p) },
  ]);
  return { entry, mod, pyFn, importAs, kwonly, small, parts, all, calls };
}

/**
 * Runs every case CPython finished through the unit's one harness, in order (module state such as a memo table
 * carries over from case to case on both sides). When the harness dies (a crash, a timeout), the case it died
 * on is a crash and a new harness goes on from the next one.
 */
async function runNativeCases(harness: string, fns: { plan: FunctionPlan; ref: RefOutcome[] }[], opts: VerifyOptions): Promise<CallOutcome[][]> {
  const natives: CallOutcome[][] = fns.map(({ plan }) => plan.all.map(() => ({ ok: false, crash: 'not run: CPython timed out' })));
  // A case where CPython timed out cannot be compared; it is not run natively either.
  const todo = fns.flatMap(({ plan, ref }, f) => plan.all.flatMap((x, i) => ('timeout' in ref[i] ? [] : [{ f, i, fn: x.fn, line: harnessLine(x.fn, x.c) }])));
  let from = 0;
  while (from < todo.length) {
    const batch = todo.slice(from);
    const run = await runHarness(harness, batch.map((t) => t.line).join('\n') + '\n', { runner: opts.runner, signal: opts.signal, timeoutMs: 60_000 + batch.length * 50 });
    opts.signal?.throwIfAborted();
    const out = run.stdout.split('\n').filter(Boolean);
    const done = Math.min(out.length, batch.length);
    for (let k = 0; k < done; k++) natives[batch[k].f][batch[k].i] = parseHarnessLine(batch[k].fn, out[k]);
    if (done === batch.length) break;
    natives[batch[done].f][batch[done].i] = { ok: false, crash: `the native harness ${describeExit(run)} in this case` };
    from += done + 1;
  }
  return natives;
}

/** Items grouped by the module file of their function, each group in the items' order (one CPython process a module). */
function byModule<T>(items: T[], planOf: (item: T) => FunctionPlan): T[][] {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(planOf(item).mod.file, [...(groups.get(planOf(item).mod.file) ?? []), item]);
  return [...groups.values()];
}

/** The calls that raised a documented limit natively: did CPython's run reach it? (Asked only for these, one CPython per module.) */
async function checkLimits(fns: { plan: FunctionPlan; ref: RefOutcome[]; natives: CallOutcome[] }[], opts: VerifyOptions): Promise<void> {
  const asked = fns.map(({ plan, ref, natives }) => ({
    plan, ref, idx: plan.all.map((_, i) => i).filter((i) => { const n = natives[i]; return !n.ok && 'error' in n && claimedLimit(n.error) !== 0; }),
  })).filter((a) => a.idx.length);
  for (const group of byModule(asked, (a) => a.plan)) {
    const calls = group.map(({ plan, idx }) => ({ fn: plan.entry.ir.name, cases: idx.map((i) => plan.all[i].raw), kwonly: plan.kwonly }));
    const checked = await runReferenceBatch(group[0].plan.mod.file, calls, {
      python: opts.python, signal: opts.signal, importAs: group[0].plan.importAs, limits: true,
    });
    group.forEach(({ ref, idx }, g) => {
      idx.forEach((i, k) => { const c = checked[g][k]; if ('limits' in c && c.limits !== undefined && !('fatal' in ref[i]) && !('timeout' in ref[i])) (ref[i] as { limits?: number }).limits = c.limits; });
    });
  }
}

/** Compares one exported function's cases (each specialisation's in turn) and reports them. */
async function finishFunction(
  compiled: CompiledUnit, plan: FunctionPlan, ref: RefOutcome[], natives: CallOutcome[], opts: VerifyOptions,
): Promise<FunctionVerification> {
  const program = compiled.program!;
  const { entry, mod, pyFn, importAs, kwonly, small, parts: plans } = plan;
  let start = 0;
  const out: FunctionVerification[] = [];
  for (const { fn, signature, ex, cases, raw, examples } of plans) {
    const counts: Record<CaseStatus, number> = { match: 0, mismatch: 0, 'limit': 0, crash: 0, 'python-timeout': 0 };
    const first = start;
    start += cases.length;
    const refs = ref.slice(first, first + cases.length);
    const nats = natives.slice(first, first + cases.length);
    const names = fn.params.map((p) => p.name);
    const unchanged = new Set(fn.params.flatMap((p, i) => (isWeightTree(p.type) ? [i] : [])));
    const tolerance = (opts.otherLibc && fn.libcTolerance) || fn.tolerance;
    const compared = cases.map((_c, i) => compareOutcome(refs[i], nats[i], names, tolerance, unchanged));
    const rerun = (idx: number[], seed: string) =>
      runReference(mod.file, entry.ir.name, idx.map((i) => raw[i]), { python: opts.python, signal: opts.signal, importAs, kwonly, hashSeed: seed });
    await settleStrSetOrder(program, compared, rerun, refs, nats, names, tolerance);
    const results: CaseResult[] = cases.map((_c, i) => {
      const cmp = compared[i];
      counts[cmp.status]++;
      return { args: raw[i].map(pyRepr), status: cmp.status, python: refText(refs[i]), native: nativeText(nats[i]), note: cmp.note, example: i < examples };
    });
    out.push({
      name: fn.name, signature, cases: results, counts, tolerance,
      ok: counts.mismatch === 0 && counts.crash === 0, smallParams: [...small], referenceNumpy: ref.find((o) => o.numpy)?.numpy,
      // The decorator's own problems (an option that is not a literal, with its line) are said here too: an example
      // that cannot be read must not be dropped without a word.
      exampleProblems: [...(fn.code ? [] : (pyFn.decorator?.problems ?? []).map((p) => `${path.basename(mod.file)}: ${p}`)), ...ex.problems],
    });
  }
  const [head, ...rest] = out;
  if (!rest.length) return head;
  // One entry for the exported function: every specialisation's cases (each marked with its signature) and counts.
  const counts: Record<CaseStatus, number> = { match: 0, mismatch: 0, 'limit': 0, crash: 0, 'python-timeout': 0 };
  for (const part of out) for (const k of Object.keys(counts) as CaseStatus[]) counts[k] += part.counts[k];
  return {
    ...head, counts, ok: out.every((part) => part.ok),
    cases: out.flatMap((part, k) => (k === 0 ? part.cases : part.cases.map((c) => ({ ...c, specialisation: part.signature! })))),
    exampleProblems: out.flatMap((part) => part.exampleProblems ?? []),
    specialisations: out.map((part) => ({
      signature: part.signature!, counts: part.counts, cases: part.cases.length, ok: part.ok, ...(part.tolerance ? { tolerance: part.tolerance } : {}),
    })),
  };
}

/**
 * Which specialisation of `main` an example calls, by its values' own Python types: 'mine' when it is `fn`, 'other'
 * when another one, or the TypeError the package would raise. (A function with no specialisations takes every
 * example, converted as before.)
 */
function exampleBelongs(main: ExportedFunction, fn: ExportedFunction, raw: PyValue[]): string {
  const pick = specialisationFor(main, raw);
  if ('missing' in pick) return fn.code ? 'other' : `TypeError: ${pick.missing}`;
  return pick.chosen === fn ? 'mine' : 'other';
}

export function formatVerifyReport(r: VerifyReport): string {
  const lines: string[] = [];
  const np1 = r.functions.find((f) => f.referenceNumpy?.startsWith('1.'))?.referenceNumpy;
  if (np1) {
    lines.push(`note: CPython here has NumPy ${np1}. Kiln follows NumPy 2: the reference asks NumPy 1.x for NumPy 2's promotion of`,
      `      Python scalars and its IndexError for an out-of-bounds index with an empty result, but float-to-int casts,`,
      `      np.full's out-of-range fill values and the repr of NumPy scalars (NumPy 2's np.float64(9.0), np.int64(3),`,
      `      np.True_; NumPy 1.x's 9.0, 3, True) still follow NumPy 1.x there.`);
  }
  for (const f of r.functions) {
    if (f.compileError) {
      const all = f.compileErrors ?? [f.compileError];
      lines.push(`✗ ${f.name}: does not compile: ${formatDiagnostic(all[0])}`);
      for (const d of all.slice(1)) lines.push(`  and: ${formatDiagnostic(d)}`);
      continue;
    }
    if (f.unverified) {
      lines.push(`- ${f.signature ?? f.name}: not verified: ${f.unverified}`);
      continue;
    }
    // One line per specialisation (types/tower.ts): the annotated one, then those for other argument types indented.
    const parts = f.specialisations ?? [{ signature: f.signature ?? f.name, counts: f.counts, cases: f.cases.length, ok: f.ok, tolerance: f.tolerance }];
    parts.forEach((part, k) => {
      const c = part.counts;
      const extra = [c['limit'] ? `${c['limit']} at Kiln's documented limits (int64, value-dependent types, str-set order)` : '', c['python-timeout'] ? `${c['python-timeout']} CPython timeouts` : ''].filter(Boolean).join(', ');
      lines.push(`${k ? '  ' : ''}${part.ok ? '✓' : '✗'} ${part.signature}: ${c.match}/${part.cases} match${c.mismatch ? `, ${c.mismatch} MISMATCH` : ''}${c.crash ? `, ${c.crash} CRASH` : ''}${extra ? `, ${extra}` : ''} [${r.target}]`);
      if (part.tolerance && part.tolerance.kind !== 'exact') lines.push(`    floats compared within ${toleranceText(part.tolerance)}`);
    });
    for (const p of f.exampleProblems ?? []) lines.push(`    examples: ${p}`);
    for (const cs of f.cases) {
      if (cs.status === 'mismatch' || cs.status === 'crash') {
        lines.push(`    ${f.name}(${cs.args.join(', ')}): CPython ${cs.python}  native ${cs.native}${cs.note ? `  (${cs.note})` : ''}`);
      }
    }
  }
  const skipped = r.functions.filter((f) => f.unverified).length;
  lines.push(r.ok ? `verified: every case matches CPython (${r.python})${skipped ? `; ${skipped} function${skipped > 1 ? 's' : ''} not verified (above)` : ''}` : 'verification FAILED');
  return lines.join('\n');
}

/** A tolerance as the report says it: "4 ULPs of CPython's (np.exp)". */
export function toleranceText(t: Tolerance): string {
  if (t.kind === 'exact') return 'bit for bit';
  const via = t.via.length ? ` (${t.via.join(', ')})` : '';
  if (t.kind === 'ulps') return `${t.ulps} ULP${t.ulps === 1 ? '' : 's'} of CPython's${via}`;
  return `a relative 2**-26 (float32: 2**-11) of the result's largest magnitude${via}: ${t.why}`;
}
