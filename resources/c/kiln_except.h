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
 * kr_exc_class) and str(e) in *message, a new reference. -1 (MemoryError) when the str cannot be made. */
static KILN_COLD int kr_exc_caught(int64_t *kind, kr_str **message) {
  int64_t k = kr_err.cls ? -(int64_t)(intptr_t)kr_err.cls : kr_err.kind;
  const char *m = kr_err.message ? kr_err.message : "";
  kr_str *s = kr_str_from_utf8(m, (int64_t)strlen(m));
  if (!s) return -1;
  *kind = k;
  *message = s;
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
static inline int kr_exc_code_is(int64_t code, const char *name) {
  for (const struct kr_exc_class *c = code < 0 ? (const struct kr_exc_class *)(intptr_t)-code : NULL; c; c = c->base) {
    if (strcmp(c->name, name) == 0) return 1;
  }
  return 0;
}

/* raise e / a bare raise: the caught exception (its code, its message) raised again. Returns -1. */
static KILN_COLD int kr_raise_caught(int64_t kind, const kr_str *message) {
  const struct kr_exc_class *c = kind < 0 ? (const struct kr_exc_class *)(intptr_t)-kind : NULL;
  kr_raise_str(c ? c->kind : (int)kind, message, 0);
  kr_err.cls = c;
  return -1;
}

#endif
