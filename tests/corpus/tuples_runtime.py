"""Tuples read at run time, module-level values, starred unpacking and splicing, and the usual sentinels."""
import math
import sys
from kiln import compile

WEIGHTS = (0.5, 0.25, 0.125, 0.125)
KERNEL = (1, 4, 6, 4, 1)
SIZE = 2 ** 10
SCALE = SIZE / 4
ORIGIN = (0.0, 0.0)
PRIMES = (2, 3, 5, 7, 11, 13)
LIMIT = len(PRIMES) * 2


@compile
def weighted(xs: list[float]) -> float:
    s = 0.0
    for i, x in enumerate(xs):
        s += WEIGHTS[i % len(WEIGHTS)] * x
    return s * SCALE


@compile
def smooth_at(xs: list[int], i: int) -> int:
    total = 0
    for k, w in enumerate(KERNEL):
        j = i + k - 2
        if 0 <= j < len(xs):
            total += w * xs[j]
    return total


@compile
def tuple_index(i: int) -> int:
    return PRIMES[i]


@compile
def tuple_loop(n: int) -> int:
    count = 0
    for p in PRIMES:
        if n % p == 0:
            count += 1
    return count * 10 + (n in PRIMES) + LIMIT


@compile
def distance_from_origin(x: float, y: float) -> float:
    ox, oy = ORIGIN
    return math.hypot(x - ox, y - oy)


@compile
def runtime_tuple(a: float, b: float, i: int) -> float:
    t = (a, b, a + b, a - b)
    return t[i] * len(t) + t[-1]


@compile
def reductions_over_tuple(a: int, b: int, c: int) -> int:
    t = (a, b, c)
    return max(t) * 100 + min(t) * 10 + sum(t) + len(sorted(t))


@compile
def head_tail(xs: list[int]) -> int:
    first, *rest = xs
    return first * 1000 + len(rest) * 10 + sum(rest)


@compile
def middle(xs: list[int]) -> list[int]:
    a, *mid, b = xs
    return [a + b] + mid


@compile
def splice(a: int, b: int) -> tuple[int, int, int, int]:
    t = (a, b)
    return (*t, a + b, *(b,))


@compile
def splice_lists(xs: list[int], ys: list[int]) -> list[int]:
    return [*xs, 0, *ys, *range(3), *(7, 8)]


@compile
def unpack_list_exact(xs: list[float]) -> float:
    x, y, z = xs
    return x * y - z


@compile
def unpack_tuple_star(a: int, b: int, c: int) -> list[int]:
    first, *others = (a, b, c)
    *init, last = (a, b, c)
    return others + init + [first, last]


@compile
def sentinels(xs: list[float]) -> tuple[float, float, int]:
    lo = float('inf')
    hi = -math.inf
    best_i = -sys.maxsize - 1
    for i, x in enumerate(xs):
        if x < lo:
            lo = x
            best_i = i
        if x > hi:
            hi = x
    return lo, hi, best_i


@compile
def nan_sentinel(xs: list[float]) -> float:
    m = float('nan')
    for x in xs:
        if m != m or x > m:
            m = x
    return m


@compile
def min_int(xs: list[int]) -> int:
    best = sys.maxsize
    for x in xs:
        best = min(best, x)
    return best
