"""Collatz: the start below `limit` with the longest chain (integer division, modulo, branches)."""
from kiln import compile


@compile(tag="bench/collatz", description="Start below limit with the longest Collatz chain.")
def collatz_longest(limit: int) -> int:
    best_start = 1
    best_len = 1
    for start in range(1, limit):
        n = start
        length = 1
        while n != 1:
            if n % 2 == 0:
                n = n // 2
            else:
                n = 3 * n + 1
            length += 1
        if length > best_len:
            best_len = length
            best_start = start
    return best_start
