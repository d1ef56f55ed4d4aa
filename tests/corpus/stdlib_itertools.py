"""Combinatorics and running computations with itertools and functools: brute-force search, dice
distributions, prefix sums, drawdowns, folds, memoised counts."""
import itertools
import math
from typing import Iterator
from functools import cache, lru_cache, partial, reduce
from itertools import (accumulate, combinations, combinations_with_replacement, count, cycle, dropwhile, islice, pairwise, permutations,
                       product, repeat, starmap, takewhile, tee)

from kiln import compile


@compile(examples=[([1, 2, 3, 4, 5], 6), ([], 0), ([2, 2, 2], 6)])
def triples_with_sum(xs: list[int], target: int) -> int:
    return sum(1 for a, b, c in combinations(xs[:30], 3) if a + b + c == target)


@compile(examples=[([3, 1, 4, 1, 5],), ([7],), ([],)])
def closest_pair_gap(xs: list[int]) -> int:
    best = -1
    for a, b in combinations(xs[:60], 2):
        d = abs(a - b)
        if best < 0 or d < best:
            best = d
    return best


@compile(examples=[([0.0, 2.0, 9.0, 10.0, 1.0, 6.0, 5.0, 4.0, 8.0, 3.0, 7.0, 1.0, 4.0, 2.0, 3.0, 6.0],), ([1.0, 2.0],)])
def shortest_tour(dist: list[float]) -> float:
    # Travelling salesman by brute force over 4 cities after city 0 (a 5x5 distance table, padded with 1.0).
    d = [abs(x) for x in dist[:25]] + [1.0] * max(0, 25 - len(dist))
    best = float("inf")
    for p in permutations(range(1, 5), 4):
        length = d[p[0]] + d[p[0] * 5 + p[1]] + d[p[1] * 5 + p[2]] + d[p[2] * 5 + p[3]] + d[p[3] * 5]
        best = min(best, length)
    return best


@compile(examples=[(3,), (1,), (0,)])
def dice_sum_counts(sides: int) -> list[int]:
    s = max(1, min(sides, 12))
    counts = [0] * (3 * s + 1)
    for a, b, c in product(range(1, s + 1), repeat=3):
        counts[a + b + c] += 1
    return counts


@compile(examples=[(2,), (5,)])
def grid_words(n: int) -> int:
    total = 0
    for row, col in itertools.product("abc", range(max(0, n) % 6)):
        total += ord(row) * 10 + col
    return total


@compile(examples=[([3.0, -1.0, 4.0, -1.5, 5.0, -9.0, 2.0],), ([],), ([1.0],)])
def max_drawdown(returns: list[float]) -> float:
    wealth = list(accumulate(returns))
    peaks = list(accumulate(wealth, max))
    worst = 0.0
    for w, p in zip(wealth, peaks):
        worst = max(worst, p - w)
    return worst


@compile(examples=[([1, 2, 3, 4],), ([],)])
def prefix_products(xs: list[int]) -> list[int]:
    return list(accumulate([x % 7 + 1 for x in xs], lambda a, b: a * b % 1000003, initial=1))


@compile(examples=[([1.0, 3.0, 2.0, 5.0, 4.0],), ([2.0],), ([],)])
def ups_and_total_variation(xs: list[float]) -> float:
    ups = sum(1 for a, b in pairwise(xs) if b > a)
    tv = 0.0
    for a, b in pairwise(xs):
        tv += abs(b - a)
    return ups * 1000.0 + tv


@compile(examples=[(100,), (3,), (0,)])
def coin_combinations(amount: int) -> int:
    # Multisets of three coins from 1, 5, 10, 25 that make the amount.
    return sum(1 for c in combinations_with_replacement([1, 5, 10, 25], 3) if c[0] + c[1] + c[2] == amount)


@compile(examples=[(10,), (1,), (1000,)])
def first_triangular_above(limit: int) -> int:
    total = 0
    for k in count(1):
        total += k
        if total > min(limit, 10**9):
            return k
    return -1


@compile(examples=[([4, 8, 6], [1, 2]), ([], [])])
def chained_stats(xs: list[int], ys: list[int]) -> list[int]:
    both = list(itertools.chain(xs, ys, [100]))
    firsts = list(itertools.islice(both, 3))
    odd_positions = list(itertools.islice(both, 1, len(both), 2))
    flat = list(itertools.chain.from_iterable([xs, ys]))
    return both + firsts + odd_positions + flat


@compile(examples=[([12, 18, 24],), ([7],), ([0, 0],)])
def gcd_of_all(xs: list[int]) -> int:
    return reduce(math.gcd, xs, 0)


@compile(examples=[([3, 1, 2],), ([],)])
def digits_as_number(ds: list[int]) -> int:
    return reduce(lambda acc, d: acc * 10 + d % 10, ds[:15])


def poly(a: float, b: float, c: float, x: float) -> float:
    return (a * x + b) * x + c


@compile(examples=[(0.5,), (-2.0,)])
def evaluate_fixed_poly(x: float) -> float:
    f = partial(poly, 1.0, -3.0)
    return f(2.0, x) + partial(poly, 2.0, 0.0, 1.0)(x)


@lru_cache(maxsize=None)
def lattice_paths(r: int, c: int) -> int:
    if r == 0 or c == 0:
        return 1
    return lattice_paths(r - 1, c) + lattice_paths(r, c - 1)


@compile(examples=[(4, 4), (0, 3), (6, 2)])
def count_lattice_paths(r: int, c: int) -> int:
    return lattice_paths(max(0, r) % 8, max(0, c) % 8)


@compile(examples=[([5, 9, 1],), ([2],)])
def labelled(xs: list[int]) -> list[int]:
    out: list[int] = []
    for label, x in zip(count(100, 10), xs):
        out.append(label + x)
    for x, k in zip(xs, itertools.repeat(3)):
        out.append(x * k)
    return out


@cache
def fib_memo(n: int) -> int:
    if n < 2:
        return n
    return fib_memo(n - 1) + fib_memo(n - 2)


@compile(examples=[(90,), (300,), (1,)])
def memo_fibonacci(n: int) -> int:
    # Exponential without the memo table; past fib(92) the big-int twin runs with a table of its own.
    return fib_memo(min(max(n, 0), 300))


@lru_cache(maxsize=64)
def grid_routes(r: int, c: int, blocked: str) -> int:
    if r < 0 or c < 0 or str((r * 7 + c) % 10) in blocked:
        return 0
    if r == 0 and c == 0:
        return 1
    return (grid_routes(r - 1, c, blocked) + grid_routes(r, c - 1, blocked)) % 1000000007


@compile(examples=[(12, 12, "3"), (40, 40, "39"), (5, 0, "")])
def bounded_memo_routes(r: int, c: int, blocked: str) -> int:
    # A bounded LRU table (evicting as CPython's lru_cache does) with a str in the key.
    return grid_routes(min(max(r, 0), 40), min(max(c, 0), 40), blocked[:3])


@lru_cache(maxsize=None)
def sign_memo(x: float) -> float:
    return math.copysign(1.0, x)


@compile(examples=[(0.0,), (-2.5,)])
def memo_float_keys(x: float) -> float:
    # -0.0 == 0.0 is one key (CPython answers sign_memo(-0.0) from 0.0's entry); a NaN is never found.
    return sign_memo(0.0) * 10 + sign_memo(-0.0) + sign_memo(x) * 100 + sign_memo(-float("nan"))


@compile(examples=[(12, 12, "3"), (40, 40, "39"), (5, 0, "")])
def memo_lru_counts(r: int, c: int, blocked: str) -> tuple[int, int, int, int]:
    # cache_info() of a bounded table that evicted: CPython's hits, misses and size, through every LRU decision.
    grid_routes.cache_clear()
    rr, cc = min(max(r, 0), 40), min(max(c, 0), 40)
    n = grid_routes(rr, cc, blocked[:3])
    grid_routes(rr, cc, blocked[:3])
    hits, misses, maxsize, size = grid_routes.cache_info()
    info = grid_routes.cache_info()
    return n, hits + info.hits - info[0], misses * 1000 + maxsize, size


@lru_cache(maxsize=None, typed=True)
def scaled(x: float) -> float:
    return x * 1.5


@compile(examples=[(3,), (0,), (25,)])
def memo_typed_counts(n: int) -> tuple[int, int, int, bool]:
    # Two specialisations (int and float keys, kept apart by typed=True) count as CPython's one cache.
    scaled.cache_clear()
    t = 0.0
    for i in range(min(max(n, 0), 30)):
        t += scaled(i % 4) + scaled(float(i % 3))
    info = scaled.cache_info()
    return info.hits, info.misses, info.currsize, info.maxsize is None


@compile(examples=[([3, 1, 4, 1, 5, 9, 2, 6], 5), ([], 0), ([7, 8], 1)])
def prefix_and_rises(xs: list[int], limit: int) -> tuple[int, int, int]:
    # takewhile/dropwhile stop calling the predicate where CPython's do; starmap spreads each pair into a lambda.
    head = list(takewhile(lambda v: v < limit, xs))
    tail = dropwhile(lambda v: v < limit, xs)
    rises = sum(starmap(lambda a, b: 1 if b > a else 0, pairwise(xs)))
    return len(head), sum(tail) % 1000003, rises


@compile(examples=[([3, 1, 4, 1, 5, 9, 2, 6],), ([],), ([7],)])
def one_pass_reads(xs: list[int]) -> tuple[int, int, int, int]:
    # Each one-shot iterator read once from its start: stored then looped over, zipped, sorted, fed to another iterator.
    xs = [x % 1000 for x in xs[:40]]
    steps = pairwise(xs)
    rises = 0
    for a, b in steps:
        if b > a:
            rises += 1
    firsts = sorted(itertools.islice(xs, 5))
    paired = sum(a * b for a, b in zip(takewhile(lambda v: v < 900, xs), dropwhile(lambda v: v < 400, xs)))
    back = reversed(xs[:3])
    running = list(accumulate(itertools.chain(xs[:3], back)))
    return rises, paired, sum(firsts), sum(running)


@compile(examples=[([2, 3, 5, 7],), ([1],), ([4, -6, 0, 9, 9],)])
def best_pair_product(xs: list[int]) -> tuple[int, int]:
    pairs = combinations([x % 1000 for x in xs[:12]], 2)
    products = starmap(lambda a, b: a * b, pairs)
    best = max(products, default=-1)
    ordered = [p for p in itertools.product(xs[:3], repeat=2)]
    return best, len(ordered)


# A consumer that stops early: the compiled takewhile, starmap, accumulate and islice are generators inlined into the
# loop, so, as CPython's lazy iterators, they call the user's function on no item past where the loop stopped (the
# items after it would raise ZeroDivisionError).
@compile(examples=[([5, 2, 0, 1], 3), ([1, 2], 9), ([4, 0], 4), ([], 0)])
def first_over_limit(budgets: list[int], limit: int) -> int:
    for b in takewhile(lambda x: 100 // x > 1, budgets[:50]):
        if b > limit:
            return b
    return -1


@compile(examples=[([6, 9, 1], [2, 1, 0], 2), ([1, 4], [1, 0], 5), ([], [], 0)])
def first_big_ratio(totals: list[int], counts: list[int], bound: int) -> int:
    pairs = [(t, c) for t, c in zip(totals[:50], counts)]
    for q in starmap(lambda t, c: t // c, pairs):
        if q > bound:
            return q
    return -1


@compile(examples=[([4, 2, 0, 2], 10), ([4, 5, 0, 2], 30), ([1, 2, 3], 1000), ([3, 0], 1), ([], 5)])
def growth_until_cap(rates: list[int], cap: int) -> int:
    best = 0
    for level in accumulate(rates[:50], lambda acc, r: acc * 10 // r):
        if level > cap:
            break
        best = level
    return best


@compile(examples=[([1, 2, 0],), ([1, 2, 4, 8, 0],), ([2, 4, 0],), ([0],), ([],)])
def head_reciprocals(xs: list[int]) -> tuple[float, list[float]]:
    first_two = sum(islice((1.0 / x for x in xs), 2))
    odd = islice((1.0 / x for x in xs[:50]), 1, 4, 2)
    picked = []
    for v in odd:
        picked.append(v)
    return first_two, picked


# chain, dropwhile and pairwise are lazy: a loop that stops early computes no later item (the items after it would
# raise ZeroDivisionError), as CPython's iterators.
@compile(examples=[([5, 2, 0, 1], [3, 0]), ([1, 2], []), ([], [4, 0]), ([50, 40, 3, 1, 0], [1])])
def lazy_chain_pairs(xs: list[int], ys: list[int]) -> int:
    t = 0
    for v in itertools.chain((100 // x for x in xs[:50]), (7 // y for y in ys[:50])):
        if v < 30:
            t += v
            break
    for a, b in pairwise(dropwhile(lambda v: v > 30, (100 // x for x in xs[:50]))):
        if b > a:
            return t * 1000 + a * 10 + b
    return t


# A one-shot iterator read item by item (next(), a second pass, a loop that stopped) is a generator object: a later
# pass continues where the earlier one stopped, or finds it exhausted, as CPython's.
@compile(examples=[([5, 2, 0, 1],), ([],), ([7, 3, 9, 1, 4],)])
def second_passes(xs: list[int]) -> list[int]:
    squares = map(lambda v: v * v, xs[:50])
    first = list(squares)
    again = list(squares)
    big = filter(lambda v: v > 2, xs[:50])
    head = next(big, -1)
    pairs = itertools.combinations(xs[:8], 2)
    n = 0
    for p in pairs:
        n += 1
        if p[0] > p[1]:
            break
    return [len(first), len(again), head, sum(big), n, len(list(pairs)), len(list(pairs))]


# islice with None for start, stop or step (no stop: read to the end), over a list and a generator expression.
@compile(examples=[([4, 8, 1, 6, 3],), ([],), ([2],)])
def open_slices(xs: list[int]) -> list[int]:
    out = list(islice(xs, None))
    out += list(islice(xs, None, 2))
    out += list(islice(xs, 1, None, 2))
    stop = None if len(xs) > 3 else 1
    out += list(islice(xs, 1, stop))
    for a, b in zip(xs, islice((v * 2 for v in xs), 2, None)):
        out.append(a - b)
    return out


def ticks(n: int, log: list[str]):
    for i in range(n):
        log.append(f"t{i}")
        yield i


# count(), cycle() and repeat() given to another iterator: made where CPython makes them (their arguments evaluated
# then), read as that iterator reads them (a cycle of a generator pulls it on its first pass only).
@compile(examples=[(3,), (0,), (-2,)])
def endless_sliced(n: int) -> str:
    log: list[str] = []
    log.append(str(list(islice(count(n, 2), 1, 9, 3))))
    log.append(str(list(takewhile(lambda x: x < 2.0, count(n * 0.5, 0.25)))))
    log.append(str(list(islice(cycle(ticks(min(abs(n), 50), log)), 2 * abs(n) + 1))))
    log.append(str(list(islice(repeat(n), 3))))
    for a, b in zip(ticks(3, log), cycle(str(n))):
        log.append(f"{a}{b}")
    log.append(str(list(islice((x * x for x in count(n)), 3))))
    return " ".join(log)


# count(), repeat(), cycle() held by variables and read item by item (next(), a loop that breaks, then next() again),
# map() over count() read by next(), tee() copies of count() each read partly, zip() with count() before a generator
# (CPython's zip asks count first, then the generator, and stops at the generator's end).
@compile(examples=[(3,), (0,), (-2,)])
def endless_by_next(n: int) -> str:
    log: list[str] = []
    k = min(abs(n), 50)
    c = count(5, 2)
    got = [next(c) for _ in range(2)]
    for x in c:
        got.append(x)
        if x > 10 + k:
            break
    got.append(next(c))
    m = map(lambda v: v * v, count(k))
    got += [next(m) for _ in range(2)]
    a, b = tee(count(n))
    got += [next(a) for _ in range(3)]
    got += [x for x, _ in zip(b, range(2))]
    r, cy = repeat(n, 2), cycle("ab")
    log.append("".join([str(next(r, -9)) + next(cy) for _ in range(3)]))
    for i, t in zip(count(k), ticks(min(k, 3), log)):
        log.append(f"{i}:{t}")
    return str(got) + " " + " ".join(log)


# One variable rebound to iterators over items of another type (iter(), tee()), and a map() made over the first
# iterator, which keeps reading it after the name is rebound.
@compile(examples=[([1, 2, 3], "xyz"), ([4], "")])
def iterators_rebound(xs: list[int], s: str) -> str:
    it = iter(xs)
    rests = map(lambda v: v % 7, it)
    head = next(it, -1)
    it = iter(s)
    out = [str(head), next(it, "-"), str(next(rests, 0))]
    a, b = tee(xs)
    out.append(str([next(a, 0) for _ in range(2)] + [next(b, 0)]))
    a, b = tee(s)
    out.append("".join([next(b, ".") for _ in range(2)]) + next(a, "."))
    return " ".join(out)


# count() held by a variable of a generator compiled as its own frames (an entry the caller iterates, a generator
# method): each next() advances it, across the generator's yields. An id allocator handing out ids in steps, an int
# count with a float step (its first id stays an int, as CPython's), and keyword arguments.
@compile(examples=[(4, 7), (0, 1), (3, -2)])
def id_allocator(n: int, step: int) -> Iterator[str]:
    ids = count(100, max(-50, min(step, 50)))
    serial = itertools.count()
    halves = count(step=0.5, start=n % 1000)
    for i in range(min(n, 40)):
        if i % 3 == 2:
            next(ids)  # an id thrown away
        yield f"{next(serial)}:u{next(ids)}/{next(halves)}"


class RoundRobin:
    """Jobs handed to workers in turn (cycle), each with a ticket number (count)."""

    def __init__(self, workers: list[str], first_ticket: int):
        self.workers = workers
        self.first_ticket = first_ticket

    def assign(self, jobs: list[str]):
        turn = cycle(self.workers)
        ticket = count(self.first_ticket)
        for job in jobs:
            yield (next(turn), job, next(ticket))


# A round-robin scheduler: a generator method holding cycle() and count() and reading them with next(). With no
# workers, next() on the empty cycle ends it inside the generator: CPython's RuntimeError (PEP 479).
@compile(examples=[(["ann", "bob", "cy"], 7), (["solo"], 2), ([], 3)])
def round_robin(workers: list[str], jobs: int) -> str:
    rr = RoundRobin(workers, 1000)
    names = [f"job{j}" for j in range(min(abs(jobs), 40))]
    per: dict[str, int] = {}
    out: list[str] = []
    try:
        for w, job, t in rr.assign(names):
            per[w] = per.get(w, 0) + 1
            out.append(f"{job}->{w}#{t}")
    except RuntimeError as e:
        out.append(f"RuntimeError: {e}")
    return " ".join(out) + " " + str(sorted(per.items()))


# Tuples whose length is known only at run time (tuple[int, ...]): permutations(xs) without r, a run-time r,
# tuple(iterable), and + with fixed tuples (a brute-force tour: (0,) + p + (0,)).
@compile(examples=[(4,), (1,), (0,)])
def tour(n: int) -> tuple[int, str, int]:
    k = min(abs(n), 4)
    dist = [[(i * 7 + j * 3) % 11 for j in range(k + 1)] for i in range(k + 1)]
    best = 10**9
    first: tuple[int, ...] = ()
    for p in permutations(range(1, k + 1)):
        path = (0,) + p + (0,)
        d = sum(dist[a][b] for a, b in zip(path, path[1:]))
        if d < best:
            best, first = d, path
    sized = [len(c) for r in range(-1, 4) if r >= 0 for c in combinations(range(k), r)]
    return best, repr(first) + repr(tuple(range(n % 3))), sum(sized)


@compile(examples=[([3, 1, 2, 3, 1],), ([],), ([5],)])
def sorted_prefixes(xs: list[int]) -> list[tuple[int, int, int]]:
    seen: dict[tuple[int, ...], int] = {}
    for i in range(len(xs)):
        key = tuple(sorted(xs[: i + 1]))
        seen[key] = seen.get(key, 0) + 1
    for c in combinations(range(3), len(xs) % 3):
        seen[c] = seen.get(c, 0) + 10
    return [(len(k), hash(k) % 1000, v) for k, v in seen.items()]


@compile(examples=[((1, 2, 3), 1), ((), 0), ((4,), 7), ((1, 2), -1)])
def rotate(t: tuple[int, ...], k: int) -> tuple[tuple[int, ...], bool, int]:
    u = t[k % len(t):] + t[: k % len(t)] if t else t
    return u * 2, u < t or u == (1, 2) or t >= (1,), t.index(u[0]) if u else t.count(0)


@compile(examples=[(3,), (5,), (-1,)])
def tuple_errors(n: int) -> str:
    t = tuple(range(min(n, 6)))
    try:
        return str(t[n])
    except IndexError as e:
        out = str(e)
    try:
        a, b = t
        out += f" {a}{b}"
    except ValueError as e:
        out += f" {e}"
    try:
        out += str(t.index(7))
    except ValueError as e:
        out += f" {e}"
    try:
        list(combinations(range(3), n - 4))
    except ValueError as e:
        out += f" {e}"
    return out
