"""Complex arithmetic in numeric code: the Mandelbrot and Julia sets, a radix-2 FFT and a naive DFT, roots of
unity, quadratic roots through cmath, polar forms, the errors complex division and powers raise, and complex
parameters and results across the C ABI (a Mobius map, an FFT butterfly, a principal root)."""
import cmath
import math
from kiln import compile


@compile(examples=[(40, 20, 50), (8, 4, 10), (1, 1, 0)])
def mandelbrot_area(width: int, height: int, max_iter: int) -> tuple[int, float]:
    """Points of a grid over [-2, 1] x [-1.2, 1.2] that stay bounded, and the estimated area."""
    inside = 0
    for py in range(height):
        for px in range(width):
            c = complex(-2.0 + 3.0 * px / width, -1.2 + 2.4 * py / height)
            z = 0j
            n = 0
            while abs(z) <= 2.0 and n < max_iter:
                z = z * z + c
                n += 1
            if n == max_iter:
                inside += 1
    return (inside, 3.0 * 2.4 * inside / (width * height))


@compile(examples=[(-0.8, 0.156, 30), (0.285, 0.01, 12), (0.0, 0.0, 3)])
def julia_escape_times(cr: float, ci: float, size: int) -> list[int]:
    c = complex(cr, ci)
    out = []
    for i in range(size):
        z = complex(-1.5 + 3.0 * i / max(size, 1), 0.3)
        n = 0
        while n < 100 and z.real * z.real + z.imag * z.imag <= 4.0:
            z = z ** 2 + c
            n += 1
        out.append(n)
    return out


@compile(examples=[([1.0, 2.0, 3.0, 4.0, 0.0, 0.0, 0.0, 0.0],), ([1.0, -1.0, 1.0, -1.0],), ([5.0],)])
def fft_magnitudes(xs: list[float]) -> list[float]:
    """Iterative radix-2 Cooley-Tukey on a power-of-two length: bit reversal, then butterflies."""
    n = len(xs)
    a = [complex(x, 0.0) for x in xs]
    j = 0
    for i in range(1, n):
        bit = n >> 1
        while j & bit:
            j ^= bit
            bit >>= 1
        j ^= bit
        if i < j:
            a[i], a[j] = a[j], a[i]
    length = 2
    while length <= n:
        w = cmath.exp(-2j * math.pi / length)
        for start in range(0, n, length):
            wk = 1 + 0j
            for k in range(length // 2):
                u = a[start + k]
                v = a[start + k + length // 2] * wk
                a[start + k] = u + v
                a[start + k + length // 2] = u - v
                wk *= w
        length *= 2
    return [abs(z) for z in a]


@compile(examples=[([1.0, 2.0, 3.0],), ([0.5, -0.5, 0.25, 4.0, 1.0],), ([],)])
def dft_real_imag(xs: list[float]) -> list[float]:
    """The naive O(n^2) DFT; each bin as its real and imaginary parts."""
    n = len(xs)
    out = []
    for k in range(n):
        acc = 0j
        for t in range(n):
            acc += xs[t] * cmath.exp(-2j * math.pi * k * t / n)
        out.append(acc.real)
        out.append(acc.imag)
    return out


@compile(examples=[(5,), (12,), (1,)])
def roots_of_unity_sum(n: int) -> tuple[float, float, float]:
    s = 0j
    prod = 1 + 0j
    for k in range(n):
        r = cmath.rect(1.0, 2.0 * math.pi * k / n)
        s += r
        prod *= r
    return (abs(s), prod.real, prod.imag)


@compile(examples=[(1.0, 2.0, 5.0), (1.0, -3.0, 2.0), (2.0, 0.0, 8.0), (0.0, 1.0, 1.0)])
def quadratic_roots(a: float, b: float, c: float) -> str:
    """Both roots of a x^2 + b x + c, as CPython prints them (ZeroDivisionError for a == 0)."""
    d = cmath.sqrt(b * b - 4 * a * c)
    r1 = (-b + d) / (2 * a)
    r2 = (-b - d) / (2 * a)
    return str(r1) + " " + repr(r2)


@compile(examples=[(3.0, 4.0), (-1.0, 0.0), (0.0, -0.0), (1e308, 1e308)])
def polar_forms(x: float, y: float) -> tuple[float, float, float, float]:
    z = complex(x, y)
    r, phi = cmath.polar(z)
    back = cmath.rect(r, phi) if math.isfinite(r) else z
    return (r, phi, back.real - z.real, cmath.phase(z.conjugate()))


@compile(examples=[(0.5, 0.5), (2.0, -1.0), (0.0, 0.0), (-3.0, 0.0)])
def cmath_functions(x: float, y: float) -> list[float]:
    z = complex(x, y)
    out = []
    for w in [cmath.exp(z), cmath.sin(z), cmath.cosh(z), cmath.atan(z), cmath.asinh(z), cmath.log10(z + 1j)]:
        out.append(w.real)
        out.append(w.imag)
    return out


@compile(examples=[(0,), (1,), (2,), (3,), (4,), (5,)])
def complex_errors(which: int) -> float:
    z = complex(float(which), 0.0)
    if which == 0:
        return abs(1 / (z - z))
    if which == 1:
        return abs(0j ** -1)
    if which == 2:
        return abs(cmath.log(0j))
    if which == 3:
        return abs(complex(1e308, 1e308) * 10)
    if which == 4:
        return abs(complex(1e308, 1e308))
    return abs(cmath.sqrt(-z) + 2j ** 0.5 + (1 + 2j) ** (3 - 1j))


@compile(examples=[(1 + 2j, 2 - 1j, 0.5j), (0j, 1 + 0j, 1j), (1j, 1j, -1 + 0j)])
def mobius(z: complex, a: complex, b: complex) -> complex:
    # Complex numbers across the C ABI: parameters and the result (ZeroDivisionError where the denominator is 0).
    return (a * z + b) / (z.conjugate() * a - b)


@compile(examples=[(1 + 1j, 2 - 0.5j, 1, 8), (0j, 1j, 0, 1), (3.0 + 0j, -1j, 5, 4)])
def butterfly(even: complex, odd: complex, k: int, n: int) -> complex:
    # One radix-2 FFT step: even + w**k * odd, w = exp(-2*pi*i/n).
    n = max(1, min(n, 64))
    return even + cmath.exp(-2j * cmath.pi * (k % n) / n) * odd


@compile(examples=[(-4 + 0j,), (complex(0.0, -0.0),), (3 + 4j, -0.5j)])
def principal_root(z: complex, shift: complex = 0j) -> complex:
    r = cmath.sqrt(z + shift)
    return r if r.imag >= 0 else -r  # the root in the upper half-plane


@compile(examples=[((1 + 1j, 2 - 0.5j), 1, 8), ((0j, 1j), 0, 1), ((complex(0.0, -0.0), -1j), 5, 4)])
def butterfly_pair(pair: tuple[complex, complex], k: int, n: int) -> tuple[complex, complex, float]:
    # Complex numbers inside tuples across the C ABI (kiln_complex fields): both outputs of a radix-2 step, and |w|.
    even, odd = pair
    n = max(1, min(n, 64))
    w = cmath.exp(-2j * cmath.pi * (k % n) / n)
    return even + w * odd, even - w * odd, abs(w)


@compile(examples=[([1 + 0j, 1j, -1 + 0j, -1j],), ([],), ([2 - 3j],)])
def complex_dft(zs: list[complex]) -> list[complex]:
    # Lists of complex numbers across the boundary (kiln_list_complex), in-out as every list: the input gains its sum.
    n = len(zs)
    out: list[complex] = []
    for k in range(n):
        acc = 0j
        for t in range(n):
            acc += zs[t] * cmath.exp(-2j * cmath.pi * k * t / n)
        out.append(acc)
    zs.append(sum(zs, 0j))
    return out
