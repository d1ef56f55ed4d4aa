/*
 * NumPy's float sums (kr_sum1 / kr_sum3 in resources/c/kiln_arrays.h) on arrays the test regenerates in Python:
 * tests/runtime/sum.test.ts compares every line with np.sum, bit for bit.
 *
 *   sum SEED N...   for each N: "N" then np.sum of an N-item float64 array, of the same array read with stride 3, of it
 *                   as a C-contiguous 2-D array (rows of 7 when 7 divides N), then the same three for float32 (%a)
 */
#include <stdio.h>
#include "kiln_runtime.h"

static uint64_t rng_state;
static uint64_t next_u64(void) {
  uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

int main(int argc, char **argv) {
  if (argc < 3) { fprintf(stderr, "usage: sum SEED N...\n"); return 2; }
  for (int a = 2; a < argc; a++) {
    int64_t n = atoll(argv[a]);
    rng_state = strtoull(argv[1], NULL, 10) + (uint64_t)n;
    double *x = (double *)malloc((size_t)(3 * n + 1) * sizeof(double));
    float *xf = (float *)malloc((size_t)(3 * n + 1) * sizeof(float));
    for (int64_t i = 0; i < 3 * n; i++) {
      uint64_t u = next_u64();
      x[i] = ldexp((double)(u >> 11) * 0x1p-53 * 2.0 - 1.0, (int)(u & 31) - 16);
      xf[i] = (float)x[i];
    }
    int64_t rows = n % 7 == 0 ? n / 7 : 1, cols = n % 7 == 0 ? 7 : n;
    int64_t s3[3] = { 1, rows, cols }, st3[3] = { 0, cols, 1 };
    printf("%lld %a %a %a %a %a %a\n", (long long)n, kr_sum1_f64(x, n, 1), kr_sum1_f64(x, n, 3), kr_sum3_f64(x, s3, st3),
           (double)kr_sum1_f32(xf, n, 1), (double)kr_sum1_f32(xf, n, 3), (double)kr_sum3_f32(xf, s3, st3));
    free(x);
    free(xf);
  }
  return 0;
}
