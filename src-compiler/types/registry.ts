/**
 * The op registry: one entry per supported Python operation. Each entry says which argument types it
 * accepts, the result type, and its C lowering. It is the single source of truth for what Kiln compiles:
 * the README's "Supported Python" section and the studio's reference page are generated from it.
 */
import type { ConstValue } from '../ir/ir.ts';
import {
  SCALARS, T, cType, isBool, isFloatLike, isIntLike, isNumpy, isPyFloat, isPyInt, typeToString,
  type KType, type ScalarName,
} from './types.ts';
import { withArrayOps, arrayAnnotationType } from './registry_arrays.ts';

/** How an op becomes C. Args are C expressions already converted to `Resolved.argTypes`. */
export type Lowering =
  | { kind: 'expr'; emit: (a: string[]) => string } // pure expression
  | { kind: 'call'; emit: (a: string[], out: string) => string } // fallible: 0 or -1, writes `out`
  | { kind: 'stmts'; emit: (a: string[], out: string, cx: LowerContext) => string[] } // C statements (loops over arrays)
  | { kind: 'none' }; // compile-time only (e.g. a checked tuple length)

/** What a `stmts` lowering may ask of the C lowering. */
export interface LowerContext {
  /** A statement that propagates the Python exception of a fallible C expression (0 or -1). */
  try(expr: string): string;
  /** A statement that raises `kind` (KILN_<kind>) with a C string expression as message. */
  raise(kind: string, message: string): string;
  /** Bounds checks on (default) or off (`@compile(boundscheck=False)`). */
  boundscheck: boolean;
  /**
   * Index positions of this getitem/setitem proven in bounds (0 <= index < shape) for every iteration of
   * the enclosing loop, by a test before the loop (see FunctionLowering.hoistPlan): no check, no wrap.
   */
  inBounds?: ReadonlySet<number>;
}

export interface Resolved {
  result: KType;
  /** The type each argument is converted to before the op (Python's/NumPy's promotion). */
  argTypes: KType[];
  lower: Lowering;
}

export interface OpEntry {
  target: string;
  group: 'operator' | 'builtin' | 'math' | 'numpy' | 'kiln';
  /** The Python spelling, for docs: `a + b`, `abs(x)`, `math.sqrt(x)`. */
  python: string;
  signatures: string[];
  notes?: string;
  resolve(args: KType[], consts: (ConstValue | undefined)[]): Resolved | string;
}

const expr = (emit: (a: string[]) => string): Lowering => ({ kind: 'expr', emit });
const call = (emit: (a: string[], out: string) => string): Lowering => ({ kind: 'call', emit });
const fn1 = (name: string) => call((a, o) => `${name}(${a[0]}, &${o})`);
const fn2 = (name: string) => call((a, o) => `${name}(${a[0]}, ${a[1]}, &${o})`);

const scalarName = (t: KType): ScalarName | undefined => (t.kind === 'scalar' ? t.name : undefined);
const pyName = (t: KType): string => (t.kind === 'scalar' ? (SCALARS[t.name].numpy ? `numpy.${t.name}` : t.name) : t.kind === 'none' ? 'NoneType' : 'tuple');
const typeError = (op: string, args: KType[]) =>
  `unsupported operand type(s) for ${op}: ${args.map((t) => `'${pyName(t)}'`).join(' and ')}`;

// ---- NumPy promotion (NEP 50: Python int/float/bool are "weak") -----------------------------------

const NP_INTS: ScalarName[] = ['int8', 'int16', 'int32', 'int64'];
const NP_UINTS: ScalarName[] = ['uint8', 'uint16', 'uint32', 'uint64'];

function npPromote(a: ScalarName, b: ScalarName): ScalarName {
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

// ---- conversions --------------------------------------------------------------------------------

/** C that converts `e` of type `from` to `to`: an expression, or a fallible call writing `out`. */
export function convert(e: string, from: KType, to: KType): { expr: string } | { call: (out: string) => string } {
  if (typeToString(from) === typeToString(to)) return { expr: e };
  const f = scalarName(from), t = scalarName(to);
  if (!f || !t) throw new Error(`internal: cannot convert ${typeToString(from)} to ${typeToString(to)}`);
  if (t === 'bool') return { expr: `(${e} != 0)` };
  // A Python int given to a NumPy integer must fit it, as in NumPy 2.
  if (f === 'int' && SCALARS[t].numpy && !SCALARS[t].float && t !== 'int64') {
    return { call: (out) => `kr_np_${t}_from_int(${e}, &${out})` };
  }
  return { expr: `((${cType(to)})(${e}))` };
}

// ---- arithmetic ---------------------------------------------------------------------------------

const PY_NUM = (t: KType) => isScalar(t) && !isNumpy(t);
function isScalar(t: KType) {
  return t.kind === 'scalar';
}

/** Python's numeric promotion for bool/int/float: the common type of a binary op. */
function pyCommon(a: KType, b: KType): KType {
  return isPyFloat(a) || isPyFloat(b) ? T.float : T.int;
}

type Arith = 'add' | 'sub' | 'mul';
const C_OP: Record<string, string> = { add: '+', sub: '-', mul: '*', and_: '&', or_: '|', xor: '^' };

function arithmetic(op: Arith, sym: string): OpEntry {
  return {
    target: `_operator.${op}`, group: 'operator', python: `a ${sym} b`,
    signatures: ['int, int -> int (OverflowError past 64 bits)', 'float|int, float|int -> float', 'bool counts as int', 'np.T, np.U -> NumPy promotion (wraps like NumPy)'],
    resolve(args) {
      const [a, b] = args;
      if (!isScalar(a) || !isScalar(b)) return typeError(sym, args);
      if (PY_NUM(a) && PY_NUM(b)) {
        const c = pyCommon(a, b);
        if (isPyFloat(c)) return { result: T.float, argTypes: [T.float, T.float], lower: expr((x) => `(${x[0]} ${sym} ${x[1]})`) };
        return { result: T.int, argTypes: [T.int, T.int], lower: fn2(`kr_${op}_i64`) };
      }
      const r = npBinaryType(a, b)!;
      const rt = T.np(r);
      if (SCALARS[r].float) return { result: rt, argTypes: [rt, rt], lower: expr((x) => `(${x[0]} ${sym} ${x[1]})`) };
      return { result: rt, argTypes: [rt, rt], lower: expr((x) => `((${SCALARS[r].c})((uint64_t)(${x[0]}) ${sym} (uint64_t)(${x[1]})))`) };
    },
  };
}

const truediv: OpEntry = {
  target: '_operator.truediv', group: 'operator', python: 'a / b',
  signatures: ['int, int -> float (correctly rounded)', 'float|int, float|int -> float', 'ZeroDivisionError on zero'],
  resolve(args) {
    const [a, b] = args;
    if (!isScalar(a) || !isScalar(b)) return typeError('/', args);
    if (PY_NUM(a) && PY_NUM(b)) {
      if (isIntLike(a) && isIntLike(b)) return { result: T.float, argTypes: [T.int, T.int], lower: fn2('kr_truediv_i64') };
      return { result: T.float, argTypes: [T.float, T.float], lower: fn2('kr_truediv_f64') };
    }
    let r = npBinaryType(a, b)!;
    if (!SCALARS[r].float) r = 'float64';
    const rt = T.np(r);
    return { result: rt, argTypes: [rt, rt], lower: expr((x) => `(${x[0]} / ${x[1]})`) };
  },
};

function floorOrMod(op: 'floordiv' | 'mod', sym: string): OpEntry {
  return {
    target: `_operator.${op}`, group: 'operator', python: `a ${sym} b`,
    signatures: ['int, int -> int (floors toward -inf, sign of the divisor)', 'float|int, float|int -> float', 'ZeroDivisionError on zero'],
    resolve(args) {
      const [a, b] = args;
      if (!isScalar(a) || !isScalar(b)) return typeError(sym, args);
      if (PY_NUM(a) && PY_NUM(b)) {
        const c = pyCommon(a, b);
        return { result: c, argTypes: [c, c], lower: fn2(`kr_${op}_${isPyFloat(c) ? 'f64' : 'i64'}`) };
      }
      const r = npBinaryType(a, b)!;
      const rt = T.np(r);
      if (SCALARS[r].float) {
        const f = r === 'float32' ? (x: string[]) => `((float)kr_np_${op}_f64(${x[0]}, ${x[1]}))` : (x: string[]) => `kr_np_${op}_f64(${x[0]}, ${x[1]})`;
        return { result: rt, argTypes: [rt, rt], lower: expr(f) };
      }
      return { result: rt, argTypes: [rt, rt], lower: expr((x) => `kr_np_${op}_${r}(${x[0]}, ${x[1]})`) };
    },
  };
}

function constInt(c: ConstValue | undefined): bigint | undefined {
  return c?.kind === 'int' ? BigInt(c.value) : c?.kind === 'bool' ? BigInt(c.value ? 1 : 0) : undefined;
}

function powerOp(target: string, python: string): OpEntry {
  return {
    target, group: target.startsWith('builtins') ? 'builtin' : 'operator', python,
    signatures: ['int, int -> int when the exponent is a constant >= 0 or a variable (ValueError if it is negative at run time)', 'int, negative constant -> float', 'float|int, float|int -> float', 'pow(int, int, int) -> int (modular, negative exponent = inverse)'],
    notes: 'A negative float raised to a fractional power gives a complex number in Python; here it raises ValueError.',
    resolve(args, consts) {
      if (args.length === 3) {
        if (args.every((t) => isPyInt(t) || isBool(t))) return { result: T.int, argTypes: [T.int, T.int, T.int], lower: call((a, o) => `kr_powmod_i64(${a[0]}, ${a[1]}, ${a[2]}, &${o})`) };
        return 'pow() 3rd argument not allowed unless all arguments are integers';
      }
      const [a, b] = args;
      if (!isScalar(a) || !isScalar(b)) return typeError('** or pow()', args);
      if (PY_NUM(a) && PY_NUM(b)) {
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
    },
  };
}

function bitwise(op: 'and_' | 'or_' | 'xor', sym: string): OpEntry {
  return {
    target: `_operator.${op}`, group: 'operator', python: `a ${sym} b`,
    signatures: ['int, int -> int', 'bool, bool -> bool', 'np int, np int -> NumPy promotion'],
    resolve(args) {
      const [a, b] = args;
      if (!isIntLike(a) || !isIntLike(b)) return typeError(sym, args);
      if (isBool(a) && isBool(b)) return { result: T.bool, argTypes: [T.bool, T.bool], lower: expr((x) => `((bool)(${x[0]} ${sym} ${x[1]}))`) };
      if (PY_NUM(a) && PY_NUM(b)) return { result: T.int, argTypes: [T.int, T.int], lower: expr((x) => `(${x[0]} ${sym} ${x[1]})`) };
      const r = npBinaryType(a, b)!;
      if (SCALARS[r].float) return typeError(sym, args);
      const rt = T.np(r);
      return { result: rt, argTypes: [rt, rt], lower: expr((x) => `((${SCALARS[r].c})(${x[0]} ${sym} ${x[1]}))`) };
    },
  };
}

function shift(op: 'lshift' | 'rshift', sym: string): OpEntry {
  return {
    target: `_operator.${op}`, group: 'operator', python: `a ${sym} b`,
    signatures: ['int, int -> int (ValueError on a negative count; << raises OverflowError past 64 bits)'],
    resolve(args) {
      const [a, b] = args;
      if (!isIntLike(a) || !isIntLike(b)) return typeError(sym, args);
      if (PY_NUM(a) && PY_NUM(b)) return { result: T.int, argTypes: [T.int, T.int], lower: fn2(`kr_${op}_i64`) };
      const r = npBinaryType(a, b)!;
      if (SCALARS[r].float) return typeError(sym, args);
      const rt = T.np(r);
      const bits = SCALARS[r].bits, c = SCALARS[r].c;
      const lower = op === 'lshift'
        ? expr((x) => `((${x[1]}) >= 0 && (${x[1]}) < ${bits} ? (${c})((uint64_t)(${x[0]}) << (${x[1]})) : (${c})0)`)
        : expr((x) => `((${x[1]}) >= 0 && (${x[1]}) < ${bits} ? (${c})((${x[0]}) >> (${x[1]})) : (${c})((${x[0]}) < 0 ? -1 : 0))`);
      return { result: rt, argTypes: [rt, rt], lower };
    },
  };
}

// ---- comparisons --------------------------------------------------------------------------------

const CMP_SYM: Record<string, string> = { eq: '==', ne: '!=', lt: '<', le: '<=', gt: '>', ge: '>=' };

function comparison(op: keyof typeof CMP_SYM): OpEntry {
  const sym = CMP_SYM[op];
  return {
    target: `_operator.${op}`, group: 'operator', python: `a ${sym} b`,
    signatures: ['numbers of any kind -> bool (int vs float compared exactly, as Python)'],
    resolve(args) {
      const [a, b] = args;
      if (!isScalar(a) || !isScalar(b)) {
        if (op === 'eq' || op === 'ne') return `comparing ${typeToString(a)} with ${typeToString(b)} is not compiled; compare numbers`;
        return `'${sym}' not supported between instances of '${pyName(a)}' and '${pyName(b)}'`;
      }
      const af = isFloatLike(a), bf = isFloatLike(b);
      if (af && bf) {
        const ct = isPyFloat(a) || isPyFloat(b) || scalarName(a) === 'float64' || scalarName(b) === 'float64' ? T.float : a;
        return { result: T.bool, argTypes: [ct, ct], lower: expr((x) => `(${x[0]} ${sym} ${x[1]})`) };
      }
      if (!af && !bf) {
        // Integers of any width compare exactly; only uint64 against a signed type needs care.
        const ua = scalarName(a) === 'uint64', ub = scalarName(b) === 'uint64';
        if (ua === ub) return { result: T.bool, argTypes: [a, b], lower: expr((x) => `(${x[0]} ${sym} ${x[1]})`) };
        const lower = ub
          ? expr((x) => `(kr_cmp_i64_u64((int64_t)(${x[0]}), ${x[1]}) ${sym} 0)`)
          : expr((x) => `(0 ${sym} kr_cmp_i64_u64((int64_t)(${x[1]}), ${x[0]}))`);
        return { result: T.bool, argTypes: [a, b], lower };
      }
      // int vs float: exact, as Python (NumPy converts to float64, which agrees except past 2**53).
      const intSide = af ? 1 : 0;
      const iT = args[intSide];
      if (!PY_NUM(iT) && !isBool(iT) && scalarName(iT) === 'uint64') {
        return { result: T.bool, argTypes: [T.float, T.float], lower: expr((x) => `(${x[0]} ${sym} ${x[1]})`) };
      }
      const swapped: Record<string, string> = { '<': '>', '<=': '>=', '>': '<', '>=': '<=', '==': '==', '!=': '!=' };
      const s = intSide === 0 ? sym : swapped[sym];
      const test = (c: string) => (s === '!=' ? `(${c} != 0)` : s === '==' ? `(${c} == 0)` : s === '<' ? `(${c} == -1)` : s === '<=' ? `(${c} == -1 || ${c} == 0)` : s === '>' ? `(${c} == 1)` : `(${c} == 1 || ${c} == 0)`);
      const argTypes = intSide === 0 ? [T.int, T.float] : [T.float, T.int];
      return {
        result: T.bool, argTypes,
        lower: expr((x) => {
          const c = intSide === 0 ? `kr_cmp_i64_f64(${x[0]}, ${x[1]})` : `kr_cmp_i64_f64(${x[1]}, ${x[0]})`;
          // The comparison result is used once per test; the C compiler merges the call.
          return test(c);
        }),
      };
    },
  };
}

// ---- unary --------------------------------------------------------------------------------------

const truthExpr = (e: string, t: KType): string =>
  t.kind === 'none' ? '0' : t.kind === 'tuple' ? (t.items.length ? '1' : '0') : isBool(t) ? e : `(${e} != 0)`;
export { truthExpr };

const unary: OpEntry[] = [
  {
    target: '_operator.neg', group: 'operator', python: '-a', signatures: ['int -> int (OverflowError for -(-2**63))', 'float -> float', 'bool -> int'],
    resolve([a]) {
      if (!isScalar(a)) return `bad operand type for unary -: '${pyName(a)}'`;
      if (isPyInt(a) || isBool(a)) return { result: T.int, argTypes: [T.int], lower: fn1('kr_neg_i64') };
      if (isFloatLike(a)) return { result: a, argTypes: [a], lower: expr((x) => `(-(${x[0]}))`) };
      const c = SCALARS[scalarName(a)!].c;
      return { result: a, argTypes: [a], lower: expr((x) => `((${c})(0 - (uint64_t)(${x[0]})))`) };
    },
  },
  {
    target: '_operator.pos', group: 'operator', python: '+a', signatures: ['number -> same number (bool -> int)'],
    resolve([a]) {
      if (!isScalar(a)) return `bad operand type for unary +: '${pyName(a)}'`;
      const r = isBool(a) ? T.int : a;
      return { result: r, argTypes: [r], lower: expr((x) => x[0]) };
    },
  },
  {
    target: '_operator.invert', group: 'operator', python: '~a', signatures: ['int -> int', 'bool -> int'],
    resolve([a]) {
      if (!isIntLike(a)) return `bad operand type for unary ~: '${pyName(a)}'`;
      const r = isBool(a) ? T.int : a;
      return { result: r, argTypes: [r], lower: expr((x) => `((${cType(r)})~${x[0]})`) };
    },
  },
  {
    target: '_operator.not_', group: 'operator', python: 'not a', signatures: ['any -> bool'],
    resolve([a]) {
      return { result: T.bool, argTypes: [a], lower: expr((x) => `(!${truthExpr(x[0], a)})`) };
    },
  },
];

// ---- builtins -----------------------------------------------------------------------------------

function sameTypeArgs(name: string, args: KType[]): string | undefined {
  const s = args.map(typeToString);
  if (new Set(s).size > 1) {
    return `${name}() of mixed ${[...new Set(s)].join(' and ')}: the result's type would depend on the values; convert the arguments to one type (e.g. float(...))`;
  }
  return undefined;
}

const builtins: OpEntry[] = [
  {
    target: 'builtins.abs', group: 'builtin', python: 'abs(x)', signatures: ['int -> int', 'float -> float', 'bool -> int'],
    resolve([a]) {
      if (!isScalar(a)) return `bad operand type for abs(): '${pyName(a)}'`;
      if (isPyInt(a) || isBool(a)) return { result: T.int, argTypes: [T.int], lower: fn1('kr_abs_i64') };
      if (isFloatLike(a)) return { result: a, argTypes: [a], lower: expr((x) => `${scalarName(a) === 'float32' ? 'fabsf' : 'fabs'}(${x[0]})`) };
      const c = SCALARS[scalarName(a)!].c;
      return { result: a, argTypes: [a], lower: expr((x) => `((${c})((${x[0]}) < 0 ? 0 - (uint64_t)(${x[0]}) : (uint64_t)(${x[0]})))`) };
    },
  },
  ...(['min', 'max'] as const).map((name): OpEntry => ({
    target: `builtins.${name}`, group: 'builtin', python: `${name}(a, b, ...)`, signatures: ['2 or more numbers of one type -> that type (NaN handled as Python: the first of equals wins)'],
    resolve(args) {
      if (args.length < 2) return `${name}() with one argument iterates it; only ${name}(a, b, ...) of numbers is compiled`;
      if (!args.every(isScalar)) return `${name}() of ${args.map(typeToString).join(', ')} is not compiled`;
      const err = sameTypeArgs(name, args);
      if (err) return err;
      const sym = name === 'max' ? '>' : '<';
      return {
        result: args[0], argTypes: args,
        lower: expr((x) => x.slice(1).reduce((best, item) => `((${item}) ${sym} (${best}) ? (${item}) : (${best}))`, x[0])),
      };
    },
  })),
  {
    target: 'builtins.int', group: 'builtin', python: 'int(x)', signatures: ['int|bool -> int', 'float -> int (truncates; ValueError for NaN, OverflowError for inf)'],
    resolve(args) {
      if (args.length !== 1) return 'int() takes exactly one number here';
      const [a] = args;
      if (!isScalar(a)) return `int() argument must be a number, not '${pyName(a)}'`;
      if (isFloatLike(a)) return { result: T.int, argTypes: [T.float], lower: fn1('kr_trunc_f64') };
      if (scalarName(a) === 'uint64') return { result: T.int, argTypes: [a], lower: call((x, o) => `((${x[0]}) > (uint64_t)INT64_MAX ? kr_raise(KILN_OverflowError, kr_int_overflow_msg) : ((${o} = (int64_t)(${x[0]})), 0))`) };
      return { result: T.int, argTypes: [T.int], lower: expr((x) => x[0]) };
    },
  },
  {
    target: 'builtins.float', group: 'builtin', python: 'float(x)', signatures: ['number -> float'],
    resolve(args) {
      if (args.length !== 1 || !isScalar(args[0])) return 'float() takes exactly one number here';
      return { result: T.float, argTypes: [T.float], lower: expr((x) => x[0]) };
    },
  },
  {
    target: 'builtins.bool', group: 'builtin', python: 'bool(x)', signatures: ['any -> bool (truthiness)'],
    resolve(args) {
      if (args.length !== 1) return 'bool() takes exactly one argument here';
      return { result: T.bool, argTypes: [args[0]], lower: expr((x) => truthExpr(x[0], args[0])) };
    },
  },
  {
    target: 'builtins.round', group: 'builtin', python: 'round(x[, n])', signatures: ['float -> int (half to even)', 'float, int -> float (correctly rounded)', 'int[, int] -> int'],
    resolve(args) {
      const [a, n] = args;
      if (args.length < 1 || args.length > 2 || !isScalar(a)) return 'round() takes a number and an optional int';
      if (n && !isIntLike(n)) return `'${pyName(n)}' object cannot be interpreted as an integer`;
      if (isNumpy(a)) return 'round() of NumPy scalars is not compiled yet; convert with float() first';
      if (!n) {
        if (isPyFloat(a)) return { result: T.int, argTypes: [T.float], lower: fn1('kr_round_f64') };
        return { result: T.int, argTypes: [T.int], lower: expr((x) => x[0]) };
      }
      if (isPyFloat(a)) return { result: T.float, argTypes: [T.float, T.int], lower: fn2('kr_round_f64_nd') };
      return { result: T.int, argTypes: [T.int, T.int], lower: fn2('kr_round_i64_nd') };
    },
  },
  {
    target: 'builtins.divmod', group: 'builtin', python: 'divmod(a, b)', signatures: ['int, int -> tuple[int, int]', 'float|int, float|int -> tuple[float, float]'],
    resolve(args) {
      const [a, b] = args;
      if (args.length !== 2 || !PY_NUM(a) || !PY_NUM(b)) return typeError('divmod()', args);
      const c = pyCommon(a, b);
      const f = isPyFloat(c) ? 'f64' : 'i64';
      return { result: T.tuple([c, c]), argTypes: [c, c], lower: call((x, o) => `kr_divmod_${f}(${x[0]}, ${x[1]}, &${o}.f0, &${o}.f1)`) };
    },
  },
  powerOp('builtins.pow', 'pow(a, b[, m])'),
  {
    target: 'builtins.len', group: 'builtin', python: 'len(t)', signatures: ['tuple -> int (a constant)'],
    resolve(args) {
      const [a] = args;
      if (args.length !== 1 || a.kind !== 'tuple') return `object of type '${pyName(a)}' has no len()`;
      return { result: T.int, argTypes: [a], lower: expr(() => `INT64_C(${a.items.length})`) };
    },
  },
];

// ---- math ---------------------------------------------------------------------------------------

const MATH1_DOUBLE: [string, string][] = [
  ['sqrt', 'ValueError for x < 0'], ['exp', 'OverflowError on overflow'], ['log2', 'ValueError for x <= 0'],
  ['log10', 'ValueError for x <= 0'], ['sin', 'ValueError for inf'], ['cos', 'ValueError for inf'], ['tan', 'ValueError for inf'],
  ['asin', 'ValueError outside [-1, 1]'], ['acos', 'ValueError outside [-1, 1]'], ['atan', ''], ['sinh', 'OverflowError on overflow'],
  ['cosh', 'OverflowError on overflow'], ['tanh', ''],
];

const numberArgs = (name: string, args: KType[], n: number[]): string | undefined => {
  if (!n.includes(args.length)) return `math.${name}() takes ${n.join(' or ')} argument(s) here`;
  const bad = args.find((t) => !isScalar(t));
  return bad ? `must be real number, not ${pyName(bad)}` : undefined;
};

const math: OpEntry[] = [
  ...MATH1_DOUBLE.map(([name, note]): OpEntry => ({
    target: `math.${name}`, group: 'math', python: `math.${name}(x)`, signatures: [`number -> float${note ? ` (${note})` : ''}`],
    resolve(args) {
      return numberArgs(name, args, [1]) ?? { result: T.float, argTypes: [T.float], lower: fn1(`kr_${name}`) };
    },
  })),
  {
    target: 'math.log', group: 'math', python: 'math.log(x[, base])', signatures: ['number -> float', 'number, number -> float (ValueError for x <= 0)'],
    resolve(args) {
      return numberArgs('log', args, [1, 2]) ?? (args.length === 1
        ? { result: T.float, argTypes: [T.float], lower: fn1('kr_log') }
        : { result: T.float, argTypes: [T.float, T.float], lower: fn2('kr_log_base') });
    },
  },
  ...(['floor', 'ceil', 'trunc'] as const).map((name): OpEntry => ({
    target: `math.${name}`, group: 'math', python: `math.${name}(x)`, signatures: ['float -> int (ValueError for NaN, OverflowError for inf)', 'int -> int'],
    resolve(args) {
      const bad = numberArgs(name, args, [1]);
      if (bad) return bad;
      if (isFloatLike(args[0])) return { result: T.int, argTypes: [T.float], lower: fn1(`kr_${name}_f64`) };
      return { result: T.int, argTypes: [T.int], lower: expr((x) => x[0]) };
    },
  })),
  {
    target: 'math.fabs', group: 'math', python: 'math.fabs(x)', signatures: ['number -> float'],
    resolve(args) {
      return numberArgs('fabs', args, [1]) ?? { result: T.float, argTypes: [T.float], lower: expr((x) => `fabs(${x[0]})`) };
    },
  },
  ...(['isnan', 'isinf', 'isfinite'] as const).map((name): OpEntry => ({
    target: `math.${name}`, group: 'math', python: `math.${name}(x)`, signatures: ['number -> bool'],
    resolve(args) {
      const bad = numberArgs(name, args, [1]);
      if (bad) return bad;
      if (!isFloatLike(args[0])) return { result: T.bool, argTypes: [args[0]], lower: expr(() => (name === 'isfinite' ? '1' : '0')) };
      return { result: T.bool, argTypes: [T.float], lower: expr((x) => `((bool)${name}(${x[0]}))`) };
    },
  })),
  {
    target: 'math.pow', group: 'math', python: 'math.pow(x, y)', signatures: ['number, number -> float (ValueError/OverflowError as CPython)'],
    resolve(args) {
      return numberArgs('pow', args, [2]) ?? { result: T.float, argTypes: [T.float, T.float], lower: fn2('kr_math_pow') };
    },
  },
  {
    target: 'math.atan2', group: 'math', python: 'math.atan2(y, x)', signatures: ['number, number -> float'],
    resolve(args) {
      return numberArgs('atan2', args, [2]) ?? { result: T.float, argTypes: [T.float, T.float], lower: fn2('kr_atan2') };
    },
  },
  {
    target: 'math.hypot', group: 'math', python: 'math.hypot(x, y)', signatures: ['number, number -> float'],
    resolve(args) {
      return numberArgs('hypot', args, [2]) ?? { result: T.float, argTypes: [T.float, T.float], lower: expr((x) => `kr_hypot(${x[0]}, ${x[1]})`) };
    },
  },
  {
    target: 'math.copysign', group: 'math', python: 'math.copysign(x, y)', signatures: ['number, number -> float'],
    resolve(args) {
      return numberArgs('copysign', args, [2]) ?? { result: T.float, argTypes: [T.float, T.float], lower: expr((x) => `copysign(${x[0]}, ${x[1]})`) };
    },
  },
  {
    target: 'math.fmod', group: 'math', python: 'math.fmod(x, y)', signatures: ['number, number -> float (ValueError when y is 0)'],
    resolve(args) {
      return numberArgs('fmod', args, [2]) ?? { result: T.float, argTypes: [T.float, T.float], lower: fn2('kr_fmod') };
    },
  },
  {
    target: 'math.gcd', group: 'math', python: 'math.gcd(a, b)', signatures: ['int, int -> int'],
    resolve(args) {
      if (args.length !== 2 || !args.every((t) => isPyInt(t) || isBool(t))) return 'math.gcd() takes two ints here';
      return { result: T.int, argTypes: [T.int, T.int], lower: fn2('kr_gcd_i64') };
    },
  },
];

/** Constants read as `math.pi`, `from math import pi`, ... */
export const MATH_CONSTANTS: Record<string, { value: number; c: string }> = {
  'math.pi': { value: Math.PI, c: '3.141592653589793' },
  'math.e': { value: Math.E, c: '2.718281828459045' },
  'math.tau': { value: 2 * Math.PI, c: '6.283185307179586' },
  'math.inf': { value: Infinity, c: 'INFINITY' },
  'math.nan': { value: NaN, c: 'NAN' },
};

// ---- NumPy scalar constructors --------------------------------------------------------------------

const numpyScalars: OpEntry[] = (['float32', 'float64', ...NP_INTS, ...NP_UINTS] as ScalarName[]).map((name): OpEntry => ({
  target: `numpy.${name}`, group: 'numpy', python: `np.${name}(x)`, signatures: [`number -> np.${name}`],
  resolve(args) {
    if (args.length !== 1 || !isScalar(args[0])) return `np.${name}() takes one number here`;
    const a = args[0];
    const rt = T.np(name);
    if (isFloatLike(a) && !SCALARS[name].float) {
      return { result: rt, argTypes: [T.float], lower: call((x, o) => `(isfinite(${x[0]}) && ${x[0]} > -9.3e18 && ${x[0]} < 9.3e18 ? ((${o} = (${SCALARS[name].c})(int64_t)(${x[0]})), 0) : kr_raise(KILN_OverflowError, "cannot convert this float to np.${name} (NumPy gives an undefined value)"))`) };
    }
    return { result: rt, argTypes: [rt], lower: expr((x) => x[0]) };
  },
}));

// ---- tuples and Kiln's own ops ----------------------------------------------------------------------

const kilnOps: OpEntry[] = [
  {
    target: 'kiln.make_tuple', group: 'kiln', python: '(a, b, ...)', signatures: ['values -> tuple'],
    resolve(args) {
      if (args.some((t) => t.kind === 'none')) return 'tuples holding None are not compiled';
      const t = T.tuple(args);
      return { result: t, argTypes: args, lower: expr((x) => `((${cType(t)}){${x.join(', ')}})`) };
    },
  },
  {
    target: '_operator.getitem', group: 'operator', python: 't[i]', signatures: ['tuple, constant int -> item'],
    resolve(args, consts) {
      const [t, i] = args;
      if (t.kind !== 'tuple') return `'${pyName(t)}' object is not subscriptable`;
      const idx = constInt(consts[1]);
      if (idx === undefined) return 'a tuple index must be a constant integer here';
      const n = BigInt(t.items.length);
      const k = idx < 0n ? idx + n : idx;
      if (k < 0n || k >= n) return 'IndexError: tuple index out of range';
      return { result: t.items[Number(k)], argTypes: [t, T.int], lower: expr((x) => `${x[0]}.f${k}`) };
    },
  },
  {
    target: 'kiln.check_unpack', group: 'kiln', python: 'a, b = t', signatures: ['tuple of n items into n names'],
    resolve(args, consts) {
      const [t] = args;
      const n = Number(constInt(consts[1]));
      if (t.kind !== 'tuple') return `cannot unpack non-iterable ${pyName(t)} object`;
      if (t.items.length > n) return `ValueError: too many values to unpack (expected ${n})`;
      if (t.items.length < n) return `ValueError: not enough values to unpack (expected ${n}, got ${t.items.length})`;
      return { result: T.none, argTypes: [t, T.int], lower: { kind: 'none' } };
    },
  },
];

export const OPS: OpEntry[] = withArrayOps([
  arithmetic('add', '+'), arithmetic('sub', '-'), arithmetic('mul', '*'), truediv,
  floorOrMod('floordiv', '//'), floorOrMod('mod', '%'), powerOp('_operator.pow', 'a ** b'),
  bitwise('and_', '&'), bitwise('or_', '|'), bitwise('xor', '^'), shift('lshift', '<<'), shift('rshift', '>>'),
  ...(['eq', 'ne', 'lt', 'le', 'gt', 'ge'] as const).map(comparison),
  ...unary, ...builtins, ...math, ...numpyScalars, ...kilnOps,
]);

const BY_TARGET = new Map(OPS.map((o) => [o.target, o]));

export function lookupOp(target: string): OpEntry | undefined {
  return BY_TARGET.get(target);
}

/** Annotation text -> type. `np.float32`, `numpy.int8`, `float`, ... (aliases through the module's imports). */
export function annotationType(text: string | null, imports: Record<string, string>, ndim?: number): KType | undefined {
  if (!text) return undefined;
  const s = text.trim();
  const arrayOrList = arrayAnnotationType(s, imports, ndim, (x) => annotationType(x, imports));
  if (arrayOrList) return arrayOrList;
  if (s === 'int') return T.int;
  if (s === 'float') return T.float;
  if (s === 'bool') return T.bool;
  if (s === 'None') return T.none;
  const tuple = /^(?:tuple|typing\.Tuple|Tuple)\[(.*)\]$/.exec(s);
  if (tuple) {
    const parts = splitTopLevel(tuple[1]);
    if (parts.length === 2 && parts[1].trim() === '...') return undefined;
    const items = parts.map((p) => annotationType(p, imports));
    return items.every(Boolean) ? T.tuple(items as KType[]) : undefined;
  }
  const dot = s.indexOf('.');
  if (dot > 0) {
    const mod = imports[s.slice(0, dot)] ?? s.slice(0, dot);
    const attr = s.slice(dot + 1);
    if (mod === 'numpy' && (SCALARS as Record<string, unknown>)[attr] && SCALARS[attr as ScalarName].numpy) return T.np(attr as ScalarName);
  }
  const origin = imports[s];
  if (origin?.startsWith('numpy.')) {
    const attr = origin.slice(6) as ScalarName;
    if (SCALARS[attr]?.numpy) return T.np(attr);
  }
  return undefined;
}

export function splitTopLevel(s: string): string[] {
  const out: string[] = [];
  let depth = 0, cur = '';
  for (const ch of s) {
    if (ch === '[') depth++;
    if (ch === ']') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  if (cur.trim()) out.push(cur);
  return out;
}
