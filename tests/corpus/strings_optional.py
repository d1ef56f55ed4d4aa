"""str | None: searches that return None when they find no word, sentinels that start as None and later hold a
string, narrowing by `is None` / `is not None` and by truth (held as the string's pointer, NULL for None)."""
from typing import Optional
from kiln import compile


def first_long_word(words: list[str], n: int) -> str | None:
    for w in words:
        if len(w) >= n:
            return w
    return None


@compile(examples=[("alpha be gamma", 4), ("a b", 3), ("", 1)])
def describe_first_long(text: str, n: int) -> str:
    w = first_long_word(text.split(), n)
    if w is None:
        return "none"
    return w.upper() + "!"


@compile(examples=[("abc", True), ("abc", False)])
def pick_repeated(s: str, flag: bool) -> int:
    best: str | None = None
    if flag:
        best = s * 2
    total = 0
    for _ in range(3):
        if best is not None:
            total += len(best)
        best = None if best else s
    return total


@compile(examples=[("a b a c b a",)])
def collapse_repeats(text: str) -> str:
    prev = None
    out = ""
    for w in text.split():
        if prev is not None and prev == w:
            out += "="
        else:
            out += w
        prev = w
    return out + str(prev)


def greeting(name: Optional[str] = None, punct: str | None = None) -> str:
    who = name if name is not None else "stranger"
    return "Hello, " + who + (punct or ".")


@compile(examples=["ann", "", "bob!"])
def greet_all(names: str) -> str:
    out = greeting() + " " + greeting(punct="!")
    for n in names.split(","):
        out += " " + greeting(n if n else None, "!" if n.endswith("!") else None)
    return out


@compile(examples=["key=value\n# comment\nother = 2\nbroken", "", "a=1\na=2"])
def last_assignment(config: str) -> str:
    """The last key seen, and the first line that is not an assignment (None until one appears)."""
    last_key: str | None = None
    first_bad = None
    for line in config.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        key, sep, _ = line.partition("=")
        if sep:
            last_key = key.strip()
        elif first_bad is None:
            first_bad = line
    return f"{last_key!r} {first_bad!r}"
