/**
 * with statements (ir/trace.ts withStmt, withGenerator): what compiles is verified against CPython by
 * tests/corpus/exceptions_context.py; here, each form that would differ from CPython is refused at its place, with a
 * hint.
 */
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { compileModule } from '../../src-compiler/pipeline.ts';

const CLASSES = `from contextlib import contextmanager
from kiln import compile


class CompareType:
    def __enter__(self) -> int:
        return 1

    def __exit__(self, exc_type, exc, tb) -> bool:
        return exc_type == 3


class StarArgs:
    def __enter__(self) -> int:
        return 1

    def __exit__(self, *exc_info) -> bool:
        return exc_info[0] is None


class Reraise:
    def __enter__(self) -> int:
        return 1

    def __exit__(self, exc_type, exc, tb) -> bool:
        if exc is not None:
            raise exc
        return False


@contextmanager
def twice():
    yield 1
    yield 2


@contextmanager
def maybe(flag: bool):
    if flag:
        yield 1


@contextmanager
def plain():
    yield 1


def guarded(n: int):
    for i in range(n):
        try:
            yield i
        except ValueError:
            pass
`;

/** [function, body, the message, the line (its start) the problem is reported at]. */
const CASES: [string, string, RegExp, string][] = [
  ['compare_type', 'with CompareType() as c:\n        return c', /__exit__'s argument 'exc_type' \(the exception's class\) is read here only as/, 'return exc_type == 3'],
  ['star_args', 'with StarArgs() as c:\n        return c', /__exit__ reading the exception through \*exc_info/, 'def __exit__(self, *exc_info)'],
  ['reraise', 'with Reraise() as c:\n        return c', /raise exc of __exit__'s exception/, 'raise exc'],
  ['two_yields', 'with twice() as c:\n        return c', /exactly one yield \(not yield from\); it has 2/, 'yield 2'],
  ['yield_in_if', 'with maybe(x > 0) as c:\n        x += c\n    return x', /not inside an if, a loop or an except clause/, 'yield 1'],
  ['return_out', 'with plain() as c:\n        return c', /'return' out of a with over the @contextmanager generator 'plain'/, 'return c'],
  ['break_out', 'for i in range(x):\n        with plain():\n            break\n    return x', /'break' out of a with/, 'break'],
  ['loop_errors', 'total = 0\n    for i in guarded(x):\n        total += 10 // i\n    return total', /a yield inside a try with except clauses .* of the generator 'guarded'/, 'yield i'],
];

describe('with statements that would differ from CPython are refused at their place', () => {
  it('each with its message, place and a hint', async () => {
    const source = CLASSES + CASES.map(([name, body]) => `\n\n@compile\ndef ${name}(x: int) -> int:\n    ${body}\n`).join('');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-with-'));
    const file = path.join(dir, 'with_mod.py');
    fs.writeFileSync(file, source);
    const result = await compileModule(file);
    const lines = source.split('\n');
    for (const [name, , message, at] of CASES) {
      const d = result.functions.find((f) => f.name === name)?.error;
      expect(d, name).toBeDefined();
      expect(d!.message, name).toMatch(message);
      expect(d!.hint, name).toBeTruthy();
      expect(lines[d!.line - 1].trim(), name).toContain(at);
    }
  });
});
