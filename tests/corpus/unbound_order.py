"""Reading a local that may be unbound, in Python's order (found by kiln fuzz, issue 19): Python loads a name operand
when it reaches it, before the operands after it are computed, so `v2 / (1 // z)` raises UnboundLocalError for v2
before the division by zero, and `h(v4, 4 * v2)` raises it for v4 before 4 * v2 can overflow; of two unbound names
the one loaded first is named. Native code checked the name at the operation, after computing the other operands."""
from kiln import compile


def takes_two(x: int, y: int):
    return True


def takes_three(x: int, y: int, z: int):
    return y


@compile(examples=[(False, 0), (True, 0), (False, 2)])
def name_before_operand(b: bool, z: int) -> float:
    if b:
        v2 = 1.0
    return v2 / (1 // z)


@compile(examples=[(7,)])
def name_before_argument(a: int):
    v2 = divmod(9223372036854775807, -2)[0]
    for i0 in range(v2):
        v3, v4 = a, 1
    return takes_two(v4, 4 * v2)


@compile(examples=[(False, True, 0), (False, False, 0), (True, True, 0)])
def name_before_conditional(c: bool, d: bool, z: int) -> float:
    if c:
        v2 = 2.0
    return v2 / (1.0 / z if d else 3.0)


@compile(examples=[(False, 1.0, 0), (True, 1.0, 0), (False, 0.0, 0)])
def name_before_and(c: bool, e: float, z: int) -> float:
    if c:
        v2 = 2.0
    return v2 + (e and 1.0 / z)


@compile(examples=[(2.5, 7), (2e300, 7)])
def first_loaded_name(a: float, b: int) -> int:
    # takes_three(2, v3, max(b, k1)) loads v3 before max() reads k1: the error names v3.
    if a > 1e300:
        v3 = 1
        k1 = 0
    return 2 - takes_three(2, v3, max(b, k1))


@compile(examples=[(2**40, 1e30), (2**40, 1.5), (3, 10.0)])
def unbound_after_overflow(n: int, x: float) -> float:
    # n * n past 64 bits runs the call again on the big-int twin, which must raise UnboundLocalError for r too.
    if n * n > x:
        r = x
    return r
