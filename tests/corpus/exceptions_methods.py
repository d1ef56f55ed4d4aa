"""Exception classes with methods (__str__, __repr__, helpers), and recursive generators that return values, call
each other, or fail inside: str(e), repr(e), the message of an error that escapes, UnboundLocalError and tracebacks
as CPython gives them."""
from kiln import compile


class SourceError(ValueError):
    def __init__(self, message: str, line: int):
        super().__init__(message)
        self.line = line
        self.message = message

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"

    def shifted(self, k: int) -> int:
        return self.line + k


class BadName(SourceError):
    def __repr__(self) -> str:
        return f"BadName(line={self.line})"


def check(text: str) -> int:
    n = 0
    for i, line in enumerate(text.split(";")):
        if line == "":
            raise SourceError("empty line", i + 1)
        if not line.isidentifier():
            raise BadName(f"bad name {line!r}", i + 1)
        n += len(line)
    return n


@compile(examples=["a;b", "a;;b", "", "ab;c"])
def describe(text: str) -> str:
    """str(e), f"{e}" and a method of the class a clause names; e.args is the argument __init__ gave its base."""
    try:
        return str(check(text))
    except BadName as e:
        return f"{e!r} | {e} | {e.shifted(100)}"
    except SourceError as e:
        return f"{str(e)} | {e.args[0]} | {len(e.args)} | {repr(e)} | {e.shifted(10)}"


@compile(examples=["a;b", "a;;b", "x;1y", "ok;9"])
def describe_any(text: str) -> str:
    """A clause naming a built-in base sees str(e) through the class's __str__."""
    try:
        return str(check(text))
    except ValueError as e:
        return f"{type(e).__name__}: {e}"


@compile(examples=["a;b", "a;;b", "1x"])
def check_strict(text: str) -> int:
    """The error reaches the caller with its __str__ as the message."""
    return check(text)


def count_leaves(depth: int):
    """The leaves of a full binary tree, each yielded as 1; returns how many there were."""
    if depth == 0:
        yield 1
        return 1
    left = yield from count_leaves(depth - 1)
    right = yield from count_leaves(depth - 1)
    return left + right


@compile(examples=[0, 1, 3, 6])
def leaves(depth: int) -> int:
    total = 0
    for v in count_leaves(max(0, min(depth, 8))):
        total += v
    return total


def downs(n: int):
    if n >= 0:
        yield n
        yield from ups(n - 1)


def ups(n: int):
    if n >= 0:
        yield -n
        yield from downs(n - 1)


@compile(examples=[0, 1, 4, 9])
def alternating(n: int) -> list[int]:
    """Two generators that call each other: each level its own frame."""
    return [x for x in downs(min(n, 40))]


def marks(n: int, seed: bool):
    if n > 0:
        yield from marks(n - 1, seed)
    if seed and n == 0:
        first = 5
    if n == 1:
        yield first
    yield n


@compile(examples=[(0, True), (2, True), (2, False), (3, False)])
def marks_total(n: int, seed: bool) -> int:
    """A local read before it is assigned, one level down: UnboundLocalError."""
    total = 0
    for v in marks(min(n, 20), seed):
        total += v
    return total


def ratios(n: int):
    if n > 0:
        yield from ratios(n - 1)
    yield 10 // (n - 2)


@compile(examples=[0, 1, 3])
def ratio_sum(n: int) -> int:
    """ZeroDivisionError two levels down (the traceback names ratios at each level)."""
    total = 0
    for v in ratios(min(n, 20)):
        total += v
    return total
