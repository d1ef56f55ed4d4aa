/*
 * Benchmarks of Kiln's str runtime (resources/c/kiln_str.h): the calls compiled code makes for the Python of
 * bench/runtime/str_bench.py, lowered one Python operation to one runtime call (no fusion: what a direct
 * translation costs), against CPython (str_bench.py) and hand-written C on the UTF-8 bytes (the *_ref cases).
 * bench/runtime/str_bench.sh builds and runs all three and prints the table.
 *
 *   str_bench CASE FILE [REPS]   prints "CASE best_ms checksum" (best of REPS runs, CPU time)
 *
 * Cases: iadd_100k, iadd_1m (s += 'word ': linear in the count), wordfreq (text.lower().split() counted in a
 * table keyed by str: a stand-in for the dict that compiled code will use), caesar (a list of one-character
 * strings, then ''.join), wordfreq_iter (the same with the split iterator: no list), caesar_iadd (out += c), caesar_cp (the loop on code points, as an optimising lowering
 * can make it), and wordfreq_ref, caesar_ref on bytes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "kiln_str.h"

KR_STR_LITERAL_ASCII(lit_word, 5, "word ");
KR_STR_LITERAL_ASCII(lit_a, 1, "a");
KR_STR_LITERAL_ASCII(lit_z, 1, "z");
KR_STR_LITERAL_ASCII(lit_A, 1, "A");
KR_STR_LITERAL_ASCII(lit_Z, 1, "Z");

static kr_str *text;          /* the 1 MB text as a str */
static char *bytes;           /* and as UTF-8 */
static size_t nbytes;

static void die(const char *what) {
  fprintf(stderr, "str_bench: %s: %s\n", what, kr_err.kind ? kr_err.message : "failed");
  exit(1);
}

/* ---- s += 'word ' ---- */
static int64_t iadd(int64_t n) {
  kr_str *s = kr_str_empty;
  for (int64_t i = 0; i < n; i++) if (kr_str_iadd(&s, KR_STR(lit_word))) die("+=");
  int64_t len = s->length;
  kr_decref(s);
  return len;
}

/* ---- word frequencies: a table keyed by str (open addressing, linear probes) ---- */
typedef struct { kr_str *key; int64_t count; } slot;
static int64_t wordfreq(void) {
  kr_str *low = kr_str_lower(text);
  if (!low) die("lower");
  kr_strvec words = KR_STRVEC_INIT;
  if (kr_str_split_ws(low, -1, &words)) die("split");
  size_t cap = 1024, used = 0;
  slot *t = (slot *)calloc(cap, sizeof(slot));
  for (int64_t i = 0; i < words.len; i++) {
    kr_str *w = words.items[i];
    if (2 * (used + 1) > cap) { /* grow */
      size_t ncap = cap * 2;
      slot *nt = (slot *)calloc(ncap, sizeof(slot));
      for (size_t k = 0; k < cap; k++) if (t[k].key) {
        size_t j = (size_t)kr_str_hash(t[k].key) & (ncap - 1);
        while (nt[j].key) j = (j + 1) & (ncap - 1);
        nt[j] = t[k];
      }
      free(t);
      t = nt;
      cap = ncap;
    }
    size_t j = (size_t)kr_str_hash(w) & (cap - 1);
    while (t[j].key && !kr_str_eq(t[j].key, w)) j = (j + 1) & (cap - 1);
    if (t[j].key) t[j].count++;
    else { kr_incref(w); t[j].key = w; t[j].count = 1; used++; }
  }
  int64_t maxc = 0;
  for (size_t k = 0; k < cap; k++) if (t[k].key) { if (t[k].count > maxc) maxc = t[k].count; kr_decref(t[k].key); }
  free(t);
  kr_strvec_clear(&words);
  kr_decref(low);
  return (int64_t)used * 1000003 + maxc;
}

/* The same counting with `for w in text.lower().split()` lowered to the split iterator (no list of 190,000
 * words in memory at once: each word is dropped, or kept by the table, as soon as it is counted). */
static int64_t wordfreq_iter(void) {
  kr_str *low = kr_str_lower(text);
  if (!low) die("lower");
  size_t cap = 1024, used = 0;
  slot *t = (slot *)calloc(cap, sizeof(slot));
  int64_t pos = 0;
  kr_str *w;
  int more;
  while ((more = kr_str_split_ws_next(low, &pos, &w, NULL)) == 1) {
    if (2 * (used + 1) > cap) {
      size_t ncap = cap * 2;
      slot *nt = (slot *)calloc(ncap, sizeof(slot));
      for (size_t k = 0; k < cap; k++) if (t[k].key) {
        size_t j = (size_t)kr_str_hash(t[k].key) & (ncap - 1);
        while (nt[j].key) j = (j + 1) & (ncap - 1);
        nt[j] = t[k];
      }
      free(t);
      t = nt;
      cap = ncap;
    }
    size_t j = (size_t)kr_str_hash(w) & (cap - 1);
    while (t[j].key && !kr_str_eq(t[j].key, w)) j = (j + 1) & (cap - 1);
    if (t[j].key) { t[j].count++; kr_decref(w); }
    else { t[j].key = w; t[j].count = 1; used++; }
  }
  if (more < 0) die("split");
  int64_t maxc = 0;
  for (size_t k = 0; k < cap; k++) if (t[k].key) { if (t[k].count > maxc) maxc = t[k].count; kr_decref(t[k].key); }
  free(t);
  kr_decref(low);
  return (int64_t)used * 1000003 + maxc;
}

/* ---- Caesar: for c in text: 'a' <= c <= 'z' ... chr((ord(c) - 97 + 3) % 26 + 97) ---- */
static kr_str *shift(kr_str *c) {
  int64_t o, r;
  if (kr_str_cmp(KR_STR(lit_a), c) <= 0 && kr_str_cmp(c, KR_STR(lit_z)) <= 0) {
    if (kr_ord(c, &o) || kr_mod_i64(o - 97 + 3, 26, &r)) die("ord");
    return kr_chr(r + 97);
  }
  if (kr_str_cmp(KR_STR(lit_A), c) <= 0 && kr_str_cmp(c, KR_STR(lit_Z)) <= 0) {
    if (kr_ord(c, &o) || kr_mod_i64(o - 65 + 3, 26, &r)) die("ord");
    return kr_chr(r + 65);
  }
  return kr_str_newref(c);
}
static int64_t check_shifted(kr_str *r) {
  int64_t d = 0;
  for (int64_t i = 0; i < r->length; i++) d += kr_str_at(r, i) == 'd';
  return r->length * 1000 + d;
}
static int64_t caesar(void) {
  kr_strvec out = KR_STRVEC_INIT;
  for (int64_t i = 0; i < text->length; i++) {
    kr_str *c = kr_str_getitem(text, i); /* iteration makes the one-character string (shared below 256) */
    if (!c) die("getitem");
    if (kr_strvec_push(&out, shift(c))) die("append");
    kr_decref(c);
  }
  kr_str *r = kr_str_join(kr_str_empty, out.items, out.len);
  if (!r) die("join");
  kr_strvec_clear(&out);
  int64_t check = check_shifted(r);
  kr_decref(r);
  return check;
}
static int64_t caesar_iadd(void) {
  kr_str *out = kr_str_empty;
  for (int64_t i = 0; i < text->length; i++) {
    kr_str *c = kr_str_getitem(text, i);
    kr_str *s = shift(c);
    if (!s || kr_str_iadd(&out, s)) die("+=");
    kr_decref(s);
    kr_decref(c);
  }
  int64_t check = check_shifted(out);
  kr_decref(out);
  return check;
}

/* The same loop as the compiler can lower it when c only meets comparisons with one-character literals, ord and
 * chr: code points in a C variable, the result built in a writer (no one-character strings at all). */
static int64_t caesar_cp(void) {
  kr_sw w;
  if (kr_sw_init(&w, text->length, 127)) die("writer");
  for (int64_t i = 0; i < text->length; i++) {
    uint32_t c = kr_str_at(text, i);
    if (c >= 'a' && c <= 'z') c = (c - 97 + 3) % 26 + 97;
    else if (c >= 'A' && c <= 'Z') c = (c - 65 + 3) % 26 + 65;
    if (kr_sw_putc(&w, c)) die("writer");
  }
  kr_str *r = kr_sw_finish(&w);
  if (!r) die("writer");
  int64_t check = check_shifted(r);
  kr_decref(r);
  return check;
}

/* ---- hand-written C on the UTF-8 bytes ---- */
typedef struct { const char *p; size_t n; int64_t count; } bslot;
static uint64_t fnv(const char *p, size_t n) {
  uint64_t h = 1469598103934665603ull;
  for (size_t i = 0; i < n; i++) h = (h ^ (uint8_t)p[i]) * 1099511628211ull;
  return h;
}
static int64_t wordfreq_ref(void) {
  char *low = (char *)malloc(nbytes);
  for (size_t i = 0; i < nbytes; i++) low[i] = bytes[i] >= 'A' && bytes[i] <= 'Z' ? (char)(bytes[i] + 32) : bytes[i];
  size_t cap = 1 << 14, used = 0;
  bslot *t = (bslot *)calloc(cap, sizeof(bslot));
  size_t i = 0;
  while (i < nbytes) {
    while (i < nbytes && (low[i] == ' ' || low[i] == '\n')) i++;
    if (i == nbytes) break;
    size_t s = i;
    while (i < nbytes && low[i] != ' ' && low[i] != '\n') i++;
    size_t j = (size_t)fnv(low + s, i - s) & (cap - 1);
    while (t[j].p && !(t[j].n == i - s && !memcmp(t[j].p, low + s, i - s))) j = (j + 1) & (cap - 1);
    if (t[j].p) t[j].count++;
    else { t[j].p = low + s; t[j].n = i - s; t[j].count = 1; used++; }
  }
  int64_t maxc = 0;
  for (size_t k = 0; k < cap; k++) if (t[k].p && t[k].count > maxc) maxc = t[k].count;
  free(t);
  free(low);
  return (int64_t)used * 1000003 + maxc;
}
static int64_t caesar_ref(void) {
  char *out = (char *)malloc(nbytes);
  for (size_t i = 0; i < nbytes; i++) {
    char c = bytes[i];
    out[i] = c >= 'a' && c <= 'z' ? (char)((c - 'a' + 3) % 26 + 'a') : c >= 'A' && c <= 'Z' ? (char)((c - 'A' + 3) % 26 + 'A') : c;
  }
  int64_t n = 0, d = 0;
  for (size_t i = 0; i < nbytes; i++) { n += ((uint8_t)out[i] & 0xC0) != 0x80; d += out[i] == 'd'; }
  free(out);
  return n * 1000 + d;
}

int main(int argc, char **argv) {
  if (argc < 3) { fprintf(stderr, "usage: str_bench CASE FILE [REPS]\n"); return 2; }
  const char *c = argv[1];
  int reps = argc > 3 ? atoi(argv[3]) : 5;
  FILE *f = fopen(argv[2], "rb");
  if (!f) { perror(argv[2]); return 2; }
  fseek(f, 0, SEEK_END);
  nbytes = (size_t)ftell(f);
  fseek(f, 0, SEEK_SET);
  bytes = (char *)malloc(nbytes + 1);
  if (fread(bytes, 1, nbytes, f) != nbytes) { perror("read"); return 2; }
  fclose(f);
  text = kr_str_from_utf8(bytes, (int64_t)nbytes);
  if (!text) die("decode");
  int64_t (*work)(void) = NULL;
  int64_t n = 0;
  if (!strcmp(c, "wordfreq")) work = wordfreq;
  else if (!strcmp(c, "wordfreq_iter")) work = wordfreq_iter;
  else if (!strcmp(c, "caesar")) work = caesar;
  else if (!strcmp(c, "caesar_iadd")) work = caesar_iadd;
  else if (!strcmp(c, "caesar_cp")) work = caesar_cp;
  else if (!strcmp(c, "wordfreq_ref")) work = wordfreq_ref;
  else if (!strcmp(c, "caesar_ref")) work = caesar_ref;
  else if (!strcmp(c, "iadd_100k")) n = 100000;
  else if (!strcmp(c, "iadd_1m")) n = 1000000;
  else { fprintf(stderr, "unknown case %s\n", c); return 2; }
  double best = 1e300;
  int64_t check = 0;
  for (int r = 0; r < reps; r++) {
    clock_t t = clock();
    check = work ? work() : iadd(n);
    double ms = (double)(clock() - t) * 1000.0 / CLOCKS_PER_SEC;
    if (ms < best) best = ms;
  }
  printf("%s %.3f %lld\n", c, best, (long long)check);
  kr_decref(text);
  free(bytes);
  kr_str_release();
  kr_gc_release();
  return 0;
}
