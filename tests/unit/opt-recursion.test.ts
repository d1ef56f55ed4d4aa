/** opt/unrollRecursion.ts and opt/tailSum.ts: the plans for self-recursive functions, on typed IR. */
import { describe, expect, it } from 'vitest';
import { definiteAssignment } from '../../src-compiler/opt/definiteAssignment.ts';
import { tailSum } from '../../src-compiler/opt/tailSum.ts';
import { unrollRecursion } from '../../src-compiler/opt/unrollRecursion.ts';
import { PRELUDE, fn, typedProgram } from './opt-helpers.ts';

const SOURCE = `${PRELUDE}
def helper(n: int) -> int:
    if n <= 0:
        return 0
    return n + helper(n - 1)


@compile
def tri(n: int) -> int:
    if n <= 0:
        return 0
    return n + tri(n - 1)


@compile
def tri_call_first(n: int) -> int:
    if n <= 0:
        return 0
    return tri_call_first(n - 1) + n


@compile
def fib(n: int) -> int:
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)


@compile
def not_recursive(n: int) -> int:
    return helper(n) * 2


@compile
def maybe_unbound(n: int) -> int:
    for i in range(n):
        last = i
    if n <= 0:
        return 0
    return last + maybe_unbound(n - 1)
`;

describe('unrollRecursion', () => {
  it('emits each small self-recursive function twice, and nothing else', async () => {
    const p = await typedProgram(SOURCE);
    expect(unrollRecursion(p).sort()).toEqual(['fib(int)', 'helper(int)', 'maybe_unbound(int)', 'tri(int)', 'tri_call_first(int)']);
  });

  it('leaves a recursive function of more than 120 nodes alone', async () => {
    const big = Array.from({ length: 40 }, (_, i) => `    s = s + ${i} * n`).join('\n');
    const p = await typedProgram(`${PRELUDE}@compile\ndef big(n: int) -> int:\n    s = 0\n${big}\n    if n <= 0:\n        return s\n    return big(n - 1)\n`);
    expect(unrollRecursion(p)).toEqual([]);
  });
});

describe('tailSum', () => {
  it('finds `return x + f(...)` where x is evaluated before the call, in a function with no unbound reads', async () => {
    const p = await typedProgram(SOURCE);
    const sites = (name: string) => { const f = fn(p, name); return tailSum(f, definiteAssignment(f)); };
    expect(sites('tri')).toEqual(['tri_result']);
    expect(sites('helper')).toEqual(['helper_result']);
    // fib(n - 1) + fib(n - 2): the second call is the site, the first call's result is x.
    expect(sites('fib')).toEqual(['fib_result_1']);
    // f(...) + x: x would be evaluated after the call's arguments, not before.
    expect(sites('tri_call_first')).toEqual([]);
    expect(sites('not_recursive')).toEqual([]);
    // A possibly unbound local keeps the recursive form.
    expect(sites('maybe_unbound')).toEqual([]);
  });
});
