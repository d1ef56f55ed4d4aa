/* Hand-written C reference for bench/kernels/vigenere.py, in Kiln's calling convention: the text's and the key's
   UTF-8 in (the suite's are ASCII: one byte per character), the enciphered text out in a malloc'd buffer. */
#include <stdint.h>
#include <stdlib.h>

typedef struct { char *data; int64_t len; } kiln_str;

int ref_vigenere(const char *text, int64_t n, const char *key, int64_t m, kiln_str *out) {
  char *o = (char *)malloc((size_t)n + 1);
  if (!o || m <= 0) { free(o); return 1; }
  int64_t k = 0;
  for (int64_t i = 0; i < n; i++) {
    char c = text[i];
    if (c >= 'a' && c <= 'z') { o[i] = (char)((c - 97 + key[k % m] - 65) % 26 + 97); k++; }
    else if (c >= 'A' && c <= 'Z') { o[i] = (char)((c - 65 + key[k % m] - 65) % 26 + 65); k++; }
    else o[i] = c;
  }
  o[n] = 0;
  out->data = o;
  out->len = n;
  return 0;
}
