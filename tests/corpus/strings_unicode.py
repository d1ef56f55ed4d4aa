"""Unicode and UTF-8: code points (not bytes), case mapping beyond ASCII, encode/decode and their errors."""
from kiln import compile


@compile(examples=["héllo", "日本", "😀", "", "e\u0301"])
def utf8_length(s: str) -> tuple[int, int]:
    return len(s), len(s.encode("utf-8"))


@compile(examples=[b"caf\xc3\xa9", b"\xff\xfe", b"ok", b"\xe2\x82", b"", b"\xf0\x9f\x98\x80!"])
def decode_utf8(data: bytes) -> str:
    return data.decode("utf-8")


@compile(examples=[b"abc", b"\x00\x80\xff", b""])
def bytes_ops(data: bytes) -> str:
    total = 0
    for b in data:
        total += b
    head = data[:2]
    return f"{len(data)} {total} {head!r} {data[-1] if data else -1} {data + b'!'} {b'a' in data + b'a'} {97 in data}"


@compile(examples=["straße", "ﬁne", "ΣΑΣ ΟΔΟΣ", "İstanbul", "ǆ"])
def unicode_cases(s: str) -> str:
    return f"{s.upper()}|{s.lower()}|{s.casefold()}|{s.title()}|{len(s.upper())}"


@compile(examples=[("Straße", "STRASSE"), ("Ǆ", "ǆ"), ("abc", "ABD")])
def caseless_equal(a: str, b: str) -> bool:
    return a.casefold() == b.casefold()


@compile(examples=["a😀b", "😀", "", "ab"])
def reverse_code_points(s: str) -> str:
    out = ""
    for c in s:
        out = c + out
    return out


@compile(examples=["hello", "ä", "€", "😀", "\u07ff"])
def utf8_bytes(s: str) -> list[int]:
    return [b for b in s.encode()]


@compile(examples=["abc", "ÿ", "Ā", "😀"])
def widest_code_point(s: str) -> int:
    best = -1
    for c in s:
        if ord(c) > best:
            best = ord(c)
    return best


@compile(examples=[(0x41,), (0xE9,), (0x1F600,), (0x110000,), (-1,), (0xD7FF,)])
def char_info(cp: int) -> str:
    c = chr(cp)
    return f"{c!r} {c.isalpha()} {c.isupper()} {c.upper()!r} {len(c.encode())}"


@compile(examples=["hello wörld", "日本語", "tab\there"])
def ascii_repr(s: str) -> str:
    return ascii(s) + " " + repr(s)


@compile(examples=[("Ünïcödé", 3), ("😀😀😀", 1)])
def cut(s: str, n: int) -> str:
    return s[:n] + "|" + s[n:] + "|" + s[-n:]


@compile(examples=["x\u0300y", "naïve"])
def combining_marks(s: str) -> int:
    marks = 0
    for c in s:
        if 0x300 <= ord(c) <= 0x36F:
            marks += 1
    return marks


@compile(examples=["٣٤٥", "12", "①②", "x"])
def digit_values(s: str) -> str:
    return f"{s.isdigit()} {s.isdecimal()} {s.isnumeric()} {int(s) if s.isdecimal() else -1}"
