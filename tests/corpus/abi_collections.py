"""Dicts, sets and deques across the boundary: word counts, inverted tallies, price tables, id sets and job queues passed
in and returned (in-out, as Python's caller sees them), in the style of a small inventory and text-statistics toolkit."""
from collections import Counter, defaultdict, deque

from kiln import compile


@compile(examples=["the cat and the hat", "", "a a a b"])
def word_counts(text: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for w in text.split():
        counts[w] = counts.get(w, 0) + 1
    return counts


@compile(examples=[({"apple": 3, "pear": 0, "fig": 2},), ({},)])
def in_stock(stock: dict[str, int]) -> list[str]:
    return [name for name, n in stock.items() if n > 0]


@compile(examples=[({"apple": 1.5, "fig": 0.25}, 0.1), ({}, 0.5), ({"x": -0.0}, 2.0)])
def with_tax(prices: dict[str, float], rate: float) -> dict[str, float]:
    return {k: v * (1.0 + rate) for k, v in prices.items()}


@compile(examples=[({"apple": 3}, "apple", 2), ({"apple": 3}, "kiwi", 1), ({}, "kiwi", -4)])
def restock(stock: dict[str, int], item: str, n: int) -> int:
    """Changes the caller's dict in place, as Python does."""
    stock[item] = stock.get(item, 0) + n
    if stock[item] <= 0:
        del stock[item]
    return len(stock)


@compile(examples=[({"a": 1}, "b"), ({"a": 1, "b": 2}, "b")])
def take(stock: dict[str, int], item: str) -> int:
    """KeyError with the key's repr when absent; the dict loses the item otherwise."""
    return stock.pop(item) * 10


@compile(examples=[({1: 10, 2: 20, 3: 10},), ({},)])
def invert_tally(d: dict[int, int]) -> dict[int, int]:
    out: dict[int, int] = {}
    for k, v in d.items():
        out[v] = out.get(v, 0) + k
    return out


@compile(examples=[({3: 1, 1: 2},), ({},)])
def total_value(d: dict[int, int]) -> int:
    return sum(k * v for k, v in d.items())


@compile(examples=[([3, 1, 3, -2, 7, 1],), ([],)])
def unique_ids(ids: list[int]) -> set[int]:
    return set(ids)


@compile(examples=[({1, 2, 3}, {2, 3, 4}), (set(), {5})])
def common_ids(a: set[int], b: set[int]) -> tuple[set[int], int]:
    both = a & b
    return both, len(a | b)


@compile(examples=[({5, 1, 9}, 4), ({1}, 1)])
def mark_seen(seen: set[int], x: int) -> bool:
    """Adds to the caller's set; True when x was new."""
    if x in seen:
        return False
    seen.add(x)
    return True


@compile(examples=[({5, 1}, 9), (set(), 1)])
def forget(seen: set[int], x: int) -> int:
    """KeyError when x is absent."""
    seen.remove(x)
    return len(seen)


@compile(examples=["hello world", "", "abcabc"])
def letters(text: str) -> set[str]:
    return {c for c in text if c.isalpha()}


@compile(examples=[({"b", "a", "c"},), (set(),)])
def sorted_tags(tags: set[str]) -> list[str]:
    return sorted(tags)


@compile(examples=[({"red", "blue"}, "red"), ({"red"}, "green")])
def has_tag(tags: set[str], tag: str) -> bool:
    return tag in tags


@compile(examples=["b a b c", ""])
def tally_words(text: str) -> dict[str, int]:
    """A Counter returned: the package gives a dict of its items, in the same order."""
    return Counter(text.split())


@compile(examples=[([3, 1, 3],), ([],)])
def index_sums(xs: list[int]) -> dict[int, int]:
    """A defaultdict returned: the package gives a dict."""
    sums = defaultdict(int)
    for i, x in enumerate(xs):
        sums[x] += i
    return sums


@compile(examples=[([3, 1, 4, 1, 5, 9, 2, 6], 3), ([], 2), ([1, 2], 0)])
def last_readings(xs: list[int], n: int) -> deque[int]:
    """The last n readings and a -1 marker: a deque with that maxlen (the package returns a collections.deque)."""
    window = deque(xs, maxlen=n)
    window.append(-1)
    return window


@compile(examples=[(deque([1, 2, 3]), 1), (deque([], maxlen=2), 3), (deque([5, 6], maxlen=2), -1)])
def next_job(jobs: deque[int], turns: int) -> int:
    """Rotates the caller's queue and takes the job in front; IndexError when it is empty."""
    jobs.rotate(turns)
    return jobs.popleft()


@compile(examples=[(deque(["ann", "bo"], maxlen=3), "cy"), (deque(maxlen=2), "dee"), (deque(["x"]), "")])
def greet_first(names: deque[str], name: str) -> deque[str]:
    """Adds a name in front of the caller's deque (the oldest falls off the right at maxlen) and returns it."""
    names.appendleft(name)
    return names


@compile(examples=[(deque([1.5, -0.25, 2.0]),), (deque([], maxlen=4),)])
def drain_total(pending: deque[float]) -> float:
    """Empties the caller's deque from the right."""
    total = 0.0
    while pending:
        total += pending.pop()
    return total


@compile(examples=[({1: [2, 3], 2: [4], 3: [4], 4: []}, 1), ({}, 7), ({0: [0, 1], 1: [0]}, 0)])
def bfs_order(graph: dict[int, list[int]], start: int) -> list[int]:
    """Breadth-first order over an adjacency list (a dict of lists across the boundary)."""
    seen = {start}
    order: list[int] = []
    queue = deque([start])
    while queue:
        node = queue.popleft()
        order.append(node)
        if node in graph:
            for nxt in graph[node]:
                if nxt not in seen:
                    seen.add(nxt)
                    queue.append(nxt)
    return order


@compile(examples=[({1: [2, 3], 2: [4], 3: [4], 4: []},), ({},), ({0: [0, 0, 1], 5: [0]},)])
def reverse_graph(graph: dict[int, list[int]]) -> dict[int, list[int]]:
    """The reversed adjacency of a graph: a dict of lists as argument and as result (every node keeps an entry)."""
    out: dict[int, list[int]] = {}
    for node in graph:
        out[node] = []
    for node, succ in graph.items():
        for nxt in succ:
            if nxt not in out:
                out[nxt] = []
            out[nxt].append(node)
    return out


@compile(examples=["to be or not to be", ""])
def word_positions(text: str) -> dict[str, list[int]]:
    """Each word's positions: a dict of lists returned."""
    out: dict[str, list[int]] = {}
    for i, w in enumerate(text.split()):
        if w not in out:
            out[w] = []
        out[w].append(i)
    return out


@compile(examples=[({"a": [1.5]}, "a", 2.0), ({}, "b", -0.5), ({"a": [], "b": [1.0]}, "b", 3.0)])
def add_reading(readings: dict[str, list[float]], name: str, x: float) -> int:
    """Appends to the caller's list in the caller's dict (in-out, as Python's caller sees it)."""
    if name not in readings:
        readings[name] = []
    readings[name].append(x)
    return len(readings[name])


@compile(examples=[({(0, 0): 1.0, (0, 1): 2.5, (1, 1): -1.0}, 2.0), ({}, 1.0), ({(3, -4): 0.5}, -0.0)])
def scaled_transpose(m: dict[tuple[int, int], float], k: float) -> dict[tuple[int, int], float]:
    """A sparse matrix keyed by (row, column): tuple keys across the boundary, in and out."""
    out: dict[tuple[int, int], float] = {}
    for (i, j), v in m.items():
        out[(j, i)] = v * k
    return out


@compile(examples=[({"a": {"x": 1.5, "y": 2.0}, "b": {}}, 2.0), ({}, 0.5)])
def scale_nested(table: dict[str, dict[str, float]], k: float) -> dict[str, dict[str, float]]:
    """A nested dict of numbers in and out: each inner dict (the caller's own) gains its total, and a new one is added."""
    out: dict[str, dict[str, float]] = {}
    for name, row in table.items():
        total = 0.0
        for v in row.values():
            total += v
        row["total"] = total
        out[name] = {c: v * k for c, v in row.items()}
    table["new"] = {"k": k}
    return out


@compile(examples=[({"fruit": ["fig"], "veg": []}, "fruit", "kiwi"), ({}, "x", "é")])
def add_tag(tags: dict[str, list[str]], group: str, word: str) -> int:
    """Appends to a list of str in the caller's dict (the caller's own list, as in Python)."""
    if group not in tags:
        tags[group] = []
    tags[group].append(word)
    return len(tags[group])


@compile(examples=[(["ox", "cat", "dog", "a"],), ([],)])
def by_length(words: list[str]) -> dict[int, list[str]]:
    """Words grouped by length: a dict of lists of str returned."""
    out: dict[int, list[str]] = {}
    for w in words:
        if len(w) not in out:
            out[len(w)] = []
        out[len(w)].append(w)
    return out


@compile(examples=[(frozenset({3, 1, 2}), {2, 5}), (frozenset(), {1})])
def frozen_union(base: frozenset[int], extra: set[int]) -> tuple[frozenset[int], int]:
    """A frozenset parameter, read and combined (a frozenset again: the left operand's type), never changed."""
    both = base | extra
    return both, len(base & extra)


@compile(examples=["b a b", ""])
def word_summary(text: str) -> dict:
    """A record result: constant str keys, values of different types (a dict in Python, a Map in JS)."""
    words = text.split()
    return {"count": len(words), "sorted": sorted(words), "first": words[0] if words else "", "share": len(set(words)) / max(len(words), 1)}


@compile(examples=[("b a b", 2), ("", 0)])
def word_report(text: str, top: int) -> tuple[dict, int]:
    """A record inside a tuple result, holding a record in turn: dicts in the Python package, Maps in the JS module."""
    words = text.split()
    stats = {"n": len(words), "letters": frozenset(text.replace(" ", "")) == set(text.replace(" ", "")), "mean": sum(len(w) for w in words) / max(len(words), 1)}
    return {"top": sorted(words)[:top], "first": words[0] if words else "", "stats": stats}, len(set(text))


@compile(examples=[({"a": {"x": {"p": 1.5, "q": -2.0}, "y": {}}, "b": {}}, 2.0), ({}, 0.5)])
def scale_deep(t: dict[str, dict[str, dict[str, float]]], k: float) -> dict[str, dict[str, dict[str, float]]]:
    """Dicts three deep, in-out: the caller's dicts at every depth changed in place, new ones added; a nested result."""
    for rows in t.values():
        for row in rows.values():
            for key in row.keys():
                row[key] *= k
        rows["new"] = {"z": k}
    return {"r": {"s": {"k": k}}}


@compile(examples=[({"g": {"u": [1, 2], "v": []}, "h": {}}, 5), ({}, 1)])
def push_inner(t: dict[str, dict[str, list[int]]], x: int) -> int:
    """Inner dicts of lists, in-out: appends reach the caller's lists two levels down (an origin at each level)."""
    n = 0
    for groups in t.values():
        for xs in groups.values():
            xs.append(x)
            n += len(xs)
        groups["w"] = [x]
    return n


@compile(examples=[({frozenset({"a", "b"}), frozenset()}, "ba ab c"), (set(), "")])
def add_families(families: set[frozenset[str]], text: str) -> dict[frozenset[str], int]:
    """Frozensets as set items (in-out) and as dict keys (a result) across the boundary: each word's letters."""
    groups: dict[frozenset[str], int] = {}
    for w in text.split():
        families.add(frozenset(w))
        groups[frozenset(w)] = groups.get(frozenset(w), 0) + 1
    return groups


@compile(examples=["b a b", ""])
def word_rows(text: str) -> tuple[list, list[tuple[int, str]]]:
    """Records and tuples inside list results: lists of dicts and of tuples in Python, Arrays of Maps and Arrays in JS."""
    rows = []
    pairs: list[tuple[int, str]] = []
    for i, w in enumerate(text.split()):
        rows.append({"word": w, "at": i, "share": len(w) / 2, "first": i == 0})
        pairs.append((i, w * 2))
    return rows, pairs
