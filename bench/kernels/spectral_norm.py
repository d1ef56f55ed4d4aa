"""Spectral norm (the benchmarks-game kernel): power iteration on A^T A with A(i, j) = 1 / ((i+j)(i+j+1)/2 + i + 1).
Needs two vectors of length n, so it needs lists."""
import math
from kiln import compile


def eval_a(i: int, j: int) -> float:
    return 1.0 / ((i + j) * (i + j + 1) // 2 + i + 1)


@compile(tag="bench/spectral_norm", description="Spectral norm of the n x n matrix A.")
def spectral_norm(n: int) -> float:
    u = [1.0] * n
    v = [0.0] * n
    t = [0.0] * n
    for _ in range(10):
        for rep in range(2):
            src = u if rep == 0 else v
            dst = v if rep == 0 else u
            for i in range(n):
                s = 0.0
                for j in range(n):
                    s += eval_a(i, j) * src[j]
                t[i] = s
            for i in range(n):
                s = 0.0
                for j in range(n):
                    s += eval_a(j, i) * t[j]
                dst[i] = s
    vbv = 0.0
    vv = 0.0
    for i in range(n):
        vbv += u[i] * v[i]
        vv += v[i] * v[i]
    return math.sqrt(vbv / vv)
