"""Left shifts at the 64-bit edge (found by kiln fuzz, issue 19): -1 << 63 is -2**63, which fits in 64 bits, but
raised OverflowError natively."""
from kiln import compile


@compile(examples=[(-1, 63), (1, 62), (-1, 64), (0, 100), (-2, 62), (-2, 63), (1, 63), (-3, 61), (-4, 61)])
def lshift(a: int, n: int) -> int:
    return a << n


@compile(examples=[(-1,), (1,), (0,), (-2,)])
def lshift_63(a: int) -> int:
    b = a
    b <<= 63
    return b
