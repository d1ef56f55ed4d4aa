"""Project-Euler style integer programs whose numbers outgrow 64 bits: helpers and recursion on big ints, powers
and shifts, divmod, the digits of a big number through str(), and int() of a long digit string."""
from kiln import compile


def digit_total(x: int) -> int:
    # The sum of the decimal digits of |x|, taken through its text.
    total = 0
    for ch in str(abs(x)):
        total += int(ch)
    return total


def mulmod(a: int, b: int, m: int) -> int:
    return a * b % m


def modexp(base: int, e: int, m: int) -> int:
    # Square-and-multiply through a helper: the products pass 64 bits for a modulus past 2**32.
    result = 1 % m
    b = base % m
    while e > 0:
        if e & 1:
            result = mulmod(result, b, m)
        b = mulmod(b, b, m)
        e >>= 1
    return result


def fact(n: int) -> int:
    return 1 if n <= 1 else n * fact(n - 1)


def choose(n: int, k: int) -> int:
    if k < 0 or k > n:
        return 0
    return fact(n) // (fact(k) * fact(n - k))


def collatz_steps(x: int) -> int:
    steps = 0
    while x != 1:
        q, r = divmod(x, 2)
        x = q if r == 0 else 3 * x + 1
        steps += 1
    return steps


@compile(examples=[(1000,), (15,), (0,), (5000,), (20000,)])
def power_digit_sum(e: int) -> int:
    # Euler 16: the digits of 2**1000 (str() of a number past 4300 digits raises ValueError, as in CPython).
    return sum(int(d) for d in str(2 ** abs(e)))


@compile(examples=[(100,), (10,), (0,), (400,)])
def factorial_digit_sum(n: int) -> int:
    # Euler 20, through a recursive helper and a helper on the digits.
    return digit_total(fact(n % 500))


@compile(examples=[(40, 20), (10, 3), (100, 50), (5, 7)])
def lattice_paths(n: int, k: int) -> int:
    # Euler 15: C(2n, n) paths; choose() divides factorials past 64 bits (recursive: n below 300).
    return choose(n % 300, k % 300)


@compile(examples=[(2, 10 ** 6, 2 ** 61 - 1), (3, 2 ** 40, 10 ** 12 + 39), (7, 0, 13), (5, 3, 1), (4, 5, 0)])
def modular_power(base: int, e: int, m: int) -> int:
    # Square-and-multiply with a helper (ZeroDivisionError for m == 0, as CPython's %).
    return modexp(base, abs(e), m)


@compile(examples=[(2 ** 40 + 1,), (27,), (1,), (10 ** 15 + 7,)])
def collatz_of_cube(n: int) -> int:
    # Steps from n**3 (past 2**64 for large n) down to 1, with divmod.
    return collatz_steps(max(abs(n), 1) ** 3)


@compile(examples=[(1000,), (10,), (1,), (2,)])
def fibonacci_digits(n: int) -> int:
    # Euler 25: the index of the first Fibonacci number with n digits (len of its str).
    a, b = 1, 1
    index = 2
    if n <= 1:
        return 1
    while len(str(b)) < min(n, 1000):
        a, b = b, a + b
        index += 1
    return index


@compile(examples=[(64,), (0,), (200,), (70,)])
def shifted_ones(k: int) -> int:
    # A run of k one-bits made by shifts; then how many of its decimal digits are odd.
    x = (1 << (k % 300)) - 1
    odd = 0
    for ch in str(x):
        if int(ch) % 2 == 1:
            odd += 1
    return odd * 1000 + len(str(x))


@compile(examples=[(196,), (89,), (10,), (4994,)])
def lychrel_iterations(n: int) -> int:
    # Euler 55: reverse-and-add until a palindrome (at most 60 steps); the numbers pass 64 bits.
    x = n
    for i in range(1, 61):
        x = x + int(str(x)[::-1])
        s = str(x)
        if s == s[::-1]:
            return i
    return -1


@compile(examples=[("3", "4"), ("123456789012345678901234567890", "7"), ("-99999999999999999999", " 12 "), ("12_34", "5"),
                   ("x1", "2"), ("99999999999999999999", "\u0661\u0662x"), ("\uff11\uff12\uff13\uff14\uff15\uff16\uff17\uff18\uff19\uff10\uff11\uff12\uff13\uff14\uff15\uff16\uff17\uff18\uff19\uff10", "-1")])
def parse_product(a: str, b: str) -> int:
    # int() of long digit strings (Unicode digits too): past 64 bits the twin parses them, with CPython's
    # ValueError for text that is not a number.
    return int(a) * int(b)
