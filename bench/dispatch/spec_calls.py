"""Functions whose exported package dispatches on argument types (bench/dispatch.ts): the numeric tower's type tests
(fma: three float parameters) and a list's element type test (total: list[float], also compiled for list[int])."""
from kiln import compile


@compile
def fma(x: float, y: float, z: float) -> float:
    return x * y + z


@compile
def total(xs: list[float]) -> float:
    t = 0.0
    for x in xs:
        t += x
    return t
