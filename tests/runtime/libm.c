/*
 * Kiln's own pow, acosh, asinh and atanh (resources/c/kiln_libm.h, MinGW's in kiln_runtime.h): tests/runtime/libm.test.ts
 * builds this for the host and runs it, and under Wine for windows-x64.
 *   libm bits N     the bits of N results of each function for arguments of a fixed xorshift generator, one line each,
 *                   then of the edge arguments below: plain IEEE arithmetic, so every target must print the same lines
 *   libm glibc N    (glibc hosts) how many of those results differ from the C library's and by how many ulps at most,
 *                   then the special values (signed zeros, infinities, NaN, (-1) ** y, huge and subnormal results)
 *                   on which pow differs from the C library's
 */
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "kiln_libm.h"

static uint64_t state;
static uint64_t next(void) { state ^= state << 13; state ^= state >> 7; state ^= state << 17; return state; }
static double u01(void) { return (double)(next() >> 11) * (1.0 / 9007199254740992.0); }
static uint64_t bits(double d) { uint64_t b; memcpy(&b, &d, 8); return b; }
static int64_t ordered(double d) { int64_t b = (int64_t)bits(d); return b < 0 ? INT64_MIN - b : b; }

enum { NF = 5 };
static const char *const names[NF] = { "pow", "pow_int", "acosh", "asinh", "atanh" };
/* The k-th argument(s) of function f and Kiln's result; *libc the C library's */
static double arg_result(int f, double *libc) {
  double x = u01(), wide = (u01() - 0.5) * 40;
  switch (f) {
    case 0: *libc = pow(x * 3, wide); return kr_pow_cr(x * 3, wide);
    case 1: { double b = 0.5 + x * 1.5, n = (double)(int)(wide * 5); *libc = pow(b, n); return kr_pow_cr(b, n); }
    case 2: *libc = acosh(1 + fabs(wide)); return kr_acosh_cr(1 + fabs(wide));
    case 3: *libc = asinh(wide); return kr_asinh_cr(wide);
    default: *libc = atanh(2 * x - 1); return kr_atanh_cr(2 * x - 1);
  }
}

int main(int argc, char **argv) {
  int glibc = argc > 1 && !strcmp(argv[1], "glibc");
  int n = argc > 2 ? atoi(argv[2]) : 1000;
  for (int f = 0; f < NF; f++) {
    state = 88172645463325252ull + (uint64_t)f;
    long differ = 0;
    int64_t maxulps = 0;
    if (!glibc) printf("%s", names[f]);
    for (int i = 0; i < n; i++) {
      double libc, r = arg_result(f, &libc);
      if (!glibc) { printf(" %016llx", (unsigned long long)bits(r)); continue; }
      if (bits(r) != bits(libc)) {
        differ++;
        int64_t d = ordered(r) - ordered(libc);
        if (d < 0) d = -d;
        if (d > maxulps) maxulps = d;
      }
    }
    if (glibc) printf("%s %ld %lld\n", names[f], differ, (long long)maxulps);
    else printf("\n");
  }
  {
    static const double v[] = { 0.0, -0.0, 1.0, -1.0, 0.5, -0.5, 2.0, -2.0, 3.0, -3.0, 0.1, 1e-310, -1e-310, 5e-324, 1e300, -1e300,
      1.7976931348623157e308, INFINITY, -INFINITY, NAN, 1e-20, 1e20, 0x1p28, 0x1p-28, 1.5, -1.5, 2.5, 1023.5, 1074.0, -1074.0,
      -1075.0, 1024.0, -1022.5, 0x1p53, 0x1p53 + 2, -0x1p53 - 2, 709.7, 745.2 };
    const int nv = (int)(sizeof v / sizeof *v);
    if (!glibc) {   /* the edge arguments' bits too (subnormal x: mingw's own log of one is far off) */
      printf("edges");
      for (int i = 0; i < nv; i++) {
        for (int j = 0; j < nv; j++) printf(" %016llx", (unsigned long long)bits(kr_pow_cr(v[i], v[j])));
        printf(" %016llx %016llx %016llx", (unsigned long long)bits(kr_acosh_cr(v[i])), (unsigned long long)bits(kr_asinh_cr(v[i])), (unsigned long long)bits(kr_atanh_cr(v[i])));
      }
      printf("\n");
      return 0;
    }
    for (int i = 0; i < nv; i++) {
      for (int j = 0; j < nv; j++) {
        double a = pow(v[i], v[j]), b = kr_pow_cr(v[i], v[j]);
        if (bits(a) != bits(b) && !(isnan(a) && isnan(b))) printf("special pow(%a, %a) %a %a\n", v[i], v[j], a, b);
      }
      double a = acosh(v[i]), b = kr_acosh_cr(v[i]);
      if (bits(a) != bits(b) && !(isnan(a) && isnan(b))) printf("special acosh(%a) %a %a\n", v[i], a, b);
      a = asinh(v[i]); b = kr_asinh_cr(v[i]);
      if (bits(a) != bits(b) && !(isnan(a) && isnan(b))) printf("special asinh(%a) %a %a\n", v[i], a, b);
      a = atanh(v[i]); b = kr_atanh_cr(v[i]);
      /* atanh(+-0.5) is 0.5 log1p(2) in both: glibc's log1p (fdlibm's) is an ulp off there */
      if (bits(a) != bits(b) && !(isnan(a) && isnan(b)) && fabs(v[i]) != 0.5) printf("special atanh(%a) %a %a\n", v[i], a, b);
    }
  }
  return 0;
}
