/* Hand-written C reference for bench/kernels/key_sort.py::plain_sort: the same steps as the Python (a.tolist()
   copies the array into a new list, sorted() makes another), then a stable bottom-up merge sort (runs of 16 by
   insertion, merges between two buffers). */
#include "kiln_abi.h"
#include <string.h>

int ref_plain_sort(kiln_array_float64 a, double *out) {
  int64_t n = a.shape[0];
  if (n < 1 || !ref_contiguous1(a.shape, a.strides)) return 1;
  double *list = (double *)malloc((size_t)n * sizeof(double));
  double *x = (double *)malloc((size_t)n * sizeof(double));
  double *tmp = (double *)malloc((size_t)n * sizeof(double));
  if (!list || !x || !tmp) return 1;
  memcpy(list, a.data, (size_t)n * sizeof(double));
  memcpy(x, list, (size_t)n * sizeof(double));
  for (int64_t lo = 0; lo < n; lo += 16) {
    int64_t hi = lo + 16 < n ? lo + 16 : n;
    for (int64_t i = lo + 1; i < hi; i++) { double v = x[i]; int64_t j = i; while (j > lo && v < x[j - 1]) { x[j] = x[j - 1]; j--; } x[j] = v; }
  }
  double *src = x, *dst = tmp;
  for (int64_t w = 16; w < n; w *= 2) {
    for (int64_t lo = 0; lo < n; lo += 2 * w) {
      int64_t mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n, i = lo, j = mid, o = lo;
      while (i < mid && j < hi) dst[o++] = src[j] < src[i] ? src[j++] : src[i++];
      while (i < mid) dst[o++] = src[i++];
      while (j < hi) dst[o++] = src[j++];
    }
    double *t = src; src = dst; dst = t;
  }
  *out = src[0] - src[n / 2] + src[n - 1];
  free(list); free(x); free(tmp);
  return 0;
}
