/* Hand-written C reference for bench/kernels/pairwise.py, in Kiln's calling convention. */
#include <math.h>
#include "kiln_abi.h"

int ref_pairwise(kiln_array_float64 p, kiln_array_float64 *out) {
  int64_t n = p.shape[0], d = p.shape[1];
  if (!ref_contiguous2(p.shape, p.strides)) return 1;
  double *o = ref_result_f64(out, n, n, 2, 0);
  if (!o) return 1;
  const double *P = p.data;
  for (int64_t i = 0; i < n; i++)
    for (int64_t j = 0; j < n; j++) {
      double s = 0.0;
      for (int64_t k = 0; k < d; k++) {
        double t = P[i * d + k] - P[j * d + k];
        s += t * t;
      }
      o[i * n + j] = sqrt(s);
    }
  return 0;
}
