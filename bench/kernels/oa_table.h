/* The hand-written hash table of the dict benchmarks' C references (bench/kernels/graph_search.c, counting.c,
   bench/runtime/dict_bench.c): open addressing, linear probing, load at most 1/2, a multiplicative hash, int64 keys
   (INT64_MIN marks an empty slot) and int64 values in two arrays. No insertion order, no deletion. */
#ifndef KILN_BENCH_OA_TABLE_H
#define KILN_BENCH_OA_TABLE_H
#include <stdint.h>
#include <stdlib.h>

typedef struct { int64_t *k, *v; uint64_t mask; int64_t n; } OA;
#define OA_EMPTY INT64_MIN
static void oa_init(OA *t, uint64_t cap) {
  t->k = (int64_t *)malloc(cap * 8);
  t->v = (int64_t *)malloc(cap * 8);
  for (uint64_t i = 0; i < cap; i++) t->k[i] = OA_EMPTY;
  t->mask = cap - 1;
  t->n = 0;
}
static void oa_free(OA *t) { free(t->k); free(t->v); }
static inline uint64_t oa_hash(int64_t k) { return ((uint64_t)k * 0x9E3779B97F4A7C15ULL) >> 17; }
static void oa_grow(OA *t);
/* the value slot of k, inserting (value 0) when absent */
static inline int64_t *oa_slot(OA *t, int64_t k) {
  uint64_t i = oa_hash(k) & t->mask;
  while (t->k[i] != k) {
    if (t->k[i] == OA_EMPTY) {
      if ((uint64_t)(t->n + 1) * 2 > t->mask + 1) { oa_grow(t); return oa_slot(t, k); }
      t->k[i] = k;
      t->v[i] = 0;
      t->n++;
      return &t->v[i];
    }
    i = (i + 1) & t->mask;
  }
  return &t->v[i];
}
static inline int64_t *oa_find(const OA *t, int64_t k) {
  uint64_t i = oa_hash(k) & t->mask;
  while (t->k[i] != k) {
    if (t->k[i] == OA_EMPTY) return NULL;
    i = (i + 1) & t->mask;
  }
  return &t->v[i];
}
static void oa_grow(OA *t) {
  OA old = *t;
  oa_init(t, (old.mask + 1) * 2);
  for (uint64_t i = 0; i <= old.mask; i++) if (old.k[i] != OA_EMPTY) *oa_slot(t, old.k[i]) = old.v[i];
  oa_free(&old);
}
#endif
