"""Kiln's CPython reference runner: imports the user's module and calls one function on each case.

Reads JSON on stdin: {"file": path, "function": name, "cases": [[arg, ...], ...], "timeout": seconds,
"kwonly": [name, ...]} (the last arguments of each case are passed by these keyword names: keyword-only parameters),
and for a module of a project "module": its import path and "paths": the project's source roots (sys.path).
Each value is {"int": "12"} | {"float": "0x<ieee bits>"} | {"bool": b} | {"none": true} |
{"str": text} | {"bytes": hex} | {"np": dtype, "v": ...} | {"tuple": [...]}. Writes one JSON line per case:
{"ok": value} | {"err": [type, message]} | {"timeout": true}, plus "after": [value or null per argument] when an
argument is a list or a NumPy array: its state after the call (also when the call raised), as the caller sees it.
Only verification and benchmarks run this.
"""
import importlib.util
import json
import os
import signal
import struct
import sys
import time


def bits_to_float(s):
    return struct.unpack(">d", bytes.fromhex(s[2:].rjust(16, "0")))[0]


def float_to_bits(x):
    return "0x" + struct.pack(">d", x).hex()


def decode(v):
    if "int" in v:
        return int(v["int"])
    if "float" in v:
        return bits_to_float(v["float"])
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
    if "ndarray" in v:
        return decode_array(v)
    raise ValueError("cannot decode %r" % (v,))


def decode_array(v):
    """{"ndarray": dtype, "shape": [...], "v": [...], "layout": "c" | "reversed" | "strided"}: the same
    values laid out in memory as the native harness lays them out (a reversed or a strided view)."""
    import numpy as np
    dtype = np.dtype(v["ndarray"])
    shape = tuple(v["shape"])
    if dtype.kind == "f":
        items = [bits_to_float(x) for x in v["v"]]
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


def encode(x):
    if isinstance(x, bool):
        return {"bool": x}
    if isinstance(x, int):
        return {"int": str(x)}
    if isinstance(x, float) and type(x) is float:
        return {"float": float_to_bits(x)}
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
    mod = type(x).__module__
    if mod == "numpy" and type(x).__name__ == "ndarray":
        dtype = x.dtype
        if dtype.kind == "f":
            vals = [float_to_bits(float(i)) for i in x.ravel()]
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
    return {"other": repr(x), "type": type(x).__name__}


def in_out(x):
    """A list or a NumPy array: the function may change it, and its caller sees the change."""
    return isinstance(x, list) or (type(x).__module__ == "numpy" and type(x).__name__ == "ndarray")


class CaseTimeout(Exception):
    pass


def on_alarm(signum, frame):
    raise CaseTimeout()


def numpy_2_promotion():
    """Kiln implements NumPy 2's rules for Python scalars (NEP 50: `int8_array + 300` and `a[0] = 300` raise
    OverflowError). NumPy 1.24-1.26 (Debian 12's python3-numpy) can follow them too: ask it to, so that the
    reference is the NumPy Kiln follows."""
    np = sys.modules.get("numpy")
    if np is not None and hasattr(np, "_set_promotion_state") and np.__version__.split(".")[0] == "1":
        np._set_promotion_state("weak")


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


def main():
    req = json.load(sys.stdin)
    path = os.path.abspath(req["file"])
    try:
        module = load_module(req)
    except BaseException as exc:  # report, never crash without a word
        print(json.dumps({"fatal": import_failure(exc, req)}), flush=True)
        return 0
    numpy_2_promotion()
    fn = getattr(module, req["function"], None)
    if fn is None:
        print(json.dumps({"fatal": "found no function %s in %s" % (req["function"], os.path.basename(path))}), flush=True)
        return 0
    timeout = float(req.get("timeout", 10))
    kwonly = req.get("kwonly") or []
    bench = req.get("bench")
    if hasattr(signal, "SIGALRM"):
        signal.signal(signal.SIGALRM, on_alarm)
    for case in req["cases"]:
        args = [decode(a) for a in case]
        npos = len(args) - len(kwonly)
        kwargs = dict(zip(kwonly, args[npos:]))
        if hasattr(signal, "setitimer"):
            signal.setitimer(signal.ITIMER_REAL, timeout)
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
            out = {"err": [type(exc).__name__, str(exc)]}
        finally:
            if hasattr(signal, "setitimer"):
                signal.setitimer(signal.ITIMER_REAL, 0)
        if not bench and "timeout" not in out and any(in_out(a) for a in args):
            out["after"] = [encode(a) if in_out(a) else None for a in args]
        if "numpy" in sys.modules:
            out["numpy"] = sys.modules["numpy"].__version__
        print(json.dumps(out), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
