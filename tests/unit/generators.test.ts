/**
 * Generators inlined where they are consumed (src-compiler/ir/generators.ts, ir/trace.ts): the IR a consumer gets
 * (no extra loop or flag when nothing leaves the generator early), and the diagnostics for what is refused. The
 * behaviour itself is verified against CPython by the generators_* corpus.
 */
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { compileModule, loadModule, tracer } from '../../src-compiler/pipeline.ts';
import { walkNodes, type IRFunction } from '../../src-compiler/ir/ir.ts';
import { generatorStateMachine } from '../../src-compiler/ir/generators.ts';

function moduleFile(source: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-gen-'));
  const file = path.join(dir, 'gen_mod.py');
  fs.writeFileSync(file, `from kiln import compile\n\n\n${source}`);
  return file;
}

const loops = (f: IRFunction) => {
  const out: string[] = [];
  walkNodes(f.nodes, (n) => { if (n.op === 'while' || n.op === 'for_range') out.push(n.op); });
  return out;
};

const GENS = `
def evens(n):
    i = 0
    while i < n:
        yield i
        i += 2


def upto(xs, limit):
    for x in xs:
        if x > limit:
            return
        yield x
`;

describe('generator inlining', () => {
  it('a generator consumed to the end is one loop: no frame loop, no stop flag', async () => {
    const file = moduleFile(`${GENS}

@compile
def gen_sum(n: int) -> int:
    return sum(x * x for x in evens(n))
`);
    const ir = tracer(await loadModule(file))('gen_sum');
    expect(loops(ir)).toEqual(['while']);
    expect(ir.locals.filter((l) => l.includes('stop'))).toEqual(['evens_stop']);
    // The flag is assigned once (False) and never read: the C compiler drops it.
    const reads: string[] = [];
    walkNodes(ir.nodes, (n) => n.args.forEach((a) => { if ('ref' in a && a.ref === 'evens_stop') reads.push(n.op); }));
    expect(reads).toEqual([]);
  });

  it('a @compile generator (which returns its frames to a caller outside) consumed where it is made is inlined too', async () => {
    const file = moduleFile(`from typing import Iterator


@compile
def evens(n: int) -> Iterator[int]:
    i = 0
    while i < n:
        yield i
        i += 2


@compile
def gen_sum(n: int) -> int:
    return sum(x * x for x in evens(n))
`);
    const ir = tracer(await loadModule(file))('gen_sum');
    expect(loops(ir)).toEqual(['while']);
    const calls: string[] = [];
    walkNodes(ir.nodes, (n) => { if (n.op === 'call_function') calls.push(n.target); });
    expect(calls.filter((t) => /__next__|__kiln|evens/.test(t))).toEqual([]);
  });

  it('a return in the generator and a break in the consumer leave through the frame loop and the stop flag', async () => {
    const file = moduleFile(`${GENS}

@compile
def first_big(xs: list[int], limit: int) -> int:
    for x in upto(xs, limit):
        if x > 10:
            break
    else:
        return -1
    return x
`);
    const ir = tracer(await loadModule(file))('first_big');
    // the frame (once), the generator's own loop over xs, the consumer's body at the yield (once)
    expect(loops(ir)).toEqual(['for_range', 'for_range', 'for_range']);
    expect(ir.locals).toEqual(expect.arrayContaining(['upto_x', 'upto_xs', 'upto_limit', 'upto_stop', 'upto_break']));
  });

  it('a generator expression is fused into the loop that reads it: no list, and a break leaves every clause', async () => {
    const file = moduleFile(`
@compile
def first_pair(xs: list[int], ys: list[int]) -> int:
    for p in (x * y for x in xs for y in ys):
        if p > 10:
            return p
    return -1


@compile
def first_big(xs: list[int]) -> int:
    for p in (x * y for x in xs for y in xs):
        if p > 10:
            break
    else:
        return -1
    return p
`);
    const trace = tracer(await loadModule(file));
    const calls = (f: IRFunction) => {
      const out: string[] = [];
      walkNodes(f.nodes, (n) => { if (n.op === 'call_function') out.push(n.target); });
      return out;
    };
    const ret = trace('first_pair');
    expect(loops(ret)).toEqual(['for_range', 'for_range']);
    expect(calls(ret)).not.toContain('kiln.make_list');
    const brk = trace('first_big');
    // the clauses, the consumer's body at each item (once, left by the break); the flag leaves the outer clause
    expect(loops(brk)).toEqual(['for_range', 'for_range', 'for_range']);
    expect(calls(brk)).not.toContain('kiln.make_list');
    expect(brk.locals.filter((l) => l.startsWith('genexp_'))).toEqual(['genexp_stop_result', 'genexp_break_result']);
  });

  it('refuses what it cannot inline, at the place, with what to write instead', async () => {
    const file = moduleFile(`${GENS}

def walk(t, i):
    try:
        yield t[i]
    finally:
        pass
    if 2 * i + 1 < len(t):
        yield from walk(t, 2 * i + 1)


def echo(n):
    x = yield n
    yield x


def helper(g):
    return sum(g)


def tricky(n):
    with open('f') as fh:
        yield n


@compile
def passed_on(n: int) -> int:
    g = evens(n)
    return helper(g)


@compile
def recursive(t: list[int]) -> int:
    return sum(walk(t, 0))


@compile
def sent(n: int) -> int:
    return sum(echo(n))


@compile
def next_of_call(n: int) -> int:
    return next(evens(n))


@compile
def cut_in_try(n: int) -> int:
    g = tricky(n)
    return next(g)


@compile
def passed(n: int) -> int:
    return helper(evens(n))


@compile
def two_zipped(n: int) -> int:
    return sum(a * b for a, b in zip((i for i in range(n)), (j for j in range(n))))


@compile
def entry(n: int):
    got = 1 + (yield n)
    yield got


def twice(xs):
    return sum(xs) + len(xs)


class Acc:
    def __iadd__(self, other):
        return other + [1]


@compile
def genexp_len(n: int) -> int:
    return twice(i for i in range(n))


@compile
def genexp_iadd(n: int) -> int:
    a = Acc()
    a += (i for i in range(n))
    return 0


@compile
def genexp_early(n: int) -> int:
    return first_big(10 // (5 - i) for i in range(n))


def first_big(xs):
    for x in xs:
        if x > 2:
            return x
    return -1


@compile
def genexp_value(n: int) -> int:
    f = helper
    return f(i for i in range(n))


def logged_total(xs, log):
    log.append(0)
    return sum(xs)


@compile
def genexp_after_effect(n: int) -> int:
    log = [n]
    return logged_total((log.pop() for i in range(n)), log)
`);
    const compiled = await compileModule(file);
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    const err = (name: string) => {
      const d = compiled.functions.find((f) => f.name === name)?.error;
      expect(d, name).toBeDefined();
      return { construct: d!.construct, line: lines[d!.line - 1].trim(), message: d!.message, hint: d!.hint };
    };
    expect(err('passed_on')).toMatchObject({ construct: 'generator object', line: 'return helper(g)', message: expect.stringContaining("'g' holds a generator") });
    // Recursive generators are frames (ir/generator_frames.ts), but not one whose `return i` a `yield from` would read.
    expect(err('recursive')).toMatchObject({ construct: 'recursive generator', line: 'try:', message: expect.stringContaining('is not cut into states') });
    // Inlined into sum(), the generator would always be sent None: send() needs it in a variable (a state machine).
    expect(err('sent')).toMatchObject({ construct: 'yield as a value', line: 'x = yield n', hint: expect.stringContaining('g.send(v)') });
    expect(err('next_of_call')).toMatchObject({ construct: 'next()', hint: 'store the generator first: g = gen(...); x = next(g)' });
    expect(err('cut_in_try')).toMatchObject({ construct: 'generator object', line: "with open('f') as fh:", message: expect.stringContaining('a With statement holding a yield or a return is not') });
    expect(err('passed')).toMatchObject({ construct: 'generator object', line: 'return helper(evens(n))', hint: expect.stringContaining('for x in evens(...)') });
    expect(err('two_zipped')).toMatchObject({ construct: 'zip()', message: expect.stringContaining('one generator') });
    // A @compile generator returns its frames (an iterator to the caller; x = yield v too), unless they cannot be
    // cut (a yield inside an expression).
    expect(err('entry')).toMatchObject({ construct: 'yield (generator)', line: 'got = 1 + (yield n)' });
    // A generator expression passed to a project function is a list there: only one pass from its start compiles.
    expect(err('genexp_len')).toMatchObject({ construct: 'generator argument', line: 'return twice(i for i in range(n))', message: "TypeError: object of type 'generator' has no len()" });
    expect(err('genexp_iadd')).toMatchObject({ construct: 'generator argument', line: 'a += (i for i in range(n))', message: expect.stringContaining('Acc.__iadd__()') });
    expect(err('genexp_early')).toMatchObject({ construct: 'generator argument', message: expect.stringContaining('can stop before its end (return)') });
    expect(err('genexp_value')).toMatchObject({ construct: 'generator argument', message: expect.stringContaining("function value ('f')") });
    // Items that run code, and a callee that runs code before it reads them: the list made before the call would
    // pop before CPython's log.append(0) runs (exact when either side is quiet: corpus genexp_effects_order).
    expect(err('genexp_after_effect')).toMatchObject({ construct: 'generator argument', line: 'return logged_total((log.pop() for i in range(n)), log)', message: expect.stringMatching(/computed before the call, where CPython computes each item when logged_total\(\) reads 'xs'.*\(line \d+\)$/) });
    // Without a class defining __iadd__ in the module, str and tuple += <generator> are CPython's own TypeErrors.
    const plain = await compileModule(moduleFile(`
@compile
def str_iadd(n: int) -> str:
    s = "ab"
    s += (str(i) for i in range(n))
    return s


@compile
def tuple_iadd(n: int) -> tuple[int, ...]:
    t = (1, 2)
    t += (i for i in range(n))
    return t
`));
    const message = (name: string) => plain.functions.find((f) => f.name === name)?.error?.message;
    expect(message('str_iadd')).toBe('TypeError: can only concatenate str (not "generator") to str');
    expect(message('tuple_iadd')).toBe('TypeError: can only concatenate tuple (not "generator") to tuple');
  });
});

describe('generator state machines (next())', () => {
  it('cuts the body at its yields only: loops and ifs without a yield stay whole in one state', async () => {
    const file = moduleFile(`
def gen(xs):
    total = 0
    for x in xs:
        total += x
    while total > 10:
        total -= 10
        yield total
    yield -1
`);
    const mod = await loadModule(file);
    const sm = generatorStateMachine(mod.functions.find((f) => f.name === 'gen')!, { st: 'st', val: 'val', have: 'have', sent: 'sent', ret: 'ret' });
    if ('message' in sm) throw new Error(sm.message);
    // state 0: the first loop whole, then the while's head, body (to the yield), after the yield, exit (yield -1), end
    expect(sm.cases[0].map((s) => s._t)).toEqual(['Assign', 'For', 'Assign']);
    expect(sm.temps).toEqual([]);
    const yields = sm.cases.flat().filter((s) => s._t === 'Assign' && s.targets[0].id === 'have');
    expect(yields).toHaveLength(2);
    // every state ends by choosing the next one
    for (const c of sm.cases.filter((c) => c.length)) {
      const last = c[c.length - 1];
      expect(last._t === 'If' || (last._t === 'Assign' && last.targets[0].id === 'st'), JSON.stringify(last).slice(0, 80)).toBe(true);
    }
  });
});
