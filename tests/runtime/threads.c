/*
 * The thread pool (resources/c/kiln_threads.h), exercised the way generated code and the kernels use it. Each
 * check prints "ok <name>" or "FAIL <name>: why", then "PASSED" or "FAILED"; tests/runtime/threads.test.ts runs
 * it natively, under valgrind, on wasm32 (serial fallback), under QEMU and under Wine (Win32 threads).
 * Argument: "count" prints kr_threads_count() (to check KILN_NUM_THREADS); else how much work to do, 1-20 (default 20;
 * less under valgrind, which runs one thread at a time, and under emulation), then "nofork" to leave out the
 * fork check (QEMU user mode cannot fork a process that has threads: it aborts in the child).
 */
#include <stdio.h>
#include "kiln_threads.h"
#if !KILN_THREADS_SERIAL && !defined(_WIN32)
#include <sys/wait.h>
#endif

static int failures;
static int scale = 20;
#define CHECK(name, cond, ...) do { \
  if (cond) printf("ok %s\n", name); \
  else { failures++; printf("FAIL %s: ", name); printf(__VA_ARGS__); printf("\n"); } } while (0)

/* ---- every index once, worker indices in range ---- */
typedef struct { int *hits; int *worker_of; int threads; atomic_int bad_worker; } cover_ctx;
static int cover_body(void *p, int64_t lo, int64_t hi, int worker) {
  cover_ctx *c = (cover_ctx *)p;
  if (worker < 0 || worker >= c->threads) atomic_store(&c->bad_worker, 1);
  for (int64_t i = lo; i < hi; i++) { c->hits[i]++; c->worker_of[i] = worker; }
  return 0;
}
static int check_cover(int threads, int64_t begin, int64_t end, int64_t grain) {
  int64_t n = end > 0 ? end : 1;
  cover_ctx c = { calloc((size_t)n, sizeof(int)), calloc((size_t)n, sizeof(int)), threads, 0 };
  kr_threads_set(threads);
  int rc = kr_parallel_for(begin, end, grain, cover_body, &c);
  int ok = rc == 0 && !atomic_load(&c.bad_worker);
  for (int64_t i = 0; i < n; i++) ok &= c.hits[i] == (i >= begin && i < end);
  free(c.hits);
  free(c.worker_of);
  return ok;
}

/* ---- the lowest failing chunk's exception ---- */
typedef struct { int64_t fail_from; } fail_ctx;
static int fail_body(void *p, int64_t lo, int64_t hi, int worker) {
  (void)worker;
  fail_ctx *c = (fail_ctx *)p;
  for (int64_t i = lo; i < hi; i++) {
    if (i >= c->fail_from && i % 7 == 3) {
      snprintf(kr_err.buffer, sizeof kr_err.buffer, "index %lld is out of bounds for axis 0 with size 5", (long long)i);
      kr_raise(KILN_IndexError, kr_err.buffer);
      return kr_frame("body", (int)(100 + i % 5));
    }
  }
  return 0;
}

/* ---- arrays allocated inside chunks live until the call's heap is released ---- */
typedef struct { double **rows; int64_t m; } alloc_ctx;
static int alloc_body(void *p, int64_t lo, int64_t hi, int worker) {
  (void)worker;
  alloc_ctx *c = (alloc_ctx *)p;
  for (int64_t i = lo; i < hi; i++) {
    double *row = (double *)kr_alloc((size_t)c->m * sizeof(double), 0);
    if (!row) return -1;
    for (int64_t j = 0; j < c->m; j++) row[j] = (double)(i * c->m + j);
    c->rows[i] = row;
    kr_list *l = kr_list_new(0, sizeof(int64_t)); /* a list that grows inside the chunk */
    if (!l) return -1;
    for (int64_t j = 0; j < 50; j++) { int64_t v = j; if (kr_list_append(l, &v, sizeof v)) return -1; }
  }
  return 0;
}

/* ---- nested loops run serially inside a chunk ---- */
typedef struct { int64_t *sums; } nest_ctx;
typedef struct { int64_t row; int64_t acc; } inner_ctx;
static int inner_body(void *p, int64_t lo, int64_t hi, int worker) {
  inner_ctx *c = (inner_ctx *)p;
  if (worker != 0) return kr_raise(KILN_RuntimeError, "nested loop ran on another thread");
  for (int64_t i = lo; i < hi; i++) c->acc += c->row * 1000 + i;
  return 0;
}
static int outer_body(void *p, int64_t lo, int64_t hi, int worker) {
  (void)worker;
  nest_ctx *c = (nest_ctx *)p;
  for (int64_t r = lo; r < hi; r++) {
    inner_ctx ic = { r, 0 };
    if (kr_parallel_for(0, 100, 10, inner_body, &ic)) return -1;
    c->sums[r] = ic.acc;
  }
  return 0;
}

/* ---- a compute-bound loop: each item's result is the same whichever thread runs it ---- */
typedef struct { const double *x; double *y; } work_ctx;
static int work_body(void *p, int64_t lo, int64_t hi, int worker) {
  (void)worker;
  work_ctx *c = (work_ctx *)p;
  for (int64_t i = lo; i < hi; i++) {
    double v = c->x[i];
    for (int k = 0; k < 200; k++) v = v * 0.999 + 0.5 / (1.0 + v * v);
    c->y[i] = v;
  }
  return 0;
}

#if !KILN_THREADS_SERIAL
/* Two application threads calling parallel loops at once: one gets the pool, the other runs serially. */
typedef struct { int64_t n; int ok; } app_ctx;
#if defined(_WIN32)
static DWORD WINAPI app_thread(LPVOID p)
#else
static void *app_thread(void *p)
#endif
{
  app_ctx *a = (app_ctx *)p;
  a->ok = 1;
  for (int rep = 0; rep < 200; rep++) {
    cover_ctx c = { calloc((size_t)a->n, sizeof(int)), calloc((size_t)a->n, sizeof(int)), kr_threads_count(), 0 };
    if (kr_parallel_for(0, a->n, 0, cover_body, &c)) a->ok = 0;
    for (int64_t i = 0; i < a->n; i++) if (c.hits[i] != 1) a->ok = 0;
    free(c.hits);
    free(c.worker_of);
  }
#if defined(_WIN32)
  return 0;
#else
  return NULL;
#endif
}
#endif

int main(int argc, char **argv) {
  if (argc > 1 && strcmp(argv[1], "count") == 0) { printf("%d\n", kr_threads_count()); return 0; }
  if (argc > 1) scale = atoi(argv[1]) < 1 ? 1 : atoi(argv[1]) > 20 ? 20 : atoi(argv[1]);
  int fork_check = !(argc > 2 && strcmp(argv[2], "nofork") == 0);
  (void)fork_check;

  /* coverage for many shapes and thread counts */
  {
    int ok = 1;
    static const int counts[] = { 1, 2, 3, 4, 8 };
    static const int64_t sizes[][3] = { { 0, 0, 0 }, { 0, 1, 0 }, { 0, 2, 0 }, { 0, 7, 1 }, { 5, 100, 0 }, { 0, 1000, 3 },
                                        { 0, 1000, 999 }, { 0, 1000, 1000 }, { 0, 1000, 1001 }, { 10, 100000, 0 }, { 0, 100000, 7 } };
    for (size_t t = 0; t < sizeof counts / sizeof counts[0]; t++)
      for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++)
        for (int rep = 0; rep < scale; rep++) ok &= check_cover(counts[t], sizes[s][0], sizes[s][1], sizes[s][2]);
    CHECK("covers_each_index_once", ok, "an index ran twice or never, or a worker index was out of range");
  }

  /* the exception of the first failing chunk in iteration order, with its frames */
  {
    int ok = 1;
    for (int threads = 1; threads <= 4; threads++) {
      kr_threads_set(threads);
      for (int64_t from = 0; from < 2000; from += 97 * (21 - scale)) {
        fail_ctx c = { from };
        kr_reset();
        int rc = kr_parallel_for(0, 2000, 50, fail_body, &c);
        int64_t first = from; /* the first i >= from with i % 7 == 3 */
        while (first % 7 != 3) first++;
        char want[160];
        snprintf(want, sizeof want, "index %lld is out of bounds for axis 0 with size 5", (long long)first);
        int good = rc == -1 && kr_err.kind == KILN_IndexError && strcmp(kr_err.message, want) == 0 &&
                   kr_err.nframes == 1 && strcmp(kr_err.frame_function[0], "body") == 0 && kr_err.frame_line[0] == 100 + first % 5;
        if (!good) { ok = 0; printf("  threads %d from %lld: rc %d kind %d message '%s'\n", threads, (long long)from, rc, kr_err.kind, kr_err.message); }
      }
    }
    kr_reset();
    CHECK("first_error_wins", ok, "wrong exception reported");
  }

  /* arrays made inside chunks are the caller's until its heap is released (valgrind: nothing leaks) */
  {
    int ok = 1;
    for (int threads = 1; threads <= 3; threads++) {
      kr_threads_set(threads);
      int64_t n = 300, m = 100;
      double **rows = (double **)calloc((size_t)n, sizeof(double *));
      alloc_ctx c = { rows, m };
      int64_t before = kr_heap.n;
      ok &= kr_parallel_for(0, n, 4, alloc_body, &c) == 0;
      /* a row per item, the slabs the list headers were cut from (at most one per list), and each list */
      ok &= kr_heap.n - before > n && kr_heap.n - before <= 2 * n && kr_heap.nl == n;
      for (int64_t i = 0; i < n && ok; i++)
        for (int64_t j = 0; j < m; j++) ok &= rows[i][j] == (double)(i * m + j);
      kr_heap_release();
      free(rows);
    }
    CHECK("chunk_allocations_go_to_caller", ok, "blocks were lost or corrupted");
  }

  /* nested parallel loops */
  {
    kr_threads_set(4);
    int64_t sums[64];
    nest_ctx c = { sums };
    int rc = kr_parallel_for(0, 64, 1, outer_body, &c);
    int ok = rc == 0;
    for (int64_t r = 0; r < 64; r++) ok &= sums[r] == r * 1000 * 100 + 4950;
    CHECK("nested_runs_serially", ok, "rc %d (%s)", rc, kr_err.message);
    kr_reset();
  }

  /* the same results with 1, 2 and 3 threads, and many jobs in a row */
  {
    int64_t n = 1000 * scale;
    double *x = (double *)malloc((size_t)n * sizeof(double)), *y1 = (double *)malloc((size_t)n * sizeof(double)), *y2 = (double *)malloc((size_t)n * sizeof(double));
    for (int64_t i = 0; i < n; i++) x[i] = (double)(i % 1000) / 7.0;
    kr_threads_set(1);
    work_ctx a = { x, y1 };
    kr_parallel_for(0, n, 0, work_body, &a);
    int ok = 1;
    for (int threads = 2; threads <= 3; threads++) {
      kr_threads_set(threads);
      for (int rep = 0; rep < 1 + 2 * scale; rep++) {
        memset(y2, 0, (size_t)n * sizeof(double));
        work_ctx b = { x, y2 };
        ok &= kr_parallel_for(0, n, rep % 2 ? 0 : 333, work_body, &b) == 0;
        ok &= memcmp(y1, y2, (size_t)n * sizeof(double)) == 0;
      }
    }
    free(x); free(y1); free(y2);
    CHECK("same_results_any_thread_count", ok, "results differ");
  }

#if !KILN_THREADS_SERIAL
  /* two application threads at once */
  {
    kr_threads_set(2);
    app_ctx a = { 5000, 0 }, b = { 7000, 0 };
#if defined(_WIN32)
    HANDLE t = CreateThread(NULL, 0, app_thread, &b, 0, NULL);
    app_thread(&a);
    WaitForSingleObject(t, INFINITE);
    CloseHandle(t);
#else
    pthread_t t;
    pthread_create(&t, NULL, app_thread, &b);
    app_thread(&a);
    pthread_join(t, NULL);
#endif
    CHECK("concurrent_callers", a.ok && b.ok, "a %d b %d", a.ok, b.ok);
  }

  /* shut down, start again */
  {
    kr_threads_shutdown();
    int ok = check_cover(3, 0, 10000, 0);
    kr_threads_shutdown();
    ok &= check_cover(2, 0, 10000, 0);
    CHECK("shutdown_and_restart", ok, "pool did not restart");
  }

#if !defined(_WIN32)
  /* a child after fork() gets its own pool */
  if (fork_check) {
    check_cover(2, 0, 1000, 0); /* the parent's threads exist */
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) { int ok = check_cover(2, 0, 100000, 0); kr_threads_shutdown(); kr_heap_release(); kr_cache_release(); _exit(ok ? 0 : 1); }
    int status = 0;
    waitpid(pid, &status, 0);
    CHECK("fork_child_has_a_pool", WIFEXITED(status) && WEXITSTATUS(status) == 0, "child status %d", status);
  }
#endif
  kr_threads_shutdown();
#endif
  kr_heap_release();
  /* blocks of 64 KB and more (the list arenas) wait in the cache for the next call: kiln_release_memory's work */
  kr_cache_release();
  printf(failures ? "FAILED\n" : "PASSED\n");
  return failures ? 1 : 0;
}
