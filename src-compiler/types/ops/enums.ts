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

/** The C expression of a table of texts per member (names, str values, str(), repr()), declared once per unit. */
function textTable(t: EnumType, what: string, items: string[], cx: LowerContext): string {
  const table = `${cName(t)}_${what}`;
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
    const items = what === 'names' ? t.names : t.values.map(String);
    return { result: T.str, argTypes: args, lower: stmts((a, out, cx) => [`${out} = ${textTable(t, what, items, cx)}[${a[0]}];`]) };
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

const shortName = (t: EnumType) => t.cls.slice(t.cls.lastIndexOf('.') + 1);
/** Python's repr of a member's value (str values are printable ASCII without backslashes: the tracer checks). */
const valueRepr = (v: number | string) => (typeof v === 'number' ? String(v) : v.includes("'") && !v.includes('"') ? `"${v}"` : `'${v.replace(/'/g, "\\'")}'`);

/** repr() of each member of an enum: `<Color.RED: 1>` (also a dict's or set's repr of its members, lower/dicts.ts). */
export const memberReprs = (t: EnumType): string[] => t.names.map((m, i) => `<${shortName(t)}.${m}: ${valueRepr(t.values[i])}>`);

/** str(m), repr(m), ascii(m): CPython 3.11's texts (`Color.RED`, `<Color.RED: 1>`; an IntEnum's str is its value's). */
const text = (name: 'str' | 'repr' | 'ascii'): Overload => ({
  target: `builtins.${name}`, signatures: [`${name}(enum member) -> ${name === 'str' ? "'Color.RED' ('1' for an IntEnum)" : "'<Color.RED: 1>'"}`],
  resolve(args) {
    const t = enumOf(args[0]);
    if (args.length !== 1 || !t) return undefined;
    const texts = name === 'str' ? t.names.map((m, i) => (t.int ? String(t.values[i]) : `${shortName(t)}.${m}`)) : memberReprs(t);
    return { result: T.str, argTypes: args, lower: stmts((a, out, cx) => [`${out} = ${textTable(t, name === 'str' ? 'strs' : 'reprs', texts, cx)}[${a[0]}];`]) };
  },
});

/** `Color(1)`: the member whose value is 1, else CPython's `ValueError: 5 is not a valid Color`. */
function lookup(args: KType[], consts: (import('../../ir/ir.ts').ConstValue | undefined)[]): Resolved | string | undefined {
  const spec = consts[0];
  if (spec?.kind !== 'str') return 'internal: an enum lookup without its class';
  const t = { kind: 'enum', ...(JSON.parse(spec.value) as Omit<EnumType, 'kind'>) } as EnumType;
  const v = args[1];
  if (typeof t.values[0] === 'string') {
    if (v.kind !== 'str' && v.kind !== 'char') return `${shortName(t)}(value) is compiled for a str value of an enum whose values are str, not for ${v.kind === 'scalar' ? v.name : v.kind}`;
    const values = t.values.map(String);
    return {
      result: t, argTypes: [T.str, T.str],
      lower: stmts((a, out, cx) => {
        const table = textTable(t, 'values', values, cx);
        cx.support?.('kc_enum_missing_str', () => [
          '/* ValueError: \'x\' is not a valid Color (the repr of the str looked up). */',
          'static KILN_COLD int kc_enum_missing_str(kr_str *v, const char *cls) {',
          '  kr_str *r = kr_str_repr(v); int64_t n = 0; const char *u = r ? kr_str_utf8(r, &n) : NULL;',
          '  if (!u) { if (r) kr_decref((kr_obj *)r); return -1; }',
          '  const char *mid = " is not a valid "; size_t lm = strlen(mid), lc = strlen(cls);',
          '  char *text = (char *)malloc((size_t)n + lm + lc + 1);',
          '  if (!text) { kr_decref((kr_obj *)r); return kr_raise(KILN_MemoryError, ""); }',
          '  memcpy(text, u, (size_t)n); memcpy(text + n, mid, lm); memcpy(text + n + lm, cls, lc + 1);',
          '  kr_decref((kr_obj *)r); kr_raise_copy(KILN_ValueError, text, (size_t)n + lm + lc); free(text); return -1;',
          '}',
        ]);
        return [
          `${out} = -1;`,
          `for (int64_t kc_i = 0; kc_i < ${values.length}; kc_i++) if (kr_str_eq(${table}[kc_i], ${a[1]})) { ${out} = kc_i; break; }`,
          `if (KILN_UNLIKELY(${out} < 0)) { kc_enum_missing_str(${a[1]}, ${JSON.stringify(shortName(t))}); ${cx.propagate()} }`,
        ];
      }),
    };
  }
  if (!(v.kind === 'scalar' && (v.name === 'int' || v.name === 'bool'))) {
    return `${shortName(t)}(value) is compiled for an int value of an enum whose values are ints, not for ${v.kind === 'scalar' ? v.name : v.kind}`;
  }
  const message = `%lld is not a valid ${shortName(t)}`;
  return {
    result: t, argTypes: [T.str, T.int],
    lower: stmts((a, out, cx) => [
      `${out} = -1;`,
      `for (int64_t kc_i = 0; kc_i < ${t.values.length}; kc_i++) if (${intTable(t, cx)}[kc_i] == ${a[1]}) { ${out} = kc_i; break; }`,
      `if (KILN_UNLIKELY(${out} < 0)) { snprintf(kr_err.buffer, sizeof kr_err.buffer, ${JSON.stringify(message)}, (long long)(${a[1]})); ${cx.raise('ValueError', 'kr_err.buffer')} }`,
    ]),
  };
}

/** `int(m)` of an IntEnum member: its value. */
const toInt: Overload = {
  target: 'builtins.int', signatures: ['int(IntEnum member) -> int'],
  resolve(args) {
    const e = enumOf(args[0]);
    if (args.length !== 1 || !e?.int) return undefined;
    return { result: T.int, argTypes: args, lower: stmts((a, out, cx) => [`${out} = ${intTable(e, cx)}[${a[0]}];`]) };
  },
};

/** `hash(m)`: CPython's Enum.__hash__ is hash(name) (Kiln's str hash: CPython's is randomised per process); an IntEnum's is its value's. */
const hashOf: Overload = {
  target: 'builtins.hash', signatures: ['hash(enum member) -> int (an IntEnum: its value\'s; an Enum: its name\'s, as a str)'],
  resolve(args) {
    const e = enumOf(args[0]);
    if (args.length !== 1 || !e) return undefined;
    return {
      result: T.int, argTypes: args, facts: { headers: ['kiln_collections.h'] },
      lower: stmts((a, out, cx) => [e.int ? `${out} = kr_hash_i64(${intTable(e, cx)}[${a[0]}]);` : `${out} = kr_str_hash(${textTable(e, 'names', e.names, cx)}[${a[0]}]);`]),
    };
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
    {
      target: 'kiln.enum_lookup', python: 'Color(1)', signatures: ['(class, int) -> enum member'],
      notes: "the member with that value; CPython's ValueError when none has it",
      resolve: lookup,
    },
  ],
  overloads: [
    { target: 'kiln.getattr', signatures: ['(enum member, name | value) -> str | int'], resolve: getattr },
    ...Object.keys(C_OPS).map(compare),
    toInt, hashOf, text('str'), text('repr'), text('ascii'),
  ],
};
