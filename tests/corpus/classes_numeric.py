"""Number-like classes with the full operator protocol: exact fractions (reduced, signed denominators, reflected
operators with ints, ordering), closed intervals with interval arithmetic, 2x2 matrices with @ and powers by
squaring, dual numbers for forward-mode derivatives, and a running statistics accumulator that iterates its
samples. Division by zero, empty intervals and singular matrices raise CPython's exceptions from the methods.
Fractions, intervals and dual numbers are value structs in C (opt/valueStructs.ts): `readings` keeps intervals in
a counted object of a list and two of them in another value struct."""
import math

from kiln import compile


def gcd(a: int, b: int) -> int:
    a, b = abs(a), abs(b)
    while b:
        a, b = b, a % b
    return a


class Frac:
    def __init__(self, num: int, den: int = 1):
        if den == 0:
            raise ZeroDivisionError(f"Frac({num}, 0)")
        if den < 0:
            num, den = -num, -den
        g = gcd(num, den) or 1
        self.num = num // g
        self.den = den // g

    def __add__(self, o: "Frac") -> "Frac":
        return Frac(self.num * o.den + o.num * self.den, self.den * o.den)

    def __sub__(self, o: "Frac") -> "Frac":
        return Frac(self.num * o.den - o.num * self.den, self.den * o.den)

    def __mul__(self, o: "Frac") -> "Frac":
        return Frac(self.num * o.num, self.den * o.den)

    def __truediv__(self, o: "Frac") -> "Frac":
        return Frac(self.num * o.den, self.den * o.num)

    def __radd__(self, k: int) -> "Frac":
        return Frac(k * self.den + self.num, self.den)

    def __rmul__(self, k: int) -> "Frac":
        return Frac(k * self.num, self.den)

    def __neg__(self) -> "Frac":
        return Frac(-self.num, self.den)

    def __abs__(self) -> "Frac":
        return Frac(abs(self.num), self.den)

    def __eq__(self, o: "Frac") -> bool:
        return self.num == o.num and self.den == o.den

    def __lt__(self, o: "Frac") -> bool:
        return self.num * o.den < o.num * self.den

    def __le__(self, o: "Frac") -> bool:
        return self.num * o.den <= o.num * self.den

    def __float__(self) -> float:
        return self.num / self.den

    def __bool__(self) -> bool:
        return self.num != 0

    def __repr__(self) -> str:
        return f"Frac({self.num}, {self.den})"

    def __str__(self) -> str:
        return str(self.num) if self.den == 1 else f"{self.num}/{self.den}"


@compile(examples=[(1, 2, 1, 3), (3, -4, 5, 6), (0, 1, 2, 1), (1, 0, 1, 1)])
def frac_arith(a: int, b: int, c: int, d: int) -> str:
    x = Frac(a, b)
    y = Frac(c, d)
    s = x + y
    return f"{s} {x - y} {x * y} {str(x / y) if y else 'inf'} {2 + x} {3 * y} {-x!r} {abs(-x)} {x < y} {x <= y} {x == y} {float(s):.6f}"


@compile(examples=[10, 1, 0])
def harmonic(n: int) -> str:
    """H(n) = 1 + 1/2 + ... + 1/n exactly."""
    h = Frac(0)
    for k in range(1, n + 1):
        h = h + Frac(1, k)
    return f"{h} {float(h):.12f}"


@compile(examples=[5, 1])
def egyptian(n: int) -> str:
    """The greedy Egyptian fraction of (n-1)/n as a sum of unit fractions."""
    r = Frac(n - 1, n)
    parts = []
    while r:
        k = (r.den + r.num - 1) // r.num
        parts.append(f"1/{k}")
        r = r - Frac(1, k)
    return " + ".join(parts)


class Interval:
    def __init__(self, lo: float, hi: float):
        if lo > hi:
            raise ValueError(f"empty interval [{lo}, {hi}]")
        self.lo = lo
        self.hi = hi

    def __add__(self, o: "Interval") -> "Interval":
        return Interval(self.lo + o.lo, self.hi + o.hi)

    def __sub__(self, o: "Interval") -> "Interval":
        return Interval(self.lo - o.hi, self.hi - o.lo)

    def __mul__(self, o: "Interval") -> "Interval":
        ps = [self.lo * o.lo, self.lo * o.hi, self.hi * o.lo, self.hi * o.hi]
        return Interval(min(ps), max(ps))

    def __contains__(self, x: float) -> bool:
        return self.lo <= x <= self.hi

    def width(self) -> float:
        return self.hi - self.lo

    def __repr__(self) -> str:
        return f"[{self.lo}, {self.hi}]"


@compile(examples=[(1.0, 2.0, -0.5, 0.5), (0.0, 0.0, 3.0, 4.0), (2.0, 1.0, 0.0, 1.0)])
def interval_ops(a: float, b: float, c: float, d: float) -> str:
    x = Interval(a, b)
    y = Interval(c, d)
    p = x * y
    return f"{x + y!r} {x - y!r} {p!r} {p.width()} {0.0 in p} {1.5 in x}"


class Reading:
    """A named reading: a counted object (kept in a list) whose interval is a field of it."""

    def __init__(self, name: str, iv: Interval):
        self.name = name
        self.iv = iv


class Band:
    def __init__(self, inner: Interval, outer: Interval):
        self.inner = inner
        self.outer = outer

    def margin(self) -> float:
        return self.outer.width() - self.inner.width()


@compile(examples=[(3, 0.5), (0, 1.0), (4, -2.0), (2, 0.0)])
def readings(n: int, w: float) -> str:
    rs = [Reading(f"r{k}", Interval(float(k) - w, float(k) + w)) for k in range(min(n, 20))]
    b = Band(Interval(-w, w), Interval(-2.0 * w, 2.0 * w))
    total = Interval(0.0, 0.0)
    for r in rs:
        total = total + r.iv
    return f"{len(rs)} {total!r} {b.margin()} {b.inner!r} {[r.name for r in rs if 1.0 in r.iv]}"


class Mat2:
    def __init__(self, a: int, b: int, c: int, d: int):
        self.a = a
        self.b = b
        self.c = c
        self.d = d

    def __matmul__(self, o: "Mat2") -> "Mat2":
        return Mat2(self.a * o.a + self.b * o.c, self.a * o.b + self.b * o.d,
                    self.c * o.a + self.d * o.c, self.c * o.b + self.d * o.d)

    def __pow__(self, n: int) -> "Mat2":
        if n < 0:
            raise ValueError("negative powers need an inverse")
        result = Mat2(1, 0, 0, 1)
        base = self
        while n:
            if n & 1:
                result = result @ base
            base = base @ base
            n >>= 1
        return result

    def det(self) -> int:
        return self.a * self.d - self.b * self.c

    def __eq__(self, o: "Mat2") -> bool:
        return self.a == o.a and self.b == o.b and self.c == o.c and self.d == o.d

    def __repr__(self) -> str:
        return f"Mat2({self.a}, {self.b}, {self.c}, {self.d})"


@compile(examples=[10, 1, 0, 90, -1])
def fibonacci_matrix(n: int) -> str:
    m = Mat2(1, 1, 1, 0) ** n
    return f"{m.b} {m.det()} {m == Mat2(1, 0, 0, 1)}"


class Dual:
    """a + b*eps with eps**2 == 0: f(Dual(x, 1)) carries f(x) and f'(x)."""

    def __init__(self, a: float, b: float):
        self.a = a
        self.b = b

    def __add__(self, o: "Dual") -> "Dual":
        return Dual(self.a + o.a, self.b + o.b)

    def __mul__(self, o: "Dual") -> "Dual":
        return Dual(self.a * o.a, self.a * o.b + self.b * o.a)

    def __truediv__(self, o: "Dual") -> "Dual":
        if o.a == 0.0:
            raise ZeroDivisionError("dual division by a pure infinitesimal")
        return Dual(self.a / o.a, (self.b * o.a - self.a * o.b) / (o.a * o.a))

    def sqrt(self) -> "Dual":
        r = math.sqrt(self.a)
        return Dual(r, self.b / (2.0 * r))


def poly(x: Dual) -> Dual:
    # 3x^3 + 2x + 1 / x
    three = Dual(3.0, 0.0)
    return three * x * x * x + Dual(2.0, 0.0) * x + Dual(1.0, 0.0) / x


@compile(examples=[2.0, 0.5, -1.0, 0.0])
def derivative(x: float) -> str:
    y = poly(Dual(x, 1.0))
    return f"{y.a:.9f} {y.b:.9f}"


@compile(examples=[4.0, 2.0])
def newton_sqrt(v: float) -> float:
    """Newton on f(x) = x*x - v with the derivative from dual numbers."""
    x = v if v > 1.0 else 1.0
    for _ in range(30):
        d = Dual(x, 1.0)
        f = d * d + Dual(-v, 0.0)
        x = x - f.a / f.b
    return x


class Stats:
    def __init__(self):
        self.samples: list[float] = []

    def add(self, x: float) -> "Stats":
        self.samples.append(x)
        return self

    def __len__(self) -> int:
        return len(self.samples)

    def __iter__(self):
        yield from self.samples

    def mean(self) -> float:
        if not self:
            raise ValueError("mean of no samples")
        return sum(self) / len(self)

    def variance(self) -> float:
        m = self.mean()
        return sum((x - m) ** 2 for x in self) / len(self)


@compile(examples=[[1.0, 2.0, 3.0, 4.0], [2.5], []])
def sample_stats(xs: list[float]) -> str:
    s = Stats()
    for x in xs:
        s.add(x)
    # A list local += a generator stores each item as it is made (the generator sees the list grow), though classes
    # of this module define __add__: the local is known to be a list, not one of their instances.
    grown = [0.0]
    grown += (len(grown) + x for x in xs)
    return f"{len(s)} {s.mean():.6f} {s.variance():.6f} {max(s)} {grown}"
