/*
 * Kiln runtime: the rest of Python's `math` module (what kiln_runtime.h does not already have), `cmath` and
 * complex numbers, and the `statistics` helpers that need exact arithmetic. Design: docs/design/numbers.md.
 *
 * Conventions (as kiln_runtime.h): a fallible function returns 0 and writes *out, or raises (kr_raise) with
 * CPython's exception and message and returns -1. kr_int results are new references (kiln_bigint.h).
 *
 * What is bit-exact: everything computed by arithmetic (fsum, prod, dist, hypot, remainder, ulp, nextafter,
 * ldexp/frexp/modf, isclose, the integer functions, complex arithmetic and division, statistics) on every target.
 * Functions CPython takes from the C library (erf, erfc, expm1, log1p, cbrt, exp2, asinh, acosh, atanh, and the
 * libm calls inside gamma/lgamma and cmath) give the target C library's result, as CPython built for that target
 * would: identical to CPython on x86_64-linux-gnu (the same glibc), within an ulp or two elsewhere (musl, wasi-libc):
 * see docs/design/numbers.md for the measured agreement.
 */
#ifndef KILN_MATH_H
#define KILN_MATH_H

#include "kiln_bigint.h"

/* ---------------------------------------------------------------------------------------------------------
 * Integer functions: gcd, lcm, isqrt, factorial, comb, perm, prod of ints
 * --------------------------------------------------------------------------------------------------------- */
/* math.gcd(a, b) (always >= 0). For more arguments fold: gcd(gcd(a, b), c). */
static int kr_math_gcd(kr_int a, kr_int b, kr_int *out) {
  int64_t x, y;
  if (kr_int_as_i64(a, &x) && kr_int_as_i64(b, &y)) {
    uint64_t ux = x < 0 ? (uint64_t)0 - (uint64_t)x : (uint64_t)x, uy = y < 0 ? (uint64_t)0 - (uint64_t)y : (uint64_t)y;
    while (uy) { uint64_t t = ux % uy; ux = uy; uy = t; }
    return kr_int_from_u64(ux, out);
  }
  kr_int u, v, t;
  if (kr_int_abs(a, &u)) return -1;
  if (kr_int_abs(b, &v)) { kr_int_decref(u); return -1; }
  while (kr_int_sign(v) != 0) {   /* Euclid; each step shortens the numbers, the last steps run in 64 bits */
    if (kr_int_as_i64(u, &x) && kr_int_as_i64(v, &y)) {
      uint64_t ux = (uint64_t)x, uy = (uint64_t)y;
      while (uy) { uint64_t r = ux % uy; ux = uy; uy = r; }
      kr_int_decref(u); kr_int_decref(v);
      return kr_int_from_u64(ux, out);
    }
    if (kr_int_mod(u, v, &t)) { kr_int_decref(u); kr_int_decref(v); return -1; }
    kr_int_decref(u);
    u = v;
    v = t;
  }
  kr_int_decref(v);
  *out = u;
  return 0;
}
/* math.lcm(a, b) = |a // gcd(a, b) * b|, 0 when either is 0. */
static int kr_math_lcm(kr_int a, kr_int b, kr_int *out) {
  if (kr_int_sign(a) == 0 || kr_int_sign(b) == 0) { *out = KR_INT(0); return 0; }
  kr_int g, f, m;
  if (kr_math_gcd(a, b, &g)) return -1;
  int rc = kr_int_floordiv(a, g, &f);
  kr_int_decref(g);
  if (rc) return -1;
  rc = kr_int_mul(f, b, &m);
  kr_int_decref(f);
  if (rc) return -1;
  rc = kr_int_abs(m, out);
  kr_int_decref(m);
  return rc;
}

/* floor(sqrt(n)) for n < 2**64 */
static uint64_t kr_isqrt_u64(uint64_t n) {
  uint64_t r = (uint64_t)sqrt((double)n);
  if (r > 0xffffffffu) r = 0xffffffffu;
  while (r * r > n) r--;
  while (r < 0xffffffffu && (r + 1) * (r + 1) <= n) r++;
  return r;
}
/* math.isqrt(n): Newton's iteration at doubling precision (CPython's algorithm), exact for any size. */
static int kr_math_isqrt(kr_int n, kr_int *out) {
  int s = kr_int_sign(n);
  if (s < 0) return kr_raise(KILN_ValueError, "isqrt() argument must be nonnegative");
  int64_t nb = kr_int_bit_length(n);
  if (nb <= 64) {
    kr_iview x;
    kr_view(n, &x);
    int st;
    return kr_int_from_u64(kr_isqrt_u64(kr_mag_bits64(x.d, x.n, 0, &st)), out);
  }
  int64_t c = (nb - 1) / 2, d = 0;
  kr_int a = KR_INT(1), t, q, sq;
  for (int sh = kr_bitlen64((uint64_t)c) - 1; sh >= 0; sh--) {
    int64_t e = d;
    d = c >> sh;
    /* a = (a << d - e - 1) + (n >> 2c - e - d + 1) // a */
    if (kr_int_rshift_i64(n, 2 * c - e - d + 1, &t)) goto fail;
    if (kr_int_floordiv(t, a, &q)) { kr_int_decref(t); goto fail; }
    kr_int_decref(t);
    if (kr_int_lshift_i64(a, d - e - 1, &t)) { kr_int_decref(q); goto fail; }
    kr_int_decref(a);
    if (kr_int_add(t, q, &a)) { kr_int_decref(t); kr_int_decref(q); return -1; }
    kr_int_decref(t);
    kr_int_decref(q);
  }
  if (kr_int_mul(a, a, &sq)) goto fail;
  int too_big = kr_int_cmp(sq, n) > 0;
  kr_int_decref(sq);
  if (too_big) {
    if (kr_int_sub(a, KR_INT(1), &t)) goto fail;
    kr_int_decref(a);
    a = t;
  }
  *out = a;
  return 0;
fail:
  kr_int_decref(a);
  return -1;
}

/* The product of the odd numbers in [start, stop) (both odd), by binary splitting; leaves multiply in 64 bits. */
static int kr_odd_range_product(uint64_t start, uint64_t stop, kr_int *out) {
  uint64_t nops = (stop - start) / 2;
  int maxbits = kr_bitlen64(stop - 2);
  if (nops <= 64 && nops * (uint64_t)maxbits <= 64) {
    uint64_t total = start;
    for (uint64_t j = start + 2; j < stop; j += 2) total *= j;
    return kr_int_from_u64(total, out);
  }
  uint64_t mid = (start + nops) | 1;
  kr_int left, right;
  if (kr_odd_range_product(start, mid, &left)) return -1;
  if (kr_odd_range_product(mid, stop, &right)) { kr_int_decref(left); return -1; }
  int rc = kr_int_mul(left, right, out);
  kr_int_decref(left);
  kr_int_decref(right);
  return rc;
}
/* math.factorial(n) for n >= 0 given as int64: n! = (odd part) << (n - popcount(n)), where the odd part is the
 * product over i of the odd numbers up to n >> i, built from the top level down (CPython's binary splitting). */
static int kr_factorial_u64(uint64_t n, kr_int *out) {
  static const uint64_t small[21] = { 1, 1, 2, 6, 24, 120, 720, 5040, 40320, 362880, 3628800, 39916800, 479001600,
    6227020800ull, 87178291200ull, 1307674368000ull, 20922789888000ull, 355687428096000ull, 6402373705728000ull,
    121645100408832000ull, 2432902008176640000ull };
  if (n <= 20) return kr_int_from_u64(small[n], out);
  kr_int inner = KR_INT(1), outer = KR_INT(1), partial, t;
  uint64_t upper = 3;
  for (int i = kr_bitlen64(n) - 2; i >= 0; i--) {
    uint64_t v = n >> i;
    if (v <= 2) continue;
    uint64_t lower = upper;
    upper = (v + 1) | 1;
    if (kr_odd_range_product(lower, upper, &partial)) goto fail;
    int rc = kr_int_mul(inner, partial, &t);
    kr_int_decref(partial);
    if (rc) goto fail;
    kr_int_decref(inner);
    inner = t;
    if (kr_int_mul(outer, inner, &t)) goto fail;
    kr_int_decref(outer);
    outer = t;
  }
  kr_int_decref(inner);
  int rc = kr_int_lshift_i64(outer, (int64_t)(n - (uint64_t)__builtin_popcountll(n)), out);
  kr_int_decref(outer);
  return rc;
fail:
  kr_int_decref(inner);
  kr_int_decref(outer);
  return -1;
}
static const char kr_msg_llong_max[] = "9223372036854775807";
/* math.factorial(n) */
static int kr_math_factorial(kr_int n, kr_int *out) {
  int64_t v;
  if (!kr_int_as_i64(n, &v)) {
    if (kr_int_sign(n) < 0) return kr_raise(KILN_ValueError, "factorial() not defined for negative values");
    return kr_raise(KILN_OverflowError, "factorial() argument should not exceed 9223372036854775807");
  }
  if (v < 0) return kr_raise(KILN_ValueError, "factorial() not defined for negative values");
  return kr_factorial_u64((uint64_t)v, out);
}

/* n * (n-1) * ... * (n-k+1) (iscomb: divided by k!), k >= 1, by splitting k in halves (CPython's perm_comb):
 * perm(n, k) = perm(n, j) * perm(n-j, k-j); comb(n, k) = comb(n, j) * comb(n-j, k-j) // comb(k, j). */
static int kr_perm_comb(kr_int n, int64_t k, int iscomb, kr_int *out) {
  if (k == 1) { kr_int_incref(n); *out = n; return 0; }
  int64_t nv;
  if (kr_int_as_i64(n, &nv) && k * kr_bitlen64((uint64_t)nv) <= 63) {   /* n**k < 2**63: in 64 bits, exact at every step */
    uint64_t r = 1;
    for (int64_t i = 0; i < k; i++) {
      r *= (uint64_t)(nv - i);
      if (iscomb) r /= (uint64_t)(i + 1);
    }
    return kr_int_from_u64(r, out);
  }
  int64_t j = k / 2;
  kr_int a, b, nj, t;
  if (kr_perm_comb(n, j, iscomb, &a)) return -1;
  if (kr_int_sub(n, KR_INT(j), &nj)) { kr_int_decref(a); return -1; }
  int rc = kr_perm_comb(nj, k - j, iscomb, &b);
  kr_int_decref(nj);
  if (rc) { kr_int_decref(a); return -1; }
  rc = kr_int_mul(a, b, &t);
  kr_int_decref(a);
  kr_int_decref(b);
  if (rc) return -1;
  if (iscomb) {
    kr_int kk, c;
    if (kr_int_from_i64(k, &kk)) { kr_int_decref(t); return -1; }
    rc = kr_perm_comb(kk, j, 1, &c);
    kr_int_decref(kk);
    if (rc) { kr_int_decref(t); return -1; }
    rc = kr_int_floordiv(t, c, out);
    kr_int_decref(c);
    kr_int_decref(t);
    return rc;
  }
  *out = t;
  return 0;
}
/* math.comb(n, k) */
static int kr_math_comb(kr_int n, kr_int k, kr_int *out) {
  if (kr_int_sign(n) < 0) return kr_raise(KILN_ValueError, "n must be a non-negative integer");
  if (kr_int_sign(k) < 0) return kr_raise(KILN_ValueError, "k must be a non-negative integer");
  if (kr_int_cmp(k, n) > 0) { *out = KR_INT(0); return 0; }
  kr_int nk;
  if (kr_int_sub(n, k, &nk)) return -1;
  int64_t kk, a, b;
  int fa = kr_int_as_i64(k, &a), fb = kr_int_as_i64(nk, &b);
  kr_int_decref(nk);
  if (!fa && !fb) return kr_raise(KILN_OverflowError, "min(n - k, k) must not exceed 9223372036854775807");
  kk = !fa ? b : !fb ? a : a < b ? a : b;
  if (kk == 0) { *out = KR_INT(1); return 0; }
  return kr_perm_comb(n, kk, 1, out);
}
/* math.perm(n, k); math.perm(n) is math.factorial(n). */
static int kr_math_perm(kr_int n, kr_int k, kr_int *out) {
  if (kr_int_sign(n) < 0) return kr_raise(KILN_ValueError, "n must be a non-negative integer");
  if (kr_int_sign(k) < 0) return kr_raise(KILN_ValueError, "k must be a non-negative integer");
  if (kr_int_cmp(k, n) > 0) { *out = KR_INT(0); return 0; }
  int64_t kk;
  if (!kr_int_as_i64(k, &kk)) return kr_raise(KILN_OverflowError, "k must not exceed 9223372036854775807");
  if (kk == 0) { *out = KR_INT(1); return 0; }
  return kr_perm_comb(n, kk, 0, out);
}

/* math.prod of ints (start included): the exact product, by halves so that big products stay balanced. */
static int kr_math_prod_int(const kr_int *items, int64_t n, kr_int start, kr_int *out) {
  if (n == 0) { kr_int_incref(start); *out = start; return 0; }
  if (n == 1) return kr_int_mul(start, items[0], out);
  kr_int left, right;
  if (kr_math_prod_int(items, n / 2, start, &left)) return -1;
  if (kr_math_prod_int(items + n / 2, n - n / 2, KR_INT(1), &right)) { kr_int_decref(left); return -1; }
  int rc = kr_int_mul(left, right, out);
  kr_int_decref(left);
  kr_int_decref(right);
  return rc;
}
/* math.prod of floats with an int or float start already converted to double: left to right, as CPython. */
static double kr_math_prod_f64(const double *items, int64_t n, double start) {
  double r = start;
  for (int64_t i = 0; i < n; i++) r *= items[i];
  return r;
}

/* ---------------------------------------------------------------------------------------------------------
 * The integer functions on int64 arguments and results (the compiler's int until ints are unbounded): the same
 * errors as CPython's, and OverflowError with kr_int_overflow_msg (Kiln's 64-bit limit) where CPython's result
 * needs more than 64 bits. Results known to be that big are refused before they are computed (21! > 2**63;
 * perm(n, k) >= k!; comb(n, k) >= comb(2k', k') > 2**63 for k' = min(k, n - k) >= 34).
 * --------------------------------------------------------------------------------------------------------- */
static int kr_math_result_i64(int rc, kr_int r, int64_t *out) {
  if (rc) return -1;
  rc = kr_int_to_i64(r, out);
  kr_int_decref(r);
  return rc;
}
static int kr_math_factorial_i64(int64_t n, int64_t *out) {
  if (n < 0) return kr_raise(KILN_ValueError, "factorial() not defined for negative values");
  if (n > 20) return kr_raise(KILN_OverflowError, kr_int_overflow_msg);
  int64_t r = 1;
  for (int64_t i = 2; i <= n; i++) r *= i;
  *out = r;
  return 0;
}
static int kr_math_perm_comb_i64(int64_t n, int64_t k, int iscomb, int64_t *out) {
  kr_int kn, kk, r;
  if (n < 0) return kr_raise(KILN_ValueError, "n must be a non-negative integer");
  if (k < 0) return kr_raise(KILN_ValueError, "k must be a non-negative integer");
  if (k <= n) {
    int64_t small = iscomb && n - k < k ? n - k : k;
    if ((iscomb && small >= 34) || (!iscomb && small > 20)) return kr_raise(KILN_OverflowError, kr_int_overflow_msg);
  }
  if (kr_int_from_i64(n, &kn)) return -1;
  if (kr_int_from_i64(k, &kk)) { kr_int_decref(kn); return -1; }
  int rc = iscomb ? kr_math_comb(kn, kk, &r) : kr_math_perm(kn, kk, &r);
  kr_int_decref(kn); kr_int_decref(kk);
  return kr_math_result_i64(rc, r, out);
}
static inline int kr_math_comb_i64(int64_t n, int64_t k, int64_t *out) { return kr_math_perm_comb_i64(n, k, 1, out); }
static inline int kr_math_perm_i64(int64_t n, int64_t k, int64_t *out) { return kr_math_perm_comb_i64(n, k, 0, out); }
static int kr_math_isqrt_i64(int64_t n, int64_t *out) {
  if (n < 0) return kr_raise(KILN_ValueError, "isqrt() argument must be nonnegative");
  *out = (int64_t)kr_isqrt_u64((uint64_t)n);
  return 0;
}
static int kr_math_lcm_i64(int64_t a, int64_t b, int64_t *out) {
  kr_int ka, kb, r;
  if (kr_int_from_i64(a, &ka)) return -1;
  if (kr_int_from_i64(b, &kb)) { kr_int_decref(ka); return -1; }
  int rc = kr_math_lcm(ka, kb, &r);
  kr_int_decref(ka); kr_int_decref(kb);
  return kr_math_result_i64(rc, r, out);
}
/* math.prod of int64 items and start: left to right, as CPython (OverflowError past 64 bits) */
static int kr_math_prod_i64(const int64_t *items, int64_t n, int64_t start, int64_t *out) {
  int64_t r = start;
  for (int64_t i = 0; i < n; i++) {
    if (__builtin_mul_overflow(r, items[i], &r)) {
      /* CPython's product is exact: a later 0 makes it 0, which int64 arithmetic cannot tell after overflowing */
      for (int64_t j = i; j < n; j++) if (items[j] == 0) { *out = 0; return 0; }
      return kr_raise(KILN_OverflowError, kr_int_overflow_msg);
    }
  }
  *out = r;
  return 0;
}

/* ---------------------------------------------------------------------------------------------------------
 * Real functions. Error rules as CPython's math_1 (can_overflow: OverflowError for an infinite result from a
 * finite argument, else ValueError), math_1a (gamma, lgamma: domain and range flags of their own) and math_2.
 * --------------------------------------------------------------------------------------------------------- */
/* acosh and atanh test their domain first: musl's acosh returns a number for some x < -2 (CPython on glibc raises) */
static inline int kr_math_acosh(double x, double *out) {
  if (x < 1.0) return kr_raise(KILN_ValueError, "math domain error");
  return kr_math_check1(kr_libm_acosh(x), x, 0, out);
}
static inline int kr_math_asinh(double x, double *out) { return kr_math_check1(kr_libm_asinh(x), x, 0, out); }
static inline int kr_math_atanh(double x, double *out) {
  if (fabs(x) >= 1.0) return kr_raise(KILN_ValueError, "math domain error");
  return kr_math_check1(kr_libm_atanh(x), x, 0, out);
}
static inline int kr_math_cbrt(double x, double *out) { return kr_math_check1(cbrt(x), x, 0, out); }
static inline int kr_math_exp2(double x, double *out) { return kr_math_check1(exp2(x), x, 1, out); }
static inline int kr_math_expm1(double x, double *out) { return kr_math_check1(expm1(x), x, 1, out); }
/* log1p keeps the sign of a zero (CPython's _Py_log1p) */
static inline int kr_math_log1p(double x, double *out) { return kr_math_check1(x == 0.0 ? x : log1p(x), x, 0, out); }
/* erf and erfc never raise (CPython wraps them with math_1a and the C library sets no error for them) */
static inline double kr_math_erf(double x) { return erf(x); }
static inline double kr_math_erfc(double x) { return erfc(x); }
static inline double kr_math_fabs(double x) { return fabs(x); }
static inline double kr_math_copysign(double x, double y) { return copysign(x, y); }
static inline double kr_math_degrees(double x) { return x * (180.0 / 3.141592653589793); }
static inline double kr_math_radians(double x) { return x * (3.141592653589793 / 180.0); }
static inline bool kr_math_isfinite(double x) { return isfinite(x); }
static inline bool kr_math_isinf(double x) { return isinf(x); }
static inline bool kr_math_isnan(double x) { return isnan(x); }
static inline double kr_math_nextafter(double x, double y) { return nextafter(x, y); }

/* sin(pi * x) for finite x, exact at integers and half-integers (CPython's m_sinpi, for gamma's reflection) */
static double kr_sinpi(double x) {
  const double pi = 3.141592653589793238462643383279502884197;
  double y = fmod(fabs(x), 2.0), r;
  switch ((int)round(2.0 * y)) {
    case 0: r = sin(pi * y); break;
    case 1: r = cos(pi * (y - 0.5)); break;
    case 2: r = sin(pi * (1.0 - y)); break;   /* not -sin(pi*(y-1)): that gives -0.0 at y == 1 */
    case 3: r = -cos(pi * (y - 1.5)); break;
    default: r = sin(pi * (y - 2.0)); break;
  }
  return copysign(1.0, x) * r;
}

/* The Lanczos approximation CPython uses for gamma and lgamma (N = 13, g = 6.024680040776729583740234375, the
 * Boost parameters), its sum written as a rational function; the same constants and the same order of operations
 * give CPython's results bit for bit wherever the C library's exp/pow/log/sin/cos agree. */
#define KR_LANCZOS_N 13
static const double kr_lanczos_g = 6.024680040776729583740234375;
static const double kr_lanczos_g_minus_half = 5.524680040776729583740234375;
static const double kr_lanczos_num[KR_LANCZOS_N] = {
  23531376880.410759688572007674451636754734846804940, 42919803642.649098768957899047001988850926355848959,
  35711959237.355668049440185451547166705960488635843, 17921034426.037209699919755754458931112671403265390,
  6039542586.3520280050642916443072979210699388420708, 1439720407.3117216736632230727949123939715485786772,
  248874557.86205415651146038641322942321632125127801, 31426415.585400194380614231628318205362874684987640,
  2876370.6289353724412254090516208496135991145378768, 186056.26539522349504029498971604569928220784236328,
  8071.6720023658162106380029022722506138218516325024, 210.82427775157934587250973392071336271166969580291,
  2.5066282746310002701649081771338373386264310793408 };
static const double kr_lanczos_den[KR_LANCZOS_N] = {   /* x (x+1) ... (x+11) expanded */
  0.0, 39916800.0, 120543840.0, 150917976.0, 105258076.0, 45995730.0, 13339535.0, 2637558.0, 357423.0, 32670.0,
  1925.0, 66.0, 1.0 };

static double kr_lanczos_sum(double x) {
  double num = 0.0, den = 0.0;
  if (x < 5.0) {
    for (int i = KR_LANCZOS_N; --i >= 0;) { num = num * x + kr_lanczos_num[i]; den = den * x + kr_lanczos_den[i]; }
  } else {   /* as a rational function of 1/x: no overflow, less error */
    for (int i = 0; i < KR_LANCZOS_N; i++) { num = num / x + kr_lanczos_num[i]; den = den / x + kr_lanczos_den[i]; }
  }
  return num / den;
}

/* math.gamma */
static int kr_math_gamma(double x, double *out) {
  static const double fact[23] = { 1.0, 1.0, 2.0, 6.0, 24.0, 120.0, 720.0, 5040.0, 40320.0, 362880.0, 3628800.0,
    39916800.0, 479001600.0, 6227020800.0, 87178291200.0, 1307674368000.0, 20922789888000.0, 355687428096000.0,
    6402373705728000.0, 121645100408832000.0, 2432902008176640000.0, 51090942171709440000.0, 1124000727777607680000.0 };
  const double pi = 3.141592653589793238462643383279502884197;
  if (!isfinite(x)) {
    if (isnan(x) || x > 0.0) { *out = x; return 0; }
    return kr_raise(KILN_ValueError, "math domain error");      /* gamma(-inf) */
  }
  if (x == 0.0) return kr_raise(KILN_ValueError, "math domain error");
  if (x == floor(x)) {
    if (x < 0.0) return kr_raise(KILN_ValueError, "math domain error");
    if (x <= 23) { *out = fact[(int)x - 1]; return 0; }
  }
  double absx = fabs(x), r;
  if (absx < 1e-20) {   /* gamma(x) ~ 1/x */
    r = 1.0 / x;
    if (isinf(r)) return kr_raise(KILN_OverflowError, "math range error");
    *out = r;
    return 0;
  }
  if (absx > 200.0) {   /* overflows for x > 200, underflows to +-0 for x < -200 */
    if (x < 0.0) { *out = 0.0 / kr_sinpi(x); return 0; }
    return kr_raise(KILN_OverflowError, "math range error");
  }
  double y = absx + kr_lanczos_g_minus_half, z;
  /* the rounding error of y, for the correction factor (1 + e*g/y) */
  if (absx > kr_lanczos_g_minus_half) { double q = y - absx; z = q - kr_lanczos_g_minus_half; }
  else { double q = y - kr_lanczos_g_minus_half; z = q - absx; }
  z = z * kr_lanczos_g / y;
  if (x < 0.0) {
    r = -pi / kr_sinpi(absx) / absx * exp(y) / kr_lanczos_sum(absx);
    r -= z * r;
    if (absx < 140.0) r /= kr_libm_pow(y, absx - 0.5);
    else { double sqrtpow = kr_libm_pow(y, absx / 2.0 - 0.25); r /= sqrtpow; r /= sqrtpow; }
  } else {
    r = kr_lanczos_sum(absx) / exp(y);
    r += z * r;
    if (absx < 140.0) r *= kr_libm_pow(y, absx - 0.5);
    else { double sqrtpow = kr_libm_pow(y, absx / 2.0 - 0.25); r *= sqrtpow; r *= sqrtpow; }
  }
  if (isinf(r)) return kr_raise(KILN_OverflowError, "math range error");
  *out = r;
  return 0;
}

/* math.lgamma */
static int kr_math_lgamma(double x, double *out) {
  const double logpi = 1.144729885849400174143427351353058711647;
  if (!isfinite(x)) { *out = isnan(x) ? x : HUGE_VAL; return 0; }
  if (x == floor(x) && x <= 2.0) {
    if (x <= 0.0) return kr_raise(KILN_ValueError, "math domain error");
    *out = 0.0;
    return 0;
  }
  double absx = fabs(x), r;
  if (absx < 1e-20) { *out = -log(absx); return 0; }
  r = log(kr_lanczos_sum(absx)) - kr_lanczos_g;
  r += (absx - 0.5) * (log(absx + kr_lanczos_g - 0.5) - 1);
  if (x < 0.0) r = logpi - log(fabs(kr_sinpi(absx))) - log(absx) - r;   /* reflection */
  if (isinf(r)) return kr_raise(KILN_OverflowError, "math range error");
  *out = r;
  return 0;
}

/* math.remainder: x - n*y for the nearest multiple (ties to even), exact (CPython's m_remainder). */
static int kr_math_remainder(double x, double y, double *out) {
  if (isfinite(x) && isfinite(y)) {
    if (y == 0.0) return kr_raise(KILN_ValueError, "math domain error");
    double absx = fabs(x), absy = fabs(y), m = fmod(absx, absy), c = absy - m, r;
    if (m < c) r = m;
    else if (m > c) r = -c;
    else r = m - 2.0 * fmod(0.5 * (absx - m), absy);   /* halfway: the even multiple */
    *out = copysign(1.0, x) * r;
    return 0;
  }
  if (isnan(x)) { *out = x; return 0; }
  if (isnan(y)) { *out = y; return 0; }
  if (isinf(x)) return kr_raise(KILN_ValueError, "math domain error");
  *out = x;   /* y infinite */
  return 0;
}

/* math.ldexp(x, i) with i of any size */
static int kr_math_ldexp(double x, kr_int i, double *out) {
  int64_t e;
  if (!kr_int_as_i64(i, &e)) e = kr_int_sign(i) < 0 ? INT64_MIN : INT64_MAX;
  double r;
  if (x == 0.0 || !isfinite(x)) r = x;
  else if (e > INT32_MAX) return kr_raise(KILN_OverflowError, "math range error");
  else if (e < INT32_MIN) r = copysign(0.0, x);
  else {
    r = ldexp(x, (int)e);
    if (isinf(r)) return kr_raise(KILN_OverflowError, "math range error");
  }
  *out = r;
  return 0;
}
/* math.ldexp(x, i) for an int64 i */
static int kr_math_ldexp_i64(double x, int64_t i, double *out) {
  kr_int k;
  if (kr_int_from_i64(i, &k)) return -1;
  int rc = kr_math_ldexp(x, k, out);
  kr_int_decref(k);
  return rc;
}
/* math.frexp(x) -> (m, e): (x, 0) for zeros, infinities and NaN */
static inline double kr_math_frexp(double x, int64_t *e) {
  int ie = 0;
  if (isnan(x) || isinf(x) || x == 0.0) { *e = 0; return x; }
  double m = frexp(x, &ie);
  *e = ie;
  return m;
}
/* math.modf(x) -> (fractional part, integer part), both with x's sign */
static inline double kr_math_modf(double x, double *ipart) {
  if (isinf(x)) { *ipart = x; return copysign(0.0, x); }
  if (isnan(x)) { *ipart = x; return x; }
  /* both signs set again: C99's modf gives them, mingw's gives +0.0 as the fraction of a negative integer */
  double frac = modf(x, ipart);
  *ipart = copysign(*ipart, x);
  return copysign(frac, x);
}
/* math.ulp(x) */
static inline double kr_math_ulp(double x) {
  if (isnan(x)) return x;
  x = fabs(x);
  if (isinf(x)) return x;
  double x2 = nextafter(x, INFINITY);
  if (isinf(x2)) { x2 = nextafter(x, -INFINITY); return x - x2; }   /* x is the largest finite float */
  return x2 - x;
}
/* math.isclose(a, b, rel_tol=1e-09, abs_tol=0.0) */
static int kr_math_isclose(double a, double b, double rel_tol, double abs_tol, bool *out) {
  if (rel_tol < 0.0 || abs_tol < 0.0) return kr_raise(KILN_ValueError, "tolerances must be non-negative");
  if (a == b) { *out = true; return 0; }
  if (isinf(a) || isinf(b)) { *out = false; return 0; }
  double diff = fabs(b - a);
  *out = (diff <= fabs(rel_tol * b)) || (diff <= fabs(rel_tol * a)) || (diff <= abs_tol);
  return 0;
}

/* math.hypot(*coords). The scratch copy is on the stack up to 16 coordinates. */
static int kr_math_hypot(const double *coords, int64_t n, double *out) {
  double stack[16], *v = n <= 16 ? stack : (double *)malloc((size_t)n * sizeof(double));
  if (!v) return kr_raise(KILN_MemoryError, "");
  double max = 0.0;
  int found_nan = 0;
  for (int64_t i = 0; i < n; i++) {
    double x = fabs(coords[i]);
    v[i] = x;
    found_nan |= isnan(x);
    if (x > max) max = x;
  }
  *out = kr_vector_norm(v, n, max, found_nan);
  if (v != stack) free(v);
  return 0;
}
/* math.dist(p, q) */
static int kr_math_dist(const double *p, int64_t np, const double *q, int64_t nq, double *out) {
  if (np != nq) return kr_raise(KILN_ValueError, "both points must have the same number of dimensions");
  double stack[16], *v = np <= 16 ? stack : (double *)malloc((size_t)np * sizeof(double));
  if (!v) return kr_raise(KILN_MemoryError, "");
  double max = 0.0;
  int found_nan = 0;
  for (int64_t i = 0; i < np; i++) {
    double x = fabs(p[i] - q[i]);
    v[i] = x;
    found_nan |= isnan(x);
    if (x > max) max = x;
  }
  *out = kr_vector_norm(v, np, max, found_nan);
  if (v != stack) free(v);
  return 0;
}

/* math.fsum: Shewchuk's exact partials and a correctly rounded total (CPython's msum), with CPython's errors:
 * OverflowError "intermediate overflow in fsum", ValueError "-inf + inf in fsum". */
static int kr_math_fsum(const double *items, int64_t count, double *out) {
  double stack[32], *p = stack, special_sum = 0.0, inf_sum = 0.0;
  int64_t n = 0, m = 32;
  for (int64_t k = 0; k < count; k++) {
    double x = items[k], xsave = x, y, t, hi, yr, lo;
    int64_t i = 0;
    for (int64_t j = 0; j < n; j++) {   /* for y in partials */
      y = p[j];
      if (fabs(x) < fabs(y)) { t = x; x = y; y = t; }
      hi = x + y;
      yr = hi - x;
      lo = y - yr;
      if (lo != 0.0) p[i++] = lo;
      x = hi;
    }
    n = i;
    if (x != 0.0) {
      if (!isfinite(x)) {   /* an overflow, or an inf or nan among the items */
        if (isfinite(xsave)) { if (p != stack) free(p); return kr_raise(KILN_OverflowError, "intermediate overflow in fsum"); }
        if (isinf(xsave)) inf_sum += xsave;
        special_sum += xsave;
        n = 0;
      } else {
        if (n >= m) {
          double *grown = p == stack ? (double *)malloc((size_t)(2 * m) * sizeof(double)) : (double *)realloc(p, (size_t)(2 * m) * sizeof(double));
          if (!grown) { if (p != stack) free(p); return kr_raise(KILN_MemoryError, "math.fsum partials"); }
          if (p == stack) memcpy(grown, stack, sizeof stack);
          p = grown;
          m *= 2;
        }
        p[n++] = x;
      }
    }
  }
  if (special_sum != 0.0) {
    if (p != stack) free(p);
    if (isnan(inf_sum)) return kr_raise(KILN_ValueError, "-inf + inf in fsum");
    *out = special_sum;
    return 0;
  }
  double hi = 0.0, lo = 0.0, x, y, yr;
  if (n > 0) {
    hi = p[--n];
    while (n > 0) {   /* sum from the top, stop when the sum becomes inexact */
      x = hi;
      y = p[--n];
      hi = x + y;
      yr = hi - x;
      lo = y - yr;
      if (lo != 0.0) break;
    }
    /* half-even rounding across partials: sum([1e-16, 1, 1e16]) */
    if (n > 0 && ((lo < 0.0 && p[n - 1] < 0.0) || (lo > 0.0 && p[n - 1] > 0.0))) {
      y = lo * 2.0;
      x = hi + y;
      yr = x - hi;
      if (y == yr) hi = x;
    }
  }
  if (p != stack) free(p);
  *out = hi;
  return 0;
}

/* n as a double m * 2**e with 0.5 <= m < 1, m correctly rounded (CPython's _PyLong_Frexp); n != 0. */
static double kr_int_frexp(kr_int v, int64_t *e) {
  kr_iview x;
  kr_view(v, &x);
  int64_t n = kr_mag_bitlen(x.d, x.n);
  int sticky;
  uint64_t top = kr_mag_bits64(x.d, x.n, n - 55, &sticky);
  double r;
  kr_round_to_double(top, -55, sticky, &r);   /* |v| / 2**n rounded to 53 bits: in [0.5, 1] */
  if (r == 1.0) { r = 0.5; n++; }
  *e = n;
  return x.neg ? -r : r;
}
/* math.log / log2 / log10 of an int of any size (which: 0 natural, 2, 10): CPython's loghelper. */
static int kr_math_log_int(kr_int v, int which, double *out) {
  if (kr_int_sign(v) <= 0) return kr_raise(KILN_ValueError, "math domain error");
  double x;
  if (kr_int_to_f64_noraise(v, &x) == 0) return kr_log_any(x, which, out);
  /* too big for a float: log(m * 2**e) = log(m) + log(2) * e */
  int64_t e;
  double m = kr_int_frexp(v, &e);
  double (*f)(double) = which == 2 ? log2 : which == 10 ? log10 : log;
  *out = f(m) + f(2.0) * (double)e;
  return 0;
}


/* ---------------------------------------------------------------------------------------------------------
 * complex: arithmetic as CPython's complexobject.c (3.11: a float or int operand is first made complex(x, 0.0))
 * --------------------------------------------------------------------------------------------------------- */
/* The exported header's kiln_complex (lower/abi.ts) is this struct: a unit includes the runtime first, so the
 * header's own definition of it is skipped there and complex parameters and results pass without conversion. */
#define KILN_COMPLEX_DEFINED
typedef struct kiln_complex { double re, im; } kr_complex;
typedef kr_complex kiln_complex;
/* A NumPy complex128 array (the ABI's struct, also declared by an exported header that passes one). */
#ifndef KILN_ARRAY_COMPLEX128_DEFINED
#define KILN_ARRAY_COMPLEX128_DEFINED
typedef struct { kr_complex *data; int64_t shape[3]; int64_t strides[3]; } kiln_array_complex128;
#endif
static inline kr_complex kr_complex_make(double re, double im) { kr_complex z = { re, im }; return z; }
static inline kr_complex kr_complex_add(kr_complex a, kr_complex b) { return kr_complex_make(a.re + b.re, a.im + b.im); }
static inline kr_complex kr_complex_sub(kr_complex a, kr_complex b) { return kr_complex_make(a.re - b.re, a.im - b.im); }
static inline kr_complex kr_complex_neg(kr_complex a) { return kr_complex_make(-a.re, -a.im); }
static inline kr_complex kr_complex_conjugate(kr_complex a) { return kr_complex_make(a.re, -a.im); }
static inline kr_complex kr_complex_mul(kr_complex a, kr_complex b) {
  return kr_complex_make(a.re * b.re - a.im * b.im, a.re * b.im + a.im * b.re);
}
static inline bool kr_complex_eq(kr_complex a, kr_complex b) { return a.re == b.re && a.im == b.im; }

/* a / b by Smith's method as CPython's _Py_c_quot; *zero set when b is 0 (the caller's error). */
static kr_complex kr_complex_quot(kr_complex a, kr_complex b, int *zero) {
  double abs_breal = b.re < 0 ? -b.re : b.re, abs_bimag = b.im < 0 ? -b.im : b.im;
  kr_complex r;
  *zero = 0;
  if (abs_breal >= abs_bimag) {
    if (abs_breal == 0.0) { *zero = 1; r.re = r.im = 0.0; }
    else {
      double ratio = b.im / b.re, denom = b.re + b.im * ratio;
      r.re = (a.re + a.im * ratio) / denom;
      r.im = (a.im - a.re * ratio) / denom;
    }
  } else if (abs_bimag >= abs_breal) {
    double ratio = b.re / b.im, denom = b.re * ratio + b.im;
    r.re = (a.re * ratio + a.im) / denom;
    r.im = (a.im * ratio - a.re) / denom;
  } else {
    r.re = r.im = NAN;   /* a NaN in b */
  }
  return r;
}
/* a / b: ZeroDivisionError "complex division by zero" */
static inline int kr_complex_div(kr_complex a, kr_complex b, kr_complex *out) {
  int zero;
  kr_complex r = kr_complex_quot(a, b, &zero);
  if (zero) return kr_raise(KILN_ZeroDivisionError, "complex division by zero");
  *out = r;
  return 0;
}
/* |z| (CPython's _Py_c_abs: C99's rules for infinities, libm's hypot): OverflowError "absolute value too large" */
static int kr_complex_abs_raw(kr_complex z, double *out) {   /* 1 on overflow */
  if (!isfinite(z.re) || !isfinite(z.im)) {
    if (isinf(z.re)) { *out = fabs(z.re); return 0; }
    if (isinf(z.im)) { *out = fabs(z.im); return 0; }
    *out = NAN;
    return 0;
  }
  double r = hypot(z.re, z.im);
  *out = r;
  return !isfinite(r);
}
static inline int kr_complex_abs(kr_complex z, double *out) {
  if (kr_complex_abs_raw(z, out)) return kr_raise(KILN_OverflowError, "absolute value too large");
  return 0;
}
/* x ** n for n >= 0 by repeated squaring (CPython's c_powu) */
static kr_complex kr_complex_powu(kr_complex x, long n) {
  kr_complex r = { 1.0, 0.0 }, p = x;
  for (long mask = 1; mask > 0 && n >= mask; mask <<= 1) {
    if (n & mask) r = kr_complex_mul(r, p);
    p = kr_complex_mul(p, p);
  }
  return r;
}
/* a ** b: an integral real exponent up to 100 in magnitude multiplies exactly (c_powi), others go through
 * polar form (_Py_c_pow); ZeroDivisionError "0.0 to a negative or complex power", OverflowError
 * "complex exponentiation" when a part is infinite. */
static int kr_complex_pow(kr_complex a, kr_complex b, kr_complex *out) {
  kr_complex p;
  int edom = 0;
  if (b.im == 0.0 && b.re == floor(b.re) && fabs(b.re) <= 100.0) {
    long n = (long)b.re;
    if (n > 0) p = kr_complex_powu(a, n);
    else p = kr_complex_quot(kr_complex_make(1.0, 0.0), kr_complex_powu(a, -n), &edom);
  } else if (b.re == 0.0 && b.im == 0.0) {
    p = kr_complex_make(1.0, 0.0);
  } else if (a.re == 0.0 && a.im == 0.0) {
    if (b.im != 0.0 || b.re < 0.0) edom = 1;
    p = kr_complex_make(0.0, 0.0);
  } else {
    double vabs = hypot(a.re, a.im), len = kr_libm_pow(vabs, b.re), at = atan2(a.im, a.re), phase = at * b.re;
    if (b.im != 0.0) {
      len /= exp(at * b.im);
      phase += b.im * log(vabs);
    }
    p = kr_complex_make(len * cos(phase), len * sin(phase));
    /* CPython reads errno after these calls: glibc's cos and sin set EDOM for an infinite argument, which CPython
     * reports as this ZeroDivisionError (the C library's other errno settings here never change the outcome) */
    if (isinf(phase)) edom = 1;
  }
  if (edom) return kr_raise(KILN_ZeroDivisionError, "0.0 to a negative or complex power");
  if (isinf(p.re) || isinf(p.im)) return kr_raise(KILN_OverflowError, "complex exponentiation");
  *out = p;
  return 0;
}

/* Formats a float as repr() does: the hook the str layer provides (kiln_str.h). Returns the length written. */
typedef size_t (*kr_float_repr_fn)(double x, char *buf, size_t cap);
/* repr(z) into buf: "(1+2j)", "2j" when the real part is +0.0, "(-0-1j)", "(nan+infj)"; parts are float reprs
 * without a trailing ".0" (CPython's format code 'r'), the imaginary one always signed inside parentheses. */
static size_t kr_complex_repr(kr_complex z, kr_float_repr_fn float_repr, char *buf, size_t cap) {
  char re[40], im[40];
  size_t nre = float_repr(z.re, re, sizeof re), nim;
  if (nre >= 2 && re[nre - 2] == '.' && re[nre - 1] == '0') re[nre -= 2] = 0;
  nim = float_repr(z.im, im + 1, sizeof im - 1);
  if (nim >= 2 && im[nim - 1] == '.' && im[nim] == '0') im[1 + (nim -= 2)] = 0;
  char *pim = im + 1;
  if (isnan(z.im) && pim[0] == '-') { pim++; nim--; }   /* NaN has no sign in repr */
  if (z.re == 0.0 && !signbit(z.re)) return (size_t)snprintf(buf, cap, "%sj", pim);
  if (pim[0] != '-') { *--pim = '+'; nim++; }
  return (size_t)snprintf(buf, cap, "(%s%sj)", re, pim);
}

/* The float repr of kiln_runtime.h as a kr_float_repr_fn; repr(z) (and str(z), the same) with it: buf holds 96 bytes. */
static size_t kr_float_repr_default(double x, char *buf, size_t cap) {
  char b[32];
  int n = kr_format_float_repr(x, b);
  if ((size_t)n >= cap) n = (int)cap - 1;
  memcpy(buf, b, (size_t)n);
  buf[n] = 0;
  return (size_t)n;
}
static inline size_t kr_complex_repr_text(kr_complex z, char buf[96]) { return kr_complex_repr(z, kr_float_repr_default, buf, 96); }
/* repr() of NumPy's complex128 scalar, as NumPy 2 prints it: np.complex128(1+2j), np.complex128(2j) (the complex's
 * text without its parentheses). */
static inline size_t kr_np_complex_repr_text(kr_complex z, char buf[112]) {
  char t[96];
  size_t n = kr_complex_repr_text(z, t), skip = t[0] == '(' ? 1 : 0;
  return (size_t)snprintf(buf, 112, "np.complex128(%.*s)", (int)(n - 2 * skip), t + skip);
}

/* ---------------------------------------------------------------------------------------------------------
 * cmath: CPython's algorithms (cmathmodule.c), C99 Annex G values for infinite and NaN parts
 * (kiln_cmath_special.h), errors "math domain error" (ValueError) and "math range error" (OverflowError)
 * --------------------------------------------------------------------------------------------------------- */
#include "kiln_cmath_special.h"
#define KR_CM_LARGE_DOUBLE (DBL_MAX / 4.0)
#define KR_CM_SQRT_LARGE_DOUBLE (sqrt(KR_CM_LARGE_DOUBLE))
#define KR_CM_LOG_LARGE_DOUBLE (log(KR_CM_LARGE_DOUBLE))
#define KR_CM_SQRT_DBL_MIN (sqrt(DBL_MIN))
#define KR_CM_SCALE_UP 53
#define KR_CM_SCALE_DOWN (-27)
#define KR_LN2 0.6931471805599453094
#define KR_LN10 2.302585092994045684
enum { KR_CM_OK, KR_CM_EDOM, KR_CM_ERANGE };

static inline int kr_cmath_kind(double d) {
  if (isfinite(d)) return d != 0 ? (signbit(d) ? 1 : 4) : (signbit(d) ? 2 : 3);
  if (isnan(d)) return 6;
  return signbit(d) ? 0 : 5;
}
static inline kr_complex kr_cmath_sv(const double (*t)[7][2], kr_complex z) {
  const double *v = t[kr_cmath_kind(z.re)][kr_cmath_kind(z.im)];
  return kr_complex_make(v[0], v[1]);
}
static inline double kr_cmath_log1p(double x) { return x == 0.0 ? x : log1p(x); }
static int kr_cmath_result(int err, kr_complex r, kr_complex *out) {
  if (err == KR_CM_EDOM) return kr_raise(KILN_ValueError, "math domain error");
  if (err == KR_CM_ERANGE) return kr_raise(KILN_OverflowError, "math range error");
  *out = r;
  return 0;
}

static kr_complex kr_c_sqrt(kr_complex z) {
  if (!isfinite(z.re) || !isfinite(z.im)) return kr_cmath_sv(kr_cmath_sv_sqrt, z);
  if (z.re == 0.0 && z.im == 0.0) return kr_complex_make(0.0, z.im);
  double ax = fabs(z.re), ay = fabs(z.im), s, d;
  if (ax < DBL_MIN && ay < DBL_MIN) {   /* hypot would be subnormal: scale up first */
    ax = ldexp(ax, KR_CM_SCALE_UP);
    s = ldexp(sqrt(ax + hypot(ax, ldexp(ay, KR_CM_SCALE_UP))), KR_CM_SCALE_DOWN);
  } else {
    ax /= 8.0;
    s = 2.0 * sqrt(ax + hypot(ax, ay / 8.0));
  }
  d = ay / (2.0 * s);
  if (z.re >= 0.0) return kr_complex_make(s, copysign(d, z.im));
  return kr_complex_make(d, copysign(s, z.im));
}
static kr_complex kr_c_log(kr_complex z, int *err) {
  *err = KR_CM_OK;
  if (!isfinite(z.re) || !isfinite(z.im)) return kr_cmath_sv(kr_cmath_sv_log, z);
  double ax = fabs(z.re), ay = fabs(z.im), re;
  if (ax > KR_CM_LARGE_DOUBLE || ay > KR_CM_LARGE_DOUBLE) re = log(hypot(ax / 2.0, ay / 2.0)) + KR_LN2;
  else if (ax < DBL_MIN && ay < DBL_MIN) {
    if (ax > 0.0 || ay > 0.0) re = log(hypot(ldexp(ax, DBL_MANT_DIG), ldexp(ay, DBL_MANT_DIG))) - DBL_MANT_DIG * KR_LN2;
    else { *err = KR_CM_EDOM; return kr_complex_make(-INFINITY, atan2(z.im, z.re)); }
  } else {
    double h = hypot(ax, ay);
    if (0.71 <= h && h <= 1.73) {
      double am = ax > ay ? ax : ay, an = ax > ay ? ay : ax;
      re = kr_cmath_log1p((am - 1) * (am + 1) + an * an) / 2.0;
    } else re = log(h);
  }
  return kr_complex_make(re, atan2(z.im, z.re));
}
static kr_complex kr_c_acos(kr_complex z) {
  if (!isfinite(z.re) || !isfinite(z.im)) return kr_cmath_sv(kr_cmath_sv_acos, z);
  kr_complex r;
  if (fabs(z.re) > KR_CM_LARGE_DOUBLE || fabs(z.im) > KR_CM_LARGE_DOUBLE) {
    r.re = atan2(fabs(z.im), z.re);
    r.im = -copysign(log(hypot(z.re / 2.0, z.im / 2.0)) + KR_LN2 * 2.0, z.im);
  } else {
    kr_complex s1 = kr_c_sqrt(kr_complex_make(1.0 - z.re, -z.im)), s2 = kr_c_sqrt(kr_complex_make(1.0 + z.re, z.im));
    r.re = 2.0 * atan2(s1.re, s2.re);
    r.im = asinh(s2.re * s1.im - s2.im * s1.re);
  }
  return r;
}
static kr_complex kr_c_acosh(kr_complex z) {
  if (!isfinite(z.re) || !isfinite(z.im)) return kr_cmath_sv(kr_cmath_sv_acosh, z);
  kr_complex r;
  if (fabs(z.re) > KR_CM_LARGE_DOUBLE || fabs(z.im) > KR_CM_LARGE_DOUBLE) {
    r.re = log(hypot(z.re / 2.0, z.im / 2.0)) + KR_LN2 * 2.0;
    r.im = atan2(z.im, z.re);
  } else {
    kr_complex s1 = kr_c_sqrt(kr_complex_make(z.re - 1.0, z.im)), s2 = kr_c_sqrt(kr_complex_make(z.re + 1.0, z.im));
    r.re = asinh(s1.re * s2.re + s1.im * s2.im);
    r.im = 2.0 * atan2(s1.im, s2.re);
  }
  return r;
}
static kr_complex kr_c_asinh(kr_complex z) {
  if (!isfinite(z.re) || !isfinite(z.im)) return kr_cmath_sv(kr_cmath_sv_asinh, z);
  kr_complex r;
  if (fabs(z.re) > KR_CM_LARGE_DOUBLE || fabs(z.im) > KR_CM_LARGE_DOUBLE) {
    if (z.im >= 0.0) r.re = copysign(log(hypot(z.re / 2.0, z.im / 2.0)) + KR_LN2 * 2.0, z.re);
    else r.re = -copysign(log(hypot(z.re / 2.0, z.im / 2.0)) + KR_LN2 * 2.0, -z.re);
    r.im = atan2(z.im, fabs(z.re));
  } else {
    kr_complex s1 = kr_c_sqrt(kr_complex_make(1.0 + z.im, -z.re)), s2 = kr_c_sqrt(kr_complex_make(1.0 - z.im, z.re));
    r.re = asinh(s1.re * s2.im - s2.re * s1.im);
    r.im = atan2(z.im, s1.re * s2.re - s1.im * s2.im);
  }
  return r;
}
static kr_complex kr_c_atanh(kr_complex z, int *err) {
  *err = KR_CM_OK;
  if (!isfinite(z.re) || !isfinite(z.im)) return kr_cmath_sv(kr_cmath_sv_atanh, z);
  if (z.re < 0.0) return kr_complex_neg(kr_c_atanh(kr_complex_neg(z), err));   /* atanh(z) = -atanh(-z) */
  kr_complex r;
  double ay = fabs(z.im);
  if (z.re > KR_CM_SQRT_LARGE_DOUBLE || ay > KR_CM_SQRT_LARGE_DOUBLE) {   /* atanh(z) ~ 1/z +- i pi/2 */
    double h = hypot(z.re / 2.0, z.im / 2.0);
    r.re = z.re / 4.0 / h / h;
    r.im = copysign(3.141592653589793 / 2.0, z.im);
  } else if (z.re == 1.0 && ay < KR_CM_SQRT_DBL_MIN) {
    if (ay == 0.0) { r.re = INFINITY; r.im = z.im; *err = KR_CM_EDOM; }
    else {
      r.re = -log(sqrt(ay) / sqrt(hypot(ay, 2.0)));
      r.im = copysign(atan2(2.0, -ay) / 2, z.im);
    }
  } else {
    r.re = kr_cmath_log1p(4.0 * z.re / ((1 - z.re) * (1 - z.re) + ay * ay)) / 4.0;
    r.im = -atan2(-2.0 * z.im, (1 - z.re) * (1 + z.re) - ay * ay) / 2.0;
  }
  return r;
}
/* cosh, sinh, exp: an infinite real part with a finite nonzero imaginary part is computed from its cos and sin */
static kr_complex kr_c_cosh(kr_complex z, int *err) {
  kr_complex r;
  if (!isfinite(z.re) || !isfinite(z.im)) {
    if (isinf(z.re) && isfinite(z.im) && z.im != 0.0) {
      r.re = copysign(INFINITY, cos(z.im));
      r.im = z.re > 0 ? copysign(INFINITY, sin(z.im)) : -copysign(INFINITY, sin(z.im));
    } else r = kr_cmath_sv(kr_cmath_sv_cosh, z);
    *err = isinf(z.im) && !isnan(z.re) ? KR_CM_EDOM : KR_CM_OK;
    return r;
  }
  if (fabs(z.re) > KR_CM_LOG_LARGE_DOUBLE) {   /* cosh(x) overflows where cosh(z) need not */
    double x_minus_one = z.re - copysign(1.0, z.re);
    r.re = cos(z.im) * cosh(x_minus_one) * 2.718281828459045;
    r.im = sin(z.im) * sinh(x_minus_one) * 2.718281828459045;
  } else {
    r.re = cos(z.im) * cosh(z.re);
    r.im = sin(z.im) * sinh(z.re);
  }
  *err = isinf(r.re) || isinf(r.im) ? KR_CM_ERANGE : KR_CM_OK;
  return r;
}
static kr_complex kr_c_sinh(kr_complex z, int *err) {
  kr_complex r;
  if (!isfinite(z.re) || !isfinite(z.im)) {
    if (isinf(z.re) && isfinite(z.im) && z.im != 0.0) {
      r.re = z.re > 0 ? copysign(INFINITY, cos(z.im)) : -copysign(INFINITY, cos(z.im));
      r.im = copysign(INFINITY, sin(z.im));
    } else r = kr_cmath_sv(kr_cmath_sv_sinh, z);
    *err = isinf(z.im) && !isnan(z.re) ? KR_CM_EDOM : KR_CM_OK;
    return r;
  }
  if (fabs(z.re) > KR_CM_LOG_LARGE_DOUBLE) {
    double x_minus_one = z.re - copysign(1.0, z.re);
    r.re = cos(z.im) * sinh(x_minus_one) * 2.718281828459045;
    r.im = sin(z.im) * cosh(x_minus_one) * 2.718281828459045;
  } else {
    r.re = cos(z.im) * sinh(z.re);
    r.im = sin(z.im) * cosh(z.re);
  }
  *err = isinf(r.re) || isinf(r.im) ? KR_CM_ERANGE : KR_CM_OK;
  return r;
}
static kr_complex kr_c_exp(kr_complex z, int *err) {
  kr_complex r;
  if (!isfinite(z.re) || !isfinite(z.im)) {
    if (isinf(z.re) && isfinite(z.im) && z.im != 0.0) {
      if (z.re > 0) { r.re = copysign(INFINITY, cos(z.im)); r.im = copysign(INFINITY, sin(z.im)); }
      else { r.re = copysign(0.0, cos(z.im)); r.im = copysign(0.0, sin(z.im)); }
    } else r = kr_cmath_sv(kr_cmath_sv_exp, z);
    *err = isinf(z.im) && (isfinite(z.re) || (isinf(z.re) && z.re > 0)) ? KR_CM_EDOM : KR_CM_OK;
    return r;
  }
  if (z.re > KR_CM_LOG_LARGE_DOUBLE) {
    double l = exp(z.re - 1.0);
    r.re = l * cos(z.im) * 2.718281828459045;
    r.im = l * sin(z.im) * 2.718281828459045;
  } else {
    double l = exp(z.re);
    r.re = l * cos(z.im);
    r.im = l * sin(z.im);
  }
  *err = isinf(r.re) || isinf(r.im) ? KR_CM_ERANGE : KR_CM_OK;
  return r;
}
static kr_complex kr_c_tanh(kr_complex z, int *err) {
  kr_complex r;
  if (!isfinite(z.re) || !isfinite(z.im)) {
    if (isinf(z.re) && isfinite(z.im) && z.im != 0.0) {
      r.re = z.re > 0 ? 1.0 : -1.0;
      r.im = copysign(0.0, 2.0 * sin(z.im) * cos(z.im));
    } else r = kr_cmath_sv(kr_cmath_sv_tanh, z);
    *err = isinf(z.im) && isfinite(z.re) ? KR_CM_EDOM : KR_CM_OK;
    return r;
  }
  *err = KR_CM_OK;
  if (fabs(z.re) > KR_CM_LOG_LARGE_DOUBLE) {
    r.re = copysign(1.0, z.re);
    r.im = 4.0 * sin(z.im) * cos(z.im) * exp(-2.0 * fabs(z.re));
  } else {
    double tx = tanh(z.re), ty = tan(z.im), cx = 1.0 / cosh(z.re), txty = tx * ty, denom = 1.0 + txty * txty;
    r.re = tx * (1.0 + ty * ty) / denom;
    r.im = ((ty / denom) * cx) * cx;
  }
  return r;
}
/* the trigonometric functions through the hyperbolic ones: f(z) = -i g(iz) */
static inline kr_complex kr_c_times_i(kr_complex z) { return kr_complex_make(-z.im, z.re); }
static inline kr_complex kr_c_times_minus_i(kr_complex z) { return kr_complex_make(z.im, -z.re); }


/* ---- NumPy complex128 arrays (types/ops/complex_arrays.ts): each item as NumPy's loops compute it ---- */
/* a * b as NumPy 2's AVX2/AVX-512 loop (fused multiply-add: re = fma(ar, br, -(ai*bi)), im = fma(ar, bi, ai*br));
   NumPy 1.x and CPUs without FMA round each product: within a bound (OpFacts.inexact) */
static inline kr_complex kr_np_cmul(kr_complex a, kr_complex b) {
  return kr_complex_make(fma(a.re, b.re, -(a.im * b.im)), fma(a.re, b.im, a.im * b.re));
}
/* a / b as NumPy divides (Smith's method through the reciprocal of the scaled denominator; 0/0 and x/0 give
   the IEEE quotients of the parts, no exception) */
static inline kr_complex kr_np_cdiv(kr_complex a, kr_complex b) {
  double br = fabs(b.re), bi = fabs(b.im);
  if (br >= bi) {
    if (br == 0 && bi == 0) return kr_complex_make(a.re / br, a.im / br);
    double rat = b.im / b.re, scl = 1.0 / (b.re + b.im * rat);
    return kr_complex_make((a.re + a.im * rat) * scl, (a.im - a.re * rat) * scl);
  }
  double rat = b.re / b.im, scl = 1.0 / (b.im + b.re * rat);
  return kr_complex_make((a.re * rat + a.im) * scl, (a.im * rat - a.re) * scl);
}
/* The C library's cpow, declared here (complex.h would define the macros `I` and `complex`). */
double _Complex cpow(double _Complex, double _Complex);
/* z ** w of np.complex128 scalars as NumPy computes it (its npy_cpow): w == 0 gives 1; z == 0 gives 0 for a positive
   real part of w, else nan+nanj (NumPy warns "invalid value"); an integral real w below 100 in magnitude multiplies
   (1, 2 and 3 written out, others by squaring; a negative w divides 1 by the product with NumPy's division); any
   other w is the C library's cpow (NumPy's own on glibc). No exception: infinite and NaN parts as they come. */
static kr_complex kr_np_cpow(kr_complex a, kr_complex b) {
  if (b.re == 0.0 && b.im == 0.0) return kr_complex_make(1.0, 0.0);
  if (a.re == 0.0 && a.im == 0.0) return b.re > 0.0 ? kr_complex_make(0.0, 0.0) : kr_complex_make(NAN, NAN);
  if (b.im == 0.0 && b.re == floor(b.re) && fabs(b.re) < 100.0) {
    long n = (long)b.re;
    if (n == 1) return a;
    if (n == 2) return kr_complex_mul(a, a);
    if (n == 3) return kr_complex_mul(a, kr_complex_mul(a, a));
    kr_complex r = kr_complex_powu(a, n < 0 ? -n : n);
    return n < 0 ? kr_np_cdiv(kr_complex_make(1.0, 0.0), r) : r;
  }
  union { double _Complex c; double p[2]; } x, y, r;
  x.p[0] = a.re; x.p[1] = a.im; y.p[0] = b.re; y.p[1] = b.im;
  r.c = cpow(x.c, y.c);
  return kr_complex_make(r.p[0], r.p[1]);
}
/* np.complex128 scalars ordered as NumPy 2 orders them (no warning): by real parts, then by imaginary parts; a NaN
   real part is never less nor equal */
static inline bool kr_np_complex_lt(kr_complex a, kr_complex b) { return a.re < b.re || (a.re == b.re && a.im < b.im); }
static inline bool kr_np_complex_le(kr_complex a, kr_complex b) { return a.re < b.re || (a.re == b.re && a.im <= b.im); }
/* np.abs of an item: NumPy's SIMD hypot, larger * sqrt(1 + (smaller/larger)^2) with the square fused (measured on
   NumPy 1.24 and 2.4, AVX-512); inf when a part is infinite, NaN when one is NaN */
static inline double kr_np_cabs(kr_complex z) {
  double re = fabs(z.re), im = fabs(z.im);
  if (isinf(re) || isinf(im)) return INFINITY;
  if (isnan(re) || isnan(im)) return NAN;
  double big = re > im ? re : im, small = re > im ? im : re;
  if (big == 0) return 0.0;
  double rat = small / big;
  return big * sqrt(fma(rat, rat, 1.0));
}
/* np.exp of an item: cmath's algorithm (NumPy's npy_cexp agrees on finite values), no OverflowError */
static inline kr_complex kr_np_cexp(kr_complex z) { int e; return kr_c_exp(z, &e); }
/* NumPy's pairwise sum of n complex items (pairwise_sum of CDOUBLE: 8 partial sums, the real parts of items
   0, 1, 2, 3 mod 4 and their imaginary parts, up to 64 items; halves above, cut at a multiple of 4 items) */
static void kr_np_cpairwise(const kr_complex *a, int64_t n, int64_t stride, double *rr, double *ri) {
  if (n < 4) {
    double sr = -0.0, si = -0.0;
    for (int64_t i = 0; i < n; i++) { sr += a[i * stride].re; si += a[i * stride].im; }
    *rr = sr; *ri = si;
    return;
  }
  if (n <= 64) {
    double r[8]; int64_t i;
    for (int j = 0; j < 4; j++) { r[2 * j] = a[j * stride].re; r[2 * j + 1] = a[j * stride].im; }
    for (i = 4; i < n - (n % 4); i += 4)
      for (int j = 0; j < 4; j++) { r[2 * j] += a[(i + j) * stride].re; r[2 * j + 1] += a[(i + j) * stride].im; }
    double sr = (r[0] + r[2]) + (r[4] + r[6]), si = (r[1] + r[3]) + (r[5] + r[7]);
    for (; i < n; i++) { sr += a[i * stride].re; si += a[i * stride].im; }
    *rr = sr; *ri = si;
    return;
  }
  int64_t n2 = n - n % 8; n2 /= 2;   /* NumPy halves 2n doubles and cuts at a multiple of 8 doubles */
  double r1, i1, r2, i2;
  kr_np_cpairwise(a, n2, stride, &r1, &i1);
  kr_np_cpairwise(a + n2 * stride, n - n2, stride, &r2, &i2);
  *rr = r1 + r2; *ri = i1 + i2;
}
/* np.sum of a whole complex view (3-D form, kr_sum3's order): one pairwise run for a 1-D or C-contiguous one, else
   C order in chunks of 8192 items (NumPy's buffer) */
static kr_complex kr_np_csum3(const kr_complex *a, const int64_t s3[3], const int64_t st3[3]) {
  int64_t total = s3[0] * s3[1] * s3[2];
  double rr, ri, accr = 0.0, acci = 0.0;
  if (total == 0) return kr_complex_make(0.0, 0.0);
  if ((s3[2] == 1 || st3[2] == 1) && (s3[1] == 1 || st3[1] == s3[2]) && (s3[0] == 1 || st3[0] == s3[1] * s3[2])) {
    kr_np_cpairwise(a, total, 1, &rr, &ri);
    return kr_complex_make(0.0 + rr, 0.0 + ri);
  }
  if (s3[0] == 1 && s3[1] == 1) { kr_np_cpairwise(a, total, st3[2], &rr, &ri); return kr_complex_make(0.0 + rr, 0.0 + ri); }
  kr_complex *buf = (kr_complex *)malloc(8192 * sizeof(kr_complex));
  if (!buf) { /* no memory for the buffer: one item at a time, C order */
    for (int64_t i = 0; i < s3[0]; i++) for (int64_t j = 0; j < s3[1]; j++) for (int64_t k = 0; k < s3[2]; k++) {
      kr_complex z = a[i * st3[0] + j * st3[1] + k * st3[2]]; accr += z.re; acci += z.im;
    }
    return kr_complex_make(accr, acci);
  }
  int64_t fill = 0;
  for (int64_t i = 0; i < s3[0]; i++) for (int64_t j = 0; j < s3[1]; j++) for (int64_t k = 0; k < s3[2]; k++) {
    buf[fill++] = a[i * st3[0] + j * st3[1] + k * st3[2]];
    if (fill == 8192) { kr_np_cpairwise(buf, fill, 1, &rr, &ri); accr += rr; acci += ri; fill = 0; }
  }
  if (fill) { kr_np_cpairwise(buf, fill, 1, &rr, &ri); accr += rr; acci += ri; }
  free(buf);
  return kr_complex_make(accr, acci);
}

static inline int kr_cmath_sqrt(kr_complex z, kr_complex *out) { *out = kr_c_sqrt(z); return 0; }
static inline int kr_cmath_exp(kr_complex z, kr_complex *out) { int e; kr_complex r = kr_c_exp(z, &e); return kr_cmath_result(e, r, out); }
static inline int kr_cmath_cosh(kr_complex z, kr_complex *out) { int e; kr_complex r = kr_c_cosh(z, &e); return kr_cmath_result(e, r, out); }
static inline int kr_cmath_sinh(kr_complex z, kr_complex *out) { int e; kr_complex r = kr_c_sinh(z, &e); return kr_cmath_result(e, r, out); }
static inline int kr_cmath_tanh(kr_complex z, kr_complex *out) { int e; kr_complex r = kr_c_tanh(z, &e); return kr_cmath_result(e, r, out); }
static inline int kr_cmath_cos(kr_complex z, kr_complex *out) { int e; kr_complex r = kr_c_cosh(kr_c_times_i(z), &e); return kr_cmath_result(e, r, out); }
static inline int kr_cmath_sin(kr_complex z, kr_complex *out) { int e; kr_complex r = kr_c_sinh(kr_c_times_i(z), &e); return kr_cmath_result(e, kr_c_times_minus_i(r), out); }
static inline int kr_cmath_tan(kr_complex z, kr_complex *out) { int e; kr_complex r = kr_c_tanh(kr_c_times_i(z), &e); return kr_cmath_result(e, kr_c_times_minus_i(r), out); }
static inline int kr_cmath_acos(kr_complex z, kr_complex *out) { *out = kr_c_acos(z); return 0; }
static inline int kr_cmath_acosh(kr_complex z, kr_complex *out) { *out = kr_c_acosh(z); return 0; }
static inline int kr_cmath_asinh(kr_complex z, kr_complex *out) { *out = kr_c_asinh(z); return 0; }
static inline int kr_cmath_asin(kr_complex z, kr_complex *out) { *out = kr_c_times_minus_i(kr_c_asinh(kr_c_times_i(z))); return 0; }
static inline int kr_cmath_atanh(kr_complex z, kr_complex *out) { int e; kr_complex r = kr_c_atanh(z, &e); return kr_cmath_result(e, r, out); }
static inline int kr_cmath_atan(kr_complex z, kr_complex *out) { int e; kr_complex r = kr_c_atanh(kr_c_times_i(z), &e); return kr_cmath_result(e, kr_c_times_minus_i(r), out); }
/* cmath.log(z) */
static inline int kr_cmath_log(kr_complex z, kr_complex *out) { int e; kr_complex r = kr_c_log(z, &e); return kr_cmath_result(e, r, out); }
/* cmath.log(z, base): the error state is the last one set, as in CPython (log(base) clears log(z)'s) */
static int kr_cmath_log_base(kr_complex z, kr_complex base, kr_complex *out) {
  int e, zero;
  kr_complex x = kr_c_log(z, &e), y = kr_c_log(base, &e);
  kr_complex r = kr_complex_quot(x, y, &zero);
  if (zero) e = KR_CM_EDOM;
  return kr_cmath_result(e, r, out);
}
static inline int kr_cmath_log10(kr_complex z, kr_complex *out) {
  int e;
  kr_complex r = kr_c_log(z, &e);
  return kr_cmath_result(e, kr_complex_make(r.re / KR_LN10, r.im / KR_LN10), out);
}
/* cmath.phase(z): CPython reads errno after atan2, which glibc sets (ERANGE) when a nonzero result underflows to
 * zero, hence OverflowError "math range error" for phase(1e308 + 1e-310j) */
static inline int kr_cmath_phase(kr_complex z, double *out) {
  double r = atan2(z.im, z.re);
  if (r == 0.0 && z.im != 0.0 && isfinite(z.re)) return kr_raise(KILN_OverflowError, "math range error");
  *out = r;
  return 0;
}
/* cmath.polar(z) -> (abs(z), phase(z)); overflow is "math range error" here */
static inline int kr_cmath_polar(kr_complex z, double *r, double *phi) {
  *phi = atan2(z.im, z.re);
  if (kr_complex_abs_raw(z, r)) return kr_raise(KILN_OverflowError, "math range error");
  return 0;
}
/* cmath.rect(r, phi) */
static int kr_cmath_rect(double r, double phi, kr_complex *out) {
  kr_complex z;
  int e = KR_CM_OK;
  if (!isfinite(r) || !isfinite(phi)) {
    if (isinf(r) && isfinite(phi) && phi != 0.0) {
      if (r > 0) { z.re = copysign(INFINITY, cos(phi)); z.im = copysign(INFINITY, sin(phi)); }
      else { z.re = -copysign(INFINITY, cos(phi)); z.im = -copysign(INFINITY, sin(phi)); }
    } else z = kr_cmath_sv(kr_cmath_sv_rect, kr_complex_make(r, phi));
    if (r != 0.0 && !isnan(r) && isinf(phi)) e = KR_CM_EDOM;
  } else if (phi == 0.0) { z.re = r; z.im = r * phi; }
  else { z.re = r * cos(phi); z.im = r * sin(phi); }
  return kr_cmath_result(e, z, out);
}
static inline bool kr_cmath_isfinite(kr_complex z) { return isfinite(z.re) && isfinite(z.im); }
static inline bool kr_cmath_isnan(kr_complex z) { return isnan(z.re) || isnan(z.im); }
static inline bool kr_cmath_isinf(kr_complex z) { return isinf(z.re) || isinf(z.im); }
/* cmath.isclose(a, b, rel_tol=1e-09, abs_tol=0.0) */
static int kr_cmath_isclose(kr_complex a, kr_complex b, double rel_tol, double abs_tol, bool *out) {
  if (rel_tol < 0.0 || abs_tol < 0.0) return kr_raise(KILN_ValueError, "tolerances must be non-negative");
  if (a.re == b.re && a.im == b.im) { *out = true; return 0; }
  if (isinf(a.re) || isinf(a.im) || isinf(b.re) || isinf(b.im)) { *out = false; return 0; }
  double diff, aa, ab;
  kr_complex_abs_raw(kr_complex_sub(a, b), &diff);
  kr_complex_abs_raw(b, &ab);
  kr_complex_abs_raw(a, &aa);
  *out = (diff <= rel_tol * ab) || (diff <= rel_tol * aa) || (diff <= abs_tol);
  return 0;
}


/* ---------------------------------------------------------------------------------------------------------
 * statistics: mean, fmean, median, variance, stdev, pvariance, pstdev as CPython 3.11 rounds them. mean and the
 * variances sum the data exactly (CPython: Fractions grouped by denominator; here big-int partial sums per power
 * of two) and round the exact quotient once; stdev/pstdev are the correctly rounded square root of the exact
 * variance (CPython's _float_sqrt_of_frac). Errors: CPython raises statistics.StatisticsError, a ValueError
 * subclass that Kiln's exception kinds do not have yet: KILN_StatisticsError names it (it is ValueError today).
 * --------------------------------------------------------------------------------------------------------- */
#define KILN_StatisticsError KILN_ValueError

/* An int (new reference in i) or a float: what mean/median/variance of ints return (an int when exact). */
typedef struct { int is_float; kr_int i; double f; } kr_int_or_float;

/* Exact sums of a data set: per power-of-two denominator 2**k (k in 0..1074), the sum of the numerators and of
 * their squares (x.as_integer_ratio() of each float; ints have k = 0); non-finite values summed apart in data
 * order, as CPython's partials[None]. */
typedef struct {
  kr_int *sx, *sxx;     /* 1075 slots each, KR_INT(0) == 0 so calloc'd memory is all zeros */
  int kmin, kmax;
  int64_t count, nonfinite;
  double special;       /* the sum of the infinities and NaNs, in data order */
} kr_exact_sums;

static int kr_exact_sums_init(kr_exact_sums *a) {
  memset(a, 0, sizeof *a);
  a->sx = (kr_int *)calloc(2 * 1075, sizeof(kr_int));
  if (!a->sx) return kr_raise(KILN_MemoryError, "");
  a->sxx = a->sx + 1075;
  a->kmin = 1075;
  a->kmax = -1;
  return 0;
}
static void kr_exact_sums_free(kr_exact_sums *a) {
  if (!a->sx) return;
  for (int k = 0; k < 2 * 1075; k++) kr_int_decref(a->sx[k]);
  free(a->sx);
  a->sx = NULL;
}
/* adds num / 2**k (and its square when squares) */
static int kr_exact_sums_add_ratio(kr_exact_sums *a, kr_int num, int k, int squares) {
  kr_int t;
  if (kr_int_add(a->sx[k], num, &t)) return -1;
  kr_int_decref(a->sx[k]);
  a->sx[k] = t;
  if (squares) {
    kr_int sq;
    if (kr_int_mul(num, num, &sq)) return -1;
    int rc = kr_int_add(a->sxx[k], sq, &t);
    kr_int_decref(sq);
    if (rc) return -1;
    kr_int_decref(a->sxx[k]);
    a->sxx[k] = t;
  }
  if (k < a->kmin) a->kmin = k;
  if (k > a->kmax) a->kmax = k;
  return 0;
}
static int kr_exact_sums_add_f64(kr_exact_sums *a, double x, int squares) {
  a->count++;
  if (!isfinite(x)) { a->special = a->nonfinite++ ? a->special + x : 0 + x; return 0; }
  /* x.as_integer_ratio(): an odd numerator over 2**k, or an integer */
  int e;
  double m = frexp(x, &e);
  int64_t mant = (int64_t)ldexp(m, 53);
  e -= 53;
  while (mant != 0 && (mant & 1) == 0 && e < 0) { mant /= 2; e++; }
  kr_int num;
  if (e >= 0) {
    if (kr_int_lshift_i64(KR_INT(mant), e, &num)) return -1;
  } else num = KR_INT(mant);
  int rc = kr_exact_sums_add_ratio(a, num, e >= 0 ? 0 : -e, squares);
  kr_int_decref(num);
  return rc;
}
/* The totals over the common denominator 2**kmax: SX = sum(x) * 2**K and SXX = sum(x*x) * 2**(2K). */
static int kr_exact_sums_totals(kr_exact_sums *a, kr_int *sx, kr_int *sxx, int *K) {
  kr_int tx = KR_INT(0), txx = KR_INT(0), t, sh;
  int kk = a->kmax < 0 ? 0 : a->kmax;
  for (int k = a->kmin; k <= a->kmax; k++) {
    if (kr_int_lshift_i64(a->sx[k], kk - k, &sh)) goto fail;
    int rc = kr_int_add(tx, sh, &t);
    kr_int_decref(sh);
    if (rc) goto fail;
    kr_int_decref(tx);
    tx = t;
    if (sxx) {
      if (kr_int_lshift_i64(a->sxx[k], 2 * (kk - k), &sh)) goto fail;
      rc = kr_int_add(txx, sh, &t);
      kr_int_decref(sh);
      if (rc) goto fail;
      kr_int_decref(txx);
      txx = t;
    }
  }
  *sx = tx;
  if (sxx) *sxx = txx;
  *K = kk;
  return 0;
fail:
  kr_int_decref(tx);
  kr_int_decref(txx);
  return -1;
}
/* num / (den * 2**shift) as a float, correctly rounded (Fraction.__float__ is int / int) */
static int kr_ratio_to_f64(kr_int num, kr_int den, int64_t shift, double *out) {
  kr_int d;
  if (kr_int_lshift_i64(den, shift, &d)) return -1;
  int rc = kr_int_truediv(num, d, out);
  kr_int_decref(d);
  return rc;
}
/* num / den as an int when it divides exactly, else as a float (statistics' _convert(value, int)) */
static int kr_ratio_to_int_or_float(kr_int num, kr_int den, kr_int_or_float *out) {
  kr_int q, r;
  if (kr_int_divmod(num, den, &q, &r)) return -1;
  int exact = kr_int_sign(r) == 0;
  kr_int_decref(r);
  if (exact) { out->is_float = 0; out->i = q; out->f = 0; return 0; }
  kr_int_decref(q);
  out->is_float = 1;
  out->i = KR_INT(0);
  return kr_int_truediv(num, den, &out->f);
}

/* statistics.mean of floats */
static int kr_stats_mean_f64(const double *x, int64_t n, double *out) {
  if (n < 1) return kr_raise(KILN_StatisticsError, "mean requires at least one data point");
  kr_exact_sums a;
  if (kr_exact_sums_init(&a)) return -1;
  for (int64_t i = 0; i < n; i++) if (kr_exact_sums_add_f64(&a, x[i], 0)) { kr_exact_sums_free(&a); return -1; }
  if (a.nonfinite) { kr_exact_sums_free(&a); *out = a.special / (double)n; return 0; }
  kr_int sx, nn;
  int K, rc;
  if (kr_exact_sums_totals(&a, &sx, NULL, &K)) { kr_exact_sums_free(&a); return -1; }
  kr_exact_sums_free(&a);
  if (kr_int_from_i64(n, &nn)) { kr_int_decref(sx); return -1; }
  rc = kr_ratio_to_f64(sx, nn, K, out);
  kr_int_decref(sx);
  kr_int_decref(nn);
  return rc;
}
/* statistics.mean of ints: an int when the mean is exact (mean([1, 2, 3]) is 2), else a float */
static int kr_stats_mean_int(const kr_int *x, int64_t n, kr_int_or_float *out) {
  if (n < 1) return kr_raise(KILN_StatisticsError, "mean requires at least one data point");
  kr_int s = KR_INT(0), t, nn;
  for (int64_t i = 0; i < n; i++) {
    if (kr_int_add(s, x[i], &t)) { kr_int_decref(s); return -1; }
    kr_int_decref(s);
    s = t;
  }
  if (kr_int_from_i64(n, &nn)) { kr_int_decref(s); return -1; }
  int rc = kr_ratio_to_int_or_float(s, nn, out);
  kr_int_decref(s);
  kr_int_decref(nn);
  return rc;
}
/* statistics.fmean(data) = fsum(data) / n; with weights: fsum(x * w) / fsum(w) */
static int kr_stats_fmean_f64(const double *x, int64_t n, double *out) {
  double total;
  if (kr_math_fsum(x, n, &total)) return -1;
  if (n == 0) return kr_raise(KILN_StatisticsError, "fmean requires at least one data point");
  *out = total / (double)n;
  return 0;
}
static int kr_stats_fmean_weighted_f64(const double *x, int64_t n, const double *w, int64_t nw, double *out) {
  int64_t m = n < nw ? n : nw;   /* map(mul, data, weights) stops at the shorter */
  double *prod = (double *)malloc((size_t)(m ? m : 1) * sizeof(double)), num, den;
  if (!prod) return kr_raise(KILN_MemoryError, "");
  for (int64_t i = 0; i < m; i++) prod[i] = x[i] * w[i];
  int rc = kr_math_fsum(prod, m, &num);
  free(prod);
  if (rc) return -1;
  if (n != nw) return kr_raise(KILN_StatisticsError, "data and weights must be the same length");
  if (kr_math_fsum(w, nw, &den)) return -1;
  if (den == 0.0) return kr_raise(KILN_StatisticsError, "sum of weights must be non-zero");
  *out = num / den;
  return 0;
}
/* statistics.median of data already sorted (by the runtime's list sort, CPython's order with NaNs included) */
static int kr_stats_median_sorted_f64(const double *sorted, int64_t n, double *out) {
  if (n == 0) return kr_raise(KILN_StatisticsError, "no median for empty data");
  *out = n % 2 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  return 0;
}
static int kr_stats_median_sorted_int(const kr_int *sorted, int64_t n, kr_int_or_float *out) {
  if (n == 0) return kr_raise(KILN_StatisticsError, "no median for empty data");
  if (n % 2) { kr_int_incref(sorted[n / 2]); out->is_float = 0; out->i = sorted[n / 2]; return 0; }
  kr_int s;
  if (kr_int_add(sorted[n / 2 - 1], sorted[n / 2], &s)) return -1;
  out->is_float = 1;
  out->i = KR_INT(0);
  int rc = kr_int_truediv(s, KR_INT(2), &out->f);   /* (a + b) / 2: int true division */
  kr_int_decref(s);
  return rc;
}

/* The exact sum of squared deviations of float data over its denominator: ssd = N / D (CPython's _ss). With
 * has_c, the deviations are the floats (x - c) * (x - c) summed exactly (CPython's _ss(data, c)). Non-finite
 * data leaves *special set to the float CPython's partials[None] holds, N and D unset. */
static int kr_stats_ss_f64(const double *x, int64_t n, int has_c, double c, kr_int *N, kr_int *D, int *nonfinite, double *special) {
  kr_exact_sums a;
  if (kr_exact_sums_init(&a)) return -1;
  for (int64_t i = 0; i < n; i++) {
    double v = has_c ? (x[i] - c) * (x[i] - c) : x[i];
    if (kr_exact_sums_add_f64(&a, v, !has_c)) { kr_exact_sums_free(&a); return -1; }
  }
  *nonfinite = a.nonfinite != 0;
  *special = a.special;
  if (a.nonfinite) { kr_exact_sums_free(&a); return 0; }
  kr_int sx, sxx, nn, t1, t2;
  int K;
  int rc = kr_exact_sums_totals(&a, &sx, has_c ? NULL : &sxx, &K);
  kr_exact_sums_free(&a);
  if (rc) return -1;
  if (has_c) {   /* ssd = sum / 2**K */
    *N = sx;
    return kr_int_lshift_i64(KR_INT(1), K, D);
  }
  /* ssd = (n * sxx - sx * sx) / n over 2**(2K): N = n*SXX - SX*SX, D = n * 2**(2K) */
  if (kr_int_from_i64(n, &nn)) goto fail;
  if (kr_int_mul(nn, sxx, &t1)) { kr_int_decref(nn); goto fail; }
  if (kr_int_mul(sx, sx, &t2)) { kr_int_decref(nn); kr_int_decref(t1); goto fail; }
  rc = kr_int_sub(t1, t2, N);
  kr_int_decref(t1); kr_int_decref(t2);
  if (rc) { kr_int_decref(nn); goto fail; }
  rc = kr_int_lshift_i64(nn, 2 * (int64_t)K, D);
  kr_int_decref(nn);
  kr_int_decref(sx); kr_int_decref(sxx);
  if (rc) { kr_int_decref(*N); return -1; }
  return 0;
fail:
  kr_int_decref(sx); kr_int_decref(sxx);
  return -1;
}
/* sqrt(num / den) correctly rounded (CPython's _float_sqrt_of_frac: a round-to-odd integer square root with
 * 2 * 53 + 3 bits of room, then one rounding to float) */
static int kr_sqrt_of_ratio(kr_int num, kr_int den, double *out) {
  int64_t d = kr_int_bit_length(num) - kr_int_bit_length(den) - 109, q = d >= 0 ? d / 2 : -((1 - d) / 2);   /* d // 2 */
  kr_int n2 = num, m2 = den, quo, a, sq, t, numer, denom = KR_INT(1);
  kr_int_incref(n2); kr_int_incref(m2);
  if (q >= 0) { kr_int_decref(m2); if (kr_int_lshift_i64(den, 2 * q, &m2)) { kr_int_decref(n2); return -1; } }
  else { kr_int_decref(n2); if (kr_int_lshift_i64(num, -2 * q, &n2)) { kr_int_decref(m2); return -1; } }
  /* a = isqrt(n2 // m2) | (a*a*m2 != n2) */
  int rc = kr_int_floordiv(n2, m2, &quo);
  if (!rc) { rc = kr_math_isqrt(quo, &a); kr_int_decref(quo); }
  if (!rc) {
    rc = kr_int_mul(a, a, &sq);
    if (!rc) { rc = kr_int_mul(sq, m2, &t); kr_int_decref(sq); }
    if (!rc) {
      int inexact = !kr_int_eq(t, n2);
      kr_int_decref(t);
      rc = kr_int_or(a, KR_INT(inexact), &numer);
    }
    kr_int_decref(a);
  }
  kr_int_decref(n2);
  kr_int_decref(m2);
  if (rc) return -1;
  if (q >= 0) {
    kr_int shifted;
    rc = kr_int_lshift_i64(numer, q, &shifted);
    kr_int_decref(numer);
    if (rc) return -1;
    numer = shifted;
  } else if (kr_int_lshift_i64(KR_INT(1), -q, &denom)) { kr_int_decref(numer); return -1; }
  rc = kr_int_truediv(numer, denom, out);
  kr_int_decref(numer);
  kr_int_decref(denom);
  return rc;
}
/* variance (sample: divisor n - 1) and pvariance (population: divisor n) of floats; has_c for xbar / mu.
 * which: 0 variance, 1 pvariance, 2 stdev, 3 pstdev */
static int kr_stats_var_f64(const double *x, int64_t n, int has_c, double c, int which, double *out) {
  static const char *const too_few[4] = { "variance requires at least two data points", "pvariance requires at least one data point",
    "stdev requires at least two data points", "pstdev requires at least one data point" };
  int sample = which == 0 || which == 2;
  kr_int N, D, den, nd;
  int nonfinite;
  double special;
  if (kr_stats_ss_f64(x, n, has_c, c, &N, &D, &nonfinite, &special)) return -1;
  if (n < (sample ? 2 : 1)) { if (!nonfinite) { kr_int_decref(N); kr_int_decref(D); } return kr_raise(KILN_StatisticsError, too_few[which]); }
  if (nonfinite) {
    if (which >= 2) return kr_raise(KILN_Exception, "'float' object has no attribute 'numerator'");   /* CPython 3.11 */
    *out = special / (double)(sample ? n - 1 : n);
    return 0;
  }
  if (kr_int_from_i64(sample ? n - 1 : n, &nd)) { kr_int_decref(N); kr_int_decref(D); return -1; }
  int rc = kr_int_mul(D, nd, &den);
  kr_int_decref(D);
  kr_int_decref(nd);
  if (rc) { kr_int_decref(N); return -1; }
  rc = which >= 2 ? kr_sqrt_of_ratio(N, den, out) : kr_int_truediv(N, den, out);
  kr_int_decref(N);
  kr_int_decref(den);
  return rc;
}
static inline int kr_stats_variance_f64(const double *x, int64_t n, int has_xbar, double xbar, double *out) { return kr_stats_var_f64(x, n, has_xbar, xbar, 0, out); }
static inline int kr_stats_pvariance_f64(const double *x, int64_t n, int has_mu, double mu, double *out) { return kr_stats_var_f64(x, n, has_mu, mu, 1, out); }
static inline int kr_stats_stdev_f64(const double *x, int64_t n, int has_xbar, double xbar, double *out) { return kr_stats_var_f64(x, n, has_xbar, xbar, 2, out); }
static inline int kr_stats_pstdev_f64(const double *x, int64_t n, int has_mu, double mu, double *out) { return kr_stats_var_f64(x, n, has_mu, mu, 3, out); }

/* the same for ints (which as above): variance and pvariance are ints when exact, stdev and pstdev floats */
static int kr_stats_var_int(const kr_int *x, int64_t n, int which, kr_int_or_float *out) {
  static const char *const too_few[4] = { "variance requires at least two data points", "pvariance requires at least one data point",
    "stdev requires at least two data points", "pstdev requires at least one data point" };
  int sample = which == 0 || which == 2;
  kr_int sx = KR_INT(0), sxx = KR_INT(0), t, sq, nn = KR_INT(0), N = KR_INT(0), den = KR_INT(0);
  int rc = 0;
  for (int64_t i = 0; i < n && !rc; i++) {
    rc = kr_int_add(sx, x[i], &t);
    if (!rc) { kr_int_decref(sx); sx = t; rc = kr_int_mul(x[i], x[i], &sq); }
    if (!rc) { rc = kr_int_add(sxx, sq, &t); kr_int_decref(sq); }
    if (!rc) { kr_int_decref(sxx); sxx = t; }
  }
  if (!rc && n < (sample ? 2 : 1)) rc = kr_raise(KILN_StatisticsError, too_few[which]);
  /* ssd = (n*sxx - sx*sx) / n; result = ssd / (n - 1 or n) = N / (n * (n - 1 or n)) */
  if (!rc) rc = kr_int_from_i64(n, &nn);
  if (!rc) rc = kr_int_mul(nn, sxx, &t);
  if (!rc) { rc = kr_int_mul(sx, sx, &sq); if (rc) kr_int_decref(t); }
  if (!rc) { rc = kr_int_sub(t, sq, &N); kr_int_decref(t); kr_int_decref(sq); }
  if (!rc) { rc = kr_int_mul(nn, sample ? KR_INT(n - 1) : nn, &den); }
  if (!rc) {
    if (which >= 2) { out->is_float = 1; out->i = KR_INT(0); rc = kr_sqrt_of_ratio(N, den, &out->f); }
    else rc = kr_ratio_to_int_or_float(N, den, out);
  }
  kr_int_decref(sx); kr_int_decref(sxx); kr_int_decref(nn); kr_int_decref(N); kr_int_decref(den);
  return rc;
}

#endif /* KILN_MATH_H */
