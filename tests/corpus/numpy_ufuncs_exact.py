"""Exact element-wise NumPy as data preparation and model code uses it: masks, signs, rounding, remainders."""
import numpy as np
import numpy.typing as npt
from kiln import compile


@compile
def relu_grad(x: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    return np.greater(x, 0.0) * 1.0 + np.less_equal(x, 0.0) * 0.0


@compile
def mask_arithmetic(x: npt.NDArray[np.float64], k: int) -> npt.NDArray[np.float64]:
    m = x > 0.0
    return m * 2.5 + (m + k) - (k - m) * np.float32(1.5) + m / 2


@compile
def wrap_phase(x: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    return np.mod(x + 3.0, 6.0) - 3.0


@compile
def bucket(x: npt.NDArray[np.int64], k: int) -> npt.NDArray[np.int64]:
    return np.floor_divide(x, k) + np.remainder(x, k)


@compile
def bucket_float(x: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    return np.floor_divide(x, 0.75) + np.true_divide(x, 4)


@compile
def bit_ops(x: npt.NDArray[np.int64], y: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    return np.bitwise_xor(np.bitwise_and(x, y), np.bitwise_or(x, 3)) + np.right_shift(x, 2) - np.left_shift(y & 7, 1)


@compile
def equalities(x: npt.NDArray[np.float64], y: npt.NDArray[np.float64]) -> npt.NDArray[np.bool_]:
    return np.logical_or(np.equal(x, y), np.logical_and(np.not_equal(x, 0.0), np.greater_equal(x, y)))


@compile
def xor_mask(x: npt.NDArray[np.int64]) -> npt.NDArray[np.bool_]:
    return np.logical_xor(x > 2, x) | np.logical_not(x)


@compile
def signs(x: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    return np.sign(x) * np.square(x) + np.negative(x) + np.positive(x)


@compile
def int_signs(x: npt.NDArray[np.int8]) -> npt.NDArray[np.int8]:
    return np.sign(x) + np.square(x) - np.negative(x)


@compile
def unsigned_neg(x: npt.NDArray[np.uint8]) -> npt.NDArray[np.uint8]:
    return np.negative(x) + np.square(x)


@compile
def clean(x: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    bad = np.isnan(x) | np.isinf(x)
    return np.where(bad, 0.0, x) + np.isfinite(x) * 1.0


@compile
def inverse(x: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    return np.reciprocal(x)


@compile
def quantize(x: npt.NDArray[np.float64], scale: float) -> npt.NDArray[np.float64]:
    return np.rint(x * scale) + np.round(x) - np.around(x / scale) + x.round()


@compile
def quantize_int(x: npt.NDArray[np.int32]) -> npt.NDArray[np.int32]:
    return np.round(x) + np.around(x, 0)


@compile
def round_number(v: float) -> float:
    return float(np.round(v) + np.rint(v))


@compile
def remainders(x: npt.NDArray[np.float64], y: float) -> npt.NDArray[np.float64]:
    return np.fmod(x, y) + np.copysign(x, y)


@compile
def nan_safe_extremes(x: npt.NDArray[np.float64], y: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    return np.fmax(x, y) - np.fmin(x, 0.5)


@compile
def scalar_mod(a: int, b: int) -> int:
    return int(np.mod(a, b)) + int(np.floor_divide(a, b))


@compile
def round_prices(x: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Cents and hundreds as NumPy rounds them: rint(x * 100) / 100 and rint(x / 100) * 100, halves to even."""
    return np.round(x * 1.0725, 2) + np.round(x * 37.0, decimals=-2) + x.round(12)


@compile
def round_single(x: npt.NDArray[np.float32], v: float) -> npt.NDArray[np.float32]:
    """float32 scales by 10**k rounded to float32; a scalar rounds the same way."""
    return np.round(x / 3, 3) + np.float32(np.round(v / 7, 5))
