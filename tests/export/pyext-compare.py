"""Calls the same cases on the original module and on an exported Kiln package; prints JSON outcomes.

Usage: python pyext-compare.py ORIGINAL.py PACKAGE_DIR 'CASES' (CASES: a Python literal list of
(function name, args tuple, kwargs dict)). Each outcome is ["ok", repr] or [exception type, str(exception)]; each
side gets its own deep copy of the arguments, and "after" gives repr(args) after each side's call (lists, dicts,
sets and deques are in-out). Sets are shown with their items sorted: their iteration order is no part of their value.
"""
import copy
from collections import deque  # noqa: F401 - deque(...) in the cases
import importlib.util
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "resources", "python"))


def load(path, name, package_dir=None):
    spec = importlib.util.spec_from_file_location(name, path, submodule_search_locations=[package_dir] if package_dir else None)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    return mod


def canonical(x):
    """repr() of a value with every set's items sorted by their repr (a set's iteration order is no part of its value)."""
    if isinstance(x, frozenset):
        return "frozenset(" + ("{" + ", ".join(sorted(canonical(i) for i in x)) + "}" if x else "") + ")"
    if isinstance(x, set):
        return "{" + ", ".join(sorted(canonical(i) for i in x)) + "}" if x else "set()"
    if isinstance(x, tuple):
        return "(" + ", ".join(canonical(i) for i in x) + ("," if len(x) == 1 else "") + ")"
    if isinstance(x, list):
        return "[" + ", ".join(canonical(i) for i in x) + "]"
    if isinstance(x, dict):
        return "{" + ", ".join(f"{canonical(k)}: {canonical(v)}" for k, v in x.items()) + "}"
    return repr(x)


def outcome(f, args, kwargs):
    try:
        return ["ok", canonical(f(*args, **kwargs))]
    except Exception as e:  # noqa: BLE001 - the exception is the outcome
        return [type(e).__name__, str(e)]


def call(f, args, kwargs):
    """The outcome of f on a deep copy of the arguments, and repr() of those arguments after the call."""
    args, kwargs = copy.deepcopy(args), copy.deepcopy(kwargs)
    return outcome(f, args, kwargs), canonical(args)


def case(n, a, k):
    (orig, orig_after), (pkg, pkg_after) = call(getattr(original, n), a, k), call(getattr(package, n), a, k)
    return {"function": n, "args": repr(a), "original": orig, "package": pkg, "after": [orig_after, pkg_after]}


original = load(sys.argv[1], "kiln_test_original")
package = load(os.path.join(sys.argv[2], "__init__.py"), "kiln_test_package", sys.argv[2])
cases = eval(sys.argv[3])  # noqa: S307 - test input written by the test itself
print(json.dumps({
    "backend": package.__kiln_backend__,
    "python": sys.version.split()[0],
    "cases": [case(n, a, k) for n, a, k in cases],
}))
