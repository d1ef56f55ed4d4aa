/*
 * Kiln runtime: what an except clause of compiled code reads of the exception it caught (docs/design/exceptions.md).
 *
 * Compiled code raises by setting kr_err (kiln_runtime.h kr_raise) and returning -1 up the C call chain; an except
 * clause is a label those error paths jump to (lower/c_exceptions.ts), so nothing here runs unless something raised.
 * (Named after the keyword `except`, so that no Python module's generated header, kiln_<module>.h, can take its name.)
 * A clause that names the exception (`except ValueError as e`) or re-raises it keeps a copy of it: its kind and its
 * message as a str (str(e)), taken when the clause starts, before anything it runs can raise again.
 */
#ifndef KILN_EXCEPT_H
#define KILN_EXCEPT_H
#include "kiln_str.h"

/* The caught exception (kr_err): its code in *kind (its kind, or for a class of the program minus the address of its
 * kr_exc_class), str(e) in *message, a new reference, and len(e.args) in *nargs. -1 (MemoryError) when the str
 * cannot be made. */
static KILN_COLD int kr_exc_caught(int64_t *kind, kr_str **message, int64_t *nargs) {
  int64_t k = kr_err.cls ? -(int64_t)(intptr_t)kr_err.cls : kr_err.kind;
  const char *m = kr_err.message ? kr_err.message : "";
  int64_t n = kr_err.nargs;
  kr_str *s = kr_str_from_utf8(m, (int64_t)strlen(m));
  if (!s) return -1;
  *kind = k;
  *message = s;
  *nargs = n;
  return 0;
}

/* The clause of an exception class with fields (`except ParseError as e`): kr_exc_caught, and the instance the
 * exception carries in *object (the reference kr_err held, moved). `optional`: a clause that may catch other
 * exceptions too (`except ValueError: raise`), which keeps the instance if there is one of `type` (else NULL) so
 * that raising it again passes it on. An exception of the class raised again by a clause that did not keep its
 * instance has none: a TypeError naming that limit, never a wrong field. */
static KILN_COLD int kr_exc_caught_object(int64_t *kind, kr_str **message, int64_t *nargs, kr_obj **object, const kr_type *type, int optional) {
  kr_obj *o = (kr_obj *)kr_err.object;
  const kr_type *t = o ? o->type : NULL;
  while (t && t != type) t = t->base;
  if (!t && optional) {
    o = NULL;
  } else if (!t) {
    kr_msg_begin();
    kr_msg_cstr("Kiln did not keep the fields of this ");
    kr_msg_cstr(kr_err.cls ? kr_err.cls->name : type->name);
    kr_msg_cstr(": it was raised again by an except clause or a with statement that does not name its class (catch it as ");
    kr_msg_cstr(type->name);
    kr_msg_cstr(" there)");
    return kr_msg_raise(KILN_TypeError);
  }
  if (kr_exc_caught(kind, message, nargs)) return -1;
  if (o) kr_err.object = NULL;
  *object = o;
  return 0;
}

/* type(e).__name__ of a caught exception of kind `kind` ("NoneType" for 0, the no-exception a with statement passes to
 * __exit__): a new reference. */
static KILN_COLD int kr_exc_class_name(int64_t kind, kr_str **out) {
  const char *name = kind < 0 ? ((const struct kr_exc_class *)(intptr_t)-kind)->name : kind == 0 ? "NoneType" : kind < (int64_t)(sizeof kr_error_names / sizeof kr_error_names[0]) ? kr_error_names[kind] : "Exception";
  kr_str *s = kr_str_from_utf8(name, (int64_t)strlen(name));
  if (!s) return -1;
  *out = s;
  return 0;
}

/* The built-in kind of a caught exception's code, and whether it is of the program's class `name` (isinstance). */
static inline int kr_exc_code_kind(int64_t code) {
  return code < 0 ? ((const struct kr_exc_class *)(intptr_t)-code)->kind : (int)code;
}
/* Whether str(e) of a caught exception with one argument is that argument's repr (a KeyError's, a StopIteration(5)'s). */
static inline int kr_exc_arg_is_repr(int64_t code) {
  return kr_exc_code_kind(code) == KILN_KeyError || (code < 0 && ((const struct kr_exc_class *)(intptr_t)-code)->arg_repr);
}
static inline int kr_exc_code_is(int64_t code, const char *name) {
  for (const struct kr_exc_class *c = code < 0 ? (const struct kr_exc_class *)(intptr_t)-code : NULL; c; c = c->base) {
    if (strcmp(c->name, name) == 0) return 1;
  }
  return 0;
}

/* raise e / a bare raise: the caught exception (its code, its message, len(e.args)) raised again. Returns -1. */
static KILN_COLD int kr_raise_caught(int64_t kind, const kr_str *message, int64_t nargs) {
  const struct kr_exc_class *c = kind < 0 ? (const struct kr_exc_class *)(intptr_t)-kind : NULL;
  kr_raise_str(c ? c->kind : (int)kind, message, 0);
  kr_raise_nargs((int)nargs);
  kr_err.cls = c;
  return -1;
}

/* e.args of a caught exception, read back from str(e) (docs/design/exceptions.md): with one argument str(e) is the
 * argument, or its repr for a KeyError; with several, str(e) is the repr of the tuple. Code 0 is the None a with
 * statement gives __exit__: it has no args. */
static KILN_COLD int kr_exc_no_args(int64_t code) {
  return code == 0 ? kr_raise(KILN_AttributeError, "'NoneType' object has no attribute 'args'") : 0;
}

/* e.args or repr(e) (`what`) of a caught exception whose class replaces BaseException's __str__ (its message is then
 * str(e), not its argument) or __repr__ (called only on an instance a clause keeps): a TypeError naming this limit,
 * never a wrong value. 0 when neither applies. */
static KILN_COLD int kr_exc_text_limit(int64_t code, int bits, const char *what) {
  const struct kr_exc_class *c = code < 0 ? (const struct kr_exc_class *)(intptr_t)-code : NULL;
  if (!c || !(c->text & bits)) return 0;
  kr_msg_begin();
  kr_msg_cstr("Kiln does not keep ");
  kr_msg_cstr(what);
  kr_msg_cstr(" of a ");
  kr_msg_cstr(c->name);
  kr_msg_cstr(c->text & bits & 1 ? ", whose __str__ gives its message" : ", whose __repr__ is its own");
  kr_msg_cstr(" (read its fields, or call repr(e) in an except clause that names its class alone)");
  return kr_msg_raise(KILN_TypeError);
}

/* `kept` (kr_exc_repr, kr_exc_arg): 1 when `message` is the argument the instance a clause keeps holds, which a class
 * whose __str__ is its own does not raise with. */
/* repr(e) (as_tuple 0: `ValueError('m')`, `ValueError()`, `KeyError(3)`, `ValueError('a', 'b')`) or repr(e.args)
 * (as_tuple 1: `('m',)`, `()`, `('a', 'b')`): a new reference. repr(None) for code 0 (repr(exc) in __exit__). */
static KILN_COLD int kr_exc_repr(int64_t code, kr_str *message, int64_t nargs, int as_tuple, int kept, kr_str **out) {
  if (as_tuple && kr_exc_no_args(code)) return -1;
  if (kr_exc_text_limit(code, (as_tuple ? 1 : 3) & ~kept, as_tuple ? "e.args" : "repr(e)")) return -1;
  kr_str *arg = NULL;
  kr_msg_begin();
  if (code == 0) {
    kr_msg_cstr("None");
  } else {
    if (!as_tuple) kr_msg_cstr(code < 0 ? ((const struct kr_exc_class *)(intptr_t)-code)->name : kr_error_names[code]);
    if (nargs > 1) {
      kr_msg_str(message, INT64_MAX);
    } else {
      kr_msg_cstr("(");
      if (nargs == 1 && kr_exc_arg_is_repr(code)) kr_msg_str(message, INT64_MAX);
      else if (nargs == 1) kr_msg_repr(message, INT64_MAX);
      kr_msg_cstr(nargs == 1 && as_tuple ? ",)" : ")");
    }
  }
  if (!kr_msg_oom) arg = kr_str_from_utf8(kr_msg_len ? kr_msg_buf : "", (int64_t)kr_msg_len);
  if (!arg) return kr_raise(KILN_MemoryError, "");
  *out = arg;
  return 0;
}

/* Reads the str literal CPython's repr wrote at s[*at] (quotes, and the escapes \\ \' \" \n \r \t \xhh \uhhhh
 * \Uhhhhhhhh), appending its UTF-8 to the message buffer; *at moves past it. 0 when s[*at] starts no str literal. */
static int kr_exc_unrepr(const kr_str *s, int64_t *at) {
  int64_t i = *at, n = s->length;
  if (i >= n) return 0;
  uint32_t q = kr_str_at(s, i);
  if (q != '\'' && q != '"') return 0;
  for (i++; i < n; i++) {
    uint32_t c = kr_str_at(s, i);
    if (c == q) { *at = i + 1; return 1; }
    if (c == '\\' && i + 1 < n) {
      uint32_t e = kr_str_at(s, ++i);
      int digits = e == 'x' ? 2 : e == 'u' ? 4 : e == 'U' ? 8 : 0;
      c = e == 'n' ? '\n' : e == 'r' ? '\r' : e == 't' ? '\t' : e;
      if (digits) {
        c = 0;
        for (int d = 0; d < digits && i + 1 < n; d++) {
          uint32_t h = kr_str_at(s, ++i);
          c = c * 16 + (h <= '9' ? h - '0' : (h | 32) - 'a' + 10);
        }
      }
    }
    kr_msg_code_point((uint32_t)c);
  }
  return 0;
}

/* e.args[index] of a caught exception, a str: a new reference. IndexError as CPython's past the end. Kiln keeps the
 * arguments as str(e) only, so an argument that is not a str (the int key of a KeyError raised by d[k]) is a
 * TypeError naming this limit, never a wrong value. */
static KILN_COLD int kr_exc_arg(int64_t code, kr_str *message, int64_t nargs, int64_t index, int kept, kr_str **out) {
  if (kr_exc_no_args(code) || kr_exc_text_limit(code, 1 & ~kept, "e.args")) return -1;
  if (index < 0) index += nargs;
  if (index < 0 || index >= nargs) return kr_raise(KILN_IndexError, "tuple index out of range");
  if (nargs == 1 && !kr_exc_arg_is_repr(code)) {
    kr_incref(message);
    *out = message;
    return 0;
  }
  int64_t at = nargs > 1; /* past the tuple's "(" */
  kr_msg_begin();
  for (int64_t i = 0; i <= index; i++) {
    if (i) at += 2; /* ", " */
    kr_msg_len = 0;
    if (!kr_exc_unrepr(message, &at)) {
      kr_msg_begin();
      kr_msg_cstr("Kiln reads an exception's arguments as str; argument ");
      kr_msg_i64(index);
      kr_msg_cstr(" of ");
      kr_msg_cstr(code < 0 ? ((const struct kr_exc_class *)(intptr_t)-code)->name : kr_error_names[code]);
      kr_msg_cstr(nargs > 1 ? "" : "(");
      kr_msg_str(message, 200);
      kr_msg_cstr(nargs > 1 ? "" : ")");
      kr_msg_cstr(" is not one");
      return kr_msg_raise(KILN_TypeError);
    }
  }
  kr_str *arg = kr_msg_oom ? NULL : kr_str_from_utf8(kr_msg_len ? kr_msg_buf : "", (int64_t)kr_msg_len);
  if (!arg) return kr_raise(KILN_MemoryError, "");
  *out = arg;
  return 0;
}

#endif
