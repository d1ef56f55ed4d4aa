"""Benchmarks of try/except (bench/exceptions/run.mjs): a try that never raises in a hot loop against the same loop
without it, and a raise-and-catch round trip, native against CPython."""
from kiln import compile


@compile
def loop_plain(n: int) -> int:
    total = 0
    for i in range(n):
        total += (i * 7) % 13
    return total


@compile
def loop_try(n: int) -> int:
    total = 0
    for i in range(n):
        try:
            total += (i * 7) % 13
        except ZeroDivisionError:
            total = -1
    return total


@compile
def raise_catch(n: int) -> int:
    caught = 0
    for i in range(n):
        try:
            if i >= 0:
                raise ValueError("round trip")
        except ValueError:
            caught += 1
    return caught


@compile
def raise_catch_message(n: int) -> int:
    total = 0
    for i in range(n):
        try:
            total += 100 // (i % 2)
        except ZeroDivisionError as e:
            total += len(str(e))
    return total


@compile
def rows_in_try(n: int) -> int:
    """A list made per iteration inside a try, one iteration in seven raising out of it before the list's last use:
    each is freed by the next iteration (opt/listFrees.ts), so bench/rss.mjs measures a peak that does not grow with n."""
    total = 0
    for i in range(n):
        try:
            row = [i, i % 7, 3]
            total += 100 // row[1] + len(row)
        except ZeroDivisionError:
            total -= 1
    return total
