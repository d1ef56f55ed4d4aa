"""The polynomial coefficients of resources/c/kiln_vmath_kernels.h, fitted here so that anyone can check them.

Each approximation is a minimax polynomial found by the Remez exchange algorithm, computed with Python's decimal
module at 60 digits (the functions themselves come from decimal's exp/ln and from Taylor series summed to 60 digits),
then rounded to the C type. `python3 scripts/vmath_coefficients.py > resources/c/kiln_vmath_coeffs.h` writes the
header (about half a minute); tests/runtime/vmath.test.ts checks that the header is this script's output.
"""
from decimal import Decimal as D, getcontext
import math
import struct
import sys

getcontext().prec = 60


def pi():
    # Machin's formula: pi = 16 atan(1/5) - 4 atan(1/239)
    def atan_inv(n):
        x = D(1) / n
        x2 = x * x
        term, total, k = x, x, 1
        while abs(term) > D(10) ** -70:
            term *= -x2
            total += term / (2 * k + 1)
            k += 1
        return total
    return 16 * atan_inv(5) - 4 * atan_inv(239)


PI = pi()


def dexp(x):
    return D(x).exp()


def dsin(x):
    x = D(x)
    term, total, k = x, x, 1
    while abs(term) > D(10) ** -70:
        term *= -x * x / ((2 * k) * (2 * k + 1))
        total += term
        k += 1
    return total


def dcos(x):
    x = D(x)
    term, total, k = D(1), D(1), 1
    while abs(term) > D(10) ** -70:
        term *= -x * x / ((2 * k - 1) * (2 * k))
        total += term
        k += 1
    return total


def derf(x):
    """erf by its Taylor series (exact enough at 60 digits for |x| <= 6: the largest term is ~1e14)."""
    x = D(x)
    with_prec = getcontext().prec
    getcontext().prec = 90
    term, total, k = x, x, 0
    while abs(term) > D(10) ** -80 or k < 5:
        k += 1
        term *= -x * x / k
        total += term / (2 * k + 1)
    r = total * 2 / PI.sqrt()
    getcontext().prec = with_prec
    return +r


def solve(a, b):
    """Gaussian elimination with partial pivoting, in Decimal."""
    n = len(b)
    m = [row[:] + [b[i]] for i, row in enumerate(a)]
    for c in range(n):
        p = max(range(c, n), key=lambda r: abs(m[r][c]))
        m[c], m[p] = m[p], m[c]
        for r in range(c + 1, n):
            f = m[r][c] / m[c][c]
            for k in range(c, n + 1):
                m[r][k] -= f * m[c][k]
    x = [D(0)] * n
    for r in range(n - 1, -1, -1):
        x[r] = (m[r][n] - sum(m[r][k] * x[k] for k in range(r + 1, n))) / m[r][r]
    return x


def pw(x, p):
    return D(1) if p == 0 else x ** p


def remez(f, lo, hi, powers, weight=lambda x: D(1), iters=12, grid=3000):
    """Minimax p(x) = sum c_i x**powers[i] for f on [lo, hi], minimising max |(p - f) * weight|."""
    lo, hi = D(lo), D(hi)
    n = len(powers)
    xs = [(lo + hi) / 2 - (hi - lo) / 2 * D(math.cos(math.pi * j / n)) for j in range(n + 1)]
    grid_x = [lo + (hi - lo) * j / grid for j in range(grid + 1)]
    fg = [f(x) for x in grid_x]
    wg = [weight(x) for x in grid_x]
    coeffs, err = None, None
    for _ in range(iters):
        a = [[pw(x, p) for p in powers] + [D((-1) ** j) / weight(x)] for j, x in enumerate(xs)]
        sol = solve(a, [f(x) for x in xs])
        coeffs, err = sol[:n], abs(sol[n])
        e = [(sum(c * pw(x, p) for c, p in zip(coeffs, powers)) - fx) * w for x, fx, w in zip(grid_x, fg, wg)]
        # alternating extrema: the largest |e| in each run of one sign
        ext = []
        i = 0
        while i < len(e):
            j = i
            best = i
            while j < len(e) and (e[j] >= 0) == (e[i] >= 0):
                if abs(e[j]) > abs(e[best]):
                    best = j
                j += 1
            ext.append(best)
            i = j
        while len(ext) > n + 1:  # drop the smallest at either end
            if abs(e[ext[0]]) < abs(e[ext[-1]]):
                ext.pop(0)
            else:
                ext.pop()
        if len(ext) < n + 1:
            break
        xs = [grid_x[k] for k in ext]
    e = [(sum(c * pw(x, p) for c, p in zip(coeffs, powers)) - fx) * w for x, fx, w in zip(grid_x, fg, wg)]
    return coeffs, max(abs(v) for v in e)


def hexfloat(f):
    """C's %a spelling without trailing zeros: 0x1.62e42feep-1."""
    mant, exp = f.hex().split("p")
    if "." in mant:
        mant = mant.rstrip("0").rstrip(".")
    return f"{mant}p{exp}"


def c_double(v):
    return hexfloat(float(v))


def c_float(v):
    return hexfloat(struct.unpack("<f", struct.pack("<f", float(v)))[0]) + "f"


LN2 = D(2).ln()
SQRT2 = D(2).sqrt()
S_LO, S_HI = -(SQRT2 - 1) / (SQRT2 + 1), (SQRT2 - 1) / (SQRT2 + 1)  # s = f / (2 + f) for m in [sqrt(2)/2, sqrt(2))


def exp_p(x):
    """(e^x - 1 - x) / x^2, so that e^x = 1 + x + x^2 p(x) and e^x - 1 = x + x^2 p(x)."""
    x = D(x)
    if abs(x) < D("1e-20"):
        return D(1) / 2 + x / 6
    return (dexp(x) - 1 - x) / (x * x)


def log_r(z):
    """R(z) with log(1+f) = 2s + s*R(s^2): R(z) = sum_{i>=1} 2 z^i / (2i+1), over z = s^2."""
    z = D(z)
    return sum(2 * z ** i / (2 * i + 1) for i in range(1, 40))


def sin_s(z):
    """(sin(r) - r) / r^3 as a function of z = r^2."""
    z = D(z)
    if z == 0:
        return D(-1) / 6
    r = z.sqrt()
    return (dsin(r) - r) / (r * z)


def cos_c(z):
    """(cos(r) - 1 + r^2/2) / r^4 as a function of z = r^2."""
    z = D(z)
    if z == 0:
        return D(1) / 24
    r = z.sqrt()
    return (dcos(r) - 1 + z / 2) / (z * z)


def tanh_p(z):
    """(tanh(x) - x) / x^3 as a function of z = x^2."""
    z = D(z)
    if z == 0:
        return D(-1) / 3
    x = z.sqrt()
    e = (2 * x).exp()
    return ((e - 1) / (e + 1) - x) / (x * z)


def erf_small(z):
    """(erf(x) - x) / x as a function of z = x^2, for |x| < 1."""
    z = D(z)
    if z == 0:
        return 2 / PI.sqrt() - 1
    x = z.sqrt()
    return (derf(x) - x) / x


def erfc_scaled(x):
    """erfc(x) * exp(x^2)."""
    x = D(x)
    return (1 - derf(x)) * dexp(x * x)


TABLES = [
    # name, C type, function, interval, powers, weight
    ("KV_EXP_P_F64", "double", exp_p, -LN2 / 2, LN2 / 2, range(0, 10), lambda x: D(1)),
    ("KV_EXP_P_F32", "float", exp_p, -LN2 / 2, LN2 / 2, range(0, 5), lambda x: D(1)),
    ("KV_LOG_R_F64", "double", log_r, 0, S_HI ** 2, range(1, 8), lambda z: 1 / (2 + log_r(z))),
    ("KV_LOG_R_F32", "float", log_r, 0, S_HI ** 2, range(1, 4), lambda z: 1 / (2 + log_r(z))),
    ("KV_SIN_S_F64", "double", sin_s, 0, (PI / 4) ** 2, range(0, 7), lambda z: D(1)),
    ("KV_COS_C_F64", "double", cos_c, 0, (PI / 4) ** 2, range(0, 6), lambda z: D(1)),
    ("KV_SIN_S_F32", "float", sin_s, 0, (PI / 4) ** 2, range(0, 3), lambda z: D(1)),
    ("KV_COS_C_F32", "float", cos_c, 0, (PI / 4) ** 2, range(0, 3), lambda z: D(1)),
    ("KV_TANH_P_F64", "double", tanh_p, 0, D("0.390625"), range(0, 12), lambda z: D(1)),
    ("KV_TANH_P_F32", "float", tanh_p, 0, D("0.390625"), range(0, 5), lambda z: D(1)),
    ("KV_ERF_SMALL_F64", "double", erf_small, 0, 1, range(0, 12), lambda z: D(1)),
]


def erfc_tables():
    """erfc(x) e^{x^2} on [1, 6] in three pieces, each a polynomial in t = x - centre."""
    out = []
    for name, lo, hi in (("KV_ERFC_A_F64", 1, 2), ("KV_ERFC_B_F64", 2, D("3.5")), ("KV_ERFC_C_F64", D("3.5"), 6)):
        centre = (D(lo) + D(hi)) / 2
        coeffs, err = remez(lambda t, c=centre: erfc_scaled(t + c), D(lo) - centre, D(hi) - centre, range(0, 16),
                            weight=lambda t, c=centre: 1 / erfc_scaled(t + c), grid=600, iters=8)
        out.append((name, "double", coeffs, err, float(centre)))
    return out


def split_bits(v, bits):
    """v truncated to `bits` significant bits (so that v * n is exact for |n| < 2**(53 - bits) in double)."""
    e = math.floor(math.log2(abs(float(v))))
    scale = D(2) ** (bits - 1 - e)
    return D(int(v * scale)) / scale


def constants():
    """Cody-Waite pieces of ln 2 and pi/2: the leading pieces have trailing zero bits, so k * piece is exact."""
    out = []
    # ln 2: float64 exp reduces with k < 2**11 (|x| < 1400), float32 with k < 2**9.
    for name, bits, fmt in (("KV_LN2_F64", 32, c_double), ("KV_LN2_F32", 15, c_float)):
        hi = split_bits(LN2, bits)
        out.append(f"#define {name}_HI {fmt(hi)}\n#define {name}_LO {fmt(LN2 - hi)}")
    # pi/2 in four pieces: 33-bit pieces for float64 (|n| < 2**20), 12-bit pieces for float32 (|n| < 2**12).
    for name, bits, fmt in (("KV_PIO2_F64", 33, c_double), ("KV_PIO2_F32", 12, c_float)):
        rest, pieces = PI / 2, []
        for _ in range(3):
            p = split_bits(rest, bits)
            pieces.append(p)
            rest -= p
        pieces.append(rest)
        out.append("\n".join(f"#define {name}_{i + 1} {fmt(p)}" for i, p in enumerate(pieces)))
    # float32 with FMA: pi/2 as three full float pieces
    rest, pieces = PI / 2, []
    for _ in range(3):
        p = D(struct.unpack("<f", struct.pack("<f", float(rest)))[0])
        pieces.append(p)
        rest -= p
    out.append("\n".join(f"#define KV_PIO2FMA_F32_{i + 1} {c_float(p)}" for i, p in enumerate(pieces)))
    return out


HEADER = """/*
 * Kiln runtime: constants and polynomial coefficients of kiln_vmath_kernels.h. GENERATED by
 * scripts/vmath_coefficients.py (minimax fits by the Remez algorithm in 60-digit decimal arithmetic); do not edit.
 */
#ifndef KILN_VMATH_COEFFS_H
#define KILN_VMATH_COEFFS_H
"""


# ---- float64 pow: table-driven log and exp ----
POW_N = 16  # 16 entries per column: two AVX-512 registers, looked up by one permute instead of a gather
POW_BITS = 4
POW_OFF = 0x3fe6955500000000  # z = x 2**-k in [0.7056, 1.4112): 1 falls inside one interval, whose c is 1
POW_LN2_HI = split_bits(LN2, 43)  # k ln2_hi exact for |k| < 1200 (bits down to 2**-43 below 2**10)


def bits_to_double(b):
    return struct.unpack("<d", struct.pack("<Q", b))[0]


def pow_log_table(n=None, bits=None):
    """For each of the POW_N intervals of z (the top bits of (bits(x) - POW_OFF)'s mantissa): invc close to 1/z on
    the interval with few bits, such that r = z invc - 1 is exact for every z there (the product's bits run from its
    lowest, ulp(z) ulp(invc), over at most 53 places), and log(1/invc) as hi (a multiple of 2**-43, so that
    k ln2_hi + hi is exact) + lo. Returns the columns and the largest |r|."""
    from fractions import Fraction as F
    n, bits = n or POW_N, bits or POW_BITS
    sh = 52 - bits
    rows, rmax = [], F(0)
    for i in range(n):
        a = F(bits_to_double(POW_OFF + (i << sh)))
        b = F(bits_to_double(POW_OFF + ((i + 1) << sh) - 1))
        if a < 1 <= b:
            invc = F(1)
            worst = max(abs(a - 1), abs(b - 1))
        else:
            ulp_z = F(1, 2 ** 53) if b < 1 else F(1, 2 ** 52)
            best = None
            for g in range(2, 12):
                centre = round(F(2) / (a + b) * 2 ** g)
                for m in range(centre - 3, centre + 4):
                    inv = F(m, 2 ** g)
                    w = max(abs(a * inv - 1), abs(b * inv - 1))
                    if w < 2 ** 53 * ulp_z / 2 ** g and (best is None or w < best[0]):
                        best = (w, inv)
            worst, invc = best
            # t2 = t1 + r is a fast two-sum (exact error) for k == 0 only if |log c| >= |r|
            assert abs(math.log(invc)) >= worst, i
        rmax = max(rmax, worst)
        logc = -D(invc.numerator).ln() + D(invc.denominator).ln()
        hi = D(round(logc * 2 ** 43)) / 2 ** 43
        rows.append((float(invc), float(hi), float(logc - hi)))
    return list(zip(*rows)), rmax


def log1p_tail(r):
    """(log(1+r) - r + r^2/2 - r^3/3) / r^4 = -1/4 + r/5 - ..."""
    r = D(r)
    return sum(D(-1) ** (n + 1) * pw(r, n - 4) / n for n in range(4, 45))


def log1p_q(r):
    """(log(1+r) - r) / r^2 = -1/2 + r/3 - r^2/4 + ..."""
    r = D(r)
    return sum(D(-1) ** (n + 1) * pw(r, n - 2) / n for n in range(2, 45))


def exp_tail(r):
    """(e^r - 1 - r) / r^2."""
    r = D(r)
    return sum(pw(r, n - 2) / math.factorial(n) for n in range(2, 22))


def fit_within(f, lo, hi, n, scale, target):
    """The minimax fit with n coefficients, checked: its error times scale is below target (n - 1 was not: the count
    was found by trying, kept fixed here to keep the script fast)."""
    coeffs, err = remez(f, lo, hi, list(range(0, n)))
    assert err * scale < target, (n, float(err * scale))
    return coeffs, err


def pow_f64_tables(name, n, bits, log_degree, ln2n_bits, exp_degree, exp_err):
    """float64 pow's scheme for N = n intervals and entries: the log table (1/c, log(c) as hi + lo), log(1+r)'s
    polynomial, and exp's table 2^(j/N) = t (1 + tail) and polynomial, as #defines named KV_<name>_...; with
    the 16-entry tables' values the float32 pow reuses: (lines, rm, rx, t)."""
    (invc, logc, logctail), rmax = pow_log_table(n, bits)
    rm = D(rmax.numerator) / rmax.denominator
    out = [f"#define KV_{name}_BITS {bits}"]
    if name == "POW":
        out += [f"#define KV_POW_OFF 0x{POW_OFF:x}LL",
                f"#define KV_POW_LN2_HI {c_double(POW_LN2_HI)}", f"#define KV_POW_LN2_LO {c_double(LN2 - POW_LN2_HI)}"]
    out += [f"/* per interval of z: 1/c, log(c) as hi + lo; |z/c - 1| <= {float(rmax):.6g} */",
            f"#define KV_{name}_INVC_F64 {c_doubles(invc)}", f"#define KV_{name}_LOGC_F64 {c_doubles(logc)}",
            f"#define KV_{name}_LOGCLO_F64 {c_doubles(logctail)}"]
    # log(1+r) = r - r^2/2 + r^3/3 + r^4 P(r): P's error times r^3 (relative to log(1+r) ~ r) below 2**-67, which
    # times |y log x| <= 745 is 0.03 ULP of the result
    coeffs, err = fit_within(log1p_tail, -rm, rm, log_degree, rm ** 3, D(2) ** -67)
    out.append(f"/* KV_{name}_LOG_P_F64: log(1+r) = r - r^2/2 + r^3/3 + r^4 P(r), max error of P {float(err):.3g} */")
    out.append(f"#define KV_{name}_LOG_P_F64 {c_doubles(coeffs)}")
    # exp: x = (k N + j) ln2/N + r, e^x = 2^k 2^(j/N) (1 + tail) e^r
    ln2n = LN2 / n
    ln2n_hi = split_bits(ln2n, ln2n_bits)  # kd ln2n_hi exact for the kd of |x| <= 1400
    out += [f"#define KV_{name}_INVLN2N {c_double(n / LN2)}", f"#define KV_{name}_LN2N_HI {c_double(ln2n_hi)}",
            f"#define KV_{name}_LN2N_LO {c_double(ln2n - ln2n_hi)}"]
    t, tail = [], []
    for j in range(n):
        v = (LN2 * j / n).exp()
        t.append(float(v))
        tail.append((v - D(t[-1])) / D(t[-1]))
    out += ["/* per j: 2^(j/N) = t (1 + tail) */", f"#define KV_{name}_EXP_T_F64 {c_doubles(t)}", f"#define KV_{name}_EXP_TAIL_F64 {c_doubles(tail)}"]
    rx = ln2n / 2 * D("1.001")
    coeffs, err = fit_within(exp_tail, -rx, rx, exp_degree, rx * rx, exp_err)
    out.append(f"/* KV_{name}_EXP_P_F64: e^r = 1 + r + r^2 P(r) for |r| <= {float(rx):.6g}, max error of P {float(err):.3g} */")
    out.append(f"#define KV_{name}_EXP_P_F64 {c_doubles(coeffs)}")
    return out, rm, rx, t


def c_doubles(vals):
    return "{ " + ", ".join(c_double(v) for v in vals) + " }"


def pow_tables():
    # AVX-512's 16-entry tables (a lookup is one permute); kd ln2n_hi exact for |kd| < 2**15, P's error 2**-11 ULP
    out, rm, rx, t = pow_f64_tables("POW", POW_N, POW_BITS, 9, 38, 6, D(2) ** -64)
    # float32 pow, in double from the same tables: a float result needs y log|x| to about 2**-32 (|y log x| <= 104),
    # so log(1+r) = r + r^2 Q(r) to 2**-39 relative (Q's error times |r|) and e^r = 1 + r + r^2 P(r) to 2**-36
    coeffs, err = fit_within(log1p_q, -rm, rm, 6, rm, D(2) ** -39)
    out.append(f"/* KV_POWF_LOG_Q_F64: log(1+r) = r + r^2 Q(r), max error of Q {float(err):.3g} */")
    out.append(f"#define KV_POWF_LOG_Q_F64 {c_doubles(coeffs)}")
    tj = [bits_to_double(struct.unpack("<Q", struct.pack("<d", v))[0] - (j << 48)) for j, v in enumerate(t)]
    out += ["/* per j: bits(2^(j/N)) - (j << 48), for float32 pow */", f"#define KV_POWF_EXP_TJ_F64 {c_doubles(tj)}"]
    coeffs, err = fit_within(exp_tail, -rx, rx, 3, rx * rx, D(2) ** -36)
    out.append(f"/* KV_POWF_EXP_P_F64: e^r = 1 + r + r^2 P(r), max error of P {float(err):.3g} */")
    out.append(f"#define KV_POWF_EXP_P_F64 {c_doubles(coeffs)}")
    return out


POW128_N, POW128_BITS = 128, 7  # the other paths' tables: a lookup is a load per lane (or a gather) at any size


def pow128_tables():
    """float64 pow's tables for every path but AVX-512: 128 intervals and entries, so shorter polynomials (the
    same scheme and code as the 16-entry ones); kd ln2n_hi exact for |kd| < 2**18, P's error 2**-10 ULP."""
    return pow_f64_tables("POW128", POW128_N, POW128_BITS, 5, 35, 4, D(2) ** -63)[0]


# ---- float32 tanh on AVX-512: a polynomial per interval of |x|, coefficients looked up by one permute each ----
TANHF_A0 = 2.0 ** -5  # intervals: [0, A0 + A0/4), then quarters of binades up to 7; the last one is [7, 10]
TANHF_COEFFS = 6      # tanh(p + t) = c0 + t q(t), q of degree 5: 2**-30 relative at most (5 coefficients: 2**-26)


def f32_bits(v):
    return struct.unpack("<I", struct.pack("<f", v))[0]


def f32_from_bits(b):
    return struct.unpack("<f", struct.pack("<I", b))[0]


def dtanh(x):
    x = D(x)
    if x == 0:
        return D(0)
    e = (2 * x).exp()
    return (e - 1) / (e + 1)


def tanhf_centre(lo, hi):
    """A float p in the middle half of [lo, hi) whose tanh lies close to a float (512 candidates, spread over it):
    c0 = tanh(p) rounded is then almost exact, and t = |x| - p is exact (Sterbenz)."""
    a, b = f32_bits(lo + (hi - lo) / 4), f32_bits(hi - (hi - lo) / 4)
    best = None
    for k in range(512):
        p = f32_from_bits(a + (b - a) * k // 512)
        t = dtanh(p)
        c = D(f32(t))
        ulp = D(f32_from_bits(f32_bits(float(c)) + 1)) - c
        d = abs(t - c) / ulp
        if best is None or d < best[0]:
            best = (d, p)
    return best[1]


def f32(v):
    return struct.unpack("<f", struct.pack("<f", float(v)))[0]


def lawson_fit(g, w, tl, th, n, nodes=40, rounds=3):
    """Weighted least squares at Chebyshev nodes, reweighted by Lawson's rule towards minimax (the Remez exchange
    above does not converge here: the weight |t| vanishes inside the interval). Returns the coefficients and the
    largest weighted error over a grid."""
    ts = [(tl + th) / 2 - (th - tl) / 2 * D(math.cos(math.pi * (j + 0.5) / nodes)) for j in range(nodes)]
    gs, ws = [g(t) for t in ts], [w(t) for t in ts]
    lw = [D(1)] * nodes
    for _ in range(rounds + 1):
        a = [[sum(lw[j] * ws[j] ** 2 * pw(ts[j], r + c) for j in range(nodes)) for c in range(n)] for r in range(n)]
        b = [sum(lw[j] * ws[j] ** 2 * pw(ts[j], r) * gs[j] for j in range(nodes)) for r in range(n)]
        co = solve(a, b)
        errs = [abs(sum(c * pw(t, k) for k, c in enumerate(co)) - gj) * wj for t, gj, wj in zip(ts, gs, ws)]
        total = sum(lw[j] * errs[j] for j in range(nodes))
        lw = [lw[j] * errs[j] / total * nodes for j in range(nodes)]
    grid = [tl + (th - tl) * k / 120 for k in range(121)]
    return co, max(abs(sum(c * pw(t, k) for k, c in enumerate(co)) - g(t)) * w(t) for t in grid)


def tanhf_table():
    """Per interval i of |x| (index (bits(|x|) - bits(A0)) >> 21, clamped to [0, 31]): a centre p (a float; 0 for
    the first interval), c0 = tanh(p) as a float, and q(t) = c1 + c2 t + ... with tanh(p + t) = c0 + t q(t),
    fitted for the relative error of the result with c0 fixed."""
    a0 = f32_bits(TANHF_A0)
    rows, worst = [], D(0)
    for i in range(32):
        lo = 0.0 if i == 0 else f32_from_bits(a0 + (i << 21))
        hi = 10.0 if i == 31 else f32_from_bits(a0 + ((i + 1) << 21))
        p = 0.0 if i == 0 else tanhf_centre(lo, hi)
        c0 = D(f32(dtanh(p)))
        if i == 0:
            g, w = (lambda t: dtanh(t) / t if t != 0 else D(1)), (lambda t: D(1))
        else:
            g = lambda t, p=p, c0=c0: (dtanh(D(p) + t) - c0) / t if t != 0 else 1 - dtanh(p) ** 2
            w = lambda t, p=p: abs(t) / dtanh(D(p) + t)
        co, err = lawson_fit(g, w, D(lo) - D(p), D(hi) - D(p), TANHF_COEFFS)
        worst = max(worst, err)
        rows.append([p, c0] + co)
    assert worst < D(2) ** -29, float(worst)
    names = ["P", "C0"] + [f"C{k + 1}" for k in range(TANHF_COEFFS)]
    out = [f"/* float32 tanh per interval of |x|: centre p, tanh(p + t) = c0 + t (c1 + c2 t + ...); max relative error "
           f"{float(worst):.3g} */", f"#define KV_TANHF_A0 {c_float(TANHF_A0)}", f"#define KV_TANHF_NC {TANHF_COEFFS}"]
    for name, col in zip(names, zip(*rows)):
        out.append(f"#define KV_TANHF_{name} {{ {', '.join(c_float(v) for v in col)} }}")
    return out


# ---- float32 pow in float (the FMA paths): 32 intervals of z for log, 16 entries of 2^(j/16) for exp ----
POWF_OFF = 0x3f361000  # z = x 2**-k in [0.7112, 1.4224); c = 1 on the interval around 1, [0.99219, 1.01172)
POWF_LOG_BITS = 5      # 32 intervals: two AVX-512 registers per column (one permute); with 16, |r| reached 0.043
POWF_EXP_N = 16        # one register per column


def powf_log_table():
    """For each of the 32 intervals of z (the top 5 bits of (bits(x) - POWF_OFF)'s mantissa): invc with few bits
    such that r = z invc - 1 is exact in float with one FMA (z has 24 bits: the product's bits from ulp(z) ulp(invc)
    up must fit 24 places), and log(1/invc) as hi (a multiple of 2**-17, so that k ln2_hi + hi is exact for
    |k| < 2**7) + lo. Among those invc, the one with the smallest |r|**3 / |log z| over the interval (for k = 0):
    the part of log(1+r) computed in plain float, about r**3/3, relative to log x, which is what y log x needs;
    POWF_OFF was chosen by the same measure (2**-13.6 at most; the invc nearest 1/z and the interval around 1
    centred gave 2**-11.7). Returns the columns and the largest |r|."""
    from fractions import Fraction as F
    sh = 23 - POWF_LOG_BITS
    rows, rmax, cmax = [], F(0), 0.0
    for i in range(1 << POWF_LOG_BITS):
        a = F(f32_from_bits(POWF_OFF + (i << sh)))
        b = F(f32_from_bits(POWF_OFF + ((i + 1) << sh) - 1))
        if a <= 1 <= b:
            invc, worst = F(1), max(abs(a - 1), abs(b - 1))
            cubic = float(worst) ** 2
        else:
            ulp_z = F(1, 2 ** 24) if b < 1 else F(1, 2 ** 23)
            zs = [float(a + (b - a) * t / 40) for t in range(41)]
            best = None
            for g in range(2, 12):
                centre = round(F(2) / (a + b) * 2 ** g)
                for m in range(centre - 3, centre + 4):
                    inv = F(m, 2 ** g)
                    w = max(abs(a * inv - 1), abs(b * inv - 1))
                    # exact r; t2 = t1 + r a fast two-sum (exact error) for k == 0: |log c| >= |r|
                    if w >= 2 ** 24 * ulp_z / 2 ** g or abs(math.log(inv)) < w:
                        continue
                    cubic = max(abs(z * float(inv) - 1) ** 3 / abs(math.log(z)) for z in zs)
                    if best is None or cubic < best[0]:
                        best = (cubic, w, inv)
            cubic, worst, invc = best
        rmax, cmax = max(rmax, worst), max(cmax, cubic)
        logc = -D(invc.numerator).ln() + D(invc.denominator).ln()
        hi = D(round(logc * 2 ** 17)) / 2 ** 17
        rows.append((float(invc), float(hi), f32(logc - hi)))
    return list(zip(*rows)), D(rmax.numerator) / rmax.denominator, cmax


def log1p_cubic(r):
    """-2 (log(1+r) - r + r^2/2) / r^3 = -2/3 + r/2 - 2r^2/5 + ...: times r (-r^2/2), the rest of log(1+r)."""
    r = D(r)
    return -2 * sum(D(-1) ** (n + 1) * pw(r, n - 3) / n for n in range(3, 45))


def c_floats(vals):
    return "{ " + ", ".join(c_float(v) for v in vals) + " }"


def powf_tables():
    """float32 pow computed in float (kiln_vmath_kernels.h f_powf_core): log|x| = k ln2 + log c + log(1+r) in
    float-float, y log|x| = p exactly as ph + pl, e^p = 2^(ki/16) e^r. A float result within 0.6 ULP needs p to
    about 2**-29 (|p| < 87), i.e. log|x| to 2**-36 relative."""
    (invc, logc, logclo), rm, cubic = powf_log_table()
    ln2_hi = D(round(LN2 * 2 ** 17)) / 2 ** 17
    out = [f"#define KV_POWF32_OFF 0x{POWF_OFF:x}",
           f"#define KV_POWF32_LN2_HI {c_float(ln2_hi)}", f"#define KV_POWF32_LN2_LO {c_float(LN2 - ln2_hi)}",
           f"/* per interval of z: 1/c, log(c) as hi + lo; |z/c - 1| <= {float(rm):.6g} */",
           f"#define KV_POWF32_INVC {c_floats(invc)}", f"#define KV_POWF32_LOGC {c_floats(logc)}",
           f"#define KV_POWF32_LOGCLO {c_floats(logclo)}"]
    # log(1+r) = r - r^2/2 + r (-r^2/2) C(r): C's error times |r|^3 / 2 below 2**-44
    coeffs, err = fit_within(log1p_cubic, -rm, rm, 4, rm ** 3 / 2, D(2) ** -44)
    out.append(f"/* KV_POWF32_LOG_C: log(1+r) = r - r^2/2 + r (-r^2/2) C(r), max error of C {float(err):.3g} */")
    out.append(f"#define KV_POWF32_LOG_C {c_floats(coeffs)}")
    # exp: p = ki ln2/16 + r, e^p = 2^(ki >> 4) 2^(j/16) e^r with j = ki & 15; 2^(j/16) = t e^tau exactly
    n = POWF_EXP_N
    ln2n = LN2 / n
    c1 = D(f32(ln2n))
    out += [f"#define KV_POWF32_INVLN2N {c_float(n / LN2)}", f"#define KV_POWF32_LN2N_HI {c_float(c1)}",
            f"#define KV_POWF32_LN2N_LO {c_float(ln2n - c1)}"]
    tj, tau = [], []
    for j in range(n):
        v = (LN2 * j / n).exp()
        t = f32(v)
        tj.append(f32_from_bits(f32_bits(t) - (j << 19)))
        tau.append((v / D(t)).ln())
    out += ["/* per j: bits(t) - (j << 19) and tau, with 2^(j/16) = t e^tau, t a float */",
            f"#define KV_POWF32_EXP_TJ {c_floats(tj)}", f"#define KV_POWF32_EXP_TAU {c_floats(tau)}"]
    rx = ln2n / 2 * D("1.001")
    coeffs, err = fit_within(exp_tail, -rx, rx, 3, rx * rx, D(2) ** -34)
    out.append(f"/* KV_POWF32_EXP_P: e^r = 1 + r + r^2 P(r) for |r| <= {float(rx):.6g}, max error of P {float(err):.3g} */")
    out.append(f"#define KV_POWF32_EXP_P {c_floats(coeffs)}")
    return out


def main():
    only = sys.argv[1:]
    if not only:
        print(HEADER)
    if not only or "constants" in only:
        print("\n".join(constants()))
    for name, ctype, f, lo, hi, powers, weight in TABLES:
        if only and name not in only:
            continue
        coeffs, err = remez(f, lo, hi, list(powers), weight)
        fmt = c_double if ctype == "double" else c_float
        print(f"/* {name}: max weighted error {float(err):.3g} */")
        print(f"#define {name} {{ {', '.join(fmt(c) for c in coeffs)} }}")
    if not only or any(n.startswith("KV_ERFC") for n in only):
        for name, ctype, coeffs, err, centre in erfc_tables():
            print(f"/* {name}: centre {centre}, max relative error {float(err):.3g} */")
            print(f"#define {name}_CENTRE {c_double(centre)}")
            print(f"#define {name} {{ {', '.join(c_double(c) for c in coeffs)} }}")
    if not only or "pow" in only:
        print("\n".join(pow_tables()))
    if not only or "pow128" in only:
        print("\n".join(pow128_tables()))
    if not only or "tanhf" in only:
        print("\n".join(tanhf_table()))
    if not only or "powf" in only:
        print("\n".join(powf_tables()))
    if not only:
        print("\n#endif /* KILN_VMATH_COEFFS_H */")


if __name__ == "__main__":
    main()
