"""Sorting by keys that cannot fail and have no effect (a negation, a square, a distance to a constant, abs of a
float): Kiln compares the keys computed on the fly instead of storing them. The lists here are long enough for
the merge sort (64 items and more) as well as the insertion sort, with ties, NaN, infinities and reverse=True,
whose results must be CPython's to the last position. Also key lambdas that read a loop's variable."""
import math
from kiln import compile


def scrambled(n, seed):
    # A linear congruential generator: repeatable pseudo-random floats in [-50, 50), with many ties.
    out = []
    x = seed % 2147483647
    for _ in range(n):
        x = (x * 48271) % 2147483647
        out.append((x % 2001) / 20.0 - 50.0)
    return out


def square(v):
    return v * v


@compile(examples=[(0, 1), (5, 7), (63, 11), (64, 3), (65, 5), (200, 13), (1000, 17)])
def descending(n: int, seed: int) -> list[float]:
    xs = scrambled(min(max(n, 0), 2000), seed)
    return sorted(xs, key=lambda v: -v)


@compile(examples=[(0, 1), (9, 2), (70, 3), (300, 4), (1001, 5)])
def by_square_stable(n: int, seed: int) -> list[float]:
    # Opposite values tie on their square: sorted keeps them in the order they came (stable), also reversed.
    xs = scrambled(min(max(n, 0), 2000), seed)
    a = sorted(xs, key=square)
    b = sorted(xs, key=square, reverse=True)
    return a[:20] + b[:20] + [a[len(a) // 2] if a else 0.0]


@compile(examples=[(0, 1), (40, 8), (129, 9), (513, 10)])
def by_abs_float(n: int, seed: int) -> list[float]:
    xs = scrambled(min(max(n, 0), 2000), seed)
    xs.sort(key=abs)
    return xs


@compile(examples=[(0, 1), (12, 2), (63, 3), (64, 4), (90, 5), (400, 6), (1000, 7), (2000, 8)])
def with_nan(n: int, seed: int) -> list[float]:
    # NaN is neither less nor greater than anything: where it ends depends on the algorithm's exact comparisons,
    # which are CPython's (timsort: runs, binary insertion, galloping merges).
    xs = scrambled(min(max(n, 0), 2000), seed)
    for i in range(0, len(xs), 7):
        xs[i] = math.nan if i % 3 else (math.inf if i % 2 else -math.inf)
    return sorted(xs, key=lambda v: v * 2.0) + sorted(xs, key=lambda v: -v, reverse=True)


@compile
def nan_list(xs: list[float]) -> list[float]:
    return sorted(xs, key=lambda v: -v)


@compile(examples=[(0, 1), (64, 2), (300, 3), (1500, 4)])
def plain_sorts_with_nan(n: int, seed: int) -> list[float]:
    # Without a key, and a list that is mostly in order (long runs, then galloping merges).
    xs = scrambled(min(max(n, 0), 2000), seed)
    xs.sort()
    for i in range(0, len(xs), 11):
        xs[i] = math.nan if i % 2 else -xs[i]
    ys = sorted(xs, reverse=True)
    xs.sort()
    return xs + ys


@compile(examples=[(0,), (10,), (100,), (700,)])
def int_keys(n: int) -> list[int]:
    m = min(max(n, 0), 1000)
    xs = [(i * 37) % 101 - 50 for i in range(m)]
    return sorted(xs, key=lambda v: v % 10) + sorted(xs, key=lambda v: -v, reverse=True)[:10]


@compile(examples=[(0, 1), (6, 2), (80, 3)])
def nearest_to_center(n: int, seed: int) -> float:
    # A key lambda that reads a variable the loop assigns after the lambda is made: Python reads it at each call.
    xs = scrambled(min(max(n, 0), 500), seed)
    total = 0.0
    center = 0.0
    for k in range(1, 4):
        ordered = sorted(xs, key=lambda v: abs(v - center))
        if ordered:
            total += ordered[0] * k + ordered[-1]
        center = center + 10.0 * k
    return total


@compile(examples=[(0, 1), (7, 2), (90, 3)])
def farthest_per_shift(n: int, seed: int) -> list[float]:
    xs = scrambled(min(max(n, 0), 500), seed)
    out = []
    for shift in range(-2, 3):
        out.append(max(xs, key=lambda v: math.fabs(v - shift * 12.5), default=math.inf))
        out.append(min(xs, key=lambda v: (v - shift) * (v - shift), default=-math.inf))
    return out


@compile(examples=[(0, 1), (5, 4), (100, 6)])
def key_reads_counter(n: int, seed: int) -> list[float]:
    # The key reads a variable that a nested function changes through nonlocal: it must see each change.
    xs = scrambled(min(max(n, 0), 300), seed)
    bias = 0.0

    def nudge():
        nonlocal bias
        bias += 25.0
        return bias

    out = []
    for _ in range(3):
        s = sorted(xs, key=lambda v: abs(v - bias))
        out.append(s[0] if s else nudge())
        nudge()
    return out
