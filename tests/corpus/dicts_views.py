"""Dicts and sets handed to builtins (sorted, sum, min, max, list, set, len), str values, the empty-set errors, sorted()
of item tuples, d.get(k, []) and del of list items and slices, str()/repr() of dicts, sets, tuples and lists,
and the order of sets copied or combined (set(s), set(d), s.copy(), | & - ^ and their in-place forms)."""
from collections import Counter, OrderedDict, deque

from kiln import compile


@compile(examples=["pear apple fig apple", "", "b a"])
def sorted_vocabulary(text: str) -> str:
    counts = {}
    for w in text.split():
        counts[w] = counts.get(w, 0) + 1
    return ",".join(sorted(counts)) + f"|{sum(counts.values())}|{len(counts.keys())}"


@compile(examples=[[4, 1, 4, 9, 1], [7], []])
def set_summary(xs: list[int]) -> int:
    s = set(xs)
    if not s:
        return -1
    return max(s) * 10000 + min(s) * 100 + len(list(s))


@compile(examples=[[3, 1, 2], []])
def pop_until_empty(xs: list[int]) -> int:
    s = set(xs)
    total = 0
    for _ in range(len(xs) + 1):
        total = total * 10 + s.pop()
    return total


@compile(examples=["x=1 y=22 x=3", "", "k=v"])
def last_assignment(text: str) -> str:
    env = {}
    for item in text.split():
        name, _, value = item.partition("=")
        env[name] = value
    out = ""
    for name in sorted(env):
        out += name + ":" + env[name] + ";"
    return out


@compile(examples=[("a b c", "b"), ("a b c", "d")])
def renamed(text: str, old: str) -> str:
    names = {w: w.upper() for w in text.split()}
    return names.pop(old) + str(len(names))


@compile(examples=[[0.5, 1.5, 0.5], [2.0]])
def float_set_total(xs: list[float]) -> float:
    s = set(xs)
    return sum(s) + float(len(s))


@compile(examples=[[10, 2, 10], []])
def keys_are_strings(ws: list[int]) -> int:
    d = {str(w): w for w in ws}
    return sum(d.values()) + len(sorted(d))


@compile(examples=[("a b c", "c b a"), ("a b", "a b b"), ("", "")])
def same_words(x: str, y: str) -> int:
    sx = set(x.split())
    sy = {w for w in y.split()}
    dx = {w: len(w) for w in x.split()}
    dy = {w: len(w) for w in y.split()}
    return int(sx == sy) * 10 + int(dx != dy)


@compile(examples=[("b a c a b a", 1), ("", 0), ("x", -1), ("p q", 5)])
def ranked_items(text: str, drop: int) -> list[str]:
    # sorted() of (str, int) tuples as a value, without a key; list.sort of tuples; del of an item and of slices
    counts: dict[str, int] = {}
    for w in text.split():
        counts[w] = counts.get(w, 0) + 1
    pairs = sorted(counts.items())
    by_count = [(n, w) for w, n in pairs]
    by_count.sort(reverse=True)
    out = [w + str(n) for w, n in pairs] + ["|"] + [w + str(n) for n, w in by_count]
    del out[::3]
    del out[1:2]
    del out[drop]
    return out


@compile(examples=[([1, 2, 1, 3, 2], [5, 6, 7, 8, 9], [1, 4, 2]), ([], [], [0])])
def neighbours_or_empty(us: list[int], vs: list[int], qs: list[int]) -> list[int]:
    # d.get(k, []) gives a new empty list for a missing key (appending to it changes no entry); most_common(n) of part
    g: dict[int, list[int]] = {}
    degree = Counter()
    for i in range(min(len(us), len(vs))):
        g.setdefault(us[i], []).append(vs[i])
        degree[us[i]] += 1
        degree[vs[i]] -= 1
    out = []
    for q in qs:
        ns = g.get(q, [])
        ns.append(-q)
        out += ns
    out.append(len(g))
    for k, n in degree.most_common(2):
        out.append(k * 100 + n)
    return out


@compile(examples=[("it's a \"test\" of it", 10), ("", 250), ("x x y", -1), ("é日 é", 10**20)])
def price_report(text: str, cents: int) -> str:
    """A log line: the dict's own text (CPython's quoting of keys, float reprs of values), then its views as lists."""
    unit = cents / 100
    prices: dict[str, float] = {}
    for w in text.split():
        prices[w] = prices.get(w, 0.0) + unit
    seen = {len(w): w for w in prices}
    return str(prices) + " " + repr(seen) + " " + str(sorted(prices)) + " " + str(list(prices.items()))


@compile(examples=[("b a c a b a", 2), ("", 1), ("z", 0)])
def snapshot(text: str, keep: int) -> str:
    """Counter, OrderedDict, deque, set, tuple and nested-list reprs in one status string (str(), repr(), f-strings)."""
    words = text.split()
    c = Counter(words)
    order = OrderedDict()
    for w in words:
        order[w] = len(w)
    recent = deque(words, maxlen=keep)
    lengths = {len(w) for w in words}
    first = (len(words), words[0] if words else "", 0.5 * keep)
    pairs = [[len(w), keep] for w in words[:2]]
    return " | ".join([f"{c}", repr(order), str(recent), str(lengths), f"{first!r}", str(pairs), f"{(keep,)} {pairs=}"])


def _grown(u: set[int]) -> str:
    u.add(5)
    u.add(-3)
    u.discard(1)
    u.add(49)
    return repr(u)


@compile(examples=[([9, 1, 17, 33, 2, 25, 40], [17, 8, 1, 41, 3]), ([-1, 7, 3, 24, 1], [7, -4611686018427387904]), ([], [0])])
def set_copies(xs: list[int], ys: list[int]) -> str:
    """Every way of making a set sizes its table as CPython does, so where later adds land (the order) matches."""
    s = {x for x in xs}
    t = set(ys)
    d = {y: 1 for y in ys}
    n = min(len(xs), 50)
    a = set(s)
    a |= t
    b = set(s)
    b &= t
    c = set(s)
    c -= t
    e = set(s)
    e ^= t
    return (_grown(set(s)) + _grown(set(d)) + _grown(s.copy()) + _grown(s | t) + _grown(s & t) + _grown(s - t)
            + _grown(s ^ t) + _grown(t - s) + _grown(set(range(n))) + _grown(set((n, 1, n + 16)))
            + _grown(a) + _grown(b) + _grown(c) + _grown(e))


@compile(examples=[(frozenset({9, 1, 17, 33, 2, 25}), frozenset({17, 8, 1, 41})), (frozenset(), frozenset({-1, 7}))])
def frozen_copies(f: frozenset[int], g: frozenset[int]) -> str:
    return repr(f | g) + repr(f & g) + repr(f - g) + repr(f ^ g) + _grown(set(f | g)) + _grown(set(f ^ g)) + _grown(set(f))


@compile(examples=[([3, 1, 2, 3], [2, 5]), ([], [0]), ([-7, 9, 17, 1], [1, 33, 9])])
def frozen_families(xs: list[int], ys: list[int]) -> str:
    """frozenset(xs) built as set(xs) is (its table and order), frozenset(fs) is fs, fs |= t binds a new frozenset (an
    alias keeps the old one); sets of frozensets and dicts keyed by them hash as CPython (their order is CPython's)."""
    fs = frozenset(xs)
    same = frozenset(fs)
    alias = fs
    fresh = frozenset(set(xs))
    fs |= frozenset(y % 50 * 3 for y in ys)
    families = {frozenset([x % 3, x % 4]) for x in xs[:50]}
    families.add(frozenset(ys))
    sizes = {frozenset(range(min(len(ys), 5))): 0, fs: 1, alias: 2}
    sizes[frozenset(xs)] += 10
    return (repr(fs) + repr(alias) + repr(fresh) + repr(families) + repr(sizes) + str(hash(alias))
            + str(frozenset(ys) in families) + str(fs == set(fs)) + _grown(set(fs)) + _grown(set(same)))


@compile(examples=[("tale late teal leat", "eat"), ("", "x"), ("ab ba abc", "")])
def letter_groups(text: str, probe: str) -> str:
    """set(s) and frozenset(s) of a str are sets of its characters; words grouped by their letters (frozenset keys)."""
    groups: dict[frozenset[str], list[str]] = {}
    for w in text.split():
        groups.setdefault(frozenset(w), []).append(w)
    shared = set(text) & set(probe)
    lines = [f"{len(k)}:" + ",".join(v) for k, v in groups.items()]
    return " ".join(lines) + f" {sorted(shared)} {len(set(probe))} {frozenset(probe) in groups}"


@compile(examples=[6, 0, 2])
def grown_by_generators(n: int) -> str:
    # set.update, dict.update (and d |=), Counter.update and list += store each item as the generator makes it: the generator
    # sees the container grow (CPython's set_update_internal, PyDict_MergeFromSeq2, Counter.update, list.extend).
    k = min(n, 50)
    s = {100}
    s.update(len(s) + i for i in range(k))
    d = {100: 1}
    d.update((len(d) + i, i) for i in range(k))
    d.update(len(d) + i for i in range(k, k))  # nothing to convert: a plain dict takes an empty generator
    d |= ((len(d) + i, -i) for i in range(k))  # dict |= is dict.update
    c = Counter([1])
    c.update(len(c) + i % 3 for i in range(k))
    xs = [7]
    xs += (len(xs) + i for i in range(k))
    made: list[int] = []
    try:
        c |= ((i, i) for i in range(k + 1) if made.append(i) is None)  # Counter.__ior__ reads other.items() before any item
    except AttributeError as e:
        made.append(len(str(e)))
    w: dict[str, int] = {"a": 1}
    try:
        w.update(str(i) * 3 for i in range(k))  # a plain dict takes each str as a (key, value) pair
    except ValueError as e:
        w["error"] = len(str(e))
    return f"{sorted(s)} {d} {sorted(c.items())} {xs} {w} {made}"


def _frozen_or_empty(xs: list[int]) -> frozenset[int]:
    if len(xs) < 2:
        return frozenset()
    return frozenset(xs)


@compile(examples=[([3, 1, 2, 3], [2, 5]), ([], [0]), ([-7, 9, 17, 1], [1, 33, 9])])
def empty_frozensets(xs: list[int], ys: list[int]) -> str:
    """frozenset() takes its item type from what it meets: a union in a loop, an annotation, a dict's keys, a set of
    frozensets, the other return of a helper annotated -> frozenset[int], the annotation of a literal holding it."""
    acc = frozenset()
    for y in ys[:50]:
        acc |= frozenset([y % 7, y % 5])
    none: frozenset[int] = frozenset()
    keyed: dict[frozenset[int], int] = {frozenset(xs): 1}
    keyed[frozenset()] = len(xs)
    families = {frozenset(ys), frozenset(xs)}
    families.add(frozenset())
    # An empty frozenset or set among a literal's items takes its type from the annotation.
    seeded: dict[frozenset[int], int] = {frozenset(): 0, frozenset(ys): len(ys)}
    seeded[frozenset(xs)] = seeded.get(frozenset(xs), -1) + 1
    buckets: dict[str, set[int]] = {"even": set(), "odd": set()}
    for x in xs[:50]:
        buckets["odd" if x % 2 else "even"].add(x)
    return (repr(acc) + repr(none) + repr(keyed) + repr(families) + str(hash(none)) + str(frozenset() <= acc)
            + str(frozenset() in families) + repr(_frozen_or_empty(xs)) + repr(_frozen_or_empty(ys[:1]))
            + repr(seeded) + str(len(buckets["even"])) + str(sum(1 for x in xs[:50] if x in buckets["odd"])))


class _Bag:
    def __init__(self) -> None:
        self.xs: list[int] = [5]


@compile(examples=[6, 0, 2])
def grown_through_holders(n: int) -> str:
    """self.xs += gen and d[k] += gen extend the held list one item at a time (the generator sees it grow), and so do
    update/extend of a zip or map over a generator."""
    k = min(n, 50)
    b = _Bag()
    b.xs += (len(b.xs) + i for i in range(k))
    d: dict[str, list[int]] = {"a": [1]}
    d["a"] += (len(d["a"]) * 2 + i for i in range(k))
    e = {0: 0}
    e.update(zip(range(1, k + 1), (len(e) * 10 for _ in range(k))))
    ys = [1]
    ys.extend(map(abs, (len(ys) - 3 for _ in range(k))))
    return f"{b.xs} {d['a']} {sorted(e.items())} {ys}"


@compile(examples=[1, 5, -2])
def optional_values(n: int) -> str:
    # Values that may be None: stored, replaced, read with get (None for a missing key, or a default), compared, printed.
    best: dict[str, float | None] = {"a": None, "b": 1.5}
    best["c"] = float(n)
    best["a"] = None if n > 3 else 2.0
    best.setdefault("d", None)
    other: dict[str, float | None] = {"a": None, "b": 1.5, "c": float(n), "d": None}
    seen = {n: None, n + 1: n * 2}
    return (repr(best) + " " + str(best == other) + " " + repr(best.get("a")) + " " + repr(best.get("z", 0.5))
            + " " + repr(seen) + " " + str(sum(v for v in seen.values() if v is not None)))
