/*
 * Prints the bits of 200,000 results of each C library function CPython's math/random/cmath use, for arguments
 * drawn by a fixed xorshift generator, then the real and imaginary parts of 100,000 results of each of cmath's
 * functions, complex abs and `**` (resources/c/kiln_math.h: CPython's algorithms on those C library functions):
 * bench/runtime/libm_agreement.py builds it against each C library (glibc, musl, wasi-libc, mingw) and counts where
 * they differ from glibc and by how many ulps (docs/design/numbers.md).
 */
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include <math.h>
#ifndef NO_CMATH   /* Windows builds: kiln_runtime.h's thread-local error state crashes them under Wine (numbers.md) */
#include "kiln_math.h"
#endif
/* The rows kiln_pow, kiln_acosh, ...: what Kiln calls (kiln_runtime.h kr_libm_pow, ...): Kiln's own on MinGW
 * (kiln_libm.h), the C library's elsewhere */
#ifdef _WIN32
#include "kiln_libm.h"
#define KILN_POW kr_pow_cr
#define KILN_ACOSH kr_acosh_cr
#define KILN_ASINH kr_asinh_cr
#define KILN_ATANH kr_atanh_cr
#else
#define KILN_POW pow
#define KILN_ACOSH acosh
#define KILN_ASINH asinh
#define KILN_ATANH atanh
#endif

static uint64_t state;
static uint64_t next(void) { state ^= state << 13; state ^= state >> 7; state ^= state << 17; return state; }
static double u01(void) { return (double)(next() >> 11) * (1.0 / 9007199254740992.0); }
static void put(double r) {
  uint64_t b;
  memcpy(&b, &r, 8);
  printf(" %016llx", (unsigned long long)b);
}
/* A part of a complex argument: uniform in (-1, 1) times 10**k for k in -3..2; one in eight a signed zero, one in
 * eight within 1e-9 of 0 (arguments near the axes, where cmath's formulas switch) */
static double part(void) {
  uint64_t k = next() % 8;
  double x = (u01() - 0.5) * 2;
  if (k == 6) return copysign(0.0, x);
  if (k == 7) return x * 1e-9;
  static const double scale[6] = { 1e-3, 1e-2, 1e-1, 1.0, 10.0, 100.0 };
  return x * scale[k];
}

int main(void) {
  static const char *const names[] = { "sin", "cos", "log", "exp", "acos", "pow", "erf", "erfc", "tan", "atan", "asinh",
    "acosh", "atanh", "expm1", "log1p", "cbrt", "exp2", "sinh", "cosh", "tanh", "log2", "log10", "atan2", "asin", "hypot",
    "kiln_pow", "kiln_pow_int", "kiln_acosh", "kiln_asinh", "kiln_atanh" };
  for (int f = 0; f < 30; f++) {
    state = 88172645463325252ull + (uint64_t)f;
    printf("%s", names[f]);
    for (int i = 0; i < 200000; i++) {
      double x = u01(), y = u01(), wide = (u01() - 0.5) * 40, r = 0;
      switch (f) {
        case 0: r = sin(x * 6.283185307179586); break;
        case 1: r = cos(x * 6.283185307179586); break;
        case 2: r = log(1.0 - x); break;
        case 3: r = exp(wide); break;
        case 4: r = acos(2 * x - 1); break;
        case 5: r = pow(x * 3, wide); break;
        case 6: r = erf(wide / 4); break;
        case 7: r = erfc(wide / 2); break;
        case 8: r = tan(wide); break;
        case 9: r = atan(wide); break;
        case 10: r = asinh(wide); break;
        case 11: r = acosh(1 + fabs(wide)); break;
        case 12: r = atanh(2 * x - 1); break;
        case 13: r = expm1(wide); break;
        case 14: r = log1p(x * 10); break;
        case 15: r = cbrt(wide); break;
        case 16: r = exp2(wide); break;
        case 17: r = sinh(wide); break;
        case 18: r = cosh(wide); break;
        case 19: r = tanh(wide / 10); break;
        case 20: r = log2(x * 100); break;
        case 21: r = log10(x * 100); break;
        case 22: r = atan2(wide, y - 0.5); break;
        case 23: r = asin(2 * x - 1); break;
        case 24: r = hypot(wide, y * 3); break;
        case 25: r = KILN_POW(x * 3, wide); break;
        case 26: r = KILN_POW(0.5 + x * 1.5, (double)(int)(wide * 5)); break;   /* x ** n, |n| < 100 */
        case 27: r = KILN_ACOSH(1 + fabs(wide)); break;
        case 28: r = KILN_ASINH(wide); break;
        case 29: r = KILN_ATANH(2 * x - 1); break;
      }
      put(r);
    }
    printf("\n");
  }
#ifndef NO_CMATH
  /* cmath: one row per part (c_exp.re, c_exp.im); an argument that raises prints NaN parts on every C library */
  static const char *const cnames[] = { "sqrt", "exp", "log", "log10", "cos", "sin", "tan", "acos", "asin", "atan",
    "cosh", "sinh", "tanh", "acosh", "asinh", "atanh", "rect", "abs", "phase", "pow", "powc" };
  enum { NC = sizeof cnames / sizeof cnames[0], NZ = 100000 };
  static double re[NZ], im[NZ];
  for (int f = 0; f < NC; f++) {
    state = 1234567891234567ull + (uint64_t)f;
    for (int i = 0; i < NZ; i++) {
      kr_complex z = kr_complex_make(part(), part()), r = kr_complex_make(NAN, NAN);
      int (*const fn1[])(kr_complex, kr_complex *) = { kr_cmath_sqrt, kr_cmath_exp, kr_cmath_log, kr_cmath_log10,
        kr_cmath_cos, kr_cmath_sin, kr_cmath_tan, kr_cmath_acos, kr_cmath_asin, kr_cmath_atan, kr_cmath_cosh,
        kr_cmath_sinh, kr_cmath_tanh, kr_cmath_acosh, kr_cmath_asinh, kr_cmath_atanh };
      int err;
      if (f < 16) err = fn1[f](z, &r);
      else if (f == 16) err = kr_cmath_rect(fabs(z.re), z.im, &r);
      else if (f == 17) { r.im = 0.0; err = kr_complex_abs(z, &r.re); }
      else if (f == 18) { r.im = 0.0; err = kr_cmath_phase(z, &r.re); }
      else {
        /* z ** w, w real and not integral (pow), or with an imaginary part (powc): both through polar form */
        double wr = (u01() - 0.5) * 8, wi = f == 20 ? (u01() - 0.5) * 4 : 0.0;
        if (wr == floor(wr)) wr += 0.5;
        err = kr_complex_pow(z, kr_complex_make(wr, wi), &r);
      }
      if (err) { kr_reset(); r = kr_complex_make(NAN, NAN); }
      re[i] = r.re;
      im[i] = r.im;
    }
    printf(f == 17 || f == 18 ? "c_%s" : "c_%s.re", cnames[f]);   /* abs and phase: a float */
    for (int i = 0; i < NZ; i++) put(re[i]);
    if (f != 17 && f != 18) {
      printf("\nc_%s.im", cnames[f]);
      for (int i = 0; i < NZ; i++) put(im[i]);
    }
    printf("\n");
  }
#endif
  return 0;
}
