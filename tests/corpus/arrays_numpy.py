"""NumPy functions: creation, ufuncs, broadcasting, reductions (bit for bit, pairwise sums), dot/matmul."""
import numpy as np
import numpy.typing as npt
from kiln import compile


@compile
def make_zeros(n: int) -> npt.NDArray[np.float64]:
    return np.zeros(n)


@compile
def make_ones_int(n: int) -> npt.NDArray[np.int64]:
    return np.ones(n, dtype=np.int64)


@compile
def make_full(n: int, v: float) -> npt.NDArray[np.float64]:
    return np.full((2, n), v)


@compile
def make_arange(n: int) -> npt.NDArray[np.int64]:
    return np.arange(n)


@compile
def make_arange_float(a: float, b: float) -> npt.NDArray[np.float64]:
    return np.arange(a, b, 0.5)


@compile
def make_linspace(a: float, b: float, n: int) -> npt.NDArray[np.float64]:
    return np.linspace(a, b, n)


@compile
def make_linspace_open(n: int) -> npt.NDArray[np.float64]:
    return np.linspace(0.0, 1.0, n, endpoint=False)


@compile
def like(a: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    return np.zeros_like(a) + np.ones_like(a) * 3.0


@compile
def from_list(xs: list[float]) -> npt.NDArray[np.float64]:
    return np.array(xs)


@compile
def from_nested(n: int) -> npt.NDArray[np.int64]:
    return np.array([[i * j for j in range(3)] for i in range(n)])


@compile
def ufuncs(a: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    return np.sqrt(np.abs(a)) + np.floor(a)


@compile
def min_max(a: npt.NDArray[np.float64], b: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    return np.minimum(a, b) - np.maximum(a, 1.0)


@compile
def where_clip(a: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    return np.where(a > 0.0, a, -a) + np.clip(a, -1.0, 2.0)


@compile
def total(a: npt.NDArray[np.float64]) -> np.float64:
    return np.sum(a)


@compile
def total_method(a: npt.NDArray[np.float32]) -> np.float32:
    return a.sum()


@compile
def total_int(a: npt.NDArray[np.int32]) -> np.int64:
    return np.sum(a)


@compile(ndim={"a": 2})
def total_2d(a: npt.NDArray[np.float64]) -> np.float64:
    return np.sum(a)


@compile(ndim={"a": 2})
def sum_axis0(a: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    return np.sum(a, axis=0)


@compile(ndim={"a": 2})
def sum_axis1(a: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    return a.sum(axis=1)


@compile
def average(a: npt.NDArray[np.float64]) -> np.float64:
    return np.mean(a)


@compile
def average_int(a: npt.NDArray[np.int64]) -> np.float64:
    return a.mean()


@compile
def spread(a: npt.NDArray[np.float64]) -> np.float64:
    return np.std(a)


@compile
def product(a: npt.NDArray[np.int64]) -> np.int64:
    return np.prod(a)


@compile
def smallest(a: npt.NDArray[np.float64]) -> np.float64:
    return np.min(a)


@compile
def largest_int(a: npt.NDArray[np.int64]) -> np.int64:
    return a.max()


@compile(ndim={"a": 2})
def col_max(a: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    return a.max(axis=0)


@compile
def where_min(a: npt.NDArray[np.float64]) -> np.int64:
    return np.argmin(a)


@compile
def where_max(a: npt.NDArray[np.int64]) -> np.int64:
    return np.argmax(a)


@compile
def any_all(a: npt.NDArray[np.int64]) -> tuple[bool, bool]:
    return np.any(a > 10), np.all(a > -40)


@compile
def dot1(a: npt.NDArray[np.int64], b: npt.NDArray[np.int64]) -> np.int64:
    return np.dot(a, b)


@compile(ndim={"a": 2, "b": 2})
def matmul_int(a: npt.NDArray[np.int64], b: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    return a @ b


@compile(ndim={"a": 2})
def matvec(a: npt.NDArray[np.float64], x: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    return a @ x


@compile
def astype_int(a: npt.NDArray[np.float64]) -> npt.NDArray[np.int32]:
    return np.clip(a, -100.0, 100.0).astype(np.int32)


@compile
def cast_float32(a: npt.NDArray[np.int64]) -> npt.NDArray[np.float32]:
    return a.astype(np.float32) * 0.5


@compile
def normalise(a: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    return (a - np.mean(a)) / (np.std(a) + 1.0)


@compile
def tolist_sum(a: npt.NDArray[np.int64]) -> list[int]:
    return sorted(a.tolist())


@compile
def hist(a: npt.NDArray[np.float64]) -> npt.NDArray[np.int64]:
    counts = np.zeros(4, dtype=np.int64)
    for x in a:
        if x >= -10.0 and x < 10.0:
            k = int((x + 10.0) // 5.0)
            counts[k] += 1
    return counts


@compile
def pairwise_dist(x: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    n = len(x)
    d = np.empty((n, n))
    for i in range(n):
        for j in range(n):
            d[i, j] = abs(x[i] - x[j])
    return d


@compile
def convolve3(x: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    w = np.array([0.25, 0.5, 0.25])
    n = len(x) - 2
    out = np.zeros(max(n, 0))
    for i in range(n):
        s = 0.0
        for k in range(3):
            s += x[i + k] * w[k]
        out[i] = s
    return out


# In-place operators write into the array's own memory, as NumPy does: every alias, view base and the
# caller's array see it (rebinding to a new array would leave them unchanged).
@compile
def iadd_alias(a: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    b = a
    a += 1.0
    return b


@compile
def imul_view(a: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    v = a[1:]
    v *= 2.0
    return a


@compile
def iops_int(a: npt.NDArray[np.int64], k: int) -> npt.NDArray[np.int64]:
    b = a
    a += k
    a *= 2
    a //= 3
    a -= b[0]
    return b


@compile(ndim={"a": 2})
def isub_rows(a: npt.NDArray[np.float64], row: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    c = a.copy()
    d = c
    c -= row
    return d
