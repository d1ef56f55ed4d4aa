/*
 * The str runtime (resources/c/kiln_str.h) driven one operation per line, for tests/runtime/str.test.ts, which
 * sends the same lines to CPython (tests/runtime/str_cases.py ref) and compares every output line.
 *
 * Protocol: a line is an operation name and its arguments, separated by single spaces; the answer is one line.
 *   'text     a str: code points 0x21..0x7E other than \ ' , stand for themselves, any other is \<hex>;
 *   123, -5   an int (int64)
 *   ~         None
 *   T, F      a bool
 *   d<hex>    a float, as the 16 hex digits of its bits
 *   b<hex>    bytes
 *   L'a'b     a list (or tuple) of str: L then each item; L alone is empty
 *   I1,2      a list of ints (results only)
 *   K'name    (format arguments) the next token is the value of keyword argument `name`
 * An exception is answered as  !TypeName 'message  (the message encoded as a str).
 * After the last line the driver releases everything and checks that no object is left alive.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <inttypes.h>
#include "kiln_str.h"

/* ---- literals, as the compiler emits them (the same strings as LITERALS in str_cases.py) ---- */
KR_STR_LITERAL_ASCII(lit0, 5, "hello");
KR_STR_LITERAL(lit1, 1, 4, "caf\xc3\xa9", 5, "caf\xe9");
KR_STR_LITERAL(lit2, 2, 2, "\xe4\xb8\xad\xe6\x96\x87", 6, 0x4e2d, 0x6587);
KR_STR_LITERAL(lit3, 4, 3, "a\360\237\230\200b", 6, 0x61, 0x1f600, 0x62); /* octal: a hex escape would swallow the b */
KR_STR_LITERAL(lit4, 2, 2, NULL, 0, 0xd800, 0x61);
KR_STR_LITERAL_ASCII(lit5, 0, "");
KR_STR_LITERAL(lit6, 1, 3, "\x00\xc3\xbf\n", 4, "\x00\xff\n");
static kr_str *const literals[] = { KR_STR(lit0), KR_STR(lit1), KR_STR(lit2), KR_STR(lit3), KR_STR(lit4), KR_STR(lit5), KR_STR(lit6) };

/* ---- output ---- */
static char *out_buf;
static size_t out_len, out_cap;
static void out_bytes(const char *p, size_t n) {
  if (out_len + n > out_cap) {
    size_t cap = out_cap ? out_cap : 1 << 16;
    while (cap < out_len + n) cap *= 2;
    out_buf = (char *)realloc(out_buf, cap);
    if (!out_buf) abort();
    out_cap = cap;
  }
  memcpy(out_buf + out_len, p, n);
  out_len += n;
}
static void out_c(char c) { out_bytes(&c, 1); }
static void out_s(const char *s) { out_bytes(s, strlen(s)); }
static void out_flush(void) {
  fwrite(out_buf, 1, out_len, stdout);
  out_len = 0;
}
static void out_hex(uint64_t v) {
  char b[20];
  int n = 0;
  do { b[n++] = "0123456789abcdef"[v & 15]; v >>= 4; } while (v);
  while (n) out_c(b[--n]);
}
static void out_i64(int64_t v) {
  char b[24];
  snprintf(b, sizeof b, "%" PRId64, v);
  out_s(b);
}
static void out_cp(uint32_t c) {
  if (c >= 0x21 && c <= 0x7E && c != '\\' && c != '\'' && c != ',') out_c((char)c);
  else { out_c('\\'); out_hex(c); out_c(';'); }
}
static void out_str(const kr_str *s) {
  out_c('\'');
  for (int64_t i = 0; i < s->length; i++) out_cp(kr_str_at(s, i));
}
static void out_cstr_utf8(const char *m) { /* an error message: UTF-8 (a lone surrogate as its 3 bytes) */
  const uint8_t *p = (const uint8_t *)m;
  out_c('\'');
  while (*p) {
    uint32_t c = *p++;
    if (c >= 0xF0) { c = (c & 7) << 18; c |= (uint32_t)(*p++ & 63) << 12; c |= (uint32_t)(*p++ & 63) << 6; c |= *p++ & 63; }
    else if (c >= 0xE0) { c = (c & 15) << 12; c |= (uint32_t)(*p++ & 63) << 6; c |= *p++ & 63; }
    else if (c >= 0xC0) { c = (c & 31) << 6; c |= *p++ & 63; }
    out_cp(c);
  }
}
static void out_bytes_obj(const kr_bytes *b) {
  out_c('b');
  for (int64_t i = 0; i < b->length; i++) { uint8_t x = KR_BYTES_DATA(b)[i]; out_c("0123456789abcdef"[x >> 4]); out_c("0123456789abcdef"[x & 15]); }
}
static void out_f64(double d) {
  uint64_t u;
  memcpy(&u, &d, 8);
  char b[20];
  snprintf(b, sizeof b, "d%016" PRIx64, u);
  out_s(b);
}
static void out_error(void) {
  out_c('!');
  out_s(kr_str_error_name(kr_err.kind));
  out_c(' ');
  out_cstr_utf8(kr_err.message);
  kr_err.kind = KILN_OK;
}

/* ---- arguments ---- */
#define MAXARGS 64
typedef struct { char tag; int64_t i; double d; kr_str *s; kr_bytes *b; kr_strvec list; } arg;
static arg args[MAXARGS];
static int nargs;
static int bad_line;

static int hexval(char c) { return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1; }
/* Decodes an encoded str from p (after its quote) up to a space, a quote or the end. */
static uint32_t *cps;
static size_t cps_cap;
static kr_str *parse_str(const char **pp) {
  const char *p = *pp;
  size_t n = 0;
  while (*p && *p != ' ' && *p != '\'') {
    uint32_t c;
    if (*p == '\\') {
      p++;
      c = 0;
      while (*p && *p != ';') c = c * 16 + (uint32_t)hexval(*p++);
      if (*p == ';') p++;
    } else c = (uint8_t)*p++;
    if (n == cps_cap) { cps_cap = cps_cap ? cps_cap * 2 : 256; cps = (uint32_t *)realloc(cps, cps_cap * sizeof *cps); if (!cps) abort(); }
    cps[n++] = c;
  }
  *pp = p;
  if (n == 0) return kr_str_empty;
  if (!cps) return kr_str_empty;
  return kr_str_from_ucs4(cps, (int64_t)n);
}
static void parse_args(char *line) {
  nargs = 0;
  char *p = line;
  while (*p) {
    while (*p == ' ') p++;
    if (!*p) break;
    if (nargs == MAXARGS) { bad_line = 1; return; }
    arg *a = &args[nargs++];
    memset(a, 0, sizeof *a);
    a->tag = *p;
    const char *q = p;
    switch (*p) {
    case '\'': q++; a->s = parse_str(&q); break;
    case 'L': q++; while (*q == '\'') { q++; kr_strvec_push(&a->list, parse_str(&q)); } break;
    case 'K': q += 2; a->s = parse_str(&q); break;
    case '~': case 'M': q++; break;
    case 'T': case 'F': a->i = *p == 'T'; q++; break;
    case 'd': { uint64_t u = 0; q++; while (hexval(*q) >= 0) u = u * 16 + (uint64_t)hexval(*q++); memcpy(&a->d, &u, 8); break; }
    case 'b': {
      q++;
      const char *e = q;
      while (hexval(*e) >= 0) e++;
      int64_t n = (e - q) / 2;
      uint8_t *tmp = (uint8_t *)malloc((size_t)n + 1);
      for (int64_t k = 0; k < n; k++) tmp[k] = (uint8_t)(hexval(q[2 * k]) * 16 + hexval(q[2 * k + 1]));
      a->b = kr_bytes_from(tmp, n);
      free(tmp);
      q = e;
      break;
    }
    default: {
      char *end;
      a->tag = 'i';
      a->i = strtoll(p, &end, 10);
      q = end;
      break;
    }
    }
    p = (char *)q;
    while (*p && *p != ' ') { bad_line = 1; p++; }
  }
}
static void free_args(void) {
  for (int k = 0; k < nargs; k++) {
    kr_decref(args[k].s);
    kr_decref(args[k].b);
    kr_strvec_clear(&args[k].list);
  }
  nargs = 0;
}
/* An optional int argument: ~ gives `none`. */
static int64_t opt_i(int k, int64_t none) { return args[k].tag == '~' ? none : args[k].i; }
static kr_slice slice_arg(int k) {
  kr_slice sl;
  sl.step = opt_i(k + 2, 1);
  sl.has_start = args[k].tag != '~';
  sl.has_stop = args[k + 1].tag != '~';
  sl.start = args[k].i;
  sl.stop = args[k + 1].i;
  return sl;
}

/* ---- results ---- */
static void res_str(kr_str *s) { if (!s) out_error(); else { out_str(s); kr_decref(s); } }
static void res_bytes(kr_bytes *b) { if (!b) out_error(); else { out_bytes_obj(b); kr_decref(b); } }
static void res_bool(int v) { out_c(v ? 'T' : 'F'); }
static void res_int(int rc, int64_t v) { if (rc) out_error(); else out_i64(v); }
static void res_list(int rc, kr_strvec *v) {
  if (rc) out_error();
  else { out_c('L'); for (int64_t i = 0; i < v->len; i++) out_str(v->items[i]); }
  kr_strvec_clear(v);
}
static void res_three(int rc, kr_str *parts[3]) {
  if (rc) { out_error(); return; }
  out_c('L');
  for (int k = 0; k < 3; k++) { out_str(parts[k]); kr_decref(parts[k]); }
}

/* s rebuilt as a different object (sliced and concatenated, or decoded from its UTF-8): equal, so same hash. */
static void op_hashcheck(kr_str *s) {
  int64_t k = s->length / 2;
  kr_str *a = kr_str_substr(s, 0, k), *b = kr_str_substr(s, k, s->length);
  kr_str *t = kr_str_concat(a, b);
  int ok = kr_str_eq(s, t) && kr_str_hash(s) == kr_str_hash(t) && kr_str_hash(t) != -1;
  kr_bytes *u = kr_str_encode_utf8(s);
  if (u) {
    kr_str *v = kr_bytes_decode_utf8(u);
    ok = ok && v && kr_str_eq(s, v) && kr_str_hash(v) == kr_str_hash(s) && kr_str_cmp(s, v) == 0;
    kr_decref(v);
    kr_decref(u);
  } else kr_err.kind = KILN_OK;
  kr_decref(a);
  kr_decref(b);
  kr_decref(t);
  res_bool(ok);
}
/* a += b, n times, on a fresh string that only the variable holds (the in-place path), then once more on a
 * shared one (the copying path). */
static void op_iadd(kr_str *a, kr_str *b, int64_t n) {
  kr_str *v = kr_str_concat(a, kr_str_empty);
  if (v == a) { kr_decref(v); v = kr_str_from_units(a->kind, KR_STR_DATA(a), a->length, UINT32_MAX); }
  if (!v) { out_error(); return; }
  for (int64_t i = 0; i < n; i++) {
    if (kr_str_iadd(&v, b)) { out_error(); kr_decref(v); return; }
  }
  kr_str *shared = v;
  kr_incref(shared);
  if (kr_str_iadd(&v, kr_str_empty)) { out_error(); kr_decref(v); kr_decref(shared); return; }
  kr_decref(shared);
  res_str(v);
}

static int eqs(const char *a, const char *b) { return strcmp(a, b) == 0; }
static kr_val val_arg(int k) {
  switch (args[k].tag) {
  case 'i': return kr_val_int(args[k].i);
  case 'd': return kr_val_float(args[k].d);
  case '\'': return kr_val_str(args[k].s);
  case 'T': case 'F': return kr_val_bool((int)args[k].i);
  default: return kr_val_none();
  }
}
/* Format arguments from token k on: positional values, then K'name value pairs. */
static kr_val pos_vals[MAXARGS], kw_vals[MAXARGS];
static kr_str *kw_names[MAXARGS];
static int npos, nkw;
static void format_args(int k) {
  npos = nkw = 0;
  for (; k < nargs; k++) {
    if (args[k].tag == 'K' && k + 1 < nargs) { kw_names[nkw] = args[k].s; kw_vals[nkw++] = val_arg(k + 1); k++; }
    else pos_vals[npos++] = val_arg(k);
  }
}
#define A(k) (args[k])
#define S(k) (args[k].s)
#define I(k) (args[k].i)

static void run_line(char *line) {
  char *sp = strchr(line, ' ');
  const char *op = line;
  if (sp) { *sp = 0; parse_args(sp + 1); } else nargs = 0;
  if (bad_line) { out_s("?bad line"); bad_line = 0; free_args(); return; }
  int64_t v = 0;
  int rc;
  kr_strvec vec = KR_STRVEC_INIT;
  kr_str *parts[3];
  if (eqs(op, "repr_float")) res_str(kr_repr_f64(A(0).d));
  /* literals: returned without kr_incref, as generated code may */
  else if (eqs(op, "lit")) { kr_str *l = literals[I(0)]; out_str(l); kr_decref(l); }
  else if (eqs(op, "litutf8")) { /* the UTF-8 a literal carries */
    int64_t n; const char *u = kr_str_utf8(literals[I(0)], &n);
    if (!u) out_error(); else res_bytes(kr_bytes_from(u, n));
  }
  else if (eqs(op, "utf8")) { /* kr_str_utf8: computed once for a heap string, then the same buffer */
    int64_t n1 = 0, n2 = 0;
    const char *u1 = kr_str_utf8(S(0), &n1);
    const char *u2 = u1 ? kr_str_utf8(S(0), &n2) : NULL;
    if (!u1) out_error();
    else if (u1 != u2 || n1 != n2) out_s("?not cached");
    else res_bytes(kr_bytes_from(u1, n1));
  }
  else if (eqs(op, "litconcat")) res_str(kr_str_concat(literals[I(0)], S(1)));
  else if (eqs(op, "liteq")) res_bool(kr_str_eq(literals[I(0)], S(1)) && kr_str_hash(literals[I(0)]) == kr_str_hash(S(1)));
  /* core */
  else if (eqs(op, "len")) out_i64(kr_str_len(S(0)));
  else if (eqs(op, "getitem")) res_str(kr_str_getitem(S(0), I(1)));
  else if (eqs(op, "slice")) res_str(kr_str_slice(S(0), slice_arg(1)));
  else if (eqs(op, "iter")) { out_c('L'); for (int64_t i = 0; i < S(0)->length; i++) { kr_str *c = kr_str_from_cp(kr_str_at(S(0), i)); out_str(c); kr_decref(c); } }
  else if (eqs(op, "concat")) res_str(kr_str_concat(S(0), S(1)));
  else if (eqs(op, "iadd")) op_iadd(S(0), S(1), I(2));
  else if (eqs(op, "iaddself")) { /* v += v, n times, v held only by the variable */
    kr_str *v = kr_str_concat(S(0), kr_str_empty);
    if (v == S(0)) { kr_decref(v); v = kr_str_from_units(S(0)->kind, KR_STR_DATA(S(0)), S(0)->length, UINT32_MAX); }
    for (int64_t i = 0; v && i < I(1); i++) if (kr_str_iadd(&v, v)) { kr_decref(v); v = NULL; }
    res_str(v);
  }
  else if (eqs(op, "repeat")) res_str(kr_str_repeat(S(0), I(1)));
  else if (eqs(op, "eq")) res_bool(kr_str_eq(S(0), S(1)));
  else if (eqs(op, "cmp")) out_i64(kr_str_cmp(S(0), S(1)));
  else if (eqs(op, "contains")) res_bool(kr_str_contains(S(0), S(1)));
  else if (eqs(op, "hashcheck")) op_hashcheck(S(0));
  else if (eqs(op, "ord")) { rc = kr_ord(S(0), &v); res_int(rc, v); }
  else if (eqs(op, "chr")) res_str(kr_chr(I(0)));
  /* search */
  else if (eqs(op, "find")) out_i64(kr_str_find(S(0), S(1), opt_i(2, 0), opt_i(3, KR_NONE_END)));
  else if (eqs(op, "rfind")) out_i64(kr_str_rfind(S(0), S(1), opt_i(2, 0), opt_i(3, KR_NONE_END)));
  else if (eqs(op, "index")) { rc = kr_str_index(S(0), S(1), opt_i(2, 0), opt_i(3, KR_NONE_END), &v); res_int(rc, v); }
  else if (eqs(op, "rindex")) { rc = kr_str_rindex(S(0), S(1), opt_i(2, 0), opt_i(3, KR_NONE_END), &v); res_int(rc, v); }
  else if (eqs(op, "count")) out_i64(kr_str_count(S(0), S(1), opt_i(2, 0), opt_i(3, KR_NONE_END)));
  else if (eqs(op, "startswith") || eqs(op, "endswith")) {
    int start = eqs(op, "startswith");
    int64_t a = opt_i(2, 0), b = opt_i(3, KR_NONE_END);
    if (A(1).tag == 'L') res_bool(start ? kr_str_startswith_any(S(0), A(1).list.items, A(1).list.len, a, b) : kr_str_endswith_any(S(0), A(1).list.items, A(1).list.len, a, b));
    else res_bool(start ? kr_str_startswith(S(0), S(1), a, b) : kr_str_endswith(S(0), S(1), a, b));
  }
  /* split and join */
  else if (eqs(op, "split")) { rc = A(1).tag == '~' ? kr_str_split_ws(S(0), I(2), &vec) : kr_str_split(S(0), S(1), I(2), &vec); res_list(rc, &vec); }
  else if (eqs(op, "rsplit")) { rc = A(1).tag == '~' ? kr_str_rsplit_ws(S(0), I(2), &vec) : kr_str_rsplit(S(0), S(1), I(2), &vec); res_list(rc, &vec); }
  else if (eqs(op, "splititer")) { /* for w in s.split() / s.split(sep), through the iterator */
    int64_t pos = 0;
    kr_str *w;
    while ((rc = A(1).tag == '~' ? kr_str_split_ws_next(S(0), &pos, &w, NULL) : kr_str_split_next(S(0), S(1), &pos, &w, NULL)) == 1) kr_strvec_push(&vec, w);
    res_list(rc < 0, &vec);
  }
  else if (eqs(op, "splitlines")) { rc = kr_str_splitlines(S(0), (int)I(1), &vec); res_list(rc, &vec); }
  else if (eqs(op, "join")) res_str(kr_str_join(S(0), A(1).list.items, A(1).list.len));
  else if (eqs(op, "strip")) res_str(kr_str_strip(S(0), A(1).tag == '~' ? NULL : S(1)));
  else if (eqs(op, "lstrip")) res_str(kr_str_lstrip(S(0), A(1).tag == '~' ? NULL : S(1)));
  else if (eqs(op, "rstrip")) res_str(kr_str_rstrip(S(0), A(1).tag == '~' ? NULL : S(1)));
  else if (eqs(op, "replace")) res_str(kr_str_replace(S(0), S(1), S(2), I(3)));
  else if (eqs(op, "partition")) { rc = kr_str_partition(S(0), S(1), parts); res_three(rc, parts); }
  else if (eqs(op, "rpartition")) { rc = kr_str_rpartition(S(0), S(1), parts); res_three(rc, parts); }
  /* case */
  else if (eqs(op, "lower")) res_str(kr_str_lower(S(0)));
  else if (eqs(op, "upper")) res_str(kr_str_upper(S(0)));
  else if (eqs(op, "casefold")) res_str(kr_str_casefold(S(0)));
  else if (eqs(op, "swapcase")) res_str(kr_str_swapcase(S(0)));
  else if (eqs(op, "capitalize")) res_str(kr_str_capitalize(S(0)));
  else if (eqs(op, "title")) res_str(kr_str_title(S(0)));
  else if (eqs(op, "isalpha")) res_bool(kr_str_isalpha(S(0)));
  else if (eqs(op, "isdigit")) res_bool(kr_str_isdigit(S(0)));
  else if (eqs(op, "isdecimal")) res_bool(kr_str_isdecimal(S(0)));
  else if (eqs(op, "isnumeric")) res_bool(kr_str_isnumeric(S(0)));
  else if (eqs(op, "isalnum")) res_bool(kr_str_isalnum(S(0)));
  else if (eqs(op, "isspace")) res_bool(kr_str_isspace(S(0)));
  else if (eqs(op, "isupper")) res_bool(kr_str_isupper(S(0)));
  else if (eqs(op, "islower")) res_bool(kr_str_islower(S(0)));
  else if (eqs(op, "istitle")) res_bool(kr_str_istitle(S(0)));
  else if (eqs(op, "isidentifier")) res_bool(kr_str_isidentifier(S(0)));
  else if (eqs(op, "isprintable")) res_bool(kr_str_isprintable(S(0)));
  else if (eqs(op, "isascii")) res_bool(kr_str_isascii(S(0)));
  /* padding */
  else if (eqs(op, "center") || eqs(op, "ljust") || eqs(op, "rjust")) {
    uint32_t fill = ' ';
    if (nargs > 2 && kr_str_fillchar(S(2), &fill)) out_error();
    else res_str(op[0] == 'c' ? kr_str_center(S(0), I(1), fill) : op[0] == 'l' ? kr_str_ljust(S(0), I(1), fill) : kr_str_rjust(S(0), I(1), fill));
  }
  else if (eqs(op, "zfill")) res_str(kr_str_zfill(S(0), I(1)));
  else if (eqs(op, "expandtabs")) res_str(kr_str_expandtabs(S(0), nargs > 1 ? I(1) : 8));
  else if (eqs(op, "removeprefix")) res_str(kr_str_removeprefix(S(0), S(1)));
  else if (eqs(op, "removesuffix")) res_str(kr_str_removesuffix(S(0), S(1)));
  /* codecs and bytes */
  else if (eqs(op, "encode")) res_bytes(kr_str_encode_utf8(S(0)));
  else if (eqs(op, "decode")) res_str(kr_bytes_decode_utf8(A(0).b));
  else if (eqs(op, "cabi")) { /* the C ABI both ways: const char * + length in, kiln_str out */
    kr_str *s = kr_str_from_utf8((const char *)KR_BYTES_DATA(A(0).b), A(0).b->length);
    char *data = NULL; int64_t n = 0;
    if (!s) out_error();
    else if (kr_str_to_c(s, &data, &n)) { out_error(); kr_decref(s); }
    else { kr_bytes *b = kr_bytes_from(data, n); free(data); res_bytes(b); kr_decref(s); }
  }
  else if (eqs(op, "blen")) out_i64(kr_bytes_len(A(0).b));
  else if (eqs(op, "bgetitem")) { rc = kr_bytes_getitem(A(0).b, I(1), &v); res_int(rc, v); }
  else if (eqs(op, "bslice")) res_bytes(kr_bytes_slice(A(0).b, slice_arg(1)));
  else if (eqs(op, "biter")) { out_c('I'); for (int64_t i = 0; i < A(0).b->length; i++) { if (i) out_c(','); out_i64(kr_bytes_at(A(0).b, i)); } }
  else if (eqs(op, "bconcat")) res_bytes(kr_bytes_concat(A(0).b, A(1).b));
  else if (eqs(op, "bcmp")) out_i64(kr_bytes_cmp(A(0).b, A(1).b));
  else if (eqs(op, "brepr")) res_str(kr_bytes_repr(A(0).b));
  /* numbers */
  else if (eqs(op, "str_int")) res_str(kr_str_from_i64(I(0)));
  else if (eqs(op, "str_bool")) res_str(kr_str_from_bool((int)I(0)));
  else if (eqs(op, "int")) { rc = kr_str_to_int64(S(0), A(1).tag == '~' ? 10 : I(1), &v); res_int(rc, v); }
  else if (eqs(op, "float")) { double d; if (kr_float_from_str(S(0), &d)) out_error(); else out_f64(d); }
  /* formatting */
  else if (eqs(op, "repr")) res_str(kr_str_repr(S(0)));
  else if (eqs(op, "ascii")) res_str(kr_str_ascii(S(0)));
  else if (eqs(op, "format")) res_str(kr_val_format(val_arg(0), S(1)));
  else if (eqs(op, "conv")) res_str(I(1) == 0 ? kr_val_to_str(val_arg(0)) : I(1) == 1 ? kr_val_repr(val_arg(0)) : kr_val_ascii(val_arg(0)));
  else if (eqs(op, "percent")) {
    char mode = A(1).tag;
    format_args(2);
    if (mode == 'T') res_str(kr_str_percent(S(0), pos_vals, npos, 1, NULL, NULL, 0));
    else if (mode == 'F') res_str(kr_str_percent(S(0), pos_vals, 1, 0, NULL, NULL, 0));
    else res_str(kr_str_percent(S(0), NULL, 0, 0, kw_names, kw_vals, nkw));
  }
  else if (eqs(op, "sformat")) { format_args(1); res_str(kr_str_format(S(0), pos_vals, npos, kw_names, kw_vals, nkw)); }
  else { out_s("?unknown op "); out_s(op); }
  free_args();
}

int main(void) {
  size_t cap = 1 << 16, len = 0;
  char *line = (char *)malloc(cap);
  int c;
  for (;;) {
    len = 0;
    while ((c = getchar()) != EOF && c != '\n') {
      if (len + 1 >= cap) { cap *= 2; line = (char *)realloc(line, cap); if (!line) abort(); }
      line[len++] = (char)c;
    }
    if (c == EOF && len == 0) break;
    line[len] = 0;
    run_line(line);
    out_c('\n');
    if (out_len > (1 << 20)) out_flush();
    if (c == EOF) break;
  }
  out_flush();
  free(line);
  free(out_buf);
  free(cps);
  kr_str_release();
  kr_cache_release(); /* large strings' blocks kept for reuse (kiln_object.h) */
  kr_gc_release();
  if (kr_gc.live != 0) { fprintf(stderr, "LEAK: %lld objects alive\n", (long long)kr_gc.live); return 3; }
  return 0;
}
