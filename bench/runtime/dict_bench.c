/*
 * Benchmarks of Kiln's dict runtime (resources/c/kiln_dict.h, kiln_collections.h) against a hand-written
 * open-addressing table; bench/runtime/dict_bench.py does the same work on CPython with the same inputs and
 * prints the same checksums. bench/runtime/dicts.sh builds and runs both and prints the table.
 *
 *   dict_bench CASE [REPS]     prints "CASE best_ms checksum" (best of REPS runs, CPU time)
 *   dict_bench mem N           prints "mem N live_bytes peak_bytes" for a dict[int, int] of N items
 *
 * Cases: count_int (d[k] = d.get(k, 0) + 1 over 10^6 keys as written: a get then a set), count_int_fused (the
 * same through name_slot: one lookup), count_tuple and count_tuple_fused (10^6 (int, int) keys), bfs
 * (breadth-first search over a 100,000-node graph held as dict[int, list[int]], distances in a dict[int, int],
 * a deque as the queue), and the *_ref twins on the hand-written table.
 * Inputs come from splitmix64 (seed 42), as dict_bench.py's.
 */
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <stdint.h>

/* Every allocation the runtime makes, counted (live and peak bytes), for the memory figures. */
static size_t bench_live, bench_peak;
static void *bench_malloc(size_t n) {
  size_t *p = (size_t *)malloc(n + 16);
  if (!p) return NULL;
  p[0] = n;
  bench_live += n;
  if (bench_live > bench_peak) bench_peak = bench_live;
  return (char *)p + 16;
}
static void bench_free(void *q) {
  if (!q) return;
  size_t *p = (size_t *)((char *)q - 16);
  bench_live -= p[0];
  free(p);
}
static void *bench_calloc(size_t a, size_t b) {
  void *q = bench_malloc(a * b);
  if (q) memset(q, 0, a * b);
  return q;
}
static void *bench_realloc(void *q, size_t n) {
  if (!q) return bench_malloc(n);
  size_t old = ((size_t *)((char *)q - 16))[0];
  void *r = bench_malloc(n);
  if (!r) return NULL;
  memcpy(r, q, old < n ? old : n);
  bench_free(q);
  return r;
}
#define malloc(n) bench_malloc(n)
#define free(p) bench_free(p)
#define calloc(a, b) bench_calloc(a, b)
#define realloc(p, n) bench_realloc(p, n)

#include "kiln_collections.h"

/* CPU time of this process (clock()), not wall time: on a shared machine a wall clock mostly measures the
 * wait for a core. dict_bench.py uses time.process_time(), the same measure. */
static double now_ms(void) { return (double)clock() * 1e3 / CLOCKS_PER_SEC; }
static uint64_t rng_state;
static uint64_t splitmix64(void) {
  uint64_t z = (rng_state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

/* ---- list[int] as the list object will be: a refcounted object owning a buffer ---- */
typedef struct IntList { kr_obj ob; int64_t len, cap; int64_t *data; } IntList;
static void intlist_finalize(kr_obj *o) { free(((IntList *)o)->data); }
static const kr_type intlist_type = { "list", NULL, 0, sizeof(IntList), NULL, NULL, intlist_finalize };
static int intlist_append(IntList *l, int64_t v) {
  if (l->len == l->cap) {
    int64_t cap = l->cap ? l->cap * 2 : 4;
    int64_t *p = (int64_t *)realloc(l->data, (size_t)cap * sizeof *p);
    if (!p) return kr_raise(KILN_MemoryError, "");
    l->data = p;
    l->cap = cap;
  }
  l->data[l->len++] = v;
  return 0;
}
static int intlist_eq(IntList *a, IntList *b) { return a->len == b->len && !memcmp(a->data, b->data, (size_t)a->len * 8); }
static int intlist_repr(kr_text *t, IntList *l) { (void)l; return kr_text_puts(t, "[...]"); }
KR_KIND_OBJECT_VALUE(il, IntList *, intlist_eq, intlist_repr, 0)

typedef struct { int64_t a, b; } Pair;
static inline kr_hash_t kr_kind_pair_hash(const Pair *p) {
  return kr_tuplehash_end(kr_tuplehash_add(kr_tuplehash_add(kr_tuplehash_start(), kr_hash_i64(p->a)), kr_hash_i64(p->b)), 2);
}
static inline int kr_kind_pair_eq(const Pair *x, const Pair *y) { return x->a == y->a && x->b == y->b; }
static inline void kr_kind_pair_incref(Pair *p) { (void)p; }
static inline void kr_kind_pair_decref(Pair *p) { (void)p; }
static inline int kr_kind_pair_repr(kr_text *t, const Pair *p) { (void)p; return kr_text_puts(t, "(..)"); }
static inline void kr_kind_pair_visit(const Pair *p, kr_visit_fn f, void *arg) { (void)p; (void)f; (void)arg; }
enum { kr_kind_pair_refs = 0 };

typedef IntList *IntListP;
KR_DICT_DEFINE(dii, int64_t, i64, int64_t, i64)
KR_DICT_DEFINE(dpi, Pair, pair, int64_t, i64)
KR_DICT_DEFINE(dil, int64_t, i64, IntListP, il)
KR_DEQUE_DEFINE(qi, int64_t, i64)

#define NKEYS 1000000
#define NNODES 100000
static int64_t *keys;
static Pair *pairs;

__attribute__((noinline)) static int64_t count_int(int fused) {
  kr_dict *d = dii_new();
  for (int64_t i = 0; i < NKEYS; i++) {
    int64_t k = keys[i], c;
    if (fused) {
      int64_t *slot = dii_slot(d, k, 0);
      if (!slot) abort();
      ++*slot;
    } else if (dii_get_default(d, k, 0, &c) || dii_set(d, k, c + 1)) abort();
  }
  int64_t check = kr_dict_len(d), v;
  dii_get_default(d, keys[7], 0, &v);
  check = check * 1000 + v;
  kr_decref(d);
  return check;
}
__attribute__((noinline)) static int64_t count_tuple(int fused) {
  kr_dict *d = dpi_new();
  for (int64_t i = 0; i < NKEYS; i++) {
    int64_t c;
    if (fused) {
      int64_t *slot = dpi_slot(d, pairs[i], 0);
      if (!slot) abort();
      ++*slot;
    } else if (dpi_get_default(d, pairs[i], 0, &c) || dpi_set(d, pairs[i], c + 1)) abort();
  }
  int64_t check = kr_dict_len(d), v;
  dpi_get_default(d, pairs[7], 0, &v);
  check = check * 1000 + v;
  kr_decref(d);
  return check;
}
/* the graph: node u has 1 + r % 8 edges to random nodes; built once, outside the timing */
static kr_dict *graph;
static int64_t *csr_off, *csr_edges;
static void build_graph(void) {
  rng_state = 43;
  graph = dil_new();
  csr_off = (int64_t *)malloc((NNODES + 1) * sizeof(int64_t));
  csr_edges = (int64_t *)malloc((size_t)NNODES * 9 * sizeof(int64_t));
  int64_t ne = 0;
  for (int64_t u = 0; u < NNODES; u++) {
    IntList *l = (IntList *)kr_obj_new(&intlist_type, 0);
    int64_t deg = 1 + (int64_t)(splitmix64() % 8);
    csr_off[u] = ne;
    for (int64_t j = 0; j < deg; j++) {
      int64_t v = (int64_t)(splitmix64() % NNODES);
      intlist_append(l, v);
      csr_edges[ne++] = v;
    }
    dil_set(graph, u, l);
    kr_decref(l);
  }
  csr_off[NNODES] = ne;
}
/* dist = {0: 0}; q = deque([0]); while q: u = q.popleft(); for v in g[u]: if v not in dist: dist[v] = dist[u] + 1; q.append(v) */
__attribute__((noinline)) static int64_t bfs(void) {
  kr_dict *dist = dii_new();
  kr_deque *q = qi_new(-1);
  dii_set(dist, 0, 0);
  qi_append(q, 0);
  while (kr_deque_len(q)) {
    int64_t u, du;
    IntList *adj;
    qi_popleft(q, &u);
    if (dil_get(graph, u, &adj) || dii_get(dist, u, &du)) abort();
    for (int64_t j = 0; j < adj->len; j++) {
      int64_t v = adj->data[j];
      if (!dii_contains(dist, v)) { dii_set(dist, v, du + 1); qi_append(q, v); }
    }
    kr_decref(adj);
  }
  int64_t total = 0, k, v;
  kr_dict_iter it;
  kr_dict_iter_init(&it, dist);
  while (dii_next(&it, &k, &v) > 0) total += v;
  kr_dict_iter_end(&it);
  int64_t check = kr_dict_len(dist) * 1000000 + total;
  kr_decref(dist);
  kr_decref(q);
  return check;
}

/* ---- the hand-written reference: bench/kernels/oa_table.h ---- */
#include "../kernels/oa_table.h"
__attribute__((noinline)) static int64_t count_int_ref(void) {
  OA t;
  oa_init(&t, 16);
  for (int64_t i = 0; i < NKEYS; i++) ++*oa_slot(&t, keys[i]);
  int64_t check = t.n * 1000 + *oa_find(&t, keys[7]);
  oa_free(&t);
  return check;
}
__attribute__((noinline)) static int64_t count_tuple_ref(void) {
  OA t;
  oa_init(&t, 16);
  for (int64_t i = 0; i < NKEYS; i++) ++*oa_slot(&t, pairs[i].a * 1000003 + pairs[i].b);
  int64_t check = t.n * 1000 + *oa_find(&t, pairs[7].a * 1000003 + pairs[7].b);
  oa_free(&t);
  return check;
}
/* the graph as node -> position in CSR arrays (an open-addressing table), distances in another table */
static OA graph_ref;
__attribute__((noinline)) static int64_t bfs_ref(void) {
  OA dist;
  oa_init(&dist, 16);
  int64_t *queue = (int64_t *)malloc(NNODES * sizeof(int64_t)), head = 0, tail = 0;
  *oa_slot(&dist, 0) = 0;
  queue[tail++] = 0;
  while (head < tail) {
    int64_t u = queue[head++], du = *oa_find(&dist, u), at = *oa_find(&graph_ref, u);
    for (int64_t j = csr_off[at]; j < csr_off[at + 1]; j++) {
      int64_t v = csr_edges[j];
      if (!oa_find(&dist, v)) { *oa_slot(&dist, v) = du + 1; queue[tail++] = v; }
    }
  }
  int64_t total = 0;
  for (uint64_t i = 0; i <= dist.mask; i++) if (dist.k[i] != OA_EMPTY) total += dist.v[i];
  int64_t check = dist.n * 1000000 + total;
  oa_free(&dist);
  free(queue);
  return check;
}

int main(int argc, char **argv) {
  const char *c = argc > 1 ? argv[1] : "count_int";
  if (!strcmp(c, "mem")) {
    int64_t n = argc > 2 ? atoll(argv[2]) : 1000000;
    size_t base = bench_live;
    bench_peak = bench_live;
    kr_dict *d = dii_new();
    for (int64_t i = 0; i < n; i++) dii_set(d, i * 7919 + 1000, i + 1000);
    printf("mem %lld %zu %zu\n", (long long)n, bench_live - base, bench_peak - base);
    kr_decref(d);
    return 0;
  }
  int reps = argc > 2 ? atoi(argv[2]) : 5;
  rng_state = 42;
  keys = (int64_t *)malloc(NKEYS * sizeof(int64_t));
  pairs = (Pair *)malloc(NKEYS * sizeof(Pair));
  for (int64_t i = 0; i < NKEYS; i++) {
    uint64_t r = splitmix64();
    keys[i] = (int64_t)(r % 200003);
    pairs[i].a = (int64_t)(r % 1000);
    pairs[i].b = (int64_t)((r >> 20) % 1000);
  }
  if (!strncmp(c, "bfs", 3)) {
    build_graph();
    oa_init(&graph_ref, 16);
    for (int64_t u = 0; u < NNODES; u++) *oa_slot(&graph_ref, u) = u;
  }
  double best = 1e30;
  int64_t check = 0;
  for (int r = 0; r < reps; r++) {
    double t0 = now_ms();
    if (!strcmp(c, "count_int")) check = count_int(0);
    else if (!strcmp(c, "count_int_fused")) check = count_int(1);
    else if (!strcmp(c, "count_tuple")) check = count_tuple(0);
    else if (!strcmp(c, "count_tuple_fused")) check = count_tuple(1);
    else if (!strcmp(c, "bfs")) check = bfs();
    else if (!strcmp(c, "count_int_ref")) check = count_int_ref();
    else if (!strcmp(c, "count_tuple_ref")) check = count_tuple_ref();
    else if (!strcmp(c, "bfs_ref")) check = bfs_ref();
    else { fprintf(stderr, "unknown case %s\n", c); return 2; }
    double t = now_ms() - t0;
    if (t < best) best = t;
  }
  printf("%s %.2f %lld\n", c, best, (long long)check);
  return 0;
}
