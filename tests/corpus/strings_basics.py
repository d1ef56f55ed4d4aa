"""The core of str: length, indexing, slicing with any step, +, *, +=, comparisons, str() and repr() of numbers."""
from kiln import compile

GREETING = "Hello"
SEPARATOR = " · "
DIGITS = "0123456789"


@compile(examples=["World", "", "Ünïcode"])
def greet(name: str) -> str:
    return GREETING + ", " + name + "!" + SEPARATOR + str(len(name))


@compile(examples=[("abcdefgh", 1, 6, 2), ("abcdefgh", -1, -9, -3), ("hello", 0, 0, 1), ("xyz", 5, 1, -1), ("abc", 0, 3, 0)])
def slice_any(s: str, a: int, b: int, step: int) -> str:
    return s[a:b:step]


@compile(examples=["hello", "", "a", "ab😀"])
def slices(s: str) -> str:
    return "|".join([s[::-1], s[1:], s[:-1], s[::2], s[1::2], s[-2:], s[:100], s[50:]])


@compile(examples=[("ab", 3), ("-", 0), ("xy", -2)])
def repeat_both_ways(s: str, n: int) -> str:
    return s * n + "|" + n * s


@compile(examples=[("apple", "banana"), ("b", "abc"), ("same", "same"), ("", "a"), ("Z", "a"), ("é", "z")])
def compare_all(a: str, b: str) -> str:
    return f"{a < b}{a <= b}{a > b}{a >= b}{a == b}{a != b}"


@compile(examples=[(42, 3.5, True), (-7, -0.0, False), (0, 1e22, True), (10**18, 0.1, False), (1, float("inf"), True)])
def texts_of_numbers(n: int, x: float, b: bool) -> str:
    return str(n) + " " + str(x) + " " + str(b) + " " + repr(x) + " " + repr(n) + " " + str(x / 3) + " " + str(-x)


@compile(examples=[(5,), (0,), (12,)])
def build_with_iadd(n: int) -> str:
    s = ""
    for i in range(n):
        s += str(i)
        if i % 3 == 2:
            s += ","
    return s


@compile(examples=[(10,), (1,), (0,)])
def digits_only(n: int) -> str:
    out = ""
    for i in range(n):
        out += DIGITS[i % 10]
    return out


@compile(examples=["a", "abc", ""])
def nested_concat(s: str) -> str:
    t = s
    for _ in range(3):
        t = "(" + t + ")"
    u = t
    t += "!"
    return t + u


@compile(examples=["hello", "HeLLo", ""])
def count_upper(s: str) -> int:
    return sum([1 for c in s if c.isupper()])


@compile(examples=[("hello", "l"), ("", "x"), ("aaa", "a")])
def count_char(s: str, c: str) -> int:
    n = 0
    for x in s:
        if x == c:
            n += 1
    return n


@compile(examples=["banana", "", "abc"])
def first_and_last(s: str) -> str:
    if not s:
        return "empty"
    first = s[0]
    last = s[-1]
    middle = s[1:-1] if len(s) > 2 else ""
    return last + middle + first


@compile(examples=[(3,), (0,), (6,)])
def pyramid(n: int) -> str:
    rows = []
    for i in range(1, n + 1):
        rows.append(" " * (n - i) + "*" * (2 * i - 1))
    return "\n".join(rows)


@compile(examples=["hello", "world", "", "zzz"])
def min_max_chars(s: str) -> str:
    if not s:
        return ""
    return min(s) + max(s) + min(s, "m") + max("a", "b", s)


@compile(examples=[("abc", "abd"), ("x", "x")])
def str_truthiness(a: str, b: str) -> int:
    n = 0
    if a:
        n += 1
    if not b[1:]:
        n += 10
    if a and b:
        n += 100
    while a:
        a = a[1:]
        n += 1000
    return n


@compile(examples=[(12345,), (0,), (-987,)])
def digit_sum(n: int) -> int:
    total = 0
    for c in str(abs(n)):
        total += int(c)
    return total


@compile(examples=[("hello", 2), ("ab", 5)])
def recursive_reverse(s: str, depth: int) -> str:
    return reverse_rec(s)


def reverse_rec(s: str) -> str:
    if len(s) <= 1:
        return s
    return reverse_rec(s[1:]) + s[0]


@compile(examples=["hello world", ""])
def swap_halves(s: str) -> str:
    mid = len(s) // 2
    left, right = s[:mid], s[mid:]
    left, right = right, left
    return left + right


@compile(examples=["Alpha", "", "ß", "a b", "9"])
def initial_score(word: str) -> int:
    """Found by kiln fuzz (strings): a loop over one character, and all()/any() of strings and lists of them."""
    score = 0
    if word:
        for c in word[0]:
            score += ord(c)
        score += all(word) + any(word[-1]) + all([w.strip() for w in word.split(" ")])
    score += any(["", word]) + all([word, "x"])
    return score


@compile(examples=[0, 1, 2])
def parse_setting(kind: int) -> float:
    """float() of a literal CPython rejects raises its ValueError when reached, not when compiled."""
    if kind == 1:
        return float("1_000.5")
    if kind == 2:
        return float("not a number")
    return float(" -2.5e3 ")
