"""Unary minus on negative literals (found by kiln fuzz, issue 19): `--0.0` was emitted as C's `--0x0.0p+0`, a
decrement ("expression is not assignable"), and the whole module failed to build."""
from kiln import compile


@compile(examples=[(2.5,), (-0.0,)])
def neg_neg_zero(x: float) -> float:
    v = --0.0
    return v + x


@compile(examples=[(-0.0,), (0.0,), (3.0,)])
def neg_neg_zero_floordiv(b: float) -> float:
    return (--0.0) // b


@compile(examples=[(1.5,), (-2.0,)])
def neg_neg_int_plus_float(a: float) -> float:
    return -(-1) + a


@compile(examples=[(2.0,), (-0.0,)])
def neg_neg_chain(x: float) -> float:
    y = -(-1.5) * x
    return --y - -(-0.0) + ---2.25
