/**
 * The passes: analyses of typed IR, one per file, each a function from the typed IR (and the facts of the
 * passes before it) to plain data. planProgram runs them in order; the emitter (lower/c.ts) reads the plan and
 * emits, it does not analyse.
 *
 * Every optimisation can be switched off to bisect a miscompile: KILN_PASSES=-twoLanes,-deferral (or -all)
 * plans without them, and the C is still correct, only slower. definiteAssignment and writes decide behaviour
 * (UnboundLocalError, the exported packages' read-only checks) and are always on.
 */
import { KilnError } from '../diagnostics.ts';
import type { TypedFunction, TypedProgram } from '../types/typecheck.ts';
import { deferral, type DeferralPlan } from './deferral.ts';
import { definiteAssignment, type DefiniteAssignment } from './definiteAssignment.ts';
import { consumedParams, type ConsumedParams } from './consumedParams.ts';
import { containerReach, fieldWrites, heldResults, holdsReferences, lifetimes, stableFields, type ContainerReach, type FieldWrites, type HeldResults, type Lifetimes } from './lifetimes.ts';
import { listFrees, listSummaries, type ListFrees, type ListSummary } from './listFrees.ts';
import { listFields, listStores } from './listFields.ts';
import { dictLists, dictStores } from './dictLists.ts';
import { effects as heldEffects } from './heldLists.ts';
import { splitLoops, type SplitLoop } from './splitLoops.ts';
import { appendLoops } from './appendLoops.ts';
import { loopVersioning, type HoistCheck } from './loopVersioning.ts';
import { pureKeys, type PureKey } from './pureKeys.ts';
import { signs } from './signs.ts';
import { tailSum } from './tailSum.ts';
import { truncIndex, type TruncSite } from './truncIndex.ts';
import { twoLanes, type LanePlan } from './twoLanes.ts';
import { unrollRecursion } from './unrollRecursion.ts';
import { whileCounters } from './whileCounters.ts';
import { writes, type ParamEffects } from './writes.ts';
import { tolerance } from './tolerance.ts';
import { valueStructs } from './valueStructs.ts';
import { setValueClasses } from '../types/types.ts';
import { fusion, type FusionPlan } from './fusion.ts';
import { catches } from './handlers.ts';
import { dictUpdates, type DictUpdate } from './dictUpdates.ts';
import { directReturns } from './directReturns.ts';
import type { Tolerance } from '../lower/abi.ts';

/** The passes, in the order they run, and whether KILN_PASSES can switch each off. */
export const PASSES = {
  definiteAssignment: { optional: false, doc: 'a local read where it may be unbound raises UnboundLocalError' },
  writes: { optional: false, doc: 'which array and list parameters a function writes (the exported packages check read-only arrays)' },
  tolerance: { optional: false, doc: "how far each exported function's float results may be from NumPy's (np.exp's bound, a float matmul's order): what verification allows" },
  lifetimes: { optional: false, doc: 'where each value that owns references (str, bytes, tuples of them) is released, and which assignments take a reference over' },
  listFrees: { optional: false, doc: 'lists nothing else refers to (a slice, a concatenation, a list a function builds and returns, a new list an object field or a dict entry owns alone) are freed after their last use, or with their object or entry, not when the call returns' },
  valueStructs: { optional: true, doc: 'instances of small classes that nothing can tell from a copy (fields set only in __init__, no identity use, in no container) are structs passed by value: no heap object, no reference count' },
  borrowedReads: { optional: true, doc: 'a field of a parameter that nothing assigns after construction (ray.origin), passed to calls, and any field read used at once by code that keeps nothing (an identity test, a field write), are read without taking a reference; so is the result of a call that returns such a field, or an item of such a list (`t = s.find(i)`), where the caller\'s argument keeps it' },
  borrowedLocals: { optional: true, doc: 'a local that walks a chain of fields from a parameter (`p = head; while p.next is not None: p = p.next`) while nothing runs code or writes a field before its last use holds no reference; `msg = self.queue; ...; self.queue = msg.link` with only reads between: msg takes the field\'s reference over' },
  consumedParams: { optional: true, doc: 'a parameter (an instance) a function stores into a field, returns or passes on at its last use is given the caller\'s reference (`self.queue = pkt`): no count where the caller\'s value dies at the call (`return self.fn(msg, s)`)' },
  borrowedArgs: { optional: true, doc: 'a field read passed to calls none of which may assign a field of that name, through any call (`self.queue = pkt.append_to(self.queue)`), holds no reference' },
  signs: { optional: true, doc: 'floats that are never negative: math.sqrt of one has no domain test' },
  fusion: { optional: true, doc: 'a chain of element-wise NumPy operations computes its array in one loop, without a temporary array per operation' },
  unrollRecursion: { optional: true, doc: 'a small self-recursive function is emitted twice, each copy calling the other' },
  tailSum: { optional: true, doc: '`return x + f(...)` in a recursive int function becomes a loop with an exact accumulator' },
  whileCounters: { optional: true, doc: '`while i < n: ... i += 1` needs no overflow check on the increment' },
  loopVersioning: { optional: true, doc: "an innermost loop's index checks are tested once before it, and an unchecked copy runs" },
  twoLanes: { optional: true, doc: 'two iterations of an escape-time loop run side by side' },
  truncIndex: { optional: true, doc: 'a[int(x)]: one unsigned test instead of int()\'s and the index\'s checks' },
  deferral: { optional: true, doc: 'the zero and domain tests of a run of float arithmetic are tested once at its end' },
  pureKeys: { optional: true, doc: 'sorted(xs, key=f) with a pure key: the items are sorted alone, each comparison computing the keys (no list of keys)' },
  splitLoops: { optional: true, doc: '`for w in s.split()` takes the words one at a time, without the list' },
  dictUpdates: { optional: true, doc: '`d[k] += v`, `d[k] = d.get(k, 0) + 1`: one lookup, the value written in place when the key is there' },
  directReturns: { optional: true, doc: 'a `return` drops the few references that may still be held on its path itself (every other slot given over, dropped, never filled there, or None on that branch) and returns at once, instead of going through the cleanup, whose drops test every slot' },
  appendLoops: { optional: true, doc: '`s += t` in a loop that uses s for nothing else keeps the length of s in a register (a kr_sb builder)' },
} as const;

export type PassName = keyof typeof PASSES;

/**
 * The passes KILN_PASSES leaves on: a comma-separated list of `-<pass>` (or `-all`, every optimisation) to switch
 * off; unset or empty: all on. A name that is not a pass, or a pass that cannot be switched off, is an error.
 */
export function passesFromEnv(value = process.env.KILN_PASSES): Set<PassName> {
  const on = new Set(Object.keys(PASSES) as PassName[]);
  const optional = [...on].filter((p) => PASSES[p].optional);
  const fail = (message: string): never => {
    throw new KilnError({ severity: 'error', file: 'KILN_PASSES', line: 0, col: 0, construct: 'setting', message, hint: `write -<pass>[,-<pass>...] or -all; passes that can be switched off: ${optional.join(', ')}` });
  };
  for (const item of (value ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
    const m = /^-(\w+)$/.exec(item);
    if (!m) fail(`'${item}' is not -<pass>`);
    const name = m![1];
    if (name === 'all') { optional.forEach((p) => on.delete(p)); continue; }
    if (!(name in PASSES)) fail(`'${name}' is not a pass`);
    if (!PASSES[name as PassName].optional) fail(`${name} cannot be switched off: it decides behaviour, not speed`);
    on.delete(name as PassName);
  }
  return on;
}

/** What the passes found about one function (each field: that pass's plan; empty when it is off). */
export interface FunctionPlan {
  definite: DefiniteAssignment;
  /** Owned references: what the function owns and where each is released (opt/lifetimes.ts). */
  lifetimes: Lifetimes;
  /** Lists the function owns alone, freed where they die (opt/listFrees.ts), to the depth they are freed at. */
  listFrees: ListFrees;
  /** Field writes (kiln.setattr node names) into a field that owns its list (opt/listFields.ts): the old list is freed. */
  listStores: string[];
  /**
   * Stores (`d[k] = v`, `d.setdefault(k, v)`, by node name) into a dict that owns its lists (opt/dictLists.ts): a list
   * variable stored there at its end is the dict's now.
   */
  dictStores: string[];
  /** `for w in s.split()` loops over the split iterator, by the name of their split node. */
  splitLoops: Record<string, SplitLoop>;
  /** Loops (by name) whose `s += t` appends go through a builder, and their str variables. */
  appendLoops: Record<string, string[]>;
  /** Names of float values never negative. */
  nonNegative: string[];
  /** Self calls of `return x + f(...)` sites. */
  tailSums: string[];
  /** `v + 1` nodes of while loops that cannot overflow. */
  whileCounters: string[];
  /** Versioned `for` loops (by name) and the index checks their unchecked copy drops. */
  versioned: Record<string, HoistCheck[]>;
  /** `for` loops (by name) that run as two lanes. */
  lanes: Record<string, LanePlan>;
  /** int() nodes (by name) that index a 1-D array with one unsigned test. */
  truncIndex: Record<string, TruncSite>;
  deferral: DeferralPlan;
  fusion: FusionPlan;
  /** kiln.sort_by_key nodes (by name) whose key is pure: sorted by keys computed in the comparisons. */
  pureKeys: Record<string, PureKey>;
  /** Read-modify-write sites of a dict value, by the name of their lookup node. */
  dictUpdates: Record<string, DictUpdate>;
  /** `output` nodes (by key) that return without the cleanup, dropping only the slots that may hold a reference there (opt/directReturns.ts). */
  directReturns: Record<string, string[]>;
}

export interface ProgramPlan {
  passes: PassName[];
  /** The classes whose instances are value structs (opt/valueStructs.ts), qualified names. */
  valueClasses: string[];
  /** The fields (by name) that own their lists (opt/listFields.ts): freed with their object or when written again. */
  listFields: string[];
  /** The dict instantiations (containerName) that own their list values (opt/dictLists.ts): freed when dropped. */
  dictLists: string[];
  /** Keys of the functions emitted twice. */
  unrolled: string[];
  /** Each function's (by key) parameter effects. */
  effects: Record<string, ParamEffects>;
  /** Each exported function's (by key) verification tolerance; `libcTolerance` where the C library is not glibc. */
  tolerance: Record<string, Tolerance>;
  libcTolerance: Record<string, Tolerance>;
  functions: Record<string, FunctionPlan>;
}

/** Runs the passes that are on over every function of the program. */
export function planProgram(program: TypedProgram, on: ReadonlySet<PassName> = passesFromEnv()): ProgramPlan {
  // First: which instances own references (every pass after asks isObject) depends on it.
  const valueClasses = on.has('valueStructs') ? [...valueStructs(program)] : [];
  setValueClasses(valueClasses);
  const stable = on.has('borrowedReads') ? stableFields(program) : undefined;
  const reach = on.has('borrowedReads') ? containerReach(program) : undefined;
  const lists = listSummaries(program);
  const effects = heldEffects(program);
  const dicts = dictLists(program, lists, effects, new Set());
  const fields = listFields(program, lists, effects, dicts);
  const assigns = on.has('borrowedArgs') ? fieldWrites(program) : undefined;
  const held = stable ? heldResults(program, stable) : undefined;
  const consumed = on.has('consumedParams') ? consumedParams(program, held) : new Map<string, Set<number>>();
  const arity = (key: string) => program.functions.find((g) => g.key === key)?.ir.params.length ?? 0;
  return {
    passes: [...on],
    valueClasses,
    listFields: [...fields],
    dictLists: [...dicts],
    unrolled: on.has('unrollRecursion') ? unrollRecursion(program) : [],
    effects: writes(program),
    tolerance: tolerance(program),
    libcTolerance: tolerance(program, true),
    functions: Object.fromEntries(program.functions.map((f) => [f.key, { ...planFunction(f, on, stable, reach, lists, assigns, held, fields, dicts, consumed, arity), pureKeys: on.has('pureKeys') ? pureKeys(f, program) : {} }])),
  };
}

/**
 * `stable`: the fields nothing assigns after construction (opt/lifetimes.ts stableFields), whose reads may be borrowed;
 * `assigns`: the fields each function may assign (fieldWrites), whose other fields' reads may be borrowed across its calls;
 * `held`: the functions whose result a parameter keeps (heldResults), whose calls' results may be borrowed;
 * `consumed`: the parameters each function consumes (opt/consumedParams.ts), `arity` its parameter count by key;
 * `fields`, `dicts`: the fields and the dict instantiations that own their lists (opt/listFields.ts, opt/dictLists.ts).
 */
export function planFunction(
  f: TypedFunction, on: ReadonlySet<PassName>, stable?: ReadonlySet<string>, reach?: ContainerReach, lists: Map<string, ListSummary> = new Map(),
  assigns?: FieldWrites, held?: HeldResults, fields: ReadonlySet<string> = new Set(), dicts: ReadonlySet<string> = new Set(),
  consumed?: ConsumedParams, arity?: (key: string) => number,
): Omit<FunctionPlan, 'pureKeys'> {
  const definite = definiteAssignment(f);
  const splits = on.has('splitLoops') ? splitLoops(f) : {};
  const extraReads = Object.fromEntries(Object.values(splits).map((s) => [s.loop, [s.source, s.sep].flatMap((a) => (a && 'ref' in a ? [a.ref] : []))]));
  const frees = listFrees(f, lists, extraReads, fields, dicts);
  const owns = lifetimes(f, extraReads, stable, reach, frees, on.has('borrowedLocals'), assigns, held, consumed, arity);
  // Rewrites that move or duplicate locals (a loop's second lane, parameters rebound by a jump) are for numeric
  // functions: a function that owns references keeps the plain form.
  const objects = holdsReferences(owns);
  // Checks that move or merge are exact only where an error leaves the function (opt/handlers.ts).
  const moves = !catches(f.ir.nodes);
  const nonNegative = on.has('signs') ? signs(f) : [];
  const tailSums = on.has('tailSum') && !objects && moves ? tailSum(f, definite) : [];
  const counters = on.has('whileCounters') ? whileCounters(f) : [];
  const versioned = on.has('loopVersioning') ? loopVersioning(f, definite) : {};
  const lanes = on.has('twoLanes') && !objects && moves ? twoLanes(f, { definite, nonNegative, whileCounters: counters, versioned }) : {};
  const trunc = on.has('truncIndex') ? truncIndex(f, definite) : {};
  const deferred = on.has('deferral') && moves
    ? deferral(f, { definite, nonNegative, whileCounters: counters, versioned, tailSums, truncIndex: trunc })
    : { runs: {}, unchecked: {} };
  const fused = on.has('fusion') ? fusion(f) : { roots: {}, folded: [] };
  const appends = on.has('appendLoops') ? appendLoops(f, owns, definite) : {};
  // A builder of an append loop is the emitter's own slot, dropped by the cleanup: no direct return beside one.
  const direct = on.has('directReturns') && objects && !Object.keys(appends).length
    ? directReturns(f, owns, { splitLoops: splits, deferral: deferred })
    : {};
  return {
    definite, lifetimes: owns, listFrees: frees, listStores: listStores(f, fields), dictStores: dictStores(f, dicts), splitLoops: splits,
    appendLoops: appends, nonNegative, tailSums,
    whileCounters: counters, versioned, lanes, truncIndex: trunc, deferral: deferred, fusion: fused, dictUpdates: on.has('dictUpdates') ? dictUpdates(f) : {},
    directReturns: direct,
  };
}
