"""Control flow: if/elif/else, loops with break/continue/else, early return, short-circuit, chains."""
import math
from kiln import compile

LIMIT = 64
SCALE = 2.5


@compile
def classify(x: float) -> int:
    if x < 0:
        return -1
    elif x == 0:
        return 0
    elif x < 10:
        return 1
    else:
        return 2


@compile
def sign_expr(x: int) -> int:
    return 1 if x > 0 else (-1 if x < 0 else 0)


@compile
def sum_range(n: int) -> int:
    total = 0
    for i in range(n):
        total += i
    return total


@compile
def sum_range_step(a: int, b: int, s: int) -> int:
    total = 0
    for i in range(a, b, s):
        total += i * i
    return total


@compile
def countdown(n: int) -> int:
    steps = 0
    for i in range(n, 0, -2):
        steps += i
    return steps


@compile
def first_multiple(n: int, k: int) -> int:
    for i in range(1, n):
        if i % k == 0:
            return i
    return -1


@compile
def loop_else(n: int) -> int:
    found = 0
    for i in range(n):
        if i * i > 50:
            found = i
            break
    else:
        found = -1
    return found


@compile
def continue_odd(n: int) -> int:
    s = 0
    for i in range(n):
        if i % 2:
            continue
        s += i
    return s


@compile
def while_loop(n: int) -> int:
    i = 0
    acc = 1
    while i < n:
        acc = acc * 3 % 1000003
        i += 1
    return acc


@compile
def while_else(n: int) -> int:
    i = 0
    while i < n:
        if i == 7:
            break
        i += 1
    else:
        i = 100
    return i


@compile
def while_true(n: int) -> int:
    i = 0
    while True:
        i += 3
        if i > n:
            return i


@compile
def nested_loops(n: int) -> int:
    s = 0
    for i in range(n):
        for j in range(i):
            if j > 5:
                break
            s += i * j
    return s


@compile
def short_circuit(a: int, b: int) -> bool:
    return a != 0 and b // a > 1


@compile
def or_value(a: int, b: int) -> int:
    return a or b


@compile
def and_value(a: float, b: float) -> float:
    return a and b


@compile
def not_op(a: int) -> bool:
    return not a


@compile
def chained(a: int, b: int, c: int) -> bool:
    return a < b <= c


@compile
def chained_mixed(a: int, x: float) -> bool:
    return 0 <= a < x < 100


@compile
def cond_in_loop(n: int, x: float) -> float:
    acc = 0.0
    for i in range(n):
        if i % 3 == 0 and x > 0 or i == 5:
            acc += x
        elif not (i % 2):
            acc -= 1.0
    return acc


@compile
def module_constant(x: float) -> float:
    return x * SCALE + LIMIT


@compile
def walrus(n: int) -> int:
    if (m := n * 2) > 10:
        return m
    return -m


@compile
def pass_and_assert(x: int) -> int:
    if x > 0:
        pass
    assert x < 1000, "x too large"
    return x + 1


@compile
def assert_plain(x: float) -> float:
    assert x == x
    return x


@compile
def raise_value(x: int) -> int:
    if x < 0:
        raise ValueError("negative input")
    return x * 2


@compile
def maybe_unbound(n: int) -> int:
    for i in range(n):
        last = i
    return last


@compile
def fallthrough_none(x: int) -> None:
    if x > 0:
        return
    y = x + 1


@compile
def tuple_swap(a: int, b: int) -> tuple[int, int]:
    a, b = b, a
    return a, b


@compile
def fib_iter(n: int) -> int:
    a, b = 0, 1
    for _ in range(n):
        a, b = b, a + b
    return a


@compile
def tuple_unpack_call(a: float, b: float) -> float:
    q, r = divmod(a, b)
    t = (q, r, 1)
    return t[0] + t[-2] + t[2]


@compile
def multi_assign(x: int) -> int:
    a = b = x * 2
    a += 1
    return a * b


@compile
def isqrt_newton(n: int) -> int:
    if n < 2:
        return n
    x = n
    y = (x + 1) // 2
    while y < x:
        x = y
        y = (x + n // x) // 2
    return x


@compile
def uses_math_alias(x: float) -> float:
    return math.floor(x) + math.ceil(x) + 0.5
