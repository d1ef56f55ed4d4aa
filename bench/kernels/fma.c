/* Hand-written C reference for bench/kernels/fma.py, in Kiln's calling style. */
int ref_fma(double x, double y, double z, double *out) {
  *out = x * y + z;
  return 0;
}
