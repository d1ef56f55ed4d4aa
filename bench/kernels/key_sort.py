"""Sorting with a key: sorted(xs, key=lambda v: -v) against sorted() of values already negated (the same
comparisons, without a key): the key function is a compile-time value, so the calls are direct."""
import numpy as np
import numpy.typing as npt
from kiln import compile


@compile
def key_sort(a: npt.NDArray[np.float64]) -> float:
    xs = sorted(a.tolist(), key=lambda v: -v)
    return xs[0] - xs[len(xs) // 2] + xs[-1]


@compile
def plain_sort(a: npt.NDArray[np.float64]) -> float:
    xs = sorted(a.tolist())
    return xs[0] - xs[len(xs) // 2] + xs[-1]
