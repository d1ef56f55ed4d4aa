/*
 * Prints the bits of 200,000 results of each C library function CPython's math/random/cmath use, for arguments
 * drawn by a fixed xorshift generator: bench/runtime/libm_agreement.py builds it against each C library (glibc,
 * musl, mingw) and counts where they differ from glibc and by how many ulps (docs/design/numbers.md).
 */
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include <math.h>

static uint64_t state;
static uint64_t next(void) { state ^= state << 13; state ^= state >> 7; state ^= state << 17; return state; }
static double u01(void) { return (double)(next() >> 11) * (1.0 / 9007199254740992.0); }

int main(void) {
  static const char *const names[] = { "sin", "cos", "log", "exp", "acos", "pow", "erf", "erfc", "tan", "atan", "asinh",
    "acosh", "atanh", "expm1", "log1p", "cbrt", "exp2", "sinh", "cosh", "tanh", "log2", "log10", "atan2", "asin", "hypot" };
  for (int f = 0; f < 25; f++) {
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
      }
      uint64_t b;
      memcpy(&b, &r, 8);
      printf(" %016llx", (unsigned long long)b);
    }
    printf("\n");
  }
  return 0;
}
