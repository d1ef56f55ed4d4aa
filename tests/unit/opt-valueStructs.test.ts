/**
 * Which classes become value structs (opt/valueStructs.ts): only those nothing can tell from a copy. Each class
 * below breaks one rule; the corpus (classes_numeric.py, classes_geometry.py) checks the C of the ones that pass
 * against CPython.
 */
import { describe, expect, it } from 'vitest';
import { PRELUDE, typedProgram } from './opt-helpers.ts';
import { valueStructs } from '../../src-compiler/opt/valueStructs.ts';

const SOURCE = `${PRELUDE}from typing import Optional


class V:
    def __init__(self, x: float, y: float):
        self.x = x
        self.y = y

    def __add__(self, o: "V") -> "V":
        return V(self.x + o.x, self.y + o.y)

    def me(self) -> "V":
        return self


class Seg:
    def __init__(self, a: V, b: V):
        self.a = a
        self.b = b


class Same:
    def __init__(self, k: int):
        self.k = k


class Listed:
    def __init__(self, k: int):
        self.k = k


class Moved:
    def __init__(self, k: int):
        self.k = k


class Maybe:
    def __init__(self, k: int):
        self.k = k


def register(o: "Leaky") -> int:
    return o.k


class Leaky:
    def __init__(self, k: int):
        self.k = k
        self.n = register(self)


class Named:
    def __init__(self, k: int, name: str):
        self.k = k
        self.name = name


class Late:
    def __init__(self, k: int):
        self.k = k

    def fill(self) -> None:
        self.m = 1


class Base:
    def __init__(self, k: int):
        self.k = k


class Derived(Base):
    pass


class Out:
    def __init__(self, k: int):
        self.k = k


@compile
def use(n: int) -> float:
    s = Seg(V(1.0, 2.0), V(3.0, 4.0))
    v = (s.a + s.b).me()
    a = Same(n)
    b = a
    xs = [Listed(n)]
    m = Moved(n)
    m.k = 2
    o: Optional[Maybe] = Maybe(n) if n > 0 else None
    t = Late(n)
    t.fill()
    return v.x + (a is b) + len(xs) + m.k + (o is None) + Leaky(n).n + Named(n, "a").k + t.k + Derived(n).k


@compile
def make(n: int) -> Out:
    return Out(n)
`;

describe('value structs', () => {
  it('keeps by value only classes whose instances have no identity anyone can observe', async () => {
    const chosen = [...valueStructs(await typedProgram(SOURCE))].map((q) => q.slice(q.lastIndexOf('.') + 1)).sort();
    // V and Seg (holding two Vs) qualify; `is` (Same), a list (Listed), a field write after __init__ (Moved), a union
    // with None (Maybe), self passed on in __init__ (Leaky), a str field (Named), a field a method assigns (Late),
    // inheritance (Base, Derived) and an exported result (Out) each keep the class an object.
    expect(chosen).toEqual(['Seg', 'V']);
  }, 60_000);
});
