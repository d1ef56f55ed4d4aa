"""Queues, counters and caches from the collections module: BFS with a deque, sliding windows with maxlen,
word and pair counting with Counter, an LRU cache with OrderedDict, and the errors each raises."""
from collections import Counter, OrderedDict, deque

from kiln import compile


@compile(examples=[(6, [0, 0, 1, 2, 4], [1, 2, 3, 3, 5], 0), (3, [0], [1], 2), (1, [], [], 0)])
def bfs_levels(n: int, us: list[int], vs: list[int], start: int) -> list[int]:
    if n <= 0:
        return []
    adj = {}
    for v in range(n):
        adj[v] = []
    for i in range(min(len(us), len(vs))):
        a = us[i] % n
        b = vs[i] % n
        adj[a].append(b)
        adj[b].append(a)
    level = [-1] * n
    s = start % n
    level[s] = 0
    queue = deque([s])
    while queue:
        u = queue.popleft()
        for w in adj[u]:
            if level[w] < 0:
                level[w] = level[u] + 1
                queue.append(w)
    return level


@compile(examples=[(3, 4), (0, 0), (2, 9)])
def knight_moves(target_row: int, target_col: int) -> int:
    # fewest knight moves on an 8x8 board from (0, 0), with (row, col, steps) tuples in the queue
    if not (0 <= target_row < 8 and 0 <= target_col < 8):
        return -1
    seen = {(0, 0)}
    queue = deque()
    queue.append((0, 0, 0))
    while queue:
        r, c, steps = queue.popleft()
        if r == target_row and c == target_col:
            return steps
        for dr, dc in ((1, 2), (2, 1), (-1, 2), (-2, 1), (1, -2), (2, -1), (-1, -2), (-2, -1)):
            nr = r + dr
            nc = c + dc
            if 0 <= nr < 8 and 0 <= nc < 8 and (nr, nc) not in seen:
                seen.add((nr, nc))
                queue.append((nr, nc, steps + 1))
    return -2


@compile(examples=[([1, 3, -1, -3, 5, 3, 6, 7], 3), ([4, 2], 1), ([], 2), ([1, 2], 0)])
def sliding_window_max(xs: list[int], k: int) -> list[int]:
    if k <= 0:
        raise ValueError("window must be positive")
    window = deque()
    out = []
    for i in range(len(xs)):
        while window and xs[window[-1]] <= xs[i]:
            window.pop()
        window.append(i)
        if window[0] <= i - k:
            window.popleft()
        if i >= k - 1:
            out.append(xs[window[0]])
    return out


@compile(examples=[([1, 2, 3, 4, 5, 6], 3, 2), ([], 2, 0), ([1, 2], 4, -3)])
def recent_history(xs: list[int], size: int, turn: int) -> int:
    history = deque(maxlen=4)
    for x in xs:
        history.append(x)
    history.appendleft(size)
    history.rotate(turn)
    total = 0
    for h in history:
        total = total * 10 + h % 10
    return total * 10 + history[size % 4 - 2]


@compile(examples=[("the quick the lazy the end quick",), ("",), ("a",)])
def word_frequencies(text: str) -> str:
    counts = Counter(text.split())
    ranked = sorted(counts, key=counts.get, reverse=True)
    lengths = Counter([len(w) for w in text.split()])
    parts = [w + ":" + str(counts[w]) for w in ranked[:3]]
    for n, c in lengths.most_common(2):
        parts.append(str(n) + "x" + str(c))
    parts.append(str(counts["missing"]))
    parts.append(str(counts.total()))
    return " ".join(parts)


@compile(examples=[([1, 2, 2, 3, 3, 3], [3, 4, 2]), ([], []), ([5, 5], [5])])
def counter_arithmetic(a: list[int], b: list[int]) -> int:
    ca = Counter(a)
    cb = Counter(b)
    total = 0
    for k, n in (ca + cb).most_common():
        total = (total * 7 + k % 100 * n) % 1000003
    for k, n in (ca - cb).most_common():
        total = (total * 5 + k % 100 + n) % 1000003
    both = ca & cb
    either = ca | cb
    ca.update(b)
    ca.subtract([3])
    return total * 1000 + len(both) * 100 + len(either) * 10 + ca[3]


@compile(examples=[(2, [1, 2, 1, 3, 1, 2, 4, 1]), (1, [5, 5, 6]), (0, [1, 2])])
def lru_cache_misses(capacity: int, requests: list[int]) -> int:
    cache = OrderedDict()
    misses = 0
    for r in requests:
        if r in cache:
            cache.move_to_end(r)
        else:
            misses += 1
            cache[r] = r * 10
            if len(cache) > capacity:
                cache.popitem(last=False)
    order = 0
    for k in cache:
        order = order * 10 + k % 10
    return misses * 1000 + order


@compile(examples=[(0,), (3,)])
def empty_queue_errors(n: int) -> int:
    q = deque([1, 2, 3])
    for _ in range(n):
        q.pop()
    return q.popleft() + q[2]
