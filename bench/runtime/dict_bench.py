"""CPython's side of bench/runtime/dict_bench.c: the same cases on the same inputs (splitmix64, seed 42), the
same checksums, CPU time of the process (time.process_time, as dict_bench.c uses clock()). Usage: python3 dict_bench.py CASE [REPS]  |  python3 dict_bench.py mem N"""
import sys
import time
from collections import deque

M64 = (1 << 64) - 1
NKEYS = 1_000_000
NNODES = 100_000


class SplitMix64:
    def __init__(self, seed):
        self.s = seed

    def __call__(self):
        self.s = (self.s + 0x9E3779B97F4A7C15) & M64
        z = self.s
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
        return z ^ (z >> 31)


def inputs():
    r = SplitMix64(42)
    keys, pairs = [], []
    for _ in range(NKEYS):
        x = r()
        keys.append(x % 200003)
        pairs.append((x % 1000, (x >> 20) % 1000))
    return keys, pairs


def count(keys):
    d = {}
    for k in keys:
        d[k] = d.get(k, 0) + 1
    return len(d) * 1000 + d.get(keys[7], 0)


def build_graph():
    r = SplitMix64(43)
    g = {}
    for u in range(NNODES):
        deg = 1 + r() % 8
        g[u] = [r() % NNODES for _ in range(deg)]
    return g


def bfs(g):
    dist = {0: 0}
    q = deque([0])
    while q:
        u = q.popleft()
        du = dist[u]
        for v in g[u]:
            if v not in dist:
                dist[v] = du + 1
                q.append(v)
    return len(dist) * 1000000 + sum(dist.values())


def main():
    case = sys.argv[1]
    if case == 'mem':
        import tracemalloc
        n = int(sys.argv[2])
        tracemalloc.start()
        d = {}
        for i in range(n):
            d[i * 7919 + 1000] = i + 1000
        live, peak = tracemalloc.get_traced_memory()
        print('mem %d %d %d %d' % (n, live, peak, sys.getsizeof(d)))
        return
    reps = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    keys, pairs = inputs()
    g = build_graph() if case == 'bfs' else None
    best, check = 1e30, 0
    for _ in range(reps):
        t0 = time.process_time()
        check = count(keys) if case in ('count_int', 'count_int_fused') else count(pairs) if case in ('count_tuple', 'count_tuple_fused') else bfs(g)
        best = min(best, (time.process_time() - t0) * 1e3)
    print('%s %.2f %d' % (case, best, check))


if __name__ == '__main__':
    main()
