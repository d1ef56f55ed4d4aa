/** opt/writes.ts: which array and list parameters a function writes or returns a view of, on typed IR. */
import { describe, expect, it } from 'vitest';
import { writes } from '../../src-compiler/opt/writes.ts';
import { PRELUDE, typedProgram } from './opt-helpers.ts';

describe('writes', () => {
  it('follows views, tuples, in-place operators and helpers, from the ops\' writes and aliases facts', async () => {
    const p = await typedProgram(`${PRELUDE}
def first_row(m: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    return m[0]


@compile(ndim={"m": 2})
def through_helper(m: npt.NDArray[np.float64], k: npt.NDArray[np.float64]) -> float:
    r = first_row(m)
    r[0] = 1.0
    t = (k, 2.0)
    return float(t[0][0])


@compile
def in_place(a: npt.NDArray[np.float64], b: npt.NDArray[np.float64], c: npt.NDArray[np.float64]) -> float:
    a -= 1.0
    d = np.asarray(b)
    d.fill(0.0)
    e = c * 2.0
    e[0] = 5.0
    return float(c[0])


@compile
def lists(xs: list[int], ys: list[int]) -> int:
    xs.sort()
    return ys.count(1)
`);
    const effects = writes(p);
    expect(effects['first_row(ndarray[float64, 2d])']).toMatchObject({ written: [false], returned: [true] });
    expect(effects['through_helper(ndarray[float64, 2d], ndarray[float64, 1d])']).toMatchObject({ written: [true, false], returned: [false, false] });
    expect(effects['in_place(ndarray[float64, 1d], ndarray[float64, 1d], ndarray[float64, 1d])']).toMatchObject({ written: [true, true, false], returned: [false, false, false] });
    expect(effects['lists(list[int], list[int])']).toMatchObject({ written: [true, false], returned: [false, false] });
  });
});
