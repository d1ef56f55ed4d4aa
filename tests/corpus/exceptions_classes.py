"""The module's own exception classes: a tokenizer and a config reader that raise them, callers that catch them by
their class or by a built-in base, and errors that escape to the caller as the class itself."""
from kiln import compile


class LexError(ValueError):
    """A character the tokenizer does not know."""


class UnterminatedString(LexError):
    pass


class ConfigError(Exception):
    """A problem in a configuration text."""

    def __init__(self, message: str):
        super().__init__(message)


class MissingSetting(ConfigError):
    pass


class NoSuchEntry(KeyError):
    pass


def scan(text: str) -> list[str]:
    tokens = []
    i = 0
    while i < len(text):
        c = text[i]
        if c.isspace():
            i += 1
        elif c.isdigit():
            j = i
            while j < len(text) and text[j].isdigit():
                j += 1
            tokens.append(text[i:j])
            i = j
        elif c.isalpha():
            j = i
            while j < len(text) and text[j].isalnum():
                j += 1
            tokens.append(text[i:j])
            i = j
        elif c == '"':
            end = text.find('"', i + 1)
            if end < 0:
                raise UnterminatedString(f"string opened at {i} is not closed")
            tokens.append(text[i:end + 1])
            i = end + 1
        elif c in "+-*/=()":
            tokens.append(c)
            i += 1
        else:
            raise LexError(f"unexpected {c!r} at {i}")
    return tokens


@compile(examples=['x = 12 + y', 'a $ b', '"open', 's = "hi" + t', ''])
def count_tokens(text: str) -> int:
    """Tokens in the text, or a negative code for the error."""
    try:
        return len(scan(text))
    except UnterminatedString:
        return -2
    except LexError:
        return -1


@compile(examples=['x = 12 + y', 'a $ b', '"open', ''])
def tokens_or_error(text: str) -> str:
    try:
        return "|".join(scan(text))
    except ValueError as e:
        return f"{type(e).__name__}: {e}"


@compile(examples=['x = 1', 'a # b', '"open'])
def tokens_strict(text: str) -> int:
    """The error escapes as the module's class."""
    return len(scan(text))


@compile(examples=['a b c # d e', '1 2 # #', '"x', '" ok " $'])
def recover_lines(text: str) -> str:
    """Tokenizes each line alone; a bad line is skipped and counted."""
    good = 0
    bad = 0
    for line in text.split("#"):
        try:
            good += len(scan(line))
        except LexError:
            bad += 1
    return f"{good} tokens, {bad} bad lines"


def setting(config: str, key: str) -> str:
    for line in config.split(";"):
        parts = line.split("=")
        if len(parts) != 2:
            raise ConfigError(f"malformed line {line!r}")
        if parts[0].strip() == key:
            return parts[1].strip()
    raise MissingSetting(f"no setting {key!r}")


@compile(examples=[("a=1;b=2", "b"), ("a=1;b=2", "c"), ("a=1;b", "a"), ("a=1;b", "b"), ("", "x")])
def read_int(config: str, key: str) -> int:
    try:
        return int(setting(config, key))
    except MissingSetting:
        return 0
    except ConfigError as e:
        return -len(str(e))
    except ValueError:
        return -1


@compile(examples=[("a=1;b=2", "b"), ("a=1;b=2", "c"), ("a=1;b", "b")])
def read_strict(config: str, key: str) -> str:
    """MissingSetting and ConfigError reach the caller as themselves."""
    return setting(config, key)


@compile(examples=[("a=1;b=2", "b"), ("a=1;b=2", "zz"), ("q", "q")])
def read_with_default(config: str, key: str) -> str:
    try:
        value = setting(config, key)
    except MissingSetting:
        value = "default"
    except Exception as e:
        raise ConfigError("while reading " + key + ": " + str(e)) from e
    return value


@compile(examples=[0, 1, 2, 3])
def table_lookup(k: int) -> str:
    table = {"one": 1, "two": 2}
    names = ["zero", "one", "two", "three"]
    try:
        name = names[k]
        if name not in table:
            raise NoSuchEntry(name)
        return name + "=" + str(table[name])
    except NoSuchEntry as e:
        return "missing " + str(e)
    except LookupError:
        return "out of range"


@compile(examples=[0, 1, 2])
def entry_or_raise(k: int) -> int:
    table = {"one": 1}
    key = ["one", "two", "x"][k]
    if key not in table:
        raise NoSuchEntry(key)
    return table[key]


@compile(examples=['x = 1', 'a $ b', '"open', ("a=1;b=2"), ("q")])
def diagnose(text: str) -> str:
    """One handler for everything, sorted out with isinstance as a report would."""
    try:
        if "=" in text and ";" in text:
            return setting(text, "zz")
        return str(len(scan(text)))
    except Exception as e:
        if isinstance(e, UnterminatedString):
            kind = "unterminated"
        elif isinstance(e, (LexError, MissingSetting)):
            kind = "lex or missing"
        elif isinstance(e, LookupError):
            kind = "lookup"
        else:
            kind = "other"
        return f"{kind}: {type(e).__name__}: {e}"


# ---- an exception class raised by the methods of a class compiled to a struct ----


class StackEmpty(IndexError):
    """Popped an empty stack."""


class IntStack:
    def __init__(self):
        self.items = [0]
        self.items.pop()
        self.size = 0

    def push(self, x: int) -> None:
        self.items.append(x)
        self.size += 1

    def pop(self) -> int:
        if self.size == 0:
            raise StackEmpty("pop from empty stack")
        self.size -= 1
        return self.items.pop()


@compile(examples=["1 2 + 3 *", "1 +", "4 2 -", ""])
def rpn_eval(expr: str) -> int:
    st = IntStack()
    try:
        for tok in expr.split():
            if tok == "+":
                st.push(st.pop() + st.pop())
            elif tok == "*":
                st.push(st.pop() * st.pop())
            elif tok == "-":
                b = st.pop()
                st.push(st.pop() - b)
            else:
                st.push(int(tok))
        return st.pop() * 10 + st.size
    except StackEmpty as e:
        return -len(str(e))
    except LookupError:
        return -1000


# ---- the caught exception's arguments: e.args, repr(e), for none, one and several arguments ----


def failing(k: int, text: str) -> int:
    """Raises a different exception for each k (0..9), or returns."""
    if k == 0:
        raise ValueError(text)
    if k == 1:
        raise ValueError()
    if k == 2:
        raise ConfigError(text, "it's", "")
    if k == 3:
        raise NoSuchEntry(text)
    if k == 4:
        raise LexError("")
    if k == 5:
        table = {"one": 1}
        return table[text]
    if k == 6:
        assert len(text) > 99
    if k == 7:
        raise UnterminatedString
    if k == 8:
        return [1, 2][len(text)]
    return len(text)


@compile(examples=[(0, "bad"), (1, "x"), (2, "a'b"), (3, "key"), (4, ""), (5, 'q"\n\\'), (6, "t"), (7, ""), (8, "abc"), (9, "ok")])
def describe_error(k: int, text: str) -> str:
    """What a report prints of an exception: class, str, repr, its args and how many."""
    try:
        return str(failing(k % 10, text))
    except Exception as e:
        return f"{type(e).__name__}|{e}|{e!r}|{e.args}|{len(e.args)}|{repr(e.args)}"


@compile(examples=[(0, "bad"), (1, "x"), (2, "a'b"), (3, "key"), (4, ""), (5, "k\u00e9y"), (7, ""), (9, "ok")])
def first_argument(k: int, text: str) -> str:
    """e.args[0] is the message (a KeyError's key itself, not its repr); no arguments: IndexError, as CPython's."""
    try:
        return str(failing(k % 10, text))
    except LookupError as e:
        return "lookup " + e.args[0] + " " + repr(e)
    except ValueError as e:
        try:
            return e.args[0] + "|" + e.args[-1] + "|" + str(len(e.args))
        except IndexError as inner:
            return f"{type(e).__name__} has no args: {inner}"


@compile(examples=[(1, "x"), (2, "y"), (4, ""), (0, "z")])
def args_after_finally(k: int, text: str) -> str:
    """A re-raised exception keeps its arguments, across a finally clause that runs compiled code (which catches)."""
    seen = 0
    try:
        try:
            failing(k % 10, text)
        except ValueError:
            raise
        finally:
            seen += count_tokens("a $ b")
    except Exception as e:
        return f"{e!r} {len(e.args)} {seen}"
    return "none"


# ---- class attributes of exception classes, read from the caught exception by its class ----


class HttpError(Exception):
    """An HTTP failure with its status."""
    status = 500
    reason = "server error"


class NotFound(HttpError):
    status = 404
    reason = "not found"


class Gone(NotFound):
    status = 410


def fetch(path: str) -> str:
    if path == "/missing":
        raise NotFound(path)
    if path == "/old":
        raise Gone(path)
    if path == "/boom":
        raise HttpError("boom", path)
    if path.startswith("/config"):
        return setting(path, "x")
    return "ok " + path


@compile(examples=["/missing", "/old", "/boom", "/x", "/config", "/config=1"])
def status_line(path: str) -> str:
    """e.status is its class's (or the nearest base's); a class without one is CPython's AttributeError."""
    try:
        return fetch(path)
    except NotFound as e:
        return f"{e.status} {e.reason} ({e.args[0]}, default {HttpError.status})"
    except Exception as e:
        try:
            return f"{e.status} {e.reason}: {e!r}"
        except AttributeError as missing:
            return str(missing)


# ---- exception classes with fields: the instance is raised, caught (e.line), and reaches the caller ----


class SourceError(ValueError):
    """An error at a place of a source text."""

    def __init__(self, message: str, line: int, column: int):
        super().__init__(message)
        self.line = line
        self.column = column


class UnknownOpcode(SourceError):
    def __init__(self, opcode: str, line: int):
        super().__init__(f"unknown opcode {opcode!r}", line, 1)
        self.opcode = opcode


class StackUnderflow(SourceError):
    pass


def assemble(program: str) -> list[int]:
    """A tiny stack-machine assembler: `push N`, `add`, `mul`, `dup` per line; SourceErrors say where."""
    depth = 0
    code = []
    for number, line in enumerate(program.split("\n")):
        words = line.split()
        if not words:
            continue
        op = words[0]
        if op == "push":
            if len(words) != 2 or not words[1].lstrip("-").isdigit():
                raise SourceError("push takes an integer", number + 1, len(op) + 2)
            code.append(int(words[1]))
            depth += 1
        elif op in ("add", "mul"):
            if depth < 2:
                raise StackUnderflow(f"{op} needs two values, the stack has {depth}", number + 1, 1)
            code.append(-1 if op == "add" else -2)
            depth -= 1
        elif op == "dup":
            if depth < 1:
                raise StackUnderflow("dup of an empty stack", number + 1, 1)
            code.append(-3)
            depth += 1
        else:
            raise UnknownOpcode(op, number + 1)
    return code


@compile(examples=["push 2\npush 3\nadd", "push 2\nadd", "push x", "\n\njmp 4", "push 1\ndup\nmul\n", ""])
def assemble_report(program: str) -> str:
    """A compiler's error line: the class, the place and the message, from the fields of the caught exception."""
    try:
        return f"ok: {len(assemble(program))} words"
    except UnknownOpcode as e:
        return f"{e.line}:{e.column}: no such opcode {e.opcode} ({e})"
    except SourceError as e:
        return f"{e.line}:{e.column}: {type(e).__name__}: {e} {e.args} {e!r}"


@compile(examples=["push 2\npush 3\nadd", "push 2\nadd", "push 1\n\nret"])
def assemble_strict(program: str) -> int:
    """A SourceError leaves the compiled call as itself: CPython's class and message."""
    return len(assemble(program))


@compile(examples=[("push 1|push 2\nadd|dup|push 5\ndup\nmul|halt"), ("push q|add"), ("")])
def assemble_all(programs: str) -> str:
    """Assembles each program of a batch; the errors are collected with their line numbers, the good ones counted."""
    good = 0
    lines: list[int] = []
    messages = []
    for program in programs.split("|"):
        try:
            good += len(assemble(program))
        except SourceError as e:
            lines.append(e.line)
            messages.append(str(e))
    where = " ".join([str(n) for n in lines])
    return f"{good} words; errors at lines {where}: {'; '.join(messages)}"


@compile(examples=["push 2\nadd", "push 1\npush 1\nadd", "nop", "push"])
def assemble_logged(program: str) -> str:
    """The exception passes a finally clause that runs compiled code, and a bare raise, and keeps its fields."""
    log = []
    try:
        try:
            assemble(program)
            log.append("assembled")
        except StackUnderflow:
            log.append("underflow")
            raise
        finally:
            log.append(f"checked {count_tokens(program)}")
    except SourceError as e:
        log.append(f"{type(e).__name__}@{e.line}:{e.column}")
    return ", ".join(log)


@compile(examples=["push 1\npush 2", "push 1\nzap 3", "mul"])
def assemble_or_wrap(program: str) -> int:
    """A SourceError caught and raised again as another class with the place in its message (raise ... from e)."""
    try:
        return len(assemble(program))
    except UnknownOpcode as e:
        raise ConfigError(f"line {e.line}: {e.opcode} is not an opcode") from e


class RateLimited(RuntimeError):
    """A server's answer: try again after some seconds."""

    def __init__(self, retry_after: int):
        super().__init__(f"rate limited, retry after {retry_after}s")
        self.retry_after = retry_after


def request(attempt: int, budget: int) -> str:
    if attempt < budget:
        raise RateLimited(2 ** attempt)
    if attempt > 6:
        raise SourceError("bad reply", attempt, 0)
    return f"ok after {attempt} retries"


@compile(examples=[(0, 0), (3, 10), (9, 20), (2, 7)])
def fetch_with_retry(budget: int, limit: int) -> str:
    """A retry loop that waits what each RateLimited asks for; other errors pass through a cleanup and are reported."""
    waited = 0
    for attempt in range(min(limit, 12)):
        try:
            try:
                return f"{request(attempt, budget)}, waited {waited}s"
            except Exception:
                waited += 100
                raise
        except RateLimited as e:
            waited += e.retry_after - 100
        except SourceError as e:
            return f"gave up at line {e.line}: {e}, waited {waited}s"
    return f"no answer, waited {waited}s"


# Exception classes with methods: __str__ is str(e), f"{e}" and the message an uncaught error shows; __repr__ and
# other methods are called on e in a clause that names the class.


class LineError(ValueError):
    def __init__(self, message: str, line: int):
        super().__init__(message)
        self.line = line
        self.message = message

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"

    def shifted(self, k: int) -> int:
        return self.line + k


class BadName(LineError):
    def __repr__(self) -> str:
        return f"BadName(line={self.line})"


def check_lines(text: str) -> int:
    n = 0
    for i, line in enumerate(text.split(";")):
        if line == "":
            raise LineError("empty line", i + 1)
        if not line.isidentifier():
            raise BadName(f"bad name {line!r}", i + 1)
        n += len(line)
    return n


@compile(examples=["a;b", "a;;b", "", "ab;c"])
def describe_line_error(text: str) -> str:
    """str(e), f"{e}" and a method of the class a clause names; e.args is the argument __init__ gave its base."""
    try:
        return str(check_lines(text))
    except BadName as e:
        return f"{e!r} | {e} | {e.shifted(100)}"
    except LineError as e:
        return f"{str(e)} | {e.args[0]} | {len(e.args)} | {repr(e)} | {e.shifted(10)}"


@compile(examples=["a;b", "a;;b", "x;1y", "ok;9"])
def describe_any_error(text: str) -> str:
    """A clause naming a built-in base sees str(e) through the class's __str__."""
    try:
        return str(check_lines(text))
    except ValueError as e:
        return f"{type(e).__name__}: {e}"


@compile(examples=["a;b", "a;;b", "1x"])
def check_lines_strict(text: str) -> int:
    """The error reaches the caller with its __str__ as the message."""
    return check_lines(text)


class Unprintable(ValueError):
    """A __str__ that raises (width 0): the exception is raised all the same, as CPython's."""

    def __init__(self, message: str, width: int):
        super().__init__(message)
        self.width = width

    def __str__(self) -> str:
        return f"{self.width}: " + "x" * (10 // self.width)


def fit(text: str, width: int) -> int:
    if len(text) > width:
        raise Unprintable(text, width)
    return len(text)


@compile(examples=[("abc", 5), ("abcdef", 3), ("abc", 0)])
def fit_or_raise(text: str, width: int) -> int:
    """Uncaught: its text is what CPython's traceback prints when __str__ fails."""
    return fit(text, width)


@compile(examples=[("abc", 5), ("abcdef", 3), ("abc", 0)])
def fit_caught(text: str, width: int) -> str:
    """Caught by its class, then by a base: str(e) calls the failing __str__ again and raises what it raises."""
    try:
        return str(fit(text, width))
    except Unprintable as e:
        try:
            return f"width {e.width}: {e}"
        except ZeroDivisionError as z:
            return f"width {e.width}, str(e) failed: {z}"


@compile(examples=[("abc", 5), ("abc", 0)])
def fit_kind(text: str, width: int) -> str:
    try:
        return str(fit(text, width))
    except ValueError as e:
        return type(e).__name__
