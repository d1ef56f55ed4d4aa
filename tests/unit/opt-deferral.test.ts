/** opt/deferral.ts: runs of float arithmetic whose zero and domain tests are made once at the end, on typed IR. */
import { describe, expect, it } from 'vitest';
import { planFunction, passesFromEnv } from '../../src-compiler/opt/index.ts';
import { PRELUDE, fn, typedProgram } from './opt-helpers.ts';

describe('deferral', () => {
  it('groups a run with two or more checks; an operand reassigned later in the run gets its own flag bit', async () => {
    const p = await typedProgram(`${PRELUDE}
@compile
def forces(x: float, y: float, z: float, m: float) -> float:
    d2 = x * x + y * y + z * z
    d = math.sqrt(d2)
    f = m / (d2 * d)
    g = m / x
    h = math.sqrt(y)
    return f + g + h


@compile
def reassigned(a: float, b: float) -> float:
    r = a / b
    s = 1.0 / b
    b = b + 1.0
    t = 2.0 / b
    return r + s + t


@compile
def one_check(a: float, b: float) -> float:
    return a / b + 1.0


@compile
def ended_by_a_call(a: float, b: float) -> float:
    r = a / b
    e = math.exp(r)
    return e / b
`);
    const on = passesFromEnv('');
    const forces = planFunction(fn(p, 'forces'), on).deferral;
    // sqrt(d2) cannot fail (d2 is a sum of squares: opt/signs.ts); the divisions and sqrt(y) are checks.
    expect(forces.runs).toEqual({
      mul_result: {
        nodes: ['mul_result', 'mul_result_1', 'add_result', 'mul_result_2', 'add_result_1', 'd2#1', 'sqrt_result', 'd#1', 'mul_result_3', 'truediv_result', 'f#1', 'truediv_result_1', 'g#1', 'sqrt_result_1', 'h#1', 'add_result_2', 'add_result_3'],
        checks: [{ node: 'truediv_result' }, { node: 'truediv_result_1' }, { node: 'sqrt_result_1' }],
      },
    });
    expect(planFunction(fn(p, 'reassigned'), on).deferral.runs.truediv_result.checks)
      .toEqual([{ node: 'truediv_result', bit: 1 }, { node: 'truediv_result_1', bit: 2 }, { node: 'truediv_result_2' }]);
    expect(planFunction(fn(p, 'one_check'), on).deferral.runs).toEqual({});
    // math.exp can raise OverflowError where it stands: it ends each run, leaving one check on either side.
    expect(planFunction(fn(p, 'ended_by_a_call'), on).deferral.runs).toEqual({});
    // Without signs, sqrt(d2) is a check too.
    expect(planFunction(fn(p, 'forces'), passesFromEnv('-signs')).deferral.runs.mul_result.checks.map((c) => c.node))
      .toEqual(['sqrt_result', 'truediv_result', 'truediv_result_1', 'sqrt_result_1']);
  });

  it('the unchecked copy of a versioned loop has runs of its own (its index sums cannot overflow there)', async () => {
    const p = await typedProgram(`${PRELUDE}
@compile
def smooth(a: npt.NDArray[np.float64], x: float, y: float, w: float) -> float:
    s = 0.0
    for j in range(a.shape[0] - 1):
        s += x / w + y / w + a[j + 1]
    return s
`);
    const plan = planFunction(fn(p, 'smooth'), passesFromEnv(''));
    expect(Object.keys(plan.versioned)).toEqual(['for']);
    // In the checked copy j + 1 can raise OverflowError and ends the run; in the unchecked copy it is pure.
    expect(plan.deferral.runs.truediv_result.nodes).toEqual(['truediv_result', 'truediv_result_1', 'add_result']);
    expect(plan.deferral.unchecked.for.truediv_result.nodes).toEqual(['truediv_result', 'truediv_result_1', 'add_result', 'add_result_1']);
    expect(planFunction(fn(p, 'smooth'), passesFromEnv('-loopVersioning')).deferral.unchecked).toEqual({});
  });
});
