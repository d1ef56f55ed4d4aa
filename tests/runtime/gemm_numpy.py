"""Compares the output of `gemm emit SEED CASES` (tests/runtime/gemm.c) with NumPy's matmul of the same inputs.

The inputs are regenerated here with the driver's generator (splitmix64, the same draws in the same order).
Integers must be equal (NumPy's integer matmul wraps too); floats within 2 * gamma_k * (|A| @ |B|) of NumPy's,
since each is within gamma_k of the exact product (NumPy's BLAS adds in an order of its own).
Usage: python3 gemm_numpy.py SEED CASES < emitted.txt; prints "ok N cases" or the differences, one per line.
"""
import sys
import numpy as np

MASK = (1 << 64) - 1
DTYPES = ["float64", "float32", "int64", "uint64", "int32", "uint32"]


class SplitMix:
    def __init__(self, seed):
        self.state = seed & MASK

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)

    def below(self, n):
        return self.next() % n


def value(rng, dtype):
    x = rng.next()
    if dtype == "float64":
        return (x >> 11) * 2.0**-53 * 2.0 - 1.0
    if dtype == "float32":
        return np.float32((x >> 40) * 2.0**-24 * 2.0 - 1.0)
    if dtype == "int64":
        return x - (1 << 64) if x >= 1 << 63 else x
    if dtype == "uint64":
        return x
    hi = x >> 32
    if dtype == "int32":
        return hi - (1 << 32) if hi >= 1 << 31 else hi
    return hi


def main():
    seed, cases = int(sys.argv[1]), int(sys.argv[2])
    lines = sys.stdin.read().split("\n")
    pos = 0
    problems = []
    for ci in range(cases):
        rng = SplitMix(seed + ci)
        dtype = DTYPES[rng.below(6)]
        m, n, k = rng.below(12), rng.below(12), rng.below(40)
        if ci % 5 == 1:
            m = 1
        if ci % 5 == 2:
            n = 1
        a = np.array([[value(rng, dtype) for _ in range(k)] for _ in range(m)], dtype=dtype).reshape(m, k)
        b = np.array([[value(rng, dtype) for _ in range(n)] for _ in range(k)], dtype=dtype).reshape(k, n)
        want = np.matmul(a, b)
        header = lines[pos].split()
        pos += 1
        if header != ["case", dtype, str(m), str(n), str(k)]:
            problems.append(f"case {ci}: header {header}, expected {dtype} {m} {n} {k}")
            break
        rows = [lines[pos + i].split() for i in range(m)]
        pos += m
        if dtype.startswith("float"):
            got = np.array([[float.fromhex(v) for v in r] for r in rows], dtype=np.float64).reshape(m, n)
            u = 2.0**-53 if dtype == "float64" else 2.0**-24
            gamma = k * u / (1 - k * u)
            absab = np.abs(a.astype(np.float64)) @ np.abs(b.astype(np.float64))
            err = np.abs(got - want.astype(np.float64))
            bad = err > 2 * gamma * absab * (1 + 2.0**-30)
            if bad.any():
                i, j = np.argwhere(bad)[0]
                problems.append(f"case {ci} {dtype} {m}x{k}@{k}x{n}: C[{i},{j}] = {got[i, j]!r}, NumPy {want[i, j]!r}")
        else:
            got = np.array([[int(v) for v in r] for r in rows], dtype=object).reshape(m, n)
            if not (got == want.astype(object)).all():
                i, j = np.argwhere(got != want.astype(object))[0]
                problems.append(f"case {ci} {dtype} {m}x{k}@{k}x{n}: C[{i},{j}] = {got[i, j]}, NumPy {want[i, j]}")
    print("\n".join(problems) if problems else f"ok {cases} cases")


main()
