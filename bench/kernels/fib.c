/* Hand-written C reference for bench/kernels/fib.py, in Kiln's calling style. */
#include <stdint.h>

static int64_t fib(int64_t n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

int ref_fib(int64_t n, int64_t *out) {
  *out = fib(n);
  return 0;
}
