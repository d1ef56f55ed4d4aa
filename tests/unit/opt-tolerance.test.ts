/**
 * Verification of inexact float ops (issue 20): opt/tolerance.ts decides how far each exported function's floats may
 * be from CPython's with NumPy (np.exp's bound in ULPs, a float matmul's order), and run/values.ts' closeValue
 * compares within it. Differences outside the bound, and every difference that is not a float's, still fail.
 */
import { describe, expect, it } from 'vitest';
import { tolerance } from '../../src-compiler/opt/tolerance.ts';
import { compareOutcome } from '../../src-compiler/run/verify.ts';
import { closeValue, toRefJSON, ulpDistance, type PyValue } from '../../src-compiler/run/values.ts';
import type { Tolerance } from '../../src-compiler/lower/abi.ts';
import { PRELUDE, typedProgram } from './opt-helpers.ts';
import { vectorPaths } from '../../src-compiler/export/export.ts';
import { getTarget } from '../../src-compiler/targets/registry.ts';

/** The float with `k` more units in the last place (float64), for values of either sign. */
const next = (x: number, k: number): number => {
  const f = new Float64Array([x]);
  const i = new BigInt64Array(f.buffer);
  i[0] += BigInt(k);
  return f[0];
};
const arr = (values: number[], dtype: 'float64' | 'float32' = 'float64'): PyValue => ({ kind: 'array', dtype, shape: [values.length], values });

describe('tolerance analysis', () => {
  it('keeps arithmetic bit for bit and bounds what flows from np.exp and a float a @ b', async () => {
    const p = await typedProgram(`${PRELUDE}
@compile
def plain(x: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    return np.sqrt(x * x + 1.0) / 2.0


@compile
def expo(x: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    return np.exp(x)


@compile
def scaled(x: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    e = np.exp(x)
    return e * 2.0 / np.sum(e)


@compile
def expm1ish(x: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    return np.exp(x) - 1.0


@compile(ndim={"a": 2, "b": 2})
def product(a: npt.NDArray[np.float64], b: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    return a @ b


@compile(ndim={"a": 2, "b": 2})
def int_product(a: npt.NDArray[np.int64], b: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    return a @ b


@compile
def writes_exp(x: npt.NDArray[np.float64], out: npt.NDArray[np.float64]) -> int:
    out[:] = np.exp(x)
    return 0


@compile
def fib(n: int) -> int:
    return n if n < 2 else fib(n - 1) + fib(n - 2)


@compile
def halves(x: float, n: int) -> float:
    return x if n <= 0 else halves(x, n - 1) - 0.5


@compile
def special(x: float) -> list[float]:
    out = [math.erf(x), math.cbrt(x)]
    out.append(math.log1p(abs(x)))
    return out


@compile
def round_trip(x: float) -> float:
    return math.atanh(math.tanh(x))


def apply(g, x):
    return g(x)


@compile
def cos_value(x: float) -> float:
    return apply(math.cos, x)
`);
    const t = tolerance(p);
    const of = (name: string): Tolerance => t[Object.keys(t).find((k) => k.startsWith(`${name}(`))!];
    expect(of('plain')).toEqual({ kind: 'exact' });
    expect(of('int_product')).toEqual({ kind: 'exact' });
    // np.exp: Kiln's 1 ULP plus NumPy's 1, each at most 2u relative: 4u, i.e. at most 4 ULPs apart.
    expect(of('expo')).toEqual({ kind: 'ulps', ulps: 4, via: ['np.exp'] });
    // A never-negative exp times a constant over its pairwise sum: errors add, 64 levels of additions each side.
    const s = of('scaled');
    expect(s.kind).toBe('ulps');
    expect(s.kind === 'ulps' && s.ulps).toBeGreaterThan(4);
    expect(s.kind === 'ulps' && s.ulps).toBeLessThan(200);
    expect(of('expm1ish')).toMatchObject({ kind: 'loose', via: ['np.exp'] });
    expect(of('product')).toMatchObject({ kind: 'loose', via: ['a @ b'] });
    // An array parameter written with an inexact value is compared within the bound too.
    expect(of('writes_exp')).toMatchObject({ kind: 'ulps', via: ['np.exp'] });
    // Recursion loses the bound of a float result, but an int carries no float error, whatever made it.
    expect(of('fib')).toEqual({ kind: 'exact' });
    expect(of('halves')).toMatchObject({ kind: 'loose' });
    // The C library's functions are CPython's bit for bit against glibc; on musl and wasi-libc (the second analysis)
    // within their bounds (cbrt 4 ULPs, each at most 2u: 8 ULPs), through a list's items and appends alike.
    expect(of('special')).toEqual({ kind: 'exact' });
    expect(of('round_trip')).toEqual({ kind: 'exact' });
    const onMusl = tolerance(p, true);
    const musl = (name: string): Tolerance => onMusl[Object.keys(onMusl).find((k) => k.startsWith(`${name}(`))!];
    expect(musl('special')).toEqual({ kind: 'ulps', ulps: 8, via: ['math.cbrt', 'math.erf', 'math.log1p'] });
    expect(musl('round_trip')).toMatchObject({ kind: 'loose', via: ['math.atanh', 'math.tanh'] });
    expect(musl('plain')).toEqual({ kind: 'exact' });
    // A builtin passed as a function value and called there has that op's facts.
    expect(of('cos_value')).toEqual({ kind: 'exact' });
    expect(musl('cos_value')).toEqual({ kind: 'ulps', ulps: 4, via: ['math.cos'] });
    expect(musl('expo')).toEqual(of('expo'));
  });

  it('bounds complex results part by part on musl: cmath\'s functions, abs, and ** through polar form', async () => {
    const p = await typedProgram(`import cmath\n${PRELUDE}
@compile
def parts(x: float, y: float) -> list[float]:
    w = cmath.exp(complex(x, y))
    return [w.real, w.imag, abs(complex(y, x))]


@compile
def root(z: complex) -> list[complex]:
    return [-cmath.sqrt(z).conjugate(), z ** 2, z * 2.0]


@compile
def power(z: complex, w: complex) -> complex:
    return z ** w


@compile
def square(z: complex) -> complex:
    w = cmath.exp(z)
    return w * w


@compile
def negated(x: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    return -np.exp(x) + np.exp(x * 2.0)
`);
    const t = tolerance(p), onMusl = tolerance(p, true);
    const glibc = (name: string): Tolerance => t[Object.keys(t).find((k) => k.startsWith(`${name}(`))!];
    const musl = (name: string): Tolerance => onMusl[Object.keys(onMusl).find((k) => k.startsWith(`${name}(`))!];
    // glibc is the C library of the CPython compared with: bit for bit.
    for (const name of ['parts', 'root', 'power', 'square']) expect(glibc(name), name).toEqual({ kind: 'exact' });
    // cmath.exp's 3 ULPs per part (each at most 2u: 6 ULPs) reach .real and .imag; abs (hypot) 2.
    expect(musl('parts')).toEqual({ kind: 'ulps', ulps: 6, via: ['builtins.abs', 'cmath.exp'] });
    // A conjugate and a negation keep the bound; z ** 2 multiplies out (the same bits everywhere); z * 2.0 is exact.
    expect(musl('root')).toEqual({ kind: 'ulps', ulps: 6, via: ['cmath.sqrt'] });
    // A power through polar form has no bound per part, nor has a product of two inexact complex numbers.
    expect(musl('power')).toMatchObject({ kind: 'loose', via: ['**'], why: '** of the C library has no bound in ULPs for each part of a complex' });
    expect(musl('square')).toMatchObject({ kind: 'loose', via: ['cmath.exp'] });
    // A negated never-negative value is not never-negative: its sum with another can cancel.
    expect(glibc('negated')).toMatchObject({ kind: 'loose', via: ['np.exp'] });
  });
});

describe('closeValue', () => {
  const ulps: Tolerance = { kind: 'ulps', ulps: 4, via: ['np.exp'] };
  const loose: Tolerance = { kind: 'loose', via: ['a @ b'], why: 'order' };
  it('counts units in the last place of the dtype', () => {
    expect(ulpDistance(1, next(1, 3))).toBe(3);
    expect(ulpDistance(-2.5, next(-2.5, 1))).toBe(1);
    expect(ulpDistance(1, Math.fround(1 + 2 ** -23), true)).toBe(1);
  });
  it('accepts float differences within the bound and nothing else', () => {
    const x = 0.005247518399181385;
    expect(closeValue(arr([x, 2]), arr([next(x, 4), 2]), ulps)).toBe(true);
    expect(closeValue(arr([x, 2]), arr([next(x, 5), 2]), ulps)).toBe(false);
    expect(closeValue(arr([x]), arr([next(x, 1)]), { kind: 'exact' })).toBe(false);
    // NaN, infinities and the sign of zero agree exactly; shapes, dtypes and ints are never approximate.
    expect(closeValue(arr([0]), arr([-0]), ulps)).toBe(false);
    expect(closeValue(arr([Infinity]), arr([Number.MAX_VALUE]), ulps)).toBe(false);
    expect(closeValue(arr([NaN]), arr([1]), ulps)).toBe(false);
    expect(closeValue(arr([NaN]), arr([NaN]), ulps)).toBe(true);
    expect(closeValue(arr([1, 2]), arr([1]), ulps)).toBe(false);
    expect(closeValue(arr([1]), arr([1], 'float32'), ulps)).toBe(false);
    expect(closeValue({ kind: 'int', value: 1n }, { kind: 'int', value: 2n }, loose)).toBe(false);
    expect(closeValue({ kind: 'np', dtype: 'float32', value: 1 }, { kind: 'np', dtype: 'float32', value: Math.fround(1 + 2 ** -22) }, ulps)).toBe(true);
  });
  it('compares each part of a complex (alone, in a list or a tuple) within the bound, and exactly on glibc', () => {
    // musl's tolerance of a function whose complex result comes from cmath.sqrt (3 ULPs per part, each at most 2u).
    const musl: Tolerance = { kind: 'ulps', ulps: 6, via: ['cmath.sqrt'] };
    const z = (re: number, im: number): PyValue => ({ kind: 'complex', re, im });
    const [re, im] = [1.0986122886681098, -0.7853981633974483];
    for (const wrap of [(v: PyValue): PyValue => v, (v: PyValue): PyValue => ({ kind: 'list', items: [z(1, 2), v] }), (v: PyValue): PyValue => ({ kind: 'tuple', items: [v, { kind: 'float', value: 0.5 }] })]) {
      expect(closeValue(wrap(z(re, im)), wrap(z(next(re, 1), im)), musl)).toBe(true);
      expect(closeValue(wrap(z(re, im)), wrap(z(re, next(im, -1))), musl)).toBe(true);
      expect(closeValue(wrap(z(re, im)), wrap(z(next(re, 1), im)), { kind: 'exact' })).toBe(false);
      expect(closeValue(wrap(z(re, im)), wrap(z(re, next(im, 7))), musl)).toBe(false);
    }
    // Each part in its own ULPs: a part near zero is not compared against the other's magnitude.
    expect(closeValue(z(1, 1e-300), z(1, next(1e-300, 6)), musl)).toBe(true);
    expect(closeValue(z(1, 0), z(1, 1e-300), musl)).toBe(false);
    expect(closeValue(z(1, 0), z(1, -0), musl)).toBe(false);
  });
  it('loose: within 2**-26 of the largest magnitude of the result, so a cancelled element may differ more', () => {
    expect(closeValue(arr([1e-10, 4]), arr([1.0000001e-10, 4]), loose)).toBe(true);
    expect(closeValue(arr([1e-10, -1e-10]), arr([-1e-10, -1e-10]), loose)).toBe(false);
    expect(closeValue(arr([1, 4]), arr([1 + 2 ** -20, 4]), loose)).toBe(false);
  });
  it('decides a verification case: a result off by more than the bound is a mismatch', () => {
    const ref = { ok: toRefJSON(arr([0.005247518399181385])) };
    const ok = (v: number) => ({ ok: true as const, value: arr([v]) });
    const nearby = compareOutcome(ref, ok(next(0.005247518399181385, 1)), [], ulps);
    expect(nearby).toEqual({ status: 'match', note: "within 4 ULPs of CPython's (np.exp)" });
    expect(compareOutcome(ref, ok(next(0.005247518399181385, 9)), [], ulps).status).toBe('mismatch');
    expect(compareOutcome(ref, ok(next(0.005247518399181385, 1)), []).status).toBe('mismatch');
  });
});

describe('exported libraries', () => {
  it('say which vector paths their NumPy kernels carry, from the target registry\'s flags', () => {
    const flags = (id: string) => getTarget(id as never)!.libraryFlags ?? [];
    const uses = '#include "kiln_runtime.h"\n#include "kiln_vmath.h"\n';
    for (const id of ['linux-x64', 'linux-x64-musl', 'windows-x64', 'macos-x64', 'android-x64']) {
      expect(vectorPaths(uses, flags(id))?.paths, id).toEqual(['sse2', 'avx2', 'avx512']);
    }
    expect(vectorPaths(uses, flags('wasm32'))?.paths).toEqual(['simd128']);
    expect(vectorPaths(uses, flags('linux-arm64'))).toBeUndefined();
    expect(vectorPaths('#include "kiln_runtime.h"\n', flags('linux-x64'))).toBeUndefined();
  });
});
