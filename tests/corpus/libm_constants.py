"""math functions of constants (found by kiln fuzz, issue 19): the C compiler folded sin(2.5), tan(7.0),
tanh(0.7), log10(1.3)... with its own math library (Zig's, musl's), which differs from glibc's, the one CPython
calls, in the last bit (tan(7.0): 0.8714479827243187 for CPython's 0.8714479827243188)."""
import math
from kiln import compile


@compile
def sin_2_5() -> float:
    return math.sin(2.5)


@compile
def tan_7() -> float:
    return math.tan(7)


@compile
def tan_1e22() -> float:
    return math.tan(1e22)


@compile
def tanh_consts() -> tuple[float, float]:
    return math.tanh(0.7), math.tanh(0.3)


@compile
def log10_13() -> float:
    return math.log10(1.3)


@compile(examples=[(7.0,), (10.0,)])
def tan_of_sum(x: float) -> float:
    # The constant part is folded, the call is not: both must be the platform's.
    return math.tan(3.5 + 3.5) + math.tan(x)
