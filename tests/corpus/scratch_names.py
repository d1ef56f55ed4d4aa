"""Locals named like the C scratch variables of Kiln's op lowerings (k, kn, kfill, kacc, ...). The lowerings
declare those inside their C blocks, where they hid a local of the same name: np.full(3, kn) filled the array
with its own size (3.0 instead of kn), and `k in xs`, xs.index(k), xs.count(k) compared the items with the loop
counter. Found while fixing list.index for kiln fuzz (issue 19); Kiln now renames such locals in C."""
import numpy as np
from kiln import compile


@compile(examples=[(7,), (-2,)])
def fill_with_kn(kn: int) -> float:
    a = np.full(3, kn)
    return float(a[0] + a[2])


@compile(examples=[([1, 5, 9], 5), ([1, 5, 9], 4), ([2, 2], 2)])
def search_for_k(xs: list[int], k: int) -> int:
    if k in xs:
        return xs.index(k) * 10 + xs.count(k)
    return -1


@compile(examples=[([1.5, 2.5, 4.0],)])
def totals_named_like_scratch(xs: list[float]) -> float:
    kacc = 0.0
    ks3 = 1
    for kst in xs:
        kacc += kst * ks3
        ks3 += 1
    kr_total = sum(xs)
    return kacc + kr_total
