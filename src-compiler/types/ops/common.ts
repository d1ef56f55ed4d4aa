/**
 * What every op domain shares: the shape of an entry (OpDef, Overload, OpDomain; the consumer's OpEntry and
 * Resolved), the facts passes read from it (OpFacts, CallCheck), the lowering constructors, Python's and
 * NumPy's numeric promotion and conversion, and the messages of a wrong call.
 *
 * Imports run one way: domain files (types/ops/<domain>.ts) import this module (and common_arrays.ts);
 * types/ops/index.ts imports the domains and builds the flat table; consumers import index.ts.
 */
import type { ConstValue } from '../../ir/ir.ts';
import {
  SCALARS, T, cType, isBool, isIntLike, isNumpy, isPyFloat, isPyInt, typeToString, type KType, type ScalarName,
  isNicheOptional, isSubclassOf, sameType, unionBox, unionHolds, unionMember, unionMembers,
} from '../types.ts';

// ---- lowering ------------------------------------------------------------------------------------

/**
 * How an op becomes C. Args are C expressions already converted to `Resolved.argTypes`. By contract an
 * `expr` lowering is pure and cannot raise (passes may reorder, duplicate or interleave it); a `call` is
 * fallible (0 or -1) and writes `out`; `stmts` may raise, allocate and write memory.
 */
export type Lowering =
  | { kind: 'expr'; emit: (a: string[]) => string }
  | { kind: 'call'; emit: (a: string[], out: string) => string; check?: CallCheck }
  | { kind: 'stmts'; emit: (a: string[], out: string, cx: LowerContext) => string[]; elementwise?: ElementwiseKernel }
  | { kind: 'none' }; // compile-time only (e.g. a checked tuple length)

/**
 * An element-wise op over arrays and numbers with NumPy's broadcasting, as one element's computation: what
 * opt/fusion.ts composes into one loop with no temporaries (a `stmts` lowering that makes a new array carries it).
 * Like an `expr` lowering, `scalar` and `vector` are pure and cannot raise.
 */
export interface ElementwiseKernel {
  /** The operands as the op takes them: arrays and scalars (`x * 2.0`). */
  operands: KType[];
  /** The dtype of the result's elements. */
  dtype: ScalarName;
  /** One result element as C, from each operand's element (arrays) or value (scalars; those in `pre` converted). */
  scalar: (vals: string[]) => string;
  /** Scalar operands converted once before the loop, which can raise (a Python int out of an int32 op's range). */
  pre: Map<number, { from: KType; to: KType }>;
  /**
   * The same computation on vectors of `dtype` (float64 or float32), lane by lane with the same bits: every array
   * operand has that dtype, a scalar operand is converted to it and broadcast. `isa` is the suffix of the vector
   * math instance the loop is compiled for (kiln_vmath.h: _nat, or _avx2/_avx512 in a dispatched unit).
   */
  vector?: (vals: string[], isa: string) => string;
  /**
   * The op over a whole C-contiguous array as one runtime call (`kr_np_exp_f64_array(out, in, n)`, dispatched to the
   * CPU's best ISA in an exported x86-64 library): for a one-operand op whose operand has the result's dtype.
   */
  array?: (out: string, input: string, n: string) => string;
  /**
   * The op of a C-contiguous array (operand 0) and a number (operand 1, already of the result's dtype) as one runtime
   * call with the same bits item by item (`kr_np_power_f64_array_s(out, in, y, n)`); used in a dispatched unit, where
   * `vector` is not (its vectors would be the baseline ISA's).
   */
  arrayScalar?: (out: string, input: string, scalar: string, n: string) => string;
}

/**
 * A fallible call that is a plain C value guarded by one test on one argument, so that passes may split it:
 * test once for a run of operations (opt/deferral.ts), drop the test where the argument's sign is known
 * (opt/signs.ts), or convert first and test later (opt/truncIndex.ts).
 * - 'zero': raises when argument `arg` == 0.0 (float division);
 * - 'negative': raises when argument `arg` < 0.0 (math.sqrt's domain);
 * - 'floatToInt': int() of a float, which raises for NaN and values out of int64's range.
 * Calling `emit` with arguments that fail the test raises the op's own exception.
 */
export interface CallCheck {
  kind: 'zero' | 'negative' | 'floatToInt';
  arg: number;
  /** The C value when the test passes: the IEEE result (`a / b`, `sqrt(a)`), or the raw conversion. */
  value: (a: string[]) => string;
}

/** What a `stmts` lowering may ask of the C lowering. */
export interface LowerContext {
  /** A statement that propagates the Python exception of a fallible C expression (0 or -1). */
  try(expr: string): string;
  /** A statement that raises `kind` (KILN_<kind>) with a C string expression as message. */
  raise(kind: string, message: string): string;
  /** A statement that propagates the error a failed call has already set (a NULL result, a -1). */
  propagate(): string;
  /** A field read whose object result is borrowed (opt/lifetimes.ts `borrowed`): the lowering takes no reference. */
  borrowed?: boolean;
  /** A field write given its value's reference (opt/lifetimes.ts `moves`): the lowering takes no new one. */
  moved?: boolean;
  /** A field write whose old value a local has taken over (opt/lifetimes.ts `takeovers`): the lowering does not drop it. */
  takenOver?: boolean;
  /** A field write into a field that owns its list (opt/listFields.ts): the lowering frees the list the field held. */
  freesOldList?: boolean;
  /** For an op with the rebindsArg0 fact: its value is not used (the variable already holds it). */
  rebound?: boolean;
  /** Strings (their C expressions) known here to hold one byte per character (kind 1): their units can be read directly. */
  latin1?: ReadonlySet<string>;
  /** Str variables (C names) whose appends go through a kr_sb builder here, to the builder (opt/appendLoops.ts). */
  appendBuilders?: ReadonlyMap<string, string>;
  /** Bounds checks on (default) or off (`@compile(boundscheck=False)`). */
  boundscheck: boolean;
  /**
   * Index positions of this getitem/setitem proven in bounds (0 <= index < shape) for every iteration of
   * the enclosing loop, by a test before the loop (opt/loopVersioning.ts): no check, no wrap.
   */
  inBounds?: ReadonlySet<number>;
  /** C converting a value of function type `from` to the type `to` that holds it (a def to the funcset of a table of functions). */
  convertValue?(e: string, from: KType, to: KType): string;
  /** A definition at file level (a sort specialised for its key and item types), emitted once under `name`. */
  support?(name: string, lines: () => string[]): void;
}

// ---- facts -----------------------------------------------------------------------------------------

/**
 * What passes may know about an op without matching its name. Static facts are declared on the op (and its
 * overloads); a resolution may add facts that hold for its argument types only (Resolved.facts).
 */
export interface OpFacts {
  /** A NumPy ufunc: trace.ts compiles its out= and where= keywords as kiln.ufunc_out around the plain call. */
  ufunc?: boolean;
  /** Arguments the op changes in place: `a[i] = v`, `a.fill(v)`, `lst.append(x)`, `a += b` on an array. */
  writes?: readonly number[];
  /** The result may share memory with these arguments ('all': any of them): a view, a tuple holding one, the array an in-place operator returns. */
  aliases?: readonly number[] | 'all';
  /** Its result is a read-only view (np.broadcast_to): a write through it, or a view of it, is refused (opt/writes.ts). */
  readOnly?: boolean;
  /** Item access: argument 0 indexed by the arguments after it ('store': the last argument is the value); the lowering honours LowerContext.inBounds. */
  subscript?: 'load' | 'store';
  /** On Python ints, `a + b` / `a - b` with an overflow check, lowered as the plain C operator where a pass proves it cannot overflow. */
  affine?: 'add' | 'sub';
  /**
   * Where it takes a bool argument as a Python int or float (its resolution's argument type there), its result is the
   * one the bool's int value gives (arithmetic, comparisons, unary minus): a bool only such ops read can run the int
   * specialisation (types/tower.ts). Not `%` formatting or `&` of two bools, whose argument type stays bool.
   */
  boolAsInt?: boolean;
  /**
   * It takes its array arguments as `np.asarray(arg)` does, so a list there gives what the array np.asarray makes of it
   * gives (every NumPy function that writes no argument: np.sum(xs) is np.sum(np.asarray(xs)); and len()). A parameter
   * only such ops read takes a list where an array is annotated, and the reverse (opt/arrayLike.ts).
   */
  asArray?: boolean;
  /** A comparison of its two arguments. */
  compare?: 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge';
  /** A float result that is never negative: 'always' (sqrt, fabs, exp, ...), 'ifArgs' (when both arguments are not), 'ifArgsOrSquare' (also x * x). */
  nonNegative?: 'always' | 'ifArgs' | 'ifArgsOrSquare';
  /** `x op= y`: in place when x is of one of these kinds; otherwise the plain operator `plain`, which rebinds x as Python does. */
  inplace?: { plain: string; on: readonly KType['kind'][] };
  /**
   * It puts argument `arg` into the list in argument 0, as an item or as a list of items: an empty list there
   * (`xs = []`) takes its item type from it (opt/listFrees.ts: a new list put in as an item is owned by the list).
   */
  refinesList?: { arg: number; as: 'item' | 'list' };
  /** Its integer arguments size a new array or list (np.zeros(n), [0] * n): verification keeps them small. */
  sizedByArgs?: boolean;
  /**
   * A function that uses it is lowered with the array runtime: the ABI's array and list types in the header, and an
   * exported wrapper that releases Kiln's heap.
   */
  arrayRuntime?: boolean;
  /**
   * Its parameter names when called with keywords (np.sum(a, axis=0)): the tracer puts each argument in its place
   * and fills the ones not given with None, so the op sees a fixed number of arguments. A name starting with '/' is
   * positional-only (`sum(iterable, /, start=0)`): no keyword matches it.
   */
  keywords?: readonly string[];
  /** A generator expression as its argument is built as a list first: `sum(x * x for x in xs)`. */
  consumesIterable?: boolean;
  /**
   * The list arguments it keeps no reference to once it returns (opt/listFrees.ts frees a list that only such uses
   * read): 'all' of them (len, ==, in, +, sum, sorted, str ...); 'receiver', argument 0, the list it reads or changes
   * (`xs.append(v)` and `xs[i] = v` may keep v); 'deep', all of them and their items too (len of a list of lists).
   */
  keepsNoList?: 'all' | 'receiver' | 'deep';
  /**
   * Its list result is a new list nothing else refers to (opt/listFrees.ts): 'copy' (a slice, `a + b`, `a * n`,
   * list(), sorted(): its items are the arguments' items), 'items' (a literal `[a, b]`: its items are its arguments).
   */
  newList?: 'copy' | 'items';
  /**
   * What it does with the values of the dict in argument 0 (of the dict a loop state iterates, for kiln.loop_value):
   * opt/dictLists.ts lets a dict own its list values only when every op on it says. 'read': its result is one of them
   * (`d[k]`, `d.get(k, v)`, a loop's value); 'add': it stores argument refinesContainer.value only when the key is absent
   * and its result is the value (`d.setdefault(k, v)`); 'store': it stores that argument, dropping the value it replaces
   * (`d[k] = v`); 'take': its result is a value it removes (`d.pop(k)`); 'drop': it drops values (`del d[k]`,
   * `d.clear()`, `d.popitem()`, whose tuple takes the value out); 'none': it reads none (len, `in`, a loop's key);
   * 'make': its result is a new dict whose values are its arguments 1, 3, 5 ... (`{k: v, ...}`).
   */
  dictValues?: 'read' | 'add' | 'store' | 'take' | 'drop' | 'none' | 'make';
  /** The item a for loop reads: argument 0's item at index argument 1 (kiln.iter_item). */
  loopItem?: boolean;
  /**
   * `x op= y` that rebinds the variable x itself (its address is taken: `s += t` on a str); the op's value is x's new
   * value. When the next node only assigns that value back to x, the emitter skips both the value and the assignment
   * (LowerContext.rebound).
   */
  rebindsArg0?: boolean;
  /**
   * With no arguments it makes an empty dict or set (`{}`, `set()`) whose types are learnt from what the program
   * stores in it (typecheck resolves it again with the learnt type: types/ops/dicts.ts emptyContainer).
   */
  emptyContainer?: boolean | 'factory'; // 'factory': its arguments are constants naming the default factory (defaultdict(list))
  /** Storing into argument 0, a dict or set, teaches an empty one its types: the key, value or item arguments. */
  refinesContainer?: { key?: number; value?: number; item?: number }; // value < 0 counts from the end; arguments from key up to value form a tuple key
  /**
   * Argument i may be a fresh empty container (`d.get(k, {})`, `d.setdefault(k, set())`): it is made with the type of
   * argument 0's values, a dict's (typecheck teaches the `{}` / `set()` that type; CPython returns or stores that object).
   */
  freshDefault?: number;
  /**
   * An empty dict or set (`set()`, `frozenset()`, `{}`: nothing is stored in it) meeting a typed one here takes its
   * types: 'same', arguments 0 and 1 are containers of one type (`acc | frozenset(xs)`, `e == s`, `e <= s`); 'key',
   * argument 1 is a key or item of container 0 (`d[frozenset()]`, `frozenset() in s`, `s.add(frozenset())`).
   */
  meetsContainer?: 'same' | 'key';
  /** Resolves (provisionally) on a dict or set whose types are not learnt yet (`len`, `in`, `get`): typecheck runs again. */
  takesUnrefined?: boolean;
  /**
   * A lookup in argument 0, a dict or set: for one that nothing is ever stored in (`d = {}` only read by `k in d`,
   * `d.get(k, 0)`), the looked-up key (and the default, as the value) give its types, once every store has been seen.
   */
  lookupTeaches?: { key: number; value?: number };
  /**
   * The value a keyword parameter takes when the call does not give it, where that is not None (np.concatenate's
   * axis=0): the op then tells `axis=None` from no axis. Parameters not listed default to None.
   */
  defaults?: Readonly<Record<string, ConstValue>>;
  /**
   * Its resolver takes union and None arguments as they are (a tuple holding one, an identity test, truth); any other
   * op applied to a union is dispatched over its members (common_unions.ts).
   */
  takesUnions?: boolean;
  /**
   * A test of argument 0's type (`x is None`, `isinstance(x, int)`, `type(x) is float`): typecheck narrows x in the
   * branches it guards (optional.ts testedMembers).
   */
  narrows?: boolean;
  // ---- NumPy kernels (issue 20: products, vector math, fused loops, threads) ----
  /**
   * Runtime feature headers its C calls into (`kiln_gemm.h`, `kiln_vmath.h`): a unit includes them only when one
   * of its ops needs them (each adds compile time).
   */
  headers?: readonly string[];
  /**
   * Its float result is not bit for bit NumPy's, which is not fixed across CPUs either (NumPy's own SIMD kernels,
   * its BLAS): verification compares within a bound instead (opt/tolerance.ts, run/verify.ts).
   * - `ulps`: a function within `kiln` ULPs of the exact result (Kiln's bound, docs/design/numpy-kernels.md) where
   *   NumPy is within `numpy` ULPs (the largest error in NumPy's own validation data); `growth`: how many times a
   *   relative error already in its argument can grow (sqrt 1/2, tanh 1); none: without bound (exp, sin and log
   *   of a large or badly placed argument).
   * - `reassociated`: a sum of products in an order NumPy's BLAS does not share (matmul, dot).
   */
  inexact?: { kind: 'ulps'; kiln: number; numpy: number; growth?: number } | { kind: 'reassociated' };
  /**
   * Its float result is the C library's (log, erf, cbrt, ..., and what random builds on them), as CPython's is:
   * bit for bit CPython's where the C library is glibc (the CPython compared with), up to `libc` ULPs away on musl
   * and wasi-libc (the harnesses of wasm32 and the qemu targets; docs/design/numbers.md's measured table, the
   * bounds of tests/runtime/math.test.ts and random.test.ts). opt/tolerance.ts treats it as `inexact` there.
   * A complex result is compared part by part, each within the bound in its own ULPs (cmath's functions: measured by
   * bench/runtime/libm_agreement.py). 'loose': no such bound exists (a complex power: a last-bit difference in its
   * phase moves a part near zero by any number of that part's ULPs), so the result is compared loosely there.
   */
  libc?: number | 'loose';
  /**
   * How an error already in its float arguments reaches its result (opt/tolerance.ts; only matters where an inexact
   * value flows): 'same' (the value or one of the values, unchanged: abs, selections, copies, a complex's parts),
   * 'negate' (the same with a sign changed: negation, a complex's conjugate; never non-negative), 'product'
   * (a product or quotient: relative errors add, one rounding), 'add' / 'subtract' (one rounding; a bound only without
   * cancellation), 'pairwise' (NumPy's pairwise sum of an array). Ops without it lose the bound. For a complex the
   * rule holds for each part: a product or quotient of two complex numbers (a difference of products) has none.
   */
  rounding?: 'same' | 'negate' | 'product' | 'add' | 'subtract' | 'pairwise';
  /**
   * Arguments that are string literals read at compile time (np.einsum's subscripts): the tracer keeps the literal
   * and the op gets it in `consts` (and its type, str).
   */
  constantStrings?: readonly number[];
  /**
   * It is compiled for NumPy complex128 arrays (and np.complex128 dtype values) among its argument and result types,
   * on the op or on one resolution: every other resolution that meets one is refused (index.ts complexArrayGate), so
   * code written for real dtypes never sees an item with no C arithmetic (types/ops/complex_arrays.ts).
   */
  complexArrays?: boolean;
}

/** What typecheck knows of an argument's value beyond its type (for ops whose result type depends on it). */
export interface ArgFacts {
  /** An int known to be >= 0 here (a loop counter from 0, len(), abs(), x & 7, ...): `a ** b` stays an int. */
  nonNegative?: boolean;
  /**
   * A value NumPy made, of a scalar type. A bool that is NumPy's np.bool_ (an item of a bool array, a comparison of
   * NumPy scalars, np.any(), ...): with another bool, `+` is `or` and `*` is `and` (np.True_ + np.True_ is np.True_),
   * `-` raises TypeError, `~` is `not`. A NumPy-typed number (np.float64, np.int64, np.complex128, ...) that is surely
   * NumPy's: not a Python number held in a variable that took both (`s = 0.0` then `s += a[i]` types s np.float64,
   * yet s is still the float 0.0 after a loop that ran zero times): its repr is NumPy 2's, `np.float64(9.0)`.
   */
  numpy?: boolean;
}

export interface Resolved {
  result: KType;
  /** The type each argument is converted to before the op (Python's/NumPy's promotion). */
  argTypes: KType[];
  lower: Lowering;
  /** The op's facts for these argument types (the entry's static facts plus this resolution's own). */
  facts?: OpFacts;
  /** This resolution raises CPython's TypeError whenever it runs (an operand is None on this path): the message. */
  alwaysRaises?: string;
  /** Types its lowering declares temporaries of (a dispatch's member results): the unit declares their structs. */
  temps?: KType[];
  /**
   * A lookup in a dict (`d[k]`, `d.get(k, x)`) split in two for opt/dictUpdates.ts: `find`, the C expression of a
   * pointer to the stored value of these arguments' key (borrowed until the dict changes), NULL when it is absent
   * and NULL with `err` set non-zero on an error (the runtime's `name_find`); `missing`, the C statement giving the
   * lookup's result for a key `find` just found absent (KeyError, a defaultdict's factory, a Counter's 0; the
   * default of `get`), errors through `tryC`.
   */
  inPlace?: { find: (args: string[], err: string) => string; missing: (args: string[], out: string, tryC: (call: string) => string) => string };
}

// ---- entries ---------------------------------------------------------------------------------------

/** The flat table's entry, as consumers (typecheck, passes, docs) see it. */
export interface OpEntry {
  target: string;
  /** The domain that introduces the op (types/ops/<domain>.ts), its section in the docs. */
  domain: string;
  /** The Python spelling, for docs: `a + b`, `abs(x)`, `math.sqrt(x)`. */
  python: string;
  signatures: string[];
  notes?: string;
  facts: OpFacts;
  resolve(args: KType[], consts: (ConstValue | undefined)[], argFacts?: ArgFacts[]): Resolved | string;
}

/** The flat table, for an op that builds on another (an element-wise op on the scalar op of its elements). */
export type OpLookup = (target: string) => OpEntry | undefined;

/** Resolves a call, or says why it is not compiled; undefined: these are not this definition's argument types. */
export type Resolver = (args: KType[], consts: (ConstValue | undefined)[], ops: OpLookup, argFacts?: ArgFacts[]) => Resolved | string | undefined;

/** An op, as the domain that introduces it declares it. */
export interface OpDef {
  target: string;
  python: string;
  signatures: string[];
  notes?: string;
  facts?: OpFacts;
  resolve: Resolver;
  /** The message when neither the op nor an overload takes the arguments (default: "<python> of <types> is not compiled"). */
  unsupported?: (args: KType[]) => string;
}

/** More argument types for an op another domain introduces (`a + b` on lists): tried before the op's own resolver. */
export interface Overload {
  target: string;
  /** Lines added to the op's signatures in the docs. */
  signatures: string[];
  facts?: OpFacts;
  resolve: Resolver;
}

/** A value read as a module attribute or a builtin name (`math.pi`, `np.float64` as a dtype). */
export interface ConstantDef {
  target: string;
  type: KType;
  /** The C expression of its value (a dtype is a compile-time fact: its C value is unused). */
  c: string;
  /** The float value, for facts about its sign. */
  value?: number;
  /** A constant the tracer writes as this literal (`string.digits` is the str '0123456789', so `c in string.digits` is a literal's test). */
  literal?: ConstValue;
  facts?: OpFacts;
}

/** One file of types/ops/: the ops of one area of Python, the overloads it adds to others', its constants. */
export interface OpDomain {
  name: string;
  /** The docs' section title. */
  title: string;
  ops: OpDef[];
  overloads?: Overload[];
  constants?: ConstantDef[];
}

// ---- lowering constructors ----------------------------------------------------------------------------

export const expr = (emit: (a: string[]) => string): Lowering => ({ kind: 'expr', emit });
export const call = (emit: (a: string[], out: string) => string, check?: CallCheck): Lowering => (check ? { kind: 'call', emit, check } : { kind: 'call', emit });
export const stmts = (emit: (a: string[], out: string, cx: LowerContext) => string[]): Lowering => ({ kind: 'stmts', emit });
export const fn1 = (name: string, check?: CallCheck) => call((a, o) => `${name}(${a[0]}, &${o})`, check);
export const fn2 = (name: string, check?: CallCheck) => call((a, o) => `${name}(${a[0]}, ${a[1]}, &${o})`, check);

// ---- argument types and messages -----------------------------------------------------------------------

export const scalarName = (t: KType): ScalarName | undefined => (t.kind === 'scalar' ? t.name : undefined);
export const isScalarType = (t: KType) => t.kind === 'scalar';
export const isNone = (t: KType | undefined) => !t || t.kind === 'none';
/** A type that indexes: an int of any width but uint64 (and not bool). */
export const isIdx = (t: KType) => t.kind === 'scalar' && isIntLike(t) && !isBool(t) && t.name !== 'uint64';
/** A Python number (bool, int, float), not a NumPy scalar. */
export const isPyNumber = (t: KType) => isScalarType(t) && !isNumpy(t);

export const pyName = (t: KType): string => (t.kind === 'scalar' ? (SCALARS[t.name].numpy ? `numpy.${t.name}` : t.name) : t.kind === 'none' ? 'NoneType'
  : t.kind === 'str' || t.kind === 'char' ? 'str' : t.kind === 'bytes' ? 'bytes' : t.kind === 'list' ? (t.tuple ? 'tuple' : 'list') : t.kind === 'array' ? 'numpy.ndarray'
    : t.kind === 'dict' ? 'dict' : t.kind === 'set' ? 'set' : t.kind === 'complex' ? 'complex' : t.kind === 'deque' ? 'collections.deque'
      : t.kind === 'enum' || t.kind === 'instance' ? t.cls.slice(t.cls.lastIndexOf('.') + 1) : t.kind === 'tuple' && t.record ? t.record.name : 'tuple');
/** Set while the operator of an augmented assignment resolves (`x += y` on an immutable x is typed as `x + y`). */
let augmented = false;
/** Resolves `x op= y` as `x op y`: CPython's TypeError then names the augmented operator (`+=`, `**=`). */
export function resolvingAugmented<R>(resolve: () => R): R {
  augmented = true;
  try {
    return resolve();
  } finally {
    augmented = false;
  }
}
export const typeError = (op: string, args: KType[]) =>
  `unsupported operand type(s) for ${augmented ? `${op.replace(' or pow()', '')}=` : op}: ${args.map((t) => `'${pyName(t)}'`).join(' and ')}`;

export function constInt(c: ConstValue | undefined): bigint | undefined {
  return c?.kind === 'int' ? BigInt(c.value) : c?.kind === 'bool' ? BigInt(c.value ? 1 : 0) : undefined;
}

// ---- NumPy promotion (NEP 50: Python int/float/bool are "weak") -----------------------------------

export const NP_INTS: ScalarName[] = ['int8', 'int16', 'int32', 'int64'];
export const NP_UINTS: ScalarName[] = ['uint8', 'uint16', 'uint32', 'uint64'];

/**
 * NumPy's 'same_kind' casting rule (ufuncs' out=, in-place operators, concatenate's dtype=): a cast within a kind
 * or to a higher kind (bool < unsigned < signed < float); signed to unsigned is not allowed.
 */
export function canCastSameKind(from: ScalarName, to: ScalarName): boolean {
  const kind = (d: ScalarName) => (d === 'bool' ? 0 : SCALARS[d].complex ? 4 : SCALARS[d].float ? 3 : SCALARS[d].signed ? 2 : 1);
  return kind(from) <= kind(to) && !(kind(from) === 2 && kind(to) === 1);
}

/** NumPy's promote_types of two dtypes (np.result_type of arrays; bool is below every other dtype). */
export function npPromote(a: ScalarName, b: ScalarName): ScalarName {
  if (a === b) return a;
  const fa = SCALARS[a].float, fb = SCALARS[b].float;
  if (fa && fb) return SCALARS[a].bits >= SCALARS[b].bits ? a : b;
  if (fa || fb) {
    const [f, i] = fa ? [a, b] : [b, a];
    if (f === 'float64') return 'float64';
    return SCALARS[i].bits <= 16 ? 'float32' : 'float64';
  }
  const sa = SCALARS[a].signed, sb = SCALARS[b].signed;
  const ba = SCALARS[a].bits, bb = SCALARS[b].bits;
  if (sa === sb) return ba >= bb ? a : b;
  const [s, u] = sa ? [a, b] : [b, a];
  const need = Math.max(SCALARS[s].bits, SCALARS[u].bits * 2);
  if (SCALARS[s].bits > SCALARS[u].bits) return s;
  if (need > 64) return 'float64';
  return NP_INTS.find((t) => SCALARS[t].bits >= need)!;
}

/** The NumPy result type of a binary op where at least one side is a NumPy scalar. */
export function npBinaryType(a: KType, b: KType): ScalarName | undefined {
  const na = scalarName(a), nb = scalarName(b);
  if (!na || !nb) return undefined;
  const npa = SCALARS[na].numpy, npb = SCALARS[nb].numpy;
  if (npa && npb) return npPromote(na, nb);
  const [np, py] = npa ? [na, nb] : [nb, na];
  if (py === 'float') return SCALARS[np].float ? np : 'float64';
  return np; // weak Python int or bool
}

/** Python's numeric promotion for bool/int/float: the common type of a binary op. */
export function pyCommon(a: KType, b: KType): KType {
  return isPyFloat(a) || isPyFloat(b) ? T.float : T.int;
}

// ---- conversions --------------------------------------------------------------------------------

/** C that converts `e` of type `from` to `to`: an expression, or a fallible call writing `out`. */
export function convert(e: string, from: KType, to: KType): { expr: string } | { call: (out: string) => string } {
  if (typeToString(from) === typeToString(to)) return { expr: e };
  // A derived class's instance where its base's is taken (or back, after a test of its class): the same pointer.
  if (from.kind === 'instance' && to.kind === 'instance') return { expr: `((${cType(to)})(${e}))` };
  // A character where a str is needed: a new reference (shared below 256), released after the op by the emitter.
  if (from.kind === 'char' && to.kind === 'str') return { call: (out) => `((${out} = kr_str_from_cp(${e})) ? 0 : -1)` };
  // A Python complex and NumPy's complex128 share their C value (kr_complex).
  if (from.kind === 'complex' && to.kind === 'complex') return { expr: e };
  if (to.kind === 'union' || from.kind === 'union' || from.kind === 'none' || from.kind === 'tuple') return { expr: convertValue(e, from, to) };
  const f = scalarName(from), t = scalarName(to);
  if (!f || !t) throw new Error(`internal: cannot convert ${typeToString(from)} to ${typeToString(to)}`);
  if (t === 'bool') return { expr: `(${e} != 0)` };
  // A Python int given to a NumPy integer must fit it, as in NumPy 2.
  if (f === 'int' && SCALARS[t].numpy && !SCALARS[t].float && t !== 'int64') {
    return { call: (out) => `kr_np_${t}_from_int(${e}, &${out})` };
  }
  return { expr: `((${cType(to)})(${e}))` };
}

/** Python's truth value of `e` (of type `t`) as a C condition. */
export const truthExpr = (e: string, t: KType): string =>
  t.kind === 'none' ? '0' : t.kind === 'tuple' || t.kind === 'record' ? (t.items.length ? '1' : '0') : t.kind === 'union' ? unionTruthExpr(e, t) : isBool(t) ? e
    : t.kind === 'str' || t.kind === 'bytes' ? `(${e}->length != 0)` : t.kind === 'char' ? '1'
      : t.kind === 'list' ? `((${e})->len != 0)` : t.kind === 'range' ? `(kr_range_ulen(${e}) != 0)`
        : t.kind === 'dict' || t.kind === 'set' ? `((${e})->used != 0)` : t.kind === 'deque' ? `((${e})->len != 0)`
          : t.kind === 'func' || t.kind === 'builtin' || t.kind === 'funcset' || t.kind === 'dtype' ? '1' : t.kind === 'enum' ? enumTruthExpr(e, t) : `(${e} != 0)`;

/** An enum member (its index) is true, except an IntEnum member whose value is 0. */
function enumTruthExpr(e: string, t: KType & { kind: 'enum' }): string {
  const zero = t.int ? t.values.flatMap((v, i) => (v === 0 ? [i] : [])) : [];
  return zero.length ? `(${e} != ${zero[0]})` : '1';
}

// ---- unions: conversions and truth (types.ts has the representation) -------------------------------------

/** The member of union `u` that a value of type `t` is stored as: itself, or the same-length tuple it widens to. */
export function unionTargetMember(t: KType, u: KType): KType | undefined {
  const members = unionMembers(u);
  return members.find((m) => sameType(m, t)) ?? members.find((m) => m.kind === 'instance' && t.kind === 'instance' && isSubclassOf(t.cls, m.cls)) ?? members.find((m) => m.kind === 'tuple' && t.kind === 'tuple' && m.items.length === t.items.length);
}

/** True when a value of type `from` can be kept where `to` is (convertValue gives its C). */
export function canConvertInto(from: KType, to: KType): boolean {
  if (sameType(from, to)) return true;
  if (from.kind === 'instance' && to.kind === 'instance') return isSubclassOf(from.cls, to.cls);
  if (from.kind === 'union') return from.members.every((m) => canConvertInto(m, to));
  if (to.kind === 'union') {
    const tm = unionTargetMember(from, to);
    return !!tm && canConvertInto(from, tm);
  }
  if (from.kind === 'tuple' && to.kind === 'tuple') return from.items.length === to.items.length && from.items.every((x, i) => canConvertInto(x, to.items[i]));
  return (from.kind === 'scalar' && to.kind === 'scalar') || (from.kind === 'complex' && to.kind === 'complex');
}

/**
 * C that converts `e` of type `from` into `to` where a union is involved: a member boxed into a union, a union
 * retagged into a wider one, a tuple widened item by item (`tuple[int, int]` into `tuple[int, int | float]`).
 * Narrowing a union to a member is not a conversion: it is the `kiln.narrow` op, placed by typecheck where a test
 * proved the member (ops/optional.ts).
 */
export function convertValue(e: string, from: KType, to: KType): string {
  if (sameType(from, to)) return e;
  if (from.kind === 'tuple' && to.kind === 'tuple' && from.items.length === to.items.length) {
    return `((${cType(to)}){${from.items.map((it, i) => convertValue(`(${e}).f${i}`, it, to.items[i])).join(', ')}})`;
  }
  if (to.kind !== 'union') {
    const c = convert(e, from, to);
    if ('expr' in c && from.kind !== 'union') return c.expr;
    throw new Error(`internal: cannot convert ${typeToString(from)} to ${typeToString(to)}`);
  }
  if (from.kind === 'union') {
    if (isNicheOptional(from) && isNicheOptional(to)) return e;
    // Retag: each member of `from` into its member of `to`; the last one needs no test.
    const parts = from.members.map((m) => {
      const tm = unionTargetMember(m, to);
      if (!tm) throw new Error(`internal: ${typeToString(m)} is not in ${typeToString(to)}`);
      return { test: unionHolds(e, from, m), value: unionBox(convertValue(unionMember(e, from, m), m, tm), tm, to) };
    });
    return `(${parts.slice(0, -1).map((p) => `${p.test} ? ${p.value} : `).join('')}${parts[parts.length - 1].value})`;
  }
  const tm = unionTargetMember(from, to);
  if (!tm) throw new Error(`internal: ${typeToString(from)} is not in ${typeToString(to)}`);
  return unionBox(convertValue(e, from, tm), tm, to);
}

/** Python's truth value of a union: the truth of the member it holds (None is false). */
function unionTruthExpr(e: string, u: KType & { kind: 'union' }): string {
  if (isNicheOptional(u)) {
    const obj = u.members.find((m) => m.kind !== 'none')!;
    return `(${unionHolds(e, u, obj)} && ${truthExpr(e, obj)})`;
  }
  const parts = u.members.filter((m) => m.kind !== 'none').map((m) => `${unionHolds(e, u, m)} ? ${truthExpr(unionMember(e, u, m), m)} : `);
  return `(${parts.join('')}0)`;
}

// ---- shared resolvers -------------------------------------------------------------------------------

export const POWER_SIGNATURES = ['int, int -> int when the exponent is known to be >= 0 (a constant, a loop counter from 0, len(), abs(), ...)', 'int, negative constant -> float', 'int, int -> int | float otherwise (a float when the exponent is negative at run time, as Python)', 'float|int, float|int -> float', 'pow(int, int, int) -> int (modular, negative exponent = inverse)'];
export const POWER_NOTES = 'A negative float raised to a fractional power gives a complex number in Python; here it raises ValueError.';

/** `a ** b` and `pow(a, b[, m])` on numbers. */
export const resolvePower: Resolver = (args, consts, _ops, argFacts) => {
  if (args.length === 3) {
    if (args.every((t) => isPyInt(t) || isBool(t))) return { result: T.int, argTypes: [T.int, T.int, T.int], lower: call((a, o) => `kr_powmod_i64(${a[0]}, ${a[1]}, ${a[2]}, &${o})`) };
    return 'pow() 3rd argument not allowed unless all arguments are integers';
  }
  const [a, b] = args;
  if (!isScalarType(a) || !isScalarType(b)) return typeError('** or pow()', args);
  if (isPyNumber(a) && isPyNumber(b)) {
    if (isIntLike(a) && isIntLike(b)) {
      const e = constInt(consts[1]);
      if (e !== undefined && e < 0n) return { result: T.float, argTypes: [T.float, T.float], lower: fn2('kr_pow_f64') };
      if ((e !== undefined && e >= 0n) || argFacts?.[1]?.nonNegative) return { result: T.int, argTypes: [T.int, T.int], lower: fn2('kr_pow_i64') };
      // The exponent may be negative: Python gives an int when it is not, a float when it is.
      const u = { kind: 'union', members: [T.int, T.float] } as KType & { kind: 'union' };
      return {
        result: u, argTypes: [T.int, T.int],
        lower: stmts((x, o, cx) => [
          `if (${x[1]} >= 0) {`,
          `  ${o}.tag = KILN_TAG_INT;`,
          `  ${cx.try(`kr_pow_i64(${x[0]}, ${x[1]}, &${o}.v.i)`)}`,
          '} else {',
          `  ${o}.tag = KILN_TAG_FLOAT;`,
          `  ${cx.try(`kr_pow_f64((double)(${x[0]}), (double)(${x[1]}), &${o}.v.f)`)}`,
          '}',
        ]),
      };
    }
    return { result: T.float, argTypes: [T.float, T.float], lower: fn2('kr_pow_f64') };
  }
  const r = npBinaryType(a, b)!;
  const rt = T.np(r);
  if (SCALARS[r].float) return { result: rt, argTypes: [rt, rt], lower: expr((x) => `${r === 'float32' ? 'powf' : 'kr_libm_pow'}(${x[0]}, ${x[1]})`) };
  return 'integer powers of NumPy integer scalars are not compiled yet; convert with int() first';
};

/** A C condition for `if (...)`: `e` without the outer parentheses that wrap all of it, so `if (((a) == b))` is
 *  written `if ((a) == b)` (clang warns about an equality in doubled parentheses). String and char literals are
 *  skipped when matching parentheses. */
export function cCondition(e: string): string {
  let s = e.trim();
  while (s.startsWith('(') && s.endsWith(')') && closingParen(s, 0) === s.length - 1) s = s.slice(1, -1).trim();
  return s;
}

/** The index of the `)` that closes the `(` at `open` in C text `s`, or -1. */
function closingParen(s: string, open: number): number {
  let depth = 0;
  for (let i = open; i < s.length; i++) {
    const ch = s[i];
    if (ch === '"' || ch === "'") {
      for (i++; i < s.length && s[i] !== ch; i++) if (s[i] === '\\') i++;
    } else if (ch === '(') depth++;
    else if (ch === ')' && --depth === 0) return i;
  }
  return -1;
}
