"""Kiln's Python source of heapq, bisect, itertools, functools and textwrap (resources/python/kiln_stdlib) run by
CPython next to CPython's own modules on seeded random inputs: every result, and every list a function changes,
must have the same repr. Prints one line per kind of difference (nothing when they all agree), then a count.
NaN is left out of nsmallest/nlargest: their order with NaN among the items follows the sort, which is
documented to differ (README). textwrap's chunks are compared with the ones CPython's regular expressions cut
(TextWrapper._split_chunks), on texts of words, hyphens, em-dashes, tabs and other whitespace, long words and
non-ASCII letters, digits and spaces."""
import bisect
import functools
import heapq
import importlib.util
import itertools
import math
import random
import sys
import textwrap

ROOT = sys.argv[1]


def load(name):
    spec = importlib.util.spec_from_file_location("kiln_" + name, f"{ROOT}/resources/python/kiln_stdlib/{name}.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


kh, kb, ki, kf, kt = load("heapq"), load("bisect"), load("itertools"), load("functools"), load("textwrap")
rnd = random.Random(20261205)
seen = {}
checks = 0


def same(tag, ours, theirs):
    global checks
    checks += 1
    if repr(ours) != repr(theirs) and tag not in seen:
        seen[tag] = (ours, theirs)


def outcome(f):
    try:
        return ("ok", f())
    except Exception as e:  # the exception's type and message are part of the result
        return (type(e).__name__, str(e))


VALUES = [0.0, -0.0, 1.0, 2.0, 3.0, -1.5, math.inf, -math.inf, math.nan, 1, 0, 2, -3]
for trial in range(2000):
    n = rnd.randrange(0, 12)
    pool = [rnd.choice(VALUES) for _ in range(n)] if trial % 3 else [rnd.randrange(-5, 6) for _ in range(n)]
    finite = [x for x in pool if x == x]
    k = rnd.randrange(-2, 14)
    for key in (None, abs):
        kw = {} if key is None else {"key": key}
        same("nsmallest", kh.nsmallest(k, finite, **kw), heapq.nsmallest(k, finite, **kw))
        same("nlargest", kh.nlargest(k, finite, **kw), heapq.nlargest(k, finite, **kw))
    ours, theirs = list(pool), list(pool)
    kh.heapify(ours)
    heapq.heapify(theirs)
    same("heapify", ours, theirs)
    for x in pool[:6]:
        kh.heappush(ours, x)
        heapq.heappush(theirs, x)
        same("heappush", ours, theirs)
        same("heappushpop", kh.heappushpop(ours, x), heapq.heappushpop(theirs, x))
        same("heapreplace", outcome(lambda: kh.heapreplace(ours, x)), outcome(lambda: heapq.heapreplace(theirs, x)))
        same("heappop", outcome(lambda: kh.heappop(ours)), outcome(lambda: heapq.heappop(theirs)))
        same("heap after", ours, theirs)
    same("heappop empty", outcome(lambda: kh.heappop([])), outcome(lambda: heapq.heappop([])))
    s = sorted(finite)
    for x in pool[:4]:
        lo = rnd.randrange(-1, len(s) + 1)
        hi = rnd.randrange(max(lo, 0), len(s) + 1)
        same("bisect_left", outcome(lambda: kb.bisect_left(s, x, lo, hi)), outcome(lambda: bisect.bisect_left(s, x, lo, hi)))
        same("bisect_right", outcome(lambda: kb.bisect_right(s, x, lo)), outcome(lambda: bisect.bisect_right(s, x, lo)))
        same("bisect key", kb.bisect(s, x, key=abs), bisect.bisect(s, x, key=abs))
        a, b = list(s), list(s)
        kb.insort_left(a, x, key=abs)
        bisect.insort_left(b, x, key=abs)
        same("insort_left key", a, b)
        kb.insort(a, x, 1 if a else 0)
        bisect.insort(b, x, 1 if b else 0)
        same("insort lo", a, b)
    r = rnd.randrange(1, 5)
    same("combinations", getattr(ki, f"combinations__{r}")(pool[:7], r), list(itertools.combinations(pool[:7], r)))
    same("permutations", getattr(ki, f"permutations__{r}")(pool[:6], r), list(itertools.permutations(pool[:6], r)))
    same("combinations_with_replacement", getattr(ki, f"combinations_with_replacement__{r}")(pool[:5], r),
         list(itertools.combinations_with_replacement(pool[:5], r)))
    same("product repeat", getattr(ki, f"product__{r}r")(pool[:4], r), list(itertools.product(pool[:4], repeat=r)))
    same("product", ki.product__3(pool[:3], pool[2:5], pool[:2]), list(itertools.product(pool[:3], pool[2:5], pool[:2])))
    same("accumulate", list(ki.accumulate(pool)), list(itertools.accumulate(pool)))
    same("accumulate max", list(ki.accumulate(pool, max)), list(itertools.accumulate(pool, max)))
    same("accumulate initial", list(ki.accumulate__initial(pool, initial=3)), list(itertools.accumulate(pool, initial=3)))
    same("pairwise", list(ki.pairwise(pool)), list(itertools.pairwise(pool)))
    cut = rnd.choice(pool) if pool else 0
    same("takewhile", outcome(lambda: list(ki.takewhile(lambda v: v < cut, pool))), outcome(lambda: list(itertools.takewhile(lambda v: v < cut, pool))))
    same("dropwhile", outcome(lambda: list(ki.dropwhile(lambda v: v < cut, pool))), outcome(lambda: list(itertools.dropwhile(lambda v: v < cut, pool))))
    seen_ours, seen_theirs = [], []
    same("dropwhile calls", list(itertools.islice(ki.dropwhile(lambda v: seen_ours.append(v) or v < cut, pool), 2)) + seen_ours,
         list(itertools.islice(itertools.dropwhile(lambda v: seen_theirs.append(v) or v < cut, pool), 2)) + seen_theirs)
    same("starmap", outcome(lambda: list(ki.starmap(max, ki.pairwise(pool)))), outcome(lambda: list(itertools.starmap(max, itertools.pairwise(pool)))))
    same("chain", list(ki.chain__3(pool, finite, pool[:2])), list(itertools.chain(pool, finite, pool[:2])))
    same("chain.from_iterable", list(ki.chain_from_iterable([pool, finite])), list(itertools.chain.from_iterable([pool, finite])))
    start, stop, step = rnd.randrange(-1, 6), rnd.randrange(-1, 14), rnd.randrange(0, 4)
    same("islice 2", outcome(lambda: (ki.islice__2__check(stop), list(ki.islice__2(pool, stop)))[1]), outcome(lambda: list(itertools.islice(pool, stop))))
    same("islice 4", outcome(lambda: (ki.islice__4__check(start, stop, step), list(ki.islice__4(pool, start, stop, step)))[1]), outcome(lambda: list(itertools.islice(pool, start, stop, step))))
    # The items islice reads from an iterator (a generator's items past them are never computed): what is left after it.
    ours, theirs = iter(pool), iter(pool)
    same("islice reads", outcome(lambda: (ki.islice__4__check(start, stop, step), list(ki.islice__4(ours, start, stop, step)), list(ours))[1:]),
         outcome(lambda: (list(itertools.islice(theirs, start, stop, step)), list(theirs))))
    same("reduce", outcome(lambda: kf.reduce__2(lambda a, b: a * 2 - b, pool)), outcome(lambda: functools.reduce(lambda a, b: a * 2 - b, pool)))
    same("reduce initial", kf.reduce(max, pool, -9), functools.reduce(max, pool, -9))
    same("partial", kf.partial__2(max, 1, 2)(*pool[:2]), functools.partial(max, 1, 2)(*pool[:2]))
    # groupby over finite items: CPython's groups of NaN keys depend on object identity (README).
    same("groupby", [(k, list(g)) for k, g in ki.groupby(finite)], [(k, list(g)) for k, g in itertools.groupby(finite)])

    # The groups are lazy: the items a consumer leaves unread are keyed only when the groupby moves on, as CPython's.
    def grouped(gb, how, upto):
        keyed, out = [], []
        for k, g in gb(finite, lambda v: keyed.append(v) or v // 2):
            out.append(k if how == 0 else next(g) if how == 1 else sum(g))
            if len(out) > upto:
                break
        return out, keyed
    how, upto = rnd.randrange(3), rnd.randrange(4)
    same("groupby lazy", grouped(ki.groupby, how, upto), grouped(itertools.groupby, how, upto))
    same("zip_longest", list(ki.zip_longest__3(pool, finite, pool[:3], fillvalue=-1)), list(itertools.zip_longest(pool, finite, pool[:3], fillvalue=-1)))
    same("zip_longest None", list(ki.zip_longest__2(pool[:2], finite)), list(itertools.zip_longest(pool[:2], finite)))
    same("tee", [list(t) for t in ki.tee__3(pool, 3)], [list(t) for t in itertools.tee(pool, 3)])
    runs = [finite[:3], finite[3:7], finite[7:]]
    for rev in (False, True):
        same("merge", list(kh.merge__3(*runs, key=abs, reverse=rev)), list(heapq.merge(*runs, key=abs, reverse=rev)))
        # The keys merge calls while a consumer reads a prefix (CPython keys an item when it reads it).
        ours, theirs, upto = [], [], rnd.randrange(0, 8)
        same("merge keys", (list(itertools.islice(kh.merge__3(*runs, key=lambda v: ours.append(v) or abs(v), reverse=rev), upto)), ours),
             (list(itertools.islice(heapq.merge(*runs, key=lambda v: theirs.append(v) or abs(v), reverse=rev), upto)), theirs))
        same("merge sorted", list(kh.merge__2(sorted(runs[0]), sorted(runs[1]), reverse=rev)), list(heapq.merge(sorted(runs[0]), sorted(runs[1]), reverse=rev)))
        cmp = (lambda a, b: (abs(a) > abs(b)) - (abs(a) < abs(b))) if rev else (lambda a, b: rnd.choice((-1, 0, 1)))
        state = rnd.getstate()
        ours = list(pool)
        kf._sort_by_cmp(ours, cmp, rev)
        rnd.setstate(state)
        same("sort cmp_to_key", ours, sorted(pool, key=functools.cmp_to_key(cmp), reverse=rev))

# Pieces of text: letters (ASCII, accented, CJK, the underscore), digits that are decimal ('1', Arabic-Indic) or only
# numeric ('½'), hyphens and runs of them, each whitespace character textwrap knows and two it does not (no-break
# and em space), punctuation, quotes, words that end sentences and words too long for a line.
PIECES = ["a", "b", "Z", "é", "ß", "_", "1", "٣", "½", "-", "--", "---", " ", "  ", "\t", "\n", "\r", "\x0b", "\x0c",
          "\u00a0", "\u2003", "\u2014", ".", ",", "!", "?", "'", '"', "&", "(", "x-y", "well-known", "a-b-c", "e.g.",
          "end.", "Hello", "wörld", "漢字", "🙂", "foo--bar", "re-", "-ing", "ab-", "x" * 12, "über-long-hyphenated-word",
          "  \t ", "'q.'", "1-2", "Mr.", "a_b-c_d", "\r\n", "\x1c", "\u2028", "\x85"]
OPTIONS = [("initial_indent", ["", " ", "* ", "    "]), ("subsequent_indent", ["", "  ", "      "]),
           ("expand_tabs", [True, False]), ("replace_whitespace", [True, False]), ("fix_sentence_endings", [False, True]),
           ("break_long_words", [True, False]), ("drop_whitespace", [True, False]), ("break_on_hyphens", [True, False]),
           ("tabsize", [8, 4, 0, 1]), ("max_lines", [None, 1, 2, 3, 0]), ("placeholder", [" [...]", "...", " …", "", "  .. "])]
for trial in range(3000):
    text = "".join(rnd.choice(PIECES) for _ in range(rnd.randrange(0, 30)))
    for hyphens in (True, False):
        for munge in (True, False):
            theirs = textwrap.TextWrapper(break_on_hyphens=hyphens, expand_tabs=munge, replace_whitespace=munge)._split_chunks(text)
            same(f"chunks hyphens={hyphens} munge={munge}", kt._chunks(text, munge, 8, munge, hyphens), theirs)
    kw = {name: rnd.choice(values) for name, values in OPTIONS if rnd.random() < 0.4}
    width = rnd.choice([1, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 30, 70, 0, -1])
    # An indent as wide as the line can make CPython loop forever (a chunk it empties and keeps): not compared.
    widest = max(len(kw.get("initial_indent", "")), len(kw.get("subsequent_indent", "")))
    if 0 < width <= widest:
        width = widest + rnd.randrange(1, 4)
    same("wrap", outcome(lambda: kt.wrap(text, width, **kw)), outcome(lambda: textwrap.wrap(text, width, **kw)))
    same("fill", outcome(lambda: kt.fill(text, width, **kw)), outcome(lambda: textwrap.fill(text, width, **kw)))
    kw.pop("max_lines", None)
    same("shorten", outcome(lambda: kt.shorten(text, width, **kw)), outcome(lambda: textwrap.shorten(text, width, **kw)))
    ours, theirs = kt.TextWrapper(width, max_lines=2, **kw), textwrap.TextWrapper(width, max_lines=2, **kw)
    same("TextWrapper", outcome(lambda: (ours.wrap(text), ours.fill(text[::-1]))), outcome(lambda: (theirs.wrap(text), theirs.fill(text[::-1]))))
    same("dedent", kt.dedent(text), textwrap.dedent(text))
    prefix = rnd.choice(["> ", "", "\t", "  "])
    same("indent", kt.indent(text, prefix), textwrap.indent(text, prefix))
    same("indent predicate", kt.indent(text, prefix, lambda line: len(line) > 2), textwrap.indent(text, prefix, lambda line: len(line) > 2))
    # Indented blocks for dedent: margins of spaces and tabs that agree in part, blank and whitespace-only lines.
    lines = [rnd.choice(["", " ", "  ", "    ", "\t", " \t", "\t ", "  \t"]) + rnd.choice(["x", "", " ", "\t", "def f():", "\r", "\u00a0y"])
             for _ in range(rnd.randrange(0, 6))]
    block = rnd.choice(["\n", "\r\n"]).join(lines) + rnd.choice(["", "\n", "  "])
    same("dedent block", kt.dedent(block), textwrap.dedent(block))
    same("indent block", kt.indent(block, prefix), textwrap.indent(block, prefix))

for tag, (ours, theirs) in seen.items():
    print(f"{tag}: kiln {ours!r} cpython {theirs!r}")
print(f"{checks} checks")
