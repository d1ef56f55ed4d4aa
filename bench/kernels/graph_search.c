/* Hand-written C references for bench/kernels/graph_search.py, in Kiln's calling convention: the same LCG draws the
   same graph; node -> its adjacency is an open-addressing table (oa_table.h) into CSR arrays, distances are another
   table, the BFS queue an array, Dijkstra's heap a binary heap of (distance, node) pairs ordered as Python's tuples. */
#include "oa_table.h"

typedef struct { OA index; int64_t *off, *to, *w, n_edges; } Graph;

static inline int64_t lcg(int64_t x) { return (x * 1103515245 + 12345) % 2147483648; }

static int build(Graph *g, int64_t n, int weighted) {
  int64_t cap = 16, x = 12345;
  oa_init(&g->index, 16);
  g->off = (int64_t *)malloc((size_t)(n + 1) * sizeof(int64_t));
  g->to = (int64_t *)malloc((size_t)cap * sizeof(int64_t));
  g->w = weighted ? (int64_t *)malloc((size_t)cap * sizeof(int64_t)) : NULL;
  if (!g->off || !g->to || (weighted && !g->w)) return 1;
  g->n_edges = 0;
  for (int64_t u = 0; u < n; u++) {
    x = lcg(x);
    int64_t deg = 1 + (x >> 16) % 8;
    if (g->n_edges + deg > cap) {
      cap *= 2;
      g->to = (int64_t *)realloc(g->to, (size_t)cap * sizeof(int64_t));
      if (weighted) g->w = (int64_t *)realloc(g->w, (size_t)cap * sizeof(int64_t));
      if (!g->to || (weighted && !g->w)) return 1;
    }
    *oa_slot(&g->index, u) = u;
    g->off[u] = g->n_edges;
    for (int64_t j = 0; j < deg; j++) {
      x = lcg(x);
      g->to[g->n_edges] = (x >> 4) % n;
      if (weighted) g->w[g->n_edges] = 1 + (x >> 8) % 100;
      g->n_edges++;
    }
  }
  g->off[n] = g->n_edges;
  return 0;
}

static void graph_free(Graph *g) { oa_free(&g->index); free(g->off); free(g->to); free(g->w); }

static int64_t checksum(const OA *dist, int64_t scale) {
  int64_t total = 0;
  for (uint64_t i = 0; i <= dist->mask; i++) if (dist->k[i] != OA_EMPTY) total += dist->v[i];
  return dist->n * scale + total;
}

int ref_graph_bfs(int64_t n, int64_t *out) {
  Graph g;
  if (n < 1 || build(&g, n, 0)) return 1;
  OA dist;
  oa_init(&dist, 16);
  int64_t *queue = (int64_t *)malloc((size_t)n * sizeof(int64_t)), head = 0, tail = 0;
  if (!queue) return 1;
  *oa_slot(&dist, 0) = 0;
  queue[tail++] = 0;
  while (head < tail) {
    int64_t u = queue[head++], du = *oa_find(&dist, u) + 1, at = *oa_find(&g.index, u);
    for (int64_t j = g.off[at]; j < g.off[at + 1]; j++) {
      int64_t v = g.to[j];
      if (!oa_find(&dist, v)) { *oa_slot(&dist, v) = du; queue[tail++] = v; }
    }
  }
  *out = checksum(&dist, 1000000);
  oa_free(&dist);
  free(queue);
  graph_free(&g);
  return 0;
}

typedef struct { int64_t d, v; } Item;
static inline int item_less(Item a, Item b) { return a.d < b.d || (a.d == b.d && a.v < b.v); }

int ref_graph_dijkstra(int64_t n, int64_t *out) {
  Graph g;
  if (n < 1 || build(&g, n, 1)) return 1;
  OA dist;
  oa_init(&dist, 16);
  int64_t cap = 1024, len = 0;
  Item *heap = (Item *)malloc((size_t)cap * sizeof(Item));
  if (!heap) return 1;
  *oa_slot(&dist, 0) = 0;
  heap[len++] = (Item){0, 0};
  while (len) {
    Item top = heap[0], last = heap[--len];
    int64_t i = 0;
    for (;;) {   /* sift the last item down from the root */
      int64_t c = 2 * i + 1;
      if (c >= len) break;
      if (c + 1 < len && item_less(heap[c + 1], heap[c])) c++;
      if (!item_less(heap[c], last)) break;
      heap[i] = heap[c];
      i = c;
    }
    if (len) heap[i] = last;
    int64_t d = top.d, u = top.v;
    if (d > *oa_find(&dist, u)) continue;
    int64_t at = *oa_find(&g.index, u);
    for (int64_t j = g.off[at]; j < g.off[at + 1]; j++) {
      int64_t v = g.to[j], nd = d + g.w[j], *dv = oa_find(&dist, v);
      if (dv && nd >= *dv) continue;
      *oa_slot(&dist, v) = nd;
      if (len == cap) {
        cap *= 2;
        heap = (Item *)realloc(heap, (size_t)cap * sizeof(Item));
        if (!heap) return 1;
      }
      Item it = {nd, v};
      int64_t k = len++;
      while (k > 0 && item_less(it, heap[(k - 1) / 2])) { heap[k] = heap[(k - 1) / 2]; k = (k - 1) / 2; }
      heap[k] = it;
    }
  }
  *out = checksum(&dist, 1000000000);
  oa_free(&dist);
  free(heap);
  graph_free(&g);
  return 0;
}
