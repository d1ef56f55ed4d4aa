"""Array and list parameters written by the function: the caller's array or list ends as CPython/NumPy leaves it
(verify compares every array and list argument after the call, also when the call raised)."""
import numpy as np
import numpy.typing as npt
from kiln import compile


@compile
def scale_in_place(a: npt.NDArray[np.float64], k: float) -> None:
    a *= k


@compile
def zero_every_other(a: npt.NDArray[np.int64]) -> int:
    a[::2] = 0
    return len(a)


@compile
def bump_at(a: npt.NDArray[np.float64], i: int, x: float) -> None:
    a[i] += x


@compile
def clamp_negatives(a: npt.NDArray[np.float32]) -> int:
    n = 0
    for i in range(len(a)):
        if a[i] < 0:
            a[i] = 0
            n += 1
    return n


@compile(ndim={"a": 2})
def fill_column(a: npt.NDArray[np.int32], v: np.int32) -> None:
    a[:, 0] = v


@compile
def add_through_view(a: npt.NDArray[np.float64]) -> float:
    v = a[1:]
    v += 1.0
    return float(a[0])


@compile
def write_then_raise(a: npt.NDArray[np.int64], i: int) -> np.int64:
    a[0] = 7
    return a[i]


@compile
def copy_not_written(a: npt.NDArray[np.float64]) -> float:
    b = a.copy()
    b[0] = 1.0
    return float(b.sum())


@compile
def repeat_in_place(xs: list[int], n: int) -> int:
    k = n % 4 - 1  # -1, 0, 1 or 2: n <= 0 empties the list
    xs *= k
    return len(xs)


@compile(examples=[([1.5, -2.0], 0), ([1.5, -2.0], -3), ([0.5], 3)])
def repeat_alias(xs: list[float], n: int) -> float:
    ys = xs
    ys *= n % 5 - 2
    t = 0.0
    for x in xs:
        t += x
    return t


@compile
def repeat_literal(xs: list[int]) -> list[int]:
    xs *= 3
    return xs
