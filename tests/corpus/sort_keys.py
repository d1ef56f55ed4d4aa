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


@compile(examples=["pear Apple fig banana apple Fig kiwi", "", "b B a A"])
def by_text_keys(text: str) -> str:
    # str keys compare by code point; a (len, str) tuple key orders by length, then alphabetically; sorts are stable.
    words = text.split()
    folded = sorted(words, key=lambda w: w.lower())
    shortest = sorted(words, key=lambda w: (len(w), w))
    by_last = sorted(words, key=lambda w: w[-1], reverse=True)
    longest = max(words, key=lambda w: (len(w), w), default="-")
    return " ".join(folded) + " | " + " ".join(shortest) + " | " + " ".join(by_last) + " | " + longest


@compile(examples=[(3, 1, 4), (2, 2, 2), (-1, 5, 0)])
def nested_tuple_order(a: int, b: int, c: int) -> int:
    # (cost, (row, col)) entries, as a search keeps them: the inner tuple breaks ties item by item.
    p = (a + b, (a, c))
    q = (b + a, (a, b))
    r = (a + b, (a, c, 0))
    m = (1.0, (2.0, float(c)))
    return ((p < q) + (p <= q) * 2 + (p > q) * 4 + (p >= q) * 8 + (p == q) * 16 + (p != r) * 32 + (p < r) * 64
            + (m <= (1.0, (2.0, 1.0))) * 128 + (m == (1.0, (2.0, 4.0))) * 256 + (m >= (1.0, (2.0, 0.0))) * 512)
