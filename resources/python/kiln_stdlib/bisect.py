"""Kiln's compiled bisect: CPython's binary searches (the same comparisons, the same ValueError for a
negative lo), compiled as helpers of the program that imports bisect. Not a module for CPython to import."""


def bisect_right(a, x, lo=0, hi=-1):
    if lo < 0:
        raise ValueError("lo must be non-negative")
    if hi == -1:
        hi = len(a)
    while lo < hi:
        mid = (lo + hi) // 2
        if x < a[mid]:
            hi = mid
        else:
            lo = mid + 1
    return lo


def bisect_left(a, x, lo=0, hi=-1):
    if lo < 0:
        raise ValueError("lo must be non-negative")
    if hi == -1:
        hi = len(a)
    while lo < hi:
        mid = (lo + hi) // 2
        if a[mid] < x:
            lo = mid + 1
        else:
            hi = mid
    return lo


def insort_right(a, x, lo=0, hi=-1):
    a.insert(bisect_right(a, x, lo, hi), x)


def insort_left(a, x, lo=0, hi=-1):
    a.insert(bisect_left(a, x, lo, hi), x)


def bisect(a, x, lo=0, hi=-1):
    return bisect_right(a, x, lo, hi)


def insort(a, x, lo=0, hi=-1):
    insort_right(a, x, lo, hi)
