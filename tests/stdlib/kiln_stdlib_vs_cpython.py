"""Kiln's Python source of heapq, bisect, itertools and functools (resources/python/kiln_stdlib) run by CPython
next to CPython's own modules on seeded random inputs: every result, and every list a function changes, must
have the same repr. Prints one line per kind of difference (nothing when they all agree), then a count.
NaN is left out of nsmallest/nlargest: their order with NaN among the items follows the sort, which is
documented to differ (README)."""
import bisect
import functools
import heapq
import importlib.util
import itertools
import math
import random
import sys

ROOT = sys.argv[1]


def load(name):
    spec = importlib.util.spec_from_file_location("kiln_" + name, f"{ROOT}/resources/python/kiln_stdlib/{name}.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


kh, kb, ki, kf = load("heapq"), load("bisect"), load("itertools"), load("functools")
rnd = random.Random(20261205)
seen = {}
checks = 0


def same(tag, ours, theirs):
    global checks
    checks += 1
    if repr(ours) != repr(theirs) and tag not in seen:
        seen[tag] = (ours, theirs)


def outcome(f):
    try:
        return ("ok", f())
    except Exception as e:  # the exception's type and message are part of the result
        return (type(e).__name__, str(e))


VALUES = [0.0, -0.0, 1.0, 2.0, 3.0, -1.5, math.inf, -math.inf, math.nan, 1, 0, 2, -3]
for trial in range(2000):
    n = rnd.randrange(0, 12)
    pool = [rnd.choice(VALUES) for _ in range(n)] if trial % 3 else [rnd.randrange(-5, 6) for _ in range(n)]
    finite = [x for x in pool if x == x]
    k = rnd.randrange(-2, 14)
    for key in (None, abs):
        kw = {} if key is None else {"key": key}
        same("nsmallest", kh.nsmallest(k, finite, **kw), heapq.nsmallest(k, finite, **kw))
        same("nlargest", kh.nlargest(k, finite, **kw), heapq.nlargest(k, finite, **kw))
    ours, theirs = list(pool), list(pool)
    kh.heapify(ours)
    heapq.heapify(theirs)
    same("heapify", ours, theirs)
    for x in pool[:6]:
        kh.heappush(ours, x)
        heapq.heappush(theirs, x)
        same("heappush", ours, theirs)
        same("heappushpop", kh.heappushpop(ours, x), heapq.heappushpop(theirs, x))
        same("heapreplace", outcome(lambda: kh.heapreplace(ours, x)), outcome(lambda: heapq.heapreplace(theirs, x)))
        same("heappop", outcome(lambda: kh.heappop(ours)), outcome(lambda: heapq.heappop(theirs)))
        same("heap after", ours, theirs)
    same("heappop empty", outcome(lambda: kh.heappop([])), outcome(lambda: heapq.heappop([])))
    s = sorted(finite)
    for x in pool[:4]:
        lo = rnd.randrange(-1, len(s) + 1)
        hi = rnd.randrange(max(lo, 0), len(s) + 1)
        same("bisect_left", outcome(lambda: kb.bisect_left(s, x, lo, hi)), outcome(lambda: bisect.bisect_left(s, x, lo, hi)))
        same("bisect_right", outcome(lambda: kb.bisect_right(s, x, lo)), outcome(lambda: bisect.bisect_right(s, x, lo)))
        same("bisect key", kb.bisect(s, x, key=abs), bisect.bisect(s, x, key=abs))
        a, b = list(s), list(s)
        kb.insort_left(a, x, key=abs)
        bisect.insort_left(b, x, key=abs)
        same("insort_left key", a, b)
        kb.insort(a, x, 1 if a else 0)
        bisect.insort(b, x, 1 if b else 0)
        same("insort lo", a, b)
    r = rnd.randrange(1, 5)
    same("combinations", getattr(ki, f"combinations__{r}")(pool[:7], r), list(itertools.combinations(pool[:7], r)))
    same("permutations", getattr(ki, f"permutations__{r}")(pool[:6], r), list(itertools.permutations(pool[:6], r)))
    same("combinations_with_replacement", getattr(ki, f"combinations_with_replacement__{r}")(pool[:5], r),
         list(itertools.combinations_with_replacement(pool[:5], r)))
    same("product repeat", getattr(ki, f"product__{r}r")(pool[:4], r), list(itertools.product(pool[:4], repeat=r)))
    same("product", ki.product__3(pool[:3], pool[2:5], pool[:2]), list(itertools.product(pool[:3], pool[2:5], pool[:2])))
    same("accumulate", list(ki.accumulate(pool)), list(itertools.accumulate(pool)))
    same("accumulate max", list(ki.accumulate(pool, max)), list(itertools.accumulate(pool, max)))
    same("accumulate initial", list(ki.accumulate__initial(pool, initial=3)), list(itertools.accumulate(pool, initial=3)))
    same("pairwise", list(ki.pairwise(pool)), list(itertools.pairwise(pool)))
    cut = rnd.choice(pool) if pool else 0
    same("takewhile", outcome(lambda: list(ki.takewhile(lambda v: v < cut, pool))), outcome(lambda: list(itertools.takewhile(lambda v: v < cut, pool))))
    same("dropwhile", outcome(lambda: list(ki.dropwhile(lambda v: v < cut, pool))), outcome(lambda: list(itertools.dropwhile(lambda v: v < cut, pool))))
    seen_ours, seen_theirs = [], []
    same("dropwhile calls", list(itertools.islice(ki.dropwhile(lambda v: seen_ours.append(v) or v < cut, pool), 2)) + seen_ours,
         list(itertools.islice(itertools.dropwhile(lambda v: seen_theirs.append(v) or v < cut, pool), 2)) + seen_theirs)
    same("starmap", outcome(lambda: list(ki.starmap(max, ki.pairwise(pool)))), outcome(lambda: list(itertools.starmap(max, itertools.pairwise(pool)))))
    same("chain", list(ki.chain__3(pool, finite, pool[:2])), list(itertools.chain(pool, finite, pool[:2])))
    same("chain.from_iterable", list(ki.chain_from_iterable([pool, finite])), list(itertools.chain.from_iterable([pool, finite])))
    start, stop, step = rnd.randrange(-1, 6), rnd.randrange(-1, 14), rnd.randrange(0, 4)
    same("islice 2", outcome(lambda: (ki.islice__2__check(stop), list(ki.islice__2(pool, stop)))[1]), outcome(lambda: list(itertools.islice(pool, stop))))
    same("islice 4", outcome(lambda: (ki.islice__4__check(start, stop, step), list(ki.islice__4(pool, start, stop, step)))[1]), outcome(lambda: list(itertools.islice(pool, start, stop, step))))
    # The items islice reads from an iterator (a generator's items past them are never computed): what is left after it.
    ours, theirs = iter(pool), iter(pool)
    same("islice reads", outcome(lambda: (ki.islice__4__check(start, stop, step), list(ki.islice__4(ours, start, stop, step)), list(ours))[1:]),
         outcome(lambda: (list(itertools.islice(theirs, start, stop, step)), list(theirs))))
    same("reduce", outcome(lambda: kf.reduce__2(lambda a, b: a * 2 - b, pool)), outcome(lambda: functools.reduce(lambda a, b: a * 2 - b, pool)))
    same("reduce initial", kf.reduce(max, pool, -9), functools.reduce(max, pool, -9))
    same("partial", kf.partial__2(max, 1, 2)(*pool[:2]), functools.partial(max, 1, 2)(*pool[:2]))
    # groupby over finite items: CPython's groups of NaN keys depend on object identity (README).
    same("groupby", [(k, list(g)) for k, g in ki.groupby(finite)], [(k, list(g)) for k, g in itertools.groupby(finite)])

    # The groups are lazy: the items a consumer leaves unread are keyed only when the groupby moves on, as CPython's.
    def grouped(gb, how, upto):
        keyed, out = [], []
        for k, g in gb(finite, lambda v: keyed.append(v) or v // 2):
            out.append(k if how == 0 else next(g) if how == 1 else sum(g))
            if len(out) > upto:
                break
        return out, keyed
    how, upto = rnd.randrange(3), rnd.randrange(4)
    same("groupby lazy", grouped(ki.groupby, how, upto), grouped(itertools.groupby, how, upto))
    same("zip_longest", list(ki.zip_longest__3(pool, finite, pool[:3], fillvalue=-1)), list(itertools.zip_longest(pool, finite, pool[:3], fillvalue=-1)))
    same("zip_longest None", list(ki.zip_longest__2(pool[:2], finite)), list(itertools.zip_longest(pool[:2], finite)))
    same("tee", [list(t) for t in ki.tee__3(pool, 3)], [list(t) for t in itertools.tee(pool, 3)])
    runs = [finite[:3], finite[3:7], finite[7:]]
    for rev in (False, True):
        same("merge", list(kh.merge__3(*runs, key=abs, reverse=rev)), list(heapq.merge(*runs, key=abs, reverse=rev)))
        # The keys merge calls while a consumer reads a prefix (CPython keys an item when it reads it).
        ours, theirs, upto = [], [], rnd.randrange(0, 8)
        same("merge keys", (list(itertools.islice(kh.merge__3(*runs, key=lambda v: ours.append(v) or abs(v), reverse=rev), upto)), ours),
             (list(itertools.islice(heapq.merge(*runs, key=lambda v: theirs.append(v) or abs(v), reverse=rev), upto)), theirs))
        same("merge sorted", list(kh.merge__2(sorted(runs[0]), sorted(runs[1]), reverse=rev)), list(heapq.merge(sorted(runs[0]), sorted(runs[1]), reverse=rev)))
        cmp = (lambda a, b: (abs(a) > abs(b)) - (abs(a) < abs(b))) if rev else (lambda a, b: rnd.choice((-1, 0, 1)))
        state = rnd.getstate()
        ours = list(pool)
        kf._sort_by_cmp(ours, cmp, rev)
        rnd.setstate(state)
        same("sort cmp_to_key", ours, sorted(pool, key=functools.cmp_to_key(cmp), reverse=rev))

for tag, (ours, theirs) in seen.items():
    print(f"{tag}: kiln {ours!r} cpython {theirs!r}")
print(f"{checks} checks")
