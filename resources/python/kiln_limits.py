"""Which of Kiln's documented limits a CPython call reaches, so that a native OverflowError or ValueError is
called a documented limit only where the limit really applies.

Kiln's ints are 64-bit: where Python's int leaves the 64-bit range, native code raises OverflowError. A
power whose type depends on its values (an int to a negative int power gives a float, a negative float to
a fractional power a complex number) raises ValueError natively. `instrument(source, path)` compiles a copy
of a module in which every value that may be such an int or such a power passes through `_k` (and every
`**` through `_kpow`), which note what they see and return the value unchanged: the copy computes exactly
what the module computes. `call_with_limits(fn, args)` runs a function of the copy and returns a bit mask:
  1  an int left the 64-bit range
  2  an int was raised to a negative int power
  4  a value was a complex number
"""
import ast
import importlib.abc
import importlib.machinery
import math
import os
import sys

INT64_MIN = -(2 ** 63)
INT64_MAX = 2 ** 63 - 1
_events = [0]
# Module-level names whose computation at import reached a limit: Kiln computes a module constant where it is
# read, so reading one reaches the same limits (K2 = 7 | K1 // 3 with K1 = 2 ** 63 + 6: an int past 64 bits).
_taint = {}


def _k(v):
    t = type(v)
    if t is int:
        if v < INT64_MIN or v > INT64_MAX:
            _events[0] |= 1
    elif t is tuple:
        for x in v:
            _k(x)
    elif t is complex:
        _events[0] |= 4
    return v


def _kpow(a, b, *mod):
    if not mod:
        _kneg(a, b)
    return _k(pow(a, b, *mod))


def _kneg(a, b):
    """Before a power: an int to a negative int power, or a negative number to a fractional power (a complex
    number, which CPython may fail to build: OverflowError: complex exponentiation)."""
    ta, tb = type(a), type(b)
    if ta in (int, bool) and tb in (int, bool) and b < 0:
        _events[0] |= 2
    elif ta in (int, bool, float) and tb is float and a < 0 and math.isfinite(b) and b != math.floor(b):
        _events[0] |= 4


def _kread(name, v):
    _events[0] |= _taint.get(name, 0)
    return _k(v)


def _kconst_start():
    _events[0] = 0


def _kconst_end(*names):
    for name in names:
        _taint[name] = _events[0]


def _kcall(name):
    return ast.Name(id=name, ctx=ast.Load())


class _Instrument(ast.NodeTransformer):
    """Wraps operations whose value may be a big int or a complex number; statements stay as they are."""

    def __init__(self):
        self.temps = 0

    def _wrap(self, node):
        return ast.copy_location(ast.Call(func=_kcall("_k"), args=[node], keywords=[]), node)

    def visit_Name(self, node):
        # A module constant is computed where it is read in Kiln (2 ** 64 raises there): check every name read.
        if not isinstance(node.ctx, ast.Load):
            return node
        return ast.copy_location(ast.Call(func=_kcall("_kread"), args=[ast.Constant(node.id), node], keywords=[]), node)

    def visit_BinOp(self, node):
        self.generic_visit(node)
        if isinstance(node.op, ast.Pow):
            return ast.copy_location(ast.Call(func=_kcall("_kpow"), args=[node.left, node.right], keywords=[]), node)
        return self._wrap(node)

    def visit_UnaryOp(self, node):
        self.generic_visit(node)
        return node if isinstance(node.op, ast.Not) else self._wrap(node)

    def visit_Call(self, node):
        is_pow = isinstance(node.func, ast.Name) and node.func.id == "pow" and len(node.args) in (2, 3) and not node.keywords
        self.generic_visit(node)
        if is_pow:
            return ast.copy_location(ast.Call(func=_kcall("_kpow"), args=node.args, keywords=[]), node)
        return self._wrap(node)

    def visit_AugAssign(self, node):
        """x op= v in CPython's order: the target (its object and index) and its value are loaded, v is evaluated,
        the in-place op runs (lists and arrays change in place), the result is stored; then checked. A power's
        operands are checked between the evaluation and the op (x **= (x := -x) raises the old x)."""
        self.generic_visit(node)
        target = node.target
        if not isinstance(target, (ast.Name, ast.Subscript)):
            return node
        self.temps += 1
        n = self.temps
        name = lambda base, ctx: ast.Name(id="%s%d" % (base, n), ctx=ctx)
        stmts = []
        if isinstance(target, ast.Subscript):
            stmts += [ast.Assign(targets=[name("_kt", ast.Store())], value=target.value),
                      ast.Assign(targets=[name("_ki", ast.Store())], value=target.slice)]
            place = lambda ctx: ast.Subscript(value=name("_kt", ast.Load()), slice=name("_ki", ast.Load()), ctx=ctx)
        else:
            place = lambda ctx: ast.Name(id=target.id, ctx=ctx)
        stmts += [ast.Assign(targets=[name("_ko", ast.Store())], value=place(ast.Load())),
                  ast.Assign(targets=[name("_kv", ast.Store())], value=node.value)]
        if isinstance(node.op, ast.Pow):
            stmts.append(ast.Expr(ast.Call(func=_kcall("_kneg"), args=[name("_ko", ast.Load()), name("_kv", ast.Load())], keywords=[])))
        stmts += [ast.AugAssign(target=name("_ko", ast.Store()), op=node.op, value=name("_kv", ast.Load())),
                  ast.Assign(targets=[place(ast.Store())], value=name("_ko", ast.Load())),
                  ast.Expr(self._wrap(name("_ko", ast.Load())))]
        for s in stmts:
            ast.copy_location(s, node)
            ast.fix_missing_locations(s)
        return stmts


def instrument(source, path):
    """The module's code with every operation checked; exec it in a namespace from `namespace()`."""
    tree = _Instrument().visit(ast.parse(source, path))
    body = []
    for stmt in tree.body:
        names = [t.id for t in stmt.targets if isinstance(t, ast.Name)] if isinstance(stmt, ast.Assign) else []
        if names:
            body.append(ast.Expr(ast.Call(func=_kcall("_kconst_start"), args=[], keywords=[])))
        body.append(stmt)
        if names:
            body.append(ast.Expr(ast.Call(func=_kcall("_kconst_end"), args=[ast.Constant(n) for n in names], keywords=[])))
    tree.body = body
    ast.fix_missing_locations(tree)
    return compile(tree, path, "exec")


def namespace(name):
    return {"__name__": name, **_HELPERS}


_HELPERS = {"_k": _k, "_kpow": _kpow, "_kneg": _kneg, "_kread": _kread, "_kconst_start": _kconst_start, "_kconst_end": _kconst_end}


def _under(path, roots):
    return bool(path) and any(os.path.abspath(path).startswith(r + os.sep) for r in roots)


class _InstrumentedLoader(importlib.abc.Loader):
    """Loads a project module as an instrumented copy (its helpers called from a checked function count too)."""

    def __init__(self, path):
        self.path = path

    def create_module(self, spec):
        return None

    def exec_module(self, module):
        with open(self.path, encoding="utf-8") as f:
            code = instrument(f.read(), self.path)
        module.__dict__.update(_HELPERS)
        exec(code, module.__dict__)


class _InstrumentedFinder(importlib.abc.MetaPathFinder):
    def __init__(self, roots):
        self.roots = roots

    def find_spec(self, name, path, target=None):
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        if spec is None or not _under(spec.origin, self.roots) or not spec.origin.endswith(".py"):
            return None
        spec.loader = _InstrumentedLoader(spec.origin)
        return spec


def exec_instrumented(code, checked, roots):
    """Runs the instrumented copy of a module in `checked` with the project's modules it imports (files under
    `roots`) instrumented too: a limit reached in a helper of another module (an int past 64 bits in
    utils.hypot2) is seen. sys.modules is as it was afterwards (the original modules stay the originals)."""
    roots = [os.path.abspath(r) for r in roots]
    saved = {n: m for n, m in list(sys.modules.items()) if _under(getattr(m, "__file__", None), roots)}
    for n in saved:
        del sys.modules[n]
    finder = _InstrumentedFinder(roots)
    sys.meta_path.insert(0, finder)
    try:
        exec(code, checked)
    finally:
        sys.meta_path.remove(finder)
        for n, m in list(sys.modules.items()):
            if _under(getattr(m, "__file__", None), roots):
                del sys.modules[n]
        sys.modules.update(saved)


def call_with_limits(fn, args, kwargs=None):
    _events[0] = 0
    try:
        fn(*args, **(kwargs or {}))
    except Exception:
        pass
    return _events[0]
