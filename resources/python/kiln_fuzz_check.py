"""Kiln's fuzzer, CPython side: the instrumented copy of each generated program reports which of Kiln's
documented limits its run reached, so that a native OverflowError or ValueError is called a documented limit
only where the limit really applies.

The fuzzer prints each program a second time with every value that may be an int passed through `_k` and
every power through `_kpow`; both return the value unchanged (and raise what the operation raises), so the
copy computes exactly what the program computes. `_klimits(fn, *args)` runs the copy and returns a bit mask:
  1  an int left the 64-bit range (Kiln raises OverflowError)
  2  an int was raised to a negative int power (Python gives a float; Kiln raises ValueError)
  4  a power gave a complex number (Kiln raises ValueError)
"""

INT64_MIN = -(2 ** 63)
INT64_MAX = 2 ** 63 - 1
_events = [0]


def _k(v):
    t = type(v)
    if t is int:
        if v < INT64_MIN or v > INT64_MAX:
            _events[0] |= 1
    elif t is tuple:
        for x in v:
            _k(x)
    return v


def _kpow(a, b, *mod):
    if not mod and type(a) in (int, bool) and type(b) in (int, bool) and b < 0:
        _events[0] |= 2
    r = pow(a, b, *mod)
    if type(r) is complex:
        _events[0] |= 4
    return _k(r)


def _klimits(fn, *args):
    _events[0] = 0
    try:
        fn(*args)
    except Exception:
        pass
    return _events[0]
