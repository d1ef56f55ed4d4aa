/*
 * Kiln runtime: NumPy's sorting and order statistics (np.sort, ndarray.sort, np.argsort(kind='stable'), np.median,
 * np.percentile). A feature header: generated code includes it when one of those ops is used (OpFacts.headers),
 * after kiln_runtime.h.
 *
 * Sorting is kiln_arrays.h's KILN_SORT_WITH (CPython's timsort: stable) with NumPy's order for floats: NaN after
 * every number, NaNs and equal numbers (-0.0 and 0.0 too) in their original order, which is NumPy's kind='stable'.
 * Instances: f64, f32, i64, i32 for values; *_arg for (value, index) pairs (argsort).
 * Errors: MemoryError (return -1) when the merge buffer cannot be had.
 */
#ifndef KILN_NPSORT_H
#define KILN_NPSORT_H

#include "kiln_runtime.h"

/* NumPy's float order: x before y when x < y, or x is a number and y is NaN. */
#define KR_NP_FLESS(x, y) ((x) < (y) || ((y) != (y) && (x) == (x)))
#define KR_NP_ILESS(x, y) ((x) < (y))
KILN_SORT_WITH(np_f64, double, KR_NP_FLESS)
KILN_SORT_WITH(np_f32, float, KR_NP_FLESS)
KILN_SORT_WITH(np_i64, int64_t, KR_NP_ILESS)
KILN_SORT_WITH(np_i32, int32_t, KR_NP_ILESS)

typedef struct { double v; int64_t i; } kr_np_arg_f64;
typedef struct { float v; int64_t i; } kr_np_arg_f32;
typedef struct { int64_t v; int64_t i; } kr_np_arg_i64;
typedef struct { int32_t v; int64_t i; } kr_np_arg_i32;
#define KR_NP_ARG_FLESS(x, y) KR_NP_FLESS((x).v, (y).v)
#define KR_NP_ARG_ILESS(x, y) ((x).v < (y).v)
KILN_SORT_WITH(np_arg_f64, kr_np_arg_f64, KR_NP_ARG_FLESS)
KILN_SORT_WITH(np_arg_f32, kr_np_arg_f32, KR_NP_ARG_FLESS)
KILN_SORT_WITH(np_arg_i64, kr_np_arg_i64, KR_NP_ARG_ILESS)
KILN_SORT_WITH(np_arg_i32, kr_np_arg_i32, KR_NP_ARG_ILESS)

/*
 * np.percentile(a, q) (method 'linear') of n sorted values, as NumPy 2 computes it step by step: q / 100 checked
 * to lie in [0, 1] (else ValueError), virtual index (n - 1) * q, its neighbours (the last item from n - 1 on),
 * gamma = index - previous, then NumPy's _lerp: a + (b - a) * t, or b - (b - a) * (1 - t) when t >= 0.5. A NaN
 * (sorted last) makes the result NaN; no items: IndexError, as NumPy's partition (floats: index -1) or take (ints:
 * index 0, or -1 when q is 0). T is the item type, R the result's; INTS: T is an integer type.
 */
#define KR_NP_PERCENTILE(NAME, T, R, ISNAN, DIFF, INTS)                                                            \
  static int kr_np_percentile_##NAME(const T *s, int64_t n, double q, R *out) {                                   \
    double qq = q / 100.0;                                                                                       \
    if (!(qq >= 0.0 && qq <= 1.0)) return kr_raise(KILN_ValueError, "Percentiles must be in the range [0, 100]"); \
    if (n == 0) return kr_raise(KILN_IndexError, INTS && -qq < 0.0 ? "index 0 is out of bounds for axis 0 with size 0" \
                                                               : "index -1 is out of bounds for axis 0 with size 0"); \
    if (ISNAN(s[n - 1])) { *out = (R)s[n - 1]; return 0; }                                                        \
    double vi = (double)(n - 1) * qq, pf = floor(vi);                                                           \
    int64_t p = (int64_t)pf, nx = p + 1;                                                                         \
    if (vi >= (double)(n - 1)) p = nx = -1;                                                                      \
    double t = vi - (double)p;                                                                                   \
    T a = s[p < 0 ? p + n : p], b = s[nx < 0 ? nx + n : nx];                                                     \
    R d = DIFF(a, b);                                                                                            \
    *out = t >= 0.5 ? (R)((R)b - (R)(d * (R)(1.0 - t))) : (R)((R)a + (R)(d * (R)t));                            \
    return 0;                                                                                                    \
  }
#define KR_NP_FDIFF(a, b) ((b) - (a))
/* b - a in the items' integer type (wrapping, as NumPy's), then as a double. */
#define KR_NP_IDIFF(a, b) ((double)(int64_t)((uint64_t)(int64_t)(b) - (uint64_t)(int64_t)(a)))
#define KR_NP_IDIFF32(a, b) ((double)(int32_t)((uint32_t)(b) - (uint32_t)(a)))
#define KR_NP_ISNAN(x) ((x) != (x))
#define KR_NP_NONAN(x) 0
KR_NP_PERCENTILE(f64, double, double, KR_NP_ISNAN, KR_NP_FDIFF, 0)
KR_NP_PERCENTILE(f32, float, float, KR_NP_ISNAN, KR_NP_FDIFF, 0)
KR_NP_PERCENTILE(i64, int64_t, double, KR_NP_NONAN, KR_NP_IDIFF, 1)
KR_NP_PERCENTILE(i32, int32_t, double, KR_NP_NONAN, KR_NP_IDIFF32, 1)

#endif
