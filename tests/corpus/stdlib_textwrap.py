"""textwrap in the code that uses it: a command's help text, a report of indented paragraphs, shortened titles,
docstrings dedented, quoted replies, previews cut to a few lines; the texts carry hyphens, em-dashes, tabs, long
words and non-ASCII letters, digits and spaces, so the chunks are cut where CPython's patterns cut them."""
import textwrap
from textwrap import TextWrapper, dedent, fill, indent, shorten, wrap

from kiln import compile

HYPHENS = [
    "A well-known, long-term self-contained command-line tool.",
    "Compare re-enter, e-mail, x-ray, one-to-one and a-b-c-d.",
    "Numbers 12-34 and 3-d, co2-free, _x-_y and ab-1c stay whole.",
    "Stop--then go; word---word, end-- and --start, a--b and !--x.",
    "Über-schnell grüße-dich, naïve-café and Ωμέγα-Αλφα break too.",
    "Dashes: e.g.--so, 'q'--r, it's--fine, ok?--yes and 1--2.",
]


@compile(examples=[(10,), (14,), (1,), (3,), (25,), (7,)])
def hyphenated_lines(width: int) -> list[str]:
    # Narrow columns show every chunk: after a hyphen between letters, around an em-dash, never inside "12-34";
    # with break_on_hyphens=False only whitespace separates chunks, and a long word is cut at the width.
    return ["\n".join(wrap(t, width)) for t in HYPHENS] + ["\n".join(wrap(t, width, break_on_hyphens=False)) for t in HYPHENS]


@compile(examples=[("A well-known, long-term self-contained command-line tool.", 10), ("Stop--then go; word---word, end--", 6),
                   ("Über-schnell grüße-dich, naïve-café", 9), ("e.g.--so, 'q'--r, it's--fine, ok?--yes and 1--2.", 5),
                   ("abc-defghij-klmnopq ----------x a-a-a-a-a-a-a-a-a-a-", 7), ("hello world", 0), ("", 0), ("hello", -3)])
def hyphenated_text(text: str, width: int) -> list[str]:
    # Any text, any width (CPython checks it when it wraps, even an empty text: ValueError: invalid width 0 (must be > 0)).
    return wrap(text, width) + wrap(text, width + 3, break_on_hyphens=False)


OPTIONS = ["-h, --help", "-v, --verbose", "--output-directory=DIR", "-j N", "--no-color"]
HELPS = [
    "show this help message and exit",
    "print each file name as it is compiled; twice for the commands the tool runs as well",
    "write the results into DIR (created if needed) instead of the current working directory",
    "run N jobs at once",
    "plain output",
]


@compile(examples=[(60,), (40,), (28,), (12,)])
def format_help(width: int) -> str:
    # An argparse-style option list: names in a column, their help wrapped beside them, or below when too wide.
    column = 24
    out = ["usage: tool [options] FILE...", ""]
    out.append(fill("Compile the given files and report what failed; the exit status is the number of failures.", width))
    out.append("")
    out.append("options:")
    for i in range(len(OPTIONS)):
        name = "  " + OPTIONS[i]
        if len(name) <= column - 2:
            lines = wrap(HELPS[i], max(width - column, 10))
            out.append(name.ljust(column) + (lines[0] if lines else ""))
            for more in lines[1:]:
                out.append(" " * column + more)
        else:
            out.append(name)
            out.append(fill(HELPS[i], width, initial_indent=" " * column, subsequent_indent=" " * column))
    return "\n".join(out)


PARAGRAPHS = [
    "Revenue grew in every region this quarter. The north—helped by a new distributor—grew fastest, at 14 per cent.",
    "Costs were flat.\tFreight rose, but   warehousing fell after the move to the new site in Łódź.",
    "",
    "Outlook: cautious. We expect one-off costs (re-tooling, staff training) to weigh on Q3 margins.",
]


@compile(examples=[(["Sales rose.", "", "Costs\tfell—a lot."], 50), (["Revenue grew in every region this quarter."], 20), ([], 40)])
def indented_report(paragraphs: list[str], width: int) -> str:
    # Numbered paragraphs with a hanging indent, then the whole report indented as a block (blank lines stay bare).
    # (An indent wider than the line makes CPython loop forever on a text that starts with whitespace: kept narrower.)
    width = max(width, 8)
    body = []
    for i, p in enumerate(paragraphs + PARAGRAPHS):
        label = f"{i + 1}. "
        body.append(fill(p, width, initial_indent=label, subsequent_indent=" " * len(label)))
    return indent("\n\n".join(body), "    ")


TITLES = [
    "The Hitchhiker's Guide to the Galaxy",
    "Gödel, Escher, Bach: an Eternal Golden Braid",
    "   Structure   and\tInterpretation of Computer Programs  ",
    "Supercalifragilisticexpialidocious",
    "War and Peace",
    "",
    "A Brief History of Time — From the Big Bang to Black Holes",
]


@compile(examples=[(20,), (12,), (40,), (6,), (5,), (1,)])
def shortened_titles(width: int) -> list[str]:
    # A table column of titles: CPython's default placeholder, and a shorter one for narrow columns.
    out = []
    for t in TITLES:
        out.append(shorten(t, width))
        out.append(textwrap.shorten(t, width + 4, placeholder="…"))
    return out


@compile(examples=[("The Hitchhiker's Guide to the Galaxy", 30, "..."), ("Gödel, Escher, Bach", 9, " [more]"),
                   ("Supercalifragilisticexpialidocious", 10, "~"), ("a b c d e f", 4, ""), ("  Structure   and\tInterpretation ", 3, "...")])
def shortened_or_error(title: str, width: int, placeholder: str) -> str:
    # The placeholder must fit the width: ValueError otherwise, as the width itself must be positive.
    return shorten(title, width, placeholder=placeholder, break_long_words=False)


DOCSTRINGS = [
    "\n    Compile a function.\n\n    Arguments:\n        f: the function\n    \n    Returns the library.\n    ",
    "\tTabbed\n\t\tdeeper\n\tback",
    "  mixed\n\t tab first\n  two spaces",
    "no indent\n    indented",
    "    only one line",
    "   \n  \t\n",
    "    line\r\n    windows\r\n",
    "",
]


@compile(examples=[(["\n    Returns\n      the list.\n    ", "\t\ta\n\t b"],), ([],)])
def cleaned_docstrings(docs: list[str]) -> list[str]:
    # The body of a docstring: the common margin taken off, then trimmed, as help() shows it.
    return [dedent(d).strip() for d in docs + DOCSTRINGS] + [dedent(d) for d in docs + DOCSTRINGS]


@compile(examples=[("\n    Compile a function.\n\n    Arguments:\n        f: the function\n    \n", "> "), ("line one\n\nline three\r\nfour\u2028five", "| "), ("", "> "), ("\n\n", "#")])
def quoted_reply(text: str, prefix: str) -> str:
    # Quote every line of a reply, blank ones too (a predicate), and the non-blank lines of the dedented text.
    return indent(text, prefix, lambda line: True) + "\n--\n" + textwrap.indent(dedent(text), prefix, None)


ARTICLE = ("Kiln compiles typed Python functions to native code. Every result is checked against CPython, "
           "and every refusal names the line it refuses. The compiler itself is written in TypeScript; "
           "the runtime in C. Nothing runs at import time.")


@compile(examples=[(2, 40), (1, 30), (3, 25), (5, 80), (1, 10), (0, 30), (-1, 30), (2, 9), (4, 12)])
def preview(lines: int, width: int) -> str:
    # The first lines of an article, " [...]" where it was cut; and a bulleted variant with its own placeholder.
    a = fill(ARTICLE, width, max_lines=lines)
    b = fill(ARTICLE, width, max_lines=lines, initial_indent="  * ", subsequent_indent="    ", placeholder=" (more)")
    c = fill(ARTICLE[:40] + "   \n  ", width, max_lines=lines)
    d = fill(ARTICLE[:60], width, max_lines=lines, placeholder="..", drop_whitespace=lines % 2 == 0)
    return a + "\n\n" + b + "\n\n" + c + "\n\n" + d


@compile(examples=[("He stopped. She went on! Did it end? Yes.\"  Mr. Smith said so.", 20),
                   ("end.' next", 9), ("A. B. c. d! e? f", 8), ("one. two.\tthree.\nfour.", 12)])
def sentence_spacing(text: str, width: int) -> list[str]:
    # fix_sentence_endings: two spaces after a lowercase word that ends a sentence (when it is followed by one).
    return wrap(text, width, fix_sentence_endings=True) + wrap(text, width * 3, fix_sentence_endings=True)


CODE = [
    "def f(x):\n\treturn x  # tab\n\n\tif x:\tpass",
    "col1\tcol2\tcol3\nlonger value\tv\tw",
    "a\x0bb\x0cc\rd",
    "   leading and trailing   ",
]


def whitespace_kept(texts: list[str], width: int) -> list[str]:
    # Code-like text: tabs kept or expanded to 4, newlines kept, whitespace at line ends kept.
    out = []
    for t in texts:
        out.append("|".join(wrap(t, width, replace_whitespace=False, drop_whitespace=False, tabsize=4)))
        out.append("|".join(wrap(t, width, expand_tabs=False)))
        out.append("|".join(wrap(t, width, expand_tabs=False, replace_whitespace=False)))
        out.append("|".join(wrap(t, width, drop_whitespace=False, initial_indent="> ")))
    return out


LONG_WORDS = [
    "see https://example.com/a/very/long/path/that/does/not/fit/anywhere?query=1 for details",
    "Donaudampfschifffahrtsgesellschaftskapitän",
    "pneumono-ultra-microscopic-silico-volcano-coniosis",
    "x" * 30 + " y",
    "ab-----cdefghijklmnop",
    "漢字漢字漢字漢字漢字漢字 かな",
]


@compile(examples=[(12,), (5,), (2,), (20,), (9,)])
def long_words(width: int) -> list[str]:
    # Words longer than a line: cut (after the last hyphen that fits), or kept whole on a line of their own.
    out = whitespace_kept(CODE, width)
    for t in LONG_WORDS:
        out.append("|".join(wrap(t, width)))
        out.append("|".join(wrap(t, width, break_long_words=False)))
        out.append("|".join(wrap(t, width, initial_indent="- ", subsequent_indent="  ", break_long_words=False)))
    return out


@compile(examples=[("Revenue grew in every region this quarter. The north—helped by a new distributor—grew", 18),
                   ("Stop--then go; word---word, end-- and --start", 11), ("", 10), ("x", 0), ("  x y", 2)])
def wrapper_columns(text: str, width: int) -> str:
    # One TextWrapper reused, its settings changed between uses, and a second one limited to two lines.
    width = max(width, 3)
    w = TextWrapper(width=width, initial_indent="| ", subsequent_indent="| ")
    left = w.wrap(text)
    w.width = width + 10
    w.break_on_hyphens = False
    wide = w.fill(text)
    short = textwrap.TextWrapper(width, max_lines=2, placeholder="…")
    return "\n".join(left) + "\n" + wide + "\n" + short.fill(text)


UNICODE = [
    "naïve café\u00a0au\u00a0lait — déjà vu",
    "٣-٤ and ½-¾ and a-٣b and ٣a-bc",
    "Ünïcödé-wörds spłit-hére",
    "em\u2003space and thin\u2009space stay inside words",
    "emoji 🙂-🙃 and tabs\tafter\u3000ideographic",
    "snake_case-names and __dunder__-ish",
]


@compile(examples=[(8,), (13,), (30,), (4,)])
def unicode_lines(width: int) -> list[str]:
    # Letters of any script break at hyphens; decimal digits of any script do not; only ASCII whitespace separates.
    return ["|".join(wrap(t, width)) for t in UNICODE] + [shorten(t, width) for t in UNICODE]
