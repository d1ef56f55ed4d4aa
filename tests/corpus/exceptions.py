"""Every built-in exception compiled code can raise (lower/abi.ts EXCEPTION_KINDS), with its message."""
from kiln import compile


@compile(examples=[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16])
def raise_kind(k: int) -> int:
    if k == 1:
        raise ZeroDivisionError("by zero")
    if k == 2:
        raise OverflowError("too big")
    if k == 3:
        raise ValueError("bad value")
    if k == 4:
        raise AssertionError("asserted")
    if k == 5:
        raise UnboundLocalError("unbound")
    if k == 6:
        raise TypeError("bad type")
    if k == 7:
        raise IndexError("out of range")
    if k == 8:
        raise RecursionError("too deep")
    if k == 9:
        raise Exception("plain")
    if k == 10:
        raise ArithmeticError("arithmetic")
    if k == 11:
        raise RuntimeError("runtime")
    if k == 12:
        raise NotImplementedError
    if k == 13:
        raise KeyError("missing")
    if k == 14:
        raise MemoryError("no memory")
    if k == 15:
        raise NameError("no name")
    if k == 16:
        raise LookupError("not found")
    return k


@compile(examples=[1, 5, 8, 12, 14, 15, 16, 17])
def raise_after_work(k: int) -> float:
    total = 0.0
    for i in range(k):
        total += i * 0.5
    if k > 13:
        raise MemoryError("after the loop")
    if k % 4 == 3:
        raise LookupError()
    return total


@compile(examples=[0, 1, 2])
def key_error(k: int) -> int:
    if k == 0:
        raise KeyError("missing")
    if k == 1:
        raise KeyError("it's a\tkey")
    if k == 2:
        raise KeyError()
    return k
