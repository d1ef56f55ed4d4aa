/* Hand-written C reference for bench/kernels/collatz.py, in Kiln's calling style. */
#include <stdint.h>

int ref_collatz_longest(int64_t limit, int64_t *out) {
  int64_t best_start = 1, best_len = 1;
  for (int64_t start = 1; start < limit; start++) {
    int64_t n = start, length = 1;
    while (n != 1) {
      if (n % 2 == 0) n = n / 2;
      else n = 3 * n + 1;
      length++;
    }
    if (length > best_len) { best_len = length; best_start = start; }
  }
  *out = best_start;
  return 0;
}
