import numpy as np
import numpy.typing as npt
from kiln import compile


@compile(examples=[([0.1, 0.5, 0.99], 4), ([0.1, -0.3], 4), ([0.1, 2.0], 4), ([-1e300], 4), ([1e300], 4), ([0.5], 0)])
def hist(x: npt.NDArray[np.float64], bins: int) -> npt.NDArray[np.int64]:
    counts = np.zeros(bins, dtype=np.int64)
    for v in x:
        counts[int(v * bins)] += 1
    return counts


@compile(examples=[([0.0, 1.0], [0.0, 0.0]), ([1.0, 2.0], [1.0, 0.0]), ([3.0, -1.0], [1.0, 1.0])])
def nan_index(x: npt.NDArray[np.float64], y: npt.NDArray[np.float64]) -> float:
    a = np.zeros(4)
    s = 0.0
    for i in range(len(x)):
        s += a[int(x[i] / y[i])]
        a[int(x[i] / y[i])] = 1.0
    return s


@compile(examples=[([0.5, -0.25, -2.5], 4), ([0.9, 1.5], 2), ([-0.5], 2)])
def wrap_negative(x: npt.NDArray[np.float64], n: int) -> npt.NDArray[np.float64]:
    a = np.zeros(n)
    for v in x:
        a[int(v * n)] += v
    return a


@compile(examples=[([0.5, 0.25], 4), ([2.0], 4)])
def index_then_use(x: npt.NDArray[np.float64], n: int) -> int:
    a = np.arange(n)
    t = 0
    for v in x:
        k = int(v * n)
        t += a[k] + k
    return t
