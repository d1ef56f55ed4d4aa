"""Kiln's exported package against NumPy, call by call in one process (run by bench/numpy/run.ts).

  compare.py PACKAGE_DIR SOURCE_DIR PAIRS
PACKAGE_DIR holds the package `kernels` that `kiln export bench/numpy/kernels.py` wrote; SOURCE_DIR holds kernels.py
itself, imported as the module `kernels_py` and run by CPython with NumPy (the `kiln` decorator is a no-op there).
Each case runs PAIRS pairs, one Kiln call and one NumPy call in alternating order, timed in this thread's CPU time (Kiln single-threaded too: KILN_NUM_THREADS=1)
(NumPy single-threaded: OPENBLAS_NUM_THREADS=1, set by run.ts); prints "case kiln_ms numpy_ms max_ulps backend" with
the medians, the largest difference between the two results in units of the last place, and how the package called
the function ("extension": its CPython extension, "ctypes": its ctypes function; KILN_PYTHON_BACKEND=ctypes forces it).
"""
import importlib.util
import statistics
import sys
import time

import numpy as np


def load(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def max_ulps(a, b):
    a, b = np.asarray(a, dtype=np.float64).ravel(), np.asarray(b, dtype=np.float64).ravel()
    ia, ib = a.view(np.int64), b.view(np.int64)
    # Monotone integers of the floats (negative floats reversed), so a difference counts the floats between.
    ia = np.where(ia < 0, np.int64(-(2**63)) - ia, ia)
    ib = np.where(ib < 0, np.int64(-(2**63)) - ib, ib)
    return int(np.max(np.abs(ia - ib))) if a.size else 0


def main():
    pkg_dir, src_dir, pairs = sys.argv[1], sys.argv[2], int(sys.argv[3])
    sys.path.insert(0, pkg_dir)
    import kernels as kiln  # the exported package

    sys.path.insert(0, src_dir.rstrip("/") + "/../../resources/python")  # the no-op `kiln` decorator
    ref = load("kernels_py", f"{src_dir}/kernels.py")
    rng = np.random.default_rng(20)
    x6, y6 = rng.random(10**6) * 10 - 5, rng.random(10**6) * 10 - 5
    pos6 = rng.random(10**6) * 100 + 1e-3
    cases = [
        ("a @ b, 64x64", "matmul", (rng.random((64, 64)), rng.random((64, 64)))),
        ("a @ b, 256x256", "matmul", (rng.random((256, 256)), rng.random((256, 256)))),
        ("a @ b, 512x512", "matmul", (rng.random((512, 512)), rng.random((512, 512)))),
        ("np.exp, 1e6", "exp", (x6,)),
        ("np.sin, 1e6", "sin", (x6,)),
        ("np.log, 1e6", "log", (pos6,)),
        ("np.tanh, 1e6", "tanh", (x6,)),
        ("sqrt(x*x+y*y)*0.5 + sin(x)*cos(y), 1e6", "wave", (x6, y6)),
        ("softmax, 1000", "softmax", (x6[:1000].copy(),)),
        # Small arrays: what a call costs beside the work (the package's argument and result handling against NumPy's ufunc dispatch).
        ("np.exp, 10", "exp", (x6[:10].copy(),)),
        ("np.exp, 100", "exp", (x6[:100].copy(),)),
        ("softmax, 100", "softmax", (x6[:100].copy(),)),
        ("sqrt(x*x+y*y)*0.5 + sin(x)*cos(y), 100", "wave", (x6[:100].copy(), y6[:100].copy())),
    ]
    only = sys.argv[4].split(",") if len(sys.argv) > 4 else None
    for label, fn, args in cases:
        if only and fn not in only:
            continue
        k, n = getattr(kiln, fn), getattr(ref, fn)
        rk, rn = k(*args), n(*args)
        big = args[0].size >= 10**5 or args[0].ndim == 2 and args[0].shape[0] >= 256
        reps = 1 if big else 2000 if args[0].size <= 100 else 200 if args[0].size <= 1000 else 20
        p = max(3, pairs // 4) if big and args[0].ndim == 2 and args[0].shape[0] >= 512 else pairs
        tk, tn = [], []
        for i in range(p):
            for side in ((0, 1) if i % 2 == 0 else (1, 0)):
                f = k if side == 0 else n
                t0 = time.thread_time()
                for _ in range(reps):
                    f(*args)
                (tk if side == 0 else tn).append((time.thread_time() - t0) / reps)
        print(f"{label}\t{statistics.median(tk) * 1e3:.6f}\t{statistics.median(tn) * 1e3:.6f}\t{max_ulps(rk, rn)}\t{kiln.__kiln_backend__[fn]}", flush=True)


if __name__ == "__main__":
    main()
