/*
 * Kiln runtime, the thread pool: kr_parallel_for for `prange` loops and for the big kernels (GEMM).
 * Design: docs/design/numpy-kernels.md ("Threads"). Included by generated code that uses it, and by kiln_gemm.h.
 *
 *   int kr_parallel_for(int64_t begin, int64_t end, int64_t grain, kr_range_fn fn, void *ctx);
 *
 * splits [begin, end) into chunks of `grain` iterations (grain <= 0: one chunk per thread), and calls
 * fn(ctx, lo, hi, worker) once per chunk [lo, hi), on the calling thread and on the pool's threads; it returns
 * when every chunk is done. `worker` is 0 on the calling thread and 1..kr_threads_count()-1 on the pool's
 * threads, so fn can use per-worker scratch space indexed by it. Chunks are handed out in increasing order from
 * one counter, so an idle thread takes the next chunk (a core taken by another process does not hold the rest
 * back); which thread runs which chunk is not fixed, so fn must make each element's result independent of that
 * (GEMM does: each output element is computed by one chunk in the serial order).
 *
 * kr_parallel_for_n(..., threads) is the same with at most `threads` threads (GEMM sizes per-worker buffers by a count
 * it read before; a kr_threads_set from another thread meanwhile cannot make a worker index overrun them).
 *
 * Errors: fn returns 0, or raises (kr_raise, as any fallible function) and returns -1. The first failing chunk in
 * iteration order wins: chunks not yet started are skipped once a chunk has failed, and kr_parallel_for returns
 * -1 with that chunk's exception (kind, message, frames) in the calling thread's error state. As with numba's
 * prange, chunks after the failing one may already have run.
 * Memory: arrays a chunk allocates with kr_alloc (per-call heap) are handed to the calling thread when the chunk
 * ends, so they live until the exported call returns, exactly as if the loop had run serially. A chunk must not
 * make reference-counted objects that outlive it (an object belongs to the thread that made it: see
 * docs/design/object-model.md, "Threads"); the compiler only parallelises loops whose bodies do not.
 * Nesting: a kr_parallel_for inside a chunk, or one started while another thread's is running, runs serially on
 * its caller (no deadlock, no oversubscription).
 *
 * Threads: KILN_NUM_THREADS in the environment (read once, at the first parallel call), else kr_threads_set(n),
 * else the number of online processors. Threads start at the first parallel call, spin up to 2 ms after each job
 * (a GEMM runs several in a row) and then sleep on a condition variable. kr_threads_shutdown() joins them (call
 * it before unloading a library; kiln_release_memory does). After fork() the child starts a fresh pool.
 * Platforms: POSIX threads (Linux, Android, macOS, iOS, and any libc Zig ships but Windows), Win32 threads on
 * Windows (C11 <threads.h> is missing from macOS and MinGW), and serial execution on wasm32 without atomics.
 * This header is the one runtime header that includes platform headers (pthread.h/unistd.h or windows.h).
 */
#ifndef KILN_THREADS_H
#define KILN_THREADS_H

#include "kiln_runtime.h"
#include "kiln_simd.h" /* kr_cpu_relax */

typedef int (*kr_range_fn)(void *ctx, int64_t lo, int64_t hi, int worker);

#define KR_MAX_THREADS 64

#if defined(__wasm__) && !defined(__wasm_atomics__)
#define KILN_THREADS_SERIAL 1
#else
#define KILN_THREADS_SERIAL 0
#endif

#if !KILN_THREADS_SERIAL
#include <stdatomic.h>
#if defined(_WIN32)
#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#include <windows.h>
typedef HANDLE kt_thread;
typedef SRWLOCK kt_mutex;
typedef CONDITION_VARIABLE kt_cond;
#define KT_MUTEX_INIT SRWLOCK_INIT
#define KT_COND_INIT CONDITION_VARIABLE_INIT
static inline void kt_lock(kt_mutex *m) { AcquireSRWLockExclusive(m); }
static inline void kt_unlock(kt_mutex *m) { ReleaseSRWLockExclusive(m); }
static inline void kt_wait(kt_cond *c, kt_mutex *m) { SleepConditionVariableSRW(c, m, INFINITE, 0); }
static inline void kt_broadcast(kt_cond *c) { WakeAllConditionVariable(c); }
static DWORD WINAPI kt_entry(LPVOID arg);
static inline int kt_start(kt_thread *t, void *arg) {
  *t = CreateThread(NULL, (SIZE_T)8 << 20, kt_entry, arg, STACK_SIZE_PARAM_IS_A_RESERVATION, NULL);
  return *t ? 0 : -1;
}
static inline void kt_join(kt_thread t) { WaitForSingleObject(t, INFINITE); CloseHandle(t); }
static inline int kt_cores(void) { SYSTEM_INFO si; GetSystemInfo(&si); return (int)si.dwNumberOfProcessors; }
static inline void kt_on_fork(void (*child)(void)) { (void)child; }
#else
#include <pthread.h>
#include <unistd.h>
typedef pthread_t kt_thread;
typedef pthread_mutex_t kt_mutex;
typedef pthread_cond_t kt_cond;
#define KT_MUTEX_INIT PTHREAD_MUTEX_INITIALIZER
#define KT_COND_INIT PTHREAD_COND_INITIALIZER
static inline void kt_lock(kt_mutex *m) { pthread_mutex_lock(m); }
static inline void kt_unlock(kt_mutex *m) { pthread_mutex_unlock(m); }
static inline void kt_wait(kt_cond *c, kt_mutex *m) { pthread_cond_wait(c, m); }
static inline void kt_broadcast(kt_cond *c) { pthread_cond_broadcast(c); }
static void *kt_entry(void *arg);
static inline int kt_start(kt_thread *t, void *arg) {
  /* 8 MB stacks: a compiled loop body may recurse, and macOS gives secondary threads only 512 KB. */
  pthread_attr_t attr;
  if (pthread_attr_init(&attr)) return -1;
  pthread_attr_setstacksize(&attr, (size_t)8 << 20);
  int rc = pthread_create(t, &attr, kt_entry, arg);
  pthread_attr_destroy(&attr);
  return rc ? -1 : 0;
}
static inline void kt_join(kt_thread t) { pthread_join(t, NULL); }
static inline int kt_cores(void) { long n = sysconf(_SC_NPROCESSORS_ONLN); return n > 0 ? (int)n : 1; }
static inline void kt_on_fork(void (*child)(void)) { pthread_atfork(NULL, NULL, child); }
#endif
#endif /* !KILN_THREADS_SERIAL */

/* ---- the thread count ---- */
KR_STATE int kr_threads_wanted;          /* set by kr_threads_set; 0 = default */
KR_STATE int kr_threads_default_value;   /* KILN_NUM_THREADS or the core count, read once */
static inline int kr_threads_parse(const char *s) {
  if (!s || !*s) return 0;
  long v = 0;
  for (; *s; s++) {
    if (*s < '0' || *s > '9') return 0;
    v = v * 10 + (*s - '0');
    if (v > KR_MAX_THREADS) return KR_MAX_THREADS;
  }
  return (int)v;
}
/* How many threads a parallel loop uses (1 on wasm32 without atomics). */
static inline int kr_threads_count(void) {
#if KILN_THREADS_SERIAL
  return 1;
#else
  if (kr_threads_wanted > 0) return kr_threads_wanted;
  if (!kr_threads_default_value) {
    int n = kr_threads_parse(getenv("KILN_NUM_THREADS"));
    if (n <= 0) n = kt_cores();
    kr_threads_default_value = n < 1 ? 1 : n > KR_MAX_THREADS ? KR_MAX_THREADS : n;
  }
  return kr_threads_default_value;
#endif
}
/* Sets the thread count (n <= 0: back to KILN_NUM_THREADS or the core count); at most KR_MAX_THREADS. Takes
   effect at the next parallel loop; not to be called while one runs. */
static inline void kr_threads_set(int n) { kr_threads_wanted = n <= 0 ? 0 : n > KR_MAX_THREADS ? KR_MAX_THREADS : n; }

/* Runs fn over [begin, end) on the calling thread, chunk by chunk (grain as in kr_parallel_for), stopping at the
   first failing chunk: the serial order, and the fallback everywhere threads are not used. */
static int kr_serial_for(int64_t begin, int64_t end, int64_t grain, kr_range_fn fn, void *ctx) {
  if (grain <= 0) grain = end - begin;
  for (int64_t lo = begin; lo < end; lo += grain) {
    int64_t hi = end - lo > grain ? lo + grain : end;
    if (fn(ctx, lo, hi, 0)) return -1;
  }
  return 0;
}

#if KILN_THREADS_SERIAL
static inline int kr_parallel_for_n(int64_t begin, int64_t end, int64_t grain, kr_range_fn fn, void *ctx, int threads) {
  (void)threads;
  if (end <= begin) return 0;
  return kr_serial_for(begin, end, grain, fn, ctx);
}
static inline int kr_parallel_for(int64_t begin, int64_t end, int64_t grain, kr_range_fn fn, void *ctx) {
  return kr_parallel_for_n(begin, end, grain, fn, ctx, 1);
}
static inline void kr_threads_shutdown(void) {}
#else

/* ---- the pool (one per library: static state of this translation unit) ---- */
struct kr_pool_state {
  kt_mutex lock;
  kt_cond wake;             /* workers wait here for a new job */
  kt_cond idle;             /* the caller waits here for the job's workers to leave */
  int started;              /* threads made */
  int shutdown;
  atomic_uint gen;          /* job number; a change wakes the workers */
  atomic_int joined;        /* workers inside the current job */
  atomic_int busy;          /* a job is running (a second caller runs serially) */
  int open, allowed, slots; /* the job takes joiners; how many workers it wants; how many joined it */
  int sleeping;             /* workers waiting on `wake` */
  /* the job */
  kr_range_fn fn;
  void *ctx;
  int64_t begin, end, grain, nchunks;
  atomic_int next;          /* next chunk to hand out */
  atomic_int failed;        /* some chunk failed: start no more */
  /* the first failing chunk's exception */
  int64_t err_chunk;
  int err_kind, err_nframes;
  char err_msg[256];
  const char *err_frame_function[KILN_MAX_FRAMES];
  int err_frame_line[KILN_MAX_FRAMES];
  /* per-call heap blocks that chunks on pool threads allocated, for the caller to adopt */
  kr_block *orphans;
  int64_t norphans, caporphans;
  kr_list **orphan_lists;
  int64_t norphan_lists, caporphan_lists;
  int orphan_failed;
  kt_thread threads[KR_MAX_THREADS];
  int ids[KR_MAX_THREADS];
};
KR_STATE struct kr_pool_state kr_pool KR_STATE_INIT({ KT_MUTEX_INIT, KT_COND_INIT, KT_COND_INIT });
KR_STATE KILN_TLS int kr_pool_worker; /* 1.. on a pool thread */

/* How long a thread spins before it sleeps: after a job (the next one often follows at once: GEMM runs several per
   call, and a program calls it in a loop), and while the caller waits for the last chunks. A sleeping thread needs a
   futex wake-up and the scheduler's attention: tens of microseconds on an idle machine, hundreds in a virtual
   machine (measured here: a worker that slept between 60-us jobs never helped), which is the whole of a 256^3
   product. Bounded by time (kr_ticks) where there is a counter, else by a count of pauses. */
#ifndef KR_SPIN_MS
#define KR_SPIN_MS 2
#endif
#define KR_SPIN_COUNT (1 << 20)
/* Spins while cond holds, at most KR_SPIN_MS (or KR_SPIN_COUNT pauses without a tick counter). */
#define KR_SPIN_WHILE(cond) do { \
    uint64_t kr_t0_ = kr_ticks(), kr_limit_ = KR_SPIN_MS * kr_ticks_per_ms(); \
    for (uint32_t kr_i_ = 1; (cond); kr_i_++) { \
      kr_cpu_relax(); \
      if ((kr_i_ & 63) == 0 && (kr_t0_ ? kr_ticks() - kr_t0_ > kr_limit_ : kr_i_ > KR_SPIN_COUNT)) break; \
    } \
  } while (0)

/* Keeps the exception of the lowest failing chunk (the one a serial loop would have raised). Under the lock. */
static void kr_pool_note_error(int64_t chunk) {
  if (chunk >= kr_pool.err_chunk) return;
  kr_pool.err_chunk = chunk;
  kr_pool.err_kind = kr_err.kind;
  size_t n = strlen(kr_err.message ? kr_err.message : "");
  if (n >= sizeof kr_pool.err_msg) n = sizeof kr_pool.err_msg - 1;
  memcpy(kr_pool.err_msg, kr_err.message ? kr_err.message : "", n);
  kr_pool.err_msg[n] = 0;
  kr_pool.err_nframes = kr_err.nframes;
  for (int i = 0; i < kr_err.nframes; i++) {
    kr_pool.err_frame_function[i] = kr_err.frame_function[i];
    kr_pool.err_frame_line[i] = kr_err.frame_line[i];
  }
}

/* Moves this pool thread's per-call heap (arrays its chunks allocated) to the pool, for the caller. Under the lock. */
static void kr_pool_give_heap(void) {
  if (kr_heap.n) {
    if (kr_pool.norphans + kr_heap.n > kr_pool.caporphans) {
      int64_t cap = kr_pool.caporphans * 2 + kr_heap.n + 16;
      kr_block *g = (kr_block *)realloc(kr_pool.orphans, (size_t)cap * sizeof *g);
      if (!g) { kr_pool.orphan_failed = 1; return; }
      kr_pool.orphans = g;
      kr_pool.caporphans = cap;
    }
    memcpy(kr_pool.orphans + kr_pool.norphans, kr_heap.blocks, (size_t)kr_heap.n * sizeof(kr_block));
    kr_pool.norphans += kr_heap.n;
    kr_heap.n = 0;
    /* the slab list headers are cut from is one of those blocks now: the caller frees it */
    kr_heap.slab = NULL;
    kr_heap.slab_left = 0;
    /* so is the arena small list buffers are cut from, and the buffers given back to it */
    kr_heap.arena = NULL;
    kr_heap.arena_left = 0;
    memset(kr_heap.small_free, 0, sizeof kr_heap.small_free);
  }
  if (kr_heap.nl) {
    if (kr_pool.norphan_lists + kr_heap.nl > kr_pool.caporphan_lists) {
      int64_t cap = kr_pool.caporphan_lists * 2 + kr_heap.nl + 16;
      kr_list **g = (kr_list **)realloc(kr_pool.orphan_lists, (size_t)cap * sizeof *g);
      if (!g) { kr_pool.orphan_failed = 1; return; }
      kr_pool.orphan_lists = g;
      kr_pool.caporphan_lists = cap;
    }
    memcpy(kr_pool.orphan_lists + kr_pool.norphan_lists, kr_heap.lists, (size_t)kr_heap.nl * sizeof(kr_list *));
    kr_pool.norphan_lists += kr_heap.nl;
    kr_heap.nl = 0;
    kr_heap.nspare = 0; /* freed headers among them are the caller's now */
  }
}
/* The caller takes the pool threads' blocks into its own per-call heap. 0, or -1 with MemoryError. */
static int kr_pool_adopt_heap(void) {
  int rc = 0;
  for (int64_t i = 0; i < kr_pool.norphans; i++) {
    if (kr_heap_room()) { kr_block_put(kr_pool.orphans[i]); rc = -1; continue; }
    kr_heap.blocks[kr_heap.n++] = kr_pool.orphans[i];
  }
  for (int64_t i = 0; i < kr_pool.norphan_lists; i++) {
    if (kr_heap_push((void ***)&kr_heap.lists, &kr_heap.nl, &kr_heap.capl, kr_pool.orphan_lists[i])) {
      free(kr_pool.orphan_lists[i]->data);
      kr_pool.orphan_lists[i]->data = NULL;
      rc = -1;
    }
  }
  kr_pool.norphans = kr_pool.norphan_lists = 0;
  if (kr_pool.orphan_failed) { kr_pool.orphan_failed = 0; rc = -1; }
  return rc ? kr_raise_memory() : 0;
}

/* Takes chunks of the current job until none is left or one failed. */
static void kr_pool_run_chunks(int worker) {
  while (!atomic_load_explicit(&kr_pool.failed, memory_order_relaxed)) {
    int64_t c = atomic_fetch_add_explicit(&kr_pool.next, 1, memory_order_relaxed);
    if (c >= kr_pool.nchunks) break;
    int64_t lo = kr_pool.begin + c * kr_pool.grain;
    int64_t hi = kr_pool.end - lo > kr_pool.grain ? lo + kr_pool.grain : kr_pool.end;
    if (kr_pool.fn(kr_pool.ctx, lo, hi, worker)) {
      kt_lock(&kr_pool.lock);
      kr_pool_note_error(c);
      kt_unlock(&kr_pool.lock);
      atomic_store(&kr_pool.failed, 1);
      kr_err.kind = KILN_OK; /* the caller reports it */
    }
  }
}

static void kr_pool_worker_loop(int id) {
  kr_pool_worker = id; /* nonzero: parallel loops inside a chunk run serially */
  unsigned seen = atomic_load(&kr_pool.gen);
  for (;;) {
    /* Wait for a new job: spin a little (jobs often come in a row), then sleep. */
    KR_SPIN_WHILE(atomic_load_explicit(&kr_pool.gen, memory_order_acquire) == seen);
    kt_lock(&kr_pool.lock);
    while (atomic_load(&kr_pool.gen) == seen && !kr_pool.shutdown) {
      kr_pool.sleeping++;
      kt_wait(&kr_pool.wake, &kr_pool.lock);
      kr_pool.sleeping--;
    }
    if (kr_pool.shutdown) {
      kt_unlock(&kr_pool.lock);
      kr_heap_release(); /* this thread's (empty) heap bookkeeping and object free lists */
      kr_gc_release();
      return;
    }
    seen = atomic_load(&kr_pool.gen);
    if (!kr_pool.open || kr_pool.slots >= kr_pool.allowed) { kt_unlock(&kr_pool.lock); continue; }
    int slot = ++kr_pool.slots; /* the worker index fn sees: 1..allowed, unique within the job */
    atomic_fetch_add(&kr_pool.joined, 1);
    kt_unlock(&kr_pool.lock);
    kr_pool_run_chunks(slot);
    kt_lock(&kr_pool.lock);
    if (kr_heap.n || kr_heap.nl) kr_pool_give_heap();
    if (atomic_fetch_sub(&kr_pool.joined, 1) == 1) kt_broadcast(&kr_pool.idle);
    kt_unlock(&kr_pool.lock);
  }
}
#if defined(_WIN32)
static DWORD WINAPI kt_entry(LPVOID arg) { kr_pool_worker_loop(*(int *)arg); return 0; }
#else
static void *kt_entry(void *arg) { kr_pool_worker_loop(*(int *)arg); return NULL; }
#endif

/* In a child after fork(): the parent's threads do not exist here. */
static void kr_pool_after_fork(void) {
  kt_mutex m = KT_MUTEX_INIT;
  kt_cond c1 = KT_COND_INIT, c2 = KT_COND_INIT;
  kr_pool.lock = m;
  kr_pool.wake = c1;
  kr_pool.idle = c2;
  kr_pool.started = 0;
  kr_pool.sleeping = 0;
  atomic_store(&kr_pool.joined, 0);
  atomic_store(&kr_pool.busy, 0);
}

KR_STATE int kr_pool_fork_hook; /* the after-fork handler is installed */

/* Starts threads up to want - 1 (under the lock). Returns how many there are. */
static int kr_pool_grow(int want) {
  if (!kr_pool_fork_hook) { kr_pool_fork_hook = 1; kt_on_fork(kr_pool_after_fork); }
  while (kr_pool.started < want - 1 && kr_pool.started < KR_MAX_THREADS) {
    int id = kr_pool.started + 1;
    kr_pool.ids[kr_pool.started] = id;
    if (kt_start(&kr_pool.threads[kr_pool.started], &kr_pool.ids[kr_pool.started])) break;
    kr_pool.started++;
  }
  return kr_pool.started;
}

/* kr_parallel_for with at most `threads` threads (worker indices below it), for a caller that sized per-worker
   buffers by a count it read earlier: kr_threads_set from another thread cannot make an index overrun them. */
static int kr_parallel_for_n(int64_t begin, int64_t end, int64_t grain, kr_range_fn fn, void *ctx, int threads) {
  if (end <= begin) return 0;
  int64_t n = end - begin;
  if (threads > kr_threads_count()) threads = kr_threads_count();
  if (threads < 1) threads = 1;
  if (grain <= 0) grain = (n + threads - 1) / threads;
  if (n / grain > (1 << 30)) grain = n / (1 << 30) + 1; /* the chunk counter is an int */
  int64_t nchunks = (n + grain - 1) / grain;
  int expected = 0;
  if (threads <= 1 || nchunks <= 1 || kr_pool_worker ||
      !atomic_compare_exchange_strong(&kr_pool.busy, &expected, 1))
    return kr_serial_for(begin, end, grain, fn, ctx);
  kt_lock(&kr_pool.lock);
  int helpers = kr_pool_grow(threads);
  if (helpers > nchunks - 1) helpers = (int)(nchunks - 1);
  if (helpers > threads - 1) helpers = threads - 1;
  kr_pool.fn = fn;
  kr_pool.ctx = ctx;
  kr_pool.begin = begin;
  kr_pool.end = end;
  kr_pool.grain = grain;
  kr_pool.nchunks = nchunks;
  kr_pool.err_chunk = INT64_MAX;
  atomic_store(&kr_pool.next, 0);
  atomic_store(&kr_pool.failed, 0);
  kr_pool.open = 1;
  kr_pool.allowed = helpers;
  kr_pool.slots = 0;
  atomic_fetch_add_explicit(&kr_pool.gen, 1, memory_order_release);
  if (kr_pool.sleeping) kt_broadcast(&kr_pool.wake);
  kt_unlock(&kr_pool.lock);

  /* The caller takes chunks too (worker 0). */
  while (!atomic_load_explicit(&kr_pool.failed, memory_order_relaxed)) {
    int64_t c = atomic_fetch_add_explicit(&kr_pool.next, 1, memory_order_relaxed);
    if (c >= nchunks) break;
    int64_t lo = begin + c * grain, hi = end - lo > grain ? lo + grain : end;
    /* Nested parallel loops inside the caller's own chunks run serially too. */
    kr_pool_worker = -1;
    int rc = fn(ctx, lo, hi, 0);
    kr_pool_worker = 0;
    if (rc) {
      kt_lock(&kr_pool.lock);
      kr_pool_note_error(c);
      kt_unlock(&kr_pool.lock);
      atomic_store(&kr_pool.failed, 1);
    }
  }
  /* Close the job and wait for the workers inside it: spin while they finish their last chunk, then sleep. */
  kt_lock(&kr_pool.lock);
  kr_pool.open = 0;
  kt_unlock(&kr_pool.lock);
  KR_SPIN_WHILE(atomic_load_explicit(&kr_pool.joined, memory_order_acquire));
  kt_lock(&kr_pool.lock);
  while (atomic_load(&kr_pool.joined)) kt_wait(&kr_pool.idle, &kr_pool.lock);
  int rc = 0;
  if (kr_pool.err_chunk != INT64_MAX) {
    size_t len = strlen(kr_pool.err_msg);
    if (len >= sizeof kr_err.buffer) len = sizeof kr_err.buffer - 1;
    memcpy(kr_err.buffer, kr_pool.err_msg, len);
    kr_err.buffer[len] = 0;
    kr_raise(kr_pool.err_kind, kr_err.buffer);
    kr_err.nframes = kr_pool.err_nframes;
    for (int i = 0; i < kr_pool.err_nframes; i++) {
      kr_err.frame_function[i] = kr_pool.err_frame_function[i];
      kr_err.frame_line[i] = kr_pool.err_frame_line[i];
    }
    rc = -1;
  }
  if ((kr_pool.norphans || kr_pool.norphan_lists || kr_pool.orphan_failed) && kr_pool_adopt_heap() && !rc) rc = -1;
  kt_unlock(&kr_pool.lock);
  atomic_store(&kr_pool.busy, 0);
  return rc;
}

static int kr_parallel_for(int64_t begin, int64_t end, int64_t grain, kr_range_fn fn, void *ctx) {
  return kr_parallel_for_n(begin, end, grain, fn, ctx, kr_threads_count());
}

/* Stops and joins the pool's threads and frees its memory; the next parallel loop starts new ones. Not to be
   called while a parallel loop runs. */
static void kr_threads_shutdown(void) {
  kt_lock(&kr_pool.lock);
  kr_pool.shutdown = 1;
  kt_broadcast(&kr_pool.wake);
  int n = kr_pool.started;
  kt_unlock(&kr_pool.lock);
  for (int i = 0; i < n; i++) kt_join(kr_pool.threads[i]);
  kt_lock(&kr_pool.lock);
  kr_pool.started = 0;
  kr_pool.shutdown = 0;
  free(kr_pool.orphans);
  free(kr_pool.orphan_lists);
  kr_pool.orphans = NULL;
  kr_pool.orphan_lists = NULL;
  kr_pool.caporphans = kr_pool.caporphan_lists = 0;
  kt_unlock(&kr_pool.lock);
}
#endif /* !KILN_THREADS_SERIAL */

#endif /* KILN_THREADS_H */
