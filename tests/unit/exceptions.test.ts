/**
 * try/except, raise and match (ir/trace.ts, lower/c_exceptions.ts, opt/handlers.ts): which kinds each except clause
 * catches is CPython's class hierarchy (computed by CPython here), a try costs nothing on the path that does not
 * raise, the passes that move checks keep off functions that catch, and what is not compiled is refused at its place
 * with what to write instead. Behaviour end to end is the corpus (tests/corpus/exceptions_*.py, match_*.py).
 */
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { EXCEPTION_KINDS, NEVER_RAISED, kindsCaughtBy } from '../../src-compiler/lower/abi.ts';
import { caughtTest } from '../../src-compiler/lower/c_exceptions.ts';
import { compileModule } from '../../src-compiler/pipeline.ts';
import { planFunction, passesFromEnv } from '../../src-compiler/opt/index.ts';
import { fn, typedProgram } from './opt-helpers.ts';
import type { PyValue } from '../../src-compiler/run/values.ts';

const CLASSES = [...EXCEPTION_KINDS.map((k) => k.name), 'BaseException', ...NEVER_RAISED];

describe('except clauses catch by CPython\'s class hierarchy', () => {
  it('kindsCaughtBy(cls) is every kind k with issubclass(k, cls), as CPython says', () => {
    const kinds = EXCEPTION_KINDS.map((k) => [k.name, k.module ?? 'builtins']);
    const script = `
import builtins, importlib, json, sys
kinds, classes = json.loads(sys.argv[1]), json.loads(sys.argv[2])
def cls(name, module="builtins"):
    return getattr(importlib.import_module(module), name)
out = {c: [k for k, m in kinds if issubclass(cls(k, m), cls(c, dict(kinds).get(c, "builtins")))] for c in classes}
print(json.dumps(out))`;
    const want = JSON.parse(execFileSync('python3', ['-c', script, JSON.stringify(kinds), JSON.stringify(CLASSES)], { encoding: 'utf8' }));
    for (const c of CLASSES) expect(kindsCaughtBy(c).sort(), c).toEqual(want[c].sort());
  });

  it('a clause of every class, a bare except and a class never raised lower to the tests they need', () => {
    expect(caughtTest(['ZeroDivisionError'])).toBe('kr_err.kind == KILN_ZeroDivisionError');
    // Kiln's own int64 limit is never caught (CPython would give a bigger int there, not raise).
    expect(caughtTest(['ArithmeticError'])).toContain('!KR_AT_INT_LIMIT()');
    expect(caughtTest([])).toBe('!KR_AT_INT_LIMIT()');
    expect(caughtTest(['Exception'])).toBe('!KR_AT_INT_LIMIT()');
    expect(caughtTest(['OSError'])).toBe('0');
    expect(caughtTest(['ParseError', 'KeyError'], { ParseError: 'ValueError' })).toBe('kr_err.kind == KILN_KeyError || kr_exc_is("ParseError")');
  });
});

async function compiled(source: string) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-exc-'));
  const file = path.join(dir, 'exc_mod.py');
  fs.writeFileSync(file, `from kiln import compile\n\n${source}`);
  return { result: await compileModule(file), source: `from kiln import compile\n\n${source}` };
}

describe('a try that does not raise costs nothing', () => {
  it('no setjmp, no state per entry: the loop with a try is the loop without it, its error paths aimed at the handler', async () => {
    const body = (withTry: boolean) => `
@compile
def f${withTry ? '_try' : ''}(n: int) -> int:
    total = 0
    for i in range(n):
${withTry ? '        try:\n            total += 100 // (i % 7)\n        except ZeroDivisionError:\n            total -= 1' : '        total += 100 // (i % 7)'}
    return total
`;
    const { result } = await compiled(body(false) + body(true));
    const c = result.unit!.source;
    expect(c).not.toMatch(/setjmp/);
    const fnC = (name: string) => {
      const at = c.indexOf(`static int kf_${name}(int64_t n, int64_t *kiln_ret) {`);
      return c.slice(at, c.indexOf('\n}\n', at));
    };
    // The work of one iteration: the same runtime calls in the same order, and nothing else before the handler.
    const calls = (text: string) => [...text.matchAll(/\b(kr_\w+)\(/g)].map((m) => m[1]).filter((x) => x !== 'kr_frame');
    const plain = fnC('f');
    const tried = fnC('f_try');
    const tryBody = tried.slice(tried.indexOf('/* try'), tried.search(/kiln_try\d+_except:/));
    expect(calls(plain.slice(plain.indexOf('for ('))).slice(0, 3)).toEqual(['kr_mod_i64', 'kr_floordiv_i64', 'kr_add_i64']);
    expect(calls(tryBody)).toEqual(['kr_mod_i64', 'kr_floordiv_i64', 'kr_add_i64']);
    expect(tryBody).not.toMatch(/kr_err|kiln_fin|setjmp/);
    expect(fnC('f_try')).toMatch(/goto kiln_try\d+_except;/);
  });
});

describe('passes that move error checks keep off functions that catch (opt/handlers.ts)', () => {
  it('deferral plans a run in the function without try, none in the same function with one', async () => {
    const src = (withTry: boolean) => `
@compile
def g${withTry ? '_try' : ''}(x: float, y: float) -> float:
${withTry ? '    try:\n        a = x / y\n        b = a / (y - 1.0)\n        return a + b\n    except ZeroDivisionError:\n        return 0.0' : '    a = x / y\n    b = a / (y - 1.0)\n    return a + b'}
`;
    const program = await typedProgram(`from kiln import compile\n\n${src(false)}\n${src(true)}`);
    const on = passesFromEnv('');
    expect(Object.keys(planFunction(fn(program, 'g'), on).deferral.runs).length).toBeGreaterThan(0);
    expect(Object.keys(planFunction(fn(program, 'g_try'), on).deferral.runs)).toEqual([]);
  });
});

describe('what is not compiled is refused at its place', () => {
  const CASES: [string, string, RegExp][] = [
    ['with_stmt', '    with x as fh:\n        return 1', /a with statement compiles over instances of the program's classes that define __enter__ and __exit__; the manager is int here/],
    ['return_in_finally', '    try:\n        return 1\n    finally:\n        return 2', /'return' that leaves a finally clause/],
    ['args', '    try:\n        return 1 // x\n    except ZeroDivisionError as e:\n        a = e.args\n        return len(a)', /e\.args of a caught exception is read here only as/],
    ['bare_raise', '    raise', /bare `raise` outside an except clause/],
    ['class_pattern', '    match x:\n        case Point(x=0):\n            return 1\n    return 0', /class patterns/],
    ['except_expr', '    try:\n        return 1\n    except (lambda: ValueError)():\n        return 2', /only built-in exception classes/],
    ['method_class', '    raise Boom("x")', /methods in an exception class without an __init__ \(line \d+\) is outside the compiled subset/],
    ['no_super_class', '    raise Bare("x", x)', /an __init__ that does not call super\(\)\.__init__\(message\)/],
    ['with_open', '    with open("data.txt") as fh:\n        return 1', /a with statement over a file \(open\(\)\) is outside the compiled subset/],
    ['with_lock', '    with LOCK:\n        return 1', /a with statement over a threading\.Lock\(\) is outside the compiled subset/],
    ['with_suppress_as', '    with contextlib.suppress(ValueError) as s:\n        return 1', /`with suppress\(\.\.\.\) as name` is outside the compiled subset/],
    ['seq_on_int', '    match x:\n        case [a, b]:\n            return a\n    return 0', /a sequence pattern matches a list or a tuple/],
  ];
  it('each with a hint', async () => {
    const classDef = 'import contextlib\nimport threading\n\nLOCK = threading.Lock()\n\n\nclass Boom(ValueError):\n    def __str__(self) -> str:\n        return "boom"\n\n\n'
      + 'class Bare(ValueError):\n    def __init__(self, msg: str, line: int):\n        self.line = line\n\n\n';
    const { result, source } = await compiled(classDef + CASES.map(([name, body]) => `@compile\ndef ${name}(x: int) -> int:\n${body}\n`).join('\n\n'));
    for (const [name, body, message] of CASES) {
      const d = result.functions.find((f) => f.name === name)?.error;
      expect(d, name).toBeDefined();
      expect(d!.message, name).toMatch(message);
      if (name !== 'seq_on_int' && name !== 'with_stmt') expect(d!.hint, name).toBeTruthy(); // a type error of the subject: the message says it
      // Said once, though the with statement reaches the manager's type at __enter__ and at __exit__'s two calls.
      if (name === 'with_stmt') expect(result.functions.find((f) => f.name === name)?.errors?.length, name).toBe(1);
      const first = body.split('\n').find((l) => /raise|with|return 2|e\.args|case|except \(/.test(l))!.trim();
      expect(source.split('\n')[d!.line - 1], name).toContain(first.slice(0, 12));
    }
  });
});

describe('an exception class of the module crosses the boundary as itself', () => {
  it('the exported Python package raises a class of the package with the same name, bases, message, args and fields as CPython, the JS module an Error with that name, message and fields; a generator is a lazy iterator in both', async () => {
    const { exportModule } = await import('../../src-compiler/export/export.ts');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-exc-export-'));
    const file = path.join(dir, 'exc_export.py');
    fs.writeFileSync(file, `from typing import Generator, Iterator
from kiln import compile


class ParseError(ValueError):
    """Bad input."""


class EmptyInput(ParseError):
    pass


class Located(ParseError):
    def __init__(self, message: str, line: int):
        super().__init__(message)
        self.line = line
        self.text = message

    def __str__(self) -> str:
        return f"{self.text} at line {self.line}"


class Coded(ParseError):
    def __init__(self, message: str, code: int):
        super().__init__(message)
        self.code = code


@compile(examples=["", "x", "12", "?", "!"])
def parse(s: str) -> int:
    if not s:
        raise EmptyInput("nothing to parse")
    if s == "?":
        raise Located("unknown token", len(s) + 6)
    if s == "!":
        raise Coded("bang", 3)
    if not s.isdigit():
        raise ParseError(f"bad token {s!r}")
    return int(s)


@compile
def tokens(text: str) -> Iterator[str]:
    """A generator the caller iterates (the package's lazy iterator): a bad token raises after the tokens before it."""
    word = ""
    for c in text + " ":
        if c == "?":
            raise Located(f"unknown token after {word!r}", 2)
        if c != " ":
            word += c
        elif word:
            yield word
            word = ""


class Point:
    def __init__(self, x: int, y: int):
        self.x = x
        self.y = y


@compile
def points(n: int) -> Iterator[Point]:
    for i in range(n):
        yield Point(i, i * i)


@compile
def squares(n: int) -> Iterator[int]:
    for i in range(n):
        if i == 3:
            raise Located("three", i)
        yield i * i


@compile
def countdown(n: int) -> Iterator[int]:
    while n > 0:
        yield n
        n -= 1
    return "liftoff"


@compile
def tally(limit: int) -> Iterator[int]:
    total = 0
    while total < limit:
        got = yield total
        total += 1 if got is None else got


@compile
def running(limit: int) -> Generator[int, int, str]:
    """Sent ints cross (kiln_<frames>__send): one that is negative raises inside, the end returns a str."""
    total = 0
    while total < limit:
        got = yield total
        step = got or 1
        if step < 0:
            raise Located(f"negative {step}", limit)
        total += step
    return f"done {total}"


@compile
def joiner(limit: int) -> Generator[str, str, int]:
    """Sent strs cross (kiln_<frames>__send of a str, UTF-8 in); next() sends None, which \`is None\` narrows away."""
    text = ""
    while len(text) < limit:
        got = yield text
        if got is None:
            text += "."
            continue
        text += got
    return len(text)


@compile
def upto(n: int) -> Generator[int, None, int | None]:
    """Its return value may be None (the end of its body): an Optional getter carries it."""
    for i in range(n):
        if i == 5:
            return i * 10
        yield i
`);
    const out = path.join(dir, 'out');
    await exportModule(file, { targets: ['linux-x64', 'wasm32'], out, noVerify: true });
    // The same lines from the package and from the original module under CPython (the oracle).
    const script = (where: string) => `
import sys
sys.path.insert(0, ${JSON.stringify(path.resolve('resources/python'))})
sys.path.insert(0, ${JSON.stringify(where)})
import exc_export as m
for s in ["", "x", "12", "?", "!", "?"]:
    try:
        print(m.parse(s))
    except ValueError as e:
        fields = {k: v for k, v in vars(e).items() if not k.startswith("_")}
        print(type(e).__name__, [c.__name__ for c in type(e).__mro__[1:3]], str(e), e.args, fields, isinstance(e, m.ParseError))
# A generator across the boundary: items as next() asks, the exception raised inside after them, then the end.
it = m.tokens("ab  cd ? ef")
print(next(it), next(it, "end"))
try:
    print(next(it))
except ValueError as e:
    print(type(e).__name__, str(e), e.line)
print(next(it, "end"), list(m.tokens("x y z")), list(it), iter(it) is it, sorted(m.tokens("b a")))
# return v: the value of the StopIteration; send(), throw() and close() as CPython's generator methods.
c = m.countdown(2)
print(next(c), c.send(7))
try:
    next(c)
except StopIteration as e:
    print("stop", e.value, e.args, next(c, "end"))
t = m.tally(3)
try:
    t.send(5)
except TypeError as e:
    print(type(e).__name__, e)
print(t.send(None), next(t))
try:
    t.throw(KeyError("k"))
except KeyError as e:
    print("KeyError", e, next(t, "end"))
t = m.tally(3)
next(t)
t.close()
print(next(t, "end"))
try:
    m.tally(2).throw(ValueError)
except ValueError as e:
    print(repr(e))
# A value sent to x = yield v of Generator[int, int, str]: before the start, between items, at the end, raising inside.
r = m.running(10)
try:
    r.send(3)
except TypeError as e:
    print(type(e).__name__, e)
print(next(r), r.send(4), r.send(2), next(r))
try:
    r.send(5)
except StopIteration as e:
    print("stop", e.value, e.args, next(r, "end"))
r = m.running(10)
next(r)
try:
    r.send(-2)
except ValueError as e:
    print(type(e).__name__, e, e.line, next(r, "end"))
try:
    m.running(1).send(1.5)
except TypeError as e:
    print(type(e).__name__)
# A str sent to Generator[str, str, int]: non-ASCII too; a value of another type is a TypeError (CPython's from +=).
j = m.joiner(8)
print(repr(next(j)), repr(j.send("ab")), repr(next(j)), repr(j.send("é€😀")))
try:
    j.send("xyz")
except StopIteration as e:
    print("stop", e.value, next(j, "end"))
j = m.joiner(8)
next(j)
try:
    j.send(5)
except TypeError as e:
    print(type(e).__name__)
for n in (2, 7):
    g = m.upto(n)
    try:
        while True:
            next(g)
    except StopIteration as e:
        print(n, e.value, e.args)`;
    const run = (where: string) => execFileSync('python3', ['-c', script(where)], { encoding: 'utf8' }).trim().split('\n');
    const lines = run(path.join(out, 'python'));
    expect(lines).toEqual(run(dir));
    expect(lines).toContain("Located ['ParseError', 'ValueError'] unknown token at line 7 ('unknown token',) {'line': 7, 'text': 'unknown token'} True");
    expect(lines).toContain("Located unknown token after '' at line 2 2");
    expect(execFileSync('python3', ['-c', `import sys; sys.path.insert(0, ${JSON.stringify(path.join(out, 'python'))}); import exc_export as m; print(m.Located.__module__)`], { encoding: 'utf8' }).trim()).toBe('exc_export');
    // The JS module: the Error's name, message and fields (ints as BigInt), and iterators made lazily by the compiled
    // generators (items before the exception raised inside, a for...of break that releases the frames, $free()),
    // against the same lines CPython prints for the original module.
    const jsLines = execFileSync('node', ['--input-type=module', '-e', `
const m = await import(${JSON.stringify(path.join(out, 'js/kiln_exc_export.mjs'))});
const fields = (e) => JSON.stringify(Object.fromEntries(Object.entries(e).filter(([k]) => k !== 'name').sort().map(([k, v]) => [k, String(v)])));
for (const s of ['', 'x', '12', '?', '!']) {
  try { console.log(String(m.parse(s))); } catch (e) { console.log(e.name, e.message, fields(e), e instanceof Error); }
}
const it = m.tokens('ab  cd ? ef');
console.log(it.next().value, it.next().value);
try { it.next(); } catch (e) { console.log(e.name, e.message, typeof e.line, String(e.line)); }
console.log(it.next().done, [...m.tokens('x y z')].join(' '), it[Symbol.iterator]() === it);
const ps = m.points(5);
for (const p of ps) { console.log(String(p.x), String(p.y), p instanceof m.Point); if (p.x === 2n) break; }
console.log(ps.next().done);
try { for (const v of m.squares(10)) console.log(typeof v, String(v)); } catch (e) { console.log(e.name, e.message, fields(e)); }
const g = m.squares(2);
g.$free();
console.log(g.next().done);
const c = m.countdown(1);
for (const r of [c.next(), c.next(), c.next()]) console.log(String(r.value), r.done);
const t = m.tally(3);
console.log(String(t.next().value), String(t.next().value));
try { t.throw(new Error('k')); } catch (e) { console.log(e.name, e.message, t.next().done); }
const r = m.running(10n);
console.log(String(r.next(3n).value), String(r.next(4n).value), String(r.next(2n).value), String(r.next().value));
const end = r.next(5n);
console.log(end.value, end.done, r.next().done);
const n = m.running(10n);
n.next();
try { n.next(-2n); } catch (e) { console.log(e.name, e.message, String(e.line), n.next().done); }
const j = m.joiner(8n);
console.log(JSON.stringify([j.next().value, j.next('ab').value, j.next().value, j.next('é€😀').value]));
const jend = j.next('xyz');
console.log(String(jend.value), jend.done, j.next().done);
for (const k of [2n, 7n]) { const u = m.upto(k); let r; do r = u.next(); while (!r.done); console.log(String(r.value)); }`], { encoding: 'utf8' }).trim().split('\n');
    const pyLines = execFileSync('python3', ['-c', `
import json, sys
sys.path.insert(0, ${JSON.stringify(path.resolve('resources/python'))})
sys.path.insert(0, ${JSON.stringify(dir)})
import exc_export as m
def fields(e):
    return json.dumps({k: str(v) for k, v in sorted(vars(e).items()) if not k.startswith("_")}, separators=(",", ":"))
for s in ["", "x", "12", "?", "!"]:
    try:
        print(m.parse(s))
    except ValueError as e:
        print(type(e).__name__, str(e), fields(e), "true")
it = m.tokens("ab  cd ? ef")
print(next(it), next(it))
try:
    next(it)
except ValueError as e:
    print(type(e).__name__, str(e), "bigint", e.line)
print("true", " ".join(m.tokens("x y z")), "true")
ps = m.points(5)
for p in ps:
    print(p.x, p.y, "true")
    if p.x == 2:
        break
ps.close()
print(str(next(ps, None) is None).lower())
try:
    for v in m.squares(10):
        print("bigint", v)
except ValueError as e:
    print(type(e).__name__, str(e), fields(e))
g = m.squares(2)
g.close()
print(str(next(g, None) is None).lower())
c = m.countdown(1)
print(next(c), "false")
try:
    next(c)
except StopIteration as e:
    print(e.value, "true")
print("undefined true")
t = m.tally(3)
print(next(t), next(t))
try:
    t.throw(KeyError("k"))
except KeyError:
    print("Error k", str(next(t, None) is None).lower())
r = m.running(10)
print(next(r), r.send(4), r.send(2), next(r))
try:
    r.send(5)
except StopIteration as e:
    print(e.value, "true", str(next(r, None) is None).lower())
n = m.running(10)
next(n)
try:
    n.send(-2)
except ValueError as e:
    print(type(e).__name__, str(e), e.line, str(next(n, None) is None).lower())
j = m.joiner(8)
print(json.dumps([next(j), j.send("ab"), next(j), j.send("é€😀")], ensure_ascii=False, separators=(",", ":")))
try:
    j.send("xyz")
except StopIteration as e:
    print(e.value, "true", str(next(j, None) is None).lower())
for k in (2, 7):
    u = m.upto(k)
    try:
        while True:
            next(u)
    except StopIteration as e:
        print("undefined" if e.value is None else e.value)`], { encoding: 'utf8' }).trim().split('\n');
    expect(jsLines).toEqual(pyLines);
    expect(jsLines).toContain('Located three at line 3 {"line":"3","text":"three"}');
  }, 300_000);
});

describe('kiln verify compares the fields of an exception class with fields', () => {
  it("the harness writes the instance the error carried out, the reference vars(e), and a different field is a mismatch", async () => {
    const { buildUnit, runHarness } = await import('../../src-compiler/pipeline.ts');
    const { harnessLine, parseHarnessLine } = await import('../../src-compiler/run/call.ts');
    const { compareOutcome, runReference } = await import('../../src-compiler/run/verify.ts');
    const file = path.resolve(import.meta.dirname, '../corpus/exceptions_classes.py');
    const compiled = await compileModule(file);
    const harness = (await buildUnit(compiled.unit!, { harness: true })).harness!;
    const fn = compiled.unit!.exports.find((e) => e.name === 'check_lines_strict')!;
    const args: PyValue[] = [{ kind: 'str', value: 'a;;b' }];
    const [ref] = await runReference(file, 'check_lines_strict', [args], {});
    const nat = parseHarnessLine(fn, (await runHarness(harness, `${harnessLine(fn, args)}\n`)).stdout.split('\n')[0]);
    expect(!nat.ok && 'error' in nat && nat.error.fields).toMatchObject({ kind: 'object', cls: 'LineError' });
    expect('err' in ref && ref.err[2]).toBeTruthy();
    expect(compareOutcome(ref, nat)).toEqual({ status: 'match' });
    // The same error with another line number (as a compiled __init__ that stored the wrong value would give).
    const other = JSON.parse(JSON.stringify(ref).replace('"line",{"int":"2"}', '"line",{"int":"3"}'));
    expect(JSON.stringify(other)).not.toBe(JSON.stringify(ref));
    expect(compareOutcome(other, nat)).toMatchObject({ status: 'mismatch', note: expect.stringContaining('fields differ') });
  }, 120_000);
});
