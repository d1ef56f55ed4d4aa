"""Arithmetic with Python's exact semantics: floor division, modulo, powers, true division, promotion."""
from kiln import compile


@compile
def floordiv_int(a: int, b: int) -> int:
    return a // b


@compile
def mod_int(a: int, b: int) -> int:
    return a % b


@compile(examples=[(-7,), (-8,), (7,), (-9223372036854775808,), (9223372036854775807,)])
def divmod_const(a: int) -> tuple[int, int, int, int, int, int, int, int]:
    # Constant powers of two become shifts and masks in C; the signs must stay Python's.
    return a // 1, a % 1, a // 2, a % 2, a // 8, a % 8, a // 3, a % -4


@compile
def floordiv_float(a: float, b: float) -> float:
    return a // b


@compile
def mod_float(a: float, b: float) -> float:
    return a % b


@compile
def true_div_int(a: int, b: int) -> float:
    return a / b


@compile
def true_div_mixed(a: int, b: float) -> float:
    return a / b


@compile
def power_int(a: int) -> int:
    return a ** 3 + 2 ** 10


@compile
def power_var(a: int, b: int) -> int:
    return a ** b


@compile
def power_negative_const(a: int) -> float:
    return a ** -2


@compile
def power_float(a: float, b: float) -> float:
    return a ** b


@compile
def mixed_promotion(a: int, b: float, c: bool) -> float:
    return a + b * c - (a - c)


@compile
def bool_arith(a: bool, b: bool) -> int:
    return a + b + (a * 3)


@compile
def unary_ops(a: int, b: float) -> float:
    return -a + (+b) - (-b)


@compile
def int_overflow(a: int, b: int) -> int:
    return a * b + a


@compile
def divmod_int(a: int, b: int) -> tuple[int, int]:
    return divmod(a, b)


@compile
def divmod_float(a: float, b: float) -> tuple[float, float]:
    return divmod(a, b)


@compile
def float_specials(x: float) -> float:
    return x * 2.0 - x / 4.0 + 1e-300


@compile
def no_contraction(x: float, y: float, z: float) -> float:
    # x * y + z must round twice, as CPython does (no fused multiply-add)
    return x * y + z
