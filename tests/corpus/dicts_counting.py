"""Counting and grouping with dicts: word frequencies, histograms, anagram groups, first-seen orders."""
from kiln import compile


@compile(examples=["the cat and the hat and the bat", "", "a a a", "one two three two one"])
def most_common_count(text: str) -> int:
    counts = {}
    for w in text.split():
        counts[w] = counts.get(w, 0) + 1
    best = 0
    for w in counts:
        if counts[w] > best:
            best = counts[w]
    return best


@compile(examples=["the cat and the hat and the bat", "", "b a b c a"])
def distinct_in_order(text: str) -> str:
    counts = {}
    for w in text.split():
        if w in counts:
            counts[w] += 1
        else:
            counts[w] = 1
    out = ""
    for w, c in counts.items():
        out += f"{w}={c};"
    return out


@compile(examples=[[3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5], [], [7, 7, 7]])
def histogram_signature(xs: list[int]) -> int:
    hist = {}
    for x in xs:
        hist[x % 4] = hist.get(x % 4, 0) + 1
    sig = 0
    for k in hist.keys():
        sig = sig * 31 + k * 7 + hist[k]
    return sig


@compile(examples=["listen silent enlist google elgoog cat act tac", "", "abc"])
def largest_anagram_group(text: str) -> int:
    groups = {}
    for w in text.split():
        key = "".join(sorted(w))
        groups[key] = groups.get(key, 0) + 1
    best = 0
    for n in groups.values():
        best = max(best, n)
    return best


@compile(examples=["hello world", "", "mississippi"])
def char_frequencies(text: str) -> str:
    freq = {}
    for c in text:
        if c != " ":
            freq[c] = freq.get(c, 0) + 1
    out = ""
    for c in freq:
        out += c + str(freq[c])
    return out


@compile(examples=[[1.5, 2.5, 1.5, 3.0], [], [0.1, 0.2, 0.1]])
def float_key_totals(xs: list[float]) -> float:
    totals = {}
    for x in xs:
        totals[x] = totals.get(x, 0.0) + x
    s = 0.0
    for v in totals.values():
        s += v * len(totals)
    return s


@compile(examples=[("a b c a", "a"), ("a b c a", "z"), ("", "a")])
def count_of(text: str, word: str) -> int:
    counts = {w: 0 for w in text.split()}
    for w in text.split():
        counts[w] += 1
    return counts[word]


@compile(examples=[("x y z", "y"), ("x y z", "q")])
def delete_word(text: str, word: str) -> int:
    d = {w: i for i, w in enumerate(text.split())}
    del d[word]
    return len(d)


@compile(examples=[[5, 3, 5, 1], [1, 2, 3]])
def pop_with_default(xs: list[int]) -> int:
    d = {x: x * x for x in xs}
    a = d.pop(5, -1)
    b = d.pop(3, -1)
    return a * 1000 + b + len(d)


@compile(examples=[[5, 3, 1], [3, 4]])
def pop_missing(xs: list[int]) -> int:
    d = {x: x + 1 for x in xs}
    return d.pop(5)


@compile(examples=[[2, 4, 2, 8, 4], []])
def setdefault_lists(xs: list[int]) -> int:
    positions = {}
    for i in range(len(xs)):
        positions.setdefault(xs[i], []).append(i)
    total = 0
    for k, ps in positions.items():
        total += k * len(ps) + sum(ps)
    return total


@compile(examples=[[1, 2, 3], [4]])
def merged_sizes(xs: list[int]) -> int:
    a = {x: 1 for x in xs}
    b = {x + 1: 2 for x in xs}
    a.update(b)
    s = 0
    for k, v in a.items():
        s = s * 10 + v
    return s * 100 + len(a)


@compile(examples=[[1, 2, 3, 4], [1]])
def grow_while_iterating(xs: list[int]) -> int:
    d = {x: x for x in xs}
    n = 0
    for k in d:
        if k % 2 == 0:
            d[k + 100] = 1
        n += 1
    return n


@compile(examples=[[1, 2, 3], []])
def copy_and_clear(xs: list[int]) -> int:
    d = {x: x * 2 for x in xs}
    e = d.copy()
    d.clear()
    return len(d) * 100 + len(e)


@compile(examples=["b a b", ""])
def names_to_ids(text: str) -> str:
    ids = {}
    for name in text.split():
        if name not in ids:
            ids[name] = len(ids)
    out = ""
    for name, i in ids.items():
        out += f"{name}:{i} "
    return out


@compile(examples=[([1, 2, 3], [4.0, 5.0, 6.0], 2), ([1, 1], [0.5, 1.5], 1), ([], [], 3)])
def zipped_lookup(keys: list[int], values: list[float], k: int) -> float:
    table: dict[int, float] = {a: b for a, b in zip(keys, values)}
    return table[k]


@compile(examples=[[3, 1, 3], []])
def annotated_empties(xs: list[int]) -> int:
    seen: set[int] = set()
    by_parity: dict[int, list[int]] = {}
    for x in xs:
        seen.add(x)
        by_parity.setdefault(x % 2, []).append(x)
    return len(seen) * 100 + len(by_parity)


def _bump(counts: dict[str, int], word: str) -> None:
    counts[word] = counts.get(word, 0) + 1


def _total(counts: dict[str, int]) -> int:
    t = 0
    for _, n in counts.items():
        t += n
    return t


@compile(examples=["a b a", "", "x x x y"])
def counted_by_helpers(text: str) -> int:
    counts = {}
    for w in text.split():
        _bump(counts, w)
    return _total(counts) * 100 + len(counts)


@compile(examples=[([3, 1, 3, 7], 3), ([3, 1, 3, 7], 5), ([], 0), ([2, 2], 2)])
def last_position(xs: list[int], target: int) -> int:
    # d.get(k) without a default: the position, or None when the value never occurs.
    where = {}
    for i, x in enumerate(xs):
        where[x] = i
    pos = where.get(target)
    if pos is None:
        return -1
    return pos * 10 + len(where)


@compile(examples=[("a b a c b a", "a", "z"), ("", "a", "b"), ("x", "x", "x")])
def ratio_or_none(text: str, a: str, b: str) -> float:
    counts: dict[str, float] = {}
    for w in text.split():
        counts[w] = counts.get(w, 0.0) + 1.0
    na = counts.get(a)
    nb = counts.get(b)
    if na is None:
        return -1.0
    if nb is None:
        return na
    return na / nb
