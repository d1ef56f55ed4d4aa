/** opt/definiteAssignment.ts: which reads of locals may be unbound (Python's UnboundLocalError), on typed IR. */
import { describe, expect, it } from 'vitest';
import { definiteAssignment } from '../../src-compiler/opt/definiteAssignment.ts';
import { PRELUDE, fn, typedProgram } from './opt-helpers.ts';

describe('definiteAssignment', () => {
  it('flags a local read after a loop that may not run, and not one assigned on every path', async () => {
    const p = await typedProgram(`${PRELUDE}
@compile
def maybe(n: int) -> int:
    for i in range(n):
        last = i
    y = last
    return y


@compile
def always(n: int) -> int:
    if n > 0:
        x = 1
    else:
        x = 2
    return x


@compile
def after_return(n: int) -> int:
    if n > 0:
        return 1
    else:
        z = 2
    return z
`);
    // y = last is the first assignment to y: its key is y#1 (assignments are named after their variable).
    expect(definiteAssignment(fn(p, 'maybe'))).toEqual({ flagged: ['last'], checks: { 'y#1': ['last'] } });
    expect(definiteAssignment(fn(p, 'always'))).toEqual({ flagged: [], checks: {} });
    // The path that does not assign z returns first.
    expect(definiteAssignment(fn(p, 'after_return'))).toEqual({ flagged: [], checks: {} });
  });

  it('a read in a while test sees what the test assigned; a break leaves the loop with what the test assigned', async () => {
    const p = await typedProgram(`${PRELUDE}
@compile
def walrus(n: int) -> int:
    while (k := n - 1) > 0:
        n = k
        if n == 3:
            m = n
            break
    return k + m
`);
    const plan = definiteAssignment(fn(p, 'walrus'));
    expect(plan.flagged).toEqual(['m']);
    expect(Object.values(plan.checks)).toEqual([['m']]);
  });
});
