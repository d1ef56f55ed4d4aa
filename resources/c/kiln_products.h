/*
 * Kiln runtime, what compiled `a @ b`, np.matmul, np.dot and np.einsum need around the GEMM (kiln_gemm.h): NumPy's
 * messages for shapes that do not fit, and the products of 8- and 16-bit integers (which NumPy accumulates in the
 * dtype itself, so that a 64-bit sum truncated at the end gives its bits). Included by generated code that uses a
 * product (src-compiler/types/ops/products.ts); design: docs/design/numpy-kernels.md, "What the compiler emits".
 *
 * Every kr_raise_* here returns -1 with ValueError and NumPy 2's message, built in kr_err.buffer (or the per-thread
 * heap buffer of kr_raise_copy for long ones).
 */
#ifndef KILN_PRODUCTS_H
#define KILN_PRODUCTS_H

#include "kiln_gemm.h"

/* A shape as NumPy's iterator prints a remapped one: negative entries are "newaxis", leading ones are left out,
   and a single entry keeps its comma only when the shape has one dimension in all. */
static char *kr_format_remapped(char *p, char *end, const int64_t *v, int n) {
  int i = 0;
  while (i < n && v[i] < 0) i++;
  if (i == n) return p + snprintf(p, (size_t)(end - p), "()");
  p += snprintf(p, (size_t)(end - p), "(%lld", (long long)v[i++]);
  for (; i < n && p < end; i++) p += v[i] < 0 ? snprintf(p, (size_t)(end - p), ",newaxis") : snprintf(p, (size_t)(end - p), ",%lld", (long long)v[i]);
  if (p < end) p += snprintf(p, (size_t)(end - p), n == 1 ? ",)" : ")");
  return p < end ? p : end - 1;
}

/* np.dot: "shapes (2,3) and (4,5) not aligned: 3 (dim 1) != 4 (dim 0)". */
static KILN_COLD int kr_raise_dot_aligned(const int64_t *a, int nda, const int64_t *b, int ndb) {
  char text[512], *p = text, *end = text + sizeof text;
  int ka = nda - 1, kb = ndb >= 2 ? ndb - 2 : 0;
  p += snprintf(p, (size_t)(end - p), "shapes ");
  p = kr_format_shape(p, end, a, nda);
  p += snprintf(p, (size_t)(end - p), " and ");
  p = kr_format_shape(p, end, b, ndb);
  p += snprintf(p, (size_t)(end - p), " not aligned: %lld (dim %d) != %lld (dim %d)", (long long)a[ka], ka, (long long)b[kb], kb);
  return kr_raise_copy(KILN_ValueError, text, strlen(text));
}

/* np.matmul's core dimension: operand 1's k differs from operand 0's. */
static KILN_COLD int kr_raise_matmul_core(int64_t k1, int64_t k0) {
  char text[256];
  snprintf(text, sizeof text, "matmul: Input operand 1 has a mismatch in its core dimension 0, with gufunc signature "
           "(n?,k),(k,m?)->(n?,m?) (size %lld is different from %lld)", (long long)k1, (long long)k0);
  return kr_raise_copy(KILN_ValueError, text, strlen(text));
}

/* np.matmul of two stacks whose batch sizes do not broadcast (3-D @ 3-D). */
static KILN_COLD int kr_raise_matmul_batch(const int64_t *a, const int64_t *b, int64_t n, int64_t m) {
  char text[512], *p = text, *end = text + sizeof text;
  int64_t ra[3] = {a[0], -1, -1}, rb[3] = {b[0], -1, -1};
  p += snprintf(p, (size_t)(end - p), "operands could not be broadcast together with remapped shapes [original->remapped]: ");
  p = kr_format_shape(p, end, a, 3);
  p += snprintf(p, (size_t)(end - p), "->");
  p = kr_format_remapped(p, end, ra, 3);
  p += snprintf(p, (size_t)(end - p), " ");
  p = kr_format_shape(p, end, b, 3);
  p += snprintf(p, (size_t)(end - p), "->");
  p = kr_format_remapped(p, end, rb, 3);
  snprintf(p, (size_t)(end - p), "  and requested shape (%lld,%lld)", (long long)n, (long long)m);
  return kr_raise_copy(KILN_ValueError, text, strlen(text));
}

/* np.einsum: the sizes one subscript letter has in two places do not broadcast. `remap[op][d]` is operand op's
   dimension for iteration dimension d (output letters, then summed ones), -1 where the operand lacks the letter. */
static KILN_COLD int kr_raise_einsum_broadcast(int nop, const int64_t *const *shapes, const int *ndims, const int *remap, int nd) {
  char text[768], *p = text, *end = text + sizeof text;
  p += snprintf(p, (size_t)(end - p), "operands could not be broadcast together with remapped shapes [original->remapped]: ");
  for (int op = 0; op < nop && p < end; op++) {
    int64_t v[8];
    for (int d = 0; d < nd; d++) v[d] = remap[op * nd + d] < 0 ? -1 : shapes[op][remap[op * nd + d]];
    p = kr_format_shape(p, end, shapes[op], ndims[op]);
    p += snprintf(p, (size_t)(end - p), "->");
    p = kr_format_remapped(p, end, v, nd);
    if (p < end) p += snprintf(p, (size_t)(end - p), " ");
  }
  return kr_raise_copy(KILN_ValueError, text, strlen(text));
}

/* np.einsum: a letter repeated in one operand ('ii') names dimensions of different sizes. */
static KILN_COLD int kr_raise_einsum_collapse(int op, char label, int64_t a, int64_t b) {
  snprintf(kr_err.buffer, sizeof kr_err.buffer, "dimensions in operand %d for collapsing index '%c' don't match (%lld != %lld)", op, label, (long long)a,
           (long long)b);
  return kr_raise(KILN_ValueError, kr_err.buffer);
}

/* C = A @ B for 8- and 16-bit integers (NumPy adds in the dtype: the low bits of a 64-bit wrapping sum), and the
   scalar product of two such vectors. Strides in elements, as kr_gemm_*. */
#define KR_SMALL_GEMM(NAME, T) \
  static int kr_gemm_small_##NAME(int64_t m, int64_t n, int64_t k, const T *a, int64_t rsa, int64_t csa, const T *b, int64_t rsb, \
                                   int64_t csb, T *c, int64_t rsc, int64_t csc) { \
    for (int64_t i = 0; i < m; i++) \
      for (int64_t j = 0; j < n; j++) { \
        uint64_t acc = 0; \
        for (int64_t p = 0; p < k; p++) acc += (uint64_t)(int64_t)a[i * rsa + p * csa] * (uint64_t)(int64_t)b[p * rsb + j * csb]; \
        c[i * rsc + j * csc] = (T)acc; \
      } \
    return 0; \
  } \
  static inline T kr_dot_small_##NAME(int64_t n, const T *x, int64_t incx, const T *y, int64_t incy) { \
    uint64_t acc = 0; \
    for (int64_t i = 0; i < n; i++) acc += (uint64_t)(int64_t)x[i * incx] * (uint64_t)(int64_t)y[i * incy]; \
    return (T)acc; \
  }
KR_SMALL_GEMM(i8, int8_t)
KR_SMALL_GEMM(u8, uint8_t)
KR_SMALL_GEMM(i16, int16_t)
KR_SMALL_GEMM(u16, uint16_t)
#undef KR_SMALL_GEMM

#endif /* KILN_PRODUCTS_H */
