/** opt/lifetimes.ts and opt/splitLoops.ts: where generated code releases owned references, and which split loops skip the list, on typed IR. */
import { describe, expect, it } from 'vitest';
import { containerReach, fieldWrites, heldResults, lifetimes, stableFields } from '../../src-compiler/opt/lifetimes.ts';
import { splitLoops } from '../../src-compiler/opt/splitLoops.ts';
import type { TypedProgram } from '../../src-compiler/types/typecheck.ts';
import { fn, PRELUDE, typedProgram } from './opt-helpers.ts';

const SOURCE = `${PRELUDE}
@compile
def shout(s: str, n: int) -> str:
    out = ""
    for _ in range(n):
        t = s.upper()
        out += t + "!"
    s = s + "?"
    return out + s


@compile
def count_chars(s: str, k: int) -> int:
    return len(s) * k


@compile
def words(s: str) -> int:
    total = 0
    for w in s.split():
        total += len(w)
    return total


@compile
def numbered(s: str) -> int:
    total = 0
    for i, w in enumerate(s.split(",")):
        total += i * len(w)
    return total


@compile
def resplit(s: str) -> int:
    n = 0
    for w in s.split():
        s = w
        n += 1
    return n


@compile
def fields(s: str) -> int:
    n = 0
    for w in s.split(";"):
        n += len(w)
    return n


@compile
def with_else(s: str) -> int:
    n = 0
    for w in s.split(";"):
        n += 1
    else:
        n = -n
    return n
`;

describe('lifetimes', () => {
  let p: TypedProgram;
  it('owns a parameter only where the function assigns it, every str local, and each call result', async () => {
    p = await typedProgram(SOURCE);
    const lt = lifetimes(fn(p, 'shout'));
    expect(lt.ownedParams).toEqual(['s']);
    expect(lt.ownedLocals.sort()).toEqual(['out', 't']);
    expect(lt.temps).toEqual(['upper_result', 'add_result', 'add_result_1', 'add_result_2', 'add_result_3']);
    // A parameter read only is borrowed: nothing owned, nothing released.
    expect(lifetimes(fn(p, 'count_chars'))).toEqual({ ownedParams: [], ownedLocals: [], temps: [], clearBefore: [], releaseAfter: {}, moves: {}, borrowed: [], borrowedLocals: [], takeovers: {}, countAfter: {}, consumedParams: [], passes: {} });
  });

  it('releases a temporary after its last use, moves a value into the variable or result that is its last use, and clears loop slots', () => {
    const lt = lifetimes(fn(p, 'shout'));
    // `t + "!"` is dropped right after `out += ...` reads it (in the same iteration: bounded memory in loops).
    expect(lt.releaseAfter).toEqual({ add_result_1: ['add_result'] });
    // t = s.upper(), out += ..., s = s + "?", return out + s: each takes the new reference over, no count traffic.
    expect(lt.moves).toEqual({ 't#1': 'upper_result', 'out#2': 'add_result_1', 's#1': 'add_result_2', output: 'add_result_3' });
    // Values made in the loop body may find last iteration's value in their slot (a continue skipped a release).
    expect(lt.clearBefore.sort()).toEqual(['add_result', 'add_result_1', 'upper_result']);
  });
});

const CLASSES = `${PRELUDE}
class V:
    def __init__(self, x: float):
        self.x = x

    def get(self) -> float:
        return self.x


class Box:
    def __init__(self, v: V, w: V):
        self.v = v
        self.w = w


def use(b: Box) -> float:
    return b.v.get() + b.w.get() + b.v.x


def keep(b: Box) -> V:
    return b.v


def rebind(b: Box) -> float:
    b = Box(V(1.0), V(2.0))
    return b.v.get()


def walk(b: Box | None) -> float:
    s = 0.0
    while b is not None:
        s += b.v.get()
        b = None
    return s


def hold(b: Box | None) -> float:
    s = 0.0
    while b is not None:
        c = b
        s += c.v.get()
        b = None
    return s


def shift(b: Box, c: Box) -> bool:
    c.w = b.w
    return c.w is not None


def take(b: Box) -> float:
    w = b.w
    b.w = V(1.0)
    return w.get()


class Node:
    def __init__(self, val: float, nxt: "Node | None"):
        self.val = val
        self.nxt = nxt


def val_of(n: Node) -> float:
    return n.val


def append(head: Node, tail: Node) -> Node:
    p = head
    while p.nxt is not None:
        p = p.nxt
    p.nxt = tail
    return head


def total(head: Node | None) -> float:
    s = 0.0
    p = head
    while p is not None:
        s += p.val
        p = p.nxt
    return s


def total_calls(head: Node | None) -> float:
    s = 0.0
    p = head
    while p is not None:
        s += val_of(p)
        p = p.nxt
    return s


def unlink(head: Node) -> float:
    p = head.nxt
    head.nxt = None
    return 0.0 if p is None else p.val


class Q:
    def __init__(self, head: Node | None):
        self.head = head


def pop(q: Q) -> float:
    n = q.head
    assert n is not None
    q.head = n.nxt
    return n.val


def pop_call(q: Q) -> float:
    n = q.head
    assert n is not None
    s = val_of(n)
    q.head = n.nxt
    return s + n.val


def pop_or(q: Q) -> float:
    n = q.head
    if n is None:
        return val_of(Node(-1.0, None))
    q.head = n.nxt
    return n.val


def pop_if(q: Q, k: int) -> float:
    n = q.head
    if n is None:
        return 0.0
    m = k + 1
    if m > 2:
        q.head = n.nxt
        return val_of(n)
    return n.val


def set_head(q: Q, n: Node | None) -> float:
    q.head = n
    return 0.0


def heads(q: Q) -> float:
    return total(q.head) + set_head(q, q.head)


@compile
def run(n: float) -> float:
    b = Box(V(n), V(2.0))
    t = use(b) + keep(b).get() + rebind(b) + walk(b) + hold(b) + take(b) + float(shift(b, Box(V(0.0), V(1.0))))
    b.w = V(3.0)
    chain = append(Node(1.0, None), Node(2.0, None))
    return t + total(chain) + total_calls(chain) + unlink(chain) + pop(Q(chain)) + pop_call(Q(chain)) + pop_or(Q(chain)) + heads(Q(chain)) + pop_if(Q(chain), 2)
`;

describe('borrowed field reads', () => {
  it('borrows a stable field of a parameter passed to calls and field reads; takes a reference otherwise', async () => {
    const p = await typedProgram(CLASSES);
    const stable = stableFields(p);
    // w is assigned after construction (b.w = V(3.0)); v and x only by __init__ on self.
    expect([...stable].sort()).toEqual(['v', 'val', 'x']);
    const use = lifetimes(fn(p, 'use'), {}, stable);
    expect(use.borrowed.sort()).toEqual(['v_result', 'v_result_1']);
    expect(use.temps).toContain('w_result');
    // Returned (the caller gets a reference of its own), or read from a parameter the function rebinds: owned.
    expect(lifetimes(fn(p, 'keep'), {}, stable).borrowed).toEqual([]);
    expect(lifetimes(fn(p, 'rebind'), {}, stable).borrowed).toEqual([]);
    // `b` narrowed by `b is not None`, read for a field before `b = None`: the variable's own reference. Assigned to
    // another variable (`c = b`), it is a reference of its own.
    const walk = lifetimes(fn(p, 'walk'), {}, stable);
    expect(walk.borrowed.filter((x) => x.startsWith('b_narrow')).length).toBeGreaterThan(0);
    const hold = lifetimes(fn(p, 'hold'), {}, stable);
    expect([...hold.borrowed].filter((x) => x.startsWith('b_narrow'))).toEqual([]);
  });

  it('borrows any field read whose uses follow it at once and run no code: a write of it, an identity test', async () => {
    const p = await typedProgram(CLASSES);
    const stable = stableFields(p);
    // w is not stable, but `c.w = b.w` counts the value before it drops the old one, and `c.w is not None` keeps nothing.
    expect(lifetimes(fn(p, 'shift'), {}, stable).borrowed.sort()).toEqual(['w_result', 'w_result_1']);
    // Assigned to a variable, it is a reference of its own (`b.w = V(1.0)` would otherwise free it).
    const take = lifetimes(fn(p, 'take'), {}, stable);
    expect(take.borrowed).toEqual([]);
    expect(take.temps).toContain('w_result');
    // `b.w = V(1.0)` is the new instance's last use: the field takes its reference over (nothing released after).
    expect(take.moves).toMatchObject({ setattr_result: 'v_result' });
    expect(Object.values(take.releaseAfter).flat()).not.toContain('v_result');
  });
});

describe('borrowed locals', () => {
  it('a local assigned only a parameter or field reads along a chain from it holds no reference while nothing runs code or writes a field', async () => {
    const p = await typedProgram(CLASSES);
    const stable = stableFields(p);
    // `p = head; while p.nxt is not None: p = p.nxt; p.nxt = tail`: the write is p's last use.
    const append = lifetimes(fn(p, 'append'), {}, stable, undefined, {}, true);
    expect(append.borrowedLocals).toEqual(['p']);
    expect(append.ownedLocals).not.toContain('p');
    // The loop test's field read is borrowed too (nothing outside the test reads it), and so is the read p takes.
    expect(append.temps).toEqual([]);
    expect(lifetimes(fn(p, 'total'), {}, stable, undefined, {}, true).borrowedLocals).toEqual(['p']);
    // A call in the span could write the fields the chain goes through; a field write before p's last use could
    // drop the object p points to (`head.nxt = None` frees the second node): p owns its reference.
    for (const name of ['total_calls', 'unlink']) {
      const l = lifetimes(fn(p, name), {}, stable, undefined, {}, true);
      expect(l.borrowedLocals).toEqual([]);
      expect(l.ownedLocals).toContain('p');
    }
    // The pass borrowedLocals off: none.
    expect(lifetimes(fn(p, 'append'), {}, stable).borrowedLocals).toEqual([]);
  });

  it('a local assigned a field read takes the field\'s reference over when the field is written with nothing but reads between', async () => {
    const p = await typedProgram(CLASSES);
    const stable = stableFields(p);
    // `n = q.head; assert n is not None; q.head = n.nxt`: the read is borrowed, the assign moves it, the write drops nothing.
    const pop = lifetimes(fn(p, 'pop'), {}, stable, undefined, {}, true);
    expect(Object.keys(pop.takeovers)).toHaveLength(1);
    const [assign, write] = Object.entries(pop.takeovers)[0];
    expect(assign).toMatch(/^n#/);
    expect(pop.moves[assign]).toBe('head_result');
    expect(pop.borrowed).toContain('head_result');
    expect(write).toMatch(/^setattr/);
    // A call between could write the field: n counts its reference, the write drops the old one.
    expect(lifetimes(fn(p, 'pop_call'), {}, stable, undefined, {}, true).takeovers).toEqual({});
    // The pass borrowedLocals off: none.
    expect(lifetimes(fn(p, 'pop'), {}, stable).takeovers).toEqual({});
    // `if n is None: return ...` between: on that path n and the field hold None, whatever the branch calls.
    expect(Object.values(lifetimes(fn(p, 'pop_or'), {}, stable, undefined, {}, true).takeovers)).toHaveLength(1);
    // The write first in a branch that returns: n takes the field's reference there, and counts its own after the branch.
    const popIf = lifetimes(fn(p, 'pop_if'), {}, stable, undefined, {}, true);
    expect(Object.values(popIf.takeovers)).toHaveLength(1);
    expect(Object.values(popIf.countAfter)).toEqual([['n']]);
  });
});

describe('borrowed arguments', () => {
  it('borrows a field read passed to calls that assign no field of that name, through any call', async () => {
    const p = await typedProgram(CLASSES);
    const stable = stableFields(p);
    const writes = fieldWrites(p);
    // Through calls: run reaches every write; total assigns nothing; set_head assigns head.
    expect(writes.get(fn(p, 'total').key)).toEqual(new Set());
    expect(writes.get(fn(p, 'set_head').key)).toEqual(new Set(['head']));
    expect([...(writes.get(fn(p, 'run').key) as Set<string>)]).toEqual(expect.arrayContaining(['head', 'nxt', 'w']));
    // `total(q.head)` keeps q.head; `set_head(q, q.head)` could drop what it read: a reference of its own.
    const heads = lifetimes(fn(p, 'heads'), {}, stable, undefined, {}, false, writes);
    expect(heads.borrowed).toEqual(['head_result']);
    expect(heads.temps).toContain('head_result_1');
    // The pass borrowedArgs off: none.
    expect(lifetimes(fn(p, 'heads'), {}, stable).borrowed).toEqual([]);
  });
});

describe('splitLoops', () => {
  it('takes `for w in s.split()` one piece at a time from the string split', async () => {
    const p = await typedProgram(SOURCE);
    expect(splitLoops(fn(p, 'words'))).toEqual({
      split_result: { split: 'split_result', len: 'len_result', loop: 'for', item: 'item_result', held: 'iter_result', source: { ref: 's' } },
    });
    expect(Object.values(splitLoops(fn(p, 'fields')))).toMatchObject([{ source: { ref: 's' }, sep: { const: { kind: 'str', value: ';' } } }]);
  });

  it('leaves the list where something else reads it, the loop rebinds the string, or the loop has an else', async () => {
    const p = await typedProgram(SOURCE);
    expect(splitLoops(fn(p, 'numbered'))).toEqual({}); // enumerate reads the index
    expect(splitLoops(fn(p, 'resplit'))).toEqual({}); // the iterator would read the rebound s
    expect(splitLoops(fn(p, 'with_else'))).toEqual({}); // the same loop as fields() but for its else
  });
});

const SHELVES = `${PRELUDE}
class Item:
    def __init__(self, k: float):
        self.k = k

    def get(self) -> float:
        return self.k

    def poke(self, s: "Shelf") -> float:
        s.items.clear()
        return self.k


class Shelf:
    def __init__(self):
        self.items: list[Item] = [Item(1.0), Item(2.0)]

    def at(self, i: int) -> Item:
        return self.items[i]


def first(s: Shelf) -> float:
    return s.items[0].get()


def emptied(s: Shelf) -> float:
    return s.items[0].poke(s)


def given(xs: list[Item]) -> float:
    return xs[0].get()


def found(s: Shelf, ks: list[float]) -> float:
    t = s.at(0)
    ks.append(t.get())
    return t.k


def found_emptied(s: Shelf) -> float:
    t = s.at(0)
    return t.poke(s)


@compile
def shelves(n: float) -> float:
    s = Shelf()
    return first(s) + given(s.items) + emptied(s) + found(s, [n]) + found_emptied(s)
`;

describe('borrowed list items', () => {
  it('borrows an item of a stable list field only while nothing the span runs is given a way to the list', async () => {
    const p = await typedProgram(SHELVES);
    const stable = stableFields(p);
    const reach = containerReach(p)!;
    expect(lifetimes(fn(p, 'first'), {}, stable, reach).borrowed).toEqual(['getitem_result']);
    // poke(s) can empty the list (CPython keeps the item alive through the call's own reference): counted.
    expect(lifetimes(fn(p, 'emptied'), {}, stable, reach).borrowed).toEqual([]);
    // A list parameter: the caller's list, which the callee could reach another way; not borrowed.
    expect(lifetimes(fn(p, 'given'), {}, stable, reach).borrowed).toEqual([]);
    expect(reach({ kind: 'instance', cls: 'opt_mod.Item' })).toBe(false);
    expect(reach({ kind: 'instance', cls: 'opt_mod.Shelf' })).toBe(true);
    // A list of numbers holds no object and leads nowhere (found's ks.append).
    expect(reach({ kind: 'list', item: { kind: 'scalar', name: 'float' } } as never)).toBe(false);
  });

  it('borrows the result of a call returning such an item, and a local assigned it, while nothing reaches the list', async () => {
    const p = await typedProgram(SHELVES);
    const stable = stableFields(p);
    const held = heldResults(p, stable);
    expect([...held.entries()]).toEqual([[fn(p, 'Shelf.at').key, { param: 0, item: true }]]);
    const found = lifetimes(fn(p, 'found'), {}, stable, containerReach(p), {}, true, undefined, held);
    expect(found.borrowedLocals).toEqual(['t']);
    expect(found.borrowed).toContain('at_result');
    // poke(s) can empty the list before t's last use: t counts its reference.
    const emptied = lifetimes(fn(p, 'found_emptied'), {}, stable, containerReach(p), {}, true, undefined, held);
    expect(emptied.borrowedLocals).toEqual([]);
    expect(emptied.ownedLocals).toContain('t');
    // The pass borrowedLocals off: t owns its reference.
    expect(lifetimes(fn(p, 'found'), {}, stable, containerReach(p), {}, false, undefined, held).borrowedLocals).toEqual([]);
  });
});
