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
