"""Storing values into arrays with NumPy 2's rules: a Python int that the dtype cannot hold raises OverflowError
(NEP 50), a float NaN or infinity stored into an integer array raises, a finite float is int(x) and then
bounds-checked; NumPy scalars stored into unsigned arrays (and np.full's fill value) are cast, they wrap.
verify compares the array arguments after the call, also when the call raised."""
import numpy as np
import numpy.typing as npt
from kiln import compile


# ---- a Python int into a narrower integer dtype ----

@compile
def set_u8(a: npt.NDArray[np.uint8], v: int) -> None:
    a[0] = v


@compile
def set_i16_last(a: npt.NDArray[np.int16], v: int) -> int:
    a[-1] = v
    return int(a[-1])


@compile(examples=[([0, 0, 0, 0], 1099511627776), ([0, 0], -1), ([1, 2, 3], 2147483647), ([], 2147483648)])
def set_i32_slice(a: npt.NDArray[np.int32], v: int) -> None:
    a[1:3] = v


@compile
def set_u16_mask(a: npt.NDArray[np.uint16], v: int) -> int:
    a[a > 50] = v
    return len(a)


@compile(ndim={"a": 2})
def set_i8_row(a: npt.NDArray[np.int8], v: int) -> None:
    a[0, :] = v


@compile
def set_u64(a: npt.NDArray[np.uint64], v: int) -> None:
    a[:] = v


@compile
def fill_u32(a: npt.NDArray[np.uint32], v: int) -> None:
    a.fill(v)


@compile(examples=[(3, 300), (0, 2147483648), (-1, 1099511627776), (2, -2147483648)])
def full_i32(n: int, v: int) -> npt.NDArray[np.int32]:
    return np.full(n % 4, v, dtype=np.int32)


@compile
def full_like_u8(a: npt.NDArray[np.uint8], v: int) -> npt.NDArray[np.uint8]:
    return np.full_like(a, v)


@compile
def set_i64_any(a: npt.NDArray[np.int64], v: int) -> None:
    a[0] = v


# ---- NumPy scalars: a signed array bounds-checks int(value), an unsigned one casts (wraps) ----

@compile
def set_u8_from_i64(a: npt.NDArray[np.uint8], b: npt.NDArray[np.int64]) -> None:
    a[0] = b[0] * 3


@compile
def set_i8_from_i64(a: npt.NDArray[np.int8], b: npt.NDArray[np.int64]) -> None:
    a[0] = b[0] * 3


@compile
def set_i16_from_u64(a: npt.NDArray[np.int16], v: np.uint64) -> None:
    a[1:] = v


@compile
def set_u16_from_i8(a: npt.NDArray[np.uint16], v: np.int8) -> None:
    a[0] = v


@compile
def full_i8_np(v: np.int64) -> npt.NDArray[np.int8]:
    return np.full(3, v, dtype=np.int8)


# ---- floats into integer arrays ----

@compile(examples=[([1, 2], 1e19), ([1, 2], -9.2e18), ([1], -9223372036854775808.0), ([5], 9.3e18)])
def set_i64_float(a: npt.NDArray[np.int64], x: float) -> None:
    a[0] = x


@compile(examples=[([1, 2], 300.0), ([1, 2], -0.5), ([1, 2], -1.0), ([1], 255.9), ([1], 1e19), ([1], -1e19)])
def set_u8_float(a: npt.NDArray[np.uint8], x: float) -> None:
    a[-1] = x


@compile(examples=[([1, 2], 1e19), ([1, 2], 4294967295.5), ([1], 4294967296.0), ([1], -9.2e18), ([1], 2e19)])
def set_u32_float(a: npt.NDArray[np.uint32], x: float) -> None:
    a[0] = x


@compile(examples=[([1, 2], 1e19), ([1, 2], 1.8446744073709552e19), ([1], -0.9), ([1], -1.0), ([1], 9.3e18)])
def set_u64_float(a: npt.NDArray[np.uint64], x: float) -> None:
    a[0] = x


@compile(examples=[([1, 2, 3], 32767.5), ([1, 2, 3], -32769.0), ([1, 2, 3], 40000.0)])
def set_i16_float_slice(a: npt.NDArray[np.int16], x: float) -> None:
    a[::2] = x


@compile
def set_i32_float_mask(a: npt.NDArray[np.int32], x: float) -> None:
    a[a < 0] = x


@compile
def fill_i8_float(a: npt.NDArray[np.int8], x: float) -> None:
    a.fill(x)


@compile
def set_i8_from_f64(a: npt.NDArray[np.int8], b: npt.NDArray[np.float64]) -> None:
    a[0] = b[0] * 100.0


@compile
def set_u8_from_f64(a: npt.NDArray[np.uint8], b: npt.NDArray[np.float64]) -> None:
    a[0] = b[0] * 100.0


@compile
def set_u64_from_f32(a: npt.NDArray[np.uint64], v: np.float32) -> None:
    a[0] = v


@compile
def set_u32_from_f64(a: npt.NDArray[np.uint32], v: np.float64) -> None:
    a[0] = v * 1e9


# ---- np.full / np.full_like cast a float fill value (NumPy's unsafe cast, as on x86-64) ----

@compile(examples=[(1e10,), (-1e10,), (3e9,), (65535.9,), (-2147483648.9,), (1e19,)])
def full_i16_float(x: float) -> npt.NDArray[np.int16]:
    return np.full(2, x, dtype=np.int16)


@compile(examples=[(1e10,), (-1e10,), (3e9,), (-3e9,), (4294967296.5,), (1e19,), (-2147483648.9,)])
def full_u32_float(x: float) -> npt.NDArray[np.uint32]:
    return np.full(2, x, dtype=np.uint32)


@compile(examples=[(1e19,), (-1e10,), (9.3e18,), (1.8446744073709552e19,), (-9.3e18,)])
def full_i64_u64_float(x: float) -> int:
    a = np.full(2, x, dtype=np.int64)
    b = np.full(2, x, dtype=np.uint64)
    return int(a[0]) + int(b[1] % np.uint64(1000))


@compile
def full_like_u8_float(a: npt.NDArray[np.uint8], x: float) -> npt.NDArray[np.uint8]:
    return np.full_like(a, x)


@compile
def full_i32_npfloat(v: np.float32) -> npt.NDArray[np.int32]:
    return np.full(2, v, dtype=np.int32)


# ---- stores that never need a check ----

@compile
def set_same_dtype(a: npt.NDArray[np.int8], b: npt.NDArray[np.int8]) -> None:
    a[:] = b[0]


@compile
def set_bool_from_int(a: npt.NDArray[np.bool_], v: int, x: float) -> None:
    a[0] = v
    a[-1] = x


@compile
def set_f32_from_float(a: npt.NDArray[np.float32], x: float, v: int) -> None:
    a[0] = x
    a[-1] = v


# ---- np.array(list, dtype=...) stores each item as a[i] = x does ----

@compile(examples=[([1, 300],), ([],), ([-128, 127],), ([5, -129],)])
def array_i8_from_ints(xs: list[int]) -> npt.NDArray[np.int8]:
    return np.array(xs, dtype=np.int8)


@compile(examples=[([1.5, 255.9],), ([-0.5],), ([256.0],), ([1e19],)])
def array_u8_from_floats(xs: list[float]) -> npt.NDArray[np.uint8]:
    return np.array(xs, dtype=np.uint8)


@compile(examples=[(2, 70000), (1, -1), (0, 65535)])
def array_u16_2d(n: int, v: int) -> npt.NDArray[np.uint16]:
    return np.array([[i, v] for i in range(n % 3 + 1)], dtype=np.uint16)


# astype from float to an integer dtype: NaN, infinities and out-of-range values as NumPy gives them (x86-64),
# not C's undefined behaviour. x / y makes NaN (0/0) and the infinities (+-1/0) without an exception.
@compile(examples=[([0.0, 1.0, -1.0, 3.7, -3.7, 1e20, 300.0, -1.5], [0.0, 0.0, 0.0, 1.0, 1.0, 1.0, 1.0, 1.0])])
def astype_i8(x: npt.NDArray[np.float64], y: npt.NDArray[np.float64]) -> npt.NDArray[np.int8]:
    return (x / y).astype(np.int8)


@compile(examples=[([0.0, 1.0, -1.0, 3.7, -3.7, 1e20, 300.0, -1.5], [0.0, 0.0, 0.0, 1.0, 1.0, 1.0, 1.0, 1.0])])
def astype_u8(x: npt.NDArray[np.float64], y: npt.NDArray[np.float64]) -> npt.NDArray[np.uint8]:
    return (x / y).astype(np.uint8)


@compile(examples=[([0.0, 1.0, -1.0, 3.7, -3.7, 1e20, 300.0, -1.5], [0.0, 0.0, 0.0, 1.0, 1.0, 1.0, 1.0, 1.0])])
def astype_i32(x: npt.NDArray[np.float64], y: npt.NDArray[np.float64]) -> npt.NDArray[np.int32]:
    return (x / y).astype(np.int32)


@compile(examples=[([0.0, 1.0, -1.0, 3.7, -3.7, 1e20, 300.0, -1.5], [0.0, 0.0, 0.0, 1.0, 1.0, 1.0, 1.0, 1.0])])
def astype_i64_u64(x: npt.NDArray[np.float64], y: npt.NDArray[np.float64]) -> npt.NDArray[np.uint64]:
    q = x / y
    return q.astype(np.int64).astype(np.uint64) + q.astype(np.uint64)


# A Python int with a small-int array: converted once to the array's dtype (OverflowError out of range, as
# NumPy 2), then the element-wise op in that dtype (wrapping, as NumPy).
@compile(examples=[(1,), (100,), (127,), (300,), (-129,)])
def i8_plus_int(n: int) -> npt.NDArray[np.int8]:
    b = np.arange(4).astype(np.int8)
    return b + n


@compile(examples=[(3,), (2 ** 31,), (-5,)])
def i32_inplace_int(n: int) -> npt.NDArray[np.int32]:
    b = np.zeros((3, 2), dtype=np.int32)
    b += n
    b[:, 0] += 3
    b[1, :] *= n
    return b


@compile(examples=[(3,), (256,), (255,)])
def u8_times_int(n: int) -> npt.NDArray[np.uint8]:
    b = np.full(3, 200, dtype=np.uint8)
    return n * b
