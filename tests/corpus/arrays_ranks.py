"""Image and matrix code annotated only `npt.NDArray[...]`: the number of dimensions of each array comes from
how the code uses it (a[i, j], a.shape[1], for row in a, len(a[0]), a helper), with no @compile(ndim=...)."""
import numpy as np
import numpy.typing as npt
from kiln import compile


@compile
def box_blur(img: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    h, w = img.shape
    out = np.zeros((h, w))
    for i in range(h):
        for j in range(w):
            s = 0.0
            n = 0
            for di in range(-1, 2):
                for dj in range(-1, 2):
                    y = i + di
                    x = j + dj
                    if 0 <= y < h and 0 <= x < w:
                        s += img[y, x]
                        n += 1
            out[i, j] = s / n
    return out


@compile
def brightest(img: npt.NDArray[np.uint8]) -> int:
    best = 0
    for row in img:
        for j in range(len(img[0])):
            if row[j] > best:
                best = int(row[j])
    return best


@compile
def trace(m: npt.NDArray[np.float64]) -> float:
    t = 0.0
    for i in range(min(m.shape[0], m.shape[1])):
        t += m[i, i]
    return t


@compile
def matvec(m: npt.NDArray[np.float64], v: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    out = np.zeros(m.shape[0])
    for i in range(m.shape[0]):
        s = 0.0
        for j in range(m.shape[1]):
            s += m[i, j] * v[j % len(v)]
        out[i] = s
    return out


@compile
def channel_means(img: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """An H x W x C image: the mean of each channel."""
    h = img.shape[0]
    w = img.shape[1]
    c = img.shape[2]
    out = np.zeros(c)
    for k in range(c):
        s = 0.0
        for i in range(h):
            for j in range(w):
                s += img[i, j, k]
        out[k] = s / (h * w) if h * w > 0 else 0.0
    return out


def row_sum(m, i: int) -> float:
    s = 0.0
    for j in range(m.shape[1]):
        s += m[i, j]
    return s


@compile
def heaviest_row(m: npt.NDArray[np.float64]):
    best = None
    best_i = -1
    for i in range(len(m)):
        s = row_sum(m, i)
        if best is None or s > best:
            best = s
            best_i = i
    return best_i


@compile
def transpose_copy(a: npt.NDArray[np.int32]) -> npt.NDArray[np.int32]:
    out = np.zeros((a.shape[1], a.shape[0]), dtype=np.int32)
    for i in range(a.shape[0]):
        for j in range(a.shape[1]):
            out[j, i] = a[i, j]
    return out


@compile
def threshold_count(img: npt.NDArray[np.float64], level: float) -> int:
    count = 0
    for i in range(img.shape[0]):
        for j in range(img.shape[1]):
            if img[i, j] > level:
                count += 1
    return count


@compile
def gradient_energy(img: npt.NDArray[np.float64]) -> float:
    e = 0.0
    for i in range(img.shape[0] - 1):
        for j in range(img.shape[1] - 1):
            dx = img[i, j + 1] - img[i, j]
            dy = img[i + 1, j] - img[i, j]
            e += dx * dx + dy * dy
    return e


@compile(examples=[([[1.0, 2.0], [3.0, 4.0]],), ([[0.5]],)])
def frobenius(m: npt.NDArray[np.float64]) -> float:
    return float(np.sqrt(np.sum(m * m)))


@compile
def voxel_max(v: npt.NDArray[np.int64]) -> int:
    best = 0
    for i in range(v.shape[0]):
        for j in range(v.shape[1]):
            for k in range(v.shape[2]):
                if v[i, j, k] > best:
                    best = int(v[i, j, k])
    return best


@compile
def column_sums(m: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    out = np.zeros(len(m[0]) if len(m) > 0 else 0)
    for row in m:
        for j in range(len(row)):
            out[j] += row[j]
    return out


@compile
def nonzero_fraction(img: npt.NDArray[np.float64]):
    """The share of non-zero pixels, or 0 (an int) for an empty image."""
    total = img.shape[0] * img.shape[1]
    if total == 0:
        return 0
    n = 0
    for i in range(img.shape[0]):
        for j in range(img.shape[1]):
            if img[i, j] != 0:
                n += 1
    return n / total
