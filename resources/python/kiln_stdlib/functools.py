"""Kiln's compiled functools: reduce and partial, compiled as helpers of the program that imports functools.
A call with two arguments goes to reduce__2, partial(f, a) to partial__1 (project/compiled_stdlib.ts chooses
them from the call). lru_cache and cache are decorators the tracer accepts on helpers (compiled_stdlib.ts says
why the results are the same). Not a module for CPython to import."""


def reduce(function, iterable, initial):
    value = initial
    for element in iterable:
        value = function(value, element)
    return value


def reduce__2(function, sequence):
    if len(sequence) == 0:
        raise TypeError("reduce() of empty iterable with no initial value")
    value = sequence[0]
    for i in range(1, len(sequence)):
        value = function(value, sequence[i])
    return value



# partial(f, a, b) goes to partial__2 (compiled_stdlib.ts): the bound arguments are parameters of their own.
def partial__1(func, a0):
    def call(*more):
        return func(a0, *more)
    return call


def partial__2(func, a0, a1):
    def call(*more):
        return func(a0, a1, *more)
    return call


def partial__3(func, a0, a1, a2):
    def call(*more):
        return func(a0, a1, a2, *more)
    return call


# sorted(xs, key=cmp_to_key(f)) and xs.sort(key=cmp_to_key(f), reverse=r): the tracer (ir/trace.ts sortWithKey)
# calls _sort_by_cmp on the list to sort. CPython's list.sort compares keys with <, and cmp_to_key's a < b is
# f(a, b) < 0. Under 64 items CPython's timsort is one run plus a binary insertion sort, done here with the same
# comparisons in the same order (so a comparator that is not a consistent order, or that raises, does what it does
# in CPython); longer lists are merged stably, the same order as CPython's whenever f is a consistent order.
def _reverse_prefix(items, n):
    i = 0
    j = n - 1
    while i < j:
        t = items[i]
        items[i] = items[j]
        items[j] = t
        i += 1
        j -= 1


def _small_sort(items, f):
    n = len(items)
    run = 2
    if f(items[1], items[0]) < 0:
        while run < n and f(items[run], items[run - 1]) < 0:
            run += 1
        _reverse_prefix(items, run)
    else:
        while run < n and not f(items[run], items[run - 1]) < 0:
            run += 1
    for start in range(run, n):
        pivot = items[start]
        lo = 0
        hi = start
        while lo < hi:
            mid = lo + ((hi - lo) >> 1)
            if f(pivot, items[mid]) < 0:
                hi = mid
            else:
                lo = mid + 1
        for k in range(start, lo, -1):
            items[k] = items[k - 1]
        items[lo] = pivot


def _merge_sort(items, f):
    n = len(items)
    src = [x for x in items]
    width = 1
    while width < n:
        dst = []
        for lo in range(0, n, 2 * width):
            mid = min(lo + width, n)
            hi = min(lo + 2 * width, n)
            i = lo
            j = mid
            while i < mid and j < hi:
                if f(src[j], src[i]) < 0:
                    dst.append(src[j])
                    j += 1
                else:
                    dst.append(src[i])
                    i += 1
            while i < mid:
                dst.append(src[i])
                i += 1
            while j < hi:
                dst.append(src[j])
                j += 1
        src = dst
        width *= 2
    for i in range(n):
        items[i] = src[i]


def _sort_by_cmp(items, f, reverse):
    # reverse=True: CPython reverses the list, sorts it stably and reverses it again (equal items keep their order).
    if reverse:
        items.reverse()
    if len(items) >= 64:
        _merge_sort(items, f)
    elif len(items) >= 2:
        _small_sort(items, f)
    if reverse:
        items.reverse()
