"""Kiln's Python-side benchmark driver (stdlib only; peers are optional).

Runs as a child process of `kiln bench`: one JSON request per line on stdin, one JSON answer per line on
stdout. It loads one function several ways, all on the same interpreter:
  cpython  the original Python function
  ctypes   the Kiln-compiled shared library called through ctypes, wrapped as a Python package would be
  package  the exported Python package itself (its CPython extension when it loads, else its ctypes functions)
  numba    numba.njit on every function of the module (so recursion resolves to the jitted one)
  pythran  the module (Kiln decorators stripped) compiled by pythran with a `#pythran export` line
  cython   the module (Kiln decorators stripped) compiled by cython3 and the C compiler, annotations only
and times `reps` back-to-back calls in a loop generated for the exact arity (no *args unpacking).
"""
import ast
import ctypes
import gc
import hashlib
import importlib.util
import inspect
import json
import os
import shutil
import subprocess
import sys
import sysconfig
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)  # the `kiln` and `fxn` marker packages

LOADED = {}
LOOPS = {}
ARGS = {}  # args id -> the argument values of one case (arrays decoded once, shared by every variant)
_counter = [0]


def reply(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def import_file(path, name=None):
    _counter[0] += 1
    name = name or "kiln_bench_mod_%d" % _counter[0]
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    d = os.path.dirname(os.path.abspath(path))
    if d not in sys.path:
        sys.path.insert(0, d)
    spec.loader.exec_module(mod)
    return mod


def peer_version(name):
    try:
        if name == "numba":
            import numba
            return numba.__version__
        if name == "pythran":
            import warnings
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                import pythran
            return pythran.__version__
        if name == "cython":
            import Cython
            return Cython.__version__
    except Exception:
        return None
    return None


# ---- source transformation for the ahead-of-time peers ---------------------------------------------

def _is_compile_decorator(d):
    target = d.func if isinstance(d, ast.Call) else d
    if isinstance(target, ast.Name):
        return target.id == "compile"
    if isinstance(target, ast.Attribute):
        return target.attr == "compile" and isinstance(target.value, ast.Name) and target.value.id in ("kiln", "fxn")
    return False


def plain_source(path):
    """The module's source without Kiln's decorators and imports (so other compilers see plain Python)."""
    with open(path, encoding="utf-8") as f:
        tree = ast.parse(f.read(), path)
    body = []
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module in ("kiln", "fxn"):
            continue
        if isinstance(node, ast.Import) and all(a.name in ("kiln", "fxn") for a in node.names):
            continue
        if isinstance(node, ast.FunctionDef):
            node.decorator_list = [d for d in node.decorator_list if not _is_compile_decorator(d)]
        body.append(node)
    tree.body = body
    return ast.unparse(tree) + "\n"


def _cache_dir(kind, text, cache):
    h = hashlib.sha256((text + "\0" + sys.version + "\0" + str(peer_version(kind))).encode()).hexdigest()[:16]
    d = os.path.join(cache, "peers", "%s-%s" % (kind, h))
    os.makedirs(d, exist_ok=True)
    return d, "kb_%s_%s" % (kind, h)


COMPILE_TIMEOUT_S = 240
COMPILE_MEMORY_BYTES = 6 * 2**30


def _limit_child():
    """In the compiler's process: its own process group (so a timeout stops g++ too) and a memory cap."""
    os.setsid()
    try:
        import resource
        resource.setrlimit(resource.RLIMIT_AS, (COMPILE_MEMORY_BYTES, COMPILE_MEMORY_BYTES))
    except Exception:
        pass


def _run(cmd, cwd):
    p = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, preexec_fn=_limit_child)
    try:
        out, _ = p.communicate(timeout=COMPILE_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, 9)
        p.communicate()
        raise RuntimeError("%s took longer than %d s (stopped)" % (os.path.basename(cmd[0]), COMPILE_TIMEOUT_S))
    if p.returncode != 0:
        lines = [l for l in out.splitlines() if l.strip()]
        errs = [l for l in lines if "error" in l.lower()]
        hint = ""
        if any("memory" in l.lower() or "killed" in l.lower() or "compilation error" in l.lower() for l in lines):
            hint = " (the C/C++ compiler is limited to %d GiB of memory and %d s here)" % (COMPILE_MEMORY_BYTES // 2**30, COMPILE_TIMEOUT_S)
        raise RuntimeError("%s failed: %s%s" % (os.path.basename(cmd[0]), (errs or lines or ["exit %d" % p.returncode])[0][:300], hint))
    return out


PYTHRAN_TYPES = {"int": "int", "float": "float", "bool": "bool"}


def _cached_build(d, build):
    """Runs `build` once per cache folder; a failure is remembered (delete the folder to retry)."""
    failed = os.path.join(d, "FAILED")
    if os.path.exists(failed):
        with open(failed, encoding="utf-8") as f:
            raise RuntimeError("%s (cached failure; delete %s to retry)" % (f.read().strip(), d))
    try:
        build()
    except RuntimeError as e:
        with open(failed, "w", encoding="utf-8") as f:
            f.write(str(e))
        raise


def _without_annotations(text):
    """For Pythran: no `numpy.typing` import and no annotations (it types the function from its export line)."""
    tree = ast.parse(text)
    body = []
    for node in tree.body:
        if isinstance(node, ast.Import) and any(a.name == "numpy.typing" for a in node.names):
            continue
        if isinstance(node, ast.FunctionDef):
            node.returns = None
            for a in node.args.args:
                a.annotation = None
        body.append(node)
    tree.body = body
    return ast.unparse(tree) + "\n"


def build_pythran(path, func, params, cache):
    text = plain_source(path)
    if any("[" in p for p in params):  # ndarray parameters (float64[:,:]): typed by the export line alone
        text = _without_annotations(text)
    export = "#pythran export %s(%s)\n" % (func, ", ".join(PYTHRAN_TYPES.get(p, p) for p in params))
    text = export + text
    d, name = _cache_dir("pythran", text, cache)
    so = os.path.join(d, name + sysconfig.get_config_var("EXT_SUFFIX"))
    def build():
        src = os.path.join(d, name + ".py")
        with open(src, "w", encoding="utf-8") as f:
            f.write(text)
        exe = shutil.which("pythran") or shutil.which("pythran3")
        cmd = [exe] if exe else [sys.executable, "-m", "pythran.run"]
        _run(cmd + ["-O2", "-o", so + ".tmp.so", src], d)
        os.replace(so + ".tmp.so", so)
    if not os.path.exists(so):
        _cached_build(d, build)
    return getattr(import_file(so, name), func)


def build_cython(path, func, cache):
    text = plain_source(path)
    d, name = _cache_dir("cython", text, cache)
    so = os.path.join(d, name + sysconfig.get_config_var("EXT_SUFFIX"))
    def build():
        include = sysconfig.get_paths()["include"]
        if not os.path.exists(os.path.join(include, "Python.h")):
            raise RuntimeError("Python.h not found in %s (install python3-dev)" % include)
        src = os.path.join(d, name + ".py")
        with open(src, "w", encoding="utf-8") as f:
            f.write(text)
        exe = shutil.which("cython3") or shutil.which("cython")
        cmd = [exe] if exe else [sys.executable, "-m", "cython"]
        _run(cmd + ["-3", src, "-o", os.path.join(d, name + ".c")], d)
        cc = os.environ.get("CC") or shutil.which("cc") or shutil.which("gcc")
        if not cc:
            raise RuntimeError("no C compiler (cc) on PATH for Cython's output")
        _run([cc, "-O2", "-shared", "-fPIC", "-I", include, os.path.join(d, name + ".c"), "-o", so + ".tmp.so", "-lm"], d)
        os.replace(so + ".tmp.so", so)
    if not os.path.exists(so):
        _cached_build(d, build)
    return getattr(import_file(so, name), func)


def load_numba(path, func):
    import numba
    mod = import_file(path)
    for name, obj in list(vars(mod).items()):
        if inspect.isfunction(obj) and obj.__module__ == mod.__name__:
            setattr(mod, name, numba.njit(obj))
    return getattr(mod, func)


CTYPES = {
    "int": ctypes.c_int64, "int64": ctypes.c_int64, "int32": ctypes.c_int32, "int16": ctypes.c_int16, "int8": ctypes.c_int8,
    "uint64": ctypes.c_uint64, "uint32": ctypes.c_uint32, "uint16": ctypes.c_uint16, "uint8": ctypes.c_uint8,
    "float": ctypes.c_double, "float64": ctypes.c_double, "float32": ctypes.c_float, "bool": ctypes.c_bool,
}
_libs = {}


class NativeError(Exception):
    pass


def load_ctypes(lib_path, symbol, params, returns):
    """The wrapper a generated Python package would contain: typed argtypes, a preallocated out value,
    the return code checked on every call."""
    lib = _libs.get(lib_path)
    if lib is None:
        lib = _libs[lib_path] = ctypes.CDLL(lib_path)
        lib.kiln_error_type.restype = ctypes.c_char_p
        lib.kiln_error_message.restype = ctypes.c_char_p
    fn = getattr(lib, symbol)
    fn.argtypes = [CTYPES[p] for p in params] + ([ctypes.POINTER(CTYPES[returns])] if returns else [])
    fn.restype = ctypes.c_int

    def fail():
        raise NativeError("%s: %s" % (lib.kiln_error_type().decode(), lib.kiln_error_message().decode()))

    names = ["a%d" % i for i in range(len(params))]
    env = {"fn": fn, "fail": fail, "ctypes": ctypes}
    if returns:
        env["out"] = CTYPES[returns]()
        env["ref"] = ctypes.byref(env["out"])
        code = "def call(%s):\n    if fn(%s):\n        fail()\n    return out.value\n" % (", ".join(names), ", ".join(names + ["ref"]))
    else:
        code = "def call(%s):\n    if fn(%s):\n        fail()\n" % (", ".join(names), ", ".join(names))
    exec(code, env)
    return env["call"]


def load_package(pkg_dir, func):
    """The exported Python package itself (what a Python user imports): its CPython extension when it
    loads here, else its ctypes functions. Imported under a private name, so it never shadows the user's module."""
    _counter[0] += 1
    name = "kiln_bench_pkg_%d" % _counter[0]
    spec = importlib.util.spec_from_file_location(name, os.path.join(pkg_dir, "__init__.py"), submodule_search_locations=[pkg_dir])
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    backend = getattr(mod, "__kiln_backend__", {}).get(func, "ctypes")
    return getattr(mod, func), backend


def lit(a):
    """A Python literal, or float('inf') / float('-inf') / float('nan')."""
    if a.startswith("float('") and a.endswith("')"):
        return float(a[7:-2])
    return ast.literal_eval(a)


def make_loop(f, args):
    """A timing loop for exactly these arguments: arguments bound as locals, no *args unpacking."""
    names = ["a%d" % i for i in range(len(args))]
    env = {"perf_counter_ns": time.perf_counter_ns}
    defaults = "".join(", %s=%s" % (n, n) for n in names)
    code = (
        "def make(f, %s):\n"
        "    def loop(reps, f=f%s):\n"
        "        t0 = perf_counter_ns()\n"
        "        for _ in range(reps):\n"
        "            f(%s)\n"
        "        return perf_counter_ns() - t0\n"
        "    return loop\n"
    ) % (", ".join(names) or "_unused=None", defaults, ", ".join(names))
    exec(code, env)
    return env["make"](f, *args)


def decode_arg(a):
    """A literal (str), or an array as {"ndarray": dtype, "shape": [...], "v": [bits...]} (kiln_reference's format)."""
    if isinstance(a, str):
        return lit(a)
    from kiln_reference import decode
    return decode(a)


def encode_result(x):
    """The result's exact value for the comparison with CPython (None when it cannot be encoded)."""
    try:
        from kiln_reference import encode
        return encode(x)
    except Exception:
        return None


def case_args(req):
    if "args_id" in req:
        return ARGS[req["args_id"]]
    return [lit(a) for a in req["args"]]


def handle(req):
    op = req["op"]
    if op == "args":
        ARGS[req["id"]] = [decode_arg(a) for a in req["args"]]
        return {"ok": True}
    if op == "probe":
        return {"ok": True, "python": sys.version.split()[0], "implementation": sys.implementation.name, "executable": sys.executable,
                "peers": {k: peer_version(k) for k in ("numba", "pythran", "cython")}}
    if op == "load":
        kind = req["kind"]
        if kind in ("numba", "pythran", "cython") and peer_version(kind) is None:
            return {"ok": False, "status": "not-installed", "error": "%s is not installed for %s" % (kind, sys.executable)}
        if kind == "cpython" and req.get("module"):
            # A module of a project: imported by its import path from the project's source roots, as its code is.
            sys.path[:0] = [p for p in req.get("paths") or [] if p not in sys.path]
            f = getattr(importlib.import_module(req["module"]), req["func"])
        elif kind == "cpython":
            f = getattr(import_file(req["file"]), req["func"])
        elif kind == "numba":
            f = load_numba(req["file"], req["func"])
        elif kind == "pythran":
            f = build_pythran(req["file"], req["func"], req["params"], req["cache"])
        elif kind == "cython":
            f = build_cython(req["file"], req["func"], req["cache"])
        elif kind == "ctypes":
            f = load_ctypes(req["lib"], req["symbol"], req["params"], req.get("returns"))
        elif kind == "package":
            f, backend = load_package(req["package"], req["func"])
            LOADED[req["key"]] = f
            return {"ok": True, "version": "%s, Python %s" % ("C extension" if backend == "extension" else "ctypes", sys.version.split()[0]), "backend": backend}
        else:
            return {"ok": False, "status": "failed", "error": "unknown kind %r" % kind}
        LOADED[req["key"]] = f
        return {"ok": True, "version": peer_version(kind) if kind in ("numba", "pythran", "cython") else sys.version.split()[0]}
    if op == "call":
        r = LOADED[req["key"]](*case_args(req))
        return {"ok": True, "repr": repr(r), "value": encode_result(r)}
    if op == "bench":
        k = (req["key"], req["args_id"] if "args_id" in req else tuple(req["args"]))
        loop = LOOPS.get(k)
        if loop is None:
            loop = LOOPS[k] = make_loop(LOADED[req["key"]], case_args(req))
        gc_was = gc.isenabled()
        gc.disable()
        try:
            ns = loop(int(req["reps"]))
        finally:
            if gc_was:
                gc.enable()
        return {"ok": True, "ns": ns}
    return {"ok": False, "status": "failed", "error": "unknown op %r" % op}


def main():
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        try:
            req = json.loads(line)
            reply(handle(req))
        except BaseException as e:  # noqa: BLE001 - every failure is an answer, never a dead driver
            if isinstance(e, KeyboardInterrupt):
                raise
            msg = "%s: %s" % (type(e).__name__, e)
            reply({"ok": False, "status": "failed", "error": msg.strip().splitlines()[0][:500] if msg.strip() else type(e).__name__,
                   "exception": type(e).__name__, "trace": traceback.format_exc()[-2000:]})


if __name__ == "__main__":
    main()
