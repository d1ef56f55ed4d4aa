/*
 * Kiln runtime, arrays and lists. Included at the end of kiln_runtime.h.
 *
 * Memory: everything a compiled call allocates (new arrays, lists, list growth) is recorded in a
 * per-thread heap that the exported wrapper releases when the call returns, so compiled code never
 * frees and never leaks, and views (slices) can point anywhere without reference counts. A result
 * that outlives the call is handed over (or copied into one buffer) that the caller owns (kiln_free).
 */
#ifndef KILN_ARRAYS_H
#define KILN_ARRAYS_H

#include <stddef.h>
#include <stdlib.h>
#include <stdio.h>

/* ---- the per-call heap ---- */
/* A list: len items of the item type's C type at data. `objs`: 0, or the layout of items that hold owned object
 * references (list[str], list[tuple[str, int]]): whatever puts an item into such a list takes a reference for each
 * object in it (the *_obj and *_refs functions, kr_list_extend, kr_list_copy, kr_list_retain), and the list drops
 * them when it is cleared or when the per-call heap is released. The layout is one constant (KR_ITEMS): the item's
 * size in bytes in the low 15 bits, then where its `kr_obj *` fields are (NULL allowed: None in a `str | None`
 * field). An item up to 192 bytes has one bit per 4-byte word, so its references may be anywhere; a bigger one
 * (bit 15 set: a record of model weights holding a dict) names the offset of each of at most 3 references, one in
 * each 16-bit lane. KR_ITEM_REF_IN(size, offset, k) is the k-th reference; a layout it cannot say fails to build. */
typedef struct { int64_t len, cap; void *data; int64_t objs; int64_t small; } kr_list; /* small: data is cut from the call's arena (kr_list_reserve), this many bytes */
#define KR_ITEMS(size) (((int64_t)(size) | ((size) > 192 ? 0x8000 : 0)) + 0 * (int64_t)sizeof(char[(size) < 0x8000 ? 1 : -1]))
#define KR_ITEM_REF_IN(size, offset, k) ((size) > 192 \
  ? ((int64_t)((offset) + 1) << (16 + 16 * (k))) + 0 * (int64_t)sizeof(char[(k) < 3 ? 1 : -1]) \
  : ((int64_t)1 << (16 + (offset) / 4)))
#define KR_ITEM_SIZE(objs) ((size_t)((objs) & 0x7fff))
/* A list whose items are single object references (list[str], list[Node]). */
#define KR_OBJ_ITEMS (KR_ITEMS(sizeof(kr_obj *)) | KR_ITEM_REF_IN(sizeof(kr_obj *), 0, 0))
/* Calls `op` (kr_incref or kr_decref) on each object reference in items [from, from + n) of a list of layout `objs`. */
static void kr_items_each(const void *data, int64_t objs, int64_t from, int64_t n, void (*op)(void *)) {
  size_t size = KR_ITEM_SIZE(objs);
  uint64_t refs = (uint64_t)objs >> 16;
  for (int64_t k = from; k < from + n; k++) {
    const char *item = (const char *)data + (size_t)k * size;
    if (objs & 0x8000) {
      for (int lane = 0; lane < 3; lane++) {
        size_t at = (size_t)((refs >> (16 * lane)) & 0xffff);
        if (at) op(*(void *const *)(item + at - 1));
      }
      continue;
    }
    for (uint64_t r = refs; r; r &= r - 1) {
      int w = 0;
      while (!((r >> w) & 1)) w++;
      op(*(void *const *)(item + 4 * w));
    }
  }
}
static void kr_items_incref(void *o) { kr_incref(o); }
static void kr_items_decref(void *o) { kr_decref(o); }

#define KR_HEAP_INLINE 8
struct kr_heap_state {
  kr_block *blocks; /* NULL, `first`, or a malloc'd array once a call has more than KR_HEAP_INLINE blocks */
  int64_t n, cap;
  kr_list **lists;
  int64_t nl, capl;
  kr_obj **objs; /* objects the call owns a reference to (cells), released with the heap */
  int64_t no, capo;
  kr_list *slab;  /* list headers are cut from slabs of KR_LIST_SLAB (blocks of the heap): one malloc per slab, not per list */
  int64_t slab_left;
  char *arena;    /* small list buffers (up to KR_LIST_SMALL bytes) are cut from arenas of KR_LIST_ARENA bytes (blocks of the heap) */
  size_t arena_left;
  kr_list **spare; /* headers of lists freed before the call returns (kr_list_free), reused by kr_list_new */
  int64_t nspare, capspare;
  void *small_free[8]; /* arena buffers given back (a small list that grew, or was freed), by size class of 16 bytes */
  /* The first blocks of a call are listed here, in the thread's own storage: a call that makes a few arrays (a
     ufunc on 10 items: its result) pays no malloc and free for the list itself, and nothing outlives the call. */
  kr_block first[KR_HEAP_INLINE];
};
#define KR_LIST_SLAB 256
#define KR_LIST_SMALL 128
#define KR_LIST_ARENA 65536
KR_STATE KILN_TLS struct kr_heap_state kr_heap;

static KILN_COLD int kr_raise_memory(void) { return kr_raise(KILN_MemoryError, ""); }

/* NumPy's messages that carry numbers, built in kr_err.buffer (NumPy 1.24's wording; -1 in a shape reads newaxis). */
static KILN_COLD const char *kr_msg_mask(int k, int64_t dim, int64_t mask_dim) {
  snprintf(kr_err.buffer, sizeof kr_err.buffer, "boolean index did not match indexed array along dimension %d; dimension is %lld but corresponding boolean dimension is %lld",
    k, (long long)dim, (long long)mask_dim);
  return kr_err.buffer;
}
/* "not enough values to unpack (expected [at least ]N, got M)" (unpacking a list, an array or a range). */
static KILN_COLD const char *kr_msg_unpack(int64_t expected, int64_t got, int at_least) {
  snprintf(kr_err.buffer, sizeof kr_err.buffer, "not enough values to unpack (expected %s%lld, got %lld)", at_least ? "at least " : "", (long long)expected, (long long)got);
  return kr_err.buffer;
}
static KILN_COLD const char *kr_msg_reshape(int64_t size, const int64_t *shape, int nd) {
  char *b = kr_err.buffer;
  int cap = (int)sizeof kr_err.buffer, n = snprintf(b, cap, "cannot reshape array of size %lld into shape (", (long long)size);
  for (int k = 0; k < nd && n < cap; k++)
    n += shape[k] < 0 ? snprintf(b + n, cap - n, "%snewaxis", k ? "," : "") : snprintf(b + n, cap - n, "%s%lld", k ? "," : "", (long long)shape[k]);
  if (n < cap) snprintf(b + n, cap - n, nd == 1 ? ",)" : ")");
  return b;
}

static int kr_heap_push(void ***arr, int64_t *n, int64_t *cap, void *p) {
  if (*n == *cap) {
    int64_t nc = *cap ? *cap * 2 : 64;
    void **grown = (void **)realloc(*arr, (size_t)nc * sizeof(void *));
    if (!grown) return -1;
    *arr = grown;
    *cap = nc;
  }
  (*arr)[(*n)++] = p;
  return 0;
}

/* Room for one more block in the heap's list: the inline array first, then a malloc'd one doubling. 0, or -1. */
static int kr_heap_room(void) {
  if (kr_heap.n < kr_heap.cap) return 0;
  if (!kr_heap.blocks) { kr_heap.blocks = kr_heap.first; kr_heap.cap = KR_HEAP_INLINE; return 0; }
  int64_t nc = kr_heap.cap < 64 ? 64 : kr_heap.cap * 2;
  kr_block *grown = (kr_block *)(kr_heap.blocks == kr_heap.first ? malloc((size_t)nc * sizeof(kr_block)) : realloc(kr_heap.blocks, (size_t)nc * sizeof(kr_block)));
  if (KILN_UNLIKELY(!grown)) return -1;
  if (kr_heap.blocks == kr_heap.first) memcpy(grown, kr_heap.first, (size_t)kr_heap.n * sizeof(kr_block));
  kr_heap.blocks = grown;
  kr_heap.cap = nc;
  return 0;
}

/* `bytes` of memory that lives until the exported call returns; NULL (MemoryError raised) on failure. */
static void *kr_alloc(size_t bytes, int zero) {
  kr_block b = kr_block_get(bytes, zero);
  if (KILN_UNLIKELY(!b.p)) { kr_raise_memory(); return NULL; }
  if (KILN_UNLIKELY(kr_heap_room())) { kr_block_put(b); kr_raise_memory(); return NULL; }
  kr_heap.blocks[kr_heap.n++] = b;
  return b.p;
}

/* The objects and lists of a call (kr_heap_release): released before its blocks, which may hold them. */
static KILN_COLD void kr_heap_release_objects(void) {
  for (int64_t i = 0; i < kr_heap.no; i++) kr_decref(kr_heap.objs[i]);
  free(kr_heap.objs);
  for (int64_t i = 0; i < kr_heap.nl; i++) {
    kr_list *l = kr_heap.lists[i];
    void *data = l->data;
    int64_t objs = l->objs, len = l->len, small = l->small;
    /* emptied first: an instance its items free may free a list its field owns (kr_list_field_free), this one too */
    l->data = NULL; l->len = l->cap = l->objs = l->small = 0;
    if (objs) kr_items_each(data, objs, 0, len, kr_items_decref);
    if (!small && data) free(data); /* a list freed before the call returned (kr_list_free) holds nothing */
  }
  free(kr_heap.lists);
  free(kr_heap.spare);
}
/* Frees everything the current call allocated. Called by every exported wrapper before it returns. */
static void kr_heap_release(void) {
  struct kr_heap_state *h = &kr_heap; /* one look-up of the thread's storage (a call into the loader in a shared library) */
  if (h->objs || h->lists || h->spare) kr_heap_release_objects();
  for (int64_t i = 0; i < h->n; i++) kr_block_put(h->blocks[i]);
  if (h->blocks != h->first) free(h->blocks);
  memset(h, 0, offsetof(struct kr_heap_state, first)); /* the inline blocks are dead with n = 0 */
}

/* ---- cells: a variable that closures share by reference and that outlives its function ----
 * When a function returns a closure that shares one of its variables (`nonlocal`, or a variable assigned after the
 * def), the variable lives in a cell: an object of the object model (kiln_object.h: a variable-size object, count
 * 1) whose reference the call's heap owns, so it is released when the exported call returns (a closure cannot
 * outlive the call: function values do not cross the C ABI). Returns the `size` bytes of storage, zeroed, or NULL
 * with MemoryError raised. */
static const kr_type kr_cell_type = { "cell", NULL, 0, 0, NULL, NULL, NULL };
static void *kr_cell_new(size_t size) {
  kr_obj *o = kr_varobj_new(&kr_cell_type, sizeof(kr_varobj) + size);
  if (!o) return NULL;
  if (KILN_UNLIKELY(kr_heap_push((void ***)&kr_heap.objs, &kr_heap.no, &kr_heap.capo, o))) { kr_decref(o); kr_raise_memory(); return NULL; }
  return (char *)o + sizeof(kr_varobj);
}

/* ---- lists: a header {len, cap, data}; items are the C type of the Python item type ---- */
/* Whether n items of esize bytes can be asked of malloc: a byte count past SIZE_MAX (2**32 on wasm32 and armv7)
   would wrap to a small block that the caller then overruns; MemoryError instead, as CPython raises. */
static inline int kr_fits_size(int64_t n, size_t esize) { return n >= 0 && (uint64_t)n <= (uint64_t)SIZE_MAX / (esize ? esize : 1); }

static kr_list *kr_list_new(int64_t len, size_t esize) {
  if (KILN_UNLIKELY(!kr_fits_size(len > 0 ? len : 0, esize))) { kr_raise_memory(); return NULL; }
  kr_list *l;
  if (kr_heap.nspare) l = kr_heap.spare[--kr_heap.nspare]; /* a freed list's header: the heap lists it already */
  else {
    if (KILN_UNLIKELY(!kr_heap.slab_left)) {
      kr_heap.slab = (kr_list *)kr_alloc(KR_LIST_SLAB * sizeof(kr_list), 0);
      if (!kr_heap.slab) return NULL;
      kr_heap.slab_left = KR_LIST_SLAB;
    }
    l = kr_heap.slab++;
    kr_heap.slab_left--;
    l->len = l->cap = 0; l->data = NULL; l->objs = 0; l->small = 0; /* the slab is not zeroed: each header is set here */
    if (KILN_UNLIKELY(kr_heap_push((void ***)&kr_heap.lists, &kr_heap.nl, &kr_heap.capl, l))) { kr_raise_memory(); return NULL; }
  }
  if (len > 0) {
    l->data = calloc((size_t)len, esize ? esize : 1);
    if (KILN_UNLIKELY(!l->data)) { kr_raise_memory(); return NULL; }
  }
  l->len = len;
  l->cap = len;
  return l;
}
/* An arena buffer of `size` bytes (a multiple of 16, up to KR_LIST_SMALL) no list uses any more: the next small list
 * of that size takes it. */
static inline void kr_small_put(void *p, int64_t size) {
  void **head = &kr_heap.small_free[size / 16 - 1];
  *(void **)p = *head;
  *head = p;
}
/* Frees a list before the call returns, where the compiler proved that nothing else refers to it (opt/listFrees.ts):
 * its items' references are dropped, its buffer freed, and its header kept for the next kr_list_new (the heap still
 * lists it, empty). `depth` 1: its items are lists nothing else refers to either, freed with it. NULL: nothing. */
static void kr_list_free(kr_list *l, int depth) {
  if (!l) return;
  if (depth > 0) for (int64_t i = 0; i < l->len; i++) kr_list_free(((kr_list **)l->data)[i], depth - 1);
  else if (l->objs) kr_items_each(l->data, l->objs, 0, l->len, kr_items_decref);
  if (l->small) kr_small_put(l->data, l->small); /* an arena buffer: the next small list of its size takes it */
  else free(l->data);
  l->data = NULL;
  l->len = l->cap = l->objs = l->small = 0;
#ifndef KR_NO_FREE_LISTS /* (the valgrind tests keep headers apart: a stale list reads NULL data, never another list) */
  (void)kr_heap_push((void ***)&kr_heap.spare, &kr_heap.nspare, &kr_heap.capspare, l); /* no room: the header waits for the call's end */
#endif
}
/* The list a field that owns its list holds (opt/listFields.ts), freed with its instance. An instance can die after its
 * call's heap is released (a cycle the collector frees when the outermost call returns, the instance of an exception
 * the next call drops): its lists went with the heap then, and the heap lists none. */
static inline void kr_list_field_free(kr_list *l) { if (l && kr_heap.nl) kr_list_free(l, 0); }
static int kr_list_reserve(kr_list *l, int64_t need, size_t esize) {
  if (need <= l->cap) return 0;
  /* 4, 8, then 1.5x: a short list (an adjacency list of a few items) grows at most once */
  int64_t nc = l->cap < 4 ? 4 : l->cap < 8 ? 8 : l->cap + (l->cap >> 1);
  if (nc < need) nc = need;
  if (KILN_UNLIKELY(!kr_fits_size(nc, esize))) return kr_raise_memory();
  size_t bytes = (size_t)nc * (esize ? esize : 1);
  void *grown;
  if ((!l->data || l->small) && bytes <= KR_LIST_SMALL) {
    /* A list that starts empty and stays small (the 100,000 adjacency lists of a graph) takes its buffer from the
       call's arena: no malloc, realloc and free per list (bench/kernels/graph_search.py; docs/design/dicts.md). */
    size_t take = (bytes + 15) & ~(size_t)15;
    void **reuse = &kr_heap.small_free[take / 16 - 1];
    if (*reuse) {
      grown = *reuse;
      *reuse = *(void **)grown;
    } else {
      if (kr_heap.arena_left < take) {
        char *a = (char *)kr_alloc(KR_LIST_ARENA, 0);
        if (KILN_UNLIKELY(!a)) return -1;
        kr_heap.arena = a;
        kr_heap.arena_left = KR_LIST_ARENA;
      }
      grown = kr_heap.arena;
      kr_heap.arena += take;
      kr_heap.arena_left -= take;
    }
    if (l->len) memcpy(grown, l->data, (size_t)l->len * esize);
    if (l->small) kr_small_put(l->data, l->small);
    l->small = (int64_t)take;
  } else if (l->small) {
    grown = malloc(bytes);
    if (KILN_UNLIKELY(!grown)) return kr_raise_memory();
    if (l->len) memcpy(grown, l->data, (size_t)l->len * esize);
    kr_small_put(l->data, l->small);
    l->small = 0;
  } else {
    grown = realloc(l->data, bytes);
    if (KILN_UNLIKELY(!grown)) return kr_raise_memory();
  }
  l->data = grown;
  l->cap = nc;
  return 0;
}
static inline int kr_list_append(kr_list *l, const void *item, size_t esize) {
  if (KILN_UNLIKELY(l->len == l->cap) && kr_list_reserve(l, l->len + 1, esize)) return -1;
  memcpy((char *)l->data + (size_t)l->len * esize, item, esize);
  l->len++;
  return 0;
}
static int kr_list_insert(kr_list *l, int64_t i, const void *item, size_t esize) {
  if (i < 0) { i += l->len; if (i < 0) i = 0; }
  if (i > l->len) i = l->len;
  if (kr_list_reserve(l, l->len + 1, esize)) return -1;
  char *d = (char *)l->data;
  memmove(d + (size_t)(i + 1) * esize, d + (size_t)i * esize, (size_t)(l->len - i) * esize);
  memcpy(d + (size_t)i * esize, item, esize);
  l->len++;
  return 0;
}
static int kr_list_extend(kr_list *l, const kr_list *other, size_t esize) {
  int64_t n = other->len;
  if (kr_list_reserve(l, l->len + n, esize)) return -1;
  memmove((char *)l->data + (size_t)l->len * esize, other->data, (size_t)n * esize);
  if (other->objs) {
    l->objs = other->objs;
    kr_items_each(l->data, l->objs, l->len, n, kr_items_incref);
  }
  l->len += n;
  return 0;
}
/* list.pop(i): removes item i (negative from the end) into *out. */
static int kr_list_pop(kr_list *l, int64_t i, void *out, size_t esize) {
  if (KILN_UNLIKELY(l->len == 0)) return kr_raise(KILN_IndexError, "pop from empty list");
  if (i < 0) i += l->len;
  if (KILN_UNLIKELY(i < 0 || i >= l->len)) return kr_raise(KILN_IndexError, "pop index out of range");
  char *d = (char *)l->data;
  memcpy(out, d + (size_t)i * esize, esize);
  memmove(d + (size_t)i * esize, d + (size_t)(i + 1) * esize, (size_t)(l->len - i - 1) * esize);
  l->len--;
  return 0;
}
static kr_list *kr_list_copy(const kr_list *src, size_t esize) {
  kr_list *l = kr_list_new(src->len, esize);
  if (l && src->len) memcpy(l->data, src->data, (size_t)src->len * esize);
  if (l && src->objs) {
    l->objs = src->objs;
    kr_items_each(l->data, l->objs, 0, l->len, kr_items_incref);
  }
  return l;
}

/* lst.index(x) when x is absent: ValueError "<repr(x)> is not in list", as CPython. `np` names x's NumPy scalar
 * type when it is one (NumPy 2's repr: np.int64(3), np.float64(2.5)), else NULL (a Python int or float). */
static KILN_COLD int kr_raise_not_in_list_i64(int64_t x, const char *np) {
  if (np) snprintf(kr_err.buffer, sizeof kr_err.buffer, "np.%s(%lld) is not in list", np, (long long)x);
  else snprintf(kr_err.buffer, sizeof kr_err.buffer, "%lld is not in list", (long long)x);
  return kr_raise(KILN_ValueError, kr_err.buffer);
}
static KILN_COLD int kr_raise_not_in_list_u64(uint64_t x, const char *np) {
  snprintf(kr_err.buffer, sizeof kr_err.buffer, "np.%s(%llu) is not in list", np, (unsigned long long)x);
  return kr_raise(KILN_ValueError, kr_err.buffer);
}
static KILN_COLD int kr_raise_not_in_list_f64(double x, const char *np) {
  char r[32];
  kr_format_float_repr(x, r);
  if (np) snprintf(kr_err.buffer, sizeof kr_err.buffer, "np.%s(%s) is not in list", np, r);
  else snprintf(kr_err.buffer, sizeof kr_err.buffer, "%s is not in list", r);
  return kr_raise(KILN_ValueError, kr_err.buffer);
}
/* ---- lists of objects (list[str]): each item is an owned reference ---- */
/* A new list of n object items, all NULL until the caller stores new references into data. */
static kr_list *kr_list_new_objs(int64_t n) {
  kr_list *l = kr_list_new(n, sizeof(kr_obj *));
  if (l) l->objs = KR_OBJ_ITEMS;
  return l;
}
/* lst.append(item): the list takes its own reference (item is borrowed). */
static inline int kr_list_append_obj(kr_list *l, void *item) {
  if (KILN_UNLIKELY(l->len == l->cap) && kr_list_reserve(l, l->len + 1, sizeof(kr_obj *))) return -1;
  kr_incref(item);
  ((kr_obj **)l->data)[l->len++] = (kr_obj *)item;
  l->objs = KR_OBJ_ITEMS;
  return 0;
}
static int kr_list_insert_obj(kr_list *l, int64_t i, void *item) {
  if (kr_list_insert(l, i, &item, sizeof(kr_obj *))) return -1;
  kr_incref(item);
  l->objs = KR_OBJ_ITEMS;
  return 0;
}
/* lst[k] = item (k in range): the new reference is taken before the old one is dropped. */
static inline void kr_list_set_obj(kr_list *l, int64_t k, void *item) {
  kr_obj **slot = &((kr_obj **)l->data)[k];
  kr_assign(slot, (kr_obj *)item);
}
/* Takes the references of the n items from `from` on, items of layout `objs` (items copied in by memcpy: slices,
 * repetition, items read out of another container). */
static void kr_list_retain(kr_list *l, int64_t from, int64_t n, int64_t objs) {
  l->objs = objs;
  kr_items_each(l->data, objs, from, n, kr_items_incref);
}
/* A fixed tuple kept where a tuple[T, ...] is (`return ()` beside `return tuple(xs)`): a new list of its n items
 * (objs: their layout when they hold references, 0 for numbers); NULL with MemoryError set. */
static KR_UNUSED kr_list *kr_list_of(int64_t n, size_t esize, const void *items, int64_t objs) {
  kr_list *l = kr_list_new(n, esize);
  if (!l) return NULL;
  if (n) memcpy(l->data, items, (size_t)n * esize);
  if (objs) kr_list_retain(l, 0, n, objs);
  return l;
}
/* a + b: one new list of both lengths (one allocation, not a copy that the second list then grows). */
static kr_list *kr_list_concat(const kr_list *a, const kr_list *b, size_t esize) {
  if (KILN_UNLIKELY(a->len > INT64_MAX - b->len)) { kr_raise_memory(); return NULL; }
  kr_list *l = kr_list_new(a->len + b->len, esize);
  if (!l) return NULL;
  if (a->len) memcpy(l->data, a->data, (size_t)a->len * esize);
  if (b->len) memcpy((char *)l->data + (size_t)a->len * esize, b->data, (size_t)b->len * esize);
  int64_t objs = a->objs ? a->objs : b->objs;
  if (objs) kr_list_retain(l, 0, l->len, objs);
  return l;
}
/* lst.append(item) of an item of layout `objs` that holds references (a tuple holding a str): the list takes its own. */
static inline int kr_list_append_refs(kr_list *l, const void *item, int64_t objs) {
  size_t esize = KR_ITEM_SIZE(objs);
  if (KILN_UNLIKELY(l->len == l->cap) && kr_list_reserve(l, l->len + 1, esize)) return -1;
  memcpy((char *)l->data + (size_t)l->len * esize, item, esize);
  l->objs = objs;
  kr_items_each(l->data, objs, l->len, 1, kr_items_incref);
  l->len++;
  return 0;
}
static int kr_list_insert_refs(kr_list *l, int64_t i, const void *item, int64_t objs) {
  size_t esize = KR_ITEM_SIZE(objs);
  if (kr_list_insert(l, i, item, esize)) return -1;
  l->objs = objs;
  kr_items_each(item, objs, 0, 1, kr_items_incref);
  return 0;
}
/* lst[k] = item (k in range) for items of layout `objs`: the new references are taken before the old ones are dropped. */
static void kr_list_set_refs(kr_list *l, int64_t k, const void *item, int64_t objs) {
  size_t esize = KR_ITEM_SIZE(objs);
  kr_items_each(item, objs, 0, 1, kr_items_incref);
  kr_items_each(l->data, objs, k, 1, kr_items_decref);
  memcpy((char *)l->data + (size_t)k * esize, item, esize);
}
/* lst.clear(): drops the items' references. */
static void kr_list_clear(kr_list *l) {
  int64_t n = l->len;
  l->len = 0;
  if (l->objs) kr_items_each(l->data, l->objs, 0, n, kr_items_decref);
}

/* ---- indices and slices ---- */
static KILN_COLD int kr_raise_axis_index(int64_t i, int axis, int64_t n) {
  snprintf(kr_err.buffer, sizeof kr_err.buffer, "index %lld is out of bounds for axis %d with size %lld", (long long)i, axis, (long long)n);
  return kr_raise(KILN_IndexError, kr_err.buffer);
}
/* Python's/NumPy's index rule: negative counts from the end; out of range raises IndexError. An index in range
 * is one unsigned test. */
static inline int kr_array_index(int64_t i, int64_t n, int axis, int64_t *out) {
  if (KILN_LIKELY((uint64_t)i < (uint64_t)n)) { *out = i; return 0; }
  if (i < 0 && i + n >= 0) { *out = i + n; return 0; }
  return kr_raise_axis_index(i, axis, n);
}
static inline int kr_list_index(int64_t i, int64_t n, const char *msg, int64_t *out) {
  if (KILN_LIKELY((uint64_t)i < (uint64_t)n)) { *out = i; return 0; }
  if (i < 0 && i + n >= 0) { *out = i + n; return 0; }
  return kr_raise(KILN_IndexError, msg);
}

typedef struct { int64_t start, stop, step; int has_start, has_stop; } kr_slice;

/* PySlice_AdjustIndices: the first index, the step and the number of items selected from `len` items. */
static inline int kr_slice_adjust(kr_slice s, int64_t len, int64_t *start, int64_t *step, int64_t *count) {
  int64_t st = s.step;
  if (KILN_UNLIKELY(st == 0)) return kr_raise(KILN_ValueError, "slice step cannot be zero");
  int64_t a, b;
  if (!s.has_start) a = st < 0 ? len - 1 : 0;
  else {
    a = s.start;
    if (a < 0) { a += len; if (a < 0) a = st < 0 ? -1 : 0; }
    else if (a >= len) a = st < 0 ? len - 1 : len;
  }
  if (!s.has_stop) b = st < 0 ? -1 : len;
  else {
    b = s.stop;
    if (b < 0) { b += len; if (b < 0) b = st < 0 ? -1 : 0; }
    else if (b >= len) b = st < 0 ? len - 1 : len;
  }
  int64_t n = 0;
  if (st < 0) { if (b < a) n = (a - b - 1) / (-st) + 1; }
  else if (a < b) n = (b - a - 1) / st + 1;
  *start = a;
  *step = st;
  *count = n;
  return 0;
}

/* del lst[i]: IndexError "list assignment index out of range" as CPython; the item's references are dropped. */
static int kr_list_delitem(kr_list *l, int64_t i, size_t esize) {
  int64_t k;
  if (kr_list_index(i, l->len, "list assignment index out of range", &k)) return -1;
  if (l->objs) kr_items_each(l->data, l->objs, k, 1, kr_items_decref);
  char *d = (char *)l->data;
  memmove(d + (size_t)k * esize, d + (size_t)(k + 1) * esize, (size_t)(l->len - k - 1) * esize);
  l->len--;
  return 0;
}
/* del lst[a:b:c]: the selected items leave (their references dropped), the rest close up in order. */
static int kr_list_delslice(kr_list *l, kr_slice s, size_t esize) {
  int64_t start, step, n;
  if (kr_slice_adjust(s, l->len, &start, &step, &n)) return -1;
  if (n == 0) return 0;
  if (step < 0) { start += (n - 1) * step; step = -step; } /* the same items, walked forwards */
  char *d = (char *)l->data;
  int64_t w = start;
  for (int64_t r = start, j = 0; r < l->len; r++) {
    if (j < n && r == start + j * step) {
      if (l->objs) kr_items_each(l->data, l->objs, r, 1, kr_items_decref);
      j++;
      continue;
    }
    if (w != r) memcpy(d + (size_t)w * esize, d + (size_t)r * esize, esize);
    w++;
  }
  l->len = w;
  return 0;
}

/* lst[a:b:c] = v, as CPython's list_ass_subscript: a step of 1 replaces the selected run by v's items (the list grows
 * or shrinks; a[5:2] = v inserts at 5), any other step needs as many items as it selects (ValueError otherwise).
 * `objs` is the items' layout when they hold references (0 otherwise): v's items are retained, the replaced ones
 * released after the list holds its new items. v may be l itself (xs[1:3] = xs): its items are copied first. */
static int kr_list_setslice(kr_list *l, kr_slice s, const kr_list *v, size_t esize, int64_t objs) {
  int64_t start, step, n;
  if (kr_slice_adjust(s, l->len, &start, &step, &n)) return -1;
  int64_t m = v->len;
  if (step != 1 && m != n) {
    snprintf(kr_err.buffer, sizeof kr_err.buffer, "attempt to assign sequence of size %lld to extended slice of size %lld", (long long)m, (long long)n);
    return kr_raise(KILN_ValueError, kr_err.buffer);
  }
  const char *src = (const char *)v->data;
  void *copy = NULL;
  if (v == l && m) {
    if (KILN_UNLIKELY(!kr_fits_size(m, esize) || !(copy = malloc((size_t)m * esize)))) return kr_raise_memory();
    memcpy(copy, src, (size_t)m * esize);
    src = (const char *)copy;
  }
  void *old = NULL; /* the replaced items, released once the list holds the new ones */
  if (objs && n) {
    if (KILN_UNLIKELY(!(old = malloc((size_t)n * esize)))) { free(copy); return kr_raise_memory(); }
  }
  if (step == 1 && m > n && kr_list_reserve(l, l->len + (m - n), esize)) { free(copy); free(old); return -1; }
  char *d = (char *)l->data;
  if (step == 1) {
    if (old) memcpy(old, d + (size_t)start * esize, (size_t)n * esize);
    if (m != n) memmove(d + (size_t)(start + m) * esize, d + (size_t)(start + n) * esize, (size_t)(l->len - start - n) * esize);
    if (m) memcpy(d + (size_t)start * esize, src, (size_t)m * esize);
    l->len += m - n;
  } else {
    for (int64_t k = 0; k < n; k++) {
      char *slot = d + (size_t)(start + k * step) * esize;
      if (old) memcpy((char *)old + (size_t)k * esize, slot, esize);
      memcpy(slot, src + (size_t)k * esize, esize);
    }
  }
  if (objs) {
    if (m) l->objs = objs; /* the list's layout, as a store of an item sets it */
    for (int64_t k = 0; k < m; k++) kr_items_each(l->data, objs, start + k * step, 1, kr_items_incref);
    if (old) kr_items_each(old, objs, 0, n, kr_items_decref);
  }
  free(copy);
  free(old);
  return 0;
}

/* ---- storing a value into an array of another dtype (NumPy 2) ----
 * a[i] = v, a[s] = v, a[m] = v, a.fill(v) with a Python int, a Python float (or, into a signed integer array, any
 * NumPy scalar): int(v), then NEP 50's bounds check. The checks return 0 or raise; the caller then casts. */
static KILN_COLD int kr_raise_int_bounds(int64_t v, const char *dtype) {
  snprintf(kr_err.buffer, sizeof kr_err.buffer, "Python integer %lld out of bounds for %s", (long long)v, dtype);
  return kr_raise(KILN_OverflowError, kr_err.buffer);
}
static KILN_COLD int kr_raise_c_long(void) { return kr_raise(KILN_OverflowError, "Python int too large to convert to C long"); }
/* An integer value v into a dtype holding [lo, hi]. */
static inline int kr_store_int_check(int64_t v, int64_t lo, int64_t hi, const char *dtype) {
  if (KILN_LIKELY(v >= lo && v <= hi)) return 0;
  return kr_raise_int_bounds(v, dtype);
}
/* A NumPy uint64 into a signed dtype holding [lo, hi]: int(v) beyond int64 does not fit a C long. */
static inline int kr_store_uint_check(uint64_t v, int64_t hi, const char *dtype) {
  if (KILN_LIKELY(v <= (uint64_t)hi)) return 0;
  if (v > (uint64_t)INT64_MAX) return kr_raise_c_long();
  return kr_raise_int_bounds((int64_t)v, dtype);
}
/* wide: 0 for dtypes NumPy converts through a C long, 1 for uint32 (through unsigned long long: a value past
 * int64 is reported), 2 for uint64 (a value below 2**64 fits). */
static KILN_COLD int kr_store_float_fail(double x, int64_t lo, int64_t hi, int wide, const char *dtype) {
  if (isnan(x)) return kr_raise(KILN_ValueError, "cannot convert float NaN to integer");
  if (isinf(x)) return kr_raise(KILN_OverflowError, "cannot convert float infinity to integer");
  double t = trunc(x);
  if (t >= -9223372036854775808.0 && t < 9223372036854775808.0) return kr_store_int_check((int64_t)t, lo, hi, dtype);
  if (wide && t > 0 && t < 18446744073709551616.0) {
    if (wide == 2) return 0;
    snprintf(kr_err.buffer, sizeof kr_err.buffer, "Python integer %llu out of bounds for %s", (unsigned long long)t, dtype);
    return kr_raise(KILN_OverflowError, kr_err.buffer);
  }
  return kr_raise_c_long();
}
/* int(x) into a dtype holding [lo, hi]; `above` = lo - 1 and `below` = hi + 1 as doubles: one test when it fits. */
static inline int kr_store_float_check(double x, double above, double below, int64_t lo, int64_t hi, int wide, const char *dtype) {
  if (KILN_LIKELY(x > above && x < below)) return 0;
  return kr_store_float_fail(x, lo, hi, wide, dtype);
}
/* NumPy's unsafe float -> integer casts (np.full's fill value, a NumPy float into an unsigned array), as NumPy
 * gives them on x86-64, where an out-of-range or NaN conversion yields the "integer indefinite" value: the same
 * result on every target, no undefined behaviour. Narrow dtypes convert through int32, uint32 through int64. */
static inline int32_t kr_cast_f64_i32(double x) { return x >= -2147483648.0 && x < 2147483648.0 ? (int32_t)x : INT32_MIN; }
/* int64: kr_f64_to_i64_raw (kiln_runtime.h). */
static inline uint64_t kr_cast_f64_u64(double x) {
  return x >= 9223372036854775808.0 ? (uint64_t)kr_f64_to_i64_raw(x - 9223372036854775808.0) ^ 0x8000000000000000ull
                                    : (uint64_t)kr_f64_to_i64_raw(x);
}

/* ---- broadcasting ---- */
/* A shape as NumPy prints it: (3,) for one dimension, (2,3) for more. */
static char *kr_format_shape(char *p, char *end, const int64_t *shape, int nd) {
  p += snprintf(p, (size_t)(end - p), "(");
  for (int i = 0; i < nd && p < end; i++) p += snprintf(p, (size_t)(end - p), i ? ",%lld" : "%lld", (long long)shape[i]);
  if (p < end) p += snprintf(p, (size_t)(end - p), nd == 1 ? ",)" : ")");
  return p < end ? p : end - 1;
}
static KILN_COLD int kr_raise_broadcast(const int64_t *a, int nda, const int64_t *b, int ndb) {
  char *p = kr_err.buffer, *end = kr_err.buffer + sizeof kr_err.buffer;
  p += snprintf(p, (size_t)(end - p), "operands could not be broadcast together with shapes ");
  p = kr_format_shape(p, end, a, nda);
  p += snprintf(p, (size_t)(end - p), " ");
  p = kr_format_shape(p, end, b, ndb);
  snprintf(p, (size_t)(end - p), " ");
  return kr_raise(KILN_ValueError, kr_err.buffer);
}

/* The broadcast shape of a (nda dims) and b (ndb dims), right-aligned, into out (max(nda, ndb) dims). */
static int kr_broadcast_shapes(const int64_t *a, int nda, const int64_t *b, int ndb, int64_t *out) {
  int nd = nda > ndb ? nda : ndb;
  for (int k = 0; k < nd; k++) {
    int ia = nda - nd + k, ib = ndb - nd + k;
    int64_t x = ia >= 0 ? a[ia] : 1, y = ib >= 0 ? b[ib] : 1;
    if (x == y || y == 1) out[k] = x;
    else if (x == 1) out[k] = y;
    else return kr_raise_broadcast(a, nda, b, ndb);
  }
  return 0;
}

/*
 * A 3-D iteration view: the element strides of an array of `nd` dims read as if broadcast to a shape
 * of `ond` dims, left-padded to three dimensions (stride 0 where a dimension is broadcast).
 */
static inline void kr_view3(const int64_t *shape, const int64_t *strides, int nd, int ond, int64_t st3[3]) {
  st3[0] = st3[1] = st3[2] = 0;
  for (int k = 0; k < nd; k++) {
    int slot = 3 - nd + k;
    (void)ond;
    st3[slot] = shape[k] == 1 ? 0 : strides[k];
  }
}
/* A 3-D view's axes reordered to its memory order (decreasing |stride|, the earlier axis first among equal ones),
   which is the order NumPy's iterator visits a whole array in (its K order) when it reduces it: a transposed view
   is then read in memory order. Negative strides keep their direction (NumPy would flip them). */
static inline void kr_view3_memory_order(int64_t s3[3], int64_t st3[3]) {
  for (int i = 1; i < 3; i++)
    for (int j = i; j > 0; j--) {
      int64_t a = st3[j - 1] < 0 ? -st3[j - 1] : st3[j - 1], b = st3[j] < 0 ? -st3[j] : st3[j];
      if (a >= b) break;
      int64_t t = st3[j]; st3[j] = st3[j - 1]; st3[j - 1] = t;
      t = s3[j]; s3[j] = s3[j - 1]; s3[j - 1] = t;
    }
}
static inline void kr_shape3(const int64_t *shape, int nd, int64_t s3[3]) {
  s3[0] = s3[1] = s3[2] = 1;
  for (int k = 0; k < nd; k++) s3[3 - nd + k] = shape[k];
}
static inline int64_t kr_size(const int64_t *shape, int nd) {
  int64_t n = 1;
  for (int k = 0; k < nd; k++) n *= shape[k];
  return n;
}
/* C-contiguous element strides of a shape. */
static inline void kr_c_strides(const int64_t *shape, int nd, int64_t *strides) {
  int64_t s = 1;
  for (int k = nd - 1; k >= 0; k--) { strides[k] = s; s *= shape[k] > 0 ? shape[k] : 1; }
}
static inline int kr_is_c_contiguous(const int64_t *shape, const int64_t *strides, int nd) {
  int64_t s = 1;
  for (int k = nd - 1; k >= 0; k--) {
    if (shape[k] != 1 && strides[k] != s) return 0;
    s *= shape[k];
  }
  return 1;
}
/* a.reshape(...) as NumPy: a view when the new shape can address the same memory (the same shape; any
 * C-contiguous array, with C strides; else NumPy's _attempt_nocopy_reshape: runs of old axes that are contiguous
 * among themselves regroup into new axes). Returns 1 with the view's strides, or 0: NumPy copies (C order). */
static int kr_reshape_view(const int64_t *oshape, const int64_t *ostrides, int ond, const int64_t *nshape, int nnd, int64_t *nstrides) {
  for (int k = nnd; k < 3; k++) nstrides[k] = 0;
  if (ond == nnd) {
    int same = 1;
    for (int k = 0; k < ond; k++) same &= oshape[k] == nshape[k];
    if (same) { for (int k = 0; k < ond; k++) nstrides[k] = ostrides[k]; return 1; }
  }
  if (kr_size(oshape, ond) == 0 || kr_is_c_contiguous(oshape, ostrides, ond)) { kr_c_strides(nshape, nnd, nstrides); return 1; }
  int64_t od[3], os[3];
  int on = 0;
  for (int k = 0; k < ond; k++) if (oshape[k] != 1) { od[on] = oshape[k]; os[on] = ostrides[k]; on++; }
  int oi = 0, oj = 1, ni = 0, nj = 1;
  while (ni < nnd && oi < on) {
    int64_t np_ = nshape[ni], op = od[oi];
    while (np_ != op) {
      if (np_ < op) np_ *= nshape[nj++];
      else op *= od[oj++];
    }
    for (int ok = oi; ok < oj - 1; ok++) if (os[ok] != od[ok + 1] * os[ok + 1]) return 0;
    nstrides[nj - 1] = os[oj - 1];
    for (int nk = nj - 1; nk > ni; nk--) nstrides[nk - 1] = nstrides[nk] * nshape[nk];
    ni = nj++;
    oi = oj++;
  }
  int64_t last = ni >= 1 ? nstrides[ni - 1] : 1;
  for (int nk = ni; nk < nnd; nk++) nstrides[nk] = last;
  return 1;
}
static KILN_COLD int kr_raise_shape(const char *msg) { return kr_raise(KILN_ValueError, msg); }

/*
 * NumPy's float sum (pairwise_sum in loops_utils.h): blocks of 8 partial sums up to 128 items, halves
 * above, starting from -0.0 below 8 items. np.sum of a 1-D array (contiguous or strided) or of a C-contiguous
 * array is 0.0 + the pairwise sum of all its items in one run: NumPy 2 (measured on 2.4.6; tests/runtime/sum.test.ts)
 * no longer cuts it into chunks of 8192, its buffer size, as NumPy 1.x did. A view that is neither is summed here in
 * C order in chunks of 8192 (NumPy 1.x's order; NumPy 2's iterator may add row by row instead).
 * The scalar loop with 8 accumulators runs at the speed of a vector version (the 8 chains are the bound) and of
 * np.sum itself.
 */
#define KILN_PAIRWISE(NAME, T) \
  static T kr_pairwise_##NAME(const T *a, int64_t n, int64_t stride) { \
    if (n < 8) { T res = (T)-0.0; for (int64_t i = 0; i < n; i++) res += a[i * stride]; return res; } \
    if (n <= 128) { \
      T r[8]; int64_t i; \
      for (int j = 0; j < 8; j++) r[j] = a[j * stride]; \
      for (i = 8; i < n - (n % 8); i += 8) for (int j = 0; j < 8; j++) r[j] += a[(i + j) * stride]; \
      T res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7])); \
      for (; i < n; i++) res += a[i * stride]; \
      return res; \
    } \
    int64_t n2 = n / 2; n2 -= n2 % 8; \
    return kr_pairwise_##NAME(a, n2, stride) + kr_pairwise_##NAME(a + n2 * stride, n - n2, stride); \
  } \
  /* sum of a 1-D run as np.sum (NumPy 2): 0 + the pairwise sum of the whole run */ \
  static T kr_sum1_##NAME(const T *a, int64_t n, int64_t stride) { \
    return (T)0 + kr_pairwise_##NAME(a, n, stride); \
  } \
  /* sum of n contiguous items as NumPy sums values it converts on the way (np.sum(a, dtype=), np.mean of ints): \
     its buffer's chunks of 8192, each 0 + pairwise, added in order (NumPy 1.x and 2, measured on 2.4.6) */ \
  static T kr_sum_chunked_##NAME(const T *a, int64_t n) { \
    T acc = (T)0; \
    for (int64_t i = 0; i < n; i += 8192) acc += kr_pairwise_##NAME(a + i, n - i < 8192 ? n - i : 8192, 1); \
    return acc; \
  } \
  /* sum of a whole 3-D view in C order, as np.sum(a) (buffered chunks of 8192) */ \
  static T kr_sum3_##NAME(const T *a, const int64_t s3[3], const int64_t st3[3]) { \
    int64_t total = s3[0] * s3[1] * s3[2]; \
    if (total == 0) return (T)0; \
    if ((s3[2] == 1 || st3[2] == 1) && (s3[1] == 1 || st3[1] == s3[2]) && (s3[0] == 1 || st3[0] == s3[1] * s3[2])) \
      return kr_sum1_##NAME(a, total, 1); /* C-contiguous (size-1 dimensions have stride 0 in a 3-D view) */ \
    if (s3[0] == 1 && s3[1] == 1) return kr_sum1_##NAME(a, total, st3[2]); \
    T buf[8192]; int64_t fill = 0; T acc = (T)0; \
    for (int64_t i = 0; i < s3[0]; i++) for (int64_t j = 0; j < s3[1]; j++) for (int64_t k = 0; k < s3[2]; k++) { \
      buf[fill++] = a[i * st3[0] + j * st3[1] + k * st3[2]]; \
      if (fill == 8192) { acc += kr_pairwise_##NAME(buf, fill, 1); fill = 0; } \
    } \
    if (fill) acc += kr_pairwise_##NAME(buf, fill, 1); \
    return acc; \
  }
KILN_PAIRWISE(f64, double)
KILN_PAIRWISE(f32, float)

/* A new C-contiguous array of `nd` dims: writes data, shape and strides; ValueError for a negative dimension. */
static int kr_array_alloc(void **data, int64_t *shape, int64_t *strides, const int64_t *src_shape, int nd, size_t esize, int zero) {
  int64_t dims[3], n = 1, nbytes = (int64_t)esize;
  int empty = 0;
  size_t bytes;
  for (int k = 0; k < nd; k++) {
    dims[k] = src_shape[k];
    if (KILN_UNLIKELY(dims[k] < 0)) return kr_raise(KILN_ValueError, "negative dimensions are not allowed");
    /* NumPy's check: the item size times every dimension, a zero one counted as 1 (so (2**61, 0) is refused too), must
       fit in an intp, else ValueError; checked without a division (a 64-bit one per dimension was a tenth of a call
       that makes a 10-item array). An allocation that fits but fails is MemoryError, as NumPy's. */
    if (KILN_UNLIKELY(dims[k] && __builtin_mul_overflow(nbytes, dims[k], &nbytes)))
      return kr_raise(KILN_ValueError, "array is too big; `arr.size * arr.dtype.itemsize` is larger than the maximum possible size.");
    if (!dims[k]) empty = 1;
    else n *= dims[k];
  }
  if (empty) n = 0;
  if (KILN_UNLIKELY((uint64_t)n > SIZE_MAX || __builtin_mul_overflow((size_t)n, esize, &bytes))) return kr_raise_memory();
  for (int k = 0; k < nd; k++) shape[k] = dims[k];
  for (int k = nd; k < 3; k++) { shape[k] = 1; strides[k] = 0; }
  kr_c_strides(shape, nd, strides);
  *data = kr_alloc(bytes, zero);
  return *data ? 0 : -1;
}

/*
 * np.minimum / np.maximum as NumPy computes them on x86-64, where its loops are SIMD (minpd/maxpd) at every size:
 * of two equal values the second, so np.maximum(-0.0, 0.0) is 0.0 and np.maximum(0.0, -0.0) is -0.0; NaN propagates
 * (the first NaN wins). NumPy's arm64 loops (FMAX) give 0.0 both ways: the sign of a zero result is NumPy's own CPU
 * dependence. np.max/np.min fold with these, in order; NumPy's reductions combine 8-lane blocks, so the sign of a zero
 * result can differ for lengths 8k + 1 mixing -0.0 and 0.0.
 */
/* The final `a == b ? b : r` states the tie's answer again: without it Zig 0.11's LLVM turns the select into an
 * fmax/fmin instruction on arm64 and wasm32 when one operand is the constant 0.0, and those give +0.0 for
 * np.maximum(0.0, -0.0) (tests/corpus/numpy_select_sort.py::signed_zero_extremes on those targets). */
static inline double kr_np_minimum_f(double a, double b) { double r = (a < b || a != a) ? a : b; return a == b ? b : r; }
static inline double kr_np_maximum_f(double a, double b) { double r = (a > b || a != a) ? a : b; return a == b ? b : r; }
/* np.clip(x, lo, hi) (floats): NaN in any of them gives NaN; a bound equal to x leaves x (np.clip(-0.0, 0.0, 1.0) is
 * -0.0; the last test keeps LLVM from making it an fmax, as above). */
static inline double kr_np_clip_f(double x, double lo, double hi) {
  double m = (x >= lo || x != x) ? x : lo;
  m = (m <= hi || m != m) ? m : hi;
  return m == x ? x : m;
}

/*
 * list.sort() as CPython 3.11 does it, for `n` items of type T compared with LESS(x, y) only (Python's `<`): the
 * same algorithm step for step (runs found by count_run, short runs extended to minrun by binary insertion, the
 * powersort merge policy, merges that gallop), so the same comparisons happen in the same order and even items
 * without a total order (NaN) end where CPython puts them. reverse=True reverses, sorts and reverses again (equal
 * items keep their order). Written from the algorithm's description (Objects/listsort.txt), not copied.
 * MemoryError when the merge buffer (n/2 items, for 64 items and more) cannot be had.
 * kr_sort_<NAME> below is it for numbers; lower/ and types/ops instantiate it for (key, item) pairs and keys.
 */
#define KILN_SORT_WITH(NAME, T, LESS) \
  static void kr_rev_##NAME(T *a, int64_t n) { for (int64_t i = 0, j = n - 1; i < j; i++, j--) { T t = a[i]; a[i] = a[j]; a[j] = t; } } \
  /* Insert a[start..hi) into the sorted a[lo..start), each by a binary search (equal items keep their order). */                       \
  static void kr_binsort_##NAME(T *a, int64_t lo, int64_t start, int64_t hi) {                                                          \
    if (lo == start) start++;                                                                                                           \
    for (; start < hi; start++) {                                                                                                       \
      int64_t l = lo, r = start; T pivot = a[start];                                                                                    \
      do { int64_t p = l + ((r - l) >> 1); if (LESS(pivot, a[p])) r = p; else l = p + 1; } while (l < r);                               \
      for (int64_t p = start; p > l; p--) a[p] = a[p - 1];                                                                              \
      a[l] = pivot;                                                                                                                     \
    }                                                                                                                                   \
  }                                                                                                                                     \
  /* The length of the run at a[0..n): ascending (a[i] >= a[i-1]) or strictly descending (then *desc = 1). */                           \
  static int64_t kr_run_##NAME(const T *a, int64_t n, int *desc) {                                                                      \
    *desc = 0;                                                                                                                          \
    if (n == 1) return 1;                                                                                                               \
    int64_t k = 2;                                                                                                                      \
    if (LESS(a[1], a[0])) { *desc = 1; while (k < n && LESS(a[k], a[k - 1])) k++; }                                                     \
    else { while (k < n && !LESS(a[k], a[k - 1])) k++; }                                                                                \
    return k;                                                                                                                           \
  }                                                                                                                                     \
  /* The first place in sorted a[0..n) where key goes before every equal item; the search starts at a[hint]. */                         \
  static int64_t kr_gallop_left_##NAME(T key, const T *a, int64_t n, int64_t hint) {                                                    \
    int64_t last = 0, ofs = 1;                                                                                                          \
    if (LESS(a[hint], key)) {                                                                                                           \
      int64_t maxofs = n - hint;                                                                                                        \
      while (ofs < maxofs && LESS(a[hint + ofs], key)) { last = ofs; ofs = (ofs << 1) + 1; }                                            \
      if (ofs > maxofs) ofs = maxofs;                                                                                                   \
      last += hint; ofs += hint;                                                                                                        \
    } else {                                                                                                                            \
      int64_t maxofs = hint + 1;                                                                                                        \
      while (ofs < maxofs && !LESS(a[hint - ofs], key)) { last = ofs; ofs = (ofs << 1) + 1; }                                           \
      if (ofs > maxofs) ofs = maxofs;                                                                                                   \
      int64_t k = last; last = hint - ofs; ofs = hint - k;                                                                              \
    }                                                                                                                                   \
    last++;                                                                                                                             \
    while (last < ofs) { int64_t m = last + ((ofs - last) >> 1); if (LESS(a[m], key)) last = m + 1; else ofs = m; }                     \
    return ofs;                                                                                                                         \
  }                                                                                                                                     \
  /* The first place in sorted a[0..n) where key goes after every equal item; the search starts at a[hint]. */                          \
  static int64_t kr_gallop_right_##NAME(T key, const T *a, int64_t n, int64_t hint) {                                                   \
    int64_t last = 0, ofs = 1;                                                                                                          \
    if (LESS(key, a[hint])) {                                                                                                           \
      int64_t maxofs = hint + 1;                                                                                                        \
      while (ofs < maxofs && LESS(key, a[hint - ofs])) { last = ofs; ofs = (ofs << 1) + 1; }                                            \
      if (ofs > maxofs) ofs = maxofs;                                                                                                   \
      int64_t k = last; last = hint - ofs; ofs = hint - k;                                                                              \
    } else {                                                                                                                            \
      int64_t maxofs = n - hint;                                                                                                        \
      while (ofs < maxofs && !LESS(key, a[hint + ofs])) { last = ofs; ofs = (ofs << 1) + 1; }                                           \
      if (ofs > maxofs) ofs = maxofs;                                                                                                   \
      last += hint; ofs += hint;                                                                                                        \
    }                                                                                                                                   \
    last++;                                                                                                                             \
    while (last < ofs) { int64_t m = last + ((ofs - last) >> 1); if (LESS(key, a[m])) ofs = m; else last = m + 1; }                     \
    return ofs;                                                                                                                         \
  }                                                                                                                                     \
  /* Merges the adjacent sorted runs a = pa[0..na), b = pb[0..nb) (pb == pa + na), na <= nb, from the left; tmp holds a. */             \
  static void kr_merge_lo_##NAME(T *pa, int64_t na, T *pb, int64_t nb, T *tmp, int64_t *min_gallop) {                                   \
    T *dest = pa, *a = tmp, *b = pb;                                                                                                    \
    memcpy(tmp, pa, (size_t)na * sizeof(T));                                                                                            \
    *dest++ = *b++;                                                                                                                     \
    if (--nb == 0) goto done;                                                                                                           \
    if (na == 1) goto copy_b;                                                                                                           \
    int64_t mg = *min_gallop;                                                                                                           \
    for (;;) {                                                                                                                          \
      int64_t acount = 0, bcount = 0;                                                                                                   \
      for (;;) {                                                                                                                        \
        if (LESS(b[0], a[0])) {                                                                                                         \
          *dest++ = *b++; bcount++; acount = 0;                                                                                         \
          if (--nb == 0) goto done;                                                                                                     \
          if (bcount >= mg) break;                                                                                                      \
        } else {                                                                                                                        \
          *dest++ = *a++; acount++; bcount = 0;                                                                                         \
          if (--na == 1) goto copy_b;                                                                                                   \
          if (acount >= mg) break;                                                                                                      \
        }                                                                                                                               \
      }                                                                                                                                 \
      mg++;                                                                                                                             \
      do {                                                                                                                              \
        mg -= mg > 1;                                                                                                                   \
        *min_gallop = mg;                                                                                                               \
        int64_t k = kr_gallop_right_##NAME(b[0], a, na, 0);                                                                             \
        acount = k;                                                                                                                     \
        if (k) {                                                                                                                        \
          memcpy(dest, a, (size_t)k * sizeof(T)); dest += k; a += k; na -= k;                                                           \
          if (na == 1) goto copy_b;                                                                                                     \
          if (na == 0) goto done;                                                                                                       \
        }                                                                                                                               \
        *dest++ = *b++;                                                                                                                 \
        if (--nb == 0) goto done;                                                                                                       \
        k = kr_gallop_left_##NAME(a[0], b, nb, 0);                                                                                      \
        bcount = k;                                                                                                                     \
        if (k) {                                                                                                                        \
          memmove(dest, b, (size_t)k * sizeof(T)); dest += k; b += k; nb -= k;                                                          \
          if (nb == 0) goto done;                                                                                                       \
        }                                                                                                                               \
        *dest++ = *a++;                                                                                                                 \
        if (--na == 1) goto copy_b;                                                                                                     \
      } while (acount >= 7 || bcount >= 7);                                                                                             \
      mg++;                                                                                                                             \
      *min_gallop = mg;                                                                                                                 \
    }                                                                                                                                   \
  done:                                                                                                                                 \
    if (na) memcpy(dest, a, (size_t)na * sizeof(T));                                                                                    \
    return;                                                                                                                             \
  copy_b:                                                                                                                               \
    memmove(dest, b, (size_t)nb * sizeof(T));                                                                                           \
    dest[nb] = a[0];                                                                                                                    \
  }                                                                                                                                     \
  /* The same from the right, na > nb; tmp holds b. */                                                                                  \
  static void kr_merge_hi_##NAME(T *pa, int64_t na, T *pb, int64_t nb, T *tmp, int64_t *min_gallop) {                                   \
    T *basea = pa;                                                                                                                      \
    T *dest = pb + nb - 1;                                                                                                              \
    memcpy(tmp, pb, (size_t)nb * sizeof(T));                                                                                            \
    T *baseb = tmp, *b = tmp + nb - 1, *a = pa + na - 1;                                                                                \
    *dest-- = *a--;                                                                                                                     \
    if (--na == 0) goto done;                                                                                                           \
    if (nb == 1) goto copy_a;                                                                                                           \
    int64_t mg = *min_gallop;                                                                                                           \
    for (;;) {                                                                                                                          \
      int64_t acount = 0, bcount = 0;                                                                                                   \
      for (;;) {                                                                                                                        \
        if (LESS(b[0], a[0])) {                                                                                                         \
          *dest-- = *a--; acount++; bcount = 0;                                                                                         \
          if (--na == 0) goto done;                                                                                                     \
          if (acount >= mg) break;                                                                                                      \
        } else {                                                                                                                        \
          *dest-- = *b--; bcount++; acount = 0;                                                                                         \
          if (--nb == 1) goto copy_a;                                                                                                   \
          if (bcount >= mg) break;                                                                                                      \
        }                                                                                                                               \
      }                                                                                                                                 \
      mg++;                                                                                                                             \
      do {                                                                                                                              \
        mg -= mg > 1;                                                                                                                   \
        *min_gallop = mg;                                                                                                               \
        int64_t k = na - kr_gallop_right_##NAME(b[0], basea, na, na - 1);                                                               \
        acount = k;                                                                                                                     \
        if (k) {                                                                                                                        \
          dest -= k; a -= k;                                                                                                            \
          memmove(dest + 1, a + 1, (size_t)k * sizeof(T));                                                                              \
          na -= k;                                                                                                                      \
          if (na == 0) goto done;                                                                                                       \
        }                                                                                                                               \
        *dest-- = *b--;                                                                                                                 \
        if (--nb == 1) goto copy_a;                                                                                                     \
        k = nb - kr_gallop_left_##NAME(a[0], baseb, nb, nb - 1);                                                                        \
        bcount = k;                                                                                                                     \
        if (k) {                                                                                                                        \
          dest -= k; b -= k;                                                                                                            \
          memcpy(dest + 1, b + 1, (size_t)k * sizeof(T));                                                                               \
          nb -= k;                                                                                                                      \
          if (nb == 1) goto copy_a;                                                                                                     \
          if (nb == 0) goto done;                                                                                                       \
        }                                                                                                                               \
        *dest-- = *a--;                                                                                                                 \
        if (--na == 0) goto done;                                                                                                       \
      } while (acount >= 7 || bcount >= 7);                                                                                             \
      mg++;                                                                                                                             \
      *min_gallop = mg;                                                                                                                 \
    }                                                                                                                                   \
  done:                                                                                                                                 \
    if (nb) memcpy(dest - (nb - 1), baseb, (size_t)nb * sizeof(T));                                                                     \
    return;                                                                                                                             \
  copy_a:                                                                                                                               \
    memmove(dest + 1 - na, a + 1 - na, (size_t)na * sizeof(T));                                                                         \
    dest -= na; a -= na;                                                                                                                \
    dest[0] = b[0];                                                                                                                     \
  }                                                                                                                                     \
  /* Merges the pending runs i and i + 1 (CPython's merge_at). */                                                                       \
  static void kr_merge_at_##NAME(T *base, int64_t (*run)[2], int64_t *nrun, int64_t i, T *tmp, int64_t *min_gallop) {                   \
    T *pa = base + run[i][0], *pb = base + run[i + 1][0];                                                                               \
    int64_t na = run[i][1], nb = run[i + 1][1];                                                                                         \
    run[i][1] = na + nb;                                                                                                                \
    if (i == *nrun - 3) { run[i + 1][0] = run[i + 2][0]; run[i + 1][1] = run[i + 2][1]; }                                               \
    (*nrun)--;                                                                                                                          \
    int64_t k = kr_gallop_right_##NAME(pb[0], pa, na, 0);                                                                               \
    pa += k; na -= k;                                                                                                                   \
    if (na == 0) return;                                                                                                                \
    nb = kr_gallop_left_##NAME(pa[na - 1], pb, nb, nb - 1);                                                                             \
    if (nb <= 0) return;                                                                                                                \
    if (na <= nb) kr_merge_lo_##NAME(pa, na, pb, nb, tmp, min_gallop);                                                                  \
    else kr_merge_hi_##NAME(pa, na, pb, nb, tmp, min_gallop);                                                                           \
  }                                                                                                                                     \
  /* The powersort "power" of the boundary between runs [s1, s1 + n1) and [s1 + n1, s1 + n1 + n2) of n items. */                        \
  static int kr_power_##NAME(int64_t s1, int64_t n1, int64_t n2, int64_t n) {                                                           \
    int result = 0;                                                                                                                     \
    int64_t a = 2 * s1 + n1, b = a + n1 + n2;                                                                                           \
    for (;;) {                                                                                                                          \
      ++result;                                                                                                                         \
      if (a >= n) { a -= n; b -= n; }                                                                                                   \
      else if (b >= n) break;                                                                                                           \
      a <<= 1; b <<= 1;                                                                                                                 \
    }                                                                                                                                   \
    return result;                                                                                                                      \
  }                                                                                                                                     \
  static int kr_sort_##NAME(T *a, int64_t n, int reverse) {                                                                             \
    if (reverse) kr_rev_##NAME(a, n);                                                                                                   \
    if (n < 2) { if (reverse) kr_rev_##NAME(a, n); return 0; }                                                                          \
    int64_t minrun = n, r = 0;                                                                                                          \
    while (minrun >= 64) { r |= minrun & 1; minrun >>= 1; }                                                                             \
    minrun += r;                                                                                                                        \
    T *tmp = NULL;                                                                                                                      \
    if (n >= 64) {                                                                                                                      \
      tmp = (T *)malloc((size_t)(n / 2 + 1) * sizeof(T));                                                                               \
      if (!tmp) { if (reverse) kr_rev_##NAME(a, n); return kr_raise_memory(); }                                                         \
    }                                                                                                                                   \
    int64_t run[85][2], power[85], nrun = 0, min_gallop = 7;                                                                            \
    for (int64_t lo = 0; lo < n;) {                                                                                                     \
      int desc;                                                                                                                         \
      int64_t left = n - lo, k = kr_run_##NAME(a + lo, left, &desc);                                                                    \
      if (desc) kr_rev_##NAME(a + lo, k);                                                                                               \
      if (k < minrun) {                                                                                                                 \
        int64_t force = left <= minrun ? left : minrun;                                                                                 \
        kr_binsort_##NAME(a + lo, 0, k, force);                                                                                         \
        k = force;                                                                                                                      \
      }                                                                                                                                 \
      if (nrun) {                                                                                                                       \
        int p = kr_power_##NAME(run[nrun - 1][0], run[nrun - 1][1], k, n);                                                              \
        while (nrun > 1 && power[nrun - 2] > p) kr_merge_at_##NAME(a, run, &nrun, nrun - 2, tmp, &min_gallop);                          \
        power[nrun - 1] = p;                                                                                                            \
      }                                                                                                                                 \
      run[nrun][0] = lo; run[nrun][1] = k; nrun++;                                                                                      \
      lo += k;                                                                                                                          \
    }                                                                                                                                   \
    while (nrun > 1) {                                                                                                                  \
      int64_t i = nrun - 2;                                                                                                             \
      if (i > 0 && run[i - 1][1] < run[i + 1][1]) i--;                                                                                  \
      kr_merge_at_##NAME(a, run, &nrun, i, tmp, &min_gallop);                                                                           \
    }                                                                                                                                   \
    free(tmp);                                                                                                                          \
    if (reverse) kr_rev_##NAME(a, n);                                                                                                   \
    return 0;                                                                                                                           \
  }
#define KR_LESS(x, y) ((x) < (y))
#define KILN_SORT(NAME, T) KILN_SORT_WITH(NAME, T, KR_LESS)
KILN_SORT(f64, double)
KILN_SORT(f32, float)
KILN_SORT(i64, int64_t)
KILN_SORT(u64, uint64_t)

/*
 * A result array whose data is the start of a buffer this call allocated, in C order: the buffer leaves the
 * per-call heap (it is not freed on return) and goes to the caller as is, with no copy. NULL when the data is
 * not such a buffer (a parameter, a view into one, a strided view): the caller then copies.
 */
static void *kr_heap_take(void *data, const int64_t *shape, const int64_t *strides, int nd) {
  if (!data || !kr_is_c_contiguous(shape, strides, nd)) return NULL;
  for (int64_t i = kr_heap.n - 1; i >= 0; i--) {
    if (kr_heap.blocks[i].p == data) {
      kr_out_note(kr_heap.blocks[i]);
      kr_heap.blocks[i] = kr_heap.blocks[--kr_heap.n];
      return data;
    }
  }
  return NULL;
}
/* A new buffer for the caller (released with kiln_free); NULL when out of memory. */
static void *kr_export_alloc(size_t bytes) {
  kr_block b = kr_block_get(bytes, 0);
  if (b.p) kr_out_note(b);
  return b.p;
}
static void *kr_export_buffer(const void *src, size_t bytes) {
  void *p = kr_export_alloc(bytes);
  if (p && bytes) memcpy(p, src, bytes);
  return p;
}

/* The accessor API of the dict and set structs (lower/c_abi_containers.ts containerApiDefinitions). */
/* The length in bytes of a str item (data, len: negative NUL-terminated, NULL data the empty str). */
static KR_UNUSED int64_t kr_abi_text_len(const char *data, int64_t len) { return !data ? 0 : len < 0 ? (int64_t)strlen(data) : len; }
/* A str item (data, len: as above) holds the kn bytes at kd. */
static KR_UNUSED int kr_abi_text_is(const char *data, int64_t len, const char *kd, int64_t kn) {
  int64_t m = kr_abi_text_len(data, len);
  return m == kn && (!kn || !memcmp(data, kd, (size_t)kn));
}
/* A NEW NUL-terminated copy of a caller's str (len negative: NUL-terminated; NULL: the empty str), its length in *n;
   NULL when memory ran out. kiln_free releases it. */
static KR_UNUSED char *kr_abi_text_copy(const char *src, int64_t len, int64_t *n) {
  int64_t m = !src ? 0 : len < 0 ? (int64_t)strlen(src) : len;
  char *copy = (char *)kr_export_alloc((size_t)m + 1);
  if (!copy) return NULL;
  if (m) memcpy(copy, src, (size_t)m);
  copy[m] = 0;
  *n = m;
  return copy;
}
/* A NEW buffer of cap (> n) items of es bytes holding p's first n (p itself untouched); NULL when memory ran out. */
static KR_UNUSED void *kr_abi_grown(const void *p, int64_t n, int64_t cap, size_t es) {
  char *out = (char *)kr_export_alloc((size_t)cap * es);
  if (out && n) memcpy(out, p, (size_t)n * es);
  return out;
}

/* The caller's own n items of es bytes, copied into a NEW buffer for the caller (a dict or set parameter whose entry
   copy failed is handed back as it came: lower/c_abi_containers.ts). When `strs`, each item is a kiln_str { char *data;
   int64_t len; } (negative len: NUL-terminated) and its text is copied too, NUL-terminated. NULL when memory ran out
   (nothing left allocated). */
static void *kr_abi_copy_items(const void *src, int64_t n, size_t es, int strs) {
  if (n < 0) n = 0;
  char *out = (char *)kr_export_alloc((size_t)(n ? n : 1) * es);
  if (!out) return NULL;
  if (n) memcpy(out, src, (size_t)n * es);
  if (!strs) return out;
  typedef struct { char *data; int64_t len; } text;
  for (int64_t i = 0; i < n; i++) {
    text *t = (text *)(out + i * (int64_t)es);
    const char *from = t->data;
    int64_t m = !from ? 0 : t->len < 0 ? (int64_t)strlen(from) : t->len;
    char *copy = (char *)malloc((size_t)m + 1);
    if (!copy) {
      for (int64_t k = 0; k < i; k++) free(((text *)(out + k * (int64_t)es))->data);
      kr_free_out(out);
      return NULL;
    }
    if (m) memcpy(copy, from, (size_t)m);
    copy[m] = 0;
    t->data = copy;
    t->len = m;
  }
  return out;
}

/* ---- lists of lists across the C ABI: kiln_list_list_<item> { len, data, origin } of kiln_list_<item> rows ---- */
typedef struct { int64_t len; void *data; } kr_abi_list; /* the layout of every kiln_list_<item> */

/* A list of compiled code (NULL: the call's heap ran out) from the caller's kiln_list_<item>. */
static kr_list *kr_abi_list_in(const kr_abi_list *src, size_t es) {
  int64_t n = src->len > 0 ? src->len : 0;
  kr_list *l = kr_list_new(n, es);
  if (l && n) memcpy(l->data, src->data, (size_t)n * es);
  return l;
}

/* On entry: a copy of the caller's rows as a kr_list of kr_list * (items of `es` bytes), and the rows made, in order,
   so that the exit can say which caller's row each final row is. 0, or the error kind (MemoryError). */
static int kr_nested_in(const kr_abi_list *rows, int64_t n, size_t es, kr_list **out, kr_list ***made) {
  if (n < 0) n = 0;
  kr_list *l = kr_list_new(n, sizeof(kr_list *));
  kr_list **m = (kr_list **)kr_alloc((size_t)(n ? n : 1) * sizeof(kr_list *), 0);
  if (!l || !m) return kr_err.kind;
  for (int64_t i = 0; i < n; i++) {
    int64_t len = rows[i].len > 0 ? rows[i].len : 0;
    kr_list *r = kr_list_new(len, es);
    if (!r) return kr_err.kind;
    if (len) memcpy(r->data, rows[i].data, (size_t)len * es);
    ((kr_list **)l->data)[i] = r;
    m[i] = r;
  }
  *out = l;
  *made = m;
  return 0;
}

/* The caller's copy of a list of lists: new row buffers (kiln_free each data[i].data, then data and origin). origin:
   when `made` is given, origin[i] is the entry index of the caller's row that row i is, or -1 for a row the function
   made; NULL for a result. When `l` is NULL (the entry copy failed) the caller's own rows go back. */
static int kr_nested_out(const kr_list *l, const kr_abi_list *rows0, int64_t n0, kr_list *const *made, size_t es, int want_origin,
                         int64_t *len, void **data, int64_t **origin) {
  int64_t n = l ? l->len : (n0 > 0 ? n0 : 0);
  kr_abi_list *rows = (kr_abi_list *)kr_export_alloc((size_t)(n ? n : 1) * sizeof(kr_abi_list));
  int64_t *org = want_origin ? (int64_t *)kr_export_alloc((size_t)(n ? n : 1) * sizeof(int64_t)) : NULL;
  if (!rows || (want_origin && !org)) {
    kr_free_out(rows);
    kr_free_out(org);
    *data = NULL;
    if (origin) *origin = NULL;
    return kr_raise_memory(), KILN_MemoryError;
  }
  int failed = 0;
  for (int64_t i = 0; i < n; i++) {
    const kr_list *r = l ? ((kr_list *const *)l->data)[i] : NULL;
    int64_t rl = r ? r->len : (rows0[i].len > 0 ? rows0[i].len : 0);
    rows[i].len = rl;
    rows[i].data = kr_export_buffer(r ? r->data : rows0[i].data, (size_t)rl * es);
    if (!rows[i].data) failed = 1;
    if (org) {
      org[i] = -1;
      if (!l) org[i] = i;
      else if (made && i < n0 && made[i] == r) org[i] = i;
      else if (made) for (int64_t j = 0; j < n0; j++) if (made[j] == r) { org[i] = j; break; }
    }
  }
  if (failed) {
    for (int64_t i = 0; i < n; i++) kr_free_out(rows[i].data);
    kr_free_out(rows);
    kr_free_out(org);
    *data = NULL;
    if (origin) *origin = NULL;
    return kr_raise_memory(), KILN_MemoryError;
  }
  *len = n;
  *data = rows;
  if (origin) *origin = org;
  return 0;
}


#endif /* KILN_ARRAYS_H */
