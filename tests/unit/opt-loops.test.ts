/** opt/whileCounters.ts and opt/loopVersioning.ts: overflow and index checks a loop can drop, on typed IR. */
import { describe, expect, it } from 'vitest';
import { definiteAssignment } from '../../src-compiler/opt/definiteAssignment.ts';
import { loopVersioning } from '../../src-compiler/opt/loopVersioning.ts';
import { whileCounters } from '../../src-compiler/opt/whileCounters.ts';
import { planFunction, passesFromEnv } from '../../src-compiler/opt/index.ts';
import { PRELUDE, fn, typedProgram } from './opt-helpers.ts';

describe('whileCounters', () => {
  it('finds `while i < n: ... i += 1` (also the first conjunct of an `and`), where both sides are ints and i is written once', async () => {
    const p = await typedProgram(`${PRELUDE}
@compile
def count(n: int) -> int:
    i = 0
    while i < n:
        i += 1
    return i


@compile
def twice(n: int) -> int:
    i = 0
    while i < n:
        i += 1
        i += 1
    return i


@compile
def float_bound(x: float) -> int:
    i = 0
    while i < x:
        i += 1
    return i


@compile
def conjunct(n: int, x: float) -> int:
    k = 0
    while k < n and x > 0.5:
        x = x * 0.9
        k += 1
    return k


@compile
def bound_in_test(xs: list[int]) -> int:
    i = 0
    while i < len(xs):
        i += 1
    return i


@compile
def around_a_loop(a: npt.NDArray[np.float64], n: int) -> float:
    i = 0
    s = 0.0
    while n > i:
        for j in range(a.shape[0]):
            s += a[j]
        i += 1
    return s
`);
    expect(whileCounters(fn(p, 'count'))).toEqual(['add_result']);
    expect(whileCounters(fn(p, 'twice'))).toEqual([]);
    // A float bound such as inf would not keep i below INT64_MAX.
    expect(whileCounters(fn(p, 'float_bound'))).toEqual([]);
    expect(whileCounters(fn(p, 'conjunct'))).toEqual(['add_result']);
    // The bound may be computed in the test, and the loop may hold another loop (the emitter had missed both).
    expect(whileCounters(fn(p, 'bound_in_test'))).toEqual(['add_result']);
    expect(whileCounters(fn(p, 'around_a_loop'))).toEqual(['add_result_1']);
  });
});

describe('loopVersioning', () => {
  it('hoists index checks that are j plus or minus invariants, or invariants, into arrays the loop does not assign', async () => {
    const p = await typedProgram(`${PRELUDE}
@compile
def shifted(a: npt.NDArray[np.float64], b: npt.NDArray[np.float64], n: int) -> float:
    for j in range(1, n - 1):
        b[j] = a[j - 1] + a[j + 1] + a[-1] + a[n]
    return float(b[1])


@compile
def nested(a: npt.NDArray[np.float64], n: int) -> float:
    s = 0.0
    for i in range(n):
        for j in range(n):
            s += a[i + j] + a[i - j]
    return s


@compile
def stepped(a: npt.NDArray[np.float64], n: int) -> float:
    s = 0.0
    for j in range(0, n, 2):
        s += a[j]
    return s


@compile(boundscheck=False)
def unchecked(a: npt.NDArray[np.float64], n: int) -> float:
    s = 0.0
    for j in range(n):
        s += a[j]
    return s
`);
    const plan = (name: string) => { const f = fn(p, name); return loopVersioning(f, definiteAssignment(f)); };
    const one = { const: { kind: 'int', value: '1' } };
    expect(plan('shifted')).toEqual({
      for: [
        { node: 'getitem_result', dim: 0, array: 'a', expr: { kind: 'op', op: 'sub', node: 'sub_result_1', a: { kind: 'j' }, b: { kind: 'inv', arg: one } } },
        { node: 'getitem_result_1', dim: 0, array: 'a', expr: { kind: 'op', op: 'add', node: 'add_result', a: { kind: 'j' }, b: { kind: 'inv', arg: one } } },
        // a[-1] always wraps: it keeps its check.
        { node: 'getitem_result_3', dim: 0, array: 'a', expr: { kind: 'inv', arg: { ref: 'n' } } },
        { node: 'setitem_result', dim: 0, array: 'b', expr: { kind: 'j' } },
      ],
    });
    // Only the innermost loop; i - j decreases as j grows, so a[i - j] keeps its check (a[i + j] does not).
    expect(Object.keys(plan('nested'))).toEqual(['for']);
    expect(plan('nested').for.map((c) => c.node)).toEqual(['getitem_result']);
    expect(plan('stepped')).toEqual({});
    expect(plan('unchecked')).toEqual({});
  });
});

describe('appendLoops', () => {
  it('gives `s += t` a builder in the outermost loop that uses s for nothing else, outside try statements', async () => {
    const p = await typedProgram(`${PRELUDE}
@compile
def build(words: list[str], n: int) -> str:
    out = ""
    other = ""
    for i in range(n):
        for w in words:
            out += w
            other += w
        other += str(len(other))
    return out + other


@compile
def read_inside(s: str) -> str:
    out = ""
    for c in s:
        out += c
        out += out
    return out


@compile
def with_else(s: str) -> str:
    out = ""
    for c in s:
        out += c
    else:
        out += "."
    return out


@compile
def caught(s: str) -> str:
    out = ""
    try:
        for c in s:
            out += chr(ord(c) + 1)
    except ValueError:
        out += "?"
    return out
`);
    const plan = (name: string) => planFunction(fn(p, name), passesFromEnv('')).appendLoops;
    // out in the outer loop (its inner loop appends too); other is read by len() in the outer loop: the inner one.
    expect(Object.values(plan('build'))).toEqual([['out'], ['other']]);
    expect(plan('read_inside')).toEqual({});
    expect(plan('with_else')).toEqual({});
    expect(plan('caught')).toEqual({});
    expect(planFunction(fn(p, 'build'), passesFromEnv('-appendLoops')).appendLoops).toEqual({});
  });
});
