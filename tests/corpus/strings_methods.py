"""The str methods, one small text utility each: splitting, searching, trimming, padding, case."""
from kiln import compile


@compile(examples=[("a,b,,c", ","), ("one  two\tthree", " "), ("x", "")])
def split_count(s: str, sep: str) -> int:
    return len(s.split(sep))


@compile(examples=["  many   spaces here  ", "", "one"])
def normalize_spaces(s: str) -> str:
    return " ".join(s.split())


@compile(examples=[("a=1;b=2;c=3", 1), ("k=v", 0), ("no separators", 5)])
def split_limited(s: str, n: int) -> str:
    parts = s.split(";", n)
    right = s.rsplit("=", 1)
    return "|".join(parts) + " / " + "|".join(right)


@compile(examples=["line one\nline two\r\nline three\n", "", "single"])
def line_lengths(s: str) -> str:
    out = []
    for line in s.splitlines():
        out.append(str(len(line)))
    kept = s.splitlines(keepends=True)
    return ",".join(out) + f" ({len(kept)} with ends)"


@compile(examples=[("xxhixx", "x"), ("  hi  ", ""), ("abcba", "ab")])
def strip_all(s: str, chars: str) -> str:
    if chars == "":
        return "[" + s.strip() + "][" + s.lstrip() + "][" + s.rstrip() + "]"
    return "[" + s.strip(chars) + "][" + s.lstrip(chars) + "][" + s.rstrip(chars) + "]"


@compile(examples=[("banana", "an"), ("aaaa", "aa"), ("hello", ""), ("hello", "z")])
def search_report(s: str, sub: str) -> str:
    return f"find={s.find(sub)} rfind={s.rfind(sub)} count={s.count(sub)} in={sub in s} find2={s.find(sub, 2)} count_end={s.count(sub, 1, -1)}"


@compile(examples=[("banana", "na"), ("banana", "xyz")])
def index_of(s: str, sub: str) -> int:
    return s.index(sub) * 100 + s.rindex(sub)


@compile(examples=[("hello world", "o", "0"), ("aaa", "a", "bb"), ("abc", "", "-")])
def replace_forms(s: str, old: str, new: str) -> str:
    return s.replace(old, new) + " " + s.replace(old, new, 1)


@compile(examples=["report.txt", "archive.tar.gz", "README", ".bashrc"])
def file_kind(name: str) -> str:
    if name.endswith((".txt", ".md")):
        return "text"
    if name.endswith(".gz") or name.endswith(".zip"):
        return "archive"
    if name.startswith("."):
        return "hidden"
    if name.startswith("READ", 0, 4):
        return "readme"
    return "other"


@compile(examples=["hello World", "ǅungla straße", "ﬁsh ΣΑΣ", ""])
def case_forms(s: str) -> str:
    return "|".join([s.upper(), s.lower(), s.title(), s.capitalize(), s.swapcase(), s.casefold()])


@compile(examples=["abc", "123", "٣٤", "a1 ", "   ", "Hello World", "HELLO", "hello", "_id3", "ⅷ"])
def predicates(s: str) -> str:
    flags = [s.isalpha(), s.isdigit(), s.isdecimal(), s.isnumeric(), s.isalnum(), s.isspace(),
             s.isupper(), s.islower(), s.istitle(), s.isidentifier(), s.isprintable(), s.isascii()]
    return "".join(["1" if f else "0" for f in flags])


@compile(examples=[("42", 5), ("-42", 6), ("+7", 4), ("abc", 2)])
def padded(s: str, width: int) -> str:
    return s.zfill(width) + "|" + s.center(width) + "|" + s.ljust(width, ".") + "|" + s.rjust(width, "*") + "|" + s.center(width + 1, "é")


@compile(examples=["key=value=more", "novalue", "=start"])
def partition_forms(s: str) -> str:
    a, sep, b = s.partition("=")
    c, sep2, d = s.rpartition("=")
    return f"{a!r} {sep!r} {b!r} / {c!r} {sep2!r} {d!r}"


@compile(examples=["a\tb\tc", "\tindent\t\tdouble", "no tabs"])
def expand(s: str) -> str:
    return s.expandtabs() + "|" + s.expandtabs(4) + "|" + s.expandtabs(tabsize=2)


@compile(examples=[("unhappy", "un"), ("test_case.py", ".py"), ("same", "")])
def strip_affixes(s: str, affix: str) -> str:
    return s.removeprefix(affix) + "|" + s.removesuffix(affix)


@compile(examples=[("hello", "l"), ("mississippi", "ss")])
def occurrences(s: str, sub: str) -> list[int]:
    out = []
    i = s.find(sub)
    while i >= 0:
        out.append(i)
        i = s.find(sub, i + 1)
    return out
