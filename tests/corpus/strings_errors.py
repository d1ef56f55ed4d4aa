"""Every error path of the str surface, with CPython's exception type and message."""
from typing import Literal

from kiln import compile


@compile(examples=[("hello", 1), ("hello", 5), ("hello", -6), ("", 0), ("héllo", -1)])
def char_at(s: str, i: int) -> str:
    return s[i]


@compile(examples=[65, 0x110000, -1, 0x10FFFF, 2**31, 0xD800])
def code_to_char(i: int) -> str:
    return chr(i)


@compile(examples=["a", "ab", "", "😀"])
def char_to_code(s: str) -> int:
    return ord(s)


@compile(examples=[("a b", ""), ("a b", " ")])
def split_on(s: str, sep: str) -> int:
    return len(s.split(sep))


@compile(examples=[("abc", "-"), ("abc", "--"), ("abc", "")])
def padded_with(s: str, fill: str) -> str:
    return s.center(9, fill)


@compile(examples=[("abc", 3), ("abc", -2), ("x", 2**62)])
def repeated(s: str, n: int) -> str:
    return s * n


@compile(examples=["12", "1.5", "0x10", "1_", "٣", "-", "99999999999999999999"])
def strict_int(s: str) -> int:
    return int(s)


@compile(examples=[("10", 2), ("10", 37), ("10", -1), ("z", 35)])
def int_with_base(s: str, base: int) -> int:
    return int(s, base)


@compile(examples=[(3.5, ">10.2f"), (3.5, "q"), (3.5, ".2d"), (7.0, ",_"), (1.0, "=^")])
def float_with_spec(x: float, spec: str) -> str:
    return format(x, spec)


@compile(examples=[(42, "x"), (42, ".2"), (42, "s"), (42, "c"), (-1, "c"), (42, "z")])
def int_with_spec(n: int, spec: str) -> str:
    return format(n, spec)


@compile(examples=[("{} {}", 1), ("{0} {}", 2), ("{", 3), ("}", 4), ("{x}", 5), ("{:d}", 6), ("{!z}", 7)])
def format_errors(fmt: str, n: int) -> str:
    return fmt.format(n)


@compile(examples=[("%d", 1), ("%s %s", 2), ("%z", 3), ("%", 4), ("%c", 0x110000)])
def percent_errors(fmt: str, n: int) -> str:
    return fmt % n


@compile(examples=[b"ok", b"\xff", b"ab\xc3", b"\xed\xa0\x80", b"\xf4\x90\x80\x80"])
def strict_decode(data: bytes) -> int:
    return len(data.decode())


@compile(examples=[("abc", "b"), ("abc", "z")])
def must_find(s: str, sub: str) -> int:
    return s.index(sub)


@compile(examples=[("key", "a=1"), ("missing", "a=1")])
def lookup(key: str, text: str) -> str:
    for pair in text.split(","):
        k, _, v = pair.partition("=")
        if k == key:
            return v
    raise KeyError(key)


@compile(examples=[("add", 2, 3), ("mul", 2, 3), ("pow", 2, 3)])
def apply(op: Literal["add", "mul"], a: int, b: int) -> int:
    if op == "add":
        return a + b
    return a * b


@compile(examples=[("-5",), ("abc",), ("7",)])
def positive(s: str) -> int:
    n = int(s)
    if n < 0:
        raise ValueError("expected a positive number, got " + s)
    return n


@compile(examples=[("xyz", 1), ("xyz", 10)])
def assert_length(s: str, n: int) -> str:
    assert len(s) > n, "string too short"
    return s[n:]
