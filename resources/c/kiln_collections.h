/*
 * Kiln runtime: the collections module. Counter (a flavour of dict[K, int] with CPython's Counter methods),
 * deque (a ring buffer with CPython's deque semantics: maxlen trimming, rotate, the mutation check of its
 * iterators). defaultdict and OrderedDict are flavours of dict in kiln_dict.h (a miss calls the factory; the
 * order is a linked list). Design and the compiler's side: docs/design/dicts.md.
 *
 * Ownership as in kiln_dict.h: arguments borrowed, stored items owned, results new references; 0 / -1.
 */
#ifndef KILN_COLLECTIONS_H
#define KILN_COLLECTIONS_H

#include "kiln_dict.h"

/* ======================================================================================================
 * Counter[K]: a dict[K, int] (int64 counts) whose type says Counter. c[k] of a missing key is 0 and stores
 * nothing; del c[k] of a missing key does nothing; the arithmetic keeps positive counts only, as
 * Lib/collections/__init__.py does. KR_COUNTER_DEFINE(name) after KR_DICT_DEFINE(name, KT, KKIND, int64_t, i64)
 * defines name_counter_type, name_counter_new() and name_counter_add(c, k, n) (c[k] += n: Counter(iterable)
 * and c.update(iterable) add 1 per element, c.subtract(iterable) adds -1); everything else is generic here.
 * ====================================================================================================== */
#define KR_COUNT(d, ops, ix) (*(int64_t *)(KR_ENTRY(d, ops, ix) + (ops)->voff))

/* c[key] += delta (CPython's _count_elements: one lookup, a new key goes at the end). */
static KILN_ALWAYS_INLINE int kr_counter_add_(kr_dict *c, const void *key, int64_t delta, const kr_dict_ops *ops) {
  kr_hash_t hash = ops->hash(key);
  if (KILN_UNLIKELY(hash == -1)) return -1;
  uint64_t slot;
  int64_t ix = kr_dict_lookup_(c, key, hash, ops, &slot);
  if (ix >= 0) return kr_add_i64(KR_COUNT(c, ops, ix), delta, &KR_COUNT(c, ops, ix));
  if (ix == KR_DKIX_ERROR) return -1;
  return kr_dict_insert_new_(c, key, hash, &delta, ops);
}
/* c[key] (0 when missing), without storing. */
static inline int64_t kr_counter_get_(kr_dict *c, const void *key, kr_hash_t hash, const kr_dict_ops *ops, int *err) {
  uint64_t slot;
  int64_t ix = kr_dict_lookup_(c, key, hash, ops, &slot);
  *err = ix == KR_DKIX_ERROR;
  return ix >= 0 ? KR_COUNT(c, ops, ix) : 0;
}
/* c[key] = n */
static inline int kr_counter_set_(kr_dict *c, const void *key, kr_hash_t hash, int64_t n, const kr_dict_ops *ops) {
  uint64_t slot;
  int64_t ix = kr_dict_lookup_(c, key, hash, ops, &slot);
  if (ix >= 0) { KR_COUNT(c, ops, ix) = n; return 0; }
  if (ix == KR_DKIX_ERROR) return -1;
  return kr_dict_insert_new_(c, key, hash, &n, ops);
}
#define KR_FOR_ENTRIES(d, ops, e) \
  for (int64_t kr_ix_ = 0; kr_ix_ < (d)->nentries; kr_ix_++) \
    if (((e) = KR_ENTRY(d, ops, kr_ix_)), KR_EHASH(e) != -1)

/* c.update(mapping): adds counts (an empty counter takes the mapping's items as dict.update would);
 * c.subtract(mapping): sign -1. `other` is a Counter or a dict[K, int] of the same instantiation. */
static int kr_counter_update_mapping(kr_dict *c, kr_dict *other, int sign) {
  const kr_dict_ops *ops = kr_dict_opsof(c);
  if (sign > 0 && c->used == 0) return kr_dict_merge(c, other);
  kr_dict_iter it;
  kr_dict_iter_init(&it, other);
  char *e;
  int r, err;
  while ((r = kr_dict_iter_next_(&it, ops, &e)) > 0) {
    int64_t count = *(int64_t *)(e + ops->voff), old = kr_counter_get_(c, e + ops->koff, KR_EHASH(e), ops, &err), n;
    if (err || (sign > 0 ? kr_add_i64(count, old, &n) : kr_sub_i64(old, count, &n)) || kr_counter_set_(c, e + ops->koff, KR_EHASH(e), n, ops)) { r = -1; break; }
  }
  kr_dict_iter_end(&it);
  return r;
}

/* sum(c.values()) */
static int kr_counter_total(kr_dict *c, int64_t *out) {
  const kr_dict_ops *ops = kr_dict_opsof(c);
  int64_t t = 0;
  const char *e;
  KR_FOR_ENTRIES(c, ops, e) if (kr_add_i64(t, *(const int64_t *)(e + ops->voff), &t)) return -1;
  *out = t;
  return 0;
}

/* c.most_common(n) (n < 0: all): the entry numbers of the items by count, largest first, ties in insertion
 * order (sorted(..., reverse=True) and heapq.nlargest are both stable so). A malloc'd array of *len numbers,
 * valid until c changes (read entries with KR_ENTRY); the caller frees it. */
typedef struct { int64_t count, ix; } kr_count_ix;
static int kr_count_ix_cmp(const void *a, const void *b) {
  const kr_count_ix *x = (const kr_count_ix *)a, *y = (const kr_count_ix *)b;
  if (x->count != y->count) return x->count > y->count ? -1 : 1;
  return x->ix < y->ix ? -1 : x->ix > y->ix;
}
/* Whether x ranks after y in most_common's order (a smaller count, or an equal count inserted later). */
static inline int kr_count_ix_after(const kr_count_ix *x, const kr_count_ix *y) { return x->count < y->count || (x->count == y->count && x->ix > y->ix); }
/* Sifts v[i] down a heap of n whose root is the entry ranking last. */
static void kr_count_heap_down(kr_count_ix *v, int64_t n, int64_t i) {
  kr_count_ix x = v[i];
  for (;;) {
    int64_t c = 2 * i + 1;
    if (c >= n) break;
    if (c + 1 < n && kr_count_ix_after(&v[c + 1], &v[c])) c++;
    if (!kr_count_ix_after(&v[c], &x)) break;
    v[i] = v[c];
    i = c;
  }
  v[i] = x;
}
/* most_common(n): entry numbers, largest count first, ties in insertion order (CPython: sorted() for all, else
 * heapq.nlargest, both stable). For n below the size only the n leading entries are kept, in a heap whose root
 * ranks last (O(len log n): most_common(1) of a big Counter does not sort it), then sorted. */
static int64_t *kr_counter_most_common(kr_dict *c, int64_t n, int64_t *len) {
  const kr_dict_ops *ops = kr_dict_opsof(c);
  int64_t m = c->used;
  if (n < 0 || n > m) n = m;
  int64_t keep = n < m ? n : m;
  kr_count_ix *v = (kr_count_ix *)malloc((size_t)(keep ? keep : 1) * sizeof *v);
  int64_t *out = (int64_t *)malloc((size_t)(n ? n : 1) * sizeof *out);
  if (!v || !out) { free(v); free(out); kr_raise(KILN_MemoryError, ""); return NULL; }
  int64_t k = 0;
  const char *e;
  KR_FOR_ENTRIES(c, ops, e) {
    kr_count_ix x = { *(const int64_t *)(e + ops->voff), kr_ix_ };
    if (k < keep) {
      v[k++] = x;
      if (k == keep && keep < m) for (int64_t i = keep / 2; i-- > 0;) kr_count_heap_down(v, keep, i);
    } else if (keep && x.count > v[0].count) { /* a later entry displaces the last kept only with a larger count */
      v[0] = x;
      kr_count_heap_down(v, keep, 0);
    }
  }
  qsort(v, (size_t)keep, sizeof *v, kr_count_ix_cmp);
  for (int64_t i = 0; i < n; i++) out[i] = v[i].ix;
  free(v);
  *len = n;
  return out;
}
/* repr(c): Counter({most common first}) or Counter(). */
static int kr_counter_repr(kr_text *t, kr_dict *c) {
  const kr_dict_ops *ops = kr_dict_opsof(c);
  if (!c->used) return kr_text_puts(t, "Counter()");
  int64_t n;
  int64_t *order = kr_counter_most_common(c, -1, &n);
  if (!order) return -1;
  int r = kr_text_puts(t, "Counter({");
  for (int64_t i = 0; i < n && !r; i++) {
    const char *e = KR_ENTRY(c, ops, order[i]);
    r = (i && kr_text_put(t, ", ", 2)) || ops->key_repr(t, e + ops->koff) || kr_text_put(t, ": ", 2) || ops->val_repr(t, e + ops->voff);
  }
  free(order);
  return r || kr_text_puts(t, "})");
}

/* The binary operators, as Counter.__add__/__sub__/__or__/__and__: a new Counter with positive counts only. */
enum { KR_COUNTER_ADD, KR_COUNTER_SUB, KR_COUNTER_OR, KR_COUNTER_AND };
static kr_dict *kr_counter_binop(kr_dict *a, kr_dict *b, int op) {
  const kr_dict_ops *ops = kr_dict_opsof(a);
  kr_dict *r = kr_dict_new_of(kr_dict_typeof(a));
  if (!r) return NULL;
  const char *e;
  int err;
  KR_FOR_ENTRIES(a, ops, e) {
    int64_t count = *(const int64_t *)(e + ops->voff), other = kr_counter_get_(b, e + ops->koff, KR_EHASH(e), ops, &err), n;
    if (err) goto fail;
    switch (op) {
      case KR_COUNTER_ADD: if (kr_add_i64(count, other, &n)) goto fail; break;
      case KR_COUNTER_SUB: if (kr_sub_i64(count, other, &n)) goto fail; break;
      case KR_COUNTER_OR: n = count < other ? other : count; break;
      default: n = count < other ? count : other; break;
    }
    if (n > 0 && kr_counter_set_(r, e + ops->koff, KR_EHASH(e), n, ops)) goto fail;
  }
  if (op != KR_COUNTER_AND)
    KR_FOR_ENTRIES(b, ops, e) {
      int64_t count = *(const int64_t *)(e + ops->voff), n;
      int in = kr_dict_contains_(a, e + ops->koff, ops);
      if (in < 0) goto fail;
      if (in) continue;
      if (op == KR_COUNTER_SUB) { if (count >= 0) continue; if (kr_neg_i64(count, &n)) goto fail; }
      else { if (count <= 0) continue; n = count; }
      if (kr_counter_set_(r, e + ops->koff, KR_EHASH(e), n, ops)) goto fail;
    }
  return r;
fail:
  kr_decref(r);
  return NULL;
}
/* +c (sign 1) keeps the positive counts; -c (sign -1) the negative ones, negated. */
static kr_dict *kr_counter_unary(kr_dict *c, int sign) {
  const kr_dict_ops *ops = kr_dict_opsof(c);
  kr_dict *r = kr_dict_new_of(kr_dict_typeof(c));
  if (!r) return NULL;
  const char *e;
  KR_FOR_ENTRIES(c, ops, e) {
    int64_t count = *(const int64_t *)(e + ops->voff), n = count;
    if (sign > 0 ? count <= 0 : count >= 0) continue;
    if (sign < 0 && kr_neg_i64(count, &n)) { kr_decref(r); return NULL; }
    if (kr_counter_set_(r, e + ops->koff, KR_EHASH(e), n, ops)) { kr_decref(r); return NULL; }
  }
  return r;
}
/* Counter._keep_positive: deletes the keys whose count is not > 0, in order. */
static void kr_counter_keep_positive(kr_dict *c) {
  const kr_dict_ops *ops = kr_dict_opsof(c);
  for (int64_t ix = 0; ix < c->nentries; ix++) {
    char *e = KR_ENTRY(c, ops, ix);
    if (KR_EHASH(e) == -1 || *(int64_t *)(e + ops->voff) > 0) continue;
    const uint64_t mask = ((uint64_t)1 << c->log2_size) - 1;
    uint64_t perturb = (uint64_t)KR_EHASH(e), i = (uint64_t)KR_EHASH(e) & mask;
    while (kr_dk_get(c->indices, c->log2_ix, i) != ix) { perturb >>= KR_PERTURB_SHIFT; i = (i * 5 + perturb + 1) & mask; }
    kr_dict_unlink_at_(c, i, ix, ops);
    kr_dict_drop_entry_(e, ops);
  }
}
/* The in-place operators (c += d, c -= d, c |= d, c &= d), then _keep_positive. */
static int kr_counter_inplace(kr_dict *c, kr_dict *other, int op) {
  const kr_dict_ops *ops = kr_dict_opsof(c);
  const char *e;
  int err;
  if (op == KR_COUNTER_AND) {
    KR_FOR_ENTRIES(c, ops, e) {
      int64_t count = *(const int64_t *)(e + ops->voff), o = kr_counter_get_(other, e + ops->koff, KR_EHASH(e), ops, &err);
      if (err) return -1;
      if (o < count) *(int64_t *)(e + ops->voff) = o;
    }
  } else {
    kr_incref(other);
    int r = 0;
    KR_FOR_ENTRIES(other, ops, e) {
      int64_t count = *(const int64_t *)(e + ops->voff), mine = kr_counter_get_(c, e + ops->koff, KR_EHASH(e), ops, &err), n;
      if (err) { r = -1; break; }
      if (op == KR_COUNTER_OR) { if (count <= mine) continue; n = count; }
      else if (op == KR_COUNTER_ADD ? kr_add_i64(mine, count, &n) : kr_sub_i64(mine, count, &n)) { r = -1; break; }
      if (kr_counter_set_(c, e + ops->koff, KR_EHASH(e), n, ops)) { r = -1; break; }
    }
    kr_decref(other);
    if (r) return -1;
  }
  kr_counter_keep_positive(c);
  return 0;
}
/* Counter comparisons (3.10+): counts compared key by key, a missing key counting 0. op: 0 ==, 1 <=, 2 >=;
 * a < b is a <= b and a != b. */
static int kr_counter_compare(kr_dict *a, kr_dict *b, int op) {
  const kr_dict_ops *ops = kr_dict_opsof(a);
  for (int side = 0; side < 2; side++) {
    kr_dict *c = side ? b : a;
    const char *e;
    int err;
    KR_FOR_ENTRIES(c, ops, e) {
      int64_t x = kr_counter_get_(a, e + ops->koff, KR_EHASH(e), ops, &err);
      if (err) return -1;
      int64_t y = kr_counter_get_(b, e + ops->koff, KR_EHASH(e), ops, &err);
      if (err) return -1;
      if (op == 0 ? x != y : op == 1 ? x > y : x < y) return 0;
    }
  }
  return 1;
}

static int kr_counter_eq(kr_dict *a, kr_dict *b) { return kr_counter_compare(a, b, 0); }

/* a + b, a - b, a & b, a | b of two dicts of one instantiation, as Python dispatches on their types (generated code
 * knows a dict[K, int], not whether it is a Counter): Counter's operator when both are Counters; a | b otherwise a
 * dict merge (kr_dict_or); + - & otherwise TypeError "unsupported operand type(s) for +: 'dict' and 'Counter'".
 * A new reference, or NULL with the error raised. */
static kr_dict *kr_dict_arith(kr_dict *a, kr_dict *b, int op) {
  if (kr_dict_flavor(a) == KR_DICT_COUNTER && kr_dict_flavor(b) == KR_DICT_COUNTER) return kr_counter_binop(a, b, op);
  if (op == KR_COUNTER_OR) return kr_dict_or(a, b);
  static const char *const sym[] = { "+", "-", "|", "&" };
  kr_text t = { 0 };
  kr_text_puts(&t, "unsupported operand type(s) for ");
  kr_text_puts(&t, sym[op]);
  kr_text_puts(&t, ": '");
  kr_text_puts(&t, a->ob.type->name);
  kr_text_puts(&t, "' and '");
  kr_text_puts(&t, b->ob.type->name);
  if (kr_text_put(&t, "'", 1)) { kr_text_free(&t); kr_raise(KILN_MemoryError, ""); return NULL; }
  kr_raise_copy(KILN_TypeError, t.data, t.len);
  kr_text_free(&t);
  return NULL;
}
/* c += d, c -= d, c |= d, c &= d of two dicts of one instantiation (a dict[K, int]), as Python dispatches on the left
 * object: a Counter is updated in place (Counter.__iadd__ and friends: an alias sees it; any mapping on the right,
 * but Counter.__iand__ reads other[elem], so a key missing from a plain dict is KeyError); a plain dict merges for |=
 * (dict.__ior__) and otherwise has no in-place operator, so `dict + x` is tried and fails: TypeError "unsupported
 * operand type(s) for +=: 'dict' and 'Counter'". 0, or -1 with the error raised. */
static int kr_dict_iarith(kr_dict *c, kr_dict *other, int op) {
  if (kr_dict_flavor(c) == KR_DICT_COUNTER) {
    if (op == KR_COUNTER_AND && kr_dict_flavor(other) != KR_DICT_COUNTER) {
      const kr_dict_ops *ops = kr_dict_opsof(c);
      const char *e;
      KR_FOR_ENTRIES(c, ops, e) {
        uint64_t slot;
        int64_t ix = kr_dict_lookup_(other, e + ops->koff, KR_EHASH(e), ops, &slot);
        if (ix == KR_DKIX_ERROR) return -1;
        if (ix < 0) return kr_raise_repr(KILN_KeyError, ops->key_repr, e + ops->koff);
      }
    }
    return kr_counter_inplace(c, other, op);
  }
  if (op == KR_COUNTER_OR) return kr_dict_merge(c, other);
  static const char *const sym[] = { "+=", "-=", "|=", "&=" };
  kr_text t = { 0 };
  kr_text_puts(&t, "unsupported operand type(s) for ");
  kr_text_puts(&t, sym[op]);
  kr_text_puts(&t, ": '");
  kr_text_puts(&t, c->ob.type->name);
  kr_text_puts(&t, "' and '");
  kr_text_puts(&t, other->ob.type->name);
  if (kr_text_put(&t, "'", 1)) { kr_text_free(&t); return kr_raise(KILN_MemoryError, ""); }
  kr_raise_copy(KILN_TypeError, t.data, t.len);
  kr_text_free(&t);
  return -1;
}
/* d.update(e) of two dicts of one instantiation: a Counter adds e's counts (Counter.update), a dict takes e's items. */
static int kr_dict_update_dispatch(kr_dict *d, kr_dict *e) {
  return kr_dict_flavor(d) == KR_DICT_COUNTER ? kr_counter_update_mapping(d, e, 1) : kr_dict_merge(d, e);
}
/* The AttributeError of a Counter or OrderedDict method called on another kind of dict ('dict' object has no
 * attribute 'most_common'): generated code knows a dict type, the object decides, as in Python. */
static KILN_COLD int kr_dict_no_attribute(kr_dict *d, const char *method) {
  kr_text t = { 0 };
  kr_text_puts(&t, "'");
  kr_text_puts(&t, d->ob.type->name);
  kr_text_puts(&t, "' object has no attribute '");
  kr_text_puts(&t, method);
  if (kr_text_put(&t, "'", 1)) { kr_text_free(&t); return kr_raise(KILN_MemoryError, ""); }
  kr_raise_copy(KILN_AttributeError, t.data, t.len);
  kr_text_free(&t);
  return -1;
}

#define KR_COUNTER_DEFINE(NAME) \
  _Static_assert(sizeof(((NAME##_entry *)0)->value) == sizeof(int64_t), "a Counter's values are int64"); \
  static const kr_dict_type NAME##_counter_type KR_UNUSED = KR_DICT_TYPE_INIT(NAME, "Counter", NAME##_gcflag, sizeof(kr_dict), KR_DICT_COUNTER, NAME##_refs ? kr_dict_tp_clear : NULL, kr_counter_repr, kr_counter_eq); \
  KR_API kr_dict *NAME##_counter_new(void) { return kr_dict_new_of(&NAME##_counter_type); } \
  KR_API int NAME##_counter_add(kr_dict *c, NAME##_key_t key, int64_t n) { \
    return kr_counter_add_(c, &key, n, &NAME##_ops); }

/* ======================================================================================================
 * deque[T]: a ring buffer (capacity a power of two, halved when a quarter full). `state` changes with every
 * change of the sequence's shape, exactly where CPython's does (append/appendleft/pop/popleft/extend items,
 * rotate of 2+ items, clear of a non-empty deque, insert, remove, del d[i]; not d[i] = x, not reverse()), and
 * iterators compare it: "deque mutated during iteration".
 * ====================================================================================================== */
typedef struct kr_deque_ops {
  uint32_t esize;
  int (*eq)(const void *a, const void *b);
  void (*incref)(void *v), (*decref)(void *v);
  int (*repr)(kr_text *t, const void *v);
  void (*visit)(const void *v, kr_visit_fn f, void *arg);
  uint8_t refs;
} kr_deque_ops;
typedef struct kr_deque_type { kr_type type; const kr_deque_ops *ops; } kr_deque_type;
typedef struct kr_deque {
  kr_obj ob;
  int64_t len, cap, head;      /* item i is at items[(head + i) & (cap - 1)] */
  int64_t maxlen;              /* -1: unbounded */
  uint64_t state;
  char *items;
} kr_deque;

static inline const kr_deque_ops *kr_deque_opsof(const kr_deque *q) { return ((const kr_deque_type *)q->ob.type)->ops; }
static inline int64_t kr_deque_len(const kr_deque *q) { return q->len; }
#define KR_DQ(q, ops, i) ((q)->items + (size_t)(((q)->head + (i)) & ((q)->cap - 1)) * (ops)->esize)

static kr_deque *kr_deque_new_of(const kr_deque_type *t, int64_t maxlen) {
  if (maxlen < -1) { kr_raise(KILN_ValueError, "maxlen must be non-negative"); return NULL; }
  kr_deque *q = (kr_deque *)kr_obj_new(&t->type, 0);
  if (q) q->maxlen = maxlen;
  return q;
}
/* Reallocates to `cap` slots (a power of two >= len), items from index 0; -1 (nothing raised, the deque
 * unchanged) when memory runs out: growing callers raise MemoryError, shrinking ones carry on. */
static int kr_deque_recap(kr_deque *q, int64_t cap, const kr_deque_ops *ops) {
  if ((uint64_t)cap > (SIZE_MAX >> 2) / ops->esize) return -1;
  char *items = cap ? (char *)malloc((size_t)cap * ops->esize) : NULL;
  if (cap && !items) return -1;
  for (int64_t i = 0; i < q->len; i++) memcpy(items + (size_t)i * ops->esize, KR_DQ(q, ops, i), ops->esize);
  free(q->items);
  q->items = items;
  q->cap = cap;
  q->head = 0;
  return 0;
}
static KILN_ALWAYS_INLINE int kr_deque_reserve_one(kr_deque *q, const kr_deque_ops *ops) {
  if (KILN_LIKELY(q->len < q->cap)) return 0;
  return kr_deque_recap(q, q->cap ? q->cap * 2 : 8, ops) ? kr_raise(KILN_MemoryError, "") : 0;
}
static inline void kr_deque_maybe_shrink(kr_deque *q, const kr_deque_ops *ops) {
  if (q->cap > 64 && q->len < q->cap / 4) (void)kr_deque_recap(q, q->cap / 2, ops); /* failing to shrink is harmless */
}
/* Removes the last (right) / first (left) item, moving its reference to *out. */
static int kr_deque_pop_(kr_deque *q, void *out, int left, const kr_deque_ops *ops) {
  if (q->len == 0) return kr_raise(KILN_IndexError, "pop from an empty deque");
  if (left) { memcpy(out, KR_DQ(q, ops, 0), ops->esize); q->head = (q->head + 1) & (q->cap - 1); }
  else memcpy(out, KR_DQ(q, ops, q->len - 1), ops->esize);
  q->len--;
  q->state++;
  kr_deque_maybe_shrink(q, ops);
  return 0;
}
/* Drops the item a trim removes (append on a full deque with maxlen pops the other end). */
static void kr_deque_trim_(kr_deque *q, int left, const kr_deque_ops *ops) {
  _Alignas(16) unsigned char old[KR_KV_MAX];
  kr_deque_pop_(q, old, left, ops);
  if (ops->refs) ops->decref(old);
}
/* d.append(v) (left = 0) / d.appendleft(v) (left = 1): v borrowed. */
static KILN_ALWAYS_INLINE int kr_deque_push_(kr_deque *q, const void *v, int left, const kr_deque_ops *ops) {
  if (kr_deque_reserve_one(q, ops)) return -1;
  char *slot;
  if (left) { q->head = (q->head - 1) & (q->cap - 1); slot = KR_DQ(q, ops, 0); }
  else slot = KR_DQ(q, ops, q->len);
  memcpy(slot, v, ops->esize);
  if (ops->refs) ops->incref(slot);
  q->len++;
  if ((uint64_t)q->maxlen < (uint64_t)q->len) kr_deque_trim_(q, !left, ops); /* 0 <= maxlen < len */
  else q->state++;
  return 0;
}
/* d.extend(items) / d.extendleft(items) for an array of n items (a deque with maxlen 0 only consumes them). */
static int kr_deque_extend_(kr_deque *q, const void *items, int64_t n, int left, const kr_deque_ops *ops) {
  if (q->maxlen == 0) return 0;
  for (int64_t i = 0; i < n; i++)
    if (kr_deque_push_(q, (const char *)items + (size_t)i * ops->esize, left, ops)) return -1;
  return 0;
}
/* d.extend(other) for a deque (d.extend(d) reads a snapshot first, as CPython). */
static int kr_deque_extend_deque(kr_deque *q, kr_deque *other, int left) {
  const kr_deque_ops *ops = kr_deque_opsof(q);
  int64_t n = other->len;
  char *snap = (char *)malloc((size_t)(n ? n : 1) * ops->esize);
  if (!snap) return kr_raise(KILN_MemoryError, "");
  for (int64_t i = 0; i < n; i++) {
    memcpy(snap + (size_t)i * ops->esize, KR_DQ(other, ops, i), ops->esize);
    if (ops->refs) ops->incref(snap + (size_t)i * ops->esize);
  }
  int r = kr_deque_extend_(q, snap, n, left, ops);
  if (ops->refs) for (int64_t i = 0; i < n; i++) ops->decref(snap + (size_t)i * ops->esize);
  free(snap);
  return r;
}
/* d.rotate(n): right by n (left when negative); a deque of 2+ items counts as changed even for n == 0. */
static int kr_deque_rotate(kr_deque *q, int64_t n) {
  const kr_deque_ops *ops = kr_deque_opsof(q);
  int64_t len = q->len, half = len >> 1;
  if (len <= 1) return 0;
  if (n > half || n < -half) {
    n %= len;
    if (n > half) n -= len;
    else if (n < -half) n += len;
  }
  q->state++;
  if (n == 0) return 0;
  if (len == q->cap) { q->head = (q->head - n) & (q->cap - 1); return 0; }
  _Alignas(16) unsigned char tmp[KR_KV_MAX];
  for (; n > 0; n--) { /* last item to the front */
    memcpy(tmp, KR_DQ(q, ops, len - 1), ops->esize);
    q->head = (q->head - 1) & (q->cap - 1);
    memcpy(KR_DQ(q, ops, 0), tmp, ops->esize);
  }
  for (; n < 0; n++) { /* first item to the back */
    memcpy(tmp, KR_DQ(q, ops, 0), ops->esize);
    q->head = (q->head + 1) & (q->cap - 1);
    memcpy(KR_DQ(q, ops, len - 1), tmp, ops->esize);
  }
  return 0;
}
/* d.reverse(): in place; not a change for iterators (CPython). */
static void kr_deque_reverse(kr_deque *q) {
  const kr_deque_ops *ops = kr_deque_opsof(q);
  _Alignas(16) unsigned char tmp[KR_KV_MAX];
  for (int64_t i = 0, j = q->len - 1; i < j; i++, j--) {
    memcpy(tmp, KR_DQ(q, ops, i), ops->esize);
    memcpy(KR_DQ(q, ops, i), KR_DQ(q, ops, j), ops->esize);
    memcpy(KR_DQ(q, ops, j), tmp, ops->esize);
  }
}
static void kr_deque_clear(kr_deque *q) {
  const kr_deque_ops *ops = kr_deque_opsof(q);
  if (q->len == 0) return;
  char *items = q->items;
  int64_t len = q->len, head = q->head, cap = q->cap;
  q->items = NULL;
  q->len = q->cap = q->head = 0;
  q->state++;
  if (ops->refs) for (int64_t i = 0; i < len; i++) ops->decref(items + (size_t)((head + i) & (cap - 1)) * ops->esize);
  free(items);
}
/* Python's index into 0..len-1 (negative counts from the end): IndexError "deque index out of range". */
static inline int kr_deque_index_(const kr_deque *q, int64_t *i) {
  if (*i < 0) *i += q->len;
  if ((uint64_t)*i >= (uint64_t)q->len) return kr_raise(KILN_IndexError, "deque index out of range");
  return 0;
}
/* d[i]: a new reference in *out. */
static KILN_ALWAYS_INLINE int kr_deque_getitem_(kr_deque *q, int64_t i, void *out, const kr_deque_ops *ops) {
  if (kr_deque_index_(q, &i)) return -1;
  memcpy(out, KR_DQ(q, ops, i), ops->esize);
  if (ops->refs) ops->incref(out);
  return 0;
}
/* d[i] = v (v borrowed); no change of state. */
static KILN_ALWAYS_INLINE int kr_deque_setitem_(kr_deque *q, int64_t i, const void *v, const kr_deque_ops *ops) {
  if (kr_deque_index_(q, &i)) return -1;
  char *slot = KR_DQ(q, ops, i);
  _Alignas(16) unsigned char old[KR_KV_MAX];
  memcpy(old, slot, ops->esize);
  memcpy(slot, v, ops->esize);
  if (ops->refs) { ops->incref(slot); ops->decref(old); }
  return 0;
}
/* Removes item i (0 <= i < len), dropping its reference. */
static void kr_deque_remove_at(kr_deque *q, int64_t i, const kr_deque_ops *ops) {
  _Alignas(16) unsigned char old[KR_KV_MAX];
  memcpy(old, KR_DQ(q, ops, i), ops->esize);
  if (i < q->len / 2) {
    for (int64_t k = i; k > 0; k--) memcpy(KR_DQ(q, ops, k), KR_DQ(q, ops, k - 1), ops->esize);
    q->head = (q->head + 1) & (q->cap - 1);
  } else {
    for (int64_t k = i; k < q->len - 1; k++) memcpy(KR_DQ(q, ops, k), KR_DQ(q, ops, k + 1), ops->esize);
  }
  q->len--;
  q->state++;
  if (ops->refs) ops->decref(old);
}
/* del d[i] */
static int kr_deque_delitem(kr_deque *q, int64_t i) {
  if (kr_deque_index_(q, &i)) return -1;
  kr_deque_remove_at(q, i, kr_deque_opsof(q));
  return 0;
}
/* d.insert(i, v) */
static int kr_deque_insert_(kr_deque *q, int64_t i, const void *v, const kr_deque_ops *ops) {
  int64_t n = q->len;
  if (q->maxlen == n) return kr_raise(KILN_IndexError, "deque already at its maximum size");
  if (i >= n) return kr_deque_push_(q, v, 0, ops);
  if (i <= -n || i == 0) return kr_deque_push_(q, v, 1, ops);
  if (i < 0) i += n;
  if (kr_deque_reserve_one(q, ops)) return -1;
  q->len++;
  for (int64_t k = q->len - 1; k > i; k--) memcpy(KR_DQ(q, ops, k), KR_DQ(q, ops, k - 1), ops->esize);
  memcpy(KR_DQ(q, ops, i), v, ops->esize);
  if (ops->refs) ops->incref(KR_DQ(q, ops, i));
  q->state++;
  return 0;
}
/* The first index of an item equal to v, from `start`: -1 when none, -2 on error. */
static int64_t kr_deque_find_(kr_deque *q, const void *v, const kr_deque_ops *ops) {
  for (int64_t i = 0; i < q->len; i++) {
    int r = ops->eq(KR_DQ(q, ops, i), v);
    if (r) return r < 0 ? -2 : i;
  }
  return -1;
}
static KILN_COLD int kr_deque_not_in(const void *v, const kr_deque_ops *ops) {
  kr_text t = { 0, 0, 0 };
  int r = ops->repr(&t, v) || kr_text_puts(&t, " is not in deque") ? -1 : kr_raise_copy(KILN_ValueError, t.data, t.len);
  kr_text_free(&t);
  return r;
}
/* d.remove(v): ValueError "<repr> is not in deque". */
static int kr_deque_remove_(kr_deque *q, const void *v, const kr_deque_ops *ops) {
  int64_t i = kr_deque_find_(q, v, ops);
  if (i < 0) return i == -2 ? -1 : kr_deque_not_in(v, ops);
  kr_deque_remove_at(q, i, ops);
  return 0;
}
/* d.index(v) into *out: ValueError when absent. */
static int kr_deque_index_of_(kr_deque *q, const void *v, int64_t *out, const kr_deque_ops *ops) {
  int64_t i = kr_deque_find_(q, v, ops);
  if (i < 0) return i == -2 ? -1 : kr_deque_not_in(v, ops);
  *out = i;
  return 0;
}
/* d.count(v) into *out; v in d: kr_deque_find_ >= 0. */
static int kr_deque_count_(kr_deque *q, const void *v, int64_t *out, const kr_deque_ops *ops) {
  int64_t c = 0;
  for (int64_t i = 0; i < q->len; i++) {
    int r = ops->eq(KR_DQ(q, ops, i), v);
    if (r < 0) return -1;
    c += r;
  }
  *out = c;
  return 0;
}
/* d.copy() / copy.copy(d): same items, same maxlen. */
static kr_deque *kr_deque_copy(kr_deque *q) {
  const kr_deque_ops *ops = kr_deque_opsof(q);
  kr_deque *c = kr_deque_new_of((const kr_deque_type *)q->ob.type, q->maxlen);
  if (!c) return NULL;
  if (q->len && kr_deque_recap(c, q->cap, ops)) { kr_decref(c); kr_raise(KILN_MemoryError, ""); return NULL; }
  for (int64_t i = 0; i < q->len; i++) {
    memcpy(c->items + (size_t)i * ops->esize, KR_DQ(q, ops, i), ops->esize);
    if (ops->refs) ops->incref(c->items + (size_t)i * ops->esize);
  }
  c->len = q->len;
  return c;
}
/* a == b: same length and equal items in order. */
static int kr_deque_eq(kr_deque *a, kr_deque *b) {
  const kr_deque_ops *ops = kr_deque_opsof(a);
  if (a == b) return 1;
  if (a->len != b->len) return 0;
  for (int64_t i = 0; i < a->len; i++) {
    int r = ops->eq(KR_DQ(a, ops, i), KR_DQ(b, ops, i));
    if (r <= 0) return r;
  }
  return 1;
}
/* repr(d): deque([1, 2]) or deque([1, 2], maxlen=5). */
static int kr_deque_repr(kr_text *t, kr_deque *q) {
  const kr_deque_ops *ops = kr_deque_opsof(q);
  if (kr_text_puts(t, "deque([")) return -1;
  for (int64_t i = 0; i < q->len; i++)
    if ((i && kr_text_put(t, ", ", 2)) || ops->repr(t, KR_DQ(q, ops, i))) return -1;
  if (kr_text_puts(t, "]")) return -1;
  if (q->maxlen >= 0) {
    char b[40];
    int n = snprintf(b, sizeof b, ", maxlen=%lld", (long long)q->maxlen);
    if (kr_text_put(t, b, (size_t)n)) return -1;
  }
  return kr_text_puts(t, ")");
}
static void kr_deque_tp_traverse(kr_obj *o, kr_visit_fn visit, void *arg) {
  kr_deque *q = (kr_deque *)o;
  const kr_deque_ops *ops = kr_deque_opsof(q);
  for (int64_t i = 0; i < q->len; i++) ops->visit(KR_DQ(q, ops, i), visit, arg);
}
static void kr_deque_tp_clear(kr_obj *o) { kr_deque_clear((kr_deque *)o); }
static void kr_deque_tp_finalize(kr_obj *o) { free(((kr_deque *)o)->items); ((kr_deque *)o)->items = NULL; }

/* for x in d / reversed(d): the deque may not change shape meanwhile ("deque mutated during iteration"). */
typedef struct kr_deque_iter { kr_deque *q; int64_t index, counter; uint64_t state; int step; } kr_deque_iter;
static inline void kr_deque_iter_start(kr_deque_iter *it, kr_deque *q, int reversed) {
  kr_incref(q);
  it->q = q;
  it->state = q->state;
  it->counter = q->len;
  it->step = reversed ? -1 : 1;
  it->index = reversed ? q->len - 1 : 0;
}
static inline void kr_deque_iter_init(kr_deque_iter *it, kr_deque *q) { kr_deque_iter_start(it, q, 0); }
static inline void kr_deque_iter_init_reversed(kr_deque_iter *it, kr_deque *q) { kr_deque_iter_start(it, q, 1); }
static inline void kr_deque_iter_end(kr_deque_iter *it) { kr_deque *q = it->q; it->q = NULL; kr_decref(q); }
static KILN_ALWAYS_INLINE int kr_deque_iter_next_(kr_deque_iter *it, void *out, const kr_deque_ops *ops) {
  kr_deque *q = it->q;
  if (KILN_UNLIKELY(!q)) return 0;
  /* CPython's forward iterator tests the state first (a change after the last item still raises, and keeps
   * raising); its reverse iterator tests the count first (it ends quietly, and after an error) */
  if (it->step < 0 && it->counter == 0) return 0;
  if (KILN_UNLIKELY(q->state != it->state)) { it->counter = 0; return kr_raise(KILN_RuntimeError, "deque mutated during iteration"); }
  if (it->counter == 0) return 0;
  memcpy(out, KR_DQ(q, ops, it->index), ops->esize);
  if (ops->refs) ops->incref(out);
  it->index += it->step;
  it->counter--;
  return 1;
}

/* KR_DEQUE_DEFINE(name, T, KIND): name_type and the typed API (q: kr_deque *, borrowed):
 *   kr_deque *name_new(int64_t maxlen)      (-1: no maxlen)
 *   int name_append(q, T v) / name_appendleft(q, v) / name_pop(q, T *out) / name_popleft(q, T *out)
 *   int name_extend(q, const T *items, n) / name_extendleft(q, items, n)
 *   int name_get(q, int64_t i, T *out) / name_set(q, i, T v) / name_insert(q, i, v)
 *   int name_remove(q, v) / name_index(q, v, int64_t *out) / name_count(q, v, int64_t *out)
 *   int name_contains(q, v): 1, 0, -1
 *   int name_next(kr_deque_iter *it, T *out): 1, 0 end, -1 RuntimeError
 * and generic: kr_deque_len, kr_deque_rotate, kr_deque_reverse, kr_deque_clear, kr_deque_delitem,
 * kr_deque_copy, kr_deque_extend_deque, kr_deque_eq, kr_deque_repr, d.maxlen in q->maxlen. */
#define KR_DEQUE_DEFINE(NAME, T, K) \
  typedef T NAME##_item_t; \
  _Static_assert(sizeof(NAME##_item_t) <= KR_KV_MAX, "item type too large for a deque"); \
  static int NAME##_eq(const void *a, const void *b) { return kr_kind_##K##_eq((const NAME##_item_t *)a, (const NAME##_item_t *)b); } \
  static void NAME##_inc(void *v) { kr_kind_##K##_incref((NAME##_item_t *)v); } \
  static void NAME##_dec(void *v) { kr_kind_##K##_decref((NAME##_item_t *)v); } \
  static int NAME##_repr(kr_text *t, const void *v) { return kr_kind_##K##_repr(t, (const NAME##_item_t *)v); } \
  static void NAME##_visit(const void *v, kr_visit_fn f, void *a) { kr_kind_##K##_visit((const NAME##_item_t *)v, f, a); } \
  static const kr_deque_ops NAME##_ops = { sizeof(NAME##_item_t), NAME##_eq, NAME##_inc, NAME##_dec, NAME##_repr, NAME##_visit, kr_kind_##K##_refs }; \
  static const kr_deque_type NAME##_type KR_UNUSED = { { "deque", NULL, kr_kind_##K##_refs == 2 ? KR_TF_GC : 0, sizeof(kr_deque), \
    kr_deque_tp_traverse, kr_kind_##K##_refs ? kr_deque_tp_clear : NULL, kr_deque_tp_finalize }, &NAME##_ops }; \
  KR_API kr_deque *NAME##_new(int64_t maxlen) { return kr_deque_new_of(&NAME##_type, maxlen); } \
  KR_API int NAME##_append(kr_deque *q, NAME##_item_t v) { return kr_deque_push_(q, &v, 0, &NAME##_ops); } \
  KR_API int NAME##_appendleft(kr_deque *q, NAME##_item_t v) { return kr_deque_push_(q, &v, 1, &NAME##_ops); } \
  KR_API int NAME##_pop(kr_deque *q, NAME##_item_t *out) { return kr_deque_pop_(q, out, 0, &NAME##_ops); } \
  KR_API int NAME##_popleft(kr_deque *q, NAME##_item_t *out) { return kr_deque_pop_(q, out, 1, &NAME##_ops); } \
  KR_API int NAME##_extend(kr_deque *q, const NAME##_item_t *items, int64_t n) { return kr_deque_extend_(q, items, n, 0, &NAME##_ops); } \
  KR_API int NAME##_extendleft(kr_deque *q, const NAME##_item_t *items, int64_t n) { return kr_deque_extend_(q, items, n, 1, &NAME##_ops); } \
  KR_API int NAME##_get(kr_deque *q, int64_t i, NAME##_item_t *out) { return kr_deque_getitem_(q, i, out, &NAME##_ops); } \
  KR_API int NAME##_set(kr_deque *q, int64_t i, NAME##_item_t v) { return kr_deque_setitem_(q, i, &v, &NAME##_ops); } \
  KR_API int NAME##_insert(kr_deque *q, int64_t i, NAME##_item_t v) { return kr_deque_insert_(q, i, &v, &NAME##_ops); } \
  KR_API int NAME##_remove(kr_deque *q, NAME##_item_t v) { return kr_deque_remove_(q, &v, &NAME##_ops); } \
  KR_API int NAME##_index(kr_deque *q, NAME##_item_t v, int64_t *out) { return kr_deque_index_of_(q, &v, out, &NAME##_ops); } \
  KR_API int NAME##_count(kr_deque *q, NAME##_item_t v, int64_t *out) { return kr_deque_count_(q, &v, out, &NAME##_ops); } \
  KR_API int NAME##_contains(kr_deque *q, NAME##_item_t v) { int64_t i = kr_deque_find_(q, &v, &NAME##_ops); return i >= 0 ? 1 : i == -1 ? 0 : -1; } \
  static inline KR_UNUSED int NAME##_next(kr_deque_iter *it, NAME##_item_t *out) { return kr_deque_iter_next_(it, out, &NAME##_ops); }

#endif /* KILN_COLLECTIONS_H */
