"""Functions outside the compiled subset: each must give a diagnostic with file, line and a hint."""
from kiln import compile


@compile
def uses_class(x: int) -> int:
    class Box:
        pass
    return x


@compile
def uses_del(x: int) -> int:
    del x
    return 1


@compile
def uses_string(x: int) -> int:
    s = "hello".maketrans("h", "j")
    return x


@compile
def untyped(x, y: int) -> int:
    return y


@compile
def changes_type(n: int) -> float:
    total = 0
    for i in range(n):
        total = [total, i]
    return total


@compile
def unsupported_call(x: float) -> float:
    return round(x, 2) + len(x)


@compile
def prints(x: int) -> int:
    print(x)
    return x


@compile
def mixed_returns(x: int):
    if x > 0:
        return 1
    return [2.0]


@compile
def undefined_name(x: int) -> int:
    return x + y_undefined


@compile
def ok_function(x: int) -> int:
    return x + 1


def helper(a, b=1):
    return a + b


@compile
def several_problems(x: int) -> int:
    del x
    class Point: pass
    return x


@compile
def several_type_problems(x: int) -> int:
    a = helper(x, c=2)
    b = helper()
    return a + b + len(x)
