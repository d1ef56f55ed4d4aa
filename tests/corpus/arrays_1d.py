"""1-D NumPy arrays: indexing (negative, out of range), len, loops, slices as views, new arrays."""
import numpy as np
import numpy.typing as npt
from kiln import compile


@compile
def first(a: npt.NDArray[np.float64]) -> np.float64:
    return a[0]


@compile
def last(a: npt.NDArray[np.int64]) -> np.int64:
    return a[-1]


@compile
def item_at(a: npt.NDArray[np.float64], i: int) -> np.float64:
    return a[i]


@compile
def loop_sum(a: npt.NDArray[np.float64]) -> float:
    s = 0.0
    for i in range(len(a)):
        s += a[i]
    return s


@compile
def iter_sum_int(a: npt.NDArray[np.int64]) -> int:
    s = 0
    for x in a:
        s += x
    return s


@compile
def dot_loop(a: npt.NDArray[np.float64], b: npt.NDArray[np.float64]) -> float:
    s = 0.0
    for x, y in zip(a, b):
        s += x * y
    return s


@compile
def weighted(a: npt.NDArray[np.float64]) -> float:
    s = 0.0
    for i, x in enumerate(a):
        s += i * x
    return s


@compile
def count_positive(a: npt.NDArray[np.float64]) -> int:
    n = 0
    for x in a:
        if x > 0:
            n += 1
    return n


@compile
def argmax_loop(a: npt.NDArray[np.int64]) -> int:
    best = 0
    for i in range(1, len(a)):
        if a[i] > a[best]:
            best = i
    return best


@compile
def scaled(a: npt.NDArray[np.float64], k: float) -> npt.NDArray[np.float64]:
    return a * k + 1.0


@compile
def middle(a: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    return a[1:-1]


@compile
def every_other(a: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    return a[::2]


@compile
def backwards(a: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    return a[::-1]


@compile
def diff(a: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    return a[1:] - a[:-1]


@compile
def prefix_sums(a: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    out = np.zeros(len(a), dtype=np.int64)
    s = 0
    for i in range(len(a)):
        s += a[i]
        out[i] = s
    return out


@compile
def clamp_in_place(a: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    b = a.copy()
    for i in range(len(b)):
        if b[i] < 0.0:
            b[i] = 0.0
    return b


@compile
def view_write(a: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    b = a.copy()
    v = b[1:]
    v[0] = 99
    return b


@compile
def slice_assign(a: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    b = a.copy()
    b[::2] = -1.0
    return b


@compile
def shift_overlap(a: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    b = a.copy()
    b[1:] = b[:-1]
    return b


@compile
def moving_avg3(a: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    out = np.zeros(len(a) - 2)
    for i in range(len(a) - 2):
        out[i] = (a[i] + a[i + 1] + a[i + 2]) / 3.0
    return out


@compile
def wrap_int8(a: npt.NDArray[np.int8]) -> npt.NDArray[np.int8]:
    return a + a


@compile
def int_div(a: npt.NDArray[np.int64]) -> npt.NDArray[np.float64]:
    return a / 4


@compile
def compare_mask(a: npt.NDArray[np.float64]) -> npt.NDArray[np.bool_]:
    return a > 0.5


@compile
def masked(a: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    return a[a > 0.0]


@compile
def sq_minus_mean(a: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    return a * a - 0.5


@compile
def shape_size(a: npt.NDArray[np.float64]) -> int:
    return a.shape[0] * 10 + a.size + a.ndim


@compile(boundscheck=False)
def unchecked_sum(a: npt.NDArray[np.int64]) -> int:
    s = 0
    for i in range(len(a)):
        s += int(a[i])
    return s


@compile
def in_array(a: npt.NDArray[np.int64], x: int) -> bool:
    return x in a
