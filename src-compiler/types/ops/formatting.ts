/**
 * Text formatting: f-strings, str.format, `fmt % args` and format(v, spec), character for character CPython's
 * (the format-spec mini-language is kiln_str.h's, ported from CPython's formatter_unicode.c).
 *
 * An f-string, and a str.format call on a literal format string that needs nothing but positional or named
 * fields (no `{0.attr}`, `{0[i]}` or nested fields in a spec), is built by one writer (kr_sw): literal pieces,
 * then each field converted (!s !r !a) and formatted with its spec. A literal spec is parsed once per thread
 * (a static kr_fmtspec at the site), so a formatting loop parses nothing. Everything else goes through the
 * runtime's kr_str_format / kr_str_percent, which parse the format at run time.
 */
import { T, isIntLike, isNumpyNumber, typeToString, type KType } from '../types.ts';
import { pyName, stmts, type ArgFacts, type LowerContext, type Lowering, type OpDef, type OpDomain, type Overload, type Resolver } from './common.ts';
import { S, constStr, isAscii, isNoneArg, isStrish, newRef, strLiteralDeclaration, codePoints, cStringOf } from './common_strings.ts';
import { hasValueRepr, holdsNumpy, numpyItemsProblem, valueRepr } from './strings.ts';

/** One piece of a formatted string: literal text, or a field (args[v] converted by c, formatted by spec s). */
export type Piece = { l: string } | { v: number; c: number; s?: string | { a: number } };

const CONV: Record<number, string> = { [-1]: '', 115: 's', 114: 'r', 97: 'a' };

/** How a field's value is formatted, by its type: the runtime's spec defaults and names. */
type FieldKind = 'int' | 'bool' | 'float' | 'str' | 'char' | 'none' | 'bytes';
function fieldKind(t: KType): FieldKind | string {
  if (t.kind === 'str') return 'str';
  if (t.kind === 'bytes') return 'bytes';
  if (t.kind === 'char') return 'char';
  if (t.kind === 'none') return 'none';
  if (t.kind === 'scalar') {
    if (t.name === 'bool') return 'bool';
    if (['int', 'int64', 'int32', 'int16', 'int8', 'uint8', 'uint16', 'uint32'].includes(t.name)) return 'int';
    if (t.name === 'float' || t.name === 'float64') return 'float';
    return `formatting a ${typeToString(t)} is not compiled (NumPy formats it its own way); convert it with float(...) or int(...)`;
  }
  return `formatting a ${typeToString(t)} is not compiled (str, int, float, bool and None are)`;
}
const KIND_TYPE: Record<FieldKind, KType> = { int: T.int, bool: T.bool, float: T.float, str: S, char: T.char, none: T.none, bytes: T.bytes };
/** kr_fmtspec_parse's defaults for each kind: (default type, default alignment, type name for messages). */
const SPEC_DEFAULTS: Record<'int' | 'bool' | 'float' | 'str', [string, string, string]> = {
  int: ["'d'", "'>'", 'int'], bool: ["'d'", "'>'", 'bool'], float: ['0', "'>'", 'float'], str: ["'s'", "'<'", 'str'],
};
/** The kr_val of a value (str.format and % take their arguments as tagged values). */
const VAL: Record<FieldKind, (x: string) => string> = {
  int: (x) => `kr_val_int((int64_t)(${x}))`, bool: (x) => `kr_val_bool(${x})`, float: (x) => `kr_val_float(${x})`,
  str: (x) => `kr_val_str(${x})`, char: (x) => `kr_val_str(${x})`, none: () => 'kr_val_none()',
  bytes: () => { throw new Error('internal: bytes are not a kr_val'); },
};

const KINDS = ['int', 'bool', 'float', 'str', 'char', 'none', 'bytes'];
/** The kinds str.format and % take (as kr_val): not bytes. */
const VAL_KINDS = ['int', 'bool', 'float', 'str', 'char', 'none'];

/**
 * Why a value's repr cannot be written by the format here: a NumPy scalar's repr is NumPy 2's (np.float64(9.0),
 * np.True_), which repr() writes (ops/strings.ts) and the format's conversions do not. `numpy`: surely NumPy's
 * (ArgFacts.numpy: a bool that is np.bool_).
 */
function numpyReprProblem(t: KType, numpy: boolean, how: string): string | undefined {
  if (isNumpyNumber(t) || (numpy && t.kind === 'scalar' && t.name === 'bool')) return `${how} of ${numpy && t.kind === 'scalar' && t.name === 'bool' ? 'an np.bool_' : `an ${typeToString(t)}`} is not compiled (NumPy 2's repr, np.float64(9.0)): format repr(x) instead`;
  return undefined;
}

/** The argument types a formatted field's value is taken as (a character with a conversion or a spec becomes a str). */
function fieldType(t: KType, conv: number, spec: unknown, numpy: boolean): KType | string {
  if (conv === 114 || conv === 97) {
    const np = numpyReprProblem(t, numpy, `f"{x!${CONV[conv]}}"`);
    if (np) return np;
  }
  if (t.kind !== 'scalar' && t.kind !== 'complex' && holdsNumpy(t)) return numpyItemsProblem(t, 'formatting');
  // A dict, set, deque, tuple or list: its repr (object.__format__ takes no spec: CPython raises TypeError).
  // A complex: its repr (str(z) is repr(z)); complex.__format__'s spec language is not compiled.
  if (t.kind === 'complex' && ((spec !== undefined && spec !== '') || conv === 97)) return `formatting a complex with ${conv === 97 ? '!a' : 'a format spec'} is not compiled (f"{z}" and f"{z!r}" are)`;
  // NumPy's complex128: f"{z}" is its str (the complex's text); !r (NumPy 2's np.complex128(...)) goes through repr().
  if (t.kind === 'complex' && t.np) return { kind: 'complex' };
  if (hasValueRepr(t)) {
    if (spec !== undefined && spec !== '') return `unsupported format string passed to ${t.kind === 'deque' ? 'collections.deque' : t.kind}.__format__`;
    return conv === 97 ? `formatting a ${typeToString(t)} with !a is not compiled (!r and !s are)` : t;
  }
  const k = fieldKind(t);
  if (!KINDS.includes(k)) return k;
  if (k === 'char' && (conv !== -1 || (spec !== undefined && spec !== ''))) return S;
  return KIND_TYPE[k as FieldKind];
}

/**
 * C that writes pieces into the writer `kw`, error in `kerr` (each step runs only while kerr is 0). `value(k)` is the
 * C of args[k], `type(k)` its type as the op takes it. Block-scope statics: literal text (`kfl<n>`), literal specs
 * (`kfs<n>`) and their parsed forms (`kps<n>`, parsed once per thread).
 */
function writePieces(pieces: Piece[], value: (k: number) => string, type: (k: number) => KType, cx: LowerContext): string[] {
  const lines: string[] = [];
  let n = 0;
  const step = (c: string) => lines.push(`  if (!kerr) kerr = ${c};`);
  for (const p of pieces) {
    if ('l' in p) {
      if (!p.l) continue;
      if (isAscii(p.l)) step(`kr_sw_put_ascii(&kw, ${cStringOf(codePoints(p.l))}, ${p.l.length})`);
      else {
        const name = `kfl${n++}`;
        lines.push(`  ${strLiteralDeclaration(name, p.l)}`);
        step(`kr_sw_put_str(&kw, KR_STR(${name}), 0, ${codePoints(p.l).length})`);
      }
      continue;
    }
    const id = n++;
    let x = value(p.v);
    if (hasValueRepr(type(p.v))) {
      // A container's text is its repr (also under !s and !r).
      lines.push(`  kr_str *kc${id} = kerr ? NULL : ${valueRepr(type(p.v), x, cx)};`, `  if (!kerr && !kc${id}) kerr = -1;`);
      step(`kr_sw_put_str(&kw, kc${id}, 0, kc${id}->length)`);
      lines.push(`  kr_decref(kc${id});`);
      continue;
    }
    let kind = fieldKind(type(p.v)) as FieldKind;
    const specLit = typeof p.s === 'string' && p.s !== '' ? p.s : undefined;
    const specArg = typeof p.s === 'object' ? value(p.s.a) : undefined;
    const conv = CONV[p.c] ?? '';
    let converted = false;
    if (kind === 'bytes') {
      // str(), repr() and ascii() of bytes are all its repr: then the spec formats that text.
      lines.push(`  kr_str *kc${id} = kerr ? NULL : kr_bytes_repr(${x});`, `  if (!kerr && !kc${id}) kerr = -1;`);
      x = `kc${id}`;
      kind = 'str';
      converted = true;
    } else if (conv && !(conv === 's' && kind === 'str')) {
      // !r, !a (and !s of a number): the text first, then the spec formats it as a str.
      if (kind === 'str' && !specLit && !specArg) { step(`kr_repr_into(&kw, ${x}, ${conv === 'a' ? 1 : 0})`); continue; }
      lines.push(`  kr_str *kc${id} = kerr ? NULL : ${kind === 'str' ? (conv === 'r' ? `kr_str_repr(${x})` : `kr_str_ascii(${x})`) : `kr_val_convert(${VAL[kind](x)}, '${conv}')`};`);
      lines.push(`  if (!kerr && !kc${id}) kerr = -1;`);
      x = `kc${id}`;
      kind = 'str';
      converted = true;
    }
    if (specLit) lines.push(`  ${strLiteralDeclaration(`kfs${id}`, specLit)}`);
    if (kind === 'none') step(`kr_format_none_into(&kw, ${specArg ?? (specLit ? `KR_STR(kfs${id})` : 'kr_str_empty')})`);
    else if (specArg) step(`kr_format_${kind === 'float' ? 'f64' : kind === 'int' ? 'i64' : kind}_into(&kw, ${kind === 'int' ? `(int64_t)(${x})` : x}, ${specArg})`);
    else if (specLit) {
      // A literal spec: parsed once per thread, then applied.
      const [dt, da, tn] = SPEC_DEFAULTS[kind as 'int' | 'bool' | 'float' | 'str'];
      lines.push(`  static KILN_TLS kr_fmtspec kps${id}; static KILN_TLS int kps${id}_ok;`);
      lines.push(`  if (!kerr && !kps${id}_ok) { kerr = kr_fmtspec_parse(KR_STR(kfs${id}), ${dt}, ${da}, "${tn}", &kps${id}); kps${id}_ok = !kerr; }`);
      if (kind === 'str') step(`kr_format_str_spec(&kw, ${x}, &kps${id})`);
      else if (kind === 'float') step(`kr_format_f64_spec(&kw, ${x}, &kps${id}, "float")`);
      else step(`kr_format_i64_spec(&kw, (int64_t)(${x}), &kps${id}, "${tn}")`);
    } else if (kind === 'str') step(`kr_sw_put_str(&kw, ${x}, 0, ${x}->length)`);
    else if (kind === 'char') step(`kr_sw_putc(&kw, ${x})`);
    else if (kind === 'bool') step(`kr_sw_put_cstr(&kw, ${x} ? "True" : "False")`);
    else if (kind === 'int') step(`kr_format_i64_into(&kw, (int64_t)(${x}), kr_str_empty)`);
    else step(`kr_format_f64_into(&kw, ${x}, kr_str_empty)`);
    if (converted) lines.push(`  kr_decref(kc${id});`);
  }
  return lines;
}

/** The lowering of a whole formatted string: a writer, the pieces, the result (new reference) or the error. */
function writerLowering(pieces: Piece[], types: KType[]): Lowering {
  const hint = pieces.reduce((h, p) => h + ('l' in p ? codePoints(p.l).length : 8), 0);
  return stmts((a, out, cx) => [
    `{ kr_sw kw; int kerr = kr_sw_init(&kw, ${Math.max(hint, 16)}, 127);`,
    ...writePieces(pieces, (k) => a[k], (k) => types[k], cx),
    `  if (kerr) { kr_sw_discard(&kw); ${cx.propagate()} }`,
    `  ${out} = kr_sw_finish(&kw); }`,
  ]);
}

/** Resolves the value types of pieces (args[k] for fields and runtime specs) into the op's argTypes. */
function pieceTypes(pieces: Piece[], args: KType[], argFacts?: ArgFacts[]): KType[] | string {
  const types = args.map((t) => t);
  for (const p of pieces) {
    if ('l' in p) continue;
    const t = fieldType(args[p.v], p.c, p.s, !!argFacts?.[p.v]?.numpy);
    if (typeof t === 'string') return t;
    types[p.v] = t;
    if (typeof p.s === 'object') {
      if (!isStrish(args[p.s.a])) return 'a nested format spec must be a str';
      types[p.s.a] = S;
    }
  }
  return types;
}

const fstring: OpDef = {
  target: 'kiln.fstring', python: "f'...{x!r:>{w}.3f}...'",
  signatures: ['fields of str, int, float, bool, None; conversions !s !r !a; the whole format-spec mini-language (fill, align, sign, z, #, 0, width, grouping , _, .precision, type); nested specs {x:{w}}; {x=}', 'fields of tuples, lists, dicts, sets and deques (as str() has them): their repr, without a spec'],
  notes: 'Literal specs are parsed once per thread; the string is built by one writer.',
  resolve(args, consts, _ops, argFacts) {
    const template = constStr(consts[0]);
    if (template === undefined) return 'internal: an f-string without its template';
    const pieces = JSON.parse(template) as Piece[];
    const types = pieceTypes(pieces, args, argFacts);
    if (typeof types === 'string') return types;
    types[0] = S;
    return { result: S, argTypes: types, lower: writerLowering(pieces, types) };
  },
};

// ---- str.format ------------------------------------------------------------------------------------------

/**
 * A literal format string's pieces, when they need only positional or named fields (the f-string writer builds
 * it); undefined when it needs the runtime (attributes, indices, nested specs, or an error the runtime words:
 * an unmatched brace, a missing argument, mixed numbering).
 */
export function parseFormatString(fmt: string, nargs: number, names: string[]): Piece[] | undefined {
  const pieces: Piece[] = [];
  let lit = '';
  let auto = 0;
  let mode: 'auto' | 'manual' | undefined;
  let i = 0;
  const cps = [...fmt];
  while (i < cps.length) {
    const c = cps[i];
    if (c === '}') {
      if (cps[i + 1] !== '}') return undefined;
      lit += '}';
      i += 2;
      continue;
    }
    if (c !== '{') { lit += c; i++; continue; }
    if (cps[i + 1] === '{') { lit += '{'; i += 2; continue; }
    // A field: {name[!conv][:spec]}
    let j = i + 1;
    let name = '';
    while (j < cps.length && !['}', '!', ':', '{', '[', '.'].includes(cps[j])) name += cps[j++];
    if (j >= cps.length || ['{', '[', '.'].includes(cps[j])) return undefined;
    let conv = -1;
    if (cps[j] === '!') {
      const k = cps[j + 1];
      if (!k || !['s', 'r', 'a'].includes(k) || !(cps[j + 2] === '}' || cps[j + 2] === ':')) return undefined;
      conv = k.charCodeAt(0);
      j += 2;
    }
    let spec: string | undefined;
    if (cps[j] === ':') {
      spec = '';
      j++;
      while (j < cps.length && cps[j] !== '}') {
        if (cps[j] === '{') return undefined; // a nested field: the runtime
        spec += cps[j++];
      }
    }
    if (cps[j] !== '}') return undefined;
    let index: number;
    if (name === '') {
      if (mode === 'manual') return undefined;
      mode = 'auto';
      index = auto++;
      if (index >= nargs) return undefined;
      index += 2;
    } else if (/^\d+$/.test(name)) {
      if (mode === 'auto') return undefined;
      mode = 'manual';
      if (Number(name) >= nargs) return undefined;
      index = Number(name) + 2;
    } else {
      const k = names.indexOf(name);
      if (k < 0) return undefined;
      index = 2 + nargs + k;
    }
    if (lit) pieces.push({ l: lit });
    lit = '';
    pieces.push({ v: index, c: conv, ...(spec !== undefined ? { s: spec } : {}) });
    i = j + 1;
  }
  if (lit) pieces.push({ l: lit });
  return pieces;
}

const format: OpDef = {
  target: 'method.format', python: "'...'.format(*args, **kwargs)",
  signatures: ['fields {}, {0}, {name}, conversions and specs as f-strings; values str, int, float, bool, None', '{0.real}, {0[i]} and nested specs through the runtime (kr_str_format)'],
  notes: 'A literal format string is parsed at compile time into the f-string writer when it can be.',
  resolve(args, consts, _ops, argFacts) {
    const [fmt] = args;
    if (!isStrish(fmt)) return undefined;
    const names = JSON.parse(constStr(consts[1]) ?? '[]') as string[];
    const nargs = args.length - 2 - names.length;
    const kinds: KType[] = [S, S];
    for (let k = 2; k < args.length; k++) {
      const f = fieldKind(args[k]);
      if (!VAL_KINDS.includes(f)) return f === 'bytes' ? 'str.format() of bytes is not compiled (an f-string is)' : f;
      kinds.push(f === 'char' ? S : KIND_TYPE[f as FieldKind]);
    }
    const literal = constStr(consts[0]);
    const pieces = literal !== undefined ? parseFormatString(literal, nargs, names) : undefined;
    // A NumPy scalar under !r or !a (any field of a format the runtime parses may be one).
    for (let k = 2; k < args.length; k++) {
      const converted = !pieces || pieces.some((p) => 'v' in p && p.v === k && (p.c === 114 || p.c === 97));
      const np = converted && numpyReprProblem(args[k], !!argFacts?.[k]?.numpy, pieces ? 'str.format() with {!r} or {!a}' : 'str.format() of a format string that is not a literal');
      if (np) return np;
    }
    if (pieces) return { result: S, argTypes: kinds, lower: writerLowering(pieces, kinds) };
    // The runtime parses the format (and raises CPython's errors).
    return {
      result: S, argTypes: kinds,
      lower: stmts((a, out, cx) => {
        const vals = (from: number, n: number) => (n ? `(const kr_val []){${Array.from({ length: n }, (_, k) => VAL[fieldKind(kinds[from + k]) as FieldKind](a[from + k])).join(', ')}}` : 'NULL');
        return [
          '{',
          ...names.map((nm, k) => `  ${strLiteralDeclaration(`kfn${k}`, nm)}`),
          `  ${out} = kr_str_format(${a[0]}, ${vals(2, nargs)}, ${nargs}, ${names.length ? `(kr_str *const []){${names.map((_, k) => `KR_STR(kfn${k})`).join(', ')}}` : 'NULL'}, ${vals(2 + nargs, names.length)}, ${names.length});`,
          `  if (!${out}) ${cx.propagate()}`,
          '}',
        ];
      }),
    };
  },
};

// ---- % and format() ------------------------------------------------------------------------------------------

/** `fmt % value` and `fmt % (a, b, ...)` (printf-style, CPython's PyUnicode_Format, parsed at run time). */
const percent: Resolver = ([fmt, v], consts, _ops, argFacts) => {
  if (!isStrish(fmt)) return undefined;
  const items = v.kind === 'tuple' ? v.items : [v];
  // A NumPy scalar under %r or %a (in a literal format; any one the runtime parses may have them).
  const literal = constStr(consts[0]);
  if (literal === undefined || /%[-#0 +]*(\*|\d+)?(\.(\*|\d+))?[ra]/.test(literal.replace(/%%/g, ''))) {
    const np = items.map((t) => numpyReprProblem(t, v.kind !== 'tuple' && !!argFacts?.[1]?.numpy, literal === undefined ? '%-formatting with a format that is not a literal' : '%r or %a')).find(Boolean);
    if (np) return np;
  }
  const kinds: KType[] = [];
  for (const t of items) {
    const f = fieldKind(t);
    if (f === 'bytes') return '%-formatting bytes is not compiled (an f-string is)';
    if (!VAL_KINDS.includes(f)) return f.startsWith('formatting') ? f.replace('formatting', '%-formatting') : f;
    if (f === 'char' && v.kind === 'tuple') return '%-formatting a tuple holding a character is not compiled';
    kinds.push(f === 'char' ? S : KIND_TYPE[f as FieldKind]);
  }
  const tuple = v.kind === 'tuple';
  return {
    result: S, argTypes: [S, tuple ? T.tuple(kinds) : kinds[0]],
    lower: newRef((a) => {
      const vals = tuple ? items.map((_, k) => VAL[fieldKind(kinds[k]) as FieldKind](`${a[1]}.f${k}`)) : [VAL[fieldKind(kinds[0]) as FieldKind](a[1])];
      return `kr_str_percent(${a[0]}, ${vals.length ? `(const kr_val []){${vals.join(', ')}}` : 'NULL'}, ${vals.length}, ${tuple ? 1 : 0}, NULL, NULL, 0)`;
    }),
  };
};

const formatBuiltin: OpDef = {
  target: 'builtins.format', python: 'format(v[, spec])', signatures: ['str, int, float, bool, None[, spec: str] -> str (the format-spec mini-language)'],
  resolve([v, spec], consts, _ops, argFacts) {
    if (!v) return 'format() takes at least 1 argument';
    if (!isNoneArg(spec) && !isStrish(spec)) return `format() argument 2 must be str, not ${pyName(spec!)}`;
    const lit = isNoneArg(spec) ? '' : constStr(consts[1]);
    const pieces: Piece[] = [{ v: 0, c: -1, ...(lit !== undefined ? (lit ? { s: lit } : {}) : { s: { a: 1 } }) }];
    const types = pieceTypes(pieces, [v, spec ?? T.none], argFacts);
    if (typeof types === 'string') return types;
    if (isNoneArg(spec)) types[1] = T.none;
    else types[1] = S;
    const lower = writerLowering(pieces, types);
    return { result: S, argTypes: types, lower };
  },
};

/** hex(n), oct(n), bin(n): CPython's are format(n, '#x'), '#o', '#b' for every int (the sign before the prefix), written by the same writer. */
const radixBuiltin = (name: 'hex' | 'oct' | 'bin', spec: string, example: string): OpDef => ({
  target: `builtins.${name}`, python: `${name}(n)`, signatures: [`int, bool -> str (${example}; format(n, '${spec}'))`],
  resolve(args, _consts, _ops, argFacts) {
    if (args.length !== 1) return `TypeError: ${name}() takes exactly one argument (${args.length} given)`;
    const [v] = args;
    if (!isIntLike(v)) return `TypeError: '${pyName(v)}' object cannot be interpreted as an integer`;
    const pieces: Piece[] = [{ v: 0, c: -1, s: spec }];
    const types = pieceTypes(pieces, [v], argFacts);
    if (typeof types === 'string') return types;
    return { result: S, argTypes: types, lower: writerLowering(pieces, types) };
  },
});

const ops: OpDef[] = [fstring, format, formatBuiltin, radixBuiltin('hex', '#x', "hex(255) is '0xff', hex(-1) '-0x1'"), radixBuiltin('oct', '#o', "oct(8) is '0o10'"), radixBuiltin('bin', '#b', "bin(5) is '0b101'")];
const overloads: Overload[] = [
  { target: '_operator.mod', signatures: ["fmt % value, fmt % (a, b): printf-style, CPython's (%s %r %a %d %i %u %x %X %o %e %f %g %c %%, flags, width, .precision, *)"], resolve: percent },
];

export const formatting: OpDomain = { name: 'formatting', title: 'Text formatting', ops, overloads };
