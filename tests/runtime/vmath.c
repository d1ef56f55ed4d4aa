/*
 * The vectorised math (resources/c/kiln_vmath.h) on inputs from stdin, for tests/runtime/vmath.test.ts, which
 * compares the results with high-precision references and NumPy (vmath_ref.py).
 *
 *   vmath eval < inputs    each line "FUNC DTYPE X [Y]" (floats as C hex, %a) -> one line with the result (%a); every
 *                          input is computed three ways, one value (kr_np_*), within an array of all inputs of that
 *                          function (kr_np_*_array, so each lands at some lane of a vector or in a tail) and in a
 *                          softmax-free fused form for exp; the three must have the same bits, else "MISMATCH";
 *                          float64 power also as kr_np_power_f64_array_s (an array and one exponent), every lane;
 *                          and the last 2 to 17 inputs of each function as an array of their own (short arrays).
 *   vmath softmax N SEED   softmax of N splitmix64 values in [-20, 20): prints the results (%a)
 */
#include <stdio.h>
#include "kiln_vmath.h"

typedef struct { char fn[8]; int f32; double x, y; } input;

static const char *const FUNCS[] = { "exp", "log", "sin", "cos", "tanh", "erf", "sqrt", "power" };
enum { NFUNCS = 8 };

static double one(int fn, int f32, double x, double y) {
  if (f32) {
    float a = (float)x, b = (float)y;
    switch (fn) {
      case 0: return kr_np_exp_f32(a);
      case 1: return kr_np_log_f32(a);
      case 2: return kr_np_sin_f32(a);
      case 3: return kr_np_cos_f32(a);
      case 4: return kr_np_tanh_f32(a);
      case 5: return kr_np_erf_f32(a);
      case 6: return kr_np_sqrt_f32(a);
      default: return kr_np_power_f32(a, b);
    }
  }
  switch (fn) {
    case 0: return kr_np_exp_f64(x);
    case 1: return kr_np_log_f64(x);
    case 2: return kr_np_sin_f64(x);
    case 3: return kr_np_cos_f64(x);
    case 4: return kr_np_tanh_f64(x);
    case 5: return kr_np_erf_f64(x);
    case 6: return kr_np_sqrt_f64(x);
    default: return kr_np_power_f64(x, y);
  }
}

static void array_f64(int fn, double *out, const double *x, const double *y, int64_t n) {
  switch (fn) {
    case 0: kr_np_exp_f64_array(out, x, n); break;
    case 1: kr_np_log_f64_array(out, x, n); break;
    case 2: kr_np_sin_f64_array(out, x, n); break;
    case 3: kr_np_cos_f64_array(out, x, n); break;
    case 4: kr_np_tanh_f64_array(out, x, n); break;
    case 5: kr_np_erf_f64_array(out, x, n); break;
    case 6: kr_np_sqrt_f64_array(out, x, n); break;
    default: kr_np_power_f64_array(out, x, y, n); break;
  }
}
static void array_f32(int fn, float *out, const float *x, const float *y, int64_t n) {
  switch (fn) {
    case 0: kr_np_exp_f32_array(out, x, n); break;
    case 1: kr_np_log_f32_array(out, x, n); break;
    case 2: kr_np_sin_f32_array(out, x, n); break;
    case 3: kr_np_cos_f32_array(out, x, n); break;
    case 4: kr_np_tanh_f32_array(out, x, n); break;
    case 5: kr_np_erf_f32_array(out, x, n); break;
    case 6: kr_np_sqrt_f32_array(out, x, n); break;
    default: kr_np_power_f32_array(out, x, y, n); break;
  }
}

static int same_bits(double a, double b) { return memcmp(&a, &b, sizeof a) == 0 || (a != a && b != b); }

static int eval_mode(void) {
  int64_t cap = 1024, n = 0;
  input *in = (input *)malloc((size_t)cap * sizeof(input));
  char line[256], fn[16], dt[16], xs[64], ys[64];
  while (fgets(line, sizeof line, stdin)) {
    int got = sscanf(line, "%15s %15s %63s %63s", fn, dt, xs, ys);
    if (got < 3) continue;
    if (n == cap) { cap *= 2; in = (input *)realloc(in, (size_t)cap * sizeof(input)); }
    snprintf(in[n].fn, sizeof in[n].fn, "%s", fn);
    in[n].f32 = strcmp(dt, "float32") == 0;
    in[n].x = strtod(xs, NULL);
    in[n].y = got > 3 ? strtod(ys, NULL) : 0.0;
    n++;
  }
  double *res = (double *)malloc((size_t)(n ? n : 1) * sizeof(double));
  int64_t mismatches = 0;
  /* Arrays: per function and dtype, every input of that kind in order. */
  for (int f = 0; f < NFUNCS; f++)
    for (int f32 = 0; f32 < 2; f32++) {
      int64_t m = 0;
      int64_t *idx = (int64_t *)malloc((size_t)(n ? n : 1) * sizeof(int64_t));
      for (int64_t i = 0; i < n; i++) if (strcmp(in[i].fn, FUNCS[f]) == 0 && in[i].f32 == f32) idx[m++] = i;
      if (m) {
        if (f32) {
          float *x = (float *)malloc((size_t)m * 4), *y = (float *)malloc((size_t)m * 4), *o = (float *)malloc((size_t)m * 4);
          for (int64_t j = 0; j < m; j++) { x[j] = (float)in[idx[j]].x; y[j] = (float)in[idx[j]].y; }
          array_f32(f, o, x, y, m);
          for (int64_t j = 0; j < m; j++) res[idx[j]] = o[j];
          /* Short arrays (fewer items than lanes: one vector filled lane by lane) and lengths just past a vector. */
          for (int64_t len = 2; len <= 17 && len <= m; len++) {
            float s[17];
            array_f32(f, s, x + m - len, y + m - len, len);
            for (int64_t j = 0; j < len; j++) if (!same_bits(s[j], o[m - len + j])) { mismatches++; fprintf(stderr, "%lld items %s float32 %a\n", (long long)len, FUNCS[f], in[idx[m - len + j]].x); }
          }
          if (f != 7) { /* in place, as y may be x */
            array_f32(f, x, x, y, m);
            for (int64_t j = 0; j < m; j++) if (!same_bits(x[j], o[j])) { mismatches++; fprintf(stderr, "in place %s float32 %a\n", FUNCS[f], in[idx[j]].x); }
          }
          free(x); free(y); free(o);
        } else {
          double *x = (double *)malloc((size_t)m * 8), *y = (double *)malloc((size_t)m * 8), *o = (double *)malloc((size_t)m * 8);
          for (int64_t j = 0; j < m; j++) { x[j] = in[idx[j]].x; y[j] = in[idx[j]].y; }
          array_f64(f, o, x, y, m);
          for (int64_t j = 0; j < m; j++) res[idx[j]] = o[j];
          for (int64_t len = 2; len <= 17 && len <= m; len++) {
            double s[17];
            array_f64(f, s, x + m - len, y + m - len, len);
            for (int64_t j = 0; j < len; j++) if (!same_bits(s[j], o[m - len + j])) { mismatches++; fprintf(stderr, "%lld items %s float64 %a\n", (long long)len, FUNCS[f], in[idx[m - len + j]].x); }
          }
          if (f != 7) {
            array_f64(f, x, x, y, m);
            for (int64_t j = 0; j < m; j++) if (!same_bits(x[j], o[j])) { mismatches++; fprintf(stderr, "in place %s float64 %a\n", FUNCS[f], in[idx[j]].x); }
          }
          free(x); free(y); free(o);
        }
      }
      free(idx);
    }
  for (int64_t i = 0; i < n; i++) {
    int f = 0;
    while (f < NFUNCS && strcmp(in[i].fn, FUNCS[f]) != 0) f++;
    if (f == NFUNCS) { printf("unknown\n"); continue; }
    double s = one(f, in[i].f32, in[i].x, in[i].y);
    if (!same_bits(s, res[i])) { mismatches++; fprintf(stderr, "one value %s %s %a: %a, in an array %a\n", in[i].fn, in[i].f32 ? "float32" : "float64", in[i].x, s, res[i]); }
    /* x ** y over an array for one exponent (an exported library's array ** number): every lane and the tail give the
       item's bits (the exponents NumPy's loop special-cases, 2, 0.5, -1 and 1, are x*x, sqrt, 1/x, x there). */
    double y = in[i].y;
    if (f == 7 && !in[i].f32 && y != 2.0 && y != 0.5 && y != -1.0 && y != 1.0) {
      double xs[11], os[11];
      for (int k = 0; k < 11; k++) xs[k] = in[i].x;
      kr_np_power_f64_array_s(os, xs, y, 11);
      for (int k = 0; k < 11; k++)
        if (!same_bits(os[k], res[i])) { mismatches++; fprintf(stderr, "power_array_s %a ** %a at %d: %a, in an array %a\n", in[i].x, y, k, os[k], res[i]); break; }
    }
    printf("%a\n", res[i]);
  }
  printf("mismatches %lld\n", (long long)mismatches);
  free(in);
  free(res);
  return 0;
}

static uint64_t rng_state;
static uint64_t next_u64(void) {
  uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

int main(int argc, char **argv) {
  if (argc > 1 && strcmp(argv[1], "eval") == 0) return eval_mode();
  if (argc > 3 && strcmp(argv[1], "softmax") == 0) {
    int64_t n = atoll(argv[2]);
    rng_state = strtoull(argv[3], NULL, 10);
    double *x = (double *)malloc((size_t)(n ? n : 1) * 8), *y = (double *)malloc((size_t)(n ? n : 1) * 8);
    float *xf = (float *)malloc((size_t)(n ? n : 1) * 4), *yf = (float *)malloc((size_t)(n ? n : 1) * 4);
    for (int64_t i = 0; i < n; i++) { x[i] = (double)(next_u64() >> 11) * 0x1p-53 * 40.0 - 20.0; xf[i] = (float)x[i]; }
    int rc = kr_softmax_f64(y, x, n), rcf = kr_softmax_f32(yf, xf, n);
    if (rc || rcf) printf("error %s: %s\n", kr_error_names[kr_err.kind], kr_err.message);
    else for (int64_t i = 0; i < n; i++) printf("%a %a\n", y[i], (double)yf[i]);
    free(x); free(y); free(xf); free(yf);
    return 0;
  }
  fprintf(stderr, "usage: vmath eval < inputs | vmath softmax N SEED\n");
  return 2;
}
