/*
 * The runtime's kernels as a shared library for bench/runtime/paired.py, which calls them through ctypes in the same
 * process as NumPy, alternating the two call by call: a busy spell of the shared machine (other processes, memory
 * bandwidth) then hits both sides of each pair, and the ratio of the medians is stable where separate processes
 * swing by 50%.
 */
#include "kiln_gemm.h"
#include "kiln_vmath.h"

KILN_EXPORT int kb_gemm(int f32, int64_t n, const void *a, const void *b, void *c, int threads) {
  kr_threads_set(threads);
  return f32 ? kr_gemm_f32(n, n, n, (const float *)a, n, 1, (const float *)b, n, 1, (float *)c, n, 1)
             : kr_gemm_f64(n, n, n, (const double *)a, n, 1, (const double *)b, n, 1, (double *)c, n, 1);
}

/* y = fn(x) (power: y = x ** x2), fn: 0 exp, 1 log, 2 sin, 3 cos, 4 tanh, 5 erf, 6 sqrt, 7 power. */
KILN_EXPORT void kb_vmath(int fn, int f32, void *y, const void *x, const void *x2, int64_t n) {
  if (f32) {
    float *o = (float *)y;
    const float *a = (const float *)x;
    switch (fn) {
      case 0: kr_np_exp_f32_array(o, a, n); break;
      case 1: kr_np_log_f32_array(o, a, n); break;
      case 2: kr_np_sin_f32_array(o, a, n); break;
      case 3: kr_np_cos_f32_array(o, a, n); break;
      case 4: kr_np_tanh_f32_array(o, a, n); break;
      case 5: kr_np_erf_f32_array(o, a, n); break;
      case 6: kr_np_sqrt_f32_array(o, a, n); break;
      default: kr_np_power_f32_array(o, a, (const float *)x2, n);
    }
    return;
  }
  double *o = (double *)y;
  const double *a = (const double *)x;
  switch (fn) {
    case 0: kr_np_exp_f64_array(o, a, n); break;
    case 1: kr_np_log_f64_array(o, a, n); break;
    case 2: kr_np_sin_f64_array(o, a, n); break;
    case 3: kr_np_cos_f64_array(o, a, n); break;
    case 4: kr_np_tanh_f64_array(o, a, n); break;
    case 5: kr_np_erf_f64_array(o, a, n); break;
    case 6: kr_np_sqrt_f64_array(o, a, n); break;
    default: kr_np_power_f64_array(o, a, (const double *)x2, n);
  }
}

KILN_EXPORT void kb_shutdown(void) { kr_threads_shutdown(); }
