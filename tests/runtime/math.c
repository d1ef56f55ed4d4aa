/*
 * Differential driver for resources/c/kiln_math.h (math, cmath, complex, statistics): one command per stdin line,
 * one result line each; tests/runtime/math_cases.py prints CPython's lines for the same commands and
 * tests/runtime/math.test.ts compares them (natively, under valgrind, on wasm32, under QEMU).
 * Ints travel as hex ("-0x1f"), floats as "f" + IEEE bits in hex, lists as comma-separated items.
 * Errors print "ERR <Kind> <message>".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "kiln_math.h"

static char line[1 << 20];

static void put_int(kr_int v) {
  char *s;
  int64_t n;
  if (kr_int_hex(v, &s, &n)) { printf("?"); kr_reset(); return; }
  fputs(s, stdout);
  free(s);
}
/* NaNs print as "nan": their sign and payload are not portable (x86 makes -nan where ARM makes +nan) */
static void put_f(double d) {
  uint64_t b;
  memcpy(&b, &d, 8);
  if (isnan(d)) printf("nan");
  else printf("f%016llx", (unsigned long long)b);
}
static void put_c(kr_complex z) { put_f(z.re); putchar(' '); put_f(z.im); }
/* repr(float) for the complex repr test only (the real one is the str layer's): the shortest %.Ng that reads
 * back, laid out as Python does (exponent below 1e-4 and from 1e16, "inf", "nan", ".0" on integral values) */
static size_t test_float_repr(double x, char *buf, size_t cap) {
  if (isnan(x)) return (size_t)snprintf(buf, cap, "nan");
  if (isinf(x)) return (size_t)snprintf(buf, cap, x > 0 ? "inf" : "-inf");
  char digits[40];
  int prec = 1;
  for (; prec < 17; prec++) {
    snprintf(digits, sizeof digits, "%.*e", prec - 1, x);
    if (strtod(digits, NULL) == x) break;
  }
  snprintf(digits, sizeof digits, "%.*e", prec - 1, x);
  char *e = strchr(digits, 'e');
  int exp10 = atoi(e + 1);
  *e = 0;
  char mant[40];
  int neg = digits[0] == '-', nm = 0;
  for (char *p = digits + neg; *p; p++) if (*p != '.') mant[nm++] = *p;
  mant[nm] = 0;
  while (nm > 1 && mant[nm - 1] == '0') mant[--nm] = 0;
  size_t n = 0;
  if (neg) buf[n++] = '-';
  if (exp10 < -4 || exp10 >= 16) {
    buf[n++] = mant[0];
    if (nm > 1) { buf[n++] = '.'; memcpy(buf + n, mant + 1, (size_t)nm - 1); n += (size_t)nm - 1; }
    n += (size_t)snprintf(buf + n, cap - n, "e%c%02d", exp10 < 0 ? '-' : '+', exp10 < 0 ? -exp10 : exp10);
  } else if (exp10 < 0) {
    buf[n++] = '0'; buf[n++] = '.';
    for (int i = 0; i < -exp10 - 1; i++) buf[n++] = '0';
    memcpy(buf + n, mant, (size_t)nm); n += (size_t)nm;
  } else {
    for (int i = 0; i <= exp10; i++) buf[n++] = i < nm ? mant[i] : '0';
    buf[n++] = '.';
    if (nm > exp10 + 1) { memcpy(buf + n, mant + exp10 + 1, (size_t)(nm - exp10 - 1)); n += (size_t)(nm - exp10 - 1); }
    else buf[n++] = '0';
  }
  buf[n] = 0;
  return n;
}
static double get_f(const char *t) {
  uint64_t b = strtoull(t + 1, NULL, 16);
  double d;
  memcpy(&d, &b, 8);
  return d;
}
static kr_int get_int(const char *t) {
  kr_int v;
  if (kr_int_from_str(t, (int64_t)strlen(t), 16, &v)) { fprintf(stderr, "bad int %s\n", t); exit(2); }
  return v;
}
/* a comma-separated list of floats ("-" for an empty list) */
static int64_t get_floats(char *t, double *out) {
  int64_t n = 0;
  if (!strcmp(t, "-")) return 0;
  for (char *p = strtok(t, ","); p; p = strtok(NULL, ",")) out[n++] = get_f(p);
  return n;
}
static int64_t get_ints(char *t, kr_int *out) {
  int64_t n = 0;
  if (!strcmp(t, "-")) return 0;
  for (char *p = strtok(t, ","); p; p = strtok(NULL, ",")) out[n++] = get_int(p);
  return n;
}

static double fa[1 << 16], fb[1 << 16];
static kr_int ia[1 << 16];

int main(void) {
  while (fgets(line, sizeof line, stdin)) {
    line[strcspn(line, "\n")] = 0;
    char *tok[8];
    int nt = 0;
    for (char *p = line; *p && nt < 8;) {   /* split on spaces, in place (the lists are split later with strtok) */
      tok[nt++] = p;
      while (*p && *p != ' ') p++;
      if (*p) *p++ = 0;
    }
    if (!nt) continue;
    const char *op = tok[0];
    int rc = 0;
    double r = 0, x = nt > 1 && tok[1][0] == 'f' ? get_f(tok[1]) : 0, y = nt > 2 && tok[2][0] == 'f' ? get_f(tok[2]) : 0;
    kr_int a = KR_INT(0), b = KR_INT(0), ri = KR_INT(0);
    if (nt > 1 && !strchr(tok[1], ',') && (!strncmp(tok[1], "0x", 2) || !strncmp(tok[1], "-0x", 3))) a = get_int(tok[1]);
    if (nt > 2 && (!strncmp(tok[2], "0x", 2) || !strncmp(tok[2], "-0x", 3))) b = get_int(tok[2]);
#define F1(name, call) else if (!strcmp(op, name)) { if ((rc = call(x, &r)) == 0) { put_f(r); puts(""); } }
#define F1N(name, call) else if (!strcmp(op, name)) { put_f(call(x)); puts(""); }
#define I2(name, call) else if (!strcmp(op, name)) { if ((rc = call(a, b, &ri)) == 0) { put_int(ri); puts(""); } }
    if (0) {}
    I2("gcd", kr_math_gcd)
    I2("lcm", kr_math_lcm)
    I2("comb", kr_math_comb)
    I2("perm", kr_math_perm)
    else if (!strcmp(op, "isqrt")) { if ((rc = kr_math_isqrt(a, &ri)) == 0) { put_int(ri); puts(""); } }
    else if (!strcmp(op, "factorial")) { if ((rc = kr_math_factorial(a, &ri)) == 0) { put_int(ri); puts(""); } }
    F1("acosh", kr_math_acosh) F1("asinh", kr_math_asinh) F1("atanh", kr_math_atanh) F1("cbrt", kr_math_cbrt)
    F1("exp2", kr_math_exp2) F1("expm1", kr_math_expm1) F1("log1p", kr_math_log1p) F1("gamma", kr_math_gamma)
    F1("lgamma", kr_math_lgamma)
    F1N("erf", kr_math_erf) F1N("erfc", kr_math_erfc) F1N("degrees", kr_math_degrees) F1N("radians", kr_math_radians)
    F1N("ulp", kr_math_ulp)
    else if (!strcmp(op, "remainder")) { if ((rc = kr_math_remainder(x, y, &r)) == 0) { put_f(r); puts(""); } }
    else if (!strcmp(op, "nextafter")) { put_f(kr_math_nextafter(x, y)); puts(""); }
    else if (!strcmp(op, "copysign")) { put_f(kr_math_copysign(x, y)); puts(""); }
    else if (!strcmp(op, "hypot2")) { put_f(kr_hypot(x, y)); puts(""); }   /* kiln_runtime.h */
    else if (!strcmp(op, "ldexp")) { if ((rc = kr_math_ldexp(x, b, &r)) == 0) { put_f(r); puts(""); } }
    else if (!strcmp(op, "frexp")) { int64_t e; double m = kr_math_frexp(x, &e); put_f(m); printf(" %lld\n", (long long)e); }
    else if (!strcmp(op, "modf")) { double ip, fp = kr_math_modf(x, &ip); put_f(fp); putchar(' '); put_f(ip); puts(""); }
    else if (!strcmp(op, "isclose")) {
      bool c;
      if ((rc = kr_math_isclose(x, y, get_f(tok[3]), get_f(tok[4]), &c)) == 0) printf("%d\n", c);
    }
    else if (!strcmp(op, "hypot")) { int64_t n = get_floats(tok[1], fa); if ((rc = kr_math_hypot(fa, n, &r)) == 0) { put_f(r); puts(""); } }
    else if (!strcmp(op, "dist")) {
      int64_t n = get_floats(tok[1], fa), m = get_floats(tok[2], fb);
      if ((rc = kr_math_dist(fa, n, fb, m, &r)) == 0) { put_f(r); puts(""); }
    }
    else if (!strcmp(op, "fsum")) { int64_t n = get_floats(tok[1], fa); if ((rc = kr_math_fsum(fa, n, &r)) == 0) { put_f(r); puts(""); } }
    else if (!strcmp(op, "prodf")) { int64_t n = get_floats(tok[1], fa); put_f(kr_math_prod_f64(fa, n, 1.0)); puts(""); }
    else if (!strcmp(op, "prodi")) {
      int64_t n = get_ints(tok[1], ia);
      if ((rc = kr_math_prod_int(ia, n, KR_INT(1), &ri)) == 0) { put_int(ri); puts(""); }
      for (int64_t i = 0; i < n; i++) kr_int_decref(ia[i]);
    }
    else if (op[0] == 'c' && op[1] == '_') {   /* complex and cmath: c_<name> re im [re im] */
      kr_complex z = kr_complex_make(x, y), w = kr_complex_make(nt > 3 ? get_f(tok[3]) : 0, nt > 4 ? get_f(tok[4]) : 0), cr;
      const char *f = op + 2;
      double d1, d2;
      bool c;
      int kind = 0;   /* 0: complex result, 1: float, 2: two floats, 3: bool, 4: text */
      char text[200];
      if (!strcmp(f, "add")) cr = kr_complex_add(z, w);
      else if (!strcmp(f, "sub")) cr = kr_complex_sub(z, w);
      else if (!strcmp(f, "mul")) cr = kr_complex_mul(z, w);
      else if (!strcmp(f, "div")) rc = kr_complex_div(z, w, &cr);
      else if (!strcmp(f, "pow")) rc = kr_complex_pow(z, w, &cr);
      else if (!strcmp(f, "abs")) { rc = kr_complex_abs(z, &d1); kind = 1; }
      else if (!strcmp(f, "phase")) { rc = kr_cmath_phase(z, &d1); kind = 1; }
      else if (!strcmp(f, "polar")) { rc = kr_cmath_polar(z, &d1, &d2); kind = 2; }
      else if (!strcmp(f, "rect")) rc = kr_cmath_rect(x, y, &cr);
      else if (!strcmp(f, "logb")) rc = kr_cmath_log_base(z, w, &cr);
      else if (!strcmp(f, "isclose")) { rc = kr_cmath_isclose(z, w, get_f(tok[5]), get_f(tok[6]), &c); kind = 3; }
      else if (!strcmp(f, "flags")) { printf("%d %d %d\n", kr_cmath_isfinite(z), kr_cmath_isinf(z), kr_cmath_isnan(z)); kind = 5; }
      else if (!strcmp(f, "repr")) { kr_complex_repr(z, test_float_repr, text, sizeof text); kind = 4; }
      else {
        static const struct { const char *name; int (*fn)(kr_complex, kr_complex *); } fns[] = {
          { "sqrt", kr_cmath_sqrt }, { "exp", kr_cmath_exp }, { "log", kr_cmath_log }, { "log10", kr_cmath_log10 },
          { "cos", kr_cmath_cos }, { "sin", kr_cmath_sin }, { "tan", kr_cmath_tan }, { "acos", kr_cmath_acos },
          { "asin", kr_cmath_asin }, { "atan", kr_cmath_atan }, { "cosh", kr_cmath_cosh }, { "sinh", kr_cmath_sinh },
          { "tanh", kr_cmath_tanh }, { "acosh", kr_cmath_acosh }, { "asinh", kr_cmath_asinh }, { "atanh", kr_cmath_atanh } };
        size_t i = 0;
        while (i < sizeof fns / sizeof fns[0] && strcmp(fns[i].name, f)) i++;
        if (i == sizeof fns / sizeof fns[0]) { printf("unknown command %s\n", op); return 2; }
        rc = fns[i].fn(z, &cr);
      }
      if (!rc) {
        if (kind == 0) put_c(cr);
        else if (kind == 1) put_f(d1);
        else if (kind == 2) { put_f(d1); putchar(' '); put_f(d2); }
        else if (kind == 3) printf("%d", c);
        else if (kind == 4) fputs(text, stdout);
        if (kind != 5) puts("");
      }
    }
    else if (!strncmp(op, "st_", 3)) {   /* statistics: st_<name> LIST [c] ; names ending in i take ints */
      const char *f = op + 3;
      size_t lf = strlen(f);
      int ints = f[lf - 1] == 'i';
      int64_t n = ints ? get_ints(tok[1], ia) : get_floats(tok[1], fa);
      int has_c = nt > 2 && tok[2][0] == 'f';
      double c = has_c ? get_f(tok[2]) : 0;
      kr_int_or_float res = { 0, KR_INT(0), 0 };
      int kind = 1;   /* 1: float in r, 2: res */
      if (!strcmp(f, "mean")) rc = kr_stats_mean_f64(fa, n, &r);
      else if (!strcmp(f, "meani")) { rc = kr_stats_mean_int(ia, n, &res); kind = 2; }
      else if (!strcmp(f, "fmean")) rc = kr_stats_fmean_f64(fa, n, &r);
      else if (!strcmp(f, "fmeanw")) { int64_t m = get_floats(tok[2], fb); rc = kr_stats_fmean_weighted_f64(fa, n, fb, m, &r); }
      else if (!strcmp(f, "median")) rc = kr_stats_median_sorted_f64(fa, n, &r);
      else if (!strcmp(f, "mediani")) { rc = kr_stats_median_sorted_int(ia, n, &res); kind = 2; }
      else if (!strcmp(f, "variance")) rc = kr_stats_variance_f64(fa, n, has_c, c, &r);
      else if (!strcmp(f, "pvariance")) rc = kr_stats_pvariance_f64(fa, n, has_c, c, &r);
      else if (!strcmp(f, "stdev")) rc = kr_stats_stdev_f64(fa, n, has_c, c, &r);
      else if (!strcmp(f, "pstdev")) rc = kr_stats_pstdev_f64(fa, n, has_c, c, &r);
      else if (!strcmp(f, "variancei") || !strcmp(f, "pvariancei") || !strcmp(f, "stdevi") || !strcmp(f, "pstdevi")) {
        rc = kr_stats_var_int(ia, n, f[0] == 'v' ? 0 : f[0] == 's' ? 2 : f[1] == 'v' ? 1 : 3, &res);
        kind = 2;
      }
      else { printf("unknown command %s\n", op); return 2; }
      if (!rc) {
        if (kind == 1) put_f(r);
        else if (res.is_float) put_f(res.f);
        else { put_int(res.i); kr_int_decref(res.i); }
        puts("");
      }
      if (ints) for (int64_t i = 0; i < n; i++) kr_int_decref(ia[i]);
    }
    else if (!strcmp(op, "logint")) { if ((rc = kr_math_log_int(a, atoi(tok[2]), &r)) == 0) { put_f(r); puts(""); } }
    else { printf("unknown command %s\n", op); return 2; }
    if (rc) { printf("ERR %s %s\n", kr_error_names[kr_err.kind], kr_err.message); kr_reset(); }
    kr_int_decref(a); kr_int_decref(b); kr_int_decref(ri);
  }
  kr_gc_release();
  return 0;
}
