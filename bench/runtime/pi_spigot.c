/*
 * Gibbons' unbounded spigot for the digits of pi, written against kiln_bigint.h the way the compiler lowers
 * the Python version (bench/runtime/numbers_cpython.py, pi_digits): every Python operation is one kr_int call
 * returning a new reference, temporaries are released as soon as the statement ends, a tuple assignment
 * computes every right-hand side before it replaces the variables.
 * Usage: pi_spigot DIGITS [REPEATS]  -> prints the first 50 digits, the digit sum, and the best time per run.
 */
#define _POSIX_C_SOURCE 199309L
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include "kiln_bigint.h"

#define T(expr) do { if ((expr) != 0) { fprintf(stderr, "error: %s\n", kr_err.message); exit(1); } } while (0)

static int64_t pi_digits(int64_t n, char *digits) {
  kr_int q = KR_INT(1), r = KR_INT(0), t = KR_INT(1), k = KR_INT(1), m = KR_INT(3), x = KR_INT(3);
  int64_t len = 0;
  while (len < n) {
    /* if 4 * q + r - t < m * t: */
    kr_int a, b, c, d;
    T(kr_int_mul(KR_INT(4), q, &a));
    T(kr_int_add(a, r, &b)); kr_int_decref(a);
    T(kr_int_sub(b, t, &c)); kr_int_decref(b);
    T(kr_int_mul(m, t, &d));
    int less = kr_int_lt(c, d);
    kr_int_decref(c); kr_int_decref(d);
    if (less) {
      int64_t digit;
      T(kr_int_to_i64(m, &digit));
      digits[len++] = (char)('0' + digit);
      /* q, r, m = 10 * q, 10 * (r - m * t), (10 * (3 * q + r)) // t - 10 * m */
      kr_int nq, nr, nm;
      T(kr_int_mul(KR_INT(10), q, &nq));
      T(kr_int_mul(m, t, &a));
      T(kr_int_sub(r, a, &b)); kr_int_decref(a);
      T(kr_int_mul(KR_INT(10), b, &nr)); kr_int_decref(b);
      T(kr_int_mul(KR_INT(3), q, &a));
      T(kr_int_add(a, r, &b)); kr_int_decref(a);
      T(kr_int_mul(KR_INT(10), b, &c)); kr_int_decref(b);
      T(kr_int_floordiv(c, t, &d)); kr_int_decref(c);
      T(kr_int_mul(KR_INT(10), m, &a));
      T(kr_int_sub(d, a, &nm)); kr_int_decref(d); kr_int_decref(a);
      kr_int_decref(q); kr_int_decref(r); kr_int_decref(m);
      q = nq; r = nr; m = nm;
    } else {
      /* q, r, t, k, m, x = q * k, (2 * q + r) * x, t * x, k + 1, (q * (7 * k + 2) + r * x) // (t * x), x + 2 */
      kr_int nq, nr, nt, nk, nm, nx;
      T(kr_int_mul(q, k, &nq));
      T(kr_int_mul(KR_INT(2), q, &a));
      T(kr_int_add(a, r, &b)); kr_int_decref(a);
      T(kr_int_mul(b, x, &nr)); kr_int_decref(b);
      T(kr_int_mul(t, x, &nt));
      T(kr_int_add(k, KR_INT(1), &nk));
      T(kr_int_mul(KR_INT(7), k, &a));
      T(kr_int_add(a, KR_INT(2), &b)); kr_int_decref(a);
      T(kr_int_mul(q, b, &c)); kr_int_decref(b);
      T(kr_int_mul(r, x, &a));
      T(kr_int_add(c, a, &b)); kr_int_decref(c); kr_int_decref(a);
      T(kr_int_mul(t, x, &a));
      T(kr_int_floordiv(b, a, &nm)); kr_int_decref(b); kr_int_decref(a);
      T(kr_int_add(x, KR_INT(2), &nx));
      kr_int_decref(q); kr_int_decref(r); kr_int_decref(t); kr_int_decref(k); kr_int_decref(m); kr_int_decref(x);
      q = nq; r = nr; t = nt; k = nk; m = nm; x = nx;
    }
  }
  kr_int_decref(q); kr_int_decref(r); kr_int_decref(t); kr_int_decref(k); kr_int_decref(m); kr_int_decref(x);
  return len;
}

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv) {
  int64_t n = argc > 1 ? atoll(argv[1]) : 1000;
  int reps = argc > 2 ? atoi(argv[2]) : 5;
  char *digits = malloc((size_t)n + 1);
  double best = 1e30;
  for (int i = 0; i < reps; i++) {
    double t0 = now();
    pi_digits(n, digits);
    double dt = now() - t0;
    if (dt < best) best = dt;
  }
  digits[n] = 0;
  long sum = 0;
  for (int64_t i = 0; i < n; i++) sum += digits[i] - '0';
  printf("%.50s digitsum=%ld best=%.3f ms\n", digits, sum, best * 1e3);
  free(digits);
  kr_gc_release();
  return 0;
}
