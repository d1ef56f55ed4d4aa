/**
 * Members of `enum.Enum` and `enum.IntEnum` classes of the module (issue 15). A member is its index in its class's
 * members (`int64_t`, the type `{ kind: 'enum' }`): no heap object. The tracer reads `Color.RED` as
 * `kiln.enum_member(<the class's members as JSON>, 0)`; `.name` and `.value` read per-class static tables; two
 * members are equal (and identical) when their indices are. An IntEnum member compares with ints and IntEnum
 * members by value, as CPython's does; a plain Enum member never equals an int (`Color.RED == 1` is False).
 */
import { T, type KType } from '../types.ts';
import { strLiteralDeclaration } from './common_strings.ts';
import { expr, stmts, type LowerContext, type OpDomain, type Overload, type Resolved } from './common.ts';

type EnumType = KType & { kind: 'enum' };

const enumOf = (t: KType | undefined): EnumType | undefined => (t?.kind === 'enum' ? t : undefined);
const cName = (t: EnumType) => `kc_enum_${t.cls.replace(/[^A-Za-z0-9]+/g, '_')}`;

/** The C expression of the table of a class's names or (str) values, declared once per unit. */
function strTable(t: EnumType, what: 'names' | 'values', cx: LowerContext): string {
  const table = `${cName(t)}_${what}`;
  const items = what === 'names' ? t.names : t.values.map(String);
  cx.support?.(table, () => [
    ...items.map((s, i) => strLiteralDeclaration(`${table}_${i}`, s)),
    `static kr_str *const ${table}[] = { ${items.map((_s, i) => `KR_STR(${table}_${i})`).join(', ')} };`,
  ]);
  return table;
}

/** The C expression of the table of a class's int values. */
function intTable(t: EnumType, cx: LowerContext): string {
  const table = `${cName(t)}_ints`;
  cx.support?.(table, () => [`static const int64_t ${table}[] = { ${t.values.map((v) => `INT64_C(${v})`).join(', ')} };`]);
  return table;
}

function member(_args: KType[], consts: (import('../../ir/ir.ts').ConstValue | undefined)[]): Resolved | string | undefined {
  const spec = consts[0];
  const index = consts[1];
  if (spec?.kind !== 'str' || index?.kind !== 'int') return 'internal: an enum member without its class';
  const t = { kind: 'enum', ...(JSON.parse(spec.value) as Omit<EnumType, 'kind'>) } as EnumType;
  return { result: t, argTypes: [T.str, T.int], lower: expr(() => `INT64_C(${index.value})`) };
}

function getattr(args: KType[], consts: (import('../../ir/ir.ts').ConstValue | undefined)[]): Resolved | string | undefined {
  const t = enumOf(args[0]);
  const attr = consts[1];
  if (!t || attr?.kind !== 'str') return undefined;
  if (attr.value === 'name' || (attr.value === 'value' && typeof t.values[0] === 'string')) {
    const what = attr.value === 'name' ? 'names' : 'values';
    return { result: T.str, argTypes: args, lower: stmts((a, out, cx) => [`${out} = ${strTable(t, what, cx)}[${a[0]}];`]) };
  }
  if (attr.value === 'value') return { result: T.int, argTypes: args, lower: stmts((a, out, cx) => [`${out} = ${intTable(t, cx)}[${a[0]}];`]) };
  return `the attribute ${attr.value} of the enum member ${t.cls.slice(t.cls.lastIndexOf('.') + 1)} is not compiled: read .name or .value`;
}

const C_OPS: Record<string, string> = { eq: '==', ne: '!=', lt: '<', le: '<=', gt: '>', ge: '>=', is_: '==', is_not: '!=' };

/**
 * `a == b`, `a is b`... on enum members. Two members of one class: their indices (a member is its class's only
 * instance of its value). A plain Enum member and anything else: never equal (`==` False, `!=` True); IntEnum
 * members against ints or IntEnum members: their values, as ints.
 */
const compare = (op: string): Overload => ({
  target: `_operator.${op}`,
  signatures: [op.startsWith('is') || op === 'eq' || op === 'ne' ? '(enum member, enum member) -> bool' : '(IntEnum member, int or IntEnum member) -> bool'],
  resolve(args) {
    if (args.length !== 2) return undefined;
    const [x, y] = args.map(enumOf);
    if (!x && !y) return undefined;
    const c = C_OPS[op];
    const identity = op.startsWith('is');
    if (x && y && x.cls === y.cls && (identity || op === 'eq' || op === 'ne' || x.int)) {
      const order = !(identity || op === 'eq' || op === 'ne');
      return {
        result: T.bool, argTypes: args,
        lower: stmts((a, out, cx) => [order ? `${out} = ${intTable(x, cx)}[${a[0]}] ${c} ${intTable(x, cx)}[${a[1]}];` : `${out} = ${a[0]} ${c} ${a[1]};`]),
      };
    }
    const intSide = (t: KType, e: EnumType | undefined) => (e ? e.int : t.kind === 'scalar' && (t.name === 'int' || t.name === 'bool'));
    if (!identity && intSide(args[0], x) && intSide(args[1], y)) {
      return {
        result: T.bool, argTypes: args,
        lower: stmts((a, out, cx) => {
          const v = (i: number) => { const e = i ? y : x; return e ? `${intTable(e, cx)}[${a[i]}]` : `(int64_t)(${a[i]})`; };
          return [`${out} = ${v(0)} ${c} ${v(1)};`];
        }),
      };
    }
    if (op === 'eq' || op === 'ne' || identity) {
      if (args.some((t) => t.kind === 'union')) return undefined;
      return { result: T.bool, argTypes: args, lower: expr(() => (op === 'ne' || op === 'is_not' ? '1' : '0')) };
    }
    return undefined;
  },
});

/** `int(m)` of an IntEnum member: its value. */
const toInt: Overload = {
  target: 'builtins.int', signatures: ['int(IntEnum member) -> int'],
  resolve(args) {
    const e = enumOf(args[0]);
    if (args.length !== 1 || !e?.int) return undefined;
    return { result: T.int, argTypes: args, lower: stmts((a, out, cx) => [`${out} = ${intTable(e, cx)}[${a[0]}];`]) };
  },
};

export const enums: OpDomain = {
  name: 'enums',
  title: 'Enums',
  ops: [
    {
      target: 'kiln.enum_member', python: 'Color.RED', signatures: ['(class, index) -> enum member'],
      notes: 'a member of an enum.Enum/IntEnum class of the module: its index, no object',
      resolve: member,
    },
  ],
  overloads: [
    { target: 'kiln.getattr', signatures: ['(enum member, name | value) -> str | int'], resolve: getattr },
    ...Object.keys(C_OPS).map(compare),
    toInt,
  ],
};
