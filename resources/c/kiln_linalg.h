/*
 * Kiln runtime, np.linalg.inv, np.linalg.solve and np.linalg.det: an LU factorisation with partial pivoting and the
 * triangular solves after it, in the order of operations NumPy's LAPACK (OpenBLAS's getrf/getrs, as NumPy 2 ships
 * it) uses for the small matrices of model code, so that the same matrices come out singular. Included by
 * generated code that uses them (src-compiler/types/ops/linalg.ts); design: docs/design/numpy-kernels.md, "Linear
 * algebra".
 *
 *   int64_t kr_lu_f64(n, a, piv, work);                       also _f32
 * Factors the n x n matrix held COLUMN-major in `a` (a[i + j*n] is row i, column j; the compiler copies the NumPy
 * array in, converting its dtype) in place into L (unit lower, below the diagonal) and U (upper, the diagonal
 * included), with row interchanges: at step j rows j and piv[j] (>= j) were swapped. `piv` holds n entries and
 * `work` n scratch values, both the caller's. Returns 0, or k + 1 when U[k][k] is exactly zero (the first such k;
 * the factorisation goes on, as LAPACK's does): NumPy's "Singular matrix". Cannot fail.
 * The order is left-looking (LAPACK's getf2 as OpenBLAS writes it): column j gets the earlier interchanges, a
 * forward substitution with L (each entry minus the sum of its products, summed in order), then the rows below
 * minus their sums of products, then the pivot is the first entry of largest magnitude (BLAS idamax: a NaN is
 * chosen only where it comes first), and the column below it is scaled by the pivot's reciprocal (divided, for
 * pivots below the smallest normal; left unscaled for a NaN pivot, as NumPy 2's OpenBLAS does: inv([[nan, 1],
 * [2, 3]]) is [[nan, nan], [-2, 1]] there). For [[1,2,3],[4,5,6],[7,8,9]] that finds U[2][2] == 0.0 as NumPy does (a right-looking elimination
 * leaves 1.1e-16 there).
 *
 *   void kr_lu_solve_f64(n, lu, piv, m, b);                   also _f32
 * Solves A X = B for the factored A: `b` is n x m, ROW-major, contiguous (row i at b + i*m), overwritten by X.
 * Interchanges, forward substitution with L, then back substitution with U, right-looking; with one right-hand
 * side each unknown is divided by its pivot (BLAS trsv), with more it is multiplied by the pivot's reciprocal
 * (OpenBLAS's trsm). Cannot fail. np.linalg.inv solves with B = the identity.
 *
 *   double kr_lu_det_f64(n, lu, piv, info);                   float kr_lu_det_f32(...)
 * NumPy's det from the factors: sign * exp(sum of log |U[k][k]|) (so det([[1,2],[3,4]]) is -2.0000000000000004,
 * as NumPy's), the sign flipped for each interchange and each negative pivot; 0.0 when info != 0 (a singular
 * matrix), 1.0 for n == 0.
 *
 *   int kr_raise_singular(void);   LinAlgError("Singular matrix"), returns -1.
 *   int kr_raise_solve_mismatch(vector, got, n);   np.linalg.solve's ValueError for a b of `got` rows, returns -1.
 *
 * Results are NumPy's to within a few units in the last place of the largest entry for well-conditioned matrices
 * (OpenBLAS's kernels use fused multiply-adds and other summation orders, and above 32 or so rows a blocked
 * recursive factorisation): verification compares them within the products' tolerance. What stays exact: which
 * matrices are singular for the matrices whose elimination is exact or nearly so (integers, small fractions), the
 * sign of det, and where NaN and infinities come out for most inputs (OpenBLAS's NaN handling in its pivot search
 * is its own).
 */
#ifndef KILN_LINALG_H
#define KILN_LINALG_H

#include "kiln_runtime.h"
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

static KILN_COLD int kr_raise_singular(void) { return kr_raise(KILN_LinAlgError, "Singular matrix"); }

/* np.linalg.solve's ValueError for a b whose first dimension is not a's (`vector`: b is 1-D). */
static KILN_COLD int kr_raise_solve_mismatch(int vector, int64_t got, int64_t n) {
  char text[256];
  snprintf(text, sizeof text, "%s: Input operand 1 has a mismatch in its core dimension 0, with gufunc signature %s (size %lld is different from %lld)",
           vector ? "solve1" : "solve", vector ? "(m,m),(m)->(m)" : "(m,m),(m,n)->(m,n)", (long long)got, (long long)n);
  return kr_raise_copy(KILN_ValueError, text, strlen(text));
}

#define KILN_LINALG(SFX, T, ABS, SFMIN, LOG, EXP) \
  static int64_t kr_lu_##SFX(int64_t n, T *a, int64_t *piv, T *work) { \
    int64_t info = 0; \
    for (int64_t j = 0; j < n; j++) { \
      T *b = a + j * n; \
      for (int64_t i = 0; i < j; i++) { \
        int64_t p = piv[i]; \
        if (p != i) { T t = b[i]; b[i] = b[p]; b[p] = t; } \
      } \
      for (int64_t i = 1; i < j; i++) { \
        T s = 0; \
        for (int64_t k = 0; k < i; k++) s += a[i + k * n] * b[k]; \
        b[i] -= s; \
      } \
      /* The rows below: each one's sum of products in k order, k outermost so that rows run side by side. */ \
      if (j > 0) { \
        for (int64_t i = j; i < n; i++) work[i] = 0; \
        for (int64_t k = 0; k < j; k++) { \
          const T *col = a + k * n; \
          T bk = b[k]; \
          for (int64_t i = j; i < n; i++) work[i] += col[i] * bk; \
        } \
        for (int64_t i = j; i < n; i++) b[i] -= work[i]; \
      } \
      int64_t jp = j; \
      T best = ABS(b[j]); \
      for (int64_t i = j + 1; i < n; i++) { \
        T v = ABS(b[i]); \
        if (v > best) { best = v; jp = i; } \
      } \
      piv[j] = jp; \
      if (b[jp] != 0) { \
        if (jp != j) \
          for (int64_t c = 0; c <= j; c++) { T t = a[j + c * n]; a[j + c * n] = a[jp + c * n]; a[jp + c * n] = t; } \
        T pv = b[j]; \
        if (ABS(pv) >= SFMIN) { \
          T r = (T)1 / pv; \
          for (int64_t i = j + 1; i < n; i++) b[i] *= r; \
        } else if (ABS(pv) < SFMIN) { \
          for (int64_t i = j + 1; i < n; i++) b[i] /= pv; \
        } /* a NaN pivot leaves the column as it is, as OpenBLAS's getf2 does */ \
      } else if (!info) { \
        info = j + 1; \
      } \
    } \
    return info; \
  } \
  static void kr_lu_solve_##SFX(int64_t n, const T *lu, const int64_t *piv, int64_t m, T *b) { \
    for (int64_t k = 0; k < n; k++) { \
      int64_t p = piv[k]; \
      if (p != k) for (int64_t c = 0; c < m; c++) { T t = b[k * m + c]; b[k * m + c] = b[p * m + c]; b[p * m + c] = t; } \
    } \
    for (int64_t k = 0; k < n; k++) { \
      const T *bk = b + k * m; \
      for (int64_t i = k + 1; i < n; i++) { \
        T l = lu[i + k * n]; \
        T *bi = b + i * m; \
        for (int64_t c = 0; c < m; c++) bi[c] -= l * bk[c]; \
      } \
    } \
    for (int64_t k = n - 1; k >= 0; k--) { \
      T *bk = b + k * m; \
      T d = lu[k + k * n]; \
      if (m == 1) { \
        bk[0] /= d; \
      } else { \
        T r = (T)1 / d; \
        for (int64_t c = 0; c < m; c++) bk[c] *= r; \
      } \
      for (int64_t i = 0; i < k; i++) { \
        T u = lu[i + k * n]; \
        T *bi = b + i * m; \
        for (int64_t c = 0; c < m; c++) bi[c] -= u * bk[c]; \
      } \
    } \
  } \
  static T kr_lu_det_##SFX(int64_t n, const T *lu, const int64_t *piv, int64_t info) { \
    if (info) return 0; \
    T sign = 1, logdet = 0; \
    for (int64_t k = 0; k < n; k++) { \
      if (piv[k] != k) sign = -sign; \
      T e = lu[k + k * n]; \
      if (e < 0) { sign = -sign; e = -e; } \
      logdet += LOG(e); \
    } \
    return sign * EXP(logdet); \
  }

KILN_LINALG(f64, double, fabs, DBL_MIN, log, exp)
KILN_LINALG(f32, float, fabsf, FLT_MIN, logf, expf)
#undef KILN_LINALG

#endif
