"""Kiln's kernels and NumPy in one process, call by call (bench/runtime/paired.c, built by run.ts --paired).

  paired.py LIB gemm N DTYPE THREADS PAIRS      a @ b against kb_gemm
  paired.py LIB vmath FUNC DTYPE N PAIRS        FUNC(x, out=y) against kb_vmath
Prints "name kiln_ms numpy_ms": the medians over PAIRS pairs, each pair one Kiln call and one NumPy call in
alternating order; CPU time of this thread for one thread, wall time for more. The BLAS thread count comes from the
environment (run.ts sets OPENBLAS_NUM_THREADS).
"""
import ctypes
import statistics
import sys
import time

import numpy as np

FUNCS = ["exp", "log", "sin", "cos", "tanh", "erf", "sqrt", "power"]


def main():
    lib = ctypes.CDLL(sys.argv[1])
    mode = sys.argv[2]
    rng = np.random.default_rng(1)
    ptr = lambda a: a.ctypes.data_as(ctypes.c_void_p)
    if mode == "gemm":
        n, dtype, threads, pairs = int(sys.argv[3]), sys.argv[4], int(sys.argv[5]), int(sys.argv[6])
        a, b = rng.random((n, n)).astype(dtype), rng.random((n, n)).astype(dtype)
        c1, c2 = np.empty((n, n), dtype=dtype), np.empty((n, n), dtype=dtype)
        f32 = int(dtype == "float32")
        clock = time.thread_time if threads == 1 else time.perf_counter
        pa, pb, pc, nn = ptr(a), ptr(b), ptr(c1), ctypes.c_int64(n)  # made once: data_as costs microseconds
        kiln = lambda: lib.kb_gemm(f32, nn, pa, pb, pc, threads)
        numpy = lambda: np.matmul(a, b, out=c2)
        name = f"gemm_{n}_{dtype}_{threads}t"
    else:
        fn, dtype, n, pairs = sys.argv[3], sys.argv[4], int(sys.argv[5]), int(sys.argv[6])
        x = (rng.random(n) * 10 - 5).astype(dtype)
        p = np.abs(x)
        y1, y2 = np.empty_like(x), np.empty_like(x)
        arg = p if fn in ("log", "sqrt", "power") else x
        f = FUNCS.index(fn)
        clock = time.thread_time
        py, pa, px, nn, is32 = ptr(y1), ptr(arg), ptr(x), ctypes.c_int64(n), int(dtype == "float32")
        kiln = lambda: lib.kb_vmath(f, is32, py, pa, px, nn)
        npf = getattr(np, fn, None) if fn != "erf" else None
        numpy = (lambda: np.power(p, x, out=y2)) if fn == "power" else (lambda: npf(arg, out=y2)) if npf else None
        name = f"{fn}_{dtype}"
    kiln()
    if numpy:
        numpy()
    tk, tn = [], []
    for i in range(pairs):
        for side in ((0, 1) if i % 2 == 0 else (1, 0)):
            if side == 0:
                t0 = clock(); kiln(); tk.append(clock() - t0)
            elif numpy:
                t0 = clock(); numpy(); tn.append(clock() - t0)
    lib.kb_shutdown()
    med = lambda t: f"{statistics.median(t) * 1e3:.4f}" if t else "n/a"
    print(name, med(tk), med(tn))


main()
