"""Graph searches over a dict of adjacency lists (issue 14's speed targets): a random directed graph of n nodes
(1 to 8 out-edges each, drawn by a 31-bit LCG so CPython, Kiln and the C reference build the same graph), then a
breadth-first search with a deque, or Dijkstra's algorithm with heapq, both keeping distances in a dict."""
from collections import deque
from heapq import heappop, heappush

from kiln import compile


@compile
def graph_bfs(n: int) -> int:
    g: dict[int, list[int]] = {}
    x = 12345
    for u in range(n):
        x = (x * 1103515245 + 12345) % 2147483648
        adj = []
        for _ in range(1 + (x >> 16) % 8):
            x = (x * 1103515245 + 12345) % 2147483648
            adj.append((x >> 4) % n)
        g[u] = adj
    dist = {0: 0}
    queue = deque([0])
    while queue:
        u = queue.popleft()
        du = dist[u] + 1
        for v in g[u]:
            if v not in dist:
                dist[v] = du
                queue.append(v)
    return len(dist) * 1000000 + sum(dist.values())


@compile
def graph_dijkstra(n: int) -> int:
    g: dict[int, list[tuple[int, int]]] = {}
    x = 12345
    for u in range(n):
        x = (x * 1103515245 + 12345) % 2147483648
        adj = []
        for _ in range(1 + (x >> 16) % 8):
            x = (x * 1103515245 + 12345) % 2147483648
            adj.append(((x >> 4) % n, 1 + (x >> 8) % 100))
        g[u] = adj
    dist = {0: 0}
    heap = [(0, 0)]
    while heap:
        d, u = heappop(heap)
        if d > dist[u]:
            continue
        for v, w in g[u]:
            nd = d + w
            if v not in dist or nd < dist[v]:
                dist[v] = nd
                heappush(heap, (nd, v))
    return len(dist) * 1000000000 + sum(dist.values())
