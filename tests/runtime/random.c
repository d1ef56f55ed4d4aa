/*
 * Differential driver for resources/c/kiln_random.h: one command per stdin line, one line of results each
 * (values separated by spaces, then "ERR <Kind> <message>" if the call raised); tests/runtime/random_cases.py
 * prints what CPython's random module and NumPy's default_rng give for the same lines, and
 * tests/runtime/random.test.ts compares them (natively, under valgrind, on wasm32, under QEMU).
 * Ints are hex ("-0x1f"), floats "f" + IEEE bits in hex, lists comma-separated, "none" for None.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "kiln_random.h"

static char line[1 << 20];
static kr_random py;    /* the random.Random instance of the last `seed` */
static kr_np_rng np;    /* the Generator of the last `npseed` */

static void put_int(kr_int v) {
  char *s;
  int64_t n;
  if (kr_int_hex(v, &s, &n)) { printf("?"); kr_reset(); return; }
  fputs(s, stdout);
  free(s);
}
static void put_i64(int64_t v) { kr_int k; if (kr_int_from_i64(v, &k)) { printf("?"); kr_reset(); return; } put_int(k); kr_int_decref(k); }
static void put_f(double d) { uint64_t b; memcpy(&b, &d, 8); printf("f%016llx", (unsigned long long)b); }
static double get_f(const char *t) { uint64_t b = strtoull(t + 1, NULL, 16); double d; memcpy(&d, &b, 8); return d; }
static kr_int get_int(const char *t) {
  kr_int v;
  if (kr_int_from_str(t, (int64_t)strlen(t), 16, &v)) { fprintf(stderr, "bad int %s\n", t); exit(2); }
  return v;
}
static int64_t get_i64(const char *t) { kr_int v = get_int(t); int64_t x; if (!kr_int_as_i64(v, &x)) { fprintf(stderr, "int64 expected: %s\n", t); exit(2); } kr_int_decref(v); return x; }
static int64_t split(char *t, char **items) {   /* comma-separated, "-" for empty */
  int64_t n = 0;
  if (!strcmp(t, "-")) return 0;
  for (char *p = t;;) {
    items[n++] = p;
    while (*p && *p != ',') p++;
    if (!*p) break;
    *p++ = 0;
  }
  return n;
}
static int col;   /* values printed on this line */
static void sep(void) { if (col++) putchar(' '); }

static char *items[1 << 16];
static double fv[1 << 16];
static int64_t iv[1 << 17];

int main(void) {
  while (fgets(line, sizeof line, stdin)) {
    line[strcspn(line, "\n")] = 0;
    char *tok[8];
    int nt = 0;
    for (char *p = line; *p && nt < 8;) {
      tok[nt++] = p;
      while (*p && *p != ' ') p++;
      if (*p) *p++ = 0;
    }
    if (!nt) continue;
    const char *op = tok[0];
    int rc = 0;
    col = 0;
    int64_t count = nt > 1 ? atoll(tok[nt - 1]) : 0;   /* most commands end with how many values to draw */
    double d;
#define LOOP(body) for (int64_t i = 0; i < count && rc == 0; i++) { body }
    if (!strcmp(op, "seed")) { kr_int s = get_int(tok[1]); rc = kr_random_seed(&py, s); kr_int_decref(s); puts("ok"); }
    else if (!strcmp(op, "seedf")) { kr_random_seed_f64(&py, get_f(tok[1])); puts("ok"); }
    else if (!strcmp(op, "random")) { LOOP(sep(); put_f(kr_random_random(&py));) puts(""); }
    else if (!strcmp(op, "getrandbits")) {
      int64_t k = atoll(tok[1]);
      LOOP(kr_int v; if ((rc = kr_random_getrandbits(&py, k, &v)) == 0) { sep(); put_int(v); kr_int_decref(v); })
      if (!rc) puts("");
    }
    else if (!strcmp(op, "randrange") || !strcmp(op, "randint") || !strcmp(op, "randrange1")) {
      int one = !strcmp(op, "randrange1"), randint = !strcmp(op, "randint");
      kr_int a = get_int(tok[1]), b = one ? KR_INT(0) : get_int(tok[2]), st = !strcmp(op, "randrange") ? get_int(tok[3]) : KR_INT(1);
      LOOP(kr_int v;
        rc = one ? kr_random_randrange1(&py, a, &v) : randint ? kr_random_randint(&py, a, b, &v) : kr_random_randrange(&py, a, b, st, &v);
        if (!rc) { sep(); put_int(v); kr_int_decref(v); })
      kr_int_decref(a); kr_int_decref(b); kr_int_decref(st);
      if (!rc) puts("");
    }
    else if (!strcmp(op, "randint64")) {   /* the int64 fast path */
      int64_t a = get_i64(tok[1]), b = get_i64(tok[2]);
      LOOP(int64_t v; if ((rc = kr_random_randint_i64(&py, a, b, &v)) == 0) { sep(); put_i64(v); })
      if (!rc) puts("");
    }
    else if (!strcmp(op, "choice")) {
      int64_t n = atoll(tok[1]);
      LOOP(int64_t v; if ((rc = kr_random_choice_index(&py, n, &v)) == 0) { sep(); put_i64(v); })
      if (!rc) puts("");
    }
    else if (!strcmp(op, "shuffle")) {
      int64_t n = atoll(tok[1]);
      for (int64_t i = 0; i < n; i++) iv[i] = i;
      kr_random_shuffle(&py, iv, n, sizeof(int64_t));
      for (int64_t i = 0; i < n; i++) { sep(); put_i64(iv[i]); }
      puts("");
    }
    else if (!strcmp(op, "sample")) {
      int64_t n = atoll(tok[1]), k = atoll(tok[2]);
      if ((rc = kr_random_sample(&py, n, k, iv)) == 0) { for (int64_t i = 0; i < k; i++) { sep(); put_i64(iv[i]); } puts(""); }
    }
    else if (!strcmp(op, "samplecounts")) {
      int64_t n = split(tok[1], items), k = atoll(tok[2]);
      static int64_t counts[1 << 12];
      for (int64_t i = 0; i < n; i++) counts[i] = get_i64(items[i]);
      if ((rc = kr_random_sample_counts(&py, counts, n, n, k, iv)) == 0) { for (int64_t i = 0; i < k; i++) { sep(); put_i64(iv[i]); } puts(""); }
    }
    else if (!strcmp(op, "choices")) {
      int64_t n = atoll(tok[1]);
      LOOP(sep(); put_i64(kr_random_choices_draw(&py, n));)
      puts("");
    }
    else if (!strcmp(op, "choicesw") || !strcmp(op, "choicesc")) {   /* float weights / cum_weights */
      int64_t n = split(tok[1], items);
      double acc = 0, total;
      for (int64_t i = 0; i < n; i++) { double w = get_f(items[i]); fv[i] = op[7] == 'w' ? (acc = i ? acc + w : w) : w; }
      if ((rc = kr_random_choices_total(fv, n, n, &total)) == 0) { LOOP(sep(); put_i64(kr_random_choices_draw_cum(&py, fv, n, total));) puts(""); }
    }
    else if (!strcmp(op, "choicesi")) {   /* int weights */
      int64_t n = split(tok[1], items), acc = 0;
      double total;
      for (int64_t i = 0; i < n; i++) { acc += get_i64(items[i]); iv[i] = acc; }
      if ((rc = kr_random_choices_total_i64(iv, n, n, &total)) == 0) { LOOP(sep(); put_i64(kr_random_choices_draw_cum_i64(&py, iv, n, total));) puts(""); }
    }
    else if (!strcmp(op, "randbytes")) {
      static uint8_t buf[1 << 12];
      int64_t n = atoll(tok[1]);
      if ((rc = kr_random_randbytes(&py, n, buf)) == 0) { for (int64_t i = 0; i < n; i++) printf("%02x", buf[i]); puts(n ? "" : "-"); }
    }
    else if (!strcmp(op, "uniform")) { double a = get_f(tok[1]), b = get_f(tok[2]); LOOP(sep(); put_f(kr_random_uniform(&py, a, b));) puts(""); }
    else if (!strcmp(op, "triangular")) {
      double lo = get_f(tok[1]), hi = get_f(tok[2]);
      int has_mode = strcmp(tok[3], "none") != 0;
      double mode = has_mode ? get_f(tok[3]) : 0;
      LOOP(sep(); put_f(kr_random_triangular(&py, lo, hi, has_mode, mode));)
      puts("");
    }
    else if (!strcmp(op, "normalvariate") || !strcmp(op, "gauss")) {
      double mu = get_f(tok[1]), sigma = get_f(tok[2]);
      LOOP(sep(); put_f(op[0] == 'g' ? kr_random_gauss(&py, mu, sigma) : kr_random_normalvariate(&py, mu, sigma));)
      puts("");
    }
    else if (!strcmp(op, "lognormvariate") || !strcmp(op, "gammavariate") || !strcmp(op, "betavariate") ||
             !strcmp(op, "weibullvariate") || !strcmp(op, "vonmisesvariate")) {
      double a = get_f(tok[1]), b = get_f(tok[2]);
      LOOP(
        rc = op[0] == 'l' ? kr_random_lognormvariate(&py, a, b, &d) : op[0] == 'g' ? kr_random_gammavariate(&py, a, b, &d)
           : op[0] == 'b' ? kr_random_betavariate(&py, a, b, &d) : op[0] == 'w' ? kr_random_weibullvariate(&py, a, b, &d)
           : kr_random_vonmisesvariate(&py, a, b, &d);
        if (!rc) { sep(); put_f(d); })
      if (!rc) puts("");
    }
    else if (!strcmp(op, "expovariate") || !strcmp(op, "paretovariate")) {
      double a = get_f(tok[1]);
      LOOP(rc = op[0] == 'e' ? kr_random_expovariate(&py, a, &d) : kr_random_paretovariate(&py, a, &d); if (!rc) { sep(); put_f(d); })
      if (!rc) puts("");
    }
    /* ---- NumPy ---- */
    else if (!strcmp(op, "npseed")) { kr_int s = get_int(tok[1]); if ((rc = kr_np_default_rng(&np, s)) == 0) puts("ok"); kr_int_decref(s); }
    else if (!strcmp(op, "nprandom")) { LOOP(sep(); put_f(kr_np_random(&np));) puts(""); }
    else if (!strcmp(op, "npintegers")) {
      kr_int lo = get_int(tok[1]), hi = get_int(tok[2]);
      int endpoint = atoi(tok[3]);
      LOOP(int64_t v; if ((rc = kr_np_integers(&np, lo, hi, endpoint, &v)) == 0) { sep(); put_i64(v); })
      kr_int_decref(lo); kr_int_decref(hi);
      if (!rc) puts("");
    }
    else if (!strcmp(op, "npstdnormal")) { LOOP(sep(); put_f(kr_np_standard_normal(&np));) puts(""); }
    else if (!strcmp(op, "npnormal") || !strcmp(op, "npuniform")) {
      double a = get_f(tok[1]), b = get_f(tok[2]);
      LOOP(rc = op[2] == 'n' ? kr_np_normal(&np, a, b, &d) : kr_np_uniform(&np, a, b, &d); if (!rc) { sep(); put_f(d); })
      if (!rc) puts("");
    }
    else if (!strcmp(op, "npchoice")) {
      int64_t pop = atoll(tok[1]);
      LOOP(int64_t v; if ((rc = kr_np_choice_index(&np, pop, 1, &v)) == 0) { sep(); put_i64(v); })
      if (!rc) puts("");
    }
    else if (!strcmp(op, "npchoicep")) {
      int64_t n = split(tok[1], items);
      for (int64_t i = 0; i < n; i++) fv[i] = get_f(items[i]);
      static double cdf[1 << 16];
      if ((rc = kr_np_choice_cdf(fv, n, n, cdf)) == 0) { LOOP(sep(); put_i64(kr_np_choice_draw_cdf(&np, cdf, n));) puts(""); }
    }
    else if (!strcmp(op, "npchoicenr")) {
      int64_t pop = atoll(tok[1]), size = atoll(tok[2]);
      if ((rc = kr_np_choice_noreplace(&np, pop, size, atoi(tok[3]), iv)) == 0) { for (int64_t i = 0; i < size; i++) { sep(); put_i64(iv[i]); } puts(""); }
    }
    else if (!strcmp(op, "npchoicenrp")) {
      int64_t n = split(tok[1], items), size = atoll(tok[2]);
      for (int64_t i = 0; i < n; i++) fv[i] = get_f(items[i]);
      if ((rc = kr_np_choice_noreplace_p(&np, fv, n, n, size, iv)) == 0) { for (int64_t i = 0; i < size; i++) { sep(); put_i64(iv[i]); } puts(""); }
    }
    else if (!strcmp(op, "npshuffle")) {
      int64_t n = atoll(tok[1]);
      for (int64_t i = 0; i < n; i++) iv[i] = i;
      kr_np_shuffle(&np, iv, n, sizeof(int64_t));
      for (int64_t i = 0; i < n; i++) { sep(); put_i64(iv[i]); }
      puts("");
    }
    else if (!strcmp(op, "nppermutation")) {
      int64_t n = atoll(tok[1]);
      if ((rc = kr_np_permutation(&np, n, iv)) == 0) { for (int64_t i = 0; i < n; i++) { sep(); put_i64(iv[i]); } puts(""); }
    }
    else { printf("unknown command %s\n", op); return 2; }
    if (rc) { printf("%sERR %s %s\n", col ? " " : "", kr_error_names[kr_err.kind], kr_err.message); kr_reset(); }
  }
  kr_gc_release();
  return 0;
}
