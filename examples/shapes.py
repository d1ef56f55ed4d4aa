"""Branches and loops: small functions whose IR graphs have nested regions."""
from fxn import compile


@compile(tag="@kiln/clamp", description="Clamp a value into [lo, hi].", examples=[(5.0, 0.0, 1.0)])
def clamp(x: float, lo: float, hi: float) -> float:
    if x < lo:
        return lo
    elif x > hi:
        return hi
    return x


@compile(tag="@kiln/halve", description="Steps from n down to 1, halving even numbers and decrementing odd ones.")
def steps_to_one(n: int) -> int:
    steps = 0
    for _ in range(1000):
        if n <= 1:
            break
        if n % 2 == 0:
            n = n // 2
        else:
            n = n - 1
        steps += 1
    return steps


@compile(tag="@kiln/alt-sum", description="Alternating sum of x**k for k below n.")
def alternating_sum(x: float, n: int) -> float:
    total = 0.0
    term = 1.0
    for k in range(n):
        if k % 2 == 0:
            total = total + term
        else:
            total = total - term
        term = term * x
    return total
