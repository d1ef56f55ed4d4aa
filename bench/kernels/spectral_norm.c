/* Hand-written C reference for bench/kernels/spectral_norm.py, in Kiln's calling style. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

static double eval_a(int64_t i, int64_t j) { return 1.0 / (double)((i + j) * (i + j + 1) / 2 + i + 1); }

static void mul_atav(int64_t n, const double *src, double *t, double *dst) {
  for (int64_t i = 0; i < n; i++) {
    double s = 0.0;
    for (int64_t j = 0; j < n; j++) s += eval_a(i, j) * src[j];
    t[i] = s;
  }
  for (int64_t i = 0; i < n; i++) {
    double s = 0.0;
    for (int64_t j = 0; j < n; j++) s += eval_a(j, i) * t[j];
    dst[i] = s;
  }
}

int ref_spectral_norm(int64_t n, double *out) {
  double *u = malloc(sizeof(double) * (size_t)n), *v = malloc(sizeof(double) * (size_t)n), *t = malloc(sizeof(double) * (size_t)n);
  if (!u || !v || !t) { free(u); free(v); free(t); return 1; }
  for (int64_t i = 0; i < n; i++) { u[i] = 1.0; v[i] = 0.0; }
  for (int k = 0; k < 10; k++) {
    mul_atav(n, u, t, v);
    mul_atav(n, v, t, u);
  }
  double vbv = 0.0, vv = 0.0;
  for (int64_t i = 0; i < n; i++) { vbv += u[i] * v[i]; vv += v[i] * v[i]; }
  free(u); free(v); free(t);
  *out = sqrt(vbv / vv);
  return 0;
}
