"""None as a value: searches that return None when they find nothing, sentinels that start as None, Optional
parameters and results, tests that narrow (is None, is not None, == None, truth, isinstance), and the
TypeError CPython raises when None is used as a number."""
from typing import Optional

import numpy as np
import numpy.typing as npt
from kiln import compile


@compile
def index_of(xs: list[int], target: int) -> Optional[int]:
    for i in range(len(xs)):
        if xs[i] == target:
            return i
    return None


@compile
def first_negative(a: npt.NDArray[np.float64]):
    for i in range(a.shape[0]):
        if a[i] < 0:
            return a[i]
    return None


@compile
def binary_search(a: npt.NDArray[np.int64], key: int) -> int | None:
    lo = 0
    hi = len(a) - 1
    while lo <= hi:
        mid = (lo + hi) // 2
        if a[mid] == key:
            return mid
        if a[mid] < key:
            lo = mid + 1
        else:
            hi = mid - 1
    return None


@compile
def minimum_or_none(xs: list[float]):
    best = None
    for x in xs:
        if best is None or x < best:
            best = x
    return best


@compile
def closest_pair(xs: list[int]):
    """The indices of the two closest values (None for fewer than two)."""
    best = None
    pair = None
    for i in range(len(xs)):
        for j in range(i + 1, len(xs)):
            d = abs(xs[i] - xs[j])
            if best is None or d < best:
                best = d
                pair = (i, j)
    return pair


@compile
def follow_links(nxt: npt.NDArray[np.int64], start: int, target: int):
    """Walks a linked list stored as next-indices (-1 ends it); the steps to the target, or None."""
    node = start
    steps = 0
    while node != -1 and steps <= len(nxt):
        if node == target:
            return steps
        if node < 0 or node >= len(nxt):
            return None
        node = nxt[node]
        steps += 1
    return None


@compile
def default_limit(limit: Optional[int], n: int) -> int:
    if limit is None:
        limit = n
    total = 0
    for i in range(min(limit, n)):
        total += i
    return total


@compile
def scaled(x: Optional[float], factor: float) -> float:
    if x is not None and x > 0:
        return x * factor
    return 0.0


@compile
def count_present(a: Optional[int], b: Optional[int], c: Optional[int]) -> int:
    n = 0
    if a is not None:
        n += 1
    if b != None:
        n += 1
    if not c is None:
        n += 1
    return n


@compile
def truthy(x: Optional[int]) -> int:
    if x:
        return x
    return -1


@compile
def none_plus_one(x: Optional[int]):
    return x + 1


@compile
def none_compare(x: Optional[float]) -> bool:
    return x < 3.0


@compile
def negate_optional(x: Optional[int]):
    return -x


@compile
def tail_or_none(n: int):
    """Falls off the end (None) unless it finds a multiple of 7 among 1..n."""
    for i in range(1, n + 1):
        if i % 7 == 0:
            return i * 2.5


@compile
def kind_of(x: int, f: bool) -> int:
    v = None if x < 0 else (x if f else x * 0.5)
    if v is None:
        return 0
    if isinstance(v, int):
        return 1
    if type(v) is float:
        return 2
    return 3


@compile
def second_largest(xs: list[int]):
    first = None
    second = None
    for x in xs:
        if first is None or x > first:
            second = first
            first = x
        elif x != first and (second is None or x > second):
            second = x
    return second


def find_root(lo: float, hi: float, steps: int):
    """Bisection for x * x - 2 on [lo, hi]: None when the interval does not bracket a root."""
    flo = lo * lo - 2
    fhi = hi * hi - 2
    if flo * fhi > 0:
        return None
    for _ in range(steps):
        mid = (lo + hi) / 2
        fm = mid * mid - 2
        if fm == 0:
            return mid
        if (fm < 0) == (flo < 0):
            lo = mid
            flo = fm
        else:
            hi = mid
    return (lo + hi) / 2


@compile
def root_or_default(lo: float, hi: float, steps: int) -> float:
    r = find_root(lo, hi, steps)
    if r is None:
        return -1.0
    return r


@compile
def count_divisors(n: int) -> int:
    """An Optional list inside compiled code: NULL is None (no tag)."""
    divs = None
    if n >= 1:
        divs = [d for d in range(1, n + 1) if n % d == 0]
    if divs is None:
        return -1
    return len(divs) * 100 + divs[-1]


@compile
def first_even_square(n: int) -> int:
    """`if xs:` is false for an empty list (and for None)."""
    squares = None
    if n > 0:
        squares = [i * i for i in range(n) if i % 2 == 1]
    if squares:
        return squares[0]
    return -1


@compile
def triangle(n: Optional[int]) -> int:
    """range() of an Optional[int]: CPython's TypeError for None."""
    total = 0
    for i in range(n):
        total += i
    return total


@compile
def arg_max(a: npt.NDArray[np.float64]):
    """The index of the largest value (the first of equals), None for an empty array."""
    best_i = None
    for i in range(a.shape[0]):
        if best_i is None or a[i] > a[best_i]:
            best_i = i
    return best_i


@compile
def pair_with_none(n: int):
    return (None, n) if n > 0 else (n, None)


@compile
def first_drop(xs: list[float]):
    """The index where the series first falls, found by a loop that breaks out of an if (None when it never falls)."""
    found = None
    for i in range(1, len(xs)):
        if xs[i] < xs[i - 1]:
            found = i
            break
    return found


@compile
def last_multiple_half(n: int, k: int):
    """A while loop whose if assigns a float and continues: half the last multiple of k up to n, None if none."""
    last = None
    m = 0
    while m < n:
        m += 1
        if k != 0 and m % k == 0:
            last = m * 0.5
            continue
        m += 0
    return last
