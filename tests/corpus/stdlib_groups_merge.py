"""Runs, merges and orderings: run-length encoding and bucketing with groupby, column padding with zip_longest,
round-robin with cycle, look-ahead with tee, k-way merges with heapq.merge, comparator sorts with cmp_to_key,
a @total_ordering version class, and complex numbers held in dicts and nested lists (impedances, a 2x2 matrix)."""
import heapq
from functools import cmp_to_key, total_ordering
from itertools import cycle, groupby, islice, pairwise, tee, zip_longest

from kiln import compile


@compile(examples=[("aaabccddddx",), ("",), ("z",)])
def run_length(text: str) -> str:
    return "".join(f"{len(list(g))}{k}" for k, g in groupby(text))


@compile(examples=[([3, 14, 15, 9, 26, 53, 58, 97, 93, 23],), ([],)])
def bucket_sums(xs: list[int]) -> list[int]:
    # Consecutive items in the same bucket of ten: [bucket, count, total] for each run, flattened.
    out = []
    for bucket, items in groupby(xs[:50], key=lambda v: v // 10):
        total = 0
        n = 0
        for x in items:
            total += x
            n += 1
        out += [bucket, n, total]
    return out


@compile(examples=[([40, 50, 3, 0],), ([3, 0],), ([7, 8, 9],), ([],)])
def first_shared_share(budgets: list[int]) -> int:
    # The first share of 60 that two neighbours in a row get: groupby is lazy, so the budgets after that run are
    # never keyed (60 // 0 would raise ZeroDivisionError), as in CPython.
    for share, members in groupby(budgets[:50], key=lambda b: 60 // b):
        if len(list(members)) >= 2:
            return share
    return -1


# Groups are lazy iterators over the items: a body that leaves a group unread or reads one item of it with next()
# keys only the items CPython keys (the key raises ZeroDivisionError on a 0 the loop never reaches in CPython).
@compile(examples=[([4, 4, 5, 1, 0, 2], 2), ([3, 3, 3, 0], 0), ([6, 0, 0], 1), ([2, 2, 1, 1, 0], 1), ([], 3)])
def first_runs(xs: list[int], wanted: int) -> list[int]:
    out: list[int] = []
    for k, g in groupby(xs[:50], key=lambda v: 12 // v):
        if k > 5:
            out.append(next(g) * 100 + next(g, -1))
        elif wanted > 0:
            out.append(sum(g))
        else:
            out.append(k)
        if len(out) >= max(wanted, 1):
            break
    return out


# merge() keys an item when it reads it, and zip_longest() reads its first (generator) iterable one item per tuple:
# a loop that stops early reaches no item whose key or computation raises.
@compile(examples=[([1, 4, 0], [2, 3, 0], 2), ([5, 6], [1], 9), ([0], [], 0), ([2, 0, 1], [9, 8], 1)])
def early_merge_columns(a: list[int], b: list[int], stop: int) -> list[int]:
    out: list[int] = []
    for v in heapq.merge(a[:50], b[:50], key=lambda v: 60 // v):
        out.append(v)
        if v >= stop:
            break
    for p, q in zip_longest((12 // x for x in a[:50]), b[:50], fillvalue=-1):
        out.append(p * 10 + q)
        if p < 5:
            break
    return out


@compile(examples=[([1, 2, 3], [10, 20], [7]), ([], [], [5, 6])])
def padded_columns(a: list[int], b: list[int], c: list[int]) -> str:
    rows = [f"{x}|{y}|{z}" for x, y, z in zip_longest(a[:20], b[:20], c[:20], fillvalue=0)]
    missing = sum(1 for x, y in zip_longest(a[:20], b[:20]) if x is None or y is None)
    return ";".join(rows) + f" missing={missing}"


@compile(examples=[(["ann", "bob", "cy"], 7), ([], 3), (["solo"], 0)])
def round_robin(workers: list[str], jobs: int) -> str:
    out = []
    for job, who in zip(range(min(jobs, 50)), cycle(workers)):
        out.append(f"{job}:{who}")
    return ",".join(out)


@compile(examples=[([1, 3, 2, 5, 4],), ([],), ([7],)])
def rises_and_total(xs: list[int]) -> str:
    steps, values = tee(xs[:50])
    rises = sum(1 for a, b in pairwise(steps) if b > a)
    return f"{rises} {sum(values)}"


@compile(examples=[([1, 4, 9], [2, 3, 10], [0, 11]), ([], [5], [])])
def merged_runs(a: list[int], b: list[int], c: list[int]) -> list[int]:
    # CPython's merge on unsorted inputs too: the order is its heap's, ties to the earlier iterable.
    return list(heapq.merge(a[:20], b[:20], c[:20]))


@compile(examples=[(["pear", "fig", "banana"], ["kiwi", "apple"]), ([], ["a"])])
def merged_by_length(a: list[str], b: list[str]) -> str:
    longest_first = [s for s in heapq.merge(sorted(a[:20], key=len, reverse=True), b[:20], key=len, reverse=True)]
    return ",".join(longest_first)


def by_parity_then_desc(x: int, y: int) -> int:
    if x % 2 != y % 2:
        return x % 2 - y % 2
    return (y > x) - (y < x)


@compile(examples=[([5, 2, 8, 1, 9, 4],), ([],), ([3, 3, 2],)])
def comparator_sort(xs: list[int]) -> list[int]:
    ys = sorted(xs[:100], key=cmp_to_key(by_parity_then_desc))
    ys.sort(key=cmp_to_key(lambda p, q: (p % 3) - (q % 3)), reverse=True)
    return ys


@total_ordering
class Version:
    def __init__(self, major: int, minor: int):
        self.major = major
        self.minor = minor

    def __eq__(self, other):
        return self.major == other.major and self.minor == other.minor

    def __lt__(self, other):
        return self.major < other.major or (self.major == other.major and self.minor < other.minor)


@compile(examples=[(1, 2, 1, 10), (3, 0, 2, 9), (4, 4, 4, 4)])
def version_order(a: int, b: int, c: int, d: int) -> str:
    x = Version(a, b)
    y = Version(c, d)
    ordered = sorted([x, y, Version(b, a)], key=cmp_to_key(lambda p, q: -1 if p < q else (1 if p > q else 0)))
    names = " ".join(f"{v.major}.{v.minor}" for v in ordered)
    return f"{x < y} {x <= y} {x > y} {x >= y} {x != y} {names}"


@compile(examples=[(50.0, 0.01, 1e-4), (1.0, 0.0, 1.0)], signatures=[(float, float, float)])
def impedances(r: float, l: float, c: float) -> str:
    # Series RLC at three frequencies, kept by name; the total and the largest magnitude.
    z: dict[str, complex] = {}
    for name, w in [("low", 10.0), ("mid", 1000.0), ("high", 100000.0)]:
        z[name] = complex(r, w * l) + (1 / complex(0.0, w * c) if c != 0 else 0j)
    total = sum(z.values())
    biggest = max(z, key=lambda k: abs(z[k]))
    return f"{z} {total} {biggest}"


@compile(examples=[(1.0, 2.0, 0.5, -1.0), (0.0, 0.0, 0.0, 0.0)], signatures=[(float, float, float, float)])
def complex_matrix(a: float, b: float, c: float, d: float) -> list[list[complex]]:
    # The square of a 2x2 complex matrix and its determinant (a list of lists of complex across the boundary).
    m = [[complex(a, b), complex(c, d)], [complex(-d, c), complex(b, -a)]]
    sq = [[m[i][0] * m[0][j] + m[i][1] * m[1][j] for j in range(2)] for i in range(2)]
    det = sq[0][0] * sq[1][1] - sq[0][1] * sq[1][0]
    return sq + [[det], []]


@compile(examples=[({"r1": 1 + 2j, "c1": -3j},), ({},)])
def admittances(z: dict[str, complex]) -> dict[str, complex]:
    # 1/z of each named impedance (ZeroDivisionError as CPython for 0j), the dict passed in and out.
    return {name: 1 / v for name, v in z.items()}


@compile(examples=[([1, 3, 2, 5, 4],), ([],), ([7],)])
def tee_read_again(xs: list[int]) -> str:
    # A copy of tee read item by item: next() then the rest, then again (empty, as CPython's); the other keeps all.
    ahead, kept = tee(xs[:50])
    first = next(ahead, -1)
    rest = list(ahead)
    return f"{first} {rest} {list(ahead)} {sum(kept)} {sum(kept)}"


def logged_digits(n: int, log: list[str]):
    # A generator that says when it runs: the compiled readers must pull it exactly when CPython's do.
    while n > 0:
        log.append("d")
        yield n % 10
        n //= 10


@compile(examples=[(1122334,), (0,), (-90817,), (98765,)])
def lazy_readers_log(n: int) -> str:
    # groupby over map() of a generator: each item is made, mapped and keyed when CPython's groupby reads it (a
    # group left unread is skipped when the loop moves on; a break leaves the rest unread). Then copies of tee over
    # a generator read in CPython's interleaving: the copy ahead pulls the generator, the other reads the kept items.
    log: list[str] = []

    def tag(d: int) -> int:
        log.append("m")
        return d // 2

    for k, g in groupby(map(tag, logged_digits(abs(n), log)), key=lambda d: d % 3):
        log.append(f"k{k}:{next(g)}")
        if len(log) > 10:
            break
    # A generator expression given to groupby: its items made (tag called) as the groups are read.
    for k, g in groupby(tag(d) for d in [n % 10, n % 9, n % 8, n % 4]):
        log.append(f"g{k}:{len(list(g))}")
    # zip() of a generator expression over a generator and a shorter str: the generator runs when the groupby reads
    # zip's next item, and again after the str ended (CPython's zip asks each iterable at every read).
    for z, pairs in groupby(zip((d // 4 for d in logged_digits(abs(n) % 10000, log) if d != 5), "ab"), key=lambda p: p[1]):
        log.append(f"z{z}{len(list(pairs))}")
    # (past 4 items read by both, the items both have read are dropped from the buffer: a reads on after that.)
    a, b = tee(logged_digits(abs(n) // 10, log))
    next(b, None)
    for x, y in zip(a, islice(b, 0, 3)):
        log.append(f"{x}>{y}")
    log.append(f"rest {list(a)}")
    # list.extend appends each item as the generator makes it: the generator sees the list grow.
    log.extend(f"n{len(log)}" for _ in range(2))
    return " ".join(log)



@compile(examples=[(1122334,), (0,), (98765,)])
def tee_of_zips(n: int) -> str:
    # tee() of zip() over a generator: the generator runs when a copy reads past the other (zip asks it again at
    # the end, as CPython's).
    log: list[str] = []
    a, b = tee(zip(logged_digits(abs(n), log), "abcde"))
    log.append(str(next(a, (-1, "-"))))
    log.append(str(list(b)))
    return " ".join(log)


@compile(examples=[(1122334,), (0,), (-5501,)])
def groups_of_two_types(n: int) -> str:
    # Two groupby loops binding the same names to groups of ints, then of strs, read with next().
    log: list[str] = []
    for k, g in groupby([n % 7, n % 7, n % 3]):
        log.append(f"{k}:{next(g)}")
    for k, g in groupby(str(n) + "aab"):
        log.append(f"{k}:{next(g)}")
    return " ".join(log)


@compile(examples=[(1122334,), (0,), (98765,)])
def walrus_readers(n: int) -> str:
    # := in a generator expression read item by item (by groupby): it binds in this function as each item is made.
    log: list[str] = []
    last = -1
    for k, g in groupby((last := d) % 2 for d in logged_digits(abs(n), log)):
        log.append(f"{k}{last}{next(g)}{last}")
    return f"{' '.join(log)} {last}"
