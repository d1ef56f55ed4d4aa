"""Functions passed as values: numerical integration and root finding that take the function, fixed-point
iteration, a table of functions chosen at run time, an event simulation with callbacks, map and filter."""
import math
from kiln import compile


def trapezoid(f, a, b, n=64):
    h = (b - a) / n
    s = 0.5 * (f(a) + f(b))
    for i in range(1, n):
        s += f(a + i * h)
    return s * h


def simpson(f, a, b, n=64):
    if n % 2:
        n += 1
    h = (b - a) / n
    s = f(a) + f(b)
    for i in range(1, n):
        s += (4.0 if i % 2 else 2.0) * f(a + i * h)
    return s * h / 3.0


def bisect(f, lo, hi, tol=1e-12, max_iter=200):
    flo = f(lo)
    for _ in range(max_iter):
        mid = 0.5 * (lo + hi)
        fm = f(mid)
        if fm == 0.0 or hi - lo < tol:
            return mid
        if (fm < 0.0) == (flo < 0.0):
            lo, flo = mid, fm
        else:
            hi = mid
    return 0.5 * (lo + hi)


def newton(f, df, x, steps=20):
    for _ in range(steps):
        d = df(x)
        if d == 0.0:
            break
        x = x - f(x) / d
    return x


def fixed_point(g, x, steps=50):
    for _ in range(steps):
        x = g(x)
    return x


def repeat(f, n, x):
    for _ in range(n):
        x = f(x)
    return x


def square(x):
    return x * x


def cube(x):
    return x * x * x


def halve(x):
    return x / 2.0


@compile
def integrals(k: float) -> float:
    return trapezoid(square, 0.0, 1.0) + simpson(lambda t: math.sin(k * t), 0.0, math.pi, 32) + simpson(cube, -1.0, 2.0, n=15)


@compile(examples=[2.0, 3.0, 10.0, 0.5])
def cube_root(a: float) -> float:
    if a <= 0.0:
        return 0.0
    return bisect(lambda x: x * x * x - a, 0.0, max(1.0, a))


@compile
def newton_sqrt2(x0: float) -> float:
    if x0 == 0.0 or x0 != x0 or abs(x0) > 1e100:
        return 0.0
    return newton(lambda x: x * x - 2.0, lambda x: 2.0 * x, x0)


@compile
def cosine_fixed_point(x0: float) -> float:
    if x0 != x0 or abs(x0) > 1e12:
        return 0.0
    return fixed_point(math.cos, x0)


@compile
def repeat_builtin(n: int, x: float) -> float:
    return repeat(halve, n, x) + repeat(abs, n, -x) + repeat(lambda v: v + 1.0, n, x)


OPS = (square, cube, halve, lambda x: x + 1.0)


@compile
def dispatch(op: int, x: float) -> float:
    # A table of functions indexed at run time: one indirect call per step.
    total = 0.0
    for i in range(4):
        total += OPS[(op + i) % 4](x)
    return total + OPS[op % 4](2.0)


@compile
def table_out_of_range(op: int, x: float) -> float:
    return OPS[op](x)


def simulate(events, on_event, state):
    for e in events:
        state = on_event(state, e)
    return state


@compile
def event_simulation(arrivals: list[float]) -> float:
    busy_until = 0.0
    served = 0

    def arrive(clock, t):
        nonlocal busy_until, served
        start = max(t, busy_until)
        busy_until = start + 1.5
        served += 1
        return max(clock, busy_until)

    end = simulate(arrivals, arrive, 0.0)
    return end + served


@compile
def map_filter(xs: list[float]) -> list[float]:
    positive = list(filter(lambda v: v > 0.0, xs))
    return list(map(lambda v: v * 10.0, positive)) + list(map(abs, xs))


@compile
def map_two(xs: list[int], ys: list[int]) -> int:
    total = 0
    for p in map(lambda a, b: a * b, xs, ys):
        total += p
    return total


@compile
def builtin_values(xs: list[float]) -> list[int]:
    return list(map(round, filter(None, xs)))


@compile
def reduce_by_hand(xs: list[int]) -> int:
    combine = lambda acc, v: acc * 31 + v
    acc = 7
    for x in xs:
        acc = combine(acc, x) % 1000003
    return acc
