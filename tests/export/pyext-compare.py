"""Calls the same cases on the original module and on an exported Kiln package; prints JSON outcomes.

Usage: python pyext-compare.py ORIGINAL.py PACKAGE_DIR 'CASES' (CASES: a Python literal list of
(function name, args tuple, kwargs dict)). Each outcome is ["ok", repr] or [exception type, str(exception)].
"""
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


def outcome(f, args, kwargs):
    try:
        return ["ok", repr(f(*args, **kwargs))]
    except Exception as e:  # noqa: BLE001 - the exception is the outcome
        return [type(e).__name__, str(e)]


original = load(sys.argv[1], "kiln_test_original")
package = load(os.path.join(sys.argv[2], "__init__.py"), "kiln_test_package", sys.argv[2])
cases = eval(sys.argv[3])  # noqa: S307 - test input written by the test itself
print(json.dumps({
    "backend": package.__kiln_backend__,
    "python": sys.version.split()[0],
    "cases": [{"function": n, "args": repr(a), "original": outcome(getattr(original, n), a, k), "package": outcome(getattr(package, n), a, k)} for n, a, k in cases],
}))
