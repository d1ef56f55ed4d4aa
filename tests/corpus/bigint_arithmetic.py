"""Integer code whose values outgrow 64 bits: factorials, Fibonacci, powers and their digits, modular
exponentiation with big moduli, Collatz on big starts, checksums. Python's ints are unbounded."""
from kiln import compile


@compile(examples=[(30,), (20,), (0,), (60,)])
def factorial(n: int) -> int:
    r = 1
    for i in range(2, n + 1):
        r *= i
    return r


@compile(examples=[(200,), (90,), (1,), (0,)])
def fibonacci(n: int) -> int:
    a, b = 0, 1
    for _ in range(n % 1000):
        a, b = b, a + b
    return a


@compile(examples=[(100,), (64,), (1000,), (0,)])
def power_digit_sum(e: int) -> int:
    x = 1
    for _ in range(min(max(e, 0), 3000)):
        x *= 2
    s = 0
    while x > 0:
        s += x % 10
        x //= 10
    return s


@compile(examples=[(3, 10**6, 2**61 - 1), (2, 1000, 10**18 + 7), (7, 0, 13), (5, 3, 1)])
def big_modpow(base: int, exp: int, mod_seed: int) -> int:
    m = mod_seed * mod_seed + 3 if mod_seed > 0 else 1000003
    return pow(base, abs(exp) % 2000000, m)


@compile(examples=[(27,), (12345678901,), (1,)])
def collatz_on_cube(n: int) -> int:
    # Steps to reach 1 from n**3 + 1 (the values pass 2**64 for large n).
    x = abs(n) * abs(n) * abs(n) + 1
    steps = 0
    while x != 1:
        x = x // 2 if x % 2 == 0 else 3 * x + 1
        steps += 1
    return steps


@compile(examples=[(123456789,), (0,), (-5,)])
def polynomial_hash(seed: int) -> int:
    # A Rabin-Karp style hash with a 127-bit prime modulus: the products need 254 bits.
    p = 1
    for _ in range(127):
        p *= 2
    p -= 1
    h = 0
    x = seed % 1000
    for i in range(200):
        x = (x * 1103515245 + 12345) % 2147483648
        h = (h * 1000003 + x) % p
    return h


@compile(examples=[(50, 25), (100, 3), (10, 11), (66, 33)])
def binomial(n: int, k: int) -> int:
    if k < 0 or k > n:
        return 0
    r = 1
    for i in range(1, min(k, n - k) + 1):
        r = r * (n - i + 1) // i
    return r


@compile(examples=[(100,), (5,), (0,)])
def alternating_power_sum(n: int) -> int:
    # sum of (-3)**i: big and negative or positive results.
    s = 0
    term = 1
    for _ in range(n % 300):
        s += term
        term *= -3
    return s - 3000000021


@compile(examples=[(2 ** 62, 3), (10, 0), (-(2 ** 63), -1)])
def big_quotient(a: int, b: int) -> int:
    # The product overflows first; dividing by zero afterwards is still ZeroDivisionError.
    return a * a * 7 // b


@compile(examples=[(9, 41), (1, 2), (0, 0)])
def shifted_mask(x: int, k: int) -> int:
    # Shifts by a count from the caller: the twin computes past 64 bits (up to Kiln's bound of 2**24 bits per result).
    return ((x << (k % 40)) | 1) ^ (x << 3) & ~(1 << 50)
