"""Calls to other module functions (decorated or not), recursion, tuples across calls, specialisation."""
from kiln import compile


def square(x):
    return x * x


def clamp(x: float, lo: float, hi: float) -> float:
    if x < lo:
        return lo
    if x > hi:
        return hi
    return x


def div_and_rem(a: int, b: int) -> tuple[int, int]:
    return a // b, a % b


@compile
def fib(n: int) -> int:
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)


@compile
def fact(n: int):
    if n <= 1:
        return 1
    return n * fact(n - 1)


@compile
def uses_helpers(x: float, n: int) -> float:
    # square() is specialised twice: for float and for int, as Python would run it
    return clamp(square(x), 0.0, 100.0) + square(n)


@compile
def tuple_from_helper(a: int, b: int) -> int:
    q, r = div_and_rem(a, b)
    return q * 10 + r


@compile
def keyword_call(x: float) -> float:
    return clamp(x, hi=1.0, lo=-1.0)


def is_even(n: int) -> bool:
    if n == 0:
        return True
    return is_odd(n - 1)


def is_odd(n: int) -> bool:
    if n == 0:
        return False
    return is_even(n - 1)


@compile
def mutual(n: int) -> bool:
    return is_even(n)


@compile
def ackermann_small(m: int, n: int) -> int:
    if m == 0:
        return n + 1
    if n == 0:
        return ackermann_small(m - 1, 1)
    return ackermann_small(m - 1, ackermann_small(m, n - 1))


@compile(examples=[(3, 9223372036854775807), (4, 9223372036854775807), (5, 7), (0, 1), (2000, 1)])
def sum_reordered(n: int, big: int) -> int:
    # `return X + f(...)` is lowered as a loop with an exact accumulator: the sum is right whenever it fits in
    # 64 bits, even where a partial sum in the recursive order would not (n=3: -big + (big + big)), and the
    # recursion limit still counts every level (n=2000: RecursionError).
    if n <= 0:
        return 0
    return (-big if n == 3 else big) + sum_reordered(n - 1, big)


@compile
def infinite_recursion(n: int) -> int:
    return infinite_recursion(n + 1) + 1


@compile
def collatz_len(n: int) -> int:
    steps = 0
    while n > 1:
        if n % 2 == 0:
            n //= 2
        else:
            n = 3 * n + 1
        steps += 1
    return steps


@compile
def mandelbrot(cr: float, ci: float, max_iter: int) -> int:
    zr = 0.0
    zi = 0.0
    for i in range(max_iter):
        zr2 = zr * zr
        zi2 = zi * zi
        if zr2 + zi2 > 4.0:
            return i
        zi = 2.0 * zr * zi + ci
        zr = zr2 - zi2 + cr
    return max_iter
