"""Loops lowered as two interleaved lanes (`for i in range(...): P; while T: W; S`, opt/twoLanes.ts), and
while-loop counters whose `+= 1` cannot overflow (opt/whileCounters.ts). Every shape here must give CPython's result,
error and final locals, whether or not the lanes apply."""
from kiln import compile


@compile(examples=[(0, 50), (1, 50), (2, 50), (3, 7), (8, 30), (9, 0), (16, 100)])
def escape_counts(size: int, max_iter: int) -> int:
    total = 0
    for py in range(size):
        ci = 2.0 * py / size - 1.0
        for px in range(size):
            cr = 2.0 * px / size - 1.5
            zr = 0.0
            zi = 0.0
            n = 0
            while n < max_iter and zr * zr + zi * zi <= 4.0:
                zr, zi = zr * zr - zi * zi + cr, 2.0 * zr * zi + ci
                n += 1
            total += n * (px + 1)
    return total


# The locals after the loop are the last iteration's, as in CPython (odd and even counts, and no iteration).
@compile(examples=[(0, 1.0), (1, 1.0), (4, 0.5), (5, 0.25), (7, 2.0)])
def last_locals(k: int, c: float) -> float:
    x = -1.0
    n = -1
    s = 0
    i = -7
    for i in range(k):
        x = c * i / 3.0
        n = 0
        while n < 40 and x < 100.0:
            x = x * 1.5 + 1.0
            n += 1
        s += n
    return x + n * 1000.0 + s * 1000000.0 + i


# The summing step raises OverflowError at the iteration CPython does.
@compile(examples=[(3, 2 ** 62), (4, 2 ** 61), (6, 2 ** 61), (5, 1)])
def sum_overflows(k: int, big: int) -> int:
    total = 0
    for i in range(k):
        n = 0
        while n < i:
            n += 1
        total += big * n
    return total


# A division in P by a divisor both lanes share: ZeroDivisionError from the first iteration.
@compile(examples=[(4, 2.0), (4, 0.0), (3, -1.5), (0, 0.0)])
def shared_divisor(k: int, d: float) -> float:
    acc = 0.0
    for i in range(k):
        v = i / d
        m = 0
        while m < 5 and v < 10.0:
            v = v * v + 1.0
            m += 1
        acc += v + m
    return acc


# A divisor that depends on the iteration: not run as lanes; the error comes at i == 3.
@compile(examples=[(3, 1.0), (5, 1.0), (6, 2.0)])
def varying_divisor(k: int, a: float) -> float:
    acc = 0.0
    for i in range(k):
        v = a / (i - 3)
        m = 0
        while m < 3:
            v = v * 0.5
            m += 1
        acc += v
    return acc


# A local carried from one iteration to the next (prev): not lanes, still exact.
@compile(examples=[(0,), (5,), (6,)])
def carried_local(k: int) -> float:
    prev = 1.0
    acc = 0.0
    for i in range(k):
        x = prev + i
        n = 0
        while n < 3:
            x = x * 0.5 + 1.0
            n += 1
        prev = x
        acc += x
    return acc


# A counter written twice in the while body keeps its overflow check; one compared with `>` counts too.
@compile(examples=[(0, 10), (9223372036854775800, 9223372036854775807), (5, 3)])
def counters(start: int, limit: int) -> int:
    n = start
    while n < limit:
        n += 1
    m = start
    steps = 0
    while limit > m:
        m += 1
        steps += 1
    k = start
    while k < limit:
        k += 1
        k += 1
    return n - start + steps + (k - start)


# The first lane's summing step raises before the second lane's while, which would never end, is finished.
@compile(examples=[(2, 2 ** 62), (3, 2 ** 62), (2, 1), (1, 2 ** 62), (5, 3)])
def first_lane_raises(k: int, big: int) -> int:
    total = 0
    for i in range(k):
        x = 0.25
        if big > 2305843009213693952:
            x = 0.25 + i
        while x > 0.5:
            x = x * 1.0
        total += big * 4
    return total


# A float bound does not make the counter safe: its overflow check stays.
@compile(examples=[(0,), (10,)])
def float_bound(k: int) -> int:
    n = k
    while n < 20.5:
        n += 1
    return n
