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
 * the factorisation goes on, as LAPACK's does): NumPy's "Singular matrix"; or -1 with MemoryError (the buffer of
 * the blocked form, below).
 * Up to KR_LU_SMALL (32) rows the order is left-looking (LAPACK's getf2 as OpenBLAS writes it): column j gets the earlier interchanges, a
 * forward substitution with L (each entry minus the sum of its products, summed in order), then the rows below
 * minus their sums of products, then the pivot is the first entry of largest magnitude (BLAS idamax: a NaN is
 * chosen only where it comes first), and the column below it is scaled by the pivot's reciprocal (divided, for
 * pivots below the smallest normal; left unscaled for a NaN pivot, as NumPy 2's OpenBLAS does: inv([[nan, 1],
 * [2, 3]]) is [[nan, nan], [-2, 1]] there). For [[1,2,3],[4,5,6],[7,8,9]] that finds U[2][2] == 0.0 as NumPy does (a right-looking elimination
 * leaves 1.1e-16 there).
 * Above, it is blocked and right-looking (LAPACK's getrf; OpenBLAS's is recursive there): a panel of KR_LU_NB (32)
 * columns is factored by that getf2, its interchanges are applied to the columns on both sides, the block row right
 * of it is solved with the panel's unit lower triangle, and the trailing matrix loses the panel's product on the
 * runtime's GEMM (kr_gemm_*, into a buffer, then subtracted). 256 x 256 inv: 2.1 ms against 9.2 unblocked.
 *
 *   int kr_lu_solve_f64(n, lu, piv, m, b);                    also _f32
 * Solves A X = B for the factored A: `b` is n x m, ROW-major, contiguous (row i at b + i*m), overwritten by X.
 * Interchanges, forward substitution with L, then back substitution with U, right-looking; with one right-hand
 * side each unknown is divided by its pivot (BLAS trsv), with more it is multiplied by the pivot's reciprocal
 * (OpenBLAS's trsm). Above KR_LU_SMALL rows, in blocks of KR_LU_NB rows: that order within a block, then the rows
 * below (forward) or above (back) lose the block's product on the GEMM. Returns 0, or -1 with MemoryError (the
 * GEMM's buffer). np.linalg.inv solves with B = the identity.
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
#include "kiln_gemm.h"
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static KILN_COLD int kr_raise_singular(void) { return kr_raise(KILN_LinAlgError, "Singular matrix"); }

/* np.linalg.solve's ValueError for a b whose first dimension is not a's (`vector`: b is 1-D). */
static KILN_COLD int kr_raise_solve_mismatch(int vector, int64_t got, int64_t n) {
  char text[256];
  snprintf(text, sizeof text, "%s: Input operand 1 has a mismatch in its core dimension 0, with gufunc signature %s (size %lld is different from %lld)",
           vector ? "solve1" : "solve", vector ? "(m,m),(m)->(m)" : "(m,m),(m,n)->(m,n)", (long long)got, (long long)n);
  return kr_raise_copy(KILN_ValueError, text, strlen(text));
}

/* Matrices of more than KR_LU_SMALL rows are factored and solved in blocks of KR_LU_NB (below). */
#ifndef KR_LU_SMALL
#define KR_LU_SMALL 32
#endif
#ifndef KR_LU_NB
#define KR_LU_NB 32
#endif

#define KILN_LINALG(SFX, T, ABS, SFMIN, LOG, EXP) \
  /* getf2 on the m x nc panel at a (column-major, leading dimension lda): local pivots into piv (0-based rows of \
     the panel), interchanges applied to the panel's columns only. Returns 0 or the first zero pivot's column + 1. */ \
  static int64_t kr_getf2_##SFX(int64_t m, int64_t nc, T *a, int64_t lda, int64_t *piv, T *work) { \
    int64_t info = 0; \
    for (int64_t j = 0; j < nc; j++) { \
      T *b = a + j * lda; \
      for (int64_t i = 0; i < j; i++) { \
        int64_t p = piv[i]; \
        if (p != i) { T t = b[i]; b[i] = b[p]; b[p] = t; } \
      } \
      for (int64_t i = 1; i < j; i++) { \
        T s = 0; \
        for (int64_t k = 0; k < i; k++) s += a[i + k * lda] * b[k]; \
        b[i] -= s; \
      } \
      /* The rows below: each one's sum of products in k order, k outermost so that rows run side by side. */ \
      if (j > 0) { \
        for (int64_t i = j; i < m; i++) work[i] = 0; \
        for (int64_t k = 0; k < j; k++) { \
          const T *col = a + k * lda; \
          T bk = b[k]; \
          for (int64_t i = j; i < m; i++) work[i] += col[i] * bk; \
        } \
        for (int64_t i = j; i < m; i++) b[i] -= work[i]; \
      } \
      int64_t jp = j; \
      T best = ABS(b[j]); \
      for (int64_t i = j + 1; i < m; i++) { \
        T v = ABS(b[i]); \
        if (v > best) { best = v; jp = i; } \
      } \
      piv[j] = jp; \
      if (b[jp] != 0) { \
        if (jp != j) \
          for (int64_t c = 0; c <= j; c++) { T t = a[j + c * lda]; a[j + c * lda] = a[jp + c * lda]; a[jp + c * lda] = t; } \
        T pv = b[j]; \
        if (ABS(pv) >= SFMIN) { \
          T r = (T)1 / pv; \
          for (int64_t i = j + 1; i < m; i++) b[i] *= r; \
        } else if (ABS(pv) < SFMIN) { \
          for (int64_t i = j + 1; i < m; i++) b[i] /= pv; \
        } /* a NaN pivot leaves the column as it is, as OpenBLAS's getf2 does */ \
      } else if (!info) { \
        info = j + 1; \
      } \
    } \
    return info; \
  } \
  /* c (column-major, leading dimension ldc, rows x cols) minus the product in t (column-major, leading dimension rows). */ \
  static void kr_lu_sub_##SFX(T *c, int64_t ldc, const T *t, int64_t rows, int64_t cols) { \
    for (int64_t j = 0; j < cols; j++) { \
      T *cj = c + j * ldc; \
      const T *tj = t + j * rows; \
      for (int64_t i = 0; i < rows; i++) cj[i] -= tj[i]; \
    } \
  } \
  static int64_t kr_lu_##SFX(int64_t n, T *a, int64_t *piv, T *work) { \
    if (n <= KR_LU_SMALL) return kr_getf2_##SFX(n, n, a, n, piv, work); \
    /* Right-looking, in panels of KR_LU_NB columns: getf2 on the panel, its interchanges applied to the other \
       columns, U12 = L11^-1 A12, then A22 -= L21 U12 on the GEMM (through a buffer: the GEMM writes, it does not \
       accumulate). */ \
    int64_t info = 0, rest = n - KR_LU_NB; \
    T *t = (T *)malloc((size_t)(rest * rest) * sizeof(T)); \
    if (!t) return kr_raise_memory(); \
    for (int64_t j0 = 0; j0 < n; j0 += KR_LU_NB) { \
      int64_t jb = n - j0 < KR_LU_NB ? n - j0 : KR_LU_NB, m = n - j0; \
      int64_t got = kr_getf2_##SFX(m, jb, a + j0 + j0 * n, n, piv + j0, work); \
      if (got && !info) info = got + j0; \
      for (int64_t k = j0; k < j0 + jb; k++) { \
        int64_t p = (piv[k] += j0); \
        if (p == k) continue; \
        for (int64_t c = 0; c < j0; c++) { T x = a[k + c * n]; a[k + c * n] = a[p + c * n]; a[p + c * n] = x; } \
        for (int64_t c = j0 + jb; c < n; c++) { T x = a[k + c * n]; a[k + c * n] = a[p + c * n]; a[p + c * n] = x; } \
      } \
      int64_t nc = n - j0 - jb, mr = m - jb; \
      if (!nc) break; \
      T *a12 = a + j0 + (j0 + jb) * n; \
      for (int64_t c = 0; c < nc; c++) { \
        T *x = a12 + c * n; \
        for (int64_t k = 0; k < jb; k++) { \
          T xk = x[k]; \
          const T *l = a + j0 + (j0 + k) * n; \
          for (int64_t i = k + 1; i < jb; i++) x[i] -= l[i] * xk; \
        } \
      } \
      /* t (mr x nc, column-major) = L21 U12, computed as its transpose U12^T L21^T in row-major terms. */ \
      if (kr_gemm_##SFX(nc, mr, jb, a12, n, 1, a + j0 + jb + j0 * n, n, 1, t, mr, 1)) { free(t); return -1; } \
      kr_lu_sub_##SFX(a + j0 + jb + (j0 + jb) * n, n, t, mr, nc); \
    } \
    free(t); \
    return info; \
  } \
  /* b (rows x m, row-major) minus t (the same, contiguous). */ \
  static void kr_lu_subrows_##SFX(T *b, const T *t, int64_t count) { \
    for (int64_t i = 0; i < count; i++) b[i] -= t[i]; \
  } \
  static int kr_lu_solve_##SFX(int64_t n, const T *lu, const int64_t *piv, int64_t m, T *b) { \
    for (int64_t k = 0; k < n; k++) { \
      int64_t p = piv[k]; \
      if (p != k) for (int64_t c = 0; c < m; c++) { T t = b[k * m + c]; b[k * m + c] = b[p * m + c]; b[p * m + c] = t; } \
    } \
    int64_t nb = n <= KR_LU_SMALL ? n : KR_LU_NB; \
    T *t = 0; \
    if (nb < n && !(t = (T *)malloc((size_t)(n * m) * sizeof(T)))) return kr_raise_memory(); \
    /* Forward with L, a block of rows at a time: within the block right-looking, then the rows below minus L21 B1. */ \
    for (int64_t k0 = 0; k0 < n; k0 += nb) { \
      int64_t kb = n - k0 < nb ? n - k0 : nb, below = n - k0 - kb; \
      for (int64_t k = k0; k < k0 + kb; k++) { \
        const T *bk = b + k * m; \
        for (int64_t i = k + 1; i < k0 + kb; i++) { \
          T l = lu[i + k * n]; \
          T *bi = b + i * m; \
          for (int64_t c = 0; c < m; c++) bi[c] -= l * bk[c]; \
        } \
      } \
      if (t && below) { \
        if (kr_gemm_##SFX(below, m, kb, lu + k0 + kb + k0 * n, 1, n, b + k0 * m, m, 1, t, m, 1)) { free(t); return -1; } \
        kr_lu_subrows_##SFX(b + (k0 + kb) * m, t, below * m); \
      } \
    } \
    /* Back with U, blocks from the last: within the block right-looking, then the rows above minus U01 B1. */ \
    for (int64_t k1 = n; k1 > 0; k1 -= nb) { \
      int64_t k0 = k1 - nb > 0 ? k1 - nb : 0; \
      for (int64_t k = k1 - 1; k >= k0; k--) { \
        T *bk = b + k * m; \
        T d = lu[k + k * n]; \
        if (m == 1) { \
          bk[0] /= d; \
        } else { \
          T r = (T)1 / d; \
          for (int64_t c = 0; c < m; c++) bk[c] *= r; \
        } \
        for (int64_t i = k0; i < k; i++) { \
          T u = lu[i + k * n]; \
          T *bi = b + i * m; \
          for (int64_t c = 0; c < m; c++) bi[c] -= u * bk[c]; \
        } \
      } \
      if (t && k0) { \
        if (kr_gemm_##SFX(k0, m, k1 - k0, lu + k0 * n, 1, n, b + k0 * m, m, 1, t, m, 1)) { free(t); return -1; } \
        kr_lu_subrows_##SFX(b, t, k0 * m); \
      } \
    } \
    free(t); \
    return 0; \
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
