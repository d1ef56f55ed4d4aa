/* Hand-written C reference for bench/kernels/matmul.py (i-p-j loops), in Kiln's calling convention. */
#include "kiln_abi.h"

int ref_matmul(kiln_array_float64 a, kiln_array_float64 b, kiln_array_float64 *out) {
  int64_t n = a.shape[0], k = a.shape[1], m = b.shape[1];
  if (b.shape[0] < k || !ref_contiguous2(a.shape, a.strides) || !ref_contiguous2(b.shape, b.strides)) return 1;
  double *c = ref_result_f64(out, n, m, 2, 1);
  if (!c) return 1;
  const double *A = a.data, *B = b.data;
  for (int64_t i = 0; i < n; i++)
    for (int64_t p = 0; p < k; p++) {
      double aip = A[i * k + p];
      double *ci = c + i * m;
      const double *bp = B + p * m;
      for (int64_t j = 0; j < m; j++) ci[j] += aip * bp[j];
    }
  return 0;
}
