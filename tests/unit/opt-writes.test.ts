/** opt/writes.ts: which array and list parameters a function writes or returns a view of, on typed IR. */
import { describe, expect, it } from 'vitest';
import { lengthChanges, writes } from '../../src-compiler/opt/writes.ts';
import { walkNodes } from '../../src-compiler/ir/ir.ts';
import { loadModule, refusedWrites, tracer, typeProgram } from '../../src-compiler/pipeline.ts';
import { oneModuleLinks } from '../../src-compiler/project/scope.ts';
import { typecheckProgram, type TypedFunction } from '../../src-compiler/types/typecheck.ts';
import { fn, PRELUDE, sourceFile, typedProgram } from './opt-helpers.ts';

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

describe('lengthChanges', () => {
  const SOURCE = `${PRELUDE}
def push(q: list[int], x: int) -> None:
    q.append(x)


@compile
def worklist(xs: list[int]) -> int:
    work = list(xs)
    total = 0
    for x in work:
        total += x
        if x > 1:
            push(work, x // 2)
    return total


@compile
def in_place(xs: list[int], ys: list[int]) -> int:
    for i, x in enumerate(xs):
        xs[i] = x + 1
        ys.append(x)
    return len(ys)
`;
  const loops = (f: TypedFunction) => {
    const out: string[] = [];
    walkNodes(f.ir.nodes, (n) => { if (n.op === 'for_range' || n.op === 'while') out.push(`${n.op}${n.lengthOnce ? ' (length once)' : ''}`); });
    return out;
  };

  it('finds the loop whose list a helper makes longer, not one whose items alone are written', async () => {
    const mod = await loadModule(sourceFile(SOURCE));
    const getIR = tracer(mod);
    const p = typecheckProgram(mod, mod.functions.filter((f) => f.decorated).map((f) => getIR(f.name)), getIR);
    const found = lengthChanges(p, writes(p));
    expect(found.map((c) => [c.f.name, c.change.target, c.shown, c.deque])).toEqual([['worklist', 'opt_mod.push', "'work'", false]]);
    expect(found[0].loop.lengthOnce).toMatch(/opt_mod\.py:16:5:/);
  });

  it('typeProgram traces that loop again reading the length at every step; the other keeps reading it once', async () => {
    const mod = await loadModule(sourceFile(SOURCE));
    const getIR = tracer(mod);
    const p = typeProgram(mod, mod.functions.filter((f) => f.decorated).map((f) => getIR(f.name)), getIR, oneModuleLinks(mod, getIR));
    expect(loops(fn(p, 'worklist'))).toEqual(['while']);
    expect(loops(fn(p, 'in_place'))).toEqual(['for_range (length once)']);
    expect(refusedWrites(p)).toEqual([]);
  });

  it('refuses the loop where the links cannot trace it again (the compiled loop would read the length once)', async () => {
    const mod = await loadModule(sourceFile(SOURCE));
    const traces = tracer(mod);
    const getIR = (name: string) => traces(name);
    const p = typeProgram(mod, mod.functions.filter((f) => f.decorated).map((f) => getIR(f.name)), getIR, oneModuleLinks(mod, getIR));
    expect(refusedWrites(p)).toMatchObject([{ construct: 'list changed while iterated', line: 19, message: expect.stringContaining("this may change the length of 'work', which the loop at line 16 iterates") }]);
  });
});
