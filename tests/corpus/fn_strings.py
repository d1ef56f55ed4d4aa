"""Functions and strings together: closures over text, helpers with str defaults and *args of str, key sorts
and argmax over words, tuples of str read at run time, iterators over words. Each closure environment or tuple
that holds a str owns a reference to it."""
from kiln import compile

MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def pad(s, width=6, fill="."):
    return s + fill * (width - len(s))


def join_all(*parts, sep="-"):
    return sep.join(parts)


def make_prefixer(prefix):
    return lambda w: prefix + w


def apply_each(f, words):
    return [f(w) for w in words]


@compile(examples=[("hello", 3), ("", 0)])
def captured_length(s: str, n: int) -> int:
    g = lambda k: len(s) + k
    return g(n)


@compile(examples=["the quick brown fox", "", "a bb a"])
def words_by_length(text: str) -> str:
    words = text.split()
    return " ".join(sorted(words, key=len))


@compile(examples=["the quick brown fox", "", "aa bb cc"])
def words_by_length_desc(text: str) -> str:
    words = text.split()
    words.sort(key=lambda w: len(w), reverse=True)
    return ",".join(words)


@compile(examples=["the quick brown fox", "", "aa bb"])
def longest_word(text: str) -> str:
    words = text.split()
    if not words:
        return ""
    return max(words, key=len)


@compile(examples=["the quick brown fox", "x"])
def shortest_word(text: str) -> str:
    return min(text.split(), key=len, default="")


@compile(examples=[0, 5, 11, 12, -1])
def month_name(m: int) -> str:
    return MONTHS[m % 12]


@compile(examples=[0, 1, 2])
def local_tuple_index(i: int) -> str:
    names = ("zero", "one", "two")
    return names[i]


@compile(examples=["the quick brown fox", ""])
def numbered_words(text: str) -> str:
    out = []
    for i, w in enumerate(text.split(), 1):
        out.append(str(i) + "." + w)
    return " ".join(out)


@compile(examples=["abc def", ""])
def words_with_letters(text: str) -> str:
    out = []
    for w, c in zip(text.split(), text):
        out.append(w + c)
    return ",".join(out)


@compile(examples=["ab", "", "abcdefgh"])
def padded(s: str) -> str:
    return pad(s) + "|" + pad(s, 8, "#") + "|" + pad(s, fill="*")


@compile(examples=[("a", "b"), ("", "x")])
def joined_parts(a: str, b: str) -> str:
    return join_all(a, b, a) + join_all(b, sep="+") + join_all()


@compile(examples=["the quick brown fox", ""])
def long_word_count(text: str) -> int:
    return len(list(filter(lambda w: len(w) > 3, text.split())))


@compile(examples=["abc", ""])
def closure_suffixes(s: str) -> str:
    def f(x):
        return s + x
    return f("!") + f("?")


@compile(examples=["the quick fox", ""])
def prefixed_words(text: str) -> str:
    add = make_prefixer("<" + text[:1] + ">")
    return " ".join(apply_each(add, text.split()))


@compile(examples=["the quick brown fox", "a"])
def words_reversed_in_loop(text: str) -> str:
    out = ""
    for w in reversed(text.split()):
        out += w[::-1] + " "
    return out.strip()


@compile(examples=[("the quick brown fox", "q"), ("", "a")])
def first_with(text: str, letter: str) -> int:
    for i, w in enumerate(text.split()):
        if w.startswith(letter):
            return i
    return -1
