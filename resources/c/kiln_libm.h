/*
 * Kiln runtime: pow, acosh, asinh and atanh of Kiln's own for the targets whose C library is far from glibc's
 * (the C library of the CPython Kiln is compared with) in them: MinGW (windows-x64, windows-arm64). Why mingw's are
 * off, and the measured agreement of these with glibc: docs/design/numbers.md.
 *
 *   double kr_pow_cr(double x, double y);   C99's pow, every special case included (no errno), correctly rounded
 *   double kr_acosh_cr(double x);           C99's acosh, asinh and atanh (NaN outside the domain), glibc's formulas
 *   double kr_asinh_cr(double x);           on correctly rounded log and log1p
 *   double kr_atanh_cr(double x);
 *
 * Both compute in double-double arithmetic (a value as an unevaluated sum hi + lo, about 104 bits; every step
 * an exact transformation of IEEE operations: Knuth's two-sum, Dekker's product) to a relative error near 2**-100,
 * then round once: the result is the correctly rounded value unless the exact one lies within 2**-100 of a halfway
 * point between two doubles. glibc's own pow and log are within 0.52 ulp, so the two agree wherever glibc rounds
 * correctly. Pure arithmetic, so the same bits on every target; needs -ffp-contract=off (Kiln's flags): a fused
 * multiply-add would break the exact transformations.
 *
 * kiln_runtime.h (which includes this header everywhere: its vector_norm uses kr_dd and kr_dd_fast_sum) calls these
 * through kr_libm_pow, kr_libm_acosh, ... on MinGW; elsewhere those are the C library's functions.
 */
#ifndef KILN_LIBM_H
#define KILN_LIBM_H

#include <math.h>

typedef struct { double hi, lo; } kr_dd;

/* a + b exactly, as hi + lo (Knuth) */
static inline kr_dd kr_dd_two_sum(double a, double b) {
  double s = a + b, bb = s - a;
  return (kr_dd){ s, (a - (s - bb)) + (b - bb) };
}
/* a + b exactly when |a| >= |b| (Dekker) */
static inline kr_dd kr_dd_fast_sum(double a, double b) {
  double s = a + b;
  return (kr_dd){ s, b - (s - a) };
}
/* a * b exactly, as hi + lo (Dekker's product, Veltkamp's split: no fused multiply-add needed) */
static inline kr_dd kr_dd_two_prod(double a, double b) {
  const double split = 134217729.0;   /* 2**27 + 1 */
  double p = a * b, ca = split * a, cb = split * b;
  double ah = ca - (ca - a), al = a - ah, bh = cb - (cb - b), bl = b - bh;
  return (kr_dd){ p, ((ah * bh - p) + ah * bl + al * bh) + al * bl };
}
static inline kr_dd kr_dd_add(kr_dd a, kr_dd b) {
  kr_dd s = kr_dd_two_sum(a.hi, b.hi), t = kr_dd_two_sum(a.lo, b.lo);
  s = kr_dd_fast_sum(s.hi, s.lo + t.hi);
  return kr_dd_fast_sum(s.hi, s.lo + t.lo);
}
static inline kr_dd kr_dd_add_d(kr_dd a, double b) {
  kr_dd s = kr_dd_two_sum(a.hi, b);
  return kr_dd_fast_sum(s.hi, s.lo + a.lo);
}
static inline kr_dd kr_dd_mul(kr_dd a, kr_dd b) {
  kr_dd p = kr_dd_two_prod(a.hi, b.hi);
  return kr_dd_fast_sum(p.hi, p.lo + (a.hi * b.lo + a.lo * b.hi));
}
static inline kr_dd kr_dd_mul_d(kr_dd a, double b) {
  kr_dd p = kr_dd_two_prod(a.hi, b);
  return kr_dd_fast_sum(p.hi, p.lo + a.lo * b);
}
static inline kr_dd kr_dd_div_d(kr_dd a, double b) {
  double q = a.hi / b;
  kr_dd p = kr_dd_two_prod(q, b);
  return kr_dd_fast_sum(q, (((a.hi - p.hi) - p.lo) + a.lo) / b);
}
/* sqrt(a) for a > 0: one Newton correction of the double square root */
static inline kr_dd kr_dd_sqrt(kr_dd a) {
  double s = sqrt(a.hi);
  kr_dd p = kr_dd_two_prod(s, s);
  return kr_dd_fast_sum(s, (((a.hi - p.hi) - p.lo) + a.lo) / (2.0 * s));
}

/* ln 2 in three parts; the first two have 42 significant bits, so k * part is exact for |k| < 2**11 */
#define KR_LN2_1 0x1.62e42fefa3800p-1
#define KR_LN2_2 0x1.ef35793c76800p-45
#define KR_LN2_3 -0x1.9ff0342542fc3p-90
/* ln 2 as a double-double */
#define KR_LN2_HI 0x1.62e42fefa39efp-1
#define KR_LN2_LO 0x1.abc9e3b39803fp-56

/* exp(t) = 2**k * (1 + e) for t = th + tl, |th| < 760: k = round(t / ln 2), e = expm1(r) of the rest
 * r = t - k ln 2 (|r| <= 0.35), by Taylor's series of r / 2**10 then ten doublings (1 + e)**2 = 1 + e (2 + e). e keeps
 * its relative precision however small r is, which log below needs. */
static inline kr_dd kr_dd_exp_parts(double th, double tl, int *k) {
  double kd = floor(th * 1.4426950408889634 + 0.5);
  kr_dd r = kr_dd_two_sum(th, -kd * KR_LN2_1);
  r = kr_dd_add_d(r, -kd * KR_LN2_2);
  r = kr_dd_add_d(r, tl);
  r = kr_dd_add_d(r, -kd * KR_LN2_3);
  *k = (int)kd;
  r.hi *= 0x1p-10;
  r.lo *= 0x1p-10;
  kr_dd e = r, term = r;
  for (int n = 2; n < 16 && fabs(term.hi) > 0x1p-112 * fabs(e.hi); n++) {
    term = kr_dd_div_d(kr_dd_mul(term, r), (double)n);
    e = kr_dd_add(e, term);
  }
  for (int i = 0; i < 10; i++) e = kr_dd_mul(e, kr_dd_add_d(e, 2.0));
  return e;
}

/* log(x) for finite x > 0, as hi + lo: y0 = the C library's log (within an ulp or two), then one Newton step
 * log x = y0 + log1p(d), d = x exp(-y0) - 1 = (x 2**k - 1) + x 2**k e exactly as far as e is (x 2**k is within
 * [0.5, 2], so x 2**k - 1 is exact): the error is relative to log x, also near x = 1. */
static inline kr_dd kr_dd_log(double x) {
  /* a subnormal x as x 2**54 (mingw's log of a subnormal is far off: log(5e-324) -2143.8, not -2141.7) */
  int sub = x < 0x1p-1022;
  volatile double vx = sub ? x * 0x1p54 : x;   /* the platform's log at run time, not a constant the compiler folds */
  double y0 = log(vx), xs0 = vx;
  int k;
  kr_dd e = kr_dd_exp_parts(-y0, 0.0, &k);
  double xs = ldexp(xs0, k);
  kr_dd d = kr_dd_add(kr_dd_two_sum(xs - 1.0, 0.0), kr_dd_mul_d(e, xs));
  /* log1p(d) = d - d**2/2 + d**3/3: |d| is about the error of y0, so d**3 is far below 2**-100 of the result */
  kr_dd l = kr_dd_add(kr_dd_two_sum(y0, 0.0), d);
  l = kr_dd_add_d(l, d.hi * d.hi * -0.5);
  return sub ? kr_dd_add(l, kr_dd_add_d(kr_dd_two_prod(-54.0, KR_LN2_HI), -54.0 * KR_LN2_LO)) : l;
}

/* 2**k * (h + l) rounded once, also where the result is subnormal (h + l normalised, h in [0.7, 1.42]) */
static inline double kr_dd_scale_round(kr_dd v, int k) {
  if (k >= -1021) return ldexp(v.hi, k);   /* a normal result (h >= 0.7): exact scaling, or infinity as it should */
  if (k < -1080) return 0.0 * v.hi;
  /* in units of the least subnormal, 2**-1074, the ulp of every result below 2**-1021 (both scalings exact; h < 2**53): h + l to the nearest integer, ties to even */
  double h = ldexp(v.hi, k + 1074), l = ldexp(v.lo, k + 1074), n = floor(h), frac = (h - n) + l;
  if (frac > 0.5 || (frac == 0.5 && fmod(n, 2.0) != 0.0)) n += 1.0;
  else if (frac < -0.5 || (frac == -0.5 && fmod(n, 2.0) != 0.0)) n -= 1.0;
  return ldexp(n, -1074);
}

static inline double kr_pow_cr(double x, double y) {
  if (y == 0.0 || x == 1.0) return 1.0;
  if (isnan(x) || isnan(y)) return x + y;
  int yint = y == floor(y), yodd = yint && fabs(y) < 0x1p53 && fmod(fabs(y), 2.0) == 1.0;
  double ax = fabs(x), sign = signbit(x) && yodd ? -1.0 : 1.0;
  if (isinf(y)) return ax == 1.0 ? 1.0 : (ax > 1.0) == (y > 0.0) ? INFINITY : 0.0;
  if (ax == 0.0 || isinf(ax)) return (ax == 0.0) == (y < 0.0) ? sign * INFINITY : sign * 0.0;
  if (x < 0.0 && !yint) return NAN;
  if (ax == 1.0) return sign;   /* (-1)**y; also keeps a huge y out of the products below */
  if (y == 1.0) return x;
  if (y == 2.0) return x * x;      /* one rounding of the exact square: correctly rounded */
  if (y == -1.0) return 1.0 / x;
  if (y == 0.5) return sqrt(ax);   /* x > 0 here apart from -inf and -0, done above */
  kr_dd l = kr_dd_log(ax);
  double t0 = l.hi * y;   /* first the plain product: beyond these bounds the exact one would overflow */
  if (t0 > 710.0) return sign * INFINITY;
  if (t0 < -746.0) return sign * 0.0;
  kr_dd t = kr_dd_mul_d(l, y);
  int k;
  kr_dd e = kr_dd_exp_parts(t.hi, t.lo, &k);
  kr_dd v = kr_dd_add_d(e, 1.0);
  return sign * kr_dd_scale_round(v, k);
}

/* log(x) and log1p(x), correctly rounded as above (log1p: 1 + x as an exact sum, log(h + l) = log(h) + l / h since
 * |l / h| <= 2**-53 and its square is below the error) */
static inline double kr_log_cr(double x) { return kr_dd_log(x).hi; }
static inline double kr_log1p_cr(double x) {
  kr_dd w = kr_dd_two_sum(1.0, x);
  return kr_dd_add_d(kr_dd_log(w.hi), w.lo / w.hi).hi;
}

/* acosh, asinh and atanh by the formulas glibc and musl use (fdlibm's, in double), on correctly rounded log and
 * log1p: glibc's log is within 0.52 ulp and its log1p within 1, so these agree with glibc's far more often than
 * correctly rounded ones would (docs/design/numbers.md) */
static inline double kr_acosh_cr(double x) {
  if (!(x >= 1.0)) return NAN;
  if (x >= 0x1p28) return isinf(x) ? x : kr_log_cr(x) + KR_LN2_HI;
  if (x > 2.0) return kr_log_cr(2.0 * x - 1.0 / (x + sqrt(x * x - 1.0)));
  double t = x - 1.0;
  return kr_log1p_cr(t + sqrt(2.0 * t + t * t));
}
static inline double kr_asinh_cr(double x) {
  double a = fabs(x), r;
  if (!(a >= 0x1p-28) || isinf(a)) return x;   /* tiny (the rest of the series is below its half ulp), +-0, NaN, +-inf */
  if (a > 0x1p28) r = kr_log_cr(a) + KR_LN2_HI;
  else if (a > 2.0) r = kr_log_cr(2.0 * a + 1.0 / (sqrt(x * x + 1.0) + a));
  else {
    double t = x * x;
    r = kr_log1p_cr(a + t / (1.0 + sqrt(1.0 + t)));
  }
  return copysign(r, x);
}
static inline double kr_atanh_cr(double x) {
  double a = fabs(x);
  if (!(a < 1.0)) return a == 1.0 ? copysign(INFINITY, x) : NAN;
  if (a < 0x1p-28) return x;
  double t = a + a;
  return copysign(0.5 * kr_log1p_cr(a < 0.5 ? t + t * a / (1.0 - a) : t / (1.0 - a)), x);
}

#endif
