/**
 * The exported Python package's fast path: a small CPython extension module (`_kiln_fast`) that calls the
 * compiled functions through the Python C API (METH_FASTCALL, no ctypes marshalling), for the functions
 * whose parameters and result are scalars, text or NumPy arrays. It is built for the host with the same toolchain
 * against the headers of the Python that will import it, using the limited API (abi3, Python >= 3.10), so one build
 * serves every later CPython 3 on the same platform. The package's __init__ prefers it when it imports and
 * keeps the ctypes functions otherwise (another platform, an older Python, KILN_PYTHON_BACKEND=ctypes).
 *
 * Semantics are the ctypes path's, exactly: the C code converts only exact `float`/`int` and True/False
 * itself; every other value, every value out of
 * range, and every call with keywords or the wrong number of arguments goes through the package's own
 * Python helpers (the same `_to_c` conversion and the same argument-binding messages as the ctypes path),
 * so the user sees the same results and the same exceptions either way. Kept apart from python.ts (the
 * ctypes package) so the two evolve separately.
 *
 * NumPy arrays (when the building Python has NumPy's headers): an exact ndarray of the annotated dtype and ndim, in
 * native byte order, aligned, with strides of whole items (and writable where the function writes it) is read through
 * NumPy's C API (its data, shape and strides; no copy, no Python-level wrapping); an array result is a new ndarray over
 * the library's buffer (freed with kiln_free when the array goes), a NumPy scalar result (np.float64, np.int64, ...)
 * NumPy's scalar. Any other argument for an array parameter (a list, another dtype, a view of a record array, a
 * subclass), and a process whose NumPy does not import or is older than the headers' target (1.23), makes the whole
 * call in the ctypes function (its `_run`), which gives its copies, messages and exceptions. NumPy is imported at the
 * first call that needs it, so the scalar functions work without it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { LIBRARY_EXCEPTIONS, isOptionalText, textKind, withVariants, type ExportedFunction } from '../lower/abi.ts';
import { bindingSpec } from './python.ts';
import { SCALARS, cType, unionField, unionTagC, type KType, type ScalarName } from '../types/types.ts';
import { MAX_TOWER_PARAMS, pythonNumbersOnly, towerCode, towerLetter, towerParams } from '../types/tower.ts';
import { compileC, type Toolchain } from '../targets/toolchain.ts';
import { makeFolder } from '../folders.ts';

/** The extension module's name (file `_kiln_fast.abi3.so` in the package). */
export const PYEXT_MODULE = '_kiln_fast';
/** Python 3.10 is the first whose limited API has METH_FASTCALL. */
export const PYEXT_LIMITED_API = '0x030A0000';
const RESULT_TYPES = new Set(['int', 'float', 'bool']);

/** NumPy's type number (numpy/ndarraytypes.h) of each array dtype and NumPy scalar the extension passes. */
const NPY_TYPES: Record<string, string> = {
  bool: 'NPY_BOOL', float32: 'NPY_FLOAT32', float64: 'NPY_FLOAT64', int8: 'NPY_INT8', int16: 'NPY_INT16', int32: 'NPY_INT32',
  int64: 'NPY_INT64', uint8: 'NPY_UINT8', uint16: 'NPY_UINT16', uint32: 'NPY_UINT32', uint64: 'NPY_UINT64', complex128: 'NPY_COMPLEX128',
};
type ArrayType = KType & { kind: 'array' };
const isNdarray = (t: KType): t is ArrayType => t.kind === 'array' && t.dtype in NPY_TYPES && t.ndim <= 3;
/** A NumPy scalar result (np.float64, np.int64, ...): the ctypes path makes it with numpy.<name>(v). */
const isNumpyScalar = (t: KType) => t.kind === 'scalar' && SCALARS[t.name].numpy;
/** Whether the function's extension code needs NumPy's C API (an array parameter or result, a NumPy scalar result). */
const usesNumpy = (e: ExportedFunction) => e.params.some((p) => isNdarray(p.type)) || isNdarray(e.returnType) || isNumpyScalar(e.returnType);

/** str, bytes, and `str | None` / `bytes | None` (a NULL pointer for None). */
const isText = (t: KType) => !!textKind(t);

/**
 * True when the extension can call this function: scalar, str or bytes (or None) parameters, and NumPy arrays when
 * `numpy` (the extension is built with NumPy's headers); an int/float/bool/None/str/bytes result (str | None too), or
 * a union of int, float, bool and None, or (with `numpy`) an array or a NumPy scalar; and no exception class with
 * fields of the program can leave it.
 */
export function fastPathEligible(e: ExportedFunction, numpy = true): boolean {
  if (!e.params.every((p) => p.type.kind === 'scalar' || isText(p.type) || isNdarray(p.type))) return false;
  // An array function whose NumPy is not at hand, or with a big-int twin (its calls are the ctypes package's).
  if (usesNumpy(e) && (!numpy || e.bigArgs)) return false;
  // An exception with fields leaves its instance in the library that raised it (kiln_error_object): the extension
  // holds its own copy of the compiled code, so the ctypes package, which reads those fields, makes the call.
  if (e.exceptionHandles?.length) return false;
  // NumPy scalar specialisations (types/tower.ts NUMPY_LETTERS) run in the ctypes package, which makes NumPy results.
  if (e.variants && !e.variants.every((v) => fastPathEligible(v) && pythonNumbersOnly(v.code!))) return false;
  const r = e.returnType;
  const plain = (t: KType) => t.kind === 'none' || (t.kind === 'scalar' && RESULT_TYPES.has(t.name));
  return plain(r) || isText(r) || (r.kind === 'union' && r.members.every(plain)) || isNdarray(r) || isNumpyScalar(r);
}

/** The Python object of a result of type `t` held in C variable `r` (a union: the member its tag says). */
function resultObject(t: KType, r: string): string[] {
  if (t.kind === 'none') return ['Py_RETURN_NONE;'];
  if (isOptionalText(t)) return [`if (!${r}.data) Py_RETURN_NONE;`, ...resultObject((t as KType & { kind: 'union' }).members[0], r)];
  if (t.kind === 'str') return [`{ PyObject *res = PyUnicode_DecodeUTF8((const char *)${r}.data, (Py_ssize_t)${r}.len, "strict"); kiln_free(${r}.data); return res; }`];
  if (t.kind === 'bytes') return [`{ PyObject *res = PyBytes_FromStringAndSize((const char *)${r}.data, (Py_ssize_t)${r}.len); kiln_free(${r}.data); return res; }`];
  if (t.kind === 'union') {
    return t.members.flatMap((m, i) => [
      `${i === t.members.length - 1 ? '{' : `if (${r}.tag == ${unionTagC(t, m)}) {`}`,
      ...resultObject(m, m.kind === 'none' ? r : `${r}.v.${unionField(t, m)}`).map((l) => `  ${l}`),
      '}',
    ]);
  }
  if (isNdarray(t)) return [`return kx_array_result(${NPY_TYPES[t.dtype]}, ${t.ndim}, ${r}.data, ${r}.shape);`];
  const name = scalarOf(t);
  if (isNumpyScalar(t)) return [`return kx_numpy_scalar(${NPY_TYPES[name]}, &${r});`];
  if (name === 'float') return [`return PyFloat_FromDouble(${r});`];
  if (name === 'bool') return [`return PyBool_FromLong(${r});`];
  return [`return PyLong_FromLongLong((long long)${r});`];
}

/**
 * A str parameter: an exact str gives its UTF-8 (cached in the str object; a lone surrogate raises CPython's
 * UnicodeEncodeError); anything else goes through the package's conversion (its TypeError). bytes: an exact bytes
 * object's buffer, else the package's conversion. The pointer stays valid during the call: the argument is held
 * by the caller, the converted object (k<i>) by this function until it returns.
 */
function textParam(fi: number, pi: number, t: KType): string[] {
  const none = isOptionalText(t) ? `if (a[${pi}] == Py_None) { v${pi} = NULL; n${pi} = 0; } else ` : '';
  const exact = none + (textKind(t) === 'str'
    ? `if (PyUnicode_CheckExact(a[${pi}])) { v${pi} = PyUnicode_AsUTF8AndSize(a[${pi}], &n${pi}); if (!v${pi}) goto fail; }`
    : `if (PyBytes_CheckExact(a[${pi}])) { if (PyBytes_AsStringAndSize(a[${pi}], (char **)&v${pi}, &n${pi}) < 0) goto fail; }`);
  return [
    `  ${exact}`,
    `  else { k${pi} = kx_slow(${fi}, ${pi}, a[${pi}]); if (!k${pi} || PyBytes_AsStringAndSize(k${pi}, (char **)&v${pi}, &n${pi}) < 0) goto fail; }`,
  ];
}

const scalarOf = (t: KType): ScalarName => (t as { name: ScalarName }).name;

function convertParam(fi: number, pi: number, t: ScalarName, cvar: string, bigArgs = false): string[] {
  const s = SCALARS[t];
  const fail = `goto fail;`;
  // An int past 64 bits where the big-int twin takes any size: its call (convertAndCall's label big).
  if (t === 'int' && bigArgs) return [`  { long long x; if (kx_int(${fi}, ${pi}, a[${pi}], INT64_MIN, INT64_MAX, &x) < 0) { if (PyLong_Check(a[${pi}]) && kxs_past64(a[${pi}])) { PyErr_Clear(); goto big; } ${fail} } ${cvar} = x; }`];
  if (t === 'bool') return [`  if (kx_bool(${fi}, ${pi}, a[${pi}], &${cvar}) < 0) ${fail}`];
  if (s.float) return [`  { double d; if (kx_double(${fi}, ${pi}, a[${pi}], &d) < 0) ${fail} ${cvar} = (${s.c})d; }`];
  if (t === 'uint64') return [`  if (kx_u64(${fi}, ${pi}, a[${pi}], &${cvar}) < 0) ${fail}`];
  const lo = s.signed ? (s.bits === 64 ? 'INT64_MIN' : `-(1LL << ${s.bits - 1})`) : '0LL';
  const hi = s.signed ? (s.bits === 64 ? 'INT64_MAX' : `(1LL << ${s.bits - 1}) - 1`) : `(1LL << ${s.bits}) - 1`;
  return [`  { long long x; if (kx_int(${fi}, ${pi}, a[${pi}], ${lo}, ${hi}, &x) < 0) ${fail} ${cvar} = (${s.c})x; }`];
}

function functionSource(e: ExportedFunction, fi: number): string {
  const n = e.params.length;
  const lines: string[] = [];
  lines.push(`/* ${e.signature} */`);
  lines.push(`static PyObject *kx_${e.name}(PyObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames) {`);
  lines.push(`  PyObject *a[${Math.max(n, 1)}];`, `  PyObject *bound = NULL;`, `  (void)self;`);
  for (let i = 0; i < n; i++) if (isText(e.params[i].type)) lines.push(`  PyObject *k${i} = NULL;`);
  // Every parameter given by position: taken as they are. A keyword-only parameter is never given by position, so
  // such a function's calls are always bound by the package (its TypeError for a positional one, its defaults).
  const bind = [
    `bound = kx_bind(${fi}, args, nargs, kwnames, ${n});`, `if (!bound) return NULL;`,
    `for (Py_ssize_t i = 0; i < ${n}; i++) a[i] = PyTuple_GetItem(bound, i);`,
  ];
  if (e.params.some((p) => p.kind === 'kwonly')) lines.push(...bind.map((l) => `  ${l}`));
  else {
    lines.push(`  if (nargs == ${n} && kwnames == NULL) {`);
    for (let i = 0; i < n; i++) lines.push(`    a[${i}] = args[${i}];`);
    lines.push(`  } else {`, ...bind.map((l) => `    ${l}`), `  }`);
  }
  if (e.variants) lines.push(...dispatchLines(e));
  lines.push(...convertAndCall(e, fi, ['bound']));
  return lines.join('\n');
}

/**
 * A function's specialisations for other argument types (types/tower.ts): the exact type of each tower argument
 * (float, int, bool: PyFloat_CheckExact, PyLong_CheckExact, Py_True/Py_False) picks the compiled one; an argument
 * of another type takes the annotated path below (the package's conversion); a combination not compiled raises
 * the package's TypeError (kxs_missing).
 */
function dispatchLines(e: ExportedFunction): string[] {
  const annotated = e.params.map((p) => p.type);
  const at = towerParams(annotated);
  const num = (code: string) => `${[...code].reduce((n, l) => n * 3n + BigInt('fib'.indexOf(l)), 0n)}LL`;
  const lines = [`  {`, `    long long code = 0;`];
  at.forEach((i) => {
    lines.push(`    { PyObject *x = a[${i}]; int l = PyFloat_CheckExact(x) ? 0 : PyLong_CheckExact(x) ? 1 : (x == Py_True || x == Py_False) ? 2 : -1;`,
      `      if (l < 0) goto annotated; code = code * 3 + l; }`);
  });
  lines.push(`    switch (code) {`, `    case ${num(towerCode(annotated, annotated))}: break;`);
  for (const v of e.variants!) lines.push(`    case ${num(v.code!)}: { PyObject *r = kxv_${e.name}__${v.code}(a); Py_XDECREF(bound); return r; }`);
  // A bool where a specialisation has an int and its C cannot tell them apart: that one runs (the int conversion takes True as 1).
  const own = towerCode(annotated, annotated);
  for (const [alias, target] of Object.entries(e.boolAliases ?? {})) {
    lines.push(target === own ? `    case ${num(alias)}: break;` : `    case ${num(alias)}: { PyObject *r = kxv_${e.name}__${target}(a); Py_XDECREF(bound); return r; }`);
  }
  lines.push(`    default: kxs_missing(${JSON.stringify(e.name)}, ${JSON.stringify(at.map((i) => e.params[i].name).join(','))}, code, ${at.length}, ${JSON.stringify([towerCode(annotated, annotated), ...e.variants!.map((v) => v.code!)].join(','))}); Py_XDECREF(bound); return NULL;`,
    `    }`, `  }`, `annotated:;`);
  return lines;
}

/** A specialisation's own function: its arguments (bound already) are of exactly its types. */
function variantSource(e: ExportedFunction, v: ExportedFunction, fi: number): string {
  return [`/* ${v.signature} */`, `static PyObject *kxv_${e.name}__${v.code}(PyObject *const *a) {`,
    ...v.params.flatMap((p, i) => (isText(p.type) ? [`  PyObject *k${i} = NULL;`] : [])),
    ...convertAndCall(v, fi, []), ''].join('\n');
}

/** The C name of the extension's call of `<symbol>_big` for an export (a function or one of its specialisations). */
const bigCallName = (e: ExportedFunction) => `kxb_${e.symbol}`;

/**
 * A function whose big-int twin takes ints of any size (ExportedFunction.bigArgs: its parameters are ints and bools):
 * the call of `<symbol>_big` with each int argument's hex() text, for a call with an int past 64 bits.
 */
function bigCallSource(e: ExportedFunction, fi: number): string {
  const isInt = (i: number) => e.params[i].type.kind === 'scalar' && scalarOf(e.params[i].type) === 'int';
  const isStr = (i: number) => e.params[i].type.kind === 'str';
  const isFloat = (i: number) => e.params[i].type.kind === 'scalar' && scalarOf(e.params[i].type) === 'float';
  const lines = [`/* ${e.signature}, with an int argument past 64 bits */`, `static PyObject *${bigCallName(e)}(PyObject *const *a) {`,
    `  PyObject *res = NULL, *h[${e.params.length}] = { NULL };`, `  const char *t[${e.params.length}] = { NULL };`, `  bool b[${e.params.length}] = { 0 };`,
    `  double d[${e.params.length}] = { 0 };`, `  Py_ssize_t n[${e.params.length}] = { 0 };`];
  // A str: its UTF-8 (an exact str) or the package's conversion (its TypeError, its UnicodeEncodeError), as the fast path.
  e.params.forEach((_p, i) => lines.push(isInt(i) ? `  if (!(h[${i}] = PyNumber_ToBase(a[${i}], 16)) || !(t[${i}] = PyUnicode_AsUTF8AndSize(h[${i}], NULL))) goto done;`
    : isStr(i) ? `  if (PyUnicode_CheckExact(a[${i}])) { if (!(t[${i}] = PyUnicode_AsUTF8AndSize(a[${i}], &n[${i}]))) goto done; } else { if (!(h[${i}] = kx_slow(${fi}, ${i}, a[${i}])) || PyBytes_AsStringAndSize(h[${i}], (char **)&t[${i}], &n[${i}]) < 0) goto done; }`
    : isFloat(i) ? `  if (kx_double(${fi}, ${i}, a[${i}], &d[${i}]) < 0) goto done;`
    : `  if (kx_bool(${fi}, ${i}, a[${i}], &b[${i}]) < 0) goto done;`));
  const args = e.params.map((_p, i) => (isInt(i) ? `t[${i}]` : isStr(i) ? `t[${i}], (int64_t)n[${i}]` : isFloat(i) ? `d[${i}]` : `b[${i}]`));
  lines.push(`  ${cType(e.returnType)} r;`, '  int rc;', '  Py_BEGIN_ALLOW_THREADS', `  rc = ${e.symbol}_big(${[...args, '&r'].join(', ')});`, '  Py_END_ALLOW_THREADS',
    '  if (rc == KILN_BIG_RESULT) res = PyLong_FromString(kiln_big_result(), NULL, 16);', '  else if (rc) res = kx_raise();',
    `  else res = ${({ bool: 'PyBool_FromLong(r)', float: 'PyFloat_FromDouble(r)' } as Record<string, string>)[scalarOf(e.returnType)] ?? 'PyLong_FromLongLong((long long)r)'};`,
    'done:', ...e.params.map((_p, i) => (isInt(i) || isStr(i) ? `  Py_XDECREF(h[${i}]);` : '')).filter(Boolean), '  return res;', '}', '');
  return lines.join('\n');
}

/** Converts a[] to the C parameters, calls the library, returns the result object; `owned`: what to release. */
function convertAndCall(e: ExportedFunction, fi: number, owned: string[]): string[] {
  const lines: string[] = [];
  const texts = e.params.map((p, i) => (isText(p.type) ? i : -1)).filter((i) => i >= 0);
  e.params.forEach((p, i) => {
    if (isText(p.type)) lines.push(`  const ${textKind(p.type) === 'str' ? 'char' : 'uint8_t'} *v${i} = NULL; Py_ssize_t n${i} = 0;`);
    else lines.push(`  ${cType(p.type)} v${i};`);
  });
  // NumPy's C API (imported at the first such call): without it, the ctypes function makes the call (label slow).
  const numpy = usesNumpy(e);
  if (numpy) lines.push('  if (kx_numpy() < 0) goto slow;');
  // A specialisation's tower arguments are exactly its types: converted directly (an int past 64 bits: OverflowError).
  // An int past 64 bits where the big-int twin takes any size (e.bigArgs): the call of <symbol>_big (label big, below).
  const exact = (i: number, t: ScalarName): string[] => (t === 'float' ? [`  v${i} = PyFloat_AsDouble(a[${i}]);`]
    : t === 'bool' ? [`  v${i} = a[${i}] == Py_True;`]
    : [`  { int overflow = 0; v${i} = PyLong_AsLongLongAndOverflow(a[${i}], &overflow); if (overflow) { ${e.bigArgs ? 'goto big;' : `kxs_int_overflow(${JSON.stringify(e.params[i].name)}, a[${i}]); goto fail;`} } }`]);
  // The struct is built from values (not written field by field through pointers into it), so that it can be passed
  // by value without a copy from memory written just before.
  const arrayParam = (i: number, t: ArrayType) => [
    `  { void *d; int64_t sh[3], st[3]; if (!kx_array_arg(a[${i}], ${NPY_TYPES[t.dtype]}, ${t.ndim}, ${Math.max(1, SCALARS[t.dtype].bits / 8)}, ${e.params[i].written !== false ? 1 : 0}, &d, sh, st)) goto slow;`,
    `    v${i} = (${cType(t)}){ d, { sh[0], sh[1], sh[2] }, { st[0], st[1], st[2] } }; }`];
  e.params.forEach((p, i) => lines.push(...(isNdarray(p.type) ? arrayParam(i, p.type) : isText(p.type) ? textParam(fi, i, p.type) : e.code && 'fib'.includes(towerLetter(p.type) ?? '-') ? exact(i, scalarOf(p.type))
    : convertParam(fi, i, scalarOf(p.type), `v${i}`, e.bigArgs))));
  const r = e.returnType;
  const args = e.params.map((p, i) => (isText(p.type) ? `v${i}, (int64_t)n${i}` : `v${i}`));
  if (r.kind !== 'none') {
    lines.push(isText(r) ? `  ${textKind(r) === 'str' ? 'kiln_str' : 'kiln_bytes'} r = { NULL, 0 };` : `  ${cType(r)} r;`);
    args.push('&r');
  }
  // The GIL is released during the call, as ctypes does: other threads run while a long call computes
  // (the compiled code touches no Python object; its error state is thread-local). Releasing and taking it back costs
  // about a quarter of a call on small arrays, so, as NumPy's loops hold it below 500 items, a function of arrays and
  // floats (no int that could count a long loop) holds it while its arrays have fewer than KX_GIL_ITEMS items together.
  const call = `rc = ${e.symbol}(${args.join(', ')});`;
  const arrays = e.params.map((p, i) => (isNdarray(p.type) ? i : -1)).filter((i) => i >= 0);
  const bounded = arrays.length > 0 && e.params.every((p) => isNdarray(p.type) || (p.type.kind === 'scalar' && (SCALARS[scalarOf(p.type)].float || scalarOf(p.type) === 'bool')));
  if (bounded) {
    const items = arrays.map((i) => `v${i}.shape[0] * v${i}.shape[1] * v${i}.shape[2]`).join(' + ');
    lines.push(`  int rc;`, `  if (${items} < KX_GIL_ITEMS) ${call}`, `  else {`, `    Py_BEGIN_ALLOW_THREADS`, `    ${call}`, `    Py_END_ALLOW_THREADS`, `  }`);
  } else {
    lines.push(`  int rc;`, `  Py_BEGIN_ALLOW_THREADS`, `  ${call}`, `  Py_END_ALLOW_THREADS`);
  }
  for (const o of owned) lines.push(`  Py_XDECREF(${o});`);
  for (const i of texts) lines.push(`  Py_XDECREF(k${i});`);
  // A result past 64 bits (a big-int twin's: the package asked for them, lower/c_bigint.ts): its hex() text.
  if (e.bigResults) lines.push(`  if (rc == KILN_BIG_RESULT) return PyLong_FromString(kiln_big_result(), NULL, 16);`);
  lines.push(`  if (rc) return kx_raise();`);
  lines.push(...resultObject(r, 'r').map((l) => `  ${l}`));
  if (e.bigArgs) {
    // The twin with every int argument's hex() text (of its __index__, as the ctypes path's hex(v): a float is a TypeError).
    lines.push('big:', `  { PyObject *res = ${bigCallName(e)}(a);`, ...owned.map((o) => `    Py_XDECREF(${o});`), ...texts.map((i) => `    Py_XDECREF(k${i});`), '    return res; }');
  }
  if (numpy) {
    // Another argument for an array parameter (a list, another dtype, a record array's field...), or no NumPy: the
    // ctypes function's call with the same (bound) arguments, its copies, messages and exceptions.
    lines.push('slow:', `  { PyObject *res = kx_ctypes(${fi}, "${e.code ?? ''}", a, ${e.params.length});`, ...owned.map((o) => `    Py_XDECREF(${o});`),
      ...texts.map((i) => `    Py_XDECREF(k${i});`), '    return res; }');
  }
  lines.push(`fail:`, ...owned.map((o) => `  Py_XDECREF(${o});`), ...texts.map((i) => `  Py_XDECREF(k${i});`), `  return NULL;`, `}`);
  return lines;
}

/**
 * NumPy's C API for the array functions: arrays read in place, results made into ndarrays, and the ctypes function's
 * call for every argument it does not take (kx_ctypes). NumPy is imported at the first call that needs it.
 */
const NUMPY_HELPERS = String.raw`
#define NPY_NO_DEPRECATED_API NPY_1_7_API_VERSION
#include <numpy/arrayobject.h>

/* A call on arrays of fewer items than this (together) keeps the GIL (convertAndCall). */
#define KX_GIL_ITEMS 4096

/* ctypes(function index, specialisation code ("": the annotated one), tuple of the bound arguments) -> the ctypes function's call */
static PyObject *kx_ctypes_run;

/* 1: NumPy's C API is imported; -1: it is not there (no NumPy, or one older than the headers' target, 1.23). */
static int kx_numpy_state;
static int kx_numpy(void) {
  if (!kx_numpy_state) {
    kx_numpy_state = _import_array() < 0 ? -1 : 1;
    if (kx_numpy_state < 0) PyErr_Clear();
  }
  return kx_numpy_state;
}

/* The call made by the package's ctypes function (its copies of other inputs, its messages and exceptions). */
static PyObject *kx_ctypes(int fi, const char *code, PyObject *const *a, Py_ssize_t n) {
  if (!kx_ctypes_run) { PyErr_SetString(PyExc_ImportError, "_kiln_fast was not installed by its package"); return NULL; }
  PyObject *values = PyTuple_New(n), *res;
  if (!values) return NULL;
  for (Py_ssize_t i = 0; i < n; i++) { Py_INCREF(a[i]); PyTuple_SetItem(values, i, a[i]); }
  res = PyObject_CallFunction(kx_ctypes_run, "isO", fi, code, values);
  Py_DECREF(values);
  return res;
}

/* An array parameter read in place: an exact ndarray of the dtype (of item bytes) and ndim, native byte order,
   aligned, strides of whole items, writable if the function writes it. 0 for anything else (the ctypes function
   takes it). Inlined with its constants: the strides are divided by a constant (a shift), not by the dtype's size read
   from the array (two integer divisions were a tenth of a call on 10 items). */
static inline __attribute__((always_inline)) int kx_array_arg(PyObject *o, int type, int ndim, npy_intp item, int written, void **data, int64_t *shape, int64_t *strides) {
  if (!PyArray_CheckExact(o)) return 0;
  PyArrayObject *x = (PyArrayObject *)o;
  if (PyArray_NDIM(x) != ndim || PyArray_TYPE(x) != type || !PyArray_ISNOTSWAPPED(x) || !PyArray_ISALIGNED(x)) return 0;
  if (written && !PyArray_ISWRITEABLE(x)) return 0;
  const npy_intp *dims = PyArray_DIMS(x), *st = PyArray_STRIDES(x);
  for (int k = 0; k < 3; k++) {
    if (k >= ndim) { shape[k] = 1; strides[k] = 0; continue; }
    if (st[k] % item) return 0;
    shape[k] = dims[k];
    strides[k] = st[k] / item;
  }
  *data = PyArray_DATA(x);
  return 1;
}

/* The capsule has no name: a named one compares the names with strcmp when it is freed. */
static void kx_free_result(PyObject *owner) { kiln_free(PyCapsule_GetPointer(owner, NULL)); }

/* An array result: an ndarray over the library's new C-contiguous buffer (no copy), freed with kiln_free when it goes. */
static PyObject *kx_array_result(int type, int ndim, void *data, const int64_t *shape) {
  npy_intp dims[3];
  for (int k = 0; k < ndim; k++) dims[k] = (npy_intp)shape[k];
  if (!data) return PyArray_ZEROS(ndim, dims, type, 0); /* an empty result without a buffer */
  PyObject *arr = PyArray_SimpleNewFromData(ndim, dims, type, data);
  PyObject *owner = arr ? PyCapsule_New(data, NULL, kx_free_result) : NULL;
  if (!owner) { Py_XDECREF(arr); kiln_free(data); return NULL; }
  if (PyArray_SetBaseObject((PyArrayObject *)arr, owner) < 0) { Py_DECREF(arr); return NULL; } /* owner released (and data freed) */
  return arr;
}

/* A NumPy scalar result (np.float64, np.int64, ...), as the ctypes path's numpy.<dtype>(value). */
static PyObject *kx_numpy_scalar(int type, void *value) {
  PyArray_Descr *d = PyArray_DescrFromType(type);
  if (!d) return NULL;
  PyObject *r = PyArray_Scalar(value, d, NULL);
  Py_DECREF(d);
  return r;
}
`;

/** The extension's C source, compiled together with the unit's C source (kiln_<module>.c); `numpy`: with NumPy's headers. */
export function pythonExtensionSource(moduleName: string, headerName: string, exports: ExportedFunction[], numpy = false): string {
  const fns = exports.filter((e) => fastPathEligible(e, numpy));
  return `/* ${PYEXT_MODULE}: the CPython fast path of the Kiln package ${moduleName} (generated by Kiln; limited API, abi3). */
#define PY_SSIZE_T_CLEAN
#define Py_LIMITED_API ${PYEXT_LIMITED_API}
#include <Python.h>
#include <stdint.h>
#include <stdbool.h>
#include <string.h>
#include "${headerName}"
${fns.some(usesNumpy) ? NUMPY_HELPERS : ''}
/* The package's Python helpers (installed by its __init__): the ctypes path's own conversion and binding. */
static PyObject *kx_convert; /* convert(function index, parameter index, value) -> exact int/float, or raises */
static PyObject *kx_binder;  /* bind(function index, args tuple, kwargs dict) -> tuple of the parameters, or raises */

static PyObject *kx_error;   /* error(type name, message) -> the exception, as the ctypes path builds it */

static PyObject *kx_raise(void) {
  const char *type = kiln_error_type();
  const char *msg = kiln_error_message();
  if (kx_error) {
    PyObject *m = PyUnicode_DecodeUTF8(msg, (Py_ssize_t)strlen(msg), "replace");
    PyObject *exc = m ? PyObject_CallFunction(kx_error, "sO", type, m) : NULL;
    Py_XDECREF(m);
    if (!exc) return NULL;
    PyErr_SetObject((PyObject *)Py_TYPE(exc), exc);
    Py_DECREF(exc);
    return NULL;
  }
  /* Exceptions a library defines (NumPy's AxisError, LinAlgError) come from their module; the rest are builtins. */
  static const char *const library[][2] = {${LIBRARY_EXCEPTIONS.map((k) => `{"${k.name}", "${k.module}"}`).join(', ')}};
  PyObject *owned = NULL, *cls = NULL;
  for (size_t i = 0; i < sizeof library / sizeof library[0]; i++) {
    if (strcmp(type, library[i][0]) != 0) continue;
    PyObject *mod = PyImport_ImportModule(library[i][1]);
    if (mod) { owned = PyObject_GetAttrString(mod, type); Py_DECREF(mod); }
    cls = owned;
  }
  if (!cls) {
    PyObject *builtins = PyEval_GetBuiltins(); /* borrowed */
    cls = builtins ? PyDict_GetItemString(builtins, type) : NULL; /* borrowed */
  }
  if (!cls || !PyType_Check(cls) || PyObject_IsSubclass(cls, PyExc_BaseException) != 1) {
    PyErr_Clear();
    cls = PyExc_RuntimeError;
  }
  if (msg && *msg) {
    PyObject *m = PyUnicode_FromString(msg);
    if (m) { PyErr_SetObject(cls, m); Py_DECREF(m); }
  } else {
    PyErr_SetNone(cls);
  }
  return NULL;
}

static PyObject *kx_slow(int fi, int pi, PyObject *v) {
  if (!kx_convert) { PyErr_SetString(PyExc_ImportError, "${PYEXT_MODULE} was not installed by its package"); return NULL; }
  return PyObject_CallFunction(kx_convert, "iiO", fi, pi, v);
}

static int kx_bool(int fi, int pi, PyObject *v, bool *b) {
  if (v == Py_True || v == Py_False) { *b = v == Py_True; return 0; }
  PyObject *c = kx_slow(fi, pi, v); /* NumPy's bool, or the package's TypeError */
  if (!c) return -1;
  int t = PyObject_IsTrue(c);
  Py_DECREF(c);
  if (t < 0) return -1;
  *b = t != 0;
  return 0;
}

static int kx_double(int fi, int pi, PyObject *v, double *d) {
  if (PyFloat_CheckExact(v)) { *d = PyFloat_AsDouble(v); return 0; }
  if (PyLong_CheckExact(v)) { *d = PyLong_AsDouble(v); return (*d == -1.0 && PyErr_Occurred()) ? -1 : 0; }
  PyObject *c = kx_slow(fi, pi, v);
  if (!c) return -1;
  *d = PyFloat_AsDouble(c);
  Py_DECREF(c);
  return (*d == -1.0 && PyErr_Occurred()) ? -1 : 0;
}

static int kx_int(int fi, int pi, PyObject *v, long long lo, long long hi, long long *x) {
  if (PyLong_CheckExact(v)) {
    int overflow = 0;
    long long t = PyLong_AsLongLongAndOverflow(v, &overflow);
    if (!overflow && t >= lo && t <= hi && !(t == -1 && PyErr_Occurred())) { *x = t; return 0; }
    PyErr_Clear();
  }
  PyObject *c = kx_slow(fi, pi, v); /* raises the package's TypeError / OverflowError */
  if (!c) return -1;
  *x = PyLong_AsLongLong(c);
  Py_DECREF(c);
  return (*x == -1 && PyErr_Occurred()) ? -1 : 0;
}

static int kx_u64(int fi, int pi, PyObject *v, uint64_t *x) {
  if (PyLong_CheckExact(v)) {
    unsigned long long t = PyLong_AsUnsignedLongLong(v);
    if (!(t == (unsigned long long)-1 && PyErr_Occurred())) { *x = t; return 0; }
    PyErr_Clear();
  }
  PyObject *c = kx_slow(fi, pi, v);
  if (!c) return -1;
  *x = PyLong_AsUnsignedLongLong(c);
  Py_DECREF(c);
  return (*x == (unsigned long long)-1 && PyErr_Occurred()) ? -1 : 0;
}

/* Keywords or the wrong number of arguments: the package binds them (the same messages as the ctypes path). */
static PyObject *kx_bind(int fi, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames, Py_ssize_t n) {
  if (!kx_binder) { PyErr_SetString(PyExc_ImportError, "${PYEXT_MODULE} was not installed by its package"); return NULL; }
  PyObject *pos = PyTuple_New(nargs);
  PyObject *kw = PyDict_New();
  PyObject *res = NULL;
  if (!pos || !kw) goto done;
  for (Py_ssize_t i = 0; i < nargs; i++) { Py_INCREF(args[i]); PyTuple_SetItem(pos, i, args[i]); }
  if (kwnames) {
    Py_ssize_t nk = PyTuple_Size(kwnames);
    for (Py_ssize_t i = 0; i < nk; i++) if (PyDict_SetItem(kw, PyTuple_GetItem(kwnames, i), args[nargs + i]) < 0) goto done;
  }
  res = PyObject_CallFunction(kx_binder, "iOO", fi, pos, kw);
  if (res && (!PyTuple_Check(res) || PyTuple_Size(res) != n)) {
    Py_DECREF(res);
    res = NULL;
    PyErr_SetString(PyExc_SystemError, "${PYEXT_MODULE}: the package's binder returned a wrong value");
  }
done:
  Py_XDECREF(pos);
  Py_XDECREF(kw);
  return res;
}

static PyObject *kx_install(PyObject *self, PyObject *args) {
  PyObject *convert, *binder, *error = NULL, *ctypes_run = NULL;
  (void)self;
  if (!PyArg_ParseTuple(args, "OO|OO", &convert, &binder, &error, &ctypes_run)) return NULL;${fns.some(usesNumpy) ? `
  Py_XINCREF(ctypes_run);
  Py_XDECREF(kx_ctypes_run);
  kx_ctypes_run = ctypes_run;` : ''}
  Py_XDECREF(kx_convert);
  Py_XDECREF(kx_binder);
  Py_XDECREF(kx_error);
  Py_INCREF(convert);
  Py_INCREF(binder);
  Py_XINCREF(error);
  kx_convert = convert;
  kx_binder = binder;
  kx_error = error;
  Py_RETURN_NONE;
}

/* A call whose tower arguments (types/tower.ts) are Python numbers of a combination that was not compiled. */
#define MAX_TOWER ${MAX_TOWER_PARAMS}
static void kxs_missing(const char *fn, const char *names, long long code, int n, const char *compiled) {
  static const char *const type_names[] = {"float", "int", "bool"};
  char given[512] = "", all[1024] = "";
  const char *name = names;
  int digits[MAX_TOWER], k;
  for (k = n - 1; k >= 0; k--) { digits[k] = code % 3; code /= 3; }
  for (k = 0; k < n; k++) {
    const char *end = strchr(name, ',');
    size_t len = end ? (size_t)(end - name) : strlen(name);
    snprintf(given + strlen(given), sizeof given - strlen(given), "%s%.*s: %s", k ? ", " : "", (int)len, name, type_names[digits[k]]);
    name = end ? end + 1 : name + len;
  }
  for (const char *c = compiled; *c; ) {
    const char *end = strchr(c, ',');
    size_t len = end ? (size_t)(end - c) : strlen(c);
    snprintf(all + strlen(all), sizeof all - strlen(all), "%s(", c == compiled ? "" : ", ");
    name = names;
    for (k = 0; k < (int)len; k++) {
      const char *nend = strchr(name, ',');
      size_t nlen = nend ? (size_t)(nend - name) : strlen(name);
      snprintf(all + strlen(all), sizeof all - strlen(all), "%s%.*s: %s", k ? ", " : "", (int)nlen, name, c[k] == 'f' ? "float" : c[k] == 'i' ? "int" : "bool");
      name = nend ? nend + 1 : name + nlen;
    }
    snprintf(all + strlen(all), sizeof all - strlen(all), ")");
    c = end ? end + 1 : c + len;
  }
  PyErr_Format(PyExc_TypeError, "%s() has no compiled specialisation for (%s); compiled: %s (convert the arguments, e.g. float(x), or give the types of a compiled one)", fn, given, all);
}

/* An int argument past 64 bits for a specialisation's int parameter: the package's OverflowError. */
static void kxs_int_overflow(const char *what, PyObject *v) {
  PyErr_Format(PyExc_OverflowError, "%s = %S does not fit in 64 bits (Kiln's native int is int64)", what, v);
}

/* Whether an int does not fit in int64 (a twin that takes any size runs it: ExportedFunction.bigArgs). */
static int kxs_past64(PyObject *v) {
  int overflow = 0;
  long long x = PyLong_AsLongLongAndOverflow(v, &overflow);
  if (x == -1 && PyErr_Occurred()) PyErr_Clear();
  return overflow != 0;
}

${fns.flatMap(withVariants).filter((e) => e.bigArgs).map((e) => bigCallSource(e, fns.indexOf(fns.find((f) => f.name === e.name)!))).join('\n')}
${fns.flatMap((e, i) => (e.variants ?? []).map((v) => variantSource(e, v, i))).join('\n')}
${fns.map((e, i) => functionSource(e, i)).join('\n\n')}

static PyMethodDef kx_methods[] = {
  {"_install", kx_install, METH_VARARGS, "_install(convert, bind[, error[, ctypes]]): the package's conversion, binding and exception helpers, and its ctypes functions' calls"},
${fns.map((e) => `  {"${e.name}", (PyCFunction)(void (*)(void))kx_${e.name}, METH_FASTCALL | METH_KEYWORDS, ${JSON.stringify(`${e.signature}\n\nNative (Kiln) build of ${e.name} from ${moduleName}.py.`)}},`).join('\n')}
  {NULL, NULL, 0, NULL}
};

static struct PyModuleDef kx_module = { PyModuleDef_HEAD_INIT, "${PYEXT_MODULE}", "Kiln fast path for ${moduleName}", -1, kx_methods, NULL, NULL, NULL, NULL };

PyMODINIT_FUNC PyInit_${PYEXT_MODULE}(void) {${fns.flatMap(withVariants).some((e) => e.bigResults) ? ' kiln_big_results(1); /* ints past 64 bits come back as Python ints */' : ''} return PyModule_Create(&kx_module); }
`;
}

/**
 * The Python appended to the package's __init__: the helpers the extension calls back, then the switch to
 * the extension's functions when it imports. The ctypes functions stay defined above it (the fallback).
 */
export function pythonFastPathSource(exports: ExportedFunction[]): string {
  const fns = exports.filter((e) => fastPathEligible(e));
  const spec = (t: KType) => (isText(t) ? `("${textKind(t) === 'str' ? 'S' : 'B'}${isOptionalText(t) ? '?' : ''}",)` : isNdarray(t) ? '("a",)' : `("s", "${scalarOf(t)}")`);
  const specs = fns.map((e) => `    ("${e.name}", [${e.params.map((p) => `("${p.name}", ${spec(p.type)})`).join(', ')}], ${bindingSpec(e)}),`).join('\n');
  return `
# ---- the fast path: a CPython extension (${PYEXT_MODULE}, abi3) for the scalar and array functions -------
# It converts exact floats and ints and takes NumPy arrays itself and calls back here for everything else, so
# results and exceptions are the ctypes path's. Set KILN_PYTHON_BACKEND=ctypes to use ctypes only.
_FAST_SPECS = [
${specs}
]


def _fast_convert(fi, pi, value):
    param, spec = _FAST_SPECS[fi][1][pi]
    if spec[0] in _TEXT:
        return _text_arg(value, spec[0], param)[0]
    return _to_c(value, spec, param)


def _fast_bind(fi, args, kwargs):
    name, params, sig = _FAST_SPECS[fi]
    return tuple(_bind(name, sig, args, kwargs))


# The ctypes functions' calls on bound arguments, for the array arguments the extension does not take itself: by
# specialisation code ("" the annotated function), the one the extension picked by the same exact types.
_FAST_CTYPES = [getattr(globals()[_n], "_runs", None) or {"": getattr(globals()[_n], "_run", None)} for _n, _, _ in _FAST_SPECS]


def _fast_ctypes(fi, code, values):
    return _FAST_CTYPES[fi][code](list(values))


# Which implementation each function uses: "extension" or "ctypes".
__kiln_backend__ = {_n: "ctypes" for _n in __all__}
if os.environ.get("KILN_PYTHON_BACKEND", "") != "ctypes" and _FAST_SPECS:
    try:
        from . import ${PYEXT_MODULE} as _fast
    except ImportError:  # another platform or Python, or not built: the ctypes functions stay
        _fast = None
    if _fast is not None:
        _fast._install(_fast_convert, _fast_bind, _exception, _fast_ctypes)
        for _n, _, _ in _FAST_SPECS:
            if hasattr(_fast, _n):  # an array function is not in an extension built without NumPy's headers
                globals()[_n] = getattr(_fast, _n)
                __kiln_backend__[_n] = "extension"
`;
}

export interface PythonInfo {
  executable: string;
  version: string;
  include: string;
  /** Debian's multiarch triple (x86_64-linux-gnu), or "". */
  multiarch?: string;
  /** NumPy's C headers (numpy.get_include()) and version, when the interpreter has NumPy. */
  numpyInclude?: string;
  numpyVersion?: string;
}

/** The interpreter's version and include folder, when it has the C headers (Python.h). */
export async function pythonHeaders(python: string): Promise<PythonInfo | { error: string }> {
  const code = [
    'import json, sys, sysconfig',
    'np = {}',
    'try:\n    import numpy\n    np = {"numpyInclude": numpy.get_include(), "numpyVersion": numpy.__version__}\nexcept Exception:\n    pass',
    'print(json.dumps({"executable": sys.executable, "version": "%d.%d.%d" % sys.version_info[:3], "include": sysconfig.get_paths()["include"], "multiarch": sysconfig.get_config_var("MULTIARCH") or "", "impl": sys.implementation.name, **np}))',
  ].join('\n');
  const r = await execa(python, ['-c', code], { reject: false, timeout: 30_000 }).catch((e: Error) => ({ exitCode: 1, stdout: '', stderr: e.message }));
  if (r.exitCode !== 0) return { error: `${python} did not run: ${String(r.stderr).split('\n').pop()}` };
  const info = JSON.parse(String(r.stdout)) as PythonInfo & { impl: string };
  if (info.impl !== 'cpython') return { error: `${info.executable} is ${info.impl}, not CPython` };
  const [maj, min] = info.version.split('.').map(Number);
  if (maj !== 3 || min < 10) return { error: `${info.executable} is Python ${info.version}; the extension needs 3.10 or later (the package uses ctypes)` };
  if (!fs.existsSync(path.join(info.include, 'Python.h'))) return { error: `${info.executable} has no C headers (${info.include}/Python.h; Debian: python3-dev)` };
  return info;
}

/**
 * Debian's pyconfig.h includes `<x86_64-linux-gnu/python3.11/pyconfig.h>` from /usr/include, which a compiler
 * given `-target` does not search (and all of /usr/include would bring the host's libc headers). A folder with
 * just that one path, as a link, makes it found.
 */
function multiarchShim(py: PythonInfo, buildDir: string): string[] {
  const multiarch = py.multiarch;
  if (!multiarch) return [];
  const ver = `python${py.version.split('.').slice(0, 2).join('.')}`;
  const real = path.join('/usr/include', multiarch, ver);
  if (!fs.existsSync(path.join(real, 'pyconfig.h'))) return [];
  const shim = path.join(buildDir, 'pyinc');
  const link = path.join(shim, multiarch, ver);
  if (!fs.existsSync(link)) {
    makeFolder(path.dirname(link));
    try { fs.symlinkSync(real, link); } catch (e) { if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e; }
  }
  return [shim];
}

export interface PythonExtensionBuild {
  ok: boolean;
  /** The built file (`<dir>/_kiln_fast.abi3.so`) when ok. */
  file?: string;
  /** Why not, or the compiler's first error line. */
  message?: string;
  python?: PythonInfo;
  functions: string[];
  /** Built with NumPy's headers: the array functions are in it. */
  numpy?: boolean;
  log?: string;
}

/**
 * Builds `_kiln_fast.abi3.so` into `outDir` from the unit's C source (in its build folder, next to the
 * runtime headers) and the generated extension source. Linux only for now (a .pyd needs python3.lib).
 */
export async function buildPythonExtension(o: {
  moduleName: string; exports: ExportedFunction[]; unitSource: string; headerName: string; buildDir: string; outDir: string;
  toolchain: Toolchain; triple?: string; python: string; optLevel?: 'O0' | 'O1' | 'O2' | 'O3' | 'Os'; fastMath?: boolean; signal?: AbortSignal;
  /** The library's own flags for its target (KILN_DISPATCH on x86-64: the vector math's AVX2/AVX-512 paths). */
  libraryFlags?: string[];
}): Promise<PythonExtensionBuild> {
  const functions = o.exports.filter((e) => fastPathEligible(e)).map((e) => e.name);
  if (!functions.length) return { ok: false, functions, message: 'no function has only scalar, text or NumPy array parameters and result' };
  if (process.platform !== 'linux') return { ok: false, functions, message: `the extension is built on Linux only for now (this is ${process.platform}); the package uses ctypes` };
  const py = await pythonHeaders(o.python);
  if ('error' in py) return { ok: false, functions, message: py.error };
  makeFolder(o.outDir);
  // The array functions need NumPy's headers (>= 1.23: the oldest NumPy the built module then runs with).
  const [npMajor, npMinor] = (py.numpyVersion ?? '0.0').split('.').map(Number);
  const numpy = !!py.numpyInclude && (npMajor > 1 || npMinor >= 23) && fs.existsSync(path.join(py.numpyInclude, 'numpy', 'arrayobject.h'));
  const src = path.join(o.buildDir, `${PYEXT_MODULE}_${o.moduleName}.c`);
  const text = pythonExtensionSource(o.moduleName, o.headerName, o.exports, numpy);
  if (!fs.existsSync(src) || fs.readFileSync(src, 'utf8') !== text) fs.writeFileSync(src, text);
  const file = path.join(o.outDir, `${PYEXT_MODULE}.abi3.so`);
  const tmp = `${file}.tmp-${process.pid}`;
  const r = await compileC({
    toolchain: o.toolchain, triple: o.triple, sources: [src, o.unitSource], output: tmp, kind: 'shared',
    includeDirs: [o.buildDir, py.include, ...multiarchShim(py, o.buildDir), ...(numpy ? [py.numpyInclude!] : [])],
    optLevel: o.optLevel, fastMath: o.fastMath, signal: o.signal, cwd: o.buildDir,
    // Python's symbols are resolved by the interpreter that loads the module.
    extraFlags: [...new Set([...(o.libraryFlags ?? []), '-s', '-Wl,--allow-shlib-undefined', '-Wno-unused-function', '-Wno-unused-label'])],
  });
  if (!r.ok) {
    fs.rmSync(tmp, { force: true });
    const first = r.log.split('\n').find((l) => /error/i.test(l)) ?? r.log.split('\n')[0];
    return { ok: false, functions, python: py, message: `the extension did not build: ${first.trim()}`, log: r.log };
  }
  fs.renameSync(tmp, file);
  return { ok: true, file, python: py, functions: o.exports.filter((e) => fastPathEligible(e, numpy)).map((e) => e.name), numpy, log: r.log };
}
