/**
 * Type propagation: native types flow from the entry function's annotations through the op registry.
 * Helpers of the same module are specialised by the types they are called with (as Python would run
 * them), return types are inferred (recursion included) by iterating to a fixed point.
 */
import type { PyLiteral, PyModule } from '../frontend/ast.ts';
import { arrayDictLeaf, instanceClassOf, isArrayDict, isFlatContainer, isRowList, pyLiteralText } from '../lower/abi.ts';
import { handleProblem } from '../lower/c_abi_instances.ts';
import { FRAME_SEND, FRAME_STEP } from '../ir/generators.ts';
import { KilnError, type Diagnostic } from '../diagnostics.ts';
import type { Arg, ConstValue, IRFunction, IRNode, Span } from '../ir/ir.ts';
import { cloneIR, isRef, walkNodes } from '../ir/ir.ts';
import { T, escaped, isNicheOptional, isIntLike, isNumpyNumber, isUnion, isVarTuple, joinTypes, ownsReferences, sameType, typeToString, unifyFunctionTypes, unionMembers, unionOf, withoutMembers, type KType } from './types.ts';
import { constType } from './const_type.ts';
import { annotationArrayDtypes, annotationNamesNone, annotationType, arrayRankOpen, generatorSendType, listUnionParameterType, literalValues, typeVarParameterType, weightTreeType } from './annotations.ts';
import { inferEntryRanks, type RankInference } from './ranks.ts';
import { cacheInfoProblem, typeCollisions } from './memo.ts';
import { CONSTANTS, emptyContainer, isUnrefined, lookupConstant, lookupOp, OPS, type ArgFacts, type OpEntry, type Resolved } from './ops/index.ts';
import { checkedNarrowResolution, narrowResolution, testedMembers } from './ops/optional.ts';
import { resolvingAugmented } from './ops/common.ts';
import { COMPLEX_ARRAYS, isScalarUnion } from './ops/common_arrays.ts';
import { FlowEnv, negate, type Cond, type Facts } from './narrowing.ts';
import { renameLocals, splitVariables } from '../opt/splitVariables.ts';
import { bindCall, specKey, specialiseIR, type BoundArg, type BoundCall, type CallBinding, type Dispatch, type NotCompiled } from './calls.ts';
import { moduleNameOf, oneModuleLinks, type ProgramLinks } from '../project/scope.ts';
import { towerCode, type SkippedSpecialisation } from './tower.ts';
import { ClassTable, classInfo, classTable, classesCalled, dunderCall, hashRule, isExceptionBase, keyMethodCall, setClassTable, type ClassInfo, type DunderCall } from './classes.ts';

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

export interface TypedFunction {
  key: string;
  /** The program's name for the function: bare in the primary module, qualified (`utils.clamp`) elsewhere. */
  name: string;
  /** The C name of this specialisation (static, so it never collides with libc: `kf_fma`). */
  cName: string;
  ir: IRFunction; // a typed copy: every value node has `type`
  /** The traced IR it was typed from (shared by every specialisation of the function; ProgramLinks.traceAgain). */
  traced: IRFunction;
  paramTypes: KType[];
  returnType: KType;
  varTypes: Record<string, KType>;
  /** node name -> the resolved op (registry entry result) */
  resolved: Map<string, Resolved>;
  /** node name -> key of the called specialisation */
  calls: Map<string, string>;
  /** node name -> how a call's arguments become the callee's C arguments (calls of compiled functions). */
  bindings: Map<string, CallBinding>;
  /** node name -> a call through a funcset: the function each member is, and its binding. */
  dispatch: Map<string, Dispatch>;
  /** node name -> a library function called as a value (`key=abs`): the op, on the args after the callee. */
  valueCalls: Map<string, Resolved>;
  recursive: boolean;
  /** Array and list indices are checked (IndexError); `@compile(boundscheck=False)` turns it off. */
  boundscheck: boolean;
  /** An exported function's `Literal["a", "b"]` parameters: their values (checked on entry), by position. */
  paramLiterals?: (string[] | undefined)[];
  /** An entry's specialisations for other argument types Python accepts (types/tower.ts), each with its code. */
  variants?: (TypedFunction & { code: string })[];
  /** The candidate specialisations left out (did not type-check, or past the cap), for the manifest. */
  skippedVariants?: SkippedSpecialisation[];
  /** Its specialisations are the ones `@compile(signatures=[...])` lists, not the tower's default candidates. */
  listedSignatures?: boolean;
  /** Codes with a bool that run a built specialisation with an int there (its C is the same with a bool): code -> built code. */
  boolAliases?: Record<string, string>;
  /** node name -> a method call dispatched on the instance's class (types/classes.ts): per implementation, the classes that use it. */
  virtuals?: Map<string, VirtualCase[]>;
}

/**
 * The parameter types entries are typed with, by canonical name, instead of their annotations (`paramTypes`: a
 * candidate specialisation typed alone), and the specialisations built besides the annotated one (`variants`).
 */
export interface EntryTypes {
  paramTypes?: Map<string, KType[]>;
  variants?: Map<string, KType[][]>;
}

/** One implementation of a virtually dispatched method: the classes whose instances run it, its specialisation. */
export interface VirtualCase {
  classes: string[];
  /** The class the implementation is defined in (`self`'s type in its specialisation). */
  self: string;
  callee: string;
  binding: CallBinding;
}

export interface TypedProgram {
  file: string;
  module: string;
  /** The exported functions (one per entry, typed from its annotations), in the order given. */
  entries: TypedFunction[];
  functions: TypedFunction[];
  warnings: Diagnostic[];
  /** The compiled classes of the program (types/classes.ts), with their learnt field types. */
  classes?: ClassInfo[];
}

interface Spec {
  key: string;
  name: string;
  /** Canonical `pkg.mod.f`. */
  qualified: string;
  /** The traced IR it was made from (shared by every specialisation of the function). */
  traced: IRFunction;
  ir: IRFunction;
  paramTypes: KType[];
  returnType?: KType;
  varTypes: Map<string, KType>;
  resolved: Map<string, Resolved>;
  calls: Map<string, string>;
  bindings: Map<string, CallBinding>;
  dispatch: Map<string, Dispatch>;
  valueCalls: Map<string, Resolved>;
  firstAssign: Map<string, Span>;
  /** Parameters a call left to their defaults (assigned on entry). */
  defaulted: string[];
  /** A problem was found in it (reported once): what depends on its result is not reported again. */
  poisoned?: boolean;
  /** `{}` / `set()` nodes and the dict or set type learnt for them from the variable they are assigned to. */
  emptyTypes: Map<string, KType>;
  /** Nodes that read a list out of a dict variable whose value type is `list[?]` (`g[u]`): that variable. */
  listOrigins: Map<string, string>;
  /** The final round's reads of variables narrower than their storage type (see narrowing.ts). */
  narrowSites?: NarrowSite[];
  virtuals: Map<string, VirtualCase[]>;
  /** Calls written `obj.m(...)` (dispatched on obj's class), as opposed to `Base.m(obj)` and `super().m()` (direct). */
  methodCalls: Set<string>;
}

/**
 * A read of a variable (argument `arg` of `node`) where the path proved it holds `to`, some members of its type
 * `from`; `checked`: not proved, a use that takes only `to` (range() of an `int | None`) raises CPython's TypeError
 * for the other members.
 */
interface NarrowSite {
  node: IRNode;
  arg: number;
  from: KType;
  to: KType;
  checked?: boolean;
}

/**
 * Types a whole program from its entry functions. `getIR` traces a module function by name (cached by the caller).
 * `links` answers for functions of other modules (the project's module graph); by default the program is
 * `mod` alone. Throws KilnError on the first error, tied to its place (and, across modules, to the chain of
 * calls that reached it).
 */
export function typecheckProgram(
  mod: PyModule, entryIRs: IRFunction[], getIR: (name: string) => IRFunction, links: ProgramLinks = oneModuleLinks(mod, getIR),
  entryTypes: EntryTypes = {},
): TypedProgram {
  // The ranks of array parameters annotated without one (types/ranks.ts), then the program with them.
  const inferred = new Map<string, RankInference>();
  for (const e of entryIRs) inferred.set(e.qualifiedName, entryRanks(links, e));
  try {
    const ranks = new Map([...inferred].map(([k, v]) => [k, v.ranks]));
    const program = withContainerIterables(entryIRs, links, (irs, found) => typecheckWithRanks(mod, irs, links, ranks, entryTypes, found));
    for (const r of inferred.values()) program.warnings.unshift(...r.warnings);
    return program;
  } catch (e) {
    const d = e instanceof KilnError ? e.diagnostic : undefined;
    const entry = d?.function ? entryIRs.find((x) => links.displayName(x.qualifiedName) === d.function) : undefined;
    const hint = entry && inferred.get(entry.qualifiedName)?.hint;
    if (d && hint) d.hint = d.hint ? `${d.hint}; ${hint}` : hint;
    throw e;
  }
}

// ==== iterables found to hold a dict or set ============================================================

/** Iterables a typing found to hold a dict or set where the trace read them as sequences: their keys, by the traced IR. */
type ContainerIterables = Map<IRFunction, Set<string>>;

/**
 * Types the program with `typeWith` and, where an iterable the tracer read as a sequence (IRNode.iterable) holds a
 * dict or set (`for v in g[u]`, `sum(self.members)`, `sorted(helper())`, `[x for x in nbrs]`), traces the functions
 * that read one again with those iterables read as containers (ProgramLinks.traceAgain: the runtime's iterator,
 * so CPython's order, a dict's keys, and its RuntimeError when the container changes size during the loop) and types
 * the program again, until none is left. A program without one is typed once, as before. Where no function can be
 * traced again (links that do not trace, a loop that iterates a sequence in another call of its function), the last
 * typing, without `found`, refuses it with the op's message.
 */
function withContainerIterables<R>(entryIRs: IRFunction[], links: ProgramLinks, typeWith: (irs: IRFunction[], found?: ContainerIterables) => R): R {
  let irs = entryIRs;
  for (;;) {
    const found: ContainerIterables = new Map();
    let typed: { result: R } | undefined;
    let error: unknown;
    try {
      typed = { result: typeWith(irs, found) };
    } catch (e) {
      error = e;
    }
    if (!found.size) {
      if (typed) return typed.result;
      throw error;
    }
    let traced = false;
    for (const [ir, keys] of found) if (links.traceAgain?.(ir, { containers: keys })) traced = true;
    if (!traced) return typeWith(irs);
    irs = irs.map((ir) => links.getIR(ir.qualifiedName));
  }
}

/** The items a loop over a dict or set gives (a dict's keys), or undefined for any other type. */
function containerItem(t: KType | undefined): KType | undefined {
  return t?.kind === 'set' ? t.item : t?.kind === 'dict' ? t.key : undefined;
}

// ==== array ranks (types/ranks.ts) =====================================================================

const rankCache = new WeakMap<PyModule, Map<string, RankInference>>();

/** The inferred ranks of an entry's array parameters annotated without a rank (cached per module). */
function entryRanks(links: ProgramLinks, entry: IRFunction): RankInference {
  const mod = links.moduleOf(entry);
  let cache = rankCache.get(mod);
  if (!cache) rankCache.set(mod, (cache = new Map()));
  const hit = cache.get(entry.name);
  if (hit) return hit;
  // A call cycle between two open functions: no evidence from the inner one.
  cache.set(entry.name, { ranks: new Map(), warnings: [] });
  const open = entry.params.filter((p) => arrayRankOpen(p.annotation, mod.imports) && ndimOption(mod, entry.name, p.name) === undefined).map((p) => p.name);
  let result: RankInference = { ranks: new Map(), warnings: [] };
  if (open.length) {
    const trial = (e: IRFunction, ranks: Map<string, number>) => {
      const p = withContainerIterables([e], links, (irs, found) => typecheckWithRanks(mod, irs, links, new Map([[e.qualifiedName, ranks]]), {}, found));
      return { calls: (fn: string) => p.functions.filter((f) => f.ir.qualifiedName === fn).map((f) => f.paramTypes.map((t) => (t.kind === 'array' ? t.ndim : 0))) };
    };
    // The module's other compiled functions that call it (callees name a function of their own module bare).
    const callers: IRFunction[] = [];
    for (const f of mod.functions) {
      if (!f.decorated || f.name === entry.name) continue;
      try {
        const ir = links.getIR(`${entry.module}.${f.name}`);
        if (ir.callees.includes(entry.name)) callers.push(ir);
      } catch {
        /* a function that does not trace gives no evidence */
      }
    }
    result = inferEntryRanks(mod, entry, open, trial, callers, (caller) => entryRanks(links, caller).ranks);
  }
  cache.set(entry.name, result);
  return result;
}

/**
 * The types of the untyped fields of classes no function of the program's modules makes (nor a class derived from
 * them: no call of their names in any source, compiled or not, so a specialisation typed alone (pipeline.ts
 * typedSpecialisation) sees the field types the whole program does), from their annotations (ClassField.annotation,
 * initAnnotation). True when one was given a type.
 */
function annotatedFieldTypes(mods: PyModule[], classes: ClassTable): boolean {
  let given = false;
  const called = classesCalled(mods);
  if (!called) return false;
  for (const info of classes.classes.values()) {
    if (classes.subtree(info).some((c) => c.instantiated || called.has(c.name))) continue;
    const mod = mods.find((m) => moduleNameOf(m) === info.module);
    for (const f of info.fields) {
      const ann = f.annotation ?? f.initAnnotation;
      const t = !f.type && ann && mod ? classAnnotationType(ann, mod) ?? annotationType(ann, mod.imports) : undefined;
      if (t && !classes.learn(info, f, t)) given = true;
    }
  }
  return given;
}

const specialisationIRs = new WeakMap<IRFunction, Map<string, IRFunction>>();

/**
 * The IR a specialisation types, its own copy: the traced `ir` with the parameters the call leaves to their defaults
 * assigned on entry (types/calls.ts specialiseIR), its variables split where their definitions do not meet
 * (opt/splitVariables.ts). Both depend on the traced IR alone, which typing never changes (it types copies): made once
 * per traced function and defaults, and copied for each specialisation (a build types its functions many times over:
 * each program, each specialisation tried for other argument types, pipeline.ts).
 */
function specialisationIR(ir: IRFunction, defaulted: string[]): IRFunction {
  let byDefaults = specialisationIRs.get(ir);
  if (!byDefaults) specialisationIRs.set(ir, (byDefaults = new Map()));
  const key = defaulted.join(',');
  let split = byDefaults.get(key);
  if (!split) byDefaults.set(key, (split = splitVariables(specialiseIR(ir, defaulted))));
  return cloneIR(split);
}

/** typecheckProgram with the ranks of open array parameters given (entry's qualified name -> parameter -> rank). */
function typecheckWithRanks(
  mod: PyModule, entryIRs: IRFunction[], links: ProgramLinks, ranks: Map<string, Map<string, number>>, entryTypes: EntryTypes = {},
  found?: ContainerIterables,
): TypedProgram {
  const warnings: Diagnostic[] = [];
  // The program's classes (every module's): field types are learnt as the program is typed (types/classes.ts).
  const others = links.modules?.().filter((m) => moduleNameOf(m) !== moduleNameOf(mod)) ?? [];
  const classes = new ClassTable([mod, ...others]);
  setClassTable(classes);
  /** Problems found in the last round: a function reports all of them (the first round that fails reports). */
  const problems: Diagnostic[] = [];
  const failIn = (file: string, fnName: string, span: Span, construct: string, message: string, hint?: string): never => {
    throw new KilnError({ severity: 'error', file, line: span.line, col: span.col, endLine: span.endLine, endCol: span.endCol, construct, message, hint, function: fnName });
  };
  const fail = (fnName: string, span: Span, construct: string, message: string, hint?: string): never => {
    const ir = entryIRs.find((e) => links.displayName(e.qualifiedName) === fnName);
    return failIn(ir?.file ?? mod.file, fnName, span, construct, message, hint);
  };
  const record = (e: unknown) => {
    if (!(e instanceof KilnError)) throw e;
    problems.push(...e.diagnostics);
  };

  // Entry parameters: their annotations are the native ABI.
  const entryTypesOf = (entryIR: IRFunction) => entryIR.params.map((p) => {
    const mod = links.moduleOf(entryIR);
    const fail = (fnName: string, span: Span, construct: string, message: string, hint?: string): never =>
      failIn(entryIR.file, fnName, span, construct, message, hint);
    if (p.kind === 'vararg' || p.kind === 'kwarg') {
      fail(entryIR.name, p.span, 'parameters', `an exported function cannot take ${p.kind === 'vararg' ? '*' : '**'}${p.name}: its C signature is fixed`, 'give it named parameters (with defaults where you like), and keep *args/**kwargs on the helpers it calls');
    }
    if (!p.annotation) {
      fail(entryIR.name, p.span, 'untyped parameter', `parameter '${p.name}' has no type annotation`, 'annotate it: int, float, bool, or a NumPy scalar type such as np.float32');
    }
    const given = ndimOption(mod, entryIR.name, p.name);
    if (given && typeof given === 'object') return weightTreeParam(p, given.spec, mod, entryIR, fail);
    // A class of the module (`v: Vec`, `node: Node | None`): the instance, a handle in the C ABI (lower/c_abi_instances.ts).
    const t = annotationType(p.annotation, mod.imports, given ?? ranks.get(entryIR.qualifiedName)?.get(p.name))
      ?? (p.annotation ? classAnnotationType(p.annotation, mod) : undefined) ?? listUnionParameterType(p.annotation, mod.imports)
      ?? typeVarParameterType(p.annotation, mod.imports, mod.constants);
    if (!t || t.kind === 'none') {
      // Lists of dicts of arrays (picoGPT's blocks) cross when the signature lays them out.
      const weights = /^\s*(?:typing\.)?(?:list|List)\[.*NDArray/.test(p.annotation ?? '')
        ? `; a list of dicts of arrays crosses when ndim= gives its layout: @compile(ndim={"${p.name}": [{"w": 2, "b": 1}]})` : '';
      fail(entryIR.name, p.span, 'parameter type', `the annotation '${p.annotation}' of parameter '${p.name}' is outside the compiled subset`, `use int, float, bool, str, bytes, Literal["a", "b"], tuple[...] of numbers, tuple[int, ...] (of float, bool or str too), a NumPy scalar type (np.float32, np.int64, ...), npt.NDArray[np.float64] (1-D; @compile(ndim={"a": 2}) for more), list[float] (also run with a list of ints: its list[int] specialisation), list[int] | list[float], or a TypeVar constrained to (int, float) as T or list[T]${weights}`);
    }
    if (t && (t.kind === 'dict' || t.kind === 'set' || t.kind === 'deque') && !isFlatContainer(t) && !isArrayDict(t)) {
      fail(entryIR.name, p.span, 'parameter type', `'${p.annotation}': only ${t.kind}s of int, float, bool, str, tuple-of-number and frozenset-of-those ${t.kind === 'dict' ? 'keys and int, float, bool, str, list-of-number, list-of-str or dict (of such values) values, and dicts of NumPy arrays with str keys,' : 'items'} are passed into compiled code (${typeToString(t)} does not cross yet)`,
        t.kind === 'dict' ? 'pass the keys and the values as two lists and build the dict inside: {k: v for k, v in zip(keys, values)}' : `pass a list and build the ${t.kind} inside: ${t.kind}(xs)`);
    }
    if (t && isArrayDict(t) && arrayDictLeaf(t).ndim > 3) {
      fail(entryIR.name, p.span, 'parameter type', `'${p.name}' holds arrays of ${arrayDictLeaf(t).ndim} dimensions: arrays of more than 3 dimensions are not compiled yet`, 'pass them reshaped to 3 dimensions');
    }
    if (t?.kind === 'array' && t.ndim > 3) {
      fail(entryIR.name, p.span, 'parameter type', `'${p.name}' is an array of ${t.ndim} dimensions: arrays of more than 3 dimensions are not compiled yet`, 'pass it reshaped to 3 dimensions (a.reshape(n * m, k, l)) and index that');
    }
    const bad = t && entryParamProblem(t);
    if (bad) fail(entryIR.name, p.span, 'parameter type', `'${p.annotation}': ${bad}`, t!.kind === 'tuple' ? 'pass each item as its own parameter' : 'pass a 2-D NumPy array instead, or lists of numbers or of str');
    if (p.default) {
      // The exported packages fill in a default themselves, so it must be a constant of the parameter's own type.
      const at = p.default.span;
      if (p.defaultValue === undefined) {
        fail(entryIR.name, at, 'default value', `the default of '${p.name}' (${p.default.text}) must be a constant in an exported function: ${p.defaultProblem ?? 'it is not a literal'}`, 'write the value (a literal, arithmetic on literals and module constants, math.pi, float(\'inf\'), sys.maxsize)');
      }
      const mismatch = defaultMismatch(p.defaultValue!, t!);
      if (mismatch) fail(entryIR.name, at, 'default value', `the default of '${p.name}' is ${mismatch}`, t!.kind === 'scalar' && t!.name === 'float' ? 'write it as a float (2.0 for 2)' : 'give the parameter a default of its annotated type');
    }
    return t!;
  });

  const specs = new Map<string, Spec>();
  const order: Spec[] = [];
  /** Function values' names (as in their types) -> their canonical names. */
  const qualifiedOf = new Map<string, string>();
  /** How each specialisation was first reached: the caller and the call's place (for the chain of a diagnostic). */
  const reachedFrom = new Map<Spec, { caller: Spec; span: Span }>();
  /** `qualified`: the canonical name (`pkg.mod.f`, `pkg.mod.outer.<lambda:3:9>`); `defaulted`: parameters the call left to their defaults. */
  const specFor = (qualified: string, paramTypes: KType[], defaulted: string[] = [], from?: { caller: Spec; span: Span }): Spec => {
    const name = links.displayName(qualified);
    const key = specKey(name, paramTypes, defaulted);
    let s = specs.get(key);
    if (!s) {
      let traced: IRFunction;
      try {
        traced = entryIRs.find((e) => e.qualifiedName === qualified) ?? links.getIR(qualified);
      } catch (e) {
        throw from ? withChain(e, [...chainOf(from.caller, from.span), { function: name, file: '', line: 0, col: 0 }]) : e;
      }
      const ir = specialisationIR(traced, defaulted);
      s = {
        key, name, qualified, traced, ir, paramTypes,
        varTypes: new Map(), resolved: new Map(), calls: new Map(), bindings: new Map(), dispatch: new Map(),
        valueCalls: new Map(), firstAssign: new Map(), defaulted, emptyTypes: new Map(), listOrigins: new Map(), virtuals: new Map(), methodCalls: new Set(),
      };
      if (from) reachedFrom.set(s, from);
      ir.params.forEach((p, i) => s!.varTypes.set(p.name, paramTypes[i]));
      specs.set(key, s);
      order.push(s);
    }
    return s;
  };

  /**
   * The calls that led from an entry to `spec`: each function with the place where it makes the next call; the
   * last step (`spec`) at `at`, or at a place withChain fills in (where the problem is).
   */
  const chainOf = (spec: Spec, at?: Span): ChainStep[] => {
    const steps: ChainStep[] = [];
    let place = at ? { file: spec.ir.file, span: at } : undefined;
    for (let s: Spec | undefined = spec, guard = 0; s && guard < 100; guard++) {
      steps.unshift({ function: s.name, file: place?.file ?? '', line: place?.span.line ?? 0, col: place?.span.col ?? 0 });
      const from = reachedFrom.get(s);
      place = from && { file: from.caller.ir.file, span: from.span };
      s = from?.caller;
    }
    return steps;
  };

  /** `e` with the chain of calls that reached `spec` on each of its diagnostics (when the chain crosses modules). */
  const chained = (e: unknown, spec: Spec): unknown => {
    if (!(e instanceof KilnError) || !reachedFrom.has(spec)) return e;
    const chain = chainOf(spec);
    return new KilnError(e.diagnostics.map((d) => (withChain(new KilnError(d), chain) as KilnError).diagnostic));
  };

  let readLearning: ReadLearning = 0, unrefinedSeen = false;
  const check = (spec: Spec, final: boolean): boolean => {
    try {
      return checkSpec(spec, final);
    } catch (e) {
      throw reachedFrom.has(spec) ? withChain(e, chainOf(spec)) : e;
    }
  };

  const checkSpec = (spec: Spec, final: boolean): boolean => {
    const fail = (fnName: string, span: Span, construct: string, message: string, hint?: string): never =>
      failIn(spec.ir.file, fnName, span, construct, message, hint);
    let changed = false;
    const classVersion = classTable()?.version;
    const values = new Map<string, KType>();
    /** The kind of container each `c[i]` was taken from, and the in-place operators of `c[i] op= v` kept in place. */
    const itemOf = new Map<string, string>();
    const keptInplace = new Set<string>();
    const tupleConsts = new Map<string, ConstValue>();
    const returns: { type: KType; span: Span; ref?: string }[] = [];
    const fnName = spec.ir.qualname ?? spec.name;
    /** Values (and variables) whose problem was reported: what depends on them is not reported again. */
    const poisoned = new Set<string>();
    const poisonedArgs = (n: IRNode) => n.args.some((a) => isRef(a) && poisoned.has(a.ref));
    class Poisoned extends Error {}
    const deadReturns: { type: KType; span: Span; ref?: string }[] = [];
    // Reads of a variable narrower than its storage type (final round): typecheck places a kiln.narrow there.
    const narrowSites: NarrowSite[] = [];
    /** The `[...]` node that makes the list value `a` anew (`[x, y]`, `[x] * n`), whose item type may still be chosen. */
    const freshListMaker = (a: Arg): string | undefined => {
      const byName = new Map<string, IRNode>();
      walkNodes(spec.ir.nodes, (m) => { byName.set(m.name, m); });
      const makeList = (x: Arg | undefined) => (x && isRef(x) && byName.get(x.ref)?.target === 'kiln.make_list' ? x.ref : undefined);
      const m = isRef(a) ? byName.get(a.ref) : undefined;
      return makeList(a) ?? (m?.target === '_operator.mul' ? makeList(m.args[0]) ?? makeList(m.args[1]) : undefined);
    };
    const unknown = (n: IRNode, what: string) => {
      if (poisonedArgs(n)) throw new Poisoned();
      if (final) fail(fnName, n.span, 'type inference', `cannot infer the type of ${what}`, 'a value read before it is ever assigned, or a recursive function without a base case that returns a value');
    };
    const pyVar = (v: string) => spec.ir.renamed?.[v] ?? v;
    /** An argument's type as the op sees it here: a variable narrowed by the path (FlowEnv). */
    const readArg = (n: IRNode, i: number, env: FlowEnv): KType | undefined => {
      const a = n.args[i];
      if (!isRef(a)) return constType(a.const);
      const storage = spec.varTypes.get(a.ref);
      if (!storage) return values.get(a.ref);
      const here = env.typeOf(a.ref) ?? storage;
      // An empty list or container here (`xs = []` before the appends that give it a type) is the object the
      // variable holds: its type is the variable's (a helper called with it is specialised for list[int], not list[?]).
      if (typesUnknown(here) && storage.kind === here.kind && !sameType(here, storage) && !typesUnknown(storage)) return storage;
      if (final && !sameType(here, storage)) narrowSites.push({ node: n, arg: i, from: storage, to: here });
      return here;
    };
    const checkIntConst = (a: Arg, span: Span) => {
      if (!isRef(a) && a.const.kind === 'int') {
        const v = BigInt(a.const.value);
        if (v < INT64_MIN || v > INT64_MAX) fail(fnName, span, 'integer literal', `the integer ${a.const.value} does not fit in 64 bits`, 'Kiln compiles Python ints as 64-bit integers');
      }
    };
    /** A call of a compiled function: `qualified` is its canonical name; `first` the first argument (a function value's call has the value at 0). */
    const callCompiled = (n: IRNode, qualified: string, first: number, env: KType[], argTypes: KType[]): { spec: Spec; binding: CallBinding } => {
      let calleeIR: IRFunction;
      try {
        calleeIR = links.getIR(qualified);
      } catch (e) {
        // The callee does not trace (another module's function): its diagnostic names the calls that reached it.
        throw withChain(e, [...chainOf(spec, n.span), { function: links.displayName(qualified), file: '', line: 0, col: 0 }]);
      }
      const bound = bindCall(calleeIR, n, first, (a) => argTypes[n.args.indexOf(a)]);
      if (typeof bound === 'string') fail(fnName, n.span, 'call', `TypeError: ${bound}`, 'this call raises TypeError when it runs in Python; fix the arguments');
      if ('notCompiled' in (bound as object)) fail(fnName, n.span, 'call', (bound as NotCompiled).notCompiled, (bound as NotCompiled).hint);
      const b = bound as BoundCall;
      // A helper under @functools.cache / @lru_cache (the only decorators trace lets through) hashes its arguments.
      if (links.functionAt(qualified)?.fn.otherDecorators?.length) {
        const unhashable = b.types.map(unhashableName).find(Boolean);
        if (unhashable) fail(fnName, n.span, 'call', `TypeError: unhashable type: '${unhashable}'`, 'this call raises TypeError when it runs in Python (the cache hashes the arguments); pass a tuple');
      }
      // A NamedTuple's _replace (kiln_frontend.py namedtuple_methods) gives a field None as CPython does; where the
      // field's annotation does not name None (a collections.namedtuple's fields are \`object\`), that would change the
      // field's type for the whole program (every other use of the record would then see \`T | None\`): refused.
      const replaced = qualified.endsWith('._replace') ? classInfo(qualified.slice(0, -'._replace'.length)) : undefined;
      if (replaced?.namedtuple) {
        calleeIR.params.filter((p) => !b.defaulted.includes(p.name)).forEach((p, k) => {
          const t = b.types[k];
          const field = replaced.fields.find((f) => f.name === p.name);
          if (k > 0 && t && (t.kind === 'none' || (t.kind === 'union' && t.members.some((m) => m.kind === 'none'))) && field?.annotation && !annotationNamesNone(field.annotation, links.moduleOf(spec.ir).imports)) {
            fail(fnName, n.span, '_replace()', `_replace(${p.name}=...) gives ${replaced.name}.${p.name} a value that may be None, which would change the field's type (its annotation, ${field.annotation}, does not name None): not compiled`, `pass a value of the field's type, or declare the record as a typing.NamedTuple with the field annotated \`${p.name}: T | None\``);
          }
        });
      }
      const args: BoundArg[] = [...b.args, ...env.map((_, k): BoundArg => ({ env: k }))];
      const callee = specFor(qualified, [...b.types, ...env], b.defaulted, { caller: spec, span: n.span });
      return { spec: callee, binding: { callee: callee.key, args, ...(b.dictKwargs ? { dictKwargs: b.dictKwargs } : {}) } };
    };
        /** The variables each closure made in this function captures (its `kiln.make_closure` arguments), by function value name. */
    const closureArgs = new Map<string, Arg[]>();
    /**
     * `acc = []` (or `{}`, `set()`) given to a helper or captured by a closure that stores into it: the callee's
     * parameter learnt what the container holds, and so does the caller's variable (the next round specialises the
     * callee for the refined type, and the caller's own reads of it are typed right: `sum(acc)` is not the sum of
     * an empty list).
     */
    const learnFromCallee = (n: IRNode, callee: Spec, binding: CallBinding, envArgs?: Arg[]) => {
      binding.args.forEach((b, j) => {
        const a = 'arg' in b && b.item === undefined ? n.args[b.arg] : 'env' in b ? envArgs?.[b.env] : undefined;
        if (!a || !isRef(a)) return;
        const mine = spec.varTypes.get(a.ref);
        const p = callee.ir.params[j];
        const theirs = p && callee.varTypes.get(p.name);
        if (!mine || !theirs || !typesUnknown(mine) || typesUnknown(theirs) || theirs.kind !== mine.kind) return;
        const u = unifyTypes(mine, theirs);
        if (u && !sameType(u, mine)) {
          spec.varTypes.set(a.ref, u);
          changed = true;
        }
      });
    };
    /**
     * Function values: `kiln.make_closure` (a def or lambda with its environment) and `kiln.call` (a call of a
     * function value: a compiled function, specialised for these arguments; a library function such as abs; or
     * one of a funcset, through its table). Returns the node's type.
     */
    /**
     * An empty dict or set given to a function (`qualified`) whose parameter is annotated dict[...] / set[...] takes
     * those types (positional arguments before any *args, and keyword arguments, name their parameter); a `set()` or
     * `{}` made in the call (`place(0, set())`) is not typed yet and takes the annotation's. `skip` args come first
     * (a closure call's function value).
     */
    const annotatedEmptyArgs = (n: IRNode, argTypes: KType[], qualified: string, skip: number): void => {
      // A module-level function's parameters from its source (tracing it here would report its errors at this call,
      // not along the call chain); a nested def's from its trace, made with its outer function's (without a closure's
      // environment values). A lambda has no annotations.
      if (qualified.includes('<lambda')) return;
      const top = links.functionAt(qualified);
      const ir = top ? undefined : links.getIR(qualified);
      const imports = top ? top.mod.imports : links.moduleOf(ir!).imports;
      const params: { name: string; annotation: string | null }[] = top ? top.fn.params : ir!.params.filter((p) => p.kind !== 'env');
      const keywords = n.call?.keywords ?? [];
      const positional = n.args.length - keywords.length;
      const starredAt = Math.min(...(n.call?.starred ?? []), ...(n.call?.kwstarred ?? []), positional);
      argTypes.forEach((t, i) => {
        if (i < skip) return;
        const param = i < starredAt ? params[i - skip] : i >= positional ? params.find((p) => p.name === keywords[i - positional]) : undefined;
        const a = n.args[i];
        const annotated = !t || isUnrefined(t) ? annotationType(param?.annotation ?? null, imports) : undefined;
        const container = annotated && (annotated.kind === 'dict' || annotated.kind === 'set') && !holdsArray(annotated) ? annotated : undefined;
        if (container && !t && isRef(a) && !spec.varTypes.has(a.ref) && !sameType(spec.emptyTypes.get(a.ref) ?? T.none, container)) {
          spec.emptyTypes.set(a.ref, container);
          changed = true;
        }
        const u = container && t ? unifyTypes(container, t) : undefined;
        if (!u) return;
        argTypes[i] = u;
        if (isRef(a) && spec.varTypes.has(a.ref) && !sameType(spec.varTypes.get(a.ref)!, u)) {
          spec.varTypes.set(a.ref, u);
          changed = true;
        } else if (isRef(a) && !spec.varTypes.has(a.ref) && !sameType(spec.emptyTypes.get(a.ref) ?? T.none, u)) {
          spec.emptyTypes.set(a.ref, u);
          changed = true;
        }
      });
    };
    const functionNode = (n: IRNode, argTypes: KType[]): KType | undefined => {
      if (n.target === 'kiln.make_closure') {
        const c = n.closure!;
        const env = argTypes.map((t, i) => (c.modes[i] === 'cell' && t.kind !== 'cell' ? { kind: 'cell', item: t } as KType : t));
        c.modes.forEach((m, i) => {
          if (m !== 'cell' || !ownsReferences(argTypes[i])) return;
          const a = n.args[i];
          fail(fnName, n.span, 'closure', `'${isRef(a) ? a.ref : '?'}' holds ${typeToString(argTypes[i])} and is shared by reference with ${c.fn} (nonlocal, or assigned after the def): a shared ${typeToString(argTypes[i])} variable is not compiled yet`, 'return the new value from the inner function and assign it where the variable is defined');
        });
        // The type names the function as the program does (bare in the primary module); calls find it by its canonical name.
        const qualified = `${c.module ?? spec.ir.module}.${c.fn}`;
        const fn = links.displayName(qualified);
        qualifiedOf.set(fn, qualified);
        closureArgs.set(fn, n.args);
        return { kind: 'func', fn, env };
      }
      const callee = argTypes[0];
      if (callee.kind === 'func') {
        annotatedEmptyArgs(n, argTypes, qualifiedOf.get(callee.fn)!, 1);
        const { spec: target, binding } = callCompiled(n, qualifiedOf.get(callee.fn)!, 1, callee.env, argTypes);
        spec.calls.set(n.name, target.key);
        spec.bindings.set(n.name, binding);
        learnFromCallee(n, target, binding, closureArgs.get(callee.fn));
        if (!target.returnType) {
          if (target.poisoned) throw new Poisoned();
          unknown(n, `the result of ${links.getIR(qualifiedOf.get(callee.fn)!).qualname ?? callee.fn}()`);
        }
        return target.returnType;
      }
      if (callee.kind === 'builtin' || (callee.kind === 'dtype' && callee.call)) {
        const target = callee.kind === 'builtin' ? callee.target : callee.call!;
        if (n.call) fail(fnName, n.span, 'call', `keyword or starred arguments to ${target.replace(/^builtins\./, '')} called as a value are outside the compiled subset`, 'pass the arguments by position');
        const op = lookupOp(target)!;
        const r = op.resolve(argTypes.slice(1), n.args.slice(1).map((a) => (isRef(a) ? undefined : a.const)));
        if (typeof r === 'string') {
          const [kind, msg] = /^(\w+Error): (.*)$/.exec(r)?.slice(1) ?? ['TypeError', r];
          fail(fnName, n.span, `${target}(${argTypes.slice(1).map(typeToString).join(', ')})`, `${kind}: ${msg}`);
        }
        spec.valueCalls.set(n.name, r as Resolved);
        return (r as Resolved).result;
      }
      if (callee.kind === 'funcset') {
        const members = callee.members.map((m) => {
          const f = m as KType & { kind: 'func' };
          const { spec: target, binding } = callCompiled(n, qualifiedOf.get(f.fn)!, 1, f.env, argTypes);
          if (binding.dictKwargs) fail(fnName, n.span, 'call', '** of a dict in a call through a table of functions (a value that may be one of several functions) is not compiled', 'pass the values by name: f(x, g=d["g"])');
          return { member: m, binding, result: target.returnType, poisoned: target.poisoned };
        });
        if (members.some((m) => !m.result)) {
          if (members.some((m) => m.poisoned)) throw new Poisoned();
          unknown(n, 'the result of a call through a table of functions');
          return undefined;
        }
        let result = members[0].result!;
        for (const m of members.slice(1)) {
          if (sameType(result, m.result!)) continue;
          const u = unifyTypes(result, m.result!);
          if (!u) fail(fnName, n.span, 'call', `the functions this value may hold return different types (${typeToString(result)} and ${typeToString(m.result!)}); Python's result type would depend on which one runs`, 'make them return the same type (float(...), int(...))');
          result = u!;
        }
        spec.dispatch.set(n.name, { argTypes: argTypes.slice(1), shape: n.call, members: members.map((m) => ({ member: m.member, binding: m.binding })) });
        return result;
      }
      fail(fnName, n.span, 'call', `TypeError: '${callee.kind === 'scalar' ? pyTypeName(callee) : typeToString(callee)}' object is not callable`);
    };

    /** What the truth of argument i says about variables: its own cond, or (a union variable) that None is false. */
    const condOf = (n: IRNode, i: number, env: FlowEnv): Cond | undefined => {
      const a = n.args[i];
      if (!a || !isRef(a)) return undefined;
      const c = env.conds.get(a.ref);
      if (c) return c;
      const storage = spec.varTypes.get(a.ref);
      if (!storage || !isUnion(storage)) return undefined;
      const here = env.typeOf(a.ref)!;
      const notNone = withoutMembers(here, T.none);
      return notNone && !sameType(notNone, here) ? { t: new Map([[a.ref, notNone]]), f: new Map() } : undefined;
    };
    const nonNegativeArg = (a: Arg | undefined, env: FlowEnv): boolean =>
      !!a && (isRef(a) ? env.nonNegative.has(a.ref) : (a.const.kind === 'int' && BigInt(a.const.value) >= 0n) || a.const.kind === 'bool');
    const numpyArg = (a: Arg | undefined, env: FlowEnv): boolean => !!a && isRef(a) && env.numpy.has(a.ref);
    /**
     * Whether a result is surely a NumPy scalar (ArgFacts.numpy). A bool that NumPy gives as np.bool_: an item of an
     * array, a comparison of NumPy scalars, np.any(), ... A NumPy-typed number that NumPy made: an item or a reduction
     * of an array, a NumPy function's result, arithmetic with such a number (np.float64 + a Python float is NumPy's);
     * not min()/max() (either argument), an item of a list or tuple (even at an np.int64 index), nor a compiled
     * function's result (each may be a Python number).
     */
    const producesNumpy = (n: IRNode, op: OpEntry, argTypes: KType[], env: FlowEnv, result: KType): boolean => {
      if (result.kind === 'scalar' && result.name === 'bool') {
        return (n.target === '_operator.getitem' && argTypes[0]?.kind === 'array')
          || (!!op.facts.compare && argTypes.some((t) => isNumpyNumber(t)))
          || (NP_BOOL_KEEPING.has(n.target) && n.args.some((a) => numpyArg(a, env)))
          || (n.target.startsWith('numpy.') && !PY_BOOL_RESULTS.has(n.target))
          || (n.target.startsWith('method.') && argTypes[0]?.kind === 'array');
      }
      if (!isNumpyNumber(result)) return false;
      return n.target.startsWith('numpy.') || (argTypes[0]?.kind === 'array' && /^(_operator|method|builtins)\./.test(n.target))
        || (((n.target.startsWith('_operator.') && n.target !== '_operator.getitem') || NUMPY_KEEPING.has(n.target)) && n.args.some((a) => numpyArg(a, env)));
    };
    /** A test's cond (x is None, isinstance, not, bool), whether an int result is >= 0 and whether it is surely a NumPy scalar. */
    const valueFacts = (
      n: IRNode, op: OpEntry, argTypes: KType[], consts: (ConstValue | undefined)[], env: FlowEnv, result: KType,
    ): [Cond | undefined, boolean, boolean] => {
      let cond: Cond | undefined;
      if (op.facts.narrows) {
        const tm = testedMembers(n.target, argTypes, consts);
        const a = tm && n.args[tm.arg];
        if (tm && a && isRef(a) && spec.varTypes.has(a.ref)) {
          const fact = (t?: KType): Facts | 'never' => (t ? new Map([[a.ref, t]]) : 'never');
          cond = { t: fact(tm.t), f: fact(tm.f) };
        }
      } else if (n.target === '_operator.not_') cond = negate(condOf(n, 0, env));
      else if (n.target === 'builtins.bool') cond = condOf(n, 0, env);
      const nn = (i: number) => nonNegativeArg(n.args[i], env);
      const positiveConst = (i: number) => { const a = n.args[i]; return !!a && !isRef(a) && a.const.kind === 'int' && BigInt(a.const.value) > 0n; };
      const nonNegative = result.kind === 'scalar' && isIntLike(result) && (
        n.target === 'builtins.len' || n.target === 'builtins.abs'
        || (n.target === '_operator.and_' && (nn(0) || nn(1)))
        || (n.target === '_operator.mod' && positiveConst(1))
        || (['_operator.add', '_operator.mul', '_operator.floordiv', 'builtins.min'].includes(n.target) && n.args.every((_, i) => nn(i)))
        || (n.target === 'builtins.max' && n.args.some((_, i) => nn(i)))
        || (n.target === '_operator.rshift' && nn(0)));
      return [cond, nonNegative, producesNumpy(n, op, argTypes, env, result)];
    };

    /**
     * An operation on instances made a call of the class's method (`a + b` -> `Vec.__add__(a, b)`, `f(x)` on an
     * instance -> `__call__`); where it needs a node of its own first (`a != b` as `not a.__eq__(b)`, an f-string's
     * `__str__`), that node is put before `n` in `nodes` at `k`: returns true (the caller types it, then `n` again).
     */
    /** Ops where an IntEnum member computes as its value (types/ops/enums.ts compares them); `m in {2, 3}` too (no key is stored). */
    const INT_ARITHMETIC = new Set(['add', 'sub', 'mul', 'truediv', 'floordiv', 'mod', 'pow', 'neg', 'pos', 'and_', 'or_', 'xor', 'lshift', 'rshift', 'invert']
      .map((o) => `_operator.${o}`).concat(['builtins.abs', 'builtins.float', 'builtins.divmod', 'builtins.pow', 'builtins.round', '_operator.contains']));
    /** Values read out of a field (`self.items`): an empty list or dict there learns its types from what goes in. */
    const fieldOrigins = new Map<string, { info: ClassInfo; attr: string }>();
    const instanceProtocols = (n: IRNode, argTypes: KType[], nodes: IRNode[], k: number): boolean => {
      // `m in s` where s holds members (`set[Prio]`, `dict[Prio, V]`) looks the member up; in ints, its value.
      const holdsMembers = n.target === '_operator.contains' && [argTypes[0]].some((c) => (c.kind === 'set' || c.kind === 'deque' ? c.item : c.kind === 'dict' ? c.key : c.kind === 'list' ? c.item : undefined)?.kind === 'enum');
      const intEnum = INT_ARITHMETIC.has(n.target) && !holdsMembers && argTypes.some((t) => t.kind === 'enum' && t.int);
      const texts = n.target === 'kiln.fstring' || n.target === 'builtins.repr' || n.target === 'builtins.str';
      const equality = (n.target === '_operator.eq' || n.target === '_operator.ne') && argTypes.length === 2 && argTypes.some((t) => optionalInstance(t));
      const call = (target: string, args: IRNode['args'], suffix: string): IRNode => ({ op: 'call_function', name: `${n.name}_${suffix}`, target, args, span: n.span });
      if (n.target.startsWith('method.') && argTypes[0]?.kind === 'union' && isNicheOptional(argTypes[0]) && argTypes[0].members.some((t) => t.kind === 'instance')) {
        // `self.left.walk()` after `if self.left is not None:` (a test narrows variables, not fields): the instance, or
        // CPython's AttributeError where it is None.
        const v = call('kiln.not_none', [n.args[0], { const: { kind: 'str', value: n.target.slice('method.'.length) } }], 'receiver');
        nodes.splice(k, 0, v);
        n.args[0] = { ref: v.name };
        return true;
      }
      if (!intEnum && !argTypes.some((t) => t.kind === 'instance' || (t.kind === 'enum' && n.target === 'kiln.fstring') || (texts && optionalInstance(t))) && !equality) return false;
      if (equality && optionalEquality(n, argTypes, nodes, k)) return true;
      if (intEnum) {
        // An IntEnum member in arithmetic is its value (an int), as CPython's int subclass computes.
        n.args = n.args.map((a, i) => {
          if (argTypes[i]?.kind !== 'enum') return a;
          const v = call('kiln.getattr', [a, { const: { kind: 'str', value: 'value' } }], `value${i}`);
          nodes.splice(k, 0, v);
          return { ref: v.name };
        });
        return true;
      }
      if ((n.target === 'kiln.getattr' || n.target === 'kiln.setattr') && argTypes[0].kind === 'instance') {
        // A @property is a call of its getter (setter); a frozen dataclass's fields are assigned by __init__ only.
        const info = classes.get(argTypes[0].cls)!;
        const attr = (n.args[1] as { const: { value: string } }).const.value;
        if (info.namedtuple && attr === '_fields' && n.target === 'kiln.getattr') {
          // `p._fields` of a NamedTuple: the class's tuple of field names (a constant).
          n.target = 'kiln.make_tuple';
          n.args = info.namedtuple.map((f) => ({ const: { kind: 'str', value: f } }));
          argTypes.length = 0;
          argTypes.push(...info.namedtuple.map(() => T.str));
          return false;
        }
        const p = info.properties.get(attr);
        if (p && n.target === 'kiln.getattr') {
          n.target = p.get;
          n.args = [n.args[0]];
          argTypes.length = 1;
        } else if (p) {
          if (!p.set) fail(fnName, n.span, 'property', `AttributeError: property '${attr}' of '${info.name}' object has no setter`);
          n.target = p.set!;
          n.args = [n.args[0], n.args[2]];
          argTypes.splice(1, 1);
        } else if (n.target === 'kiln.setattr' && info.frozen && info.namedtuple && spec.qualified !== `${info.qualified}.__init__`) {
          fail(fnName, n.span, 'NamedTuple field', "AttributeError: can't set attribute", `make a new one: ${info.name}(...)`);
        } else if (n.target === 'kiln.setattr' && info.frozen && spec.qualified !== `${info.qualified}.__init__`) {
          fail(fnName, n.span, 'frozen dataclass', `dataclasses.FrozenInstanceError: cannot assign to field '${attr}'`, 'make a new instance instead (dataclasses.replace is not compiled yet: call the class)');
        } else if (n.target === 'kiln.getattr') fieldOrigins.set(n.name, { info, attr });
        return false;
      }
      if (n.target === 'kiln.call' && argTypes[0].kind === 'instance') {
        const m = classes.get(argTypes[0].cls)?.methods.get('__call__');
        if (!m) fail(fnName, n.span, 'call', `TypeError: '${typeToString(argTypes[0])}' object is not callable`);
        n.target = m!;
        return false;
      }
      // The text of a `C | None` (`repr(node.next)`): 'None' or C's method (optionalText).
      const textMethod = (info: ClassInfo, repr: boolean) => (repr ? info.methods.get('__repr__') : info.methods.get('__str__') ?? info.methods.get('__repr__'));
      const optional = n.target !== 'kiln.fstring' && argTypes.length === 1 ? optionalInstance(argTypes[0]) : undefined;
      const optionalMethod = optional && textMethod(optional, n.target === 'builtins.repr');
      if (optionalMethod) {
        const { nodes: before, text } = optionalText(n, n.args[0], optionalMethod, 'text');
        n.target = 'builtins.str';
        n.args = [text];
        nodes.splice(k, 0, ...before);
        return true;
      }
      if (n.target === 'kiln.fstring') {
        // A field holding an instance: its __str__ (or __repr__ for !r), then the text as a str field.
        const pieces = JSON.parse((n.args[0] as { const: { value: string } }).const.value) as { v?: number; c?: number; s?: unknown }[];
        const before: IRNode[] = [];
        for (const p of pieces) {
          const e = p.v === undefined ? undefined : argTypes[p.v];
          const held = optionalInstance(e);
          const heldMethod = held && (p.c === 114 || p.c === 115 || (p.c === -1 && p.s === undefined)) ? textMethod(held, p.c === 114) : undefined;
          if (p.v !== undefined && heldMethod) {
            const { nodes: made, text } = optionalText(n, n.args[p.v], heldMethod, `text${p.v}`);
            before.push(...made);
            n.args[p.v] = text;
            p.c = -1;
            continue;
          }
          if (p.v !== undefined && e?.kind === 'enum') {
            // An enum member: its str() (repr() for !r); an IntEnum member without a conversion formats as its value (3.11).
            const plain = p.c !== 114 && p.c !== 115 && p.c !== 97;
            const c = plain && e.int ? call('kiln.getattr', [n.args[p.v], { const: { kind: 'str', value: 'value' } }], `value${p.v}`)
              : call(`builtins.${p.c === 114 ? 'repr' : p.c === 97 ? 'ascii' : 'str'}`, [n.args[p.v]], `text${p.v}`);
            before.push(c);
            n.args[p.v] = { ref: c.name };
            p.c = -1;
            continue;
          }
          if (p.v === undefined || argTypes[p.v]?.kind !== 'instance') continue;
          const info = classes.get((argTypes[p.v] as KType & { kind: 'instance' }).cls)!;
          const m = textMethod(info, p.c === 114);
          if (!m) fail(fnName, n.span, 'f-string', `the text of a ${info.name} without __str__ or __repr__ names its address in CPython: not compiled`, 'define __repr__ (or __str__)');
          const c = call(m!, [n.args[p.v]], `text${p.v}`);
          before.push(c);
          n.args[p.v] = { ref: c.name };
          if (p.c === 114 || p.c === 115) p.c = -1;
        }
        if (!before.length) return false;
        n.args[0] = { const: { kind: 'str', value: JSON.stringify(pieces) } };
        nodes.splice(k, 0, ...before);
        return true;
      }
      const nt = n.target === '_operator.getitem' && argTypes[0].kind === 'instance' ? classes.get(argTypes[0].cls)?.namedtuple : undefined;
      const at = nt && !isRef(n.args[1]) && n.args[1].const.kind === 'int' ? Number(n.args[1].const.value) : undefined;
      if (nt && at !== undefined && at >= -nt.length && at < nt.length) {
        // `p[0]` of a NamedTuple: its field, with the field's own type (the items of a NamedTuple may differ in type).
        n.target = 'kiln.getattr';
        n.args = [n.args[0], { const: { kind: 'str', value: nt[at < 0 ? at + nt.length : at] } }];
        return false;
      }
      if ((n.target === '_operator.getitem' && n.args.length > 2) || (n.target === '_operator.setitem' && n.args.length > 3)) {
        // `m[i, j]` on an instance: __getitem__ takes the tuple (i, j).
        const last = n.target === '_operator.setitem' ? n.args.length - 1 : n.args.length;
        const t = call('kiln.make_tuple', n.args.slice(1, last), 'index');
        n.args = [n.args[0], { ref: t.name }, ...n.args.slice(last)];
        nodes.splice(k, 0, t);
        return true;
      }
      if (n.target === 'kiln.iter_item' && argTypes[0].kind === 'instance' && classes.get(argTypes[0].cls)?.methods.has('__iter__')) {
        // A loop the tracer made a loop over a sequence (it could not tell the class: ir/protocols.ts).
        const c = classes.get(argTypes[0].cls)!.name;
        fail(fnName, n.span, 'loop over an instance', `not compiled yet: a loop over a ${c} where the source does not say its class`, `loop over ${c}(...) itself, self in its methods, a parameter annotated ${c} or a local assigned only ${c}(...)`);
      }
      if ((n.target === '_operator.not_' || n.target === 'builtins.bool') && argTypes.length === 1 && argTypes[0].kind === 'instance') {
        // `not obj`, `bool(obj)` through __len__ when the class has no __bool__: the truth of the length.
        const info = classes.get(argTypes[0].cls)!;
        const len = info.methods.get('__len__');
        if (!info.methods.has('__bool__') && len) {
          const { nodes: before, value } = lenTruth(n, n.args[0], len);
          n.args = [value];
          nodes.splice(k, 0, ...before);
          return true;
        }
      }
      const d = dunderCall(classes, n.target, argTypes);
      if (d === undefined) return false;
      if (typeof d === 'string') fail(fnName, n.span, n.target.replace(/^(_operator|builtins)\./, ''), d.startsWith('not compiled') ? d : `TypeError: ${d}`);
      const r = d as Exclude<typeof d, string | undefined>;
      if (r.swap) {
        n.args = [n.args[1], n.args[0]];
        argTypes.reverse();
      }
      if (r.hash) {
        // hash(obj): CPython takes __hash__'s int as it is, except -1 (the C API's error value), which becomes -2.
        const h = call(r.method, n.args, 'hash');
        n.target = 'kiln.hash_result';
        n.args = [{ ref: h.name }];
        nodes.splice(k, 0, h);
        return true;
      }
      if (!r.negate) {
        n.target = r.method;
        return false;
      }
      const eq = call(r.method, n.args, 'eq');
      n.target = '_operator.not_';
      n.args = [{ ref: eq.name }];
      nodes.splice(k, 0, eq);
      return true;
    };

    /**
     * A dict, set or deque holding instances of a class (keys, items or values): the kind lower/dicts.ts declares for
     * the class calls its `__hash__`, `__eq__` and `__repr__` (when it has them), so their specialisations for the
     * class are compiled, reached from this function as calls named keyMethodCall(role, class).
     */
    const keyMethods = (n: IRNode, types: KType[]) => {
      const held = new Set<string>();
      for (const t of types) containerInstances(t, held);
      for (const cls of held) {
        const info = classes.get(cls);
        if (!info) continue;
        const rule = hashRule(info);
        const roles: [string, string | undefined][] = [['hash', typeof rule === 'object' ? rule.method : undefined], ['eq', info.methods.get('__eq__')], ['repr', info.methods.get('__repr__')]];
        for (const [role, method] of roles) {
          const dunder = `__${role}__`;
          // The kind calls the static class's method: a derived class made by the program must not change it.
          const other = classes.subtree(info).find((c) => c.instantiated && (role === 'hash' ? JSON.stringify(hashRule(c)) !== JSON.stringify(rule) : c.methods.get(dunder) !== method));
          if (other) fail(fnName, n.span, `${info.name} in a dict or set`, `not compiled yet: a dict or set of ${info.name} holding ${other.name} instances, whose ${dunder} differs from ${info.name}'s`, `give ${other.name} the same ${dunder}, or keep the two classes in separate containers`);
          if (!method) continue;
          const inst: KType = { kind: 'instance', cls };
          const types = role === 'eq' ? [inst, inst] : [inst];
          const call: IRNode = { op: 'call_function', name: `${n.name}_${role}`, target: method, args: types.map((_, i) => ({ ref: `${n.name}_${role}${i}` })), span: n.span };
          const { spec: callee } = callCompiled(call, method, 0, [], types);
          spec.calls.set(keyMethodCall(role, cls), callee.key);
          const r = callee.returnType;
          if (final && r && role === 'hash' && !(r.kind === 'scalar' && (r.name === 'int' || r.name === 'bool'))) fail(fnName, n.span, `${info.name}.__hash__`, 'TypeError: __hash__ method should return an integer');
          if (final && r && role === 'eq' && !(r.kind === 'scalar' && (r.name === 'int' || r.name === 'bool'))) fail(fnName, n.span, `${info.name}.__eq__`, `not compiled yet: an __eq__ that returns ${typeToString(r)} for ${info.name} keys (return a bool)`);
          if (final && r && role === 'repr' && r.kind !== 'str') fail(fnName, n.span, `${info.name}.__repr__`, `TypeError: __repr__ returned non-string (type ${typeToString(r)})`);
        }
      }
    };

    /**
     * `obj.m(...)` where obj's static class has derived classes that override m: one specialisation per
     * implementation, called by the instance's class at run time (lowered as tests of its kr_type). Their results
     * must agree. Returns the result type (undefined: not a virtual call, or a result not known yet).
     */
    const virtualCall = (n: IRNode, argTypes: KType[]): KType | undefined => {
      const self = argTypes[0];
      if (self?.kind !== 'instance' || !spec.methodCalls.has(n.name)) return undefined;
      const info = classes.get(self.cls);
      const m = n.target.slice(n.target.lastIndexOf('.') + 1);
      if (!info || info.methods.get(m) !== n.target || info.unbound.has(m)) return undefined;
      const byImpl = new Map<string, string[]>();
      // Only classes the program makes instances of (an abstract base never made has nothing to run).
      const made = classes.subtree(info).filter((c) => c.instantiated);
      for (const c of made.length ? made : [info]) {
        const impl = c.methods.get(m);
        if (impl) byImpl.set(impl, [...(byImpl.get(impl) ?? []), c.qualified]);
      }
      // One implementation: a direct call when it is the static one; else a dispatch of one case (the static
      // class is never made: its method, an abstract one that raises NotImplementedError, never runs here).
      if (byImpl.size < 2 && byImpl.has(n.target)) return undefined;
      const cases: VirtualCase[] = [];
      let result: KType | undefined;
      for (const [impl, cls] of byImpl) {
        const owner = impl.slice(0, impl.lastIndexOf('.'));
        const types = [{ kind: 'instance', cls: owner } as KType, ...argTypes.slice(1)];
        const { spec: callee, binding } = callCompiled(n, impl, 0, [], types);
        if (binding.dictKwargs) fail(fnName, n.span, `.${m}()`, `** of a dict into a method that subclasses override is not compiled`, 'pass the values by name: obj.m(x, g=d["g"])');
        spec.calls.set(`${n.name}#${owner}`, callee.key); // reached (compiled), and a call for the recursion analysis
        cases.push({ classes: cls, self: owner, callee: callee.key, binding });
        if (!callee.returnType) return undefined;
        if (result && !sameType(result, callee.returnType)) {
          let u = unifyTypes(result, callee.returnType);
          // `Task` from one implementation and `Task | None` from another, a `Green` and an `Amber`: their join (the
          // nearest common base, None as NULL), a pointer each result converts to (lower/c.ts virtualCall casts).
          const j = u ? undefined : joinTypes(result, callee.returnType);
          const pointer = (t: KType) => !!classes.instanceOf(t) && (t.kind === 'instance' || isNicheOptional(t));
          if (j && typeof j !== 'string' && pointer(j) && pointer(result) && pointer(callee.returnType)) u = j;
          if (!u) fail(fnName, n.span, `.${m}()`, `the implementations of ${m} in ${info.name} and its subclasses return different types (${typeToString(result)} and ${typeToString(callee.returnType)})`, 'make them return the same type');
          result = u;
        } else result = callee.returnType;
      }
      // The implementation the static class itself runs is tried last (the most common classes first is not known).
      spec.virtuals.set(n.name, cases);
      return result;
    };

    /**
     * The truth of an instance through `__len__` (its class has no `__bool__`): `len(obj)`, CPython's ValueError when
     * it is negative, and the length as the truth. The nodes to put before the test, and the value to test.
     */
    /**
     * The text of `x`, a `C | None` (a field `next: Optional['Node']`, a list's head): `'None'`, else `method`
     * (C's `__repr__` or `__str__`) of x narrowed to C. The nodes that compute it (a branch on `x is None` over a
     * local holding x, so the else branch reads it narrowed), and the str local they leave it in.
     */
    const optionalText = (n: IRNode, x: Arg, method: string, suffix: string): { nodes: IRNode[]; text: Arg } => {
      const obj = `${n.name}_${suffix}_obj`, text = `${n.name}_${suffix}_text`;
      for (const v of [obj, text]) if (!spec.ir.locals.includes(v)) spec.ir.locals.push(v);
      const node = (op: IRNode['op'], name: string, target: string, args: Arg[], regions?: IRNode['regions']): IRNode => ({ op, name, target, args, span: n.span, ...(regions ? { regions } : {}) });
      const isNone = node('call_function', `${n.name}_${suffix}_none`, '_operator.is_', [{ ref: obj }, { const: { kind: 'none' } }]);
      const call = node('call_function', `${n.name}_${suffix}_call`, method, [{ ref: obj }]);
      return {
        nodes: [
          node('assign', obj, obj, [x]), isNone,
          node('if', `${n.name}_${suffix}_if`, 'if', [{ ref: isNone.name }], [
            { name: 'then', nodes: [node('assign', text, text, [{ const: { kind: 'str', value: 'None' } }])] },
            { name: 'else', nodes: [call, node('assign', text, text, [{ ref: call.name }])] },
          ]),
        ],
        text: { ref: text },
      };
    };
    /**
     * `a == b` / `a != b` where a side is a `C | None` (a NamedTuple's generated `__eq__` comparing `next` fields):
     * None equals None only; an instance and None are unequal, as the `__eq__` @dataclass and NamedTuple generate
     * says (CPython calls it with None: NotImplemented, then identity); two instances call C's method. A class whose
     * `__eq__` (or `__ne__`) is the user's would be called with None: refused. Returns whether nodes were put at k.
     */
    const optionalEquality = (n: IRNode, argTypes: KType[], nodes: IRNode[], k: number): boolean => {
      const info = argTypes.map((t) => (t.kind === 'instance' ? classes.get(t.cls) : optionalInstance(t)));
      const noneSide = argTypes.findIndex((t) => t.kind === 'none');
      const other = info[1 - noneSide];
      if (noneSide >= 0 && other && !['__eq__', '__ne__'].some((m) => other.methods.has(m) && !other.generated.has(m))) {
        // `x == None`: None only (the generated __eq__ of an instance and None is NotImplemented, then identity).
        n.target = n.target === '_operator.eq' ? '_operator.is_' : '_operator.is_not';
        return false;
      }
      const inst = (i: number): KType => ({ kind: 'instance', cls: info[i]!.qualified });
      if (!info[0] || !info[1] || info[0] !== info[1] || !info[0].methods.has('__eq__')) return false;
      const cls = info[0];
      const d = dunderCall(classes, n.target, [inst(0), inst(1)]);
      const user = ['__eq__', '__ne__'].filter((m) => cls.methods.has(m) && !cls.generated.has(m));
      if (typeof d !== 'object' || d.swap || user.length) {
        fail(fnName, n.span, SYMBOL_OF[n.target], `not compiled yet: ${typeToString(argTypes[0])} ${SYMBOL_OF[n.target]} ${typeToString(argTypes[1])} would call ${cls.name}.${user[0] ?? '__eq__'} with None`, 'test `is None` first');
      }
      const ne = n.target === '_operator.ne';
      const name = (s: string) => `${n.name}_${s}`;
      const node = (op: IRNode['op'], nm: string, target: string, args: Arg[], regions?: IRNode['regions']): IRNode => ({ op, name: nm, target, args, span: n.span, ...(regions ? { regions } : {}) });
      const [a, b, res] = [name('a'), name('b'), name('equal')];
      for (const v of [a, b, res]) if (!spec.ir.locals.includes(v)) spec.ir.locals.push(v);
      const an = node('call_function', name('a_none'), '_operator.is_', [{ ref: a }, { const: { kind: 'none' } }]);
      const bn = node('call_function', name('b_none'), ne ? '_operator.is_not' : '_operator.is_', [{ ref: b }, { const: { kind: 'none' } }]);
      const bnElse = node('call_function', name('b_none2'), '_operator.is_', [{ ref: b }, { const: { kind: 'none' } }]);
      const call = node('call_function', name('call'), (d as DunderCall).method, [{ ref: a }, { ref: b }]);
      const negated = node('call_function', name('not'), '_operator.not_', [{ ref: call.name }]);
      const both = (d as DunderCall).negate ? [call, negated, node('assign', res, res, [{ ref: negated.name }])] : [call, node('assign', res, res, [{ ref: call.name }])];
      nodes.splice(k, 0,
        node('assign', a, a, [n.args[0]]), node('assign', b, b, [n.args[1]]), an,
        node('if', name('if'), 'if', [{ ref: an.name }], [
          { name: 'then', nodes: [bn, node('assign', res, res, [{ ref: bn.name }])] },
          { name: 'else', nodes: [bnElse, node('if', name('if2'), 'if', [{ ref: bnElse.name }], [
            { name: 'then', nodes: [node('assign', res, res, [{ const: { kind: 'bool', value: ne } }])] },
            { name: 'else', nodes: both },
          ])] },
        ]));
      n.target = 'builtins.bool';
      n.args = [{ ref: res }];
      return true;
    };
    const SYMBOL_OF: Record<string, string> = { '_operator.eq': '==', '_operator.ne': '!=' };
    /** The class whose instance an optional value holds (`Node | None`: Node's), else undefined. */
    const optionalInstance = (t: KType | undefined): ClassInfo | undefined => {
      const inst = t?.kind === 'union' && isNicheOptional(t) ? t.members.find((m) => m.kind === 'instance') : undefined;
      return inst?.kind === 'instance' ? classes.get(inst.cls) : undefined;
    };

    const lenTruth = (n: IRNode, x: Arg, len: string): { nodes: IRNode[]; value: Arg } => {
      const l: IRNode = { op: 'call_function', name: `${n.name}_len`, target: len, args: [x], span: n.span };
      const neg: IRNode = { op: 'call_function', name: `${n.name}_neg`, target: '_operator.lt', args: [{ ref: l.name }, { const: { kind: 'int', value: '0' } }], span: n.span };
      const raise: IRNode = { op: 'raise', name: `${n.name}_raise`, target: 'ValueError', args: [{ const: { kind: 'str', value: '__len__() should return >= 0' } }], span: n.span };
      const check: IRNode = { op: 'if', name: `${n.name}_check`, target: 'if', args: [{ ref: neg.name }], span: n.span, regions: [{ name: 'then', nodes: [raise] }, { name: 'else', nodes: [] }] };
      return { nodes: [l, neg, check], value: { ref: l.name } };
    };

    /**
     * The truth of an instance whose class defines __bool__ (`if obj:`): a call of it (else of __len__, lenTruth),
     * put in `nodes` at `k`; returns how many nodes were put there.
     */
    /**
     * `obj.m(...)` whose static implementation runs for none of the classes the program makes instances of (an
     * abstract base's method that raises NotImplementedError): it is not compiled at all, the call dispatches over
     * the others (virtualCall).
     */
    const staticNeverRuns = (n: IRNode, argTypes: KType[]): boolean => {
      const self = argTypes[0];
      if (self?.kind !== 'instance' || !spec.methodCalls.has(n.name)) return false;
      const info = classes.get(self.cls);
      const m = n.target.slice(n.target.lastIndexOf('.') + 1);
      if (!info || info.methods.get(m) !== n.target || info.unbound.has(m)) return false;
      const made = classes.subtree(info).filter((c) => c.instantiated);
      return made.length > 0 && !made.some((c) => c.methods.get(m) === n.target);
    };

    const truthCall = (n: IRNode, env: FlowEnv, nodes: IRNode[], k: number): number => {
      const t = n.args.length ? readArg(n, 0, env) : undefined;
      if (t?.kind !== 'instance') return 0;
      const info = classes.get(t.cls)!;
      const m = info.methods.get('__bool__');
      const len = info.methods.get('__len__');
      if (!m && len) {
        const { nodes: before, value } = lenTruth(n, n.args[0], len);
        n.args = [value, ...n.args.slice(1)];
        nodes.splice(k, 0, ...before);
        return before.length;
      }
      if (!m) return 0;
      const c: IRNode = { op: 'call_function', name: `${n.name}_bool`, target: m, args: [n.args[0]], span: n.span };
      n.args = [{ ref: c.name }, ...n.args.slice(1)];
      nodes.splice(k, 0, c);
      return 1;
    };

    const visit = (nodes: IRNode[], env: FlowEnv): FlowEnv | null => {
      let cur = env;
      let live = true;
      for (let k = 0; k < nodes.length; k++) {
        const n = nodes[k];
        // A problem at this node is reported (in the final round); what depends on it is not reported again.
        try {
        n.args.forEach((a) => checkIntConst(a, n.span));
        switch (n.op) {
          case 'input':
            n.type = spec.varTypes.get(n.name);
            values.set(n.name, n.type!);
            break;
          case 'constant': {
            let t: KType | undefined;
            if (n.args.length && !isRef(n.args[0])) t = constType(n.args[0].const);
            else t = constantType(n.target);
            if (!t) {
              if (/^numpy\.(complex64|complex_|cdouble|csingle|clongdouble)$/.test(n.target)) fail(fnName, n.span, 'module attribute', `${n.target}: ${COMPLEX_ARRAYS}`);
              fail(fnName, n.span, 'module attribute', `${n.target} is outside the compiled subset`, constantsHint(n.target));
            }
            n.type = t;
            values.set(n.name, t!);
            break;
          }
          case 'call_function': {
            const types = n.args.map((_, i) => readArg(n, i, cur));
            if (types.some((t) => !t)) {
              n.type = undefined;
              unknown(n, `the arguments of ${n.target}`);
              break;
            }
            const argTypes = types as KType[];
            n.argTypes = argTypes;
            if (n.target === '_operator.getitem') itemOf.set(n.name, argTypes[0].kind);
            // The store of `c[i] op= v` after an in-place operator on the array c holds: the same object back, nothing to do.
            const stored = n.args[n.args.length - 1];
            if (n.augStore && n.target === '_operator.setitem' && isRef(stored) && keptInplace.has(stored.ref) && HOLDERS.has(argTypes[0].kind)) {
              spec.resolved.set(n.name, { result: T.none, argTypes, lower: { kind: 'stmts', emit: () => [] }, facts: {} });
              n.type = T.none;
              values.set(n.name, T.none);
              break;
            }
            // A field assigned on a path a test proved impossible teaches nothing (and does nothing).
            if (cur.dead && n.target === 'kiln.setattr') {
              spec.resolved.set(n.name, { result: T.none, argTypes, lower: { kind: 'stmts', emit: () => [] }, facts: {} });
              n.type = T.none;
              values.set(n.name, T.none);
              break;
            }
            // Operators and protocols on instances: calls of their dunder methods (types/classes.ts).
            const inserted = instanceProtocols(n, argTypes, nodes, k);
            if (inserted) { k--; continue; } // the nodes put before this one are typed first, then this one again
            // `obj.m(...)` on an instance of a compiled class: a direct call of the method's function.
            if (n.target.startsWith('method.') && argTypes[0]?.kind === 'instance') {
              const info = classes.get(argTypes[0].cls);
              const m = n.target.slice('method.'.length);
              const q = info?.methods.get(m);
              if (!q && info?.namedtuple && m === '_make') {
                fail(fnName, n.span, `.${m}()`, `${info.name}.${m}() of a NamedTuple is not compiled yet`, `call ${info.name}(...) with the fields`);
              }
              if (!q) fail(fnName, n.span, `.${m}()`, info?.fields.some((f) => f.name === m) ? `calling the field ${info.name}.${m} is not compiled yet` : `AttributeError: '${info?.name}' object has no attribute '${m}'`);
              n.target = q!;
              spec.methodCalls.add(n.name);
              if (n.given !== undefined) {
                n.args = n.args.slice(0, n.given);
                argTypes.length = n.given;
                delete n.given;
              }
              if (info!.unbound.has(m)) {
                // @staticmethod / @classmethod called on an instance: the instance is not an argument.
                n.args = n.args.slice(1);
                argTypes.shift();
                if (n.call?.starred) n.call.starred = n.call.starred.map((i) => i - 1);
                if (n.call?.kwstarred) n.call.kwstarred = n.call.kwstarred.map((i) => i - 1);
              }
            }
            // A method call resolved in an earlier round, when the instance's type was narrower (`light = Red(2)`, later
            // `light = light.next()` makes it a Light): the method of the class it has now (virtualCall dispatches).
            if (!n.target.startsWith('method.') && spec.methodCalls.has(n.name) && argTypes[0]?.kind === 'instance') {
              const info = classes.get(argTypes[0].cls);
              const m = n.target.slice(n.target.lastIndexOf('.') + 1);
              const q = info?.methods.get(m);
              if (q && !info!.unbound.has(m)) n.target = q;
            }
            // `obj.size` (and .shape, .ndim, .T) on an instance: its field, not the array attribute.
            if (n.target.startsWith('attr.') && classes.instanceOf(argTypes[0])) {
              n.args = [n.args[0], { const: { kind: 'str', value: n.target.slice('attr.'.length) } }];
              n.target = 'kiln.getattr';
              argTypes.splice(1, argTypes.length, T.str);
            }
            if (links.functionAt(n.target)) {
              const local = links.displayName(n.target);
              annotatedEmptyArgs(n, argTypes, n.target, 0);
              if (staticNeverRuns(n, argTypes)) {
                n.type = virtualCall(n, argTypes);
                // The passes that read a call's callee (opt/writes.ts...) see the first implementation, as they see
                // the static one of other dispatched calls; the lowering dispatches (spec.virtuals).
                const first = n.type ? spec.virtuals.get(n.name)?.[0] : undefined;
                if (first) {
                  spec.calls.set(n.name, first.callee);
                  spec.bindings.set(n.name, first.binding);
                }
                if (!n.type) unknown(n, `the result of ${local}()`);
                else values.set(n.name, n.type);
                break;
              }
              const { spec: callee, binding } = callCompiled(n, n.target, 0, [], argTypes);
              spec.calls.set(n.name, callee.key);
              spec.bindings.set(n.name, binding);
              learnFromCallee(n, callee, binding);
              n.type = callee.returnType;
              const virtual = virtualCall(n, argTypes);
              if (virtual) n.type = virtual;
              if (!n.type) {
                if (callee.poisoned) throw new Poisoned();
                unknown(n, `the result of ${local}()`);
              } else values.set(n.name, n.type);
              break;
            }
            if (n.target === 'kiln.static_list') {
              const t = staticListType(n.literal!);
              if (typeof t === 'string') fail(fnName, n.span, 'module-level list', `the module-level list '${n.module}' ${t}`, 'give it items of one type (1.0 instead of 1 among floats)');
              n.type = t as KType;
              values.set(n.name, n.type);
              break;
            }
            if (n.target === 'kiln.make_closure' || n.target === 'kiln.call') {
              n.type = functionNode(n, argTypes);
              if (n.type) values.set(n.name, n.type);
              break;
            }
            // The tracer's `x op= y`: in place for an array (every operator) and a list (`+=`, `*=`); for
            // anything else the plain operator, rebinding the name as Python does for immutable values.
            const inplace = lookupOp(n.target)?.facts.inplace;
            // `c[i] op= v` (n.augItem): in place only on an array a dict, list or record holds (the caller's array of a
            // dict of arrays, `params["w"] -= lr * g`); an array's own element, row or slice keeps the plain operator
            // and the store, as before.
            const heldArray = !n.augItem || (argTypes[0]?.kind === 'array' && isRef(n.args[0]) && HOLDERS.has(itemOf.get(n.args[0].ref) ?? ''));
            // A frozenset has no in-place operators: `fs |= t` binds a new frozenset, as for immutable values.
            // So has a tuple of a run-time length (a list compiled code never changes): `t += (x,)` binds a new tuple.
            const frozenSet = (argTypes[0]?.kind === 'set' && !!argTypes[0].frozen) || isVarTuple(argTypes[0]);
            if (inplace && (!inplace.on.includes(argTypes[0]?.kind) || !heldArray || frozenSet)) {
              n.target = inplace.plain;
              augmentedNodes.add(n);
            } else if (inplace && n.augItem) keptInplace.add(n.name);
            const augmented = augmentedNodes.has(n);
            const op = lookupOp(n.target);
            if (!op) {
              const near = nearOps(n.target, argTypes[0]);
              fail(fnName, n.span, `call to ${n.target}`, `${n.target}() is outside the compiled subset`,
                near.length ? `supported here: ${near.join(', ')}` : 'see "Supported Python" in the README');
            }
            const consts = n.args.map((a) => (isRef(a) ? tupleConsts.get(a.ref) : a.const));
            // `xs = []` then `xs.append(v)`: the list's item type is learnt from what goes in.
            const refined = op && refineEmptyList(op, argTypes);
            if (refined && isRef(n.args[0]) && spec.varTypes.has(n.args[0].ref)) {
              const cur0 = spec.varTypes.get(n.args[0].ref)!;
              if (cur0.kind === 'list' && cur0.item.kind === 'none') {
                spec.varTypes.set(n.args[0].ref, refined);
                changed = true;
              }
            } else if (refined && isRef(n.args[0]) && fieldOrigins.has(n.args[0].ref)) {
              // `self.items = []` then `self.items.append(v)`: the field's item type is learnt.
              const o = fieldOrigins.get(n.args[0].ref)!;
              const f = o.info.fields.find((x) => x.name === o.attr);
              if (f) classes.learn(o.info, f, refined);
            } else if (refined && isRef(n.args[0]) && spec.listOrigins.has(n.args[0].ref)) {
              // `g[u] = []` then `g[u].append(v)`: the dict's value type is learnt from what goes into the list.
              const v = spec.listOrigins.get(n.args[0].ref)!;
              const held = spec.varTypes.get(v);
              if (held?.kind === 'dict' && held.value.kind === 'list' && held.value.item.kind === 'none') {
                spec.varTypes.set(v, T.dict(held.key, refined));
                changed = true;
              }
            }
            // A list of one class's instances that receives an instance of a sibling class (`events.append(Departure(...))`
            // into a list that held Arrivals): a list of their nearest common base, for the variable or the field.
            const list0 = n.args[0] && isRef(n.args[0]) ? n.args[0].ref : undefined;
            const local = list0 !== undefined && spec.firstAssign.has(list0) && !spec.ir.params.some((p) => p.name === list0);
            const widened = op && !refined ? widenInstanceList(classes, op, argTypes) ?? (local ? widenToUnionList(op, argTypes) : undefined) : undefined;
            if (widened && isRef(n.args[0]) && spec.varTypes.has(n.args[0].ref) && !sameType(spec.varTypes.get(n.args[0].ref)!, widened)) {
              spec.varTypes.set(n.args[0].ref, widened);
              changed = true;
            } else if (widened && isRef(n.args[0]) && fieldOrigins.has(n.args[0].ref)) {
              const o = fieldOrigins.get(n.args[0].ref)!;
              const f = o.info.fields.find((x) => x.name === o.attr);
              if (f) classes.learn(o.info, f, widened);
            }
            // `d = {}` then `d[k] = v`, `s = set()` then `s.add(x)`: the container's types are learnt from what is stored.
            const learnt = op && refineContainer(op, argTypes, readLearning);
            if (learnt && isRef(n.args[0]) && fieldOrigins.has(n.args[0].ref)) {
              const o = fieldOrigins.get(n.args[0].ref)!;
              const f = o.info.fields.find((x) => x.name === o.attr);
              if (f) classes.learn(o.info, f, learnt);
            }
            if (learnt) {
              if (n.args.length && isRef(n.args[0]) && spec.varTypes.has(n.args[0].ref) && !sameType(spec.varTypes.get(n.args[0].ref)!, learnt)) {
                spec.varTypes.set(n.args[0].ref, learnt);
                changed = true;
              }
              argTypes[0] = learnt;
              // `d[k].add(x)` on a defaultdict(set): the dict's value type is learnt from what goes into the inner set.
              const v = n.args.length && isRef(n.args[0]) ? spec.listOrigins.get(n.args[0].ref) : undefined;
              const held = v ? spec.varTypes.get(v) : undefined;
              if (v && held?.kind === 'dict' && isUnrefined(held.value) && !sameType(held.value, learnt)) {
                spec.varTypes.set(v, T.dict(held.key, learnt));
                changed = true;
              }
              // `self.d.setdefault(k, set()).add(x)`: the same for a dict held by a field.
              const o = v ? fieldOrigins.get(v) : undefined;
              const f = o?.info.fields.find((x) => x.name === o.attr);
              if (o && f?.type?.kind === 'dict' && isUnrefined(f.type.value) && !isUnrefined(f.type.key)) classes.learn(o.info, f, T.dict(f.type.key, learnt));
            }
            // `d: dict[frozenset[int], int] = {frozenset(): 1}`: an empty container among a literal's items takes the
            // item type the annotated assignment gives the literal (set below in 'assign').
            const literal = spec.emptyTypes.get(n.name);
            // `u = [1.0] * n` where u holds a list of int | float: the list is made of the union (its items boxed).
            if (literal?.kind === 'list' && isScalarUnion(literal.item) && n.target === 'kiln.make_list') {
              const u = literal.item;
              n.args.forEach((_, i) => { if (argTypes[i] && unionMembers(argTypes[i]).every((m) => u.members.some((x) => sameType(x, m)))) argTypes[i] = u; });
            }
            // `parent: dict[int, int | None] = {start: None}`: the values are boxed into the annotation's union.
            if (literal?.kind === 'dict' && literal.value.kind === 'union' && n.target === 'kiln.make_dict') {
              const u = literal.value;
              n.args.forEach((_, i) => {
                if (i % 2 && argTypes[i] && unionMembers(argTypes[i]).every((m) => u.members.some((x) => sameType(x, m)))) argTypes[i] = u;
              });
            }
            if (literal && n.args.length && (n.target === 'kiln.make_dict' || n.target === 'kiln.make_set' || n.target === 'kiln.make_list')) {
              n.args.forEach((a, i) => {
                const want = literal.kind === 'dict' ? (i % 2 ? literal.value : literal.key) : literal.kind === 'set' || literal.kind === 'list' ? literal.item : undefined;
                // An item not typed yet (`set()` waits for what it meets) or an empty one of the annotation's kind.
                const open = argTypes[i] ? isUnrefined(argTypes[i]) && argTypes[i].kind === want?.kind : want && ['dict', 'set', 'list'].includes(want.kind);
                if (!want || !isRef(a) || !open || isUnrefined(want)) return;
                if (!sameType(spec.emptyTypes.get(a.ref) ?? T.none, want)) {
                  spec.emptyTypes.set(a.ref, want);
                  changed = true;
                }
                argTypes[i] = want;
              });
            }
            // `acc = frozenset()` then `acc | frozenset(xs)`, `d[frozenset()]`: an empty set or dict takes the types it meets.
            const met = op && metContainer(op, argTypes);
            const metArg = met && n.args[met.index];
            if (met && metArg && isRef(metArg)) {
              const ref = metArg.ref;
              const held = spec.varTypes.get(ref);
              if (held ? !sameType(held, met.type) && isUnrefined(held) : !sameType(spec.emptyTypes.get(ref) ?? T.none, met.type)) {
                if (held) spec.varTypes.set(ref, met.type);
                else spec.emptyTypes.set(ref, met.type);
                changed = true;
              }
              argTypes[met.index] = met.type;
            }
            // `d.get(k, {})`, `d.setdefault(k, set())`: the fresh empty default is made with the dict's value type.
            const fresh = op?.facts.freshDefault;
            const dictArg = argTypes[0];
            if (fresh !== undefined && dictArg?.kind === 'dict' && argTypes[fresh] && isUnrefined(argTypes[fresh]) && isRef(n.args[fresh])) {
              const u = sameType(argTypes[fresh], dictArg.value) ? dictArg.value : unifyTypes(argTypes[fresh], dictArg.value);
              if (u && !isUnrefined(u)) {
                if (!sameType(spec.emptyTypes.get(n.args[fresh].ref) ?? T.none, u)) {
                  spec.emptyTypes.set(n.args[fresh].ref, u);
                  changed = true;
                }
                argTypes[fresh] = u;
              }
            }
            // `self.d = {}` / `self.s = set()` in __init__, filled by another method: the field holds the empty container
            // until a store through it teaches its types (fieldOrigins above), and the empty container is made with them.
            if (n.target === 'kiln.setattr' && argTypes[0]?.kind === 'instance' && argTypes[2] && unknownContainer(argTypes[2]) && isRef(n.args[2])) {
              const info = classes.get(argTypes[0].cls);
              const attr = n.args[1] && !isRef(n.args[1]) && n.args[1].const.kind === 'str' ? n.args[1].const.value : undefined;
              const f = info && attr !== undefined ? info.fields.find((x) => x.name === attr) : undefined;
              const annotated = n.annotation ? annotationType(n.annotation, links.moduleOf(spec.ir).imports) : undefined;
              const given = annotated && annotated.kind === argTypes[2].kind && !unknownContainer(annotated) && !holdsArray(annotated) ? annotated : undefined;
              if (info && f && (!f.type || (given && unknownContainer(f.type)))) classes.learn(info, f, given ?? argTypes[2]);
              else if (f?.type && f.type.kind === argTypes[2].kind && !unknownContainer(f.type) && !holdsArray(f.type)) {
                if (!sameType(spec.emptyTypes.get(n.args[2].ref) ?? T.none, f.type)) {
                  spec.emptyTypes.set(n.args[2].ref, f.type);
                  changed = true;
                }
              }
            }
            // A container whose types are still unknown: the op waits for the next round (unless it can resolve provisionally).
            if (op && argTypes.some((t, i) => unknownContainer(t) && !(i === 0 && op.facts.takesUnrefined) && !(i === fresh && dictArg?.kind === 'dict'))) {
              n.type = undefined;
              unknown(n, 'a dict or set that nothing is ever stored in (its key and value types)');
              break;
            }
            // An empty container (`{}`, `set()`, `defaultdict(list)`: its arguments are constants) takes the type learnt from its uses.
            const learntEmpty = op?.facts.emptyContainer && (!argTypes.length || op.facts.emptyContainer === 'factory') ? spec.emptyTypes.get(n.name) : undefined;
            // `set()` makes a set and `frozenset()` a frozenset, whichever the variable it meets holds.
            const hint = learntEmpty?.kind === 'set' ? { kind: 'set' as const, item: learntEmpty.item, ...(n.target === 'builtins.frozenset' ? { frozen: true as const } : {}) } : learntEmpty;
            const argFacts: ArgFacts[] = n.args.map((a) => ({ nonNegative: nonNegativeArg(a, cur), numpy: numpyArg(a, cur) }));
            let r = hint && !isUnrefined(hint) ? emptyContainer(hint, consts)
              : augmented ? resolvingAugmented(() => op!.resolve(argTypes, consts, argFacts)) : op!.resolve(argTypes, consts, argFacts);
            // An iterable the tracer read as a sequence holds a dict or set: found, for a trace that reads it as a
            // container (withContainerIterables); until then typed as the list of its items, so typing goes on.
            const item = typeof r === 'string' && n.iterable && found ? containerItem(argTypes[0]) : undefined;
            if (item) {
              let keys = found!.get(spec.traced);
              if (!keys) found!.set(spec.traced, (keys = new Set()));
              keys.add(n.iterable!);
              r = op!.resolve([T.list(item), ...argTypes.slice(1)], consts, argFacts);
            }
            // Before the last round a variable may not hold all its types yet (`best_i = None` before the loop that
            // assigns it ints): the op is typed again once it does; only the last round's refusal is an error.
            if (typeof r === 'string' && !final) {
              n.type = undefined;
              break;
            }
            if (typeof r !== 'string' && n.args.length && isRef(n.args[0]) && (spec.varTypes.get(n.args[0].ref)?.kind === 'dict' || (fieldOrigins.has(n.args[0].ref) && argTypes[0]?.kind === 'dict'))
              && ((r.result.kind === 'list' && r.result.item.kind === 'none') || isUnrefined(r.result))) {
              spec.listOrigins.set(n.name, n.args[0].ref);
            }
            if (typeof r === 'string') {
              const [kind, msg] = /^(\w+Error): (.*)$/.exec(r)?.slice(1) ?? ['TypeError', r];
              fail(fnName, n.span, `${n.target}(${argTypes.map(typeToString).join(', ')})`, `${kind}: ${msg}`);
            }
            const res = r as Resolved;
            if (final && res.alwaysRaises) {
              warnings.push({ severity: 'warning', file: spec.ir.file, line: n.span.line, col: n.span.col, construct: `${n.target}(${argTypes.map(typeToString).join(', ')})`, function: fnName, message: `this always raises ${res.alwaysRaises} when it runs, as in Python` });
            }
            spec.resolved.set(n.name, res);
            keyMethods(n, [...argTypes, res.result]);
            // A tuple of constants (`axis=(0, 2)`, `np.transpose(a, (1, 0))`): ops that take it see its values.
            if (n.target === 'kiln.make_tuple' && n.args.every((a) => !isRef(a))) tupleConsts.set(n.name, { kind: 'tuple', items: n.args.map((a) => (a as { const: ConstValue }).const) });
            n.type = res.result;
            values.set(n.name, n.type);
            cur.setValue(n.name, ...valueFacts(n, op!, argTypes, consts, cur, res.result));
            if (res.alwaysRaises) live = false;
            break;
          }
          case 'assign': {
            let t = readArg(n, 0, cur);
            // `seen: set[int] = set()`: a dict or set annotation gives an empty container its types.
            const annotated = n.annotation ? annotationType(n.annotation, links.moduleOf(spec.ir).imports) : undefined;
            // A literal holding an empty container (`{frozenset(): 1}`, `[set(), {n}]`) is untyped, or typed from its
            // other items, until its empty items learn from the annotation (read by the literal's op above).
            // Not an annotation holding arrays: NDArray[np.float64] names no rank (see the return annotation's rule).
            // A literal of constant str keys typed as a record (`{"a": None, "b": 1.5}`) under a dict annotation is that dict.
            const recordAsDict = t?.kind === 'record' && annotated?.kind === 'dict';
            if ((!t || t.kind === annotated?.kind || recordAsDict) && annotated && (annotated.kind === 'dict' || annotated.kind === 'set' || annotated.kind === 'list') && !holdsArray(annotated) && isRef(n.args[0])
              && !sameType(spec.emptyTypes.get(n.args[0].ref) ?? T.none, annotated)) {
              spec.emptyTypes.set(n.args[0].ref, annotated);
              changed = true;
            }
            if (recordAsDict) t = annotated;
            if (t && annotated && (annotated.kind === 'dict' || annotated.kind === 'set')) {
              const u = sameType(annotated, t) ? t : unifyTypes(annotated, t);
              if (!u) fail(fnName, n.span, 'annotated assignment', `'${n.target}' is annotated ${typeToString(annotated)} but is assigned a ${typeToString(t)}`);
              if (!sameType(u!, t) && !spec.varTypes.has(n.target)) {
                spec.varTypes.set(n.target, u!);
                spec.firstAssign.set(n.target, n.span);
                changed = true;
              }
              if (isUnrefined(t) && isRef(n.args[0]) && !sameType(spec.emptyTypes.get(n.args[0].ref) ?? T.none, u!)) {
                spec.emptyTypes.set(n.args[0].ref, u!);
                changed = true;
              }
              t = u!;
            }
            // `h: list[int] = []`, `adj: list[list[int]] = [[] for _ in range(n)]`: a list annotation gives an empty
            // list its item type (a helper may be what fills it: heapq.heappush(h, x)).
            if (t?.kind === 'list' && annotated?.kind === 'list' && !sameType(t, annotated)) {
              const u = unifyTypes(t, annotated);
              if (u && sameType(u, annotated)) t = annotated;
            }
            if (!t) {
              if (poisonedArgs(n)) {
                poisoned.add(n.target);
                throw new Poisoned();
              }
              unknown(n, `the value assigned to '${pyVar(n.target)}'`);
              break;
            }
            const prev = spec.varTypes.get(n.target);
            if (!live) {
              // Never reached (after a return, or an operation that always raises): it types the C, widens nothing.
              if (!prev && final) spec.varTypes.set(n.target, t);
              n.type = t;
              break;
            }
            let next = prev ? widenType(prev, t) : t;
            // A list of float meeting a list of int | float (`u = [1.0] * n`, then `u = f(u)` of a comprehension of
            // sums): the variable holds the list of the union, and a list built here is built as one (its maker
            // learns the type, as an empty `[]` does); any other list of a member would need a copy, which Python does not make.
            const unionList = prev && typeof next === 'string' ? scalarUnionListJoin(prev, t) : undefined;
            if (unionList) {
              next = unionList;
              const maker = sameType(t, unionList) ? undefined : freshListMaker(n.args[0]);
              if (maker && !sameType(spec.emptyTypes.get(maker) ?? T.none, unionList)) {
                spec.emptyTypes.set(maker, unionList);
                changed = true;
              } else if (!sameType(t, unionList) && !maker) {
                const first = spec.firstAssign.get(n.target);
                fail(fnName, n.span, 'variable changes type',
                  `variable '${pyVar(n.target)}' holds ${typeToString(unionList)} and here a ${typeToString(t)} that is not built here: Kiln would have to copy it into a list of ${typeToString(unionList.item)}, and Python shares the list`,
                  `build the list in this assignment ([x] * n, [a, b]), or make the other assignments${first ? ` (line ${first.line})` : ''} give a ${typeToString(t)}`);
              }
            }
            if (typeof next === 'string') {
              const first = spec.firstAssign.get(n.target);
              const synthetic = /^(and|or|ifexp|compare)_result/.test(n.target);
              fail(fnName, n.span, 'variable changes type',
                synthetic
                  ? `this expression gives ${typeToString(prev!)} on one path and ${typeToString(t)} on another: ${next}`
                  : `variable '${pyVar(n.target)}' holds ${typeToString(prev!)}${first ? ` (line ${first.line})` : ''} and ${typeToString(t)} where its assignments meet: ${next}`,
                'use a separate variable for each type');
            }
            // `d = {}`: the empty dict is made with the type the variable has learnt (`dict[str, int] | None`: the dict's).
            const learnt = withoutMembers(next as KType, T.none) ?? (next as KType);
            if (isUnrefined(t) && !sameType(learnt, t) && isRef(n.args[0]) && !sameType(spec.emptyTypes.get(n.args[0].ref) ?? T.none, learnt)) {
              spec.emptyTypes.set(n.args[0].ref, learnt);
              changed = true;
            }
            if (isUnrefined(learnt)) unrefinedSeen = true;
            if (final && isUnrefined(learnt)) {
              fail(fnName, n.span, 'type inference', `cannot infer the types of '${pyVar(n.target)}', a ${typeToString(next as KType)}: nothing stored in it says what it holds`,
                'store an item in it (d[k] = v, s.add(x)), or build it with a literal or a comprehension');
            }
            if (!prev) spec.firstAssign.set(n.target, n.span);
            if (!prev || !sameType(prev, next as KType)) {
              spec.varTypes.set(n.target, next as KType);
              changed = true;
            }
            // The variable's type (what the studio shows); a union variable: what this assignment puts in it.
            n.type = isUnion(next as KType) ? t : (next as KType);
            // A bool keeps what this path knows (the right side of an `and` is computed where the left side held).
            const cond = condOf(n, 0, cur) ?? (t.kind === 'scalar' && t.name === 'bool' ? { t: new Map(), f: new Map() } : undefined);
            cur.assign(n.target, t, cond, nonNegativeArg(n.args[0], cur), numpyArg(n.args[0], cur));
            break;
          }
          case 'output': {
            // A character that is returned escapes: the function returns a str.
            const read = n.args.length ? readArg(n, 0, cur) : T.none;
            const t = read && escaped(read);
            if (!t) {
              if (poisonedArgs(n)) {
                spec.poisoned = true;
                throw new Poisoned();
              }
              unknown(n, 'the returned value');
            } else {
              (live ? returns : deadReturns).push({ type: t, span: n.span, ref: n.args.length && isRef(n.args[0]) ? n.args[0].ref : undefined });
              n.type = t;
            }
            live = false;
            break;
          }
          case 'raise': {
            // raise Kind(message) or Kind(a, b): strs (a caught exception re-raised is its own (kind, message, len(args))).
            if (n.target !== 'kiln.reraise') {
              // An exception class with fields: str(e) (its message field), then the instance it carries.
              (n.exceptionObject || n.stopOf ? n.args.slice(0, 1) : n.args).forEach((a, i) => {
                const m = isRef(a) ? readArg(n, i, cur) : undefined;
                const kind = m ? (m.kind === 'str' ? 'str' : typeToString(m)) : isRef(a) ? 'str' : a.const.kind;
                if (kind !== 'str') {
                  fail(fnName, n.span, 'raise', `the argument of ${n.target}(...) is a ${kind} here; compiled code raises with str arguments`, `write ${n.target}(str(...)) or an f-string`);
                }
              });
            }
            live = false;
            break;
          }
          case 'break': case 'continue':
            live = false;
            break;
          case 'for_range': {
            n.args.forEach((_, i) => {
              let t = readArg(n, i, cur);
              if (!t) return unknown(n, 'the range() arguments');
              // range(n) of an `int | None`: the int, or CPython's TypeError where it is not one.
              if (isUnion(t) && unionMembers(t).some((m) => sameType(m, T.int))) {
                const a = n.args[i] as { ref: string };
                const from = spec.varTypes.get(a.ref) ?? t;
                if (final) {
                  const k = narrowSites.findIndex((s) => s.node === n && s.arg === i);
                  if (k >= 0) narrowSites.splice(k, 1);
                  narrowSites.push({ node: n, arg: i, from, to: T.int, checked: true });
                }
                t = T.int;
              }
              if (!isIntLike(t) || t.kind !== 'scalar') fail(fnName, n.span, 'range()', `TypeError: '${typeToString(t)}' object cannot be interpreted as an integer (range argument ${i + 1})`);
              if (t.kind === 'scalar' && t.name === 'uint64') fail(fnName, n.span, 'range()', 'range() over np.uint64 values is not compiled; convert with int()');
            });
            const prev = spec.varTypes.get(n.target);
            const next = prev ? widenType(prev, T.int) : T.int;
            if (typeof next === 'string') fail(fnName, n.span, 'variable changes type', `loop variable '${pyVar(n.target)}' is an int here but ${typeToString(prev!)} elsewhere: ${next}`);
            if (!prev || !sameType(prev, next as KType)) {
              spec.varTypes.set(n.target, next as KType);
              changed = true;
            }
            n.type = T.int;
            const [body, orelse] = n.regions!;
            const head = cur.copy();
            head.havoc(assignedIn(n));
            const inBody = head.copy();
            const step = n.args[2];
            const counts = nonNegativeArg(n.args[0], cur) && !isRef(step) && step.const.kind === 'int' && BigInt(step.const.value) > 0n;
            inBody.assign(n.target, T.int, undefined, counts);
            visit(body.nodes, inBody);
            visit(orelse.nodes, head.copy());
            cur = head;
            break;
          }
          case 'while': {
            const [test, body, orelse] = n.regions!;
            const head = cur.copy();
            head.havoc(assignedIn(n));
            let afterTest = visit(test.nodes, head) ?? head;
            const put = truthCall(n, afterTest, test.nodes, test.nodes.length);
            if (put) afterTest = visit(test.nodes.slice(-put), afterTest) ?? afterTest;
            const t = readArg(n, 0, afterTest);
            if (final && !t) unknown(n, 'the loop condition');
            const cond = condOf(n, 0, afterTest);
            const name = isRef(n.args[0]) ? n.args[0].ref : undefined;
            visit(body.nodes, afterTest.branch(cond, true, name));
            visit(orelse.nodes, afterTest.branch(cond, false, name));
            cur = afterTest;
            break;
          }
          case 'if': {
            if (truthCall(n, cur, nodes, k)) { k--; continue; }
            if (!readArg(n, 0, cur)) unknown(n, 'the condition');
            const cond = condOf(n, 0, cur);
            const name = isRef(n.args[0]) ? n.args[0].ref : undefined;
            const [thenR, elseR] = n.regions!;
            const joined = FlowEnv.join(visit(thenR.nodes, cur.branch(cond, true, name)), visit(elseR.nodes, cur.branch(cond, false, name)));
            if (joined) cur = joined;
            else live = false; // both branches end: what follows is never reached (still typed)
            break;
          }
          case 'try': {
            // A handler (and the finally clause, on an error path) starts where the body may have stopped at any
            // node: nothing is known there of what the try assigns.
            const region = (name: string) => n.regions!.filter((r) => r.name === name);
            const head = cur.copy();
            head.havoc(assignedIn(n));
            const afterBody = visit(region('body')[0].nodes, cur.copy());
            let joined = afterBody ? visit(region('orelse')[0].nodes, afterBody) : null;
            for (const h of region('handler')) joined = FlowEnv.join(joined, visit(h.nodes, head.copy()));
            const afterFinally = visit(region('finally')[0].nodes, FlowEnv.join(joined, head.copy())!);
            if (joined && afterFinally) cur = afterFinally;
            else live = false; // every path raises or returns
            break;
          }
          case 'assert': {
            if (truthCall(n, cur, nodes, k)) { k--; continue; }
            if (!readArg(n, 0, cur)) unknown(n, 'the condition');
            cur = cur.branch(condOf(n, 0, cur), true, isRef(n.args[0]) ? n.args[0].ref : undefined);
            break;
          }
          default:
            break;
        }
        } catch (e) {
          n.type = undefined;
          poisoned.add(n.name);
          if (n.op === 'assign') poisoned.add(n.target);
          if (!(e instanceof Poisoned)) {
            if (!(e instanceof KilnError)) throw e;
            spec.poisoned = true;
            if (final) record(chained(e, spec));
          }
        }
      }
      return live ? cur : null;
    };
    const start = new FlowEnv((v) => spec.varTypes.get(v));
    // A parameter of a NumPy number type holds NumPy's scalar (the package passes one; np.bool_ is typed bool: not known).
    spec.ir.params.forEach((p) => start.assign(p.name, spec.varTypes.get(p.name)!, undefined, false, isNumpyNumber(spec.varTypes.get(p.name)!)));
    visit(spec.ir.nodes, start);
    if (final) spec.narrowSites = narrowSites;

    // The return type: where the paths' types differ, a union (None included: falling off the end returns None).
    let ret: KType | undefined;
    try {
      for (const r of returns.length ? returns : deadReturns) {
        const next: KType | string = !ret ? r.type : widenType(ret, r.type);
        if (typeof next === 'string') {
          if (!final) continue;
          fail(fnName, r.span, 'return type', `returns ${typeToString(ret!)} on one path and ${typeToString(r.type)} here: ${next}`, 'convert so that every return gives a number, or the same kind of value');
        }
        ret = next as KType;
      }
      // `return frozenset()`, `return {}`: an empty container takes the type the other returns give, else the annotation's.
      // Not an annotation holding arrays: `NDArray[np.float64]` names no rank, so its rank would be a guess that the
      // stores into the container (`out[k] = {"w": matrix}`) contradict.
      const annotated = spec.ir.returnAnnotation ? annotationType(spec.ir.returnAnnotation, links.moduleOf(spec.ir).imports) : undefined;
      const declared = annotated && !holdsArray(annotated) ? annotated : undefined;
      for (const r of returns) {
        const u = r.ref && isUnrefined(r.type) ? [ret, declared].find((x) => x && x.kind === r.type.kind && !isUnrefined(x)) : undefined;
        const learnt = u?.kind === 'set' && r.type.kind === 'set' ? { kind: 'set' as const, item: u.item, ...(r.type.frozen ? { frozen: true as const } : {}) } : u;
        const known = r.ref && (spec.varTypes.get(r.ref) ?? spec.emptyTypes.get(r.ref) ?? T.none);
        if (learnt && known && !sameType(known, learnt) && (isUnrefined(known) || known.kind === 'none')) {
          (spec.varTypes.has(r.ref!) ? spec.varTypes : spec.emptyTypes).set(r.ref!, learnt);
          changed = true;
        }
      }
      if (ret && (!spec.returnType || !sameType(spec.returnType, ret))) {
        if (spec.returnType && final) fail(fnName, spec.ir.span, 'return type', 'the return type did not settle');
        spec.returnType = ret;
        changed = true;
      }
      if (final && !spec.returnType && !spec.poisoned) fail(fnName, spec.ir.span, 'return type', 'cannot infer the return type', 'a recursive function needs a base case that returns a value');
    } catch (e) {
      if (!(e instanceof KilnError)) throw e;
      spec.poisoned = true;
      if (final) record(chained(e, spec));
    }
    // A field type learnt or widened here: every function reading it is typed again.
    return changed || classTable()?.version !== classVersion;
  };

  const entrySpecs: Spec[] = [];
  /** Each entry's specialisations for other accepted argument types (types/tower.ts), with their codes. */
  const variantSpecs: { spec: Spec; code: string }[][] = [];
  // The annotated entries first, then their specialisations (so the annotated program's specialisations come first).
  for (const e of entryIRs) {
    try {
      entrySpecs.push(specFor(e.qualifiedName, entryTypes.paramTypes?.get(e.qualifiedName) ?? entryTypesOf(e)));
    } catch (err) {
      record(err);
    }
  }
  for (const e of entryIRs) {
    try {
      const annotated = entryTypesOf(e);
      const variants = entryTypes.variants?.get(e.qualifiedName) ?? [];
      variantSpecs.push(variants.map((ts) => ({ spec: specFor(e.qualifiedName, ts), code: towerCode(annotated, ts) })));
    } catch (err) {
      record(err);
    }
  }
  if (problems.length) throw new KilnError(problems);
  for (let round = 0; round < 50; round++) {
    let changed = false;
    for (let i = 0; i < order.length; i++) changed = check(order[i], false) || changed;
    if (!changed) break;
  }
  // A generator compiled as an entry returns its frames (ir/generator_frames.ts); the caller iterating them calls their
  // step (kiln_<frame>__next, lower/c_abi_instances.ts methodSpecs), so it is compiled as if the entry called it.
  const frameSteps: Spec[] = [];
  for (const e of [...entrySpecs, ...variantSpecs.flat().map((v) => v.spec)]) {
    const cls = e.returnType ? instanceClassOf(e.returnType) : undefined;
    const info = cls ? classInfo(cls) : undefined;
    const step = info?.generatorFrame ? info.methods.get(FRAME_STEP) : undefined;
    if (!step) continue;
    try {
      frameSteps.push(specFor(step, [e.returnType!]));
      // Generator[Y, S, R] with x = yield v: the caller sends S values (kiln_<frame>__send).
      const send = info!.methods.get(FRAME_SEND);
      const sent = send ? generatorSendType(info!.frameReceives ?? null, links.moduleOf(e.ir).imports) : undefined;
      if (sent) frameSteps.push(specFor(send!, [e.returnType!, sent]));
    } catch (err) {
      record(err);
    }
  }
  // A recursive function whose every return goes through itself (no base case that gives a value):
  // its annotation, if any, states the type; Python would raise RecursionError at run time.
  for (const s of order) {
    if (!s.returnType && s.ir.returnAnnotation) s.returnType = annotationType(s.ir.returnAnnotation, links.moduleOf(s.ir).imports);
  }
  const settle = () => {
    for (let round = 0; round < 50; round++) {
      let changed = false;
      for (let i = 0; i < order.length; i++) changed = check(order[i], false) || changed;
      if (!changed) break;
    }
  };
  settle();
  // A class compiled code never makes (an entry's parameter `v: Vec`, made by the caller): its fields take the types
  // their annotations say (`x: float` in the body, else `__init__`'s `self.x = x` with `x: float`), then the program
  // is typed again with them. A class made somewhere learns them from what is assigned, as any.
  if (annotatedFieldTypes([mod, ...others], classes)) settle();
  // Containers nothing stores into learn their types from their reads (refineContainer), lookups first.
  for (const level of unrefinedSeen ? ([1, 2] as const) : []) {
    readLearning = level;
    for (let round = 0; round < 50; round++) {
      let changed = false;
      for (let i = 0; i < order.length; i++) changed = check(order[i], false) || changed;
      if (!changed) break;
    }
  }
  /** The specialisations `roots` reach through their calls and dispatches (themselves included), by key. */
  const specsReachedFrom = (roots: Spec[]): Set<string> => {
    const seen = new Set<string>();
    const visit = (key: string) => {
      if (seen.has(key)) return;
      seen.add(key);
      const s = specs.get(key)!;
      for (const k of s.calls.values()) visit(k);
      for (const d of s.dispatch.values()) for (const m of d.members) visit(m.binding.callee);
    };
    roots.forEach((r) => visit(r.key));
    return seen;
  };
  classes.final = true; // a field read that no assignment reaches is now CPython's AttributeError where it runs
  // The last round reports problems of the specialisations the entries reach (one made while a type was still being
  // learnt, such as a helper given a list before its item type was known, is not compiled).
  // The specialisations for other argument types are compiled too: their final round places narrowings, reports problems.
  const reachedNow = specsReachedFrom([...entrySpecs, ...variantSpecs.flat().map((v) => v.spec), ...frameSteps]);
  for (let i = 0; i < order.length; i++) if (reachedNow.has(order[i].key) || order[i].poisoned) check(order[i], true);
  // A list or array default is one object Python shares between the calls that leave it out; compiled code does
  // not keep values between calls, so such a default is refused where it is written.
  for (const s of order) {
    for (const p of s.defaulted) {
      const t = s.varTypes.get(p);
      const param = links.getIR(s.qualified).params.find((q) => q.name === p);
      if (t && (t.kind === 'list' || t.kind === 'array') && param?.default && !problems.some((d) => d.line === param.default!.span.line && d.construct === 'mutable default')) {
        try {
          fail(links.getIR(s.qualified).qualname ?? s.name, param.default.span, 'mutable default', `the default of '${p}' is a ${t.kind === 'list' ? 'list' : 'NumPy array'}: Python makes it once and shares it between every call that leaves '${p}' out (a change made by one call is seen by the next); compiled code does not keep values between calls`, `use a tuple for a constant default, or pass the ${t.kind} in (def f(x, ${p}=None) with "if ${p} is None: ${p} = []" makes a new one per call)`);
        } catch (e) {
          record(e);
        }
      }
    }
  }
  for (const s of order) {
    placeNarrowings(s);
    mergeWebs(s);
  }
  if (problems.length) throw new KilnError(problems);

  // What an exported function returns must cross the C ABI: numbers, tuples of numbers, arrays, lists of numbers.
  [...entrySpecs, ...variantSpecs.flat().map((v) => v.spec)].forEach((spec) => {
    // An instance parameter is a handle: its class must be one that can outlive a call (lower/c_abi_instances.ts).
    spec.paramTypes.forEach((t, i) => {
      const cls = instanceClassOf(t);
      const bad = cls && handleProblem(cls, classInfo);
      if (!bad) return;
      try {
        fail(spec.name, spec.ir.params[i]?.span ?? spec.ir.span, 'parameter type', `'${spec.ir.params[i]?.name}': instances of ${typeToString(t)} cannot be passed into an exported function: ${bad}`, `pass its fields as parameters and make the instance inside`);
      } catch (e) {
        record(e);
      }
    });
    const bad = abiProblem(spec.returnType!);
    if (bad) {
      try {
        fail(spec.name, spec.ir.span, 'return type', `returning ${typeToString(spec.returnType!)} from a compiled function is not supported: ${bad}`, 'return an array, a list of numbers, or numbers');
      } catch (e) {
        record(e);
      }
    }
  });
  if (problems.length) throw new KilnError(problems);

  // Warn when Python's actual return type differs from the annotation (Kiln follows Python).
  entryIRs.forEach((entryIR, i) => {
    const spec = entrySpecs[i];
    const imports = links.moduleOf(entryIR).imports;
    const annotated = annotationType(entryIR.returnAnnotation, imports);
    // `-> npt.NDArray[np.float64]` says nothing of the rank: only the dtype is compared.
    const rankFree = arrayRankOpen(entryIR.returnAnnotation, imports) && annotated?.kind === 'array' && spec.returnType?.kind === 'array' && annotated.dtype === spec.returnType.dtype;
    if (entryIR.returnAnnotation && annotated && spec.returnType && !rankFree && !sameType(annotated, spec.returnType)) {
      warnings.push({
        severity: 'warning', file: entryIR.file, line: entryIR.span.line, col: entryIR.span.col, construct: 'return annotation', function: entryIR.name,
        message: `annotated '-> ${entryIR.returnAnnotation}' but the function returns ${typeToString(spec.returnType)}; Kiln returns what Python returns`,
      });
    }
  });

  // Only the specialisations the entries reach are compiled (a transient one, made while a type was still being
  // learnt, is dropped).
  const reached = specsReachedFrom([...entrySpecs, ...variantSpecs.flat().map((v) => v.spec), ...frameSteps]);
  const live = order.filter((s) => reached.has(s.key));
  // A dict, set or deque whose types are never learnt (`len(set())`, a helper given `[]` that makes a set of it) has
  // no instantiation in C: refused where it is made.
  for (const s of live) {
    walkNodes(s.ir.nodes, (n) => {
      const r = s.resolved.get(n.name);
      if (r && isUnrefined(r.result)) {
        failIn(s.ir.file, links.displayName(s.ir.qualifiedName), n.span, `${n.target ?? n.op}()`, `cannot infer the types of this ${typeToString(r.result)}: nothing stored in it says what it holds`,
          'give it a type: build it from a typed value, or annotate the variable that holds it (s: set[int] = set())');
      }
    });
  }

  // C names: kf_<name> (kf_utils_clamp for utils.clamp, kf_outer_lambda_12_5 for a lambda), numbered when one
  // function has several specialisations; a name taken already (two spellings that meet in C) is numbered further.
  // The annotated program (what the entries reach) is named first, exactly as without specialisations, so its names
  // stay stable; what only a specialisation for other argument types reaches is kf_<name>__<code> (kf_fma__iii, and
  // kf_utils_hypot2__iii for a helper only the iii one calls with ints).
  const annotatedReach = specsReachedFrom([...entrySpecs, ...frameSteps]);
  const byName = new Map<string, Spec[]>();
  const cNameOf = new Map<string, string>();
  const taken = new Set<string>();
  const nameIn = (base: string) => {
    let c = base;
    for (let k = 2; taken.has(c); k++) c = `${base}_${k}`;
    taken.add(c);
    return c;
  };
  for (const s of live) if (annotatedReach.has(s.key)) byName.set(s.name, [...(byName.get(s.name) ?? []), s]);
  for (const [name, list] of byName) list.forEach((s, i) => cNameOf.set(s.key, nameIn(`kf_${cSafeName(name)}${list.length === 1 ? '' : `_${i}`}`)));
  const nameVariant = (key: string, code: string) => {
    if (cNameOf.has(key)) return;
    const s = specs.get(key)!;
    cNameOf.set(key, nameIn(`kf_${cSafeName(s.name)}__${code}`));
    for (const k of s.calls.values()) nameVariant(k, code);
    for (const d of s.dispatch.values()) for (const m of d.members) nameVariant(m.binding.callee, code);
  };
  for (const v of variantSpecs.flat()) nameVariant(v.spec.key, v.code);

  // Recursion: a specialisation that can reach itself through calls.
  const callsOf = (s: Spec) => [...s.calls.values(), ...[...s.dispatch.values()].flatMap((d) => d.members.map((m) => m.binding.callee))];
  const reach = (from: string, target: string, seen = new Set<string>()): boolean => {
    for (const k of callsOf(specs.get(from)!)) {
      if (k === target) return true;
      if (!seen.has(k)) {
        seen.add(k);
        if (reach(k, target, seen)) return true;
      }
    }
    return false;
  };

  const functions: TypedFunction[] = live.map((s) => {
    const varTypes: Record<string, KType> = {};
    for (const [k, v] of s.varTypes) varTypes[k] = v;
    return {
      key: s.key, name: s.name, cName: cNameOf.get(s.key)!, ir: s.ir, traced: s.traced, paramTypes: s.paramTypes, returnType: s.returnType!,
      varTypes, resolved: s.resolved, calls: s.calls, bindings: s.bindings, dispatch: s.dispatch, valueCalls: s.valueCalls, recursive: reach(s.key, s.key),
      ...(s.virtuals.size ? { virtuals: s.virtuals } : {}),
      boundscheck: boundscheckOf(links, s.qualified),
      ...(entrySpecs.includes(s) || variantSpecs.some((vs) => vs.some((v) => v.spec === s))
        ? { paramLiterals: s.ir.params.map((p) => literalValues(p.annotation, links.moduleOf(s.ir).imports)) }
        : {}),
    };
  });
  // One cache per Python function in CPython: specialisations whose keys it would take for the same are refused.
  const cachedByName = new Map<string, TypedFunction[]>();
  for (const f of functions) if (f.ir.cache) cachedByName.set(f.ir.qualifiedName, [...(cachedByName.get(f.ir.qualifiedName) ?? []), f]);
  for (const specs of cachedByName.values()) {
    const clash = typeCollisions(specs);
    if (!clash) continue;
    const f = specs[0];
    const shown = clash.map((ts) => `(${ts.map(typeToString).join(', ')})`).join(' and ');
    throw new KilnError({
      severity: 'error', file: f.ir.file, line: f.ir.span.line, col: f.ir.span.col, construct: 'decorator', function: f.name,
      message: `${f.name}() is cached and called with arguments of types ${shown}: CPython's one cache answers f(1.0) with the result of f(1) (equal keys), compiled code specialises per type`,
      hint: 'convert the arguments to one type at the calls (float(x)), or write @functools.lru_cache(maxsize=None, typed=True)',
    });
  }
  // f.cache_info() counts as CPython's one cache does only over tables that together are that cache.
  for (const f of functions) {
    walkNodes(f.ir.nodes, (n) => {
      const q = n.op === 'call_function' && n.target === 'functools.cache_info' && !isRef(n.args[0]) && n.args[0].const.kind === 'str' ? n.args[0].const.value : undefined;
      const problem = q === undefined ? undefined : cacheInfoProblem(cachedByName.get(q) ?? []);
      if (problem) {
        throw new KilnError({
          severity: 'error', file: f.ir.file, line: n.span.line, col: n.span.col, construct: 'cache_info()', function: f.name,
          message: `${q!.split('.').pop()}.cache_info() is not compiled here: ${problem}`,
          hint: 'count the calls in the program, or call the function with one combination of argument types',
        });
      }
    });
  }
  const entries = entrySpecs.map((s, i) => {
    const f = functions[live.indexOf(s)];
    const variants = variantSpecs[i]?.map((v) => ({ ...functions[live.indexOf(v.spec)], code: v.code }));
    if (variants?.length) f.variants = variants;
    return f;
  });
  setClassTable(undefined);
  return { file: mod.file, module: entryIRs[0]?.module ?? '', entries, functions, warnings, classes: [...classes.classes.values()] };
}

/** The type of a module-level list of constants (`TABLE = [1, 2, 3]`, `GRID = [[0.0, 1.0], [2.0, 3.0]]`), or why it has none. */
function staticListType(v: PyLiteral): KType | string {
  const of = (x: PyLiteral): KType | string => {
    if (typeof x === 'boolean') return T.bool;
    if (x && typeof x === 'object' && x._t === 'int') return BigInt(x.dec) >= INT64_MIN && BigInt(x.dec) <= INT64_MAX ? T.int : `holds ${x.dec}, which does not fit in 64 bits`;
    if (x && typeof x === 'object' && x._t === 'float') return T.float;
    if (x && typeof x === 'object' && x._t === 'list') {
      const items = x.items.map(of);
      const bad = items.find((t) => typeof t === 'string');
      if (bad) return bad;
      const kinds = new Set((items as KType[]).map(typeToString));
      if (kinds.size > 1) return `holds items of different types (${[...kinds].join(', ')}): compiled lists hold one type`;
      return T.list(items.length ? (items[0] as KType) : T.none);
    }
    return `holds ${x === null ? 'None' : typeof x === 'string' ? 'a string' : 'a value'} that compiled lists cannot hold`;
  };
  return of(v);
}

/** A C identifier for a function's IR name: `outer.<lambda:12:5>` -> `outer_lambda_12_5`. */
function cSafeName(name: string): string {
  return name.replace(/[^A-Za-z0-9_]+/g, '_').replace(/^_+|_+$/g, '').replace(/__+/g, '_') || 'fn';
}

/** The type of a `constant` node: a module constant, a library value, a library function as a value (`key=abs`). */
function constantType(target: string): KType | undefined {
  const c = lookupConstant(target)?.type;
  if (c?.kind === 'dtype' && lookupOp(target)) return { ...c, call: target };
  if (c) return c;
  if (lookupOp(target) && !target.startsWith('method.') && !target.startsWith('kiln.') && !target.startsWith('attr.')) return { kind: 'builtin', target };
  return undefined;
}

// ==== unions and narrowing (see narrowing.ts, opt/splitVariables.ts) ========================================
/** A list of a union of numbers and None where lists of it and of its members meet (a variable's assignments), else undefined. */
function scalarUnionListJoin(a: KType, b: KType): (KType & { kind: 'list' }) | undefined {
  if (a.kind !== 'list' || b.kind !== 'list') return undefined;
  const u = unionOf([a.item, b.item]);
  if (typeof u === 'string' || !isScalarUnion(u) || ![a.item, b.item].some(isScalarUnion)) return undefined;
  return { kind: 'list', item: u };
}

/** The type of a variable (or a return) that holds `prev` and now `t`: Kiln's one-variable rules, else their union. */
function widenType(prev: KType, t: KType): KType | string {
  if (sameType(prev, t)) return prev;
  return unifyTypes(prev, t) ?? joinTypes(prev, t);
}

/** The variables a loop assigns (anywhere in its regions): at its head nothing is known about them. */
const assignedCache = new WeakMap<IRNode, Set<string>>();
function assignedIn(loop: IRNode): Set<string> {
  let set = assignedCache.get(loop);
  if (!set) {
    set = new Set<string>();
    const s = set;
    for (const r of loop.regions ?? []) walkNodes(r.nodes, (n) => { if (n.op === 'assign' || n.op === 'for_range') s.add(n.target); });
    if (loop.op === 'for_range') set.add(loop.target);
    assignedCache.set(loop, set);
  }
  return set;
}

/**
 * Each read of a variable narrower than its storage type (Spec.narrowSites) becomes a read of a `kiln.narrow` of
 * it, placed just before the node that reads it: the member's value, without a test (ops/optional.ts).
 */
function placeNarrowings(spec: Spec) {
  const sites = spec.narrowSites ?? [];
  if (!sites.length) return;
  const taken = new Set<string>([...spec.ir.params.map((p) => p.name), ...spec.ir.locals]);
  walkNodes(spec.ir.nodes, (n) => taken.add(n.name));
  const before = new Map<IRNode, IRNode[]>();
  for (const s of sites) {
    const a = s.node.args[s.arg] as { ref: string };
    let name = `${a.ref}_narrow`;
    for (let k = 1; taken.has(name); k++) name = `${a.ref}_narrow_${k}`;
    taken.add(name);
    const r = s.checked ? checkedNarrowResolution(s.from, s.to) : narrowResolution(s.from, s.to);
    const node: IRNode = { op: 'call_function', name, target: 'kiln.narrow', args: [{ ref: a.ref }], span: s.node.span, type: s.to, argTypes: [s.from] };
    spec.resolved.set(name, r);
    s.node.args[s.arg] = { ref: name };
    if (s.node.argTypes) s.node.argTypes[s.arg] = s.to;
    before.set(s.node, [...(before.get(s.node) ?? []), node]);
  }
  const place = (nodes: IRNode[]): IRNode[] => nodes.flatMap((n) => {
    for (const r of n.regions ?? []) r.nodes = place(r.nodes);
    return [...(before.get(n) ?? []), n];
  });
  spec.ir.nodes = place(spec.ir.nodes);
}

/** The parts of a split variable (opt/splitVariables.ts) that got the same type take one name again (the Python name where they can). */
function mergeWebs(spec: Spec) {
  const renamed = spec.ir.renamed;
  if (!renamed) return;
  const parts = new Map<string, string[]>();
  for (const [name, py] of Object.entries(renamed)) parts.set(py, [...(parts.get(py) ?? [py]), name]);
  const names = new Map<string, string>();
  for (const [py, list] of parts) {
    const byType = new Map<string, string[]>();
    for (const name of list) {
      const t = spec.varTypes.get(name);
      const k = t ? typeToString(t) : '?';
      byType.set(k, [...(byType.get(k) ?? []), name]);
    }
    for (const group of byType.values()) {
      const keep = group.includes(py) ? py : group[0];
      for (const name of group) if (name !== keep) names.set(name, keep);
    }
  }
  renameLocals(spec.ir, names);
  for (const [from, to] of names) {
    const t = spec.varTypes.get(from);
    spec.varTypes.delete(from);
    if (t && !spec.varTypes.has(to)) spec.varTypes.set(to, t);
  }
  if (renamed && !Object.keys(renamed).length) delete spec.ir.renamed;
}

/** Numbers, None, and tuples and unions of them: values the C ABI passes by value. */
/** `str | None` or `bytes | None`: the C ABI's text pointer, NULL for None (lower/abi.ts). */
const isTextOrNone = (t: KType): boolean => t.kind === 'union' && t.members.length === 2 && t.members[1].kind === 'none' && (t.members[0].kind === 'str' || t.members[0].kind === 'bytes');
const numbersOnly = (t: KType): boolean =>
  t.kind === 'scalar' || t.kind === 'none' || (t.kind === 'tuple' && t.items.every(numbersOnly)) || (t.kind === 'union' && t.members.every(numbersOnly));

/** Numbers, complex numbers, and tuples of them: a tuple parameter's items (complex ones are kiln_complex fields). */
const complexOrNumbers = (t: KType): boolean => t.kind === 'complex' || (t.kind === 'tuple' ? t.items.every(complexOrNumbers) : numbersOnly(t));

/** One step of the chain of calls a diagnostic names: the function and where it makes the call (or fails). */
export interface ChainStep { function: string; file: string; line: number; col: number }

/**
 * A KilnError with the chain of calls that reached its function (the last step, with no place yet, is where the
 * diagnostic is), when the chain crosses modules: within one module the function and line say enough.
 */
function withChain(e: unknown, chain: ChainStep[]): unknown {
  if (!(e instanceof KilnError) || e.diagnostic.chain || chain.length < 2) return e;
  const d = e.diagnostic;
  const steps = chain.map((s, i) => (i === chain.length - 1 && !s.line ? { ...s, file: d.file, line: d.line, col: d.col } : s));
  if (new Set(steps.map((s) => s.file)).size < 2) return e;
  return new KilnError({ ...d, chain: steps });
}

/** What the program decides (the project's default and the CLI's flag), else `@compile(boundscheck=False)`, else on. */
function boundscheckOf(links: ProgramLinks, qualified: string): boolean {
  const found = links.functionAt(qualified);
  if (found && links.boundscheck) return links.boundscheck(found.fn);
  return found?.fn.decorator?.options.boundscheck !== false;
}

const pyTypeName = (t: KType): string => (t.kind === 'scalar' ? t.name : typeToString(t));

/**
 * Why an exported function's default does not fit its parameter's annotation, if it does not: Python calls the
 * function with the default as it is (the int 2 for `x: float = 2` computes as an int), which the parameter's C
 * type would not keep; and a list default is one list shared by every call (a mutable default).
 */
function defaultMismatch(v: PyLiteral, t: KType): string | undefined {
  const lit = typeof v === 'object' && v !== null ? v._t : typeof v;
  if (t.kind === 'list' || t.kind === 'array') return 'a mutable default for a list or array parameter (Python shares one object between every call that omits it); compiled code does not keep values between calls';
  if (t.kind === 'tuple') {
    if (lit !== 'tuple' || (v as { items: PyLiteral[] }).items.length !== t.items.length) return `not a tuple of ${t.items.length} items`;
    for (const [i, it] of (v as { items: PyLiteral[] }).items.entries()) {
      const m = defaultMismatch(it, t.items[i]);
      if (m) return `${m} (item ${i})`;
    }
    return undefined;
  }
  if (t.kind === 'str' || t.kind === 'bytes') return `a ${t.kind} default, which the exported packages do not fill in yet (a ${t.kind} parameter of an exported function has no default)`;
  if (t.kind === 'complex') return lit === 'complex' ? undefined : `a ${lit === 'boolean' ? 'bool' : lit} (${pyLiteralText(v)}), but the parameter is annotated complex: Python would compute with the ${lit === 'boolean' ? 'bool' : lit} when the default is used`;
  if (t.kind !== 'scalar') return `not a value of type ${typeToString(t)}`;
  const want = t.name === 'int' ? 'int' : t.name === 'float' ? 'float' : t.name === 'bool' ? 'boolean' : undefined;
  if (!want) return `a Python ${lit === 'boolean' ? 'bool' : lit}, but the parameter is ${typeToString(t)}: Python would compute with the Python number, not a NumPy scalar`;
  if (lit !== want) return `a ${lit === 'boolean' ? 'bool' : lit} (${pyLiteralText(v)}), but the parameter is annotated ${t.name}: Python would compute with the ${lit === 'boolean' ? 'bool' : lit} when the default is used`;
  return undefined;
}

/**
 * The instance type a parameter (or a field: annotatedFieldTypes) annotated with a class of its module has: `Vec`,
 * `'Vec'`, `Vec | None`, `Optional['Vec']` (None is the NULL handle). undefined for any other annotation.
 */
function classAnnotationType(annotation: string, mod: PyModule): KType | undefined {
  const text = annotation.replace(/["']/g, '').trim(); // `'Vec'`, `Optional['Node']`
  const m = /^(?:Optional\[(\w+)\]|(\w+)\s*\|\s*None|None\s*\|\s*(\w+)|(\w+))$/.exec(text);
  const name = m && (m[1] ?? m[2] ?? m[3] ?? m[4]);
  const cls = name && Object.hasOwn(mod.classes ?? {}, name) ? mod.classes![name] : undefined;
  if (!cls || cls.bases.some((b) => /(^|\.)(Enum|IntEnum|StrEnum|Flag|IntFlag)$/.test(b) || isExceptionBase(b))) return undefined;
  const inst: KType = { kind: 'instance', cls: `${moduleNameOf(mod)}.${name}` };
  const optional = joinTypes(inst, T.none);
  return m?.[4] || typeof optional === 'string' ? inst : optional;
}

/** Why a parameter of this type cannot be passed to an exported function, if it cannot. */
function entryParamProblem(t: KType): string | undefined {
  if (t.kind === 'list' && t.item.kind === 'list' && t.item.item.kind !== 'scalar' && t.item.item.kind !== 'complex') return 'lists are passed in or out of compiled code nested at most two deep (list[list[float]]); pass a NumPy array';
  if (t.kind === 'list' && t.item.kind !== 'scalar' && t.item.kind !== 'list' && t.item.kind !== 'str' && t.item.kind !== 'complex') return 'only lists of numbers, and lists of lists of numbers, are passed in or out of compiled code';
  if (t.kind === 'tuple' && !complexOrNumbers(t)) return 'a tuple parameter holds numbers (tuples of arrays or lists are results only)';
  if (t.kind === 'union' && !numbersOnly(t) && !isTextOrNone(t) && !(isNicheOptional(t) && unionMembers(t).some((m) => m.kind === 'instance'))) return `a value that may be ${t.members.map(typeToString).join(' or ')} is passed in as numbers, str or bytes, or None only`;
  return undefined;
}

/** Why a value of this type cannot be returned through the C ABI, if it cannot (lower/abi.ts says how each kind crosses). */
function abiProblem(t: KType): string | undefined {
  const cls = instanceClassOf(t);
  if (cls) return handleProblem(cls, classInfo, true);
  if (t.kind === 'union') {
    if (isTextOrNone(t)) return undefined;
    const bad = t.members.find((m) => !numbersOnly(m));
    return bad ? `a value that may be ${typeToString(bad)} or ${t.members.filter((m) => m !== bad).map(typeToString).join(' or ')} cannot cross the C ABI yet` : undefined;
  }
  // A record (`{"w": matrix, "b": vector}`): its values cross as a tuple's items (lower/abi.ts recordAsTuple).
  if (t.kind === 'record') return t.items.length ? abiProblem(T.tuple(t.items)) : 'an empty dict of no known type cannot cross the C ABI';
  if (t.kind === 'tuple') {
    for (const x of t.items) {
      if (x.kind === 'complex') continue; // kiln_complex fields, the tuple struct's own kr_complex
      if (isArrayDict(x)) return `a dict of arrays crosses the C ABI alone, not inside a tuple yet (return it from its own function)`;
      if (instanceClassOf(x)) return `an instance crosses the C ABI alone (a handle), not inside a tuple yet (return the ${typeToString(x)} and the rest from two functions, or make it a field of a class)`;
      const bad = (x.kind === 'none' || x.kind === 'union') && numbersOnly(x) ? undefined : abiProblem(x);
      if (bad) return bad;
    }
    return undefined;
  }
  if (t.kind === 'list') {
    if (t.item.kind === 'scalar' || t.item.kind === 'none' || t.item.kind === 'complex') return undefined; // complex: kiln_list_complex
    if (t.item.kind === 'list' && (t.item.item.kind === 'scalar' || t.item.item.kind === 'none' || t.item.item.kind === 'complex')) return undefined;
    if (t.item.kind === 'str' || isRowList(t)) return undefined;
    return t.item.kind === 'list' && t.item.item.kind === 'list' ? 'lists nested more than two deep cannot cross the C ABI (return a NumPy array)'
      : `lists of ${typeToString(t.item)} cannot cross the C ABI (return a list of numbers or of str, a list of lists of numbers, or arrays)`;
  }
  if (t.kind === 'scalar' || t.kind === 'array' || t.kind === 'none' || t.kind === 'str' || t.kind === 'bytes') return undefined;
  if (t.kind === 'func' || t.kind === 'builtin' || t.kind === 'funcset') return 'a function is a value of compiled code only (it holds compiled code and its environment)';
  if (t.kind === 'range') return 'a range object cannot cross the C ABI (return list(range(...)))';
  if (t.kind === 'complex') return undefined; // kiln_complex { re, im } by value (docs/design/abi-values.md)
  if (t.kind === 'rng') return 'a random generator lives in compiled code only (pass its seed, and return the numbers drawn)';
  if (isFlatContainer(t) || isArrayDict(t)) return undefined; // a dict of arrays: NEW copies of its arrays (abi-values.md)
  if (t.kind === 'deque') return 'only deques of int, float, bool and str items cross the C ABI (return list(q) of what it holds)';
  if (t.kind === 'dict' || t.kind === 'set') return `${typeToString(t)} does not cross the C ABI yet: only ${t.kind}s of int, float, bool, str, tuple-of-number and frozenset-of-those ${t.kind === 'dict' ? 'keys and int, float, bool, str, list-of-number, list-of-str or dict (of such values) values' : 'items'} do (docs/design/abi-values.md; return the inner values as their own dict, or a list computed from it: sorted(d.items()) as two lists)`;
  return 'it is not a value the caller can use';
}

/**
 * `@compile(ndim={"a": 2})`: the number of dimensions of an NDArray parameter (NDArray does not say); a structure
 * (`ndim={"p": {"w": 2, "b": 1}}`, `ndim={"blocks": [{...}]}`) for weights nested in dicts and lists (weightTreeParam).
 */
function ndimOption(mod: PyModule, fn: string, param: string): number | { spec: PyLiteral } | undefined {
  const opt = mod.functions.find((f) => f.name === fn)?.decorator?.options.ndim;
  if (!opt || typeof opt !== 'object' || !('_t' in opt) || opt._t !== 'dict') return undefined;
  for (const [k, v] of opt.items) {
    if (k !== param) continue;
    return v && typeof v === 'object' && '_t' in v && v._t === 'int' ? Number(v.dec) : { spec: v };
  }
  return undefined;
}

/**
 * An exported parameter given a structure in `ndim=` (annotations.ts weightTreeType): records of arrays of the
 * annotation's one NDArray dtype, and lists of them, as picoGPT's `blocks` and `ln_f` (lower/abi.ts isWeightTree).
 */
function weightTreeParam(p: IRFunction['params'][number], spec: PyLiteral, mod: PyModule, entryIR: IRFunction, fail: (fnName: string, span: Span, construct: string, message: string, hint?: string) => never): KType {
  const hint = `give the arrays' dimensions in the layout of the dict: @compile(ndim={"${p.name}": {"w": 2, "b": 1}}), a list of such dicts as [{...}], and annotate it with the arrays' dtype: dict[str, npt.NDArray[np.float64]] (or list[...] of that)`;
  const dtypes = annotationArrayDtypes(p.annotation ?? '', mod.imports) ?? [];
  // A laid-out tree crosses as one C struct per dtype (lower/c_abi_containers.ts treeHelper): one dtype per layout.
  if (dtypes.length > 1) {
    fail(entryIR.name, p.span, 'parameter type', `'${p.name}' is given a layout in ndim=, and its annotation names arrays of several dtypes (${dtypes.join(', ')}): a layout's arrays have one dtype (arrays of several dtypes in one layout are not compiled)`,
      `annotate the layout with one dtype (dict[str, npt.NDArray[np.${dtypes[dtypes.length - 1]}]]) and pass the arrays of the others as their own parameters (ids: npt.NDArray[np.${dtypes[0]}]), or store them in the layout's dtype and convert where they are used (.astype(np.${dtypes[0]}))`);
  }
  const dtype = dtypes.length === 1 ? dtypes[0] : undefined;
  if (!dtype) fail(entryIR.name, p.span, 'parameter type', `'${p.name}' is given a layout in ndim=, so its annotation must name the one dtype of its arrays (npt.NDArray[np.float64]), not '${p.annotation}'`, hint);
  const t = weightTreeType(spec, dtype!);
  if (typeof t === 'string') fail(entryIR.name, p.span, 'parameter type', `ndim={"${p.name}": ...} holds ${t}`, hint);
  const outer = /^\s*(?:typing\.)?(list|List|dict|Dict)\b/.exec(p.annotation ?? '')?.[1]?.toLowerCase();
  const tt = t as KType;
  if (outer !== (tt.kind === 'list' ? 'list' : 'dict')) fail(entryIR.name, p.span, 'parameter type', `ndim={"${p.name}": ...} describes a ${tt.kind === 'list' ? 'list' : 'dict'}, but '${p.name}' is annotated '${p.annotation}'`, hint);
  return tt;
}

/** What to write instead of an unknown module attribute: the constants of that module, if it has some. */
/** How the registry writes a method's receiver, by the receiver's type: `s.split(...)`, `lst.append(x)`. */
const RECEIVER_PREFIXES: Partial<Record<KType['kind'], string[]>> = {
  str: ['s.', "'...'."], char: ['s.', "'...'."], bytes: ['b.'], list: ['lst.'], array: ['a.'],
  dict: ['d.', 'dict'], set: ['s.add(', 's.discard(', 's.remove(', 's.update(', 'set[T]', 'dict or set'],
};

/** For an unknown op: the names of the ops of its family (`math.*`, `method.*`; the first 24), for a method all
 * those the receiver's type has (a str's methods for `s.maketrans`, not a list's). */
function nearOps(target: string, receiver: KType | undefined): string[] {
  const family = target.split('.')[0];
  const prefixes = family === 'method' && receiver ? RECEIVER_PREFIXES[receiver.kind] : undefined;
  const has = (o: OpEntry) => !prefixes || [o.python, ...o.signatures].some((t) => t.split(' / ').some((x) => prefixes.some((p) => x.startsWith(p))));
  const names = OPS.filter((o) => o.target.split('.')[0] === family && has(o)).map((o) => o.target.split('.').pop()!);
  return prefixes ? names : names.slice(0, 24);
}

function constantsHint(target: string): string {
  const module = target.slice(0, target.lastIndexOf('.'));
  const names = CONSTANTS.filter((c) => c.type.kind !== 'dtype' && c.target.startsWith(`${module}.`)).map((c) => c.target.slice(module.length + 1));
  return names.length ? `${module} constants: ${names.join(', ')}` : 'use a number, or pass the value in';
}

/**
 * Two types one variable may hold in Python that Kiln keeps in one C variable: a list whose item type is
 * learnt later (`[]`), a Python float/int that becomes a NumPy float64/int64 by arithmetic with array
 * items (`total = 0.0; total += a[i]`; the NumPy type wins: its C type is the same), and different functions
 * (a funcset, called through a table: types.ts unifyFunctionTypes).
 */
function unifyTypes(prev: KType, t: KType): KType | undefined {
  const functions = unifyFunctionTypes(prev, t);
  if (functions) return functions;
  if (prev.kind === 'tuple' && t.kind === 'tuple' && prev.items.length === t.items.length) {
    // (a, b) on one path, ([], []) on another: item by item.
    const items = prev.items.map((p, i) => (sameType(p, t.items[i]) ? p : unifyTypes(p, t.items[i])));
    return items.every(Boolean) ? T.tuple(items as KType[]) : undefined;
  }
  // A fixed tuple of T items (or `()`) meeting a tuple[T, ...] (`return ()` beside `return tuple(xs)`): a tuple[T, ...]
  // (lower/c.ts valueAs makes the fixed one's list).
  const fixedInto = (a: KType, b: KType) => a.kind === 'tuple' && isVarTuple(b) && b.item.kind !== 'none' && a.items.every((x) => sameType(escaped(x), b.item));
  if (fixedInto(prev, t)) return t;
  if (fixedInto(t, prev)) return prev;
  // An empty dict or set (`{}`, `set()`, a `list[?]` value) takes the types of the one it meets.
  const part = (a: KType, b: KType): KType | undefined => (a.kind === 'none' ? b : b.kind === 'none' || sameType(a, b) ? a : unifyTypes(a, b));
  if (prev.kind === 'dict' && t.kind === 'dict') {
    const k = part(prev.key, t.key), v = part(prev.value, t.value);
    return k && v ? T.dict(k, v) : undefined;
  }
  if (prev.kind === 'set' && t.kind === 'set') {
    // `acc = frozenset()` meeting `acc | frozenset(xs)`: a frozenset where both are (a set and a frozenset: a set).
    const i = part(prev.item, t.item);
    return i ? (prev.frozen && t.frozen ? { kind: 'set', item: i, frozen: true } : T.set(i)) : undefined;
  }
  if (prev.kind === 'deque' && t.kind === 'deque') {
    const i = part(prev.item, t.item);
    return i ? T.deque(i) : undefined;
  }
  if (prev.kind === 'list' && t.kind === 'list') {
    if (!prev.tuple !== !t.tuple) return undefined; // a list and a tuple[T, ...]
    if (t.item.kind === 'none') return prev;
    if (prev.item.kind === 'none') return t;
    const inner = unifyTypes(prev.item, t.item);
    return inner ? { ...prev, item: inner } : undefined;
  }
  // A dict or set that may be None (`d: dict[str, int] | None = None`, then `d = {}`): its container part unifies.
  const opt = (a: KType, b: KType): KType | undefined => {
    if (a.kind !== 'union' || !isNicheOptional(a) || !['dict', 'set'].includes(b.kind)) return undefined;
    const obj = withoutMembers(a, T.none)!;
    const u = sameType(obj, b) ? obj : unifyTypes(obj, b);
    return u ? (joinTypes(u, T.none) as KType) : undefined;
  };
  const optional = opt(prev, t) ?? opt(t, prev);
  if (optional) return optional;
  // A character and a str: the variable holds a str (the character becomes one where it is assigned).
  if ((prev.kind === 'char' && t.kind === 'str') || (prev.kind === 'str' && t.kind === 'char')) return T.str;
  const pair = [typeToString(prev), typeToString(t)].sort().join(' ');
  if (pair === 'float np.float64') return T.np('float64');
  if (pair === 'int np.int64') return T.np('int64');
  if (pair === 'complex np.complex128') return T.np('complex128');
  return undefined;
}

/** An empty list, dict or set whose item (key, value) types are not known yet (`[]`, `{}`, `set()`). */
const typesUnknown = (t: KType): boolean => (t.kind === 'list' && t.item.kind === 'none') || isUnrefined(t);

/** A dict or set whose key or item type is not known yet (nothing stored in it so far). */
const unknownContainer = (t: KType) => (t.kind === 'dict' && t.key.kind === 'none') || ((t.kind === 'set' || t.kind === 'deque') && t.item.kind === 'none');

/**
 * How much a container that nothing stores into may learn from reads, once the stores have taught all they can:
 * 0 nothing, 1 its lookups (`k in d`, `d.get(k, x)`: the key's type, the default's), 2 also int for what is still
 * unknown (`len(d)` alone). Such a container stays empty, so any types give CPython's results.
 */
type ReadLearning = 0 | 1 | 2;

/** The type a dict or set (argument 0) has once an op stores into it (its refinesContainer fact), when that teaches it more. */
function refineContainer(op: OpEntry, args: KType[], reads: ReadLearning = 0): KType | undefined {
  const [c] = args;
  if (!c || !isUnrefined(c)) return undefined;
  const look = op.facts.lookupTeaches;
  if (reads && (look || op.facts.takesUnrefined) && (c.kind === 'dict' || c.kind === 'set')) {
    const known = (t: KType | undefined) => (t && t.kind !== 'none' && !isUnrefined(t) ? escaped(t) : undefined);
    const fill = (t: KType, from: KType | undefined) => (t.kind !== 'none' ? t : from ?? (reads === 2 ? T.int : t));
    const learnt = c.kind === 'dict'
      ? T.dict(fill(c.key, look ? known(args[look.key]) : undefined), fill(c.value, look?.value !== undefined ? known(args[look.value]) : undefined))
      : T.set(fill(c.item, look ? known(args[look.key]) : undefined));
    return sameType(learnt, c) ? undefined : learnt;
  }
  const r = op.facts.refinesContainer;
  if (!r) return undefined;
  let learnt: KType | undefined;
  // A negative value index counts from the end; the arguments between key and value are a tuple key (`d[i, j] = v`).
  const vi = r.value !== undefined && r.value < 0 ? args.length + r.value : r.value;
  const key = r.key !== undefined && vi !== undefined && vi - r.key > 1 ? T.tuple(args.slice(r.key, vi).map(escaped))
    : r.key !== undefined ? args[r.key] : undefined;
  if (c.kind === 'dict' && key && vi !== undefined && args[vi]) {
    // A display of None values (`parent = {start: None}`) then `parent[v] = u`: values of int | None.
    const v = escaped(args[vi]), u = c.noneValues && v.kind !== 'none' ? unionOf([v, T.none]) : v;
    learnt = T.dict(escaped(key), typeof u === 'string' ? v : u);
  }
  // A lookup teaches the key only (`d[k].append(v)`, `d[k] += 1` on a defaultdict): the arguments after the dict.
  if (c.kind === 'dict' && r.key !== undefined && r.value === undefined && args.length > r.key) {
    learnt = T.dict(escaped(args.length - r.key > 1 ? T.tuple(args.slice(r.key).map(escaped)) : args[r.key]), c.value);
  }
  if ((c.kind === 'set' || c.kind === 'deque') && r.item !== undefined && args[r.item]) learnt = c.kind === 'set' ? T.set(escaped(args[r.item])) : T.deque(escaped(args[r.item]));
  const u = learnt && unifyTypes(c, learnt);
  return u && !sameType(u, c) ? u : undefined;
}

/** Whether a type is or holds a NumPy array (in a dict, list, set, deque or tuple). */
function holdsArray(t: KType): boolean {
  if (t.kind === 'array') return true;
  if (t.kind === 'dict') return holdsArray(t.key) || holdsArray(t.value);
  if (t.kind === 'list' || t.kind === 'set' || t.kind === 'deque') return holdsArray(t.item);
  return t.kind === 'tuple' && t.items.some(holdsArray);
}

/**
 * The argument of an op with the meetsContainer fact that is an empty set or dict (nothing stored in it) and the type
 * it takes from the typed container (or container's key) it meets; a set stays a set and a frozenset a frozenset.
 */
function metContainer(op: OpEntry, args: KType[]): { index: number; type: KType } | undefined {
  const how = op.facts.meetsContainer;
  const [a, b] = args;
  if (!how || !a || !b) return undefined;
  const learn = (empty: KType, from: KType): KType | undefined => {
    if (!isUnrefined(empty) || isUnrefined(from) || empty.kind !== from.kind) return undefined;
    if (empty.kind === 'set' && from.kind === 'set') return empty.frozen ? { kind: 'set', item: from.item, frozen: true } : T.set(from.item);
    return empty.kind === 'dict' ? from : undefined;
  };
  const peer = how === 'same' ? a : a.kind === 'dict' ? a.key : a.kind === 'set' ? a.item : undefined;
  const first = peer && learn(b, peer);
  if (first) return { index: 1, type: first };
  const zero = how === 'same' ? learn(a, b) : undefined;
  return zero ? { index: 0, type: zero } : undefined;
}

/** The classes whose instances a dict, set or deque type reachable from `t` holds (keys, items, values). */
function containerInstances(t: KType | undefined, out: Set<string>): void {
  if (!t) return;
  const held = (x: KType): void => {
    if (x.kind === 'instance') out.add(x.cls);
    else if (x.kind === 'tuple') x.items.forEach(held); // a tuple key's items: the tuple kind calls theirs
    else containerInstances(x, out);
  };
  if (t.kind === 'dict') [t.key, t.value].forEach(held);
  else if (t.kind === 'set' || t.kind === 'deque') held(t.item);
  else if (t.kind === 'tuple') t.items.forEach((x) => containerInstances(x, out));
  else if (t.kind === 'list' || t.kind === 'iter') containerInstances(t.kind === 'list' ? t.item : t.of, out);
}

/** The Python type name of a value that cannot be hashed (a list, dict, set, array, or a tuple holding one), else undefined. */
function unhashableName(t: KType | undefined): string | undefined {
  if (!t) return undefined;
  if (t.kind === 'list' || t.kind === 'dict' || t.kind === 'set') return t.kind;
  if (t.kind === 'array') return 'numpy.ndarray';
  if (t.kind === 'tuple') return t.items.map(unhashableName).find(Boolean);
  return undefined;
}

/** The refined type of an empty list (`[]`) that an op puts a first item into (its refinesList fact), or undefined. */
/** `xs.append(b)` where xs holds instances of a class that b's is not derived from: a list of their common base. */
function widenInstanceList(classes: ClassTable, op: OpEntry, args: KType[]): KType | undefined {
  const refines = op.facts.refinesList;
  const [l] = args;
  const v = refines && refines.as === 'item' ? args[refines.arg] : undefined;
  if (!l || l.kind !== 'list' || l.item.kind !== 'instance' || v?.kind !== 'instance' || v.cls === l.item.cls) return undefined;
  const a = classes.get(l.item.cls), b = classes.get(v.cls);
  const base = a && b ? classes.commonBase(a, b) : undefined;
  return base && base !== a ? T.list({ kind: 'instance', cls: base.qualified }) : undefined;
}

/**
 * `xs.append(v)` of an `int | float` where xs was learnt as a list of one member (a first round saw only the empty
 * sum's 0, or `xs = [1, 2]`): a list of the union, for a local variable only (its assignments then build lists of
 * the union, or are refused: see scalarUnionListJoin); a parameter's or a field's list is the caller's object as it is.
 */
function widenToUnionList(op: OpEntry, args: KType[]): KType | undefined {
  const refines = op.facts.refinesList;
  const [l] = args;
  const v = refines && refines.as === 'item' ? args[refines.arg] : undefined;
  return l?.kind === 'list' && v && isScalarUnion(v) && l.item.kind === 'scalar' && v.members.some((m) => sameType(m, l.item)) ? T.list(v) : undefined;
}

function refineEmptyList(op: OpEntry, args: KType[]): KType | undefined {
  const refines = op.facts.refinesList;
  const [l] = args;
  if (!refines || !l || l.kind !== 'list' || l.item.kind !== 'none') return undefined;
  const v = args[refines.arg];
  if (refines.as === 'item' && v && v.kind !== 'none') return T.list(escaped(v)); // a character goes in as a str
  if (refines.as === 'list' && v && v.kind === 'list' && v.item.kind !== 'none') return v;
  return undefined;
}

/** Operators whose bool result is np.bool_ when an operand is (np.True_ + False is np.True_). */
/** The tracer's `x op= y` nodes typecheck made the plain operator (`x += y` of a float is `x + y`): CPython's TypeError names `+=`. */
const augmentedNodes = new WeakSet<IRNode>();
/** The containers whose item `c[i] op= v` updates in place when it is an array (the store back is of the same object). */
const HOLDERS = new Set(['dict', 'list', 'record']);

/** Ops other than operators whose NumPy-typed result is NumPy's when an argument is (abs(np.float64(-1.0)) is np.float64). */
const NUMPY_KEEPING = new Set(['builtins.abs', 'builtins.pow', 'builtins.round', 'attr.real', 'attr.imag', 'method.conjugate']);
const NP_BOOL_KEEPING = new Set(['_operator.add', '_operator.mul', '_operator.and_', '_operator.or_', '_operator.xor', '_operator.invert']);
/** NumPy functions and array methods that return Python's bool. */
const PY_BOOL_RESULTS = new Set(['numpy.array_equal', 'numpy.array_equiv', 'numpy.allclose', 'numpy.iscomplexobj', 'numpy.isrealobj', 'numpy.isscalar',
  'numpy.can_cast', 'numpy.issubdtype', 'numpy.shares_memory', 'numpy.may_share_memory']);
