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

/* Big helpers stay out of line: every unit that includes this header compiles what it uses, so inlining them
 * everywhere would cost compile time and code size for no measurable speed. */
#if defined(__GNUC__) || defined(__clang__)
#define KR_NOINLINE __attribute__((noinline))
#else
#define KR_NOINLINE
#endif

/* ==== exception kinds ====
 * UnicodeDecodeError and UnicodeEncodeError (subclasses of UnicodeError, a ValueError, in Python) and
 * AttributeError (str.format's {0.name}) are kinds of kiln_runtime.h's table, which defines
 * KILN_HAVE_STR_ERRORS. The numbers below only stand in when this header is used with an older
 * kiln_runtime.h; kr_str_error_name() names every kind either way. */
#ifndef KILN_HAVE_STR_ERRORS
enum { KILN_UnicodeDecodeError = 64, KILN_UnicodeEncodeError = 65, KILN_AttributeError = 66 };
#endif
/* The Python name of an error kind, the placeholder kinds included. Never fails. */
static inline const char *kr_str_error_name(int kind) {
  if (kind == KILN_UnicodeDecodeError) return "UnicodeDecodeError";
  if (kind == KILN_UnicodeEncodeError) return "UnicodeEncodeError";
  if (kind == KILN_AttributeError) return "AttributeError";
  if (kind >= 0 && kind < (int)(sizeof kr_error_names / sizeof kr_error_names[0])) return kr_error_names[kind];
  return "Exception";
}

/* ==== messages built at run time: a per-thread growable buffer ==== */
KR_STATE KILN_TLS char *kr_msg_buf;
KR_STATE KILN_TLS size_t kr_msg_len;
KR_STATE KILN_TLS size_t kr_msg_cap;
KR_STATE KILN_TLS int kr_msg_oom;

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
  if (kr_msg_oom) return kr_raise(KILN_MemoryError, "");
  /* An empty message (raise ValueError(s) with s == ""): nothing was written, the buffer may hold an older one. */
  if (!kr_msg_len) return kr_raise(kind, "");
  kr_msg_buf[kr_msg_len] = 0;
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
KR_STATE const kr_type kr_type_str KR_STATE_INIT({ "str", NULL, 0, 0, NULL, NULL, kr_str_finalize });
KR_STATE const kr_type kr_type_bytes KR_STATE_INIT({ "bytes", NULL, 0, 0, NULL, NULL, NULL });

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
 *   KR_STR_LITERAL(kr_lit_4, 1, 4, "caf\303\251", 5, "caf\351");    kind 1: Latin-1 units as a C string
 *   KR_STR_LITERAL(kr_lit_5, 2, 2, "\344\270\255\346\226\207", 6, 0x4e2d, 0x6587);   kind 2 or 4: the units
 * (name, kind, length in code points, its UTF-8 as a C string literal, UTF-8 length in bytes, then the units: a C
 * string literal for kind 1 or the code units as numbers; a literal holding a lone surrogate has no UTF-8: NULL, 0),
 * and uses it as KR_STR(kr_lit_3): a kr_str * that may be
 * passed anywhere a borrowed string goes, and returned as a new reference without kr_incref (immortal objects
 * ignore counting; kr_incref/kr_decref on them are no-ops, so generated code need not tell them apart).
 * The kind must be the smallest that holds the widest code point, as for every str (equality relies on it).
 * Write bytes >= 0x80 in C strings as three-digit octal escapes ("caf\303\251"): a hex escape swallows every hex
 * digit that follows it ("\xe9b" is one escape).
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
  kr_str *s = (kr_str *)kr_mem_get_n(&size); /* a cached block may be larger: the string may grow into it */
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
static KR_NOINLINE uint32_t kr_units_max(int kind, const void *d, int64_t n) {
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
static KR_NOINLINE void kr_units_copy(int dkind, void *dst, int64_t di, int skind, const void *src, int64_t si, int64_t n) {
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
  if (s->ascii && end - start > 1) { /* ASCII (words of text): the bytes copied as they are, no scan for the widest */
    int64_t n = end - start;
    kr_str *r = kr_str_alloc(1, n);
    if (!r) return NULL;
    memcpy(KR_STR_U1(r), KR_STR_U1(s) + start, (size_t)n);
    return kr_str_seal(r, n, 1);
  }
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
static KR_NOINLINE int kr_sw_reserve(kr_sw *w, int64_t extra, uint32_t maxchar) {
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
  /* the widest code point decides the kind and the ascii flag: scan only when either may change (what was written
   * so far, not the writer's allocated kind, which kr_sw_init's hint may make wider: kr_sw_finish narrows to it) */
  uint32_t m = s->ascii ? 127 : (s->kind <= kr_kind_for(w->maxchar) && w->maxchar >= 128) ? 128 : kr_units_max(s->kind, d, n);
  if (kr_sw_reserve(w, n, m)) return -1;
  kr_units_copy(w->kind, KR_STR_DATA(w->s), w->len, s->kind, d, 0, n);
  w->len += n;
  return 0;
}
/* The string written (a new reference; the writer is emptied). Shared strings for "" and one Latin-1 char. The
 * result has the canonical kind (the smallest that holds its widest code point) even when the writer started wider
 * (kr_sw_init's hint): equality compares kinds, so 'ſ'.upper() must be the kind-1 'S'. Never fails. */
static kr_str *kr_sw_finish(kr_sw *w) {
  kr_str *s = w->s;
  w->s = NULL;
  if (w->len == 0) { kr_decref(s); return kr_str_empty; }
  if (w->len == 1 && w->maxchar < 256) {
    uint32_t c = kr_units_read(w->kind, KR_STR_DATA(s), 0);
    kr_decref(s);
    return kr_str_latin1_char(c);
  }
  int canonical = kr_kind_for(w->maxchar);
  if (canonical < w->kind) {
    /* narrowed in place: unit i moves from i * kind to i * canonical, never ahead of what is still to read */
    void *d = KR_STR_DATA(s);
    for (int64_t i = 0; i < w->len; i++) kr_units_write(canonical, d, i, kr_units_read(w->kind, d, i));
    s->kind = (uint8_t)canonical;
    w->cap = kr_str_capacity(s);
    w->kind = canonical;
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
static KR_NOINLINE int kr_utf8_check(const uint8_t *p, int64_t n, int64_t *count, uint32_t *maxchar) {
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
  if (kr_str_is_immortal(s)) { /* never written: a literal must carry its UTF-8 (only one with a surrogate has none) */
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
  char *buf = (char *)kr_export_alloc((size_t)n + 1); /* kiln_free puts a large one back into the block cache */
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
  int64_t start = 0, step = 1, n = 0;
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
  /* The common case, inline: one byte per unit on both sides, s held only by this variable (so neither static nor
   * with a cached UTF-8) and room left for t and the terminator. s += s copies s's first half behind it (no overlap). */
  if (KILN_LIKELY(s->ob.rc == 1 && s->kind == 1 && t->kind == 1 && !s->utf8_owned && s->length + t->length < s->alloc_size - (int64_t)sizeof(kr_str))) {
    int64_t m = s->length, n = m + t->length;
    memcpy(KR_STR_U1(s) + m, KR_STR_U1(t), (size_t)t->length);
    KR_STR_U1(s)[n] = 0;
    s->length = n;
    s->hash = -1;
    s->ascii &= t->ascii;
    return 0;
  }
  if (t->length == 0) return 0;
  if (s->length == 0) { kr_incref(t); *ps = t; kr_decref(s); return 0; }
  if (KILN_UNLIKELY(s->length > INT64_MAX - t->length)) return kr_raise(KILN_OverflowError, "strings are too large to concat");
  int64_t n = s->length + t->length;
  if (s->ob.rc == 1 && s->kind >= t->kind) {
    if (n > kr_str_capacity(s)) {
      int64_t cap = n + (n >> 1) + 8;
      int self = t == s; /* s += s: t moves with s */
      kr_str *g = kr_str_realloc(s, cap);
      if (!g) return kr_raise_memory_str();
      s = *ps = g;
      if (self) t = s;
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
  size_t n = (size_t)a->length * a->kind;
  if (n <= 16) { /* short strings (words): compared here rather than through a call */
    const uint8_t *p = (const uint8_t *)KR_STR_DATA(a), *q = (const uint8_t *)KR_STR_DATA(b);
    for (size_t i = 0; i < n; i++) if (p[i] != q[i]) return 0;
    return 1;
  }
  return memcmp(KR_STR_DATA(a), KR_STR_DATA(b), n) == 0;
}
/* Code-point order: <0, 0, >0 (for <, <=, >, >=, and sorting). Never fails. */
static int kr_str_cmp(const kr_str *a, const kr_str *b) {
  if (a == b) return 0;
  int64_t n = a->length < b->length ? a->length : b->length;
  if (a->kind == 1 && b->kind == 1) {
    const uint8_t *p = KR_STR_U1(a), *q = KR_STR_U1(b);
    if (n < 16) { for (int64_t i = 0; i < n; i++) if (p[i] != q[i]) return p[i] < q[i] ? -1 : 1; }
    else { int c = memcmp(p, q, (size_t)n); if (c) return c < 0 ? -1 : 1; }
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
  for (size_t k = 0; k < n; k++) w |= (uint64_t)b[k] << (8 * k);
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
 * instantiated for each pair of haystack and needle unit types (the needle never wider than the haystack). When
 * its verifications have cost more than 4n + 4096 comparisons (a periodic needle in a periodic text), it gives up
 * (-2) and kr_find_kmp finishes in linear time, so no search is quadratic (CPython's guarantee since 3.10). */
#define KR_BLOOM(mask, c) ((mask) & ((uint64_t)1 << ((c) & 63)))
#define KR_DEF_SEARCH(SUF, TH, TN) \
  static int64_t kr_find_##SUF(const TH *s, int64_t n, const TN *p, int64_t m) { \
    if (m > n) return -1; \
    if (m == 1) { TN c = p[0]; for (int64_t i = 0; i < n; i++) if (s[i] == c) return i; return -1; } \
    int64_t mlast = m - 1, skip = mlast - 1, w = n - m, work = 0, budget = 4 * n + 4096; \
    uint64_t mask = 0; \
    for (int64_t i = 0; i < mlast; i++) { mask |= (uint64_t)1 << (p[i] & 63); if (p[i] == p[mlast]) skip = mlast - i - 1; } \
    mask |= (uint64_t)1 << (p[mlast] & 63); \
    for (int64_t i = 0; i <= w; i++) { \
      if (s[i + mlast] == p[mlast]) { \
        int64_t j = 0; \
        while (j < mlast && s[i + j] == p[j]) j++; \
        if (j == mlast) return i; \
        if ((work += j) > budget) return -2; \
        if (i < w && !KR_BLOOM(mask, s[i + m])) i += m; else i += skip; \
      } else if (i < w && !KR_BLOOM(mask, s[i + m])) i += m; \
    } \
    return -1; \
  } \
  static int64_t kr_rfind_##SUF(const TH *s, int64_t n, const TN *p, int64_t m) { \
    if (m > n) return -1; \
    if (m == 1) { TN c = p[0]; for (int64_t i = n - 1; i >= 0; i--) if (s[i] == c) return i; return -1; } \
    int64_t skip = m - 2, work = 0, budget = 4 * n + 4096; \
    uint64_t mask = (uint64_t)1 << (p[0] & 63); \
    for (int64_t i = m - 1; i > 0; i--) { mask |= (uint64_t)1 << (p[i] & 63); if (p[i] == p[0]) skip = i - 1; } \
    for (int64_t i = n - m; i >= 0; i--) { \
      if (s[i] == p[0]) { \
        int64_t j = m - 1; \
        while (j > 0 && s[i + j] == p[j]) j--; \
        if (j == 0) return i; \
        if ((work += m - j) > budget) return -2; \
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
/* Knuth-Morris-Pratt over code points (dir < 0: on the reversed sequences): linear in n + m. -2 without memory
 * for its table. */
static KR_NOINLINE int64_t kr_find_kmp(int hk, const void *h, int64_t n, int nk, const void *p, int64_t m, int dir) {
  int64_t local[256];
  int64_t *fail = m <= 256 ? local : (int64_t *)malloc((size_t)m * sizeof(int64_t));
  if (!fail) return -2;
#define KR_P(i) kr_units_read(nk, p, dir > 0 ? (i) : m - 1 - (i))
#define KR_H(i) kr_units_read(hk, h, dir > 0 ? (i) : n - 1 - (i))
  fail[0] = 0;
  for (int64_t i = 1, k = 0; i < m; i++) {
    while (k && KR_P(i) != KR_P(k)) k = fail[k - 1];
    if (KR_P(i) == KR_P(k)) k++;
    fail[i] = k;
  }
  int64_t found = -1;
  for (int64_t i = 0, k = 0; i < n; i++) {
    while (k && KR_H(i) != KR_P(k)) k = fail[k - 1];
    if (KR_H(i) == KR_P(k)) k++;
    if (k == m) { found = dir > 0 ? i - m + 1 : n - 1 - i; break; }
  }
#undef KR_P
#undef KR_H
  if (fail != local) free(fail);
  return found;
}
static int64_t kr_units_find_fast(int hk, const void *h, int64_t n, int nk, const void *p, int64_t m, int dir) {
  switch (hk * 8 + nk) {
  case 9: return dir > 0 ? kr_find_11((const uint8_t *)h, n, (const uint8_t *)p, m) : kr_rfind_11((const uint8_t *)h, n, (const uint8_t *)p, m);
  case 17: return dir > 0 ? kr_find_21((const uint16_t *)h, n, (const uint8_t *)p, m) : kr_rfind_21((const uint16_t *)h, n, (const uint8_t *)p, m);
  case 18: return dir > 0 ? kr_find_22((const uint16_t *)h, n, (const uint16_t *)p, m) : kr_rfind_22((const uint16_t *)h, n, (const uint16_t *)p, m);
  case 33: return dir > 0 ? kr_find_41((const uint32_t *)h, n, (const uint8_t *)p, m) : kr_rfind_41((const uint32_t *)h, n, (const uint8_t *)p, m);
  case 34: return dir > 0 ? kr_find_42((const uint32_t *)h, n, (const uint16_t *)p, m) : kr_rfind_42((const uint32_t *)h, n, (const uint16_t *)p, m);
  default: return dir > 0 ? kr_find_44((const uint32_t *)h, n, (const uint32_t *)p, m) : kr_rfind_44((const uint32_t *)h, n, (const uint32_t *)p, m);
  }
}
/* The first (dir > 0) or last (dir < 0) index of needle[0:m] (kind nk) in hay[0:n] (kind hk), or -1. A needle of a
 * wider kind than the haystack holds a code point the haystack cannot: not found. m >= 1. Never fails.
 * Out of line: the twelve searches it reaches were inlined into every find, index, count, split, replace and `in` of
 * a unit, a copy each (0.1-0.3 s of -O2 per unit that searches), for one call saved per search. */
static KR_NOINLINE int64_t kr_units_find(int hk, const void *h, int64_t n, int nk, const void *p, int64_t m, int dir) {
  if (nk > hk) return -1;
  if (hk == 1 && m == 1 && dir > 0) {
    const void *r = memchr(h, *(const uint8_t *)p, (size_t)n);
    return r ? (const uint8_t *)r - (const uint8_t *)h : -1;
  }
  int64_t r = kr_units_find_fast(hk, h, n, nk, p, m, dir);
  if (KILN_UNLIKELY(r == -2)) {
    r = kr_find_kmp(hk, h, n, nk, p, m, dir);
    for (int64_t i = 0; r == -2 && i + m <= n; i++) { /* no memory for KMP's table: the plain search */
      int64_t at = dir > 0 ? i : n - m - i, j = 0;
      while (j < m && kr_units_read(hk, h, at + j) == kr_units_read(nk, p, j)) j++;
      if (j == m) r = at;
    }
    if (r == -2) r = -1;
  }
  return r;
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
static KR_NOINLINE kr_str *kr_str_case(kr_str *s, int op) {
  if (s->length == 0) return kr_str_empty;
  if (s->ascii && op <= KR_CASE_SWAPCASE) {
    kr_str *r = kr_str_alloc(1, s->length);
    if (!r) return NULL;
    const uint8_t *p = KR_STR_U1(s);
    uint8_t *o = KR_STR_U1(r);
    /* ASCII letters differ from their other case by 32 (one bit): one loop per direction, without branches, so
     * the C compiler vectorises it */
    int64_t n = s->length;
    if (op == KR_CASE_LOWER || op == KR_CASE_CASEFOLD) {
      for (int64_t i = 0; i < n; i++) { uint8_t c = p[i]; o[i] = (uint8_t)(c | ((uint8_t)((uint8_t)(c - 'A') < 26) << 5)); }
    } else if (op == KR_CASE_UPPER) {
      for (int64_t i = 0; i < n; i++) { uint8_t c = p[i]; o[i] = (uint8_t)(c & ~((uint8_t)((uint8_t)(c - 'a') < 26) << 5)); }
    } else {
      for (int64_t i = 0; i < n; i++) { uint8_t c = p[i]; o[i] = (uint8_t)(c ^ ((uint8_t)((uint8_t)((c | 32) - 'a') < 26) << 5)); }
    }
    return kr_str_seal(r, s->length, 1);
  }
  if (s->kind == 1 && op == KR_CASE_LOWER) { /* Latin-1 lowers within Latin-1, one for one */
    kr_str *r = kr_str_alloc(1, s->length);
    if (!r) return NULL;
    const uint8_t *p = KR_STR_U1(s);
    uint8_t *o = KR_STR_U1(r);
    for (int64_t i = 0; i < s->length; i++) o[i] = kr_ucd_latin1_lower[p[i]];
    return kr_str_seal(r, s->length, s->ascii);
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
  if (kind == 1 && maxsplit == INT64_MAX) { /* the common case, on bytes */
    const uint8_t *p = (const uint8_t *)d;
    for (;;) {
      while (i < len && (kr_ucd_latin1_flags[p[i]] & KR_UCD_SPACE)) i++;
      if (i == len) return 0;
      j = i++;
      while (i < len && !(kr_ucd_latin1_flags[p[i]] & KR_UCD_SPACE)) i++;
      if (kr_strvec_push(out, kr_str_substr(s, j, i))) return -1;
    }
  }
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
/* s[start:end] for a split iterator, written into `reuse` when that is a string only the caller holds (count 1: the
 * loop variable's previous piece, which the caller drops as it stores the result), one byte per character, with
 * room and no cached UTF-8: the piece is then a new reference to `reuse`. CPython's zip and enumerate reuse their
 * result tuple the same way: a loop over the words of a text then allocates and frees nothing per word. */
static kr_str *kr_str_piece(kr_str *s, int64_t start, int64_t end, kr_str *reuse) {
  int64_t n = end - start;
  if (reuse && reuse != s && reuse->ob.rc == 1 && reuse->kind == 1 && s->kind == 1 && n > 1 && !reuse->utf8_owned
      && n < reuse->alloc_size - (int64_t)sizeof(kr_str)) {
    const uint8_t *p = KR_STR_U1(s) + start;
    memcpy(KR_STR_U1(reuse), p, (size_t)n);
    reuse->hash = -1;
    kr_str_seal(reuse, n, s->ascii || kr_units_max(1, p, n) < 128);
    reuse->ob.rc++;
    return reuse;
  }
  return kr_str_substr(s, start, end);
}
/* for w in s.split(): without the list. *pos starts at 0; each call gives the next word (a new reference) in
 * *out and returns 1, or returns 0 at the end (-1 with MemoryError). The same words as kr_str_split_ws. `reuse`:
 * NULL, or the string the caller drops when it stores the word (kr_str_piece). */
static int kr_str_split_ws_next(kr_str *s, int64_t *pos, kr_str **out, kr_str *reuse) {
  int64_t len = s->length, i = *pos;
  int kind = s->kind;
  const void *d = KR_STR_DATA(s);
  if (kind == 1) { /* one byte per character: the Latin-1 flag table alone */
    const uint8_t *p = (const uint8_t *)d;
    while (i < len && (kr_ucd_latin1_flags[p[i]] & KR_UCD_SPACE)) i++;
    if (i >= len) { *pos = len; return 0; }
    int64_t j = i++;
    while (i < len && !(kr_ucd_latin1_flags[p[i]] & KR_UCD_SPACE)) i++;
    *pos = i;
    *out = kr_str_piece(s, j, i, reuse);
    return *out ? 1 : -1;
  }
  while (i < len && kr_space_at(kind, d, i)) i++;
  if (i >= len) { *pos = len; return 0; }
  int64_t j = i++;
  while (i < len && !kr_space_at(kind, d, i)) i++;
  *pos = i;
  *out = kr_str_substr(s, j, i);
  return *out ? 1 : -1;
}
/* for w in s.split(sep): without the list. *pos starts at 0 and ends at -1; 1 and the next piece in *out, 0 at the
 * end, -1 with the error (ValueError "empty separator", MemoryError). `reuse` as for kr_str_split_ws_next. */
static int kr_str_split_next(kr_str *s, kr_str *sep, int64_t *pos, kr_str **out, kr_str *reuse) {
  if (sep->length == 0) return kr_raise(KILN_ValueError, "empty separator");
  if (*pos < 0) return 0;
  int64_t j = kr_str_find_in(s, sep, *pos, s->length, 1);
  int64_t end = j < 0 ? s->length : j;
  *out = kr_str_piece(s, *pos, end, reuse);
  *pos = j < 0 ? -1 : j + sep->length;
  return *out ? 1 : -1;
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
/* s.replace(old, new, count): count < 0 means all; OverflowError "replace string is too long". */
static kr_str *kr_str_replace(kr_str *s, kr_str *old, kr_str *new_, int64_t count) {
  if (count < 0) count = INT64_MAX;
  else if (count == 0 || s->length == 0) { if (!(s->length == 0 && old->length == 0 && count != 0)) return kr_str_newref(s); }
  if (old->length > s->length) return kr_str_newref(s);
  int64_t n = kr_str_count_in(s, old, 0, s->length, count);
  if (n == 0) return kr_str_newref(s);
  if (new_->length > old->length && new_->length - old->length > (INT64_MAX - s->length) / n) {
    kr_raise(KILN_OverflowError, "replace string is too long");
    return NULL;
  }
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
  int64_t start = 0, step = 1, n = 0;
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

/* ==== numbers and text ====
 * Exact decimal <-> binary conversion on small big integers (kr_bn): the shortest repr of a float that reads back
 * to it (Steele & White / Burger & Dybvig digit generation with David Gay's rules for the last digit, so the
 * digits are CPython's _Py_dg_dtoa mode 0), correctly rounded fixed-precision digits (modes 2 and 3), and
 * correctly rounded parsing (an estimate in double arithmetic, then corrected by exact comparison with the halfway
 * points). The C library's printf/strtod are not used: their results depend on the C library and the locale. */

/* ---- kr_bn: an unsigned integer of up to KR_BN_LIMBS 32-bit limbs, least significant first ---- */
#define KR_BN_LIMBS 132
typedef struct { int n; uint32_t d[KR_BN_LIMBS]; } kr_bn;

static inline void kr_bn_set(kr_bn *a, uint64_t v) {
  a->n = 0;
  while (v) { a->d[a->n++] = (uint32_t)v; v >>= 32; }
}
static inline void kr_bn_copy(kr_bn *a, const kr_bn *b) { a->n = b->n; memcpy(a->d, b->d, (size_t)b->n * 4); }
static KR_NOINLINE void kr_bn_mul_small(kr_bn *a, uint32_t m) {
  uint64_t carry = 0;
  for (int i = 0; i < a->n; i++) {
    uint64_t t = (uint64_t)a->d[i] * m + carry;
    a->d[i] = (uint32_t)t;
    carry = t >> 32;
  }
  if (carry && a->n < KR_BN_LIMBS) a->d[a->n++] = (uint32_t)carry;
}
static KR_NOINLINE void kr_bn_add_small(kr_bn *a, uint32_t v) {
  uint64_t carry = v;
  for (int i = 0; i < a->n && carry; i++) {
    uint64_t t = (uint64_t)a->d[i] + carry;
    a->d[i] = (uint32_t)t;
    carry = t >> 32;
  }
  if (carry && a->n < KR_BN_LIMBS) a->d[a->n++] = (uint32_t)carry;
}
static KR_NOINLINE void kr_bn_shl(kr_bn *a, int bits) {
  if (a->n == 0 || bits == 0) return;
  int words = bits >> 5, b = bits & 31;
  int n = a->n + words + 1;
  if (n > KR_BN_LIMBS) n = KR_BN_LIMBS;
  for (int i = n - 1; i >= 0; i--) {
    int src = i - words;
    uint32_t hi = src >= 0 && src < a->n ? a->d[src] : 0;
    uint32_t lo = src - 1 >= 0 && src - 1 < a->n ? a->d[src - 1] : 0;
    a->d[i] = b ? (hi << b) | (lo >> (32 - b)) : hi;
  }
  a->n = n;
  while (a->n && !a->d[a->n - 1]) a->n--;
}
static KR_NOINLINE void kr_bn_mul_pow5(kr_bn *a, int k) {
  while (k >= 13) { kr_bn_mul_small(a, 1220703125u); k -= 13; }
  static const uint32_t p5[13] = { 1, 5, 25, 125, 625, 3125, 15625, 78125, 390625, 1953125, 9765625, 48828125, 244140625 };
  if (k) kr_bn_mul_small(a, p5[k]);
}
static void kr_bn_mul_pow10(kr_bn *a, int k) { kr_bn_mul_pow5(a, k); kr_bn_shl(a, k); }
static KR_NOINLINE int kr_bn_cmp(const kr_bn *a, const kr_bn *b) {
  if (a->n != b->n) return a->n < b->n ? -1 : 1;
  for (int i = a->n - 1; i >= 0; i--) if (a->d[i] != b->d[i]) return a->d[i] < b->d[i] ? -1 : 1;
  return 0;
}
/* r = a + b (r may be a or b). */
static KR_NOINLINE void kr_bn_add(kr_bn *r, const kr_bn *a, const kr_bn *b) {
  int n = a->n > b->n ? a->n : b->n;
  uint64_t carry = 0;
  for (int i = 0; i < n; i++) {
    uint64_t t = carry + (i < a->n ? a->d[i] : 0) + (i < b->n ? b->d[i] : 0);
    r->d[i] = (uint32_t)t;
    carry = t >> 32;
  }
  r->n = n;
  if (carry && n < KR_BN_LIMBS) r->d[r->n++] = (uint32_t)carry;
}
/* a -= b, a >= b. */
static KR_NOINLINE void kr_bn_sub(kr_bn *a, const kr_bn *b) {
  int64_t borrow = 0;
  for (int i = 0; i < a->n; i++) {
    int64_t t = (int64_t)a->d[i] - (i < b->n ? b->d[i] : 0) - borrow;
    borrow = t < 0;
    a->d[i] = (uint32_t)(t + (borrow << 32));
  }
  while (a->n && !a->d[a->n - 1]) a->n--;
}
/* cmp(a + b, c). */
static KR_NOINLINE int kr_bn_cmp_sum(const kr_bn *a, const kr_bn *b, const kr_bn *c) {
  kr_bn t;
  kr_bn_add(&t, a, b);
  return kr_bn_cmp(&t, c);
}
static int kr_bn_bitlen(const kr_bn *a) {
  if (!a->n) return 0;
  uint32_t top = a->d[a->n - 1];
  int b = 0;
  while (top) { b++; top >>= 1; }
  return (a->n - 1) * 32 + b;
}
/* The 64 bits of a from bit `pos` up. */
static KR_NOINLINE uint64_t kr_bn_bits64(const kr_bn *a, int pos) {
  uint64_t v = 0;
  for (int k = 0; k < 3; k++) {
    int bit = pos + 32 * k - (pos & 31);
    int i = bit >> 5;
    uint64_t limb = i >= 0 && i < a->n ? a->d[i] : 0;
    int sh = 32 * k - (pos & 31);
    if (sh >= 0 && sh < 64) v |= limb << sh;
    else if (sh < 0) v |= limb >> -sh;
  }
  return v;
}
/* q = floor(r / s) for r < 2^32 * s; r becomes r mod s. */
static KR_NOINLINE uint32_t kr_bn_divmod(kr_bn *r, const kr_bn *s) {
  if (kr_bn_cmp(r, s) < 0) return 0;
  int bits = kr_bn_bitlen(s), pos = bits > 32 ? bits - 32 : 0;
  uint64_t rt = kr_bn_bits64(r, pos), st = kr_bn_bits64(s, pos) + 1;
  uint64_t q = rt / st; /* never more than the true quotient */
  if (q) {
    kr_bn t;
    kr_bn_copy(&t, s);
    kr_bn_mul_small(&t, (uint32_t)q);
    kr_bn_sub(r, &t);
  }
  while (kr_bn_cmp(r, s) >= 0) { kr_bn_sub(r, s); q++; }
  return (uint32_t)q;
}

/* ---- float -> digits (CPython's _Py_dg_dtoa) ----
 * For finite x > 0: mode 0, the shortest digits that read back to x (the nearest such when several, the even digit
 * on a tie); mode 2, `ndigits` significant digits; mode 3, digits up to 10**-ndigits; modes 2 and 3 correctly
 * rounded (half to even on exact ties). Digits without trailing zeros into buf (at least KR_DTOA_BUF chars, not
 * NUL-terminated); returns their count and sets *decpt (the value is 0.DIGITS * 10**decpt). For mode 3, no digits
 * with *decpt = -ndigits when x rounds to 0. */
#define KR_DTOA_BUF 800
static KR_NOINLINE int kr_dtoa(double x, int mode, int ndigits, char *buf, int *decpt) {
  uint64_t bits;
  memcpy(&bits, &x, 8);
  int be = (int)((bits >> 52) & 0x7FF);
  uint64_t frac = bits & (((uint64_t)1 << 52) - 1);
  uint64_t f = be ? frac | ((uint64_t)1 << 52) : frac;
  int e = be ? be - 1075 : -1074;
  int even = !(f & 1);
  int boundary = mode == 0 && frac == 0 && be > 1; /* the gap below x is half the gap above */
  kr_bn r, s, mp, mm;
  /* x = r / s; the rounding interval of x is (x - mm/s, x + mp/s), halves of the gaps to its neighbours */
  kr_bn_set(&r, f);
  kr_bn_set(&s, 1);
  kr_bn_set(&mm, 1);
  if (e >= 0) { kr_bn_shl(&r, e); kr_bn_shl(&mm, e); }
  else kr_bn_shl(&s, -e);
  kr_bn_shl(&r, boundary ? 2 : 1);
  kr_bn_shl(&s, boundary ? 2 : 1);
  kr_bn_copy(&mp, &mm);
  if (boundary) kr_bn_shl(&mp, 1);
  /* decpt k: 10**(k-1) <= x < 10**k. An estimate from the binary exponent (floor(log10 2 * e2), at most one short),
     then fixed by comparison. */
  int e2 = e + 63 - __builtin_clzll(f);
  int k = (int)(((int64_t)e2 * 78913) >> 18) + 1;
  if (k >= 0) kr_bn_mul_pow10(&s, k);
  else { kr_bn_mul_pow10(&r, -k); kr_bn_mul_pow10(&mm, -k); kr_bn_mul_pow10(&mp, -k); }
  while (kr_bn_cmp(&r, &s) >= 0) { kr_bn_mul_small(&s, 10); k++; }
  for (;;) { /* r * 10 < s: k too large */
    kr_bn t;
    kr_bn_copy(&t, &r);
    kr_bn_mul_small(&t, 10);
    if (kr_bn_cmp(&t, &s) >= 0) break;
    kr_bn_copy(&r, &t);
    kr_bn_mul_small(&mm, 10);
    kr_bn_mul_small(&mp, 10);
    k--;
  }
  int n = 0;
  if (mode == 0) {
    for (;;) {
      kr_bn_mul_small(&r, 10);
      kr_bn_mul_small(&mm, 10);
      kr_bn_mul_small(&mp, 10);
      int dig = (int)kr_bn_divmod(&r, &s);
      int j = kr_bn_cmp(&r, &mm);         /* can round down: r < mm (or == on an even mantissa) */
      int j1 = kr_bn_cmp_sum(&r, &mp, &s); /* can round up: r + mp > s (or == on an even mantissa) */
      if (j1 == 0 && even) {
        if (dig == 9) { buf[n++] = '9'; goto round_up; }
        if (j > 0) dig++;
        buf[n++] = (char)('0' + dig);
        break;
      }
      if (j < 0 || (j == 0 && even)) {
        if (r.n != 0 && j1 > 0) {
          kr_bn t;
          kr_bn_copy(&t, &r);
          kr_bn_shl(&t, 1);
          int c = kr_bn_cmp(&t, &s);
          if (c > 0 || (c == 0 && (dig & 1))) {
            if (dig == 9) { buf[n++] = '9'; goto round_up; }
            dig++;
          }
        }
        buf[n++] = (char)('0' + dig);
        break;
      }
      if (j1 > 0) {
        if (dig == 9) { buf[n++] = '9'; goto round_up; }
        buf[n++] = (char)('0' + dig + 1);
        break;
      }
      buf[n++] = (char)('0' + dig);
      if (n >= KR_DTOA_BUF - 1) break; /* cannot happen: 17 digits always suffice */
    }
    *decpt = k;
    return n;
  }
  int ilim = mode == 2 ? (ndigits < 1 ? 1 : ndigits) : ndigits + k;
  if (ilim <= 0) {
    kr_bn t;
    kr_bn_copy(&t, &r);
    kr_bn_shl(&t, 1);
    if (ilim < 0 || kr_bn_cmp(&t, &s) <= 0) { *decpt = -ndigits; return 0; }
    buf[0] = '1';
    *decpt = k + 1;
    return 1;
  }
  int last = 0;
  for (;;) {
    kr_bn_mul_small(&r, 10);
    last = (int)kr_bn_divmod(&r, &s);
    buf[n++] = (char)('0' + last);
    if (r.n == 0) goto strip;              /* exact: nothing to round */
    if (n == ilim || n >= KR_DTOA_BUF - 1) break;
  }
  {
    kr_bn t;
    kr_bn_copy(&t, &r);
    kr_bn_shl(&t, 1);
    int c = kr_bn_cmp(&t, &s);
    if (c > 0 || (c == 0 && (last & 1))) goto round_up;
  }
strip:
  while (n > 1 && buf[n - 1] == '0') n--;
  *decpt = k;
  return n;
round_up:
  while (n > 0 && buf[n - 1] == '9') n--;
  if (n == 0) { buf[0] = '1'; n = 1; k++; }
  else buf[n - 1]++;
  *decpt = k;
  return n;
}

/* ---- a small byte buffer for building ASCII text (numbers), on the stack until it grows ---- */
typedef struct { char *p; size_t n, cap; char local[96]; int oom; } kr_cb;
static inline void kr_cb_init(kr_cb *b) { b->p = b->local; b->n = 0; b->cap = sizeof b->local; b->oom = 0; }
static inline void kr_cb_free(kr_cb *b) { if (b->p != b->local) free(b->p); kr_cb_init(b); }
static KR_NOINLINE int kr_cb_grow(kr_cb *b, size_t extra) {
  if (b->oom) return -1;
  if (b->n + extra <= b->cap) return 0;
  if (extra > (SIZE_MAX >> 2) - b->n) { b->oom = 1; return -1; }
  size_t cap = b->cap * 2;
  while (cap < b->n + extra) cap *= 2;
  char *p = (char *)malloc(cap);
  if (!p) { b->oom = 1; return -1; }
  memcpy(p, b->p, b->n);
  if (b->p != b->local) free(b->p);
  b->p = p;
  b->cap = cap;
  return 0;
}
static inline void kr_cb_put(kr_cb *b, const char *s, size_t n) { if (!kr_cb_grow(b, n)) { memcpy(b->p + b->n, s, n); b->n += n; } }
static inline void kr_cb_putc(kr_cb *b, char c) { if (!kr_cb_grow(b, 1)) b->p[b->n++] = c; }
static inline void kr_cb_fill(kr_cb *b, char c, int64_t n) { if (n > 0 && !kr_cb_grow(b, (size_t)n)) { memset(b->p + b->n, c, (size_t)n); b->n += (size_t)n; } }
static kr_str *kr_cb_to_str(kr_cb *b) {
  kr_str *s = b->oom ? (kr_raise_memory_str(), (kr_str *)NULL) : kr_str_from_units(1, b->p, (int64_t)b->n, 127);
  kr_cb_free(b);
  return s;
}

/* repr(b) and str(b): b'...' with CPython's quoting and escapes (\t \n \r \\, \xhh outside printable ASCII). */
static kr_str *kr_bytes_repr(const kr_bytes *b) {
  const uint8_t *p = KR_BYTES_DATA(b);
  int has_single = memchr(p, '\'', (size_t)b->length) != NULL, has_double = memchr(p, '"', (size_t)b->length) != NULL;
  char quote = has_single && !has_double ? '"' : '\'';
  kr_cb o;
  kr_cb_init(&o);
  kr_cb_putc(&o, 'b');
  kr_cb_putc(&o, quote);
  for (int64_t i = 0; i < b->length; i++) {
    uint8_t c = p[i];
    if (c == (uint8_t)quote || c == '\\') { kr_cb_putc(&o, '\\'); kr_cb_putc(&o, (char)c); }
    else if (c == '\t') kr_cb_put(&o, "\\t", 2);
    else if (c == '\n') kr_cb_put(&o, "\\n", 2);
    else if (c == '\r') kr_cb_put(&o, "\\r", 2);
    else if (c < ' ' || c >= 0x7F) { char e[4] = { '\\', 'x', "0123456789abcdef"[c >> 4], "0123456789abcdef"[c & 15] }; kr_cb_put(&o, e, 4); }
    else kr_cb_putc(&o, (char)c);
  }
  kr_cb_putc(&o, quote);
  return kr_cb_to_str(&o);
}
/* ---- float -> text: CPython's PyOS_double_to_string and format_float_short ---- */
enum { KR_DTS_SIGN = 1, KR_DTS_ADD_DOT_0 = 2, KR_DTS_ALT = 4, KR_DTS_NO_NEG_0 = 8 };
/* Appends x formatted as CPython's PyOS_double_to_string(x, code, precision, flags): code 'r' (repr: shortest,
 * precision unused), 'e', 'f', 'g' (lower case), or 'E', 'F', 'G'. */
static KR_NOINLINE void kr_double_to_cb(kr_cb *out, double x, char code, int64_t precision, int flags) {
  int upper = code == 'E' || code == 'F' || code == 'G';
  if (upper) code = (char)(code + 32);
  int mode = 0;
  if (code == 'e') { mode = 2; precision++; }
  else if (code == 'f') mode = 3;
  else if (code == 'g') { mode = 2; if (precision == 0) precision = 1; }
  else precision = 0;
  uint64_t bits;
  memcpy(&bits, &x, 8);
  int sign = (int)(bits >> 63);
  if (isnan(x) || isinf(x)) {
    if (isnan(x)) sign = 0;
    if (sign) kr_cb_putc(out, '-');
    else if (flags & KR_DTS_SIGN) kr_cb_putc(out, '+');
    kr_cb_put(out, isnan(x) ? (upper ? "NAN" : "nan") : (upper ? "INF" : "inf"), 3);
    return;
  }
  char digits[KR_DTOA_BUF];
  int nd, decpt;
  if (x == 0) { digits[0] = '0'; nd = 1; decpt = 1; }
  else {
    int prec = precision > 1100 + (mode == 3 ? 400 : 0) ? 1100 + (mode == 3 ? 400 : 0) : (int)precision; /* beyond: exact anyway */
    nd = kr_dtoa(fabs(x), mode, prec, digits, &decpt);
  }
  if ((flags & KR_DTS_NO_NEG_0) && sign && (nd == 0 || (nd == 1 && digits[0] == '0'))) sign = 0;
  int add_dot_0 = (flags & KR_DTS_ADD_DOT_0) != 0, alt = (flags & KR_DTS_ALT) != 0;
  int64_t vend = nd, vstart, dp = decpt;
  int use_exp = 0;
  int64_t exp10 = 0;
  if (code == 'e') { use_exp = 1; vend = precision; }
  else if (code == 'f') vend = dp + precision;
  else if (code == 'g') {
    if (dp <= -4 || dp > (add_dot_0 ? precision - 1 : precision)) use_exp = 1;
    if (alt) vend = precision;
  } else if (dp <= -4 || dp > 16) use_exp = 1; /* repr */
  if (use_exp) { exp10 = dp - 1; dp = 1; }
  vstart = dp <= 0 ? dp - 1 : 0;
  if (!use_exp && add_dot_0) vend = vend > dp ? vend : dp + 1;
  else vend = vend > dp ? vend : dp;
  if (sign) kr_cb_putc(out, '-');
  else if (flags & KR_DTS_SIGN) kr_cb_putc(out, '+');
  size_t start = out->n;
  if (dp <= 0) {
    kr_cb_fill(out, '0', dp - vstart);
    kr_cb_putc(out, '.');
    kr_cb_fill(out, '0', -dp);
  } else kr_cb_fill(out, '0', -vstart);
  if (0 < dp && dp <= nd) {
    kr_cb_put(out, digits, (size_t)dp);
    kr_cb_putc(out, '.');
    kr_cb_put(out, digits + dp, (size_t)(nd - dp));
  } else kr_cb_put(out, digits, (size_t)nd);
  if (nd < dp) {
    kr_cb_fill(out, '0', dp - nd);
    kr_cb_putc(out, '.');
    kr_cb_fill(out, '0', vend - dp);
  } else kr_cb_fill(out, '0', vend - nd);
  if (!out->oom && out->n > start && out->p[out->n - 1] == '.' && !alt) out->n--;
  if (use_exp) {
    char eb[8];
    int64_t ae = exp10 < 0 ? -exp10 : exp10;
    int m = 0;
    eb[m++] = upper ? 'E' : 'e';
    eb[m++] = exp10 < 0 ? '-' : '+';
    if (ae >= 100) eb[m++] = (char)('0' + ae / 100);
    eb[m++] = (char)('0' + ae / 10 % 10);
    eb[m++] = (char)('0' + ae % 10);
    kr_cb_put(out, eb, (size_t)m);
  }
}
/* repr(x) and str(x) of a float: the shortest string that reads back to x ('1e+16', '1e-05', '0.0001', '-0.0',
 * 'inf', 'nan', '1.0'). */
static kr_str *kr_str_from_f64(double x) {
  kr_cb b;
  kr_cb_init(&b);
  kr_double_to_cb(&b, x, 'r', 0, KR_DTS_ADD_DOT_0);
  return kr_cb_to_str(&b);
}
#define kr_repr_f64 kr_str_from_f64

/* ---- int -> text ---- */
/* The digits of |v| in `base` (2..36, lower case) at the end of buf[0:70]; returns where they start. */
static char *kr_u64_text(uint64_t u, int base, char *end) {
  char *p = end;
  do { *--p = "0123456789abcdefghijklmnopqrstuvwxyz"[u % (unsigned)base]; u /= (unsigned)base; } while (u);
  return p;
}
/* str(v) and repr(v) of an int. */
static kr_str *kr_str_from_i64(int64_t v) {
  char buf[24], *end = buf + sizeof buf;
  char *p = kr_u64_text(v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v, 10, end);
  if (v < 0) *--p = '-';
  if (end - p == 1) return kr_str_latin1_char((uint8_t)*p);
  return kr_str_from_units(1, p, end - p, 127);
}
#define kr_repr_i64 kr_str_from_i64
/* repr() of a NumPy scalar as NumPy 2 prints it, around the number's own text: np.float64(9.0), np.int64(3). It takes
 * `text` (NULL gives NULL, the error set). */
static kr_str *kr_np_scalar_repr(const char *type, kr_str *text) {
  if (!text) return NULL;
  char head[24];
  int n = snprintf(head, sizeof head, "np.%s(", type);
  kr_str *h = kr_str_from_latin1(head, n), *c = h ? kr_str_from_latin1(")", 1) : NULL;
  kr_str *l = c ? kr_str_concat(h, text) : NULL, *r = l ? kr_str_concat(l, c) : NULL;
  kr_decref(h); kr_decref(c); kr_decref(l); kr_decref(text);
  return r;
}
/* str(b) / repr(b) of a bool, str(None): shared literals. Never fail. */
static inline kr_str *kr_str_from_bool(int b) { return b ? KR_STR(kr_str_true_lit) : KR_STR(kr_str_false_lit); }
static inline kr_str *kr_str_none(void) { return KR_STR(kr_str_none_lit); }

/* ---- repr(str), ascii(str) ---- */
/* Appends repr(s) (ascii_only: ascii(s)) to w: CPython's quoting (' unless the text has ' and no ") and escapes
 * (\\ \' \t \n \r, \xhh below 0x20 and for 0x7f, non-printable code points as \xhh, \uhhhh or \Uhhhhhhhh). */
static KR_NOINLINE int kr_repr_into(kr_sw *w, const kr_str *s, int ascii_only) {
  int has_single = 0, has_double = 0;
  KR_STR_LOOP(s, i, c, { if (c == '\'') has_single = 1; else if (c == '"') has_double = 1; });
  uint32_t quote = has_single && !has_double ? '"' : '\'';
  if (kr_sw_putc(w, quote)) return -1;
  char esc[12];
  for (int64_t i = 0; i < s->length; i++) {
    uint32_t c = kr_str_at(s, i);
    int n = 0;
    if (c == quote || c == '\\') { esc[n++] = '\\'; esc[n++] = (char)c; }
    else if (c == '\t') { esc[n++] = '\\'; esc[n++] = 't'; }
    else if (c == '\n') { esc[n++] = '\\'; esc[n++] = 'n'; }
    else if (c == '\r') { esc[n++] = '\\'; esc[n++] = 'r'; }
    else if (c < ' ' || c == 0x7F) { esc[n++] = '\\'; esc[n++] = 'x'; esc[n++] = "0123456789abcdef"[c >> 4]; esc[n++] = "0123456789abcdef"[c & 15]; }
    else if (c < 0x7F) { if (kr_sw_putc(w, c)) return -1; continue; }
    else if (!ascii_only && (kr_uflags(c) & KR_UCD_PRINTABLE)) { if (kr_sw_putc(w, c)) return -1; continue; }
    else {
      int digits = c <= 0xFF ? 2 : c <= 0xFFFF ? 4 : 8;
      esc[n++] = '\\';
      esc[n++] = c <= 0xFF ? 'x' : c <= 0xFFFF ? 'u' : 'U';
      for (int k = digits - 1; k >= 0; k--) esc[n++] = "0123456789abcdef"[(c >> (4 * k)) & 15];
    }
    if (kr_sw_put_ascii(w, esc, n)) return -1;
  }
  return kr_sw_putc(w, quote);
}
static kr_str *kr_repr_or_ascii(const kr_str *s, int ascii_only) {
  kr_sw w;
  if (kr_sw_init(&w, s->length + 2, s->ascii || ascii_only ? 127 : kr_kind_max(s->kind))) return NULL;
  if (kr_repr_into(&w, s, ascii_only)) { kr_sw_discard(&w); return NULL; }
  return kr_sw_finish(&w);
}
/* repr(s) and ascii(s). */
static kr_str *kr_str_repr(const kr_str *s) { return kr_repr_or_ascii(s, 0); }
static kr_str *kr_str_ascii(const kr_str *s) { return kr_repr_or_ascii(s, 1); }
/* Appends the UTF-8 of one code point to the message being built. */
static void kr_msg_code_point(uint32_t c) {
  char b[4];
  int k = 0;
  if (c < 0x80) b[k++] = (char)c;
  else if (c < 0x800) { b[k++] = (char)(0xC0 | (c >> 6)); b[k++] = (char)(0x80 | (c & 63)); }
  else if (c < 0x10000) { b[k++] = (char)(0xE0 | (c >> 12)); b[k++] = (char)(0x80 | ((c >> 6) & 63)); b[k++] = (char)(0x80 | (c & 63)); }
  else { b[k++] = (char)(0xF0 | (c >> 18)); b[k++] = (char)(0x80 | ((c >> 12) & 63)); b[k++] = (char)(0x80 | ((c >> 6) & 63)); b[k++] = (char)(0x80 | (c & 63)); }
  kr_msg_bytes(b, (size_t)k);
}
/* Appends the UTF-8 of s[0:max] to the message being built (text from repr is never a lone surrogate). */
static void kr_msg_str(const kr_str *s, int64_t max) {
  int64_t n = s->length < max ? s->length : max;
  for (int64_t i = 0; i < n; i++) kr_msg_code_point(kr_str_at(s, i));
}
/* Appends repr(s), cut at `max` code points (CPython's %.200R) to the message being built. */
static void kr_msg_repr(const kr_str *s, int64_t max) {
  kr_str *r = kr_str_repr(s);
  if (!r) { kr_msg_oom = 1; return; }
  kr_msg_str(r, max);
  kr_decref(r);
}
static KILN_COLD int kr_raise_int_literal(const kr_str *s, int64_t base) {
  kr_msg_begin();
  kr_msg_cstr("invalid literal for int() with base ");
  kr_msg_i64(base);
  kr_msg_cstr(": ");
  kr_msg_repr(s, 200);
  return kr_msg_raise(KILN_ValueError);
}
static KILN_COLD int kr_raise_float_literal(const kr_str *s) {
  kr_msg_begin();
  kr_msg_cstr("could not convert string to float: ");
  kr_msg_repr(s, INT64_MAX);
  return kr_msg_raise(KILN_ValueError);
}



/* ---- text -> numbers ---- */
/* CPython's _PyUnicode_TransformDecimalAndSpaceToASCII: code points below 127 are kept, other whitespace becomes ' ',
 * other decimal digits their ASCII digit; anything else becomes '?' and ends the text. Into a kr_cb. */
static KR_NOINLINE void kr_transform_ascii(const kr_str *s, kr_cb *out) {
  if (s->ascii) { kr_cb_put(out, (const char *)KR_STR_DATA(s), (size_t)s->length); return; }
  for (int64_t i = 0; i < s->length; i++) {
    uint32_t c = kr_str_at(s, i);
    if (c < 127) kr_cb_putc(out, (char)c);
    else if (kr_uspace(c)) kr_cb_putc(out, ' ');
    else {
      int d = kr_udecimal(c);
      if (d < 0) { kr_cb_putc(out, '?'); break; }
      kr_cb_putc(out, (char)('0' + d));
    }
  }
}
static inline int kr_isspace_ascii(char c) { return c == ' ' || (c >= 9 && c <= 13); }
static inline int kr_str_digit_value(char c) {
  return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'z' ? c - 'a' + 10 : c >= 'A' && c <= 'Z' ? c - 'A' + 10 : 99;
}
static KILN_COLD int kr_raise_int_literal(const kr_str *s, int64_t base);
/* int(s) and int(s, base) (base 0 or 2..36), exactly CPython's syntax: whitespace (Unicode whitespace too) around,
 * a sign, 0x/0o/0b prefixes (base 0, or the matching base), single underscores between digits (and after a
 * prefix), any Unicode decimal digits; ValueError "invalid literal for int() with base 10: 'abc'" (the repr cut at
 * 200 characters) and CPython's limit of 4300 digits for bases that are not powers of two. A value outside int64
 * raises OverflowError (Python would give a bigger int). */
static KR_NOINLINE int kr_str_to_int64(const kr_str *s, int64_t base, int64_t *out) {
  if ((base != 0 && base < 2) || base > 36) return kr_raise(KILN_ValueError, "int() base must be >= 2 and <= 36, or 0");
  kr_cb t;
  kr_cb_init(&t);
  kr_transform_ascii(s, &t);
  kr_cb_putc(&t, 0);
  if (t.oom) { kr_cb_free(&t); return kr_raise_memory_str(); }
  const char *p = t.p;
  int b = (int)base, negative = 0, zero_only = 0;
  while (*p && kr_isspace_ascii(*p)) p++;
  if (*p == '+') p++;
  else if (*p == '-') { p++; negative = 1; }
  if (b == 0) {
    if (p[0] != '0') b = 10;
    else if (p[1] == 'x' || p[1] == 'X') b = 16;
    else if (p[1] == 'o' || p[1] == 'O') b = 8;
    else if (p[1] == 'b' || p[1] == 'B') b = 2;
    else { zero_only = 1; b = 10; }
  }
  if (p[0] == '0' && ((b == 16 && (p[1] == 'x' || p[1] == 'X')) || (b == 8 && (p[1] == 'o' || p[1] == 'O')) || (b == 2 && (p[1] == 'b' || p[1] == 'B')))) {
    p += 2;
    if (*p == '_') p++;
  }
  int ok = *p != '_';
  const char *start = p;
  uint64_t mag = 0;
  int overflow = 0;
  int64_t ndigits = 0;
  char prev = 0;
  if (ok) {
    while (kr_str_digit_value(*p) < b || *p == '_') {
      if (*p == '_') { if (prev == '_') { ok = 0; break; } }
      else {
        uint64_t d = (uint64_t)kr_str_digit_value(*p);
        if (mag > (UINT64_MAX - d) / (uint64_t)b) overflow = 1;
        else mag = mag * (uint64_t)b + d;
        ndigits++;
      }
      prev = *p++;
    }
    if (prev == '_') ok = 0;
  }
  if (ok && (b & (b - 1)) != 0 && ndigits > 4300) {
    kr_cb_free(&t);
    kr_msg_begin();
    kr_msg_cstr("Exceeds the limit (4300 digits) for integer string conversion: value has ");
    kr_msg_i64(ndigits);
    kr_msg_cstr(" digits; use sys.set_int_max_str_digits() to increase the limit");
    return kr_msg_raise(KILN_ValueError);
  }
  if (ok && zero_only && (mag != 0 || overflow)) ok = 0;
  if (ok && p == start) ok = 0;
  if (ok) {
    while (*p && kr_isspace_ascii(*p)) p++;
    if (*p || (size_t)(p - t.p) != t.n - 1) ok = 0; /* a NUL inside the text ends it early: invalid */
  }
  kr_cb_free(&t);
  if (!ok) return kr_raise_int_literal(s, base);
  if (overflow || mag > (negative ? (uint64_t)1 << 63 : (uint64_t)INT64_MAX)) return kr_raise(KILN_OverflowError, kr_int_overflow_msg);
  *out = negative ? (int64_t)((uint64_t)0 - mag) : (int64_t)mag;
  return 0;
}

/* Exact powers of ten representable as doubles. */
static const double kr_pow10_exact[23] = {
  1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};
/* cmp(D * 10**E, M * 2**Q) where dpos = D * 10**max(E,0) and p10neg = 10**max(-E,0) are precomputed. */
static KR_NOINLINE int kr_cmp_dec_bin(const kr_bn *dpos, const kr_bn *p10neg, uint64_t m, int q) {
  kr_bn left, right;
  kr_bn_copy(&left, dpos);
  kr_bn_copy(&right, p10neg);
  kr_bn_mul_small(&right, (uint32_t)m);
  if (m >> 32) { /* right = p10neg * m for m up to 2^55: the high part separately */
    kr_bn hi;
    kr_bn_copy(&hi, p10neg);
    kr_bn_mul_small(&hi, (uint32_t)(m >> 32));
    kr_bn_shl(&hi, 32);
    kr_bn_add(&right, &right, &hi);
  }
  if (q >= 0) kr_bn_shl(&right, q); else kr_bn_shl(&left, -q);
  return kr_bn_cmp(&left, &right);
}
/* The double nearest to 0.DIGITS... : digits[0:nd] (no leading zeros) * 10**e10, correctly rounded (half to even),
 * with `sticky` standing for nonzero digits cut off beyond nd. */
static KR_NOINLINE double kr_decimal_to_double(const char *digits, int nd, int64_t e10, int sticky) {
  if (nd == 0) return 0.0;
  if (e10 + nd > 310) return HUGE_VAL;
  if (e10 + nd < -330) return 0.0;
  int e = (int)e10;
  /* exact fast path (Clinger): at most 15 digits and a power of ten that is exact */
  if (!sticky && nd <= 15) {
    uint64_t v = 0;
    for (int i = 0; i < nd; i++) v = v * 10 + (uint64_t)(digits[i] - '0');
    double dv = (double)v;
    if (e >= 0 && e <= 22) return dv * kr_pow10_exact[e];
    if (e < 0 && e >= -22) return dv / kr_pow10_exact[-e];
    if (e > 22 && e <= 22 + 15 - nd) return dv * kr_pow10_exact[e - 22] * 1e22;
  }
  /* an estimate within a few units in the last place */
  int use = nd < 19 ? nd : 19;
  uint64_t v = 0;
  for (int i = 0; i < use; i++) v = v * 10 + (uint64_t)(digits[i] - '0');
  int es = e + (nd - use);
  double est = (double)v;
  if (es > 0) {
    while (es > 22) { est *= 1e22; es -= 22; }
    est *= kr_pow10_exact[es];
  } else if (es < 0) {
    if (es < -300) { est /= 1e300; es += 300; } /* keeps the intermediate in the normal range */
    while (es < -22) { est /= 1e22; es += 22; }
    est /= kr_pow10_exact[-es];
  }
  /* the exact value, for comparisons: D * 10**e, with the cut-off digits as a trailing 1 */
  kr_bn dpos, p10neg;
  kr_bn_set(&dpos, 0);
  for (int i = 0; i < nd; i += 9) {
    int chunk = nd - i < 9 ? nd - i : 9;
    uint32_t part = 0, mul = 1;
    for (int k = 0; k < chunk; k++) { part = part * 10 + (uint32_t)(digits[i + k] - '0'); mul *= 10; }
    kr_bn_mul_small(&dpos, mul);
    kr_bn_add_small(&dpos, part);
  }
  if (sticky) { kr_bn_mul_small(&dpos, 10); kr_bn_add_small(&dpos, 1); e--; }
  kr_bn_set(&p10neg, 1);
  if (e >= 0) kr_bn_mul_pow10(&dpos, e); else kr_bn_mul_pow10(&p10neg, -e);
  /* the candidate as m * 2**q (m < 2**53, q >= -1074), then walk to the correctly rounded neighbour */
  uint64_t m;
  int q;
  if (!(est < HUGE_VAL)) est = DBL_MAX;
  if (est == 0) { m = 0; q = -1074; }
  else {
    uint64_t b;
    memcpy(&b, &est, 8);
    int be = (int)(b >> 52);
    m = b & (((uint64_t)1 << 52) - 1);
    if (be) { m |= (uint64_t)1 << 52; q = be - 1075; } else q = -1074;
  }
  for (int guard = 0; guard < 4000; guard++) {
    /* above the halfway point to the next double up? */
    int c = kr_cmp_dec_bin(&dpos, &p10neg, 2 * m + 1, q - 1);
    if (c > 0 || (c == 0 && (m & 1))) {
      m++;
      if (m == (uint64_t)1 << 53) { m >>= 1; q++; }
      else if (q == -1074 && m == (uint64_t)1 << 52) { /* from subnormal to normal: same spacing */ }
      if (q > 971) return HUGE_VAL;
      continue;
    }
    if (m == 0) break;
    /* below the halfway point to the next double down? (half as far below a power of two, except at the bottom) */
    int narrow = m == (uint64_t)1 << 52 && q > -1074;
    c = narrow ? kr_cmp_dec_bin(&dpos, &p10neg, 4 * m - 1, q - 2) : kr_cmp_dec_bin(&dpos, &p10neg, 2 * m - 1, q - 1);
    if (c < 0 || (c == 0 && (m & 1))) {
      if (narrow) { m = ((uint64_t)1 << 53) - 1; q--; }
      else m--;
      continue;
    }
    break;
  }
  return ldexp((double)m, q);
}
/* Parses the whole of p[0:n] as CPython's float syntax after its whitespace and underscore steps: a sign, digits
 * with an optional point (at least one digit), an optional exponent; or inf, infinity, nan in any case. 0 and
 * *out, or -1 when the text is not such a number. */
static KR_NOINLINE int kr_parse_float_ascii(const char *p, size_t n, double *out) {
  const char *end = p + n;
  int negative = 0;
  if (p < end && (*p == '+' || *p == '-')) { negative = *p == '-'; p++; }
  size_t rest = (size_t)(end - p);
  char low[9];
  if (rest == 3 || rest == 8) {
    for (size_t i = 0; i < rest; i++) low[i] = (char)(p[i] >= 'A' && p[i] <= 'Z' ? p[i] + 32 : p[i]);
    if ((rest == 3 && !memcmp(low, "inf", 3)) || (rest == 8 && !memcmp(low, "infinity", 8))) { *out = negative ? -HUGE_VAL : HUGE_VAL; return 0; }
    if (rest == 3 && !memcmp(low, "nan", 3)) { *out = negative ? -NAN : NAN; return 0; }
  }
  char digits[KR_DTOA_BUF + 2];
  int nd = 0, sticky = 0, any = 0;
  int64_t e10 = 0;
  int seen_point = 0;
  for (; p < end; p++) {
    if (*p >= '0' && *p <= '9') {
      any = 1;
      if (*p == '0' && nd == 0) { if (seen_point) e10--; continue; } /* leading zeros */
      if (nd < KR_DTOA_BUF) { digits[nd++] = *p; if (seen_point) e10--; }
      else { if (*p != '0') sticky = 1; if (!seen_point) e10++; }
    } else if (*p == '.' && !seen_point) seen_point = 1;
    else break;
  }
  if (!any) return -1;
  if (p < end && (*p == 'e' || *p == 'E')) {
    const char *q = p + 1;
    int eneg = 0;
    if (q < end && (*q == '+' || *q == '-')) { eneg = *q == '-'; q++; }
    if (q == end || !(*q >= '0' && *q <= '9')) return -1;
    int64_t ev = 0;
    for (; q < end && *q >= '0' && *q <= '9'; q++) if (ev < 100000000) ev = ev * 10 + (*q - '0');
    e10 += eneg ? -ev : ev;
    p = q;
  }
  if (p != end) return -1;
  if (!sticky) while (nd > 0 && digits[nd - 1] == '0') { nd--; e10++; } /* (with cut-off digits, the place of the last one matters) */
  double v = kr_decimal_to_double(digits, nd, e10, sticky);
  *out = negative ? -v : v;
  return 0;
}
static KILN_COLD int kr_raise_float_literal(const kr_str *s);
/* float(s): CPython's syntax (whitespace, Unicode whitespace and digits, underscores between digits, a sign, inf,
 * infinity, nan in any case), correctly rounded; ValueError "could not convert string to float: 'x'". */
static KR_NOINLINE int kr_float_from_str(const kr_str *s, double *out) {
  kr_cb t;
  kr_cb_init(&t);
  kr_transform_ascii(s, &t);
  if (t.oom) { kr_cb_free(&t); return kr_raise_memory_str(); }
  const char *p = t.p, *last = t.p + t.n;
  while (p < last && kr_isspace_ascii(*p)) p++;
  while (p < last - 1 && kr_isspace_ascii(last[-1])) last--;
  int ok = 1;
  /* underscores: only between two digits; removed before parsing */
  char *q = (char *)p, *w = (char *)p;
  char prev = 0;
  for (; q < last; q++) {
    if (*q == '_') { if (!(prev >= '0' && prev <= '9')) { ok = 0; break; } }
    else {
      if (prev == '_' && !(*q >= '0' && *q <= '9')) { ok = 0; break; }
      *w++ = *q;
    }
    prev = *q;
  }
  if (prev == '_') ok = 0;
  if (ok) ok = kr_parse_float_ascii(p, (size_t)(w - p), out) == 0;
  kr_cb_free(&t);
  return ok ? 0 : kr_raise_float_literal(s);
}

/* ==== the format-spec mini-language (CPython's Python/formatter_unicode.c) ==== */
typedef struct kr_fmtspec {
  uint32_t fill;
  char align;        /* '<' '>' '^' '=' */
  char sign;         /* 0, '+', '-', ' ' */
  char no_neg_0;     /* 'z' */
  char alternate;    /* '#' */
  char thousands;    /* 0, ',', '_', or 4 ('_' every four digits: b o x X) */
  int64_t width;     /* -1: none */
  int64_t precision; /* -1: none */
  uint32_t type;     /* 0: none */
} kr_fmtspec;

static int kr_is_align(uint32_t c) { return c == '<' || c == '>' || c == '=' || c == '^'; }
/* Digits (any Unicode decimal) at spec[*pos:]: their count, or -1 with "Too many decimal digits in format string". */
static int64_t kr_spec_integer(const kr_str *spec, int64_t *pos, int64_t *result) {
  int64_t acc = 0, n = 0;
  for (; *pos < spec->length; (*pos)++, n++) {
    int d = kr_udecimal(kr_str_at(spec, *pos));
    if (d < 0) break;
    if (acc > (INT64_MAX - d) / 10) { kr_raise(KILN_ValueError, "Too many decimal digits in format string"); return -1; }
    acc = acc * 10 + d;
  }
  *result = acc;
  return n;
}
static KILN_COLD int kr_raise_cannot_specify(char specifier, uint32_t type) {
  kr_msg_begin();
  kr_msg_cstr("Cannot specify '");
  kr_msg_char(specifier);
  if (type > 32 && type < 128) { kr_msg_cstr("' with '"); kr_msg_char((char)type); kr_msg_cstr("'."); }
  else { kr_msg_cstr("' with '\\x"); kr_msg_hex(type, 1); kr_msg_cstr("'."); }
  return kr_msg_raise(KILN_ValueError);
}
static KILN_COLD int kr_raise_unknown_code(uint32_t type, const char *type_name) {
  kr_msg_begin();
  kr_msg_cstr("Unknown format code '");
  if (type > 32 && type < 128) kr_msg_char((char)type);
  else { kr_msg_cstr("\\x"); kr_msg_hex(type, 1); }
  kr_msg_cstr("' for object of type '");
  kr_msg_cstr(type_name);
  kr_msg_cstr("'");
  return kr_msg_raise(KILN_ValueError);
}
/*
 * Parses a format spec as CPython's parse_internal_render_format_spec, with the defaults of the type being
 * formatted (int: 'd' and '>'; float: none and '>'; str: 's' and '<'); `type_name` words the errors. The compiler
 * may parse a constant spec once and keep the struct.
 */
static KR_NOINLINE int kr_fmtspec_parse(const kr_str *spec, uint32_t default_type, char default_align, const char *type_name, kr_fmtspec *f) {
  int64_t pos = 0, end = spec->length;
  int fill_given = 0, align_given = 0;
  f->fill = ' ';
  f->align = default_align;
  f->sign = 0;
  f->no_neg_0 = 0;
  f->alternate = 0;
  f->thousands = 0;
  f->width = -1;
  f->precision = -1;
  f->type = default_type;
  if (end - pos >= 2 && kr_is_align(kr_str_at(spec, pos + 1))) {
    f->align = (char)kr_str_at(spec, pos + 1);
    f->fill = kr_str_at(spec, pos);
    fill_given = align_given = 1;
    pos += 2;
  } else if (end - pos >= 1 && kr_is_align(kr_str_at(spec, pos))) {
    f->align = (char)kr_str_at(spec, pos);
    align_given = 1;
    pos++;
  }
  if (end - pos >= 1) {
    uint32_t c = kr_str_at(spec, pos);
    if (c == '+' || c == '-' || c == ' ') { f->sign = (char)c; pos++; }
  }
  if (end - pos >= 1 && kr_str_at(spec, pos) == 'z') { f->no_neg_0 = 1; pos++; }
  if (end - pos >= 1 && kr_str_at(spec, pos) == '#') { f->alternate = 1; pos++; }
  if (!fill_given && end - pos >= 1 && kr_str_at(spec, pos) == '0') {
    f->fill = '0';
    if (!align_given && default_align == '>') f->align = '=';
    pos++;
  }
  int64_t n = kr_spec_integer(spec, &pos, &f->width);
  if (n < 0) return -1;
  if (n == 0) f->width = -1;
  if (end - pos && kr_str_at(spec, pos) == ',') { f->thousands = ','; pos++; }
  if (end - pos && kr_str_at(spec, pos) == '_') {
    if (f->thousands) return kr_raise(KILN_ValueError, "Cannot specify both ',' and '_'.");
    f->thousands = '_';
    pos++;
  }
  if (end - pos && kr_str_at(spec, pos) == ',' && f->thousands == '_') return kr_raise(KILN_ValueError, "Cannot specify both ',' and '_'.");
  if (end - pos && kr_str_at(spec, pos) == '.') {
    pos++;
    n = kr_spec_integer(spec, &pos, &f->precision);
    if (n < 0) return -1;
    if (n == 0) return kr_raise(KILN_ValueError, "Format specifier missing precision");
  }
  if (end - pos > 1) {
    kr_msg_begin();
    kr_msg_cstr("Invalid format specifier '");
    kr_msg_str(spec, INT64_MAX);
    kr_msg_cstr("' for object of type '");
    kr_msg_cstr(type_name);
    kr_msg_cstr("'");
    return kr_msg_raise(KILN_ValueError);
  }
  if (end - pos == 1) f->type = kr_str_at(spec, pos);
  if (f->thousands) {
    switch (f->type) {
    case 'd': case 'e': case 'f': case 'g': case 'E': case 'G': case '%': case 'F': case 0: break;
    case 'b': case 'o': case 'x': case 'X':
      if (f->thousands == '_') { f->thousands = 4; break; }
      /* fall through */
    default: return kr_raise_cannot_specify(f->thousands == 4 ? '_' : f->thousands, f->type);
    }
  }
  return 0;
}

/* CPython's _PyUnicode_InsertThousandsGrouping: digits[0:n] in groups of `group` from the right, separated by
 * `sep` (group 0: no grouping), padded with zeros on the left to at least min_width characters. */
static KR_NOINLINE void kr_group_digits(kr_cb *out, const char *digits, int64_t n, int64_t min_width, char sep, int group) {
  kr_cb rev;
  kr_cb_init(&rev);
  int64_t remaining = n;
  int use_sep = 0, broken = 0;
  /* written right to left into rev, reversed at the end */
#define KR_GROUP_EMIT(nchars, nzeros) do { \
    if (use_sep) kr_cb_putc(&rev, sep); \
    for (int64_t k_ = 0; k_ < (nchars); k_++) kr_cb_putc(&rev, digits[remaining - 1 - k_]); \
    kr_cb_fill(&rev, '0', (nzeros)); } while (0)
  if (group > 0) {
    for (;;) {
      int64_t l = group, lim = remaining > min_width ? remaining : min_width;
      if (lim < 1) lim = 1;
      if (l > lim) l = lim;
      int64_t nz = l - remaining > 0 ? l - remaining : 0, nc = remaining < l ? remaining : l;
      if (nc < 0) nc = 0;
      KR_GROUP_EMIT(nc, nz);
      use_sep = 1;
      remaining -= nc;
      min_width -= l;
      if (remaining <= 0 && min_width <= 0) { broken = 1; break; }
      min_width -= 1;
    }
  }
  if (!broken) {
    int64_t l = remaining > min_width ? remaining : min_width;
    if (l < 1) l = 1;
    int64_t nz = l - remaining > 0 ? l - remaining : 0, nc = remaining < l ? remaining : l;
    if (nc < 0) nc = 0;
    KR_GROUP_EMIT(nc, nz);
  }
#undef KR_GROUP_EMIT
  if (rev.oom) out->oom = 1;
  for (size_t i = rev.n; i > 0; i--) kr_cb_putc(out, rev.p[i - 1]);
  kr_cb_free(&rev);
}

/* CPython's calc_number_widths + fill_number: lays a number out in w. digits[0:nd] are the integer digits (ASCII),
 * then a decimal point if has_decimal, then rem[0:nrem] (or the one code point rem_cp when it is not UINT32_MAX:
 * the 'c' format). */
static KR_NOINLINE int kr_fill_number(kr_sw *w, const kr_fmtspec *f, char sign_char, const char *prefix, int nprefix,
                          const char *digits, int64_t nd, int has_decimal, const char *rem, int64_t nrem,
                          uint32_t rem_cp, int upper, int locale_n) {
  char sign = 0;
  if (f->sign == '+') sign = sign_char == '-' ? '-' : '+';
  else if (f->sign == ' ') sign = sign_char == '-' ? '-' : ' ';
  else if (sign_char == '-') sign = '-';
  int64_t nsign = sign ? 1 : 0;
  if (rem_cp != UINT32_MAX) nrem = 1;
  int64_t lead = nsign + nprefix + (has_decimal ? 1 : 0) + nrem;
  int64_t min_width = f->fill == '0' && f->align == '=' ? f->width - lead : 0;
  char sep = 0;
  int group = 0;
  if (!locale_n && f->thousands) { sep = f->thousands == 4 ? '_' : f->thousands; group = f->thousands == 4 ? 4 : 3; }
  kr_cb g;
  kr_cb_init(&g);
  if (nd > 0) kr_group_digits(&g, digits, nd, min_width, sep, group);
  if (g.oom) { kr_cb_free(&g); return kr_raise_memory_str(); }
  int64_t total = lead + (int64_t)g.n, pad = f->width - total, lpad = 0, spad = 0, rpad = 0;
  if (pad > 0) {
    if (f->align == '<') rpad = pad;
    else if (f->align == '^') { lpad = pad / 2; rpad = pad - lpad; }
    else if (f->align == '=') spad = pad;
    else lpad = pad;
  }
  int rc = kr_sw_fill(w, f->fill, lpad);
  if (!rc && sign) rc = kr_sw_putc(w, (uint32_t)sign);
  if (!rc && nprefix) {
    char pb[2] = { prefix[0], prefix[1] };
    if (upper) for (int k = 0; k < nprefix; k++) if (pb[k] >= 'a' && pb[k] <= 'z') pb[k] = (char)(pb[k] - 32);
    rc = kr_sw_put_ascii(w, pb, nprefix);
  }
  if (!rc) rc = kr_sw_fill(w, f->fill, spad);
  if (!rc && upper) for (size_t k = 0; k < g.n; k++) if (g.p[k] >= 'a' && g.p[k] <= 'z') g.p[k] = (char)(g.p[k] - 32);
  if (!rc) rc = kr_sw_put_ascii(w, g.p, (int64_t)g.n);
  if (!rc && has_decimal) rc = kr_sw_putc(w, '.');
  if (!rc) rc = rem_cp != UINT32_MAX ? kr_sw_putc(w, rem_cp) : kr_sw_put_ascii(w, rem, nrem);
  if (!rc) rc = kr_sw_fill(w, f->fill, rpad);
  kr_cb_free(&g);
  return rc;
}
/* Padding for str formatting (CPython's calc_padding). */
static int kr_fill_text(kr_sw *w, const kr_fmtspec *f, const kr_str *s, int64_t n) {
  int64_t total = f->width >= 0 && f->width > n ? f->width : n;
  int64_t lpad = f->align == '>' ? total - n : f->align == '^' ? (total - n) / 2 : 0;
  int64_t rpad = total - n - lpad;
  if (kr_sw_fill(w, f->fill, lpad) || kr_sw_put_str(w, s, 0, n) || kr_sw_fill(w, f->fill, rpad)) return -1;
  return 0;
}

static KR_NOINLINE int kr_format_f64_spec(kr_sw *w, double x, const kr_fmtspec *f, const char *type_name);
/* format(v, spec) for an int with a parsed spec (CPython's format_long_internal; float types convert to float). */
static KR_NOINLINE int kr_format_i64_spec(kr_sw *w, int64_t v, const kr_fmtspec *f, const char *type_name) {
  uint32_t t = f->type;
  switch (t) {
  case 'e': case 'E': case 'f': case 'F': case 'g': case 'G': case '%':
    return kr_format_f64_spec(w, (double)v, f, "float");
  case 'b': case 'c': case 'd': case 'o': case 'x': case 'X': case 'n': break;
  default: return kr_raise_unknown_code(t, type_name);
  }
  if (f->precision != -1) return kr_raise(KILN_ValueError, "Precision not allowed in integer format specifier");
  if (f->no_neg_0) return kr_raise(KILN_ValueError, "Negative zero coercion (z) not allowed in integer format specifier");
  if (t == 'c') {
    if (f->sign) return kr_raise(KILN_ValueError, "Sign not allowed with integer format specifier 'c'");
    if (f->alternate) return kr_raise(KILN_ValueError, "Alternate form (#) not allowed with integer format specifier 'c'");
    if (v < 0 || v > 0x10FFFF) return kr_raise(KILN_OverflowError, "%c arg not in range(0x110000)");
    return kr_fill_number(w, f, 0, NULL, 0, NULL, 0, 0, NULL, 0, (uint32_t)v, 0, 0);
  }
  int base = t == 'b' ? 2 : t == 'o' ? 8 : (t == 'x' || t == 'X') ? 16 : 10;
  char buf[72], *end = buf + sizeof buf;
  char *p = kr_u64_text(v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v, base, end);
  const char *prefix = base == 2 ? "0b" : base == 8 ? "0o" : "0x";
  return kr_fill_number(w, f, v < 0 ? '-' : 0, prefix, f->alternate && base != 10 ? 2 : 0, p, end - p, 0, NULL, 0,
                        UINT32_MAX, t == 'X', t == 'n');
}
/* format(x, spec) for a float with a parsed spec (CPython's format_float_internal). */
static int kr_format_f64_spec(kr_sw *w, double x, const kr_fmtspec *f, const char *type_name) {
  uint32_t t = f->type;
  switch (t) {
  case 0: case 'e': case 'E': case 'f': case 'F': case 'g': case 'G': case 'n': case '%': break;
  default: return kr_raise_unknown_code(t, type_name);
  }
  if (f->precision > INT32_MAX) return kr_raise(KILN_ValueError, "precision too big");
  int flags = (f->alternate ? KR_DTS_ALT : 0) | (f->no_neg_0 ? KR_DTS_NO_NEG_0 : 0);
  int64_t precision = f->precision, default_precision = 6;
  char code = (char)t;
  if (t == 0) { flags |= KR_DTS_ADD_DOT_0; code = 'r'; default_precision = 0; }
  if (t == 'n') code = 'g';
  int pct = t == '%';
  if (pct) { code = 'f'; x *= 100; }
  if (precision < 0) precision = default_precision;
  else if (code == 'r') code = 'g';
  kr_cb b;
  kr_cb_init(&b);
  kr_double_to_cb(&b, x, code, precision, flags);
  if (pct) kr_cb_putc(&b, '%');
  if (b.oom) { kr_cb_free(&b); return kr_raise_memory_str(); }
  const char *p = b.p, *e = b.p + b.n;
  char sign_char = 0;
  if (p < e && *p == '-') { sign_char = '-'; p++; }
  const char *d = p;
  while (d < e && *d >= '0' && *d <= '9') d++;
  int has_decimal = d < e && *d == '.';
  const char *rem = has_decimal ? d + 1 : d;
  int rc = kr_fill_number(w, f, sign_char, NULL, 0, p, d - p, has_decimal, rem, e - rem, UINT32_MAX, 0, t == 'n');
  kr_cb_free(&b);
  return rc;
}
/* format(s, spec) for a str with a parsed spec (CPython's format_string_internal). */
static KR_NOINLINE int kr_format_str_spec(kr_sw *w, const kr_str *s, const kr_fmtspec *f) {
  if (f->type != 's') return kr_raise_unknown_code(f->type, "str");
  if (f->sign == ' ') return kr_raise(KILN_ValueError, "Space not allowed in string format specifier");
  if (f->sign) return kr_raise(KILN_ValueError, "Sign not allowed in string format specifier");
  if (f->no_neg_0) return kr_raise(KILN_ValueError, "Negative zero coercion (z) not allowed in string format specifier");
  if (f->alternate) return kr_raise(KILN_ValueError, "Alternate form (#) not allowed in string format specifier");
  if (f->align == '=') return kr_raise(KILN_ValueError, "'=' alignment not allowed in string format specifier");
  int64_t n = s->length;
  if (f->precision >= 0 && n >= f->precision) n = f->precision;
  return kr_fill_text(w, f, s, n);
}

/* ---- format(value, spec), appending to a writer (the f-string building blocks) ----
 * An f-string f'a{x!r:>{w}}b' is built as: a writer (kr_sw_init), the literal parts (kr_sw_put_str of a literal,
 * or kr_sw_put_ascii), each field converted (!r: kr_val_repr / kr_str_repr, !s: kr_val_str, !a: kr_val_ascii) then
 * formatted with its spec (a spec with nested fields is itself built as a string first), then kr_sw_finish.
 * f'{x=}' is the literal 'x=' then repr(x) (or format(x, spec) when a spec is given). An empty spec is str(v). */
static int kr_format_i64_into(kr_sw *w, int64_t v, const kr_str *spec) {
  if (spec->length == 0) {
    char buf[24], *end = buf + sizeof buf;
    char *p = kr_u64_text(v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v, 10, end);
    if (v < 0) *--p = '-';
    return kr_sw_put_ascii(w, p, end - p);
  }
  kr_fmtspec f;
  if (kr_fmtspec_parse(spec, 'd', '>', "int", &f)) return -1;
  return kr_format_i64_spec(w, v, &f, "int");
}
static int kr_format_bool_into(kr_sw *w, int b, const kr_str *spec) {
  if (spec->length == 0) return kr_sw_put_cstr(w, b ? "True" : "False");
  kr_fmtspec f;
  if (kr_fmtspec_parse(spec, 'd', '>', "bool", &f)) return -1;
  return kr_format_i64_spec(w, b != 0, &f, "bool");
}
static int kr_format_f64_into(kr_sw *w, double x, const kr_str *spec) {
  kr_fmtspec f;
  if (spec->length == 0) {
    kr_cb b;
    kr_cb_init(&b);
    kr_double_to_cb(&b, x, 'r', 0, KR_DTS_ADD_DOT_0);
    int rc = b.oom ? kr_raise_memory_str() : kr_sw_put_ascii(w, b.p, (int64_t)b.n);
    kr_cb_free(&b);
    return rc;
  }
  if (kr_fmtspec_parse(spec, 0, '>', "float", &f)) return -1;
  return kr_format_f64_spec(w, x, &f, "float");
}
static int kr_format_str_into(kr_sw *w, const kr_str *s, const kr_str *spec) {
  if (spec->length == 0) return kr_sw_put_str(w, s, 0, s->length);
  kr_fmtspec f;
  if (kr_fmtspec_parse(spec, 's', '<', "str", &f)) return -1;
  return kr_format_str_spec(w, s, &f);
}
static int kr_format_none_into(kr_sw *w, const kr_str *spec) {
  if (spec->length) return kr_raise(KILN_TypeError, "unsupported format string passed to NoneType.__format__");
  return kr_sw_put_ascii(w, "None", 4);
}
/* format(v, spec) as a new string, for each type. */
#define KR_FORMAT_NEW(CALL) do { kr_sw w_; if (kr_sw_init(&w_, 16, 127)) return NULL; \
    if (CALL) { kr_sw_discard(&w_); return NULL; } return kr_sw_finish(&w_); } while (0)
static kr_str *kr_format_i64(int64_t v, const kr_str *spec) { KR_FORMAT_NEW(kr_format_i64_into(&w_, v, spec)); }
static kr_str *kr_format_bool(int b, const kr_str *spec) { KR_FORMAT_NEW(kr_format_bool_into(&w_, b, spec)); }
static kr_str *kr_format_f64(double x, const kr_str *spec) { KR_FORMAT_NEW(kr_format_f64_into(&w_, x, spec)); }
static kr_str *kr_format_str(kr_str *s, const kr_str *spec) {
  if (spec->length == 0) return kr_str_newref(s);
  KR_FORMAT_NEW(kr_format_str_into(&w_, s, spec));
}

/* ==== values of mixed types: format arguments ====
 * %-formatting and str.format take their arguments as kr_val: the static type of each argument expression decides
 * the tag; strings are borrowed. */
enum { KR_V_NONE, KR_V_BOOL, KR_V_INT, KR_V_FLOAT, KR_V_STR };
typedef struct kr_val { int tag; int64_t i; double f; kr_str *s; } kr_val;
static inline kr_val kr_val_int(int64_t i) { kr_val v = { KR_V_INT, i, 0, NULL }; return v; }
static inline kr_val kr_val_float(double f) { kr_val v = { KR_V_FLOAT, 0, f, NULL }; return v; }
static inline kr_val kr_val_bool(int b) { kr_val v = { KR_V_BOOL, b != 0, 0, NULL }; return v; }
static inline kr_val kr_val_str(kr_str *s) { kr_val v = { KR_V_STR, 0, 0, s }; return v; }
static inline kr_val kr_val_none(void) { kr_val v = { KR_V_NONE, 0, 0, NULL }; return v; }
static const char *kr_val_type_name(kr_val v) {
  static const char *const names[] = { "NoneType", "bool", "int", "float", "str", "dict" };
  return names[v.tag];
}
/* str(v) / repr(v) / ascii(v) appended to w. */
static int kr_val_str_into(kr_sw *w, kr_val v, int how /* 's', 'r', 'a' */) {
  switch (v.tag) {
  case KR_V_NONE: return kr_sw_put_ascii(w, "None", 4);
  case KR_V_BOOL: return kr_sw_put_cstr(w, v.i ? "True" : "False");
  case KR_V_INT: return kr_format_i64_into(w, v.i, kr_str_empty);
  case KR_V_FLOAT: return kr_format_f64_into(w, v.f, kr_str_empty);
  default: return how == 's' ? kr_sw_put_str(w, v.s, 0, v.s->length) : kr_repr_into(w, v.s, how == 'a');
  }
}
static kr_str *kr_val_convert(kr_val v, int how) {
  if (v.tag == KR_V_STR && how == 's') return kr_str_newref(v.s);
  KR_FORMAT_NEW(kr_val_str_into(&w_, v, how));
}
/* str(v), repr(v), ascii(v) (f-string !s, !r, !a). */
static kr_str *kr_val_to_str(kr_val v) { return kr_val_convert(v, 's'); }
static kr_str *kr_val_repr(kr_val v) { return kr_val_convert(v, 'r'); }
static kr_str *kr_val_ascii(kr_val v) { return kr_val_convert(v, 'a'); }
/* format(v, spec) appended to w, and as a new string. */
static int kr_val_format_into(kr_sw *w, kr_val v, const kr_str *spec) {
  switch (v.tag) {
  case KR_V_NONE: return kr_format_none_into(w, spec);
  case KR_V_BOOL: return kr_format_bool_into(w, (int)v.i, spec);
  case KR_V_INT: return kr_format_i64_into(w, v.i, spec);
  case KR_V_FLOAT: return kr_format_f64_into(w, v.f, spec);
  default: return kr_format_str_into(w, v.s, spec);
  }
}
static kr_str *kr_val_format(kr_val v, const kr_str *spec) { KR_FORMAT_NEW(kr_val_format_into(&w_, v, spec)); }

/* ==== %-formatting (CPython's PyUnicode_Format) ====
 * fmt % args: a tuple is args[0:nargs] with is_tuple set; a single value is args[0] with is_tuple 0; a dict is
 * keys[0:nkeys] with vals (for %(name)s; keys NULL otherwise). A conversion without a key takes the dict itself, as
 * Python does: the numeric ones raise CPython's TypeError; %s %r %a of the dict raise NotImplementedError (the
 * text of a dict is not built here). */
#define KR_V_DICT 5 /* internal: the dict operand of a %-format */
enum { KR_PF_LJUST = 1, KR_PF_SIGN = 2, KR_PF_BLANK = 4, KR_PF_ALT = 8, KR_PF_ZERO = 16 };
typedef struct {
  const kr_val *args;
  int64_t argidx, arglen;
  const kr_val *single;   /* the value a mapping key selected */
  int have_single;
} kr_pf_state;
static int kr_pf_next(kr_pf_state *st, kr_val *out) {
  if (st->argidx < st->arglen) {
    int64_t i = st->argidx++;
    if (st->arglen < 0) *out = st->have_single ? *st->single : st->args[0];
    else *out = st->args[i];
    return 0;
  }
  return kr_raise(KILN_TypeError, "not enough arguments for format string");
}
/* The text of an integer conversion (%d %i %u %o %x %X) of v, as CPython's _PyUnicode_FormatLong, into b. */
static KR_NOINLINE int kr_pf_long(kr_cb *b, kr_val v, uint32_t type, int alt, int64_t prec) {
  int base = type == 'o' ? 8 : (type == 'x' || type == 'X') ? 16 : 10;
  int negative = 0;
  char dbuf[KR_DTOA_BUF + 2], tmp[72];
  const char *digits;
  int64_t nd, zeros = 0;
  if (v.tag == KR_V_FLOAT) { /* int(x): exact, however large */
    double x = trunc(v.f);
    if (isnan(x)) return kr_raise(KILN_ValueError, "cannot convert float NaN to integer");
    if (isinf(x)) return kr_raise(KILN_OverflowError, "cannot convert float infinity to integer");
    negative = x < 0;
    if (x == 0) { dbuf[0] = '0'; nd = 1; }
    else { int decpt; nd = kr_dtoa(fabs(x), 3, 0, dbuf, &decpt); zeros = decpt - nd; }
    digits = dbuf;
  } else {
    int64_t i = v.i;
    negative = i < 0;
    char *end = tmp + sizeof tmp;
    char *p = kr_u64_text(i < 0 ? (uint64_t)0 - (uint64_t)i : (uint64_t)i, base, end);
    digits = p;
    nd = end - p;
  }
  if (negative) kr_cb_putc(b, '-');
  if (alt && base != 10) { kr_cb_putc(b, '0'); kr_cb_putc(b, type == 'o' ? 'o' : (char)type); }
  if (prec > nd + zeros) kr_cb_fill(b, '0', prec - nd - zeros);
  size_t at = b->n;
  kr_cb_put(b, digits, (size_t)nd);
  kr_cb_fill(b, '0', zeros);
  if (type == 'X') for (size_t k = at; k < b->n && !b->oom; k++) if (b->p[k] >= 'a' && b->p[k] <= 'z') b->p[k] = (char)(b->p[k] - 32);
  return b->oom ? kr_raise_memory_str() : 0;
}
/* CPython's unicode_format_arg_output: writes text (t, or the ASCII b when t is NULL) with the flags. */
static KR_NOINLINE int kr_pf_output(kr_sw *w, uint32_t type, int flags, int64_t width, int64_t prec, int numeric,
                        const kr_str *t, const char *b, int64_t blen) {
  int64_t len = t ? t->length : blen;
#define KR_PF_AT(i) (t ? kr_str_at(t, (i)) : (uint32_t)(uint8_t)b[(i)])
  uint32_t fill = numeric && (flags & KR_PF_ZERO) ? '0' : ' ';
  if ((width == -1 || width <= len) && (prec == -1 || prec >= len) && !(flags & (KR_PF_SIGN | KR_PF_BLANK))) {
    return t ? kr_sw_put_str(w, t, 0, len) : kr_sw_put_ascii(w, b, len);
  }
  if ((type == 's' || type == 'r' || type == 'a') && prec >= 0 && len > prec) len = prec;
  int64_t pi = 0;
  uint32_t signchar = 0;
  int sign = numeric;
  if (sign) {
    uint32_t c = len > 0 ? KR_PF_AT(0) : 0;
    if (c == '-' || c == '+') { signchar = c; len--; pi++; }
    else if (flags & KR_PF_SIGN) signchar = '+';
    else if (flags & KR_PF_BLANK) signchar = ' ';
    else sign = 0;
  }
  if (width < len) width = len;
  if (sign) {
    if (fill != ' ' && kr_sw_putc(w, signchar)) return -1;
    if (width > len) width--;
  }
  int prefix = (flags & KR_PF_ALT) && (type == 'x' || type == 'X' || type == 'o');
  if (prefix) {
    if (fill != ' ') { if (kr_sw_putc(w, '0') || kr_sw_putc(w, type)) return -1; pi += 2; }
    width -= 2;
    if (width < 0) width = 0;
    len -= 2;
  }
  if (width > len && !(flags & KR_PF_LJUST)) {
    if (kr_sw_fill(w, fill, width - len)) return -1;
    width = len;
  }
  if (fill == ' ') {
    if (sign && kr_sw_putc(w, signchar)) return -1;
    if (prefix) { if (kr_sw_putc(w, '0') || kr_sw_putc(w, type)) return -1; pi += 2; }
  }
  if (len > 0) { if (t ? kr_sw_put_str(w, t, pi, len) : kr_sw_put_ascii(w, b + pi, len)) return -1; }
  if (width > len && kr_sw_fill(w, ' ', width - len)) return -1;
  return 0;
#undef KR_PF_AT
}
/* One conversion, after the '%' at fmt[*pos - 1]: 0, or 1 for '%%', or -1 with the error set. */
static KR_NOINLINE int kr_pf_arg(kr_sw *w, const kr_str *fmt, int64_t *pos, kr_pf_state *st, kr_str *const *keys, const kr_val *vals, int64_t nkeys) {
  int64_t n = fmt->length, i = *pos;
  if (i < n && kr_str_at(fmt, i) == '%') { *pos = i + 1; return kr_sw_putc(w, '%') ? -1 : 1; } /* 1: no conversion */
  if (i < n && kr_str_at(fmt, i) == '(') {
    if (!keys) return kr_raise(KILN_TypeError, "format requires a mapping");
    int64_t ks = ++i, depth = 1;
    while (i < n && depth > 0) { uint32_t c = kr_str_at(fmt, i); if (c == ')') depth--; else if (c == '(') depth++; i++; }
    if (depth > 0) return kr_raise(KILN_ValueError, "incomplete format key");
    kr_str *key = kr_str_substr((kr_str *)fmt, ks, i - 1);
    if (!key) return -1;
    int64_t k = 0;
    while (k < nkeys && !kr_str_eq(keys[k], key)) k++;
    if (k == nkeys) {
      kr_msg_begin();
      kr_msg_repr(key, INT64_MAX);
      kr_decref(key);
      return kr_msg_raise(KILN_KeyError);
    }
    kr_decref(key);
    st->single = &vals[k];
    st->have_single = 1;
    st->arglen = -1;
    st->argidx = -2;
  }
  int flags = 0;
  int64_t width = -1, prec = -1;
  uint32_t c = 0;
  int have = 0;
#define KR_PF_READ() (i < n ? (c = kr_str_at(fmt, i++), have = 1) : (have = 0))
  for (;;) {
    KR_PF_READ();
    if (!have) break;
    if (c == '-') flags |= KR_PF_LJUST;
    else if (c == '+') flags |= KR_PF_SIGN;
    else if (c == ' ') flags |= KR_PF_BLANK;
    else if (c == '#') flags |= KR_PF_ALT;
    else if (c == '0') flags |= KR_PF_ZERO;
    else break;
  }
  if (have && c == '*') {
    kr_val a;
    if (kr_pf_next(st, &a)) return -1;
    if (a.tag != KR_V_INT && a.tag != KR_V_BOOL) return kr_raise(KILN_TypeError, "* wants int");
    width = a.i;
    if (width < 0) { flags |= KR_PF_LJUST; if (width != INT64_MIN) width = -width; } /* CPython's -width wraps there */
    KR_PF_READ();
  } else if (have && c >= '0' && c <= '9') {
    width = c - '0';
    for (;;) {
      KR_PF_READ();
      if (!have || c < '0' || c > '9') break;
      if (width > (INT64_MAX - (int64_t)(c - '0')) / 10) return kr_raise(KILN_ValueError, "width too big");
      width = width * 10 + (c - '0');
    }
  }
  if (have && c == '.') {
    prec = 0;
    KR_PF_READ();
    if (have && c == '*') {
      kr_val a;
      if (kr_pf_next(st, &a)) return -1;
      if (a.tag != KR_V_INT && a.tag != KR_V_BOOL) return kr_raise(KILN_TypeError, "* wants int");
      if (a.i > INT32_MAX || a.i < INT32_MIN) return kr_raise(KILN_OverflowError, "Python int too large to convert to C int");
      prec = a.i < 0 ? 0 : a.i;
      KR_PF_READ();
    } else if (have && c >= '0' && c <= '9') {
      prec = c - '0';
      for (;;) {
        KR_PF_READ();
        if (!have || c < '0' || c > '9') break;
        if (prec > (INT32_MAX - (int64_t)(c - '0')) / 10) return kr_raise(KILN_ValueError, "precision too big");
        prec = prec * 10 + (c - '0');
      }
    }
  }
  if (have && (c == 'h' || c == 'l' || c == 'L')) KR_PF_READ();
#undef KR_PF_READ
  if (!have) return kr_raise(KILN_ValueError, "incomplete format");
  *pos = i;
  kr_val v;
  if (kr_pf_next(st, &v)) return -1;
  kr_str *text = NULL;
  kr_cb b;
  kr_cb_init(&b);
  int numeric = 0, rc;
  switch (c) {
  case 's': case 'r': case 'a':
    if (v.tag == KR_V_DICT) return kr_raise(KILN_NotImplementedError, "%s, %r or %a of a dict in a %-format is not compiled");
    text = kr_val_convert(v, (int)c);
    if (!text) return -1;
    break;
  case 'i': case 'd': case 'u': case 'o': case 'x': case 'X':
    if (v.tag == KR_V_NONE || v.tag == KR_V_STR || v.tag == KR_V_DICT || (v.tag == KR_V_FLOAT && c != 'i' && c != 'd' && c != 'u')) {
      kr_msg_begin();
      kr_msg_char('%');
      kr_msg_char((char)c);
      kr_msg_cstr(c == 'o' || c == 'x' || c == 'X' ? " format: an integer is required, not " : " format: a real number is required, not ");
      kr_msg_cstr(kr_val_type_name(v));
      return kr_msg_raise(KILN_TypeError);
    }
    if (kr_pf_long(&b, v, c == 'i' || c == 'u' ? 'd' : c, flags & KR_PF_ALT, prec)) { kr_cb_free(&b); return -1; }
    numeric = 1;
    break;
  case 'e': case 'E': case 'f': case 'F': case 'g': case 'G': {
    if (v.tag == KR_V_NONE || v.tag == KR_V_STR || v.tag == KR_V_DICT) {
      kr_msg_begin();
      kr_msg_cstr("must be real number, not ");
      kr_msg_cstr(kr_val_type_name(v));
      return kr_msg_raise(KILN_TypeError);
    }
    double x = v.tag == KR_V_FLOAT ? v.f : (double)v.i;
    kr_double_to_cb(&b, x, (char)c, prec < 0 ? 6 : prec, flags & KR_PF_ALT ? KR_DTS_ALT : 0);
    if (b.oom) { kr_cb_free(&b); return kr_raise_memory_str(); }
    numeric = 1;
    break;
  }
  case 'c': {
    uint32_t ch;
    if (v.tag == KR_V_STR) {
      if (v.s->length != 1) return kr_raise(KILN_TypeError, "%c requires int or char");
      ch = kr_str_at(v.s, 0);
    } else if (v.tag == KR_V_INT || v.tag == KR_V_BOOL) {
      if (v.i < 0 || v.i > 0x10FFFF) return kr_raise(KILN_OverflowError, "%c arg not in range(0x110000)");
      ch = (uint32_t)v.i;
    } else return kr_raise(KILN_TypeError, "%c requires int or char");
    text = kr_str_from_cp(ch);
    if (!text) return -1;
    break;
  }
  default:
    kr_msg_begin();
    kr_msg_cstr("unsupported format character '");
    kr_msg_char(c >= 31 && c <= 126 ? (char)c : '?');
    kr_msg_cstr("' (0x");
    kr_msg_hex(c, 1);
    kr_msg_cstr(") at index ");
    kr_msg_i64(i - 1);
    return kr_msg_raise(KILN_ValueError);
  }
  rc = kr_pf_output(w, c, flags, width, prec, numeric, text, b.p, (int64_t)b.n);
  kr_decref(text);
  kr_cb_free(&b);
  return rc;
}
/* fmt % args (see above). TypeError "not enough arguments for format string" / "not all arguments converted during
 * string formatting", ValueError "incomplete format", "unsupported format character 'y' (0x79) at index 3". A
 * dict operand takes only %(name) conversions here: anything else raises NotImplementedError. */
static kr_str *kr_str_percent(const kr_str *fmt, const kr_val *args, int64_t nargs, int is_tuple,
                              kr_str *const *keys, const kr_val *vals, int64_t nkeys) {
  kr_val dict = { KR_V_DICT, 0, 0, NULL };
  kr_pf_state st = { args, 0, is_tuple ? nargs : -1, NULL, 0 };
  if (!is_tuple) st.argidx = -2;
  if (keys) { st.single = &dict; st.have_single = 1; }
  kr_sw w;
  if (kr_sw_init(&w, fmt->length + 16, fmt->ascii ? 127 : kr_kind_max(fmt->kind))) return NULL;
  int64_t i = 0, n = fmt->length;
  while (i < n) {
    int64_t j = i;
    while (j < n && kr_str_at(fmt, j) != '%') j++;
    if (kr_sw_put_str(&w, fmt, i, j - i)) goto fail;
    if (j == n) break;
    i = j + 1;
    int r = kr_pf_arg(&w, fmt, &i, &st, keys, vals, nkeys);
    if (r < 0) goto fail;
    if (r == 0 && keys && st.argidx < st.arglen) { kr_raise(KILN_TypeError, "not all arguments converted during string formatting"); goto fail; }
  }
  if (st.argidx < st.arglen && !keys) {
    kr_raise(KILN_TypeError, "not all arguments converted during string formatting");
    goto fail;
  }
  return kr_sw_finish(&w);
fail:
  kr_sw_discard(&w);
  return NULL;
}

/* ==== str.format (CPython's Objects/stringlib/unicode_format.h) ====
 * fmt.format(*args, **kwargs): positional args[0:nargs], keyword arguments kwnames[k] = kwvals[k]. Fields:
 * {}, {0}, {name}, with .attr (int and float: real, imag; int: numerator, denominator) and [index] (of a str),
 * !r !s !a, and a format spec that may hold nested fields; {{ and }} are braces. CPython's errors, in its order. */
typedef struct {
  const kr_val *args;
  int64_t nargs;
  kr_str *const *kwnames;
  const kr_val *kwvals;
  int64_t nkw;
  int auto_state;     /* 0 not yet, 1 automatic, 2 manual */
  int64_t auto_next;
} kr_sf_state;
static KR_NOINLINE int kr_sf_build(kr_sw *w, const kr_str *fmt, int64_t start, int64_t end, kr_sf_state *st, int depth);
/* A field name's integer value (any Unicode digits), -1 if it is not all digits, -2 with the error raised. */
static int64_t kr_sf_integer(const kr_str *s, int64_t a, int64_t b) {
  if (a >= b) return -1;
  int64_t acc = 0;
  for (int64_t i = a; i < b; i++) {
    int d = kr_udecimal(kr_str_at(s, i));
    if (d < 0) return -1;
    if (acc > (INT64_MAX - d) / 10) { kr_raise(KILN_ValueError, "Too many decimal digits in format string"); return -2; }
    acc = acc * 10 + d;
  }
  return acc;
}
/* Attribute names of the value types other than dunders (dir(int), dir(float), dir(str) in CPython 3.11). */
static const char kr_attrs_int[] = " as_integer_ratio bit_count bit_length conjugate denominator from_bytes imag numerator real to_bytes ";
static const char kr_attrs_float[] = " as_integer_ratio conjugate fromhex hex imag is_integer real ";
static const char kr_attrs_str[] = " capitalize casefold center count encode endswith expandtabs find format format_map index isalnum isalpha isascii isdecimal isdigit isidentifier islower isnumeric isprintable isspace istitle isupper join ljust lower lstrip maketrans partition removeprefix removesuffix replace rfind rindex rjust rpartition rsplit rstrip split splitlines startswith strip swapcase title translate upper zfill ";
/* getattr(v, name) for str.format's {0.name}: the numbers' real, imag, numerator, denominator; AttributeError for a
 * name the type lacks; NotImplementedError for one it has (a method: its text holds an address anyway). */
static int kr_sf_getattr(kr_val *v, const kr_str *name) {
  char nm[24];
  int64_t n = name->length;
  int plain = name->ascii && n < (int64_t)sizeof nm - 2;
  if (plain) { nm[0] = ' '; memcpy(nm + 1, KR_STR_DATA(name), (size_t)n); nm[n + 1] = ' '; nm[n + 2] = 0; }
  int isint = v->tag == KR_V_INT || v->tag == KR_V_BOOL, isflt = v->tag == KR_V_FLOAT;
  if (plain && (isint || isflt)) {
    if (!strcmp(nm, " real ")) { if (isint) *v = kr_val_int(v->i); return 0; }
    if (!strcmp(nm, " imag ")) { *v = isint ? kr_val_int(0) : kr_val_float(0.0); return 0; }
    if (isint && !strcmp(nm, " numerator ")) { *v = kr_val_int(v->i); return 0; }
    if (isint && !strcmp(nm, " denominator ")) { *v = kr_val_int(1); return 0; }
  }
  const char *attrs = isint ? kr_attrs_int : isflt ? kr_attrs_float : v->tag == KR_V_STR ? kr_attrs_str : " ";
  int dunder = n > 4 && kr_str_at(name, 0) == '_' && kr_str_at(name, 1) == '_' && kr_str_at(name, n - 1) == '_' && kr_str_at(name, n - 2) == '_';
  if (dunder || (plain && strstr(attrs, nm))) return kr_raise(KILN_NotImplementedError, "attribute access in a str.format field is not compiled for this attribute");
  kr_msg_begin();
  kr_msg_char('\'');
  kr_msg_cstr(kr_val_type_name(*v));
  kr_msg_cstr("' object has no attribute '");
  kr_msg_str(name, INT64_MAX);
  kr_msg_char('\'');
  return kr_msg_raise(KILN_AttributeError);
}
/* Resolves the field name fmt[a:b] to a value (*owned: a string made here, which the caller drops), with CPython's
 * order of errors: numbering, lookup, then each .name or [key] in turn. */
static KR_NOINLINE int kr_sf_field(const kr_str *fmt, int64_t a, int64_t b, kr_sf_state *st, kr_val *out, kr_str **owned) {
  int64_t i = a;
  while (i < b) { uint32_t c = kr_str_at(fmt, i); if (c == '.' || c == '[') break; i++; }
  int64_t idx = kr_sf_integer(fmt, a, i);
  if (idx == -2) return -1;
  int empty = a >= i, numeric = empty || idx != -1;
  if (numeric) {
    if (st->auto_state == 0) st->auto_state = empty ? 1 : 2;
    if (st->auto_state == 2 && empty) return kr_raise(KILN_ValueError, "cannot switch from manual field specification to automatic field numbering");
    if (st->auto_state == 1 && !empty) return kr_raise(KILN_ValueError, "cannot switch from automatic field numbering to manual field specification");
    if (empty) idx = st->auto_next++;
  }
  kr_val v;
  if (idx == -1) {
    kr_str *key = kr_str_substr((kr_str *)fmt, a, i);
    if (!key) return -1;
    int64_t k = 0;
    while (k < st->nkw && !kr_str_eq(st->kwnames[k], key)) k++;
    if (k == st->nkw) { kr_msg_begin(); kr_msg_repr(key, INT64_MAX); kr_decref(key); return kr_msg_raise(KILN_KeyError); }
    kr_decref(key);
    v = st->kwvals[k];
  } else {
    if (idx >= st->nargs) {
      kr_msg_begin();
      kr_msg_cstr("Replacement index ");
      kr_msg_i64(idx);
      kr_msg_cstr(" out of range for positional args tuple");
      return kr_msg_raise(KILN_IndexError);
    }
    v = st->args[idx];
  }
  while (i < b) {
    uint32_t c = kr_str_at(fmt, i++);
    int64_t s0 = i;
    if (c == '.') {
      while (i < b && kr_str_at(fmt, i) != '.' && kr_str_at(fmt, i) != '[') i++;
      if (i == s0) return kr_raise(KILN_ValueError, "Empty attribute in format string");
      kr_str *name = kr_str_substr((kr_str *)fmt, s0, i);
      if (!name) return -1;
      int rc = kr_sf_getattr(&v, name);
      kr_decref(name);
      if (rc) return -1;
    } else if (c == '[') {
      while (i < b && kr_str_at(fmt, i) != ']') i++;
      if (i >= b) return kr_raise(KILN_ValueError, "Missing ']' in format string");
      int64_t k = kr_sf_integer(fmt, s0, i);
      if (k == -2) return -1;
      if (i == s0) return kr_raise(KILN_ValueError, "Empty attribute in format string");
      i++;
      if (v.tag != KR_V_STR) {
        kr_msg_begin();
        kr_msg_char('\'');
        kr_msg_cstr(kr_val_type_name(v));
        kr_msg_cstr("' object is not subscriptable");
        return kr_msg_raise(KILN_TypeError);
      }
      if (k < 0) return kr_raise(KILN_TypeError, "string indices must be integers, not 'str'");
      kr_str *ch = kr_str_getitem(v.s, k);
      if (!ch) return -1;
      kr_decref(*owned);
      *owned = ch;
      v = kr_val_str(ch);
    } else return kr_raise(KILN_ValueError, "Only '.' or '[' may follow ']' in format field specifier");
  }
  *out = v;
  return 0;
}
/* One replacement field: name fmt[na:nb], conversion conv (0 for none), spec fmt[sa:sb] (expand: it holds fields). */
static KR_NOINLINE int kr_sf_render(kr_sw *w, const kr_str *fmt, int64_t na, int64_t nb, uint32_t conv, int64_t sa, int64_t sb, int expand, kr_sf_state *st, int depth) {
  kr_val v;
  kr_str *owned = NULL, *converted = NULL, *spec = NULL;
  int rc = -1;
  if (kr_sf_field(fmt, na, nb, st, &v, &owned)) goto done;
  if (conv) {
    if (conv != 'r' && conv != 's' && conv != 'a') {
      kr_msg_begin();
      kr_msg_cstr("Unknown conversion specifier ");
      if (conv > 32 && conv < 127) kr_msg_char((char)conv); else { kr_msg_cstr("\\x"); kr_msg_hex(conv, 1); }
      rc = kr_msg_raise(KILN_ValueError);
      goto done;
    }
    converted = kr_val_convert(v, (int)conv);
    if (!converted) goto done;
    v = kr_val_str(converted);
  }
  if (expand) {
    kr_sw sw;
    if (kr_sw_init(&sw, sb - sa, 0)) goto done;
    if (kr_sf_build(&sw, fmt, sa, sb, st, depth - 1)) { kr_sw_discard(&sw); goto done; }
    spec = kr_sw_finish(&sw);
  } else spec = kr_str_substr((kr_str *)fmt, sa, sb);
  if (!spec) goto done;
  rc = kr_val_format_into(w, v, spec);
done:
  kr_decref(spec);
  kr_decref(converted);
  kr_decref(owned);
  return rc;
}
static int kr_sf_build(kr_sw *w, const kr_str *fmt, int64_t pos, int64_t end, kr_sf_state *st, int depth) {
  if (depth <= 0) return kr_raise(KILN_ValueError, "Max string recursion exceeded");
  while (pos < end) {
    int64_t start = pos;
    uint32_t c = 0;
    int markup = 0;
    while (pos < end) {
      c = kr_str_at(fmt, pos++);
      if (c == '{' || c == '}') { markup = 1; break; }
    }
    int at_end = pos >= end;
    int64_t len = pos - start;
    if (c == '}' && markup && (at_end || kr_str_at(fmt, pos) != '}')) return kr_raise(KILN_ValueError, "Single '}' encountered in format string");
    if (at_end && c == '{' && markup) return kr_raise(KILN_ValueError, "Single '{' encountered in format string");
    if (markup && !at_end) {
      if (kr_str_at(fmt, pos) == c) { pos++; markup = 0; }
      else len--;
    }
    if (kr_sw_put_str(w, fmt, start, len)) return -1;
    if (!markup) continue;
    /* the field: name up to ':' '!' or '}' ([...] may hold them) */
    int64_t na = pos;
    c = 0;
    while (pos < end) {
      c = kr_str_at(fmt, pos++);
      if (c == '{') return kr_raise(KILN_ValueError, "unexpected '{' in field name");
      if (c == '[') { while (pos < end && kr_str_at(fmt, pos) != ']') pos++; continue; }
      if (c == '}' || c == ':' || c == '!') break;
    }
    int64_t nb = pos - 1;
    uint32_t conv = 0;
    int64_t sa = pos, sb = pos;
    int expand = 0;
    if (c == '!' || c == ':') {
      if (c == '!') {
        if (pos >= end) return kr_raise(KILN_ValueError, "end of string while looking for conversion specifier");
        conv = kr_str_at(fmt, pos++);
        if (pos < end) {
          uint32_t c2 = kr_str_at(fmt, pos++);
          if (c2 == '}') { sa = sb = pos; goto render; }
          if (c2 != ':') return kr_raise(KILN_ValueError, "expected ':' after conversion specifier");
        }
      }
      sa = pos;
      int64_t count = 1;
      while (pos < end) {
        uint32_t c3 = kr_str_at(fmt, pos++);
        if (c3 == '{') { expand = 1; count++; }
        else if (c3 == '}') { if (--count == 0) { sb = pos - 1; goto render; } }
      }
      return kr_raise(KILN_ValueError, "unmatched '{' in format spec");
    } else if (c != '}') return kr_raise(KILN_ValueError, "expected '}' before end of string");
    else { sa = sb = pos; }
  render:
    if (kr_sf_render(w, fmt, na, nb, conv, sa, sb, expand, st, depth)) return -1;
  }
  return 0;
}
/* fmt.format(*args, **kwargs). */
static kr_str *kr_str_format(const kr_str *fmt, const kr_val *args, int64_t nargs, kr_str *const *kwnames, const kr_val *kwvals, int64_t nkw) {
  kr_sf_state st = { args, nargs, kwnames, kwvals, nkw, 0, 0 };
  kr_sw w;
  if (kr_sw_init(&w, fmt->length + 16, 0)) return NULL;
  if (kr_sf_build(&w, fmt, 0, fmt->length, &st, 2)) { kr_sw_discard(&w); return NULL; }
  return kr_sw_finish(&w);
}


/* ==== compiler support: what generated code calls beyond the operations above ====
 * One character that has not escaped is held by generated code as its code point (uint32_t); these are its
 * operations, each equal to the str operation on the one-character string. */

/* chr(i) as a code point: ValueError "chr() arg not in range(0x110000)", OverflowError beyond a C int (as kr_chr). */
static inline int kr_chr_cp(int64_t i, uint32_t *out) {
  if (KILN_UNLIKELY(i < 0 || i > 0x10FFFF)) {
    if (i < INT32_MIN || i > INT32_MAX) return kr_raise(KILN_OverflowError, "Python int too large to convert to C int");
    return kr_raise(KILN_ValueError, "chr() arg not in range(0x110000)");
  }
  *out = (uint32_t)i;
  return 0;
}
/* c.upper(), c.lower(), ... (KR_CASE_*) of one character: a new reference (shared for one Latin-1 result). */
static kr_str *kr_char_case(uint32_t c, int op) {
  if (c < 128 && op != KR_CASE_TITLE && op != KR_CASE_CAPITALIZE) {
    int up = c >= 'A' && c <= 'Z', lo = c >= 'a' && c <= 'z';
    if ((op == KR_CASE_LOWER || op == KR_CASE_CASEFOLD || op == KR_CASE_SWAPCASE) && up) c += 32;
    else if ((op == KR_CASE_UPPER || op == KR_CASE_SWAPCASE) && lo) c -= 32;
    return kr_str_latin1_char(c);
  }
  kr_str *s = kr_str_from_cp(c);
  if (!s) return NULL;
  kr_str *r = kr_str_case(s, op);
  kr_decref(s);
  return r;
}
/* The str predicates on one character (CPython's definitions for a one-character string). Never fail. */
static inline int kr_char_isalpha(uint32_t c) { return (kr_uflags(c) & KR_UCD_ALPHA) != 0; }
static inline int kr_char_isdecimal(uint32_t c) { return (kr_uflags(c) & KR_UCD_DECIMAL) != 0; }
static inline int kr_char_isdigit(uint32_t c) { return (kr_uflags(c) & KR_UCD_DIGIT) != 0; }
static inline int kr_char_isnumeric(uint32_t c) { return (kr_uflags(c) & KR_UCD_NUMERIC) != 0; }
static inline int kr_char_isspace(uint32_t c) { return (kr_uflags(c) & KR_UCD_SPACE) != 0; }
static inline int kr_char_isalnum(uint32_t c) { return (kr_uflags(c) & (KR_UCD_ALPHA | KR_UCD_DECIMAL | KR_UCD_DIGIT | KR_UCD_NUMERIC)) != 0; }
static inline int kr_char_isprintable(uint32_t c) { return (kr_uflags(c) & KR_UCD_PRINTABLE) != 0; }
static inline int kr_char_isascii(uint32_t c) { return c < 128; }
static inline int kr_char_islower(uint32_t c) { unsigned f = kr_uflags(c); return (f & KR_UCD_LOWER) && !(f & (KR_UCD_UPPER | KR_UCD_TITLE)); }
static inline int kr_char_isupper(uint32_t c) { unsigned f = kr_uflags(c); return (f & KR_UCD_UPPER) && !(f & (KR_UCD_LOWER | KR_UCD_TITLE)); }
static inline int kr_char_istitle(uint32_t c) { return (kr_uflags(c) & (KR_UCD_UPPER | KR_UCD_TITLE)) != 0; }
static inline int kr_char_isidentifier(uint32_t c) { return c == '_' || (kr_uflags(c) & KR_UCD_XID_START) != 0; }
/* c in s (a character in a string). Never fails. */
static int kr_str_contains_cp(const kr_str *s, uint32_t c) {
  if (c > kr_kind_max(s->kind)) return 0;
  if (s->kind == 1) return memchr(KR_STR_DATA(s), (int)c, (size_t)s->length) != NULL;
  KR_STR_LOOP(s, i, x, { if (x == c) return 1; });
  return 0;
}
/* s == c, and the code-point order of s against one character (<0, 0, >0). Never fail. */
static inline int kr_str_eq_cp(const kr_str *s, uint32_t c) { return s->length == 1 && kr_str_at(s, 0) == c; }
static inline int kr_str_cmp_cp(const kr_str *s, uint32_t c) {
  if (s->length == 0) return -1;
  uint32_t x = kr_str_at(s, 0);
  return x != c ? (x < c ? -1 : 1) : s->length > 1;
}
/* s += c: appends one character in place when s is the variable's only reference (as kr_str_iadd). The common
 * case (room left, a code point the string's kind holds) is inline; the rest goes through kr_str_iadd. */
static KR_NOINLINE int kr_str_iadd_cp_slow(kr_str **ps, uint32_t c) {
  kr_str *s = *ps;
  if (s->ob.rc == 1 && c <= kr_kind_max(s->kind) && (size_t)(s->length + 2) * s->kind <= (size_t)s->alloc_size - sizeof(kr_str) && !s->utf8_owned) {
    kr_units_write(s->kind, KR_STR_DATA(s), s->length, c);
    s->hash = -1;
    kr_str_seal(s, s->length + 1, s->ascii && c < 128);
    return 0;
  }
  kr_str *t = kr_str_from_cp(c);
  if (!t) return -1;
  int rc = kr_str_iadd(ps, t);
  kr_decref(t);
  return rc;
}
static inline int kr_str_iadd_cp(kr_str **ps, uint32_t c) {
  kr_str *s = *ps;
  /* the common case: a one-byte-per-unit string that only this variable holds, a Latin-1 character, room for it and
   * the terminator (no UTF-8 cached to drop) */
  if (KILN_LIKELY(s->ob.rc == 1 && s->kind == 1 && c < 256 && s->length + 2 <= s->alloc_size - (int64_t)sizeof(kr_str) && !s->utf8_owned)) {
    int64_t n = s->length;
    KR_STR_U1(s)[n] = (uint8_t)c;
    KR_STR_U1(s)[n + 1] = 0;
    s->length = n + 1;
    s->hash = -1;
    s->ascii &= (uint8_t)(c < 128);
    return 0;
  }
  return kr_str_iadd_cp_slow(ps, c);
}
/*
 * `s += t` in a loop that uses the variable s for nothing else (lower/c.ts, appendBuilders): where the next unit
 * goes and the room left live in a kr_sb local, which the C compiler keeps in registers (kr_str_iadd's fields in
 * memory make each append wait for the previous one's store). The variable keeps its reference throughout:
 *   kr_sb b = kr_sb_open(s);                        before the loop
 *   kr_sb_add(&b, &s, t) / kr_sb_add_cp(&b, &s, c)   for each +=  (0, or -1 with the error set: s unchanged)
 *   kr_sb_close(b, s);                              after the loop (a break leaves it there too)
 * While open, s->length and its terminator are stale: nothing may read s (an error exit only drops it). The
 * builder is active (cur set) for a one-byte string the variable alone holds, without a cached UTF-8; otherwise,
 * and when an append does not fit, the slow path writes the length back, runs kr_str_iadd and reopens. Two words
 * passed and returned by value: the builder's address never escapes, so it is never in memory.
 */
typedef struct kr_sb { uint8_t *cur; int64_t room; /* unit slots left, the terminator's included; cur NULL: inactive (room -1: the last append failed) */ } kr_sb;
static inline kr_sb kr_sb_open(kr_str *s) {
  kr_sb b = { NULL, 0 };
  if (s && s->ob.rc == 1 && s->kind == 1 && !s->utf8_owned) {
    s->hash = -1; /* it will change: a cached hash is dropped now, not on each append */
    b.cur = KR_STR_U1(s) + s->length;
    b.room = s->alloc_size - (int64_t)sizeof(kr_str) - s->length;
  }
  return b;
}
static inline void kr_sb_close(kr_sb b, kr_str *s) {
  if (b.cur) { s->length = b.cur - KR_STR_U1(s); *b.cur = 0; }
}
/* The appends the active builder cannot take: written back, kr_str_iadd(_cp), reopened; on error (s unchanged)
 * an inactive builder with room -1. */
static KR_NOINLINE kr_sb kr_sb_add_slow(kr_str **ps, kr_sb b, kr_str *t) {
  kr_sb_close(b, *ps);
  if (kr_str_iadd(ps, t)) { kr_sb e = { NULL, -1 }; return e; }
  return kr_sb_open(*ps);
}
static KR_NOINLINE kr_sb kr_sb_add_cp_slow(kr_str **ps, kr_sb b, uint32_t c) {
  kr_sb_close(b, *ps);
  if (kr_str_iadd_cp(ps, c)) { kr_sb e = { NULL, -1 }; return e; }
  return kr_sb_open(*ps);
}
static KILN_ALWAYS_INLINE int kr_sb_add(kr_sb *b, kr_str **ps, kr_str *t) {
  if (KILN_LIKELY(t->kind == 1 && t->length < b->room)) {
    memcpy(b->cur, KR_STR_U1(t), (size_t)t->length);
    b->cur += t->length;
    b->room -= t->length;
    if (!t->ascii) (*ps)->ascii = 0;
    return 0;
  }
  *b = kr_sb_add_slow(ps, *b, t);
  return b->room < 0 ? -1 : 0;
}
static KILN_ALWAYS_INLINE int kr_sb_add_cp(kr_sb *b, kr_str **ps, uint32_t c) {
  if (KILN_LIKELY(c < 256 && b->room > 1)) {
    *b->cur++ = (uint8_t)c;
    b->room--;
    if (c >= 128) (*ps)->ascii = 0;
    return 0;
  }
  *b = kr_sb_add_cp_slow(ps, *b, c);
  return b->room < 0 ? -1 : 0;
}
/* sep.join(s) for a str s: its characters with sep between them. */
static kr_str *kr_str_join_chars(kr_str *sep, kr_str *s) {
  if (s->length <= 1) return kr_str_newref(s);
  kr_sw w;
  if (kr_sw_init(&w, s->length + (s->length - 1) * sep->length, s->ascii && sep->ascii ? 127 : 0x10FFFF)) return NULL;
  for (int64_t i = 0; i < s->length; i++) {
    if ((i && kr_sw_put_str(&w, sep, 0, sep->length)) || kr_sw_putc(&w, kr_str_at(s, i))) { kr_sw_discard(&w); return NULL; }
  }
  return kr_sw_finish(&w);
}
/* Stable sort of n strings by code-point order (sorted(), list.sort()); reverse as CPython (reverse, sort, reverse). */
static int kr_sort_strs(kr_str **a, int64_t n, int reverse) {
  if (n < 2) return 0;
  if (reverse) for (int64_t i = 0, j = n - 1; i < j; i++, j--) { kr_str *t = a[i]; a[i] = a[j]; a[j] = t; }
  kr_str **tmp = (kr_str **)malloc((size_t)n * sizeof(kr_str *));
  if (!tmp) return kr_raise_memory_str();
  for (int64_t width = 1; width < n; width *= 2) {
    for (int64_t lo = 0; lo < n; lo += 2 * width) {
      int64_t mid = lo + width < n ? lo + width : n, hi = lo + 2 * width < n ? lo + 2 * width : n;
      int64_t i = lo, j = mid, k = lo;
      while (i < mid && j < hi) tmp[k++] = kr_str_cmp(a[j], a[i]) < 0 ? a[j++] : a[i++];
      while (i < mid) tmp[k++] = a[i++];
      while (j < hi) tmp[k++] = a[j++];
    }
    memcpy(a, tmp, (size_t)n * sizeof(kr_str *));
  }
  free(tmp);
  if (reverse) for (int64_t i = 0, j = n - 1; i < j; i++, j--) { kr_str *t = a[i]; a[i] = a[j]; a[j] = t; }
  return 0;
}
/* The characters of s in code-point order, as a new list of one-character strings (sorted(s)). */
static int kr_sort_cps(uint32_t *a, int64_t n) {
  /* counting is not stable-relevant for code points: equal code points are equal strings */
  if (n < 2) return 0;
  uint32_t *tmp = (uint32_t *)malloc((size_t)n * sizeof(uint32_t));
  if (!tmp) return kr_raise_memory_str();
  for (int64_t width = 1; width < n; width *= 2) {
    for (int64_t lo = 0; lo < n; lo += 2 * width) {
      int64_t mid = lo + width < n ? lo + width : n, hi = lo + 2 * width < n ? lo + 2 * width : n;
      int64_t i = lo, j = mid, k = lo;
      while (i < mid && j < hi) tmp[k++] = a[j] < a[i] ? a[j++] : a[i++];
      while (i < mid) tmp[k++] = a[i++];
      while (j < hi) tmp[k++] = a[j++];
    }
    memcpy(a, tmp, (size_t)n * sizeof(uint32_t));
  }
  free(tmp);
  return 0;
}
/* list(s), sorted(s), reversed(s): the characters of s as a new list of strings (order 0: as is, 1: sorted,
 * 2: reversed, 3: sorted descending). */
static kr_list *kr_str_chars_list(kr_str *s, int order) {
  kr_list *l = kr_list_new_objs(s->length);
  if (!l) return NULL;
  int64_t n = s->length;
  uint32_t *cps = (uint32_t *)malloc((size_t)(n ? n : 1) * sizeof(uint32_t));
  if (!cps) { l->len = 0; kr_raise_memory_str(); return NULL; }
  for (int64_t i = 0; i < n; i++) cps[i] = kr_str_at(s, order == 2 ? n - 1 - i : i);
  if ((order == 1 || order == 3) && kr_sort_cps(cps, n)) { free(cps); l->len = 0; return NULL; }
  if (order == 3) for (int64_t i = 0, j = n - 1; i < j; i++, j--) { uint32_t t = cps[i]; cps[i] = cps[j]; cps[j] = t; }
  for (int64_t i = 0; i < n; i++) {
    kr_str *c = kr_str_from_cp(cps[i]);
    if (!c) { l->len = i; free(cps); return NULL; }
    ((kr_str **)l->data)[i] = c;
  }
  free(cps);
  return l;
}
/* A list of strings from a kr_strvec (split and friends), taking over its references (the vec is emptied). */
static kr_list *kr_list_from_strvec(kr_strvec *v) {
  kr_list *l = kr_list_new_objs(0);
  if (!l) { kr_strvec_clear(v); return NULL; }
  l->data = v->items;
  l->len = v->len;
  l->cap = v->cap;
  v->items = NULL;
  v->len = v->cap = 0;
  return l;
}
/* x in lst, lst.count(x), lst.index(x) for a list of strings (code-point equality). */
static int64_t kr_strs_find(kr_str *const *a, int64_t n, const kr_str *x) {
  for (int64_t i = 0; i < n; i++) if (kr_str_eq(a[i], x)) return i;
  return -1;
}
/* a == b for two lists of strings. */
static int kr_strs_eq(kr_str *const *a, int64_t na, kr_str *const *b, int64_t nb) {
  if (na != nb) return 0;
  for (int64_t i = 0; i < na; i++) if (!kr_str_eq(a[i], b[i])) return 0;
  return 1;
}
static int64_t kr_strs_count(kr_str *const *a, int64_t n, const kr_str *x) {
  int64_t c = 0;
  for (int64_t i = 0; i < n; i++) c += kr_str_eq(a[i], x);
  return c;
}
/* list.index(x) of a list of strings: ValueError "'x' is not in list" (CPython 3.11's words). */
static KILN_COLD int kr_raise_not_in_list(const kr_str *x) {
  kr_msg_begin();
  kr_msg_repr(x, INT64_MAX);
  kr_msg_cstr(" is not in list");
  return kr_msg_raise(KILN_ValueError);
}
/* sub in b for bytes. Never fails. */
static int kr_bytes_contains(const kr_bytes *b, const kr_bytes *sub) {
  int64_t n = b->length, m = sub->length;
  if (m == 0) return 1;
  const uint8_t *p = KR_BYTES_DATA(b), *q = KR_BYTES_DATA(sub);
  for (int64_t i = 0; i + m <= n; i++) if (p[i] == q[0] && memcmp(p + i, q, (size_t)m) == 0) return 1;
  return 0;
}
/* raise Kind(message) with a str message, its one argument (KeyError's str() is the repr of its argument: `repr` set). */
static KILN_COLD int kr_raise_str(int kind, const kr_str *message, int repr) {
  kr_msg_begin();
  if (repr) kr_msg_repr(message, INT64_MAX); else kr_msg_str(message, INT64_MAX);
  kr_msg_raise(kind);
  return kr_raise_nargs(1);
}
/* raise X(a, b, ...) with several str arguments: str(e) is the repr of the tuple of them. Returns -1. */
static KILN_COLD int kr_raise_args(int kind, int nargs, const kr_str *const *args) {
  kr_msg_begin();
  kr_msg_cstr("(");
  for (int i = 0; i < nargs; i++) {
    if (i) kr_msg_cstr(", ");
    kr_msg_repr(args[i], INT64_MAX);
  }
  kr_msg_cstr(")");
  kr_msg_raise(kind);
  return kr_raise_nargs(nargs);
}
/* A Literal["a", "b"] parameter's value, checked on entry: ValueError naming the parameter and the values. */
static KILN_COLD int kr_raise_literal(const kr_str *s, const char *param, const char *allowed) {
  kr_msg_begin();
  kr_msg_repr(s, 200);
  kr_msg_cstr(" is not a valid value for parameter '");
  kr_msg_cstr(param);
  kr_msg_cstr("': ");
  kr_msg_cstr(allowed);
  return kr_msg_raise(KILN_ValueError);
}
/* A str parameter given by a C caller: UTF-8 and its length in bytes (a negative length: NUL-terminated). */
static kr_str *kr_str_from_c(const char *utf8, int64_t len) {
  if (!utf8) { if (len > 0) { kr_raise(KILN_ValueError, "a NULL pointer with a positive length for a str"); return NULL; } return kr_str_empty; }
  return kr_str_from_utf8(utf8, len < 0 ? (int64_t)strlen(utf8) : len);
}
static kr_bytes *kr_bytes_from_c(const uint8_t *p, int64_t len) {
  if (!p) { if (len > 0) { kr_raise(KILN_ValueError, "a NULL pointer with a positive length for bytes"); return NULL; } return KR_BYTES(kr_bytes_empty_lit); }
  return kr_bytes_from(p, len < 0 ? 0 : len);
}
/* The C ABI's bytes result: a malloc'd copy (with a 0 after it) the caller frees with kiln_free. */
static int kr_bytes_to_c(kr_bytes *b, uint8_t **data, int64_t *len) {
  uint8_t *buf = (uint8_t *)malloc((size_t)b->length + 1);
  if (!buf) return kr_raise_memory_str();
  memcpy(buf, KR_BYTES_DATA(b), (size_t)b->length);
  buf[b->length] = 0;
  *data = buf;
  *len = b->length;
  return 0;
}

/* ---- list[str] across the C ABI (lower/abi.ts): kiln_list_str { len, data } of kiln_str { data, len } ---- */
typedef struct { char *data; int64_t len; } kr_abi_str; /* the layout of kiln_str */

/* A list[str] parameter on entry: a new list (of the call's heap) of new str made from the caller's n items, each
 * UTF-8 and its length (negative: NUL-terminated; NULL with a length <= 0: the empty string). NULL with the error
 * raised: UnicodeDecodeError for invalid UTF-8 (as a str parameter), MemoryError. The caller's items are only read. */
static kr_list *kr_str_list_in(const kr_abi_str *items, int64_t n) {
  if (n < 0) n = 0;
  kr_list *l = kr_list_new_objs(n);
  if (!l) return NULL;
  for (int64_t i = 0; i < n; i++) {
    kr_str *s = kr_str_from_c(items[i].data, items[i].len);
    if (!s) return NULL; /* the items made so far, and the NULL ones after them, go with the heap */
    ((kr_obj **)l->data)[i] = (kr_obj *)s;
  }
  return l;
}

/* A list of str handed to the caller: *data a NEW array of *len kiln_str, each data a NEW NUL-terminated UTF-8
 * buffer (the caller frees each with kiln_free, then the array). For an in-out parameter whose entry copy failed
 * (`l` NULL), the caller's own n0 items are copied back, so that every call hands back new buffers. 0, or the error
 * kind with *data NULL and nothing left allocated: MemoryError, UnicodeEncodeError for a lone surrogate (no UTF-8). */
static int kr_str_list_out(const kr_list *l, const kr_abi_str *items0, int64_t n0, int64_t *len, kr_abi_str **data) {
  int64_t n = l ? l->len : (n0 > 0 ? n0 : 0);
  kr_abi_str *out = (kr_abi_str *)kr_export_alloc((size_t)(n ? n : 1) * sizeof(kr_abi_str));
  *data = NULL;
  if (!out) return kr_raise_memory(), KILN_MemoryError;
  int64_t i = 0;
  for (; i < n; i++) {
    if (l) {
      if (kr_str_to_c(((kr_str *const *)l->data)[i], &out[i].data, &out[i].len)) break;
      continue;
    }
    const char *src = items0[i].data;
    int64_t m = !src ? 0 : items0[i].len < 0 ? (int64_t)strlen(src) : items0[i].len;
    out[i].data = (char *)malloc((size_t)m + 1);
    if (!out[i].data) { kr_raise_memory(); break; }
    if (m) memcpy(out[i].data, src, (size_t)m);
    out[i].data[m] = 0;
    out[i].len = m;
  }
  if (i < n) {
    int kind = kr_err.kind;
    for (int64_t k = 0; k < i; k++) kr_free_out(out[k].data);
    kr_free_out(out);
    return kind;
  }
  *len = n;
  *data = out;
  return 0;
}

#ifdef KILN_DICT_H /* a unit with dicts includes kiln_dict.h first (lower/c.ts) */
/*
 * f(..., **d) of a dict[str, V] (types/calls.ts bindCall): d's keys bound to the callee's parameters as CPython's
 * initialize_locals binds keyword arguments, with its TypeErrors. `params` lists the callee's parameters the call
 * could name by keyword (and its positional-only ones), each with what the call does with it: KR_KW_FROM_DICT, the
 * parameter takes d's value (out[slot], BORROWED from d: the call's argument keeps d alive); KR_KW_POSITIONAL, given
 * by position; KR_KW_KEYWORD, given by an explicit keyword (or a record's **); KR_KW_POSONLY, positional-only;
 * KR_KW_FROM_DICT_OR_DEFAULT, d's value when d has the key (out[slot]), else the call passes the parameter's constant
 * default (out[slot] stays NULL); KR_KW_DEFAULT, left to a default the callee computes (a key naming it raises: the
 * default is not a constant of d's value type, Kiln's limit).
 * `fn` is the qualname CPython's binding messages use, `fn_dotted` module.qualname (the merge's message).
 * Returns 0, or -1 with the TypeError CPython raises for the same dict.
 */
enum { KR_KW_FROM_DICT, KR_KW_POSITIONAL, KR_KW_KEYWORD, KR_KW_POSONLY, KR_KW_DEFAULT, KR_KW_FROM_DICT_OR_DEFAULT };
typedef struct kr_kwparam { const char *name; uint8_t how, kwonly; int16_t slot; } kr_kwparam;

/* The index of the parameter a key of `len` bytes names, or nparams. */
static int kr_kwparam_index(const kr_kwparam *params, int nparams, const char *key, int64_t len) {
  int j = 0;
  while (j < nparams && !(strlen(params[j].name) == (size_t)len && memcmp(params[j].name, key, (size_t)len) == 0)) j++;
  return j;
}

static KILN_COLD int kr_kwbind_names(char *buf, size_t cap, const char *const *names, int n) {
  size_t k = 0;
  for (int i = 0; i < n && k < cap; i++) {
    const char *sep = i == 0 ? "" : n == 2 ? " and " : i == n - 1 ? ", and " : ", ";
    int w = snprintf(buf + k, cap - k, "%s'%s'", sep, names[i]);
    if (w < 0) break;
    k += (size_t)w;
  }
  return k < cap ? (int)k : (int)cap - 1;
}

static int kr_dict_bind_kwargs(kr_dict *d, const char *fn, const char *fn_dotted, const kr_kwparam *params, int nparams, void **out) {
  const kr_dict_ops *ops = kr_dict_opsof(d);
  char msg[512];
  int found[64] = {0};
  if (nparams > 64) return kr_raise(KILN_RuntimeError, "internal: more than 64 parameters bound from **");
  /* Two passes over d in order: the merge of the call's keywords (a key also given by an explicit keyword), then
   * the binding (an unknown key, a parameter filled twice). */
  for (int pass = 0; pass < 2; pass++) {
    for (int64_t ix = 0; ix < d->nentries; ix++) {
      char *e = KR_ENTRY(d, ops, ix);
      if (KR_EHASH(e) == -1) continue;
      int64_t len;
      const char *key = kr_str_utf8(*(kr_str **)(e + ops->koff), &len);
      if (!key) return -1;
      int j = kr_kwparam_index(params, nparams, key, len);
      int how = j < nparams ? params[j].how : -1;
      if (pass == 0) {
        if (how == KR_KW_KEYWORD) {
          snprintf(msg, sizeof msg, "%s() got multiple values for keyword argument '%.*s'", fn_dotted, (int)len, key);
          return kr_raise_copy(KILN_TypeError, msg, strlen(msg));
        }
        continue;
      }
      if (how == KR_KW_FROM_DICT || how == KR_KW_FROM_DICT_OR_DEFAULT) {
        out[params[j].slot] = e + ops->voff;
        found[j] = 1;
      } else if (how == KR_KW_POSITIONAL) {
        snprintf(msg, sizeof msg, "%s() got multiple values for argument '%.*s'", fn, (int)len, key);
        return kr_raise_copy(KILN_TypeError, msg, strlen(msg));
      } else if (how == KR_KW_DEFAULT) {
        snprintf(msg, sizeof msg, "%s() got '%.*s' from ** of a dict: Kiln compiled this call with the parameter's default, which is not a constant of the dict's value type (pass it by name)", fn, (int)len, key);
        return kr_raise_copy(KILN_TypeError, msg, strlen(msg));
      } else {
        /* Not a parameter a keyword may name: CPython first lists every key naming a positional-only parameter. */
        const char *posonly[64];
        int np = 0;
        for (int64_t jx = 0; jx < d->nentries; jx++) {
          char *f = KR_ENTRY(d, ops, jx);
          if (KR_EHASH(f) == -1) continue;
          int64_t flen;
          const char *fkey = kr_str_utf8(*(kr_str **)(f + ops->koff), &flen);
          if (!fkey) return -1;
          int q = kr_kwparam_index(params, nparams, fkey, flen);
          if (q < nparams && params[q].how == KR_KW_POSONLY && np < 64) posonly[np++] = params[q].name;
        }
        if (np) {
          int k = snprintf(msg, sizeof msg, "%s() got some positional-only arguments passed as keyword arguments: '", fn);
          for (int q = 0; q < np && k > 0 && (size_t)k < sizeof msg; q++) k += snprintf(msg + k, sizeof msg - (size_t)k, "%s%s", q ? ", " : "", posonly[q]);
          if (k > 0 && (size_t)k < sizeof msg - 1) { msg[k] = '\'', msg[k + 1] = 0; }
        } else {
          snprintf(msg, sizeof msg, "%s() got an unexpected keyword argument '%.*s'", fn, (int)len, key);
        }
        return kr_raise_copy(KILN_TypeError, msg, strlen(msg));
      }
    }
  }
  /* Required parameters d does not fill: the positional ones, then the keyword-only ones. */
  for (int kwonly = 0; kwonly < 2; kwonly++) {
    const char *missing[64];
    int nm = 0;
    for (int j = 0; j < nparams; j++)
      if (params[j].how == KR_KW_FROM_DICT && params[j].kwonly == kwonly && !found[j]) missing[nm++] = params[j].name;
    if (!nm) continue;
    int k = snprintf(msg, sizeof msg, "%s() missing %d required %s argument%s: ", fn, nm, kwonly ? "keyword-only" : "positional", nm == 1 ? "" : "s");
    if (k < 0 || (size_t)k >= sizeof msg) k = 0;
    k += kr_kwbind_names(msg + k, sizeof msg - (size_t)k, missing, nm);
    return kr_raise_copy(KILN_TypeError, msg, (size_t)k);
  }
  return 0;
}
#endif

#endif /* KILN_STR_H */
