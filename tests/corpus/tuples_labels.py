"""Graph algorithms over labelled nodes, and the list operations on tuples that hold objects they lean on.

Edges are "u-v:w" words; nodes are names, so edges are (str, str, int) tuples, adjacency lists hold (str, int)
pairs, heaps hold (int, str) pairs, and records carry lists and dicts alongside their labels. Each tuple in a list,
dict or set owns its str, list and dict references (tests/unit/tuples_memory.test.ts runs this file under valgrind).
"""
import heapq

from kiln import compile

ROADS = "a-b:4 a-c:2 b-c:1 b-d:5 c-d:8 c-e:10 d-e:2 d-f:6 e-f:2"
TASKS = "wake>wash wash>dress wake>coffee coffee>leave dress>leave"


def parse_edges(spec: str) -> list[tuple[str, str, int]]:
    edges = []
    for part in spec.split():
        ends, w = part.split(":")
        u, v = ends.split("-")
        edges.append((u, v, int(w)))
    return edges


def adjacency(edges: list[tuple[str, str, int]]) -> dict[str, list[tuple[str, int]]]:
    graph: dict[str, list[tuple[str, int]]] = {}
    for u, v, w in edges:
        graph.setdefault(u, []).append((v, w))
        graph.setdefault(v, []).append((u, w))
    return graph


@compile(examples=[(ROADS, "a", "f"), (ROADS, "f", "a"), (ROADS, "a", "z"), ("", "a", "a")])
def shortest_path(spec: str, src: str, dst: str) -> str:
    graph = adjacency(parse_edges(spec))
    dist: dict[str, int] = {src: 0}
    prev: dict[str, str] = {}
    heap = [(0, src)]
    while heap:
        d, u = heapq.heappop(heap)
        if d > dist[u] or u not in graph:
            continue
        for v, w in graph[u]:
            if v not in dist or d + w < dist[v]:
                dist[v] = d + w
                prev[v] = u
                heapq.heappush(heap, (d + w, v))
    if dst not in dist:
        return "unreachable"
    path = [dst]
    while path[-1] != src:
        path.append(prev[path[-1]])
    path.reverse()
    return "->".join(path) + " " + str(dist[dst])


@compile(examples=[ROADS, "", "x-y:1"])
def spanning_tree(spec: str) -> str:
    edges = parse_edges(spec)
    edges.sort(key=lambda e: e[2])
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.get(x, x) != x:
            x = parent[x]
        return x

    chosen: list[tuple[str, str, int]] = []
    for u, v, w in edges:
        ru, rv = find(u), find(v)
        if ru != rv:
            parent[ru] = rv
            chosen.append((u, v, w))
    return " ".join([u + v + str(w) for u, v, w in chosen])


@compile(examples=[TASKS, "", "a>b b>a"])
def task_order(spec: str) -> str:
    after: dict[str, list[str]] = {}
    needs: dict[str, int] = {}
    for rule in spec.split():
        first, then = rule.split(">")
        after.setdefault(first, []).append(then)
        after.setdefault(then, [])
        needs[then] = needs.get(then, 0) + 1
        needs[first] = needs.get(first, 0)
    ready = [(0, name) for name in needs if needs[name] == 0]
    heapq.heapify(ready)
    order = []
    while ready:
        step, name = heapq.heappop(ready)
        order.append(name)
        for nxt in after[name]:
            needs[nxt] -= 1
            if needs[nxt] == 0:
                heapq.heappush(ready, (step + 1, nxt))
    if len(order) < len(needs):
        return "cycle"
    return ",".join(order)


@compile(examples=[ROADS, "", "q-r:3"])
def degree_report(spec: str) -> str:
    graph = adjacency(parse_edges(spec))
    rows = [(name, len(nbrs), [w for _, w in nbrs]) for name, nbrs in graph.items()]
    rows.sort(key=lambda r: -r[1])
    best = rows[0] if rows else ("", 0, [0])
    return best[0] + ":" + str(best[1]) + ":" + str(sum(best[2]))


@compile(examples=[ROADS, ""])
def labelled_records(spec: str) -> str:
    records = []
    for u, v, w in parse_edges(spec):
        tags = {u: w, v: -w}
        records.append((u + v, tags, [w, w * 2]))
    out = ""
    for name, tags, ws in records:
        out += name + str(len(tags)) + str(ws[1])
    return out


@compile(examples=[ROADS, "", "a-b:1"])
def edit_edges(spec: str) -> str:
    edges = parse_edges(spec)
    edges.append(("x", "y", 1))
    edges.insert(0, ("p", "q", 9))
    edges[1] = ("r", "s", 3)
    doubled = edges * 2
    tail = doubled[len(edges) - 1:]
    joined = edges + tail
    last = joined.pop()
    first = joined.pop(0)
    copy = list(joined)
    copy.reverse()
    copy.pop(0)
    edges.clear()
    edges.extend(copy[:2])
    return last[0] + first[1] + str(len(copy)) + "".join([u for u, _, _ in edges])


@compile(examples=[(ROADS, 1), (ROADS, 99), ("", 0)])
def edge_at(spec: str, i: int) -> str:
    edges = parse_edges(spec)
    u, v, w = edges[i]
    return u + v + str(w)


@compile(examples=[(ROADS, "a", "b"), (ROADS, "b", "a"), (ROADS, "a", "f")])
def edge_weight(spec: str, u: str, v: str) -> int:
    weights = {(x, y): w for x, y, w in parse_edges(spec)}
    return weights[(u, v)]


# Tuples of str whose length is known only at run time (tuple[str, ...]): their lists own the str items, as dict keys too.
@compile(examples=[("b a c a", 2), ("", 0), ("x y", 5)])
def word_paths(s: str, i: int) -> str:
    seen: dict[tuple[str, ...], int] = {}
    words = s.split()[:4]
    for k in range(len(words)):
        key = tuple(sorted(words[: k + 1]))
        seen[key] = seen.get(key, 0) + k
    path = ("start",) + tuple(w.upper() for w in words) + ("end",)
    return repr(path[1:]) + str(sorted(seen.values())) + path[i] + str(path.index("end")) + str(tuple(words) in seen)
