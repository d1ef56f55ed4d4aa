"""Whole-array NumPy code for bench/numpy/run.ts: each function is timed compiled by Kiln (the exported Python
package) and as it is under CPython with NumPy, in one process."""
import numpy as np
import numpy.typing as npt
from kiln import compile


@compile(ndim={"a": 2, "b": 2})
def matmul(a: npt.NDArray[np.float64], b: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    return a @ b


@compile
def wave(x: npt.NDArray[np.float64], y: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    return np.sqrt(x * x + y * y) * 0.5 + np.sin(x) * np.cos(y)


@compile
def exp(x: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    return np.exp(x)


@compile
def sin(x: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    return np.sin(x)


@compile
def log(x: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    return np.log(x)


@compile
def tanh(x: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    return np.tanh(x)


@compile
def softmax(x: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    e = np.exp(x - np.max(x))
    return e / np.sum(e)
