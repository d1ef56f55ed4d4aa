"""
One function per NumPy idiom of typical model code (creation, ufuncs, reductions with axis, broadcasting, views,
in-place ops, dtypes, linalg, sorting). Not a corpus file: many of these do not compile yet. Measure with
  node bin/kiln.mjs compile scripts/numpy-coverage/probe.py --out /tmp/probe 2>&1 | grep -c "error in"
and see what compiles, and that it matches NumPy, with
  node bin/kiln.mjs verify scripts/numpy-coverage/probe.py
"""
import numpy as np
import numpy.typing as npt
from kiln import compile



@compile
def eye(x: npt.NDArray[np.float64]):
    return np.eye(3) + x[0]


@compile
def identity(x: npt.NDArray[np.float64]):
    return np.identity(3) * x[0]


@compile
def tri(x: npt.NDArray[np.float64]):
    return np.tri(3) * x[0]


@compile(ndim={"x": 2})
def zeros_keepdims(x: npt.NDArray[np.float64]):
    return x - x.max(axis=-1, keepdims=True)


@compile(ndim={"x": 2})
def softmax(x: npt.NDArray[np.float64]):
    e = np.exp(x - np.max(x, axis=-1, keepdims=True))
    return e / np.sum(e, axis=-1, keepdims=True)


@compile(ndim={"x": 2})
def layer_norm(x: npt.NDArray[np.float64]):
    m = np.mean(x, axis=-1, keepdims=True)
    v = np.var(x, axis=-1, keepdims=True)
    return (x - m) / np.sqrt(v + 1e-5)


@compile(ndim={"x": 2})
def gelu(x: npt.NDArray[np.float64]):
    return 0.5 * x * (1 + np.tanh(np.sqrt(2 / np.pi) * (x + 0.044715 * x**3)))


@compile(ndim={"x": 2})
def sum_axis0(x: npt.NDArray[np.float64]):
    return x.sum(axis=0)


@compile(ndim={"x": 2})
def mean_axis1(x: npt.NDArray[np.float64]):
    return np.mean(x, axis=1)


@compile(ndim={"x": 2})
def argmax_axis(x: npt.NDArray[np.float64]):
    return np.argmax(x, axis=-1)


@compile(ndim={"x": 2})
def sum_dtype(x: npt.NDArray[np.float64]):
    return np.sum(x, axis=0, dtype=np.float32)


@compile
def cumsum(x: npt.NDArray[np.float64]):
    return np.cumsum(x)


@compile(ndim={"x": 2})
def cumsum_axis(x: npt.NDArray[np.float64]):
    return np.cumsum(x, axis=1)


@compile
def cumprod(x: npt.NDArray[np.float64]):
    return np.cumprod(x)


@compile
def median(x: npt.NDArray[np.float64]):
    return np.median(x)


@compile
def percentile(x: npt.NDArray[np.float64]):
    return np.percentile(x, 50.0)


@compile(ndim={"x": 2})
def tril(x: npt.NDArray[np.float64]):
    return np.tril(x)


@compile(ndim={"x": 2})
def triu_k(x: npt.NDArray[np.float64]):
    return np.triu(x, k=1)


@compile(ndim={"x": 2})
def where3(x: npt.NDArray[np.float64]):
    return np.where(x > 0, x, 0.0)


@compile
def where1(x: npt.NDArray[np.float64]):
    return np.where(x > 0)[0]


@compile
def clip(x: npt.NDArray[np.float64]):
    return np.clip(x, -1.0, 1.0)


@compile
def maximum(x: npt.NDArray[np.float64]):
    return np.maximum(x, 0.0)


@compile
def square(x: npt.NDArray[np.float64]):
    return np.square(x)


@compile
def sign(x: npt.NDArray[np.float64]):
    return np.sign(x)


@compile
def negative(x: npt.NDArray[np.float64]):
    return np.negative(x)


@compile
def log1p(x: npt.NDArray[np.float64]):
    return np.log1p(x)


@compile
def expm1(x: npt.NDArray[np.float64]):
    return np.expm1(x)


@compile
def arcsin(x: npt.NDArray[np.float64]):
    return np.arcsin(x)


@compile
def sinh(x: npt.NDArray[np.float64]):
    return np.sinh(x)


@compile
def reciprocal(x: npt.NDArray[np.float64]):
    return np.reciprocal(x)


@compile
def isnan(x: npt.NDArray[np.float64]):
    return np.isnan(x)


@compile
def isfinite(x: npt.NDArray[np.float64]):
    return np.isfinite(x)


@compile
def round(x: npt.NDArray[np.float64]):
    return np.round(x, 2)


@compile
def around(x: npt.NDArray[np.float64]):
    return np.around(x)


@compile
def rint(x: npt.NDArray[np.float64]):
    return np.rint(x)


@compile
def hypot(x: npt.NDArray[np.float64]):
    return np.hypot(x, x)


@compile
def arctan2(x: npt.NDArray[np.float64]):
    return np.arctan2(x, x)


@compile
def exp_out(x: npt.NDArray[np.float64]):
    np.exp(x, out=x)
    return x


@compile
def add_out(x: npt.NDArray[np.float64]):
    np.add(x, 1.0, out=x)
    return x


@compile
def add_where(x: npt.NDArray[np.float64]):
    return np.add(x, 1.0, where=x > 0)


@compile(ndim={"x": 2})
def iadd(x: npt.NDArray[np.float64]):
    x += 1.0
    return x


@compile(ndim={"x": 2})
def imul_bcast(x: npt.NDArray[np.float64]):
    x *= x[0]
    return x


@compile(ndim={"x": 2})
def slice_assign(x: npt.NDArray[np.float64]):
    x[:, 1:] = 0.0
    return x


@compile(ndim={"x": 2})
def ellipsis(x: npt.NDArray[np.float64]):
    return x[..., 0]


@compile
def newaxis(x: npt.NDArray[np.float64]):
    return x[:, np.newaxis] * x[np.newaxis, :]


@compile
def none_index(x: npt.NDArray[np.float64]):
    return x[:, None] * x[None, :]


@compile
def bool_mask(x: npt.NDArray[np.float64]):
    return x[x > 0]


@compile
def bool_mask_set(x: npt.NDArray[np.float64]):
    x[x < 0] = 0.0
    return x


@compile
def fancy(x: npt.NDArray[np.float64]):
    return x[np.array([0, 0])]


@compile
def take(x: npt.NDArray[np.float64]):
    return np.take(x, np.array([0, 0]))


@compile(ndim={"x": 2})
def matmul(x: npt.NDArray[np.float64]):
    return x @ x.T


@compile(ndim={"x": 2})
def dot(x: npt.NDArray[np.float64]):
    return np.dot(x, x.T)


@compile(ndim={"x": 2})
def einsum(x: npt.NDArray[np.float64]):
    return np.einsum("ij,kj->ik", x, x)


@compile
def outer(x: npt.NDArray[np.float64]):
    return np.outer(x, x)


@compile
def inner(x: npt.NDArray[np.float64]):
    return np.inner(x, x)


@compile
def norm(x: npt.NDArray[np.float64]):
    return np.linalg.norm(x)


@compile(ndim={"x": 2})
def norm_axis(x: npt.NDArray[np.float64]):
    return np.linalg.norm(x, axis=1)


@compile(ndim={"x": 2})
def inv(x: npt.NDArray[np.float64]):
    return np.linalg.inv(x)


@compile(ndim={"x": 2})
def solve(x: npt.NDArray[np.float64]):
    return np.linalg.solve(x, x)


@compile(ndim={"x": 2})
def det(x: npt.NDArray[np.float64]):
    return np.linalg.det(x)


@compile
def sort(x: npt.NDArray[np.float64]):
    return np.sort(x)


@compile
def sort_method(x: npt.NDArray[np.float64]):
    x.sort()
    return x


@compile
def argsort(x: npt.NDArray[np.float64]):
    return np.argsort(x)


@compile
def searchsorted(x: npt.NDArray[np.float64]):
    return np.searchsorted(x, 0.5)


@compile
def unique(x: npt.NDArray[np.float64]):
    return np.unique(x)


@compile
def astype32(x: npt.NDArray[np.float64]):
    return x.astype(np.float32) * np.float32(2)


@compile
def f32_promo(x: npt.NDArray[np.float64]):
    return x.astype(np.float32) + 1.0


@compile
def dtype_attr(x: npt.NDArray[np.float64]):
    return x.dtype == np.float64


@compile
def intp(x: npt.NDArray[np.float64]):
    return np.zeros(3, dtype=np.intp)


@compile
def itemsize(x: npt.NDArray[np.float64]):
    return x.itemsize


@compile
def nbytes(x: npt.NDArray[np.float64]):
    return x.nbytes


@compile
def copy_fn(x: npt.NDArray[np.float64]):
    return np.copy(x)


@compile
def array_equal(x: npt.NDArray[np.float64]):
    return np.array_equal(x, x)


@compile
def allclose(x: npt.NDArray[np.float64]):
    return np.allclose(x, x)


@compile
def isclose(x: npt.NDArray[np.float64]):
    return np.isclose(x, x)


@compile(ndim={"x": 2})
def diag(x: npt.NDArray[np.float64]):
    return np.diag(x)


@compile(ndim={"x": 2})
def trace(x: npt.NDArray[np.float64]):
    return np.trace(x)


@compile
def meshgrid(x: npt.NDArray[np.float64]):
    a, b = np.meshgrid(x, x)
    return a + b


@compile
def count_nonzero(x: npt.NDArray[np.float64]):
    return np.count_nonzero(x)


@compile
def nonzero(x: npt.NDArray[np.float64]):
    return np.nonzero(x)[0]


@compile
def argwhere(x: npt.NDArray[np.float64]):
    return np.argwhere(x > 0)


@compile(ndim={"x": 2})
def max_method_kd(x: npt.NDArray[np.float64]):
    return x.max(axis=1, keepdims=True)


@compile
def std_ddof(x: npt.NDArray[np.float64]):
    return np.std(x, ddof=1)


@compile(ndim={"x": 2})
def mean_tuple_axis(x: npt.NDArray[np.float64]):
    return np.mean(x, axis=(0, 1))


@compile
def nanmean(x: npt.NDArray[np.float64]):
    return np.nanmean(x)


@compile(ndim={"x": 2})
def prod_axis(x: npt.NDArray[np.float64]):
    return np.prod(x, axis=0)


@compile
def logsumexp_like(x: npt.NDArray[np.float64]):
    m = np.max(x)
    return m + np.log(np.sum(np.exp(x - m)))


@compile
def broadcast_to(x: npt.NDArray[np.float64]):
    return np.broadcast_to(x, (2, x.shape[0]))


@compile
def zeros_like_f32(x: npt.NDArray[np.float64]):
    return np.zeros_like(x, dtype=np.float32)


@compile
def linspace_num(x: npt.NDArray[np.float64]):
    return np.linspace(0.0, 1.0, num=5)


@compile
def arange_dtype(x: npt.NDArray[np.float64]):
    return np.arange(5, dtype=np.float64)


@compile
def full_like(x: npt.NDArray[np.float64]):
    return np.full_like(x, 2.0)


@compile
def float32_arith(x: npt.NDArray[np.float64]):
    y = x.astype(np.float32)
    return y * y + np.float32(0.5)


@compile
def int_div(x: npt.NDArray[np.float64]):
    return x // 2.0


@compile
def mod(x: npt.NDArray[np.float64]):
    return np.mod(x, 3.0)


@compile
def fmod(x: npt.NDArray[np.float64]):
    return np.fmod(x, 3.0)


@compile
def floor_divide(x: npt.NDArray[np.float64]):
    return np.floor_divide(x, 2.0)


@compile
def logical_and(x: npt.NDArray[np.float64]):
    return np.logical_and(x > 0, x < 1)


@compile
def sqrt_neg(x: npt.NDArray[np.float64]):
    return np.sqrt(x - 100.0)


@compile(ndim={"x": 2})
def size_shape(x: npt.NDArray[np.float64]):
    return x.shape[0] * x.shape[1] + x.size + x.ndim


@compile(ndim={"x": 2})
def T_contig(x: npt.NDArray[np.float64]):
    return x.T.copy()


@compile
def reshape_neg(x: npt.NDArray[np.float64]):
    return x.reshape(-1, 1)


@compile
def reshape_tuple(x: npt.NDArray[np.float64]):
    return x.reshape((1, -1))


@compile(ndim={"x": 2})
def swap_T(x: npt.NDArray[np.float64]):
    return x.T @ x


@compile(ndim={"x": 2})
def var_axis_ddof(x: npt.NDArray[np.float64]):
    return x.var(axis=0, ddof=1)


@compile(ndim={"x": 2})
def any_axis(x: npt.NDArray[np.float64]):
    return np.any(x > 0, axis=1)
