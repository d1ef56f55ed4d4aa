"""Python lists of numbers: indexing, building, methods, comprehensions, builtins over lists."""
from kiln import compile


@compile
def list_total(xs: list[int]) -> int:
    t = 0
    for x in xs:
        t += x
    return t


@compile
def list_get(xs: list[float], i: int) -> float:
    return xs[i]


@compile
def list_set(xs: list[int], i: int) -> list[int]:
    xs[i] = -1
    return xs


@compile
def squares(n: int) -> list[int]:
    return [i * i for i in range(n)]


@compile
def evens_doubled(xs: list[int]) -> list[int]:
    return [2 * x for x in xs if x % 2 == 0]


@compile
def build_append(xs: list[float]) -> list[float]:
    out = []
    for x in xs:
        if x > 0.0:
            out.append(x * 0.5)
    return out


@compile
def zeros_n(n: int) -> list[int]:
    return [0] * n


@compile
def concat(a: list[int], b: list[int]) -> list[int]:
    return a + b + [7]


@compile
def pop_insert(xs: list[int]) -> list[int]:
    ys = list(xs)
    ys.insert(0, 100)
    ys.insert(-1, 200)
    v = ys.pop()
    ys.append(v * 2)
    return ys


@compile
def pop_empty(xs: list[int]) -> int:
    return xs.pop(0)


@compile
def extend_reverse(xs: list[int]) -> list[int]:
    ys = xs.copy()
    ys.extend(xs)
    ys.reverse()
    return ys


@compile
def sort_copy(xs: list[int]) -> list[int]:
    return sorted(xs)


@compile
def sort_desc(xs: list[float]) -> list[float]:
    ys = list(xs)
    ys.sort(reverse=True)
    return ys


@compile
def contains(xs: list[int], v: int) -> bool:
    return v in xs


@compile
def not_contains(xs: list[int], v: int) -> bool:
    return v not in xs


@compile
def sum_gen(xs: list[int]) -> int:
    return sum(x * x for x in xs)


@compile
def sum_floats(xs: list[float]) -> float:
    return sum(xs)


@compile
def any_neg(xs: list[int]) -> bool:
    return any(x < 0 for x in xs)


@compile
def all_small(xs: list[int]) -> bool:
    return all(abs(x) < 40 for x in xs)


@compile
def list_max(xs: list[int]) -> int:
    return max(xs)


@compile
def list_min_float(xs: list[float]) -> float:
    return min(xs)


@compile
def slice_list(xs: list[int]) -> list[int]:
    return xs[1:-1:2]


@compile
def reversed_list(xs: list[int]) -> list[int]:
    out = []
    for x in reversed(xs):
        out.append(x)
    return out


@compile
def enumerate_list(xs: list[int]) -> int:
    s = 0
    for i, x in enumerate(xs, 1):
        s += i * x
    return s


@compile
def grid_sum(n: int, m: int) -> int:
    g = [[i * m + j for j in range(m)] for i in range(n)]
    s = 0
    for row in g:
        for v in row:
            s += v
    return s


@compile
def count_index(xs: list[int]) -> int:
    return xs.count(xs[0]) * 100 + xs.index(xs[-1])


@compile
def len_after_clear(xs: list[int]) -> int:
    ys = xs + xs
    n = len(ys)
    ys.clear()
    return n * 10 + len(ys)


@compile
def pairs(n: int) -> list[int]:
    return [i * 10 + j for i in range(n) for j in range(i)]


def helper_list(n: int) -> list[float]:
    return [float(i) / 2.0 for i in range(n)]


@compile
def uses_helper(n: int) -> float:
    total = 0.0
    for v in helper_list(n):
        total += v
    return total


@compile
def append_len(xs: list[int], v: int) -> int:
    xs.append(v)
    xs.append(v + 1)
    return len(xs)


@compile
def sort_in_place(xs: list[float]) -> None:
    xs.sort()


@compile
def set_then_raise(xs: list[int], i: int) -> int:
    xs[0] = -7
    xs.append(i)
    return xs[i]


@compile
def pop_front(xs: list[int]) -> int:
    a = xs.pop(0)
    xs += [a, a]
    return a
