"""Defaults, keyword arguments, keyword-only and positional-only parameters, *args and **kwargs on helpers:
the helpers of small numeric libraries, written the way Python code writes them."""
import math
from kiln import compile

EPS = 1e-12
MAX_ITER = 64


def lerp(a, b, t=0.5):
    return a + (b - a) * t


def clamp(x, lo=0.0, hi=1.0):
    return lo if x < lo else hi if x > hi else x


def poly(x, *coeffs):
    # Horner's rule over any number of coefficients, highest degree first.
    acc = 0.0
    for c in coeffs:
        acc = acc * x + c
    return acc


def stats(*values, ddof=0):
    n = len(values)
    mean = sum(values) / n
    ss = 0.0
    for v in values:
        ss += (v - mean) ** 2
    return mean, ss / (n - ddof)


def newton_sqrt(a, /, x0=1.0, *, tol=EPS, max_iter=MAX_ITER):
    x = x0
    for _ in range(max_iter):
        nxt = 0.5 * (x + a / x)
        if abs(nxt - x) <= tol * abs(nxt):
            return nxt
        x = nxt
    return x


def options(x, **opts):
    # **kwargs forwarded and counted: the call's keywords are known when it is compiled.
    return scaled(x, **opts) + len(opts)


def scaled(x, scale=1.0, offset=0.0):
    return x * scale + offset


def power_sum(n, p=2, start=1):
    total = 0
    for i in range(start, n + 1):
        total += i ** p
    return total


@compile
def blend(a: float, b: float) -> float:
    return lerp(a, b) + lerp(a, b, 0.25) + lerp(t=0.75, b=b, a=a)


@compile
def clamped_sum(xs: list[float]) -> float:
    s = 0.0
    for x in xs:
        s += clamp(x) + clamp(x, -1.0) + clamp(x, hi=2.0) + clamp(x, lo=-2.0, hi=-1.0)
    return s


@compile
def horner(x: float) -> float:
    return poly(x, 2.0, -3.0, 1.0) + poly(x) + poly(x, 5.0)


@compile
def describe(a: float, b: float, c: float) -> tuple[float, float, float]:
    mean, var = stats(a, b, c)
    _, sample_var = stats(a, b, c, ddof=1)
    return mean, var, sample_var


@compile(examples=[2.0, 1e10, 0.25, 0.0, -1.0])
def root(a: float) -> float:
    if a <= 0.0:
        return 0.0
    return newton_sqrt(a) - newton_sqrt(a, 2.0, tol=1e-6) + newton_sqrt(a, max_iter=3)


@compile
def kwargs_forwarding(x: float) -> float:
    return options(x) + options(x, scale=2.0) + options(x, offset=1.0, scale=0.5)


@compile
def sums_of_powers(n: int) -> int:
    return power_sum(n) + power_sum(n, 3) + power_sum(n, start=2, p=1)


@compile(examples=[(3.0,), (3.0, 4.0), (3.0, 4.0, 0.5)])
def weighted_mean(x: float, y: float = 1.0, w: float = 0.5) -> float:
    """An exported function with defaults: C callers pass every argument, the packages fill in the rest."""
    return w * x + (1.0 - w) * y


@compile
def tolerance(x: float, *, rel: float = 1e-9, abs_tol: float = 0.0) -> bool:
    """Keyword-only parameters (the reference passes them by keyword)."""
    return abs(x - round(x)) <= max(rel * abs(x), abs_tol)


@compile
def bounded(x: int, /, lo: int = -10, hi: int = 10) -> int:
    return max(lo, min(hi, x))


def count_down(n, step=1, acc=0):
    if n <= 0:
        return acc
    return count_down(n - step, step, acc + n)


@compile
def recursive_defaults(n: int) -> int:
    return count_down(n) + count_down(n, 2) + count_down(n, acc=100)


def first_of(*items):
    return items[0]


def last_of(*items):
    return items[len(items) - 1]


@compile
def star_calls(a: int, b: int) -> int:
    t = (a, b, a + b)
    return first_of(*t) * 100 + last_of(*t, 7) + first_of(b, *t)


@compile
def mean_of_args(a: float, b: float, c: float) -> float:
    return sum_all(a, b, c) / 3.0 + sum_all() + sum_all(a)


def sum_all(*xs):
    total = 0.0
    for x in xs:
        total += x
    return total


@compile
def sentinel_defaults(xs: list[float]) -> float:
    return smallest(xs) + largest(xs, floor=-1.0)


def smallest(xs, best=math.inf):
    for x in xs:
        if x < best:
            best = x
    return best if best != math.inf else 0.0


def largest(xs, floor=-math.inf):
    best = floor
    for x in xs:
        if x > best:
            best = x
    return best
