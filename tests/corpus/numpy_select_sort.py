"""Selecting and ordering array data as model and statistics code does: embedding lookups, new axes for pairwise
work, ufuncs writing into out=, nearest neighbours by a stable argsort, medians and percentiles, in-place sorts."""
import numpy as np
import numpy.typing as npt
from kiln import compile


@compile(ndim={"table": 2, "ids": 1}, examples=[([[0.5, -1.0], [2.0, 0.25], [-3.0, 4.0]], [2, 0, -1, 1, 2])])
def embed(table: npt.NDArray[np.float64], ids: npt.NDArray[np.int64]) -> npt.NDArray[np.float64]:
    return table[ids] * 2.0


@compile(ndim={"values": 1, "idx": 2}, examples=[([1.5, -2.0, 7.0, 0.0], [[0, 3], [2, 2], [-4, 1]])])
def gather_grid(values: npt.NDArray[np.float64], idx: npt.NDArray[np.int32]) -> npt.NDArray[np.float64]:
    return values[idx]


@compile(ndim={"x": 2}, examples=[([[0.0, 1.0], [3.0, -1.0], [0.5, 0.5]],)])
def pairwise_sq(x: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    diff = x[:, None, :] - x[None, :, :]
    return np.sum(diff * diff, axis=-1)


@compile(ndim={"a": 1, "b": 1}, examples=[([1.0, -2.0, 3.5], [0.5, 4.0])])
def outer_newaxis(a: npt.NDArray[np.float64], b: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    return a[:, np.newaxis] * b[np.newaxis, :] + a[0, None]


@compile(ndim={"points": 2, "query": 1}, examples=[([[0.0, 0.0], [1.0, 1.0], [-1.0, 0.0], [0.0, 1.0], [2.0, 2.0]], [0.0, 0.5], 3)])
def nearest(points: npt.NDArray[np.float64], query: npt.NDArray[np.float64], k: int) -> npt.NDArray[np.int64]:
    d = np.sum((points - query[None, :]) ** 2, axis=1)
    return np.argsort(d, kind="stable")[:k]


@compile(ndim={"x": 2}, examples=[([[3.0, 1.0, 2.0], [1e400 - 1e400, -0.0, 0.0]],)])
def rank_rows(x: npt.NDArray[np.float64]) -> npt.NDArray[np.int64]:
    return np.argsort(np.argsort(x, axis=1, kind="stable"), axis=1, kind="mergesort")


@compile(ndim={"x": 2}, examples=[([[-2.0, -1.0, 0.0, -1.0, -2.0], [1.0, 1.0, -0.0, 0.0, 1e400 - 1e400]],), ([[5.0, 5.0, 5.0, 5.0, 5.0, 5.0, 5.0, 5.0, 5.0, 5.0, 5.0, 5.0, 5.0, 5.0, 5.0, 5.0, 5.0, 5.0, 5.0, 5.0],
                                                                                                                             [3.0, 1.0, 3.0, 1.0, 3.0, 1.0, 3.0, 1.0, 3.0, 1.0, 3.0, 1.0, 3.0, 1.0, 3.0, 1.0, 3.0, 1.0, 3.0, 1.0]],)])
def argsort_default_kind(x: npt.NDArray[np.float64]) -> npt.NDArray[np.int64]:
    """np.argsort's default kind (and 'quicksort', 'heapsort'; a.argsort() too): the stable order; NumPy's own indices of
    equal items depend on the CPU, so the reference checks they are a valid argsort and compares with kind='stable'."""
    rows = np.argsort(x)
    cols = np.argsort(x, axis=0, kind="quicksort")
    flat = np.argsort(x, axis=None, kind="heapsort")
    ints = np.argsort(x[0].astype(np.int64) % 3)
    method = x.argsort() + x.argsort(axis=None).reshape(x.shape)
    return rows * 1000 + cols * 100 + flat.reshape(x.shape) + ints[0] + method * 7


@compile(ndim={"x": 2}, examples=[([[3.0, 1e400 - 1e400, 2.0], [1.0, -5.0, 0.0]],)])
def sorted_views(x: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    cols = np.sort(x, axis=0)
    flat = np.sort(x, axis=None)
    return np.sort(x) + cols + flat.reshape(x.shape)


@compile(ndim={"x": 1}, examples=[([5, -3, 5, 0, 12, -3],)])
def sort_in_place(x: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    x.sort()
    return x


@compile(ndim={"x": 1}, examples=[([1.0, 2.0, 3.0, 4.0, 100.0],), ([2.5, 1e400 - 1e400, 1.0],), ([-0.0, -0.0],)])
def robust_scale(x: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    med = np.median(x)
    spread = np.percentile(x, 75.0) - np.percentile(x, 25)
    return (x - med) / (spread + 1e-12)


@compile(ndim={"x": 1}, examples=[([7, 1, 3, 9],), ([2147483647, -2147483648],)])
def int_quantiles(x: npt.NDArray[np.int32]) -> tuple[float, float, float]:
    return float(np.median(x)), float(np.percentile(x, 10.0)), float(np.percentile(x, 100))


@compile(ndim={"x": 1}, examples=[([0.5, 2.0, 1.0, 9.0, 3.0, 4.0, 8.0, 7.0, 6.0, 5.0],)])
def trimmed_mean(x: npt.NDArray[np.float64]) -> float:
    s = np.sort(x)
    cut = s.shape[0] // 10
    return float(np.mean(s[cut:s.shape[0] - cut]))


@compile(ndim={"x": 2}, examples=[([[1.0, 2.0, 3.0], [-1.0, 0.0, 50.0]],)])
def softmax_out(x: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    e = np.exp(x - np.max(x, axis=1, keepdims=True))
    np.divide(e, np.sum(e, axis=1, keepdims=True), out=e)
    return e


@compile(ndim={"w": 1, "g": 1}, examples=[([1.0, 2.0, 3.0], [0.5, 1e400 - 1e400, -1.0], 0.1)])
def masked_step(w: npt.NDArray[np.float64], g: npt.NDArray[np.float64], lr: float) -> npt.NDArray[np.float64]:
    np.subtract(w, lr * g, out=w, where=g == g)
    np.maximum(w, 0.0, out=w)
    return w


@compile(ndim={"x": 1}, examples=[([0.0, 1e-10, 0.5, -0.75, 3.0],)])
def hyperbolic(x: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    return np.arcsinh(x) + np.log1p(np.abs(x)) - np.expm1(x * 0.5) + np.hypot(x, 2.0) + np.arctan2(x, 1.5)


@compile(ndim={"x": 1, "y": 1}, examples=[([-0.0, 0.0, -0.0, 0.0, 1e400 - 1e400, 1.0], [0.0, -0.0, -0.0, 0.0, 2.0, 1e400 - 1e400])])
def signed_zero_extremes(x: npt.NDArray[np.float64], y: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """np.maximum/np.minimum keep the second of two equal values (x86-64 NumPy), np.clip keeps x."""
    return np.concatenate((np.maximum(x, y), np.minimum(x, y), np.maximum(x, 0.0), np.minimum(0.0, x), np.clip(x, 0.0, 1.0)))
