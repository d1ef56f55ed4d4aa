/*
 * Kiln runtime, NumPy's transcendental ufuncs vectorised: exp, log, sin, cos, tanh, erf, sqrt and power over
 * float64 and float32. Design, algorithms and the measured error table: docs/design/numpy-kernels.md. Included by
 * generated code that uses one of them.
 *
 * Three forms of each function, with the same bits for the same input:
 *   double kr_np_exp_f64(double x);                                   one value (also _f32 with float)
 *   void kr_np_exp_f64_array(double *y, const double *x, int64_t n);  y[i] = exp(x[i]), contiguous; y may be x
 *   kv_f64 kv_exp_f64(kv_f64 x);                                      a vector of KV_F64_LANES values, for fused
 *                                                                     element-wise loops (kv_f32: KV_F32_LANES)
 * and power: kr_np_power_f64(x, y), kr_np_power_f64_array(z, x, y, n), kv_pow_f64(x, y) (also _f32).
 * With KILN_DISPATCH on x86-64 (exported libraries are built for the baseline ISA), the kr_np_* forms, one value and
 * arrays alike, run AVX2+FMA or AVX-512 clones chosen at the first call (kr_isa_selected, kiln_simd.h); the kv_*
 * vectors stay the unit's own ISA (generated code does not use them in a dispatched unit: KR_VMATH_DISPATCH).
 * None of them fails or raises: NumPy's ufuncs give IEEE values (inf, NaN, 0) where math.* raises; NumPy's floating
 * point warnings are not reproduced.
 *
 * Results are not bit-for-bit NumPy's, which itself differs between CPUs (its AVX-512 and AVX2 kernels, and the C
 * library elsewhere, round differently); each function has a bound in ULPs (docs/design/numpy-kernels.md, measured
 * by tests/runtime/vmath.test.ts on every target) that a verifier compares with. sqrt is exact (IEEE). The same
 * input gives the same bits on every target with the same FMA support (x86-64 with FMA, arm64: fused; SSE2-only
 * x86-64, wasm32 and armv7: separate multiply and add), except float32 tanh, a table of polynomials on AVX-512.
 *
 *   int kr_softmax_f64(double *y, const double *x, int64_t n);   also _f32
 * A fused chain as NumPy code writes it, e = np.exp(x - np.max(x)); e / np.sum(e): the maximum (NaN propagates),
 * then exp(x - max) into y, NumPy's pairwise sum of y (kr_sum1, bit for bit), then y / sum. No temporary array.
 * Returns 0, or -1 with NumPy's ValueError when n == 0.
 */
#ifndef KILN_VMATH_H
#define KILN_VMATH_H

#include "kiln_runtime.h"
#include "kiln_simd.h"
#include "kiln_vmath_coeffs.h"

/* Tables of float64 pow (kv_pow_f64), shared by every instance below: per interval of log's argument 1/c and log(c)
   as hi + lo; per j, 2^(j/16) as t (1 + tail). Columns of 16, each two AVX-512 registers. */
static const double kv_pow_invc[16] __attribute__((aligned(64))) = KV_POW_INVC_F64;
static const double kv_pow_logc[16] __attribute__((aligned(64))) = KV_POW_LOGC_F64;
static const double kv_pow_logclo[16] __attribute__((aligned(64))) = KV_POW_LOGCLO_F64;
static const double kv_pow_exp_t[16] __attribute__((aligned(64))) = KV_POW_EXP_T_F64;
static const double kv_pow_exp_tail[16] __attribute__((aligned(64))) = KV_POW_EXP_TAIL_F64;
/* The same with 128 entries, for every path but AVX-512 (kiln_vmath_kernels.h, KV_PT). */
static const double kv_pow128_invc[128] = KV_POW128_INVC_F64;
static const double kv_pow128_logc[128] = KV_POW128_LOGC_F64;
static const double kv_pow128_logclo[128] = KV_POW128_LOGCLO_F64;
static const double kv_pow128_exp_t[128] = KV_POW128_EXP_T_F64;
static const double kv_pow128_exp_tail[128] = KV_POW128_EXP_TAIL_F64;
/* float32 pow's: 2^(j/16) with j subtracted from its top mantissa bits, so that adding ki << 48 scales it by 2^(ki >> 4) */
static const double kv_powf_exp_tj[16] __attribute__((aligned(64))) = KV_POWF_EXP_TJ_F64;
/* float32 pow in float (the FMA paths): per interval of z 1/c and log(c) as hi + lo (32 entries); per j, 2^(j/16) as
   bits(t) - (j << 19) and tau (kiln_vmath_kernels.h f_powf32_core). */
static const float kv_powf32_invc[32] __attribute__((aligned(64))) = KV_POWF32_INVC;
static const float kv_powf32_logc[32] __attribute__((aligned(64))) = KV_POWF32_LOGC;
static const float kv_powf32_logclo[32] __attribute__((aligned(64))) = KV_POWF32_LOGCLO;
static const float kv_powf32_exp_tj[16] __attribute__((aligned(64))) = KV_POWF32_EXP_TJ;
static const float kv_powf32_exp_tau[16] __attribute__((aligned(64))) = KV_POWF32_EXP_TAU;

/* float32 tanh's polynomials per interval of |x| (the AVX-512 instance only): columns of 32, each two registers. */
static const float kv_tanhf_p[32] __attribute__((aligned(64))) = KV_TANHF_P;
static const float kv_tanhf_c[1 + KV_TANHF_NC][32] __attribute__((aligned(64))) = { KV_TANHF_C0, KV_TANHF_C1, KV_TANHF_C2, KV_TANHF_C3, KV_TANHF_C4, KV_TANHF_C5, KV_TANHF_C6 };

/* ---- the native instance ---- */
#define KS_VB KILN_SIMD_BYTES
#define KS_FMA KILN_SIMD_FMA
#define KS_SFX _nat
#define KS_ATTR
#include "kiln_vmath_kernels.h"
#undef KS_VB
#undef KS_FMA
#undef KS_SFX
#undef KS_ATTR

/* ---- load-time dispatch on x86-64 (KILN_DISPATCH, as kiln_gemm.h): AVX2+FMA and AVX-512 clones of the array forms.
   The array forms (kr_np_*_array) of a dispatched unit run the best path the CPU has; the one-value forms and the
   kv_* vectors stay the unit's own (baseline) ISA. Different paths round differently (FMA), each within the bound. */
#if defined(KILN_DISPATCH) && defined(__x86_64__) && !defined(__AVX2__) && defined(__clang__)
#define KR_VMATH_DISPATCH 1
#define KS_VB 32
#define KS_FMA 1
#define KS_SFX _avx2
#define KS_ATTR __attribute__((target("avx2,fma")))
#include "kiln_vmath_kernels.h"
#undef KS_VB
#undef KS_SFX
#undef KS_ATTR
#define KS_VB 64
#define KS_SFX _avx512
#define KS_ATTR __attribute__((target("avx512f,avx512dq,avx512bw,avx512vl,avx2,fma")))
#include "kiln_vmath_kernels.h"
#undef KS_VB
#undef KS_FMA
#undef KS_SFX
#undef KS_ATTR
#define KR_VMATH_CALL(fn, ...) \
  (kr_isa_selected() == KILN_ISA_AVX512 ? fn##_avx512(__VA_ARGS__) : kr_isa_selected() == KILN_ISA_AVX2 ? fn##_avx2(__VA_ARGS__) : fn##_nat(__VA_ARGS__))
#else
#define KR_VMATH_DISPATCH 0
#define KR_VMATH_CALL(fn, ...) fn##_nat(__VA_ARGS__)
#endif
/* The paths a unit's array forms carry ("avx512", or "sse2,avx2,avx512" with dispatch). */
static inline const char *kr_vmath_paths(void) { return KR_VMATH_DISPATCH ? KILN_SIMD_NAME ",avx2,avx512" : KILN_SIMD_NAME; }

/* ---- vectors of this unit's width, for fused loops ---- */
typedef kv_d_nat kv_f64;
typedef kv_f_nat kv_f32;
#define KV_F64_LANES (KILN_SIMD_BYTES / 8)
#define KV_F32_LANES (KILN_SIMD_BYTES / 4)
#define kv_exp_f64(x) kv_exp_f64_nat(x)
#define kv_log_f64(x) kv_log_f64_nat(x)
#define kv_sin_f64(x) kv_sin_f64_nat(x)
#define kv_cos_f64(x) kv_cos_f64_nat(x)
#define kv_tanh_f64(x) kv_tanh_f64_nat(x)
#define kv_erf_f64(x) kv_erf_f64_nat(x)
#define kv_sqrt_f64(x) kv_sqrt_f64_nat(x)
#define kv_pow_f64(x, y) kv_pow_f64_nat(x, y)
#define kv_exp_f32(x) kv_exp_f32_nat(x)
#define kv_log_f32(x) kv_log_f32_nat(x)
#define kv_sin_f32(x) kv_sin_f32_nat(x)
#define kv_cos_f32(x) kv_cos_f32_nat(x)
#define kv_tanh_f32(x) kv_tanh_f32_nat(x)
#define kv_sqrt_f32(x) kv_sqrt_f32_nat(x)
#define kv_pow_f32(x, y) kv_pow_f32_nat(x, y)

/* ---- one value and arrays ---- */
#if KR_VMATH_DISPATCH
/* A dispatched unit computes one value on the same path as its arrays, so that a value has the same bits alone, in
   an array and in a strided view. */
#define KR_NP_UNARY(NAME, T, V, VEC, ARR) \
  static inline T kr_np_##NAME(T x) { T y; KR_VMATH_CALL(ARR, &y, &x, 1); return y; } \
  static inline void kr_np_##NAME##_array(T *y, const T *x, int64_t n) { KR_VMATH_CALL(ARR, y, x, n); }
#else
#define KR_NP_UNARY(NAME, T, V, VEC, ARR) \
  static inline T kr_np_##NAME(T x) { V v = { x }; return VEC(v)[0]; } \
  static inline void kr_np_##NAME##_array(T *y, const T *x, int64_t n) { KR_VMATH_CALL(ARR, y, x, n); }
#endif
KR_NP_UNARY(exp_f64, double, kv_f64, kv_exp_f64_nat, kv_exp_f64_array)
KR_NP_UNARY(log_f64, double, kv_f64, kv_log_f64_nat, kv_log_f64_array)
KR_NP_UNARY(sin_f64, double, kv_f64, kv_sin_f64_nat, kv_sin_f64_array)
KR_NP_UNARY(cos_f64, double, kv_f64, kv_cos_f64_nat, kv_cos_f64_array)
KR_NP_UNARY(tanh_f64, double, kv_f64, kv_tanh_f64_nat, kv_tanh_f64_array)
KR_NP_UNARY(erf_f64, double, kv_f64, kv_erf_f64_nat, kv_erf_f64_array)
KR_NP_UNARY(sqrt_f64, double, kv_f64, kv_sqrt_f64_nat, kv_sqrt_f64_array)
KR_NP_UNARY(exp_f32, float, kv_f32, kv_exp_f32_nat, kv_exp_f32_array)
KR_NP_UNARY(log_f32, float, kv_f32, kv_log_f32_nat, kv_log_f32_array)
KR_NP_UNARY(sin_f32, float, kv_f32, kv_sin_f32_nat, kv_sin_f32_array)
KR_NP_UNARY(cos_f32, float, kv_f32, kv_cos_f32_nat, kv_cos_f32_array)
KR_NP_UNARY(tanh_f32, float, kv_f32, kv_tanh_f32_nat, kv_tanh_f32_array)
KR_NP_UNARY(sqrt_f32, float, kv_f32, kv_sqrt_f32_nat, kv_sqrt_f32_array)
#undef KR_NP_UNARY
#if KR_VMATH_DISPATCH
static inline float kr_np_erf_f32(float x) { float y; KR_VMATH_CALL(kv_erf_f32_array, &y, &x, 1); return y; }
static inline double kr_np_power_f64(double x, double y) { double z; KR_VMATH_CALL(kv_pow_f64_array, &z, &x, &y, 1); return z; }
#else
static inline float kr_np_erf_f32(float x) { kv_fh_nat v = { x }; return kv_erf_f32h_nat(v)[0]; }
static inline double kr_np_power_f64(double x, double y) { kv_f64 a = { x }, b = { y }; return kv_pow_f64_nat(a, b)[0]; }
#endif
static inline void kr_np_erf_f32_array(float *y, const float *x, int64_t n) { KR_VMATH_CALL(kv_erf_f32_array, y, x, n); }
static inline void kr_np_power_f64_array(double *z, const double *x, const double *y, int64_t n) { KR_VMATH_CALL(kv_pow_f64_array, z, x, y, n); }
/* x ** y over a C-contiguous array for one exponent y, as NumPy's power loop and kr_np_power_f64 item by item
   (x*x, sqrt(x), 1/x and x for 2, 0.5, -1 and 1): one dispatched call instead of one per item (an exported
   library's GELU spent a third of its time calling the vector power for one value at a time). */
static inline void kr_np_power_f64_array_s(double *z, const double *x, double y, int64_t n) {
  if (y == 2.0) for (int64_t i = 0; i < n; i++) z[i] = x[i] * x[i];
  else if (y == 0.5) for (int64_t i = 0; i < n; i++) z[i] = sqrt(x[i]);
  else if (y == -1.0) for (int64_t i = 0; i < n; i++) z[i] = 1.0 / x[i];
  else if (y == 1.0) for (int64_t i = 0; i < n; i++) z[i] = x[i];
  else KR_VMATH_CALL(kv_pow_f64_array_s, z, x, y, n);
}
static inline float kr_np_power_f32(float x, float y) { float z; KR_VMATH_CALL(kv_pow_f32_array, &z, &x, &y, 1); return z; }
static inline void kr_np_power_f32_array(float *z, const float *x, const float *y, int64_t n) { KR_VMATH_CALL(kv_pow_f32_array, z, x, y, n); }

/* ---- softmax: the reference fused chain ---- */
#define KR_SOFTMAX(NAME, T, V, LANES, EXP, SUM) \
  static int kr_softmax_##NAME(T *y, const T *x, int64_t n) { \
    if (n <= 0) return kr_raise(KILN_ValueError, "zero-size array to reduction operation maximum which has no identity"); \
    T m = x[0]; /* np.max: NaN propagates (the sign of a zero maximum does not matter below) */ \
    for (int64_t i = 1; i < n && m == m; i++) if (x[i] > m || x[i] != x[i]) m = x[i]; \
    int64_t i = 0; \
    for (; i + LANES <= n; i += LANES) { V v; memcpy(&v, x + i, sizeof v); v = EXP(v - m); memcpy(y + i, &v, sizeof v); } \
    if (i < n) { V v = { 0 }; memcpy(&v, x + i, (size_t)(n - i) * sizeof(T)); v = EXP(v - m); memcpy(y + i, &v, (size_t)(n - i) * sizeof(T)); } \
    T s = SUM(y, n, 1); \
    for (int64_t j = 0; j < n; j++) y[j] = y[j] / s; \
    return 0; \
  }
KR_SOFTMAX(f64, double, kv_f64, KV_F64_LANES, kv_exp_f64_nat, kr_sum1_f64)
KR_SOFTMAX(f32, float, kv_f32, KV_F32_LANES, kv_exp_f32_nat, kr_sum1_f32)
#undef KR_SOFTMAX

#endif /* KILN_VMATH_H */
