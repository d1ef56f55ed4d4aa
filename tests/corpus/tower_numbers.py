"""Small numeric helpers, called the way Python code calls them: ints where floats are annotated and bools where
ints are (PEP 484's numeric tower). Python does not convert the arguments, so fused(3, -1, 2) is the int -1; each
combination of ints and floats is its own compiled specialisation, and a bool runs the int one where its C is the
same (merge_flags(True, False) would be the bool True: that call is refused with a TypeError). Ints past 64 bits
run each specialisation's big-int twin: an int result of any size, and a float one as CPython rounds it
(int / int correctly rounded, float(int) half to even, OverflowError past the largest float)."""
from typing import TypeVar

from kiln import compile

# A constrained TypeVar over the tower: list[Num] is compiled as list[float] with its list[int] specialisation.
Num = TypeVar("Num", int, float)


@compile(examples=[(3, -1, 2), (3.0, -1.0, 2.0), (True, 2.0, 0.5), (2, 0.5, 1), (1180591620717411303424, 3, -1), (2**70, 0.5, 1.0),
                   (2**53 + 1, 1.0, 0.0), (2**1024, 1.0, 0.0)])
def fused(x: float, y: float, z: float) -> float:
    return x * y + z


@compile(examples=[(0, 10, 3), (0.0, 10.0, 0.25), (1.5, 3, True)])
def lerp(a: float, b: float, t: float) -> float:
    return a + (b - a) * t


@compile(examples=[(2, 3, 5, 7), (1.5, 2.0, 3.0, 4.0), (2, 1.5, 2.5, 3.5)])
def horner3(x: float, c0: float, c1: float, c2: float) -> float:
    """c0 + c1*x + c2*x**2, evaluated from the highest coefficient."""
    return (c2 * x + c1) * x + c0


@compile(examples=[(17, 5), (17.5, 5), (-7, 2), (17.5, True)])
def split_units(total: float, size: int) -> tuple[float, float]:
    return total // size, total % size


@compile(examples=[(10, 4), (1, 2), (0.5, 0.25), (2**70, 3), (-(2**80) - 1, 2**80), (2**1100, 1), (2**70, 0.5)])
def midpoint(a: float, b: float) -> float:
    return (a + b) / 2


@compile(examples=[(7, 0.0), (-3, 0), (-2.5, 0)])
def clamp_low(x: float, low: float) -> float:
    if x < low:
        return low
    return x


@compile(examples=[(5, True), (5, False), (0, True)])
def triangle(n: int, inclusive: bool) -> int:
    total = 0
    for i in range(n + inclusive):
        total += i
    return total


@compile(examples=[(3, 4), (5, 2), (-1, 8)])
def merge_flags(a: int, b: int) -> int:
    return a | b


@compile(examples=[(3, 4), (3.0, 4), (1e200, 1e200), (2**40, 0.5), (2**600, 0.5)])
def norm2(x: float, y: float) -> float:
    return x * x + y * y


@compile(examples=[(12, 34, 5, 100), (12.0, 34.0, 5.0, 100), (1, 1, 1, 0), (2**62, 3, 1, 2), (2**62, 1.5, 0.5, 3)])
def repeat_fma(x: float, y: float, z: float, n_iter: int) -> float:
    result = z
    for _ in range(n_iter):
        result = x * y + result
    return result


# The specialisations listed in the decorator replace the default candidates: a listed bool is its own one (it
# returns the bool, as CPython does), and (3, 4.0) would raise TypeError since (int, float) is not listed.
@compile(signatures=[(int, int), "(bool, float) -> bool | float"], examples=[(3, 4), (2.0, 0.5), (True, 2.5), (False, -1.0)])
def keep_positive(x: float, y: float) -> float:
    return x if y > 0 else y


# A list of ints where list[float] is annotated (or list[int] | list[float], or list[Num]) runs the list[int] specialisation (sum([1, 2]) is the int 3), picked
# by the exact type of the items; an empty list runs the list[int] one too (sum([]) is the int 0 in CPython).
@compile(examples=[([1, 2, 3],), ([1.5, 2.0],), ([],), ([2**62, 2**62, 2**62],)])
def list_total(xs: list[int] | list[float]) -> float:
    return sum(xs)


@compile(examples=[([2, 3], 2), ([2.5], 2), ([], 3), ([4], 0.5), ([], 0.5), ([2**62, 1], 4)])
def scaled_head(xs: list[Num], k: Num) -> Num:
    if not xs:
        return k
    return xs[0] * k + len(xs)


# A float result of ints past 64 bits (the list[int]'s sum here): the sum compared with a float exactly (2**64 + 1 is
# above 2**64, which float(2**64 + 1) is not), and int / int correctly rounded, as CPython's long_true_divide.
@compile(examples=[([1, 2, 4], 2), ([9223372036854775807, 9223372036854775807, 3], 6.148914691236517e18), ([], 0.5),
                   ([9223372036854775807, 9223372036854775807, 9223372036854775807], 1e18), ([9223372036854775807, 2], 3e18)])
def mean_excess(xs: list[int], limit: float) -> float:
    total = sum(xs)
    if total > limit * len(xs):
        return total / len(xs) - limit
    return -1.0
