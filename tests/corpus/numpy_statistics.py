"""Covariance and correlation as statistics code writes them: np.cov and np.corrcoef of samples, feature matrices
(rowvar=False), pairs of series, with bias=, ddof=, NaN in the data, integer data and degrees of freedom <= 0."""
import numpy as np
import numpy.typing as npt
from kiln import compile


@compile
def sample_variance(x: npt.NDArray[np.float64]) -> tuple[float, float, float]:
    """One variable: np.cov gives a 0-d array (float() of it), np.corrcoef 1.0 (or nan for a constant series)."""
    return (float(np.cov(x)), float(np.cov(x, bias=True)), float(np.corrcoef(x)))


@compile
def pair_covariance(x: npt.NDArray[np.float64], y: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Two series: a 2x2 matrix (ValueError from np.concatenate when their lengths differ)."""
    return np.cov(x, y)


@compile
def pearson(x: npt.NDArray[np.float64], y: npt.NDArray[np.float64]) -> float:
    return float(np.corrcoef(x, y)[0, 1])


@compile(ndim={"data": 2})
def feature_covariance(data: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Rows are observations, columns features (a feature matrix of one column is NumPy's 0-d result: Kiln's limit)."""
    return np.cov(data, rowvar=False)


@compile(ndim={"data": 2})
def correlation_matrix(data: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    return np.corrcoef(data)


@compile(examples=[(5, 0), (6, 1), (1, 0), (0, 1), (4, 7), (3, -5), (9, 2)])
def covariance_edges(n: int, ddof: int) -> tuple[float, float, float, float, float]:
    """Integer data, ddof at and past the sample count (inf and nan, as NumPy after its warning), a Fortran-order
    matrix (its mean adds along memory), a 1-D series beside a 2-D block, and bias= with ddof= (ddof wins)."""
    counts = np.arange(n * 3, dtype=np.int64).reshape(3, n) * 7 % 5
    f = counts.T.astype(np.float64) * 0.25 - 1.0
    c1 = np.cov(counts, ddof=ddof)
    c2 = np.cov(f, rowvar=False, bias=True)
    c3 = np.cov(f[:, 0], f.T[1:])
    c4 = np.cov(f.T, bias=True, ddof=ddof)
    return (float(c1.sum()), float(c2.sum()), float(c3.sum()), float(c4[0, 0]), float(np.corrcoef(counts[0], counts[1])[0, 1]))


@compile
def nan_in_series(k: int) -> tuple[float, float, float, float]:
    """A NaN reading spreads to its variable's row and column only."""
    a = np.array([1.0, 2.0, 4.0, 8.0, 16.0])
    b = np.array([0.5, -1.0, 3.0, 2.0, 2.5])
    c = np.array([3.0, 1.0, 4.0, 1.0, 5.0])
    a[k % 5] = np.nan
    m = np.cov(np.vstack((a, b, c)))
    r = np.corrcoef(np.vstack((a, b, c)))
    return (float(m[1, 2]), float(m[0, 1]), float(r[1, 2]), float(r[0, 0]))


@compile(examples=[(4,), (0,), (7,)])
def no_variables(n: int) -> tuple[int, int]:
    """A matrix of no variables gives NumPy's empty (0, 0) result."""
    m = np.zeros((0, n))
    return (np.cov(m).shape[0], np.corrcoef(m, rowvar=True).shape[1])


@compile(examples=[(3,), (10,)])
def bool_and_float32(n: int) -> tuple[float, float]:
    """Any dtype is converted to float64 first."""
    flags = np.arange(n) % 3 == 0
    x = np.linspace(0.0, 1.0, n).astype(np.float32)
    return (float(np.cov(flags)), float(np.cov(x, flags)[0, 1]))


@compile(ndim={"m": 3})
def three_dims(m: npt.NDArray[np.float64]) -> float:
    return float(np.cov(m).sum())
