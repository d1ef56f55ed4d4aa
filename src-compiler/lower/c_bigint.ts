/**
 * The big-int twin of an exported function (docs/design/numbers.md, "Big ints in compiled code"): the same typed
 * IR lowered with every `int` value a `kr_int` (resources/c/kiln_bigint.h), so that a call whose int64 fast
 * path overflowed can be run again and give CPython's answer.
 *
 * The exported wrapper runs the fast path (lower/c.ts, int64 with overflow checks, unchanged); when it raises
 * the int-overflow OverflowError (kr_int_overflow_msg), the wrapper calls the twin with the same arguments.
 * Re-running is exact because a function with a twin has only int and bool values: its parameters are
 * numbers (nothing the caller sees can have been written) and it cannot print or touch module state.
 *
 * A twin covers functions whose values are all int or bool, whose result is an int or a bool, whose
 * operations are the ones below, and whose calls are of compiled functions of the same kind (helpers, recursion
 * included): each of those gets a twin body of its own (`kbc_<name>`, kr_int parameters borrowed, result a new
 * reference), called by the twins of its callers; others keep raising OverflowError. An intermediate value may
 * be any size (`a * b % m`); one `**` or `<<` result stops at Kiln's bound (kr_int_bound_msg: 2**24 bits); a
 * result past 64 bits crosses the C ABI only for a caller that asks (kiln_big_results(1): the verification
 * harness, `kiln run`, the Python package and the JS module do); others get OverflowError, saying why.
 */
import { TWIN_INEXACT, memoTableName, memoWrapper } from './c_memo.ts';
import { cacheControlName } from '../types/ops/caches.ts';
import { bigArgsPrototype, cIdent, type ExportedFunction } from './abi.ts';
import type { Arg, IRNode } from '../ir/ir.ts';
import { walkNodes } from '../ir/ir.ts';
import type { TypedFunction, TypedProgram } from '../types/typecheck.ts';
import type { BoundArg } from '../types/calls.ts';
import type { KType } from '../types/types.ts';
import { floatLiteral } from './literals.ts';
import { definiteAssignment } from '../opt/definiteAssignment.ts';
import { nodeKeys } from '../opt/typed.ts';

/**
 * The values of a twin: ints (kr_int), bools and floats (double); the str of an int and what is cut from it
 * (kr_itext: ASCII, one copy per variable), its characters (the byte), and lists of ints (kr_ints *, shared as
 * Python shares a list).
 */
type Kind = 'int' | 'bool' | 'float' | 'text' | 'char' | 'ints' | 'pstr';
type NumKind = 'int' | 'bool' | 'float';

/** The kind of a number (parameters and results of twin bodies are numbers). */
const kindOf = (t: KType | undefined): NumKind | undefined =>
  t?.kind === 'scalar' && (t.name === 'int' || t.name === 'bool' || t.name === 'float') ? t.name : undefined;
/** The kind of any value a twin holds. */
const valueKind = (t: KType | undefined): Kind | undefined =>
  kindOf(t) ?? (t?.kind === 'str' ? 'text' : t?.kind === 'char' ? 'char' : t?.kind === 'list' && kindOf(t.item) === 'int' ? 'ints' : undefined);
const C_TYPE: Record<Kind, string> = { int: 'kr_int', bool: 'bool', float: 'double', text: 'kr_itext', char: 'unsigned char', ints: 'kr_ints *', pstr: 'kr_str *' };
const C_ZERO: Record<Kind, string> = { int: '0', bool: '0', float: '0.0', text: '{ NULL, 0 }', char: '0', ints: 'NULL', pstr: 'NULL' };
/**
 * A parameter's kind in a twin: a number, or (an exported function's) str, borrowed from the caller for int(), or
 * list of ints (the fast path's int64 items, made a kr_ints list by the entry).
 */
const paramKind = (t: KType, entry: boolean): NumKind | 'pstr' | 'ints' | undefined =>
  kindOf(t) ?? (!entry ? undefined : t.kind === 'str' ? 'pstr' : t.kind === 'list' && kindOf(t.item) === 'int' ? 'ints' : undefined);

/**
 * int, int -> int operations: the runtime function of each. `**` and `<<` stop at Kiln's bound on one result
 * (kr_int_bound_msg): an exponent or a count from the caller (`2 ** n`, `x << n` for n near 2**62) would ask for
 * an astronomically large exact result.
 */
const BINARY: Record<string, string> = {
  '_operator.add': 'kr_int_add', '_operator.sub': 'kr_int_sub', '_operator.mul': 'kr_int_mul',
  '_operator.floordiv': 'kr_int_floordiv', '_operator.mod': 'kr_int_mod', '_operator.rshift': 'kr_int_rshift',
  '_operator.and_': 'kr_int_and', '_operator.or_': 'kr_int_or', '_operator.xor': 'kr_int_xor',
  '_operator.pow': 'kr_int_pow_bounded', 'builtins.pow': 'kr_int_pow_bounded', '_operator.lshift': 'kr_int_lshift_bounded',
};
const UNARY: Record<string, string> = { '_operator.neg': 'kr_int_neg', '_operator.invert': 'kr_int_invert', 'builtins.abs': 'kr_int_abs' };
const COMPARE: Record<string, string> = {
  '_operator.lt': '<', '_operator.le': '<=', '_operator.gt': '>', '_operator.ge': '>=', '_operator.eq': '==', '_operator.ne': '!=',
};
/**
 * The float operations that take an int operand as CPython's float methods do, through `float(int)` (correctly
 * rounded; OverflowError "int too large to convert to float" past the largest float): arithmetic with a float
 * operand, `**` with a negative exponent, and math's functions of floats. math.log, log2 and log10 are not among
 * them (CPython takes the log of an int of any size), nor min/max (they compare exactly and keep the int).
 */
const takesIntAsFloat = (t: string): boolean =>
  ['add', 'sub', 'mul', 'truediv', 'floordiv', 'mod', 'pow'].some((o) => t === `_operator.${o}`) || t === 'builtins.pow'
  || (t.startsWith('math.') && !['math.log', 'math.log2', 'math.log10'].includes(t));
/** int(x), math.trunc/floor/ceil(x) and round(x) of a float: ints of any size (kiln_bigint.h). */
const INT_OF_FLOAT: Record<string, string> = {
  'builtins.int': 'kr_int_from_f64', 'math.trunc': 'kr_int_from_f64', 'math.floor': 'kr_int_floor_f64', 'math.ceil': 'kr_int_ceil_f64', 'builtins.round': 'kr_int_round_f64',
};
/** The plain operator of an augmented assignment's (`x <<= 3` is `_operator.ilshift` where typecheck kept it). */
const plainTarget = (t: string | undefined): string => {
  const plain = t && /^_operator\.i[a-z]/.test(t) ? `_operator.${t.slice(11)}` : undefined;
  return plain && (plain in BINARY || plain in COMPARE || takesIntAsFloat(plain)) ? plain : t ?? '';
};
/** Largest int literal written as an immediate (KR_INT): |v| < 2**62. */
const IMMEDIATE = 2n ** 62n;

/** The kinds of a tuple of numbers, else undefined. */
const tupleKinds = (t: KType | undefined): NumKind[] | undefined => {
  if (t?.kind !== 'tuple') return undefined;
  const kinds = t.items.map(kindOf);
  return kinds.every(Boolean) ? (kinds as NumKind[]) : undefined;
};

/** The tuples of ints a function makes (`kiln.make_tuple`, `divmod`), by node name. */
function tupleNodes(nodes: IRNode[], out = new Map<string, NumKind[]>()): Map<string, NumKind[]> {
  for (const n of nodes) {
    const kinds = n.op === 'call_function' && (n.target === 'kiln.make_tuple' || n.target === 'builtins.divmod') ? tupleKinds(n.type) : undefined;
    if (kinds) out.set(n.name, kinds);
    for (const r of n.regions ?? []) tupleNodes(r.nodes, out);
  }
  return out;
}

/** The compiled function a call node calls, when it is a plain call of one (every argument its own parameter). */
function calleeOf(f: TypedFunction, n: IRNode, program: TypedProgram): TypedFunction | undefined {
  const key = f.calls.get(n.name);
  const callee = key ? program.functions.find((g) => g.key === key) : undefined;
  if (!callee) return undefined;
  const binding = f.bindings.get(n.name);
  const args: BoundArg[] = binding ? binding.args : n.args.map((_a, i) => ({ arg: i }));
  const plain = args.every((b) => 'arg' in b && b.item === undefined && b.arg < n.args.length);
  return plain && args.length === callee.paramTypes.length && callee.ir.params.length === callee.paramTypes.length ? callee : undefined;
}

/** The argument of a call node for the callee's C parameter k. */
function callArgs(f: TypedFunction, n: IRNode): Arg[] {
  const binding = f.bindings.get(n.name);
  return binding ? binding.args.map((b) => n.args[(b as { arg: number }).arg]) : n.args;
}

/** What one call node of a twin does (besides the int operations of BINARY, UNARY, COMPARE). */
type Shape =
  | 'call' | 'tuple' | 'divmod' | 'unpack' | 'tuple_item' | 'binary' | 'unary' | 'compare' | 'not' | 'truth' | 'copy_int' | 'minmax' | 'powmod'
  | 'str' | 'int_of_pstr' | 'len_text' | 'len_ints' | 'text_item' | 'text_index' | 'text_slice' | 'slice' | 'int_of_text' | 'text_eq' | 'new_ints' | 'append' | 'sum' | 'ints_item'
  | 'float_op' | 'int_truediv' | 'compare_int_float' | 'to_float' | 'int_of_float';

/** The kinds of every value of `f` (parameters, variables, node results, tuple items) and the shape of each call, or the first problem. */
interface TwinPlan { kinds: Map<string, Kind>; shapes: Map<string, Shape>; slices: Map<string, Arg[]>; tuples: Map<string, NumKind[]> }

function planTwin(f: TypedFunction, program: TypedProgram, entry: boolean): TwinPlan | string {
  if (!kindOf(f.returnType)) return 'its result is not an int, a bool or a float';
  // A cached function's twin body has a memo table of its own, whose keys and values are kr_ints and bools.
  if (f.ir.cache && [...f.paramTypes, f.returnType].some((t) => kindOf(t) === 'float')) return 'it is cached and takes or returns a float';
  if (f.dispatch.size || f.valueCalls.size || f.virtuals?.size) return 'it calls function values';
  if (f.paramTypes.some((t) => !paramKind(t, entry))) return entry ? 'it has parameters other than int, bool, float, str and list[int]' : 'it has parameters other than int, bool and float';
  const kinds = new Map<string, Kind>();
  for (const [v, t] of Object.entries(f.varTypes)) {
    const k = valueKind(t);
    if (!k) return 'it has values other than int, bool, float, the str of an int and lists of ints';
    kinds.set(v, k);
  }
  f.ir.params.forEach((p, i) => kinds.set(p.name, paramKind(f.paramTypes[i], entry)!));
  const tuples = tupleNodes(f.ir.nodes);
  tuples.forEach((ks, name) => ks.forEach((k, i) => kinds.set(`${name}_f${i}`, k)));
  const slices = new Map<string, Arg[]>();
  const shapes = new Map<string, Shape>();
  walkNodes(f.ir.nodes, (n) => {
    // `[]` is typed from the variable it is assigned to (typecheck's emptyTypes): a list of ints where that is one.
    const empty = n.target === 'kiln.make_list' && !n.args.length && n.type?.kind === 'list' && n.type.item.kind !== 'scalar' ? 'ints' : undefined;
    const k = n.op === 'call_function' ? valueKind(n.type) ?? empty : undefined;
    if (k) kinds.set(n.name, k);
    if (n.op === 'call_function' && n.target === 'kiln.slice') slices.set(n.name, n.args);
  });
  const argKind = (a: Arg): Kind | 'str' | 'none' | undefined => {
    if ('ref' in a) return kinds.get(a.ref);
    const c = a.const;
    if (c.kind === 'int') return BigInt(c.value) < IMMEDIATE && BigInt(c.value) >= -IMMEDIATE ? 'int' : undefined;
    return c.kind === 'bool' ? 'bool' : c.kind === 'float' ? 'float' : c.kind === 'str' ? 'str' : c.kind === 'none' ? 'none' : undefined;
  };
  const num = (a: Arg) => argKind(a) === 'int' || argKind(a) === 'bool';
  const numOrFloat = (a: Arg) => num(a) || argKind(a) === 'float';
  const isFloat = (t: KType) => t.kind === 'scalar' && t.name === 'float';
  /** An operation on floats (a float operand or result): its shape, or the problem. */
  const floatShape = (n: IRNode, t: string, a: Arg[], k: Kind | undefined): Shape | string => {
    if (!a.every(numOrFloat)) return `it uses ${t} on ${a.map((x) => argKind(x) ?? 'other values').join(', ')}`;
    const ints = a.filter((x) => argKind(x) !== 'float').length;
    // Comparisons of ints with floats are exact (kr_int_cmp_f64), as CPython's float_richcompare.
    if (t in COMPARE && a.length === 2 && ints === 1) return 'compare_int_float';
    if (t === 'builtins.float' && a.length === 1) return ints ? 'to_float' : 'float_op';
    if (t === '_operator.truediv' && a.length === 2 && ints === 2) return 'int_truediv';
    if (t in INT_OF_FLOAT && a.length === 1 && !ints && k === 'int') return 'int_of_float';
    if (t === 'builtins.round' && a.length === 2 && 'const' in a[1] && a[1].const.kind === 'none' && !ints && k === 'int') return 'int_of_float';
    if ((t === 'builtins.bool' || t === '_operator.not_') && a.length === 1) return t === 'builtins.bool' ? 'truth' : 'not';
    // Otherwise the fast path's own lowering of the op on floats (registry: an expression or a fallible call), each int
    // operand converted to a float first, which only the ops of takesIntAsFloat do in CPython.
    const r = f.resolved.get(n.name);
    if (!r || r.alwaysRaises || (r.lower.kind !== 'expr' && r.lower.kind !== 'call') || r.argTypes.length !== a.length || !r.argTypes.every(isFloat)) return `it uses ${t} on floats`;
    if (k !== 'float' && k !== 'bool') return `it uses ${t} on floats`;
    if (ints && !takesIntAsFloat(t)) return `it passes an int to ${t}, which CPython does not convert to a float`;
    return 'float_op';
  };
  const textLike = (a: Arg) => argKind(a) === 'text' || argKind(a) === 'char' || argKind(a) === 'str';
  const shapeOf = (n: IRNode): Shape | string => {
    const t = plainTarget(n.target);
    const a = n.args;
    const k = kinds.get(n.name);
    const nums = a.every(num);
    if (f.calls.has(n.name)) {
      const callee = calleeOf(f, n, program);
      if (!callee) return `it calls ${n.target} with arguments bound otherwise than one by one`;
      if (!kindOf(n.type)) return `it calls ${n.target}, whose result is not an int, a bool or a float`;
      // A float parameter takes floats (an int there would be converted, where CPython passes the int itself).
      const args = callArgs(f, n);
      return args.every((x, i) => (kindOf(callee.paramTypes[i]) === 'float' ? argKind(x) === 'float' : num(x))) ? 'call' : `it calls ${n.target} with other values`;
    }
    // `a, b = b, a + b`: a tuple of numbers made and taken apart at once (its items are locals of their own).
    if (t === 'kiln.make_tuple') {
      const items = tupleKinds(n.type);
      return items && a.every((x, i) => (items[i] === 'float' ? numOrFloat(x) : num(x))) ? 'tuple' : 'it has a tuple of other values';
    }
    if (t === 'builtins.divmod') return tupleKinds(n.type) && a.length === 2 && nums ? 'divmod' : 'it has a tuple of other values';
    if (t === 'kiln.check_unpack' || (t === '_operator.getitem' && a.length === 2 && 'ref' in a[0] && tuples.has(a[0].ref))) {
      const made = tuples.get((a[0] as { ref: string }).ref);
      const i = a[1];
      const at = 'const' in i && i.const.kind === 'int' ? Number(i.const.value) : NaN;
      if (!made || !(t === 'kiln.check_unpack' ? at === made.length : at >= 0 && at < made.length)) return `it uses ${t} of a value other than a tuple made here`;
      return t === 'kiln.check_unpack' ? 'unpack' : 'tuple_item';
    }
    if (a.some((x) => argKind(x) === 'float') || k === 'float') return floatShape(n, t, a, k);
    if (t === 'kiln.slice') return a.length === 3 && a.every((x) => argKind(x) === 'none' || num(x)) ? 'slice' : 'it has a slice of other values';
    if (t === 'builtins.str' && a.length === 1 && argKind(a[0]) === 'int' && k === 'text') return 'str';
    if (t === 'builtins.len' && a.length === 1) return argKind(a[0]) === 'text' ? 'len_text' : argKind(a[0]) === 'ints' ? 'len_ints' : 'it uses len() of another value';
    if (t === 'kiln.iter_item' && a.length === 2 && num(a[1])) return argKind(a[0]) === 'text' ? 'text_item' : argKind(a[0]) === 'ints' ? 'ints_item' : 'it iterates over another value';
    if (t === '_operator.getitem' && a.length === 2) {
      if (argKind(a[0]) === 'text' && num(a[1])) return 'text_index';
      if (argKind(a[0]) === 'text' && 'ref' in a[1] && slices.has(a[1].ref)) return 'text_slice';
      if (argKind(a[0]) === 'ints' && num(a[1])) return 'ints_item';
      return 'it indexes another value';
    }
    if (t === 'builtins.int' && a.length === 1 && (argKind(a[0]) === 'text' || argKind(a[0]) === 'char')) return 'int_of_text';
    if (t === 'builtins.int' && a.length === 1 && argKind(a[0]) === 'pstr') return 'int_of_pstr';
    if ((t === '_operator.eq' || t === '_operator.ne') && a.length === 2 && textLike(a[0]) && textLike(a[1])) return 'text_eq';
    if (t === 'kiln.make_list' && !a.length && k === 'ints') return 'new_ints';
    if ((t === '_operator.not_' || t === 'builtins.bool') && a.length === 1 && argKind(a[0]) === 'ints') return t === '_operator.not_' ? 'not' : 'truth';
    if (t === 'method.append' && a.length === 2 && argKind(a[0]) === 'ints' && num(a[1])) return 'append';
    // sum(xs): the tracer passes the start it was not given as None.
    const noStart = a.length === 1 || (a.length === 2 && 'const' in a[1] && a[1].const.kind === 'none');
    if (t === 'builtins.sum' && noStart && argKind(a[0]) === 'ints') return 'sum';
    if (!nums || !kindOf(n.type)) return `it uses ${t} on ${a.map((x) => argKind(x) ?? 'other values').join(', ')}`;
    if (t in BINARY && a.length === 2) return 'binary';
    if (t in UNARY && a.length === 1) return 'unary';
    if (t in COMPARE && a.length === 2) return 'compare';
    if (t === '_operator.not_' && a.length === 1) return 'not';
    if (t === 'builtins.bool' && a.length === 1) return 'truth';
    // int(), +, math.trunc/floor/ceil and round() of an int: the int itself.
    const roundNone = t === 'builtins.round' && a.length === 2 && 'const' in a[1] && a[1].const.kind === 'none';
    if ((['builtins.int', '_operator.pos', 'math.trunc', 'math.floor', 'math.ceil', 'builtins.round'].includes(t) && a.length === 1) || roundNone) return 'copy_int';
    if ((t === 'builtins.min' || t === 'builtins.max') && a.length >= 2) return 'minmax';
    if (t === 'builtins.pow' && a.length === 3) return 'powmod';
    return `it uses ${t}`;
  };
  let problem: string | undefined;
  walkNodes(f.ir.nodes, (n) => {
    if (problem) return;
    switch (n.op) {
      case 'input': case 'if': case 'while': case 'break': case 'continue': case 'for_range': break;
      case 'assign': if (!kinds.has(n.target!) || argKind(n.args[0]) !== kinds.get(n.target!) && !(num(n.args[0]) && kindOf(f.varTypes[n.target!]))) problem = `it assigns ${n.target} a value of another kind`; break;
      case 'output':
        if (!n.args.length || !numOrFloat(n.args[0])) problem = 'it returns None on a path';
        else if (argKind(n.args[0]) === 'float' && kindOf(f.returnType) !== 'float') problem = 'it returns a float where its result is not one';
        break;
      case 'call_function': {
        const shape = shapeOf(n);
        if (shape.startsWith('it ')) problem = shape;
        else shapes.set(n.name, shape as Shape);
        break;
      }
      default: problem = `it has a ${n.op} statement`;
    }
    if (!problem && (n.op === 'if' || n.op === 'while' || n.op === 'for_range') && !n.args.every(n.op === 'for_range' ? num : (x) => numOrFloat(x) || argKind(x) === 'ints')) problem = `its ${n.op} tests another value`;
  });
  // A list parameter is re-read by the twin as the fast path found it: so neither may have appended to a list.
  if (!problem && f.paramTypes.some((t) => t.kind === 'list') && [...shapes.values()].includes('append')) problem = 'it appends to a list and takes a list';
  return problem ?? { kinds, shapes, slices, tuples };
}

/** The compiled functions `f` calls (directly). */
function callees(f: TypedFunction, program: TypedProgram): TypedFunction[] {
  const keys = new Set(f.calls.values());
  return program.functions.filter((g) => keys.has(g.key));
}

const NO_INTS = 'it has no int values';

/** Why the exported function `f` has no twin, or undefined when it can have one (its callees' twins too). */
export function bigTwinProblem(f: TypedFunction, program: TypedProgram): string | undefined {
  const seen = new Set<TypedFunction>();
  let ints = false;
  const check = (g: TypedFunction): string | undefined => {
    if (seen.has(g)) return undefined;
    seen.add(g);
    const own = planTwin(g, program, g === f);
    if (typeof own === 'string') return g === f ? own : `it calls ${g.name}, which has no twin: ${own}`;
    if ([...own.kinds.values()].some((k) => k === 'int' || k === 'text' || k === 'ints')) ints = true;
    for (const h of callees(g, program)) {
      const p = check(h);
      if (p) return p;
    }
    return undefined;
  };
  // A function of floats and bools alone never overflows an int64: no twin to run.
  return check(f) ?? (ints ? undefined : NO_INTS);
}

/**
 * The message of an int64 overflow in an exported function with no twin, as a C string (the wrapper puts it in place
 * of kr_int_overflow_msg): Kiln's 64-bit limit, and why no twin runs instead. Undefined for a function without ints.
 */
export function overflowNote(f: TypedFunction, problem: string): string | undefined {
  if (problem === NO_INTS) return undefined;
  return JSON.stringify(`integer result does not fit in 64 bits (Python would give a bigger int; ${f.name} has no big-int twin to run instead: ${problem})`);
}

/** Every function with a twin body: the twins' entries and the helpers they call, each once. */
export function twinBodies(entries: Iterable<TypedFunction>, program: TypedProgram): TypedFunction[] {
  const out: TypedFunction[] = [];
  const add = (g: TypedFunction) => {
    // By key: a specialisation's entry is a copy of its function (types/typecheck.ts), which recursion reaches again.
    if (out.some((h) => h.key === g.key)) return;
    out.push(g);
    callees(g, program).forEach(add);
  };
  for (const f of entries) add(f);
  return out;
}

/** What a unit with twins declares in its header: how a caller takes results past 64 bits. */
export const bigResultDeclarations = (): string[] => [
  '/* Results past 64 bits (functions of ints): after kiln_big_results(1), such a result makes the function return',
  ' * KILN_BIG_RESULT (255) instead of raising OverflowError, and kiln_big_result() gives it as Python\'s hex() writes it',
  ' * ("0x1f", "-0x1f"), valid until the next call on this thread. Without it, OverflowError as before. Call it once,',
  ' * before any call (it is one flag for the whole process). */',
  '#define KILN_BIG_RESULT 255',
  'void kiln_big_results(int on);',
  'const char *kiln_big_result(void);',
];

/** Their definitions in the unit's source (per-thread state: the flag and the last result's text). */
export const bigResultDefinitions = (): string[] => [
  'static int kr_big_wanted; /* set once, before calls, by a caller that takes big results (process-wide) */',
  'static KILN_TLS char *kr_big_text;',
  'static int kr_big_keep(kr_int v) { int64_t len; free(kr_big_text); kr_big_text = NULL; return kr_int_hex(v, &kr_big_text, &len); }',
  'KILN_EXPORT void kiln_big_results(int on) { kr_big_wanted = on; }',
  'KILN_EXPORT const char *kiln_big_result(void) { return kr_big_text ? kr_big_text : ""; }',
];

/** The C name of the exported twin of `f` (the fast path's parameters), and of the twin body of any function. */
export const twinName = (f: TypedFunction) => `kb_${f.cName.replace(/^kf_/, '')}`;
const bodyName = (f: TypedFunction) => `kbc_${f.cName.replace(/^kf_/, '')}`;

/** The C parameters of a twin body: kr_int (borrowed) or bool per parameter, the depth of a recursive one, the result. */
function bodyParams(f: TypedFunction): string[] {
  const params = f.paramTypes.map((t, i) => `${C_TYPE[paramKind(t, true)!]} kbp_${i}`);
  if (f.recursive) params.push('int kb_depth');
  params.push(`${C_TYPE[kindOf(f.returnType)!]} *kb_ret`);
  return params;
}

/**
 * The prototypes of the twin bodies (they call each other in any order, recursion included), after the one support
 * function a str parameter needs: `int(text)` of any size (kiln_str.h's ASCII form of the text, then
 * kiln_bigint.h's parser; an invalid literal's message from the original text, as kr_str_to_int64 words it).
 */
export function twinPrototypes(bodies: TypedFunction[]): string[] {
  const strParams = bodies.some((g) => g.paramTypes.some((t) => t.kind === 'str'));
  return [
    ...(strParams ? [
      'static int kb_int_of_str(const kr_str *s, kr_int *out) {',
      '  kr_cb t;',
      '  kr_cb_init(&t);',
      '  kr_transform_ascii(s, &t);',
      '  if (t.oom) { kr_cb_free(&t); return kr_raise_memory_str(); }',
      '  int rc = kr_int_from_str(t.p, (int64_t)t.n, 10, out);',
      '  kr_cb_free(&t);',
      '  if (rc && kr_err.kind == KILN_ValueError && !strncmp(kr_err.message, "invalid literal", 15)) { kr_reset(); return kr_raise_int_literal(s, 10); }',
      '  return rc;',
      '}',
    ] : []),
    ...bodies.map((g) => `static int ${bodyName(g)}(${bodyParams(g).join(', ')});`),
  ];
}

/**
 * The twin body of `f`: `static int kbc_<name>(...)`, 0 with the result in *kb_ret (a new reference), or -1 with
 * the error raised and its frame recorded.
 */
export function twinBody(f: TypedFunction, program: TypedProgram, entry: boolean, counted: ReadonlySet<string> = new Set()): string[] {
  const plan = planTwin(f, program, entry);
  if (typeof plan === 'string') throw new Error(`internal: ${f.name} has no big-int twin: ${plan}`);
  const { kinds, shapes, slices } = plan;
  const local = (name: string) => `kbv_${name.replace(/[^A-Za-z0-9_]/g, '_')}`;
  const item = (name: string, i: number) => `${name}_f${i}`;
  const fn = JSON.stringify(f.name);
  const resultKind = kindOf(f.returnType)!;
  const out: string[] = [];
  // A local read where it may be unbound raises UnboundLocalError as the fast path's does (opt/definiteAssignment.ts):
  // the twin may take a path the fast path did not reach.
  const definite = definiteAssignment(f);
  const flagged = new Set(definite.flagged);
  const keys = nodeKeys(f.ir.nodes);
  const bound = (v: string) => `kbb_${v.replace(/[^A-Za-z0-9_]/g, '_')}`;
  const decl = [...[...kinds].map(([v, k]) => `  ${C_TYPE[k]} ${local(v)} = ${C_ZERO[k]};`), ...[...flagged].map((v) => `  bool ${bound(v)} = 0;`)];
  const release: Record<Kind, ((v: string) => string) | undefined> = {
    int: (v) => `kr_int_decref(${v});`, text: (v) => `kr_itext_free(&${v});`, ints: (v) => `kr_ints_decref(${v});`, bool: undefined, float: undefined, char: undefined, pstr: undefined,
  };
  let label = 0;
  const loops: string[] = [];

  const kindOfArg = (a: Arg): Kind => ('ref' in a ? kinds.get(a.ref)! : a.const.kind === 'bool' ? 'bool' : a.const.kind === 'float' ? 'float' : 'int');
  /** An argument as a kr_int (borrowed: a local, or an immediate). */
  const asInt = (a: Arg): string => {
    if ('const' in a) {
      const c = a.const;
      return c.kind === 'bool' ? `KR_INT(${c.value ? 1 : 0})` : c.kind === 'int' ? `KR_INT(INT64_C(${c.value}))` : 'KR_INT(0)';
    }
    return kindOfArg(a) === 'int' ? local(a.ref) : `KR_INT(${local(a.ref)} ? 1 : 0)`;
  };
  const truth = (a: Arg): string => (kindOfArg(a) === 'float' ? `(${asFloat(a)} != 0.0)` : kindOfArg(a) === 'ints' ? `(${local((a as { ref: string }).ref)}->n != 0)`
    : kindOfArg(a) === 'bool' ? ('const' in a ? (a.const.kind === 'bool' && a.const.value ? '1' : '0') : local(a.ref)) : `(${asInt(a)} != KR_INT(0))`);
  /** A float, bool or int constant argument as a double (an int variable needs floatInto: it may not fit). */
  function asFloat(a: Arg): string {
    if ('const' in a) {
      const c = a.const;
      return c.kind === 'float' ? floatLiteral(c.hex) : c.kind === 'bool' ? (c.value ? '1.0' : '0.0') : `(double)INT64_C(${(c as { value: string }).value})`;
    }
    return kindOfArg(a) === 'bool' ? `(double)${local(a.ref)}` : local(a.ref);
  }
  /** `target = float(a)`: an int as CPython's int.__float__ rounds it (OverflowError past the largest float). */
  const floatInto = (ind: string, target: string, a: Arg, line: number) =>
    ('ref' in a && kindOfArg(a) === 'int' ? `${ind}if (kr_int_to_f64(${local(a.ref)}, &${target})) ${fail('', line)}` : `${ind}${target} = ${asFloat(a)};`);
  /** A text argument as `pointer, length` (a str constant as its UTF-8). */
  const textArgs = (a: Arg): string => {
    if ('const' in a) {
      const v = String((a.const as { value: unknown }).value);
      return `${JSON.stringify(v)}, ${Buffer.byteLength(v, 'utf8')}`;
    }
    return kinds.get(a.ref) === 'char' ? `(const char *)&${local(a.ref)}, 1` : `${local(a.ref)}.p, ${local(a.ref)}.n`;
  };
  const fail = (ind: string, line: number) => `${ind}{ kr_frame(${fn}, ${line}); goto kb_fail; }`;
  /** `target = op(args..., &r)` for an int target: the new reference replaces the old one. */
  const intCall = (ind: string, target: string, call: (r: string) => string, line: number) =>
    `${ind}{ kr_int kb_r; if (${call('&kb_r')}) ${fail('', line)} kr_int_decref(${target}); ${target} = kb_r; }`;
  /** Stores a value of the target's kind (a copy for a text, the shared list for a list). */
  const store = (ind: string, name: string, a: Arg, line: number): string => {
    const target = local(name);
    switch (kinds.get(name)) {
      case 'int': return `${ind}kr_int_assign(&${target}, ${asInt(a)});`;
      case 'bool': return `${ind}${target} = ${truth(a)};`;
      case 'float': return floatInto(ind, target, a, line);
      case 'text': return `${ind}if (kr_itext_set(&${target}, ${textArgs(a)})) ${fail('', line)}`;
      case 'char': return `${ind}${target} = ${local((a as { ref: string }).ref)};`;
      default: return `${ind}kr_ints_assign(&${target}, ${local((a as { ref: string }).ref)});`;
    }
  };

  const emit = (nodes: IRNode[], ind: string) => {
    for (const n of nodes) {
      const line = n.span?.line ?? f.ir.span.line;
      for (const v of definite.checks[keys.get(n)!] ?? []) {
        const pyName = f.ir.pythonNames?.[f.ir.renamed?.[v] ?? v] ?? f.ir.renamed?.[v] ?? v;
        out.push(`${ind}if (!${bound(v)}) { kr_raise_unbound(${JSON.stringify(pyName)}); ${fail('', line)} }`);
      }
      const assigned = n.target && flagged.has(n.target) && (n.op === 'assign' || n.op === 'for_range') ? ` ${bound(n.target)} = 1;` : '';
      switch (n.op) {
        case 'input': break;
        case 'assign':
          out.push(store(ind, n.target!, n.args[0], line) + assigned);
          break;
        case 'output':
          out.push(resultKind === 'int' ? `${ind}kr_int_assign(&kb_result, ${asInt(n.args[0])});` : resultKind === 'float' ? floatInto(ind, 'kb_fresult', n.args[0], line)
            : `${ind}kb_truth = ${truth(n.args[0])};`, `${ind}goto kb_done;`);
          break;
        case 'if':
          out.push(`${ind}if (${truth(n.args[0])}) {`);
          emit(n.regions![0].nodes, `${ind}  `);
          out.push(`${ind}} else {`);
          emit(n.regions![1]?.nodes ?? [], `${ind}  `);
          out.push(`${ind}}`);
          break;
        case 'while': {
          const k = label++;
          const [test, body, orelse] = n.regions!;
          out.push(`${ind}for (;;) {`);
          emit(test.nodes, `${ind}  `);
          out.push(`${ind}  if (!(${truth(n.args[0])})) goto kb_else_${k};`);
          loops.push(`kb_break_${k}`);
          emit(body.nodes, `${ind}  `);
          loops.pop();
          out.push(`${ind}}`, `${ind}kb_else_${k}:;`);
          emit(orelse?.nodes ?? [], ind);
          out.push(`${ind}kb_break_${k}:;`);
          break;
        }
        case 'for_range': {
          const k = label++;
          const [start, stop, step] = n.args;
          out.push(`${ind}{`, `${ind}  int64_t kb_start_${k}, kb_stop_${k}, kb_step_${k}, kb_next_${k};`);
          for (const [name, a] of [[`kb_start_${k}`, start], [`kb_stop_${k}`, stop], [`kb_step_${k}`, step]] as const) {
            out.push(`${ind}  if (kr_int_to_i64(${asInt(a)}, &${name})) ${fail('', line)}`);
          }
          out.push(`${ind}  if (kb_step_${k} == 0) { kr_raise(KILN_ValueError, "range() arg 3 must not be zero"); ${fail('', line)} }`);
          out.push(`${ind}  for (int64_t kb_i_${k} = kb_start_${k}; kb_step_${k} > 0 ? kb_i_${k} < kb_stop_${k} : kb_i_${k} > kb_stop_${k}; kb_i_${k} = __builtin_add_overflow(kb_i_${k}, kb_step_${k}, &kb_next_${k}) ? kb_stop_${k} : kb_next_${k}) {`);
          const target = local(n.target!);
          if (kinds.get(n.target!) === 'int') out.push(`${ind}    { kr_int kb_v; if (kr_int_from_i64(kb_i_${k}, &kb_v)) ${fail('', line)} kr_int_decref(${target}); ${target} = kb_v;${assigned} }`);
          else out.push(`${ind}    ${target} = kb_i_${k} != 0;${assigned}`);
          loops.push(`kb_break_${k}`);
          emit(n.regions![0].nodes, `${ind}    `);
          loops.pop();
          out.push(`${ind}  }`);
          emit(n.regions![1]?.nodes ?? [], `${ind}  `);
          out.push(`${ind}}`, `${ind}kb_break_${k}:;`);
          break;
        }
        case 'break':
          out.push(`${ind}goto ${loops[loops.length - 1]};`);
          break;
        case 'continue':
          out.push(`${ind}continue;`);
          break;
        case 'call_function':
          callNode(n, ind, line);
          break;
        default:
          throw new Error(`internal: the big-int twin of ${f.name} has a ${n.op} node`);
      }
    }
  };

  const callNode = (n: IRNode, ind: string, line: number) => {
    const target = local(n.name);
    const t = plainTarget(n.target);
    const a = n.args;
    const ref = (x: Arg) => local((x as { ref: string }).ref);
    switch (shapes.get(n.name)!) {
      case 'call': {
        // A compiled function: its twin body, as the fast path calls it (the recursion depth counted the same way).
        const callee = calleeOf(f, n, program)!;
        const args = callArgs(f, n).map((x, k) => ({ int: asInt, bool: truth, float: asFloat })[kindOf(callee.paramTypes[k])!](x));
        if (callee.recursive) args.push(f.recursive ? 'kb_depth + 1' : '0');
        if (kinds.get(n.name) === 'int') out.push(intCall(ind, target, (r) => `${bodyName(callee)}(${[...args, r].join(', ')})`, line));
        else out.push(`${ind}if (${bodyName(callee)}(${[...args, `&${target}`].join(', ')})) ${fail('', line)}`);
        return;
      }
      case 'tuple':
        // Every item is read before any is stored (the items may be the locals a later unpacking assigns).
        a.forEach((x, i) => out.push(store(ind, item(n.name, i), x, line)));
        return;
      case 'divmod': {
        const [q, r] = [0, 1].map((i) => local(item(n.name, i)));
        out.push(`${ind}{ kr_int kb_q, kb_m; if (kr_int_divmod(${asInt(a[0])}, ${asInt(a[1])}, &kb_q, &kb_m)) ${fail('', line)} kr_int_decref(${q}); ${q} = kb_q; kr_int_decref(${r}); ${r} = kb_m; }`);
        return;
      }
      case 'unpack': case 'slice': return; // the tuple's own length (planTwin); a slice is read where it is used
      case 'tuple_item': {
        const from = local(item((a[0] as { ref: string }).ref, Number((a[1] as { const: { value: string } }).const.value)));
        out.push(kinds.get(n.name) === 'int' ? `${ind}kr_int_assign(&${target}, ${from});` : `${ind}${target} = ${from};`);
        return;
      }
      case 'compare': out.push(`${ind}${target} = kr_int_cmp(${asInt(a[0])}, ${asInt(a[1])}) ${COMPARE[t]} 0;`); return;
      case 'not': out.push(`${ind}${target} = !${truth(a[0])};`); return;
      case 'truth': out.push(`${ind}${target} = ${truth(a[0])};`); return;
      case 'copy_int': out.push(`${ind}kr_int_assign(&${target}, ${asInt(a[0])});`); return;
      case 'minmax': {
        // The first of the smallest (largest), as CPython's min (max) keeps it.
        const better = t === 'builtins.min' ? '<' : '>';
        out.push(`${ind}{ kr_int kb_best = ${asInt(a[0])};`);
        for (const x of a.slice(1)) out.push(`${ind}  if (kr_int_cmp(${asInt(x)}, kb_best) ${better} 0) kb_best = ${asInt(x)};`);
        out.push(`${ind}  kr_int_assign(&${target}, kb_best); }`);
        return;
      }
      case 'powmod': out.push(intCall(ind, target, (r) => `kr_int_powmod(${asInt(a[0])}, ${asInt(a[1])}, ${asInt(a[2])}, ${r})`, line)); return;
      case 'unary': out.push(intCall(ind, target, (r) => `${UNARY[t]}(${asInt(a[0])}, ${r})`, line)); return;
      case 'binary': out.push(intCall(ind, target, (r) => `${BINARY[t]}(${asInt(a[0])}, ${asInt(a[1])}, ${r})`, line)); return;
      case 'str': out.push(`${ind}if (kr_itext_from_int(&${target}, ${asInt(a[0])})) ${fail('', line)}`); return;
      case 'len_text': out.push(`${ind}kr_int_assign(&${target}, KR_INT(${ref(a[0])}.n));`); return;
      case 'len_ints': out.push(`${ind}kr_int_assign(&${target}, KR_INT(${ref(a[0])}->n));`); return;
      case 'text_item': case 'text_index':
        out.push(`${ind}{ int64_t kb_at; if (kr_itext_index(&${ref(a[0])}, ${asInt(a[1])}, &kb_at)) ${fail('', line)} ${target} = (unsigned char)${ref(a[0])}.p[kb_at]; }`);
        return;
      case 'text_slice': {
        const bounds = slices.get((a[1] as { ref: string }).ref)!.map((x) => ('const' in x && x.const.kind === 'none' ? '0, KR_INT(0)' : `1, ${asInt(x)}`));
        out.push(`${ind}if (kr_itext_slice(&${target}, &${ref(a[0])}, ${bounds.join(', ')})) ${fail('', line)}`);
        return;
      }
      case 'int_of_pstr': out.push(intCall(ind, target, (r) => `kb_int_of_str(${ref(a[0])}, ${r})`, line)); return;
      case 'int_of_text': out.push(intCall(ind, target, (r) => `kr_int_from_str(${textArgs(a[0])}, 10, ${r})`, line)); return;
      case 'text_eq': out.push(`${ind}${target} = ${t === '_operator.ne' ? '!' : ''}kr_itext_eq(${textArgs(a[0])}, ${textArgs(a[1])});`); return;
      case 'new_ints': out.push(`${ind}if (kr_ints_new(&${target})) ${fail('', line)}`); return;
      case 'append': out.push(`${ind}if (kr_ints_append(${ref(a[0])}, ${asInt(a[1])})) ${fail('', line)}`); return;
      case 'sum': out.push(intCall(ind, target, (r) => `kr_ints_sum(${ref(a[0])}, ${r})`, line)); return;
      case 'ints_item': out.push(`${ind}{ kr_int kb_v; if (kr_ints_get(${ref(a[0])}, ${asInt(a[1])}, &kb_v)) ${fail('', line)} kr_int_assign(&${target}, kb_v); }`); return;
      case 'to_float': out.push(floatInto(ind, target, a[0], line)); return;
      case 'int_truediv': out.push(`${ind}if (kr_int_truediv(${asInt(a[0])}, ${asInt(a[1])}, &${target})) ${fail('', line)}`); return;
      case 'int_of_float': out.push(intCall(ind, target, (r) => `${INT_OF_FLOAT[t]}(${asFloat(a[0])}, ${r})`, line)); return;
      case 'compare_int_float': {
        // kr_int_cmp_f64 is -1, 0, 1, or 2 for a NaN (unordered: only != holds); float < int is int > float.
        const [i, x, flip] = kindOfArg(a[1]) === 'float' ? [a[0], a[1], ''] : [a[1], a[0], '-'];
        out.push(`${ind}{ int kb_c = kr_int_cmp_f64(${asInt(i)}, ${asFloat(x)}); ${target} = kb_c == 2 ? ${t === '_operator.ne' ? 1 : 0} : ${flip}kb_c ${COMPARE[t]} 0; }`);
        return;
      }
      case 'float_op': {
        // The fast path's lowering of the op on doubles (registry), each int operand converted as float(int) is.
        const r = f.resolved.get(n.name)!;
        const pre: string[] = [];
        const vals = a.map((x, i) => ('ref' in x && kindOfArg(x) === 'int' ? (pre.push(floatInto('', `kb_d${i}`, x, line)), `kb_d${i}`) : asFloat(x)));
        const body = r.lower.kind === 'expr' ? `${target} = ${r.lower.emit(vals)};` : `if (${(r.lower as { emit: (v: string[], o: string) => string }).emit(vals, target)}) ${fail('', line)}`;
        out.push(pre.length ? `${ind}{ double ${a.map((_x, i) => `kb_d${i}`).join(', ')}; ${[...pre, body].join(' ')} }` : `${ind}${body}`);
        return;
      }
    }
  };

  out.push(`/* ${f.key}: its big-int twin (lower/c_bigint.ts), run when the int64 path overflows */`);
  const memo = twinMemo(f, counted.has(f.ir.qualifiedName));
  out.push(`static ${memo ? 'KILN_ALWAYS_INLINE ' : ''}int ${memo ? `${bodyName(f)}__uncached` : bodyName(f)}(${bodyParams(f).join(', ')}) {`);
  out.push(...decl, '  kr_int kb_result = 0;', '  bool kb_truth = 0;', '  double kb_fresult = 0.0;', '  int kb_rc = -1;');
  if (f.recursive) out.push(`  if (KILN_UNLIKELY(kb_depth > KILN_RECURSION_LIMIT)) { kr_raise(KILN_RecursionError, "maximum recursion depth exceeded"); ${fail('', f.ir.span.line)} }`);
  f.ir.params.forEach((p, i) => {
    const k = kinds.get(p.name);
    out.push(k === 'int' ? `  kr_int_assign(&${local(p.name)}, kbp_${i});` : k === 'ints' ? `  kr_ints_assign(&${local(p.name)}, kbp_${i});` : `  ${local(p.name)} = kbp_${i};`); // a str: borrowed
  });
  emit(f.ir.nodes, '  ');
  out.push('kb_done:');
  out.push({ int: '  *kb_ret = kb_result; kb_result = 0;', bool: '  *kb_ret = kb_truth;', float: '  *kb_ret = kb_fresult;' }[resultKind], '  kb_rc = 0;', 'kb_fail:');
  for (const [v, k] of kinds) if (release[k]) out.push(`  ${release[k]!(local(v))}`);
  out.push('  kr_int_decref(kb_result);', '  (void)kb_truth;', '  (void)kb_fresult;', '  return kb_rc;', '}');
  if (memo) out.push('', ...memo);
  return out;
}

/** The C name of a twin memo table's dict, and its key's kind: `kint` (kr_int), `bool`, or a struct of them. */
function twinTable(f: TypedFunction): { dict: string; keyKind: string; valueKind: string; keyCType: string; items: string[] } {
  const items = f.paramTypes.map((t) => (kindOf(t) === 'int' ? 'kint' : 'bool'));
  const keyKind = items.length === 1 ? items[0] : `kbk_${items.map((k) => k[0]).join('')}`;
  const valueKind = kindOf(f.returnType) === 'int' ? 'kint' : 'bool';
  return { dict: `kbd_${keyKind}_${valueKind}`, keyKind, valueKind, keyCType: items.length === 1 ? C_TYPE[kindOf(f.paramTypes[0])!] : `${keyKind}_t`, items };
}

/** Whether a twin body gets a memo table of its own (a cached helper's: the fast path's table holds int64 results). */
const hasTwinMemo = (f: TypedFunction) => !!f.ir.cache && f.paramTypes.length > 0 && [...f.paramTypes, f.returnType].every((t) => kindOf(t) === 'int' || kindOf(t) === 'bool');

/** The memo table of a cached function's twin body (cleared by f.cache_clear()), or undefined. */
export const twinMemoTable = (f: TypedFunction): string | undefined => (hasTwinMemo(f) ? memoTableName(bodyName(f)) : undefined);

/** The memo wrapper `kbc_<name>` of a cached function's twin body (lower/c_memo.ts), or undefined; `counted`: its counts are read. */
function twinMemo(f: TypedFunction, counted: boolean): string[] | undefined {
  if (!hasTwinMemo(f)) return undefined;
  const params = f.paramTypes.map((_t, i) => `kbp_${i}`);
  return memoWrapper({
    name: bodyName(f), body: `${bodyName(f)}__uncached`, table: twinTable(f), maxsize: f.ir.cache!.maxsize,
    signature: `static int ${bodyName(f)}(${bodyParams(f).join(', ')})`, params,
    bodyArgs: [...params, ...(f.recursive ? ['kb_depth + 1'] : []), 'kb_ret'], ret: 'kb_ret', floats: [],
    ...(counted ? { counts: { prefix: cacheControlName(f.ir.qualifiedName), name: f.ir.qualname ?? f.ir.name, inexact: TWIN_INEXACT } } : {}),
  });
}

/**
 * The kinds and dicts (kiln_dict.h) of the twins' memo tables: kr_int keys and values (the int's value: a small one
 * hashed as hash(int), a big one by its digits; equal ints are equal keys), and a struct kind per key of several.
 */
export function twinMemoDecls(bodies: TypedFunction[]): string[] {
  const tables = bodies.filter(hasTwinMemo).map(twinTable);
  if (!tables.length) return [];
  const out = [
    '/* the memo tables of cached functions\' big-int twins (lower/c_memo.ts): kr_int keys and values */',
    'static inline kr_hash_t kr_kint_hash(kr_int v) {',
    '  if (!KR_INT_IS_BIG(v)) return kr_hash_i64(KR_INT_SMALL_VALUE(v));',
    '  const kr_bigint *b = KR_INT_BIG(v); int64_t n = b->size < 0 ? -b->size : b->size; uint64_t h = (uint64_t)b->size;',
    '  for (int64_t i = 0; i < n; i++) h = (h * 1000003u) ^ b->d[i];',
    '  kr_hash_t r = (kr_hash_t)(h >> 2); return r == -1 ? -2 : r;',
    '}',
    'static inline int kr_kint_repr(kr_text *t, kr_int v) { (void)v; return kr_text_puts(t, "<int>"); }',
    'typedef kr_int kr_kind_kint_t;',
    'static inline kr_hash_t kr_kind_kint_hash(const kr_int *k) { return kr_kint_hash(*k); }',
    'static inline int kr_kind_kint_eq(const kr_int *a, const kr_int *b) { return kr_int_eq(*a, *b); }',
    'static inline void kr_kind_kint_incref(kr_int *v) { kr_int_incref(*v); }',
    'static inline void kr_kind_kint_decref(kr_int *v) { kr_int_decref(*v); }',
    'static inline int kr_kind_kint_repr(kr_text *t, const kr_int *v) { return kr_kint_repr(t, *v); }',
    'static inline void kr_kind_kint_visit(const kr_int *v, kr_visit_fn f, void *arg) { (void)v; (void)f; (void)arg; }',
    'enum { kr_kind_kint_refs = 1 };',
  ];
  const seen = new Set<string>();
  for (const t of tables) {
    if (seen.has(t.dict)) continue;
    seen.add(t.dict);
    if (t.items.length > 1 && !seen.has(t.keyKind)) {
      seen.add(t.keyKind);
      const k = t.keyKind, each = (f: (item: string, i: number) => string) => t.items.map(f).join(' ');
      out.push(
        `typedef struct { ${each((item, i) => `${item === 'kint' ? 'kr_int' : 'bool'} f${i};`)} } ${k}_t;`,
        `typedef ${k}_t kr_kind_${k}_t;`,
        `static inline kr_hash_t kr_kind_${k}_hash(const ${k}_t *k) { uint64_t acc = kr_tuplehash_start(); kr_hash_t h; ${each((item, i) => `if ((h = kr_kind_${item}_hash(&k->f${i})) == -1) return -1; acc = kr_tuplehash_add(acc, h);`)} return kr_tuplehash_end(acc, ${t.items.length}); }`,
        `static inline int kr_kind_${k}_eq(const ${k}_t *a, const ${k}_t *b) { return ${each((item, i) => `kr_kind_${item}_eq(&a->f${i}, &b->f${i}) &&`)} 1; }`,
        `static inline void kr_kind_${k}_incref(${k}_t *v) { ${each((item, i) => `kr_kind_${item}_incref(&v->f${i});`)} }`,
        `static inline void kr_kind_${k}_decref(${k}_t *v) { ${each((item, i) => `kr_kind_${item}_decref(&v->f${i});`)} }`,
        `static inline int kr_kind_${k}_repr(kr_text *t, const ${k}_t *v) { (void)v; return kr_text_puts(t, "(...)"); }`,
        `static inline void kr_kind_${k}_visit(const ${k}_t *v, kr_visit_fn f, void *arg) { (void)v; (void)f; (void)arg; }`,
        `enum { kr_kind_${k}_refs = 1 };`,
      );
    }
    out.push(`KR_DICT_DEFINE(${t.dict}, ${t.keyCType}, ${t.keyKind}, ${t.valueKind === 'kint' ? 'kr_int' : 'bool'}, ${t.valueKind})`);
  }
  return [...out, ''];
}

/**
 * The exported twin of `f`: `static int kb_<name>(<the fast path's parameters>)`, which runs the twin body; 0 with
 * the result in *kiln_ret, 1 when the result is past 64 bits (kept for kiln_big_result()), -1 with the error raised.
 * `fromText`: `kb_<name>_text`, whose int parameters are Python's hex() text of ints of any size ("0x1f", "-0x1f"),
 * for the exported `<symbol>_big` (bigArgsEntry).
 */
export function bigTwin(f: TypedFunction, paramNames: string[], fromText = false): string[] {
  const fn = JSON.stringify(f.name);
  const cParam = { int: fromText ? 'const char *' : 'int64_t ', bool: 'bool ', float: 'double ', pstr: 'kr_str *', ints: 'kr_list *' };
  const params = f.paramTypes.map((t, i) => `${cParam[paramKind(t, true)!]}${paramNames[i]}`);
  const resultInt = kindOf(f.returnType) === 'int';
  params.push(`${resultInt ? 'int64_t' : C_TYPE[kindOf(f.returnType)!]} *kiln_ret`);
  if (f.recursive) params.push('int kiln_depth');
  const args = f.paramTypes.map((t, i) => (kindOf(t) === 'int' || t.kind === 'list' ? `kb_p${i}` : paramNames[i]));
  if (f.recursive) args.push('kiln_depth');
  const out = [`static int ${twinName(f)}${fromText ? '_text' : ''}(${params.join(', ')}) {`];
  const ints = f.paramTypes.map((t, i) => (kindOf(t) === 'int' ? i : -1)).filter((i) => i >= 0);
  const lists = f.paramTypes.map((t, i) => (t.kind === 'list' ? i : -1)).filter((i) => i >= 0);
  if (ints.length) out.push(`  kr_int ${ints.map((i) => `kb_p${i} = 0`).join(', ')};`);
  if (lists.length) out.push(`  kr_ints ${lists.map((i) => `*kb_p${i} = NULL`).join(', ')};`);
  out.push('  int kb_rc = -1;');
  if (resultInt) out.push('  kr_int kb_result = 0;');
  for (const i of ints) {
    out.push(fromText ? `  if (kr_int_from_str(${paramNames[i]}, (int64_t)strlen(${paramNames[i]}), 16, &kb_p${i})) goto kb_out;`
      : `  if (kr_int_from_i64(${paramNames[i]}, &kb_p${i})) goto kb_out;`);
  }
  for (const i of lists) out.push(`  if (kr_ints_from_i64((const int64_t *)${paramNames[i]}->data, ${paramNames[i]}->len, &kb_p${i})) goto kb_out;`);
  if (!resultInt) {
    out.push(`  kb_rc = ${bodyName(f)}(${[...args, 'kiln_ret'].join(', ')});`);
  } else {
    out.push(`  if (${bodyName(f)}(${[...args, '&kb_result'].join(', ')})) goto kb_out;`);
    out.push('  if (kr_int_as_i64(kb_result, kiln_ret) == 1) kb_rc = 0;');
    out.push('  else if (kr_big_wanted) kb_rc = kr_big_keep(kb_result) ? -1 : 1;');
    out.push(`  else { kr_raise(KILN_OverflowError, "int result does not fit in 64 bits, and this caller takes 64-bit ints only (docs/design/numbers.md)"); kr_frame(${fn}, ${f.ir.span.line}); }`);
  }
  out.push('kb_out:');
  out.push(...ints.map((i) => `  kr_int_decref(kb_p${i});`), ...lists.map((i) => `  kr_ints_decref(kb_p${i});`));
  if (resultInt) out.push('  kr_int_decref(kb_result);');
  out.push('  return kb_rc;', '}');
  return out;
}

/**
 * Whether the exported function `f` (it has a twin) also takes ints past 64 bits, through `<symbol>_big`: its
 * parameters are ints, bools and strs (the twin reads a str itself: `int(s)`), one an int at least.
 */
export const takesBigArgs = (f: TypedFunction): boolean =>
  f.paramTypes.some((t) => kindOf(t) === 'int') && f.paramTypes.every((t) => paramKind(t, true) !== undefined && paramKind(t, true) !== 'ints');

/**
 * `<symbol>_big`: the call with ints of any size (Python's hex() text of each: "0x1f", "-0x1f"), which runs the twin
 * alone (the int64 path cannot take them); its result and errors as the fast path's wrapper returns them.
 */
export function bigArgsEntry(e: ExportedFunction, f: TypedFunction, unit: { arrays: boolean; objects: boolean }): string[] {
  // A str parameter: the str made from the caller's UTF-8, as the fast path's wrapper makes it (UnicodeDecodeError if invalid).
  const strs = e.params.flatMap((p, i) => (p.type.kind === 'str' ? [i] : []));
  const args = [...e.params.map((p, i) => (strs.includes(i) ? `kb_s${i}` : cIdent(p.name))), 'out', ...(f.recursive ? ['0'] : [])];
  const call = `${twinName(f)}_text(${args.join(', ')})`;
  return [
    `KILN_EXPORT ${bigArgsPrototype(e)} {`,
    ...(unit.objects ? ['  kr_export_enter();'] : []),
    ...strs.map((i) => `  kr_str *kb_s${i} = kr_str_from_c(${cIdent(e.params[i].name)}, ${cIdent(e.params[i].name)}_len);`),
    `  int kb_rc = ${strs.length ? `${strs.map((i) => `!kb_s${i}`).join(' || ')} ? -1 : ${call}` : call};`,
    ...strs.map((i) => `  kr_decref(kb_s${i});`),
    '  kb_rc = kb_rc == 1 ? KILN_BIG_RESULT : kb_rc ? kr_err.kind : 0;',
    ...(unit.arrays ? ['  kr_heap_release();'] : []),
    ...(unit.objects ? ['  kr_export_exit(kb_rc);'] : []),
    '  return kb_rc;',
    '}',
  ];
}
