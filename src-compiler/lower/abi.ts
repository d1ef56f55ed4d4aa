/**
 * The C ABI of a compiled module, as its callers see it: the generated pair (CUnit), each exported function's
 * symbol, parameters and result (ExportedFunction, abiPrototype, the parameter/result C types), the error
 * accessors every library exports, and the one table of Python exceptions the C runtime can raise.
 * export/, run/, bench/ and api/ import this module, never the emitter (lower/c.ts).
 *
 * Arrays cross as a struct passed by value: `kiln_array_<dtype> { T *data; int64_t shape[3]; int64_t
 * strides[3]; }`, strides counted in elements (not bytes), any sign, so NumPy views (slices, reversed,
 * transposed) pass without a copy; the number of dimensions is fixed by the signature. A list parameter is
 * in-out, a pointer to `kiln_list_<item> { int64_t len; T *data; }`: it is copied on entry, and when the call
 * returns (on success AND on error, as Python's caller sees every mutation made before an exception) the
 * wrapper writes the list's final state back: `len` and `data`, a NEW malloc'd buffer that the caller frees
 * with kiln_free (the caller's own buffer is never written or freed). Results come back through `out`: the
 * library allocates a new C-contiguous buffer for `out->data` and the caller releases it with
 * `kiln_free(out->data)`. Everything else a call allocates is released before the exported function returns.
 */
import { ARRAY_DTYPES, SCALARS, T, arrayStructName, cType, isNicheOptional, listStructName, tupleStructName, typeToString, unionField, unionTag, unionTagC, type KType } from '../types/types.ts';
import type { PyLiteral } from '../frontend/ast.ts';
import type { ParamKind } from '../ir/ir.ts';
import type { SkippedSpecialisation } from '../types/tower.ts';

export interface CUnit {
  /** File names (without directory) of the generated pair. */
  sourceName: string;
  headerName: string;
  source: string;
  header: string;
  /** For each exported function: its C symbol and ABI. */
  exports: ExportedFunction[];
  /** C line (1-based) -> Python line, for source mapping in the studio. */
  lineMap: { cLine: number; pyLine: number; function: string; node?: string }[];
  /** The Python file of each function a traceback frame names (kiln_error_frame_function): a program may span modules. */
  frameFiles?: Record<string, string>;
  /**
   * A project's library is built from several objects, so that a change recompiles one (README "Incremental
   * builds"): the runtime's (its shared state, KILN_RUNTIME_STATE, and the error accessors) first, then one per
   * Python module (its functions and the exported wrappers of its entries). `source` stays the whole program in
   * one file, to read and map lines; it is not what such a library is built from.
   */
  objects?: CObject[];
}

/** One C file of a library built from several objects: it defines KILN_SHARED_STATE (see kiln_runtime.h). */
export interface CObject {
  sourceName: string;
  source: string;
}

export interface ExportedFunction {
  /** The library's name for it: the Python name, qualified (`pkg.mod.f`) when it is not of the unit's primary module. */
  name: string;
  /** The Python module (`pkg.mod`) and file it is defined in. */
  module?: string;
  file?: string;
  symbol: string;
  /** `written`: an array or list parameter the function may write into (see opt/writes.ts): a read-only NumPy
   *  array passed for it raises ValueError in the exported Python package, as NumPy would.
   *  `literal`: a `Literal["a", "b"]` parameter's values (a str checked on entry: ValueError otherwise). */
  /** `otherKind`: a list where an array is annotated (or the reverse) means the same here, converted at the boundary
   * (opt/arrayLike.ts); an array or list parameter without it refuses the other kind with a TypeError. */
  params: { name: string; type: KType; written?: boolean; otherKind?: boolean; kind?: ParamKind; default?: PyLiteral; literal?: string[] }[];
  returnType: KType;
  line: number;
  signature: string;
  /** How its float results are compared with CPython's (opt/tolerance.ts): bit for bit unless an inexact op reaches them. */
  tolerance?: Tolerance;
  /** The same where the harness's C library is not glibc (musl, wasi-libc), when the C library's functions reach them. */
  libcTolerance?: Tolerance;
  /** The program's exception classes (`class ParseError(ValueError): pass`), each with its base: the exported packages define them. */
  exceptionClasses?: Record<string, string>;
  /**
   * The handle APIs of those whose instances carry fields (docs/design/exceptions.md): an error of one that leaves the
   * call keeps its instance (kiln_error_object()), whose fields the exported packages copy onto the exception.
   */
  exceptionHandles?: HandleApi[];
  /** It has a big-int twin (lower/c_bigint.ts): after kiln_big_results(1), a result past 64 bits returns
   *  KILN_BIG_RESULT and kiln_big_result() gives it (Python's hex() text); otherwise it raises OverflowError. */
  bigResults?: boolean;
  /** Its twin also takes ints past 64 bits: `<symbol>_big`, each int argument as Python's hex() text (lower/c_bigint.ts). */
  bigArgs?: boolean;
  /**
   * Specialisations for other argument types Python accepts (types/tower.ts): `code` names one (`iii`: x, y, z
   * ints) and its symbol (`kiln_fma__iii`); an entry lists its built ones in `variants`, and in `skipped` the
   * candidates left out and why.
   */
  code?: string;
  variants?: ExportedFunction[];
  skipped?: SkippedSpecialisation[];
  /** The handle APIs of the classes whose instances it takes or returns (lower/c_abi_instances.ts), as the header declares them. */
  handles?: HandleApi[];
  /** The specialisations are those `@compile(signatures=[...])` lists (else the default tower candidates). */
  listed?: boolean;
  /** Codes with a bool that run a built specialisation with an int there (same C): `bff` -> `iff`. */
  boolAliases?: Record<string, string>;
}

/** The C API of one class's handle: its type, and each function with what it does (lower/c_abi_instances.ts). */
export interface HandleApi {
  handle: string;
  python: string;
  /** The class's module (`pkg.mod`) and qualified name (`pkg.mod.Vec`, as an instance type names it). */
  module: string;
  qualified: string;
  /** The fields with accessors, in the class's order (kiln_<Class>_new's parameters). */
  fields: { name: string; type: KType }[];
  /** Why `kiln verify` and the exported Python package cannot carry its instances (field by field), if they cannot. */
  transportProblem?: string;
  /** No setters (a frozen dataclass, a NamedTuple). */
  frozen: boolean;
  /** A `@dataclass`: whether it generates `__eq__` (by fields) and `__repr__`. */
  dataclass?: { eq: boolean; repr: boolean };
  functions: { prototype: string; note: string }[];
  /** Fields whose type has no accessor (`d: dict[str, int]`). */
  noAccessor: string[];
  /**
   * Its methods exported as C functions (lower/c_abi_instances.ts `methodSpecs`): `kiln_<Class>__<method>(self, ...)`,
   * the specialisations compiled code made of each, self a borrowed handle; the exported packages call them. A method
   * with several (they differ in number parameters only) has one entry per specialisation: `code` its letters at the
   * parameters `at` (self is 0; symbol `kiln_Vec__scaled__i`), which the packages dispatch on.
   */
  methods?: { name: string; symbol: string; prototype: string; signature: string; params: ExportedFunction['params']; returnType: KType; code?: string; at?: number[] }[];
  /**
   * A generator's frames (ir/generator_frames.ts), which cross as an exported function's result: `name` as written,
   * the type of its items (the getter of `__kiln_val`, fields[0]), read after `kiln_<frame>__next(h, &made)` set made;
   * `returns`, the type of its `return v` (the getter of `__kiln_ret`, fields[1]), read when made stays false;
   * `receives`: it has `x = yield v`; a sent value crosses through the method `send` (kiln_<frame>__send(h, S value,
   * bool *made)) when the generator is annotated Generator[Y, S, R] with an S that crosses.
   */
  generator?: { name: string; item?: KType; returns?: KType; receives?: boolean };
}

/** An exported function and its specialisations, the annotated one first (each its own C symbol). */
export function withVariants(e: ExportedFunction): ExportedFunction[] {
  return [e, ...(e.variants ?? [])];
}

/** The harness's name for an export: its name, and `__<code>` for a specialisation (`fma__iii`). */
export function harnessName(e: ExportedFunction): string {
  return e.code ? `${e.name}__${e.code}` : e.name;
}

/** A default value as Python writes it: `2.0`, `float('inf')`, `(1, 2)`, `True`. */
export function pyLiteralText(v: PyLiteral): string {
  if (v === null) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'string') return pyStringRepr(v);
  switch (v._t) {
    case 'int': return v.dec;
    case 'bytes': return `b'${v.hex.replace(/../g, (h) => `\\x${h}`)}'`;
    case 'float': return v.repr === 'inf' || v.repr === '-inf' || v.repr === 'nan' ? `float('${v.repr}')` : v.repr;
    case 'complex': return `complex(${[v.re, v.im].map((x) => (x === 'inf' || x === '-inf' || x === 'nan' ? `float('${x}')` : x)).join(', ')})`;
    case 'tuple': return v.items.length === 1 ? `(${pyLiteralText(v.items[0])},)` : `(${v.items.map(pyLiteralText).join(', ')})`;
    case 'list': return `[${v.items.map(pyLiteralText).join(', ')}]`;
    case 'dict': return `{${v.items.map(([k, x]) => `${pyLiteralText(k)}: ${pyLiteralText(x)}`).join(', ')}}`;
    case 'set': return v.items.length ? `{${v.items.map(pyLiteralText).join(', ')}}` : 'set()';
    case 'deque': return `deque([${v.items.map(pyLiteralText).join(', ')}]${v.maxlen === null ? '' : `, maxlen=${v.maxlen}`})`;
    case 'new': return v.text;
    default: return v.repr;
  }
}

/** An exported function's signature as Python would show it: `f(x: float, k: float = 2.0, *, c: int = 3) -> float`. */
export function pythonSignature(name: string, params: ExportedFunction['params'], returnType: KType): string {
  const parts: string[] = [];
  params.forEach((p, i) => {
    if (p.kind === 'kwonly' && params[i - 1]?.kind !== 'kwonly') parts.push('*');
    parts.push(`${p.name}: ${typeToString(p.type)}${p.default !== undefined ? ` = ${pyLiteralText(p.default)}` : ''}`);
    if (p.kind === 'posonly' && params[i + 1]?.kind !== 'posonly') parts.push('/');
  });
  return `${name}(${parts.join(', ')}) -> ${typeToString(returnType)}`;
}

/**
 * How an exported function's float results are verified (opt/tolerance.ts decides, run/verify.ts compares):
 * 'exact' bit for bit; 'ulps' every float within that many ULPs of CPython's; 'loose' within a relative
 * LOOSE_RTOL of the largest magnitude in its result. `via`: the inexact ops (np.exp, a @ b) that made it so.
 */
export type Tolerance =
  | { kind: 'exact' }
  | { kind: 'ulps'; ulps: number; via: string[] }
  | { kind: 'loose'; via: string[]; why: string };

/** Relative tolerances of a 'loose' comparison, by dtype. */
export const LOOSE_RTOL = { float64: 2 ** -26, float32: 2 ** -11 } as const;

// ---- exceptions -------------------------------------------------------------------------------------

/**
 * One exception kind: its Python base class (`__base__`), and for NumPy's own exceptions the module that
 * defines it (`from numpy.exceptions import AxisError`) and its other bases (AxisError is also an IndexError).
 */
export interface ExceptionKind {
  name: string;
  base: string;
  strIsRepr?: boolean;
  module?: string;
  alsoBases?: readonly string[];
}

/**
 * The Python exceptions compiled code raises, in the order of the C runtime's `enum kr_error_kind` (its
 * KILN_<name> constant is the position + 1; 0 is KILN_OK) and of `kr_error_names`, with each one's Python base
 * class (what `except ArithmeticError:` needs to know). resources/c/kiln_runtime.h must list the same kinds
 * in the same order (tests/unit/abi.test.ts checks it, and the bases against CPython). `raise` in compiled
 * code takes any of them.
 */
export const EXCEPTION_KINDS: readonly ExceptionKind[] = [
  { name: 'ZeroDivisionError', base: 'ArithmeticError' },
  { name: 'OverflowError', base: 'ArithmeticError' },
  { name: 'ValueError', base: 'Exception' },
  { name: 'AssertionError', base: 'Exception' },
  { name: 'UnboundLocalError', base: 'NameError' },
  { name: 'TypeError', base: 'Exception' },
  { name: 'IndexError', base: 'LookupError' },
  { name: 'RecursionError', base: 'RuntimeError' },
  { name: 'Exception', base: 'BaseException' },
  { name: 'ArithmeticError', base: 'Exception' },
  { name: 'RuntimeError', base: 'Exception' },
  { name: 'NotImplementedError', base: 'RuntimeError' },
  { name: 'KeyError', base: 'LookupError', strIsRepr: true }, // str(KeyError('k')) is "'k'"
  { name: 'MemoryError', base: 'Exception' },
  { name: 'NameError', base: 'Exception' },
  { name: 'LookupError', base: 'Exception' },
  { name: 'UnicodeError', base: 'ValueError' },
  { name: 'UnicodeDecodeError', base: 'UnicodeError' }, // bytes.decode, and invalid UTF-8 given for a str parameter
  { name: 'UnicodeEncodeError', base: 'UnicodeError' }, // str.encode, and a str result holding a lone surrogate
  { name: 'AttributeError', base: 'Exception' }, // str.format's {0.name}
  // NumPy's: an axis out of range (np.sum(a, axis=2) of a 2-D array), and numpy.linalg's errors.
  { name: 'AxisError', base: 'ValueError', module: 'numpy.exceptions', alsoBases: ['IndexError'] },
  { name: 'LinAlgError', base: 'ValueError', module: 'numpy.linalg' },
  { name: 'StopIteration', base: 'Exception' }, // next(it) on an exhausted generator or iterator
  { name: 'SyntaxError', base: 'Exception' }, // raised by the program (a hand-written tokenizer or parser)
  { name: 'EOFError', base: 'Exception' }, // raised by the program (a reader that runs out of input)
];

const KIND_NAMES = new Set(EXCEPTION_KINDS.map((k) => k.name));
const BUILTIN_KIND_NAMES = new Set(EXCEPTION_KINDS.filter((k) => !k.module).map((k) => k.name));

/** A built-in exception (a name `raise` takes without an import); NumPy's kinds are raised by NumPy's ops. */
export const isExceptionKind = (name: string): boolean => BUILTIN_KIND_NAMES.has(name);

/**
 * Built-in exception classes compiled code never raises (no kind of the C runtime is one of them): an `except` clause
 * may name them, and never catches anything.
 */
export const NEVER_RAISED = new Set([
  'OSError', 'IOError', 'EnvironmentError', 'FileNotFoundError', 'FileExistsError', 'PermissionError', 'IsADirectoryError',
  'NotADirectoryError', 'ConnectionError', 'BrokenPipeError', 'ConnectionAbortedError', 'ConnectionRefusedError',
  'ConnectionResetError', 'TimeoutError', 'InterruptedError', 'BlockingIOError', 'ChildProcessError', 'ProcessLookupError',
  'ImportError', 'ModuleNotFoundError', 'StopAsyncIteration', 'GeneratorExit', 'KeyboardInterrupt',
  'SystemExit', 'BufferError', 'FloatingPointError', 'SystemError', 'ReferenceError', 'UnicodeTranslateError',
]);

/** A class an `except` clause of compiled code may name: a built-in kind, BaseException (which catches all), or one never raised. */
export const isCatchableClass = (name: string): boolean => BUILTIN_KIND_NAMES.has(name) || name === 'BaseException' || NEVER_RAISED.has(name);

/** The Python classes of a kind, itself first, then its bases up to BaseException (AxisError's alsoBases too). */
export function exceptionAncestors(name: string): string[] {
  const out: string[] = [];
  const visit = (n: string) => {
    if (out.includes(n)) return;
    out.push(n);
    const k = EXCEPTION_KINDS.find((x) => x.name === n);
    if (!k) return;
    visit(k.base);
    for (const b of k.alsoBases ?? []) visit(b);
  };
  visit(name);
  return out;
}

/** The kinds an `except <cls>` clause catches (CPython's class hierarchy): every kind that has `cls` among its ancestors. */
export function kindsCaughtBy(cls: string): string[] {
  return EXCEPTION_KINDS.filter((k) => exceptionAncestors(k.name).includes(cls)).map((k) => k.name);
}

/** The kinds a library defines (not builtins), by name: the module to import each from (`numpy.exceptions`). */
export const LIBRARY_EXCEPTIONS: readonly { name: string; module: string }[] =
  EXCEPTION_KINDS.flatMap((k) => (k.module ? [{ name: k.name, module: k.module }] : []));

/** The C constant of an exception kind (`KILN_ValueError`); an unknown name is a bug in Kiln. */
export function errorKindC(name: string): string {
  if (!KIND_NAMES.has(name)) throw new Error(`internal: ${name} is not an exception kind of the C runtime (lower/abi.ts EXCEPTION_KINDS)`);
  return `KILN_${name}`;
}

/** The message of `raise <kind>(text)` as Python prints it (str(e): the text, or its repr for KeyError; '' for `raise <kind>()`). */
export function exceptionMessage(kind: string, text: string | undefined): string {
  return text !== undefined && EXCEPTION_KINDS.find((k) => k.name === kind)?.strIsRepr ? pyStringRepr(text) : text ?? '';
}

/** Python's repr() of a str: single quotes unless the text has one and no double quote; escapes as CPython. */
export function pyStringRepr(s: string): string {
  const q = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = q;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '\\' || ch === q) out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch !== ' ' && /[\p{C}\p{Z}]/u.test(ch)) {
      out += c < 0x100 ? `\\x${c.toString(16).padStart(2, '0')}` : c < 0x10000 ? `\\u${c.toString(16).padStart(4, '0')}` : `\\U${c.toString(16).padStart(8, '0')}`;
    } else out += ch;
  }
  return out + q;
}

// ---- what every library exports besides the functions ------------------------------------------------

/** The error accessors (`kiln_error_<name>`): declarations for a header, and their definitions. */
const ERROR_ACCESSORS: { name: string; decl: string; body: string }[] = [
  { name: 'type', decl: 'const char *kiln_error_type(void)', body: '{ return kr_err.cls ? kr_err.cls->name : kr_error_names[kr_err.kind]; }' },
  { name: 'message', decl: 'const char *kiln_error_message(void)', body: '{ return kr_err.message ? kr_err.message : ""; }' },
  { name: 'frame_count', decl: 'int kiln_error_frame_count(void)', body: '{ return kr_err.nframes; }' },
  // The instance of an exception class with fields (a handle of its class, borrowed until the next call), or NULL.
  { name: 'object', decl: 'const void *kiln_error_object(void)', body: '{ return kr_err.escaped; }' },
  { name: 'frame_function', decl: 'const char *kiln_error_frame_function(int i)', body: '{ return i >= 0 && i < kr_err.nframes ? kr_err.frame_function[i] : ""; }' },
  { name: 'frame_line', decl: 'int kiln_error_frame_line(int i)', body: '{ return i >= 0 && i < kr_err.nframes ? kr_err.frame_line[i] : 0; }' },
];
/** The memory functions of a library that uses arrays, lists or strings. */
const MEMORY_FUNCTIONS: { name: string; decl: string; body: string; doc: string }[] = [
  { name: 'free', decl: 'void kiln_free(void *p)', body: '{ kr_free_out(p); }', doc: '/* Releases memory that a result array or list holds (out->data). */' },
  // A unit with the thread pool (kiln_threads.h, which the GEMM includes) also stops its threads.
  {
    name: 'release_memory', decl: 'void kiln_release_memory(void)', body: '{\n  kr_cache_release();\n#ifdef KILN_THREADS_H\n  kr_threads_shutdown();\n#endif\n}',
    doc: '/* Buffers of 64 KB to 16 MB (at most 32 MB) are kept for reuse by later calls, and threads of the thread pool (large matrix products) wait for work; this returns the buffers to the C library and stops the threads. */',
  },
];
/** kiln_release_memory of a library that uses strings: also the freed small blocks kept for reuse and the message buffer. */
const RELEASE_WITH_OBJECTS = '{ kr_cache_release(); kr_str_release(); kr_gc_release(); }';

/** The header's declarations of the error accessors. */
export const errorAccessorDeclarations = (): string[] => ERROR_ACCESSORS.map((a) => `${a.decl};`);
/** The error accessors' definitions in the generated source. */
export const errorAccessorDefinitions = (): string[] => ERROR_ACCESSORS.map((a) => `KILN_EXPORT ${a.decl} ${a.body}`);
/** The header's declarations of kiln_free and kiln_release_memory (libraries that use arrays or lists). */
export const memoryDeclarations = (uses: { strings?: boolean } = {}): string[] =>
  MEMORY_FUNCTIONS.flatMap((m) => [uses.strings && m.name === 'free' ? '/* Releases memory that a result (array, list, str, bytes) or a list parameter holds (out->data). */' : m.doc, `${m.decl};`]);
export const memoryDefinitions = (uses: { strings?: boolean } = {}): string[] =>
  MEMORY_FUNCTIONS.map((m) => `KILN_EXPORT ${m.decl} ${m.name === 'release_memory' && uses.strings ? RELEASE_WITH_OBJECTS : m.body}`);

/**
 * `kiln_<name>`; names that would collide with the library's own functions (kiln_error_type, kiln_free,
 * kiln_dict_str_int_get, ...) get a trailing underscore.
 */
export function exportSymbol(name: string): string {
  const own = [...ERROR_ACCESSORS.map((a) => `error_${a.name}`), ...MEMORY_FUNCTIONS.map((m) => m.name)];
  // The dict and set structs' accessors (containerApi) are the library's too: kiln_dict_str_int_get, kiln_set_int_add.
  return own.includes(name) || /^(dict|set)_\w+_(len|get|contains|iter_next|set|add|free)$/.test(name) ? `kiln_${name}_` : `kiln_${name}`;
}

// ---- C names ------------------------------------------------------------------------------------------

const C_RESERVED = new Set([
  'auto', 'break', 'case', 'char', 'const', 'continue', 'default', 'do', 'double', 'else', 'enum', 'extern', 'float', 'for',
  'goto', 'if', 'inline', 'int', 'long', 'register', 'restrict', 'return', 'short', 'signed', 'sizeof', 'static', 'struct',
  'switch', 'typedef', 'union', 'unsigned', 'void', 'volatile', 'while', 'bool', 'true', 'false', 'out', 'errno', 'main',
  'NAN', 'INFINITY', 'asm', 'typeof', 'alignof', 'alignas', 'noreturn', 'complex', 'imaginary', 'NULL', 'EOF', 'stdin', 'stdout', 'stderr',
]);

/**
 * A Python local's C name: itself unless it would collide with C or Kiln's own names. Those include the
 * runtime's kr_ names and the scratch locals that op lowerings declare in their C blocks (k, kn, kfill, kacc,
 * ks3...: a k and lower-case letters or digits), which would otherwise hide a local of the same name
 * (np.full(3, kn) filled with the array's size).
 */
export function cIdent(name: string): string {
  if (C_RESERVED.has(name) || /^(kiln|kf|kr_|KILN|__)/.test(name) || /^k[a-z0-9]*$/.test(name) || /^[A-Z_]+$/.test(name) || /^(int|uint)\d+_t$/.test(name)) {
    return `${name}_py`;
  }
  return name;
}

// ---- parameters and results ---------------------------------------------------------------------------

const LIST_ITEMS = ['int', 'float', 'bool', ...ARRAY_DTYPES.filter((d) => d !== 'bool')] as const;

/** The header's comment on arrays and lists, and the ABI's array and list structs (lists of lists when the unit passes them). */
export function abiHeaderLines(opts: { nestedLists?: boolean; tupleBuffers?: boolean } = {}): string[] {
  return [
    '/*',
    ' * Arrays: kiln_array_<dtype> is passed by value. data points at element [0, 0, 0]; shape[k] and',
    ' * strides[k] (in ELEMENTS, any sign) are read for k < ndim, where ndim is fixed by the signature',
    ' * ("ndarray[float64, 2d]"). A NumPy array a passes as data = a.ctypes.data, shape = a.shape,',
    ' * strides = a.strides // a.itemsize: no copy for contiguous, strided or reversed views.',
    ' * Lists: a list parameter is in-out, passed as kiln_list_<item> *xs { len, data }; int items are int64_t,',
    ' * float items double. The items are copied on entry; when the call returns, on success AND on error (Python',
    ' * keeps mutations made before an exception), xs->len is the final length and xs->data a NEW buffer with the',
    ' * final items (append, pop, sort, xs[i] = v, ... as Python leaves the list). The caller\'s original buffer is',
    ' * never written or freed; the caller releases the new one with kiln_free(xs->data). xs->data is NULL after',
    ' * the call only when memory ran out while copying back (the call then reports MemoryError).',
    ...(opts.nestedLists ? [
      ' * Lists of lists: kiln_list_list_<item> { len, data, origin }, data[i] a kiln_list_<item>. A parameter is in-out',
      ' * like a list: on return data is a NEW buffer of len inner lists, each with a NEW data buffer, and origin a NEW',
      ' * buffer of len indices: origin[i] is the index (on entry) of the caller\'s inner list that data[i] is (the',
      ' * function may reorder, repeat or replace them), or -1 for a list the function made. The caller frees each',
      ' * data[i].data, then data and origin, with kiln_free. A result has origin NULL (its inner lists are new).',
    ] : []),
    ' * Results: an array or list result is written to *out with out->data a NEW C-contiguous buffer that',
    ' * the caller owns and releases with kiln_free(out->data); out->strides are C-order element strides.',
    ...(opts.tupleBuffers ? [' * A tuple result holds its arrays and lists as above (a struct kiln_abi_tuple_... when it holds lists).'] : []),
    ' * Nothing else outlives the call: memory the function allocates internally is released before it',
    ' * returns, on success and on error.',
    ' */',
    '#ifndef KILN_ABI_ARRAY_TYPES',
    '#define KILN_ABI_ARRAY_TYPES',
    ...ARRAY_DTYPES.map((d) => `typedef struct { ${SCALARS[d].c} *data; int64_t shape[3]; int64_t strides[3]; } ${arrayStructName(d)};`),
    ...LIST_ITEMS.map((i) => `typedef struct { int64_t len; ${SCALARS[i].c} *data; } kiln_list_${i};`),
    '#endif',
    ...(opts.nestedLists ? [
      '#ifndef KILN_ABI_NESTED_LIST_TYPES',
      '#define KILN_ABI_NESTED_LIST_TYPES',
      ...LIST_ITEMS.map((i) => `typedef struct { int64_t len; kiln_list_${i} *data; int64_t *origin; } kiln_list_list_${i};`),
      '#endif',
    ] : []),
    '',
  ];
}

/**
 * The header's comment on values whose type depends on the path (types.ts unions): how the tag comes back.
 * Exported Python package: the Python int, float, bool or None; JS module: number, bigint, boolean or null.
 */
export function unionAbiHeaderLines(): string[] {
  return [
    '/*',
    ' * Values whose type depends on the path (a function that returns 0 on one path and total / n on another,',
    ' * or None when it finds nothing; a parameter annotated Optional[int] or int | float) cross as a tagged',
    ' * struct kiln_union_<members> { uint8_t tag; union { ... } v; } passed and returned by value like a tuple.',
    ' * tag says which member it holds: KILN_TAG_NONE (no field: Python None), KILN_TAG_BOOL (v.b), KILN_TAG_INT',
    ' * (v.i, int64_t), KILN_TAG_FLOAT (v.f, double), KILN_TAG_<NUMPY TYPE> (v.<numpy type>), KILN_TAG_TUPLE + k',
    ' * (v.t<k>, the k-th tuple member). Only the members the struct declares occur. A caller reads v.i when',
    ' * tag == KILN_TAG_INT and so on; an argument must carry a tag of one of its members. Python gives 1 and 1.0',
    ' * as different values, and so does the tag: an int result is KILN_TAG_INT even where it equals a float.',
    ' */',
  ];
}

/** The class an instance type (or `Node | None`: the NULL handle is None) is of; undefined for other types. */
export function instanceClassOf(t: KType): string | undefined {
  const m = t.kind === 'union' && isNicheOptional(t) ? t.members.find((x) => x.kind === 'instance') : t;
  return m?.kind === 'instance' ? m.cls : undefined;
}

/** An exported function takes or returns an instance (a handle). */
export const crossesInstances = (e: ExportedFunction): boolean => [...e.params.map((p) => p.type), e.returnType].some((t) => !!instanceClassOf(t));

/**
 * Why `kiln verify` and the exported Python package cannot pass this function's instances (they read and build them
 * field by field through the handle API), if they cannot; undefined also for a function that passes no instances.
 */
export function instanceTransportProblem(e: ExportedFunction): string | undefined {
  if (!crossesInstances(e)) return undefined;
  if (!e.handles?.length) return 'its class instances cross the C ABI only (no handle API was recorded for it)';
  const bad = e.handles.find((h) => h.transportProblem);
  return bad ? `class ${bad.python}: ${bad.transportProblem}` : undefined;
}

/**
 * The classes whose instances the exported packages (Python, JS) carry: those of every function (and specialisation)
 * whose instances can be carried (instanceTransportProblem), one entry per class, by its Python name.
 */
export function transportedClasses(exports: ExportedFunction[]): HandleApi[] {
  const apis = new Map<string, HandleApi>();
  for (const e of exports) if (!instanceTransportProblem(e)) for (const v of withVariants(e)) for (const h of v.handles ?? []) apis.set(h.python, h);
  return [...apis.values()];
}

/** The handle APIs an exported function's instances use, by the qualified class name an instance type gives. */
export const handlesByClass = (e: ExportedFunction): Map<string, HandleApi> => new Map((e.handles ?? []).map((h) => [h.qualified, h]));

/** The C type of a class's handle (lower/c_abi_instances.ts): `kiln_Vec` for `geometry.Vec`. */
export const handleName = (qualified: string): string => `kiln_${qualified.slice(qualified.lastIndexOf('.') + 1)}`;

/** The C type of a parameter in the exported prototype (a list is passed by pointer: it is in-out; a str or
 *  bytes is this pointer and a length parameter after it, see abiParams). */
export function abiParamType(t: KType): string {
  const cls = instanceClassOf(t);
  if (cls) return `${handleName(cls)} *`;
  if (isStrList(t)) return 'kiln_list_str *';
  if (isFlatContainer(t)) return `${flatContainerName(t)} *`;
  if (isArrayDict(t) || isWeightTree(t)) return `const ${flatContainerName(t)} *`;
  if (t.kind === 'list') return `${listStructName(t.item)} *`;
  const text = textKind(t);
  if (text === 'str') return 'const char *';
  if (text === 'bytes') return 'const uint8_t *';
  if (t.kind === 'complex') return 'kiln_complex';
  return cType(t);
}

/** An exported function passes or returns a complex number (kiln_complex { re, im } by value). */
export const usesComplex = (e: ExportedFunction): boolean => [...e.params.map((p) => p.type), e.returnType].some(holdsComplex);
/** A complex number or complex128 array, or a tuple, list or dict holding one. */
export const holdsComplex = (t: KType): boolean => t.kind === 'complex' || (t.kind === 'array' && t.dtype === 'complex128')
  || (t.kind === 'tuple' && t.items.some(holdsComplex)) || (t.kind === 'list' && holdsComplex(t.item))
  || (t.kind === 'dict' && holdsComplex(t.value));

/** The header's definition of kiln_complex: the runtime's kr_complex (kiln_math.h defines both in a unit). */
export function complexAbiHeaderLines(): string[] {
  return [
    '/* complex: a parameter is kiln_complex { re, im } by value (double each, Python\'s z.real and z.imag); a result is',
    ' * written to *out the same way (in memory, the layout of C99\'s double _Complex and of std::complex<double>). */',
    '#ifndef KILN_COMPLEX_DEFINED',
    '#define KILN_COMPLEX_DEFINED',
    'typedef struct kiln_complex { double re, im; } kiln_complex;',
    '#endif',
    '/* list[complex]: as every list of numbers, len items at data (in-out as a parameter, a new buffer as a result). */',
    'typedef struct { int64_t len; kiln_complex *data; } kiln_list_complex;',
    '/* list[list[complex]]: as every list of lists of numbers (len rows at data, origin: see the lists of lists above). */',
    'typedef struct { int64_t len; kiln_list_complex *data; int64_t *origin; } kiln_list_list_complex;',
    '/* NumPy complex128 arrays: as every array (data, shape, element strides), items kiln_complex. */',
    '#ifndef KILN_ARRAY_COMPLEX128_DEFINED',
    '#define KILN_ARRAY_COMPLEX128_DEFINED',
    'typedef struct { kiln_complex *data; int64_t shape[3]; int64_t strides[3]; } kiln_array_complex128;',
    '#endif',
    '',
  ];
}

/** `list[str]`: in-out like every list, as kiln_list_str { len, data } of kiln_str items. */
export const isStrList = (t: KType): boolean => t.kind === 'list' && t.item.kind === 'str';

/**
 * A value that crosses as text: str or bytes, and `str | None` / `bytes | None` (the same pointer and length,
 * NULL for None). undefined for any other type.
 */
export function textKind(t: KType): 'str' | 'bytes' | undefined {
  if (t.kind === 'str' || t.kind === 'bytes') return t.kind;
  if (t.kind === 'union' && t.members.length === 2 && t.members[1].kind === 'none' && (t.members[0].kind === 'str' || t.members[0].kind === 'bytes')) return t.members[0].kind;
  return undefined;
}
// ---- dicts and sets: a flat layout (docs/design/abi-values.md) ----

/** The item types a dict's keys and values, or a set's items, have across the C ABI. */
const FLAT_ITEM: Record<string, string> = { int: 'int64_t', float: 'double', bool: 'bool', str: 'kiln_str', complex: 'kiln_complex' };
/**
 * int, float, bool, str or complex: the name of an item type in a flat struct's name; undefined for any other type.
 * (complex only as a dict's value: compiled code has no complex keys or set items, types/ops/dicts.ts containerKind.)
 */
export function flatItem(t: KType): 'int' | 'float' | 'bool' | 'str' | 'complex' | undefined {
  if (t.kind === 'str') return 'str';
  if (t.kind === 'complex') return 'complex';
  if (t.kind === 'scalar' && (t.name === 'int' || t.name === 'float' || t.name === 'bool')) return t.name;
  return undefined;
}
/** A tuple of int, float and bool (a grid coordinate, an edge): a dict key or set item by value, the header's tuple struct. */
export const isNumberTuple = (t: KType): t is KType & { kind: 'tuple' } =>
  t.kind === 'tuple' && !t.record && t.items.length > 0 && t.items.every((x) => x.kind === 'scalar' && (x.name === 'int' || x.name === 'float' || x.name === 'bool'));
/**
 * A dict's key or a set's or deque's item in the flat layout: a flat item, a tuple of numbers (`tuple_int_int`), or a
 * frozenset of either (`frozenset_str`: keys[i] the inner set's kiln_set_<item> by value).
 */
export function flatKey(t: KType): string | undefined {
  if (t.kind === 'set' && t.frozen) {
    const inner = t.item.kind === 'set' ? undefined : flatKey(t.item);
    return inner && `frozenset_${inner}`;
  }
  return flatItem(t) ?? (isNumberTuple(t) ? tupleStructName(t).slice('kiln_'.length) : undefined);
}
/**
 * A dict's value in the flat layout: a flat item; a list of int, float, bool (`list_int`: an adjacency list's values,
 * each a kiln_list_<item> { len, data } of the array header) or str (`list_str`: kiln_list_str); or a dict of flat keys
 * and items (`dict_str_float`: a nested dict of numbers, values[i] the inner kiln_dict_<K>_<V> by value). undefined for
 * any other type.
 */
export function flatValue(t: KType): string | undefined {
  if (t.kind === 'list' && t.item.kind === 'scalar' && (t.item.name === 'int' || t.item.name === 'float' || t.item.name === 'bool')) return `list_${t.item.name}`;
  if (t.kind === 'list' && t.item.kind === 'str') return 'list_str';
  if (t.kind === 'dict' && flatKey(t.key) && flatValue(t.value)) return `dict_${flatKey(t.key)}_${flatValue(t.value)}`;
  return flatItem(t);
}
/** A dict's values are lists (kiln_list_<item>, each list's data NEW after a call). */
export const hasListValues = (t: KType): t is KType & { kind: 'dict'; value: KType & { kind: 'list' } } => t.kind === 'dict' && t.value.kind === 'list' && !!flatValue(t.value);
/**
 * A dict whose values are objects the caller holds (lists, inner dicts): its struct has `int64_t *origin` after the
 * call, origin[i] the entry index of the caller's value that values[i] is (-1: one the function made), so a package
 * updates the caller's own list or dict in place, as Python's caller sees it (NULL for a result).
 */
export const hasObjectValues = (t: KType): boolean => t.kind === 'dict' && (t.value.kind === 'list' || t.value.kind === 'dict') && !!flatValue(t.value);
/** The C type of one flat item (kiln_str for str) or dict value (kiln_list_<item> for a list, the inner dict's struct). */
export const flatItemC = (t: KType): string => (t.kind === 'list' ? `kiln_${flatValue(t)}` : t.kind === 'dict' || t.kind === 'set' ? flatContainerName(t)
  : isNumberTuple(t) ? tupleStructName(t) : FLAT_ITEM[flatItem(t)!]);
/**
 * dict[K, V], set[T] or deque[T] of ints, floats, bools or str (a dict's values also lists of numbers or str, and flat
 * dicts): it crosses as a flat struct of arrays in iteration order.
 */
export const isFlatContainer = (t: KType): boolean =>
  (t.kind === 'dict' && !!flatKey(t.key) && !!flatValue(t.value)) || ((t.kind === 'set' || t.kind === 'deque') && !!flatKey(t.item));
/** kiln_dict_<key>_<value>, kiln_set_<item> or kiln_deque_<item>. */
export function flatContainerName(t: KType): string {
  if (isWeightTree(t)) return `kiln_tree_${weightTreeLeaf(t).dtype}`;
  if (isArrayDict(t)) {
    const v = (t as DictType).value;
    return `kiln_dict_str_${v.kind === 'array' ? `array_${v.dtype}` : flatContainerName(v).slice('kiln_'.length)}`;
  }
  if (t.kind === 'dict') return `kiln_dict_${flatKey(t.key)}_${flatValue(t.value)}`;
  if (t.kind === 'set' || t.kind === 'deque') return `kiln_${t.kind}_${flatKey(t.item)}`;
  throw new Error(`internal: ${typeToString(t)} has no flat ABI struct`);
}
/** The C fields of a flat struct: a dict's keys and values, a set's items, a deque's items and maxlen. */
export function flatContainerFields(t: KType): string[] {
  if (isWeightTree(t)) {
    const name = flatContainerName(t);
    return ['int64_t kind', 'int64_t len', 'const kiln_str *keys', `const struct ${name} *items`, `${arrayStructName(weightTreeLeaf(t).dtype)} array`];
  }
  if (isArrayDict(t)) return ['int64_t len', 'kiln_str *keys', `${arrayDictValueC(t as DictType)} *values`];
  // index: the accessors' hash index over keys or items (kr_abi_index of kiln_dict.h; NULL until a lookup builds it).
  if (t.kind === 'dict') return ['int64_t len', `${flatItemC(t.key)} *keys`, `${flatItemC(t.value)} *values`, ...(hasObjectValues(t) ? ['int64_t *origin'] : []), 'void *index'];
  if (t.kind === 'set') return ['int64_t len', `${flatItemC(t.item)} *items`, 'void *index'];
  if (t.kind === 'deque') return ['int64_t len', `${flatItemC(t.item)} *items`, 'int64_t maxlen'];
  throw new Error(`internal: ${typeToString(t)} has no flat ABI struct`);
}
/**
 * `dict[str, NDArray]` (one dtype and rank, as compiled code holds them), and dicts of them at any depth
 * (`dict[str, dict[str, NDArray]]`): a parameter crosses as kiln_dict_str_array_<dtype> { len, keys, values } (a result too),
 * values[i] the caller's own view (no copy), as array parameters; a nested dict's values are the inner dicts' structs
 * (kiln_dict_str_dict_str_array_<dtype>).
 */
export const isArrayDict = (t: KType): boolean =>
  t.kind === 'dict' && t.key.kind === 'str' && (t.value.kind === 'array' || isArrayDict(t.value));
/** A dict type (of arrays, where isArrayDict says so). */
export type DictType = KType & { kind: 'dict' };
/** The array type at the bottom of a dict of arrays (nested or not). */
export function arrayDictLeaf(t: KType): KType & { kind: 'array' } {
  const v = (t as DictType).value;
  return v.kind === 'array' ? v : arrayDictLeaf(v);
}
/** How many dicts deep a dict of arrays is: 1 for dict[str, NDArray]. */
export const arrayDictDepth = (t: KType): number => (t.kind === 'dict' ? 1 + arrayDictDepth(t.value) : 0);
/** The C type of a dict of arrays' values: the array struct, or the inner dict's struct. */
const arrayDictValueC = (t: DictType): string => (t.value.kind === 'array' ? arrayStructName(t.value.dtype) : flatContainerName(t.value));
/**
 * Weights nested as picoGPT keeps them, a parameter given its layout in `@compile(ndim=...)` (types/annotations.ts
 * weightTreeType): a record of arrays of one dtype, records and lists of records, or a list of such records. It
 * crosses as a tree of kiln_tree_<dtype> nodes { kind, len, keys, items, array }: kind 0 an array (the
 * caller's view), 1 a dict (len keys and items), 2 a list (len items); the wrapper makes compiled code's records
 * and lists of it (lower/c_abi_containers.ts weightTreeHelpers), checking each dict has the keys the layout names.
 */
export const isWeightTree = (t: KType): boolean =>
  (t.kind === 'record' && t.items.length > 0 && t.items.every((x) => x.kind === 'array' || isWeightTree(x)) && sameDtype(t))
  || (t.kind === 'list' && t.item.kind === 'record' && isWeightTree(t.item));
const leaves = (t: KType): (KType & { kind: 'array' })[] =>
  t.kind === 'array' ? [t] : t.kind === 'record' ? t.items.flatMap(leaves) : t.kind === 'list' ? leaves(t.item) : [];
const sameDtype = (t: KType): boolean => new Set(leaves(t).map((a) => a.dtype)).size === 1;
/** The first array of a weight tree (its dtype is every array's). */
export const weightTreeLeaf = (t: KType): KType & { kind: 'array' } => leaves(t)[0];
/** An exported function takes a dict of arrays or a laid-out weight tree (the harness holds their buffers until the call returns). */
export const takesArrayDict = (e: ExportedFunction): boolean => e.params.some((p) => isArrayDict(p.type) || isWeightTree(p.type));
/** Every dict, set and deque type an exported function passes or returns (in tuples too), and every dict of arrays it takes, once each. */
export function flatContainersOf(exports: ExportedFunction[]): KType[] {
  const out: KType[] = [];
  const visit = (t: KType) => {
    if (t.kind === 'tuple') t.items.forEach(visit);
    // An inner dict's struct first (of arrays, or of numbers).
    if (t.kind === 'dict' && (isArrayDict(t) || isFlatContainer(t)) && t.value.kind === 'dict') visit(t.value);
    // A frozenset key or item's set struct first too.
    const key = t.kind === 'dict' ? t.key : t.kind === 'set' || t.kind === 'deque' ? t.item : undefined;
    if (key?.kind === 'set' && isFlatContainer(t)) visit(key);
    // Once per type: dicts of arrays of two ranks share a struct (the header declares it once) but not their helpers.
    if ((isFlatContainer(t) || isArrayDict(t) || isWeightTree(t)) && !out.some((x) => typeToString(x) === typeToString(t))) out.push(t);
  };
  for (const e of exports) [...e.params.map((p) => p.type), e.returnType].forEach(visit);
  return out;
}
/**
 * The accessor API of a dict or set struct (docs/design/abi-values.md "The accessor API"): what a C caller uses to
 * read a result, build a parameter and free either, without walking the arrays. One function per operation, each
 * with its one-line contract; the header declares them after the struct, the unit defines them
 * (lower/c_abi_containers.ts containerApiDefinitions), the studio's C ABI panel lists them.
 */
export interface ContainerApi {
  /** The struct (`kiln_dict_str_int`) and the Python type it carries (`dict[str, int]`). */
  struct: string;
  python: string;
  functions: { name: string; prototype: string; note: string }[];
}
/** A key or set item the accessors take: int, float, bool, str, or a tuple of numbers (by value). */
const accessorKey = (t: KType): boolean => (flatItem(t) !== undefined && flatItem(t) !== 'complex') || isNumberTuple(t);
/**
 * A dict value the accessors take and give: int, float, bool, str or complex; a list of int, float, bool or str (an
 * adjacency list: kiln_list_<item> by value, its data borrowed); a dict that has accessors itself (a pointer to it
 * inside the outer struct, so its own accessors and index work in place).
 */
const accessorValue = (t: KType): boolean => flatItem(t) !== undefined || (t.kind === 'list' && !!flatValue(t)) || (t.kind === 'dict' && hasContainerApi(t));
/** dict[K, V] with such keys and values, and set[T] (frozenset[T]) of such items. */
export const hasContainerApi = (t: KType): t is KType & ({ kind: 'dict' } | { kind: 'set' }) =>
  (t.kind === 'dict' && accessorKey(t.key) && !isArrayDict(t) && accessorValue(t.value)) || (t.kind === 'set' && accessorKey(t.item));
/**
 * The C parameters that pass a key or value `name` of type t into an accessor: a str its UTF-8 and length, as a str
 * parameter; a list its items and their count (`const int64_t *value, int64_t value_len`; list[str]: kiln_str items);
 * an inner dict a pointer to its struct (copied).
 */
export const accessorInParams = (t: KType, name: string): string =>
  (t.kind === 'str' ? `const char *${name}, int64_t ${name}_len`
    : t.kind === 'list' ? `const ${t.item.kind === 'str' ? 'kiln_str' : flatItemC(t.item)} *${name}, int64_t ${name}_len`
      : t.kind === 'dict' ? `const ${flatContainerName(t)} *${name}` : `${flatItemC(t)} ${name}`);
/** The accessor API of a dict or set type the flat layout carries; undefined for the others (deques, frozenset keys, ...). */
export function containerApi(t: KType): ContainerApi | undefined {
  if (!hasContainerApi(t)) return undefined;
  const s = flatContainerName(t), python = typeToString(t);
  const isDict = t.kind === 'dict', key = isDict ? t.key : t.item, what = isDict ? 'dict' : 'set';
  const borrowed = 'borrowed: valid until the struct changes or is freed';
  const v = isDict ? t.value : undefined;
  const strs = isDict ? [t.key, t.value].some((x) => x.kind === 'str') : t.item.kind === 'str';
  const owned = v?.kind === 'list' ? (v.item.kind === 'str' ? 'the list and its str are copied' : 'the items are copied') : v?.kind === 'dict' ? `the inner dict is copied (all of its buffers; *value stays the caller's)` : '';
  const copied = [strs && v?.kind !== 'list' && v?.kind !== 'dict' ? 'a str is copied' : key.kind === 'str' ? 'the key is copied' : '', owned].filter(Boolean).map((x) => `; ${x}`).join('');
  const strKey = key.kind === 'str' ? ' (UTF-8 and its length in bytes; negative: NUL-terminated)' : '';
  const keyIn = accessorInParams(key, isDict ? 'key' : 'item');
  // What a value read gives: a copy of a number, a str or list struct whose buffers are borrowed, a pointer to an inner dict.
  const valueOut = v?.kind === 'dict' ? `${flatItemC(v)} **value` : v ? `${flatItemC(v)} *value` : '';
  const gives = !v ? '' : v.kind === 'dict' ? `*value points at the inner dict in d (${borrowed}; its own accessors work on it)`
    : v.kind === 'list' ? `*value is the list (len, data: data ${borrowed})` : v.kind === 'str' ? `value->data ${borrowed}` : 'a copy';
  const fn = (name: string, ret: string, params: string, note: string) => ({ name, prototype: `${ret} ${s}_${name}(${params})`, note });
  const functions = [
    fn('len', 'int64_t', `const ${s} *${what[0]}`, 'the number of items, len()'),
    ...(isDict ? [fn('get', 'int', `${s} *d, ${keyIn}, ${valueOut}`,
      `d[key]${strKey}, hashed: 1 and ${gives} when the key is there, 0 when it is missing (*value untouched)`)] : []),
    fn('contains', 'int', `${s} *${what[0]}, ${keyIn}`, `${isDict ? 'key' : 'item'} in ${what[0]}${strKey}, hashed: 1 or 0`),
    fn('iter_next', 'int', isDict ? `const ${s} *d, int64_t *pos, ${flatItemC(t.key)} *key, ${valueOut}` : `const ${s} *s, int64_t *pos, ${flatItemC(t.item)} *item`,
      `iteration: start with *pos = 0; each call gives the next ${isDict ? `item in insertion order (key, value as _get gives it` : `item in the set's iteration order (item`}; NULL to skip${strs ? `; a str ${borrowed}` : ''}) and returns 1, then 0 at the end`),
    isDict
      ? fn('set', 'int', `${s} *d, ${keyIn}, ${accessorInParams(t.value, 'value')}`,
        `d[key] = value${strKey}: an existing key keeps its place and takes the value (the old one freed), a new one goes last${copied} (amortised O(1))${hasObjectValues(t) ? '; origin is freed and NULL (it described the call\'s result)' : ''}. 0, or KILN_MemoryError (d unchanged)`)
      : fn('add', 'int', `${s} *s, ${keyIn}`, `s.add(item)${strKey}: nothing when it is there, else it goes last${copied} (amortised O(1)). 0, or KILN_MemoryError (s unchanged)`),
    fn('free', 'void', `${s} *${what[0]}`, `frees what ${what[0]} holds (its ${strs ? 'strings, ' : ''}${v?.kind === 'list' ? 'lists, ' : v?.kind === 'dict' ? 'inner dicts, ' : ''}arrays and index) and leaves it empty ({0}); for a struct built with ${s}_${isDict ? 'set' : 'add'}, a result, or a parameter after a call`),
  ];
  return { struct: s, python, functions };
}

/** The header's comment on dicts and sets, and the structs of those the unit passes. */
export function containerAbiHeaderLines(types: KType[]): string[] {
  if (!types.length) return [];
  return [
    '/*',
    ' * Dicts, sets and deques cross as flat arrays in iteration order (docs/design/abi-values.md):',
    ' * kiln_dict_<K>_<V> { len, keys, values }: keys[i] and values[i] are the i-th item, in insertion order;',
    " * kiln_set_<T> { len, items }: the items in the set's iteration order (CPython's for ints). int is int64_t,",
    ' * float double, bool bool, str a kiln_str (UTF-8 and its length in bytes; negative: NUL-terminated).',
    " * A parameter is in-out, as in Python: the caller's arrays are read on entry (a repeated key: the last value",
    ' * wins, as dict(zip(keys, values))), and after the call, on success AND on error, len and the arrays are the',
    " * dict or set as Python leaves it, in NEW arrays: the caller frees each str item's data, then each array, with",
    " * kiln_free (its own arrays are never written or freed). An array is NULL after the call only when memory",
    ' * ran out (or a str held a lone surrogate) while copying back. A result is written the same way (NEW arrays).',
    ' * A Counter, defaultdict or OrderedDict result crosses as its items (the Python package returns a dict).',
    ...(types.some(hasContainerApi) ? [
      ' * The accessor API (declared after each struct): kiln_dict_<K>_<V>_len/_get/_contains/_iter_next/_set/_free and',
      ' * kiln_set_<T>_len/_contains/_iter_next/_add/_free read a result or a parameter after a call, build a parameter',
      ' * (start from a zeroed struct: {0} is the empty dict or set) and free either. A str they return is borrowed from',
      ' * the struct; a str they take is copied. _free frees what the struct holds (and leaves it {0}): use it on a struct',
      " * built with _set/_add, a result, or a parameter after a call. A parameter's call writes NEW arrays into it and",
      ' * leaves the ones it had to the caller: keep a copy of the struct you built, and free both after the call:',
      ' *   kiln_dict_str_int d = {0}; kiln_dict_str_int_set(&d, "a", -1, 1);',
      ' *   kiln_dict_str_int arg = d; rc = kiln_f(&arg, &out); kiln_dict_str_int_free(&d); kiln_dict_str_int_free(&arg);',
      ' * _get, _contains, _set and _add are O(1) as in a dict: the first lookup builds a hash index over the keys',
      ' * (the struct\'s index field; a call writes NULL there, as it writes NEW arrays), which _set/_add keep up to date',
      ' * and _free frees. It is rebuilt when keys or len change; after writing a key in place yourself, release it',
      ' * with kiln_free(d.index) and set index to NULL. A struct you lay out yourself starts with index NULL.',
    ] : []),
    ...(types.some(hasObjectValues) ? [
      ' * kiln_dict_<K>_list_<T> { len, keys, values, origin }: values[i] a kiln_list_<T> { len, data } (kiln_list_str:',
      ' * data[j] a kiln_str); kiln_dict_<K>_dict_<K2>_<V> { len, keys, values, origin }: values[i] the inner dict\'s',
      ' * struct. After the call every values[i] buffer is NEW too (each str\'s data, each list\'s data, an inner dict\'s',
      ' * arrays: the caller frees them with kiln_free, then keys, values and origin); origin[i] is the entry index of',
      " * the caller's value that values[i] is (the function kept that list or dict: update the caller's object in",
      ' * place), or -1 for one the function made; origin is NULL for a result. Ignore it, and a copy is what you get.',
    ] : []),
    ...(types.some((t) => (t.kind === 'dict' ? isNumberTuple(t.key) : (t.kind === 'set' || t.kind === 'deque') && isNumberTuple(t.item))) ? [
      ' * kiln_dict_tuple_<items>_<V>, kiln_set_tuple_<items>: keys or items are the kiln_tuple_<items> structs above, by value.',
    ] : []),
    ...(types.some((t) => (t.kind === 'dict' ? t.key : t.kind === 'set' || t.kind === 'deque' ? t.item : undefined)?.kind === 'set') ? [
      ' * kiln_dict_frozenset_<T>_<V>, kiln_set_frozenset_<T>: keys or items are frozensets, each the kiln_set_<T> struct above by',
      ' * value (its items NEW after the call too: the caller frees them as a set\'s, then the outer arrays).',
    ] : []),
    ' * kiln_deque_<T> { len, items, maxlen }: a collections.deque, items from left to right, maxlen -1 for None;',
    " * in-out like the others (its maxlen is the caller's: a deque's maxlen never changes; < -1 raises ValueError).",
    ...(types.some(isArrayDict) ? [
      ' * kiln_dict_str_array_<dtype> { len, keys, values }: a dict[str, NDArray] parameter (one dtype, and the number of',
      ' * dimensions of the signature), keys[i] a kiln_str and values[i] a kiln_array_<dtype> view of the caller\'s memory',
      ' * (any strides), in insertion order. The function may write into those arrays (the caller\'s memory: the writes are',
      ' * the caller\'s, as in Python) but never changes the dict itself; the buffers are used during the call only (never kept',
      ' * or freed). A repeated key: the last value wins. Invalid UTF-8 raises UnicodeDecodeError. As a result: NEW keys[i].data,',
      ' * NEW C-order values[i].data, NEW keys and values; the caller frees each data, then keys and values, with kiln_free.',
      ' * kiln_dict_str_dict_str_array_<dtype> (dict[str, dict[str, NDArray]]): the same, values[i] the inner dict\'s struct.',
    ] : []),
    ...(types.some(isWeightTree) ? [
      ' * kiln_tree_<dtype> { kind, len, keys, items, array }: weights nested in dicts and lists as the signature\'s',
      ' * @compile(ndim=...) lays them out (picoGPT\'s blocks: a list of dicts of dicts of arrays): a node of kind 0 is an',
      ' * array (a view of the caller\'s memory, rank as the layout says), 1 a dict (len keys[i] and items[i]: exactly the',
      ' * keys the layout names, else KeyError or TypeError), 2 a list (len items[i]). Writes into its arrays are the caller\'s.',
    ] : []),
    ' */',
    ...types.filter((t, i) => types.findIndex((x) => flatContainerName(x) === flatContainerName(t)) === i).flatMap((t) => [`#ifndef ${flatContainerName(t).toUpperCase()}_ABI`, `#define ${flatContainerName(t).toUpperCase()}_ABI`,
      `typedef struct ${isWeightTree(t) ? `${flatContainerName(t)} ` : ''}{ ${flatContainerFields(t).map((f) => `${f};`).join(' ')} } ${flatContainerName(t)};`,
      ...(containerApi(t)?.functions.flatMap((f) => [`/* ${f.note} */`, `${f.prototype};`]) ?? []), '#endif']),
    '',
  ];
}

/** `str | None` or `bytes | None`. */
export const isOptionalText = (t: KType): boolean => t.kind === 'union' && textKind(t) !== undefined;

/** The C type `out` points at. */
export function abiReturnType(t: KType): string {
  return abiValueType(t);
}

/**
 * A list of rows: tuples or records of int, float, bool and str (`[{"word": w, "count": n}, ...]`, `[(i, j), ...]`),
 * or unions of numbers and None (`[sum(...) for ...]`: int | float) as a result: kiln_list_<row's ABI struct>
 * { len, data }, data[i] the row by value, a union's tag and value (docs/design/abi-values.md "Records").
 */
export const isRowList = (t: KType): t is KType & { kind: 'list'; item: KType & { kind: 'tuple' | 'record' | 'union' | 'list' } } =>
  t.kind === 'list' && (((t.item.kind === 'tuple' || t.item.kind === 'record') && t.item.items.length > 0
  && t.item.items.every((x) => x.kind !== 'complex' && !!flatItem(x))) || isNumberUnion(t.item)
  // A list of such lists (a matrix product's rows of sums): each a row list of its own.
  || (t.item.kind === 'list' && isNumberUnion(t.item.item)));
/** A union of int, float, bool and None (not an object or None): a struct of a tag and a value, by value in a row list. */
const isNumberUnion = (t: KType): boolean => t.kind === 'union' && !isNicheOptional(t) && t.members.every((m) => m.kind === 'none' || (m.kind !== 'str' && !!flatItem(m)));

/** A list holding lists (or nothing: `[]`) as the ABI's struct. */
const abiListName = (t: KType & { kind: 'list' }): string =>
  isRowList(t) ? `kiln_list_${abiValueType(t.item).slice('kiln_'.length)}` : t.item.kind === 'none' ? 'kiln_list_int' : t.item.kind === 'list' && t.item.item.kind === 'none' ? 'kiln_list_list_int' : listStructName(t.item);

/** A value as the caller holds it: numbers, array structs, list structs, and tuples of them (a struct of ABI fields when they hold lists). */
/**
 * A record result (`{"w": matrix, "b": vector, "n": 3}`: constant str keys, values of different types) crosses as its
 * plain tuple of values, in the keys' order (compiled code's own struct: types.ts cType); the packages and the
 * harness's reader make the dict of it (docs/design/abi-values.md "Records").
 */
export const recordAsTuple = (t: KType): KType => (t.kind === 'record' ? T.tuple(t.items) : t);

export function abiValueType(t: KType): string {
  if (t.kind === 'record') return abiValueType(recordAsTuple(t));
  const cls = instanceClassOf(t);
  if (cls) return `${handleName(cls)} *`;
  if (isStrList(t)) return 'kiln_list_str';
  if (isFlatContainer(t) || isArrayDict(t)) return flatContainerName(t);
  if (t.kind === 'list') return abiListName(t);
  const text = textKind(t);
  if (text) return text === 'str' ? 'kiln_str' : 'kiln_bytes';
  if (t.kind === 'tuple' && holdsList(t)) return `kiln_abi_${tupleStructName(t).slice('kiln_'.length)}`;
  if (t.kind === 'complex') return 'kiln_complex';
  return cType(t);
}

/** A tuple (at any depth) holds a list or text: its ABI struct differs from compiled code's (kr_list * and kr_str * fields). */
export const holdsList = (t: KType): boolean => t.kind === 'list' || textKind(t) !== undefined || isFlatContainer(t) || ((t.kind === 'tuple' || t.kind === 'record') && t.items.some(holdsList));

/** The header's declarations of the ABI structs of tuple results that hold lists, innermost first. */
export function abiTupleDeclarations(results: KType[]): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const visit = (r: KType) => {
    if (isRowList(r)) {
      // A list of rows: the row's struct first (one that holds str), then the list's.
      visit(r.item);
      const name = abiValueType(r);
      if (!seen.has(name)) out.push(`typedef struct { int64_t len; ${abiValueType(r.item)} *data; } ${name};`);
      seen.add(name);
      return;
    }
    const t = recordAsTuple(r);
    if (t.kind !== 'tuple' || !holdsList(t)) return;
    t.items.forEach(visit);
    const name = abiValueType(t);
    if (seen.has(name)) return;
    seen.add(name);
    out.push(`typedef struct { ${t.items.map((it, i) => `${abiValueType(it)} f${i};`).join(' ')} } ${name};`);
  };
  results.forEach(visit);
  return out;
}

/** A parameter's C parameters: one, or for a str or bytes the pointer and `<name>_len` (bytes; negative: NUL-terminated). */
/**
 * `<symbol>_big` (ExportedFunction.bigArgs): the same call with ints of any size, each int argument as Python's hex()
 * text ("0x1f", "-0x1f"), each bool as a bool, each str as the fast path takes it (UTF-8 and its length); the result as
 * the function's own (KILN_BIG_RESULT past 64 bits).
 */
export function bigArgsPrototype(e: ExportedFunction): string {
  const params = e.params.flatMap((p) => (p.type.kind === 'str' ? abiParams(p)
    : [`${p.type.kind === 'scalar' && p.type.name === 'int' ? 'const char *' : p.type.kind === 'scalar' && p.type.name === 'float' ? 'double ' : 'bool '}${cIdent(p.name)}`]));
  params.push(`${abiReturnType(e.returnType)} *out`);
  return `int ${e.symbol}_big(${params.join(', ')})`;
}

export function abiParams(p: { name: string; type: KType }): string[] {
  const t = abiParamType(p.type);
  const first = `${t}${t.endsWith('*') ? '' : ' '}${cIdent(p.name)}`;
  return textKind(p.type) ? [first, `int64_t ${cIdent(p.name)}_len`] : [first];
}

/** The header's comment on str and bytes, and their result structs. */
export function stringAbiHeaderLines(): string[] {
  return [
    '/*',
    ' * Strings: a str parameter is two C parameters, `const char *s, int64_t s_len`: its UTF-8 and the length in',
    ' * bytes (a negative length: s is NUL-terminated). The bytes are only read during the call (never kept or',
    ' * freed). Invalid UTF-8 fails the call with UnicodeDecodeError, worded as CPython\'s strict decoder words it;',
    ' * a Literal[...] parameter that is none of its values fails with ValueError. A str result is written to *out',
    ' * as kiln_str { data, len }: data is a NEW NUL-terminated UTF-8 buffer of len bytes that the caller releases',
    ' * with kiln_free(out->data). A str holding a lone surrogate has no UTF-8: returning one fails the call with',
    ' * UnicodeEncodeError ("surrogates not allowed"). bytes: `const uint8_t *b, int64_t b_len` in, kiln_bytes',
    ' * { data, len } out (a NEW buffer, kiln_free(out->data)).',
    ' * str | None (bytes | None): the same two parameters, s == NULL for None (then s_len is ignored); a result',
    ' * is a kiln_str whose data is NULL for None (len 0), else a NEW buffer as above.',
    ' * list[str]: a parameter is in-out like every list, kiln_list_str *xs { len, data }, data[i] a kiln_str',
    ' * (UTF-8 and its length in bytes; a negative length: NUL-terminated). The items are read on entry; when the',
    ' * call returns, on success AND on error, xs->len is the final length and xs->data a NEW array of NEW',
    ' * NUL-terminated strings: the caller frees each xs->data[i].data, then xs->data, with kiln_free (its own',
    ' * array and strings are never written or freed). xs->data is NULL after the call only when memory ran out',
    ' * while copying back. A list[str] result is the same: out->data and every out->data[i].data are NEW,',
    ' * freed the same way. A tuple result holds its str as kiln_str fields (each data NEW, kiln_free).',
    ' */',
    '#ifndef KILN_ABI_STR_TYPES',
    '#define KILN_ABI_STR_TYPES',
    'typedef struct { char *data; int64_t len; } kiln_str;',
    'typedef struct { uint8_t *data; int64_t len; } kiln_bytes;',
    'typedef struct { int64_t len; kiln_str *data; } kiln_list_str;',
    '#endif',
    '',
  ];
}

/** The exported C prototype of a function: `int kiln_f(kiln_array_float64 a, double k, kiln_array_float64 *out)`. */
export function abiPrototype(e: ExportedFunction): string {
  const params = e.params.flatMap((p) => abiParams(p));
  const rt = abiReturnType(e.returnType);
  if (e.returnType.kind !== 'none') params.push(`${rt}${rt.endsWith('*') ? '' : ' '}*out`);
  return `int ${e.symbol}(${params.join(', ') || 'void'})`;
}

/** One parameter (or the out-parameter) of an exported function as the C caller sees it. */
export interface AbiParam {
  name: string;
  /** The Python type (`ndarray[float64, 2d]`). */
  python: string;
  /** The C type in the prototype (`kiln_array_float64`, `double`, `kiln_list_int`, `kiln_array_float64 *`). */
  c: string;
  kind: 'scalar' | 'array' | 'list' | 'tuple' | 'union' | 'handle';
  /** The struct's fields the callee reads or writes, for arrays and lists: `double *data`, `int64_t shape[2]`, ... */
  fields: string[];
  /** How it crosses: borrowed view, copied on entry, written on success, owned by the caller. */
  note: string;
}

export interface FunctionAbi {
  /** `int kiln_f(kiln_array_float64 a, double k, kiln_array_float64 *out)`, as in the header. */
  prototype: string;
  params: AbiParam[];
  out: AbiParam | null;
  /** What the caller releases: `kiln_free(out->data)` after a successful call, and each list parameter's new
   *  `data` (written back after every call, success or error); null when nothing. */
  release: string | null;
  /** Its specialisations for other argument types Python accepts (types/tower.ts), and the candidates left out. */
  specialisations: { signature: string; prototype: string }[];
  /** Which ones: 'listed' by `@compile(signatures=[...])`, else the 'tower' defaults. */
  specialisationsFrom: 'listed' | 'tower';
  leftOut: { signature: string; reason: string }[];
  /** The `<symbol>_big` entries (of the function and its specialisations) that take ints past 64 bits as hex() text. */
  bigArgs: string[];
  /** The handle APIs of the classes it takes or returns. */
  handles: HandleApi[];
  /** The accessor APIs of the dict and set structs it takes or returns (in tuples too). */
  containers: ContainerApi[];
}

function abiParam(name: string, t: KType, isOut: boolean, c: string): AbiParam {
  const python = typeToString(t);
  const cls = instanceClassOf(t);
  if (cls) {
    const none = t.kind === 'union' ? ' (NULL: None)' : '';
    return {
      name, python, c, kind: 'handle', fields: [],
      note: isOut ? `a NEW handle${none}; the caller releases it with ${handleName(cls)}_free` : `a handle${none}, borrowed for the call: the function reads and changes the caller's instance`,
    };
  }
  if (t.kind === 'array') {
    const et = t.dtype === 'complex128' ? 'kiln_complex' : SCALARS[t.dtype].c;
    return {
      name, python, c, kind: 'array',
      fields: [`${et} *data`, `int64_t shape[3]  /* ${t.ndim === 1 ? '[0]' : `[0..${t.ndim - 1}]`} read */`, `int64_t strides[3]  /* in elements, any sign */`],
      note: isOut
        ? `a new C-contiguous ${t.dtype} buffer (C-order strides); the caller frees out->data with kiln_free`
        : `dtype ${t.dtype}, ${t.ndim}-D; a borrowed view of the caller's memory (any strides, also negative): no copy, writes reach the caller`,
    };
  }
  if (isFlatContainer(t) && (t.kind === 'dict' || t.kind === 'set' || t.kind === 'deque')) {
    const fields = flatContainerFields(t);
    if (t.kind === 'deque') fields[2] += '  /* -1: None */';
    const strs = t.kind === 'dict' ? [t.key, t.value].some((x) => x.kind === 'str') : t.item.kind === 'str';
    const lists = t.kind === 'dict' && t.value.kind === 'list';
    const api = containerApi(t);
    const free = `${strs ? 'each str item\'s data, then ' : ''}${lists ? 'each list value\'s data, then ' : ''}each array with kiln_free${api ? ` (all of it: ${api.struct}_free)` : ''}`;
    return {
      name, python, c, kind: 'list', fields,
      note: isOut
        ? `new arrays of len items in iteration order; the caller frees ${free}`
        : `in-out: read on entry; after the call (also when it raised) ${name} holds the ${t.kind} as Python leaves it, in NEW arrays; the caller frees ${free}`,
    };
  }
  if (isArrayDict(t)) {
    return {
      name, python, c, kind: 'list', fields: flatContainerFields(t),
      note: isOut
        ? `NEW keys[i] (UTF-8) and values[i] (${(t as DictType).value.kind === 'dict' ? `an inner dict's struct, down to ` : ''}a C-order ${arrayDictLeaf(t).ndim}-D ${arrayDictLeaf(t).dtype} array) in insertion order; the caller frees each key's and array's data, then keys and values, with kiln_free`
        : `keys[i] (UTF-8) and values[i] (${(t as DictType).value.kind === 'dict' ? `an inner dict's struct, down to ` : ''}a ${arrayDictLeaf(t).ndim}-D ${arrayDictLeaf(t).dtype} view of the caller's memory, any strides) in insertion order, used during the call only; the function's writes into the arrays are the caller's, the dict itself is not changed`,
    };
  }
  if (isWeightTree(t)) {
    return {
      name, python, c, kind: 'list', fields: flatContainerFields(t),
      note: `the weights as a tree of nodes laid out as ${typeToString(t)} (kind 0 an array: a view of the caller's memory, 1 a dict of exactly those keys, 2 a list), used during the call only; the function's writes into the arrays are the caller's`,
    };
  }
  if (isStrList(t)) {
    return {
      name, python, c, kind: 'list',
      fields: ['int64_t len', 'kiln_str *data  /* data[i].data: UTF-8, data[i].len: its length in bytes */'],
      note: isOut
        ? 'a new array of len kiln_str, each data a new NUL-terminated UTF-8 buffer; the caller frees each out->data[i].data, then out->data, with kiln_free'
        : `in-out: read on entry; after the call (also when it raised) ${name}->len and ${name}->data hold the list as Python leaves it: a NEW array of NEW strings; the caller frees each data[i].data, then data, with kiln_free (its own are never written)`,
    };
  }
  if (t.kind === 'list' && t.item.kind === 'list') {
    const inner = t.item.item.kind === 'scalar' || t.item.item.kind === 'complex' ? t.item.item : T.int;
    return {
      name, python, c, kind: 'list',
      fields: ['int64_t len', `kiln_list_${inner.kind === 'scalar' ? inner.name : inner.kind === 'complex' ? 'complex' : 'int'} *data`, 'int64_t *origin'],
      note: isOut
        ? 'a new buffer of len inner lists, each with a new data buffer; origin is NULL; the caller frees each out->data[i].data, then out->data, with kiln_free'
        : `in-out: copied on entry; after the call (also when it raised) ${name}->len, ${name}->data (new inner lists, new buffers) and ${name}->origin (the entry index of the caller's inner list each one is, -1 for a new one) hold the list as Python leaves it; the caller frees each data[i].data, data and origin with kiln_free`,
    };
  }
  if (isRowList(t)) {
    const keys = t.item.kind === 'record' ? ` (fields f0.. in the keys' order: ${t.item.names.join(', ')})` : '';
    return {
      name, python, c, kind: 'list', fields: ['int64_t len', `${abiValueType(t.item)} *data${keys ? `  /* a dict per row${keys} */` : ''}`],
      note: `a new array of len rows by value, each str field's data a new buffer; the caller frees each str field's data, then ${isOut ? 'out->' : ''}data, with kiln_free`,
    };
  }
  if (t.kind === 'list') {
    const item = t.item.kind === 'scalar' || t.item.kind === 'complex' ? t.item : T.int;
    return {
      name, python, c, kind: 'list',
      fields: ['int64_t len', `${item.kind === 'complex' ? 'kiln_complex' : cType(item)} *data`],
      note: isOut
        ? 'a new buffer of len items; the caller frees out->data with kiln_free'
        : `in-out: copied on entry; after the call (also when it raised) ${name}->len and ${name}->data hold the list as Python leaves it, data a NEW buffer the caller frees with kiln_free (its own buffer is never written)`,
    };
  }
  // A record result: its values as a tuple's fields, each field's key named.
  if (t.kind === 'record') {
    return { name, python, c, kind: 'tuple', fields: t.items.map((it, i) => `${abiValueType(it)} f${i}  /* ${JSON.stringify(t.names[i])} */`), note: 'written on success, the dict\'s values in its keys\' order; its arrays, lists and strings hold new buffers the caller frees with kiln_free' };
  }
  if (t.kind === 'tuple') return { name, python, c, kind: 'tuple', fields: t.items.map((it, i) => `${abiValueType(it)} f${i}`), note: isOut ? (holdsList(t) || t.items.some((x) => x.kind === 'array') ? 'written on success; its arrays, lists and strings hold new buffers the caller frees with kiln_free' : 'written on success') : 'passed by value' };
  if (isOptionalText(t)) {
    const what = textKind(t) === 'str' ? 'UTF-8' : 'bytes';
    return {
      name, python, c: isOut ? c : `${c}${name}, int64_t ${name}_len`, kind: 'union',
      fields: isOut ? [`${textKind(t) === 'str' ? 'char' : 'uint8_t'} *data  /* NULL: None */`, 'int64_t len'] : [],
      note: isOut
        ? `None: data is NULL; else a NEW ${what} buffer of len bytes (NUL-terminated) that the caller frees with kiln_free`
        : `None: a NULL pointer; else its ${what} and length in bytes${textKind(t) === 'str' ? ' (negative: NUL-terminated), read during the call only' : ', read during the call only'}`,
    };
  }
  if (t.kind === 'union') {
    const fields = ['uint8_t tag', ...t.members.map((m) => (m.kind === 'none' ? `/* tag ${unionTag(t, m)} (KILN_TAG_NONE): None */` : `${cType(m)} v.${unionField(t, m)}  /* tag ${unionTag(t, m)} (${unionTagC(t, m)}) */`))];
    return { name, python, c, kind: 'union', fields, note: `${isOut ? 'written on success' : 'passed by value'}; tag says which member it holds` };
  }
  if (t.kind === 'str' || t.kind === 'bytes') {
    const what = t.kind === 'str' ? 'UTF-8' : 'bytes';
    return {
      name, python, c: isOut ? c : `${c}${name}, int64_t ${name}_len`, kind: 'scalar',
      fields: isOut ? [`${t.kind === 'str' ? 'char' : 'uint8_t'} *data`, 'int64_t len'] : [],
      note: isOut
        ? `a NEW ${what} buffer of len bytes (NUL-terminated); the caller frees out->data with kiln_free`
        : t.kind === 'str' ? `its UTF-8 and length in bytes (negative: NUL-terminated), read during the call only; invalid UTF-8 raises UnicodeDecodeError` : 'its bytes and length, read during the call only',
    };
  }
  return { name, python, c, kind: 'scalar', fields: [], note: isOut ? 'written on success (unchanged when the call raises)' : 'passed by value' };
}

/** The exported function's C ABI as data, for the studio (the same types the header declares). */
export function functionAbi(e: ExportedFunction): FunctionAbi {
  const params = e.params.map((p) => abiParam(p.name, p.type, false, abiParamType(p.type)));
  const rt = e.returnType;
  const rc = abiReturnType(rt);
  const out = rt.kind === 'none' ? null : abiParam('out', rt, true, `${rc}${rc.endsWith('*') ? '' : ' '}*`);
  const frees = [
    ...(instanceClassOf(rt) ? [`${handleName(instanceClassOf(rt)!)}_free(*out) after a successful call`] : []),
    ...(isStrList(rt) ? ['kiln_free(out->data[i].data) for each item, then kiln_free(out->data), after a successful call'] : []),
    ...(rt.kind === 'array' || (rt.kind === 'list' && !isStrList(rt)) || textKind(rt) ? [`kiln_free(out->data) after a successful call${isOptionalText(rt) ? ' (NULL for None)' : ''}`] : []),
    ...(rt.kind === 'tuple' && (holdsList(rt) || rt.items.some((x) => x.kind === 'array')) ? ['the data buffers of the result\'s arrays and lists after a successful call'] : []),
    ...(isFlatContainer(rt) ? [containerApi(rt) ? `${containerApi(rt)!.struct}_free(out) after a successful call` : 'the arrays of out (and the data of its str items) with kiln_free after a successful call'] : []),
    ...e.params.filter((p) => isFlatContainer(p.type)).map((p) => (containerApi(p.type)
      ? `${containerApi(p.type)!.struct}_free(${p.name}) after every call (success or error), and the struct built before it with ${containerApi(p.type)!.struct}_${p.type.kind === 'dict' ? 'set' : 'add'} (the call gave ${p.name} new arrays)`
      : `the arrays of ${p.name} (and the data of its str items) with kiln_free after every call (success or error)`)),
    ...e.params.filter((p) => p.type.kind === 'list').map((p) => (isStrList(p.type)
      ? `kiln_free(${p.name}->data[i].data) for each item, then kiln_free(${p.name}->data), after every call (success or error)`
      : `kiln_free(${p.name}->data) after every call (success or error)`)),
  ];
  return {
    prototype: abiPrototype(e), params, out, release: frees.length ? frees.join('; ') : null,
    specialisations: (e.variants ?? []).map((v) => ({ signature: v.signature, prototype: abiPrototype(v) })),
    specialisationsFrom: e.listed ? 'listed' : 'tower',
    leftOut: (e.skipped ?? []).map((s) => ({ signature: s.signature, reason: s.reason })),
    bigArgs: withVariants(e).filter((v) => v.bigArgs).map(bigArgsPrototype),
    handles: e.handles ?? [],
    containers: flatContainersOf([e]).map(containerApi).filter((a): a is ContainerApi => !!a),
  };
}
