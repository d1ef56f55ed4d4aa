/** Python's operators on numbers: arithmetic, bitwise, shifts, comparisons and the unary operators. */
import { SCALARS, T, cType, isBool, isFloatLike, isIntLike, isPyFloat, isPyInt, typeToString, type KType } from '../types.ts';
import {
  POWER_NOTES, POWER_SIGNATURES, expr, fn1, fn2, isPyNumber, isScalarType, npBinaryType, pyCommon, pyName, resolvePower,
  scalarName, stmts, truthExpr, typeError, type OpDef, type OpDomain, type OpFacts, type Resolved,
} from './common.ts';

type Arith = 'add' | 'sub' | 'mul';
const ARITH_FACTS: Record<Arith, OpFacts> = {
  add: { affine: 'add', nonNegative: 'ifArgs', boolAsInt: true },
  sub: { affine: 'sub', boolAsInt: true },
  mul: { nonNegative: 'ifArgsOrSquare', boolAsInt: true },
};

function arithmetic(op: Arith, sym: string): OpDef {
  return {
    target: `_operator.${op}`, python: `a ${sym} b`, facts: ARITH_FACTS[op],
    signatures: ['int, int -> int (OverflowError past 64 bits)', 'float|int, float|int -> float', 'bool counts as int', 'np.T, np.U -> NumPy promotion (wraps like NumPy)',
      'np.bool_ (an item of a bool array, a comparison of NumPy scalars), bool -> np.bool_: + is or, * is and, - raises TypeError'],
    resolve(args, _consts, _ops, argFacts) {
      const [a, b] = args;
      if (!isScalarType(a) || !isScalarType(b)) return typeError(sym, args);
      if (isBool(a) && isBool(b) && (argFacts?.[0]?.numpy || argFacts?.[1]?.numpy)) return npBoolArithmetic(op);
      if (isPyNumber(a) && isPyNumber(b)) {
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

/**
 * NumPy's bool scalars (ArgFacts.numpy) with another bool: `+` is `or`, `*` is `and` (np.True_ + np.True_ is
 * np.True_, where Python's True + True is 2), `-` raises NumPy's TypeError.
 */
function npBoolArithmetic(op: Arith): Resolved {
  if (op === 'sub') {
    return { result: T.bool, argTypes: [T.bool, T.bool], lower: stmts((_a, _o, cx) => [cx.raise('TypeError', `"${NP_BOOL_SUBTRACT}"`)]) };
  }
  return { result: T.bool, argTypes: [T.bool, T.bool], lower: expr((x) => `(${x[0]} ${op === 'add' ? '||' : '&&'} ${x[1]})`) };
}
const NP_BOOL_SUBTRACT = 'numpy boolean subtract, the `-` operator, is not supported, use the bitwise_xor, the `^` operator, or the logical_xor function instead.';
const NP_BOOL_NEGATIVE = 'The numpy boolean negative, the `-` operator, is not supported, use the `~` operator or the logical_not function instead.';

const truediv: OpDef = {
  target: '_operator.truediv', python: 'a / b', facts: { boolAsInt: true },
  signatures: ['int, int -> float (correctly rounded)', 'float|int, float|int -> float', 'ZeroDivisionError on zero'],
  resolve(args) {
    const [a, b] = args;
    if (!isScalarType(a) || !isScalarType(b)) return typeError('/', args);
    if (isPyNumber(a) && isPyNumber(b)) {
      if (isIntLike(a) && isIntLike(b)) return { result: T.float, argTypes: [T.int, T.int], lower: fn2('kr_truediv_i64') };
      return { result: T.float, argTypes: [T.float, T.float], lower: fn2('kr_truediv_f64', { kind: 'zero', arg: 1, value: (x) => `${x[0]} / ${x[1]}` }) };
    }
    let r = npBinaryType(a, b)!;
    if (!SCALARS[r].float) r = 'float64';
    const rt = T.np(r);
    return { result: rt, argTypes: [rt, rt], lower: expr((x) => `(${x[0]} / ${x[1]})`) };
  },
};

function floorOrMod(op: 'floordiv' | 'mod', sym: string): OpDef {
  return {
    target: `_operator.${op}`, python: `a ${sym} b`, facts: { boolAsInt: true },
    signatures: ['int, int -> int (floors toward -inf, sign of the divisor)', 'float|int, float|int -> float', 'ZeroDivisionError on zero'],
    resolve(args, _consts, _ops, argFacts) {
      const [a, b] = args;
      if (!isScalarType(a) || !isScalarType(b)) return typeError(sym, args);
      if (isBool(a) && isBool(b) && (argFacts?.[0]?.numpy || argFacts?.[1]?.numpy)) {
        return `NumPy bools ${sym} (an item of a bool array, a comparison of NumPy scalars) give np.int8 in NumPy; write int(a) ${sym} int(b)`;
      }
      if (isPyNumber(a) && isPyNumber(b)) {
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

function bitwise(op: 'and_' | 'or_' | 'xor', sym: string): OpDef {
  return {
    target: `_operator.${op}`, python: `a ${sym} b`,
    signatures: ['int, int -> int', 'bool, bool -> bool', 'np int, np int -> NumPy promotion'],
    resolve(args) {
      const [a, b] = args;
      if (!isIntLike(a) || !isIntLike(b)) return typeError(sym, args);
      if (isBool(a) && isBool(b)) return { result: T.bool, argTypes: [T.bool, T.bool], lower: expr((x) => `((bool)(${x[0]} ${sym} ${x[1]}))`) };
      if (isPyNumber(a) && isPyNumber(b)) return { result: T.int, argTypes: [T.int, T.int], lower: expr((x) => `(${x[0]} ${sym} ${x[1]})`) };
      const r = npBinaryType(a, b)!;
      if (SCALARS[r].float) return typeError(sym, args);
      const rt = T.np(r);
      return { result: rt, argTypes: [rt, rt], lower: expr((x) => `((${SCALARS[r].c})(${x[0]} ${sym} ${x[1]}))`) };
    },
  };
}

function shift(op: 'lshift' | 'rshift', sym: string): OpDef {
  return {
    target: `_operator.${op}`, python: `a ${sym} b`,
    signatures: ['int, int -> int (ValueError on a negative count; << raises OverflowError past 64 bits)'],
    resolve(args) {
      const [a, b] = args;
      if (!isIntLike(a) || !isIntLike(b)) return typeError(sym, args);
      if (isPyNumber(a) && isPyNumber(b)) return { result: T.int, argTypes: [T.int, T.int], lower: fn2(`kr_${op}_i64`) };
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

type Cmp = 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge';
const CMP_SYM: Record<Cmp, string> = { eq: '==', ne: '!=', lt: '<', le: '<=', gt: '>', ge: '>=' };

function comparison(op: Cmp): OpDef {
  const sym = CMP_SYM[op];
  return {
    target: `_operator.${op}`, python: `a ${sym} b`, facts: { compare: op, boolAsInt: true, keepsNoList: 'all' },
    signatures: ['numbers of any kind -> bool (int vs float compared exactly, as Python)'],
    resolve(args) {
      const [a, b] = args;
      if (!isScalarType(a) || !isScalarType(b)) {
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
      if (!isPyNumber(iT) && !isBool(iT) && scalarName(iT) === 'uint64') {
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

const unary: OpDef[] = [
  {
    target: '_operator.neg', python: '-a', facts: { boolAsInt: true }, signatures: ['int -> int (OverflowError for -(-2**63))', 'float -> float', 'bool -> int'],
    resolve([a], _consts, _ops, argFacts) {
      if (!isScalarType(a)) return `bad operand type for unary -: '${pyName(a)}'`;
      if (isBool(a) && argFacts?.[0]?.numpy) return { result: T.bool, argTypes: [T.bool], lower: stmts((_a, _o, cx) => [cx.raise('TypeError', `"${NP_BOOL_NEGATIVE}"`)]) };
      if (isPyInt(a) || isBool(a)) return { result: T.int, argTypes: [T.int], lower: fn1('kr_neg_i64') };
      if (isFloatLike(a)) return { result: a, argTypes: [a], lower: expr((x) => `(-(${x[0]}))`) };
      const c = SCALARS[scalarName(a)!].c;
      return { result: a, argTypes: [a], lower: expr((x) => `((${c})(0 - (uint64_t)(${x[0]})))`) };
    },
  },
  {
    target: '_operator.pos', python: '+a', facts: { boolAsInt: true }, signatures: ['number -> same number (bool -> int)'],
    resolve([a], _consts, _ops, argFacts) {
      if (!isScalarType(a)) return `bad operand type for unary +: '${pyName(a)}'`;
      if (isBool(a) && argFacts?.[0]?.numpy) return "+x of a NumPy bool (an item of a bool array, a comparison of NumPy scalars) is NumPy's UFuncTypeError; write int(x)";
      const r = isBool(a) ? T.int : a;
      return { result: r, argTypes: [r], lower: expr((x) => x[0]) };
    },
  },
  {
    target: '_operator.invert', python: '~a', signatures: ['int -> int', 'bool -> int', 'np.bool_ -> np.bool_ (not)'],
    resolve([a], _consts, _ops, argFacts) {
      if (!isIntLike(a)) return `bad operand type for unary ~: '${pyName(a)}'`;
      if (isBool(a) && argFacts?.[0]?.numpy) return { result: T.bool, argTypes: [T.bool], lower: expr((x) => `(!${x[0]})`) };
      const r: KType = isBool(a) ? T.int : a;
      return { result: r, argTypes: [r], lower: expr((x) => `((${cType(r)})~${x[0]})`) };
    },
  },
  {
    target: '_operator.not_', python: 'not a', signatures: ['any -> bool'], facts: { takesUnions: true },
    resolve([a]) {
      return { result: T.bool, argTypes: [a], lower: expr((x) => `(!${truthExpr(x[0], a)})`) };
    },
  },
];

export const operators: OpDomain = {
  name: 'operators',
  title: 'Operators',
  ops: [
    arithmetic('add', '+'), arithmetic('sub', '-'), arithmetic('mul', '*'), truediv,
    floorOrMod('floordiv', '//'), floorOrMod('mod', '%'),
    { target: '_operator.pow', python: 'a ** b', facts: { boolAsInt: true }, signatures: POWER_SIGNATURES, notes: POWER_NOTES, resolve: resolvePower },
    bitwise('and_', '&'), bitwise('or_', '|'), bitwise('xor', '^'), shift('lshift', '<<'), shift('rshift', '>>'),
    ...(['eq', 'ne', 'lt', 'le', 'gt', 'ge'] as const).map(comparison),
    ...unary,
  ],
};
