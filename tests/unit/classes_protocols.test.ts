/**
 * The iteration protocol of compiled classes (src-compiler/ir/protocols.ts, ir/trace.ts forOverInstance): which loops
 * the tracer compiles as a protocol loop (the source names the class), the loop it becomes (a generator __iter__
 * inlined; otherwise __iter__ once, then __next__ in a try until StopIteration, no len()), and the diagnostics where
 * the class is not known. The behaviour is verified against CPython by the corpus (classes_protocols, classes_sim).
 */
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { compileModule, loadModule, tracer } from '../../src-compiler/pipeline.ts';
import { walkNodes, type IRFunction } from '../../src-compiler/ir/ir.ts';

function moduleFile(source: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-proto-'));
  const file = path.join(dir, 'proto_mod.py');
  fs.writeFileSync(file, `from kiln import compile\n\n\n${source}`);
  return file;
}

const CLASSES = `
class Countdown:
    def __init__(self, n: int):
        self.n = n

    def __iter__(self) -> "Countdown":
        return self

    def __next__(self) -> int:
        if self.n <= 0:
            raise StopIteration
        self.n -= 1
        return self.n + 1


class Chain:
    def __init__(self, xs: list[int]):
        self.xs = xs

    def __iter__(self):
        for x in self.xs:
            yield x


class Holder:
    def __init__(self, c: Countdown):
        self.c = c
`;

const targets = (f: IRFunction) => {
  const out: string[] = [];
  walkNodes(f.nodes, (n) => out.push(n.op === 'call_function' ? n.target : n.op));
  return out;
};

describe('the iteration protocol of compiled classes', () => {
  it('__iter__ once, then __next__ in a try that stops at StopIteration: no len(), no index', async () => {
    const file = moduleFile(`${CLASSES}

@compile
def total(n: int) -> int:
    s = 0
    for x in Countdown(n):
        s += x
    return s
`);
    const ir = tracer(await loadModule(file))('total');
    const t = targets(ir);
    expect(t.filter((x) => x === 'method.__iter__')).toHaveLength(1);
    expect(t.filter((x) => x === 'method.__next__')).toHaveLength(1);
    expect(t).toContain('while');
    expect(t).toContain('try');
    expect(t).not.toContain('builtins.len');
    expect(t).not.toContain('kiln.iter_item');
    let caught: string[] = [];
    walkNodes(ir.nodes, (n) => { if (n.op === 'try') caught = n.handlers!.flatMap((h) => h.classes); });
    expect(caught).toEqual(['StopIteration']);
  });

  it('a generator __iter__ is inlined with the instance as self (no __iter__ call)', async () => {
    const file = moduleFile(`${CLASSES}

@compile
def chain_sum(n: int) -> int:
    c = Chain([n, n + 1])
    return sum(c) + len([x for x in c])
`);
    const ir = tracer(await loadModule(file))('chain_sum');
    const t = targets(ir);
    expect(t).not.toContain('method.__iter__');
    expect(ir.locals.some((l) => l.startsWith('Chain_iter'))).toBe(true);
  });

  it('where the source does not say the class, the loop is refused with the ways to write it', async () => {
    const file = moduleFile(`${CLASSES}

@compile
def in_field(n: int) -> int:
    h = Holder(Countdown(n))
    s = 0
    for x in h.c:
        s += x
    return s


@compile
def member(n: int) -> bool:
    return 2 in Countdown(n)


@compile
def works(n: int) -> int:
    c = Countdown(n)
    return max(c)
`);
    const compiled = await compileModule(file);
    const err = (name: string) => compiled.functions.find((f) => f.name === name)?.error;
    expect(err('in_field')?.message).toContain('a loop over a Countdown where the source does not say its class');
    expect(err('in_field')?.message).toContain('a parameter annotated Countdown');
    expect(err('member')?.message).toContain('`in` through Countdown.__iter__; define __contains__');
    expect(err('works')).toBeUndefined();
  });

  it('the first parameter of a static or class method is not self: a loop over it is a loop over what it is', async () => {
    const file = moduleFile(`
class Bag:
    def __init__(self, xs: list[int]):
        self.xs = xs

    def __iter__(self):
        for x in self.xs:
            yield x

    @staticmethod
    def total(xs: list[int]) -> int:
        s = 0
        for x in xs:
            s += x
        return s

    @classmethod
    def count(cls, xs: list[int]) -> int:
        return len([x for x in xs])


@compile
def both(n: int) -> int:
    return Bag.total([n, 2]) + Bag.count([1, n]) + sum(Bag([n]))
`);
    const compiled = await compileModule(file);
    expect(compiled.functions.find((f) => f.name === 'both')?.error).toBeUndefined();
  });

  it('an enum member Kiln does not compile yet (Flag, auto()) is refused where it is read, never compiled as its value', async () => {
    // Enum and IntEnum members with literal values compile (tests/corpus/classes_enums.py); these do not.
    const file = moduleFile(`from enum import Enum, Flag, auto


class Perm(Flag):
    READ = 1


class Color(Enum):
    RED = auto()


@compile
def flag(n: int) -> bool:
    return Perm.READ == n


@compile
def automatic(n: int) -> bool:
    return Color.RED == n
`);
    const compiled = await compileModule(file);
    const error = (name: string) => compiled.functions.find((f) => f.name === name)?.error;
    expect(error('flag')).toMatchObject({ construct: 'enum member', message: expect.stringContaining('Perm.READ is a member of the enum Perm') });
    expect(error('automatic')).toMatchObject({ construct: 'enum member', message: expect.stringContaining('Color.RED = auto(): members of enum.Enum classes are compiled when their values are int literals') });
  });
});
