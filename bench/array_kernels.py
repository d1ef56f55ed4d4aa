"""Loop-style array kernels for `npx tsx bench/arrays.ts`: each compiled kernel has a NumPy twin (np_*)."""
import numpy as np
import numpy.typing as npt
from kiln import compile


@compile
def dot(a: npt.NDArray[np.float64], b: npt.NDArray[np.float64]) -> float:
    s = 0.0
    for i in range(len(a)):
        s += a[i] * b[i]
    return s


def np_dot(a, b):
    return np.dot(a, b)


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


def np_matmul(a, b):
    return a @ b


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


def np_diffusion(u, steps):
    a = u.copy()
    b = u.copy()
    for _ in range(steps):
        b[1:-1, 1:-1] = a[1:-1, 1:-1] + 0.1 * (a[:-2, 1:-1] + a[2:, 1:-1] + a[1:-1, :-2] + a[1:-1, 2:] - 4.0 * a[1:-1, 1:-1])
        a, b = b, a
    return a


@compile
def convolve(x: npt.NDArray[np.float64], w: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    n = len(x) - len(w) + 1
    out = np.zeros(n)
    for i in range(n):
        s = 0.0
        for k in range(len(w)):
            s += x[i + k] * w[k]
        out[i] = s
    return out


def np_convolve(x, w):
    return np.convolve(x, w[::-1], mode="valid")


@compile
def histogram(x: npt.NDArray[np.float64], bins: int) -> npt.NDArray[np.int64]:
    counts = np.zeros(bins, dtype=np.int64)
    for v in x:
        if v >= 0.0 and v < 1.0:
            counts[int(v * bins)] += 1
    return counts


def np_histogram(x, bins):
    return np.histogram(x, bins=bins, range=(0.0, 1.0))[0]


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


def np_pairwise(p):
    diff = p[:, None, :] - p[None, :, :]
    return np.sqrt((diff * diff).sum(axis=-1))
