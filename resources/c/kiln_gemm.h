/*
 * Kiln runtime, matrix products for `a @ b`, np.matmul, np.dot and np.einsum's matrix forms. Design, blocking
 * parameters, error bound and measurements: docs/design/numpy-kernels.md. Included by generated code that uses it.
 *
 *   int kr_gemm_f64(m, n, k, a, rsa, csa, b, rsb, csb, c, rsc, csc);   also _f32, _i64, _u64, _i32, _u32
 *
 * C (m x n) = A (m x k) @ B (k x n). Every matrix is a pointer to element [0, 0] and two strides in ELEMENTS (row
 * stride, column stride; any value, any sign: transposed, sliced and reversed NumPy views pass as they are). A and
 * B are borrowed and only read; C is written, and must not overlap A or B (the compiler gives a new array).
 * m, n, k may be 0 (k == 0 gives zeros, as NumPy). Returns 0, or -1 with MemoryError when the packing buffers
 * (at most a few MB, freed before returning) cannot be allocated.
 *
 * Results. Integers wrap modulo 2**bits as NumPy's integer matmul (no overflow check): exact. Floats are not
 * bit-for-bit NumPy's, whose BLAS adds in an order of its own that depends on the CPU; each element is a sum of k
 * products computed in a fixed order, with the standard bound
 *     |C - C_exact| <= k * u * (|A| @ |B|)      (elementwise, u = 2**-53 for float64, 2**-24 for float32)
 * (gamma_k of Higham's "Accuracy and Stability of Numerical Algorithms", 3.5, for k * u < 0.01), tested against a
 * reference computed in double-double. NaN and infinities propagate as in the naive sum (0 * inf is NaN). The
 * result is the same for any thread count (threads split rows or columns of C, never k) and depends only on the
 * ISA path (an FMA rounds once where a multiply and an add round twice).
 * Fast paths: m == n == 1 is a dot product, n == 1 or m == 1 a matrix-vector product (no packing).
 *
 *   double kr_dot_f64(n, x, incx, y, incy);   also _f32, _i64 (int64_t), _u64, _i32, _u32: a 1-D dot product.
 *
 * Threads: products of at least KR_GEMM_THREAD_MIN multiply-adds (matrix-vector: KR_GEMV_THREAD_MIN) use the
 * thread pool (kiln_threads.h; KILN_NUM_THREADS).
 * CPU dispatch (x86-64): with KILN_DISPATCH defined before this header, a unit built for baseline x86-64 also
 * carries AVX2+FMA and AVX-512 paths (the kernels compiled again under target attributes) and picks the best one the
 * CPU and OS support at the first call; KILN_ISA=base|avx2|avx512 in the environment caps it (tests).
 * kr_gemm_paths() names the paths a unit carries ("avx512", or "sse2,avx2,avx512") and kr_gemm_path() the one used.
 */
#ifndef KILN_GEMM_H
#define KILN_GEMM_H

#include "kiln_runtime.h"
#include "kiln_simd.h"
#include "kiln_threads.h"

#ifndef KR_GEMM_THREAD_MIN
#define KR_GEMM_THREAD_MIN ((double)(1 << 20)) /* m*n*k: about 100^3, tens of microseconds on one core */
#endif
#ifndef KR_GEMV_THREAD_MIN
#define KR_GEMV_THREAD_MIN ((double)(1 << 18)) /* m*k */
#endif

/* ---- the native instance: this unit's own ISA ---- */
#define KS_VB KILN_SIMD_BYTES
#define KS_REGS KILN_SIMD_REGS
#define KS_FMA KILN_SIMD_FMA
#define KS_SFX _nat
#define KS_ATTR
/* Cache budgets (bytes) for an A sliver (L1), a B block (L2) and an A block (L3); measured on the host for
   AVX-512 (docs/design/numpy-kernels.md), common sizes elsewhere. */
#if KILN_SIMD_BYTES == 64
#define KS_L1 28672
#define KS_L2 (1 << 20)
#define KS_L3 (4 << 20)
#elif KILN_SIMD_REGS >= 32
#define KS_L1 12288
#define KS_L2 (256 << 10)
#define KS_L3 (2 << 20)
#else
#define KS_L1 12288
#define KS_L2 (192 << 10)
#define KS_L3 (2 << 20)
#endif
#include "kiln_gemm_kernels.h"
#undef KS_VB
#undef KS_REGS
#undef KS_FMA
#undef KS_SFX
#undef KS_ATTR
#undef KS_L1
#undef KS_L2
#undef KS_L3

/* ---- load-time dispatch on x86-64: the same kernels for AVX2+FMA and AVX-512 ---- */
#if defined(KILN_DISPATCH) && defined(__x86_64__) && !defined(__AVX2__) && defined(__clang__)
#define KR_GEMM_DISPATCH 1
#define KS_VB 32
#define KS_REGS 16
#define KS_FMA 1
#define KS_SFX _avx2
#define KS_ATTR __attribute__((target("avx2,fma")))
#define KS_L1 12288
#define KS_L2 (192 << 10)
#define KS_L3 (2 << 20)
#include "kiln_gemm_kernels.h"
#undef KS_VB
#undef KS_REGS
#undef KS_SFX
#undef KS_ATTR
#undef KS_L1
#undef KS_L2
#undef KS_L3
#define KS_VB 64
#define KS_REGS 32
#define KS_SFX _avx512
#define KS_ATTR __attribute__((target("avx512f,avx512dq,avx512bw,avx512vl,avx2,fma")))
#define KS_L1 28672
#define KS_L2 (1 << 20)
#define KS_L3 (4 << 20)
#include "kiln_gemm_kernels.h"
#undef KS_VB
#undef KS_REGS
#undef KS_FMA
#undef KS_SFX
#undef KS_ATTR
#undef KS_L1
#undef KS_L2
#undef KS_L3
#else
#define KR_GEMM_DISPATCH 0
#endif

/* The path this unit uses: its own ISA, or with dispatch the best the CPU allows (capped by KILN_ISA). */
static inline int kr_gemm_isa(void) {
#if KR_GEMM_DISPATCH
  return kr_isa_selected();
#else
  return KILN_ISA_BASE;
#endif
}
static inline const char *kr_gemm_paths(void) { return KR_GEMM_DISPATCH ? KILN_SIMD_NAME ",avx2,avx512" : KILN_SIMD_NAME; }
static inline const char *kr_gemm_path(void) {
  int isa = kr_gemm_isa();
  return isa == KILN_ISA_AVX512 ? "avx512" : isa == KILN_ISA_AVX2 ? "avx2" : KILN_SIMD_NAME;
}

#if KR_GEMM_DISPATCH
#define KR_GEMM_CALL(fn, N, ...) \
  (kr_gemm_isa() == KILN_ISA_AVX512 ? fn##_##N##_avx512(__VA_ARGS__) : kr_gemm_isa() == KILN_ISA_AVX2 ? fn##_##N##_avx2(__VA_ARGS__) : fn##_##N##_nat(__VA_ARGS__))
#else
#define KR_GEMM_CALL(fn, N, ...) fn##_##N##_nat(__VA_ARGS__)
#endif

/* The public functions for one dtype T computed as IT (the same type, or its unsigned twin for integers). */
#define KR_GEMM_API(NAME, T, N, IT) \
  static inline T kr_dot_##NAME(int64_t n, const T *x, int64_t incx, const T *y, int64_t incy) { \
    if (n <= 0) return (T)0; \
    return (T)KR_GEMM_CALL(kg_dot, N, n, (const IT *)x, incx, (const IT *)y, incy); \
  } \
  static int kr_gemm_##NAME(int64_t m, int64_t n, int64_t k, const T *a, int64_t rsa, int64_t csa, const T *b, int64_t rsb, \
                            int64_t csb, T *c, int64_t rsc, int64_t csc) { \
    if (m <= 0 || n <= 0) return 0; \
    if (k <= 0) { for (int64_t i = 0; i < m; i++) for (int64_t j = 0; j < n; j++) c[i * rsc + j * csc] = (T)0; return 0; } \
    const IT *A = (const IT *)a, *B = (const IT *)b; \
    IT *C = (IT *)c; \
    if (m == 1 && n == 1) { C[0] = KR_GEMM_CALL(kg_dot, N, k, A, csa, B, rsb); return 0; } \
    if (n == 1 || m == 1) { \
      int threads = (double)(m + n) * (double)k >= KR_GEMV_THREAD_MIN ? kr_threads_count() : 1; \
      if (n == 1) return KR_GEMM_CALL(kg_gemv, N, m, k, A, rsa, csa, B, rsb, C, rsc, threads); \
      return KR_GEMM_CALL(kg_gemv, N, n, k, B, csb, rsb, A, csa, C, csc, threads); \
    } \
    int threads = (double)m * (double)n * (double)k >= KR_GEMM_THREAD_MIN ? kr_threads_count() : 1; \
    return KR_GEMM_CALL(kg_gemm, N, m, n, k, A, rsa, csa, B, rsb, csb, C, rsc, csc, threads); \
  }
KR_GEMM_API(f64, double, f64, double)
KR_GEMM_API(f32, float, f32, float)
KR_GEMM_API(i64, int64_t, u64, uint64_t)
KR_GEMM_API(u64, uint64_t, u64, uint64_t)
KR_GEMM_API(i32, int32_t, u32, uint32_t)
KR_GEMM_API(u32, uint32_t, u32, uint32_t)
#undef KR_GEMM_API

#endif /* KILN_GEMM_H */
