"""Parsers and tokenizers: numbers with int()/float() (and their errors), expressions, key=value, durations."""
from kiln import compile


@compile(examples=["42", "  -17 ", "1_000", "0x1F", "abc", "", "12.5", "٣٤"])
def parse_int(s: str) -> int:
    return int(s)


@compile(examples=[("ff", 16), ("0b101", 0), ("777", 8), ("z", 36), ("12", 1), ("09", 0)])
def parse_int_base(s: str, base: int) -> int:
    return int(s, base)


@compile(examples=["3.14", "-1e-3", " inf ", "NaN", "1_0.5", "abc", "", "1e400", "0x10"])
def parse_float(s: str) -> float:
    return float(s)


@compile(examples=["12 + 34 - 5", "100-1-1", "7", "1 + x", "", "  8+  9  "])
def eval_sum(expr: str) -> int:
    """Adds and subtracts integers: a tokenizer over characters."""
    total = 0
    sign = 1
    num = ""
    for c in expr + "+":
        if c.isdigit():
            num += c
        elif c in "+-":
            if num == "":
                if c == "-":
                    sign = -sign
                continue
            total += sign * int(num)
            num = ""
            sign = 1 if c == "+" else -1
        elif c != " ":
            raise ValueError(f"unexpected character {c!r} in {expr!r}")
    return total


@compile(examples=["(1 + 2) * 3", "2 * (3 + 4) * 5", "10 / 4", "1 +", "((7))", "2 * (3", "8 / 0"])
def calc(expr: str) -> float:
    """A recursive-descent calculator over a token list."""
    tokens = tokenize(expr)
    value, pos = parse_expr(tokens, 0)
    if pos != len(tokens):
        raise ValueError(f"unexpected token {tokens[pos]!r}")
    return value


def tokenize(s: str) -> list[str]:
    tokens = []
    i = 0
    while i < len(s):
        c = s[i]
        if c.isspace():
            i += 1
        elif c.isdigit() or c == ".":
            j = i
            while j < len(s) and (s[j].isdigit() or s[j] == "."):
                j += 1
            tokens.append(s[i:j])
            i = j
        elif c in "+-*/()":
            tokens.append(c)
            i += 1
        else:
            raise ValueError(f"bad character {c!r}")
    return tokens


def parse_expr(tokens: list[str], pos: int) -> tuple[float, int]:
    value, pos = parse_term(tokens, pos)
    while pos < len(tokens) and tokens[pos] in ("+", "-"):
        op = tokens[pos]
        rhs, pos = parse_term(tokens, pos + 1)
        value = value + rhs if op == "+" else value - rhs
    return value, pos


def parse_term(tokens: list[str], pos: int) -> tuple[float, int]:
    value, pos = parse_atom(tokens, pos)
    while pos < len(tokens) and tokens[pos] in ("*", "/"):
        op = tokens[pos]
        rhs, pos = parse_atom(tokens, pos + 1)
        value = value * rhs if op == "*" else value / rhs
    return value, pos


def parse_atom(tokens: list[str], pos: int) -> tuple[float, int]:
    if pos >= len(tokens):
        raise ValueError("unexpected end of expression")
    t = tokens[pos]
    if t == "(":
        value, pos = parse_expr(tokens, pos + 1)
        if pos >= len(tokens) or tokens[pos] != ")":
            raise ValueError("missing )")
        return value, pos + 1
    return float(t), pos + 1


class Cursor:
    """A token cursor whose peek() is None at the end (`in` of a str | None against a tuple of str)."""

    def __init__(self, tokens: list[str]):
        self.tokens = tokens
        self.pos = 0

    def peek(self) -> str | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self) -> str:
        if self.pos >= len(self.tokens):
            raise EOFError("ran out of tokens")
        self.pos += 1
        return self.tokens[self.pos - 1]

    def sum_of_products(self) -> int:
        total = self.product()
        while self.peek() in ("+", "-"):
            sign = 1 if self.take() == "+" else -1
            total += sign * self.product()
        return total

    def product(self) -> int:
        value = self.atom()
        while self.peek() in ("*",):
            self.take()
            value *= self.atom()
        return value

    def atom(self) -> int:
        t = self.take()
        if not t.isdigit():
            raise SyntaxError(f"expected a number, got {t!r} at token {self.pos - 1}")
        return int(t)


@compile(examples=["2 * 3 + 4", "1 + 2 * 3 * 4 - 5", "7 -", "* 2", "3 4", ""])
def int_expression(expr: str) -> str:
    """SyntaxError and EOFError raised by the program, caught with their messages; leftover tokens are an error."""
    c = Cursor(tokenize(expr))
    try:
        value = c.sum_of_products()
        if c.peek() is not None:
            raise SyntaxError(f"unexpected {c.peek()!r}")
        return str(value)
    except (SyntaxError, EOFError) as e:
        return f"{type(e).__name__}: {e}"


@compile(examples=["name=Ada; age=36; lang=Python", "a=1;;b=2", "broken"])
def parse_pairs(s: str) -> str:
    keys = []
    values = []
    for item in s.split(";"):
        item = item.strip()
        if not item:
            continue
        if "=" not in item:
            raise ValueError(f"no '=' in {item!r}")
        k, _, v = item.partition("=")
        keys.append(k.strip())
        values.append(v.strip())
    return ", ".join([f"{k}:{v}" for k, v in zip(keys, values)])


@compile(examples=["1h30m", "45s", "2h5s", "1d", "90", "3m20"])
def duration_seconds(s: str) -> int:
    total = 0
    num = 0
    have = False
    for c in s:
        if "0" <= c <= "9":
            num = num * 10 + ord(c) - ord("0")
            have = True
        elif c in "hms" and have:
            total += num * (3600 if c == "h" else 60 if c == "m" else 1)
            num = 0
            have = False
        else:
            raise ValueError(f"invalid duration {s!r}")
    if have:
        raise ValueError(f"missing unit at the end of {s!r}")
    return total


@compile(examples=["MCMXCIV", "XLII", "iv", "MMXXVI", "IIII", "ABC", ""])
def roman_to_int(s: str) -> int:
    total = 0
    prev = 0
    for c in reversed(s.upper()):
        v = "IVXLCDM".find(c)
        if v < 0:
            raise ValueError(f"not a roman numeral: {s!r}")
        n = [1, 5, 10, 50, 100, 500, 1000][v]
        if n < prev:
            total -= n
        else:
            total += n
            prev = n
    return total


@compile(examples=[1994, 42, 3999, 1, 0, 4000])
def int_to_roman(n: int) -> str:
    if not 0 < n < 4000:
        raise ValueError("roman numerals cover 1 to 3999")
    values = [1000, 900, 500, 400, 100, 90, 50, 40, 10, 9, 5, 4, 1]
    symbols = ["M", "CM", "D", "CD", "C", "XC", "L", "XL", "X", "IX", "V", "IV", "I"]
    out = ""
    for value, sym in zip(values, symbols):
        while n >= value:
            out += sym
            n -= value
    return out


@compile(examples=["192.168.0.1", "256.1.1.1", "1.2.3", "01.2.3.4", "a.b.c.d", "0.0.0.0"])
def is_ipv4(s: str) -> bool:
    parts = s.split(".")
    if len(parts) != 4:
        return False
    for p in parts:
        if not p.isdigit() or not p.isascii() or len(p) > 3 or (len(p) > 1 and p[0] == "0"):
            return False
        if int(p) > 255:
            return False
    return True


@compile(examples=["3,4.5,-1", "1e3, 2", "x,1", ""])
def csv_floats_sum(line: str) -> float:
    total = 0.0
    for field in line.split(","):
        total += float(field)
    return total
