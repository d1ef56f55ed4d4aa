/*
 * Kiln runtime: NumPy's array functions beyond element-wise arithmetic (manipulation, sorting and searching,
 * order statistics) and their messages. A feature header: generated code includes it when one of its ops needs
 * it (OpFacts.header), after kiln_runtime.h. Arrays are the per-call heap's (kiln_arrays.h): results are
 * allocated with kr_alloc and released when the exported call returns; nothing here frees.
 *
 * Errors: functions return 0, or raise (kr_raise) and return -1. NumPy's messages that carry numbers are built
 * in kr_np_msg, a per-thread buffer larger than kr_err.buffer (NumPy's concatenate message needs 170 bytes).
 */
#ifndef KILN_NDARRAY_H
#define KILN_NDARRAY_H

#include "kiln_runtime.h"

KR_STATE KILN_TLS char kr_np_msg[512];

/* ---- NumPy's messages ---- */

/* numpy.exceptions.AxisError: "axis 2 is out of bounds for array of dimension 2" (prefix: "axis1: " for swapaxes). */
static KILN_COLD int kr_raise_axis(const char *prefix, int64_t axis, int nd) {
  snprintf(kr_np_msg, sizeof kr_np_msg, "%saxis %lld is out of bounds for array of dimension %d", prefix, (long long)axis, nd);
  return kr_raise(KILN_AxisError, kr_np_msg);
}
/* NumPy's normalize_axis_index: -nd <= axis < nd, negative counting from the end. */
static inline int kr_axis_index(int64_t axis, int nd, const char *prefix, int64_t *out) {
  if (KILN_LIKELY(axis >= -(int64_t)nd && axis < nd)) { *out = axis < 0 ? axis + nd : axis; return 0; }
  return kr_raise_axis(prefix, axis, nd);
}

static KILN_COLD int kr_raise_concat_ndim(int nd0, int64_t i, int ndi) {
  snprintf(kr_np_msg, sizeof kr_np_msg, "all the input arrays must have same number of dimensions, but the array at index 0 has %d dimension(s) and the array at index %lld has %d dimension(s)", nd0, (long long)i, ndi);
  return kr_raise(KILN_ValueError, kr_np_msg);
}
static KILN_COLD int kr_raise_concat_size(int dim, int64_t size0, int64_t i, int64_t sizei) {
  snprintf(kr_np_msg, sizeof kr_np_msg, "all the input array dimensions except for the concatenation axis must match exactly, but along dimension %d, the array at index 0 has size %lld and the array at index %lld has size %lld",
    dim, (long long)size0, (long long)i, (long long)sizei);
  return kr_raise(KILN_ValueError, kr_np_msg);
}
/* np.concatenate's check of array i (ndim nd) against array 0 except along `axis`. */
static inline int kr_concat_check(const int64_t *shape0, const int64_t *shapei, int nd, int axis, int64_t i) {
  for (int d = 0; d < nd; d++)
    if (d != axis && shape0[d] != shapei[d]) return kr_raise_concat_size(d, shape0[d], i, shapei[d]);
  return 0;
}

/* A shape as NumPy prints it in messages, into p (at most `cap` bytes): "(3,)", "(2, 3)". */
static int kr_shape_text(char *p, size_t cap, const int64_t *shape, int nd) {
  int n = snprintf(p, cap, "(");
  for (int k = 0; k < nd && (size_t)n < cap; k++) n += snprintf(p + n, cap - (size_t)n, k ? ", %lld" : "%lld", (long long)shape[k]);
  if ((size_t)n < cap) n += snprintf(p + n, cap - (size_t)n, nd == 1 ? ",)" : ")");
  return n;
}

/*
 * np.broadcast_to(a, shape): the view of a (nda dims: shape a, strides sa; items of `itemsize` bytes) as the shape
 * `to` (nd >= nda dims, the caller refused fewer), stride 0 along each new or stretched axis, into out/os. NumPy's
 * ValueErrors, in its order.
 */
static int kr_broadcast_to(const int64_t *a, const int64_t *sa, int nda, const int64_t *to, int nd, int64_t itemsize, int64_t *out, int64_t *os) {
  for (int k = 0; k < nd; k++)
    if (to[k] < 0) return kr_raise(KILN_ValueError, "all elements of broadcast shape must be non-negative");
  /* NumPy's iterator's size (in order: it stays 0 after a 0), then the view's size in bytes (zeros left out). */
  int64_t size = 1, bytes = itemsize;
  for (int k = 0; k < nd; k++)
    if (__builtin_mul_overflow(size, to[k], &size)) return kr_raise(KILN_ValueError, "iterator is too large");
  for (int k = 0; k < nd; k++)
    if (to[k] && __builtin_mul_overflow(bytes, to[k], &bytes))
      return kr_raise(KILN_ValueError, "array is too big; `arr.size * arr.dtype.itemsize` is larger than the maximum possible size.");
  for (int k = 0; k < nd; k++) {
    int ia = nda - nd + k;
    out[k] = to[k];
    if (ia < 0) { os[k] = 0; continue; }
    if (a[ia] == to[k]) { os[k] = sa[ia]; continue; }
    if (a[ia] == 1) { os[k] = 0; continue; }
    char *p = kr_np_msg, *end = kr_np_msg + sizeof kr_np_msg;
    p += snprintf(p, (size_t)(end - p), "operands could not be broadcast together with remapped shapes [original->remapped]: ");
    p = kr_format_shape(p, end, a, nda);
    p += snprintf(p, (size_t)(end - p), "  and requested shape ");
    kr_format_shape(p, end, to, nd);
    return kr_raise(KILN_ValueError, kr_np_msg);
  }
  return 0;
}

/* A ufunc's out= array that the result does not broadcast into: "non-broadcastable output operand with shape
 * (3,) doesn't match the broadcast shape (2,3)" (NumPy prints these shapes without spaces). */
static KILN_COLD int kr_raise_out_shape(const int64_t *out, int ndo, const int64_t *res, int ndr) {
  char *b = kr_np_msg;
  int cap = (int)sizeof kr_np_msg, n = snprintf(b, cap, "non-broadcastable output operand with shape (");
  for (int k = 0; k < ndo && n < cap; k++) n += snprintf(b + n, cap - n, k ? ",%lld" : "%lld", (long long)out[k]);
  if (n < cap) n += snprintf(b + n, cap - n, ndo == 1 ? ",) doesn't match the broadcast shape (" : ") doesn't match the broadcast shape (");
  for (int k = 0; k < ndr && n < cap; k++) n += snprintf(b + n, cap - n, k ? ",%lld" : "%lld", (long long)res[k]);
  if (n < cap) snprintf(b + n, cap - n, ndr == 1 ? ",)" : ")");
  return kr_raise(KILN_ValueError, kr_np_msg);
}
/* A ufunc call with out= (and where=): its inputs, out and where must broadcast together (n shapes, nds[k] dims
 * each, 0 for a number), else NumPy's "operands could not be broadcast together with shapes (3,) (4,) (3,) ", every
 * operand listed. Checked before the ufunc runs, as NumPy does. */
static int kr_ufunc_operands(const int64_t *const *shapes, const int *nds, int n) {
  int nd = 0;
  for (int k = 0; k < n; k++) if (nds[k] > nd) nd = nds[k];
  for (int d = 0; d < nd; d++) {
    int64_t v = 1;
    for (int k = 0; k < n; k++) {
      int i = nds[k] - nd + d;
      int64_t x = i >= 0 ? shapes[k][i] : 1;
      if (x == 1) continue;
      if (v == 1) v = x;
      else if (v != x) {
        char *p = kr_np_msg, *end = kr_np_msg + sizeof kr_np_msg;
        p += snprintf(p, (size_t)(end - p), "operands could not be broadcast together with shapes ");
        for (int j = 0; j < n && p < end - 1; j++) {
          p = kr_format_shape(p, end, shapes[j], nds[j]);
          if (p < end - 1) p += snprintf(p, (size_t)(end - p), " ");
        }
        return kr_raise(KILN_ValueError, kr_np_msg);
      }
    }
  }
  return 0;
}
/* Whether an array of shape res (ndr dims) broadcasts into shape out (ndo dims) without changing it. */
static inline int kr_fits_into(const int64_t *res, int ndr, const int64_t *out, int ndo) {
  if (ndr > ndo) return 0;
  for (int k = 0; k < ndr; k++) if (res[k] != 1 && res[k] != out[ndo - ndr + k]) return 0;
  return 1;
}

/* np.repeat with a repeats sequence of another length than the axis. */
static KILN_COLD int kr_raise_repeat_shape(int64_t n, int64_t count) {
  snprintf(kr_np_msg, sizeof kr_np_msg, "operands could not be broadcast together with shape (%lld,) (%lld,)", (long long)n, (long long)count);
  return kr_raise(KILN_ValueError, kr_np_msg);
}
static KILN_COLD int kr_raise_pad_empty(int axis) {
  snprintf(kr_np_msg, sizeof kr_np_msg, "can't extend empty axis %d using modes other than 'constant' or 'empty'", axis);
  return kr_raise(KILN_ValueError, kr_np_msg);
}

/*
 * np.pad: where item i of a padded axis (i counted from the array's first item, so negative in the pad before it)
 * reads from, for an axis of n items. Returns 1 with the index in *j, or 0 for mode 0 (constant) outside the array.
 * Modes: 1 edge, 2 reflect (period 2(n-1), the edge not repeated), 3 symmetric (period 2n), 4 wrap (period n);
 * NumPy's results also where the pad is wider than the array (it pads in rounds; the result is periodic).
 */
static inline int kr_pad_index(int64_t i, int64_t n, int mode, int64_t *j) {
  if (KILN_LIKELY(i >= 0 && i < n)) { *j = i; return 1; }
  int64_t p, m;
  switch (mode) {
    case 1: *j = i < 0 ? 0 : n - 1; return 1;
    case 2:
      if (n == 1) { *j = 0; return 1; }
      p = 2 * (n - 1); m = ((i % p) + p) % p; *j = m < n ? m : p - m; return 1;
    case 3: p = 2 * n; m = ((i % p) + p) % p; *j = m < n ? m : p - 1 - m; return 1;
    case 4: *j = ((i % n) + n) % n; return 1;
    default: *j = 0; return 0;
  }
}

#endif /* KILN_NDARRAY_H */
