/*
 * Error of the vectorised math (resources/c/kiln_vmath.h) over many random inputs, for the bound table of
 * docs/design/numpy-kernels.md. x86-64 Linux only: the float64 reference is glibc's long double function (64-bit
 * mantissa, about 2**-11 ULP of a double), the float32 reference glibc's double function.
 *
 *   ulp N SEED [F] N inputs per function (or only F) and dtype, over the same ranges as tests/runtime/vmath_ref.py (power:
 *                  also x near 1 with large |y|, results near the ends of the range, negative x with integer y);
 *                  prints "function dtype max-ULP at-input"
 * Build (as bench/runtime/run.ts does): zig cc -O2 <Kiln's flags> -I resources/c bench/runtime/ulp.c -lm
 */
#include <stdio.h>
#include "kiln_vmath.h"

static uint64_t rng = 88172645463325252ull;
static double uniform(void) { rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17; return (double)(rng >> 11) * 0x1p-53; }
static double between(double a, double b) { return a + (b - a) * uniform(); }

/* |got - exact| in ULPs of the exact value's format (53 or 24 bits), subnormals in units of the smallest one. */
static double ulps(long double got, long double exact, int bits) {
  if (exact == 0) return got == 0 ? 0 : 1e9;
  int e;
  frexpl(exact, &e);
  int min_e = bits == 53 ? -1021 : -125;
  if (e < min_e) e = min_e;
  return (double)(fabsl(got - exact) / ldexpl(1.0L, e - bits));
}

typedef struct { const char *name; double lo, hi; int log_scale; } range;

int main(int argc, char **argv) {
  long n = argc > 1 ? atol(argv[1]) : 1000000;
  rng += argc > 2 ? strtoull(argv[2], NULL, 10) : 0;
  static const char *const fns[] = { "exp", "log", "sin", "cos", "tanh", "erf", "power" };
  double *x = (double *)malloc((size_t)n * 8), *y = (double *)malloc((size_t)n * 8), *o = (double *)malloc((size_t)n * 8);
  float *xf = (float *)malloc((size_t)n * 4), *yf = (float *)malloc((size_t)n * 4), *of = (float *)malloc((size_t)n * 4);
  const char *only = argc > 3 ? argv[3] : NULL;
  for (int f = 0; f < 7; f++)
    for (int f32 = 0; f32 < 2; f32++) {
      if (only && strcmp(only, fns[f]) != 0) continue;
      for (long i = 0; i < n; i++) {
        double v, w = 0;
        double k = uniform();
        switch (f) {
          case 0: v = k < 0.3 ? between(-1, 1) : f32 ? between(-103, 88) : between(-745, 709); break;
          case 1: v = k < 0.3 ? between(0.5, 2) : exp2(f32 ? between(-149, 127) : between(-1074, 1023)); break;
          case 2: case 3: v = k < 0.4 ? between(-4, 4) : k < 0.9 ? (f32 ? between(-1e4, 1e4) : between(-1e6, 1e6)) : round(between(-2000, 2000)) * 1.5707963267948966; break;
          case 4: v = between(-1, 1) * pow(10.0, between(-8, 1.3)); break;
          case 5: v = k < 0.8 ? between(-6.5, 6.5) : between(-1, 1) * pow(10.0, between(-10, 0)); break;
          default:
            v = k < 0.5 ? exp2(between(-20, 20)) : between(0, 3);
            w = k < 0.5 ? between(-30, 30) : between(-200, 200);
            if (f32 && fabs(w * log(v)) > 80) w /= 4;
            if (!f32 && fabs(w * log(v)) > 700) w /= 4;
            if (k >= 0.7 && k < 0.85) { /* the hard region: x near 1, |y| large, |y log x| up to 700 */
              v = 1 + between(-1, 1) * exp2(between(f32 ? -23 : -52, -3));
              w = (uniform() < 0.5 ? -1 : 1) * between(0, f32 ? 80 : 700) / fabs(log(v));
            } else if (k >= 0.85 && k < 0.92) { /* results near and past the ends of the range: subnormal, overflow */
              v = exp2(between(-1074, 1023));
              w = between(f32 ? -104 : -745, f32 ? 89 : 710) / log(v);
            } else if (k >= 0.92) { /* negative bases with integer exponents */
              v = -exp2(between(-10, 10));
              w = round(between(-60, 60));
            }
        }
        x[i] = v; y[i] = w; xf[i] = (float)v; yf[i] = (float)w;
      }
      if (!f32) {
        switch (f) {
          case 0: kr_np_exp_f64_array(o, x, n); break;
          case 1: kr_np_log_f64_array(o, x, n); break;
          case 2: kr_np_sin_f64_array(o, x, n); break;
          case 3: kr_np_cos_f64_array(o, x, n); break;
          case 4: kr_np_tanh_f64_array(o, x, n); break;
          case 5: kr_np_erf_f64_array(o, x, n); break;
          default: kr_np_power_f64_array(o, x, y, n);
        }
      } else {
        switch (f) {
          case 0: kr_np_exp_f32_array(of, xf, n); break;
          case 1: kr_np_log_f32_array(of, xf, n); break;
          case 2: kr_np_sin_f32_array(of, xf, n); break;
          case 3: kr_np_cos_f32_array(of, xf, n); break;
          case 4: kr_np_tanh_f32_array(of, xf, n); break;
          case 5: kr_np_erf_f32_array(of, xf, n); break;
          default: kr_np_power_f32_array(of, xf, yf, n);
        }
      }
      double worst = 0, at = 0, at2 = 0;
      for (long i = 0; i < n; i++) {
        long double exact, got;
        if (!f32) {
          long double a = x[i], b = y[i];
          exact = f == 0 ? expl(a) : f == 1 ? logl(a) : f == 2 ? sinl(a) : f == 3 ? cosl(a) : f == 4 ? tanhl(a) : f == 5 ? erfl(a) : powl(a, b);
          got = o[i];
        } else {
          double a = xf[i], b = yf[i];
          exact = f == 0 ? exp(a) : f == 1 ? log(a) : f == 2 ? sin(a) : f == 3 ? cos(a) : f == 4 ? tanh(a) : f == 5 ? erf(a) : pow(a, b);
          got = of[i];
          if (fabsl(exact) > 3.4028234663852886e38L) continue; /* overflow: checked in the test */
        }
        if (!isfinite((double)exact)) continue;
        double u = ulps(got, exact, f32 ? 24 : 53);
        if (u > worst) { worst = u; at = f32 ? xf[i] : x[i]; at2 = f32 ? yf[i] : y[i]; }
      }
      if (f == 6) printf("%-5s %s %.3f at (%.17g, %.17g)\n", fns[f], f32 ? "float32" : "float64", worst, at, at2);
      else printf("%-5s %s %.3f at %.17g\n", fns[f], f32 ? "float32" : "float64", worst, at);
      fflush(stdout);
    }
  return 0;
}
