/*
 * Differential driver for resources/c/kiln_bigint.h: reads one command per line on stdin, prints one result
 * line per command; tests/runtime/bigint_cases.py prints what CPython gives for the same lines and
 * tests/runtime/bigint.test.ts compares them line by line (natively, under valgrind, on wasm32, under QEMU).
 *
 * Ints are written in hex ("-0x1f"), floats as their IEEE bits in hex, text and bytes as hex of their bytes,
 * so that neither side's decimal conversion is trusted to read the other's input. Errors print
 * "ERR <Kind> <message>". Every result is released (valgrind checks that nothing leaks).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "kiln_bigint.h"

static char line[1 << 20];

static void print_int(kr_int v) {
  char *s;
  int64_t n;
  if (kr_int_hex(v, &s, &n)) { printf("ERR %s %s\n", kr_error_names[kr_err.kind], kr_err.message); kr_reset(); return; }
  fputs(s, stdout);
  free(s);
}
static void print_f64(double d) {
  uint64_t b;
  memcpy(&b, &d, 8);
  printf("f%016llx", (unsigned long long)b);
}
static int err(void) {
  printf("ERR %s %s\n", kr_error_names[kr_err.kind], kr_err.message);
  kr_reset();
  return 0;
}
static int parse_int(const char *tok, kr_int *out) {
  if (kr_int_from_str(tok, (int64_t)strlen(tok), 16, out)) {
    fprintf(stderr, "bad int token %s: %s\n", tok, kr_err.message);
    exit(2);
  }
  return 0;
}
static double parse_f64(const char *tok) {
  uint64_t b = strtoull(tok + 1, NULL, 16);
  double d;
  memcpy(&d, &b, 8);
  return d;
}
static int64_t unhex(const char *tok, uint8_t *out) {
  int64_t n = 0;
  for (const char *p = tok + 1; p[0] && p[1]; p += 2) {
    unsigned v;
    sscanf(p, "%2x", &v);
    out[n++] = (uint8_t)v;
  }
  return n;
}

int main(void) {
  static uint8_t bytes[1 << 19];
  while (fgets(line, sizeof line, stdin)) {
    line[strcspn(line, "\n")] = 0;
    char *tok[8];
    int nt = 0;
    for (char *p = strtok(line, " "); p && nt < 8; p = strtok(NULL, " ")) tok[nt++] = p;
    if (nt == 0) continue;
    const char *op = tok[0];
    /* ints are "0x.." / "-0x..", floats "f" + bits, text and bytes "h" + hex ("h" alone: empty), others decimal */
    kr_int iv[4] = { KR_INT(0), KR_INT(0), KR_INT(0), KR_INT(0) };
    int ni = 0;
    for (int k = 1; k < nt && ni < 4; k++)
      if (!strncmp(tok[k], "0x", 2) || !strncmp(tok[k], "-0x", 3)) parse_int(tok[k], &iv[ni++]);
    kr_int a = iv[0], b = iv[1], c = iv[2], r = KR_INT(0), r2 = KR_INT(0);
    int rc = 0;
    double d;
    int64_t i64;
    if (!strcmp(op, "add")) { if ((rc = kr_int_add(a, b, &r)) == 0) { print_int(r); puts(""); } }
    else if (!strcmp(op, "sub")) { if ((rc = kr_int_sub(a, b, &r)) == 0) { print_int(r); puts(""); } }
    else if (!strcmp(op, "mul")) { if ((rc = kr_int_mul(a, b, &r)) == 0) { print_int(r); puts(""); } }
    else if (!strcmp(op, "floordiv")) { if ((rc = kr_int_floordiv(a, b, &r)) == 0) { print_int(r); puts(""); } }
    else if (!strcmp(op, "mod")) { if ((rc = kr_int_mod(a, b, &r)) == 0) { print_int(r); puts(""); } }
    else if (!strcmp(op, "divmod")) { if ((rc = kr_int_divmod(a, b, &r, &r2)) == 0) { print_int(r); putchar(' '); print_int(r2); puts(""); } }
    else if (!strcmp(op, "truediv")) { if ((rc = kr_int_truediv(a, b, &d)) == 0) { print_f64(d); puts(""); } }
    else if (!strcmp(op, "pow")) {
      if (kr_int_sign(b) < 0) { if ((rc = kr_int_pow_float(a, b, &d)) == 0) { print_f64(d); puts(""); } }
      else if ((rc = kr_int_pow(a, b, &r)) == 0) { print_int(r); puts(""); }
    }
    else if (!strcmp(op, "powmod")) { if ((rc = kr_int_powmod(a, b, c, &r)) == 0) { print_int(r); puts(""); } }
    else if (!strcmp(op, "neg")) { if ((rc = kr_int_neg(a, &r)) == 0) { print_int(r); puts(""); } }
    else if (!strcmp(op, "abs")) { if ((rc = kr_int_abs(a, &r)) == 0) { print_int(r); puts(""); } }
    else if (!strcmp(op, "invert")) { if ((rc = kr_int_invert(a, &r)) == 0) { print_int(r); puts(""); } }
    else if (!strcmp(op, "lshift")) { if ((rc = kr_int_lshift(a, b, &r)) == 0) { print_int(r); puts(""); } }
    else if (!strcmp(op, "rshift")) { if ((rc = kr_int_rshift(a, b, &r)) == 0) { print_int(r); puts(""); } }
    else if (!strcmp(op, "and")) { if ((rc = kr_int_and(a, b, &r)) == 0) { print_int(r); puts(""); } }
    else if (!strcmp(op, "or")) { if ((rc = kr_int_or(a, b, &r)) == 0) { print_int(r); puts(""); } }
    else if (!strcmp(op, "xor")) { if ((rc = kr_int_xor(a, b, &r)) == 0) { print_int(r); puts(""); } }
    else if (!strcmp(op, "cmp")) printf("%d %d %d\n", kr_int_cmp(a, b), kr_int_eq(a, b), kr_int_lt(a, b));
    else if (!strcmp(op, "cmpf")) printf("%d\n", kr_int_cmp_f64(a, parse_f64(tok[2])));
    else if (!strcmp(op, "hash")) printf("%lld\n", (long long)kr_int_hash(a));
    else if (!strcmp(op, "bitlen")) printf("%lld %lld\n", (long long)kr_int_bit_length(a), (long long)kr_int_bit_count(a));
    else if (!strcmp(op, "tofloat")) { if ((rc = kr_int_to_f64(a, &d)) == 0) { print_f64(d); puts(""); } }
    else if (!strcmp(op, "fromfloat") || !strcmp(op, "floor") || !strcmp(op, "ceil") || !strcmp(op, "round")) {
      double x = parse_f64(tok[1]);
      rc = op[0] == 'f' && op[1] == 'r' ? kr_int_from_f64(x, &r) : op[0] == 'f' ? kr_int_floor_f64(x, &r) : op[0] == 'c' ? kr_int_ceil_f64(x, &r) : kr_int_round_f64(x, &r);
      if (rc == 0) { print_int(r); puts(""); }
    }
    else if (!strcmp(op, "str") || !strcmp(op, "oct") || !strcmp(op, "bin") || !strcmp(op, "hex")) {
      char *s;
      int64_t n;
      rc = op[0] == 's' ? kr_int_str(a, &s, &n) : op[0] == 'o' ? kr_int_oct(a, &s, &n) : op[0] == 'b' ? kr_int_bin(a, &s, &n) : kr_int_hex(a, &s, &n);
      if (rc == 0) { printf("%s %lld\n", s, (long long)n); free(s); }
    }
    else if (!strcmp(op, "parse")) {   /* parse BASE HEXTEXT */
      int64_t n = unhex(tok[2], bytes);
      if ((rc = kr_int_from_str((const char *)bytes, n, atoi(tok[1]), &r)) == 0) { print_int(r); puts(""); }
    }
    else if (!strcmp(op, "tobytes")) {  /* tobytes INT LEN LITTLE SIGNED */
      int64_t n = atoll(tok[2]);
      if ((rc = kr_int_to_bytes(a, n, atoi(tok[3]), atoi(tok[4]), bytes)) == 0) {
        putchar('h');
        for (int64_t i = 0; i < n; i++) printf("%02x", bytes[i]);
        puts("");
      }
    }
    else if (!strcmp(op, "frombytes")) {  /* frombytes HEX LITTLE SIGNED */
      int64_t n = unhex(tok[1], bytes);
      if ((rc = kr_int_from_bytes(bytes, n, atoi(tok[2]), atoi(tok[3]), &r)) == 0) { print_int(r); puts(""); }
    }
    /* the big-int twins' operations (lower/c_bigint.ts): ** and << within Kiln's bound, the str of an int and lists of ints */
    else if (!strcmp(op, "powb")) { if ((rc = kr_int_pow_bounded(a, b, &r)) == 0) { print_int(r); puts(""); } }
    else if (!strcmp(op, "lshb")) { if ((rc = kr_int_lshift_bounded(a, b, &r)) == 0) { print_int(r); puts(""); } }
    else if (!strcmp(op, "tslice") || !strcmp(op, "tindex")) {   /* tslice HEXTEXT START STOP STEP ("n": omitted); tindex HEXTEXT I */
      kr_itext t = { NULL, 0 }, u = { NULL, 0 };
      int64_t n = unhex(tok[1], bytes);
      kr_int bound[3] = { KR_INT(0), KR_INT(0), KR_INT(0) };
      int has[3] = { 0, 0, 0 };
      for (int k = 0; k < 3 && 2 + k < nt; k++) if (strcmp(tok[2 + k], "n")) { parse_int(tok[2 + k], &bound[k]); has[k] = 1; }
      rc = kr_itext_set(&t, (const char *)bytes, n);
      if (!rc && op[1] == 's') {
        if ((rc = kr_itext_slice(&u, &t, has[0], bound[0], has[1], bound[1], has[2], bound[2])) == 0) {
          putchar('h');
          for (int64_t i = 0; i < u.n; i++) printf("%02x", (unsigned char)u.p[i]);
          puts("");
        }
      } else if (!rc) {
        int64_t at;
        if ((rc = kr_itext_index(&t, bound[0], &at)) == 0) printf("h%02x\n", (unsigned char)t.p[at]);
      }
      kr_itext_free(&t); kr_itext_free(&u);
      for (int k = 0; k < 3; k++) kr_int_decref(bound[k]);
    }
    else if (!strcmp(op, "itext")) {   /* itext INT: str() into a twin's text, its int() back, and their equality */
      kr_itext t = { NULL, 0 };
      if ((rc = kr_itext_from_int(&t, a)) == 0 && (rc = kr_int_from_str(t.p, t.n, 10, &r)) == 0) {
        printf("%s %d ", t.p, kr_itext_eq(t.p, t.n, "0", 1));
        print_int(r);
        puts("");
      }
      kr_itext_free(&t);
    }
    else if (!strcmp(op, "ints")) {   /* ints I V...: a list of the Vs shared by two names, its sum and item I */
      kr_ints *l = NULL, *alias = NULL;
      kr_int sum = KR_INT(0), item = KR_INT(0);
      if ((rc = kr_ints_new(&l)) == 0) {
        kr_ints_assign(&alias, l);
        for (int k = 1; k < ni && !rc; k++) rc = kr_ints_append(alias, iv[k]);
        if (!rc && (rc = kr_ints_sum(l, &sum)) == 0 && (rc = kr_ints_get(l, a, &item)) == 0) {
          print_int(sum); putchar(' '); print_int(item); printf(" %lld\n", (long long)l->n);
        }
      }
      kr_int_decref(sum);
      kr_ints_decref(l); kr_ints_decref(alias);
    }
    else if (!strcmp(op, "i64")) { if (kr_int_as_i64(a, &i64)) printf("%lld\n", (long long)i64); else puts("none"); }
    else { printf("unknown command %s\n", op); return 2; }
    if (rc) err();
    for (int k = 0; k < 4; k++) kr_int_decref(iv[k]);
    kr_int_decref(r); kr_int_decref(r2);
  }
  kr_gc_release();
  return 0;
}
