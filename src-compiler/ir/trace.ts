/**
 * The tracer: one Python function's AST (from the frontend, as JSON) becomes Kiln IR, and so does every def and
 * lambda nested in it (each its own IR function, its closure's environment as extra parameters: ir/scopes.ts).
 * Tracing never runs user code and knows nothing of types; an unsupported construct is a Diagnostic that names
 * the construct, its place and what to do instead, and tracing goes on with the next statement, so a function
 * reports all its problems at once.
 */
import path from 'node:path';
import type { PyClass, PyFunction, PyModule, PyNode, PyParam, PyStarParam } from '../frontend/ast.ts';
import { KilnError, type Diagnostic } from '../diagnostics.ts';
import { lookupConstant, lookupOp } from '../types/ops/index.ts';
import { EXCEPTION_MESSAGE, EXCEPTION_ROOT, isExceptionBase } from '../types/classes.ts';

/** What CPython's traceback prints for an exception whose `__str__` raises (traceback.py's `_safe_string`). */
const STR_FAILED = '<exception str() failed>';
import { EXCEPTION_KINDS, isCatchableClass, isExceptionKind, kindsCaughtBy } from '../lower/abi.ts';
import { IR_VERSION, type Arg, type ConstValue, type IRFunction, type IRNode, type IRParam, type IRRegion, type Span, type TraceAgain } from './ir.ts';
import { analyzeScopes, moduleLambdaScope, type Scope } from './scopes.ts';
import { iterableClass, overridingClasses, resolveMethod } from './protocols.ts';
import { frameProblem } from './generator_frames.ts';
import { boundAtTopOnly, enumerateOrZipFunction, genexpFunction, generatorLocals, generatorStateMachine, inlineProblem, isGeneratorFunction, builtinIteratorFunction, iterFunction, generatorParamProblem, onlyConsumed, quietExpression, readByNext, returnsValue, singleUseProblem, unquietBeforeRead, yieldSeeingConsumerErrors, yieldUsedAsValue, type MachineNames } from './generators.ts';
import { moduleNameOf as moduleName, oneModuleScope, type Binding, type NameScope } from '../project/scope.ts';
import { cacheSpecOf, isCompiledStdlib, stdlibVariant, type CacheSpec } from '../project/compiled_stdlib.ts';

/** The methods a class defines that `+ - * / // % & | ^`, comparisons, `not`/`and`/`or`, `-x` and f-strings call. */
const QUIET_OPERATOR_METHODS = /^__(r|i)?(add|sub|mul|truediv|floordiv|mod|and|or|xor)__$|^__(eq|ne|lt|le|gt|ge|contains|hash|neg|pos|bool|len|str|repr|format)__$/;

const BIN_OPS: Record<string, string> = {
  Add: 'add', Sub: 'sub', Mult: 'mul', Div: 'truediv', FloorDiv: 'floordiv', Mod: 'mod', Pow: 'pow',
  LShift: 'lshift', RShift: 'rshift', BitOr: 'or_', BitXor: 'xor', BitAnd: 'and_', MatMult: 'matmul',
};
const UNARY_OPS: Record<string, string> = { USub: 'neg', UAdd: 'pos', Invert: 'invert', Not: 'not_' };
const CMP_OPS: Record<string, string> = {
  Eq: 'eq', NotEq: 'ne', Lt: 'lt', LtE: 'le', Gt: 'gt', GtE: 'ge', Is: 'is_', IsNot: 'is_not', In: 'contains', NotIn: 'not_in',
};

/** Builtins the tracer resolves by name; whether a call is supported is the op registry's call. */
const BUILTINS = new Set([
  'abs', 'min', 'max', 'int', 'float', 'bool', 'round', 'divmod', 'pow', 'range', 'len', 'sum', 'print',
  'isinstance', 'type', 'str', 'list', 'dict', 'set', 'frozenset', 'tuple', 'sorted', 'reversed', 'enumerate', 'zip',
  'map', 'filter', 'any', 'all', 'hash', 'id', 'input', 'open', 'repr', 'chr', 'ord', 'hex', 'bin', 'oct', 'iter', 'next',
  'ascii', 'format', 'bytes', 'complex',
]);

/** The constant argument of an empty `Counter()` (types/ops/dicts.ts): not a str a program could count. */
export const COUNTER_MARK = '\u0000Counter';
export const ORDERED_MARK = '\u0000OrderedDict';

/** Builtins that return a one-shot iterator: compiled where they are consumed (a for loop, a comprehension, list(), sum(), ...). */
const ITERATOR_BUILTINS = new Set(['builtins.zip', 'builtins.enumerate', 'builtins.map', 'builtins.filter', 'builtins.reversed']);
/** The compiled standard functions whose results are one-shot iterators in CPython, and CPython's type of each. */
const ONE_SHOT_ITERATORS = new Map([
  ...['accumulate', 'chain', 'chain.from_iterable', 'combinations', 'combinations_with_replacement', 'dropwhile', 'groupby', 'islice', 'pairwise',
    'permutations', 'product', 'starmap', 'takewhile', 'zip_longest'].map((f) => [`itertools.${f}`, `itertools.${f.replace('.from_iterable', '')}`] as const),
  ['heapq.merge', 'generator'],
]);
const ONE_SHOT_TYPES = new Set([...ONE_SHOT_ITERATORS.values(), 'reversed']);
/** CPython's types of the items of a groupby() (the groups) and of tee()'s iterators. */
const GROUP_TYPE = 'itertools._grouper';
const TEE_TYPE = 'itertools._tee';
const article = (type: string) => (/^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`);
/** The calls that read an iterable argument once, from its start (argument index, number of positional arguments). */
const ONE_SHOT_CONSUMERS = new Map<string, (i: number, n: number) => boolean>([
  ...['list', 'tuple', 'set', 'frozenset', 'sorted', 'sum', 'any', 'all', 'dict', 'enumerate'].map((f) => [`builtins.${f}`, (i: number) => i === 0] as const),
  ...['min', 'max'].map((f) => [`builtins.${f}`, (i: number, n: number) => i === 0 && n === 1] as const),
  ['builtins.zip', () => true], ['builtins.map', (i) => i >= 1], ['builtins.filter', (i) => i === 1], ['functools.reduce', (i) => i === 1],
  ['itertools.cycle', (i) => i === 0], ['itertools.tee', (i) => i === 0],
]);
/** The in-place set operators (their dunder names' middle), whose right side is a generator only for dict |= (kiln.inplace_generator). */
const SET_INPLACE: Record<string, string> = { BitOr: 'or', BitAnd: 'and', Sub: 'sub', BitXor: 'xor' };
/** A method that stores a generator's items one by one as CPython does, and the op that stores one (libraryCall). */
const PER_ITEM: Record<string, string> = { 'method.extend': 'method.append', 'method.update': 'kiln.update_item' };
/** Builtins that consume an iterable argument at once: a dict, its view or a set is read into a list for them. */
const CONSUMERS = new Set(['sum', 'min', 'max', 'sorted', 'list', 'tuple', 'set', 'frozenset', 'any', 'all', 'len'].map((b) => `builtins.${b}`));

/** Constructs outside the subset, with what to do instead. */
export const UNSUPPORTED: Record<string, [construct: string, hint: string]> = {
  ClassDef: ['class definition', 'define classes outside the compiled function; pass their numeric fields as arguments'],
  AsyncFunctionDef: ['async function', 'use a plain def'],
  TryStar: ['try/except*', 'keep this function in Python'],
  AsyncWith: ['async with', 'keep this function in Python'],
  AsyncFor: ['async for', 'keep this function in Python'],
  Await: ['await', 'keep this function in Python'],
  Yield: ['yield (generator)', 'compile the function that consumes the generator (for x in gen(...), sum(gen(...)), list(gen(...))): the generator is inlined there'],
  YieldFrom: ['yield from (generator)', 'compile the function that consumes the generator (for x in gen(...), sum(gen(...)), list(gen(...))): the generator is inlined there'],
  Import: ['import inside a function', 'import at module level'],
  ImportFrom: ['import inside a function', 'import at module level'],
  Delete: ['del statement', 'let the variable go out of scope (del d[k] removes a dict item)'],
};

/** The attribute names a module assigns through `x.attr = ...`: in any function, and in methods only. Computed once per module. */
/** A base class that makes an enum (types/ops/enums.ts compiles Enum and IntEnum of the class's own module). */
const ENUM_BASE = /(^|\.)(Enum|IntEnum|StrEnum|Flag|IntFlag)$/;

const storedAttributeMemo = new WeakMap<PyModule, { anywhere: Set<string>; inMethods: Set<string> }>();
function storedAttributes(mod: PyModule): { anywhere: Set<string>; inMethods: Set<string> } {
  let memo = storedAttributeMemo.get(mod);
  if (memo) return memo;
  memo = { anywhere: new Set(), inMethods: new Set() };
  const walk = (node: unknown, out: Set<string>[]): void => {
    if (Array.isArray(node)) {
      for (const x of node) walk(x, out);
    } else if (node && typeof node === 'object') {
      const n = node as PyNode;
      if (n._t === 'Attribute' && n.ctx?._t === 'Store') for (const set of out) set.add(n.attr);
      for (const v of Object.values(n)) if (v && typeof v === 'object') walk(v, out);
    }
  };
  for (const f of mod.functions) walk(f.body ?? [], f.methodOf ? [memo.anywhere, memo.inMethods] : [memo.anywhere]);
  storedAttributeMemo.set(mod, memo);
  return memo;
}

/**
 * A module-level function as IR. Functions nested in it are traced too: traceWithNested returns them. `names`
 * answers for names defined outside the function (the project's module graph: other modules' functions and
 * values); by default the module's own names only.
 */
export function traceFunction(mod: PyModule, name: string, names: NameScope = oneModuleScope(mod)): IRFunction {
  return traceWithNested(mod, name, names)[0];
}

const FIRST_TRACE: TraceAgain = { containers: new Set(), lengths: new Set() };

/** A module-level function and every def and lambda nested in it (and module-level lambdas it uses), as IR. */
export function traceWithNested(mod: PyModule, name: string, names: NameScope = oneModuleScope(mod), again: TraceAgain = FIRST_TRACE): IRFunction[] {
  const fn = mod.functions.find((f) => f.name === name);
  if (!fn) {
    throw new KilnError({
      severity: 'error', file: mod.file, line: 0, col: 0, construct: 'function',
      message: `no function named '${name}' at module level`,
      hint: `functions here: ${mod.functions.map((f) => f.name).join(', ') || '(none)'}`,
    });
  }
  const problems: Diagnostic[] = [];
  const out: IRFunction[] = [];
  let scope: Scope;
  try {
    const analysed = analyzeScopes(fn);
    scope = analysed.scope;
    for (const p of analysed.problems) {
      problems.push({ severity: 'error', file: mod.file, line: p.span.line, col: p.span.col, endLine: p.span.endLine, endCol: p.span.endCol, construct: 'closure', message: p.message, hint: p.hint, function: fn.name });
    }
  } catch (e) {
    if (e instanceof KilnError) throw e;
    throw e;
  }
  // A decorator Kiln does not compile would be silently skipped: refused, unless it keeps the function's results (functools' caches).
  let cache: CacheSpec | undefined;
  for (const d of fn.otherDecorators ?? []) {
    const c = cacheSpecOf(d, mod.imports);
    if (c && 'error' in c) {
      problems.push({ severity: 'error', file: mod.file, line: fn.span.line, col: fn.span.col, construct: 'decorator', function: fn.name, message: c.error, hint: 'write @functools.lru_cache(maxsize=128), @functools.lru_cache(maxsize=None) or @functools.cache' });
    }
    if (c) {
      if (!('error' in c)) cache = c;
      continue;
    }
    problems.push({
      severity: 'error', file: mod.file, line: fn.span.line, col: fn.span.col, construct: 'decorator', function: fn.name,
      message: `the decorator @${d} on ${fn.name}() is outside the compiled subset (the compiled call would run ${fn.name} undecorated)`,
      hint: 'call the decorated behaviour explicitly; @functools.cache and @functools.lru_cache(...) are compiled',
    });
  }
  const src: FnSource = {
    id: fn.name, qualname: fn.qualname ?? fn.name, span: fn.span, params: fn.params, vararg: fn.vararg, kwarg: fn.kwarg, body: fn.body ?? [],
    returns: fn.returns, isAsync: fn.isAsync, module: true, defaultsSeeParams: fn.defaultsSeeParams,
  };
  const ir = new Tracer(mod, src, scope, problems, out, names, again).trace();
  if (problems.length) throw new KilnError(problems);
  if (cache && cache.maxsize !== 0) ir.cache = cache;
  return [ir, ...out];
}

/** A function to trace: a module-level def, a def nested in a function, or a lambda. */
interface FnSource {
  id: string;
  qualname: string;
  span: Span;
  params: PyParam[];
  vararg: PyStarParam | null;
  kwarg: PyStarParam | null;
  body: PyNode[];
  returns: string | null;
  isAsync: boolean;
  /** A module-level def (its defaults are module-level constant expressions, traced into its IR). */
  module: boolean;
  /** PyFunction.defaultsSeeParams: its defaults are traced in its own scope. */
  defaultsSeeParams?: boolean;
}

/** The parameters of a nested def or lambda, from its `arguments` node. */
function paramsOfAst(args: PyNode, fnSpan: Span): { params: PyParam[]; vararg: PyStarParam | null; kwarg: PyStarParam | null } {
  const positional: PyNode[] = [...args.posonlyargs, ...args.args];
  const defaults: (PyNode | null)[] = [...Array(positional.length - args.defaults.length).fill(null), ...args.defaults];
  const param = (a: PyNode, kind: PyParam['kind'], d: PyNode | null): PyParam => ({
    // The annotation's text types what an empty `set()` or `{}` argument holds (typecheck annotatedEmptyArgs), as a module-level def's does.
    name: a.arg, kind, annotation: annotationText(a.annotation) ?? null, annotationAst: null, span: a.span ?? fnSpan,
    ...(d ? { hasDefault: true, defaultAst: d, defaultSpan: d.span, defaultText: '' } : {}),
  });
  const params = [
    ...positional.map((a, i) => param(a, i < args.posonlyargs.length ? 'posonly' : 'normal', defaults[i])),
    ...args.kwonlyargs.map((a: PyNode, i: number) => param(a, 'kwonly', args.kw_defaults[i] ?? null)),
  ];
  const star = (a: PyNode | null): PyStarParam | null => (a ? { name: a.arg, annotation: null, span: a.span ?? fnSpan } : null);
  return { params, vararg: star(args.vararg), kwarg: star(args.kwarg) };
}

/** The env parameter that holds a nested def's default for `param`. */
const defaultEnvName = (param: string) => `kiln_default_${param}`;

/**
 * An iteration plan: what `for x in <iterable>` reads, built from the iterable's syntax (zip, enumerate,
 * reversed, map and filter nest). Sequences in `bases` are iterated in lockstep by one index (the shortest
 * wins, as zip); `produce` emits, inside the loop body, the item for the index and passes it on (a filter
 * passes it on only when its test holds).
 */
interface Plan {
  /** `iterable`: the key of the expression a plain loop iterates (IRNode.iterable), for the item reads of its base. */
  bases: { value: Arg; reversed: boolean; iterable?: string }[];
  filtered: boolean;
  produce(cx: PlanContext, k: (item: Arg) => void): void;
}
/**
 * A producer whose items run the consumer's body in place (an inlined generator, a generator expression fused into
 * its consumer): its flags and the consumer's body that each `yield` (each item) runs.
 */
interface YieldTarget {
  /** Set when the generator must stop (its `return`, or a `break` of the consumer); `brk` only by the consumer's break (for-else). */
  stop: string;
  brk?: string;
  /** How many exits set `stop` (the frame loop is needed), and leave a yield's consumer body early (its one-shot loop is needed). */
  stops: number;
  oneShot: number;
  atYield: (item: Arg) => void;
  /** Runs in the generator's body after the consumer's body at each yield, before the generator resumes. */
  afterYield?: () => void;
  /** The consumer's naming context, restored while its body runs at a yield. */
  outer: OwnerContext;
}
/** An inlined generator call (ir/generators.ts). */
interface GenFrame extends YieldTarget {
  fn: PyFunction;
}
/** A generator call to inline: the def, the call, and its arguments when they were evaluated already (a deferred generator). */
interface GenCall {
  fn: PyFunction;
  call: PyNode;
  /** The module the def is in: this one, or a compiled standard module (kiln_stdlib/itertools.py). */
  mod: PyModule;
  values?: Map<string, Arg | Deferred>;
  /** Not ended for good (zip(), enumerate()): a run that makes no item starts it over, see Machine.repoll. */
  repoll?: boolean;
}
/**
 * A generator made before it is read: a call, or a generator expression whose first iterable is held
 * (heldGeneratorExpression); or, bound to a parameter of a generator that reads it item by item (next(), iter(), a
 * loop inside a loop: machineArg), a generator object of this function (a state machine) the generator's body reads.
 */
type Deferred = { kind: 'call'; gen: GenCall } | { kind: 'genexp'; node: PyNode; owner: OwnerContext } | { kind: 'machine'; m: Machine };
/** A generator object read item by item: its locals (renamed), the state machine's names, the loop that runs it. */
interface Machine {
  fn: PyFunction;
  /**
   * A generator expression's (machineArg): the names of the place that made it, where its body reads every name but
   * its own variables (the function's locals as they are when an item is made, as CPython's closure reads them).
   */
  owner?: OwnerContext;
  /** The module its body's globals are read in (a compiled standard module's for takewhile(...)). */
  mod: PyModule;
  renames: Map<string, string>;
  names: MachineNames;
  dispatcher: PyNode;
  containers: ContainerLocals;
  /** It has `x = yield v`: each resume sets x to what send() gave, None for next() and loops. */
  receives: boolean;
  /**
   * CPython's zip_next and enumerate_next ask their iterators again at every call, also after one was exhausted
   * (zip(gen(), xs) read again after xs ended runs gen once more): a run that makes no item sets the state back to
   * the start, the loop over the first iterable (the generator function has nothing before it).
   */
  repoll?: boolean;
  /**
   * It has `return v`: the C class descriptor that marks the StopIteration its end raises, and the local that keeps
   * the value it was raised with (e.value reads it; names.ret is cleared by the next run).
   */
  stop?: { descriptor: string; raised: string };
}
interface OwnerContext {
  /** The module whose globals the names read: a compiled standard module's inside its inlined generator. */
  mod: PyModule;
  renames: Map<string, string>;
  frame: GenFrame | undefined;
  containers: ContainerLocals;
  loopDepth: number;
  /** Inside another module's code traced in place: the place in this function that reads it (see foreignUse). */
  foreignUse?: Span;
}
interface PlanContext {
  index: Arg;
  /** Item `i` of base `b` (reversed bases count from their own end), asked for first (ask). */
  item(b: number): Arg;
  /**
   * Asks base `b` for item `i` where CPython's iterator would be asked for its next item: a loop that reads the
   * lengths at every step ends there when the base has none (liveLoop). A plan that makes its items without reading
   * its base's (count(), repeat(), cycle()) asks it.
   */
  ask(b: number): void;
}

class Tracer {
  private readonly used = new Set<string>();
  private readonly locals = new Set<string>();
  /** Locals some `:=` assigns: a read of one is copied where Python loads it (`x + (x := 5)` adds the old x). */
  private readonly walrusTargets = new Set<string>();
  private readonly callees = new Set<string>();
  /** Classes of other modules of the project that this function names (classOf), with their modules. */
  private readonly classHomes = new Map<PyClass, { mod: PyModule; module: string }>();
  /** The modules each module imports classes from (isFieldName), resolved once. */
  private readonly classModules = new Map<PyModule, PyModule[]>();
  private region: IRNode[] = [];
  private loopDepth = 0;
  /** The module whose names are being read: the function's, or another's while its module-level value is traced. */
  private mod: PyModule;
  private moduleName: string;
  private readonly constantsInProgress = new Set<string>();
  /** While > 0, names resolve at module level (a module constant's expression, a module function's default). */
  private moduleScope = 0;
  /** Names of a module-level comprehension's variables -> the locals that hold them. */
  private renames = new Map<string, string>();
  /** Captured variables this closure shares by reference (its env parameters hold cells). */
  private readonly cellFree = new Set<string>();
  /** This function's env parameters: captured variables, then the defaults of a nested def. */
  private readonly envParams: string[] = [];

  /** Locals that hold a dict or a set, or a list (see containerLocals): `for x in name` iterates a dict or set as a container. */
  private containers: ContainerLocals = new Map();
  /** While another module's value is traced in place: the place that reads it (its nodes' lines are of another file). */
  private foreignUse?: Span;
  /** The inlined generator whose body is being traced, or undefined in this function's own body. */
  private frame?: GenFrame;
  /** What `break` and `continue` leave, innermost last: a loop, or the consumer's body at an inlined generator's `yield`. */
  private readonly breakTargets: ('loop' | YieldTarget)[] = [];
  /** Generator calls being inlined, outermost first (a recursive generator is refused). */
  private readonly inlining: PyNode[] = [];
  /** Locals that hold a generator made earlier, inlined where the local is read (deferGenerator). */
  private readonly deferred = new Map<string, Deferred>();
  /** Locals made for an inlined generator's variables -> their Python names (UnboundLocalError's message). */
  private readonly pythonNames = new Map<string, string>();
  /**
   * The variables of this function that hold a one-shot iterator (an itertools result, map(), zip(), ...) read item
   * by item: more than once, in a loop, or by next() (checkOneShots). Each is a generator object (a state machine),
   * so a second pass finds it exhausted, or where the first one stopped, as CPython's.
   */
  private readonly iteratorVars = new Set<string>();
  /** Tuples yielded with a generator in them (the compiled groupby's (key, group)): the generator's place (yieldWithGenerator). */
  private readonly yieldedGenerators = new Map<string, { at: number; gen: Deferred; items: Arg[] }>();
  /** The names `a, b = tee(xs)` unpacks tee()'s iterators into (storeTeeCopy). */
  private readonly teeCopies = new Set<string>();
  /** Generator objects made for loops inside generator objects (KilnMachineBind): bounds a recursion among them. */
  private machinesInside = 0;
  /** Locals that hold a generator object read with next() (makeMachine). */
  private readonly machines = new Map<string, Machine>();

  /**
   * Arguments consumedArg passed as they are to a builtin that reads them at once (`sum(x)`): the iterable's key,
   * which call() puts on the node taking one as its argument 0 (IRNode.iterable).
   */
  private readonly consumedAsIs = new WeakMap<Arg, string>();

  /**
   * `scope`: the function's own names (closures); `names`: names outside it (the module graph); `again`: what typing
   * found in an earlier trace (TraceAgain).
   */
  constructor(
    private readonly home: PyModule, private readonly src: FnSource, private readonly scope: Scope, private readonly problems: Diagnostic[],
    private readonly out: IRFunction[], private readonly names: NameScope, private readonly again: TraceAgain,
  ) {
    this.mod = home;
    this.moduleName = moduleName(home);
  }

  trace(): IRFunction {
    const src = this.src;
    // Walrus targets: a read of one is a copy, so a later := in the same expression cannot change an earlier read.
    for (const t of walrusTargetsOf(src.body)) this.walrusTargets.add(t);
    for (const t of exceptNamesOf(src.body)) this.excNames.add(t);
    this.exitArgsOf(src);
    this.report(() => this.checkOneShots(src.body));
    const nodes: IRNode[] = [];
    this.region = nodes;
    if (src.isAsync) this.report(() => this.fail(src.span, 'async function', 'async functions cannot be compiled', 'use a plain def'));
    const named = src.params;
    const stars = [src.vararg, src.kwarg].filter(Boolean) as PyStarParam[];
    for (const p of [...named, ...stars]) this.locals.add(p.name);
    for (const l of this.scope.locals) this.locals.add(l);
    // A nested function's environment: captured variables (cells for those shared by reference), then its defaults.
    if (!src.module) {
      for (const v of this.scope.free) {
        this.envParams.push(v);
        if (this.scope.modes.get(v) === 'cell') this.cellFree.add(v);
      }
      for (const p of named) if (p.hasDefault) this.envParams.push(defaultEnvName(p.name));
    }
    for (const v of this.envParams) this.locals.add(v);
    for (const l of this.locals) this.used.add(l);
    this.containers = containerLocals(src);

    const params: IRParam[] = [];
    for (const p of named) {
      // __exit__'s exception arguments hold what the with statement passes (exitArgsOf), whatever their annotation says.
      const param: IRParam = { name: p.name, annotation: this.exitArgs.has(p.name) ? null : p.annotation, span: p.span, ...(p.kind !== 'normal' ? { kind: p.kind } : {}) };
      if (p.hasDefault) {
        if (src.module) {
          const dnodes: IRNode[] = [];
          let value: Arg = { const: { kind: 'none' } };
          const trace = () => this.expr(p.defaultAst!);
          this.report(() => this.inRegion(dnodes, () => { value = src.defaultsSeeParams ? trace() : this.atModuleLevel(trace); }));
          param.default = { nodes: dnodes, value, span: p.defaultSpan ?? p.span, text: p.defaultText ?? '' };
          if (p.defaultValue !== undefined) param.defaultValue = p.defaultValue;
          else if (p.defaultProblem) param.defaultProblem = p.defaultProblem;
        } else {
          param.default = { env: defaultEnvName(p.name), span: p.defaultSpan ?? p.span, text: p.defaultText ?? '' };
        }
      }
      params.push(param);
    }
    if (src.vararg) params.push({ name: src.vararg.name, annotation: src.vararg.annotation, span: src.vararg.span, kind: 'vararg' });
    if (src.kwarg) params.push({ name: src.kwarg.name, annotation: src.kwarg.annotation, span: src.kwarg.span, kind: 'kwarg' });
    for (const v of this.envParams) params.push({ name: v, annotation: null, span: src.span, kind: 'env' });
    for (const p of params) nodes.push({ op: 'input', name: p.name, target: p.name, args: [], span: p.span });

    const body = src.body;
    this.block(body);
    if (!alwaysExits(body)) {
      // Falling off the end returns None, as in Python.
      const end = src.span;
      this.emit({ op: 'output', name: this.fresh('output', false), target: 'output', args: [], span: { line: end.endLine, col: end.endCol, endLine: end.endLine, endCol: end.endCol } });
    }
    return {
      version: IR_VERSION,
      file: this.mod.file,
      module: this.moduleName,
      name: src.id,
      qualifiedName: `${this.moduleName}.${src.id}`,
      span: src.span,
      params,
      ...(src.qualname !== src.id ? { qualname: src.qualname } : {}),
      returnAnnotation: src.returns,
      locals: [...this.locals],
      nodes,
      callees: [...this.callees],
      ...(this.pythonNames.size ? { pythonNames: Object.fromEntries(this.pythonNames) } : {}),
    };
  }

  // ---- helpers ---------------------------------------------------------------------------------

  private fail(span: Span | undefined, construct: string, message: string, hint?: string): never {
    // In another module's code traced in place, the error is placed at the call here and names the other file's line.
    const s = this.foreignUse ?? span ?? this.src.span;
    const where = this.foreignUse && span && this.mod !== this.home ? ` (in ${path.basename(this.mod.file)}, line ${span.line})` : '';
    throw new KilnError({
      severity: 'error', file: this.home.file, line: s.line, col: s.col, endLine: s.endLine, endCol: s.endCol,
      construct, message: `${message}${where}`, hint, function: this.src.qualname,
    });
  }

  /** Runs `fn`; a KilnError it throws is recorded as a problem of this function and tracing goes on. */
  private report(fn: () => void) {
    try {
      fn();
    } catch (e) {
      if (!(e instanceof KilnError)) throw e;
      this.problems.push(...e.diagnostics);
    }
  }

  /** A unique node name: `mul` becomes `mul_result`, then `mul_result_1`, ... */
  private fresh(base: string, suffix = true): string {
    const stem = suffix ? `${base.replace(/_+$/, '')}_result` : base;
    let name = stem;
    for (let i = 1; this.used.has(name); i++) name = `${stem}_${i}`;
    this.used.add(name);
    return name;
  }

  private emit(node: IRNode): IRNode {
    if (this.foreignUse) node.span = this.foreignUse;
    this.region.push(node);
    return node;
  }

  private inRegion(nodes: IRNode[], fn: () => void): IRNode[] {
    const saved = this.region;
    this.region = nodes;
    try {
      fn();
    } finally {
      this.region = saved;
    }
    return nodes;
  }

  private atModuleLevel<R>(fn: () => R): R {
    this.moduleScope++;
    try {
      return fn();
    } finally {
      this.moduleScope--;
    }
  }

  private call(target: string, args: Arg[], span: Span, base?: string, shape?: IRNode['call']): Arg {
    const name = this.fresh(base ?? target.split('.').pop()!);
    const node: IRNode = { op: 'call_function', name, target, args, span };
    if (shape && (shape.keywords?.length || shape.starred?.length || shape.kwstarred?.length)) node.call = shape;
    const iterable = args.length ? this.consumedAsIs.get(args[0]) : undefined;
    if (iterable) node.iterable = iterable;
    this.emit(node);
    return { ref: name };
  }

  /**
   * The key of an iterable expression (IRNode.iterable): its file and span, which a later trace of the function
   * finds in `again.containers` (a file: code of another module traced in place has its own spans).
   */
  private iterableKey(it: PyNode): string | undefined {
    return it.span && this.spanKey(it.span);
  }

  /** A place's key: its file and span (TraceAgain). */
  private spanKey(s: Span): string {
    return `${this.mod.file}:${s.line}:${s.col}:${s.endLine}:${s.endCol}`;
  }

  private assign(variable: string, value: Arg, span: Span) {
    this.emit({ op: 'assign', name: variable, target: variable, args: [value], span });
  }

  /** A synthetic local for short-circuit and conditional expressions. */
  private synthetic(base: string, suffix = true): string {
    const name = this.fresh(base, suffix);
    this.locals.add(name);
    return name;
  }

  private ifNode(cond: Arg, span: Span, thenFn: () => void, elseFn?: () => void) {
    const thenNodes = this.inRegion([], thenFn);
    const elseNodes = this.inRegion([], () => elseFn?.());
    this.emit({ op: 'if', name: this.fresh('if', false), target: 'if', args: [cond], span, regions: [{ name: 'then', nodes: thenNodes }, { name: 'else', nodes: elseNodes }] });
  }

  // ---- statements ------------------------------------------------------------------------------

  private block(stmts: PyNode[]) {
    stmts.forEach((s, i) => {
      if (i === 0 && s._t === 'Expr' && s.value._t === 'Constant' && typeof s.value.value === 'string') return; // docstring
      this.report(() => this.stmt(s));
    });
  }

  private stmt(s: PyNode) {
    const span = s.span!;
    switch (s._t) {
      case 'Expr': {
        if (s.value._t === 'Constant') return; // a bare literal (e.g. a string used as a comment)
        if (s.value._t === 'Yield') return this.yieldStmt(s.value.value, span);
        if (s.value._t === 'YieldFrom') return this.yieldFrom(s.value.value, span);
        this.expr(s.value);
        return;
      }
      case 'Pass':
      case 'Global': // module names: the scope analysis resolves them (reads), store() refuses writes
      case 'Nonlocal': // the enclosing function's variable: a cell of this closure (ir/scopes.ts)
        return;
      case 'FunctionDef': {
        if (s.decorator_list.length) this.fail(span, 'decorated nested function', 'a decorator on a nested function is outside the compiled subset', 'call the decorated behaviour explicitly');
        const value = this.closure(s, span);
        this.store({ _t: 'Name', id: s.name, span }, value, span);
        return;
      }
      case 'KilnMachineBind': { // a state machine's loop over a generator call: a generator object of it, made once (see makeMachine)
        if (this.machineOf(s.target) === undefined && ++this.machinesInside > 32) this.fail(span, 'recursive generator', 'a generator read item by item makes generator objects of generators inside itself without end', 'walk with an explicit stack (a list of pending items) in one generator');
        const gen = this.generatorCall(s.value);
        if (!gen) throw new Error('internal: KilnMachineBind without a generator call');
        this.makeMachine(s.target, gen, span);
        return;
      }
      case 'Assign': {
        if (s.targets.length === 1 && this.lazyTee(s.targets[0], s.value, span)) return;
        if (s.targets.length === 1 && this.deferGenerator(s.targets[0], s.value, span)) return;
        if (s.targets.length === 1 && this.deferGenerators(s.targets[0], s.value, span)) return;
        const value = this.expr(this.sliceSource(s));
        for (const t of s.targets) this.store(t, value, span, s.value);
        return;
      }
      case 'AnnAssign': {
        if (!s.value) return;
        const value = this.expr(s.value);
        if (s.target._t === 'Name') {
          // The annotation goes with the assignment: a dict or set annotation types an empty container (`seen: set[int] = set()`).
          this.assign(s.target.id, value, span);
          const text = annotationText(s.annotation);
          const node = this.region[this.region.length - 1];
          if (text && node?.op === 'assign' && node.target === s.target.id) node.annotation = text;
          return;
        }
        this.store(s.target, value, span, s.value);
        // `self.seen: set[str] = set()`: the annotation types the empty container the field is given.
        const stored = this.region[this.region.length - 1];
        const text = annotationText(s.annotation);
        if (text && s.target._t === 'Attribute' && stored?.op === 'call_function' && stored.target === 'kiln.setattr') stored.annotation = text;
        return;
      }
      case 'AugAssign': {
        // `xs += gen` is list.extend (`d[k] += gen`, `self.xs += gen` too): each item is appended as the generator makes
        // it, so the generator sees the list grow; then the same list is stored back, as CPython's __iadd__ result.
        const perItem = s.op._t === 'Add' && this.notInstance(s.target, '__iadd__', '__add__') ? this.generatorSource(s.value) : undefined;
        const extendBy = (current: Arg) => perItem!((item) => this.call('kiln.iadd_item', [current, item], span, 'iadd'));
        if (s.target._t === 'Subscript') {
          // a[i] += v: the container and the index are evaluated once.
          const container = this.expr(s.target.value);
          const index = this.indexArgs(s.target.slice);
          const current = this.call('_operator.getitem', [container, ...index], span, 'getitem');
          if (perItem) {
            extendBy(current);
            this.emit({ op: 'call_function', name: this.fresh('setitem'), target: '_operator.setitem', args: [container, ...index, current], span });
            return;
          }
          const value = this.expr(s.value);
          const op = BIN_OPS[s.op._t];
          // The in-place operator, as for a name: typecheck keeps it only for an array held by a dict, list or record
          // (`params["w"] -= lr * g` updates the array every holder sees, as NumPy's __isub__) and then drops the
          // store of the same object back (augStore); everywhere else the plain operator and the store.
          const result = this.fresh(op);
          this.emit({ op: 'call_function', name: result, target: `_operator.i${op.replace(/_$/, '')}`, args: [current, value], span, augItem: true });
          this.emit({ op: 'call_function', name: this.fresh('setitem'), target: '_operator.setitem', args: [container, ...index, { ref: result }], span, augStore: true });
          return;
        }
        if (s.target._t === 'Attribute' && !this.resolveName(s.target)) {
          // obj.x += v: the object is evaluated once.
          const obj = this.expr(s.target.value);
          const attr: Arg = { const: { kind: 'str', value: s.target.attr } };
          const current = this.call('kiln.getattr', [obj, attr], span, s.target.attr);
          if (perItem) extendBy(current);
          const value = perItem ? undefined : this.expr(s.value);
          const op = BIN_OPS[s.op._t];
          const result = value ? this.call(`_operator.i${op.replace(/_$/, '')}`, [current, value], span, op) : current;
          this.emit({ op: 'call_function', name: this.fresh('setattr'), target: 'kiln.setattr', args: [obj, attr, result], span });
          return;
        }
        if (s.target._t !== 'Name') this.unsupportedTarget(s.target);
        const current = this.expr(s.target);
        if (perItem) {
          extendBy(current);
          this.store(s.target, current, span);
          return;
        }
        const gen = s.value._t === 'GeneratorExp' || this.isGenerator(s.value);
        const setOp = SET_INPLACE[s.op._t];
        if (gen && setOp && this.notInstance(s.target, `__i${setOp}__`, `__${setOp}__`)) {
          // `d |= gen` is dict.update, one pair at a time; the receiver decides first (kiln.inplace_generator: a set's
          // |= &= -= ^= and a Counter's |= do not take a generator, and nothing else's &= -= ^= does).
          this.call('kiln.inplace_generator', [current, { const: { kind: 'str', value: setOp } }], span, 'inplace');
          if (setOp === 'or') this.generatorSource(s.value)!((item) => this.call('kiln.update_item', [current, item], span, 'ior'));
          this.store(s.target, current, span);
          return;
        }
        const op = BIN_OPS[s.op._t];
        this.generatorMethodArgs([`__i${op.replace(/_$/, '')}__`, `__${op.replace(/_$/, '')}__`], [s.value]);
        const value = this.expr(s.value);
        // `x op= y` is traced as the in-place operator (`_operator.iadd`, `_operator.imul`, ...): a list or an
        // array is updated in place, as Python and NumPy do; typecheck makes it the plain operator otherwise.
        const result = this.call(`_operator.i${op.replace(/_$/, '')}`, [current, value], span, op);
        this.store(s.target, result, span);
        return;
      }
      case 'If': {
        const cond = this.condition(s.test);
        const thenNodes = this.inRegion([], () => this.block(s.body));
        const elseNodes = this.inRegion([], () => this.block(s.orelse));
        this.emit({ op: 'if', name: this.fresh('if', false), target: 'if', args: [cond], span, regions: [{ name: 'then', nodes: thenNodes }, { name: 'else', nodes: elseNodes }] });
        return;
      }
      case 'For':
        return this.inGeneratorLoop(span, () => this.forLoop(s));
      case 'While':
        return this.inGeneratorLoop(span, () => this.whileLoop(s));
      case 'Break':
      case 'Continue': {
        const op = s._t === 'Break' ? 'break' : 'continue';
        if (!this.loopDepth) this.fail(span, op, `'${op}' outside loop`);
        if (this.finallyLoops.length && this.finallyLoops[this.finallyLoops.length - 1] === this.loopDepth) this.refuseInFinally(span, op);
        return op === 'break' ? this.breakStmt(span) : this.continueStmt(span);
      }
      case 'Return': {
        if (this.finallyLoops.length) this.refuseInFinally(span, 'return');
        const args = s.value ? [this.expr(s.value)] : [];
        if (this.frame) return this.returnFromGenerator(span);
        this.emit({ op: 'output', name: this.fresh('output', false), target: 'output', args, span });
        return;
      }
      default:
        return this.otherStmt(s);
    }
  }

  private whileLoop(s: PyNode) {
    const span = s.span!;
    let cond: Arg = { const: { kind: 'bool', value: true } };
    const test = this.inRegion([], () => {
      cond = this.condition(s.test);
    });
    this.loopDepth++;
    const body = this.inRegion([], () => this.loopBody(() => this.block(s.body)));
    this.loopDepth--;
    const orelse = this.inRegion([], () => this.block(s.orelse));
    this.emit({ op: 'while', name: this.fresh('while', false), target: 'while', args: [cond], span, regions: [{ name: 'test', nodes: test }, { name: 'body', nodes: body }, { name: 'orelse', nodes: orelse }] });
  }

  private otherStmt(s: PyNode) {
    const span = s.span!;
    switch (s._t) {
      case 'Raise':
        return this.raise(s);
      case 'Try':
        return this.tryStmt(s);
      case 'With':
        return this.withStmt(s, 0);
      case 'Match':
        return this.matchStmt(s);
      case 'Delete': {
        for (const t of s.targets) {
          if (t._t !== 'Subscript') this.fail(t.span, UNSUPPORTED.Delete[0], `del of a ${t._t === 'Name' ? 'variable' : t._t} is outside the compiled subset`, UNSUPPORTED.Delete[1]);
          const container = this.expr(t.value);
          const index = this.indexArgs(t.slice);
          this.emit({ op: 'call_function', name: this.fresh('delitem'), target: '_operator.delitem', args: [container, ...index], span });
        }
        return;
      }
      case 'Assert': {
        const cond = this.condition(s.test);
        const args: Arg[] = [cond];
        if (s.msg) args.push({ const: { kind: 'str', value: this.stringLiteral(s.msg, 'assert message') } });
        this.emit({ op: 'assert', name: this.fresh('assert', false), target: 'AssertionError', args, span });
        return;
      }
      default: {
        const known = UNSUPPORTED[s._t];
        if (known) this.fail(span, known[0], `${known[0]} is outside the compiled subset`, known[1]);
        this.fail(span, s._t, `the statement ${s._t} is outside the compiled subset`);
      }
    }
  }

  private unsupportedTarget(t: PyNode): never {
    if (t._t === 'Attribute') this.fail(t.span, 'attribute assignment', 'assignment to an attribute is outside the compiled subset', 'keep objects in Python and pass numbers in');
    if (t._t === 'Starred') this.fail(t.span, 'starred assignment', 'a starred name is allowed once, inside a tuple or list of names (first, *rest = xs)', 'unpack into a fixed number of names');
    this.fail(t.span, t._t, `cannot assign to ${t._t}`);
  }

  /** Stores `value` into an assignment target: a name, an item, or a tuple/list of targets (unpacking). */
  private store(t: PyNode, value: Arg, span: Span, valueNode?: PyNode) {
    if (this.storeWithGenerator(t, value, span)) return;
    if (t._t === 'Name') {
      const id: string = t.id;
      const renamed = this.renames.get(id);
      if (renamed) {
        this.assign(renamed, value, span);
        return;
      }
      if (this.scope.globals.has(id)) {
        this.fail(t.span ?? span, 'global assignment', `assigning the module-level variable '${id}' (declared global) is outside the compiled subset: compiled code does not change module state, which every caller and thread shares`, 'return the new value and let the Python caller store it');
      }
      if (this.cellFree.has(id)) {
        // `nonlocal x; x = v`: the enclosing function's variable, through the closure's cell.
        this.call('kiln.cell_set', [{ ref: id }, value], span, 'cell_set');
        return;
      }
      this.assign(id, value, span);
      return;
    }
    if (t._t === 'Subscript') {
      const container = this.expr(t.value);
      const index = this.indexArgs(t.slice);
      this.emit({ op: 'call_function', name: this.fresh('setitem'), target: '_operator.setitem', args: [container, ...index, value], span });
      return;
    }
    if (t._t === 'Attribute' && !this.resolveName(t)) {
      // `obj.x = v`: a field of an instance of a compiled class (types/classes.ts).
      const obj = this.expr(t.value);
      this.emit({ op: 'call_function', name: this.fresh('setattr'), target: 'kiln.setattr', args: [obj, { const: { kind: 'str', value: t.attr } }, value], span });
      return;
    }
    if (t._t === 'Tuple' || t._t === 'List') {
      const starAt = t.elts.findIndex((e: PyNode) => e._t === 'Starred');
      if (starAt >= 0) return this.storeStarred(t, starAt, value, span);
      // `a, b = b, a + b`: the right side was evaluated in full before any name is stored.
      const made = 'ref' in value ? this.findNode(value.ref) : undefined;
      const literal = valueNode && (valueNode._t === 'Tuple' || valueNode._t === 'List') && valueNode.elts.length === t.elts.length;
      if (made && made.target === 'kiln.make_tuple' && made.args.length === t.elts.length && (literal || !valueNode)) {
        // Assign straight from the items unless an item reads a name being assigned (a, b = b, a).
        const targets = new Set(t.elts.filter((e: PyNode) => e._t === 'Name').map((e: PyNode) => e.id));
        const simple = t.elts.every((e: PyNode) => e._t === 'Name' || (!valueNode && (e._t === 'Tuple' || e._t === 'List')));
        if (simple && !made.args.some((a) => 'ref' in a && targets.has(a.ref))) {
          t.elts.forEach((elt: PyNode, i: number) => this.store(elt, made.args[i], span));
          return;
        }
      }
      // The length is a static fact of a tuple's type (typecheck rejects a mismatch); a list's is checked at run time.
      this.emit({ op: 'call_function', name: this.fresh('unpack'), target: 'kiln.check_unpack', args: [value, { const: { kind: 'int', value: String(t.elts.length) } }], span });
      t.elts.forEach((elt: PyNode, i: number) => {
        const item = this.call('_operator.getitem', [value, { const: { kind: 'int', value: String(i) } }], span, 'getitem');
        this.store(elt, item, span);
      });
      return;
    }
    this.unsupportedTarget(t);
  }

  /** `first, *rest = xs`, `a, *mid, b = t`: the starred name gets a list of the items between. */
  private storeStarred(t: PyNode, starAt: number, value: Arg, span: Span) {
    if (t.elts.filter((e: PyNode) => e._t === 'Starred').length > 1) this.fail(t.span, 'starred assignment', 'multiple starred expressions in assignment', 'use one starred name');
    const before = starAt;
    const after = t.elts.length - starAt - 1;
    const I = (v: number): Arg => ({ const: { kind: 'int', value: String(v) } });
    this.emit({ op: 'call_function', name: this.fresh('unpack'), target: 'kiln.check_unpack_star', args: [value, I(before), I(after)], span });
    const items: [PyNode, Arg][] = [];
    t.elts.forEach((elt: PyNode, i: number) => {
      if (i === starAt) items.push([elt.value, this.call('kiln.unpack_rest', [value, I(before), I(after)], span, 'rest')]);
      else items.push([elt, this.call('_operator.getitem', [value, I(i < starAt ? i : i - t.elts.length)], span, 'getitem')]);
    });
    for (const [elt, item] of items) this.store(elt, item, span);
  }

  private findNode(name: string): IRNode | undefined {
    for (let i = this.region.length - 1; i >= 0; i--) if (this.region[i].name === name) return this.region[i];
    return undefined;
  }

  // ---- loops and iteration ---------------------------------------------------------------------

  private forLoop(s: PyNode) {
    const span = s.span!;
    const it = s.iter;
    const callee = it._t === 'Call' ? this.resolveName(it.func) : undefined;
    const over = this.containerIterable(it);
    if (over) return this.forContainer(s, over);
    if (callee !== 'builtins.range') return this.forSequence(s);
    const args = this.rangeArgs(it);
    if (s.target._t !== 'Name' || (!this.frame && (this.cellFree.has(s.target.id) || this.scope.globals.has(s.target.id)))) {
      // `for a, b in range(...)` fails in Python (an int does not unpack); a cell or global target goes through store().
      return this.forSequence(s);
    }
    this.loopDepth++;
    const body = this.inRegion([], () => this.loopBody(() => this.block(s.body)));
    this.loopDepth--;
    const orelse = this.inRegion([], () => this.block(s.orelse));
    this.emit({ op: 'for_range', name: this.fresh('for', false), target: this.renames.get(s.target.id) ?? s.target.id, args, span, regions: [{ name: 'body', nodes: body }, { name: 'orelse', nodes: orelse }] });
  }

  /** range()'s arguments as (start, stop, step). */
  private rangeArgs(it: PyNode): Arg[] {
    if (it.keywords.length) this.fail(it.span, 'range()', 'TypeError: range() takes no keyword arguments');
    if (it.args.length < 1 || it.args.length > 3) this.fail(it.span, 'range()', `TypeError: range expected ${it.args.length ? 'at most 3 arguments' : 'at least 1 argument'}, got ${it.args.length}`);
    if (it.args.some((a: PyNode) => a._t === 'Starred')) this.fail(it.span, 'range()', 'starred arguments to range() are outside the compiled subset', 'pass start, stop and step');
    let args = it.args.map((a: PyNode) => this.expr(a));
    if (args.length === 1) args = [{ const: { kind: 'int', value: '0' } }, args[0]];
    if (args.length === 2) args.push({ const: { kind: 'int', value: '1' } });
    return args;
  }

  /** The syntactic iterator a node is (zip(...), map(...), ...), if it is one. */
  private iteratorCall(n: PyNode): string | undefined {
    if (n._t !== 'Call') return undefined;
    const callee = this.resolveName(n.func);
    return callee && (ITERATOR_BUILTINS.has(callee) || this.isInfiniteIterator(callee)) ? callee : undefined;
  }

  /**
   * CPython's type of the one-shot iterator a call of the compiled itertools makes (`pairwise(xs)`:
   * 'itertools.pairwise'), if `n` is one. Kiln compiles it as the list of its items, or as a generator inlined where
   * it is read (accumulate, takewhile, starmap, islice, groupby: kiln_stdlib/itertools.py).
   */
  private oneShotCall(n: PyNode): string | undefined {
    if (n?._t !== 'Call') return undefined;
    const callee = this.resolveName(n.func);
    // reversed(xs) as a value is a list too (its op); CPython's type depends on xs' (list_reverseiterator for a list).
    if (callee === 'builtins.reversed') return 'reversed';
    const type = callee && ONE_SHOT_ITERATORS.get(callee);
    return type && this.isStdlibCall(callee) ? type : undefined;
  }

  /** Whether `callee` (a canonical dotted name) is a function of the compiled standard modules, not of a project's own. */
  private isStdlibCall(callee: string): boolean {
    const home = this.names.resolve(callee.split('.')[0]);
    return home.kind === 'module' && isCompiledStdlib(home.file);
  }

  /** CPython's type of a builtin iterator a call makes that a variable can hold (map, filter, zip, enumerate). */
  private storedBuiltinIterator(n: PyNode): string | undefined {
    const callee = n?._t === 'Call' ? this.resolveName(n.func) : undefined;
    return callee && ['builtins.map', 'builtins.filter', 'builtins.zip', 'builtins.enumerate'].includes(callee) ? callee.slice('builtins.'.length) : undefined;
  }

  /**
   * `it = <one-shot iterator>` where `it` is read item by item (iteratorVars): a generator object. A lazy itertools
   * result is its generator's state machine; map() and filter() of a sequence are generators calling f when CPython
   * does; the others (a combinatoric itertools list, zip(), enumerate(), reversed() of sequences: nothing to call)
   * are their items' list read by an iter() machine.
   */
  private iteratorMachine(target: PyNode, value: PyNode, span: Span): boolean {
    if (this.frame || target._t !== 'Name' || !this.iteratorVars.has(target.id)) return false;
    const gen = this.generatorCall(value, target.id);
    if (gen) {
      this.makeMachine(target, gen, span);
      return true;
    }
    const type = this.oneShotCall(value) ?? this.storedBuiltinIterator(value);
    if (!type) return false;
    const args: PyNode[] = value.args;
    // map(), filter(), zip(), enumerate() over sequences, generators, generator objects, count(), repeat(), cycle().
    const mapped = args.some((a) => a._t === 'Starred' || (this.iteratorCall(a) && !this.endlessCall(a))) ? undefined : this.mapCall(value);
    if (mapped) {
      this.makeMachine(target, mapped, span);
      return true;
    }
    if (args.some((a) => a._t === 'Starred' || this.isGenerator(a) || this.iteratorCall(a))) {
      this.fail(span, type, `${article(type)} object over a generator or another iterator, read item by item ('${target.id}' read more than once, in a loop or by next()), is outside the compiled subset`, `make a list first: ${target.id} = list(...), or read it once`);
    }
    const items = type === 'zip' || type === 'enumerate' || type === 'map' || type === 'filter' ? this.materialize(value) : this.expr(value);
    this.makeMachine(target, { fn: iterFunction(value.span), call: value, mod: this.mod, values: new Map([['seq', items]]) }, span);
    return true;
  }

  /**
   * `map(f, it)` / `filter(f, it)` (`filter(None, it)`) as a call of a generator function (builtinIteratorFunction),
   * its arguments evaluated now, where CPython makes the map object: a generator object of it calls f on an item
   * when CPython's map_next does. A generator as `it` is deferred, a generator object of its own once the map is one.
   */
  private mapCall(value: PyNode): GenCall | undefined {
    const type = this.storedBuiltinIterator(value);
    const args: PyNode[] = value.args;
    if ((type === 'zip' || type === 'enumerate') && args.length && !args.some((a) => a._t === 'Starred')) return this.zipCall(value, type);
    if ((type !== 'map' && type !== 'filter') || args.length !== 2 || value.keywords.length || args.some((a) => a._t === 'Starred')) return undefined;
    const kind = type === 'filter' && args[0]._t === 'Constant' && args[0].value === null ? 'truth' : type;
    const values = new Map<string, Arg | Deferred>();
    if (kind !== 'truth') values.set('function', this.expr(args[0]));
    values.set('seq', this.machineOf(args[1]) ? { kind: 'machine', m: this.machineOf(args[1])! } : this.deferredValue(args[1]) ?? this.expr(args[1]));
    return { fn: builtinIteratorFunction(kind, value.span), call: value, mod: this.mod, values };
  }

  /**
   * `zip(...)` / `enumerate(it[, start])` with a generator (call, expression, object, map() or filter() of one)
   * among its iterables, as a call of a generator function (enumerateOrZipFunction) whose every iterable is a
   * generator object made now, in argument order (a sequence an iter() of it), so that groupby() or another reader
   * of item by item runs the generators when CPython's zip_next and enumerate_next read them. Undefined otherwise.
   */
  private zipCall(value: PyNode, type: 'zip' | 'enumerate'): GenCall | undefined {
    const args: PyNode[] = value.args;
    const lazy = (a: PyNode) => this.isGenerator(a) || !!this.endlessCall(a) || (['map', 'filter'].includes(this.storedBuiltinIterator(a) ?? '') && a.args.length === 2 && this.isGenerator(a.args[1]));
    if (type === 'enumerate' ? !lazy(args[0]) || args.length > 2 || value.keywords.some((k: PyNode) => k.arg !== 'start') : !args.some(lazy) || value.keywords.length) return undefined;
    const span = value.span!;
    const values = new Map<string, Arg | Deferred>();
    args.forEach((a, k) => {
      if (type === 'enumerate' && k === 1) return;
      const m = this.machineOf(a);
      const mapped = m ? undefined : this.mapCall(a);
      const d: Deferred | undefined = m ? { kind: 'machine', m } : mapped ? { kind: 'call', gen: mapped } : this.deferredValue(a);
      values.set(`seq${k}`, d ?? { kind: 'call', gen: { fn: iterFunction(a.span), call: a, mod: this.mod, values: new Map([['seq', this.expr(a)]]) } });
    });
    if (type === 'enumerate') {
      const start = args[1] ?? value.keywords.find((k: PyNode) => k.arg === 'start')?.value;
      values.set('start', start ? this.expr(start) : { const: { kind: 'int', value: '0' } });
    }
    return { fn: enumerateOrZipFunction(type === 'zip' ? args.length : 'enumerate', span), call: value, mod: this.mod, values, repoll: true };
  }

  /**
   * `a, b = tee(it)` over a generator, map(), filter(), count(), repeat(), cycle() or a generator object, or zip()/enumerate() with one among
   * their iterables (zipCall): each copy is a generator object of
   * itertools._tee_copy over one generator object of `it` and one list of the items not all copies have read, so `it` runs when
   * CPython's copies read it, in any interleaving (zip(a, b), zip(a, islice(b, 1, None))). Over a sequence: tee__n.
   */
  private lazyTee(target: PyNode, value: PyNode, span: Span): boolean {
    if (this.frame || !this.isTeeCall(value) || (target._t !== 'Tuple' && target._t !== 'List') || !target.elts.every((e: PyNode) => e._t === 'Name')) return false;
    const src: PyNode | undefined = value.args[0];
    const endless = src && src._t !== 'Starred' && !!this.endlessCall(src);
    if (!src || src._t === 'Starred' || !(this.isGenerator(src) || endless || ['map', 'filter', 'zip', 'enumerate'].includes(this.storedBuiltinIterator(src) ?? ''))) return false;
    const variant = stdlibVariant('itertools.tee', value);
    if (!variant || !('target' in variant) || target.elts.length !== Number(variant.target.replace(/^.*__/, ''))) return false;
    // zip()/enumerate() of sequences only: tee__n over their items (mapCall makes nothing for them).
    const mapped = this.mapCall(src);
    if (!mapped && !this.isGenerator(src) && !endless) return false;
    const it = this.machineOf(src) ?? this.machineArg(mapped ? { kind: 'call', gen: mapped } : this.deferredValue(src)!, 'tee', span);
    const items = this.synthetic('tee_items');
    this.assign(items, this.call('kiln.make_list', [], span, 'list'), span);
    const copy = this.names.resolve('itertools._tee_copy');
    if (copy.kind !== 'function') throw new Error('internal: itertools._tee_copy is missing');
    // at[0]: the items dropped from buf's front; at[k]: the items copy k has read (all read ones are dropped).
    const zero: PyNode = { _t: 'Constant', value: { _t: 'int', dec: '0' }, span };
    const at = this.synthetic('tee_at');
    this.assign(at, this.expr({ _t: 'List', elts: [zero, ...target.elts.map(() => zero)], ctx: { _t: 'Load' }, span }), span);
    target.elts.forEach((e: PyNode, k: number) => this.makeMachine(e, {
      fn: copy.fn, call: value, mod: copy.mod,
      values: new Map<string, Arg | Deferred>([['it', { kind: 'machine', m: it }], ['buf', { ref: items }], ['at', { ref: at }], ['k', { const: { kind: 'int', value: String(k + 1) } }]]),
    }, span));
    return true;
  }

  /** A call of the compiled itertools.tee: a tuple of one-shot iterators. */
  private isTeeCall(n: PyNode): boolean {
    return n?._t === 'Call' && this.resolveName(n.func) === 'itertools.tee' && this.isStdlibCall('itertools.tee');
  }

  /**
   * The results of the compiled itertools are lists in C (or generators read whole into one where a function takes
   * them as an argument), so only the uses that read a one-shot iterator once,
   * from its start, compile: the iterable of a for loop or a comprehension, an argument of a consumer (list(),
   * sum(), sorted(), zip(), another itertools function, ...), or a variable assigned from the call and read once
   * that way, outside any loop the assignment is not in. Anything else is refused with CPython's message where
   * CPython raises one unconditionally (len(), an index, an attribute), else as a use outside the compiled subset:
   * a second pass over the variable (empty in CPython), a loop over it, printing it, passing it to a function.
   */
  private checkOneShots(body: PyNode[]) {
    type Use = { node: PyNode; parent?: PyNode; key: string; index: number; loops: PyNode[]; nested: boolean };
    const calls: Use[] = [];
    const loads: Use[] = [];
    const tees: Use[] = [];
    const bound = new Map<string, { type: string; loops: PyNode[] }[]>();
    // The loops (a for statement, or a comprehension's clause) that unpack a groupby()'s items, and their group's name.
    const groupLoops: { loop: PyNode; name: string }[] = [];
    const isGroupBy = (it: PyNode) => !!it && (this.oneShotCall(it) === 'itertools.groupby' || (it._t === 'Name' && bound.get(it.id)?.[0].type === 'itertools.groupby'));
    let nestedNow = false;
    const groupTarget = (loop: PyNode, t: PyNode, it: PyNode) => {
      if (!nestedNow && isGroupBy(it) && t?._t === 'Tuple' && t.elts.length === 2 && t.elts[1]._t === 'Name') groupLoops.push({ loop, name: t.elts[1].id });
    };
    const visit = (n: any, parent: PyNode | undefined, key: string, index: number, loops: PyNode[], nested: boolean): void => {
      if (Array.isArray(n)) return n.forEach((x, i) => visit(x, parent, key, i, loops, nested));
      if (!n || typeof n !== 'object' || !n._t) return;
      nestedNow = nested;
      const use: Use = { node: n, parent, key, index, loops, nested };
      if (n._t === 'Name') return void (n.ctx?._t !== 'Store' && n.ctx?._t !== 'Del' && loads.push(use));
      if (!nested && this.oneShotCall(n)) calls.push(use);
      if (!nested && this.isTeeCall(n)) tees.push(use);
      const kids = (k: string, inner: PyNode[]) => visit(n[k], n, k, -1, inner, nested);
      const target = (t: any): void => {
        // A store: a name is written; a subscript's or attribute's object is read (p[0] = x).
        if (!t || typeof t !== 'object') return;
        if (t._t === 'Tuple' || t._t === 'List') return t.elts.forEach(target);
        if (t._t === 'Starred') return target(t.value);
        if (t._t !== 'Name') visit(t, n, 'target', -1, loops, nested);
      };
      switch (n._t) {
        case 'FunctionDef': case 'AsyncFunctionDef': case 'Lambda': case 'ClassDef':
          // Traced on their own; a read of this function's variable there is a read from a closure.
          for (const [k, v] of Object.entries(n)) if (k !== 'span' && k !== '_t') visit(v, n, k, -1, loops, true);
          return;
        case 'For': case 'AsyncFor':
          target(n.target);
          groupTarget(n, n.target, n.iter);
          kids('iter', loops);
          kids('body', [...loops, n]);
          return kids('orelse', loops);
        case 'While':
          return ['test', 'body', 'orelse'].forEach((k) => kids(k, k === 'orelse' ? loops : [...loops, n]));
        case 'ListComp': case 'SetComp': case 'DictComp': case 'GeneratorExp': {
          // The first iterable is read once, where the comprehension is; everything else once per item of the
          // clauses before it: each clause is a loop (its ifs run once per its item, its successor's iterable too).
          const clauses: PyNode[] = [];
          n.generators.forEach((g: PyNode) => {
            target(g.target);
            groupTarget(g, g.target, g.iter);
            visit(g.iter, g, 'iter', -1, [...loops, ...clauses], nested);
            clauses.push(g);
            visit(g.ifs, g, 'ifs', -1, [...loops, ...clauses], nested);
          });
          return ['elt', 'key', 'value'].forEach((k) => kids(k, [...loops, ...clauses]));
        }
        case 'Assign': case 'AnnAssign': {
          const t = n._t === 'Assign' ? n.targets : [n.target];
          const type = !nested && t.length === 1 && t[0]._t === 'Name' ? this.oneShotCall(n.value) ?? this.storedBuiltinIterator(n.value) : undefined;
          if (type) bound.set(t[0].id, [...(bound.get(t[0].id) ?? []), { type, loops }]);
          // `a, b = tee(xs)`: each name is a one-shot iterator of its own.
          const teeNames = !nested && t.length === 1 && t[0]._t === 'Tuple' && t[0].elts.every((e: PyNode) => e._t === 'Name') && this.isTeeCall(n.value) ? t[0].elts : [];
          for (const e of teeNames) {
            bound.set(e.id, [...(bound.get(e.id) ?? []), { type: TEE_TYPE, loops }]);
            this.teeCopies.add(e.id);
          }
          t.forEach(target);
          return kids('value', loops);
        }
        case 'NamedExpr':
          return kids('value', loops);
      }
      for (const [k, v] of Object.entries(n)) if (k !== 'span' && k !== '_t') visit(v, n, k, -1, loops, nested);
    };
    visit(body, undefined, 'body', -1, [], false);
    for (const c of tees) {
      const p = c.parent;
      const unpacked = p && p._t === 'Assign' && c.key === 'value' && p.targets.length === 1 && p.targets[0]._t === 'Tuple' && p.targets[0].elts.every((e: PyNode) => e._t === 'Name');
      if (!unpacked) this.fail(c.node.span, 'tee()', 'tee() is compiled where its iterators are unpacked into names, each then read once like any one-shot iterator', 'a, b = tee(xs)');
      this.refuseTeeSourceChanges(c.node, c.loops, body);
    }
    // A group of groupby() is live until the outer iterator moves on: compiled, it is read once, directly in the
    // body of the loop that unpacked it (CPython's group is empty after the loop, in a later pass, or once read).
    const groupNames = new Set(groupLoops.map((g) => g.name));
    const groupReads = new Map<PyNode, Use[]>();
    for (const r of loads.filter((l) => groupNames.has(l.node.id))) {
      const name = r.node.id;
      const owner = [...r.loops].reverse().find((l) => groupLoops.some((g) => g.loop === l && g.name === name));
      if (!owner) {
        // A comprehension's names are its own; a for loop's group stays bound after the loop, stale.
        if (!groupLoops.some((g) => g.name === name && g.loop._t !== 'comprehension')) continue;
        this.fail(r.node.span, GROUP_TYPE, `'${name}' names a group of groupby() outside the loop that unpacks it: CPython's group is stale there (empty once the loop moved on), which Kiln's compiled list would not be`, `keep the items while the loop is on them: items = list(${name})`);
      }
      if (r.nested) this.fail(r.node.span, GROUP_TYPE, `a group of groupby() read by a nested function or lambda ('${name}') is outside the compiled subset`, `make a list in the loop: items = list(${name})`);
      // A group read with next() is a generator object (storeWithGenerator): a live iterator, read as often as CPython's.
      if (readByNext(body, name)) continue;
      if (r.loops[r.loops.length - 1] !== owner) {
        this.fail(r.node.span, GROUP_TYPE, `'${name}' is a group of groupby() read in a loop inside the one that unpacked it: every pass after the first finds it exhausted in CPython, which Kiln's compiled list would not`, `make a list once: items = list(${name})`);
      }
      this.oneShotUse(r, GROUP_TYPE);
      groupReads.set(owner, [...(groupReads.get(owner) ?? []), r]);
    }
    for (const reads of groupReads.values()) {
      if (reads.length > 1) this.fail(reads[1].node.span, GROUP_TYPE, `'${reads[1].node.id}' is a group of groupby(), which is read only once: a second pass yields nothing in CPython, which Kiln's compiled list would not`, 'make a list once and read it as often as needed: items = list(...)');
    }
    for (const c of calls) {
      const p = c.parent;
      const stored = p && (p._t === 'Assign' || p._t === 'AnnAssign') && c.key === 'value' && bound.has((p.targets?.[0] ?? p.target).id);
      if (!stored) this.oneShotUse(c, this.oneShotCall(c.node)!);
    }
    const isNext = (r: Use) => r.parent?._t === 'Call' && r.key === 'args' && r.index === 0 && this.resolveName(r.parent.func) === 'builtins.next';
    for (const [name, defs] of bound) {
      const reads = loads.filter((l) => l.node.id === name);
      const type = defs[0].type;
      // Read item by item (twice, in a loop, by next()) or a builtin iterator stored: a generator object (iteratorVars).
      const again = type !== 'itertools.groupby' && (reads.length > 1 || reads.some(isNext) || (type !== TEE_TYPE && !ONE_SHOT_TYPES.has(type)) || reads.some((r) => r.loops.some((l) => defs.some((d) => !d.loops.includes(l)))));
      if (again) this.iteratorVars.add(name);
      for (const r of reads) {
        if (r.nested) this.fail(r.node.span, type, `${article(type)} object read by a nested function or lambda ('${name}') is outside the compiled subset`, `make a list: ${name} = list(...)`);
        if (again && isNext(r)) continue;
        this.oneShotUse(r, type);
        if (again) continue;
        // A loop around the read that is not around the assignment would read the iterator again: empty in CPython.
        if (r.loops.some((l) => defs.some((d) => !d.loops.includes(l)))) {
          this.fail(r.node.span, type, `'${name}' is ${article(type)} object read in a loop: every pass after the first finds it exhausted in CPython, which Kiln's compiled list would not`, `make a list once: ${name} = list(...)`);
        }
      }
      if (reads.length > 1 && !again) {
        this.fail(reads[1].node.span, type, `'${name}' is ${article(type)} object, which is read only once: a second pass yields nothing in CPython, which Kiln's compiled list would not`, `make a list once and read it as often as needed: ${name} = list(...)`);
      }
    }
  }

  /**
   * `a, b = tee(xs)` copies xs' items when tee() is called; CPython's copies read xs as they are read, so a change to
   * the list after the call (a later line, or the same loop around both) would show: refused where it is written.
   */
  private refuseTeeSourceChanges(call: PyNode, loops: PyNode[], body: PyNode[]) {
    const src = call.args[0];
    if (src?._t !== 'Name') return;
    const name: string = src.id;
    const CHANGES = new Set(['append', 'extend', 'insert', 'pop', 'remove', 'clear', 'sort', 'reverse', 'appendleft', 'extendleft', 'popleft', 'rotate']);
    const within = (line: number, outer: PyNode) => !!outer.span && line >= outer.span.line && line <= outer.span.endLine;
    const later = (at: Span) => at.line > (call.span?.endLine ?? at.line) || loops.some((l) => within(at.line, l));
    const item = (t: any): boolean => !!t && ((t._t === 'Subscript' && t.value._t === 'Name' && t.value.id === name) || ((t._t === 'Tuple' || t._t === 'List') && t.elts.some(item)));
    const visit = (n: any): void => {
      if (Array.isArray(n)) return n.forEach(visit);
      if (!n || typeof n !== 'object' || !n._t) return;
      const changes = (n._t === 'Call' && n.func._t === 'Attribute' && n.func.value._t === 'Name' && n.func.value.id === name && CHANGES.has(n.func.attr))
        || ((n._t === 'Assign' || n._t === 'Delete') && (n.targets as PyNode[]).some(item)) || ((n._t === 'AugAssign' || n._t === 'AnnAssign') && (item(n.target) || (n._t === 'AugAssign' && n.target._t === 'Name' && n.target.id === name)));
      if (changes && n.span && later(n.span)) {
        this.fail(n.span, 'tee()', `'${name}' is changed after tee() copied it: CPython's copies read '${name}' as they are read, and would see the change; Kiln's copies hold its items from the call`, `call tee() after the last change, or on a copy: tee(list(${name}))`);
      }
      for (const [k, v] of Object.entries(n)) if (k !== 'span' && k !== '_t') visit(v);
    };
    visit(body);
  }

  /**
   * The right side of `xs[a:b] = v`, which CPython reads once into a list (list_ass_subscript): a one-shot iterator
   * (an itertools call, map(), zip(), a generator expression) or a tuple display (`xs[:2] = (a, b)`) is `list(v)`
   * here, so the list op stores a list (reversed(xs) is a list already: `xs[i:] = reversed(xs[i:])`). Any other value
   * is itself.
   */
  private sliceSource(s: PyNode): PyNode {
    const v = s.value;
    if (!isSliceStore(s)) return v;
    const oneShot = this.oneShotCall(v);
    const iterator = v._t === 'GeneratorExp' || v._t === 'Tuple' || (oneShot && oneShot !== 'reversed') || this.storedBuiltinIterator(v);
    if (!iterator || this.resolveName({ _t: 'Name', id: 'list' }) !== 'builtins.list') return v;
    return { _t: 'Call', func: { _t: 'Name', id: 'list', ctx: { _t: 'Load' }, span: v.span }, args: [v], keywords: [], span: v.span };
  }

  /** Refuses a use of a one-shot iterator of CPython type `type` that is not a single pass from its start. */
  private oneShotUse(u: { node: PyNode; parent?: PyNode; key: string; index: number }, type: string) {
    const p = u.parent;
    if (type === 'itertools.groupby') {
      // Its items hold groups, which are live only while the loop that unpacks them is on them.
      const t = p && u.key === 'iter' && (p._t === 'For' || p._t === 'AsyncFor' || p._t === 'comprehension') ? p.target : undefined;
      if (t?._t === 'Tuple' && t.elts.length === 2 && t.elts[1]._t === 'Name') return;
      this.fail(u.node.span, type, 'groupby() is compiled as the iterable of a for loop or a comprehension that unpacks its items: for key, group in groupby(...) (its groups go stale as soon as it moves on)', 'for k, g in groupby(xs): items = list(g)');
    }
    if (p && u.key === 'iter' && (p._t === 'For' || p._t === 'AsyncFor' || p._t === 'comprehension')) return;
    if (p && u.key === 'value' && (p._t === 'Starred' || p._t === 'YieldFrom')) return;
    if (p && u.key === 'value' && p.value === u.node && isSliceStore(p)) return; // read once by list(), sliceSource
    const span = u.node.span;
    // CPython's message when it names the type; reversed()'s type depends on its argument's.
    const error = (exact: string, what: string) => (type === 'reversed' ? `${what} of a reversed() iterator raises TypeError in CPython` : exact);
    if (p?._t === 'Call' && u.key === 'args') {
      const callee = this.resolveName(p.func);
      const one = p.args.length === 1 && !p.keywords.length;
      if (callee === 'builtins.len' && one) this.fail(span, 'len()', error(`TypeError: object of type '${type}' has no len()`, 'len()'), 'count while you iterate, or make a list first: list(...)');
      if (callee === 'builtins.reversed' && one) this.fail(span, 'reversed()', error(`TypeError: '${type}' object is not reversible`, 'reversed()'), 'make a list first: reversed(list(...))');
      const consumer = callee && (ONE_SHOT_CONSUMERS.get(callee)?.(u.index, p.args.length) || this.oneShotCall(p));
      if (consumer || (p.func._t === 'Attribute' && p.func.attr === 'join' && one)) return;
    }
    if (p?._t === 'Subscript' && u.key === 'value') {
      this.fail(span, 'subscript', p.ctx?._t === 'Store' ? error(`TypeError: '${type}' object does not support item assignment`, 'an item assignment') : error(`TypeError: '${type}' object is not subscriptable`, 'an index'), 'make a list first: list(...)');
    }
    if (p?._t === 'Attribute' && u.key === 'value') this.fail(span, 'attribute', type === 'reversed' ? `.${p.attr} of a reversed() iterator raises AttributeError in CPython` : `AttributeError: '${type}' object has no attribute '${p.attr}'`, 'make a list first: list(...)');
    this.fail(span, type, `${article(type)} object is compiled where it is read once from its start: in a for loop or a comprehension, or by list(), tuple(), set(), sorted(), sum(), min(), max(), any(), all(), zip(), enumerate(), map(), filter() or another itertools function (directly or through a variable read once)`, 'make a list where you need a value: list(...)');
  }

  /** itertools.count, repeat and cycle (the compiled standard module's, not a project's own itertools). */
  private isInfiniteIterator(callee: string): boolean {
    if (callee !== 'itertools.count' && callee !== 'itertools.repeat' && callee !== 'itertools.cycle') return false;
    return this.isStdlibCall(callee);
  }

  /**
   * `cycle(xs)`: CPython reads the iterable once, saving each item as it goes, then repeats the saved items forever
   * (nothing at all for an empty iterable). Compiled: a loop over 2**62 steps (none for an empty iterable) whose
   * step i, while every step before it read an item (len(saved) == i), reads item i of the iterable if it has one
   * now and saves it (a list variable is read live, as CPython's first pass reads it: the body may change its items
   * and its length), then gives the saved item i % len(saved). Any other iterable is made a list first.
   */
  private cyclePlan(it: PyNode): Plan {
    const span = it.span!;
    const I = (v: string): Arg => ({ const: { kind: 'int', value: v } });
    this.endlessArgs(it, 'cycle');
    const arg = it.args[0];
    const source = this.synthetic('cycle_source');
    this.assign(source, arg._t === 'Name' ? this.expr(arg) : this.call('builtins.list', [this.expr(arg)], span, 'list'), span);
    const saved = this.synthetic('cycle');
    this.assign(saved, this.call('kiln.make_list', [], span, 'list'), span);
    const n = this.call('builtins.len', [{ ref: source }], span, 'len');
    const steps = this.call('_operator.mul', [I('4611686018427387904'), this.call('builtins.min', [n, I('1')], span, 'min')], span, 'steps');
    const len = (v: string) => this.call('builtins.len', [{ ref: v }], span, 'len');
    return {
      bases: [{ value: this.call('kiln.make_range', [I('0'), steps, I('1')], span, 'range'), reversed: false }], filtered: false,
      produce: (cx, k) => {
        cx.ask(0);
        this.ifNode(this.call('_operator.eq', [len(saved), cx.index], span, 'first_pass'), span, () => {
          this.ifNode(this.call('_operator.lt', [cx.index, len(source)], span, 'has_item'), span, () => {
            this.emit({ op: 'call_function', name: this.fresh('append'), target: 'method.append', args: [{ ref: saved }, this.call('kiln.iter_item', [{ ref: source }, cx.index], span, 'item')], span });
          });
        });
        k(this.call('_operator.getitem', [{ ref: saved }, this.call('_operator.mod', [cx.index, len(saved)], span, 'at')], span, 'item'));
      },
    };
  }

  /**
   * `count(start=0, step=1)`, `repeat(x[, n])`: a loop over a range (2**62 steps for the endless ones) whose item is
   * a counter advanced by repeated addition, as CPython's count adds step each time (floats included), or x.
   */
  private infinitePlan(it: PyNode, callee: string): Plan {
    const span = it.span!;
    const name = callee.slice('itertools.'.length);
    if (name === 'cycle') return this.cyclePlan(it);
    const I = (v: string): Arg => ({ const: { kind: 'int', value: v } });
    const endless = I('4611686018427387904');
    const params = this.endlessArgs(it, name);
    const argNode = (i: number): PyNode | undefined => it.args[i] ?? it.keywords.find((k: PyNode) => k.arg === params[i])?.value;
    const held = (node: PyNode | undefined, dflt: Arg): Arg => {
      if (!node) return dflt;
      const v = this.synthetic(name);
      this.assign(v, this.expr(node), span);
      return { ref: v };
    };
    if (name === 'repeat') {
      const item = held(argNode(0), I('0'));
      const times = argNode(1) ? this.call('kiln.make_range', [I('0'), held(argNode(1), I('0')), I('1')], span, 'range') : this.call('kiln.make_range', [I('0'), endless, I('1')], span, 'range');
      return {
        bases: [{ value: times, reversed: false }], filtered: false,
        produce: (cx, k) => {
          cx.ask(0);
          k(item);
        },
      };
    }
    const counter = this.synthetic('count');
    this.assign(counter, held(argNode(0), I('0')), span);
    const step = held(argNode(1), I('1'));
    return {
      bases: [{ value: this.call('kiln.make_range', [I('0'), endless, I('1')], span, 'range'), reversed: false }], filtered: false,
      produce: (cx, k) => {
        cx.ask(0);
        // The item is kept before the counter moves on (the loop body may `continue`).
        const now = this.synthetic('count_now');
        this.assign(now, { ref: counter }, span);
        this.assign(counter, this.call('_operator.add', [{ ref: counter }, step], span, 'add'), span);
        k({ ref: now });
      },
    };
  }

  /**
   * `zip(*rows)` (a transpose: `[list(c) for c in zip(*a)]`): rows is read once; zip of no rows makes no item, else
   * as many as its shortest row has, item j the tuple of each row's item j (a tuple[T, ...]: its length is len(rows)).
   * The rows are indexed, so they are sequences (lists, str, tuples); a `for a, b in zip(*xs)` of fixed names is zipStarred.
   */
  private transposePlan(it: PyNode): Plan {
    const span = it.span!;
    const I = (v: string): Arg => ({ const: { kind: 'int', value: v } });
    const rows = this.synthetic('zip_rows');
    this.assign(rows, this.expr(it.args[0].value), span);
    const shortest = this.synthetic('zip_len');
    this.assign(shortest, I('0'), span);
    const some = this.call('_operator.gt', [this.call('builtins.len', [{ ref: rows }], span, 'len'), I('0')], span, 'gt');
    this.ifNode(some, span, () => {
      this.assign(shortest, this.call('builtins.len', [this.call('_operator.getitem', [{ ref: rows }, I('0')], span, 'getitem')], span, 'len'), span);
      this.loopOverPlan(this.basePlan({ ref: rows }, false), span, (row) => {
        this.assign(shortest, this.call('builtins.min', [{ ref: shortest }, this.call('builtins.len', [row], span, 'len')], span, 'min'), span);
      });
    });
    const column = this.synthetic('zip_column');
    this.assign(column, I('0'), span);
    return {
      bases: [{ value: this.call('kiln.make_range', [I('0'), { ref: shortest }, I('1')], span, 'range'), reversed: false }], filtered: false,
      produce: (cx, k) => {
        cx.ask(0);
        const items = this.synthetic('zip_items');
        this.assign(items, this.call('kiln.make_list', [], span, 'list'), span);
        this.loopOverPlan(this.basePlan({ ref: rows }, false), span, (row) => {
          this.call('method.append', [{ ref: items }, this.call('_operator.getitem', [row, { ref: column }], span, 'getitem')], span, 'append');
        });
        this.assign(column, this.call('_operator.add', [{ ref: column }, I('1')], span, 'add'), span);
        k(this.call('builtins.tuple', [{ ref: items }], span, 'tuple'));
      },
    };
  }

  /** CPython's argument errors of count(), repeat() and cycle(), at the call; the names of their parameters. */
  private endlessArgs(it: PyNode, name: string): string[] {
    const span = it.span!;
    if (name === 'cycle') {
      if (it.keywords.length) this.fail(span, 'cycle()', 'TypeError: cycle() takes no keyword arguments');
      if (it.args.length !== 1 || it.args[0]._t === 'Starred') this.fail(span, 'cycle()', `TypeError: cycle expected 1 argument, got ${it.args.length}`);
      return ['iterable'];
    }
    if (it.args.some((a: PyNode) => a._t === 'Starred')) this.fail(span, `${name}()`, `starred arguments to ${name}() are outside the compiled subset`, 'pass the arguments one by one');
    const params = name === 'count' ? ['start', 'step'] : ['object', 'times'];
    const bad = it.keywords.find((k: PyNode) => !params.includes(k.arg));
    if (bad) this.fail(span, `${name}()`, `TypeError: ${name}() got an unexpected keyword argument '${bad.arg}'`);
    if (it.args.length > 2) this.fail(span, `${name}()`, `TypeError: ${name} expected at most 2 arguments, got ${it.args.length}`);
    if (name === 'repeat' && !it.args.length && !it.keywords.some((k: PyNode) => k.arg === 'object')) this.fail(span, 'repeat()', "TypeError: repeat() missing required argument 'object' (pos 1)");
    return params;
  }

  /**
   * count(), repeat() or cycle() given to another iterator (islice(count(1), 5), zip(gen(), repeat(0)), map(f,
   * cycle(xs))): a call of itertools.py's generator `_count`/`_repeat`/`_cycle`, made (its arguments evaluated) where
   * CPython makes the iterator and read as the other iterator reads it, or held by a variable (c = count(); next(c):
   * always a generator object, deferGenerator). A loop over one is infinitePlan instead.
   */
  private endlessCall(n: PyNode): GenCall | undefined {
    const callee = n?._t === 'Call' ? this.resolveName(n.func) : undefined;
    if (!callee || !this.isInfiniteIterator(callee)) return undefined;
    const name = callee.slice('itertools.'.length);
    this.endlessArgs(n, name);
    const b = this.names.resolve(`itertools._${name}`);
    if (b.kind !== 'function') throw new Error(`internal: itertools._${name} is missing`);
    return { fn: b.fn, call: n, mod: b.mod };
  }

  /** The plan of an iterable (see Plan). */
  private planOf(it: PyNode, iterated = false): Plan {
    const callee = it._t === 'Call' ? this.resolveName(it.func) : undefined;
    const I = (v: string): Arg => ({ const: { kind: 'int', value: v } });
    if (callee === 'builtins.sorted') {
      const items = this.sortedItemsPlan(it);
      if (items) return items;
    }
    if (callee && this.isInfiniteIterator(callee)) return this.infinitePlan(it, callee);
    // What a loop iterates itself (`iterated`), not inside zip() or enumerate(): its item reads carry its key.
    if (!callee || !ITERATOR_BUILTINS.has(callee)) return this.basePlan(this.expr(it), false, iterated ? this.iterableKey(it) : undefined);
    const name = callee.slice(9);
    if (name === 'zip' && it.args.length === 1 && it.args[0]._t === 'Starred' && !it.keywords.length) return this.transposePlan(it);
    if (it.args.some((a: PyNode) => a._t === 'Starred')) this.fail(it.span, `${name}()`, `starred arguments to ${name}() are outside the compiled subset`, name === 'zip' ? 'pass the iterables one by one, or unpack each item in a for: for q, k, v in zip(*xs)' : 'pass the iterables one by one');
    const allowed = name === 'enumerate' ? ['start'] : [];
    const badKw = it.keywords.find((k: PyNode) => !allowed.includes(k.arg));
    if (badKw) this.fail(it.span, `${name}()`, `the keyword argument ${badKw.arg ?? '**'}= of ${name}() is outside the compiled subset`, name === 'zip' ? 'zip() stops at the shortest iterable here; check the lengths yourself for strict=True' : 'pass the arguments by position');
    switch (name) {
      case 'enumerate': {
        const startNode = it.args[1] ?? it.keywords.find((k: PyNode) => k.arg === 'start')?.value;
        if (it.args.length < 1 || it.args.length > 2) this.fail(it.span, 'enumerate()', 'enumerate() takes a sequence and an optional start');
        const inner = this.planOf(it.args[0]);
        const start: Arg = startNode ? this.expr(startNode) : I('0');
        const isZero = 'const' in start && start.const.kind === 'int' && start.const.value === '0';
        if (!inner.filtered) {
          return {
            bases: inner.bases, filtered: false,
            produce: (cx, k) => inner.produce(cx, (item) => {
              const count = !isZero ? this.call('_operator.add', [cx.index, start], it.span!, 'add') : cx.index;
              k(this.call('kiln.make_tuple', [count, item], it.span!, 'tuple'));
            }),
          };
        }
        // After a filter, the count is of the items that passed: a counter of its own.
        const counter = this.synthetic('count');
        this.assign(counter, start, it.span!);
        return {
          bases: inner.bases, filtered: true,
          produce: (cx, k) => inner.produce(cx, (item) => {
            // The count this item gets, kept before the counter moves on (the loop body may `continue`).
            const now = this.synthetic('count_now');
            this.assign(now, { ref: counter }, it.span!);
            const pair = this.call('kiln.make_tuple', [{ ref: now }, item], it.span!, 'tuple');
            this.assign(counter, this.call('_operator.add', [{ ref: counter }, I('1')], it.span!, 'add'), it.span!);
            k(pair);
          }),
        };
      }
      case 'zip': {
        if (!it.args.length) this.fail(it.span, 'zip()', 'zip() needs at least one iterable here');
        const plans = it.args.map((a: PyNode) => this.planOf(a));
        if (plans.some((p: Plan) => p.filtered)) this.fail(it.span, 'zip()', 'zip() over a filter() is outside the compiled subset (the filtered items do not line up by position)', 'make a list first: list(filter(...))');
        return this.lockstep(plans, (items, k) => k(this.call('kiln.make_tuple', items, it.span!, 'tuple')));
      }
      case 'reversed': {
        if (it.args.length !== 1) this.fail(it.span, 'reversed()', `TypeError: reversed expected 1 argument, got ${it.args.length}`);
        const inner = this.iteratorCall(it.args[0]);
        if (inner) this.fail(it.span, 'reversed()', `TypeError: '${inner.split('.').pop()}' object is not reversible`, 'make a list first: reversed(list(...))');
        return this.basePlan(this.expr(it.args[0]), true);
      }
      case 'map': {
        if (it.args.length < 2) this.fail(it.span, 'map()', 'TypeError: map() must have at least two arguments.');
        const f = this.expr(it.args[0]);
        const plans = it.args.slice(1).map((a: PyNode) => this.planOf(a));
        if (plans.length > 1 && plans.some((p: Plan) => p.filtered)) this.fail(it.span, 'map()', 'map() over several iterables with a filter() among them is outside the compiled subset', 'make a list first: list(filter(...))');
        return this.lockstep(plans, (items, k) => k(this.call('kiln.call', [f, ...items], it.span!, 'call')));
      }
      case 'filter': {
        if (it.args.length !== 2) this.fail(it.span, 'filter()', `TypeError: filter expected 2 arguments, got ${it.args.length}`);
        const isNone = it.args[0]._t === 'Constant' && it.args[0].value === null;
        const f = isNone ? undefined : this.expr(it.args[0]);
        const inner = this.planOf(it.args[1]);
        return {
          bases: inner.bases, filtered: true,
          produce: (cx, k) => inner.produce(cx, (item) => {
            const test = f ? this.call('kiln.call', [f, item], it.span!, 'call') : item;
            const cond = this.call('builtins.bool', [test], it.span!, 'bool');
            this.ifNode(cond, it.span!, () => k(item));
          }),
        };
      }
    }
    this.fail(it.span, name, `${name}() is outside the compiled subset here`);
  }

  /** Plans iterated together by one index (zip, map over several iterables); `combine` makes the item from theirs. */
  private lockstep(plans: Plan[], combine: (items: Arg[], k: (item: Arg) => void) => void): Plan {
    const bases: Plan['bases'] = [];
    const offsets: number[] = [];
    for (const p of plans) {
      offsets.push(bases.length);
      bases.push(...p.bases);
    }
    return {
      bases, filtered: plans.some((p) => p.filtered),
      produce: (cx, k) => {
        const items: Arg[] = [];
        const step = (j: number): void => {
          if (j === plans.length) return combine(items, k);
          const sub: PlanContext = { index: cx.index, item: (b) => cx.item(offsets[j] + b), ask: (b) => cx.ask(offsets[j] + b) };
          plans[j].produce(sub, (item) => {
            items.push(item);
            step(j + 1);
          });
        };
        step(0);
      },
    };
  }

  /**
   * `for k, v in sorted(d.items())` (reverse= too): the keys sorted, and each one's value read before the loop (as
   * sorted() makes its list first); a dict's keys are distinct, so sorting the pairs is sorting the keys. No list of
   * tuples is made. Undefined for any other sorted() call.
   */
  private sortedItemsPlan(it: PyNode): Plan | undefined {
    const arg = it.args[0];
    if (it.args.length !== 1 || it.keywords.some((k: PyNode) => k.arg !== 'reverse')) return undefined;
    const over = arg ? this.containerIterable(arg) : undefined;
    if (!over || over.part !== 'items') return undefined;
    const span = it.span!;
    const d = this.synthetic('dict');
    this.assign(d, this.expr(over.container), span);
    const rev = it.keywords.find((k: PyNode) => k.arg === 'reverse')?.value;
    const keys = this.synthetic('keys');
    const keyList = this.call('kiln.view_list', [{ ref: d }, { const: { kind: 'str', value: 'keys' } }], span, 'keys');
    this.assign(keys, this.call('builtins.sorted', [keyList, rev ? this.expr(rev) : { const: { kind: 'none' } }], span, 'sorted'), span);
    const values = this.synthetic('values');
    this.assign(values, this.call('kiln.make_list', [], span, 'list'), span);
    this.loopOverPlan(this.basePlan({ ref: keys }, false), span, (key) => {
      this.emit({ op: 'call_function', name: this.fresh('append'), target: 'method.append', args: [{ ref: values }, this.call('_operator.getitem', [{ ref: d }, key], span, 'value')], span });
    });
    return {
      bases: [{ value: { ref: keys }, reversed: false }, { value: { ref: values }, reversed: false }], filtered: false,
      produce: (cx, k) => k(this.call('kiln.make_tuple', [cx.item(0), cx.item(1)], span, 'pair')),
    };
  }

  /** A sequence iterated by index: a list, an array, a tuple, a range. */
  private basePlan(value: Arg, reversed: boolean, iterable?: string): Plan {
    const plan: Plan = { bases: [{ value, reversed, ...(iterable ? { iterable } : {}) }], filtered: false, produce: (cx, k) => k(cx.item(0)) };
    return plan;
  }

  /**
   * `for x in seq`, `for i, x in enumerate(seq[, start])`, `for x, y in zip(a, b, ...)`, `for x in reversed(seq)`,
   * `for y in map(f, xs)`, `for x in filter(f, xs)`, nested: a loop over range(len(...)) that reads item i
   * (lists, arrays, tuples, ranges; rows of a 2-D array are views). The length is read once, before the loop.
   */
  private forSequence(s: PyNode, bodyFn?: () => void) {
    const span = s.span!;
    const source = this.generatorSource(s.iter);
    if (source) {
      source((item) => {
        this.store(s.target, item, span);
        if (bodyFn) bodyFn();
        else {
          this.loopDepth++;
          this.block(s.body);
          this.loopDepth--;
        }
      }, s.orelse?.length ? () => this.block(s.orelse) : undefined);
      return;
    }
    // `for x in obj` and `for i, x in enumerate(obj[, start])` over an instance whose class has __iter__.
    const it = s.iter;
    const numbered = it._t === 'Call' && this.resolveName(it.func) === 'builtins.enumerate' && (it.args.length === 1 || it.args.length === 2)
      && !it.keywords.length && !it.args.some((a: PyNode) => a._t === 'Starred');
    const cls = this.iterableClassOf(numbered ? it.args[0] : it);
    if (cls) {
      const counter = numbered ? this.synthetic('count') : undefined;
      return this.forOverInstance(numbered ? it.args[0] : it, cls, (item) => {
        if (counter) {
          const now = this.synthetic('count_now');
          this.assign(now, { ref: counter }, span);
          this.assign(counter, this.call('_operator.add', [{ ref: counter }, { const: { kind: 'int', value: '1' } }], span, 'add'), span);
          item = this.call('kiln.make_tuple', [{ ref: now }, item], span, 'tuple');
        }
        this.store(s.target, item, span);
        if (bodyFn) bodyFn();
        else this.block(s.body);
      }, s.orelse?.length ? () => this.block(s.orelse) : undefined,
      counter ? () => this.assign(counter, it.args[1] ? this.expr(it.args[1]) : { const: { kind: 'int', value: '0' } }, span) : undefined);
    }
    const starred = this.zipStarred(s);
    if (starred) {
      // `for q, k, v in zip(*xs)`: zip(xs[0], xs[1], xs[2]) when xs has 3 items; else no item, or CPython's
      // ValueError of the unpacking when zip makes one (every iterable non-empty).
      this.ifNode(starred.fits, span, () => this.forPlan(s, starred.plan(), bodyFn), () => {
        starred.mismatch();
        if (!bodyFn) this.block(s.orelse ?? []);
      });
      return;
    }
    this.forPlan(s, this.planOf(s.iter, true), bodyFn);
  }

  /**
   * `zip(*xs)` iterated by a for target of m names (picoGPT's `for q, k, v in zip(*qkv_heads)`): xs is read once;
   * `fits` is len(xs) == m, `plan` zips xs[0] .. xs[m-1] (read where it is made), `mismatch` raises the unpacking's ValueError when
   * len(xs) != m and zip would make an item (xs not empty and none of its iterables empty). Undefined otherwise
   * (planOf refuses other starred zips).
   */
  private zipStarred(s: PyNode): { fits: Arg; plan: () => Plan; mismatch: () => void } | undefined {
    const it = s.iter;
    const t = s.target;
    if (it._t !== 'Call' || this.resolveName(it.func) !== 'builtins.zip' || it.args.length !== 1 || it.args[0]._t !== 'Starred' || it.keywords.length) return undefined;
    if ((t._t !== 'Tuple' && t._t !== 'List') || t.elts.some((e: PyNode) => e._t === 'Starred')) return undefined;
    const span = it.span!;
    const I = (v: number): Arg => ({ const: { kind: 'int', value: String(v) } });
    const m = t.elts.length;
    const xs = this.synthetic('zip_star');
    this.assign(xs, this.expr(it.args[0].value), span);
    const n = this.call('builtins.len', [{ ref: xs }], span, 'len');
    const mismatch = () => {
      const makes = this.synthetic('zip_makes');
      this.assign(makes, this.call('_operator.gt', [n, I(0)], span, 'gt'), span);
      this.loopOverPlan(this.basePlan({ ref: xs }, false), span, (item) => {
        const empty = this.call('_operator.eq', [this.call('builtins.len', [item], span, 'len'), I(0)], span, 'eq');
        this.ifNode(empty, span, () => this.assign(makes, { const: { kind: 'bool', value: false } }, span));
      });
      this.ifNode({ ref: makes }, span, () => {
        const few = this.call('_operator.lt', [n, I(m)], span, 'lt');
        this.ifNode(few, span, () => {
          const text = this.call('_operator.add', [this.call('_operator.add', [{ const: { kind: 'str', value: `not enough values to unpack (expected ${m}, got ` } }, this.call('builtins.str', [n], span, 'str')], span, 'add'), { const: { kind: 'str', value: ')' } }], span, 'add');
          this.emit({ op: 'raise', name: this.fresh('raise', false), target: 'ValueError', args: [text], span });
        }, () => this.emit({ op: 'raise', name: this.fresh('raise', false), target: 'ValueError', args: [{ const: { kind: 'str', value: `too many values to unpack (expected ${m})` } }], span }));
      });
    };
    const plan = () => {
      const plans = Array.from({ length: m }, (_, j) => this.basePlan(this.call('_operator.getitem', [{ ref: xs }, I(j)], span, 'item'), false));
      return this.lockstep(plans, (items, k) => k(this.call('kiln.make_tuple', items, span, 'tuple')));
    };
    return { fits: this.call('_operator.eq', [n, I(m)], span, 'eq'), plan, mismatch };
  }

  /** The loop of `for target in <plan>` (forSequence), its body `bodyFn` (a comprehension's) or the statement's. */
  private forPlan(s: PyNode, plan: Plan, bodyFn?: () => void) {
    const span = s.span!;
    // A local the body rebinds is held in a local of the loop's own (`for c in s: s = s.replace(c, '')` iterates the
    // original string, as Python's iterator holds it).
    const rebound = storedNames(s.body ?? []);
    this.loopOverPlan(plan, span, (item) => {
      const made = 'ref' in item ? this.findNode(item.ref) : undefined;
      if (made?.target === 'kiln.make_tuple' && (s.target._t === 'Tuple' || s.target._t === 'List') && !s.target.elts.some((e: PyNode) => e._t === 'Starred') && s.target.elts.length === made.args.length) {
        // Unpack straight from the items (no tuple at run time).
        s.target.elts.forEach((elt: PyNode, k: number) => this.store(elt, made.args[k], span));
      } else this.store(s.target, item, span);
      if (bodyFn) bodyFn();
      else {
        this.loopDepth++;
        this.block(s.body);
        this.loopDepth--;
      }
    }, () => this.block(s.orelse ?? []), rebound);
  }

  /**
   * The loop of a plan: holds each base in a local (one that is a local is read as it is, unless it is among the
   * names the loop body `rebinds`) and runs `body` on each item. The lengths are read once, before the loop (a
   * for_range over range(min(len(...))), IRNode.lengthOnce), unless typecheck found that the body may change the
   * length of one of the lists (again.lengths): then at every step, as CPython's list iterator (liveLoop).
   */
  private loopOverPlan(plan: Plan, span: Span, body: (item: Arg) => void, orelse?: () => void, rebinds?: ReadonlySet<string>) {
    const I = (v: string): ConstValue => ({ kind: 'int', value: v });
    // Each sequence is held in a local so that the loop reads the object the iterable was when it started.
    const held = plan.bases.map(({ value }) => {
      if ('ref' in value && this.locals.has(value.ref) && !rebinds?.has(value.ref)) return value;
      const v = this.synthetic('iter');
      this.assign(v, value, span);
      return { ref: v } as Arg;
    });
    const key = this.spanKey(span);
    if (this.again.lengths.has(key)) return this.liveLoop(plan, held, span, body, orelse);
    const lens: Arg[] = [];
    let n: Arg = this.call('builtins.len', [held[0]], span, 'len');
    lens.push(n);
    for (const h of held.slice(1)) {
      const len = this.call('builtins.len', [h], span, 'len');
      lens.push(len);
      n = this.call('builtins.min', [n, len], span, 'min');
    }
    const idx = this.synthetic('index');
    const bodyNodes = this.inRegion([], () => {
      const cx: PlanContext = {
        index: { ref: idx },
        item: (b) => {
          let i: Arg = { ref: idx };
          if (plan.bases[b].reversed) i = this.call('_operator.sub', [this.call('_operator.sub', [lens[b], { ref: idx }], span, 'sub'), { const: I('1') }], span, 'sub');
          return this.iterItem(plan, held, b, i, span);
        },
        ask: () => {},
      };
      this.loopBody(() => plan.produce(cx, body));
    });
    const orelseNodes = this.inRegion([], () => orelse?.());
    this.emit({ op: 'for_range', name: this.fresh('for', false), target: idx, args: [{ const: I('0') }, n, { const: I('1') }], span, regions: [{ name: 'body', nodes: bodyNodes }, { name: 'orelse', nodes: orelseNodes }], lengthOnce: key });
  }

  /**
   * loopOverPlan's loop over lists whose length its body may change: each base's length is read when its item is, as
   * CPython's list iterator reads it at every step (appended items are iterated; removed ones end the loop early, and
   * its else clause runs). A while loop whose test asks the first base; the others are asked where they are read,
   * after the items before them (and a function map() calls on them), and end the loop through `ended`. A reversed
   * base starts at the length it had when the loop started, and ends where its index is past the end, as reversed().
   */
  private liveLoop(plan: Plan, held: Arg[], span: Span, body: (item: Arg) => void, orelse?: () => void) {
    const I = (v: number): Arg => ({ const: { kind: 'int', value: String(v) } });
    const B = (v: boolean): Arg => ({ const: { kind: 'bool', value: v } });
    const starts = plan.bases.map((b, k) => (b.reversed ? this.call('builtins.len', [held[k]], span, 'len') : undefined));
    const next = this.synthetic('index');
    this.assign(next, I(0), span);
    const ended = held.length > 1 ? this.synthetic('ended') : undefined;
    if (ended) this.assign(ended, B(false), span);
    // The index of base b's item at step i, and whether the base has that item now.
    const at = (b: number, i: Arg): Arg => {
      const start = starts[b];
      return start ? this.call('_operator.sub', [this.call('_operator.sub', [start, i], span, 'sub'), I(1)], span, 'sub') : i;
    };
    const has = (b: number, i: Arg): Arg => {
      const below = () => this.call('_operator.lt', [at(b, i), this.call('builtins.len', [held[b]], span, 'len')], span, 'lt');
      const start = starts[b];
      if (!start) return below();
      const v = this.synthetic('has_item');
      this.assign(v, this.call('_operator.lt', [i, start], span, 'lt'), span);
      this.ifNode({ ref: v }, span, () => this.assign(v, below(), span));
      return { ref: v };
    };
    let cond: Arg = B(false);
    const test = this.inRegion([], () => {
      if (!ended) {
        cond = has(0, { ref: next });
        return;
      }
      const more = this.synthetic('more');
      this.assign(more, this.call('_operator.not_', [{ ref: ended }], span, 'not'), span);
      this.ifNode({ ref: more }, span, () => this.assign(more, has(0, { ref: next }), span));
      cond = { ref: more };
    });
    const cur = this.synthetic('index');
    const bodyNodes = this.inRegion([], () => this.loopBody(() => {
      this.assign(cur, { ref: next }, span);
      this.assign(next, this.call('_operator.add', [{ ref: cur }, I(1)], span, 'add'), span);
      const cx: PlanContext = {
        index: { ref: cur },
        item: (b) => {
          cx.ask(b);
          return this.iterItem(plan, held, b, at(b, { ref: cur }), span);
        },
        // (the first base was asked by the test)
        ask: (b) => {
          if (!b) return;
          this.ifNode(this.call('_operator.not_', [has(b, { ref: cur })], span, 'not'), span, () => {
            this.assign(ended!, B(true), span);
            this.emit({ op: 'continue', name: this.fresh('continue', false), target: 'continue', args: [], span });
          });
        },
      };
      plan.produce(cx, body);
    }));
    const orelseNodes = this.inRegion([], () => orelse?.());
    this.emit({ op: 'while', name: this.fresh('while', false), target: 'while', args: [cond], span, regions: [{ name: 'test', nodes: test }, { name: 'body', nodes: bodyNodes }, { name: 'orelse', nodes: orelseNodes }] });
  }

  /** Item `i` of a plan's base `b` (held in `held[b]`), as a loop over it reads it: marked with the iterable's key. */
  private iterItem(plan: Plan, held: Arg[], b: number, i: Arg, span: Span): Arg {
    const item = this.call('kiln.iter_item', [held[b], i], span, 'item');
    const iterable = plan.bases[b].iterable;
    if (iterable && 'ref' in item) this.findNode(item.ref)!.iterable = iterable;
    return item;
  }

  /** An iterator built where it is consumed (`sum(map(f, xs))`, `list(zip(a, b))`): its items as a new list. */
  private materialize(it: PyNode): Arg {
    const v = this.synthetic('listcomp');
    this.assign(v, this.call('kiln.make_list', [], it.span!, 'list'), it.span!);
    // zip() over a generator object pushes its tuples (zipOverObjects).
    const push = it._t === 'Call' && this.resolveName(it.func) === 'builtins.zip' && it.args.some((a: PyNode) => this.machineOf(a)) ? this.zipOverObjects(it) : undefined;
    const each = push ?? ((k: (item: Arg) => void) => this.loopOverPlan(this.planOf(it), it.span!, k));
    each((item) => {
      this.emit({ op: 'call_function', name: this.fresh('append'), target: 'method.append', args: [{ ref: v }, item], span: it.span! });
    });
    return { ref: v };
  }

  /**
   * Runs `fn` with the variables of a comprehension's clauses as fresh locals, as Python's comprehension scope keeps
   * them apart from the function's own (a variable a closure captures keeps its cell).
   */
  private ownComprehensionNames<R>(generators: PyNode[], fn: () => R): R {
    const renamed = new Map<string, string>();
    const collect = (t: PyNode) => {
      if (t._t === 'Name' && !renamed.has(t.id) && (this.frame || this.moduleScope || !this.cellFree.has(t.id))) {
        const local = this.synthetic(t.id);
        renamed.set(t.id, local);
        this.pythonNames.set(local, t.id);
      } else if (t._t === 'Tuple' || t._t === 'List') t.elts.forEach(collect);
      else if (t._t === 'Starred') collect(t.value);
    };
    generators.forEach((g) => collect(g.target));
    const saved = this.renames;
    this.renames = new Map([...saved, ...renamed]);
    try {
      return fn();
    } finally {
      this.renames = saved;
    }
  }

  /** A loop of a comprehension: `for` clauses nest, `if` clauses guard the innermost body. */
  private comprehension(generators: PyNode[], inner: () => void, renamed = false): void {
    // Its variables are its own (fresh locals of this function), as Python's comprehension scope.
    if (!renamed) return this.ownComprehensionNames(generators, () => this.comprehension(generators, inner, true));
    const [g, ...rest] = generators;
    if (g.is_async && g.is_async.dec !== '0') this.fail(g.span, 'async comprehension', 'async comprehensions are outside the compiled subset');
    const body = () => {
      const guarded = (conds: PyNode[]) => {
        if (!conds.length) {
          if (rest.length) this.comprehension(rest, inner, renamed);
          else inner();
          return;
        }
        const [c, ...more] = conds;
        const cond = this.condition(c);
        const thenNodes = this.inRegion([], () => guarded(more));
        this.emit({ op: 'if', name: this.fresh('if', false), target: 'if', args: [cond], span: c.span!, regions: [{ name: 'then', nodes: thenNodes }, { name: 'else', nodes: [] }] });
      };
      guarded(g.ifs);
    };
    const span = g.iter.span!;
    const loop: PyNode = { _t: 'For', span, target: g.target, iter: g.iter, body: [], orelse: [] };
    const callee = g.iter._t === 'Call' ? this.resolveName(g.iter.func) : undefined;
    if (callee === 'builtins.range' && g.target._t === 'Name' && (this.frame || !this.cellFree.has(g.target.id))) {
      // for_range with the comprehension's body.
      const args = this.rangeArgs(g.iter);
      const nodes = this.inRegion([], () => this.loopBody(body));
      this.emit({ op: 'for_range', name: this.fresh('for', false), target: this.renames.get(g.target.id) ?? g.target.id, args, span, regions: [{ name: 'body', nodes }, { name: 'orelse', nodes: [] }] });
      return;
    }
    const over = this.containerIterable(g.iter);
    if (over) this.forContainer(loop, over, body);
    else this.forSequence(loop, body);
  }

  /**
   * The container a loop iterates with the runtime's iterator, and which part: `d.keys()`, `d.values()`,
   * `d.items()` (any expression), a local that holds a dict or set (containerLocals), or an iterable typecheck found
   * to hold one (`for v in g[u]`, `sum(self.members)`, `sorted(helper())`: its key is in again.containers). The tracer
   * knows no types: it reads any other iterable as a sequence, by index, and marks the reads with the iterable's
   * key (IRNode.iterable); where typecheck finds a dict or set there, the function is traced again with that key.
   */
  private containerIterable(it: PyNode): { container: PyNode; part: 'keys' | 'values' | 'items' } | undefined {
    if (it._t === 'Call' && it.func._t === 'Attribute' && ['keys', 'values', 'items'].includes(it.func.attr) && !it.args.length && !it.keywords.length) {
      return { container: it.func.value, part: it.func.attr };
    }
    if (it._t === 'Name' && this.containers.get(it.id) === 'dict or set') return { container: it, part: 'keys' };
    const key = this.again.containers.size ? this.iterableKey(it) : undefined;
    if (key && this.again.containers.has(key)) return { container: it, part: 'keys' };
    // A module-level dict or set constant (`VOWELS = {"a", "e"}`) that no local name hides.
    const c = it._t === 'Name' && !this.isLocalName(it.id) ? this.mod.constants[it.id] : undefined;
    if (c && !c.writtenByFunctions && ['Dict', 'Set', 'DictComp', 'SetComp'].includes(c.value._t)) return { container: it, part: 'keys' };
    return undefined;
  }

  /**
   * `for k in d`, `for v in d.values()`, `for k, v in d.items()`, `for x in s`: a while loop on the runtime's
   * iterator (kiln.loop_start / loop_next), which raises RuntimeError when the container changes size as CPython's does.
   */
  private forContainer(s: PyNode, over: { container: PyNode; part: 'keys' | 'values' | 'items' }, bodyFn?: () => void) {
    const span = s.span!;
    const loop = this.synthetic('loop');
    this.assign(loop, this.call('kiln.loop_start', [this.expr(over.container), { const: { kind: 'str', value: over.part } }], span, 'loop'), span);
    let cond: Arg = { const: { kind: 'bool', value: false } };
    const test = this.inRegion([], () => {
      cond = this.call('kiln.loop_next', [{ ref: loop }], span, 'next');
    });
    const body = this.inRegion([], () => this.loopBody(() => {
      if (over.part === 'items') {
        const k = this.call('kiln.loop_key', [{ ref: loop }], span, 'key');
        const v = this.call('kiln.loop_value', [{ ref: loop }], span, 'value');
        if ((s.target._t === 'Tuple' || s.target._t === 'List') && s.target.elts.length === 2) {
          this.store(s.target.elts[0], k, span);
          this.store(s.target.elts[1], v, span);
        } else this.store(s.target, this.call('kiln.make_tuple', [k, v], span, 'tuple'), span);
      } else this.store(s.target, this.call(over.part === 'values' ? 'kiln.loop_value' : 'kiln.loop_key', [{ ref: loop }], span, 'item'), span);
      if (bodyFn) bodyFn();
      else {
        this.loopDepth++;
        this.block(s.body);
        this.loopDepth--;
      }
    }));
    const orelse = this.inRegion([], () => this.block(s.orelse ?? []));
    this.emit({ op: 'while', name: this.fresh('while', false), target: 'while', args: [cond], span, regions: [{ name: 'test', nodes: test }, { name: 'body', nodes: body }, { name: 'orelse', nodes: orelse }] });
  }

  /** `[elt for ...]` (and generator expressions handed to a builtin that takes all their items: list, sorted, tuple, set, str.join): a new list. */
  private listComprehension(n: PyNode): Arg {
    const v = this.synthetic('listcomp');
    this.assign(v, this.call('kiln.make_list', [], n.span!, 'list'), n.span!);
    this.comprehension(n.generators, () => {
      const item = this.expr(n.elt);
      this.emit({ op: 'call_function', name: this.fresh('append'), target: 'method.append', args: [{ ref: v }, item], span: n.elt.span! });
    });
    return { ref: v };
  }

  /** `{k: v for ...}` and `{x for ...}`: an empty dict or set, then each item stored in order (CPython's MAP_ADD / SET_ADD). */
  private containerComprehension(n: PyNode): Arg {
    const dict = n._t === 'DictComp';
    const v = this.synthetic(dict ? 'dictcomp' : 'setcomp');
    this.assign(v, this.call(dict ? 'kiln.make_dict' : 'kiln.make_set', [], n.span!, dict ? 'dict' : 'set'), n.span!);
    this.comprehension(n.generators, () => {
      if (dict) {
        const key = this.expr(n.key);
        const value = this.expr(n.value);
        this.emit({ op: 'call_function', name: this.fresh('setitem'), target: '_operator.setitem', args: [{ ref: v }, key, value], span: n.key.span! });
      } else {
        const item = this.expr(n.elt);
        this.emit({ op: 'call_function', name: this.fresh('add'), target: 'method.add', args: [{ ref: v }, item], span: n.elt.span! });
      }
    });
    return { ref: v };
  }

  /** The index of a subscript as getitem/setitem arguments: `a[i]`, `a[i, j]`, `a[1:n:2]`, `a[:, 0]`. */
  private indexArgs(sl: PyNode): Arg[] {
    const one = (x: PyNode): Arg => {
      if (x._t === 'Slice') {
        const part = (p: PyNode | null): Arg => (p ? this.expr(p) : { const: { kind: 'none' } });
        return this.call('kiln.slice', [part(x.lower), part(x.upper), part(x.step)], x.span ?? sl.span!, 'slice');
      }
      if (x._t === 'Starred') this.fail(x.span, 'starred index', 'starred indices are outside the compiled subset');
      // `a[..., 0]`: Ellipsis as an index (only arrays take it; their indexing expands it by the array's dimensions).
      if (x._t === 'Constant' && x.value?._t === 'ellipsis') return this.call('kiln.ellipsis', [], x.span ?? sl.span!, 'ellipsis');
      return this.expr(x);
    };
    if (sl._t === 'Tuple') return sl.elts.map(one);
    return [one(sl)];
  }

  // ---- match statements -----------------------------------------------------------------------------------

  /**
   * `match` as Python runs it: the subject is evaluated once, the cases are tried in order, a case's pattern binds
   * its names as it matches, then its guard decides; the first case that matches runs and no other. Traced as nested
   * ifs over the subject (its items and values read as `s[i]`, `len(s)`, `k in s`, `s[k]`), with a flag that says a
   * case ran. Sequence patterns take a list or a tuple, mapping patterns a dict (kiln.match_sequence/match_mapping
   * check the subject's type); class patterns are refused.
   */
  private matchStmt(s: PyNode) {
    const span = s.span!;
    const subject = this.matchTemp('match_subject', this.expr(s.subject), span);
    const cases = s.cases as PyNode[];
    // if <case 1 matches> ... else if <case 2 matches> ...: a final irrefutable case is the last else, so a match
    // whose every case returns is seen to return.
    const tryCase = (i: number): void => {
      if (i === cases.length) return;
      const c = cases[i];
      if (irrefutable(c.pattern) && !c.guard) {
        this.matchPattern(c.pattern, subject, () => {});
        this.block(c.body);
        return;
      }
      const ok = this.synthetic('match_ok');
      this.assign(ok, { const: { kind: 'bool', value: false } }, c.pattern.span!);
      const yes = () => this.assign(ok, { const: { kind: 'bool', value: true } }, c.pattern.span!);
      this.matchPattern(c.pattern, subject, () => (c.guard ? this.ifNode(this.condition(c.guard), c.guard.span!, yes) : yes()));
      this.ifNode({ ref: ok }, c.pattern.span!, () => this.block(c.body), () => tryCase(i + 1));
    };
    tryCase(0);
  }

  /**
   * The attributes a class pattern's positional sub-patterns name: the class's `__match_args__` (a tuple of strings),
   * a dataclass's fields (its bases' first), looked up through the bases as CPython does.
   */
  private matchArgs(cls: string, span: Span): string[] {
    const classes = this.mod.classes ?? {};
    const hint = `name the attributes: case ${cls}(x=..., y=...)`;
    for (let c: string | undefined = cls; c && classes[c]; c = classes[c].bases[0]) {
      const info = classes[c];
      const own = info.attrs.find((a) => a.name === '__match_args__');
      if (own) {
        const v = own.value;
        if ((v._t !== 'Tuple' && v._t !== 'List') || !v.elts.every((e: PyNode) => e._t === 'Constant' && typeof e.value === 'string')) {
          this.fail(span, 'class pattern', `${c}.__match_args__ (line ${own.span.line}) is compiled when it is a tuple of strings`, hint);
        }
        return v.elts.map((e: PyNode) => e.value as string);
      }
      if (info.dataclass) {
        const d = info.dataclass;
        if (d.match_args === false || d.kw_only === true || info.fields.some((f) => /\b(init|kw_only)\s*=|KW_ONLY/.test(`${f.valueText ?? ''} ${f.annotation}`))) {
          this.fail(span, 'class pattern', `the dataclass ${c}'s __match_args__ (with match_args=False, kw_only or init=False fields) is outside the compiled subset`, hint);
        }
        // A field keeps the place of its first definition, from the base down.
        const chain: string[] = [];
        for (let b: string | undefined = c; b && classes[b]; b = classes[b].bases[0]) chain.unshift(b);
        const fields: string[] = [];
        for (const b of chain) for (const f of classes[b].dataclassFields ?? []) if (!fields.includes(f)) fields.push(f);
        return fields;
      }
    }
    return [];
  }

  /** A synthetic local holding `value`, as a Name node the tracer reads like any variable. */
  private matchTemp(base: string, value: Arg, span: Span): PyNode {
    const id = this.synthetic(base);
    // In an inlined generator, names are read through its renames: the temporary is its own.
    if (this.frame) this.renames.set(id, id);
    this.assign(id, value, span);
    return { _t: 'Name', id, ctx: { _t: 'Load' }, span };
  }

  /** Emits the test of pattern `p` against `subject` (a Name); `k` emits what runs when it matches (its names bound). */
  private matchPattern(p: PyNode, subject: PyNode, k: () => void): void {
    const span = p.span!;
    const int = (v: number): PyNode => ({ _t: 'Constant', value: { _t: 'int', dec: String(v) }, span });
    const compare = (left: PyNode, op: string, right: PyNode): PyNode => ({ _t: 'Compare', left, ops: [{ _t: op }], comparators: [right], span });
    const test = (cond: PyNode, then: () => void) => this.ifNode(this.condition(cond), span, then);
    const bind = (name: string, value: PyNode) => this.store({ _t: 'Name', id: name, ctx: { _t: 'Store' }, span }, this.expr(value), span);
    switch (p._t) {
      case 'MatchValue':
        return test(compare(subject, 'Eq', p.value), k);
      case 'MatchSingleton':
        return test(compare(subject, 'Is', { _t: 'Constant', value: p.value, span }), k);
      case 'MatchAs': {
        const then = () => {
          if (p.name) bind(p.name, subject);
          k();
        };
        if (p.pattern) return this.matchPattern(p.pattern, subject, then);
        return then();
      }
      case 'MatchOr': {
        // The first alternative that matches binds the names; the case's body runs once.
        const matched = this.synthetic('match_or');
        this.assign(matched, { const: { kind: 'bool', value: false } }, span);
        (p.patterns as PyNode[]).forEach((alt, i) => {
          const one = () => this.matchPattern(alt, subject, () => this.assign(matched, { const: { kind: 'bool', value: true } }, span));
          if (i === 0) one();
          else this.ifNode(this.call('_operator.not_', [{ ref: matched }], span, 'not'), span, one);
        });
        return this.ifNode({ ref: matched }, span, k);
      }
      case 'MatchSequence': {
        this.call('kiln.match_sequence', [this.expr(subject)], span, 'is_sequence');
        const items = p.patterns as PyNode[];
        const star = items.findIndex((x) => x._t === 'MatchStar');
        const len: PyNode = { _t: 'Call', func: { _t: 'Name', id: 'len', ctx: { _t: 'Load' }, span }, args: [subject], keywords: [], span };
        const fixed = star < 0 ? items.length : items.length - 1;
        const item = (i: number): PyNode => ({ _t: 'Subscript', value: subject, slice: int(i), ctx: { _t: 'Load' }, span });
        const rest = (i: number) => {
          if (i === items.length) return k();
          const x = items[i];
          if (x._t === 'MatchStar') {
            const after = items.length - 1 - star;
            if (x.name) {
              const upper = after ? { _t: 'UnaryOp', op: { _t: 'USub' }, operand: int(after), span } : null;
              bind(x.name, { _t: 'Subscript', value: subject, slice: { _t: 'Slice', lower: int(star), upper, step: null, span }, ctx: { _t: 'Load' }, span });
            }
            return rest(i + 1);
          }
          // Items after a star are counted from the end.
          const at = star >= 0 && i > star ? -(items.length - i) : i;
          const value = at < 0 ? { _t: 'Subscript', value: subject, slice: { _t: 'UnaryOp', op: { _t: 'USub' }, operand: int(-at), span }, ctx: { _t: 'Load' }, span } : item(at);
          const simple = x._t === 'MatchAs' && !x.pattern;
          if (simple) {
            if (x.name) bind(x.name, value);
            return rest(i + 1);
          }
          const held = this.matchTemp('match_item', this.expr(value), span);
          this.matchPattern(x, held, () => rest(i + 1));
        };
        return test(compare(len, star < 0 ? 'Eq' : 'GtE', int(fixed)), () => rest(0));
      }
      case 'MatchMapping': {
        if (p.rest) this.fail(span, 'match', `**${p.rest} in a mapping pattern is outside the compiled subset`, 'read the other keys from the subject');
        this.call('kiln.match_mapping', [this.expr(subject)], span, 'is_mapping');
        const keys = p.keys as PyNode[];
        const pats = p.patterns as PyNode[];
        const rest = (i: number) => {
          if (i === keys.length) return k();
          test(compare(keys[i], 'In', subject), () => {
            const held = this.matchTemp('match_value', this.expr({ _t: 'Subscript', value: subject, slice: keys[i], ctx: { _t: 'Load' }, span }), span);
            this.matchPattern(pats[i], held, () => rest(i + 1));
          });
        };
        return rest(0);
      }
      case 'MatchClass': {
        const cls = p.cls._t === 'Name' ? p.cls.id : '';
        const isinstance: PyNode = { _t: 'Call', func: { _t: 'Name', id: 'isinstance', ctx: { _t: 'Load' }, span }, args: [subject, p.cls], keywords: [], span };
        // int(), float(), bool() (and int(n): the subject itself): an isinstance test, which narrows the subject.
        if (['int', 'float', 'bool'].includes(cls) && !this.isLocalName(cls) && !p.kwd_patterns.length && p.patterns.length <= 1) {
          return test(isinstance, () => (p.patterns.length ? this.matchPattern(p.patterns[0], subject, k) : k()));
        }
        if (!this.mod.classes?.[cls] || this.isLocalName(cls)) {
          this.fail(span, 'class pattern', 'class patterns of int(), float() and bool() (with at most one subpattern) and of the module\'s classes are compiled; this one is not',
            'test the value with if/elif, or match its fields as a tuple: case (0, y):');
        }
        // Point(0, y=b): isinstance, then each attribute (positional ones named by __match_args__) matched in order.
        const matchArgs = p.patterns.length ? this.matchArgs(cls, span) : [];
        if (p.patterns.length > matchArgs.length) this.fail(span, 'class pattern', `TypeError: ${cls}() accepts ${matchArgs.length} positional sub-pattern${matchArgs.length === 1 ? '' : 's'} (${p.patterns.length} given)`);
        const attrs: [string, PyNode][] = [
          ...(p.patterns as PyNode[]).map((x, i): [string, PyNode] => [matchArgs[i], x]),
          ...(p.kwd_attrs as string[]).map((a, i): [string, PyNode] => [a, p.kwd_patterns[i]]),
        ];
        const twice = attrs.find(([a], i) => attrs.findIndex(([b]) => b === a) !== i);
        if (twice) this.fail(span, 'class pattern', `TypeError: ${cls}() got multiple sub-patterns for attribute '${twice[0]}'`);
        const rest = (i: number) => {
          if (i === attrs.length) return k();
          const [attr, x] = attrs[i];
          const value = this.expr({ _t: 'Attribute', value: subject, attr, ctx: { _t: 'Load' }, span });
          if (x._t === 'MatchAs' && !x.pattern) {
            if (x.name) bind(x.name, { _t: 'Name', id: this.matchTemp('match_attr', value, span).id, ctx: { _t: 'Load' }, span });
            return rest(i + 1);
          }
          this.matchPattern(x, this.matchTemp('match_attr', value, span), () => rest(i + 1));
        };
        return test(isinstance, () => rest(0));
      }
      default:
        this.fail(span, 'match', `the pattern ${p._t} is outside the compiled subset`);
    }
  }

  // ---- exceptions: try/except/else/finally, raise, the caught exception ----------------------------------

  /** Names bound by `except ... as e` in this function: each holds a caught exception, (kind, str(e)) (kiln.exc_caught). */
  private readonly excNames = new Set<string>();
  /** The caught exceptions that hold the instance of an exception class with fields (kiln.exc_caught of the class), with that class. */
  private readonly caughtObjects = new Map<string, string>();
  /** The variable holding the exception of each enclosing except clause (innermost last): what a bare `raise` re-raises. */
  private readonly caught: (string | undefined)[] = [];

  private tryStmt(s: PyNode) {
    const span = s.span!;
    const regions: IRRegion[] = [{ name: 'body', nodes: this.inRegion([], () => this.block(s.body)) }];
    const handlers: { classes: string[]; span: Span }[] = [];
    for (const h of s.handlers as PyNode[]) {
      handlers.push({ classes: h.type ? this.exceptClasses(h.type) : [], span: h.span! });
      const classes = handlers[handlers.length - 1].classes;
      // `except ParseError as e` of a class with fields: e holds the instance too (a local of its own: another clause's
      // e of a class without fields is a value of another type).
      const carrier = classes.length === 1 && this.exceptionWithFields(classes[0]) ? classes[0] : undefined;
      const renamed = h.name && carrier ? this.renames.get(h.name) : undefined;
      const nodes = this.inRegion([], () => {
        // The exception is kept (its kind and message) only where the clause names it or re-raises it.
        let holder: string | undefined;
        if (h.name || containsBareRaise(h.body)) {
          const v: string = carrier ? this.synthetic(h.name ?? 'caught') : h.name ? (this.renames.get(h.name) ?? h.name) : this.synthetic('caught');
          if (carrier) {
            this.excNames.add(v);
            this.caughtObjects.set(v, carrier);
            if (h.name) this.renames.set(h.name, v);
          }
          this.assign(v, carrier ? this.caughtWithFields(carrier, false, h.span!) : this.caughtBy(classes, h.span!), h.span!);
          holder = v;
        }
        this.caught.push(holder);
        try {
          this.block(h.body);
        } finally {
          this.caught.pop();
          if (h.name && carrier) {
            if (renamed === undefined) this.renames.delete(h.name);
            else this.renames.set(h.name, renamed);
          }
        }
      });
      regions.push({ name: 'handler', nodes });
    }
    regions.push({ name: 'orelse', nodes: this.inRegion([], () => this.block(s.orelse)) });
    this.finallyLoops.push(this.loopDepth);
    try {
      regions.push({ name: 'finally', nodes: this.inRegion([], () => this.block(s.finalbody)) });
    } finally {
      this.finallyLoops.pop();
    }
    const users = this.userExceptionsOf(handlers.flatMap((h) => h.classes));
    this.emit({ op: 'try', name: this.fresh('try', false), target: 'try', args: [], span, regions, handlers, ...(users ? { userExceptions: users } : {}) });
  }

  /**
   * An exception class of this module (`class ParseError(ValueError): pass`): its chain of bases (each user class with
   * its base) up to a built-in class, or a problem reported at `span`. Undefined: not a class of the module.
   */
  private userException(name: string, span: Span): Record<string, string> | undefined {
    const classes = this.home.exceptionClasses ?? [];
    if (this.mod !== this.home || this.isLocalName(name) || !classes.some((c) => c.name === name)) return undefined;
    const chain: Record<string, string> = {};
    for (let n = name; ;) {
      const c = classes.find((x) => x.name === n)!;
      const hint = 'write class Name(ValueError): with a docstring, pass, class attributes (code = 404), an __init__ that calls super().__init__(message) then assigns fields (self.line = line), and methods (__str__) when it has one';
      if (c.problem) this.fail(span, 'exception class', `${n} (line ${c.span.line}): ${c.problem} is outside the compiled subset`, hint);
      if (c.bases.length !== 1 || !c.bases[0]) this.fail(span, 'exception class', `${n} (line ${c.span.line}) must have exactly one base class, named`, hint);
      const base = c.bases[0]!;
      if (chain[base] !== undefined || base === name) this.fail(span, 'exception class', `${n}: its bases form a cycle`);
      chain[n] = base;
      if (isExceptionKind(base)) return chain;
      if (!classes.some((x) => x.name === base)) {
        this.fail(span, 'exception class', `${n} (line ${c.span.line}) derives from ${base}, which is not an exception class compiled code raises`,
          `derive from one of ${EXCEPTION_KINDS.filter((k) => !k.module).map((k) => k.name).join(', ')}`);
      }
      n = base;
    }
  }

  /**
   * `e.code` of a caught exception: the class attribute `code` of its class (its own, or the nearest base's that has
   * one; a module constant `Class.code`), found by its class name, or CPython's AttributeError. Undefined when no
   * exception class of the module has it.
   */
  private caughtClassAttribute(e: PyNode, attr: string, span: Span): Arg | undefined {
    const classes = this.home.exceptionClasses ?? [];
    if (this.mod !== this.home) return undefined;
    const owners: [string, string][] = [];
    for (const c of classes) {
      if (c.problem || this.isLocalName(c.name)) continue;
      const chain = this.userException(c.name, span) ?? {};
      for (let k: string | undefined = c.name; k !== undefined && chain[k] !== undefined; k = chain[k]) {
        if (classes.find((x) => x.name === k)?.attrs?.some((a) => a.name === attr)) {
          owners.push([c.name, k]);
          break;
        }
      }
    }
    if (!owners.length) return undefined;
    const name = this.caughtClassName(e, span);
    const out = this.synthetic('exc_attr');
    const str = (value: string): Arg => ({ const: { kind: 'str', value } });
    const test = (i: number): void => {
      if (i === owners.length) {
        const message = this.call('_operator.add', [this.call('_operator.add', [str("'"), name], span, 'add'), str(`' object has no attribute '${attr}'`)], span, 'add');
        this.emit({ op: 'raise', name: this.fresh('raise', false), target: 'AttributeError', args: [message], span });
        return;
      }
      const [cls, owner] = owners[i];
      this.ifNode(this.call('_operator.eq', [name, str(cls)], span, 'is_class'), span, () => this.assign(out, this.valueAt(`${this.moduleName}.${owner}.${attr}`, span, `${owner}.${attr}`), span), () => test(i + 1));
    };
    test(0);
    return { ref: out };
  }

  /** kiln.exc_caught of an exception class with fields: the tuple holds its instance too (`optional`: if it is one). */
  private caughtWithFields(cls: string, optional: boolean, span: Span): Arg {
    const args: Arg[] = [{ const: { kind: 'str', value: `${this.moduleName}.${cls}` } }, ...(optional ? [{ const: { kind: 'bool' as const, value: true } }] : [])];
    return this.call('kiln.exc_caught', args, span, 'caught');
  }

  /**
   * The exception an except clause naming `classes` ([]: every exception) caught: when it may catch an exception class
   * with fields, the instance is kept if there is one (as the module's BaseException, their common base), so that
   * `raise` passes it on.
   */
  private caughtBy(classes: string[], span: Span): Arg {
    const all = this.home.exceptionClasses ?? [];
    const carries = all.some((c) => {
      if (!this.exceptionWithFields(c.name)) return false;
      const lineage: string[] = [];
      for (let n: string | null | undefined = c.name; n && !lineage.includes(n); n = all.find((x) => x.name === n)?.bases[0]) lineage.push(n);
      return !classes.length || classes.some((k) => lineage.includes(k) || kindsCaughtBy(k).includes(lineage[lineage.length - 1]));
    });
    return carries ? this.caughtWithFields(EXCEPTION_ROOT, true, span) : this.call('kiln.exc_caught', [], span, 'caught');
  }

  /** An exception class of this module whose instances carry fields (raised and caught as objects), by name. */
  private exceptionWithFields(name: string): boolean {
    return this.mod === this.home && !this.isLocalName(name) && !!this.home.exceptionClasses?.some((c) => c.name === name && c.fields && !c.problem)
      && Object.hasOwn(this.home.classes ?? {}, name);
  }

  /** The nearest class of `name`'s chain (itself first) that defines `__init__(self, param)`. */
  private exceptionInit(name: string, chain: Record<string, string>): { cls: string; param: string } | undefined {
    const classes = this.home.exceptionClasses ?? [];
    for (let n: string | undefined = name; n !== undefined; n = chain[n]) {
      const param = classes.find((c) => c.name === n)?.initParam;
      if (param) return { cls: n, param };
    }
    return undefined;
  }

  /** The user exception classes among `names`, with their bases (what a raise or try node records). */
  private userExceptionsOf(names: string[], span?: Span): Record<string, string> | undefined {
    const out: Record<string, string> = {};
    for (const n of names) Object.assign(out, this.userException(n, span ?? this.src.span) ?? {});
    return Object.keys(out).length ? out : undefined;
  }

  /** The loop depth where each enclosing finally clause starts (innermost last). */
  private readonly finallyLoops: number[] = [];

  private refuseInFinally(span: Span, op: string): never {
    this.fail(span, `${op} in finally`, `'${op}' that leaves a finally clause (it silently cancels an exception in flight; PEP 765) is outside the compiled subset`,
      `${op === 'return' ? 'return' : op} after the try statement instead`);
  }

  /** The classes an except clause names: `ValueError`, `(KeyError, IndexError)`. */
  private exceptClasses(t: PyNode): string[] {
    const one = (c: PyNode): string => {
      if (c._t === 'Name' && isCatchableClass(c.id) && !this.isLocalName(c.id)) return c.id;
      if (c._t === 'Name' && this.userException(c.id, c.span!)) return c.id;
      this.fail(c.span, 'except', `except ${c._t === 'Name' ? c.id : 'this expression'}: only built-in exception classes are caught here`,
        `name one or a tuple of them: ${[...EXCEPTION_KINDS.filter((k) => !k.module).map((k) => k.name), 'BaseException'].join(', ')}`);
    };
    return t._t === 'Tuple' ? t.elts.map(one) : [one(t)];
  }

  /** Whether `n` names a caught exception (`e` of `except ValueError as e`). */
  private isCaught(n: PyNode | undefined): boolean {
    if (n?._t !== 'Name') return false;
    const id = this.caughtLocal(n);
    return this.excNames.has(id) && this.locals.has(id);
  }

  /** The local that holds the caught exception `n` names (renamed in an inlined generator). */
  private caughtLocal(n: PyNode): string {
    return this.renames.get(n.id) ?? n.id;
  }

  /**
   * str(e) of a caught exception: its message (which is str(e) of a class whose `__str__` replaces BaseException's,
   * taken when it was raised), or the `__str__` of the instance a clause naming such a class keeps (called now, as
   * CPython does: a method that changed a field shows it).
   */
  private caughtMessage(n: PyNode): Arg {
    const span = n.span!;
    if (this.caughtText(n, '__str__')) return this.call('method.__str__', [this.caughtObject(n, span)], span, 'str');
    const message = this.call('_operator.getitem', [{ ref: this.caughtLocal(n) }, { const: { kind: 'int', value: '1' } }], span, 'message');
    if ((this.home.exceptionClasses ?? []).some((c) => this.exceptionMethod(c.name, '__str__'))) {
      // The text of an exception whose `__str__` raised (exceptionStr): CPython would call it again here and raise what
      // it raises, which needs the instance this clause does not keep.
      this.ifNode(this.call('_operator.eq', [message, { const: { kind: 'str', value: STR_FAILED } }], span, 'eq'), span, () => this.emit({
        op: 'raise', name: this.fresh('raise', false), target: 'TypeError', span,
        args: [{ const: { kind: 'str', value: "Kiln did not keep the exception whose __str__ raised: catch its class by name (except E as e) to read str(e)" } }],
      }));
    }
    return message;
  }

  /**
   * str(e) of an exception with its own `__str__`, taken when it is raised. When `__str__` itself raises, the
   * exception is raised all the same, with the text CPython's traceback prints for it (STR_FAILED): CPython fails only
   * where str(e) is read, which a clause naming the class does by calling `__str__` again (caughtMessage).
   */
  private exceptionStr(obj: Arg, span: Span): Arg {
    const text = this.synthetic('text');
    const body = this.inRegion([], () => this.assign(text, this.call('method.__str__', [obj], span, 'str'), span));
    const handler = this.inRegion([], () => this.assign(text, { const: { kind: 'str', value: STR_FAILED } }, span));
    const regions: IRRegion[] = [{ name: 'body', nodes: body }, { name: 'handler', nodes: handler }, { name: 'orelse', nodes: [] }, { name: 'finally', nodes: [] }];
    this.emit({ op: 'try', name: this.fresh('try', false), target: 'try', args: [], span, regions, handlers: [{ classes: [], span }] });
    return { ref: text };
  }

  /** The instance a caught exception of a class with fields holds (the clause names its class). */
  private caughtObject(n: PyNode, span: Span): Arg {
    return this.call('_operator.getitem', [{ ref: this.caughtLocal(n) }, { const: { kind: 'int', value: '3' } }], span, 'exception');
  }

  /** Whether the class a clause names (its instance kept) has its own `__str__` or `__repr__` (or a base of the module has). */
  private caughtText(n: PyNode, method: '__str__' | '__repr__'): boolean {
    const cls = this.caughtObjects.get(this.caughtLocal(n));
    return !!cls && !!this.exceptionMethod(cls, method);
  }

  /** The nearest class of the module in `cls`'s chain (itself first) that defines `method`, if one does. */
  private exceptionMethod(cls: string, method: string): string | undefined {
    const classes = this.home.exceptionClasses ?? [];
    const seen = new Set<string>();
    for (let c: string | null | undefined = cls; c && !seen.has(c); c = classes.find((x) => x.name === c)?.bases[0]) {
      seen.add(c);
      if (this.home.functions.some((f) => f.name === `${c}.${method}`)) return c;
    }
    return undefined;
  }

  /** The bits of exceptionText (ir.ts) of the classes of `chain` that have any. */
  private exceptionTextOf(chain: Record<string, string>): Record<string, number> | undefined {
    const out: Record<string, number> = {};
    for (const c of Object.keys(chain)) {
      const bits = (this.exceptionMethod(c, '__str__') ? 1 : 0) | (this.exceptionMethod(c, '__repr__') ? 2 : 0);
      if (bits) out[c] = bits;
    }
    return Object.keys(out).length ? out : undefined;
  }

  /** Whether `n` is `e.args` of a caught exception (read as e.args[i], len(e.args), str(e.args), repr(e.args)). */
  private caughtArgs(n: PyNode | undefined): boolean {
    return n?._t === 'Attribute' && n.attr === 'args' && this.isCaught(n.value);
  }

  /** repr(e) of a caught exception (`ValueError('m')`), or repr(e.args) (`('m',)`) with `args`. */
  private caughtRepr(n: PyNode, args: boolean, span: Span): Arg {
    if (!args && this.caughtText(n, '__repr__')) return this.call('method.__repr__', [this.caughtObject(n, span)], span, 'repr');
    return this.call('kiln.exc_repr', [{ ref: this.caughtLocal(n) }, { const: { kind: 'bool', value: args } }, ...this.keptArgument(n, span)], span, 'repr');
  }

  /** The argument of a caught exception whose clause keeps its instance (its message field), for e.args and repr(e). */
  private keptArgument(n: PyNode, span: Span): Arg[] {
    if (!this.caughtObjects.has(this.caughtLocal(n))) return [];
    return [this.call('kiln.getattr', [this.caughtObject(n, span), { const: { kind: 'str', value: EXCEPTION_MESSAGE } }], span, 'argument')];
  }

  /** len(e.args) of a caught exception. */
  private caughtCount(n: PyNode): Arg {
    return this.call('_operator.getitem', [{ ref: this.caughtLocal(n) }, { const: { kind: 'int', value: '2' } }], n.span!, 'nargs');
  }

  /**
   * isinstance(e, X) / isinstance(e, (X, Y)) of a caught exception: kiln.exc_isinstance of its code, given the kinds
   * the built-in classes take in (`K:ZeroDivisionError`) and the module's classes by name (`U:ParseError`).
   */
  private caughtIsInstance(e: PyNode, classes: PyNode, span: Span): Arg {
    const names = this.exceptClasses(classes);
    const tests = names.flatMap((c) => (this.userException(c, span) ? [`U:${c}`] : kindsCaughtBy(c).map((k) => `K:${k}`)));
    return this.call('kiln.exc_isinstance', [this.caughtKind(e), { const: { kind: 'str', value: [...new Set(tests)].join(',') } }], span, 'isinstance');
  }

  /** type(e).__name__ of a caught exception: its class name. */
  private caughtClassName(n: PyNode, span: Span): Arg {
    return this.call('kiln.exc_name', [this.caughtKind(n)], span, 'class_name');
  }

  /** The code of a caught exception (its kind, or minus its class descriptor's address; 0 for None, see withStmt). */
  private caughtKind(n: PyNode): Arg {
    return this.call('_operator.getitem', [{ ref: this.caughtLocal(n) }, { const: { kind: 'int', value: '0' } }], n.span!, 'kind');
  }

  private raise(s: PyNode) {
    const span = s.span!;
    // `raise X from Y`: the cause is not part of what the caller sees (the type and message of X); Y must not compute anything.
    if (s.cause && !this.isCaught(s.cause) && !(s.cause._t === 'Constant' && s.cause.value === null)) {
      this.fail(s.cause.span, 'raise ... from', 'the cause of `raise ... from` must be a caught exception (`from e`) or None here', 'write raise X(...) from e');
    }
    if (s.exc && this.exitArg(s.exc) === 'value') this.fail(s.exc.span, '__exit__', `raise ${s.exc.id} of __exit__'s exception is outside the compiled subset`, 'return False to let the exception go on');
    if (!s.exc || this.isCaught(s.exc)) {
      const holder = s.exc ? this.caughtLocal(s.exc) : this.caught[this.caught.length - 1];
      if (!holder) this.fail(span, 'bare raise', 'a bare `raise` outside an except clause is outside the compiled subset (RuntimeError: No active exception to reraise)', 'raise a specific exception');
      this.emit({ op: 'raise', name: this.fresh('raise', false), target: 'kiln.reraise', args: [{ ref: holder! }], span });
      return;
    }
    const named: PyNode = s.exc._t === 'Call' ? s.exc.func : s.exc;
    const carrier = named._t === 'Name' ? this.exceptionWithFields(named.id) : undefined;
    if (carrier) {
      // An exception class with fields: its instance, made as any class's (raise E is raise E()), raised with its message.
      const obj = this.expr(s.exc._t === 'Call' ? s.exc : { _t: 'Call', func: s.exc, args: [], keywords: [], span });
      // A class with its own `__str__`: the message is str(e), taken now (what the caller, a traceback and a clause
      // that does not keep the instance read); e.args and repr(e) are then refused at run time (kiln_except.h).
      const message = this.exceptionMethod(named.id, '__str__')
        ? this.exceptionStr(obj, span)
        : this.call('kiln.getattr', [obj, { const: { kind: 'str', value: EXCEPTION_MESSAGE } }], span, 'message');
      const user = this.userException(named.id, span)!;
      const text = this.exceptionTextOf(user);
      this.emit({ op: 'raise', name: this.fresh('raise', false), target: named.id, args: [message, obj], span, userExceptions: user, exceptionObject: true, ...(text ? { exceptionText: text } : {}) });
      return;
    }
    let excName: PyNode = s.exc;
    const args: Arg[] = [];
    if (s.exc._t === 'Call') {
      excName = s.exc.func;
      if (s.exc.keywords.length || s.exc.args.some((a: PyNode) => a._t === 'Starred')) this.fail(span, 'raise', 'an exception here takes its arguments (strs) by position', 'write raise X("message") or raise X("a", "b")');
      // The arguments: literals, or any str expressions (an f-string, a concatenation): typecheck checks they are strs.
      for (const m of s.exc.args as PyNode[]) args.push(m._t === 'Constant' && typeof m.value === 'string' ? { const: { kind: 'str', value: m.value } } : this.expr(m));
    }
    const user = excName._t === 'Name' ? this.userException(excName.id, span) : undefined;
    if (!user && (excName._t !== 'Name' || !isExceptionKind(excName.id) || this.isLocalName(excName.id))) {
      this.fail(span, 'raise', 'only built-in exceptions and exception classes of this module can be raised here', `use one of ${EXCEPTION_KINDS.filter((k) => !k.module).map((k) => k.name).join(', ')}, or define class Name(ValueError): pass`);
    }
    // A class whose `__init__(self, message)` (its own or a base's) is given other than one argument: CPython's TypeError instead.
    const init = user ? this.exceptionInit(excName.id, user) : undefined;
    if (init && args.length !== 1) {
      const message = args.length ? `${init.cls}.__init__() takes 2 positional arguments but ${args.length + 1} were given` : `${init.cls}.__init__() missing 1 required positional argument: '${init.param}'`;
      this.emit({ op: 'raise', name: this.fresh('raise', false), target: 'TypeError', args: [{ const: { kind: 'str', value: message } }], span });
      return;
    }
    this.emit({ op: 'raise', name: this.fresh('raise', false), target: excName.id, args, span, ...(user ? { userExceptions: user } : {}) });
  }

  // ---- with statements: a context manager's __enter__ and __exit__ around a try -------------------------

  /**
   * `with m as x: body` as CPython runs it: m is evaluated, then m.__enter__(); x is bound and the body runs inside a
   * try whose except clause calls m.__exit__ with the exception (re-raised unless the result is true) and whose finally
   * clause calls m.__exit__(None, None, None) when the body left any other way (its end, return, break, continue).
   * The exception is passed as a caught exception, (kind, str(e)), None as (0, "None"): __exit__ reads its arguments as
   * exitArgsOf allows. Several items nest, the first outermost.
   */
  private withStmt(s: PyNode, from: number) {
    const items = s.items as PyNode[];
    if (from === items.length) return this.block(s.body);
    const span = s.span!;
    const item = items[from];
    const name = (id: string): PyNode => ({ _t: 'Name', id, ctx: { _t: 'Load' }, span });
    const generator = this.contextManagerCall(item.context_expr);
    if (generator) return this.withGenerator(s, from, generator);
    if (item.context_expr._t === 'Call' && this.resolveName(item.context_expr.func) === 'contextlib.suppress') return this.withSuppress(s, from);
    this.refuseResourceManager(item.context_expr);
    const manager = this.matchTemp('with_manager', this.expr(item.context_expr), span);
    const method = (attr: string, args: PyNode[]): Arg =>
      this.expr({ _t: 'Call', func: { _t: 'Attribute', value: manager, attr, ctx: { _t: 'Load' }, span }, args, keywords: [], span });
    const entered = method('__enter__', []);
    const value = item.optional_vars ? this.matchTemp('with_value', entered, span) : undefined;
    const raised = this.synthetic('with_raised');
    this.assign(raised, { const: { kind: 'bool', value: false } }, span);
    const body = this.inRegion([], () => {
      if (value) this.store(item.optional_vars, this.expr(value), span);
      this.withStmt(s, from + 1);
    });
    const handler = this.inRegion([], () => {
      const e = this.synthetic('with_exc');
      if (this.frame) this.renames.set(e, e);
      this.assign(e, this.caughtBy([], span), span);
      this.assign(raised, { const: { kind: 'bool', value: true } }, span);
      const suppress = method('__exit__', [name(e), name(e), name(e)]);
      this.ifNode(this.call('_operator.not_', [suppress], span, 'not'), span, () =>
        this.emit({ op: 'raise', name: this.fresh('raise', false), target: 'kiln.reraise', args: [{ ref: e }], span }));
    });
    this.finallyLoops.push(this.loopDepth);
    const cleanup = this.inRegion([], () => this.ifNode(this.call('_operator.not_', [{ ref: raised }], span, 'not'), span, () => {
      const none = this.matchTemp('with_none', this.expr({ _t: 'Tuple', elts: [{ _t: 'Constant', value: { _t: 'int', dec: '0' }, span }, { _t: 'Constant', value: 'None', span }, { _t: 'Constant', value: { _t: 'int', dec: '0' }, span }], ctx: { _t: 'Load' }, span }), span);
      method('__exit__', [none, none, none]);
    }));
    this.finallyLoops.pop();
    const regions: IRRegion[] = [{ name: 'body', nodes: body }, { name: 'handler', nodes: handler }, { name: 'orelse', nodes: [] }, { name: 'finally', nodes: cleanup }];
    this.emit({ op: 'try', name: this.fresh('try', false), target: 'try', args: [], span, regions, handlers: [{ classes: [], span }] });
  }

  /**
   * `with contextlib.suppress(A, B): body` is `try: body except (A, B): pass`, as suppress's __exit__ matches with
   * issubclass (no class: nothing is suppressed). The rest of the with's items are inside the try, as for any item.
   */
  private withSuppress(s: PyNode, from: number) {
    const span = s.span!;
    const item = (s.items as PyNode[])[from];
    const call = item.context_expr;
    if (item.optional_vars) this.fail(item.optional_vars.span, 'with suppress', '`with suppress(...) as name` is outside the compiled subset (the suppress object is never used)', 'write with suppress(...): without `as`');
    if (call.keywords.length || call.args.some((a: PyNode) => a._t === 'Starred')) this.fail(call.span, 'with suppress', 'suppress() takes the exception classes by name here', 'write suppress(ValueError, KeyError)');
    const rest: PyNode[] = from + 1 < s.items.length ? [{ ...s, items: s.items.slice(from + 1) }] : s.body;
    if (!call.args.length) return this.block(rest);
    const classes: PyNode = call.args.length === 1 ? call.args[0] : { _t: 'Tuple', elts: call.args, ctx: { _t: 'Load' }, span: call.span };
    this.tryStmt({ _t: 'Try', body: rest, handlers: [{ _t: 'ExceptHandler', type: classes, name: null, body: [{ _t: 'Pass', span }], span }], orelse: [], finalbody: [], span });
  }

  /**
   * `with open(path) as f` and `with lock:` (a threading lock, made here or in a module-level variable): compiled code
   * does no file I/O and needs no lock of its own, so each is refused with what to do instead.
   */
  private refuseResourceManager(m: PyNode) {
    const made = (n: PyNode): string | undefined => (n._t === 'Call' ? this.resolveName(n.func) : undefined);
    const global = m._t === 'Name' && !this.isLocalName(m.id) ? this.mod.constants[m.id]?.value as PyNode | undefined : undefined;
    const maker = made(m) ?? (global ? made(global) : undefined);
    if (maker === 'builtins.open' || maker === 'io.open' || maker === 'pathlib.Path.open') {
      this.fail(m.span, 'with open()', 'a with statement over a file (open()) is outside the compiled subset: compiled code does no file I/O',
        'read the file in Python and pass its text (a str) or bytes to the compiled function, or return the text to write');
    }
    if (maker && /^(threading|multiprocessing)\.(Lock|RLock|Semaphore|BoundedSemaphore|Condition)$/.test(maker)) {
      this.fail(m.span, 'with lock', `a with statement over a ${maker}() is outside the compiled subset: compiled code keeps no lock of its own`,
        'take the lock in Python around the call of the compiled function (the exported calls of a module with module-level state are serialised already)');
    }
  }

  /** A call of a generator function of the module decorated with @contextlib.contextmanager. */
  private contextManagerCall(n: PyNode): GenCall | undefined {
    const gen = n._t === 'Call' ? this.generatorCall(n) : undefined;
    const imports = this.home.imports;
    const isContextManager = (d: string) => imports[d] === 'contextlib.contextmanager' || (d === 'contextlib.contextmanager' && imports.contextlib === 'contextlib');
    return gen?.fn.otherDecorators.some(isContextManager) ? gen : undefined;
  }

  /**
   * `with cm(...) as x: body` over a @contextmanager generator: its body inlined, the with's body running at its one
   * yield (x bound to the item). An exception of the body is raised at the yield, as the generator's throw() does: its
   * try/except/finally around the yield see it, and if it ends without raising the exception is suppressed. The yield
   * must be reached on every path that does not raise (RuntimeError "generator didn't yield" otherwise) and the body
   * must leave the with at its end or by an exception: a return/break/continue there would resume the generator after
   * the yield in CPython, which the inlined code does not do.
   */
  private withGenerator(s: PyNode, from: number, gen: GenCall) {
    const span = s.span!;
    const item = (s.items as PyNode[])[from];
    const fn = gen.fn;
    const hint = `write ${fn.name} with one \`yield\` in its body (inside try/finally if it cleans up), and no return`;
    const yields: PyNode[] = [];
    let returns: PyNode | undefined;
    walkStatements(fn.body ?? [], (n) => {
      if (n._t === 'Yield' || n._t === 'YieldFrom') yields.push(n);
      if (n._t === 'Return') returns ??= n;
    });
    if (yields.length !== 1 || yields[0]._t === 'YieldFrom') this.fail(yields[1]?.span ?? fn.span, 'contextmanager', `the @contextmanager generator '${fn.name}' is compiled with exactly one yield (not yield from); it has ${yields.length}`, hint);
    if (returns) this.fail(returns.span, 'contextmanager', `a return in the @contextmanager generator '${fn.name}' is outside the compiled subset`, hint);
    const reaches = (stmts: PyNode[]): boolean => stmts.some((st) => (st._t === 'Expr' && st.value._t === 'Yield') || ((st._t === 'Try' || st._t === 'With') && reaches(st.body)));
    if (!reaches(fn.body ?? [])) {
      this.fail(yields[0].span, 'contextmanager', `the yield of the @contextmanager generator '${fn.name}' is compiled as a statement of its body, or of a try's or a with's body there: not inside an if, a loop or an except clause`, hint);
    }
    const leaves = leavingStatement(s.body);
    if (leaves) {
      this.fail(leaves.span, 'with', `'${leaves._t.toLowerCase()}' out of a with over the @contextmanager generator '${fn.name}' is outside the compiled subset (CPython resumes the generator after its yield first)`,
        'set a flag (or the result) and leave after the with statement');
    }
    const yielded = this.synthetic('with_yielded');
    this.assign(yielded, { const: { kind: 'bool', value: false } }, span);
    this.inlineGenerator(gen, (value) => {
      this.assign(yielded, { const: { kind: 'bool', value: true } }, span);
      if (item.optional_vars) this.store(item.optional_vars, value, span);
      this.withStmt(s, from + 1);
    }, undefined, undefined, true);
    this.ifNode(this.call('_operator.not_', [{ ref: yielded }], span, 'not'), span, () =>
      this.emit({ op: 'raise', name: this.fresh('raise', false), target: 'RuntimeError', args: [{ const: { kind: 'str', value: "generator didn't yield" } }], span }));
  }

  /** The exception arguments of a method `__exit__` (after self) -> what each holds: the class, the exception, the traceback. */
  private readonly exitArgs = new Map<string, 'type' | 'value' | 'traceback'>();

  /**
   * In a method `__exit__`: its three arguments after self hold what a with statement passes, a caught exception or
   * the none one (kind 0). The exception (the second) reads as a caught exception (str(exc), isinstance(exc, ...),
   * type(exc).__name__); each can be tested with `is None`, `is not None` or as a condition; the class also with
   * issubclass(exc_type, ...). Other uses are refused where they are (name()).
   */
  private exitArgsOf(src: FnSource) {
    const fn = this.mod.functions.find((f) => f.name === src.id);
    if (!fn?.methodOf || !src.id.endsWith('.__exit__')) return;
    const hint = 'write def __exit__(self, exc_type, exc, tb) -> bool: and test them with `exc is None`, isinstance(exc, ...), str(exc)';
    this.report(() => {
      if (src.vararg && JSON.stringify(src.body).includes(`"id":${JSON.stringify(src.vararg.name)}`)) {
        this.fail(src.vararg.span, '__exit__', `__exit__ reading the exception through *${src.vararg.name} is outside the compiled subset`, hint);
      }
      if (!src.vararg && src.params.length !== 4) this.fail(src.span, '__exit__', `__exit__ takes self and three arguments (the exception's class, the exception and its traceback); this one takes ${src.params.length - 1} after self`, hint);
    });
    src.params.slice(1, 4).forEach((p, i) => {
      this.exitArgs.set(p.name, (['type', 'value', 'traceback'] as const)[i]);
      if (i === 1) this.excNames.add(p.name);
    });
  }

  /** What `n` holds if it names an exception argument of __exit__. */
  private exitArg(n: PyNode | undefined): 'type' | 'value' | 'traceback' | undefined {
    return n?._t === 'Name' && this.locals.has(n.id) && !this.renames.has(n.id) ? this.exitArgs.get(n.id) : undefined;
  }

  /** `e is None`, `e is not None`, `if e:`, `not e` of a caught exception or an __exit__ argument: a test of its kind (0: None). */
  private exceptionIsNone(n: PyNode): Arg | undefined {
    const held = (x: PyNode) => this.isCaught(x) || !!this.exitArg(x);
    const none = (x: PyNode) => x._t === 'Constant' && x.value === null;
    let subject: PyNode | undefined;
    let isNone = true;
    if (n._t === 'Compare' && n.ops.length === 1 && (n.ops[0]._t === 'Is' || n.ops[0]._t === 'IsNot')) {
      const [a, b] = [n.left, n.comparators[0]];
      subject = held(a) && none(b) ? a : held(b) && none(a) ? b : undefined;
      isNone = n.ops[0]._t === 'Is';
    } else if (n._t === 'UnaryOp' && n.op._t === 'Not' && held(n.operand)) {
      subject = n.operand;
    } else if (held(n)) {
      subject = n;
      isNone = false;
    }
    if (!subject) return undefined;
    return this.call(`_operator.${isNone ? 'eq' : 'ne'}`, [this.caughtKind(subject), { const: { kind: 'int', value: '0' } }], n.span!, isNone ? 'is_none' : 'is_not_none');
  }

  private stringLiteral(n: PyNode, what: string): string {
    if (n._t === 'Constant' && typeof n.value === 'string') return n.value;
    this.fail(n.span, what, `the ${what} must be a string literal`, 'write a fixed message in quotes: "..."');
  }

  // ---- generators: inlined where they are consumed (ir/generators.ts) ----------------------------

  /** Traces a loop's body: `break` and `continue` in it leave this loop. */
  private loopBody(fn: () => void) {
    this.breakTargets.push('loop');
    try {
      fn();
    } finally {
      this.breakTargets.pop();
    }
  }

  private ownerContext(): OwnerContext {
    return { mod: this.mod, renames: this.renames, frame: this.frame, containers: this.containers, loopDepth: this.loopDepth, foreignUse: this.foreignUse };
  }

  /** Where code of `mod` traced in place here is placed: at `span`, the call that reads it, when `mod` is another module. */
  private foreignUseIn(mod: PyModule, span: Span): Span | undefined {
    return mod === this.home ? this.foreignUse : (this.foreignUse ?? span);
  }

  private enterOwner(o: OwnerContext) {
    [this.mod, this.moduleName] = [o.mod, moduleName(o.mod)];
    this.renames = o.renames;
    this.frame = o.frame;
    this.containers = o.containers;
    this.loopDepth = o.loopDepth;
    this.foreignUse = o.foreignUse;
  }

  /** `break`: leaves the innermost loop; at an inlined generator's yield, it also stops the generator. */
  private breakStmt(span: Span) {
    const top = this.breakTargets[this.breakTargets.length - 1];
    if (top && top !== 'loop') {
      this.assign(top.stop, { const: { kind: 'bool', value: true } }, span);
      if (top.brk) this.assign(top.brk, { const: { kind: 'bool', value: true } }, span);
      top.stops++;
      top.oneShot++;
    }
    this.emit({ op: 'break', name: this.fresh('break', false), target: 'break', args: [], span });
  }

  /** `continue`: at an inlined generator's yield, it leaves the consumer's body (the generator resumes after its yield). */
  private continueStmt(span: Span) {
    const top = this.breakTargets[this.breakTargets.length - 1];
    if (top && top !== 'loop') {
      top.oneShot++;
      this.emit({ op: 'break', name: this.fresh('break', false), target: 'break', args: [], span });
      return;
    }
    this.emit({ op: 'continue', name: this.fresh('continue', false), target: 'continue', args: [], span });
  }

  /** `return` (and `return value`: the value is StopIteration's, which a loop drops) in an inlined generator: it stops. */
  private returnFromGenerator(span: Span) {
    const frame = this.frame!;
    this.assign(frame.stop, { const: { kind: 'bool', value: true } }, span);
    frame.stops++;
    this.breakStmt(span);
  }

  /** A loop of an inlined generator's body: when something in it stopped the generator, the loop after it is left too. */
  private inGeneratorLoop(span: Span, loop: () => void) {
    const frame = this.frame;
    if (!frame) return loop();
    const before = frame.stops;
    loop();
    if (frame.stops > before) this.ifNode({ ref: frame.stop }, span, () => this.breakStmt(span));
  }

  /**
   * The generator a node makes: a call of a def of this module whose body yields, or a variable that holds one
   * (made earlier and read here once: a deferred generator). A @compile generator returns its frames
   * (ir/generator_frames.ts); a call of it consumed in this function, where it is made or through the `variable`
   * it is assigned to, is inlined (or a state machine) as any generator; one that escapes (the variable is returned,
   * stored or passed on: onlyConsumed) or that inlining cannot compile (x = yield v read by a loop) stays frames.
   */
  private generatorCall(n: PyNode, variable?: string): GenCall | undefined {
    if (n._t === 'Name') {
      const d = this.deferredOf(n);
      return d?.kind === 'call' ? d.gen : undefined;
    }
    if (n._t !== 'Call') return undefined;
    const named = this.resolveName(n.func);
    if (!named) return undefined;
    // A compiled standard function with variants (islice(xs, 2) is islice__2): the variant's def.
    const variant = this.isStdlibCall(named) ? stdlibVariant(named, n) : undefined;
    let target = variant && 'target' in variant ? variant.target : named;
    const b = this.names.resolve(target);
    if (b.kind !== 'function') return undefined;
    const own = b.fn.frames && !b.fn.methodOf ? b.fn.generator : undefined;
    const body = this.frame ? this.frame.fn.body ?? [] : this.src.body;
    // Read item by item, the variable is a state machine, which takes sent values; read once, it is inlined.
    const machine = (v: string) => readByNext(body, v) || !!singleUseProblem(body, v, 1);
    const kept = own && !(variable ? !onlyConsumed(body, variable) || inlineProblem(own, machine(variable)) : inlineProblem(own));
    const fn = b.fn.frames && !b.fn.methodOf ? (kept ? own : undefined) : b.fn;
    if (!fn || !isGeneratorFunction(fn)) return undefined;
    // A generator of a compiled standard module (itertools.takewhile) is Kiln's own: inlined with its module's names.
    const stdlib = isCompiledStdlib(b.mod.file);
    if (!stdlib && (b.mod !== this.home || this.mod !== this.home)) {
      this.fail(n.span, 'generator of another module', `the generator '${fn.name}' is defined in another module: generators are inlined where they are consumed, from the same module only`, `define ${fn.name} in this module, or make the other module return a list`);
    }
    return { fn, call: n, mod: b.mod };
  }

  /** The deferred generator (or generator expression) a variable holds, if it holds one. */
  private deferredOf(n: PyNode): Deferred | undefined {
    if (n._t !== 'Name' || !this.isLocalName(n.id)) return undefined;
    return this.deferred.get(this.renames.get(n.id) ?? n.id);
  }

  /** Runs `fn` in another naming context (where a deferred generator expression was made), then comes back. */
  private withOwner<R>(o: OwnerContext | undefined, fn: () => R): R {
    if (!o) return fn();
    const saved = this.ownerContext();
    this.enterOwner(o);
    try {
      return fn();
    } finally {
      this.enterOwner(saved);
    }
  }

  /**
   * The items of a generator expression pushed into `k`, fused into the consumer as CPython runs it lazily: its
   * clauses are loops traced in the names of the place that made it (a deferred one may be read inside an inlined
   * generator), each item runs `k` in the names of the place that reads it, where `break` (and `continue`) leave
   * every clause (the generator is abandoned: later items are never computed) as at an inlined generator's yield.
   * `orelse` runs when the items end without a break; `afterYield` after `k` at each item, before the next is made,
   * with what stops the generator expression there (zip() with a sequence before it).
   */
  private genexpItems(n: PyNode, genexp: PyNode, k: (item: Arg) => void, orelse?: () => void, afterYield?: (stop: () => void) => void) {
    const span = genexp.span!;
    const F = (v: boolean): Arg => ({ const: { kind: 'bool', value: v } });
    // The flags are made when something reads them (a consumer that runs to the end needs none).
    const flags: { stop?: string; brk?: string } = {};
    const synthetic = (base: string) => this.synthetic(base);
    const frame: YieldTarget = {
      get stop() { return (flags.stop ??= synthetic('genexp_stop')); },
      get brk() { return orelse ? (flags.brk ??= synthetic('genexp_break')) : undefined; },
      stops: 0, oneShot: 0, atYield: k, outer: this.ownerContext(),
    };
    const stop = () => {
      this.assign(frame.stop, F(true), span);
      frame.stops++;
      this.breakStmt(span);
    };
    if (afterYield) frame.afterYield = () => afterYield(stop);
    const clauses: PyNode[] = genexp.generators;
    // Clause i is a loop; when the consumer stopped the generator in a clause inside it, it is left too.
    // Its variables are its own: the consumer's body, run at each item, sees the function's (as CPython's frames).
    const clause = (i: number): void => this.comprehension([clauses[i]], () => {
      if (i === clauses.length - 1) return this.atYield(frame, this.expr(genexp.elt), span);
      const before = frame.stops;
      clause(i + 1);
      if (frame.stops > before) this.ifNode({ ref: frame.stop }, span, () => this.breakStmt(span));
    }, true);
    const loops = this.inRegion([], () => this.withOwner(this.genexpOwner(n), () => this.ownComprehensionNames(clauses, () => clause(0))));
    const brk = frame.stops ? frame.brk : undefined;
    if (flags.stop) this.assign(flags.stop, F(false), span);
    if (brk) this.assign(brk, F(false), span);
    this.region.push(...loops);
    if (brk) this.ifNode(this.call('_operator.not_', [{ ref: brk }], span, 'not'), span, orelse!);
    else orelse?.();
  }

  private genexpOwner(n: PyNode): OwnerContext | undefined {
    const d = this.deferredOf(n);
    return d?.kind === 'genexp' ? d.owner : undefined;
  }

  /** A generator expression, or a variable holding one (its first iterable was evaluated where it was made). */
  private generatorExpression(n: PyNode): PyNode | undefined {
    if (n._t === 'GeneratorExp') return n;
    const d = this.deferredOf(n);
    return d?.kind === 'genexp' ? d.node : undefined;
  }

  /**
   * A generator expression made here, with its first iterable evaluated now as CPython does where it is made (held in
   * a local the node reads as a KilnRef); one that is itself a generator expression has its own first iterable held.
   * `made` says it is consumed right here (in a loop's head, next(), zip(), enumerate()): then an iterator or a
   * generator as first iterable is left in place, read lazily where the loops start, as nothing runs in between.
   * Otherwise a generator, map() or filter() of one as first iterable is made now, a generator object (a state
   * machine) the generator expression's first loop resumes.
   */
  private heldGeneratorExpression(genexp: PyNode, made = true): PyNode {
    const [clause, ...rest] = genexp.generators;
    const it: PyNode = clause.iter;
    let iter: PyNode;
    const source = made || it._t === 'GeneratorExp' ? undefined : this.machineOf(it) ? it : this.generatorObject(it, 'genexpr', (it.span ?? genexp.span)!);
    if (it._t === 'GeneratorExp') iter = this.heldGeneratorExpression(it, made);
    else if (made && (this.iteratorCall(it) || this.generatorSource(it))) iter = it;
    else if (source) iter = source;
    else {
      const v = this.synthetic('held');
      this.assign(v, this.expr(it), it.span!);
      iter = { _t: 'KilnRef', ref: v, span: it.span };
    }
    return { ...genexp, generators: [{ ...clause, iter }, ...rest] };
  }

  /**
   * `g = gen(...)`, `g = (x * x for x in xs)`: the generator's arguments (a generator expression's first iterable)
   * are evaluated here, as Python does, and its body is inlined where `g` is read, once (see singleUseProblem).
   */
  private deferGenerator(target: PyNode, value: PyNode, span: Span): boolean {
    if (target._t !== 'Name') return false;
    if (this.iteratorMachine(target, value, span)) return true;
    if (value._t === 'Call' && this.resolveName(value.func) === 'builtins.iter') {
      // it = iter(xs): a generator object over xs (for x in seq: yield x), read with next() and loops.
      if (value.args.length !== 1 || value.keywords.length || value.args[0]._t === 'Starred') this.fail(span, 'iter()', 'iter() takes one iterable here (the two-argument form is outside the compiled subset)');
      const inner = this.machineOf(value.args[0]);
      if (inner) {
        // iter() of a generator object is that object (a parameter of an inlined generator bound to one: groupby's).
        this.machines.set(this.renames.get(target.id) ?? target.id, inner);
        return true;
      }
      const fn = iterFunction(value.span);
      this.makeMachine(target, { fn, call: value, mod: this.mod, values: new Map([['seq', this.expr(value.args[0])]]) }, span);
      return true;
    }
    const body = this.frame ? this.frame.fn.body ?? [] : this.src.body;
    // count(), repeat(), cycle() stored (c = count(); next(c)): itertools.py's generator _count, _repeat, _cycle.
    // Always a generator object: a read that would make a list of it (dict(zip(c, xs))) reads it item by item instead.
    const endless = value._t === 'GeneratorExp' ? undefined : this.endlessCall(value);
    const gen = value._t === 'GeneratorExp' ? undefined : this.generatorCall(value, target.id) ?? endless;
    if (!gen && value._t !== 'GeneratorExp') return false;
    const problem = singleUseProblem(body, target.id, 1);
    if (gen && (endless || problem || readByNext(body, target.id) || this.machineOf(target))) {
      this.makeMachine(target, gen, span, problem?.message);
      return true;
    }
    if (problem) {
      const s = problem.node?.span ?? span;
      this.fail(s, 'generator object', `${problem.message}: a generator stored in a variable is compiled when it is read once, by a loop or a builtin that consumes it`, 'consume it where it is made, or make a list: xs = list(gen(...))');
    }
    const local = this.renames.get(target.id) ?? target.id;
    this.deferred.set(local, this.deferredValue(value)!);
    return true;
  }

  /**
   * `a, b = iter(xs), iter(ys)`: generators (or iterators) made in one assignment, one by one (no item of the right
   * side reads a name the left side assigns, so the order cannot show).
   */
  private deferGenerators(target: PyNode, value: PyNode, span: Span): boolean {
    if ((target._t !== 'Tuple' && target._t !== 'List') || value._t !== 'Tuple' || target.elts.length !== value.elts.length) return false;
    const makes = (v: PyNode, i: number) => (v._t === 'Call' && this.resolveName(v.func) === 'builtins.iter') || v._t === 'GeneratorExp'
      || !!this.generatorCall(v, target.elts[i].id) || !!this.endlessCall(v);
    if (!target.elts.every((e: PyNode) => e._t === 'Name') || !value.elts.every(makes)) return false;
    const names = new Set(target.elts.map((e: PyNode) => e.id));
    const reads = JSON.stringify(value.elts, (k, v) => (k === 'span' ? undefined : v));
    if ([...names].some((id) => reads.includes(`"id":"${id}"`))) return false;
    target.elts.forEach((e: PyNode, i: number) => {
      if (!this.deferGenerator(e, value.elts[i], span)) this.fail(span, 'generator object', 'internal: a generator in a tuple assignment');
    });
    return true;
  }

  /** A generator argument or value, made now and consumed later: its arguments are evaluated and held in locals. */
  private deferredValue(value: PyNode): Deferred | undefined {
    const held = (a: Arg): Arg => {
      if (!('ref' in a)) return a;
      const v = this.synthetic('held');
      this.assign(v, a, value.span!);
      return { ref: v };
    };
    if (value._t === 'GeneratorExp') return { kind: 'genexp', node: this.heldGeneratorExpression(value, false), owner: this.ownerContext() };
    const named = this.deferredOf(value);
    if (named) return named;
    const gen = this.generatorCall(value) ?? this.endlessCall(value);
    if (!gen) return undefined;
    const values = new Map<string, Arg | Deferred>();
    for (const [k, v] of this.generatorArgs(gen)) values.set(k, 'kind' in v ? v : held(v));
    return { kind: 'call', gen: { ...gen, values } };
  }

  /**
   * A loop's iterable whose items an inlined generator pushes into the loop's body: a generator call, or
   * enumerate() of one. `k` runs at each item; `orelse` when the generator ends without a break.
   */
  private generatorSource(n: PyNode): ((k: (item: Arg) => void, orelse?: () => void) => void) | undefined {
    const gen = this.generatorCall(n);
    if (gen) return (k, orelse) => this.inlineGenerator(gen, k, orelse);
    const m = this.machineOf(n);
    if (m) return (k, orelse) => this.machineLoop(m, n.span!, k, orelse);
    const genexp = this.generatorExpression(n);
    if (genexp) return (k, orelse) => this.genexpItems(n, genexp, k, orelse);
    if (n._t === 'Call' && this.resolveName(n.func) === 'builtins.zip') return this.zipOverGenerator(n);
    const mapped = this.mapOverGenerator(n);
    if (mapped) return mapped;
    if (n._t !== 'Call' || this.resolveName(n.func) !== 'builtins.enumerate' || !n.args.length) return undefined;
    const call = this.generatorCall(n.args[0]);
    const direct = n.args[0]._t === 'GeneratorExp' ? n.args[0] : undefined;
    // A variable that holds a generator object or a generator expression: its own source.
    const held = !call && !direct && n.args[0]._t === 'Name' ? this.generatorSource(n.args[0]) : undefined;
    if (!call && !direct && !held) return undefined;
    const startNode = n.args[1] ?? n.keywords.find((k: PyNode) => k.arg === 'start')?.value;
    if (n.args.length > 2 || n.keywords.some((k: PyNode) => k.arg !== 'start')) this.fail(n.span, 'enumerate()', 'enumerate() takes an iterable and an optional start');
    return (k, orelse) => {
      const span = n.span!;
      // Python's order: the generator's arguments (a generator expression's first iterable), then start.
      const gen: GenCall | undefined = call && { ...call, values: call.values ?? this.generatorArgs(call) };
      const genexp = direct && this.heldGeneratorExpression(direct);
      const counter = this.synthetic('count');
      this.assign(counter, startNode ? this.expr(startNode) : { const: { kind: 'int', value: '0' } }, span);
      const each = (item: Arg) => {
        const now = this.synthetic('count_now');
        this.assign(now, { ref: counter }, span);
        this.assign(counter, this.call('_operator.add', [{ ref: counter }, { const: { kind: 'int', value: '1' } }], span, 'add'), span);
        k(this.call('kiln.make_tuple', [{ ref: now }, item], span, 'tuple'));
      };
      if (gen) this.inlineGenerator(gen, each, orelse);
      else if (genexp) this.genexpItems(direct, genexp, each, orelse);
      else held!(each, orelse);
    };
  }

  /**
   * `map(f, gen)`, `filter(f, gen)` of one generator (a generator expression, a generator call, a variable holding
   * one): f runs on each item as the generator makes it, so a consumer that stops early calls it on no later item.
   */
  private mapOverGenerator(n: PyNode): ((k: (item: Arg) => void, orelse?: () => void) => void) | undefined {
    const callee = n._t === 'Call' ? this.resolveName(n.func) : undefined;
    if ((callee !== 'builtins.map' && callee !== 'builtins.filter') || n.args.length !== 2 || n.keywords.length || n.args.some((a: PyNode) => a._t === 'Starred')) return undefined;
    const inner = this.generatorSource(n.args[1]);
    if (!inner) return undefined;
    const span = n.span!;
    return (k, orelse) => {
      // Python's order: the function, then the iterable (where map() or filter() is made).
      const none = n.args[0]._t === 'Constant' && n.args[0].value === null;
      const f = none && callee === 'builtins.filter' ? undefined : this.expr(n.args[0]);
      inner((item) => {
        if (callee === 'builtins.map') return k(this.call('kiln.call', [f!, item], span, 'call'));
        const test = f ? this.call('kiln.call', [f, item], span, 'call') : item;
        this.ifNode(this.call('builtins.bool', [test], span, 'bool'), span, () => k(item));
      }, orelse);
    };
  }

  /**
   * `zip(xs, gen(...), ys)`: one generator drives the loop and the other sequences are read by index, as CPython's
   * zip pulls them in order: before the generator resumes, the sequences before it must have an item (else the loop
   * ends without running the generator further); after it has made one, those after it must have one.
   */
  private zipOverGenerator(n: PyNode): ((k: (item: Arg) => void, orelse?: () => void) => void) | undefined {
    const makes = (a: PyNode) => a._t !== 'Starred' && !!(this.generatorCall(a) || this.generatorExpression(a));
    const at = n.args.findIndex(makes);
    // A generator object, or count()/repeat()/cycle() before the first generator (zip(count(), gen())): every
    // iterable a generator object, asked for an item in argument order.
    if (n.args.some((a: PyNode, i: number) => this.machineOf(a) || (at >= 0 && i < at && this.endlessCall(a)))) return this.zipOverObjects(n);
    if (at < 0) return undefined;
    const span = n.span!;
    // The generators after the first (count(), repeat(), cycle() among them) are generator objects (state machines)
    // advanced one item per tuple.
    const laterCall = (a: PyNode) => this.generatorCall(a) ?? this.endlessCall(a);
    const later = (a: PyNode, i: number) => i > at && !!laterCall(a);
    if (n.args.some((a: PyNode, i: number) => makes(a) && i !== at && !later(a, i)) || n.keywords.length || n.args.some((a: PyNode, i: number) => a._t === 'Starred' || (this.iteratorCall(a) && !later(a, i)))) {
      this.fail(span, 'zip()', 'zip() over a generator is compiled for one generator (or generator expression) with sequences (lists, tuples, ranges, arrays) and generator calls (or count(), repeat(), cycle()) after it', 'make lists of the others: zip(gen(...), list(other(...)))');
    }
    const call = this.generatorCall(n.args[at]);
    return (k, orelse) => {
      const I = (v: string): Arg => ({ const: { kind: 'int', value: v } });
      const hold = (a: PyNode): Arg => {
        const v = this.synthetic('iter');
        this.assign(v, this.expr(a), span);
        return { ref: v };
      };
      // Python's order: the arguments before the generator, the generator's own (a generator expression's first iterable), the ones after.
      const pre: Arg[] = n.args.slice(0, at).map(hold);
      const gen: GenCall | undefined = call && { ...call, values: call.values ?? this.generatorArgs(call) };
      const genexp = call ? undefined : n.args[at]._t === 'GeneratorExp' ? this.heldGeneratorExpression(n.args[at]) : this.generatorExpression(n.args[at])!;
      const post: (Arg | Machine)[] = n.args.slice(at + 1).map((a: PyNode, i: number) => {
        if (!later(a, at + 1 + i)) return hold(a);
        const target: PyNode = { _t: 'Name', id: this.synthetic('zipped'), ctx: { _t: 'Store' }, span };
        this.makeMachine(target, laterCall(a)!, span);
        return this.machines.get(target.id)!;
      });
      const idx = this.synthetic('index');
      this.assign(idx, I('0'), span);
      const exhausted = (held: Arg[]): Arg => {
        let len: Arg | undefined;
        for (const h of held) {
          const l = this.call('builtins.len', [h], span, 'len');
          len = len ? this.call('builtins.min', [len, l], span, 'min') : l;
        }
        return this.call('_operator.ge', [{ ref: idx }, len!], span, 'ge');
      };
      const each = (item: Arg) => {
        // In CPython's order: each later iterable must have an item (a generator runs to its next one) before the next is read.
        const after = post.map((h) => {
          if ('dispatcher' in h) {
            this.dispatch(h, span);
            this.ifNode(this.call('_operator.not_', [{ ref: h.names.have }], span, 'not'), span, () => this.exhaustAtYield(span));
            const v = this.synthetic('zipped_item');
            this.assign(v, { ref: h.names.val }, span);
            return { ref: v };
          }
          this.ifNode(exhausted([h]), span, () => this.exhaustAtYield(span));
          return this.call('kiln.iter_item', [h, { ref: idx }], span, 'item');
        });
        const before = pre.map((h: Arg) => this.call('kiln.iter_item', [h, { ref: idx }], span, 'item'));
        this.assign(idx, this.call('_operator.add', [{ ref: idx }, I('1')], span, 'add'), span);
        k(this.call('kiln.make_tuple', [...before, item, ...after], span, 'tuple'));
      };
      // Before the generator makes its next item, the sequences before it must have one.
      const preEnds = pre.length ? (stop: () => void) => this.ifNode(exhausted(pre), span, stop) : undefined;
      const run = () => (gen
        ? this.inlineGenerator(gen, each, orelse, preEnds && (() => preEnds(() => this.returnFromGenerator(span))))
        : this.genexpItems(n.args[at], genexp!, each, orelse, preEnds));
      if (!pre.length) return run();
      this.ifNode(this.call('_operator.not_', [exhausted(pre)], span, 'not'), span, run, orelse);
    };
  }

  /**
   * `zip(a, b)` with a generator object among its iterables (tee()'s copies, `it` read by next() elsewhere): every
   * generator (call, map(), filter()) is a generator object too, and each pass asks the iterables for an item in
   * argument order, a generator object resumed, a sequence read by index, ending at the first that has none (the
   * items read before it are dropped), as CPython's zip_next.
   */
  private zipOverObjects(n: PyNode): (k: (item: Arg) => void, orelse?: () => void) => void {
    const span = n.span!;
    if (n.keywords.length || n.args.some((a: PyNode) => a._t === 'Starred' || (this.iteratorCall(a) && !this.endlessCall(a) && !['map', 'filter'].includes(this.storedBuiltinIterator(a) ?? '')))) {
      this.fail(span, 'zip()', 'zip() over a generator object is compiled for generator objects, generator calls, map(), filter(), count(), repeat(), cycle() and sequences', 'make lists of the others: zip(it, list(...))');
    }
    return (k, orelse) => {
      // Python's order: each argument made in turn (a sequence held, a generator made a generator object).
      const its: (Arg | Machine)[] = n.args.map((a: PyNode): Arg | Machine => {
        const m = this.machineOf(a);
        if (m) return m;
        const mapped = this.mapCall(a);
        const d = mapped ? { kind: 'call' as const, gen: mapped } : this.deferredValue(a);
        if (d) return this.machineArg(d, 'zip', span);
        const v = this.synthetic('iter');
        this.assign(v, this.expr(a), span);
        return { ref: v };
      });
      const idx = this.synthetic('index');
      this.assign(idx, { const: { kind: 'int', value: '0' } }, span);
      const more = this.synthetic('zip_more');
      const items = its.map(() => this.synthetic('zipped_item'));
      const ask = (i: number): void => {
        const h = its[i];
        if ('dispatcher' in h) {
          this.dispatch(h, span);
          this.assign(more, { ref: h.names.have }, span);
        } else {
          this.assign(more, this.call('_operator.lt', [{ ref: idx }, this.call('builtins.len', [h], span, 'len')], span, 'lt'), span);
        }
        // Its item, kept before the next one resumes (zip(a, a) reads one generator object twice).
        this.ifNode({ ref: more }, span, () => {
          if ('dispatcher' in h) this.assign(items[i], { ref: h.names.val }, span);
          if (i + 1 < its.length) ask(i + 1);
        });
      };
      const test = this.inRegion([], () => ask(0));
      const body = this.inRegion([], () => this.loopBody(() => {
        const tuple = its.map((h, i): Arg => ('dispatcher' in h ? { ref: items[i] } : this.call('kiln.iter_item', [h, { ref: idx }], span, 'item')));
        this.assign(idx, this.call('_operator.add', [{ ref: idx }, { const: { kind: 'int', value: '1' } }], span, 'add'), span);
        k(this.call('kiln.make_tuple', tuple, span, 'tuple'));
      }));
      const orelseNodes = this.inRegion([], () => orelse?.());
      this.emit({ op: 'while', name: this.fresh('while', false), target: 'while', args: [{ ref: more }], span, regions: [{ name: 'test', nodes: test }, { name: 'body', nodes: body }, { name: 'orelse', nodes: orelseNodes }] });
    };
  }

  /** At an inlined generator's yield: the consumer is done with it (not a `break`: a for-else still runs). */
  private exhaustAtYield(span: Span) {
    const top = this.breakTargets[this.breakTargets.length - 1];
    if (!top || top === 'loop') throw new Error('internal: exhaustAtYield outside a yield');
    this.assign(top.stop, { const: { kind: 'bool', value: true } }, span);
    top.stops++;
    top.oneShot++;
    this.emit({ op: 'break', name: this.fresh('break', false), target: 'break', args: [], span });
  }

  /**
   * `sum(...)`, `any(...)`, `all(...)` of a generator or a generator expression: computed in the loop,
   * with no list (`sum` adds from 0 or start in order as CPython; `any`/`all` stop at the deciding item).
   */
  private consumeGenerator(target: string, n: PyNode): Arg | undefined {
    if (!['builtins.sum', 'builtins.any', 'builtins.all'].includes(target)) return undefined;
    const a = n.args[0];
    if (!a || a._t === 'Starred' || n.args.some((x: PyNode) => x._t === 'Starred')) return undefined;
    const source = this.generatorSource(a);
    if (!source) return undefined;
    const span = n.span!;
    if (target === 'builtins.sum') {
      if (n.args.length > 2 || n.keywords.some((k: PyNode) => k.arg !== 'start')) return undefined;
      const startNode = n.args[1] ?? n.keywords.find((k: PyNode) => k.arg === 'start')?.value;
      const acc = this.synthetic('sum');
      this.assign(acc, startNode ? this.expr(startNode) : { const: { kind: 'int', value: '0' } }, span);
      source((item) => this.assign(acc, this.call('_operator.add', [{ ref: acc }, item], span, 'add'), span));
      return { ref: acc };
    }
    if (n.args.length !== 1 || n.keywords.length) return undefined;
    const any = target === 'builtins.any';
    const res = this.synthetic(any ? 'any' : 'all');
    this.assign(res, { const: { kind: 'bool', value: !any } }, span);
    source((item) => {
      const b = this.call('builtins.bool', [item], span, 'bool');
      const decides = any ? b : this.call('_operator.not_', [b], span, 'not');
      this.ifNode(decides, span, () => {
        this.assign(res, { const: { kind: 'bool', value: any } }, span);
        this.breakStmt(span);
      });
    });
    return { ref: res };
  }

  /**
   * `receiver` is not an instance whose class defines one of these methods (which takes a generator as it is, not
   * one item at a time as the library's): no class of this module defines one, or it is a local known to hold a
   * builtin container (containerLocals).
   */
  private notInstance(receiver: PyNode, ...methods: string[]): boolean {
    return (receiver._t === 'Name' && this.containers.has(receiver.id))
      || !Object.values(this.mod.classes ?? {}).some((c) => c.methods.some((m) => methods.includes(m.name)));
  }

  /** The class of this module with __iter__ whose instance `n` is, where the source says so (ir/protocols.ts). */
  private iterableClassOf(n: PyNode): PyClass | undefined {
    if (this.frame || this.moduleScope || !Object.keys(this.mod.classes ?? {}).length) return undefined;
    const fn = this.mod.functions.find((f) => f.name === this.src.id);
    return iterableClass({
      // A static or class method has no `self` (a classmethod's `cls` is not among its params).
      mod: this.mod, params: this.src.params, body: this.src.body,
      methodOf: fn?.methodDecorators?.some((d) => d === 'staticmethod' || d === 'classmethod') ? undefined : fn?.methodOf,
      classCalled: (c) => {
        const callee = c._t === 'Call' ? this.resolveName(c.func) : undefined;
        return callee ? this.classOf(callee) : undefined;
      },
    }, n);
  }

  /**
   * The items of an instance whose class has __iter__ (ir/protocols.ts): a generator `__iter__` inlined with the
   * instance as `self`, else `it = obj.__iter__()` and `it.__next__()` until StopIteration. `each` runs at every
   * item inside the loop; `orelse` when the iterator is exhausted (not after a break).
   */
  private forOverInstance(iterable: PyNode, cls: PyClass, each: (item: Arg) => void, orelse?: () => void, afterHeld?: () => void) {
    const span = iterable.span!;
    const method = resolveMethod(this.mod, cls, '__iter__')!;
    // A generator method that makes frames keeps the generator as written, inlined here when it makes none itself.
    const iter = method.generator ?? method;
    const obj = this.synthetic('iterable');
    this.assign(obj, this.expr(iterable), span);
    afterHeld?.(); // enumerate()'s start, evaluated after the iterable as CPython does
    const over = overridingClasses(this.mod, cls, '__iter__');
    // A subclass's own __iter__ may run instead: with frames, the protocol below calls the instance's.
    if (isGeneratorFunction(iter) && !(over.length && method.generator) && !(method.generator && inlineProblem(iter))) {
      if (over.length) {
        this.fail(span, 'generator __iter__', `${cls.name}.__iter__ is a generator that ${over.map((c) => c.name).join(', ')} override${over.length === 1 ? 's' : ''}: which one runs depends on the instance, and a generator is inlined where it is consumed`, `loop over a call of the class itself (for x in ${over[0].name}(...)), or give the classes __next__`);
      }
      const fn: PyFunction = { ...iter, name: `${cls.name}_iter` };
      const values = new Map<string, Arg | Deferred>([[iter.params[0]?.name ?? 'self', { ref: obj }]]);
      return this.inlineGenerator({ fn, call: iterable, mod: this.mod, values }, (item) => {
        this.loopDepth++;
        each(item);
        this.loopDepth--;
      }, orelse);
    }
    const T = (v: boolean): Arg => ({ const: { kind: 'bool', value: v } });
    const it = this.synthetic('iterator');
    this.assign(it, this.call('method.__iter__', [{ ref: obj }], span, 'iter'), span);
    const going = this.synthetic('going');
    this.assign(going, T(true), span);
    this.loopDepth++;
    const body = this.inRegion([], () => this.loopBody(() => {
      const item = this.synthetic('item');
      const next = this.inRegion([], () => this.assign(item, this.call('method.__next__', [{ ref: it }], span, 'next'), span));
      const stop = this.inRegion([], () => this.assign(going, T(false), span));
      const rest = this.inRegion([], () => each({ ref: item }));
      const regions: IRRegion[] = [{ name: 'body', nodes: next }, { name: 'handler', nodes: stop }, { name: 'orelse', nodes: rest }, { name: 'finally', nodes: [] }];
      this.emit({ op: 'try', name: this.fresh('try', false), target: 'try', args: [], span, regions, handlers: [{ classes: ['StopIteration'], span }] });
    }));
    this.loopDepth--;
    const done = this.inRegion([], () => orelse?.());
    this.emit({ op: 'while', name: this.fresh('while', false), target: 'while', args: [{ ref: going }], span, regions: [{ name: 'test', nodes: [] }, { name: 'body', nodes: body }, { name: 'orelse', nodes: done }] });
  }

  /**
   * `next((x for ...)[, default])`, `next(g)` of a variable holding a generator expression read once: its first item,
   * made by its loops left at once (no later item is computed), else the default or StopIteration.
   */
  private genexpNext(n: PyNode, genexp: PyNode, defaultNode: PyNode | undefined, span: Span): Arg {
    // Python's order: the generator expression (its first iterable), the default, then next().
    const held = n._t === 'GeneratorExp' ? this.heldGeneratorExpression(genexp) : genexp;
    const dflt = defaultNode ? this.expr(defaultNode) : undefined;
    const res = this.synthetic('next');
    const have = this.synthetic('have');
    this.assign(have, { const: { kind: 'bool', value: false } }, span);
    this.genexpItems(n, held, (item) => {
      this.assign(res, item, span);
      this.assign(have, { const: { kind: 'bool', value: true } }, span);
      this.breakStmt(span);
    });
    this.ifNode(this.call('_operator.not_', [{ ref: have }], span, 'not'), span, () => {
      if (dflt) this.assign(res, dflt, span);
      else this.emit({ op: 'raise', name: this.fresh('raise', false), target: 'StopIteration', args: [], span });
    });
    return { ref: res };
  }

  /**
   * `next(obj)` on an instance whose class has __next__ (a user iterator, a recursive generator's frame:
   * ir/generator_frames.ts): its `__next__()`; with a default, that call in a try whose StopIteration gives it.
   */
  private instanceNext(objNode: PyNode, defaultNode: PyNode | undefined, span: Span): Arg {
    const obj = this.expr(objNode);
    if (!defaultNode) return this.call('method.__next__', [obj], span, 'next');
    const dflt = this.expr(defaultNode);
    const res = this.synthetic('next');
    const body = this.inRegion([], () => this.assign(res, this.call('method.__next__', [obj], span, 'next'), span));
    const handler = this.inRegion([], () => this.assign(res, dflt, span));
    const regions: IRRegion[] = [{ name: 'body', nodes: body }, { name: 'handler', nodes: handler }, { name: 'orelse', nodes: [] }, { name: 'finally', nodes: [] }];
    this.emit({ op: 'try', name: this.fresh('try', false), target: 'try', args: [], span, regions, handlers: [{ classes: ['StopIteration'], span }] });
    return { ref: res };
  }

  /** The items of an instance whose class has __iter__, as a new list (what list(), sum(), sorted()... read). */
  private instanceList(a: PyNode, cls: PyClass): Arg {
    const v = this.synthetic('listcomp');
    this.assign(v, this.call('kiln.make_list', [], a.span!, 'list'), a.span!);
    this.forOverInstance(a, cls, (item) => {
      this.emit({ op: 'call_function', name: this.fresh('append'), target: 'method.append', args: [{ ref: v }, item], span: a.span! });
    });
    return { ref: v };
  }

  /** A generator call, a variable holding a generator (deferred or a state machine), or a generator expression. */
  private isGenerator(n: PyNode): boolean {
    return !!(this.generatorCall(n) || this.generatorExpression(n) || this.machineOf(n));
  }

  /** A generator call consumed by a builtin that takes a list (list, sorted, set, tuple, ...): its items as a new list. */
  private generatorList(n: PyNode): Arg {
    const genexp = this.generatorExpression(n);
    if (genexp) return this.withOwner(this.genexpOwner(n), () => this.listComprehension(genexp));
    const v = this.synthetic('listcomp');
    this.assign(v, this.call('kiln.make_list', [], n.span!, 'list'), n.span!);
    const m = this.machineOf(n);
    const push = m ? (k: (item: Arg) => void) => this.machineLoop(m, n.span!, k) : (k: (item: Arg) => void) => this.inlineGenerator(this.generatorCall(n)!, k);
    push((item) => {
      this.emit({ op: 'call_function', name: this.fresh('append'), target: 'method.append', args: [{ ref: v }, item], span: n.span! });
    });
    return { ref: v };
  }

  /**
   * The body of generator `fn` called by `call`, traced in place: its parameters and locals are fresh locals here,
   * and each `yield v` runs `atYield(v)` (the consumer's body, in the consumer's names). See ir/generators.ts.
   */
  private inlineGenerator(gen: GenCall, atYield: (item: Arg) => void, orelse?: () => void, afterYield?: () => void, contextManager = false) {
    const { fn, call } = gen;
    const span = call.span!;
    if (this.inlining.includes(call)) {
      // A recursive generator of the module is a class of frames (ir/generator_frames.ts) unless frameProblem says why not.
      const why = frameProblem(fn);
      this.fail(why?.node?.span ?? span, 'recursive generator', `the generator '${fn.name}' uses itself, and ${why ? `its frames are not compiled: ${why.message}` : 'a generator inlined into a loop cannot run inside itself'}`, 'walk with an explicit stack (a list of pending items) in one generator');
    }
    const problem = inlineProblem(fn);
    if (problem) this.fail(problem.node.span ?? fn.span, problem.construct, problem.message, problem.hint);
    const guarded = !contextManager && yieldSeeingConsumerErrors(fn);
    if (guarded) {
      this.fail(guarded.span ?? fn.span, 'yield inside try/with', `a yield inside a try with except clauses (or a with statement) of the generator '${fn.name}' is outside the compiled subset where a loop consumes it: the loop's errors would reach them`,
        'compute the item inside the try and yield it after the try statement');
    }
    const renames = new Map<string, string>();
    const values = gen.values ?? this.generatorArgs(gen);
    for (const l of generatorLocals(fn)) renames.set(l, this.synthetic(`${fn.name}_${l}`, false));
    for (const [py, local] of renames) this.pythonNames.set(local, py);
    for (const p of fn.params) {
      const v = values.get(p.name)!;
      if (!('kind' in v)) {
        this.assign(renames.get(p.name)!, v, span);
        continue;
      }
      if (v.kind === 'machine') {
        // A generator object passed in: the body resumes it (next(), loops, iter() of it is itself).
        this.machines.set(renames.get(p.name)!, v.m);
        continue;
      }
      // A generator passed in (a pipeline: running_mean(scaled(xs))): inlined where this generator reads it.
      const problem = singleUseProblem(fn.body ?? [], p.name, 0);
      if (problem) this.fail(problem.node?.span ?? span, 'generator argument', `${problem.message}: a generator passed to the generator '${fn.name}' is compiled when '${fn.name}' reads it once, by a loop or a builtin that consumes it`, `make a list: ${fn.name}(list(...))`);
      this.deferred.set(renames.get(p.name)!, v);
    }
    const frame: GenFrame = { fn, stop: this.synthetic(`${fn.name}_stop`, false), stops: 0, oneShot: 0, atYield, afterYield, outer: this.ownerContext() };
    this.assign(frame.stop, { const: { kind: 'bool', value: false } }, span);
    if (orelse) {
      frame.brk = this.synthetic(`${fn.name}_break`, false);
      this.assign(frame.brk, { const: { kind: 'bool', value: false } }, span);
    }
    const containers = containerLocals(fn as { params: PyParam[]; body: PyNode[] });
    for (const t of exceptNamesOf(fn.body ?? [])) this.excNames.add(renames.get(t)!);
    // Another module's generator (kiln_stdlib/itertools.py's): its nodes and errors are placed at the call here, as
    // its lines are of another file; the consumer's body at its yields is this function's again (frame.outer).
    this.enterOwner({ mod: gen.mod, renames, frame, containers, loopDepth: 0, foreignUse: this.foreignUseIn(gen.mod, span) });
    this.inlining.push(call);
    this.breakTargets.push('loop');
    let body: IRNode[];
    try {
      body = this.inRegion([], () => this.block(fn.body ?? []));
    } finally {
      this.breakTargets.pop();
      this.inlining.pop();
      this.enterOwner(frame.outer);
    }
    if (frame.stops) this.onceLoop(body, span);
    else this.region.push(...body);
    if (orelse) {
      if (frame.stops) this.ifNode(this.call('_operator.not_', [{ ref: frame.brk! }], span, 'not'), span, orelse);
      else orelse();
    }
  }

  /** A loop that runs `body` once: `break` in it leaves it. */
  private onceLoop(body: IRNode[], span: Span) {
    const I = (v: string): Arg => ({ const: { kind: 'int', value: v } });
    this.emit({ op: 'for_range', name: this.fresh('for', false), target: this.synthetic('once'), args: [I('0'), I('1'), I('1')], span, regions: [{ name: 'body', nodes: body }, { name: 'orelse', nodes: [] }] });
  }

  /**
   * A generator call's arguments, evaluated in order and bound to its parameters by name (defaults as Python); a
   * generator given as an argument is deferred (made now, read where the generator's body reads it).
   */
  private generatorArgs(gen: GenCall): Map<string, Arg | Deferred> {
    const { fn, call } = gen;
    const span = call.span!;
    const name = fn.name;
    if (call.args.some((a: PyNode) => a._t === 'Starred') || call.keywords.some((k: PyNode) => k.arg === null)) {
      this.fail(span, 'generator call', `*args or **kwargs in a call of the generator '${name}' are outside the compiled subset`, 'pass the arguments one by one');
    }
    const positional = fn.params.filter((p) => p.kind !== 'kwonly');
    if (call.args.length > positional.length) {
      this.fail(span, 'generator call', `TypeError: ${name}() takes ${positional.length} positional argument${positional.length === 1 ? '' : 's'} but ${call.args.length} ${call.args.length === 1 ? 'was' : 'were'} given`);
    }
    if (isCompiledStdlib(gen.mod.file)) this.sequenceArgs(fn, call);
    const values = new Map<string, Arg | Deferred>();
    // A generator object, map() or filter() passed in is a generator object the body resumes; a generator the body
    // reads item by item (next(), iter(), a loop inside a loop: CPython's interleaving of the two) becomes one.
    const value = (a: PyNode, p: string): Arg | Deferred => {
      const m = this.machineOf(a);
      if (m) return { kind: 'machine', m };
      const mapped = this.mapCall(a);
      if (mapped) return { kind: 'machine', m: this.machineArg({ kind: 'call', gen: mapped }, name, span) };
      const d = this.deferredValue(a);
      if (d && (readByNext(fn.body ?? [], p) || singleUseProblem(fn.body ?? [], p, 0))) return { kind: 'machine', m: this.machineArg(d, name, span) };
      return d ?? this.expr(a);
    };
    call.args.forEach((a: PyNode, i: number) => values.set(positional[i].name, value(a, positional[i].name)));
    for (const kw of call.keywords) {
      const p = fn.params.find((q) => q.name === kw.arg && q.kind !== 'posonly');
      if (!p) this.fail(kw.span ?? span, 'generator call', `TypeError: ${name}() got an unexpected keyword argument '${kw.arg}'`);
      if (values.has(p.name)) this.fail(kw.span ?? span, 'generator call', `TypeError: ${name}() got multiple values for argument '${kw.arg}'`);
      values.set(p.name, value(kw.value, p.name));
    }
    const missing = fn.params.filter((p) => !values.has(p.name) && !p.hasDefault).map((p) => `'${p.name}'`);
    if (missing.length) {
      const listed = missing.length === 1 ? missing[0] : `${missing.slice(0, -1).join(', ')} and ${missing[missing.length - 1]}`;
      this.fail(span, 'generator call', `TypeError: ${name}() missing ${missing.length} required argument${missing.length === 1 ? '' : 's'}: ${listed}`);
    }
    // A default is evaluated in the def's module (accumulate's func=_add is itertools.py's _add).
    const saved = this.ownerContext();
    this.enterOwner({ ...saved, mod: gen.mod, foreignUse: this.foreignUseIn(gen.mod, span) });
    try {
      for (const p of fn.params) if (!values.has(p.name)) values.set(p.name, this.atModuleLevel(() => this.expr(p.defaultAst!)));
    } finally {
      this.enterOwner(saved);
    }
    // A compiled standard generator whose arguments CPython checks when it is called (islice): its `__check`
    // function runs here, where the generator is made, not where it is read.
    const check = isCompiledStdlib(gen.mod.file) ? this.names.resolve(`${moduleName(gen.mod)}.${name}__check`) : undefined;
    if (check?.kind === 'function') {
      this.callees.add(check.qualified);
      this.call(check.qualified, check.fn.params.map((p) => values.get(p.name) as Arg), span, `${name}__check`);
    }
    return values;
  }

  /**
   * A compiled standard function that reads some iterables by index (parameters named `seq*`: zip_longest's after
   * the first, merge's, tee's) while CPython reads them item by item, interleaved with the other iterables and the
   * consumer: a generator there would be read ahead of CPython (its effects and exceptions earlier), so it is refused.
   */
  private sequenceArgs(fn: PyFunction, call: PyNode) {
    const positional = fn.params.filter((p) => p.kind !== 'kwonly');
    call.args.forEach((a: PyNode, i: number) => {
      // count(), cycle(), repeat() too: a generator of itertools.py there (endlessCall) would be read whole, forever.
      const endless = a._t === 'Call' && this.isInfiniteIterator(this.resolveName(a.func) ?? '');
      if (!positional[i]?.name.startsWith('seq') || a._t === 'Starred' || !(this.isGenerator(a) || endless)) return;
      const name = fn.name.replace(/__\w+$/, '');
      this.fail(a.span ?? call.span, `${name}()`, `${name}() over ${endless ? `${a.func.id ?? a.func.attr}()` : 'a generator'} is compiled ${name === 'zip_longest' ? 'with the generator as its first iterable' : 'for sequences only'}: CPython reads its argument ${i + 1} item by item, interleaved with ${name === 'tee' ? 'the reads of its copies' : 'the other iterables'}, which Kiln reads by index`, endless ? 'make a list of the items it needs first: list(islice(it, n))' : 'make a list of it first: list(...)');
    });
  }

  /** `yield v` as a statement in an inlined generator: the consumer's body runs here, with v as its item. */
  private yieldStmt(value: PyNode | null, span: Span, from = false) {
    const frame = this.frame;
    if (!frame) {
      const [construct, hint] = UNSUPPORTED[from ? 'YieldFrom' : 'Yield'];
      // A generator method or a @compile generator has frames of its own (ir/generator_frames.ts) unless frameProblem says why not.
      const fn = this.mod.functions.find((f) => f.name === this.src.id);
      const why = fn ? frameProblem(fn) : undefined;
      this.fail(span, construct, `'${this.src.qualname}' is a generator (it yields)${why ? ` whose frames are not compiled: ${why.message}` : ': a generator is compiled where a loop consumes it, as a generator method, or as a @compile generator (its caller gets an iterator)'}`, hint);
    }
    const item: Arg = (value && this.yieldWithGenerator(value)) ?? (value ? this.expr(value) : { const: { kind: 'none' } });
    this.atYield(frame, item, span);
  }

  /**
   * `yield (k, _grouper(...))` in the compiled groupby: a tuple one of whose items is a generator made here. The
   * tuple holds None in its place, and the consumer's loop that unpacks it binds that name to the generator
   * (storeWithGenerator), read where the loop's body reads it, as CPython's group is a live iterator.
   */
  private yieldWithGenerator(value: PyNode): Arg | undefined {
    if (value._t !== 'Tuple' || !isCompiledStdlib(this.mod.file)) return undefined;
    const at = value.elts.findIndex((e: PyNode) => !!this.generatorCall(e));
    if (at < 0) return undefined;
    const items = value.elts.map((e: PyNode, i: number): Arg => (i === at ? { const: { kind: 'none' } } : this.expr(e)));
    const gen = this.deferredValue(value.elts[at])!;
    const tuple = this.call('kiln.make_tuple', items, value.span!, 'tuple');
    this.yieldedGenerators.set((tuple as { ref: string }).ref, { at, gen, items });
    return tuple;
  }

  /** `for k, g in groupby(xs)`: the names of the tuple yieldWithGenerator made, g bound to the generator in it. */
  private storeWithGenerator(t: PyNode, value: Arg, span: Span): boolean {
    if (this.storeTeeCopy(t, value, span)) return true;
    const made = 'ref' in value ? this.yieldedGenerators.get(value.ref) : undefined;
    if (!made) return false;
    if ((t._t !== 'Tuple' && t._t !== 'List') || t.elts.length !== made.items.length || t.elts[made.at]._t !== 'Name') {
      this.fail(t.span ?? span, GROUP_TYPE, 'the items of groupby() are compiled unpacked into names: for key, group in groupby(...)', 'for k, g in groupby(xs): items = list(g)');
    }
    t.elts.forEach((e: PyNode, i: number) => {
      if (i !== made.at) return this.store(e, made.items[i], span);
      const body = this.frame ? this.frame.fn.body ?? [] : this.src.body;
      // next(g): a generator object (a state machine); otherwise inlined where the body reads it. A group is read
      // only in this loop's body (checkOneShots), so each loop has a machine of its own: two groupby loops over
      // items of different types may bind the same name.
      if (readByNext(body, e.id) && made.gen.kind === 'call') {
        this.machines.delete(this.renames.get(e.id) ?? e.id);
        this.makeMachine(e, made.gen.gen, span);
      }
      else this.deferred.set(this.renames.get(e.id) ?? e.id, made.gen);
    });
    return true;
  }

  /**
   * `a, b = tee(xs)` where `a` is read item by item (twice, in a loop, by next(): iteratorVars): the copy is a
   * generator object over its own items (an iter() machine), so each read goes on where the last one stopped and a
   * copy read to its end is empty after, as CPython's; the other copies keep their items, as CPython's buffer does.
   */
  private storeTeeCopy(t: PyNode, value: Arg, span: Span): boolean {
    if (this.frame || t._t !== 'Name' || !this.teeCopies.has(t.id) || !this.iteratorVars.has(t.id)) return false;
    this.makeMachine(t, { fn: iterFunction(span), call: { _t: 'Name', id: t.id, ctx: { _t: 'Load' }, span }, mod: this.mod, values: new Map([['seq', value]]) }, span);
    return true;
  }

  /** The consumer's body at a yield of `frame`, in the consumer's names; `break`/`continue` in it leave it (see GenFrame). */
  private atYield(frame: YieldTarget, item: Arg, span: Span) {
    const inner = this.ownerContext();
    this.enterOwner(frame.outer);
    this.breakTargets.push(frame);
    const stops = frame.stops;
    const oneShot = frame.oneShot;
    let nodes: IRNode[];
    try {
      nodes = this.inRegion([], () => frame.atYield(item));
    } finally {
      this.breakTargets.pop();
      this.enterOwner(inner);
    }
    if (frame.oneShot === oneShot) this.region.push(...nodes);
    else {
      this.onceLoop(nodes, span);
      if (frame.stops > stops) this.ifNode({ ref: frame.stop }, span, () => this.breakStmt(span));
    }
    frame.afterYield?.();
  }

  /** `yield from it`: each item of another generator (inlined too) or of a sequence, yielded in turn. */
  private yieldFrom(value: PyNode, span: Span) {
    const frame = this.frame;
    if (!frame) this.yieldStmt(null, span, true);
    const f = frame!;
    const before = f.stops;
    const inner = this.generatorSource(value);
    if (inner) inner((item) => this.atYield(f, item, span));
    else {
      const v = this.synthetic('yielded');
      this.comprehension([{ _t: 'comprehension', target: { _t: 'Name', id: v, span }, iter: value, ifs: [], span }], () => this.atYield(f, { ref: v }, span), true);
    }
    if (f.stops > before) this.ifNode({ ref: f.stop }, span, () => this.breakStmt(span));
  }

  // ---- generator objects read with next() (state machines, ir/generators.ts) -------------------------------

  /** The generator object a variable holds as a state machine (`g = gen(...)` read by next(), `it = iter(xs)`). */
  private machineOf(n: PyNode): Machine | undefined {
    // A renamed name is a local too (a generator expression's own names, read where it was made, outside any frame).
    if (n._t !== 'Name' || !(this.renames.has(n.id) || this.isLocalName(n.id))) return undefined;
    return this.machines.get(this.renames.get(n.id) ?? n.id);
  }

  /**
   * `g = gen(...)` where g is read by next() (or more than once, or in a loop), `it = iter(xs)`: the generator's
   * locals, state and last item are locals here, its arguments are bound now and its state set to the start. Each
   * read (next(g), a loop over g, sum(g), ...) runs the state machine to the next yield.
   */
  private makeMachine(target: PyNode, gen: GenCall, span: Span, why?: string, owner?: OwnerContext) {
    const { fn } = gen;
    const problem = inlineProblem(fn, true);
    if (problem) this.fail(problem.node.span ?? fn.span, problem.construct, problem.message, problem.hint);
    const local = this.renames.get(target.id) ?? target.id;
    let m = this.machines.get(local);
    // Each assignment of a name bound only by plain statements of the function's body makes an object of its own
    // (it = iter(xs); ...; it = iter(ys): the items may differ in type; a map() made over the first keeps it).
    if (m && !this.frame && local === target.id && boundAtTopOnly(this.src.body, target.id)) m = undefined;
    // Reset in place, it would also change what a map(), zip(), tee() or iter() made over it reads (CPython's keeps the old one).
    if (m && [...this.machines].some(([k, v]) => v === m && k !== local)) {
      this.fail(span, 'generator object', `'${target.id}' is assigned again while an iterator made over it (map(), zip(), tee(), iter(), a generator expression) still reads it: reassigned in a branch or a loop, it is one generator object, reset in place`, `use another name for the new iterator`);
    }
    if (m && m.fn.name !== fn.name) this.fail(span, 'generator object', `'${target.id}' holds a generator of '${m.fn.name}' and then of '${fn.name}': a variable read with next() holds generators of one function`, 'use one variable per generator function');
    const values = gen.values ?? this.generatorArgs(gen);
    if (!m) {
      const raw: MachineNames = { st: '__kiln_st', val: '__kiln_val', have: '__kiln_have', sent: '__kiln_sent', ret: '__kiln_ret' };
      const objects = new Set(fn.params.filter((p) => { const v = values.get(p.name); return !!v && 'kind' in v; }).map((p) => p.name));
      // A loop over a generator call in it (islice's `yield from _slice(...)`) resumes a generator object of it.
      const objectCall = (iter: PyNode) => iter._t === 'Call' && this.withOwner({ ...this.ownerContext(), mod: gen.mod, frame: undefined }, () => !!this.generatorCall(iter));
      const sm = generatorStateMachine(fn, raw, undefined, objects, objectCall);
      if ('message' in sm) {
        this.fail(sm.node.span ?? span, 'generator object', `${why ? `${why}; ` : ''}the generator '${fn.name}' read item by item (next(), several reads) is compiled when its yields sit in plain statements, ifs and loops: ${sm.message} is not`, `iterate it with one for loop where it is made: for x in ${fn.name}(...)`);
      }
      const renames = new Map<string, string>(owner?.renames);
      for (const l of generatorLocals(fn)) {
        renames.set(l, this.synthetic(`${fn.name}_${l}`, false));
        this.pythonNames.set(renames.get(l)!, l);
      }
      const returns = returnsValue(fn);
      for (const t of [raw.st, raw.val, raw.have, raw.sent, ...(returns ? [raw.ret] : []), ...sm.temps]) renames.set(t, this.synthetic(`${fn.name}_${t.replace(/^__kiln_/, '')}`, false));
      const names = { st: renames.get(raw.st)!, val: renames.get(raw.val)!, have: renames.get(raw.have)!, sent: renames.get(raw.sent)!, ret: renames.get(raw.ret) ?? '' };
      const body: PyNode = (() => {
        // while not have and st >= 0: if st == 0: ... elif st == 1: ...
        const nm = (id: string): PyNode => ({ _t: 'Name', id, ctx: { _t: 'Load' }, span });
        const k = (v: number): PyNode => ({ _t: 'Constant', value: { _t: 'int', dec: String(v) }, span });
        let chain: PyNode[] = [];
        for (let i = sm.cases.length - 1; i >= 0; i--) {
          if (!sm.cases[i].length) continue; // a state that does nothing (or is never entered): st is -1 already
          chain = [{ _t: 'If', test: { _t: 'Compare', left: nm(raw.st), ops: [{ _t: 'Eq' }], comparators: [k(i)], span }, body: sm.cases[i], orelse: chain, span }];
        }
        const test: PyNode = { _t: 'BoolOp', op: { _t: 'And' }, values: [{ _t: 'UnaryOp', op: { _t: 'Not' }, operand: nm(raw.have), span }, { _t: 'Compare', left: nm(raw.st), ops: [{ _t: 'GtE' }], comparators: [k(0)], span }], span };
        return { _t: 'While', test, body: chain, orelse: [], span };
      })();
      m = {
        fn, mod: gen.mod, renames, names, dispatcher: body, containers: containerLocals(fn as { params: PyParam[]; body: PyNode[] }), owner,
        receives: !!yieldUsedAsValue(fn), repoll: gen.repoll,
        ...(returns ? { stop: { descriptor: `kiln_stop_${`${this.src.id}_${names.st}`.replace(/[^A-Za-z0-9]+/g, '_')}`, raised: this.synthetic(`${fn.name}_returned`, false) } } : {}),
      };
      this.machines.set(local, m);
    }
    for (const p of fn.params) {
      const v = values.get(p.name)!;
      if ('kind' in v) this.machines.set(m.renames.get(p.name)!, this.machineArg(v, fn.name, span));
      else this.assign(m.renames.get(p.name)!, v, span);
    }
    this.assign(m.names.st, { const: { kind: 'int', value: '0' } }, span);
    if (m.stop) {
      this.assign(m.names.ret, { const: { kind: 'none' } }, span);
      this.assign(m.stop.raised, { const: { kind: 'none' } }, span);
    }
  }

  /**
   * A generator passed to a generator that reads it item by item, or to a generator object: a generator object of
   * this function (a state machine), made now, that the callee's body resumes where CPython's calls next() on it,
   * so the two run interleaved as in CPython (groupby's groups, tee's copies, islice over a shared iterator).
   */
  private machineArg(d: Deferred, callee: string, span: Span): Machine {
    if (d.kind === 'machine') return d.m;
    const name = callee.replace(/__\w+$/, '');
    const target: PyNode = { _t: 'Name', id: this.synthetic('passed'), ctx: { _t: 'Store' }, span };
    if (d.kind === 'genexp') {
      // Its first iterable was evaluated where it was made (a KilnRef); its clauses as loops of a generator function.
      const first = d.node.generators[0].iter;
      // A generator object as first iterable (heldGeneratorExpression), or a generator expression whose own first
      // iterable is held: the first loop resumes a generator object of it, bound to the parameter `__kiln_source`.
      const inner = first._t === 'KilnRef' ? undefined : this.machineOf(first) ?? (first._t === 'GeneratorExp' ? this.machineArg({ kind: 'genexp', node: first, owner: d.owner }, callee, span) : undefined);
      if (first._t !== 'KilnRef' && !inner) {
        this.fail(first.span ?? span, 'generator argument', `internal: the first iterable of a generator expression passed to ${name}() was not held`);
      }
      const values = new Map<string, Arg | Deferred>(inner ? [['__kiln_source', { kind: 'machine', m: inner }]] : []);
      this.makeMachine(target, { fn: genexpFunction(d.node, inner ? '__kiln_source' : undefined), call: d.node, mod: d.owner.mod, values }, span, undefined, d.owner);
      return this.machines.get(target.id)!;
    }
    this.makeMachine(target, d.gen, span);
    return this.machines.get(target.id)!;
  }

  /**
   * A generator call, a variable holding a generator made earlier, or map()/filter() of a generator: made now as a
   * generator object (its arguments evaluated here, as CPython's first iterable of a generator expression is), read
   * through the Name this returns; undefined for any other value.
   */
  private generatorObject(n: PyNode, callee: string, span: Span): PyNode | undefined {
    const mapped = ['map', 'filter'].includes(this.storedBuiltinIterator(n) ?? '') && n.args.length === 2 && this.isGenerator(n.args[1]) ? this.mapCall(n) : undefined;
    const d: Deferred | undefined = mapped ? { kind: 'call', gen: mapped } : this.generatorCall(n) || this.deferredOf(n) || this.endlessCall(n) ? this.deferredValue(n) : undefined;
    if (!d) return undefined;
    const id = this.synthetic('source');
    if (this.frame) this.renames.set(id, id);
    this.machines.set(id, this.machineArg(d, callee, span));
    return { _t: 'Name', id, ctx: { _t: 'Load' }, span: n.span ?? span };
  }

  /** Runs the state machine to its next yield (`have` says whether it made one, `val` is the item); `sent` is send()'s value. */
  private dispatch(m: Machine, span: Span, sent: Arg = { const: { kind: 'none' } }) {
    if (m.receives) this.assign(m.names.sent, sent, span);
    // The value of `return v` is the StopIteration's of the run that ends the generator only (later ones have none).
    if (m.stop) this.assign(m.names.ret, { const: { kind: 'none' } }, span);
    this.assign(m.names.have, { const: { kind: 'bool', value: false } }, span);
    const frame: GenFrame = {
      fn: m.fn, stop: m.names.st, stops: 0, oneShot: 0, outer: this.ownerContext(),
      atYield: () => this.fail(span, 'yield', 'internal: a yield left in a state machine'),
    };
    const o = m.owner;
    // Another module's generator (itertools' _grouper, _tee_copy): its nodes are placed at this read (foreignUseIn).
    const owner: OwnerContext = {
      mod: m.mod, renames: m.renames, frame: o ? o.frame : frame, containers: o ? o.containers : m.containers, loopDepth: 0,
      foreignUse: this.foreignUseIn(m.mod, span),
    };
    this.withOwner(owner, () => this.stmt(m.dispatcher));
    if (m.repoll) this.ifNode(this.call('_operator.not_', [{ ref: m.names.have }], span, 'not'), span, () => this.assign(m.names.st, { const: { kind: 'int', value: '0' } }, span));
  }

  /** `next(g)` (StopIteration when g is exhausted, as CPython) and `next(g, default)`. */
  private machineNext(m: Machine, defaultNode: PyNode | undefined, span: Span): Arg {
    const dflt = defaultNode ? this.expr(defaultNode) : undefined;
    this.dispatch(m, span);
    const res = this.synthetic('next');
    if (dflt) {
      this.ifNode({ ref: m.names.have }, span, () => this.assign(res, { ref: m.names.val }, span), () => this.assign(res, dflt, span));
      return { ref: res };
    }
    this.ifNode(this.call('_operator.not_', [{ ref: m.names.have }], span, 'not'), span, () => this.raiseStop(m, span));
    this.assign(res, { ref: m.names.val }, span);
    return { ref: res };
  }

  /**
   * The StopIteration of a generator that ended: with the value of its `return v` (str(e) is str(v), e.args (v,),
   * e.value v), marked with the machine's class descriptor so that `e.value` knows where to read it.
   */
  private raiseStop(m: Machine, span: Span) {
    const plain = () => this.emit({ op: 'raise', name: this.fresh('raise', false), target: 'StopIteration', args: [], span });
    if (!m.stop) return plain();
    const ret: Arg = { ref: m.names.ret };
    this.ifNode(this.call('_operator.is_not', [ret, { const: { kind: 'none' } }], span, 'returned'), span, () => {
      const message = this.call('kiln.stop_message', [ret], span, 'stop_message');
      this.assign(m.stop!.raised, ret, span);
      this.emit({ op: 'raise', name: this.fresh('raise', false), target: 'StopIteration', args: [message, ret], span, stopOf: m.stop!.descriptor });
    }, plain);
  }

  /**
   * `e.value` of a caught StopIteration: the value of `return v` of the generator object (a state machine of this
   * function) whose end raised it; None for a StopIteration without arguments. Another one (raised with a value by
   * other code) is a TypeError naming the limit; another exception is CPython's AttributeError.
   */
  private caughtStopValue(e: PyNode, span: Span): Arg {
    const machines = [...new Set(this.machines.values())].filter((m) => m.stop);
    const out = this.synthetic('stop_value');
    const code = this.caughtKind(e);
    const test = (i: number): void => {
      if (i < machines.length) {
        const m = machines[i];
        const { descriptor, raised } = m.stop!;
        this.ifNode(this.call('kiln.exc_stop_of', [code, { ref: raised }, { const: { kind: 'str', value: descriptor } }], span, 'stop_of'), span,
          () => this.assign(out, { ref: raised }, span), () => test(i + 1));
        return;
      }
      const isStop = this.call('kiln.exc_isinstance', [code, { const: { kind: 'str', value: kindsCaughtBy('StopIteration').map((k) => `K:${k}`).join(',') } }], span, 'is_stop');
      this.ifNode(this.call('_operator.not_', [isStop], span, 'not'), span, () => {
        const message = this.call('_operator.add', [this.call('_operator.add', [{ const: { kind: 'str', value: "'" } }, this.caughtClassName(e, span)], span, 'add'), { const: { kind: 'str', value: "' object has no attribute 'value'" } }], span, 'add');
        this.emit({ op: 'raise', name: this.fresh('raise', false), target: 'AttributeError', args: [message], span });
      });
      const some = this.call('_operator.ne', [this.caughtCount(e), { const: { kind: 'int', value: '0' } }], span, 'has_args');
      this.ifNode(some, span, () => this.emit({
        op: 'raise', name: this.fresh('raise', false), target: 'TypeError', span,
        args: [{ const: { kind: 'str', value: "Kiln reads e.value of the StopIteration that the end of a generator read with next() in this function raises; this one was raised with a value elsewhere" } }],
      }));
      this.assign(out, { const: { kind: 'none' } }, span);
    };
    test(0);
    return { ref: out };
  }

  /**
   * `g.send(v)`: the generator resumed with v as the value of its `x = yield` (TypeError, as CPython's, when v is not
   * None and g has not started), then its next item, or StopIteration.
   */
  private machineSend(m: Machine, value: PyNode, span: Span): Arg {
    const v = this.expr(value);
    if (!(value._t === 'Constant' && value.value === null)) {
      const started = this.call('_operator.ne', [{ ref: m.names.st }, { const: { kind: 'int', value: '0' } }], span, 'started');
      const some = this.call('_operator.is_not', [v, { const: { kind: 'none' } }], span, 'not_none');
      this.ifNode(this.call('_operator.not_', [started], span, 'not'), span, () => this.ifNode(some, span, () =>
        this.emit({ op: 'raise', name: this.fresh('raise', false), target: 'TypeError', args: [{ const: { kind: 'str', value: "can't send non-None value to a just-started generator" } }], span })));
    }
    this.dispatch(m, span, v);
    this.ifNode(this.call('_operator.not_', [{ ref: m.names.have }], span, 'not'), span, () => this.raiseStop(m, span));
    const res = this.synthetic('sent');
    this.assign(res, { ref: m.names.val }, span);
    return { ref: res };
  }

  /** `g.close()`: no yield of a state machine is inside a try (generatorStateMachine), so closing it only finishes it. */
  private machineClose(m: Machine, span: Span): Arg {
    this.assign(m.names.st, { const: { kind: 'int', value: '-1' } }, span);
    return { const: { kind: 'none' } };
  }

  /**
   * `g.throw(e)` on a generator object (a state machine, or frames: ir/generator_frames.ts): CPython raises e inside
   * it, at the yield where it stands (before its start or after its end: at once). No such yield is inside a try
   * (generatorStateMachine), so e leaves the generator, which is finished, and reaches this caller: closing it and
   * raising e here is the same. The arguments of `E(...)` are evaluated first, as CPython evaluates e before it.
   */
  private throwInto(m: Machine | undefined, n: PyNode, span: Span): Arg {
    const frames = m ? undefined : this.expr(n.func.value);
    const hold = (a: PyNode): PyNode => {
      if (a._t === 'Starred') return a;
      const v = this.synthetic('thrown');
      this.assign(v, this.expr(a), a.span ?? span);
      return { _t: 'KilnRef', ref: v, span: a.span };
    };
    const e: PyNode = n.args[0];
    const exc = e._t === 'Call' ? { ...e, args: e.args.map(hold), keywords: e.keywords.map((k: PyNode) => ({ ...k, value: hold(k.value) })) } : e;
    if (m) this.machineClose(m, span);
    else this.call('method.close', [frames!], span, 'close');
    this.stmt({ _t: 'Raise', exc, cause: null, span });
    return { const: { kind: 'none' } };
  }

  /** A loop over the rest of a generator object's items: the machine runs in the loop's test. */
  private machineLoop(m: Machine, span: Span, k: (item: Arg) => void, orelse?: () => void) {
    const test = this.inRegion([], () => this.dispatch(m, span));
    const body = this.inRegion([], () => this.loopBody(() => k({ ref: m.names.val })));
    const orelseNodes = this.inRegion([], () => orelse?.());
    this.emit({ op: 'while', name: this.fresh('while', false), target: 'while', args: [{ ref: m.names.have }], span, regions: [{ name: 'test', nodes: test }, { name: 'body', nodes: body }, { name: 'orelse', nodes: orelseNodes }] });
  }

  // ---- functions as values -----------------------------------------------------------------------

  /** The function value of a nested def or lambda (or a module-level lambda): its closure, made here. */
  private closure(node: PyNode, span: Span, transient = false): Arg {
    if (this.frame) this.fail(span, 'function inside a generator', `a function defined inside the generator '${this.frame.fn.name}' is outside the compiled subset`, 'define it at module level and call it');
    let child = this.moduleScope ? undefined : this.scope.children.get(node);
    if (!child) child = moduleLambdaScope(node);
    const { params, vararg, kwarg } = paramsOfAst(node.args, node.span!);
    // Defaults are evaluated where the def runs, in this scope; then the closure captures its variables.
    const defaults = params.filter((p) => p.hasDefault).map((p) => this.expr(p.defaultAst!));
    const free = child.free.map((v): Arg => {
      if (v === this.scope.selfName && !this.locals.has(v)) return this.selfClosure(span);
      if (!this.locals.has(v)) this.fail(span, 'closure', `internal: '${v}' is not a variable of ${this.src.qualname}`);
      return { ref: v };
    });
    // A key lambda of sorted/min/max (`transient`) is called only in the loop the tracer makes right here, where
    // this function runs nothing else: a variable only this function assigns cannot change under it, so the
    // closure holds it by value even when a later assignment makes it a cell for other closures.
    const modeOf = (v: string): 'value' | 'cell' => {
      const m = child!.modes.get(v) ?? 'value';
      return m === 'cell' && transient && !child!.sharedWrites.has(v) && !this.cellFree.has(v) ? 'value' : m;
    };
    const modes = [...child.free.map(modeOf), ...defaults.map(() => 'value' as const)];
    if (!this.out.some((f) => f.name === child!.id)) {
      const body = node._t === 'Lambda' ? [{ _t: 'Return', value: node.body, span: node.body.span }] : node.body;
      const src: FnSource = { id: child.id, qualname: child.qualname, span: node.span!, params, vararg, kwarg, body, returns: null, isAsync: node._t === 'AsyncFunctionDef', module: false };
      const nested = new Tracer(this.home, src, child, this.problems, this.out, this.names, this.again);
      this.out.push(nested.trace());
    }
    const name = this.fresh(node._t === 'Lambda' ? 'lambda' : node.name, false);
    this.emit({ op: 'call_function', name, target: 'kiln.make_closure', args: [...free, ...defaults], span, closure: { fn: child.id, modes } });
    return { ref: name };
  }

  /** A nested def's own name inside its body: the function itself, with the environment it was called with. */
  private selfClosure(span: Span): Arg {
    const modes = this.envParams.map((v) => (this.cellFree.has(v) ? 'cell' as const : 'value' as const));
    const name = this.fresh(this.scope.selfName ?? 'self', false);
    this.emit({ op: 'call_function', name, target: 'kiln.make_closure', args: this.envParams.map((v) => ({ ref: v })), span, closure: { fn: this.src.id, modes } });
    return { ref: name };
  }

  /** A module-level def as a value (`key=weight`, `apply(square, x)`). */
  private functionValue(fn: string, span: Span, module?: string): Arg {
    const name = this.fresh(fn, false);
    this.emit({ op: 'call_function', name, target: 'kiln.make_closure', args: [], span, closure: { fn, modes: [], ...(module ? { module } : {}) } });
    return { ref: name };
  }

  // ---- expressions -----------------------------------------------------------------------------

  /** An expression used as a condition: `and`/`or` short-circuit to a bool. */
  private condition(n: PyNode): Arg {
    if (n._t === 'BoolOp') return this.shortCircuit(n, true);
    const noneTest = this.exceptionIsNone(n);
    if (noneTest) return noneTest;
    return this.expr(n);
  }

  private expr(n: PyNode): Arg {
    const span = n.span!;
    switch (n._t) {
      case 'Constant':
        // `2j` is complex(0.0, 2.0) (types/ops/complex.ts)
        if (n.value?._t === 'complex') return this.call('builtins.complex', [{ const: this.constant({ ...n, value: n.value.real }) }, { const: this.constant({ ...n, value: n.value.imag }) }], span, 'complex');
        return { const: this.constant(n) };
      case 'Name':
        if (this.machineOf(n)) this.fail(span, 'generator object', `'${n.id}' holds a generator object: it is read by next(${n.id}), loops and builtins that consume it, not passed on or stored`, 'make a list where you need a value: list(...)');
        // A compiled standard iterator stored (p = takewhile(...)) and passed to a function that reads a list (pairwise(p)).
        if (this.generatorCall(n) && isCompiledStdlib(this.generatorCall(n)!.mod.file)) return this.generatorList(n);
        if (this.deferredOf(n)) this.fail(span, 'generator object', `'${n.id}' holds a generator: it is compiled where a loop or a builtin consumes it (for x in ${n.id}, sum(${n.id}), list(${n.id}), ...)`, 'or make a list where it is made: list(...)');
        return this.name(n);
      case 'KilnRef': // a value the tracer evaluated earlier (a deferred generator expression's first iterable)
        return { ref: n.ref };
      case 'KilnIterItem': // item k of a sequence a for loop reads (a generator's state machine)
        return this.call('kiln.iter_item', [this.expr(n.seq), this.expr(n.index)], span, 'item');
      case 'KilnMachineStep': { // a state machine's loop over a generator object it was given: resume that one
        const m = this.machineOf(n.iter)!;
        this.dispatch(m, span);
        return { ref: m.names.have };
      }
      case 'KilnMachineItem': // ... and the item it made
        return { ref: this.machineOf(n.iter)!.names.val };
      case 'BinOp': {
        const op = BIN_OPS[n.op._t];
        this.generatorMethodArgs([`__${op.replace(/_$/, '')}__`], [n.right]);
        this.generatorMethodArgs([`__r${op.replace(/_$/, '')}__`], [n.left]);
        const a = this.expr(n.left);
        const b = this.expr(n.right);
        return this.call(`_operator.${op}`, [a, b], span, op);
      }
      case 'UnaryOp': {
        if (n.op._t === 'USub' && n.operand._t === 'Constant' && typeof n.operand.value !== 'boolean' && n.operand.value !== null && n.operand.value._t !== 'complex') {
          const c = this.constant(n.operand);
          if (c.kind === 'int') return { const: { kind: 'int', value: c.value.startsWith('-') ? c.value.slice(1) : `-${c.value}` } };
          if (c.kind === 'float') return { const: negateFloat(c) };
        }
        const a = this.expr(n.operand);
        const op = UNARY_OPS[n.op._t];
        return this.call(`_operator.${op}`, [a], span, op.replace(/_$/, ''));
      }
      case 'BoolOp':
        return this.shortCircuit(n, false);
      case 'Compare':
        return this.compare(n);
      case 'IfExp': {
        const v = this.synthetic('ifexp');
        const cond = this.condition(n.test);
        const thenNodes = this.inRegion([], () => this.assign(v, this.expr(n.body), n.body.span));
        const elseNodes = this.inRegion([], () => this.assign(v, this.expr(n.orelse), n.orelse.span));
        this.emit({ op: 'if', name: this.fresh('if', false), target: 'if', args: [cond], span, regions: [{ name: 'then', nodes: thenNodes }, { name: 'else', nodes: elseNodes }] });
        return { ref: v };
      }
      case 'Call':
        return this.callExpr(n);
      case 'Lambda':
        return this.closure(n, span);
      case 'Tuple': {
        if (n.elts.some((e: PyNode) => e._t === 'Starred')) {
          // (*t, x): the items of a tuple (its length is static) spliced in; argument 0 marks the starred ones.
          let mask = 0n;
          const items = n.elts.map((e: PyNode, i: number) => {
            if (e._t !== 'Starred') return this.expr(e);
            mask |= 1n << BigInt(i);
            return this.expr(e.value);
          });
          return this.call('kiln.tuple_splice', [{ const: { kind: 'int', value: String(mask) } }, ...items], span, 'tuple');
        }
        const items = n.elts.map((e: PyNode) => this.expr(e));
        return this.call('kiln.make_tuple', items, span, 'tuple');
      }
      case 'Subscript': {
        if (this.caughtArgs(n.value)) {
          if (n.slice._t === 'Slice') this.fail(span, 'exception args', `a slice of ${n.value.value.id}.args is outside the compiled subset`, `read one argument: ${n.value.value.id}.args[0]`);
          return this.call('kiln.exc_arg', [{ ref: this.caughtLocal(n.value.value) }, this.expr(n.slice), ...this.keptArgument(n.value.value, span)], span, 'arg');
        }
        const value = this.expr(n.value);
        const index = this.indexArgs(n.slice);
        return this.call('_operator.getitem', [value, ...index], span, 'getitem');
      }
      case 'List': {
        if (n.elts.some((e: PyNode) => e._t === 'Starred')) return this.starredList(n);
        return this.call('kiln.make_list', n.elts.map((e: PyNode) => this.expr(e)), span, 'list');
      }
      case 'ListComp':
        return this.listComprehension(n);
      case 'Dict': {
        if (n.keys.some((k: PyNode | null) => !k)) this.fail(span, '**mapping in a dict display', 'unpacking a mapping into a dict display is outside the compiled subset', 'store the items one by one');
        // Keys and values are evaluated in order, key before its value (as CPython).
        const args: Arg[] = [];
        n.keys.forEach((k: PyNode, i: number) => args.push(this.expr(k), this.expr(n.values[i])));
        return this.call('kiln.make_dict', args, span, 'dict');
      }
      case 'Set': {
        if (n.elts.some((e: PyNode) => e._t === 'Starred')) this.fail(span, 'starred expression', 'starred items in a set are outside the compiled subset');
        return this.call('kiln.make_set', n.elts.map((e: PyNode) => this.expr(e)), span, 'set');
      }
      case 'DictComp':
      case 'SetComp':
        return this.containerComprehension(n);
      case 'GeneratorExp':
        // Outside a call that consumes it at once, a generator is materialised as a list (same items).
        return this.listComprehension(n);
      case 'Attribute': {
        const v = n.value;
        if (n.attr === '__name__' && v._t === 'Call' && v.func._t === 'Name' && v.func.id === 'type' && v.args.length === 1 && this.isCaught(v.args[0])) return this.caughtClassName(v.args[0], span);
        if (this.isCaught(v) && n.attr === 'value' && [...this.machines.values()].some((m) => m.stop)) return this.caughtStopValue(v, span);
        if (this.isCaught(v) && n.attr !== 'args') {
          const attr = this.caughtClassAttribute(v, n.attr, span);
          if (attr) return attr;
          // A field of the instance an exception class with fields carries (e.line): typecheck reads it as any field.
          if (this.caughtObjects.has(this.caughtLocal(v))) return this.call('kiln.getattr', [this.caughtObject(v, span), { const: { kind: 'str', value: n.attr } }], span, n.attr);
        }
        if (this.isCaught(v)) {
          this.fail(span, 'exception attribute', n.attr === 'args'
            ? `${v.id}.args of a caught exception is read here only as ${v.id}.args[i], len(${v.id}.args), str(${v.id}.args) or repr(${v.id}.args)`
            : `${v.id}.${n.attr} of a caught exception is outside the compiled subset`,
            `str(${v.id}) gives its message, ${v.id}.args[0] its first argument, type(${v.id}).__name__ its class name; the fields of an exception class are read in a clause that names that class alone (except ParseError as ${v.id})`);
        }
        const dotted = this.resolveName(n);
        if (dotted && (this.moduleScope || !this.isLocalName(rootName(n)))) return this.valueAt(dotted, span);
        // A field some class of this module has (`self.size = 0`) is the instance's; otherwise the registry's attributes
        // (attr.shape, attr.T, attr.dtype, attr.real, ...) of arrays and numbers.
        if (!this.isFieldName(n.attr) && lookupOp(`attr.${n.attr}`)) return this.call(`attr.${n.attr}`, [this.expr(n.value)], span, n.attr === 'T' ? 'transpose' : n.attr);
        if (dotted && this.classOf(dotted.slice(0, dotted.lastIndexOf('.')))) {
          this.fail(span, 'class attribute', `the class attribute ${dotted.slice(dotted.indexOf('.') + 1)} is outside the compiled subset`, 'keep the value in a module-level constant');
        }
        if (dotted) this.fail(span, 'attribute access', `the attribute .${n.attr} is outside the compiled subset`, 'arrays have .shape, .size, .ndim, .T, .dtype, .itemsize and .nbytes here, numbers .real and .imag');
        const attr = this.classAttribute(n);
        if (attr) return this.valueAt(attr, span);
        // `obj.x`: a field of an instance of a compiled class (types/classes.ts); anything else is refused by typecheck.
        return this.call('kiln.getattr', [this.expr(n.value), { const: { kind: 'str', value: n.attr } }], span, n.attr);
      }
      case 'JoinedStr':
        return this.fstring(n);
      case 'NamedExpr': {
        const value = this.expr(n.value);
        this.store(n.target, value, span);
        return value; // the value assigned, not the name: a later := in the same expression may rebind it
      }
      case 'Starred':
        this.fail(span, 'starred expression', 'a starred expression is allowed here only in a call (f(*t)), a tuple or list display ([*a, *b]) or an assignment target', 'unpack the items explicitly');
        break;
      default: {
        const known = UNSUPPORTED[n._t];
        if (known) this.fail(span, known[0], `${known[0]} is outside the compiled subset`, known[1]);
      }
    }
    this.fail(span, n._t, `the expression ${n._t} is outside the compiled subset`);
  }

  /** `[*a, x, *b]`: a new list, extended by each starred iterable in turn. */
  private starredList(n: PyNode): Arg {
    const span = n.span!;
    const v = this.synthetic('list');
    this.assign(v, this.call('kiln.make_list', [], span, 'list'), span);
    for (const e of n.elts) {
      if (e._t === 'Starred') {
        const part = this.iteratorCall(e.value) ? this.materialize(e.value) : this.expr(e.value);
        this.emit({ op: 'call_function', name: this.fresh('extend'), target: 'method.extend', args: [{ ref: v }, part], span: e.span! });
      } else {
        this.emit({ op: 'call_function', name: this.fresh('append'), target: 'method.append', args: [{ ref: v }, this.expr(e)], span: e.span! });
      }
    }
    return { ref: v };
  }

  /**
   * A lambda without parameters whose body is a number, a bool, or a list or tuple of them (`lambda: 0`, `lambda: [0, 0]`,
   * `lambda: (0.0, 1)`): its shape and constants (a defaultdict factory made without calling code), else undefined.
   */
  private lambdaConstant(f: PyNode): { shape: 'value' | 'list' | 'tuple'; items: ConstValue[] } | undefined {
    const a = f.args;
    if (a.args.length || a.posonlyargs?.length || a.kwonlyargs?.length || a.vararg || a.kwarg) return undefined;
    const number = (n: PyNode): ConstValue | undefined => {
      if (n._t === 'Constant' && (typeof n.value === 'boolean' || n.value?._t === 'int' || n.value?._t === 'float')) return this.constant(n);
      if (n._t === 'UnaryOp' && n.op._t === 'USub' && n.operand._t === 'Constant' && (n.operand.value?._t === 'int' || n.operand.value?._t === 'float')) {
        const c = this.constant(n.operand);
        if (c.kind === 'int') return { kind: 'int', value: c.value.startsWith('-') ? c.value.slice(1) : `-${c.value}` };
        if (c.kind === 'float') return negateFloat(c);
      }
      return undefined;
    };
    const b = f.body;
    const one = number(b);
    if (one) return { shape: 'value', items: [one] };
    if ((b._t === 'List' || b._t === 'Tuple') && b.elts.length) {
      const items = b.elts.map(number);
      if (items.every(Boolean)) return { shape: b._t === 'List' ? 'list' : 'tuple', items: items as ConstValue[] };
    }
    return undefined;
  }

  private constant(n: PyNode): ConstValue {
    const v = n.value;
    if (v === null) return { kind: 'none' };
    if (typeof v === 'boolean') return { kind: 'bool', value: v };
    if (typeof v === 'string') return { kind: 'str', value: v };
    if (v && v._t === 'bytes') return { kind: 'bytes', hex: v.hex };
    if (v && v._t === 'int') return { kind: 'int', value: v.dec };
    if (v && v._t === 'float') return { kind: 'float', hex: v.hex, repr: v.repr };
    if (v && v._t === 'complex') this.fail(n.span, 'complex number', 'complex numbers are outside the compiled subset');
    this.fail(n.span, 'constant', `the constant ${JSON.stringify(v)} is outside the compiled subset`);
  }

  /** A name that is a variable of this function (a local, a parameter, a captured variable), not a module name. */
  private isLocalName(id: string): boolean {
    if (this.moduleScope) return false;
    if (this.frame) return this.renames.has(id);
    return (this.locals.has(id) && !this.scope.globals.has(id)) || this.cellFree.has(id) || (id === this.scope.selfName);
  }

  private name(n: PyNode): Arg {
    const id: string = n.id;
    const exitArg = this.exitArg(n);
    if (exitArg && exitArg !== 'value') {
      const uses = exitArg === 'type' ? `${id} is None, ${id} is not None or issubclass(${id}, ...)` : `${id} is None or ${id} is not None`;
      this.fail(n.span, '__exit__', `__exit__'s argument '${id}' (the exception's ${exitArg === 'type' ? 'class' : 'traceback'}) is read here only as ${uses}`, 'read the exception itself, the next argument: isinstance(exc, ...), str(exc)');
    }
    if (this.isCaught(n)) {
      this.fail(n.span, 'exception object', `the caught exception '${id}' is used here only as str(${id}), repr(${id}), f"{${id}}", ${id}.args[i], len(${id}.args), type(${id}).__name__, isinstance(${id}, ...) or raise ${id}`, 'take its message with str(' + id + ')');
    }
    const renamed = this.renames.get(id);
    if (renamed) return { ref: renamed };
    if (!this.moduleScope && !this.frame && this.mod === this.home && !this.scope.globals.has(id)) {
      if (this.cellFree.has(id)) return this.call('kiln.cell_get', [{ ref: id }], n.span!, id);
      if (this.locals.has(id) && this.walrusTargets.has(id)) {
        const copy = this.synthetic('load');
        this.assign(copy, { ref: id }, n.span!);
        return { ref: copy };
      }
      if (this.locals.has(id)) return { ref: id };
      if (id === this.scope.selfName) return this.selfClosure(n.span!);
    }
    const c = this.mod.constants[id];
    if (c) return this.moduleConstant(id, n.span!);
    const imported = this.mod.imports[id];
    if (imported) return this.valueAt(imported, n.span!, id);
    if (this.mod.functions.some((f) => f.name === id)) return this.functionValue(id, n.span!, this.mod === this.home ? undefined : this.moduleName);
    const enumCls = Object.hasOwn(this.mod.classes ?? {}, id) ? this.mod.classes![id] : undefined;
    const members = enumCls && this.enumOf(enumCls, n.span!);
    if (members) {
      // The class as a value (`for c in Color`, `len(Color)`): the tuple of its members, in order.
      return this.call('kiln.make_tuple', members.names.map((_m, i) => this.enumMember(members, i, n.span!)), n.span!, id.toLowerCase());
    }
    if (['int', 'float', 'bool'].includes(id)) {
      // As a dtype: np.zeros(n, dtype=float), a.astype(int); as a function: map(float, xs).
      const name = this.fresh(id, false);
      this.emit({ op: 'constant', name, target: `builtins.${id}`, args: [], span: n.span! });
      return { ref: name };
    }
    if (BUILTINS.has(id) && lookupOp(`builtins.${id}`) && !ITERATOR_BUILTINS.has(`builtins.${id}`)) {
      // A builtin as a value: key=abs, map(round, xs).
      const name = this.fresh(id, false);
      this.emit({ op: 'constant', name, target: `builtins.${id}`, args: [], span: n.span! });
      return { ref: name };
    }
    if (BUILTINS.has(id)) this.fail(n.span, 'builtin as a value', `the builtin '${id}' is used as a value`, 'call it directly');
    this.fail(n.span, 'undefined name', `name '${id}' is not defined`, 'define it at module level as a constant, or pass it in');
  }

  /**
   * A module-level constant of the module being read (`mod`: another module's, for `utils.SCALE`): a literal
   * becomes a `constant` node; a list of constants static data; an expression of constants is traced in place,
   * its names read in its own module.
   */
  private moduleConstant(id: string, span: Span, mod: PyModule = this.mod): Arg {
    const c = mod.constants[id];
    // `Color.RED` of `class Color(Enum)`: a member (an object with .name and .value), not the value 1; a class
    // attribute of any class whose base is not a class of the module is what that base makes of it.
    const owner = id.includes('.') ? mod.classes?.[id.slice(0, id.indexOf('.'))] : undefined;
    const external = owner?.bases.find((b) => !['object', 'ABC', 'abc.ABC'].includes(b) && !Object.hasOwn(mod.classes ?? {}, b));
    if (owner && external) {
      const spec = enumSpec(owner, external);
      if (typeof spec === 'object') return this.enumMember({ ...spec, cls: `${moduleName(mod)}.${owner.name}` }, owner.attrs.findIndex((a) => a.name === id.slice(id.indexOf('.') + 1)), span);
      if (typeof spec === 'string') this.fail(span, 'enum member', spec, `use module-level constants (${id.slice(id.indexOf('.') + 1)} = ...) or a plain class`);
      const isEnum = ENUM_BASE.test(external);
      this.fail(span, isEnum ? 'enum member' : 'class attribute',
        isEnum ? `${id} is a member of the enum ${owner.name} (an object with .name and .value, not the value it is assigned): enum.${external.replace(/^.*\./, '')} members are not compiled yet`
          : `${id}: class attributes of ${owner.name}, whose base ${external} is not a class of this module, are not compiled`,
        isEnum ? `use module-level constants (${id.slice(id.indexOf('.') + 1)} = ...) or a plain class` : 'derive from a class of this module, or use a module-level constant');
    }
    if (c.writtenByFunctions) {
      this.fail(span, 'module variable', `the module-level variable '${id}' is assigned by a function (global ${id}), so its value changes at run time; compiled code reads module values that are fixed once the module is loaded`, `pass ${id} as an argument`);
    }
    const v = c.value;
    const qualified = `${moduleName(mod)}.${id}`;
    const literal = constantLiteral(v);
    if (literal) {
      const name = this.fresh(id.replace(/\./g, '_'), false);
      this.emit({ op: 'constant', name, target: qualified, args: [{ const: literal }], span });
      return { ref: name };
    }
    if (c.literal && typeof c.literal === 'object' && c.literal._t === 'list' && !holdsString(c.literal)) {
      // A list of numbers: static data shared by every call (compiled code must not change it). A list of str
      // is traced below as the expression it is (a list of str constants, built where it is read).
      const name = this.fresh(id, false);
      this.emit({ op: 'call_function', name, target: 'kiln.static_list', args: [], span, literal: c.literal, module: id });
      return { ref: name };
    }
    if (this.constantsInProgress.has(qualified)) this.fail(span, 'module constant', `the module constant '${id}' refers to itself`);
    this.constantsInProgress.add(qualified);
    const saved = [this.mod, this.moduleName, this.foreignUse] as const;
    [this.mod, this.moduleName] = [mod, moduleName(mod)];
    this.foreignUse = this.foreignUseIn(mod, span);
    try {
      const value = this.atModuleLevel(() => this.expr(v));
      // A list or array made by the expression is module state too: opt/writes.ts finds writes to it.
      const made = 'ref' in value ? this.findNode(value.ref) : undefined;
      if (made && made.op === 'call_function') made.module = id;
      return value;
    } catch (e) {
      if (e instanceof KilnError) {
        const where = mod === this.home ? `line ${c.span.line}` : `${path.basename(mod.file)}:${c.span.line}`;
        this.fail(span, 'module constant', `the module-level value '${id}' (${where}) cannot be compiled: ${e.diagnostic.message}`, e.diagnostic.hint);
      }
      throw e;
    } finally {
      [this.mod, this.moduleName, this.foreignUse] = saved;
      this.constantsInProgress.delete(qualified);
    }
  }

  /** A name defined outside the function and this module (`utils.SCALE`, `math.pi`), read as a value. */
  private valueAt(dotted: string, span: Span, shown = dotted): Arg {
    const b = this.names.resolve(dotted);
    switch (b.kind) {
      case 'value':
        return this.moduleConstant(b.name, span, b.mod);
      case 'function':
        return this.functionValue(b.name, span, b.mod === this.home ? undefined : b.module);
      case 'module':
        this.fail(span, 'module as a value', `the module '${b.module}' is used as a value`, `use one of its names: ${shown}.NAME`);
        break;
      case 'class':
        this.fail(span, 'class as a value', `the class ${b.qualified} as a value is not compiled`, `call it (${b.name}(...)), or name it in isinstance()`);
        break;
      case 'missing':
        this.missing(b, span);
        break;
      case 'external': {
        const literal = lookupConstant(b.dotted)?.literal;
        if (literal) return { const: literal };
        const name = this.fresh(b.dotted.split('.').pop()!, false);
        this.emit({ op: 'constant', name, target: b.dotted, args: [], span });
        return { ref: name };
      }
    }
    return this.fail(span, 'name', `'${shown}' cannot be read here`);
  }

  private missing(b: Binding & { kind: 'missing' }, span: Span): never {
    this.fail(span, 'import', b.message, b.hint);
  }

  /**
   * `f.cache_info()` / `f.cache_clear()` of a function under a functools cache: a call of the op (types/ops/caches.ts)
   * naming the function (its qualified name) and, for cache_info, its maxsize. Undefined for any other call.
   */
  private cacheControl(n: PyNode, target: string, span: Span): Arg | undefined {
    const dot = target.lastIndexOf('.');
    const attr = target.slice(dot + 1);
    if (n.func._t !== 'Attribute' || !['cache_info', 'cache_clear', 'cache_parameters'].includes(attr)) return undefined;
    const b = this.names.resolve(target.slice(0, dot));
    if (b.kind !== 'function') return undefined;
    const spec = (b.fn.otherDecorators ?? []).map((d) => cacheSpecOf(d, b.mod.imports)).find((c): c is CacheSpec => !!c && !('error' in c));
    if (!spec) return this.fail(span, `.${attr}()`, `AttributeError: 'function' object has no attribute '${attr}'`, 'cache_info() and cache_clear() belong to functions under @functools.cache or @functools.lru_cache(...)');
    if (attr === 'cache_parameters') return this.fail(span, '.cache_parameters()', 'cache_parameters() is not compiled', `the decorator says them: maxsize=${spec.maxsize ?? 'None'}, typed=${spec.typed ? 'True' : 'False'}`);
    if (n.args.length || n.keywords.length) return this.fail(span, `.${attr}()`, `TypeError: ${attr}() takes no arguments`);
    if (spec.maxsize === 0) {
      return this.fail(span, `.${attr}()`, `${attr}() of a function under lru_cache(maxsize=0) is not compiled (the function is compiled without a cache)`, 'count the calls yourself, or give the cache a size');
    }
    const name: Arg = { const: { kind: 'str', value: b.qualified } };
    const maxsize: Arg = { const: spec.maxsize === null ? { kind: 'none' } : { kind: 'int', value: String(spec.maxsize) } };
    return this.call(`functools.${attr}`, attr === 'cache_info' ? [name, maxsize] : [name], span, attr);
  }

  /** The project function a call target names (this module's or another's), or undefined for a library call. */
  private projectFunction(target: string, span: Span): { qualified: string; fn: PyFunction } | undefined {
    const b = this.names.resolve(target);
    if (b.kind === 'class') this.fail(span, 'call', `${b.qualified} is an enum of another module: enums are compiled within their module`, `call a function of ${b.module} that uses ${b.name}, or move this code into ${b.module}`);
    if (b.kind === 'function') return { qualified: b.qualified, fn: b.fn };
    if (b.kind === 'missing') this.missing(b, span);
    if (b.kind === 'module') this.fail(span, 'call', `'${target}' is a module, not a function`);
    if (b.kind === 'value') this.fail(span, 'call', `'${target}' is a module-level value, not a function`);
    return undefined;
  }

  /** The dotted name that a Name or Attribute chain refers to through the module's imports. */
  private resolveName(n: PyNode): string | undefined {
    if (n._t === 'Name') {
      if (this.isLocalName(n.id)) return undefined;
      if (this.mod.functions.some((f) => f.name === n.id) || this.mod.classes?.[n.id]) return `${this.moduleName}.${n.id}`;
      // A classmethod's `cls`: the class itself (types/classes.ts).
      const alias = this.mod.functions.find((f) => f.name === this.src.id && f.classAlias === n.id);
      if (alias) return `${this.moduleName}.${alias.methodOf}`;
      if (this.mod.imports[n.id]) return this.mod.imports[n.id];
      if (this.mod.constants[n.id]) return undefined;
      if (BUILTINS.has(n.id) || isExceptionKind(n.id)) return `builtins.${n.id}`;
      return undefined;
    }
    if (n._t === 'Attribute') {
      // A class attribute of an exception class of the module (`HttpError.status`): a module constant.
      if (n.value._t === 'Name' && !this.isLocalName(n.value.id) && this.mod.exceptionClasses?.some((c) => c.name === n.value.id)) return `${this.moduleName}.${n.value.id}.${n.attr}`;
      const base = this.resolveName(n.value);
      return base && !this.isEnumMember(n.value) ? `${base}.${n.attr}` : undefined;
    }
    return undefined;
  }

  /**
   * A generator expression passed to a function of the project is the list of its items there: the function must
   * read it as CPython's generator allows, once from its start (generatorParamProblem), or the call is refused.
   * `self`: a method's receiver is given apart (obj.m(gen), obj += gen), so the arguments bind from its second parameter.
   */
  private generatorParams(fn: PyFunction, args: PyNode[], keywords: PyNode[], self = false) {
    const positional = fn.params.filter((p) => p.kind !== 'kwonly').slice(self ? 1 : 0);
    const name = fn.methodOf ? `${fn.methodOf}.${fn.name.split('.').pop()}` : fn.name;
    const check = (a: PyNode, p: PyParam | undefined) => {
      if (a._t !== 'GeneratorExp') return;
      const hint = `pass a list if it needs one: [...] or list(...)`;
      if (!p) this.fail(a.span!, 'generator argument', `a generator expression passed to ${name}()'s *args or **kwargs is outside the compiled subset`, hint);
      const problem = generatorParamProblem(fn, p.name, 'generator');
      if (problem) {
        const where = problem.node?.span ? ` (line ${problem.node.span.line})` : '';
        this.fail(a.span!, 'generator argument', problem.message.startsWith('TypeError') ? problem.message : `a generator expression passed to ${name}(): ${problem.message}${where}`, hint);
      }
      // The items are all computed before the call, where CPython computes each when the callee reads it: exact
      // when either side runs nothing anyone could see in between.
      if (this.quietItems(a)) return;
      const loud = unquietBeforeRead(fn, p.name, this.operatorsOverloaded());
      if (!loud) return;
      this.fail(a.span!, 'generator argument', `a generator expression passed to ${name}() is computed before the call, where CPython computes each item when ${name}() reads '${p.name}': its items may run code or raise (a call, an attribute, an index, a division, :=, a list read as it changes), and ${name}() runs code before its read of '${p.name}' ends (line ${loud.span?.line})`,
        `make the list where the call is if that order is meant: ${name}([...]); or let ${name}() read '${p.name}' first, with a loop or sum()/list()/sorted()`);
    };
    // f(*(x for ...)) passes its items, not the generator; after a *t the positions are known only at run time.
    args.forEach((a: PyNode, i: number) => check(a, args.slice(0, i).some((b: PyNode) => b._t === 'Starred') ? undefined : positional[i]));
    for (const kw of keywords) check(kw.value, kw.arg === null ? undefined : fn.params.find((p) => p.name === kw.arg && p.kind !== 'posonly'));
  }

  /**
   * A generator expression given to a method of a class of this module (obj.m(gen), obj += gen): every method of
   * that name is checked (a static or class method has no `self` among its params).
   */
  private generatorMethodArgs(methods: string[], args: PyNode[], keywords: PyNode[] = []) {
    if (!args.some((a) => a._t === 'GeneratorExp') && !keywords.some((k) => k.value._t === 'GeneratorExp')) return;
    for (const f of this.mod.functions) {
      if (f.methodOf && methods.includes(f.name.split('.').pop()!)) this.generatorParams(f, args, keywords, !f.classAlias && !f.methodDecorators?.includes('staticmethod'));
    }
  }

  /** A call's arguments in the order Python evaluates them, and its shape (keywords, *t, **kw). */
  private callArgs(n: PyNode): { args: Arg[]; shape: NonNullable<IRNode['call']> } {
    const args: Arg[] = [];
    const starred: number[] = [];
    const kwstarred: number[] = [];
    const keywords: string[] = [];
    for (const a of n.args) {
      if (a._t === 'Starred') {
        if (this.iteratorCall(a.value)) this.fail(a.span, '*args in a call', 'f(*zip(...)) and the like are outside the compiled subset (the number of arguments would be known only at run time)', 'pass a tuple: f(*t)');
        starred.push(args.length);
        args.push(this.expr(a.value));
      } else args.push(this.expr(a));
    }
    const named = n.keywords.filter((k: PyNode) => k.arg !== null);
    for (const kw of n.keywords) {
      if (kw.arg === null) {
        kwstarred.push(args.length);
        args.push(this.expr(kw.value));
      }
    }
    for (const kw of named) {
      keywords.push(kw.arg);
      args.push(this.expr(kw.value));
    }
    // Keyword arguments are the last args; **kw forwarding sits between the positional ones and them.
    return { args, shape: { ...(keywords.length ? { keywords } : {}), ...(starred.length ? { starred } : {}), ...(kwstarred.length ? { kwstarred } : {}) } };
  }

  private callExpr(n: PyNode): Arg {
    const span = n.span!;
    if (n.func._t === 'Name' && n.func.id === 'str' && !this.isLocalName('str') && n.args.length === 1 && !n.keywords.length && this.isCaught(n.args[0])) return this.caughtMessage(n.args[0]);
    const builtin = (name: string) => n.func._t === 'Name' && n.func.id === name && !this.isLocalName(name) && n.args.length === 1 && !n.keywords.length;
    if (n.func._t === 'Attribute' && this.isCaught(n.func.value) && this.caughtObjects.has(this.caughtLocal(n.func.value))) {
      // A method of the exception class with fields a clause names (e.describe()): called on the instance.
      const { args, shape } = this.callArgs(n);
      const moved: IRNode['call'] = { ...shape, ...(shape.starred ? { starred: shape.starred.map((i) => i + 1) } : {}), ...(shape.kwstarred ? { kwstarred: shape.kwstarred.map((i) => i + 1) } : {}) };
      return this.call(`method.${n.func.attr}`, [this.caughtObject(n.func.value, span), ...args], span, n.func.attr, moved);
    }
    if ((builtin('repr') || builtin('str')) && this.caughtArgs(n.args[0])) return this.caughtRepr(n.args[0].value, true, span);
    if (builtin('repr') && this.isCaught(n.args[0])) return this.caughtRepr(n.args[0], false, span);
    if (builtin('len') && this.caughtArgs(n.args[0])) return this.caughtCount(n.args[0].value);
    if (n.func._t === 'Name' && n.func.id === 'isinstance' && !this.isLocalName('isinstance') && n.args.length === 2 && this.isCaught(n.args[0])) return this.caughtIsInstance(n.args[0], n.args[1], span);
    if (n.func._t === 'Name' && n.func.id === 'issubclass' && !this.isLocalName('issubclass') && n.args.length === 2 && this.exitArg(n.args[0]) === 'type') return this.caughtIsInstance(n.args[0], n.args[1], span);
    const machine = n.func._t === 'Attribute' && !n.keywords.length ? this.machineOf(n.func.value) : undefined;
    if (machine && n.func.attr === 'send' && n.args.length === 1) return this.machineSend(machine, n.args[0], span);
    if (machine && n.func.attr === 'close' && !n.args.length) return this.machineClose(machine, span);
    const frames = !machine && n.func._t === 'Attribute' && ['send', 'throw'].includes(n.func.attr) ? this.iterableClassOf(n.func.value) : undefined;
    if (n.func._t === 'Attribute' && n.func.attr === 'throw' && n.args.length === 1 && !n.keywords.length && (machine || frames?.generatorFrame)) return this.throwInto(machine, n, span);
    if (frames?.frameReturnsValue && n.func.attr === 'send') {
      // Its end raises StopIteration without the value, as next() there (builtins.next).
      this.fail(span, 'send()', `send() on the generator '${frames.generatorFrame}', which returns a value, is outside the compiled subset here (its StopIteration would not carry the value)`,
        'read it in the function that makes it: g = gen(...) kept in a local, read by next() and send()');
    }
    const target = this.resolveName(n.func);
    if (!target && n.func._t === 'Attribute' && n.func.attr === 'format' && !this.isFunctionValueExpr(n.func)) return this.formatCall(n);
    if (!target && n.func._t === 'Attribute' && !this.isFunctionValueExpr(n.func)) {
      // A method of a value: lst.append(x), a.sum(axis=0), a.reshape(2, 3), xs.sort(key=f).
      if (n.func.attr === 'sort' && n.keywords.some((k: PyNode) => k.arg === 'key' && !(k.value._t === 'Constant' && k.value.value === null))) return this.sortWithKey(n, true);
      const sup = n.func.value;
      if (sup._t === 'Call' && sup.func._t === 'Name' && sup.func.id === 'super' && !sup.args.length && !this.isLocalName('super')) return this.superCall(n);
      if (!lookupOp(`method.${n.func.attr}`) || (n.keywords.length && !keywordsOf(`method.${n.func.attr}`))) {
        // No library method of that name: a method of a compiled class (typecheck binds it as a call of Class.method).
        this.generatorMethodArgs([n.func.attr], n.args, n.keywords);
        const receiver = this.expr(n.func.value);
        const { args, shape } = this.callArgs(n);
        const moved: IRNode['call'] = { ...shape, ...(shape.starred ? { starred: shape.starred.map((i) => i + 1) } : {}), ...(shape.kwstarred ? { kwstarred: shape.kwstarred.map((i) => i + 1) } : {}) };
        return this.call(`method.${n.func.attr}`, [receiver, ...args], span, n.func.attr, moved);
      }
      // A library method's name that a class of this module defines too (t.count(gen)): the receiver may be one.
      if (!this.notInstance(n.func.value, n.func.attr)) this.generatorMethodArgs([n.func.attr], n.args, n.keywords);
      const made = this.libraryCall(`method.${n.func.attr}`, [n.func.value, ...n.args], n.keywords, span, n.func.attr);
      const node = 'ref' in made ? this.findNode(made.ref) : undefined;
      if (node && !n.keywords.length && node.args.length > n.args.length + 1) node.given = n.args.length + 1;
      return made;
    }
    if (!target) {
      // A function value: a local, a captured variable, a lambda, an item of a table of functions.
      if (n.func._t === 'Name' && !this.isLocalName(n.func.id)) this.fail(span, 'undefined name', `name '${n.func.id}' is not defined`);
      const gen = [...n.args, ...n.keywords.map((k: PyNode) => k.value)].find((a: PyNode) => a._t === 'GeneratorExp');
      if (gen) {
        // It would be the list of its items there, and the callee is known only at run time (generatorParams).
        this.fail(gen.span, 'generator argument', `a generator expression passed to a function value (${n.func._t === 'Name' ? `'${n.func.id}'` : 'a lambda, a local def, an item of a table'}) is outside the compiled subset`,
          'call a module-level function by its name, or pass a list: list(...)');
      }
      const callee = this.expr(n.func);
      const { args, shape } = this.callArgs(n);
      // The shape's positions count the node's args, where the function value comes first.
      const at = (xs?: number[]) => xs?.map((i) => i + 1);
      return this.call('kiln.call', [callee, ...args], span, 'call', { ...shape, ...(shape.starred ? { starred: at(shape.starred) } : {}), ...(shape.kwstarred ? { kwstarred: at(shape.kwstarred) } : {}) });
    }
    const control = this.cacheControl(n, target, span);
    if (control) return control;
    const cls = this.classOf(target);
    const members = cls && this.enumOf(cls, span);
    if (members) {
      // `Color(1)`: the member whose value is 1 (ValueError: 1 is not a valid Color).
      if (n.args.length !== 1 || n.keywords.length || n.args[0]._t === 'Starred') this.fail(span, `${cls!.name}()`, `${cls!.name}(value) takes the value of one member`);
      return this.call('kiln.enum_lookup', [{ const: { kind: 'str', value: JSON.stringify(members) } }, this.expr(n.args[0])], span, `${cls!.name.toLowerCase()}_member`);
    }
    if (cls) return this.construct(cls, n);
    if (this.isInfiniteIterator(target)) {
      const name = target.split('.').pop();
      this.fail(span, `${name}()`, `a ${name} object is compiled where it is consumed: in a for loop or a comprehension (for x in ${name}(...)), given to zip(), map() or another iterator, or held by a variable (c = ${name}(...); next(c))`, { count: 'loop with a counter, or over range()', cycle: 'index the list: xs[i % len(xs)]' }[name!] ?? 'make a list: [x] * n');
    }
    // A compiled standard function whose shape depends on the call (combinations(xs, 2), reduce(f, xs)): its variant.
    const home = this.names.resolve(target.split('.')[0]);
    const variant = home.kind === 'module' && isCompiledStdlib(home.file) ? stdlibVariant(target, n) : undefined;
    if (variant && 'error' in variant) this.fail(span, `${target}()`, variant.error, variant.hint);
    // A function of the project, here or in another module (through imports and re-exports): its canonical name.
    const callee = this.projectFunction(variant?.target ?? target, span);
    if (callee && isGeneratorFunction(callee.fn)) {
      // A compiled standard iterator (takewhile, islice, ...) passed to a function that reads a list (pairwise,
      // reduce, map, *it): the list of its items, which checkOneShots lets be read once, from its start.
      if (this.isStdlibCall(target)) return this.generatorList(n);
      this.fail(span, 'generator object', `a generator object of '${callee.fn.name}' used as a value (stored, passed, returned, or read with next()) is outside the compiled subset: generators are compiled where a loop consumes them`, `consume it where it is made: for x in ${callee.fn.name}(...), sum(${callee.fn.name}(...)), list(${callee.fn.name}(...)), any/all/min/max/sorted(...)`);
    }
    if (callee) {
      if (this.isStdlibCall(target)) this.sequenceArgs(callee.fn, n);
      else this.generatorParams(callee.fn, n.args, n.keywords);
      // Typecheck binds the arguments to its parameters (defaults, keywords, *args, **kwargs).
      const { args, shape } = this.callArgs(n);
      this.callees.add(callee.qualified === `${moduleName(this.home)}.${callee.fn.name}` ? callee.fn.name : callee.qualified);
      return this.call(callee.qualified, args, span, callee.fn.name.split('.').pop(), shape);
    }
    switch (target) {
      case 'collections.defaultdict': {
        // defaultdict(int), defaultdict(list): the factory is named at compile time (types/ops/dicts.ts makes it in C).
        const f = n.args[0];
        if (n.keywords.length || n.args.length > 1) this.fail(span, 'defaultdict()', 'defaultdict() with initial items or keywords is not compiled', 'make it empty and fill it: d = defaultdict(int); d.update(...)');
        // defaultdict(lambda: 0), defaultdict(lambda: [0, 0]): a lambda that makes a constant is passed as its value's constants.
        const made = f?._t === 'Lambda' ? this.lambdaConstant(f) : undefined;
        if (made) return this.call(target, [{ const: { kind: 'str', value: 'lambda' } }, { const: { kind: 'str', value: made.shape } }, ...made.items.map((c) => ({ const: c }))], span, 'defaultdict');
        if (f && !(f._t === 'Name' && ['int', 'float', 'bool', 'str', 'list', 'set', 'dict'].includes(f.id) && !this.isLocalName(f.id))) {
          this.fail(f.span ?? span, 'defaultdict()', `a defaultdict factory other than int, float, bool, str, list, set, dict or a lambda that makes a number or a list or tuple of numbers is not compiled (${f._t === 'Lambda' ? 'this lambda' : 'this one'})`, 'use defaultdict(int) / defaultdict(list), or d.setdefault(k, default)');
        }
        return this.call(target, f ? [{ const: { kind: 'str', value: f.id } }] : [], span, 'defaultdict');
      }
      case 'collections.Counter': case 'collections.OrderedDict':
        // Counter(), OrderedDict(): empty, the types learnt from the uses (a marker constant, as defaultdict's factory name).
        if (!n.args.length && !n.keywords.length) return this.call(target, [{ const: { kind: 'str', value: target === 'collections.Counter' ? COUNTER_MARK : ORDERED_MARK } }], span, 'counter');
        if (n.keywords.length) this.fail(span, 'Counter()', 'Counter(**counts) is not compiled', 'count into it: c = Counter(); c[k] += n');
        break;
      case 'builtins.print':
        this.fail(span, 'print()', 'print() has no native equivalent here', 'return the value instead, or keep printing in the Python caller');
        break;
      case 'operator.itemgetter': case 'operator.attrgetter':
        return this.getter(n, target.slice('operator.'.length));
      case 'builtins.range':
        return this.call('kiln.make_range', this.rangeArgs(n), span, 'range');
      case 'builtins.sorted':
        if (n.keywords.some((k: PyNode) => k.arg === 'key' && !(k.value._t === 'Constant' && k.value.value === null))) return this.sortWithKey(n, false);
        break;
      case 'builtins.min': case 'builtins.max': {
        const hasKey = n.keywords.some((k: PyNode) => k.arg === 'key' && !(k.value._t === 'Constant' && k.value.value === null));
        const hasDefault = n.keywords.some((k: PyNode) => k.arg === 'default');
        if (hasKey || hasDefault) return this.minMaxWithKey(n, target === 'builtins.max' ? 'max' : 'min');
        break;
      }
      case 'builtins.float': {
        // float('inf'), float('-inf'), float('nan') and float('2.5'): a constant, as Python parses it. A string
        // Python rejects is converted at run time, where it raises CPython's ValueError (on the path that reaches it).
        const a = n.args[0];
        if (n.args.length === 1 && !n.keywords.length && a._t === 'Constant' && typeof a.value === 'string') {
          const c = floatFromString(a.value);
          if (c) return { const: c };
        }
        break;
      }
      case 'builtins.next': {
        const m = n.args.length >= 1 && n.args.length <= 2 && !n.keywords.length ? this.machineOf(n.args[0]) : undefined;
        if (m) return this.machineNext(m, n.args[1], span);
        const cls = n.args.length >= 1 && n.args.length <= 2 && !n.keywords.length ? this.iterableClassOf(n.args[0]) : undefined;
        if (cls?.frameReturnsValue && n.args.length === 1) {
          // Its end raises StopIteration without the value (e.value, str(e) and the traceback would miss it).
          this.fail(span, 'next()', `next() without a default on the generator '${cls.name}', which returns a value, is outside the compiled subset (its StopIteration would not carry the value)`,
            `give a default (next(g, None)), or read its value with x = yield from ${cls.name}(...) in a generator`);
        }
        if (cls && resolveMethod(this.mod, cls, '__next__')) return this.instanceNext(n.args[0], n.args[1], span);
        const genexp = n.args.length >= 1 && n.args.length <= 2 && !n.keywords.length && n.args[0]._t !== 'Starred' ? this.generatorExpression(n.args[0]) : undefined;
        if (genexp) return this.genexpNext(n.args[0], genexp, n.args[1], span);
        if (n.args[0] && this.generatorCall(n.args[0])) this.fail(span, 'next()', 'next() on a generator made here reads its first item only', 'store the generator first: g = gen(...); x = next(g)');
        this.fail(span, 'next()', 'next() is compiled on a variable that holds a generator (g = gen(...)) or an iterator (it = iter(xs))', 'store it first: it = iter(xs); x = next(it)');
        break;
      }
      case 'builtins.iter':
        this.fail(span, `${target.slice(9)}()`, `${target.slice(9)}() is outside the compiled subset`, 'iterate with a for loop');
        break;
      default:
        // reversed(seq) as a value is a new list of the items, last first (its op); the other iterators are made where consumed.
        if (ITERATOR_BUILTINS.has(target) && target !== 'builtins.reversed') {
          const name = target.slice(9);
          this.fail(span, `${name}()`, `a ${name} object is compiled where it is consumed: in a for loop or a comprehension (for x in ${name}(...)), or by list(), sum(), min(), max(), any(), all() or sorted()`, `make a list where you need a value: list(${name}(...))`);
        }
    }
    if (lookupOp(target)?.facts.ufunc && n.keywords.some((k: PyNode) => k.arg === 'out' || k.arg === 'where')) return this.ufuncOut(n, target, span);
    const consumed = this.consumeGenerator(target, n);
    if (consumed) return consumed;
    if (keywordsOf(target) || consumesIterable(target)) {
      return this.libraryCall(target, n.args, n.keywords, span, target.split('.').pop()!);
    }
    if (n.args.some((a: PyNode) => a._t === 'Starred')) this.fail(span, '*args in a call', `starred arguments to ${target.split('.').pop()}() are outside the compiled subset`, 'pass the arguments one by one');
    if (target === 'builtins.isinstance') return this.isinstanceCall(n);
    if (target === 'builtins.type') this.fail(span, 'type()', 'type(x) is compiled only in a test such as type(x) is float', 'or use isinstance(x, float)');
    if (n.keywords.length) {
      this.fail(span, 'keyword arguments', `keyword arguments to ${target}() are outside the compiled subset`, 'pass the arguments by position');
    }
    // String literals an op reads at compile time (np.einsum's subscripts) stay literals.
    const literal = lookupOp(target)?.facts.constantStrings ?? [];
    const args = n.args.map((a: PyNode, i: number): Arg => (literal.includes(i) && a._t === 'Constant' && typeof a.value === 'string' ? { const: { kind: 'str', value: a.value } } : this.consumedArg(target, a)));
    return this.call(target, args, span, target.split('.').pop());
  }

  /**
   * A ufunc with out= (and where=): the plain call, then kiln.ufunc_out(out, value, name, where) stores the value
   * into out (broadcast; only where `where` is true) and is the call's value (out itself, as NumPy returns it).
   */
  private ufuncOut(n: PyNode, target: string, span: Span): Arg {
    const name = target.split('.').pop()!;
    const kw = (k: string) => n.keywords.find((x: PyNode) => x.arg === k)?.value;
    const other = n.keywords.find((x: PyNode) => x.arg !== 'out' && x.arg !== 'where');
    if (other) this.fail(other.span ?? span, 'keyword argument', `the keyword argument ${other.arg ?? '**'}= of np.${name}() is outside the compiled subset (out= and where= are compiled)`, 'pass the arguments by position');
    let out = kw('out');
    if (out?._t === 'Tuple' && out.elts.length === 1) out = out.elts[0];
    if (!out || (out._t === 'Constant' && out.value === null)) this.fail(span, `np.${name}(where=)`, `np.${name}(..., where=) without out= leaves the unselected items of NumPy's result uninitialised`, `write np.where(cond, np.${name}(...), fallback), or give out=`);
    if (n.args.some((a: PyNode) => a._t === 'Starred')) this.fail(span, '*args in a call', `starred arguments to np.${name}() are outside the compiled subset`, 'pass the arguments one by one');
    const inputs = n.args.map((a: PyNode) => this.expr(a));
    const outArg = this.expr(out);
    const where = kw('where');
    const whereArg: Arg = where ? this.expr(where) : { const: { kind: 'none' } };
    // NumPy checks that inputs, out and where broadcast together before computing.
    this.call('kiln.ufunc_operands', [outArg, whereArg, ...inputs], span, 'operands');
    const value = this.call(target, inputs, span, name);
    return this.call('kiln.ufunc_out', [outArg, value, { const: { kind: 'str', value: name } }, whereArg], span, 'out');
  }

  /**
   * `super().m(...)` in a method of class C: the implementation of m in C's base (or further up), called with this
   * method's `self` (a direct call: the base's method is known here).
   */
  private superCall(n: PyNode): Arg {
    const span = n.span!;
    const fn = this.mod.functions.find((f) => f.name === this.src.id);
    const self = fn?.params[0]?.name;
    if (!fn?.methodOf || !self) this.fail(span, 'super()', 'super() is compiled in methods of module-level classes only');
    const base = (c: string) => this.mod.classes?.[c]?.bases.find((b) => !['object', 'ABC', 'abc.ABC'].includes(b));
    let impl: string | undefined;
    for (let c = base(fn!.methodOf!); c && !impl; c = base(c)) if (this.mod.functions.some((f) => f.name === `${c}.${n.func.attr}`)) impl = `${c}.${n.func.attr}`;
    if (!impl && n.func.attr === '__init__' && this.mod.exceptionClasses?.some((c) => c.name === fn!.methodOf && c.fields)) {
      // BaseException.__init__(self, message) of an exception class with fields: e.args is (message,), str(e) the message.
      if (n.args.length !== 1 || n.keywords.length || n.args[0]._t === 'Starred') {
        this.fail(span, 'super().__init__', `an exception class with fields passes its base exactly one message here (super().__init__(message))`, 'format the arguments into one str: super().__init__(f"{msg} at line {line}")');
      }
      const receiver = this.expr({ _t: 'Name', id: self, ctx: { _t: 'Load' }, span });
      this.emit({ op: 'call_function', name: this.fresh('setattr'), target: 'kiln.setattr', args: [receiver, { const: { kind: 'str', value: EXCEPTION_MESSAGE } }, this.expr(n.args[0])], span });
      return { const: { kind: 'none' } };
    }
    if (!impl) {
      if (n.func.attr === '__init__') return { const: { kind: 'none' } }; // object.__init__(self): nothing to do
      this.fail(span, 'super()', `AttributeError: 'super' object has no attribute '${n.func.attr}'`);
    }
    const method = this.mod.functions.find((f) => f.name === impl)!;
    this.generatorParams(method, n.args, n.keywords, !method.classAlias && !method.methodDecorators?.includes('staticmethod'));
    const receiver = this.expr({ _t: 'Name', id: self, ctx: { _t: 'Load' }, span });
    const { args, shape } = this.callArgs(n);
    const moved: IRNode['call'] = { ...shape, ...(shape.starred ? { starred: shape.starred.map((i) => i + 1) } : {}), ...(shape.kwstarred ? { kwstarred: shape.kwstarred.map((i) => i + 1) } : {}) };
    this.callees.add(impl!);
    return this.call(`${this.moduleName}.${impl}`, [receiver, ...args], span, n.func.attr, moved);
  }

  /**
   * `self.DIM` in a method of a class whose body (or a base's) assigns `DIM = ...` and whose instances never get a
   * field DIM: the class attribute, a module constant named `Class.DIM` (its dotted name).
   */
  private classAttribute(n: PyNode): string | undefined {
    const fn = this.mod.functions.find((f) => f.name === this.src.id);
    if (!fn?.methodOf || n.value._t !== 'Name' || n.value.id !== fn.params[0]?.name || this.moduleScope) return undefined;
    const attr: string = n.attr;
    if (storedAttributes(this.mod).anywhere.has(attr)) return undefined; // an instance field of that name exists somewhere
    const base = (c: string) => this.mod.classes?.[c]?.bases.find((b) => !['object', 'ABC', 'abc.ABC'].includes(b));
    for (let c: string | undefined = fn.methodOf; c; c = base(c)) {
      if (!this.mod.constants[`${c}.${attr}`]) continue;
      const overridden = Object.values(this.mod.classes ?? {}).some((k) => k.name !== c && this.mod.constants[`${k.name}.${attr}`] && base(k.name) !== undefined);
      if (overridden) this.fail(n.span, 'class attribute', `self.${attr} names class attributes that subclasses redefine: not compiled yet`, `write ${c}.${attr}`);
      return `${this.moduleName}.${c}.${attr}`;
    }
    return undefined;
  }

  /** This module and the modules it imports a class from: where the classes whose instances it may hold are. */
  private modulesWithClasses(): PyModule[] {
    let imported = this.classModules.get(this.mod);
    if (!imported) {
      imported = [...new Set(Object.values(this.mod.imports).map((d) => this.names.resolve(d)).flatMap((b) => (b.kind === 'class' ? [b.mod] : [])))];
      this.classModules.set(this.mod, imported);
    }
    return [this.mod, ...imported];
  }

  /**
   * Whether a class this module may hold instances of has a method the user wrote that quietExpression's operators
   * would call (`__add__`, `__eq__`, `__bool__`, `__str__`, ...).
   */
  private operatorsOverloaded(): boolean {
    return this.modulesWithClasses().some((mod) => Object.values(mod.classes ?? {})
      .some((c) => c.methods.some((m) => !m.generated && QUIET_OPERATOR_METHODS.test(m.name))));
  }

  /**
   * A generator expression whose items CPython computes with nothing anyone could see or catch (quietExpression: no
   * call, attribute, index, division, `:=`), over iterables no code can change while it runs (range(), a str or a
   * tuple display; a later clause's range() of quiet bounds): computing them all before a call is then exact.
   */
  private quietItems(g: PyNode): boolean {
    const operators = this.operatorsOverloaded();
    const quiet = (e: PyNode) => quietExpression(e, operators);
    const fixed = (it: PyNode, first: boolean) => (it._t === 'Constant' && typeof it.value === 'string')
      || (it._t === 'Tuple' && (first || it.elts.every(quiet)))
      || (it._t === 'Call' && this.resolveName(it.func) === 'builtins.range' && !it.keywords.length && (first || (it.args.length <= 2 && it.args.every(quiet))));
    return g.generators.every((c: PyNode, i: number) => fixed(c.iter, i === 0) && c.ifs.every(quiet)) && quiet(g.elt);
  }

  /**
   * Whether some class of this module, or of a module it imports a class from, has an instance field of this name
   * (assigned through an attribute, or annotated in its body).
   */
  private isFieldName(attr: string): boolean {
    return this.modulesWithClasses().some((mod) => {
      const classes = Object.values(mod.classes ?? {});
      if (!classes.length) return false;
      if (classes.some((c) => c.fields.some((f) => f.name === attr))) return true;
      return storedAttributes(mod).inMethods.has(attr);
    });
  }

  /**
   * The class a dotted name is (`mod.Vec`): a class of this module, or of another module of the project imported here
   * (`from .shapes import Vec`; its home module is remembered for construct). Enums of other modules are not
   * (projectFunction refuses them where they are called).
   */
  private classOf(dotted: string): PyClass | undefined {
    if (dotted.startsWith(`${this.moduleName}.`)) {
      const rest = dotted.slice(this.moduleName.length + 1);
      if (Object.hasOwn(this.mod.classes ?? {}, rest)) return this.mod.classes![rest];
    }
    const b = this.names.resolve(dotted);
    if (b.kind !== 'class' || b.mod === this.mod || b.cls.bases.some((x) => ENUM_BASE.test(x))) return undefined;
    this.classHomes.set(b.cls, { mod: b.mod, module: b.module });
    return b.cls;
  }

  /** The module that defines a class classOf returned: this one, or the project module it was imported from. */
  private homeOf(cls: PyClass): { mod: PyModule; module: string } {
    return this.classHomes.get(cls) ?? { mod: this.mod, module: this.moduleName };
  }

  /**
   * `Vec(a, b)`: a new instance (`kiln.new_instance`, its class's qualified name as a str constant), then a call of
   * `Vec.__init__(obj, a, b)` as of any compiled function (typecheck binds the arguments); the value is the instance.
   */
  private construct(cls: PyClass, n: PyNode): Arg {
    const span = n.span!;
    // The class's own module (another module's class: its __init__ is that module's function).
    const home = this.homeOf(cls);
    const qualified = `${home.module}.${cls.name}`;
    // Its own __init__, or the nearest base's.
    let init: PyFunction | undefined;
    for (let c: PyClass | undefined = cls; c && !init; c = home.mod.classes?.[c.bases.find((b) => !['object', 'ABC', 'abc.ABC'].includes(b)) ?? '']) {
      init = home.mod.functions.find((f) => f.name === `${c!.name}.__init__`);
    }
    if (init) this.generatorParams(init, n.args, n.keywords, true);
    const { args, shape } = this.callArgs(n); // evaluated before the instance is made, as CPython does
    const obj = this.call('kiln.new_instance', [{ const: { kind: 'str', value: qualified } }], span, cls.name.toLowerCase());
    if (init) {
      const moved: IRNode['call'] = { ...shape, ...(shape.starred ? { starred: shape.starred.map((i) => i + 1) } : {}), ...(shape.kwstarred ? { kwstarred: shape.kwstarred.map((i) => i + 1) } : {}) };
      this.callees.add(home.mod === this.home ? init.name : `${home.module}.${init.name}`);
      this.call(`${home.module}.${init.name}`, [obj, ...args], span, 'init', moved);
    } else if (args.length) {
      // No __init__ found: its own, or one of a base class its module defines. A base of another module is not compiled.
      const foreign = cls.bases.find((b) => !['object', 'ABC', 'abc.ABC'].includes(b) && !Object.hasOwn(home.mod.classes ?? {}, b));
      if (foreign && !isExceptionBase(foreign) && !/^((enum|typing)\.)?(Enum|IntEnum|NamedTuple)$/.test(foreign)) {
        this.fail(span, `${cls.name}()`, `class ${cls.name}(${foreign}): the base class ${foreign} is not a class of this module`, 'derive from a class defined in this module');
      }
      this.fail(span, `${cls.name}()`, `TypeError: ${cls.name}() takes no arguments`);
    }
    return obj;
  }

  /** The members of an enum.Enum/IntEnum class of the module (refused where they are not compiled); undefined for other classes. */
  private enumOf(cls: PyClass, span: Span): EnumSpec | undefined {
    const base = cls.bases.find((b) => !['object', 'ABC', 'abc.ABC'].includes(b) && !Object.hasOwn(this.mod.classes ?? {}, b));
    const spec = base ? enumSpec(cls, base) : undefined;
    if (typeof spec === 'string') this.fail(span, 'enum', spec, 'use module-level constants or a plain class');
    return typeof spec === 'object' ? { ...spec, cls: `${this.moduleName}.${cls.name}` } : undefined;
  }

  /** `Color.RED` naming a member of an enum class of this module (`Color.RED.value` reads its attribute). */
  private isEnumMember(n: PyNode): boolean {
    const dotted = n._t === 'Attribute' && !this.isLocalName(rootName(n)) ? this.resolveName(n) : undefined;
    const cls = dotted ? this.classOf(dotted.slice(0, dotted.lastIndexOf('.'))) : undefined;
    return !!cls && !!this.enumOf(cls, n.span!) && cls.attrs.some((a) => a.name === n.attr);
  }

  /** The member `index` of an enum (types/ops/enums.ts): its class's members travel as a JSON constant. */
  private enumMember(spec: EnumSpec, index: number, span: Span): Arg {
    return this.call('kiln.enum_member', [{ const: { kind: 'str', value: JSON.stringify(spec) } }, { const: { kind: 'int', value: String(index) } }], span, spec.names[index].toLowerCase());
  }

  /**
   * `operator.itemgetter(1)`, `itemgetter(0, 2)`, `attrgetter("name")`, `attrgetter("a", "b.c")`: the lambda each
   * amounts to (`lambda x: x[1]`, `lambda x: (x[0], x[2])`, `lambda x: x.name`), a function value like any other
   * (a key of sorted/min/max, or called). Its items and names are constants: itemgetter(i) keeps the value i has
   * when it is made, where a lambda would read i when called.
   */
  private getter(n: PyNode, name: string): Arg {
    const span = n.span!;
    if (n.keywords.length) this.fail(span, `${name}()`, `TypeError: ${name}() takes no keyword arguments`);
    if (!n.args.length) this.fail(span, `${name}()`, `TypeError: ${name} expected 1 argument, got 0`);
    const load = { _t: 'Load' };
    const obj: PyNode = { _t: 'Name', id: '__kiln_obj', ctx: load, span };
    const isInt = (a: PyNode) => a._t === 'Constant' && typeof a.value === 'object' && a.value?._t === 'int';
    const reads = n.args.map((a: PyNode): PyNode => {
      if (name === 'itemgetter') {
        const constant = (a._t === 'Constant' && (typeof a.value === 'string' || isInt(a))) || (a._t === 'UnaryOp' && a.op._t === 'USub' && isInt(a.operand));
        if (!constant) this.fail(a.span ?? span, 'itemgetter()', 'itemgetter() of an item other than an int or str literal is not compiled', 'write the lambda: key=lambda x: x[i]');
        return { _t: 'Subscript', value: obj, slice: a, ctx: load, span: a.span ?? span };
      }
      const path = a._t === 'Constant' && typeof a.value === 'string' ? a.value.split('.') : [];
      if (!path.length || !path.every((p: string) => /^[A-Za-z_]\w*$/.test(p))) this.fail(a.span ?? span, 'attrgetter()', 'attrgetter() of something other than a literal attribute name (\'x\' or \'x.y\') is not compiled', 'write the lambda: key=lambda o: o.x');
      return path.reduce((v: PyNode, attr: string): PyNode => ({ _t: 'Attribute', value: v, attr, ctx: load, span: a.span ?? span }), obj);
    });
    const body = reads.length === 1 ? reads[0] : { _t: 'Tuple', elts: reads, ctx: load, span };
    const args = { _t: 'arguments', posonlyargs: [], args: [{ _t: 'arg', arg: obj.id, annotation: null, span }], vararg: null, kwonlyargs: [], kw_defaults: [], kwarg: null, defaults: [] };
    return this.closure({ _t: 'Lambda', args, body, span }, span);
  }

  /** `obj.attr` where obj is a variable: a method call; `mod.fn` resolves through imports (not a function value). */
  private isFunctionValueExpr(_n: PyNode): boolean {
    return false;
  }

  /**
   * `sorted(iterable, key=f, reverse=r)` and `lst.sort(key=f, reverse=r)`: the items (a new list for sorted),
   * each key computed once in order (f may be any function: a lambda, a def, a builtin; calls are direct), then
   * a stable sort of the items by their keys.
   */
  private sortWithKey(n: PyNode, method: boolean): Arg {
    const span = n.span!;
    const what = method ? 'sort()' : 'sorted()';
    const positional = method ? 0 : 1;
    if (n.args.length !== positional || n.args.some((a: PyNode) => a._t === 'Starred')) {
      this.fail(span, what, method ? 'TypeError: sort() takes no positional arguments' : `TypeError: sorted expected 1 argument, got ${n.args.length}`);
    }
    const bad = n.keywords.find((k: PyNode) => k.arg !== 'key' && k.arg !== 'reverse');
    if (bad) this.fail(span, what, `TypeError: '${bad.arg}' is an invalid keyword argument for ${method ? 'sort' : 'sort'}()`);
    let items: Arg;
    if (method) items = this.expr(n.func.value);
    else if (this.iteratorCall(n.args[0])) items = this.materialize(n.args[0]);
    else if (n.args[0]._t === 'GeneratorExp') items = this.listComprehension(n.args[0]);
    else if (this.isGenerator(n.args[0])) items = this.generatorList(n.args[0]);
    else if (this.containerIterable(n.args[0])) items = this.consumedArg('builtins.sorted', n.args[0]); // a new list of the dict's or set's items
    else items = this.call('builtins.list', [this.consumedArg('builtins.list', n.args[0])], span, 'list');
    const keyNode = n.keywords.find((k: PyNode) => k.arg === 'key')!.value;
    const revNode = n.keywords.find((k: PyNode) => k.arg === 'reverse')?.value;
    const cmp = this.cmpToKeyArg(keyNode);
    if (cmp) {
      // key=cmp_to_key(f): the compiled functools sorts the list (a new one for sorted()) with f, as CPython's sort does.
      const held = method ? items : (() => { const v = this.synthetic('items'); this.assign(v, items, span); return { ref: v } as Arg; })();
      const sorter = this.projectFunction('functools._sort_by_cmp', span)!;
      this.callees.add(sorter.qualified);
      const f = cmp._t === 'Lambda' ? this.closure(cmp, cmp.span!, true) : this.expr(cmp);
      this.call(sorter.qualified, [held, f, revNode ? this.expr(revNode) : { const: { kind: 'bool', value: false } }], span, 'sort');
      return method ? { const: { kind: 'none' } } : held;
    }
    const keyOf = this.keyFunction(keyNode, method ? n.func.value : n.args[0]);
    const reverse: Arg = revNode ? this.expr(revNode) : { const: { kind: 'none' } };
    const keys = this.synthetic('keys');
    this.assign(keys, this.call('kiln.make_list', [], span, 'list'), span);
    const held = 'ref' in items && this.locals.has(items.ref) ? items : (() => { const v = this.synthetic('items'); this.assign(v, items, span); return { ref: v } as Arg; })();
    this.loopOverPlan(this.basePlan(held, false), span, (item) => {
      const k = keyOf(item, span);
      this.emit({ op: 'call_function', name: this.fresh('append'), target: 'method.append', args: [{ ref: keys }, k], span });
    });
    const sortedItems = this.call('kiln.sort_by_key', [held, { ref: keys }, reverse], span, 'sorted');
    return method ? { const: { kind: 'none' } } : sortedItems;
  }

  /**
   * The key of an item for sorted/min/max: a call of the key function, or `d.get` of a dict variable as a lookup
   * (`sorted(d, key=d.get)`: every item is a key of d, so d.get(k) is d[k]; over other items, d.get(k) itself).
   */
  /** The comparison function of a `key=functools.cmp_to_key(f)` (the compiled standard module's), if keyNode is one. */
  private cmpToKeyArg(keyNode: PyNode): PyNode | undefined {
    if (keyNode?._t !== 'Call' || this.resolveName(keyNode.func) !== 'functools.cmp_to_key' || !this.isStdlibCall('functools.cmp_to_key')) return undefined;
    if (keyNode.args.length !== 1 || keyNode.keywords.length || keyNode.args[0]._t === 'Starred') {
      this.fail(keyNode.span, 'cmp_to_key()', keyNode.keywords.length ? 'TypeError: cmp_to_key() takes exactly one argument, the comparison function' : `TypeError: cmp_to_key() takes exactly 1 argument (${keyNode.args.length} given)`);
    }
    return keyNode.args[0];
  }

  private keyFunction(keyNode: PyNode, iterable: PyNode | undefined): (item: Arg, span: Span) => Arg {
    if (this.cmpToKeyArg(keyNode)) this.fail(keyNode.span, 'cmp_to_key()', 'cmp_to_key() is compiled as the key of sorted() and list.sort()', 'sort with it, or write a key function');
    if (keyNode._t === 'Attribute' && keyNode.attr === 'get' && keyNode.value._t === 'Name' && this.locals.has(this.renames.get(keyNode.value.id) ?? keyNode.value.id)) {
      const d = this.expr(keyNode.value);
      const own = iterable && (iterable._t === 'Name' ? iterable.id === keyNode.value.id
        : iterable._t === 'Call' && !iterable.args.length && iterable.func._t === 'Attribute' && iterable.func.attr === 'keys' && iterable.func.value._t === 'Name' && iterable.func.value.id === keyNode.value.id);
      return (item, span) => (own ? this.call('_operator.getitem', [d, item], span, 'key') : this.call('method.get', [d, item], span, 'key'));
    }
    const f = keyNode._t === 'Lambda' ? this.closure(keyNode, keyNode.span!, true) : this.expr(keyNode);
    return (item, span) => this.call('kiln.call', [f, item], span, 'key');
  }

  /**
   * `max(iterable, key=f, default=d)`, `min(a, b, c, key=f)`: each item's key computed once, in order; the
   * first item with the largest (smallest) key wins, as Python's `>` (`<`) comparisons decide.
   */
  private minMaxWithKey(n: PyNode, which: 'min' | 'max'): Arg {
    const span = n.span!;
    const bad = n.keywords.find((k: PyNode) => k.arg !== 'key' && k.arg !== 'default');
    if (bad) this.fail(span, `${which}()`, `TypeError: '${bad.arg}' is an invalid keyword argument for ${which}()`);
    if (!n.args.length) this.fail(span, `${which}()`, `TypeError: ${which} expected at least 1 argument, got 0`);
    if (n.args.some((a: PyNode) => a._t === 'Starred')) {
      this.fail(span, `${which}()`, `starred arguments to ${which}() are outside the compiled subset`, `pass one iterable: ${which}([*a, b]) or ${which}(xs)`);
    }
    const defaultNode = n.keywords.find((k: PyNode) => k.arg === 'default')?.value;
    if (defaultNode && n.args.length > 1) this.fail(span, `${which}()`, `TypeError: Cannot specify a default for ${which}() with multiple positional arguments`);
    // A generator (or a generator expression) pushes its items into the loop below, with no list.
    const push = n.args.length === 1 ? this.generatorSource(n.args[0]) : undefined;
    const plan = push ? undefined : n.args.length > 1
      ? this.basePlan(this.call('kiln.make_tuple', n.args.map((a: PyNode) => this.expr(a)), span, 'tuple'), false)
      : this.containerIterable(n.args[0]) ? this.basePlan(this.consumedArg(`builtins.${which}`, n.args[0]), false) : this.planOf(n.args[0], true);
    const keyNode = n.keywords.find((k: PyNode) => k.arg === 'key')?.value;
    const f = keyNode && !(keyNode._t === 'Constant' && keyNode.value === null) ? this.keyFunction(keyNode, n.args.length === 1 ? n.args[0] : undefined) : undefined;
    const dflt = defaultNode ? this.expr(defaultNode) : undefined;
    const have = this.synthetic('have');
    const best = this.synthetic(which);
    const bestKey = f ? this.synthetic('best_key') : best;
    this.assign(have, { const: { kind: 'bool', value: false } }, span);
    const each = (body: (item: Arg) => void) => (push ? push(body) : this.loopOverPlan(plan!, span, body));
    each((item) => {
      const k = f ? f(item, span) : item;
      const notHave = this.call('_operator.not_', [{ ref: have }], span, 'not');
      this.ifNode(notHave, span, () => {
        this.assign(best, item, span);
        if (f) this.assign(bestKey, k, span);
        this.assign(have, { const: { kind: 'bool', value: true } }, span);
      }, () => {
        const better = this.call(which === 'max' ? '_operator.gt' : '_operator.lt', [k, { ref: bestKey }], span, which === 'max' ? 'gt' : 'lt');
        this.ifNode(better, span, () => {
          this.assign(best, item, span);
          if (f) this.assign(bestKey, k, span);
        });
      });
    });
    const notHave = this.call('_operator.not_', [{ ref: have }], span, 'not');
    this.ifNode(notHave, span, () => {
      if (dflt) this.assign(best, dflt, span);
      else this.emit({ op: 'raise', name: this.fresh('raise', false), target: 'ValueError', args: [{ const: { kind: 'str', value: `${which}() arg is an empty sequence` } }], span });
    });
    return { ref: best };
  }

  /**
   * An argument of a builtin that consumes an iterable at once (`sorted(d)`, `sum(d.values())`, `max(s)`,
   * `list(d.items())`): a dict, its view or a set is read into a new list first (`kiln.view_list`), which gives the
   * same items as iterating the container there. Anything else is the expression itself, marked with its key for the
   * call that takes it as its iterable (consumedAsIs).
   */
  private consumedArg(target: string, a: PyNode): Arg {
    const over = CONSUMERS.has(target) ? this.containerIterable(a) : undefined;
    // len(s) reads the container; set(s), set(d) and frozenset(...) of them merge it as CPython's set_update_internal
    // does (a copy sized for the whole source), which adding its keys one by one would not reproduce.
    if (!over || (['builtins.len', 'builtins.set', 'builtins.frozenset'].includes(target) && a._t === 'Name')) {
      const value = this.expr(a);
      const key = CONSUMERS.has(target) && !over ? this.iterableKey(a) : undefined;
      if (key) this.consumedAsIs.set(value, key);
      return value;
    }
    return this.call('kiln.view_list', [this.expr(over.container), { const: { kind: 'str', value: over.part } }], a.span!, 'items');
  }

  /**
   * A call of a library function or method with its keyword arguments put in place (the op's `keywords`
   * fact): every parameter not given is None, so the registry entry sees a fixed number of arguments.
   */
  private libraryCall(target: string, argNodes: PyNode[], keywords: PyNode[], span: Span, base: string): Arg {
    if (argNodes.some((a) => a._t === 'Starred')) {
      this.fail(span, '*args in a call', `starred arguments to ${base}() are outside the compiled subset`, 'pass the arguments one by one, or build a list first ([*a, b])');
    }
    const names = keywordsOf(target);
    const placed: (PyNode | undefined)[] = [...argNodes];
    for (const kw of keywords) {
      if (kw.arg === null) this.fail(span, '**kwargs in a call', `unpacking keyword arguments into ${base}() is outside the compiled subset`, 'pass the keyword arguments by name');
      const i = names ? names.indexOf(kw.arg) : -1;
      if (i < 0) this.fail(kw.span ?? span, 'keyword argument', `the keyword argument ${kw.arg}= of ${target.replace(/^method\./, '.')}() is outside the compiled subset`, names ? `supported: ${names.slice(1).join(', ')}` : 'pass the arguments by position');
      if (placed[i]) this.fail(kw.span ?? span, 'keyword argument', `${target}() got multiple values for argument '${kw.arg}'`);
      placed[i] = kw.value;
    }
    const total = names ? Math.max(names.length, placed.length) : placed.length;
    const defaults = lookupOp(target)?.facts.defaults;
    const args: Arg[] = [];
    // The iterable a consumer reads: its first argument (sum(it)), or a method's first after the receiver (sep.join(it)).
    const consumed = consumesIterable(target) ? (target.startsWith('method.') ? 1 : 0) : -1;
    for (let i = 0; i < total; i++) {
      const a = placed[i];
      if (!a) args.push({ const: (names && defaults?.[names[i]]) || { kind: 'none' } });
      else if (i === 1 && total === 2 && PER_ITEM[target] && this.notInstance(placed[0]!, base) && this.generatorSource(a)) {
        // CPython's list.extend, set.update, dict.update and Counter.update store each item as the generator (or a
        // zip, map, filter or enumerate over one) makes it, so the generator sees the container grow.
        this.generatorSource(a)!((item) => this.call(PER_ITEM[target], [args[0], item], span, base));
        return { const: { kind: 'none' } };
      } else if (a._t === 'GeneratorExp' && i === consumed) args.push(this.listComprehension(a));
      else if (i === consumed && this.iteratorCall(a)) args.push(this.materialize(a));
      else if (i === consumed && this.isGenerator(a)) args.push(this.generatorList(a));
      else if (i === consumed && this.iterableClassOf(a)) args.push(this.instanceList(a, this.iterableClassOf(a)!));
      // A str literal names an option (kind='stable', side='right', ord='fro'): the op reads it at compile time.
      else if (a._t === 'Constant' && typeof a.value === 'string') args.push({ const: { kind: 'str', value: a.value } });
      else args.push(this.consumedArg(target, a));
    }
    return this.call(target, args, span, base);
  }

  // ---- strings: f-strings and str.format ------------------------------------------------------------

  /**
   * An f-string is one `kiln.fstring` call: args[0] is its template (a str literal holding JSON: a list of
   * pieces, `{"l": text}` for literal text, `{"v": k, "c": conversion, "s": spec}` for a field whose value is
   * args[k], conversion -1 (none), 115 (!s), 114 (!r) or 97 (!a), spec a literal format spec or `{"a": k}`
   * when the spec has fields of its own (`{x:>{w}}`: args[k] is that spec, itself an f-string)). So the whole
   * string is built by one writer, and a literal spec is parsed once.
   */
  private fstring(n: PyNode): Arg {
    const args: Arg[] = [];
    const pieces: unknown[] = [];
    for (const part of n.values as PyNode[]) {
      if (part._t === 'Constant') {
        pieces.push({ l: part.value });
        continue;
      }
      if (part._t !== 'FormattedValue') this.fail(part.span, 'f-string', `${part._t} inside an f-string is outside the compiled subset`);
      // The frontend writes ints as {_t: 'int', dec}: the conversion is -1 (none), 115 (!s), 114 (!r) or 97 (!a).
      const conversion = typeof part.conversion === 'object' && part.conversion ? Number(part.conversion.dec) : Number(part.conversion);
      // f"{e}" of a caught exception is str(e), f"{e!r}" repr(e), f"{e.args}" (or !r, !s) the args tuple's repr: their text.
      const caught = this.isCaught(part.value) && (conversion === -1 || conversion === 115) ? this.caughtMessage(part.value)
        : this.isCaught(part.value) && conversion === 114 ? this.caughtRepr(part.value, false, n.span!)
          : this.caughtArgs(part.value) && conversion !== 97 ? this.caughtRepr(part.value.value, true, n.span!)
            : undefined;
      args.push(caught ?? this.expr(part.value));
      const piece: Record<string, unknown> = { v: args.length, c: caught ? -1 : conversion };
      const spec: PyNode | null = part.format_spec;
      if (spec) {
        const literal = (spec.values as PyNode[]).every((x) => x._t === 'Constant');
        if (literal) piece.s = (spec.values as PyNode[]).map((x) => x.value).join('');
        else {
          args.push(this.fstring(spec));
          piece.s = { a: args.length };
        }
      }
      pieces.push(piece);
    }
    return this.call('kiln.fstring', [{ const: { kind: 'str', value: JSON.stringify(pieces) } }, ...args], n.span!, 'fstring');
  }

  /**
   * `fmt.format(*args, **kwargs)`: `method.format` with args [fmt, names, positional..., keyword values...], names
   * a str literal holding the JSON list of the keyword names (the op needs them: `{name}` fields).
   */
  private formatCall(n: PyNode): Arg {
    const span = n.span!;
    if (n.args.some((a: PyNode) => a._t === 'Starred') || n.keywords.some((k: PyNode) => k.arg === null)) {
      this.fail(span, 'str.format', '*args and **kwargs in str.format() are outside the compiled subset', 'pass each value by position or by name');
    }
    const self = this.expr(n.func.value);
    const names = n.keywords.map((k: PyNode) => k.arg as string);
    const positional = n.args.map((a: PyNode) => this.expr(a));
    const named = n.keywords.map((k: PyNode) => this.expr(k.value));
    return this.call('method.format', [self, { const: { kind: 'str', value: JSON.stringify(names) } }, ...positional, ...named], span, 'format');
  }

  /** `a and b` / `a or b`, evaluated left to right with short-circuit into a synthetic local. */
  private shortCircuit(n: PyNode, asCondition: boolean): Arg {
    const isAnd = n.op._t === 'And';
    const v = this.synthetic(isAnd ? 'and' : 'or');
    const operand = (e: PyNode): Arg => {
      if (!asCondition) return this.expr(e);
      if (e._t === 'BoolOp') return this.shortCircuit(e, true);
      const a = this.expr(e);
      return isStaticallyBool(e) ? a : this.call('builtins.bool', [a], e.span!, 'bool');
    };
    const emitRest = (rest: PyNode[]) => {
      if (!rest.length) return;
      const [first, ...more] = rest;
      const inner = this.inRegion([], () => {
        this.assign(v, operand(first), first.span!);
        emitRest(more);
      });
      const regions: IRRegion[] = isAnd ? [{ name: 'then', nodes: inner }, { name: 'else', nodes: [] }] : [{ name: 'then', nodes: [] }, { name: 'else', nodes: inner }];
      this.emit({ op: 'if', name: this.fresh('if', false), target: 'if', args: [{ ref: v }], span: first.span!, regions });
    };
    this.assign(v, operand(n.values[0]), n.values[0].span);
    emitRest(n.values.slice(1));
    return { ref: v };
  }

  private compare(n: PyNode): Arg {
    const span = n.span!;
    const noneTest = this.exceptionIsNone(n);
    if (noneTest) return noneTest;
    const typeTest = this.typeIsTest(n);
    if (typeTest) return typeTest;
    const check = (op: PyNode) => CMP_OPS[op._t];
    let left = this.expr(n.left);
    const cmp = (op: string, a: Arg, b: Arg): Arg => {
      // x in seq is operator.contains(seq, x); not in is its negation.
      if (op === 'contains') return this.call('_operator.contains', [b, a], span, 'contains');
      if (op === 'not_in') return this.call('_operator.not_', [this.call('_operator.contains', [b, a], span, 'contains')], span, 'not');
      return this.call(`_operator.${op}`, [a, b], span, op);
    };
    if (n.ops.length === 1) {
      const op = check(n.ops[0]);
      const source = op === 'contains' || op === 'not_in' ? this.generatorSource(n.comparators[0]) : undefined;
      if (source) return this.containsInGenerator(left, source, op === 'not_in', span);
      return cmp(op, left, this.expr(n.comparators[0]));
    }
    // a < b < c: each operand evaluated at most once, stopping at the first false comparison.
    const v = this.synthetic('compare');
    const step = (i: number) => {
      const op = check(n.ops[i]);
      const right = this.expr(n.comparators[i]);
      this.assign(v, cmp(op, left, right), span);
      left = right;
      if (i + 1 < n.ops.length) {
        const inner = this.inRegion([], () => step(i + 1));
        this.emit({ op: 'if', name: this.fresh('if', false), target: 'if', args: [{ ref: v }], span, regions: [{ name: 'then', nodes: inner }, { name: 'else', nodes: [] }] });
      }
    };
    step(0);
    return { ref: v };
  }

  /**
   * `x in gen`, `x in (... for ...)`: the items are made until one is x (each compared as `x in (item,)` compares it),
   * and no further, as CPython's `in` stops its iteration there.
   */
  private containsInGenerator(x: Arg, source: (k: (item: Arg) => void) => void, negated: boolean, span: Span): Arg {
    const B = (v: boolean): Arg => ({ const: { kind: 'bool', value: v } });
    const found = this.synthetic('found');
    this.assign(found, B(false), span);
    source((item) => {
      const hit = this.call('_operator.contains', [this.call('kiln.make_tuple', [item], span, 'tuple'), x], span, 'contains');
      this.ifNode(hit, span, () => {
        this.assign(found, B(true), span);
        this.breakStmt(span);
      });
    });
    return negated ? this.call('_operator.not_', [{ ref: found }], span, 'not') : { ref: found };
  }

  // ---- type tests (ops/optional.ts): isinstance(x, int), type(x) is float ------------------------------

  /** A class a type test names, as a literal: int, float, bool, type(None) (or undefined: not one of these). */
  private classLiteral(c: PyNode): ConstValue | undefined {
    if (c._t === 'Call' && c.args.length === 1 && !c.keywords.length && this.resolveName(c.func) === 'builtins.type'
      && c.args[0]._t === 'Constant' && c.args[0].value === null) return { kind: 'class', name: 'NoneType' };
    const name = this.resolveName(c);
    if (name === 'builtins.int' || name === 'builtins.float' || name === 'builtins.bool') return { kind: 'class', name: name.slice(9) };
    if (name && this.classOf(name)) return { kind: 'class', name }; // a class of this module (its qualified name)
    return undefined;
  }

  /** `isinstance(x, cls)` with cls one of the classes above or a tuple of them: `builtins.isinstance(x, <class>...)`. */
  private isinstanceCall(n: PyNode): Arg {
    const span = n.span!;
    if (n.args.length !== 2 || n.keywords.length) this.fail(span, 'isinstance()', 'isinstance() takes exactly 2 arguments');
    const spec = n.args[1];
    const items: PyNode[] = spec._t === 'Tuple' ? spec.elts : [spec];
    const classes = items.map((c) => this.classLiteral(c) ?? this.fail(c.span ?? span, 'isinstance()', 'isinstance() is compiled for int, float, bool and type(None) (or a tuple of them)', 'test the value itself, or keep this check in Python'));
    return this.call('builtins.isinstance', [this.expr(n.args[0]), ...classes.map((c) => ({ const: c }))], span, 'isinstance');
  }

  /** `type(x) is float` (also `==`, `is not`, `!=`): `kiln.type_is(x, <class>)`, negated for the last two. */
  private typeIsTest(n: PyNode): Arg | undefined {
    if (n.ops.length !== 1 || !['Is', 'IsNot', 'Eq', 'NotEq'].includes(n.ops[0]._t)) return undefined;
    const isTypeCall = (c: PyNode) => c._t === 'Call' && c.args.length === 1 && !c.keywords.length && this.resolveName(c.func) === 'builtins.type';
    const [a, b] = [n.left, n.comparators[0]];
    const call = isTypeCall(a) && !this.classLiteral(a) ? a : isTypeCall(b) && !this.classLiteral(b) ? b : undefined;
    if (!call) return undefined;
    const other = call === a ? b : a;
    const cls = this.classLiteral(other) ?? this.fail(other.span ?? n.span, 'type()', 'type(x) is compared with int, float, bool or type(None) here', 'or use isinstance(x, ...)');
    const test = this.call('kiln.type_is', [this.expr(call.args[0]), { const: cls }], n.span!, 'type_is');
    return n.ops[0]._t === 'IsNot' || n.ops[0]._t === 'NotEq' ? this.call('_operator.not_', [test], n.span!, 'not') : test;
  }
}

/** The parameter names of a library call with keywords (the op's fact; enumerate() is the tracer's own, in for loops). */
function keywordsOf(target: string): readonly string[] | undefined {
  return target === 'builtins.enumerate' ? ['iterable', 'start'] : lookupOp(target)?.facts.keywords;
}

/** Calls that consume a generator expression argument at once (it is built as a list first). */
const consumesIterable = (target: string) => !!lookupOp(target)?.facts.consumesIterable;

function rootName(n: PyNode): string {
  while (n._t === 'Attribute') n = n.value;
  return n._t === 'Name' ? n.id : '';
}

function isStaticallyBool(e: PyNode): boolean {
  return e._t === 'Compare' || (e._t === 'UnaryOp' && e.op._t === 'Not') || (e._t === 'Constant' && typeof e.value === 'boolean');
}

/** The source text of a simple annotation (names, attributes, subscripts, tuples): `dict[str, list[int]]`. */
function annotationText(n: PyNode | null | undefined): string | undefined {
  if (!n) return undefined;
  if (n._t === 'Name') return n.id;
  if (n._t === 'Attribute') {
    const base = annotationText(n.value);
    return base && `${base}.${n.attr}`;
  }
  if (n._t === 'Subscript') {
    const base = annotationText(n.value);
    const inner = n.slice._t === 'Tuple' ? n.slice.elts.map(annotationText) : [annotationText(n.slice)];
    return base && inner.every(Boolean) ? `${base}[${inner.join(', ')}]` : undefined;
  }
  if (n._t === 'Constant' && n.value === null) return 'None';
  // `tuple[int, int] | None`, and a quoted forward reference (`"Node | None"`) as its text.
  if (n._t === 'BinOp' && n.op._t === 'BitOr') {
    const l = annotationText(n.left), r = annotationText(n.right);
    return l && r ? `${l} | ${r}` : undefined;
  }
  if (n._t === 'Constant' && typeof n.value === 'string') return n.value;
  return undefined;
}

/** Locals known to hold a builtin container, and which: not an instance of a class of the module. */
type ContainerLocals = Map<string, 'dict or set' | 'list'>;

/**
 * The locals of a function that hold a dict or a set: parameters annotated dict[...] / set[...], and names assigned
 * a dict or set display, a comprehension of one, dict(), set() or frozenset(), or annotated as one; then those that
 * hold a list (a list display or comprehension, list(), sorted(), deque(), or annotated list[...] / deque[...]).
 */
function containerLocals(fn: { params: PyParam[]; body: PyNode[] }): ContainerLocals {
  const out = new Set<string>();
  const lists = new Set<string>();
  const isContainerAnnotation = (a: string | null | undefined) => !!a && /^(dict|set|frozenset|Dict|Set|typing\.Dict|typing\.Set)\b/.test(a.trim());
  const isListAnnotation = (a: string | null | undefined) => !!a && /^(list|List|typing\.List|deque|collections\.deque)\b/.test(a.trim());
  for (const p of fn.params) if (isContainerAnnotation(p.annotation)) out.add(p.name);
  for (const p of fn.params) if (isListAnnotation(p.annotation)) lists.add(p.name);
  // Also `s | t`, `s.union(t)`, `d.copy()` of a container local, and defaultdict(...) (found to a fixed point below).
  const makesContainer = (v: PyNode | null | undefined): boolean => !!v && (['Dict', 'Set', 'DictComp', 'SetComp'].includes(v._t)
    || (v._t === 'Name' && out.has(v.id))
    || (v._t === 'Call' && v.func._t === 'Name' && ['dict', 'set', 'frozenset', 'defaultdict', 'Counter', 'OrderedDict'].includes(v.func.id))
    || (v._t === 'Call' && v.func._t === 'Attribute' && ['defaultdict', 'Counter', 'OrderedDict'].includes(v.func.attr))
    || (v._t === 'BinOp' && ['BitOr', 'BitAnd', 'Sub', 'BitXor', 'Add'].includes(v.op._t) && makesContainer(v.left))
    || (v._t === 'Call' && v.func._t === 'Attribute' && ['copy', 'union', 'intersection', 'difference', 'symmetric_difference'].includes(v.func.attr) && makesContainer(v.func.value)));
  const makesList = (v: PyNode | null | undefined): boolean => !!v && (['List', 'ListComp'].includes(v._t)
    || (v._t === 'Name' && lists.has(v.id))
    || (v._t === 'Call' && v.func._t === 'Name' && ['list', 'sorted', 'deque'].includes(v.func.id)));
  const annotated = (a: PyNode | null | undefined, names: string[]) => !!a && ((a._t === 'Name' && names.includes(a.id)) || (a._t === 'Subscript' && a.value._t === 'Name' && names.includes(a.value.id)));
  const visit = (x: unknown) => {
    if (!x || typeof x !== 'object') return;
    if (Array.isArray(x)) return x.forEach(visit);
    const n = x as PyNode;
    if (n._t === 'Assign' && makesContainer(n.value)) for (const t of n.targets) if (t._t === 'Name') out.add(t.id);
    if (n._t === 'AnnAssign' && n.target._t === 'Name' && (makesContainer(n.value) || annotated(n.annotation, ['dict', 'set', 'frozenset']))) out.add(n.target.id);
    if (n._t === 'Assign' && makesList(n.value)) for (const t of n.targets) if (t._t === 'Name') lists.add(t.id);
    if (n._t === 'AnnAssign' && n.target._t === 'Name' && (makesList(n.value) || annotated(n.annotation, ['list', 'deque']))) lists.add(n.target.id);
    for (const v of Object.values(n)) if (v && typeof v === 'object') visit(v);
  };
  for (let size = -1; size !== out.size + lists.size;) {
    size = out.size + lists.size;
    visit(fn.body);
  }
  return new Map([...[...lists].map((l) => [l, 'list'] as const), ...[...out].map((c) => [c, 'dict or set'] as const)]);
}

/** The literal value of a module constant's right side, if it is one (`64`, `-1.5`, `True`). */
/**
 * The members of a class derived from `enum.Enum` or `enum.IntEnum` (types/ops/enums.ts): names and values in order,
 * or why they are not compiled (a string); undefined for other bases.
 */
type EnumSpec = { cls?: string; names: string[]; values: (number | string)[]; int: boolean };
function enumSpec(cls: PyClass, base: string): EnumSpec | string | undefined {
  const kind = /^(enum\.)?(Enum|IntEnum)$/.exec(base)?.[2];
  if (!kind) return undefined;
  const names: string[] = [];
  const values: (number | string)[] = [];
  for (const a of cls.attrs) {
    const c = constantLiteral(a.value);
    const v = c?.kind === 'int' && Number.isSafeInteger(Number(c.value)) ? Number(c.value) : c?.kind === 'str' && kind === 'Enum' ? c.value : undefined;
    if (v === undefined) return `${cls.name}.${a.name} = ${a.valueText}: members of enum.${kind} classes are compiled when their values are int literals${kind === 'Enum' ? ' or str literals' : ''}`;
    if (typeof v === 'string' && !/^[ -[\]-~]*$/.test(v)) return `${cls.name}.${a.name}: enum values are compiled when they are printable ASCII without backslashes`;
    if (values.includes(v)) return `${cls.name}.${a.name} is an alias of another member (the same value): enum aliases are not compiled yet`;
    if (values.length && typeof values[0] !== typeof v) return `the members of ${cls.name} mix int and str values: not compiled yet`;
    names.push(a.name);
    values.push(v);
  }
  if (cls.methods.length || cls.fields.length || cls.other.length || cls.decorators.length || cls.keywords.length) {
    return `enum ${cls.name} has methods, annotations or decorators: only enums whose body assigns literal values are compiled yet`;
  }
  return { names, values, int: kind === 'IntEnum' };
}

function constantLiteral(v: PyNode): ConstValue | undefined {
  if (v._t === 'Constant') {
    const x = v.value;
    if (typeof x === 'boolean') return { kind: 'bool', value: x };
    if (typeof x === 'string') return { kind: 'str', value: x };
    if (x && x._t === 'bytes') return { kind: 'bytes', hex: x.hex };
    if (x && x._t === 'int') return { kind: 'int', value: x.dec };
    if (x && x._t === 'float') return { kind: 'float', hex: x.hex, repr: x.repr };
  }
  if (v._t === 'UnaryOp' && v.op._t === 'USub') {
    const inner = constantLiteral(v.operand);
    if (inner?.kind === 'int') return { kind: 'int', value: inner.value.startsWith('-') ? inner.value.slice(1) : `-${inner.value}` };
    if (inner?.kind === 'float') return negateFloat(inner);
  }
  return undefined;
}

/** Python's float() of a string, as a constant (its C99 hexadecimal form is exact); undefined when Python raises ValueError. */
function floatFromString(text: string): ConstValue | undefined {
  const t = text.trim().replace(/_/g, (m, i: number, s: string) => (/\d/.test(s[i - 1] ?? '') && /\d/.test(s[i + 1] ?? '') ? '' : m));
  const special = /^([+-]?)(inf|infinity|nan)$/i.exec(t);
  if (special) {
    const name = special[2].toLowerCase() === 'nan' ? 'nan' : 'inf';
    const neg = special[1] === '-' && name === 'inf';
    return { kind: 'float', hex: `${neg ? '-' : ''}${name}`, repr: `${neg ? '-' : ''}${name}` };
  }
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) return undefined;
  const x = Number(t);
  return { kind: 'float', hex: hexFloat(x), repr: Number.isInteger(x) && Math.abs(x) < 1e16 ? `${x}.0`.replace(/^-0\.0$/, '-0.0') : String(x) };
}

/** The C99 hexadecimal literal of a finite double (exact). */
function hexFloat(x: number): string {
  const b = Buffer.alloc(8);
  b.writeDoubleBE(x);
  const bits = b.readBigUInt64BE();
  const sign = bits >> 63n ? '-' : '';
  const exp = Number((bits >> 52n) & 0x7ffn);
  const mant = (bits & ((1n << 52n) - 1n)).toString(16).padStart(13, '0');
  if (exp === 0) return `${sign}0x0.${mant}p-1022`;
  return `${sign}0x1.${mant}p${exp - 1023 >= 0 ? '+' : ''}${exp - 1023}`;
}

function negateFloat(c: ConstValue & { kind: 'float' }): ConstValue {
  const neg = (s: string) => (s.startsWith('-') ? s.slice(1) : `-${s}`);
  return { kind: 'float', hex: neg(c.hex), repr: neg(c.repr) };
}

/** The names a function body binds with := (in comprehensions too: they bind in the function), outside nested functions. */
function walrusTargetsOf(stmts: PyNode[]): Set<string> {
  const out = new Set<string>();
  const visit = (n: any): void => {
    if (Array.isArray(n)) return n.forEach(visit);
    if (!n || typeof n !== 'object' || !n._t || n._t === 'FunctionDef' || n._t === 'Lambda') return;
    if (n._t === 'NamedExpr' && n.target?._t === 'Name') out.add(n.target.id);
    for (const [k, v] of Object.entries(n)) if (k !== 'span' && k !== '_t') visit(v);
  };
  visit(stmts);
  return out;
}

/** A pattern that matches every subject: a capture, the wildcard, or an OR with one. */
function irrefutable(p: PyNode): boolean {
  if (p._t === 'MatchAs') return !p.pattern || irrefutable(p.pattern);
  if (p._t === 'MatchOr') return (p.patterns as PyNode[]).some(irrefutable);
  return false;
}

/** The names `except ... as <name>` binds, outside nested functions. */
function exceptNamesOf(stmts: PyNode[]): Set<string> {
  const out = new Set<string>();
  const visit = (n: any): void => {
    if (Array.isArray(n)) return n.forEach(visit);
    if (!n || typeof n !== 'object' || !n._t || n._t === 'FunctionDef' || n._t === 'Lambda') return;
    if (n._t === 'ExceptHandler' && n.name) out.add(n.name);
    for (const [k, v] of Object.entries(n)) if (k !== 'span' && k !== '_t') visit(v);
  };
  visit(stmts);
  return out;
}

/** Whether an except clause's body has a bare `raise` (outside nested functions). */
function containsBareRaise(stmts: PyNode[]): boolean {
  const visit = (n: any): boolean => {
    if (Array.isArray(n)) return n.some(visit);
    if (!n || typeof n !== 'object' || !n._t || n._t === 'FunctionDef' || n._t === 'Lambda') return false;
    if (n._t === 'Raise' && !n.exc) return true;
    return Object.entries(n).some(([k, v]) => k !== 'span' && visit(v));
  };
  return visit(stmts);
}

/** True when control never reaches the end of this statement list (return/raise on every path). */
export function alwaysExits(stmts: PyNode[]): boolean {
  return stmts.some((s) => {
    switch (s._t) {
      case 'Return': case 'Raise': return true;
      case 'If': return alwaysExits(s.body) && alwaysExits(s.orelse);
      case 'While': {
        const infinite = s.test._t === 'Constant' && s.test.value === true;
        return infinite && !containsBreak(s.body);
      }
      default: return false;
    }
  });
}

function containsBreak(stmts: PyNode[]): boolean {
  const visit = (n: any): boolean => {
    if (Array.isArray(n)) return n.some(visit);
    if (!n || typeof n !== 'object' || !n._t) return false;
    if (n._t === 'Break') return true;
    if (n._t === 'For' || n._t === 'While') return visit(n.orelse); // a break in a nested loop belongs to it
    if (n._t === 'FunctionDef' || n._t === 'Lambda') return false;
    return Object.entries(n).some(([k, v]) => k !== 'span' && visit(v));
  };
  return visit(stmts);
}

/** The names statements bind (assignments, loop targets, walrus, defs), outside nested functions. */
function storedNames(stmts: PyNode[]): Set<string> {
  const out = new Set<string>();
  const visit = (n: any): void => {
    if (Array.isArray(n)) return n.forEach(visit);
    if (!n || typeof n !== 'object' || !n._t) return;
    if (n._t === 'Name' && n.ctx?._t === 'Store') out.add(n.id);
    if (n._t === 'FunctionDef') { out.add(n.name); return; }
    if (n._t === 'Lambda') return;
    for (const [k, v] of Object.entries(n)) if (k !== 'span' && k !== '_t') visit(v);
  };
  visit(stmts);
  return out;
}

/** Whether a module constant's literal holds a str anywhere (static lists are numbers only). */
function holdsString(v: unknown): boolean {
  if (typeof v === 'string') return true;
  return !!v && typeof v === 'object' && (v as { _t?: string })._t === 'list' && ((v as { items: unknown[] }).items).some(holdsString);
}

/** Calls `fn` on every node of `stmts`, not inside nested functions or classes. */
function walkStatements(stmts: PyNode[], fn: (n: PyNode) => void) {
  const visit = (n: any): void => {
    if (Array.isArray(n)) return n.forEach(visit);
    if (!n || typeof n !== 'object' || !n._t) return;
    fn(n);
    if (n._t === 'FunctionDef' || n._t === 'AsyncFunctionDef' || n._t === 'Lambda' || n._t === 'ClassDef') return;
    for (const [k, v] of Object.entries(n)) if (k !== 'span' && k !== '_t') visit(v);
  };
  visit(stmts);
}

/** The first `return`, or `break`/`continue` not inside a loop of `stmts`, that leaves `stmts` (not in nested functions). */
function leavingStatement(stmts: PyNode[]): PyNode | undefined {
  let found: PyNode | undefined;
  const visit = (n: any, inLoop: boolean): void => {
    if (found) return;
    if (Array.isArray(n)) return n.forEach((x) => visit(x, inLoop));
    if (!n || typeof n !== 'object' || !n._t) return;
    if (n._t === 'FunctionDef' || n._t === 'AsyncFunctionDef' || n._t === 'Lambda' || n._t === 'ClassDef') return;
    if (n._t === 'Return' || (!inLoop && (n._t === 'Break' || n._t === 'Continue'))) {
      found = n;
      return;
    }
    if (n._t === 'For' || n._t === 'While' || n._t === 'AsyncFor') {
      visit(n.body, true);
      visit(n.orelse, inLoop);
      return;
    }
    for (const [k, v] of Object.entries(n)) if (k !== 'span' && k !== '_t') visit(v, inLoop);
  };
  visit(stmts, false);
  return found;
}

/** `xs[a:b] = v`, `xs[::2] = v`: one assignment to a slice. */
function isSliceStore(s: PyNode): boolean {
  return s._t === 'Assign' && s.targets.length === 1 && s.targets[0]._t === 'Subscript' && s.targets[0].slice._t === 'Slice';
}
