"""Priority queues and sorted lists: Dijkstra, k-way merge, running medians, interval scheduling, LIS."""
import heapq
from bisect import bisect_left, bisect_right, insort
from heapq import heappop, heappush

from kiln import compile


@compile(examples=[(4, [0, 0, 1, 2], [1, 2, 3, 3], [1.5, 4.0, 2.0, 0.5]), (3, [0], [2], [7.25]), (1, [], [], [])])
def dijkstra(n: int, us: list[int], vs: list[int], ws: list[float]) -> list[float]:
    m = min(len(us), len(vs), len(ws))
    size = min(max(n, 1), 64)
    adj: list[list[tuple[int, float]]] = [[] for _ in range(size)]
    for i in range(m):
        u = us[i] % size
        v = vs[i] % size
        adj[u].append((v, abs(ws[i])))
        adj[v].append((u, abs(ws[i])))
    dist = [float("inf")] * size
    dist[0] = 0.0
    heap = [(0.0, 0)]
    while heap:
        d, u = heappop(heap)
        if d > dist[u]:
            continue
        for v, w in adj[u]:
            nd = d + w
            if nd < dist[v]:
                dist[v] = nd
                heappush(heap, (nd, v))
    return dist


@compile(examples=[([5, 1, 9, 3, 7, 3], 3), ([2, 2, 2], 5), ([], 2)])
def k_smallest_and_largest(xs: list[int], k: int) -> list[int]:
    return heapq.nsmallest(k, xs) + heapq.nlargest(k, xs) + heapq.nsmallest(k, xs, key=lambda v: abs(v - 4))


@compile(examples=[([3.0, 1.0, 4.0, 1.0, 5.0, 9.0, 2.0, 6.0],), ([],), ([-0.0, 0.0, -1.5],)])
def heap_sort(xs: list[float]) -> list[float]:
    h = list(xs)
    heapq.heapify(h)
    out: list[float] = []
    while h:
        out.append(heapq.heappop(h))
    return out


@compile(examples=[([9, 4, 7, 1, 8, 2, 6],), ([1],), ([5, 5, 5, 5],)])
def heap_layout(xs: list[int]) -> list[int]:
    # The list after heapify, a push, a pushpop and a replace: the same layout as CPython's heapq.
    h = list(xs)
    heapq.heapify(h)
    heapq.heappush(h, 3)
    top = heapq.heappushpop(h, 4)
    h.append(top)
    heapq.heapify(h)
    old = heapq.heapreplace(h, 0)
    return h + [old]


@compile(examples=[([1, 4, 7, 2, 5, 8, 3, 6, 9], 3), ([1, 2], 5), ([4, 1, 3], 1)])
def merge_sorted_runs(xs: list[int], runs: int) -> list[int]:
    # Split into runs, sort each, then a k-way merge through a heap of (value, run, position).
    r = max(1, min(runs, 16))
    parts: list[list[int]] = [[] for _ in range(r)]
    for i in range(len(xs)):
        parts[i % r].append(xs[i])
    for p in parts:
        p.sort()
    heap: list[tuple[int, int, int]] = []
    for j in range(r):
        if parts[j]:
            heappush(heap, (parts[j][0], j, 0))
    out: list[int] = []
    while heap:
        v, j, pos = heappop(heap)
        out.append(v)
        if pos + 1 < len(parts[j]):
            heappush(heap, (parts[j][pos + 1], j, pos + 1))
    return out


@compile(examples=[([5.0, 15.0, 1.0, 3.0, 8.0, 7.0],), ([2.0],), ([],)])
def running_median(xs: list[float]) -> list[float]:
    low: list[float] = []   # a max-heap through negation
    high: list[float] = []
    out: list[float] = []
    for x in xs:
        if not low or x <= -low[0]:
            heappush(low, -x)
        else:
            heappush(high, x)
        if len(low) > len(high) + 1:
            heappush(high, -heappop(low))
        elif len(high) > len(low):
            heappush(low, -heappop(high))
        out.append(-low[0] if len(low) > len(high) else (-low[0] + high[0]) / 2.0)
    return out


@compile(examples=[([1, 3, 0, 5, 3], [4, 5, 6, 7, 9], [5, 1, 8, 4, 6]), ([0], [1], [3]), ([], [], [])])
def weighted_intervals(starts: list[int], ends: list[int], weights: list[int]) -> int:
    # Weighted interval scheduling: jobs sorted by end, each job's best predecessor found with bisect_right.
    n = min(len(starts), len(ends), len(weights))
    jobs: list[tuple[int, int, int]] = []
    for i in range(n):
        jobs.append((max(ends[i], starts[i]), starts[i], weights[i] % 1000))
    jobs.sort(key=lambda j: j[0])
    finish = [j[0] for j in jobs]
    best = [0] * (n + 1)
    for i in range(n):
        end, start, w = jobs[i]
        p = bisect_right(finish, start, 0, i)
        best[i + 1] = max(best[i], best[p] + w)
    return best[n]


@compile(examples=[([10, 9, 2, 5, 3, 7, 101, 18],), ([],), ([4, 4, 4],)])
def longest_increasing_subsequence(xs: list[int]) -> int:
    tails: list[int] = []
    for x in xs:
        i = bisect_left(tails, x)
        if i == len(tails):
            tails.append(x)
        else:
            tails[i] = x
    return len(tails)


@compile(examples=[(95,), (60,), (0,), (100,)])
def grade(score: int) -> str:
    breakpoints = [60, 70, 80, 90]
    return "FDCBA"[bisect_right(breakpoints, score)]


@compile(examples=[([5, 2, 8, 1, 9, 3], 3), ([1, 2, 3], 1), ([4], 2)])
def sliding_window_medians(xs: list[int], k: int) -> list[int]:
    w = max(1, min(k, 50))
    window: list[int] = []
    out: list[int] = []
    for i in range(len(xs)):
        insort(window, xs[i])
        if len(window) > w:
            window.pop(bisect_left(window, xs[i - w]))
        if len(window) == w:
            out.append(window[(w - 1) // 2])
    return out


@compile(examples=[([1, 5, 3, 2, 8], 6), ([], 0), ([3, 3, 3], 6)])
def pairs_with_sum_at_most(xs: list[int], target: int) -> int:
    s = sorted(xs)
    count = 0
    for i in range(len(s)):
        count += max(0, bisect_right(s, target - s[i], i + 1) - (i + 1))
    return count


@compile(examples=[([3, 8, 1, 9, 4], 2), ([1, 2, 3], 0)])
def keep_k_largest(stream: list[int], k: int) -> list[int]:
    heap: list[int] = []
    for x in stream:
        if len(heap) < k:
            heappush(heap, x)
        else:
            heapq.heappushpop(heap, x)
    return sorted(heap)


@compile(examples=[(3,), (0,), (6,)])
def words_in_heap_order(n: int) -> str:
    words = "delta alpha echo charlie bravo foxtrot".split()
    h: list[str] = []
    for w in words[: max(0, n) % 7]:
        heappush(h, w)
    out: list[str] = []
    while h:
        out.append(heappop(h))
    return ",".join(out)


@compile(examples=[(0,), (2,)])
def pop_empty_heap(n: int) -> int:
    h = [n]
    heapq.heappop(h)
    return heapq.heapreplace(h, n)


@compile(examples=[([1, 4, 6], [9, 2, 5], 5), ([], [], 0)])
def first_start_after(starts: list[int], lengths: list[int], t: int) -> int:
    # bisect with key=: the records stay (start, length) tuples sorted by start.
    recs: list[tuple[int, int]] = []
    for i in range(min(len(starts), len(lengths))):
        recs.append((starts[i], lengths[i]))
    recs.sort(key=lambda r: r[0])
    i = bisect_left(recs, t, key=lambda r: r[0])
    return recs[i][1] if i < len(recs) else -1


@compile(examples=[([1, 2, 3], -1), ([1, 2, 3], 1)])
def bisect_negative_lo(xs: list[int], lo: int) -> int:
    return bisect_left(xs, 2, lo)
