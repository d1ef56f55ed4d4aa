/**
 * Which instances hash, and how (types/classes.ts hashRule, CPython's rule): the compile-time diagnostics of hash()
 * and of containers of instances. What hashes is verified against CPython by tests/corpus/classes_hashing.py.
 */
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { compileModule } from '../../src-compiler/pipeline.ts';

function moduleFile(source: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-hash-'));
  const file = path.join(dir, 'hash_mod.py');
  fs.writeFileSync(file, `from kiln import compile\n\n\n${source}`);
  return file;
}

describe('hashing instances', () => {
  it('__eq__ without __hash__ is unhashable, an inherited __hash__ counts, an identity hash is refused in hash()', async () => {
    const file = moduleFile(`class A:
    def __init__(self, x: int) -> None:
        self.x = x

    def __eq__(self, other: "A") -> bool:
        return self.x == other.x

    def __hash__(self) -> int:
        return self.x


class KeepsHash(A):
    pass


class DropsHash(A):
    def __eq__(self, other: "DropsHash") -> bool:
        return self.x == other.x


class Plain:
    def __init__(self, x: int) -> None:
        self.x = x


@compile
def inherited(n: int) -> int:
    return hash(KeepsHash(n))


@compile
def dropped(n: int) -> int:
    return hash(DropsHash(n))


@compile
def address(n: int) -> int:
    return hash(Plain(n))


@compile
def mixed(n: int) -> int:
    d: dict[A, int] = {}
    d[A(n)] = 1
    d[DropsHash(n)] = 2
    return len(d)
`);
    const compiled = await compileModule(file);
    const error = (name: string) => compiled.functions.find((f) => f.name === name)?.error;
    expect(error('inherited')).toBeUndefined();
    expect(error('dropped')).toMatchObject({ line: 36, message: "TypeError: unhashable type: 'DropsHash'" });
    expect(error('address')).toMatchObject({ line: 41, message: expect.stringContaining('derived from its address in CPython') });
    expect(error('mixed')?.message).toContain("holding DropsHash instances, whose __hash__ differs from A's");
  });

  // _replace giving None where the annotation names it is verified by the corpus (replaced_with_none); elsewhere it
  // would change the field's type for every use of the record: refused where the call is.
  it('_replace(x=None) is refused where the field\'s annotation does not name None (a namedtuple\'s fields are object)', async () => {
    const file = moduleFile(`from collections import namedtuple
from typing import NamedTuple


class P(NamedTuple):
    x: int
    y: int | None = None


Pair = namedtuple("Pair", "a b")


@compile
def typed(n: int) -> int:
    return P(n, 2)._replace(x=None if n else 1, y=None).y or 0


@compile
def untyped(n: int) -> int:
    return Pair(n, 2)._replace(b=None).a
`);
    const compiled = await compileModule(file);
    const error = (name: string) => compiled.functions.find((f) => f.name === name)?.error;
    expect(error('typed')).toMatchObject({ line: 18, message: expect.stringContaining("_replace(x=...) gives P.x a value that may be None, which would change the field's type (its annotation, int, does not name None)") });
    expect(error('untyped')?.message).toContain('gives Pair.b a value that may be None');
  });
});
