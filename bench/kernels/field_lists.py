"""Objects that each hold a new list, made and dropped in a loop, and a field that a new list replaces on every
iteration. Their memory measures whether a list stored in a field dies with its object, or when the field is written
again (bench/rss.mjs; opt/listFields.ts): CPython frees each at once, so its peak does not grow with n."""
from kiln import compile


class Holder:
    def __init__(self, i: int) -> None:
        self.items = [i, i + 1, i + 2]
        self.count = i % 3

    def total(self) -> int:
        t = 0
        for x in self.items:
            t += x
        return t + len(self.items)


@compile(examples=[10])
def field_lists(n: int) -> int:
    """A new Holder per iteration: its list goes with it."""
    total = 0
    for i in range(n):
        h = Holder(i)
        h.items.append(h.count)
        total += h.total()
    return total


@compile(examples=[10])
def field_overwrite(n: int) -> int:
    """One Holder whose field a new list replaces per iteration: the old list goes when it is replaced."""
    h = Holder(0)
    total = 0
    for i in range(n):
        h.items = h.items[1:] + [i]
        total += h.items[0]
    return total
