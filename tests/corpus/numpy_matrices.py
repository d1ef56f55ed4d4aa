"""Masks, identities and running totals as attention and sequence code builds them."""
import numpy as np
import numpy.typing as npt
from kiln import compile


@compile
def causal_mask(n: int) -> npt.NDArray[np.float64]:
    return (1 - np.tri(n, dtype=np.float64)) * -1e10


@compile(ndim={"scores": 2})
def masked_scores(scores: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    n = scores.shape[0]
    return np.where(np.tri(n, scores.shape[1], dtype=np.bool_), scores, -np.inf)


@compile
def eye_shift(n: int, m: int, k: int) -> npt.NDArray[np.int64]:
    return np.eye(n, m, k=k, dtype=np.int64)


@compile
def ridge(n: int, lam: float) -> npt.NDArray[np.float64]:
    return np.identity(n) * lam + np.eye(n) + np.tri(n, k=-1) * 0.5


@compile(ndim={"a": 2})
def lower_upper(a: npt.NDArray[np.float64], k: int) -> npt.NDArray[np.float64]:
    return np.tril(a, k) - np.triu(a, k=k + 1) * 2.0


@compile(ndim={"a": 3})
def batched_tril(a: npt.NDArray[np.int32]) -> npt.NDArray[np.int32]:
    return np.tril(a) + np.triu(a, -1)


@compile
def running_total(x: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    return np.cumsum(x) / (np.arange(x.shape[0]) + 1)


@compile(ndim={"x": 2})
def cumulative_rows(x: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    return np.cumsum(x, axis=1) + x.cumsum(axis=0) + np.cumsum(x)[-1]


@compile(ndim={"x": 3})
def cumulative_middle(x: npt.NDArray[np.int8]) -> npt.NDArray[np.int64]:
    return np.cumsum(x, axis=1) + x.cumprod(axis=-1)


@compile
def growth(r: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    return np.cumprod(1.0 + r * 0.01)


@compile
def counts(m: npt.NDArray[np.bool_]) -> npt.NDArray[np.int64]:
    return np.cumsum(m)


@compile(examples=[(50,), (300,)])
def long_cumsum(n: int) -> npt.NDArray[np.float64]:
    x = np.linspace(-1.1, 2.3, n)
    return np.cumsum(x * x - 0.3 * x)


@compile(ndim={"a": 2})
def cumsum_bad_axis(a: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    return np.cumsum(a, axis=-3)
