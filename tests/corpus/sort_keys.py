"""Sorting and selecting with a key: sorted(key=...), list.sort(key=...), max/min(key=..., default=...), the
argmax idioms, ranking and top-k, with Python's stability and its comparison of tuples."""
from kiln import compile


def distance(p):
    return abs(p)


@compile
def by_negation(xs: list[float]) -> list[float]:
    return sorted(xs, key=lambda v: -v)


@compile
def by_abs_stable(xs: list[int]) -> list[int]:
    # Equal keys keep their order (sorted is stable), also with reverse=True.
    return sorted(xs, key=abs) + sorted(xs, key=distance, reverse=True)


@compile
def sort_in_place(xs: list[int]) -> list[int]:
    xs.sort(key=lambda v: (v % 3, -v))
    return xs


@compile
def rank(scores: list[float]) -> list[int]:
    order = sorted(range(len(scores)), key=lambda i: scores[i], reverse=True)
    ranks = [0] * len(scores)
    for r, i in enumerate(order):
        ranks[i] = r + 1
    return ranks


@compile
def argmax(xs: list[float]) -> int:
    return max(range(len(xs)), key=lambda i: xs[i])


@compile
def argmin_enumerate(xs: list[int]) -> int:
    i, _ = min(enumerate(xs), key=lambda p: p[1])
    return i


@compile
def closest(xs: list[float], target: float) -> float:
    return min(xs, key=lambda v: abs(v - target), default=target)


@compile
def top_k(xs: list[int], k: int) -> list[int]:
    return sorted(xs, key=lambda v: (-v, v % 7))[:k]


@compile
def max_of_args(a: int, b: int, c: int) -> int:
    return max(a, b, c, key=lambda v: (v % 5, v)) * 10 + min(a, b, key=abs)


@compile
def sort_by_two_lists(keys: list[float], values: list[int]) -> list[int]:
    n = min(len(keys), len(values))
    idx = sorted(range(n), key=lambda i: keys[i])
    return [values[i] for i in idx]


@compile
def median_by_key(xs: list[float]) -> float:
    if not xs:
        return 0.0
    s = sorted(xs, key=lambda v: v * v)
    return s[len(s) // 2]


@compile
def tuple_ordering(a: int, b: int, c: int) -> int:
    # Tuples compare item by item, the first difference decides; a prefix is smaller.
    t1 = (a, b)
    t2 = (a, c)
    return (t1 < t2) * 1 + (t1 <= t2) * 2 + (t1 == (a, b)) * 4 + ((a,) < t1) * 8 + (t2 > t1) * 16 + ((a, b, c) != (a, b, c)) * 32
