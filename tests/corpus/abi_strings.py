"""Text across the boundary: list[str] parameters (in-out, as Python's caller sees them) and results, tuples holding
str, and str | None parameters and results, in the style of a small text toolkit (tokenizing, filtering,
lookups that find nothing, stacks of words)."""
from typing import Optional
from kiln import compile


@compile(examples=["the quick  brown fox", "", "  lead and trail  ", "one"])
def tokenize(text: str) -> list[str]:
    return text.split()


@compile(examples=[(["pear", "fig", "apple"], 4), ([], 1), (["a", "bb", "ccc"], 2)])
def longer_than(words: list[str], n: int) -> list[str]:
    return [w for w in words if len(w) > n]


@compile(examples=[(["b", "a", "c"], ", "), ([], "-"), (["solo"], "+")])
def join_sorted(words: list[str], sep: str) -> str:
    return sep.join(sorted(words))


@compile(examples=[["apple", "Apple", "apple", "pear", "pear"], []])
def dedupe(words: list[str]) -> list[str]:
    seen: set[str] = set()
    out: list[str] = []
    for w in words:
        if w not in seen:
            seen.add(w)
            out.append(w)
    return out


@compile(examples=[(["a", "b"], "c"), ([], "first")])
def push_word(stack: list[str], word: str) -> int:
    """Appends in place: the caller's list grows, as in Python."""
    stack.append(word)
    stack.append(word.upper())
    return len(stack)


@compile(examples=[["x", "y", "z"], []])
def pop_last(stack: list[str]) -> str:
    """IndexError on an empty list; the caller's list loses its last item."""
    return stack.pop()


@compile(examples=[(["b", "C", "a"],), (["zeta", "Alpha"],)])
def sort_in_place(words: list[str]) -> None:
    words.sort()
    words.reverse()


@compile(examples=[(["red", "green", "blue"], "green"), (["red"], "pink")])
def index_of(words: list[str], word: str) -> int:
    """ValueError "'pink' is not in list" when absent."""
    return words.index(word)


@compile(examples=[["ann", "bartholomew", "cy"], ["", "a"], []])
def longest_name(names: list[str]) -> tuple[str, int]:
    best = ""
    for n in names:
        if len(n) > len(best):
            best = n
    return best, len(names)


@compile(examples=["key=value", "novalue", "a=b=c", ""])
def split_pair(s: str) -> tuple[str, str, bool]:
    head, sep, tail = s.partition("=")
    return head, tail, sep == "="


@compile(examples=["a,b;c", ""])
def fields_and_count(line: str) -> tuple[list[str], int]:
    parts = line.replace(";", ",").split(",")
    return parts, len(parts)


@compile(examples=[(["alpha", "beta", "gamma"], "be"), (["alpha"], "z"), ([], "")])
def find_prefix(words: list[str], prefix: str) -> str | None:
    for w in words:
        if w.startswith(prefix):
            return w
    return None


@compile(examples=[None, "Ada", ""])
def greet(name: Optional[str]) -> str:
    if name is None:
        return "hello, stranger"
    return "hello, " + name + "!"


@compile(examples=[None, "  padded  ", "   ", "x"])
def strip_or_none(s: str | None) -> str | None:
    """None stays None; a blank string becomes None."""
    if s is None:
        return None
    t = s.strip()
    if not t:
        return None
    return t


@compile(examples=[("a b c", None), ("a b c", "-"), ("", None)])
def rejoin(text: str, sep: str | None) -> str:
    """str.split(None) splits on whitespace, as Python's."""
    return "|".join(text.split(sep)) if sep is not None else "_".join(text.split())


@compile(examples=[(["x", "y"], None), (["x"], "z"), ([], None)])
def append_optional(words: list[str], extra: str | None) -> list[str]:
    if extra is not None:
        words.append(extra)
    return words[::-1]
