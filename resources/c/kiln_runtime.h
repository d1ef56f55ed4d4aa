/*
 * Kiln runtime: Python's semantics for native scalars, as small static inline C functions.
 * Fallible operations return 0 on success, or set the error state and return -1, so generated
 * code checks one branch; the error carries the exception type, message, and the Python
 * frames (function, line) it went through.
 */
#ifndef KILN_RUNTIME_H
#define KILN_RUNTIME_H

#include <stdint.h>
#include <stdbool.h>
#include <string.h>
#include <math.h>
#include <float.h>
#include <stdlib.h>

#if defined(__GNUC__) || defined(__clang__)
#define KILN_UNLIKELY(x) __builtin_expect(!!(x), 0)
#define KILN_LIKELY(x) __builtin_expect(!!(x), 1)
#define KILN_COLD __attribute__((cold, noinline))
#define KILN_ALWAYS_INLINE inline __attribute__((always_inline))
#define KR_UNUSED __attribute__((unused))
#else
#define KR_UNUSED
#define KILN_ALWAYS_INLINE inline
#define KILN_UNLIKELY(x) (x)
#define KILN_LIKELY(x) (x)
#define KILN_COLD
#endif

/* hash(): CPython's int and float hashes are residues mod 2**61 - 1 (kiln_dict.h, kiln_bigint.h) */
#define KR_HASH_BITS 61
#define KR_HASH_MODULUS (((uint64_t)1 << KR_HASH_BITS) - 1)

#if defined(__wasm__) && !defined(__wasm_atomics__)
#define KILN_TLS /* single-threaded target */
#else
#define KILN_TLS _Thread_local
#endif

#if defined(_WIN32)
#define KILN_EXPORT __declspec(dllexport)
#else
#define KILN_EXPORT __attribute__((visibility("default")))
#endif

/* The runtime's mutable state (the error state, memory caches and free lists, the collector's generations, the
 * thread pool...) and the objects compared by address (type objects, shared empty tables) are declared with
 * KR_STATE. A library of one C unit (a module's) keeps them static. A library of several objects (a project's: one
 * object per module, so that a change rebuilds one object) defines KILN_SHARED_STATE in every object: each then
 * declares the state extern with hidden visibility (one copy in the library, invisible outside it), and the one
 * object that also defines KILN_RUNTIME_STATE defines it. KR_STATE_INIT(x) is the initialiser of a definition
 * (empty in a declaration). Windows (PE) exports only __declspec(dllexport) symbols: hidden is the default there. */
#if defined(_WIN32)
#define KILN_HIDDEN
#else
#define KILN_HIDDEN __attribute__((visibility("hidden")))
#endif
#if !defined(KILN_SHARED_STATE)
#define KR_STATE static
#define KR_STATE_INIT(...) = __VA_ARGS__
#elif defined(KILN_RUNTIME_STATE)
#define KR_STATE KILN_HIDDEN
#define KR_STATE_INIT(...) = __VA_ARGS__
#else
#define KR_STATE extern KILN_HIDDEN
#define KR_STATE_INIT(...)
#endif

/* The Python exceptions compiled code raises: the same kinds, in the same order, as src-compiler/lower/abi.ts
 * EXCEPTION_KINDS (tests/unit/abi.test.ts checks both tables against it). */
enum kr_error_kind {
  KILN_OK = 0,
  KILN_ZeroDivisionError = 1,
  KILN_OverflowError = 2,
  KILN_ValueError = 3,
  KILN_AssertionError = 4,
  KILN_UnboundLocalError = 5,
  KILN_TypeError = 6,
  KILN_IndexError = 7,
  KILN_RecursionError = 8,
  KILN_Exception = 9,
  KILN_ArithmeticError = 10,
  KILN_RuntimeError = 11,
  KILN_NotImplementedError = 12,
  KILN_KeyError = 13,
  KILN_MemoryError = 14,
  KILN_NameError = 15,
  KILN_LookupError = 16,
  KILN_UnicodeError = 17,
  KILN_UnicodeDecodeError = 18,
  KILN_UnicodeEncodeError = 19,
  KILN_AttributeError = 20,
  KILN_AxisError = 21,    /* numpy.exceptions.AxisError (a ValueError and an IndexError) */
  KILN_LinAlgError = 22,  /* numpy.linalg.LinAlgError (a ValueError) */
  KILN_StopIteration = 23, /* next(it) on an exhausted generator or iterator */
  KILN_SyntaxError = 24,  /* raised by the program only */
  KILN_EOFError = 25,     /* raised by the program only */
};
/* kiln_str.h's UnicodeDecodeError, UnicodeEncodeError and AttributeError are the table's (no placeholders). */
#define KILN_HAVE_STR_ERRORS 1

static const char *const kr_error_names[] = {
  "", "ZeroDivisionError", "OverflowError", "ValueError", "AssertionError", "UnboundLocalError",
  "TypeError", "IndexError", "RecursionError", "Exception", "ArithmeticError", "RuntimeError",
  "NotImplementedError", "KeyError", "MemoryError", "NameError", "LookupError", "UnicodeError",
  "UnicodeDecodeError", "UnicodeEncodeError", "AttributeError", "AxisError", "LinAlgError", "StopIteration",
  "SyntaxError", "EOFError",
};

/* An exception class of the program (`class ParseError(ValueError): pass`, lower/c_exceptions.ts): its name, the
 * built-in kind it is raised as (its nearest built-in base: every `except` of a built-in class tests the kind), and
 * its base when that is a class of the program too. */
struct kr_exc_class {
  const char *name;
  int kind;
  const struct kr_exc_class *base;
  int arg_repr; /* its one argument is not a str, and str(e) is also its repr (a generator's `return 5`: StopIteration(5)) */
  int text;     /* 1: its __str__ (or a base's) replaces BaseException's, so the message is str(e), not its argument;
                   2: its __repr__ does (kiln_except.h refuses e.args and repr(e) read without the instance) */
};

#define KILN_MAX_FRAMES 16
struct kr_error_state {
  int kind;
  const struct kr_exc_class *cls; /* the program's class of the exception, or NULL (a built-in one) */
  const char *message;
  void *object;     /* the instance an exception class with fields carries (a kr_obj *, owned; kr_set_object), or NULL */
  void *escaped;    /* that instance, of the error an exported call returned (owned; kiln_error_object): freed by the
                       next exported call or kiln_release_memory (kiln_object.h kr_err_keep_object) */
  int nargs;        /* len(e.args): 0 (raise X()), 1 (str(e) is the argument, or its repr for a KeyError), or more (str(e) is the args tuple's repr) */
  char buffer[160]; /* for messages built at run time */
  int depth;        /* recursion depth of compiled calls */
  int nframes;
  const char *frame_function[KILN_MAX_FRAMES];
  int frame_line[KILN_MAX_FRAMES];
};
KR_STATE KILN_TLS struct kr_error_state kr_err;

#define KILN_RECURSION_LIMIT 1000

static void kr_err_drop_object(void); /* kiln_object.h */
static KILN_COLD int kr_raise(int kind, const char *message) {
  if (KILN_UNLIKELY(kr_err.object != NULL)) kr_err_drop_object(); /* the instance of the exception this one replaces */
  kr_err.kind = kind;
  kr_err.cls = NULL;
  kr_err.message = message;
  kr_err.nargs = message && *message ? 1 : 0; /* a raise with one empty str says so (kr_raise_nargs) */
  kr_err.nframes = 0;
  return -1;
}
/* Sets len(e.args) of the exception just raised (raise X(""), raise X("a", "b")); returns -1. */
static KILN_COLD int kr_raise_nargs(int nargs) {
  if (kr_err.kind != KILN_MemoryError) kr_err.nargs = nargs;
  return -1;
}

static KILN_COLD int kr_raise_unbound(const char *name) {
  /* CPython 3.11+: cannot access local variable 'x' where it is not associated with a value */
  const char *a = "cannot access local variable '", *b = "' where it is not associated with a value";
  size_t la = strlen(a), ln = strlen(name), lb = strlen(b);
  if (la + ln + lb + 1 > sizeof kr_err.buffer) ln = sizeof kr_err.buffer - la - lb - 1;
  memcpy(kr_err.buffer, a, la);
  memcpy(kr_err.buffer + la, name, ln);
  memcpy(kr_err.buffer + la + ln, b, lb + 1);
  return kr_raise(KILN_UnboundLocalError, kr_err.buffer);
}

/* Raises with a message of any length built at run time (a KeyError carrying a long key's repr): short ones go in
 * kr_err.buffer, longer ones in a per-thread heap buffer kept for the next such message and freed by
 * kr_err_release (kiln_release_memory). `text` may point into either buffer. */
KR_STATE KILN_TLS char *kr_err_heap;
KR_STATE KILN_TLS size_t kr_err_heap_cap;
static KILN_COLD int kr_raise_copy(int kind, const char *text, size_t len) {
  char *dst = kr_err.buffer;
  if (len >= sizeof kr_err.buffer) {
    if (len >= kr_err_heap_cap) {
      char *grown = (char *)malloc(len + 1);
      if (!grown) return kr_raise(KILN_MemoryError, "");
      memcpy(grown, text, len);
      free(kr_err_heap);
      kr_err_heap = grown;
      kr_err_heap_cap = len + 1;
      text = grown;
    }
    dst = kr_err_heap;
  }
  memmove(dst, text, len);
  dst[len] = 0;
  return kr_raise(kind, dst);
}
/* An exception in flight across a finally clause that runs code which may raise and catch (overwriting kr_err):
 * its code in *code (its kind, or minus the address of its program class, as a caught exception's code), and a copy
 * of its message in *saved (NULL or malloc'd; the function frees it on exit). kr_exc_restore raises it again (its
 * class included) and frees the copy; returns -1. (lower/c_exceptions.ts) */
/* The saved copy: the text, its NUL, len(e.args), then the instance the exception carries (owned, or NULL). */
static KILN_COLD void kr_exc_forget(char **saved);
static KILN_COLD void kr_exc_save(int64_t *code, char **saved) {
  const char *m = kr_err.message ? kr_err.message : "";
  size_t n = strlen(m);
  *code = kr_err.cls ? -(int64_t)(intptr_t)kr_err.cls : kr_err.kind;
  kr_exc_forget(saved);
  *saved = (char *)malloc(n + 1 + sizeof(int) + sizeof(void *));
  if (*saved) {
    memcpy(*saved, m, n + 1);
    memcpy(*saved + n + 1, &kr_err.nargs, sizeof(int));
    memcpy(*saved + n + 1 + sizeof(int), &kr_err.object, sizeof(void *));
    kr_err.object = NULL;
  }
}
static KILN_COLD int kr_exc_restore(int64_t code, char **saved) {
  const struct kr_exc_class *c = code < 0 ? (const struct kr_exc_class *)(intptr_t)-code : NULL;
  if (!*saved) return kr_raise(KILN_MemoryError, "");
  size_t n = strlen(*saved);
  int nargs;
  void *object;
  memcpy(&nargs, *saved + n + 1, sizeof(int));
  memcpy(&object, *saved + n + 1 + sizeof(int), sizeof(void *));
  memset(*saved + n + 1 + sizeof(int), 0, sizeof(void *));
  if (kr_raise_copy(c ? c->kind : (int)code, *saved, n) == -1 && kr_err.kind != KILN_MemoryError) kr_err.nargs = nargs;
  kr_err.cls = c;
  kr_exc_forget(saved);
  if (kr_err.kind != KILN_MemoryError) kr_err.object = object;
  else if (object) { kr_err.object = object; kr_err_drop_object(); }
  return -1;
}
static void kr_err_release(void) {
  if (kr_err.message == kr_err_heap) kr_err.message = "";
  free(kr_err_heap);
  kr_err_heap = NULL;
  kr_err_heap_cap = 0;
}

/* Makes the error just raised (its kind is c->kind) one of the program's classes; returns -1. */
static KILN_COLD int kr_set_class(const struct kr_exc_class *c) {
  kr_err.cls = c;
  return -1;
}

/* Whether the error is of the program's class `name` or a subclass of it (an `except ParseError:`). */
static inline int kr_exc_is(const char *name) {
  for (const struct kr_exc_class *c = kr_err.cls; c; c = c->base) if (strcmp(c->name, name) == 0) return 1;
  return 0;
}

/* Records that the error passed through `function` at Python line `line` (innermost first). */
static KILN_COLD int kr_frame(const char *function, int line) {
  if (kr_err.nframes < KILN_MAX_FRAMES) {
    kr_err.frame_function[kr_err.nframes] = function;
    kr_err.frame_line[kr_err.nframes] = line;
    kr_err.nframes++;
  }
  return -1;
}

static inline void kr_reset(void) {
  kr_err.kind = KILN_OK;
  kr_err.cls = NULL;
  kr_err.message = "";
  kr_err.nframes = 0;
  kr_err.depth = 0;
}

/* Propagates an error from a fallible expression, recording the Python line. */
#define KILN_TRY(expr, fn, line) do { if (KILN_UNLIKELY((expr) != 0)) return kr_frame((fn), (line)); } while (0)

static const char kr_int_overflow_msg[] = "integer result does not fit in 64 bits (Python would give a bigger int)";
/* The error is that one: Kiln's limit, not an exception CPython raises (an except clause never catches it). */
#define KR_AT_INT_LIMIT() (kr_err.kind == KILN_OverflowError && kr_err.message == kr_int_overflow_msg)

/* ---- int (int64 with Python semantics; overflow raises OverflowError) ---- */
/* A running int sum kept exactly: the int64 wrapped value plus the number of wraps (positive or negative).
   The true sum fits in 64 bits exactly when `carry` is 0, whatever the order of the terms. */
static inline void kr_acc_add_i64(int64_t *acc, int64_t *carry, int64_t x) {
  int64_t t;
  if (KILN_UNLIKELY(__builtin_add_overflow(*acc, x, &t))) *carry += x < 0 ? -1 : 1;
  *acc = t;
}
static inline int kr_add_i64(int64_t a, int64_t b, int64_t *out) {
  if (KILN_UNLIKELY(__builtin_add_overflow(a, b, out))) return kr_raise(KILN_OverflowError, kr_int_overflow_msg);
  return 0;
}
/*
 * sum() of ints: CPython's total has to fit in 64 bits only at the end (a running total may leave them and come
 * back, sum([10, -4, 2**63 - 1, -29])). The wrapped total and the number of wraps: the result when no wrap remains.
 */
typedef struct { int64_t total; int64_t wraps; } kr_isum;
static inline void kr_isum_add(kr_isum *s, int64_t v) {
  int64_t r;
  if (__builtin_add_overflow(s->total, v, &r)) s->wraps += v > 0 ? 1 : -1;
  s->total = r;
}
static inline int kr_isum_end(const kr_isum *s, int64_t *out) {
  if (KILN_UNLIKELY(s->wraps != 0)) return kr_raise(KILN_OverflowError, kr_int_overflow_msg);
  *out = s->total;
  return 0;
}
static inline int kr_sub_i64(int64_t a, int64_t b, int64_t *out) {
  if (KILN_UNLIKELY(__builtin_sub_overflow(a, b, out))) return kr_raise(KILN_OverflowError, kr_int_overflow_msg);
  return 0;
}
static inline int kr_mul_i64(int64_t a, int64_t b, int64_t *out) {
  if (KILN_UNLIKELY(__builtin_mul_overflow(a, b, out))) return kr_raise(KILN_OverflowError, kr_int_overflow_msg);
  return 0;
}
static inline int kr_neg_i64(int64_t a, int64_t *out) {
  if (KILN_UNLIKELY(a == INT64_MIN)) return kr_raise(KILN_OverflowError, kr_int_overflow_msg);
  *out = -a;
  return 0;
}
static inline int kr_abs_i64(int64_t a, int64_t *out) {
  if (KILN_UNLIKELY(a == INT64_MIN)) return kr_raise(KILN_OverflowError, kr_int_overflow_msg);
  *out = a < 0 ? -a : a;
  return 0;
}
/* A divisor known at compile time to be a positive power of two: Python's floor division is an arithmetic
   shift and its modulo a mask (two's complement), exactly, with nothing to raise. */
#define KILN_CONST_POW2(b) (__builtin_constant_p(b) && (b) > 0 && ((b) & ((b) - 1)) == 0)
/* Python's // and % round toward minus infinity, C's toward zero. A constant positive divisor: C's, then a
   branch-free fix-up. Otherwise the two agree when neither operand is negative, which is tested first (a counter
   modulo a length: one predictable branch, and a result the C compiler knows is in [0, b)); the fix-up after it is
   branch-free too (the sign of a remainder is data: a mispredicted branch costs more than the add). */
#define KILN_CONST_POS(b) (__builtin_constant_p(b) && (b) > 0)
static inline int kr_floordiv_i64(int64_t a, int64_t b, int64_t *out) {
  if (KILN_CONST_POW2(b)) { *out = a >> __builtin_ctzll((uint64_t)b); return 0; }
  if (KILN_CONST_POS(b)) { *out = a / b - (a % b < 0); return 0; }
  if (KILN_LIKELY(a >= 0 && b > 0)) { *out = a / b; return 0; }
  if (KILN_UNLIKELY(b == 0)) return kr_raise(KILN_ZeroDivisionError, "integer division or modulo by zero");
  if (KILN_UNLIKELY(a == INT64_MIN && b == -1)) return kr_raise(KILN_OverflowError, kr_int_overflow_msg);
  int64_t q = a / b, r = a % b;
  *out = q - ((r != 0) & ((r ^ b) < 0));
  return 0;
}
static inline int kr_mod_i64(int64_t a, int64_t b, int64_t *out) {
  if (KILN_CONST_POW2(b)) { *out = a & (b - 1); return 0; }
  if (KILN_CONST_POS(b)) { int64_t r = a % b; *out = r + (r < 0 ? b : 0); return 0; }
  if (KILN_LIKELY(a >= 0 && b > 0)) { *out = a % b; return 0; }
  if (KILN_UNLIKELY(b == 0)) return kr_raise(KILN_ZeroDivisionError, "integer modulo by zero");
  if (b == -1) { *out = 0; return 0; }
  int64_t r = a % b;
  *out = r + (b & -(int64_t)((r != 0) & ((r ^ b) < 0)));
  return 0;
}
static inline int kr_divmod_i64(int64_t a, int64_t b, int64_t *q, int64_t *r) {
  if (KILN_UNLIKELY(b == 0)) return kr_raise(KILN_ZeroDivisionError, "integer division or modulo by zero");
  if (kr_floordiv_i64(a, b, q)) return -1;
  return kr_mod_i64(a, b, r);
}

/* Exact comparison of two integers of any C integer types up to 64 bits (signed or not), as Python
   compares, with no 128-bit integers (32-bit targets have none). */
static inline int kr_icmp3(int a_negative, uint64_t a, int b_negative, uint64_t b) {
  if (a_negative != b_negative) return a_negative ? -1 : 1;
  return a < b ? -1 : a > b; /* same sign: two's complement order is the numeric order */
}
#define KILN_ICMP(a, op, b) (kr_icmp3((a) < 0, (uint64_t)(a), (b) < 0, (uint64_t)(b)) op 0)

/* int / int: correctly rounded, as CPython's long true division. */
static inline int kr_truediv_i64(int64_t a, int64_t b, double *out) {
  if (KILN_UNLIKELY(b == 0)) return kr_raise(KILN_ZeroDivisionError, "division by zero");
  const int64_t lim = (int64_t)1 << 53;
  if (a >= -lim && a <= lim && b >= -lim && b <= lim) { *out = (double)a / (double)b; return 0; }
  int negative = (a < 0) != (b < 0);
  uint64_t ua = a < 0 ? (uint64_t)0 - (uint64_t)a : (uint64_t)a;
  uint64_t ub = b < 0 ? (uint64_t)0 - (uint64_t)b : (uint64_t)b;
  if (ua == 0) { *out = negative ? -0.0 : 0.0; return 0; }
  /* Long division in 64-bit words (no __int128: 32-bit targets lack it, and it would pull in compiler-rt):
     q * 2^-e is ua/ub truncated to at least 55 significant bits; r != 0 is the sticky bit. */
  uint64_t q = ua / ub, r = ua % ub;
  int e = 0;
  int bits = q ? 64 - __builtin_clzll(q) : 0;
  while (bits < 55) {
    r <<= 1; /* r < ub <= 2^63, so no overflow */
    q <<= 1;
    e++;
    if (r >= ub) { r -= ub; q |= 1; }
    if (q) bits = 64 - __builtin_clzll(q);
  }
  int extra = bits - 53;
  uint64_t mant = q >> extra, dropped = q & (((uint64_t)1 << extra) - 1);
  uint64_t half = (uint64_t)1 << (extra - 1);
  if (dropped > half || (dropped == half && (r != 0 || (mant & 1)))) mant++;
  double res = ldexp((double)mant, extra - e);
  *out = negative ? -res : res;
  return 0;
}

static inline int kr_pow_i64(int64_t base, int64_t exp, int64_t *out) {
  if (KILN_UNLIKELY(exp < 0)) {
    return kr_raise(KILN_ValueError, "negative exponent: Python gives a float here; write float(a) ** b to compile it");
  }
  int64_t result = 1;
  while (exp > 0) {
    if (exp & 1) { if (KILN_UNLIKELY(__builtin_mul_overflow(result, base, &result))) return kr_raise(KILN_OverflowError, kr_int_overflow_msg); }
    exp >>= 1;
    if (exp > 0 && KILN_UNLIKELY(__builtin_mul_overflow(base, base, &base))) return kr_raise(KILN_OverflowError, kr_int_overflow_msg);
  }
  *out = result;
  return 0;
}

/* (a * b) mod m for a, b < m <= 2^63, by doubling: no 128-bit arithmetic needed. */
static inline uint64_t kr_mulmod_u64(uint64_t a, uint64_t b, uint64_t m) {
  uint64_t result = 0;
  a %= m;
  while (b) {
    if (b & 1) { result += a; if (result >= m) result -= m; }
    a <<= 1; /* a < m <= 2^63: fits */
    if (a >= m) a -= m;
    b >>= 1;
  }
  return result;
}

/* pow(base, exp, mod), as Python: the result has the sign of mod; a negative exponent uses the inverse. */
static inline int kr_powmod_i64(int64_t base, int64_t exp, int64_t mod, int64_t *out) {
  if (KILN_UNLIKELY(mod == 0)) return kr_raise(KILN_ValueError, "pow() 3rd argument cannot be 0");
  int negative_mod = mod < 0;
  uint64_t m = negative_mod ? (uint64_t)0 - (uint64_t)mod : (uint64_t)mod;
  uint64_t b = base < 0 ? (uint64_t)0 - (uint64_t)base : (uint64_t)base;
  b %= m;
  if (base < 0 && b != 0) b = m - b;
  uint64_t e;
  if (exp < 0) {
    /* modular inverse by the extended Euclidean algorithm; |t| stays below m */
    int64_t t = 0, newt = 1;
    uint64_t r = m, newr = b;
    while (newr != 0) {
      uint64_t qq = r / newr, tmp_r = r - qq * newr;
      int64_t tmp_t = t - (int64_t)qq * newt;
      t = newt; newt = tmp_t;
      r = newr; newr = tmp_r;
    }
    if (r != 1 && m != 1) return kr_raise(KILN_ValueError, "base is not invertible for the given modulus");
    b = t < 0 ? (uint64_t)(t + (int64_t)m) : (uint64_t)t;
    e = (uint64_t)0 - (uint64_t)exp;
  } else {
    e = (uint64_t)exp;
  }
  uint64_t result = 1 % m;
  while (e) {
    if (e & 1) result = kr_mulmod_u64(result, b, m);
    b = kr_mulmod_u64(b, b, m);
    e >>= 1;
  }
  int64_t res = (int64_t)result;
  if (negative_mod && result != 0) res = (int64_t)(result - m);
  *out = res;
  return 0;
}

/* Exact comparison of any two integers (int64 or uint64 sides): -1, 0 or 1. */
static inline int kr_cmp_i64_u64(int64_t a, uint64_t b) {
  if (a < 0) return -1;
  return (uint64_t)a < b ? -1 : (uint64_t)a > b ? 1 : 0;
}

static inline int kr_lshift_i64(int64_t a, int64_t n, int64_t *out) {
  if (KILN_UNLIKELY(n < 0)) return kr_raise(KILN_ValueError, "negative shift count");
  if (a == 0) { *out = 0; return 0; }
  if (KILN_UNLIKELY(n >= 64)) return kr_raise(KILN_OverflowError, kr_int_overflow_msg);
  int64_t r = (int64_t)((uint64_t)a << n);
  if (KILN_UNLIKELY((r >> n) != a)) return kr_raise(KILN_OverflowError, kr_int_overflow_msg);
  *out = r;
  return 0;
}
static inline int kr_rshift_i64(int64_t a, int64_t n, int64_t *out) {
  if (KILN_UNLIKELY(n < 0)) return kr_raise(KILN_ValueError, "negative shift count");
  *out = n >= 64 ? (a < 0 ? -1 : 0) : (a >> n); /* arithmetic shift: floor division by 2**n */
  return 0;
}

/* The platform's libm at run time, never the C compiler's: on a constant argument the compiler computes sin,
   tan, log... with its own math library (Zig's is musl's), which can differ in the last bit from the platform's,
   the one CPython calls (tan(7.0): 0.8714479827243187 folded, 0.8714479827243188 from glibc). The value passes
   through an empty asm (free) or a volatile (elsewhere), which the optimiser cannot see through. */
static inline double kr_libm_arg(double x) {
#if (defined(__GNUC__) || defined(__clang__)) && defined(__x86_64__)
  __asm__("" : "+x"(x));
#elif (defined(__GNUC__) || defined(__clang__)) && defined(__aarch64__)
  __asm__("" : "+w"(x));
#else
  volatile double v = x;
  x = v;
#endif
  return x;
}
/* The C library's pow, acosh, asinh and atanh, except on MinGW (windows-x64, windows-arm64), where they are far
   from glibc's (pow by up to 148 ulps, acosh 61, asinh and atanh 3; docs/design/numbers.md): Kiln's own there
   (kiln_libm.h), correctly rounded pow and glibc's formulas on correctly rounded log and log1p, within an ulp. */
#include "kiln_libm.h"
#ifdef _WIN32
static inline double kr_libm_pow(double x, double y) { return kr_pow_cr(x, y); }
static inline double kr_libm_acosh(double x) { return kr_acosh_cr(x); }
static inline double kr_libm_asinh(double x) { return kr_asinh_cr(x); }
static inline double kr_libm_atanh(double x) { return kr_atanh_cr(x); }
#else
static inline double kr_libm_pow(double x, double y) { return pow(kr_libm_arg(x), y); }
static inline double kr_libm_acosh(double x) { return acosh(x); }
static inline double kr_libm_asinh(double x) { return asinh(x); }
static inline double kr_libm_atanh(double x) { return atanh(x); }
#endif

/* ---- float (C double, IEEE 754, Python's error rules) ---- */
static inline int kr_truediv_f64(double a, double b, double *out) {
  if (KILN_UNLIKELY(b == 0.0)) return kr_raise(KILN_ZeroDivisionError, "float division by zero");
  *out = a / b;
  return 0;
}
/* CPython's float_divmod, exactly. */
static inline void kr_divmod_f64_raw(double vx, double wx, double *floordiv, double *modv) {
  double div, mod = fmod(vx, wx);
  div = (vx - mod) / wx;
  if (mod) {
    if ((wx < 0) != (mod < 0)) { mod += wx; div -= 1.0; }
  } else {
    mod = copysign(0.0, wx);
  }
  if (div) {
    double fd = floor(div);
    if (div - fd > 0.5) fd += 1.0;
    div = fd;
  } else {
    div = copysign(0.0, vx / wx);
  }
  *floordiv = div;
  *modv = mod;
}
static inline int kr_floordiv_f64(double a, double b, double *out) {
  if (KILN_UNLIKELY(b == 0.0)) return kr_raise(KILN_ZeroDivisionError, "float floor division by zero");
  double m;
  kr_divmod_f64_raw(a, b, out, &m);
  return 0;
}
static inline int kr_mod_f64(double a, double b, double *out) {
  if (KILN_UNLIKELY(b == 0.0)) return kr_raise(KILN_ZeroDivisionError, "float modulo");
  double mod = fmod(a, b);
  if (mod) {
    if ((b < 0) != (mod < 0)) mod += b;
  } else {
    mod = copysign(0.0, b);
  }
  *out = mod;
  return 0;
}
static inline int kr_divmod_f64(double a, double b, double *q, double *r) {
  if (KILN_UNLIKELY(b == 0.0)) return kr_raise(KILN_ZeroDivisionError, "float divmod()");
  kr_divmod_f64_raw(a, b, q, r);
  return 0;
}

/* float ** float: CPython's float_pow rules. */
static inline int kr_pow_f64(double iv, double iw, double *out) {
  if (iw == 0) { *out = 1.0; return 0; }
  if (isnan(iv)) { *out = iv == 1.0 ? 1.0 : iv; return 0; }
  if (isnan(iw)) { *out = iv == 1.0 ? 1.0 : iw; return 0; }
  if (isinf(iw)) {
    double a = fabs(iv);
    if (a == 1.0) *out = 1.0;
    else if ((iw > 0) == (a > 1.0)) *out = fabs(iw);
    else *out = 0.0;
    return 0;
  }
  if (isinf(iv)) {
    int odd = fmod(fabs(iw), 2.0) == 1.0;
    if (iw > 0) *out = odd ? iv : fabs(iv);
    else *out = odd ? copysign(0.0, iv) : 0.0;
    return 0;
  }
  if (iv == 0.0) {
    int odd = fmod(fabs(iw), 2.0) == 1.0;
    if (iw < 0.0) return kr_raise(KILN_ZeroDivisionError, "0.0 cannot be raised to a negative power");
    *out = odd ? iv : 0.0;
    return 0;
  }
  int negate = 0;
  if (iv < 0.0) {
    if (iw != floor(iw)) {
      return kr_raise(KILN_ValueError, "negative number cannot be raised to a fractional power (Python gives a complex number)");
    }
    iv = -iv;
    negate = fmod(fabs(iw), 2.0) == 1.0;
  }
  if (iv == 1.0) { *out = negate ? -1.0 : 1.0; return 0; }
  double ix = kr_libm_pow(iv, iw);
  if (isinf(ix)) return kr_raise(KILN_OverflowError, "(34, 'Numerical result out of range')");
  *out = negate ? -ix : ix;
  return 0;
}

/* Exact comparison of an int with a float, as Python does (no rounding of the int). Returns -1, 0, 1, or 2 when unordered (NaN). */
static inline int kr_cmp_i64_f64(int64_t i, double d) {
  if (isnan(d)) return 2;
  if (d >= 9223372036854775808.0) return -1;
  if (d < -9223372036854775808.0) return 1;
  double t = trunc(d);
  int64_t ti = (int64_t)t;
  if (i < ti) return -1;
  if (i > ti) return 1;
  if (d > t) return -1;
  if (d < t) return 1;
  return 0;
}

/* Truncation with no test: INT64_MIN for NaN and anything out of range (cvttsd2si's own answer on x86-64, and
 * NumPy's unsafe float -> int64 cast there). */
static inline int64_t kr_f64_to_i64_raw(double x) {
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
  typedef double kr_v2df __attribute__((vector_size(16)));
  return __builtin_ia32_cvttsd2si64((kr_v2df){x, 0.0});
#else
  return x >= -9223372036854775808.0 && x < 9223372036854775808.0 ? (int64_t)x : INT64_MIN;
#endif
}
/* float -> int: truncation (int(), math.trunc) or floor/ceil, with Python's errors. */
static inline int kr_f64_to_i64_checked(double x, int64_t *out) {
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
  /* One integer test on the result: INT64_MIN stands for NaN and anything out of range (and -2**63 itself). */
  int64_t r = kr_f64_to_i64_raw(x);
  if (KILN_LIKELY(r != INT64_MIN)) { *out = r; return 0; }
#endif
  /* One test on the common path (false for NaN and infinities too); the cast truncates toward zero. */
  if (KILN_LIKELY(x >= -9223372036854775808.0 && x < 9223372036854775808.0)) {
    *out = (int64_t)x;
    return 0;
  }
  if (KILN_UNLIKELY(isnan(x))) return kr_raise(KILN_ValueError, "cannot convert float NaN to integer");
  if (KILN_UNLIKELY(isinf(x))) return kr_raise(KILN_OverflowError, "cannot convert float infinity to integer");
  if (KILN_UNLIKELY(x >= 9223372036854775808.0 || x < -9223372036854775808.0)) return kr_raise(KILN_OverflowError, kr_int_overflow_msg);
  *out = (int64_t)x;
  return 0;
}
static inline int kr_trunc_f64(double x, int64_t *out) { return kr_f64_to_i64_checked(x, out); /* (int64_t) truncates */ }
static inline int kr_floor_f64(double x, int64_t *out) { return kr_f64_to_i64_checked(floor(x), out); }
static inline int kr_ceil_f64(double x, int64_t *out) { return kr_f64_to_i64_checked(ceil(x), out); }
/* round(x): half to even, as Python */
static inline int kr_round_f64(double x, int64_t *out) {
  double r = round(x);
  if (fabs(x - trunc(x)) == 0.5) r = 2.0 * round(x / 2.0);
  return kr_f64_to_i64_checked(r, out);
}

/* round(x, n) for a float: correctly rounded through the shortest decimal string, as CPython's dtoa-based code. */
#include <stdio.h>
#include <stdlib.h>
static inline int kr_round_f64_nd(double x, int64_t ndigits, double *out) {
  if (!isfinite(x) || x == 0.0) { *out = x; return 0; }
  if (ndigits > 323) { *out = x; return 0; }
  if (ndigits < -308) { *out = copysign(0.0, x); return 0; }
  char buf[400];
  if (ndigits >= 0) {
    snprintf(buf, sizeof buf, "%.*f", (int)ndigits, x);
    double r = strtod(buf, NULL);
    if (KILN_UNLIKELY(isinf(r))) return kr_raise(KILN_OverflowError, "rounded value too large to represent");
    *out = r;
    return 0;
  }
  /* negative ndigits: round to a multiple of 10**-ndigits, half to even, on the exact value of x */
  int e10;
  snprintf(buf, sizeof buf, "%.17e", x);
  e10 = atoi(strchr(buf, 'e') + 1);
  int keep = e10 + (int)ndigits; /* digits after the leading one to keep */
  if (keep >= 0) {
    snprintf(buf, sizeof buf, "%.*e", keep, x);
    double r = strtod(buf, NULL);
    if (KILN_UNLIKELY(isinf(r))) return kr_raise(KILN_OverflowError, "rounded value too large to represent");
    *out = r;
    return 0;
  }
  if (keep < -1) { *out = copysign(0.0, x); return 0; }
  /* |x| < 10**(-ndigits): the result is 0 or +-10**(-ndigits); a tie (x == 5*10**(-ndigits-1), exact as a
     double up to 5e22) rounds to the even multiple, 0. */
  snprintf(buf, sizeof buf, "5e%d", (int)(-ndigits - 1));
  double half = strtod(buf, NULL);
  snprintf(buf, sizeof buf, "1e%d", (int)(-ndigits));
  double unit = strtod(buf, NULL);
  *out = fabs(x) > half ? copysign(unit, x) : copysign(0.0, x);
  return 0;
}
static inline int kr_round_i64_nd(int64_t x, int64_t ndigits, int64_t *out) {
  if (ndigits >= 0) { *out = x; return 0; }
  if (ndigits < -18) { *out = 0; return 0; }
  int64_t p = 1;
  for (int64_t i = 0; i < -ndigits; i++) p *= 10;
  /* round half to even at multiples of p */
  int64_t q, r;
  kr_divmod_i64(x, p, &q, &r);
  int64_t twice = r * 2; /* r < p <= 1e18, so 2r fits */
  if (twice > p || (twice == p && (q & 1))) q += 1;
  if (KILN_UNLIKELY(__builtin_mul_overflow(q, p, out))) return kr_raise(KILN_OverflowError, kr_int_overflow_msg);
  return 0;
}

/* ---- math module: CPython's math_1 / math_2 error rules ---- */
static inline int kr_math_check1(double r, double x, int can_overflow, double *out) {
  if (KILN_UNLIKELY(isnan(r) && !isnan(x))) return kr_raise(KILN_ValueError, "math domain error");
  if (KILN_UNLIKELY(isinf(r) && isfinite(x))) {
    return can_overflow ? kr_raise(KILN_OverflowError, "math range error") : kr_raise(KILN_ValueError, "math domain error");
  }
  *out = r;
  return 0;
}
static inline int kr_math_check2(double r, double x, double y, double *out) {
  if (KILN_UNLIKELY(isnan(r) && !isnan(x) && !isnan(y))) return kr_raise(KILN_ValueError, "math domain error");
  if (KILN_UNLIKELY(isinf(r) && isfinite(x) && isfinite(y))) return kr_raise(KILN_OverflowError, "math range error");
  *out = r;
  return 0;
}
static inline int kr_sqrt(double x, double *out) {
  if (KILN_UNLIKELY(x < 0)) return kr_raise(KILN_ValueError, "math domain error");
  *out = sqrt(x);
  return 0;
}
/* CPython's m_log: log of 0 or a negative number is a domain error. */
static inline int kr_log_any(double x, int which, double *out) {
  if (isfinite(x) && x <= 0.0) return kr_raise(KILN_ValueError, "math domain error");
  if (isnan(x) || (isinf(x) && x > 0)) { *out = x; return 0; }
  if (isinf(x)) return kr_raise(KILN_ValueError, "math domain error");
  x = kr_libm_arg(x);
#ifdef _WIN32
  /* mingw's log of a subnormal is far off (log(5e-324): -2143.8, not -2141.7): Kiln's correctly rounded log there */
  if (which != 2 && which != 10 && x < 0x1p-1022) { *out = kr_log_cr(x); return 0; }
#endif
  *out = which == 2 ? log2(x) : which == 10 ? log10(x) : log(x);
  return 0;
}
static inline int kr_log(double x, double *out) { return kr_log_any(x, 0, out); }
static inline int kr_log2(double x, double *out) { return kr_log_any(x, 2, out); }
static inline int kr_log10(double x, double *out) { return kr_log_any(x, 10, out); }
static inline int kr_log_base(double x, double base, double *out) {
  double num, den;
  if (kr_log(x, &num) || kr_log(base, &den)) return -1;
  if (KILN_UNLIKELY(den == 0.0)) return kr_raise(KILN_ZeroDivisionError, "float division by zero");
  *out = num / den;
  return 0;
}
static inline int kr_exp(double x, double *out) { return kr_math_check1(exp(kr_libm_arg(x)), x, 1, out); }
static inline int kr_sin(double x, double *out) { return kr_math_check1(sin(kr_libm_arg(x)), x, 0, out); }
static inline int kr_cos(double x, double *out) { return kr_math_check1(cos(kr_libm_arg(x)), x, 0, out); }
static inline int kr_tan(double x, double *out) { return kr_math_check1(tan(kr_libm_arg(x)), x, 0, out); }
static inline int kr_asin(double x, double *out) { return kr_math_check1(asin(kr_libm_arg(x)), x, 0, out); }
static inline int kr_acos(double x, double *out) { return kr_math_check1(acos(kr_libm_arg(x)), x, 0, out); }
static inline int kr_atan(double x, double *out) { return kr_math_check1(atan(kr_libm_arg(x)), x, 0, out); }
static inline int kr_sinh(double x, double *out) { return kr_math_check1(sinh(kr_libm_arg(x)), x, 1, out); }
static inline int kr_cosh(double x, double *out) { return kr_math_check1(cosh(kr_libm_arg(x)), x, 1, out); }
static inline int kr_tanh(double x, double *out) { return kr_math_check1(tanh(kr_libm_arg(x)), x, 0, out); }
static inline int kr_atan2(double y, double x, double *out) { return kr_math_check2(atan2(kr_libm_arg(y), x), y, x, out); }
/* x * y exactly as hi + lo, in CPython's dl_mul's steps (vector_norm below must give CPython's bits; kiln_libm.h's
   kr_dd_two_prod rounds hi as the plain product) */
static inline kr_dd kr_dd_dl_mul(double x, double y) {    /* Dekker's product with Veltkamp splitting: no fma */
  double t = x * 134217729.0, xh = t - (t - x), xl = x - xh;
  t = y * 134217729.0;
  double yh = t - (t - y), yl = y - yh;
  double p = xh * yh, q = xh * yl + xl * yh, z = p + q;
  return (kr_dd){ z, p - z + q + xl * yl };
}

/* sqrt(sum(v[i]**2)) for v[i] >= 0 with max = max(v), as CPython's vector_norm (math.hypot, math.dist): lossless
 * scaling by a power of two, exact squares, compensated summation, and one differential correction of the root:
 * the same steps in the same order, so the same float. `v` is scaled in place. */
static double kr_vector_norm(double *v, int64_t n, double max, int found_nan) {
  if (isinf(max)) return max;
  if (found_nan) return NAN;
  if (max == 0.0 || n <= 1) return max;
  int max_e;
  frexp(max, &max_e);
  if (max_e < -1023) {   /* ldexp(1.0, -max_e) would overflow: bring subnormals up first */
    for (int64_t i = 0; i < n; i++) v[i] /= DBL_MIN;
    return DBL_MIN * kr_vector_norm(v, n, max / DBL_MIN, found_nan);
  }
  double scale = ldexp(1.0, -max_e), csum = 1.0, frac1 = 0.0, frac2 = 0.0, x, h;
  kr_dd pr, sm;
  for (int64_t i = 0; i < n; i++) {
    x = v[i] * scale;              /* lossless */
    pr = kr_dd_dl_mul(x, x);          /* exact square */
    sm = kr_dd_fast_sum(csum, pr.hi);
    csum = sm.hi;
    frac1 += pr.lo;
    frac2 += sm.lo;
  }
  h = sqrt(csum - 1.0 + (frac1 + frac2));
  pr = kr_dd_dl_mul(-h, h);
  sm = kr_dd_fast_sum(csum, pr.hi);
  csum = sm.hi;
  frac1 += pr.lo;
  frac2 += sm.lo;
  x = csum - 1.0 + (frac1 + frac2);
  h += x / (2.0 * h);              /* differential correction */
  return h / scale;
}
/* math.hypot(x, y): CPython 3.11 computes it with vector_norm, not the C library's hypot (glibc's differs from it
 * in about 0.6% of cases, by an ulp) */
static inline double kr_hypot(double x, double y) {
  double v[2] = { fabs(x), fabs(y) };
  double max = v[0] > v[1] ? v[0] : v[1];
  return kr_vector_norm(v, 2, max, isnan(v[0]) || isnan(v[1]));
}
static inline int kr_fmod(double x, double y, double *out) {
  if (isinf(y) && isfinite(x)) { *out = x; return 0; }
  double r = fmod(x, y);
  if (KILN_UNLIKELY(isnan(r) && !isnan(x) && !isnan(y))) return kr_raise(KILN_ValueError, "math domain error");
  *out = r;
  return 0;
}
/* math.pow: CPython's math_pow special cases. */
static inline int kr_math_pow(double x, double y, double *out) {
  double r;
  int odd_y;
  if (!isfinite(x) || !isfinite(y)) {
    if (isnan(x)) r = y == 0.0 ? 1.0 : x;
    else if (isnan(y)) r = x == 1.0 ? 1.0 : y;
    else if (isinf(x)) {
      odd_y = isfinite(y) && fmod(fabs(y), 2.0) == 1.0;
      if (y > 0.) r = odd_y ? x : fabs(x);
      else if (y == 0.) r = 1.;
      else r = odd_y ? copysign(0., x) : 0.;
    } else { /* y is +-inf */
      if (fabs(x) == 1.0) r = 1.;
      else if (y > 0. && fabs(x) > 1.0) r = y;
      else if (y < 0. && fabs(x) < 1.0) r = -y;
      else r = 0.;
    }
    *out = r;
    return 0;
  }
  if (x == 0.0 && y < 0.0) return kr_raise(KILN_ValueError, "math domain error");
  if (x < 0.0 && y != floor(y)) return kr_raise(KILN_ValueError, "math domain error");
  r = kr_libm_pow(x, y);
  if (KILN_UNLIKELY(isinf(r))) return kr_raise(KILN_OverflowError, "math range error");
  *out = r;
  return 0;
}
static inline int64_t kr_gcd_u(uint64_t a, uint64_t b) {
  while (b) { uint64_t t = a % b; a = b; b = t; }
  return (int64_t)a;
}
static inline int kr_gcd_i64(int64_t a, int64_t b, int64_t *out) {
  uint64_t ua = a < 0 ? (uint64_t)0 - (uint64_t)a : (uint64_t)a;
  uint64_t ub = b < 0 ? (uint64_t)0 - (uint64_t)b : (uint64_t)b;
  uint64_t g = (uint64_t)kr_gcd_u(ua, ub);
  if (KILN_UNLIKELY(g > (uint64_t)INT64_MAX)) return kr_raise(KILN_OverflowError, kr_int_overflow_msg);
  *out = (int64_t)g;
  return 0;
}

/* NumPy: a Python int given to a NumPy integer type must fit it (NumPy 2 raises OverflowError). */
#define KILN_NP_FROM_PYINT(NAME, CT, LO, HI, NPNAME) \
  static inline int kr_np_##NAME##_from_int(int64_t v, CT *out) { \
    if (KILN_UNLIKELY((v) < (LO) || (HI) < (v))) return kr_raise(KILN_OverflowError, "Python integer out of bounds for " NPNAME); \
    *out = (CT)v; return 0; }
KILN_NP_FROM_PYINT(int8, int8_t, INT8_MIN, INT8_MAX, "int8")
KILN_NP_FROM_PYINT(int16, int16_t, INT16_MIN, INT16_MAX, "int16")
KILN_NP_FROM_PYINT(int32, int32_t, INT32_MIN, INT32_MAX, "int32")
KILN_NP_FROM_PYINT(int64, int64_t, INT64_MIN, INT64_MAX, "int64")
KILN_NP_FROM_PYINT(uint8, uint8_t, 0, UINT8_MAX, "uint8")
KILN_NP_FROM_PYINT(uint16, uint16_t, 0, UINT16_MAX, "uint16")
KILN_NP_FROM_PYINT(uint32, uint32_t, 0, UINT32_MAX, "uint32")
static inline int kr_np_uint64_from_int(int64_t v, uint64_t *out) {
  if (KILN_UNLIKELY(v < 0)) return kr_raise(KILN_OverflowError, "Python integer out of bounds for uint64");
  *out = (uint64_t)v; return 0;
}

/* NumPy integer floor division and remainder: division by zero gives 0 (with a warning in NumPy), never an exception. */
#define KILN_NP_INTDIV(NAME, CT, SIGNED) \
  static inline CT kr_np_floordiv_##NAME(CT a, CT b) { \
    if (b == 0) return 0; \
    if (SIGNED && b == (CT)-1) return (CT)(0 - (uint64_t)a); \
    CT q = a / b; if (SIGNED && (a % b != 0) && ((a < 0) != (b < 0))) q -= 1; return q; } \
  static inline CT kr_np_mod_##NAME(CT a, CT b) { \
    if (b == 0) return 0; \
    if (SIGNED && b == (CT)-1) return 0; \
    CT r = a % b; if (SIGNED && r != 0 && ((r < 0) != (b < 0))) r += b; return r; }
KILN_NP_INTDIV(int8, int8_t, 1)
KILN_NP_INTDIV(int16, int16_t, 1)
KILN_NP_INTDIV(int32, int32_t, 1)
KILN_NP_INTDIV(int64, int64_t, 1)
KILN_NP_INTDIV(uint8, uint8_t, 0)
KILN_NP_INTDIV(uint16, uint16_t, 0)
KILN_NP_INTDIV(uint32, uint32_t, 0)
KILN_NP_INTDIV(uint64, uint64_t, 0)

/* NumPy float floor division / remainder (npy_divmod): IEEE results, no exception on zero. */
static inline double kr_np_floordiv_f64(double a, double b) {
  if (b == 0.0) return a / b;
  double q, m; kr_divmod_f64_raw(a, b, &q, &m); return q;
}
static inline double kr_np_mod_f64(double a, double b) {
  if (b == 0.0) return fmod(a, b);
  double q, m; kr_divmod_f64_raw(a, b, &q, &m); return m;
}

/* ---- range objects: range(start, stop, step) as a value ---- */
typedef struct { int64_t start, stop, step; } kr_range;
static inline int kr_range_new(int64_t start, int64_t stop, int64_t step, kr_range *out) {
  if (KILN_UNLIKELY(step == 0)) return kr_raise(KILN_ValueError, "range() arg 3 must not be zero");
  out->start = start; out->stop = stop; out->step = step;
  return 0;
}
/* The number of items (up to 2**64 - 1: a range of int64 bounds may have more than INT64_MAX). */
static inline uint64_t kr_range_ulen(kr_range r) {
  if (r.step > 0) return r.start < r.stop ? ((uint64_t)r.stop - (uint64_t)r.start - 1) / (uint64_t)r.step + 1 : 0;
  return r.start > r.stop ? ((uint64_t)r.start - (uint64_t)r.stop - 1) / (0 - (uint64_t)r.step) + 1 : 0;
}
/* len(r): OverflowError past a C ssize_t, as CPython. */
static inline int kr_range_len(kr_range r, int64_t *out) {
  uint64_t n = kr_range_ulen(r);
  if (KILN_UNLIKELY(n > (uint64_t)INT64_MAX)) return kr_raise(KILN_OverflowError, "Python int too large to convert to C ssize_t");
  *out = (int64_t)n;
  return 0;
}
/* Item i, 0 <= i < len (the arithmetic wraps in uint64 and lands on the item, which fits in int64). */
static inline int64_t kr_range_at(kr_range r, int64_t i) { return (int64_t)((uint64_t)r.start + (uint64_t)i * (uint64_t)r.step); }
/* r[i], negative i counting from the end; IndexError as CPython. */
static inline int kr_range_item(kr_range r, int64_t i, int64_t *out) {
  uint64_t n = kr_range_ulen(r);
  if (i < 0) {
    if ((uint64_t)(-(i + 1)) >= n) return kr_raise(KILN_IndexError, "range object index out of range");
    *out = (int64_t)((uint64_t)r.start + (n - (uint64_t)(-(i + 1)) - 1) * (uint64_t)r.step);
    return 0;
  }
  if ((uint64_t)i >= n) return kr_raise(KILN_IndexError, "range object index out of range");
  *out = kr_range_at(r, i);
  return 0;
}
static inline bool kr_range_contains(kr_range r, int64_t x) {
  if (r.step > 0) return x >= r.start && x < r.stop && ((uint64_t)x - (uint64_t)r.start) % (uint64_t)r.step == 0;
  return x <= r.start && x > r.stop && ((uint64_t)r.start - (uint64_t)x) % (0 - (uint64_t)r.step) == 0;
}

/* repr(float), as CPython: the shortest string that reads back to the same double (the nearest such when
 * several have that length), in exponent form when the decimal exponent is < -4 or >= 16. Returns the length. */
static inline int kr_format_float_repr(double x, char out[32]) {
  if (isnan(x)) { memcpy(out, "nan", 4); return 3; }
  if (isinf(x)) { if (x > 0) { memcpy(out, "inf", 4); return 3; } memcpy(out, "-inf", 5); return 4; }
  if (x == 0) { if (signbit(x)) { memcpy(out, "-0.0", 5); return 4; } memcpy(out, "0.0", 4); return 3; }
  char buf[40];
  for (int p = 1; p <= 17; p++) {
    snprintf(buf, sizeof buf, "%.*e", p - 1, x);
    if (strtod(buf, NULL) == x) break;
  }
  const char *s = buf;
  char *o = out;
  if (*s == '-') { *o++ = '-'; s++; }
  char digits[24];
  int nd = 0;
  for (; *s && *s != 'e'; s++) if (*s != '.') digits[nd++] = *s;
  int e10 = atoi(s + 1);
  while (nd > 1 && digits[nd - 1] == '0') nd--;
  int decpt = e10 + 1; /* x = 0.d1d2... * 10**decpt */
  if (decpt <= -4 || decpt > 16) {
    *o++ = digits[0];
    if (nd > 1) { *o++ = '.'; memcpy(o, digits + 1, (size_t)nd - 1); o += nd - 1; }
    o += snprintf(o, 8, "e%c%02d", e10 < 0 ? '-' : '+', e10 < 0 ? -e10 : e10);
  } else if (decpt <= 0) {
    *o++ = '0'; *o++ = '.';
    for (int i = 0; i < -decpt; i++) *o++ = '0';
    memcpy(o, digits, (size_t)nd); o += nd;
  } else if (decpt < nd) {
    memcpy(o, digits, (size_t)decpt); o += decpt;
    *o++ = '.';
    memcpy(o, digits + decpt, (size_t)(nd - decpt)); o += nd - decpt;
  } else {
    memcpy(o, digits, (size_t)nd); o += nd;
    for (int i = nd; i < decpt; i++) *o++ = '0';
    *o++ = '.'; *o++ = '0';
  }
  *o = 0;
  return (int)(o - out);
}

#include "kiln_object.h" /* reference-counted objects and the cycle collector (docs/design/object-model.md) */
#include "kiln_arrays.h" /* arrays, lists and the per-call heap */

#endif /* KILN_RUNTIME_H */
