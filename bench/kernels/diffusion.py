"""Explicit 2-D diffusion: a 5-point stencil applied `steps` times, ping-ponging between two copies."""
import numpy as np
import numpy.typing as npt
from kiln import compile


@compile(ndim={"u": 2})
def diffusion(u: npt.NDArray[np.float64], steps: int) -> npt.NDArray[np.float64]:
    n, m = u.shape
    a = u.copy()
    b = u.copy()
    for _ in range(steps):
        for i in range(1, n - 1):
            for j in range(1, m - 1):
                b[i, j] = a[i, j] + 0.1 * (a[i - 1, j] + a[i + 1, j] + a[i, j - 1] + a[i, j + 1] - 4.0 * a[i, j])
        a, b = b, a
    return a
