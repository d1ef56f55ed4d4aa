"""Report formatting: f-strings with the format-spec mini-language, str.format and %-formatting."""
from kiln import compile


@compile(examples=[("apples", 3, 1.25), ("kiwi", 12, 0.333), ("", 0, -0.0)])
def invoice_line(item: str, qty: int, price: float) -> str:
    return f"{item:<10}|{qty:>5d}|{price:>8.2f}|{qty * price:>10,.2f}"


@compile(examples=[1234567, -1234567, 0, 255])
def int_forms(n: int) -> str:
    return f"{n:,} {n:_} {n:#x} {n:#o} {n:#b} {n:X} {n:08d} {n:+d} {n: d} {n:=+10} {n:^9}"


@compile(examples=[(255, 4), (-1, 0), (0, 8), (-9223372036854775807 - 1, 1), (48879, 12)])
def radix_dump(n: int, bits: int) -> str:
    # hex()/oct()/bin() as a debugging dump writes them: the sign before the prefix, bools as ints.
    mask = (1 << max(0, min(bits, 62))) - 1
    return " ".join([hex(n), oct(n), bin(n), hex(n & mask), bin(n > 0), hex(True), oct(bits < 0)])


@compile(examples=[3.14159, -0.0, 1e-7, 12345.678, float("inf"), float("nan"), 2.5, 1e22])
def float_forms(x: float) -> str:
    return f"{x:e} {x:.3e} {x:E} {x:g} {x:.10g} {x:%} {x:.1%} {x:,.3f} {x:z.1f} {x:010.2f} {x:+.0f} {x:#.0f} {x:G}"


@compile(examples=[("name", 42, 3.5), ("quote's", -1, 0.1)])
def conversions(s: str, n: int, x: float) -> str:
    return f"{s!r} {s!s} {s!a} {n!r} {x!r:>8} {s=} {n = } {x=:.2f}"


@compile(examples=[(3.14159, 10, 3), (2.0, 1, 0), (-1.5, 8, 2)])
def nested_spec(x: float, width: int, digits: int) -> str:
    width = width % 24
    digits = abs(digits) % 12
    return f"[{x:{width}.{digits}f}] [{x:>{width}}] [{'ab':*^{width}}]"


@compile(examples=[("Ada", 36, 1.5), ("Grace", 85, 2.25)])
def format_method(name: str, age: int, score: float) -> str:
    a = "{} is {} years old".format(name, age)
    b = "{0}/{1}/{0}".format(name, age)
    c = "{name:>8}|{score:.1f}|{age:04d}".format(name=name, score=score, age=age)
    d = "{{literal}} {!r} {:>6}".format(name, age)
    return a + "; " + b + "; " + c + "; " + d


@compile(examples=[("{} and {}", "x"), ("{0} {0}", "y"), ("{:>5}!", "z")])
def format_dynamic(fmt: str, s: str) -> str:
    return fmt.format(s, s)


@compile(examples=[(42, 3.14159, "hi"), (-7, 1e10, "")])
def percent_forms(n: int, x: float, s: str) -> str:
    return "%d|%5d|%-5d|%05d|%x|%X|%o|%.2f|%10.3e|%g|%s|%r|%%|%c" % (n, n, n, n, n, n, n, x, x, x, s, s, 65)


@compile(examples=[7, 0, -3])
def percent_single(n: int) -> str:
    return "value: %d" % n + " / %s" % "text" + " / %.1f%%" % (n * 2.5)


@compile(examples=[True, False])
def bools_and_none(b: bool) -> str:
    return f"{b} {b!r} {b:d} {b:>6} {None} {None!r} {format(b)} {str(b)} {repr(None)} {b:x}"


@compile(examples=[(5, 3), (10, 4), (0, 2)])
def table(rows: int, cols: int) -> str:
    out = ""
    for r in range(1, rows + 1):
        line = ""
        for c in range(1, cols + 1):
            line += f"{r * c:4d}"
        out += line.rstrip() + "\n"
    return out


@compile(examples=[(1536, 0), (1048576, 1), (999, 2), (5000000000, 1)])
def human_size(n: int, digits: int) -> str:
    units = ["B", "KB", "MB", "GB", "TB"]
    size = float(n)
    i = 0
    while size >= 1024.0 and i < len(units) - 1:
        size /= 1024.0
        i += 1
    return f"{size:.{digits}f} {units[i]}"


@compile(examples=[(3725,), (59,), (86400,)])
def clock(seconds: int) -> str:
    h, rem = divmod(seconds, 3600)
    m, s = divmod(rem, 60)
    return f"{h:02d}:{m:02d}:{s:02d}"


@compile(examples=[(0.5,), (0.125,), (2.675,), (1.005,)])
def rounding(x: float) -> str:
    return format(x, ".2f") + " " + format(x, ".0f") + " " + format(x, "") + " " + format(round(x, 2)) + " " + str(x)


@compile
def progress_line(n: int) -> str:
    # A list and a tuple formatted by an f-string: their repr, as print() would show them.
    done = [i * i for i in range(min(abs(n), 6))]
    span = (len(done), n % 7)
    return f"done={done} span={span} last={done[-1:]!r}"
