/* Hand-written C references for bench/kernels/counting.py, in Kiln's calling convention, on the open-addressing
   table of oa_table.h: words are split on ASCII whitespace (the suite's text is ASCII) and interned into an array of
   distinct words found through a table of FNV-1a hashes; a pair (a, b) of ints below 1000 is the key a * 1000 + b;
   most_common(1) is the largest count. */
#include "oa_table.h"
#include <string.h>

static int64_t max_value(const OA *t) {
  int64_t best = 0;
  for (uint64_t i = 0; i <= t->mask; i++) if (t->k[i] != OA_EMPTY && t->v[i] > best) best = t->v[i];
  return best;
}

static inline int64_t lcg(int64_t x) { return (x * 1103515245 + 12345) % 2147483648; }

static inline int is_space(char c) { return c == ' ' || (c >= 9 && c <= 13) || (c >= 28 && c <= 31); }

int ref_count_words(const char *text, int64_t n, int64_t *out) {
  /* hash -> index of the word's first occurrence (hash collisions of distinct words are compared byte for byte
     by probing on: the key is the hash with the probe number mixed in) */
  OA seen;
  oa_init(&seen, 16);
  int64_t cap = 64, n_words = 0, *start = (int64_t *)malloc(64 * 8), *len = (int64_t *)malloc(64 * 8), *count = (int64_t *)malloc(64 * 8);
  if (!start || !len || !count) return 1;
  int64_t i = 0;
  while (i < n) {
    while (i < n && is_space(text[i])) i++;
    if (i >= n) break;
    int64_t j = i;
    uint64_t h = 1469598103934665603ULL;
    while (j < n && !is_space(text[j])) h = (h ^ (unsigned char)text[j++]) * 1099511628211ULL;
    for (int64_t probe = 0;; probe++) {
      int64_t key = (int64_t)((h + (uint64_t)probe * 0x9E3779B97F4A7C15ULL) >> 1);
      int64_t *slot = oa_find(&seen, key);
      if (!slot) {
        if (n_words == cap) {
          cap *= 2;
          start = (int64_t *)realloc(start, (size_t)cap * 8); len = (int64_t *)realloc(len, (size_t)cap * 8); count = (int64_t *)realloc(count, (size_t)cap * 8);
          if (!start || !len || !count) return 1;
        }
        start[n_words] = i; len[n_words] = j - i; count[n_words] = 1;
        *oa_slot(&seen, key) = n_words++;
        break;
      }
      int64_t w = *slot;
      if (len[w] == j - i && memcmp(text + start[w], text + i, (size_t)(j - i)) == 0) { count[w]++; break; }
    }
    i = j;
  }
  if (n_words == 0) return 1;   /* max() of nothing: Python raises ValueError */
  int64_t best = 0;
  for (int64_t w = 0; w < n_words; w++) if (count[w] > best) best = count[w];
  *out = n_words * 1000000 + best;
  oa_free(&seen); free(start); free(len); free(count);
  return 0;
}

int ref_count_ints(int64_t n, int64_t *out) {
  OA counts;
  oa_init(&counts, 16);
  int64_t x = 12345;
  for (int64_t i = 0; i < n; i++) {
    x = lcg(x);
    ++*oa_slot(&counts, (x >> 8) % 200003);
  }
  if (counts.n == 0) return 1;
  *out = counts.n * 1000 + max_value(&counts);
  oa_free(&counts);
  return 0;
}

int ref_count_pairs(int64_t n, int64_t *out) {
  OA counts;
  oa_init(&counts, 16);
  int64_t x = 12345, prev = 0;
  for (int64_t i = 0; i < n; i++) {
    x = lcg(x);
    int64_t cur = (x >> 8) % 1000;
    ++*oa_slot(&counts, prev * 1000 + cur);
    prev = cur;
  }
  if (counts.n == 0) return 1;
  *out = counts.n * 1000 + max_value(&counts);
  oa_free(&counts);
  return 0;
}
