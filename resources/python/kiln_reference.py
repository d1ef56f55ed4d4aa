"""Kiln's CPython reference runner: imports the user's module and calls one function on each case.

Reads JSON on stdin: {"file": path, "function": name, "cases": [[arg, ...], ...], "timeout": seconds,
"kwonly": [name, ...]} (the last arguments of each case are passed by these keyword names: keyword-only parameters),
and for a module of a project "module": its import path and "paths": the project's source roots (sys.path).
Each value is {"int": "12"} | {"float": "0x<ieee bits>"} | {"complex": ["0x<re bits>", "0x<im bits>"]} | {"bool": b} | {"none": true} |
{"str": text} | {"bytes": hex} | {"np": dtype, "v": ...} | {"tuple": [...]} | {"dict": [[key, value], ...]} |
{"set": [...]} | {"frozenset": [...]} (an argument) | {"deque": [...], "maxlen": n or null} | {"object": class name, "module": its module, "fields": [[name, value], ...]}
(an instance of a compiled class: made by object.__new__ and its attributes, as kiln_<Class>_new makes one; __init__
does not run). Writes one JSON line per case:
{"ok": value} | {"err": [type, message]} | {"timeout": true}, plus "after": [value or null per argument] when an
argument is a list, a dict, a set, a deque or a NumPy array: its state after the call (also when the call raised), as the
caller sees it.
With "limits": true, each line also has "limits": the bit mask of Kiln's documented limits an instrumented
copy of the call reached (see kiln_limits.py).
A batch request names several functions of the module instead: {"file": path, "calls": [{"function": name,
"cases": [...], "timeout": seconds (optional, this call's own)}, ...], "timeout": seconds}; the output is each call's lines in turn (the fuzzer runs a module
of many programs with one interpreter). Only verification, benchmarks and the fuzzer run this.
"""
import collections
import enum
import importlib.util
import json
import os
import signal
import struct
import sys
import time
import types
import warnings


def bits_to_float(s):
    return struct.unpack(">d", bytes.fromhex(s[2:].rjust(16, "0")))[0]


def float_to_bits(x):
    return "0x" + struct.pack(">d", x).hex()


def decode(v):
    if "int" in v:
        return int(v["int"], 0)
    if "float" in v:
        return bits_to_float(v["float"])
    if "complex" in v:
        z = complex(bits_to_float(v["complex"][0]), bits_to_float(v["complex"][1]))
        if v.get("np") == "complex128":  # NumPy's scalar (an np.complex128 parameter)
            import numpy as np
            return np.complex128(z)
        return z
    if "bool" in v:
        return bool(v["bool"])
    if "none" in v:
        return None
    if "str" in v:
        return v["str"]
    if "bytes" in v:
        return bytes.fromhex(v["bytes"])
    if "np" in v:
        import numpy as np
        t = getattr(np, v["np"])
        return t(bits_to_float(v["v"])) if v["v"].startswith("0x") else t(int(v["v"]))
    if "tuple" in v:
        return tuple(decode(x) for x in v["tuple"])
    if "list" in v:
        return [decode(x) for x in v["list"]]
    if "dict" in v:
        return {decode(k): decode(x) for k, x in v["dict"]}
    if "set" in v:
        return {decode(x) for x in v["set"]}
    if "frozenset" in v:
        return frozenset(decode(x) for x in v["frozenset"])
    if "deque" in v:
        return collections.deque([decode(x) for x in v["deque"]], v["maxlen"])
    if "ndarray" in v:
        return decode_array(v)
    if "object" in v:
        return decode_object(v)
    if "new" in v:
        # A class call of an example (`Vec(1.0, y=2.0)`): the class of the module, called as the example says.
        return getattr(MODULE, v["new"])(*[decode(a) for a in v["args"]], **{k: decode(x) for k, x in v["kwargs"]})
    raise ValueError("cannot decode %r" % (v,))


def decode_array(v):
    """{"ndarray": dtype, "shape": [...], "v": [...], "layout": "c" | "reversed" | "strided"}: the same
    values laid out in memory as the native harness lays them out (a reversed or a strided view)."""
    import numpy as np
    dtype = np.dtype(v["ndarray"])
    shape = tuple(v["shape"])
    if dtype.kind == "f":
        items = [bits_to_float(x) for x in v["v"]]
    elif dtype.kind == "c":  # complex128: the real and imaginary parts of each item in turn
        parts = [bits_to_float(x) for x in v["v"]]
        items = [complex(parts[i], parts[i + 1]) for i in range(0, len(parts), 2)]
    elif dtype.kind == "b":
        items = [bool(x) for x in v["v"]]
    else:
        items = [int(x) for x in v["v"]]
    arr = np.array(items, dtype=dtype).reshape(shape)
    layout = v.get("layout", "c")
    if layout == "reversed" and arr.ndim:
        flip = (slice(None, None, -1),) * arr.ndim
        arr = np.ascontiguousarray(arr[flip])[flip]
    elif layout == "strided" and arr.ndim:
        big = np.zeros(shape[:-1] + (2 * shape[-1],), dtype=dtype)
        big[..., ::2] = arr
        arr = big[..., ::2]
    return arr


# The module under test (main sets it): where an instance's class is found when its own module is not imported by name.
MODULE = None
# Nested instances written at most (values.ts OBJECT_DEPTH): deeper, and around a cycle, "..." stands for the rest.
OBJECT_DEPTH = 100


def decode_object(v):
    mod = sys.modules.get(v.get("module") or "")
    cls = getattr(mod, v["object"], None) or getattr(MODULE, v["object"])
    obj = cls.__new__(cls)
    for name, x in v["fields"]:
        object.__setattr__(obj, name, decode(x))  # a frozen dataclass's fields too, as its __init__ sets them
    return obj


# At most this many items of a generator a function returns are compared (harness.ts GENERATOR_ITEMS).
GENERATOR_ITEMS = 1000


def is_instance(x):
    """An instance of a class of the user's code (its attributes in __dict__), not a function, class or module."""
    return isinstance(getattr(x, "__dict__", None), dict) and not isinstance(
        x, (type, types.ModuleType, types.FunctionType, types.BuiltinFunctionType, types.MethodType, enum.Enum, BaseException))


def encode_instance(x, depth=0):
    if depth >= OBJECT_DEPTH:
        return {"other": "...", "type": "deep"}
    fields = [[k, encode_instance(a, depth + 1) if is_instance(a) else encode(a)] for k, a in vars(x).items()]
    return {"object": type(x).__name__, "module": type(x).__module__, "fields": fields}


def encode(x):
    if isinstance(x, bool):
        return {"bool": x}
    if isinstance(x, int):
        # Past str()'s 4300-digit limit (sys.get_int_max_str_digits): hex(), which has none. An int at Kiln's bound
        # on one result (KR_INT_BOUND_BITS, 2**24 bits: hundreds of MB of text) is reported, not sent.
        if x.bit_length() >= 1 << 24:
            raise MemoryError(f"an int of {x.bit_length()} bits, past Kiln's bound on one result")
        return {"int": str(x) if x.bit_length() < 14000 else hex(x)}
    if isinstance(x, float) and type(x) is float:
        return {"float": float_to_bits(x)}
    if type(x) is complex:
        return {"complex": [float_to_bits(x.real), float_to_bits(x.imag)]}
    if x is None:
        return {"none": True}
    if type(x) is str:
        return {"str": x}
    if type(x) is bytes:
        return {"bytes": x.hex()}
    if isinstance(x, tuple):
        return {"tuple": [encode(i) for i in x]}
    if isinstance(x, list):
        return {"list": [encode(i) for i in x]}
    # A dict (a Counter, defaultdict or OrderedDict too: what crosses is its items, in order); a set or frozenset.
    if isinstance(x, dict):
        return {"dict": [[encode(k), encode(v)] for k, v in x.items()]}
    if isinstance(x, (set, frozenset)):
        return {"set": [encode(i) for i in x]}
    if isinstance(x, collections.deque):
        return {"deque": [encode(i) for i in x], "maxlen": x.maxlen}
    mod = type(x).__module__
    if mod == "numpy" and type(x).__name__ == "ndarray":
        dtype = x.dtype
        if dtype.kind == "f":
            vals = [float_to_bits(float(i)) for i in x.ravel()]
        elif dtype.name == "complex128":  # the real and imaginary parts of each item in turn
            vals = [float_to_bits(p) for i in x.ravel() for p in (float(i.real), float(i.imag))]
        elif dtype.kind == "b":
            vals = [bool(i) for i in x.ravel()]
        elif dtype.kind in "iu":
            vals = [str(int(i)) for i in x.ravel()]
        else:
            return {"other": repr(x), "type": "ndarray"}
        return {"ndarray": dtype.name, "shape": list(x.shape), "v": vals}
    if mod == "numpy":
        import numpy as np
        name = type(x).__name__
        if name == "bool_" or name == "bool":
            return {"bool": bool(x)}
        if np.issubdtype(type(x), np.floating):
            return {"np": name, "v": float_to_bits(float(x))}
        if np.issubdtype(type(x), np.integer):
            return {"np": name, "v": str(int(x))}
        if name == "complex128":
            return {"complex": [float_to_bits(float(x.real)), float_to_bits(float(x.imag))], "np": name}
    if is_instance(x):
        return encode_instance(x)
    if isinstance(x, types.GeneratorType):
        # A generator a function returns: its items, read now (harness.ts generatorCodec writes the native one so).
        fields = []
        for i, v in enumerate(x):
            if i == GENERATOR_ITEMS:
                fields.append(["more", {"bool": True}])
                break
            fields.append([str(i), encode_instance(v, 1) if is_instance(v) else encode(v)])
        return {"object": "generator", "module": "builtins", "fields": fields}
    return {"other": repr(x), "type": type(x).__name__}


def in_out(x):
    """A list, a dict, a set, a deque, an instance or a NumPy array: the function may change it, and its caller sees the change."""
    return isinstance(x, (list, dict, set, collections.deque)) or is_instance(x) or (type(x).__module__ == "numpy" and type(x).__name__ == "ndarray")


class CaseTimeout(Exception):
    pass


def on_alarm(signum, frame):
    raise CaseTimeout()


OUT_OF_BOUND_EMPTY = "Out of bound index found"


def numpy_2_promotion():
    """Kiln implements NumPy 2's rules for Python scalars (NEP 50: `int8_array + 300` and `a[0] = 300` raise
    OverflowError). NumPy 1.24-1.26 (Debian 12's python3-numpy) can follow them too: ask it to, so that the
    reference is the NumPy Kiln follows. Likewise an out-of-bounds index array whose result is empty (`wte[ids]` of a
    (2, 0) wte): NumPy 2 raises IndexError, NumPy 1.x only warns (DeprecationWarning) and goes on (to a broadcast
    ValueError, say); the warning as an error carries NumPy 2's IndexError as its context (numpy_2_error)."""
    np = sys.modules.get("numpy")
    if np is not None and np.__version__.split(".")[0] == "1":
        if hasattr(np, "_set_promotion_state"):
            np._set_promotion_state("weak")
        warnings.filterwarnings("error", message=OUT_OF_BOUND_EMPTY, category=DeprecationWarning)


def numpy_2_error(exc):
    """The exception NumPy 2 raises where NumPy 1.x's deprecation of an out-of-bounds index (numpy_2_promotion) did."""
    if isinstance(exc, DeprecationWarning) and str(exc).startswith(OUT_OF_BOUND_EMPTY) and isinstance(exc.__context__, IndexError):
        return exc.__context__
    return exc


def stable_argsort(path):
    """Kiln compiles argsort (np.argsort and a.argsort()) of every kind as the stable sort: NumPy's default kind
    orders the indices of equal items by a CPU-specific algorithm (AVX-512/AVX2 sorting networks, an introsort
    elsewhere), so no one order is NumPy's. For a file that calls argsort, ndarray.argsort here (which np.argsort
    calls too) runs NumPy's own sort, checks that its indices are a valid argsort (they pick the same values as the
    stable ones), and returns the stable ones: the result is exactly NumPy's wherever no two items are equal, and a
    valid NumPy argsort where some are. ndarray is a C type whose attributes cannot be set: the method goes into
    its type dict (gc.get_referents of the mappingproxy) and PyType_Modified drops CPython's method caches."""
    try:
        with open(path, encoding="utf-8") as f:
            if "argsort" not in f.read():
                return
        import numpy as np
    except Exception:
        return
    if getattr(np.ndarray.argsort, "__kiln_stable__", False):
        return
    numpy_argsort = np.ndarray.argsort

    def argsort(self, axis=-1, kind=None, order=None, **kw):
        # NumPy 2's np.argsort passes stable=None on: only stable=True (or another keyword) asks for something else.
        if kind in ("stable", "mergesort") or order is not None or kw.get("stable") or set(kw) - {"stable"}:
            return numpy_argsort(self, axis=axis, kind=kind, order=order, **kw)
        own = numpy_argsort(self, axis=axis, kind=kind)
        stable = numpy_argsort(self, axis=axis, kind="stable")
        x, ax = (self.ravel(), -1) if axis is None else (self, axis)
        if not np.array_equal(np.take_along_axis(x, own, ax), np.take_along_axis(x, stable, ax), equal_nan=x.dtype.kind in "fc"):
            raise AssertionError("argsort(kind=%r) is not a valid argsort here" % (kind,))
        return stable

    argsort.__kiln_stable__ = True
    argsort.__doc__ = numpy_argsort.__doc__
    import ctypes
    import gc
    gc.get_referents(np.ndarray.__dict__)[0]["argsort"] = argsort
    ctypes.pythonapi.PyType_Modified(ctypes.py_object(np.ndarray))


def load_module(req):
    """The original module: `module` by its import path with sys.path = the project's source roots `paths` (as
    the project's code imports it), or the file itself, its folder first on sys.path (as `python FILE` runs it)."""
    path = os.path.abspath(req["file"])
    if req.get("module"):
        sys.path[:0] = [os.path.abspath(p) for p in req.get("paths") or []]
        return importlib.import_module(req["module"])
    sys.path.insert(0, os.path.dirname(path))
    name = os.path.splitext(os.path.basename(path))[0]
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def import_failure(exc, req):
    """Where an import failed: the innermost frame in one of the project's files (or the module's own)."""
    path = os.path.abspath(req["file"])
    roots = [os.path.abspath(p) for p in req.get("paths") or [os.path.dirname(path)]]
    tb, where = exc.__traceback__, None
    while tb is not None:
        f = tb.tb_frame.f_code.co_filename
        if f == path or any(f.startswith(r + os.sep) for r in roots):
            where = (f, tb.tb_lineno)
        tb = tb.tb_next
    if where is None and isinstance(exc, SyntaxError) and exc.filename:
        where = (exc.filename, exc.lineno or 0)
    shown = os.path.basename(path)
    at = ""
    if where:
        at = " (line %d)" % where[1] if where[0] == path else " (%s:%d)" % (os.path.relpath(where[0], roots[0]), where[1])
    return "could not import %s%s: %s: %s" % (shown, at, type(exc).__name__, exc)


RANDOM_SEED = None


def exception_text(exc):
    """str(exc), or what CPython's traceback prints when the exception's __str__ raises."""
    try:
        return str(exc)
    except Exception:
        return "<exception str() failed>"


def reseed_random():
    """Compiled code's module-level random generator is its own: the native side seeds it before each call
    (src-compiler/lower/random.ts) with the seed the request gives, and so does this side, so that a function
    drawing without seeding is compared on the same stream. Only when the user's code imported random."""
    if RANDOM_SEED is not None and "random" in sys.modules:
        sys.modules["random"].seed(RANDOM_SEED)


def run_cases(module, base, name, cases, timeout, bench, checked=None, kwonly=()):
    """Calls module.name on each case; one JSON line per case. `checked`: the instrumented copy's namespace;
    `kwonly`: the names of the last arguments of each case, passed by keyword (keyword-only parameters)."""
    fn = getattr(module, name, None)
    if fn is None:
        for _ in cases:
            print(json.dumps({"fatal": "found no function %s in %s" % (name, base)}), flush=True)
        return
    for case in cases:
        args = [decode(a) for a in case]
        npos = len(args) - len(kwonly)
        kwargs = dict(zip(kwonly, args[npos:]))
        if hasattr(signal, "setitimer"):
            signal.setitimer(signal.ITIMER_REAL, timeout)
        reseed_random()
        try:
            if bench:
                reps = int(bench)
                t0 = time.perf_counter_ns()
                for _ in range(reps):
                    fn(*args[:npos], **kwargs)
                out = {"bench_ns": time.perf_counter_ns() - t0}
            else:
                out = {"ok": encode(fn(*args[:npos], **kwargs))}
        except CaseTimeout:
            out = {"timeout": True}
        except RecursionError as exc:
            out = {"err": ["RecursionError", str(exc)]}
        except Exception as exc:
            exc = numpy_2_error(exc)
            out = {"err": [type(exc).__name__, exception_text(exc)]}
            if vars(exc) and type(exc).__module__ not in ("builtins",):
                # An exception class of the user's code with fields: they are compared too (verify.ts).
                out["err"].append({"object": type(exc).__name__, "module": type(exc).__module__, "fields": [
                    [k, encode_instance(a, 1) if is_instance(a) else encode(a)] for k, a in vars(exc).items()]})
        finally:
            if hasattr(signal, "setitimer"):
                signal.setitimer(signal.ITIMER_REAL, 0)
        if not bench and "timeout" not in out and any(in_out(a) for a in args):
            out["after"] = [encode(a) if in_out(a) else None for a in args]
        if checked is not None and name in checked and "timeout" not in out:
            import kiln_limits
            if hasattr(signal, "setitimer"):
                signal.setitimer(signal.ITIMER_REAL, timeout)
            try:
                again = [decode(a) for a in case]
                reseed_random()
                out["limits"] = kiln_limits.call_with_limits(checked[name], again[:npos], dict(zip(kwonly, again[npos:])))
            finally:
                if hasattr(signal, "setitimer"):
                    signal.setitimer(signal.ITIMER_REAL, 0)
        if "numpy" in sys.modules:
            out["numpy"] = sys.modules["numpy"].__version__
        print(json.dumps(out), flush=True)


def main():
    req = json.load(sys.stdin)
    path = os.path.abspath(req["file"])
    base = os.path.basename(path)
    stable_argsort(path)
    try:
        module = load_module(req)
    except BaseException as exc:  # report, never crash without a word
        print(json.dumps({"fatal": import_failure(exc, req)}), flush=True)
        return 0
    numpy_2_promotion()
    global RANDOM_SEED, MODULE
    MODULE = module
    RANDOM_SEED = req.get("random_seed")
    checked = None
    if req.get("limits"):
        import kiln_limits
        with open(path, encoding="utf-8") as f:
            code = kiln_limits.instrument(f.read(), path)
        checked = kiln_limits.namespace(module.__name__ + "__kiln_limits")
        if getattr(module, "__package__", None):
            checked["__package__"] = module.__package__  # a project module's relative imports
        try:
            # The project's modules it imports are instrumented copies too (a helper of another module counts).
            roots = req.get("paths") if req.get("module") else [os.path.dirname(path)]
            kiln_limits.exec_instrumented(code, checked, roots or [])
        except Exception:  # the copy cannot run on its own: no limits reported, the calls are compared as before
            checked = None
    timeout = float(req.get("timeout", 10))
    if hasattr(signal, "SIGALRM"):
        signal.signal(signal.SIGALRM, on_alarm)
    if "construct" in req:
        # The instances of examples (run/inputs.ts resolveExampleInstances): each built, then written as a result is.
        for v in req["construct"]:
            try:
                print(json.dumps({"ok": encode(decode(v))}), flush=True)
            except Exception as e:
                print(json.dumps({"err": [type(e).__name__, str(e)]}), flush=True)
        return 0
    calls = req["calls"] if "calls" in req else [{"function": req["function"], "cases": req["cases"], "kwonly": req.get("kwonly")}]
    for call in calls:
        run_cases(module, base, call["function"], call["cases"], float(call.get("timeout", timeout)), req.get("bench"), checked, call.get("kwonly") or [])
    return 0


if __name__ == "__main__":
    sys.exit(main())
