/*
 * Benchmarks of the numeric runtime (kiln_bigint.h, kiln_math.h, kiln_random.h), each written the way the
 * compiler lowers the Python in bench/runtime/numbers_cpython.py (one runtime call per Python operation,
 * references released as statements end), next to hand-written C where the issue asks for a C reference.
 * Prints one line per benchmark: name, best CPU time of the repeats (process CPU time, not wall time: a shared
 * machine deschedules the process), and a checksum that the Python side prints too.
 *
 *   numbers factorial|pi|random|montecarlo|montecarlo-ref|intadd [N]
 * Run them all with bench/runtime/numbers.sh.
 */
#define _POSIX_C_SOURCE 199309L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "kiln_math.h"
#include "kiln_random.h"

#define T(expr) do { if ((expr) != 0) { fprintf(stderr, "error: %s\n", kr_err.message); exit(1); } } while (0)

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);   /* CPU time: the machine is shared */
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* ---- math.factorial(1000): digit sum of the result as the checksum ---- */
static double bench_factorial(int64_t n, int reps, long *check) {
  double best = 1e30;
  for (int r = 0; r < reps; r++) {
    double t0 = now();
    kr_int f;
    T(kr_math_factorial(KR_INT(n), &f));
    double dt = now() - t0;
    if (dt < best) best = dt;
    if (r == reps - 1) {
      char *s;
      int64_t len;
      T(kr_int_str(f, &s, &len));
      *check = 0;
      for (int64_t i = 0; i < len; i++) *check += s[i] - '0';
      free(s);
    }
    kr_int_decref(f);
  }
  return best;
}

/* ---- Gibbons' unbounded spigot for the digits of pi (numbers_cpython.py's pi_digits): every Python operation is
 * one kr_int call returning a new reference, temporaries are released when the statement ends, a tuple
 * assignment computes every right-hand side before it replaces the variables ---- */
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

/* ---- random.random() in a loop: s = 0.0; for _ in range(n): s += random() ---- */
static double bench_random(int64_t n, double *check) {
  kr_random *r = kr_random_default();
  kr_random_seed_i64(r, 12345);
  double t0 = now(), s = 0.0;
  for (int64_t i = 0; i < n; i++) s += kr_random_random(r);
  *check = s;
  return now() - t0;
}

/* ---- Monte Carlo pi: for _ in range(n): x = random(); y = random(); if x*x + y*y <= 1.0: hits += 1 ---- */
static double bench_montecarlo(int64_t n, double *check) {
  kr_random *r = kr_random_default();
  kr_random_seed_i64(r, 12345);
  double t0 = now();
  int64_t hits = 0;
  for (int64_t i = 0; i < n; i++) {
    double x = kr_random_random(r), y = kr_random_random(r);
    if (x * x + y * y <= 1.0) { if (kr_add_i64(hits, 1, &hits)) exit(1); }
  }
  *check = 4.0 * (double)hits / (double)n;
  return now() - t0;
}

/* The C reference: Matsumoto and Nishimura's MT19937 as a C programmer writes it (genrand_int32 with its
 * mag01 table, genrand_res53), seeded the same way, so both loops draw the same numbers. */
static uint32_t ref_mt[624];
static int ref_mti = 625;
static void ref_init_genrand(uint32_t s) {
  ref_mt[0] = s;
  for (ref_mti = 1; ref_mti < 624; ref_mti++) ref_mt[ref_mti] = 1812433253u * (ref_mt[ref_mti - 1] ^ (ref_mt[ref_mti - 1] >> 30)) + (uint32_t)ref_mti;
}
static void ref_init_by_array(const uint32_t *key, int len) {
  int i = 1, j = 0, k = 624 > len ? 624 : len;
  ref_init_genrand(19650218u);
  for (; k; k--) {
    ref_mt[i] = (ref_mt[i] ^ ((ref_mt[i - 1] ^ (ref_mt[i - 1] >> 30)) * 1664525u)) + key[j] + (uint32_t)j;
    i++; j++;
    if (i >= 624) { ref_mt[0] = ref_mt[623]; i = 1; }
    if (j >= len) j = 0;
  }
  for (k = 623; k; k--) {
    ref_mt[i] = (ref_mt[i] ^ ((ref_mt[i - 1] ^ (ref_mt[i - 1] >> 30)) * 1566083941u)) - (uint32_t)i;
    i++;
    if (i >= 624) { ref_mt[0] = ref_mt[623]; i = 1; }
  }
  ref_mt[0] = 0x80000000u;
}
static uint32_t ref_genrand_int32(void) {
  static const uint32_t mag01[2] = { 0x0u, 0x9908b0dfu };
  uint32_t y;
  if (ref_mti >= 624) {
    int kk;
    for (kk = 0; kk < 624 - 397; kk++) {
      y = (ref_mt[kk] & 0x80000000u) | (ref_mt[kk + 1] & 0x7fffffffu);
      ref_mt[kk] = ref_mt[kk + 397] ^ (y >> 1) ^ mag01[y & 1u];
    }
    for (; kk < 623; kk++) {
      y = (ref_mt[kk] & 0x80000000u) | (ref_mt[kk + 1] & 0x7fffffffu);
      ref_mt[kk] = ref_mt[kk + (397 - 624)] ^ (y >> 1) ^ mag01[y & 1u];
    }
    y = (ref_mt[623] & 0x80000000u) | (ref_mt[0] & 0x7fffffffu);
    ref_mt[623] = ref_mt[396] ^ (y >> 1) ^ mag01[y & 1u];
    ref_mti = 0;
  }
  y = ref_mt[ref_mti++];
  y ^= (y >> 11);
  y ^= (y << 7) & 0x9d2c5680u;
  y ^= (y << 15) & 0xefc60000u;
  y ^= (y >> 18);
  return y;
}
static double ref_genrand_res53(void) {
  uint32_t a = ref_genrand_int32() >> 5, b = ref_genrand_int32() >> 6;
  return (a * 67108864.0 + b) * (1.0 / 9007199254740992.0);
}
static double bench_montecarlo_ref(int64_t n, double *check) {
  uint32_t key[1] = { 12345 };
  ref_init_by_array(key, 1);
  double t0 = now();
  int64_t hits = 0;
  for (int64_t i = 0; i < n; i++) {
    double x = ref_genrand_res53(), y = ref_genrand_res53();
    if (x * x + y * y <= 1.0) hits++;
  }
  *check = 4.0 * (double)hits / (double)n;
  return now() - t0;
}

/* ---- the kr_int fast path: sum of a list of ints, as int64 (range-proven) and as kr_int (unbounded) ---- */
static double bench_intadd(int64_t n, int which, int64_t *check) {
  int64_t *data = (int64_t *)malloc((size_t)n * sizeof(int64_t));
  kr_int *kdata = (kr_int *)malloc((size_t)n * sizeof(kr_int));
  uint64_t s = 88172645463325252ull;
  for (int64_t i = 0; i < n; i++) { s ^= s << 13; s ^= s >> 7; s ^= s << 17; data[i] = (int64_t)(s % 2000001) - 1000000; kdata[i] = KR_INT(data[i]); }
  double best = 1e30;
  for (int rep = 0; rep < 20; rep++) {
    double t0 = now();
    if (which == 0) {
      int64_t acc = 0;
      for (int64_t i = 0; i < n; i++) if (kr_add_i64(acc, data[i], &acc)) exit(1);
      *check = acc;
    } else {
      kr_int acc = KR_INT(0), t;
      for (int64_t i = 0; i < n; i++) { if (kr_int_add(acc, kdata[i], &t)) exit(1); kr_int_decref(acc); acc = t; }
      int64_t v;
      kr_int_as_i64(acc, &v);
      *check = v;
      kr_int_decref(acc);
    }
    double dt = now() - t0;
    if (dt < best) best = dt;
  }
  free(data);
  free(kdata);
  return best;
}

int main(int argc, char **argv) {
  const char *what = argc > 1 ? argv[1] : "factorial";
  if (!strcmp(what, "factorial")) {
    long check;
    double t = bench_factorial(argc > 2 ? atoll(argv[2]) : 1000, 200, &check);
    printf("factorial %.2f us digitsum=%ld\n", t * 1e6, check);
  } else if (!strcmp(what, "pi")) {
    int64_t n = argc > 2 ? atoll(argv[2]) : 1000;
    char *digits = (char *)malloc((size_t)n + 1);
    double best = 1e30;
    for (int r = 0; r < 5; r++) { double t0 = now(); pi_digits(n, digits); double dt = now() - t0; if (dt < best) best = dt; }
    long sum = 0;
    for (int64_t i = 0; i < n; i++) sum += digits[i] - '0';
    printf("pi %.2f ms digitsum=%ld\n", best * 1e3, sum);
    free(digits);
  } else if (!strcmp(what, "random") || !strcmp(what, "montecarlo") || !strcmp(what, "montecarlo-ref")) {
    int64_t n = argc > 2 ? atoll(argv[2]) : 10000000;
    double best = 1e30, check = 0;
    for (int r = 0; r < 5; r++) {
      double t = what[0] == 'r' ? bench_random(n, &check) : what[10] == '-' ? bench_montecarlo_ref(n, &check) : bench_montecarlo(n, &check);
      if (t < best) best = t;
    }
    printf("%s %.2f ms (%.2f ns per iteration) check=%.17g\n", what, best * 1e3, best * 1e9 / (double)n, check);
  } else if (!strcmp(what, "intadd")) {
    int64_t n = argc > 2 ? atoll(argv[2]) : 1000000, c0, c1;
    double t0 = bench_intadd(n, 0, &c0), t1 = bench_intadd(n, 1, &c1);
    printf("intadd int64 %.3f ns/add  kr_int %.3f ns/add  (%+.1f%%) sums %lld %lld\n", t0 * 1e9 / (double)n, t1 * 1e9 / (double)n, (t1 / t0 - 1) * 100, (long long)c0, (long long)c1);
  } else {
    fprintf(stderr, "unknown benchmark %s\n", what);
    return 2;
  }
  kr_gc_release();
  return 0;
}
