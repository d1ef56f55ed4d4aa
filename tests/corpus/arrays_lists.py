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


# ---- lists freed where they die (opt/listFrees.ts): results must not change, and no list may be freed while held ----

def perms_of(xs: list[int]) -> list[list[int]]:
    if len(xs) <= 1:
        return [xs[:]]
    out: list[list[int]] = []
    for i in range(len(xs)):
        for p in perms_of(xs[:i] + xs[i + 1:]):
            out.append([xs[i]] + p)
    return out


@compile(examples=[[1, 2, 3], [], [5], [3, 1, 2, 1, 7]])
def permutations_list(xs: list[int]) -> list[list[int]]:
    """Every permutation of the first 4 items: each level's slices and item lists are freed as soon as they are dead."""
    return perms_of(xs[:4])


@compile(examples=[[1, 2, 3, 4, 5], [], [9]])
def permutation_checksum(xs: list[int]) -> int:
    """The perms of the first 5 items read through a loop variable that is used after the loop (its list is kept)."""
    total = 0
    last = [0]
    for p in perms_of(xs[:5]):
        total = (total * 31 + p[0] - p[-1]) % 1000003
        last = p
    return total * 10 + len(last)


def keep_tail(store: list[list[int]], xs: list[int]) -> None:
    store.append(xs)


@compile(examples=[[1, 2, 3, 4], [], [7, 8]])
def kept_slices(xs: list[int]) -> list[list[int]]:
    """Slices handed to a helper that keeps them, aliases made by assignment, and a list of rows built from temporaries."""
    store: list[list[int]] = []
    for i in range(min(len(xs), 6)):
        keep_tail(store, xs[i:] + [i])
        a = xs[:i]
        b = a
        b.append(-i)
        store.append(a)
    grid = [[i] * 3 for i in range(min(len(xs), 5))]
    for row in grid:
        store.append(row[:2] + [sum(row)])
    return store


def chunks_of(xs: list[int], k: int) -> list[list[int]]:
    if len(xs) <= k:
        return [xs[:]]
    return [xs[:k]] + chunks_of(xs[k:], k)


@compile(examples=[([1, 2, 3, 4, 5], 2), ([], 3), ([4, 5, 6], 1), ([1, 2], 0)])
def chunk_sums(xs: list[int], k: int) -> list[int]:
    """Recursive chunking: the concatenated lists share their items with the ones freed after the `+`."""
    if k <= 0:
        raise ValueError("chunk size must be positive")
    sums: list[int] = []
    for c in chunks_of(xs[:40], k):
        sums.append(sum(c) * 100 + len(c))
    return sums


@compile(examples=["the quick brown fox", "", "a b", "one"])
def rotate_words(text: str) -> str:
    """Lists of strs made and dropped: their words are counted references, freed with the last list holding them."""
    words = text.split()
    out: list[str] = []
    for i in range(min(len(words), 8)):
        parts = words[i:] + words[:i]
        out.append(" ".join(parts[:3]))
    return "|".join(out)


@compile(examples=[3, 0, 6])
def comprehension_rows(n: int) -> int:
    """A comprehension's list moved into its variable, then into another (`moved`), or kept by two names (`grid`)."""
    total = 0
    for k in range(min(n, 20)):
        grid = [[i + k] * 2 for i in range(n % 6)]
        first = grid
        for row in grid:
            total += sum(row)
        total += len(first) * 10 + len(grid)
        rows = [[k, i] for i in range(n % 4)]
        moved = rows
        for r in moved:
            total += r[1] - r[0]
    return total


@compile(examples=[(4, 0, 1, -1), (3, 1, 1, 3), (5, -9, 9, 2), (0, 0, 0, 2), (6, 4, 1, -2), (4, 0, 1, 0)])
def slice_assignment(n: int, a: int, b: int, step: int) -> list[int]:
    # Next permutation (perm[i+1:] = reversed(...)) and a 2-opt reversal; then a[a:b] = ..., self-assignment,
    # insertion, and an extended slice (ValueError when the sizes differ, as CPython).
    m = min(max(n, 0), 5)
    perm = list(range(m))
    seen = 0
    while seen < 30:
        seen += 1
        i = len(perm) - 2
        while i >= 0 and perm[i] >= perm[i + 1]:
            i -= 1
        if i < 0:
            break
        j = len(perm) - 1
        while perm[j] <= perm[i]:
            j -= 1
        perm[i], perm[j] = perm[j], perm[i]
        perm[i + 1:] = reversed(perm[i + 1:])
    tour = list(range(m + 3))
    tour[1:m] = tour[1:m][::-1]
    tour[a:b] = [seen]
    tour[2:2] = perm
    tour[-3:] = tour
    tour[:] = (t * 2 for t in tour[a:])
    tour[::step] = tour[::step][::-1]
    if a > 3:
        tour[::2] = [a]
    return tour
