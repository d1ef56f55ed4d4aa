/* Hand-written C reference for bench/kernels/str_build.py: appends "word " n times to a growing buffer. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int ref_str_build(int64_t n, int64_t *out) {
  size_t len = 0, cap = 16;
  char *s = (char *)malloc(cap);
  if (!s) return 1;
  for (int64_t i = 0; i < n; i++) {
    if (len + 5 > cap) {
      cap = (len + 5) + (len + 5) / 2 + 8;
      char *g = (char *)realloc(s, cap);
      if (!g) { free(s); return 1; }
      s = g;
    }
    memcpy(s + len, "word ", 5);
    len += 5;
  }
  /* the string is built; its length is the result (as len(s)) */
  *out = (int64_t)len;
  volatile char sink = s[len ? len - 1 : 0];
  (void)sink;
  free(s);
  return 0;
}
