/**
 * The exported Python package: pure Python (ctypes), no compiler needed. It picks the library built for
 * the platform it runs on and exposes each compiled function under its original name and signature, so
 * `import <module>` is a drop-in for the Python original: same results, same exceptions.
 */
import { LIBRARY_EXCEPTIONS, recordAsTuple, arrayDictDepth, arrayDictLeaf, instanceClassOf, instanceTransportProblem, transportedClasses, flatItem, flatValue, isArrayDict, isNumberTuple, isFlatContainer, isOptionalText, isRowList, isStrList, isWeightTree, pyLiteralText, pyStringRepr, weightTreeLeaf, textKind, type ExportedFunction, type HandleApi } from '../lower/abi.ts';
import { SCALARS, typeToString, unionField, unionTag, type KType } from '../types/types.ts';
import { LIST_LETTERS, emptyListLetters, towerCode, towerParams, type TowerLetter } from '../types/tower.ts';
import type { TargetInfo } from '../targets/registry.ts';

const CTYPES: Record<string, string> = {
  int: 'ctypes.c_int64', float: 'ctypes.c_double', bool: 'ctypes.c_bool', float32: 'ctypes.c_float', float64: 'ctypes.c_double',
  int8: 'ctypes.c_int8', int16: 'ctypes.c_int16', int32: 'ctypes.c_int32', int64: 'ctypes.c_int64',
  uint8: 'ctypes.c_uint8', uint16: 'ctypes.c_uint16', uint32: 'ctypes.c_uint32', uint64: 'ctypes.c_uint64',
};

/** A Python expression describing a type for the package's small runtime: ("s", "int") or ("t", [...]). */
function typeSpec(t: KType): string {
  if (t.kind === 'none') return '("n",)';
  // An instance of a compiled class: its handle (lower/c_abi_instances.ts); ("H", class, may be None).
  const cls = instanceClassOf(t);
  if (cls) return `("H", "${cls.slice(cls.lastIndexOf('.') + 1)}", ${t.kind === 'union' ? 'True' : 'False'})`;
  // str | None: the text's pointer, NULL for None.
  if (isOptionalText(t)) return textKind(t) === 'str' ? '("S?",)' : '("B?",)';
  // A union (types.ts): its members as (tag, field of the struct's v, spec); None has no field.
  if (t.kind === 'union') return `("u", [${t.members.map((m) => `(${unionTag(t, m)}, "${m.kind === 'none' ? '' : unionField(t, m)}", ${typeSpec(m)})`).join(', ')}])`;
  if (t.kind === 'str') return '("S",)';
  if (t.kind === 'bytes') return '("B",)';
  // A tuple[T, ...] result crosses as its list, made a tuple by the package ("tuple" last in the spec).
  if (isStrList(t)) return t.kind === 'list' && t.tuple ? '("LS", "tuple")' : '("LS",)';
  // A dict, set or deque: the flat layout of lower/abi.ts, ("D", key, value) / ("Z", item) / ("Q", item) with item types int, float, bool, str.
  if (isArrayDict(t)) return `("DA", "${arrayDictLeaf(t).dtype}", ${arrayDictLeaf(t).ndim}, ${arrayDictDepth(t)})`;
  // A tuple key or item is its tuple's spec, ("t", [...]); a frozenset's its own ("Z", item, True).
  const key = (k: KType): string => (isNumberTuple(k) || k.kind === 'set' ? typeSpec(k) : `"${flatItem(k)}"`);
  // A dict's value: its flat name ("list_int", "list_str"), or an inner dict's own spec.
  if (isFlatContainer(t) && t.kind === 'dict') return `("D", ${key(t.key)}, ${t.value.kind === 'dict' ? typeSpec(t.value) : `"${flatValue(t.value)}"`})`;
  if (isFlatContainer(t) && t.kind === 'set') return `("Z", ${key(t.item)}${t.frozen ? ', True' : ''})`;
  if (isFlatContainer(t) && t.kind === 'deque') return `("Q", ${key(t.item)})`;
  if (t.kind === 'array') return `("a", "${t.dtype}", ${t.ndim})`;
  if (t.kind === 'list' && t.item.kind === 'list' && !isRowList(t)) return `("L", "${listItemName(t.item.item)}")`;
  // Rows (tuples or records of numbers and str): each row's own spec (a record's is a dict).
  if (isRowList(t)) return `("LR", ${typeSpec(t.item)})`;
  if (t.kind === 'list') return `("l", "${listItemName(t.item)}"${t.tuple ? ', "tuple"' : ''})`;
  if (t.kind === 'tuple') return `("t", [${t.items.map(typeSpec).join(', ')}])`;
  // A record result: ("R", keys, its values' tuple spec).
  if (t.kind === 'record') return `("R", [${t.names.map(pyStringRepr).join(', ')}], ${typeSpec(recordAsTuple(t))})`;
  // NumPy's complex128 (an item or a sum of a complex128 array) comes back as one, as np.float64 does.
  if (t.kind === 'complex') return t.np ? '("c", "complex128")' : '("c",)';
  if (t.kind !== 'scalar') throw new Error(`internal: ${t.kind} does not cross the Python package's boundary`);
  return `("s", "${t.name}")`;
}

/** The ndim= layout of a weight tree as a Python literal: {"w": 2, "b": 1}, [{...}]. */
function treeLayout(t: KType): string {
  if (t.kind === 'array') return String(t.ndim);
  if (t.kind === 'list') return `[${treeLayout(t.item)}]`;
  if (t.kind === 'record') return `{${t.names.map((n, i) => `${pyStringRepr(n)}: ${treeLayout(t.items[i])}`).join(', ')}}`;
  throw new Error(`internal: ${t.kind} in a weight tree`);
}

/** The item name of a list's spec ("l", item): a scalar type, "complex", or "int" for an empty list's unknown item. */
const listItemName = (t: KType): string => (t.kind === 'scalar' ? t.name : t.kind === 'complex' ? 'complex' : 'int');

/**
 * A parameter's spec: arrays and lists carry whether the function writes them and whether the other kind (a list for
 * an array, an array for a list) means the same there (opt/arrayLike.ts): ("a", "float64", 1, True, False).
 */
function paramSpec(p: ExportedFunction['params'][number]): string {
  const flag = (b: boolean | undefined) => (b ? 'True' : 'False');
  const written = flag(p.written !== false);
  if (p.type.kind === 'array') return `("a", "${p.type.dtype}", ${p.type.ndim}, ${written}, ${flag(p.otherKind)})`;
  // A dict of arrays: ("DA", dtype, ndim, how many dicts deep, whether the function writes into its arrays).
  if (isArrayDict(p.type)) return `("DA", "${arrayDictLeaf(p.type).dtype}", ${arrayDictLeaf(p.type).ndim}, ${arrayDictDepth(p.type)}, ${written})`;
  // Weights laid out by ndim=: ("T", dtype, the layout: an int per array's rank, dicts, [a list's item], written).
  if (isWeightTree(p.type)) return `("T", "${weightTreeLeaf(p.type).dtype}", ${treeLayout(p.type)}, ${written})`;
  if (isStrList(p.type)) return `("LS", ${written})`;
  if (p.type.kind === 'list' && p.type.item.kind === 'list') return `("L", "${listItemName(p.type.item.item)}", ${written}, ${flag(p.otherKind)})`;
  if (p.type.kind === 'list') return `("l", "${listItemName(p.type.item)}", ${written}, ${flag(p.otherKind)})`;
  return typeSpec(p.type);
}

/** How a call binds to the function (the package's _bind): (name, kind: "p" positional-only / "n" / "k" keyword-only, default or _MISSING). */
export function bindingSpec(e: ExportedFunction): string {
  return `[${e.params.map((p) => `("${p.name}", "${p.kind === 'posonly' ? 'p' : p.kind === 'kwonly' ? 'k' : 'n'}", ${p.default !== undefined ? pyLiteralText(p.default) : '_MISSING'})`).join(', ')}]`;
}

/**
 * The classes whose instances the exports pass (docs/design/abi-values.md "Class instances"): a class of the package
 * each (same name; the fields as attributes) and _CLASSES, by name: (handle prefix, [(field, spec)], dataclass eq,
 * dataclass repr, frozen).
 */
function instanceClassesSource(exports: ExportedFunction[]): string {
  const apis = transportedClasses(exports);
  // Exception classes with fields: in _CLASSES for their getters (_exception_fields); the class is exceptionClassesSource's.
  const carried = new Map<string, HandleApi>();
  for (const e of exports) for (const h of e.exceptionHandles ?? []) if (!apis.some((a) => a.python === h.python)) carried.set(h.python, h);
  const py = (b: boolean | undefined) => (b ? 'True' : 'False');
  // A generator's frames (lower/c_abi_instances.ts): no class of the package; a result is a _KilnIterator over them.
  const generators = apis.filter((h) => h.generator);
  const classes = apis.filter((h) => !h.generator).map((h) => {
    const eq = !!h.dataclass?.eq;
    return `

class ${h.python}(_KilnInstance):
    """${h.python} of the compiled module: a copy of an instance the library returned (its fields are attributes)."""
${eq && !h.frozen ? '    __hash__ = None\n' : ''}`;
  }).join('');
  return `${classes}
_CLASSES = {${[...apis, ...carried.values()].map((h) => `"${h.python}": ("${h.handle}", [${h.fields.map((f) => `("${f.name}", ${typeSpec(f.type)})`).join(', ')}], ${py(h.dataclass?.eq)}, ${py(h.dataclass?.repr)}, ${py(h.frozen)})`).join(',\n    ')}}
# The frames of each generator an exported function returns: (its name, the C function that makes its next item,
# whether it has x = yield v, the C function that sends it a value and the value's spec, or None: one that does not cross).
_GENERATORS = {${generators.map((h) => {
    const send = h.methods?.find((m) => m.name === 'send');
    return `"${h.python}": ("${h.generator!.name}", "${h.methods?.find((m) => m.name === 'next')?.symbol}", ${h.generator!.receives ? 'True' : 'False'}, ${send ? `("${send.symbol}", ${typeSpec(send.params[1].type)})` : 'None'})`;
  }).join(', ')}}
`;
}

/**
 * The program's exception classes as classes of the package (same names and bases), and _EXCEPTION_CLASSES, by name:
 * an exception of one that leaves a compiled call is raised as that class.
 */
function exceptionClassesSource(exports: ExportedFunction[]): string {
  const bases: Record<string, string> = Object.assign({}, ...exports.map((e) => e.exceptionClasses ?? {}));
  const order: string[] = [];
  const visit = (n: string) => {
    if (order.includes(n) || bases[n] === undefined) return;
    visit(bases[n]);
    order.push(n);
  };
  Object.keys(bases).forEach(visit);
  const classes = order.map((n) => `

class ${n}(${bases[n]}):
    \"\"\"An exception class of the compiled module, raised by its functions.\"\"\"

    def __str__(self):
        return _EXCEPTION_STR.get(self) or super().__str__()
`).join('');
  // str(e) of an exception whose class has its own __str__ (what the library computed), by exception (_exception_fields).
  return `
_EXCEPTION_STR = weakref.WeakKeyDictionary()
${classes}
_EXCEPTION_CLASSES = {${order.map((n) => `"${n}": ${n}`).join(', ')}}
`;
}

export function pythonPackageSource(moduleName: string, exports: ExportedFunction[], libs: { target: TargetInfo; file: string }[]): string {
  const libTable = libs.map((l) => `    ("${l.target.os}", "${l.target.arch}", "${l.target.libc}", "${l.file}"),`).join('\n');
  const make = (e: ExportedFunction) => `_make("${e.name}", "${e.symbol}", [${e.params.map((p) => `("${p.name}", ${paramSpec(p)})`).join(', ')}], ${typeSpec(e.returnType)},
    ${JSON.stringify(e.signature)}, ${bindingSpec(e)})`;
  // A function with specialisations for other argument types (types/tower.ts): a dispatcher on the exact types.
  const fns = exports.map((e) => {
    // Instances the package cannot copy field by field (lower/abi.ts instanceTransportProblem): it says so where it is called.
    const problem = instanceTransportProblem(e);
    if (problem) return `
def ${e.name}(*args, **kwargs):
    raise TypeError(${JSON.stringify(`${e.signature}: ${problem}; its instances cross the C ABI only (handles: see the header)`)})
`;
    if (!e.variants) return `
${e.name} = ${make(e)}
`;
    const annotated = e.params.map((p) => p.type);
    const at = towerParams(annotated);
    const own = towerCode(annotated, annotated);
    // List tower parameters: their index -> the letter an empty list runs (types/tower.ts emptyListLetters).
    const empty = emptyListLetters(annotated, [own, ...e.variants.map((v) => v.code!)], (i) => !!e.params[i].otherKind);
    const lists = at.flatMap((i, k) => (LIST_LETTERS.includes(own[k] as TowerLetter) ? [`${i}: "${empty[k]}"`] : []));
    return `
${e.name} = _dispatch("${e.name}", ${make(e)}, "${own}", {
${e.variants.map((v) => `    "${v.code}": ${make(v)},`).join('\n')}
}, [${at.join(', ')}], ${bindingSpec(e)}, {${Object.entries(e.boolAliases ?? {}).map(([a, c]) => `"${a}": "${c}"`).join(', ')}}, {${lists.join(', ')}})
`;
  }).join('');
  return `"""${moduleName}: Kiln's native build of ${moduleName}.py (a drop-in for the Python module's compiled functions).

Generated by Kiln. Loads the library for this platform with ctypes; no compiler is needed.
Functions: ${exports.map((e) => e.signature).join('; ')}
"""
import builtins
import collections as _collections
import ctypes
import os
import platform
import weakref
import sys
from operator import countOf as _count_of

__all__ = [${[...exports.map((e) => e.name), ...transportedClasses(exports).filter((h) => !h.generator).map((h) => h.python)].map((n) => `"${n}"`).join(', ')}]

# (os, arch, libc, file) for every library shipped in this package.
_LIBRARIES = [
${libTable}
]

_CTYPES = {
${Object.entries(CTYPES).map(([k, v]) => `    "${k}": ${v},`).join('\n')}
}
_INT_RANGE = {
${Object.entries(SCALARS).filter(([, s]) => !s.float && !s.complex && s.bits > 1).map(([k, s]) => `    "${k}": (${s.signed ? `-(1 << ${s.bits - 1}), (1 << ${s.bits - 1}) - 1` : `0, (1 << ${s.bits}) - 1`}),`).join('\n')}
}


def _platform():
    system = {"linux": "linux", "win32": "windows", "cygwin": "windows", "darwin": "macos"}.get(sys.platform, sys.platform)
    machine = platform.machine().lower()
    arch = {"amd64": "x86_64", "x86_64": "x86_64", "x64": "x86_64", "aarch64": "aarch64", "arm64": "aarch64",
            "armv7l": "arm", "armv7": "arm", "armv8l": "arm", "riscv64": "riscv64"}.get(machine, machine)
    libc = ""
    if system == "linux":
        libc = "glibc" if platform.libc_ver()[0] == "glibc" else "musl"
    return system, arch, libc


def _load():
    system, arch, libc = _platform()
    here = os.path.dirname(os.path.abspath(__file__))
    candidates = [l for l in _LIBRARIES if l[0] == system and l[1] == arch]
    # The exact libc first; a musl build also runs where glibc is (it links no libc symbols beyond libm).
    candidates.sort(key=lambda l: (l[2] != libc and libc != "", l[2] != "musl"))
    errors = []
    for _os, _arch, _libc, rel in candidates:
        path = os.path.join(here, *rel.split("/"))
        try:
            return ctypes.CDLL(path)
        except OSError as e:
            errors.append(f"{rel}: {e}")
    shipped = ", ".join(f"{l[0]}-{l[1]}" for l in _LIBRARIES)
    raise ImportError(f"${moduleName}: no native library for {system}-{arch} ({libc or 'no libc'}) in this package "
                      f"(it has: {shipped}){'; ' + '; '.join(errors) if errors else ''}")


_lib = _load()
for _name in ("kiln_error_type", "kiln_error_message", "kiln_error_frame_function"):
    getattr(_lib, _name).restype = ctypes.c_char_p
_lib.kiln_error_frame_function.argtypes = [ctypes.c_int]
_lib.kiln_error_frame_count.restype = ctypes.c_int
_lib.kiln_error_object.restype = ctypes.c_void_p
_lib.kiln_error_frame_line.restype = ctypes.c_int
_lib.kiln_error_frame_line.argtypes = [ctypes.c_int]
# Results past 64 bits (functions of ints with a big-int twin, docs/design/numbers.md): the library returns
# KILN_BIG_RESULT and gives the result as hex() text, when asked once.
_BIG_RESULT = 255
_big_results = getattr(_lib, "kiln_big_results", None)
if _big_results is not None:
    _big_results.argtypes = [ctypes.c_int]
    _big_results.restype = None
    _big_results(1)
    _lib.kiln_big_result.restype = ctypes.c_char_p

_structs = {}


class _KilnComplex(ctypes.Structure):
    """kiln_complex { double re, im; }: a complex parameter or result (docs/design/abi-values.md)."""
    _fields_ = [("re", ctypes.c_double), ("im", ctypes.c_double)]


def _ctype(spec):
    if spec[0] == "s":
        return _CTYPES[spec[1]]
    if spec[0] == "H":
        return ctypes.c_void_p
    if spec[0] == "n":
        return ctypes.c_int8
    if spec[0] == "c":
        return _KilnComplex
    if spec[0] in ("a", "l", "L", "LS", "LR", "D", "Z", "Q") or spec[0] in _TEXT:
        return _array_ctype(spec)
    if spec[0] == "R":
        return _ctype(spec[2])
    if spec[0] == "u":
        # kiln_union_<members> { uint8_t tag; union { ... } v; } (the header documents the tags)
        key = repr(spec)
        if key not in _structs:
            fields = [(field, _ctype(s)) for _tag, field, s in spec[1] if s[0] != "n"]
            value = type("KilnUnionValue", (ctypes.Union,), {"_fields_": fields})
            _structs[key] = type("KilnUnion", (ctypes.Structure,), {"_fields_": [("tag", ctypes.c_uint8), ("v", value)]})
        return _structs[key]
    key = repr(spec)
    if key not in _structs:
        fields = [(f"f{i}", _ctype(item)) for i, item in enumerate(spec[1])]
        _structs[key] = type("KilnTuple", (ctypes.Structure,), {"_fields_": fields})
    return _structs[key]


def _union_member(value, spec):
    """The member of a union spec a Python value is: None, a bool, an int, a float (an int where no int member
    is, a float), a NumPy scalar of a member's dtype, a tuple of a member's length."""
    members = spec[1]
    def scalar(*names):
        for name in names:
            for m in members:
                if m[2][0] == "s" and m[2][1] == name:
                    return m
        return None
    if value is None:
        return next((m for m in members if m[2][0] == "n"), None)
    if type(value).__module__ == "numpy":
        return scalar(type(value).__name__)
    if isinstance(value, bool):
        return scalar("bool", "int")
    if isinstance(value, int):
        return scalar("int", "float")
    if isinstance(value, float):
        return scalar("float", "float64")
    if isinstance(value, tuple):
        return next((m for m in members if m[2][0] == "t" and len(m[2][1]) == len(value)), None)
    return None


def _to_c(value, spec, what):
    kind = spec[0]
    if kind == "u":
        member = _union_member(value, spec)
        if member is None:
            allowed = " or ".join("None" if s[0] == "n" else s[1] if s[0] == "s" else "tuple" for _t, _f, s in spec[1])
            raise TypeError(f"{what} must be {allowed} (its annotation), not {type(value).__name__}")
        tag, field, s = member
        out = _ctype(spec)()
        out.tag = tag
        if s[0] != "n":
            setattr(out.v, field, _to_c(value, s, what))
        return out
    if kind == "t":
        if not isinstance(value, tuple) or len(value) != len(spec[1]):
            raise TypeError(f"{what} must be a tuple of {len(spec[1])} items")
        return _ctype(spec)(*[_to_c(v, s, f"{what}[{i}]") for i, (v, s) in enumerate(zip(value, spec[1]))])
    if kind == "c":
        # A complex (NumPy's complex128 is one). Not a real number: Python computes with an int or a float as
        # given (z * z stays a float), and the compiled code took the annotation at its word.
        if not isinstance(value, complex):
            raise TypeError(f"{what} must be a complex (its annotation), not {type(value).__name__}: pass complex({what})")
        return _KilnComplex(value.real, value.imag)
    name = spec[1]
    if name in ("float", "float64", "float32"):
        if isinstance(value, (str, bytes)) or not hasattr(value, "__float__"):
            raise TypeError(f"{what} must be a real number, not {type(value).__name__}")
        return float(value)
    if name == "bool":
        # Only a bool (or NumPy's): the compiled code took the annotation at its word, and bool(5) would
        # silently compute something other than what Python computes with 5.
        if isinstance(value, bool) or type(value).__name__ in ("bool_", "bool8"):
            return bool(value)
        raise TypeError(f"{what} must be a bool (its annotation), not {type(value).__name__}")
    if not hasattr(value, "__index__"):
        raise TypeError(f"'{type(value).__name__}' object cannot be interpreted as an integer ({what})")
    v = value.__index__()
    lo, hi = _INT_RANGE[name]
    if not lo <= v <= hi:
        raise OverflowError(f"{what} = {v} does not fit in {name if name != 'int' else '64 bits'} (Kiln's native int is int64)")
    return v


_MISSING = object()


def _names(names):
    q = [f"'{n}'" for n in names]
    return q[0] if len(q) == 1 else f"{q[0]} and {q[1]}" if len(q) == 2 else ", ".join(q[:-1]) + f", and {q[-1]}"


def _bind(name, sig, args, kwargs):
    """The call's arguments in parameter order, defaults filled in, with CPython's TypeError for a wrong call.
    sig: (parameter name, kind: "p" positional-only, "n" positional or keyword, "k" keyword-only, default or _MISSING)."""
    positional = [s for s in sig if s[1] != "k"]
    argcount = len(positional)
    values = [_MISSING] * len(sig)
    for i, v in enumerate(args[:argcount]):
        values[i] = v
    for kw, v in kwargs.items():
        j = next((k for k, s in enumerate(sig) if s[0] == kw and s[1] != "p"), None)
        if j is None:
            posonly = [k for k in kwargs if any(s[0] == k and s[1] == "p" for s in sig)]
            if posonly:
                raise TypeError(f"{name}() got some positional-only arguments passed as keyword arguments: '{', '.join(posonly)}'")
            raise TypeError(f"{name}() got an unexpected keyword argument '{kw}'")
        if values[j] is not _MISSING:
            raise TypeError(f"{name}() got multiple values for argument '{kw}'")
        values[j] = v
    given = len(args)
    if given > argcount:
        defcount = sum(1 for s in positional if s[2] is not _MISSING)
        kwonly_given = sum(1 for j, s in enumerate(sig) if s[1] == "k" and values[j] is not _MISSING)
        takes = f"from {argcount - defcount} to {argcount}" if defcount else str(argcount)
        plural = "s" if defcount or argcount != 1 else ""
        kwsig = (f" positional argument{'s' if given != 1 else ''} (and {kwonly_given} keyword-only argument{'s' if kwonly_given != 1 else ''})"
                 if kwonly_given else "")
        raise TypeError(f"{name}() takes {takes} positional argument{plural} but {given}{kwsig} {'was' if given == 1 and not kwonly_given else 'were'} given")
    for kind, what in (("pn", "positional"), ("k", "keyword-only")):
        missing = [s[0] for j, s in enumerate(sig) if s[1] in kind and values[j] is _MISSING and s[2] is _MISSING]
        if missing:
            raise TypeError(f"{name}() missing {len(missing)} required {what} argument{'s' if len(missing) != 1 else ''}: {_names(missing)}")
    return [s[2] if v is _MISSING else v for v, s in zip(values, sig)]


def _from_c(value, spec, known=None):
    if spec[0] == "H":
        return _instance_result(value.value, spec[1], known)
    if spec[0] == "u":
        for tag, field, s in spec[1]:
            if value.tag == tag:
                return None if s[0] == "n" else _from_c(getattr(value.v, field), s)
        raise SystemError(f"the library returned the tag {value.tag}, which is not one of {spec!r}")
    if spec[0] == "t":
        return tuple(_from_c(getattr(value, f"f{i}"), s) for i, s in enumerate(spec[1]))
    if spec[0] == "R":
        # A record: its values as a tuple struct, in the keys' order; a dict as CPython's.
        return dict(zip(spec[1], _from_c(value, spec[2], known)))
    if spec[0] == "c":
        z = complex(value.re, value.im)
        if len(spec) > 1:
            try:
                import numpy
                return numpy.complex128(z)
            except ImportError:
                pass
        return z
    if spec[0] == "n":
        return None
    if spec[0] == "a":
        return _array_result(value, spec[1], spec[2])
    if spec[0] == "l":
        return tuple(_list_result(value, spec[1])) if spec[-1] == "tuple" else _list_result(value, spec[1])
    if spec[0] == "L":
        return _nested_result(value, spec[1])
    if spec[0] == "LS":
        return tuple(_strs_result(value)) if spec[-1] == "tuple" else _strs_result(value)
    if spec[0] == "LR":
        # Rows: each row's struct read as its spec says (a record: a dict), its str buffers freed; then the array.
        try:
            return [_from_c(r, spec[1]) for r in (_ctype(spec[1]) * value.len).from_address(value.data)] if value.len else []
        finally:
            if value.data:
                _lib.kiln_free(value.data)
    if spec[0] in ("D", "Z", "Q"):
        return _container_result(value, spec)
    if spec[0] == "DA":
        return _array_dict_result(value, spec[1], spec[2], spec[3])
    if spec[0] in _TEXT:
        return _text_result(value, spec[0])
    v = value.value if hasattr(value, "value") else value
    name = spec[1]
    if name in ("float32", "float64") or (name not in ("int", "float", "bool")):
        try:
            import numpy
            return getattr(numpy, name)(v)
        except ImportError:
            pass
    return v


# Exceptions that a library defines (NumPy's AxisError, LinAlgError): the module each comes from.
_LIBRARY_EXCEPTIONS = {${LIBRARY_EXCEPTIONS.map((k) => `"${k.name}": "${k.module}"`).join(', ')}}
${exceptionClassesSource(exports)}

class _KilnInstance:
    """An instance of a compiled class as this package passes it: a copy of the library's instance (read through the
    handle's getters, then released), its fields as attributes. A dataclass's copy compares equal (==, by its fields)
    to one the original module builds, and has its repr; any other class's compares by identity, as in Python."""

    def __eq__(self, other):
        spec = _CLASSES[type(self).__name__]
        if not spec[2]:
            return self is other
        if type(other).__name__ != type(self).__name__:
            return NotImplemented
        return _field_values(self, spec) == _field_values(other, spec)

    def __repr__(self):
        spec = _CLASSES[type(self).__name__]
        if not spec[3]:
            return object.__repr__(self)
        return type(self).__name__ + "(" + ", ".join(f"{f}={getattr(self, f)!r}" for f, _ in spec[1] if hasattr(self, f)) + ")"

    def __setattr__(self, name, value):
        if _CLASSES[type(self).__name__][4]:
            import dataclasses
            raise dataclasses.FrozenInstanceError(f"cannot assign to field '{name}'")
        object.__setattr__(self, name, value)

    def __hash__(self):
        spec = _CLASSES[type(self).__name__]
        return hash(_field_values(self, spec)) if spec[2] else object.__hash__(self)


def _field_values(obj, spec):
    return tuple(getattr(obj, f, _MISSING) for f, _ in spec[1])


_HANDLE_APIS = {}


def _field_ctype(spec):
    return _KilnText if spec[0] == "S" else _ctype(spec)


def _handle_api(name):
    """A class's handle functions (lower/c_abi_instances.ts): its getters in field order, _new and _free."""
    api = _HANDLE_APIS.get(name)
    if api is None:
        prefix, fields = _CLASSES[name][0], _CLASSES[name][1]
        getters = []
        new_args = []
        for f, s in fields:
            g = getattr(_lib, f"{prefix}_get_{f}")
            g.argtypes = [ctypes.c_void_p, ctypes.POINTER(_field_ctype(s))]
            g.restype = ctypes.c_int
            getters.append(g)
            new_args += [ctypes.c_char_p, ctypes.c_int64] if s[0] == "S" else [_ctype(s)]
        new = getattr(_lib, prefix + "_new", None)  # none for a class with a field no accessor passes
        if new is not None:
            new.argtypes = new_args + [ctypes.POINTER(ctypes.c_void_p)]
            new.restype = ctypes.c_int
        free = getattr(_lib, prefix + "_free")
        free.argtypes = [ctypes.c_void_p]
        free.restype = None
        api = _HANDLE_APIS[name] = (getters, new, free)
    return api


def _instance_copy(h, name, known):
    """A package-class copy of the instance behind handle h (borrowed), nested instances too. known: handle address ->
    the Python object it stands for (the caller's own instances, and the copies made so far: shared and cyclic
    structure stays so)."""
    if not h:
        return None
    if h in known:
        return known[h]
    cls = globals()[name]
    obj = cls.__new__(cls)
    known[h] = obj
    _copy_fields(obj, h, name, known)
    return obj


def _copy_fields(obj, h, name, known):
    """Sets obj's attributes to copies of the fields of the instance behind handle h (borrowed), of class name."""
    getters = _handle_api(name)[0]
    for (f, s), g in zip(_CLASSES[name][1], getters):
        out = _field_ctype(s)()
        if g(h, ctypes.byref(out)):
            continue  # never assigned (AttributeError): absent, as in Python
        if s[0] == "H":
            try:
                v = _instance_copy(out.value, s[1], known)
            finally:
                if out.value:
                    _handle_api(s[1])[2](out.value)
        else:
            v = _from_c(out, s)
        object.__setattr__(obj, f, v)


def _instance_result(h, name, known=None):
    """A handle the library returned (a NEW reference): copied, then released; a generator's frames: an iterator."""
    if not h:
        return None
    if name in _GENERATORS:
        return _KilnIterator(h, name)
    try:
        return _instance_copy(h, name, dict(known or {}))
    finally:
        _handle_api(name)[2](h)


class _KilnIterator:
    """The generator an exported function returned: its frames in the library (ir/generator_frames.ts) behind handle h
    (a NEW reference). Lazy as CPython's generator: next() runs the compiled generator to its next item
    (kiln_<frames>__next), and an exception raised inside it arrives here as the same exception; at its end, the
    StopIteration carries the value of its return v. The frames are released when the generator ends or raises,
    or when this iterator is dropped. No yield of a compiled generator is inside a try (ir/generators.ts), so
    throw() and close() at one leave it finished, as CPython's do."""

    __slots__ = ("_h", "_name", "_started", "__weakref__")

    def __init__(self, h, name):
        self._h = h
        self._name = name
        self._started = False

    def __iter__(self):
        return self

    def __next__(self):
        return self._resume(lambda h, made: _generator_step(self._name)(h, made))

    def _resume(self, step):
        """Runs step(h, &made) (the next or the send of the frames): its item, or its end as StopIteration(return value)."""
        h = self._h
        if not h:
            raise StopIteration
        self._started = True
        made = ctypes.c_bool()
        rc = step(h, ctypes.byref(made))
        if rc:
            self._release()
            _raise()
        if not made.value:
            value = self._field(h, 1) if len(_CLASSES[self._name][1]) > 1 else None
            self._release()
            raise StopIteration if value is None else StopIteration(value)
        return self._field(h, 0)

    def _field(self, h, k):
        """Field k of the frames: 0 the item the step made, 1 the value of its return v (None when never assigned)."""
        (_f, s), getter = _CLASSES[self._name][1][k], _handle_api(self._name)[0][k]
        out = _field_ctype(s)()
        if getter(h, ctypes.byref(out)):
            if k:
                return None
            _raise()
        return _instance_result(out.value, s[1]) if s[0] == "H" else _from_c(out, s)

    def send(self, value):
        """next() that gives x = yield v the value (kiln_<frames>__send, the value converted as a parameter of the
        generator's S in Generator[Y, S, R]): CPython's TypeError for a value before the start. A generator without
        x = yield v discards it; one whose S has no conversion (annotated Iterator[Y]) refuses it with a TypeError."""
        if value is None or not self._h:
            return self.__next__()
        if not self._started:
            raise TypeError("can't send non-None value to a just-started generator")
        name, _next, receives, send = _GENERATORS[self._name]
        if not receives:
            return self.__next__()
        if send is None:
            raise TypeError(f"Kiln: a value sent to the compiled generator {name} does not cross the boundary: annotate it Generator[Y, S, R] with S an int, float, bool or str (send(None) and next() do)")
        symbol, spec = send
        fn = _STEPS.get(symbol)
        if fn is None:
            fn = _STEPS[symbol] = getattr(_lib, symbol)
            fn.argtypes = [ctypes.c_void_p] + ([ctypes.c_char_p, ctypes.c_int64] if spec[0] == "S" else [_ctype(spec)]) + [ctypes.POINTER(ctypes.c_bool)]
            fn.restype = ctypes.c_int
        if spec[0] == "S":
            if not isinstance(value, str):
                raise TypeError(f"the value sent to {name} must be a str (its annotation), not {type(value).__name__}")
            b = value.encode("utf-8", "surrogatepass")
            args = (b, len(b))
        else:
            args = (_to_c(value, spec, f"the value sent to {name}"),)
        return self._resume(lambda h, made: fn(h, *args, made))

    def throw(self, typ, val=None, tb=None):
        """Raises the exception in the generator, at its yield (which is outside a try): it leaves it finished."""
        self._release()
        if isinstance(typ, BaseException):
            raise typ.with_traceback(tb) if tb is not None else typ
        exc = typ(*val) if isinstance(val, tuple) else typ() if val is None else val if isinstance(val, typ) else typ(val)
        raise exc.with_traceback(tb) if tb is not None else exc

    def close(self):
        """Drops the generator's frames now (CPython's close(): the GeneratorExit at a yield outside a try ends it)."""
        self._release()

    def _release(self):
        h, self._h = self._h, None
        if h:
            _handle_api(self._name)[2](h)

    def __del__(self):
        try:
            self._release()
        except Exception:
            pass  # the library is gone (interpreter shutdown)

    def __repr__(self):
        return f"<generator object {_GENERATORS[self._name][0]} (Kiln)>"


_STEPS = {}


def _generator_step(name):
    step = _STEPS.get(name)
    if step is None:
        step = _STEPS[name] = getattr(_lib, _GENERATORS[name][1])
        step.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_bool)]
        step.restype = ctypes.c_int
    return step


class _Handles:
    """The handles made for one call's instance arguments (kiln_<Class>_new from their fields; the original module's
    instances or this package's copies). After the call each one's fields are written back into the caller's object
    (Python's caller sees what the function changed); then they are released."""

    def __init__(self):
        self.known = {}
        self.made = []

    def arg(self, value, spec, what):
        name, optional = spec[1], spec[2]
        if value is None:
            if optional:
                return None
            raise TypeError(f"argument '{what}' must be a {name}, not None")
        return self._make(value, name, what, ())

    def _make(self, value, name, what, path):
        if type(value).__name__ != name:
            raise TypeError(f"{what} must be a {name}, not {type(value).__name__}")
        for h, obj in self.known.items():
            if obj is value:
                return h  # the same object twice: one handle (its identity stays one)
        if id(value) in path:
            raise TypeError(f"{what}: a cycle of instances cannot be passed to compiled code yet")
        new = _handle_api(name)[1]
        args = []
        # Nested instances first (each one's handle is released with the others after the call: this one holds its own).
        for f, s in _CLASSES[name][1]:
            if not hasattr(value, f):
                raise TypeError(f"{what}.{f} is not set: compiled code takes instances whose fields are all set")
            v = getattr(value, f)
            if s[0] == "H":
                if v is None and not s[2]:
                    raise TypeError(f"{what}.{f} must be a {s[1]}, not None")
                args.append(None if v is None else self._make(v, s[1], f"{what}.{f}", path + (id(value),)))
            elif s[0] == "S":
                args += list(_text_arg(v, "S", f"{what}.{f}"))
            else:
                args.append(_to_c(v, s, f"{what}.{f}"))
        out = ctypes.c_void_p()
        if new(*args, ctypes.byref(out)):
            _raise()
        self.known[out.value] = value
        self.made.append((out.value, name))
        return out.value

    def write_back(self):
        for h, value in list(self.known.items()):
            name = type(value).__name__
            if _CLASSES[name][4]:
                continue  # frozen: the function cannot change it
            fresh = _instance_copy(h, name, {k: v for k, v in self.known.items() if k != h})
            for f, _ in _CLASSES[name][1]:
                if f in fresh.__dict__:
                    object.__setattr__(value, f, fresh.__dict__[f])
                elif hasattr(value, f):
                    object.__delattr__(value, f)

    def release(self):
        for h, name in self.made:
            _handle_api(name)[2](h)
        self.made = []

${instanceClassesSource(exports)}


def _unicode_error(cls, message):
    \"\"\"A UnicodeDecodeError / UnicodeEncodeError whose str() is the library's message (CPython's words): these
    classes take (encoding, object, start, end, reason); the object is rebuilt with the byte or character the
    message names at its position, so str(e), e.start, e.end and e.reason are what CPython's would be.\"\"\"
    import re
    m = re.match(r"'([^']+)' codec can't (decode|encode) (byte 0x([0-9a-f]{2})|bytes|character '(.*)'|characters) in position (\\d+)(?:-(\\d+))?: (.*)$", message, re.S)
    if not m:
        return None
    encoding, what, _, byte, char, start, last, reason = m.groups()
    start = int(start)
    end = int(last) + 1 if last else start + 1
    try:
        if cls is UnicodeDecodeError:
            obj = bytearray(end)
            if byte:
                obj[start] = int(byte, 16)
            e = UnicodeDecodeError(encoding, bytes(obj), start, end, reason)
        else:
            text = ["a"] * end
            if char:
                text[start] = char.encode("ascii").decode("unicode_escape")
            e = UnicodeEncodeError(encoding, "".join(text), start, end, reason)
    except Exception:
        return None
    return e if str(e) == message else None


def _exception(type_name, message):
    \"\"\"The Python exception of the library's error (its class from builtins, its message as str(e)).\"\"\"
    cls = _EXCEPTION_CLASSES.get(type_name) or getattr(builtins, type_name, None)
    if type_name in _LIBRARY_EXCEPTIONS:
        import importlib
        cls = getattr(importlib.import_module(_LIBRARY_EXCEPTIONS[type_name]), type_name, None)
    if not (isinstance(cls, type) and issubclass(cls, BaseException)):
        cls = RuntimeError
    if cls in (UnicodeDecodeError, UnicodeEncodeError):
        return _unicode_error(cls, message) or UnicodeError(message)
    if message and issubclass(cls, KeyError):
        # str(KeyError(k)) is repr(k): the library's message is that repr, so the key is rebuilt from it.
        import ast
        try:
            return cls(ast.literal_eval(message))
        except (ValueError, SyntaxError):
            pass
    return cls(message) if message else cls()


def _raise():
    raise _library_exception(_lib.kiln_error_type().decode(), _lib.kiln_error_message().decode("utf-8", "replace"))


def _library_exception(type_name, message):
    """The exception of the error a call returned, with the fields its instance carried out (the fast path's too)."""
    exc = _exception(type_name, message)
    obj = _lib.kiln_error_object()
    if obj and type_name in _CLASSES and type(exc) is _EXCEPTION_CLASSES.get(type_name):
        _exception_fields(exc, obj, type_name, message)
    return exc


def _exception_fields(exc, h, name, message):
    """The fields of the instance an exception of a class with fields carried out of the call (kiln_error_object),
    copied onto exc; e.args is the message its __init__ gave the base, str(e) what the class's __str__ gave."""
    _copy_fields(exc, h, name, {h: exc})
    arg = exc.__dict__.pop("__kiln_message", None)
    if isinstance(arg, str):
        exc.args = (arg,)
        if arg != message:
            _EXCEPTION_STR[exc] = message


def _make(name, symbol, params, ret, signature, sig):
    if _uses_arrays(params, ret):
        return _make_array_function(name, symbol, params, ret, signature, sig)
    cfunc = getattr(_lib, symbol)
    argtypes = [_ctype(s) for _, s in params]
    has_out = ret[0] != "n"
    if has_out:
        argtypes.append(ctypes.POINTER(_ctype(ret)))
    cfunc.argtypes = argtypes
    cfunc.restype = ctypes.c_int
    # A big-int twin that takes ints of any size (<symbol>_big: each int as its hex() text): ints past 64 bits run it.
    big = getattr(_lib, symbol + "_big", None)
    big_ints = [i for i, (_, s) in enumerate(params) if s == ("s", "int")]
    if big is not None:
        big.argtypes = [ctypes.c_char_p if s == ("s", "int") else _ctype(s) for _, s in params] + argtypes[len(params):]
        big.restype = ctypes.c_int

    def run(values):
        if big is not None and any(type(values[i]) is int and not -0x8000000000000000 <= values[i] <= 0x7FFFFFFFFFFFFFFF for i in big_ints):
            return _result(big, [hex(v).encode() if s == ("s", "int") else _to_c(v, s, p) for v, (p, s) in zip(values, params)])
        made = _Handles()
        try:
            return _result(cfunc, [made.arg(v, s, p) if s[0] == "H" else _to_c(v, s, p) for v, (p, s) in zip(values, params)], made)
        finally:
            made.release()

    def _result(fn, c_args, made=None):
        if has_out:
            out = _ctype(ret)()
            rc = fn(*c_args, ctypes.byref(out))
        else:
            rc = fn(*c_args)
        if made is not None:
            made.write_back()
        if rc == _BIG_RESULT and _big_results is not None:
            return int(_lib.kiln_big_result().decode(), 16)
        if rc:
            _raise()
        return _from_c(out, ret, made and made.known) if has_out else None

    def call(*args, **kwargs):
        return run(_bind(name, sig, args, kwargs))

    call._run = run
    call.__name__ = name
    call.__qualname__ = name
    call.__module__ = __name__
    call.__doc__ = f"{signature}\\n\\nNative (Kiln) build of {name} from ${moduleName}.py."
    return call

# The letter of each Python number type in a specialisation's code (types/tower.ts): exact types, as Python computes.
_TOWER = {float: "f", int: "i", bool: "b"}
_TOWER_NAMES = {"f": "float", "i": "int", "b": "bool", "d": "np.float64", "l": "np.int64", "F": "list[float]", "I": "list[int]"}
# The letter of a list whose items are all of one of these types (types/tower.ts listLetter).
_LIST_TOWER = {float: "F", int: "I"}


def _list_letter(value, empty):
    """A list's letter at a list tower parameter: \`empty\` for [], the list letter of its items' one exact type, None
    when an item is not a Python number (the annotated conversion), "?" for ints mixed with floats or bools."""
    if not value:
        return empty
    t = type(value[0])
    letter = _LIST_TOWER.get(t)
    if letter is not None and _count_of(map(type, value), t) == len(value):
        return letter
    return "?" if all(type(x) in _TOWER for x in value) else None


def _dispatch(name, annotated, own, variants, at, sig, aliases, lists):
    """The function with its specialisations for the argument types Python accepts where it is annotated: a call
    runs the one compiled for the exact types of its arguments at the parameters \`at\` (\`own\` is the annotated
    one's code). An argument of another type (a NumPy scalar, an object with __float__) goes through the annotated
    function's conversion; Python numbers of a combination that was not compiled raise TypeError. NumPy's float64
    and int64 pick the specialisations \`@compile(signatures=[...])\` lists for them; another combination with a
    NumPy scalar goes through the annotated function's conversion, as any other type does."""
    letters = _TOWER
    if any(l in "dl" for code in variants for l in code):
        try:
            import numpy
            letters = {**_TOWER, numpy.float64: "d", numpy.int64: "l"}
        except ImportError:
            pass
    table = {own: annotated._run}
    for code, f in variants.items():
        table[code] = f._run
    compiled = list(table)
    # A bool where a specialisation has an int and its C cannot tell them apart: that one runs.
    for code, target in aliases.items():
        table[code] = table[target]
    n = len(sig)
    plain = all(s[1] != "k" for s in sig)

    def call(*args, **kwargs):
        values = args if plain and not kwargs and len(args) == n else _bind(name, sig, args, kwargs)
        code = ""
        for i in at:
            value = values[i]
            letter = letters.get(type(value))
            if letter is None:
                # A list (or tuple) at a list[float] parameter: the exact type of its items picks (_list_letter).
                empty = lists.get(i)
                if empty is None or (type(value) is not list and type(value) is not tuple):
                    return annotated._run(values)
                letter = _list_letter(value, empty)
                if letter is None:
                    return annotated._run(values)
                if letter == "?":
                    given = " and ".join(sorted({type(x).__name__ for x in value}))
                    kinds = ", ".join(dict.fromkeys(_TOWER_NAMES[c[at.index(i)]] for c in compiled))
                    raise TypeError(f"{name}() has no compiled specialisation for a list of {given} items at {sig[i][0]}; "
                                    f"compiled for {kinds} (make the items one of these types, e.g. [float(x) for x in {sig[i][0]}])")
            code += letter
        run = table.get(code)
        if run is None and ("d" in code or "l" in code):
            return annotated._run(values)
        if run is None:
            def show(c):
                return "(" + ", ".join(f"{sig[i][0]}: {_TOWER_NAMES[l]}" for i, l in zip(at, c)) + ")"
            raise TypeError(f"{name}() has no compiled specialisation for {show(code)}; compiled: "
                            f"{', '.join(show(c) for c in compiled)} (convert the arguments, e.g. float(x), or give the types of a compiled one)")
        return run(values)

    call.__name__ = name
    call.__qualname__ = name
    call.__module__ = __name__
    call.__doc__ = annotated.__doc__ + "\\n\\nSpecialisations (argument types -> result): " + "; ".join(
        f.__doc__.split("\\n")[0] for f in [annotated, *variants.values()])
    call.__kiln_specialisations__ = tuple(compiled)
    call._runs = {"": annotated._run, **{code: f._run for code, f in variants.items()}}  # the extension's ctypes calls (pyext.ts)
    return call


${ARRAY_RUNTIME.replace(/\$\{MODULE\}/g, moduleName)}
${fns}${transportedClasses(exports).filter((h) => !h.generator).map(methodsSource).join('')}`;

  /** A class's compiled methods: `Vec.dot = _make(...)`; one with specialisations (a code each) dispatches on them as a function does. */
  function methodsSource(h: HandleApi): string {
    const byName = new Map<string, NonNullable<HandleApi['methods']>>();
    for (const m of h.methods ?? []) byName.set(m.name, [...(byName.get(m.name) ?? []), m]);
    return [...byName].map(([name, [first, ...rest]]) => {
      const made = (m: typeof first) => make({ ...m, name: `${h.python}.${name}`, line: 0 });
      const value = first.code === undefined ? made(first) : `_dispatch("${h.python}.${name}", ${made(first)}, "${first.code}", {
${rest.map((m) => `    "${m.code}": ${made(m)},`).join('\n')}
}, [${first.at!.join(', ')}], ${bindingSpec({ ...first, line: 0 })}, {}, {})`;
      return `
# ${h.python}.${name}: the compiled method (${[first, ...rest].map((m) => m.symbol).join(', ')}); self is passed as any instance argument is.
${h.python}.${name} = ${value}
`;
    }).join('');
  }
}

export { typeToString };

/**
 * The package's array and list calling convention (kept apart from the scalar path): NumPy arrays pass as
 * kiln_array_<dtype> structs pointing at the caller's memory (no copy for contiguous, strided or reversed
 * views), lists pass as kiln_list_<item> *{ len, data } built with the stdlib `array` module and are in-out
 * (after every call, also one that raised, the library writes back the list's final state in a new buffer:
 * a caller's Python list is updated in place, xs[:] = final items, as Python leaves it; the buffer is freed
 * at once), and results
 * come back as NumPy arrays that own the library's buffer (freed with kiln_free when the array goes) or
 * as Python lists (copied, then the buffer freed at once).
 */
const ARRAY_RUNTIME = String.raw`
# ---- arrays and lists ------------------------------------------------------------------------------
import array as _array_mod


class _KilnArray(ctypes.Structure):
    """kiln_array_<dtype>: data points at element [0, 0, 0]; shape and strides (in elements) for k < ndim."""
    _fields_ = [("data", ctypes.c_void_p), ("shape", ctypes.c_int64 * 3), ("strides", ctypes.c_int64 * 3)]


class _KilnList(ctypes.Structure):
    """kiln_list_<item>: len items at data. In-out: the library copies it on entry and, after the call (also
    one that raised), sets len and data to the list's final state in a NEW buffer (freed with kiln_free)."""
    _fields_ = [("len", ctypes.c_int64), ("data", ctypes.c_void_p)]


# The stdlib array typecode of each list item type (the C type of the ABI's kiln_list_<item>).
_LIST_CODES = {"int": "q", "int64": "q", "float": "d", "float64": "d", "float32": "f", "bool": "B",
               "int8": "b", "uint8": "B", "int16": "h", "uint16": "H", "int32": "i", "uint32": "I", "uint64": "Q"}

if hasattr(_lib, "kiln_free"):
    _lib.kiln_free.argtypes = [ctypes.c_void_p]
    _lib.kiln_free.restype = None


_TEXT = ("S", "B", "S?", "B?")


def _holds_buffers(spec):
    return spec[0] in ("a", "l", "L", "LS", "LR", "D", "DA", "T", "Z", "Q") or spec[0] in _TEXT or (spec[0] == "t" and any(_holds_buffers(s) for s in spec[1])) \
        or (spec[0] == "R" and _holds_buffers(spec[2]))


def _uses_arrays(params, ret):
    return any(_holds_buffers(s) for _, s in params) or _holds_buffers(ret)


class _KilnNestedList(ctypes.Structure):
    """kiln_list_list_<item>: len rows (kiln_list_<item>) at data; after the call origin[i] is the index (on entry)
    of the caller's row that row i is, or -1 for a row the function made."""
    _fields_ = [("len", ctypes.c_int64), ("data", ctypes.c_void_p), ("origin", ctypes.c_void_p)]


def _nested_arg(value, item, what, written):
    """A list of lists parameter: each row copied into a kiln_list over a stdlib array."""
    rows = value if isinstance(value, list) else list(value)
    if written and len({id(r) for r in rows if isinstance(r, list)}) < sum(1 for r in rows if isinstance(r, list)):
        raise TypeError(f"kiln: the same inner list appears more than once in '{what}' (as [[0] * n] * m makes); "
                        f"compiled code copies each row, so writes through one would not show through the others: "
                        f"make the rows distinct ([[0] * n for _ in range(m)])")
    arr = (_KilnList * max(len(rows), 1))()
    keep = []
    for i, r in enumerate(rows):
        lst = _list_arg(r, item, f"{what}[{i}]")
        keep.append(lst)
        arr[i].len = lst.len
        arr[i].data = lst.data
    s = _KilnNestedList()
    s.len = len(rows)
    s.data = ctypes.cast(arr, ctypes.c_void_p).value
    s.origin = None
    s._keep = (arr, keep)
    return s, rows


def _nested_back(value, rows_in, s, item):
    """The caller's list of lists as the function left it: each row it kept is the same Python list object
    (updated in place), rows it made are new lists, as in Python."""
    n = s.len
    try:
        rows = (_KilnList * n).from_address(s.data) if n else []
        origin = (ctypes.c_int64 * n).from_address(s.origin) if n else []
        final, done = [], set()
        for i in range(n):
            items = _list_result(rows[i], item, free=False)
            o = origin[i]
            if 0 <= o < len(rows_in) and isinstance(rows_in[o], list):
                row = rows_in[o]
                if o not in done:
                    row[:] = items
                    done.add(o)
                final.append(row)
            else:
                final.append(items)
    finally:
        for i in range(n):
            if rows[i].data:
                _lib.kiln_free(rows[i].data)
        if s.data:
            _lib.kiln_free(s.data)
        if s.origin:
            _lib.kiln_free(s.origin)
    if isinstance(value, list):
        value[:] = final


def _nested_result(out, item):
    """A result list of lists: new Python lists, the library's buffers freed at once."""
    n = out.len
    rows = (_KilnList * n).from_address(out.data) if n else []
    try:
        return [_list_result(rows[i], item) for i in range(n)]
    finally:
        if out.data:
            _lib.kiln_free(out.data)


class _KilnText(ctypes.Structure):
    """kiln_str / kiln_bytes: a str result's UTF-8 (or a bytes result) in a NEW buffer, freed with kiln_free."""
    _fields_ = [("data", ctypes.c_void_p), ("len", ctypes.c_int64)]


def _text_arg(value, kind, what):
    """A str parameter as its UTF-8 (a lone surrogate raises CPython's UnicodeEncodeError: it has no UTF-8), or a
    bytes parameter as its bytes: (pointer, length) for the two C parameters; None for str | None is a NULL pointer."""
    if kind in ("S?", "B?"):
        if value is None:
            return None, 0
        kind = kind[0]
    if kind == "S":
        if not isinstance(value, str):
            raise TypeError(f"{what} must be str, not {type(value).__name__}")
        data = value.encode("utf-8")
    else:
        if not isinstance(value, (bytes, bytearray, memoryview)):
            raise TypeError(f"{what} must be bytes, not {type(value).__name__}")
        data = bytes(value)
    return data, len(data)


def _text_result(out, kind):
    """A str or bytes result: copied out of the library's buffer, which is then freed (str | None: NULL is None)."""
    if kind in ("S?", "B?"):
        if not out.data:
            return None
        kind = kind[0]
    try:
        data = ctypes.string_at(out.data, out.len) if out.len else b""
    finally:
        if out.data:
            _lib.kiln_free(out.data)
    return data.decode("utf-8") if kind == "S" else data


class _KilnStrList(ctypes.Structure):
    """kiln_list_str: len kiln_str items at data. In-out like every list: after the call (also one that raised) len and
    data are the list's final state, a NEW array of NEW strings (each freed with kiln_free, then the array)."""
    _fields_ = [("len", ctypes.c_int64), ("data", ctypes.c_void_p)]


def _strs_arg(value, what):
    """A list[str] parameter: each item's UTF-8 in a kiln_str (TypeError for an item that is not a str)."""
    items = value if isinstance(value, list) else list(value)
    arr = (_KilnText * max(len(items), 1))()
    keep = []
    for i, v in enumerate(items):
        data, n = _text_arg(v, "S", f"{what}[{i}]")
        buf = ctypes.create_string_buffer(data, n)
        keep.append(buf)
        arr[i].data = ctypes.addressof(buf)
        arr[i].len = n
    s = _KilnStrList()
    s.len = len(items)
    s.data = ctypes.addressof(arr)
    s._keep = (arr, keep)
    return s


def _strs_result(out):
    """A list of str the library handed over: new Python str, then every buffer freed."""
    n = out.len
    items = (_KilnText * n).from_address(out.data) if n and out.data else []
    try:
        return [ctypes.string_at(items[i].data, items[i].len).decode("utf-8") if items[i].len else "" for i in range(n)]
    finally:
        for i in range(len(items)):
            if items[i].data:
                _lib.kiln_free(items[i].data)
        if out.data:
            _lib.kiln_free(out.data)


class _KilnDict(ctypes.Structure):
    """kiln_dict_<K>_<V>: len items, keys[i] and values[i] in insertion order (NEW arrays after a call); index is the C
    accessors' (NULL here: the package never looks keys up in C)."""
    _fields_ = [("len", ctypes.c_int64), ("keys", ctypes.c_void_p), ("values", ctypes.c_void_p), ("index", ctypes.c_void_p)]


class _KilnDictOrigin(ctypes.Structure):
    """kiln_dict_<K>_list_<T>, kiln_dict_<K>_dict_<K2>_<V>: a dict of lists or dicts; after the call origin[i] is the
    entry index of the caller's value that values[i] is, or -1 for one the function made (NULL for a result)."""
    _fields_ = [("len", ctypes.c_int64), ("keys", ctypes.c_void_p), ("values", ctypes.c_void_p), ("origin", ctypes.c_void_p),
                ("index", ctypes.c_void_p)]


class _KilnArrayDict(ctypes.Structure):
    """kiln_dict_str_array_<dtype> (and its nested dicts): len keys[i] and values[i] (array views or inner dicts)."""
    _fields_ = [("len", ctypes.c_int64), ("keys", ctypes.c_void_p), ("values", ctypes.c_void_p)]


def _object_values(spec):
    """A dict spec whose values are lists or dicts (its struct has an origin)."""
    return spec[0] == "D" and (isinstance(spec[2], tuple) or spec[2].startswith("list_"))


def _dict_ctype(spec):
    return _KilnDictOrigin if _object_values(spec) else _KilnDict


class _KilnSet(ctypes.Structure):
    """kiln_set_<T>: len items in the set's iteration order (NEW arrays after a call); index as _KilnDict's."""
    _fields_ = [("len", ctypes.c_int64), ("items", ctypes.c_void_p), ("index", ctypes.c_void_p)]


class _KilnDeque(ctypes.Structure):
    """kiln_deque_<T>: len items from left to right and the maxlen (-1: None); NEW arrays after a call."""
    _fields_ = [("len", ctypes.c_int64), ("items", ctypes.c_void_p), ("maxlen", ctypes.c_int64)]


def _items_arg(items, item, what):
    """A C array of int64/double/bool items, of kiln_str for str, or of kiln_list for a dict's list values ("list_int":
    each checked as a list parameter is)."""
    n = max(len(items), 1)
    if isinstance(item, tuple) and item[0] in ("D", "Z"):
        # An inner dict or a frozenset key: its own struct, by value (its items checked as the container's).
        arr = ((_dict_ctype(item) if item[0] == "D" else _KilnSet) * n)()
        keep = []
        for i, v in enumerate(items):
            inner = _container_arg(v, item, what)
            keep.append(inner)
            ctypes.memmove(ctypes.addressof(arr[i]), ctypes.addressof(inner), ctypes.sizeof(inner))
        return arr, keep
    if item == "list_str":
        arr = (_KilnStrList * n)()
        keep = []
        for i, v in enumerate(items):
            if not isinstance(v, list):
                raise TypeError(f"{what} must be a list, not {type(v).__name__}")
            lst = _strs_arg(v, what)
            keep.append(lst)
            arr[i].len, arr[i].data = lst.len, lst.data
        return arr, keep
    if isinstance(item, tuple):
        # A tuple key or item: the header's tuple struct, by value.
        arr = (_ctype(item) * n)()
        for i, v in enumerate(items):
            arr[i] = _to_c(v, item, what)
        return arr, None
    if item.startswith("list_"):
        arr = (_KilnList * n)()
        keep = []
        for i, v in enumerate(items):
            if not isinstance(v, list):
                raise TypeError(f"{what} must be a list, not {type(v).__name__}")
            lst = _list_arg(v, item[len("list_"):], what)
            keep.append(lst)
            arr[i].len, arr[i].data = lst.len, lst.data
        return arr, keep
    if item == "str":
        arr = (_KilnText * n)()
        keep = []
        for i, v in enumerate(items):
            data, size = _text_arg(v, "S", what)
            buf = ctypes.create_string_buffer(data, size)
            keep.append(buf)
            arr[i].data = ctypes.addressof(buf)
            arr[i].len = size
        return arr, keep
    if item == "complex":
        arr = (_KilnComplex * n)()
        for i, v in enumerate(items):
            arr[i] = _to_c(v, ("c",), what)
        return arr, None
    arr = (_CTYPES[item] * n)()
    for i, v in enumerate(items):
        arr[i] = _to_c(v, ("s", item), what)
    return arr, None


def _container_arg(value, spec, what):
    """A dict, set or deque parameter in the flat layout (its items in the caller's order)."""
    if spec[0] == "D":
        if not isinstance(value, dict):
            raise TypeError(f"{what} must be a dict, not {type(value).__name__}")
        keys, keep_k = _items_arg(list(value.keys()), spec[1], f"a key of {what}")
        given = list(value.values())
        vals, keep_v = _items_arg(given, spec[2], f"a value of {what}")
        s = _dict_ctype(spec)()
        s.len, s.keys, s.values = len(value), ctypes.addressof(keys), ctypes.addressof(vals)
        s._keep = (keys, vals, keep_k, keep_v)
        # The caller's values in entry order: after the call, origin says which of them a value is.
        s._given = given
        return s
    if spec[0] == "Q":
        # A deque only (a list has no appendleft or maxlen: Python would fail inside the function).
        if not isinstance(value, _collections.deque):
            raise TypeError(f"{what} must be a collections.deque, not {type(value).__name__}")
        items, keep = _items_arg(list(value), spec[1], f"an item of {what}")
        s = _KilnDeque()
        s.len, s.items, s.maxlen = len(value), ctypes.addressof(items), -1 if value.maxlen is None else value.maxlen
        s._keep = (items, keep)
        return s
    if len(spec) > 2 and not isinstance(value, frozenset):
        # A frozenset parameter takes a frozenset only (a set would run as a set under CPython: its repr, no hash).
        raise TypeError(f"{what} must be a frozenset, not {type(value).__name__}")
    if not isinstance(value, (set, frozenset)):
        raise TypeError(f"{what} must be a set, not {type(value).__name__}")
    items, keep = _items_arg(list(value), spec[1], f"an item of {what}")
    s = _KilnSet()
    s.len, s.items = len(value), ctypes.addressof(items)
    s._keep = (items, keep)
    return s


def _items_result(ptr, n, item):
    """n items the library handed over at ptr: Python values, then every buffer freed."""
    if not ptr:
        return []
    try:
        if isinstance(item, tuple):
            # Tuples and a dict's inner dicts ("D": each a new dict, its buffers freed by _container_result via _from_c).
            return [_from_c(v, item) for v in (_ctype(item) * n).from_address(ptr)] if n else []
        if item == "list_str":
            return [_strs_result(lst) for lst in (_KilnStrList * n).from_address(ptr)] if n else []
        if item.startswith("list_"):
            # A dict's list values: each a new Python list (its buffer freed by _list_result).
            return [_list_result(lst, item[len("list_"):]) for lst in (_KilnList * n).from_address(ptr)] if n else []
        if item == "str":
            texts = (_KilnText * n).from_address(ptr) if n else []
            try:
                return [ctypes.string_at(t.data, t.len).decode("utf-8") if t.len else "" for t in texts]
            finally:
                for t in texts:
                    if t.data:
                        _lib.kiln_free(t.data)
        if item == "complex":
            return [complex(z.re, z.im) for z in (_KilnComplex * n).from_address(ptr)] if n else []
        return (_CTYPES[item] * n).from_address(ptr)[:] if n else []
    finally:
        _lib.kiln_free(ptr)


def _inner_given(given, origin, i):
    """The caller's values (entry order) of the caller's inner dict that inner dict i is, if it is one."""
    o = origin[i] if origin else -1
    g = given[o] if given is not None and 0 <= o < len(given) else None
    return list(g.values()) if isinstance(g, dict) else None


def _container_result(out, spec, given=None):
    """A dict, set or deque (with its maxlen) from the library's arrays (freed); None when they are NULL (memory ran out
    copying back). given: the caller's values of a dict parameter in entry order (origin says which a value is)."""
    n = out.len
    if spec[0] == "D":
        origin = None
        if _object_values(spec) and out.origin:
            origin = list((ctypes.c_int64 * n).from_address(out.origin)) if n else []
            _lib.kiln_free(out.origin)
        if not out.keys or not out.values:
            _items_result(out.keys, n, spec[1])
            _items_result(out.values, n, spec[2])
            return None
        if given is None:
            given = getattr(out, "_given", None)
        keys = _items_result(out.keys, n, spec[1])
        if isinstance(spec[2], tuple) and _object_values(spec[2]):
            # Inner dicts of lists or dicts: each with the values of the caller's inner dict it is (its own origin is
            # relative to them), so the caller's objects are kept at every depth.
            try:
                inner = (_dict_ctype(spec[2]) * n).from_address(out.values) if n else []
                values = [_container_result(d, spec[2], _inner_given(given, origin, i)) for i, d in enumerate(inner)]
            finally:
                _lib.kiln_free(out.values)
        else:
            values = _items_result(out.values, n, spec[2])
        if origin is not None and given is not None:
            # A list or dict the function kept is the caller's own object, updated in place (Python's aliasing).
            done = set()
            for i, o in enumerate(origin):
                if 0 <= o < len(given) and isinstance(given[o], (list, dict)):
                    if o not in done:
                        if isinstance(given[o], list):
                            given[o][:] = values[i]
                        else:
                            given[o].clear()
                            given[o].update(values[i])
                        done.add(o)
                    values[i] = given[o]
        return dict(zip(keys, values))
    if not out.items:
        return None
    if spec[0] == "Q":
        return _collections.deque(_items_result(out.items, n, spec[1]), None if out.maxlen < 0 else out.maxlen)
    return (frozenset if len(spec) > 2 else set)(_items_result(out.items, n, spec[1]))


def _numpy(what):
    try:
        import numpy
    except ImportError:
        raise ImportError(f"${'${MODULE}'}: {what} needs NumPy (pip install numpy)") from None
    return numpy


def _array_arg(value, dtype, ndim, what, written=True, fname="", other=False):
    """A NumPy array parameter as (kiln_array struct, copy_back or None). The struct points at the
    caller's memory: a contiguous, strided or reversed view is not copied, so writes through it are
    seen by the caller as in Python. Another input (a list, a tuple) becomes np.asarray(value) where the
    function only hands the parameter to NumPy functions and len() (\`other\`: they convert it so themselves),
    and must then have the annotated dtype and ndim; elsewhere it is a TypeError (CPython would run the body
    on the list: \`a * 2\` repeats it, \`for x in a\` gives floats, not np.float64s). A read-only array (np.broadcast_to, a frombuffer of bytes, flags.writeable = False) passes without a
    copy when the function only reads it; for a parameter the function writes (the compiler knows which),
    it raises NumPy's ValueError before the call (NumPy raises it at the first write; a write on a path
    the call does not take counts too)."""
    np = _numpy(f"array parameter '{what}'")
    want = np.dtype(dtype)
    if isinstance(value, np.ndarray):
        arr = value
        if arr.dtype != want:
            raise TypeError(f"{what} must be a NumPy array of dtype {want.name} (its annotation), not {arr.dtype.name if arr.dtype.isnative else arr.dtype.str}; "
                            f"convert it with {what}.astype(np.{want.name})")
    elif not other:
        raise TypeError(f"{fname}() was compiled for a NumPy array at {what} (ndarray[{want.name}, {ndim}d]), and its code does not treat "
                        f"a {type(value).__name__} as NumPy would (only NumPy functions and len() do): pass np.asarray({what}, dtype=np.{want.name})")
    else:
        try:
            arr = np.asarray(value)
        except (TypeError, ValueError) as e:
            raise TypeError(f"{what} must be a {ndim}-D array of {want.name}: {e}") from None
        if arr.dtype != want or arr.ndim != ndim:
            # NumPy would compute with what np.asarray made of it (np.sum([1, 2]) is an int): not the compiled types.
            raise TypeError(f"{fname}() was compiled for ndarray[{want.name}, {ndim}d] at {what}, and np.asarray of the "
                            f"{type(value).__name__} given is {arr.ndim}-D {arr.dtype.name}: pass np.asarray({what}, dtype=np.{want.name})")
    if arr.ndim != ndim:
        raise TypeError(f"{what} must be a {ndim}-D array (the compiled signature is ndarray[{want.name}, {ndim}d]), not {arr.ndim}-D")
    if written and not arr.flags.writeable:
        raise ValueError("assignment destination is read-only")
    target, copy_back = arr, None
    item = arr.itemsize
    if not arr.flags.aligned or any(s % item for s in arr.strides):
        # Strides that are not whole elements (a view into a record array, unaligned memory): work on an
        # aligned copy and write it back, so the caller still sees any writes.
        target = np.array(arr, order="C")
        if written:
            copy_back = lambda: np.copyto(arr, target)
    s = _KilnArray()
    s.data = target.ctypes.data
    for k in range(3):
        s.shape[k] = target.shape[k] if k < ndim else 1
        s.strides[k] = target.strides[k] // item if k < ndim else 0
    s._keep = target
    return s, copy_back


def _array_dict_arg(value, dtype, ndim, depth, what, fname, written, backs):
    """A dict[str, NDArray] parameter (kiln_dict_str_array_<dtype>; depth > 1: dicts of them, each value the inner
    dict's struct): each array the caller's own, passed as an array parameter is (no copy; its dtype and ndim checked),
    so the function's writes into it (written: a read-only array raises NumPy's ValueError first) are the caller's; an
    unaligned array's copy is written back after the call (backs). The dict itself is not changed."""
    if not isinstance(value, dict):
        raise TypeError(f"{what} must be a dict, not {type(value).__name__}")
    keys, keep_k = _items_arg(list(value.keys()), "str", f"a key of {what}")
    vals = ((_KilnArray if depth == 1 else _KilnArrayDict) * max(len(value), 1))()
    keep = [keys, keep_k, vals]
    for i, (k, v) in enumerate(value.items()):
        if depth == 1:
            item, back = _array_arg(v, dtype, ndim, f"{what}[{k!r}]", written, fname)
            if back:
                backs.append(back)
        else:
            item = _array_dict_arg(v, dtype, ndim, depth - 1, f"{what}[{k!r}]", fname, written, backs)
        vals[i] = item
        keep.append(item._keep)  # the memory the struct points into (an aligned copy when the caller's array was not)
    s = _KilnArrayDict()
    s.len, s.keys, s.values = len(value), ctypes.addressof(keys), ctypes.addressof(vals)
    s._keep = keep
    return s


class _KilnTree(ctypes.Structure):
    """kiln_tree_<dtype>: kind 0 an array, 1 a dict (len keys and items), 2 a list (len items)."""
    _fields_ = [("kind", ctypes.c_int64), ("len", ctypes.c_int64), ("keys", ctypes.c_void_p), ("items", ctypes.c_void_p),
                ("array", _KilnArray)]


def _tree_arg(value, dtype, layout, what, fname, keep, written=False, backs=None):
    """Weights laid out by the signature's ndim= (kiln_tree_<dtype>): an int is an array of that many dimensions (the
    caller's own, as an array parameter is: the function's writes into it are the caller's; written and backs as in
    _array_dict_arg), a dict the keys it names (KeyError for one missing; TypeError for one it does not name: the compiled
    code knows the keys), a list of one layout its items. The dicts and lists themselves are not changed."""
    node = _KilnTree()
    if isinstance(layout, int):
        node.kind = 0
        arr, back = _array_arg(value, dtype, layout, what, written, fname)
        if back:
            backs.append(back)
        node.array = arr
        keep.append(arr._keep)  # the memory the view points into (an aligned copy when the caller's array was not)
        return node
    if isinstance(layout, dict):
        if not isinstance(value, dict):
            raise TypeError(f"{what} must be a dict, not {type(value).__name__}")
        for k in value:
            if k not in layout:
                raise TypeError(f"{fname}() was compiled for {what} with the keys {', '.join(map(repr, layout))} (its ndim= layout), not {k!r}")
        names = list(layout)
        items = [value[k] for k in names]  # KeyError for a missing key, as the lookup in Python would raise
        keys, keep_k = _items_arg(names, "str", f"a key of {what}")
        keep += [keys, keep_k]
        node.kind = 1
    else:
        if not isinstance(value, (list, tuple)):
            raise TypeError(f"{what} must be a list, not {type(value).__name__}")
        names, items = None, list(value)
        node.kind = 2
    arr = (_KilnTree * max(len(items), 1))()
    keep.append(arr)
    for i, v in enumerate(items):
        inner = layout[names[i]] if names is not None else layout[0]
        arr[i] = _tree_arg(v, dtype, inner, f"{what}[{names[i]!r}]" if names is not None else f"{what}[{i}]", fname, keep, written, backs)
    node.len = len(items)
    node.keys = ctypes.addressof(keys) if names is not None else None
    node.items = ctypes.addressof(arr)
    return node


# The dtype np.asarray gives a list of each list item type: an array of it stands for such a list (opt/arrayLike.ts).
_LIST_DTYPES = {"float": "float64", "int": "int64", "bool": "bool"}


def _array_as_list(value, spec, what, fname):
    """A NumPy array given for a list parameter: its .tolist() where the function only hands the parameter to NumPy
    functions and len() (they make the same array of either), when it has the dtype and ndim np.asarray gives such a
    list; elsewhere a TypeError (CPython would run the body on the array: \`xs * 2\` doubles it). Other values as given."""
    if type(value).__module__ != "numpy" or not hasattr(value, "ndim"):
        return value
    ndim = 2 if spec[0] == "L" else 1
    want = _LIST_DTYPES.get(spec[1])
    if not (len(spec) > 3 and spec[3]):
        raise TypeError(f"{fname}() was compiled for a list at {what}, and its code does not treat a NumPy array as a list "
                        f"(only NumPy functions and len() do): pass {what}.tolist()")
    if value.dtype.name != want or value.ndim != ndim:
        raise TypeError(f"{fname}() was compiled for a list of {spec[1]} at {what}, and the array given is {value.ndim}-D "
                        f"{value.dtype.name}, not the {ndim}-D {want} np.asarray makes of such a list: pass {what}.tolist()")
    return value.tolist()


def _list_arg(value, item, what):
    """A list parameter as a kiln_list struct over a stdlib array of the ABI's item type."""
    items = value if isinstance(value, list) else list(value)
    if item == "complex":
        # kiln_complex items: re and im, two doubles each (a real item is refused as a complex parameter is).
        parts = [_to_c(v, ("c",), f"{what}[{i}]") for i, v in enumerate(items)]
        buf = _array_mod.array("d", [x for z in parts for x in (z.re, z.im)])
        s = _KilnList()
        s.len = len(parts)
        s.data = buf.buffer_info()[0] if len(buf) else None
        s._keep = buf
        return s
    code = _LIST_CODES[item]
    try:
        buf = _array_mod.array(code, [bool(v) for v in items] if item == "bool" else items)
    except (TypeError, OverflowError, ValueError):
        # The scalar path's checks give the error (and message) a scalar argument would get.
        checked = [_to_c(v, ("s", item), f"{what}[{i}]") for i, v in enumerate(items)]
        buf = _array_mod.array(code, checked)
    s = _KilnList()
    s.len = len(buf)
    s.data = buf.buffer_info()[0] if len(buf) else None
    s._keep = buf
    return s


class _OwnedResult:
    """The library's result buffer as NumPy sees it; kiln_free releases it when the last array using it goes."""

    def __init__(self, ptr, shape, typestr):
        self._ptr = ptr
        self.__array_interface__ = {"version": 3, "shape": shape, "typestr": typestr, "data": (ptr, False), "strides": None}

    def __del__(self):
        ptr, self._ptr = self._ptr, None
        if ptr:
            try:
                _lib.kiln_free(ptr)
            except Exception:
                pass


def _array_result(out, dtype, ndim):
    """A result array: a NumPy array over the library's new C-contiguous buffer (no copy; freed with it)."""
    np = _numpy("an array result")
    shape = tuple(out.shape[k] for k in range(ndim))
    return np.asarray(_OwnedResult(out.data, shape, np.dtype(dtype).str))


def _array_dict_result(out, dtype, ndim, depth):
    """A dict of arrays result (kiln_dict_str_array_<dtype>; depth > 1: dicts of them): each key a str, each array a NumPy
    array over the library's new buffer (as an array result), in the dict's order; the keys and values arrays freed."""
    n = out.len
    try:
        keys = (_KilnText * n).from_address(out.keys) if n else []
        vals = ((_KilnArray if depth == 1 else _KilnArrayDict) * n).from_address(out.values) if n else []
        return {_text_result(keys[i], "S"): _array_result(vals[i], dtype, ndim) if depth == 1 else _array_dict_result(vals[i], dtype, ndim, depth - 1)
                for i in range(n)}
    finally:
        for p in (out.keys, out.values):
            if p:
                _lib.kiln_free(p)


def _list_result(out, item, free=True):
    """A result list: the items copied into a Python list, then the library's buffer freed at once."""
    try:
        n = out.len
        if item == "complex":
            parts = (ctypes.c_double * (2 * n)).from_address(out.data)[:] if n else []
            values = [complex(parts[2 * i], parts[2 * i + 1]) for i in range(n)]
        else:
            values = (_CTYPES[item] * n).from_address(out.data)[:] if n else []
    finally:
        if out.data and free:
            _lib.kiln_free(out.data)
    if item in ("int", "float", "bool", "complex"):
        return values
    return [_from_c(v, ("s", item)) for v in values]


def _array_ctype(spec):
    if spec[0] == "a":
        return _KilnArray
    if spec[0] in ("l", "LR"):
        return _KilnList
    if spec[0] == "L":
        return _KilnNestedList
    if spec[0] == "LS":
        return _KilnStrList
    if spec[0] == "D":
        return _dict_ctype(spec)
    if spec[0] == "DA":
        return _KilnArrayDict
    if spec[0] == "T":
        return _KilnTree
    if spec[0] == "Z":
        return _KilnSet
    if spec[0] == "Q":
        return _KilnDeque
    if spec[0] in _TEXT:
        return _KilnText
    return _ctype(spec)


def _check_list_aliases(values, list_params):
    """TypeError when one list object is passed for two list parameters and the function writes either."""
    seen = {}
    for i, p, written in list_params:
        v = values[i]
        if not isinstance(v, list):
            continue
        if id(v) in seen:
            first, first_written = seen[id(v)]
            if written or first_written:
                raise TypeError(f"kiln: the same list object was passed for parameters '{first}' and '{p}'; "
                                f"compiled functions take distinct lists (pass a copy: list(xs))")
        else:
            seen[id(v)] = (p, written)


def _make_array_function(name, symbol, params, ret, signature, sig):
    """A compiled function whose parameters or result include arrays or lists."""
    cfunc = getattr(_lib, symbol)
    argtypes = []
    for _, s in params:
        if s[0] in _TEXT:
            argtypes += [ctypes.c_char_p, ctypes.c_int64]
        else:
            argtypes.append(ctypes.POINTER(_array_ctype(s)) if s[0] in ("l", "L", "LS", "D", "DA", "T", "Z", "Q") else _array_ctype(s))
    has_out = ret[0] != "n"
    if has_out:
        argtypes.append(ctypes.POINTER(_array_ctype(ret)))
    cfunc.argtypes = argtypes
    cfunc.restype = ctypes.c_int
    # List parameters the function writes: the same list object passed for one of them and another list
    # parameter cannot be honoured (each list parameter is its own copy in compiled code), so it is refused.
    list_params = [(i, p, s[2] if s[0] == "l" else s[1]) for i, (p, s) in enumerate(params) if s[0] in ("l", "LS")]
    check_aliases = len(list_params) > 1 and any(w for _, _, w in list_params)
    # A big-int twin that takes ints of any size beside str parameters (<symbol>_big: each int as its hex() text).
    big = getattr(_lib, symbol + "_big", None)
    big_ints = [i for i, (_, s) in enumerate(params) if s == ("s", "int")]
    if big is not None:
        big.argtypes = [t for _, s in params for t in ((ctypes.c_char_p, ctypes.c_int64) if s[0] in _TEXT else (ctypes.c_char_p if s == ("s", "int") else _ctype(s),))] + argtypes[len(argtypes) - has_out:]
        big.restype = ctypes.c_int

    def run(values):
        made = _Handles()
        try:
            return run_with(values, made)
        finally:
            made.release()

    def run_with(values, made):
        if big is not None and any(type(values[i]) is int and not -0x8000000000000000 <= values[i] <= 0x7FFFFFFFFFFFFFFF for i in big_ints):
            c_args = [a for v, (p, s) in zip(values, params) for a in (_text_arg(v, s[0], p) if s[0] in _TEXT else (hex(v).encode() if s == ("s", "int") else _to_c(v, s, p),))]
            out = _array_ctype(ret)()
            rc = big(*c_args, ctypes.byref(out))
            if rc == _BIG_RESULT and _big_results is not None:
                return int(_lib.kiln_big_result().decode(), 16)
            if rc:
                _raise()
            return _from_c(out, ret, made.known)
        if check_aliases:
            _check_list_aliases(values, list_params)
        c_args = []
        copy_backs = []
        lists = []
        nested = []
        strs = []
        containers = []
        for v, (p, s) in zip(values, params):
            if s[0] == "a":
                arg, back = _array_arg(v, s[1], s[2], p, s[3] if len(s) > 3 else True, name, len(s) > 4 and s[4])
                if back:
                    copy_backs.append(back)
                c_args.append(arg)
            elif s[0] == "l":
                v = _array_as_list(v, s, p, name)
                arg = _list_arg(v, s[1], p)
                lists.append((v, arg, s[1]))
                c_args.append(ctypes.byref(arg))
            elif s[0] == "L":
                v = _array_as_list(v, s, p, name)
                arg, rows_in = _nested_arg(v, s[1], p, s[2] if len(s) > 2 else True)
                nested.append((v, rows_in, arg, s[1]))
                c_args.append(ctypes.byref(arg))
            elif s[0] == "LS":
                arg = _strs_arg(v, p)
                strs.append((v, arg))
                c_args.append(ctypes.byref(arg))
            elif s[0] == "DA":
                arg = _array_dict_arg(v, s[1], s[2], s[3], p, name, s[4], copy_backs)
                c_args.append(ctypes.byref(arg))
            elif s[0] == "T":
                held = []
                arg = _tree_arg(v, s[1], s[2], p, name, held, s[3], copy_backs)
                arg._keep = held
                c_args.append(ctypes.byref(arg))
            elif s[0] in ("D", "Z", "Q"):
                arg = _container_arg(v, s, p)
                containers.append((v, arg, s))
                c_args.append(ctypes.byref(arg))
            elif s[0] in _TEXT:
                c_args += _text_arg(v, s[0], p)
            elif s[0] == "H":
                c_args.append(made.arg(v, s, p))
            else:
                c_args.append(_to_c(v, s, p))
        out = _array_ctype(ret)() if has_out else None
        rc = cfunc(*c_args, ctypes.byref(out)) if has_out else cfunc(*c_args)
        made.write_back()
        for back in copy_backs:
            back()
        # Lists are in-out, as in Python: the caller's list ends as the function left it (also when it raised).
        for v, arg, item in lists:
            if arg.data:
                final = _list_result(arg, item)
                if isinstance(v, list):
                    v[:] = final
        for v, rows_in, arg, item in nested:
            if arg.data:
                _nested_back(v, rows_in, arg, item)
        for v, arg in strs:
            if arg.data:
                final = _strs_result(arg)
                if isinstance(v, list):
                    v[:] = final
        # Dicts, sets and deques are in-out too: the caller's object ends as the function left it (a deque keeps its maxlen).
        for v, arg, s in containers:
            final = _container_result(arg, s)
            if final is not None and isinstance(v, (dict, set)):
                v.clear()
                v.update(final)
            elif final is not None and isinstance(v, _collections.deque):
                v.clear()
                v.extend(final)
        # A big-int twin's result past 64 bits (a function of ints and str parameters).
        if rc == _BIG_RESULT and _big_results is not None:
            return int(_lib.kiln_big_result().decode(), 16)
        if rc:
            _raise()
        if not has_out:
            return None
        if ret[0] == "a":
            return _array_result(out, ret[1], ret[2])
        if ret[0] == "L":
            return _nested_result(out, ret[1])
        return _from_c(out, ret, made.known)

    def call(*args, **kwargs):
        return run(_bind(name, sig, args, kwargs))

    call._run = run
    call.__name__ = name
    call.__qualname__ = name
    call.__module__ = __name__
    call.__doc__ = f"{signature}\n\nNative (Kiln) build of {name} from ${'${MODULE}'}.py."
    return call
`;
