/*
 * The matrix products (resources/c/kiln_gemm.h) against references: floats within the documented bound
 * |C - C_exact| <= gamma_k (|A| @ |B|), gamma_k = k*u / (1 - k*u), the exact value computed in double-double (float64)
 * or double (float32); integers exactly equal to a wrapping reference. tests/runtime/gemm.test.ts runs it natively,
 * under valgrind, on wasm32 and under QEMU, and compares the "emit" output with NumPy.
 *
 *   gemm check SEED CASES [big]   random cases, every dtype and layout; prints "ok <check>" lines, then PASSED/FAILED
 *   gemm emit SEED CASES          small cases as text for NumPy: "case DTYPE M N K" then the rows of C (floats as
 *                                 %a); the inputs come from splitmix64(SEED + case) in the order Python regenerates
 *   gemm paths                    the ISA paths this build carries and the one it uses
 *   gemm params                   the blocking of this build's own ISA (MR, NR, KC, NC, MC per dtype)
 */
#include <stdio.h>
#include <float.h>
#include "kiln_gemm.h"

static int failures;
#define CHECK(name, cond, ...) do { \
  if (cond) printf("ok %s\n", name); \
  else { failures++; printf("FAIL %s: ", name); printf(__VA_ARGS__); printf("\n"); } } while (0)

/* ---- splitmix64: the same generator as the test's Python side ---- */
static uint64_t rng_state;
static uint64_t next_u64(void) {
  uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}
static int64_t next_below(int64_t n) { return (int64_t)(next_u64() % (uint64_t)n); }

enum { T_F64, T_F32, T_I64, T_U64, T_I32, T_U32, T_COUNT };
static const char *const tnames[] = { "float64", "float32", "int64", "uint64", "int32", "uint32" };
static const size_t tsize[] = { 8, 4, 8, 8, 4, 4 };

/* A logical value (row-major order of generation) of each dtype, as raw bits in a uint64. */
static uint64_t gen_value(int t, int wide) {
  uint64_t x = next_u64();
  switch (t) {
    case T_F64: { double v = (double)(x >> 11) * 0x1p-53 * 2.0 - 1.0; if (wide) v = ldexp(v, (int)(x & 63) - 32); uint64_t b; memcpy(&b, &v, 8); return b; }
    case T_F32: { float v = (float)(x >> 40) * 0x1p-24f * 2.0f - 1.0f; if (wide) v = ldexpf(v, (int)(x & 15) - 8); uint32_t b; memcpy(&b, &v, 4); return b; }
    case T_I64: case T_U64: return x;
    default: return x >> 32;
  }
}

/* A matrix view: element (i, j) at base + i*rs + j*cs (in elements) inside buf. */
typedef struct { void *buf; size_t bytes; char *base; int64_t rs, cs, rows, cols; } view;

/* Layouts: 0 row-major, 1 column-major (a transposed array), 2 strided rows and columns, 3 reversed rows, 4 row-major
   with padded rows (a slice of a wider array). */
static view make_view(int t, int64_t rows, int64_t cols, int layout) {
  view v = { 0 };
  int64_t r = rows ? rows : 1, c = cols ? cols : 1;
  int64_t n;
  switch (layout) {
    case 1: v.rs = 1; v.cs = r; n = r * c; break;
    case 2: v.rs = 2 * c * 3; v.cs = 3; n = 2 * c * 3 * r; break;
    case 3: v.rs = -c; v.cs = 1; n = r * c; break;
    case 4: v.rs = c + 5; v.cs = 1; n = (c + 5) * r; break;
    default: v.rs = c; v.cs = 1; n = r * c; break;
  }
  v.bytes = (size_t)n * tsize[t];
  v.buf = malloc(v.bytes + 8);
  memset(v.buf, 0x5a, v.bytes + 8); /* a sentinel in every gap */
  v.base = (char *)v.buf + (v.rs < 0 ? (size_t)((r - 1) * -v.rs) * tsize[t] : 0);
  v.rows = rows;
  v.cols = cols;
  return v;
}
static void *at(const view *v, int t, int64_t i, int64_t j) { return v->base + (i * v->rs + j * v->cs) * (int64_t)tsize[t]; }
static uint64_t get_bits(const view *v, int t, int64_t i, int64_t j) {
  uint64_t b = 0;
  memcpy(&b, at(v, t, i, j), tsize[t]);
  return b;
}
static double get_f(const view *v, int t, int64_t i, int64_t j) {
  if (t == T_F64) { double d; memcpy(&d, at(v, t, i, j), 8); return d; }
  float f; memcpy(&f, at(v, t, i, j), 4); return f;
}
static void fill(view *v, int t, int wide) {
  for (int64_t i = 0; i < v->rows; i++)
    for (int64_t j = 0; j < v->cols; j++) { uint64_t b = gen_value(t, wide); memcpy(at(v, t, i, j), &b, tsize[t]); }
}

static int run_gemm(int t, const view *a, const view *b, view *c, int64_t m, int64_t n, int64_t k) {
  switch (t) {
    case T_F64: return kr_gemm_f64(m, n, k, (double *)a->base, a->rs, a->cs, (double *)b->base, b->rs, b->cs, (double *)c->base, c->rs, c->cs);
    case T_F32: return kr_gemm_f32(m, n, k, (float *)a->base, a->rs, a->cs, (float *)b->base, b->rs, b->cs, (float *)c->base, c->rs, c->cs);
    case T_I64: return kr_gemm_i64(m, n, k, (int64_t *)a->base, a->rs, a->cs, (int64_t *)b->base, b->rs, b->cs, (int64_t *)c->base, c->rs, c->cs);
    case T_U64: return kr_gemm_u64(m, n, k, (uint64_t *)a->base, a->rs, a->cs, (uint64_t *)b->base, b->rs, b->cs, (uint64_t *)c->base, c->rs, c->cs);
    case T_I32: return kr_gemm_i32(m, n, k, (int32_t *)a->base, a->rs, a->cs, (int32_t *)b->base, b->rs, b->cs, (int32_t *)c->base, c->rs, c->cs);
    default: return kr_gemm_u32(m, n, k, (uint32_t *)a->base, a->rs, a->cs, (uint32_t *)b->base, b->rs, b->cs, (uint32_t *)c->base, c->rs, c->cs);
  }
}

/* ---- references ---- */
/* Exact products and sums in double-double (Dekker and Knuth; no FMA needed, -ffp-contract=off). */
static void two_sum(double a, double b, double *s, double *e) { *s = a + b; double bb = *s - a; *e = (a - (*s - bb)) + (b - bb); }
static void split(double a, double *hi, double *lo) { double t = 134217729.0 * a; *hi = t - (t - a); *lo = a - *hi; }
static void two_prod(double a, double b, double *p, double *e) {
  *p = a * b;
  double ah, al, bh, bl;
  split(a, &ah, &al);
  split(b, &bh, &bl);
  *e = ((ah * bh - *p) + ah * bl + al * bh) + al * bl;
}

typedef struct { long bad, nan_bad, checked; double worst; } fstats;
/* Checks C against the exact product within gamma_k |A||B|; NaN/inf where the naive sum has them. */
static void check_float(int t, const view *a, const view *b, const view *c, int64_t m, int64_t n, int64_t k, fstats *st) {
  double u = t == T_F64 ? 0x1p-53 : 0x1p-24, ku = (double)k * u, gamma = ku / (1.0 - ku);
  for (int64_t i = 0; i < m; i++)
    for (int64_t j = 0; j < n; j++) {
      double hi = 0, lo = 0, absab = 0, naive = 0;
      for (int64_t p = 0; p < k; p++) {
        double x = get_f(a, t, i, p), y = get_f(b, t, p, j), pr, pe, s, se;
        naive += x * y;
        absab += fabs(x) * fabs(y);
        two_prod(x, y, &pr, &pe);
        two_sum(hi, pr, &s, &se);
        hi = s;
        lo += se + pe;
      }
      double exact = hi + lo, got = get_f(c, t, i, j);
      st->checked++;
      if (!isfinite(naive) || !isfinite(got)) {
        int same = (isnan(naive) && isnan(got)) || (isinf(naive) && naive == got);
        if (!same) st->nan_bad++;
        continue;
      }
      double err = fabs(got - exact), bound = gamma * absab * (1 + 0x1p-40) + DBL_TRUE_MIN;
      if (err > bound) st->bad++;
      double ratio = absab > 0 ? err / (absab * u) : 0;
      if (ratio > st->worst) st->worst = ratio;
    }
}
/* Integers: the wrapping sum of wrapping products, exactly. */
static long check_int(int t, const view *a, const view *b, const view *c, int64_t m, int64_t n, int64_t k) {
  long bad = 0;
  for (int64_t i = 0; i < m; i++)
    for (int64_t j = 0; j < n; j++) {
      uint64_t s = 0;
      for (int64_t p = 0; p < k; p++) s += get_bits(a, t, i, p) * get_bits(b, t, p, j);
      if (tsize[t] == 4) s &= 0xffffffffu;
      if (get_bits(c, t, i, j) != s) bad++;
    }
  return bad;
}
/* Bytes of C's buffer outside the view's elements still hold the sentinel. */
static int gaps_untouched(const view *c, int t) {
  unsigned char *mark = (unsigned char *)calloc(c->bytes + 8, 1);
  for (int64_t i = 0; i < c->rows; i++)
    for (int64_t j = 0; j < c->cols; j++) memset(mark + ((char *)at(c, t, i, j) - (char *)c->buf), 1, tsize[t]);
  int ok = 1;
  for (size_t x = 0; x < c->bytes + 8; x++) if (!mark[x] && ((unsigned char *)c->buf)[x] != 0x5a) ok = 0;
  free(mark);
  return ok;
}

/* ---- one random case ---- */
typedef struct { int t, la, lb, lc, wide, special; int64_t m, n, k; } gcase;
static gcase random_case(int big) {
  gcase g;
  g.t = (int)next_below(T_COUNT);
  int64_t lim = big ? 600 : 71;
  int shape = (int)next_below(10);
  g.m = next_below(lim); g.n = next_below(lim); g.k = next_below(lim);
  if (shape == 0) g.m = 1;              /* a row vector times a matrix */
  if (shape == 1) g.n = 1;              /* a matrix times a column vector */
  if (shape == 2) g.m = g.n = 1;        /* a dot product */
  if (shape == 3) g.k = next_below(3);  /* k = 0, 1, 2 */
  g.la = (int)next_below(5); g.lb = (int)next_below(5); g.lc = (int)next_below(5);
  if (g.lc == 3) g.lc = 0; /* a reversed C is no different from a row-major one; keep the rest */
  g.wide = next_below(4) == 0;
  g.special = next_below(8) == 0; /* NaN and infinities in a few places */
  return g;
}

/* Runs a case with 1 thread and with 3, checks it, and that both give the same bits. */
typedef struct { long cases, int_bad, gap_bad, thread_bad, rc_bad; fstats f[2]; } totals;
static void run_case(const gcase *g, totals *tot) {
  int t = g->t;
  view a = make_view(t, g->m, g->k, g->la), b = make_view(t, g->k, g->n, g->lb);
  view c1 = make_view(t, g->m, g->n, g->lc), c3 = make_view(t, g->m, g->n, g->lc);
  fill(&a, t, g->wide);
  fill(&b, t, g->wide);
  if (g->special && t <= T_F32 && g->m * g->k > 0 && g->k * g->n > 0) {
    static const double specials[] = { NAN, INFINITY, -INFINITY, 0.0 };
    for (int s = 0; s < 3; s++) {
      double v = specials[next_below(4)];
      view *w = next_below(2) ? &a : &b;
      int64_t i = next_below(w->rows), j = next_below(w->cols);
      if (t == T_F64) memcpy(at(w, t, i, j), &v, 8); else { float f = (float)v; memcpy(at(w, t, i, j), &f, 4); }
    }
  }
  kr_threads_set(1);
  int rc1 = run_gemm(t, &a, &b, &c1, g->m, g->n, g->k);
  kr_threads_set(3);
  int rc3 = run_gemm(t, &a, &b, &c3, g->m, g->n, g->k);
  tot->cases++;
  if (rc1 || rc3) tot->rc_bad++;
  if (memcmp(c1.buf, c3.buf, c1.bytes + 8) != 0) tot->thread_bad++;
  if (!gaps_untouched(&c1, t)) tot->gap_bad++;
  if (t <= T_F32) check_float(t, &a, &b, &c1, g->m, g->n, g->k, &tot->f[t]);
  else tot->int_bad += check_int(t, &a, &b, &c1, g->m, g->n, g->k);
  free(a.buf); free(b.buf); free(c1.buf); free(c3.buf);
}

static void check_mode(uint64_t seed, long cases, int big) {
  totals tot = { 0 };
  rng_state = seed;
  for (long i = 0; i < cases; i++) {
    gcase g = random_case(big);
    run_case(&g, &tot);
  }
  /* Shapes around the blocking edges of the micro-kernel and the cache blocks. */
  int64_t edges[] = { 1, 2, 3, 7, 8, 13, 14, 15, 16, 17, 31, 32, 33, 47, 48, 49 };
  int ne = (int)(sizeof edges / sizeof edges[0]);
  for (int t = 0; t < T_COUNT; t++)
    for (int x = 0; x < ne; x += 3) {
      gcase g = { t, 0, 0, 0, 0, 0, edges[x], edges[(x + 5) % ne], edges[(x + 9) % ne] };
      run_case(&g, &tot);
      g.la = 1; g.lb = 2; g.lc = 4;
      run_case(&g, &tot);
    }
  if (big) {
    /* Several K, N and M cache blocks (the default blocks are 256-2048 long). */
    gcase g1 = { T_F64, 0, 0, 0, 0, 0, 130, 1100, 700 }, g2 = { T_F32, 1, 1, 0, 0, 0, 2100, 40, 600 }, g3 = { T_I32, 0, 1, 0, 0, 0, 70, 600, 1300 };
    run_case(&g1, &tot);
    run_case(&g2, &tot);
    run_case(&g3, &tot);
  }
  printf("  %ld cases; float64 worst |C - exact| / (u |A||B|) = %.2f over %ld elements, float32 %.2f over %ld\n", tot.cases,
         tot.f[0].worst, tot.f[0].checked, tot.f[1].worst, tot.f[1].checked);
  CHECK("no_error_returned", tot.rc_bad == 0, "%ld cases returned -1", tot.rc_bad);
  CHECK("float64_within_bound", tot.f[0].bad == 0, "%ld elements outside gamma_k |A||B|", tot.f[0].bad);
  CHECK("float32_within_bound", tot.f[1].bad == 0, "%ld elements outside gamma_k |A||B|", tot.f[1].bad);
  CHECK("nan_and_inf_as_naive_sum", tot.f[0].nan_bad + tot.f[1].nan_bad == 0, "%ld elements", tot.f[0].nan_bad + tot.f[1].nan_bad);
  CHECK("integers_exact", tot.int_bad == 0, "%ld elements differ from the wrapping sum", tot.int_bad);
  CHECK("gaps_of_c_untouched", tot.gap_bad == 0, "%ld cases wrote outside C's elements", tot.gap_bad);
  CHECK("threads_bit_identical", tot.thread_bad == 0, "%ld cases differ between 1 and 3 threads", tot.thread_bad);
}

/* dot products: the fast path agrees with a 1 x k @ k x 1 product and the bound. */
static void check_dot(uint64_t seed) {
  rng_state = seed;
  long bad = 0;
  for (int rep = 0; rep < 300; rep++) {
    int64_t n = next_below(300), incx = 1 + next_below(3), incy = next_below(2) ? 1 : -2;
    double *x = (double *)malloc((size_t)(n * 3 + 1) * 8), *y = (double *)malloc((size_t)(n * 3 + 1) * 8);
    int64_t *xi = (int64_t *)malloc((size_t)(n * 3 + 1) * 8), *yi = (int64_t *)malloc((size_t)(n * 3 + 1) * 8);
    for (int64_t i = 0; i < n * 3 + 1; i++) { uint64_t b = gen_value(T_F64, 0); memcpy(&x[i], &b, 8); b = gen_value(T_F64, 0); memcpy(&y[i], &b, 8); xi[i] = (int64_t)next_u64(); yi[i] = (int64_t)next_u64(); }
    const double *y0 = incy < 0 ? y + (n ? (n - 1) * 2 : 0) : y;
    const int64_t *yi0 = incy < 0 ? yi + (n ? (n - 1) * 2 : 0) : yi;
    double d = kr_dot_f64(n, x, incx, y0, incy), hi = 0, lo = 0, absab = 0;
    uint64_t si = 0;
    for (int64_t i = 0; i < n; i++) {
      double pr, pe, s, se;
      two_prod(x[i * incx], y0[i * incy], &pr, &pe);
      two_sum(hi, pr, &s, &se);
      hi = s; lo += se + pe;
      absab += fabs(x[i * incx] * y0[i * incy]);
      si += (uint64_t)xi[i * incx] * (uint64_t)yi0[i * incy];
    }
    double ku = (double)n * 0x1p-53;
    if (fabs(d - (hi + lo)) > ku / (1 - ku) * absab * (1 + 0x1p-40)) bad++;
    if ((uint64_t)kr_dot_i64(n, xi, incx, yi0, incy) != si) bad++;
    free(x); free(y); free(xi); free(yi);
  }
  CHECK("dot_products", bad == 0, "%ld dot products wrong", bad);
}

/* Text for NumPy: small cases, row-major inputs (layouts do not change the values). */
static void emit_mode(uint64_t seed, long cases) {
  for (long ci = 0; ci < cases; ci++) {
    rng_state = seed + (uint64_t)ci;
    int t = (int)next_below(T_COUNT);
    int64_t m = next_below(12), n = next_below(12), k = next_below(40);
    if (ci % 5 == 1) m = 1;
    if (ci % 5 == 2) n = 1;
    view a = make_view(t, m, k, (int)(ci % 3)), b = make_view(t, k, n, (int)((ci / 3) % 3)), c = make_view(t, m, n, 0);
    fill(&a, t, 0);
    fill(&b, t, 0);
    kr_threads_set(2);
    run_gemm(t, &a, &b, &c, m, n, k);
    printf("case %s %lld %lld %lld\n", tnames[t], (long long)m, (long long)n, (long long)k);
    for (int64_t i = 0; i < m; i++) {
      for (int64_t j = 0; j < n; j++) {
        uint64_t bits = get_bits(&c, t, i, j);
        if (t == T_F64) { double d; memcpy(&d, &bits, 8); printf(j ? " %a" : "%a", d); }
        else if (t == T_F32) { float f; uint32_t b32 = (uint32_t)bits; memcpy(&f, &b32, 4); printf(j ? " %a" : "%a", (double)f); }
        else if (t == T_I64) printf(j ? " %lld" : "%lld", (long long)(int64_t)bits);
        else if (t == T_I32) printf(j ? " %d" : "%d", (int)(int32_t)(uint32_t)bits);
        else printf(j ? " %llu" : "%llu", (unsigned long long)bits);
      }
      printf("\n");
    }
    free(a.buf); free(b.buf); free(c.buf);
  }
}

int main(int argc, char **argv) {
  if (argc > 1 && strcmp(argv[1], "paths") == 0) { printf("%s %s\n", kr_gemm_paths(), kr_gemm_path()); return 0; }
  if (argc > 1 && strcmp(argv[1], "params") == 0) { /* the native instance's blocking, per dtype */
    int64_t p[4][5];
    kg_params_f64_nat(p[0]); kg_params_f32_nat(p[1]); kg_params_u64_nat(p[2]); kg_params_u32_nat(p[3]);
    static const char *const names[] = { "float64", "float32", "int64", "int32" };
    for (int i = 0; i < 4; i++) printf("%s %s MR=%lld NR=%lld KC=%lld NC=%lld MC=%lld\n", KILN_SIMD_NAME, names[i], (long long)p[i][0], (long long)p[i][1], (long long)p[i][2], (long long)p[i][3], (long long)p[i][4]);
    return 0;
  }
  if (argc < 4) { fprintf(stderr, "usage: gemm check|emit SEED CASES [big]\n"); return 2; }
  uint64_t seed = strtoull(argv[2], NULL, 10);
  long cases = atol(argv[3]);
  if (strcmp(argv[1], "emit") == 0) { emit_mode(seed, cases); kr_threads_shutdown(); return 0; }
  check_mode(seed, cases, argc > 4 && strcmp(argv[4], "big") == 0);
  check_dot(seed + 1);
  kr_threads_shutdown();
  printf(failures ? "FAILED\n" : "PASSED\n");
  return failures ? 1 : 0;
}
