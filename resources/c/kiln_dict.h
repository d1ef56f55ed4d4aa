/*
 * Kiln runtime: dict, set and frozenset with CPython's algorithms, and Python's hash() for numbers and tuples.
 * Design, API and the compiler's side: docs/design/dicts.md. Tested against CPython by tests/runtime/dict.test.ts.
 *
 * One instantiation per (key C type, value C type): KR_DICT_DEFINE(name, KT, KKIND, VT, VKIND) and
 * KR_SET_DEFINE(name, KT, KKIND) describe the entry layout and the key/value "kinds" in a static const ops
 * table, and define typed wrappers (name_get, name_set, ...) that call the generic code below with that table.
 * The hot functions are always inlined, so the table's sizes and function pointers are constants and the
 * compiler emits a specialised loop per instantiation (int64 keys compare as int64, no indirect call); the cold
 * ones (resize, copy, merge, repr, equality, the collector's hooks) are compiled once and read the table.
 *
 * A kind is five functions and a constant named after it (kr_kind_<KIND>_hash/_eq/_incref/_decref/_repr/_visit,
 * kr_kind_<KIND>_refs): see "Kinds" below; str keys need only KR_KIND_OBJECT(str, kr_str *, kr_str_hash,
 * kr_str_eq, kr_str_repr, 0).
 *
 * Ownership, as everywhere in the runtime: arguments are borrowed; a stored key or value is a new reference the
 * container owns; results handed back (a value read, a popped item, an iterated key) are new references.
 * Fallible functions return 0 (or a count/flag >= 0) and -1 with the error set (KeyError with the key's repr,
 * RuntimeError for mutation during iteration, MemoryError).
 */
#ifndef KILN_DICT_H
#define KILN_DICT_H

#include "kiln_runtime.h"
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

#ifndef KR_UNUSED /* kiln_runtime.h defines it too */
#if defined(__GNUC__) || defined(__clang__)
#define KR_UNUSED __attribute__((unused))
#else
#define KR_UNUSED
#endif
#endif
/* How an instantiation's typed API is compiled. By default out of line: each (instantiation, operation) pair
 * used in a unit is compiled once, with the generic code specialised inside it, however many call sites use
 * it. A unit may define KR_API as `static KILN_ALWAYS_INLINE` before including this header to inline every
 * call instead (bench/runtime measures both: docs/design/dicts.md). */
#ifndef KR_API
#define KR_API static KR_UNUSED
#endif

/* ======================================================================================================
 * Text: reprs for KeyError messages and repr()/str() of containers
 * ====================================================================================================== */
typedef struct kr_text { char *data; size_t len, cap; } kr_text;

static int kr_text_reserve(kr_text *t, size_t extra) {
  size_t need = t->len + extra + 1;
  if (need <= t->cap) return 0;
  size_t cap = t->cap ? t->cap : 64;
  while (cap < need) cap *= 2;
  char *p = (char *)realloc(t->data, cap);
  if (!p) return kr_raise(KILN_MemoryError, "");
  t->data = p;
  t->cap = cap;
  return 0;
}
static inline int kr_text_put(kr_text *t, const char *s, size_t n) {
  if (kr_text_reserve(t, n)) return -1;
  memcpy(t->data + t->len, s, n);
  t->len += n;
  t->data[t->len] = 0;
  return 0;
}
static inline int kr_text_puts(kr_text *t, const char *s) { return kr_text_put(t, s, strlen(s)); }
static inline void kr_text_free(kr_text *t) { free(t->data); t->data = NULL; t->len = t->cap = 0; }

static int kr_repr_f64(kr_text *t, double v) { char b[32]; int n = kr_format_float_repr(v, b); return kr_text_put(t, b, (size_t)n); }
static int kr_repr_i64(kr_text *t, int64_t v) { char b[24]; int n = snprintf(b, sizeof b, "%lld", (long long)v); return kr_text_put(t, b, (size_t)n); }
static int kr_repr_bool(kr_text *t, bool v) { return kr_text_puts(t, v ? "True" : "False"); }

/* Raises `kind` with the repr of a key as the message (KeyError: 5, KeyError: 'a', KeyError: (1, 2)). */
static KILN_COLD int kr_raise_repr(int kind, int (*repr)(kr_text *, const void *), const void *key) {
  kr_text t = { 0, 0, 0 };
  if (repr(&t, key)) { kr_text_free(&t); return -1; }
  int r = kr_raise_copy(kind, t.data ? t.data : "", t.len);
  kr_text_free(&t);
  return r;
}

/* ======================================================================================================
 * hash(): CPython's values on a 64-bit build, on every target (32-bit ones included; docs/design/dicts.md)
 * ====================================================================================================== */
typedef int64_t kr_hash_t;
#define KR_HASH_INF 314159

/* hash(int): sign * (|v| mod (2**61 - 1)); -1 (the C API's error code) becomes -2. */
static inline kr_hash_t kr_hash_i64(int64_t v) {
  /* |v| < 2**61 - 1: the residue is v itself (one unsigned compare) */
  if (KILN_LIKELY((uint64_t)v + (KR_HASH_MODULUS - 1) < 2 * KR_HASH_MODULUS - 1)) return v == -1 ? -2 : v;
  uint64_t a = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
  uint64_t x = (a & KR_HASH_MODULUS) + (a >> 61); /* 2**61 = 1 (mod M) */
  if (x >= KR_HASH_MODULUS) x -= KR_HASH_MODULUS;
  int64_t h = v < 0 ? -(int64_t)x : (int64_t)x;
  return h == -1 ? -2 : h;
}
static inline kr_hash_t kr_hash_bool(bool v) { return v ? 1 : 0; }

/* hash(float): the hash of the rational value (so hash(2.0) == hash(2)); +-inf give +-314159. NaN gives 0:
 * CPython 3.10+ hashes a NaN by the float object's address, which an unboxed double does not have (and which
 * differs from run to run anyway); 0 is CPython 3.9's value. */
static inline kr_hash_t kr_hash_f64(double v) {
  if (!isfinite(v)) return isnan(v) ? 0 : v > 0 ? KR_HASH_INF : -KR_HASH_INF;
  int e;
  double m = frexp(v, &e);
  int negative = m < 0;
  if (negative) m = -m;
  uint64_t x = 0;
  /* Take 28 bits of the mantissa at a time, rotating left by 28 (multiplying by 2**28 mod M). */
  while (m) {
    x = ((x << 28) & KR_HASH_MODULUS) | x >> (61 - 28);
    m *= 268435456.0;
    e -= 28;
    uint64_t y = (uint64_t)m;
    m -= (double)y;
    x += y;
    if (x >= KR_HASH_MODULUS) x -= KR_HASH_MODULUS;
  }
  /* multiply by 2**e: rotate left by e mod 61 */
  e = e >= 0 ? e % 61 : 61 - 1 - ((-1 - e) % 61);
  x = ((x << e) & KR_HASH_MODULUS) | x >> (61 - e);
  int64_t h = negative ? -(int64_t)x : (int64_t)x;
  return h == -1 ? -2 : h;
}

/* hash(tuple), CPython 3.8+'s xxHash-based combination: start, add each item's hash in order, finish with the
 * length. Generated code for a tuple kind: acc = kr_tuplehash_start(); acc = kr_tuplehash_add(acc, h0); ...
 * return kr_tuplehash_end(acc, n); (an item hash of -1 is an error and must be returned as -1 at once). */
#define KR_XXPRIME_1 ((uint64_t)11400714785074694791ULL)
#define KR_XXPRIME_2 ((uint64_t)14029467366897019727ULL)
#define KR_XXPRIME_5 ((uint64_t)2870177450012600261ULL)
static inline uint64_t kr_tuplehash_start(void) { return KR_XXPRIME_5; }
static inline uint64_t kr_tuplehash_add(uint64_t acc, kr_hash_t item) {
  acc += (uint64_t)item * KR_XXPRIME_2;
  acc = (acc << 31) | (acc >> 33);
  return acc * KR_XXPRIME_1;
}
static inline kr_hash_t kr_tuplehash_end(uint64_t acc, int64_t len) {
  acc += (uint64_t)len ^ (KR_XXPRIME_5 ^ (uint64_t)3527539UL);
  return acc == (uint64_t)-1 ? (kr_hash_t)1546275796 : (kr_hash_t)acc;
}

/* ======================================================================================================
 * Kinds: how a container treats one C type of key or value
 *
 *   kr_hash_t kr_kind_K_hash(const T *k);          hash(k); -1 with the error set when it fails (keys only)
 *   int  kr_kind_K_eq(const T *a, const T *b);     a == b as containers compare: 1, 0, or -1 with the error set
 *   void kr_kind_K_incref(T *v), kr_kind_K_decref(T *v);   take / drop the references a stored copy owns
 *   int  kr_kind_K_repr(kr_text *t, const T *v);   appends repr(v); 0 or -1
 *   void kr_kind_K_visit(const T *v, kr_visit_fn f, void *arg);   f(child) for each object reference (collector)
 *   enum { kr_kind_K_refs = 0 | 1 | 2 };           0: no references; 1: references to objects never tracked by
 *                                                 the collector (str); 2: references that may be tracked
 *
 * Containers compare keys the way CPython's containers do: identity first, then ==. Floats have no identity
 * when unboxed, so a NaN key or value is "the same object" as any other NaN (docs/design/dicts.md, NaN).
 * ====================================================================================================== */
#define KR_KIND_SCALAR(KIND, T, HASH, EQ, REPR) \
  typedef T kr_kind_##KIND##_t; \
  static inline kr_hash_t kr_kind_##KIND##_hash(const kr_kind_##KIND##_t *k) { return HASH(*k); } \
  static inline int kr_kind_##KIND##_eq(const kr_kind_##KIND##_t *a, const kr_kind_##KIND##_t *b) { return EQ(*a, *b); } \
  static inline void kr_kind_##KIND##_incref(kr_kind_##KIND##_t *v) { (void)v; } \
  static inline void kr_kind_##KIND##_decref(kr_kind_##KIND##_t *v) { (void)v; } \
  static inline int kr_kind_##KIND##_repr(kr_text *t, const kr_kind_##KIND##_t *v) { return REPR(t, *v); } \
  static inline void kr_kind_##KIND##_visit(const kr_kind_##KIND##_t *v, kr_visit_fn f, void *arg) { (void)v; (void)f; (void)arg; } \
  enum { kr_kind_##KIND##_refs = 0 };

/* An object type T (a pointer to a struct starting with kr_obj) with its hash, equality and repr functions:
 * HASH(T) -> kr_hash_t, EQ(T, T) -> 1/0/-1, REPR(kr_text *, T) -> 0/-1. TRACKED: 1 when T's instances may be
 * tracked by the collector (they hold references), 0 when never (str, bytes). */
#define KR_KIND_OBJECT(KIND, T, HASH, EQ, REPR, TRACKED) \
  KR_KIND_OBJECT_VALUE(KIND, T, EQ, REPR, TRACKED) \
  static inline kr_hash_t kr_kind_##KIND##_hash(const kr_kind_##KIND##_t *k) { return HASH(*k); }
/* The same for a type used only as a value (no hash: list, dict). */
#define KR_KIND_OBJECT_VALUE(KIND, T, EQ, REPR, TRACKED) \
  typedef T kr_kind_##KIND##_t; \
  static inline int kr_kind_##KIND##_eq(const kr_kind_##KIND##_t *a, const kr_kind_##KIND##_t *b) { return *a == *b ? 1 : EQ(*a, *b); } \
  static inline void kr_kind_##KIND##_incref(kr_kind_##KIND##_t *v) { kr_incref(*v); } \
  static inline void kr_kind_##KIND##_decref(kr_kind_##KIND##_t *v) { kr_decref(*v); } \
  static inline int kr_kind_##KIND##_repr(kr_text *t, const kr_kind_##KIND##_t *v) { return REPR(t, *v); } \
  static inline void kr_kind_##KIND##_visit(const kr_kind_##KIND##_t *v, kr_visit_fn f, void *arg) { if (*v) f((kr_obj *)*v, arg); } \
  enum { kr_kind_##KIND##_refs = (TRACKED) ? 2 : 1 };

/* Float equality inside containers: ==, except that NaN equals NaN (see the NaN note above). */
static inline int kr_f64_same(double a, double b) { return a == b || (a != a && b != b); }
static inline int kr_i64_same(int64_t a, int64_t b) { return a == b; }
static inline int kr_bool_same(bool a, bool b) { return a == b; }
KR_KIND_SCALAR(i64, int64_t, kr_hash_i64, kr_i64_same, kr_repr_i64)
KR_KIND_SCALAR(f64, double, kr_hash_f64, kr_f64_same, kr_repr_f64)
KR_KIND_SCALAR(bool, bool, kr_hash_bool, kr_bool_same, kr_repr_bool)

/* A number of the union bool | int | float (the representation of `int | float` keys: {1: 'a', 1.0: 'b'} is one
 * key, as in Python). Equality is exact across kinds (2**53 + 1 != 2.0**53), hashes agree where values do. */
enum { KR_NUM_BOOL = 0, KR_NUM_INT = 1, KR_NUM_FLOAT = 2 };
typedef struct kr_num { uint8_t tag; union { int64_t i; double f; } v; } kr_num;
static inline kr_num kr_num_int(int64_t i) { kr_num n; memset(&n, 0, sizeof n); n.tag = KR_NUM_INT; n.v.i = i; return n; }
static inline kr_num kr_num_bool(bool b) { kr_num n; memset(&n, 0, sizeof n); n.tag = KR_NUM_BOOL; n.v.i = b; return n; }
static inline kr_num kr_num_float(double f) { kr_num n; memset(&n, 0, sizeof n); n.tag = KR_NUM_FLOAT; n.v.f = f; return n; }
static inline kr_hash_t kr_hash_num(kr_num n) { return n.tag == KR_NUM_FLOAT ? kr_hash_f64(n.v.f) : kr_hash_i64(n.v.i); }
static inline int kr_num_same(kr_num a, kr_num b) {
  int af = a.tag == KR_NUM_FLOAT, bf = b.tag == KR_NUM_FLOAT;
  if (!af && !bf) return a.v.i == b.v.i;
  if (af && bf) return kr_f64_same(a.v.f, b.v.f);
  return af ? kr_cmp_i64_f64(b.v.i, a.v.f) == 0 : kr_cmp_i64_f64(a.v.i, b.v.f) == 0;
}
static int kr_repr_num(kr_text *t, kr_num n) {
  return n.tag == KR_NUM_FLOAT ? kr_repr_f64(t, n.v.f) : n.tag == KR_NUM_BOOL ? kr_repr_bool(t, n.v.i != 0) : kr_repr_i64(t, n.v.i);
}
KR_KIND_SCALAR(num, kr_num, kr_hash_num, kr_num_same, kr_repr_num)

/* ======================================================================================================
 * dict: CPython 3.11's compact dict. An index table of 2**k slots (1, 2, 4 or 8 bytes each: an entry number,
 * EMPTY or DUMMY) probed with CPython's perturbation, and a dense entry array {hash, key, value} in insertion
 * order (a deleted entry keeps its place with hash -1 until the next resize compacts the array). Sizes follow
 * CPython's rules exactly (grow to used*3 when the usable entries run out, which also shrinks a dict that lost
 * most of its items; copy, merge and fromkeys presize as CPython does), so iteration, including what happens
 * when a loop mutates the dict, matches.
 * ====================================================================================================== */
#define KR_DKIX_EMPTY (-1)
#define KR_DKIX_DUMMY (-2)
#define KR_DKIX_ERROR (-3)
#define KR_DICT_LOG_MINSIZE 3
#define KR_USABLE_FRACTION(n) ((((int64_t)(n)) << 1) / 3)
#define KR_PERTURB_SHIFT 5
#define KR_KV_MAX 128           /* largest key or value C type a container stores */

/* What a dict of one (key, value) instantiation needs to know about its entries. */
typedef struct kr_dict_ops {
  uint32_t esize, koff, voff, ksize, vsize;      /* an entry: {kr_hash_t hash; K key; V value} */
  kr_hash_t (*hash)(const void *key);
  int (*key_eq)(const void *a, const void *b);
  int (*val_eq)(const void *a, const void *b);
  void (*key_incref)(void *k), (*key_decref)(void *k), (*val_incref)(void *v), (*val_decref)(void *v);
  int (*key_repr)(kr_text *t, const void *k), (*val_repr)(kr_text *t, const void *v);
  void (*key_visit)(const void *k, kr_visit_fn f, void *arg), (*val_visit)(const void *v, kr_visit_fn f, void *arg);
  uint8_t key_refs, val_refs;                    /* the kinds' refs constants */
} kr_dict_ops;

/* The Python types built on dict, as flavours of one instantiation (same entries, same typed functions): the
 * flavour is read from the object's type where behaviour differs (a miss in d[k], deletion, order). */
enum { KR_DICT_PLAIN = 0, KR_DICT_ORDERED = 1, KR_DICT_DEFAULT = 2, KR_DICT_COUNTER = 3 };
typedef struct kr_dict kr_dict;
typedef struct kr_dict_type {
  kr_type type;                /* first: an object's type pointer points here */
  const kr_dict_ops *ops;
  int flavor;
  /* A flavour's own repr and == (Counter's, from kiln_collections.h); NULL: the dict's. */
  int (*repr)(struct kr_text *t, kr_dict *d);
  int (*eq)(kr_dict *a, kr_dict *b);
} kr_dict_type;

struct kr_dict {
  kr_obj ob;
  int64_t used;                /* len(d) */
  int64_t usable;              /* entries that may still be appended before a resize */
  int64_t nentries;            /* entries used in the array (live and deleted) */
  uint8_t log2_size;           /* the index table has 1 << log2_size slots ... */
  uint8_t log2_ix;             /* ... of 1 << log2_ix bytes */
  void *indices;               /* kr_dict_empty_ix while the dict owns no storage */
  char *entries;               /* in the same block as indices */
};

/* collections.OrderedDict: the order is a doubly linked list over entry numbers (so move_to_end(last=False) is
 * O(1)); `state` changes whenever the list does (CPython's od_state: iterators check it). */
typedef struct kr_odict {
  kr_dict d;
  int64_t *links;              /* 2 per entry slot: prev, next (-1: none) */
  int64_t first, last;         /* entry numbers, -1 when empty */
  uint64_t state;
} kr_odict;

/* collections.defaultdict: d[k] on a missing key stores and returns factory(env) (a new reference in *out). */
typedef int (*kr_default_factory)(void *out, kr_obj *env);
/* The environment of a factory that makes a constant (defaultdict(lambda: 0), defaultdict(lambda: [0, 0])): the
 * bytes of the value, or of a list's items, which generated code's `<name>_factory_proto` copies into a new value on
 * every call (a new list each time, as the lambda makes one). An object without references. */
typedef struct { kr_varobj ob; int64_t size; unsigned char bytes[]; } kr_proto;
static const kr_type kr_proto_type = { "factory", NULL, 0, 0, NULL, NULL, NULL };
/* A new reference to a kr_proto holding `size` bytes copied from `bytes`, or NULL (MemoryError raised). */
static KR_UNUSED kr_obj *kr_proto_new(const void *bytes, size_t size) {
  kr_proto *p = (kr_proto *)kr_varobj_new(&kr_proto_type, sizeof(kr_proto) + size);
  if (!p) return NULL;
  p->size = (int64_t)size;
  if (size) memcpy(p->bytes, bytes, size);
  return &p->ob.ob;
}
typedef struct kr_defaultdict {
  kr_dict d;
  kr_default_factory factory;  /* NULL: default_factory is None (KeyError) */
  kr_obj *env;                 /* owned: the factory's closure environment, or NULL */
  const char *factory_repr;    /* "<class 'list'>", as repr() shows it */
} kr_defaultdict;

KR_STATE int8_t kr_dict_empty_ix[8] KR_STATE_INIT({ -1, -1, -1, -1, -1, -1, -1, -1 });

static inline const kr_dict_type *kr_dict_typeof(const kr_dict *d) { return (const kr_dict_type *)d->ob.type; }
static inline const kr_dict_ops *kr_dict_opsof(const kr_dict *d) { return kr_dict_typeof(d)->ops; }
static inline int kr_dict_flavor(const kr_dict *d) { return kr_dict_typeof(d)->flavor; }
static inline int64_t kr_dict_len(const kr_dict *d) { return d->used; }

static KILN_ALWAYS_INLINE int64_t kr_dk_get(const void *ix, int log2w, uint64_t i) {
  switch (log2w) {
    case 0: return ((const int8_t *)ix)[i];
    case 1: return ((const int16_t *)ix)[i];
    case 2: return ((const int32_t *)ix)[i];
    default: return ((const int64_t *)ix)[i];
  }
}
static KILN_ALWAYS_INLINE void kr_dk_set(void *ix, int log2w, uint64_t i, int64_t v) {
  switch (log2w) {
    case 0: ((int8_t *)ix)[i] = (int8_t)v; break;
    case 1: ((int16_t *)ix)[i] = (int16_t)v; break;
    case 2: ((int32_t *)ix)[i] = (int32_t)v; break;
    default: ((int64_t *)ix)[i] = v; break;
  }
}
#define KR_ENTRY(d, ops, ix) ((d)->entries + (size_t)(ix) * (ops)->esize)
#define KR_EHASH(e) (*(kr_hash_t *)(e))

/* The table for `minsize` slots: CPython's calculate_log2_keysize on 64-bit builds, bit_length(((n|8)-1)|7): the
 * smallest power of two >= n (at least 8), except that 1..7 give 16 and an exact power of two from 16 up
 * gets twice that: quirks that show when presizing, where (n*3+1)/2 is small or such a power (copying a dict
 * of 3 items through a merge makes 16 slots; dict.update of 21 items into an empty dict makes 64, not 32). */
static inline int kr_dict_log2_for(int64_t minsize) {
  uint64_t x = ((uint64_t)(minsize | 8) - 1) | 7;
  int k = 0;
  while (x) { k++; x >>= 1; }
  return k;
}
/* The table for `n` items to be inserted at once: CPython's estimate_log2_keysize. */
static inline int kr_dict_log2_estimate(int64_t n) { return kr_dict_log2_for((n * 3 + 1) / 2); }

/* Finds `key`: its entry number, KR_DKIX_EMPTY (absent), or KR_DKIX_ERROR (its comparison raised). *slot gets
 * the index slot (the key's, or the empty slot that ended the search). */
static KILN_ALWAYS_INLINE int64_t kr_dict_lookup_(const kr_dict *d, const void *key, kr_hash_t hash,
                                                   const kr_dict_ops *ops, uint64_t *slot) {
  const uint64_t mask = ((uint64_t)1 << d->log2_size) - 1;
  uint64_t perturb = (uint64_t)hash, i = (uint64_t)hash & mask;
  for (;;) {
    int64_t ix = kr_dk_get(d->indices, d->log2_ix, i);
    if (ix >= 0) {
      const char *e = KR_ENTRY(d, ops, ix);
      if (KR_EHASH(e) == hash) {
        int r = ops->key_eq(e + ops->koff, key);
        if (r > 0) { *slot = i; return ix; }
        if (KILN_UNLIKELY(r < 0)) return KR_DKIX_ERROR;
      }
    } else if (ix == KR_DKIX_EMPTY) {
      *slot = i;
      return KR_DKIX_EMPTY;
    }
    perturb >>= KR_PERTURB_SHIFT;
    i = (i * 5 + perturb + 1) & mask;
  }
}
/* kr_dict_lookup_ that also gives, when the key is absent, the first EMPTY or DUMMY slot of the probe
 * sequence in *slot: where CPython's find_empty_slot puts a new entry, found in the same pass. */
static KILN_ALWAYS_INLINE int64_t kr_dict_lookup_for_insert_(const kr_dict *d, const void *key, kr_hash_t hash,
                                                              const kr_dict_ops *ops, uint64_t *slot) {
  const uint64_t mask = ((uint64_t)1 << d->log2_size) - 1;
  uint64_t perturb = (uint64_t)hash, i = (uint64_t)hash & mask, free_slot = UINT64_MAX;
  for (;;) {
    int64_t ix = kr_dk_get(d->indices, d->log2_ix, i);
    if (ix >= 0) {
      const char *e = KR_ENTRY(d, ops, ix);
      if (KR_EHASH(e) == hash) {
        int r = ops->key_eq(e + ops->koff, key);
        if (r > 0) { *slot = i; return ix; }
        if (KILN_UNLIKELY(r < 0)) return KR_DKIX_ERROR;
      }
    } else if (ix == KR_DKIX_EMPTY) {
      *slot = free_slot != UINT64_MAX ? free_slot : i;
      return KR_DKIX_EMPTY;
    } else if (free_slot == UINT64_MAX) {
      free_slot = i;
    }
    perturb >>= KR_PERTURB_SHIFT;
    i = (i * 5 + perturb + 1) & mask;
  }
}
/* The first slot that is EMPTY or DUMMY on `hash`'s probe sequence (where a new entry's number goes). */
static KILN_ALWAYS_INLINE uint64_t kr_dict_empty_slot(const kr_dict *d, kr_hash_t hash) {
  const uint64_t mask = ((uint64_t)1 << d->log2_size) - 1;
  uint64_t perturb = (uint64_t)hash, i = (uint64_t)hash & mask;
  while (kr_dk_get(d->indices, d->log2_ix, i) >= 0) {
    perturb >>= KR_PERTURB_SHIFT;
    i = (i * 5 + perturb + 1) & mask;
  }
  return i;
}

/* ---- OrderedDict links ---- */
#define KR_OD(d) ((kr_odict *)(d))
static inline void kr_odict_link_tail(kr_dict *d, int64_t ix) {
  kr_odict *od = KR_OD(d);
  od->links[2 * ix] = od->last;
  od->links[2 * ix + 1] = -1;
  if (od->last >= 0) od->links[2 * od->last + 1] = ix; else od->first = ix;
  od->last = ix;
  od->state++;
}
static inline void kr_odict_link_head(kr_dict *d, int64_t ix) {
  kr_odict *od = KR_OD(d);
  od->links[2 * ix] = -1;
  od->links[2 * ix + 1] = od->first;
  if (od->first >= 0) od->links[2 * od->first] = ix; else od->last = ix;
  od->first = ix;
  od->state++;
}
static inline void kr_odict_unlink(kr_dict *d, int64_t ix) {
  kr_odict *od = KR_OD(d);
  int64_t prev = od->links[2 * ix], next = od->links[2 * ix + 1];
  if (prev >= 0) od->links[2 * prev + 1] = next; else od->first = next;
  if (next >= 0) od->links[2 * next] = prev; else od->last = prev;
  od->state++;
}

/* Fills a fresh index (all EMPTY) with entries 0..n-1: one loop per slot width (CPython's build_indices). */
#define KR_BUILD_INDEX(T) do { \
    T *ix = (T *)d->indices; \
    for (int64_t k = 0; k < n; k++) { \
      uint64_t h = (uint64_t)KR_EHASH(d->entries + (size_t)k * esize), perturb = h, i = h & mask; \
      while (ix[i] != -1) { perturb >>= KR_PERTURB_SHIFT; i = (i * 5 + perturb + 1) & mask; } \
      ix[i] = (T)k; \
    } } while (0)
static void kr_dict_build_index(kr_dict *d, int64_t n, size_t esize) {
  const uint64_t mask = ((uint64_t)1 << d->log2_size) - 1;
  switch (d->log2_ix) {
    case 0: KR_BUILD_INDEX(int8_t); break;
    case 1: KR_BUILD_INDEX(int16_t); break;
    case 2: KR_BUILD_INDEX(int32_t); break;
    default: KR_BUILD_INDEX(int64_t); break;
  }
}
/* Replaces the storage with a table of 1 << log2 slots holding the live entries, compacted (an OrderedDict's
 * in its linked order). MemoryError leaves the dict unchanged. */
static int kr_dict_resize(kr_dict *d, int log2, const kr_dict_ops *ops) {
  if (log2 > (int)(sizeof(size_t) * 8) - 6) return kr_raise(KILN_MemoryError, ""); /* no address space has it */
  const size_t n = (size_t)1 << log2;
  const int log2_ix = log2 < 8 ? 0 : log2 < 16 ? 1 : log2 < 32 ? 2 : 3;
  const int64_t usable = KR_USABLE_FRACTION(n);
  const size_t ixbytes = n << log2_ix, esize = ops->esize;
  if (usable < d->used || (size_t)usable > (SIZE_MAX >> 2) / esize) return kr_raise(KILN_MemoryError, "");
  char *mem = (char *)malloc(ixbytes + (size_t)usable * esize);
  int ordered = kr_dict_flavor(d) == KR_DICT_ORDERED;
  int64_t *links = NULL;
  if (ordered && mem) {
    links = (int64_t *)malloc((size_t)usable * 2 * sizeof(int64_t));
    if (!links) { free(mem); mem = NULL; }
  }
  if (!mem) return kr_raise(KILN_MemoryError, "");
  memset(mem, 0xff, ixbytes); /* EMPTY (-1) in any width */
  char *entries = mem + ixbytes;
  const int64_t used = d->used;
  if (ordered) {
    int64_t k = 0;
    for (int64_t ix = KR_OD(d)->first; ix >= 0; ix = KR_OD(d)->links[2 * ix + 1]) memcpy(entries + (size_t)k++ * esize, KR_ENTRY(d, ops, ix), esize);
  } else if (d->nentries == used) {
    if (used) memcpy(entries, d->entries, (size_t)used * esize);
  } else {
    int64_t k = 0;
    for (int64_t ix = 0; ix < d->nentries; ix++) {
      const char *e = KR_ENTRY(d, ops, ix);
      if (KR_EHASH(e) != -1) memcpy(entries + (size_t)k++ * esize, e, esize);
    }
  }
  if (d->indices != (void *)kr_dict_empty_ix) free(d->indices);
  d->indices = mem;
  d->entries = entries;
  d->log2_size = (uint8_t)log2;
  d->log2_ix = (uint8_t)log2_ix;
  d->usable = usable - used;
  d->nentries = used;
  kr_dict_build_index(d, used, esize);
  if (ordered) {
    kr_odict *od = KR_OD(d);
    free(od->links);
    od->links = links;
    for (int64_t ix = 0; ix < used; ix++) { links[2 * ix] = ix - 1; links[2 * ix + 1] = ix + 1 < used ? ix + 1 : -1; }
    od->first = used ? 0 : -1;
    od->last = used - 1;
  }
  return 0;
}
static KILN_COLD int kr_dict_insertion_resize(kr_dict *d, const kr_dict_ops *ops) {
  return kr_dict_resize(d, kr_dict_log2_for(d->used * 3), ops);
}

/* Appends a new entry for a key known to be absent (borrowed key and value: their references are taken) at
 * index slot `slot` (UINT64_MAX: not known yet; a resize makes it unknown). */
static KILN_ALWAYS_INLINE int kr_dict_insert_new_at_(kr_dict *d, uint64_t slot, const void *key, kr_hash_t hash,
                                                     const void *value, const kr_dict_ops *ops) {
  if (KILN_UNLIKELY(d->usable <= 0)) {
    if (kr_dict_insertion_resize(d, ops)) return -1;
    slot = UINT64_MAX;
  }
  if (slot == UINT64_MAX) slot = kr_dict_empty_slot(d, hash);
  int64_t ix = d->nentries;
  char *e = KR_ENTRY(d, ops, ix);
  KR_EHASH(e) = hash;
  memcpy(e + ops->koff, key, ops->ksize);
  memcpy(e + ops->voff, value, ops->vsize);
  if (ops->key_refs) ops->key_incref(e + ops->koff);
  if (ops->val_refs) ops->val_incref(e + ops->voff);
  kr_dk_set(d->indices, d->log2_ix, slot, ix);
  d->used++;
  d->usable--;
  d->nentries++;
  if (KILN_UNLIKELY(kr_dict_flavor(d) == KR_DICT_ORDERED)) kr_odict_link_tail(d, ix);
  return 0;
}
static KILN_ALWAYS_INLINE int kr_dict_insert_new_(kr_dict *d, const void *key, kr_hash_t hash, const void *value,
                                                  const kr_dict_ops *ops) {
  return kr_dict_insert_new_at_(d, UINT64_MAX, key, hash, value, ops);
}
/* Replaces the value of entry `ix` (the key stays: {0.0: 1}[-0.0] = 2 keeps the key 0.0, as CPython). */
static KILN_ALWAYS_INLINE void kr_dict_replace_value_(kr_dict *d, int64_t ix, const void *value, const kr_dict_ops *ops) {
  char *v = KR_ENTRY(d, ops, ix) + ops->voff;
  if (ops->val_refs) {
    _Alignas(16) unsigned char old[KR_KV_MAX];
    memcpy(old, v, ops->vsize);
    memcpy(v, value, ops->vsize);
    ops->val_incref(v);
    ops->val_decref(old);
  } else {
    memcpy(v, value, ops->vsize);
  }
}
/* d[key] = value. */
static KILN_ALWAYS_INLINE int kr_dict_setitem_(kr_dict *d, const void *key, const void *value, const kr_dict_ops *ops) {
  kr_hash_t hash = ops->hash(key);
  if (KILN_UNLIKELY(hash == -1)) return -1;
  uint64_t slot;
  int64_t ix = kr_dict_lookup_for_insert_(d, key, hash, ops, &slot);
  if (ix >= 0) { kr_dict_replace_value_(d, ix, value, ops); return 0; }
  if (KILN_UNLIKELY(ix == KR_DKIX_ERROR)) return -1;
  return kr_dict_insert_new_at_(d, slot, key, hash, value, ops);
}
/* Removes entry `ix` found at index slot `slot`; the caller takes over the key's and value's references
 * (deleting callers drop them with kr_dict_drop_entry_). */
static KILN_ALWAYS_INLINE void kr_dict_unlink_at_(kr_dict *d, uint64_t slot, int64_t ix, const kr_dict_ops *ops) {
  kr_dk_set(d->indices, d->log2_ix, slot, KR_DKIX_DUMMY);
  KR_EHASH(KR_ENTRY(d, ops, ix)) = -1;
  d->used--;
  if (KILN_UNLIKELY(kr_dict_flavor(d) == KR_DICT_ORDERED)) kr_odict_unlink(d, ix);
}
static KILN_ALWAYS_INLINE void kr_dict_drop_entry_(char *e, const kr_dict_ops *ops) {
  if (ops->key_refs) ops->key_decref(e + ops->koff);
  if (ops->val_refs) ops->val_decref(e + ops->voff);
}

/* The cold paths of a failed lookup, by flavour: KeyError(key); defaultdict: store factory(); Counter: 0. */
static KILN_COLD int kr_dict_missing(kr_dict *d, const void *key, void *out, const kr_dict_ops *ops) {
  int flavor = kr_dict_flavor(d);
  if (flavor == KR_DICT_COUNTER) { memset(out, 0, ops->vsize); return 0; }
  if (flavor == KR_DICT_DEFAULT && ((kr_defaultdict *)d)->factory) {
    kr_defaultdict *dd = (kr_defaultdict *)d;
    _Alignas(16) unsigned char value[KR_KV_MAX];
    if (dd->factory(value, dd->env)) return -1;
    int r = kr_dict_setitem_(d, key, value, ops); /* the factory may have changed the dict: a fresh insert */
    if (r) { if (ops->val_refs) ops->val_decref(value); return -1; }
    memcpy(out, value, ops->vsize); /* the factory's new reference becomes the caller's */
    return 0;
  }
  return kr_raise_repr(KILN_KeyError, ops->key_repr, key);
}
/* v = d[key]: 0 and a new reference in *out, or -1 (KeyError carrying repr(key)). */
static KILN_ALWAYS_INLINE int kr_dict_getitem_(kr_dict *d, const void *key, void *out, const kr_dict_ops *ops) {
  kr_hash_t hash = ops->hash(key);
  if (KILN_UNLIKELY(hash == -1)) return -1;
  uint64_t slot;
  int64_t ix = kr_dict_lookup_(d, key, hash, ops, &slot);
  if (KILN_LIKELY(ix >= 0)) {
    memcpy(out, KR_ENTRY(d, ops, ix) + ops->voff, ops->vsize);
    if (ops->val_refs) ops->val_incref(out);
    return 0;
  }
  if (ix == KR_DKIX_ERROR) return -1;
  return kr_dict_missing(d, key, out, ops);
}
/* The value's slot in the entry array, or NULL (absent; *err set to -1 when the lookup raised). The pointer is
 * borrowed and valid until the dict is next changed: for d[k] += 1 without a second lookup. */
static KILN_ALWAYS_INLINE void *kr_dict_find_(kr_dict *d, const void *key, const kr_dict_ops *ops, int *err) {
  kr_hash_t hash = ops->hash(key);
  *err = 0;
  if (KILN_UNLIKELY(hash == -1)) { *err = -1; return NULL; }
  uint64_t slot;
  int64_t ix = kr_dict_lookup_(d, key, hash, ops, &slot);
  if (ix >= 0) return KR_ENTRY(d, ops, ix) + ops->voff;
  if (ix == KR_DKIX_ERROR) *err = -1;
  return NULL;
}
/* The value's slot, after storing `dflt` when the key is absent (one probe): what d[k] = d.get(k, 0) + 1 and
 * d[k] += 1 compile to when the key kind's hash and == run no user code (then the fusion is unobservable: a new
 * key goes at the end, as the separate get and set would put it). NULL with the error set on failure. */
static KILN_ALWAYS_INLINE void *kr_dict_slot_(kr_dict *d, const void *key, const void *dflt, const kr_dict_ops *ops) {
  kr_hash_t hash = ops->hash(key);
  if (KILN_UNLIKELY(hash == -1)) return NULL;
  uint64_t slot;
  int64_t ix = kr_dict_lookup_for_insert_(d, key, hash, ops, &slot);
  if (ix < 0) {
    if (ix == KR_DKIX_ERROR || kr_dict_insert_new_at_(d, slot, key, hash, dflt, ops)) return NULL;
    ix = d->nentries - 1;
  }
  return KR_ENTRY(d, ops, ix) + ops->voff;
}
/* key in d: 1, 0, or -1. */
static KILN_ALWAYS_INLINE int kr_dict_contains_(const kr_dict *d, const void *key, const kr_dict_ops *ops) {
  kr_hash_t hash = ops->hash(key);
  if (KILN_UNLIKELY(hash == -1)) return -1;
  uint64_t slot;
  int64_t ix = kr_dict_lookup_(d, key, hash, ops, &slot);
  return ix >= 0 ? 1 : ix == KR_DKIX_EMPTY ? 0 : -1;
}
/* del d[key]: KeyError when absent (a Counter ignores a missing key, as Counter.__delitem__). */
static KILN_ALWAYS_INLINE int kr_dict_delitem_(kr_dict *d, const void *key, const kr_dict_ops *ops) {
  kr_hash_t hash = ops->hash(key);
  if (KILN_UNLIKELY(hash == -1)) return -1;
  uint64_t slot;
  int64_t ix = kr_dict_lookup_(d, key, hash, ops, &slot);
  if (ix < 0) {
    if (ix == KR_DKIX_ERROR) return -1;
    return kr_dict_flavor(d) == KR_DICT_COUNTER ? 0 : kr_raise_repr(KILN_KeyError, ops->key_repr, key);
  }
  kr_dict_unlink_at_(d, slot, ix, ops);
  kr_dict_drop_entry_(KR_ENTRY(d, ops, ix), ops);
  return 0;
}
/* d.pop(key) (dflt NULL: KeyError when absent) / d.pop(key, dflt): a new reference in *out. */
static KILN_ALWAYS_INLINE int kr_dict_pop_(kr_dict *d, const void *key, const void *dflt, void *out, const kr_dict_ops *ops) {
  kr_hash_t hash = ops->hash(key);
  if (KILN_UNLIKELY(hash == -1)) return -1;
  uint64_t slot;
  int64_t ix = d->used ? kr_dict_lookup_(d, key, hash, ops, &slot) : KR_DKIX_EMPTY;
  if (ix < 0) {
    if (ix == KR_DKIX_ERROR) return -1;
    if (!dflt) return kr_raise_repr(KILN_KeyError, ops->key_repr, key);
    memcpy(out, dflt, ops->vsize);
    if (ops->val_refs) ops->val_incref(out);
    return 0;
  }
  char *e = KR_ENTRY(d, ops, ix);
  kr_dict_unlink_at_(d, slot, ix, ops);
  memcpy(out, e + ops->voff, ops->vsize); /* the entry's reference moves to the caller */
  if (ops->key_refs) ops->key_decref(e + ops->koff);
  return 0;
}
/* d.get(key, dflt): a new reference in *out (dflt's when absent). */
static KILN_ALWAYS_INLINE int kr_dict_get_(kr_dict *d, const void *key, const void *dflt, void *out, const kr_dict_ops *ops) {
  kr_hash_t hash = ops->hash(key);
  if (KILN_UNLIKELY(hash == -1)) return -1;
  uint64_t slot;
  int64_t ix = kr_dict_lookup_(d, key, hash, ops, &slot);
  if (ix == KR_DKIX_ERROR) return -1;
  memcpy(out, ix >= 0 ? KR_ENTRY(d, ops, ix) + ops->voff : (const char *)dflt, ops->vsize);
  if (ops->val_refs) ops->val_incref(out);
  return 0;
}
/* d.setdefault(key, dflt): the value (a new reference in *out), storing dflt first when absent. */
static KILN_ALWAYS_INLINE int kr_dict_setdefault_(kr_dict *d, const void *key, const void *dflt, void *out, const kr_dict_ops *ops) {
  kr_hash_t hash = ops->hash(key);
  if (KILN_UNLIKELY(hash == -1)) return -1;
  uint64_t slot;
  int64_t ix = kr_dict_lookup_for_insert_(d, key, hash, ops, &slot);
  if (ix == KR_DKIX_ERROR) return -1;
  if (ix < 0) {
    if (kr_dict_insert_new_at_(d, slot, key, hash, dflt, ops)) return -1;
    ix = d->nentries - 1;
  }
  memcpy(out, KR_ENTRY(d, ops, ix) + ops->voff, ops->vsize);
  if (ops->val_refs) ops->val_incref(out);
  return 0;
}

/* d.popitem(): the last item (LIFO; an OrderedDict's popitem(last) takes either end of its order). The key and
 * value references move to *kout and *vout. */
static int kr_dict_popitem_at_end(kr_dict *d, int last, void *kout, void *vout) {
  const kr_dict_ops *ops = kr_dict_opsof(d);
  int ordered = kr_dict_flavor(d) == KR_DICT_ORDERED;
  if (d->used == 0) return kr_raise(KILN_KeyError, ordered ? "'dictionary is empty'" : "'popitem(): dictionary is empty'");
  int64_t ix;
  if (ordered) {
    ix = last ? KR_OD(d)->last : KR_OD(d)->first;
  } else {
    ix = d->nentries - 1;
    while (ix >= 0 && KR_EHASH(KR_ENTRY(d, ops, ix)) == -1) ix--;
  }
  char *e = KR_ENTRY(d, ops, ix);
  /* find the index slot pointing at ix (CPython's lookdict_index) */
  const uint64_t mask = ((uint64_t)1 << d->log2_size) - 1;
  uint64_t perturb = (uint64_t)KR_EHASH(e), i = (uint64_t)KR_EHASH(e) & mask;
  while (kr_dk_get(d->indices, d->log2_ix, i) != ix) {
    perturb >>= KR_PERTURB_SHIFT;
    i = (i * 5 + perturb + 1) & mask;
  }
  kr_dict_unlink_at_(d, i, ix, ops);
  memcpy(kout, e + ops->koff, ops->ksize);
  memcpy(vout, e + ops->voff, ops->vsize);
  if (!ordered) d->nentries = ix; /* CPython: the popped entry and deleted ones after it are reused */
  return 0;
}
static inline int kr_dict_popitem(kr_dict *d, void *kout, void *vout) { return kr_dict_popitem_at_end(d, 1, kout, vout); }

/* A new empty dict of the given type (a new reference), or NULL with MemoryError. */
static kr_dict *kr_dict_new_of(const kr_dict_type *t) {
  kr_dict *d = (kr_dict *)kr_obj_new(&t->type, 0);
  if (!d) return NULL;
  d->log2_size = KR_DICT_LOG_MINSIZE;
  d->indices = (void *)kr_dict_empty_ix;
  if (t->flavor == KR_DICT_ORDERED) KR_OD(d)->first = KR_OD(d)->last = -1;
  return d;
}
/* A new dict sized for `n` items about to be inserted (a dict display of n items: CPython presizes above 5). */
static kr_dict *kr_dict_new_presized(const kr_dict_type *t, int64_t n) {
  kr_dict *d = kr_dict_new_of(t);
  if (d && n > KR_USABLE_FRACTION(8) && kr_dict_resize(d, kr_dict_log2_estimate(n), t->ops)) { kr_decref(d); return NULL; }
  return d;
}

/* d.clear(): drops every item and the storage. */
static void kr_dict_clear(kr_dict *d) {
  const kr_dict_ops *ops = kr_dict_opsof(d);
  void *old_ix = d->indices;
  char *old = d->entries;
  int64_t n = d->nentries;
  if (old_ix == (void *)kr_dict_empty_ix) return;
  d->indices = (void *)kr_dict_empty_ix;
  d->entries = NULL;
  d->used = d->usable = d->nentries = 0;
  d->log2_size = KR_DICT_LOG_MINSIZE;
  d->log2_ix = 0;
  if (kr_dict_flavor(d) == KR_DICT_ORDERED) {
    /* CPython's odict clear empties the list without counting a change: an iterator then sees the size */
    kr_odict *od = KR_OD(d);
    free(od->links);
    od->links = NULL;
    od->first = od->last = -1;
  }
  if (ops->key_refs || ops->val_refs)
    for (int64_t ix = 0; ix < n; ix++) {
      char *e = old + (size_t)ix * ops->esize;
      if (KR_EHASH(e) != -1) kr_dict_drop_entry_(e, ops);
    }
  free(old_ix);
}

/* The collector's and deallocation's hooks, shared by every instantiation (the ops come from the type). */
static void kr_dict_tp_traverse(kr_obj *o, kr_visit_fn visit, void *arg) {
  kr_dict *d = (kr_dict *)o;
  const kr_dict_ops *ops = kr_dict_opsof(d);
  if (ops->key_refs || ops->val_refs)
    for (int64_t ix = 0; ix < d->nentries; ix++) {
      const char *e = KR_ENTRY(d, ops, ix);
      if (KR_EHASH(e) == -1) continue;
      if (ops->key_refs) ops->key_visit(e + ops->koff, visit, arg);
      if (ops->val_refs) ops->val_visit(e + ops->voff, visit, arg);
    }
  if (kr_dict_flavor(d) == KR_DICT_DEFAULT && ((kr_defaultdict *)d)->env) visit(((kr_defaultdict *)d)->env, arg);
}
static void kr_dict_tp_clear(kr_obj *o) {
  kr_dict *d = (kr_dict *)o;
  kr_dict_clear(d);
  if (kr_dict_flavor(d) == KR_DICT_DEFAULT) kr_clear_slot(&((kr_defaultdict *)d)->env);
}
static void kr_dict_tp_finalize(kr_obj *o) {
  kr_dict *d = (kr_dict *)o;
  if (d->indices != (void *)kr_dict_empty_ix) free(d->indices); /* a dict without references has no clear */
  d->indices = (void *)kr_dict_empty_ix;
  if (kr_dict_flavor(d) == KR_DICT_ORDERED) { free(KR_OD(d)->links); KR_OD(d)->links = NULL; }
}

/* Inserts every item of `other` into d, overriding (d.update(other), d |= other, dict(other)): CPython's
 * dict_merge, with its clone of a compact source into an empty plain dict and its presizing. */
static int kr_dict_merge(kr_dict *d, kr_dict *other) {
  const kr_dict_ops *ops = kr_dict_opsof(d);
  if (other == d || other->used == 0) return 0;
  int target_plain = kr_dict_flavor(d) != KR_DICT_ORDERED;
  int source_ordered = kr_dict_flavor(other) == KR_DICT_ORDERED;
  if (source_ordered) {
    /* CPython reads an OrderedDict through its keys(): one insertion per key, in its order, no presizing */
    for (int64_t ix = KR_OD(other)->first; ix >= 0; ix = KR_OD(other)->links[2 * ix + 1]) {
      const char *e = KR_ENTRY(other, ops, ix);
      if (kr_dict_setitem_(d, e + ops->koff, e + ops->voff, ops)) return -1;
    }
    return 0;
  }
  if (target_plain && d->used == 0 && other->used == other->nentries &&
      (other->log2_size == KR_DICT_LOG_MINSIZE || KR_USABLE_FRACTION(((int64_t)1 << other->log2_size) / 2) < other->used)) {
    /* clone the source's storage */
    size_t ixbytes = (size_t)1 << (other->log2_size + other->log2_ix);
    size_t bytes = ixbytes + (size_t)(other->usable + other->nentries) * ops->esize;
    char *mem = (char *)malloc(bytes);
    if (!mem) return kr_raise(KILN_MemoryError, "");
    memcpy(mem, other->indices, ixbytes + (size_t)other->nentries * ops->esize);
    if (d->indices != (void *)kr_dict_empty_ix) free(d->indices);
    d->indices = mem;
    d->entries = mem + ixbytes;
    d->log2_size = other->log2_size;
    d->log2_ix = other->log2_ix;
    d->usable = other->usable;
    d->nentries = d->used = other->used;
    for (int64_t ix = 0; ix < d->nentries; ix++) {
      char *e = KR_ENTRY(d, ops, ix);
      if (ops->key_refs) ops->key_incref(e + ops->koff);
      if (ops->val_refs) ops->val_incref(e + ops->voff);
    }
    return 0;
  }
  /* CPython's shared empty keys have one slot and nothing usable: a dict without storage always presizes */
  int64_t capacity = d->indices == (void *)kr_dict_empty_ix ? 0 : KR_USABLE_FRACTION((int64_t)1 << d->log2_size);
  if (target_plain && capacity < other->used &&
      kr_dict_resize(d, kr_dict_log2_estimate(d->used + other->used), ops))
    return -1;
  for (int64_t ix = 0; ix < other->nentries; ix++) {
    const char *e = KR_ENTRY(other, ops, ix);
    if (KR_EHASH(e) == -1) continue;
    uint64_t slot;
    int64_t found = kr_dict_lookup_(d, e + ops->koff, KR_EHASH(e), ops, &slot);
    if (found >= 0) kr_dict_replace_value_(d, found, e + ops->voff, ops);
    else if (found == KR_DKIX_ERROR || kr_dict_insert_new_(d, e + ops->koff, KR_EHASH(e), e + ops->voff, ops)) return -1;
  }
  return 0;
}

/* A new dict of `d`'s type with the same items: d.copy() (CPython's PyDict_Copy for a plain dict: a clone of a
 * mostly live table, else a merge into a new dict; an OrderedDict copies in its order; defaultdict and
 * Counter copies are their constructors applied to d, a merge). The copy keeps a defaultdict's factory. */
static kr_dict *kr_dict_copy(kr_dict *d) {
  const kr_dict_type *t = kr_dict_typeof(d);
  const kr_dict_ops *ops = t->ops;
  kr_dict *c = kr_dict_new_of(t);
  if (!c) return NULL;
  if (t->flavor == KR_DICT_DEFAULT) {
    kr_defaultdict *dc = (kr_defaultdict *)c, *dd = (kr_defaultdict *)d;
    dc->factory = dd->factory;
    dc->factory_repr = dd->factory_repr;
    kr_incref(dd->env);
    dc->env = dd->env;
  }
  if (d->used == 0) return c;
  if (t->flavor == KR_DICT_PLAIN && d->used >= (d->nentries * 2) / 3) {
    size_t ixbytes = (size_t)1 << (d->log2_size + d->log2_ix);
    char *mem = (char *)malloc(ixbytes + (size_t)(d->usable + d->nentries) * ops->esize);
    if (!mem) { kr_decref(c); kr_raise(KILN_MemoryError, ""); return NULL; }
    memcpy(mem, d->indices, ixbytes + (size_t)d->nentries * ops->esize);
    c->indices = mem;
    c->entries = mem + ixbytes;
    c->log2_size = d->log2_size;
    c->log2_ix = d->log2_ix;
    c->usable = d->usable;
    c->nentries = d->nentries;
    c->used = d->used;
    for (int64_t ix = 0; ix < c->nentries; ix++) {
      char *e = KR_ENTRY(c, ops, ix);
      if (KR_EHASH(e) == -1) continue;
      if (ops->key_refs) ops->key_incref(e + ops->koff);
      if (ops->val_refs) ops->val_incref(e + ops->voff);
    }
    return c;
  }
  if (kr_dict_merge(c, d)) { kr_decref(c); return NULL; }
  return c;
}
/* d | other: a copy of d (its type; an OrderedDict's copy, a defaultdict keeps its factory) updated with other. */
static kr_dict *kr_dict_or(kr_dict *d, kr_dict *other) {
  kr_dict *r = kr_dict_copy(d);
  if (r && kr_dict_merge(r, other)) { kr_decref(r); return NULL; }
  return r;
}

/* a == b for dicts of one instantiation: same length, each key of a in b with an equal value; two
 * OrderedDicts must also have their keys in the same order. 1, 0, or -1. */
static int kr_dict_eq(kr_dict *a, kr_dict *b) {
  const kr_dict_ops *ops = kr_dict_opsof(a);
  if (kr_dict_typeof(a)->eq && kr_dict_typeof(a)->eq == kr_dict_typeof(b)->eq) return kr_dict_typeof(a)->eq(a, b);
  if (a->used != b->used) return 0;
  for (int64_t ix = 0; ix < a->nentries; ix++) {
    const char *e = KR_ENTRY(a, ops, ix);
    if (KR_EHASH(e) == -1) continue;
    uint64_t slot;
    int64_t bix = kr_dict_lookup_(b, e + ops->koff, KR_EHASH(e), ops, &slot);
    if (bix < 0) return bix == KR_DKIX_ERROR ? -1 : 0;
    int r = ops->val_eq(e + ops->voff, KR_ENTRY(b, ops, bix) + ops->voff);
    if (r <= 0) return r;
  }
  if (kr_dict_flavor(a) == KR_DICT_ORDERED && kr_dict_flavor(b) == KR_DICT_ORDERED) {
    int64_t x = KR_OD(a)->first, y = KR_OD(b)->first;
    for (; x >= 0 && y >= 0; x = KR_OD(a)->links[2 * x + 1], y = KR_OD(b)->links[2 * y + 1]) {
      int r = ops->key_eq(KR_ENTRY(a, ops, x) + ops->koff, KR_ENTRY(b, ops, y) + ops->koff);
      if (r <= 0) return r;
    }
  }
  return 1;
}

/* ---- iteration ----
 * for k in d / d.values() / d.items() / reversed(d):
 *   kr_dict_iter it; kr_dict_iter_init(&it, d);          (or kr_dict_iter_init_reversed)
 *   while ((r = name_next(&it, &k, &v)) > 0) { body }     (NULL for a part not needed; k and v are new references)
 *   kr_dict_iter_end(&it);                                 (on every exit: break, return, exception)
 *   if (r < 0) error
 * next raises RuntimeError exactly when CPython's iterator would: "dictionary changed size during iteration"
 * when len(d) differs from the start (checked before each item, so a change in the last pass raises too), and
 * "dictionary keys changed during iteration" when more items turn up than there were; an OrderedDict's
 * iterator follows its links and raises "OrderedDict mutated during iteration" when the order changed. */
enum { KR_ITER_FORWARD = 0, KR_ITER_REVERSED = 1, KR_ITER_ORDERED = 2, KR_ITER_ORDERED_REVERSED = 3 };
typedef struct kr_dict_iter {
  kr_dict *d;                  /* owned while iterating; NULL once exhausted */
  int64_t pos;                 /* the next entry to look at (ordered: the next entry number, -1 at the end) */
  int64_t used;                /* len(d) at the start; -1 after a size error (it sticks, as CPython's) */
  int64_t len;                 /* items still expected */
  uint64_t state;              /* OrderedDict: its state at the start */
  int kind;
} kr_dict_iter;

static inline void kr_dict_iter_start(kr_dict_iter *it, kr_dict *d, int reversed) {
  kr_incref(d);
  it->d = d;
  it->used = it->len = d->used;
  if (kr_dict_flavor(d) == KR_DICT_ORDERED) {
    it->kind = reversed ? KR_ITER_ORDERED_REVERSED : KR_ITER_ORDERED;
    it->pos = reversed ? KR_OD(d)->last : KR_OD(d)->first;
    it->state = KR_OD(d)->state;
  } else {
    it->kind = reversed ? KR_ITER_REVERSED : KR_ITER_FORWARD;
    it->pos = reversed ? d->nentries - 1 : 0;
    it->state = 0;
  }
}
static inline void kr_dict_iter_init(kr_dict_iter *it, kr_dict *d) { kr_dict_iter_start(it, d, 0); }
static inline void kr_dict_iter_init_reversed(kr_dict_iter *it, kr_dict *d) { kr_dict_iter_start(it, d, 1); }
static inline void kr_dict_iter_end(kr_dict_iter *it) {
  kr_dict *d = it->d;
  it->d = NULL;
  kr_decref(d);
}
static KILN_COLD int kr_dict_iter_stop(kr_dict_iter *it) { kr_dict_iter_end(it); return 0; }
static KILN_COLD int kr_dict_iter_size_error(kr_dict_iter *it, const char *message) {
  it->used = -1;
  return kr_raise(KILN_RuntimeError, message);
}
/* reversed(d) and OrderedDict iteration. */
static int kr_dict_iter_next_slow(kr_dict_iter *it, char **entry) {
  kr_dict *d = it->d;
  const kr_dict_ops *ops = kr_dict_opsof(d);
  if (it->kind == KR_ITER_REVERSED) {
    if (it->used != d->used) return kr_dict_iter_size_error(it, "dictionary changed size during iteration");
    int64_t i = it->pos < d->nentries ? it->pos : d->nentries - 1;
    while (i >= 0 && KR_EHASH(KR_ENTRY(d, ops, i)) == -1) i--;
    if (i < 0) return kr_dict_iter_stop(it);
    it->pos = i - 1;
    it->len--;
    *entry = KR_ENTRY(d, ops, i);
    return 1;
  }
  kr_odict *od = KR_OD(d);
  if (it->pos < 0) return kr_dict_iter_stop(it);
  if (od->state != it->state) {
    kr_dict_iter_end(it);
    return kr_raise(KILN_RuntimeError, "OrderedDict mutated during iteration");
  }
  if (it->used != d->used) return kr_dict_iter_size_error(it, "OrderedDict changed size during iteration");
  int64_t ix = it->pos;
  it->pos = od->links[2 * ix + (it->kind == KR_ITER_ORDERED ? 1 : 0)];
  *entry = KR_ENTRY(d, ops, ix);
  return 1;
}
/* 1 and the entry (borrowed, valid until the dict changes), 0 at the end, -1 on error. */
static KILN_ALWAYS_INLINE int kr_dict_iter_next_(kr_dict_iter *it, const kr_dict_ops *ops, char **entry) {
  kr_dict *d = it->d;
  if (KILN_UNLIKELY(!d)) return 0;
  if (KILN_UNLIKELY(it->kind != KR_ITER_FORWARD)) return kr_dict_iter_next_slow(it, entry);
  if (KILN_UNLIKELY(it->used != d->used)) return kr_dict_iter_size_error(it, "dictionary changed size during iteration");
  int64_t i = it->pos, n = d->nentries;
  while (i < n && KR_EHASH(KR_ENTRY(d, ops, i)) == -1) i++;
  if (i >= n) return kr_dict_iter_stop(it);
  if (KILN_UNLIKELY(it->len == 0)) {
    kr_dict_iter_end(it);
    return kr_raise(KILN_RuntimeError, "dictionary keys changed during iteration");
  }
  it->pos = i + 1;
  it->len--;
  *entry = KR_ENTRY(d, ops, i);
  return 1;
}

/* v in d.values(): 1, 0 or -1. (k in d.keys() is k in d; (k, v) in d.items() is name_items_contains.) */
static int kr_dict_values_contains(kr_dict *d, const void *value) {
  const kr_dict_ops *ops = kr_dict_opsof(d);
  for (int64_t ix = 0; ix < d->nentries; ix++) {
    const char *e = KR_ENTRY(d, ops, ix);
    if (KR_EHASH(e) == -1) continue;
    int r = ops->val_eq(e + ops->voff, value);
    if (r) return r;
  }
  return 0;
}
static int kr_dict_items_contains_(kr_dict *d, const void *key, const void *value, const kr_dict_ops *ops) {
  kr_hash_t hash = ops->hash(key);
  if (hash == -1) return -1;
  uint64_t slot;
  int64_t ix = kr_dict_lookup_(d, key, hash, ops, &slot);
  if (ix < 0) return ix == KR_DKIX_ERROR ? -1 : 0;
  return ops->val_eq(KR_ENTRY(d, ops, ix) + ops->voff, value);
}

/* dict.fromkeys(keys, value): a new dict; `presize` is the source's length when it is a dict or a set (CPython
 * presizes then), 0 for other iterables. */
static kr_dict *kr_dict_fromkeys_(const kr_dict_type *t, const void *keys, int64_t n, const void *value, int64_t presize) {
  const kr_dict_ops *ops = t->ops;
  kr_dict *d = kr_dict_new_of(t);
  if (!d) return NULL;
  if (presize && kr_dict_resize(d, kr_dict_log2_estimate(presize), ops)) { kr_decref(d); return NULL; }
  for (int64_t i = 0; i < n; i++)
    if (kr_dict_setitem_(d, (const char *)keys + (size_t)i * ops->ksize, value, ops)) { kr_decref(d); return NULL; }
  return d;
}

/* repr(d): {k: v, ...}; OrderedDict([(k, v), ...]); defaultdict(<factory>, {...}); Counter: see
 * kiln_collections.h, through its type's hook (its order is most_common's). */
static int kr_dict_repr_items(kr_text *t, kr_dict *d, int as_pairs) {
  const kr_dict_ops *ops = kr_dict_opsof(d);
  int first = 1;
  int ordered = kr_dict_flavor(d) == KR_DICT_ORDERED;
  int64_t ix = ordered ? KR_OD(d)->first : 0;
  while (ordered ? ix >= 0 : ix < d->nentries) {
    const char *e = KR_ENTRY(d, ops, ix);
    ix = ordered ? KR_OD(d)->links[2 * ix + 1] : ix + 1;
    if (KR_EHASH(e) == -1) continue;
    if (!first && kr_text_put(t, ", ", 2)) return -1;
    first = 0;
    if (as_pairs && kr_text_put(t, "(", 1)) return -1;
    if (ops->key_repr(t, e + ops->koff) || kr_text_put(t, as_pairs ? ", " : ": ", 2) || ops->val_repr(t, e + ops->voff)) return -1;
    if (as_pairs && kr_text_put(t, ")", 1)) return -1;
  }
  return 0;
}
static int kr_dict_repr(kr_text *t, kr_dict *d) {
  if (kr_dict_typeof(d)->repr) return kr_dict_typeof(d)->repr(t, d);
  switch (kr_dict_flavor(d)) {
    case KR_DICT_ORDERED:
      if (!d->used) return kr_text_puts(t, "OrderedDict()");
      return kr_text_puts(t, "OrderedDict([")  || kr_dict_repr_items(t, d, 1) || kr_text_puts(t, "])");
    case KR_DICT_DEFAULT: {
      const char *f = ((kr_defaultdict *)d)->factory ? ((kr_defaultdict *)d)->factory_repr : "None";
      return kr_text_puts(t, "defaultdict(") || kr_text_puts(t, f) || kr_text_puts(t, ", {") || kr_dict_repr_items(t, d, 0) || kr_text_puts(t, "})");
    }
    default: return kr_text_put(t, "{", 1) || kr_dict_repr_items(t, d, 0) || kr_text_put(t, "}", 1);
  }
}
/* repr(d.keys()) and friends: dict_keys([...]), dict_values([...]), dict_items([(k, v), ...]) (an
 * OrderedDict's are odict_keys(...)). which: 0 keys, 1 values, 2 items. */
static int kr_dict_view_repr(kr_text *t, kr_dict *d, int which) {
  static const char *const names[2][3] = { { "dict_keys([", "dict_values([", "dict_items([" }, { "odict_keys([", "odict_values([", "odict_items([" } };
  const kr_dict_ops *ops = kr_dict_opsof(d);
  int ordered = kr_dict_flavor(d) == KR_DICT_ORDERED;
  if (kr_text_puts(t, names[ordered][which])) return -1;
  int first = 1;
  int64_t ix = ordered ? KR_OD(d)->first : 0;
  while (ordered ? ix >= 0 : ix < d->nentries) {
    const char *e = KR_ENTRY(d, ops, ix);
    ix = ordered ? KR_OD(d)->links[2 * ix + 1] : ix + 1;
    if (KR_EHASH(e) == -1) continue;
    if (!first && kr_text_put(t, ", ", 2)) return -1;
    first = 0;
    int r = which == 0 ? ops->key_repr(t, e + ops->koff) : which == 1 ? ops->val_repr(t, e + ops->voff)
          : (kr_text_put(t, "(", 1) || ops->key_repr(t, e + ops->koff) || kr_text_put(t, ", ", 2) || ops->val_repr(t, e + ops->voff) || kr_text_put(t, ")", 1));
    if (r) return -1;
  }
  return kr_text_puts(t, "])");
}

/* OrderedDict.move_to_end(key, last): KeyError when absent. */
static int kr_odict_move_to_end_(kr_dict *d, const void *key, int last, const kr_dict_ops *ops) {
  kr_hash_t hash = ops->hash(key);
  if (hash == -1) return -1;
  uint64_t slot;
  int64_t ix = d->used ? kr_dict_lookup_(d, key, hash, ops, &slot) : KR_DKIX_EMPTY;
  if (ix < 0) return ix == KR_DKIX_ERROR ? -1 : kr_raise_repr(KILN_KeyError, ops->key_repr, key);
  kr_odict *od = KR_OD(d);
  if (last ? od->last == ix : od->first == ix) return 0;
  kr_odict_unlink(d, ix);
  if (last) kr_odict_link_tail(d, ix); else kr_odict_link_head(d, ix);
  return 0;
}

/* ---- instantiation ----
 * KR_DICT_DEFINE(name, KT, KKIND, VT, VKIND) defines, for keys of C type KT and values of VT:
 *   name_type, name_odict_type, name_defaultdict_type: the kr_dict_type of dict, OrderedDict, defaultdict
 *   and the typed API (d: kr_dict *, borrowed; results are new references; 0 ok / -1 error unless noted):
 *   kr_dict *name_new(void) / name_new_presized(n) / name_odict_new(void)        NULL + MemoryError on failure
 *   kr_dict *name_defaultdict_new(factory, env, factory_repr)                    env: borrowed, kept
 *   int name_set(d, KT k, VT v)              d[k] = v
 *   int name_get(d, KT k, VT *out)           out = d[k]        KeyError; defaultdict stores factory(); Counter 0
 *   int name_get_default(d, k, VT dflt, VT *out)                d.get(k, dflt)
 *   VT *name_find(d, k, int *err)            the value's slot or NULL: borrowed, until the dict changes
 *   VT *name_slot(d, k, VT dflt)             the value's slot, storing dflt first when k is absent; NULL: error
 *   int name_missing(d, k, VT *out)          d[k] for a k that name_find just found absent: KeyError, a defaultdict's
 *                                            factory value (stored), a Counter's 0
 *   int name_contains(d, k)                  k in d: 1, 0, -1
 *   int name_del(d, k)                       del d[k]          KeyError
 *   int name_pop(d, k, VT *out) / name_pop_default(d, k, VT dflt, VT *out)
 *   int name_setdefault(d, k, VT dflt, VT *out)
 *   int name_popitem(d, KT *k, VT *v)       LIFO               KeyError: 'popitem(): dictionary is empty'
 *   int name_odict_popitem(d, int last, KT *k, VT *v) / name_move_to_end(d, k, int last)   OrderedDict only
 *   int name_next(kr_dict_iter *it, KT *k, VT *v)               1 item, 0 end, -1 error (see iteration)
 *   int name_items_contains(d, k, VT v) / name_values_contains(d, VT v)
 *   kr_dict *name_fromkeys(const KT *keys, int64_t n, VT v, int64_t presize)
 * and the generic ones for any instantiation: kr_dict_len, kr_dict_clear, kr_dict_copy, kr_dict_merge (update,
 * |=), kr_dict_or (|), kr_dict_eq, kr_dict_repr, kr_dict_view_repr, kr_dict_values_contains. */
#define KR_DICT_TYPE_INIT(NAME, PYNAME, FLAGS, SIZE, FLAVOR, CLEAR, REPR, EQ) \
  { { PYNAME, NULL, FLAGS, (uint32_t)(SIZE), kr_dict_tp_traverse, CLEAR, kr_dict_tp_finalize }, &NAME##_ops, FLAVOR, REPR, EQ }
#define KR_DICT_DEFINE(NAME, KT, KK, VT, VK) \
  typedef KT NAME##_key_t; \
  typedef VT NAME##_val_t; \
  typedef struct { kr_hash_t hash; NAME##_key_t key; NAME##_val_t value; } NAME##_entry; \
  _Static_assert(sizeof(NAME##_key_t) <= KR_KV_MAX && sizeof(NAME##_val_t) <= KR_KV_MAX, "key or value type too large for a container"); \
  static kr_hash_t NAME##_kh(const void *k) { return kr_kind_##KK##_hash((const NAME##_key_t *)k); } \
  static int NAME##_keq(const void *a, const void *b) { return kr_kind_##KK##_eq((const NAME##_key_t *)a, (const NAME##_key_t *)b); } \
  static int NAME##_veq(const void *a, const void *b) { return kr_kind_##VK##_eq((const NAME##_val_t *)a, (const NAME##_val_t *)b); } \
  static void NAME##_kinc(void *k) { kr_kind_##KK##_incref((NAME##_key_t *)k); } \
  static void NAME##_kdec(void *k) { kr_kind_##KK##_decref((NAME##_key_t *)k); } \
  static void NAME##_vinc(void *v) { kr_kind_##VK##_incref((NAME##_val_t *)v); } \
  static void NAME##_vdec(void *v) { kr_kind_##VK##_decref((NAME##_val_t *)v); } \
  static int NAME##_krepr(kr_text *t, const void *k) { return kr_kind_##KK##_repr(t, (const NAME##_key_t *)k); } \
  static int NAME##_vrepr(kr_text *t, const void *v) { return kr_kind_##VK##_repr(t, (const NAME##_val_t *)v); } \
  static void NAME##_kvisit(const void *k, kr_visit_fn f, void *a) { kr_kind_##KK##_visit((const NAME##_key_t *)k, f, a); } \
  static void NAME##_vvisit(const void *v, kr_visit_fn f, void *a) { kr_kind_##VK##_visit((const NAME##_val_t *)v, f, a); } \
  static const kr_dict_ops NAME##_ops = { sizeof(NAME##_entry), offsetof(NAME##_entry, key), offsetof(NAME##_entry, value), \
    sizeof(NAME##_key_t), sizeof(NAME##_val_t), NAME##_kh, NAME##_keq, NAME##_veq, NAME##_kinc, NAME##_kdec, NAME##_vinc, NAME##_vdec, \
    NAME##_krepr, NAME##_vrepr, NAME##_kvisit, NAME##_vvisit, kr_kind_##KK##_refs, kr_kind_##VK##_refs }; \
  enum { NAME##_gcflag = (kr_kind_##KK##_refs == 2 || kr_kind_##VK##_refs == 2) ? KR_TF_GC : 0, \
         NAME##_refs = kr_kind_##KK##_refs != 0 || kr_kind_##VK##_refs != 0 }; \
  static const kr_dict_type NAME##_type KR_UNUSED = KR_DICT_TYPE_INIT(NAME, "dict", NAME##_gcflag, sizeof(kr_dict), KR_DICT_PLAIN, NAME##_refs ? kr_dict_tp_clear : NULL, NULL, NULL); \
  static const kr_dict_type NAME##_odict_type KR_UNUSED = KR_DICT_TYPE_INIT(NAME, "OrderedDict", NAME##_gcflag, sizeof(kr_odict), KR_DICT_ORDERED, NAME##_refs ? kr_dict_tp_clear : NULL, NULL, NULL); \
  static const kr_dict_type NAME##_defaultdict_type KR_UNUSED = KR_DICT_TYPE_INIT(NAME, "defaultdict", KR_TF_GC, sizeof(kr_defaultdict), KR_DICT_DEFAULT, kr_dict_tp_clear, NULL, NULL); \
  KR_API kr_dict *NAME##_new(void) { return kr_dict_new_of(&NAME##_type); } \
  KR_API kr_dict *NAME##_new_presized(int64_t n) { return kr_dict_new_presized(&NAME##_type, n); } \
  KR_API kr_dict *NAME##_odict_new(void) { return kr_dict_new_of(&NAME##_odict_type); } \
  KR_API kr_dict *NAME##_defaultdict_new(kr_default_factory factory, kr_obj *env, const char *factory_repr) { \
    kr_defaultdict *dd = (kr_defaultdict *)kr_dict_new_of(&NAME##_defaultdict_type); \
    if (dd) { dd->factory = factory; kr_incref(env); dd->env = env; dd->factory_repr = factory_repr; } \
    return (kr_dict *)dd; } \
  KR_API int NAME##_set(kr_dict *d, NAME##_key_t key, NAME##_val_t value) { return kr_dict_setitem_(d, &key, &value, &NAME##_ops); } \
  KR_API int NAME##_get(kr_dict *d, NAME##_key_t key, NAME##_val_t *out) { return kr_dict_getitem_(d, &key, out, &NAME##_ops); } \
  KR_API int NAME##_get_default(kr_dict *d, NAME##_key_t key, NAME##_val_t dflt, NAME##_val_t *out) { return kr_dict_get_(d, &key, &dflt, out, &NAME##_ops); } \
  KR_API NAME##_val_t *NAME##_find(kr_dict *d, NAME##_key_t key, int *err) { return (NAME##_val_t *)kr_dict_find_(d, &key, &NAME##_ops, err); } \
  KR_API NAME##_val_t *NAME##_slot(kr_dict *d, NAME##_key_t key, NAME##_val_t dflt) { return (NAME##_val_t *)kr_dict_slot_(d, &key, &dflt, &NAME##_ops); } \
  KR_API int NAME##_missing(kr_dict *d, NAME##_key_t key, NAME##_val_t *out) { return kr_dict_missing(d, &key, out, &NAME##_ops); } \
  KR_API int NAME##_contains(kr_dict *d, NAME##_key_t key) { return kr_dict_contains_(d, &key, &NAME##_ops); } \
  KR_API int NAME##_del(kr_dict *d, NAME##_key_t key) { return kr_dict_delitem_(d, &key, &NAME##_ops); } \
  KR_API int NAME##_pop(kr_dict *d, NAME##_key_t key, NAME##_val_t *out) { return kr_dict_pop_(d, &key, NULL, out, &NAME##_ops); } \
  KR_API int NAME##_pop_default(kr_dict *d, NAME##_key_t key, NAME##_val_t dflt, NAME##_val_t *out) { return kr_dict_pop_(d, &key, &dflt, out, &NAME##_ops); } \
  KR_API int NAME##_setdefault(kr_dict *d, NAME##_key_t key, NAME##_val_t dflt, NAME##_val_t *out) { return kr_dict_setdefault_(d, &key, &dflt, out, &NAME##_ops); } \
  KR_API int NAME##_popitem(kr_dict *d, NAME##_key_t *key, NAME##_val_t *value) { return kr_dict_popitem_at_end(d, 1, key, value); } \
  KR_API int NAME##_odict_popitem(kr_dict *d, int last, NAME##_key_t *key, NAME##_val_t *value) { return kr_dict_popitem_at_end(d, last, key, value); } \
  KR_API int NAME##_move_to_end(kr_dict *d, NAME##_key_t key, int last) { return kr_odict_move_to_end_(d, &key, last, &NAME##_ops); } \
  KR_API int NAME##_items_contains(kr_dict *d, NAME##_key_t key, NAME##_val_t value) { return kr_dict_items_contains_(d, &key, &value, &NAME##_ops); } \
  KR_API int NAME##_values_contains(kr_dict *d, NAME##_val_t value) { return kr_dict_values_contains(d, &value); } \
  KR_API kr_dict *NAME##_fromkeys(const NAME##_key_t *keys, int64_t n, NAME##_val_t value, int64_t presize) { return kr_dict_fromkeys_(&NAME##_type, keys, n, &value, presize); } \
  static inline KR_UNUSED int NAME##_next(kr_dict_iter *it, NAME##_key_t *key, NAME##_val_t *value) { \
    char *e; \
    int r = kr_dict_iter_next_(it, &NAME##_ops, &e); \
    if (r <= 0) return r; \
    if (key) { memcpy(key, e + offsetof(NAME##_entry, key), sizeof(NAME##_key_t)); kr_kind_##KK##_incref(key); } \
    if (value) { memcpy(value, e + offsetof(NAME##_entry, value), sizeof(NAME##_val_t)); kr_kind_##VK##_incref(value); } \
    return 1; }

/* ======================================================================================================
 * set and frozenset: CPython's setobject.c. A table of 2**k entries {hash, key} probed with 9 linear probes
 * then CPython's perturbation; deleted entries become dummies (hash -1); the table grows to used*4 (used*2 past
 * 50,000) when fill*5 >= mask*3, and dummies are reused by the last one seen on the probe path, so a set of ints
 * iterates in CPython's order after any sequence of adds and removes. "Unused" is CPython's NULL key: here a
 * clear bit in a bitmap after the entries, read only when an entry's hash is 0 (the one hash an unused entry
 * and a live key such as 0 can share).
 * ====================================================================================================== */
#define KR_SET_MINSIZE 8
#define KR_LINEAR_PROBES 9

typedef struct kr_set_ops {
  uint32_t esize, koff, ksize;                   /* an entry: {kr_hash_t hash; K key} */
  kr_hash_t (*hash)(const void *key);
  int (*eq)(const void *a, const void *b);
  void (*incref)(void *k), (*decref)(void *k);
  int (*repr)(kr_text *t, const void *k);
  void (*visit)(const void *k, kr_visit_fn f, void *arg);
  uint8_t refs;
} kr_set_ops;
typedef struct kr_set_type {
  kr_type type;                /* first */
  const kr_set_ops *ops;
  int frozen;                  /* frozenset */
} kr_set_type;
typedef struct kr_set {
  kr_obj ob;
  int64_t fill;                /* active + dummy entries */
  int64_t used;                /* active entries: len(s) */
  int64_t mask;                /* table size - 1 */
  int64_t finger;              /* where pop() looks next */
  kr_hash_t hash;              /* a frozenset's hash once computed, else -1 */
  char *table;                 /* (mask+1) entries, then (mask+1)/8 bytes of in-use bits; kr_set_zero when empty */
} kr_set;

/* The shared table of a set that owns none: 8 unused entries (entries up to 128 bytes) and their bits. */
KR_STATE uint64_t kr_set_zero[KR_SET_MINSIZE * KR_KV_MAX / 8 + 2 * KR_KV_MAX / 8];
#define KR_SET_ZERO ((char *)kr_set_zero)

static inline const kr_set_type *kr_set_typeof(const kr_set *s) { return (const kr_set_type *)s->ob.type; }
static inline const kr_set_ops *kr_set_opsof(const kr_set *s) { return kr_set_typeof(s)->ops; }
static inline int64_t kr_set_len(const kr_set *s) { return s->used; }
#define KR_SENTRY(table, ops, i) ((table) + (size_t)(i) * (ops)->esize)
#define KR_SBITS(table, mask, ops) ((uint8_t *)(table) + ((size_t)(mask) + 1) * (ops)->esize)
static KILN_ALWAYS_INLINE int kr_set_bit(const char *table, int64_t mask, uint64_t i, const kr_set_ops *ops) {
  return (KR_SBITS(table, mask, ops)[i >> 3] >> (i & 7)) & 1;
}
/* an entry that is neither active nor a dummy (CPython: key == NULL) */
static KILN_ALWAYS_INLINE int kr_set_unused(const char *table, int64_t mask, uint64_t i, const kr_set_ops *ops) {
  return KR_EHASH(KR_SENTRY(table, ops, i)) == 0 && !kr_set_bit(table, mask, i, ops);
}

/* The active entry equal to key, -1 when absent, -2 when a comparison raised. */
static KILN_ALWAYS_INLINE int64_t kr_set_lookkey_(const kr_set *s, const void *key, kr_hash_t hash, const kr_set_ops *ops) {
  const char *table = s->table;
  const uint64_t mask = (uint64_t)s->mask;
  uint64_t perturb = (uint64_t)hash, i = (uint64_t)hash & mask;
  for (;;) {
    uint64_t j = i;
    int probes = i + KR_LINEAR_PROBES <= mask ? KR_LINEAR_PROBES : 0;
    do {
      const char *e = KR_SENTRY(table, ops, j);
      kr_hash_t h = KR_EHASH(e);
      if (h == hash) {
        if (KILN_UNLIKELY(h == 0) && !kr_set_bit(table, (int64_t)mask, j, ops)) return -1;
        int r = ops->eq(e + ops->koff, key);
        if (r > 0) return (int64_t)j;
        if (KILN_UNLIKELY(r < 0)) return -2;
      } else if (h == 0 && !kr_set_bit(table, (int64_t)mask, j, ops)) {
        return -1;
      }
      j++;
    } while (probes--);
    perturb >>= KR_PERTURB_SHIFT;
    i = (i * 5 + 1 + perturb) & mask;
  }
}

/* Puts an entry (hash + key bytes, references already counted) into a table without dummies or equal keys. */
static void kr_set_insert_clean(char *table, int64_t mask, const char *entry, const kr_set_ops *ops) {
  kr_hash_t hash = KR_EHASH(entry);
  uint64_t perturb = (uint64_t)hash, i = (uint64_t)hash & (uint64_t)mask, j;
  uint8_t *bits = KR_SBITS(table, mask, ops);
  for (;;) {
    j = i;
    if (!((bits[j >> 3] >> (j & 7)) & 1)) goto found;
    if (i + KR_LINEAR_PROBES <= (uint64_t)mask)
      for (int k = 0; k < KR_LINEAR_PROBES; k++) { j++; if (!((bits[j >> 3] >> (j & 7)) & 1)) goto found; }
    perturb >>= KR_PERTURB_SHIFT;
    i = (i * 5 + 1 + perturb) & (uint64_t)mask;
  }
found:
  memcpy(KR_SENTRY(table, ops, j), entry, ops->esize);
  bits[j >> 3] |= (uint8_t)(1u << (j & 7));
}
static char *kr_set_table_new(int64_t size, const kr_set_ops *ops) {
  if ((uint64_t)size > (SIZE_MAX >> 2) / ops->esize) return NULL;
  return (char *)calloc((size_t)size * ops->esize + (size_t)size / 8, 1);
}
static inline void kr_set_table_free(char *table) { if (table != KR_SET_ZERO) free(table); }

/* CPython's set_table_resize: a table of the smallest power of two > minused (at least 8) with the active keys. */
static int kr_set_resize(kr_set *s, int64_t minused, const kr_set_ops *ops) {
  int64_t newsize = KR_SET_MINSIZE;
  while (newsize <= minused) newsize <<= 1;
  if (newsize == KR_SET_MINSIZE && s->mask == KR_SET_MINSIZE - 1 && s->fill == s->used) return 0;
  char *newtable = kr_set_table_new(newsize, ops);
  if (!newtable) return kr_raise(KILN_MemoryError, "");
  char *old = s->table;
  int64_t oldmask = s->mask;
  for (int64_t i = 0; i <= oldmask; i++) {
    const char *e = KR_SENTRY(old, ops, i);
    if (KR_EHASH(e) != -1 && !kr_set_unused(old, oldmask, (uint64_t)i, ops)) kr_set_insert_clean(newtable, newsize - 1, e, ops);
  }
  s->table = newtable;
  s->mask = newsize - 1;
  s->fill = s->used;
  kr_set_table_free(old);
  return 0;
}
/* Gives an empty set that shares kr_set_zero a table of its own before its first write. */
static KILN_COLD int kr_set_own_table(kr_set *s, const kr_set_ops *ops) {
  char *t = kr_set_table_new(KR_SET_MINSIZE, ops);
  if (!t) return kr_raise(KILN_MemoryError, "");
  s->table = t;
  return 0;
}

/* Adds key (borrowed; the set takes a reference) with its hash: CPython's set_add_entry. 0 or -1. */
static KILN_ALWAYS_INLINE int kr_set_add_entry_(kr_set *s, const void *key, kr_hash_t hash, const kr_set_ops *ops) {
  const uint64_t mask = (uint64_t)s->mask;
  uint64_t perturb = (uint64_t)hash, i = (uint64_t)hash & mask, j;
  int64_t freeslot = -1;
  for (;;) {
    j = i;
    int probes = i + KR_LINEAR_PROBES <= mask ? KR_LINEAR_PROBES : 0;
    do {
      const char *e = KR_SENTRY(s->table, ops, j);
      kr_hash_t h = KR_EHASH(e);
      if (h == 0 && !kr_set_bit(s->table, (int64_t)mask, j, ops)) goto found_unused_or_dummy;
      if (h == hash) {
        int r = ops->eq(e + ops->koff, key);
        if (r > 0) return 0;
        if (KILN_UNLIKELY(r < 0)) return -1;
      } else if (h == -1) {
        freeslot = (int64_t)j; /* the last dummy on the path, as CPython 3.11 */
      }
      j++;
    } while (probes--);
    perturb >>= KR_PERTURB_SHIFT;
    i = (i * 5 + 1 + perturb) & mask;
  }
found_unused_or_dummy:
  if (freeslot >= 0) {
    char *e = KR_SENTRY(s->table, ops, freeslot);
    KR_EHASH(e) = hash;
    memcpy(e + ops->koff, key, ops->ksize);
    if (ops->refs) ops->incref(e + ops->koff);
    s->used++;
    return 0;
  }
  if (KILN_UNLIKELY(s->table == KR_SET_ZERO) && kr_set_own_table(s, ops)) return -1;
  {
    char *e = KR_SENTRY(s->table, ops, j);
    KR_EHASH(e) = hash;
    memcpy(e + ops->koff, key, ops->ksize);
    if (ops->refs) ops->incref(e + ops->koff);
    KR_SBITS(s->table, mask, ops)[j >> 3] |= (uint8_t)(1u << (j & 7));
  }
  s->fill++;
  s->used++;
  if ((uint64_t)s->fill * 5 < mask * 3) return 0;
  return kr_set_resize(s, s->used > 50000 ? s->used * 2 : s->used * 4, ops);
}
static KILN_ALWAYS_INLINE int kr_set_add_(kr_set *s, const void *key, const kr_set_ops *ops) {
  kr_hash_t hash = ops->hash(key);
  if (KILN_UNLIKELY(hash == -1)) return -1;
  return kr_set_add_entry_(s, key, hash, ops);
}
static KILN_ALWAYS_INLINE int kr_set_contains_entry_(const kr_set *s, const void *key, kr_hash_t hash, const kr_set_ops *ops) {
  int64_t i = kr_set_lookkey_(s, key, hash, ops);
  return i >= 0 ? 1 : i == -1 ? 0 : -1;
}
/* key in s: 1, 0, -1. */
static KILN_ALWAYS_INLINE int kr_set_contains_(const kr_set *s, const void *key, const kr_set_ops *ops) {
  kr_hash_t hash = ops->hash(key);
  if (KILN_UNLIKELY(hash == -1)) return -1;
  return kr_set_contains_entry_(s, key, hash, ops);
}
/* Removes key if present: 1 found, 0 not, -1 error. */
static KILN_ALWAYS_INLINE int kr_set_discard_entry_(kr_set *s, const void *key, kr_hash_t hash, const kr_set_ops *ops) {
  int64_t i = kr_set_lookkey_(s, key, hash, ops);
  if (i < 0) return i == -1 ? 0 : -1;
  char *e = KR_SENTRY(s->table, ops, i);
  KR_EHASH(e) = -1;
  s->used--;
  if (ops->refs) ops->decref(e + ops->koff);
  return 1;
}
static KILN_ALWAYS_INLINE int kr_set_discard_(kr_set *s, const void *key, const kr_set_ops *ops) {
  kr_hash_t hash = ops->hash(key);
  if (KILN_UNLIKELY(hash == -1)) return -1;
  return kr_set_discard_entry_(s, key, hash, ops);
}
/* s.remove(key): KeyError carrying repr(key) when absent. */
static KILN_ALWAYS_INLINE int kr_set_remove_(kr_set *s, const void *key, const kr_set_ops *ops) {
  int r = kr_set_discard_(s, key, ops);
  if (r > 0) return 0;
  return r < 0 ? -1 : kr_raise_repr(KILN_KeyError, ops->repr, key);
}

/* s.pop(): an element (its reference moves to *out) from where the last pop stopped. */
static int kr_set_pop(kr_set *s, void *out) {
  const kr_set_ops *ops = kr_set_opsof(s);
  if (s->used == 0) return kr_raise(KILN_KeyError, "'pop from an empty set'");
  uint64_t i = (uint64_t)(s->finger & s->mask);
  for (;;) {
    const char *e = KR_SENTRY(s->table, ops, i);
    if (KR_EHASH(e) != -1 && !kr_set_unused(s->table, s->mask, i, ops)) break;
    if (++i > (uint64_t)s->mask) i = 0;
  }
  char *e = KR_SENTRY(s->table, ops, i);
  memcpy(out, e + ops->koff, ops->ksize);
  KR_EHASH(e) = -1;
  s->used--;
  s->finger = (int64_t)i + 1;
  return 0;
}

static kr_set *kr_set_new_of(const kr_set_type *t) {
  kr_set *s = (kr_set *)kr_obj_new(&t->type, 0);
  if (!s) return NULL;
  s->mask = KR_SET_MINSIZE - 1;
  s->hash = -1;
  s->table = KR_SET_ZERO;
  return s;
}
/* s.clear() */
static void kr_set_clear(kr_set *s) {
  const kr_set_ops *ops = kr_set_opsof(s);
  char *old = s->table;
  int64_t oldmask = s->mask;
  if (old == KR_SET_ZERO) return;
  s->table = KR_SET_ZERO;
  s->mask = KR_SET_MINSIZE - 1;
  s->fill = s->used = 0;
  s->hash = -1;
  if (ops->refs)
    for (int64_t i = 0; i <= oldmask; i++) {
      char *e = KR_SENTRY(old, ops, i);
      if (KR_EHASH(e) != -1 && !kr_set_unused(old, oldmask, (uint64_t)i, ops)) ops->decref(e + ops->koff);
    }
  free(old);
}
static void kr_set_tp_traverse(kr_obj *o, kr_visit_fn visit, void *arg) {
  kr_set *s = (kr_set *)o;
  const kr_set_ops *ops = kr_set_opsof(s);
  for (int64_t i = 0; i <= s->mask; i++) {
    const char *e = KR_SENTRY(s->table, ops, i);
    if (KR_EHASH(e) != -1 && !kr_set_unused(s->table, s->mask, (uint64_t)i, ops)) ops->visit(e + ops->koff, visit, arg);
  }
}
static void kr_set_tp_clear(kr_obj *o) { kr_set_clear((kr_set *)o); }
static void kr_set_tp_finalize(kr_obj *o) {
  kr_set *s = (kr_set *)o;
  kr_set_table_free(s->table);
  s->table = KR_SET_ZERO;
}

/* ---- iteration: for x in s (s.used must not change: "Set changed size during iteration") ----
 *   kr_set_iter it; kr_set_iter_init(&it, s); while ((r = name_next(&it, &x)) > 0) {...} kr_set_iter_end(&it); */
typedef struct kr_set_iter { kr_set *s; int64_t pos, used, len; } kr_set_iter;
static inline void kr_set_iter_init(kr_set_iter *it, kr_set *s) { kr_incref(s); it->s = s; it->pos = 0; it->used = it->len = s->used; }
static inline void kr_set_iter_end(kr_set_iter *it) { kr_set *s = it->s; it->s = NULL; kr_decref(s); }
static KILN_ALWAYS_INLINE int kr_set_iter_next_(kr_set_iter *it, const kr_set_ops *ops, char **entry) {
  kr_set *s = it->s;
  if (KILN_UNLIKELY(!s)) return 0;
  if (KILN_UNLIKELY(it->used != s->used)) { it->used = -1; return kr_raise(KILN_RuntimeError, "Set changed size during iteration"); }
  int64_t i = it->pos, mask = s->mask;
  while (i <= mask && (KR_EHASH(KR_SENTRY(s->table, ops, i)) == -1 || kr_set_unused(s->table, mask, (uint64_t)i, ops))) i++;
  it->pos = i + 1;
  if (i > mask) { kr_set_iter_end(it); return 0; }
  it->len--;
  *entry = KR_SENTRY(s->table, ops, i);
  return 1;
}
/* Walks the active entries of a set that does not change meanwhile (CPython's set_next). */
#define KR_SET_FOREACH(s, ops, e) \
  for (int64_t kr_i_ = 0; kr_i_ <= (s)->mask; kr_i_++) \
    if (((e) = KR_SENTRY((s)->table, ops, kr_i_)), KR_EHASH(e) != -1 && !kr_set_unused((s)->table, (s)->mask, (uint64_t)kr_i_, ops))

/* s |= other, s.update(other) for a set or frozenset of the same instantiation: CPython's set_merge. */
static int kr_set_update(kr_set *s, kr_set *other) {
  const kr_set_ops *ops = kr_set_opsof(s);
  if (other == s || other->used == 0) return 0;
  if ((s->fill + other->used) * 5 >= s->mask * 3 && kr_set_resize(s, (s->used + other->used) * 2, ops)) return -1;
  if (s->fill == 0 && s->mask == other->mask && other->fill == other->used) {
    /* same size, no dummies: copy the table as it is */
    if (s->table == KR_SET_ZERO && kr_set_own_table(s, ops)) return -1;
    memcpy(s->table, other->table, ((size_t)other->mask + 1) * ops->esize + ((size_t)other->mask + 1) / 8);
    if (ops->refs) { const char *e; KR_SET_FOREACH(s, ops, e) ops->incref((char *)e + ops->koff); }
    s->fill = other->fill;
    s->used = other->used;
    return 0;
  }
  if (s->fill == 0) {
    if (s->table == KR_SET_ZERO && kr_set_own_table(s, ops)) return -1;
    const char *e;
    KR_SET_FOREACH(other, ops, e) {
      kr_set_insert_clean(s->table, s->mask, e, ops);
      if (ops->refs) ops->incref((char *)e + ops->koff);
    }
    s->fill = s->used = other->used;
    return 0;
  }
  for (int64_t i = 0; i <= other->mask; i++) {
    const char *e = KR_SENTRY(other->table, ops, i);
    if (KR_EHASH(e) != -1 && !kr_set_unused(other->table, other->mask, (uint64_t)i, ops) &&
        kr_set_add_entry_(s, e + ops->koff, KR_EHASH(e), ops))
      return -1;
  }
  return 0;
}
/* s.update(keys) for an iterable given as an array of n keys (a list, a tuple, a generator's items). */
static int kr_set_update_keys(kr_set *s, const void *keys, int64_t n) {
  const kr_set_ops *ops = kr_set_opsof(s);
  for (int64_t i = 0; i < n; i++)
    if (kr_set_add_(s, (const char *)keys + (size_t)i * ops->ksize, ops)) return -1;
  return 0;
}
/* s.update(d) and set(d) for a dict whose keys are of the set's key type: CPython presizes for len(d), then adds
 * each key with the hash the dict stored. */
static int kr_set_update_dict(kr_set *s, kr_dict *d) {
  const kr_set_ops *ops = kr_set_opsof(s);
  const kr_dict_ops *dops = kr_dict_opsof(d);
  if ((s->fill + d->used) * 5 >= s->mask * 3 && kr_set_resize(s, (s->used + d->used) * 2, ops)) return -1;
  kr_dict_iter it;
  kr_dict_iter_init(&it, d);
  char *e;
  int r;
  while ((r = kr_dict_iter_next_(&it, dops, &e)) > 0)
    if (kr_set_add_entry_(s, e + dops->koff, KR_EHASH(e), ops)) { r = -1; break; }
  kr_dict_iter_end(&it);
  return r;
}

/* A new set of t's type holding `from`'s elements (CPython's make_new_set(type, from)); from may be NULL. */
static kr_set *kr_set_new_from(const kr_set_type *t, kr_set *from) {
  kr_set *s = kr_set_new_of(t);
  if (s && from && kr_set_update(s, from)) { kr_decref(s); return NULL; }
  return s;
}
/* s.copy(): a set of s's type (a frozenset's copy is itself). */
static kr_set *kr_set_copy(kr_set *s) {
  if (kr_set_typeof(s)->frozen) { kr_incref(s); return s; }
  return kr_set_new_from(kr_set_typeof(s), s);
}
/* s | other (the result has s's type). */
static kr_set *kr_set_or(kr_set *s, kr_set *other) {
  kr_set *r = kr_set_new_from(kr_set_typeof(s), s);
  if (r && other != s && kr_set_update(r, other)) { kr_decref(r); return NULL; }
  return r;
}
/* s & other: CPython iterates the smaller (other when equal) and keeps its keys. */
static kr_set *kr_set_and(kr_set *s, kr_set *other) {
  const kr_set_ops *ops = kr_set_opsof(s);
  if (other == s) return kr_set_new_from(kr_set_typeof(s), s);
  kr_set *r = kr_set_new_of(kr_set_typeof(s));
  if (!r) return NULL;
  kr_set *big = s, *small = other;
  if (other->used > s->used) { big = other; small = s; }
  const char *e;
  KR_SET_FOREACH(small, ops, e) {
    int c = kr_set_contains_entry_(big, e + ops->koff, KR_EHASH(e), ops);
    if (c < 0 || (c && kr_set_add_entry_(r, e + ops->koff, KR_EHASH(e), ops))) { kr_decref(r); return NULL; }
  }
  return r;
}
/* s.intersection(keys) for an array of n keys: each key of the iterable that s contains, in its order. */
static kr_set *kr_set_and_keys(kr_set *s, const void *keys, int64_t n) {
  const kr_set_ops *ops = kr_set_opsof(s);
  kr_set *r = kr_set_new_of(kr_set_typeof(s));
  if (!r) return NULL;
  for (int64_t i = 0; i < n; i++) {
    const void *k = (const char *)keys + (size_t)i * ops->ksize;
    kr_hash_t h = ops->hash(k);
    int c = h == -1 ? -1 : kr_set_contains_entry_(s, k, h, ops);
    if (c < 0 || (c && kr_set_add_entry_(r, k, h, ops))) { kr_decref(r); return NULL; }
    if (r->used >= s->used) break;
  }
  return r;
}
/* Swaps the contents of two sets of one instantiation (CPython's set_swap_bodies, for in-place operators). */
static void kr_set_swap_bodies(kr_set *a, kr_set *b) {
  kr_set t = *a;
  a->fill = b->fill; a->used = b->used; a->mask = b->mask; a->table = b->table;
  b->fill = t.fill; b->used = t.used; b->mask = t.mask; b->table = t.table;
  if (kr_set_typeof(a)->frozen && kr_set_typeof(b)->frozen) { kr_hash_t h = a->hash; a->hash = b->hash; b->hash = h; }
  else a->hash = b->hash = -1;
}
/* s &= other */
static int kr_set_iand(kr_set *s, kr_set *other) {
  kr_set *t = kr_set_and(s, other);
  if (!t) return -1;
  kr_set_swap_bodies(s, t);
  kr_decref(t);
  return 0;
}
static int kr_set_resize_if_dummies(kr_set *s, const kr_set_ops *ops) {
  if ((uint64_t)(s->fill - s->used) <= (uint64_t)s->mask / 4) return 0;
  return kr_set_resize(s, s->used > 50000 ? s->used * 2 : s->used * 4, ops);
}
/* s -= other, s.difference_update(other): CPython's set_difference_update_internal. */
static int kr_set_isub(kr_set *s, kr_set *other) {
  const kr_set_ops *ops = kr_set_opsof(s);
  if (other == s) { kr_set_clear(s); return 0; }
  kr_set *src = other;
  if ((other->used >> 3) > s->used) { src = kr_set_and(s, other); if (!src) return -1; }
  else kr_incref(src);
  const char *e;
  int err = 0;
  KR_SET_FOREACH(src, ops, e) if (kr_set_discard_entry_(s, e + ops->koff, KR_EHASH(e), ops) < 0) { err = -1; break; }
  kr_decref(src);
  return err ? -1 : kr_set_resize_if_dummies(s, ops);
}
/* s.difference_update(keys) for an array of n keys. */
static int kr_set_isub_keys(kr_set *s, const void *keys, int64_t n) {
  const kr_set_ops *ops = kr_set_opsof(s);
  for (int64_t i = 0; i < n; i++)
    if (kr_set_discard_(s, (const char *)keys + (size_t)i * ops->ksize, ops) < 0) return -1;
  return kr_set_resize_if_dummies(s, ops);
}
/* s - other: CPython's set_difference (a copy minus other when s is much larger, else the keys of s not in
 * other, added to a new set). */
static kr_set *kr_set_sub(kr_set *s, kr_set *other) {
  const kr_set_ops *ops = kr_set_opsof(s);
  if ((s->used >> 2) > other->used) {
    kr_set *r = kr_set_new_from(kr_set_typeof(s), s);
    if (r && kr_set_isub(r, other)) { kr_decref(r); return NULL; }
    return r;
  }
  kr_set *r = kr_set_new_of(kr_set_typeof(s));
  if (!r) return NULL;
  const char *e;
  KR_SET_FOREACH(s, ops, e) {
    int c = kr_set_contains_entry_(other, e + ops->koff, KR_EHASH(e), ops);
    if (c < 0 || (!c && kr_set_add_entry_(r, e + ops->koff, KR_EHASH(e), ops))) { kr_decref(r); return NULL; }
  }
  return r;
}
/* s ^= other, s.symmetric_difference_update(other). */
static int kr_set_ixor(kr_set *s, kr_set *other) {
  const kr_set_ops *ops = kr_set_opsof(s);
  if (other == s) { kr_set_clear(s); return 0; }
  kr_incref(other);
  const char *e;
  int err = 0;
  KR_SET_FOREACH(other, ops, e) {
    int r = kr_set_discard_entry_(s, e + ops->koff, KR_EHASH(e), ops);
    if (r < 0 || (r == 0 && kr_set_add_entry_(s, e + ops->koff, KR_EHASH(e), ops))) { err = -1; break; }
  }
  kr_decref(other);
  return err;
}
/* s.symmetric_difference_update(keys) for an array: CPython first makes a set of the iterable. */
static int kr_set_ixor_keys(kr_set *s, const void *keys, int64_t n) {
  kr_set *t = kr_set_new_of(kr_set_typeof(s));
  if (!t) return -1;
  int r = kr_set_update_keys(t, keys, n) || kr_set_ixor(s, t) ? -1 : 0;
  kr_decref(t);
  return r;
}
/* s ^ other: a copy of other (with s's type) updated with s, as CPython. */
static kr_set *kr_set_xor(kr_set *s, kr_set *other) {
  kr_set *r = kr_set_new_from(kr_set_typeof(s), other);
  if (r && kr_set_ixor(r, s)) { kr_decref(r); return NULL; }
  return r;
}
/* s <= other: 1, 0, -1. */
static int kr_set_issubset(kr_set *s, kr_set *other) {
  const kr_set_ops *ops = kr_set_opsof(s);
  if (s->used > other->used) return 0;
  const char *e;
  KR_SET_FOREACH(s, ops, e) {
    int c = kr_set_contains_entry_(other, e + ops->koff, KR_EHASH(e), ops);
    if (c <= 0) return c;
  }
  return 1;
}
static inline int kr_set_issuperset(kr_set *s, kr_set *other) { return kr_set_issubset(other, s); }
/* s.issuperset(keys) for an array: every key in s. */
static int kr_set_issuperset_keys(kr_set *s, const void *keys, int64_t n) {
  const kr_set_ops *ops = kr_set_opsof(s);
  for (int64_t i = 0; i < n; i++) {
    int c = kr_set_contains_(s, (const char *)keys + (size_t)i * ops->ksize, ops);
    if (c <= 0) return c;
  }
  return 1;
}
/* s.issubset(keys) for an array: len(s & set(keys)) == len(s), as CPython. */
static int kr_set_issubset_keys(kr_set *s, const void *keys, int64_t n) {
  kr_set *t = kr_set_and_keys(s, keys, n);
  if (!t) return -1;
  int r = t->used == s->used;
  kr_decref(t);
  return r;
}
static int kr_set_isdisjoint(kr_set *s, kr_set *other) {
  const kr_set_ops *ops = kr_set_opsof(s);
  if (other == s) return s->used == 0;
  kr_set *big = s, *small = other;
  if (other->used > s->used) { big = other; small = s; }
  const char *e;
  KR_SET_FOREACH(small, ops, e) {
    int c = kr_set_contains_entry_(big, e + ops->koff, KR_EHASH(e), ops);
    if (c) return c < 0 ? -1 : 0;
  }
  return 1;
}
static int kr_set_isdisjoint_keys(kr_set *s, const void *keys, int64_t n) {
  const kr_set_ops *ops = kr_set_opsof(s);
  for (int64_t i = 0; i < n; i++) {
    int c = kr_set_contains_(s, (const char *)keys + (size_t)i * ops->ksize, ops);
    if (c) return c < 0 ? -1 : 0;
  }
  return 1;
}
static kr_hash_t kr_frozenset_hash(kr_set *s);
/* s == other (a set equals a frozenset with the same elements). */
static int kr_set_eq(kr_set *s, kr_set *other) {
  if (s->used != other->used) return 0;
  if (s->hash != -1 && other->hash != -1 && s->hash != other->hash) return 0;
  return kr_set_issubset(s, other);
}
static inline int kr_set_lt(kr_set *s, kr_set *other) { return s->used >= other->used ? 0 : kr_set_issubset(s, other); }
static inline int kr_set_le(kr_set *s, kr_set *other) { return kr_set_issubset(s, other); }

/* hash(frozenset): CPython's, from the hashes in the table (independent of order). */
static inline uint64_t kr_shuffle_bits(uint64_t h) { return ((h ^ (uint64_t)89869747UL) ^ (h << 16)) * (uint64_t)3644798167UL; }
static kr_hash_t kr_frozenset_hash(kr_set *s) {
  const kr_set_ops *ops = kr_set_opsof(s);
  if (s->hash != -1) return s->hash;
  uint64_t hash = 0;
  for (int64_t i = 0; i <= s->mask; i++) hash ^= kr_shuffle_bits((uint64_t)KR_EHASH(KR_SENTRY(s->table, ops, i)));
  if ((s->mask + 1 - s->fill) & 1) hash ^= kr_shuffle_bits(0);
  if ((s->fill - s->used) & 1) hash ^= kr_shuffle_bits((uint64_t)-1);
  hash ^= ((uint64_t)s->used + 1) * (uint64_t)1927868237UL;
  hash ^= (hash >> 11) ^ (hash >> 25);
  hash = hash * (uint64_t)69069U + (uint64_t)907133923UL;
  if (hash == (uint64_t)-1) hash = (uint64_t)590923713UL;
  s->hash = (kr_hash_t)hash;
  return s->hash;
}

/* repr(s): {1, 2}, set(), frozenset({1, 2}), frozenset(). */
static int kr_set_repr(kr_text *t, kr_set *s) {
  const kr_set_ops *ops = kr_set_opsof(s);
  const char *name = kr_set_typeof(s)->frozen ? "frozenset" : "set";
  if (!s->used) return kr_text_puts(t, name) || kr_text_puts(t, "()");
  if (kr_set_typeof(s)->frozen && (kr_text_puts(t, name) || kr_text_puts(t, "("))) return -1;
  if (kr_text_puts(t, "{")) return -1;
  int first = 1;
  const char *e;
  KR_SET_FOREACH(s, ops, e) {
    if (!first && kr_text_put(t, ", ", 2)) return -1;
    first = 0;
    if (ops->repr(t, e + ops->koff)) return -1;
  }
  return kr_text_puts(t, "}") || (kr_set_typeof(s)->frozen && kr_text_puts(t, ")"));
}

/* Kinds for containers held in containers: frozenset keys, and dict or set values (the nested parameter dicts
 * of model code). TRACKED as for KR_KIND_OBJECT. */
static inline int kr_set_eq_obj(kr_set *a, kr_set *b) { return kr_set_eq(a, b); }
#define KR_KIND_FROZENSET(KIND, TRACKED) KR_KIND_OBJECT(KIND, kr_set *, kr_frozenset_hash, kr_set_eq_obj, kr_set_repr, TRACKED)
#define KR_KIND_SET_VALUE(KIND, TRACKED) KR_KIND_OBJECT_VALUE(KIND, kr_set *, kr_set_eq_obj, kr_set_repr, TRACKED)
#define KR_KIND_DICT_VALUE(KIND, TRACKED) KR_KIND_OBJECT_VALUE(KIND, kr_dict *, kr_dict_eq, kr_dict_repr, TRACKED)

/* ---- instantiation ----
 * KR_SET_DEFINE(name, KT, KKIND) defines name_type (set), name_frozen_type (frozenset) and:
 *   kr_set *name_new(void) / name_frozen_new(void)          NULL + MemoryError on failure
 *   int name_add(s, KT k)     s.add(k)
 *   int name_contains(s, k)   k in s: 1, 0, -1
 *   int name_discard(s, k)    1 removed, 0 absent, -1
 *   int name_remove(s, k)     KeyError carrying repr(k)
 *   int name_pop(s, KT *out)  KeyError: 'pop from an empty set'
 *   int name_next(kr_set_iter *it, KT *k)   1, 0 end, -1 RuntimeError: Set changed size during iteration
 * and, for any instantiation: kr_set_len, kr_set_clear, kr_set_copy, kr_set_update (|=), kr_set_update_keys,
 * kr_set_update_dict, kr_set_or/and/sub/xor (new set of the left operand's type), kr_set_iand/isub/ixor,
 * kr_set_and_keys, kr_set_isub_keys, kr_set_ixor_keys, kr_set_issubset/issuperset/isdisjoint (and _keys
 * forms for iterables), kr_set_eq, kr_set_lt, kr_set_le, kr_frozenset_hash, kr_set_repr. */
#define KR_SET_DEFINE(NAME, KT, KK) \
  typedef KT NAME##_key_t; \
  typedef struct { kr_hash_t hash; NAME##_key_t key; } NAME##_entry; \
  _Static_assert(sizeof(NAME##_entry) <= KR_KV_MAX, "key type too large for a set"); \
  static kr_hash_t NAME##_kh(const void *k) { return kr_kind_##KK##_hash((const NAME##_key_t *)k); } \
  static int NAME##_keq(const void *a, const void *b) { return kr_kind_##KK##_eq((const NAME##_key_t *)a, (const NAME##_key_t *)b); } \
  static void NAME##_kinc(void *k) { kr_kind_##KK##_incref((NAME##_key_t *)k); } \
  static void NAME##_kdec(void *k) { kr_kind_##KK##_decref((NAME##_key_t *)k); } \
  static int NAME##_krepr(kr_text *t, const void *k) { return kr_kind_##KK##_repr(t, (const NAME##_key_t *)k); } \
  static void NAME##_kvisit(const void *k, kr_visit_fn f, void *a) { kr_kind_##KK##_visit((const NAME##_key_t *)k, f, a); } \
  static const kr_set_ops NAME##_ops = { sizeof(NAME##_entry), offsetof(NAME##_entry, key), sizeof(NAME##_key_t), \
    NAME##_kh, NAME##_keq, NAME##_kinc, NAME##_kdec, NAME##_krepr, NAME##_kvisit, kr_kind_##KK##_refs }; \
  static const kr_set_type NAME##_type KR_UNUSED = { { "set", NULL, kr_kind_##KK##_refs == 2 ? KR_TF_GC : 0, sizeof(kr_set), \
    kr_set_tp_traverse, kr_kind_##KK##_refs ? kr_set_tp_clear : NULL, kr_set_tp_finalize }, &NAME##_ops, 0 }; \
  static const kr_set_type NAME##_frozen_type KR_UNUSED = { { "frozenset", NULL, kr_kind_##KK##_refs == 2 ? KR_TF_GC : 0, sizeof(kr_set), \
    kr_set_tp_traverse, kr_kind_##KK##_refs ? kr_set_tp_clear : NULL, kr_set_tp_finalize }, &NAME##_ops, 1 }; \
  KR_API kr_set *NAME##_new(void) { return kr_set_new_of(&NAME##_type); } \
  KR_API kr_set *NAME##_frozen_new(void) { return kr_set_new_of(&NAME##_frozen_type); } \
  KR_API int NAME##_add(kr_set *s, NAME##_key_t key) { return kr_set_add_(s, &key, &NAME##_ops); } \
  KR_API int NAME##_contains(kr_set *s, NAME##_key_t key) { return kr_set_contains_(s, &key, &NAME##_ops); } \
  KR_API int NAME##_discard(kr_set *s, NAME##_key_t key) { return kr_set_discard_(s, &key, &NAME##_ops); } \
  KR_API int NAME##_remove(kr_set *s, NAME##_key_t key) { return kr_set_remove_(s, &key, &NAME##_ops); } \
  KR_API int NAME##_pop(kr_set *s, NAME##_key_t *out) { return kr_set_pop(s, out); } \
  static inline KR_UNUSED int NAME##_next(kr_set_iter *it, NAME##_key_t *key) { \
    char *e; \
    int r = kr_set_iter_next_(it, &NAME##_ops, &e); \
    if (r <= 0) return r; \
    memcpy(key, e + offsetof(NAME##_entry, key), sizeof(NAME##_key_t)); \
    kr_kind_##KK##_incref(key); \
    return 1; }

/* ======================================================================================================
 * The C ABI's index over a flat struct's keys (a kiln_dict_<K>_<V>'s keys, a kiln_set_<T>'s items; the accessor
 * API of lower/c_abi_containers.ts, docs/design/abi-values.md): the dict's own index table (slots of 1 << log2_ix
 * bytes read with kr_dk_get, CPython's perturbed probing) whose entries are the struct's array itself, so that the
 * accessors look a key up in O(1) as the dict does. A struct's `index` field holds it: built by the first lookup,
 * kept up to date by the accessors' appends, rebuilt when the struct's keys pointer or len are no longer those it
 * was built for, freed by the struct's _free. The key type is the accessor's: hash_at and eq_at read the array.
 * ====================================================================================================== */
typedef kr_hash_t (*kr_abi_hash_at)(const void *keys, int64_t i);
/* Whether keys[i] equals *key (a key of the array's own C type). */
typedef int (*kr_abi_eq_at)(const void *keys, int64_t i, const void *key);
typedef struct kr_abi_index {
  const void *keys;      /* the array it indexes ... */
  int64_t len;           /* ... and its length then */
  int64_t cap;           /* room in the arrays when the accessors allocated them (appends in place); 0: not theirs */
  uint8_t log2_size, log2_ix;
} kr_abi_index;          /* the slots follow, in the same block */
#define KR_ABI_SLOTS(x) ((void *)((x) + 1))

/* The slot holding an entry equal to *key (*found 1), or the empty slot that ends its probe (*found 0). */
static uint64_t kr_abi_index_slot(const kr_abi_index *x, kr_hash_t h, kr_abi_eq_at eq, const void *key, int *found) {
  const uint64_t mask = ((uint64_t)1 << x->log2_size) - 1;
  uint64_t perturb = (uint64_t)h, i = (uint64_t)h & mask;
  for (;;) {
    int64_t e = kr_dk_get(KR_ABI_SLOTS(x), x->log2_ix, i);
    if (e == KR_DKIX_EMPTY) { *found = 0; return i; }
    if (eq(x->keys, e, key)) { *found = 1; return i; }
    perturb >>= KR_PERTURB_SHIFT;
    i = (i * 5 + perturb + 1) & mask;
  }
}
/* The entry number of *key (hash h), or -1. */
static KR_UNUSED int64_t kr_abi_index_find(const kr_abi_index *x, kr_hash_t h, kr_abi_eq_at eq, const void *key) {
  int found;
  uint64_t i = kr_abi_index_slot(x, h, eq, key, &found);
  return found ? kr_dk_get(KR_ABI_SLOTS(x), x->log2_ix, i) : -1;
}
/* Puts entry e in: a later entry equal to an earlier one takes its slot (a repeated key: the last wins, as the call's
   dict(zip(keys, values)) and the call's set). */
static void kr_abi_index_put(kr_abi_index *x, int64_t e, kr_abi_hash_at hash, kr_abi_eq_at eq, size_t es) {
  int found;
  uint64_t i = kr_abi_index_slot(x, hash(x->keys, e), eq, (const char *)x->keys + (size_t)e * es, &found);
  kr_dk_set(KR_ABI_SLOTS(x), x->log2_ix, i, e);
}
/* A NEW index of the n items of es bytes at keys (room for about 2n), `cap` as given; NULL when memory ran out. */
static KR_UNUSED kr_abi_index *kr_abi_index_build(const void *keys, int64_t n, int64_t cap, size_t es, kr_abi_hash_at hash, kr_abi_eq_at eq) {
  const int log2 = kr_dict_log2_for(n * 3 + 8);
  const int log2_ix = log2 < 8 ? 0 : log2 < 16 ? 1 : log2 < 32 ? 2 : 3;
  if (log2 > (int)(sizeof(size_t) * 8) - 6) return NULL;
  const size_t bytes = ((size_t)1 << log2) << log2_ix;
  kr_abi_index *x = (kr_abi_index *)malloc(sizeof(kr_abi_index) + bytes);
  if (!x) return NULL;
  memset(KR_ABI_SLOTS(x), 0xff, bytes); /* EMPTY (-1) in any width */
  x->keys = keys; x->len = n; x->cap = cap; x->log2_size = (uint8_t)log2; x->log2_ix = (uint8_t)log2_ix;
  for (int64_t e = 0; e < n; e++) kr_abi_index_put(x, e, hash, eq, es);
  return x;
}
/* After keys[n] was appended (keys possibly moved, room `cap`): the index of the n + 1 items, *px replaced when it
   had to grow; NULL when memory ran out (then *px is freed and NULL: the next lookup scans or rebuilds). */
static KR_UNUSED kr_abi_index *kr_abi_index_append(kr_abi_index **px, const void *keys, int64_t n, int64_t cap, size_t es, kr_abi_hash_at hash, kr_abi_eq_at eq) {
  kr_abi_index *x = *px;
  if (x && n + 1 <= KR_USABLE_FRACTION((int64_t)1 << x->log2_size)) {
    x->keys = keys; x->len = n + 1; x->cap = cap;
    kr_abi_index_put(x, n, hash, eq, es);
    return x;
  }
  free(x);
  *px = kr_abi_index_build(keys, n + 1, cap, es, hash, eq);
  return *px;
}

#endif /* KILN_DICT_H */
