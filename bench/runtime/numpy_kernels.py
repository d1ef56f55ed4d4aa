"""NumPy's side of bench/runtime/run.mjs: the same measurements as kernels.c, printed the same way.

  numpy_kernels.py gemm N DTYPE THREADS REPS   a @ b (THREADS 1: CPU time of this thread; else wall time; the BLAS
                                               thread count comes from OPENBLAS_NUM_THREADS, set by run.mjs)
  numpy_kernels.py vmath FUNC DTYPE N REPS     FUNC(x, out=y) (out= so that no page faults of a new array count)
"""
import sys
import time

import numpy as np


def report(name, times):
    times = sorted(times)
    print(f"{name} {times[0] * 1e3:.4f} {times[len(times) // 2] * 1e3:.4f}")


def main():
    mode = sys.argv[1]
    rng = np.random.default_rng(1)
    if mode == "gemm":
        n, dtype, threads, reps = int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
        a = rng.random((n, n)).astype(dtype)
        b = rng.random((n, n)).astype(dtype)
        c = np.empty((n, n), dtype=dtype)
        clock = time.thread_time if threads == 1 else time.perf_counter
        np.matmul(a, b, out=c)
        times = []
        for _ in range(reps):
            t0 = clock()
            np.matmul(a, b, out=c)
            times.append(clock() - t0)
        report(f"gemm_{n}_{dtype}_{threads}t", times)
    elif mode == "vmath":
        fn, dtype, n, reps = sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
        x = (rng.random(n) * 10 - 5).astype(dtype)
        p = np.abs(x)
        y = np.empty_like(x)
        f = {"erf": None}.get(fn, getattr(np, fn, None))
        if f is None:
            print(f"{fn}_{dtype} n/a n/a")
            return
        args = {"log": (p,), "sqrt": (p,), "power": (p, x)}.get(fn, (x,))
        f(*args, out=y)
        times = []
        for _ in range(reps):
            t0 = time.thread_time()
            f(*args, out=y)
            times.append(time.thread_time() - t0)
        report(f"{fn}_{dtype}", times)


main()
