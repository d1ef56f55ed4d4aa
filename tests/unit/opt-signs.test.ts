/** opt/signs.ts: the float values that are never negative, from the ops' nonNegative facts, on typed IR. */
import { describe, expect, it } from 'vitest';
import { signs } from '../../src-compiler/opt/signs.ts';
import { PRELUDE, fn, typedProgram } from './opt-helpers.ts';

describe('signs', () => {
  it('x * x, sums and products of such values, sqrt/abs/exp are never negative; a difference or a negation may be', async () => {
    const p = await typedProgram(`${PRELUDE}
@compile
def norms(x: float, y: float) -> float:
    d = x * x + y * y
    e = x - y
    q = abs(e) * math.exp(y)
    return math.sqrt(d) + math.sqrt(e) + math.sqrt(q) + math.sqrt(-d) + x * y
`);
    const nn = new Set(signs(fn(p, 'norms')));
    for (const v of ['d', 'q', 'mul_result', 'mul_result_1', 'add_result', 'abs_result', 'exp_result', 'mul_result_2', 'sqrt_result']) expect(nn, v).toContain(v);
    // e = x - y, -d, x * y (two parameters of unknown sign) and the parameters themselves are unknown.
    for (const v of ['e', 'sub_result', 'neg_result', 'mul_result_3', 'x', 'y']) expect(nn, v).not.toContain(v);
  });

  it('a loop-carried local counts when every assignment to it is never negative', async () => {
    const p = await typedProgram(`${PRELUDE}
@compile
def carried(n: int, x: float) -> float:
    s = 0.0
    for i in range(n):
        s = s + x * x
    t = 1.0
    for i in range(n):
        t = t - 1.0
    return math.sqrt(s) + math.sqrt(t)
`);
    const nn = signs(fn(p, 'carried'));
    expect(nn).toContain('s');
    expect(nn).not.toContain('t');
  });
});
