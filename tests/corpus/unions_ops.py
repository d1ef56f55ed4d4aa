"""Operations on values whose type depends on the path: each runs the operation of the member the value holds
(arithmetic, comparisons, powers, divmod, round, math functions, unpacking, subscripts, min/max), and raises
CPython's TypeError where a member (None) does not support it."""
import math

import numpy as np
import numpy.typing as npt
from typing import Optional
from kiln import compile


def maybe(n: int) -> Optional[int]:
    return n * 2 if n % 3 else None


@compile
def while_opt(n: int) -> int:
    x = maybe(n)
    steps = 0
    while x:
        steps += 1
        x = maybe(x - 1) if x > 1 else None
    return steps


@compile
def aug_union(n: int, f: bool):
    x = 1 if f else 1.5
    for i in range(n):
        x += i
        x *= 2
    return x


@compile
def union_vs_union(a: int, b: float, f: bool, g: bool) -> bool:
    x = a if f else b
    y = b if g else a
    return x < y or x == y


@compile
def unpack_opt(n: int) -> int:
    t = (n, n + 1) if n > 0 else None
    a, b = t
    return a + b


@compile
def index_opt(n: int) -> int:
    t = (n, n + 1) if n > 0 else None
    return t[1]


@compile
def bool_int(n: int):
    x = True
    if n > 2:
        x = n
    return x + 1, x


@compile
def union_pow(a: int, b: int, f: bool):
    x = a if f else a * 0.5
    return x ** b


@compile
def sqrt_union(a: int, f: bool) -> float:
    x = a if f else a * 0.5
    return math.sqrt(abs(x))


@compile
def div_union(a: int, b: int, f: bool):
    y = b if f else b * 1.0
    return a / y, a // y, a % y


@compile
def round_union(a: int, f: bool):
    x = a if f else a / 7
    return round(x, 2), round(x)


@compile
def divmod_union(a: int, f: bool):
    x = a if f else a * 0.5
    return divmod(x, 3)


@compile
def minmax_none(a: Optional[int], b: int):
    return min(a, b) if a is not None else max(b, 0)


@compile
def minmax_opt_raise(a: Optional[int], b: int):
    return min(b, a)


def rec(n: int) -> Optional[int]:
    if n <= 0:
        return None
    r = rec(n - 2)
    if r is None:
        return n
    return r + n


@compile
def rec_opt(n: int) -> int:
    r = rec(n)
    return -1 if r is None else r


@compile
def clamp_item(a: list[float], lo: int, hi: int):
    """min/max of a list item and ints: the one Python picks, of its own type."""
    return max(lo, min(a[0] if a else 0.0, hi)) if a else lo


@compile
def np_bounds(a: npt.NDArray[np.float32], k: int):
    """min/max of a NumPy scalar and a Python int: CPython returns whichever it picks (np.float32 or int)."""
    if len(a) == 0:
        return k
    return min(k, max(a[0], -k))


def retries_or_default(retries: int | None = None) -> int:
    return retries or 3


@compile(examples=[0, 1, 7])
def total_attempts(n: int) -> int:
    """`x or default` where x is exactly None in one specialisation (the narrowed None holds no value)."""
    return retries_or_default() + retries_or_default(n) + retries_or_default(None)
