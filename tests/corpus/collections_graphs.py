"""Graph and grid code built on sets, tuple keys and defaultdict: set algebra over neighbourhoods, grid search
with (row, col) keys, topological order with in-degree counts, word statistics, merges of tables."""
import heapq
from collections import defaultdict

from kiln import compile

STOCK = {"apple": 4, "pear": 0, "plum": 7}
VOWELS = {"a", "e", "i", "o", "u"}
SQUARES = {1, 4, 9, 16, 25}


@compile(examples=[([1, 2, 3, 4], [3, 4, 5]), ([], [1]), ([7, 7, 7], [])])
def set_algebra_summary(a: list[int], b: list[int]) -> int:
    s = set(a)
    t = set(b)
    union = s | t
    common = s & t
    only_a = s - t
    either = s ^ t
    flags = 0
    if common.issubset(union):
        flags += 1
    if union.issuperset(only_a):
        flags += 2
    if only_a.isdisjoint(t):
        flags += 4
    if common <= s and common < union:
        flags += 8
    if union > s:
        flags += 16
    if s >= common:
        flags += 32
    total = 0
    for x in either:
        total += x
    return flags * 1000000 + len(union) * 10000 + len(common) * 1000 + len(only_a) * 100 + len(either) * 10 + total % 10


@compile(examples=[([5, 1, 9, 3], [1, 2, 3], [2, 9]), ([], [], [])])
def set_inplace_chain(a: list[int], b: list[int], c: list[int]) -> list[int]:
    s = set(a)
    s |= set(b)
    s -= set(c)
    t = set(b)
    t &= set(a)
    u = set(c)
    u ^= set(a)
    s.intersection_update(a + b)
    s.difference_update([1])
    s.symmetric_difference_update(c)
    out = sorted(s)
    out.append(-1)
    out += sorted(t)
    out.append(-1)
    w = u | s.union(b).difference(c).intersection(a)
    out += sorted(w)
    return out


@compile(examples=[(4, 5, [1, 1, 2, 6, 7, 11, 13, 17, 18]), (2, 2, []), (1, 1, [0])])
def grid_shortest_path(rows: int, cols: int, walls: list[int]) -> int:
    blocked = set()
    for w in walls:
        blocked.add((w // cols, w % cols))
    if (0, 0) in blocked or rows <= 0 or cols <= 0:
        return -1
    dist = {(0, 0): 0}
    frontier = [0]
    head = 0
    while head < len(frontier):
        r = frontier[head] // cols
        c = frontier[head] % cols
        head += 1
        for step in range(4):
            nr = r + (1 if step == 0 else -1 if step == 1 else 0)
            nc = c + (1 if step == 2 else -1 if step == 3 else 0)
            if 0 <= nr < rows and 0 <= nc < cols and (nr, nc) not in blocked and (nr, nc) not in dist:
                dist[nr, nc] = dist[r, c] + 1
                frontier.append(nr * cols + nc)
    if (rows - 1, cols - 1) in dist:
        return dist[(rows - 1, cols - 1)]
    return -len(dist)


@compile(examples=[(3, 1), (0, 0), (2, 5)])
def grid_lookup_missing(i: int, j: int) -> int:
    table = {}
    for r in range(3):
        for c in range(3):
            table[r, c] = r * 10 + c
    return table[(i, j)]


@compile(examples=[(6, [5, 5, 4, 4, 2, 3], [2, 0, 0, 1, 3, 1]), (3, [0, 1, 2], [1, 2, 0]), (2, [], [])])
def topological_order(n: int, us: list[int], vs: list[int]) -> list[int]:
    graph = defaultdict(list)
    indegree = defaultdict(int)
    for i in range(len(us)):
        graph[us[i]].append(vs[i])
        indegree[vs[i]] += 1
    ready = [v for v in range(n) if indegree[v] == 0]
    order = []
    while ready:
        ready.sort()
        u = ready.pop(0)
        order.append(u)
        for w in graph[u]:
            indegree[w] -= 1
            if indegree[w] == 0:
                ready.append(w)
    if len(order) < n:
        return [-1]
    return order


@compile(examples=[("the cat and the hat and the bat",), ("",), ("a b c a",)])
def word_statistics(text: str) -> str:
    counts = defaultdict(int)
    positions = defaultdict(list)
    for i, w in enumerate(text.split()):
        counts[w] += 1
        positions[w].append(i)
    ranked = sorted(counts, key=counts.get, reverse=True)
    parts = []
    for w in ranked:
        parts.append(w + "=" + str(counts[w]) + "@" + str(positions[w][0]))
    if counts:
        parts.append("top:" + max(counts, key=counts.get))
    return " ".join(parts)


@compile(examples=[([1, 2, 3], [10, 20, 30], [3, 4], [300, 400]), ([], [], [1], [2])])
def merge_tables(k1: list[int], v1: list[int], k2: list[int], v2: list[int]) -> int:
    base = dict(zip(k1, v1))
    extra = dict(zip(k2, v2))
    merged = base | extra
    base |= {k: v * 2 for k, v in extra.items()}
    copy = dict(merged)
    total = 0
    for k in merged:
        total = total * 7 + k + merged[k]
    return total * 1000 + len(copy) * 10 + base.get(3, -1) % 10


@compile(examples=[([4, 8, 15, 16, 23, 42],), ([],), ([1],)])
def drain_by_popitem(xs: list[int]) -> int:
    d = {x: i for i, x in enumerate(xs)}
    acc = 0
    while len(d) > 1:
        k, v = d.popitem()
        acc = acc * 31 + k * 3 + v
    k, v = d.popitem()
    return acc * 100 + k + v


@compile(examples=[("apple plum kiwi apple",), ("",), ("pear",)])
def stock_report(order: str) -> str:
    # module-level dict and set constants, nested dicts built per customer, items sorted by key
    wanted: dict[str, dict[str, int]] = {}
    for i, item in enumerate(order.split()):
        who = "odd" if i % 2 else "even"
        if who not in wanted:
            first = {item: 1}
            wanted[who] = first
        else:
            wanted[who][item] = wanted[who].get(item, 0) + 1
    lines = []
    for who, items in sorted(wanted.items()):
        for item, n in sorted(items.items(), reverse=True):
            have = STOCK.get(item, 0)
            vowels = 0
            for ch in item:
                if ch in VOWELS:
                    vowels += 1
            lines.append(who + ":" + item + "=" + str(min(n, have)) + "/" + str(vowels))
    return ";".join(lines) + "|" + str(sum(SQUARES)) + str(max(SQUARES))


def distinct_count(xs):
    return len(set(xs))


@compile(examples=[(6,), (0,), (3,)])
def distinct_before_and_after(n: int) -> int:
    # a helper first called with a list before anything is appended to it
    xs = []
    before = distinct_count(xs)
    for i in range(n):
        xs.append(i * i % 5)
    return before * 100 + distinct_count(xs)


@compile(examples=[([1, 2, 1, 3], [2, 3, 3, 1]), ([], [])])
def neighbourhoods(us: list[int], vs: list[int]) -> list[int]:
    out_edges = defaultdict(set)
    weights = defaultdict(dict)
    for i in range(min(len(us), len(vs))):
        out_edges[us[i]].add(vs[i])
        weights[us[i]][vs[i]] = i
    result = []
    for u in sorted(out_edges):
        result.append(u)
        result.append(len(out_edges[u]))
        result.append(sum(weights[u].values()))
    return result


# Adjacency as a dict of sets: items, fields and helpers' results iterated as the sets they are (typecheck finds them,
# the function is traced again reading them with the set's own iterator: CPython's order and RuntimeError).
def reachable(g: dict[int, set[int]], start: int) -> set[int]:
    seen = {start}
    stack = [start]
    while stack:
        u = stack.pop()
        for v in g.get(u, set()):
            if v not in seen:
                seen.add(v)
                stack.append(v)
    return seen


class Cluster:
    def __init__(self, first: int) -> None:
        self.members = {first}
        self.sizes = {first: 1}

    def spread(self) -> int:
        t = 0
        for m in self.members:
            t = (t * 3 + m) % 1000003
        return t + sum(self.members) + max(self.sizes) + len([k for k in self.sizes if k > 2])


@compile(examples=[([1, 2, 1, 3, 5], [2, 3, 3, 1, 6]), ([], []), ([4], [4])])
def set_adjacency(us: list[int], vs: list[int]) -> list[int]:
    g: dict[int, set[int]] = {}
    for i in range(min(len(us), len(vs), 50)):
        a, b = us[i] % 40, vs[i] % 40
        g.setdefault(a, set()).add(b)
        g.setdefault(b, set()).add(a)
    out = []
    comp: dict[int, int] = {}
    for s in sorted(g):
        if s not in comp:
            for v in reachable(g, s):
                comp[v] = s
    for u in g:
        nbrs = g[u]
        order = [v for v in g[u]]
        out += [u, sum(g[u]), min(g[u]), max(nbrs), comp[u], len(sorted(g[u]))]
        out += order + sorted({v * 2 for v in nbrs if v != u})
        out.append(int(any(v > u for v in g[u])))
    c = Cluster(len(g))
    for u in g:
        c.members |= g[u]
        c.sizes[u] = len(g[u])
    out.append(c.spread())
    return out


@compile(examples=[(0,), (3,), (8,)])
def item_changed_in_loop(n: int) -> int:
    g: dict[int, set[int]] = {0: {1, 2, 3}}
    d: dict[int, dict[int, int]] = {0: {1: 1, 2: 2}}
    t = 0
    for v in g[0]:
        t += v
        if n > 2 and v == 2:
            g[0].discard(1)
    for k in d[0]:
        t += k
        if n > 5:
            d[0][k + 10] = k
    return t


@compile(examples=[(10, 3), (7, 2), (1, 1), (12, 4)])
def bfs_parent_path(n: int, k: int) -> list[int]:
    # The parent map starts as {start: None}: its values are int | None, and the walk back ends at the None.
    adj = {i: [(i * 3 + 1) % n, (i + k) % n] for i in range(n)}
    parent = {0: None}
    frontier = [0]
    while frontier:
        nxt = []
        for u in frontier:
            for v in adj[u]:
                if v not in parent:
                    parent[v] = u
                    nxt.append(v)
        frontier = nxt
    path = []
    cur = n - 1 if (n - 1) in parent else None
    while cur is not None:
        path.append(cur)
        cur = parent[cur]
    return path[::-1]


@compile(examples=[(["S..#....", ".#.#.##.", ".#...#..", ".####.#.", "......#G"],), (["S#G"],), (["SG"],)])
def astar_grid(grid: list[str]) -> str:
    # A* with a heap of (f, g, (x, y)) entries (nested tuples compared item by item) and an annotated
    # came_from whose start maps to None; the path is walked back and the map printed.
    w, h = len(grid[0]), len(grid)
    start = goal = (0, 0)
    for y, row in enumerate(grid):
        for x, ch in enumerate(row):
            if ch == "S":
                start = (x, y)
            elif ch == "G":
                goal = (x, y)
    frontier = [(abs(start[0] - goal[0]) + abs(start[1] - goal[1]), 0, start)]
    came_from: dict[tuple[int, int], tuple[int, int] | None] = {start: None}
    cost = {start: 0}
    while frontier:
        _, g, cur = heapq.heappop(frontier)
        if cur == goal:
            break
        x, y = cur
        for nx, ny in ((x + 1, y), (x - 1, y), (x, y + 1), (x, y - 1)):
            if 0 <= nx < w and 0 <= ny < h and grid[ny][nx] != "#" and ((nx, ny) not in cost or g + 1 < cost[(nx, ny)]):
                cost[(nx, ny)] = g + 1
                came_from[(nx, ny)] = cur
                heapq.heappush(frontier, (g + 1 + abs(nx - goal[0]) + abs(ny - goal[1]), g + 1, (nx, ny)))
    if goal not in came_from:
        return "no path"
    steps = 0
    at = came_from[goal]
    while at is not None:
        steps += 1
        at = came_from[at]
    small = {k: v for k, v in came_from.items() if k[0] + k[1] <= 1}
    return f"{steps} steps {cost[goal]} {small} {came_from.get((99, 99))} {came_from.get(start, (7, 7))}"
