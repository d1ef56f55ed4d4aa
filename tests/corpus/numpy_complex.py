"""NumPy complex128 arrays: made from zeros/ones/full and from lists of complex numbers, + - * / with complex and
real arrays and numbers, np.abs/np.real/np.imag/np.conj/np.exp, sums and means (NumPy's complex pairwise sum),
indexing, item stores, views of the parts, and arrays across the boundary (parameters written in place, results).
+ - / and the sums are NumPy's bits; * abs and exp are compared within their bounds (NumPy's own results depend on
the CPU: fused products on AVX2/AVX-512)."""
import numpy as np
from numpy.typing import NDArray
from kiln import compile


@compile(examples=[(5,), (70,), (300,), (0,)])
def twiddled_sum(n: int) -> tuple[complex, complex]:
    """A signal built item by item, divided by a complex step and shifted: sums past NumPy's 64-item pairwise block."""
    z = np.zeros(n, dtype=np.complex128)
    for k in range(n):
        z[k] = complex(k * 0.37 - 1.0, 1.0 / (k + 1.5))
    w = (z - 0.5) / (0.25 - 2j) + z
    return (complex(w.sum()), complex(w.mean()) if n else 0j)


@compile(examples=[([1 + 2j, -3.5j, 0.25],), ([0.5 - 0.5j],)])
def from_list(zs: list[complex]) -> NDArray[np.complex128]:
    """np.array of a list of complex numbers, a real array promoted by a complex number, item reads and stores
    (np.array of an empty list is NumPy's float64, which the compiled code refuses: not called with one)."""
    if not zs:
        return np.zeros(0, dtype=complex)
    a = np.array(zs)
    b = np.arange(len(zs)).astype(complex) * (1 - 1j)
    a[0] = a[0] + b[-1]
    a[len(zs) - 1] = 2.5
    return a + b


@compile(examples=[(4, 3), (1, 1), (0, 2), (0, 2**60), (2**59, 0), (-1, 3)])
def part_views(n: int, m: int) -> tuple[NDArray[np.complex128], NDArray[np.float64]]:
    """z.real and z.imag are views: writes through them change z; np.real/np.imag read the parts of a reversed view."""
    z = np.ones((n, m), dtype=complex)
    z.real[:, 0] = -2.0
    im = z.imag
    im[n // 2:, :] = 0.75
    r = z[::-1, ::-1]
    return (z, np.real(r) - np.imag(r) * 2.0)


@compile
def signal_ops(z: NDArray[np.complex128], w: NDArray[np.complex128], k: float) -> NDArray[np.complex128]:
    """Complex array parameters (the generated ones: signed zeros, infinities, NaN parts) and a number: + - / and unary minus."""
    return -(z + k) / (w - 1j) + z


@compile
def magnitudes(z: NDArray[np.complex128]) -> tuple[NDArray[np.float64], float, complex, NDArray[np.bool_]]:
    """np.abs (NumPy's hypot), the conjugate and a product (compared within their bounds); != of both parts."""
    p = z * np.conj(z)
    return (np.abs(z), float(np.abs(z).sum()), complex(p.sum()), z != np.conj(z))


@compile(examples=[(8,), (33,)])
def phases(n: int) -> tuple[complex, float]:
    """exp(i theta) around the circle: the roots of unity sum to about zero, their magnitudes to about n."""
    theta = np.arange(n) * (2.0 * np.pi / max(n, 1))
    e = np.exp(theta * 1j)
    return (complex(e.sum()), float(np.abs(e).sum()))


@compile
def rotate_in_place(z: NDArray[np.complex128], turns: int) -> complex:
    """Item stores into a parameter (the caller sees them), a loop over items, a slice view's sum."""
    for i in range(min(len(z), 50)):
        for _ in range(turns % 4):
            z[i] = complex(-z[i].imag, z[i].real)
    return complex(z[::2].sum())


@compile
def update_in_place(z: NDArray[np.complex128], w: NDArray[np.float64]) -> NDArray[np.complex128]:
    """+= -= *= /= write into the caller's complex array (a real operand promoted); w broadcast as NumPy does."""
    z += 1
    z *= 0.5j
    z -= w
    z /= 2 - 1j
    return z


@compile
def item_quotients(z: NDArray[np.complex128], d: float) -> tuple[complex, complex, complex, str]:
    """Items and sums are np.complex128: dividing one by zero (a float, an int, a complex) gives NumPy's inf and nan
    parts with a RuntimeWarning, not ZeroDivisionError; its repr is NumPy's, its str the complex's."""
    if len(z) == 0:
        return (z.sum(), z.sum() / 0, z.sum() / 0j, repr(z.sum()))
    q = z[0] / d
    r = z[len(z) - 1] / 0
    s = z.sum() / (d * 1j)
    return (q, r, s, repr(q) + str(r) + f"{s}")


@compile
def item_parts(z: NDArray[np.complex128]) -> tuple[list[float], list[complex]]:
    """.real, .imag and abs() of an item are np.float64 (abs is hypot: inf past the range, no OverflowError);
    complex(z[k]) is a Python complex; a conjugate and a negation keep NumPy's type."""
    parts: list[float] = []
    out: list[complex] = []
    for k in range(min(len(z), 50)):
        parts.append(float(abs(z[k]) + z[k].real * z[k].imag))
        out.append(complex(-z[k].conjugate() * 2.0 - z[k] / (k - 1)))
    return (parts, out)


@compile(examples=[(3,), (0,)])
def quotient_table(n: int) -> list[complex]:
    """Every special quotient of an item: x/0, 0/0, inf/0, nan/0 and inf/inf, as NumPy's Smith's division gives them."""
    z = np.array([1 + 2j, 0j, complex(float("inf"), 1.0), complex(float("nan"), 1.0), complex(-float("inf"), -0.0)])
    out: list[complex] = []
    for k in range(len(z)):
        for d in [0j, complex(0.0, -0.0), 2.0 + 0j, 1 + 1j, complex(float("inf"), float("inf"))]:
            out.append(complex(z[k] / d + n))
    return out


@compile(examples=[([1 + 2j, 0j, -0.5 + 0.25j, 1e308 * 10 + 1j], 1 + 1j)])
def item_powers(z: NDArray[np.complex128], c: np.complex128) -> tuple[list[complex], list[int]]:
    """** and pow() of an np.complex128 by an integer are NumPy's power, bit for bit: multiplied as NumPy does (a
    negative exponent divides 1 by the product; 0 ** -1 is nan+nanj with a warning); np.complex128(x) and
    np.complex128(re, im) make one (and annotate c); < <= > >= are NumPy 2's order (real parts, then imaginary parts;
    an np.bool_), with a Python complex too."""
    out: list[complex] = []
    order: list[int] = []
    for k in range(min(len(z), 20)):
        w = z[k]
        out.append(complex(w ** 2 + w ** 3 + pow(w, 7) + w ** 0))
        out.append(complex(w ** -1 + w ** -3 + np.complex128(w.imag, 0.5) ** 5))
        order.append(int(w < c) + 2 * int(w <= z[0]) + 4 * int(c > w) + 8 * int(w >= 1.5) + 16 * int(w > c) + 32 * int(0.5j > w))
    return (out, order)


@compile
def item_cpow(z: NDArray[np.complex128], n: int) -> list[complex]:
    """Other powers of an np.complex128 are the C library's cpow (NumPy's own on glibc; compared within a bound)."""
    out: list[complex] = []
    for k in range(min(len(z), 20)):
        out.append(complex(z[k] ** (n % 9 - 4)))
        out.append(complex(z[k] ** 0.5))
        out.append(complex(z[k] ** np.complex128(0.5, -1.0)))
        out.append(complex(np.complex128(k) ** z[k]))
    return out
