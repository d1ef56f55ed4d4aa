"""Functions meet dicts and sets: key functions over a dict's keys or a set's items (sorted, min, max with key= and
default=), a closure that grows a set it captured, and a helper given a lambda that fills a dict."""
from kiln import compile


def tally(xs: list[int], weight) -> dict[int, int]:
    counts: dict[int, int] = {}
    for x in xs:
        counts[x % 10] = counts.get(x % 10, 0) + weight(x)
    return counts


@compile(examples=[([3, 13, 23, 4, 5, 15],), ([],), ([7, -7, 17],)])
def heaviest_digit(xs: list[int]) -> int:
    counts = tally(xs, lambda x: abs(x) % 4 + 1)
    return max(counts.keys(), key=lambda d: (counts[d], -d), default=-1)


@compile(examples=[([5, 1, 4, 1, 5, 9, 2, 6],), ([],)])
def ranked_residues(xs: list[int]) -> list[int]:
    residues = {x % 7 for x in xs}
    squares = {x: x * x % 11 for x in xs}
    by_square = sorted(squares, key=lambda k: (squares[k], k))
    return by_square + sorted(residues, key=lambda r: -r, reverse=True) + [min(residues, key=lambda r: abs(r - 3), default=99)]


@compile(examples=[([1, 2, 2, 3, 10, 3], 5), ([], 0), ([4, 4, 4], 9)])
def first_seen_total(xs: list[int], limit: int) -> int:
    seen: set[int] = set()
    total = 0

    def visit(x):
        nonlocal total
        if x not in seen:
            seen.add(x)
            total += x

    for x in xs:
        if x < limit:
            visit(x)
    return total * 100 + len(seen)
