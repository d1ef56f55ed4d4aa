/* Hand-written C reference for bench/kernels/dot.py, in Kiln's calling convention. */
#include "kiln_abi.h"

int ref_dot(kiln_array_float64 a, kiln_array_float64 b, double *out) {
  int64_t n = a.shape[0];
  if (b.shape[0] < n || !ref_contiguous1(a.shape, a.strides) || !ref_contiguous1(b.shape, b.strides)) return 1;
  const double *x = a.data, *y = b.data;
  double s = 0.0;
  for (int64_t i = 0; i < n; i++) s += x[i] * y[i];
  *out = s;
  return 0;
}
