"""Whole-array NumPy as model code writes it: products on the GEMM, transcendental ufuncs on the vector math.

Floats that go through np.exp/np.log/np.sin/np.cos/np.tanh or a float matrix product are compared with NumPy's within
the bound each function's verification tolerance states (opt/tolerance.ts); everything else is bit for bit.
"""
import numpy as np
import numpy.typing as npt
from kiln import compile


@compile(ndim={"a": 2, "b": 2}, examples=[
    ([[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]], [[1.1, -2.3], [0.7, 0.9], [-1.3, 2.2]]),
    ([[0.1, 0.7, 1e-3, 3.3, -0.3, 0.2, 0.9, 1.7, -2.1]], [[0.3], [1.9], [0.11], [-0.7], [0.2], [2.9], [-1.3], [0.01], [0.6]]),
])
def matmul(a: npt.NDArray[np.float64], b: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    return a @ b


@compile(ndim={"a": 2, "b": 2})
def gram(a: npt.NDArray[np.float64], b: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    # A transposed operand is a view: the GEMM reads it with its strides.
    return a.T @ b


@compile(ndim={"x": 2, "w": 2})
def dense_tanh(x: npt.NDArray[np.float64], w: npt.NDArray[np.float64], bias: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    return np.tanh(x @ w + bias)


@compile(ndim={"a": 2, "b": 2})
def matmul_f32(a: npt.NDArray[np.float32], b: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    return np.matmul(a, b)


@compile(examples=[([1.0, 2.0, 3.0, 0.5],), ([0.1, -0.7, 3.3, 1e-3, 2.9, -1.1, 0.35],)])
def softmax(x: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    e = np.exp(x - np.max(x))
    return e / np.sum(e)


@compile
def log_sum_exp(x: npt.NDArray[np.float64]) -> float:
    m = np.max(x)
    return float(m + np.log(np.sum(np.exp(x - m))))


@compile(examples=[([0.1, 0.7, -3.3, 100.9], [1.3, -0.2, 2.9, 7.7])])
def wave(x: npt.NDArray[np.float64], y: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    return np.sqrt(x * x + y * y) * 0.5 + np.sin(x) * np.cos(y)


@compile(examples=[([0.1, -0.7, 3.3, 1e-3, 2.9, -1.1, 0.35],)])
def gelu(x: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    return 0.5 * x * (1.0 + np.tanh(np.sqrt(2.0 / np.pi) * (x + 0.044715 * x ** 3)))


@compile
def sigmoid32(x: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    return 1.0 / (1.0 + np.exp(-x))


@compile(examples=[
    ([0.5, 2.0, 1.0, 0.0, -0.0, -2.0, -2.0, -2.0, 3.5, 1e-40, 1e-30, 7.5, 1.0001, 0.9999, 1.0117, 1.5, float("inf"), -float("inf"), float("nan"), 1.0],
     [2.5, -1.5, 1e30, -3.0, 3.0, 3.0, 2.0, 0.5, 40.0, 0.5, -0.5, 0.0, 80000.0, -90000.0, 7400.0, 300.0, -0.5, 3.0, 0.0, float("nan")]),
])
def power32(x: npt.NDArray[np.float32], y: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    # float32 power in float (the FMA paths) or float64: special values as NumPy's, the rest within 0.6 ULP
    return np.power(x, y)


@compile(examples=[([0.5, 2.0, 0.0, -2.0, 1e-40, 3.0e38, 1.0117, 0.25, 7.0, 11.0, 13.0, 0.1, 0.9, 1.1, 2.5, 40.0, 1e-3],)])
def power32_scalar(x: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    return np.abs(x) ** 2.7


@compile
def log_positive(x: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    return np.log(np.abs(x) + 1.0)
