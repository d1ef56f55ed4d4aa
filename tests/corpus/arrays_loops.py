"""Loop kernels over arrays: index checks hoisted out of innermost loops (the loop runs unchecked only when a
test before it proves every index in bounds), indices past the end or negative (IndexError or wrap-around at
the same iteration as CPython), and results handed back without a copy (fresh buffers) or copied (views)."""
import numpy as np
import numpy.typing as npt
from kiln import compile


@compile
def shifted_sum(a: npt.NDArray[np.float64], k: int) -> float:
    s = 0.0
    for i in range(len(a)):
        s += a[i + k]
    return s


@compile
def shifted_back(a: npt.NDArray[np.int64], k: int) -> int:
    s = 0
    for i in range(k, len(a)):
        s += a[i - k] * a[i]
    return s


@compile
def prefix_sum_to(a: npt.NDArray[np.int64], n: int) -> int:
    s = 0
    for i in range(n):
        s += a[i]
    return s


@compile
def wrap_previous(a: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    out = np.zeros(len(a))
    for i in range(len(a)):
        out[i] = a[i - 1] - a[i]
    return out


@compile
def laplace_1d(a: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    out = np.zeros(len(a))
    for i in range(1, len(a) - 1):
        out[i] = a[i - 1] + a[i + 1] - 2.0 * a[i]
    return out


@compile
def correlate(x: npt.NDArray[np.float64], w: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    n = len(x) - len(w) + 1
    out = np.zeros(max(n, 0))
    for i in range(n):
        s = 0.0
        for k in range(len(w)):
            s += x[i + k] * w[k]
        out[i] = s
    return out


@compile(ndim={"a": 2})
def column_total(a: npt.NDArray[np.int64], j: int) -> int:
    s = 0
    for i in range(a.shape[0]):
        s += a[i, j]
    return s


@compile(ndim={"a": 2})
def stencil_2d(a: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    n, m = a.shape
    b = a.copy()
    for i in range(1, n - 1):
        for j in range(1, m - 1):
            b[i, j] = 0.25 * (a[i - 1, j] + a[i + 1, j] + a[i, j - 1] + a[i, j + 1])
    return b


@compile(ndim={"a": 2})
def swap_steps(a: npt.NDArray[np.float64], steps: int) -> npt.NDArray[np.float64]:
    x = a.copy()
    y = a.copy()
    for _ in range(steps):
        for j in range(a.shape[1]):
            y[0, j] = x[0, j] + 1.0
        x, y = y, x
    return x


@compile(ndim={"a": 2, "b": 2})
def matmul_loops(a: npt.NDArray[np.float64], b: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    n, k = a.shape
    m = b.shape[1]
    c = np.zeros((n, m))
    for i in range(n):
        for p in range(k):
            aip = a[i, p]
            for j in range(m):
                c[i, j] += aip * b[p, j]
    return c


@compile
def scatter_counts(idx: npt.NDArray[np.int64], n: int) -> npt.NDArray[np.int64]:
    counts = np.zeros(max(n, 0), dtype=np.int64)
    for i in range(len(idx)):
        counts[idx[i]] += 1
    return counts


@compile
def returns_parameter(a: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    return a


@compile
def returns_head_of_fresh(a: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    b = a * 2.0
    return b[:2]


@compile
def returns_tail_of_fresh(a: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    b = a + 1.0
    return b[1:]


@compile(ndim={"a": 2})
def returns_column_of_fresh(a: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    b = a * 3.0
    return b[:, :1]


@compile
def minus_last(a: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    out = np.zeros(len(a))
    for i in range(len(a)):
        out[i] = a[i] - a[-1]
    return out
