"""Closure-heavy numerical integration: Simpson's rule takes the integrand as a function; the integrands are
closures made in a loop (a factory's lambda capturing a width, and a lambda capturing it and the loop variable).
Each def and lambda is a compile-time type, so simpson() is specialised per integrand and the calls inline."""
import math
from kiln import compile


def simpson(f, a, b, n):
    h = (b - a) / n
    s = f(a) + f(b)
    for i in range(1, n):
        s += (4.0 if i % 2 else 2.0) * f(a + i * h)
    return s * h / 3.0


def gaussian(w):
    return lambda x: math.exp(-w * x * x)


@compile
def closure_integrals(n: int) -> float:
    total = 0.0
    for k in range(1, 9):
        g = gaussian(k * 0.5)
        total += simpson(g, 0.0, 2.0, n) + simpson(lambda x: g(x) * math.cos(k * x), 0.0, 2.0, n)
    return total
