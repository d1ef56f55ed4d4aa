"""Reductions along an axis as model code writes them: softmax, layer norm, statistics per feature, top scores."""
import numpy as np
import numpy.typing as npt
from kiln import compile


@compile(ndim={"x": 2})
def softmax(x: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    e = np.exp(x - np.max(x, axis=-1, keepdims=True))
    return e / np.sum(e, axis=-1, keepdims=True)


@compile(ndim={"x": 2})
def layer_norm(x: npt.NDArray[np.float64], eps: float) -> npt.NDArray[np.float64]:
    mean = np.mean(x, axis=-1, keepdims=True)
    variance = np.var(x, axis=-1, keepdims=True)
    return (x - mean) / np.sqrt(variance + eps)


@compile(ndim={"x": 2})
def standardize_columns(x: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    return (x - x.mean(axis=0)) / (x.std(axis=0, ddof=1) + 1e-9)


@compile(ndim={"x": 3})
def pool_tokens(x: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    return x.sum(axis=1) + x.max(axis=0).sum() + np.mean(x, axis=2)[0, 0]


@compile(ndim={"x": 3})
def per_channel(x: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    return x.mean(axis=0) - x.var(axis=-1, keepdims=True)[0]


@compile(ndim={"x": 3})
def head_argmax(x: npt.NDArray[np.float64]) -> npt.NDArray[np.int64]:
    return np.argmax(x, axis=1) + np.argmin(x, axis=0, keepdims=True)[0]


@compile(ndim={"x": 2})
def row_sums_int(x: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    return x.sum(axis=1) * x.prod(axis=0).sum()


@compile(ndim={"x": 2})
def ints_mean(x: npt.NDArray[np.int32]) -> npt.NDArray[np.float64]:
    return np.mean(x, axis=0) + np.var(x, axis=1, ddof=0).sum()


@compile(ndim={"x": 2})
def any_all_rows(x: npt.NDArray[np.float64]) -> npt.NDArray[np.bool_]:
    return np.any(x > 0.0, axis=1) & (x < 10.0).all(axis=1)


@compile(ndim={"x": 2})
def total_keepdims(x: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    return x - np.sum(x, keepdims=True)


@compile
def var_ddof(x: npt.NDArray[np.float64], ddof: int) -> float:
    return float(np.var(x, ddof=ddof)) + float(x.std(ddof=ddof))


@compile(ndim={"x": 2})
def max_empty_axis(x: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    return x.max(axis=1)


@compile(ndim={"x": 2})
def bad_axis(x: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    return x.sum(axis=2)


@compile
def big_rows(n: int) -> npt.NDArray[np.float64]:
    a = np.linspace(0.1, 7.3, n * 37).reshape(n, 37)
    a = a * a - 2.5 * a
    return a.sum(axis=1) + a.T.sum(axis=0) + a.mean(axis=1) + a.T.var(axis=0)


@compile(examples=[(3,), (9,), (40,)])
def big_columns(n: int) -> npt.NDArray[np.float64]:
    a = np.linspace(0.1, 7.3, n * 37).reshape(n, 37)
    a = a * a - 2.5 * a
    return a.sum(axis=0) + a.T.sum(axis=1) + a.mean(axis=0) * a.T.std(axis=1)


@compile(examples=[(3,), (11,)])
def middle_axis(n: int) -> npt.NDArray[np.float64]:
    a = np.linspace(-3.3, 9.1, 4 * n * 5).reshape(4, n, 5)
    a = a * 1.1 - a * a
    return a.sum(axis=1) - a.var(axis=1, ddof=1) + np.transpose(a, (2, 1, 0)).mean(axis=1).T


@compile(ndim={"x": 2})
def pooled_stats(x: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """A tuple of every axis is axis=None (global pooling); a tuple of one axis is that axis."""
    return np.mean(x, axis=(0, 1)) + np.std(x, axis=(-1, 0)) + np.sum(x, axis=(1,)) + x.max(axis=(0, 1), keepdims=True)


@compile(ndim={"x": 2})
def sums_in_dtype(x: npt.NDArray[np.int32]) -> npt.NDArray[np.float32]:
    return np.sum(x, axis=0, dtype=np.float32) + x.mean(dtype=np.float32) + x.sum(dtype=np.int8) + np.prod(x, dtype=np.uint16)


@compile
def converted_sums_past_buffer(k: int) -> tuple[float, float, float, float]:
    # More items than NumPy's buffer (8,192): items it converts are summed chunk by chunk.
    i = (np.arange(20000, dtype=np.int64) * 1234567891 + k % 1000) * 977
    x = i.astype(np.float64) * 1.1
    return (float(np.mean(i)), float(np.std(i)), float(np.sum(x, dtype=np.float32)), float(np.sum(i, dtype=np.float64)))


@compile(examples=[(20000, 3), (9000, 0), (5, 2)])
def long_converted_sums(n: int, rows: int) -> tuple[float, float, float, float, float]:
    """Sums that convert their items (dtype=, the mean of ints) along lines longer than NumPy's 8,192-item buffer,
    which cuts an inner line into chunks; a transposed array read in memory order; var and std with dtype=, whose
    x = a - mean stays float64 while the sums are float32."""
    m = min(abs(n), 20000)
    r = min(abs(rows), 3) + 1
    x = (np.arange(m * r) * 0.7310585 % 13.37 - 6.5).reshape(r, m) + 1000.0
    i = (x * 1000).astype(np.int64)
    return (float(np.sum(np.sum(x, axis=1, dtype=np.float32))), float(np.sum(np.mean(i, axis=1))),
            float(np.sum(x.T, dtype=np.float32)), float(np.var(x, dtype=np.float32)),
            float(np.sum(np.std(x.T, axis=0, dtype=np.float32, ddof=1))))
