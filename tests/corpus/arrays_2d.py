"""2-D and 3-D arrays: a[i, j], a[i][j], rows as views, a[:, 0], .T, shapes, broadcasting, loops."""
import numpy as np
import numpy.typing as npt
from kiln import compile


@compile(ndim={"a": 2})
def corner(a: npt.NDArray[np.float64]) -> np.float64:
    return a[0, -1]


@compile(ndim={"a": 2})
def chained(a: npt.NDArray[np.int64], i: int) -> np.int64:
    return a[i][1]


@compile(ndim={"a": 2})
def trace2(a: npt.NDArray[np.float64]) -> float:
    s = 0.0
    for i in range(min(a.shape[0], a.shape[1])):
        s += a[i, i]
    return s


@compile(ndim={"a": 2})
def row_sums(a: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    out = np.zeros(a.shape[0], dtype=np.int64)
    for i, row in enumerate(a):
        t = 0
        for x in row:
            t += x
        out[i] = t
    return out


@compile(ndim={"a": 2})
def first_column(a: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    return a[:, 0]


@compile(ndim={"a": 2})
def transpose_copy(a: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    return a.T.copy()


@compile(ndim={"a": 2})
def inner_block(a: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    return a[1:, ::-1]


@compile(ndim={"a": 2})
def add_row_vector(a: npt.NDArray[np.float64], v: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    return a + v


@compile(ndim={"a": 2})
def scale_rows(a: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    b = a.copy()
    for i in range(b.shape[0]):
        b[i, :] = b[i, :] * (i + 1)
    return b


@compile(ndim={"a": 2})
def stencil(a: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    n, m = a.shape
    out = np.zeros((n, m))
    for i in range(1, n - 1):
        for j in range(1, m - 1):
            out[i, j] = 0.25 * (a[i - 1, j] + a[i + 1, j] + a[i, j - 1] + a[i, j + 1])
    return out


@compile(ndim={"a": 2})
def matvec_loop(a: npt.NDArray[np.float64], x: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    n, m = a.shape
    y = np.zeros(n)
    for i in range(n):
        s = 0.0
        for j in range(m):
            s += a[i, j] * x[j]
        y[i] = s
    return y


@compile(ndim={"a": 2})
def shape_tuple(a: npt.NDArray[np.float64]) -> tuple[int, int]:
    return a.shape


@compile(ndim={"a": 2})
def set_column(a: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    b = a.copy()
    b[:, 0] = 7
    return b


@compile(ndim={"a": 2})
def outer_like(a: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    return a * a.T[0, 0]


@compile(ndim={"a": 3})
def cube_get(a: npt.NDArray[np.float64]) -> np.float64:
    return a[-1, 0, -1]


@compile(ndim={"a": 3})
def cube_plane(a: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    return a[0] * 2


@compile
def shaped_annotation(a: np.ndarray[tuple[int, int], np.dtype[np.float64]]) -> float:
    return float(a.shape[0] + a.shape[1])


@compile(ndim={"a": 2})
def reshape_flat(a: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    return a.reshape(-1)


@compile
def reshape_2d(a: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    return a.reshape((1, -1))
