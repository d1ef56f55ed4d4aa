/**
 * Calls of compiled functions: binding at compile time (types/binding.ts) gives CPython's binding and CPython's
 * TypeError messages word for word, compared here with CPython itself; a wrong call in compiled code is a
 * compile-time diagnostic with that message; closures, defaults and module state are refused where Python's
 * behaviour cannot be kept, each with its place and reason.
 */
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execaSync } from 'execa';
import { bindArguments, type CallableSig } from '../../src-compiler/types/binding.ts';
import { compileModule } from '../../src-compiler/pipeline.ts';
import { parseCallArgs } from '../../src-compiler/run/call.ts';
import type { ExportedFunction } from '../../src-compiler/lower/abi.ts';
import type { PyLiteral } from '../../src-compiler/frontend/ast.ts';
import type { KilnError } from '../../src-compiler/diagnostics.ts';

/** Signatures (Python parameter lists) and the calls tried on each: [positional count, keyword names]. */
const SIGNATURES = [
  'a, b',
  'a, b=2',
  'a=1, b=2',
  'a, /, b, c=3',
  'a, *, b, c=3',
  'a, b=2, *, c',
  '*args',
  'a, *args, b=1',
  'a, **kw',
  'a, /, **kw',
  'a, b=2, *args, c, d=4, **kw',
  '',
  'a',
];
const CALLS: [number, string[]][] = [
  [0, []], [1, []], [2, []], [3, []], [4, []], [1, ['b']], [2, ['b']], [0, ['a', 'b']], [1, ['c']], [2, ['c']], [3, ['c']],
  [1, ['d']], [0, ['b']], [2, ['c', 'd']], [1, ['a']], [5, ['c', 'e']], [0, ['a']], [3, ['b', 'c']],
];

function sigOf(text: string): CallableSig {
  const params: CallableSig['params'] = [];
  let vararg: string | undefined, kwarg: string | undefined;
  let kind: 'posonly' | 'normal' | 'kwonly' = 'normal';
  const parts = text.split(',').map((p) => p.trim()).filter(Boolean);
  const slash = parts.indexOf('/');
  parts.forEach((p, i) => {
    if (p === '/') return;
    if (p === '*') { kind = 'kwonly'; return; }
    if (p.startsWith('**')) { kwarg = p.slice(2); return; }
    if (p.startsWith('*')) { vararg = p.slice(1); kind = 'kwonly'; return; }
    const name = p.split('=')[0];
    params.push({ name, kind: slash >= 0 && i < slash ? 'posonly' : kind, hasDefault: p.includes('=') });
  });
  return { qualname: 'f', params, vararg, kwarg };
}

describe('binding a call at compile time', () => {
  it("binds every call shape as CPython does, with CPython's TypeError message when it refuses", () => {
    // CPython: each parameter's value names where it came from (p0 = positional 0, k:b = keyword b, or its default).
    const script = [
      'import json, sys',
      'out = []',
      `for sig in ${JSON.stringify(SIGNATURES)}:`,
      '    params = [p.strip() for p in sig.split(",") if p.strip()]',
      '    defaulted = ", ".join(p.split("=")[0] + "=\\"default\\"" if "=" in p else p for p in params)',
      '    ns = {}',
      '    exec(f"def f({defaulted}):\\n    return dict(locals())", ns)',
      `    for npos, kws in ${JSON.stringify(CALLS)}:`,
      '        try:',
      '            r = ns["f"](*[f"p{i}" for i in range(npos)], **{k: f"k:{k}" for k in kws})',
      '            out.append({k: (list(v) if isinstance(v, tuple) else v) for k, v in r.items()})',
      '        except TypeError as e:',
      '            out.append(str(e))',
      'print(json.dumps(out))',
    ].join('\n');
    const cpython = JSON.parse(execaSync('python3', ['-c', script]).stdout) as (string | Record<string, unknown>)[];
    let k = 0;
    for (const text of SIGNATURES) {
      const sig = sigOf(text);
      for (const [npos, kws] of CALLS) {
        const want = cpython[k++];
        const got = bindArguments(sig, npos, kws);
        const label = `f(${text}) called with ${npos} positional and ${JSON.stringify(kws)}`;
        if (typeof want === 'string') {
          expect(got, label).toBe(want);
          continue;
        }
        expect(typeof got, `${label}: ${got}`).toBe('object');
        const b = got as Exclude<typeof got, string>;
        const mine: Record<string, unknown> = {};
        sig.params.forEach((p, i) => {
          const s = b.slots[i];
          mine[p.name] = 'positional' in s ? `p${s.positional}` : 'keyword' in s ? `k:${kws[s.keyword]}` : 'default';
        });
        if (sig.vararg !== undefined) mine[sig.vararg] = b.varargs.map((i) => `p${i}`);
        if (sig.kwarg !== undefined) mine[sig.kwarg] = Object.fromEntries(b.kwargs.map((x) => [x.name, `k:${x.name}`]));
        expect(mine, label).toEqual(want);
      }
    }
    expect(k).toBe(SIGNATURES.length * CALLS.length);
  });
});

async function compileSource(source: string) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-calls-'));
  const file = path.join(dir, 'calls_mod.py');
  fs.writeFileSync(file, `from kiln import compile\nimport math\n\n\n${source}`);
  const compiled = await compileModule(file);
  return Object.fromEntries(compiled.functions.map((f) => [f.name, f]));
}

describe('wrong calls in compiled code', () => {
  it("are compile-time errors with CPython's exact message, at the call", async () => {
    const fns = await compileSource(`
def f(a, b, c=1, *, d=2):
    return a + b + c + d


def g(a, /, b):
    return a - b


@compile
def unexpected(x: int) -> int:
    return f(x, 1, e=3)


@compile
def missing(x: int) -> int:
    return f(x)


@compile
def too_many(x: int) -> int:
    return f(x, 1, 2, 3)


@compile
def too_many_with_kwonly(x: int) -> int:
    return f(x, 1, 2, 3, d=4)


@compile
def multiple(x: int) -> int:
    return f(x, 1, b=2)


@compile
def posonly_by_name(x: int) -> int:
    return g(a=x, b=1)


@compile
def lambda_call(x: int) -> int:
    h = lambda u, v: u * v
    return h(x)


@compile
def nested_call(x: int) -> int:
    def inner(u, *, scale):
        return u * scale
    return inner(x)


@compile
def fine(x: int) -> int:
    return f(x, 1) + f(b=2, a=x, d=0) + g(x, b=1)
`);
    const message = (name: string) => fns[name].error?.message;
    expect(message('unexpected')).toBe("TypeError: f() got an unexpected keyword argument 'e'");
    expect(message('missing')).toBe("TypeError: f() missing 1 required positional argument: 'b'");
    expect(message('too_many')).toBe('TypeError: f() takes from 2 to 3 positional arguments but 4 were given');
    expect(message('too_many_with_kwonly')).toBe('TypeError: f() takes from 2 to 3 positional arguments but 4 positional arguments (and 1 keyword-only argument) were given');
    expect(message('multiple')).toBe("TypeError: f() got multiple values for argument 'b'");
    expect(message('posonly_by_name')).toBe("TypeError: g() got some positional-only arguments passed as keyword arguments: 'a'");
    expect(message('lambda_call')).toBe("TypeError: lambda_call.<locals>.<lambda>() missing 1 required positional argument: 'v'");
    expect(message('nested_call')).toBe("TypeError: nested_call.<locals>.inner() missing 1 required keyword-only argument: 'scale'");
    expect(fns.unexpected.error!.line).toBe(16);
    expect(fns.fine.error).toBeUndefined();
  });
});

describe('what compiled code refuses, each where it is written', () => {
  it('a closure that reads a variable before it is assigned', async () => {
    const fns = await compileSource(`
@compile
def late(x: int) -> int:
    f = lambda: y + x
    y = 2
    return f()
`);
    expect(fns.late.error?.message).toBe("this lambda captures 'y' before 'y' is assigned on every path to here (Python raises NameError if it runs first)");
    expect(fns.late.error?.line).toBe(8);
  });

  it('a list default (Python shares one list between calls)', async () => {
    const fns = await compileSource(`
def push(x, acc=[]):
    acc.append(x)
    return len(acc)


@compile
def shared(x: int) -> int:
    return push(x) + push(x)


@compile
def exported(x: int, acc: list[int] = []) -> int:
    return x
`);
    expect(fns.shared.error?.construct).toBe('mutable default');
    expect(fns.shared.error?.line).toBe(6);
    expect(fns.exported.error?.message).toMatch(/^the default of 'acc' is a mutable default/);
  });

  it('writes to module-level lists and dicts, directly, through an alias, an item or a helper', async () => {
    const fns = await compileSource(`
TABLE = [1, 2, 3]


def grow(xs):
    xs.append(0)


@compile
def direct(x: int) -> int:
    TABLE.append(x)
    return len(TABLE)


@compile
def through_helper(x: int) -> int:
    t = TABLE
    grow(t)
    return x


@compile
def reads(i: int) -> int:
    return TABLE[i % 3] + sum(TABLE)


GRAPH = {"a": [1, 2], "b": [3]}


@compile
def dict_store(x: int) -> int:
    GRAPH["c"] = [x]
    return len(GRAPH)


@compile
def dict_item(x: int) -> int:
    for k, v in GRAPH.items():
        v.append(x)
    return x


@compile
def dict_reads(x: int) -> int:
    total = x
    for k, v in GRAPH.items():
        total += len(v) + len(GRAPH[k])
    deep = {k: list(v) for k, v in GRAPH.items()}
    deep["a"].append(x)
    return total + len(deep["a"])
`);
    expect(fns.direct.error?.construct).toBe('module state');
    expect(fns.direct.error?.line).toBe(15);
    expect(fns.through_helper.error?.line).toBe(22);
    expect(fns.reads.error).toBeUndefined();
    // A module-level dict, and the lists it holds (a shallow copy's too), are module state as well.
    expect(fns.dict_store.error?.line).toBe(36);
    expect(fns.dict_item.error?.line).toBe(43);
    expect(fns.dict_reads.error).toBeUndefined();
  });

  it('changes of a module-level class instance or list: a field, what it holds, through a method, a helper, an alias, a container that holds it', async () => {
    // Built where it is read, a module-level instance would lose every change (REG.count = x, then REG.count read 0).
    const fns = await compileSource(`
class Reg:
    def __init__(self) -> None:
        self.items = [1, 2]
        self.count = 0

    def add(self, n: int) -> None:
        self.items.append(n)

    def bump(self, n: int) -> None:
        self.count += n

    def later(self, n: int) -> None:
        self.bump(n)

    def total(self) -> int:
        return sum(self.items) + self.count

    def get_items(self) -> list[int]:
        return self.items


def setc(r: Reg, n: int) -> None:
    r.count = n


def reads(r: Reg) -> int:
    return r.count + len(r.items)


def same(a: Reg, b: Reg) -> bool:
    return a is b


REG = Reg()
OBJS = [Reg(), Reg()]
NAMES = ["a", "b"]


@compile
def field(x: int) -> int:
    REG.count = x
    return REG.count


@compile
def augmented(x: int) -> int:
    REG.count += x
    return REG.count


@compile
def held(x: int) -> int:
    REG.items.append(x)
    return len(REG.items)


@compile
def method(x: int) -> int:
    REG.later(x)
    return REG.total()


@compile
def helper(x: int) -> int:
    r = REG
    setc(r, x)
    return x


@compile
def returned(x: int) -> int:
    xs = REG.get_items()
    xs[0] = x
    return x


@compile
def in_list(x: int) -> int:
    OBJS[0].add(x)
    return x


@compile
def identical(x: int) -> int:
    return x if same(REG, OBJS[0]) else 0


@compile
def keyed(x: int) -> int:
    d = {REG: x}
    return d[REG]


@compile
def stored(x: int) -> int:
    rows = [NAMES]
    rows[0].append(str(x))
    return x


@compile
def in_field(x: int) -> int:
    r = Reg()
    r.items = OBJS[1].items
    r.items.append(x)
    return x


@compile
def read_only(x: int) -> int:
    mine = Reg()
    mine.bump(x)
    names = [NAMES]
    names.append(["c"])
    return REG.total() + reads(REG) + REG.items[0] + sum(o.count for o in OBJS) + mine.count + (OBJS[0].count == REG.count) + len(names[0])
`);
    for (const [name, line] of [['field', 46], ['augmented', 52], ['held', 58], ['method', 64], ['helper', 71], ['returned', 78], ['in_list', 84], ['identical', 90], ['keyed', 95], ['stored', 102], ['in_field', 110]] as const) {
      expect(fns[name].error?.construct, name).toBe('module state');
      expect(fns[name].error?.line, name).toBe(line);
    }
    expect(fns.field.error?.message).toMatch(/^this changes the module-level value 'REG' or what it holds/);
    // Built where it is read, it would not be the same object twice: `REG is REG` would be False.
    expect(fns.identical.error?.message).toMatch(/^this compares a module-level class instance by identity/);
    expect(fns.keyed.error?.message).toMatch(/^this compares the module-level instance 'REG'/);
    expect(fns.read_only.error).toBeUndefined();
  });

  it("writes into np.broadcast_to's read-only view, directly, through a view of it or a helper", async () => {
    const fns = await compileSource(`
import numpy as np
import numpy.typing as npt


def fill(y: npt.NDArray[np.float64]) -> None:
    y[0] = 1.0


@compile
def direct(x: npt.NDArray[np.float64]) -> float:
    b = np.broadcast_to(x, (2, 3))
    b[0, 0] = 1.0
    return 0.0


@compile
def through_helper(x: npt.NDArray[np.float64]) -> float:
    fill(np.broadcast_to(x, (2, 3))[1])
    return 0.0


@compile
def reads(x: npt.NDArray[np.float64]) -> float:
    b = np.broadcast_to(x, (2, 3)).copy()
    b[0, 0] = 1.0
    x[0] = 2.0
    return float(b.sum() + np.broadcast_to(x, (2, 3))[1, 0])
`);
    expect(fns.direct.error?.construct).toBe('write into a read-only view');
    expect(fns.direct.error?.line).toBe(17);
    expect(fns.through_helper.error?.line).toBe(23);
    expect(fns.reads.error).toBeUndefined();
  });

  it('a dict-of-arrays parameter takes writes into its arrays; a change of the dict (directly, through a helper) is refused there', async () => {
    const fns = await compileSource(`
import numpy as np
import numpy.typing as npt


def bump(q: dict[str, npt.NDArray[np.float64]]) -> None:
    q["w"] += 1.0


def rebind(q: dict[str, npt.NDArray[np.float64]]) -> None:
    q["w"] = q["w"] + 1.0


@compile(ndim={"p": 2})
def through_helper(p: dict[str, npt.NDArray[np.float64]]) -> float:
    rebind(p)
    return 0.0


@compile(ndim={"p": 2})
def in_place(p: dict[str, npt.NDArray[np.float64]]) -> float:
    bump(p)
    p["w"][0] = 2.0
    p["b"] -= p["w"]
    return 0.0


@compile(ndim={"p": 2})
def adds_key(p: dict[str, npt.NDArray[np.float64]]) -> int:
    p["new"] = np.zeros((1, 1))
    return len(p)


@compile(ndim={"p": 2})
def copies_first(p: dict[str, npt.NDArray[np.float64]]) -> float:
    w = {k: v.copy() for k, v in p.items()}
    w["w"] += 1.0
    return float(np.sum(w["w"])) + len(p)
`);
    expect(fns.through_helper.error?.construct).toBe('change of a dict-of-arrays parameter');
    expect(fns.through_helper.error?.line).toBe(20);
    expect(fns.in_place.error).toBeUndefined();
    expect(fns.adds_key.error?.line).toBe(34);
    expect(fns.adds_key.error?.hint).toContain('p["w"] -= g');
    expect(fns.copies_first.error).toBeUndefined();
  });

  it('a dict of constant keys whose values differ in type (a record) is read by name; a write, a loop, a key not known at compile time or one it lacks, a bad ndim= layout, a write into a laid-out parameter are refused there', async () => {
    const fns = await compileSource(`
import numpy as np
import numpy.typing as npt


@compile
def writes(n: int) -> float:
    p = {"w": np.ones((n, 2)), "b": np.ones(2)}
    p["b"] = np.zeros(2)
    return 0.0


@compile
def loops(n: int) -> int:
    p = {"w": np.ones((n, 2)), "b": np.ones(2)}
    return sum(len(k) for k in p)


@compile
def dynamic_key(n: int, k: str) -> float:
    p = {"w": np.ones((n, 2)), "b": np.ones(2)}
    return float(np.sum(p[k]))


@compile
def missing_key(n: int) -> float:
    p = {"w": np.ones((n, 2)), "b": np.ones(2)}
    return float(np.sum(p["c"]))


@compile(ndim={"p": {"w": 2, "b": "1"}})
def bad_layout(p: dict[str, npt.NDArray[np.float64]]) -> float:
    return float(np.sum(p["b"]))


@compile(ndim={"blocks": [{"w": 2, "b": 1}]})
def writes_layout(blocks: list[dict[str, npt.NDArray[np.float64]]]) -> float:
    blocks[0]["b"][0] = 1.0
    blocks[0]["w"] *= 2.0
    blocks.pop()
    return 0.0


@compile
def reads(n: int) -> float:
    p = {"w": np.ones((n, 2)), "b": np.ones(2), "k": n}
    return float(np.sum(p["w"] @ p["b"])) + p["k"] + len(p) + ("b" in p) + (p.get("zz") is None)


def scale(x, g, b):
    return g * x + b


@compile
def splats_dict(n: int) -> float:
    ln = {"g": np.ones(n), "b": np.zeros(n)}
    return float(np.sum(scale(np.ones(n), **ln)))


def scale_kw(x, **kw):
    return x * len(kw)


@compile
def splats_dict_kwargs(n: int) -> float:
    ln = {"g": np.ones(n), "b": np.zeros(n)}
    return float(np.sum(scale_kw(np.ones(n), **ln)))


@compile(ndim={"p": {"ids": 1, "w": 2}})
def mixed_layout(p: dict[str, npt.NDArray[np.int64] | npt.NDArray[np.float64]]) -> float:
    return float(np.sum(p["w"][p["ids"]]))
`);
    expect(fns.writes.error?.line).toBe(13);
    expect(fns.writes.error?.message).toContain('d[k] = v of a dict whose values differ in type per key');
    expect(fns.loops.error?.line).toBe(20);
    expect(fns.dynamic_key.error?.line).toBe(26);
    expect(fns.dynamic_key.error?.message).toContain('a key not known at compile time');
    expect(fns.missing_key.error?.message).toContain("KeyError: 'c'");
    expect(fns.bad_layout.error?.line).toBe(36);
    expect(fns.bad_layout.error?.hint).toContain('@compile(ndim={"p": {"w": 2, "b": 1}})');
    expect(fns.writes_layout.error?.construct).toBe('change of a dict-of-arrays parameter');
    expect(fns.writes_layout.error?.line).toBe(44);
    expect(fns.reads.error).toBeUndefined();
    // ** of a dict whose values share a type (a kr_dict, keys known at run time): bound by key at run time
    // (tests/corpus/numpy_gpt_dicts.py dict_star_binding), but refused into **kwargs (a struct of names known when
    // compiling), and not as a TypeError of Python's.
    expect(fns.splats_dict.error).toBeUndefined();
    expect(fns.splats_dict_kwargs.error?.message).toContain('its keys are known only at run time');
    expect(fns.splats_dict_kwargs.error?.hint).toContain('g=d["g"]');
    // A layout of arrays of several dtypes (int64 token ids beside float64 weights): one C struct per dtype crosses.
    expect(fns.mixed_layout.error?.line).toBe(75);
    expect(fns.mixed_layout.error?.message).toContain('arrays of several dtypes (int64, float64)');
  });

  it('a loop that changes the length of the list it iterates (traced again) or of a deque, assignments to globals, and the loops over dicts and sets not traced again', async () => {
    const fns = await compileSource(`
from collections import deque

COUNT = 0


@compile
def grows(xs: list[int]) -> int:
    for x in xs:
        if x > 0:
            xs.append(-x)
    return len(xs)


def grow(ys: list[int], x: int) -> None:
    ys.append(x)


class Bag:
    def __init__(self, items: list[int]) -> None:
        self.items = items

    def add(self, x: int) -> None:
        self.items.append(x)


@compile
def deletes(xs: list[int]) -> int:
    for x in xs:
        del xs[0]
    return len(xs)


@compile
def grows_in_helper(xs: list[int]) -> int:
    for x in xs:
        grow(xs, x)
    return len(xs)


@compile
def grows_alias(xs: list[int]) -> int:
    ys = xs
    for x in xs:
        ys.append(x)
    return len(xs)


@compile
def grows_field(n: int) -> int:
    b = Bag([1, n])
    for x in b.items:
        b.add(x)
    return len(b.items)


@compile
def grows_held(n: int) -> int:
    d = {"a": [1, n]}
    return sum([d["a"].pop() for x in d["a"]])


@compile
def bumps(x: int) -> int:
    global COUNT
    COUNT = x
    return x


def total(xs) -> int:
    return sum(xs)


@compile
def set_and_list(n: int) -> int:
    g: dict[int, set[int]] = {0: {n}}
    return total(g[0]) + total([n])


@compile
def numbered(n: int) -> int:
    g: dict[int, set[int]] = {0: {n}}
    t = sum(g[0])
    for i, v in enumerate(g[0]):
        t += i * v
    return t


@compile
def shrinks(xs: list[int]) -> int:
    for x in xs:
        xs[:1] = []
    return len(xs)


def grow_deque(d: deque[int], x: int) -> None:
    d.append(x)


@compile
def grows_deque(xs: list[int]) -> int:
    d = deque(xs)
    for x in d:
        grow_deque(d, x)
    return len(d)
`);
    // Directly, through del, a helper, an alias, a method changing a field, a dict holding the list (a comprehension),
    // a slice assignment: each loop is traced again reading the length at every step, as CPython's list iterator
    // (what each computes: tests/corpus/loops_changing_lists.py).
    for (const fn of ['grows', 'deletes', 'grows_in_helper', 'grows_alias', 'grows_field', 'grows_held', 'shrinks']) expect(fns[fn].errors, fn).toBeUndefined();
    // A deque's iterator raises RuntimeError instead: refused at the change (here in a helper's call).
    expect(fns.grows_deque.error).toMatchObject({ construct: 'deque changed while iterated', line: 108, message: expect.stringContaining("this may change 'd', which the loop at line 107 iterates") });
    expect(fns.grows_deque.error?.message).toContain('RuntimeError: deque mutated during iteration');
    expect(fns.bumps.error?.construct).toBe('global assignment');
    expect(fns.bumps.error?.line).toBe(70);
    // sum(xs) of a set in one call and of a list in another: one trace per function, read as a set (ir/traces.ts).
    expect(fns.set_and_list.error).toMatchObject({ line: 75, message: expect.stringContaining('iterating a list[int] where the code reads a dict or set') });
    // A set inside enumerate() is not traced again; sum() of it is (the error is the loop's alone).
    expect(fns.numbered.errors).toHaveLength(1);
    expect(fns.numbered.error).toMatchObject({ line: 88, message: expect.stringContaining('a set[int] iterated inside zip(), enumerate()') });
  });
});

describe('kiln run arguments', () => {
  // Two exported signatures as the frontend reads them, and command lines tried on each.
  const float = { kind: 'scalar', name: 'float' } as const;
  const int = { kind: 'scalar', name: 'int' } as const;
  const FNS: Record<string, { py: string; fn: ExportedFunction }> = {
    mean: {
      py: 'def mean(x: float, y: float = 1.0, *, w: float = 0.5):\n    return (x, y, w)',
      fn: {
        name: 'mean', symbol: 'mean', line: 1, signature: '', returnType: float,
        params: [{ name: 'x', type: float }, { name: 'y', type: float, default: { _t: 'float', repr: '1.0' } as PyLiteral }, { name: 'w', type: float, kind: 'kwonly', default: { _t: 'float', repr: '0.5' } as PyLiteral }],
      },
    },
    bounded: {
      py: 'def bounded(x: int, /, lo: int = -10):\n    return (x, lo)',
      fn: { name: 'bounded', symbol: 'bounded', line: 1, signature: '', returnType: int, params: [{ name: 'x', type: int, kind: 'posonly' }, { name: 'lo', type: int, default: { _t: 'int', dec: '-10' } as PyLiteral }] },
    },
  };
  const LINES: [string, string[]][] = [
    ['mean', ['3']], ['mean', ['3', 'w=0.25']], ['mean', ['3', '2', 'w=2']], ['mean', ['y=2', 'x=3']], ['mean', ['3', '2', '1']], ['mean', ['3', 'd=1']], ['mean', []],
    ['mean', ['3', 'x=1']], ['bounded', ['4']], ['bounded', ['x=4']], ['bounded', ['4', 'lo=2']], ['bounded', ['4', '5', '6']],
  ];

  it("binds positional and name=value arguments as CPython binds the call, with its defaults and TypeError messages", () => {
    const script = [
      ...Object.values(FNS).map((f) => f.py),
      'import json, sys',
      'for name, args in json.loads(sys.stdin.read()):',
      '    pos = [float(a) for a in args if "=" not in a]',
      '    kw = {a.split("=")[0]: float(a.split("=")[1]) for a in args if "=" in a}',
      '    try:',
      '        print(json.dumps([float(v) for v in globals()[name](*pos, **kw)]))',
      '    except TypeError as e:',
      '        print(json.dumps("TypeError: " + str(e)))',
    ].join('\n');
    const expected = execaSync('python3', ['-c', script], { input: JSON.stringify(LINES) }).stdout.trim().split('\n').map((l) => JSON.parse(l));
    LINES.forEach(([name, args], i) => {
      let got: unknown;
      try {
        got = parseCallArgs('f.py', FNS[name].fn, args).map((v) => Number((v as { value: number | bigint }).value));
      } catch (e) {
        got = (e as KilnError).diagnostics[0].message;
      }
      expect(got, `${name} ${args.join(' ')}`).toEqual(expected[i]);
    });
  });

  it('refuses a positional argument after a keyword one, as Python does', () => {
    expect(() => parseCallArgs('f.py', FNS.mean.fn, ['y=2', '3'])).toThrow(/positional argument "3" follows keyword arguments/);
  });
});
