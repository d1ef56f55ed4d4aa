"""Inputs and references for the vectorised math (tests/runtime/vmath.c, resources/c/kiln_vmath.h).

  python3 vmath_ref.py inputs SEED COUNT     prints "FUNC DTYPE X [Y]" lines: special values, then COUNT random inputs
                                             per function and dtype over the ranges that matter
  python3 vmath_ref.py check SEED COUNT [CACHE] < results
                                             recomputes the inputs, compares each result (one %a per line, then
                                             "mismatches N") with a reference computed with the decimal module at 50
                                             digits, and with NumPy on special values; prints a JSON report: the max
                                             ULP error per function and dtype, and every failure; the
                                             references are kept in the file CACHE for the next check

ULP: |got - exact| / ulp(exact) in the result's format (subnormals: the smallest subnormal). Special inputs must give
NumPy's class of result exactly (NaN, +-inf, +-0) and finite results within the bound.
"""
import json
import math
import os
import random
import struct
import sys
from decimal import Decimal as D, getcontext, localcontext

import numpy as np

FUNCS = ["exp", "log", "sin", "cos", "tanh", "erf", "sqrt", "power"]
# The documented bounds (docs/design/numpy-kernels.md), in ULPs.
BOUNDS = {
    ("exp", "float64"): 1.0, ("log", "float64"): 1.0, ("sin", "float64"): 1.0, ("cos", "float64"): 1.0,
    ("tanh", "float64"): 1.5, ("erf", "float64"): 1.5, ("sqrt", "float64"): 0.5, ("power", "float64"): 1.0,
    ("exp", "float32"): 1.0, ("log", "float32"): 1.0, ("sin", "float32"): 1.0, ("cos", "float32"): 1.0,
    ("tanh", "float32"): 1.5, ("erf", "float32"): 0.6, ("sqrt", "float32"): 0.5, ("power", "float32"): 0.6,
}

getcontext().prec = 50


def f32(v):
    return struct.unpack("<f", struct.pack("<f", v))[0]


_PI = None


def pi():
    global _PI
    if _PI is None:
        with localcontext() as c:
            c.prec = 400

            def atan_inv(n):
                x = D(1) / n
                x2, term, total, k = x * x, x, x, 1
                while abs(term) > D(10) ** -410:
                    term *= -x2
                    total += term / (2 * k + 1)
                    k += 1
                return total

            _PI = 16 * atan_inv(5) - 4 * atan_inv(239)
    return _PI


def d_sin_cos(x, cos):
    """sin or cos of a double exactly enough: reduce modulo 2 pi at 400 digits, then Taylor at 50."""
    with localcontext() as c:
        c.prec = 400
        xr = D(x) % (2 * pi())
    xr = +xr
    if cos:
        term, total, k = D(1), D(1), 1
        while abs(term) > D(10) ** -55:
            term *= -xr * xr / ((2 * k - 1) * (2 * k))
            total += term
            k += 1
        return total
    term, total, k = xr, xr, 1
    while abs(term) > D(10) ** -55:
        term *= -xr * xr / ((2 * k) * (2 * k + 1))
        total += term
        k += 1
    return total


def d_erf(x):
    x = D(x)
    if abs(x) > 7:
        return D(1) if x > 0 else D(-1)
    with localcontext() as c:
        c.prec = 90
        term, total, k = x, x, 0
        while abs(term) > D(10) ** -80 or k < 5:
            k += 1
            term *= -x * x / k
            total += term / (2 * k + 1)
        return +(total * 2 / pi().sqrt())


def reference(fn, x, y):
    """The exact value as a Decimal, or a float for special results (inf, nan, signed zero)."""
    if fn == "exp":
        if x > 1000:
            return math.inf
        if x < -1100:
            return 0.0
        return D(x).exp()
    if fn == "log":
        if x < 0:
            return math.nan
        if x == 0:
            return -math.inf
        return D(x).ln()
    if fn in ("sin", "cos"):
        if x == 0:
            return x if fn == "sin" else D(1)
        return d_sin_cos(x, fn == "cos")
    if fn == "tanh":
        if x == 0:
            return x
        if abs(x) > 40:
            return D(1).copy_sign(D(x))
        if abs(x) < 1e-6:
            xd = D(x)
            return xd - xd ** 3 / 3 + 2 * xd ** 5 / 15
        e = (2 * D(x)).exp()
        return (e - 1) / (e + 1)
    if fn == "erf":
        if x == 0:
            return x
        return d_erf(x)
    if fn == "sqrt":
        if x < 0:
            return math.nan
        return D(x).sqrt()
    # power, finite positive x and finite y only (the rest are special cases checked against NumPy)
    with localcontext() as c:
        c.prec = 60
        v = D(y) * D(x).ln()
        if v > 800:
            return math.inf
        if v < -800:
            return 0.0
        return +(v.exp())


def ulp(exact, dtype):
    a = abs(exact)
    if dtype == "float64":
        if a < D(2) ** -1022:
            return D(2) ** -1074
        e2 = math.floor(math.log2(float(a))) if float(a) not in (0.0, math.inf) else -1074
        while D(2) ** e2 > a:
            e2 -= 1
        while D(2) ** (e2 + 1) <= a:
            e2 += 1
        return D(2) ** (e2 - 52)
    if a < D(2) ** -126:
        return D(2) ** -149
    e2 = math.floor(math.log2(float(a)))
    while D(2) ** e2 > a:
        e2 -= 1
    while D(2) ** (e2 + 1) <= a:
        e2 += 1
    return D(2) ** (e2 - 23)


def special_values(dtype):
    big = 3.4e38 if dtype == "float32" else 1.7976931348623157e308
    tiny = 1.4e-45 if dtype == "float32" else 5e-324
    vals = [0.0, -0.0, math.inf, -math.inf, math.nan, 1.0, -1.0, 0.5, -0.5, 2.0, -2.0, 3.0, -3.0, big, -big, tiny, -tiny,
            1e-30, -1e-30, 88.72, 88.73, -87.3, -103.9, -104, 709.78, 709.79, -708.4, -745.13, -745.14, 1e-310, 20.0,
            -20.0, 6.0, 5.9, -5.9, 1e5, 1e6, 1e7, 1e22, 3.141592653589793, 1.5707963267948966, 1e300, -1e300]
    if dtype == "float32":
        vals = [f32(v) if abs(v) < 3.5e38 else v for v in vals]
    return vals


def make_inputs(seed, count):
    rng = random.Random(seed)
    lines = []
    for dtype in ("float64", "float32"):
        cast = f32 if dtype == "float32" else float
        specials = special_values(dtype)
        for fn in FUNCS:
            if fn == "power":
                ys = [0.0, -0.0, 1.0, -1.0, 2.0, 3.0, -3.0, 0.5, -0.5, 2.5, math.inf, -math.inf, math.nan, 1e10, -1e10, 1024.0]
                for x in specials[:24]:
                    for yv in ys:
                        lines.append((fn, dtype, x, cast(yv)))
                # results near the ends of float32's normal range (where float32's float path hands over to the
                # float64 one) and subnormal; x near 1 with |y log x| about 80 (float32's hardest case measured)
                for x, yv in ((2.0, 125.4), (2.0, 125.6), (2.0, 127.9), (0.5, -127.9), (2.0, -125.4), (2.0, -125.9),
                              (2.0, -126.0), (2.0, -126.5), (2.0, -149.0), (2.0, -149.6), (3.0, -79.2), (3.0, 79.2),
                              (1.0001, 870000.0), (0.9999, -870000.0), (1.0117, 7400.0), (0.98901397, -7147.526)):
                    lines.append((fn, dtype, cast(x), cast(yv)))
            else:
                lines += [(fn, dtype, v, None) for v in specials]
            for _ in range(count):
                lines.append((fn, dtype) + random_input(rng, fn, dtype))
    return lines


def random_input(rng, fn, dtype):
    cast = f32 if dtype == "float32" else float
    is32 = dtype == "float32"
    kind = rng.random()
    if fn == "exp":
        lim = 88.0 if is32 else 709.0
        x = rng.uniform(-1, 1) if kind < 0.3 else rng.uniform(-lim - (15 if is32 else 36), lim)
    elif fn == "log":
        x = rng.uniform(0.5, 2) if kind < 0.3 else 2.0 ** rng.uniform(-140 if is32 else -1070, 127 if is32 else 1023)
    elif fn in ("sin", "cos"):
        if kind < 0.4:
            x = rng.uniform(-4, 4)
        elif kind < 0.8:
            x = rng.uniform(-1e4, 1e4) if is32 else rng.uniform(-1e6, 1e6)
        elif kind < 0.9:  # near multiples of pi/2, where the reduction cancels
            x = round(rng.uniform(-2000, 2000)) * math.pi / 2
        else:
            x = rng.choice([-1, 1]) * 10.0 ** rng.uniform(6, 30)
    elif fn == "tanh":
        x = rng.uniform(-1, 1) * (10.0 ** rng.uniform(-8, 1.3))
    elif fn == "erf":
        x = rng.uniform(-6.5, 6.5) if kind < 0.8 else rng.uniform(-1, 1) * 10.0 ** rng.uniform(-10, 0)
    elif fn == "sqrt":
        x = 2.0 ** rng.uniform(-140 if is32 else -1070, 127 if is32 else 1023)
    else:
        x = 2.0 ** rng.uniform(-20, 20) if kind < 0.7 else rng.uniform(0, 3)
        y = rng.uniform(-30, 30) if kind < 0.7 else rng.uniform(-200, 200)
        if is32 and abs(y * math.log(max(x, 1e-30))) > 80:
            y = y / 4
        if 0.6 <= kind < 0.7:  # x near 1 with |y| large: |y log x| up to 705 (where log's error is multiplied most)
            x = 1 + rng.uniform(-1, 1) * 2.0 ** rng.uniform(-20 if is32 else -45, -3)
            y = rng.choice([-1, 1]) * rng.uniform(0, 80 if is32 else 705) / abs(math.log(x))
        if kind > 0.9:  # negative x with an integer power
            x, y = -x, float(round(y))
        return cast(x), cast(y)
    return cast(x), None


def np_value(fn, dtype, x, y):
    with np.errstate(all="ignore"):
        a = np.array([x], dtype=dtype)
        if fn == "power":
            return float(np.power(a, np.array([y], dtype=dtype))[0])
        if fn == "erf":
            return None  # NumPy has no erf (scipy.special.erf): the decimal reference decides
        return float(getattr(np, fn)(a)[0])


def classify(v):
    if v != v:
        return "nan"
    if v in (math.inf, -math.inf):
        return "+inf" if v > 0 else "-inf"
    if v == 0:
        return "-0" if math.copysign(1, v) < 0 else "+0"
    return "finite"


def expected(lines):
    """For each input: NumPy's value (for special inputs and a sample of the others, else None) and the exact value
    (a Decimal, or a float where it is special: inf, nan, signed zero)."""
    out, nspecial = [], {}
    for fn, dtype, x, y in lines:
        key = (fn, dtype)
        special_input = not math.isfinite(x) or (fn == "power" and not (x > 0 and math.isfinite(y)))
        npv = np_value(fn, dtype, x, y) if (special_input or nspecial.get(key, 0) < 60) else None
        nspecial[key] = nspecial.get(key, 0) + 1
        if fn == "power" and x < 0 and math.isfinite(x) and math.isfinite(y) and y == int(y):
            mag = reference(fn, -x, y)
            odd = int(y) % 2 == 1
            ref = (-mag if odd else mag) if not isinstance(mag, float) else math.copysign(mag, -1.0 if odd else 1.0)
        elif special_input:
            ref = npv if npv is not None else (math.nan if x != x else math.copysign(1.0, x))  # erf(+-inf) = +-1
        else:
            ref = reference(fn, x, y)
        out.append((npv, ref))
    return out


def load_expected(lines, cache):
    """expected(lines), kept in a JSON file between runs for the same inputs (the decimal references are slow)."""
    if cache and os.path.exists(cache):
        with open(cache) as f:
            raw = json.load(f)
        return [(None if n is None else float.fromhex(n), D(r[1]) if r[0] == "d" else float.fromhex(r[1])) for n, r in raw]
    exp = expected(lines)
    if cache:
        raw = [(None if n is None else float(n).hex(), ("d", str(r)) if isinstance(r, D) else ("f", float(r).hex())) for n, r in exp]
        with open(cache + ".tmp", "w") as f:
            json.dump(raw, f)
        os.replace(cache + ".tmp", cache)
    return exp


def check(seed, count, results, cache=None):
    lines = make_inputs(seed, count)
    out = [l for l in results.split("\n") if l.strip()]
    tail = out[-1] if out else ""
    out = out[:-1]
    report = {"max_ulp": {}, "failures": [], "mismatches": tail}
    if len(out) != len(lines):
        report["failures"].append(f"{len(out)} results for {len(lines)} inputs")
        return report
    if tail != "mismatches 0":
        report["failures"].append(f"array, in-place and one-value results differ: {tail}")
    for (fn, dtype, x, y), text, (npv, ref) in zip(lines, out, load_expected(lines, cache)):
        got = float.fromhex(text)
        if dtype == "float32":
            got = f32(got)
        key = f"{fn} {dtype}"
        bound = BOUNDS[(fn, dtype)]
        where = f"{fn} {dtype} {x!r}" + ("" if y is None else f" {y!r}")
        if npv is not None and classify(npv) != "finite" or isinstance(ref, float):
            want = npv if npv is not None else ref
            # NumPy's class for specials; a finite NumPy value next to a zero/inf reference is judged by the bound
            if classify(got) != classify(want) and not (classify(want) == "finite" and not isinstance(ref, float)):
                report["failures"].append(f"{where}: got {got!r}, NumPy {want!r}")
                continue
            if classify(want) != "finite":
                continue
        if isinstance(ref, float):
            ref = D(ref)
        if classify(got) != "finite" and got != 0:
            # a finite exact value given as inf: only right when it rounds to inf in this format
            limit = D("3.4028235677973366e38") if dtype == "float32" else D("1.7976931348623158e308")
            if not (abs(ref) >= limit and classify(got) == ("+inf" if ref > 0 else "-inf")):
                report["failures"].append(f"{where}: got {got!r}, exact {float(ref)!r}")
            continue
        err = float(abs(D(got) - ref) / ulp(ref, dtype)) if ref != 0 else (0.0 if got == 0 else math.inf)
        if err > report["max_ulp"].get(key, (0, None))[0]:
            report["max_ulp"][key] = (err, f"{x!r}" + ("" if y is None else f", {y!r}"))
        if err > bound:
            report["failures"].append(f"{where}: {err:.3f} ULP > {bound} (got {got!r}, exact {float(ref)!r})")
    return report


def main():
    mode, seed, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    if mode == "inputs":
        for fn, dtype, x, y in make_inputs(seed, count):
            print(fn, dtype, float(x).hex(), "" if y is None else float(y).hex())
    else:
        cache = sys.argv[4] if len(sys.argv) > 4 else None
        print(json.dumps(check(seed, count, sys.stdin.read(), cache), indent=1))


main()
