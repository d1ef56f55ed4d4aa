"""int() followed by a module constant (found by kiln fuzz, issue 19): the a[int(x)] rewrite read the next IR node's
first argument, and a constant such as math.inf has none: the compiler crashed (internal compiler error)."""
import math
from kiln import compile


@compile(examples=[(2.5,), (-0.0,), (3.0,)])
def int_then_constant(x: float) -> float:
    return int(x) / -math.inf


@compile(examples=[(7.9,), (-7.9,)])
def int_then_pi(x: float) -> float:
    k = int(x)
    return k * math.pi
