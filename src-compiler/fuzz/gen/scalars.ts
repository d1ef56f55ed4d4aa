/**
 * Scalars: int (near the 64-bit edges), float (NaN, infinities, -0.0), bool; every arithmetic, bitwise and
 * shift operator, unary minus on literals and expressions, min/max/abs/round/int/float/bool/divmod/pow, the
 * math functions of the op registry, comparisons (chained), and/or/not, conditional expressions, tuples;
 * statements: assignment (tuple unpacking, swaps), augmented assignment, if/elif/else, for over range(),
 * while with a counter, break/continue, early return, assert, raise.
 */
import type { BinOp, CmpOp, Expr, FuncDef, Param, Stmt, Ty } from '../ast.ts';
import { isScalarTy, sameTy } from '../ast.ts';
import { annotationOf, helperDef, isNumberTy, type ExprRule, type Feature, type Gen, type HelperSig, type StmtRule } from './core.ts';

const lit = (text: string, ty: Ty): Expr => ({ k: 'lit', text, ty });
const bin = (op: BinOp, l: Expr, r: Expr): Expr => ({ k: 'bin', op, l, r });
const call = (fn: string, ...args: Expr[]): Expr => ({ k: 'call', fn, args });
const name = (id: string): Expr => ({ k: 'name', id });

/**
 * The math functions the generator calls: arity, and whether the result is an int or a bool (else float).
 * Checked against the op registry by tests/unit/fuzz.test.ts.
 */
export const MATH_FUNCTIONS: { fn: string; arity: number; result: 'float' | 'int' | 'bool'; intArgs?: boolean }[] = [
  ...['sqrt', 'exp', 'log2', 'log10', 'sin', 'cos', 'tan', 'asin', 'acos', 'atan', 'sinh', 'cosh', 'tanh', 'fabs', 'log'].map((f) => ({ fn: `math.${f}`, arity: 1, result: 'float' as const })),
  ...['log', 'pow', 'atan2', 'hypot', 'copysign', 'fmod'].map((f) => ({ fn: `math.${f}`, arity: 2, result: 'float' as const })),
  ...['floor', 'ceil', 'trunc'].map((f) => ({ fn: `math.${f}`, arity: 1, result: 'int' as const })),
  ...['isnan', 'isinf', 'isfinite'].map((f) => ({ fn: `math.${f}`, arity: 1, result: 'bool' as const })),
  { fn: 'math.gcd', arity: 2, result: 'int', intArgs: true },
];

/** A non-negative int expression of at most `max`, whatever its operand: `(e & 7)`, `e % 6`, or a literal. */
export function boundedInt(g: Gen, max: number, depth: number): Expr {
  const r = g.rng;
  const pow2 = [1, 3, 7, 15, 31, 63].filter((m) => m <= max).pop() ?? 1;
  return r.weighted<() => Expr>([
    [() => lit(String(r.int(0, max)), 'int'), 4],
    [() => bin('&', g.expr(g.intTy(), depth + 1), lit(String(pow2), 'int')), 3],
    [() => bin('%', g.expr('int', depth + 1), lit(String(Math.max(1, max)), 'int')), 2],
  ])();
}

// ---- expression rules ----------------------------------------------------------------------------------

const isInt = (t: Ty) => t === 'int';
const isFloat = (t: Ty) => t === 'float';
const isBool = (t: Ty) => t === 'bool';
const isNum = (t: Ty) => t === 'num';

/** Two operands for an arithmetic op giving `ty`: int from int/bool, float from at least one float, num from a num and an int. */
function arithOperands(g: Gen, ty: Ty, depth: number): [Expr, Expr] {
  let a: Ty, b: Ty;
  if (ty === 'int') [a, b] = [g.intTy(), g.intTy()];
  else if (ty === 'float') [a, b] = ['float', g.numTy()];
  else [a, b] = ['num', g.rng.pick<Ty>(['int', 'bool', 'num'])];
  if (g.rng.chance(0.5)) [a, b] = [b, a];
  return [g.expr(a, depth), g.expr(b, depth)];
}

const exprRules: ExprRule[] = [
  {
    name: 'arith', weight: 10, accepts: (t) => isInt(t) || isFloat(t) || isNum(t),
    build: (g, ty, d) => bin(g.rng.weighted<BinOp>([['+', 3], ['-', 3], ['*', 3], ['//', 1.5], ['%', 1.5]]), ...arithOperands(g, ty, d)),
  },
  {
    name: 'truediv', weight: 3, accepts: isFloat,
    build: (g, _ty, d) => bin('/', g.expr(g.numTy(), d), g.expr(g.numTy(), d)),
  },
  {
    // Powers: an int exponent stays small (CPython would build huge ints); a negative one makes the type depend on the value.
    name: 'pow', weight: 3, accepts: (t) => isInt(t) || isFloat(t) || isNum(t),
    build: (g, ty, d) => {
      const r = g.rng;
      if (ty === 'int') return bin('**', g.expr(g.intTy(), d), r.chance(0.5) ? lit(String(r.int(0, 5)), 'int') : boundedInt(g, 7, d));
      if (ty === 'num') return bin('**', g.expr('int', d), { k: 'unary', op: '-', e: boundedInt(g, 3, d) });
      return r.weighted<() => Expr>([
        [() => bin('**', g.expr('float', d), lit(r.pick(['2', '3', '0.5', '-1', '-2', '0', '1.5', '-0.5']), 'float')), 3],
        [() => bin('**', g.expr('float', d), g.expr('float', d)), 2],
        [() => bin('**', g.expr(g.intTy(), d), lit(String(-r.int(1, 3)), 'int')), 1], // int ** negative literal: a float
        [() => bin('**', g.expr(g.intTy(), d), g.expr('float', d)), 1],
        [() => call('pow', g.expr('float', d), g.expr(g.numTy(), d)), 1],
      ])();
    },
  },
  {
    name: 'shift', weight: 3, accepts: isInt,
    build: (g, _ty, d) => {
      const r = g.rng;
      const count = r.weighted<() => Expr>([[() => lit(String(r.int(0, 66)), 'int'), 3], [() => boundedInt(g, 63, d), 3], [() => lit(String(-r.int(1, 2)), 'int'), 0.3]])();
      return bin(r.chance(0.5) ? '<<' : '>>', g.expr(g.intTy(), d), count);
    },
  },
  {
    name: 'bitwise', weight: 3, accepts: (t) => isInt(t) || isBool(t),
    build: (g, ty, d) => {
      const op = g.rng.pick<BinOp>(['&', '|', '^']);
      if (ty === 'bool') return bin(op, g.expr('bool', d), g.expr('bool', d));
      const [a, b]: Ty[] = g.rng.chance(0.8) ? ['int', g.intTy()] : [g.intTy(), 'int'];
      return bin(op, g.expr(a, d), g.expr(b, d));
    },
  },
  {
    // Unary minus on literals (negated negative literals: -(-1), --0.0) and on expressions; ~ and + too.
    name: 'unary', weight: 4, accepts: (t) => isInt(t) || isFloat(t) || isNum(t),
    build: (g, ty, d) => {
      const r = g.rng;
      if (ty === 'int' && r.chance(0.25)) return { k: 'unary', op: '~', e: g.expr(g.intTy(), d) };
      const op = r.chance(0.85) ? '-' : '+';
      const operand = ty === 'int' ? g.intTy() : ty;
      const e = r.chance(0.3) ? g.literal(operand === 'bool' ? 'bool' : operand === 'num' ? 'int' : operand) : g.expr(operand, d);
      if (ty === 'num' && e.k === 'lit') return g.leaf('num');
      return { k: 'unary', op, e };
    },
  },
  {
    name: 'abs', weight: 2, accepts: (t) => isInt(t) || isFloat(t) || isNum(t),
    build: (g, ty, d) => call('abs', g.expr(ty === 'int' ? g.intTy() : ty, d)),
  },
  {
    // min/max of one type; in a mixed program of an int and a float, whose result type depends on the values.
    name: 'minmax', weight: 3, accepts: (t) => isInt(t) || isFloat(t) || isNum(t),
    build: (g, ty, d) => {
      const fn = g.rng.pick(['min', 'max']);
      const n = g.rng.weighted<number>([[2, 4], [3, 1]]);
      const types: Ty[] = ty === 'num' ? ['int', 'float', ...(n === 3 ? [g.numTy()] : [])] : Array(n).fill(ty);
      return call(fn, ...g.rng.chance(0.5) ? types.map((t) => g.expr(t, d)) : types.reverse().map((t) => g.expr(t, d)));
    },
  },
  {
    name: 'int()', weight: 2, accepts: isInt,
    build: (g, _ty, d) => call('int', g.expr(g.rng.weighted<Ty>([['float', 4], ['int', 1], ['bool', 0.5], ['num', g.mixed ? 1 : 0]]), d)),
  },
  {
    name: 'float()', weight: 2, accepts: isFloat,
    build: (g, _ty, d) => call('float', g.expr(g.numTy(), d)),
  },
  {
    name: 'bool()', weight: 1, accepts: isBool,
    build: (g, _ty, d) => call('bool', g.expr(g.numTy(), d)),
  },
  {
    // round(x) is an int; round(float, n) a float; round(int, n) an int.
    name: 'round', weight: 2, accepts: (t) => isInt(t) || isFloat(t),
    build: (g, ty, d) => {
      const r = g.rng;
      const nd = () => (r.chance(0.7) ? lit(String(r.int(-3, 4)), 'int') : g.expr('int', d));
      if (ty === 'float') return call('round', g.expr('float', d), nd());
      return r.weighted<() => Expr>([[() => call('round', g.expr('float', d)), 4], [() => call('round', g.expr('int', d)), 1], [() => call('round', g.expr('int', d), nd()), 1]])();
    },
  },
  {
    name: 'divmod', weight: 1.5, accepts: (t) => isInt(t) || isFloat(t),
    build: (g, ty, d) => {
      const [a, b] = ty === 'int' ? [g.intTy(), 'int' as Ty] : g.rng.chance(0.5) ? ['float' as Ty, g.numTy()] : [g.numTy(), 'float' as Ty];
      if (b === 'num' || a === 'num') return undefined;
      return { k: 'index', e: call('divmod', g.expr(a, d), g.expr(b, d)), i: lit(String(g.rng.int(0, 1)), 'int') };
    },
  },
  {
    // Modular pow: the exponent may be negative (an inverse); a zero modulus raises ValueError.
    name: 'powmod', weight: 0.7, accepts: isInt,
    build: (g, _ty, d) => call('pow', g.expr('int', d), g.rng.chance(0.8) ? boundedInt(g, 15, d) : lit('-1', 'int'), g.expr('int', d)),
  },
  {
    name: 'math', weight: 5, accepts: (t) => isFloat(t) || isInt(t) || isBool(t),
    build: (g, ty, d) => {
      const fns = MATH_FUNCTIONS.filter((f) => f.result === ty);
      const f = g.rng.pick(fns);
      return call(f.fn, ...Array.from({ length: f.arity }, () => g.expr(f.intArgs ? g.intTy() : g.numTy(), d)));
    },
  },
  {
    name: 'compare', weight: 6, accepts: isBool,
    build: (g, _ty, d) => {
      const n = g.rng.weighted<number>([[2, 5], [3, 1.5], [4, 0.3]]);
      const items = Array.from({ length: n }, () => g.expr(g.numTy(), d));
      const ops = Array.from({ length: n - 1 }, () => g.rng.pick<CmpOp>(['<', '<=', '>', '>=', '==', '!=']));
      return { k: 'cmp', ops, items };
    },
  },
  {
    name: 'not', weight: 1.5, accepts: isBool,
    build: (g, _ty, d) => ({ k: 'unary', op: 'not', e: g.expr(g.rng.chance(0.6) ? 'bool' : g.numTy(), d) }),
  },
  {
    // and/or return an operand: of one type, or in a mixed program of two (the result's type depends on the values).
    name: 'boolop', weight: 2.5, accepts: (t) => isScalarTy(t),
    build: (g, ty, d) => {
      const op = g.rng.pick<'and' | 'or'>(['and', 'or']);
      const n = g.rng.weighted<number>([[2, 4], [3, 1]]);
      const types: Ty[] = ty === 'num' ? ['int', 'float', ...(n === 3 ? ['num' as Ty] : [])] : Array(n).fill(ty);
      return { k: 'boolop', op, items: types.map((t) => g.expr(t, d)) };
    },
  },
  {
    name: 'ifexp', weight: 2.5, accepts: () => true,
    build: (g, ty, d) => {
      const test = g.expr(g.rng.chance(0.8) ? 'bool' : g.numTy(), d);
      if (ty === 'num') return g.rng.chance(0.5) ? { k: 'ifexp', test, body: g.expr('int', d), orelse: g.expr('float', d) } : { k: 'ifexp', test, body: g.expr('float', d), orelse: g.expr('int', d) };
      return { k: 'ifexp', test, body: g.expr(ty, d), orelse: g.expr(ty, d) };
    },
  },
  {
    name: 'tuple', weight: 1, accepts: (t) => typeof t === 'object' && 'tuple' in t,
    build: (g, ty, d) => ({ k: 'tuple', items: (ty as { tuple: Ty[] }).tuple.map((t) => g.expr(t, d)) }),
  },
  {
    // An item of a tuple variable, or len() of one.
    name: 'tuple item', weight: 2, accepts: (t, g) => isScalarTy(t) && g.allVars((v) => typeof v.ty === 'object' && 'tuple' in v.ty).length > 0,
    build: (g, ty) => {
      const tuples = g.allVars((v) => typeof v.ty === 'object' && 'tuple' in v.ty);
      for (const v of tuples) {
        const items = (v.ty as { tuple: Ty[] }).tuple;
        const i = items.findIndex((t) => sameTy(t, ty));
        if (i >= 0) return { k: 'index', e: name(v.name), i: lit(String(g.rng.chance(0.3) ? i - items.length : i), 'int') };
        if (ty === 'int' && g.rng.chance(0.3)) return call('len', name(v.name));
      }
      return undefined;
    },
  },
  {
    name: 'helper call', weight: 5, accepts: (t, g) => g.helpers.some((h) => sameTy(h.ret, t) && h.name !== g.current),
    build: (g, ty, d) => {
      const h = g.rng.pick(g.helpers.filter((x) => sameTy(x.ret, ty) && x.name !== g.current));
      // An int where the helper's parameter says float is still Python (the helper is specialised for it).
      return call(h.name, ...h.params.map((t, i) => (h.depthParams?.includes(i) ? boundedInt(g, 15, d) : g.expr(t === 'float' && g.mixed && g.rng.chance(0.15) ? 'int' : t, d))));
    },
  },
  {
    // An assignment expression: rebinds a variable of the same type in the middle of an expression (x + (x := 5) adds the old x).
    name: 'walrus', weight: 1, accepts: (t, g) => isScalarTy(t) && g.writable((v) => sameTy(v.ty, t)).length > 0,
    build: (g, ty, d) => ({ k: 'walrus', target: g.rng.pick(g.writable((v) => sameTy(v.ty, ty))).name, value: g.expr(ty, d) }),
  },
  {
    name: 'parens', weight: 0.5, accepts: (t) => isScalarTy(t),
    build: (g, ty, d) => ({ k: 'paren', e: g.expr(ty, d) }),
  },
];

// ---- statement rules -----------------------------------------------------------------------------------

const AUG_OPS: Record<string, [BinOp, number][]> = {
  int: [['+', 3], ['-', 3], ['*', 2], ['//', 1], ['%', 1], ['&', 1], ['|', 1], ['^', 1], ['<<', 1], ['>>', 1], ['**', 0.5]],
  float: [['+', 3], ['-', 3], ['*', 2], ['/', 2], ['//', 1], ['%', 1], ['**', 0.5]],
  bool: [['&', 1], ['|', 1], ['^', 1]],
};

function augValue(g: Gen, ty: Ty, op: BinOp): Expr {
  if (op === '<<' || op === '>>') return boundedInt(g, 63, 1);
  if (op === '**') return ty === 'int' ? boundedInt(g, 4, 1) : g.expr(g.rng.chance(0.5) ? 'float' : 'int', 1);
  if (ty === 'int' || ty === 'bool') return g.expr(ty === 'bool' ? 'bool' : g.intTy(), 1);
  return g.expr(g.numTy(), 1);
}

/** A range() whose trip count is small whatever the inputs: bounds `(e & 7)`, `e % 6`, small literals, a step of +-1..3. */
function rangeArgs(g: Gen): Expr[] {
  const r = g.rng;
  const small = (lo: number, hi: number) => lit(String(r.int(lo, hi)), 'int');
  return r.weighted<() => Expr[]>([
    [() => [boundedInt(g, 7, 1)], 4],
    [() => [r.chance(0.5) ? small(-3, 3) : boundedInt(g, 3, 1), boundedInt(g, 8, 1)], 2],
    [() => {
      const step = r.pick([-3, -2, -1, 1, 2, 3]);
      return step > 0 ? [small(-2, 2), boundedInt(g, 9, 1), lit(String(step), 'int')] : [boundedInt(g, 9, 1), small(-3, 1), lit(String(step), 'int')];
    }, 1.5],
    [() => [small(0, 3), small(0, 5), r.chance(0.5) ? lit('0', 'int') : g.expr('int', 1)], 0.15], // step 0 raises ValueError; a variable step is any int
  ])();
}

/** A condition: a bool, or a number's truth value. */
const condition = (g: Gen): Expr => g.expr(g.rng.chance(0.8) ? 'bool' : g.numTy(), 0);

const stmtRules: StmtRule[] = [
  {
    name: 'assign', weight: 10,
    build: (g) => {
      const ty = g.localTy();
      const value = g.expr(ty, 0);
      const v = g.define(g.fresh('v'), ty);
      return [{ k: 'assign', targets: [v.name], value }];
    },
  },
  {
    // Reassigning a variable: the same type, or in a mixed program (outside loops) another number type.
    name: 'reassign', weight: 5, when: (g) => g.writable((v) => isScalarTy(v.ty)).length > 0,
    build: (g) => {
      const v = g.rng.pick(g.writable((x) => isScalarTy(x.ty)));
      const change = g.mixed && g.loopDepth === 0 && isNumberTy(v.ty) && g.rng.chance(0.25);
      const ty: Ty = change ? (v.ty === 'float' ? 'int' : 'float') : v.ty;
      const value = g.expr(ty, 0);
      if (change) v.ty = 'num';
      return [{ k: 'assign', targets: [v.name], value }];
    },
  },
  {
    name: 'augassign', weight: 6, when: (g) => g.writable((v) => v.ty === 'int' || v.ty === 'float' || v.ty === 'bool').length > 0,
    build: (g) => {
      const v = g.rng.pick(g.writable((x) => x.ty === 'int' || x.ty === 'float' || x.ty === 'bool'));
      // x /= 2 on an int, or x += 0.5: the variable becomes a float (mixed programs, outside loops).
      if (g.mixed && g.loopDepth === 0 && v.ty === 'int' && g.rng.chance(0.2)) {
        const op = g.rng.pick<BinOp>(['/', '+', '*']);
        const value = op === '/' ? g.expr(g.numTy(), 1) : g.expr('float', 1);
        v.ty = 'num';
        return [{ k: 'aug', target: v.name, op, value, ty: 'float' }];
      }
      const op = g.rng.weighted(AUG_OPS[v.ty as string]);
      return [{ k: 'aug', target: v.name, op, value: augValue(g, v.ty, op), ty: v.ty }];
    },
  },
  {
    name: 'unpack', weight: 2.5,
    build: (g) => {
      const r = g.rng;
      const swap = g.writable((v) => isScalarTy(v.ty));
      const pairs = swap.flatMap((a) => swap.filter((b) => b !== a && sameTy(a.ty, b.ty)).map((b) => [a, b] as const));
      if (pairs.length && r.chance(0.3)) {
        const [a, b] = r.pick(pairs);
        return [{ k: 'assign', targets: [a.name, b.name], value: { k: 'tuple', items: [{ k: 'name', id: b.name }, { k: 'name', id: a.name }] } }];
      }
      if (r.chance(0.3)) {
        const ty: Ty = r.chance(0.5) ? 'int' : 'float';
        const [x, y] = ty === 'int' ? ['int', g.intTy()] as Ty[] : ['float', g.numTy()] as Ty[];
        if (y === 'num') return undefined;
        const value = call('divmod', g.expr(x, 1), g.expr(y, 1));
        return [{ k: 'assign', targets: [g.define(g.fresh('q'), ty).name, g.define(g.fresh('m'), ty).name], value }];
      }
      const tuples = g.allVars((v) => typeof v.ty === 'object' && 'tuple' in v.ty);
      if (tuples.length && r.chance(0.4)) {
        const t = r.pick(tuples);
        const items = (t.ty as { tuple: Ty[] }).tuple;
        return [{ k: 'assign', targets: items.map((it) => g.define(g.fresh('u'), it).name), value: { k: 'name', id: t.name } }];
      }
      const types = [g.localTy(), g.localTy()].map((t) => (isScalarTy(t) ? t : 'int'));
      const value: Expr = { k: 'tuple', items: types.map((t) => g.expr(t, 1)) };
      return [{ k: 'assign', targets: types.map((t) => g.define(g.fresh('v'), t).name), value }];
    },
  },
  {
    name: 'if', weight: 6, when: (g) => g.budget > 1,
    build: (g) => {
      const r = g.rng;
      const test = condition(g);
      const body = g.nested(() => g.block(r.int(1, 3)));
      let orelse: Stmt[] = [];
      const kind = r.weighted<string>([['none', 3], ['else', 3], ['elif', 2]]);
      if (kind === 'else') orelse = g.nested(() => g.block(r.int(1, 3)));
      if (kind === 'elif') {
        const t2 = condition(g);
        const b2 = g.nested(() => g.block(r.int(1, 2)));
        const e2 = r.chance(0.5) ? g.nested(() => g.block(r.int(1, 2))) : [];
        orelse = [{ k: 'if', test: t2, body: b2, orelse: e2 }];
      }
      return [{ k: 'if', test, body, orelse }];
    },
  },
  {
    name: 'for range', weight: 4, when: (g) => g.loopDepth < 2 && g.budget > 1,
    build: (g) => {
      const args = rangeArgs(g);
      const v = g.fresh('i');
      g.loopDepth++;
      const body = g.nested(() => {
        g.define(v, 'int');
        return g.block(g.rng.int(1, 3));
      });
      g.loopDepth--;
      // The else clause runs after the loop, outside it (break and continue there belong to an outer loop).
      const orelse = g.rng.chance(0.1) ? g.nested(() => g.block(1)) : [];
      // The loop variable is unbound after a loop that ran zero times.
      g.scope.maybe.push({ name: v, ty: 'int' });
      return [{ k: 'for', v, args, body, orelse }];
    },
  },
  {
    // while: a fresh counter, incremented first in the body, bounds the trip count (continue stays safe).
    name: 'while', weight: 2.5, when: (g) => g.loopDepth < 2 && g.budget > 1,
    build: (g) => {
      const r = g.rng;
      const k = g.fresh('k');
      const init: Stmt = { k: 'assign', targets: [k], value: lit('0', 'int') };
      g.define(k, 'int').readonly = true;
      const limit = r.chance(0.6) ? lit(String(r.int(1, 6)), 'int') : boundedInt(g, 7, 1);
      const counterTest: Expr = { k: 'cmp', ops: ['<'], items: [{ k: 'name', id: k }, limit] };
      const infinite = r.chance(0.2);
      const test: Expr = infinite ? lit('True', 'bool') : r.chance(0.3) ? { k: 'boolop', op: 'and', items: [counterTest, condition(g)] } : counterTest;
      g.loopDepth++;
      const body = g.nested(() => [
        ...(infinite ? [{ k: 'if', test: { k: 'cmp', ops: ['>='], items: [{ k: 'name', id: k }, limit] }, body: [{ k: 'break' }], orelse: [] } as Stmt] : []),
        { k: 'aug', target: k, op: '+', value: lit('1', 'int'), ty: 'int' } as Stmt,
        ...g.block(r.int(1, 3)),
      ]);
      g.loopDepth--;
      const orelse = !infinite && r.chance(0.15) ? g.nested(() => g.block(1)) : [];
      return [init, { k: 'while', test, body, orelse }];
    },
  },
  {
    name: 'break/continue', weight: 2, when: (g) => g.loopDepth > 0,
    build: (g) => {
      const s: Stmt = { k: g.rng.chance(0.5) ? 'break' : 'continue' };
      return g.rng.chance(0.8) ? [{ k: 'if', test: condition(g), body: [s], orelse: [] }] : [s];
    },
  },
  {
    name: 'early return', weight: 1.5,
    build: (g) => [{ k: 'if', test: condition(g), body: [{ k: 'return', value: g.returnValue(1) }], orelse: [] }],
  },
  {
    name: 'assert', weight: 0.4,
    build: (g) => [{ k: 'assert', test: condition(g), msg: g.rng.chance(0.5) ? 'fuzz assertion' : undefined }],
  },
  {
    name: 'raise', weight: 0.3,
    build: (g) => [{ k: 'if', test: condition(g), body: [{ k: 'raise', exc: g.rng.pick(['ValueError', 'ZeroDivisionError', 'OverflowError']), msg: 'fuzz raise' }], orelse: [] }],
  },
  { name: 'pass', weight: 0.2, build: () => [{ k: 'pass' }] },
];

export const scalars: Feature = {
  name: 'scalars',
  summary: 'int near the 64-bit edges, float with NaN/inf/-0.0, bool, tuples; every operator, min/max/abs/round/int/float/bool/divmod/pow, math.*, comparisons, and/or/not, if/elif/else, for range, while, break/continue, helpers, recursion',
  paramTypes: [['int', 5], ['float', 5], ['bool', 1], [{ tuple: ['int', 'float'] }, 0.3], [{ tuple: ['float', 'float'] }, 0.2]],
  localTypes: [['int', 4], ['float', 4], ['bool', 1.5], [{ tuple: ['int', 'float'] }, 0.4], [{ tuple: ['int', 'int'] }, 0.3], ['num', 1.2]],
  exprs: exprRules,
  stmts: stmtRules,
};

// ---- module constants, helpers and recursion (used by gen/index.ts for every program) ---------------

/**
 * A module-level constant's value: arithmetic on literals and earlier constants that CPython evaluates at import
 * without raising (divisors are non-zero literals, powers small), though it may leave 64 bits or reach infinity.
 */
export function constantValue(g: Gen, ty: 'int' | 'float', depth = 0): Expr {
  const r = g.rng;
  const earlier = g.constants.filter((v) => v.ty === ty);
  if (depth >= 2 || r.chance(0.3)) return earlier.length && r.chance(0.4) ? name(r.pick(earlier).name) : g.literal(ty);
  const sub = (t: 'int' | 'float') => constantValue(g, t, depth + 1);
  const nonZero = () => lit(r.pick(['3', '-2', '7', '1', '-1', '64']), 'int');
  if (ty === 'int') {
    return r.weighted<() => Expr>([
      [() => bin(r.pick<BinOp>(['+', '-', '*', '&', '|', '^']), sub('int'), sub('int')), 5],
      [() => bin(r.pick<BinOp>(['//', '%']), sub('int'), nonZero()), 2],
      [() => bin(r.pick<BinOp>(['<<', '>>']), sub('int'), lit(String(r.int(0, 64)), 'int')), 1.5],
      [() => bin('**', sub('int'), lit(String(r.int(0, 4)), 'int')), 1],
      [() => ({ k: 'unary', op: r.pick(['-', '~'] as const), e: sub('int') }), 1.5],
    ])();
  }
  return r.weighted<() => Expr>([
    [() => bin(r.pick<BinOp>(['+', '-', '*']), sub('float'), sub(r.chance(0.7) ? 'float' : 'int')), 5],
    [() => bin('/', sub(r.chance(0.5) ? 'float' : 'int'), nonZero()), 2],
    [() => ({ k: 'unary', op: '-', e: sub('float') }), 1.5],
  ])();
}

/** A helper of the entry: parameters of scalar types, a small body, a return. */
export function scalarHelper(g: Gen, name: string): { def: FuncDef; sig: HelperSig } {
  const r = g.rng;
  const n = r.int(1, 3);
  const params: Param[] = Array.from({ length: n }, (_, i) => {
    const ty = r.weighted<Ty>([['int', 4], ['float', 4], ['bool', 1]]);
    return { name: ['x', 'y', 'z'][i], ty, annotation: r.chance(0.6) ? annotationOf(ty) : undefined };
  });
  const ret = g.mixed && r.chance(0.2) ? 'num' : r.weighted<Ty>([['int', 4], ['float', 4], ['bool', 1]]);
  g.current = name;
  const body = g.functionBody(params, ret, r.int(1, 4));
  return { def: helperDef(name, params, ret, body, r.chance(0.5)), sig: { name, params: params.map((p) => p.ty), ret } };
}

/**
 * A recursive helper with a depth parameter: `if n <= 0: return base` then a return through itself with
 * `n - 1`. Callers pass a bounded depth, so CPython and Kiln recurse at most 15 times.
 */
export function recursiveHelper(g: Gen, name: string): { def: FuncDef; sig: HelperSig } {
  const r = g.rng;
  const accTy = r.weighted<Ty>([['int', 1], ['float', 1]]);
  const params: Param[] = [{ name: 'n', ty: 'int', annotation: 'int' }, { name: 'acc', ty: accTy, annotation: r.chance(0.7) ? annotationOf(accTy) : undefined }];
  g.current = name;
  g.scope = { defs: params.map((p) => ({ name: p.name, ty: p.ty, readonly: p.name === 'n' })), maybe: [] };
  g.loopDepth = 0;
  g.iterating = new Set();
  g.budget = 2;
  g.returnTy = accTy;
  const base: Stmt = { k: 'if', test: { k: 'cmp', ops: ['<='], items: [name_('n'), lit('0', 'int')] }, body: [{ k: 'return', value: g.expr(accTy, 2) }], orelse: [] };
  const middle = g.block(r.int(0, 2));
  const self: Expr = call(name, bin('-', name_('n'), lit('1', 'int')), g.expr(accTy, 2));
  const combine: Expr = r.chance(0.5) ? self : bin(r.pick<BinOp>(['+', '-', '*']), self, g.expr(accTy === 'float' ? 'float' : g.intTy(), 2));
  const body: Stmt[] = [base, ...middle, { k: 'return', value: combine }];
  return { def: helperDef(name, params, accTy, body, r.chance(0.6)), sig: { name, params: ['int', accTy], ret: accTy, depthParams: [0] } };
}

const name_ = name;
