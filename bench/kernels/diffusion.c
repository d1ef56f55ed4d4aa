/* Hand-written C reference for bench/kernels/diffusion.py, in Kiln's calling convention. */
#include <string.h>
#include "kiln_abi.h"

int ref_diffusion(kiln_array_float64 u, int64_t steps, kiln_array_float64 *out) {
  int64_t n = u.shape[0], m = u.shape[1];
  if (!ref_contiguous2(u.shape, u.strides)) return 1;
  size_t bytes = (size_t)(n * m) * sizeof(double);
  double *a = ref_result_f64(out, n, m, 2, 0);
  double *b = (double *)malloc(bytes ? bytes : 1);
  if (!a || !b) { free(a); free(b); return 1; }
  memcpy(a, u.data, bytes);
  memcpy(b, u.data, bytes);
  for (int64_t s = 0; s < steps; s++) {
    for (int64_t i = 1; i < n - 1; i++)
      for (int64_t j = 1; j < m - 1; j++) {
        const double *r = a + i * m + j;
        b[i * m + j] = r[0] + 0.1 * (r[-m] + r[m] + r[-1] + r[1] - 4.0 * r[0]);
      }
    double *t = a; a = b; b = t;
  }
  out->data = a;
  free(b);
  return 0;
}
