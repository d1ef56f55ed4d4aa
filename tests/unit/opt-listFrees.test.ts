/**
 * opt/listFrees.ts: which lists a function owns alone (freed where they die), and what each function does with lists, on
 * typed IR; the fields and dicts that own theirs (opt/listFields.ts, opt/dictLists.ts).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { listFrees, listSummaries, type ListSummary } from '../../src-compiler/opt/listFrees.ts';
import { listFields, listStores } from '../../src-compiler/opt/listFields.ts';
import { dictLists, dictStores } from '../../src-compiler/opt/dictLists.ts';
import { effects } from '../../src-compiler/opt/heldLists.ts';
import type { TypedProgram } from '../../src-compiler/types/typecheck.ts';
import { fn, PRELUDE, typedProgram } from './opt-helpers.ts';
import { isRef, walkNodes } from '../../src-compiler/ir/ir.ts';

const SOURCE = `${PRELUDE}
def perms(xs: list[int]) -> list[list[int]]:
    if len(xs) <= 1:
        return [xs[:]]
    out: list[list[int]] = []
    for i in range(len(xs)):
        for p in perms(xs[:i] + xs[i + 1:]):
            out.append([xs[i]] + p)
    return out


@compile
def count(n: int) -> int:
    total = 0
    for p in perms(list(range(n))):
        total += p[0]
    return total


@compile
def last_after_loop(n: int) -> int:
    last = [0]
    for p in perms(list(range(n))):
        last = p
    return len(last)


def keep(store: list[list[int]], xs: list[int]) -> None:
    store.append(xs)


@compile
def kept(xs: list[int]) -> int:
    store: list[list[int]] = []
    keep(store, xs[1:])
    a = xs[:2]
    b = a
    b.append(1)
    return len(store) + len(a)


@compile
def guarded(xs: list[int]) -> int:
    try:
        return len(xs[1:])
    except IndexError:
        return -1


@compile
def grown(n: int) -> list[int]:
    ys = list(range(n))
    try:
        return ys
    finally:
        ys.append(n)


class Walker:
    def __init__(self, x: int) -> None:
        self.steps = [x, x + 1]
        self.seen = [x]
        self.loop = [x]
        self.kept = [x]
        trail: list[int] = []
        for k in range(x % 3):
            trail.append(k)
        self.trail = trail

    def total(self) -> int:
        t = len(self.trail)
        for s in self.steps:
            t += s
        return t


@compile
def walkers(n: int) -> int:
    t = 0
    store: list[list[int]] = []
    for i in range(n):
        w = Walker(i)
        w.steps = w.steps[1:] + [i]
        old = w.seen
        w.seen = [i]
        for x in w.loop:
            w.loop = [x]
        keep(store, w.kept)
        t += w.total() + old[0]
    return t


@compile
def held(n: int) -> int:
    d: dict[int, list[int]] = {}
    t = 0
    for i in range(n):
        d[i % 4] = [i]
        row: list[int] = []
        row.append(i)
        d.setdefault(i % 3, row).append(i)
        xs = d.pop(i % 4)
        for k, v in d.items():
            t += len(v) + len(xs)
    return t


@compile
def aliased(n: int) -> int:
    e: dict[str, list[int]] = {"a": [n]}
    keep = e["a"]
    e["a"] = []
    keep.append(n)
    return len(keep)
`;

describe('listFrees', () => {
  let p: TypedProgram;
  let summaries: Map<string, ListSummary>;
  beforeAll(async () => {
    p = await typedProgram(SOURCE);
    summaries = listSummaries(p);
  });

  it('a recursive function owns its slices, its temporaries and its result, item lists included', () => {
    const perms = fn(p, 'perms');
    expect(summaries.get(perms.key)).toEqual({ keeps: [false], fresh: 1 });
    const frees = listFrees(perms, summaries);
    expect(frees.out).toBe(1); // returned: moved out, freed only on an error exit
    const targets = new Map<string, string>();
    const appended = new Set<string>();
    walkNodes(perms.ir.nodes, (n) => {
      targets.set(n.name, n.target);
      if (n.target === 'method.append' && isRef(n.args[1])) appended.add(n.args[1].ref);
    });
    const freed = (target: string) => Object.keys(frees).filter((v) => targets.get(v) === target);
    expect(freed('_operator.getitem').length).toBe(2); // xs[:i] and xs[i + 1:] (xs[:] goes into [xs[:]], freed with it)
    expect(freed('_operator.add').length).toBe(1); // xs[:i] + xs[i + 1:], passed to the call (`[xs[i]] + p` goes into out)
    expect([...appended].filter((v) => v in frees)).toEqual([]);
    expect(freed('kiln.make_list').length).toBe(3); // [xs[:]] (its item too: 1), [] (moved into out) and [xs[i]]
  });

  it('a caller frees the result with its item lists, unless a loop variable outlives the loop', () => {
    const count = listFrees(fn(p, 'count'), summaries);
    expect(count.iter_result).toBe(1);
    expect(Object.values(count).sort()).toEqual([0, 1, 1]); // list(range(n)), the call's result and the variable it moves to
    const last = listFrees(fn(p, 'last_after_loop'), summaries);
    expect(last.iter_result).toBe(0); // `last = p`: the item lists stay
    expect(last.last).toBeUndefined();
  });

  it('a list a helper keeps, or a second name for it, is never freed', () => {
    const keep = fn(p, 'keep');
    expect(summaries.get(keep.key)!.keeps).toEqual([true, true]); // (a list of lists whose items it may share counts as kept)
    expect(listFrees(fn(p, 'kept'), summaries)).toEqual({});
  });

  it('a try statement frees its lists too, but a return before a finally clause moves none out', () => {
    expect(Object.values(listFrees(fn(p, 'guarded'), summaries))).toEqual([0]); // xs[1:], an error or not
    // `return ys` runs the finally clause, which appends to ys: the caller's list is that one, still in its variable.
    expect(listFrees(fn(p, 'grown'), summaries)).toEqual({});
    expect(summaries.get(fn(p, 'grown').key)!.fresh).toBeUndefined();
  });

  it('a field owns its list when every write stores a new list and no read outlives it (opt/listFields.ts)', () => {
    // seen: read under another name that outlives the write; loop: written while a loop iterates it; kept: kept by a helper.
    const fields = listFields(p, summaries);
    expect([...fields]).toEqual(['steps', 'trail']);
    // trail: a variable at its end moves its list into the field (its function no longer frees it; without the field, it does).
    const init = p.functions.find((f) => f.ir.name.endsWith('Walker.__init__'))!;
    expect(listFrees(init, summaries, {}, fields).trail).toBe(0);
    expect(listFrees(init, summaries).trail).toBeUndefined();
    const walkers = fn(p, 'walkers');
    const setattrs: string[] = [];
    walkNodes(walkers.ir.nodes, (n) => { const a = n.args[1]; if (n.target === 'kiln.setattr' && !isRef(a) && a.const.kind === 'str' && a.const.value === 'steps') setattrs.push(n.name); });
    expect(listStores(walkers, fields)).toEqual(setattrs);
    expect(setattrs.length).toBe(1);
  });

  it('a dict owns its list values when every store puts in a new list and no read outlives an overwrite (opt/dictLists.ts)', () => {
    // dict[str, list[int]]: `keep = e["a"]` outlives `e["a"] = []`; dict[int, list[int]]: stores of new lists, reads used at once.
    const dicts = dictLists(p, summaries, effects(p), new Set());
    expect([...dicts]).toEqual(['kd_i64_lst']);
    // The popped list is the function's (freed after its last use), and `row` moves into the dict at its end.
    const frees = listFrees(fn(p, 'held'), summaries, {}, new Set(), dicts);
    expect(frees.xs).toBe(0);
    expect(frees.row).toBe(0);
    expect(listFrees(fn(p, 'held'), summaries).xs).toBeUndefined();
    expect(dictStores(fn(p, 'held'), dicts).length).toBe(2);
  });
});
