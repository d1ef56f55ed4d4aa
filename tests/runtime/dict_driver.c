/*
 * Kiln's dict, set and collections runtime (resources/c/kiln_dict.h, kiln_collections.h) driven by the line
 * protocol of tests/runtime/dict_ops.py: it reads a script of operations on stdin and prints one line per
 * operation, which tests/runtime/dict.test.ts compares with what CPython prints for the same script (natively,
 * under valgrind, on wasm32 and under QEMU). It instantiates the containers as generated code will: keys and
 * values of int, float, the bool|int|float union, a stand-in str object, (int, int) and (number, str) tuples,
 * a list object, frozensets. At the end it frees everything and fails (exit 3) if any object is still alive.
 *
 * `dict_driver --checks` runs the checks CPython cannot make (the collector's view of containers, ownership,
 * MemoryError) and prints "ok <name>" or "FAIL <name>: why" per check.
 */
#include <stdio.h>
#include "kiln_collections.h"

#define CAT_(a, b) a##b
#define CAT(a, b) CAT_(a, b)
#define CAT3(a, b, c) CAT(CAT(a, b), c)

static kr_text out; /* the current command's output line */
static int put(const char *s) { return kr_text_puts(&out, s); }
static int put_i64(int64_t v) { return kr_repr_i64(&out, v); }
static void put_error(void) {
  put("!");
  put(kr_error_names[kr_err.kind]);
  put(": ");
  put(kr_err.message);
  kr_err.kind = KILN_OK;
}
static void die(const char *what, const char *tok) {
  fprintf(stderr, "dict_driver: %s: %s\n", what, tok);
  exit(2);
}

/* ---- a stand-in str: immutable, never tracked, hashed with FNV-1a (dict_ops.py's class S does the same) ---- */
typedef struct Str { kr_obj ob; int64_t alloc_size, len; kr_hash_t hash; char data[]; } Str;
static const kr_type str_type = { "str", NULL, 0, 0, NULL, NULL, NULL };
static Str *str_new(const char *s, size_t n) {
  Str *o = (Str *)kr_varobj_new(&str_type, sizeof(Str) + n + 1);
  if (!o) die("out of memory", s);
  memcpy(o->data, s, n);
  o->data[n] = 0;
  o->len = (int64_t)n;
  uint64_t h = 0xCBF29CE484222325ULL;
  for (size_t i = 0; i < n; i++) h = (h ^ (uint8_t)s[i]) * 0x100000001B3ULL;
  o->hash = (int64_t)h == -1 ? -2 : (int64_t)h;
  return o;
}
static kr_hash_t str_hash(Str *s) { return s->hash; }
static int str_eq(Str *a, Str *b) { return a->len == b->len && !memcmp(a->data, b->data, (size_t)a->len); }
static int str_repr(kr_text *t, Str *s) { return kr_text_put(t, "'", 1) || kr_text_put(t, s->data, (size_t)s->len) || kr_text_put(t, "'", 1); }
KR_KIND_OBJECT(str, Str *, str_hash, str_eq, str_repr, 0)

/* ---- list[int]: a mutable object holding no references (defaultdict(list) values) ---- */
typedef struct IntList { kr_obj ob; int64_t len, cap; int64_t *data; } IntList;
static void intlist_finalize(kr_obj *o) { free(((IntList *)o)->data); }
static const kr_type intlist_type = { "list", NULL, 0, sizeof(IntList), NULL, NULL, intlist_finalize };
static IntList *intlist_new(void) { return (IntList *)kr_obj_new(&intlist_type, 0); }
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
static int intlist_eq(IntList *a, IntList *b) { return a->len == b->len && (!a->len || !memcmp(a->data, b->data, (size_t)a->len * 8)); }
static int intlist_repr(kr_text *t, IntList *l) {
  if (kr_text_put(t, "[", 1)) return -1;
  for (int64_t i = 0; i < l->len; i++) if ((i && kr_text_put(t, ", ", 2)) || kr_repr_i64(t, l->data[i])) return -1;
  return kr_text_put(t, "]", 1);
}
KR_KIND_OBJECT_VALUE(il, IntList *, intlist_eq, intlist_repr, 0)

/* ---- tuple[int, int] and tuple[int | float | bool, str]: structs by value, kinds as the compiler writes them ---- */
typedef struct { int64_t a, b; } Pair;
static inline kr_hash_t kr_kind_pair_hash(const Pair *p) {
  uint64_t acc = kr_tuplehash_start();
  acc = kr_tuplehash_add(acc, kr_hash_i64(p->a));
  acc = kr_tuplehash_add(acc, kr_hash_i64(p->b));
  return kr_tuplehash_end(acc, 2);
}
static inline int kr_kind_pair_eq(const Pair *x, const Pair *y) { return x->a == y->a && x->b == y->b; }
static inline void kr_kind_pair_incref(Pair *p) { (void)p; }
static inline void kr_kind_pair_decref(Pair *p) { (void)p; }
static inline int kr_kind_pair_repr(kr_text *t, const Pair *p) {
  return kr_text_put(t, "(", 1) || kr_repr_i64(t, p->a) || kr_text_put(t, ", ", 2) || kr_repr_i64(t, p->b) || kr_text_put(t, ")", 1);
}
static inline void kr_kind_pair_visit(const Pair *p, kr_visit_fn f, void *arg) { (void)p; (void)f; (void)arg; }
enum { kr_kind_pair_refs = 0 };

typedef struct { kr_num a; Str *b; } Tns;
static inline kr_hash_t kr_kind_tns_hash(const Tns *p) {
  uint64_t acc = kr_tuplehash_start();
  acc = kr_tuplehash_add(acc, kr_hash_num(p->a));
  acc = kr_tuplehash_add(acc, str_hash(p->b));
  return kr_tuplehash_end(acc, 2);
}
static inline int kr_kind_tns_eq(const Tns *x, const Tns *y) { return kr_num_same(x->a, y->a) && (x->b == y->b || str_eq(x->b, y->b)); }
static inline void kr_kind_tns_incref(Tns *p) { kr_incref(p->b); }
static inline void kr_kind_tns_decref(Tns *p) { kr_decref(p->b); }
static inline int kr_kind_tns_repr(kr_text *t, const Tns *p) {
  return kr_text_put(t, "(", 1) || kr_repr_num(t, p->a) || kr_text_put(t, ", ", 2) || str_repr(t, p->b) || kr_text_put(t, ")", 1);
}
static inline void kr_kind_tns_visit(const Tns *p, kr_visit_fn f, void *arg) { f((kr_obj *)p->b, arg); }
enum { kr_kind_tns_refs = 1 };

KR_KIND_FROZENSET(fz, 0)

/* ---- a class instance with one reference field, for the collector checks ---- */
typedef struct Box { kr_obj ob; kr_obj *ref; } Box;
static void box_traverse(kr_obj *o, kr_visit_fn visit, void *arg) { if (((Box *)o)->ref) visit(((Box *)o)->ref, arg); }
static void box_clear(kr_obj *o) { kr_clear_slot(&((Box *)o)->ref); }
static const kr_type box_type = { "Box", NULL, KR_TF_GC, sizeof(Box), box_traverse, box_clear, NULL };
static int box_eq(Box *a, Box *b) { (void)a; (void)b; return 0; }
static int box_repr(kr_text *t, Box *b) { (void)b; return kr_text_puts(t, "<Box>"); }
KR_KIND_OBJECT_VALUE(box, Box *, box_eq, box_repr, 1)

/* ---- the instantiations ---- */
typedef Str *StrP; /* one token, for the templates below */
typedef IntList *IntListP;
typedef kr_set *SetP;
KR_DICT_DEFINE(D_ii, int64_t, i64, int64_t, i64)
KR_COUNTER_DEFINE(D_ii)
KR_DICT_DEFINE(D_nf, kr_num, num, double, f64)
KR_DICT_DEFINE(D_ni, kr_num, num, int64_t, i64)
KR_COUNTER_DEFINE(D_ni)
KR_DICT_DEFINE(D_ss, Str *, str, Str *, str)
KR_DICT_DEFINE(D_si, Str *, str, int64_t, i64)
KR_COUNTER_DEFINE(D_si)
KR_DICT_DEFINE(D_tl, Tns, tns, IntList *, il)
KR_DICT_DEFINE(D_pi, Pair, pair, int64_t, i64)
KR_COUNTER_DEFINE(D_pi)
KR_DICT_DEFINE(D_il, int64_t, i64, IntList *, il)
KR_DICT_DEFINE(D_ib, int64_t, i64, Box *, box)
KR_SET_DEFINE(S_i, int64_t, i64)
KR_SET_DEFINE(S_n, kr_num, num)
KR_SET_DEFINE(S_s, Str *, str)
KR_SET_DEFINE(S_p, Pair, pair)
KR_SET_DEFINE(S_t, Tns, tns)
KR_SET_DEFINE(S_fz, kr_set *, fz)
KR_DEQUE_DEFINE(Q_i, int64_t, i64)
KR_DEQUE_DEFINE(Q_s, Str *, str)
KR_DEQUE_DEFINE(Q_b, Box *, box)

/* ---- registers: named objects of the script ---- */
enum { CAT_DICT, CAT_SET, CAT_DEQUE };
typedef struct Reg { char name[24]; int cat, inst; kr_obj *obj; } Reg;
#define NREGS 4096
static Reg regs[NREGS];
static Reg *find_reg(const char *name, int create) {
  uint64_t h = 0xCBF29CE484222325ULL;
  for (const char *p = name; *p; p++) h = (h ^ (uint8_t)*p) * 0x100000001B3ULL;
  for (uint64_t i = h % NREGS;; i = (i + 1) % NREGS) {
    if (!regs[i].name[0]) {
      if (!create) die("no register", name);
      snprintf(regs[i].name, sizeof regs[i].name, "%s", name);
      return &regs[i];
    }
    if (!strcmp(regs[i].name, name)) return &regs[i];
  }
}
/* Stores obj (a new reference, taken over) in register `name`. */
static void set_reg(const char *name, int cat, int inst, kr_obj *obj) {
  Reg *r = find_reg(name, 1);
  kr_obj *old = r->obj;
  r->cat = cat;
  r->inst = inst;
  r->obj = obj;
  kr_decref(old);
}
enum { S_i_cat = CAT_SET, S_i_inst = 0, S_n_cat = CAT_SET, S_n_inst = 1, S_s_cat = CAT_SET, S_s_inst = 2,
       S_p_cat = CAT_SET, S_p_inst = 3, S_t_cat = CAT_SET, S_t_inst = 4, S_fz_cat = CAT_SET, S_fz_inst = 5 };

/* ---- values as the script writes them (object kinds give new references) ---- */
static double parse_float_text(const char *t) {
  char *end;
  double x = strtod(t, &end);
  if (end == t || *end) die("bad float", t);
  return x;
}
static int parse_i64(const char *t, int64_t *o) {
  char *end;
  *o = strtoll(t, &end, 10);
  if (end == t || *end) die("bad int", t);
  return 0;
}
static int parse_f64(const char *t, double *o) { *o = parse_float_text(t); return 0; }
static int parse_num(const char *t, kr_num *o) {
  if (t[0] == 'b' && t[1] == ':') *o = kr_num_bool(!strcmp(t + 2, "True"));
  else if (t[0] == 'i' && t[1] == ':') { int64_t v; parse_i64(t + 2, &v); *o = kr_num_int(v); }
  else if (t[0] == 'f' && t[1] == ':') *o = kr_num_float(parse_float_text(t + 2));
  else die("bad number", t);
  return 0;
}
static int parse_str(const char *t, Str **o) {
  if (t[0] != 's' || t[1] != ':') die("bad str", t);
  *o = str_new(t + 2, strlen(t + 2));
  return 0;
}
static int parse_pair(const char *t, Pair *o) {
  if (sscanf(t, "p:%lld,%lld", (long long *)&o->a, (long long *)&o->b) != 2) die("bad pair", t);
  return 0;
}
static int parse_tns(const char *t, Tns *o) {
  char buf[256];
  const char *comma = strchr(t + 2, ',');
  if (t[0] != 't' || !comma || (size_t)(comma - t - 2) >= sizeof buf) die("bad tuple", t);
  memcpy(buf, t + 2, (size_t)(comma - t - 2));
  buf[comma - t - 2] = 0;
  parse_num(buf, &o->a);
  return parse_str(comma + 1, &o->b);
}
static int parse_il(const char *t, IntList **o) {
  if (t[0] != 'l' || t[1] != ':') die("bad list", t);
  *o = intlist_new();
  for (const char *p = t + 2; *p;) {
    char *end;
    intlist_append(*o, strtoll(p, &end, 10));
    p = *end == ',' ? end + 1 : end;
  }
  return 0;
}
static int parse_fz(const char *t, kr_set **o) {
  Reg *r = find_reg(t, 0);
  if (r->cat != CAT_SET || !kr_set_typeof((kr_set *)r->obj)->frozen) die("not a frozenset", t);
  kr_incref(r->obj);
  *o = (kr_set *)r->obj;
  return 0;
}

/* ---- defaultdict factories ---- */
static int factory_int(void *out_value, kr_obj *env) { (void)env; *(int64_t *)out_value = 0; return 0; }
static int factory_list(void *out_value, kr_obj *env) {
  (void)env;
  IntList *l = intlist_new();
  *(IntList **)out_value = l;
  return l ? 0 : -1;
}

static int run(int argc, char **argv);
/* itermut's actions: argv[from..] is STEP OP ARGS [; STEP OP ARGS]...; runs those whose STEP is `step`. */
static void run_actions(int argc, char **argv, int from, int step) {
  int i = from;
  while (i < argc) {
    int j = i;
    while (j < argc && strcmp(argv[j], ";")) j++;
    if (atoi(argv[i]) == step) {
      char *sub[64];
      int n = 0;
      sub[n++] = argv[i + 1];
      sub[n++] = argv[1];
      for (int k = i + 2; k < j && n < 64; k++) sub[n++] = argv[k];
      put(" | m=");
      run(n, sub);
    }
    i = j + 1;
  }
}

static int dict_cmd_generic(int argc, char **argv, Reg *r);
static int set_cmd_generic(int argc, char **argv, Reg *r);
static int deque_cmd_generic(int argc, char **argv, Reg *r);

#define I D_ii
#define KT int64_t
#define KK i64
#define VT int64_t
#define VK i64
#define SETI S_i
#define HAS_COUNTER 1
#define IS_LIST 0
#include "dict_driver_dict.inc"
#undef I
#undef KT
#undef KK
#undef VT
#undef VK
#undef SETI
#undef HAS_COUNTER
#undef IS_LIST

#define I D_nf
#define KT kr_num
#define KK num
#define VT double
#define VK f64
#define SETI S_n
#define HAS_COUNTER 0
#define IS_LIST 0
#include "dict_driver_dict.inc"
#undef I
#undef KT
#undef KK
#undef VT
#undef VK
#undef SETI
#undef HAS_COUNTER
#undef IS_LIST

#define I D_ni
#define KT kr_num
#define KK num
#define VT int64_t
#define VK i64
#define SETI S_n
#define HAS_COUNTER 1
#define IS_LIST 0
#include "dict_driver_dict.inc"
#undef I
#undef KT
#undef KK
#undef VT
#undef VK
#undef SETI
#undef HAS_COUNTER
#undef IS_LIST

#define I D_ss
#define KT StrP
#define KK str
#define VT StrP
#define VK str
#define SETI S_s
#define HAS_COUNTER 0
#define IS_LIST 0
#include "dict_driver_dict.inc"
#undef I
#undef KT
#undef KK
#undef VT
#undef VK
#undef SETI
#undef HAS_COUNTER
#undef IS_LIST

#define I D_si
#define KT StrP
#define KK str
#define VT int64_t
#define VK i64
#define SETI S_s
#define HAS_COUNTER 1
#define IS_LIST 0
#include "dict_driver_dict.inc"
#undef I
#undef KT
#undef KK
#undef VT
#undef VK
#undef SETI
#undef HAS_COUNTER
#undef IS_LIST

#define I D_tl
#define KT Tns
#define KK tns
#define VT IntListP
#define VK il
#define SETI S_t
#define HAS_COUNTER 0
#define IS_LIST 1
#include "dict_driver_dict.inc"
#undef I
#undef KT
#undef KK
#undef VT
#undef VK
#undef SETI
#undef HAS_COUNTER
#undef IS_LIST

#define I D_pi
#define KT Pair
#define KK pair
#define VT int64_t
#define VK i64
#define SETI S_p
#define HAS_COUNTER 1
#define IS_LIST 0
#include "dict_driver_dict.inc"
#undef I
#undef KT
#undef KK
#undef VT
#undef VK
#undef SETI
#undef HAS_COUNTER
#undef IS_LIST

#define I D_il
#define KT int64_t
#define KK i64
#define VT IntListP
#define VK il
#define SETI S_i
#define HAS_COUNTER 0
#define IS_LIST 1
#include "dict_driver_dict.inc"
#undef I
#undef KT
#undef KK
#undef VT
#undef VK
#undef SETI
#undef HAS_COUNTER
#undef IS_LIST

#define I S_i
#define KT int64_t
#define KK i64
#include "dict_driver_set.inc"
#undef I
#undef KT
#undef KK
#define I S_n
#define KT kr_num
#define KK num
#include "dict_driver_set.inc"
#undef I
#undef KT
#undef KK
#define I S_s
#define KT StrP
#define KK str
#include "dict_driver_set.inc"
#undef I
#undef KT
#undef KK
#define I S_p
#define KT Pair
#define KK pair
#include "dict_driver_set.inc"
#undef I
#undef KT
#undef KK
#define I S_t
#define KT Tns
#define KK tns
#include "dict_driver_set.inc"
#undef I
#undef KT
#undef KK
#define I S_fz
#define KT SetP
#define KK fz
#include "dict_driver_set.inc"
#undef I
#undef KT
#undef KK

#define I Q_i
#define KT int64_t
#define KK i64
#include "dict_driver_deque.inc"
#undef I
#undef KT
#undef KK
#define I Q_s
#define KT StrP
#define KK str
#include "dict_driver_deque.inc"
#undef I
#undef KT
#undef KK

typedef int (*cmd_fn)(int argc, char **argv, Reg *r);
static const struct { const char *name; cmd_fn cmd; const kr_dict_type *types[4]; } dict_insts[] = {
  { "ii", dict_cmd_D_ii, { &D_ii_type, &D_ii_odict_type, &D_ii_defaultdict_type, &D_ii_counter_type } },
  { "nf", dict_cmd_D_nf, { &D_nf_type, &D_nf_odict_type, &D_nf_defaultdict_type, NULL } },
  { "ni", dict_cmd_D_ni, { &D_ni_type, &D_ni_odict_type, &D_ni_defaultdict_type, &D_ni_counter_type } },
  { "ss", dict_cmd_D_ss, { &D_ss_type, &D_ss_odict_type, &D_ss_defaultdict_type, NULL } },
  { "si", dict_cmd_D_si, { &D_si_type, &D_si_odict_type, &D_si_defaultdict_type, &D_si_counter_type } },
  { "tl", dict_cmd_D_tl, { &D_tl_type, &D_tl_odict_type, &D_tl_defaultdict_type, NULL } },
  { "pi", dict_cmd_D_pi, { &D_pi_type, &D_pi_odict_type, &D_pi_defaultdict_type, &D_pi_counter_type } },
  { "il", dict_cmd_D_il, { &D_il_type, &D_il_odict_type, &D_il_defaultdict_type, NULL } },
};
static const struct { const char *name; cmd_fn cmd; const kr_set_type *types[2]; } set_insts[] = {
  { "i", set_cmd_S_i, { &S_i_type, &S_i_frozen_type } }, { "n", set_cmd_S_n, { &S_n_type, &S_n_frozen_type } },
  { "s", set_cmd_S_s, { &S_s_type, &S_s_frozen_type } }, { "p", set_cmd_S_p, { &S_p_type, &S_p_frozen_type } },
  { "t", set_cmd_S_t, { &S_t_type, &S_t_frozen_type } }, { "fz", set_cmd_S_fz, { &S_fz_type, &S_fz_frozen_type } },
};
static const struct { const char *name; cmd_fn cmd; const kr_deque_type *type; } deque_insts[] = {
  { "i", deque_cmd_Q_i, &Q_i_type }, { "s", deque_cmd_Q_s, &Q_s_type },
};
#define NELEMS(a) ((int)(sizeof(a) / sizeof((a)[0])))

static Reg *other_reg(const char *name, Reg *like) {
  Reg *o = find_reg(name, 0);
  if (o->cat != like->cat || o->inst != like->inst) die("register of another instantiation", name);
  return o;
}

static int dict_cmd_generic(int argc, char **argv, Reg *r) {
  kr_dict *d = (kr_dict *)r->obj;
  const char *op = argv[0];
  (void)argc;
  if (!strcmp(op, "clear")) { kr_dict_clear(d); return put("None"); }
  if (!strcmp(op, "len")) return put_i64(kr_dict_len(d));
  if (!strcmp(op, "repr")) return kr_dict_repr(&out, d);
  if (!strcmp(op, "keys")) return kr_dict_view_repr(&out, d, 0);
  if (!strcmp(op, "values")) return kr_dict_view_repr(&out, d, 1);
  if (!strcmp(op, "items")) return kr_dict_view_repr(&out, d, 2);
  if (!strcmp(op, "size")) {
    if (d->indices == (void *)kr_dict_empty_ix) return put("E");
    return put_i64(d->log2_size);
  }
  if (!strcmp(op, "copy")) {
    kr_dict *c = kr_dict_copy(d);
    if (!c) return -1;
    set_reg(argv[2], r->cat, r->inst, (kr_obj *)c);
    return put("None");
  }
  if (!strcmp(op, "or") || !strcmp(op, "cbin")) {
    kr_dict *o = (kr_dict *)other_reg(argv[2], r)->obj, *res;
    if (op[0] == 'o') res = kr_dict_or(d, o);
    else {
      char c = argv[4][0];
      res = kr_counter_binop(d, o, c == '+' ? KR_COUNTER_ADD : c == '-' ? KR_COUNTER_SUB : c == '|' ? KR_COUNTER_OR : KR_COUNTER_AND);
    }
    if (!res) return -1;
    set_reg(argv[3], r->cat, r->inst, (kr_obj *)res);
    return put("None");
  }
  if (!strcmp(op, "update") || !strcmp(op, "ior")) return kr_dict_merge(d, (kr_dict *)other_reg(argv[2], r)->obj) ? -1 : put("None");
  if (!strcmp(op, "eq")) {
    int e = kr_dict_eq(d, (kr_dict *)other_reg(argv[2], r)->obj);
    return e < 0 ? -1 : put(e ? "True" : "False");
  }
  if (!strcmp(op, "cupdm") || !strcmp(op, "csubm"))
    return kr_counter_update_mapping(d, (kr_dict *)other_reg(argv[2], r)->obj, op[1] == 'u' ? 1 : -1) ? -1 : put("None");
  if (!strcmp(op, "cin")) {
    char c = argv[3][0];
    int e = kr_counter_inplace(d, (kr_dict *)other_reg(argv[2], r)->obj, c == '+' ? KR_COUNTER_ADD : c == '-' ? KR_COUNTER_SUB : c == '|' ? KR_COUNTER_OR : KR_COUNTER_AND);
    return e ? -1 : put("None");
  }
  if (!strcmp(op, "cun")) {
    kr_dict *res = kr_counter_unary(d, argv[3][0] == '+' ? 1 : -1);
    if (!res) return -1;
    set_reg(argv[2], r->cat, r->inst, (kr_obj *)res);
    return put("None");
  }
  if (!strcmp(op, "ceq")) {
    kr_dict *o = (kr_dict *)other_reg(argv[2], r)->obj;
    const char *c = argv[3];
    int e;
    if (!strcmp(c, "==")) e = kr_counter_compare(d, o, 0);
    else if (!strcmp(c, "<=")) e = kr_counter_compare(d, o, 1);
    else if (!strcmp(c, ">=")) e = kr_counter_compare(d, o, 2);
    else {
      e = kr_counter_compare(d, o, c[0] == '<' ? 1 : 2);
      if (e > 0) { e = kr_counter_compare(d, o, 0); if (e >= 0) e = !e; }
    }
    return e < 0 ? -1 : put(e ? "True" : "False");
  }
  die("unknown dict operation", op);
  return -1;
}

static int set_cmd_generic(int argc, char **argv, Reg *r) {
  kr_set *s = (kr_set *)r->obj;
  const char *op = argv[0];
  (void)argc;
  if (!strcmp(op, "clear")) { kr_set_clear(s); return put("None"); }
  if (!strcmp(op, "len")) return put_i64(kr_set_len(s));
  if (!strcmp(op, "repr")) return kr_set_repr(&out, s);
  if (!strcmp(op, "size")) return put_i64(s->mask + 1);
  if (!strcmp(op, "fhash")) return put_i64(kr_frozenset_hash(s));
  if (!strcmp(op, "copy")) {
    kr_set *c = kr_set_copy(s);
    if (!c) return -1;
    set_reg(argv[2], r->cat, r->inst, (kr_obj *)c);
    return put("None");
  }
  if (!strcmp(op, "sor") || !strcmp(op, "sand") || !strcmp(op, "ssub") || !strcmp(op, "sxor")) {
    kr_set *o = (kr_set *)other_reg(argv[2], r)->obj;
    kr_set *res = op[1] == 'o' ? kr_set_or(s, o) : op[1] == 'a' ? kr_set_and(s, o) : op[1] == 's' ? kr_set_sub(s, o) : kr_set_xor(s, o);
    if (!res) return -1;
    set_reg(argv[3], r->cat, r->inst, (kr_obj *)res);
    return put("None");
  }
  if (!strcmp(op, "sior") || !strcmp(op, "siand") || !strcmp(op, "sisub") || !strcmp(op, "sixor")) {
    kr_set *o = (kr_set *)other_reg(argv[2], r)->obj;
    int e = op[2] == 'o' ? kr_set_update(s, o) : op[2] == 'a' ? kr_set_iand(s, o) : op[2] == 's' ? kr_set_isub(s, o) : kr_set_ixor(s, o);
    return e ? -1 : put("None");
  }
  if (!strcmp(op, "srel")) {
    kr_set *o = (kr_set *)other_reg(argv[2], r)->obj;
    const char *c = argv[3];
    int e;
    if (!strcmp(c, "issubset") || !strcmp(c, "<=")) e = kr_set_issubset(s, o);
    else if (!strcmp(c, "issuperset") || !strcmp(c, ">=")) e = kr_set_issuperset(s, o);
    else if (!strcmp(c, "isdisjoint")) e = kr_set_isdisjoint(s, o);
    else if (!strcmp(c, "==")) e = kr_set_eq(s, o);
    else if (!strcmp(c, "!=")) { e = kr_set_eq(s, o); if (e >= 0) e = !e; }
    else if (!strcmp(c, "<")) e = kr_set_lt(s, o);
    else e = kr_set_lt(o, s);
    return e < 0 ? -1 : put(e ? "True" : "False");
  }
  die("unknown set operation", op);
  return -1;
}

static int deque_cmd_generic(int argc, char **argv, Reg *r) {
  kr_deque *q = (kr_deque *)r->obj;
  const char *op = argv[0];
  (void)argc;
  if (!strcmp(op, "rot")) return kr_deque_rotate(q, atoll(argv[2])) ? -1 : put("None");
  if (!strcmp(op, "ddel")) return kr_deque_delitem(q, atoll(argv[2])) ? -1 : put("None");
  if (!strcmp(op, "drev")) { kr_deque_reverse(q); return put("None"); }
  if (!strcmp(op, "dclear")) { kr_deque_clear(q); return put("None"); }
  if (!strcmp(op, "len")) return put_i64(kr_deque_len(q));
  if (!strcmp(op, "repr")) return kr_deque_repr(&out, q);
  if (!strcmp(op, "maxlen")) return q->maxlen < 0 ? put("None") : put_i64(q->maxlen);
  if (!strcmp(op, "dcopy")) {
    kr_deque *c = kr_deque_copy(q);
    if (!c) return -1;
    set_reg(argv[2], r->cat, r->inst, (kr_obj *)c);
    return put("None");
  }
  if (!strcmp(op, "deq")) {
    int e = kr_deque_eq(q, (kr_deque *)other_reg(argv[2], r)->obj);
    return e < 0 ? -1 : put(e ? "True" : "False");
  }
  if (!strcmp(op, "dextd")) return kr_deque_extend_deque(q, (kr_deque *)other_reg(argv[2], r)->obj, 0) ? -1 : put("None");
  die("unknown deque operation", op);
  return -1;
}

static int cmd_hash(int argc, char **argv) {
  const char *kind = argv[1];
  if (!strcmp(kind, "tup") || !strcmp(kind, "nest")) {
    kr_num n[8];
    int k = argc - 2;
    for (int i = 0; i < k && i < 8; i++) parse_num(argv[2 + i], &n[i]);
    uint64_t acc = kr_tuplehash_start();
    if (kind[0] == 't') {
      for (int i = 0; i < k; i++) acc = kr_tuplehash_add(acc, kr_hash_num(n[i]));
      return put_i64(kr_tuplehash_end(acc, k));
    }
    uint64_t inner = kr_tuplehash_add(kr_tuplehash_add(kr_tuplehash_start(), kr_hash_num(n[0])), kr_hash_num(n[1]));
    acc = kr_tuplehash_add(acc, kr_tuplehash_end(inner, 2));
    acc = kr_tuplehash_add(acc, kr_hash_num(n[2]));
    return put_i64(kr_tuplehash_end(acc, 2));
  }
  const char *t = argv[2];
  if (!strcmp(kind, "int")) { int64_t v; parse_i64(t, &v); return put_i64(kr_hash_i64(v)); }
  if (!strcmp(kind, "float")) { double v; parse_f64(t, &v); return put_i64(kr_hash_f64(v)); }
  if (!strcmp(kind, "num")) { kr_num v; parse_num(t, &v); return put_i64(kr_hash_num(v)); }
  if (!strcmp(kind, "pair")) { Pair v; parse_pair(t, &v); return put_i64(kr_kind_pair_hash(&v)); }
  if (!strcmp(kind, "str")) { Str *v; parse_str(t, &v); kr_hash_t h = str_hash(v); kr_decref(v); return put_i64(h); }
  if (!strcmp(kind, "tns")) { Tns v; parse_tns(t, &v); kr_hash_t h = kr_kind_tns_hash(&v); kr_kind_tns_decref(&v); return put_i64(h); }
  die("unknown hash kind", kind);
  return -1;
}

static int cmd_new(char **argv) {
  const char *cat = argv[2], *inst = argv[3];
  if (!strcmp(cat, "set") || !strcmp(cat, "fset")) {
    for (int i = 0; i < NELEMS(set_insts); i++)
      if (!strcmp(set_insts[i].name, inst)) {
        kr_set *s = kr_set_new_of(set_insts[i].types[cat[0] == 'f']);
        if (!s) return -1;
        set_reg(argv[1], CAT_SET, i, (kr_obj *)s);
        return put("None");
      }
  } else if (!strcmp(cat, "deque")) {
    for (int i = 0; i < NELEMS(deque_insts); i++)
      if (!strcmp(deque_insts[i].name, inst)) {
        kr_deque *q = kr_deque_new_of(deque_insts[i].type, atoll(argv[4]));
        if (!q) return -1;
        set_reg(argv[1], CAT_DEQUE, i, (kr_obj *)q);
        return put("None");
      }
  } else {
    int flavor = !strcmp(cat, "dict") ? 0 : !strcmp(cat, "odict") ? 1 : !strcmp(cat, "ddict") ? 2 : 3;
    for (int i = 0; i < NELEMS(dict_insts); i++)
      if (!strcmp(dict_insts[i].name, inst)) {
        kr_dict *d = kr_dict_new_of(dict_insts[i].types[flavor]);
        if (!d) return -1;
        if (flavor == 2) {
          kr_defaultdict *dd = (kr_defaultdict *)d;
          int list = !strcmp(argv[4], "list");
          dd->factory = list ? factory_list : factory_int;
          dd->factory_repr = list ? "<class 'list'>" : "<class 'int'>";
        }
        set_reg(argv[1], CAT_DICT, i, (kr_obj *)d);
        return put("None");
      }
  }
  die("unknown type", inst);
  return -1;
}

static int dispatch(int argc, char **argv) {
  if (!strcmp(argv[0], "hash")) return cmd_hash(argc, argv);
  if (!strcmp(argv[0], "floatrepr")) {
    char b[32];
    kr_format_float_repr(parse_float_text(argv[1]), b);
    return put(b);
  }
  if (!strcmp(argv[0], "new")) return cmd_new(argv);
  Reg *r = find_reg(argv[1], 0);
  if (!strcmp(argv[0], "bulkset") || !strcmp(argv[0], "bulkdel")) {
    int64_t start = atoll(argv[2]), count = atoll(argv[3]), step = atoll(argv[4]);
    int del = argv[0][4] == 'd';
    for (int64_t i = 0; i < count; i++) {
      int64_t k = start + i * step;
      int e = 0;
      if (r->cat == CAT_SET && r->inst == S_i_inst) {
        e = del ? S_i_discard((kr_set *)r->obj, k) : S_i_add((kr_set *)r->obj, k);
      } else if (r->cat == CAT_DICT && !strcmp(dict_insts[r->inst].name, "ii")) {
        kr_dict *d = (kr_dict *)r->obj;
        if (!del) e = D_ii_set(d, k, i);
        else if ((e = D_ii_contains(d, k)) > 0) e = D_ii_del(d, k); /* d.pop(k, None) */
      } else {
        die("bulk operations need a dict[int, int] or a set[int]", argv[1]);
      }
      if (e < 0) return -1;
    }
    return put("None");
  }
  if (!strcmp(argv[0], "digest")) {
    size_t mark = out.len;
    char *list[2] = { "list", argv[1] };
    if (run(2, list)) return -1;
    uint64_t h = 0xCBF29CE484222325ULL;
    for (size_t i = mark; i < out.len; i++) h = (h ^ (uint8_t)out.data[i]) * 0x100000001B3ULL;
    size_t n = out.len - mark;
    out.len = mark;
    char b[48];
    snprintf(b, sizeof b, "%016llx:%llu", (unsigned long long)h, (unsigned long long)n);
    return put(b);
  }
  switch (r->cat) {
    case CAT_DICT: return dict_insts[r->inst].cmd(argc, argv, r);
    case CAT_SET: return set_insts[r->inst].cmd(argc, argv, r);
    default: return deque_insts[r->inst].cmd(argc, argv, r);
  }
}
/* Runs one command, appending its result (or "!Error: message") to the output line. */
static int run(int argc, char **argv) {
  size_t mark = out.len;
  if (dispatch(argc, argv)) {
    out.len = mark;
    if (out.data) out.data[mark] = 0;
    put_error();
    return -1;
  }
  return 0;
}

/* ---- checks CPython cannot make: the collector's view, ownership, MemoryError ---- */
static int failures;
#define CHECK(name, cond, ...) do { \
  if (cond) printf("ok %s\n", name); \
  else { failures++; printf("FAIL %s: ", name); printf(__VA_ARGS__); printf("\n"); } } while (0)

static Box *box_new(kr_obj *ref) {
  Box *b = (Box *)kr_obj_new(&box_type, 0);
  kr_incref(ref);
  b->ref = ref;
  return b;
}
static int factory_box(void *out_value, kr_obj *env) { *(Box **)out_value = box_new(env); return 0; }

static void run_checks(void) {
  int64_t base = kr_gc.live;
  /* a dict and a Box referring to each other: freed by the collector, not by the counts */
  kr_dict *d = D_ib_new();
  Box *b = box_new((kr_obj *)d);
  D_ib_set(d, 1, b);
  kr_decref(b);
  kr_decref(d);
  int64_t alive = kr_gc.live - base;
  kr_gc_collect(KR_GEN_OLD);
  CHECK("dict_value_cycle", alive == 2 && kr_gc.live == base, "alive %lld then %lld", (long long)alive, (long long)(kr_gc.live - base));

  kr_dict *od = kr_dict_new_of(&D_ib_odict_type);
  for (int64_t i = 0; i < 50; i++) { Box *x = box_new(i % 7 ? NULL : (kr_obj *)od); D_ib_set(od, i, x); kr_decref(x); }
  kr_decref(od);
  alive = kr_gc.live - base;
  kr_gc_collect(KR_GEN_OLD);
  CHECK("odict_value_cycle", alive == 51 && kr_gc.live == base, "alive %lld then %lld", (long long)alive, (long long)(kr_gc.live - base));

  /* defaultdict whose factory's environment refers back to it */
  Box *env = box_new(NULL);
  kr_dict *dd = D_ib_defaultdict_new(factory_box, (kr_obj *)env, "<function <lambda>>");
  kr_assign(&env->ref, (kr_obj *)dd);
  Box *got = NULL;
  int e = D_ib_get(dd, 5, &got);
  int made = !e && got && got->ref == (kr_obj *)env && kr_dict_len(dd) == 1;
  kr_decref(got);
  kr_decref(env);
  kr_decref(dd);
  alive = kr_gc.live - base;
  kr_gc_collect(KR_GEN_OLD);
  CHECK("defaultdict_factory_env_cycle", made && alive == 3 && kr_gc.live == base, "made %d alive %lld then %lld", made, (long long)alive, (long long)(kr_gc.live - base));

  kr_deque *q = Q_b_new(-1);
  Box *qb = box_new((kr_obj *)q);
  Q_b_append(q, qb);
  Q_b_appendleft(q, qb);
  kr_decref(qb);
  kr_decref(q);
  alive = kr_gc.live - base;
  kr_gc_collect(KR_GEN_OLD);
  CHECK("deque_item_cycle", alive == 2 && kr_gc.live == base, "alive %lld then %lld", (long long)alive, (long long)(kr_gc.live - base));

  CHECK("untracked_types", !(D_ii_type.type.flags & KR_TF_GC) && !(D_ss_type.type.flags & KR_TF_GC) && !(D_tl_type.type.flags & KR_TF_GC) &&
        !(S_s_type.type.flags & KR_TF_GC) && !(S_fz_type.type.flags & KR_TF_GC) && !(Q_s_type.type.flags & KR_TF_GC) &&
        (D_ib_type.type.flags & KR_TF_GC) && (Q_b_type.type.flags & KR_TF_GC),
        "dicts, sets and deques of numbers and strs are not tracked; of class instances they are");

  /* an iterator keeps its dict alive after the last other reference goes */
  kr_dict *di = D_ss_new();
  Str *k1 = str_new("key", 3), *v1 = str_new("value", 5);
  D_ss_set(di, k1, v1);
  kr_decref(k1);
  kr_decref(v1);
  kr_dict_iter it;
  kr_dict_iter_init(&it, di);
  kr_decref(di);
  Str *kk = NULL, *vv = NULL;
  int r1 = D_ss_next(&it, &kk, &vv);
  int okv = r1 == 1 && kk->len == 3 && vv->len == 5 && kk->ob.rc == 2;
  kr_decref(kk);
  kr_decref(vv);
  int r2 = D_ss_next(&it, &kk, &vv);
  kr_dict_iter_end(&it);
  CHECK("iterator_owns_dict", okv && r2 == 0 && kr_gc.live == base, "next %d/%d live %lld", r1, r2, (long long)(kr_gc.live - base));

  /* values and keys are owned: overwriting, popping and deleting drop exactly their references */
  kr_dict *ds = D_ss_new();
  Str *a = str_new("a", 1), *x = str_new("x", 1), *y = str_new("y", 1);
  D_ss_set(ds, a, x);
  D_ss_set(ds, a, y);
  int counts = a->ob.rc == 2 && x->ob.rc == 1 && y->ob.rc == 2;
  Str *popped = NULL;
  D_ss_pop(ds, a, &popped);
  counts = counts && popped == y && y->ob.rc == 2 && a->ob.rc == 1;
  kr_decref(popped);
  kr_decref(ds);
  counts = counts && a->ob.rc == 1 && y->ob.rc == 1;
  kr_decref(a);
  kr_decref(x);
  kr_decref(y);
  CHECK("reference_counts", counts && kr_gc.live == base, "counts %d live %lld", counts, (long long)(kr_gc.live - base));

  /* a KeyError carrying a repr longer than kr_err.buffer */
  char longkey[400];
  memset(longkey, 'k', 300);
  longkey[300] = 0;
  kr_dict *dl = D_ss_new();
  Str *lk = str_new(longkey, 300), *lv = NULL;
  e = D_ss_get(dl, lk, &lv);
  int longmsg = e == -1 && kr_err.kind == KILN_KeyError && strlen(kr_err.message) == 302 && kr_err.message[0] == '\'' && kr_err.message[301] == '\'';
  kr_err.kind = KILN_OK;
  kr_decref(lk);
  kr_decref(dl);
  CHECK("keyerror_long_repr", longmsg, "message of %d chars", (int)strlen(kr_err.message));

  /* d[k] += 1 through the value's slot, without a second lookup */
  kr_dict *dc = D_ii_new();
  int err = 0;
  for (int64_t i = 0; i < 1000; i++) {
    int64_t *slot = D_ii_find(dc, i % 10, &err);
    if (slot) (*slot)++;
    else D_ii_set(dc, i % 10, 1);
  }
  int64_t seven = 0;
  D_ii_get(dc, 7, &seven);
  CHECK("find_slot", seven == 100 && kr_dict_len(dc) == 10 && !err, "d[7] = %lld", (long long)seven);
  kr_decref(dc);

  /* allocation failure is a MemoryError, on 32-bit targets too */
  kr_dict *huge = D_ii_new_presized(INT64_MAX / 8);
  int dict_mem = !huge && kr_err.kind == KILN_MemoryError;
  kr_err.kind = KILN_OK;
  kr_set *hs = S_i_new();
  int set_mem = kr_set_resize(hs, INT64_MAX / 64, &S_i_ops) == -1 && kr_err.kind == KILN_MemoryError && kr_set_len(hs) == 0;
  kr_err.kind = KILN_OK;
  kr_decref(hs);
  CHECK("memory_error", dict_mem && set_mem, "dict %d set %d", dict_mem, set_mem);

  /* an emptied container gives its storage back (clear) and a big one keeps working after many resizes */
  kr_set *big = S_i_new();
  for (int64_t i = 0; i < 200000; i++) S_i_add(big, i * 7919);
  int64_t in = 0;
  for (int64_t i = 0; i < 200000; i += 3) in += S_i_contains(big, i * 7919);
  for (int64_t i = 0; i < 200000; i += 2) S_i_discard(big, i * 7919);
  int64_t left = kr_set_len(big);
  kr_set_clear(big);
  CHECK("set_large", in == 66667 && left == 100000 && big->table == KR_SET_ZERO, "in %lld left %lld", (long long)in, (long long)left);
  kr_decref(big);
  CHECK("all_freed", kr_gc.live == base, "%lld objects alive", (long long)(kr_gc.live - base));
}

int main(int argc, char **argv) {
  if (argc > 1 && !strcmp(argv[1], "--checks")) {
    run_checks();
    kr_text_free(&out);
    kr_gc_release();
    printf(failures ? "FAILED\n" : "PASSED\n");
    return failures ? 1 : 0;
  }
  static char line[1 << 16];
  char *args[512];
  while (fgets(line, sizeof line, stdin)) {
    int n = 0;
    for (char *p = strtok(line, " \t\r\n"); p && n < 512; p = strtok(NULL, " \t\r\n")) args[n++] = p;
    if (!n) continue;
    out.len = 0;
    if (out.data) out.data[0] = 0;
    run(n, args);
    fwrite(out.data ? out.data : "", 1, out.len, stdout);
    fputc('\n', stdout);
  }
  for (int i = 0; i < NREGS; i++) { kr_obj *o = regs[i].obj; regs[i].obj = NULL; kr_decref(o); }
  kr_gc_collect(KR_GEN_OLD);
  int64_t live = kr_gc.live;
  kr_text_free(&out);
  kr_gc_release();
  if (live) { fprintf(stderr, "dict_driver: %lld objects still alive at exit\n", (long long)live); return 3; }
  return 0;
}
