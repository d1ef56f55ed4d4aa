/*
 * Timing driver for the runtime's NumPy kernels (resources/c/kiln_gemm.h, kiln_vmath.h, kiln_threads.h); run by
 * bench/runtime/run.mjs next to the same measurements in NumPy (numpy_kernels.py). One line per measurement:
 * "<name> <best ms> <median ms>" over REPS calls, in the thread's CPU time (one thread: immune to time slices
 * taken by other processes on a shared machine) or in wall time (several threads).
 *
 *   kernels gemm N DTYPE THREADS REPS     C = A @ B, N x N, float64 | float32; THREADS 1: CPU time, else wall time
 *   kernels vmath FUNC DTYPE N REPS       y = FUNC(x) over N values (exp, log, sin, cos, tanh, erf, sqrt, power)
 *   kernels par N THREADS REPS            an embarrassingly parallel loop (200 dependent steps per item), wall time
 *   kernels info                          the ISA paths and the thread count
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <time.h>
#include "kiln_gemm.h"
#include "kiln_vmath.h"

#ifndef CLOCK_THREAD_CPUTIME_ID /* WASI: one thread, no CPU clock */
#define CLOCK_THREAD_CPUTIME_ID CLOCK_MONOTONIC
#endif
static double now(int cpu) {
  struct timespec t;
  clock_gettime(cpu ? CLOCK_THREAD_CPUTIME_ID : CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}
static int cmp_double(const void *a, const void *b) { double x = *(const double *)a, y = *(const double *)b; return x < y ? -1 : x > y; }
static void report(const char *name, double *t, int n) {
  qsort(t, (size_t)n, sizeof(double), cmp_double);
  printf("%s %.4f %.4f\n", name, t[0] * 1e3, t[n / 2] * 1e3);
}
static uint64_t rng = 88172645463325252ull;
static double uniform(void) { rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17; return (double)(rng >> 11) * 0x1p-53; }

typedef struct { const double *x; double *y; } par_ctx;
static int par_body(void *p, int64_t lo, int64_t hi, int worker) {
  (void)worker;
  par_ctx *c = (par_ctx *)p;
  for (int64_t i = lo; i < hi; i++) {
    double v = c->x[i];
    for (int k = 0; k < 200; k++) v = v * 0.999 + 0.5 / (1.0 + v * v);
    c->y[i] = v;
  }
  return 0;
}

int main(int argc, char **argv) {
  if (argc > 1 && strcmp(argv[1], "info") == 0) {
    printf("gemm paths %s (using %s), vectors %s, threads %d\n", kr_gemm_paths(), kr_gemm_path(), KILN_SIMD_NAME, kr_threads_count());
    return 0;
  }
  if (argc > 5 && strcmp(argv[1], "gemm") == 0) {
    int64_t n = atoll(argv[2]);
    int f32 = strcmp(argv[3], "float32") == 0, threads = atoi(argv[4]), reps = atoi(argv[5]);
    kr_threads_set(threads);
    size_t nn = (size_t)(n * n);
    double *a = (double *)malloc(nn * 8), *b = (double *)malloc(nn * 8), *c = (double *)malloc(nn * 8);
    float *af = (float *)malloc(nn * 4), *bf = (float *)malloc(nn * 4), *cf = (float *)malloc(nn * 4);
    for (size_t i = 0; i < nn; i++) { a[i] = uniform(); b[i] = uniform(); af[i] = (float)a[i]; bf[i] = (float)b[i]; }
    double *t = (double *)malloc((size_t)reps * sizeof(double));
    for (int r = -1; r < reps; r++) { /* one warm-up call: threads started, buffers faulted in */
      double t0 = now(threads == 1);
      if (f32) kr_gemm_f32(n, n, n, af, n, 1, bf, n, 1, cf, n, 1);
      else kr_gemm_f64(n, n, n, a, n, 1, b, n, 1, c, n, 1);
      if (r >= 0) t[r] = now(threads == 1) - t0;
    }
    char name[64];
    snprintf(name, sizeof name, "gemm_%lld_%s_%dt", (long long)n, argv[3], threads);
    report(name, t, reps);
    kr_threads_shutdown();
    return 0;
  }
  if (argc > 5 && strcmp(argv[1], "vmath") == 0) {
    const char *fn = argv[2];
    int f32 = strcmp(argv[3], "float32") == 0;
    int64_t n = atoll(argv[4]);
    int reps = atoi(argv[5]);
    double *x = (double *)malloc((size_t)n * 8), *p = (double *)malloc((size_t)n * 8), *y = (double *)malloc((size_t)n * 8);
    float *xf = (float *)malloc((size_t)n * 4), *pf = (float *)malloc((size_t)n * 4), *yf = (float *)malloc((size_t)n * 4);
    /* the same inputs as numpy_kernels.py: x uniform in [-5, 5), p = |x| (log, sqrt, power's base) */
    for (int64_t i = 0; i < n; i++) { x[i] = uniform() * 10 - 5; p[i] = fabs(x[i]); xf[i] = (float)x[i]; pf[i] = (float)p[i]; }
    memset(y, 0, (size_t)n * 8);
    memset(yf, 0, (size_t)n * 4);
    double *t = (double *)malloc((size_t)reps * sizeof(double));
    for (int r = -1; r < reps; r++) {
      double t0 = now(1);
      if (!f32) {
        if (!strcmp(fn, "exp")) kr_np_exp_f64_array(y, x, n);
        else if (!strcmp(fn, "log")) kr_np_log_f64_array(y, p, n);
        else if (!strcmp(fn, "sin")) kr_np_sin_f64_array(y, x, n);
        else if (!strcmp(fn, "cos")) kr_np_cos_f64_array(y, x, n);
        else if (!strcmp(fn, "tanh")) kr_np_tanh_f64_array(y, x, n);
        else if (!strcmp(fn, "erf")) kr_np_erf_f64_array(y, x, n);
        else if (!strcmp(fn, "sqrt")) kr_np_sqrt_f64_array(y, p, n);
        else kr_np_power_f64_array(y, p, x, n);
      } else {
        if (!strcmp(fn, "exp")) kr_np_exp_f32_array(yf, xf, n);
        else if (!strcmp(fn, "log")) kr_np_log_f32_array(yf, pf, n);
        else if (!strcmp(fn, "sin")) kr_np_sin_f32_array(yf, xf, n);
        else if (!strcmp(fn, "cos")) kr_np_cos_f32_array(yf, xf, n);
        else if (!strcmp(fn, "tanh")) kr_np_tanh_f32_array(yf, xf, n);
        else if (!strcmp(fn, "erf")) kr_np_erf_f32_array(yf, xf, n);
        else if (!strcmp(fn, "sqrt")) kr_np_sqrt_f32_array(yf, pf, n);
        else kr_np_power_f32_array(yf, pf, xf, n);
      }
      if (r >= 0) t[r] = now(1) - t0;
      __asm__ __volatile__("" ::: "memory");
    }
    char name[64];
    snprintf(name, sizeof name, "%s_%s", fn, argv[3]);
    report(name, t, reps);
    return y[n / 2] == 12345.0 && yf[n / 3] == 12345.0f; /* keep the results alive */
  }
  if (argc > 4 && strcmp(argv[1], "par") == 0) {
    int64_t n = atoll(argv[2]);
    int threads = atoi(argv[3]), reps = atoi(argv[4]);
    kr_threads_set(threads);
    double *x = (double *)malloc((size_t)n * 8), *y = (double *)malloc((size_t)n * 8);
    for (int64_t i = 0; i < n; i++) x[i] = uniform();
    par_ctx c = { x, y };
    double *t = (double *)malloc((size_t)reps * sizeof(double));
    for (int r = -1; r < reps; r++) {
      double t0 = now(0);
      kr_parallel_for(0, n, n / 64 + 1, par_body, &c); /* 64 chunks: a busy core does not hold the rest back */
      if (r >= 0) t[r] = now(0) - t0;
    }
    char name[64];
    snprintf(name, sizeof name, "par_%dt", threads);
    report(name, t, reps);
    kr_threads_shutdown();
    return 0;
  }
  fprintf(stderr, "usage: kernels gemm N DTYPE THREADS REPS | vmath FUNC DTYPE N REPS | par N THREADS REPS | info\n");
  return 2;
}
