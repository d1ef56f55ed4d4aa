"""NumPy scalar types: float32 arithmetic rounds to float32; integer types wrap as NumPy does."""
import numpy as np
import numpy.typing as npt
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


@compile
def votes_agree(x: npt.NDArray[np.float64]) -> int:
    """Comparisons of NumPy scalars are np.bool_: + is or and * is and (np.True_ + np.True_ is np.True_), not a count."""
    a = x[0] > 0
    b = x[1] > 0
    return int(a + b) + 10 * int(a * b)


@compile
def mask_flags(m: npt.NDArray[np.bool_], flag: bool) -> int:
    """Items of a bool array are np.bool_: ~ is not; with a Python bool, + is or; two Python bools still add."""
    return int(~m[0]) + 2 * int(m[0] + flag) + 4 * int(flag + flag) + int(np.any(m) * m[-1] if m.shape[0] else 0)


@compile
def mask_difference(m: npt.NDArray[np.bool_]) -> int:
    """np.bool_ - np.bool_ raises NumPy's TypeError (use ^)."""
    return int(m[0] - m[1])


# NumPy scalars where Python numbers are annotated, listed by signatures=: each computes as NumPy does
# (np.float64(1.0) / 0.0 is inf, np.int64 wraps past 64 bits) and returns NumPy's type.
@compile(signatures=[(int, int), (np.float64, float), (np.int64, np.int64)])
def scaled_ratio(a: float, b: float) -> float:
    return (a * 3 + 1) / b


@compile
def spread(a: npt.NDArray[np.float64], weights: list[float]) -> float:
    """Only NumPy functions and len() read a, so a list there computes what np.asarray makes of it (the exported
    package converts it once); sum() reads weights, whose sum of an array would be NumPy's (given one: TypeError)."""
    return float(np.max(a) - np.min(a)) / len(a) + sum(weights, 0.0)


@compile
def scalar_reprs(a: npt.NDArray[np.float64], k: npt.NDArray[np.int64], m: npt.NDArray[np.bool_], u: np.uint8, b: np.int32) -> str:
    """repr() of a NumPy scalar is NumPy 2's (np.float64(9.0), np.int64(3), np.True_, np.uint8(4) where u * u wraps);
    str(), f-strings and format() give the number's text; float() and int() make Python numbers again."""
    small = repr(u * u) + repr(b // 2) + str(b)
    if len(a) == 0 or len(k) == 0 or len(m) == 0:
        return small + repr(np.float64(len(a))) + repr(np.int64(-1)) + repr(np.sum(a))
    x = a[0]
    return (small + repr(x) + str(x) + repr(a.sum()) + repr(x * 2.0 + 1) + repr(abs(-x)) + repr(k[0]) + repr(k[0] + 1)
            + repr(m[0]) + repr(x > 0) + f"{x}|{k[0]}|{m[0]}|{x:.3f}" + repr(float(x)) + repr(int(k[0])) + repr(m[0] + True))
