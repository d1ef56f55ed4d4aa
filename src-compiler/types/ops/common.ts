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
  | { kind: 'stmts'; emit: (a: string[], out: string, cx: LowerContext) => string[] }
  | { kind: 'none' }; // compile-time only (e.g. a checked tuple length)

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
  /** For an op with the rebindsArg0 fact: its value is not used (the variable already holds it). */
  rebound?: boolean;
  /** Strings (their C expressions) known here to hold one byte per character (kind 1): their units can be read directly. */
  latin1?: ReadonlySet<string>;
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
  /** Arguments the op changes in place: `a[i] = v`, `a.fill(v)`, `lst.append(x)`, `a += b` on an array. */
  writes?: readonly number[];
  /** The result may share memory with these arguments ('all': any of them): a view, a tuple holding one, the array an in-place operator returns. */
  aliases?: readonly number[] | 'all';
  /** Item access: argument 0 indexed by the arguments after it ('store': the last argument is the value); the lowering honours LowerContext.inBounds. */
  subscript?: 'load' | 'store';
  /** On Python ints, `a + b` / `a - b` with an overflow check, lowered as the plain C operator where a pass proves it cannot overflow. */
  affine?: 'add' | 'sub';
  /** A comparison of its two arguments. */
  compare?: 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge';
  /** A float result that is never negative: 'always' (sqrt, fabs, exp, ...), 'ifArgs' (when both arguments are not), 'ifArgsOrSquare' (also x * x). */
  nonNegative?: 'always' | 'ifArgs' | 'ifArgsOrSquare';
  /** `x op= y`: in place when x is of one of these kinds; otherwise the plain operator `plain`, which rebinds x as Python does. */
  inplace?: { plain: string; on: readonly KType['kind'][] };
  /** An empty list in argument 0 (`xs = []`) takes its item type from argument `arg`: an item, or a list of items. */
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
   * and fills the ones not given with None, so the op sees a fixed number of arguments.
   */
  keywords?: readonly string[];
  /** A generator expression as its argument is built as a list first: `sum(x * x for x in xs)`. */
  consumesIterable?: boolean;
  /**
   * `x op= y` that rebinds the variable x itself (its address is taken: `s += t` on a str); the op's value is x's new
   * value. When the next node only assigns that value back to x, the emitter skips both the value and the assignment
   * (LowerContext.rebound).
   */
  rebindsArg0?: boolean;
  /**
   * The value a keyword parameter takes when the call does not give it, where that is not None (np.concatenate's
   * axis=0): the op then tells `axis=None` from no axis. Parameters not listed default to None.
   */
  defaults?: Readonly<Record<string, ConstValue>>;
  /**
   * The runtime feature header its C lowering calls into (resources/c/, one of pipeline.ts's
   * RUNTIME_EXTRA_HEADERS): a unit includes it only when one of its ops needs it.
   */
  header?: string;
}

export interface Resolved {
  result: KType;
  /** The type each argument is converted to before the op (Python's/NumPy's promotion). */
  argTypes: KType[];
  lower: Lowering;
  /** The op's facts for these argument types (the entry's static facts plus this resolution's own). */
  facts?: OpFacts;
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
  resolve(args: KType[], consts: (ConstValue | undefined)[]): Resolved | string;
}

/** The flat table, for an op that builds on another (an element-wise op on the scalar op of its elements). */
export type OpLookup = (target: string) => OpEntry | undefined;

/** Resolves a call, or says why it is not compiled; undefined: these are not this definition's argument types. */
export type Resolver = (args: KType[], consts: (ConstValue | undefined)[], ops: OpLookup) => Resolved | string | undefined;

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
  : t.kind === 'str' || t.kind === 'char' ? 'str' : t.kind === 'bytes' ? 'bytes' : t.kind === 'list' ? 'list' : t.kind === 'array' ? 'numpy.ndarray' : 'tuple');
export const typeError = (op: string, args: KType[]) =>
  `unsupported operand type(s) for ${op}: ${args.map((t) => `'${pyName(t)}'`).join(' and ')}`;

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
  const kind = (d: ScalarName) => (d === 'bool' ? 0 : SCALARS[d].float ? 3 : SCALARS[d].signed ? 2 : 1);
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
  // A character where a str is needed: a new reference (shared below 256), released after the op by the emitter.
  if (from.kind === 'char' && to.kind === 'str') return { call: (out) => `((${out} = kr_str_from_cp(${e})) ? 0 : -1)` };
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
  t.kind === 'none' ? '0' : t.kind === 'tuple' ? (t.items.length ? '1' : '0') : isBool(t) ? e
    : t.kind === 'str' || t.kind === 'bytes' ? `(${e}->length != 0)` : t.kind === 'char' ? '1'
      : t.kind === 'list' ? `(${e}->len != 0)` : t.kind === 'range' ? `(kr_range_ulen(${e}) != 0)`
        : t.kind === 'func' || t.kind === 'builtin' || t.kind === 'funcset' || t.kind === 'dtype' ? '1' : `(${e} != 0)`;

// ---- shared resolvers -------------------------------------------------------------------------------

export const POWER_SIGNATURES = ['int, int -> int when the exponent is a constant >= 0 or a variable (ValueError if it is negative at run time)', 'int, negative constant -> float', 'float|int, float|int -> float', 'pow(int, int, int) -> int (modular, negative exponent = inverse)'];
export const POWER_NOTES = 'A negative float raised to a fractional power gives a complex number in Python; here it raises ValueError.';

/** `a ** b` and `pow(a, b[, m])` on numbers. */
export const resolvePower: Resolver = (args, consts) => {
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
      return { result: T.int, argTypes: [T.int, T.int], lower: fn2('kr_pow_i64') };
    }
    return { result: T.float, argTypes: [T.float, T.float], lower: fn2('kr_pow_f64') };
  }
  const r = npBinaryType(a, b)!;
  const rt = T.np(r);
  if (SCALARS[r].float) return { result: rt, argTypes: [rt, rt], lower: expr((x) => `${r === 'float32' ? 'powf' : 'pow'}(${x[0]}, ${x[1]})`) };
  return 'integer powers of NumPy integer scalars are not compiled yet; convert with int() first';
};
