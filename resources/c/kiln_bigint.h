/*
 * Kiln runtime: Python's unbounded int. Design: docs/design/numbers.md ("Big ints").
 *
 * A `kr_int` is one 64-bit word on every target (wasm32 and armv7 included):
 *   - an immediate: the value v in [-2**62, 2**62) stored as v << 1 (low bit 0), or
 *   - a reference to a kr_bigint object: the object's address with the low bit set.
 * A value that fits the immediate range is ALWAYS an immediate (canonical form), so two immediates are equal
 * exactly when their words are, and a kr_bigint always holds a value outside [-2**62, 2**62).
 * Arithmetic on two immediates is the word's own add/sub with an overflow test (2a + 2b = 2(a + b)); the
 * overflow path (and any big operand) continues in the big representation instead of raising.
 *
 * kr_bigint is CPython's representation (longobject.c): a sign and magnitude, 30-bit digits in uint32_t,
 * least significant first, so results (and the algorithms: Karatsuba above 70 digits, Knuth's division,
 * hashing mod 2**61 - 1, correctly rounded conversions to float) line up with CPython's.
 *
 * Ownership: a kr_int holding a reference owns it, like any object reference. Arguments are borrowed; every
 * result written through an out-pointer is a new reference (kr_int_decref it when done; kr_int_incref to copy).
 * Fallible functions return 0, or raise (kr_raise) and return -1, leaving *out untouched.
 * Text results (str, hex, ...) are malloc'd NUL-terminated ASCII the caller frees with free().
 */
#ifndef KILN_BIGINT_H
#define KILN_BIGINT_H

#include "kiln_runtime.h"
#include <stdio.h>
#include <stdlib.h>

/* ---------------------------------------------------------------------------------------------------------
 * Representation
 * --------------------------------------------------------------------------------------------------------- */
typedef uint32_t kr_digit;
#define KR_DIGIT_BITS 30
#define KR_DIGIT_BASE ((uint32_t)1 << KR_DIGIT_BITS)
#define KR_DIGIT_MASK (KR_DIGIT_BASE - 1)

typedef struct kr_bigint {
  kr_obj ob;
  int64_t alloc_size;  /* bytes allocated (the kr_varobj convention) */
  int64_t size;        /* digits in use, negated for a negative number (CPython's ob_size); never 0 */
  kr_digit d[];        /* |size| digits, least significant first, each < 2**30, the top one nonzero */
} kr_bigint;

KR_STATE const kr_type kr_type_int KR_STATE_INIT({ "int", NULL, 0, 0, NULL, NULL, NULL });

typedef int64_t kr_int;

#define KR_INT_SMALL_MAX (((int64_t)1 << 62) - 1)
#define KR_INT_SMALL_MIN (-((int64_t)1 << 62))
/* An immediate from a C value known to lie in [-2**62, 2**62) (a literal, a loop index): no test, no failure. */
#define KR_INT(v) ((kr_int)((uint64_t)(int64_t)(v) << 1))
#define KR_INT_IS_BIG(w) (((w) & 1) != 0)
#define KR_INT_SMALL_VALUE(w) ((int64_t)(w) >> 1)
#define KR_INT_BIG(w) ((kr_bigint *)(uintptr_t)((uint64_t)(w) & ~(uint64_t)1))
static inline kr_int kr_int_wrap(kr_bigint *b) { return (kr_int)(uint64_t)(uintptr_t)b | 1; }

static inline void kr_int_incref(kr_int v) { if (v & 1) kr_incref(KR_INT_BIG(v)); }
static inline void kr_int_decref(kr_int v) { if (v & 1) kr_decref(KR_INT_BIG(v)); }
/* Stores a new value into a variable that owns one (the old one is dropped after). */
static inline void kr_int_assign(kr_int *slot, kr_int v) { kr_int old = *slot; kr_int_incref(v); *slot = v; kr_int_decref(old); }

/* Most digits a bigint may have: its bytes fit size_t and its bit length fits int64 on every target. */
#define KR_BIG_MAX_DIGITS ((uint64_t)(SIZE_MAX / 8 - 64) < ((uint64_t)1 << 57) ? (uint64_t)(SIZE_MAX / 8 - 64) : ((uint64_t)1 << 57))

/* Messages built at run time can hold a 200-character repr plus escapes: this buffer outlives the call. */
KR_STATE KILN_TLS char kr_num_msg[1024];

static inline int kr_bitlen64(uint64_t x) { return x ? 64 - __builtin_clzll(x) : 0; }
static inline int kr_bitlen32(uint32_t x) { return x ? 32 - __builtin_clz(x) : 0; }

/* A new bigint with room for n digits (size n, digits not initialised), or NULL with MemoryError.
 * Like kr_obj_new for an untracked variable-size object, without clearing memory the digits overwrite. */
static kr_bigint *kr_big_alloc(int64_t n) {
  if (n < 1) n = 1;
  if (KILN_UNLIKELY((uint64_t)n > KR_BIG_MAX_DIGITS)) { kr_raise(KILN_MemoryError, ""); return NULL; }
  size_t bytes = sizeof(kr_bigint) + (size_t)n * sizeof(kr_digit);
  kr_bigint *z = (kr_bigint *)kr_mem_get(bytes);
  if (KILN_UNLIKELY(!z)) { kr_raise(KILN_MemoryError, ""); return NULL; }
  z->ob.rc = 1;
  z->ob.type = &kr_type_int;
  z->alloc_size = (int64_t)bytes;
  z->size = n;
  kr_gc.live++;
  kr_gc.allocs++;
  return z;
}
static inline void kr_big_free(kr_bigint *z) { if (z) kr_decref(z); }

/* The canonical kr_int of z's first n digits with the given sign: leading zeros dropped, and an immediate
 * (z freed) when the value fits. Takes over z's reference. */
static kr_int kr_big_finish(kr_bigint *z, int64_t n, int negative) {
  while (n > 0 && z->d[n - 1] == 0) n--;
  if (n <= 3) {
    int fits = n < 3 || z->d[2] < 4 || (negative && z->d[2] == 4 && z->d[1] == 0 && z->d[0] == 0);
    if (fits) {
      uint64_t m = 0;
      for (int64_t i = n - 1; i >= 0; i--) m = (m << KR_DIGIT_BITS) | z->d[i];
      kr_decref(z);
      return KR_INT(negative ? (int64_t)(0 - m) : (int64_t)m);
    }
  }
  z->size = negative ? -n : n;
  return kr_int_wrap(z);
}

/* Magnitude digits of a uint64 (at most 3). */
static inline int kr_u64_digits(uint64_t m, kr_digit *d) {
  int n = 0;
  while (m) { d[n++] = (kr_digit)(m & KR_DIGIT_MASK); m >>= KR_DIGIT_BITS; }
  return n;
}

/* A kr_int for any int64 (a bigint past the immediate range). */
static int kr_int_from_i64(int64_t v, kr_int *out) {
  if (KILN_LIKELY(v >= KR_INT_SMALL_MIN && v <= KR_INT_SMALL_MAX)) { *out = KR_INT(v); return 0; }
  kr_bigint *z = kr_big_alloc(3);
  if (!z) return -1;
  uint64_t m = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
  int n = kr_u64_digits(m, z->d);
  *out = kr_big_finish(z, n, v < 0);
  return 0;
}
static int kr_int_from_u64(uint64_t v, kr_int *out) {
  if (v <= (uint64_t)KR_INT_SMALL_MAX) { *out = KR_INT((int64_t)v); return 0; }
  kr_bigint *z = kr_big_alloc(3);
  if (!z) return -1;
  int n = kr_u64_digits(v, z->d);
  *out = kr_big_finish(z, n, 0);
  return 0;
}

/* A read-only view of a kr_int's magnitude: digits, count, sign. Immediates use the view's own buffer, so
 * a view is used through a pointer and never copied. */
typedef struct { const kr_digit *d; int64_t n; int neg; kr_digit small[3]; } kr_iview;
static inline void kr_view(kr_int v, kr_iview *w) {
  if (v & 1) {
    kr_bigint *b = KR_INT_BIG(v);
    w->neg = b->size < 0;
    w->n = b->size < 0 ? -b->size : b->size;
    w->d = b->d;
  } else {
    int64_t x = KR_INT_SMALL_VALUE(v);
    w->neg = x < 0;
    w->n = kr_u64_digits(x < 0 ? (uint64_t)0 - (uint64_t)x : (uint64_t)x, w->small);
    w->d = w->small;
  }
}

/* -1, 0 or 1: the sign of v. */
static inline int kr_int_sign(kr_int v) {
  if (!(v & 1)) return (v > 0) - (v < 0);
  return KR_INT_BIG(v)->size < 0 ? -1 : 1;
}
/* The value as an int64 when it fits (returns 1), else 0 (nothing raised). */
static inline int kr_int_as_i64(kr_int v, int64_t *out) {
  if (!(v & 1)) { *out = KR_INT_SMALL_VALUE(v); return 1; }
  kr_bigint *b = KR_INT_BIG(v);
  int64_t n = b->size < 0 ? -b->size : b->size;
  if (n > 3 || (n == 3 && b->d[2] > 15)) return 0;
  uint64_t m = ((uint64_t)(n == 3 ? b->d[2] : 0) << 60) | ((uint64_t)b->d[1] << 30) | b->d[0];
  if (b->size < 0) { if (m > (uint64_t)1 << 63) return 0; *out = (int64_t)(0 - m); }
  else { if (m > (uint64_t)INT64_MAX) return 0; *out = (int64_t)m; }
  return 1;
}
/* The value as an int64, or OverflowError (for constructs that need a C integer). */
static inline int kr_int_to_i64(kr_int v, int64_t *out) {
  if (KILN_LIKELY(kr_int_as_i64(v, out))) return 0;
  return kr_raise(KILN_OverflowError, kr_int_overflow_msg);
}

/* ---------------------------------------------------------------------------------------------------------
 * Magnitude arithmetic on digit arrays (no signs, no objects)
 * --------------------------------------------------------------------------------------------------------- */
static int kr_mag_cmp(const kr_digit *a, int64_t na, const kr_digit *b, int64_t nb) {
  if (na != nb) return na < nb ? -1 : 1;
  for (int64_t i = na - 1; i >= 0; i--)
    if (a[i] != b[i]) return a[i] < b[i] ? -1 : 1;
  return 0;
}
static inline int64_t kr_mag_norm(const kr_digit *a, int64_t n) { while (n > 0 && a[n - 1] == 0) n--; return n; }

/* Two digits as one 60-bit number: a carry chain of half the length (the add loops' latency is the chain). */
#define KR_PAIR(p, i) ((uint64_t)(p)[i] | ((uint64_t)(p)[(i) + 1] << KR_DIGIT_BITS))
#define KR_PAIR_MASK (((uint64_t)1 << (2 * KR_DIGIT_BITS)) - 1)

/* z[0..na] = a + b, na >= nb (z may be a). */
static void kr_mag_add(const kr_digit *a, int64_t na, const kr_digit *b, int64_t nb, kr_digit *z) {
  uint64_t carry = 0;
  int64_t i = 0;
  for (; i + 1 < nb; i += 2) {
    carry += KR_PAIR(a, i) + KR_PAIR(b, i);
    z[i] = (kr_digit)(carry & KR_DIGIT_MASK);
    z[i + 1] = (kr_digit)((carry >> KR_DIGIT_BITS) & KR_DIGIT_MASK);
    carry >>= 2 * KR_DIGIT_BITS;
  }
  for (; i < nb; i++) { carry += (uint64_t)a[i] + b[i]; z[i] = (kr_digit)(carry & KR_DIGIT_MASK); carry >>= KR_DIGIT_BITS; }
  for (; i < na; i++) { carry += a[i]; z[i] = (kr_digit)(carry & KR_DIGIT_MASK); carry >>= KR_DIGIT_BITS; }
  z[na] = (kr_digit)carry;
}
/* z[0..na) = a - b for a >= b, na >= nb (z may be a). */
static void kr_mag_sub(const kr_digit *a, int64_t na, const kr_digit *b, int64_t nb, kr_digit *z) {
  uint64_t borrow = 0;
  int64_t i = 0;
  for (; i + 1 < nb; i += 2) {
    uint64_t d = KR_PAIR(a, i) - KR_PAIR(b, i) - borrow;   /* wraps when negative: bit 63 set */
    borrow = d >> 63;
    z[i] = (kr_digit)(d & KR_DIGIT_MASK);
    z[i + 1] = (kr_digit)((d >> KR_DIGIT_BITS) & KR_DIGIT_MASK);
  }
  for (; i < nb; i++) { uint32_t d = a[i] - b[i] - (uint32_t)borrow; z[i] = d & KR_DIGIT_MASK; borrow = (d >> KR_DIGIT_BITS) & 1; }
  for (; i < na; i++) { uint32_t d = a[i] - (uint32_t)borrow; z[i] = d & KR_DIGIT_MASK; borrow = (d >> KR_DIGIT_BITS) & 1; }
}
/* x[0..nx) += y[0..ny), nx >= ny; returns the carry out of x. */
static kr_digit kr_mag_iadd(kr_digit *x, int64_t nx, const kr_digit *y, int64_t ny) {
  uint32_t carry = 0;
  int64_t i = 0;
  for (; i < ny; i++) { carry += x[i] + y[i]; x[i] = carry & KR_DIGIT_MASK; carry >>= KR_DIGIT_BITS; }
  for (; carry && i < nx; i++) { carry += x[i]; x[i] = carry & KR_DIGIT_MASK; carry >>= KR_DIGIT_BITS; }
  return carry;
}
/* x[0..nx) -= y[0..ny), nx >= ny; returns the borrow out of x. */
static kr_digit kr_mag_isub(kr_digit *x, int64_t nx, const kr_digit *y, int64_t ny) {
  uint32_t borrow = 0;
  int64_t i = 0;
  for (; i < ny; i++) { borrow = x[i] - y[i] - borrow; x[i] = borrow & KR_DIGIT_MASK; borrow = (borrow >> KR_DIGIT_BITS) & 1; }
  for (; borrow && i < nx; i++) { borrow = x[i] - borrow; x[i] = borrow & KR_DIGIT_MASK; borrow = (borrow >> KR_DIGIT_BITS) & 1; }
  return borrow;
}
/* z[0..n] = a * m + add (m, add < 2**30); returns nothing, z[n] is the top digit. z may be a. */
static void kr_mag_mul1(const kr_digit *a, int64_t n, kr_digit m, kr_digit add, kr_digit *z) {
  uint64_t carry = add;
  for (int64_t i = 0; i < n; i++) { carry += (uint64_t)a[i] * m; z[i] = (kr_digit)(carry & KR_DIGIT_MASK); carry >>= KR_DIGIT_BITS; }
  z[n] = (kr_digit)carry;
}
/* q[0..n) = a / d (a may be q), returns a % d; 0 < d < 2**30. */
static kr_digit kr_mag_divrem1(const kr_digit *a, int64_t n, kr_digit d, kr_digit *q) {
  uint64_t rem = 0;
  for (int64_t i = n - 1; i >= 0; i--) {
    rem = (rem << KR_DIGIT_BITS) | a[i];
    kr_digit hi = (kr_digit)(rem / d);
    rem -= (uint64_t)hi * d;
    q[i] = hi;
  }
  return (kr_digit)rem;
}
/* z = a << s for 0 <= s < 30, n digits in, returns the digit shifted out the top. z may be a. */
static kr_digit kr_mag_lshift_small(const kr_digit *a, int64_t n, int s, kr_digit *z) {
  kr_digit carry = 0;
  for (int64_t i = 0; i < n; i++) {
    uint64_t acc = ((uint64_t)a[i] << s) | carry;
    z[i] = (kr_digit)(acc & KR_DIGIT_MASK);
    carry = (kr_digit)(acc >> KR_DIGIT_BITS);
  }
  return carry;
}
/* z = a >> s for 0 <= s < 30, n digits, returns the bits shifted out (in the low s bits). z may be a. */
static kr_digit kr_mag_rshift_small(const kr_digit *a, int64_t n, int s, kr_digit *z) {
  kr_digit carry = 0, mask = ((kr_digit)1 << s) - 1;
  for (int64_t i = n - 1; i >= 0; i--) {
    uint64_t acc = ((uint64_t)carry << KR_DIGIT_BITS) | a[i];
    carry = a[i] & mask;
    z[i] = (kr_digit)(acc >> s);
  }
  return carry;
}
static int64_t kr_mag_bitlen(const kr_digit *a, int64_t n) {
  n = kr_mag_norm(a, n);
  return n ? (n - 1) * KR_DIGIT_BITS + kr_bitlen32(a[n - 1]) : 0;
}

/* ---- multiplication: schoolbook below CPython's cutoffs, Karatsuba above ---- */
#define KR_KARATSUBA_CUTOFF 70
#define KR_KARATSUBA_SQUARE_CUTOFF (2 * KR_KARATSUBA_CUTOFF)

/* z[0..na+nb) = a * b. */
static void kr_mag_mul_school(const kr_digit *a, int64_t na, const kr_digit *b, int64_t nb, kr_digit *z) {
  memset(z, 0, (size_t)(na + nb) * sizeof(kr_digit));
  for (int64_t i = 0; i < na; i++) {
    uint64_t carry = 0, f = a[i];
    if (!f) continue;
    kr_digit *pz = z + i;
    for (int64_t j = 0; j < nb; j++) {
      carry += pz[j] + f * b[j];
      pz[j] = (kr_digit)(carry & KR_DIGIT_MASK);
      carry >>= KR_DIGIT_BITS;
    }
    pz[nb] = (kr_digit)carry;
  }
}
/* z[0..2n) = a * a: each cross product once, doubled (as CPython's x_mul for squares). */
static void kr_mag_sqr_school(const kr_digit *a, int64_t n, kr_digit *z) {
  memset(z, 0, (size_t)(2 * n) * sizeof(kr_digit));
  for (int64_t i = 0; i < n; i++) {
    uint64_t f = a[i];
    kr_digit *pz = z + 2 * i;
    uint64_t carry = *pz + f * f;
    *pz++ = (kr_digit)(carry & KR_DIGIT_MASK);
    carry >>= KR_DIGIT_BITS;
    f <<= 1;
    for (int64_t j = i + 1; j < n; j++) {
      carry += *pz + a[j] * f;
      *pz++ = (kr_digit)(carry & KR_DIGIT_MASK);
      carry >>= KR_DIGIT_BITS;
    }
    while (carry) {
      carry += *pz;
      *pz++ = (kr_digit)(carry & KR_DIGIT_MASK);
      carry >>= KR_DIGIT_BITS;
    }
  }
}

static int kr_mag_mul(const kr_digit *a, int64_t na, const kr_digit *b, int64_t nb, kr_digit *z);

/* z[0..na+nb) = a * b for 2*na <= nb: b in slices of na digits, each a balanced product. */
static int kr_mag_mul_lopsided(const kr_digit *a, int64_t na, const kr_digit *b, int64_t nb, kr_digit *z) {
  kr_digit *t = (kr_digit *)malloc((size_t)(2 * na) * sizeof(kr_digit));
  if (!t) return kr_raise(KILN_MemoryError, "");
  memset(z, 0, (size_t)(na + nb) * sizeof(kr_digit));
  for (int64_t off = 0; off < nb; off += na) {
    int64_t nslice = nb - off < na ? nb - off : na;
    if (kr_mag_mul(a, na, b + off, nslice, t)) { free(t); return -1; }
    kr_mag_iadd(z + off, na + nb - off, t, na + nslice);
  }
  free(t);
  return 0;
}

/* z[0..na+nb) = a * b. Karatsuba when both are past the cutoff: with a = ah*B^k + al and b = bh*B^k + bl,
 * a*b = ah*bh*B^2k + ((ah+al)(bh+bl) - ah*bh - al*bl)*B^k + al*bl. Returns -1 on MemoryError. */
static int kr_mag_mul(const kr_digit *a, int64_t na, const kr_digit *b, int64_t nb, kr_digit *z) {
  if (na > nb) { const kr_digit *t = a; a = b; b = t; int64_t tn = na; na = nb; nb = tn; }
  if (na == 0) { memset(z, 0, (size_t)nb * sizeof(kr_digit)); return 0; }
  if (na == 1) { kr_mag_mul1(b, nb, a[0], 0, z); return 0; }
  int square = a == b && na == nb;
  if (na <= (square ? KR_KARATSUBA_SQUARE_CUTOFF : KR_KARATSUBA_CUTOFF)) {
    if (square) kr_mag_sqr_school(a, na, z);
    else kr_mag_mul_school(a, na, b, nb, z);
    return 0;
  }
  if (2 * na <= nb) return kr_mag_mul_lopsided(a, na, b, nb, z);
  int64_t k = nb >> 1;                       /* na > k since 2*na > nb */
  const kr_digit *al = a, *ah = a + k, *bl = b, *bh = b + k;
  int64_t nal = kr_mag_norm(al, k), nah = na - k, nbl = kr_mag_norm(bl, k), nbh = nb - k;
  /* low and high products straight into z: al*bl fills z[0..2k) (zero-padded), ah*bh fills the rest */
  if (kr_mag_mul(al, nal, bl, nbl, z)) return -1;
  memset(z + nal + nbl, 0, (size_t)(2 * k - nal - nbl) * sizeof(kr_digit));
  if (kr_mag_mul(ah, nah, bh, nbh, z + 2 * k)) return -1;
  int64_t nsa = (nal > nah ? nal : nah) + 1, nsb = (nbl > nbh ? nbl : nbh) + 1;
  kr_digit *sa = (kr_digit *)malloc((size_t)(nsa + (square ? 0 : nsb) + nsa + nsb) * sizeof(kr_digit));
  if (!sa) return kr_raise(KILN_MemoryError, "");
  kr_digit *sb = square ? sa : sa + nsa, *t = sb + nsb;
  if (nal >= nah) kr_mag_add(al, nal, ah, nah, sa); else kr_mag_add(ah, nah, al, nal, sa);
  if (!square) { if (nbl >= nbh) kr_mag_add(bl, nbl, bh, nbh, sb); else kr_mag_add(bh, nbh, bl, nbl, sb); }
  int64_t na2 = kr_mag_norm(sa, nsa), nb2 = square ? na2 : kr_mag_norm(sb, nsb);
  if (kr_mag_mul(sa, na2, sb, nb2, t)) { free(sa); return -1; }
  int64_t nt = na2 + nb2;
  kr_mag_isub(t, nt, z, kr_mag_norm(z, 2 * k));                          /* - al*bl */
  kr_mag_isub(t, nt, z + 2 * k, kr_mag_norm(z + 2 * k, nah + nbh));      /* - ah*bh */
  nt = kr_mag_norm(t, nt);
  kr_mag_iadd(z + k, na + nb - k, t, nt);
  free(sa);
  return 0;
}

/* Knuth's algorithm D (CPython's x_divrem): q[0..na-nb] = a / b, r[0..nb) = a % b, for nb >= 2, na >= nb,
 * b's top digit nonzero. Returns -1 on MemoryError. */
static int kr_mag_divrem(const kr_digit *a, int64_t na, const kr_digit *b, int64_t nb, kr_digit *q, kr_digit *r) {
  kr_digit *u = (kr_digit *)malloc((size_t)(na + 1 + nb) * sizeof(kr_digit));
  if (!u) return kr_raise(KILN_MemoryError, "");
  kr_digit *v = u + na + 1;
  int s = KR_DIGIT_BITS - kr_bitlen32(b[nb - 1]);   /* normalise: v's top digit gets its top bit set */
  kr_mag_lshift_small(b, nb, s, v);
  u[na] = kr_mag_lshift_small(a, na, s, u);
  kr_digit vtop = v[nb - 1], vtop2 = v[nb - 2];
  for (int64_t j = na - nb; j >= 0; j--) {
    kr_digit *uj = u + j;
    kr_digit utop = uj[nb];
    uint64_t vv = ((uint64_t)utop << KR_DIGIT_BITS) | uj[nb - 1];
    uint64_t qhat = vv / vtop, rhat = vv - qhat * vtop;
    while ((uint64_t)vtop2 * qhat > ((rhat << KR_DIGIT_BITS) | uj[nb - 2])) {
      qhat--;
      rhat += vtop;
      if (rhat >= KR_DIGIT_BASE) break;
    }
    /* uj[0..nb] -= qhat * v */
    int64_t zhi = 0;
    for (int64_t i = 0; i < nb; i++) {
      int64_t zz = (int64_t)uj[i] + zhi - (int64_t)(qhat * v[i]);
      uj[i] = (kr_digit)zz & KR_DIGIT_MASK;
      zhi = zz >> KR_DIGIT_BITS;   /* arithmetic shift: the borrow, as a negative number */
    }
    if ((int64_t)utop + zhi < 0) {  /* qhat was one too big: add v back */
      uint32_t carry = 0;
      for (int64_t i = 0; i < nb; i++) { carry += uj[i] + v[i]; uj[i] = carry & KR_DIGIT_MASK; carry >>= KR_DIGIT_BITS; }
      qhat--;
    }
    uj[nb] = 0;
    q[j] = (kr_digit)qhat;
  }
  kr_mag_rshift_small(u, nb, s, r);
  free(u);
  return 0;
}

static uint64_t kr_mag_bits64(const kr_digit *a, int64_t n, int64_t from, int *sticky);

/* Division with a short quotient (a has at most 48 bits more than b, b at least 4 digits): the quotient is
 * estimated from the leading 64 bits of each in floating point (off by at most one), a - q*b is formed in one
 * pass and corrected by adding or subtracting b. Knuth's algorithm makes five passes over the digits here
 * (two normalising shifts, two multiply-subtracts, the shift back): this is the pi spigot's division.
 * q gets 2 digits, r gets na + 1 digits (its value < b). */
static void kr_mag_divrem_short(const kr_digit *a, int64_t na, const kr_digit *b, int64_t nb, int64_t la, int64_t lb, kr_digit *q, kr_digit *r) {
  int sticky;
  double A = (double)kr_mag_bits64(a, na, la - 64, &sticky), B = (double)kr_mag_bits64(b, nb, lb - 64, &sticky);
  double qd = ldexp(A / B, (int)(la - lb));
  uint64_t qe = qd < 1.0 ? 0 : (uint64_t)qd;
  uint64_t q0 = qe & KR_DIGIT_MASK, q1 = qe >> KR_DIGIT_BITS;
  uint64_t pc = 0;
  int64_t sb = 0, i = 0;
  for (; i <= na; i++) {   /* r = a - qe * b, digit by digit: p is the product's digit, sb the signed borrow */
    uint64_t p = pc + (i < nb ? q0 * b[i] : 0) + (i >= 1 && i - 1 < nb ? q1 * b[i - 1] : 0);
    pc = p >> KR_DIGIT_BITS;
    int64_t t = (int64_t)(i < na ? a[i] : 0) - (int64_t)(p & KR_DIGIT_MASK) + sb;
    r[i] = (kr_digit)t & KR_DIGIT_MASK;
    sb = t >> KR_DIGIT_BITS;
  }
  int64_t top = sb - (int64_t)pc;   /* r = top * BASE**(na+1) + digits (qe*b has at most na+1 digits) */
  while (top < 0) { top += kr_mag_iadd(r, na + 1, b, nb); qe--; }
  while (kr_mag_cmp(r, kr_mag_norm(r, na + 1), b, nb) >= 0) { kr_mag_isub(r, na + 1, b, nb); qe++; }
  q[0] = (kr_digit)(qe & KR_DIGIT_MASK);
  q[1] = (kr_digit)(qe >> KR_DIGIT_BITS);
}

/* ---------------------------------------------------------------------------------------------------------
 * + - * on kr_int: the inline fast paths the compiler emits, and their slow paths
 * --------------------------------------------------------------------------------------------------------- */
/* Sum or difference of two signed magnitudes. */
static int kr_views_addsub(const kr_digit *a, int64_t na, int aneg, const kr_digit *b, int64_t nb, int bneg, kr_int *out) {
  if (aneg == bneg) {
    if (na < nb) { const kr_digit *t = a; a = b; b = t; int64_t tn = na; na = nb; nb = tn; }
    kr_bigint *z = kr_big_alloc(na + 1);
    if (!z) return -1;
    kr_mag_add(a, na, b, nb, z->d);
    *out = kr_big_finish(z, na + 1, aneg);
    return 0;
  }
  int c = kr_mag_cmp(a, na, b, nb);
  if (c == 0) { *out = KR_INT(0); return 0; }
  if (c < 0) { const kr_digit *t = a; a = b; b = t; int64_t tn = na; na = nb; nb = tn; aneg = bneg; }
  kr_bigint *z = kr_big_alloc(na);
  if (!z) return -1;
  kr_mag_sub(a, na, b, nb, z->d);
  *out = kr_big_finish(z, na, aneg);
  return 0;
}
static int kr_int_addsub_slow(kr_int a, kr_int b, int subtract, kr_int *out) {
  if (!((a | b) & 1)) {   /* two immediates whose result left the immediate range: fits int64 */
    int64_t x = KR_INT_SMALL_VALUE(a), y = KR_INT_SMALL_VALUE(b);
    return kr_int_from_i64(subtract ? x - y : x + y, out);
  }
  kr_iview x, y;
  kr_view(a, &x);
  kr_view(b, &y);
  return kr_views_addsub(x.d, x.n, x.neg, y.d, y.n, y.neg ^ subtract, out);
}
static int kr_views_mul(const kr_iview *x, const kr_iview *y, kr_int *out) {
  if (!x->n || !y->n) { *out = KR_INT(0); return 0; }
  kr_bigint *z = kr_big_alloc(x->n + y->n);
  if (!z) return -1;
  if (kr_mag_mul(x->d, x->n, y->d, y->n, z->d)) { kr_big_free(z); return -1; }
  *out = kr_big_finish(z, x->n + y->n, x->neg != y->neg);
  return 0;
}
static int kr_int_mul_slow(kr_int a, kr_int b, kr_int *out) {
  if (!((a | b) & 1)) {
    int64_t r;
    if (!__builtin_mul_overflow(KR_INT_SMALL_VALUE(a), KR_INT_SMALL_VALUE(b), &r)) return kr_int_from_i64(r, out);
  }
  kr_iview x, y;
  kr_view(a, &x);
  kr_view(b, &y);
  if (a == b) return kr_views_mul(&x, &x, out);  /* same digits: the squaring path */
  return kr_views_mul(&x, &y, out);
}

/* a + b, a - b, a * b (new references; only MemoryError can be raised). The immediate case is one tag test and
 * the add/multiply with overflow check. */
static KILN_ALWAYS_INLINE int kr_int_add(kr_int a, kr_int b, kr_int *out) {
  kr_int r;
  if (KILN_LIKELY(!((a | b) & 1)) && KILN_LIKELY(!__builtin_add_overflow(a, b, &r))) { *out = r; return 0; }
  return kr_int_addsub_slow(a, b, 0, out);
}
static KILN_ALWAYS_INLINE int kr_int_sub(kr_int a, kr_int b, kr_int *out) {
  kr_int r;
  if (KILN_LIKELY(!((a | b) & 1)) && KILN_LIKELY(!__builtin_sub_overflow(a, b, &r))) { *out = r; return 0; }
  return kr_int_addsub_slow(a, b, 1, out);
}
static KILN_ALWAYS_INLINE int kr_int_mul(kr_int a, kr_int b, kr_int *out) {
  kr_int r;
  if (KILN_LIKELY(!((a | b) & 1)) && KILN_LIKELY(!__builtin_mul_overflow(KR_INT_SMALL_VALUE(a), b, &r))) { *out = r; return 0; }
  return kr_int_mul_slow(a, b, out);
}
/* -a, abs(a) (new references) */
static int kr_int_neg(kr_int a, kr_int *out) {
  if (!(a & 1)) return kr_int_from_i64(-KR_INT_SMALL_VALUE(a), out);
  kr_bigint *b = KR_INT_BIG(a);
  int64_t n = b->size < 0 ? -b->size : b->size;
  kr_bigint *z = kr_big_alloc(n);
  if (!z) return -1;
  memcpy(z->d, b->d, (size_t)n * sizeof(kr_digit));
  *out = kr_big_finish(z, n, b->size > 0);
  return 0;
}
static int kr_int_abs(kr_int a, kr_int *out) {
  if (kr_int_sign(a) >= 0) { kr_int_incref(a); *out = a; return 0; }
  return kr_int_neg(a, out);
}

/* ---------------------------------------------------------------------------------------------------------
 * Comparisons (exact, never fail)
 * --------------------------------------------------------------------------------------------------------- */
static int kr_int_cmp_slow(kr_int a, kr_int b) {
  kr_iview x, y;
  kr_view(a, &x);
  kr_view(b, &y);
  int sx = x.n ? (x.neg ? -1 : 1) : 0, sy = y.n ? (y.neg ? -1 : 1) : 0;
  if (sx != sy) return sx < sy ? -1 : 1;
  int c = kr_mag_cmp(x.d, x.n, y.d, y.n);
  return sx < 0 ? -c : c;
}
/* -1, 0 or 1 as a <, ==, > b. */
static KILN_ALWAYS_INLINE int kr_int_cmp(kr_int a, kr_int b) {
  if (KILN_LIKELY(!((a | b) & 1))) return (a > b) - (a < b);
  return kr_int_cmp_slow(a, b);
}
static KILN_ALWAYS_INLINE bool kr_int_eq(kr_int a, kr_int b) { return a == b || (((a & b) & 1) && kr_int_cmp_slow(a, b) == 0); }
static KILN_ALWAYS_INLINE bool kr_int_lt(kr_int a, kr_int b) { return kr_int_cmp(a, b) < 0; }
static KILN_ALWAYS_INLINE bool kr_int_le(kr_int a, kr_int b) { return kr_int_cmp(a, b) <= 0; }

/* ---------------------------------------------------------------------------------------------------------
 * Division: // % divmod with floor semantics, and / (correctly rounded to float)
 * --------------------------------------------------------------------------------------------------------- */
/* Truncated quotient and remainder of magnitudes, as new bigints (either may be NULL when not wanted).
 * Returns -1 on MemoryError. */
static int kr_mag_divmod_alloc(const kr_iview *x, const kr_iview *y, kr_bigint **q, int64_t *nq, kr_bigint **r, int64_t *nr) {
  int64_t na = x->n, nb = y->n;
  *q = NULL; *r = NULL;
  if (na < nb || kr_mag_cmp(x->d, na, y->d, nb) < 0) {      /* quotient 0, remainder a */
    *q = kr_big_alloc(2);
    *r = kr_big_alloc(na + 1);
    if (!*q || !*r) { kr_big_free(*q); kr_big_free(*r); return -1; }
    (*q)->d[0] = 0; *nq = 1;
    memcpy((*r)->d, x->d, (size_t)na * sizeof(kr_digit)); *nr = na;
    return 0;
  }
  int64_t la = kr_mag_bitlen(x->d, na), lb = kr_mag_bitlen(y->d, nb);
  int shortq = nb >= 4 && la - lb <= 48;
  *q = kr_big_alloc(na - nb + 3);   /* a spare digit for the floor adjustment */
  *r = kr_big_alloc(shortq ? na + 2 : nb + 1);
  if (!*q || !*r) { kr_big_free(*q); kr_big_free(*r); return -1; }
  *nq = na - nb + 1;
  *nr = nb;
  if (shortq) {
    kr_mag_divrem_short(x->d, na, y->d, nb, la, lb, (*q)->d, (*r)->d);
    *nq = 2;
    *nr = kr_mag_norm((*r)->d, na + 1);
  } else if (nb == 1) {
    (*r)->d[0] = kr_mag_divrem1(x->d, na, y->d[0], (*q)->d);
    *nq = na;
  } else if (kr_mag_divrem(x->d, na, y->d, nb, (*q)->d, (*r)->d)) {
    kr_big_free(*q); kr_big_free(*r);
    return -1;
  }
  return 0;
}

/* divmod with Python's floor semantics. want: 1 quotient, 2 remainder, 3 both. */
static int kr_int_divmod_slow(kr_int a, kr_int b, int want, kr_int *qout, kr_int *rout) {
  if (kr_int_sign(b) == 0)
    return kr_raise(KILN_ZeroDivisionError, want == 2 ? "integer modulo by zero" : "integer division or modulo by zero");
  if (!((a | b) & 1)) {
    int64_t x = KR_INT_SMALL_VALUE(a), y = KR_INT_SMALL_VALUE(b), q = x / y, r = x % y;
    if (r != 0 && ((r < 0) != (y < 0))) { q -= 1; r += y; }
    if ((want & 1) && kr_int_from_i64(q, qout)) return -1;   /* -2**62 // -1 leaves the immediate range */
    if (want & 2) *rout = KR_INT(r);
    return 0;
  }
  kr_iview x, y;
  kr_view(a, &x);
  kr_view(b, &y);
  kr_bigint *q, *r;
  int64_t nq, nr;
  if (kr_mag_divmod_alloc(&x, &y, &q, &nq, &r, &nr)) return -1;
  nr = kr_mag_norm(r->d, nr);
  int negq = x.neg != y.neg;
  if (negq && nr) {   /* floor: q = -(|q| + 1), r = |b| - |r| with the sign of b */
    q->d[nq] = 0;
    kr_digit one = 1;
    kr_mag_iadd(q->d, nq + 1, &one, 1);
    nq++;
    kr_bigint *r2 = kr_big_alloc(y.n);
    if (!r2) { kr_big_free(q); kr_big_free(r); return -1; }
    kr_mag_sub(y.d, y.n, r->d, nr, r2->d);
    kr_big_free(r);
    r = r2;
    nr = y.n;
  }
  if (want & 1) *qout = kr_big_finish(q, nq, negq); else kr_big_free(q);
  if (want & 2) *rout = kr_big_finish(r, nr, y.neg); else kr_big_free(r);
  return 0;
}
/* a // b, a % b, divmod(a, b) with Python's floor semantics: ZeroDivisionError "integer division or modulo by
 * zero" ("integer modulo by zero" for %). Inline for an immediate positive divisor. */
static KILN_ALWAYS_INLINE int kr_int_floordiv(kr_int a, kr_int b, kr_int *out) {
  if (KILN_LIKELY(!((a | b) & 1)) && b > 0) {   /* a positive immediate divisor: no overflow possible */
    int64_t x = KR_INT_SMALL_VALUE(a), y = KR_INT_SMALL_VALUE(b), q = x / y;
    if ((x % y) < 0) q--;
    *out = KR_INT(q);
    return 0;
  }
  return kr_int_divmod_slow(a, b, 1, out, NULL);
}
static KILN_ALWAYS_INLINE int kr_int_mod(kr_int a, kr_int b, kr_int *out) {
  if (KILN_LIKELY(!((a | b) & 1)) && b > 0) {
    int64_t y = KR_INT_SMALL_VALUE(b), r = KR_INT_SMALL_VALUE(a) % y;
    if (r < 0) r += y;
    *out = KR_INT(r);
    return 0;
  }
  return kr_int_divmod_slow(a, b, 2, NULL, out);
}
static int kr_int_divmod(kr_int a, kr_int b, kr_int *q, kr_int *r) { return kr_int_divmod_slow(a, b, 3, q, r); }

/* Bits [from, from + 64) of a magnitude (from may be negative: zeros below bit 0), and whether any bit below
 * `from` is set. */
static uint64_t kr_mag_bits64(const kr_digit *a, int64_t n, int64_t from, int *sticky) {
  uint64_t r = 0;
  *sticky = 0;
  int64_t lo = from < 0 ? 0 : from;
  for (int64_t bit = lo; bit < from + 64 && bit < n * KR_DIGIT_BITS;) {
    int64_t di = bit / KR_DIGIT_BITS;
    int off = (int)(bit % KR_DIGIT_BITS);
    int take = KR_DIGIT_BITS - off;
    if (bit + take > from + 64) take = (int)(from + 64 - bit);
    uint64_t chunk = (a[di] >> off) & (((uint64_t)1 << take) - 1);
    r |= chunk << (bit - from);
    bit += take;
  }
  if (from > 0) {
    int64_t full = from / KR_DIGIT_BITS;
    for (int64_t i = 0; i < full && i < n; i++) if (a[i]) { *sticky = 1; break; }
    if (!*sticky && full < n && (a[full] & (((kr_digit)1 << (from % KR_DIGIT_BITS)) - 1))) *sticky = 1;
  }
  return r;
}

/* q * 2**e rounded once to a double (half to even), where `sticky` says the exact value is a little more than
 * q * 2**e; q < 2**62. Subnormal results are rounded at their own precision. Returns 1 when the result
 * overflows past DBL_MAX. */
static int kr_round_to_double(uint64_t q, int64_t e, int sticky, double *out) {
  if (q == 0) { *out = 0.0; return 0; }
  int nbits = kr_bitlen64(q);
  int64_t msb = nbits - 1 + e;                  /* the exponent of the leading bit */
  int64_t lsb = msb - 52 < -1074 ? -1074 : msb - 52;
  int64_t drop = lsb - e;                       /* bits of q below the last kept bit */
  uint64_t mant;
  if (drop <= 0) {
    mant = q << (-drop);                        /* exact (q has at most 53 bits here) */
  } else if (drop > 63) {
    mant = 0;                                   /* far below half the smallest subnormal */
  } else {
    mant = q >> drop;
    uint64_t rest = q & ((((uint64_t)1) << drop) - 1), half = (uint64_t)1 << (drop - 1);
    if (rest > half || (rest == half && (sticky || (mant & 1)))) mant++;
  }
  if (lsb + kr_bitlen64(mant) - 1 > 1023) return 1;
  *out = ldexp((double)mant, (int)lsb);
  return 0;
}

/* a / b as a float, correctly rounded (as CPython's long_true_divide): ZeroDivisionError "division by zero",
 * OverflowError "integer division result too large for a float". */
static int kr_int_truediv(kr_int a, kr_int b, double *out) {
  if (!((a | b) & 1)) return kr_truediv_i64(KR_INT_SMALL_VALUE(a), KR_INT_SMALL_VALUE(b), out);
  kr_iview x, y;
  kr_view(a, &x);
  kr_view(b, &y);
  if (y.n == 0) return kr_raise(KILN_ZeroDivisionError, "division by zero");
  int negative = x.neg != y.neg;
  if (x.n == 0) { *out = negative ? -0.0 : 0.0; return 0; }
  int64_t la = kr_mag_bitlen(x.d, x.n), lb = kr_mag_bitlen(y.d, y.n), diff = la - lb;
  if (diff > 1025) return kr_raise(KILN_OverflowError, "integer division result too large for a float");
  if (diff < -1077) { *out = negative ? -0.0 : 0.0; return 0; }
  /* q = floor(|a| / (|b| * 2**s)) has 55 or 56 bits; the remainder's being nonzero is the sticky bit */
  int64_t s = diff - 55;
  kr_iview num = x, den = y;
  kr_bigint *shifted = NULL;
  const kr_digit *nd = x.d, *dd = y.d;
  int64_t nn = x.n, dn = y.n;
  {
    int64_t sh = s >= 0 ? s : -s, ndig = sh / KR_DIGIT_BITS;
    int bits = (int)(sh % KR_DIGIT_BITS);
    const kr_digit *src = s >= 0 ? y.d : x.d;
    int64_t ns = s >= 0 ? y.n : x.n;
    shifted = kr_big_alloc(ns + ndig + 1);
    if (!shifted) return -1;
    memset(shifted->d, 0, (size_t)ndig * sizeof(kr_digit));
    shifted->d[ns + ndig] = kr_mag_lshift_small(src, ns, bits, shifted->d + ndig);
    if (s >= 0) { dd = shifted->d; dn = kr_mag_norm(dd, ns + ndig + 1); }
    else { nd = shifted->d; nn = kr_mag_norm(nd, ns + ndig + 1); }
  }
  (void)num; (void)den;
  kr_iview xv = { nd, nn, 0, {0} }, yv = { dd, dn, 0, {0} };
  kr_bigint *q, *r;
  int64_t nq, nr;
  int rc = kr_mag_divmod_alloc(&xv, &yv, &q, &nq, &r, &nr);
  kr_big_free(shifted);
  if (rc) return -1;
  int sticky = kr_mag_norm(r->d, nr) != 0, dummy;
  uint64_t qq = kr_mag_bits64(q->d, kr_mag_norm(q->d, nq), 0, &dummy);
  kr_big_free(q);
  kr_big_free(r);
  double res;
  if (kr_round_to_double(qq, s, sticky, &res)) return kr_raise(KILN_OverflowError, "integer division result too large for a float");
  *out = negative ? -res : res;
  return 0;
}

/* ---------------------------------------------------------------------------------------------------------
 * float <-> int
 * --------------------------------------------------------------------------------------------------------- */
/* float(v) correctly rounded (half to even) into *out; returns 1 (nothing raised) when it overflows. */
static int kr_int_to_f64_noraise(kr_int v, double *out) {
  if (!(v & 1)) { *out = (double)KR_INT_SMALL_VALUE(v); return 0; }
  kr_iview x;
  kr_view(v, &x);
  int64_t n = kr_mag_bitlen(x.d, x.n);
  if (n > 1024) return 1;
  int sticky;
  uint64_t top = kr_mag_bits64(x.d, x.n, n - 55, &sticky);
  double r;
  if (kr_round_to_double(top, n - 55, sticky, &r)) return 1;
  *out = x.neg ? -r : r;
  return 0;
}
/* float(v): OverflowError past DBL_MAX. */
static int kr_int_to_f64_slow(kr_int v, double *out) {
  if (kr_int_to_f64_noraise(v, out)) return kr_raise(KILN_OverflowError, "int too large to convert to float");
  return 0;
}
static KILN_ALWAYS_INLINE int kr_int_to_f64(kr_int v, double *out) {
  if (KILN_LIKELY(!(v & 1))) { *out = (double)KR_INT_SMALL_VALUE(v); return 0; }   /* C rounds to nearest even */
  return kr_int_to_f64_slow(v, out);
}

/* int(x) for a float: truncation toward zero, exact for any finite size. */
static int kr_int_from_f64(double x, kr_int *out) {
  if (KILN_LIKELY(x > -4611686018427387904.0 && x < 4611686018427387904.0)) { *out = KR_INT((int64_t)x); return 0; }
  if (isnan(x)) return kr_raise(KILN_ValueError, "cannot convert float NaN to integer");
  if (isinf(x)) return kr_raise(KILN_OverflowError, "cannot convert float infinity to integer");
  int e;
  double m = frexp(fabs(x), &e);                 /* |x| = m * 2**e, 0.5 <= m < 1, e >= 63 */
  uint64_t mant = (uint64_t)ldexp(m, 53);        /* exact: |x| = mant * 2**(e - 53) */
  int64_t sh = e - 53, ndig = sh / KR_DIGIT_BITS;
  kr_bigint *z = kr_big_alloc(ndig + 4);
  if (!z) return -1;
  memset(z->d, 0, (size_t)(ndig + 4) * sizeof(kr_digit));
  kr_digit md[3];
  int nm = kr_u64_digits(mant, md);
  z->d[ndig + nm] = kr_mag_lshift_small(md, nm, (int)(sh % KR_DIGIT_BITS), z->d + ndig);
  *out = kr_big_finish(z, ndig + 4, x < 0);
  return 0;
}
/* math.floor / math.ceil / round() of a float, as ints of any size. */
static int kr_int_floor_f64(double x, kr_int *out) { return kr_int_from_f64(isfinite(x) ? floor(x) : x, out); }
static int kr_int_ceil_f64(double x, kr_int *out) { return kr_int_from_f64(isfinite(x) ? ceil(x) : x, out); }
static int kr_int_round_f64(double x, kr_int *out) {
  if (!isfinite(x)) return kr_int_from_f64(x, out);
  double r = round(x);
  if (fabs(x - trunc(x)) == 0.5) r = 2.0 * round(x / 2.0);   /* half to even */
  return kr_int_from_f64(r, out);
}

/* Exact comparison of an int with a float: -1, 0, 1, or 2 when the float is NaN (unordered). */
static int kr_int_cmp_f64(kr_int a, double f) {
  if (!(a & 1)) return kr_cmp_i64_f64(KR_INT_SMALL_VALUE(a), f);
  if (isnan(f)) return 2;
  if (isinf(f)) return f > 0 ? -1 : 1;
  kr_iview x;
  kr_view(a, &x);
  int sa = x.neg ? -1 : 1, sf = f > 0 ? 1 : f < 0 ? -1 : 0;
  if (sa != sf) return sa < sf ? -1 : 1;
  int e;
  frexp(f, &e);                                   /* |f| in [2**(e-1), 2**e) */
  int64_t n = kr_mag_bitlen(x.d, x.n);            /* |a| in [2**(n-1), 2**n) */
  int c;
  if (n != e) c = n < e ? -1 : 1;
  else {   /* same bit length (<= 1024): |f| = mant * 2**(e-53) exactly; compare |a|'s top 53 bits, then the rest */
    int sticky;
    uint64_t mant = (uint64_t)ldexp(frexp(fabs(f), &e), 53);
    uint64_t top = kr_mag_bits64(x.d, x.n, n - 53, &sticky);
    c = top != mant ? (top < mant ? -1 : 1) : sticky;
  }
  return sa < 0 ? -c : c;
}

/* ---------------------------------------------------------------------------------------------------------
 * Bits: << >> & | ^ ~, bit_length, bit_count
 * --------------------------------------------------------------------------------------------------------- */
/* The number of bits of |v| (int.bit_length). */
static int64_t kr_int_bit_length(kr_int v) {
  if (!(v & 1)) { int64_t x = KR_INT_SMALL_VALUE(v); return kr_bitlen64(x < 0 ? (uint64_t)0 - (uint64_t)x : (uint64_t)x); }
  kr_bigint *b = KR_INT_BIG(v);
  return kr_mag_bitlen(b->d, b->size < 0 ? -b->size : b->size);
}
/* The number of ones in |v| (int.bit_count). */
static int64_t kr_int_bit_count(kr_int v) {
  kr_iview x;
  kr_view(v, &x);
  int64_t c = 0;
  for (int64_t i = 0; i < x.n; i++) c += __builtin_popcount(x.d[i]);
  return c;
}

/* a << n for a shift count n >= 0 given as int64. */
static int kr_int_lshift_i64(kr_int a, int64_t n, kr_int *out) {
  if (n < 0) return kr_raise(KILN_ValueError, "negative shift count");
  if (!(a & 1)) {
    int64_t x = KR_INT_SMALL_VALUE(a);
    if (x == 0) { *out = KR_INT(0); return 0; }
    if (n < 62) {
      int64_t r = (int64_t)((uint64_t)x << n);
      if ((r >> n) == x && r >= KR_INT_SMALL_MIN && r <= KR_INT_SMALL_MAX) { *out = KR_INT(r); return 0; }
    }
  }
  kr_iview x;
  kr_view(a, &x);
  int64_t ndig = n / KR_DIGIT_BITS;
  if ((uint64_t)ndig > KR_BIG_MAX_DIGITS) return kr_raise(KILN_MemoryError, "");
  kr_bigint *z = kr_big_alloc(x.n + ndig + 1);
  if (!z) return -1;
  memset(z->d, 0, (size_t)ndig * sizeof(kr_digit));
  z->d[x.n + ndig] = kr_mag_lshift_small(x.d, x.n, (int)(n % KR_DIGIT_BITS), z->d + ndig);
  *out = kr_big_finish(z, x.n + ndig + 1, x.neg);
  return 0;
}
/* a >> n (floor division by 2**n) for a shift count n >= 0 given as int64. */
static int kr_int_rshift_i64(kr_int a, int64_t n, kr_int *out) {
  if (n < 0) return kr_raise(KILN_ValueError, "negative shift count");
  if (!(a & 1)) { int64_t x = KR_INT_SMALL_VALUE(a); *out = KR_INT(n >= 63 ? (x < 0 ? -1 : 0) : x >> n); return 0; }
  kr_iview x;
  kr_view(a, &x);
  int64_t ndig = n / KR_DIGIT_BITS;
  if (ndig >= x.n) { *out = KR_INT(x.neg ? -1 : 0); return 0; }
  int64_t nz = x.n - ndig;
  kr_bigint *z = kr_big_alloc(nz + 1);
  if (!z) return -1;
  kr_digit lost = kr_mag_rshift_small(x.d + ndig, nz, (int)(n % KR_DIGIT_BITS), z->d);
  z->d[nz] = 0;
  if (x.neg) {   /* floor: round the magnitude up when any bit shifted out was set */
    int any = lost != 0;
    for (int64_t i = 0; !any && i < ndig; i++) any = x.d[i] != 0;
    if (any) { kr_digit one = 1; kr_mag_iadd(z->d, nz + 1, &one, 1); }
  }
  *out = kr_big_finish(z, nz + 1, x.neg);
  return 0;
}
/* a << b, a >> b with an int shift count of any size: ValueError "negative shift count"; a left shift past
 * memory is MemoryError (CPython's too). */
static int kr_int_lshift(kr_int a, kr_int b, kr_int *out) {
  if (kr_int_sign(b) < 0) return kr_raise(KILN_ValueError, "negative shift count");
  int64_t n;
  if (!kr_int_as_i64(b, &n)) {
    if (kr_int_sign(a) == 0) { *out = KR_INT(0); return 0; }
    return kr_raise(KILN_MemoryError, "");
  }
  return kr_int_lshift_i64(a, n, out);
}
static int kr_int_rshift(kr_int a, kr_int b, kr_int *out) {
  if (kr_int_sign(b) < 0) return kr_raise(KILN_ValueError, "negative shift count");
  int64_t n;
  if (!kr_int_as_i64(b, &n)) { *out = KR_INT(kr_int_sign(a) < 0 ? -1 : 0); return 0; }
  return kr_int_rshift_i64(a, n, out);
}

/* ~a = -a - 1 */
static int kr_int_invert(kr_int a, kr_int *out) {
  if (!(a & 1)) { *out = KR_INT(~KR_INT_SMALL_VALUE(a)); return 0; }
  kr_int t;
  if (kr_int_neg(a, &t)) return -1;
  int rc = kr_int_sub(t, KR_INT(1), out);
  kr_int_decref(t);
  return rc;
}

/* & | ^ with two's-complement semantics on values of any sign ('&', '|', '^'). */
static int kr_int_bitop_slow(kr_int a, kr_int b, char op, kr_int *out) {
  kr_iview x, y;
  kr_view(a, &x);
  kr_view(b, &y);
  int64_t n = (x.n > y.n ? x.n : y.n) + 1;
  kr_bigint *z = kr_big_alloc(n);
  if (!z) return -1;
  /* digit i of a number in two's complement (infinitely sign-extended), computed on the fly */
  uint32_t cx = 1, cy = 1, cz = 1;
  int zneg = op == '&' ? (x.neg & y.neg) : op == '|' ? (x.neg | y.neg) : (x.neg ^ y.neg);
  for (int64_t i = 0; i < n; i++) {
    uint32_t dx = i < x.n ? x.d[i] : 0, dy = i < y.n ? y.d[i] : 0;
    if (x.neg) { cx += (~dx) & KR_DIGIT_MASK; dx = cx & KR_DIGIT_MASK; cx >>= KR_DIGIT_BITS; }
    if (y.neg) { cy += (~dy) & KR_DIGIT_MASK; dy = cy & KR_DIGIT_MASK; cy >>= KR_DIGIT_BITS; }
    uint32_t dz = op == '&' ? (dx & dy) : op == '|' ? (dx | dy) : (dx ^ dy);
    if (zneg) { cz += (~dz) & KR_DIGIT_MASK; dz = cz & KR_DIGIT_MASK; cz >>= KR_DIGIT_BITS; }   /* back to magnitude */
    z->d[i] = dz;
  }
  *out = kr_big_finish(z, n, zneg);
  return 0;
}
static KILN_ALWAYS_INLINE int kr_int_and(kr_int a, kr_int b, kr_int *out) { if (KILN_LIKELY(!((a | b) & 1))) { *out = a & b; return 0; } return kr_int_bitop_slow(a, b, '&', out); }
static KILN_ALWAYS_INLINE int kr_int_or(kr_int a, kr_int b, kr_int *out) { if (KILN_LIKELY(!((a | b) & 1))) { *out = a | b; return 0; } return kr_int_bitop_slow(a, b, '|', out); }
static KILN_ALWAYS_INLINE int kr_int_xor(kr_int a, kr_int b, kr_int *out) { if (KILN_LIKELY(!((a | b) & 1))) { *out = a ^ b; return 0; } return kr_int_bitop_slow(a, b, '^', out); }

/* ---------------------------------------------------------------------------------------------------------
 * Powers
 * --------------------------------------------------------------------------------------------------------- */
/* a ** b for b >= 0 (an int). A negative b gives a float in Python: use kr_int_pow_float for that case
 * (kr_int_sign(b) < 0 tells which), this function raises ValueError then. */
static int kr_int_pow(kr_int a, kr_int b, kr_int *out) {
  int sb = kr_int_sign(b);
  if (sb < 0) return kr_raise(KILN_ValueError, "negative exponent: the result is a float (kr_int_pow_float)");
  if (sb == 0) { *out = KR_INT(1); return 0; }
  int64_t av;
  if (kr_int_as_i64(a, &av) && (av == 0 || av == 1)) { *out = KR_INT(av); return 0; }
  if (kr_int_as_i64(a, &av) && av == -1) { kr_iview e; kr_view(b, &e); *out = KR_INT((e.d[0] & 1) ? -1 : 1); return 0; }
  int64_t e;
  if (!kr_int_as_i64(b, &e)) return kr_raise(KILN_MemoryError, "");
  /* |a| >= 2: the result has about bitlen(a) * e bits */
  int64_t abits = kr_int_bit_length(a);
  if ((abits - 1) > (int64_t)(KR_BIG_MAX_DIGITS * KR_DIGIT_BITS) / e) return kr_raise(KILN_MemoryError, "");
  if (kr_int_as_i64(a, &av) && av > 0 && (av & (av - 1)) == 0) {   /* a power of two: a shift */
    return kr_int_lshift_i64(KR_INT(1), (int64_t)(abits - 1) * e, out);
  }
  /* left-to-right binary exponentiation */
  kr_int r = a, t;
  kr_int_incref(a);
  for (int bit = kr_bitlen64((uint64_t)e) - 2; bit >= 0; bit--) {
    if (kr_int_mul(r, r, &t)) { kr_int_decref(r); return -1; }
    kr_int_decref(r);
    r = t;
    if ((e >> bit) & 1) {
      if (kr_int_mul(r, a, &t)) { kr_int_decref(r); return -1; }
      kr_int_decref(r);
      r = t;
    }
  }
  *out = r;
  return 0;
}
/* a ** b for b < 0: float(a) ** float(b), as CPython (OverflowError for an a too large for a float,
 * ZeroDivisionError for 0 ** -n). */
static int kr_int_pow_float(kr_int a, kr_int b, double *out) {
  double x, y;
  if (kr_int_to_f64(a, &x) || kr_int_to_f64(b, &y)) return -1;
  return kr_pow_f64(x, y, out);
}

static int kr_int_invmod(kr_int a, kr_int m, kr_int *out);

/* pow(a, b, m): the result has the sign of m; a negative b uses the modular inverse of a. */
static int kr_int_powmod(kr_int a, kr_int b, kr_int m, kr_int *out) {
  int sm = kr_int_sign(m);
  if (sm == 0) return kr_raise(KILN_ValueError, "pow() 3rd argument cannot be 0");
  kr_int mm, base = 0, r = KR_INT(1), t;
  if (kr_int_abs(m, &mm)) return -1;
  if (mm == KR_INT(1)) { *out = KR_INT(0); return 0; }
  kr_int e = b;
  kr_int_incref(e);
  if (kr_int_sign(b) < 0) {
    kr_int inv;
    if (kr_int_invmod(a, mm, &inv)) { kr_int_decref(mm); kr_int_decref(e); return -1; }
    base = inv;
    kr_int_decref(e);
    if (kr_int_neg(b, &e)) { kr_int_decref(mm); kr_int_decref(base); return -1; }
  } else if (kr_int_mod(a, mm, &base)) { kr_int_decref(mm); kr_int_decref(e); return -1; }
  kr_iview ev;
  kr_view(e, &ev);
  int64_t nbits = kr_mag_bitlen(ev.d, ev.n);
  for (int64_t bit = nbits - 1; bit >= 0; bit--) {
    if (kr_int_mul(r, r, &t)) goto fail;
    kr_int_decref(r); r = t;
    if (kr_int_mod(r, mm, &t)) goto fail;
    kr_int_decref(r); r = t;
    if ((ev.d[bit / KR_DIGIT_BITS] >> (bit % KR_DIGIT_BITS)) & 1) {
      if (kr_int_mul(r, base, &t)) goto fail;
      kr_int_decref(r); r = t;
      if (kr_int_mod(r, mm, &t)) goto fail;
      kr_int_decref(r); r = t;
    }
  }
  if (nbits == 0 && kr_int_mod(r, mm, &t) == 0) { kr_int_decref(r); r = t; }   /* pow(a, 0, m) = 1 % m */
  if (sm < 0 && kr_int_sign(r) != 0) {
    if (kr_int_sub(r, mm, &t)) goto fail;
    kr_int_decref(r); r = t;
  }
  kr_int_decref(mm); kr_int_decref(e); kr_int_decref(base);
  *out = r;
  return 0;
fail:
  kr_int_decref(mm); kr_int_decref(e); kr_int_decref(base); kr_int_decref(r);
  return -1;
}

/* The inverse of a modulo m > 1 (extended Euclid), or ValueError when gcd(a, m) != 1. */
static int kr_int_invmod(kr_int a, kr_int m, kr_int *out) {
  kr_int r0, r1, t0 = KR_INT(0), t1 = KR_INT(1), q, tmp, prod;
  if (kr_int_mod(a, m, &r1)) return -1;
  r0 = m;
  kr_int_incref(r0);
  while (kr_int_sign(r1) != 0) {
    if (kr_int_divmod(r0, r1, &q, &tmp)) goto fail;
    kr_int_decref(r0); r0 = r1; r1 = tmp;
    if (kr_int_mul(q, t1, &prod)) { kr_int_decref(q); goto fail; }
    kr_int_decref(q);
    if (kr_int_sub(t0, prod, &tmp)) { kr_int_decref(prod); goto fail; }
    kr_int_decref(prod);
    kr_int_decref(t0); t0 = t1; t1 = tmp;
  }
  if (r0 != KR_INT(1)) {
    kr_int_decref(r0); kr_int_decref(r1); kr_int_decref(t0); kr_int_decref(t1);
    return kr_raise(KILN_ValueError, "base is not invertible for the given modulus");
  }
  kr_int_decref(r0); kr_int_decref(r1); kr_int_decref(t1);
  int rc = kr_int_mod(t0, m, out);
  kr_int_decref(t0);
  return rc;
fail:
  kr_int_decref(r0); kr_int_decref(r1); kr_int_decref(t0); kr_int_decref(t1);
  return -1;
}

/* Compiled code's bound on one ** or << result (the big-int twins, docs/design/numbers.md): a power or a left
 * shift whose exact result would have KR_INT_BOUND_BITS bits or more raises OverflowError with this message
 * instead of computing it. CPython goes on computing (an exponent or a count taken from the caller can ask for
 * hours of work or more memory than the machine has); 2**24 bits is about 5 million decimal digits. */
#define KR_INT_BOUND_BITS ((int64_t)1 << 24)
static const char kr_int_bound_msg[] = "int result of ** or << would have 2**24 bits or more (Kiln's bound on one such result in compiled code; docs/design/numbers.md)";

/* a ** b for b >= 0, within the bound. */
static int kr_int_pow_bounded(kr_int a, kr_int b, kr_int *out) {
  int64_t av, e;
  if (kr_int_sign(b) <= 0 || (kr_int_as_i64(a, &av) && av >= -1 && av <= 1)) return kr_int_pow(a, b, out);
  /* |a| >= 2: the result has at least (bitlen(a) - 1) * e + 1 bits */
  if (!kr_int_as_i64(b, &e) || kr_int_bit_length(a) - 1 > (KR_INT_BOUND_BITS - 1) / e) return kr_raise(KILN_OverflowError, kr_int_bound_msg);
  return kr_int_pow(a, b, out);
}
/* a << b, within the bound (ValueError for a negative count, as kr_int_lshift). */
static int kr_int_lshift_bounded(kr_int a, kr_int b, kr_int *out) {
  int64_t n;
  if (kr_int_sign(b) < 0 || kr_int_sign(a) == 0) return kr_int_lshift(a, b, out);
  if (!kr_int_as_i64(b, &n) || n >= KR_INT_BOUND_BITS - kr_int_bit_length(a)) return kr_raise(KILN_OverflowError, kr_int_bound_msg);
  return kr_int_lshift_i64(a, n, out);
}

/* ---------------------------------------------------------------------------------------------------------
 * Hash: CPython's, modulo 2**61 - 1 (hash(-1) is -2)
 * --------------------------------------------------------------------------------------------------------- */
static int64_t kr_int_hash(kr_int v) {
  uint64_t x = 0;
  int neg;
  if (!(v & 1)) {
    int64_t s = KR_INT_SMALL_VALUE(v);
    neg = s < 0;
    x = neg ? (uint64_t)0 - (uint64_t)s : (uint64_t)s;
    x %= KR_HASH_MODULUS;
  } else {
    kr_bigint *b = KR_INT_BIG(v);
    neg = b->size < 0;
    for (int64_t i = (neg ? -b->size : b->size) - 1; i >= 0; i--) {
      x = ((x << KR_DIGIT_BITS) & KR_HASH_MODULUS) | (x >> (KR_HASH_BITS - KR_DIGIT_BITS));
      x += b->d[i];
      if (x >= KR_HASH_MODULUS) x -= KR_HASH_MODULUS;
    }
  }
  int64_t h = neg ? -(int64_t)x : (int64_t)x;
  return h == -1 ? -2 : h;
}


/* ---------------------------------------------------------------------------------------------------------
 * Text: str() / repr(), hex() / oct() / bin(), int(text, base)
 * --------------------------------------------------------------------------------------------------------- */
/* CPython's limit on decimal (non power-of-two base) conversions (sys.get_int_max_str_digits()). */
#define KR_INT_MAX_STR_DIGITS 4300

static int kr_raise_str_limit_to_str(void) {
  snprintf(kr_num_msg, sizeof kr_num_msg, "Exceeds the limit (%d digits) for integer string conversion; use sys.set_int_max_str_digits() to increase the limit", KR_INT_MAX_STR_DIGITS);
  return kr_raise(KILN_ValueError, kr_num_msg);
}

/* Decimal digits of v (sign included) into a malloc'd string. Quadratic, as CPython 3.11: the 4300-digit
 * limit bounds the work (a 4300-digit number converts in about 0.1 ms). */
static int kr_int_to_decimal(kr_int v, char **out, int64_t *len) {
  kr_iview x;
  kr_view(v, &x);
  /* numbers of 14286 bits or more have more than 4300 digits: refuse before converting (CPython does too) */
  if (kr_mag_bitlen(x.d, x.n) >= 14286) return kr_raise_str_limit_to_str();
  /* base 10**9 digits: each 30-bit digit from the top is multiplied in */
  int64_t cap = 1 + x.n + x.n / 3 + 1;
  uint32_t *p = (uint32_t *)malloc((size_t)cap * sizeof(uint32_t));
  if (!p) return kr_raise(KILN_MemoryError, "");
  int64_t np = 0;
  for (int64_t i = x.n - 1; i >= 0; i--) {
    uint64_t hi = x.d[i];
    for (int64_t j = 0; j < np; j++) {
      uint64_t z = ((uint64_t)p[j] << KR_DIGIT_BITS) | hi;
      hi = z / 1000000000u;
      p[j] = (uint32_t)(z - hi * 1000000000u);
    }
    while (hi) { p[np++] = (uint32_t)(hi % 1000000000u); hi /= 1000000000u; }
  }
  if (np == 0) p[np++] = 0;
  int top = 1;
  for (uint32_t t = p[np - 1]; t >= 10; t /= 10) top++;
  int64_t ndigits = (np - 1) * 9 + top;
  if (ndigits > KR_INT_MAX_STR_DIGITS) { free(p); return kr_raise_str_limit_to_str(); }
  int64_t n = ndigits + x.neg;
  char *s = (char *)malloc((size_t)n + 1);
  if (!s) { free(p); return kr_raise(KILN_MemoryError, ""); }
  char *w = s + n;
  *w = 0;
  for (int64_t j = 0; j < np - 1; j++) {
    uint32_t t = p[j];
    for (int k = 0; k < 9; k++) { *--w = (char)('0' + t % 10); t /= 10; }
  }
  for (uint32_t t = p[np - 1]; w > s + x.neg; t /= 10) *--w = (char)('0' + t % 10);
  if (x.neg) s[0] = '-';
  free(p);
  *out = s;
  *len = n;
  return 0;
}

/* Digits of v in base 2, 8 or 16 (lower case), with Python's prefix (0b, 0o, 0x) when `prefix`, a '-' in
 * front for a negative number: hex(), oct(), bin(). No length limit (CPython has none for these bases). */
static int kr_int_to_base2k(kr_int v, int base, int prefix, char **out, int64_t *len) {
  kr_iview x;
  kr_view(v, &x);
  int bits = base == 2 ? 1 : base == 8 ? 3 : 4;
  int64_t nbits = kr_mag_bitlen(x.d, x.n);
  int64_t ndig = nbits ? (nbits + bits - 1) / bits : 1;
  int64_t n = ndig + x.neg + (prefix ? 2 : 0);
  char *s = (char *)malloc((size_t)n + 1);
  if (!s) return kr_raise(KILN_MemoryError, "");
  char *w = s + n;
  *w = 0;
  uint64_t acc = 0;
  int accbits = 0;
  int64_t i = 0;
  for (int64_t k = 0; k < ndig; k++) {
    while (accbits < bits && i < x.n) { acc |= (uint64_t)x.d[i++] << accbits; accbits += KR_DIGIT_BITS; }
    *--w = "0123456789abcdef"[acc & (uint64_t)(base - 1)];
    acc >>= bits;
    accbits -= bits;
  }
  if (prefix) { *--w = base == 2 ? 'b' : base == 8 ? 'o' : 'x'; *--w = '0'; }
  if (x.neg) *--w = '-';
  *out = s;
  *len = n;
  return 0;
}

/* str(v) / repr(v) */
static int kr_int_str(kr_int v, char **out, int64_t *len) { return kr_int_to_decimal(v, out, len); }
static int kr_int_hex(kr_int v, char **out, int64_t *len) { return kr_int_to_base2k(v, 16, 1, out, len); }
static int kr_int_oct(kr_int v, char **out, int64_t *len) { return kr_int_to_base2k(v, 8, 1, out, len); }
static int kr_int_bin(kr_int v, char **out, int64_t *len) { return kr_int_to_base2k(v, 2, 1, out, len); }

/* Python's repr() of ASCII text (the quote chosen as Python chooses, escapes as Python writes them), cut to
 * `limit` characters, appended to buf. Bytes >= 0x80 (UTF-8 of non-ASCII text) are copied as they are. */
static size_t kr_ascii_repr(const char *s, int64_t len, size_t limit, char *buf, size_t cap) {
  int has_single = memchr(s, '\'', (size_t)len) != NULL, has_double = memchr(s, '"', (size_t)len) != NULL;
  char q = has_single && !has_double ? '"' : '\'';
  size_t n = 0, chars = 0;
#define KR_PUT(c) do { if (chars < limit && n + 1 < cap) { buf[n++] = (c); } chars++; } while (0)
  KR_PUT(q);
  for (int64_t i = 0; i < len && chars < limit; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == (unsigned char)q || c == '\\') { KR_PUT('\\'); KR_PUT((char)c); }
    else if (c == '\n') { KR_PUT('\\'); KR_PUT('n'); }
    else if (c == '\r') { KR_PUT('\\'); KR_PUT('r'); }
    else if (c == '\t') { KR_PUT('\\'); KR_PUT('t'); }
    else if (c < 0x20 || c == 0x7f) { KR_PUT('\\'); KR_PUT('x'); KR_PUT("0123456789abcdef"[c >> 4]); KR_PUT("0123456789abcdef"[c & 15]); }
    else if (c >= 0x80) { if (n + 1 < cap) buf[n++] = (char)c; if ((c & 0xc0) != 0x80) chars++; }   /* one count per code point */
    else KR_PUT((char)c);
  }
  KR_PUT(q);
#undef KR_PUT
  buf[n] = 0;
  return n;
}
static int kr_raise_invalid_literal(const char *s, int64_t len, int base) {
  int n = snprintf(kr_num_msg, sizeof kr_num_msg, "invalid literal for int() with base %d: ", base);
  kr_ascii_repr(s, len, 200, kr_num_msg + n, sizeof kr_num_msg - (size_t)n);   /* CPython's %.200R */
  return kr_raise(KILN_ValueError, kr_num_msg);
}

static inline int kr_digit_value(unsigned char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'z') return c - 'a' + 10;
  if (c >= 'A' && c <= 'Z') return c - 'A' + 10;
  return 37;
}
/* The whitespace int() skips among ASCII characters (C's isspace: not \x1c-\x1f, which str.isspace() accepts;
 * non-ASCII whitespace reaches here as ' ' from the str layer's transformation). */
static inline int kr_is_space(unsigned char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

/*
 * int(text, base): Python's grammar (surrounding whitespace, one sign, base 0 reads a 0x/0o/0b prefix and refuses
 * leading zeros, one underscore between digits or after the prefix), its errors ("invalid literal for int() with
 * base 10: 'abc'", "int() base must be >= 2 and <= 36, or 0"), and CPython 3.11's limit of 4300 digits for
 * bases that are not powers of two, checked as CPython does: after the digits are scanned, before the rest.
 * `s` is the text as ASCII: the str layer first maps Unicode decimal digits and whitespace to ASCII as CPython's
 * _PyUnicode_TransformDecimalAndSpaceToASCII does (other non-ASCII text passes through and is invalid).
 */
static int kr_int_from_str(const char *s, int64_t len, int base, kr_int *out) {
  if (base != 0 && (base < 2 || base > 36)) return kr_raise(KILN_ValueError, "int() base must be >= 2 and <= 36, or 0");
  const unsigned char *p = (const unsigned char *)s, *end = p + len;
  int orig_base = base, negative = 0, error_if_nonzero = 0;
  while (p < end && kr_is_space(*p)) p++;
  if (p < end && (*p == '+' || *p == '-')) { negative = *p == '-'; p++; }
  if (base == 0) {
    if (p >= end || *p != '0') base = 10;
    else if (p + 1 < end && (p[1] == 'x' || p[1] == 'X')) base = 16;
    else if (p + 1 < end && (p[1] == 'o' || p[1] == 'O')) base = 8;
    else if (p + 1 < end && (p[1] == 'b' || p[1] == 'B')) base = 2;
    else { error_if_nonzero = 1; base = 10; }
  }
  if (p + 1 < end && p[0] == '0' &&
      ((base == 16 && (p[1] == 'x' || p[1] == 'X')) || (base == 8 && (p[1] == 'o' || p[1] == 'O')) ||
       (base == 2 && (p[1] == 'b' || p[1] == 'B')))) {
    p += 2;
    if (p < end && *p == '_') p++;   /* one underscore allowed after the prefix */
  }
  if (p < end && *p == '_') return kr_raise_invalid_literal(s, len, orig_base);
  const unsigned char *start = p;
  int64_t ndigits = 0;
  unsigned char prev = 0;
  while (p < end && (kr_digit_value(*p) < base || *p == '_')) {
    if (*p == '_' && prev == '_') return kr_raise_invalid_literal(s, len, orig_base);
    if (*p != '_') ndigits++;
    prev = *p++;
  }
  if (prev == '_') return kr_raise_invalid_literal(s, len, orig_base);
  const unsigned char *digits_end = p;
  if ((base & (base - 1)) != 0 && ndigits > KR_INT_MAX_STR_DIGITS) {
    snprintf(kr_num_msg, sizeof kr_num_msg, "Exceeds the limit (%d digits) for integer string conversion: value has %lld digits; use sys.set_int_max_str_digits() to increase the limit", KR_INT_MAX_STR_DIGITS, (long long)ndigits);
    return kr_raise(KILN_ValueError, kr_num_msg);
  }
  if (digits_end == start) return kr_raise_invalid_literal(s, len, orig_base);
  while (p < end && kr_is_space(*p)) p++;
  if (p != end) return kr_raise_invalid_literal(s, len, orig_base);
  /* the value */
  kr_bigint *z;
  int64_t nz;
  if ((base & (base - 1)) == 0) {   /* 2, 4, 8, 16, 32: bits straight into digits, from the least significant */
    int bits = __builtin_ctz((unsigned)base);
    nz = (ndigits * bits + KR_DIGIT_BITS - 1) / KR_DIGIT_BITS + 1;
    z = kr_big_alloc(nz);
    if (!z) return -1;
    memset(z->d, 0, (size_t)nz * sizeof(kr_digit));
    int64_t bitpos = 0;
    for (const unsigned char *q = digits_end; q > start;) {
      unsigned char c = *--q;
      if (c == '_') continue;
      uint64_t dv = (uint64_t)kr_digit_value(c) << (bitpos % KR_DIGIT_BITS);
      int64_t di = bitpos / KR_DIGIT_BITS;
      z->d[di] |= (kr_digit)(dv & KR_DIGIT_MASK);
      if (dv >> KR_DIGIT_BITS) z->d[di + 1] |= (kr_digit)(dv >> KR_DIGIT_BITS);
      bitpos += bits;
    }
  } else {                           /* groups of digits, each multiplied in: z = z * base**k + group */
    int per = 1;
    uint32_t bpow = (uint32_t)base;
    while ((uint64_t)bpow * (uint32_t)base <= KR_DIGIT_BASE) { bpow *= (uint32_t)base; per++; }
    double bits_per_digit = log2((double)base);
    nz = (int64_t)((double)ndigits * bits_per_digit / KR_DIGIT_BITS) + 2;
    z = kr_big_alloc(nz);
    if (!z) return -1;
    int64_t used = 0;
    const unsigned char *q = start;
    while (q < digits_end) {
      uint32_t group = 0, mult = 1;
      int k = 0;
      while (k < per && q < digits_end) {
        if (*q != '_') { group = group * (uint32_t)base + (uint32_t)kr_digit_value(*q); mult *= (uint32_t)base; k++; }
        q++;
      }
      if (k == 0) break;
      kr_mag_mul1(z->d, used, mult, group, z->d);
      used++;
      used = kr_mag_norm(z->d, used);
    }
    nz = used;
  }
  kr_int r = kr_big_finish(z, nz, negative);
  if (error_if_nonzero && kr_int_sign(r) != 0) { kr_int_decref(r); return kr_raise_invalid_literal(s, len, 0); }
  *out = r;
  return 0;
}

/* ---------------------------------------------------------------------------------------------------------
 * Bytes: int.to_bytes / int.from_bytes
 * --------------------------------------------------------------------------------------------------------- */
/* v as `length` bytes (big or little endian, two's complement when is_signed) into out[0..length).
 * OverflowError "int too big to convert" / "can't convert negative int to unsigned", as CPython. */
static int kr_int_to_bytes(kr_int v, int64_t length, int little, int is_signed, uint8_t *out) {
  if (length < 0) return kr_raise(KILN_ValueError, "length argument must be non-negative");
  kr_iview x;
  kr_view(v, &x);
  if (x.neg && !is_signed) return kr_raise(KILN_OverflowError, "can't convert negative int to unsigned");
  uint64_t acc = 0;
  int accbits = 0;
  uint32_t carry = 1;   /* two's complement of a negative number: ~magnitude + 1 */
  int64_t i = 0;
  for (int64_t k = 0; k < length; k++) {
    while (accbits < 8) {
      uint32_t d = i < x.n ? x.d[i] : 0;
      if (x.neg) { carry += (~d) & KR_DIGIT_MASK; d = carry & KR_DIGIT_MASK; carry >>= KR_DIGIT_BITS; }
      acc |= (uint64_t)d << accbits;
      accbits += KR_DIGIT_BITS;
      i++;
    }
    out[little ? k : length - 1 - k] = (uint8_t)acc;
    acc >>= 8;
    accbits -= 8;
  }
  /* what is left must be pure sign: digits past what was written, and the sign bit of the last byte */
  int64_t nbits = kr_mag_bitlen(x.d, x.n);
  int fits;
  if (length == 0) fits = x.n == 0 || (x.neg && x.n == 1 && x.d[0] == 1);   /* CPython: 0 and -1 fit in no bytes */
  else if (!x.neg) fits = nbits + (is_signed ? 1 : 0) <= length * 8;
  else {
    /* -m fits in n signed bytes when m <= 2**(8n - 1) */
    fits = nbits <= length * 8 - 1;
    if (!fits && nbits == length * 8 && length > 0) {   /* exactly -2**(8n-1)? */
      int64_t ones = kr_int_bit_count(v);
      fits = ones == 1;
    }
  }
  if (!fits) return kr_raise(KILN_OverflowError, "int too big to convert");
  return 0;
}
/* The bytes v needs in two's complement (to_bytes(n, ..., signed=True) succeeds for this n): the size of the
 * big-int form that crosses the C ABI (sign included, little endian, as int.to_bytes). */
static int64_t kr_int_byte_length(kr_int v) { return kr_int_bit_length(v) / 8 + 1; }
/* int.from_bytes(bytes, byteorder, signed=is_signed) */
static int kr_int_from_bytes(const uint8_t *b, int64_t n, int little, int is_signed, kr_int *out) {
  int negative = is_signed && n > 0 && (b[little ? n - 1 : 0] & 0x80);
  int64_t nz = (n * 8 + KR_DIGIT_BITS - 1) / KR_DIGIT_BITS + 1;
  kr_bigint *z = kr_big_alloc(nz);
  if (!z) return -1;
  uint64_t acc = 0;
  int accbits = 0;
  int64_t di = 0;
  uint32_t carry = 1;
  for (int64_t k = 0; k < n; k++) {
    uint8_t byte = b[little ? k : n - 1 - k];
    acc |= (uint64_t)byte << accbits;
    accbits += 8;
    while (accbits >= KR_DIGIT_BITS) {
      uint32_t d = (uint32_t)(acc & KR_DIGIT_MASK);
      if (negative) { carry += (~d) & KR_DIGIT_MASK; d = carry & KR_DIGIT_MASK; carry >>= KR_DIGIT_BITS; }
      z->d[di++] = d;
      acc >>= KR_DIGIT_BITS;
      accbits -= KR_DIGIT_BITS;
    }
  }
  while (di < nz) {   /* the rest (sign-extended for a negative number) */
    uint32_t d = (uint32_t)(acc & KR_DIGIT_MASK);
    if (negative) { d |= (uint32_t)(KR_DIGIT_MASK & ~(((uint64_t)1 << (accbits > 0 ? accbits : 0)) - 1)); carry += (~d) & KR_DIGIT_MASK; d = carry & KR_DIGIT_MASK; carry >>= KR_DIGIT_BITS; }
    z->d[di++] = d;
    acc = 0;
    accbits = 0;
  }
  *out = kr_big_finish(z, nz, negative);
  return 0;
}

/* ---------------------------------------------------------------------------------------------------------
 * The values of compiled code's big-int twins besides ints (lower/c_bigint.ts): the str of an int and what is
 * cut from it (ASCII text), and a list of ints. Each variable of the twin owns its text (assignment copies: a
 * str is immutable, so a copy is the same value); a list is shared between the names bound to it, as Python
 * shares it, through its reference count.
 * --------------------------------------------------------------------------------------------------------- */
typedef struct { char *p; int64_t n; } kr_itext;

static inline void kr_itext_free(kr_itext *t) { free(t->p); t->p = NULL; t->n = 0; }
/* Replaces *t by a copy of the n bytes at p (p may point into *t itself). */
static int kr_itext_set(kr_itext *t, const char *p, int64_t n) {
  char *q = (char *)malloc((size_t)n + 1);
  if (!q) return kr_raise(KILN_MemoryError, "");
  if (n) memcpy(q, p, (size_t)n);
  q[n] = 0;
  free(t->p);
  t->p = q;
  t->n = n;
  return 0;
}
/* *t = str(v): ValueError past CPython's 4300 digits, as kr_int_str. */
static int kr_itext_from_int(kr_itext *t, kr_int v) {
  char *q;
  int64_t n;
  if (kr_int_str(v, &q, &n)) return -1;
  free(t->p);
  t->p = q;
  t->n = n;
  return 0;
}
/* The index of s[i] (a negative i counts from the end), or IndexError "string index out of range". */
static int kr_itext_index(const kr_itext *s, kr_int i, int64_t *at) {
  int64_t k;
  if (!kr_int_as_i64(i, &k)) return kr_raise(KILN_IndexError, "cannot fit 'int' into an index-sized integer");
  if (k < 0 ? k + s->n < 0 : k >= s->n) return kr_raise(KILN_IndexError, "string index out of range");
  *at = k < 0 ? k + s->n : k;
  return 0;
}
/* A slice bound as CPython reads it (_PyEval_SliceIndex): an int past the C range is clamped to it. */
static inline int64_t kr_itext_bound(kr_int v) {
  int64_t k;
  return kr_int_as_i64(v, &k) ? k : kr_int_sign(v) < 0 ? INT64_MIN : INT64_MAX;
}
/* *t = s[start:stop:step] (has_* 0 for an omitted bound); ValueError "slice step cannot be zero". */
static int kr_itext_slice(kr_itext *t, const kr_itext *s, int has_start, kr_int start, int has_stop, kr_int stop, int has_step, kr_int step) {
  int64_t st = has_step ? kr_itext_bound(step) : 1;
  if (st == 0) return kr_raise(KILN_ValueError, "slice step cannot be zero");
  if (st < -INT64_MAX) st = -INT64_MAX;
  int64_t n = s->n, lo, hi;
  /* PySlice_AdjustIndices */
  if (!has_start) lo = st < 0 ? n - 1 : 0;
  else {
    lo = kr_itext_bound(start);
    if (lo < 0) { lo += n; if (lo < 0) lo = st < 0 ? -1 : 0; }
    else if (lo >= n) lo = st < 0 ? n - 1 : n;
  }
  if (!has_stop) hi = st < 0 ? -1 : n;
  else {
    hi = kr_itext_bound(stop);
    if (hi < 0) { hi += n; if (hi < 0) hi = st < 0 ? -1 : 0; }
    else if (hi >= n) hi = st < 0 ? n - 1 : n;
  }
  int64_t len = st < 0 ? (hi < lo ? (lo - hi - 1) / (-st) + 1 : 0) : (lo < hi ? (hi - lo - 1) / st + 1 : 0);
  char *q = (char *)malloc((size_t)len + 1);
  if (!q) return kr_raise(KILN_MemoryError, "");
  for (int64_t i = 0, k = lo; i < len; i++, k += st) q[i] = s->p[k];
  q[len] = 0;
  free(t->p);
  t->p = q;
  t->n = len;
  return 0;
}
static inline bool kr_itext_eq(const char *a, int64_t na, const char *b, int64_t nb) { return na == nb && (na == 0 || memcmp(a, b, (size_t)na) == 0); }

typedef struct { int64_t refs, n, cap; kr_int *items; } kr_ints;

static void kr_ints_decref(kr_ints *l) {
  if (!l || --l->refs) return;
  for (int64_t i = 0; i < l->n; i++) kr_int_decref(l->items[i]);
  free(l->items);
  free(l);
}
static inline void kr_ints_assign(kr_ints **slot, kr_ints *l) { if (l) l->refs++; kr_ints_decref(*slot); *slot = l; }
/* *slot = a new empty list. */
static int kr_ints_new(kr_ints **slot) {
  kr_ints *l = (kr_ints *)calloc(1, sizeof *l);
  if (!l) return kr_raise(KILN_MemoryError, "");
  l->refs = 1;
  kr_ints_decref(*slot);
  *slot = l;
  return 0;
}
/* *slot = a new list of the ints of a C array (a list[int] argument of compiled code, each item an int64). */
static int kr_ints_from_i64(const int64_t *items, int64_t n, kr_ints **slot);
static int kr_ints_append(kr_ints *l, kr_int v) {
  if (l->n == l->cap) {
    int64_t cap = l->cap ? 2 * l->cap : 8;
    kr_int *items = (kr_int *)realloc(l->items, (size_t)cap * sizeof *items);
    if (!items) return kr_raise(KILN_MemoryError, "");
    l->items = items;
    l->cap = cap;
  }
  kr_int_incref(v);
  l->items[l->n++] = v;
  return 0;
}
static int kr_ints_from_i64(const int64_t *items, int64_t n, kr_ints **slot) {
  if (kr_ints_new(slot)) return -1;
  for (int64_t i = 0; i < n; i++) {
    kr_int v;
    if (kr_int_from_i64(items[i], &v)) return -1;
    int rc = kr_ints_append(*slot, v);
    kr_int_decref(v);
    if (rc) return -1;
  }
  return 0;
}
/* l[i] (borrowed), or IndexError "list index out of range". */
static int kr_ints_get(const kr_ints *l, kr_int i, kr_int *out) {
  int64_t k;
  if (!kr_int_as_i64(i, &k)) return kr_raise(KILN_IndexError, "cannot fit 'int' into an index-sized integer");
  if (k < 0 ? k + l->n < 0 : k >= l->n) return kr_raise(KILN_IndexError, "list index out of range");
  *out = l->items[k < 0 ? k + l->n : k];
  return 0;
}
/* sum(l), from 0, left to right. */
static int kr_ints_sum(const kr_ints *l, kr_int *out) {
  kr_int s = KR_INT(0), t;
  for (int64_t i = 0; i < l->n; i++) {
    if (kr_int_add(s, l->items[i], &t)) { kr_int_decref(s); return -1; }
    kr_int_decref(s);
    s = t;
  }
  *out = s;
  return 0;
}

#endif /* KILN_BIGINT_H */
