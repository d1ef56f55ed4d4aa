"""Results and parameters whose type depends on the path, across the C ABI: the exported Python package and
the JS module must give what CPython gives (1 is not 1.0; None is None)."""
from typing import Optional

import numpy as np
import numpy.typing as npt
from kiln import compile


@compile
def mean_or_zero(total: float, count: int):
    if count == 0:
        return 0
    return total / count


@compile
def find(n: int, k: int) -> Optional[int]:
    for i in range(n):
        if i * i == k:
            return i
    return None


@compile
def shifted(x: Optional[int], y: int) -> int:
    if x is None:
        return y
    return x * 2 + y


@compile
def pair_or_none(n: int, target: int):
    for i in range(n):
        for j in range(i, n):
            if i * j == target:
                return (i, j)
    return None


@compile
def smaller(a: int, b: float):
    return min(a, b)


@compile
def flag_or_count(n: int):
    if n < 0:
        return False
    return n * 3


@compile
def plus_one(x: Optional[float]):
    return x + 1.0


@compile
def either(x: int | float, f: bool):
    return x if f else None


@compile
def first_negative(a: npt.NDArray[np.float64]):
    for i in range(a.shape[0]):
        if a[i] < 0:
            return a[i]
    return None


@compile
def row_sums(n: int):
    """Rows of float sums, each an int 0 where there is nothing to add: a list of lists of int | float."""
    return [[sum(1.25 + i for _ in range(k)) for k in range(n % 4)] for i in range(2)]
