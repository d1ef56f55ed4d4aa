"""Euclidean distances between every pair of n points in d dimensions (n x n result)."""
import numpy as np
import numpy.typing as npt
from kiln import compile


@compile(ndim={"p": 2})
def pairwise(p: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    n, d = p.shape
    out = np.empty((n, n))
    for i in range(n):
        for j in range(n):
            s = 0.0
            for k in range(d):
                t = p[i, k] - p[j, k]
                s += t * t
            out[i, j] = np.sqrt(s)
    return out
