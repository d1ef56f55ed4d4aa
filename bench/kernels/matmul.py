"""Matrix product with i-p-j loops (the inner loop runs along rows of b and c)."""
import numpy as np
import numpy.typing as npt
from kiln import compile


@compile(ndim={"a": 2, "b": 2})
def matmul(a: npt.NDArray[np.float64], b: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    n, k = a.shape
    m = b.shape[1]
    c = np.zeros((n, m))
    for i in range(n):
        for p in range(k):
            aip = a[i, p]
            for j in range(m):
                c[i, j] += aip * b[p, j]
    return c
