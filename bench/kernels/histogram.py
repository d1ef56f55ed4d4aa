"""Histogram of values in [0, 1) into `bins` equal bins (a data-dependent scatter)."""
import numpy as np
import numpy.typing as npt
from kiln import compile


@compile
def histogram(x: npt.NDArray[np.float64], bins: int) -> npt.NDArray[np.int64]:
    counts = np.zeros(bins, dtype=np.int64)
    for v in x:
        if v >= 0.0 and v < 1.0:
            counts[int(v * bins)] += 1
    return counts
