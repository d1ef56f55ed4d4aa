"""Built-ins and the math module, with CPython's errors."""
import math
import math as m
from math import sqrt, pi
from math import hypot as h
from kiln import compile


@compile
def builtins_mix(a: int, b: int, x: float) -> float:
    return abs(a) + min(a, b, 3) + max(x, 0.5) + float(b) + int(x)


@compile
def abs_int(a: int) -> int:
    return abs(a)


@compile
def to_int(x: float) -> int:
    return int(x)


@compile
def to_bool(x: float) -> bool:
    return bool(x)


@compile
def round_half_even(x: float) -> int:
    return round(x)


@compile
def round_digits(x: float) -> float:
    return round(x, 2)


@compile
def round_int(a: int) -> int:
    return round(a, -2)


@compile
def pow_builtin(a: int, b: int, c: int) -> int:
    return pow(a, b, c)


@compile
def min_max_float(a: float, b: float) -> tuple[float, float]:
    return min(a, b), max(a, b)


@compile
def sqrt_fn(x: float) -> float:
    return sqrt(x) + m.sqrt(abs(x))


@compile
def logs(x: float) -> float:
    return math.log(x) + math.log2(x) + math.log10(x)


@compile
def log_base(x: float, b: float) -> float:
    return math.log(x, b)


@compile
def exp_fn(x: float) -> float:
    return math.exp(x)


@compile
def trig(x: float) -> float:
    return math.sin(x) + math.cos(x) + math.tan(x) + math.atan(x)


@compile
def inverse_trig(x: float) -> float:
    return math.asin(x) + math.acos(x)


@compile
def hyperbolic(x: float) -> float:
    return math.sinh(x) + math.cosh(x) + math.tanh(x)


@compile
def atan2_hypot(y: float, x: float) -> float:
    return math.atan2(y, x) + h(x, y)


@compile
def floor_ceil_trunc(x: float) -> int:
    return math.floor(x) - math.ceil(x) + math.trunc(x)


@compile
def fabs_copysign_fmod(x: float, y: float) -> float:
    return math.fabs(x) + math.copysign(1.0, y) + math.fmod(x, y)


@compile
def float_classes(x: float) -> int:
    return int(math.isnan(x)) * 4 + int(math.isinf(x)) * 2 + int(math.isfinite(x))


@compile
def gcd_fn(a: int, b: int) -> int:
    return math.gcd(a, b)


@compile
def math_pow(x: float, y: float) -> float:
    return math.pow(x, y)


@compile
def constants(r: float) -> float:
    return pi * r * r + math.tau + math.e - m.pi + math.inf * 0.0 * 0.0


@compile
def circle_steps(n: int) -> float:
    total = 0.0
    for k in range(n):
        total += math.sin(2 * math.pi * k / (n + 1))
    return total


# Deferred checks: several float divisions and square roots in one run of arithmetic are tested together
# at the end of the run; the first failure in program order must still be the one raised, with its line.
@compile(examples=[(4.0, 2.0, 1.0), (4.0, 0.0, 1.0), (-1.0, 0.0, 1.0), (4.0, 2.0, 0.0), (-4.0, 2.0, 0.0), (0.0, 0.0, 0.0)])
def deferred_checks(a: float, b: float, c: float) -> float:
    r = math.sqrt(a)
    q = r / b
    s = q / c
    t = math.sqrt(b - 2.0)
    return q + s + t


@compile(examples=[(3, 1.0), (3, 0.0), (5, 0.5), (0, 0.0), (4, -1.0)])
def deferred_in_loop(n: int, d: float) -> float:
    total = 0.0
    x = 1.0
    for i in range(n):
        x = x / (d - 0.5 * i)
        total = total + math.sqrt(x) / (x + 1.0)
    return total

# A check whose operand is reassigned later in the same run (b below) keeps its own flag bit; the others are
# tested again by value at the end of the run. Which error wins must not change.
@compile(examples=[(1.0, 2.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0), (0.0, 0.0), (-1.0, 3.0)])
def deferred_reassigned(a: float, b: float) -> float:
    q = a / b
    b = b - 1.0
    r = q / b
    s = math.sqrt(a)
    b = b * 2.0
    return q + r + s + 1.0 / (a + 1.0) + b


# math.sqrt of a value that is never negative (a sum of squares, a product of such values, a local only ever
# assigned such values) is lowered without its domain test; a local also assigned something else keeps it.
@compile(examples=[(3.0, 4.0), (0.0, 0.0), (-0.0, 0.0), (1e-200, 1e-200), (1e200, 1e200)])
def sqrt_never_negative(x: float, y: float) -> float:
    d = x * x + y * y
    acc = 0.0
    for _ in range(3):
        acc = acc + math.sqrt(d) * math.sqrt(x * x) + math.sqrt(abs(y))
        d = d * 2.0
    return acc + math.sqrt(d * math.sqrt(d)) + math.sqrt(math.exp(x) * math.pi)


@compile(examples=[(3.0, 4.0), (0.0, 0.5), (1.0, 0.0), (-2.0, 1.0)])
def sqrt_sometimes_negative(x: float, y: float) -> float:
    d = x * x
    total = math.sqrt(d)
    d = d - y
    total = total + math.sqrt(d)
    z = x * y
    return total + math.sqrt(z * z) + math.sqrt(x * -1.0 * x + 4.0)



@compile
def weighted_total(weights: list[float], bias: float) -> float:
    # sum() from a start value: the float start makes the empty case a float too.
    return sum(weights, bias) + sum([w * w for w in weights], 0.0)


@compile(examples=[([4611686018427387904, 4611686018427387904, -4611686018427387904], 1), ([], 5), ([9223372036854775807], 1)])
def ledger_balance(entries: list[int], opening: int) -> int:
    # The running total may leave 64 bits and come back (a large credit, then the debits): only the result must fit.
    return sum(entries, opening)


@compile
def mean_with_prior(xs: list[int], prior: float) -> float:
    return sum(xs, prior) / (len(xs) + 1)
