/* Hand-written C reference for bench/kernels/word_freq.py, in Kiln's calling convention: the text's UTF-8 in, a
   list of 17 counts out (malloc'd; the harness frees it). The suite's text is ASCII, so lowering and splitting
   on ASCII whitespace bytes is the same work Python does on it. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct { int64_t len; int64_t *data; } kiln_list_int;

static const char *const vocab[16] = { "the", "of", "and", "to", "in", "a", "is", "that", "for", "it", "as", "was", "with", "be", "by", "on" };

int ref_word_freq(const char *text, int64_t n, kiln_list_int *out) {
  int64_t *counts = (int64_t *)calloc(17, sizeof(int64_t));
  if (!counts) return 1;
  size_t vlen[16];
  for (int k = 0; k < 16; k++) vlen[k] = strlen(vocab[k]);
  char word[64];
  int64_t i = 0;
  while (i < n) {
    while (i < n && (text[i] == ' ' || (text[i] >= 9 && text[i] <= 13))) i++;
    if (i >= n) break;
    int64_t j = i;
    size_t len = 0;
    while (j < n && !(text[j] == ' ' || (text[j] >= 9 && text[j] <= 13))) {
      char c = text[j++];
      if (len < sizeof word) word[len] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
      len++;
    }
    int k = 0;
    while (k < 16 && !(len == vlen[k] && memcmp(word, vocab[k], len) == 0)) k++;
    counts[k]++;
    i = j;
  }
  out->len = 17;
  out->data = counts;
  return 0;
}
