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

/** One benchmark argument: a Python literal, or an array generated from a seed. */
export type BenchArg = string | ArrayInputSpec;

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
