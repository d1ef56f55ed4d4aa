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
static void put_f(double d) {
  uint64_t b;
  memcpy(&b, &d, 8);
  printf("f%016llx", (unsigned long long)b);
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
    else if (!strcmp(op, "hypot2")) { put_f(kr_math_hypot2(x, y)); puts(""); }
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
    else if (!strcmp(op, "logint")) { if ((rc = kr_math_log_int(a, atoi(tok[2]), &r)) == 0) { put_f(r); puts(""); } }
    else { printf("unknown command %s\n", op); return 2; }
    if (rc) { printf("ERR %s %s\n", kr_error_names[kr_err.kind], kr_err.message); kr_reset(); }
    kr_int_decref(a); kr_int_decref(b); kr_int_decref(ri);
  }
  kr_gc_release();
  return 0;
}
