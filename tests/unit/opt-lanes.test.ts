/** opt/twoLanes.ts and opt/truncIndex.ts: loops run as two lanes, and a[int(x)] with one test, on typed IR. */
import { describe, expect, it } from 'vitest';
import { planFunction, passesFromEnv } from '../../src-compiler/opt/index.ts';
import { PRELUDE, fn, typedProgram } from './opt-helpers.ts';

const SOURCE = `${PRELUDE}
@compile
def escape(size: int, max_iter: int) -> int:
    total = 0
    for px in range(size):
        cr = 2.0 * px / size - 1.5
        zr = 0.0
        zi = 0.0
        n = 0
        while n < max_iter and zr * zr + zi * zi <= 4.0:
            zr, zi = zr * zr - zi * zi + cr, 2.0 * zr * zi
            n += 1
        total += n
    return total


@compile
def carried(size: int) -> int:
    total = 0
    n = 0
    for px in range(size):
        while n < px:
            n += 1
        total += n
    return total


@compile
def leaves_early(size: int) -> int:
    total = 0
    for px in range(size):
        n = 0
        while n < px:
            n += 1
        if n > 5:
            break
        total += n
    return total


@compile
def hist(x: npt.NDArray[np.float64], bins: int) -> npt.NDArray[np.int64]:
    counts = np.zeros(bins, dtype=np.int64)
    for v in x:
        counts[int(v * bins)] += 1
    return counts


@compile
def index_then_use(x: npt.NDArray[np.float64], n: int) -> int:
    a = np.arange(n)
    t = 0
    for v in x:
        k = int(v * n)
        t += a[k] + k
    return t
`;

describe('twoLanes', () => {
  it("runs the escape-time loop as two lanes, each with its own locals; not a loop whose locals carry over or that leaves early", async () => {
    const p = await typedProgram(SOURCE);
    const on = passesFromEnv('');
    expect(planFunction(fn(p, 'escape'), on).lanes).toEqual({ for: { while: 'while', lane: ['cr', 'zr', 'zi', 'n', 'and_result'] } });
    expect(planFunction(fn(p, 'carried'), on).lanes).toEqual({});
    expect(planFunction(fn(p, 'leaves_early'), on).lanes).toEqual({});
    // The counter n += 1 is what lets the while body run as pure code: without whileCounters there are no lanes.
    expect(planFunction(fn(p, 'escape'), passesFromEnv('-whileCounters')).lanes).toEqual({});
  });
});

describe('truncIndex', () => {
  it('plans a[int(x)] += 1 (the getitem and the setitem), not an int() whose value is used elsewhere', async () => {
    const p = await typedProgram(SOURCE);
    const on = passesFromEnv('');
    expect(planFunction(fn(p, 'hist'), on).truncIndex).toEqual({ int_result: { index: ['getitem_result', 'setitem_result'] } });
    expect(planFunction(fn(p, 'index_then_use'), on).truncIndex).toEqual({});
  });
});
