/**
 * Values whose type depends on the path (issues 12 and 19): the splitting of variables where their definitions
 * do not meet (opt/splitVariables.ts), unions where they do (types.ts), narrowing after tests (types/narrowing.ts)
 * and the registry's dispatch over a union's members (types/ops/common_unions.ts). Typed IR and generated C
 * are checked here; the corpus (tests/corpus/unions_*.py, optional_*.py) checks the behaviour against CPython.
 */
import { describe, expect, it } from 'vitest';
import { walkNodes, type IRNode } from '../../src-compiler/ir/ir.ts';
import { lintIR } from '../../src-compiler/ir/lint.ts';
import { lowerToC } from '../../src-compiler/lower/c.ts';
import { variableWebs } from '../../src-compiler/opt/splitVariables.ts';
import { T, cType, isNicheOptional, joinTypes, typeToString, unionOf, type KType } from '../../src-compiler/types/types.ts';
import { fn, typedProgram, PRELUDE } from './opt-helpers.ts';
import { loadModule, tracer } from '../../src-compiler/pipeline.ts';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const nodes = (f: { ir: { nodes: IRNode[] } }) => {
  const out: IRNode[] = [];
  walkNodes(f.ir.nodes, (n) => out.push(n));
  return out;
};

async function traced(source: string, name: string) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-unions-'));
  const file = path.join(dir, 'm.py');
  fs.writeFileSync(file, PRELUDE + source);
  const mod = await loadModule(file);
  return tracer(mod)(name);
}

describe('union types', () => {
  it('are normalised: flattened, de-duplicated, sorted, None last; one member is the member itself', () => {
    const u = unionOf([T.float, T.none, { kind: 'union', members: [T.int, T.float] }, T.int]);
    expect(typeToString(u as never)).toBe('int | float | None');
    expect(unionOf([T.float, T.float])).toEqual(T.float);
    expect(typeToString(joinTypes(T.tuple([T.int, T.int]), T.tuple([T.int, T.float])) as never)).toBe('tuple[int, int | float]');
    expect(joinTypes(T.int, T.list(T.int))).toMatch(/may only share a variable with None/);
    expect(typeToString(joinTypes(T.list(T.float), T.none) as never)).toBe('list[float] | None');
  });

  it('a character and a str meet as a str; a str or None is the str pointer; a str with another type is not held yet', () => {
    expect(joinTypes(T.char, T.str)).toEqual(T.str);
    const optional = joinTypes(T.str, T.none) as KType;
    expect(optional).toEqual({ kind: 'union', members: [T.str, T.none] });
    expect(isNicheOptional(optional)).toBe(true);
    expect(cType(optional)).toBe('kr_str *');
    expect(joinTypes(T.char, T.none)).toEqual({ kind: 'union', members: [T.str, T.none] });
    expect(joinTypes(T.str, T.int)).toMatch(/str and int on different paths cannot be held natively: a str, bytes, dict or set may share a variable with None only/);
    expect(joinTypes(T.tuple([T.str, T.int]), T.tuple([T.str, T.float]))).toMatch(/cannot be held natively: a str, bytes, dict or set may share a variable with None only, not with another type; a tuple holding a str with neither/);
    // A dict or set that may be None is the container's pointer, NULL for None, as str | None.
    const od = joinTypes(T.dict(T.str, T.int), T.none) as KType;
    expect(isNicheOptional(od)).toBe(true);
    expect(cType(od)).toBe('kr_dict *');
  });
});

describe('splitting variables where their definitions do not meet', () => {
  it('finds one web per part of a variable no read sees together', async () => {
    const ir = await traced(`
def f(k: int) -> float:
    n = k
    total = 0.0
    for i in range(n):
        total += i * 0.5
    n = total / 3
    return n
`, 'f');
    const { webs } = variableWebs(ir);
    expect(webs.get('n')!.length).toBe(2);
    expect(webs.get('total')!.length).toBe(1); // the loop's += meets the first assignment at the loop head
  });

  it('follows a break or continue inside an if to the loop it leaves', async () => {
    const ir = await traced(`
def f(xs: list[int]):
    found = None
    for i in range(len(xs)):
        if xs[i] < 0:
            found = i
            break
    return found
`, 'f');
    expect(variableWebs(ir).webs.get('found')!.length).toBe(1); // the None and the index meet at the return
    const g = await traced(`
def g(n: int):
    last = None
    k = 0
    while k < n:
        k += 1
        if k % 3 == 0:
            last = k * 0.5
            continue
        k += 0
    return last
`, 'g');
    expect(variableWebs(g).webs.get('last')!.length).toBe(1);
  });

  it('gives each part its own precise type, and a union only where definitions of two types meet', async () => {
    const p = await typedProgram(PRELUDE + `
@compile
def split(k: int) -> float:
    n = k
    total = 0.0
    for i in range(n):
        total += i * 0.5
    n = total / 3
    return n


@compile
def meets(k: int):
    x = 0
    for i in range(k):
        x = x + 0.5
    return x
`);
    const split = fn(p, 'split');
    expect(split.varTypes.n).toEqual(T.int);
    expect(split.varTypes.n_2).toEqual(T.float);
    expect(split.ir.renamed).toEqual({ n_2: 'n' });
    const meets = fn(p, 'meets');
    expect(typeToString(meets.varTypes.x)).toBe('int | float');
    expect(typeToString(meets.returnType)).toBe('int | float');
    for (const f of p.functions) expect(lintIR(f.ir, { typed: true })).toEqual([]);
  });

  it('merges parts that got one type back under the Python name (the C of such code does not change)', async () => {
    const p = await typedProgram(PRELUDE + `
@compile
def same(k: int) -> int:
    x = k * 2
    y = x + 1
    x = y * 3
    return x
`);
    const f = fn(p, 'same');
    expect(Object.keys(f.varTypes).sort()).toEqual(['k', 'x', 'y']);
    expect(f.ir.renamed).toBeUndefined();
    expect(f.ir.locals).not.toContain('x_2');
  });

  it('an unbound read of a split variable raises with the Python name', async () => {
    // n's int part is read at once; its float part (renamed n_2) is read where it may be unbound.
    const p = await typedProgram(PRELUDE + `
@compile
def maybe(d: bool) -> float:
    if d:
        n = 1
        t = n + 1
        n = t / 4
    return n
`);
    const f = fn(p, 'maybe');
    expect(f.varTypes.n).toEqual(T.int);
    expect(f.varTypes.n_2).toEqual(T.float);
    const c = lowerToC(p, []).source;
    expect(c).toContain('if (KILN_UNLIKELY(!n_2_bound)) return kr_raise_unbound("n")');
    expect(c).not.toContain('kr_raise_unbound("n_2")');
  });
});

describe('narrowing', () => {
  it('after `if best is None: return`, best + 1 is a plain int64 add of the narrowed value (no tag test)', async () => {
    const p = await typedProgram(PRELUDE + `
@compile
def best_plus_one(n: int) -> int:
    best = None
    for i in range(n):
        v = (i * 37) % 11
        if best is None or v < best:
            best = v
    if best is None:
        return -1
    return best + 1
`);
    const f = fn(p, 'best_plus_one');
    expect(typeToString(f.varTypes.best)).toBe('int | None');
    const all = nodes(f);
    const add = all.find((n) => n.target === '_operator.add')!;
    expect(add.argTypes).toEqual([T.int, T.int]);
    const narrow = all.find((n) => n.name === (add.args[0] as { ref: string }).ref)!;
    expect(narrow.target).toBe('kiln.narrow');
    // In `v < best` (the right side of `or`), best is known not to be None.
    const lt = all.find((n) => n.target === '_operator.lt')!;
    expect(lt.argTypes).toEqual([T.int, T.int]);
    const c = lowerToC(p, []).source;
    const body = c.slice(c.indexOf('static int kf_best_plus_one('), c.indexOf('KILN_EXPORT'));
    expect(body).toMatch(/best_narrow\w* = \(best\)\.v\.i;/);
    expect(body).toMatch(/kr_add_i64\(best_narrow\w*, INT64_C\(1\)/);
  });

  it('isinstance, type(x) is, `x is not None and ...`, truth and assert narrow in the branches they guard', async () => {
    const p = await typedProgram(PRELUDE + `
@compile
def tests(x: int, f: bool):
    v = x / 2 if f else x
    a = 0
    if isinstance(v, int):
        a = v << 1
    if type(v) is float:
        a = a + int(v)
    return a


@compile
def and_chain(x: int | None, y: int) -> int:
    if x is not None and x > y:
        return x - y
    return 0


@compile
def asserted(x: int | None) -> int:
    assert x is not None
    return x * 2
`);
    const shift = nodes(fn(p, 'tests')).find((n) => n.target === '_operator.lshift')!;
    expect(shift.argTypes).toEqual([T.int, T.int]);
    const toInt = nodes(fn(p, 'tests')).find((n) => n.target === 'builtins.int')!;
    expect(toInt.argTypes).toEqual([T.float]);
    const and = nodes(fn(p, 'and_chain'));
    expect(and.find((n) => n.target === '_operator.gt')!.argTypes).toEqual([T.int, T.int]);
    expect(and.find((n) => n.target === '_operator.sub')!.argTypes).toEqual([T.int, T.int]); // in the body: the whole `and` narrowed x
    expect(nodes(fn(p, 'asserted')).find((n) => n.target === '_operator.mul')!.argTypes).toEqual([T.int, T.int]);
  });

  it('a variable the loop assigns is not narrowed at the loop head', async () => {
    const p = await typedProgram(PRELUDE + `
@compile
def loop(n: int):
    x = None
    total = 0
    for i in range(n):
        if x is not None:
            total += x
        x = i
    return total
`);
    const add = nodes(fn(p, 'loop')).find((n) => n.target === '_operator.add')!;
    expect(add.argTypes).toEqual([T.int, T.int]); // narrowed by the test, not by the entry's `x = None`
  });
});

describe('dispatch over union members', () => {
  it('an op on a union tests the tag and runs each member\'s own lowering; the result collapses where the members agree', async () => {
    const p = await typedProgram(PRELUDE + `
@compile
def f(x: int, flag: bool):
    v = x if flag else x * 0.5
    return float(v) + 1.0, v * 2
`);
    const f = fn(p, 'f');
    const all = nodes(f);
    expect(all.find((n) => n.target === 'builtins.float')!.type).toEqual(T.float);
    expect(typeToString(all.find((n) => n.target === '_operator.mul' && typeToString(n.type!) !== 'float')!.type!)).toBe('int | float');
    const c = lowerToC(p, []).source;
    expect(c).toMatch(/if \(\(v\)\.tag == KILN_TAG_INT\) \{/);
    expect(c).toContain('kr_mul_i64((v).v.i, INT64_C(2)');
  });

  it('a member combination CPython refuses raises its TypeError where it runs; a None operand alone warns', async () => {
    const p = await typedProgram(PRELUDE + `
@compile
def f(x: int | None) -> int:
    return x + 1


@compile
def g(n: int) -> int:
    y = None
    if n > 3:
        return y + n
    return n
`);
    const c = lowerToC(p, []).source;
    expect(c).toContain(`kr_raise(KILN_TypeError, "unsupported operand type(s) for +: 'NoneType' and 'int'")`);
    expect(p.warnings.map((w) => w.message)).toContainEqual(expect.stringMatching(/always raises TypeError: unsupported operand type\(s\) for \+: 'NoneType' and 'int'/));
  });

  it('int ** int stays an int where the exponent cannot be negative, and is int | float where it can', async () => {
    const p = await typedProgram(PRELUDE + `
@compile
def powers(x: int, n: int):
    a = 0
    for k in range(n):
        a += x ** k + x ** (k % 3) + x ** len([1, 2])
    return a, x ** n
`);
    const f = fn(p, 'powers');
    expect(f.varTypes.a).toEqual(T.int);
    expect(typeToString(f.returnType)).toBe('tuple[int, int | float]');
  });
});
