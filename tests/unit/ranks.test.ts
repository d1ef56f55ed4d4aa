/**
 * The rank of an array parameter annotated `npt.NDArray[...]` (which does not say it), inferred from the code
 * (types/ranks.ts): its uses, its helpers, examples=, the module's calls; a diagnostic with the exact decorator
 * line where the code leaves it open or no rank types. Behaviour against CPython: tests/corpus/arrays_ranks.py.
 */
import { describe, expect, it } from 'vitest';
import { KilnError } from '../../src-compiler/diagnostics.ts';
import { typeToString } from '../../src-compiler/types/types.ts';
import { fn, typedProgram, PRELUDE } from './opt-helpers.ts';

const paramTypes = async (source: string, name: string) => {
  const p = await typedProgram(PRELUDE + source);
  return { types: fn(p, name).paramTypes.map(typeToString), warnings: p.warnings };
};

describe('array ranks from the code', () => {
  it('a[i, j] and a.shape[1] make a 2-D parameter; a.shape[2] and a[0, 0, 0] a 3-D one', async () => {
    expect((await paramTypes(`
@compile
def total(img: npt.NDArray[np.float64]) -> float:
    s = 0.0
    for i in range(img.shape[0]):
        for j in range(img.shape[1]):
            s += img[i, j]
    return s
`, 'total')).types).toEqual(['ndarray[float64, 2d]']);
    expect((await paramTypes(`
@compile
def corner(v: npt.NDArray[np.int32]) -> int:
    return int(v[0, 0, 0]) + v.shape[2]
`, 'corner')).types).toEqual(['ndarray[int32, 3d]']);
  });

  it('for row in a with row[j], len(a[0]), and uses inside a helper decide it too', async () => {
    expect((await paramTypes(`
@compile
def rows(img: npt.NDArray[np.float64]) -> float:
    s = 0.0
    for row in img:
        for j in range(len(img[0])):
            s += row[j]
    return s
`, 'rows')).types).toEqual(['ndarray[float64, 2d]']);
    expect((await paramTypes(`
def row_sum(m, i: int) -> float:
    s = 0.0
    for j in range(m.shape[1]):
        s += m[i, j]
    return s


@compile
def via_helper(m: npt.NDArray[np.float64], b: npt.NDArray[np.float64]) -> float:
    t = 0.0
    for i in range(len(m)):
        t += row_sum(m, i) * b[i]
    return t
`, 'via_helper')).types).toEqual(['ndarray[float64, 2d]', 'ndarray[float64, 1d]']);
  });

  it('examples= and a call from another compiled function decide a rank the code leaves open', async () => {
    const p = await typedProgram(`${PRELUDE}
@compile(examples=[([[1.0, 2.0], [3.0, 4.0]],)])
def from_example(a: npt.NDArray[np.float64]) -> float:
    return float(np.sum(a))


@compile
def caller(m: npt.NDArray[np.float64]) -> float:
    return largest(m) + m[0, 1]


@compile
def largest(a: npt.NDArray[np.float64]) -> float:
    return float(np.max(a))
`);
    expect(fn(p, 'from_example').paramTypes.map(typeToString)).toEqual(['ndarray[float64, 2d]']);
    expect(p.entries.find((e) => e.name === 'largest')!.paramTypes.map(typeToString)).toEqual(['ndarray[float64, 2d]']);
    expect(p.warnings.filter((w) => w.construct === 'array rank').map((w) => w.function)).toEqual(['caller']); // m[0, 1] is a row of a 3-D m
  });

  it('code that works for several ranks compiles the least, with a warning that gives the exact decorator line', async () => {
    const { types, warnings } = await paramTypes(`
@compile(boundscheck=False)
def energy(a: npt.NDArray[np.float64]) -> float:
    return float(np.sum(a * a))
`, 'energy');
    expect(types).toEqual(['ndarray[float64, 1d]']);
    const w = warnings.find((x) => x.construct === 'array rank')!;
    expect(w.severity).toBe('warning');
    expect(w.line).toBe(8); // the decorator's line (after the 6 lines of PRELUDE and a blank one)
    expect(w.message).toContain("'a': 1-D, 2-D, 3-D");
    expect(w.hint).toBe('for other ranks, write the decorator as: @compile(boundscheck=False, ndim={"a": 2})');
  });

  it('an ndim= already given for another parameter gets the new entry in the same dict', async () => {
    const { types, warnings } = await paramTypes(`
@compile(ndim={"a": 2})
def add_row(a: npt.NDArray[np.float64], v: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    return a + v
`, 'add_row');
    expect(types).toEqual(['ndarray[float64, 2d]', 'ndarray[float64, 1d]']);
    expect(warnings.find((x) => x.construct === 'array rank')!.hint).toBe('for other ranks, write the decorator as: @compile(ndim={"v": 2, "a": 2})');
  });

  it('when no rank types, the error says how to give one', async () => {
    const err = await typedProgram(`${PRELUDE}
@compile
def bad(a: npt.NDArray[np.float64]) -> float:
    return a[0, 0] + len(a[0][0][0])
`).catch((e) => e);
    expect(err).toBeInstanceOf(KilnError);
    expect((err as KilnError).diagnostic.hint).toMatch(/if 'a' has another number of dimensions, say so at line 8: @compile\(ndim=\{"a": 2\}\)/);
  });

  it('more than 3 dimensions are refused with the way to write it, never a rank that cannot work', async () => {
    const used = await typedProgram(`${PRELUDE}
@compile
def bad(a: npt.NDArray[np.float64]) -> float:
    return a[0, 0, 0, 0]
`).catch((e) => e);
    expect(used).toBeInstanceOf(KilnError);
    expect((used as KilnError).diagnostic.hint).toBe("the code uses 'a' as an array of 4 dimensions: arrays of more than 3 dimensions are not compiled yet; pass it reshaped to 3 (a.reshape(n * m, k, l)) and index that");
    const given = await typedProgram(`${PRELUDE}
@compile(ndim={"a": 4})
def total(a: npt.NDArray[np.float64]) -> float:
    return float(np.sum(a * 2.0))
`).catch((e) => e);
    expect(given).toBeInstanceOf(KilnError);
    expect((given as KilnError).diagnostic.message).toBe("'a' is an array of 4 dimensions: arrays of more than 3 dimensions are not compiled yet");
  });

  it('-> npt.NDArray[...] without a rank does not warn about the rank of the result', async () => {
    const { warnings } = await paramTypes(`
@compile(ndim={"a": 2})
def doubled(a: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    return a * 2.0
`, 'doubled');
    expect(warnings.filter((w) => w.construct === 'return annotation')).toEqual([]);
  });
});
