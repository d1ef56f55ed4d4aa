/**
 * Python's bytes: a reference-counted `kr_bytes *` (kiln_str.h). Indexing and iteration give ints, as Python;
 * decode('utf-8') gives a str (UnicodeDecodeError with CPython's positions and reasons). Comparisons are in
 * strings.ts (one entry per operator).
 */
import { T } from '../types.ts';
import { expr, isIdx, pyName, stmts, type OpDef, type OpDomain, type Overload, type Resolver } from './common.ts';
import { B, S, newRef } from './common_strings.ts';
import { encodingProblem } from './strings.ts';

const I = T.int;
const isBytes = (t: { kind: string } | undefined) => t?.kind === 'bytes';

const getitem: Resolver = (args) => {
  const [b, i] = args;
  if (!isBytes(b)) return undefined;
  if (args.length !== 2) return 'byte indices must be integers or slices, not tuple';
  if (i.kind === 'slice') return { result: B, argTypes: [B, i], lower: newRef((a) => `kr_bytes_slice(${a[0]}, ${a[1]})`) };
  if (!isIdx(i)) return `byte indices must be integers or slices, not ${pyName(i)}`;
  return { result: I, argTypes: [B, I], facts: { subscript: 'load' }, lower: { kind: 'call', emit: (a, o) => `kr_bytes_getitem(${a[0]}, ${a[1]}, &${o})` } };
};

const concat: Resolver = ([a, b]) => {
  if (!isBytes(a) && !isBytes(b)) return undefined;
  if (!isBytes(a) || !isBytes(b)) return `can't concat ${pyName(b)} to ${pyName(a)}`;
  return { result: B, argTypes: [B, B], lower: newRef((x) => `kr_bytes_concat(${x[0]}, ${x[1]})`) };
};

const decode: OpDef = {
  target: 'method.decode', python: "b.decode('utf-8')", signatures: ["bytes[, encoding='utf-8'[, errors='strict']] -> str (UnicodeDecodeError as CPython's decoder)"],
  facts: { keywords: ['self', 'encoding', 'errors'] },
  notes: 'Only UTF-8 is compiled; the encoding name is resolved at compile time.',
  resolve([b, enc, errors], consts) {
    if (!isBytes(b)) return `'${b ? pyName(b) : 'None'}' object has no attribute 'decode'`;
    const bad = encodingProblem(enc, consts[1], errors, consts[2]);
    if (bad) return bad;
    return { result: S, argTypes: [B, enc ?? T.none, errors ?? T.none], lower: newRef((a) => `kr_bytes_decode_utf8(${a[0]})`) };
  },
};

const overloads: Overload[] = [
  { target: 'builtins.len', signatures: ['bytes -> int'], resolve: ([b]) => (isBytes(b) ? { result: I, argTypes: [B], lower: expr((a) => `${a[0]}->length`) } : undefined) },
  { target: '_operator.getitem', signatures: ['b[i] -> int (IndexError "index out of range"), b[a:b:c] -> bytes'], resolve: getitem },
  { target: '_operator.add', signatures: ['bytes, bytes -> bytes'], resolve: concat },
  {
    target: 'builtins.list', signatures: ['bytes -> list[int] (its bytes)'],
    resolve: ([b]) => (isBytes(b) ? {
      result: T.list(I), argTypes: [B],
      lower: stmts((a, out, cx) => [
        `${out} = kr_list_new(${a[0]}->length, sizeof(int64_t)); if (!${out}) ${cx.try('-1')}`,
        `for (int64_t k = 0; k < ${a[0]}->length; k++) ((int64_t *)${out}->data)[k] = KR_BYTES_DATA(${a[0]})[k];`,
      ]),
    } : undefined),
  },
  { target: 'kiln.iter_item', signatures: ['for x in b: ints'], resolve: ([b]) => (isBytes(b) ? { result: I, argTypes: [B, I], lower: expr((a) => `kr_bytes_at(${a[0]}, ${a[1]})`) } : undefined) },
  {
    target: '_operator.contains', signatures: ['int in bytes, bytes in bytes'],
    resolve: ([b, x]) => {
      if (!isBytes(b)) return undefined;
      if (isIdx(x)) return { result: T.bool, argTypes: [B, I], lower: stmts((a, out, cx) => [`if ((uint64_t)${a[1]} > 255) ${cx.raise('ValueError', '"byte must be in range(0, 256)"')}`, `${out} = ${a[0]}->length && memchr(KR_BYTES_DATA(${a[0]}), (int)${a[1]}, (size_t)${a[0]}->length) != NULL;`]) };
      if (isBytes(x)) return { result: T.bool, argTypes: [B, B], lower: expr((a) => `kr_bytes_contains(${a[0]}, ${a[1]})`) };
      return `a bytes-like object is required, not '${pyName(x)}'`;
    },
  },
];

export const bytesDomain: OpDomain = { name: 'bytes', title: 'bytes', ops: [decode], overloads };
