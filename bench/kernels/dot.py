"""Dot product of two float64 vectors, summed in order (no reassociation, as CPython and Numba without fastmath)."""
import numpy as np
import numpy.typing as npt
from kiln import compile


@compile
def dot(a: npt.NDArray[np.float64], b: npt.NDArray[np.float64]) -> float:
    s = 0.0
    for i in range(len(a)):
        s += a[i] * b[i]
    return s
