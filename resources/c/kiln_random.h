/*
 * Kiln runtime: Python's `random` module and NumPy's `np.random.default_rng`, bit-exact for the same seed.
 * Design and what is exact where: docs/design/numbers.md ("Random numbers").
 *
 * CPython (`random`, 3.11): the Mersenne Twister MT19937 seeded as CPython's random_seed (init_by_array over the
 * 32-bit words of abs(seed)), random() from two 32-bit outputs, getrandbits(k) for any k, and every method
 * transcribed from random.py's algorithms (_randbelow_with_getrandbits, shuffle, both of sample's algorithms,
 * choices with bisect, gauss with its cached second value, Kinderman-Monahan normalvariate, ...), with CPython's
 * exceptions. A kr_random is one `random.Random` instance; kr_random_default() is the module's own instance.
 * Unseeded generators (the module instance before random.seed(), Random() with no seed) take their seed from the
 * clock and addresses, as CPython takes one from os.urandom: such streams are not reproducible in either, and
 * only seeded streams are comparable. The module instance is per thread (CPython shares one under its GIL).
 *
 * NumPy (`Generator(PCG64(seed))`, NumPy 2): SeedSequence's hash mixing of the seed's 32-bit words, PCG64 (the
 * 128-bit LCG with XSL-RR output, on 64-bit halves: no __int128), random(), integers() with Lemire's bounded
 * method for int64 (and its 32-bit buffered variant), standard_normal()/normal() by NumPy's 256-level ziggurat
 * (tables from NumPy itself: kiln_ziggurat.h), uniform(), choice() with and without p and replacement,
 * shuffle(), permutation(), with NumPy's exceptions.
 *
 * Methods built only from arithmetic and sqrt are bit-exact on every target. Those that call log/exp/cos/sin/
 * acos/pow (gauss, normalvariate, expovariate, lognormvariate, vonmises, gamma, beta, pareto, weibull; NumPy's
 * normal tail) give what CPython or NumPy give with the target's C library: identical on x86_64-linux-gnu, and
 * on musl/wasi-libc within an ulp or two of glibc in the cases the libraries round differently.
 *
 * Conventions: fallible functions return 0 or raise (kr_raise) and return -1; kr_int results are new references.
 */
#ifndef KILN_RANDOM_H
#define KILN_RANDOM_H

#include "kiln_bigint.h"
#include "kiln_ziggurat.h"
#include <time.h>
#ifdef _WIN32
#include <sys/time.h>   /* MinGW on msvcrt (Zig's default) has no C11 timespec_get: its gettimeofday */
#endif

/* =========================================================================================================
 * CPython: MT19937
 * ========================================================================================================= */
#define KR_MT_N 624
#define KR_MT_M 397

typedef struct kr_random {
  uint32_t mt[KR_MT_N];
  int32_t index;         /* next word of mt to temper; KR_MT_N: regenerate first */
  int32_t has_gauss;     /* gauss()'s cached second value (random.Random.gauss_next) */
  double gauss_next;
} kr_random;

/* The reference initialisation from one 32-bit word (Matsumoto and Nishimura's init_genrand). */
static void kr_mt_init_genrand(kr_random *r, uint32_t s) {
  r->mt[0] = s;
  for (int i = 1; i < KR_MT_N; i++) r->mt[i] = 1812433253u * (r->mt[i - 1] ^ (r->mt[i - 1] >> 30)) + (uint32_t)i;
  r->index = KR_MT_N;
}
/* init_by_array: what CPython's seed() runs on the 32-bit words of the seed. */
static void kr_mt_init_by_array(kr_random *r, const uint32_t *key, int64_t n) {
  kr_mt_init_genrand(r, 19650218u);
  uint32_t *mt = r->mt;
  int64_t i = 1, j = 0;
  for (int64_t k = KR_MT_N > n ? KR_MT_N : n; k; k--) {
    mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >> 30)) * 1664525u)) + key[j] + (uint32_t)j;
    i++; j++;
    if (i >= KR_MT_N) { mt[0] = mt[KR_MT_N - 1]; i = 1; }
    if (j >= n) j = 0;
  }
  for (int64_t k = KR_MT_N - 1; k; k--) {
    mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >> 30)) * 1566083941u)) - (uint32_t)i;
    i++;
    if (i >= KR_MT_N) { mt[0] = mt[KR_MT_N - 1]; i = 1; }
  }
  mt[0] = 0x80000000u;   /* the most significant bit is 1: the state is never all zero */
  r->index = KR_MT_N;
  r->has_gauss = 0;
}
/* The next 624 words of the recurrence. */
static void kr_mt_generate(kr_random *r) {
  uint32_t *mt = r->mt, y;
#define KR_MT_TWIST(a, b, c) (y = (mt[a] & 0x80000000u) | (mt[b] & 0x7fffffffu), mt[a] = mt[c] ^ (y >> 1) ^ ((0u - (y & 1u)) & 0x9908b0dfu))
  int k = 0;
  for (; k < KR_MT_N - KR_MT_M; k++) KR_MT_TWIST(k, k + 1, k + KR_MT_M);
  for (; k < KR_MT_N - 1; k++) KR_MT_TWIST(k, k + 1, k + (KR_MT_M - KR_MT_N));
  KR_MT_TWIST(KR_MT_N - 1, 0, KR_MT_M - 1);
#undef KR_MT_TWIST
  r->index = 0;
}
static KILN_ALWAYS_INLINE uint32_t kr_mt_temper(uint32_t y) {
  y ^= y >> 11;
  y ^= (y << 7) & 0x9d2c5680u;
  y ^= (y << 15) & 0xefc60000u;
  return y ^ (y >> 18);
}
/* genrand_uint32: the next tempered 32-bit output. */
static KILN_ALWAYS_INLINE uint32_t kr_mt_next(kr_random *r) {
  if (KILN_UNLIKELY(r->index >= KR_MT_N)) kr_mt_generate(r);
  return kr_mt_temper(r->mt[r->index++]);
}

/* random.seed(n) for an int n (bool included): the words of abs(n), least significant first ([0] for 0). */
static int kr_random_seed(kr_random *r, kr_int seed) {
  kr_iview x;
  kr_view(seed, &x);
  int64_t bits = kr_mag_bitlen(x.d, x.n), nwords = bits == 0 ? 1 : (bits - 1) / 32 + 1;
  uint32_t small[4], *key = nwords <= 4 ? small : (uint32_t *)malloc((size_t)nwords * sizeof(uint32_t));
  if (!key) return kr_raise(KILN_MemoryError, "");
  for (int64_t w = 0; w < nwords; w++) {
    int st;
    key[w] = (uint32_t)kr_mag_bits64(x.d, x.n, w * 32, &st);
  }
  kr_mt_init_by_array(r, key, nwords);
  if (key != small) free(key);
  return 0;
}
/* random.seed(n) for an int known to fit int64. */
static void kr_random_seed_i64(kr_random *r, int64_t seed) {
  uint64_t m = seed < 0 ? (uint64_t)0 - (uint64_t)seed : (uint64_t)seed;
  uint32_t key[2] = { (uint32_t)m, (uint32_t)(m >> 32) };
  kr_mt_init_by_array(r, key, key[1] ? 2 : 1);
}

/* Seeds without a seed: the wall clock in nanoseconds (C11's timespec_get; microseconds on Windows) and two addresses, mixed by
 * splitmix64. Not reproducible (CPython uses os.urandom; a compiled program cannot reproduce either). */
static uint64_t kr_entropy_mix(uint64_t *s) {
  uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}
KR_STATE KILN_TLS uint64_t kr_entropy_state;
static void kr_entropy_words(uint32_t *out, int n) {
  int local;
  struct timespec ts = { 0, 0 };
#ifdef _WIN32
  struct timeval tv = { 0, 0 };
  gettimeofday(&tv, 0);
  ts.tv_sec = tv.tv_sec;
  ts.tv_nsec = (long)tv.tv_usec * 1000;
#else
  timespec_get(&ts, TIME_UTC);
#endif
  uint64_t s = kr_entropy_state ^ (uint64_t)ts.tv_sec ^ ((uint64_t)ts.tv_nsec << 32) ^ (uint64_t)(uintptr_t)&local ^ ((uint64_t)(uintptr_t)out << 17);
  for (int i = 0; i < n; i++) out[i] = (uint32_t)kr_entropy_mix(&s);
  kr_entropy_state = s;
}
static void kr_random_seed_entropy(kr_random *r) {
  uint32_t key[KR_MT_N];
  kr_entropy_words(key, KR_MT_N);
  kr_mt_init_by_array(r, key, KR_MT_N);
}

/* Python's hash of a float (CPython's _Py_HashDouble, modulo 2**61 - 1); NaN has no reproducible hash (CPython
 * 3.10+ hashes NaN by identity), given here as 0. */
static int64_t kr_random_hash_f64(double v) {
  if (!isfinite(v)) return isinf(v) ? (v > 0 ? 314159 : -314159) : 0;
  int e;
  double m = frexp(v, &e);
  int sign = 1;
  if (m < 0) { sign = -1; m = -m; }
  uint64_t x = 0;
  while (m != 0.0) {   /* 28 bits at a time */
    x = ((x << 28) & KR_HASH_MODULUS) | x >> (KR_HASH_BITS - 28);
    m *= 268435456.0;
    e -= 28;
    uint64_t y = (uint64_t)m;
    m -= (double)y;
    x += y;
    if (x >= KR_HASH_MODULUS) x -= KR_HASH_MODULUS;
  }
  e = e >= 0 ? e % KR_HASH_BITS : KR_HASH_BITS - 1 - ((-1 - e) % KR_HASH_BITS);
  x = ((x << e) & KR_HASH_MODULUS) | x >> (KR_HASH_BITS - e);
  x = x * (uint64_t)(int64_t)sign;
  if (x == (uint64_t)-1) x = (uint64_t)-2;
  return (int64_t)x;
}
/* random.seed(x) for a float: CPython seeds from hash(x) read as an unsigned 64-bit number (not its absolute
 * value). seed(nan) is seeded from entropy: CPython hashes NaN by identity, so its stream is not reproducible. */
static void kr_random_seed_f64(kr_random *r, double seed) {
  if (isnan(seed)) { kr_random_seed_entropy(r); return; }
  uint64_t m = (uint64_t)kr_random_hash_f64(seed);
  uint32_t key[2] = { (uint32_t)m, (uint32_t)(m >> 32) };
  kr_mt_init_by_array(r, key, key[1] ? 2 : 1);
}

/* The module-level instance (random.random(), random.seed(), ...), seeded from entropy on first use. */
KR_STATE KILN_TLS kr_random kr_random_module;
KR_STATE KILN_TLS int kr_random_module_ready;
static inline kr_random *kr_random_default(void) {
  if (KILN_UNLIKELY(!kr_random_module_ready)) { kr_random_seed_entropy(&kr_random_module); kr_random_module_ready = 1; }
  return &kr_random_module;
}
/* random.seed(n) on the module instance */
static inline int kr_random_module_seed(kr_int seed) { kr_random_module_ready = 1; return kr_random_seed(&kr_random_module, seed); }

/* random(): 53 random bits in [0, 1), from two outputs (27 and 26 bits), as CPython. */
static KILN_ALWAYS_INLINE double kr_random_random(kr_random *r) {
  uint32_t a, b;
  if (KILN_LIKELY(r->index < KR_MT_N - 1)) {   /* both words at hand: one test for the pair */
    a = kr_mt_temper(r->mt[r->index]) >> 5;
    b = kr_mt_temper(r->mt[r->index + 1]) >> 6;
    r->index += 2;
  } else {
    a = kr_mt_next(r) >> 5;
    b = kr_mt_next(r) >> 6;
  }
  return ((double)a * 67108864.0 + (double)b) * (1.0 / 9007199254740992.0);
}

/* getrandbits(k) for 0 <= k <= 64: 32-bit outputs least significant first, the last one keeping its top bits. */
static inline uint64_t kr_random_bits_u64(kr_random *r, int k) {
  if (k <= 32) return k == 0 ? 0 : kr_mt_next(r) >> (32 - k);
  uint64_t lo = kr_mt_next(r);
  return lo | ((uint64_t)(kr_mt_next(r) >> (64 - k)) << 32);
}
/* random.getrandbits(k) */
static int kr_random_getrandbits(kr_random *r, int64_t k, kr_int *out) {
  if (k < 0) return kr_raise(KILN_ValueError, "number of bits must be non-negative");
  if (k <= 62) { *out = KR_INT((int64_t)kr_random_bits_u64(r, (int)k)); return 0; }
  if (k <= 64) return kr_int_from_u64(kr_random_bits_u64(r, (int)k), out);
  int64_t nwords = (k - 1) / 32 + 1, ndig = (k + KR_DIGIT_BITS - 1) / KR_DIGIT_BITS + 1;
  kr_bigint *z = kr_big_alloc(ndig);
  if (!z) return -1;
  memset(z->d, 0, (size_t)ndig * sizeof(kr_digit));
  int64_t bit = 0;
  for (int64_t w = 0; w < nwords; w++, k -= 32) {
    uint32_t v = kr_mt_next(r);
    if (k < 32) v >>= 32 - k;
    uint64_t chunk = (uint64_t)v << (bit % KR_DIGIT_BITS);   /* spans at most three digits */
    int64_t di = bit / KR_DIGIT_BITS;
    for (; chunk; chunk >>= KR_DIGIT_BITS, di++) z->d[di] |= (kr_digit)(chunk & KR_DIGIT_MASK);
    bit += 32;
  }
  *out = kr_big_finish(z, ndig, 0);
  return 0;
}

/* random.getrandbits(k) as an int64 (the compiler's int): CPython's draws, OverflowError (Kiln's 64-bit limit)
 * when the value needs more than 63 bits. */
static int kr_random_getrandbits_i64(kr_random *r, int64_t k, int64_t *out) {
  kr_int v;
  if (kr_random_getrandbits(r, k, &v)) return -1;
  int rc = kr_int_to_i64(v, out);
  kr_int_decref(v);
  return rc;
}

/* _randbelow(n) for 0 < n < 2**63: getrandbits(n.bit_length()) until below n. */
static KILN_ALWAYS_INLINE int64_t kr_random_below_i64(kr_random *r, int64_t n) {
  int k = kr_bitlen64((uint64_t)n);
  uint64_t v;
  if (k <= 32) { do v = kr_mt_next(r) >> (32 - k); while (v >= (uint64_t)n); }
  else { do v = kr_random_bits_u64(r, k); while (v >= (uint64_t)n); }
  return (int64_t)v;
}
/* _randbelow(n) for any int n > 0 */
static int kr_random_below(kr_random *r, kr_int n, kr_int *out) {
  int64_t v;
  if (kr_int_as_i64(n, &v)) { *out = KR_INT(kr_random_below_i64(r, v)); return 0; }
  int64_t k = kr_int_bit_length(n);
  for (;;) {
    kr_int t;
    if (kr_random_getrandbits(r, k, &t)) return -1;
    if (kr_int_cmp(t, n) < 0) { *out = t; return 0; }
    kr_int_decref(t);
  }
}

/* A message with Python ints in it, in kr_num_msg: fmt's %s are the decimal forms of the ints given. NULL when
 * an int has more than 4300 digits: str() raised, as formatting the message raises in CPython. */
static const char *kr_msg_ints(const char *fmt, int n, const kr_int *v) {
  char *parts[3] = { NULL, NULL, NULL };
  int64_t len;
  for (int i = 0; i < n; i++)
    if (kr_int_str(v[i], &parts[i], &len)) { for (int k = 0; k < i; k++) free(parts[k]); return NULL; }
  snprintf(kr_num_msg, sizeof kr_num_msg, fmt, parts[0] ? parts[0] : "", parts[1] ? parts[1] : "", parts[2] ? parts[2] : "");
  for (int i = 0; i < n; i++) free(parts[i]);
  return kr_num_msg;
}

/* random.randrange(stop): the one-argument form */
static int kr_random_randrange1(kr_random *r, kr_int stop, kr_int *out) {
  if (kr_int_sign(stop) > 0) return kr_random_below(r, stop, out);
  return kr_raise(KILN_ValueError, "empty range for randrange()");
}
/* random.randrange(start, stop[, step]) for ints of any size (step = KR_INT(1) for two arguments) */
static int kr_random_randrange(kr_random *r, kr_int start, kr_int stop, kr_int step, kr_int *out) {
  kr_int width, n = 0, t, k;
  if (kr_int_sub(stop, start, &width)) return -1;
  if (step == KR_INT(1)) {
    if (kr_int_sign(width) > 0) {
      int rc = kr_random_below(r, width, &k);
      kr_int_decref(width);
      if (rc) return -1;
      rc = kr_int_add(start, k, out);
      kr_int_decref(k);
      return rc;
    }
    kr_int v[3] = { start, stop, width };
    const char *msg = kr_msg_ints("empty range for randrange() (%s, %s, %s)", 3, v);
    kr_int_decref(width);
    return msg ? kr_raise(KILN_ValueError, msg) : -1;
  }
  int ss = kr_int_sign(step);
  if (ss == 0) { kr_int_decref(width); return kr_raise(KILN_ValueError, "zero step for randrange()"); }
  /* n = (width + step - 1) // step, or (width + step + 1) // step for a negative step */
  int rc = kr_int_add(width, step, &t);
  kr_int_decref(width);
  if (rc) return -1;
  kr_int t2;
  rc = kr_int_sub(t, ss > 0 ? KR_INT(1) : KR_INT(-1), &t2);
  kr_int_decref(t);
  if (rc) return -1;
  rc = kr_int_floordiv(t2, step, &n);
  kr_int_decref(t2);
  if (rc) return -1;
  if (kr_int_sign(n) <= 0) { kr_int_decref(n); return kr_raise(KILN_ValueError, "empty range for randrange()"); }
  rc = kr_random_below(r, n, &k);
  kr_int_decref(n);
  if (rc) return -1;
  rc = kr_int_mul(step, k, &t);
  kr_int_decref(k);
  if (rc) return -1;
  rc = kr_int_add(start, t, out);
  kr_int_decref(t);
  return rc;
}
/* random.randrange(start, stop) for int64 bounds whose difference fits int64 (the common case). */
static inline int kr_random_randrange_i64(kr_random *r, int64_t start, int64_t stop, int64_t *out) {
  int64_t width;
  if (KILN_LIKELY(!__builtin_sub_overflow(stop, start, &width) && width > 0)) { *out = start + kr_random_below_i64(r, width); return 0; }
  kr_int a, b, res;
  if (kr_int_from_i64(start, &a)) return -1;
  if (kr_int_from_i64(stop, &b)) { kr_int_decref(a); return -1; }
  int rc = kr_random_randrange(r, a, b, KR_INT(1), &res);
  kr_int_decref(a); kr_int_decref(b);
  if (rc) return -1;
  rc = kr_int_to_i64(res, out);
  kr_int_decref(res);
  return rc;
}
/* random.randrange(start, stop, step) on int64s (the compiler's ints): CPython's arithmetic on Python ints, the result
 * back in int64 (it lies between start and stop, so it fits). */
static int kr_random_randrange3_i64(kr_random *r, int64_t start, int64_t stop, int64_t step, int64_t *out) {
  if (step == 1) return kr_random_randrange_i64(r, start, stop, out);
  kr_int a, b, c, res;
  if (kr_int_from_i64(start, &a)) return -1;
  if (kr_int_from_i64(stop, &b)) { kr_int_decref(a); return -1; }
  if (kr_int_from_i64(step, &c)) { kr_int_decref(a); kr_int_decref(b); return -1; }
  int rc = kr_random_randrange(r, a, b, c, &res);
  kr_int_decref(a); kr_int_decref(b); kr_int_decref(c);
  if (rc) return -1;
  rc = kr_int_to_i64(res, out);
  kr_int_decref(res);
  return rc;
}
/* random.randint(a, b) = randrange(a, b + 1) */
static int kr_random_randint(kr_random *r, kr_int a, kr_int b, kr_int *out) {
  kr_int b1;
  if (kr_int_add(b, KR_INT(1), &b1)) return -1;
  int rc = kr_random_randrange(r, a, b1, KR_INT(1), out);
  kr_int_decref(b1);
  return rc;
}
static inline int kr_random_randint_i64(kr_random *r, int64_t a, int64_t b, int64_t *out) {
  int64_t b1, width;
  if (KILN_LIKELY(!__builtin_add_overflow(b, 1, &b1) && !__builtin_sub_overflow(b1, a, &width) && width > 0)) {
    *out = a + kr_random_below_i64(r, width);
    return 0;
  }
  kr_int ka, kb, res;
  if (kr_int_from_i64(a, &ka)) return -1;
  if (kr_int_from_i64(b, &kb)) { kr_int_decref(ka); return -1; }
  int rc = kr_random_randint(r, ka, kb, &res);
  kr_int_decref(ka); kr_int_decref(kb);
  if (rc) return -1;
  rc = kr_int_to_i64(res, out);
  kr_int_decref(res);
  return rc;
}

/* random.choice(seq): the index of the element chosen from a sequence of length n */
static inline int kr_random_choice_index(kr_random *r, int64_t n, int64_t *index) {
  if (KILN_UNLIKELY(n <= 0)) return kr_raise(KILN_IndexError, "Cannot choose from an empty sequence");
  *index = kr_random_below_i64(r, n);
  return 0;
}
/* random.shuffle(x) on n elements of `size` bytes (numbers, or object references: their counts do not change) */
static void kr_random_shuffle(kr_random *r, void *base, int64_t n, size_t size) {
  unsigned char *p = (unsigned char *)base, tmp[64];
  for (int64_t i = n - 1; i >= 1; i--) {
    int64_t j = kr_random_below_i64(r, i + 1);
    if (size == 8) { uint64_t t; memcpy(&t, p + i * 8, 8); memcpy(p + i * 8, p + j * 8, 8); memcpy(p + j * 8, &t, 8); continue; }
    for (size_t off = 0; off < size; off += sizeof tmp) {
      size_t c = size - off < sizeof tmp ? size - off : sizeof tmp;
      memcpy(tmp, p + (size_t)i * size + off, c);
      memcpy(p + (size_t)i * size + off, p + (size_t)j * size + off, c);
      memcpy(p + (size_t)j * size + off, tmp, c);
    }
  }
}

/* A set of int64 (open addressing) for sample's set-based algorithm: membership only, so CPython's set layout
 * does not matter. */
typedef struct { int64_t *slots; int64_t cap, used; } kr_i64set;
static int kr_i64set_add(kr_i64set *s, int64_t v) {   /* 1 if added, 0 if present, -1 on MemoryError */
  if (2 * (s->used + 1) > s->cap) {
    int64_t nc = s->cap ? s->cap * 2 : 16, *old = s->slots, oc = s->cap;
    s->slots = (int64_t *)malloc((size_t)nc * sizeof(int64_t));
    if (!s->slots) { s->slots = old; return kr_raise(KILN_MemoryError, ""); }
    for (int64_t i = 0; i < nc; i++) s->slots[i] = -1;
    s->cap = nc;
    s->used = 0;
    for (int64_t i = 0; i < oc; i++) if (old[i] >= 0) kr_i64set_add(s, old[i]);
    free(old);
  }
  uint64_t h = (uint64_t)v * 0x9e3779b97f4a7c15ull;
  for (int64_t i = (int64_t)(h >> 20) & (s->cap - 1);; i = (i + 1) & (s->cap - 1)) {
    if (s->slots[i] == v) return 0;
    if (s->slots[i] < 0) { s->slots[i] = v; s->used++; return 1; }
  }
}

/* random.sample(population, k): the indices (into a population of n) of the k elements chosen, in selection
 * order, by CPython's rule: a pool (a list of n) when n <= setsize, else a set of the indices chosen so far. */
static int kr_random_sample(kr_random *r, int64_t n, int64_t k, int64_t *out) {
  if (!(0 <= k && k <= n)) return kr_raise(KILN_ValueError, "Sample larger than population or is negative");
  int64_t setsize = 21;
  if (k > 5) {   /* setsize += 4 ** ceil(log(k * 3, 4)) */
    double lg = log((double)(k * 3)) / log(4.0);
    int64_t e = (int64_t)ceil(lg), p = 1;
    for (int64_t i = 0; i < e; i++) p *= 4;
    setsize += p;
  }
  if (n <= setsize) {
    int64_t *pool = (int64_t *)malloc((size_t)(n ? n : 1) * sizeof(int64_t));
    if (!pool) return kr_raise(KILN_MemoryError, "");
    for (int64_t i = 0; i < n; i++) pool[i] = i;
    for (int64_t i = 0; i < k; i++) {
      int64_t j = kr_random_below_i64(r, n - i);
      out[i] = pool[j];
      pool[j] = pool[n - i - 1];
    }
    free(pool);
    return 0;
  }
  kr_i64set sel = { NULL, 0, 0 };
  for (int64_t i = 0; i < k; i++) {
    int64_t j;
    int added;
    do {
      j = kr_random_below_i64(r, n);
      added = kr_i64set_add(&sel, j);
      if (added < 0) { free(sel.slots); return -1; }
    } while (!added);
    out[i] = j;
  }
  free(sel.slots);
  return 0;
}
/* random.sample(population, k, counts=counts): counts[i] copies of population[i]; out gets population indices. */
static int kr_random_sample_counts(kr_random *r, const int64_t *counts, int64_t ncounts, int64_t n, int64_t k, int64_t *out) {
  if (ncounts != n) return kr_raise(KILN_ValueError, "The number of counts does not match the population");
  int64_t *cum = (int64_t *)malloc((size_t)(n ? n : 1) * sizeof(int64_t)), total = 0;
  if (!cum) return kr_raise(KILN_MemoryError, "");
  for (int64_t i = 0; i < n; i++) {
    if (__builtin_add_overflow(total, counts[i], &total)) { free(cum); return kr_raise(KILN_OverflowError, kr_int_overflow_msg); }
    cum[i] = total;
  }
  if (n == 0) { free(cum); return kr_raise(KILN_IndexError, "pop from empty list"); }
  if (total <= 0) { free(cum); return kr_raise(KILN_ValueError, "Total of counts must be greater than zero"); }
  if (kr_random_sample(r, total, k, out)) { free(cum); return -1; }
  for (int64_t i = 0; i < k; i++) {   /* bisect_right(cum_counts[:-1], s) */
    int64_t lo = 0, hi = n - 1, s = out[i];
    while (lo < hi) { int64_t mid = (lo + hi) / 2; if (s < cum[mid]) hi = mid; else lo = mid + 1; }
    out[i] = lo;
  }
  free(cum);
  return 0;
}

/* random.choices(population, k=k) without weights: floor(random() * n) per draw, n a float */
static KILN_ALWAYS_INLINE int64_t kr_random_choices_draw(kr_random *r, int64_t n) {
  return (int64_t)floor(kr_random_random(r) * ((double)n + 0.0));
}
/* random.choices with cum_weights (floats; for weights, their running sum in Python's order): checks as CPython
 * and returns total = cum_weights[-1] + 0.0 for the draws */
static int kr_random_choices_total(const double *cum_weights, int64_t ncum, int64_t n, double *total) {
  if (ncum != n) return kr_raise(KILN_ValueError, "The number of weights does not match the population");
  if (n == 0) return kr_raise(KILN_IndexError, "list index out of range");
  double t = cum_weights[n - 1] + 0.0;
  if (t <= 0.0) return kr_raise(KILN_ValueError, "Total of weights must be greater than zero");
  if (!isfinite(t)) return kr_raise(KILN_ValueError, "Total of weights must be finite");
  *total = t;
  return 0;
}
/* one weighted draw: bisect(cum_weights, random() * total, 0, n - 1) */
static inline int64_t kr_random_choices_draw_cum(kr_random *r, const double *cum_weights, int64_t n, double total) {
  double x = kr_random_random(r) * total;
  int64_t lo = 0, hi = n - 1;
  while (lo < hi) { int64_t mid = (lo + hi) / 2; if (x < cum_weights[mid]) hi = mid; else lo = mid + 1; }
  return lo;
}
/* the same for int weights (their running sums are exact ints; comparisons with the float draw are exact) */
static int kr_random_choices_total_i64(const int64_t *cum_weights, int64_t ncum, int64_t n, double *total) {
  if (ncum != n) return kr_raise(KILN_ValueError, "The number of weights does not match the population");
  if (n == 0) return kr_raise(KILN_IndexError, "list index out of range");
  double t = (double)cum_weights[n - 1] + 0.0;
  if (t <= 0.0) return kr_raise(KILN_ValueError, "Total of weights must be greater than zero");
  *total = t;
  return 0;
}
static inline int64_t kr_random_choices_draw_cum_i64(kr_random *r, const int64_t *cum_weights, int64_t n, double total) {
  double x = kr_random_random(r) * total;
  int64_t lo = 0, hi = n - 1;
  while (lo < hi) { int64_t mid = (lo + hi) / 2; if (kr_cmp_i64_f64(cum_weights[mid], x) > 0) hi = mid; else lo = mid + 1; }
  return lo;
}

/* ---- real-valued distributions (random.py's algorithms, in its order of operations) ---- */
#define KR_TWOPI 6.283185307179586      /* math.tau */
#define KR_PI 3.141592653589793
#define KR_E 2.718281828459045
/* random.py's module constants, computed as it computes them (with this target's libm) */
KR_STATE KILN_TLS double kr_nv_magicconst;
KR_STATE KILN_TLS double kr_log4;
KR_STATE KILN_TLS double kr_sg_magicconst;
static inline void kr_random_constants(void) {
  if (KILN_UNLIKELY(kr_log4 == 0.0)) {
    kr_nv_magicconst = 4 * exp(-0.5) / sqrt(2.0);
    kr_sg_magicconst = 1.0 + log(4.5);
    kr_log4 = log(4.0);
  }
}

static inline double kr_random_uniform(kr_random *r, double a, double b) { return a + (b - a) * kr_random_random(r); }

/* random.triangular(low, high, mode); has_mode = 0 for mode=None */
static double kr_random_triangular(kr_random *r, double low, double high, int has_mode, double mode) {
  double u = kr_random_random(r), c;
  if (has_mode) {
    if (high - low == 0.0) return low;   /* ZeroDivisionError is caught: return low */
    c = (mode - low) / (high - low);
  } else c = 0.5;
  if (u > c) { u = 1.0 - u; c = 1.0 - c; double t = low; low = high; high = t; }
  return low + (high - low) * sqrt(u * c);
}
/* random.normalvariate(mu, sigma): Kinderman and Monahan's ratio of uniforms */
static double kr_random_normalvariate(kr_random *r, double mu, double sigma) {
  kr_random_constants();
  double z;
  for (;;) {
    double u1 = kr_random_random(r), u2 = 1.0 - kr_random_random(r);
    z = kr_nv_magicconst * (u1 - 0.5) / u2;
    double zz = z * z / 4.0;
    if (zz <= -log(u2)) break;
  }
  return mu + z * sigma;
}
/* random.gauss(mu, sigma): Box-Muller, the second value kept for the next call */
static double kr_random_gauss(kr_random *r, double mu, double sigma) {
  double z;
  if (r->has_gauss) {
    z = r->gauss_next;
    r->has_gauss = 0;
  } else {
    double x2pi = kr_random_random(r) * KR_TWOPI;
    double g2rad = sqrt(-2.0 * log(1.0 - kr_random_random(r)));
    z = cos(x2pi) * g2rad;
    r->gauss_next = sin(x2pi) * g2rad;
    r->has_gauss = 1;
  }
  return mu + z * sigma;
}
/* random.lognormvariate(mu, sigma) = exp(normalvariate(mu, sigma)) (math.exp: OverflowError when too large) */
static inline int kr_random_lognormvariate(kr_random *r, double mu, double sigma, double *out) {
  return kr_exp(kr_random_normalvariate(r, mu, sigma), out);
}
/* random.expovariate(lambd) = -log(1.0 - random()) / lambd */
static inline int kr_random_expovariate(kr_random *r, double lambd, double *out) {
  return kr_truediv_f64(-log(1.0 - kr_random_random(r)), lambd, out);
}
/* random.vonmisesvariate(mu, kappa) (math.acos's ValueError if rounding pushes its argument past 1) */
static int kr_random_vonmisesvariate(kr_random *r, double mu, double kappa, double *out) {
  if (kappa <= 1e-6) { *out = KR_TWOPI * kr_random_random(r); return 0; }
  double s = 0.5 / kappa, rr = s + sqrt(1.0 + s * s), z;
  for (;;) {
    double u1 = kr_random_random(r);
    z = cos(KR_PI * u1);
    double d = z / (rr + z), u2 = kr_random_random(r);
    if (u2 < 1.0 - d * d || u2 <= (1.0 - d) * exp(d)) break;
  }
  double q = 1.0 / rr, f = (q + z) / (1.0 + q * z), u3 = kr_random_random(r), a;
  if (kr_acos(f, &a)) return -1;
  return kr_mod_f64(u3 > 0.5 ? mu + a : mu - a, KR_TWOPI, out);
}
/* random.gammavariate(alpha, beta) (Cheng's algorithm for alpha > 1, Kennedy and Gentle's GS below 1) */
static int kr_random_gammavariate(kr_random *r, double alpha, double beta, double *out) {
  if (alpha <= 0.0 || beta <= 0.0) return kr_raise(KILN_ValueError, "gammavariate: alpha and beta must be > 0.0");
  kr_random_constants();
  if (alpha > 1.0) {
    double ainv = sqrt(2.0 * alpha - 1.0), bbb = alpha - kr_log4, ccc = alpha + ainv;
    for (;;) {
      double u1 = kr_random_random(r);
      if (!(1e-7 < u1 && u1 < 0.9999999)) continue;
      double u2 = 1.0 - kr_random_random(r);
      double v = log(u1 / (1.0 - u1)) / ainv, x = alpha * exp(v), z = u1 * u1 * u2, rr = bbb + ccc * v - x;
      if (rr + kr_sg_magicconst - 4.5 * z >= 0.0 || rr >= log(z)) { *out = x * beta; return 0; }
    }
  }
  if (alpha == 1.0) { *out = -log(1.0 - kr_random_random(r)) * beta; return 0; }
  double x;
  for (;;) {
    double u = kr_random_random(r), b = (KR_E + alpha) / KR_E, p = b * u, u1, t;
    if (p <= 1.0) { if (kr_pow_f64(p, 1.0 / alpha, &x)) return -1; }
    else x = -log((b - p) / alpha);
    u1 = kr_random_random(r);
    if (p > 1.0) {
      if (kr_pow_f64(x, alpha - 1.0, &t)) return -1;
      if (u1 <= t) break;
    } else if (u1 <= exp(-x)) break;
  }
  *out = x * beta;
  return 0;
}
/* random.betavariate(alpha, beta) */
static int kr_random_betavariate(kr_random *r, double alpha, double beta, double *out) {
  double y, z;
  if (kr_random_gammavariate(r, alpha, 1.0, &y)) return -1;
  if (y == 0.0) { *out = 0.0; return 0; }
  if (kr_random_gammavariate(r, beta, 1.0, &z)) return -1;
  *out = y / (y + z);
  return 0;
}
/* random.paretovariate(alpha) = (1 - random()) ** (-1 / alpha) */
static int kr_random_paretovariate(kr_random *r, double alpha, double *out) {
  double u = 1.0 - kr_random_random(r), e;
  if (kr_truediv_f64(-1.0, alpha, &e)) return -1;
  return kr_pow_f64(u, e, out);
}
/* random.weibullvariate(alpha, beta) = alpha * (-log(1 - random())) ** (1 / beta) */
static int kr_random_weibullvariate(kr_random *r, double alpha, double beta, double *out) {
  double u = 1.0 - kr_random_random(r), e, p;
  if (kr_truediv_f64(1.0, beta, &e)) return -1;
  if (kr_pow_f64(-log(u), e, &p)) return -1;
  *out = alpha * p;
  return 0;
}
/* random.randbytes(n): getrandbits(n * 8).to_bytes(n, 'little') */
static int kr_random_randbytes(kr_random *r, int64_t n, uint8_t *out) {
  if (n < 0) return kr_raise(KILN_ValueError, "number of bits must be non-negative");
  int64_t k = n * 8;
  for (int64_t i = 0; k > 0; k -= 32) {
    uint32_t v = kr_mt_next(r);
    if (k < 32) v >>= 32 - k;
    for (int b = 0; b < 4 && i < n; b++) out[i++] = (uint8_t)(v >> (8 * b));
  }
  return 0;
}

/* =========================================================================================================
 * NumPy: Generator(PCG64(seed)), i.e. np.random.default_rng(seed)
 * ========================================================================================================= */
typedef struct kr_np_rng {
  uint64_t state_hi, state_lo, inc_hi, inc_lo;   /* PCG64's 128-bit state and increment */
  int32_t has_uint32;                            /* next32 hands out the high half of a 64-bit output later */
  uint32_t uinteger;
} kr_np_rng;

/* hi:lo = a * b (64 x 64 -> 128) on 32-bit halves */
static inline void kr_mul64x64(uint64_t a, uint64_t b, uint64_t *hi, uint64_t *lo) {
  uint64_t a0 = a & 0xffffffffu, a1 = a >> 32, b0 = b & 0xffffffffu, b1 = b >> 32;
  uint64_t w0 = a0 * b0, t = a1 * b0 + (w0 >> 32), w1 = (t & 0xffffffffu) + a0 * b1;
  *hi = a1 * b1 + (t >> 32) + (w1 >> 32);
  *lo = a * b;
}
/* state = state * multiplier + inc (mod 2**128) */
static KILN_ALWAYS_INLINE void kr_pcg64_step(kr_np_rng *g) {
  const uint64_t mul_hi = 2549297995355413924ull, mul_lo = 4865540595714422341ull;
  uint64_t hi, lo;
  kr_mul64x64(g->state_lo, mul_lo, &hi, &lo);
  hi += g->state_lo * mul_hi + g->state_hi * mul_lo;
  uint64_t nlo = lo + g->inc_lo;
  g->state_hi = hi + g->inc_hi + (nlo < lo);
  g->state_lo = nlo;
}
/* the next 64-bit output: step, then XSL-RR of the new state */
static KILN_ALWAYS_INLINE uint64_t kr_pcg64_next64(kr_np_rng *g) {
  kr_pcg64_step(g);
  uint64_t x = g->state_hi ^ g->state_lo;
  unsigned rot = (unsigned)(g->state_hi >> 58);
  return (x >> rot) | (x << ((64 - rot) & 63));
}
static KILN_ALWAYS_INLINE uint32_t kr_pcg64_next32(kr_np_rng *g) {
  if (g->has_uint32) { g->has_uint32 = 0; return g->uinteger; }
  uint64_t v = kr_pcg64_next64(g);
  g->has_uint32 = 1;
  g->uinteger = (uint32_t)(v >> 32);
  return (uint32_t)v;
}

/* SeedSequence(entropy words).generate_state(4, uint64) with the default pool of 4 words: NumPy's hash mixing. */
static void kr_np_seed_words(kr_np_rng *g, const uint32_t *ent, int64_t n) {
  uint32_t pool[4], hash_const = 0x43b0d7e5u;
#define KR_HASHMIX(v) (kr_tmp = (v) ^ hash_const, hash_const *= 0x931e8875u, kr_tmp *= hash_const, kr_tmp ^ (kr_tmp >> 16))
#define KR_MIX(x, y) (kr_tmp2 = 0xca01f9ddu * (x) - 0x4973f715u * (y), kr_tmp2 ^ (kr_tmp2 >> 16))
  uint32_t kr_tmp, kr_tmp2;
  for (int i = 0; i < 4; i++) pool[i] = i < n ? KR_HASHMIX(ent[i]) : KR_HASHMIX(0u);
  for (int src = 0; src < 4; src++)
    for (int dst = 0; dst < 4; dst++)
      if (src != dst) { uint32_t hm = KR_HASHMIX(pool[src]); pool[dst] = KR_MIX(pool[dst], hm); }
  for (int64_t src = 4; src < n; src++)
    for (int dst = 0; dst < 4; dst++) { uint32_t hm = KR_HASHMIX(ent[src]); pool[dst] = KR_MIX(pool[dst], hm); }
#undef KR_HASHMIX
#undef KR_MIX
  /* generate_state: 8 words cycling over the pool, combined little-endian into 4 uint64 */
  uint32_t words[8], hc = 0x8b51f9ddu;
  for (int i = 0; i < 8; i++) {
    uint32_t v = pool[i % 4] ^ hc;
    hc *= 0x58f38dedu;
    v *= hc;
    words[i] = v ^ (v >> 16);
  }
  uint64_t s[4];
  for (int i = 0; i < 4; i++) s[i] = (uint64_t)words[2 * i] | ((uint64_t)words[2 * i + 1] << 32);
  /* PCG64: state = s[0]:s[1], inc = (s[2]:s[3] << 1) | 1; srandom: state 0, step, += initstate, step */
  g->inc_hi = (s[2] << 1) | (s[3] >> 63);
  g->inc_lo = (s[3] << 1) | 1u;
  g->state_hi = 0;
  g->state_lo = 0;
  kr_pcg64_step(g);
  uint64_t lo = g->state_lo + s[1];
  g->state_hi += s[0] + (lo < s[1]);
  g->state_lo = lo;
  kr_pcg64_step(g);
  g->has_uint32 = 0;
  g->uinteger = 0;
}
/* np.random.default_rng(seed) for an int seed (ValueError for a negative one, as NumPy's SeedSequence) */
static int kr_np_default_rng(kr_np_rng *g, kr_int seed) {
  if (kr_int_sign(seed) < 0) return kr_raise(KILN_ValueError, "expected non-negative integer");
  kr_iview x;
  kr_view(seed, &x);
  int64_t bits = kr_mag_bitlen(x.d, x.n), n = bits == 0 ? 1 : (bits + 31) / 32;
  uint32_t small[4], *w = n <= 4 ? small : (uint32_t *)malloc((size_t)n * sizeof(uint32_t));
  if (!w) return kr_raise(KILN_MemoryError, "");
  for (int64_t i = 0; i < n; i++) { int st; w[i] = (uint32_t)kr_mag_bits64(x.d, x.n, i * 32, &st); }
  kr_np_seed_words(g, w, n);
  if (w != small) free(w);
  return 0;
}
/* np.random.default_rng() with no seed: 128 bits from the clock and addresses (not reproducible, as NumPy's
 * OS entropy is not) */
static void kr_np_default_rng_entropy(kr_np_rng *g) {
  uint32_t w[4];
  kr_entropy_words(w, 4);
  kr_np_seed_words(g, w, 4);
}

/* Generator.random(): 53 bits */
static KILN_ALWAYS_INLINE double kr_np_random(kr_np_rng *g) { return (double)(kr_pcg64_next64(g) >> 11) * (1.0 / 9007199254740992.0); }

/* [0, rng] for rng < 2**32 - 1 by Lemire's method on 32-bit draws */
static inline uint32_t kr_np_lemire32(kr_np_rng *g, uint32_t rng) {
  uint32_t rng_excl = rng + 1;
  uint64_t m = (uint64_t)kr_pcg64_next32(g) * rng_excl;
  uint32_t leftover = (uint32_t)m;
  if (leftover < rng_excl) {
    uint32_t threshold = (UINT32_MAX - rng) % rng_excl;
    while (leftover < threshold) { m = (uint64_t)kr_pcg64_next32(g) * rng_excl; leftover = (uint32_t)m; }
  }
  return (uint32_t)(m >> 32);
}
/* [0, rng] for rng < 2**64 - 1 by Lemire's method on 64-bit draws */
static inline uint64_t kr_np_lemire64(kr_np_rng *g, uint64_t rng) {
  uint64_t rng_excl = rng + 1, hi, lo;
  kr_mul64x64(kr_pcg64_next64(g), rng_excl, &hi, &lo);
  if (lo < rng_excl) {
    uint64_t threshold = (UINT64_MAX - rng) % rng_excl;
    while (lo < threshold) kr_mul64x64(kr_pcg64_next64(g), rng_excl, &hi, &lo);
  }
  return hi;
}
/* off + a uniform integer in [0, rng] (NumPy's random_bounded_uint64 with use_masked false) */
static inline uint64_t kr_np_bounded(kr_np_rng *g, uint64_t rng) {
  if (rng == 0) return 0;
  if (rng <= 0xffffffffu) return rng == 0xffffffffu ? kr_pcg64_next32(g) : kr_np_lemire32(g, (uint32_t)rng);
  if (rng == UINT64_MAX) return kr_pcg64_next64(g);
  return kr_np_lemire64(g, rng);
}
/* [0, max] by masked rejection (NumPy's random_interval: shuffle, permutation) */
static inline uint64_t kr_np_interval(kr_np_rng *g, uint64_t max) {
  if (max == 0) return 0;
  uint64_t mask = max, v;
  mask |= mask >> 1; mask |= mask >> 2; mask |= mask >> 4; mask |= mask >> 8; mask |= mask >> 16; mask |= mask >> 32;
  if (max <= 0xffffffffu) { while ((v = (kr_pcg64_next32(g) & mask)) > max) {} }
  else { while ((v = (kr_pcg64_next64(g) & mask)) > max) {} }
  return v;
}

/* Generator.integers(low, high, endpoint=endpoint) for the default dtype int64 (integers(high): low = 0) */
static int kr_np_integers(kr_np_rng *g, kr_int low, kr_int high, int endpoint, int64_t *out) {
  int64_t lo, hi;
  kr_int h1 = high;
  if (!endpoint && kr_int_sub(high, KR_INT(1), &h1)) return -1;
  int lo_ok = kr_int_as_i64(low, &lo), hi_ok = kr_int_as_i64(h1, &hi);
  int hi_neg = kr_int_sign(h1) < 0;
  if (!endpoint) kr_int_decref(h1);
  if (!lo_ok && kr_int_sign(low) < 0) return kr_raise(KILN_ValueError, "low is out of bounds for int64");
  if (!hi_ok && !hi_neg) return kr_raise(KILN_ValueError, "high is out of bounds for int64");
  if (!lo_ok || !hi_ok || lo > hi) {   /* NumPy words the single-argument case (low == 0) differently */
    if (kr_int_sign(low) == 0) return kr_raise(KILN_ValueError, endpoint ? "high < 0" : "high <= 0");
    return kr_raise(KILN_ValueError, endpoint ? "low > high" : "low >= high");
  }
  uint64_t rng = (uint64_t)hi - (uint64_t)lo;
  *out = (int64_t)((uint64_t)lo + kr_np_bounded(g, rng));
  return 0;
}
/* the same for int64 bounds, as compiled code calls it: the check (before any draw, size= or not), then each draw */
static inline int kr_np_integers_check(int64_t low, int64_t high) {
  return KILN_UNLIKELY(low >= high) ? kr_raise(KILN_ValueError, low == 0 ? "high <= 0" : "low >= high") : 0;
}
static KILN_ALWAYS_INLINE int64_t kr_np_integers_draw(kr_np_rng *g, int64_t low, int64_t high) {
  return (int64_t)((uint64_t)low + kr_np_bounded(g, (uint64_t)high - (uint64_t)low - 1));
}

/* np.random.default_rng(seed) for an int64 seed (the compiler's int) */
static int kr_np_default_rng_i64(kr_np_rng *g, int64_t seed) {
  kr_int k;
  if (kr_int_from_i64(seed, &k)) return -1;
  int rc = kr_np_default_rng(g, k);
  kr_int_decref(k);
  return rc;
}

/* Generator.standard_normal(): NumPy's ziggurat (256 levels, 52-bit mantissa draws) */
static double kr_np_standard_normal(kr_np_rng *g) {
  for (;;) {
    uint64_t r = kr_pcg64_next64(g);
    int idx = (int)(r & 0xff);
    r >>= 8;
    int sign = (int)(r & 1);
    uint64_t rabs = (r >> 1) & 0x000fffffffffffffull;
    double x = (double)rabs * kr_zig_wi[idx];
    if (sign) x = -x;
    if (rabs < kr_zig_ki[idx]) return x;   /* 99.3% of draws */
    if (idx == 0) {                         /* the tail beyond r */
      for (;;) {
        double xx = -kr_zig_inv_r * log1p(-kr_np_random(g)), yy = -log1p(-kr_np_random(g));
        if (yy + yy > xx * xx) return ((rabs >> 8) & 1) ? -(kr_zig_r + xx) : kr_zig_r + xx;
      }
    }
    if ((kr_zig_fi[idx - 1] - kr_zig_fi[idx]) * kr_np_random(g) + kr_zig_fi[idx] < exp(-0.5 * x * x)) return x;
  }
}
/* Generator.normal(loc, scale): ValueError "scale < 0" for a negative scale (-0.0 included, as NumPy) */
static inline int kr_np_normal_check(double scale) {
  return !isnan(scale) && signbit(scale) ? kr_raise(KILN_ValueError, "scale < 0") : 0;
}
static inline int kr_np_normal(kr_np_rng *g, double loc, double scale, double *out) {
  if (kr_np_normal_check(scale)) return -1;
  *out = loc + scale * kr_np_standard_normal(g);
  return 0;
}
/* Generator.uniform(low, high): the check of high - low (before any draw), then low + range * random() */
static inline int kr_np_uniform_check(double low, double high) {
  double range = high - low;
  if (!isfinite(range)) return kr_raise(KILN_OverflowError, "high - low range exceeds valid bounds");
  if (signbit(range)) return kr_raise(KILN_ValueError, "high - low < 0");
  return 0;
}
static inline int kr_np_uniform(kr_np_rng *g, double low, double high, double *out) {
  if (kr_np_uniform_check(low, high)) return -1;
  *out = low + (high - low) * kr_np_random(g);
  return 0;
}

/* Generator.shuffle(x) for a list or 1-d array of n elements of `size` bytes */
static void kr_np_shuffle(kr_np_rng *g, void *base, int64_t n, size_t size) {
  unsigned char *p = (unsigned char *)base, tmp[64];
  for (int64_t i = n - 1; i >= 1; i--) {
    int64_t j = (int64_t)kr_np_interval(g, (uint64_t)i);
    for (size_t off = 0; off < size; off += sizeof tmp) {
      size_t c = size - off < sizeof tmp ? size - off : sizeof tmp;
      memcpy(tmp, p + (size_t)j * size + off, c);
      memcpy(p + (size_t)j * size + off, p + (size_t)i * size + off, c);
      memcpy(p + (size_t)i * size + off, tmp, c);
    }
  }
}
/* Generator.permutation(n) into out[0..n) */
static int kr_np_permutation(kr_np_rng *g, int64_t n, int64_t *out) {
  if (n < 0) return kr_raise(KILN_ValueError, "negative dimensions are not allowed");
  for (int64_t i = 0; i < n; i++) out[i] = i;
  kr_np_shuffle(g, out, n, sizeof(int64_t));
  return 0;
}

/* Generator.choice(a) with replacement and no p: an index in [0, pop_size). `a_is_int`: a was an int (NumPy's
 * message differs for an empty array). */
static inline int kr_np_choice_index(kr_np_rng *g, int64_t pop_size, int a_is_int, int64_t *out) {
  if (pop_size <= 0) {
    if (a_is_int) return kr_raise(KILN_ValueError, "a must be a positive integer unless no samples are taken");
    return kr_raise(KILN_ValueError, "a cannot be empty unless no samples are taken");
  }
  *out = (int64_t)kr_np_bounded(g, (uint64_t)pop_size - 1);
  return 0;
}

/* Generator.choice(a, size=..., replace=...) without p: NumPy's checks in its order, before the result is allocated:
 * an empty population with samples to take (n: the product of the shape), then, without replacement, a sample
 * larger than the population and a negative size (with replacement integers() refuses a negative size: the alloc). */
static inline int kr_np_choice_check(int64_t pop_size, int a_is_int, int64_t n, int replace) {
  if (pop_size <= 0 && n != 0) return kr_np_choice_index(NULL, pop_size, a_is_int, NULL);
  if (replace) return 0;
  if (n > pop_size) return kr_raise(KILN_ValueError, "Cannot take a larger sample than population when replace is False");
  if (n < 0) return kr_raise(KILN_ValueError, "negative dimensions are not allowed");
  return 0;
}
/* NumPy's _shuffle_int: data[first..n) shuffled from the top, each swap partner a bounded (Lemire) draw in [0, i] */
static inline void kr_np_shuffle_int(kr_np_rng *g, int64_t n, int64_t first, int64_t *data) {
  for (int64_t i = n - 1; i >= first; i--) {
    int64_t j = (int64_t)kr_np_bounded(g, (uint64_t)i), t = data[j];
    data[j] = data[i];
    data[i] = t;
  }
}
/* The n indices of choice(pop_size, n, replace) into out, drawn as NumPy draws them. With replacement: integers(0,
 * pop_size, size=n). Without: for a large population and sample (pop_size > 10000, n > pop_size // 50) the last n of
 * arange(pop_size) shuffled from the top down to max(pop_size - n, 1); otherwise Floyd's algorithm (for j from
 * pop_size - n: a draw in [0, j], or j when the draw was taken already) followed by a shuffle of the sample. */
static int kr_np_choice_fill(kr_np_rng *g, int64_t pop_size, int64_t n, int replace, int64_t *out) {
  if (replace) {
    for (int64_t k = 0; k < n; k++) out[k] = kr_np_integers_draw(g, 0, pop_size);
    return 0;
  }
  if (pop_size > 10000 && n > pop_size / 50) {
    int64_t *all = (int64_t *)malloc((size_t)pop_size * sizeof(int64_t));
    if (!all) return kr_raise(KILN_MemoryError, "");
    for (int64_t k = 0; k < pop_size; k++) all[k] = k;
    kr_np_shuffle_int(g, pop_size, pop_size - n > 1 ? pop_size - n : 1, all);
    memcpy(out, all + (pop_size - n), (size_t)n * sizeof(int64_t));
    free(all);
    return 0;
  }
  /* The taken draws in an open-addressing set (a power of two above 1.2 n slots; UINT64_MAX marks a free one). */
  uint64_t mask = (uint64_t)(1.2 * (double)n);
  mask |= mask >> 1; mask |= mask >> 2; mask |= mask >> 4; mask |= mask >> 8; mask |= mask >> 16; mask |= mask >> 32;
  uint64_t *taken = (uint64_t *)malloc((size_t)(mask + 1) * sizeof(uint64_t));
  if (!taken) return kr_raise(KILN_MemoryError, "");
  memset(taken, 0xff, (size_t)(mask + 1) * sizeof(uint64_t));
  for (int64_t j = pop_size - n; j < pop_size; j++) {
    uint64_t v = kr_np_bounded(g, (uint64_t)j), at = v & mask;
    while (taken[at] != UINT64_MAX && taken[at] != v) at = (at + 1) & mask;
    if (taken[at] == v) {
      v = (uint64_t)j;
      at = v & mask;
      while (taken[at] != UINT64_MAX) at = (at + 1) & mask;
    }
    taken[at] = v;
    out[j - pop_size + n] = (int64_t)v;
  }
  free(taken);
  kr_np_shuffle_int(g, n, 1, out);
  return 0;
}
/* The checks choice() makes on p, and its normalised running sum (cumsum(p) / cumsum(p)[-1]) into cdf. */
static int kr_np_choice_cdf(const double *p, int64_t np_, int64_t pop_size, double *cdf) {
  if (np_ != pop_size) return kr_raise(KILN_ValueError, "a and p must have same size");
  double sum = 0.0, c = 0.0;   /* kahan_sum */
  if (np_ > 0) {
    sum = p[0];
    for (int64_t i = 1; i < np_; i++) { double y = p[i] - c, t = sum + y; c = (t - sum) - y; sum = t; }
  }
  if (isnan(sum)) return kr_raise(KILN_ValueError, "Probabilities contain NaN");
  for (int64_t i = 0; i < np_; i++) if (p[i] < 0) return kr_raise(KILN_ValueError, "Probabilities are not non-negative");
  if (fabs(sum - 1.0) > sqrt(DBL_EPSILON))
    return kr_raise(KILN_ValueError, "Probabilities do not sum to 1. See Notes section of docstring for more information.");
  double acc = 0.0;
  for (int64_t i = 0; i < np_; i++) { acc += p[i]; cdf[i] = acc; }
  double last = np_ ? cdf[np_ - 1] : 1.0;
  for (int64_t i = 0; i < np_; i++) cdf[i] /= last;
  return 0;
}
/* one draw of choice(a, p=p) with replacement: searchsorted(cdf, random(), side='right') */
static inline int64_t kr_np_choice_draw_cdf(kr_np_rng *g, const double *cdf, int64_t n) {
  double u = kr_np_random(g);
  int64_t lo = 0, hi = n;
  while (lo < hi) { int64_t mid = lo + (hi - lo) / 2; if (u < cdf[mid]) hi = mid; else lo = mid + 1; }
  return lo;
}
/* Generator.choice(pop_size, size, replace=False) without p: NumPy's two algorithms (a partial shuffle of
 * arange when the sample is a large part of a big population, else Floyd's method with a hash set), then the
 * result shuffled when `shuffle`. out gets `size` indices. */
static int kr_np_choice_noreplace(kr_np_rng *g, int64_t pop_size, int64_t size, int shuffle, int64_t *out) {
  if (size > pop_size) return kr_raise(KILN_ValueError, "Cannot take a larger sample than population when replace is False");
  if (size < 0) return kr_raise(KILN_ValueError, "negative dimensions are not allowed");
  int64_t cutoff = shuffle ? 50 : 20;
  if (pop_size > 10000 && size > pop_size / cutoff) {
    int64_t *idx = (int64_t *)malloc((size_t)pop_size * sizeof(int64_t));
    if (!idx) return kr_raise(KILN_MemoryError, "");
    for (int64_t i = 0; i < pop_size; i++) idx[i] = i;
    int64_t first = pop_size - size > 1 ? pop_size - size : 1;
    for (int64_t i = pop_size - 1; i >= first; i--) {   /* _shuffle_int */
      int64_t j = (int64_t)kr_np_bounded(g, (uint64_t)i), t = idx[j];
      idx[j] = idx[i];
      idx[i] = t;
    }
    memcpy(out, idx + (pop_size - size), (size_t)size * sizeof(int64_t));
    free(idx);
    return 0;
  }
  uint64_t set_size = (uint64_t)(1.2 * (double)size), mask = set_size;
  mask |= mask >> 1; mask |= mask >> 2; mask |= mask >> 4; mask |= mask >> 8; mask |= mask >> 16; mask |= mask >> 32;
  set_size = mask + 1;
  uint64_t *hash_set = (uint64_t *)malloc((size_t)set_size * sizeof(uint64_t));
  if (!hash_set) return kr_raise(KILN_MemoryError, "");
  for (uint64_t i = 0; i < set_size; i++) hash_set[i] = UINT64_MAX;
  for (int64_t j = pop_size - size; j < pop_size; j++) {
    uint64_t val = kr_np_bounded(g, (uint64_t)j), loc = val & mask;
    while (hash_set[loc] != UINT64_MAX && hash_set[loc] != val) loc = (loc + 1) & mask;
    if (hash_set[loc] == UINT64_MAX) { hash_set[loc] = val; out[j - pop_size + size] = (int64_t)val; }
    else {   /* already chosen: take j itself */
      loc = (uint64_t)j & mask;
      while (hash_set[loc] != UINT64_MAX) loc = (loc + 1) & mask;
      hash_set[loc] = (uint64_t)j;
      out[j - pop_size + size] = j;
    }
  }
  free(hash_set);
  if (shuffle)
    for (int64_t i = size - 1; i >= 1; i--) {
      int64_t j = (int64_t)kr_np_bounded(g, (uint64_t)i), t = out[j];
      out[j] = out[i];
      out[i] = t;
    }
  return 0;
}
/* Generator.choice(pop_size, size, replace=False, p=p): repeated batches of draws, keeping each index the first
 * time it appears, with found indices' probabilities zeroed (NumPy's loop). */
static int kr_np_choice_noreplace_p(kr_np_rng *g, const double *p, int64_t np_, int64_t pop_size, int64_t size, int64_t *out) {
  double *cdf = (double *)malloc((size_t)(np_ ? np_ : 1) * sizeof(double) * 2);
  if (!cdf) return kr_raise(KILN_MemoryError, "");
  if (kr_np_choice_cdf(p, np_, pop_size, cdf)) { free(cdf); return -1; }
  if (size > pop_size) { free(cdf); return kr_raise(KILN_ValueError, "Cannot take a larger sample than population when replace is False"); }
  if (size < 0) { free(cdf); return kr_raise(KILN_ValueError, "negative dimensions are not allowed"); }
  int64_t nonzero = 0;
  for (int64_t i = 0; i < np_; i++) nonzero += p[i] > 0;
  if (nonzero < size) { free(cdf); return kr_raise(KILN_ValueError, "Fewer non-zero entries in p than size"); }
  double *pc = cdf + np_;
  memcpy(pc, p, (size_t)np_ * sizeof(double));
  int64_t n_uniq = 0, *batch = (int64_t *)malloc((size_t)(size ? size : 1) * sizeof(int64_t));
  if (!batch) { free(cdf); return kr_raise(KILN_MemoryError, ""); }
  while (n_uniq < size) {
    int64_t m = size - n_uniq;
    double *x = (double *)malloc((size_t)m * sizeof(double));
    if (!x) { free(cdf); free(batch); return kr_raise(KILN_MemoryError, ""); }
    for (int64_t i = 0; i < m; i++) x[i] = kr_np_random(g);   /* self.random((size - n_uniq,)) */
    for (int64_t i = 0; i < n_uniq; i++) pc[out[i]] = 0;
    double acc = 0.0;
    for (int64_t i = 0; i < np_; i++) { acc += pc[i]; cdf[i] = acc; }
    for (int64_t i = 0; i < np_; i++) cdf[i] /= cdf[np_ - 1];
    int64_t added = 0;
    for (int64_t i = 0; i < m; i++) {   /* searchsorted right; the values in order of their first appearance */
      int64_t lo = 0, hi = np_;
      while (lo < hi) { int64_t mid = lo + (hi - lo) / 2; if (x[i] < cdf[mid]) hi = mid; else lo = mid + 1; }
      int seen = 0;
      for (int64_t k = 0; k < added && !seen; k++) seen = batch[k] == lo;
      if (!seen) batch[added++] = lo;
    }
    free(x);
    memcpy(out + n_uniq, batch, (size_t)added * sizeof(int64_t));
    n_uniq += added;
  }
  free(batch);
  free(cdf);
  return 0;
}

#endif /* KILN_RANDOM_H */
