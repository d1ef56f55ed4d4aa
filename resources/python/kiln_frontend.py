"""Kiln's Python frontend: reads Python source with `ast` and prints JSON.

It never imports or runs the user's code. Commands (argv[1]):
  discover PATH...   decorated functions of every .py file under each PATH
  parse FILE         the whole module: imports, module constants, every function's AST
  parse-many FILE... the same for several modules of a project at once (one Python start)
Output is one JSON document on stdout.
"""
import ast
import json
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
        return {"_t": "complex", "real": node.real, "imag": node.imag}
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


def decorator_info(dec, imports):
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
            try:
                options[kw.arg] = literal_json(constant_value(kw.value))
            except ValueError as e:
                problems.append(f"@compile({kw.arg}=...) at line {getattr(e, 'lineno', kw.value.lineno)}: {e}")
    return {"module": dotted.split(".")[0], "options": options, "problems": problems, "span": span(dec)}


_BINOPS = {
    ast.Add: lambda a, b: a + b, ast.Sub: lambda a, b: a - b, ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b, ast.FloorDiv: lambda a, b: a // b, ast.Mod: lambda a, b: a % b,
    ast.Pow: lambda a, b: a ** b,
}


def constant_value(node):
    """A literal, or arithmetic on literals such as `2 ** 62` or `-1e-3 * 4`, evaluated without running the
    module. Anything else (a name, a call) raises ValueError saying what, with its line."""
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
        if isinstance(n, ast.UnaryOp) and isinstance(n.op, (ast.USub, ast.UAdd)):
            v = ev(n.operand)
            if isinstance(v, bool) or not isinstance(v, (int, float)):
                raise fail(n, "unary minus/plus applies to numbers only")
            return -v if isinstance(n.op, ast.USub) else +v
        if isinstance(n, ast.BinOp) and type(n.op) in _BINOPS:
            a, b = ev(n.left), ev(n.right)
            if any(isinstance(v, bool) or not isinstance(v, (int, float)) for v in (a, b)):
                raise fail(n, "arithmetic applies to numbers only")
            if isinstance(n.op, ast.Pow) and isinstance(a, int) and isinstance(b, int) and b > 0 and abs(a) > 1 and b * abs(a).bit_length() > 4096:
                raise fail(n, "the power is too large to evaluate here (over 4096 bits)")
            try:
                return _BINOPS[type(n.op)](a, b)
            except (ArithmeticError, ValueError) as e:
                raise fail(n, f"{ast.unparse(n)} raises {type(e).__name__}: {e}")
        if isinstance(n, ast.Name):
            raise fail(n, f"the name {n.id} is not evaluated (Kiln reads the file without running it); write its value")
        raise fail(n, f"{ast.unparse(n)} is not a literal or arithmetic on literals")

    return ev(node)


def literal_json(value):
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int):
        return {"_t": "int", "dec": str(value)}
    if isinstance(value, float):
        return {"_t": "float", "hex": value.hex(), "repr": repr(value)}
    if isinstance(value, bytes):
        return {"_t": "bytes", "hex": value.hex()}
    if isinstance(value, (list, tuple)):
        return {"_t": type(value).__name__, "items": [literal_json(v) for v in value]}
    if isinstance(value, dict):
        return {"_t": "dict", "items": [[literal_json(k), literal_json(v)] for k, v in value.items()]}
    return {"_t": "unsupported", "repr": repr(value)}


def signature(fn):
    parts = []
    for a in fn.args.args:
        parts.append(a.arg + (": " + ast.unparse(a.annotation) if a.annotation else ""))
    ret = (" -> " + ast.unparse(fn.returns)) if fn.returns else ""
    return f"{fn.name}({', '.join(parts)}){ret}"


def function_record(fn, imports, include_ast):
    decorators = [d for d in (decorator_info(x, imports) for x in fn.decorator_list) if d]
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
        "params": [
            {"name": a.arg, "annotation": ast.unparse(a.annotation) if a.annotation else None,
             "annotationAst": to_json(a.annotation), "span": span(a)}
            for a in fn.args.args
        ],
        "returns": ast.unparse(fn.returns) if fn.returns else None,
        "returnsAst": to_json(fn.returns),
        "unsupportedParams": [
            kind for kind, present in (
                ("positional-only parameters", fn.args.posonlyargs),
                ("*args", fn.args.vararg),
                ("keyword-only parameters", fn.args.kwonlyargs),
                ("**kwargs", fn.args.kwarg),
                ("default values", fn.args.defaults),
            ) if present
        ],
    }
    if include_ast:
        rec["body"] = to_json(fn.body)
    return rec


def parse_module(path, include_ast):
    with open(path, "rb") as f:
        source = f.read()
    text = source.decode("utf-8", errors="replace")
    tree = ast.parse(source, filename=path)
    imports, stars, import_lines = import_table(tree)
    constants = {}
    functions = []
    for stmt in tree.body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            functions.append(function_record(stmt, imports, include_ast))
        elif isinstance(stmt, (ast.Assign, ast.AnnAssign)):
            targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
            if stmt.value is None:
                continue
            for t in targets:
                if isinstance(t, ast.Name):
                    prev = constants.get(t.id)
                    constants[t.id] = {"value": to_json(stmt.value), "span": span(stmt),
                                       "assignments": (prev["assignments"] + 1) if prev else 1}
        elif isinstance(stmt, ast.AugAssign) and isinstance(stmt.target, ast.Name) and stmt.target.id in constants:
            constants[stmt.target.id]["assignments"] += 1
    return {
        "file": path,
        "imports": imports,
        "starImports": stars,
        "importLines": import_lines,
        "constants": constants,
        "functions": functions,
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
