"""Lists and tuples of str: built, searched, sorted, joined; the list owns its items."""
from kiln import compile

STOP_WORDS = ("the", "a", "an", "of", "and")


@compile(examples=["banana apple cherry apple", "", "b a c"])
def sorted_unique_words(text: str) -> str:
    words = []
    for w in text.split():
        if w not in words:
            words.append(w)
    words.sort()
    return ",".join(words)


@compile(examples=["the lord of the rings", "A tale of two cities", "and"])
def without_stop_words(title: str) -> str:
    kept = [w for w in title.lower().split() if w not in STOP_WORDS]
    return " ".join(kept)


@compile(examples=["pear fig apple kiwi", "x"])
def sorted_by_reverse(text: str) -> str:
    words = text.split()
    words.sort(reverse=True)
    return " ".join(words) + " | " + " ".join(sorted(words)) + " | " + min(words) + " " + max(words)


@compile(examples=[("a b c d e", 2), ("one two", 5), ("", 0)])
def list_edits(text: str, k: int) -> str:
    words = text.split()
    words.insert(0, "start")
    words.append("end")
    if k < len(words):
        words[k] = words[k].upper()
    last = words.pop()
    first = words.pop(0)
    words.extend(["x", "y"])
    words += ["z"]
    return f"{first}/{last}/{'-'.join(words)}/{len(words)}"


@compile(examples=[("red green blue", "green"), ("red green blue", "pink")])
def position(text: str, word: str) -> int:
    words = text.split()
    return words.index(word)


@compile(examples=["ab", "abc", ""])
def permutations(s: str) -> str:
    result = [""]
    for c in s[:5]:
        grown = []
        for p in result:
            for i in range(len(p) + 1):
                grown.append(p[:i] + c + p[i:])
        result = grown
    result.sort()
    return " ".join(result)


@compile(examples=["hello", "", "Mississippi"])
def char_list_ops(s: str) -> str:
    chars = list(s)
    chars.reverse()
    rev = "".join(chars)
    uniq = sorted(set_like(s))
    return rev + "|" + "".join(uniq) + "|" + "".join(sorted(s, reverse=True))


def set_like(s: str) -> list[str]:
    out = []
    for c in s:
        if c not in out:
            out.append(c)
    return out


@compile(examples=[("a,b,c", 2), ("x", 3), ("", 2)])
def repeat_and_slice(csv: str, n: int) -> str:
    items = csv.split(",") * n
    return "|".join(items[1:-1]) + "#" + "|".join(items[::2]) + "#" + str(len(items))


@compile(examples=["key1=v1,key2=v2", "solo", ""])
def swap_pairs(s: str) -> str:
    out = []
    for item in s.split(","):
        k, sep, v = item.partition("=")
        pair = (v, k) if sep else (k, k)
        out.append(pair[0] + ":" + pair[1])
    return ";".join(out)


@compile(examples=["one two three four", "a"])
def longest_and_shortest(text: str) -> tuple[int, int]:
    words = text.split()
    lengths = [len(w) for w in words]
    return max(lengths), min(lengths)


@compile(examples=["b\na\nc\na", ""])
def count_lines_equal(text: str) -> int:
    lines = text.splitlines()
    copy = lines.copy()
    copy.sort()
    same = 0
    for i in range(len(lines)):
        if lines[i] == copy[i]:
            same += 1
    if lines == copy:
        same += 100
    lines.clear()
    return same + len(lines)


@compile(examples=[("x y z", "y"), ("x y z", "w")])
def remove_word(text: str, word: str) -> str:
    words = text.split()
    count = words.count(word)
    if word in words:
        i = words.index(word)
        words = words[:i] + words[i + 1:]
    return f"{count}:{' '.join(words)}"


COMMON_WORDS = ["the", "a", "of", "and", "straße"]
KEYBOARD_ROWS = [["q", "w", "e"], ["a", "s", "d"], ["z", "x"]]


@compile(examples=["the cat and the hat", "", "Straße of dreams", "a"])
def content_words(text: str) -> int:
    """A module-level list of str (read, never changed by the function): built where it is read."""
    kept = 0
    for w in text.lower().split():
        if w not in COMMON_WORDS:
            kept += 1
        else:
            kept += 10 * COMMON_WORDS.index(w)
    return kept + sum(len(row) for row in KEYBOARD_ROWS)


@compile(examples=[[1, 2, 3], [], [-7]])
def render_row(xs: list[int]) -> str:
    """join() of map() and of a generator: built as a list first, as sum() is."""
    return " ".join(map(str, xs)) + "|" + ",".join(str(x * 2) for x in xs) + "|" + "-".join([f"{x:03d}" for x in xs])


@compile(examples=[("a b c d e", 1, 3), ("x y", -5, 9), ("", 0, 0), ("p q r s", 3, 1)])
def replace_word_runs(text: str, a: int, b: int) -> str:
    # Slice assignment on a list of str: replaced items are released, new ones kept, xs[a:b] = xs copies first;
    # an extended slice of another size raises ValueError, as CPython.
    words = text.split()
    words[a:b] = [w.upper() for w in words[a:b]] + ["+"]
    words[b:] = words
    pairs = [(w, len(w)) for w in words]
    pairs[::2] = [(w + "!", n) for w, n in pairs[::2]]
    words[::-2] = words[::2]
    if b < a:
        pairs[::3] = pairs[:1]
    return " ".join(words) + "|" + ",".join(w for w, _ in pairs)
