"""Assignment expressions in Python's order (found by kiln fuzz, issue 19): an operand that names a variable is loaded
before a later `:=` in the same expression rebinds it, and `(x := v)` is the value v. Native code read the variable
after the rebinding: `x + (x := 5)` gave 10, `a ^= (a := 5)` gave 0."""
from kiln import compile


@compile(examples=[(7,), (-3,)])
def walrus_after_name(x: int) -> int:
    return x + (x := 5)


@compile(examples=[(7,), (2,)])
def walrus_in_augmented(a: int) -> int:
    a ^= (a := 5)
    return a


@compile(examples=[(1.5,), (-2.0,)])
def walrus_in_call(x: float) -> float:
    return max(x, (x := 2.0)) + x


@compile(examples=[(0,)])
def walrus_twice(x: int) -> int:
    return (x := 1) + (x := 2) * 10 + x


@compile(examples=[(5,), (0,)])
def walrus_in_loop_test(n: int) -> int:
    total = 0
    i = 0
    while (i := i + 1) <= (n & 7):
        total += i
    return total * 100 + i
