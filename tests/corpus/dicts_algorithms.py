"""Algorithms built on dicts and sets: graph search with an adjacency dict, memo tables, two-sum, dedup."""
from kiln import compile


@compile(examples=[(5, [0, 0, 1, 2, 3], [1, 2, 3, 3, 4], 0), (3, [0], [1], 2), (1, [], [], 0)])
def bfs_distance_sum(n: int, us: list[int], vs: list[int], start: int) -> int:
    adj = {}
    for i in range(len(us)):
        if us[i] not in adj:
            adj[us[i]] = []
        adj[us[i]].append(vs[i])
    dist = {start: 0}
    queue = [start]
    head = 0
    while head < len(queue):
        u = queue[head]
        head += 1
        if u in adj:
            for w in adj[u]:
                if w not in dist:
                    dist[w] = dist[u] + 1
                    queue.append(w)
    total = 0
    for k, d in dist.items():
        total += (k + 1) * d
    return total * 100 + len(dist)


@compile(examples=[([0, 1, 2, 0], [1, 2, 3, 3]), ([0, 1], [1, 0]), ([], [])])
def count_components(us: list[int], vs: list[int]) -> int:
    adj = {}
    for i in range(len(us)):
        adj.setdefault(us[i], []).append(vs[i])
        adj.setdefault(vs[i], []).append(us[i])
    seen = set()
    comps = 0
    for start in adj:
        if start in seen:
            continue
        comps += 1
        stack = [start]
        seen.add(start)
        while len(stack) > 0:
            u = stack.pop()
            for w in adj[u]:
                if w not in seen:
                    seen.add(w)
                    stack.append(w)
    return comps


@compile(examples=[([2, 7, 11, 15], 9), ([3, 2, 4], 6), ([1, 2], 7), ([], 0)])
def two_sum(xs: list[int], target: int) -> int:
    index = {}
    for i in range(len(xs)):
        j = index.get(target - xs[i], -1)
        if j >= 0:
            return j * 1000 + i
        index[xs[i]] = i
    return -1


@compile(examples=[30, 1, 0, 60])
def fib_memo(n: int) -> int:
    memo = {0: 0, 1: 1}
    for i in range(2, n + 1):
        memo[i] = memo[i - 1] + memo[i - 2]
    return memo[n]


@compile(examples=[27, 1, 97])
def collatz_memo_steps(limit: int) -> int:
    steps = {1: 0}
    best = 0
    for start in range(1, limit + 1):
        path = []
        x = start
        while x not in steps:
            path.append(x)
            x = x // 2 if x % 2 == 0 else 3 * x + 1
        s = steps[x]
        for k in range(len(path) - 1, -1, -1):
            s += 1
            steps[path[k]] = s
        best = max(best, steps[start])
    return best


@compile(examples=[[3, 1, 3, 2, 1, 5], [], [4, 4, 4]])
def dedup_keep_order(xs: list[int]) -> list[int]:
    seen = set()
    out = []
    for x in xs:
        if x not in seen:
            seen.add(x)
            out.append(x)
    return out


@compile(examples=[[5, 3, 9, 1, 33, 17], [], [1, 9, 17, 25]])
def set_iteration_order(xs: list[int]) -> list[int]:
    s = set(xs)
    out = []
    for x in s:
        out.append(x)
    return out


@compile(examples=[10, 3])
def squares_mod_seven(n: int) -> list[int]:
    s = {i * i % 7 for i in range(n)}
    return [x for x in s]


@compile(examples=[[1, 2, 3], [4, 5]])
def set_literal_order(xs: list[int]) -> list[int]:
    # Constants that do not collide in the table: CPython's order of colliding constants in a set display depends
    # on how its frozenset constant was rebuilt (compiled now, or loaded from a .pyc), see docs/design/dicts.md.
    s = {17, 2, 12, 5}
    for x in xs:
        s.add(x)
    s.discard(12)
    return [x for x in s]


@compile(examples=[(3, [1, 2, 3]), (4, [1, 2, 3])])
def remove_item(x: int, xs: list[int]) -> int:
    s = set(xs)
    s.remove(x)
    return len(s)


@compile(examples=["abcabcbb", "bbbbb", "pwwkew", ""])
def longest_unique_run(s: str) -> int:
    last = {}
    start = 0
    best = 0
    for i in range(len(s)):
        c = s[i]
        if c in last and last[c] >= start:
            start = last[c] + 1
        last[c] = i
        best = max(best, i - start + 1)
    return best


@compile(examples=[("abc", "b"), ("abc", "q"), ("", "a")])
def key_error_message(text: str, key: str) -> int:
    d = {c: ord(c) for c in text}
    return d[key]


@compile(examples=[[1, 2, 3, 4], [1, 3]])
def resize_during_loop(xs: list[int]) -> int:
    s = set(xs)
    n = 0
    for x in s:
        if x == 2:
            s.add(100)
        n += x
    return n


@compile(examples=[[1.0, 2.0, 1.0], []])
def int_lookup_in_float_dict(xs: list[float]) -> int:
    d = {x: 1 for x in xs}
    return int(1 in d) * 10 + len(d)


@compile(examples=["x y x", ""])
def bool_flags(text: str) -> int:
    flags = {}
    for w in text.split():
        flags[w] = w in flags
    n = 0
    for v in flags.values():
        n = n * 2 + int(v)
    return n


@compile(examples=[([0, 0, 1, 2], [1, 2, 3, 3]), ([0, 1, 2], [1, 2, 0]), ([], [])])
def topological_order(us: list[int], vs: list[int]) -> list[int]:
    indegree = {}
    succ = {}
    for i in range(len(us)):
        indegree.setdefault(us[i], 0)
        indegree[vs[i]] = indegree.get(vs[i], 0) + 1
        succ.setdefault(us[i], []).append(vs[i])
    ready = [n for n in sorted(indegree) if indegree[n] == 0]
    order = []
    while len(ready) > 0:
        n = ready.pop(0)
        order.append(n)
        if n in succ:
            for m in succ[n]:
                indegree[m] -= 1
                if indegree[m] == 0:
                    ready.append(m)
    if len(order) != len(indegree):
        raise ValueError("graph has a cycle")
    return order


@compile(examples=[([0, 0, 1, 2], [1, 2, 2, 3], [4.0, 1.0, 2.0, 5.0], 0), ([0], [1], [2.5], 1)])
def shortest_path_total(us: list[int], vs: list[int], ws: list[float], source: int) -> float:
    dist = {source: 0.0}
    done = set()
    while True:
        best = -1
        for n, d in dist.items():
            if n not in done and (best < 0 or d < dist[best]):
                best = n
        if best < 0:
            break
        done.add(best)
        for i in range(len(us)):
            if us[i] == best:
                nd = dist[best] + ws[i]
                if vs[i] not in dist or nd < dist[vs[i]]:
                    dist[vs[i]] = nd
    return sum(dist.values())


@compile(examples=[([1, 2, 1, 3, 4, 1, 2], 2), ([5, 5, 5], 1), ([], 3)])
def lru_hits(requests: list[int], capacity: int) -> int:
    last_used = {}
    hits = 0
    for t in range(len(requests)):
        key = requests[t]
        if key in last_used:
            hits += 1
        elif len(last_used) >= capacity:
            oldest = -1
            for k, when in last_used.items():
                if oldest < 0 or when < last_used[oldest]:
                    oldest = k
            del last_used[oldest]
        last_used[key] = t
    return hits


@compile(examples=[7, 0, 23])
def list_entries_replaced(n: int) -> int:
    """Lists held by dict entries, overwritten, deleted, popped and cleared (opt/dictLists.ts frees each as it goes)."""
    d: dict[int, list[int]] = {}
    total = 0
    for i in range(min(n, 50)):
        d[i % 4] = [i, i * 2]
        d.setdefault(i % 5, []).append(i)
        if i % 3 == 0 and i % 4 in d:
            del d[i % 4]
        if i % 5 == 1 and i % 5 in d:
            xs = d.pop(i % 5)
            total += sum(xs)
        for k, v in d.items():
            total += k * len(v)
    total += len(d)
    d.clear()
    d[1] = [n]
    return total + d[1][0]


@compile(examples=[3, 0])
def list_entries_kept(n: int) -> list[int]:
    """A list read out of a dict outlives its entry (overwritten, deleted, popped, cleared): alive, as in CPython."""
    m = n % 100
    d: dict[str, list[int]] = {"a": [1], "b": [2], "c": [3]}
    keep = d["a"]
    d["a"] = []
    keep.append(m)
    gone = d["b"]
    del d["b"]
    gone.append(m + 1)
    other = d.get("c", [0])
    d.pop("c")
    other.append(m + 2)
    d["e"] = [4]
    last = d["e"]
    d.clear()
    last.append(m + 3)
    return keep + gone + other + last + d.get("a", [9])
