"""Building a string piece by piece with `s += piece`: linear in CPython (it extends the string in place when
nothing else holds it), and in compiled code (kr_str_iadd does the same)."""
from kiln import compile


@compile
def str_build(n: int) -> int:
    s = ""
    for i in range(n):
        s += "word "
    return len(s)
