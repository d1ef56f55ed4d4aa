/* Hand-written C reference for bench/kernels/closures.py, in Kiln's calling convention: the integrands as
   static inline functions, every operation in Python's order (so the result is the same to the last bit). */
#include <math.h>
#include <stdint.h>

static inline double gauss(double w, double x) { return exp(-w * x * x); }
static inline double gauss_cos(double w, int64_t k, double x) { return gauss(w, x) * cos((double)k * x); }

static double simpson_gauss(double w, double a, double b, int64_t n) {
  double h = (b - a) / (double)n;
  double s = gauss(w, a) + gauss(w, b);
  for (int64_t i = 1; i < n; i++) s += (i % 2 ? 4.0 : 2.0) * gauss(w, a + (double)i * h);
  return s * h / 3.0;
}

static double simpson_gauss_cos(double w, int64_t k, double a, double b, int64_t n) {
  double h = (b - a) / (double)n;
  double s = gauss_cos(w, k, a) + gauss_cos(w, k, b);
  for (int64_t i = 1; i < n; i++) s += (i % 2 ? 4.0 : 2.0) * gauss_cos(w, k, a + (double)i * h);
  return s * h / 3.0;
}

int ref_closure_integrals(int64_t n, double *out) {
  if (n <= 0) return 1;
  double total = 0.0;
  for (int64_t k = 1; k < 9; k++) {
    double w = (double)k * 0.5;
    total += simpson_gauss(w, 0.0, 2.0, n) + simpson_gauss_cos(w, k, 0.0, 2.0, n);
  }
  *out = total;
  return 0;
}
