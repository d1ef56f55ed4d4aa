/**
 * Verification tolerance: how far a compiled function's float results may be from CPython's (with NumPy) and still
 * be right. Arithmetic, comparisons, conversions and sums in a defined order give NumPy's bits, and are compared bit
 * for bit. Two kinds of op do not (OpFacts.inexact): NumPy's transcendental ufuncs (np.exp, np.sin, ...; NumPy's own
 * results differ between CPUs, and Kiln's are within a bound in ULPs of the exact value, as NumPy's are within
 * theirs), and products whose sums NumPy's BLAS adds in an order of its own (matmul, dot, einsum).
 *
 * The analysis follows every float value of a function from those ops to its results (returned values and arrays it
 * writes), with a bound on its relative error in units of u = 2**-53, forward over the typed IR:
 * - an `ulps` op of exact arguments: Kiln's bound plus NumPy's (both in ULPs of the result's dtype);
 * - its error grows by the op's `growth` when its argument is already inexact (sqrt 1/2, tanh 1); without a growth
 *   (exp, log, sin of an inexact argument) the bound is lost;
 * - a product or quotient (OpFacts.rounding 'product'): the operands' errors add, plus both sides' rounding;
 * - a sum ('sum'): the larger error plus both sides' rounding when no cancellation can happen (both operands never
 *   negative); a difference, or a sum of values of either sign, loses the bound;
 * - a pairwise reduction ('pairwise', np.sum and np.mean of never-negative values): the error plus the rounding of
 *   at most 64 levels of additions on each side;
 * - selections and views ('same', and loads and views by their facts): the error passes unchanged;
 * - anything else that takes an inexact float loses the bound; a 'reassociated' product of floats has none.
 * A value written into an array makes the array (and its views) as inexact. Helpers of the module are analysed with
 * their arguments' errors. Loops are iterated until the bounds settle (3 rounds; a bound still growing is lost).
 *
 * The result, per exported function: 'exact' (bit for bit), 'ulps' (every float within that many ULPs of CPython's
 * value), or 'loose' (a bound was lost: each float within a relative 2**-26 (float64) or 2**-11 (float32) of the
 * largest magnitude in its result, NumPy's own cross-platform test tolerances' order). run/verify.ts compares so
 * and says which ops made it inexact.
 *
 * A second analysis (`libc`) is for harnesses whose C library is not glibc (musl, wasi-libc: wasm32 and the qemu
 * targets): there the C library's functions (OpFacts.libc: math.log, math.erf, random.gauss, cmath.exp, abs of a
 * complex, ...) count as `ulps` ops too, since CPython built for such a target would give the results that C library
 * gives, not glibc's; one whose bound is 'loose' (a complex `**`) loses the bound there.
 *
 * A complex value carries one bound for both parts, each part within it in its own ULPs (run/values.ts closeValue
 * compares them so); the rules above hold part by part ('same' for .real and .imag), and a product or quotient of
 * two complex numbers, a difference of products, loses it (complex.ts says so for its resolutions).
 *
 * Always on: it decides verification, not speed.
 */
import { UnionFind } from './unionFind.ts';
import { isRef, type Arg, type IRNode } from '../ir/ir.ts';
import { lookupConstant, lookupOp, type OpFacts } from '../types/ops/index.ts';
import type { TypedFunction, TypedProgram } from '../types/typecheck.ts';
import type { KType } from '../types/types.ts';
import type { Tolerance } from '../lower/abi.ts';
import { FunctionTypes, resolvedOf } from './typed.ts';


/** An error bound in units of u = 2**-53 (Infinity: lost), the ops it came from, and why it was lost. */
interface Err { r: number; via: Set<string>; why?: string }
const EXACT: Err = { r: 0, via: new Set() };
const LIMIT = 2 ** 40;

/** The unit roundoff of a dtype, in units of 2**-53: one rounding of a float32 result is 2**29 of them. */
const unit = (t: KType | undefined): number => (t && ((t.kind === 'scalar' && t.name === 'float32') || (t.kind === 'array' && t.dtype === 'float32')) ? 2 ** 29 : 1);
/** A type that holds floats: a float, a complex (two), arrays of them, tuples and lists holding one. */
const isFloat = (t: KType | undefined): boolean =>
  !!t && ((t.kind === 'scalar' && ['float', 'float64', 'float32'].includes(t.name)) || t.kind === 'complex'
    || (t.kind === 'array' && ['float64', 'float32', 'complex128'].includes(t.dtype))
    || (t.kind === 'tuple' && t.items.some(isFloat)) || (t.kind === 'list' && isFloat(t.item)));

/** A type no float can hide in (an int, a bool, a str, None): its values carry no float error, whatever made them. */
const floatFree = (t: KType | undefined): boolean =>
  !!t && ((t.kind === 'scalar' && !isFloat(t)) || t.kind === 'str' || t.kind === 'char' || t.kind === 'bytes' || t.kind === 'none');

function join(a: Err, b: Err): Err {
  if (a === EXACT) return b;
  if (b === EXACT) return a;
  return { r: Math.max(a.r, b.r), via: new Set([...a.via, ...b.via]), why: a.why ?? b.why };
}
const lost = (via: Set<string>, why: string): Err => ({ r: Infinity, via, why });

/** The tolerances of every exported function (by its specialisation key); `libc`: on a C library other than glibc. */
export function tolerance(program: TypedProgram, libc = false): Record<string, Tolerance> {
  const byKey = new Map(program.functions.map((f) => [f.key, f]));
  const memo = new Map<string, { result: Err; params: Err[] }>();
  const analyse = (f: TypedFunction, paramErr: Err, depth: number): { result: Err; params: Err[] } => {
    const key = `${f.key}@${paramErr.r}`;
    const known = memo.get(key);
    if (known) return known;
    // Recursion: a cycle is analysed once more with everything unknown lost (conservative).
    memo.set(key, { result: lost(paramErr.via, 'a recursive function'), params: f.ir.params.map(() => EXACT) });
    const out = analyseFunction(f, paramErr, libc, (calleeKey, argErr) => {
      const callee = byKey.get(calleeKey);
      return callee && depth < 20 ? analyse(callee, argErr, depth + 1) : { result: lost(argErr.via, 'a deep chain of calls'), params: [] };
    });
    memo.set(key, out);
    return out;
  };
  const result: Record<string, Tolerance> = {};
  // Each exported function and its specialisations for other argument types (types/tower.ts): each has its own.
  for (const f of program.entries.flatMap((e) => [e, ...(e.variants ?? [])])) {
    const { result: r, params } = analyse(f, EXACT, 0);
    const total = params.reduce(join, r);
    result[f.key] = toTolerance(total, f.returnType);
  }
  return result;
}

function toTolerance(e: Err, t: KType): Tolerance {
  if (e.r === 0) return { kind: 'exact' };
  const via = [...new Set([...e.via].map(shown))].sort();
  if (!Number.isFinite(e.r) || e.r > LIMIT) return { kind: 'loose', via, why: e.why ?? 'the error bound grew too large' };
  return { kind: 'ulps', ulps: Math.ceil(e.r / unit(t)), via };
}

type CalleeAnalysis = (key: string, argErr: Err) => { result: Err; params: Err[] };

/** One function: the error of its result, and of each array parameter it writes. */
function analyseFunction(f: TypedFunction, paramErr: Err, libc: boolean, callee: CalleeAnalysis): { result: Err; params: Err[] } {
  const types = new FunctionTypes(f);
  const err = new Map<string, Err>();
  const nonNeg = new Set<string>();
  // Arrays that share memory (views, aliases through assignments and in-place ops) share one error: union-find.
  const shared = new UnionFind<string>();
  const find = (x: string): string => shared.find(x);
  const union = (a: string, b: string) => {
    const [ra, rb] = [find(a), find(b)];
    if (shared.union(ra, rb)) err.set(rb, join(err.get(ra) ?? EXACT, err.get(rb) ?? EXACT));
  };
  const holdsArray = (t: KType | undefined) => !!t && (t.kind === 'array' || t.kind === 'list' || (t.kind === 'tuple' && t.items.some(holdsArray)));
  const name = (a: Arg) => (isRef(a) ? a.ref : undefined);
  const get = (a: Arg | undefined): Err => {
    if (!a || !isRef(a)) return EXACT;
    return err.get(holdsArray(types.of(a)) ? find(a.ref) : a.ref) ?? EXACT;
  };
  const put = (target: string, t: KType | undefined, e: Err): boolean => {
    if (floatFree(t)) return false;
    const k = holdsArray(t) ? find(target) : target;
    const prev = err.get(k) ?? EXACT;
    const next = join(prev, e);
    if (next.r === prev.r && next.via.size === prev.via.size) return false;
    err.set(k, next);
    return true;
  };
  const neverNegative = (a: Arg): boolean => (isRef(a) ? nonNeg.has(a.ref) : a.const.kind === 'float' ? !a.const.repr.startsWith('-') : a.const.kind === 'int' ? !a.const.value.startsWith('-') : true);
  f.ir.params.forEach((p, i) => { if (isFloat(f.paramTypes[i])) err.set(p.name, paramErr); });

  let resultErr: Err = EXACT;
  let changed = true;
  const step = (n: IRNode) => {
    if (n.op === 'assign') {
      const src = n.args[0];
      if (holdsArray(types.of(src)) && name(src)) union(n.target, name(src)!);
      if (put(n.target, types.of(src), get(src))) changed = true;
      if (isRef(src) && nonNeg.has(src.ref) && !nonNeg.has(n.target)) { nonNeg.add(n.target); changed = true; }
      return;
    }
    if (n.op === 'output') {
      if (n.args.length) resultErr = join(resultErr, get(n.args[0]));
      return;
    }
    if (n.op === 'constant') {
      const v = lookupConstant(n.target)?.value;
      if ((v !== undefined && v >= 0) || (n.args[0] && !isRef(n.args[0]) && neverNegative(n.args[0]))) nonNeg.add(n.name);
      return;
    }
    if (n.op !== 'call_function') return;
    const calleeKey = f.calls.get(n.name);
    const argErrs = n.args.map(get);
    const inErr = argErrs.reduce(join, EXACT);
    if (calleeKey) {
      const c = callee(calleeKey, inErr);
      if (put(n.name, n.type, c.result)) changed = true;
      c.params.forEach((e, i) => { if (e.r > 0 && n.args[i] && name(n.args[i])) if (put(name(n.args[i])!, types.of(n.args[i]), e)) changed = true; });
      return;
    }
    const r = resolvedOf(f, n);
    // A builtin called as a function value (fixed_point(math.cos, x)'s g(x)) has that op's facts.
    const fnValue = n.target === 'kiln.call' ? types.of(n.args[0]) : undefined;
    const own: OpFacts = r?.facts ?? (fnValue?.kind === 'builtin' ? lookupOp(fnValue.target)?.facts : undefined) ?? {};
    const facts: OpFacts = libc && typeof own.libc === 'number' && !own.inexact ? { ...own, inexact: { kind: 'ulps', kiln: own.libc, numpy: 0 } } : own;
    const op = fnValue?.kind === 'builtin' ? { ...n, target: fnValue.target } : n;
    const e = libc && own.libc === 'loose'
      ? lost(new Set([...inErr.via, op.target]), `${shown(op.target)} of the C library has no bound in ULPs for each part of a complex`)
      : opError(op, facts, argErrs, inErr, n.args.map(neverNegative), unit(n.type));
    if (holdsArray(n.type)) {
      const aliased = facts.aliases === 'all' ? n.args : (facts.aliases ?? []).map((k) => n.args[k]);
      for (const a of aliased) if (a && name(a) && holdsArray(types.of(a))) union(n.name, name(a)!);
    }
    if (put(n.name, n.type, e)) changed = true;
    // Stores and in-place ops: what they write makes the array (and everything sharing it) as inexact.
    for (const k of facts.writes ?? []) {
      const target = n.args[k];
      const written = facts.subscript === 'store' ? argErrs[argErrs.length - 1] : e;
      if (target && name(target) && put(name(target)!, types.of(target), written)) changed = true;
    }
    if (isNonNegative(facts, n, neverNegative) && !nonNeg.has(n.name)) { nonNeg.add(n.name); changed = true; }
  };
  const walk = (nodes: IRNode[]) => {
    for (const n of nodes) {
      step(n);
      for (const reg of n.regions ?? []) walk(reg.nodes);
    }
  };
  // Flow-insensitive: iterate to a fixed point; bounds that keep growing (a loop accumulating error) are lost.
  for (let round = 0; changed; round++) {
    changed = false;
    resultErr = EXACT;
    walk(f.ir.nodes);
    if (round === 3 && changed) {
      for (const [k, v] of err) if (v.r > 0) err.set(k, lost(v.via, 'an error that grows with the iterations of a loop'));
      changed = false;
      resultErr = EXACT;
      walk(f.ir.nodes);
      break;
    }
  }
  const params = f.ir.params.map((p, i) => (holdsArray(f.paramTypes[i]) ? err.get(find(p.name)) ?? EXACT : EXACT));
  return { result: resultErr, params };
}

function isNonNegative(facts: OpFacts, n: IRNode, nn: (a: Arg) => boolean): boolean {
  const rule = facts.nonNegative;
  const [a, b] = n.args;
  const same = n.args.length === 2 && isRef(a) && isRef(b) && a.ref === b.ref;
  return rule === 'always' || ((rule === 'ifArgs' || rule === 'ifArgsOrSquare') && n.args.every(nn)) || (rule === 'ifArgsOrSquare' && same)
    || (facts.rounding === 'pairwise' && n.args.length > 0 && nn(n.args[0])) || (facts.rounding === 'same' && n.args.length > 0 && n.args.every(nn));
}

/** The error of one op's result from its arguments' errors and its facts. `u`: one rounding of its result. */
function opError(n: IRNode, facts: OpFacts, args: Err[], inErr: Err, nonNeg: boolean[], u: number): Err {
  const python = n.target;
  const inexact = facts.inexact;
  if (inexact?.kind === 'reassociated') {
    return lost(new Set([...inErr.via, python]), `${shown(python)} adds its products in an order NumPy's BLAS does not share`);
  }
  if (inexact?.kind === 'ulps') {
    const own = (inexact.kiln + inexact.numpy) * 2 * u; // 1 ULP <= 2u relative
    if (inErr.r === 0) return { r: own, via: new Set([python]) };
    if (inexact.growth === undefined) return lost(new Set([...inErr.via, python]), `${shown(python)} of an inexact value`);
    return { r: inexact.growth * inErr.r + own + 2 * u, via: new Set([...inErr.via, python]), why: inErr.why };
  }
  if (inErr.r === 0) return EXACT;
  if (!Number.isFinite(inErr.r)) return inErr;
  const via = inErr.via;
  switch (facts.rounding) {
    case 'same': case 'negate': return inErr;
    case 'product': return { r: args.reduce((s, e) => s + e.r, 0) + 2 * u, via };
    case 'add':
      return nonNeg.every(Boolean) ? { r: inErr.r + 2 * u, via } : lost(via, `${shown(python)} of values of either sign can cancel`);
    case 'subtract':
      return lost(via, `${shown(python)} of inexact values can cancel`);
    case 'pairwise':
      return nonNeg[0] ? { r: inErr.r + 128 * u, via } : lost(via, `${shown(python)} adds values of either sign`);
    default:
      if (facts.subscript === 'load' || facts.aliases) return inErr;
      return lost(via, `${shown(python)} of an inexact value`);
  }
}

/** An op target as a user reads it: np.exp, a @ b. */
export function shown(target: string): string {
  const op: Record<string, string> = { '_operator.matmul': 'a @ b', '_operator.add': '+', '_operator.sub': '-', '_operator.pow': '**' };
  return op[target] ?? target.replace(/^numpy\./, 'np.').replace(/^method\./, '.').replace(/^_operator\./, '');
}
