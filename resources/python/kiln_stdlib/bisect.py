"""Kiln's compiled bisect: CPython's binary searches (the same comparisons in the same order, the same
ValueError for a negative lo, hi=-1 meaning len(a) as in CPython's _bisect), compiled as helpers of the program
that imports bisect. key= is a function (a def, a lambda, abs, ...): CPython compares key(a[mid]) with x, and
insort compares key(x). Kiln's default key is the identity, so key=None passed by name is refused by the type
checker ('NoneType' object is not callable) instead of compiled. Not a module for CPython to import."""


def _same(v):
    return v


def bisect_right(a, x, lo=0, hi=-1, *, key=_same):
    if lo < 0:
        raise ValueError("lo must be non-negative")
    if hi == -1:
        hi = len(a)
    while lo < hi:
        mid = (lo + hi) // 2
        if x < key(a[mid]):
            hi = mid
        else:
            lo = mid + 1
    return lo


def bisect_left(a, x, lo=0, hi=-1, *, key=_same):
    if lo < 0:
        raise ValueError("lo must be non-negative")
    if hi == -1:
        hi = len(a)
    while lo < hi:
        mid = (lo + hi) // 2
        if key(a[mid]) < x:
            lo = mid + 1
        else:
            hi = mid
    return lo


def insort_right(a, x, lo=0, hi=-1, *, key=_same):
    a.insert(bisect_right(a, key(x), lo, hi, key=key), x)


def insort_left(a, x, lo=0, hi=-1, *, key=_same):
    a.insert(bisect_left(a, key(x), lo, hi, key=key), x)


def bisect(a, x, lo=0, hi=-1, *, key=_same):
    return bisect_right(a, x, lo, hi, key=key)


def insort(a, x, lo=0, hi=-1, *, key=_same):
    insort_right(a, x, lo, hi, key=key)
