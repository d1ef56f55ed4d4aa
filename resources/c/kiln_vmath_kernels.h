/*
 * Kiln runtime, vectorised transcendental functions: a template instantiated by kiln_vmath.h once per vector ISA
 * (kiln_simd.h's protocol: KS_VB, KS_FMA, KS_SFX, KS_ATTR). No include guard, on purpose. Design, algorithms and measured
 * error bounds: docs/design/numpy-kernels.md. Coefficients: kiln_vmath_coeffs.h (scripts/vmath_coefficients.py).
 *
 * Every function works lane by lane with the same operations whatever the vector width, so a value gets the same
 * bits in a vector, in an array's tail and as a scalar (the scalar entry points run one lane). Special values are
 * NumPy's: NaN in, NaN out; overflow to inf and underflow to 0 or a subnormal; exp(-inf) = 0, log(0) = -inf,
 * log(x < 0) = NaN, sin/cos(inf) = NaN, tanh and erf of +-inf are +-1, the sign of zero kept by the odd functions.
 */
#define KV_FN(name) KS_CAT(name, KS_SFX)
#define vd KV_FN(kv_d)
#define vf KV_FN(kv_f)
#define vl KV_FN(kv_l)
#define vi KV_FN(kv_i)
#define vfh KV_FN(kv_fh)
typedef double vd __attribute__((vector_size(KS_VB)));
typedef float vf __attribute__((vector_size(KS_VB)));
typedef int64_t vl __attribute__((vector_size(KS_VB)));
typedef int32_t vi __attribute__((vector_size(KS_VB)));
typedef float vfh __attribute__((vector_size(KS_VB / 2))); /* as many floats as a vd has doubles */
#define VLD (KS_VB / 8)
#define VLF (KS_VB / 4)
/* float32 pow computed in float (f_powf32_core) where FMA makes its error-free products one instruction (x86-64 with
   FMA, arm64), so that those targets keep one another's bits; elsewhere (SSE2, wasm32, armv7, whose NEON also flushes
   float subnormals) in float64 (d_powf_core). */
#if KS_FMA && !defined(__arm__)
#define KV_POWF_FLOAT 1
#else
#define KV_POWF_FLOAT 0
#endif

/* ---- lane helpers ---- */
static KS_ATTR KILN_ALWAYS_INLINE vd KV_FN(d_splat)(double s) { vd v; KS_UNROLL for (int i = 0; i < VLD; i++) v[i] = s; return v; }
static KS_ATTR KILN_ALWAYS_INLINE vf KV_FN(f_splat)(float s) { vf v; KS_UNROLL for (int i = 0; i < VLF; i++) v[i] = s; return v; }
static KS_ATTR KILN_ALWAYS_INLINE vd KV_FN(d_sel)(vl m, vd a, vd b) { return (vd)((m & (vl)a) | (~m & (vl)b)); }
static KS_ATTR KILN_ALWAYS_INLINE vf KV_FN(f_sel)(vi m, vf a, vf b) { return (vf)((m & (vi)a) | (~m & (vi)b)); }
static KS_ATTR KILN_ALWAYS_INLINE vl KV_FN(l_sel)(vl m, vl a, vl b) { return (m & a) | (~m & b); }
static KS_ATTR KILN_ALWAYS_INLINE vd KV_FN(d_abs)(vd x) { return (vd)((vl)x & 0x7fffffffffffffffLL); }
static KS_ATTR KILN_ALWAYS_INLINE vf KV_FN(f_abs)(vf x) { return (vf)((vi)x & 0x7fffffff); }
/* a*b + c, fused where the target has FMA: the pow and trig reductions rely on it being exact there. GCC ignores the
   pragma (and the project builds with -ffp-contract=off), so with GCC each lane calls __builtin_fma: without it, GCC
   on arm64 or with -mfma gave float64 power errors of 36,706 ULP. */
#if KS_FMA && defined(__GNUC__) && !defined(__clang__)
static KS_ATTR KILN_ALWAYS_INLINE vd KV_FN(d_fma)(vd a, vd b, vd c) {
  KS_UNROLL for (int i = 0; i < VLD; i++) a[i] = __builtin_fma(a[i], b[i], c[i]);
  return a;
}
static KS_ATTR KILN_ALWAYS_INLINE vf KV_FN(f_fma)(vf a, vf b, vf c) {
  KS_UNROLL for (int i = 0; i < VLF; i++) a[i] = __builtin_fmaf(a[i], b[i], c[i]);
  return a;
}
#else
static KS_ATTR KILN_ALWAYS_INLINE vd KV_FN(d_fma)(vd a, vd b, vd c) {
#pragma STDC FP_CONTRACT ON
  return a * b + c;
}
static KS_ATTR KILN_ALWAYS_INLINE vf KV_FN(f_fma)(vf a, vf b, vf c) {
#pragma STDC FP_CONTRACT ON
  return a * b + c;
}
#endif
static KS_ATTR KILN_ALWAYS_INLINE int KV_FN(l_any)(vl m) { int64_t r = 0; KS_UNROLL for (int i = 0; i < VLD; i++) r |= m[i]; return r != 0; }
static KS_ATTR KILN_ALWAYS_INLINE int KV_FN(i_any)(vi m) { int32_t r = 0; KS_UNROLL for (int i = 0; i < VLF; i++) r |= m[i]; return r != 0; }
/* Horner's rule over a coefficient table c[0] + c[1] z + ... (fused where the target has FMA). */
#define KV_POLY_D(out, table, z) do { static const double kc_[] = table; const int kn_ = (int)(sizeof kc_ / sizeof kc_[0]); \
    vd kp_ = KV_FN(d_splat)(kc_[kn_ - 1]); KS_UNROLL for (int ki_ = kn_ - 2; ki_ >= 0; ki_--) kp_ = KV_FN(d_fma)(kp_, (z), KV_FN(d_splat)(kc_[ki_])); (out) = kp_; } while (0)
#define KV_POLY_F(out, table, z) do { static const float kc_[] = table; const int kn_ = (int)(sizeof kc_ / sizeof kc_[0]); \
    vf kp_ = KV_FN(f_splat)(kc_[kn_ - 1]); KS_UNROLL for (int ki_ = kn_ - 2; ki_ >= 0; ki_--) kp_ = KV_FN(f_fma)(kp_, (z), KV_FN(f_splat)(kc_[ki_])); (out) = kp_; } while (0)
/* k * 2**exp(bits) as a double from an integer lane |k| < 2**51, and back (the 1.5 * 2**52 trick: no conversion
   instruction needed, which SSE2 and AVX2 lack for 64-bit integers). */
#define KV_SHIFT_D 0x1.8p52
#define KV_SHIFT_F 0x1.8p23f
static KS_ATTR KILN_ALWAYS_INLINE vd KV_FN(d_from_l)(vl k) { return (vd)(k + (vl)KV_FN(d_splat)(KV_SHIFT_D)) - KV_SHIFT_D; }
/* 2**k for k in [-1022, 1023]. */
static KS_ATTR KILN_ALWAYS_INLINE vd KV_FN(d_pow2)(vl k) { return (vd)((k + 1023) << 52); }

/* ================= float64 ================= */

/* e**(r + rlo) - 1 for |r| <= ln2/2 (a little more is fine), |rlo| << |r|. */
static KS_ATTR KILN_ALWAYS_INLINE vd KV_FN(d_expm1_poly)(vd r, vd rlo) {
  vd p;
  KV_POLY_D(p, KV_EXP_P_F64, r);
  return r + KV_FN(d_fma)(r * r, p, rlo);          /* r + r**2 P(r) + rlo: e**r - 1 plus the low part */
}
/* 2**k * e**(r + rlo) for k in [-2044, 2046]: the scale in two halves, so that a subnormal result is rounded once,
   at the last multiplication. */
static KS_ATTR KILN_ALWAYS_INLINE vd KV_FN(d_exp_core)(vd r, vd rlo, vl k) {
  vl k1 = k >> 1, k2 = k - k1;
  return ((1.0 + KV_FN(d_expm1_poly)(r, rlo)) * KV_FN(d_pow2)(k1)) * KV_FN(d_pow2)(k2);
}
/* x = k ln2 + r + rlo, with k = round(x / ln2), for |x| <= 1400. */
static KS_ATTR KILN_ALWAYS_INLINE void KV_FN(d_exp_reduce)(vd x, vd *r, vd *rlo, vl *k) {
  vd t = x * 0x1.71547652b82fep0 + KV_SHIFT_D; /* x log2(e) + 1.5*2**52: rounds to an integer */
  vd kd = t - KV_SHIFT_D;
  *k = (vl)t - (vl)KV_FN(d_splat)(KV_SHIFT_D);
  vd hi = KV_FN(d_fma)(kd, KV_FN(d_splat)(-KV_LN2_F64_HI), x); /* exact: kd * LN2_HI has 32 + 11 bits */
  *r = KV_FN(d_fma)(kd, KV_FN(d_splat)(-KV_LN2_F64_LO), hi);
  *rlo = KV_FN(d_fma)(kd, KV_FN(d_splat)(-KV_LN2_F64_LO), hi - *r); /* what rounding r lost */
}
/* exp of a vector with a lane outside (-708, 708) or NaN: clamped, scaled in two steps, NaN kept. */
static KS_ATTR __attribute__((noinline, cold)) vd KV_FN(d_exp_wide)(vd x) {
  vd xc = KV_FN(d_sel)(x > 1400.0, KV_FN(d_splat)(1400.0), x);
  xc = KV_FN(d_sel)(xc < -1400.0, KV_FN(d_splat)(-1400.0), xc);
  vd r, rlo;
  vl k;
  KV_FN(d_exp_reduce)(xc, &r, &rlo, &k);
  vd y = KV_FN(d_exp_core)(r, rlo, k);
  return KV_FN(d_sel)(x != x, x, y);
}
/* exp of x in (-708, 708): the result is a normal number. */
static KS_ATTR KILN_ALWAYS_INLINE vd KV_FN(d_exp_normal)(vd x) {
  vd r, rlo;
  vl k;
  KV_FN(d_exp_reduce)(x, &r, &rlo, &k);
  vd y = 1.0 + KV_FN(d_expm1_poly)(r, rlo);
  return (vd)((vl)y + (k << 52));                  /* y 2**k */
}
static KS_ATTR KILN_ALWAYS_INLINE vd KV_FN(kv_exp_f64)(vd x) {
  if (KV_FN(l_any)(~((x < 708.0) & (x > -708.0)))) return KV_FN(d_exp_wide)(x);
  return KV_FN(d_exp_normal)(x);
}

/* log(xs) + kshift ln2 for xs positive and normal: the mantissa in [sqrt(2)/2, sqrt(2)), log(1+f) = 2s + s R(s**2). */
static KS_ATTR KILN_ALWAYS_INLINE vd KV_FN(d_log_core)(vd xs, vl kshift) {
  vl ix = (vl)xs - 0x3fe6a09e667f3bcdLL;           /* so that the mantissa lands in [sqrt(2)/2, sqrt(2)) */
  vl k = (ix >> 52) + kshift;
  vd m = (vd)((ix & 0x000fffffffffffffLL) + 0x3fe6a09e667f3bcdLL);
  vd f = m - 1.0;                                  /* exact */
  vd hfsq = 0.5 * f * f, s = f / (2.0 + f), z = s * s, R;
  KV_POLY_D(R, KV_LOG_R_F64, z);
  R = R * z;                                       /* log(1+f) = 2s + s R(s**2) */
  vd kd = KV_FN(d_from_l)(k);
  return kd * KV_LN2_F64_HI - ((hfsq - (s * (hfsq + R) + kd * KV_LN2_F64_LO)) - f);
}
/* log of a vector with a lane that is not a positive normal number: subnormals scaled by 2**54 first, then NumPy's
   special values (log(0) = -inf, log(x < 0) = NaN, log(inf) = inf, NaN kept). The other lanes' bits are the
   common path's (the same operations). */
static KS_ATTR __attribute__((noinline, cold)) vd KV_FN(d_log_wide)(vd x) {
  vl sub = x < 0x1p-1022;                          /* subnormals (and 0, negatives: fixed below) */
  vd y = KV_FN(d_log_core)(KV_FN(d_sel)(sub, x * 0x1p54, x), sub & -54);
  y = KV_FN(d_sel)(x == 0.0, KV_FN(d_splat)(-__builtin_inf()), y);
  y = KV_FN(d_sel)(x < 0.0, KV_FN(d_splat)(__builtin_nan("")), y);
  y = KV_FN(d_sel)(x == __builtin_inf(), x, y);
  return KV_FN(d_sel)(x != x, x, y);
}
static KS_ATTR KILN_ALWAYS_INLINE vd KV_FN(kv_log_f64)(vd x) {
  if (KV_FN(l_any)(~((x >= 0x1p-1022) & (x < __builtin_inf())))) return KV_FN(d_log_wide)(x);
  return KV_FN(d_log_core)(x, (vl){ 0 });
}

/* x = n pi/2 + (rh + rl) with n = round(x 2/pi), exactly enough for |x| <= KV_TRIG_LIMIT_F64: pi/2 in four pieces,
   the first three of 33 bits (n * piece exact for |n| < 2**20), subtracted with error-free sums. */
#define KV_TRIG_LIMIT_F64 0x1.8p20
static KS_ATTR KILN_ALWAYS_INLINE void KV_FN(d_trig_reduce)(vd x, vd *rh, vd *rl, vl *n) {
  vd t = x * 0x1.45f306dc9c883p-1 + KV_SHIFT_D;
  vd nd = t - KV_SHIFT_D;
  *n = (vl)t - (vl)KV_FN(d_splat)(KV_SHIFT_D);
  vd y1 = x - nd * KV_PIO2_F64_1;                  /* exact */
  vd w2 = nd * KV_PIO2_F64_2, y2 = y1 - w2;        /* exact product; two-sum for the difference */
  vd b2 = y2 - y1, e2 = (y1 - (y2 - b2)) - (w2 + b2);
  vd w3 = nd * KV_PIO2_F64_3, y3 = y2 - w3;
  vd b3 = y3 - y2, e3 = (y2 - (y3 - b3)) - (w3 + b3);
  vd lo = (e2 + e3) - nd * KV_PIO2_F64_4;
  *rh = y3 + lo;
  *rl = (y3 - *rh) + lo;
}
/* sin and cos of rh + rl, |rh| <= pi/4. */
static KS_ATTR KILN_ALWAYS_INLINE vd KV_FN(d_sin_kernel)(vd rh, vd rl) {
  vd z = rh * rh, S;
  KV_POLY_D(S, KV_SIN_S_F64, z);
  return rh + ((rh * z) * S + (rl - (0.5 * z) * rl));
}
static KS_ATTR KILN_ALWAYS_INLINE vd KV_FN(d_cos_kernel)(vd rh, vd rl) {
  vd z = rh * rh, C;
  KV_POLY_D(C, KV_COS_C_F64, z);
  vd hz = 0.5 * z, w = 1.0 - hz;
  return w + (((1.0 - w) - hz) + ((z * z) * C - rh * rl));
}
/* sin (cosine: odd = 1) of finite x with |x| <= KV_TRIG_LIMIT_F64: the quadrant of n + odd picks the kernel and sign. */
static KS_ATTR KILN_ALWAYS_INLINE vd KV_FN(d_sincos)(vd x, int odd) {
  vd rh, rl;
  vl n;
  KV_FN(d_trig_reduce)(x, &rh, &rl, &n);
  n += odd;
  vd s = KV_FN(d_sin_kernel)(rh, rl), c = KV_FN(d_cos_kernel)(rh, rl);
  vd y = KV_FN(d_sel)((n & 1) != 0, c, s);
  return (vd)((vl)y ^ ((n & 2) << 62));            /* quadrants 2 and 3: negate */
}
/* A vector with a lane that is zero (sin keeps -0.0), huge (the C library reduces it: Payne-Hanek), inf or NaN. */
static KS_ATTR __attribute__((noinline, cold)) vd KV_FN(d_sincos_wide)(vd x, int odd) {
  vd ax = KV_FN(d_abs)(x);
  vl big = ax > KV_TRIG_LIMIT_F64;
  vd y = KV_FN(d_sincos)(KV_FN(d_sel)(big | (x != x), KV_FN(d_splat)(0.0), x), odd);
  if (!odd) y = KV_FN(d_sel)(ax < 0x1p-27, x, y);  /* sin(x) = x there, and keeps -0.0 */
  y = KV_FN(d_sel)(ax == __builtin_inf(), KV_FN(d_splat)(__builtin_nan("")), y);
  y = KV_FN(d_sel)(x != x, x, y);
  for (int i = 0; i < VLD; i++)
    if (big[i] && ax[i] != __builtin_inf()) y[i] = odd ? cos(x[i]) : sin(x[i]);
  return y;
}
static KS_ATTR KILN_ALWAYS_INLINE vd KV_FN(kv_sin_f64)(vd x) {
  if (KV_FN(l_any)(~(KV_FN(d_abs)(x) <= KV_TRIG_LIMIT_F64) | (x == 0.0))) return KV_FN(d_sincos_wide)(x, 0);
  return KV_FN(d_sincos)(x, 0);
}
static KS_ATTR KILN_ALWAYS_INLINE vd KV_FN(kv_cos_f64)(vd x) {
  if (KV_FN(l_any)(~(KV_FN(d_abs)(x) <= KV_TRIG_LIMIT_F64))) return KV_FN(d_sincos_wide)(x, 1);
  return KV_FN(d_sincos)(x, 1);
}

/* tanh: x + x**3 P(x**2) below 0.625; above, 1 - 2 / (e**(2|x|) + 1), the sign of x back on. Both parts for every
   vector, without branches: in data that mixes both ranges, a branch per part missed often enough to cost a fifth
   of the time. */
static KS_ATTR KILN_ALWAYS_INLINE vd KV_FN(kv_tanh_f64)(vd x) {
  vd a = KV_FN(d_abs)(x);
  vl small = a < 0.625;
  vd z = x * x, P;
  KV_POLY_D(P, KV_TANH_P_F64, z);
  vd ps = x + (x * z) * P;
  vd ac = KV_FN(d_sel)(a > 22.0, KV_FN(d_splat)(22.0), a); /* tanh(22) rounds to 1; small lanes' t is not used (NaN: below) */
  vd t = 1.0 - 2.0 / (KV_FN(d_exp_normal)(2.0 * ac) + 1.0);
  t = (vd)((vl)t | ((vl)x & (vl)KV_FN(d_splat)(-0.0)));
  vd y = KV_FN(d_sel)(small, ps, t);
  return KV_FN(d_sel)(~(a >= 0x1p-28), x, y); /* x for tiny and NaN lanes, in one test */
}

/* erf: x + x Q(x**2) below 1; 1 - e**(-x**2) G(x) on [1, 6) with G = erfc(x) e**(x**2) in three pieces; 1 beyond. */
static KS_ATTR KILN_ALWAYS_INLINE vd KV_FN(kv_erf_f64)(vd x) {
  vd a = KV_FN(d_abs)(x);
  vd Q;
  KV_POLY_D(Q, KV_ERF_SMALL_F64, a * a);
  vd small = x + x * Q;
  static const double ca[] = KV_ERFC_A_F64, cb[] = KV_ERFC_B_F64, cc[] = KV_ERFC_C_F64;
  vl in_a = a < 2.0, in_b = a < 3.5;
  vd t = a - KV_FN(d_sel)(in_a, KV_FN(d_splat)(KV_ERFC_A_F64_CENTRE), KV_FN(d_sel)(in_b, KV_FN(d_splat)(KV_ERFC_B_F64_CENTRE), KV_FN(d_splat)(KV_ERFC_C_F64_CENTRE)));
  const int nc = (int)(sizeof ca / sizeof ca[0]);
  vd G = KV_FN(d_sel)(in_a, KV_FN(d_splat)(ca[nc - 1]), KV_FN(d_sel)(in_b, KV_FN(d_splat)(cb[nc - 1]), KV_FN(d_splat)(cc[nc - 1])));
  KS_UNROLL for (int i = nc - 2; i >= 0; i--)
    G = KV_FN(d_fma)(G, t, KV_FN(d_sel)(in_a, KV_FN(d_splat)(ca[i]), KV_FN(d_sel)(in_b, KV_FN(d_splat)(cb[i]), KV_FN(d_splat)(cc[i]))));
  vd ac = KV_FN(d_sel)(a > 6.0, KV_FN(d_splat)(6.0), a);
  vd big = 1.0 - KV_FN(kv_exp_f64)(-(ac * ac)) * G;
  big = KV_FN(d_sel)(a >= 6.0, KV_FN(d_splat)(1.0), big);
  big = (vd)((vl)big | ((vl)x & (vl)KV_FN(d_splat)(-0.0)));
  vd y = KV_FN(d_sel)(a < 1.0, small, big);
  return KV_FN(d_sel)(x != x, x, y);
}

/* ---- pow ---- */
/* The error of a product: a*b = p + e exactly. One FMA where the target has it and Dekker's split otherwise (17
   operations); both are exact while a*b neither overflows nor underflows, so they give the same e (pow's only product
   that can, y log|x| beyond 1400 in size, is clamped and its error dropped). */
static KS_ATTR KILN_ALWAYS_INLINE void KV_FN(d_two_prod)(vd a, vd b, vd *p, vd *e) {
  *p = a * b;
#if KS_FMA
  *e = KV_FN(d_fma)(a, b, -*p);
#else
  vd t = a * 134217729.0, ah = t - (t - a), al = a - ah;
  vd u = b * 134217729.0, bh = u - (u - b), bl = b - bh;
  *e = ((ah * bh - *p) + ah * bl + al * bh) + al * bl;
#endif
}
/* The lanes of a 16-entry table at the low 4 bits of idx: on AVX-512 one permute across the table's two registers,
   elsewhere a gather (AVX2) or a load per lane. */
static KS_ATTR KILN_ALWAYS_INLINE vd KV_FN(d_lookup16)(const double *t, vl idx) {
#if KS_VB == 64 && defined(__x86_64__) && defined(__clang__) /* the builtin is clang's (GCC's takes a mask) */
  typedef long long ll8 __attribute__((vector_size(64)));
  vd lo, hi;
  memcpy(&lo, t, sizeof lo);
  memcpy(&hi, t + 8, sizeof hi);
  return (vd)__builtin_ia32_vpermi2varpd512(lo, (ll8)idx, hi);
#else
  vd v;
  KS_UNROLL for (int i = 0; i < VLD; i++) v[i] = t[idx[i] & 15];
  return v;
#endif
}
/* float64 pow's tables (KV_PT): 16 entries on AVX-512, where one permute is a lookup and gathers are slow; 128
   elsewhere, where a lookup is a load per lane (or a gather) at any size, with shorter polynomials (log's P 5 terms
   instead of 9, exp's 4 instead of 6). The same code reads either. */
#if KS_VB == 64 && defined(__x86_64__) && defined(__clang__)
#define KV_PT_BITS KV_POW_BITS
#define KV_PT(name) kv_pow_##name
#define KV_PTC(name) KV_POW_##name
#define KV_PT_LOOKUP(t, i) KV_FN(d_lookup16)(t, i)
#else
#define KV_PT_BITS KV_POW128_BITS
#define KV_PT(name) kv_pow128_##name
#define KV_PTC(name) KV_POW128_##name
#define KV_PT_LOOKUP(t, i) KV_FN(d_lookup128)(t, i)
static KS_ATTR KILN_ALWAYS_INLINE vd KV_FN(d_lookup128)(const double *t, vl idx) {
  vd v;
  KS_UNROLL for (int i = 0; i < VLD; i++) v[i] = t[idx[i] & 127];
  return v;
}
#endif
/* log(xs) + kshift ln2 as hi + lo, to about 2**-67 relative, xs positive, finite and normal. xs = 2**k z with z in
   [0.7056, 1.4112), z in one of 16 (128) intervals whose c (kv_pow_invc: 1/c with few bits; log c in two parts) makes
   r = z/c - 1 exact (|r| < 0.039, 0.0055; c = 1 in the interval around 1), log(xs) = k ln2 + log c + log(1+r) with
   log(1+r) = r - r**2/2 + r**3/3 + r**4 P(r), the first terms' roundings kept exactly (the scheme of ARM's optimized-routines
   pow, written from its description). */
static KS_ATTR KILN_ALWAYS_INLINE void KV_FN(d_pow_log)(vd xs, vl kshift, vd *hi, vd *lo) {
  vl tmp = (vl)xs - KV_POW_OFF;
  vl i = (tmp >> (52 - KV_PT_BITS)) & ((1 << KV_PT_BITS) - 1);
  vl k = (tmp >> 52) + kshift;
  vd z = (vd)((vl)xs - ((tmp >> 52) << 52));
  vd invc = KV_PT_LOOKUP(KV_PT(invc), i), logc = KV_PT_LOOKUP(KV_PT(logc), i);
  vd logctail = KV_PT_LOOKUP(KV_PT(logclo), i);
  vd kd = KV_FN(d_from_l)(k);
  vd t1 = kd * KV_POW_LN2_HI + logc;               /* exact: both multiples of 2**-43 below 2**10 */
  vd lo1 = kd * KV_POW_LN2_LO + logctail;
#if KS_FMA
  vd r = KV_FN(d_fma)(z, invc, KV_FN(d_splat)(-1.0)); /* exact */
  vd rerr = KV_FN(d_splat)(0.0);
  vd t2 = t1 + r, lo2 = t1 - t2 + r;               /* |t1| >= |r| or t1 == 0 */
  vd ar = -0.5 * r, ar2 = r * ar;                  /* -r**2/2 = ar2 + lo3 */
  vd h = t2 + ar2;
  vd lo3 = KV_FN(d_fma)(ar, r, -ar2), lo4 = t2 - h + ar2;
#else
  /* z = zhi + zlo with zhi of 21 bits: rhi = zhi invc - 1 and rhi**2 exact, rlo = zlo invc to 2**-74 */
  vd zhi = (vd)(((vl)z + (1LL << 31)) & -(1LL << 32));
  vd zlo = z - zhi;
  vd rhi = zhi * invc - 1.0, rlo = zlo * invc;
  vd r = rhi + rlo, rerr = (rhi - r) + rlo;        /* r + rerr = rhi + rlo exactly (|rhi| >= |rlo| or rhi == 0) */
  vd t2 = t1 + r, lo2 = t1 - t2 + r;
  vd ar = -0.5 * r, arhi = -0.5 * rhi, ar2 = rhi * arhi; /* -r**2/2 = ar2 + rlo (ar + arhi) */
  vd h = t2 + ar2;
  vd lo3 = rlo * (ar + arhi), lo4 = t2 - h + ar2;
#endif
  /* r**3/3 = -(2/3) r (ar2 + lo3) in double-double, its high part summed exactly into h: where log c and r cancel
     (x just past the interval of c = 1), r**3/3 is up to 6e-4 of log x, and its rounding times |y log x| (745) was
     0.5 ULP of the result. */
  vd u, ue, v, ve;
  KV_FN(d_two_prod)(r, ar2, &u, &ue);
  KV_FN(d_two_prod)(KV_FN(d_splat)(-0x1.5555555555555p-1), u, &v, &ve); /* -2/3 = this - 0x1.5555555555555p-55 */
  vd vlo = ve + (-0x1.5555555555555p-1 * (ue + r * lo3) - 0x1.5555555555555p-55 * u);
  vd h2 = h + v, lo5 = h - h2 + v;
  vd P;
  KV_POLY_D(P, KV_PTC(LOG_P_F64), r);
  vd rr = r * r;
  vd p = (rr * rr) * P;                             /* r**4 P(r) */
  vd l = lo1 + lo2 + lo3 + lo4 + lo5 + rerr + vlo + p;
  *hi = h2 + l;
  *lo = h2 - *hi + l;
}
/* e**(eh + el) = 2**(ki/16) e**r (1 + tail): the scale's table entry t, its exponent K (ki >> 4) and tmp, with the
   result t 2**K (1 + tmp). |eh| <= 1400, |el| << |eh|. */
static KS_ATTR KILN_ALWAYS_INLINE vd KV_FN(d_pow_exp)(vd eh, vd el, vd *t, vl *K) {
  vd s = eh * KV_PTC(INVLN2N) + KV_SHIFT_D;         /* rounds to the integer ki */
  vd kd = s - KV_SHIFT_D;
  vl ki = (vl)s - (vl)KV_FN(d_splat)(KV_SHIFT_D);
  vd r = KV_FN(d_fma)(kd, KV_FN(d_splat)(-KV_PTC(LN2N_HI)), eh); /* exact */
  r = KV_FN(d_fma)(kd, KV_FN(d_splat)(-KV_PTC(LN2N_LO)), r) + el;
  vl j = ki & ((1 << KV_PT_BITS) - 1);
  vd tail = KV_PT_LOOKUP(KV_PT(exp_tail), j);
  *t = KV_PT_LOOKUP(KV_PT(exp_t), j);
  *K = ki >> KV_PT_BITS;
  vd P;
  KV_POLY_D(P, KV_PTC(EXP_P_F64), r);
  return tail + KV_FN(d_fma)(r * r, P, r);        /* tail + r + r**2 P(r) */
}
/* C99's and NumPy's special cases of pow around mag = |x|**y (computed for finite nonzero x): zeros, infinities, NaN,
   negative x (an odd integer power keeps the sign, a non-integer power is NaN). */
static KS_ATTR KILN_ALWAYS_INLINE vd KV_FN(d_pow_special)(vd x, vd y, vd mag) {
  vd ax = KV_FN(d_abs)(x), ay = KV_FN(d_abs)(y);
  /* y an integer? and odd? (|y| >= 2**53 is an even integer) */
  vl below = ay < 0x1p52;
  vd yt = KV_FN(d_sel)(below, (ay + 0x1p52) - 0x1p52, ay); /* |y| rounded to an integer (above 2**52 it is one) */
  vl y_int = yt == ay;
  vl parity = KV_FN(l_sel)(below, (vl)(ay + 0x1p52), (vl)ay) & 1; /* the integer's last bit */
  vl y_odd = y_int & (ay < 0x1p53) & (parity != 0);
  /* x == 0: +0 or +inf, by the sign of y; x == inf: the reverse */
  vl x_zero = ax == 0.0, x_inf = ax == __builtin_inf();
  mag = KV_FN(d_sel)(x_zero, KV_FN(d_sel)(y < 0.0, KV_FN(d_splat)(__builtin_inf()), KV_FN(d_splat)(0.0)), mag);
  mag = KV_FN(d_sel)(x_inf, KV_FN(d_sel)(y < 0.0, KV_FN(d_splat)(0.0), KV_FN(d_splat)(__builtin_inf())), mag);
  /* y == +-inf: 1 for |x| == 1, else 0 or inf */
  vl y_inf = ay == __builtin_inf();
  vd yinf = KV_FN(d_sel)(ax == 1.0, KV_FN(d_splat)(1.0), KV_FN(d_sel)((ax < 1.0) == (y < 0.0), KV_FN(d_splat)(__builtin_inf()), KV_FN(d_splat)(0.0)));
  mag = KV_FN(d_sel)(y_inf, yinf, mag);
  vl x_neg = (vl)x < 0;
  vd res = KV_FN(d_sel)(x_neg & y_odd & ~y_inf, -mag, mag);
  res = KV_FN(d_sel)(x_neg & ~y_int & ~y_inf & ~x_inf & ~x_zero, KV_FN(d_splat)(__builtin_nan("")), res);
  res = KV_FN(d_sel)((x != x) | (y != y), x + y, res);
  return KV_FN(d_sel)((x == 1.0) | (y == 0.0), KV_FN(d_splat)(1.0), res); /* even pow(1, nan) and pow(nan, 0) */
}
/* x**y for vectors with a lane whose x is not positive, normal and finite, whose y is not finite, or whose |y log|x||
   is 708 or more (a result that may not be normal): log of subnormals scaled, y log|x| clamped to +-1400 and the
   result scaled in two steps, then the special cases. Ordinary lanes get kv_pow_f64's bits (scaling by a power of 2
   commutes with the rounding of a normal result). */
static KS_ATTR __attribute__((noinline, cold)) vd KV_FN(d_pow_wide)(vd x, vd y) {
  vd ax = KV_FN(d_abs)(x);
  vd axs = KV_FN(d_sel)((ax == 0.0) | (ax == __builtin_inf()) | (ax != ax), KV_FN(d_splat)(1.0), ax);
  vl sub = axs < 0x1p-1022;
  vd lh, ll;
  KV_FN(d_pow_log)(KV_FN(d_sel)(sub, axs * 0x1p54, axs), sub & -54, &lh, &ll);
  vd ph, pe;
  KV_FN(d_two_prod)(y, lh, &ph, &pe);
  pe = pe + y * ll;
  vl wild = (y != y) | (KV_FN(d_abs)(y) == __builtin_inf()); /* special-cased below; keep the table indices sane */
  ph = KV_FN(d_sel)(wild, KV_FN(d_splat)(0.0), ph);
  vd pc = KV_FN(d_sel)(ph > 1400.0, KV_FN(d_splat)(1400.0), KV_FN(d_sel)(ph < -1400.0, KV_FN(d_splat)(-1400.0), ph));
  pe = KV_FN(d_sel)((pc != ph) | wild, KV_FN(d_splat)(0.0), pe);
  vd t;
  vl K;
  vd tmp = KV_FN(d_pow_exp)(pc, pe, &t, &K);
  vl K1 = K >> 1, K2 = K - K1;
  vd mag = (KV_FN(d_fma)(t, tmp, t) * KV_FN(d_pow2)(K1)) * KV_FN(d_pow2)(K2);
  return KV_FN(d_pow_special)(x, y, mag);
}
/* x**y: |x|**y = e**(y log|x|) with log|x| and the product in double-double (the result's relative error is the
   absolute error of y log|x|, up to 745 in size): d_pow_log, d_pow_exp. The common vector (x positive, normal and
   finite, y finite, the result normal) needs no special case: x == 1 and y == 0 give exactly 1 there. */
static KS_ATTR KILN_ALWAYS_INLINE vd KV_FN(kv_pow_f64)(vd x, vd y) {
  vl ordinary = (x >= 0x1p-1022) & (x < __builtin_inf()) & (KV_FN(d_abs)(y) < __builtin_inf());
  vd lh, ll;
  KV_FN(d_pow_log)(KV_FN(d_sel)(ordinary, x, KV_FN(d_splat)(1.0)), (vl){ 0 }, &lh, &ll);
  vd ph, pe;
  KV_FN(d_two_prod)(y, lh, &ph, &pe);
  if (KV_FN(l_any)(~(ordinary & (KV_FN(d_abs)(ph) < 708.0)))) return KV_FN(d_pow_wide)(x, y);
  pe = pe + y * ll;                                /* y log|x| = ph + pe */
  vd t;
  vl K;
  vd tmp = KV_FN(d_pow_exp)(ph, pe, &t, &K);
  vd s = (vd)((vl)t + (K << 52));                  /* t 2**K, normal */
  return KV_FN(d_fma)(s, tmp, s);
}
static KS_ATTR KILN_ALWAYS_INLINE vd KV_FN(kv_sqrt_f64)(vd x) {
  vd y;
  KS_UNROLL for (int i = 0; i < VLD; i++) y[i] = __builtin_sqrt(x[i]);
  return y;
}

/* ================= float32 ================= */
/* The lanes of a 16- or 32-entry float table (64-byte aligned) at the low 4 or 5 bits of idx: on AVX-512 one permute
   (across the table's two registers for 32), on AVX2 two or four 8-entry permutes and blends on the index's bits,
   elsewhere a load per lane. The builtins are clang's (GCC's take other arguments). */
#if KS_VB == 64 && defined(__x86_64__) && defined(__clang__)
static KS_ATTR KILN_ALWAYS_INLINE vf KV_FN(f_lookup16)(const float *t, vi idx) {
  vf a;
  memcpy(&a, t, sizeof a);
  return (vf)__builtin_ia32_permvarsf512(a, idx);
}
static KS_ATTR KILN_ALWAYS_INLINE vf KV_FN(f_lookup32)(const float *t, vi idx) {
  vf lo, hi;
  memcpy(&lo, t, sizeof lo);
  memcpy(&hi, t + 16, sizeof hi);
  return (vf)__builtin_ia32_vpermi2varps512(lo, idx, hi);
}
#elif KS_VB == 32 && defined(__x86_64__) && defined(__clang__)
static KS_ATTR KILN_ALWAYS_INLINE vf KV_FN(f_lookup16)(const float *t, vi idx) {
  vf a, b;
  memcpy(&a, t, sizeof a);
  memcpy(&b, t + 8, sizeof b);
  return (vf)__builtin_ia32_blendvps256(__builtin_ia32_permvarsf256(a, idx), __builtin_ia32_permvarsf256(b, idx), (vf)(idx << 28));
}
static KS_ATTR KILN_ALWAYS_INLINE vf KV_FN(f_lookup32)(const float *t, vi idx) {
  vf lo = KV_FN(f_lookup16)(t, idx), hi = KV_FN(f_lookup16)(t + 16, idx);
  return (vf)__builtin_ia32_blendvps256(lo, hi, (vf)(idx << 27));
}
#else
static KS_ATTR KILN_ALWAYS_INLINE vf KV_FN(f_lookup16)(const float *t, vi idx) {
  vf v;
  KS_UNROLL for (int i = 0; i < VLF; i++) v[i] = t[idx[i] & 15];
  return v;
}
static KS_ATTR KILN_ALWAYS_INLINE vf KV_FN(f_lookup32)(const float *t, vi idx) {
  vf v;
  KS_UNROLL for (int i = 0; i < VLF; i++) v[i] = t[idx[i] & 31];
  return v;
}
#endif
/* float -> double, exact. On ARMv7 lane by lane from the bits, with integer operations only: a conversion the compiler
   sees (fpext) lets it compare the narrower floats instead, which ARMv7's NEON does with subnormals flushed to zero.
   Elsewhere floats are IEEE and the conversion is one instruction (a fifth of float32 power's time on x86-64). */
static KS_ATTR KILN_ALWAYS_INLINE vd KV_FN(d_from_fh)(vfh h) {
#if !defined(__arm__)
  return __builtin_convertvector(h, vd);
#else
  typedef int32_t vih __attribute__((vector_size(KS_VB / 2)));
  vih b32;
  memcpy(&b32, &h, sizeof b32);
  vl b = __builtin_convertvector(b32, vl) & 0xffffffffLL;
  vl sign = (b >> 31) << 63, e = (b >> 23) & 0xff, m = b & 0x7fffff;
  vl normal = sign | ((e + (1023 - 127)) << 52) | (m << 29);
  vl special = sign | (0x7ffLL << 52) | (m << 29);          /* inf, NaN */
  vl sub = (vl)(KV_FN(d_from_l)(m) * 0x1p-149) | sign;       /* m 2**-149, exact */
  return (vd)KV_FN(l_sel)(e == 0, sub, KV_FN(l_sel)(e == 0xff, special, normal));
#endif
}
/* A float vector through a float64 function, rounded once at the end: the path for lanes whose results or inputs are
   subnormal (ARMv7's NEON flushes float subnormals to zero; float64 there is IEEE), infinite or NaN. */
static KS_ATTR __attribute__((noinline, cold)) vf KV_FN(f_via_d)(vf x, int fn) {
  vfh h[2];
  memcpy(h, &x, sizeof x);
  for (int i = 0; i < 2; i++) {
    vd d = KV_FN(d_from_fh)(h[i]);
    h[i] = __builtin_convertvector(fn ? KV_FN(kv_log_f64)(d) : KV_FN(kv_exp_f64)(d), vfh);
  }
  memcpy(&x, h, sizeof x);
  return x;
}
/* exp for results in the normal range (x in (-87.3, 88.7)); other lanes through float64 (each lane's bits do not
   depend on its neighbours). */
static KS_ATTR KILN_ALWAYS_INLINE vf KV_FN(f_exp_normal)(vf x) {
  vf t = x * 0x1.715476p0f + KV_SHIFT_F, kd = t - KV_SHIFT_F;
  vi k = (vi)t - (vi)KV_FN(f_splat)(KV_SHIFT_F);
  vf hi = KV_FN(f_fma)(kd, KV_FN(f_splat)(-KV_LN2_F32_HI), x); /* exact */
  vf r = KV_FN(f_fma)(kd, KV_FN(f_splat)(-KV_LN2_F32_LO), hi);
  vf rlo = KV_FN(f_fma)(kd, KV_FN(f_splat)(-KV_LN2_F32_LO), hi - r), p;
  KV_POLY_F(p, KV_EXP_P_F32, r);
  vf y = 1.0f + (r + KV_FN(f_fma)(r * r, p, rlo));
  return (vf)((vi)y + (k << 23));
}
/* e**x as f_exp_normal without the low part of the reduction (what rounding r lost): for tanh's large part on the paths
   without its table (all but AVX-512), where the error it leaves in 1 - 2 / (e**2|x| + 1) is small (1.332 ULP at most
   over every float in [0.625, 10] on the AVX2 and SSE2 paths, against 1.318 with it; bound 1.5), and fewer
   operations a vector. */
static KS_ATTR KILN_ALWAYS_INLINE vf KV_FN(f_exp_short)(vf x) {
  vf t = x * 0x1.715476p0f + KV_SHIFT_F, kd = t - KV_SHIFT_F;
  vi k = (vi)t - (vi)KV_FN(f_splat)(KV_SHIFT_F);
  vf hi = KV_FN(f_fma)(kd, KV_FN(f_splat)(-KV_LN2_F32_HI), x); /* exact */
  vf r = KV_FN(f_fma)(kd, KV_FN(f_splat)(-KV_LN2_F32_LO), hi), p;
  KV_POLY_F(p, KV_EXP_P_F32, r);
  vf y = 1.0f + KV_FN(f_fma)(r * r, p, r);
  return (vf)((vi)y + (k << 23));
}
static KS_ATTR KILN_ALWAYS_INLINE vf KV_FN(kv_exp_f32)(vf x) {
  vi ok = (x > -87.3f) & (x < 88.7f);
  if (KV_FN(i_any)(~ok)) return KV_FN(f_sel)(ok, KV_FN(f_exp_normal)(KV_FN(f_sel)(ok, x, KV_FN(f_splat)(0.0f))), KV_FN(f_via_d)(x, 0));
  return KV_FN(f_exp_normal)(x);
}
/* log for normal positive finite x; zeros, subnormals, negatives, inf and NaN through float64. */
static KS_ATTR KILN_ALWAYS_INLINE vf KV_FN(f_log_normal)(vf x) {
  vi ix = (vi)x - 0x3f3504f3;
  vi k = ix >> 23;
  vf m = (vf)((ix & 0x007fffff) + 0x3f3504f3);
  vf f = m - 1.0f;
  vf hfsq = 0.5f * f * f, s = f / (2.0f + f), z = s * s, R;
  KV_POLY_F(R, KV_LOG_R_F32, z);
  R = R * z;
  vf kd = __builtin_convertvector(k, vf);
  return kd * KV_LN2_F32_HI - ((hfsq - (s * (hfsq + R) + kd * KV_LN2_F32_LO)) - f);
}
static KS_ATTR KILN_ALWAYS_INLINE vf KV_FN(kv_log_f32)(vf x) {
  vi ok = (x >= 0x1p-126f) & (x < __builtin_inff());
  if (KV_FN(i_any)(~ok)) return KV_FN(f_sel)(ok, KV_FN(f_log_normal)(KV_FN(f_sel)(ok, x, KV_FN(f_splat)(1.0f))), KV_FN(f_via_d)(x, 1));
  return KV_FN(f_log_normal)(x);
}
#define KV_TRIG_LIMIT_F32 0x1.8p12f
/* x = n pi/2 + rh + rl, |rh| <= pi/4 (a little more), rl within an ULP or so of rh, for |x| <= KV_TRIG_LIMIT_F32.
   Returns the lanes this reduction does not take (f_trig_reduce_near does): with FMA those with |x - n P1| < 2**-11
   (zero among them), without FMA zeros (only for sin's -0.0). */
static KS_ATTR KILN_ALWAYS_INLINE vi KV_FN(f_trig_reduce)(vf x, vf *rh, vf *rl, vi *n) {
  vf t = x * 0x1.45f306p-1f + KV_SHIFT_F, nd = t - KV_SHIFT_F;
  *n = (vi)t - (vi)KV_FN(f_splat)(KV_SHIFT_F);
#if KS_FMA
  /* With FMA: pi/2 = P1 + P2 + P3 in float pieces. r1 = x - n P1 is exact (one FMA); rh = r1 - n P2 rounded once
     (|n P2| < 2**-12.5); where |r1| >= 2**-11, rh is within a factor 2 of r1, so r1 - rh is exact (Sterbenz) and
     rh's error (r1 - rh) - n P2 is one more FMA; then - n P3. Lanes nearer a multiple of pi/2 (one in 1,600 of
     uniform inputs) could lose that error: f_trig_reduce_near. */
  vf p2 = KV_FN(f_splat)(-KV_PIO2FMA_F32_2);       /* the pieces negated: n * -P is -(n P) exactly */
  vf r1 = KV_FN(f_fma)(nd, KV_FN(f_splat)(-KV_PIO2FMA_F32_1), x);
  *rh = KV_FN(f_fma)(nd, p2, r1);
  *rl = KV_FN(f_fma)(nd, KV_FN(f_splat)(-KV_PIO2FMA_F32_3), KV_FN(f_fma)(nd, p2, r1 - *rh));
  return KV_FN(f_abs)(r1) < 0x1p-11f;
#else
  /* Without: 12-bit pieces (n * piece exact) subtracted with error-free sums. */
  vf y1 = x - nd * KV_PIO2_F32_1;
  vf w2 = nd * KV_PIO2_F32_2, y2 = y1 - w2;
  vf b2 = y2 - y1, e2 = (y1 - (y2 - b2)) - (w2 + b2);
  vf w3 = nd * KV_PIO2_F32_3, y3 = y2 - w3;
  vf b3 = y3 - y2, e3 = (y2 - (y3 - b3)) - (w3 + b3);
  vf lo = (e2 + e3) - nd * KV_PIO2_F32_4;
  *rh = y3 + lo;
  *rl = (y3 - *rh) + lo;
  return x == 0.0f;
#endif
}
/* f_trig_reduce, and for the lanes it does not take (FMA only) r1 - n P2 by error-free sums instead: n P2 = ch + cl
   exactly, r1 - ch by a two-sum, cl added to its error, renormalised, then - n P3. Other lanes keep their bits. */
static KS_ATTR KILN_ALWAYS_INLINE void KV_FN(f_trig_reduce_near)(vf x, vf *rh, vf *rl, vi *n) {
  vi near = KV_FN(f_trig_reduce)(x, rh, rl, n);
#if KS_FMA
  vf nd = __builtin_convertvector(*n, vf);          /* |n| < 2**12: exact */
  vf p2 = KV_FN(f_splat)(KV_PIO2FMA_F32_2);
  vf r1 = KV_FN(f_fma)(-nd, KV_FN(f_splat)(KV_PIO2FMA_F32_1), x);
  vf ch = nd * p2, cl = KV_FN(f_fma)(nd, p2, -ch);
  vf s0 = r1 - ch, bb = s0 - r1, e = (r1 - (s0 - bb)) - (ch + bb);
  vf lo = e - cl, h = s0 + lo;
  vf l = KV_FN(f_fma)(-nd, KV_FN(f_splat)(KV_PIO2FMA_F32_3), (s0 - h) + lo);
  *rl = KV_FN(f_sel)(near, l, *rl);
  *rh = KV_FN(f_sel)(near, h, *rh);
#else
  (void)near;
#endif
}
/* sin (cosine: n + 1) of rh + rl in quadrant n: both kernels for every lane, the quadrant picks one and the sign. */
static KS_ATTR KILN_ALWAYS_INLINE vf KV_FN(f_sincos_poly)(vf rh, vf rl, vi n) {
  vf z = rh * rh, S, C;
  KV_POLY_F(S, KV_SIN_S_F32, z);
  KV_POLY_F(C, KV_COS_C_F32, z);
  vf s = rh + ((rh * z) * S + (rl - (0.5f * z) * rl));
  vf hz = 0.5f * z, w = 1.0f - hz;
  vf c = w + (((1.0f - w) - hz) + ((z * z) * C - rh * rl));
  vf y = (vf)((vi)s ^ (((n << 31) >> 31) & ((vi)s ^ (vi)c))); /* odd quadrants: cosine */
  return (vf)((vi)y ^ ((n & 2) << 30));
}
/* A vector with a lane f_trig_reduce does not take, huge (the C library reduces it in double: Payne-Hanek), inf or
   NaN. Ordinary lanes get the common path's bits (the same operations). */
static KS_ATTR __attribute__((noinline, cold)) vf KV_FN(f_sincos_wide)(vf x, int odd) {
  vf ax = KV_FN(f_abs)(x);
  vi big = ax > KV_TRIG_LIMIT_F32;
  vf rh, rl;
  vi n;
  KV_FN(f_trig_reduce_near)(KV_FN(f_sel)(big | (x != x), KV_FN(f_splat)(0.0f), x), &rh, &rl, &n);
  vf y = KV_FN(f_sincos_poly)(rh, rl, n + odd);
  if (!odd) y = KV_FN(f_sel)(ax < 0x1p-12f, x, y);  /* sin(x) = x there, and keeps -0.0 */
  y = KV_FN(f_sel)(ax == __builtin_inff(), KV_FN(f_splat)(__builtin_nanf("")), y);
  y = KV_FN(f_sel)(x != x, x, y);
  for (int i = 0; i < VLF; i++)
    if (big[i] && ax[i] != __builtin_inff()) y[i] = (float)(odd ? cos((double)x[i]) : sin((double)x[i]));
  return y;
}
/* One test for every unusual lane: the reduction's own (near a multiple of pi/2, zero) and |x| > the limit, inf, NaN. */
static KS_ATTR KILN_ALWAYS_INLINE vf KV_FN(f_sincos)(vf x, int odd) {
  vf rh, rl;
  vi n;
  vi other = KV_FN(f_trig_reduce)(x, &rh, &rl, &n);
  if (KV_FN(i_any)(other | ~(KV_FN(f_abs)(x) <= KV_TRIG_LIMIT_F32))) return KV_FN(f_sincos_wide)(x, odd);
  return KV_FN(f_sincos_poly)(rh, rl, n + odd);
}
static KS_ATTR KILN_ALWAYS_INLINE vf KV_FN(kv_sin_f32)(vf x) { return KV_FN(f_sincos)(x, 0); }
static KS_ATTR KILN_ALWAYS_INLINE vf KV_FN(kv_cos_f32)(vf x) { return KV_FN(f_sincos)(x, 1); }
#if KS_VB == 64 && defined(__x86_64__) && defined(__clang__) /* the builtin is clang's (GCC's takes a mask) */
/* tanh on AVX-512: a polynomial per interval of |x| (NumPy's scheme; the coefficients are ours, kv_tanhf_*), no exp,
   no division, no select between parts: 32 intervals, [0, 0.039), quarters of the binades from 2**-5 up to 7, and
   [7, 10] (|x| is clamped to 10, where tanh rounds to 1). Each has a centre p whose tanh is within a tiny fraction
   of an ULP of the float c0, t = |x| - p is exact, and tanh(p + t) = c0 + t q(t), q of degree 5 (2**-30 relative
   at most): the result's error is its rounding and that of t q, at most a fraction of it. The first interval has
   p = c0 = 0, so zeros keep their sign and tiny x gives x; NaN stays NaN. One permute per coefficient: other paths
   would look up lane by lane, slower than the exp they use (below). */
static KS_ATTR KILN_ALWAYS_INLINE vf KV_FN(kv_tanh_f32)(vf x) {
  vf a = KV_FN(f_abs)(x);
  vf ac = KV_FN(f_sel)(a > 10.0f, KV_FN(f_splat)(10.0f), a);
  vi i = ((vi)ac - (vi)KV_FN(f_splat)(KV_TANHF_A0)) >> 21;
  i = (vi)KV_FN(f_sel)(i < 0, (vf)(vi){ 0 }, (vf)i);
  i = (vi)KV_FN(f_sel)(i > 31, (vf)((vi){ 0 } + 31), (vf)i);
  vf t = ac - KV_FN(f_lookup32)(kv_tanhf_p, i);
  vf q = KV_FN(f_lookup32)(kv_tanhf_c[KV_TANHF_NC], i);
  KS_UNROLL for (int k = KV_TANHF_NC - 1; k >= 0; k--) q = KV_FN(f_fma)(q, t, KV_FN(f_lookup32)(kv_tanhf_c[k], i));
  return (vf)((vi)q | ((vi)x & (vi)KV_FN(f_splat)(-0.0f)));
}
#else
/* As kv_tanh_f64: both parts for every vector, without branches, the large one on exp (on expm1 it took a fifth more
   time for the same maximum error, 1.318 ULP over every float in [0.625, 10] on AVX-512, AVX2 and SSE2). */
static KS_ATTR KILN_ALWAYS_INLINE vf KV_FN(kv_tanh_f32)(vf x) {
  vf a = KV_FN(f_abs)(x);
  vi small = a < 0.625f;
  vf z = x * x, P;
  KV_POLY_F(P, KV_TANH_P_F32, z);
  vf ps = x + (x * z) * P;
  vf ac = KV_FN(f_sel)(a > 10.0f, KV_FN(f_splat)(10.0f), a); /* tanh(10) rounds to 1; small lanes' t is not used */
  vf t = 1.0f - 2.0f / (KV_FN(f_exp_short)(2.0f * ac) + 1.0f);
  t = (vf)((vi)t | ((vi)x & (vi)KV_FN(f_splat)(-0.0f)));
  vf y = KV_FN(f_sel)(small, ps, t);
  return KV_FN(f_sel)(~(a >= 0x1p-12f), x, y); /* x for tiny and NaN lanes, in one test */
}
#endif
static KS_ATTR KILN_ALWAYS_INLINE vf KV_FN(kv_sqrt_f32)(vf x) {
  vf y;
  KS_UNROLL for (int i = 0; i < VLF; i++) y[i] = __builtin_sqrtf(x[i]);
  return y;
}

/* float32 x**y in float64 (the paths without FMA, and the unusual lanes of f_powf32_core's): e**(y log|x|) rounded
   once at the end, from float64 pow's tables. The result needs the absolute error of y log|x| below about 2**-32
   (|y log|x|| < 104 for every finite nonzero float result), far less than float64 pow gives, so: log|x| = k ln2 +
   log c + log(1+r) with r = z/c - 1 exact (d_pow_log's reduction), log c without its low part (2**-44 at most,
   where |log x| > 0.02) and log(1+r) = r + r**2 Q(r) to 2**-41 relative;
   e**p = 2**(ki/16) e**r with ki = round(16 p / ln2), 2**(j/16) float64 pow's t without its tail, e**r = 1 + r + r**2 P(r)
   to 2**-36. No division, two lookups per function (one permute each on AVX-512). A float is a normal double and
   p is clamped to +-150 (beyond +-104 the float result is inf or 0), so the common vector (x positive and finite, y
   finite) needs no other case (x == 1 and y == 0 give exactly 1); any other goes through d_pow_f32_wide (the same
   operations for its ordinary lanes). */
static KS_ATTR KILN_ALWAYS_INLINE vd KV_FN(d_cvt_l)(vl k) {
#if KS_VB == 64 || defined(__aarch64__)
  return __builtin_convertvector(k, vd);           /* one instruction (AVX-512DQ, NEON) */
#else
  return KV_FN(d_from_l)(k);
#endif
}
static KS_ATTR KILN_ALWAYS_INLINE vd KV_FN(d_powf_core)(vd x, vd y) {
  vl tmp = (vl)x - KV_POW_OFF;
  vl i = tmp >> (52 - KV_POW_BITS);                /* the lookups read its low bits */
  vd z = (vd)((vl)x - ((tmp >> 52) << 52));
  vd invc = KV_FN(d_lookup16)(kv_pow_invc, i), logc = KV_FN(d_lookup16)(kv_pow_logc, i);
  vd r = KV_FN(d_fma)(z, invc, KV_FN(d_splat)(-1.0)); /* exact */
  vd l0 = KV_FN(d_fma)(KV_FN(d_cvt_l)(tmp >> 52), KV_FN(d_splat)(0x1.62e42fefa39efp-1), logc), Q;
  KV_POLY_D(Q, KV_POWF_LOG_Q_F64, r);
  vd l = KV_FN(d_fma)(KV_FN(d_fma)(Q, r, KV_FN(d_splat)(1.0)), r, l0); /* l0 + r (1 + r Q(r)) */
  vd p = y * l;
  p = KV_FN(d_sel)(p > 150.0, KV_FN(d_splat)(150.0), p);
  p = KV_FN(d_sel)(p < -150.0, KV_FN(d_splat)(-150.0), p);
  vd s = KV_FN(d_fma)(p, KV_FN(d_splat)(KV_POW_INVLN2N), KV_FN(d_splat)(KV_SHIFT_D)); /* rounds to the integer ki */
  vd kd = s - KV_SHIFT_D;
  vd e = KV_FN(d_fma)(kd, KV_FN(d_splat)(-0x1.62e42fefa39efp-5), p), P; /* p - ki ln2/16 */
  vd tj = KV_FN(d_lookup16)(kv_powf_exp_tj, (vl)s);
  KV_POLY_D(P, KV_POWF_EXP_P_F64, e);
  vd em = KV_FN(d_fma)(KV_FN(d_fma)(P, e, KV_FN(d_splat)(1.0)), e, KV_FN(d_splat)(1.0)); /* 1 + e (1 + e P(e)) */
  /* 2**(ki/16) = bits(2**(j/16)) + ((ki - j) << 48) with j = ki & 15: the table holds bits(2**(j/16)) - (j << 48), and
     s's own bits shifted by 48 are ki's (those of 1.5 * 2**52 leave nothing) */
  vd sc = (vd)((vl)tj + ((vl)s << 48));
  return sc * em;
}
static KS_ATTR __attribute__((noinline, cold)) vd KV_FN(d_pow_f32_wide)(vd x, vd y) {
  vd ax = KV_FN(d_abs)(x);
  vd axs = KV_FN(d_sel)((ax == 0.0) | (ax == __builtin_inf()) | (ax != ax), KV_FN(d_splat)(1.0), ax);
  vd ys = KV_FN(d_sel)(KV_FN(d_abs)(y) < __builtin_inf(), y, KV_FN(d_splat)(0.0)); /* inf and NaN: special cases */
  return KV_FN(d_pow_special)(x, y, KV_FN(d_powf_core)(axs, ys));
}
static KS_ATTR KILN_ALWAYS_INLINE vfh KV_FN(kv_pow_f32h)(vfh xf, vfh yf) {
  vd x = KV_FN(d_from_fh)(xf), y = KV_FN(d_from_fh)(yf);
  vl ordinary = (x > 0.0) & (x < __builtin_inf()) & (KV_FN(d_abs)(y) < __builtin_inf());
  vd mag = KV_FN(l_any)(~ordinary) ? KV_FN(d_pow_f32_wide)(x, y) : KV_FN(d_powf_core)(x, y);
  return __builtin_convertvector(mag, vfh);
}
#if KV_POWF_FLOAT
/* float32 x**y in float, on the paths with FMA (where the error-free products below are one instruction each): as many
   lanes as floats, no conversion. A float result within 0.6 ULP needs p = y log|x| to about 2**-29 (|p| < 87 for a
   normal result), so log|x| to 2**-36 relative, in float-float:
   - log|x| = k ln2 + log c + log(1+r): 32 intervals of z = x 2**-k in [0.7112, 1.4224) (c = 1 on the one around 1,
     [0.99243, 1.01611)), 1/c with few bits so that r = z/c - 1 is exact (one FMA), |r| <= 0.0194; k ln2_hi +
     log c_hi exact, then + r and + (-r**2/2, its rounding kept exactly) by two-sums; the rest, r (-r**2/2) C(r),
     about r**3/3, is at most 2**-13.5 of log|x| (the script picks c for that), so plain float suffices for it.
   - y log|x| = ph + pl, exact product of y and the high part, plus y times the low part.
   - e**p = 2**(ki/16) e**r, ki = round(16 p / ln2), r = p - ki ln2/16 (exact with ln2/16 a float, then its low
     part), 2**(j/16) = t e**tau with t a float and tau added to r, e**r - 1 = r + r**2 P(r), P 3 terms; 2**(ki/16)
     built by one integer add from a 16-entry column (bits(t) - (j << 19)).
   Lookups: one permute each on AVX-512 (5 per 16 values). Lanes whose x is not positive, normal and finite or whose
   |ph| is 87 or more (results near or past the ends of the range; y infinite or NaN) go through d_pow_f32_wide,
   the float64 kernel's; the others keep this path's bits. */
static KS_ATTR KILN_ALWAYS_INLINE vf KV_FN(f_powf32_core)(vf x, vf y, vf *ph_out) {
  vi ix = (vi)x;
  vi tmp = ix - KV_POWF32_OFF;
  vi i = tmp >> (23 - 5);                          /* the lookups read its low 5 bits */
  vi k = tmp >> 23;
  vf z = (vf)(ix - (tmp & ~0x7fffff));
  vf invc = KV_FN(f_lookup32)(kv_powf32_invc, i), logc = KV_FN(f_lookup32)(kv_powf32_logc, i);
  vf logclo = KV_FN(f_lookup32)(kv_powf32_logclo, i);
  vf r = KV_FN(f_fma)(z, invc, KV_FN(f_splat)(-1.0f)); /* exact */
  vf kf = __builtin_convertvector(k, vf);
  vf t1 = KV_FN(f_fma)(kf, KV_FN(f_splat)(KV_POWF32_LN2_HI), logc); /* exact: multiples of 2**-17 below 2**7 */
  vf lo1 = KV_FN(f_fma)(kf, KV_FN(f_splat)(KV_POWF32_LN2_LO), logclo);
  vf t2 = t1 + r, lo2 = (t1 - t2) + r;             /* |t1| >= |r| or t1 == 0 */
  vf ar = -0.5f * r, ar2 = ar * r;                 /* -r**2/2 = ar2 + ar2e */
  vf ar2e = KV_FN(f_fma)(ar, r, -ar2);
  vf h = t2 + ar2, lo4 = (t2 - h) + ar2, C;
  KV_POLY_F(C, KV_POWF32_LOG_C, r);
  vf l = KV_FN(f_fma)(ar2, r * C, ((lo1 + lo2) + lo4) + ar2e); /* log|x| = h + l */
  vf ph = y * h;
  vf pl = KV_FN(f_fma)(y, l, KV_FN(f_fma)(y, h, -ph)); /* y log|x| = ph + pl */
  vf s = KV_FN(f_fma)(ph, KV_FN(f_splat)(KV_POWF32_INVLN2N), KV_FN(f_splat)(KV_SHIFT_F)); /* rounds to the integer ki */
  vf kd = s - KV_SHIFT_F;
  vf r1 = KV_FN(f_fma)(kd, KV_FN(f_splat)(-KV_POWF32_LN2N_HI), ph); /* exact */
  vf rx = r1 + (KV_FN(f_fma)(kd, KV_FN(f_splat)(-KV_POWF32_LN2N_LO), pl) + KV_FN(f_lookup16)(kv_powf32_exp_tau, (vi)s)), P;
  KV_POLY_F(P, KV_POWF32_EXP_P, rx);
  vf q = KV_FN(f_fma)(rx * rx, P, rx);             /* e**rx - 1 */
  /* 2**(ki/16) = bits(t_j) + (ki << 19) - (j << 19): s's bits shifted by 19 are ki's (1.5 * 2**23's leave nothing) */
  vf sc = (vf)((vi)KV_FN(f_lookup16)(kv_powf32_exp_tj, (vi)s) + ((vi)s << 19));
  *ph_out = ph;
  return KV_FN(f_fma)(sc, q, sc);
}
static KS_ATTR __attribute__((noinline, cold)) vf KV_FN(f_pow_wide)(vf x, vf y, vf fast, vi ordinary) {
  vfh xh[2], yh[2], zh[2];
  memcpy(xh, &x, sizeof x);
  memcpy(yh, &y, sizeof y);
  for (int i = 0; i < 2; i++) zh[i] = __builtin_convertvector(KV_FN(d_pow_f32_wide)(KV_FN(d_from_fh)(xh[i]), KV_FN(d_from_fh)(yh[i])), vfh);
  vf slow;
  memcpy(&slow, zh, sizeof slow);
  return KV_FN(f_sel)(ordinary, fast, slow);
}
static KS_ATTR KILN_ALWAYS_INLINE vf KV_FN(kv_pow_f32)(vf x, vf y) {
  typedef uint32_t vu __attribute__((vector_size(KS_VB)));
  vf ph, fast = KV_FN(f_powf32_core)(x, y, &ph);
  vi ordinary = ((vu)x - 0x00800000u < 0x7f000000u) & (KV_FN(f_abs)(ph) < 87.0f);
  if (KV_FN(i_any)(~ordinary)) return KV_FN(f_pow_wide)(x, y, fast, ordinary);
  return fast;
}
#else
/* Without FMA: a float vector as two halves through float64 (kv_pow_f32h). */
static KS_ATTR KILN_ALWAYS_INLINE vf KV_FN(kv_pow_f32)(vf x, vf y) {
  vfh xh[2], yh[2];
  memcpy(xh, &x, sizeof x);
  memcpy(yh, &y, sizeof y);
  xh[0] = KV_FN(kv_pow_f32h)(xh[0], yh[0]);
  xh[1] = KV_FN(kv_pow_f32h)(xh[1], yh[1]);
  memcpy(&x, xh, sizeof x);
  return x;
}
#endif

/* ================= arrays ================= */
static KS_ATTR KILN_ALWAYS_INLINE vd KV_FN(d_load)(const double *p) { vd v; memcpy(&v, p, sizeof v); return v; }
static KS_ATTR KILN_ALWAYS_INLINE vf KV_FN(f_load)(const float *p) { vf v; memcpy(&v, p, sizeof v); return v; }
static KS_ATTR KILN_ALWAYS_INLINE vfh KV_FN(fh_load)(const float *p) { vfh v; memcpy(&v, p, sizeof v); return v; }
/*
 * The array loops: whole vectors (two in flight, so that their dependency chains overlap); then, when the vector width
 * does not divide n, the last whole vector's worth of items again (loaded before anything is stored, so the output
 * may be the input: the items computed twice get the same values twice); fewer items than lanes make one vector whose
 * missing lanes repeat item 0, built and stored lane by lane. Every lane is computed alone, so a value has the same
 * bits wherever it lies. The tail used to be a copy into a padded vector in memory: narrow stores that one wide load
 * reads back cannot be forwarded, and with the C library's memcpy for the variable length that stall cost more than
 * the function itself on 10 items (exp float64 of 10 items, AVX-512: 44 ns a call, now 22; of 1 item 30 ns, now 12).
 */
#define KV_PAD(v, lanes, x, n) KS_UNROLL for (int j_ = 0; j_ < (lanes); j_++) (v)[j_] = (x)[j_ < (n) ? j_ : 0]
#define KV_UNPAD(y, lanes, v, n) KS_UNROLL for (int j_ = 0; j_ < (lanes); j_++) if (j_ < (n)) (y)[j_] = (v)[j_]
/* y[i] = F(x[i]) for vectors V of `lanes` items T, loaded with LOAD. */
#define KV_ARRAY(NAME, T, V, lanes, LOAD, F) \
  static KS_ATTR void KV_FN(NAME)(T *y, const T *x, int64_t n) { \
    if (n < (lanes)) { \
      if (n <= 0) return; \
      V v; \
      KV_PAD(v, lanes, x, n); \
      v = F(v); \
      KV_UNPAD(y, lanes, v, n); \
      return; \
    } \
    int64_t i = 0, last = n - (lanes); \
    int tail = n % (lanes) != 0; \
    V t = { 0 }; \
    if (tail) t = F(LOAD(x + last)); \
    for (; i + 2 * (lanes) <= n; i += 2 * (lanes)) { \
      V a = F(LOAD(x + i)), b = F(LOAD(x + i + (lanes))); \
      memcpy(y + i, &a, sizeof a); memcpy(y + i + (lanes), &b, sizeof b); \
    } \
    for (; i + (lanes) <= n; i += (lanes)) { V v = F(LOAD(x + i)); memcpy(y + i, &v, sizeof v); } \
    if (tail) memcpy(y + last, &t, sizeof t); \
  }
/* float32 through the float64 function (one rounding at the end): erf and pow. */
static KS_ATTR KILN_ALWAYS_INLINE vfh KV_FN(kv_erf_f32h)(vfh x) { return __builtin_convertvector(KV_FN(kv_erf_f64)(KV_FN(d_from_fh)(x)), vfh); }
KV_ARRAY(kv_exp_f64_array, double, vd, VLD, KV_FN(d_load), KV_FN(kv_exp_f64))
KV_ARRAY(kv_log_f64_array, double, vd, VLD, KV_FN(d_load), KV_FN(kv_log_f64))
KV_ARRAY(kv_sin_f64_array, double, vd, VLD, KV_FN(d_load), KV_FN(kv_sin_f64))
KV_ARRAY(kv_cos_f64_array, double, vd, VLD, KV_FN(d_load), KV_FN(kv_cos_f64))
KV_ARRAY(kv_tanh_f64_array, double, vd, VLD, KV_FN(d_load), KV_FN(kv_tanh_f64))
KV_ARRAY(kv_erf_f64_array, double, vd, VLD, KV_FN(d_load), KV_FN(kv_erf_f64))
KV_ARRAY(kv_sqrt_f64_array, double, vd, VLD, KV_FN(d_load), KV_FN(kv_sqrt_f64))
KV_ARRAY(kv_exp_f32_array, float, vf, VLF, KV_FN(f_load), KV_FN(kv_exp_f32))
KV_ARRAY(kv_log_f32_array, float, vf, VLF, KV_FN(f_load), KV_FN(kv_log_f32))
KV_ARRAY(kv_sin_f32_array, float, vf, VLF, KV_FN(f_load), KV_FN(kv_sin_f32))
KV_ARRAY(kv_cos_f32_array, float, vf, VLF, KV_FN(f_load), KV_FN(kv_cos_f32))
KV_ARRAY(kv_tanh_f32_array, float, vf, VLF, KV_FN(f_load), KV_FN(kv_tanh_f32))
KV_ARRAY(kv_sqrt_f32_array, float, vf, VLF, KV_FN(f_load), KV_FN(kv_sqrt_f32))
KV_ARRAY(kv_erf_f32_array, float, vfh, VLD, KV_FN(fh_load), KV_FN(kv_erf_f32h))
/* z[i] = F(x[i], y[i]), the same loops over two inputs. */
#define KV_ARRAY2(NAME, T, V, lanes, LOAD, F) \
  static KS_ATTR void KV_FN(NAME)(T *z, const T *x, const T *y, int64_t n) { \
    if (n < (lanes)) { \
      if (n <= 0) return; \
      V a, b; \
      KV_PAD(a, lanes, x, n); \
      KV_PAD(b, lanes, y, n); \
      a = F(a, b); \
      KV_UNPAD(z, lanes, a, n); \
      return; \
    } \
    int64_t i = 0, last = n - (lanes); \
    int tail = n % (lanes) != 0; \
    V t = { 0 }; \
    if (tail) t = F(LOAD(x + last), LOAD(y + last)); \
    for (; i + 2 * (lanes) <= n; i += 2 * (lanes)) { \
      V a = F(LOAD(x + i), LOAD(y + i)), b = F(LOAD(x + i + (lanes)), LOAD(y + i + (lanes))); \
      memcpy(z + i, &a, sizeof a); memcpy(z + i + (lanes), &b, sizeof b); \
    } \
    for (; i + (lanes) <= n; i += (lanes)) { V v = F(LOAD(x + i), LOAD(y + i)); memcpy(z + i, &v, sizeof v); } \
    if (tail) memcpy(z + last, &t, sizeof t); \
  }
KV_ARRAY2(kv_pow_f64_array, double, vd, VLD, KV_FN(d_load), KV_FN(kv_pow_f64))
#if KV_POWF_FLOAT
KV_ARRAY2(kv_pow_f32_array, float, vf, VLF, KV_FN(f_load), KV_FN(kv_pow_f32))
#else
KV_ARRAY2(kv_pow_f32_array, float, vfh, VLD, KV_FN(fh_load), KV_FN(kv_pow_f32h))
#endif
/* x ** y for one exponent y (np.power of an array and a number): the lanes of kv_pow_f64_array with y splat. */
static KS_ATTR KILN_ALWAYS_INLINE vd KV_FN(d_pow_by)(vd x, double y) { return KV_FN(kv_pow_f64)(x, KV_FN(d_splat)(y)); }
static KS_ATTR void KV_FN(kv_pow_f64_array_s)(double *z, const double *x, double y, int64_t n) {
  if (n < VLD) {
    if (n <= 0) return;
    vd a;
    KV_PAD(a, VLD, x, n);
    a = KV_FN(d_pow_by)(a, y);
    KV_UNPAD(z, VLD, a, n);
    return;
  }
  int64_t i = 0, last = n - VLD;
  int tail = n % VLD != 0;
  vd t = { 0 };
  if (tail) t = KV_FN(d_pow_by)(KV_FN(d_load)(x + last), y);
  for (; i + VLD <= n; i += VLD) { vd v = KV_FN(d_pow_by)(KV_FN(d_load)(x + i), y); memcpy(z + i, &v, sizeof v); }
  if (tail) memcpy(z + last, &t, sizeof t);
}
#undef KV_ARRAY
#undef KV_ARRAY2
#undef KV_PAD
#undef KV_UNPAD
#undef KV_POLY_D
#undef KV_POLY_F
#undef KV_PT_BITS
#undef KV_PT
#undef KV_PTC
#undef KV_PT_LOOKUP
#undef KV_FN
#undef vd
#undef vf
#undef vl
#undef vi
#undef vfh
#undef VLD
#undef VLF
#undef KV_POWF_FLOAT
