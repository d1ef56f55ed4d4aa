/* Hand-written C reference for examples/fma.py (the studio Benchmark panel finds it next to fma.py by its name, ref_fma_loop), in Kiln's calling style (0 = ok, result in *out). */
#include <stdint.h>

int ref_fma_loop(double x, double y, double z, int64_t n_iter, double *out) {
  double result = 0.0;
  for (int64_t i = 0; i < n_iter; i++) result = x * y + z;
  *out = result;
  return 0;
}
