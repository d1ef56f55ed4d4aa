"""Kiln's CPython reference runner: imports the user's module and calls one function on each case.

Reads JSON on stdin: {"file": path, "function": name, "cases": [[arg, ...], ...], "timeout": seconds}
Each value is {"int": "12"} | {"float": "0x<ieee bits>"} | {"bool": b} | {"none": true} |
{"np": dtype, "v": ...} | {"tuple": [...]}. Writes one JSON line per case:
{"ok": value} | {"err": [type, message]} | {"timeout": true}. Only verification and benchmarks run this.
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
    if "np" in v:
        import numpy as np
        t = getattr(np, v["np"])
        return t(bits_to_float(v["v"])) if v["v"].startswith("0x") else t(int(v["v"]))
    if "tuple" in v:
        return tuple(decode(x) for x in v["tuple"])
    raise ValueError("cannot decode %r" % (v,))


def encode(x):
    if isinstance(x, bool):
        return {"bool": x}
    if isinstance(x, int):
        return {"int": str(x)}
    if isinstance(x, float) and type(x) is float:
        return {"float": float_to_bits(x)}
    if x is None:
        return {"none": True}
    if isinstance(x, tuple):
        return {"tuple": [encode(i) for i in x]}
    mod = type(x).__module__
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


class CaseTimeout(Exception):
    pass


def on_alarm(signum, frame):
    raise CaseTimeout()


def main():
    req = json.load(sys.stdin)
    path = os.path.abspath(req["file"])
    sys.path.insert(0, os.path.dirname(path))
    name = os.path.splitext(os.path.basename(path))[0]
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
        fn = getattr(module, req["function"])
    except BaseException as exc:  # report, never crash without a word
        print(json.dumps({"fatal": "%s: %s" % (type(exc).__name__, exc)}), flush=True)
        return 0
    timeout = float(req.get("timeout", 10))
    bench = req.get("bench")
    if hasattr(signal, "SIGALRM"):
        signal.signal(signal.SIGALRM, on_alarm)
    for case in req["cases"]:
        args = [decode(a) for a in case]
        if hasattr(signal, "setitimer"):
            signal.setitimer(signal.ITIMER_REAL, timeout)
        try:
            if bench:
                reps = int(bench)
                t0 = time.perf_counter_ns()
                for _ in range(reps):
                    fn(*args)
                out = {"bench_ns": time.perf_counter_ns() - t0}
            else:
                out = {"ok": encode(fn(*args))}
        except CaseTimeout:
            out = {"timeout": True}
        except RecursionError as exc:
            out = {"err": ["RecursionError", str(exc)]}
        except Exception as exc:
            out = {"err": [type(exc).__name__, str(exc)]}
        finally:
            if hasattr(signal, "setitimer"):
                signal.setitimer(signal.ITIMER_REAL, 0)
        print(json.dumps(out), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
