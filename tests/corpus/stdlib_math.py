"""Numerical routines on the math module: combinatorics, exact sums, special functions, numerical integration,
float tools (frexp, ldexp, nextafter, ulp) and the module's errors, as CPython computes and raises them."""
import math
import random
from kiln import compile


@compile(examples=[(10,), (20,), (21,), (0,), (-1,)])
def factorial_digits(n: int) -> int:
    """The digit sum of n! (OverflowError past 20!, where the int needs more than 64 bits, until big ints land)."""
    f = math.factorial(n)
    s = 0
    while f > 0:
        s += f % 10
        f //= 10
    return s


@compile(examples=[(10, 3), (52, 5), (60, 30), (5, 7), (-1, 2), (4, -1)])
def binomials(n: int, k: int) -> tuple[int, int, int]:
    return (math.comb(n, k), math.perm(n, min(k, 20)), math.comb(n, n - k) if k <= n else 0)


@compile(examples=[(20,), (8,), (1,)])
def pascal_row_sum(n: int) -> int:
    """The sum of row n of Pascal's triangle by comb, checked against 2**n."""
    total = 0
    for k in range(n + 1):
        total += math.comb(n, k)
    return total - 2 ** n


@compile(examples=[(0,), (15,), (99999999999,), (-4,)])
def integer_roots(n: int) -> tuple[int, bool]:
    r = math.isqrt(n)
    return (r, r * r == n)


@compile(examples=[([12, 18, 24],), ([7, 13],), ([0, 0],), ([],)])
def gcd_lcm_of(xs: list[int]) -> tuple[int, int]:
    g = 0
    m = 1
    for x in xs:
        g = math.gcd(g, x)
        m = math.lcm(m, x)
    return (g, m + math.gcd(12, 18, 27) + math.lcm(4, 6, 10))


@compile(examples=[([0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1],), ([1e100, 1.0, -1e100],), ([1e308, 1e308],), ([1e400, -1e400],), ([],)])
def exact_sum(xs: list[float]) -> tuple[float, float]:
    """fsum is correctly rounded where sum() is not."""
    return (math.fsum(xs), sum(xs))


@compile(examples=[([1.5, 2.0, -3.0],), ([],), ([1e200, 1e200],)])
def products(xs: list[float]) -> tuple[float, float]:
    return (math.prod(xs), math.prod(xs, start=0.5))


@compile(examples=[([1, 2, 3, 4, 5],), ([2 ** 40, 2 ** 30],), ([],)])
def int_product(xs: list[int]) -> int:
    return math.prod(xs)


@compile(examples=[(0.0,), (0.5,), (-1.5,), (3.0,), (30.0,)])
def special_functions(x: float) -> list[float]:
    return [math.erf(x), math.erfc(x), math.expm1(x), math.log1p(abs(x)), math.cbrt(x), math.exp2(x), math.asinh(x)]


@compile(examples=[(0.5,), (5.0,), (0.0,), (-2.0,), (-2.5,), (171.5,), (200.0,)])
def gamma_values(x: float) -> tuple[float, float]:
    return (math.lgamma(x), math.gamma(x))


@compile(examples=[(0.0, 1.0, 100), (0.0, 3.141592653589793, 1000), (-2.0, 2.0, 64)])
def simpson_normal_pdf(a: float, b: float, n: int) -> float:
    """Simpson's rule on the standard normal density; compared with the erf closed form."""
    if n % 2 == 1:
        n += 1
    h = (b - a) / n
    s = 0.0
    for i in range(n + 1):
        x = a + i * h
        fx = math.exp(-x * x / 2.0) / math.sqrt(2.0 * math.pi)
        if i == 0 or i == n:
            s += fx
        elif i % 2 == 1:
            s += 4.0 * fx
        else:
            s += 2.0 * fx
    approx = s * h / 3.0
    exact = 0.5 * (math.erf(b / math.sqrt(2.0)) - math.erf(a / math.sqrt(2.0)))
    return approx - exact


@compile(examples=[(1.0,), (0.1,), (-3.75,), (0.0,), (1e-310,), (1e400,), (-1e400,)])
def float_anatomy(x: float) -> tuple[float, int, float, float, float, float]:
    m, e = math.frexp(x)
    frac, whole = math.modf(x)
    return (m, e, math.ldexp(m, e) - x if math.isfinite(x) else 0.0, frac + whole * 0.0, math.ulp(x), math.nextafter(x, 0.0))


@compile(examples=[(7.0, 3.0), (-7.5, 2.0), (5.0, 0.0), (1e400, 1.0)])
def remainders(x: float, y: float) -> tuple[float, float]:
    return (math.remainder(x, y), math.fmod(x, y) if y != 0.0 else 0.0)


@compile(examples=[(3.0, 4.0, 12.0), (0.0, 0.0, 0.0), (1e300, 1e300, 1e300)])
def distances(x: float, y: float, z: float) -> tuple[float, float, float]:
    return (math.hypot(x, y, z), math.dist((0.0, 0.0, 0.0), (x, y, z)), math.dist([x, y], [y, x]))


@compile(examples=[(1.0, 1.0000000001), (1.0, 1.1), (0.0, 1e-12), (1e400, 1e400)])
def closeness(a: float, b: float) -> list[bool]:
    return [math.isclose(a, b), math.isclose(a, b, rel_tol=0.2), math.isclose(a, b, abs_tol=1e-9)]


@compile(examples=[(30.0,), (180.0,), (-45.0,)])
def angles(deg: float) -> tuple[float, float, float]:
    r = math.radians(deg)
    return (r, math.degrees(r), math.atanh(math.tanh(r)) if abs(r) < 10.0 else 0.0)


@compile(examples=[(0,), (1,), (2,), (3,), (4,), (5,), (6,), (7,), (8,)])
def math_errors(which: int) -> float:
    """CPython's exceptions and messages for the module's domain and range errors."""
    if which == 0:
        return math.gamma(0.0)
    if which == 1:
        return math.log1p(-1.0)
    if which == 2:
        return float(math.factorial(-3))
    if which == 3:
        return float(math.comb(-1, 2))
    if which == 4:
        return math.acosh(0.5)
    if which == 5:
        return math.exp2(5000.0)
    if which == 6:
        return math.ldexp(1.0, 5000)
    if which == 7:
        return math.remainder(1.0, 0.0)
    return float(math.isqrt(-9))


@compile(examples=[(5, 10), (99, 3)])
def normal_variates(seed: int, n: int) -> list[float]:
    """random's normal and exponential variates: built on log, cos and sqrt, so CPython's on the host (glibc) and
    within an ulp or two on musl and wasi-libc targets (docs/design/numbers.md)."""
    random.seed(seed)
    out = []
    for i in range(n):
        out.append(random.gauss(0.0, 1.0))
        out.append(random.normalvariate(10.0, 2.5))
        out.append(random.expovariate(0.5))
        out.append(random.gauss())
        out.append(random.lognormvariate(0.0, 0.5))
        out.append(random.vonmisesvariate(1.0, 4.0))
        out.append(random.gammavariate(2.5, 1.5))
        out.append(random.gammavariate(0.5, 1.0))
        out.append(random.betavariate(2.0, 3.0))
        out.append(random.paretovariate(3.0))
        out.append(random.weibullvariate(1.0, 1.5))
    return out


@compile(examples=[(0,), (1,), (2,), (3,)])
def variate_errors(which: int) -> float:
    random.seed(1)
    if which == 0:
        return random.gammavariate(-1.0, 1.0)
    if which == 1:
        return random.betavariate(0.0, 1.0)
    if which == 2:
        return random.expovariate(0.0)
    return random.paretovariate(0.0)
