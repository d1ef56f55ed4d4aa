/** Tuples: packing, constant indexing and unpacking (a tuple is a C struct; its length is static). */
import { T, cType, escaped, ownsReferences } from '../types.ts';
import { retainC } from '../../lower/ownership.ts';
import { constInt, expr, pyName, stmts, type OpDef, type OpDomain, type Overload } from './common.ts';

// A tuple's object fields (str) are owned references: packing takes one for each (its items are borrowed), and an
// item read out is a new reference (the emitter owns and drops both, opt/lifetimes.ts).

const ops: OpDef[] = [
  {
    target: 'kiln.make_tuple', python: '(a, b, ...)', signatures: ['values -> tuple'], facts: { aliases: 'all', takesUnions: true, complexArrays: true },
    resolve(args) {
      const items = args.map(escaped); // a character is held as a str
      const t = T.tuple(items);
      if (items.some(ownsReferences)) {
        return { result: t, argTypes: items, lower: stmts((x, out) => [[`${out} = (${cType(t)}){${x.join(', ')}};`, ...retainC(t, out)].join(' ')]) };
      }
      return { result: t, argTypes: args, lower: expr((x) => (x.length ? `((${cType(t)}){${x.join(', ')}})` : '0')) };
    },
  },
  {
    target: '_operator.getitem', python: 't[i]', signatures: ['tuple, constant int -> item'], facts: { subscript: 'load', aliases: 'all' },
    resolve(args, consts) {
      const [t] = args;
      if (t.kind !== 'tuple') return `'${pyName(t)}' object is not subscriptable`;
      const idx = constInt(consts[1]);
      if (idx === undefined) return 'a tuple index must be a constant integer here';
      const n = BigInt(t.items.length);
      const k = idx < 0n ? idx + n : idx;
      if (k < 0n || k >= n) return 'IndexError: tuple index out of range';
      const item = t.items[Number(k)];
      if (item.kind === 'none') return { result: item, argTypes: [t, T.int], lower: { kind: 'none' } }; // a None item has no C value
      if (ownsReferences(item)) return { result: item, argTypes: [t, T.int], lower: stmts((x, out) => [[`${out} = ${x[0]}.f${k};`, ...retainC(item, out)].join(' ')]) };
      return { result: item, argTypes: [t, T.int], lower: expr((x) => `${x[0]}.f${k}`) };
    },
  },
  {
    target: 'kiln.check_unpack', python: 'a, b = t', signatures: ['tuple of n items into n names'], facts: { complexArrays: true },
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

/** `info.hits` of a record (a named tuple the library makes: functools' CacheInfo): its item. */
const recordField: Overload = {
  target: 'kiln.getattr', signatures: ['(CacheInfo, field name) -> item'],
  resolve(args, consts) {
    const [t] = args;
    const attr = consts[1]?.kind === 'str' ? consts[1].value : undefined;
    if (t?.kind !== 'tuple' || !t.record || attr === undefined) return undefined;
    const k = t.record.fields.indexOf(attr);
    if (k < 0) return `AttributeError: '${t.record.name}' object has no attribute '${attr}'`;
    const item = t.items[k];
    if (ownsReferences(item)) return { result: item, argTypes: [t, T.str], lower: stmts((x, out) => [[`${out} = ${x[0]}.f${k};`, ...retainC(item, out)].join(' ')]) };
    if (item.kind === 'none') return { result: item, argTypes: [t, T.str], lower: { kind: 'none' } };
    return { result: item, argTypes: [t, T.str], lower: expr((x) => `${x[0]}.f${k}`) };
  },
};

export const tuples: OpDomain = { name: 'tuples', title: 'Tuples', ops, overloads: [recordField] };
