"""Numbers whose type depends on the path: an int on one branch and a float on another, as ordinary
numeric code writes them (statistics helpers, guarded divisions, powers with a negative exponent,
min/max of mixed numbers). CPython returns an int or a float; so must the native code."""
import math
from kiln import compile


@compile(examples=[(0.0, 0), (10.0, 4), (-3.5, 2)])
def mean_or_zero(total: float, count: int):
    if count == 0:
        return 0
    return total / count


@compile(examples=[(7, 2), (7, 0), (-9, 4)])
def safe_ratio(a: int, b: int):
    return a / b if b != 0 else a


@compile
def percent(part: int, whole: int):
    if whole <= 0:
        return 0
    p = 100 * part / whole
    if p == int(p):
        return int(p)
    return round(p, 2)


@compile(examples=[(3, 2), (2, -3), (0, -1), (-2, -3), (5, 0)])
def int_power(base: int, exp: int):
    return base ** exp


@compile
def pow_series(x: int, n: int):
    """sum of x ** k for k = -2 .. n-3: ints and floats mixed, as Python sums them."""
    total = 0
    for k in range(n):
        total += x ** (k - 2)
    return total


@compile
def inverse_powers(n: int):
    s = 0.0
    for k in range(1, n):
        s += 2 ** -k
    return s


@compile(examples=[(3, 2.5), (2, 2.0), (5, 1e400 * 0)])
def smaller(a: int, b: float):
    return min(a, b)


@compile
def clamp(x: float, lo: int, hi: int):
    return max(lo, min(x, hi))


@compile
def extremes(a: int, b: float, c: bool):
    return max(a, b, c), min(c, b, a)


@compile
def halve_until_odd(n: int):
    """n // 2 while even, then n / 3 once: an int or a float at the end."""
    x = n
    steps = 0
    while steps < 8 and x % 2 == 0 and x != 0:
        x = x // 2
        steps += 1
    if steps > 2:
        x = x / 3
    return x


@compile
def collatz_or_ratio(n: int, limit: int):
    x = n
    for i in range(limit):
        if x == 1:
            return i
        x = x // 2 if x % 2 == 0 else 3 * x + 1
    return x / limit


@compile
def step_sum(n: int):
    x = 0
    for i in range(n):
        x = x + 0.5 if i % 2 else x + 1
    return x


@compile
def score(hits: int, misses: int, bonus: bool):
    base = hits * 10 - misses
    value = base * 1.5 if bonus else base
    if value < 0:
        value = 0
    return value


@compile
def median3(a: int, b: float, c: int):
    if a <= b <= c or c <= b <= a:
        return b
    if b <= a <= c or c <= a <= b:
        return a
    return c


@compile
def split_type(count: int) -> float:
    """One name, two unrelated uses: an int count, then a float average (split, no union)."""
    n = count
    total = 0.0
    for i in range(n):
        total += i * 0.25
    n = total / max(count, 1)
    return n


@compile
def newton_root(a: int, iterations: int):
    """Integer square root when the Newton steps land on one, else the float estimate."""
    if a < 0:
        return -1
    if a < 2:
        return a
    x = a / 2
    for _ in range(iterations):
        x = (x + a / x) / 2
    r = int(x)
    if r * r == a:
        return r
    return x


@compile
def abs_and_round(x: int, f: bool):
    v = x if f else -x * 1.5
    return abs(v), round(v), int(v), float(v), math.floor(v)


@compile
def compare_mixed(a: int, b: float, f: bool) -> bool:
    v = a if f else b
    return v < 2 and v != 0.5 and v >= -7


@compile
def matmul_sums(n: int) -> list[list[float]]:
    """A float matrix product of list comprehensions: sum() of no products is CPython's int 0, so the rows are lists
    of int | float ([[0, 0], ...] when the inner length is 0)."""
    k = n % 4
    a = [[0.5 * (i + j) for j in range(k)] for i in range(3)]
    cols = [[1.5 * (i - j) for i in range(k)] for j in range(2)]
    return [[sum(x * y for x, y in zip(row, col)) for col in cols] for row in a]


@compile
def spectral_steps(n: int) -> str:
    """A spectral-norm step: u = [1.0] * n meets u = av(u), a list of int | float sums; items stored, printed, summed."""
    m = n % 4

    def av(x: list[float]) -> list[float]:
        return [sum(x[j] / (i + j + 1) for j in range(m)) for i in range(m + 1)]

    u = [1.0] * (m + 1)
    for _ in range(3):
        u = av(u)
    v = [u[-1]]
    v.append(m)
    v[0] = v[0] * 2
    return f"{u} {v} {sum(u)} {sum(v)}"
