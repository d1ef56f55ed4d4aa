/**
 * None and the tests of a value's type: `x is None`, `x is not None`, `x == None`, `isinstance(x, int)`,
 * `type(x) is float`, and the narrowing typecheck places after them. Values whose type depends on the path are
 * unions (types.ts); an op applied to one is dispatched over its members (common_unions.ts), so this domain only
 * has the ops that look at the type itself. Each of these tests has the `narrows` fact: typecheck reads
 * `testedMembers` to know which members of argument 0 the test leaves in each branch (types/narrowing.ts), and
 * places a `kiln.narrow` where a narrowed variable is read.
 */
import type { ConstValue } from '../../ir/ir.ts';
import {
  T, cType, isIntLike, isNicheOptional, isObject, isSubclassOf, typeToString, unionBox, unionHolds, unionMember, unionMembers, unionOf, type KType,
} from '../types.ts';
import { expr, pyName, stmts, type OpDef, type OpDomain, type Overload, type Resolved } from './common.ts';
import { retainC } from '../../lower/ownership.ts';

/** The classes a test names: `isinstance(x, (int, float))`, `type(x) is bool`. */
export type ClassName = 'int' | 'float' | 'bool' | 'NoneType';

/** True when a value of type `t` is an instance of `cls` (exactly, for `type(x) is cls`). bool is an int; np.float64 a float. */
export function isInstanceOf(t: KType, cls: ClassName, exact: boolean): boolean {
  if (cls === 'NoneType') return t.kind === 'none';
  // An enum member (types/ops/enums.ts) is an instance of its class; an IntEnum member of int too.
  if (t.kind === 'enum') return (cls as string) === t.cls || (!exact && t.int && cls === 'int');
  if (t.kind !== 'scalar') return false;
  if (exact) return t.name === cls;
  if (cls === 'int') return t.name === 'int' || t.name === 'bool';
  if (cls === 'float') return t.name === 'float' || t.name === 'float64';
  return t.name === 'bool';
}

const classesOf = (consts: (ConstValue | undefined)[]): ClassName[] =>
  consts.slice(1).flatMap((c) => (c?.kind === 'class' ? [c.name as ClassName] : []));

/** C of a test that holds for the members `yes` of `x`'s type `t` (a constant when the type decides it). */
function memberTest(x: string, t: KType, yes: (m: KType) => boolean): string {
  const members = unionMembers(t);
  const hits = members.filter(yes);
  if (!hits.length) return '0';
  if (hits.length === members.length) return '1';
  const u = t as KType & { kind: 'union' };
  return `(${hits.map((m) => unionHolds(x, u, m)).join(' || ')})`;
}

const isNoneArg = (t: KType, c: ConstValue | undefined) => t.kind === 'none' || c?.kind === 'none';

/**
 * The members of argument 0's type for which a narrowing test is true (`t`) and false (`f`); undefined when the
 * op and arguments are not such a test (or tell nothing). Typecheck narrows the tested variable by it.
 */
export function testedMembers(target: string, args: KType[], consts: (ConstValue | undefined)[]): { arg: number; t?: KType; f?: KType } | undefined {
  const split = (arg: number, yes: (m: KType) => boolean, negate = false) => {
    const members = unionMembers(args[arg]);
    const hit = members.filter(yes), miss = members.filter((m) => !yes(m));
    const t = hit.length ? (unionOf(hit) as KType) : undefined, f = miss.length ? (unionOf(miss) as KType) : undefined;
    return negate ? { arg, t: f, f: t } : { arg, t, f };
  };
  const noneSide = () => (isNoneArg(args[1], consts[1]) ? 0 : isNoneArg(args[0], consts[0]) ? 1 : -1);
  switch (target) {
    case '_operator.is_': case '_operator.eq': case '_operator.is_not': case '_operator.ne': {
      const arg = noneSide();
      if (arg < 0 || args.length !== 2) return undefined;
      return split(arg, (m) => m.kind === 'none', target === '_operator.is_not' || target === '_operator.ne');
    }
    case 'builtins.isinstance': {
      const classes = classesOf(consts);
      // A compiled class (a qualified name, types/ops/classes.ts): its test says nothing of None or numbers here; of
      // an instance of a base of that class, that it is one of that class where it is true (match's class patterns).
      if ((classes as string[]).some((c) => c.includes('.'))) return derivedClassTest(args[0], classes as string[]);
      return split(0, (m) => classes.some((c) => isInstanceOf(m, c, false)));
    }
    case 'kiln.type_is': {
      const [cls] = classesOf(consts);
      return split(0, (m) => isInstanceOf(m, cls, true));
    }
    default:
      return undefined;
  }
}

/**
 * isinstance(x, C) of an instance x of class B: where C derives from B, x is a C where the test is true; where B
 * derives from C (or is C) the test is always true, and where neither derives from the other, always false.
 */
function derivedClassTest(t: KType, classes: string[]): { arg: number; t?: KType; f?: KType } | undefined {
  if (t.kind !== 'instance' || classes.length !== 1) return undefined;
  const [c] = classes;
  if (isSubclassOf(t.cls, c)) return { arg: 0, t };
  if (isSubclassOf(c, t.cls)) return { arg: 0, t: { kind: 'instance', cls: c }, f: t };
  return { arg: 0, f: t };
}

/** `a is b` / `a is not b`: identity, compiled where it is a fact of the types (None, True, False). */
function identity(negate: boolean): OpDef['resolve'] {
  return (args, consts) => {
    if (args.length !== 2) return "'is' takes two operands";
    const [a, b] = args;
    const tested = testedMembers('_operator.is_', args, consts);
    const not = (c: string) => (negate ? `(!${c})` : c);
    if (tested) {
      const x = tested.arg;
      return { result: T.bool, argTypes: args, lower: expr((v) => not(memberTest(v[x], args[x], (m) => m.kind === 'none'))) };
    }
    // x is True / x is False: a bool that equals it (an int is never the True object).
    const boolConst = [consts[0], consts[1]].findIndex((c) => c?.kind === 'bool');
    if (boolConst >= 0) {
      const x = 1 - boolConst;
      const want = (consts[boolConst] as { value: boolean }).value;
      const t = args[x];
      const yes = (m: KType) => m.kind === 'scalar' && m.name === 'bool';
      if (!unionMembers(t).some(yes)) return { result: T.bool, argTypes: args, lower: expr(() => (negate ? '1' : '0')) };
      const value = (v: string) => (t.kind === 'union' ? unionMember(v, t, T.bool) : v);
      return { result: T.bool, argTypes: args, lower: expr((v) => not(`(${memberTest(v[x], t, yes)} && ${want ? '' : '!'}${value(v[x])})`)) };
    }
    return `'is' compares object identity, which Kiln does not compile for ${typeToString(a)} and ${typeToString(b)}; compare values with ${negate ? '!=' : '=='}`;
  };
}

/**
 * `x == None` / `x != None`: a number, a str, bytes or a tuple is never equal to None (so `a == b` of two `str | None`
 * compares the None combinations as constants).
 */
const NEVER_NONE_KINDS = new Set<KType['kind']>(['none', 'scalar', 'tuple', 'str', 'char', 'bytes']);
const equalsNone = (op: 'eq' | 'ne'): Overload => ({
  target: `_operator.${op}`, signatures: [`x ${op === 'eq' ? '==' : '!='} None -> bool (${op === 'eq' ? 'True only for None' : 'False only for None'})`],
  facts: { narrows: true },
  resolve(args, consts) {
    if (args.length !== 2 || (!isNoneArg(args[0], consts[0]) && !isNoneArg(args[1], consts[1]))) return undefined;
    const both = isNoneArg(args[0], consts[0]) && isNoneArg(args[1], consts[1]);
    if (args.some((t) => !NEVER_NONE_KINDS.has(t.kind))) return undefined;
    return { result: T.bool, argTypes: args, lower: expr(() => ((both ? op === 'eq' : op === 'ne') ? '1' : '0')) };
  },
});

const ops: OpDef[] = [
  {
    target: '_operator.is_', python: 'a is b', facts: { takesUnions: true, narrows: true, keepsNoList: 'all' },
    signatures: ['x is None -> bool (x of any type; narrows x in the branches it guards)', 'x is True, x is False'],
    resolve: identity(false),
  },
  {
    target: '_operator.is_not', python: 'a is not b', facts: { takesUnions: true, narrows: true, keepsNoList: 'all' },
    signatures: ['x is not None -> bool (narrows x in the branches it guards)', 'x is not True, x is not False'],
    resolve: identity(true),
  },
  {
    target: 'builtins.isinstance', python: 'isinstance(x, cls)', facts: { takesUnions: true, narrows: true },
    signatures: ['isinstance(x, int|float|bool|type(None)) or a tuple of those -> bool (narrows x)'],
    notes: 'bool is an int, as in Python; np.float64 is a float.',
    resolve(args, consts) {
      const classes = classesOf(consts);
      if (!classes.length || classes.length !== args.length - 1) return 'isinstance() takes a value and int, float, bool or type(None), or a tuple of them, here';
      return { result: T.bool, argTypes: args, lower: expr((v) => memberTest(v[0], args[0], (m) => classes.some((c) => isInstanceOf(m, c, false)))) };
    },
  },
  {
    target: 'kiln.type_is', python: 'type(x) is cls', facts: { takesUnions: true, narrows: true },
    signatures: ['type(x) is int|float|bool|type(None) (also ==, is not, !=) -> bool (the exact type; narrows x)'],
    resolve(args, consts) {
      const [cls] = classesOf(consts);
      if (!cls) return 'type(x) is compared with int, float, bool or type(None) here';
      return { result: T.bool, argTypes: args, lower: expr((v) => memberTest(v[0], args[0], (m) => isInstanceOf(m, cls, true))) };
    },
  },
  {
    target: 'kiln.not_none', python: 'x.m(...) where x is an instance or None', facts: { takesUnions: true },
    signatures: ['Class | None, attribute name -> the instance (AttributeError when it is None), the receiver of a method call'],
    notes: 'Typecheck places it before `obj.m(...)` of an `Optional[Class]` value that is not a variable (a field: `self.left.walk()`), which `is not None` tests do not narrow.',
    resolve(args, consts) {
      const [x] = args;
      const m = consts[1]?.kind === 'str' ? consts[1].value : undefined;
      const obj = x.kind === 'union' && isNicheOptional(x) ? x.members.find((t) => t.kind === 'instance') : undefined;
      if (!obj || m === undefined) return undefined;
      const msg = JSON.stringify(`'NoneType' object has no attribute '${m}'`);
      return {
        result: obj, argTypes: [x, T.str],
        lower: stmts(([v], out, cx) => [`if (!${v}) ${cx.raise('AttributeError', msg)}`, `${out} = ${v};${cx.borrowed ? '' : ` ${retainC(obj, out).join(' ')}`}`]),
      };
    },
  },
  {
    target: 'kiln.narrow', python: '(a variable read where a test proved its type)', facts: { takesUnions: true },
    signatures: ['x of a union type, where `x is None`, `isinstance(...)` or an assignment decided which members it holds -> that member, read without a test'],
    resolve() {
      return 'internal: kiln.narrow is placed by typecheck (narrowResolution)';
    },
  },
];

/** The resolution of a `kiln.narrow` that typecheck places: `x` of type `from` read as `to` (some of its members). */
export function narrowResolution(from: KType, to: KType): Resolved {
  // An instance read as one of a class derived from its static class (isinstance proved it): the same object.
  if (from.kind === 'instance' && to.kind === 'instance') return { result: to, argTypes: [from], lower: stmts(([x], out, cx) => [`${out} = (${cType(to)})${x};${cx.borrowed ? '' : ` ${retainC(to, out).join(' ')}`}`]), facts: {} };
  // An object read out of `Node | None` (the same pointer): a new reference, as every op's object result is.
  if (isObject(to) && isNicheOptional(from)) return { result: to, argTypes: [from], lower: stmts(([x], out, cx) => [`${out} = ${x};${cx.borrowed ? '' : ` ${retainC(to, out).join(' ')}`}`]), facts: {} };
  const lower = expr(([x]) => {
    if (from.kind !== 'union') return x;
    if (to.kind !== 'union') return unionMember(x, from, to);
    if (isNicheOptional(from)) return x;
    // A smaller union: the same tags, in the smaller struct.
    const parts = to.members.map((m) => ({ test: unionHolds(x, from, m), value: unionBox(unionMember(x, from, m), m, to) }));
    return `(${parts.slice(0, -1).map((p) => `${p.test} ? ${p.value} : `).join('')}${parts[parts.length - 1].value})`;
  });
  // Narrowed to None: no value to hold (a reader of None uses the constant).
  if (to.kind === 'none') return { result: to, argTypes: [from], lower: { kind: 'none' }, facts: {} };
  // `str | None` narrowed to str: the same pointer, as a new reference (the reader drops it after use).
  if (from.kind === 'union' && isNicheOptional(from) && isObject(to)) return { result: to, argTypes: [from], lower: stmts(([x], out, cx) => [`${out} = ${x};${cx.borrowed ? '' : ` ${retainC(to, out).join(' ')}`}`]), facts: {} };
  return { result: to, argTypes: [from], lower, facts: {} };
}

/**
 * A value of union type `from` used where only the member `to` is taken (range() of an `int | None`): the member,
 * or CPython's TypeError for the others ("'NoneType' object cannot be interpreted as an integer").
 */
export function checkedNarrowResolution(from: KType, to: KType): Resolved {
  const u = from as KType & { kind: 'union' };
  const missing = u.members.filter((m) => !unionMembers(to).some((x) => typeToString(x) === typeToString(m)));
  // A bool is an int (range(True) is range(1)): where an int is taken, a bool member is read as one.
  const asInt = to.kind === 'scalar' && to.name !== 'bool' && isIntLike(to);
  const bools = missing.filter((m) => asInt && m.kind === 'scalar' && m.name === 'bool');
  const others = missing.filter((m) => !bools.includes(m));
  return {
    result: to, argTypes: [from], facts: {},
    lower: stmts(([x], out, cx) => [
      ...others.map((m) => `if (${unionHolds(x, u, m)}) ${cx.raise('TypeError', JSON.stringify(`'${pyName(m)}' object cannot be interpreted as an integer`))}`),
      ...bools.map((m) => `if (${unionHolds(x, u, m)}) ${out} = (${cType(to)})${unionMember(x, u, m)}; else`),
      `${out} = ${unionMember(x, u, to)};`,
    ]),
  };
}

/**
 * `None in seq` where no item can be None (numbers, str, bytes, tuples: each is never equal to None, as above): False,
 * so `c in ("+", "-")` compiles for a `c` of `str | None` (the union's None member takes this).
 */
const NONE_FREE_CONTAINERS = new Set<KType['kind']>(['list', 'tuple', 'set', 'dict', 'deque']);
const noneIn: Overload = {
  target: '_operator.contains', signatures: ['None in a list, tuple, set or dict of numbers, str or tuples -> False'],
  resolve(args, consts) {
    const [seq, x] = args;
    if (args.length !== 2 || !seq || !isNoneArg(x, consts[1]) || !NONE_FREE_CONTAINERS.has(seq.kind)) return undefined;
    const items = seq.kind === 'tuple' ? seq.items : seq.kind === 'dict' ? [seq.key] : 'item' in seq ? [seq.item] : [];
    if (!items.every((t) => NEVER_NONE_KINDS.has(t.kind) && t.kind !== 'none')) return undefined;
    return { result: T.bool, argTypes: args, lower: expr(() => '0') };
  },
};

const overloads: Overload[] = [equalsNone('eq'), equalsNone('ne'), noneIn];

export const optional: OpDomain = {
  name: 'optional',
  title: 'None and values whose type depends on the path',
  ops,
  overloads,
};
