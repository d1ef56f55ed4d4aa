/** opt/pureKeys.ts: which key sorts compute their keys in the comparisons (no list of keys), on typed IR. */
import { describe, expect, it } from 'vitest';
import { pureKeys } from '../../src-compiler/opt/pureKeys.ts';
import { PRELUDE, fn, typedProgram } from './opt-helpers.ts';

describe('pureKeys', () => {
  it('a key of one parameter made of expression ops only, or a library op called as a value, is pure', async () => {
    const p = await typedProgram(`${PRELUDE}
def square(v):
    return v * v


@compile
def keys(xs: list[float]) -> list[float]:
    return sorted(xs, key=lambda v: -v) + sorted(xs, key=square) + sorted(xs, key=abs, reverse=True)
`);
    const sites = Object.values(pureKeys(fn(p, 'keys'), p));
    expect(sites).toHaveLength(3);
    expect(sites.map((s) => ('spec' in s.key ? 'spec' : 'op'))).toEqual(['spec', 'spec', 'op']);
  });

  it('a key that captures a variable, can raise, or returns a tuple keeps its list of keys', async () => {
    const p = await typedProgram(`${PRELUDE}
@compile
def impure(xs: list[int], t: int) -> list[int]:
    a = sorted(xs, key=lambda v: abs(v - t))
    b = sorted(xs, key=lambda v: 100 // v)
    c = sorted(xs, key=lambda v: (v % 3, -v))
    return a + b + c
`);
    expect(pureKeys(fn(p, 'impure'), p)).toEqual({});
  });
});
