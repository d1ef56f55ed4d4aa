/* Hand-written C reference for bench/kernels/diffusion.py, in Kiln's calling convention. */
#include <string.h>
#include "kiln_abi.h"

/* The scratch grid is kept between calls, as a C programmer would (and as Kiln's runtime keeps large buffers):
   with a fresh malloc for it on every call, glibc hands both 320 KB blocks back to the OS when they are freed
   and the next call faults them in again (1.6 ms a call instead of 0.12). Not thread-safe: a benchmark. */
static double *scratch;
static size_t scratch_bytes;

int ref_diffusion(kiln_array_float64 u, int64_t steps, kiln_array_float64 *out) {
  int64_t n = u.shape[0], m = u.shape[1];
  if (!ref_contiguous2(u.shape, u.strides)) return 1;
  size_t bytes = (size_t)(n * m) * sizeof(double);
  double *a = ref_result_f64(out, n, m, 2, 0);
  if (scratch_bytes < bytes) {
    free(scratch);
    scratch = (double *)malloc(bytes);
    scratch_bytes = scratch ? bytes : 0;
  }
  double *b = scratch;
  if (!a || (bytes && !b)) { free(a); return 1; }
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
  if (a == scratch) { /* the result ended in the scratch grid: hand that over, keep the other */
    scratch = b;
    scratch_bytes = bytes;
    out->data = a;
  }
  return 0;
}
