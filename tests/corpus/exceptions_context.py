"""Context managers as real code writes them: a transaction that rolls back, an indenting writer, a resource pool,
an error collector that suppresses what it records, nested and in loops with break/continue/return, and
@contextmanager generators with try/finally and try/except around their yield (ir/trace.ts withStmt)."""
import contextlib
from contextlib import contextmanager, suppress
from kiln import compile


class LedgerError(ValueError):
    """An entry the ledger refuses."""


class Transaction:
    """Applies changes to a balance sheet; rolls them all back when the block raises."""

    def __init__(self, balances: dict[str, int], journal: list[str]) -> None:
        self.balances = balances
        self.journal = journal
        self.saved = dict(balances)

    def __enter__(self) -> "Transaction":
        self.saved = dict(self.balances)
        self.journal.append("begin")
        return self

    def move(self, src: str, dst: str, amount: int) -> None:
        if amount <= 0:
            raise LedgerError(f"amount must be positive, got {amount}")
        if self.balances[src] < amount:
            raise LedgerError(f"{src} has {self.balances[src]}, needs {amount}")
        self.balances[src] -= amount
        self.balances[dst] = self.balances.get(dst, 0) + amount

    def __exit__(self, exc_type, exc, tb) -> bool:
        if exc is None:
            self.journal.append("commit")
            return False
        self.balances.clear()
        self.balances.update(self.saved)
        self.journal.append(f"rollback ({type(exc).__name__}: {exc})")
        return isinstance(exc, LedgerError)


@compile(examples=["a>b:5,b>c:3;b>c:30;a>c:1", "a>b:5,b>c:30", "a>b:0", "a>z:1,q>a:1", "", "a>b:x"])
def apply_transfers(spec: str) -> str:
    """Each batch is one transaction: a refused entry rolls the batch back and the next batch goes on."""
    balances = {"a": 10, "b": 0, "c": 1}
    journal: list[str] = []
    for batch in spec.split(";"):
        with Transaction(balances, journal) as t:
            for entry in batch.split(","):
                if not entry:
                    continue
                route, amount = entry.split(":")
                src, dst = route.split(">")
                t.move(src, dst, int(amount))
    return " ".join(journal) + " | " + ",".join(f"{k}={v}" for k, v in sorted(balances.items()))


class Indent:
    """An indenting code writer: `with w.block("if x:"):` indents what is written inside."""

    def __init__(self) -> None:
        self.depth = 0
        self.lines: list[str] = []

    def write(self, text: str) -> None:
        self.lines.append("    " * self.depth + text)

    def __enter__(self) -> "Indent":
        self.depth += 1
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        self.depth -= 1


@compile(examples=[0, 1, 3, 5])
def emit_loops(n: int) -> str:
    """Generated code for n nested loops, each body indented by the writer."""
    w = Indent()
    w.write("def f():")
    with w:
        w.write("total = 0")
        for level in range(n):
            w.write(f"for i{level} in range({level + 2}):")
            w.depth += 1
        w.write("total += 1")
        w.depth -= n
        w.write("return total")
    w.write("# end")
    return "\n".join(w.lines)


class Pool:
    """A fixed number of connections; a with block holds one and gives it back on every way out."""

    def __init__(self, size: int) -> None:
        self.free = size
        self.peak = 0
        self.log: list[str] = []

    def __enter__(self) -> int:
        if self.free == 0:
            raise RuntimeError("pool exhausted")
        self.free -= 1
        self.peak = max(self.peak, self.free)
        return self.free

    def __exit__(self, exc_type, exc, tb) -> bool:
        self.free += 1
        if exc_type is not None:
            self.log.append(f"released after {type(exc).__name__}")
        return False


def first_multiple(pool: Pool, xs: list[int], k: int) -> int:
    for x in xs:
        with pool as conn:
            if x == 0:
                continue
            if x % k == 0:
                return x * 100 + conn
            if x < 0:
                break
    return -1


@compile(examples=[([3, 0, 4, 6, 9], 3), ([1, 2, -1, 6], 3), ([], 2), ([5, 0, 7], 0), ([8], 4)])
def pooled_search(xs: list[int], k: int) -> str:
    """return, break and continue out of a with give the connection back; so does an exception (k == 0)."""
    pool = Pool(2)
    try:
        found = first_multiple(pool, xs, k)
    except ZeroDivisionError as e:
        return f"error {e}; free {pool.free}; " + ",".join(pool.log)
    return f"{found}; free {pool.free}; " + ",".join(pool.log)


@compile(examples=[0, 1, 2, 3])
def nested_pools(depth: int) -> str:
    """Entering more connections than the pool has raises in __enter__: its own __exit__ is not called."""
    pool = Pool(2)
    out: list[str] = []
    try:
        with pool as a:
            out.append(f"a{a}")
            if depth > 1:
                with pool as b, pool as c:
                    out.append(f"b{b}c{c}")
            out.append(f"free {pool.free}")
    except RuntimeError as e:
        out.append(str(e))
    out.append(f"end free {pool.free}")
    return " ".join(out)


class Collector:
    """Records the errors of the checks run inside it and suppresses the ones it is told to."""

    def __init__(self, errors: list[str], suppress: bool) -> None:
        self.errors = errors
        self.suppress = suppress

    def __enter__(self) -> None:
        return None

    def __exit__(self, exc_type, exc, tb) -> bool:
        if exc_type is None:
            return False
        if issubclass(exc_type, (ValueError, KeyError)):
            self.errors.append(f"{type(exc).__name__}: {exc}")
            return self.suppress
        return False


@compile(examples=[("x=1;y=two;z=3", True), ("x=1;y=two", False), ("a=1;;b=2", True), ("q=5", True), ("n=0", True)])
def validate(config: str, lenient: bool) -> str:
    """Each setting is checked in its own collector: lenient mode records and goes on, strict mode stops at the first."""
    errors: list[str] = []
    values: dict[str, int] = {}
    try:
        for item in config.split(";"):
            with Collector(errors, lenient):
                key, text = item.split("=")
                values[key] = 100 // int(text)
    except (ValueError, ZeroDivisionError) as e:
        return f"stopped: {type(e).__name__}: {e} after " + "; ".join(errors)
    return ",".join(f"{k}={v}" for k, v in values.items()) + " | " + "; ".join(errors)


@contextmanager
def tag(out: list[str], name: str):
    out.append(f"<{name}>")
    try:
        yield len(out)
    finally:
        out.append(f"</{name}>")


@contextmanager
def skipping(out: list[str], what: str):
    try:
        yield
    except ValueError as e:
        out.append(f"<!-- skipped {what}: {e} -->")


@compile(examples=["3,4;x,5;6", "", "1;2;3", "7,y"])
def render_table(csv: str) -> str:
    """An HTML table written with @contextmanager tags; a row that does not parse is skipped with a comment."""
    out: list[str] = []
    with tag(out, "table") as opened:
        for line in csv.split(";"):
            with skipping(out, "row"):
                cells = [int(c) for c in line.split(",")]
                with tag(out, "tr"):
                    for c in cells:
                        with tag(out, "td") as at:
                            out.append(str(c * at))
        out.append(f"opened at {opened}")
    return "".join(out)


@contextmanager
def checked(out: list[str], limit: int):
    if limit < 0:
        raise ValueError("negative limit")
    try:
        out.append("open")
        yield limit
    except ZeroDivisionError:
        out.append("recovered")
    out.append("closed")


@compile(examples=[(5, 1), (5, 0), (-1, 1), (0, 0)])
def checked_division(limit: int, d: int) -> str:
    """The generator's code after the try runs when the block ends or its error is recovered; not when it raises first."""
    out: list[str] = []
    try:
        with checked(out, limit) as lim:
            out.append(str(lim // d))
    except ValueError as e:
        out.append(f"error: {e}")
    return ",".join(out)


def batches(pool: Pool, xs: list[int], size: int):
    """The sum of each batch, computed while holding a connection; the yield comes after the with."""
    for start in range(0, len(xs), size):
        with pool as conn:
            total = sum(xs[start:start + size]) * 10 + conn
        yield total


@compile(examples=[([1, 2, 3, 4, 5], 2), ([], 3), ([7], 1), ([1, 2], 0)])
def batch_sums(xs: list[int], size: int) -> str:
    """A generator with a with statement, consumed by a comprehension and read with next()."""
    pool = Pool(1)
    sums = [s for s in batches(pool, xs, size)]
    g = batches(pool, xs, size)
    first = next(g, -1)
    return ",".join(str(s) for s in sums) + f" first {first} free {pool.free}"


@compile(examples=["1,2,x,4", "", "7,,8", "a,b", "5,0,3"])
def lenient_average(csv: str) -> str:
    """contextlib.suppress around one step: a bad field is skipped, a zero divisor ends the run (suppressed with the
    next item of the same with, a Pool), and suppress() with no class suppresses nothing."""
    total = 0
    count = 0
    pool = Pool(1)
    with contextlib.suppress(ZeroDivisionError), pool as conn:
        for field in csv.split(","):
            with suppress(ValueError, KeyError):
                v = int(field)
                total += 100 // v
                count += 1
        with suppress():
            total += conn
    return f"{total}/{count} free {pool.free} " + ",".join(pool.log)
