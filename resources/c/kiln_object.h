/*
 * Kiln runtime, the object model: reference-counted objects with a cycle collector.
 * Design and rationale: docs/design/object-model.md. Included at the end of kiln_runtime.h.
 *
 * Every heap value that Python code can share (str, bytes, list, dict, set, class instances, closures' cells,
 * generator frames, exception objects, big ints) starts with a kr_obj header: a reference count and a type
 * descriptor. Generated code keeps the counts exact (a local owns a reference, arguments are borrowed, results
 * are new references), so an object is freed the moment its last reference goes, and
 *   - two names for one object see each other's changes (they hold the same pointer);
 *   - nothing leaks across calls, and a loop that makes and drops objects runs in bounded memory;
 *   - reference cycles (a doubly linked list, a graph with back edges) are found by trial deletion, as CPython's
 *     gc module does: for every tracked container, its count minus the references other tracked containers hold
 *     is what the outside world (C locals, module globals, the caller) holds; what nothing outside reaches is
 *     garbage. Collections run when the outermost compiled call returns (kr_call_exit) and at safe points the
 *     compiler chooses (kr_gc_maybe), so a cycle lives at the latest until the top-level call returns.
 * Deallocation is iterative (a list of a million nodes is freed without a million C frames). All state is per
 * thread: an object belongs to the thread that made it.
 */
#ifndef KILN_OBJECT_H
#define KILN_OBJECT_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct kr_obj kr_obj;
typedef void (*kr_visit_fn)(kr_obj *child, void *arg);

/* What the runtime and the collector know of a type. Built-in kinds and compiled classes each have one (static). */
typedef struct kr_type {
  const char *name;            /* Python's name of the type: "str", "dict", "Node" */
  const struct kr_type *base;  /* the base class (single inheritance), NULL below object */
  uint32_t flags;              /* KR_TF_* */
  uint32_t size;               /* bytes of an instance, header included (0: variable, given to kr_obj_new) */
  /* Calls visit(child, arg) once for every object reference the instance owns (NULL children skipped). */
  void (*traverse)(kr_obj *o, kr_visit_fn visit, void *arg);
  /* Drops every owned object reference (decref, then NULL), leaving the instance valid; called twice is fine. */
  void (*clear)(kr_obj *o);
  /* Releases what is not an object (a buffer it owns). Runs after clear, before the memory goes. */
  void (*finalize)(kr_obj *o);
} kr_type;

enum {
  KR_TF_GC = 1,        /* instances may hold references to other objects: tracked by the cycle collector */
};

struct kr_obj {
  int64_t rc;          /* references; negative: immortal (static constants), never counted or freed */
  const kr_type *type;
};

/* The collector's links, just before a tracked object (as CPython's PyGC_Head). */
typedef struct kr_gchead {
  struct kr_gchead *prev, *next;
  int64_t refs;        /* its generation (KR_GC_YOUNG, _MID, _OLD); in a collection, the count not explained inside */
} kr_gchead;
#define KR_GC_HEAD(o) ((kr_gchead *)(o) - 1)
#define KR_GC_OBJ(h) ((kr_obj *)((kr_gchead *)(h) + 1))
#define KR_IMMORTAL INT64_MIN
/* Generations, kept in refs between collections. Young: made since the last collection. Mid: survived a
 * collection inside a call (examined again when the outermost call returns). Old: survived a call. */
#define KR_GC_YOUNG 0
#define KR_GC_OLD (-1)
#define KR_GC_REACHABLE (-2)    /* during a collection: an examined object reached from outside, it survives */
#define KR_GC_MID (-3)

/* A static object's header: `static kr_str s = { KR_STATIC_HEAD(&kr_type_str), ... }`. */
#define KR_STATIC_HEAD(type) { KR_IMMORTAL, (type) }

enum { KR_GEN_YOUNG, KR_GEN_MID, KR_GEN_OLD };
struct kr_gc_state {
  kr_gchead gen[3];           /* circular lists with sentinels, one per generation */
  int64_t count[3];
  int64_t old_after_full;     /* old objects after the last full collection */
  int64_t live;               /* objects alive (tracked or not) */
  int64_t allocs;             /* objects made since the thread started */
  int64_t collections, collected;
  int call_depth;             /* nesting of kr_call_enter */
  int draining;               /* inside kr_obj_dealloc's loop */
  int collecting;
  kr_obj **pending;           /* objects waiting to be freed (iterative deallocation) */
  int64_t npending, cap_pending;
  kr_obj **stack;             /* the collector's work stack */
  int64_t nstack, cap_stack;
  /* small-object free lists: size classes of 16 bytes up to 256 */
  void *free_small[17];
  int32_t nfree_small[17];
};
KR_STATE KILN_TLS struct kr_gc_state kr_gc;

#define KR_GC_YOUNG_LIMIT 20000     /* young objects that make kr_gc_maybe collect */
#define KR_SMALL_MAX 256
#define KR_SMALL_KEEP_BYTES ((int32_t)1 << 20) /* freed blocks kept per size class: up to 1 MB each (17 MB in all) */

static void kr_gc_init_lists(void) {
  if (!kr_gc.gen[0].next)
    for (int g = 0; g < 3; g++) kr_gc.gen[g].next = kr_gc.gen[g].prev = &kr_gc.gen[g];
}
static inline int kr_gc_gen_of(const kr_gchead *h) {
  return h->refs == KR_GC_OLD ? KR_GEN_OLD : h->refs == KR_GC_MID ? KR_GEN_MID : KR_GEN_YOUNG;
}
static inline void kr_gc_link(kr_gchead *list, kr_gchead *h) {
  h->prev = list->prev;
  h->next = list;
  list->prev->next = h;
  list->prev = h;
}
static inline void kr_gc_unlink(kr_gchead *h) {
  h->prev->next = h->next;
  h->next->prev = h->prev;
  h->prev = h->next = NULL;
}

/*
 * ---- a small process-wide cache of large buffers ----
 * A compiled call that makes big arrays (u.copy(), np.zeros((n, m))) or big strings would otherwise get fresh
 * pages from the OS on every call wherever the C library hands large freed blocks back to the OS at once (glibc
 * trims the top of its heap, musl and Android's allocator unmap them): faulting in and zeroing hundreds of KB then
 * costs more than the kernel itself (a 200x200 stencil: 1.4 ms against 0.11 ms; the Vigenere kernel over 1 MB of
 * text, whose argument, result and result's UTF-8 are 1 MB each: 8 ms against 4). Freed buffers of 64 KB to 16 MB are kept,
 * at most 8 and 32 MB in all, and reused by later calls from any thread; kiln_release_memory() returns them to
 * the C library. Buffers handed to the caller are remembered (address and size, the last 32) so that kiln_free
 * can put them back too; any other pointer goes to free().
 */
#include <stdatomic.h>
#define KR_CACHE_MIN ((size_t)64 << 10)
#define KR_CACHE_MAX ((size_t)16 << 20)
#define KR_CACHE_TOTAL ((size_t)32 << 20)
#define KR_CACHE_SLOTS 8
#define KR_OUT_SLOTS 32
typedef struct { void *p; size_t n; } kr_block;
KR_STATE kr_block kr_cache[KR_CACHE_SLOTS];
KR_STATE kr_block kr_out[KR_OUT_SLOTS];
KR_STATE size_t kr_cache_bytes;
KR_STATE unsigned kr_out_next;
KR_STATE atomic_int kr_out_live; /* kr_out's slots in use: while 0, kiln_free frees without looking (results under 64 KB) */
KR_STATE atomic_flag kr_cache_busy KR_STATE_INIT(ATOMIC_FLAG_INIT);
static void kr_cache_lock(void) { while (atomic_flag_test_and_set_explicit(&kr_cache_busy, memory_order_acquire)) {} }
static void kr_cache_unlock(void) { atomic_flag_clear_explicit(&kr_cache_busy, memory_order_release); }

/* A block of at least `bytes` (zeroed when asked): a cached one no more than twice as large, else malloc/calloc. */
static kr_block kr_block_get(size_t bytes, int zero) {
  kr_block b = { NULL, bytes ? bytes : 1 };
  if (bytes >= KR_CACHE_MIN && bytes <= KR_CACHE_MAX) {
    kr_cache_lock();
    int best = -1;
    for (int i = 0; i < KR_CACHE_SLOTS; i++)
      if (kr_cache[i].p && kr_cache[i].n >= bytes && kr_cache[i].n / 2 <= bytes && (best < 0 || kr_cache[i].n < kr_cache[best].n)) best = i;
    if (best >= 0) { b = kr_cache[best]; kr_cache[best].p = NULL; kr_cache_bytes -= b.n; }
    kr_cache_unlock();
    if (b.p) { if (zero) memset(b.p, 0, bytes); return b; }
  }
  b.p = zero ? calloc(b.n, 1) : malloc(b.n);
  return b;
}
/* Gives a block back: into the cache when it fits, else to free(). */
static void kr_block_put(kr_block b) {
  if (!b.p) return;
  if (b.n >= KR_CACHE_MIN && b.n <= KR_CACHE_MAX) {
    kr_cache_lock();
    int slot = -1;
    if (kr_cache_bytes + b.n <= KR_CACHE_TOTAL)
      for (int i = 0; i < KR_CACHE_SLOTS && slot < 0; i++) if (!kr_cache[i].p) slot = i;
    if (slot >= 0) { kr_cache[slot] = b; kr_cache_bytes += b.n; }
    kr_cache_unlock();
    if (slot >= 0) return;
  }
  free(b.p);
}
/* Remembers a block that goes to the caller, so that kiln_free can cache it. */
static void kr_out_note(kr_block b) {
  if (b.n < KR_CACHE_MIN || b.n > KR_CACHE_MAX) return;
  kr_cache_lock();
  int slot = -1;
  for (int i = 0; i < KR_OUT_SLOTS && slot < 0; i++) if (kr_out[i].p == b.p) slot = i;
  if (slot < 0) slot = (int)(kr_out_next++ % KR_OUT_SLOTS);
  if (!kr_out[slot].p) atomic_fetch_add_explicit(&kr_out_live, 1, memory_order_release);
  kr_out[slot] = b;
  kr_cache_unlock();
}
/* kiln_free: a buffer this library handed out (a result's or a list parameter's data). */
static void kr_free_out(void *p) {
  if (!p) return;
  if (!atomic_load_explicit(&kr_out_live, memory_order_acquire)) { free(p); return; }
  kr_block b = { p, 0 };
  kr_cache_lock();
  for (int i = 0; i < KR_OUT_SLOTS; i++)
    if (kr_out[i].p == p) { b = kr_out[i]; kr_out[i].p = NULL; atomic_fetch_sub_explicit(&kr_out_live, 1, memory_order_relaxed); break; }
  kr_cache_unlock();
  if (b.n) kr_block_put(b); else free(p);
}
/* kiln_release_memory: hands every cached buffer back to the C library. */
static void kr_cache_release(void) {
  kr_block keep[KR_CACHE_SLOTS];
  kr_cache_lock();
  memcpy(keep, kr_cache, sizeof keep);
  memset(kr_cache, 0, sizeof kr_cache);
  kr_cache_bytes = 0;
  kr_cache_unlock();
  for (int i = 0; i < KR_CACHE_SLOTS; i++) free(keep[i].p);
}

/* ---- memory: small blocks come from per-thread free lists, large ones from the cache above, the rest from malloc ----
 * KR_NO_FREE_LISTS (the valgrind memory tests): every block comes straight from malloc and goes back to free, so
 * a use after free and a leak are seen by the tool instead of hidden by a block's reuse.
 * A block may be larger than asked (a cached one): kr_mem_get_n says how large; kr_mem_put takes any size from
 * the one asked for to the one given (every block is a malloc'd one: realloc and free work on it too).
 */
static inline void *kr_mem_get_n(size_t *n) {
#ifndef KR_NO_FREE_LISTS
  if (*n <= KR_SMALL_MAX) {
    size_t c = (*n + 15) >> 4;
    void *p = kr_gc.free_small[c];
    *n = c << 4;
    if (p) {
      kr_gc.free_small[c] = *(void **)p;
      kr_gc.nfree_small[c]--;
      return p;
    }
    return malloc(c << 4);
  }
  if (*n >= KR_CACHE_MIN && *n <= KR_CACHE_MAX) {
    kr_block b = kr_block_get(*n, 0);
    *n = b.n;
    return b.p;
  }
#endif
  /* a request no address space can meet is a MemoryError, not a trap (wasm32's malloc traps on such sizes) */
  return *n > (SIZE_MAX >> 2) ? NULL : malloc(*n);
}
static inline void *kr_mem_get(size_t n) { return kr_mem_get_n(&n); }
static inline void kr_mem_put(void *p, size_t n) {
#ifndef KR_NO_FREE_LISTS
  if (n <= KR_SMALL_MAX) {
    size_t c = (n + 15) >> 4;
    if ((int64_t)(kr_gc.nfree_small[c] + 1) * (int64_t)(c << 4) <= KR_SMALL_KEEP_BYTES) { /* n < KEEP / size, without a division */
      *(void **)p = kr_gc.free_small[c];
      kr_gc.free_small[c] = p;
      kr_gc.nfree_small[c]++;
      return;
    }
  }
  if (n >= KR_CACHE_MIN && n <= KR_CACHE_MAX) { kr_block b = { p, n }; kr_block_put(b); return; }
#else
  (void)n;
#endif
  free(p);
}
/* Returns the free lists to the C library (kiln_release_memory). */
static void kr_mem_release(void) {
  for (int c = 0; c < 17; c++) {
    void *p = kr_gc.free_small[c];
    while (p) { void *next = *(void **)p; free(p); p = next; }
    kr_gc.free_small[c] = NULL;
    kr_gc.nfree_small[c] = 0;
  }
}

/* The bytes an instance occupies, gc links included (what kr_mem_get gave). */
static inline size_t kr_obj_bytes(const kr_type *t, size_t size) {
  return size + ((t->flags & KR_TF_GC) ? sizeof(kr_gchead) : 0);
}

/*
 * A new object of `type` with `size` bytes (header included; 0 means type->size), zeroed, count 1, tracked when
 * the type holds references. NULL with MemoryError raised when memory runs out. A variable-size object keeps its
 * size in its own fields and passes it to kr_obj_free_memory through its type's finalize (see kr_obj_dealloc).
 */
static KILN_ALWAYS_INLINE kr_obj *kr_obj_make(const kr_type *type, size_t size) {
  size_t total = kr_obj_bytes(type, size);
  char *mem = (char *)kr_mem_get(total);
  if (KILN_UNLIKELY(!mem)) { kr_raise(KILN_MemoryError, ""); return NULL; }
  memset(mem, 0, total);
  kr_obj *o;
  if (type->flags & KR_TF_GC) {
    kr_gc_init_lists();
    kr_gchead *h = (kr_gchead *)mem;
    kr_gc_link(&kr_gc.gen[KR_GEN_YOUNG], h);
    kr_gc.count[KR_GEN_YOUNG]++;
    o = KR_GC_OBJ(h);
  } else {
    o = (kr_obj *)mem;
  }
  o->rc = 1;
  o->type = type;
  kr_gc.live++;
  kr_gc.allocs++;
  return o;
}
static kr_obj *kr_obj_new(const kr_type *type, size_t size) { return kr_obj_make(type, size ? size : type->size); }
/* kr_obj_new of an instance of a compiled class (its type a constant of the unit): inlined, so that its size and
 * flags fold to constants (the zeroing becomes a few stores, the collector's branch goes): small objects made in
 * loops (a ray tracer's vectors) cost a free-list pop and a handful of stores. */
static KILN_ALWAYS_INLINE kr_obj *kr_obj_new_fixed(const kr_type *type) { return kr_obj_make(type, type->size); }

/* The size an object was allocated with: its type's size, or what a variable-size type records (kr_varobj). */
typedef struct { kr_obj ob; int64_t alloc_size; } kr_varobj;
static inline size_t kr_obj_size(kr_obj *o) {
  return o->type->size ? o->type->size : (size_t)((kr_varobj *)o)->alloc_size;
}
/* A variable-size object: `size` bytes, recorded so that deallocation returns the right block. */
static kr_obj *kr_varobj_new(const kr_type *type, size_t size) {
  kr_obj *o = kr_obj_new(type, size);
  if (o) ((kr_varobj *)o)->alloc_size = (int64_t)size;
  return o;
}

/* Returns an object's memory; `t` is its type. A compiled class that holds no references and that no class derives
 * from (a vector of floats) frees its instances with its own type as a constant (kc_<Class>_free, lower/c_classes.ts),
 * not through kr_obj_dealloc: the size class and flags fold and the free is a free-list push. */
static KILN_ALWAYS_INLINE void kr_obj_release_typed(kr_obj *o, const kr_type *t) {
  size_t total = kr_obj_bytes(t, t->size ? t->size : (size_t)((kr_varobj *)o)->alloc_size);
  void *mem = o;
  if (t->flags & KR_TF_GC) {
    kr_gchead *h = KR_GC_HEAD(o);
    if (h->next) {
      kr_gc_unlink(h);
      kr_gc.count[kr_gc_gen_of(h)]--;
    }
    mem = h;
  }
  kr_gc.live--;
  kr_mem_put(mem, total);
}
static KILN_ALWAYS_INLINE void kr_obj_release_memory(kr_obj *o) { kr_obj_release_typed(o, o->type); }

static void kr_pending_push(kr_obj *o) {
  if (kr_gc.npending == kr_gc.cap_pending) {
    int64_t nc = kr_gc.cap_pending ? kr_gc.cap_pending * 2 : 256;
    kr_obj **grown = (kr_obj **)realloc(kr_gc.pending, (size_t)nc * sizeof(kr_obj *));
    if (!grown) abort(); /* out of memory while freeing memory: nothing sensible is left */
    kr_gc.pending = grown;
    kr_gc.cap_pending = nc;
  }
  kr_gc.pending[kr_gc.npending++] = o;
}

/* Frees an object whose count reached zero, and everything only it kept alive, without recursion. Out of line,
 * so that kr_decref stays a compare and a decrement at every use. */
#if defined(__GNUC__) || defined(__clang__)
__attribute__((noinline))
#endif
static void kr_obj_dealloc(kr_obj *o) {
  if (!o->type->clear) { /* it holds no references (str, bytes): nothing else can reach zero, so free it now */
    if (o->type->finalize) o->type->finalize(o);
    kr_obj_release_memory(o);
    return;
  }
  kr_pending_push(o);
  if (kr_gc.draining) return;
  kr_gc.draining = 1;
  while (kr_gc.npending) {
    kr_obj *x = kr_gc.pending[--kr_gc.npending];
    if (x->type->clear) x->type->clear(x);        /* children reaching zero are pushed, not freed here */
    if (x->type->finalize) x->type->finalize(x);
    kr_obj_release_memory(x);
  }
  kr_gc.draining = 0;
}

static inline void kr_incref(void *p) {
  kr_obj *o = (kr_obj *)p;
  if (o && o->rc >= 0) o->rc++;
}
static inline void kr_decref(void *p) {
  kr_obj *o = (kr_obj *)p;
  if (o && o->rc > 0 && --o->rc == 0) kr_obj_dealloc(o);
}
/* The same for an instance of a compiled class (or None: NULL), which is never immortal (instances are only made
 * at run time), so its count needs no test of the sign: one add, or a decrement and a test. */
static inline void kr_incref_inst(void *p) {
  kr_obj *o = (kr_obj *)p;
  if (o) o->rc++;
}
/* An instance that cannot be None (its static type says so): one add. */
static inline void kr_incref_some(void *p) { ((kr_obj *)p)->rc++; }
/* Gives back the count of an instance (or None) something else keeps (a call's result that its argument's field or
 * list holds: opt/lifetimes.ts heldResults): never the last reference, so no test for zero. */
static inline void kr_unref_held(void *p) {
  kr_obj *o = (kr_obj *)p;
  if (o) o->rc--;
}
static inline void kr_unref_held_some(void *p) { ((kr_obj *)p)->rc--; }
static inline void kr_decref_inst(void *p) {
  kr_obj *o = (kr_obj *)p;
  if (o && --o->rc == 0) kr_obj_dealloc(o);
}
/* Stores a new reference into a slot that owns one: the new value is counted before the old is dropped. */
static inline void kr_assign(kr_obj **slot, kr_obj *value) {
  kr_obj *old = *slot;
  kr_incref(value);
  *slot = value;
  kr_decref(old);
}
/* Drops the reference a slot owns and empties it (for clear functions). */
static inline void kr_clear_slot(kr_obj **slot) {
  kr_obj *old = *slot;
  *slot = NULL;
  kr_decref(old);
}

/* isinstance against a compiled class hierarchy (single inheritance). */
static inline int kr_is_subtype(const kr_type *t, const kr_type *base) {
  for (; t; t = t->base) if (t == base) return 1;
  return 0;
}

/* ---- the cycle collector ---- */
static void kr_gc_stack_push(kr_obj *o) {
  if (kr_gc.nstack == kr_gc.cap_stack) {
    int64_t nc = kr_gc.cap_stack ? kr_gc.cap_stack * 2 : 256;
    kr_obj **grown = (kr_obj **)realloc(kr_gc.stack, (size_t)nc * sizeof(kr_obj *));
    if (!grown) abort();
    kr_gc.stack = grown;
    kr_gc.cap_stack = nc;
  }
  kr_gc.stack[kr_gc.nstack++] = o;
}

static void kr_gc_visit_subtract(kr_obj *child, void *arg) {
  (void)arg;
  if (!(child->type->flags & KR_TF_GC) || child->rc < 0) return;
  kr_gchead *h = KR_GC_HEAD(child);
  if (h->refs > 0) h->refs--;
}
static void kr_gc_visit_reach(kr_obj *child, void *arg) {
  (void)arg;
  if (!(child->type->flags & KR_TF_GC) || child->rc < 0) return;
  kr_gchead *h = KR_GC_HEAD(child);
  if (h->refs >= 0) { h->refs = KR_GC_REACHABLE; kr_gc_stack_push(child); }
}

/*
 * Collects the generations up to `upto` (KR_GEN_YOUNG inside a call, KR_GEN_MID when the outermost call
 * returns, KR_GEN_OLD for a full collection). References from outside the examined objects (C locals, module
 * globals, older generations, untracked holders) keep objects alive; what only the examined objects reach among
 * themselves is garbage: its references are cleared, which frees it. Survivors move one generation up
 * (inside a call: to mid; otherwise: to old). Returns the number of objects freed.
 */
static int64_t kr_gc_collect(int upto) {
  kr_gc_init_lists();
  if (kr_gc.collecting) return 0;
  kr_gc.collecting = 1;
  kr_gchead *list = &kr_gc.gen[KR_GEN_YOUNG];
  for (int g = 1; g <= upto; g++) {       /* merge the older generations examined into the young list */
    while (kr_gc.gen[g].next != &kr_gc.gen[g]) {
      kr_gchead *h = kr_gc.gen[g].next;
      kr_gc_unlink(h);
      kr_gc_link(list, h);
    }
    kr_gc.count[KR_GEN_YOUNG] += kr_gc.count[g];
    kr_gc.count[g] = 0;
  }
  /* 1: every examined object starts with its count (objects of other generations keep a negative mark) */
  for (kr_gchead *h = list->next; h != list; h = h->next) h->refs = KR_GC_OBJ(h)->rc;
  /* 2: subtract the references examined objects hold to each other */
  for (kr_gchead *h = list->next; h != list; h = h->next) {
    kr_obj *o = KR_GC_OBJ(h);
    if (o->type->traverse) o->type->traverse(o, kr_gc_visit_subtract, NULL);
  }
  /* 3: what is referenced from outside, and everything it reaches, survives */
  for (kr_gchead *h = list->next; h != list; h = h->next) {
    if (h->refs > 0) { h->refs = KR_GC_REACHABLE; kr_gc_stack_push(KR_GC_OBJ(h)); }
  }
  while (kr_gc.nstack) {
    kr_obj *o = kr_gc.stack[--kr_gc.nstack];
    if (o->type->traverse) o->type->traverse(o, kr_gc_visit_reach, NULL);
  }
  /* 4: the rest is garbage. Hold each (so none is freed while others are cleared), clear, then let go. */
  int64_t ngarbage = 0;
  for (kr_gchead *h = list->next; h != list; h = h->next) if (h->refs == 0) ngarbage++;
  kr_obj **garbage = ngarbage ? (kr_obj **)malloc((size_t)ngarbage * sizeof(kr_obj *)) : NULL;
  int64_t k = 0;
  int survivor_gen = kr_gc.call_depth > 0 && upto == KR_GEN_YOUNG ? KR_GEN_MID : KR_GEN_OLD;
  int64_t survivor_mark = survivor_gen == KR_GEN_MID ? KR_GC_MID : KR_GC_OLD;
  kr_gchead *h = list->next;
  while (h != list) {
    kr_gchead *next = h->next;
    if (h->refs == 0 && garbage) {
      h->refs = KR_GC_YOUNG;
      garbage[k++] = KR_GC_OBJ(h);
      KR_GC_OBJ(h)->rc++;
    } else {                              /* a survivor (or, without memory for the list, kept for next time) */
      kr_gc_unlink(h);
      h->refs = survivor_mark;
      kr_gc_link(&kr_gc.gen[survivor_gen], h);
      kr_gc.count[KR_GEN_YOUNG]--;
      kr_gc.count[survivor_gen]++;
    }
    h = next;
  }
  for (int64_t i = 0; i < k; i++) if (garbage[i]->type->clear) garbage[i]->type->clear(garbage[i]);
  for (int64_t i = 0; i < k; i++) kr_decref(garbage[i]);
  free(garbage);
  kr_gc.collections++;
  kr_gc.collected += k;
  if (upto == KR_GEN_OLD) kr_gc.old_after_full = kr_gc.count[KR_GEN_OLD];
  kr_gc.collecting = 0;
  return k;
}

/* A safe point inside a call (every reference is counted): collects the young when many piled up. */
static inline void kr_gc_maybe(void) {
  if (KILN_UNLIKELY(kr_gc.count[KR_GEN_YOUNG] > KR_GC_YOUNG_LIMIT)) kr_gc_collect(KR_GEN_YOUNG);
}

/*
 * The exported wrappers bracket every call. When the outermost call returns, everything the call made that is
 * still tracked (young and mid) is examined, so a cycle made during the call is freed at the latest then; a
 * full collection (the old generation too: module-level state that became garbage) runs once the old
 * generation has grown by a quarter since the last one (CPython's rule), or on kiln_release_memory().
 */
/* The instance an exception class with fields carries (kr_err.object, docs/design/exceptions.md): dropped when another
 * exception replaces it (kr_raise) and when the outermost call returns; kr_set_object gives it one (returns -1). */
static void kr_err_drop_object(void) {
  kr_obj *o = (kr_obj *)kr_err.object;
  kr_err.object = NULL;
  kr_decref(o);
}
static KILN_COLD int kr_set_object(kr_obj *o) {
  kr_incref(o);
  if (kr_err.object) kr_err_drop_object();
  kr_err.object = o;
  return -1;
}
/* An exported call that fails keeps the instance its exception carries for the caller, who reads its fields through
 * kiln_error_object() and the class's getters (the exported packages copy them); the next exported call drops it
 * (kr_err_forget_escaped), as does kiln_release_memory. Getters and setters do neither, so the fields can be read. */
static void kr_err_forget_escaped(void) {
  kr_obj *o = (kr_obj *)kr_err.escaped;
  kr_err.escaped = NULL;
  if (o) kr_decref(o);
}
static KILN_COLD void kr_err_keep_object(void) {
  kr_err_forget_escaped();
  kr_err.escaped = kr_err.object;
  kr_err.object = NULL;
}
/* Frees a saved exception (kiln_runtime.h kr_exc_save) that is not raised again, with the instance it holds. */
static KILN_COLD void kr_exc_forget(char **saved) {
  if (*saved) {
    size_t n = strlen(*saved);
    kr_obj *o;
    memcpy(&o, *saved + n + 1 + sizeof(int), sizeof(void *));
    if (o) kr_decref(o);
  }
  free(*saved);
  *saved = NULL;
}

static inline void kr_call_enter(void) { kr_gc.call_depth++; }
static void kr_call_exit_collect(void) {
  kr_gc_collect(KR_GEN_MID);
  if (kr_gc.count[KR_GEN_OLD] > kr_gc.old_after_full + kr_gc.old_after_full / 4 + 1000) kr_gc_collect(KR_GEN_OLD);
}
static inline void kr_call_exit(void) {
  if (--kr_gc.call_depth == 0 && KILN_UNLIKELY(kr_err.object != NULL)) kr_err_drop_object();
  if (kr_gc.call_depth == 0 && (kr_gc.count[KR_GEN_YOUNG] | kr_gc.count[KR_GEN_MID])) kr_call_exit_collect();
}
/* The brackets of an exported function's call (lower/c_export.ts): kr_call_enter/kr_call_exit, and the instance of
 * the exception the previous call returned dropped, that of the one this call returns (rc != 0) kept. */
static inline void kr_export_enter(void) {
  if (KILN_UNLIKELY(kr_err.escaped != NULL) && kr_gc.call_depth == 0) kr_err_forget_escaped();
  kr_call_enter();
}
static inline void kr_export_exit(int rc) {
  if (KILN_UNLIKELY(rc != 0 && kr_err.object != NULL) && kr_gc.call_depth == 1) kr_err_keep_object();
  kr_call_exit();
}

/* Frees the runtime's own bookkeeping for this thread (kiln_release_memory), after a full collection. */
static void kr_gc_release(void) {
  if (kr_gc.call_depth == 0) kr_err_forget_escaped();
  if (kr_gc.call_depth == 0) kr_gc_collect(KR_GEN_OLD);
  kr_mem_release();
  free(kr_gc.pending); kr_gc.pending = NULL; kr_gc.npending = kr_gc.cap_pending = 0;
  free(kr_gc.stack); kr_gc.stack = NULL; kr_gc.nstack = kr_gc.cap_stack = 0;
  kr_err_release();
}

#endif /* KILN_OBJECT_H */
