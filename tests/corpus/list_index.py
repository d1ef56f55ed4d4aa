"""lst.index(x) and lst.count(x) as CPython (found by kiln fuzz, issue 19: `kiln fuzz --seed 7 --count 80
--features scalars,lists`, program 66). An absent x raised ValueError "value is not in list" where CPython says
"0.0 is not in list" (the repr of x); and the items were compared with C's `==`, which rounds an int to a
float, where Python compares an int with a float exactly (2**53 + 1 is not 2.0**53)."""
from kiln import compile


@compile(examples=[([-7.0, 6.75, 4.25, 7.75, 0.25], 0.0), ([1.5, -0.0], 0.0), ([2.5], 1e16), ([2.5], -1e-7)])
def position_of_float(xs: list[float], x: float) -> int:
    return xs.index(x)


@compile(examples=[([-47, 25, 41], 41), ([-47, 25, 41], -3), ([], 0)])
def position_of_int(xs: list[int], x: int) -> int:
    return xs.index(x)


@compile(examples=[([1, 2, 3], True), ([0, 5], False), ([7], True)])
def position_of_bool(xs: list[int], flag: bool) -> int:
    return xs.index(flag)


@compile(examples=[([0.5, 2.0, 2.0], 2), ([0.5], 3)])
def position_of_int_in_floats(xs: list[float], k: int) -> int:
    return xs.index(k)


@compile(examples=[(53,), (52,), (10,)])
def exact_int_float_equality(e: int) -> int:
    # 2**p + 1 rounds to 2.0**p as a float when p >= 53: Python's == does not round.
    p = e & 63
    n = 2 ** p + 1
    floats = [float(2 ** p), 0.5]
    ints = [n, 2 ** p]
    found = ints.count(float(2 ** p)) * 100 + floats.count(n) * 10
    if n in floats:
        found += 1
    return found + floats.index(float(2 ** p))


@compile(examples=[([3, 1, 3, 3], 3), ([], 1), ([1.5], 2)])
def how_many(xs: list[float], x: float) -> int:
    return xs.count(x)

