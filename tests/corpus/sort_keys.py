"""Sorting and selecting with a key: sorted(key=...), list.sort(key=...), max/min(key=..., default=...), the
argmax idioms, ranking and top-k, with Python's stability and its comparison of tuples; operator.itemgetter and
operator.attrgetter as keys of tuples, records, dataclasses and NamedTuples, and called as functions."""
import operator
from dataclasses import dataclass
from operator import attrgetter, itemgetter
from typing import NamedTuple

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


@compile
def rows_by_column(n: int, col: int) -> str:
    """Rows of (id, group, weight) sorted by one column, then by two (a tuple key), then largest weight last first."""
    rows = [(i, i * 7 % 3, i * 5 % 4 - 1) for i in range(n)]
    key = itemgetter(0)
    if col % 3 == 1:
        key = itemgetter(1)
    elif col % 3 == 2:
        key = itemgetter(2)
    by_col = sorted(rows, key=key)
    by_two = sorted(rows, key=itemgetter(1, 2))
    rows.sort(key=itemgetter(-1), reverse=True)
    return f"{[r[0] for r in by_col]} {[r[0] for r in by_two]} {[r[0] for r in rows]}"


@compile
def matrix_rows(n: int, width: int) -> str:
    """Lists sorted by their item 2: IndexError where a row is shorter, as CPython."""
    m = [[(i * j + 3) % 5 for j in range(1, width + 1)] for i in range(n)]
    best = max(m, key=operator.itemgetter(-1), default=[0])
    return f"{best} {[r[0] for r in sorted(m, key=itemgetter(2, 0))]}"


@compile
def pair_getters(a: int, b: int, c: int) -> str:
    """itemgetter called as a function: one item, several (a tuple), a negative index."""
    t = (a, b, c)
    first = itemgetter(0)
    ends = itemgetter(0, -1)
    middle_twice = itemgetter(1, 1)
    return f"{first(t)} {ends(t)} {middle_twice(t)} {itemgetter(2)([c, b, a])}"


@dataclass
class Employee:
    name: str
    dept: int
    salary: float


@compile
def payroll(n: int, cut: float) -> str:
    staff = [Employee("e" + str(i), i % 3, 1000.0 + (i * 37 % 11) * 250.0) for i in range(n)]
    staff.sort(key=attrgetter("salary"), reverse=True)
    ranked = sorted(staff, key=attrgetter("dept", "salary"))
    top = max(staff, key=attrgetter("salary"), default=Employee("nobody", -1, 0.0))
    low = min([e for e in staff if e.salary > cut], key=operator.attrgetter("salary"), default=top)
    pay = attrgetter("dept", "salary")
    by_name = sorted(staff, key=attrgetter("name"), reverse=True)
    return f"{[e.name for e in staff]} {[e.name for e in ranked]} {top.name} {low.name} {[pay(e) for e in staff[:2]]} {[e.name for e in by_name[:3]]}"


class Point(NamedTuple):
    x: float
    y: float


class Marker:
    def __init__(self, label: str, x: float, y: float):
        self.label = label
        self.pos = Point(x, y)


@compile
def markers(n: int) -> str:
    """attrgetter of a dotted path through a NamedTuple field, and itemgetter on the NamedTuple itself."""
    ms = [Marker("m" + str(i), (i * 3 % 5) - 2.0, (i * 2 % 7) * 0.5) for i in range(n)]
    by_x = sorted(ms, key=attrgetter("pos.x"))
    by_y = sorted([m.pos for m in ms], key=itemgetter(1))
    where = attrgetter("label", "pos.y")
    return f"{[m.label for m in by_x]} {[(p.x, p.y) for p in by_y]} {[where(m) for m in ms[:2]]}"
