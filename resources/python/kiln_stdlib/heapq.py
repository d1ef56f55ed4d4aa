"""Kiln's compiled heapq: the same sift algorithm as CPython's _heapq, so the list holds its items in the
same order after every call (the heap's layout is visible to the program). Kiln compiles these functions as
helpers of the program that imports heapq, specialised per item type (numbers, strings, tuples); CPython
runs its own heapq when the program is verified. Not a module for CPython to import."""


def _sift_toward_root(heap, start, pos):
    # The item at pos moves up while it is smaller than its parent (never above start).
    item = heap[pos]
    while pos > start:
        parentpos = (pos - 1) >> 1
        parent = heap[parentpos]
        if item < parent:
            heap[pos] = parent
            pos = parentpos
        else:
            break
    heap[pos] = item


def _sift_to_leaf(heap, pos):
    # The hole at pos goes down along the smaller child to a leaf; the item then moves back up.
    end = len(heap)
    start = pos
    item = heap[pos]
    child = 2 * pos + 1
    while child < end:
        right = child + 1
        if right < end and not heap[child] < heap[right]:
            child = right
        heap[pos] = heap[child]
        pos = child
        child = 2 * pos + 1
    heap[pos] = item
    _sift_toward_root(heap, start, pos)


def heappush(heap, item):
    heap.append(item)
    _sift_toward_root(heap, 0, len(heap) - 1)


def heappop(heap):
    if len(heap) == 0:
        raise IndexError("index out of range")
    last = heap.pop()
    if len(heap) == 0:
        return last
    top = heap[0]
    heap[0] = last
    _sift_to_leaf(heap, 0)
    return top


def heapreplace(heap, item):
    if len(heap) == 0:
        raise IndexError("index out of range")
    top = heap[0]
    heap[0] = item
    _sift_to_leaf(heap, 0)
    return top


def heappushpop(heap, item):
    if len(heap) > 0 and heap[0] < item:
        top = heap[0]
        heap[0] = item
        _sift_to_leaf(heap, 0)
        return top
    return item


def heapify(x):
    for i in range(len(x) // 2 - 1, -1, -1):
        _sift_to_leaf(x, i)


def _same(v):
    return v


def nsmallest(n, iterable, key=_same):
    # CPython documents the result as sorted(iterable, key=key)[:n]: kept sorted by inserting each item after
    # the items of equal key already taken (a stable sort's order). key=None is refused (Kiln's default is the identity).
    out = []
    if n <= 0:
        return out
    for x in iterable:
        if len(out) == n:
            if not key(x) < key(out[n - 1]):
                continue
            out.pop()
        lo = 0
        hi = len(out)
        while lo < hi:
            mid = (lo + hi) // 2
            if key(x) < key(out[mid]):
                hi = mid
            else:
                lo = mid + 1
        out.insert(lo, x)
    return out


def nlargest(n, iterable, key=_same):
    # CPython documents the result as sorted(iterable, key=key, reverse=True)[:n] (stable: equal keys keep their order).
    out = []
    if n <= 0:
        return out
    for x in iterable:
        if len(out) == n:
            if not key(out[n - 1]) < key(x):
                continue
            out.pop()
        lo = 0
        hi = len(out)
        while lo < hi:
            mid = (lo + hi) // 2
            if key(out[mid]) < key(x):
                hi = mid
            else:
                lo = mid + 1
        out.insert(lo, x)
    return out


def _merging(pools, key, reverse):
    # CPython's merge (a generator: nothing runs before its first item is asked for) keys the first item of each
    # iterable in order, then keeps them in a heap ordered by (key, the iterable's position; negated with
    # reverse=True) and yields its top: the smallest key (the largest with reverse=True), ties going to the earliest
    # iterable. Once an item is yielded, the next item of its iterable is read and keyed when the consumer asks for
    # the next one; when one iterable is left, its remaining items are yielded without calling key. A scan of the
    # current keys makes the same choices (the heap's layout shows only with NaN keys).
    live = [j for j in range(len(pools)) if len(pools[j]) > 0]
    at = [0 for _ in pools]
    keys = [key(pools[j][0]) for j in live]
    while len(live) > 1:
        best = 0
        for t in range(1, len(live)):
            if reverse:
                if keys[best] < keys[t]:
                    best = t
            elif keys[t] < keys[best]:
                best = t
        j = live[best]
        yield pools[j][at[j]]
        at[j] += 1
        if at[j] < len(pools[j]):
            keys[best] = key(pools[j][at[j]])
        else:
            live.pop(best)
            keys.pop(best)
    if len(live) == 1:
        j = live[0]
        while at[j] < len(pools[j]):
            yield pools[j][at[j]]
            at[j] += 1


# merge(a, b, key=f, reverse=True) goes to merge__2 (compiled_stdlib.ts): one variant per number of iterables, each
# a generator over sequences (parameters seq*: the tracer refuses a generator, which CPython reads item by item).
def merge__1(seq0, *, key=_same, reverse=False):
    yield from _merging([[x for x in seq0]], key, reverse)


def merge__2(seq0, seq1, *, key=_same, reverse=False):
    yield from _merging([[x for x in seq0], [x for x in seq1]], key, reverse)


def merge__3(seq0, seq1, seq2, *, key=_same, reverse=False):
    yield from _merging([[x for x in seq0], [x for x in seq1], [x for x in seq2]], key, reverse)


def merge__4(seq0, seq1, seq2, seq3, *, key=_same, reverse=False):
    yield from _merging([[x for x in seq0], [x for x in seq1], [x for x in seq2], [x for x in seq3]], key, reverse)
