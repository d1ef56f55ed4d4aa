/* Hand-written C reference for bench/kernels/histogram.py, in Kiln's calling convention. */
#include "kiln_abi.h"

int ref_histogram(kiln_array_float64 x, int64_t bins, kiln_array_int64 *out) {
  int64_t n = x.shape[0];
  if (bins < 0 || !ref_contiguous1(x.shape, x.strides)) return 1;
  int64_t *counts = (int64_t *)calloc((size_t)(bins > 0 ? bins : 1), sizeof(int64_t));
  if (!counts) return 1;
  const double *v = x.data;
  for (int64_t i = 0; i < n; i++)
    if (v[i] >= 0.0 && v[i] < 1.0) counts[(int64_t)(v[i] * (double)bins)]++;
  out->data = counts;
  out->shape[0] = bins; out->shape[1] = 1; out->shape[2] = 1;
  out->strides[0] = 1; out->strides[1] = 0; out->strides[2] = 0;
  return 0;
}
