/*
 * Kiln runtime: Python's str and bytes. Design, and how generated code uses this header: docs/design/strings.md.
 * Included by a unit that uses strings (it includes kiln_runtime.h and the Unicode tables, kiln_unicode_db.h).
 *
 * Conventions, for every function below unless its comment says otherwise:
 *   - kr_str / kr_bytes arguments are BORROWED (the caller keeps its reference);
 *   - a kr_str * / kr_bytes * result is a NEW reference, or NULL with the error set (kr_raise);
 *   - an int result is 0 on success, -1 with the error set (results through out-parameters);
 *   - functions that cannot fail return their value directly and say "never fails";
 *   - indices and lengths are int64_t code points (bytes for kr_bytes), negative indices as Python's;
 *   - every error is CPython's exception type with CPython's message; running out of memory is MemoryError.
 * Messages built at run time live in a per-thread buffer (kr_msg) that stays valid until the next message.
 */
#ifndef KILN_STR_H
#define KILN_STR_H

#include "kiln_runtime.h"
#include "kiln_unicode_db.h"
#include <stddef.h>

/* ==== exception kinds ====
 * PLACEHOLDER until kiln_runtime.h's table has them: UnicodeDecodeError and UnicodeEncodeError (both subclasses
 * of ValueError in Python). The owner of enum kr_error_kind / kr_error_names adds the two kinds there and defines
 * KILN_HAVE_UNICODE_ERRORS; until then these numbers stand outside the table, and kr_str_error_name() names them
 * (kiln_error_type() must not index kr_error_names with them). */
#ifndef KILN_HAVE_UNICODE_ERRORS
enum { KILN_UnicodeDecodeError = 64, KILN_UnicodeEncodeError = 65 };
#endif
/* The Python name of an error kind, the placeholder kinds included. Never fails. */
static inline const char *kr_str_error_name(int kind) {
  if (kind == KILN_UnicodeDecodeError) return "UnicodeDecodeError";
  if (kind == KILN_UnicodeEncodeError) return "UnicodeEncodeError";
  if (kind >= 0 && kind < (int)(sizeof kr_error_names / sizeof kr_error_names[0])) return kr_error_names[kind];
  return "Exception";
}

/* ==== messages built at run time: a per-thread growable buffer ==== */
static KILN_TLS char *kr_msg_buf;
static KILN_TLS size_t kr_msg_len, kr_msg_cap;
static KILN_TLS int kr_msg_oom;

static void kr_msg_begin(void) { kr_msg_len = 0; kr_msg_oom = 0; }
static void kr_msg_bytes(const char *p, size_t n) {
  if (kr_msg_oom) return;
  if (kr_msg_len + n + 1 > kr_msg_cap) {
    size_t cap = kr_msg_cap ? kr_msg_cap : 256;
    while (cap < kr_msg_len + n + 1) cap *= 2;
    char *grown = (char *)realloc(kr_msg_buf, cap);
    if (!grown) { kr_msg_oom = 1; return; }
    kr_msg_buf = grown;
    kr_msg_cap = cap;
  }
  memcpy(kr_msg_buf + kr_msg_len, p, n);
  kr_msg_len += n;
  kr_msg_buf[kr_msg_len] = 0;
}
static void kr_msg_cstr(const char *s) { kr_msg_bytes(s, strlen(s)); }
static void kr_msg_char(char c) { kr_msg_bytes(&c, 1); }
static void kr_msg_i64(int64_t v) {
  char buf[24], *p = buf + sizeof buf;
  uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
  do { *--p = (char)('0' + u % 10); u /= 10; } while (u);
  if (v < 0) *--p = '-';
  kr_msg_bytes(p, (size_t)(buf + sizeof buf - p));
}
static void kr_msg_hex(uint64_t v, int min_digits) {
  char buf[20], *p = buf + sizeof buf;
  int n = 0;
  do { *--p = "0123456789abcdef"[v & 15]; v >>= 4; n++; } while (v || n < min_digits);
  kr_msg_bytes(p, (size_t)(buf + sizeof buf - p));
}
/* Raises `kind` with the message built since kr_msg_begin (MemoryError if building it ran out of memory). */
static KILN_COLD int kr_msg_raise(int kind) {
  if (kr_msg_oom || !kr_msg_buf) return kr_raise(KILN_MemoryError, "");
  return kr_raise(kind, kr_msg_buf);
}
static KILN_COLD int kr_raise_memory_str(void) { return kr_raise(KILN_MemoryError, ""); }

/* ==== the objects ==== */
typedef struct kr_str {
  kr_obj ob;
  int64_t alloc_size;  /* bytes of the block (as kr_varobj); 0 for static strings */
  int64_t length;      /* in code points */
  int64_t hash;        /* -1 until computed; never stored in an immortal string (they are never written) */
  const char *utf8;    /* UTF-8 of a non-ASCII string once computed (kr_str_utf8), or a literal's; NULL before */
  int64_t utf8_len;
  uint8_t kind;        /* 1, 2 or 4 bytes per code point: the smallest that holds the widest (PEP 393) */
  uint8_t ascii;       /* every code point < 128: the units are the UTF-8 */
  uint8_t utf8_owned;  /* utf8 was malloc'd for this string and is freed with it */
  uint8_t pad_[5];
  /* the units follow: length + 1 of them, the last one 0 */
} kr_str;

typedef struct kr_bytes {
  kr_obj ob;
  int64_t alloc_size;  /* 0 for static bytes */
  int64_t length;
  int64_t hash;        /* -1 until computed (never stored in immortal bytes) */
  /* length + 1 bytes follow, the last one 0 */
} kr_bytes;

_Static_assert(offsetof(kr_str, alloc_size) == offsetof(kr_varobj, alloc_size), "kr_str is a kr_varobj");
_Static_assert(offsetof(kr_bytes, alloc_size) == offsetof(kr_varobj, alloc_size), "kr_bytes is a kr_varobj");
_Static_assert(sizeof(kr_str) % 8 == 0 && sizeof(kr_bytes) % 8 == 0, "units follow the header, aligned");

static void kr_str_finalize(kr_obj *o) {
  kr_str *s = (kr_str *)o;
  if (s->utf8_owned) free((void *)s->utf8);
}
/* Immutable and holding no references: untracked by the cycle collector. */
static const kr_type kr_type_str = { "str", NULL, 0, 0, NULL, NULL, kr_str_finalize };
static const kr_type kr_type_bytes = { "bytes", NULL, 0, 0, NULL, NULL, NULL };

#define KR_STR_DATA(s) ((void *)((kr_str *)(s) + 1))
#define KR_STR_U1(s) ((uint8_t *)KR_STR_DATA(s))
#define KR_STR_U2(s) ((uint16_t *)KR_STR_DATA(s))
#define KR_STR_U4(s) ((uint32_t *)KR_STR_DATA(s))
#define KR_BYTES_DATA(b) ((uint8_t *)((kr_bytes *)(b) + 1))

/* Code point i of s (0 <= i < length, unchecked). Never fails. */
static inline uint32_t kr_str_at(const kr_str *s, int64_t i) {
  const void *d = (const void *)(s + 1);
  return s->kind == 1 ? ((const uint8_t *)d)[i] : s->kind == 2 ? ((const uint16_t *)d)[i] : ((const uint32_t *)d)[i];
}
static inline uint32_t kr_units_read(int kind, const void *d, int64_t i) {
  return kind == 1 ? ((const uint8_t *)d)[i] : kind == 2 ? ((const uint16_t *)d)[i] : ((const uint32_t *)d)[i];
}
static inline void kr_units_write(int kind, void *d, int64_t i, uint32_t c) {
  if (kind == 1) ((uint8_t *)d)[i] = (uint8_t)c;
  else if (kind == 2) ((uint16_t *)d)[i] = (uint16_t)c;
  else ((uint32_t *)d)[i] = c;
}
static inline int64_t kr_str_len(const kr_str *s) { return s->length; }
static inline int64_t kr_bytes_len(const kr_bytes *b) { return b->length; }
static inline int kr_kind_for(uint32_t maxchar) { return maxchar < 256 ? 1 : maxchar < 65536 ? 2 : 4; }
static inline uint32_t kr_kind_max(int kind) { return kind == 1 ? 0xFF : kind == 2 ? 0xFFFF : 0x10FFFF; }

/* ==== static strings ====
 * A literal is an immortal static object: no allocation, no reference counting, never written (so any thread
 * may use it). The compiler emits, at file scope, one of
 *   KR_STR_LITERAL_ASCII(kr_lit_3, 5, "hello");                      every code point < 128
 *   KR_STR_LITERAL(kr_lit_4, 1, 3, "caf\xc3\xa9", 5, "caf\xe9");     kind 1: Latin-1 units as a C string
 *   KR_STR_LITERAL(kr_lit_5, 2, 2, "\xe4\xb8\xad\xe6\x96\x87", 6, 0x4e2d, 0x6587);   kind 2 or 4: the units
 * (name, kind, length in code points, its UTF-8 as a C string literal, UTF-8 length in bytes, then the units: a C
 * string literal for kind 1 or the code units as numbers), and uses it as KR_STR(kr_lit_3): a kr_str * that may be
 * passed anywhere a borrowed string goes, and returned as a new reference without kr_incref (immortal objects
 * ignore counting; kr_incref/kr_decref on them are no-ops, so generated code need not tell them apart).
 * The kind must be the smallest that holds the widest code point, as for every str (equality relies on it).
 */
#define KR_STR_UNITS1 uint8_t
#define KR_STR_UNITS2 uint16_t
#define KR_STR_UNITS4 uint32_t
#define KR_STR_LITERAL_ASCII(name, len, text) \
  static const struct { kr_str s; uint8_t d[(len) + 1]; } name = { \
    { KR_STATIC_HEAD(&kr_type_str), 0, (len), -1, NULL, (len), 1, 1, 0, {0} }, text }
#define KR_STR_LITERAL(name, kind, len, utf8, utf8len, ...) \
  static const struct { kr_str s; KR_STR_UNITS##kind d[(len) + 1]; } name = { \
    { KR_STATIC_HEAD(&kr_type_str), 0, (len), -1, (utf8), (utf8len), (kind), 0, 0, {0} }, { __VA_ARGS__ } }
#define KR_STR(name) ((kr_str *)&(name).s)
/* A bytes literal: KR_BYTES_LITERAL(kr_blit_1, 3, "a\x00b"); used as KR_BYTES(kr_blit_1). */
#define KR_BYTES_LITERAL(name, len, text) \
  static const struct { kr_bytes b; uint8_t d[(len) + 1]; } name = { { KR_STATIC_HEAD(&kr_type_bytes), 0, (len), -1 }, text }
#define KR_BYTES(name) ((kr_bytes *)&(name).b)

KR_STR_LITERAL_ASCII(kr_str_empty_lit, 0, "");
KR_STR_LITERAL_ASCII(kr_str_true_lit, 4, "True");
KR_STR_LITERAL_ASCII(kr_str_false_lit, 5, "False");
KR_STR_LITERAL_ASCII(kr_str_none_lit, 4, "None");
KR_BYTES_LITERAL(kr_bytes_empty_lit, 0, "");
/* The shared empty string (as CPython's), borrowed: kr_incref it to return it. */
#define kr_str_empty KR_STR(kr_str_empty_lit)

/* The 256 one-character strings of Latin-1, shared (as CPython's): s[i], chr(i), iteration make none of them. */
typedef struct { kr_str s; uint8_t d[2]; uint8_t u8[2]; } kr_str_char1;
static const kr_str_char1 kr_str_latin1[256];
#define KR_CH1(c) { { KR_STATIC_HEAD(&kr_type_str), 0, 1, -1, \
    (const char *)&kr_str_latin1[c] + ((c) < 128 ? offsetof(kr_str_char1, d) : offsetof(kr_str_char1, u8)), \
    (c) < 128 ? 1 : 2, 1, (c) < 128, 0, {0} }, { (c), 0 }, { 0xC0 | ((c) >> 6), 0x80 | ((c) & 63) } }
#define KR_CH4(c) KR_CH1(c), KR_CH1((c) + 1), KR_CH1((c) + 2), KR_CH1((c) + 3)
#define KR_CH16(c) KR_CH4(c), KR_CH4((c) + 4), KR_CH4((c) + 8), KR_CH4((c) + 12)
#define KR_CH64(c) KR_CH16(c), KR_CH16((c) + 16), KR_CH16((c) + 32), KR_CH16((c) + 48)
static const kr_str_char1 kr_str_latin1[256] = { KR_CH64(0), KR_CH64(64), KR_CH64(128), KR_CH64(192) };
#undef KR_CH64
#undef KR_CH16
#undef KR_CH4
#undef KR_CH1
/* The shared string of a code point below 256, borrowed (immortal). Never fails. */
static inline kr_str *kr_str_latin1_char(uint32_t c) { return (kr_str *)&kr_str_latin1[c].s; }

static inline int kr_str_is_immortal(const kr_str *s) { return s->ob.rc < 0; }
/* A new reference to s (for returning a borrowed string). Never fails. */
static inline kr_str *kr_str_newref(kr_str *s) { kr_incref(s); return s; }

/* ==== allocation ==== */
#define KR_STR_MAX_LEN ((int64_t)1 << 60)
static inline size_t kr_str_bytes_for(int kind, int64_t cap) { return sizeof(kr_str) + (size_t)(cap + 1) * (size_t)kind; }
static inline int64_t kr_str_capacity(const kr_str *s) {
  return ((int64_t)s->alloc_size - (int64_t)sizeof(kr_str)) / s->kind - 1;
}

/* A new heap string of `kind` with room for `cap` code points, length 0, units uninitialised (the caller writes
 * them, then calls kr_str_seal). NULL with MemoryError. */
static kr_str *kr_str_alloc(int kind, int64_t cap) {
  if (KILN_UNLIKELY(cap < 0 || cap > KR_STR_MAX_LEN || (uint64_t)(cap + 1) * (uint64_t)kind > (uint64_t)(SIZE_MAX >> 2) - 64)) {
    kr_raise_memory_str();
    return NULL;
  }
  size_t size = kr_str_bytes_for(kind, cap);
  kr_str *s = (kr_str *)kr_mem_get(size);
  if (KILN_UNLIKELY(!s)) { kr_raise_memory_str(); return NULL; }
  memset(s, 0, sizeof(kr_str));
  s->ob.rc = 1;
  s->ob.type = &kr_type_str;
  s->alloc_size = (int64_t)size;
  s->hash = -1;
  s->kind = (uint8_t)kind;
  kr_gc.live++;
  kr_gc.allocs++;
  return s;
}
/* Sets the length, the terminating 0 and the ascii flag of a string whose units were written. Never fails. */
static inline kr_str *kr_str_seal(kr_str *s, int64_t length, int ascii) {
  s->length = length;
  kr_units_write(s->kind, KR_STR_DATA(s), length, 0);
  s->ascii = (uint8_t)(ascii != 0);
  return s;
}
/* Moves a heap string to a block with room for `cap` code points (same kind); NULL (s untouched) without memory. */
static kr_str *kr_str_realloc(kr_str *s, int64_t cap) {
  if (KILN_UNLIKELY(cap > KR_STR_MAX_LEN || (uint64_t)(cap + 1) * s->kind > (uint64_t)(SIZE_MAX >> 2) - 64)) return NULL;
  size_t old = (size_t)s->alloc_size, size = kr_str_bytes_for(s->kind, cap);
  kr_str *r;
  if (old > KR_SMALL_MAX && size > KR_SMALL_MAX) {
    r = (kr_str *)realloc(s, size);
    if (!r) return NULL;
  } else {
    r = (kr_str *)kr_mem_get(size);
    if (!r) return NULL;
    memcpy(r, s, old < size ? old : size);
    kr_mem_put(s, old);
  }
  r->alloc_size = (int64_t)size;
  return r;
}

/* The largest code point among n units. Never fails. */
static uint32_t kr_units_max(int kind, const void *d, int64_t n) {
  uint32_t m = 0;
  if (kind == 1) {
    const uint8_t *p = (const uint8_t *)d;
    int64_t i = 0;
    for (; i + 8 <= n; i += 8) {
      uint64_t w;
      memcpy(&w, p + i, 8);
      if (w & 0x8080808080808080ull) break;
    }
    for (; i < n; i++) if (p[i] > m) m = p[i];
    return m;
  }
  if (kind == 2) { const uint16_t *p = (const uint16_t *)d; for (int64_t i = 0; i < n; i++) if (p[i] > m) m = p[i]; return m; }
  const uint32_t *p = (const uint32_t *)d;
  for (int64_t i = 0; i < n; i++) if (p[i] > m) m = p[i];
  return m;
}
/* Copies n code points between unit arrays of any kinds (every code point must fit the destination). */
static void kr_units_copy(int dkind, void *dst, int64_t di, int skind, const void *src, int64_t si, int64_t n) {
  if (n <= 0) return;
  if (dkind == skind) { memcpy((char *)dst + di * dkind, (const char *)src + si * skind, (size_t)n * (size_t)dkind); return; }
#define KR_COPY(DT, ST) do { DT *o = (DT *)dst + di; const ST *q = (const ST *)src + si; for (int64_t k = 0; k < n; k++) o[k] = (DT)q[k]; } while (0)
  if (dkind == 1) { if (skind == 2) KR_COPY(uint8_t, uint16_t); else KR_COPY(uint8_t, uint32_t); }
  else if (dkind == 2) { if (skind == 1) KR_COPY(uint16_t, uint8_t); else KR_COPY(uint16_t, uint32_t); }
  else { if (skind == 1) KR_COPY(uint32_t, uint8_t); else KR_COPY(uint32_t, uint16_t); }
#undef KR_COPY
}

/* A new string of n units (of `kind`, possibly wider than needed: the result takes the smallest kind).
 * `maxchar` is the largest code point when known, or UINT32_MAX to have it computed. */
static kr_str *kr_str_from_units(int kind, const void *d, int64_t n, uint32_t maxchar) {
  if (n == 0) return kr_str_empty;
  if (maxchar == UINT32_MAX) maxchar = kr_units_max(kind, d, n);
  if (n == 1 && maxchar < 256) return kr_str_latin1_char(kr_units_read(kind, d, 0));
  int k = kr_kind_for(maxchar);
  kr_str *s = kr_str_alloc(k, n);
  if (!s) return NULL;
  kr_units_copy(k, KR_STR_DATA(s), 0, kind, d, 0, n);
  return kr_str_seal(s, n, maxchar < 128);
}
/* A new string from Latin-1 bytes (ASCII text included). */
static inline kr_str *kr_str_from_latin1(const char *p, int64_t n) { return kr_str_from_units(1, p, n, UINT32_MAX); }
/* A new string from code points (each < 0x110000). */
static inline kr_str *kr_str_from_ucs4(const uint32_t *p, int64_t n) { return kr_str_from_units(4, p, n, UINT32_MAX); }
/* s[start:end] for 0 <= start <= end <= len (unchecked): s itself (a new reference) when it is all of s. */
static kr_str *kr_str_substr(kr_str *s, int64_t start, int64_t end) {
  if (start == 0 && end == s->length) return kr_str_newref(s);
  const void *d = (const char *)KR_STR_DATA(s) + start * s->kind;
  return kr_str_from_units(s->kind, d, end - start, s->ascii ? 127 : UINT32_MAX);
}

/* ==== a string writer: builds a string of unknown length and widest code point (as CPython's _PyUnicodeWriter)
 * The buffer is a heap kr_str of the smallest kind that holds what was written, widened when a wider code point
 * comes; kr_sw_finish hands it over as the result. */
typedef struct kr_sw {
  kr_str *s;
  int64_t len, cap;
  int kind;
  uint32_t maxchar;
} kr_sw;

static int kr_sw_init(kr_sw *w, int64_t cap, uint32_t maxchar) {
  w->len = 0;
  w->maxchar = 0;
  w->kind = kr_kind_for(maxchar);
  w->cap = cap < 16 ? 16 : cap;
  w->s = kr_str_alloc(w->kind, w->cap);
  return w->s ? 0 : -1;
}
static void kr_sw_discard(kr_sw *w) {
  if (w->s) { kr_decref(w->s); w->s = NULL; }
}
/* Makes room for `extra` more code points, the widest `maxchar`. */
static int kr_sw_reserve(kr_sw *w, int64_t extra, uint32_t maxchar) {
  if (KILN_UNLIKELY(extra > KR_STR_MAX_LEN - w->len)) return kr_raise_memory_str();
  int64_t need = w->len + extra;
  int kind = kr_kind_for(maxchar);
  if (kind > w->kind) {
    int64_t cap = need > w->cap ? need + need / 2 : w->cap;
    kr_str *t = kr_str_alloc(kind, cap);
    if (!t) return -1;
    kr_units_copy(kind, KR_STR_DATA(t), 0, w->kind, KR_STR_DATA(w->s), 0, w->len);
    kr_decref(w->s);
    w->s = t;
    w->kind = kind;
    w->cap = cap;
  } else if (need > w->cap) {
    int64_t cap = need + need / 2 + 16;
    kr_str *t = kr_str_realloc(w->s, cap);
    if (!t) return kr_raise_memory_str();
    w->s = t;
    w->cap = cap;
  }
  if (maxchar > w->maxchar) w->maxchar = maxchar;
  return 0;
}
/* Appends a code point already reserved for. */
static inline void kr_sw_put_reserved(kr_sw *w, uint32_t c) { kr_units_write(w->kind, KR_STR_DATA(w->s), w->len++, c); }
static inline int kr_sw_putc(kr_sw *w, uint32_t c) {
  if (KILN_UNLIKELY(w->len >= w->cap || c > w->maxchar)) { if (kr_sw_reserve(w, 1, c)) return -1; }
  kr_sw_put_reserved(w, c);
  return 0;
}
static int kr_sw_fill(kr_sw *w, uint32_t c, int64_t n) {
  if (n <= 0) return 0;
  if (kr_sw_reserve(w, n, c)) return -1;
  void *d = KR_STR_DATA(w->s);
  if (w->kind == 1) memset((uint8_t *)d + w->len, (int)c, (size_t)n);
  else for (int64_t i = 0; i < n; i++) kr_units_write(w->kind, d, w->len + i, c);
  w->len += n;
  return 0;
}
static int kr_sw_put_ascii(kr_sw *w, const char *p, int64_t n) {
  if (n <= 0) return 0;
  if (kr_sw_reserve(w, n, 127)) return -1;
  kr_units_copy(w->kind, KR_STR_DATA(w->s), w->len, 1, p, 0, n);
  w->len += n;
  return 0;
}
static inline int kr_sw_put_cstr(kr_sw *w, const char *p) { return kr_sw_put_ascii(w, p, (int64_t)strlen(p)); }
/* Appends s[start:start+n]. */
static int kr_sw_put_str(kr_sw *w, const kr_str *s, int64_t start, int64_t n) {
  if (n <= 0) return 0;
  const void *d = (const char *)KR_STR_DATA(s) + start * s->kind;
  /* the widest code point decides the kind and the ascii flag: scan only when either may change */
  uint32_t m = s->ascii ? 127 : (s->kind <= w->kind && w->maxchar >= 128) ? 128 : kr_units_max(s->kind, d, n);
  if (kr_sw_reserve(w, n, m)) return -1;
  kr_units_copy(w->kind, KR_STR_DATA(w->s), w->len, s->kind, d, 0, n);
  w->len += n;
  return 0;
}
/* The string written (a new reference; the writer is emptied). Shared strings for "" and one Latin-1 char. */
static kr_str *kr_sw_finish(kr_sw *w) {
  kr_str *s = w->s;
  w->s = NULL;
  if (w->len == 0) { kr_decref(s); return kr_str_empty; }
  if (w->len == 1 && w->maxchar < 256) {
    uint32_t c = kr_units_read(w->kind, KR_STR_DATA(s), 0);
    kr_decref(s);
    return kr_str_latin1_char(c);
  }
  if (w->cap - w->len > w->len / 4 + 16) {
    kr_str *t = kr_str_realloc(s, w->len);
    if (t) s = t; /* keeping the larger block is fine too */
  }
  return kr_str_seal(s, w->len, w->maxchar < 128);
}

/* ==== a growable list of strings (what split() and friends produce) ====
 * A plain C struct (not an object): items are owned references. The compiler moves them into its list object,
 * or reads them and calls kr_strvec_clear. Start from KR_STRVEC_INIT. */
typedef struct kr_strvec { kr_str **items; int64_t len, cap; } kr_strvec;
#define KR_STRVEC_INIT { NULL, 0, 0 }
/* Appends `item`, taking over the reference (on failure too: it is dropped). */
static int kr_strvec_push(kr_strvec *v, kr_str *item) {
  if (!item) return -1;
  if (v->len == v->cap) {
    int64_t cap = v->cap ? v->cap * 2 : 8;
    kr_str **grown = (kr_str **)realloc(v->items, (size_t)cap * sizeof(kr_str *));
    if (!grown) { kr_decref(item); return kr_raise_memory_str(); }
    v->items = grown;
    v->cap = cap;
  }
  v->items[v->len++] = item;
  return 0;
}
/* Drops every item and the array. Never fails. */
static void kr_strvec_clear(kr_strvec *v) {
  for (int64_t i = 0; i < v->len; i++) kr_decref(v->items[i]);
  free(v->items);
  v->items = NULL;
  v->len = v->cap = 0;
}
static void kr_strvec_reverse(kr_strvec *v) {
  for (int64_t i = 0, j = v->len - 1; i < j; i++, j--) { kr_str *t = v->items[i]; v->items[i] = v->items[j]; v->items[j] = t; }
}

/* ==== bytes: allocation ==== */
static kr_bytes *kr_bytes_alloc(int64_t n) {
  if (KILN_UNLIKELY(n < 0 || (uint64_t)n > (uint64_t)(SIZE_MAX >> 2) - 64)) { kr_raise_memory_str(); return NULL; }
  size_t size = sizeof(kr_bytes) + (size_t)n + 1;
  kr_bytes *b = (kr_bytes *)kr_mem_get(size);
  if (KILN_UNLIKELY(!b)) { kr_raise_memory_str(); return NULL; }
  b->ob.rc = 1;
  b->ob.type = &kr_type_bytes;
  b->alloc_size = (int64_t)size;
  b->length = n;
  b->hash = -1;
  KR_BYTES_DATA(b)[n] = 0;
  kr_gc.live++;
  kr_gc.allocs++;
  return b;
}
/* A new bytes object holding a copy of p[0:n]. */
static kr_bytes *kr_bytes_from(const void *p, int64_t n) {
  if (n == 0) return KR_BYTES(kr_bytes_empty_lit);
  kr_bytes *b = kr_bytes_alloc(n);
  if (b) memcpy(KR_BYTES_DATA(b), p, (size_t)n);
  return b;
}

/* ==== UTF-8 ==== */
/* Raises UnicodeDecodeError for the bytes p[start:end] as CPython's str() of the exception words it. */
static KILN_COLD int kr_raise_decode(const uint8_t *p, int64_t start, int64_t end, const char *reason) {
  kr_msg_begin();
  if (end == start + 1) {
    kr_msg_cstr("'utf-8' codec can't decode byte 0x");
    kr_msg_hex(p[start], 2);
    kr_msg_cstr(" in position ");
    kr_msg_i64(start);
  } else {
    kr_msg_cstr("'utf-8' codec can't decode bytes in position ");
    kr_msg_i64(start);
    kr_msg_char('-');
    kr_msg_i64(end - 1);
  }
  kr_msg_cstr(": ");
  kr_msg_cstr(reason);
  return kr_msg_raise(KILN_UnicodeDecodeError);
}
#define KR_IS_CONT(c) (((c) & 0xC0) == 0x80)
/* Checks p[0:n] as CPython's UTF-8 decoder does (strict): counts code points and finds the widest, or raises
 * UnicodeDecodeError naming the same bytes and reason as CPython (invalid start byte, invalid continuation byte,
 * unexpected end of data; overlong forms, surrogates and code points past U+10FFFF are invalid). */
static int kr_utf8_check(const uint8_t *p, int64_t n, int64_t *count, uint32_t *maxchar) {
  int64_t i = 0, cps = 0;
  uint32_t lead_max = 0;
  while (i < n) {
    /* ASCII runs, eight bytes at a time */
    while (i + 8 <= n) {
      uint64_t w;
      memcpy(&w, p + i, 8);
      if (w & 0x8080808080808080ull) break;
      i += 8;
      cps += 8;
    }
    if (i >= n) break;
    uint32_t c = p[i];
    if (c < 0x80) { i++; cps++; continue; }
    int64_t left = n - i;
    if (c < 0xC2) return kr_raise_decode(p, i, i + 1, "invalid start byte");
    if (c < 0xE0) {
      if (left < 2) return kr_raise_decode(p, i, n, "unexpected end of data");
      if (!KR_IS_CONT(p[i + 1])) return kr_raise_decode(p, i, i + 1, "invalid continuation byte");
      i += 2;
    } else if (c < 0xF0) {
      if (left < 3) {
        if (left >= 2) {
          uint32_t c2 = p[i + 1];
          if (!KR_IS_CONT(c2) || (c2 < 0xA0 ? c == 0xE0 : c == 0xED)) return kr_raise_decode(p, i, i + 1, "invalid continuation byte");
        }
        return kr_raise_decode(p, i, n, "unexpected end of data");
      }
      uint32_t c2 = p[i + 1], c3 = p[i + 2];
      if (!KR_IS_CONT(c2) || (c == 0xE0 && c2 < 0xA0) || (c == 0xED && c2 >= 0xA0)) return kr_raise_decode(p, i, i + 1, "invalid continuation byte");
      if (!KR_IS_CONT(c3)) return kr_raise_decode(p, i, i + 2, "invalid continuation byte");
      i += 3;
    } else if (c < 0xF5) {
      if (left < 4) {
        if (left >= 2) {
          uint32_t c2 = p[i + 1];
          if (!KR_IS_CONT(c2) || (c2 < 0x90 ? c == 0xF0 : c == 0xF4)) return kr_raise_decode(p, i, i + 1, "invalid continuation byte");
          if (left >= 3 && !KR_IS_CONT(p[i + 2])) return kr_raise_decode(p, i, i + 2, "invalid continuation byte");
        }
        return kr_raise_decode(p, i, n, "unexpected end of data");
      }
      uint32_t c2 = p[i + 1];
      if (!KR_IS_CONT(c2) || (c == 0xF0 && c2 < 0x90) || (c == 0xF4 && c2 >= 0x90)) return kr_raise_decode(p, i, i + 1, "invalid continuation byte");
      if (!KR_IS_CONT(p[i + 2])) return kr_raise_decode(p, i, i + 2, "invalid continuation byte");
      if (!KR_IS_CONT(p[i + 3])) return kr_raise_decode(p, i, i + 3, "invalid continuation byte");
      i += 4;
    } else {
      return kr_raise_decode(p, i, i + 1, "invalid start byte");
    }
    if (c > lead_max) lead_max = c;
    cps++;
  }
  *count = cps;
  /* the widest code point's class follows from the largest lead byte (exact where it matters: for C2/C3 leads,
     the code point is below 256 only for those; E0.. and F0.. leads give 2- and 4-byte kinds) */
  *maxchar = lead_max == 0 ? 0x7F : lead_max < 0xC4 ? 0xFF : lead_max < 0xF0 ? 0xFFFF : 0x10FFFF;
  return 0;
}
/* Decodes valid UTF-8 (checked by kr_utf8_check) into units of `kind`. */
static void kr_utf8_decode_valid(const uint8_t *p, int64_t n, int kind, void *out) {
  int64_t i = 0, o = 0;
  while (i < n) {
    uint32_t c = p[i];
    if (c < 0x80) { i++; }
    else if (c < 0xE0) { c = ((c & 0x1F) << 6) | (p[i + 1] & 0x3F); i += 2; }
    else if (c < 0xF0) { c = ((c & 0x0F) << 12) | ((uint32_t)(p[i + 1] & 0x3F) << 6) | (p[i + 2] & 0x3F); i += 3; }
    else { c = ((c & 0x07) << 18) | ((uint32_t)(p[i + 1] & 0x3F) << 12) | ((uint32_t)(p[i + 2] & 0x3F) << 6) | (p[i + 3] & 0x3F); i += 4; }
    kr_units_write(kind, out, o++, c);
  }
}
/* str from UTF-8 (the C ABI's input, bytes.decode('utf-8')): UnicodeDecodeError as CPython's strict decoder. */
static kr_str *kr_str_from_utf8(const char *utf8, int64_t n) {
  const uint8_t *p = (const uint8_t *)utf8;
  int64_t count;
  uint32_t maxchar;
  if (kr_utf8_check(p, n, &count, &maxchar)) return NULL;
  if (count == 0) return kr_str_empty;
  if (maxchar == 0x7F) return kr_str_from_units(1, p, n, 0x7F);
  int kind = kr_kind_for(maxchar);
  if (kind == 1 && count == 1) return kr_str_latin1_char(((uint32_t)(p[0] & 0x1F) << 6) | (p[1] & 0x3F));
  kr_str *s = kr_str_alloc(kind, count);
  if (!s) return NULL;
  kr_utf8_decode_valid(p, n, kind, KR_STR_DATA(s));
  return kr_str_seal(s, count, 0);
}
/* Raises UnicodeEncodeError for s[start:end] (surrogates), worded as CPython's str() of the exception. */
static KILN_COLD int kr_raise_encode(const kr_str *s, int64_t start, int64_t end) {
  kr_msg_begin();
  if (end == start + 1) {
    uint32_t c = kr_str_at(s, start);
    kr_msg_cstr("'utf-8' codec can't encode character '");
    kr_msg_cstr(c <= 0xFF ? "\\x" : c <= 0xFFFF ? "\\u" : "\\U");
    kr_msg_hex(c, c <= 0xFF ? 2 : c <= 0xFFFF ? 4 : 8);
    kr_msg_cstr("' in position ");
    kr_msg_i64(start);
  } else {
    kr_msg_cstr("'utf-8' codec can't encode characters in position ");
    kr_msg_i64(start);
    kr_msg_char('-');
    kr_msg_i64(end - 1);
  }
  kr_msg_cstr(": surrogates not allowed");
  return kr_msg_raise(KILN_UnicodeEncodeError);
}
/* The UTF-8 length of s, or -1 with UnicodeEncodeError when s holds a surrogate (CPython's strict encoder). */
static int64_t kr_str_utf8_size(const kr_str *s) {
  if (s->ascii) return s->length;
  int64_t n = 0, len = s->length;
  for (int64_t i = 0; i < len; i++) {
    uint32_t c = kr_str_at(s, i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c < 0x10000) {
      if (KILN_UNLIKELY(c >= 0xD800 && c <= 0xDFFF)) {
        int64_t j = i + 1;
        while (j < len && kr_str_at(s, j) >= 0xD800 && kr_str_at(s, j) <= 0xDFFF) j++;
        kr_raise_encode(s, i, j);
        return -1;
      }
      n += 3;
    } else n += 4;
  }
  return n;
}
/* Writes the UTF-8 of a string without surrogates (checked by kr_str_utf8_size) to out. */
static void kr_str_utf8_write(const kr_str *s, uint8_t *out) {
  if (s->ascii) { memcpy(out, KR_STR_DATA(s), (size_t)s->length); return; }
  int64_t len = s->length;
  for (int64_t i = 0; i < len; i++) {
    uint32_t c = kr_str_at(s, i);
    if (c < 0x80) *out++ = (uint8_t)c;
    else if (c < 0x800) { *out++ = (uint8_t)(0xC0 | (c >> 6)); *out++ = (uint8_t)(0x80 | (c & 63)); }
    else if (c < 0x10000) { *out++ = (uint8_t)(0xE0 | (c >> 12)); *out++ = (uint8_t)(0x80 | ((c >> 6) & 63)); *out++ = (uint8_t)(0x80 | (c & 63)); }
    else { *out++ = (uint8_t)(0xF0 | (c >> 18)); *out++ = (uint8_t)(0x80 | ((c >> 12) & 63)); *out++ = (uint8_t)(0x80 | ((c >> 6) & 63)); *out++ = (uint8_t)(0x80 | (c & 63)); }
  }
}
/*
 * The UTF-8 of s, BORROWED from s (valid while s lives; NUL-terminated), its length in *len; NULL with
 * UnicodeEncodeError when s holds a surrogate. ASCII strings are their own UTF-8; a heap string computes it once
 * and keeps it; a literal carries it.
 */
static const char *kr_str_utf8(kr_str *s, int64_t *len) {
  if (s->ascii) { *len = s->length; return (const char *)KR_STR_DATA(s); }
  if (s->utf8) { *len = s->utf8_len; return s->utf8; }
  int64_t n = kr_str_utf8_size(s);
  if (n < 0) return NULL;
  char *buf = (char *)malloc((size_t)n + 1);
  if (!buf) { kr_raise_memory_str(); return NULL; }
  kr_str_utf8_write(s, (uint8_t *)buf);
  buf[n] = 0;
  if (kr_str_is_immortal(s)) { /* a literal without its UTF-8 given: never written, so this copy is the caller's */
    kr_raise(KILN_RuntimeError, "a str literal must carry its UTF-8 (KR_STR_LITERAL)");
    free(buf);
    return NULL;
  }
  s->utf8 = buf;
  s->utf8_len = n;
  s->utf8_owned = 1;
  *len = n;
  return buf;
}
/* s.encode('utf-8'): UnicodeEncodeError for surrogates, as CPython. */
static kr_bytes *kr_str_encode_utf8(kr_str *s) {
  int64_t n = kr_str_utf8_size(s);
  if (n < 0) return NULL;
  if (n == 0) return KR_BYTES(kr_bytes_empty_lit);
  kr_bytes *b = kr_bytes_alloc(n);
  if (b) kr_str_utf8_write(s, KR_BYTES_DATA(b));
  return b;
}
/* b.decode('utf-8'): UnicodeDecodeError as CPython. */
static kr_str *kr_bytes_decode_utf8(kr_bytes *b) { return kr_str_from_utf8((const char *)KR_BYTES_DATA(b), b->length); }
/*
 * The C ABI's str result: a malloc'd copy of the UTF-8 (NUL-terminated; the caller frees it with kiln_free) and
 * its length; UnicodeEncodeError for surrogates (CPython's str.encode would raise too), MemoryError.
 */
static int kr_str_to_c(kr_str *s, char **data, int64_t *len) {
  int64_t n = kr_str_utf8_size(s);
  if (n < 0) return -1;
  char *buf = (char *)malloc((size_t)n + 1);
  if (!buf) return kr_raise_memory_str();
  kr_str_utf8_write(s, (uint8_t *)buf);
  buf[n] = 0;
  *data = buf;
  *len = n;
  return 0;
}

/* Frees this thread's message buffer (after the last error message was read; kiln_release_memory). */
static void kr_str_release(void) {
  if (kr_err.message == kr_msg_buf) kr_err.message = "";
  free(kr_msg_buf);
  kr_msg_buf = NULL;
  kr_msg_cap = kr_msg_len = 0;
}

/* ==== core operations ==== */

/* The string of one code point c (< 0x110000, unchecked): shared below 256, else new. */
static kr_str *kr_str_from_cp(uint32_t c) {
  if (c < 256) return kr_str_latin1_char(c);
  int kind = kr_kind_for(c);
  kr_str *s = kr_str_alloc(kind, 1);
  if (!s) return NULL;
  kr_units_write(kind, KR_STR_DATA(s), 0, c);
  return kr_str_seal(s, 1, 0);
}
/* chr(i): ValueError "chr() arg not in range(0x110000)" (OverflowError beyond a C int, as CPython). */
static kr_str *kr_chr(int64_t i) {
  if (KILN_UNLIKELY(i < INT32_MIN || i > INT32_MAX)) { kr_raise(KILN_OverflowError, "Python int too large to convert to C int"); return NULL; }
  if (KILN_UNLIKELY(i < 0 || i > 0x10FFFF)) { kr_raise(KILN_ValueError, "chr() arg not in range(0x110000)"); return NULL; }
  return kr_str_from_cp((uint32_t)i);
}
/* ord(s): TypeError "ord() expected a character, but string of length N found". */
static int kr_ord(const kr_str *s, int64_t *out) {
  if (KILN_UNLIKELY(s->length != 1)) {
    kr_msg_begin();
    kr_msg_cstr("ord() expected a character, but string of length ");
    kr_msg_i64(s->length);
    kr_msg_cstr(" found");
    return kr_msg_raise(KILN_TypeError);
  }
  *out = kr_str_at(s, 0);
  return 0;
}
/* s[i]: IndexError "string index out of range". Iteration: for i in range(len(s)) the compiler may read
 * kr_str_at(s, i) (a code point, never fails) and make the one-character string only where it is needed
 * (kr_str_from_cp: shared for Latin-1, so a loop over ASCII text allocates nothing). */
static kr_str *kr_str_getitem(kr_str *s, int64_t i) {
  if (i < 0) i += s->length;
  if (KILN_UNLIKELY((uint64_t)i >= (uint64_t)s->length)) { kr_raise(KILN_IndexError, "string index out of range"); return NULL; }
  return kr_str_from_cp(kr_str_at(s, i));
}

/* ---- slices: kr_slice and kr_slice_adjust (kiln_arrays.h: Python's PySlice_AdjustIndices, with "missing"
 * flags for start and stop), as for lists ---- */
/* Python clamps a step below -sys.maxsize to -sys.maxsize (so that -step exists). */
static inline kr_slice kr_slice_clamp(kr_slice sl) { if (sl.step < -INT64_MAX) sl.step = -INT64_MAX; return sl; }
/* s[start:stop:step]: ValueError "slice step cannot be zero". */
static kr_str *kr_str_slice(kr_str *s, kr_slice sl) {
  int64_t start, step, n;
  if (kr_slice_adjust(kr_slice_clamp(sl), s->length, &start, &step, &n)) return NULL;
  if (n <= 0) return kr_str_empty;
  if (step == 1) return kr_str_substr(s, start, start + n);
  if (step == -1 && s->length == 1) return kr_str_newref(s);
  const void *d = KR_STR_DATA(s);
  uint32_t maxchar = 0;
  if (s->ascii) maxchar = 127;
  else for (int64_t i = 0, j = start; i < n; i++, j += step) { uint32_t c = kr_units_read(s->kind, d, j); if (c > maxchar) maxchar = c; }
  if (n == 1) return kr_str_from_cp(kr_units_read(s->kind, d, start));
  int kind = kr_kind_for(maxchar);
  kr_str *r = kr_str_alloc(kind, n);
  if (!r) return NULL;
  void *o = KR_STR_DATA(r);
  if (kind == 1 && s->kind == 1) { const uint8_t *p = (const uint8_t *)d; uint8_t *q = (uint8_t *)o; for (int64_t i = 0, j = start; i < n; i++, j += step) q[i] = p[j]; }
  else for (int64_t i = 0, j = start; i < n; i++, j += step) kr_units_write(kind, o, i, kr_units_read(s->kind, d, j));
  return kr_str_seal(r, n, maxchar < 128);
}

/* ---- concatenation, repetition, += ---- */
/* a + b. */
static kr_str *kr_str_concat(kr_str *a, kr_str *b) {
  if (a->length == 0) return kr_str_newref(b);
  if (b->length == 0) return kr_str_newref(a);
  if (KILN_UNLIKELY(a->length > INT64_MAX - b->length)) { kr_raise(KILN_OverflowError, "strings are too large to concat"); return NULL; }
  int kind = a->kind > b->kind ? a->kind : b->kind;
  int64_t n = a->length + b->length;
  kr_str *r = kr_str_alloc(kind, n);
  if (!r) return NULL;
  kr_units_copy(kind, KR_STR_DATA(r), 0, a->kind, KR_STR_DATA(a), 0, a->length);
  kr_units_copy(kind, KR_STR_DATA(r), a->length, b->kind, KR_STR_DATA(b), 0, b->length);
  return kr_str_seal(r, n, a->ascii && b->ascii);
}
/*
 * s += t, amortised linear over a loop. *ps is the reference the variable owns (it stays owned by the variable:
 * on success *ps is the new value, the old reference released; on failure *ps is unchanged).
 * When the variable holds the only reference to a heap string (count 1), t is appended in place, the string
 * growing geometrically; otherwise a new string with room to grow replaces it.
 * CONTRACT for the compiler: every name that refers to the string must hold its own counted reference (no
 * borrowed alias may be live across the +=), or the in-place append would be visible through the alias.
 */
static int kr_str_iadd(kr_str **ps, kr_str *t) {
  kr_str *s = *ps;
  if (t->length == 0) return 0;
  if (s->length == 0) { kr_incref(t); *ps = t; kr_decref(s); return 0; }
  if (KILN_UNLIKELY(s->length > INT64_MAX - t->length)) return kr_raise(KILN_OverflowError, "strings are too large to concat");
  int64_t n = s->length + t->length;
  if (s->ob.rc == 1 && s->kind >= t->kind) {
    if (n > kr_str_capacity(s)) {
      int64_t cap = n + (n >> 1) + 8;
      kr_str *g = kr_str_realloc(s, cap);
      if (!g) return kr_raise_memory_str();
      s = *ps = g;
    }
    if (s->utf8_owned) { free((void *)s->utf8); s->utf8 = NULL; s->utf8_owned = 0; }
    kr_units_copy(s->kind, KR_STR_DATA(s), s->length, t->kind, KR_STR_DATA(t), 0, t->length);
    s->hash = -1;
    kr_str_seal(s, n, s->ascii && t->ascii);
    return 0;
  }
  int kind = s->kind > t->kind ? s->kind : t->kind;
  kr_str *r = kr_str_alloc(kind, n + (n >> 1) + 8);
  if (!r) return -1;
  kr_units_copy(kind, KR_STR_DATA(r), 0, s->kind, KR_STR_DATA(s), 0, s->length);
  kr_units_copy(kind, KR_STR_DATA(r), s->length, t->kind, KR_STR_DATA(t), 0, t->length);
  kr_str_seal(r, n, s->ascii && t->ascii);
  *ps = r;
  kr_decref(s);
  return 0;
}
/* s * n (n <= 0 gives ''): OverflowError "repeated string is too long" past int64, MemoryError. */
static kr_str *kr_str_repeat(kr_str *s, int64_t n) {
  if (n <= 0 || s->length == 0) return kr_str_empty;
  if (n == 1) return kr_str_newref(s);
  if (KILN_UNLIKELY(s->length > INT64_MAX / n)) { kr_raise(KILN_OverflowError, "repeated string is too long"); return NULL; }
  int64_t total = s->length * n;
  kr_str *r = kr_str_alloc(s->kind, total);
  if (!r) return NULL;
  size_t unit = (size_t)s->kind, done = (size_t)s->length * unit, all = (size_t)total * unit;
  char *o = (char *)KR_STR_DATA(r);
  if (s->length == 1 && s->kind == 1) memset(o, *(const uint8_t *)KR_STR_DATA(s), all);
  else {
    memcpy(o, KR_STR_DATA(s), done);
    while (done < all) { size_t c = done < all - done ? done : all - done; memcpy(o + done, o, c); done += c; }
  }
  return kr_str_seal(r, total, s->ascii);
}

/* ---- comparison, hashing ---- */
/* a == b (code points). Never fails. */
static inline int kr_str_eq(const kr_str *a, const kr_str *b) {
  if (a == b) return 1;
  if (a->length != b->length || a->kind != b->kind) return 0; /* the kind is canonical: equal strings share it */
  return memcmp(KR_STR_DATA(a), KR_STR_DATA(b), (size_t)a->length * a->kind) == 0;
}
/* Code-point order: <0, 0, >0 (for <, <=, >, >=, and sorting). Never fails. */
static int kr_str_cmp(const kr_str *a, const kr_str *b) {
  if (a == b) return 0;
  int64_t n = a->length < b->length ? a->length : b->length;
  if (a->kind == 1 && b->kind == 1) {
    int c = memcmp(KR_STR_DATA(a), KR_STR_DATA(b), (size_t)n);
    if (c) return c < 0 ? -1 : 1;
  } else {
    for (int64_t i = 0; i < n; i++) {
      uint32_t x = kr_str_at(a, i), y = kr_str_at(b, i);
      if (x != y) return x < y ? -1 : 1;
    }
  }
  return a->length < b->length ? -1 : a->length > b->length;
}
static inline uint64_t kr_hash_mix(uint64_t h) {
  h ^= h >> 33; h *= 0xff51afd7ed558ccdull;
  h ^= h >> 33; h *= 0xc4ceb9fe1a85ec53ull;
  h ^= h >> 33;
  return h;
}
/* A 64-bit hash of n bytes: word-at-a-time multiply-rotate, then a full avalanche. */
static uint64_t kr_hash_bytes(const void *p, size_t n, uint64_t seed) {
  const uint8_t *b = (const uint8_t *)p;
  uint64_t h = seed ^ (n * 0x9E3779B97F4A7C15ull);
  while (n >= 8) {
    uint64_t w;
    memcpy(&w, b, 8);
    h = (h ^ (w * 0x87c37b91114253d5ull)) ;
    h = ((h << 31) | (h >> 33)) * 0x4cf5ad432745937full;
    b += 8;
    n -= 8;
  }
  uint64_t w = 0;
  memcpy(&w, b, n);
  h ^= w * 0x87c37b91114253d5ull;
  return kr_hash_mix(h);
}
/* hash(s): equal strings hash equally, stable within the process (not CPython's randomized values); never -1.
 * Cached in heap strings. Never fails. */
static int64_t kr_str_hash(kr_str *s) {
  if (s->hash != -1) return s->hash;
  int64_t h = (int64_t)kr_hash_bytes(KR_STR_DATA(s), (size_t)s->length * s->kind, (uint64_t)s->kind);
  if (h == -1) h = -2;
  if (!kr_str_is_immortal(s)) s->hash = h;
  return h;
}

/* ---- substring search ----
 * Horspool-style search with a 64-bit bloom mask of the needle's code points (as CPython's fastsearch),
 * instantiated for each pair of haystack and needle unit types (the needle never wider than the haystack). */
#define KR_BLOOM(mask, c) ((mask) & ((uint64_t)1 << ((c) & 63)))
#define KR_DEF_SEARCH(SUF, TH, TN) \
  static int64_t kr_find_##SUF(const TH *s, int64_t n, const TN *p, int64_t m) { \
    if (m > n) return -1; \
    if (m == 1) { TN c = p[0]; for (int64_t i = 0; i < n; i++) if (s[i] == c) return i; return -1; } \
    int64_t mlast = m - 1, skip = mlast - 1, w = n - m; \
    uint64_t mask = 0; \
    for (int64_t i = 0; i < mlast; i++) { mask |= (uint64_t)1 << (p[i] & 63); if (p[i] == p[mlast]) skip = mlast - i - 1; } \
    mask |= (uint64_t)1 << (p[mlast] & 63); \
    for (int64_t i = 0; i <= w; i++) { \
      if (s[i + mlast] == p[mlast]) { \
        int64_t j = 0; \
        while (j < mlast && s[i + j] == p[j]) j++; \
        if (j == mlast) return i; \
        if (i < w && !KR_BLOOM(mask, s[i + m])) i += m; else i += skip; \
      } else if (i < w && !KR_BLOOM(mask, s[i + m])) i += m; \
    } \
    return -1; \
  } \
  static int64_t kr_rfind_##SUF(const TH *s, int64_t n, const TN *p, int64_t m) { \
    if (m > n) return -1; \
    if (m == 1) { TN c = p[0]; for (int64_t i = n - 1; i >= 0; i--) if (s[i] == c) return i; return -1; } \
    int64_t skip = m - 2; \
    uint64_t mask = (uint64_t)1 << (p[0] & 63); \
    for (int64_t i = m - 1; i > 0; i--) { mask |= (uint64_t)1 << (p[i] & 63); if (p[i] == p[0]) skip = i - 1; } \
    for (int64_t i = n - m; i >= 0; i--) { \
      if (s[i] == p[0]) { \
        int64_t j = m - 1; \
        while (j > 0 && s[i + j] == p[j]) j--; \
        if (j == 0) return i; \
        if (i > 0 && !KR_BLOOM(mask, s[i - 1])) i -= m; else i -= skip; \
      } else if (i > 0 && !KR_BLOOM(mask, s[i - 1])) i -= m; \
    } \
    return -1; \
  }
KR_DEF_SEARCH(11, uint8_t, uint8_t)
KR_DEF_SEARCH(21, uint16_t, uint8_t)
KR_DEF_SEARCH(22, uint16_t, uint16_t)
KR_DEF_SEARCH(41, uint32_t, uint8_t)
KR_DEF_SEARCH(42, uint32_t, uint16_t)
KR_DEF_SEARCH(44, uint32_t, uint32_t)
#undef KR_DEF_SEARCH
/* The first (dir > 0) or last (dir < 0) index of needle[0:m] (kind nk) in hay[0:n] (kind hk), or -1. A needle of a
 * wider kind than the haystack holds a code point the haystack cannot: not found. m >= 1. Never fails. */
static int64_t kr_units_find(int hk, const void *h, int64_t n, int nk, const void *p, int64_t m, int dir) {
  if (nk > hk) return -1;
  if (hk == 1 && m == 1 && dir > 0) {
    const void *r = memchr(h, *(const uint8_t *)p, (size_t)n);
    return r ? (const uint8_t *)r - (const uint8_t *)h : -1;
  }
  switch (hk * 8 + nk) {
  case 9: return dir > 0 ? kr_find_11((const uint8_t *)h, n, (const uint8_t *)p, m) : kr_rfind_11((const uint8_t *)h, n, (const uint8_t *)p, m);
  case 17: return dir > 0 ? kr_find_21((const uint16_t *)h, n, (const uint8_t *)p, m) : kr_rfind_21((const uint16_t *)h, n, (const uint8_t *)p, m);
  case 18: return dir > 0 ? kr_find_22((const uint16_t *)h, n, (const uint16_t *)p, m) : kr_rfind_22((const uint16_t *)h, n, (const uint16_t *)p, m);
  case 33: return dir > 0 ? kr_find_41((const uint32_t *)h, n, (const uint8_t *)p, m) : kr_rfind_41((const uint32_t *)h, n, (const uint8_t *)p, m);
  case 34: return dir > 0 ? kr_find_42((const uint32_t *)h, n, (const uint16_t *)p, m) : kr_rfind_42((const uint32_t *)h, n, (const uint16_t *)p, m);
  default: return dir > 0 ? kr_find_44((const uint32_t *)h, n, (const uint32_t *)p, m) : kr_rfind_44((const uint32_t *)h, n, (const uint32_t *)p, m);
  }
}
/* Index of sub in s[from:to] (absolute), or -1. */
static inline int64_t kr_str_find_in(const kr_str *s, const kr_str *sub, int64_t from, int64_t to, int dir) {
  int64_t r = kr_units_find(s->kind, (const char *)KR_STR_DATA(s) + from * s->kind, to - from, sub->kind, KR_STR_DATA(sub), sub->length, dir);
  return r < 0 ? -1 : from + r;
}
/* Python's ADJUST_INDICES for find/count/startswith: end clamped to [0, len], start to >= 0 (not to len).
 * A missing start is 0 and a missing end KR_NONE_END (INT64_MAX): exactly what None means there. */
#define KR_NONE_END INT64_MAX
static inline void kr_adjust_indices(int64_t len, int64_t *start, int64_t *end) {
  if (*end > len) *end = len;
  else if (*end < 0) { *end += len; if (*end < 0) *end = 0; }
  if (*start < 0) { *start += len; if (*start < 0) *start = 0; }
}
/* s.find(sub, start, end) and s.rfind(...): the index or -1. Never fails. */
static int64_t kr_str_find(const kr_str *s, const kr_str *sub, int64_t start, int64_t end) {
  kr_adjust_indices(s->length, &start, &end);
  if (end - start < sub->length) return -1;
  if (sub->length == 0) return start;
  return kr_str_find_in(s, sub, start, end, 1);
}
static int64_t kr_str_rfind(const kr_str *s, const kr_str *sub, int64_t start, int64_t end) {
  kr_adjust_indices(s->length, &start, &end);
  if (end - start < sub->length) return -1;
  if (sub->length == 0) return end;
  return kr_str_find_in(s, sub, start, end, -1);
}
/* s.index / s.rindex: ValueError "substring not found". */
static int kr_str_index(const kr_str *s, const kr_str *sub, int64_t start, int64_t end, int64_t *out) {
  *out = kr_str_find(s, sub, start, end);
  return *out < 0 ? kr_raise(KILN_ValueError, "substring not found") : 0;
}
static int kr_str_rindex(const kr_str *s, const kr_str *sub, int64_t start, int64_t end, int64_t *out) {
  *out = kr_str_rfind(s, sub, start, end);
  return *out < 0 ? kr_raise(KILN_ValueError, "substring not found") : 0;
}
/* sub in s. Never fails. */
static inline int kr_str_contains(const kr_str *s, const kr_str *sub) {
  return sub->length == 0 || kr_str_find_in(s, sub, 0, s->length, 1) >= 0;
}
/* Non-overlapping occurrences of sub in s[start:end], at most maxcount. */
static int64_t kr_str_count_in(const kr_str *s, const kr_str *sub, int64_t start, int64_t end, int64_t maxcount) {
  if (end - start < sub->length) return 0;
  if (sub->length == 0) return end - start < maxcount ? end - start + 1 : maxcount;
  int64_t count = 0;
  while (count < maxcount) {
    int64_t r = kr_str_find_in(s, sub, start, end, 1);
    if (r < 0) break;
    count++;
    start = r + sub->length;
  }
  return count;
}
/* s.count(sub, start, end). Never fails. */
static int64_t kr_str_count(const kr_str *s, const kr_str *sub, int64_t start, int64_t end) {
  kr_adjust_indices(s->length, &start, &end);
  return kr_str_count_in(s, sub, start, end, INT64_MAX);
}
/* s.startswith(prefix, start, end) / s.endswith(suffix, ...) (dir < 0 for startswith). Never fails. */
static int kr_str_tailmatch(const kr_str *s, const kr_str *sub, int64_t start, int64_t end, int dir) {
  kr_adjust_indices(s->length, &start, &end);
  end -= sub->length;
  if (end < start) return 0;
  if (sub->length == 0) return 1;
  int64_t off = dir > 0 ? end : start;
  if (s->kind == sub->kind) return memcmp((const char *)KR_STR_DATA(s) + off * s->kind, KR_STR_DATA(sub), (size_t)sub->length * s->kind) == 0;
  for (int64_t i = 0; i < sub->length; i++) if (kr_str_at(s, off + i) != kr_str_at(sub, i)) return 0;
  return 1;
}
static inline int kr_str_startswith(const kr_str *s, const kr_str *prefix, int64_t start, int64_t end) { return kr_str_tailmatch(s, prefix, start, end, -1); }
static inline int kr_str_endswith(const kr_str *s, const kr_str *suffix, int64_t start, int64_t end) { return kr_str_tailmatch(s, suffix, start, end, 1); }
/* s.startswith((p1, p2, ...), start, end) / endswith with a tuple: the tuple as an array of n strings. */
static int kr_str_startswith_any(const kr_str *s, kr_str *const *subs, int64_t n, int64_t start, int64_t end) {
  for (int64_t i = 0; i < n; i++) if (kr_str_tailmatch(s, subs[i], start, end, -1)) return 1;
  return 0;
}
static int kr_str_endswith_any(const kr_str *s, kr_str *const *subs, int64_t n, int64_t start, int64_t end) {
  for (int64_t i = 0; i < n; i++) if (kr_str_tailmatch(s, subs[i], start, end, 1)) return 1;
  return 0;
}

/* ==== character properties (kiln_unicode_db.h) ==== */
static inline unsigned kr_uflags(uint32_t c) { return c < 256 ? kr_ucd_latin1_flags[c] : kr_ucd_props_of(c)->flags; }
static inline int kr_uspace(uint32_t c) {
  return c < 128 ? (c == ' ' || (c >= 9 && c <= 13) || (c >= 28 && c <= 31)) : (kr_uflags(c) & KR_UCD_SPACE) != 0;
}
/* unicodedata.decimal(c, -1). */
static inline int kr_udecimal(uint32_t c) {
  if (c < 128) return c >= '0' && c <= '9' ? (int)(c - '0') : -1;
  int v = kr_ucd_props_of(c)->values & 15;
  return v == 15 ? -1 : v;
}
/* The full case mapping `which` (0 lower, 1 upper, 2 title, 3 casefold) of c into out (1 to 3 code points). */
static int kr_case_full(uint32_t c, int which, uint32_t out[3]) {
  const kr_ucd_case *r = kr_ucd_case_of(c);
  int32_t m = which == 0 ? r->lower : which == 1 ? r->upper : which == 2 ? r->title : r->fold;
  if (m >= KR_UCD_EXT) {
    int n = (m >> 20) & 3;
    const uint16_t *e = &kr_ucd_ext[m & 0xFFFFF];
    for (int k = 0; k < n; k++) out[k] = e[k];
    return n;
  }
  out[0] = (uint32_t)((int32_t)c + m);
  return 1;
}
#define KR_STR_LOOP(s, i, c, BODY) do { \
    const void *kr_d_ = KR_STR_DATA(s); int kr_k_ = (s)->kind; \
    for (int64_t i = 0; i < (s)->length; i++) { uint32_t c = kr_units_read(kr_k_, kr_d_, i); BODY } } while (0)

/* ---- str predicates (never fail; CPython's definitions, character by character) ---- */
static int kr_str_all_flag(const kr_str *s, unsigned flag) {
  if (s->length == 0) return 0;
  KR_STR_LOOP(s, i, c, { if (!(kr_uflags(c) & flag)) return 0; });
  return 1;
}
static int kr_str_isalpha(const kr_str *s) { return kr_str_all_flag(s, KR_UCD_ALPHA); }
static int kr_str_isdecimal(const kr_str *s) { return kr_str_all_flag(s, KR_UCD_DECIMAL); }
static int kr_str_isdigit(const kr_str *s) { return kr_str_all_flag(s, KR_UCD_DIGIT); }
static int kr_str_isnumeric(const kr_str *s) { return kr_str_all_flag(s, KR_UCD_NUMERIC); }
static int kr_str_isspace(const kr_str *s) { return kr_str_all_flag(s, KR_UCD_SPACE); }
static int kr_str_isalnum(const kr_str *s) { return kr_str_all_flag(s, KR_UCD_ALPHA | KR_UCD_DECIMAL | KR_UCD_DIGIT | KR_UCD_NUMERIC); }
static int kr_str_isascii(const kr_str *s) { return s->ascii; }
static int kr_str_isprintable(const kr_str *s) {
  KR_STR_LOOP(s, i, c, { if (!(kr_uflags(c) & KR_UCD_PRINTABLE)) return 0; });
  return 1;
}
static int kr_str_islower(const kr_str *s) {
  int cased = 0;
  KR_STR_LOOP(s, i, c, { unsigned f = kr_uflags(c); if (f & (KR_UCD_UPPER | KR_UCD_TITLE)) return 0; if (f & KR_UCD_LOWER) cased = 1; });
  return cased;
}
static int kr_str_isupper(const kr_str *s) {
  int cased = 0;
  KR_STR_LOOP(s, i, c, { unsigned f = kr_uflags(c); if (f & (KR_UCD_LOWER | KR_UCD_TITLE)) return 0; if (f & KR_UCD_UPPER) cased = 1; });
  return cased;
}
static int kr_str_istitle(const kr_str *s) {
  int cased = 0, previous_cased = 0;
  KR_STR_LOOP(s, i, c, {
    unsigned f = kr_uflags(c);
    if (f & (KR_UCD_UPPER | KR_UCD_TITLE)) { if (previous_cased) return 0; previous_cased = cased = 1; }
    else if (f & KR_UCD_LOWER) { if (!previous_cased) return 0; previous_cased = cased = 1; }
    else previous_cased = 0;
  });
  return cased;
}
static int kr_str_isidentifier(const kr_str *s) {
  if (s->length == 0) return 0;
  uint32_t c0 = kr_str_at(s, 0);
  if (c0 != '_' && !(kr_uflags(c0) & KR_UCD_XID_START)) return 0;
  for (int64_t i = 1; i < s->length; i++) if (!(kr_uflags(kr_str_at(s, i)) & KR_UCD_XID_CONTINUE)) return 0;
  return 1;
}

/* ---- case conversion ---- */
/* CPython's final sigma: U+03A3 at i lowers to U+03C2 when a cased letter precedes it and none follows (skipping
 * case-ignorable characters both ways). */
static uint32_t kr_sigma_lower(const kr_str *s, int64_t i) {
  int64_t j = i - 1;
  uint32_t c = 0;
  for (; j >= 0; j--) { c = kr_str_at(s, j); if (!(kr_uflags(c) & KR_UCD_CASE_IGNORABLE)) break; }
  int final_sigma = j >= 0 && (kr_uflags(c) & KR_UCD_CASED);
  if (final_sigma && i + 1 < s->length) {
    for (j = i + 1; j < s->length; j++) { c = kr_str_at(s, j); if (!(kr_uflags(c) & KR_UCD_CASE_IGNORABLE)) break; }
    final_sigma = j == s->length || !(kr_uflags(c) & KR_UCD_CASED);
  }
  return final_sigma ? 0x3C2 : 0x3C3;
}
static inline int kr_lower_at(const kr_str *s, int64_t i, uint32_t c, uint32_t out[3]) {
  if (c == 0x3A3) { out[0] = kr_sigma_lower(s, i); return 1; }
  return kr_case_full(c, 0, out);
}
enum { KR_CASE_LOWER, KR_CASE_UPPER, KR_CASE_CASEFOLD, KR_CASE_SWAPCASE, KR_CASE_CAPITALIZE, KR_CASE_TITLE };
static kr_str *kr_str_case(kr_str *s, int op) {
  if (s->length == 0) return kr_str_empty;
  if (s->ascii && op <= KR_CASE_SWAPCASE) {
    kr_str *r = kr_str_alloc(1, s->length);
    if (!r) return NULL;
    const uint8_t *p = KR_STR_U1(s);
    uint8_t *o = KR_STR_U1(r);
    for (int64_t i = 0; i < s->length; i++) {
      uint8_t c = p[i];
      int up = c >= 'A' && c <= 'Z', lo = c >= 'a' && c <= 'z';
      if ((op == KR_CASE_LOWER || op == KR_CASE_CASEFOLD || op == KR_CASE_SWAPCASE) && up) c = (uint8_t)(c + 32);
      else if ((op == KR_CASE_UPPER || op == KR_CASE_SWAPCASE) && lo) c = (uint8_t)(c - 32);
      o[i] = c;
    }
    return kr_str_seal(r, s->length, 1);
  }
  kr_sw w;
  if (kr_sw_init(&w, s->length, s->ascii ? 127 : kr_kind_max(s->kind))) return NULL;
  int previous_cased = 0;
  uint32_t m[3];
  for (int64_t i = 0; i < s->length; i++) {
    uint32_t c = kr_str_at(s, i);
    int n;
    switch (op) {
    case KR_CASE_LOWER: n = kr_lower_at(s, i, c, m); break;
    case KR_CASE_UPPER: n = kr_case_full(c, 1, m); break;
    case KR_CASE_CASEFOLD: n = kr_case_full(c, 3, m); break;
    case KR_CASE_SWAPCASE: {
      unsigned f = kr_uflags(c);
      if (f & KR_UCD_UPPER) n = kr_lower_at(s, i, c, m);
      else if (f & KR_UCD_LOWER) n = kr_case_full(c, 1, m);
      else { m[0] = c; n = 1; }
      break;
    }
    case KR_CASE_CAPITALIZE: n = i == 0 ? kr_case_full(c, 2, m) : kr_lower_at(s, i, c, m); break;
    default: /* title */
      n = previous_cased ? kr_lower_at(s, i, c, m) : kr_case_full(c, 2, m);
      previous_cased = (kr_uflags(c) & KR_UCD_CASED) != 0;
      break;
    }
    for (int k = 0; k < n; k++) if (kr_sw_putc(&w, m[k])) { kr_sw_discard(&w); return NULL; }
  }
  return kr_sw_finish(&w);
}
static kr_str *kr_str_lower(kr_str *s) { return kr_str_case(s, KR_CASE_LOWER); }
static kr_str *kr_str_upper(kr_str *s) { return kr_str_case(s, KR_CASE_UPPER); }
static kr_str *kr_str_casefold(kr_str *s) { return kr_str_case(s, KR_CASE_CASEFOLD); }
static kr_str *kr_str_swapcase(kr_str *s) { return kr_str_case(s, KR_CASE_SWAPCASE); }
static kr_str *kr_str_capitalize(kr_str *s) { return kr_str_case(s, KR_CASE_CAPITALIZE); }
static kr_str *kr_str_title(kr_str *s) { return kr_str_case(s, KR_CASE_TITLE); }

/* ==== splitting and joining ====
 * Results are appended to `out` (new references); on error, what was appended stays in out for the caller's
 * kr_strvec_clear. maxsplit < 0 means no limit. */
static inline int kr_space_at(int kind, const void *d, int64_t i) {
  uint32_t c = kr_units_read(kind, d, i);
  return kind == 1 ? (kr_ucd_latin1_flags[c] & KR_UCD_SPACE) != 0 : kr_uspace(c);
}
/* s.split() / s.split(None, maxsplit). */
static int kr_str_split_ws(kr_str *s, int64_t maxsplit, kr_strvec *out) {
  int64_t len = s->length, i = 0, j;
  int kind = s->kind;
  const void *d = KR_STR_DATA(s);
  if (maxsplit < 0) maxsplit = INT64_MAX;
  while (maxsplit-- > 0) {
    while (i < len && kr_space_at(kind, d, i)) i++;
    if (i == len) break;
    j = i++;
    while (i < len && !kr_space_at(kind, d, i)) i++;
    if (kr_strvec_push(out, kr_str_substr(s, j, i))) return -1;
  }
  if (i < len) {
    while (i < len && kr_space_at(kind, d, i)) i++;
    if (i != len && kr_strvec_push(out, kr_str_substr(s, i, len))) return -1;
  }
  return 0;
}
/* s.split(sep, maxsplit): ValueError "empty separator". */
static int kr_str_split(kr_str *s, kr_str *sep, int64_t maxsplit, kr_strvec *out) {
  if (sep->length == 0) return kr_raise(KILN_ValueError, "empty separator");
  if (maxsplit < 0) maxsplit = INT64_MAX;
  int64_t i = 0, len = s->length;
  while (maxsplit-- > 0) {
    int64_t j = kr_str_find_in(s, sep, i, len, 1);
    if (j < 0) break;
    if (kr_strvec_push(out, kr_str_substr(s, i, j))) return -1;
    i = j + sep->length;
  }
  return kr_strvec_push(out, kr_str_substr(s, i, len));
}
/* s.rsplit() / s.rsplit(None, maxsplit). */
static int kr_str_rsplit_ws(kr_str *s, int64_t maxsplit, kr_strvec *out) {
  int64_t len = s->length, i = len - 1, j, first = out->len;
  int kind = s->kind;
  const void *d = KR_STR_DATA(s);
  if (maxsplit < 0) maxsplit = INT64_MAX;
  while (maxsplit-- > 0) {
    while (i >= 0 && kr_space_at(kind, d, i)) i--;
    if (i < 0) break;
    j = i--;
    while (i >= 0 && !kr_space_at(kind, d, i)) i--;
    if (kr_strvec_push(out, kr_str_substr(s, i + 1, j + 1))) return -1;
  }
  if (i >= 0) {
    while (i >= 0 && kr_space_at(kind, d, i)) i--;
    if (i >= 0 && kr_strvec_push(out, kr_str_substr(s, 0, i + 1))) return -1;
  }
  kr_strvec tail = { out->items + first, out->len - first, 0 };
  kr_strvec_reverse(&tail);
  return 0;
}
/* s.rsplit(sep, maxsplit): ValueError "empty separator". */
static int kr_str_rsplit(kr_str *s, kr_str *sep, int64_t maxsplit, kr_strvec *out) {
  if (sep->length == 0) return kr_raise(KILN_ValueError, "empty separator");
  if (maxsplit < 0) maxsplit = INT64_MAX;
  int64_t j = s->length, first = out->len;
  while (maxsplit-- > 0) {
    int64_t pos = kr_str_find_in(s, sep, 0, j, -1);
    if (pos < 0) break;
    if (kr_strvec_push(out, kr_str_substr(s, pos + sep->length, j))) return -1;
    j = pos;
  }
  if (kr_strvec_push(out, kr_str_substr(s, 0, j))) return -1;
  kr_strvec tail = { out->items + first, out->len - first, 0 };
  kr_strvec_reverse(&tail);
  return 0;
}
/* A line boundary of splitlines: \n \r \v \f \x1c \x1d \x1e \x85 \u2028 \u2029 (\r\n counts as one). */
static inline int kr_linebreak(uint32_t c) { return c < 256 ? (kr_ucd_latin1_flags[c] & KR_UCD_LINEBREAK) != 0 : c == 0x2028 || c == 0x2029; }
/* s.splitlines(keepends). */
static int kr_str_splitlines(kr_str *s, int keepends, kr_strvec *out) {
  int64_t len = s->length, i = 0, j = 0;
  while (i < len) {
    while (i < len && !kr_linebreak(kr_str_at(s, i))) i++;
    int64_t eol = i;
    if (i < len) {
      if (kr_str_at(s, i) == '\r' && i + 1 < len && kr_str_at(s, i + 1) == '\n') i += 2;
      else i++;
      if (keepends) eol = i;
    }
    if (kr_strvec_push(out, kr_str_substr(s, j, eol))) return -1;
    j = i;
  }
  return 0;
}
/* sep.join(items): the list as an array of n strings (borrowed). OverflowError "join() result is too long for a
 * Python string" past int64. */
static kr_str *kr_str_join(kr_str *sep, kr_str *const *items, int64_t n) {
  if (n == 0) return kr_str_empty;
  if (n == 1) return kr_str_newref(items[0]);
  int64_t total = 0;
  int kind = sep->kind, ascii = sep->ascii;
  for (int64_t i = 0; i < n; i++) {
    int64_t add = items[i]->length + (i ? sep->length : 0);
    if (KILN_UNLIKELY(total > INT64_MAX - add)) { kr_raise(KILN_OverflowError, "join() result is too long for a Python string"); return NULL; }
    total += add;
    if (items[i]->kind > kind) kind = items[i]->kind;
    ascii &= items[i]->ascii;
  }
  if (sep->length == 0 || n == 1) kind = 1, ascii = 1;
  if (sep->length == 0) for (int64_t i = 0; i < n; i++) { if (items[i]->kind > kind) kind = items[i]->kind; ascii &= items[i]->ascii; }
  if (total == 0) return kr_str_empty;
  kr_str *r = kr_str_alloc(kind, total);
  if (!r) return NULL;
  void *o = KR_STR_DATA(r);
  int64_t at = 0;
  for (int64_t i = 0; i < n; i++) {
    if (i && sep->length) { kr_units_copy(kind, o, at, sep->kind, KR_STR_DATA(sep), 0, sep->length); at += sep->length; }
    kr_units_copy(kind, o, at, items[i]->kind, KR_STR_DATA(items[i]), 0, items[i]->length);
    at += items[i]->length;
  }
  if (total == 1) { uint32_t c = kr_units_read(kind, o, 0); if (c < 256) { kr_decref(r); return kr_str_latin1_char(c); } }
  return kr_str_seal(r, total, ascii);
}

/* ==== strip, partition, replace, padding ==== */
/* Whether c is among chars' code points (chars NULL: whitespace). */
static inline int kr_strip_member(const kr_str *chars, uint32_t c) {
  if (!chars) return kr_uspace(c);
  for (int64_t i = 0; i < chars->length; i++) if (kr_str_at(chars, i) == c) return 1;
  return 0;
}
/* s.strip(chars), lstrip, rstrip: chars NULL means None (whitespace). which: 1 left, 2 right, 3 both. */
static kr_str *kr_str_strip_ex(kr_str *s, const kr_str *chars, int which) {
  int64_t i = 0, j = s->length;
  if (which & 1) while (i < j && kr_strip_member(chars, kr_str_at(s, i))) i++;
  if (which & 2) while (j > i && kr_strip_member(chars, kr_str_at(s, j - 1))) j--;
  return kr_str_substr(s, i, j);
}
static kr_str *kr_str_strip(kr_str *s, const kr_str *chars) { return kr_str_strip_ex(s, chars, 3); }
static kr_str *kr_str_lstrip(kr_str *s, const kr_str *chars) { return kr_str_strip_ex(s, chars, 1); }
static kr_str *kr_str_rstrip(kr_str *s, const kr_str *chars) { return kr_str_strip_ex(s, chars, 2); }
/* s.partition(sep) / s.rpartition(sep): the three parts in out[0..2] (new references); ValueError "empty
 * separator". */
static int kr_str_partition_ex(kr_str *s, kr_str *sep, kr_str *out[3], int dir) {
  if (sep->length == 0) return kr_raise(KILN_ValueError, "empty separator");
  int64_t at = kr_str_find_in(s, sep, 0, s->length, dir);
  if (at < 0) {
    out[0] = dir > 0 ? kr_str_newref(s) : kr_str_empty;
    out[1] = kr_str_empty;
    out[2] = dir > 0 ? kr_str_empty : kr_str_newref(s);
    return 0;
  }
  out[0] = kr_str_substr(s, 0, at);
  if (!out[0]) return -1;
  out[1] = kr_str_newref(sep);
  out[2] = kr_str_substr(s, at + sep->length, s->length);
  if (!out[2]) { kr_decref(out[0]); kr_decref(out[1]); return -1; }
  return 0;
}
static int kr_str_partition(kr_str *s, kr_str *sep, kr_str *out[3]) { return kr_str_partition_ex(s, sep, out, 1); }
static int kr_str_rpartition(kr_str *s, kr_str *sep, kr_str *out[3]) { return kr_str_partition_ex(s, sep, out, -1); }
/* s.replace(old, new, count): count < 0 means all. */
static kr_str *kr_str_replace(kr_str *s, kr_str *old, kr_str *new_, int64_t count) {
  if (count < 0) count = INT64_MAX;
  else if (count == 0 || s->length == 0) { if (!(s->length == 0 && old->length == 0 && count != 0)) return kr_str_newref(s); }
  if (old->length > s->length) return kr_str_newref(s);
  int64_t n = kr_str_count_in(s, old, 0, s->length, count);
  if (n == 0) return kr_str_newref(s);
  kr_sw w;
  if (kr_sw_init(&w, s->length + n * (new_->length - old->length), 0)) return NULL;
  int64_t i = 0;
  if (old->length == 0) {
    for (int64_t k = 0; k < n; k++) {
      if (kr_sw_put_str(&w, new_, 0, new_->length)) goto fail;
      if (i < s->length && kr_sw_put_str(&w, s, i++, 1)) goto fail;
    }
  } else {
    for (int64_t k = 0; k < n; k++) {
      int64_t j = kr_str_find_in(s, old, i, s->length, 1);
      if (kr_sw_put_str(&w, s, i, j - i) || kr_sw_put_str(&w, new_, 0, new_->length)) goto fail;
      i = j + old->length;
    }
  }
  if (kr_sw_put_str(&w, s, i, s->length - i)) goto fail;
  return kr_sw_finish(&w);
fail:
  kr_sw_discard(&w);
  return NULL;
}
/* s with `left` and `right` fill characters around it. */
static kr_str *kr_str_pad(kr_str *s, int64_t left, int64_t right, uint32_t fill) {
  if (left < 0) left = 0;
  if (right < 0) right = 0;
  if (left == 0 && right == 0) return kr_str_newref(s);
  kr_sw w;
  if (kr_sw_init(&w, s->length + left + right, 0)) return NULL;
  if (kr_sw_fill(&w, fill, left) || kr_sw_put_str(&w, s, 0, s->length) || kr_sw_fill(&w, fill, right)) { kr_sw_discard(&w); return NULL; }
  return kr_sw_finish(&w);
}
/* The fill character argument of center/ljust/rjust: TypeError "The fill character must be exactly one character
 * long" (the compiler passes ' ' when it is missing). */
static int kr_str_fillchar(const kr_str *fill, uint32_t *out) {
  if (fill->length != 1) return kr_raise(KILN_TypeError, "The fill character must be exactly one character long");
  *out = kr_str_at(fill, 0);
  return 0;
}
static kr_str *kr_str_ljust(kr_str *s, int64_t width, uint32_t fill) {
  return s->length >= width ? kr_str_newref(s) : kr_str_pad(s, 0, width - s->length, fill);
}
static kr_str *kr_str_rjust(kr_str *s, int64_t width, uint32_t fill) {
  return s->length >= width ? kr_str_newref(s) : kr_str_pad(s, width - s->length, 0, fill);
}
static kr_str *kr_str_center(kr_str *s, int64_t width, uint32_t fill) {
  if (s->length >= width) return kr_str_newref(s);
  int64_t marg = width - s->length, left = marg / 2 + (marg & width & 1);
  return kr_str_pad(s, left, marg - left, fill);
}
/* s.zfill(width). */
static kr_str *kr_str_zfill(kr_str *s, int64_t width) {
  if (s->length >= width) return kr_str_newref(s);
  int64_t fill = width - s->length;
  kr_str *r = kr_str_pad(s, fill, 0, '0');
  if (r && s->length) {
    uint32_t c = kr_str_at(r, fill);
    if (c == '+' || c == '-') { kr_units_write(r->kind, KR_STR_DATA(r), 0, c); kr_units_write(r->kind, KR_STR_DATA(r), fill, '0'); }
  }
  return r;
}
/* s.expandtabs(tabsize): OverflowError "new string is too long". */
static kr_str *kr_str_expandtabs(kr_str *s, int64_t tabsize) {
  int64_t j = 0, col = 0;
  int found = 0;
  for (int64_t i = 0; i < s->length; i++) {
    uint32_t c = kr_str_at(s, i);
    if (c == '\t') {
      found = 1;
      if (tabsize > 0) {
        int64_t incr = tabsize - col % tabsize;
        if (j > INT64_MAX - incr) { kr_raise(KILN_OverflowError, "new string is too long"); return NULL; }
        col += incr;
        j += incr;
      }
    } else {
      j++;
      col++;
      if (c == '\n' || c == '\r') col = 0;
    }
  }
  if (!found) return kr_str_newref(s);
  kr_sw w;
  if (kr_sw_init(&w, j, 0)) return NULL;
  col = 0;
  for (int64_t i = 0; i < s->length; i++) {
    uint32_t c = kr_str_at(s, i);
    int rc;
    if (c == '\t') {
      if (tabsize <= 0) continue;
      int64_t incr = tabsize - col % tabsize;
      col += incr;
      rc = kr_sw_fill(&w, ' ', incr);
    } else {
      col++;
      if (c == '\n' || c == '\r') col = 0;
      rc = kr_sw_putc(&w, c);
    }
    if (rc) { kr_sw_discard(&w); return NULL; }
  }
  return kr_sw_finish(&w);
}
/* s.removeprefix(p) / s.removesuffix(p). */
static kr_str *kr_str_removeprefix(kr_str *s, kr_str *p) {
  return p->length && kr_str_tailmatch(s, p, 0, KR_NONE_END, -1) ? kr_str_substr(s, p->length, s->length) : kr_str_newref(s);
}
static kr_str *kr_str_removesuffix(kr_str *s, kr_str *p) {
  return p->length && kr_str_tailmatch(s, p, 0, KR_NONE_END, 1) ? kr_str_substr(s, 0, s->length - p->length) : kr_str_newref(s);
}

/* ==== bytes ==== */
/* b[i] as an int: IndexError "index out of range". */
static int kr_bytes_getitem(const kr_bytes *b, int64_t i, int64_t *out) {
  if (i < 0) i += b->length;
  if (KILN_UNLIKELY((uint64_t)i >= (uint64_t)b->length)) return kr_raise(KILN_IndexError, "index out of range");
  *out = KR_BYTES_DATA(b)[i];
  return 0;
}
/* Byte i (0 <= i < len, unchecked) for iteration. Never fails. */
static inline int64_t kr_bytes_at(const kr_bytes *b, int64_t i) { return KR_BYTES_DATA(b)[i]; }
/* b[start:stop:step]: ValueError "slice step cannot be zero". */
static kr_bytes *kr_bytes_slice(kr_bytes *b, kr_slice sl) {
  int64_t start, step, n;
  if (kr_slice_adjust(kr_slice_clamp(sl), b->length, &start, &step, &n)) return NULL;
  if (n <= 0) return KR_BYTES(kr_bytes_empty_lit);
  if (step == 1 && n == b->length) { kr_incref(b); return b; }
  kr_bytes *r = kr_bytes_alloc(n);
  if (!r) return NULL;
  const uint8_t *p = KR_BYTES_DATA(b);
  uint8_t *o = KR_BYTES_DATA(r);
  if (step == 1) memcpy(o, p + start, (size_t)n);
  else for (int64_t i = 0, j = start; i < n; i++, j += step) o[i] = p[j];
  return r;
}
/* a + b. */
static kr_bytes *kr_bytes_concat(kr_bytes *a, kr_bytes *b) {
  if (a->length == 0) { kr_incref(b); return b; }
  if (b->length == 0) { kr_incref(a); return a; }
  kr_bytes *r = kr_bytes_alloc(a->length + b->length);
  if (!r) return NULL;
  memcpy(KR_BYTES_DATA(r), KR_BYTES_DATA(a), (size_t)a->length);
  memcpy(KR_BYTES_DATA(r) + a->length, KR_BYTES_DATA(b), (size_t)b->length);
  return r;
}
/* a == b, and byte order (<0, 0, >0). Never fail. */
static inline int kr_bytes_eq(const kr_bytes *a, const kr_bytes *b) {
  return a == b || (a->length == b->length && memcmp(KR_BYTES_DATA(a), KR_BYTES_DATA(b), (size_t)a->length) == 0);
}
static int kr_bytes_cmp(const kr_bytes *a, const kr_bytes *b) {
  int64_t n = a->length < b->length ? a->length : b->length;
  int c = memcmp(KR_BYTES_DATA(a), KR_BYTES_DATA(b), (size_t)n);
  if (c) return c < 0 ? -1 : 1;
  return a->length < b->length ? -1 : a->length > b->length;
}
/* hash(b): never -1; cached in heap bytes. Never fails. */
static int64_t kr_bytes_hash(kr_bytes *b) {
  if (b->hash != -1) return b->hash;
  int64_t h = (int64_t)kr_hash_bytes(KR_BYTES_DATA(b), (size_t)b->length, 0x62);
  if (h == -1) h = -2;
  if (b->ob.rc >= 0) b->hash = h;
  return h;
}

/*@@NUMBERS@@*/


#endif /* KILN_STR_H */
