"""a.reshape(...) and np.asarray(a) give views (or `a` itself) where NumPy does, so writes through them reach
the caller's array; a reshape NumPy cannot express as a view is a copy, and writes to it do not
(verify compares every array argument after the call)."""
import numpy as np
import numpy.typing as npt
from kiln import compile


def flat(x: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    return x.reshape(-1)


@compile(ndim={"a": 2})
def flatten_and_write(a: npt.NDArray[np.float64]) -> float:
    b = a.reshape(-1)
    if len(b) > 0:
        b[0] = 7.5
        b[-1] += 1.0
    return float(b.sum())


@compile
def column_and_write(a: npt.NDArray[np.float64]) -> int:
    b = a.reshape(-1, 1)
    b[:, 0] += 3.0
    return len(b)


@compile(ndim={"a": 2})
def add_axis_and_write(a: npt.NDArray[np.int64]) -> None:
    b = a.reshape(a.shape[0], 1, a.shape[1])
    b[-1, 0, :] = 9


@compile
def reshape_2d_and_write(a: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    b = a.reshape((1, len(a)))
    b *= 2.0
    return b


@compile(ndim={"a": 2})
def write_through_helper(a: npt.NDArray[np.float64]) -> None:
    v = flat(a)
    v[1:] = 0.25


@compile
def asarray_and_write(a: npt.NDArray[np.int64]) -> int:
    b = np.asarray(a)
    b[::2] = -1
    return int(b.sum())


@compile
def asarray_same_dtype_and_write(a: npt.NDArray[np.float32]) -> None:
    b = np.asarray(a, dtype=np.float32)
    b += np.float32(1.0)


@compile
def asarray_other_dtype_is_a_copy(a: npt.NDArray[np.int64]) -> float:
    b = np.asarray(a, dtype=np.float64)
    b[:] = 0.5
    return float(b.sum()) + float(a.sum())


@compile
def array_is_a_copy(a: npt.NDArray[np.int64]) -> int:
    b = np.array(a)
    b[:] = 1
    return int(a.sum())


@compile(ndim={"a": 2})
def reshape_of_views(a: npt.NDArray[np.float64]) -> float:
    t = a.T.reshape(-1)  # a copy unless a has one row or one column
    t[0:1] = 100.0
    s = a[::2].reshape(-1, a.shape[1])  # the same shape: a view
    s[0:1, 0:1] = -1.0
    f = a[::2].reshape(-1)  # a view only when a[::2] has one row
    f[-1:] = 42.0
    return float(t.sum() + f.sum())


@compile(ndim={"a": 3})
def reshape_3d_views(a: npt.NDArray[np.int64]) -> int:
    b = a[:, ::-1].reshape(a.shape[0], -1)  # the last two axes merge only when the middle one has length 1
    b[:, 0:1] = 5
    c = a.reshape(-1, a.shape[2])
    c[-1:, :] = 6
    return int(b.sum())
