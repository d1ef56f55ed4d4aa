/**
 * Records: str-keyed dicts whose keys are known at compile time, each key with its own value type (types.ts, the
 * 'record' kind). A dict display of constant str keys whose values do not share one type is one — model weights
 * kept as picoGPT keeps them, `{"w": matrix, "b": vector}`, `{"attn": {...}, "ln_1": {...}}`, a list of such
 * blocks — and so is the `**kwargs` of a call. Its C form is the tuple struct of its values.
 *
 * Reads follow CPython: `d["w"]` is the value, a key the record lacks raises KeyError (known at compile time, so
 * refused there as a tuple index out of range is), `"w" in d`, `len(d)` and `d.get("w")` are constants or
 * fields. Nothing writes into a record (its keys and their types are its type): a store, `del`, `pop`, an update
 * and a loop over it are refused with a hint. The arrays it holds are views of their buffers, so writing into
 * one (`d["w"][0] = 1.0`) writes the array every holder sees, as in CPython.
 */
import type { ConstValue } from '../../ir/ir.ts';
import { T, cType, escaped, ownsReferences, typeToString, type KType } from '../types.ts';
import { retainC } from '../../lower/ownership.ts';
import { expr, isNone, stmts, type OpDomain, type Overload, type Resolved } from './common.ts';

type Record = KType & { kind: 'record' };
type Res = Resolved | string;

const constStr = (c: ConstValue | undefined): string | undefined => (c?.kind === 'str' ? c.value : undefined);
const pyRepr = (key: string): string => `'${key.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/**
 * A dict display whose keys are all constant str and whose values do not share one dict value type: a record.
 * undefined leaves the display to dicts.ts (one key type, one value type: a kr_dict, which may change later).
 */
function makeRecord(args: KType[], consts: (ConstValue | undefined)[]): Res | undefined {
  if (!args.length) return undefined;
  const keys = args.flatMap((_, i) => (i % 2 ? [] : [constStr(consts[i])]));
  if (keys.some((k) => k === undefined)) return undefined;
  const values = args.filter((_, i) => i % 2).map(escaped);
  // An empty list value is typed by what goes into it later: only a dict learns that.
  if (values.some((v) => v.kind === 'list' && v.item.kind === 'none') || values.some((v) => v.kind === 'dict' && v.key.kind === 'none')) return undefined;
  const one = values.every((v) => typeToString(v) === typeToString(values[0]));
  if (one && values[0].kind !== 'record') return undefined;
  // A repeated key keeps its first place and its last value, as CPython's display does.
  const names: string[] = [];
  const from: number[] = [];
  keys.forEach((k, i) => {
    const at = names.indexOf(k!);
    if (at < 0) {
      names.push(k!);
      from.push(i);
    } else from[at] = i;
  });
  const items = from.map((i) => values[i]);
  const t: Record = { kind: 'record', names, items };
  const argTypes = args.map((a, i) => (i % 2 ? escaped(a) : T.str));
  const fields = (x: string[]) => from.map((i) => x[2 * i + 1]);
  if (items.some(ownsReferences)) {
    return { result: t, argTypes, lower: stmts((x, out) => [[`${out} = (${cType(t)}){${fields(x).join(', ')}};`, ...retainC(t, out)].join(' ')]) };
  }
  return { result: t, argTypes, lower: expr((x) => `((${cType(t)}){${fields(x).join(', ')}})`) };
}

/** The field of a constant key, or the message of the lookup (KeyError, or a key not known at compile time). */
function field(r: Record, key: ConstValue | undefined, keyType: KType | undefined, what: string): number | string {
  const k = constStr(key);
  if (k === undefined) {
    if (keyType && keyType.kind !== 'str' && keyType.kind !== 'char') return `KeyError: a ${typeToString(keyType)} key is never in ${typeToString(r)} (its keys are str)`;
    return `${what} with a key not known at compile time, of a dict whose values differ in type per key (${typeToString(r)}): Kiln types such a dict by its constant keys; write the key as a str literal, or keep values of one type in the dict`;
  }
  const i = r.names.indexOf(k);
  return i < 0 ? `KeyError: ${pyRepr(k)}` : i;
}

/** The value of field i, a new reference where it owns some (as a tuple item read out is). */
function readField(r: Record, i: number, argTypes: KType[]): Resolved {
  const item = r.items[i];
  if (item.kind === 'none') return { result: item, argTypes, lower: { kind: 'none' } };
  if (ownsReferences(item)) return { result: item, argTypes, lower: stmts((x, out) => [[`${out} = ${x[0]}.f${i};`, ...retainC(item, out)].join(' ')]) };
  return { result: item, argTypes, lower: expr((x) => `${x[0]}.f${i}`) };
}

const getitem: Overload = {
  target: '_operator.getitem', signatures: ['dict of constant str keys with values of different types, constant str -> that key\'s value (KeyError for a key it lacks)'],
  resolve([r, k], consts) {
    if (r?.kind !== 'record') return undefined;
    const i = field(r, consts[1], k, 'd[k]');
    if (typeof i === 'string') return i.startsWith('KeyError') ? `${i} (this lookup raises KeyError when it runs in Python)` : i;
    return readField(r, i, [r, k]);
  },
};

const get: Overload = {
  target: 'method.get', signatures: ['record, constant str[, default] -> the value, or the default (None) for a key it lacks'],
  resolve([r, k, dflt], consts) {
    if (r?.kind !== 'record') return undefined;
    const i = field(r, consts[1], k, 'd.get(k)');
    if (typeof i === 'number') return readField(r, i, [r, k, ...(dflt ? [dflt] : [])]);
    if (!i.startsWith('KeyError')) return i;
    // A key the record lacks: the default, which is what Python returns.
    if (isNone(dflt)) return { result: T.none, argTypes: [r, k, ...(dflt ? [dflt] : [])], lower: { kind: 'none' } };
    return `d.get(k, default) of a key ${typeToString(r)} lacks is its default; write the default itself`;
  },
};

const contains: Overload = {
  target: '_operator.contains', signatures: ['constant str in record -> bool (known at compile time)'],
  resolve([r, k], consts) {
    if (r?.kind !== 'record') return undefined;
    const key = constStr(consts[1]);
    if (key === undefined && (k?.kind === 'str' || k?.kind === 'char')) return field(r, undefined, k, 'k in d') as string;
    const found = key !== undefined && r.names.includes(key);
    return { result: T.bool, argTypes: [r, k], lower: expr(() => (found ? '1' : '0')) };
  },
};

/** What a record does not do, with the way to write it. */
const refused = (target: string, what: string, hint: string): Overload => ({
  target, signatures: [],
  resolve: ([r]) => (r?.kind === 'record' ? `${what} of a dict whose values differ in type per key (${typeToString(r)}) is not compiled: ${hint}` : undefined),
});

const WRITE_HINT = 'Kiln types such a dict by its constant keys and never changes it; build a new dict, keep values of one type in a dict that changes, or write into an array it holds (d["w"][...] = x)';
const LOOP_HINT = 'its keys are known: read each by name (d["w"], d["b"]), or keep values of one type in a dict you loop over';

const overloads: Overload[] = [
  { target: 'kiln.make_dict', signatures: ['constant str keys, values of different types -> a record: dict whose value type is per key (model weights nested as picoGPT keeps them)'], resolve: makeRecord },
  getitem, get, contains,
  refused('_operator.setitem', 'd[k] = v', WRITE_HINT),
  refused('_operator.delitem', 'del d[k]', WRITE_HINT),
  refused('method.pop', 'd.pop(k)', WRITE_HINT),
  refused('method.setdefault', 'd.setdefault(k, v)', WRITE_HINT),
  refused('method.update', 'd.update(e)', WRITE_HINT),
  refused('method.copy', 'd.copy()', 'a record is never written, so share it instead of copying it'),
  refused('kiln.loop_start', 'a loop over the keys, values or items', LOOP_HINT),
  refused('kiln.view_list', 'the keys, values or items as a list', LOOP_HINT),
  refused('kiln.iter_item', 'a loop', LOOP_HINT),
  refused('_operator.eq', '==', 'compare its values one by one'),
  refused('_operator.ne', '!=', 'compare its values one by one'),
];

export const records: OpDomain = { name: 'records', title: 'Dicts of constant keys (records)', ops: [], overloads };
