"""Lists that hold ints and floats together (`[1, 2.5, 3]`), as Python keeps them: min, max, sorted, sort, in,
index, count and sum compare an int with a float exactly (2**53 + 1 > 2.0**53) and give back the item itself, with
its own type (max([1, 2.0]) is 2.0, max([2, 2.0]) is the int 2, the first of the equal ones)."""
from kiln import compile


@compile
def readings(a: int, b: float, c: int) -> str:
    """(`b in vals` for a NaN b is left out: CPython finds the very object by identity, which Kiln does not track.)"""
    vals = [a % 100000, b, c % 1000, 2.5]
    return f"{min(vals)} {max(vals)} {sorted(vals)} {sum(vals)} {b * 2 in vals} {3 in vals} {2.5 in vals}"


@compile
def tie_breaks(n: int) -> str:
    """Equal int and float: max and min keep the first, sorted keeps their order (stable), reverse=True too."""
    m = n % 1000
    vals = [m, float(m), m - 1, float(m - 1)]
    return f"{max(vals)!r} {min(vals)!r} {sorted(vals)} {sorted(vals, reverse=True)} {max([1, 2.0])!r} {max([2, 2.0])!r}"


@compile(examples=[(0,), (1,), (2,), (-3,)])
def past_two_to_53(k: int) -> str:
    """Ints past 2**53 against floats: no rounding of the int (CPython's exact comparison)."""
    big = 2**53 + 1 + k % 3
    vals = [big, float(2**53), 2**53, -big, -float(2**53)]
    vals.sort()
    return f"{max(vals)!r} {min(vals)!r} {vals} {2**53 + 1 in [float(2**53), 0.5]} {vals.count(2**53)} {vals.index(float(2**53))}"


@compile
def with_nan(k: int, x: float) -> str:
    """A NaN compares false both ways: max and min keep what they hold; NaN equals nothing (not even NaN)."""
    vals = [1, 0.5, 3, x]
    vals[k % 4] = float("nan")
    return f"{max(vals)} {min(vals)} {vals.count(3)} {float('nan') in vals}"


@compile
def find_reading(a: int, b: float, want: int) -> int:
    """list.index: the first equal item (2 finds 2.0); ValueError '<x> is not in list' when absent."""
    vals = [b, a, 2.0, a + 1]
    return vals.index(want) * 10 + vals.count(want)


@compile
def missing_float(b: float) -> int:
    vals = [1, 2.5, 3]
    return vals.index(b)


@compile
def sort_in_place(a: int, b: float, r: bool) -> list[float]:
    vals = [a, b, -a, 0, 0.0, b / 2]
    if r:
        vals.sort(reverse=True)
    else:
        vals.sort()
    return vals


@compile
def running_extremes(n: int) -> str:
    """A series of whole-number and fractional readings (appended as they come), then their extremes and order."""
    vals = [0, 0.5]
    for i in range(n % 12):
        vals.append(i * 3 % 7)
        vals.append(i * 0.75)
    return f"{max(vals)!r} {min(vals)!r} {sorted(vals)[len(vals) // 2]!r} {sum(vals)!r} {vals.index(max(vals))}"
