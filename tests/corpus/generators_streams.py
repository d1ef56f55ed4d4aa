"""Number streams written as generators: Fibonacci, an incremental prime sieve, Collatz sequences, running
averages, windows and chunks, and pipelines of generators (read -> filter -> map -> window) consumed by loops,
comprehensions and the builtins that take iterables."""
from typing import Iterator

from kiln import compile


def fibonacci():
    a, b = 0, 1
    while True:
        yield a
        a, b = b, a + b


def primes():
    """An unbounded sieve: each candidate is tested against the primes found so far, up to its square root."""
    found = []
    n = 2
    while True:
        is_prime = True
        for p in found:
            if p * p > n:
                break
            if n % p == 0:
                is_prime = False
                break
        if is_prime:
            found.append(n)
            yield n
        n += 1


def collatz(n):
    while n != 1:
        yield n
        n = 3 * n + 1 if n % 2 else n // 2
    yield 1


def take(n, xs):
    """The first n items of a list, as a stream."""
    for i, x in enumerate(xs):
        if i >= n:
            return
        yield x


def readings(xs):
    for x in xs:
        yield x


def valid(xs, lo, hi):
    for x in readings(xs):
        if lo <= x <= hi:
            yield x


def scaled(xs, lo, hi, k):
    for x in valid(xs, lo, hi):
        yield x * k


def running_mean(xs):
    total = 0.0
    count = 0
    for x in xs:
        total += x
        count += 1
        yield total / count


def windows(xs, width):
    """Sums of each run of `width` consecutive items."""
    acc = 0.0
    for i in range(len(xs)):
        acc += xs[i]
        if i >= width:
            acc -= xs[i - width]
        if i >= width - 1:
            yield acc


def chunks(xs, size):
    chunk = []
    for x in xs:
        chunk.append(x)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def countdown(n):
    while n > 0:
        yield n
        n -= 1


@compile(examples=[0, 1, 2, 10, 50, 90])
def fib_upto(limit: int) -> list[int]:
    out = []
    for f in fibonacci():
        if f > limit:
            break
        out.append(f)
    return out


@compile(examples=[0, 1, 5, 30])
def nth_fib(n: int) -> int:
    if n < 0 or n > 90:
        return -1
    for i, f in enumerate(fibonacci()):
        if i == n:
            return f
    return -1


@compile(examples=[0, 1, 10, 100, 500])
def prime_sum(count: int) -> int:
    count = min(count, 3000)
    total = 0
    for i, p in zip(range(count), primes()):
        total += p
    return total


@compile(examples=[1, 2, 100, 1000, 10000])
def first_prime_above(n: int) -> int:
    if n > 10**6:
        return -1
    for p in primes():
        if p > n:
            return p
    return -1


@compile(examples=[1, 6, 7, 27, 97, 871])
def collatz_stats(n: int) -> tuple[int, int, int]:
    if n < 1 or n > 10**6:
        return 0, 0, 0
    steps = sum(1 for _ in collatz(n)) - 1
    peak = max(collatz(n))
    evens = len([x for x in collatz(n) if x % 2 == 0])
    return steps, peak, evens


@compile(examples=[10, 100, 1000])
def longest_collatz(limit: int) -> int:
    limit = min(limit, 10**4)
    best, best_n = 0, 1
    for n in range(1, limit):
        length = 0
        for _ in collatz(n):
            length += 1
        if length > best:
            best, best_n = length, n
    return best_n


@compile(examples=[([3.0, -1.0, 250.0, 7.5, 12.0, 99.0], 0.0, 100.0, 2.0), ([], 0.0, 1.0, 3.0)])
def pipeline(xs: list[float], lo: float, hi: float, k: float) -> list[float]:
    return list(running_mean(scaled(xs, lo, hi, k)))


@compile(examples=[([1.0, 2.0, 3.0, 4.0, 5.0], 2), ([1.0, 2.0], 3), ([0.5, -1.5, 2.25, 8.0], 1)])
def best_window(xs: list[float], width: int) -> float:
    return max(windows(xs, width), default=0.0)


@compile(examples=[([1, 2, 3, 4, 5, 6, 7], 3), ([], 2), ([4, 4], 1)])
def chunk_sums(xs: list[int], size: int) -> list[int]:
    return [sum(c) for c in chunks(xs, size)]


@compile(examples=[([1, 2, 3, 4, 5, 6, 7], 3), ([9], 2)])
def chunk_count(xs: list[int], size: int) -> int:
    n = 0
    for c in chunks(xs, size):
        n += len(c) * 100 + c[0]
    return n


@compile(examples=[(3, [5, 6, 7, 8]), (0, [1]), (9, [])])
def take_some(n: int, xs: list[int]) -> list[int]:
    return sorted(take(n, xs), reverse=True)


@compile(examples=[0, 1, 10, 1000])
def squares_of_stream(n: int) -> int:
    return sum(x * x for x in countdown(n))


@compile(examples=[0, 5, 100])
def stream_tests(n: int) -> tuple[bool, bool, bool]:
    return any(f > n for f in fibonacci()), all(x > 0 for x in countdown(n)), any(x % 7 == 0 for x in countdown(n))


@compile(examples=[0, 4, 30])
def paired(n: int) -> list[int]:
    return [a * b for a, b in zip(countdown(n), range(0, 100, 10))]


# Generator expressions are lazy: a consumer that stops early never makes the later items (1 / 0 is never reached).
def inverse(x):
    return 1.0 / x


@compile(examples=[[1, 2, 4, 0], [1, 2], [0], []])
def first_small_inverse(xs: list[int]) -> float:
    for v in (inverse(x) for x in xs):
        if v < 0.3:
            return v
    return -1.0


@compile(examples=[[1, 2, 4, 0], [1, 2], [5, 0, 1]])
def lazy_any_next(xs: list[int]) -> tuple[bool, bool, float]:
    small = any(inverse(x) < 0.3 for x in xs)
    allbig = all(inverse(x) > 0.3 for x in xs)
    return small, allbig, next((v for v in (inverse(x) for x in xs) if v < 0.3), -1.0)


@compile(examples=[[1, 2, 4, 0], [4, 2], [4]])
def zip_lazy(xs: list[int]) -> float:
    t = 0.0
    for a, b in zip([1.0, 2.0], (inverse(x) for x in xs)):
        t += a * b
    return t


@compile(examples=[([3, 1, 0], [2, 5]), ([0], [1]), ([1, 2], [1, 1])])
def first_pair_over(xs: list[int], ys: list[int]) -> tuple[int, int, float]:
    # Several clauses: a break leaves them all; for-else runs only when none matched.
    found = (-1, -1, 0.0)
    pairs = ((i, y, inverse(xs[i]) * y) for i in range(len(xs)) for y in ys if y > 1)
    for i, y, r in pairs:
        if r > 1.0:
            found = (i, y, r)
            break
    else:
        found = (len(xs), len(ys), -1.0)
    return found


@compile(examples=[[5, 4, 0, 2], [2, 1], [0]])
def first_item_index(xs: list[int]) -> tuple[int, float]:
    for k, v in enumerate((inverse(x) for x in xs), 1):
        if v > 0.2:
            return k, v
    return 0, next(inverse(x) for x in xs if x > 0)


@compile(examples=[[1, 2, 4, 0], [3, 5], [2, 0, 0]])
def quarter_seen(xs: list[int]) -> tuple[bool, int]:
    # `in` stops at the match; the generator's x is its own, the loop's body sees the function's x.
    x = len(xs)
    seen = 0.25 in (inverse(x) for x in xs)
    total = 0
    for v in (x * 2 for x in xs if x != 0):
        total += v + x
    return seen, total


@compile(examples=[27, 1, 6])
def collatz_path(n: int) -> Iterator[int]:
    """A generator compiled as an entry: the caller gets an iterator (kiln verify reads its items)."""
    n = max(1, min(n, 10**6))
    while n != 1:
        yield n
        n = n // 2 if n % 2 == 0 else 3 * n + 1
    yield 1


@compile(examples=["let x = 42;", "a + b", "1 ? 2", ""])
def lex(source: str) -> Iterator[str]:
    """Tokens made one at a time; a bad character raises from inside the generator after the tokens before it."""
    word = ""
    for c in source[:200]:
        if c.isalnum() or c == "_":
            word += c
            continue
        if word:
            yield word
            word = ""
        if c in "+-*/=;()":
            yield c
        elif c != " ":
            raise ValueError(f"unexpected character {c!r}")
    if word:
        yield word


def weighted(xs, k=1):
    return sum(xs) * k


@compile(examples=[0, 3, 50])
def genexp_to_function(n: int) -> int:
    """A generator expression passed to a function that reads it once (len(xs), xs[i] or a second pass there is refused)."""
    return weighted((i * 2 for i in range(min(n, 50))), k=3)


def noted(log: list[str], x: int) -> int:
    log.append(f"i{x}")
    return x


def tally_then_note(xs, log: list[str]) -> int:
    t = 0
    for x in xs:
        t += x
    log.append("callee")
    return t


def note_then_tally(xs, log: list[str]) -> int:
    log.append("callee")
    return sum(xs)


@compile(examples=[0, 3, 50])
def genexp_effects_order(n: int) -> str:
    """A generator expression given to a function is its list there, made before the call: compiled where that order
    cannot show, items that run code (or bind with :=) read first thing by the callee, or items that run nothing."""
    log: list[str] = []
    last = -1
    t = tally_then_note((noted(log, x) for x in range(min(n, 50))), log)
    t += tally_then_note(((last := x) * 2 for x in range(min(n, 50))), log)
    t += note_then_tally((x * 3 for x in range(min(n, 50)) if x % 2), log)
    return f"{t} {last} {' '.join(log)}"
