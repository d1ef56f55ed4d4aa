"""Dict entries that a new list replaces on every iteration, and lists taken out of a dict with pop. Their memory
measures whether a list stored in a dict dies when its entry is overwritten, deleted or popped (bench/rss.mjs;
opt/dictLists.ts): CPython frees each at once, so its peak does not grow with n."""
from kiln import compile


@compile(examples=[10])
def dict_list_values(n: int) -> int:
    """100 entries, each replaced by a new list n / 100 times: the old list goes when it is replaced."""
    d: dict[int, list[int]] = {}
    total = 0
    for i in range(n):
        d[i % 100] = [i, i + 1]
        total += d[i % 100][1]
    return total + len(d)


@compile(examples=[10])
def dict_list_pop(n: int) -> int:
    """A list per iteration appended to under its key, then popped every other iteration (or deleted): it goes with
    the pop's result, or with the entry."""
    d: dict[int, list[int]] = {}
    total = 0
    for i in range(n):
        d.setdefault(i % 50, []).append(i)
        if i % 2 == 1:
            xs = d.pop(i % 50)
            total += len(xs) + xs[0]
        elif i % 3 == 0:
            del d[i % 50]
    return total + len(d)
