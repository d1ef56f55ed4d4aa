"""Spectral norm (the benchmarks-game kernel): power iteration on A^T A with A(i, j) = 1 / ((i+j)(i+j+1)/2 + i + 1).
Works on lists of length n (list parameters are in-out, as in Python)."""
import math
from kiln import compile


def eval_a(i: int, j: int) -> float:
    return 1.0 / ((i + j) * (i + j + 1) // 2 + i + 1)


def mul_av(n: int, v: list, out: list) -> None:
    for i in range(n):
        s = 0.0
        for j in range(n):
            s += eval_a(i, j) * v[j]
        out[i] = s


def mul_atv(n: int, v: list, out: list) -> None:
    for i in range(n):
        s = 0.0
        for j in range(n):
            s += eval_a(j, i) * v[j]
        out[i] = s


@compile(tag="bench/spectral_norm", description="Spectral norm of the n x n matrix A.")
def spectral_norm(n: int) -> float:
    u = [1.0] * n
    v = [0.0] * n
    t = [0.0] * n
    for _ in range(10):
        mul_av(n, u, t)
        mul_atv(n, t, v)
        mul_av(n, v, t)
        mul_atv(n, t, u)
    vbv = 0.0
    vv = 0.0
    for i in range(n):
        vbv += u[i] * v[i]
        vv += v[i] * v[i]
    return math.sqrt(vbv / vv)
