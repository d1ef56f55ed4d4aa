/**
 * Benchmark inputs that are too big to write as literals: arrays of pseudo-random numbers, generated here
 * once (deterministically, from a seed) and handed to every variant as the same exact values — to the
 * native harnesses as IEEE bits, to the Python driver (CPython, the exported package, Numba, Pythran,
 * Cython) as the same bits decoded into a NumPy array. So every variant sees identical inputs.
 *
 * Text form (usable anywhere a benchmark argument is, `kiln bench` and suite.json alike):
 *   rand[100000]          100000 numbers, seed 1, uniform in [0, 1) (ints: [0, 100))
 *   rand[200x200]#7       a 200x200 array from seed 7
 *   rand[1000]#2(-1..1)   uniform in [-1, 1)
 * suite.json may also say `{"array": "random", "shape": [100000], "seed": 1, "low": 0, "high": 1}`.
 *
 * The generator is splitmix64 (Steele, Lea, Flood 2014) seeded with `seed`; for each element, in C order:
 *   x = next();  u = (x >> 11) * 2**-53                          (a double in [0, 1))
 *   float dtypes: low + (high - low) * u   (float32: then rounded to float32)
 *   int dtypes:   low + (x mod (high - low))        bool: x & 1
 * (`bench/gen_inputs.py` is the same generator in Python (floats), for reproducing an input by hand.)
 */
import { SCALARS, typeToString, type KType, type ScalarName } from '../types/types.ts';
import type { PyValue } from '../run/values.ts';

export interface ArrayInputSpec {
  array: 'random';
  shape: number[];
  seed?: number;
  low?: number;
  high?: number;
}

/** One benchmark argument: a Python literal, an array or a text generated from a seed. */
export type BenchArg = string | ArrayInputSpec | TextInputSpec;

export class ArrayInputError extends Error {}

const MASK = (1n << 64n) - 1n;

/** splitmix64: the 64-bit outputs for a seed, one per call. */
export function splitmix64(seed: number | bigint): () => bigint {
  let state = BigInt(seed) & MASK;
  return () => {
    state = (state + 0x9e3779b97f4a7c15n) & MASK;
    let z = state;
    z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK;
    z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK;
    return z ^ (z >> 31n);
  };
}

const RAND_RE = /^rand\[(\d+(?:x\d+)*)\](?:#(\d+))?(?:\((-?[\d.eE+-]+)\.\.(-?[\d.eE+-]+)\))?$/;

export const isArrayInputText = (text: string) => text.trim().startsWith('rand[');

/** Parses `rand[200x200]#7(-1..1)`; throws ArrayInputError with the expected form. */
export function parseArrayInput(text: string): ArrayInputSpec {
  const m = RAND_RE.exec(text.trim());
  if (!m) throw new ArrayInputError(`'${text}' is not an array input: write rand[N], rand[NxM], rand[N]#SEED or rand[N]#SEED(LOW..HIGH)`);
  const spec: ArrayInputSpec = { array: 'random', shape: m[1].split('x').map(Number) };
  if (m[2] !== undefined) spec.seed = Number(m[2]);
  if (m[3] !== undefined) { spec.low = Number(m[3]); spec.high = Number(m[4]); }
  return checkSpec(spec);
}

function checkSpec(spec: ArrayInputSpec): ArrayInputSpec {
  if (spec.array !== 'random') throw new ArrayInputError(`array input kind '${String(spec.array)}' is unknown (only "random")`);
  if (!Array.isArray(spec.shape) || !spec.shape.length || spec.shape.length > 3 || !spec.shape.every((n) => Number.isSafeInteger(n) && n >= 0)) {
    throw new ArrayInputError(`array input shape ${JSON.stringify(spec.shape)}: 1 to 3 non-negative integers`);
  }
  const size = spec.shape.reduce((a, b) => a * b, 1);
  if (size > 50_000_000) throw new ArrayInputError(`array input of ${size} elements is too large (at most 5e7)`);
  if (spec.seed !== undefined && !(Number.isSafeInteger(spec.seed) && spec.seed >= 0)) throw new ArrayInputError(`array input seed ${spec.seed}: a non-negative integer`);
  if ((spec.low === undefined) !== (spec.high === undefined)) throw new ArrayInputError('array input: give both low and high, or neither');
  if (spec.low !== undefined && !(Number.isFinite(spec.low) && Number.isFinite(spec.high) && spec.low < spec.high!)) throw new ArrayInputError(`array input range ${spec.low}..${spec.high}: need finite low < high`);
  return spec;
}

/** The canonical text of an array input (what tables, the store and `kiln bench` show): `rand[200x200]#7`. */
export function formatArrayInput(spec: ArrayInputSpec): string {
  const seed = spec.seed ?? 1;
  return `rand[${spec.shape.join('x')}]${seed !== 1 ? `#${seed}` : ''}${spec.low !== undefined ? `(${spec.low}..${spec.high})` : ''}`;
}

/** A suite.json argument (a literal or an array spec) as text. */
export function benchArgText(arg: BenchArg): string {
  if (typeof arg === 'string') return arg;
  if (arg && typeof arg === 'object' && 'text' in arg) return formatTextInput(checkTextSpec(arg));
  if (!arg || typeof arg !== 'object') throw new ArrayInputError(`benchmark argument ${JSON.stringify(arg)}: a Python literal (string) or {"array": "random", "shape": [...], "seed": N}`);
  return formatArrayInput(checkSpec(arg));
}

/** The values of an array input for a parameter of type `t` (an ndarray of the same number of dimensions). */
export function generateArray(spec: ArrayInputSpec, t: KType, what: string): PyValue & { kind: 'array' } {
  if (t.kind !== 'array') throw new ArrayInputError(`${what}: ${formatArrayInput(spec)} is an array, but the parameter is ${typeToString(t)}`);
  if (spec.shape.length !== t.ndim) throw new ArrayInputError(`${what}: ${formatArrayInput(spec)} has ${spec.shape.length} dimension(s), the parameter is ${typeToString(t)}`);
  const dtype: ScalarName = t.dtype;
  const info = SCALARS[dtype];
  const next = splitmix64(spec.seed ?? 1);
  const size = spec.shape.reduce((a, b) => a * b, 1);
  const values: (number | bigint | boolean)[] = new Array(size);
  if (dtype === 'bool') {
    for (let i = 0; i < size; i++) values[i] = (next() & 1n) === 1n;
  } else if (info.float) {
    const low = spec.low ?? 0, high = spec.high ?? 1;
    for (let i = 0; i < size; i++) {
      const u = Number(next() >> 11n) * 2 ** -53;
      const x = low + (high - low) * u;
      values[i] = dtype === 'float32' ? Math.fround(x) : x;
    }
  } else {
    const low = BigInt(Math.trunc(spec.low ?? 0)), high = BigInt(Math.trunc(spec.high ?? 100));
    const bits = BigInt(info.bits);
    const min = info.signed ? -(2n ** (bits - 1n)) : 0n, max = info.signed ? 2n ** (bits - 1n) - 1n : 2n ** bits - 1n;
    if (low < min || high - 1n > max || high <= low) throw new ArrayInputError(`${what}: range ${low}..${high} does not fit np.${dtype}`);
    for (let i = 0; i < size; i++) values[i] = low + (next() % (high - low));
  }
  return { kind: 'array', dtype, shape: [...spec.shape], values };
}

// ---- text inputs -----------------------------------------------------------------------------------------
/*
 * A str argument too big to write as a literal: `words[1000000]#1` is about 1,000,000 bytes of English-like ASCII
 * text from seed 1, the same text for every variant (the native harnesses get its UTF-8, CPython the same str). Words
 * come from a fixed list of 128, drawn with splitmix64 (`x = next()`): the word is WORDS[x % 128]; bits 7-9 of x
 * (one in eight) capitalise it, bits 10-13 (one in sixteen) put a comma after it, (one in sixteen) a full stop;
 * words are separated by one space, or by a newline after a full stop. suite.json may also say
 * `{"text": "words", "bytes": 1000000, "seed": 1}`.
 */
export interface TextInputSpec {
  text: 'words';
  bytes: number;
  seed?: number;
}

const WORDS = (
  'the of and to in a is that for it as was with be by on not he I this are or his from at which but have an they '
  + 'you were her she there one all we their been has had when who will more no if out so said what up its about '
  + 'into than them can only other new some could time these two may then do first any my now such like our over '
  + 'man me even most made after also did many before must through back years where much your way well down '
  + 'should because each just those people how too little state good very make world still own see men work long '
  + 'get here between both life being under never day same another know while last might us great old year off '
  + 'come since against go came right used take'
).split(' ').slice(0, 128);

const TEXT_RE = /^words\[(\d+)\](?:#(\d+))?$/;
export const isTextInputText = (text: string) => text.trim().startsWith('words[');

export function parseTextInput(text: string): TextInputSpec {
  const m = TEXT_RE.exec(text.trim());
  if (!m) throw new ArrayInputError(`'${text}' is not a text input: write words[BYTES] or words[BYTES]#SEED`);
  return checkTextSpec({ text: 'words', bytes: Number(m[1]), ...(m[2] !== undefined ? { seed: Number(m[2]) } : {}) });
}

function checkTextSpec(spec: TextInputSpec): TextInputSpec {
  if (spec.text !== 'words') throw new ArrayInputError(`text input kind '${String(spec.text)}' is unknown (only "words")`);
  if (!Number.isSafeInteger(spec.bytes) || spec.bytes < 0 || spec.bytes > 200_000_000) throw new ArrayInputError(`text input of ${spec.bytes} bytes: 0 to 2e8`);
  if (spec.seed !== undefined && !(Number.isSafeInteger(spec.seed) && spec.seed >= 0)) throw new ArrayInputError(`text input seed ${spec.seed}: a non-negative integer`);
  return spec;
}

export function formatTextInput(spec: TextInputSpec): string {
  const seed = spec.seed ?? 1;
  return `words[${spec.bytes}]${seed !== 1 ? `#${seed}` : ''}`;
}

/** The text of a text input (ASCII, so its length in bytes is its length in code points), at least `bytes` long. */
export function generateText(spec: TextInputSpec, t: KType, what: string): PyValue & { kind: 'str' } {
  if (t.kind !== 'str') throw new ArrayInputError(`${what}: ${formatTextInput(spec)} is a str, but the parameter is ${typeToString(t)}`);
  const next = splitmix64(spec.seed ?? 1);
  const parts: string[] = [];
  let n = 0;
  while (n < spec.bytes) {
    const x = next();
    let w = WORDS[Number(x % 128n)];
    if (((x >> 7n) & 7n) === 0n) w = w[0].toUpperCase() + w.slice(1);
    const p = (x >> 10n) & 15n;
    const sep = p === 1n ? '.\n' : p === 2n ? ', ' : ' ';
    parts.push(w, sep);
    n += w.length + sep.length;
  }
  return { kind: 'str', value: parts.join('') };
}
