/* Hand-written C reference for bench/kernels/mandelbrot.py, in Kiln's calling style. */
#include <stdint.h>

int ref_mandelbrot(int64_t size, int64_t max_iter, int64_t *out) {
  int64_t total = 0;
  for (int64_t py = 0; py < size; py++) {
    double ci = 2.0 * (double)py / (double)size - 1.0;
    for (int64_t px = 0; px < size; px++) {
      double cr = 2.0 * (double)px / (double)size - 1.5;
      double zr = 0.0, zi = 0.0;
      int64_t n = 0;
      while (n < max_iter && zr * zr + zi * zi <= 4.0) {
        double t = zr * zr - zi * zi + cr;
        zi = 2.0 * zr * zi + ci;
        zr = t;
        n++;
      }
      total += n;
    }
  }
  *out = total;
  return 0;
}
