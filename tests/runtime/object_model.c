/*
 * The object model's runtime core (resources/c/kiln_object.h), exercised the way generated code will use it:
 * a class with two reference fields (Node), a growable list of references (RefList), module-level roots, and
 * exported calls bracketed by kr_call_enter/kr_call_exit. Each check prints "ok <name>" or "FAIL <name>: why";
 * tests/runtime/object-model.test.ts runs it natively, under valgrind, on wasm32 and under QEMU.
 * Argument: how many objects the bounded-memory loop makes and drops (default 10,000,000).
 */
#include <stdio.h>
#include "kiln_runtime.h" /* includes kiln_object.h */

static int failures;
#define CHECK(name, cond, ...) do { \
  if (cond) printf("ok %s\n", name); \
  else { failures++; printf("FAIL %s: ", name); printf(__VA_ARGS__); printf("\n"); } } while (0)

/* ---- class Node: value: int; next: Node | None; prev: Node | None ---- */
typedef struct Node { kr_obj ob; kr_obj *next, *prev; int64_t value; } Node;
static void node_traverse(kr_obj *o, kr_visit_fn visit, void *arg) {
  Node *n = (Node *)o;
  if (n->next) visit(n->next, arg);
  if (n->prev) visit(n->prev, arg);
}
static void node_clear(kr_obj *o) {
  Node *n = (Node *)o;
  kr_clear_slot(&n->next);
  kr_clear_slot(&n->prev);
}
static const kr_type node_type = { "Node", NULL, KR_TF_GC, sizeof(Node), node_traverse, node_clear, NULL };
static const kr_type leaf_type = { "Leaf", &node_type, KR_TF_GC, sizeof(Node), node_traverse, node_clear, NULL };

static Node *node_new(int64_t value) {
  Node *n = (Node *)kr_obj_new(&node_type, 0);
  if (n) n->value = value;
  return n;
}

/* ---- list[Node]: a growable array of references, its buffer outside the object ---- */
typedef struct RefList { kr_obj ob; int64_t len, cap; kr_obj **items; } RefList;
static void list_traverse(kr_obj *o, kr_visit_fn visit, void *arg) {
  RefList *l = (RefList *)o;
  for (int64_t i = 0; i < l->len; i++) if (l->items[i]) visit(l->items[i], arg);
}
static void list_clear(kr_obj *o) {
  RefList *l = (RefList *)o;
  int64_t n = l->len;
  l->len = 0;
  for (int64_t i = 0; i < n; i++) kr_clear_slot(&l->items[i]);
}
static void list_finalize(kr_obj *o) { free(((RefList *)o)->items); }
static const kr_type list_type = { "list", NULL, KR_TF_GC, sizeof(RefList), list_traverse, list_clear, list_finalize };
static RefList *list_new(void) { return (RefList *)kr_obj_new(&list_type, 0); }
static int list_append(RefList *l, kr_obj *item) {
  if (l->len == l->cap) {
    int64_t nc = l->cap ? l->cap * 2 : 4;
    kr_obj **grown = (kr_obj **)realloc(l->items, (size_t)nc * sizeof(kr_obj *));
    if (!grown) return kr_raise(KILN_MemoryError, "");
    l->items = grown;
    l->cap = nc;
  }
  kr_incref(item);
  l->items[l->len++] = item;
  return 0;
}

/* ---- a str-like immutable object with no references (never tracked) ---- */
typedef struct Str { kr_obj ob; int64_t alloc_size, len; char data[]; } Str;
static const kr_type str_type = { "str", NULL, 0, 0, NULL, NULL, NULL };
static Str *str_new(const char *s) {
  size_t n = strlen(s);
  Str *o = (Str *)kr_varobj_new(&str_type, sizeof(Str) + n + 1);
  if (o) { o->len = (int64_t)n; memcpy(o->data, s, n + 1); }
  return o;
}
static Str static_hello = { KR_STATIC_HEAD(&str_type), 0, 5, { 0 } };

/* module-level globals: roots that outlive calls (they own a reference) */
static kr_obj *global_cache;

/* An "exported call": what the compiler's wrapper does around a compiled function. */
#define CALL(...) do { kr_call_enter(); __VA_ARGS__; kr_call_exit(); } while (0)

static void build_doubly_linked(int64_t n, int keep_head) {
  Node *head = node_new(0), *tail = head;
  kr_incref(head);                       /* the local `head` and the local `tail` each own a reference */
  for (int64_t i = 1; i < n; i++) {
    Node *x = node_new(i);               /* new reference, owned by the local `x` */
    kr_assign(&tail->next, (kr_obj *)x);
    kr_assign(&x->prev, (kr_obj *)tail);
    kr_decref(tail);                     /* tail = x: the local moves to x */
    tail = x;
  }
  if (keep_head) kr_assign(&global_cache, (kr_obj *)head);
  kr_decref(tail);
  kr_decref(head);
}

int main(int argc, char **argv) {
  int64_t loop_n = argc > 1 ? atoll(argv[1]) : 10000000;

  /* (a) reference semantics: two names for one object see each other's changes */
  CALL({
    Node *a = node_new(1);
    Node *b = a; kr_incref(b);           /* b = a */
    b->value = 42;
    CHECK("alias_sees_write", a->value == 42 && a == b, "a.value=%lld", (long long)a->value);
    RefList *l = list_new();
    list_append(l, (kr_obj *)a);
    list_append(l, (kr_obj *)a);         /* xs = [a, a] */
    ((Node *)l->items[1])->value = 7;    /* xs[1].value = 7 */
    CHECK("alias_through_list", ((Node *)l->items[0])->value == 7 && a->ob.rc == 4, "rc=%lld", (long long)a->ob.rc);
    kr_decref(l); kr_decref(b); kr_decref(a);
  });
  CHECK("alias_all_freed", kr_gc.live == 0, "live=%lld", (long long)kr_gc.live);

  /* (b) nothing leaks across calls: acyclic structures go when their last reference does */
  for (int call = 0; call < 1000; call++) {
    CALL({
      RefList *l = list_new();
      for (int i = 0; i < 50; i++) { Node *n = node_new(i); list_append(l, (kr_obj *)n); kr_decref(n); }
      Str *s = str_new("temporary");
      kr_decref(s);
      kr_decref(l);
    });
  }
  CHECK("calls_leave_nothing", kr_gc.live == 0 && kr_gc.collections == 0, "live=%lld collections=%lld", (long long)kr_gc.live, (long long)kr_gc.collections);

  /* (c) a loop that makes and drops objects runs in bounded memory (and reuses freed blocks) */
  int64_t max_live = 0;
  int64_t allocs0 = kr_gc.allocs;
  CALL({
    Node *prev = NULL;
    for (int64_t i = 0; i < loop_n; i++) {
      Node *n = node_new(i);             /* v = Node(i); v.prev = previous; previous = v */
      if (!n) { printf("FAIL loop: MemoryError\n"); failures++; break; }
      if (prev) { kr_assign(&n->prev, (kr_obj *)prev); kr_clear_slot(&prev->prev); }
      kr_decref(prev);
      prev = n;
      if (kr_gc.live > max_live) max_live = kr_gc.live;
      kr_gc_maybe();
    }
    kr_decref(prev);
  });
  CHECK("loop_bounded", max_live <= 3 && kr_gc.live == 0 && kr_gc.allocs - allocs0 == loop_n,
        "max_live=%lld live=%lld allocs=%lld", (long long)max_live, (long long)kr_gc.live, (long long)(kr_gc.allocs - allocs0));

  /* (d) cycles: a doubly linked list dropped inside a call is freed when the top-level call returns */
  int64_t collected0 = kr_gc.collected;
  CALL({
    build_doubly_linked(100000, 0);
    CHECK("cycle_alive_inside_call", kr_gc.live == 100000, "live=%lld", (long long)kr_gc.live);
  });
  CHECK("cycle_freed_at_return", kr_gc.live == 0 && kr_gc.collected - collected0 == 100000,
        "live=%lld collected=%lld", (long long)kr_gc.live, (long long)(kr_gc.collected - collected0));

  /* a nested compiled call does not collect: only the outermost return does */
  CALL({
    CALL({ build_doubly_linked(10, 0); });
    CHECK("nested_call_keeps", kr_gc.live == 10, "live=%lld", (long long)kr_gc.live);
  });
  CHECK("outer_return_collects", kr_gc.live == 0, "live=%lld", (long long)kr_gc.live);

  /* a structure kept by a module global survives the call and later calls; dropped, it goes */
  CALL({ build_doubly_linked(1000, 1); });
  CHECK("global_keeps_cycle", kr_gc.live == 1000 && ((Node *)global_cache)->value == 0, "live=%lld", (long long)kr_gc.live);
  CALL({ Node *n = node_new(5); kr_decref(n); });
  CHECK("old_generation_kept", kr_gc.live == 1000 && kr_gc.count[KR_GEN_OLD] == 1000, "live=%lld old=%lld", (long long)kr_gc.live, (long long)kr_gc.count[KR_GEN_OLD]);
  CALL({ kr_clear_slot(&global_cache); });
  CHECK("old_cycle_needs_full", kr_gc.live == 1000, "live=%lld (a young collection leaves old cycles)", (long long)kr_gc.live);
  kr_gc_collect(KR_GEN_OLD);
  CHECK("full_collection_frees_old_cycle", kr_gc.live == 0 && kr_gc.count[KR_GEN_OLD] == 0, "live=%lld old=%lld", (long long)kr_gc.live, (long long)kr_gc.count[KR_GEN_OLD]);

  /* a graph: a reachable part (from a local) and an unreachable part with back edges; objects held by C
   * locals at a safe point survive a collection in the middle of a call */
  CALL({
    RefList *keep = list_new();          /* a local */
    for (int g = 0; g < 3; g++) {
      Node *a = node_new(g), *b = node_new(g + 10), *c = node_new(g + 20);
      kr_assign(&a->next, (kr_obj *)b); kr_assign(&b->next, (kr_obj *)c); kr_assign(&c->next, (kr_obj *)a);
      kr_assign(&c->prev, (kr_obj *)b); kr_assign(&b->prev, (kr_obj *)a);
      if (g == 1) list_append(keep, (kr_obj *)a);
      kr_decref(a); kr_decref(b); kr_decref(c);
    }
    kr_gc_collect(KR_GEN_YOUNG);         /* as kr_gc_maybe would, mid-call */
    CHECK("midcall_keeps_reachable", kr_gc.live == 4 && ((Node *)keep->items[0])->value == 1 &&
          ((Node *)((Node *)((Node *)keep->items[0])->next)->next)->value == 21, "live=%lld", (long long)kr_gc.live);
    kr_decref(keep);
  });
  CHECK("graph_all_freed", kr_gc.live == 0, "live=%lld", (long long)kr_gc.live);

  /* a self-reference and a list that contains itself */
  CALL({
    Node *n = node_new(1); kr_assign(&n->next, (kr_obj *)n); kr_decref(n);
    RefList *l = list_new(); list_append(l, (kr_obj *)l); kr_decref(l);
  });
  CHECK("self_cycles_freed", kr_gc.live == 0, "live=%lld", (long long)kr_gc.live);

  /* deep chains are freed without recursion (a million frames would overflow the C stack on a phone) */
  CALL({
    Node *head = NULL;
    for (int64_t i = 0; i < 1000000; i++) { Node *n = node_new(i); n->next = (kr_obj *)head; head = n; }
    kr_decref(head);
  });
  CHECK("deep_chain_freed", kr_gc.live == 0, "live=%lld", (long long)kr_gc.live);

  /* static (immortal) objects are never counted or freed; untracked objects are not in the collector's lists */
  CALL({
    RefList *l = list_new();
    list_append(l, (kr_obj *)&static_hello);
    list_append(l, (kr_obj *)&static_hello);
    Str *s = str_new("x"); list_append(l, (kr_obj *)s); kr_decref(s);
    CHECK("immortal_not_counted", static_hello.ob.rc == KR_IMMORTAL && kr_gc.count[KR_GEN_YOUNG] == 1, "rc=%lld young=%lld", (long long)static_hello.ob.rc, (long long)kr_gc.count[KR_GEN_YOUNG]);
    kr_decref(l);
  });
  CHECK("immortal_survives", static_hello.ob.rc == KR_IMMORTAL && kr_gc.live == 0, "live=%lld", (long long)kr_gc.live);

  /* isinstance over a class hierarchy */
  CALL({
    Node *leaf = (Node *)kr_obj_new(&leaf_type, 0);
    CHECK("subtype", kr_is_subtype(leaf->ob.type, &node_type) && !kr_is_subtype(node_type.base, &leaf_type) &&
          !kr_is_subtype(&list_type, &node_type), "");
    kr_decref(leaf);
  });

  /* MemoryError, not a crash, when an allocation fails */
  CALL({
    kr_obj *huge = kr_obj_new(&str_type, SIZE_MAX / 2);
    CHECK("memory_error", huge == NULL && kr_err.kind == KILN_MemoryError, "kind=%d", kr_err.kind);
    kr_reset();
  });

  kr_gc_release();
  CHECK("released", kr_gc.live == 0, "live=%lld", (long long)kr_gc.live);
  printf("%s\n", failures ? "FAILED" : "PASSED");
  return failures ? 1 : 0;
}
