"""Kiln's Python frontend: reads Python source with `ast` and prints JSON.

It never imports or runs the user's code. Commands (argv[1]):
  discover PATH...   decorated functions of every .py file under each PATH
  parse FILE         the whole module: imports, module constants, every function's AST
  parse-many FILE... the same for several modules of a project at once (one Python start)
Output is one JSON document on stdout.
"""
import ast
import collections
import json
import math
import os
import sys

DECORATOR_MODULES = ("kiln", "fxn")
SKIP_DIRS = {".git", "node_modules", "__pycache__", ".venv", "venv", ".tox", "dist", "build", ".kiln"}


def span(node):
    return {
        "line": getattr(node, "lineno", 0),
        "col": getattr(node, "col_offset", 0) + 1,
        "endLine": getattr(node, "end_lineno", None) or getattr(node, "lineno", 0),
        "endCol": (getattr(node, "end_col_offset", None) or getattr(node, "col_offset", 0)) + 1,
    }


def to_json(node):
    """A generic, lossless JSON form of an AST: {"_t": class name, "span": ..., fields...}."""
    if isinstance(node, ast.AST):
        out = {"_t": type(node).__name__}
        if hasattr(node, "lineno"):
            out["span"] = span(node)
        for field, value in ast.iter_fields(node):
            if field == "type_comment":
                continue
            out[field] = to_json(value)
        return out
    if isinstance(node, list):
        return [to_json(x) for x in node]
    if isinstance(node, complex):
        return {"_t": "complex", "real": to_json(node.real), "imag": to_json(node.imag)}
    if isinstance(node, float):
        return {"_t": "float", "hex": node.hex(), "repr": repr(node)}
    if isinstance(node, int) and not isinstance(node, bool):
        return {"_t": "int", "dec": str(node)}
    if isinstance(node, bytes):
        return {"_t": "bytes", "hex": node.hex()}
    if node is Ellipsis:
        return {"_t": "ellipsis"}
    return node


def import_table(tree):
    """Local name -> dotted origin for every top-level import (`import math as m` gives m -> math).
    A relative import keeps its leading dots (`from .util import f` in a package gives f -> .util.f,
    `from .. import g` gives g -> ..g): the project's module graph makes it absolute. Also returns the
    modules of `from M import *` (in order) and the line of each import, for diagnostics."""
    table, stars, lines = {}, [], {}
    for stmt in tree.body:
        if isinstance(stmt, ast.Import):
            for alias in stmt.names:
                if alias.asname:
                    table[alias.asname] = alias.name
                else:
                    top = alias.name.split(".")[0]
                    table[top] = top
                lines[alias.asname or alias.name.split(".")[0]] = stmt.lineno
        elif isinstance(stmt, ast.ImportFrom):
            base = "." * stmt.level + (stmt.module or "")
            for alias in stmt.names:
                if alias.name == "*":
                    stars.append(base)
                    continue
                sep = "." if stmt.module else ""
                table[alias.asname or alias.name] = base + sep + alias.name
                lines[alias.asname or alias.name] = stmt.lineno
    return table, stars, lines


def decorator_info(dec, imports, consts=None, classes=()):
    """Returns the options dict if `dec` is Kiln's compile decorator, else None."""
    call = dec if isinstance(dec, ast.Call) else None
    target = call.func if call else dec
    dotted = None
    if isinstance(target, ast.Name):
        dotted = imports.get(target.id)
    elif isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name):
        base = imports.get(target.value.id)
        if base:
            dotted = base + "." + target.attr
    if dotted not in tuple(m + ".compile" for m in DECORATOR_MODULES):
        return None
    options = {}
    problems = []
    if call:
        for kw in call.keywords:
            if kw.arg is None:
                problems.append("**kwargs in @compile(...) cannot be read without running the code")
                continue
            if kw.arg == "signatures":
                options[kw.arg] = literal_json(signature_texts(kw.value))
                continue
            try:
                options[kw.arg] = literal_json(constant_value(kw.value, consts, classes=classes if kw.arg == "examples" else ()))
            except ValueError as e:
                problems.append(f"@compile({kw.arg}=...) at line {getattr(e, 'lineno', kw.value.lineno)}: {e}")
    return {"module": dotted.split(".")[0], "options": options, "problems": problems, "span": span(dec)}


def signature_texts(node):
    """`@compile(signatures=[...])` as texts, one per listed signature, checked by the compiler (types/tower.ts):
    a string (`"(int, int) -> int"`) as written, a tuple of types (`(int, float)`) or one type as Python writes
    it. Anything else is passed as its source text too, so that the compiler's message names it."""
    if not isinstance(node, ast.List):
        return ast.unparse(node)
    return [e.value if isinstance(e, ast.Constant) and isinstance(e.value, str) else ast.unparse(e) for e in node.elts]


_BINOPS = {
    ast.Add: lambda a, b: a + b, ast.Sub: lambda a, b: a - b, ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b, ast.FloorDiv: lambda a, b: a // b, ast.Mod: lambda a, b: a % b,
    ast.Pow: lambda a, b: a ** b,
}


class ClassCall:
    """`Vec(1.0, y=2.0)` in `@compile(examples=...)`: a call of a class of the module with literal arguments. Not run
    here: the verification step builds it in CPython (src-compiler/run/inputs.ts resolveExampleInstances)."""

    def __init__(self, cls, args, kwargs, text):
        self.cls, self.args, self.kwargs, self.text = cls, args, kwargs, text


def constant_value(node, env=None, classes=()):
    """A literal, or arithmetic on literals such as `2 ** 62` or `-1e-3 * 4`, evaluated without running the
    module. `env` (a ModuleConstants) also resolves module-level constants by name, `math.pi`, `sys.maxsize` and
    `float('inf')`; a call of one of `classes` (the module's, in examples=) with such arguments is a ClassCall. Anything
    else (a call, an unknown name) raises ValueError saying what, with its line."""
    def fail(n, what):
        e = ValueError(what)
        e.lineno = getattr(n, "lineno", node.lineno)
        return e

    def ev(n):
        if isinstance(n, ast.Constant):
            return n.value
        if isinstance(n, (ast.Tuple, ast.List)):
            items = [ev(e) for e in n.elts]
            return tuple(items) if isinstance(n, ast.Tuple) else items
        if isinstance(n, ast.Dict):
            return {ev(k): ev(v) for k, v in zip(n.keys, n.values)}
        if isinstance(n, ast.Set):
            return {ev(e) for e in n.elts}
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "set" and not n.args and not n.keywords:
            return set()
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "frozenset" and len(n.args) <= 1 and not n.keywords:
            return frozenset(*[ev(a) for a in n.args])
        if (isinstance(n, ast.Call) and ast.unparse(n.func) in ("deque", "collections.deque") and len(n.args) <= 2
                and all(k.arg == "maxlen" for k in n.keywords)):
            return collections.deque(*[ev(a) for a in n.args], **{k.arg: ev(k.value) for k in n.keywords})
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "complex" and len(n.args) <= 2 and not n.keywords:
            parts = [ev(a) for a in n.args]
            if any(isinstance(v, bool) or not isinstance(v, (int, float, complex)) for v in parts):
                raise fail(n, "complex() of numbers only")
            return complex(*parts)
        if (isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id in classes
                and all(k.arg for k in n.keywords)):
            return ClassCall(n.func.id, [ev(a) for a in n.args], [[k.arg, ev(k.value)] for k in n.keywords], ast.unparse(n))
        if isinstance(n, ast.UnaryOp) and isinstance(n.op, (ast.USub, ast.UAdd)):
            v = ev(n.operand)
            if isinstance(v, bool) or not isinstance(v, (int, float, complex)):
                raise fail(n, "unary minus/plus applies to numbers only")
            return -v if isinstance(n.op, ast.USub) else +v
        if isinstance(n, ast.BinOp) and type(n.op) in _BINOPS:
            a, b = ev(n.left), ev(n.right)
            if any(isinstance(v, bool) or not isinstance(v, (int, float, complex)) for v in (a, b)):
                raise fail(n, "arithmetic applies to numbers only")
            if isinstance(n.op, ast.Pow) and isinstance(a, int) and isinstance(b, int) and b > 0 and abs(a) > 1 and b * abs(a).bit_length() > 4096:
                raise fail(n, "the power is too large to evaluate here (over 4096 bits)")
            try:
                return _BINOPS[type(n.op)](a, b)
            except (ArithmeticError, ValueError) as e:
                raise fail(n, f"{ast.unparse(n)} raises {type(e).__name__}: {e}")
        if env is not None:
            known = env.known(n)
            if known is not None:
                return known[0]
        if isinstance(n, ast.Name):
            raise fail(n, f"the name {n.id} is not evaluated (Kiln reads the file without running it); write its value")
        raise fail(n, f"{ast.unparse(n)} is not a literal or arithmetic on literals")

    return ev(node)


class ModuleConstants:
    """Module-level names bound once to a constant expression, and the well-known constants (math.pi, sys.maxsize,
    float('inf')), for evaluating default values and decorator options without running the module."""
    WELL_KNOWN = {"math.pi": math.pi, "math.e": math.e, "math.tau": math.tau, "math.inf": math.inf, "math.nan": math.nan,
                  "sys.maxsize": sys.maxsize, "numpy.pi": math.pi, "numpy.e": math.e, "numpy.inf": math.inf, "numpy.nan": math.nan}

    def __init__(self, tree, imports):
        self.imports = imports
        self.values = {}
        # The module's classes (a namedtuple(...) assignment too): what an example may call (ClassCall).
        self.classes = {s.name for s in tree.body if isinstance(s, ast.ClassDef)} | {
            s.targets[0].id for s in tree.body if namedtuple_class(s, imports)}
        counts = {}
        for stmt in tree.body:
            if isinstance(stmt, (ast.Assign, ast.AnnAssign)) and stmt.value is not None:
                for t in (stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]):
                    if isinstance(t, ast.Name):
                        counts[t.id] = counts.get(t.id, 0) + 1
                        self.values[t.id] = stmt.value
            elif isinstance(stmt, ast.AugAssign) and isinstance(stmt.target, ast.Name):
                counts[stmt.target.id] = counts.get(stmt.target.id, 0) + 2
        self.values = {k: v for k, v in self.values.items() if counts[k] == 1}
        self.busy = set()

    def dotted(self, n):
        if isinstance(n, ast.Name):
            return self.imports.get(n.id)
        if isinstance(n, ast.Attribute):
            base = self.dotted(n.value)
            return base + "." + n.attr if base else None
        return None

    def known(self, n):
        """(value,) for a name or expression this table knows, else None."""
        if isinstance(n, ast.Name) and n.id in self.values and n.id not in self.busy:
            self.busy.add(n.id)
            try:
                return (constant_value(self.values[n.id], self),)
            except ValueError:
                return None
            finally:
                self.busy.discard(n.id)
        d = self.dotted(n)
        if d in self.WELL_KNOWN:
            return (self.WELL_KNOWN[d],)
        if (isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "float" and not n.keywords
                and len(n.args) == 1 and isinstance(n.args[0], ast.Constant) and isinstance(n.args[0].value, str)):
            try:
                return (float(n.args[0].value),)
            except ValueError:
                return None
        return None


def literal_json(value):
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int):
        return {"_t": "int", "dec": str(value)}
    if isinstance(value, float):
        return {"_t": "float", "hex": value.hex(), "repr": repr(value)}
    if isinstance(value, complex):
        return {"_t": "complex", "re": repr(value.real), "im": repr(value.imag)}
    if isinstance(value, bytes):
        return {"_t": "bytes", "hex": value.hex()}
    if isinstance(value, (list, tuple)):
        return {"_t": type(value).__name__, "items": [literal_json(v) for v in value]}
    if isinstance(value, dict):
        return {"_t": "dict", "items": [[literal_json(k), literal_json(v)] for k, v in value.items()]}
    if isinstance(value, (set, frozenset)):
        # A frozenset is a set literal here: a frozenset parameter's type makes it one again (run/values.ts coerceToType).
        return {"_t": "set", "items": [literal_json(v) for v in value]}
    if isinstance(value, collections.deque):
        return {"_t": "deque", "items": [literal_json(v) for v in value], "maxlen": value.maxlen}
    if isinstance(value, ClassCall):
        return {"_t": "new", "cls": value.cls, "args": [literal_json(v) for v in value.args],
                "kwargs": [[k, literal_json(v)] for k, v in value.kwargs], "text": value.text}
    return {"_t": "unsupported", "repr": repr(value)}


def signature(fn):
    """The function's parameter list as written (annotations and defaults), and its return annotation."""
    ret = (" -> " + ast.unparse(fn.returns)) if fn.returns else ""
    args = ast.unparse(fn.args)
    return f"{fn.name}({args}){ret}"


def param_records(fn, imports, consts, include_ast):
    """Every named parameter in order (positional-only, positional-or-keyword, keyword-only) with its kind and
    default (its AST, and its value when it is a constant Kiln can evaluate without running the module)."""
    a = fn.args
    positional = a.posonlyargs + a.args
    defaults = [None] * (len(positional) - len(a.defaults)) + list(a.defaults)
    out = []

    def rec(arg, kind, default):
        r = {"name": arg.arg, "kind": kind, "annotation": ast.unparse(arg.annotation) if arg.annotation else None,
             "annotationAst": to_json(arg.annotation), "span": span(arg)}
        if default is not None:
            r["hasDefault"] = True
            r["defaultSpan"] = span(default)
            r["defaultText"] = ast.unparse(default)
            if include_ast:
                r["defaultAst"] = to_json(default)
            try:
                r["defaultValue"] = literal_json(constant_value(default, consts))
            except ValueError as e:
                r["defaultProblem"] = str(e)
        return r

    for i, arg in enumerate(positional):
        out.append(rec(arg, "posonly" if i < len(a.posonlyargs) else "normal", defaults[i]))
    for arg, d in zip(a.kwonlyargs, a.kw_defaults):
        out.append(rec(arg, "kwonly", d))
    star = lambda arg: {"name": arg.arg, "annotation": ast.unparse(arg.annotation) if arg.annotation else None, "span": span(arg)} if arg else None
    return out, star(a.vararg), star(a.kwarg)


def function_record(fn, imports, consts, include_ast):
    decorators = [d for d in (decorator_info(x, imports, classes=consts.classes if consts else ()) for x in fn.decorator_list) if d]
    params, vararg, kwarg = param_records(fn, imports, consts, include_ast)
    rec = {
        "name": fn.name,
        "line": fn.lineno,
        "span": span(fn),
        "signature": signature(fn),
        "decorated": bool(decorators),
        "decorator": decorators[0] if decorators else None,
        "otherDecorators": [ast.unparse(d) for d in fn.decorator_list if not decorator_info(d, imports)],
        "docstring": ast.get_docstring(fn),
        "isAsync": isinstance(fn, ast.AsyncFunctionDef),
        "params": params,
        "vararg": vararg,
        "kwarg": kwarg,
        "returns": ast.unparse(fn.returns) if fn.returns else None,
        "returnsAst": to_json(fn.returns),
    }
    if include_ast:
        rec["body"] = to_json(fn.body)
    return rec


def dataclass_options(cls, imports):
    """The options of a @dataclass / @dataclasses.dataclass(...) decorator, or None when the class has none."""
    for d in cls.decorator_list:
        call = d if isinstance(d, ast.Call) else None
        target = call.func if call else d
        name = target.id if isinstance(target, ast.Name) else target.attr if isinstance(target, ast.Attribute) else None
        origin = imports.get(name, "") if isinstance(target, ast.Name) else ast.unparse(target)
        if name == "dataclass" and (origin in ("dataclasses.dataclass", "dataclass") or origin.endswith(".dataclass")):
            opts = {"init": True, "repr": True, "eq": True, "order": False, "frozen": False}
            for kw in call.keywords if call else []:
                if isinstance(kw.value, ast.Constant):
                    opts[kw.arg] = kw.value.value
                else:
                    opts[kw.arg] = ast.unparse(kw.value)
            return d, opts
    return None, None


def generated_method(text, cls):
    """A method Kiln writes for a class (dataclass, NamedTuple, total_ordering), parsed and placed at the class's line."""
    fn = ast.parse(text).body[0]
    for n in ast.walk(fn):
        if hasattr(n, "lineno"):
            n.lineno, n.end_lineno, n.col_offset, n.end_col_offset = cls.lineno, cls.lineno, cls.col_offset, cls.col_offset + 1
    return fn


def dataclass_methods(cls, opts):
    """Python source of the methods @dataclass generates (CPython's dataclasses module), for the fields in order:
    __init__ (defaults; field(default_factory=f) as a None default replaced by f()), __repr__, __eq__, __hash__ (with
    eq and frozen, or unsafe_hash) and, with order=True, the four comparisons over the fields as tuples. Traced as if
    the class defined them."""
    fields, problems = [], []
    for stmt in cls.body:
        if not (isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name)):
            continue
        ann = ast.unparse(stmt.annotation)
        if ann.startswith("ClassVar") or ann.startswith("typing.ClassVar"):
            continue
        f = {"name": stmt.target.id, "ann": ann, "default": None, "factory": None, "repr": True, "compare": True, "line": stmt.lineno}
        v = stmt.value
        if isinstance(v, ast.Call) and ((isinstance(v.func, ast.Name) and v.func.id == "field") or (isinstance(v.func, ast.Attribute) and v.func.attr == "field")):
            for kw in v.keywords:
                if kw.arg == "default":
                    f["default"] = ast.unparse(kw.value)
                elif kw.arg == "default_factory":
                    f["factory"] = ast.unparse(kw.value)
                elif kw.arg in ("repr", "compare") and isinstance(kw.value, ast.Constant):
                    f[kw.arg] = bool(kw.value.value)
                else:
                    problems.append({"line": stmt.lineno, "message": f"field({kw.arg}=...) is not compiled yet"})
        elif v is not None:
            f["default"] = ast.unparse(v)
        fields.append(f)
    name = cls.name
    src = []
    if opts.get("init") is True and not any(isinstance(x, ast.FunctionDef) and x.name == "__init__" for x in cls.body):
        params, body = [], []
        for f in fields:
            if f["factory"]:
                params.append(f"{f['name']}=None")
                made = {"list": "[]", "dict": "{}"}.get(f["factory"], f"{f['factory']}()")
                body.append(f"    if {f['name']} is None:\n        self.{f['name']} = {made}\n    else:\n        self.{f['name']} = {f['name']}")
            else:
                params.append(f"{f['name']}={f['default']}" if f["default"] is not None else f["name"])
                body.append(f"    self.{f['name']} = {f['name']}")
        src.append(f"def __init__(self{''.join(', ' + p for p in params)}):\n" + ("\n".join(body) or "    pass"))
    if opts.get("repr") is True and not any(isinstance(x, ast.FunctionDef) and x.name == "__repr__" for x in cls.body):
        shown = ", ".join(f"{f['name']}={{self.{f['name']}!r}}" for f in fields if f["repr"])
        src.append(f"def __repr__(self):\n    return f\"{name}({shown})\"")
    compared = [f["name"] for f in fields if f["compare"]]
    if opts.get("eq") is True and not any(isinstance(x, ast.FunctionDef) and x.name == "__eq__" for x in cls.body):
        # CPython compares the fields as tuples, identity first: a NaN field equals itself. Kiln's floats have no
        # identity, so a NaN is one object (as in dicts, docs/design/dicts.md): float fields test NaN on both sides.
        floats = {f["name"] for f in fields if f["ann"] == "float"}
        test = " and ".join(f"(self.{n} == other.{n} or (self.{n} != self.{n} and other.{n} != other.{n}))" if n in floats else f"self.{n} == other.{n}" for n in compared) or "True"
        src.append(f"def __eq__(self, other):\n    return {test}")
    explicit_hash = any(isinstance(x, ast.FunctionDef) and x.name == "__hash__" for x in cls.body)
    if not explicit_hash and (opts.get("unsafe_hash") is True or (opts.get("eq") is True and opts.get("frozen") is True)):
        # CPython's generated __hash__: the hash of the compared fields as a tuple (a non-frozen dataclass with eq
        # gets none: __eq__ without __hash__ makes it unhashable, types/classes.ts hashRule).
        src.append("def __hash__(self):\n    return hash((" + "".join(f"self.{n}, " for n in compared) + "))")
    if opts.get("order") is True:
        # Tuple order: the first field that differs decides; a NaN float field is one object on both sides, as in
        # __eq__ above (CPython's tuples skip items that are the same object).
        floats = {f["name"] for f in fields if f["ann"] == "float"}
        for op, sym in (("lt", "<"), ("le", "<="), ("gt", ">"), ("ge", ">=")):
            body = "".join(
                f"    if not (self.{n} == other.{n}{f' or (self.{n} != self.{n} and other.{n} != other.{n})' if n in floats else ''}):\n"
                f"        return self.{n} {sym} other.{n}\n" for n in compared)
            src.append(f"def __{op}__(self, other):\n{body}    return {op in ('le', 'ge')}")
    return [generated_method(text, cls) for text in src], fields, problems


# functools.total_ordering: from the root comparison (the first the class defines of __lt__, __le__, __gt__, __ge__:
# CPython takes the largest name), each missing one as CPython's functools computes it from the root's result r.
TOTAL_ORDERING = {
    "__lt__": {"__gt__": "not r and self != other", "__le__": "r or self == other", "__ge__": "not r"},
    "__le__": {"__ge__": "not r or self == other", "__lt__": "r and self != other", "__gt__": "not r"},
    "__gt__": {"__lt__": "not r and self != other", "__ge__": "r or self == other", "__le__": "not r"},
    "__ge__": {"__le__": "not r or self == other", "__gt__": "r and self != other", "__lt__": "not r"},
}


def total_ordering(cls, imports, generated):
    """The decorator node of @functools.total_ordering / @total_ordering on the class (None without one), the
    methods it adds (as Python source) and the problem that keeps it from compiling (None when there is none)."""
    for d in cls.decorator_list:
        text = ast.unparse(d)
        first, _, rest = text.partition(".")
        if ".".join(x for x in (imports.get(first, first), rest) if x) != "functools.total_ordering":
            continue
        defined = {x.name for x in [*cls.body, *generated] if isinstance(x, (ast.FunctionDef, ast.AsyncFunctionDef))}
        roots = [op for op in ("__lt__", "__le__", "__gt__", "__ge__") if op in defined]
        if cls.bases:
            # CPython also takes the comparisons a base defines as roots: the base's methods are not seen here.
            return d, [], f"@{text} on class {cls.name}, which has a base class, is not compiled yet"
        if not roots:
            return d, [], "ValueError: must define at least one ordering operation: < > <= >="
        root = roots[0]
        src = [f"def {op}(self, other):\n    r = self.{root}(other)\n    return {expr}"
               for op, expr in TOTAL_ORDERING[root].items() if op not in defined]
        return d, src, None
    return None, [], None


def is_namedtuple_base(base, imports):
    """`NamedTuple` (from typing) or `typing.NamedTuple` as a class's base."""
    if isinstance(base, ast.Name):
        return base.id == "NamedTuple" and imports.get(base.id, "typing.NamedTuple") == "typing.NamedTuple"
    return ast.unparse(base) == "typing.NamedTuple"


def namedtuple_methods(cls, fields):
    """Python source of what a typing.NamedTuple class has beyond a frozen, ordered dataclass's methods: its length,
    items by index (the fields as a tuple, so negative indices, slices and IndexError are the tuple's), iteration
    (unpacking, loops), `_asdict()` (a dict of the fields, in order), `_replace(x=...)` (keyword-only; a field not
    given keeps its value: its default is `self.x`, which the tracer evaluates in the method's scope, see
    defaultsSeeParams, so a given None is a value like any other) and `_make(seq)` (a list or tuple of exactly the
    fields)."""
    names = [f["name"] for f in fields]
    items = "(" + "".join(f"self.{n}, " for n in names) + ")"
    src = [f"def __len__(self):\n    return {len(fields)}", f"def __getitem__(self, i):\n    return {items}[i]",
           "def __iter__(self):\n" + ("\n".join(f"    yield self.{f['name']}" for f in fields) or "    return\n    yield"),
           "def _asdict(self):\n    return {" + ", ".join(f"{f['name']!r}: self.{f['name']}" for f in fields) + "}",
           "def _replace(self" + (", *" if names else "") + "".join(f", {n}=self.{n}" for n in names) + "):\n"
           f"    return {cls.name}(" + ", ".join(names) + ")",
           # collections' _make: a sequence of exactly the fields (CPython's TypeError otherwise), in order.
           f"@classmethod\ndef _make(cls, iterable):\n    if len(iterable) != {len(names)}:\n"
           f"        raise TypeError('Expected {len(names)} arguments, got ' + str(len(iterable)))\n"
           f"    return cls(" + ", ".join(f"iterable[{k}]" for k in range(len(names))) + ")"]
    methods = []
    for text in src:
        name = text[text.index("def ") + 4:text.index("(")]
        if any(isinstance(x, ast.FunctionDef) and x.name == name for x in cls.body):
            continue
        fn = generated_method(text, cls)
        fn.kiln_defaults_see_params = name == "_replace"
        methods.append(fn)
    return methods


def namedtuple_class(stmt, imports):
    """`P = namedtuple('P', 'x y')` / `namedtuple('P', ['x', 'y'], defaults=(0,))` (collections.namedtuple) as the
    class statement that says the same (`class P(typing.NamedTuple)` with the fields, the defaults on the last ones),
    compiled as one; None for any other statement (other keywords, names or fields that are not literals: the name
    stays a module constant, refused where it is used)."""
    if not (isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name) and isinstance(stmt.value, ast.Call)):
        return None
    call, f = stmt.value, stmt.value.func
    origin = imports.get(f.id, "") if isinstance(f, ast.Name) else ast.unparse(f)
    if origin != "collections.namedtuple" or len(call.args) != 2 or any(k.arg != "defaults" for k in call.keywords):
        return None
    name, spec = call.args
    if not (isinstance(name, ast.Constant) and name.value == stmt.targets[0].id):
        return None
    if isinstance(spec, ast.Constant) and isinstance(spec.value, str):
        fields = spec.value.replace(",", " ").split()
    elif isinstance(spec, (ast.List, ast.Tuple)) and all(isinstance(e, ast.Constant) and isinstance(e.value, str) for e in spec.elts):
        fields = [e.value for e in spec.elts]
    else:
        return None
    defaults = []
    for k in call.keywords:
        if not isinstance(k.value, (ast.List, ast.Tuple)) or len(k.value.elts) > len(fields):
            return None
        defaults = k.value.elts
    if not all(x.isidentifier() and not x.startswith("_") for x in fields) or len(set(fields)) != len(fields):
        return None
    first_default = len(fields) - len(defaults)
    body = [ast.AnnAssign(target=ast.Name(x, ast.Store()), annotation=ast.Name("object", ast.Load()),
                          value=defaults[i - first_default] if i >= first_default else None, simple=1) for i, x in enumerate(fields)]
    cls = ast.ClassDef(name=name.value, bases=[ast.Attribute(ast.Name("typing", ast.Load()), "NamedTuple", ast.Load())],
                       keywords=[], body=body or [ast.Pass()], decorator_list=[])
    for n in ast.walk(cls):
        if n is not cls and hasattr(n, "lineno") and n.lineno is not None:
            continue
        ast.copy_location(n, stmt)
    return ast.fix_missing_locations(cls)


def class_record(cls, imports, consts, include_ast, functions):
    """A module-level class: its bases, decorators, class-level fields and attributes; each method is also a
    function record named `Class.method` (appended to `functions`), traced like a module-level helper. A
    typing.NamedTuple class is compiled as a frozen dataclass with order (tuple comparisons), plus its length,
    indexing and iteration."""
    fields, attrs, methods, other = [], [], [], []
    dc_decorator, dc = dataclass_options(cls, imports)
    namedtuple = any(is_namedtuple_base(b, imports) for b in cls.bases)
    if namedtuple and dc is None and not cls.decorator_list:
        dc = {"init": True, "repr": True, "eq": True, "order": True, "frozen": True}
    generated, dc_fields, dc_problems = dataclass_methods(cls, dc) if dc else ([], [], [])
    if namedtuple and dc is not None:
        generated += namedtuple_methods(cls, dc_fields)
    ordering_decorator, ordering_src, ordering_problem = total_ordering(cls, imports, generated)
    generated += [generated_method(text, cls) for text in ordering_src]
    for stmt in [*cls.body, *generated]:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            rec = function_record(stmt, imports, consts, include_ast)
            rec["name"] = f"{cls.name}.{stmt.name}"
            rec["methodOf"] = cls.name
            rec["decorated"] = False
            rec["decorator"] = None
            rec["otherDecorators"] = []
            rec["methodDecorators"] = [ast.unparse(d) for d in stmt.decorator_list]
            if getattr(stmt, "kiln_defaults_see_params", False):
                rec["defaultsSeeParams"] = True
            if "classmethod" in rec["methodDecorators"] and rec["params"]:
                # `cls` names the class itself (no subclasses yet): the parameter goes, the tracer resolves the name.
                rec["classAlias"] = rec["params"].pop(0)["name"]
            if any(ast.unparse(d).endswith(".setter") for d in stmt.decorator_list):
                rec["name"] = f"{cls.name}.{stmt.name}__setter"  # the property's setter, beside its getter
            functions.append(rec)
            methods.append({"name": rec["name"].split(".", 1)[1], "decorators": rec["methodDecorators"], "span": span(stmt),
                            "generated": any(stmt is g for g in generated)})
        elif isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
            fields.append({"name": stmt.target.id, "annotation": ast.unparse(stmt.annotation), "span": span(stmt),
                           "value": to_json(stmt.value) if stmt.value is not None else None,
                           "valueText": ast.unparse(stmt.value) if stmt.value is not None else None})
        elif isinstance(stmt, ast.Assign) and all(isinstance(t, ast.Name) for t in stmt.targets):
            for t in stmt.targets:
                attrs.append({"name": t.id, "span": span(stmt), "value": to_json(stmt.value), "valueText": ast.unparse(stmt.value)})
        elif isinstance(stmt, ast.Pass) or (isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant)):
            continue
        else:
            other.append({"kind": type(stmt).__name__, "span": span(stmt)})
    if namedtuple and dc is not None:
        # `P._fields`: the field names, a class attribute (a constant tuple of str).
        value = ast.parse(repr(tuple(f["name"] for f in dc_fields)), mode="eval").body
        for n in ast.walk(value):
            n.lineno, n.end_lineno, n.col_offset, n.end_col_offset = cls.lineno, cls.lineno, cls.col_offset, cls.col_offset + 1
        attrs.append({"name": "_fields", "span": span(cls), "value": to_json(value), "valueText": ast.unparse(value)})
    return {
        "name": cls.name,
        "span": span(cls),
        "bases": [ast.unparse(b) for b in cls.bases if not (namedtuple and is_namedtuple_base(b, imports))],
        "keywords": [ast.unparse(k) for k in cls.keywords],
        "decorators": [ast.unparse(d) for d in cls.decorator_list if d is not dc_decorator and d is not ordering_decorator],
        "orderingProblem": ordering_problem,
        "dataclass": dc,
        "namedtuple": namedtuple and dc is not None,
        "dataclassFields": [f["name"] for f in dc_fields],
        "dataclassProblems": dc_problems,
        "fields": fields,
        "attrs": attrs,
        "methods": methods,
        "other": other,
    }


def globals_written(tree):
    """Module-level names that some function declares `global` and assigns (their value changes at run time)."""
    written = set()
    for fn in ast.walk(tree):
        if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            continue
        declared = set()
        assigned = set()
        for n in ast.walk(fn):
            if isinstance(n, ast.Global):
                declared.update(n.names)
            elif isinstance(n, ast.Name) and isinstance(n.ctx, (ast.Store, ast.Del)):
                assigned.add(n.id)
        written |= declared & assigned
    return written


def passes_message_on(fn):
    """`def __init__(self, msg): super().__init__(msg)` (a docstring allowed): the class's instances are its base's."""
    if not isinstance(fn, ast.FunctionDef) or fn.name != "__init__" or fn.decorator_list:
        return False
    a = fn.args
    if a.posonlyargs or a.vararg or a.kwonlyargs or a.kwarg or a.defaults or len(a.args) != 2:
        return False
    body = fn.body[1:] if fn.body and isinstance(fn.body[0], ast.Expr) and isinstance(fn.body[0].value, ast.Constant) else fn.body
    if len(body) != 1 or not isinstance(body[0], ast.Expr) or not isinstance(body[0].value, ast.Call):
        return False
    call = body[0].value
    sup = call.func
    return (isinstance(sup, ast.Attribute) and sup.attr == "__init__" and isinstance(sup.value, ast.Call)
            and isinstance(sup.value.func, ast.Name) and sup.value.func.id == "super" and not sup.value.args
            and not call.keywords and len(call.args) == 1 and isinstance(call.args[0], ast.Name) and call.args[0].id == a.args[1].arg)


def calls_super_init(fn):
    """Whether a method's body has `super().__init__(...)` as a statement of its own (not inside an if or a loop)."""
    return any(isinstance(s, ast.Expr) and isinstance(s.value, ast.Call) and isinstance(s.value.func, ast.Attribute)
               and s.value.func.attr == "__init__" and isinstance(s.value.func.value, ast.Call)
               and isinstance(s.value.func.value.func, ast.Name) and s.value.func.value.func.id == "super"
               for s in fn.body)


def has_fields(cls, exception_classes):
    """An exception class whose instances carry fields: its `__init__` does more than pass the message on
    (`self.line = line`), or its base is such a class. It is compiled as a class too (docs/design/exceptions.md)."""
    known = {c["name"] for c in exception_classes if c.get("fields")}
    if any(isinstance(b, ast.Name) and b.id in known for b in cls.bases):
        return True
    # Methods (`__str__`, `describe`) are compiled as a class's: the instance is kept with the exception.
    return any(isinstance(item, ast.FunctionDef) and (item.name != "__init__" or not passes_message_on(item)) for item in cls.body)


def exception_class_record(cls, exception_classes):
    """A module-level class, as an exception class of compiled code sees it (src-compiler/ir/trace.ts): its name,
    its bases (names), whether its instances carry fields, and why its body is more than a docstring and `pass`
    (None when it is not)."""
    bases = [b.id if isinstance(b, ast.Name) else None for b in cls.bases]
    fields = has_fields(cls, exception_classes)
    problem = None
    attrs = []
    for i, item in enumerate(cls.body):
        doc = isinstance(item, ast.Expr) and isinstance(item.value, ast.Constant) and (i == 0 or item.value.value is Ellipsis)
        # `code = 404`: a class attribute (a module constant `Class.code`, read as e.code of a caught exception)
        if (isinstance(item, ast.Assign) and len(item.targets) == 1 and isinstance(item.targets[0], ast.Name)
                and isinstance(item.value, ast.Constant) and not isinstance(item.value.value, (bytes, type(Ellipsis)))):
            attrs.append({"name": item.targets[0].id, "span": span(item), "value": to_json(item.value)})
            continue
        if fields and isinstance(item, ast.FunctionDef) and item.name == "__init__" and not item.decorator_list:
            # BaseException.__new__ keeps every argument of the call as e.args unless __init__ calls the base's.
            if not calls_super_init(item):
                problem = "an __init__ that does not call super().__init__(message) as a statement of its body (line %d)" % item.lineno
                break
            continue
        if fields and isinstance(item, ast.FunctionDef):
            continue  # a method (`__str__`, `__repr__`, any other), compiled as a class's (class_record)
        if not (doc or isinstance(item, ast.Pass) or passes_message_on(item)):
            problem = "a class body with more than a docstring, pass, constant class attributes, __init__ and methods (here: %s at line %d)" % (
                "def " + item.name if isinstance(item, ast.FunctionDef) else type(item).__name__, item.lineno)
            break
    if cls.keywords or cls.decorator_list:
        problem = "a class with keywords or decorators"
    # Methods need the instance, which an __init__ of the class or of a base with fields makes (with its message).
    own_init = any(isinstance(item, ast.FunctionDef) and item.name == "__init__" for item in cls.body)
    base_init = any(isinstance(b, ast.Name) and b.id in {c["name"] for c in exception_classes if c.get("fields")} for b in cls.bases)
    if fields and not problem and not own_init and not base_init:
        problem = "methods in an exception class without an __init__ (line %d)" % cls.lineno
    # `def __init__(self, message)`: the class then takes exactly one argument (trace.ts raise).
    init = next((item.args.args[1].arg for item in cls.body if passes_message_on(item)), None)
    return {"name": cls.name, "bases": bases, "span": span(cls), "problem": problem, "initParam": None if fields else init,
            "attrs": attrs, **({"fields": True} if fields else {})}


def is_exception_class(cls, exception_classes):
    """Whether a module-level class derives from a built-in exception or from an exception class defined above it:
    such a class is an exception kind of compiled code (trace.ts), the others are classes compiled to structs."""
    import builtins
    known = {c["name"] for c in exception_classes}
    for b in cls.bases:
        name = b.id if isinstance(b, ast.Name) else None
        if name in known:
            return True
        base = getattr(builtins, name, None) if name else None
        if isinstance(base, type) and issubclass(base, BaseException):
            return True
    return False


def parse_module(path, include_ast):
    with open(path, "rb") as f:
        source = f.read()
    text = source.decode("utf-8", errors="replace")
    tree = ast.parse(source, filename=path)
    imports, stars, import_lines = import_table(tree)
    consts = ModuleConstants(tree, imports)
    written = globals_written(tree)
    constants = {}
    functions = []
    exception_classes = []
    classes = {}
    for stmt in tree.body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            functions.append(function_record(stmt, imports, consts, include_ast))
        elif isinstance(stmt, ast.ClassDef) and is_exception_class(stmt, exception_classes):
            exception_classes.append(exception_class_record(stmt, exception_classes))
            for a in exception_classes[-1]["attrs"]:
                constants[f"{stmt.name}.{a['name']}"] = {"value": a["value"], "span": a["span"], "assignments": 1}
            if exception_classes[-1].get("fields"):
                # Its instances are objects of the class (fields, __init__), raised and caught as the exception.
                classes[stmt.name] = class_record(stmt, imports, consts, include_ast, functions)
        elif isinstance(stmt, ast.ClassDef) or namedtuple_class(stmt, imports):
            stmt = stmt if isinstance(stmt, ast.ClassDef) else namedtuple_class(stmt, imports)
            classes[stmt.name] = class_record(stmt, imports, consts, include_ast, functions)
            # Class attributes (`DIM = 2` in the body) are module constants named `Class.DIM` (read as Class.DIM or self.DIM).
            for a in classes[stmt.name]["attrs"]:
                constants[f"{stmt.name}.{a['name']}"] = {"value": a["value"], "span": a["span"], "assignments": 1}
        elif isinstance(stmt, (ast.Assign, ast.AnnAssign)):
            targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
            if stmt.value is None:
                continue
            literal = None
            if isinstance(stmt.value, ast.List):
                try:
                    literal = literal_json(constant_value(stmt.value, consts))
                except ValueError:
                    literal = None
            for t in targets:
                if isinstance(t, ast.Name):
                    prev = constants.get(t.id)
                    constants[t.id] = {"value": to_json(stmt.value), "span": span(stmt),
                                       "assignments": (prev["assignments"] + 1) if prev else 1}
                    if literal is not None:
                        constants[t.id]["literal"] = literal
        elif isinstance(stmt, ast.AugAssign) and isinstance(stmt.target, ast.Name) and stmt.target.id in constants:
            constants[stmt.target.id]["assignments"] += 1
    for name in written:
        if name in constants:
            constants[name]["writtenByFunctions"] = True
    return {
        "file": path,
        "imports": imports,
        "starImports": stars,
        "importLines": import_lines,
        "constants": constants,
        "functions": functions,
        "exceptionClasses": exception_classes,
        "classes": classes,
        "lines": text.splitlines(),
    }


def python_files(path):
    if os.path.isfile(path):
        yield path
        return
    for root, dirs, files in os.walk(path):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not d.startswith("."))
        for name in sorted(files):
            if name.endswith(".py"):
                yield os.path.join(root, name)


def error_record(path, exc):
    if isinstance(exc, SyntaxError):
        return {"file": path, "line": exc.lineno or 0, "col": exc.offset or 0,
                "message": f"{type(exc).__name__}: {exc.msg}"}
    return {"file": path, "line": 0, "col": 0, "message": f"{type(exc).__name__}: {exc}"}


def main(argv):
    cmd = argv[1] if len(argv) > 1 else ""
    if cmd == "discover":
        files, errors = [], []
        for root in argv[2:]:
            if not os.path.exists(root):
                errors.append({"file": root, "line": 0, "col": 0, "message": "no such file or directory"})
                continue
            for path in python_files(root):
                try:
                    mod = parse_module(path, include_ast=False)
                except Exception as exc:  # a broken file is reported, never fatal
                    errors.append(error_record(path, exc))
                    continue
                fns = [f for f in mod["functions"] if f["decorated"]]
                if fns:
                    files.append({"file": path, "imports": mod["imports"], "functions": fns})
        json.dump({"files": files, "errors": errors}, sys.stdout)
    elif cmd == "parse-many":
        results = []
        for path in argv[2:]:
            try:
                results.append({"module": parse_module(path, include_ast=True)})
            except Exception as exc:
                results.append({"error": error_record(path, exc)})
        json.dump({"results": results}, sys.stdout)
    elif cmd == "parse":
        path = argv[2]
        try:
            json.dump({"module": parse_module(path, include_ast=True)}, sys.stdout)
        except Exception as exc:
            json.dump({"error": error_record(path, exc)}, sys.stdout)
    else:
        sys.stderr.write(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
