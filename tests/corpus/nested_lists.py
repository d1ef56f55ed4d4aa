"""Lists of lists in and out (matrices as Python writes them), tuples of arrays and lists returned to the caller,
and module-level lists of constants (read-only tables)."""
import numpy as np
import numpy.typing as npt
from kiln import compile

DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
COEFFS = [[1.0, -2.0, 1.0], [0.5, 0.5, 0.0], [0.0, 0.0, 2.0]]
PRIMES_UNDER_30 = [p for p in range(2, 30) if all(p % d for d in range(2, p))]


@compile
def row_sums(m: list[list[int]]) -> list[int]:
    return [sum(row) for row in m]


@compile
def transpose(m: list[list[float]]) -> list[list[float]]:
    if not m:
        return []
    width = min(len(row) for row in m)
    return [[row[j] for row in m] for j in range(width)]


@compile
def matmul(a: list[list[float]], b: list[list[float]]) -> list[list[float]]:
    n = len(b)
    out = []
    for row in a:
        if len(row) != n:
            raise ValueError("shapes do not match")
        width = len(b[0]) if n else 0
        r = [0.0] * width
        for k in range(n):
            if len(b[k]) != width:
                raise ValueError("ragged matrix")
            for j in range(width):
                r[j] += row[k] * b[k][j]
        out.append(r)
    return out


@compile
def normalize_rows(m: list[list[float]]) -> None:
    # The caller's rows are changed in place, as in Python.
    for row in m:
        total = 0.0
        for x in row:
            total += abs(x)
        if total > 0.0:
            for j in range(len(row)):
                row[j] = row[j] / total


@compile
def pascal(n: int) -> list[list[int]]:
    rows = [[1]]
    for i in range(1, n):
        prev = rows[-1]
        rows.append([1] + [prev[j] + prev[j + 1] for j in range(i - 1)] + [1])
    return rows if n > 0 else []


@compile
def grow_and_swap(m: list[list[int]]) -> int:
    if len(m) >= 2:
        m[0], m[1] = m[1], m[0]
    m.append([len(m)])
    return len(m)


@compile
def split_signs(a: npt.NDArray[np.float64]) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], int]:
    pos = a[a > 0.0]
    neg = a[a < 0.0]
    return pos, -neg, len(a) - len(pos) - len(neg)


@compile
def histogram_and_edges(xs: list[float], bins: int) -> tuple[list[int], list[float]]:
    if bins <= 0 or not xs:
        return [], []
    lo = min(xs)
    hi = max(xs)
    width = (hi - lo) / bins if hi > lo else 1.0
    counts = [0] * bins
    for x in xs:
        if x != x:
            continue
        k = int((x - lo) / width) if width > 0.0 and x - lo < width * bins else bins - 1
        counts[min(max(k, 0), bins - 1)] += 1
    edges = [lo + i * width for i in range(bins + 1)]
    return counts, edges


@compile
def day_of_year(month: int, day: int) -> int:
    if not 1 <= month <= 12 or not 1 <= day <= DAYS[month - 1]:
        raise ValueError("no such date")
    return sum(DAYS[:month - 1]) + day


@compile
def apply_coeffs(x: float) -> list[float]:
    return [row[0] * x * x + row[1] * x + row[2] for row in COEFFS]


@compile
def nth_prime_under_30(i: int) -> int:
    return PRIMES_UNDER_30[i] + len(PRIMES_UNDER_30)


@compile
def bucket_words(n: int) -> int:
    # Buckets that start empty next to ones that do not: the empty ones take the others' type.
    buckets = [["start"], [], [str(n)], []]
    for i in range(min(abs(n), 12)):
        buckets[i % 4].append("w" + str(i))
    return sum(len(b) for b in buckets) * 100 + len(buckets[1]) * 10 + len(buckets[3])


def total_of(ys: list[int]) -> int:
    t = 0
    for y in ys:
        t += y
    return t


@compile(examples=[(7,), (0,), (12,)])
def loops_keep_lengths(n: int) -> list[int]:
    # Bodies that read the iterated list in a helper, store its items, grow its rows or a new list swapped in
    # after the loop: the length read once is CPython's (a change of it is refused: tests/unit/calls.test.ts).
    xs = list(range(n % 10))
    grid = [[x] for x in xs]
    out = []
    for x in xs:
        out.append(x + total_of(xs))
        xs[0] = x
    for row in grid:
        row.append(len(row) + row[0])
    level = [1]
    for _ in range(3):
        nxt = []
        for v in level:
            nxt.append(v + n)
            nxt.append(v * 2)
        level = nxt
    return out + xs + [sum(r) for r in grid] + level


@compile(examples=[(3,), (0,), (1,)])
def transposed(n: int) -> str:
    """zip(*rows): a matrix's columns, a ragged table cut at its shortest row, words read column-wise, pairs unzipped."""
    k = max(0, min(n, 4))
    grid = [[i * 3 + j for j in range(k + 1)] for i in range(k)]
    ragged = [[1, 2, 3], [4, 5], [6, 7, 8]]
    words = ["abc", "de", "fgh"]
    pairs = [(1, 2), (3, 4), (5, n)]
    col_sums = [sum(c) for c in zip(*grid)]
    return f"{col_sums} {[list(c) for c in zip(*grid)]} {list(zip(*ragged))} {[''.join(c) for c in zip(*words)]} {list(zip(*pairs))}"
