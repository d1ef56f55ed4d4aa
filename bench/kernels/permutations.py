"""Every permutation of range(n) built as lists by a recursive function, the way a textbook writes it: each level
slices its input, recurses and prepends its item to every permutation of the rest. Its memory measures how soon
dead lists are freed (bench/rss.mjs): each level's slices and item lists die as soon as the next level has used them."""
from kiln import compile


def perms(xs: list[int]) -> list[list[int]]:
    if len(xs) <= 1:
        return [xs[:]]
    out: list[list[int]] = []
    for i in range(len(xs)):
        for p in perms(xs[:i] + xs[i + 1:]):
            out.append([xs[i]] + p)
    return out


@compile(examples=[4])
def permutations(n: int) -> int:
    """A checksum of every permutation of range(n) (n <= 9)."""
    total = 0
    for p in perms(list(range(min(n, 9)))):
        total += p[0] * 7 + p[-1]
    return total
