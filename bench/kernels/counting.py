"""Counting into dicts (issue 14's speed targets): the words of a text with dict.get, and n ints or (int, int)
pairs drawn by a 31-bit LCG (the C reference draws the same) with a Counter."""
from collections import Counter

from kiln import compile


@compile
def count_words(text: str) -> int:
    counts: dict[str, int] = {}
    for w in text.split():
        counts[w] = counts.get(w, 0) + 1
    return len(counts) * 1000000 + max(counts.values())


@compile
def count_ints(n: int) -> int:
    counts = Counter()
    x = 12345
    for _ in range(n):
        x = (x * 1103515245 + 12345) % 2147483648
        counts[(x >> 8) % 200003] += 1
    return len(counts) * 1000 + counts.most_common(1)[0][1]


@compile
def count_pairs(n: int) -> int:
    counts = Counter()
    x = 12345
    prev = 0
    for _ in range(n):
        x = (x * 1103515245 + 12345) % 2147483648
        cur = (x >> 8) % 1000
        counts[(prev, cur)] += 1
        prev = cur
    return len(counts) * 1000 + counts.most_common(1)[0][1]
