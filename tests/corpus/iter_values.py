"""range, zip, enumerate, reversed, map and filter beyond `for i in range(n)`: as values, nested, in
comprehensions and in the consumers that take iterables (list, sum, min, max, any, all, sorted)."""
import numpy as np
import numpy.typing as npt
from kiln import compile


@compile
def range_object(n: int) -> int:
    r = range(2, n, 3)
    total = 0
    for x in r:
        total += x
    return total * 1000 + len(r) * 10 + (5 in r)


@compile(examples=[(0, 10, 3), (10, 0, -3), (5, 5, 1), (0, 10, 0), (-9223372036854775808, 9223372036854775807, 1), (-9223372036854775808, 9223372036854775807, 2)])
def range_len(a: int, b: int, s: int) -> int:
    return len(range(a, b, s))


@compile(examples=[(0, 5, 1, 2), (0, 5, 1, 7), (0, 5, 1, -1), (0, 5, 1, -6), (10, 0, -2, 3), (0, 0, 1, 0)])
def range_index(a: int, b: int, s: int, i: int) -> int:
    return range(a, b, s)[i]


@compile
def range_reductions(n: int) -> int:
    return sum(range(n)) + max(range(n + 1)) - min(range(-n, 1)) + len(list(range(0, n, 2)))


@compile
def empty_range_max(n: int) -> int:
    return max(range(n))


@compile
def range_membership(x: float, n: int) -> bool:
    return x in range(0, n, 2)


@compile
def zip_shortest(a: list[float], b: list[float]) -> float:
    s = 0.0
    for x, y in zip(a, b):
        s += x * y
    return s


@compile
def zip_arrays(a: npt.NDArray[np.float64], b: list[float]) -> float:
    s = 0.0
    for x, y in zip(a, b):
        s += float(x) - y
    return s


@compile
def enumerate_start(xs: list[int]) -> int:
    total = 0
    for i, x in enumerate(xs, 1):
        total += i * x
    return total


@compile
def enumerate_zip(a: list[int], b: list[int]) -> int:
    total = 0
    for i, (x, y) in enumerate(zip(a, b), start=10):
        total += i * (x - y)
    return total


@compile
def reversed_range(n: int) -> list[int]:
    return [i * i for i in reversed(range(0, n, 3))]


@compile
def reversed_list(xs: list[float]) -> list[float]:
    out = []
    for i, x in enumerate(reversed(xs)):
        out.append(x * i)
    return out


@compile
def comprehension_iterators(a: list[int], b: list[int]) -> list[int]:
    return [x * y + i for i, (x, y) in enumerate(zip(a, b)) if (x + y) % 2 == 0]


@compile
def filtered_enumerate(xs: list[int]) -> int:
    # enumerate counts the items the filter lets through.
    total = 0
    for i, x in enumerate(filter(lambda v: v > 0, xs)):
        total += i * 100 + x
    return total


@compile
def consumers(xs: list[float]) -> float:
    n = len(xs)
    pos = sum(filter(lambda v: v > 0.0, xs)) if n else 0.0
    big = any(map(lambda v: v > 5.0, xs))
    ok = all(x == x for x in xs)
    return pos + big + ok


@compile
def list_of_zip(a: list[int], b: list[int]) -> int:
    pairs = list(zip(a, b))
    total = 0
    for p in pairs:
        total += p[0] * 3 - p[1]
    return total + len(pairs)


@compile
def nested_maps(xs: list[int]) -> list[int]:
    return list(map(lambda v: v * 2, map(lambda v: v + 1, filter(lambda v: v % 3 != 0, xs))))


@compile
def zip_three(a: list[int], b: list[int], c: list[int]) -> list[int]:
    return [x + y * z for x, y, z in zip(a, b, reversed(c))]


@compile
def loop_mutates_items(xs: list[int]) -> list[int]:
    # Writing the items ahead of the loop is seen by the loop, as in Python (the length does not change).
    for i, x in enumerate(xs):
        if i + 1 < len(xs):
            xs[i + 1] += x
    return xs
