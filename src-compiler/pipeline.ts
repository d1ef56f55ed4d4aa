/**
 * The flow of one module: parse (Python's ast) -> trace -> typecheck -> lower to C -> build -> run.
 * Each step is plain data in and out; builds are cached by the hash of everything that decides them.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseModule } from './frontend/python.ts';
import type { PyModule } from './frontend/ast.ts';
import { ModuleTraces } from './ir/traces.ts';
import { assertLinted } from './ir/lint.ts';
import type { IRFunction } from './ir/ir.ts';
import { typecheckProgram, type EntryTypes, type TypedProgram } from './types/typecheck.ts';
import { lengthChanges, writes, type LengthChange, type ParamEffects } from './opt/writes.ts';
import { walkNodes } from './ir/ir.ts';
import { lowerToC } from './lower/c.ts';
import type { CUnit } from './lower/abi.ts';
import { harnessSource } from './run/harness.ts';
import { archiveObjects, compileC, compilerArgs, hostToolchain, isLinkFlag, semanticFlags, wantsLto, type Toolchain } from './targets/toolchain.ts';
import { internalErrorDiagnostic, KilnError, type Diagnostic } from './diagnostics.ts';
import { graphFor, locateProject, ModuleGraph } from './project/graph.ts';
import { assertConfig, type KilnSettings, type ProjectConfig } from './project/config.ts';
import { moduleNameOf, oneModuleLinks, type ModuleTracer, type ProgramLinks } from './project/scope.ts';
import { C_RUNTIME_DIR, cacheDir } from './paths.ts';
import { makeFolder } from './folders.ts';
import { runProcess } from './process.ts';
import { chooseSpecialisations, listedSignatures, sameReturnType, towerCode, towerParams, typesOfCode, type SkippedSpecialisation } from './types/tower.ts';
import { cIdent, isArrayDict, isWeightTree } from './lower/abi.ts';
import { typeToString, type KType } from './types/types.ts';

export interface FunctionResult {
  /** The program's name for it: bare in the module asked for, qualified (`pkg.mod.f`) in a project's library. */
  name: string;
  ir?: IRFunction;
  /** The first problem (when it does not compile); `errors` holds every problem found. */
  error?: Diagnostic;
  errors?: Diagnostic[];
  /** Its module (`pkg.mod`) and file, when it came from a module graph. */
  module?: string;
  file?: string;
}

/** What compiling gives: one library's worth of functions (a module's, or a whole project's). */
export interface CompiledUnit {
  /** The unit's name: the module's dotted name, or the project's library name. */
  name: string;
  /** The module asked for (one-module builds). */
  module?: PyModule;
  /** The module graph the program was read from (absent for a module compiled on its own, with no imports followed). */
  graph?: ModuleGraph;
  /** A project's library: its root, configuration, name and version. */
  project?: { root: string; name: string; version: string; config: ProjectConfig };
  /** Every requested function, traced and typed, or its diagnostic. */
  functions: FunctionResult[];
  program?: TypedProgram;
  unit?: CUnit;
  warnings: Diagnostic[];
  /** The files the result depends on (every module read), for caches. */
  sources: string[];
}

export type CompiledModule = CompiledUnit & { module: PyModule };

export interface CompileModuleOptions {
  /** Functions to compile; default: every @compile-decorated function of the module. */
  functions?: string[];
  python?: string;
  /** Overrides every function's bounds checks (`--boundscheck` / `--no-boundscheck`). */
  boundscheck?: boolean;
}

export async function loadModule(file: string, python?: string): Promise<PyModule> {
  return parseModule(path.resolve(file), python);
}

/** KILN_LINT=1: check the IR's shape (ir/lint.ts) after tracing and after typecheck; a malformed IR is a bug in Kiln. */
const lintOn = () => process.env.KILN_LINT === '1';

/**
 * Traces `name` (a module function, or a def or lambda nested in one: `outer.inner`) and caches it, with the
 * functions nested in it, per module; typecheck may have one traced again (ir/traces.ts).
 */
export function tracer(mod: PyModule): ModuleTracer {
  const traces = new ModuleTraces(mod);
  return Object.assign((name: string) => traces.get(name), { traceAgain: traces.traceAgain.bind(traces) });
}

function asDiagnostics(e: unknown, mod: PyModule, fn: string): Diagnostic[] {
  if (e instanceof KilnError) return e.diagnostics;
  const line = mod.functions.find((f) => f.name === fn)?.line ?? 0;
  return [internalErrorDiagnostic(e, { file: mod.file, line, col: line ? 1 : 0, function: fn })];
}

/**
 * The module graph of a file's project with the file's module loaded (and what it imports). Throws the
 * KilnError of a file that does not parse.
 */
export async function loadModuleGraph(file: string, python?: string): Promise<{ graph: ModuleGraph; module: PyModule }> {
  const abs = path.resolve(file);
  const graph = graphFor(abs, python);
  const name = await graph.loadFile(abs);
  const entry = name ? graph.entries.get(name) : undefined;
  if (entry?.error) throw new KilnError(entry.error);
  if (!entry?.mod) {
    // Not importable by name (a file name Python cannot import, such as my-script.py): the module alone.
    const mod = await loadModule(abs, python);
    return { graph, module: mod };
  }
  return { graph, module: entry.mod };
}

/**
 * Compiles the module's requested functions; a function that fails leaves the others compiling. What they
 * call in other modules of the project (through imports) is compiled with them.
 */
export async function compileModule(file: string, opts: CompileModuleOptions = {}): Promise<CompiledModule> {
  const { graph, module } = await loadModuleGraph(file, opts.python);
  if (!module.name) return compileParsedModule(module, opts);
  const names = opts.functions ?? module.functions.filter((f) => f.decorated).map((f) => f.name);
  const compiled = compileInGraph(graph, names.map((n) => `${module.name}.${n}`), { primary: module.name, unitName: module.name, boundscheck: opts.boundscheck });
  return { ...compiled, module };
}

/** A module compiled on its own: names of other modules are not followed (tests, and files outside any package). */
export function compileParsedModule(mod: PyModule, opts: CompileModuleOptions = {}): CompiledModule {
  const names = opts.functions ?? mod.functions.filter((f) => f.decorated).map((f) => f.name);
  const getIR = tracer(mod);
  const links = oneModuleLinks(mod, getIR);
  const r = compileWithLinks(links, mod, names.map((n) => `${moduleNameOf(mod)}.${n}`), { unitName: moduleNameOf(mod), lines: () => mod.lines, diagnosticPlace: (q) => ({ mod, fn: q.split('.').pop()! }) });
  return { ...r, name: moduleNameOf(mod), module: mod, sources: [mod.file] };
}

/**
 * Compiles functions of a module graph (canonical names, `pkg.mod.f`) into one unit. `primary`: the module whose
 * functions keep their bare names (none for a project's library).
 */
export function compileInGraph(
  graph: ModuleGraph, targets: string[], o: { primary?: string; unitName: string; boundscheck?: boolean; objects?: boolean },
): CompiledUnit {
  const links = graph.links(o.primary, { boundscheck: o.boundscheck });
  const home = (o.primary && graph.module(o.primary)) || graph.module(targets[0]?.slice(0, targets[0].lastIndexOf('.')) ?? '') || [...graph.entries.values()].find((e) => e.mod)?.mod;
  const r = compileWithLinks(links, home!, targets, {
    unitName: o.unitName, lines: (f) => graph.linesOf(f), objects: o.objects,
    diagnosticPlace: (q) => {
      const b = graph.resolve(q);
      return b.kind === 'function' ? { mod: b.mod, fn: b.name } : { mod: home!, fn: q };
    },
  });
  return { ...r, name: o.unitName, graph, sources: graph.files() };
}

function compileWithLinks(links: ProgramLinks, home: PyModule, targets: string[], o: { unitName: string; lines: (file: string) => string[]; objects?: boolean; diagnosticPlace: (q: string) => { mod: PyModule; fn: string } }): Omit<CompiledUnit, 'name' | 'sources'> {
  const getIR = (q: string) => links.getIR(q);
  const functions: FunctionResult[] = [];
  const good: IRFunction[] = [];
  // The specialisations `@compile(signatures=[...])` lists, by function (checked: each types, lowers and returns what it says).
  const listed = new Map<string, string[]>();
  // The whole program typed at once, when it can be (a project's library: each function alone would type
  // its callees again, N times); else each function alone, so that one's error leaves the others compiling.
  let whole: TypedProgram | undefined;
  try {
    const irs = targets.map((q) => (links.functionAt(q) ? getIR(q) : undefined));
    if (targets.length > 1 && irs.every(Boolean)) whole = typeProgram(home, irs as IRFunction[], getIR, links);
    // A write to module state is refused in the function that makes it: the functions are then typed one by one.
    if (whole && refusedWrites(whole).length) whole = undefined;
  } catch {
    whole = undefined;
  }
  for (const q of targets) {
    const name = links.displayName(q);
    const module = q.slice(0, q.lastIndexOf('.'));
    try {
      if (!links.functionAt(q)) {
        const place = o.diagnosticPlace(q);
        throw new KilnError({
          severity: 'error', file: place.mod.file, line: 0, col: 0, construct: 'function',
          message: `no function named '${q.split('.').pop()}' at module level`,
          hint: `functions here: ${place.mod.functions.map((f) => f.name).join(', ') || '(none)'}`,
        });
      }
      const ir = getIR(q);
      // Typecheck alone first (unless the whole program typed at once), so one function's error does not stop the others.
      const alone = whole ?? typeProgram(links.moduleOf(ir), [ir], getIR, links);
      if (!whole) {
        const state = refusedWrites(alone);
        if (state.length) throw new KilnError(state);
      }
      const codes = listedSpecialisations(alone, ir, links, getIR, o.lines);
      if (codes) listed.set(q, codes);
      functions.push({ name, ir, module, file: ir.file });
      good.push(ir);
    } catch (e) {
      const place = o.diagnosticPlace(q);
      const errors = asDiagnostics(e, place.mod, place.fn);
      functions.push({ name, error: errors[0], errors, module, file: place.mod.file });
    }
  }
  if (!good.length) return { functions, warnings: [] };
  let program = whole ?? typeProgram(home, good, getIR, links);
  // Each entry's specialisations for the other argument types Python accepts (types/tower.ts): typed again with them.
  const chosen = numericTowerSpecialisations(program, good, getIR, links, o.lines, listed);
  if (chosen.variants.size) {
    try {
      program = typeProgram(home, good, getIR, links, { variants: chosen.variants });
      // Lowered together too (the unit's C is made below; a failure here is a Kiln bug the specialisations hit).
      lowerToC({ ...program, module: o.unitName }, o.lines, undefined, { objects: o.objects });
    } catch (e) {
      program = whole ?? typeProgram(home, good, getIR, links);
      // Typed or lowered together they fail (a class's field learns an int from one and a float from another): none is built,
      // each is listed as left out with the reason, and a call of those types raises TypeError.
      const why = e instanceof KilnError ? e.diagnostic.message : String(e);
      for (const [q, list] of chosen.variants) {
        const entry = program.entries.find((x) => x.ir.qualifiedName === q);
        const skipped = chosen.skipped.get(q) ?? [];
        for (const types of list) {
          skipped.push({ code: towerCode(entry!.paramTypes, types), signature: `${entry!.name}(${types.map(typeToString).join(', ')})`, reason: `typed with the other specialisations: ${why}` });
        }
        chosen.skipped.set(q, skipped);
      }
      chosen.variants.clear();
      // Only the aliases of the annotated ones stay.
      for (const entry of program.entries) {
        const aliases = chosen.boolAliases.get(entry.ir.qualifiedName) ?? {};
        const own = towerCode(entry.paramTypes, entry.paramTypes);
        for (const k of Object.keys(aliases)) if (aliases[k] !== own) delete aliases[k];
      }
    }
  }
  for (const e of program.entries) {
    if (listed.has(e.ir.qualifiedName)) e.listedSignatures = true;
    const skipped = chosen.skipped.get(e.ir.qualifiedName);
    if (skipped?.length) e.skippedVariants = skipped;
    const aliases = chosen.boolAliases.get(e.ir.qualifiedName);
    if (aliases && Object.keys(aliases).length) e.boolAliases = aliases;
  }
  program.module = o.unitName;
  if (lintOn()) for (const f of program.functions) assertLinted(f.ir, 'typecheck');
  for (const f of functions) {
    const typed = program.entries.find((e) => e.name === f.name);
    if (typed) f.ir = typed.ir;
  }
  const unit = lowerToC(program, o.lines, undefined, { objects: o.objects });
  return { functions, program, unit, warnings: program.warnings };
}

/**
 * The specialisations to build besides each entry's annotated one (types/tower.ts decides which to try): a
 * candidate is kept when the entry types with those parameter types (a write to module state counts as not), and
 * left out with the first problem's message otherwise.
 */
function numericTowerSpecialisations(
  program: TypedProgram, irs: IRFunction[], getIR: (q: string) => IRFunction, links: ProgramLinks, lines: (file: string) => string[],
  listed: Map<string, string[]>,
) {
  const variants = new Map<string, KType[][]>();
  const skipped = new Map<string, SkippedSpecialisation[]>();
  const boolAliases = new Map<string, Record<string, string>>();
  for (const entry of program.entries) {
    const ir = irs.find((x) => x.qualifiedName === entry.ir.qualifiedName);
    if (!ir) continue;
    const annotated = entry.paramTypes;
    const describe = (types: KType[]) => `${entry.name}(${ir.params.map((p, i) => `${p.name}: ${typeToString(types[i])}`).join(', ')})`;
    // Each combination of parameter types is typed once, and lowered once when its C is asked for: a candidate must
    // lower (typeOk); a bool alias is compared by its typed program, else by its C.
    const attempts = new Map<string, SpecialisationAttempt>();
    const attempt = (types: KType[]) => {
      const key = towerCode(annotated, types);
      if (!attempts.has(key)) attempts.set(key, typeSpecialisation(ir, types, links, getIR));
      return attempts.get(key)!;
    };
    const typeOk = (types: KType[]) => lowerSpecialisation(attempt(types), lines, 'alias').problem;
    const typed = (types: KType[]): TypedProgram | undefined => attempt(types).program;
    // A bool where a built specialisation has an int: it runs that one when its C is the same with the parameter a
    // bool (the code never sees the difference: no str(), no bool result, no bool & bool...).
    const cache = new Map<string, string | undefined>();
    const cOf = (types: KType[]): string | undefined => {
      const key = towerCode(annotated, types);
      if (!cache.has(key)) cache.set(key, lowered(types));
      return cache.get(key);
    };
    const lowered = (types: KType[]): string | undefined => {
      const { source } = lowerSpecialisation(attempt(types), lines, 'alias');
      if (source === undefined) return undefined;
      const cName = (i: number) => cIdent(ir.params[i].name);
      let src = source.replace(/\/\*[\s\S]*?\*\//g, '');
      // The bool parameter declared as the int one. A bool widened to int64_t is not taken for the int: the widened
      // value may reach what shows its type (a dict key, KeyError's message: `KeyError: False`, not `KeyError: 0`).
      types.forEach((t, i) => {
        if (t.kind !== 'scalar' || t.name !== 'bool') return;
        src = src.replace(new RegExp(`\\bbool (${cName(i)}(_arg)?)\\b`, 'g'), 'int64_t $1');
      });
      return src;
    };
    // Listed by @compile(signatures=[...]) (checked already), else the tower's candidates that type-check.
    const own = towerCode(annotated, annotated);
    const mine = listed.get(ir.qualifiedName);
    const r = mine ? { codes: mine.filter((c) => c !== own), skipped: [] } : chooseSpecialisations(annotated, typeOk, describe);
    const towerAt = towerParams(annotated);
    if (r.codes.length) variants.set(ir.qualifiedName, r.codes.map((c) => typesOfCode(annotated, c)));
    if (r.skipped.length) skipped.set(ir.qualifiedName, r.skipped);
    const built = [own, ...r.codes];
    const aliases: Record<string, string> = {};
    for (const code of built) {
      // One bool in place of one int, and every int a bool.
      const ints = [...code].flatMap((l, k) => (l === 'i' ? [k] : []));
      const sets = [...ints.map((k) => [k]), ...(ints.length > 1 ? [ints] : [])];
      for (const set of sets) {
        const alias = [...code].map((l, k) => (set.includes(k) ? 'b' : l)).join('');
        if (built.includes(alias) || alias in aliases) continue;
        // Asked of the typed program first: lowering does not change it, and then the alias need not be lowered.
        if (boolsReadAsNumbers(typed(typesOfCode(annotated, alias)), set.map((k) => towerAt[k]))) aliases[alias] = code;
        else {
          const asBool = cOf(typesOfCode(annotated, alias));
          if (asBool !== undefined && asBool === cOf(typesOfCode(annotated, code))) aliases[alias] = code;
        }
      }
    }
    boolAliases.set(ir.qualifiedName, aliases);
  }
  return { variants, skipped, boolAliases };
}

/**
 * A specialisation typed alone: its typed program, or the first problem (a type error, a write to module state), with
 * its place; `lowered`: its C, once lowerSpecialisation has lowered it.
 */
interface SpecialisationAttempt { program?: TypedProgram; problem?: string; lowered?: { source?: string; problem?: string } }

const problemText = (e: unknown): string => {
  const d = e instanceof KilnError ? e.diagnostic : undefined;
  return d ? `${path.basename(d.file)}:${d.line}: ${d.message}` : String(e);
};

/** `ir` typed alone with the parameter types `types` (a specialisation). */
function typeSpecialisation(ir: IRFunction, types: KType[], links: ProgramLinks, getIR: (q: string) => IRFunction): SpecialisationAttempt {
  try {
    const p = typeProgram(links.moduleOf(ir), [ir], getIR, links, { paramTypes: new Map([[ir.qualifiedName, types]]) });
    const state = refusedWrites(p);
    return state.length ? { problem: state[0].message } : { program: p };
  } catch (e) {
    return { problem: problemText(e) };
  }
}

/**
 * The C source of a typed specialisation, as the unit `unit`, or its problem (a construct Kiln cannot lower: a
 * candidate that does not lower is left out with the reason, never built half-way). Lowering leaves the typed
 * program as it was.
 */
function lowerSpecialisation(a: SpecialisationAttempt, lines: (file: string) => string[], unit: string): { source?: string; problem?: string } {
  if (!a.program) return { problem: a.problem };
  if (!a.lowered) {
    try {
      a.program.module = unit;
      a.lowered = { source: lowerToC(a.program, lines).source };
    } catch (e) {
      a.lowered = { problem: problemText(e) };
    }
  }
  return a.lowered;
}

/** `ir` typed and lowered alone with the parameter types `types`: the typed program, or the first problem. */
function typedSpecialisation(
  ir: IRFunction, types: KType[], links: ProgramLinks, getIR: (q: string) => IRFunction, lines: (file: string) => string[],
): { program?: TypedProgram; problem?: string } {
  const a = typeSpecialisation(ir, types, links, getIR);
  const { problem } = lowerSpecialisation(a, lines, 'candidate');
  return problem === undefined ? { program: a.program } : { problem };
}

/**
 * The codes `@compile(signatures=[...])` lists for the entry `ir` (types/tower.ts), each typed and lowered, its
 * return type checked when the entry gives one; undefined when the decorator has no signatures. A wrong entry,
 * or one that does not build, is a KilnError at the decorator's line.
 */
function listedSpecialisations(
  typed: TypedProgram, ir: IRFunction, links: ProgramLinks, getIR: (q: string) => IRFunction, lines: (file: string) => string[],
): string[] | undefined {
  const fn = links.functionAt(ir.qualifiedName)?.fn;
  const option = fn?.decorator?.options.signatures;
  const entry = typed.entries.find((e) => e.ir.qualifiedName === ir.qualifiedName);
  if (option === undefined || !fn || !entry) return undefined;
  const fail = (message: string, hint?: string): never => {
    throw new KilnError({ severity: 'error', file: ir.file, line: fn.decorator!.span.line, col: fn.decorator!.span.col, function: fn.name, construct: '@compile(signatures=...)', message, ...(hint ? { hint } : {}) });
  };
  const annotated = entry.paramTypes;
  let sigs: ReturnType<typeof listedSignatures> = [];
  try {
    sigs = listedSignatures(option, ir.params.map((p) => p.name), annotated, ir.params.map((p) => p.annotation));
  } catch (e) {
    fail((e as Error).message);
  }
  const own = towerCode(annotated, annotated);
  for (const s of sigs) {
    const types = typesOfCode(annotated, s.code);
    const built = s.code === own ? { program: typed } : typedSpecialisation(ir, types, links, getIR, lines);
    const f = built.program?.entries.find((e) => e.ir.qualifiedName === ir.qualifiedName);
    if (!f) fail(`signatures entry "${s.text}" does not compile: ${built.problem}`, 'remove it from signatures=[...], or change the code so that it works with these argument types');
    if (s.returns !== undefined && !sameReturnType(s.returns, f!.returnType)) {
      fail(`signatures entry "${s.text}": with these argument types the function returns ${typeToString(f!.returnType)}, not ${s.returns}`, `write -> ${typeToString(f!.returnType)}, or leave the return type out`);
    }
  }
  return sigs.map((s) => s.code);
}

/**
 * Whether the parameters `at` of `p`'s entry, typed as bools, are only read by ops that take them as Python ints or
 * floats and give what the int gives (the boolAsInt fact: arithmetic, comparisons, unary minus), and never assigned:
 * then a bool there can run the int specialisation even where the C differs by a widening cast (floordiv_int(True, 2)
 * is 0 either way). A bool that reaches anything else (returned, a dict key, a helper, formatted) is not.
 */
function boolsReadAsNumbers(p: TypedProgram | undefined, at: number[]): boolean {
  const f = p?.entries[0];
  if (!f) return false;
  const names = new Set(at.map((i) => f.ir.params[i].name));
  const mentions = new Map<string, number>();
  let ok = true;
  walkNodes(f.ir.nodes, (n) => {
    if (n.op !== 'input' && n.op !== 'call_function' && n.target !== undefined && names.has(n.target)) ok = false;
    const r = f.resolved.get(n.name);
    n.args.forEach((a, k) => {
      if (!('ref' in a) || !names.has(a.ref)) return;
      const t = r?.argTypes[k];
      const asNumber = n.op === 'call_function' && !!r?.facts?.boolAsInt && t?.kind === 'scalar' && (t.name === 'int' || t.name === 'float');
      if (asNumber) mentions.set(a.ref, (mentions.get(a.ref) ?? 0) + 1);
      else ok = false;
    });
  });
  if (!ok) return false;
  // Every mention of the parameter is one of those arguments (none hides in another field of a node).
  const text = JSON.stringify(f.ir.nodes);
  return [...names].every((name) => text.split(JSON.stringify({ ref: name })).length - 1 === (mentions.get(name) ?? 0));
}

/** The functions a project's library exports: [tool.kiln] export (names and globs), else every @compile function. */
export function projectExports(graph: ModuleGraph, files: string[]): { targets: string[]; problems: Diagnostic[] } {
  const all: { q: string; decorated: boolean }[] = [];
  for (const f of files) {
    const name = graph.nameOfFile(f);
    const mod = name ? graph.module(name) : undefined;
    if (mod) for (const fn of mod.functions) all.push({ q: `${name}.${fn.name}`, decorated: fn.decorated });
  }
  const patterns = graph.config.settings.export;
  if (!patterns) return { targets: all.filter((x) => x.decorated).map((x) => x.q), problems: [] };
  const problems: Diagnostic[] = [];
  const chosen = new Set<string>();
  for (const p of patterns) {
    const glob = /[*?[]/.test(p);
    const re = new RegExp(`^${p.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
    // A glob picks @compile functions; a name may pick any module-level function (its annotations are its ABI).
    const hits = all.filter((x) => (glob ? x.decorated && re.test(x.q) : x.q === p));
    if (!hits.length) {
      problems.push({
        severity: 'error', file: graph.config.file ?? graph.root, line: graph.config.lines.export ?? 0, col: 1, construct: 'setting tool.kiln.export',
        message: `tool.kiln.export: '${p}' ${glob ? 'matches no @compile function' : 'is not a function of the project'}`,
        hint: `functions here: ${all.filter((x) => x.decorated).map((x) => x.q).slice(0, 12).join(', ') || '(none with @compile)'}`,
      });
    }
    for (const h of hits) chosen.add(h.q);
  }
  return { targets: all.filter((x) => chosen.has(x.q)).map((x) => x.q), problems };
}

/**
 * A project's library: every exported function of every module (see projectExports) in one unit, named after
 * the project. Configuration problems throw (all of them: see assertConfig).
 */
export async function compileProject(root: string, opts: { python?: string; boundscheck?: boolean; functions?: string[] } = {}): Promise<CompiledUnit> {
  const location = locateProject(root);
  assertConfig(location.config);
  const graph = new ModuleGraph(location, opts.python);
  const files = graph.moduleFiles();
  await graph.load(files.map((f) => graph.nameOfFile(f)!));
  const picked = opts.functions ? { targets: opts.functions, problems: [] } : projectExports(graph, files);
  if (picked.problems.length) throw Object.assign(new KilnError(picked.problems[0]), { diagnostics: picked.problems });
  const c = location.config;
  // One object per module, so that a change to one module recompiles its object and relinks (README "Incremental builds").
  const compiled = compileInGraph(graph, picked.targets, { unitName: c.name, boundscheck: opts.boundscheck, objects: true });
  // Modules that do not parse are the project's problems too.
  const broken = [...graph.entries.values()].flatMap((e) => (e.error ? [e.error] : []));
  return { ...compiled, warnings: [...broken.map((d) => ({ ...d, severity: 'warning' as const })), ...compiled.warnings], project: { root: location.root, name: c.name, version: c.version, config: c } };
}

/**
 * Writes that are refused where they are written (directly or through a helper or an alias):
 * - to module-level lists, arrays, dicts, sets and class instances (`TABLE = [1, 2, 3]` then `TABLE.append(4)`, `REG = Reg()`
 *   then `REG.count += 1` or a method that changes self, in compiled code): Python keeps the change for every later call
 *   and every thread; compiled code keeps no state between calls (a module-level list of constants is static, read-only
 *   data; any other module-level value is built where it is read);
 * - to a read-only view (np.broadcast_to's result): NumPy raises ValueError there; the compiled view would write the
 *   array it shares memory with;
 * - to an exported function's dict-of-arrays parameter or its arrays: it crosses read-only (docs/design/abi-values.md),
 *   nothing of it is written back to the caller yet;
 * - changes of the length of a deque a loop iterates (opt/writes.ts lengthChanges): CPython raises RuntimeError at the
 *   loop's next step; and of a list a loop that reads its length once iterates, where the links could not trace the
 *   loop again (typeProgram).
 */
export function refusedWrites(program: TypedProgram): Diagnostic[] {
  const found = analysedByTyping.get(program);
  const effects = found?.effects ?? writes(program);
  const out: Diagnostic[] = [];
  for (const f of program.entries) {
    f.ir.params.forEach((p, i) => {
      const tree = isWeightTree(f.paramTypes[i]);
      // Writes into its arrays are the caller's (each array is a view of the caller's memory); a change of a dict, list
      // or record it holds would not reach the caller.
      const site = effects[f.key]?.structureWrites?.[i];
      if ((!isArrayDict(f.paramTypes[i]) && !tree) || !site) return;
      let span = p.span;
      if (site) walkNodes(f.ir.nodes, (n) => { if (n.name === site) span = n.span; });
      out.push({
        severity: 'error', file: f.ir.file || program.file, line: span.line, col: span.col, endLine: span.endLine, endCol: span.endCol,
        function: f.ir.qualname ?? f.name, construct: 'change of a dict-of-arrays parameter',
        message: `this may change the ${tree ? 'dicts and lists' : 'dict'} '${p.name}' ${tree ? 'holds' : ''} (a store, del, pop, append: directly, through an alias or a helper): an exported function writes into the caller's arrays (p["w"][i] = x, p["w"] -= g), but a new array stored in the caller's dict or list would not reach the caller`.replace('  ', ' '),
        hint: tree ? 'write into the array in place (block["w"][...] = new), or return the new arrays' : `write into the array in place (${p.name}["w"][...] = new, ${p.name}["w"] -= g), work on a copy under another name (w = dict(${p.name})), or return the new arrays`,
      });
    });
  }
  for (const f of program.functions) {
    const state = new Set(effects[f.key]?.stateWrites ?? []);
    const identity = new Set(effects[f.key]?.stateIdentity ?? []);
    const readOnly = new Set(effects[f.key]?.readOnlyWrites ?? []);
    if (!state.size && !identity.size && !readOnly.size) continue;
    // The module-level value changed, when the function reads only one (else: what a helper returned, or one of several).
    const read = new Set<string>();
    walkNodes(f.ir.nodes, (n) => { if (n.op === 'call_function' && n.module) read.add(n.module); });
    const only = read.size === 1 ? [...read][0] : undefined;
    const changed = only ? `the module-level value '${only}'` : 'a module-level value (a list, array, dict, set or class instance)';
    walkNodes(f.ir.nodes, (n) => {
      if ((!state.has(n.name) && !identity.has(n.name) && !readOnly.has(n.name)) || out.some((d) => d.line === n.span.line && d.col === n.span.col)) return;
      const at = { severity: 'error' as const, file: f.ir.file || program.file, line: n.span.line, col: n.span.col, endLine: n.span.endLine, endCol: n.span.endCol, function: f.ir.qualname ?? f.name };
      out.push(identity.has(n.name) && !state.has(n.name) ? {
        ...at, construct: 'module state',
        message: `this compares ${only ? `the module-level instance '${only}' (or one it holds)` : 'a module-level class instance'} by identity (is, == without __eq__, hash, a dict or set key, directly or in a helper): Kiln compiles module-level values as constants, built where they are read, so it would not be the same object twice`,
        hint: 'pass it in as a parameter, or compare a field of it',
      } : state.has(n.name) ? {
        ...at, construct: 'module state',
        message: `this changes ${changed} or what it holds (directly, through an alias, a method or a helper): Python keeps the change for every later call (and every thread sees it); Kiln compiles module-level values as constants and keeps no state between calls`,
        hint: 'pass it in as a parameter (and return what changed), or change a copy (xs = list(TABLE), d = dict(TABLE); nested lists copied too: {k: list(v) for k, v in TABLE.items()})',
      } : {
        ...at, construct: 'write into a read-only view',
        message: 'this writes into a read-only view (np.broadcast_to\'s result or a view of it): NumPy raises ValueError: assignment destination is read-only',
        hint: 'write into a copy: np.broadcast_to(a, shape).copy()',
      });
    });
  }
  for (const c of found?.changes ?? lengthChanges(program, effects)) {
    const n = c.change;
    if ((!c.deque && !c.loop.lengthOnce) || out.some((d) => d.line === n.span.line && d.col === n.span.col)) continue;
    const at = {
      severity: 'error' as const, file: c.f.ir.file || program.file, line: n.span.line, col: n.span.col, endLine: n.span.endLine, endCol: n.span.endCol,
      function: c.f.ir.qualname ?? c.f.name,
    };
    out.push(c.deque ? {
      ...at, construct: 'deque changed while iterated',
      message: `this may change ${c.shown}, which the loop at line ${c.loop.span.line} iterates (directly, through an alias, a field, a method or a helper): CPython raises RuntimeError: deque mutated during iteration at the loop's next step`,
      hint: 'iterate over a copy (for x in list(...)), or take the items out as you go (while d: x = d.popleft())',
    } : {
      ...at, construct: 'list changed while iterated',
      message: `this may change the length of ${c.shown}, which the loop at line ${c.loop.span.line} iterates (directly, through an alias, a field, a method or a helper): CPython's iteration would follow the new length (appended items are iterated, removed ones end it early); this compiled loop reads the length once`,
      hint: 'iterate over a copy (for x in list(...)) or over indices (while i < len(...))',
    });
  }
  return out;
}

/** The analyses typeProgram made of the programs it typed, which refusedWrites reads again before anything changes them. */
const analysedByTyping = new WeakMap<TypedProgram, { effects: Record<string, ParamEffects>; changes: LengthChange[] }>();

/**
 * typecheckProgram, then the loops that read the length of a list once whose body may change it (opt/writes.ts
 * lengthChanges: `for x in xs: xs.append(y)`, directly, through an alias, a field or a helper) traced again reading
 * the length at every step as CPython's list iterator does (ir/traces.ts), and the program typed again, until none is
 * left. A program without one is typed once. Where the links cannot trace again, the loops stay (refusedWrites).
 */
export function typeProgram(
  mod: PyModule, entryIRs: IRFunction[], getIR: (name: string) => IRFunction, links: ProgramLinks, entryTypes?: EntryTypes,
): TypedProgram {
  for (let irs = entryIRs; ;) {
    const program = typecheckProgram(mod, irs, getIR, links, entryTypes);
    const effects = writes(program);
    const changes = lengthChanges(program, effects);
    analysedByTyping.set(program, { effects, changes });
    const loops = new Map<IRFunction, Set<string>>();
    for (const c of changes) {
      if (c.deque || !c.loop.lengthOnce) continue;
      let keys = loops.get(c.f.traced);
      if (!keys) loops.set(c.f.traced, (keys = new Set()));
      keys.add(c.loop.lengthOnce);
    }
    let traced = false;
    for (const [ir, keys] of loops) if (links.traceAgain?.(ir, { lengths: keys })) traced = true;
    if (!traced) return program;
    irs = irs.map((ir) => links.getIR(ir.qualifiedName));
  }
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
  /** A library of several objects: how many it has, and how many this build compiled (the rest from the cache). */
  objects?: { total: number; compiled: number };
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
/** Runtime headers besides kiln_runtime.h: those it includes, and the feature headers (big ints, math, random,
 * dicts, collections, strings) generated code includes when a unit uses them (all part of the build cache key). */
export const RUNTIME_EXTRA_HEADERS = [
  'kiln_libm.h', 'kiln_object.h', 'kiln_arrays.h', 'kiln_bigint.h', 'kiln_math.h', 'kiln_cmath_special.h', 'kiln_random.h', 'kiln_ziggurat.h',
  'kiln_dict.h', 'kiln_collections.h', 'kiln_str.h', 'kiln_unicode_db.h', 'kiln_ndarray.h', 'kiln_except.h', 'kiln_npsort.h', 'kiln_linalg.h',
  // NumPy kernels (docs/design/numpy-kernels.md): products, vector math, threads, and what they include.
  'kiln_products.h', 'kiln_gemm.h', 'kiln_gemm_kernels.h', 'kiln_simd.h', 'kiln_threads.h', 'kiln_vmath.h', 'kiln_vmath_kernels.h',
  'kiln_vmath_coeffs.h',
];
const extraHeaders = () => RUNTIME_EXTRA_HEADERS.map((h) => fs.readFileSync(path.join(C_RUNTIME_DIR, h), 'utf8'));

/** The runtime headers a unit's C includes, directly or through another runtime header (kiln_runtime.h first). */
export function unitRuntimeHeaders(unit: CUnit): string[] {
  const found = new Set<string>();
  const visit = (text: string) => {
    for (const m of text.matchAll(/^\s*#\s*include\s+"(kiln_[a-z0-9_]+\.h)"/gm)) {
      const h = m[1];
      if (found.has(h) || (h !== 'kiln_runtime.h' && !RUNTIME_EXTRA_HEADERS.includes(h))) continue;
      found.add(h);
      visit(fs.readFileSync(path.join(C_RUNTIME_DIR, h), 'utf8'));
    }
  };
  for (const text of [unit.source, unit.header, ...(unit.objects ?? []).map((x) => x.source)]) visit(text);
  return ['kiln_runtime.h', ...[...found].filter((h) => h !== 'kiln_runtime.h').sort()];
}

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
  const runtime = runtimeHeader();
  const extras = extraHeaders();
  const key = sha256([
    unit.source, unit.header, harness, runtime, ...extras, toolchain.version, toolchain.command.join(' '),
    recipe(libKind, ['SRC'], o.triple, libFlags), recipe('exe', ['HARNESS', 'SRC'], o.harnessTriple ?? o.triple, o.harnessFlags),
    ...(unit.objects ?? []).map((x) => x.source),
  ]);
  const dir = path.join(cacheDir(), 'builds', key.slice(0, 24));
  makeFolder(dir);
  const libPath = path.join(dir, libName);
  const harnessPath = path.join(dir, `${base}_harness${o.exeExt ?? (process.platform === 'win32' ? '.exe' : '')}`);
  const write = (name: string, text: string) => {
    const p = path.join(dir, name);
    if (!fs.existsSync(p) || fs.readFileSync(p, 'utf8') !== text) fs.writeFileSync(p, text);
    return p;
  };
  const source = write(unit.sourceName, unit.source);
  const header = write(unit.headerName, unit.header);
  write('kiln_runtime.h', runtime);
  RUNTIME_EXTRA_HEADERS.forEach((h, i) => write(h, extras[i]));
  const harnessC = write(`${base}_harness.c`, harness);
  let cached = true;
  let log = '';
  const started = performance.now();
  const newTmpDir = () => {
    const tmpDir = path.join(dir, `.tmp-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`);
    makeFolder(tmpDir);
    return tmpDir;
  };
  const fail = (r: { log: string }, triple: string | undefined, file: string, tmpDir: string) => {
    fs.rmSync(tmpDir, { recursive: true, force: true });
    const lines = r.log.split('\n');
    const first = lines.find((l) => /(^|\s)(fatal )?error:/.test(l) && !/warning:/.test(l)) ?? lines.find((l) => /error/i.test(l)) ?? lines[0];
    return Object.assign(new KilnError({ severity: 'error', file, line: 0, col: 0, construct: `C compiler (${triple ?? 'host'})`, message: `the C compiler failed: ${first}`, hint: 'this is a bug in Kiln if the Python compiled without diagnostics; the full log is in the build folder' }), { log });
  };
  // A library of several objects (a project's): each object is cached by the hash of its C, the runtime headers,
  // the toolchain and its compile command, so a change recompiles only the objects whose C changed.
  // A static library (iOS, Android) stays one object of the whole program: in an archive, the objects' hidden
  // symbols (kr_err, kf_...) would be global in the app that links it, and collide with a second Kiln library's.
  const objectFiles = libKind === 'static' ? undefined : unit.objects?.map((x) => ({ ...x, file: write(x.sourceName, x.source) }));
  const compiledObjects = new Set<string>();
  const headersDigest = objectFiles ? sha256([runtime, ...extras]) : ''; // hashed once, not once per object
  const libLto = libKind === 'shared' && wantsLto({ toolchain, kind: 'shared', triple: o.triple });
  const compileObjects = async (triple: string | undefined, extraFlags: string[] | undefined, lto: boolean): Promise<string[]> => {
    const flags = extraFlags?.filter((f) => !isLinkFlag(f));
    const args = compilerArgs({ toolchain, sources: ['SRC'], output: 'OUT', kind: 'static-object', triple, includeDirs: ['DIR'], optLevel: o.optLevel, fastMath: o.fastMath, extraFlags: flags, lto }).join(' ');
    const objDir = path.join(cacheDir(), 'objects');
    makeFolder(objDir);
    const one = async (x: NonNullable<typeof objectFiles>[number]) => {
      const out = path.join(objDir, `${sha256([x.source, headersDigest, toolchain.version, toolchain.command.join(' '), args]).slice(0, 24)}.o`);
      if (fs.existsSync(out)) return out;
      cached = false;
      compiledObjects.add(out);
      const tmpDir = newTmpDir();
      const tmp = path.join(tmpDir, `${x.sourceName.replace(/\.c$/, '')}.o`);
      const r = await compileC({ toolchain, sources: [x.file], output: tmp, kind: 'static-object', triple, includeDirs: [dir], optLevel: o.optLevel, fastMath: o.fastMath, signal: o.signal, cwd: dir, extraFlags: flags, lto });
      log += `$ ${r.command.join(' ')}\n${r.log}`;
      if (!r.ok) throw fail(r, triple, x.file, tmpDir);
      fs.renameSync(tmp, out);
      fs.rmSync(tmpDir, { recursive: true, force: true });
      return out;
    };
    return inParallel(objectFiles!, os.availableParallelism(), one);
  };
  const build = async (output: string, kind: 'shared' | 'exe' | 'static' | 'module', sources: string[], triple: string | undefined, extraFlags: string[] | undefined) => {
    if (fs.existsSync(output)) return;
    cached = false;
    // Build under the final file name in a private folder, then move it into place: the name is recorded
    // inside some formats (Mach-O install name, PE export name, archive member names), so a temporary
    // name would make two builds of the same source differ.
    const tmpDir = newTmpDir();
    const tmp = path.join(tmpDir, path.basename(output));
    let r: { ok: boolean; log: string };
    if (objectFiles) {
      // LLVM bitcode where the library is link-time optimised (a Zig shared library), so that it is optimised as a
      // whole as the one-unit library was (see wantsLto): calls across modules inline too. The harness links the
      // library's objects when it is built for the same triple.
      const lto = libLto && (triple ?? '') === (o.triple ?? '');
      const objects = await compileObjects(triple, extraFlags, lto);
      const c = await compileC({
        toolchain, sources: [...sources, ...objects], output: tmp, kind: ccKind(kind), triple, includeDirs: [dir], optLevel: o.optLevel, fastMath: o.fastMath,
        signal: o.signal, cwd: dir, extraFlags, lto,
      });
      log += `$ ${c.command.join(' ')}\n${c.log}`;
      r = c;
    } else {
      // A static library: compile to an object, then archive it (deterministic: no timestamps, uid or gid).
      const obj = kind === 'static' ? path.join(tmpDir, `${base}.o`) : tmp;
      const c = await compileC({
        toolchain, sources, output: obj, kind: ccKind(kind), triple, includeDirs: [dir], optLevel: o.optLevel, fastMath: o.fastMath, signal: o.signal,
        cwd: dir, extraFlags,
      });
      log += `$ ${c.command.join(' ')}\n${c.log}`;
      r = c;
      if (c.ok && kind === 'static') {
        const a = await archiveObjects(toolchain, tmp, [path.basename(obj)], { cwd: tmpDir, signal: o.signal });
        log += `$ ${a.command.join(' ')}\n${a.log}`;
        fs.rmSync(obj, { force: true });
        if (!a.ok) r = { ok: false, log: c.log + a.log };
      }
    }
    if (!r.ok) throw fail(r, triple, source, tmpDir);
    fs.renameSync(tmp, output); // atomic: a cancelled build never leaves a half-written artifact
    fs.rmSync(tmpDir, { recursive: true, force: true });
  };
  // A library of objects is linked from them alone; its harness from the harness's C and the same objects.
  if (what.library) await build(libPath, libKind, objectFiles ? [] : [source], o.triple, libFlags);
  if (what.harness) await build(harnessPath, 'exe', objectFiles ? [harnessC] : [harnessC, source], o.harnessTriple ?? o.triple, o.harnessFlags);
  return {
    dir, source, header, library: what.library ? libPath : undefined, harness: what.harness ? harnessPath : undefined,
    cached, toolchain, flags, log, durationMs: performance.now() - started,
    ...(objectFiles ? { objects: { total: objectFiles.length, compiled: compiledObjects.size } } : {}),
  };
}

/** Runs `fn` on every item, at most `limit` at a time; the results in the items' order. */
async function inParallel<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

/** Runs the harness on lines of input; `runner` wraps the command for emulated targets (qemu, node wasi, wine). */
export async function runHarness(harness: string, input: string, opts: { runner?: string[]; timeoutMs?: number; signal?: AbortSignal } = {}) {
  const [cmd, ...pre] = opts.runner?.length ? [...opts.runner, harness] : [harness];
  const r = await runProcess(cmd, pre, { input, timeoutMs: opts.timeoutMs ?? 120_000, signal: opts.signal });
  return { stdout: r.stdout, stderr: r.stderr, exitCode: r.exitCode, signal: r.signal, timedOut: r.timedOut };
}

/** The Python a unit was compiled from, for the build history: the module's, or each module of a project's under its path. */
export function unitSource(c: CompiledUnit): string {
  if (c.module && !c.project) return c.module.lines.join('\n');
  return [...(c.graph?.entries.values() ?? [])].filter((e) => e.mod).map((e) => `# ---- ${path.relative(c.project?.root ?? '', e.file!)} (${e.name})\n${e.mod!.lines.join('\n')}`).join('\n\n');
}

/** What a CLI SPEC names (cli/spec.ts): one module's functions, or a whole project. */
export type CompileTarget = { kind: 'module'; file: string; func?: string } | { kind: 'project'; root: string };

/** Compiles a module (its @compile functions, or `func`) or a project's library; the project's [tool.kiln] is checked first. */
export async function compileTarget(t: CompileTarget, opts: { python?: string; boundscheck?: boolean } = {}): Promise<CompiledUnit> {
  if (t.kind === 'project') return compileProject(t.root, opts);
  assertConfig(locateProject(t.file).config);
  return compileModule(t.file, { functions: t.func ? [t.func] : undefined, ...opts });
}

/** The [tool.kiln] settings that apply to a compiled unit (its project's), for defaults the CLI's flags override. */
export function unitSettings(c: CompiledUnit): KilnSettings | undefined {
  return (c.project?.config ?? c.graph?.config)?.settings;
}
