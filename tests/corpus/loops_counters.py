"""While-loop counters whose `+= 1` cannot overflow (opt/whileCounters.ts) in shapes beyond the plain
`while i < n`: a bound computed in the test itself, and a loop nested in the while's body."""
import numpy as np
import numpy.typing as npt
from kiln import compile


@compile(examples=[([],), ([1, 2, 3],), ([5, -5, 7, 9, 11, 13, -2],)])
def bound_in_test(xs: list[int]) -> int:
    i = 0
    total = 0
    while i < len(xs):
        total += xs[i] * i
        i += 1
    return total + i


@compile(examples=[([1.0, 2.0, 3.5], 4), ([], 3), ([0.5], 0), ([1.0, -1.0], -2)])
def around_a_loop(a: npt.NDArray[np.float64], n: int) -> float:
    i = 0
    s = 0.0
    while n > i:
        for j in range(a.shape[0]):
            s += a[j] * (i + 1)
        i += 1
    return s + i
