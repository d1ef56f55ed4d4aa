"""NumPy scalar types: float32 arithmetic rounds to float32; integer types wrap as NumPy does."""
import numpy as np
from kiln import compile


@compile
def fma32(x: np.float32, y: np.float32, z: np.float32) -> np.float32:
    return x * y + z


@compile
def wrap_int8(a: np.int8, b: np.int8) -> np.int8:
    return a + b


@compile
def wrap_uint8(a: np.uint8) -> np.uint8:
    return a * a


@compile
def promote(a: np.int32, b: np.int64) -> np.int64:
    return a + b


@compile
def i32_div(a: np.int32, b: np.int32) -> np.float64:
    return a / b


@compile
def f32_with_python_float(x: np.float32) -> np.float32:
    return x * 2.0 + 1


@compile
def to_python(x: np.float32) -> float:
    return float(x) * 0.1
