"""NumPy's a @ b at 64..512, float64, CPU time, best of 5 runs: the counterpart of gemm_sizes.c (run it with
OPENBLAS_NUM_THREADS=1 and OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE unset, as that file's comment says)."""
import time

import numpy as np

for n in (64, 128, 256, 512):
    rng = np.random.default_rng(n)
    a, b = rng.random((n, n)), rng.random((n, n))
    reps = 2000 if n <= 128 else 50 if n == 256 else 10
    best = 1e9
    for _ in range(5):
        t0 = time.thread_time()
        for _ in range(reps):
            a @ b
        best = min(best, (time.thread_time() - t0) / reps)
    print(f"{n}x{n}  {best * 1e3:.4f} ms  {2 * n**3 / best / 1e9:.1f} GFLOP/s")
