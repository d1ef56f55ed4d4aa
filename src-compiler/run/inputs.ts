/**
 * Verification inputs: a spread of ordinary and edge values for each annotated parameter, with the
 * parameters that size loops or recursion kept small, plus the examples the user wrote in
 * `@compile(examples=[...])`.
 */
import type { PyLiteral } from '../frontend/ast.ts';
import type { IRFunction, IRNode } from '../ir/ir.ts';
import { isRef, walkNodes as walk } from '../ir/ir.ts';
import type { TypedProgram } from '../types/typecheck.ts';
import { SCALARS, type KType } from '../types/types.ts';
import { checkInstanceArgument, coerceArgument, coerceToType, LiteralError, pyRepr, sameValue, type ArrayLayout, type PyValue } from './values.ts';
import { towerParams } from '../types/tower.ts';
import type { ScalarName } from '../types/types.ts';
import { instanceClassOf, isArrayDict, isWeightTree, type DictType, type HandleApi } from '../lower/abi.ts';

const I64_MAX = 2n ** 63n - 1n;
const I64_MIN = -(2n ** 63n);

// ---- arrays and lists: aligned pools (entry k of every array pool has compatible shapes) --------------

const SHAPES: Record<number, number[][]> = {
  1: [[5], [0], [1], [3], [4], [8], [17], [3], [5], [2], [130], [6]],
  2: [[3, 5], [2, 0], [1, 1], [3, 3], [4, 4], [2, 8], [5, 5], [3, 3], [2, 5], [2, 2], [4, 3], [3, 6]],
  3: [[2, 3, 5], [1, 2, 0], [1, 1, 1], [2, 3, 3], [2, 2, 4], [1, 2, 8], [2, 2, 5], [2, 3, 3], [1, 2, 5], [2, 2, 2], [2, 4, 3], [1, 3, 6]],
};
const LAYOUTS: ArrayLayout[] = ['c', 'c', 'c', 'reversed', 'strided', 'c', 'reversed', 'strided', 'reversed', 'c', 'strided', 'c'];
/** Entries with NaN, infinities and -0.0 among ordinary values. */
const SPECIAL = new Set([7]);

function itemValues(dtype: ScalarName, n: number, seed: number, special: boolean): (number | bigint | boolean)[] {
  // complex128: the parts of each item in turn, as float64 values (quarters, and the special values in some).
  if (SCALARS[dtype].complex) return itemValues('float64', 2 * n, seed, special);
  const rand = rng(seed * 7919 + n * 31 + dtype.length);
  const s = SCALARS[dtype];
  return Array.from({ length: n }, (_, i) => {
    const r = rand();
    if (dtype === 'bool') return r < 0.5;
    if (s.float) {
      if (special && i % 4 === 1) return [NaN, Infinity, -0.0, -Infinity][(i >> 2) % 4];
      const v = Math.round((r * 20 - 10) * 4) / 4; // quarters: exact in binary
      return dtype === 'float32' ? Math.fround(v) : v;
    }
    const bits = BigInt(s.bits);
    const lo = s.signed ? -(2n ** (bits - 1n)) : 0n;
    const hi = s.signed ? 2n ** (bits - 1n) - 1n : 2n ** bits - 1n;
    if (special && i % 3 === 1) return i % 2 ? hi : lo; // wraps as NumPy does
    const v = BigInt(Math.floor(r * 101) - (s.signed ? 50 : 0));
    return v < lo ? lo : v > hi ? hi : v;
  });
}

function arrayPool(t: KType & { kind: 'array' }): PyValue[] {
  return SHAPES[t.ndim].map((shape, k) => {
    const n = shape.reduce((a, b) => a * b, 1);
    return { kind: 'array', dtype: t.dtype, shape, values: itemValues(t.dtype, n, k + 1, SPECIAL.has(k)), layout: LAYOUTS[k] };
  });
}

/**
 * Dicts of arrays: entry k holds every key the function reads (`keys`), each an array of entry k's shape (so entry k of
 * the other array pools fits it), values and layouts varied per key; then the generic dicts (keys of the text pool:
 * the KeyError path, and the empty dict).
 */
function arrayDictPool(t: DictType, keys: string[], small: boolean): PyValue[] {
  const v = t.value;
  const str = (key: string): PyValue => ({ kind: 'str', value: key });
  // A dict of dicts of arrays: entry k of the inner pool under every key (nested keys: the first 6 only).
  const inner = v.kind === 'dict' ? arrayDictPool(v, keys.slice(0, 6), small) : [];
  const full = !keys.length ? [] : v.kind === 'array' ? SHAPES[v.ndim].map((shape, k): PyValue => {
    const n = shape.reduce((a, b) => a * b, 1);
    return {
      kind: 'dict', items: keys.map((key, j): [PyValue, PyValue] => [str(key),
        { kind: 'array', dtype: v.dtype, shape, values: itemValues(v.dtype, n, k + 1 + 13 * j, SPECIAL.has(k)), layout: LAYOUTS[(k + j) % LAYOUTS.length] }]),
    };
  }) : SHAPES[1].map((_s, k): PyValue => ({ kind: 'dict', items: keys.slice(0, 6).map((key): [PyValue, PyValue] => [str(key), inner[k % inner.length]]) }));
  return [...full, ...containerPool(t, small).slice(0, 3)];
}

/**
 * Weight trees (abi.ts isWeightTree): entry k lays out the whole tree with every array of entry k's shape of its
 * rank (the ranks' shapes of one entry fit each other and the other array pools', as x @ w + b needs), values and
 * layouts varied per array; a list holds 2 blocks (entry 1: none, entry 2: one). The keys are the layout's own.
 */
function weightTreePool(t: KType): PyValue[] {
  return SHAPES[1].map((_s, k): PyValue => {
    let j = 0;
    const make = (x: KType, listLen: number): PyValue => {
      if (x.kind === 'array') {
        const shape = SHAPES[x.ndim][k], n = shape.reduce((a, b) => a * b, 1);
        j++;
        return { kind: 'array', dtype: x.dtype, shape, values: itemValues(x.dtype, n, k + 1 + 13 * j, SPECIAL.has(k)), layout: LAYOUTS[(k + j) % LAYOUTS.length] };
      }
      if (x.kind === 'record') return { kind: 'dict', items: x.names.map((name, i): [PyValue, PyValue] => [{ kind: 'str', value: name }, make(x.items[i], 2)]) };
      if (x.kind === 'list') return { kind: 'list', items: Array.from({ length: listLen }, () => make(x.item, 2)) };
      throw new Error(`internal: ${x.kind} in a weight tree`);
    };
    return make(t, k === 1 ? 0 : k === 2 ? 1 : 2);
  });
}

/**
 * The str keys an entry and the functions it calls look up in dicts of arrays (`p["w"]`, `p.get("b")`, `"w" in p`): a
 * generated dict-of-arrays argument holds them (arrayDictPool), so that its cases run past the lookups.
 */
export function arrayDictKeys(program: TypedProgram, entryKey: string): string[] {
  const keys = new Set<string>();
  const byKey = new Map([...program.functions, ...program.entries].map((f) => [f.key, f]));
  const reached = new Set([entryKey]);
  for (const k of reached) for (const c of byKey.get(k)?.calls.values() ?? []) reached.add(c);
  for (const k of reached) {
    const f = byKey.get(k);
    if (!f) continue;
    walk(f.ir.nodes, (n) => {
      if (n.op !== 'call_function' || !n.argTypes?.some((t) => isArrayDict(t))) return;
      for (const a of n.args) if ('const' in a && a.const.kind === 'str') keys.add(a.const.value);
    });
  }
  return [...keys].slice(0, 12);
}

function listPool(t: KType & { kind: 'list' }): PyValue[] {
  const item = t.item;
  if (item.kind === 'list') {
    // Lists of lists: rectangular and ragged, empty rows, no rows; rows drawn from the pool of the inner lists.
    const rows = listPool(item);
    const shapes = [[0, 3, 4], [], [2], [1, 2, 3, 4], [5, 5], [1, 3, 7, 9, 0, 2], [3, 3, 3], [4, 8, 6, 0], [9], [2, 2, 2, 2], [10, 0, 3], [0, 1]];
    return shapes.map((idx) => ({ kind: 'list', items: idx.map((k) => rows[k % rows.length]) }));
  }
  if (item.kind === 'str') {
    // Lists of words: empty, one empty string, duplicates, sentences, accents, CJK, emoji, whitespace.
    const picks = [[0, 26, 14], [], [1], [26, 26, 30, 26], [6, 7, 8, 10], [4], [13, 12, 11, 1, 2], [32, 33, 31], [16, 17, 18, 19, 20, 21, 22], [2, 2]];
    return picks.map((idx) => ({ kind: 'list', items: idx.map((k) => ({ kind: 'str', value: TEXT_POOL[k % TEXT_POOL.length] })) }));
  }
  if (item.kind === 'complex') {
    // Lists of complex numbers: empty, one, and runs through the complex pool (signed zeros, infinities, NaN parts).
    const parts = pool(item, true);
    return [[0, 5, 3], [], [1], [2, 6, 7, 13], [8, 9, 10, 11, 12], [4, 4]].map((idx) => ({ kind: 'list', items: idx.map((k) => parts[k % parts.length]) }));
  }
  if (item.kind !== 'scalar') return [{ kind: 'list', items: [] }];
  const lengths = [5, 0, 1, 3, 4, 8, 17, 3, 5, 2, 30, 6];
  const d: ScalarName = item.name === 'int' ? 'int64' : item.name === 'float' ? 'float64' : item.name;
  return lengths.map((n, k) => {
    let values = itemValues(d, n, k + 101, SPECIAL.has(k));
    if (item.name === 'int' && k === 10) values = values.map((v, i) => (i === 3 ? 2n ** 62n : v)); // sums past int64 raise
    const items = values.map((v): PyValue => (typeof v === 'boolean' ? { kind: 'bool', value: v }
      : item.name === 'int' ? { kind: 'int', value: BigInt(v) } : item.name === 'float' ? { kind: 'float', value: Number(v) }
        : { kind: 'np', dtype: item.name, value: v as number | bigint }));
    return { kind: 'list', items };
  });
}

/**
 * Text for str parameters: the empty string, ASCII words and sentences, accents (precomposed and combining),
 * CJK, emoji outside the BMP (surrogate pairs in UTF-16), whitespace of every kind (tabs, newlines, NBSP, em
 * space, ideographic space), case traps (ß, ﬁ, final sigma, dotted I), and the strings number parsers meet
 * (int()/float() literals with signs, spaces, underscores, prefixes, exponents, inf and nan, and bad ones).
 */
export const TEXT_POOL: string[] = [
  'hello world', '', 'a', 'Hello, World!', 'The quick brown fox jumps over the lazy dog', '  padded  ',
  'café naïve résumé', 'e\u0301 combining \u0301marks', '日本語のテキスト', '中文，标点。', 'emoji 😀 and 🎉 party',
  'tab\there\nnew line\r\n', '\u00a0nbsp\u2003em\u3000ideo', 'straße ﬁne ΣΊΣΥΦΟΣ İstanbul', 'racecar',
  'A man, a plan, a canal: Panama', '12345', '-42', ' +7 ', '3.14', '-0.5e-3', '1_000_000', '0x1F', '1e10', 'inf', '-nan',
  'abc', '12abc', '٣٤٥', 'MiXeD CaSe wOrDs', 'aaaa bbbb aaaa', 'x,y,,z', 'one\ntwo\nthree',
  'Ω≈ç√∫˜µ≤≥÷', 'zzz yyy xxx',
];
export const BYTES_POOL: string[] = ['68656c6c6f', '', '636166c3a9', 'f09f9880', 'ff', 'c3', '616263ed', '00010203', 'e282ac', 'c0af'];

/** Instances nested in a generated instance's fields, at most (an optional field deeper is None). */
const INSTANCE_NESTING = 2;

/**
 * Instances of a class for parameters: each made from values of its fields' pools (as kiln_<Class>_new and the
 * reference's `object.__new__` plus the attributes make them; __init__ does not run), nested instances to a depth of
 * INSTANCE_NESTING. Empty when a field needs an instance nested deeper (a class whose every instance holds another).
 */
function instancePool(cls: string, classes: ReadonlyMap<string, HandleApi>, depth = 0): PyValue[] {
  const h = classes.get(cls);
  if (!h) return [];
  const fieldPools = h.fields.map((f) => {
    const inner = instanceClassOf(f.type);
    if (!inner) return pool(f.type, false);
    const nested = depth < INSTANCE_NESTING ? instancePool(inner, classes, depth + 1) : [];
    return f.type.kind === 'union' ? [...nested.slice(0, 1), { kind: 'none' } as PyValue, ...nested.slice(1)] : nested;
  });
  if (fieldPools.some((p) => !p.length)) return [];
  const n = Math.min(8, Math.max(1, ...fieldPools.map((p) => p.length)));
  return Array.from({ length: n }, (_, k): PyValue => ({
    kind: 'object', cls: h.python, module: h.module, fields: h.fields.map((f, j): [string, PyValue] => [f.name, fieldPools[j][(k + j) % fieldPools[j].length]]),
  }));
}

function pool(t: KType, small: boolean, literal?: string[], classes?: ReadonlyMap<string, HandleApi>, keys: string[] = []): PyValue[] {
  const cls = instanceClassOf(t);
  if (cls) {
    const made = classes ? instancePool(cls, classes) : [];
    return t.kind === 'union' ? [...made.slice(0, 1), { kind: 'none' }, ...made.slice(1)] : made;
  }
  if (literal) return literal.map((v) => ({ kind: 'str', value: v }));
  if (isWeightTree(t)) return weightTreePool(t);
  if (isArrayDict(t)) return arrayDictPool(t as DictType, keys, small);
  if (t.kind === 'str') return TEXT_POOL.map((v) => ({ kind: 'str', value: v }));
  if (t.kind === 'bytes') return BYTES_POOL.map((h) => ({ kind: 'bytes', value: new Uint8Array(Buffer.from(h, 'hex')) }));
  if (t.kind === 'array') return arrayPool(t);
  // A tuple[T, ...]: the lists' items as tuples.
  if (t.kind === 'list') return t.tuple ? listPool(t).map((v) => (v.kind === 'list' ? { kind: 'tuple', items: v.items } : v)) : listPool(t);
  if (t.kind === 'dict' || t.kind === 'set') return containerPool(t, small);
  if (t.kind === 'deque') {
    // Empty, a few items, repeated items, and bounded deques (maxlen 0, full, and room left).
    const items = pool(t.item, small);
    const take = (idx: number[]) => idx.map((i) => items[i % items.length]);
    const shapes: [number[], number | null][] = [[[0, 1, 2], null], [[], null], [[3], null], [[1, 1, 4, 5, 6], null], [[2, 3], 2], [[], 0], [[4, 5, 6], 5]];
    return shapes.map(([idx, maxlen]): PyValue => ({ kind: 'deque', items: take(idx), maxlen }));
  }
  if (t.kind === 'complex') {
    // Zeros of both signs, the axes, the four quadrants, huge and tiny parts, infinities and NaN in either part.
    const parts: [number, number][] = [[1.5, -2.0], [0.0, 0.0], [-0.0, -0.0], [0.0, 1.0], [-1.0, 0.0], [3.0, 4.0], [-2.5, 0.5], [1e300, 1e300],
      [5e-324, -1e-300], [Infinity, 0.0], [0.0, -Infinity], [NaN, 1.0], [1.0, NaN], [-7.0, -0.25]];
    // An np.complex128 parameter gets NumPy's scalars (CPython's function sees what a NumPy caller passes).
    return parts.map(([re, im]) => ({ kind: 'complex', re, im, ...(t.np ? { np: true as const } : {}) }));
  }
  if (t.kind === 'tuple') {
    const pools = t.items.map((it) => pool(it, small));
    const n = Math.max(...pools.map((p) => p.length));
    return Array.from({ length: Math.min(n, 6) }, (_, i) => ({ kind: 'tuple', items: pools.map((p) => p[(i + 1) % p.length]) }));
  }
  if (t.kind === 'union') {
    // Each member's values in turn (an ordinary value first), None among them.
    const pools = t.members.filter((m) => m.kind !== 'none').map((m) => pool(m, small));
    const out: PyValue[] = [];
    for (let i = 0; out.length < 40 && pools.some((p) => i < p.length); i++) for (const p of pools) if (i < p.length) out.push(p[i]);
    if (t.members.some((m) => m.kind === 'none')) out.splice(1, 0, { kind: 'none' });
    return out;
  }
  if (t.kind !== 'scalar') return [{ kind: 'none' }];
  const ints = (xs: (bigint | number)[]): PyValue[] => xs.map((x) => ({ kind: 'int', value: BigInt(x) }));
  switch (t.name) {
    case 'int':
      if (small) return ints([5, 0, 1, 2, 3, 7, 10, 13, -1, -3]);
      return ints([7, 0, 1, -1, 2, -2, 3, 10, -13, 100, 255, -1000, 2 ** 31, -(2 ** 31) - 1, 2n ** 53n + 1n, 2n ** 62n, -(2n ** 62n), I64_MAX, I64_MIN]);
    case 'float':
      return [2.5, 0.0, -0.0, 1.0, -1.0, 0.5, -3.75, 0.1, 3.0, 1e-300, 5e-324, 1e300, 1.7976931348623157e308, Infinity, -Infinity, NaN, 2 ** 53 + 2, -7.0].map((v) => ({ kind: 'float', value: v }));
    case 'bool':
      return [{ kind: 'bool', value: true }, { kind: 'bool', value: false }];
    case 'float32': case 'float64': {
      const big = t.name === 'float32' ? 3.4028234663852886e38 : 1.7976931348623157e308;
      return [1.5, 0, -0.0, 1, -2.25, 0.1, big, Infinity, -Infinity, NaN].map((v) => ({ kind: 'np', dtype: t.name, value: t.name === 'float32' ? Math.fround(v) : v }));
    }
    default: {
      const s = SCALARS[t.name];
      const bits = BigInt(s.bits);
      const lo = s.signed ? -(2n ** (bits - 1n)) : 0n;
      const hi = s.signed ? 2n ** (bits - 1n) - 1n : 2n ** bits - 1n;
      const vals = small ? [5n, 0n, 1n, 2n, 3n, 7n] : [7n, 0n, 1n, 2n, hi, lo, hi - 1n, s.signed ? -1n : 3n, s.signed ? -7n : 100n];
      return vals.filter((v) => v >= lo && v <= hi).map((v) => ({ kind: 'np', dtype: t.name, value: v }));
    }
  }
}

/**
 * Dicts and sets for parameters: empty, one item, a few, keys whose ints collide in CPython's table (multiples of 8)
 * and repeat under equality (1 and 1.0 are one key), from the key and value pools; a repeated key keeps its last value.
 */
function containerPool(t: KType & ({ kind: 'dict' } | { kind: 'set' }), small: boolean): PyValue[] {
  const keyType = t.kind === 'dict' ? t.key : t.item;
  const keys = keyType.kind === 'scalar' && keyType.name === 'int'
    ? [1, 0, -1, 8, 16, 24, 7, 2 ** 40, -(2 ** 62), 3].map((k): PyValue => ({ kind: 'int', value: BigInt(k) }))
    : pool(keyType, small);
  const values = t.kind === 'dict' ? pool(t.value, small) : [];
  const sizes = [[0, 1, 2], [], [3], [4, 5, 6, 7], [1, 1, 0], [8, 9, 2, 0, 5, 6], [2, 3, 4, 5, 6, 7, 8, 9]];
  return sizes.map((idx, n) => {
    const picked: PyValue[] = [];
    for (const i of idx) {
      const k = keys[i % keys.length];
      if (!picked.some((x) => sameValue(x, k))) picked.push(k);
    }
    return t.kind === 'set' ? { kind: 'set', items: picked, ...(t.frozen ? { frozen: true as const } : {}) }
      : { kind: 'dict', items: picked.map((k, j): [PyValue, PyValue] => [k, values[(n + j) % values.length]]) };
  });
}

/** Parameters whose values flow into range() bounds, while conditions, or calls that loop or recurse. */
export function loopSizedParams(program: TypedProgram, entry: IRFunction): Set<string> {
  const fnLoops = new Map<string, boolean>();
  for (const f of program.functions) {
    let loops = f.recursive;
    walk(f.ir.nodes, (n) => { if (n.op === 'for_range' || n.op === 'while') loops = true; });
    fnLoops.set(f.name, loops);
  }
  const result = new Set<string>();
  const typed = program.entries.find((e) => e.name === entry.name);
  for (const p of entry.params) {
    const tainted = new Set([p.name]);
    let grew = true;
    while (grew) {
      grew = false;
      walk(entry.nodes, (n) => {
        if ((n.op === 'call_function' || n.op === 'assign') && n.args.some((a) => isRef(a) && tainted.has(a.ref))) {
          const target = n.op === 'assign' ? n.target : n.name;
          if (!tainted.has(target)) { tainted.add(target); grew = true; }
        }
      });
    }
    const uses = (n: IRNode) => n.args.some((a) => isRef(a) && tainted.has(a.ref));
    walk(entry.nodes, (n) => {
      if (n.op === 'for_range' && uses(n)) result.add(p.name);
      if (n.op === 'while') {
        // Anything compared inside a while loop may decide when it ends.
        if (uses(n)) result.add(p.name);
        for (const r of n.regions!) walk(r.nodes, (t) => { if (uses(t)) result.add(p.name); });
      }
      // Sizes of new lists and arrays ([0] * n, np.zeros(n), np.arange(n), ...) stay small too.
      if (n.op === 'call_function' && uses(n) && typed?.resolved.get(n.name)?.facts?.sizedByArgs) result.add(p.name);
      if (n.op === 'call_function' && uses(n)) {
        // A call of a compiled function that loops or recurses (a module function, a closure, a lambda).
        const local = n.target.startsWith(`${entry.module}.`) ? n.target.slice(entry.module.length + 1) : '';
        const callee = typed?.calls.get(n.name);
        const calleeName = callee ? program.functions.find((f) => f.key === callee)?.name : undefined;
        if ((local && fnLoops.get(local)) || (calleeName && fnLoops.get(calleeName))) result.add(p.name);
      }
    });
    if (program.entries.find((e) => e.name === entry.name)?.recursive && entry.params.length) {
      result.add(p.name);
    }
  }
  return result;
}


/** A small deterministic PRNG (mulberry32), so the same function always gets the same cases. */
function rng(seed: number) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface CaseSet {
  cases: PyValue[][];
  examples: number; // how many leading cases came from the user's examples
  small: string[];
}

export function generateCases(
  params: { name: string; type: KType; default?: PyLiteral; literal?: string[] }[], small: Set<string>, maxCases: number, examples: PyValue[][] = [],
  classes?: ReadonlyMap<string, HandleApi>,
  dictKeys: string[] = [],
): CaseSet {
  const pools = params.map((p) => withDefault(pool(p.type, small.has(p.name), p.literal, classes, dictKeys), p));
  // A class none of whose instances can be made from generated fields: only the examples run.
  if (pools.some((p) => !p.length)) return { cases: [...examples], examples: examples.length, small: [...small] };
  const cases: PyValue[][] = [...examples];
  const seen = new Set<string>();
  const key = (c: PyValue[]) => JSON.stringify(c, (_k, v) => (typeof v === 'bigint' ? `${v}n` : Number.isNaN(v) ? 'NaN' : Object.is(v, -0) ? '-0' : v));
  examples.forEach((c) => seen.add(key(c)));
  const add = (c: PyValue[]) => {
    const k = key(c);
    if (!seen.has(k) && cases.length < maxCases + examples.length) {
      seen.add(k);
      cases.push(c);
    }
  };
  if (!params.length) {
    add([]);
    return { cases, examples: examples.length, small: [...small] };
  }
  add(pools.map((p) => p[0])); // the ordinary case
  // Arrays and lists: entry k of every pool together (compatible shapes, every layout).
  if (params.some((p) => p.type.kind === 'array' || p.type.kind === 'list' || isArrayDict(p.type) || isWeightTree(p.type))) {
    const longest = Math.max(...pools.map((p) => p.length));
    for (let k = 0; k < longest; k++) add(pools.map((p) => p[k % p.length]));
  }
  // Each parameter through its whole pool, the others ordinary.
  pools.forEach((p, i) => p.forEach((v) => add(pools.map((q, j) => (j === i ? v : q[0])))));
  // Then random combinations.
  const rand = rng(params.length * 7919 + pools.reduce((a, p) => a + p.length, 0));
  for (let tries = 0; tries < maxCases * 20 && cases.length < maxCases + examples.length; tries++) {
    add(pools.map((p) => p[Math.floor(rand() * p.length)]));
  }
  return { cases, examples: examples.length, small: [...small] };
}

/** A parameter's default value (as a caller who leaves it out gets it) comes first in its pool. */
function withDefault(values: PyValue[], p: { name: string; type: KType; default?: PyLiteral }): PyValue[] {
  if (p.default === undefined) return values;
  try {
    const d = coerceToType(literalToValue(p.default), p.type, p.name);
    return [d, ...values.filter((v) => JSON.stringify(v, bigints) !== JSON.stringify(d, bigints))];
  } catch {
    return values;
  }
}
const bigints = (_k: string, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v);

/**
 * `@compile(examples=[(3.0, -1.0, 2.0), ...])`: each example is a tuple of arguments (or one value for one
 * parameter); an example may leave out trailing parameters that have defaults.
 */
export function examplesFromDecorator(
  lit: PyLiteral | undefined, params: { name: string; type: KType; default?: PyLiteral }[],
  /** Whether an example (its values with their own Python types) calls this specialisation (types/tower.ts): 'mine',
   *  'other' (another one runs it), or why none does. Default: every example, converted to the parameters' types. */
  belongs: (raw: PyValue[]) => string = () => 'mine',
  /** The function's big-int twin takes ints past 64 bits (ExportedFunction.bigArgs): such an example int stays one. */
  bigArgs = false,
  /** The handle APIs of the classes its instances are of (an instance example's fields must fit them), by qualified name. */
  classes: Map<string, HandleApi> = new Map(),
): { cases: PyValue[][]; problems: string[]; raw: PyValue[][] } {
  const problems: string[] = [];
  /** Each example's values with their own Python types (what CPython is called with: True, not 1). */
  const raws: PyValue[][] = [];
  if (lit === undefined || lit === null) return { cases: [], problems, raw: raws };
  if (typeof lit !== 'object' || !('_t' in lit) || (lit._t !== 'list' && lit._t !== 'tuple')) {
    return { cases: [], problems: ['examples= must be a list of argument tuples'], raw: raws };
  }
  const cases: PyValue[][] = [];
  const tower = towerParams(params.map((p) => p.type));
  lit.items.forEach((item, k) => {
    // One tuple of arguments per call; for a one-parameter function a bare value or a 1-tuple `(10,)` (for a tuple
    // parameter of n != 1 items, `((1.0, 2.0),)` is the 1-tuple of arguments; `(1.0, 2.0)` the bare value).
    const isTuple = typeof item === 'object' && item && '_t' in item && item._t === 'tuple';
    const p0 = params[0]?.type;
    const wrapped = isTuple && item.items.length === 1 && (p0?.kind !== 'tuple' || p0.items.length !== 1);
    const args = isTuple && (params.length !== 1 || wrapped) ? [...item.items] : [item];
    while (args.length < params.length && params[args.length].default !== undefined) args.push(params[args.length].default!);
    if (args.length !== params.length) {
      problems.push(`example ${k + 1} has ${args.length} values for ${params.length} parameters`);
      return;
    }
    try {
      const raw = args.map(literalToValue);
      const whose = belongs(raw);
      if (whose === 'other') return;
      if (whose !== 'mine') {
        problems.push(`example ${k + 1}: ${whose}`);
        return;
      }
      const converted = raw.map((a, i) => (instanceClassOf(params[i].type)
        ? checkInstanceArgument(a, params[i].type, classes, `example ${k + 1}, ${params[i].name}`)
        : coerceArgument(a, params[i].type, bigArgs, `example ${k + 1}, ${params[i].name}`)));
      cases.push(converted);
      // CPython gets a tower parameter's literal as written (3 stays an int where float is annotated); every other
      // parameter converted to its annotation, as the native call gets it (a tuple where an array is annotated; a list
      // literal, read as a tuple, is a list again at a list tower parameter, its items of the types that picked it).
      raws.push(raw.map((a, i) => (tower.includes(i) && params[i].type.kind !== 'list' ? a : converted[i])));
    } catch (e) {
      problems.push((e as Error).message);
    }
  });
  return { cases, problems, raw: raws };
}

/** A float's repr() as a number (`nan`, `inf`, `-inf` too). */
const specialOrNumber = (r: string): number => (r === 'nan' ? NaN : r === 'inf' ? Infinity : r === '-inf' ? -Infinity : Number(r));

/**
 * The instances of `examples=` (`Vec(1.0, 2.0)`, a `{ _t: 'new' }` literal), as CPython built them (run/verify.ts
 * resolveExampleInstances runs the class calls before the cases are planned), or why they could not be built.
 */
export const exampleInstances = new WeakMap<object, PyValue | string>();

/** The outermost class calls in a literal (an example's nested ones are built with it). */
export type ClassCallLiteral = Extract<PyLiteral, { _t: 'new' }>;
export function classCallsIn(l: PyLiteral | undefined): ClassCallLiteral[] {
  if (!l || typeof l !== 'object') return [];
  if (l._t === 'new') return [l];
  if ('items' in l) return (l.items as (PyLiteral | [PyLiteral, PyLiteral])[]).flatMap((x) => (Array.isArray(x) ? x.flatMap(classCallsIn) : classCallsIn(x)));
  return [];
}

/** A value parsed from text (`kiln run`'s arguments) as the literal the frontend would have read (literalToValue's inverse). */
export function valueToLiteral(v: PyValue): PyLiteral {
  switch (v.kind) {
    case 'none': return null;
    case 'bool': return v.value;
    case 'str': return v.value;
    case 'int': return { _t: 'int', dec: v.value.toString() };
    case 'float': return { _t: 'float', hex: '', repr: pyRepr(v) };
    case 'tuple': case 'list': return { _t: v.kind, items: v.items.map(valueToLiteral) };
    default: throw new LiteralError(`${pyRepr(v)} is not taken as an argument of a class call here (numbers, str, None, tuples, lists)`);
  }
}

/** A literal as the frontend read it (an example, a default), as a value. */
export function literalToValue(l: PyLiteral): PyValue {
  if (typeof l === 'boolean') return { kind: 'bool', value: l };
  if (l === null) return { kind: 'none' };
  if (typeof l === 'string') return { kind: 'str', value: l };
  switch (l._t) {
    case 'bytes': return { kind: 'bytes', value: new Uint8Array(Buffer.from(l.hex, 'hex')) };
    case 'int': return { kind: 'int', value: BigInt(l.dec) };
    case 'float': return { kind: 'float', value: l.repr === 'nan' ? NaN : l.repr === 'inf' ? Infinity : l.repr === '-inf' ? -Infinity : Number(l.repr) };
    case 'complex': return { kind: 'complex', re: specialOrNumber(l.re), im: specialOrNumber(l.im) };
    case 'tuple': case 'list': return { kind: 'tuple', items: l.items.map(literalToValue) };
    case 'dict': return { kind: 'dict', items: l.items.map(([k, v]): [PyValue, PyValue] => [literalToValue(k), literalToValue(v)]) };
    case 'set': return { kind: 'set', items: l.items.map(literalToValue) };
    case 'deque': return { kind: 'deque', items: l.items.map(literalToValue), maxlen: l.maxlen };
    case 'new': {
      const built = exampleInstances.get(l);
      if (built === undefined) throw new LiteralError(`${l.text}: an instance in examples= is built by CPython when the function is verified`);
      if (typeof built === 'string') throw new LiteralError(built);
      return built;
    }
    default: throw new Error(`unsupported example value ${JSON.stringify(l)}`);
  }
}
