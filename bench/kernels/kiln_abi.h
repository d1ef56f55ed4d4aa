/* Kiln's array ABI for the hand-written C references of the array kernels (the same structs as the header
   `kiln compile --emit c` generates): data points at element [0, 0, 0]; shape and strides (in elements) are
   read for k < ndim. An array result is a malloc'd C-contiguous buffer the caller releases (kiln_free). The
   references below assume C-contiguous inputs (what the suite passes) and return 1 otherwise. */
#ifndef KILN_BENCH_ABI_H
#define KILN_BENCH_ABI_H
#include <stdint.h>
#include <stdbool.h>
#include <stdlib.h>
#ifndef KILN_ABI_ARRAY_TYPES
#define KILN_ABI_ARRAY_TYPES
typedef struct { double *data; int64_t shape[3]; int64_t strides[3]; } kiln_array_float64;
typedef struct { int64_t *data; int64_t shape[3]; int64_t strides[3]; } kiln_array_int64;
#endif

static inline int ref_contiguous1(const int64_t *shape, const int64_t *strides) { return shape[0] <= 1 || strides[0] == 1; }
static inline int ref_contiguous2(const int64_t *shape, const int64_t *strides) {
  return (shape[1] <= 1 || strides[1] == 1) && (shape[0] <= 1 || strides[0] == shape[1]);
}
/* A C-contiguous result array of the given shape (1 or 2 dimensions), zero-filled when zero != 0. */
static inline double *ref_result_f64(kiln_array_float64 *out, int64_t n, int64_t m, int nd, int zero) {
  size_t count = (size_t)(n * m > 0 ? n * m : 1);
  double *p = zero ? (double *)calloc(count, sizeof(double)) : (double *)malloc(count * sizeof(double));
  out->data = p;
  out->shape[0] = n; out->shape[1] = nd == 2 ? m : 1; out->shape[2] = 1;
  out->strides[0] = nd == 2 ? m : 1; out->strides[1] = 1; out->strides[2] = 0;
  return p;
}
#endif
